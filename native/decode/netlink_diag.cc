// NETLINK_SOCK_DIAG payloads as strace 6.1 prints them: a request (NLM_F_REQUEST) or an answer of the
// family its first byte names, each with its attributes through the family's table. Families with no
// decoder show as {family=AF_..., data="..."}.
#include "netlink_internal.h"
#include "net_internal.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/inet_diag.h>
#include <linux/mptcp.h>
#include <linux/tcp.h>
#include <linux/tls.h>
#include <linux/if_packet.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/smc_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <unistd.h>

namespace decode {
namespace net {

namespace {

// The two halves of a socket cookie: [lo, hi].
void print_cookie(Fields& f, const char* name, const uint32_t (&cookie)[2]) {
  f.f(name).printf("[%u, %u]", cookie[0], cookie[1]);
}

}  // namespace

// SK_MEMINFO_* counters: [[SK_MEMINFO_RMEM_ALLOC]=N, ...].
bool nla_meminfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(uint32_t);
  if (!n) return false;
  unsigned idx = 0;
  print_array<uint32_t>(c, addr, n, [&](uint32_t v) {
    c.printc('[');
    print_xval_u(c, xlat_netlink_sk_meminfo_indices, idx++, "SK_MEMINFO_???");
    c.printf("]=%u", v);
  });
  return true;
}

namespace {

// ---------------------------------------------------------------- AF_UNIX

bool nla_unix_vfs(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  unix_diag_vfs v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  f.dev("udiag_vfs_dev", v.udiag_vfs_dev);
  f.u("udiag_vfs_ino", v.udiag_vfs_ino);
  f.end();
  return true;
}

bool nla_u32_array(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(uint32_t);
  if (!n) return false;
  print_array<uint32_t>(c, addr, n, [&](uint32_t v) { c.printf("%u", v); });
  return true;
}

bool nla_unix_rqlen(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  unix_diag_rqlen r;
  bool ok;
  if (!nla_read(c, addr, len, &r, &ok)) return false;
  if (ok) c.printf("{udiag_rqueue=%u, udiag_wqueue=%u}", r.udiag_rqueue, r.udiag_wqueue);
  return true;
}

const Nla kUnixDiagAttrs[] = {
    {UNIX_DIAG_NAME, nla_str, nullptr},        {UNIX_DIAG_VFS, nla_unix_vfs, nullptr},
    {UNIX_DIAG_PEER, nla_u32, nullptr},        {UNIX_DIAG_ICONS, nla_u32_array, nullptr},
    {UNIX_DIAG_RQLEN, nla_unix_rqlen, nullptr}, {UNIX_DIAG_MEMINFO, nla_meminfo, nullptr},
    {UNIX_DIAG_SHUTDOWN, nla_u8, nullptr},     {UNIX_DIAG_UID, nla_uid, nullptr},
};
const AttrTable kUnixDiagTable = attr_table(xlat_unix_diag_attrs, "UNIX_DIAG_???", kUnixDiagAttrs);

void print_unix_diag_req(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<unix_diag_req>(c, family, addr, len, "sdiag_family", nullptr, [&](const unix_diag_req& r, Fields& f) {
    f.u("sdiag_protocol", r.sdiag_protocol);
    f.flags("udiag_states", xlat_tcp_state_flags, r.udiag_states, "1<<TCP_???");
    f.u("udiag_ino", r.udiag_ino);
    f.flags("udiag_show", xlat_unix_diag_show, r.udiag_show, "UDIAG_SHOW_???");
    print_cookie(f, "udiag_cookie", r.udiag_cookie);
  });
}

void print_unix_diag_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<unix_diag_msg>(c, family, addr, len, "udiag_family", &kUnixDiagTable,
                            [&](const unix_diag_msg& m, Fields& f) {
                              f.xval("udiag_type", xlat_socket_types, m.udiag_type, "SOCK_???");
                              f.xval("udiag_state", xlat_tcp_states, m.udiag_state, "TCP_???");
                              f.u("udiag_ino", m.udiag_ino);
                              print_cookie(f, "udiag_cookie", m.udiag_cookie);
                            });
}

// ---------------------------------------------------------------- AF_NETLINK

// NETLINK_DIAG_GROUPS: the group bitmap, one unsigned long at a time.
bool nla_netlink_groups(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(unsigned long);
  if (!n) return false;
  print_array<unsigned long>(c, addr, n, [&](unsigned long v) { c.printf("%#lx", v); });
  return true;
}

bool nla_netlink_ring(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  netlink_diag_ring r;
  bool ok;
  if (!nla_read(c, addr, len, &r, &ok)) return false;
  if (ok)
    c.printf("{ndr_block_size=%u, ndr_block_nr=%u, ndr_frame_size=%u, ndr_frame_nr=%u}", r.ndr_block_size,
             r.ndr_block_nr, r.ndr_frame_size, r.ndr_frame_nr);
  return true;
}

bool nla_netlink_flags(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint32_t v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (ok) print_flags(c, xlat_netlink_socket_flags, v, "0", "NDIAG_FLAG_???");
  return true;
}

const Nla kNetlinkDiagAttrs[] = {
    {NETLINK_DIAG_MEMINFO, nla_meminfo, nullptr},      {NETLINK_DIAG_GROUPS, nla_netlink_groups, nullptr},
    {NETLINK_DIAG_RX_RING, nla_netlink_ring, nullptr}, {NETLINK_DIAG_TX_RING, nla_netlink_ring, nullptr},
    {NETLINK_DIAG_FLAGS, nla_netlink_flags, nullptr},
};
const AttrTable kNetlinkDiagTable = attr_table(xlat_netlink_diag_attrs, "NETLINK_DIAG_???", kNetlinkDiagAttrs);

void print_netlink_diag_req(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<netlink_diag_req>(c, family, addr, len, "sdiag_family", nullptr,
                               [&](const netlink_diag_req& r, Fields& f) {
                                 if (r.sdiag_protocol == NDIAG_PROTO_ALL)
                                   print_const(f.f("sdiag_protocol"), NDIAG_PROTO_ALL, "NDIAG_PROTO_ALL");
                                 else
                                   f.xval("sdiag_protocol", xlat_netlink_protocols, r.sdiag_protocol, "NETLINK_???");
                                 f.u("ndiag_ino", r.ndiag_ino);
                                 f.flags("ndiag_show", xlat_netlink_diag_show, r.ndiag_show, "NDIAG_SHOW_???");
                                 print_cookie(f, "ndiag_cookie", r.ndiag_cookie);
                               });
}

void print_netlink_diag_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<netlink_diag_msg>(c, family, addr, len, "ndiag_family", &kNetlinkDiagTable,
                               [&](const netlink_diag_msg& m, Fields& f) {
                                 f.xval("ndiag_type", xlat_socket_types, m.ndiag_type, "SOCK_???");
                                 f.xval("ndiag_protocol", xlat_netlink_protocols, m.ndiag_protocol, "NETLINK_???");
                                 f.xval("ndiag_state", xlat_netlink_states, m.ndiag_state, "NETLINK_???");
                                 f.u("ndiag_portid", m.ndiag_portid);
                                 f.u("ndiag_dst_portid", m.ndiag_dst_portid);
                                 f.u("ndiag_dst_group", m.ndiag_dst_group);
                                 f.u("ndiag_ino", m.ndiag_ino);
                                 print_cookie(f, "ndiag_cookie", m.ndiag_cookie);
                               });
}

