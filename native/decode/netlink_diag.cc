// NETLINK_SOCK_DIAG payloads as strace 6.1 prints them: a request (NLM_F_REQUEST) or an answer of the
// family its first byte names, each with its attributes through the family's table. Families with no
// decoder show as {family=AF_..., data="..."}.
#include "netlink_internal.h"
#include "net_internal.h"

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>

#include <cstring>

namespace decode {
namespace net {

namespace {

void print_family(const Call& c, uint8_t family) { print_xval(c, xlat_address_families, family, "AF_???"); }

// The two halves of a socket cookie: [lo, hi].
void print_cookie(Fields& f, const char* name, const uint32_t (&cookie)[2]) {
  f.f(name).printf("[%u, %u]", cookie[0], cookie[1]);
}

// A request or answer structure H whose fields past the family byte print when len holds all of H
// (else "..."), then its attributes (table t) when it has any.
template <typename H, typename F>
void print_diag(const Call& c, uint8_t family, uint64_t addr, uint64_t len, const char* family_field,
                const AttrTable* t, F&& fields) {
  H h;
  memset(&h, 0, sizeof h);
  memcpy(&h, &family, 1);
  c.printf("{%s=", family_field);
  print_family(c, family);
  c.print(", ");
  bool attrs = false;
  if (len >= sizeof h) {
    if (!read_mem(c, addr + 1, reinterpret_cast<char*>(&h) + 1, sizeof h - 1)) {
      print_addr(c, addr + 1);
    } else {
      Fields f(c, false, 0);
      fields(h, f);
      attrs = true;
    }
  } else {
    c.print("...");
  }
  c.printc('}');
  const uint64_t off = NLMSG_ALIGN(sizeof h);
  if (attrs && t && len > off) {
    c.print(", ");
    print_attrs(c, addr + off, len - off, *t, &h);
  }
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
  print_diag<unix_diag_req>(c, family, addr, len, "sdiag_family", nullptr, [&](const unix_diag_req& r, Fields& f) {
    f.u("sdiag_protocol", r.sdiag_protocol);
    f.flags("udiag_states", xlat_tcp_state_flags, r.udiag_states, "1<<TCP_???");
    f.u("udiag_ino", r.udiag_ino);
    f.flags("udiag_show", xlat_unix_diag_show, r.udiag_show, "UDIAG_SHOW_???");
    print_cookie(f, "udiag_cookie", r.udiag_cookie);
  });
}

void print_unix_diag_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_diag<unix_diag_msg>(c, family, addr, len, "udiag_family", &kUnixDiagTable,
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
  print_diag<netlink_diag_req>(c, family, addr, len, "sdiag_family", nullptr,
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
  print_diag<netlink_diag_msg>(c, family, addr, len, "ndiag_family", &kNetlinkDiagTable,
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

// PACKET_DIAG_FILTER is a classic BPF program, which strace disassembles; its bytes stay hex here.
const Nla kPacketDiagAttrs[] = {
    {PACKET_DIAG_INFO, nla_packet_info, nullptr},    {PACKET_DIAG_MCLIST, nla_packet_mclist, nullptr},
    {PACKET_DIAG_RX_RING, nla_packet_ring, nullptr}, {PACKET_DIAG_TX_RING, nla_packet_ring, nullptr},
    {PACKET_DIAG_FANOUT, nla_u32, nullptr},          {PACKET_DIAG_UID, nla_uid, nullptr},
    {PACKET_DIAG_MEMINFO, nla_meminfo, nullptr},
};
const AttrTable kPacketDiagTable = attr_table(xlat_packet_diag_attrs, "PACKET_DIAG_???", kPacketDiagAttrs);

void print_packet_diag_req(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_diag<packet_diag_req>(c, family, addr, len, "sdiag_family", nullptr, [&](const packet_diag_req& r, Fields& f) {
    f.x("sdiag_protocol", r.sdiag_protocol);
    f.u("pdiag_ino", r.pdiag_ino);
    f.flags("pdiag_show", xlat_packet_diag_show, r.pdiag_show, "PACKET_SHOW_???");
    print_cookie(f, "pdiag_cookie", r.pdiag_cookie);
  });
}

void print_packet_diag_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_diag<packet_diag_msg>(c, family, addr, len, "pdiag_family", &kPacketDiagTable,
                              [&](const packet_diag_msg& m, Fields& f) {
                                f.xval("pdiag_type", xlat_socket_types, m.pdiag_type, "SOCK_???");
                                f.xval("pdiag_num", xlat_ethernet_protocols, m.pdiag_num, "ETH_P_???");
                                f.u("pdiag_ino", m.pdiag_ino);
                                print_cookie(f, "pdiag_cookie", m.pdiag_cookie);
                              });
}

void print_family_data(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  c.print("{family=");
  print_family(c, family);
  if (len > 1) {
    c.print(", data=");
    print_buf_hex(c, addr + 1, len - 1);
  }
  c.printc('}');
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

bool print_inet_diag(const Call&, bool, unsigned, uint8_t, uint64_t, uint64_t) { return false; }
bool print_smc_diag(const Call&, bool, uint8_t, uint64_t, uint64_t) { return false; }

}  // namespace net
}  // namespace decode
