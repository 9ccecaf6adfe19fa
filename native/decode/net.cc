// The network family: sockets, addresses, messages and socket options, printed the way strace 6.1
// prints them (the rules below were read off the installed strace's output for each case). Also the
// shared socket-address printer, print_sockaddr.
#include "decoder.h"
#include "net_internal.h"

#include <arpa/inet.h>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <linux/ax25.h>
#include <linux/filter.h>
#include <linux/if_alg.h>
#include <netinet/ip_icmp.h>
#include <linux/if_packet.h>
#include <linux/rxrpc.h>
#include <linux/if_xdp.h>
#include <linux/nfc.h>
#include <linux/qrtr.h>
#include <linux/vm_sockets.h>
#include <linux/x25.h>
#include <netipx/ipx.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../tables/generated/xlat.h"

namespace decode {

namespace net {

// strace quotes partial integers, struct fields and unknown netlink payloads in hex: the same call
// with -xx in effect.
void print_inet_addr_bytes(const Call& c, unsigned af, const void* bytes, size_t size, const char* field) {
  const size_t need = af == AF_INET ? sizeof(in_addr) : af == AF_INET6 ? sizeof(in6_addr) : 0;
  const XlatStyle st = xstyle(c);
  if (!need || size < need) {
    if (field) c.printf("%s=", field);
    print_hex_bytes(c, bytes, size);
    return;
  }
  // An IPv6 field is named inside inet_pton(..., &field) when the bytes are not shown.
  if (field && (af == AF_INET || st != XLAT_ABBREV)) c.printf("%s=", field);
  print_net_value(c, bytes, size, [&] {
    if (af == AF_INET) {
      in_addr a;
      memcpy(&a, bytes, sizeof a);
      print_inet_addr(c, a);
    } else {
      in6_addr a;
      memcpy(&a, bytes, sizeof a);
      print_inet6_addr(c, a, st == XLAT_ABBREV ? field : nullptr);
    }
  });
}

// -X raw prints the number alone, -X verbose the number with the name in a comment.
void print_ifindex(const Call& c, unsigned idx) {
  char name[IF_NAMESIZE + 1];
  if (idx && if_indextoname(idx, name)) {
    print_composite(c, idx, FMT_UDEC, [&] {
      c.print("if_nametoindex(");
      print_quoted(c, name, strlen(name), false);
      c.printc(')');
    });
    return;
  }
  c.printf("%u", idx);
}

// The address text goes through the string quoting like any string (-xx shows it in hex).
void print_inet_addr(const Call& c, const in_addr& a) {
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, text, sizeof text);
  c.print("inet_addr(");
  print_quoted(c, text, strlen(text), false);
  c.printc(')');
}

void print_inet6_addr(const Call& c, const in6_addr& a, const char* field) {
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &a, text, sizeof text);
  c.print("inet_pton(AF_INET6, ");
  print_quoted(c, text, strlen(text), false);
  if (field) c.printf(", &%s", field);
  c.printc(')');
}


void print_hwaddr_bytes(const Call& c, const uint8_t* b, size_t n) {
  print_net_value(c, b, n, [&] {
    for (size_t i = 0; i < n; i++) c.printf("%s%02x", i ? ":" : "", b[i]);
  });
}

// A load from the packet at a negative offset reads ancillary data (SKF_AD_OFF+SKF_AD_PROTOCOL),
// the network header (SKF_NET_OFF+8) or the link-layer header (SKF_LL_OFF+4).
bool print_sock_filter_k(const Call& c, const sock_filter& f) {
  if (BPF_CLASS(f.code) != BPF_LD || BPF_MODE(f.code) != BPF_ABS) return false;
  struct Base {
    uint32_t off;
    const char* name;
  };
  static const Base kBases[] = {{static_cast<uint32_t>(SKF_AD_OFF), "SKF_AD_OFF"},
                                {static_cast<uint32_t>(SKF_NET_OFF), "SKF_NET_OFF"},
                                {static_cast<uint32_t>(SKF_LL_OFF), "SKF_LL_OFF"}};
  for (const Base& b : kBases) {
    if (f.k < b.off) continue;
    print_const(c, b.off, b.name);
    c.printc('+');
    if (b.off == static_cast<uint32_t>(SKF_AD_OFF))
      print_xval(c, xlat_skf_ad, f.k - b.off, "SKF_AD_???");
    else
      c.printf("%u", f.k - b.off);
    return true;
  }
  return false;
}

}  // namespace net

namespace {

using namespace net;

void sep(const Call& c) { c.print(", "); }

// ---------------------------------------------------------------- socket addresses

constexpr int kFamilyLen = sizeof(sa_family_t);

// sockaddr_un: sun_path="/run/x" up to its NUL, or an abstract name @"name" with every byte.
void print_sa_unix(const Call& c, const unsigned char* buf, int len) {
  const char* path = reinterpret_cast<const char*>(buf) + kFamilyLen;
  int path_len = (len > static_cast<int>(sizeof(sockaddr_un)) ? static_cast<int>(sizeof(sockaddr_un)) : len) - kFamilyLen;
  c.print("sun_path=");
  if (path[0]) {
    size_t n = strnlen(path, static_cast<size_t>(path_len));
    print_quoted(c, path, n, false);
  } else {
    c.printc('@');
    print_quoted(c, path + 1, static_cast<size_t>(path_len - 1), false);
  }
}

void print_sa_inet(const Call& c, const unsigned char* buf) {
  sockaddr_in sin;
  memcpy(&sin, buf, sizeof sin);
  c.print("sin_port=");
  print_net_value(c, &sin.sin_port, sizeof sin.sin_port, [&] { c.printf("htons(%u)", ntohs(sin.sin_port)); });
  c.print(", ");
  print_inet_addr_bytes(c, AF_INET, &sin.sin_addr, sizeof sin.sin_addr, "sin_addr");
}

void print_sa_inet6(const Call& c, const unsigned char* buf, int len) {
  sockaddr_in6 sin6;
  memcpy(&sin6, buf, sizeof sin6);
  c.print("sin6_port=");
  print_net_value(c, &sin6.sin6_port, sizeof sin6.sin6_port, [&] { c.printf("htons(%u)", ntohs(sin6.sin6_port)); });
  c.print(", sin6_flowinfo=");
  print_net_value(c, &sin6.sin6_flowinfo, sizeof sin6.sin6_flowinfo,
                  [&] { c.printf("htonl(%u)", ntohl(sin6.sin6_flowinfo)); });
  c.print(", ");
  print_inet_addr_bytes(c, AF_INET6, &sin6.sin6_addr, sizeof sin6.sin6_addr, "sin6_addr");
  // The scope id is optional (the old, shorter sockaddr_in6 has none).
  if (len <= static_cast<int>(offsetof(sockaddr_in6, sin6_scope_id))) return;
  c.print(", sin6_scope_id=");
  if (IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr) || IN6_IS_ADDR_MC_LINKLOCAL(&sin6.sin6_addr))
    print_ifindex(c, sin6.sin6_scope_id);
  else
    c.printf("%u", sin6.sin6_scope_id);
}

void print_sa_netlink(const Call& c, const unsigned char* buf) {
  sockaddr_nl nl;
  memcpy(&nl, buf, sizeof nl);
  if (nl.nl_pad) c.printf("nl_pad=%#x, ", nl.nl_pad);
  // The port id of a process's first netlink socket is its pid: translated with --pidns-translation.
  c.print("nl_pid=");
  print_pid(c, static_cast<int>(nl.nl_pid), PT_TGID);
  c.printf(", nl_groups=%#08x", nl.nl_groups);
}

void print_sa_packet(const Call& c, const unsigned char* buf, int len) {
  sockaddr_ll ll;
  memcpy(&ll, buf, sizeof ll);
  c.print("sll_protocol=");
  print_net_value(c, &ll.sll_protocol, sizeof ll.sll_protocol, [&] {
    c.print("htons(");
    print_xval(c, xlat_ethernet_protocols, ntohs(ll.sll_protocol), "ETH_P_???");
    c.printc(')');
  });
  c.print(", sll_ifindex=");
  print_ifindex(c, static_cast<unsigned>(ll.sll_ifindex));
  c.print(", sll_hatype=");
  print_xval(c, xlat_arp_hardware_types, ll.sll_hatype, "ARPHRD_???");
  c.print(", sll_pkttype=");
  print_xval(c, xlat_packet_types, ll.sll_pkttype, "PACKET_???");
  c.printf(", sll_halen=%u", ll.sll_halen);
  if (!ll.sll_halen) return;
  // The hardware address may run past sll_addr[8] into the rest of the buffer, up to len.
  const int have = len - static_cast<int>(offsetof(sockaddr_ll, sll_addr));
  c.print(", sll_addr=[");
  for (int i = 0; i < ll.sll_halen; i++) {
    if (i) sep(c);
    if (i >= have) {
      c.print("...");
      break;
    }
    c.printf("%#02x", buf[offsetof(sockaddr_ll, sll_addr) + static_cast<size_t>(i)]);
  }
  c.printc(']');
}

