// RTM_*LINK payloads: struct ifinfomsg and the IFLA_* attributes as strace 6.1 prints them, nested
// ones (link info, VF info, ports, XDP, per-family specifics) through tables of their own.
#include "netlink_internal.h"
#include "net_internal.h"

#include <arpa/inet.h>
#include <linux/if_bridge.h>
#include <linux/if_bonding.h>
#include <linux/if_link.h>
#include <linux/mpls.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cinttypes>
#include <cstring>

#ifndef AF_MCTP
#define AF_MCTP 45
#endif

namespace decode {
namespace net {

namespace {

// What IFLA_LINKINFO's attributes learn from one another: IFLA_INFO_DATA's layout depends on the
// IFLA_INFO_KIND before it, IFLA_INFO_SLAVE_DATA's on IFLA_INFO_SLAVE_KIND.
struct LinkinfoCtx {
  const ifinfomsg* msg;
  char kind[16];
  char slave_kind[16];
};

// An array of numbers with their indices named: [[NAME]=value, ...].
struct IndexedArray {
  const Xlat* names;
  const char* unknown;
  bool is_signed;  // int elements (printed and indexed in decimal), else uint64_t ones
};

bool nla_indexed_array(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void*) {
  const IndexedArray& a = *static_cast<const IndexedArray*>(arg);
  size_t idx = 0;
  auto index = [&] {
    c.printc('[');
    if (a.is_signed)
      print_xval_d(c, *a.names, static_cast<int64_t>(idx), a.unknown);
    else
      print_xval_u(c, *a.names, idx, a.unknown);
    c.print("]=");
    idx++;
  };
  if (a.is_signed) {
    const uint64_t n = len / sizeof(int32_t);
    if (!n) return false;
    print_array<int32_t>(c, addr, n, [&](int32_t v) {
      index();
      c.printf("%d", v);
    });
  } else {
    const uint64_t n = len / sizeof(uint64_t);
    if (!n) return false;
    print_array<uint64_t>(c, addr, n, [&](uint64_t v) {
      index();
      c.printf("%" PRIu64, v);
    });
  }
  return true;
}

// A hardware address attribute: the ifinfomsg's type says how long such an address is.
bool nla_ifla_hwaddr(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void* msg) {
  return nla_hwaddr(c, addr, len, arg, msg);
}

template <typename S>
void print_link_stats(const Call& c, const S& st, bool with_nohandler) {
  Fields f(c);
  f.u("rx_packets", st.rx_packets);
  f.u("tx_packets", st.tx_packets);
  f.u("rx_bytes", st.rx_bytes);
  f.u("tx_bytes", st.tx_bytes);
  f.u("rx_errors", st.rx_errors);
  f.u("tx_errors", st.tx_errors);
  f.u("rx_dropped", st.rx_dropped);
  f.u("tx_dropped", st.tx_dropped);
  f.u("multicast", st.multicast);
  f.u("collisions", st.collisions);
  f.u("rx_length_errors", st.rx_length_errors);
  f.u("rx_over_errors", st.rx_over_errors);
  f.u("rx_crc_errors", st.rx_crc_errors);
  f.u("rx_frame_errors", st.rx_frame_errors);
  f.u("rx_fifo_errors", st.rx_fifo_errors);
  f.u("rx_missed_errors", st.rx_missed_errors);
  f.u("tx_aborted_errors", st.tx_aborted_errors);
  f.u("tx_carrier_errors", st.tx_carrier_errors);
  f.u("tx_fifo_errors", st.tx_fifo_errors);
  f.u("tx_heartbeat_errors", st.tx_heartbeat_errors);
  f.u("tx_window_errors", st.tx_window_errors);
  f.u("rx_compressed", st.rx_compressed);
  f.u("tx_compressed", st.tx_compressed);
  if (with_nohandler) f.u("rx_nohandler", st.rx_nohandler);
}

// struct rtnl_link_stats: older kernels' version ends at tx_compressed.
bool nla_link_stats(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  rtnl_link_stats st;
  const size_t min = offsetof(rtnl_link_stats, rx_nohandler);
  const size_t size = len >= sizeof st ? sizeof st : len == min ? min : 0;
  if (!size) return false;
  memset(&st, 0, sizeof st);
  if (!read_mem(c, addr, &st, size)) {
    print_addr(c, addr);
    return true;
  }
  print_link_stats(c, st, size == sizeof st);
  c.printc('}');
  return true;
}

}  // namespace

// struct rtnl_link_stats64, in its three sizes (also IFLA_STATS_LINK_64 of RTM_*STATS).
bool nla_link_stats64(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  rtnl_link_stats64 st;
  const size_t min = offsetof(rtnl_link_stats64, rx_nohandler);
  const size_t with_nohandler = min + sizeof st.rx_nohandler;
  const size_t size = len >= sizeof st ? sizeof st : len == with_nohandler ? with_nohandler : len == min ? min : 0;
  if (!size) return false;
  memset(&st, 0, sizeof st);
  if (!read_mem(c, addr, &st, size)) {
    print_addr(c, addr);
    return true;
  }
  print_link_stats(c, st, size >= with_nohandler);
  if (size == sizeof st) {
    c.printf(", rx_otherhost_dropped=%llu", static_cast<unsigned long long>(st.rx_otherhost_dropped));
  }
  c.printc('}');
  return true;
}

namespace {

bool nla_bridge_id(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  ifla_bridge_id id;
  bool ok;
  if (!nla_read(c, addr, len, &id, &ok)) return false;
  if (!ok) return true;
  c.printf("{prio=[%u, %u], addr=", id.prio[0], id.prio[1]);
  print_hwaddr_bytes(c, id.addr, sizeof id.addr);
  c.printc('}');
  return true;
}

const Nla kBrportAttrs[] = {
    {IFLA_BRPORT_STATE, nla_u8, nullptr},
    {IFLA_BRPORT_PRIORITY, nla_u16, nullptr},
    {IFLA_BRPORT_COST, nla_u32, nullptr},
    {IFLA_BRPORT_MODE, nla_u8, nullptr},
    {IFLA_BRPORT_GUARD, nla_u8, nullptr},
    {IFLA_BRPORT_PROTECT, nla_u8, nullptr},
    {IFLA_BRPORT_FAST_LEAVE, nla_u8, nullptr},
    {IFLA_BRPORT_LEARNING, nla_u8, nullptr},
    {IFLA_BRPORT_UNICAST_FLOOD, nla_u8, nullptr},
    {IFLA_BRPORT_PROXYARP, nla_u8, nullptr},
    {IFLA_BRPORT_LEARNING_SYNC, nla_u8, nullptr},
    {IFLA_BRPORT_PROXYARP_WIFI, nla_u8, nullptr},
    {IFLA_BRPORT_ROOT_ID, nla_bridge_id, nullptr},
    {IFLA_BRPORT_BRIDGE_ID, nla_bridge_id, nullptr},
    {IFLA_BRPORT_DESIGNATED_PORT, nla_u16, nullptr},
    {IFLA_BRPORT_DESIGNATED_COST, nla_u16, nullptr},
    {IFLA_BRPORT_ID, nla_u16, nullptr},
    {IFLA_BRPORT_NO, nla_u16, nullptr},
    {IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, nla_u8, nullptr},
    {IFLA_BRPORT_CONFIG_PENDING, nla_u8, nullptr},
    {IFLA_BRPORT_MESSAGE_AGE_TIMER, nla_clock_t, nullptr},
    {IFLA_BRPORT_FORWARD_DELAY_TIMER, nla_clock_t, nullptr},
    {IFLA_BRPORT_HOLD_TIMER, nla_clock_t, nullptr},
    {IFLA_BRPORT_MULTICAST_ROUTER, nla_u8, nullptr},
    {IFLA_BRPORT_MCAST_FLOOD, nla_u8, nullptr},
    {IFLA_BRPORT_MCAST_TO_UCAST, nla_u8, nullptr},
    {IFLA_BRPORT_VLAN_TUNNEL, nla_u8, nullptr},
    {IFLA_BRPORT_BCAST_FLOOD, nla_u8, nullptr},
    {IFLA_BRPORT_GROUP_FWD_MASK, nla_x16, nullptr},
    {IFLA_BRPORT_NEIGH_SUPPRESS, nla_u8, nullptr},
    {IFLA_BRPORT_ISOLATED, nla_u8, nullptr},
    {IFLA_BRPORT_BACKUP_PORT, nla_ifindex, nullptr},
    {IFLA_BRPORT_MRP_RING_OPEN, nla_u8, nullptr},
    {IFLA_BRPORT_MRP_IN_OPEN, nla_u8, nullptr},
    {IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, nla_u32, nullptr},
    {IFLA_BRPORT_MCAST_EHT_HOSTS_CNT, nla_u32, nullptr},
    {IFLA_BRPORT_LOCKED, nla_u8, nullptr},
};
const AttrTable kBrportTable = attr_table(xlat_rtnl_ifla_brport_attrs, "IFLA_BRPORT_???", kBrportAttrs);

// ---- per-family attributes (IFLA_PROTINFO, IFLA_AF_SPEC)

const NlaXlat kInet6Flags{&xlat_inet6_if_flags, "IF_???", 4};
const NlaXlat kInet6AddrGenMode{&xlat_in6_addr_gen_mode, "IN6_ADDR_GEN_MODE_???", 1};
const IndexedArray kInet6Conf{&xlat_inet6_devconf_indices, "DEVCONF_???", true};
const IndexedArray kInet6Stats{&xlat_snmp_ip_stats, "IPSTATS_MIB_???", false};
const IndexedArray kIcmp6Stats{&xlat_snmp_icmp6_stats, "ICMP6_MIB_???", false};
const IndexedArray kInetConf{&xlat_inet_devconf_indices, "IPV4_DEVCONF_???", true};

bool nla_inet6_cacheinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  ifla_cacheinfo ci;
  bool ok;
  if (!nla_read(c, addr, len, &ci, &ok)) return false;
  if (ok)
    c.printf("{max_reasm_len=%u, tstamp=%u, reachable_time=%u, retrans_time=%u}", ci.max_reasm_len, ci.tstamp,
             ci.reachable_time, ci.retrans_time);
  return true;
}

const Nla kInet6Attrs[] = {
    {IFLA_INET6_FLAGS, nla_flags, &kInet6Flags},
    {IFLA_INET6_CONF, nla_indexed_array, &kInet6Conf},
    {IFLA_INET6_STATS, nla_indexed_array, &kInet6Stats},
    {IFLA_INET6_CACHEINFO, nla_inet6_cacheinfo, nullptr},
    {IFLA_INET6_ICMP6STATS, nla_indexed_array, &kIcmp6Stats},
    {IFLA_INET6_TOKEN, nla_in6_addr, nullptr},
    {IFLA_INET6_ADDR_GEN_MODE, nla_xval, &kInet6AddrGenMode},
    {IFLA_INET6_RA_MTU, nla_u32, nullptr},
};
const AttrTable kInet6Table = attr_table(xlat_rtnl_ifla_af_spec_inet6_attrs, "IFLA_INET6_???", kInet6Attrs);

const Nla kInetAttrs[] = {
    {IFLA_INET_CONF, nla_indexed_array, &kInetConf},
};
const AttrTable kInetTable = attr_table(xlat_rtnl_ifla_af_spec_inet_attrs, "IFLA_INET_???", kInetAttrs);

const Nla kMctpAttrs[] = {
    {IFLA_MCTP_NET, nla_u32, nullptr},
};
const AttrTable kMctpTable = attr_table(xlat_rtnl_ifla_af_spec_mctp_attrs, "IFLA_MCTP_???", kMctpAttrs);

// IFLA_PROTINFO: bridge port attributes for AF_BRIDGE, IFLA_INET6_* for AF_INET6, else hex.
bool nla_protinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  const uint8_t family = static_cast<const ifinfomsg*>(msg)->ifi_family;
  const AttrTable* t = family == AF_BRIDGE ? &kBrportTable : family == AF_INET6 ? &kInet6Table : nullptr;
  if (!t) return false;
  print_attrs(c, addr, len, *t, msg);
  return true;
}

// One attribute of IFLA_AF_SPEC whose type is an address family.
bool nla_af_spec_family(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void* msg) {
  const uintptr_t af = reinterpret_cast<uintptr_t>(arg);
  const AttrTable* t = af == AF_INET ? &kInetTable : af == AF_INET6 ? &kInet6Table : af == AF_MCTP ? &kMctpTable : nullptr;
  if (!t) return false;
  print_attrs(c, addr, len, *t, msg);
  return true;
}
const AttrTable kAfSpecFamilies{&xlat_address_families, "AF_???", nullptr, 0, nla_af_spec_family};

const NlaXlat kBridgeFlags{&xlat_rtnl_ifla_bridge_flags, "BRIDGE_FLAGS_???", 2};
const NlaXlat kBridgeMode{&xlat_rtnl_ifla_bridge_modes, "BRIDGE_MODE_???", 2};
const NlaXlat kBridgeVlanFlags{&xlat_nl_bridge_vlan_flags, "BRIDGE_VLAN_INFO_???", 2};

bool nla_bridge_vlan_info(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  bridge_vlan_info v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (!ok) return true;
  c.print("{flags=");
  print_flags(c, xlat_nl_bridge_vlan_flags, v.flags, "0", "BRIDGE_VLAN_INFO_???");
  c.printf(", vid=%u}", v.vid);
  if (len > sizeof v) {
    c.print(", ");
    print_buf_hex(c, addr + sizeof v, len - sizeof v);
  }
  return true;
}

const Nla kBridgeVlanTunnelAttrs[] = {
    {IFLA_BRIDGE_VLAN_TUNNEL_ID, nla_u32, nullptr},
    {IFLA_BRIDGE_VLAN_TUNNEL_VID, nla_u16, nullptr},
    {IFLA_BRIDGE_VLAN_TUNNEL_FLAGS, nla_flags, &kBridgeVlanFlags},
};
const AttrTable kBridgeVlanTunnelTable = attr_table(xlat_rtnl_ifla_af_spec_bridge_vlan_tunnel_info_attrs,
                                                    "IFLA_BRIDGE_VLAN_TUNNEL_???", kBridgeVlanTunnelAttrs);

const Nla kAfSpecBridgeAttrs[] = {
    {IFLA_BRIDGE_FLAGS, nla_flags, &kBridgeFlags},
    {IFLA_BRIDGE_MODE, nla_xval, &kBridgeMode},
    {IFLA_BRIDGE_VLAN_INFO, nla_bridge_vlan_info, nullptr},
    {IFLA_BRIDGE_VLAN_TUNNEL_INFO, nla_nested, &kBridgeVlanTunnelTable},
};
const AttrTable kAfSpecBridgeTable = attr_table(xlat_rtnl_ifla_af_spec_bridge_attrs, "IFLA_BRIDGE_???", kAfSpecBridgeAttrs);

// IFLA_AF_SPEC: the bridge's attributes for AF_BRIDGE, else one nested attribute per address family.
bool nla_af_spec(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  const uint8_t family = static_cast<const ifinfomsg*>(msg)->ifi_family;
  print_attrs(c, addr, len, family == AF_BRIDGE ? kAfSpecBridgeTable : kAfSpecFamilies, msg);
  return true;
}

// ---- IFLA_LINKINFO

// A NUL-terminated kind, remembered for the attributes after it (empty when it does not fit).
void remember_kind(const Call& c, uint64_t addr, uint64_t len, char (&kind)[16]) {
  memset(kind, 0, sizeof kind);
  if (len >= sizeof kind || !read_mem(c, addr, kind, len) || strnlen(kind, sizeof kind) >= len) kind[0] = '\0';
}

bool nla_info_kind(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  remember_kind(c, addr, len, const_cast<LinkinfoCtx*>(static_cast<const LinkinfoCtx*>(msg))->kind);
  print_str_ex(c, addr, len, true);
  return true;
}

bool nla_info_slave_kind(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  remember_kind(c, addr, len, const_cast<LinkinfoCtx*>(static_cast<const LinkinfoCtx*>(msg))->slave_kind);
  print_str_ex(c, addr, len, true);
  return true;
}

bool nla_br_boolopt(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  br_boolopt_multi b;
  bool ok;
  if (!nla_read(c, addr, len, &b, &ok)) return false;
  if (!ok) return true;
  c.print("{optval=");
  print_flags(c, xlat_rtnl_ifla_br_boolopt_flags, b.optval, "0", "1<<BR_BOOLOPT_???");
  c.print(", optmask=");
  print_flags(c, xlat_rtnl_ifla_br_boolopt_flags, b.optmask, "0", "1<<BR_BOOLOPT_???");
  c.printc('}');
  return true;
}

const Nla kBrMcastQuerierAttrs[] = {
    {BRIDGE_QUERIER_IP_ADDRESS, nla_in_addr, nullptr},
    {BRIDGE_QUERIER_IP_PORT, nla_ifindex, nullptr},
    {BRIDGE_QUERIER_IP_OTHER_TIMER, nla_clock_t, nullptr},
    {BRIDGE_QUERIER_IPV6_ADDRESS, nla_in6_addr, nullptr},
    {BRIDGE_QUERIER_IPV6_PORT, nla_ifindex, nullptr},
    {BRIDGE_QUERIER_IPV6_OTHER_TIMER, nla_clock_t, nullptr},
};
const AttrTable kBrMcastQuerierTable =
    attr_table(xlat_rtnl_ifla_br_mcast_querier_attrs, "BRIDGE_QUERIER_???", kBrMcastQuerierAttrs);

const Nla kInfoDataBridgeAttrs[] = {
    {IFLA_BR_FORWARD_DELAY, nla_clock_t, nullptr},
    {IFLA_BR_HELLO_TIME, nla_clock_t, nullptr},
    {IFLA_BR_MAX_AGE, nla_clock_t, nullptr},
    {IFLA_BR_AGEING_TIME, nla_clock_t, nullptr},
    {IFLA_BR_STP_STATE, nla_u32, nullptr},
    {IFLA_BR_PRIORITY, nla_u16, nullptr},
    {IFLA_BR_VLAN_FILTERING, nla_u8, nullptr},
    {IFLA_BR_VLAN_PROTOCOL, nla_ether_proto, nullptr},
    {IFLA_BR_GROUP_FWD_MASK, nla_x16, nullptr},
    {IFLA_BR_ROOT_ID, nla_bridge_id, nullptr},
    {IFLA_BR_BRIDGE_ID, nla_bridge_id, nullptr},
    {IFLA_BR_ROOT_PORT, nla_u16, nullptr},
    {IFLA_BR_ROOT_PATH_COST, nla_u32, nullptr},
    {IFLA_BR_TOPOLOGY_CHANGE, nla_u8, nullptr},
    {IFLA_BR_TOPOLOGY_CHANGE_DETECTED, nla_u8, nullptr},
    {IFLA_BR_HELLO_TIMER, nla_clock_t, nullptr},
    {IFLA_BR_TCN_TIMER, nla_clock_t, nullptr},
    {IFLA_BR_TOPOLOGY_CHANGE_TIMER, nla_clock_t, nullptr},
    {IFLA_BR_GC_TIMER, nla_clock_t, nullptr},
    {IFLA_BR_GROUP_ADDR, nla_hwaddr, nullptr},
    {IFLA_BR_MCAST_ROUTER, nla_u8, nullptr},
    {IFLA_BR_MCAST_SNOOPING, nla_u8, nullptr},
    {IFLA_BR_MCAST_QUERY_USE_IFADDR, nla_u8, nullptr},
    {IFLA_BR_MCAST_QUERIER, nla_u8, nullptr},
    {IFLA_BR_MCAST_HASH_ELASTICITY, nla_u32, nullptr},
    {IFLA_BR_MCAST_HASH_MAX, nla_u32, nullptr},
    {IFLA_BR_MCAST_LAST_MEMBER_CNT, nla_u32, nullptr},
    {IFLA_BR_MCAST_STARTUP_QUERY_CNT, nla_u32, nullptr},
    {IFLA_BR_MCAST_LAST_MEMBER_INTVL, nla_clock_t, nullptr},
    {IFLA_BR_MCAST_MEMBERSHIP_INTVL, nla_clock_t, nullptr},
    {IFLA_BR_MCAST_QUERIER_INTVL, nla_clock_t, nullptr},
    {IFLA_BR_MCAST_QUERY_INTVL, nla_clock_t, nullptr},
    {IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, nla_clock_t, nullptr},
    {IFLA_BR_MCAST_STARTUP_QUERY_INTVL, nla_clock_t, nullptr},
    {IFLA_BR_NF_CALL_IPTABLES, nla_u8, nullptr},
    {IFLA_BR_NF_CALL_IP6TABLES, nla_u8, nullptr},
    {IFLA_BR_NF_CALL_ARPTABLES, nla_u8, nullptr},
    {IFLA_BR_VLAN_DEFAULT_PVID, nla_u16, nullptr},
    {IFLA_BR_VLAN_STATS_ENABLED, nla_u8, nullptr},
    {IFLA_BR_MCAST_STATS_ENABLED, nla_u8, nullptr},
    {IFLA_BR_MCAST_IGMP_VERSION, nla_u8, nullptr},
    {IFLA_BR_MCAST_MLD_VERSION, nla_u8, nullptr},
    {IFLA_BR_VLAN_STATS_PER_PORT, nla_u8, nullptr},
    {IFLA_BR_MULTI_BOOLOPT, nla_br_boolopt, nullptr},
    {IFLA_BR_MCAST_QUERIER_STATE, nla_nested, &kBrMcastQuerierTable},
};
const AttrTable kInfoDataBridgeTable =
    attr_table(xlat_rtnl_ifla_info_data_bridge_attrs, "IFLA_BR_???", kInfoDataBridgeAttrs);

const NlaXlat kTunType{&xlat_tun_device_types, "IFF_???", 1};
const Nla kInfoDataTunAttrs[] = {
    {IFLA_TUN_OWNER, nla_uid, nullptr},
    {IFLA_TUN_GROUP, nla_uid, nullptr},
    {IFLA_TUN_TYPE, nla_xval, &kTunType},
    {IFLA_TUN_PI, nla_u8, nullptr},
    {IFLA_TUN_VNET_HDR, nla_u8, nullptr},
    {IFLA_TUN_PERSIST, nla_u8, nullptr},
    {IFLA_TUN_MULTI_QUEUE, nla_u8, nullptr},
    {IFLA_TUN_NUM_QUEUES, nla_u32, nullptr},
    {IFLA_TUN_NUM_DISABLED_QUEUES, nla_u32, nullptr},
};
const AttrTable kInfoDataTunTable = attr_table(xlat_rtnl_ifla_info_data_tun_attrs, "IFLA_TUN_???", kInfoDataTunAttrs);

bool nla_info_data(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  const LinkinfoCtx* ctx = static_cast<const LinkinfoCtx*>(msg);
  const AttrTable* t = !strcmp(ctx->kind, "bridge") ? &kInfoDataBridgeTable
                       : !strcmp(ctx->kind, "tun")  ? &kInfoDataTunTable
                                                    : nullptr;
  if (!t) return false;
  print_attrs(c, addr, len, *t, msg);
  return true;
}

bool nla_info_slave_data(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  if (strcmp(static_cast<const LinkinfoCtx*>(msg)->slave_kind, "bridge") != 0) return false;
  print_attrs(c, addr, len, kBrportTable, msg);
  return true;
}

// IFLA_INFO_XSTATS of a CAN device: struct can_device_stats.
bool nla_info_xstats(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  if (strcmp(static_cast<const LinkinfoCtx*>(msg)->kind, "can") != 0) return false;
  uint32_t st[6];
  if (len < sizeof st) return false;
  if (!read_obj(c, addr, &st)) {
    print_addr(c, addr);
    return true;
  }
  c.printf("{bus_error=%u, error_warning=%u, error_passive=%u, bus_off=%u, arbitration_lost=%u, restarts=%u}", st[0],
           st[1], st[2], st[3], st[4], st[5]);
  return true;
}

const Nla kLinkinfoAttrs[] = {
    {IFLA_INFO_KIND, nla_info_kind, nullptr},
    {IFLA_INFO_DATA, nla_info_data, nullptr},
    {IFLA_INFO_XSTATS, nla_info_xstats, nullptr},
    {IFLA_INFO_SLAVE_KIND, nla_info_slave_kind, nullptr},
    {IFLA_INFO_SLAVE_DATA, nla_info_slave_data, nullptr},
};
const AttrTable kLinkinfoTable = attr_table(xlat_rtnl_ifla_info_attrs, "IFLA_INFO_???", kLinkinfoAttrs);

bool nla_linkinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  LinkinfoCtx ctx{static_cast<const ifinfomsg*>(msg), "", ""};
  print_attrs(c, addr, len, kLinkinfoTable, &ctx);
  return true;
}

