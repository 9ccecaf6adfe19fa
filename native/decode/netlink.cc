// Netlink messages in the buffers of socket calls on netlink sockets, printed as strace 6.1 prints
// them: the nlmsghdr of each message, then its payload. Decoded payloads: NLMSG_ERROR and NLMSG_DONE
// for every family, and the NETLINK_ROUTE address messages (RTM_{NEW,DEL,GET}ADDR, what getaddrinfo()
// asks for) with their attributes. Other payloads show as strace shows payloads it has no decoder
// for: hex bytes (or {family=..., data=...} for other NETLINK_ROUTE messages).
#include "decoder.h"
#include "net_internal.h"

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

// Arrays of netlink messages and of attributes share one layout: a single element alone, several in
// brackets; a tail too short for a header as hex bytes; an unreadable element as "... /* 0x... */".
// Each element's header is read and handed to print_one(addr, header, len_left); it returns the
// element's length as the header gives it (0 when it cannot be used to find the next one).
template <typename Hdr, typename PrintOne>
void print_sequence(const Call& c, uint64_t addr, uint64_t len, size_t align, PrintOne print_one) {
  const size_t limit = array_print_limit(c);
  bool array = false;
  for (size_t elt = 0;; elt++) {
    Hdr h;
    if (len < sizeof h) {
      print_buf_hex(c, addr, len);
      break;
    }
    if (!read_obj(c, addr, &h)) {
      if (array) {
        c.print("... /* ");
        print_addr(c, addr);
        c.print(" */");
      } else {
        print_addr(c, addr);
      }
      break;
    }
    if (elt == limit) {
      c.print("...");
      break;
    }
    const uint64_t own = h.*(Hdr::kLen);
    const uint64_t step = (own + align - 1) & ~static_cast<uint64_t>(align - 1);
    uint64_t next_len = 0;
    if (own >= sizeof h) next_len = len >= step ? len - step : 0;
    if (!array && next_len) {
      c.printc('[');
      array = true;
    }
    print_one(addr, h, len);
    if (!next_len) break;
    sep(c);
    addr += step;
    len = next_len;
  }
  if (array) c.printc(']');
}

struct NlMsg : nlmsghdr {
  static constexpr uint32_t nlmsghdr::*kLen = &nlmsghdr::nlmsg_len;
};
struct NlAttr : nlattr {
  static constexpr uint16_t nlattr::*kLen = &nlattr::nla_len;
};

// ---------------------------------------------------------------- attributes

// Decodes one attribute's payload; false leaves it to the hex fallback.
using AttrDecoder = bool (*)(const Call& c, uint64_t addr, uint64_t len, const void* ctx);

struct AttrTable {
  const Xlat* names;
  const char* unknown;
  AttrDecoder (*decoder_for)(unsigned type);
  const void* ctx;
};

void print_attrs(const Call& c, uint64_t addr, uint64_t len, const AttrTable& t) {
  print_sequence<NlAttr>(c, addr, len, NLA_ALIGNTO, [&](uint64_t at, const NlAttr& a, uint64_t left) {
    const uint64_t n = a.nla_len < left ? a.nla_len : left;
    if (n > NLA_HDRLEN) c.printc('[');
    c.printf("{nla_len=%u, nla_type=", a.nla_len);
    if (a.nla_type & NLA_F_NESTED) c.print("NLA_F_NESTED|");
    if (a.nla_type & NLA_F_NET_BYTEORDER) c.print("NLA_F_NET_BYTEORDER|");
    const unsigned type = a.nla_type & NLA_TYPE_MASK;
    if (t.names)
      print_xval(c, *t.names, type, t.unknown);
    else
      c.printf("%#x", type);
    c.printc('}');
    if (n <= NLA_HDRLEN) return;
    sep(c);
    AttrDecoder d = t.decoder_for ? t.decoder_for(type) : nullptr;
    if (!d || !d(c, at + NLA_HDRLEN, n - NLA_HDRLEN, t.ctx)) print_buf_hex(c, at + NLA_HDRLEN, n - NLA_HDRLEN);
    c.printc(']');
  });
}

