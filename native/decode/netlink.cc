// Netlink messages in the buffers of socket calls on netlink sockets, printed as strace 6.1 prints
// them: the nlmsghdr of each message, then its payload. Decoded payloads: NLMSG_ERROR and NLMSG_DONE
// for every family, and the NETLINK_ROUTE address messages (RTM_{NEW,DEL,GET}ADDR, what getaddrinfo()
// asks for) with their attributes. Other payloads show as strace shows payloads it has no decoder
// for: hex bytes (or {family=..., data=...} for other NETLINK_ROUTE messages).
#include "decoder.h"
#include "net_internal.h"
#include "netlink_internal.h"

#include <arpa/inet.h>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <linux/cryptouser.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_acct.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_cthelper.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <linux/netfilter/nfnetlink_hook.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/selinux_netlink.h>
#include <linux/xfrm.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "../tables/generated/xlat.h"

namespace decode {
namespace net {

namespace {

void sep(const Call& c) { c.print(", "); }

// The netlink protocol of fd, from its -yy text ("NETLINK:[ROUTE:1234]" is NETLINK_ROUTE), as strace
// finds it. A socket whose endpoint is unknown reads as "NETLINK:[<inode>]", which strace takes for a
// protocol number: no known protocol then, so only the generic decoding applies.
long netlink_protocol(const Call& c, int fd) {
  const std::string details = socket_details_of_fd(c.pid, fd);
  static const char kPrefix[] = "NETLINK:[";
  if (details.compare(0, sizeof kPrefix - 1, kPrefix) != 0) return -1;
  const char* rest = details.c_str() + sizeof kPrefix - 1;
  for (size_t i = 0; i < xlat_netlink_protocols.n; i++) {
    const char* name = xlat_netlink_protocols.e[i].name;
    if (strncmp(name, "NETLINK_", 8) == 0) name += 8;
    if (strncmp(rest, name, strlen(name)) == 0) return static_cast<long>(xlat_netlink_protocols.e[i].val);
  }
  if (*rest >= '0' && *rest <= '9') return strtol(rest, nullptr, 10);
  return -1;
}

// ---------------------------------------------------------------- attributes

// NLMSGERR_ATTR_COOKIE: the bytes as decimal numbers.
bool nla_cookie(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  print_array<uint8_t>(c, addr, len, [&](uint8_t b) { c.printf("%u", b); });
  return true;
}

const Nla kNlmsgerrAttrs[] = {
    {NLMSGERR_ATTR_MSG, nla_str, nullptr},
    {NLMSGERR_ATTR_OFFS, nla_u32, nullptr},
    {NLMSGERR_ATTR_COOKIE, nla_cookie, nullptr},
};
const AttrTable kNlmsgerrTable = attr_table(xlat_nlmsgerr_attrs, "NLMSGERR_ATTR_???", kNlmsgerrAttrs);

// ---------------------------------------------------------------- messages

void print_message(const Call& c, long proto, const nlmsghdr& h, uint64_t addr, uint64_t len);

// NETLINK_GENERIC message types are family ids the kernel hands out at run time: their names come
// from the kernel's own list (CTRL_CMD_GETFAMILY, dumped once through a socket of ours, as strace
// does). Empty when the kernel cannot be asked.
const Xlat& genl_families() {
  static const Xlat* table = [] {
    static std::vector<std::string> names;
    static std::vector<XlatEntry> entries;
    const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (fd >= 0) {
      struct {
        nlmsghdr h;
        genlmsghdr g;
      } req = {};
      req.h.nlmsg_len = sizeof req;
      req.h.nlmsg_type = GENL_ID_CTRL;
      req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
      req.g.cmd = CTRL_CMD_GETFAMILY;
      timeval tv = {1, 0};  // a kernel that never answers must not stop the trace
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      bool done = send(fd, &req, sizeof req, 0) != static_cast<ssize_t>(sizeof req);
      std::vector<char> buf(32768);
      std::vector<std::pair<unsigned, std::string>> found;
      while (!done) {
        const ssize_t got = recv(fd, buf.data(), buf.size(), 0);
        if (got <= 0) break;
        size_t left = static_cast<size_t>(got);
        for (const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(h, left);
             h = NLMSG_NEXT(h, left)) {
          if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
            done = true;
            break;
          }
          if (h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) continue;
          const char* p = static_cast<const char*>(NLMSG_DATA(h)) + GENL_HDRLEN;
          size_t alen = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
          long id = -1;
          std::string name;
          for (const nlattr* a = reinterpret_cast<const nlattr*>(p); alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
                                                                     a->nla_len <= alen;) {
            const char* data = reinterpret_cast<const char*>(a) + NLA_HDRLEN;
            const size_t dlen = a->nla_len - NLA_HDRLEN;
            if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID && dlen >= sizeof(uint16_t)) {
              uint16_t v;
              memcpy(&v, data, sizeof v);
              id = v;
            } else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_NAME) {
              name.assign(data, strnlen(data, dlen));
            }
            const size_t step = NLA_ALIGN(a->nla_len);
            if (step >= alen) break;
            alen -= step;
            a = reinterpret_cast<const nlattr*>(reinterpret_cast<const char*>(a) + step);
          }
          if (id >= 0 && !name.empty()) found.emplace_back(static_cast<unsigned>(id), name);
        }
      }
      close(fd);
      names.reserve(found.size());
      for (auto& f : found) {
        names.push_back(f.second);
        entries.push_back(XlatEntry{f.first, nullptr});
      }
      for (size_t i = 0; i < entries.size(); i++) entries[i].name = names[i].c_str();
    }
    static Xlat x{entries.data(), entries.size(), XLAT_VALUE};
    return &x;
  }();
  return *table;
}