// ---- IFLA_VFINFO_LIST

bool nla_vf_mac(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_mac>(c, addr, len, [&](const ifla_vf_mac& v) {
    c.printf("{vf=%u, mac=", v.vf);
    print_hwaddr_bytes(c, v.mac, sizeof v.mac);
    c.printc('}');
  });
}
bool nla_vf_vlan(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_vlan>(c, addr, len,
                                  [&](const ifla_vf_vlan& v) { c.printf("{vf=%u, vlan=%u, qos=%u}", v.vf, v.vlan, v.qos); });
}
bool nla_vf_tx_rate(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_tx_rate>(c, addr, len,
                                     [&](const ifla_vf_tx_rate& v) { c.printf("{vf=%u, rate=%u}", v.vf, v.rate); });
}
// ifla_vf_spoofchk, ifla_vf_rss_query_en and ifla_vf_trust: a vf and a setting.
bool nla_vf_setting(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_spoofchk>(c, addr, len,
                                      [&](const ifla_vf_spoofchk& v) { c.printf("{vf=%u, setting=%u}", v.vf, v.setting); });
}
bool nla_vf_link_state(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_link_state>(c, addr, len, [&](const ifla_vf_link_state& v) {
    c.printf("{vf=%u, link_state=", v.vf);
    print_xval(c, xlat_rtnl_ifla_vf_link_states, v.link_state, "IFLA_VF_LINK_STATE_???");
    c.printc('}');
  });
}
bool nla_vf_rate(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_rate>(c, addr, len, [&](const ifla_vf_rate& v) {
    c.printf("{vf=%u, min_tx_rate=%u, max_tx_rate=%u}", v.vf, v.min_tx_rate, v.max_tx_rate);
  });
}