// ---------------------------------------------------------------- AF_PACKET

bool nla_packet_info(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  packet_diag_info p;
  bool ok;
  if (!nla_read(c, addr, len, &p, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  print_ifindex(f.f("pdi_index"), p.pdi_index);
  f.xval("pdi_version", xlat_af_packet_versions, p.pdi_version, "TPACKET_???");
  f.u("pdi_reserve", p.pdi_reserve);
  f.u("pdi_copy_thresh", p.pdi_copy_thresh);
  f.u("pdi_tstamp", p.pdi_tstamp);
  f.flags("pdi_flags", xlat_packet_diag_info_flags, p.pdi_flags, "PDI_???");
  f.end();
  return true;
}

bool nla_packet_mclist(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(packet_diag_mclist);
  if (!n) return false;
  print_array<packet_diag_mclist>(c, addr, n, [&](const packet_diag_mclist& m) {
    Fields f(c);
    print_ifindex(f.f("pdmc_index"), m.pdmc_index);
    f.u("pdmc_count", m.pdmc_count);
    f.u("pdmc_type", m.pdmc_type);
    f.u("pdmc_alen", m.pdmc_alen);
    print_hex_bytes(f.f("pdmc_addr"), m.pdmc_addr, m.pdmc_alen < sizeof m.pdmc_addr ? m.pdmc_alen : sizeof m.pdmc_addr);
    f.end();
  });
  return true;
}

bool nla_packet_ring(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  packet_diag_ring r;
  bool ok;
  if (!nla_read(c, addr, len, &r, &ok)) return false;
  if (ok)
    c.printf(
        "{pdr_block_size=%u, pdr_block_nr=%u, pdr_frame_size=%u, pdr_frame_nr=%u, pdr_retire_tmo=%u, "
        "pdr_sizeof_priv=%u, pdr_features=%u}",
        r.pdr_block_size, r.pdr_block_nr, r.pdr_frame_size, r.pdr_frame_nr, r.pdr_retire_tmo, r.pdr_sizeof_priv,
        r.pdr_features);
  return true;
}

// PACKET_DIAG_FILTER: the socket's classic BPF program, as many whole instructions as fit (none:
// the bytes in hex); disassembled with -v, else its address.
bool nla_packet_filter(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(sock_filter);
  if (n == 0 || n > USHRT_MAX) return false;
  print_bpf_insns(c, addr, n, print_sock_filter_k);
  return true;
}

const Nla kPacketDiagAttrs[] = {
    {PACKET_DIAG_INFO, nla_packet_info, nullptr},    {PACKET_DIAG_MCLIST, nla_packet_mclist, nullptr},
    {PACKET_DIAG_RX_RING, nla_packet_ring, nullptr}, {PACKET_DIAG_TX_RING, nla_packet_ring, nullptr},
    {PACKET_DIAG_FANOUT, nla_u32, nullptr},          {PACKET_DIAG_UID, nla_uid, nullptr},
    {PACKET_DIAG_MEMINFO, nla_meminfo, nullptr},    {PACKET_DIAG_FILTER, nla_packet_filter, nullptr},
};
const AttrTable kPacketDiagTable = attr_table(xlat_packet_diag_attrs, "PACKET_DIAG_???", kPacketDiagAttrs);

void print_packet_diag_req(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<packet_diag_req>(c, family, addr, len, "sdiag_family", nullptr, [&](const packet_diag_req& r, Fields& f) {
    f.x("sdiag_protocol", r.sdiag_protocol);
    f.u("pdiag_ino", r.pdiag_ino);
    f.flags("pdiag_show", xlat_packet_diag_show, r.pdiag_show, "PACKET_SHOW_???");
    print_cookie(f, "pdiag_cookie", r.pdiag_cookie);
  });
}

void print_packet_diag_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<packet_diag_msg>(c, family, addr, len, "pdiag_family", &kPacketDiagTable,
                              [&](const packet_diag_msg& m, Fields& f) {
                                f.xval("pdiag_type", xlat_socket_types, m.pdiag_type, "SOCK_???");
                                f.xval("pdiag_num", xlat_ethernet_protocols, m.pdiag_num, "ETH_P_???");
                                f.u("pdiag_ino", m.pdiag_ino);
                                print_cookie(f, "pdiag_cookie", m.pdiag_cookie);
                              });
}

}  // namespace

