// -yy socket endpoints: "TCP:[127.0.0.1:47311->127.0.0.1:47312]", "UNIX-STREAM:[123->456,"path"]",
// "NETLINK:[ROUTE:1234]". The protocol comes from the socket's system.sockprotoname attribute, the
// endpoints from the kernel's sock_diag netlink interface, as strace 6.1 gets them.
//
// strace remembers what it found for each socket inode (a 1024-slot table indexed by the inode's low
// bits) and shows that text for the socket from then on, even after the socket connected elsewhere.
// Its -yy lines depend on it (a connecting socket keeps showing only the local address it had when
// first looked up), so the same table is kept here: the output is held to strace's byte for byte.
#include "decoder.h"
#include "net_internal.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <mutex>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../tables/generated/xlat.h"

namespace decode {

namespace {

// ---------------------------------------------------------------- the per-inode memory

constexpr size_t kSlots = 1024;

struct Remembered {
  uint64_t inode = 0;
  std::string text;
};

std::mutex g_mu;
Remembered g_slots[kSlots];

bool recall(uint64_t inode, std::string* text) {
  std::lock_guard<std::mutex> lock(g_mu);
  const Remembered& r = g_slots[inode & (kSlots - 1)];
  if (r.inode != inode || r.text.empty()) return false;
  *text = r.text;
  return true;
}

void remember(uint64_t inode, const std::string& text) {
  std::lock_guard<std::mutex> lock(g_mu);
  Remembered& r = g_slots[inode & (kSlots - 1)];
  r.inode = inode;
  r.text = text;
}

// ---------------------------------------------------------------- the tracee's network namespace

// sock_diag answers about the sockets of the network namespace its netlink socket was made in. For a
// tracee in another one (a container's, `unshare --net`'s), the lookup runs in a short-lived thread
// that joins the tracee's namespace first: setns(CLONE_NEWNET) moves only the calling thread, so the
// tracer thread and Node's stay in ours. A namespace we cannot join leaves the lookup in ours, where
// the socket's inode (unique machine-wide) is not found: the text is then what an unknown socket gets.
ino_t netns_inode(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_ino : 0;
}

struct NetnsJob {
  int ns_fd;
  const std::function<void()>* fn;
};

void* run_in_netns(void* arg) {
  const NetnsJob* job = static_cast<const NetnsJob*>(arg);
  setns(job->ns_fd, CLONE_NEWNET);
  (*job->fn)();
  return nullptr;
}

void in_netns_of(pid_t pid, const std::function<void()>& fn) {
  static const ino_t ours = netns_inode("/proc/self/ns/net");
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/net", static_cast<int>(pid));
  const ino_t theirs = pid > 0 ? netns_inode(path) : 0;
  int fd = theirs && theirs != ours ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  if (fd < 0) return fn();
  // The thread starts with every signal blocked: a signal meant for the tracer or for Node is
  // never taken by it.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  NetnsJob job{fd, &fn};
  pthread_t thread;
  const bool started = pthread_create(&thread, nullptr, run_in_netns, &job) == 0;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (started)
    pthread_join(thread, nullptr);
  else
    fn();
  close(fd);
}

// ---------------------------------------------------------------- which protocol

// The kernel's protocol name of descriptor fd of the process /proc knows as proc_id ("" when
// unknown).
std::string proc_socket_protocol(pid_t proc_id, int fd) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/fd/%d", static_cast<int>(proc_id), fd);
  char proto[64];
  ssize_t len = getxattr(path, "system.sockprotoname", proto, sizeof proto - 1);
  if (len <= 0) return std::string();
  proto[len] = '\0';
  return proto;
}

// The kernel's protocol name of the socket with this inode, read from any descriptor of pid
// that refers to it ("" when pid has none or the attribute is unavailable).
std::string protocol_name(pid_t pid, uint64_t inode) {
  char dir_path[64];
  snprintf(dir_path, sizeof dir_path, "/proc/%d/fd", static_cast<int>(pid));
  DIR* dir = opendir(dir_path);
  if (!dir) return std::string();
  char want[64];
  snprintf(want, sizeof want, "socket:[%llu]", static_cast<unsigned long long>(inode));
  int fd = -1;
  while (dirent* d = readdir(dir)) {
    if (d->d_name[0] < '0' || d->d_name[0] > '9') continue;
    if (fd_link(pid, atoi(d->d_name)) == want) {
      fd = atoi(d->d_name);
      break;
    }
  }
  closedir(dir);
  return fd < 0 ? std::string() : proc_socket_protocol(pid, fd);
}

// ---------------------------------------------------------------- sock_diag queries

// One sock_diag request; the replies go to parse(payload, payload_len) until it returns non-zero
// (1: found, -1: give up) or the dump ends. True when parse found the socket.
template <typename Req, typename Parse>
bool diag_query(const Req& req, uint16_t flags, Parse parse) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return false;
  struct {
    nlmsghdr nlh;
    Req body;
  } msg;
  memset(&msg, 0, sizeof msg);
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | flags);
  msg.body = req;
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  bool found = false;
  ssize_t sent;
  do {
    sent = sendto(fd, &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    close(fd);
    return false;
  }
  alignas(nlmsghdr) static thread_local char buf[16384];
  // The kernel queues each part of the answer before the call that asks for it returns (the
  // request, then each read of a dump), so nothing here ever needs to wait: a tracer thread must
  // not block on a reply that will not come.
  for (bool done = false; !done;) {
    ssize_t got = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    int left = static_cast<int>(got);
    const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(buf);
    if (!NLMSG_OK(h, left)) break;
    for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      // NLMSG_DONE and NLMSG_ERROR end the search.
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) {
        done = true;
        break;
      }
      int rc = parse(NLMSG_DATA(h), static_cast<int>(h->nlmsg_len));
      if (rc) {
        found = rc > 0;
        done = true;
        break;
      }
    }
  }
  close(fd);
  return found;
}