// struct ifla_vf_guid: its guid is 8-byte aligned on some ABIs and not on others; both sizes read.
bool nla_vf_guid(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  if (len != 12 && len != 16) return false;
  unsigned char b[16];
  if (!read_mem(c, addr, b, len)) {
    print_addr(c, addr);
    return true;
  }
  uint32_t vf;
  uint64_t guid;
  memcpy(&vf, b, 4);
  memcpy(&guid, b + (len == 12 ? 4 : 8), 8);
  c.printf("{vf=%u, guid=%#" PRIx64 "}", vf, guid);
  return true;
}

bool nla_vf_vlan_info(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_vlan_info>(c, addr, len, [&](const ifla_vf_vlan_info& v) {
    c.printf("{vf=%u, vlan=%u, qos=%u, vlan_proto=htons(", v.vf, v.vlan, v.qos);
    print_xval(c, xlat_ethernet_protocols, ntohs(v.vlan_proto), "ETH_P_???");
    c.print(")}");
  });
}

bool nla_vf_broadcast(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_vf_broadcast>(c, addr, len, [&](const ifla_vf_broadcast& v) {
    c.print("{broadcast=");
    print_hwaddr_bytes(c, v.broadcast, sizeof v.broadcast);
    c.printc('}');
  });
}

const Nla kVfStatsAttrs[] = {
    {IFLA_VF_STATS_RX_PACKETS, nla_u64, nullptr}, {IFLA_VF_STATS_TX_PACKETS, nla_u64, nullptr},
    {IFLA_VF_STATS_RX_BYTES, nla_u64, nullptr},   {IFLA_VF_STATS_TX_BYTES, nla_u64, nullptr},
    {IFLA_VF_STATS_BROADCAST, nla_u64, nullptr},  {IFLA_VF_STATS_MULTICAST, nla_u64, nullptr},
    {IFLA_VF_STATS_RX_DROPPED, nla_u64, nullptr}, {IFLA_VF_STATS_TX_DROPPED, nla_u64, nullptr},
};
const AttrTable kVfStatsTable = attr_table(xlat_rtnl_ifla_vf_stats_attrs, "IFLA_VF_STATS_???", kVfStatsAttrs);