void print_sock_diag_payload(const Call& c, const nlmsghdr& h, uint64_t addr, uint64_t len) {
  uint8_t family;
  if (!read_obj(c, addr, &family)) {
    print_addr(c, addr);
    return;
  }
  const bool request = h.nlmsg_flags & NLM_F_REQUEST;
  if (len > 1) {
    switch (family) {
      case AF_UNIX: return request ? print_unix_diag_req(c, family, addr, len) : print_unix_diag_msg(c, family, addr, len);
      case AF_NETLINK:
        return request ? print_netlink_diag_req(c, family, addr, len) : print_netlink_diag_msg(c, family, addr, len);
      case AF_PACKET:
        return request ? print_packet_diag_req(c, family, addr, len) : print_packet_diag_msg(c, family, addr, len);
      case AF_INET:
      case AF_INET6:
        if (print_inet_diag(c, request, h.nlmsg_type, family, addr, len)) return;
        break;
      case AF_SMC:
        if (print_smc_diag(c, request, family, addr, len)) return;
        break;
    }
  }
  print_family_data(c, family, addr, len);
}

// ---------------------------------------------------------------- AF_INET, AF_INET6

namespace {

// A port in network byte order: htons(N) (-X raw: the bytes; -X verbose: both).
void print_net_port(const Call& c, uint16_t port) {
  const XlatStyle st = xstyle(c);
  if (st != XLAT_ABBREV) print_hex_bytes(c, &port, sizeof port);
  if (st == XLAT_RAW) return;
  if (st == XLAT_VERBOSE) c.print(" /* ");
  c.printf("htons(%u)", ntohs(port));
  if (st == XLAT_VERBOSE) c.print(" */");
}

void print_sockid(const Call& c, const inet_diag_sockid& id, uint8_t family) {
  c.print("{idiag_sport=");
  print_net_port(c, id.idiag_sport);
  c.print(", idiag_dport=");
  print_net_port(c, id.idiag_dport);
  c.print(", ");
  print_inet_addr_bytes(c, family, id.idiag_src, sizeof id.idiag_src, "idiag_src");
  c.print(", ");
  print_inet_addr_bytes(c, family, id.idiag_dst, sizeof id.idiag_dst, "idiag_dst");
  c.print(", idiag_if=");
  print_ifindex(c, id.idiag_if);
  c.printf(", idiag_cookie=[%u, %u]}", id.idiag_cookie[0], id.idiag_cookie[1]);
}

void print_bc_op(const Call& c, const inet_diag_bc_op& op) {
  c.print("{code=");
  print_xval(c, xlat_inet_diag_bytecodes, op.code, "INET_DIAG_BC_???");
  c.printf(", yes=%u, no=%u}", op.yes, op.no);
}

// What follows an INET_DIAG_REQ_BYTECODE operation, by its code.
void print_bc_data(const Call& c, uint64_t addr, uint64_t len, unsigned code) {
  switch (code) {
    case INET_DIAG_BC_S_COND:
    case INET_DIAG_BC_D_COND: {
      inet_diag_hostcond h;
      if (len < sizeof h) break;
      if (!read_obj(c, addr, &h)) {
        print_addr(c, addr);
        return;
      }
      c.print("{family=");
      print_nl_family(c, h.family);
      c.printf(", prefix_len=%u, port=%d", h.prefix_len, h.port);
      if (len > sizeof h) {
        c.print(", ");
        print_inet_addr_of(c, addr + sizeof h, len - sizeof h, h.family, "addr");
      }
      c.printc('}');
      return;
    }
    case INET_DIAG_BC_DEV_COND: {
      uint32_t idx;
      if (len < sizeof idx) break;
      if (!read_obj(c, addr, &idx))
        print_addr(c, addr);
      else
        print_ifindex(c, idx);
      return;
    }
    case INET_DIAG_BC_S_GE:
    case INET_DIAG_BC_S_LE:
    case INET_DIAG_BC_D_GE:
    case INET_DIAG_BC_D_LE: {
      inet_diag_bc_op op;
      if (len < sizeof op) break;
      if (!read_obj(c, addr, &op))
        print_addr(c, addr);
      else
        print_bc_op(c, op);
      return;
    }
    case INET_DIAG_BC_MARK_COND: {
      inet_diag_markcond m;
      if (len < sizeof m) break;
      if (!read_obj(c, addr, &m))
        print_addr(c, addr);
      else
        c.printf("{mark=%u, mask=%u}", m.mark, m.mask);
      return;
    }
  }
  print_buf_hex(c, addr, len);
}

bool nla_bc_op(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  inet_diag_bc_op op;
  bool ok;
  if (!nla_read(c, addr, len, &op, &ok)) return false;
  if (!ok) return true;
  print_bc_op(c, op);
  if (len > sizeof op) {
    c.print(", ");
    print_bc_data(c, addr + sizeof op, len - sizeof op, op.code);
  }
  return true;
}

const Nla kInetDiagReqAttrs[] = {
    {INET_DIAG_REQ_BYTECODE, nla_bc_op, nullptr},
    {INET_DIAG_REQ_PROTOCOL, nla_ip_proto, nullptr},
};
const AttrTable kInetDiagReqTable = attr_table(xlat_inet_diag_req_attrs, "INET_DIAG_REQ_???", kInetDiagReqAttrs);

bool nla_inet_meminfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  inet_diag_meminfo m;
  bool ok;
  if (!nla_read(c, addr, len, &m, &ok)) return false;
  if (ok)
    c.printf("{idiag_rmem=%u, idiag_wmem=%u, idiag_fmem=%u, idiag_tmem=%u}", m.idiag_rmem, m.idiag_wmem, m.idiag_fmem,
             m.idiag_tmem);
  return true;
}