// The message types of each netlink protocol strace 6.1 knows, and the name an unknown one gets.
struct ProtoTypes {
  long proto;
  const Xlat* types;
  const char* unknown;
};
constexpr ProtoTypes kProtoTypes[] = {
    {NETLINK_AUDIT, &xlat_nl_audit_types, "AUDIT_???"},
    {NETLINK_CRYPTO, &xlat_nl_crypto_types, "CRYPTO_MSG_???"},
    {NETLINK_ROUTE, &xlat_nl_route_types, "RTM_???"},
    {NETLINK_SELINUX, &xlat_nl_selinux_types, "SELNL_MSG_???"},
    {NETLINK_SOCK_DIAG, &xlat_nl_sock_diag_types, "SOCK_DIAG_???"},
    {NETLINK_XFRM, &xlat_nl_xfrm_types, "XFRM_MSG_???"},
};

// A NETLINK_NETFILTER message type is a subsystem (high byte) and that subsystem's own type.
struct NfSubsys {
  unsigned id;
  const Xlat* types;
  const char* unknown;
};
constexpr NfSubsys kNfSubsys[] = {
    {NFNL_SUBSYS_CTNETLINK, &xlat_nf_ctnetlink_msg_types, "IPCTNL_MSG_CT_???"},
    {NFNL_SUBSYS_CTNETLINK_EXP, &xlat_nf_ctnetlink_exp_msg_types, "IPCTNL_MSG_EXP_???"},
    {NFNL_SUBSYS_QUEUE, &xlat_nf_queue_msg_types, "NFQNL_MSG_???"},
    {NFNL_SUBSYS_ULOG, &xlat_nf_ulog_msg_types, "NFULNL_MSG_???"},
    {NFNL_SUBSYS_OSF, &xlat_nf_osf_msg_types, "OSF_MSG_???"},
    {NFNL_SUBSYS_IPSET, &xlat_nf_ipset_msg_types, "IPSET_CMD_???"},
    {NFNL_SUBSYS_ACCT, &xlat_nf_acct_msg_types, "NFNL_MSG_ACCT_???"},
    {NFNL_SUBSYS_CTNETLINK_TIMEOUT, &xlat_nf_cttimeout_msg_types, "IPCTNL_MSG_TIMEOUT_???"},
    {NFNL_SUBSYS_CTHELPER, &xlat_nf_cthelper_msg_types, "NFNL_MSG_CTHELPER_???"},
    {NFNL_SUBSYS_NFTABLES, &xlat_nf_nftables_msg_types, "NFT_MSG_???"},
    {NFNL_SUBSYS_NFT_COMPAT, &xlat_nf_nft_compat_msg_types, "NFNL_MSG_COMPAT_???"},
    {NFNL_SUBSYS_HOOK, &xlat_nf_hook_msg_types, "NFT_MSG_HOOK_???"},
};

const NfSubsys* nf_subsys(unsigned id) {
  for (const NfSubsys& s : kNfSubsys)
    if (s.id == id) return &s;
  return nullptr;
}