void print_sa_vsock(const Call& c, const unsigned char* buf) {
  sockaddr_vm vm;
  memcpy(&vm, buf, sizeof vm);
  if (vm.svm_reserved1) c.printf("svm_reserved1=%#x, ", vm.svm_reserved1);
  c.print("svm_cid=");
  print_xval(c, xlat_vsock_cids, vm.svm_cid);
  c.print(", svm_port=");
  print_xval(c, xlat_vsock_ports, vm.svm_port);
  c.print(", svm_flags=");
  print_flags_or_unknown(c, xlat_vsock_flags, vm.svm_flags, "VMADDR_FLAG_???");
  static const unsigned char kZero[sizeof vm.svm_zero] = {};
  if (memcmp(vm.svm_zero, kZero, sizeof kZero) != 0) {
    c.print(", svm_zero=");
    print_hex_bytes(c, vm.svm_zero, sizeof vm.svm_zero);
  }
}

// A char array that should hold a NUL-terminated string: up to the NUL, or all but the last byte
// and "..." when there is none.
void print_char_array(const Call& c, const void* data, size_t size) {
  const char* s = static_cast<const char*>(data);
  const size_t n = strnlen(s, size);
  if (n < size)
    print_quoted(c, s, n, false);
  else
    print_quoted(c, s, size - 1, true);
}

// Crypto API flags, named in a comment after the number as strace does: 0x1000 /* NAME */.
void print_crypto_flags(const Call& c, uint32_t v) {
  if (!v || xstyle(c) == XLAT_RAW) {
    print_val(c, v, FMT_HEX);
    return;
  }
  c.printf("%#x /* ", v);
  uint32_t left = v;
  bool any = false;
  for (size_t i = 0; i < xlat_crypto_alg_flags.n; i++) {
    const uint32_t bit = static_cast<uint32_t>(xlat_crypto_alg_flags.e[i].val);
    if ((left & bit) != bit) continue;
    if (any) c.printc('|');
    c.print(xlat_crypto_alg_flags.e[i].name);
    left &= ~bit;
    any = true;
  }
  if (!any)
    c.print("CRYPTO_ALG_???");
  else if (left)
    c.printf("|%#x", left);
  c.print(" */");
}

void print_sa_alg(const Call& c, const unsigned char* buf, int len) {
  sockaddr_alg alg;
  memcpy(&alg, buf, sizeof alg);
  c.print("salg_type=");
  print_char_array(c, alg.salg_type, sizeof alg.salg_type);
  c.print(", salg_feat=");
  print_crypto_flags(c, alg.salg_feat);
  c.print(", salg_mask=");
  print_crypto_flags(c, alg.salg_mask);
  // The name is what the address's length holds of it, up to a NUL.
  c.print(", salg_name=");
  const size_t name_off = offsetof(sockaddr_alg, salg_name);
  print_char_array(c, alg.salg_name, std::min<size_t>(sizeof alg.salg_name, static_cast<size_t>(len) - name_off));
}

// A value whose names come from a kernel-internal header: the number, with its name (or dflt) in a
// comment even without -X verbose; -X raw: the number alone (strace's PRINT_FIELD_XVAL_VERBOSE).
void print_xval_verbose(const Call& c, const Xlat& x, uint64_t v, const char* dflt) {
  print_val(c, v, FMT_HEX);
  if (xstyle(c) == XLAT_RAW) return;
  const char* name = xlat_lookup(x, v);
  if (name || dflt) c.printf(" /* %s */", name ? name : dflt);
}

// sockaddr_rxrpc: the service, then the transport address (AF_INET or AF_INET6, else its bytes).
void print_sa_rxrpc(const Call& c, const unsigned char* buf, int len) {
  sockaddr_rxrpc sa;
  memcpy(&sa, buf, sizeof sa);
  c.print("srx_service=");
  print_xval_verbose(c, xlat_rxrpc_services, sa.srx_service, "???_SERVICE");
  c.print(", transport_type=");
  print_xval(c, xlat_socket_types, sa.transport_type, "SOCK_???");
  c.printf(", transport_len=%u, transport={", sa.transport_len);
  const int off = static_cast<int>(offsetof(sockaddr_rxrpc, transport));
  const int tlen = std::min<int>(sa.transport_len, len - off);
  const int rest = std::max(0, tlen - kFamilyLen);
  const char* rest_bytes = reinterpret_cast<const char*>(buf) + off + kFamilyLen;
  const sa_family_t family = sa.transport.family;
  if (family == AF_INET || family == AF_INET6) {
    const bool v4 = family == AF_INET;
    c.print(v4 ? "sin={sin_family=" : "sin6={sin6_family=");
    print_xval(c, xlat_address_families, family, "AF_???");
    const unsigned need = v4 ? sizeof(sockaddr_in) : offsetof(sockaddr_in6, sin6_scope_id);
    if (sa.transport_len >= need) {
      sep(c);
      if (v4)
        print_sa_inet(c, buf + off);
      else
        print_sa_inet6(c, buf + off, tlen);
    } else if (rest > 0) {
      sep(c);
      print_quoted(c, rest_bytes, static_cast<size_t>(rest), false);
    }
    c.printc('}');
  } else {
    c.print("family=");
    print_xval(c, xlat_address_families, family, "AF_???");
    if (rest > 0) {
      sep(c);
      print_quoted(c, rest_bytes, static_cast<size_t>(rest), false);
    }
  }
  c.printc('}');
}

// sockaddr_ieee802154 (its layout is kernel-internal): the address type, the PAN id, then a short
// address or a hardware address.
void print_sa_ieee802154(const Call& c, const unsigned char* buf) {
  struct {
    uint16_t family;
    int32_t addr_type;
    uint16_t pan_id;
    union {
      uint8_t hwaddr[8];
      uint16_t short_addr;
    };
  } sa;
  memcpy(&sa, buf, sizeof sa);
  enum { kNone = 0, kShort = 2 };
  static const XlatEntry kPanIds[] = {{0xffff, "IEEE802154_PANID_BROADCAST"}};
  static const XlatEntry kShortAddrs[] = {{0xffff, "IEEE802154_ADDR_BROADCAST"}, {0xfffe, "IEEE802154_ADDR_UNDEF"}};
  static const Xlat pan_ids{kPanIds, 1, XLAT_VALUE};
  static const Xlat short_addrs{kShortAddrs, 2, XLAT_VALUE};
  c.print("addr={addr_type=");
  print_xval_verbose(c, xlat_ieee802154_addr_types, static_cast<uint32_t>(sa.addr_type), "IEEE802154_ADDR_???");
  c.print(", pan_id=");
  print_xval_verbose(c, pan_ids, sa.pan_id, nullptr);
  if (sa.addr_type == kShort) {
    c.print(", short_addr=");
    print_xval_verbose(c, short_addrs, sa.short_addr, nullptr);
  } else if (sa.addr_type != kNone) {
    c.print(", hwaddr=");
    print_hwaddr_bytes(c, sa.hwaddr, sizeof sa.hwaddr);
  }
  c.printc('}');
}

// sockaddr_nfc, and sockaddr_nfc_llcp when the address is long enough for one.
void print_sa_nfc(const Call& c, const unsigned char* buf, int len) {
  sockaddr_nfc_llcp sa;
  memset(&sa, 0, sizeof sa);
  memcpy(&sa, buf, std::min<size_t>(sizeof sa, static_cast<size_t>(len)));
  c.print("dev_idx=");
  print_ifindex(c, sa.dev_idx);
  c.printf(", target_idx=%#x, nfc_protocol=", sa.target_idx);
  print_xval(c, xlat_nfc_sockaddr_protocols, sa.nfc_protocol, "NFC_PROTO_???");
  if (len < static_cast<int>(sizeof sa)) {
    if (len > static_cast<int>(sizeof(sockaddr_nfc))) c.print(", ...");
    return;
  }
  c.print(", dsap=");
  print_xval_verbose(c, xlat_nfc_saps, sa.dsap, nullptr);
  c.print(", ssap=");
  print_xval_verbose(c, xlat_nfc_saps, sa.ssap, nullptr);
  c.print(", service_name=");
  print_quoted(c, sa.service_name, std::min<size_t>(sizeof sa.service_name, sa.service_name_len), false);
  c.printf(", service_name_len=%zu", static_cast<size_t>(sa.service_name_len));
}