bool nla_vegas(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  tcpvegas_info v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (ok)
    c.printf("{tcpv_enabled=%u, tcpv_rttcnt=%u, tcpv_rtt=%u, tcpv_minrtt=%u}", v.tcpv_enabled, v.tcpv_rttcnt,
             v.tcpv_rtt, v.tcpv_minrtt);
  return true;
}

bool nla_dctcp(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  tcp_dctcp_info d;
  bool ok;
  if (!nla_read(c, addr, len, &d, &ok)) return false;
  if (ok)
    c.printf("{dctcp_enabled=%u, dctcp_ce_state=%u, dctcp_alpha=%u, dctcp_ab_ecn=%u, dctcp_ab_tot=%u}",
             d.dctcp_enabled, d.dctcp_ce_state, d.dctcp_alpha, d.dctcp_ab_ecn, d.dctcp_ab_tot);
  return true;
}

bool nla_bbr(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  tcp_bbr_info b;
  bool ok;
  if (!nla_read(c, addr, len, &b, &ok)) return false;
  if (ok)
    c.printf("{bbr_bw_lo=%#x, bbr_bw_hi=%#x, bbr_min_rtt=%u, bbr_pacing_gain=%u, bbr_cwnd_gain=%u}", b.bbr_bw_lo,
             b.bbr_bw_hi, b.bbr_min_rtt, b.bbr_pacing_gain, b.bbr_cwnd_gain);
  return true;
}