// TCP and friends: "TCP:[src:port->dst:port]", or "TCP:[src:port]" when there is no remote end.
// IPv6 addresses go in brackets: "TCPv6:[[::1]:47321]".
bool inet_details(const char* proto_name, int family, int protocol, uint64_t inode, std::string* out) {
  inet_diag_req_v2 req = {};
  req.sdiag_family = static_cast<uint8_t>(family);
  req.sdiag_protocol = static_cast<uint8_t>(protocol);
  req.idiag_states = ~0u;
  return diag_query(req, NLM_F_DUMP, [&](const void* data, int len) -> int {
    if (len < static_cast<int>(NLMSG_LENGTH(sizeof(inet_diag_msg)))) return -1;
    const inet_diag_msg* m = static_cast<const inet_diag_msg*>(data);
    if (m->idiag_inode != inode) return 0;
    if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6) return -1;
    const bool v6 = m->idiag_family == AF_INET6;
    const size_t addr_size = v6 ? sizeof(in6_addr) : sizeof(in_addr);
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    if (!inet_ntop(m->idiag_family, m->id.idiag_src, src, sizeof src)) return -1;
    static const unsigned char kZero[sizeof(in6_addr)] = {};
    const bool remote = m->id.idiag_dport || memcmp(kZero, m->id.idiag_dst, addr_size) != 0;
    const char* open = v6 ? "[" : "";
    const char* close = v6 ? "]" : "";
    char text[256];
    if (remote) {
      if (!inet_ntop(m->idiag_family, m->id.idiag_dst, dst, sizeof dst)) return -1;
      snprintf(text, sizeof text, "%s:[%s%s%s:%u->%s%s%s:%u]", proto_name, open, src, close,
               ntohs(m->id.idiag_sport), open, dst, close, ntohs(m->id.idiag_dport));
    } else {
      snprintf(text, sizeof text, "%s:[%s%s%s:%u]", proto_name, open, src, close, ntohs(m->id.idiag_sport));
    }
    *out = text;
    return 1;
  });
}

// The unix path as strace quotes it (up to its NUL; an abstract name as @"name").
std::string quote_unix_path(const char* path, size_t len) {
  std::string text;
  Call q;
  q.out = &text;
  if (len && path[0] == '\0') {
    text.push_back('@');
    print_quoted(q, path + 1, len - 1, false, true);
  } else {
    print_quoted(q, path, len, false, true);
  }
  return text;
}