void print_sa_qrtr(const Call& c, const unsigned char* buf) {
  sockaddr_qrtr sa;
  memcpy(&sa, buf, sizeof sa);
  c.print("sq_node=");
  print_xval(c, xlat_qipcrtr_nodes, sa.sq_node);
  c.print(", sq_port=");
  print_xval(c, xlat_qipcrtr_ports, sa.sq_port);
}

void print_sa_xdp(const Call& c, const unsigned char* buf) {
  sockaddr_xdp sa;
  memcpy(&sa, buf, sizeof sa);
  c.print("sxdp_flags=");
  print_flags_or_unknown(c, xlat_xdp_sockaddr_flags, sa.sxdp_flags, "XDP_???");
  c.print(", sxdp_ifindex=");
  print_ifindex(c, sa.sxdp_ifindex);
  c.printf(", sxdp_queue_id=%u", sa.sxdp_queue_id);
  if (sa.sxdp_flags & XDP_SHARED_UMEM) {
    c.print(", sxdp_shared_umem_fd=");
    print_fd(c, static_cast<int>(sa.sxdp_shared_umem_fd));
  } else if (sa.sxdp_shared_umem_fd) {
    c.printf(", sxdp_shared_umem_fd=%#x", sa.sxdp_shared_umem_fd);
  }
}

// An AX.25 callsign: six characters shifted left by one, padded with spaces, then the SSID in
// bits 1-4 of the seventh byte. How sure we are that the bytes are one decides how it prints:
// VALID-13 (a sane callsign; "*" for the empty one), or its bytes {ax25_call="\x.."} followed by
// the text in a comment (odd but printable), or the bytes alone (a control character, or the '*'
// and '/' a comment could not hold). -X raw/verbose ask for the bytes of a sane one too.
XlatStyle ax25_address_style(const ax25_address& a) {
  XlatStyle st = XLAT_ABBREV;  // nothing odd seen (yet)
  bool space_seen = false, char_seen = false;
  const size_t n = sizeof a.ax25_call - 1;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = static_cast<unsigned char>(a.ax25_call[i]);
    if (ch & 1) st = XLAT_VERBOSE;  // the lowest bit must be clear
    ch >>= 1;
    if (ch == ' ')
      space_seen = true;
    else
      char_seen = true;
    if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == ' ')) st = XLAT_VERBOSE;
    if (ch != ' ' && space_seen) st = XLAT_VERBOSE;  // a character after the padding
    if (ch < ' ' || ch > 0x7e || ch == '*' || ch == '/') return XLAT_RAW;
  }
  const unsigned char ssid = static_cast<unsigned char>(a.ax25_call[n]);
  if (ssid & ~0x1e) st = XLAT_VERBOSE;
  if (!char_seen && ssid) st = XLAT_VERBOSE;
  return st;
}

void print_ax25_address(const Call& c, const ax25_address& a) {
  XlatStyle st = ax25_address_style(a);
  if (st == XLAT_ABBREV) st = xstyle(c);
  if (st != XLAT_ABBREV) {
    c.print("{ax25_call=");
    print_hex_bytes(c, a.ax25_call, sizeof a.ax25_call);
    c.printc('}');
  }
  if (st == XLAT_RAW) return;
  const size_t n = sizeof a.ax25_call - 1;
  size_t end = n;
  while (end && (static_cast<unsigned char>(a.ax25_call[end - 1]) >> 1) == ' ') end--;
  std::string text;
  for (size_t i = 0; i < end; i++) text += static_cast<char>(static_cast<unsigned char>(a.ax25_call[i]) >> 1);
  const unsigned ssid = (static_cast<unsigned char>(a.ax25_call[n]) >> 1) & 0xf;
  text += '-' + std::to_string(ssid);
  if (text == "-0") text = "*";  // no callsign, SSID 0: "any"
  if (st == XLAT_VERBOSE) c.print(" /* ");
  c.print(text.c_str());
  if (st == XLAT_VERBOSE) c.print(" */");
}

// sockaddr_ax25, or full_sockaddr_ax25 when it names digipeaters or is longer: the digipeaters the
// address holds of the ones it counts (up to AX25_MAX_DIGIS), "..." for those it cuts off and for
// bytes after the last whole one.
void print_sa_ax25(const Call& c, const unsigned char* buf, int len) {
  full_sockaddr_ax25 sa;
  memset(&sa, 0, sizeof sa);
  memcpy(&sa, buf, std::min<size_t>(sizeof sa, static_cast<size_t>(len)));
  const size_t ulen = static_cast<size_t>(len);
  const bool full = sa.fsa_ax25.sax25_ndigis != 0 || ulen > sizeof sa.fsa_ax25;
  if (full) c.print("fsa_ax25={");
  c.print("sax25_call=");
  print_ax25_address(c, sa.fsa_ax25.sax25_call);
  c.printf(", sax25_ndigis=%d", sa.fsa_ax25.sax25_ndigis);
  if (!full) return;
  c.printc('}');
  const size_t max = sizeof sa.fsa_digipeater / sizeof sa.fsa_digipeater[0];
  const size_t have = std::min((ulen - sizeof sa.fsa_ax25) / sizeof(ax25_address), max);
  const size_t want = std::min(static_cast<size_t>(std::max(sa.fsa_ax25.sax25_ndigis, 0)), max);
  if (want) {
    const size_t n = std::min(have, want);
    const size_t limit = array_print_limit(c);
    c.print(", fsa_digipeater=[");
    size_t i = 0;
    for (; i < n && i < limit; i++) {
      if (i) sep(c);
      print_ax25_address(c, sa.fsa_digipeater[i]);
    }
    if (i < n || want > have) c.print(i ? ", ..." : "...");
    c.printc(']');
  }
  if (ulen > have * sizeof(ax25_address) + sizeof sa.fsa_ax25) c.print(", ...");
}

// sockaddr_ipx: the port and network in network byte order, the node's six bytes, the packet type;
// sipx_zero only when it is not.
void print_sa_ipx(const Call& c, const unsigned char* buf) {
  sockaddr_ipx sa;
  memcpy(&sa, buf, sizeof sa);
  c.print("sipx_port=");
  print_net_value(c, &sa.sipx_port, sizeof sa.sipx_port, [&] { c.printf("htons(%u)", ntohs(sa.sipx_port)); });
  c.printf(", sipx_network=htonl(%#x), sipx_node=[", ntohl(sa.sipx_network));
  for (size_t i = 0; i < sizeof sa.sipx_node; i++) c.printf(i ? ", %#02x" : "%#02x", sa.sipx_node[i]);
  c.printf("], sipx_type=%#02x", sa.sipx_type);
  if (sa.sipx_zero) c.printf(", sipx_zero=%#x", sa.sipx_zero);
}

// sockaddr_x25: the X.121 address, a string of at most 15 digits.
void print_sa_x25(const Call& c, const unsigned char* buf) {
  sockaddr_x25 sa;
  memcpy(&sa, buf, sizeof sa);
  c.print("sx25_addr={x25_addr=");
  print_char_array(c, sa.sx25_addr.x25_addr, sizeof sa.sx25_addr.x25_addr);
  c.printc('}');
}

// struct sockaddr_mctp (<linux/mctp.h> cannot be included with <net/if.h>).
struct SockaddrMctp {
  uint16_t smctp_family;
  uint16_t __smctp_pad0;
  uint32_t smctp_network;
  struct {
    uint8_t s_addr;
  } smctp_addr;
  uint8_t smctp_type;
  uint8_t smctp_tag;
  uint8_t __smctp_pad1;
};

void print_sa_mctp(const Call& c, const unsigned char* buf) {
  SockaddrMctp sa;
  memcpy(&sa, buf, sizeof sa);
  if (sa.__smctp_pad0) c.printf("__smctp_pad0=%#x, ", sa.__smctp_pad0);
  c.print("smctp_network=");
  print_xval(c, xlat_mctp_nets, sa.smctp_network);
  c.print(", smctp_addr={s_addr=");
  print_xval(c, xlat_mctp_addrs, sa.smctp_addr.s_addr);
  c.printf("}, smctp_type=%#x, smctp_tag=%#x", sa.smctp_type, sa.smctp_tag);
  if (sa.__smctp_pad1) c.printf(", __smctp_pad1=%#x", sa.__smctp_pad1);
}