// NETLINK_NETFILTER: the batch messages by name, else SUBSYS<<8|TYPE.
void print_nf_msg_type(const Call& c, unsigned type) {
  if (const char* batch = xlat_lookup(xlat_nl_netfilter_msg_types, type)) {
    print_const(c, type, batch);
    return;
  }
  const unsigned subsys = type >> 8, msg = type & 0xff;
  print_xval(c, xlat_nl_netfilter_subsys_ids, subsys, "NFNL_SUBSYS_???");
  c.print("<<8|");
  if (const NfSubsys* s = nf_subsys(subsys))
    print_xval(c, *s->types, msg, s->unknown);
  else
    c.printf("%#x", msg);
}

// nlmsg_type: control messages by their NLMSG_ names, the rest by the protocol's own names.
void print_msg_type(const Call& c, long proto, unsigned type) {
  if (type >= NLMSG_MIN_TYPE) {
    if (proto == NETLINK_NETFILTER) return print_nf_msg_type(c, type);
    if (proto == NETLINK_GENERIC) return print_xval(c, genl_families(), type, "GENERIC_FAMILY_???");
    for (const ProtoTypes& p : kProtoTypes)
      if (p.proto == proto) return print_xval(c, *p.types, type, p.unknown);
  }
  print_xval(c, xlat_netlink_msg_types, type, "NLMSG_???");
}

// The NEW/DEL/GET kind of a request, which says what its flag bits beyond the common ones mean.
enum ReqKind { REQ_OTHER, REQ_NEW, REQ_DEL, REQ_GET };

ReqKind nf_request_kind(unsigned type) {
  const unsigned msg = type & 0xff;
  switch (type >> 8) {
    case NFNL_SUBSYS_CTNETLINK:
      switch (msg) {
        case IPCTNL_MSG_CT_NEW: return REQ_NEW;
        case IPCTNL_MSG_CT_GET:
        case IPCTNL_MSG_CT_GET_CTRZERO:
        case IPCTNL_MSG_CT_GET_STATS_CPU:
        case IPCTNL_MSG_CT_GET_STATS:
        case IPCTNL_MSG_CT_GET_DYING:
        case IPCTNL_MSG_CT_GET_UNCONFIRMED: return REQ_GET;
        case IPCTNL_MSG_CT_DELETE: return REQ_DEL;
      }
      break;
    case NFNL_SUBSYS_CTNETLINK_EXP:
      switch (msg) {
        case IPCTNL_MSG_EXP_NEW: return REQ_NEW;
        case IPCTNL_MSG_EXP_GET:
        case IPCTNL_MSG_EXP_GET_STATS_CPU: return REQ_GET;
        case IPCTNL_MSG_EXP_DELETE: return REQ_DEL;
      }
      break;
    case NFNL_SUBSYS_ACCT:
      switch (msg) {
        case NFNL_MSG_ACCT_NEW: return REQ_NEW;
        case NFNL_MSG_ACCT_GET:
        case NFNL_MSG_ACCT_GET_CTRZERO: return REQ_GET;
        case NFNL_MSG_ACCT_DEL: return REQ_DEL;
      }
      break;
    case NFNL_SUBSYS_CTNETLINK_TIMEOUT:
      switch (msg) {
        case IPCTNL_MSG_TIMEOUT_NEW: return REQ_NEW;
        case IPCTNL_MSG_TIMEOUT_GET: return REQ_GET;
        case IPCTNL_MSG_TIMEOUT_DELETE: return REQ_DEL;
      }
      break;
    case NFNL_SUBSYS_CTHELPER:
      switch (msg) {
        case NFNL_MSG_CTHELPER_NEW: return REQ_NEW;
        case NFNL_MSG_CTHELPER_GET: return REQ_GET;
        case NFNL_MSG_CTHELPER_DEL: return REQ_DEL;
      }
      break;
    case NFNL_SUBSYS_NFTABLES:
      switch (msg) {
        case NFT_MSG_NEWTABLE:
        case NFT_MSG_NEWCHAIN:
        case NFT_MSG_NEWRULE:
        case NFT_MSG_NEWSET:
        case NFT_MSG_NEWSETELEM:
        case NFT_MSG_NEWGEN:
        case NFT_MSG_NEWOBJ:
        case NFT_MSG_NEWFLOWTABLE: return REQ_NEW;
        case NFT_MSG_GETTABLE:
        case NFT_MSG_GETCHAIN:
        case NFT_MSG_GETRULE:
        case NFT_MSG_GETSET:
        case NFT_MSG_GETSETELEM:
        case NFT_MSG_GETGEN:
        case NFT_MSG_GETOBJ:
        case NFT_MSG_GETOBJ_RESET:
        case NFT_MSG_GETFLOWTABLE: return REQ_GET;
        case NFT_MSG_DELTABLE:
        case NFT_MSG_DELCHAIN:
        case NFT_MSG_DELRULE:
        case NFT_MSG_DELSET:
        case NFT_MSG_DELSETELEM:
        case NFT_MSG_DELOBJ:
        case NFT_MSG_DELFLOWTABLE: return REQ_DEL;
      }
      break;
    case NFNL_SUBSYS_NFT_COMPAT:
      if (msg == NFNL_MSG_COMPAT_GET) return REQ_GET;
      break;
    case NFNL_SUBSYS_HOOK:
      if (msg == NFNL_MSG_HOOK_GET) return REQ_GET;
      break;
  }
  return REQ_OTHER;
}