enum : uint8_t { RCV_SHUTDOWN_BIT = 1, SEND_SHUTDOWN_BIT = 2 };

// INET_DIAG_SHUTDOWN: RCV_SHUTDOWN and SEND_SHUTDOWN are not in the uapi headers, so strace prints the
// number with the names in a comment even without -X verbose.
bool nla_shutdown(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint8_t v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (!ok) return true;
  c.printf("%#x", v);
  if (v && xstyle(c) != XLAT_RAW) {
    c.print(" /* ");
    if (!(v & (RCV_SHUTDOWN_BIT | SEND_SHUTDOWN_BIT))) {
      c.print("???_SHUTDOWN");
    } else {
      c.names_only++;
      print_flags(c, xlat_inet_diag_shutdown_flags, v, "0", nullptr);
      c.names_only--;
    }
    c.print(" */");
  }
  return true;
}

// INET_DIAG_LOCALS, INET_DIAG_PEERS (SCTP): the association's addresses, sockaddr_storage each.
bool nla_sockaddrs(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(sockaddr_storage);
  if (n == 0) return false;
  print_array<sockaddr_storage>(c, addr, n,
                                [&](const sockaddr_storage& sa) { print_local_sockaddr(c, &sa, sizeof sa); });
  return true;
}

// INET_DIAG_MD5SIG: the socket's TCP MD5 signature keys, each with the peer address it is for.
bool nla_md5sig(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(tcp_diag_md5sig);
  if (n == 0) return false;
  print_array<tcp_diag_md5sig>(c, addr, n, [&](const tcp_diag_md5sig& m) {
    c.print("{tcpm_family=");
    print_nl_family(c, m.tcpm_family);
    c.printf(", tcpm_prefixlen=%u, tcpm_keylen=%u, ", m.tcpm_prefixlen, m.tcpm_keylen);
    print_inet_addr_bytes(c, m.tcpm_family, m.tcpm_addr, sizeof m.tcpm_addr, "tcpm_addr");
    c.print(", tcpm_key=");
    print_hex_bytes(c, m.tcpm_key, std::min<size_t>(sizeof m.tcpm_key, m.tcpm_keylen));
    c.printc('}');
  });
  return true;
}

// INET_DIAG_ULP_INFO: the upper layer protocol's name, and TLS's or MPTCP's own attributes (each
// ULP uses types of its own, so one table serves whatever the name says).
const NlaXlat kTlsVersion{&xlat_tls_info_versions, "TLS_???_VERSION", 2};
const NlaXlat kTlsCipher{&xlat_tls_info_ciphers, "TLS_CIPHER_???", 2};
const NlaXlat kTlsConf{&xlat_tls_info_configs, "TLS_CONF_???", 2};
const Nla kUlpTlsAttrs[] = {
    {TLS_INFO_VERSION, nla_xval, &kTlsVersion}, {TLS_INFO_CIPHER, nla_xval, &kTlsCipher},
    {TLS_INFO_TXCONF, nla_xval, &kTlsConf},     {TLS_INFO_RXCONF, nla_xval, &kTlsConf},
};
const AttrTable kUlpTlsTable = attr_table(xlat_inet_diag_ulp_info_tls_attrs, "TLS_INFO_???", kUlpTlsAttrs);
const NlaXlat kMptcpSubflowFlags{&xlat_mptcp_subflow_flags, "MPTCP_SUBFLOW_FLAG_???", 4};
const Nla kUlpMptcpAttrs[] = {
    {MPTCP_SUBFLOW_ATTR_TOKEN_REM, nla_x32, nullptr},   {MPTCP_SUBFLOW_ATTR_TOKEN_LOC, nla_x32, nullptr},
    {MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ, nla_u32, nullptr}, {MPTCP_SUBFLOW_ATTR_MAP_SEQ, nla_u64, nullptr},
    {MPTCP_SUBFLOW_ATTR_MAP_SFSEQ, nla_u32, nullptr},   {MPTCP_SUBFLOW_ATTR_SSN_OFFSET, nla_u32, nullptr},
    {MPTCP_SUBFLOW_ATTR_MAP_DATALEN, nla_u16, nullptr}, {MPTCP_SUBFLOW_ATTR_FLAGS, nla_flags, &kMptcpSubflowFlags},
    {MPTCP_SUBFLOW_ATTR_ID_REM, nla_u8, nullptr},       {MPTCP_SUBFLOW_ATTR_ID_LOC, nla_u8, nullptr},
};
const AttrTable kUlpMptcpTable =
    attr_table(xlat_inet_diag_ulp_info_mptcp_attrs, "MPTCP_SUBFLOW_ATTR_???", kUlpMptcpAttrs);