// A socket address already copied out (buf holds at least len bytes plus zero padding to 129).
void print_sockaddr_buf(const Call& c, const unsigned char* buf, int len) {
  sa_family_t family;
  memcpy(&family, buf, sizeof family);
  c.print("{sa_family=");
  print_xval(c, xlat_address_families, family, "AF_???");
  if (len > kFamilyLen) {
    sep(c);
    if (family == AF_UNIX && len >= kFamilyLen + 1)
      print_sa_unix(c, buf, len);
    else if (family == AF_INET && len >= static_cast<int>(sizeof(sockaddr_in)))
      print_sa_inet(c, buf);
    else if (family == AF_INET6 && len >= static_cast<int>(offsetof(sockaddr_in6, sin6_scope_id)))
      print_sa_inet6(c, buf, len);
    else if (family == AF_AX25 && len >= static_cast<int>(sizeof(sockaddr_ax25)))
      print_sa_ax25(c, buf, len);
    else if (family == AF_IPX && len >= static_cast<int>(sizeof(sockaddr_ipx)))
      print_sa_ipx(c, buf);
    else if (family == AF_X25 && len >= static_cast<int>(sizeof(sockaddr_x25)))
      print_sa_x25(c, buf);
    else if (family == AF_NETLINK && len >= static_cast<int>(sizeof(sockaddr_nl)))
      print_sa_netlink(c, buf);
    else if (family == AF_PACKET && len >= static_cast<int>(sizeof(sockaddr_ll)))
      print_sa_packet(c, buf, len);
    else if (family == AF_VSOCK && len >= static_cast<int>(sizeof(sockaddr_vm)))
      print_sa_vsock(c, buf);
    else if (family == AF_ALG && len > static_cast<int>(offsetof(sockaddr_alg, salg_name)))
      print_sa_alg(c, buf, len);
    else if (family == AF_RXRPC && len >= static_cast<int>(sizeof(sockaddr_rxrpc)))
      print_sa_rxrpc(c, buf, len);
    else if (family == AF_IEEE802154 && len >= 20)
      print_sa_ieee802154(c, buf);
    else if (family == AF_NFC && len >= static_cast<int>(sizeof(sockaddr_nfc)))
      print_sa_nfc(c, buf, len);
    else if (family == AF_QIPCRTR && len >= static_cast<int>(sizeof(sockaddr_qrtr)))
      print_sa_qrtr(c, buf);
    else if (family == AF_XDP && len >= static_cast<int>(sizeof(sockaddr_xdp)))
      print_sa_xdp(c, buf);
    else if (family == AF_MCTP && len >= static_cast<int>(sizeof(SockaddrMctp)))
      print_sa_mctp(c, buf);
    else {
      // Families without a decoder, and addresses too short for their family: the raw bytes.
      c.print("sa_data=");
      print_quoted(c, reinterpret_cast<const char*>(buf) + kFamilyLen, static_cast<size_t>(len - kFamilyLen), false);
    }
  }
  c.printc('}');
}

// Up to sizeof(sockaddr_storage) bytes of a local copy, zero padded so short paths end.
struct SockaddrBuf {
  unsigned char b[sizeof(sockaddr_storage) + 1];
};

// print_sockaddr's rule, also telling the caller which family it printed (-1: only an address).
int decode_sockaddr(const Call& c, uint64_t addr, int64_t len) {
  if (len < kFamilyLen) {
    print_addr(c, addr);
    return -1;
  }
  if (len > static_cast<int64_t>(sizeof(sockaddr_storage))) len = sizeof(sockaddr_storage);
  SockaddrBuf buf;
  memset(&buf, 0, sizeof buf);
  if (addr == 0 || !read_mem(c, addr, buf.b, static_cast<size_t>(len))) {
    print_addr(c, addr);
    return -1;
  }
  print_sockaddr_buf(c, buf.b, static_cast<int>(len));
  sa_family_t family;
  memcpy(&family, buf.b, sizeof family);
  return family;
}


// ---------------------------------------------------------------- socket, socketpair

// The type argument: SOCK_STREAM|SOCK_CLOEXEC; the low four bits are the type, the rest flags.
void print_sock_type(const Call& c, unsigned type) {
  constexpr unsigned kTypeMask = 0xf;
  if (const char* name = xlat_lookup(xlat_socket_types, type & kTypeMask)) {
    c.print(name);
    type &= ~kTypeMask;
    if (!type) return;
    c.printc('|');
  }
  print_flags_or_unknown(c, xlat_socket_type_flags, type, "SOCK_???");
}

void print_sock_protocol(const Call& c, int family, uint64_t proto) {
  switch (family) {
    case AF_INET:
    case AF_INET6:
      print_xval(c, xlat_inet_protocols, proto, "IPPROTO_???");
      return;
    case AF_NETLINK:
      print_xval(c, xlat_netlink_protocols, proto, "NETLINK_???");
      return;
    case AF_PACKET:
      c.print("htons(");
      print_xval(c, xlat_ethernet_protocols, ntohs(static_cast<uint16_t>(proto)), "ETH_P_???");
      c.printc(')');
      return;
    case AF_RXRPC:
      print_xval(c, xlat_address_families, proto, "AF_???");
      return;
    case AF_CAN:
      print_xval(c, xlat_can_protocols, proto, "CAN_???");
      return;
    case AF_BLUETOOTH:
      print_xval(c, xlat_bt_protocols, proto, "BTPROTO_???");
      return;
    default:
      c.printf("%" PRIu64, proto);
  }
}

int sys_socket(Call& c) {
  print_xval(c, xlat_address_families, c.arg_uint(0), "AF_???");
  sep(c);
  print_sock_type(c, c.arg_uint(1));
  sep(c);
  print_sock_protocol(c, c.arg_int(0), c.arg(2));
  return RVAL_DECODED | RVAL_FD;
}

// [3, 4]: the two descriptors of socketpair's result, decorated by -y.
void print_fd_pair(const Call& c, uint64_t addr) {
  int fds[2];
  if (!fetch_or_addr(c, addr, &fds)) return;
  c.printc('[');
  print_fd(c, fds[0]);
  sep(c);
  print_fd(c, fds[1]);
  c.printc(']');
}

int sys_socketpair(Call& c) {
  if (c.entering()) {
    print_xval(c, xlat_address_families, c.arg_uint(0), "AF_???");
    sep(c);
    print_sock_type(c, c.arg_uint(1));
    sep(c);
    c.printf("%" PRIu64 ", ", c.arg(2));
    return 0;
  }
  print_fd_pair(c, c.arg(3));
  return 0;
}

// ---------------------------------------------------------------- bind, connect, listen, shutdown

// bind and connect: everything is input.
int sys_bind(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_sockaddr(c, c.arg(1), c.arg_int(2));
  c.printf(", %d", c.arg_int(2));
  return RVAL_DECODED;
}

int sys_listen(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %d", c.arg_int(1));
  return RVAL_DECODED;
}

int sys_shutdown(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_xval(c, xlat_shutdown_modes, c.arg_uint(1), "SHUT_???");
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- accept, getsockname, recvfrom

// An in/out length: [16] when it did not change, [128 => 16] when the kernel changed it.
void print_len_pair(const Call& c, int in, int out) {
  c.printc('[');
  if (in != out) c.printf("%d => ", in);
  c.printf("%d]", out);
}

// The entry half of (address, length) pairs: true when the length could be read (then the pair is
// printed at exit), false after printing both pointers as addresses.
bool save_socklen(Call& c, uint64_t addr, uint64_t lenp) {
  int len;
  if (addr && lenp && read_obj(c, lenp, &len)) {
    c.saved[0] = static_cast<uint32_t>(len);
    return true;
  }
  return false;
}

// The exit half: the address the kernel filled in (at most what both lengths allow) and the lengths.
void print_sockname_out(Call& c, uint64_t addr, uint64_t lenp) {
  const int ulen = static_cast<int>(static_cast<uint32_t>(c.saved[0]));
  int rlen;
  if (c.failed() || !read_obj(c, lenp, &rlen)) {
    print_addr(c, addr);
    c.printf(", [%d]", ulen);
    return;
  }
  print_sockaddr(c, addr, ulen > rlen ? rlen : ulen);
  sep(c);
  print_len_pair(c, ulen, rlen);
}

// accept, accept4, getsockname and getpeername share strace's layout (fd, addr, [len]).
int decode_sockname(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    sep(c);
    if (save_socklen(c, c.arg(1), c.arg(2))) return 0;
    print_addr(c, c.arg(1));
    sep(c);
    print_addr(c, c.arg(2));
    return RVAL_DECODED;
  }
  print_sockname_out(c, c.arg(1), c.arg(2));
  return RVAL_DECODED;
}

int sys_accept(Call& c) { return decode_sockname(c) | RVAL_FD; }

int sys_accept4(Call& c) {
  int rc = decode_sockname(c);
  if (rc & RVAL_DECODED) {
    sep(c);
    print_flags_or_unknown(c, xlat_socket_type_flags, c.arg_uint(3), "SOCK_???");
  }
  return rc | RVAL_FD;
}

int sys_getsockname(Call& c) { return decode_sockname(c); }