ReqKind request_kind(long proto, unsigned type) {
  switch (proto) {
    case NETLINK_SOCK_DIAG: return REQ_GET;
    case NETLINK_ROUTE:
      if (type == RTM_DELACTION) return REQ_GET;  // RTM_DELACTION takes NLM_F_ROOT
      return (type & 3) == 0 ? REQ_NEW : (type & 3) == 1 ? REQ_DEL : (type & 3) == 2 ? REQ_GET : REQ_OTHER;
    case NETLINK_NETFILTER: return nf_request_kind(type);
    case NETLINK_CRYPTO:
      switch (type) {
        case CRYPTO_MSG_NEWALG: return REQ_NEW;
        case CRYPTO_MSG_DELALG:
        case CRYPTO_MSG_DELRNG: return REQ_DEL;
        case CRYPTO_MSG_GETALG: return REQ_GET;
      }
      return REQ_OTHER;
    case NETLINK_XFRM:
      switch (type) {
        case XFRM_MSG_NEWSA:
        case XFRM_MSG_NEWPOLICY:
        case XFRM_MSG_NEWAE:
        case XFRM_MSG_NEWSADINFO:
        case XFRM_MSG_NEWSPDINFO: return REQ_NEW;
        case XFRM_MSG_DELSA:
        case XFRM_MSG_DELPOLICY: return REQ_DEL;
        case XFRM_MSG_GETSA:
        case XFRM_MSG_GETPOLICY:
        case XFRM_MSG_GETAE:
        case XFRM_MSG_GETSADINFO:
        case XFRM_MSG_GETSPDINFO: return REQ_GET;
      }
      return REQ_OTHER;
  }
  return REQ_OTHER;
}

// nlmsg_flags: the common bits, then those whose meaning depends on the kind of request.
void print_msg_flags(const Call& c, long proto, unsigned type, unsigned flags) {
  const Xlat* extra = nullptr;
  if (type < NLMSG_MIN_TYPE) {
    if (type == NLMSG_ERROR) extra = &xlat_netlink_ack_flags;
  } else {
    switch (request_kind(proto, type)) {
      case REQ_NEW: extra = &xlat_netlink_new_flags; break;
      case REQ_DEL: extra = &xlat_netlink_delete_flags; break;
      case REQ_GET: extra = &xlat_netlink_get_flags; break;
      case REQ_OTHER: break;
    }
  }
  // Named bits are a composite value (-X raw: the number; -X verbose: the number, then the names).
  bool named = false;
  for (const Xlat* x : {&xlat_netlink_flags, extra})
    for (size_t i = 0; x && i < x->n && !named; i++)
      if (x->e[i].val && (flags & x->e[i].val) == x->e[i].val) named = true;
  if (!named) {
    print_val(c, flags, FMT_HEX);
    if (flags && xstyle(c) != XLAT_RAW) c.print(" /* NLM_F_??? */");
    return;
  }
  print_composite(c, flags, FMT_HEX, [&] {
    unsigned left = flags;
    bool any = false;
    for (const Xlat* x : {&xlat_netlink_flags, extra}) {
      if (!x) continue;
      for (size_t i = 0; i < x->n && left; i++) {
        const unsigned v = static_cast<unsigned>(x->e[i].val);
        if (!v || (left & v) != v) continue;
        if (any) c.printc('|');
        c.print(x->e[i].name);
        left &= ~v;
        any = true;
      }
    }
    if (left) c.printf("|%#x", left);
  });
}