const Nla kUlpInfoAttrs[] = {
    {INET_ULP_INFO_NAME, nla_str, nullptr},
    {INET_ULP_INFO_TLS, nla_nested, &kUlpTlsTable},
    {INET_ULP_INFO_MPTCP, nla_nested, &kUlpMptcpTable},
};
const AttrTable kUlpInfoTable = attr_table(xlat_inet_diag_ulp_info_attrs, "INET_ULP_INFO_???", kUlpInfoAttrs);

// INET_DIAG_SK_BPF_STORAGES: the socket's BPF local storages, a map id and its value each.
const Nla kBpfStorageAttrs[] = {
    {SK_DIAG_BPF_STORAGE_MAP_ID, nla_u32, nullptr},
    {SK_DIAG_BPF_STORAGE_MAP_VALUE, nla_xint, nullptr},
};
const AttrTable kBpfStorageTable =
    attr_table(xlat_inet_diag_bpf_storage_attrs, "SK_DIAG_BPF_STORAGE_???", kBpfStorageAttrs);
const Nla kBpfStoragesAttrs[] = {{SK_DIAG_BPF_STORAGE, nla_nested, &kBpfStorageTable}};
const AttrTable kBpfStoragesTable =
    attr_table(xlat_inet_diag_bpf_storages_attrs, "SK_DIAG_BPF_STORAGE_???", kBpfStoragesAttrs);

// INET_DIAG_SOCKOPT: struct inet_diag_sockopt's one-bit options, by name; with -v every one, else
// only those set. Its bits are laid out here rather than taken from <linux/inet_diag.h>, whose
// `unused` shrinks as options are added. Bytes past the structure are shown when not zero.
bool nla_sockopt(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint8_t b[2];
  if (len < sizeof b) return false;
  if (!read_obj(c, addr, &b)) {
    print_addr(c, addr);
    return true;
  }
  static const char* const kBits[] = {"recverr", "is_icsk", "freebind", "hdrincl", "mc_loop", "transparent",
                                      "mc_all", "nodefrag", "bind_address_no_port", "recverr_rfc4884",
                                      "defer_connect"};
  const unsigned v = b[0] | b[1] << 8;
  const bool all = !abbrev(c);
  bool first = true;
  auto next = [&] {
    c.print(first ? "{" : ", ");
    first = false;
  };
  for (unsigned i = 0; i < sizeof kBits / sizeof kBits[0]; i++) {
    const unsigned bit = v >> i & 1;
    if (!all && !bit) continue;
    next();
    c.printf("%s=%u", kBits[i], bit);
  }
  const unsigned unused = v >> 11;
  if (all || unused) {
    next();
    c.printf("unused=%#x /* bits 3..8 */", unused);
  }
  if (first) c.printc('{');
  c.printc('}');
  print_nonzero_tail(c, addr, sizeof b, std::min<uint64_t>(len, static_cast<uint64_t>(sysconf(_SC_PAGESIZE))));
  return true;
}

const Nla kInetDiagAttrs[] = {
    {INET_DIAG_MEMINFO, nla_inet_meminfo, nullptr},
    {INET_DIAG_VEGASINFO, nla_vegas, nullptr},
    {INET_DIAG_CONG, nla_str, nullptr},
    {INET_DIAG_TOS, nla_u8, nullptr},
    {INET_DIAG_TCLASS, nla_u8, nullptr},
    {INET_DIAG_SKMEMINFO, nla_meminfo, nullptr},
    {INET_DIAG_SHUTDOWN, nla_shutdown, nullptr},
    {INET_DIAG_DCTCPINFO, nla_dctcp, nullptr},
    {INET_DIAG_PROTOCOL, nla_ip_proto, nullptr},
    {INET_DIAG_SKV6ONLY, nla_u8, nullptr},
    {INET_DIAG_MARK, nla_u32, nullptr},
    {INET_DIAG_BBRINFO, nla_bbr, nullptr},
    {INET_DIAG_CLASS_ID, nla_u32, nullptr},
    {INET_DIAG_CGROUP_ID, nla_u64, nullptr},
    {INET_DIAG_LOCALS, nla_sockaddrs, nullptr},
    {INET_DIAG_PEERS, nla_sockaddrs, nullptr},
    {INET_DIAG_MD5SIG, nla_md5sig, nullptr},
    {INET_DIAG_ULP_INFO, nla_nested, &kUlpInfoTable},
    {INET_DIAG_SK_BPF_STORAGES, nla_nested, &kBpfStoragesTable},
    {INET_DIAG_SOCKOPT, nla_sockopt, nullptr},
};
const AttrTable kInetDiagTable = attr_table(xlat_inet_diag_attrs, "INET_DIAG_???", kInetDiagAttrs);