// A string attribute: its bytes without the terminating NUL, "..." after them when the NUL is
// missing or -s cut the string.
bool attr_str(const Call& c, uint64_t addr, uint64_t len, const void*) {
  const unsigned max = c.opts ? c.opts->strsize : Options().strsize;
  const size_t size = len > max ? max : static_cast<size_t>(len);
  std::string s(size, '\0');
  if (size && !read_mem(c, addr, &s[0], size)) {
    print_addr(c, addr);
    return true;
  }
  const bool terminated = size && s[size - 1] == '\0';
  if (terminated) s.resize(size - 1);
  print_quoted(c, s.data(), s.size(), !terminated || len > max);
  return true;
}

template <typename T>
bool read_attr(const Call& c, uint64_t addr, uint64_t len, T* v) {
  if (len < sizeof(T)) return false;
  if (!read_obj(c, addr, v)) {
    print_addr(c, addr);
    return false;
  }
  return true;
}

bool attr_u32(const Call& c, uint64_t addr, uint64_t len, const void*) {
  uint32_t v;
  if (len < sizeof v) return false;
  if (read_attr(c, addr, len, &v)) c.printf("%u", v);
  return true;
}

bool attr_s32(const Call& c, uint64_t addr, uint64_t len, const void*) {
  int32_t v;
  if (len < sizeof v) return false;
  if (read_attr(c, addr, len, &v)) c.printf("%d", v);
  return true;
}

// An address attribute of an ifaddrmsg: its family says IPv4 or IPv6.
bool attr_ifa_address(const Call& c, uint64_t addr, uint64_t len, const void* ctx) {
  const ifaddrmsg* ifa = static_cast<const ifaddrmsg*>(ctx);
  if (ifa->ifa_family == AF_INET && len >= sizeof(in_addr)) {
    in_addr a;
    if (read_attr(c, addr, len, &a)) print_inet_addr(c, a);
    return true;
  }
  if (ifa->ifa_family == AF_INET6 && len >= sizeof(in6_addr)) {
    in6_addr a;
    if (read_attr(c, addr, len, &a)) print_inet6_addr(c, a, nullptr);
    return true;
  }
  return false;
}

bool attr_ifa_cacheinfo(const Call& c, uint64_t addr, uint64_t len, const void*) {
  ifa_cacheinfo ci;
  if (len < sizeof ci) return false;
  if (read_attr(c, addr, len, &ci))
    c.printf("{ifa_prefered=%u, ifa_valid=%u, cstamp=%u, tstamp=%u}", ci.ifa_prefered, ci.ifa_valid, ci.cstamp,
             ci.tstamp);
  return true;
}

bool attr_ifa_flags(const Call& c, uint64_t addr, uint64_t len, const void*) {
  uint32_t v;
  if (len < sizeof v || len > sizeof(uint64_t)) return false;
  if (read_attr(c, addr, len, &v)) print_flags_or_unknown(c, xlat_ifaddr_flags, v, "IFA_F_???");
  return true;
}

AttrDecoder ifa_decoder(unsigned type) {
  switch (type) {
    case IFA_ADDRESS:
    case IFA_LOCAL:
    case IFA_BROADCAST:
    case IFA_ANYCAST:
    case IFA_MULTICAST: return attr_ifa_address;
    case IFA_LABEL: return attr_str;
    case IFA_CACHEINFO: return attr_ifa_cacheinfo;
    case IFA_FLAGS: return attr_ifa_flags;
    case IFA_RT_PRIORITY: return attr_u32;
    case IFA_TARGET_NETNSID: return attr_s32;
    default: return nullptr;  // IFA_PROTO and newer: hex, as strace 6.1 shows them
  }
}

// NLMSGERR_ATTR_COOKIE: the bytes as decimal numbers.
bool attr_cookie(const Call& c, uint64_t addr, uint64_t len, const void*) {
  print_array<uint8_t>(c, addr, len, [&](uint8_t b) { c.printf("%u", b); });
  return true;
}