void print_nlmsghdr(const Call& c, long proto, const nlmsghdr& h) {
  c.printf("{nlmsg_len=%u, nlmsg_type=", h.nlmsg_len);
  print_msg_type(c, proto, h.nlmsg_type);
  c.print(", nlmsg_flags=");
  print_msg_flags(c, proto, h.nlmsg_type, h.nlmsg_flags);
  c.printf(", nlmsg_seq=%u, nlmsg_pid=", h.nlmsg_seq);
  print_pid(c, static_cast<int>(h.nlmsg_pid), PT_TGID);
  c.printc('}');
}

// NETLINK_SELINUX: the two notifications the kernel sends, each a single number.
bool print_selinux_payload(const Call& c, unsigned type, uint64_t addr, uint64_t len) {
  if (type != SELNL_MSG_SETENFORCE && type != SELNL_MSG_POLICYLOAD) return false;
  uint32_t v;
  if (len < sizeof v)
    print_buf_hex(c, addr, len);
  else if (!read_obj(c, addr, &v))
    print_addr(c, addr);
  else if (type == SELNL_MSG_SETENFORCE)
    c.printf("{val=%d}", static_cast<int32_t>(v));
  else
    c.printf("{seqno=%u}", v);
  return true;
}

// NETLINK_NETFILTER: struct nfgenmsg, then attributes (the bytes in hex for the batch messages).
bool print_netfilter_payload(const Call& c, unsigned type, uint64_t addr, uint64_t len) {
  if (type == NLMSG_DONE) return false;
  nfgenmsg m;
  if (len < sizeof m) {
    print_buf_hex(c, addr, len);
    return true;
  }
  if (!read_obj(c, addr, &m)) {
    print_addr(c, addr);
    return true;
  }
  c.print("{nfgen_family=");
  print_xval(c, xlat_address_families, m.nfgen_family, "AF_???");
  c.print(", version=");
  print_xval(c, xlat_netfilter_versions, m.version, "NFNETLINK_???");
  // res_id is big-endian, but nftables long sent its subsystem id in host order: both by name.
  c.print(", res_id=");
  const unsigned res = ntohs(m.res_id);
  const bool nft = (type >> 8) == NFNL_SUBSYS_NFTABLES;
  if (nft && res == NFNL_SUBSYS_NFTABLES)
    print_const(c, m.res_id, "htons(NFNL_SUBSYS_NFTABLES)");
  else if (nft && m.res_id == NFNL_SUBSYS_NFTABLES)
    print_const(c, m.res_id, "NFNL_SUBSYS_NFTABLES");
  else
    c.printf("htons(%u)", res);
  c.printc('}');
  const uint64_t off = NLMSG_ALIGN(sizeof m);
  if (len > off) {
    sep(c);
    if (type < NLMSG_MIN_TYPE || type == NFNL_MSG_BATCH_BEGIN || type == NFNL_MSG_BATCH_END)
      print_buf_hex(c, addr + off, len - off);
    else
      print_attrs(c, addr + off, len - off, AttrTable{nullptr, nullptr, nullptr, 0}, nullptr);
  }
  return true;
}

// struct nlmsgerr: the error, the message it answers, and any extended-ack attributes after it.
void print_nlmsgerr(const Call& c, long proto, uint64_t addr, uint64_t len, bool capped) {
  nlmsgerr err;
  if (len < sizeof err) {
    print_buf_hex(c, addr, len);
    return;
  }
  if (!read_obj(c, addr, &err)) {
    print_addr(c, addr);
    return;
  }
  const uint64_t msg_addr = addr + offsetof(nlmsgerr, msg);
  const uint64_t left = len - offsetof(nlmsgerr, msg);
  // An nlmsg_len below the header's size is invalid: the header's size stands for it.
  uint64_t payload = capped ? sizeof(nlmsghdr) : std::max<uint64_t>(sizeof(nlmsghdr), err.msg.nlmsg_len);
  if (payload > left) payload = left;
  const bool attrs = left > payload;
  if (attrs) c.printc('[');
  c.print("{error=");
  const char* name = err.error < 0 ? errno_name(-err.error) : nullptr;
  if (name)
    c.printf("-%s", name);
  else
    c.printf("%d", err.error);
  c.print(", msg=");
  print_message(c, proto, err.msg, msg_addr, payload);
  c.printc('}');
  if (attrs) {
    sep(c);
    print_attrs(c, msg_addr + payload, left - payload, kNlmsgerrTable, nullptr);
    c.printc(']');
  }
}