void print_inet_diag_req_compat(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<inet_diag_req>(c, family, addr, len, "idiag_family", &kInetDiagReqTable,
                            [&](const inet_diag_req& r, Fields& f) {
                              f.u("idiag_src_len", r.idiag_src_len);
                              f.u("idiag_dst_len", r.idiag_dst_len);
                              f.flags("idiag_ext", xlat_inet_diag_extended_flags, r.idiag_ext, "1<<INET_DIAG_\?\?\?-1");
                              print_sockid(f.f("id"), r.id, r.idiag_family);
                              f.flags("idiag_states", xlat_tcp_state_flags, r.idiag_states, "1<<TCP_???");
                              f.u("idiag_dbs", r.idiag_dbs);
                            });
}

void print_inet_diag_req_v2(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<inet_diag_req_v2>(c, family, addr, len, "sdiag_family", &kInetDiagReqTable,
                               [&](const inet_diag_req_v2& r, Fields& f) {
                                 f.xval("sdiag_protocol", xlat_inet_protocols, r.sdiag_protocol, "IPPROTO_???");
                                 f.flags("idiag_ext", xlat_inet_diag_extended_flags, r.idiag_ext,
                                         "1<<INET_DIAG_\?\?\?-1");
                                 f.flags("idiag_states", xlat_tcp_state_flags, r.idiag_states, "1<<TCP_???");
                                 print_sockid(f.f("id"), r.id, r.sdiag_family);
                               });
}

void print_inet_diag_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<inet_diag_msg>(c, family, addr, len, "idiag_family", &kInetDiagTable,
                            [&](const inet_diag_msg& m, Fields& f) {
                              f.xval("idiag_state", xlat_tcp_states, m.idiag_state, "TCP_???");
                              f.u("idiag_timer", m.idiag_timer);
                              f.u("idiag_retrans", m.idiag_retrans);
                              print_sockid(f.f("id"), m.id, m.idiag_family);
                              f.u("idiag_expires", m.idiag_expires);
                              f.u("idiag_rqueue", m.idiag_rqueue);
                              f.u("idiag_wqueue", m.idiag_wqueue);
                              f.u("idiag_uid", m.idiag_uid);
                              f.u("idiag_inode", m.idiag_inode);
                            });
}

}  // namespace

bool print_inet_diag(const Call& c, bool request, unsigned type, uint8_t family, uint64_t addr, uint64_t len) {
  if (!request)
    print_inet_diag_msg(c, family, addr, len);
  else if (type == TCPDIAG_GETSOCK || type == DCCPDIAG_GETSOCK)
    print_inet_diag_req_compat(c, family, addr, len);
  else
    print_inet_diag_req_v2(c, family, addr, len);
  return true;
}
// ---------------------------------------------------------------- AF_SMC

namespace {

void print_smc_cursor(const Call& c, const char* name, const smc_diag_cursor& cur) {
  c.printf(", %s={reserved=%u, wrap=%u, count=%u}", name, cur.reserved, cur.wrap, cur.count);
}

bool nla_smc_conninfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  smc_diag_conninfo i;
  bool ok;
  if (!nla_read(c, addr, len, &i, &ok)) return false;
  if (!ok) return true;
  c.printf("{token=%u, sndbuf_size=%u, rmbe_size=%u, peer_rmbe_size=%u", i.token, i.sndbuf_size, i.rmbe_size,
           i.peer_rmbe_size);
  print_smc_cursor(c, "rx_prod", i.rx_prod);
  print_smc_cursor(c, "rx_cons", i.rx_cons);
  print_smc_cursor(c, "tx_prod", i.tx_prod);
  print_smc_cursor(c, "tx_cons", i.tx_cons);
  c.printf(", rx_prod_flags=%#x, rx_conn_state_flags=%#x, tx_prod_flags=%#x, tx_conn_state_flags=%#x", i.rx_prod_flags,
           i.rx_conn_state_flags, i.tx_prod_flags, i.tx_conn_state_flags);
  print_smc_cursor(c, "tx_prep", i.tx_prep);
  print_smc_cursor(c, "tx_sent", i.tx_sent);
  print_smc_cursor(c, "tx_fin", i.tx_fin);
  c.printc('}');
  return true;
}