// A data buffer of a socket call: netlink messages on a netlink socket, else the bytes, quoted and
// cut at -s.
void print_sockbuf(const Call& c, int fd, uint64_t addr, uint64_t len) {
  if (socket_protocol(c.pid, fd) == "NETLINK")
    print_netlink(c, fd, addr, len);
  else
    print_buf(c, addr, len);
}

// sendto: all input.
int sys_sendto(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_sockbuf(c, c.arg_int(0), c.arg(1), c.arg(2));
  c.printf(", %" PRIu64 ", ", c.arg(2));
  print_flags_or_unknown(c, xlat_msg_flags, c.arg_uint(3), "MSG_???");
  sep(c);
  print_sockaddr(c, c.arg(4), c.arg_int(5));
  c.printf(", %d", c.arg_int(5));
  return RVAL_DECODED;
}

int sys_recvfrom(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    sep(c);
    save_socklen(c, c.arg(4), c.arg(5));
    return 0;
  }
  if (c.failed())
    print_addr(c, c.arg(1));
  else
    print_sockbuf(c, c.arg_int(0), c.arg(1), static_cast<uint64_t>(c.rval) < c.arg(2) ? static_cast<uint64_t>(c.rval) : c.arg(2));
  c.printf(", %" PRIu64 ", ", c.arg(2));
  print_flags_or_unknown(c, xlat_msg_flags, c.arg_uint(3), "MSG_???");
  sep(c);
  int rlen;
  if (!c.arg(4) || !c.arg(5) || !read_obj(c, c.arg(5), &rlen)) {
    print_addr(c, c.arg(4));
    sep(c);
    print_addr(c, c.arg(5));
    return 0;
  }
  print_sockname_out(c, c.arg(4), c.arg(5));
  return 0;
}

// ---------------------------------------------------------------- control messages

// An array already copied out, cut after as many elements as strace shows ("..."): -s of them, or
// with -v all (the copy is bounded already, by optmem_max: no runaway guard needed).
template <typename F>
void print_local_array(const Call& c, size_t n, F print_elem) {
  const size_t limit = c.opts && c.opts->verbose ? n : array_print_limit(c);
  c.printc('[');
  for (size_t i = 0; i < n; i++) {
    if (i) sep(c);
    if (i >= limit) {
      c.print("...");
      break;
    }
    print_elem(i);
  }
  c.printc(']');
}

// SCM_SECURITY: the kernel's value, which no user-space header exports.
constexpr int kScmSecurity = 3;

// The SOL_SOCKET and SOL_IP payloads strace decodes; anything else shows only its header.
// data is the local copy, at is where the payload lives in the tracee (for the time printers).
void print_cmsg_data(const Call& c, int level, int type, const unsigned char* data, size_t len, uint64_t at) {
  auto field = [&c]() { c.print(", cmsg_data="); };
  if (level == SOL_SOCKET) {
    switch (type) {
      case SCM_RIGHTS:
        if (len < sizeof(int)) return;
        field();
        print_local_array(c, len / sizeof(int), [&](size_t i) {
          int fd;
          memcpy(&fd, data + i * sizeof fd, sizeof fd);
          print_fd(c, fd);
        });
        return;
      case SCM_CREDENTIALS: {
        ucred uc;
        if (len < sizeof uc) return;
        memcpy(&uc, data, sizeof uc);
        field();
        c.print("{pid=");
        print_pid(c, static_cast<int>(uc.pid), PT_TGID);
        c.print(", uid=");
        print_id(c, uc.uid);
        c.print(", gid=");
        print_id(c, uc.gid);
        c.printc('}');
        return;
      }
      case kScmSecurity:
        if (len < 1) return;
        field();
        print_quoted(c, reinterpret_cast<const char*>(data), len, false);
        return;
      case SO_TIMESTAMP_OLD:
      case SO_TIMESTAMP_NEW:  // the same struct on x86_64
        if (len < 1) return;
        field();
        if (len < sizeof(struct timeval))
          c.print("???");
        else
          print_timeval(c, at);
        return;
      case SO_TIMESTAMPNS_OLD:
      case SO_TIMESTAMPNS_NEW:
        if (len < 1) return;
        field();
        if (len < sizeof(struct timespec))
          c.print("???");
        else
          print_timespec(c, at);
        return;
      case SO_TIMESTAMPING_OLD:
      case SO_TIMESTAMPING_NEW:
        if (len < 1) return;
        field();
        if (len < 3 * sizeof(struct timespec)) {
          c.print("???");
          return;
        }
        c.printc('[');
        for (size_t i = 0; i < 3; i++) {
          if (i) sep(c);
          print_timespec(c, at + i * sizeof(struct timespec));
        }
        c.printc(']');
        return;
      default:
        return;
    }
  }
  if (level != SOL_IP) return;
  switch (type) {
    case IP_PKTINFO: {
      in_pktinfo pi;
      if (len < sizeof pi) return;
      memcpy(&pi, data, sizeof pi);
      field();
      c.print("{ipi_ifindex=");
      print_ifindex(c, static_cast<unsigned>(pi.ipi_ifindex));
      c.print(", ipi_spec_dst=");
      print_inet_addr(c, pi.ipi_spec_dst);
      c.print(", ipi_addr=");
      print_inet_addr(c, pi.ipi_addr);
      c.printc('}');
      return;
    }
    case IP_TTL:
    case IP_CHECKSUM:
      if (len < sizeof(unsigned)) return;
      field();
      print_local_array(c, len / sizeof(unsigned), [&](size_t i) {
        unsigned v;
        memcpy(&v, data + i * sizeof v, sizeof v);
        c.printf("%u", v);
      });
      return;
    case IP_TOS:
    case IP_RECVOPTS:
    case IP_RETOPTS:
      if (len < 1) return;
      field();
      print_local_array(c, len, [&](size_t i) { c.printf("%#x", data[i]); });
      return;
    case IP_RECVERR: {
      struct {
        uint32_t ee_errno;
        uint8_t ee_origin, ee_type, ee_code, ee_pad;
        uint32_t ee_info, ee_data;
        sockaddr_in offender;
      } ee;
      if (len < sizeof ee) return;
      memcpy(&ee, data, sizeof ee);
      field();
      c.printf("{ee_errno=%u, ee_origin=%u, ee_type=%u, ee_code=%u, ee_info=%u, ee_data=%u, offender=", ee.ee_errno,
               ee.ee_origin, ee.ee_type, ee.ee_code, ee.ee_info, ee.ee_data);
      print_local_sockaddr(c, &ee.offender, sizeof ee.offender);
      c.printc('}');
      return;
    }
    case IP_ORIGDSTADDR:
      if (len < sizeof(sockaddr_in)) return;
      field();
      print_local_sockaddr(c, data, len);
      return;
    case kScmSecurity:
      if (len < 1) return;
      field();
      print_quoted(c, reinterpret_cast<const char*>(data), len, false);
      return;
    default:
      return;
  }
}

// The kernel's cap on control data (net.core.optmem_max, rounded up to 8), read once.
size_t optmem_max() {
  static size_t cached = 0;
  if (cached) return cached;
  size_t v = sizeof(long long) * (2 * 1024 + 512);
  if (FILE* f = fopen("/proc/sys/net/core/optmem_max", "re")) {
    long n = 0;
    if (fscanf(f, "%ld", &n) == 1 && n > 0) v = (static_cast<size_t>(n) + 7) & ~static_cast<size_t>(7);
    fclose(f);
  }
  cached = v;
  return v;
}

// msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}, ...]
void print_msg_control(const Call& c, uint64_t addr, uint64_t in_len) {
  if (!in_len) return;
  c.print(", msg_control=");
  constexpr size_t kHdr = sizeof(cmsghdr);
  size_t control_len = in_len > optmem_max() ? optmem_max() : static_cast<size_t>(in_len);
  std::string buf(control_len, '\0');
  if (control_len < kHdr || !read_mem(c, addr, &buf[0], control_len)) {
    print_addr(c, addr);
    return;
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(buf.data());
  size_t off = 0, left = control_len;
  c.printc('[');
  while (left >= kHdr) {
    cmsghdr h;
    memcpy(&h, p + off, sizeof h);
    if (off) sep(c);
    c.printf("{cmsg_len=%" PRIu64 ", cmsg_level=", static_cast<uint64_t>(h.cmsg_len));
    print_xval(c, xlat_socket_levels, static_cast<unsigned>(h.cmsg_level), "SOL_???");
    c.print(", cmsg_type=");
    if (h.cmsg_level == SOL_SOCKET)
      print_xval(c, xlat_scm_types, static_cast<unsigned>(h.cmsg_type), "SCM_???");
    else if (h.cmsg_level == SOL_IP)
      print_xval(c, xlat_ip_cmsg_types, static_cast<unsigned>(h.cmsg_type), "IP_???");
    else
      c.printf("%#x", static_cast<unsigned>(h.cmsg_type));
    size_t len = h.cmsg_len > left ? left : h.cmsg_len;
    print_cmsg_data(c, h.cmsg_level, h.cmsg_type, p + off + kHdr, len > kHdr ? len - kHdr : 0, addr + off + kHdr);
    c.printc('}');
    if (len < kHdr) {
      left -= kHdr;
      break;
    }
    size_t step = (h.cmsg_len + 7) & ~static_cast<size_t>(7);
    if (step >= left) {
      left = 0;
      break;
    }
    off += step;
    left -= step;
  }
  if (left) {
    c.print(", ... /* ");
    print_addr(c, addr + (control_len - left));
    c.print(" */");
  } else if (control_len < in_len) {
    c.print(", ...");
  }
  c.printc(']');
}

// ---------------------------------------------------------------- msghdr, sendmsg, recvmsg

// print_iov's layout with netlink messages in each iov_base (print_iov itself prints bytes).
void print_netlink_iov(const Call& c, int fd, uint64_t addr, uint64_t count, int64_t data_len) {
  print_iov_with(c, addr, count, data_len, [&](uint64_t base, uint64_t n) { print_netlink(c, fd, base, n); });
}

// struct msghdr as strace prints it. user_namelen: the msg_namelen the caller passed in (recvmsg:
// shown as "110 => 16" when the kernel changed it), or nullptr. data_len caps the iov bytes shown
// (the call's result for receives, -1 for sends).
void print_msghdr(const Call& c, const msghdr& m, const int* user_namelen, int64_t data_len) {
  const int namelen = static_cast<int>(m.msg_namelen);
  c.print("{msg_name=");
  const int family = decode_sockaddr(c, reinterpret_cast<uint64_t>(m.msg_name),
                                     user_namelen && namelen > *user_namelen ? *user_namelen : namelen);
  c.print(", msg_namelen=");
  if (user_namelen && *user_namelen != namelen) c.printf("%d => ", *user_namelen);
  c.printf("%d, msg_iov=", namelen);
  // A netlink peer address means netlink messages in the buffers (strace decides by msg_name).
  if (family == AF_NETLINK)
    print_netlink_iov(c, c.arg_int(0), reinterpret_cast<uint64_t>(m.msg_iov), m.msg_iovlen, data_len);
  else
    print_iov(c, reinterpret_cast<uint64_t>(m.msg_iov), m.msg_iovlen, data_len);
  c.printf(", msg_iovlen=%" PRIu64, static_cast<uint64_t>(m.msg_iovlen));
  print_msg_control(c, reinterpret_cast<uint64_t>(m.msg_control), m.msg_controllen);
  c.printf(", msg_controllen=%" PRIu64 ", msg_flags=", static_cast<uint64_t>(m.msg_controllen));
  print_flags_or_unknown(c, xlat_msg_flags, static_cast<unsigned>(m.msg_flags), "MSG_???");
  c.printc('}');
}

void print_msghdr_at(const Call& c, uint64_t addr, const int* user_namelen, int64_t data_len) {
  msghdr m;
  if (!addr || !read_obj(c, addr, &m)) {
    print_addr(c, addr);
    return;
  }
  print_msghdr(c, m, user_namelen, data_len);
}

int sys_sendmsg(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_msghdr_at(c, c.arg(1), nullptr, -1);
  sep(c);
  print_flags_or_unknown(c, xlat_msg_flags, c.arg_uint(2), "MSG_???");
  return RVAL_DECODED;
}

int sys_recvmsg(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    sep(c);
    msghdr m;
    if (c.arg(1) && read_obj(c, c.arg(1), &m)) {
      c.saved[0] = static_cast<uint32_t>(m.msg_namelen);
      return 0;
    }
    print_addr(c, c.arg(1));
    sep(c);
    print_flags_or_unknown(c, xlat_msg_flags, c.arg_uint(2), "MSG_???");
    return RVAL_DECODED;
  }
  const int namelen = static_cast<int>(static_cast<uint32_t>(c.saved[0]));
  if (c.failed())
    c.printf("{msg_namelen=%d}", namelen);
  else
    print_msghdr_at(c, c.arg(1), &namelen, c.rval);
  sep(c);
  print_flags_or_unknown(c, xlat_msg_flags, c.arg_uint(2), "MSG_???");
  return 0;
}

// ---------------------------------------------------------------- sendmmsg, recvmmsg

constexpr unsigned kIovMax = 1024;

// The mmsghdr vector: [{msg_hdr={...}, msg_len=3}, ...]. The first msg_len_count entries show
// msg_len; data from msg_len (receives) or whole iovs (sends); recvmmsg's entry msg_namelens.
void print_mmsgvec(const Call& c, uint64_t addr, uint64_t count, uint64_t msg_len_count, bool use_msg_len,
                   const std::vector<int>* namelens) {
  if (!addr) {
    c.print("NULL");
    return;
  }
  if (!structs_decoded(c)) {
    print_addr(c, addr);
    return;
  }
  if (!count) {
    c.print("[]");
    return;
  }
  const size_t limit = array_print_limit(c);
  size_t shown = namelens ? namelens->size() : kIovMax;
  for (uint64_t i = 0; i < count; i++) {
    uint64_t at = addr + i * sizeof(mmsghdr);
    if (i) sep(c);
    if (i >= limit) {
      c.print("...");
      break;
    }
    mmsghdr mh;
    if (!read_obj(c, at, &mh)) {
      if (i == 0) {
        print_addr(c, at);
        return;
      }
      c.print("... /* ");
      print_addr(c, at);
      c.print(" */");
      break;
    }
    if (i == 0) c.printc('[');
    if (i >= shown) {
      c.print("...");
      break;
    }
    c.print("{msg_hdr=");
    const int* user = namelens ? &(*namelens)[i] : nullptr;
    print_msghdr(c, mh.msg_hdr, user, use_msg_len ? static_cast<int64_t>(mh.msg_len) : -1);
    if (i < msg_len_count) c.printf(", msg_len=%u", mh.msg_len);
    c.printc('}');
  }
  c.printc(']');
}

int sys_sendmmsg(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    sep(c);
    return 0;
  }
  const unsigned vlen = c.arg_uint(2);
  // Even a failed sendmmsg shows what it was asked to send (strace clears the error for this).
  Call view = c;
  view.error = 0;
  print_mmsgvec(view, c.arg(1), vlen, c.failed() ? 0 : static_cast<uint64_t>(c.rval), false, nullptr);
  c.printf(", %u, ", vlen);
  print_flags_or_unknown(c, xlat_msg_flags, c.arg_uint(3), "MSG_???");
  return 0;
}

// A struct timespec as text, for saving the entry timeout of recvmmsg.
std::string timespec_text(Call& c, uint64_t addr) {
  return capture(c, [&] { print_timespec(c, addr); });
}

int sys_recvmmsg(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    sep(c);
    // Keep each entry's msg_namelen (in binary, ahead of the timeout text) for the exit.
    unsigned n = c.arg_uint(2) > kIovMax ? kIovMax : c.arg_uint(2);
    std::string saved;
    unsigned got = 0;
    for (; got < n; got++) {
      mmsghdr mh;
      if (!read_obj(c, c.arg(1) + got * sizeof(mmsghdr), &mh)) break;
      int len = static_cast<int>(mh.msg_hdr.msg_namelen);
      saved.append(reinterpret_cast<const char*>(&len), sizeof len);
    }
    c.saved[0] = got;
    c.saved_text = saved + timespec_text(c, c.arg(4));
    return 0;
  }
  const size_t count = static_cast<size_t>(c.saved[0]);
  std::vector<int> namelens(count);
  if (count) memcpy(namelens.data(), c.saved_text.data(), count * sizeof(int));
  const uint64_t got = c.failed() ? UINT64_MAX : static_cast<uint64_t>(c.rval);
  if (c.failed())
    print_addr(c, c.arg(1));
  else
    print_mmsgvec(c, c.arg(1), got, got, true, &namelens);
  c.printf(", %u, ", c.arg_uint(2));
  print_flags_or_unknown(c, xlat_msg_flags, c.arg_uint(3), "MSG_???");
  sep(c);
  c.print(c.saved_text.substr(count * sizeof(int)));
  if (c.failed()) return 0;
  if (c.rval == 0) {
    c.aux = "Timeout";
    return RVAL_STR;
  }
  if (!c.arg(4) || !structs_decoded(c)) return 0;
  c.aux = "left " + timespec_text(c, c.arg(4));
  return RVAL_STR;
}

// ---------------------------------------------------------------- getsockopt, setsockopt