void print_payload(const Call& c, long proto, const nlmsghdr& h, uint64_t addr, uint64_t len) {
  if (h.nlmsg_type == NLMSG_ERROR) {
    print_nlmsgerr(c, proto, addr, len, h.nlmsg_flags & NLM_F_CAPPED);
    return;
  }
  if (h.nlmsg_type >= NLMSG_MIN_TYPE && proto == NETLINK_ROUTE) {
    print_route_payload(c, h.nlmsg_type, addr, len);
    return;
  }
  if (h.nlmsg_type >= NLMSG_MIN_TYPE && proto == NETLINK_SOCK_DIAG) {
    print_sock_diag_payload(c, h, addr, len);
    return;
  }
  // NLMSG_DONE goes to the protocol's decoder too: some protocols put more than a number in it.
  if (h.nlmsg_type >= NLMSG_MIN_TYPE || h.nlmsg_type == NLMSG_DONE) {
    if (proto == NETLINK_SELINUX && print_selinux_payload(c, h.nlmsg_type, addr, len)) return;
    if (proto == NETLINK_NETFILTER && print_netfilter_payload(c, h.nlmsg_type, addr, len)) return;
  }
  if (h.nlmsg_type == NLMSG_DONE && len == sizeof(int)) {
    int v;
    if (read_obj(c, addr, &v))
      c.printf("%d", v);
    else
      print_addr(c, addr);
    return;
  }
  print_buf_hex(c, addr, len);
}

// One message: its header alone, or [header, payload] when it has one.
void print_message(const Call& c, long proto, const nlmsghdr& h, uint64_t addr, uint64_t len) {
  const uint64_t n = h.nlmsg_len < len ? h.nlmsg_len : len;
  if (n > NLMSG_HDRLEN) c.printc('[');
  print_nlmsghdr(c, proto, h);
  if (n <= NLMSG_HDRLEN) return;
  sep(c);
  print_payload(c, proto, h, addr + NLMSG_HDRLEN, n - NLMSG_HDRLEN);
  c.printc(']');
}

// NETLINK_KOBJECT_UEVENT carries no netlink headers: udev's own header (struct
// udev_monitor_netlink_header of libudev, prefix "libudev") and the properties after it, or the
// kernel's text uevents, which show as a string.
void print_kobject_uevent(const Call& c, uint64_t addr, uint64_t len) {
  struct {
    char prefix[8];
    uint32_t magic, header_size, properties_off, properties_len;
    uint32_t filter_subsystem_hash, filter_devtype_hash, filter_tag_bloom_hi, filter_tag_bloom_lo;
  } uh;
  if (!structs_decoded(c) || c.failed() || !addr || len < sizeof uh || !read_obj(c, addr, &uh) ||
      strncmp(uh.prefix, "libudev", sizeof uh.prefix) != 0) {
    print_buf(c, addr, len);
    return;
  }
  const bool more = len > sizeof uh;
  if (more) c.printc('[');
  Fields f(c);
  f.cstr("prefix", uh.prefix);
  f.f("magic").printf("htonl(%#x)", ntohl(uh.magic));
  f.u("header_size", uh.header_size);
  f.u("properties_off", uh.properties_off);
  f.u("properties_len", uh.properties_len);
  f.f("filter_subsystem_hash").printf("htonl(%#x)", ntohl(uh.filter_subsystem_hash));
  f.f("filter_devtype_hash").printf("htonl(%#x)", ntohl(uh.filter_devtype_hash));
  f.f("filter_tag_bloom_hi").printf("htonl(%#x)", ntohl(uh.filter_tag_bloom_hi));
  f.f("filter_tag_bloom_lo").printf("htonl(%#x)", ntohl(uh.filter_tag_bloom_lo));
  f.end();
  if (more) {
    c.print(", ");
    print_buf(c, addr + sizeof uh, len - sizeof uh);
    c.printc(']');
  }
}

}  // namespace

void print_netlink(const Call& c, int fd, uint64_t addr, uint64_t len) {
  const long proto = netlink_protocol(c, fd);
  if (proto == NETLINK_KOBJECT_UEVENT) {
    print_kobject_uevent(c, addr, len);
    return;
  }
  print_sequence<NlMsg>(c, addr, len, NLMSG_ALIGNTO, [&](uint64_t at, const NlMsg& h, uint64_t left) {
    print_message(c, proto, h, at, left);
  });
}

}  // namespace net
}  // namespace decode