// UNIX sockets: "UNIX-STREAM:[self->peer,"path"]"; nothing found when there is neither a peer nor
// a name (then the caller prints "UNIX-STREAM:[self]").
bool unix_details(const char* proto_name, uint64_t inode, std::string* out) {
  unix_diag_req req = {};
  req.sdiag_family = AF_UNIX;
  req.udiag_ino = static_cast<uint32_t>(inode);
  req.udiag_states = ~0u;
  req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
  req.udiag_cookie[0] = req.udiag_cookie[1] = ~0u;
  return diag_query(req, 0, [&](const void* data, int len) -> int {
    int attr_len = len - static_cast<int>(NLMSG_LENGTH(sizeof(unix_diag_msg)));
    if (attr_len < 0) return -1;
    const unix_diag_msg* m = static_cast<const unix_diag_msg*>(data);
    if (m->udiag_ino != inode) return 0;
    if (m->udiag_family != AF_UNIX) return -1;
    uint32_t peer = 0;
    std::string path;
    bool have_path = false;
    for (const rtattr* a = reinterpret_cast<const rtattr*>(m + 1); RTA_OK(a, attr_len); a = RTA_NEXT(a, attr_len)) {
      if (a->rta_type == UNIX_DIAG_NAME && !have_path) {
        size_t n = RTA_PAYLOAD(a);
        if (n > sizeof(sockaddr_un::sun_path)) n = sizeof(sockaddr_un::sun_path);
        path.assign(static_cast<const char*>(RTA_DATA(a)), n);
        have_path = n > 0;
      } else if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= 4) {
        memcpy(&peer, RTA_DATA(a), sizeof peer);
      }
    }
    if (!peer && !have_path) return -1;
    std::string text = std::string(proto_name) + ":[" + std::to_string(inode);
    if (peer) text += "->" + std::to_string(peer);
    if (have_path) text += "," + quote_unix_path(path.data(), path.size());
    text += "]";
    *out = text;
    return 1;
  });
}

// Netlink sockets: "NETLINK:[ROUTE:1234]" (protocol without its NETLINK_ prefix, then the port id).
bool netlink_details(const char* proto_name, uint64_t inode, std::string* out) {
  netlink_diag_req req = {};
  req.sdiag_family = AF_NETLINK;
  req.sdiag_protocol = NDIAG_PROTO_ALL;
  return diag_query(req, NLM_F_DUMP, [&](const void* data, int len) -> int {
    if (len < static_cast<int>(NLMSG_LENGTH(sizeof(netlink_diag_msg)))) return -1;
    const netlink_diag_msg* m = static_cast<const netlink_diag_msg*>(data);
    if (m->ndiag_ino != inode) return 0;
    if (m->ndiag_family != AF_NETLINK) return -1;
    char text[128];
    const char* name = xlat_lookup(xlat_netlink_protocols, m->ndiag_protocol);
    static const char kPrefix[] = "NETLINK_";
    if (name && strncmp(name, kPrefix, sizeof kPrefix - 1) == 0) name += sizeof kPrefix - 1;
    if (name)
      snprintf(text, sizeof text, "%s:[%s:%u]", proto_name, name, m->ndiag_portid);
    else
      snprintf(text, sizeof text, "%s:[%u]", proto_name, static_cast<unsigned>(m->ndiag_protocol));
    *out = text;
    return 1;
  });
}

// IPPROTO_L2TP lives in <linux/in.h>, which cannot be included next to <netinet/in.h>.
constexpr int kIpprotoL2tp = 115;

// The protocols whose endpoints can be asked for, by the kernel's name for them.
enum class Kind { Unix, Inet, Netlink };
struct Protocol {
  const char* name;
  Kind kind;
  int family;
  int protocol;
};
const Protocol kProtocols[] = {
    {"UNIX", Kind::Unix, AF_UNIX, 0},
    {"UNIX-STREAM", Kind::Unix, AF_UNIX, 0},
    {"TCP", Kind::Inet, AF_INET, IPPROTO_TCP},
    {"UDP", Kind::Inet, AF_INET, IPPROTO_UDP},
    {"UDPLITE", Kind::Inet, AF_INET, IPPROTO_UDPLITE},
    {"DCCP", Kind::Inet, AF_INET, IPPROTO_DCCP},
    {"SCTP", Kind::Inet, AF_INET, IPPROTO_SCTP},
    {"L2TP/IP", Kind::Inet, AF_INET, kIpprotoL2tp},
    {"PING", Kind::Inet, AF_INET, IPPROTO_ICMP},
    {"RAW", Kind::Inet, AF_INET, IPPROTO_RAW},
    {"TCPv6", Kind::Inet, AF_INET6, IPPROTO_TCP},
    {"UDPv6", Kind::Inet, AF_INET6, IPPROTO_UDP},
    {"UDPLITEv6", Kind::Inet, AF_INET6, IPPROTO_UDPLITE},
    {"DCCPv6", Kind::Inet, AF_INET6, IPPROTO_DCCP},
    {"SCTPv6", Kind::Inet, AF_INET6, IPPROTO_SCTP},
    {"L2TP/IPv6", Kind::Inet, AF_INET6, kIpprotoL2tp},
    {"PINGv6", Kind::Inet, AF_INET6, IPPROTO_ICMP},
    {"RAWv6", Kind::Inet, AF_INET6, IPPROTO_RAW},
    {"NETLINK", Kind::Netlink, AF_NETLINK, 0},
};