// SOL_SOCKET options whose value is an int (strace 6.1 prints [N] for them, and a short buffer as
// hex bytes when getsockopt returns fewer than four).
bool sol_socket_int_option(unsigned name) {
  switch (name) {
    case SO_DEBUG: case SO_REUSEADDR: case SO_DONTROUTE: case SO_BROADCAST: case SO_SNDBUF:
    case SO_RCVBUF: case SO_KEEPALIVE: case SO_OOBINLINE: case SO_NO_CHECK: case SO_PRIORITY:
    case SO_BSDCOMPAT: case SO_REUSEPORT: case SO_PASSCRED: case SO_RCVLOWAT: case SO_SNDLOWAT:
    case SO_DETACH_FILTER: case SO_TIMESTAMP_OLD: case SO_ACCEPTCONN: case SO_SNDBUFFORCE:
    case SO_RCVBUFFORCE: case SO_PASSSEC: case SO_TIMESTAMPNS_OLD: case SO_MARK:
    case SO_TIMESTAMPING_OLD: case SO_RXQ_OVFL: case SO_WIFI_STATUS: case SO_PEEK_OFF: case SO_NOFCS:
    case SO_LOCK_FILTER: case SO_SELECT_ERR_QUEUE: case SO_BUSY_POLL: case SO_INCOMING_CPU:
    case SO_CNX_ADVICE: case SO_INCOMING_NAPI_ID: case SO_ZEROCOPY: case SO_TIMESTAMP_NEW:
    case SO_TIMESTAMPNS_NEW: case SO_TIMESTAMPING_NEW: case SO_DETACH_REUSEPORT_BPF:
    case SO_PREFER_BUSY_POLL: case SO_BUSY_POLL_BUDGET: case SO_RESERVE_MEM: case SO_TXREHASH:
    case SO_RCVMARK:
      return true;
    default:
      return false;
  }
}

// The int value of a SOL_SOCKET option: SO_ERROR as an errno name, SO_TXREHASH by name.
void print_sol_socket_int(const Call& c, unsigned name, int v) {
  if (name == SO_ERROR) {
    const char* e = v ? errno_name(v) : nullptr;
    if (e)
      c.print(e);
    else
      c.printf("%d", v);
    return;
  }
  if (name == SO_TXREHASH) {
    print_xval_d(c, xlat_sock_txrehash, v, "SOCK_TXREHASH_???");
    return;
  }
  c.printf("%d", v);
}

// Option name tables for a level; get_or_set are the direction-specific names tried first.
struct OptNames {
  const Xlat* common;
  const Xlat* get;
  const Xlat* set;
  const char* unknown;
};

bool opt_names(unsigned level, OptNames* o) {
  switch (level) {
    case SOL_SOCKET: *o = {&xlat_sockopt_sol_socket, &xlat_sockopt_sol_socket_get, &xlat_sockopt_sol_socket_set, "SO_???"}; return true;
    case SOL_IP: *o = {&xlat_sockopt_ip, &xlat_sockopt_ip_get, &xlat_sockopt_ip_set, "IP_???"}; return true;
    case SOL_IPV6: *o = {&xlat_sockopt_ipv6, &xlat_sockopt_ipv6_get, &xlat_sockopt_ipv6_set, "IPV6_???"}; return true;
    case IPPROTO_TCP: *o = {&xlat_sockopt_tcp, nullptr, nullptr, "TCP_???"}; return true;
    case IPPROTO_UDP: *o = {&xlat_sockopt_udp, nullptr, nullptr, "UDP_???"}; return true;
    case SOL_NETLINK: *o = {&xlat_sockopt_netlink, nullptr, nullptr, "NETLINK_???"}; return true;
    case SOL_PACKET: *o = {&xlat_sockopt_packet, nullptr, nullptr, "PACKET_???"}; return true;
    case SOL_RAW: *o = {&xlat_sockopt_raw, nullptr, nullptr, "RAW_???"}; return true;
    default: return false;
  }
}

void print_sockopt_head(const Call& c, bool get) {
  print_fd(c, c.arg_int(0));
  sep(c);
  const unsigned level = c.arg_uint(1), name = c.arg_uint(2);
  print_xval(c, xlat_socket_levels, level, "SOL_??");
  sep(c);
  OptNames o;
  if (!opt_names(level, &o)) {
    c.printf("%u", name);
    return;
  }
  const Xlat* dir = get ? o.get : o.set;
  const char* n = xlat_lookup(*o.common, name);
  if (!n && dir) n = xlat_lookup(*dir, name);
  if (n)
    print_const(c, name, n);
  else
    print_xval(c, *o.common, name, o.unknown);
}

// A struct of int-sized fields the kernel may have returned in part: whole fields by value, a
// partial last field as hex bytes, nothing past len. print_field(i, v) prints field i's value.
template <size_t N, typename F>
void print_partial_struct(const Call& c, uint64_t addr, unsigned len, const char* const (&names)[N], F print_field) {
  uint32_t v[N];
  if (len > sizeof v) len = sizeof v;
  if (!read_mem(c, addr, v, len)) {
    print_addr(c, addr);
    return;
  }
  c.printc('{');
  for (size_t i = 0; i < N && i * 4 < len; i++) {
    if (i) sep(c);
    c.printf("%s=", names[i]);
    if ((i + 1) * 4 <= len)
      print_field(i, v[i]);
    else
      print_hex_bytes(c, reinterpret_cast<const char*>(v) + i * 4, len - i * 4);
  }
  c.printc('}');
}

// <linux/icmp.h> defines it, but it cannot be included with <net/if.h>.
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

// SOL_RAW ICMP_FILTER: the set of ICMP types filtered out, as a set of bit numbers by name; a set of
// more than half the bits shows as ~[the others]. A shorter value leaves the missing bits set.
void print_icmp_filter(const Call& c, uint64_t addr, int len) {
  if (len <= 0) {
    print_addr(c, addr);
    return;
  }
  uint32_t bits = ~0u;
  if (!read_mem(c, addr, &bits, len < 4 ? static_cast<size_t>(len) : 4)) {
    print_addr(c, addr);
    return;
  }
  if (__builtin_popcount(bits) > 16) {
    bits = ~bits;
    c.printc('~');
  }
  c.printc('[');
  bool first = true;
  for (unsigned i = 0; i < 32; i++) {
    if (!(bits & (1u << i))) continue;
    if (!first) c.printc(' ');
    first = false;
    print_xval(c, xlat_icmp_filter_flags, i, "ICMP_???");
  }
  c.printc(']');
}

// SOL_PACKET PACKET_RX_RING / PACKET_TX_RING: struct tpacket_req, only when optlen is its size.
void print_tpacket_req(const Call& c, uint64_t addr, int len) {
  tpacket_req r;
  if (len != static_cast<int>(sizeof r) || !read_obj(c, addr, &r)) {
    print_addr(c, addr);
    return;
  }
  c.printf("{tp_block_size=%u, tp_block_nr=%u, tp_frame_size=%u, tp_frame_nr=%u}", r.tp_block_size, r.tp_block_nr,
           r.tp_frame_size, r.tp_frame_nr);
}

// SOL_PACKET PACKET_ADD_MEMBERSHIP / PACKET_DROP_MEMBERSHIP: struct packet_mreq.
void print_packet_mreq(const Call& c, uint64_t addr, int len) {
  packet_mreq m;
  if (len != static_cast<int>(sizeof m) || !read_obj(c, addr, &m)) {
    print_addr(c, addr);
    return;
  }
  c.print("{mr_ifindex=");
  print_ifindex(c, static_cast<unsigned>(m.mr_ifindex));
  c.print(", mr_type=");
  print_xval(c, xlat_packet_mreq_type, m.mr_type, "PACKET_MR_???");
  c.printf(", mr_alen=%u, mr_address=", m.mr_alen);
  print_hwaddr_bytes(c, m.mr_address, m.mr_alen < sizeof m.mr_address ? m.mr_alen : sizeof m.mr_address);
  c.printc('}');
}