const Nla kVfVlanListAttrs[] = {
    {IFLA_VF_VLAN_INFO, nla_vf_vlan_info, nullptr},
};
const AttrTable kVfVlanListTable =
    attr_table(xlat_rtnl_ifla_vf_vlan_list_attrs, "IFLA_VF_VLAN_INFO_???", kVfVlanListAttrs);

const Nla kVfInfoAttrs[] = {
    {IFLA_VF_MAC, nla_vf_mac, nullptr},
    {IFLA_VF_VLAN, nla_vf_vlan, nullptr},
    {IFLA_VF_TX_RATE, nla_vf_tx_rate, nullptr},
    {IFLA_VF_SPOOFCHK, nla_vf_setting, nullptr},
    {IFLA_VF_LINK_STATE, nla_vf_link_state, nullptr},
    {IFLA_VF_RATE, nla_vf_rate, nullptr},
    {IFLA_VF_RSS_QUERY_EN, nla_vf_setting, nullptr},
    {IFLA_VF_STATS, nla_nested, &kVfStatsTable},
    {IFLA_VF_TRUST, nla_vf_setting, nullptr},
    {IFLA_VF_IB_NODE_GUID, nla_vf_guid, nullptr},
    {IFLA_VF_IB_PORT_GUID, nla_vf_guid, nullptr},
    {IFLA_VF_VLAN_LIST, nla_nested, &kVfVlanListTable},
    {IFLA_VF_BROADCAST, nla_vf_broadcast, nullptr},
};
const AttrTable kVfInfoTable = attr_table(xlat_rtnl_ifla_vf_info_attrs, "IFLA_VF_???", kVfInfoAttrs);