AttrDecoder nlmsgerr_decoder(unsigned type) {
  switch (type) {
    case NLMSGERR_ATTR_MSG: return attr_str;
    case NLMSGERR_ATTR_OFFS: return attr_u32;
    case NLMSGERR_ATTR_COOKIE: return attr_cookie;
    default: return nullptr;
  }
}

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
  if (any && left) c.printf("|%#x", left);
  else if (!any && flags) c.printf("%#x /* NLM_F_??? */", flags);
  else if (!any) c.printc('0');
}

void print_nlmsghdr(const Call& c, long proto, const nlmsghdr& h) {
  c.printf("{nlmsg_len=%u, nlmsg_type=", h.nlmsg_len);
  print_msg_type(c, proto, h.nlmsg_type);
  c.print(", nlmsg_flags=");
  print_msg_flags(c, proto, h.nlmsg_type, h.nlmsg_flags);
  c.printf(", nlmsg_seq=%u, nlmsg_pid=%d}", h.nlmsg_seq, static_cast<int>(h.nlmsg_pid));
}

// struct ifaddrmsg and its attributes; a payload too short for it shows only the family.
void print_ifaddrmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  ifaddrmsg ifa = {};
  ifa.ifa_family = family;
  c.print("{ifa_family=");
  print_xval(c, xlat_address_families, family, "AF_???");
  sep(c);
  bool attrs = false;
  if (len >= sizeof ifa) {
    if (!read_mem(c, addr + 1, reinterpret_cast<char*>(&ifa) + 1, sizeof ifa - 1)) {
      print_addr(c, addr + 1);
    } else {
      c.printf("ifa_prefixlen=%u, ifa_flags=", ifa.ifa_prefixlen);
      print_flags_or_unknown(c, xlat_ifaddr_flags, ifa.ifa_flags, "IFA_F_???");
      c.print(", ifa_scope=");
      print_xval(c, xlat_routing_scopes, ifa.ifa_scope);
      c.print(", ifa_index=");
      print_ifindex(c, ifa.ifa_index);
      attrs = true;
    }
  } else {
    c.print("...");
  }
  c.printc('}');
  const uint64_t off = NLMSG_ALIGN(sizeof ifa);
  if (attrs && len > off) {
    sep(c);
    print_attrs(c, addr + off, len - off, AttrTable{&xlat_rtnl_addr_attrs, "IFA_???", ifa_decoder, &ifa});
  }
}

// NETLINK_ROUTE payloads: the address messages in full; others as {family=AF_..., data="..."}.
void print_route_payload(const Call& c, unsigned type, uint64_t addr, uint64_t len) {
  uint8_t family;
  if (!read_obj(c, addr, &family)) {
    print_addr(c, addr);
    return;
  }
  switch (type) {
    case RTM_NEWADDR:
    case RTM_DELADDR:
    case RTM_GETADDR:
    case RTM_GETMULTICAST:
    case RTM_GETANYCAST:
      print_ifaddrmsg(c, family, addr, len);
      return;
    default:
      c.print("{family=");
      print_xval(c, xlat_address_families, family, "AF_???");
      if (len > 1) {
        c.print(", data=");
        print_buf_hex(c, addr + 1, len - 1);
      }
      c.printc('}');
  }
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
      print_attrs(c, addr + off, len - off, AttrTable{nullptr, nullptr, nullptr, nullptr});
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
    print_attrs(c, msg_addr + payload, left - payload,
                AttrTable{&xlat_nlmsgerr_attrs, "NLMSGERR_ATTR_???", nlmsgerr_decoder, nullptr});
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

}  // namespace

void print_netlink(const Call& c, int fd, uint64_t addr, uint64_t len) {
  const long proto = netlink_protocol(c, fd);
  print_sequence<NlMsg>(c, addr, len, NLMSG_ALIGNTO, [&](uint64_t at, const NlMsg& h, uint64_t left) {
    print_message(c, proto, h, at, left);
  });
}

}  // namespace net
}  // namespace decode