bool nla_smc_lgrinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  smc_diag_lgrinfo l;
  bool ok;
  if (!nla_read(c, addr, len, &l, &ok)) return false;
  if (!ok) return true;
  c.print("{lnk=[");
  for (size_t i = 0; i < sizeof l.lnk / sizeof l.lnk[0]; i++) {
    const smc_diag_linkinfo& k = l.lnk[i];
    if (i) c.print(", ");
    Fields f(c);
    f.u("link_id", k.link_id);
    f.cstr("ibname", k.ibname);
    f.u("ibport", k.ibport);
    f.cstr("gid", k.gid);
    f.cstr("peer_gid", k.peer_gid);
    f.end();
  }
  c.print("], role=");
  print_xval(c, xlat_smc_link_group_roles, l.role, "SMC_???");
  c.printc('}');
  return true;
}

const NlaXlat kSockShutdown{&xlat_inet_diag_shutdown_flags, "???_SHUTDOWN", 1};

bool nla_smc_dmbinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  smcd_diag_dmbinfo d;
  bool ok;
  if (!nla_read(c, addr, len, &d, &ok)) return false;
  if (ok)
    c.printf("{linkid=%u, peer_gid=%#llx, my_gid=%#llx, token=%#llx, peer_token=%#llx}", d.linkid,
             static_cast<unsigned long long>(d.peer_gid), static_cast<unsigned long long>(d.my_gid),
             static_cast<unsigned long long>(d.token), static_cast<unsigned long long>(d.peer_token));
  return true;
}

// The decline codes come from a kernel-internal header: the number with its name in a comment.
void print_smc_decl(const Call& c, uint32_t v) {
  c.printf("%#x", v);
  if (xstyle(c) == XLAT_RAW) return;
  const char* name = xlat_lookup(xlat_smc_decl_codes, v);
  c.printf(" /* %s */", name ? name : "SMC_CLC_DECL_???");
}

bool nla_smc_fallback(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  smc_diag_fallback f;
  bool ok;
  if (!nla_read(c, addr, len, &f, &ok)) return false;
  if (!ok) return true;
  c.print("{reason=");
  print_smc_decl(c, f.reason);
  c.print(", peer_diagnosis=");
  print_smc_decl(c, f.peer_diagnosis);
  c.printc('}');
  return true;
}

const Nla kSmcDiagAttrs[] = {
    {SMC_DIAG_CONNINFO, nla_smc_conninfo, nullptr}, {SMC_DIAG_LGRINFO, nla_smc_lgrinfo, nullptr},
    {SMC_DIAG_SHUTDOWN, nla_flags, &kSockShutdown}, {SMC_DIAG_DMBINFO, nla_smc_dmbinfo, nullptr},
    {SMC_DIAG_FALLBACK, nla_smc_fallback, nullptr},
};
const AttrTable kSmcDiagTable = attr_table(xlat_smc_diag_attrs, "SMC_DIAG_???", kSmcDiagAttrs);

}  // namespace

bool print_smc_diag(const Call& c, bool request, uint8_t family, uint64_t addr, uint64_t len) {
  // The sockets' addresses are AF_INET ones whatever the family says.
  if (request)
    print_header_msg<smc_diag_req>(c, family, addr, len, "diag_family", nullptr, [&](const smc_diag_req& r, Fields& f) {
      f.flags("diag_ext", xlat_smc_diag_extended_flags, r.diag_ext, "1<<SMC_DIAG_\?\?\?-1");
      print_sockid(f.f("id"), r.id, AF_INET);
    });
  else
    print_header_msg<smc_diag_msg>(c, family, addr, len, "diag_family", &kSmcDiagTable, [&](const smc_diag_msg& m, Fields& f) {
      f.xval("diag_state", xlat_smc_states, m.diag_state, "SMC_???");
      f.xval("diag_fallback", xlat_smc_diag_mode, m.diag_fallback, "SMC_DIAG_MODE_???");
      f.u("diag_shutdown", m.diag_shutdown);
      print_sockid(f.f("id"), m.id, AF_INET);
      f.u("diag_uid", m.diag_uid);
      f.u("diag_inode", m.diag_inode);
    });
  return true;
}

}  // namespace net
}  // namespace decode