const Nla kVfinfoListAttrs[] = {
    {IFLA_VF_INFO, nla_nested, &kVfInfoTable},
};
const AttrTable kVfinfoListTable = attr_table(xlat_rtnl_ifla_vfinfo_list_attrs, "IFLA_VF_INFO_???", kVfinfoListAttrs);

// ---- ports, XDP, the rest

bool nla_port_vsi(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<ifla_port_vsi>(c, addr, len, [&](const ifla_port_vsi& v) {
    c.printf("{vsi_mgr_id=%u, vsi_type_id=", v.vsi_mgr_id);
    print_hex_bytes(c, v.vsi_type_id, sizeof v.vsi_type_id);
    c.printf(", vsi_type_version=%u", v.vsi_type_version);
    bool zero = true;
    for (uint8_t b : v.pad) zero = zero && !b;
    if (!zero) {
      c.print(", pad=");
      print_hex_bytes(c, v.pad, sizeof v.pad);
    }
    c.printc('}');
  });
}

const Nla kPortAttrs[] = {
    {IFLA_PORT_VF, nla_u32, nullptr},        {IFLA_PORT_PROFILE, nla_str, nullptr},
    {IFLA_PORT_VSI_TYPE, nla_port_vsi, nullptr}, {IFLA_PORT_REQUEST, nla_u8, nullptr},
    {IFLA_PORT_RESPONSE, nla_u16, nullptr},
};
const AttrTable kPortTable = attr_table(xlat_rtnl_ifla_port_attrs, "IFLA_VF_PORT_???", kPortAttrs);