void print_getsockopt_value(const Call& c, unsigned level, unsigned name, uint64_t addr, int ulen, int rlen) {
  if (ulen <= 0 || rlen <= 0) {
    print_addr(c, addr);
    return;
  }
  const unsigned len = static_cast<unsigned>(rlen);
  if (addr && level == SOL_SOCKET) {
    if (name == SO_GET_FILTER) {
      // rlen counts instructions here; the kernel's count is a sock_fprog's unsigned short.
      if (static_cast<unsigned short>(len) == len)
        print_bpf_insns(c, addr, len, print_sock_filter_k);
      else
        print_addr(c, addr);
      return;
    }
    if (name == SO_LINGER) {
      static const char* const kNames[] = {"l_onoff", "l_linger"};
      print_partial_struct(c, addr, len, kNames, [&c](size_t, uint32_t v) { c.printf("%d", static_cast<int>(v)); });
      return;
    }
    if (name == SO_PEERCRED) {
      static const char* const kNames[] = {"pid", "uid", "gid"};
      print_partial_struct(c, addr, len, kNames, [&c](size_t i, uint32_t v) {
        if (i == 0)
          print_pid(c, static_cast<int>(v), PT_TGID);
        else
          print_id(c, v);
      });
      return;
    }
    if (name == SO_ERROR || sol_socket_int_option(name)) {
      unsigned char b[4];
      if (!read_mem(c, addr, b, len < 4 ? len : 4)) {
        print_addr(c, addr);
        return;
      }
      if (len < 4) {
        print_hex_bytes(c, b, len);
        return;
      }
      int v;
      memcpy(&v, b, sizeof v);
      c.printc('[');
      print_sol_socket_int(c, name, v);
      c.printc(']');
      return;
    }
  }
  if (addr && level == SOL_RAW && name == ICMP_FILTER) {
    print_icmp_filter(c, addr, rlen);
    return;
  }
  if (addr && level == SOL_PACKET && name == PACKET_STATISTICS) {
    static const char* const kNames[] = {"tp_packets", "tp_drops", "tp_freeze_q_cnt"};
    print_partial_struct(c, addr, len, kNames, [&c](size_t, uint32_t v) { c.printf("%u", v); });
    return;
  }
  if (addr && level == SOL_NETLINK) {
    if (name == NETLINK_LIST_MEMBERSHIPS) {
      const unsigned n = static_cast<unsigned>(ulen < rlen ? ulen : rlen) / 4;
      print_array<uint32_t>(c, addr, n, [&](uint32_t v) { c.printf("%u", v); });
      return;
    }
    print_int_ptr(c, addr);
    return;
  }
  if (len == sizeof(int))
    print_int_ptr(c, addr);
  else
    print_buf(c, addr, len);
}

int sys_getsockopt(Call& c) {
  if (c.entering()) {
    print_sockopt_head(c, true);
    sep(c);
    int ulen;
    if (c.arg(4) && read_obj(c, c.arg(4), &ulen)) {
      c.saved[0] = static_cast<uint32_t>(ulen);
      return 0;
    }
    print_addr(c, c.arg(3));
    sep(c);
    print_addr(c, c.arg(4));
    return RVAL_DECODED;
  }
  const int ulen = static_cast<int>(static_cast<uint32_t>(c.saved[0]));
  int rlen;
  if (c.failed() || !read_obj(c, c.arg(4), &rlen)) {
    print_addr(c, c.arg(3));
    c.printf(", [%d]", ulen);
    return 0;
  }
  print_getsockopt_value(c, c.arg_uint(1), c.arg_uint(2), c.arg(3), ulen, rlen);
  sep(c);
  print_len_pair(c, ulen, rlen);
  return 0;
}

// A setsockopt value that is a T: the address alone when optlen is too short for one (strace does not
// read it then), otherwise fetch_or_addr's rule; true when *obj was read and is to be printed.
template <typename T> bool fetch_sockopt(const Call& c, uint64_t addr, int len, T* obj) {
  if (len < static_cast<int>(sizeof *obj)) {
    print_addr(c, addr);
    return false;
  }
  return fetch_or_addr(c, addr, obj);
}

// ip_mreq / ipv6_mreq / group_req of the multicast membership options.
void print_ip_mreq(const Call& c, uint64_t addr, int len) {
  ip_mreq m;
  if (!fetch_sockopt(c, addr, len, &m)) return;
  c.print("{imr_multiaddr=");
  print_inet_addr(c, m.imr_multiaddr);
  c.print(", imr_interface=");
  print_inet_addr(c, m.imr_interface);
  c.printc('}');
}

void print_ipv6_mreq(const Call& c, uint64_t addr, int len) {
  ipv6_mreq m;
  if (!fetch_sockopt(c, addr, len, &m)) return;
  c.print("{");
  print_inet6_addr(c, m.ipv6mr_multiaddr, "ipv6mr_multiaddr");
  c.print(", ipv6mr_interface=");
  print_ifindex(c, m.ipv6mr_interface);
  c.printc('}');
}

void print_group_req(const Call& c, uint64_t addr, int len) {
  group_req g;
  if (!fetch_sockopt(c, addr, len, &g)) return;
  c.print("{gr_interface=");
  print_ifindex(c, g.gr_interface);
  c.print(", gr_group=");
  print_local_sockaddr(c, &g.gr_group, sizeof g.gr_group);
  c.printc('}');
}

void print_setsockopt_value(const Call& c, unsigned level, unsigned name, uint64_t addr, int len) {
  if (addr) {
    switch (level) {
      case SOL_SOCKET:
        if (name == SO_LINGER) {
          linger l;
          if (fetch_sockopt(c, addr, len, &l)) c.printf("{l_onoff=%d, l_linger=%d}", l.l_onoff, l.l_linger);
          return;
        }
        if (name == SO_ATTACH_FILTER || name == SO_ATTACH_REUSEPORT_CBPF) {
          if (len == static_cast<int>(sizeof(sock_fprog)))
            print_bpf_fprog(c, addr, print_sock_filter_k);
          else
            print_addr(c, addr);
          return;
        }
        if (sol_socket_int_option(name)) {
          int v;
          if (!fetch_sockopt(c, addr, len, &v)) return;
          c.printc('[');
          print_sol_socket_int(c, name, v);
          c.printc(']');
          return;
        }
        break;
      case SOL_IP:
        if (name == IP_ADD_MEMBERSHIP || name == IP_DROP_MEMBERSHIP) {
          print_ip_mreq(c, addr, len);
          return;
        }
        if (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP) {
          print_group_req(c, addr, len);
          return;
        }
        break;
      case SOL_IPV6:
        if (name == IPV6_ADD_MEMBERSHIP || name == IPV6_DROP_MEMBERSHIP || name == IPV6_JOIN_ANYCAST ||
            name == IPV6_LEAVE_ANYCAST) {
          print_ipv6_mreq(c, addr, len);
          return;
        }
        if (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP) {
          print_group_req(c, addr, len);
          return;
        }
        break;
      case SOL_PACKET:
        if (name == PACKET_RX_RING || name == PACKET_TX_RING) {
          print_tpacket_req(c, addr, len);
          return;
        }
        if (name == PACKET_ADD_MEMBERSHIP || name == PACKET_DROP_MEMBERSHIP) {
          print_packet_mreq(c, addr, len);
          return;
        }
        break;
      case SOL_RAW:
        if (name == ICMP_FILTER) {
          print_icmp_filter(c, addr, len);
          return;
        }
        break;
      case SOL_NETLINK:
        if (len < static_cast<int>(sizeof(int)))
          print_addr(c, addr);
        else
          print_int_ptr(c, addr);
        return;
      default:
        break;
    }
  }
  if (len == static_cast<int>(sizeof(int)))
    print_int_ptr(c, addr);
  else
    print_buf(c, addr, static_cast<uint64_t>(static_cast<int64_t>(len)));
}

int sys_setsockopt(Call& c) {
  print_sockopt_head(c, false);
  sep(c);
  print_setsockopt_value(c, c.arg_uint(1), c.arg_uint(2), c.arg(3), c.arg_int(4));
  c.printf(", %d", c.arg_int(4));
  return RVAL_DECODED;
}

const NamedDecoder kNetDecoders[] = {
    {"socket", sys_socket},
    {"socketpair", sys_socketpair},
    {"bind", sys_bind},
    {"connect", sys_bind},
    {"listen", sys_listen},
    {"accept", sys_accept},
    {"accept4", sys_accept4},
    {"getsockname", sys_getsockname},
    {"getpeername", sys_getsockname},
    {"sendto", sys_sendto},
    {"recvfrom", sys_recvfrom},
    {"sendmsg", sys_sendmsg},
    {"recvmsg", sys_recvmsg},
    {"sendmmsg", sys_sendmmsg},
    {"recvmmsg", sys_recvmmsg},
    {"getsockopt", sys_getsockopt},
    {"setsockopt", sys_setsockopt},
    {"shutdown", sys_shutdown},
};

}  // namespace

void print_sockaddr(const Call& c, uint64_t addr, int64_t len) { decode_sockaddr(c, addr, len); }

namespace net {

void print_local_sockaddr(const Call& c, const void* data, size_t len) {
  SockaddrBuf buf;
  memset(&buf, 0, sizeof buf);
  if (len > sizeof(sockaddr_storage)) len = sizeof(sockaddr_storage);
  memcpy(buf.b, data, len);
  print_sockaddr_buf(c, buf.b, static_cast<int>(len));
}

}  // namespace net

extern const DecoderFamily family_net = {kNetDecoders, sizeof kNetDecoders / sizeof kNetDecoders[0]};

}  // namespace decode