bool lookup(const Protocol& p, uint64_t inode, std::string* out) {
  switch (p.kind) {
    case Kind::Unix: return unix_details(p.name, inode, out);
    case Kind::Inet: return inet_details(p.name, p.family, p.protocol, inode, out);
    case Kind::Netlink: return netlink_details(p.name, inode, out);
  }
  return false;
}

// What strace shows for a socket of protocol proto_name ("" when unknown): the remembered text,
// or a fresh lookup (remembered when it found the socket), or "TCP:[inode]" for a known protocol
// whose endpoints the kernel does not report (yet).
std::string details_for(uint64_t inode, const std::string& proto_name) {
  std::string text;
  if (recall(inode, &text)) return text;
  const Protocol* known = nullptr;
  for (const Protocol& p : kProtocols)
    if (proto_name == p.name) known = &p;
  if (known) {
    if (lookup(*known, inode, &text)) {
      remember(inode, text);
      return text;
    }
    return std::string(known->name) + ":[" + std::to_string(inode) + "]";
  }
  // A protocol without a query of its own: try every one (strace does the same).
  for (const Protocol& p : kProtocols) {
    if (lookup(p, inode, &text)) {
      remember(inode, text);
      return text;
    }
  }
  return std::string();
}

// Every unix socket of the calling thread's network namespace.
std::vector<UnixSocketEntry> unix_socket_list_here() {
  std::vector<UnixSocketEntry> out;
  unix_diag_req req = {};
  req.sdiag_family = AF_UNIX;
  req.udiag_states = ~0u;
  req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
  diag_query(req, NLM_F_DUMP, [&](const void* data, int len) -> int {
    int attr_len = len - static_cast<int>(NLMSG_LENGTH(sizeof(unix_diag_msg)));
    if (attr_len < 0) return -1;
    const unix_diag_msg* m = static_cast<const unix_diag_msg*>(data);
    if (m->udiag_family != AF_UNIX) return -1;
    UnixSocketEntry e;
    e.inode = m->udiag_ino;
    e.type = m->udiag_type;
    e.state = m->udiag_state;
    for (const rtattr* a = reinterpret_cast<const rtattr*>(m + 1); RTA_OK(a, attr_len); a = RTA_NEXT(a, attr_len)) {
      if (a->rta_type == UNIX_DIAG_NAME) {
        size_t n = RTA_PAYLOAD(a);
        if (n > sizeof(sockaddr_un::sun_path)) n = sizeof(sockaddr_un::sun_path);
        const char* p = static_cast<const char*>(RTA_DATA(a));
        if (n && p[0] == '\0')
          e.path = "@" + std::string(p + 1, n - 1);
        else
          e.path.assign(p, strnlen(p, n));
      } else if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= 4) {
        memcpy(&e.peer, RTA_DATA(a), sizeof e.peer);
      } else if (a->rta_type == UNIX_DIAG_RQLEN && RTA_PAYLOAD(a) >= sizeof(unix_diag_rqlen)) {
        unix_diag_rqlen q;
        memcpy(&q, RTA_DATA(a), sizeof q);
        e.rqueue = q.udiag_rqueue;
        e.wqueue = q.udiag_wqueue;
      }
    }
    out.push_back(std::move(e));
    return 0;
  });
  return out;
}

}  // namespace

std::string socket_details(pid_t pid, uint64_t inode) {
  std::string text;
  if (recall(inode, &text)) return text;
  const std::string proto = protocol_name(pid, inode);
  in_netns_of(pid, [&] { text = details_for(inode, proto); });
  return text;
}

std::vector<UnixSocketEntry> unix_socket_list(pid_t pid) {
  std::vector<UnixSocketEntry> out;
  in_netns_of(pid, [&] { out = unix_socket_list_here(); });
  return out;
}

namespace net {

// The tracee's pid is ours; /proc may number it otherwise (mounted from another pid namespace).
std::string socket_protocol(pid_t pid, int fd) { return proc_socket_protocol(proc_pid(pid), fd); }

std::string socket_details_of_fd(pid_t pid, int fd) {
  pid = proc_pid(pid);
  const std::string link = fd_link(pid, fd);
  static const char kPrefix[] = "socket:[";
  if (link.compare(0, sizeof kPrefix - 1, kPrefix) != 0) return std::string();
  const uint64_t inode = strtoull(link.c_str() + sizeof kPrefix - 1, nullptr, 10);
  std::string text;
  if (recall(inode, &text)) return text;
  const std::string proto = proc_socket_protocol(pid, fd);
  in_netns_of(pid, [&] { text = details_for(inode, proto); });
  return text;
}

}  // namespace net

}  // namespace decode