const Nla kVfPortAttrs[] = {
    {IFLA_VF_PORT, nla_nested, &kPortTable},
};
const AttrTable kVfPortTable = attr_table(xlat_rtnl_ifla_vf_port_attrs, "IFLA_VF_PORT_???", kVfPortAttrs);

const NlaXlat kXdpAttached{&xlat_rtnl_ifla_xdp_attached_mode, "XDP_ATTACHED_???", 1};

bool nla_xdp_flags(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint32_t v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (ok) print_flags(c, xlat_xdp_flags, v, "0", "XDP_FLAGS_???");
  return true;
}

const Nla kXdpAttrs[] = {
    {IFLA_XDP_FD, nla_fd, nullptr},
    {IFLA_XDP_ATTACHED, nla_xval, &kXdpAttached},
    {IFLA_XDP_FLAGS, nla_xdp_flags, nullptr},
    {IFLA_XDP_PROG_ID, nla_u32, nullptr},
    {IFLA_XDP_DRV_PROG_ID, nla_u32, nullptr},
    {IFLA_XDP_SKB_PROG_ID, nla_u32, nullptr},
    {IFLA_XDP_HW_PROG_ID, nla_u32, nullptr},
    {IFLA_XDP_EXPECTED_FD, nla_fd, nullptr},
};
const AttrTable kXdpTable = attr_table(xlat_rtnl_ifla_xdp_attrs, "IFLA_XDP_???", kXdpAttrs);

bool nla_ifla_event(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint32_t v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (ok) print_xval(c, xlat_rtnl_ifla_events, v, "IFLA_EVENT_???");
  return true;
}

bool nla_ifmap(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  rtnl_link_ifmap m;
  const size_t size = offsetof(rtnl_link_ifmap, port) + sizeof m.port;
  if (len < size) return false;
  if (!read_mem(c, addr, &m, size)) {
    print_addr(c, addr);
    return true;
  }
  c.printf("{mem_start=%#llx, mem_end=%#llx, base_addr=%#llx, irq=%u, dma=%u, port=%u}",
           static_cast<unsigned long long>(m.mem_start), static_cast<unsigned long long>(m.mem_end),
           static_cast<unsigned long long>(m.base_addr), m.irq, m.dma, m.port);
  return true;
}

const NlaXlat kExtMask{&xlat_rtnl_ifla_ext_filter_flags, "RTEXT_FILTER_???", 4};

// IFLA_PROP_LIST: link attributes again, of which only IFLA_ALT_IFNAME is decoded.
const Nla kPropListAttrs[] = {
    {IFLA_ALT_IFNAME, nla_str, nullptr},
};
const AttrTable kPropListTable = attr_table(xlat_rtnl_link_attrs, "IFLA_???", kPropListAttrs);

const Nla kProtoDownReasonAttrs[] = {
    {IFLA_PROTO_DOWN_REASON_MASK, nla_x32, nullptr},
    {IFLA_PROTO_DOWN_REASON_VALUE, nla_x32, nullptr},
};
const AttrTable kProtoDownReasonTable =
    attr_table(xlat_rtnl_ifla_proto_down_reason_attrs, "IFLA_PROTO_DOWN_REASON_???", kProtoDownReasonAttrs);

const Nla kLinkAttrs[] = {
    {IFLA_ADDRESS, nla_ifla_hwaddr, nullptr},
    {IFLA_BROADCAST, nla_ifla_hwaddr, nullptr},
    {IFLA_IFNAME, nla_str, nullptr},
    {IFLA_MTU, nla_u32, nullptr},
    {IFLA_LINK, nla_u32, nullptr},
    {IFLA_QDISC, nla_str, nullptr},
    {IFLA_STATS, nla_link_stats, nullptr},
    {IFLA_MASTER, nla_u32, nullptr},
    {IFLA_PROTINFO, nla_protinfo, nullptr},
    {IFLA_TXQLEN, nla_u32, nullptr},
    {IFLA_MAP, nla_ifmap, nullptr},
    {IFLA_WEIGHT, nla_u32, nullptr},
    {IFLA_OPERSTATE, nla_u8, nullptr},
    {IFLA_LINKMODE, nla_u8, nullptr},
    {IFLA_LINKINFO, nla_linkinfo, nullptr},
    {IFLA_NET_NS_PID, nla_u32, nullptr},
    {IFLA_IFALIAS, nla_str, nullptr},
    {IFLA_NUM_VF, nla_u32, nullptr},
    {IFLA_VFINFO_LIST, nla_nested, &kVfinfoListTable},
    {IFLA_STATS64, nla_link_stats64, nullptr},
    {IFLA_VF_PORTS, nla_nested, &kVfPortTable},
    {IFLA_PORT_SELF, nla_nested, &kPortTable},
    {IFLA_AF_SPEC, nla_af_spec, nullptr},
    {IFLA_GROUP, nla_u32, nullptr},
    {IFLA_NET_NS_FD, nla_fd, nullptr},
    {IFLA_EXT_MASK, nla_flags, &kExtMask},
    {IFLA_PROMISCUITY, nla_u32, nullptr},
    {IFLA_NUM_TX_QUEUES, nla_u32, nullptr},
    {IFLA_NUM_RX_QUEUES, nla_u32, nullptr},
    {IFLA_CARRIER, nla_u8, nullptr},
    {IFLA_CARRIER_CHANGES, nla_u32, nullptr},
    {IFLA_LINK_NETNSID, nla_s32, nullptr},
    {IFLA_PHYS_PORT_NAME, nla_str, nullptr},
    {IFLA_PROTO_DOWN, nla_u8, nullptr},
    {IFLA_GSO_MAX_SEGS, nla_u32, nullptr},
    {IFLA_GSO_MAX_SIZE, nla_u32, nullptr},
    {IFLA_XDP, nla_nested, &kXdpTable},
    {IFLA_EVENT, nla_ifla_event, nullptr},
    {IFLA_NEW_NETNSID, nla_s32, nullptr},
    {IFLA_IF_NETNSID, nla_s32, nullptr},
    {IFLA_CARRIER_UP_COUNT, nla_u32, nullptr},
    {IFLA_CARRIER_DOWN_COUNT, nla_u32, nullptr},
    {IFLA_NEW_IFINDEX, nla_ifindex, nullptr},
    {IFLA_MIN_MTU, nla_u32, nullptr},
    {IFLA_MAX_MTU, nla_u32, nullptr},
    {IFLA_PROP_LIST, nla_nested, &kPropListTable},
    {IFLA_ALT_IFNAME, nla_str, nullptr},
    {IFLA_PERM_ADDRESS, nla_ifla_hwaddr, nullptr},
    {IFLA_PROTO_DOWN_REASON, nla_nested, &kProtoDownReasonTable},
    {IFLA_PARENT_DEV_NAME, nla_str, nullptr},
    {IFLA_PARENT_DEV_BUS_NAME, nla_str, nullptr},
    {IFLA_GRO_MAX_SIZE, nla_u32, nullptr},
    {IFLA_TSO_MAX_SIZE, nla_u32, nullptr},
    {IFLA_TSO_MAX_SEGS, nla_u32, nullptr},
    {IFLA_ALLMULTI, nla_u32, nullptr},
};
const AttrTable kLinkTable = attr_table(xlat_rtnl_link_attrs, "IFLA_???", kLinkAttrs);

}  // namespace

void print_ifinfomsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<ifinfomsg>(c, family, addr, len, "ifi_family", &kLinkTable, [&](const ifinfomsg& m, Fields& f) {
    f.xval("ifi_type", xlat_arp_hardware_types, m.ifi_type, "ARPHRD_???");
    print_ifindex(f.f("ifi_index"), static_cast<unsigned>(m.ifi_index));
    f.flags("ifi_flags", xlat_iffflags, m.ifi_flags, "IFF_???");
    f.x("ifi_change", m.ifi_change);
  });
}

// ---------------------------------------------------------------- RTM_*STATS: struct if_stats_msg

namespace {

// A u64 array of a struct br_mcast_stats field: [[BR_MCAST_DIR_RX]=n, [BR_MCAST_DIR_TX]=n].
void print_mcast_dirs(const Call& c, const char* name, const __u64 (&v)[BR_MCAST_DIR_SIZE], bool first = false) {
  c.printf("%s%s=[", first ? "" : ", ", name);
  for (unsigned i = 0; i < BR_MCAST_DIR_SIZE; i++) {
    if (i) c.print(", ");
    c.printc('[');
    print_xval_u(c, xlat_ifstats_xstats_bridge_mcast_indices, i);
    c.printf("]=%llu", static_cast<unsigned long long>(v[i]));
  }
  c.printc(']');
}

// A structure of a known size followed by bytes the decoder does not know: those as hex.
void print_tail_hex(const Call& c, uint64_t addr, uint64_t len, size_t size) {
  if (len > size) {
    c.print(", ");
    print_buf_hex(c, addr + size, len - size);
  }
}

bool nla_xstats_bridge_vlan(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  bridge_vlan_xstats st;
  bool ok;
  if (!nla_read(c, addr, len, &st, &ok)) return false;
  if (!ok) return true;
  c.printf("{rx_bytes=%llu, rx_packets=%llu, tx_bytes=%llu, tx_packets=%llu, vid=%u, flags=",
           static_cast<unsigned long long>(st.rx_bytes), static_cast<unsigned long long>(st.rx_packets),
           static_cast<unsigned long long>(st.tx_bytes), static_cast<unsigned long long>(st.tx_packets), st.vid);
  print_flags(c, xlat_nl_bridge_vlan_flags, st.flags, "0", "BRIDGE_VLAN_INFO_???");
  if (st.pad2) c.printf(", pad2=%#x", st.pad2);
  c.printc('}');
  print_tail_hex(c, addr, len, sizeof st);
  return true;
}

bool nla_xstats_bridge_mcast(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  br_mcast_stats st;
  bool ok;
  if (!nla_read(c, addr, len, &st, &ok)) return false;
  if (!ok) return true;
  c.printc('{');
  print_mcast_dirs(c, "igmp_v1queries", st.igmp_v1queries, true);
  print_mcast_dirs(c, "igmp_v2queries", st.igmp_v2queries);
  print_mcast_dirs(c, "igmp_v3queries", st.igmp_v3queries);
  print_mcast_dirs(c, "igmp_leaves", st.igmp_leaves);
  print_mcast_dirs(c, "igmp_v1reports", st.igmp_v1reports);
  print_mcast_dirs(c, "igmp_v2reports", st.igmp_v2reports);
  print_mcast_dirs(c, "igmp_v3reports", st.igmp_v3reports);
  c.printf(", igmp_parse_errors=%llu", static_cast<unsigned long long>(st.igmp_parse_errors));
  print_mcast_dirs(c, "mld_v1queries", st.mld_v1queries);
  print_mcast_dirs(c, "mld_v2queries", st.mld_v2queries);
  print_mcast_dirs(c, "mld_leaves", st.mld_leaves);
  print_mcast_dirs(c, "mld_v1reports", st.mld_v1reports);
  print_mcast_dirs(c, "mld_v2reports", st.mld_v2reports);
  c.printf(", mld_parse_errors=%llu", static_cast<unsigned long long>(st.mld_parse_errors));
  print_mcast_dirs(c, "mcast_bytes", st.mcast_bytes);
  print_mcast_dirs(c, "mcast_packets", st.mcast_packets);
  c.printc('}');
  print_tail_hex(c, addr, len, sizeof st);
  return true;
}

bool nla_xstats_bridge_stp(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  bridge_stp_xstats st;
  bool ok;
  if (!nla_read(c, addr, len, &st, &ok)) return false;
  if (!ok) return true;
  c.printf("{transition_blk=%llu, transition_fwd=%llu, rx_bpdu=%llu, tx_bpdu=%llu, rx_tcn=%llu, tx_tcn=%llu}",
           static_cast<unsigned long long>(st.transition_blk), static_cast<unsigned long long>(st.transition_fwd),
           static_cast<unsigned long long>(st.rx_bpdu), static_cast<unsigned long long>(st.tx_bpdu),
           static_cast<unsigned long long>(st.rx_tcn), static_cast<unsigned long long>(st.tx_tcn));
  print_tail_hex(c, addr, len, sizeof st);
  return true;
}

const Nla kXstatsBridgeAttrs[] = {
    {BRIDGE_XSTATS_VLAN, nla_xstats_bridge_vlan, nullptr},
    {BRIDGE_XSTATS_MCAST, nla_xstats_bridge_mcast, nullptr},
    {BRIDGE_XSTATS_STP, nla_xstats_bridge_stp, nullptr},
};
const AttrTable kXstatsBridgeTable = attr_table(xlat_ifstats_xstats_bridge_attrs, "BRIDGE_XSTATS_???", kXstatsBridgeAttrs);

const Nla kXstatsBond3adAttrs[] = {
    {BOND_3AD_STAT_LACPDU_RX, nla_u64, nullptr},         {BOND_3AD_STAT_LACPDU_TX, nla_u64, nullptr},
    {BOND_3AD_STAT_LACPDU_UNKNOWN_RX, nla_u64, nullptr}, {BOND_3AD_STAT_LACPDU_ILLEGAL_RX, nla_u64, nullptr},
    {BOND_3AD_STAT_MARKER_RX, nla_u64, nullptr},         {BOND_3AD_STAT_MARKER_TX, nla_u64, nullptr},
    {BOND_3AD_STAT_MARKER_RESP_RX, nla_u64, nullptr},    {BOND_3AD_STAT_MARKER_RESP_TX, nla_u64, nullptr},
    {BOND_3AD_STAT_MARKER_UNKNOWN_RX, nla_u64, nullptr},
};
const AttrTable kXstatsBond3adTable = attr_table(xlat_ifstats_xstats_bond_3ad_attrs, "BOND_XSTATS_???", kXstatsBond3adAttrs);
const Nla kXstatsBondAttrs[] = {
    {BOND_XSTATS_3AD, nla_nested, &kXstatsBond3adTable},
};
const AttrTable kXstatsBondTable = attr_table(xlat_ifstats_xstats_bond_attrs, "BOND_XSTATS_???", kXstatsBondAttrs);

const Nla kXstatsAttrs[] = {
    {LINK_XSTATS_TYPE_BRIDGE, nla_nested, &kXstatsBridgeTable},
    {LINK_XSTATS_TYPE_BOND, nla_nested, &kXstatsBondTable},
};
const AttrTable kXstatsTable = attr_table(xlat_ifstats_xstats_type_attrs, "LINK_XSTATS_TYPE_???", kXstatsAttrs);

const Nla kOffloadXstatsAttrs[] = {
    {IFLA_OFFLOAD_XSTATS_CPU_HIT, nla_link_stats64, nullptr},
};
const AttrTable kOffloadXstatsTable =
    attr_table(xlat_ifstats_offload_attrs, "IFLA_OFFLOAD_XSTATS_???", kOffloadXstatsAttrs);

bool nla_mpls_link_stats(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  mpls_link_stats st;
  bool ok;
  if (!nla_read(c, addr, len, &st, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  f.u("rx_packets", st.rx_packets);
  f.u("tx_packets", st.tx_packets);
  f.u("rx_bytes", st.rx_bytes);
  f.u("tx_bytes", st.tx_bytes);
  f.u("rx_errors", st.rx_errors);
  f.u("tx_errors", st.tx_errors);
  f.u("rx_dropped", st.rx_dropped);
  f.u("tx_dropped", st.tx_dropped);
  f.u("rx_noroute", st.rx_noroute);
  f.end();
  print_tail_hex(c, addr, len, sizeof st);
  return true;
}

const Nla kStatsMplsAttrs[] = {
    {MPLS_STATS_LINK, nla_mpls_link_stats, nullptr},
};
const AttrTable kStatsMplsTable = attr_table(xlat_ifstats_af_spec_mpls_attrs, "MPLS_STATS_???", kStatsMplsAttrs);

bool nla_stats_af(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void* msg) {
  if (reinterpret_cast<uintptr_t>(arg) != AF_MPLS) return false;
  print_attrs(c, addr, len, kStatsMplsTable, msg);
  return true;
}
const AttrTable kStatsAfSpecTable{&xlat_address_families, "AF_???", nullptr, 0, nla_stats_af};

const Nla kStatsAttrs[] = {
    {IFLA_STATS_LINK_64, nla_link_stats64, nullptr},
    {IFLA_STATS_LINK_XSTATS, nla_nested, &kXstatsTable},
    {IFLA_STATS_LINK_XSTATS_SLAVE, nla_nested, &kXstatsTable},
    {IFLA_STATS_LINK_OFFLOAD_XSTATS, nla_nested, &kOffloadXstatsTable},
    {IFLA_STATS_AF_SPEC, nla_nested, &kStatsAfSpecTable},
};
const AttrTable kStatsTable = attr_table(xlat_ifstats_attrs, "IFLA_STATS_???", kStatsAttrs);

}  // namespace

void print_ifstatsmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<if_stats_msg>(c, family, addr, len, "family", &kStatsTable, [&](const if_stats_msg& m, Fields& f) {
    if (m.pad1) f.x("pad1", m.pad1);
    if (m.pad2) f.x("pad2", m.pad2);
    print_ifindex(f.f("ifindex"), m.ifindex);
    f.flags("filter_mask", xlat_ifstats_attr_flags, m.filter_mask, "1<<IFLA_STATS_???");
  });
}

}  // namespace net
}  // namespace decode
