// NETLINK_ROUTE payloads as strace 6.1 prints them: each message type's header structure (its first
// byte is always the address family), then its attributes through the type's attribute table. A type
// with no decoder shows as {family=AF_..., data="..."}.
#include "netlink_internal.h"
#include "net_internal.h"

#include <linux/dcbnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_addrlabel.h>
#include <linux/if_bridge.h>
#include <linux/lwtunnel.h>
#include <linux/mroute.h>
#include <linux/mroute6.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/nexthop.h>
#include <linux/gen_stats.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace decode {
namespace net {

namespace {

// A message whose header is the family alone (struct rtgenmsg and its like): {family_field=AF_...},
// then the attributes after the header's aligned size.
void print_family_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len, const char* family_field,
                      size_t hdr_size, const AttrTable& t) {
  c.printf("{%s=", family_field);
  print_nl_family(c, family);
  c.printc('}');
  const uint64_t off = NLMSG_ALIGN(hdr_size);
  if (len > off) {
    c.print(", ");
    print_attrs(c, addr + off, len - off, t, &family);
  }
}

// ---------------------------------------------------------------- RTM_*ADDR: struct ifaddrmsg

bool nla_ifa_cacheinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  ifa_cacheinfo ci;
  bool ok;
  if (!nla_read(c, addr, len, &ci, &ok)) return false;
  if (ok)
    c.printf("{ifa_prefered=%u, ifa_valid=%u, cstamp=%u, tstamp=%u}", ci.ifa_prefered, ci.ifa_valid, ci.cstamp,
             ci.tstamp);
  return true;
}

const NlaXlat kIfaFlags{&xlat_ifaddr_flags, "IFA_F_???", 4};

// IFA_PROTO and newer stay hex, as strace 6.1 shows them.
const Nla kIfaAttrs[] = {
    {IFA_ADDRESS, nla_msg_inet_addr, nullptr},   {IFA_LOCAL, nla_msg_inet_addr, nullptr},
    {IFA_LABEL, nla_str, nullptr},               {IFA_BROADCAST, nla_msg_inet_addr, nullptr},
    {IFA_ANYCAST, nla_msg_inet_addr, nullptr},   {IFA_CACHEINFO, nla_ifa_cacheinfo, nullptr},
    {IFA_MULTICAST, nla_msg_inet_addr, nullptr}, {IFA_FLAGS, nla_flags, &kIfaFlags},
    {IFA_RT_PRIORITY, nla_u32, nullptr},         {IFA_TARGET_NETNSID, nla_s32, nullptr},
};
const AttrTable kIfaTable = attr_table(xlat_rtnl_addr_attrs, "IFA_???", kIfaAttrs);

void print_ifaddrmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<ifaddrmsg>(c, family, addr, len, "ifa_family", &kIfaTable, [&](const ifaddrmsg& m, Fields& f) {
    f.u("ifa_prefixlen", m.ifa_prefixlen);
    f.flags("ifa_flags", xlat_ifaddr_flags, m.ifa_flags, "IFA_F_???");
    f.xval("ifa_scope", xlat_routing_scopes, m.ifa_scope, nullptr);
    print_ifindex(f.f("ifa_index"), m.ifa_index);
  });
}

// ---------------------------------------------------------------- RTM_*NSID: struct rtgenmsg

const Nla kNsidAttrs[] = {
    {NETNSA_NSID, nla_s32, nullptr},        {NETNSA_PID, nla_u32, nullptr},
    {NETNSA_FD, nla_fd, nullptr},           {NETNSA_TARGET_NSID, nla_s32, nullptr},
    {NETNSA_CURRENT_NSID, nla_s32, nullptr},
};
const AttrTable kNsidTable = attr_table(xlat_rtnl_nsid_attrs, "NETNSA_???", kNsidAttrs);

// ---------------------------------------------------------------- RTM_*NETCONF: struct netconfmsg

const Nla kNetconfAttrs[] = {
    {NETCONFA_IFINDEX, nla_ifindex, nullptr},
    {NETCONFA_FORWARDING, nla_s32, nullptr},
    {NETCONFA_RP_FILTER, nla_s32, nullptr},
    {NETCONFA_MC_FORWARDING, nla_s32, nullptr},
    {NETCONFA_PROXY_NEIGH, nla_s32, nullptr},
    {NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, nla_s32, nullptr},
    {NETCONFA_INPUT, nla_s32, nullptr},
    {NETCONFA_BC_FORWARDING, nla_s32, nullptr},
};
const AttrTable kNetconfTable = attr_table(xlat_rtnl_netconf_attrs, "NETCONFA_???", kNetconfAttrs);

// ---------------------------------------------------------------- RTM_*DCB: struct dcbmsg

const AttrTable kDcbTable = attr_table(xlat_rtnl_dcb_attrs, "DCB_ATTR_???");

void print_dcbmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<dcbmsg>(c, family, addr, len, "dcb_family", &kDcbTable, [&](const dcbmsg& m, Fields& f) {
    f.xval("cmd", xlat_dcb_commands, m.cmd, "DCB_CMD_???");
  });
}

// ---------------------------------------------------------------- RTM_*ADDRLABEL: struct ifaddrlblmsg

const Nla kAddrlabelAttrs[] = {
    {IFAL_ADDRESS, nla_msg_inet_addr, nullptr},
    {IFAL_LABEL, nla_u32, nullptr},
};
const AttrTable kAddrlabelTable = attr_table(xlat_rtnl_addrlabel_attrs, "IFAL_???", kAddrlabelAttrs);

void print_ifaddrlblmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<ifaddrlblmsg>(c, family, addr, len, "ifal_family", &kAddrlabelTable,
                                 [&](const ifaddrlblmsg& m, Fields& f) {
                                   f.u("ifal_prefixlen", m.ifal_prefixlen);
                                   f.u("ifal_flags", m.ifal_flags);
                                   print_ifindex(f.f("ifal_index"), m.ifal_index);
                                   f.u("ifal_seq", m.ifal_seq);
                                 });
}

// ---------------------------------------------------------------- RTM_NEWCACHEREPORT: struct rtgenmsg

const NlaXlat kIpmraMsgType{&xlat_rtnl_ipmra_msg_types, "IGMPMSG_???", 1};
const Nla kIpmraCreportAttrs[] = {
    {IPMRA_CREPORT_MSGTYPE, nla_xval, &kIpmraMsgType},
    {IPMRA_CREPORT_VIF_ID, nla_u32, nullptr},
    {IPMRA_CREPORT_SRC_ADDR, nla_in_addr, nullptr},
    {IPMRA_CREPORT_DST_ADDR, nla_in_addr, nullptr},
    {IPMRA_CREPORT_TABLE, nla_u32, nullptr},
};
const AttrTable kIpmraCreportTable =
    attr_table(xlat_rtnl_ipmra_creport_attr, "IPMRA_CREPORT_???", kIpmraCreportAttrs);

const NlaXlat kIp6mraMsgType{&xlat_rtnl_ip6mra_msg_types, "MRT6MSG_???", 1};
const Nla kIp6mraCreportAttrs[] = {
    {IP6MRA_CREPORT_MSGTYPE, nla_xval, &kIp6mraMsgType},
    {IP6MRA_CREPORT_MIF_ID, nla_u32, nullptr},
    {IP6MRA_CREPORT_SRC_ADDR, nla_in6_addr, nullptr},
    {IP6MRA_CREPORT_DST_ADDR, nla_in6_addr, nullptr},
};
const AttrTable kIp6mraCreportTable =
    attr_table(xlat_rtnl_ip6mra_creport_attr, "IP6MRA_CREPORT_???", kIp6mraCreportAttrs);

// The family is an RTNL_FAMILY_* (the multicast routing tables) or an AF_*; the attributes are known
// only for the two RTNL families.
void print_cachereport(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  c.print("{rtgen_family=");
  if (const char* name = xlat_lookup(xlat_rtnl_family, family))
    print_const(c, family, name);
  else
    print_xval(c, xlat_address_families, family, "RTNL_FAMILY_???");
  c.printc('}');
  const uint64_t off = NLMSG_ALIGN(sizeof(rtgenmsg));
  if (len <= off) return;
  c.print(", ");
  const AttrTable* t = family == RTNL_FAMILY_IPMR ? &kIpmraCreportTable
                       : family == RTNL_FAMILY_IP6MR ? &kIp6mraCreportTable
                                                     : nullptr;
  if (t)
    print_attrs(c, addr + off, len - off, *t, &family);
  else
    print_buf_hex(c, addr + off, len - off);
}

// ---------------------------------------------------------------- RTM_*NEIGHTBL: struct ndtmsg

bool nla_ndt_config(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  ndt_config n;
  bool ok;
  if (!nla_read(c, addr, len, &n, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  f.u("ndtc_key_len", n.ndtc_key_len);
  f.u("ndtc_entry_size", n.ndtc_entry_size);
  f.u("ndtc_entries", n.ndtc_entries);
  f.u("ndtc_last_flush", n.ndtc_last_flush);
  f.u("ndtc_last_rand", n.ndtc_last_rand);
  f.u("ndtc_hash_rnd", n.ndtc_hash_rnd);
  f.x("ndtc_hash_mask", n.ndtc_hash_mask);
  f.u("ndtc_hash_chain_gc", n.ndtc_hash_chain_gc);
  f.u("ndtc_proxy_qlen", n.ndtc_proxy_qlen);
  f.end();
  return true;
}

// struct ndt_stats: older kernels' version ends before ndts_table_fulls.
bool nla_ndt_stats(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  ndt_stats s;
  const size_t min = offsetof(ndt_stats, ndts_table_fulls);
  const size_t size = len >= sizeof s ? sizeof s : len == min ? min : 0;
  if (!size) return false;
  memset(&s, 0, sizeof s);
  if (!read_mem(c, addr, &s, size)) {
    print_addr(c, addr);
    return true;
  }
  Fields f(c);
  f.u("ndts_allocs", s.ndts_allocs);
  f.u("ndts_destroys", s.ndts_destroys);
  f.u("ndts_hash_grows", s.ndts_hash_grows);
  f.u("ndts_res_failed", s.ndts_res_failed);
  f.u("ndts_lookups", s.ndts_lookups);
  f.u("ndts_hits", s.ndts_hits);
  f.u("ndts_rcv_probes_mcast", s.ndts_rcv_probes_mcast);
  f.u("ndts_rcv_probes_ucast", s.ndts_rcv_probes_ucast);
  f.u("ndts_periodic_gc_runs", s.ndts_periodic_gc_runs);
  f.u("ndts_forced_gc_runs", s.ndts_forced_gc_runs);
  if (size == sizeof s) f.u("ndts_table_fulls", s.ndts_table_fulls);
  f.end();
  return true;
}

const Nla kNdtParmsAttrs[] = {
    {NDTPA_IFINDEX, nla_ifindex, nullptr},
    {NDTPA_REFCNT, nla_u32, nullptr},
    {NDTPA_REACHABLE_TIME, nla_u64, nullptr},
    {NDTPA_BASE_REACHABLE_TIME, nla_u64, nullptr},
    {NDTPA_RETRANS_TIME, nla_u64, nullptr},
    {NDTPA_GC_STALETIME, nla_u64, nullptr},
    {NDTPA_DELAY_PROBE_TIME, nla_u64, nullptr},
    {NDTPA_QUEUE_LEN, nla_u32, nullptr},
    {NDTPA_APP_PROBES, nla_u32, nullptr},
    {NDTPA_UCAST_PROBES, nla_u32, nullptr},
    {NDTPA_MCAST_PROBES, nla_u32, nullptr},
    {NDTPA_ANYCAST_DELAY, nla_u64, nullptr},
    {NDTPA_PROXY_DELAY, nla_u64, nullptr},
    {NDTPA_PROXY_QLEN, nla_u32, nullptr},
    {NDTPA_LOCKTIME, nla_u64, nullptr},
    {NDTPA_QUEUE_LENBYTES, nla_u32, nullptr},
    {NDTPA_MCAST_REPROBES, nla_u32, nullptr},
    {NDTPA_INTERVAL_PROBE_TIME_MS, nla_u64, nullptr},
};
const AttrTable kNdtParmsTable = attr_table(xlat_rtnl_neightbl_parms_attrs, "NDTPA_???", kNdtParmsAttrs);

const Nla kNdtAttrs[] = {
    {NDTA_NAME, nla_str, nullptr},        {NDTA_THRESH1, nla_u32, nullptr},
    {NDTA_THRESH2, nla_u32, nullptr},     {NDTA_THRESH3, nla_u32, nullptr},
    {NDTA_CONFIG, nla_ndt_config, nullptr}, {NDTA_PARMS, nla_nested, &kNdtParmsTable},
    {NDTA_STATS, nla_ndt_stats, nullptr}, {NDTA_GC_INTERVAL, nla_u64, nullptr},
};
const AttrTable kNdtTable = attr_table(xlat_rtnl_neightbl_attrs, "NDTA_???", kNdtAttrs);

// ---------------------------------------------------------------- RTM_*NEXTHOP: struct nhmsg

bool nla_nh_grp(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(nexthop_grp);
  if (!n) return false;
  print_array<nexthop_grp>(c, addr, n, [&](const nexthop_grp& g) {
    Fields f(c);
    f.u("id", g.id);
    f.u("weight", g.weight);
    if (g.resvd1) f.x("resvd1", g.resvd1);
    if (g.resvd2) f.x("resvd2", g.resvd2);
    f.end();
  });
  return true;
}

const NlaXlat kNhGrpType{&xlat_rtnl_nexthop_grp_types, "NEXTHOP_GRP_TYPE_???", 2};
const NlaXlat kLwtEncapType{&xlat_lwtunnel_encap_types, "LWTUNNEL_ENCAP_???", 2};

const Nla kNhResGroupAttrs[] = {
    {NHA_RES_GROUP_BUCKETS, nla_u16, nullptr},
    {NHA_RES_GROUP_IDLE_TIMER, nla_clock_t, nullptr},
    {NHA_RES_GROUP_UNBALANCED_TIMER, nla_clock_t, nullptr},
    {NHA_RES_GROUP_UNBALANCED_TIME, nla_clock_t, nullptr},
};
const AttrTable kNhResGroupTable = attr_table(xlat_rtnl_nha_res_group_attrs, "NHA_RES_GROUP_???", kNhResGroupAttrs);

const Nla kNhResBucketAttrs[] = {
    {NHA_RES_BUCKET_INDEX, nla_u16, nullptr},
    {NHA_RES_BUCKET_IDLE_TIME, nla_clock_t, nullptr},
    {NHA_RES_BUCKET_NH_ID, nla_u32, nullptr},
};
const AttrTable kNhResBucketTable =
    attr_table(xlat_rtnl_nha_res_bucket_attrs, "NHA_RES_BUCKET_???", kNhResBucketAttrs);

const Nla kNhAttrs[] = {
    {NHA_ID, nla_u32, nullptr},
    {NHA_GROUP, nla_nh_grp, nullptr},
    {NHA_GROUP_TYPE, nla_xval, &kNhGrpType},
    {NHA_BLACKHOLE, nla_u32, nullptr},
    {NHA_OIF, nla_ifindex, nullptr},
    {NHA_GATEWAY, nla_msg_inet_addr, nullptr},
    {NHA_ENCAP_TYPE, nla_xval, &kLwtEncapType},
    {NHA_GROUPS, nla_u32, nullptr},
    {NHA_MASTER, nla_ifindex, nullptr},
    {NHA_FDB, nla_u32, nullptr},
    {NHA_RES_GROUP, nla_nested, &kNhResGroupTable},
    {NHA_RES_BUCKET, nla_nested, &kNhResBucketTable},
};
const AttrTable kNhTable = attr_table(xlat_rtnl_nexthop_attrs, "NHA_???", kNhAttrs);

void print_nhmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<nhmsg>(c, family, addr, len, "nh_family", &kNhTable, [&](const nhmsg& m, Fields& f) {
    f.xval("nh_scope", xlat_routing_scopes, m.nh_scope, nullptr);
    f.xval("nh_protocol", xlat_routing_protocols, m.nh_protocol, "RTPROT_???");
    if (m.resvd) f.x("resvd", m.resvd);
    f.flags("nh_flags", xlat_route_nexthop_flags, m.nh_flags, "RTNH_F_???");
  });
}

// ---------------------------------------------------------------- RTM_*ROUTE: struct rtmsg

bool nla_rt_class(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint32_t v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (ok) print_xval(c, xlat_routing_table_ids, v);
  return true;
}

bool nla_rt_proto(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint8_t v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (ok) print_xval(c, xlat_routing_protocols, v, "RTPROT_???");
  return true;
}

bool nla_rta_cacheinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  rta_cacheinfo ci;
  bool ok;
  if (!nla_read(c, addr, len, &ci, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  f.u("rta_clntref", ci.rta_clntref);
  f.u("rta_lastuse", ci.rta_lastuse);
  f.u("rta_expires", ci.rta_expires);
  f.u("rta_error", ci.rta_error);
  f.u("rta_used", ci.rta_used);
  f.x("rta_id", ci.rta_id);
  f.u("rta_ts", ci.rta_ts);
  f.u("rta_tsage", ci.rta_tsage);
  f.end();
  return true;
}

bool nla_rta_mfc_stats(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  rta_mfc_stats s;
  bool ok;
  if (!nla_read(c, addr, len, &s, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  f.u("mfcs_packets", s.mfcs_packets);
  f.u("mfcs_bytes", s.mfcs_bytes);
  f.u("mfcs_wrong_if", s.mfcs_wrong_if);
  f.end();
  return true;
}

bool nla_rtvia(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  rtvia via;
  bool ok;
  if (!nla_read(c, addr, len, &via, &ok)) return false;
  if (!ok) return true;
  c.print("{rtvia_family=");
  print_nl_family(c, via.rtvia_family);
  const uint64_t off = offsetof(rtvia, rtvia_addr);
  if (len > off) {
    c.print(", ");
    print_inet_addr_of(c, addr + off, len - off, via.rtvia_family, "rtvia_addr");
  }
  c.printc('}');
  return true;
}

const Nla kRtaMetricsAttrs[] = {
    {RTAX_LOCK, nla_u32, nullptr},       {RTAX_MTU, nla_u32, nullptr},        {RTAX_WINDOW, nla_u32, nullptr},
    {RTAX_RTT, nla_u32, nullptr},        {RTAX_RTTVAR, nla_u32, nullptr},     {RTAX_SSTHRESH, nla_u32, nullptr},
    {RTAX_CWND, nla_u32, nullptr},       {RTAX_ADVMSS, nla_u32, nullptr},     {RTAX_REORDERING, nla_u32, nullptr},
    {RTAX_HOPLIMIT, nla_u32, nullptr},   {RTAX_INITCWND, nla_u32, nullptr},   {RTAX_FEATURES, nla_u32, nullptr},
    {RTAX_RTO_MIN, nla_u32, nullptr},    {RTAX_INITRWND, nla_u32, nullptr},   {RTAX_QUICKACK, nla_u32, nullptr},
    {RTAX_CC_ALGO, nla_str, nullptr},
};
const AttrTable kRtaMetricsTable = attr_table(xlat_rtnl_rta_metrics_attrs, "RTAX_???", kRtaMetricsAttrs);

bool nla_rta_multipath(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg);

const Nla kRtAttrs[] = {
    {RTA_DST, nla_msg_inet_addr, nullptr},
    {RTA_SRC, nla_msg_inet_addr, nullptr},
    {RTA_IIF, nla_ifindex, nullptr},
    {RTA_OIF, nla_ifindex, nullptr},
    {RTA_GATEWAY, nla_msg_inet_addr, nullptr},
    {RTA_PRIORITY, nla_u32, nullptr},
    {RTA_PREFSRC, nla_msg_inet_addr, nullptr},
    {RTA_METRICS, nla_nested, &kRtaMetricsTable},
    {RTA_MULTIPATH, nla_rta_multipath, nullptr},
    {RTA_PROTOINFO, nla_u32, nullptr},
    {RTA_FLOW, nla_u32, nullptr},
    {RTA_CACHEINFO, nla_rta_cacheinfo, nullptr},
    {RTA_MP_ALGO, nla_u32, nullptr},
    {RTA_TABLE, nla_rt_class, nullptr},
    {RTA_MARK, nla_u32, nullptr},
    {RTA_MFC_STATS, nla_rta_mfc_stats, nullptr},
    {RTA_VIA, nla_rtvia, nullptr},
    {RTA_NEWDST, nla_msg_inet_addr, nullptr},
    {RTA_PREF, nla_u8, nullptr},
    {RTA_ENCAP_TYPE, nla_xval, &kLwtEncapType},
    {RTA_EXPIRES, nla_u64, nullptr},
    {RTA_UID, nla_u32, nullptr},
    {RTA_TTL_PROPAGATE, nla_u8, nullptr},
    {RTA_IP_PROTO, nla_u8, nullptr},
    {RTA_SPORT, nla_u16, nullptr},
    {RTA_DPORT, nla_u16, nullptr},
};
const AttrTable kRtTable = attr_table(xlat_rtnl_route_attrs, "RTA_???", kRtAttrs);

// RTA_MULTIPATH: struct rtnexthop entries, each followed by RTA_* attributes of its own.
bool nla_rta_multipath(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  rtnexthop nh;
  if (len < sizeof nh) return false;
  uint64_t cur = addr, left = len;
  bool array = false;
  while (true) {
    if (!read_obj(c, cur, &nh)) {
      print_addr(c, cur);
      break;
    }
    const uint64_t n = nh.rtnh_len < left ? nh.rtnh_len : left;
    const uint64_t off = RTNH_ALIGN(sizeof nh);
    if (cur == addr && nh.rtnh_len < len) {
      c.printc('[');
      array = true;
    }
    if (cur > addr) c.print(", ");
    if (n > off) c.printc('[');
    Fields f(c);
    f.u("rtnh_len", nh.rtnh_len);
    f.flags("rtnh_flags", xlat_route_nexthop_flags, nh.rtnh_flags, "RTNH_F_???");
    f.u("rtnh_hops", nh.rtnh_hops);
    print_ifindex(f.f("rtnh_ifindex"), static_cast<unsigned>(nh.rtnh_ifindex));
    f.end();
    if (n > off) {
      c.print(", ");
      print_attrs(c, cur + off, n - off, kRtTable, msg);
      c.printc(']');
    }
    if (RTNH_ALIGN(n) >= left) break;
    cur += RTNH_ALIGN(n);
    left -= RTNH_ALIGN(n);
  }
  if (array) c.printc(']');
  return true;
}

void print_rtmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<rtmsg>(c, family, addr, len, "rtm_family", &kRtTable, [&](const rtmsg& m, Fields& f) {
    f.u("rtm_dst_len", m.rtm_dst_len);
    f.u("rtm_src_len", m.rtm_src_len);
    f.flags("rtm_tos", xlat_ip_type_of_services, m.rtm_tos, "IPTOS_TOS_???");
    f.xval("rtm_table", xlat_routing_table_ids, m.rtm_table, nullptr);
    f.xval("rtm_protocol", xlat_routing_protocols, m.rtm_protocol, "RTPROT_???");
    f.xval("rtm_scope", xlat_routing_scopes, m.rtm_scope, nullptr);
    f.xval("rtm_type", xlat_routing_types, m.rtm_type, "RTN_???");
    f.flags("rtm_flags", xlat_routing_flags, m.rtm_flags, "RTM_F_???");
  });
}

// ---------------------------------------------------------------- RTM_*NEIGH: struct ndmsg

bool nla_nda_cacheinfo(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  nda_cacheinfo ci;
  bool ok;
  if (!nla_read(c, addr, len, &ci, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  f.u("ndm_confirmed", ci.ndm_confirmed);
  f.u("ndm_used", ci.ndm_used);
  f.u("ndm_updated", ci.ndm_updated);
  f.u("ndm_refcnt", ci.ndm_refcnt);
  f.end();
  return true;
}

const NlaXlat kFdbNotifyFlags{&xlat_fdb_notify_flags, "FDB_NOTIFY_???", 1};
const Nla kFdbExtAttrs[] = {
    {NFEA_ACTIVITY_NOTIFY, nla_flags, &kFdbNotifyFlags},
};
const AttrTable kFdbExtTable = attr_table(xlat_rtnl_neigh_fdb_ext_attrs, "NFEA_???", kFdbExtAttrs);

const NlaXlat kNtfExtFlags{&xlat_neighbor_cache_entry_ext_flags, "NTF_EXT_???", 4};
const NlaXlat kNudStates{&xlat_neighbor_cache_entry_states, "NUD_???", 2, "NUD_NONE"};
const NlaXlat kNtfFlags{&xlat_neighbor_cache_entry_flags, "NTF_???", 1};

const Nla kNdAttrs[] = {
    {NDA_DST, nla_msg_inet_addr, nullptr},
    {NDA_LLADDR, nla_hwaddr, nullptr},
    {NDA_CACHEINFO, nla_nda_cacheinfo, nullptr},
    {NDA_PROBES, nla_u32, nullptr},
    {NDA_VLAN, nla_u16, nullptr},
    {NDA_PORT, nla_be16, nullptr},
    {NDA_VNI, nla_u32, nullptr},
    {NDA_IFINDEX, nla_ifindex, nullptr},
    {NDA_MASTER, nla_ifindex, nullptr},
    {NDA_LINK_NETNSID, nla_u32, nullptr},
    {NDA_SRC_VNI, nla_u32, nullptr},
    {NDA_PROTOCOL, nla_ip_proto, nullptr},
    {NDA_NH_ID, nla_u32, nullptr},
    {NDA_FDB_EXT_ATTRS, nla_nested, &kFdbExtTable},
    {NDA_FLAGS_EXT, nla_flags, &kNtfExtFlags},
    {NDA_NDM_STATE_MASK, nla_flags, &kNudStates},
    {NDA_NDM_FLAGS_MASK, nla_flags, &kNtfFlags},
};
const AttrTable kNdTable = attr_table(xlat_rtnl_neigh_attrs, "NDA_???", kNdAttrs);

void print_ndmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<ndmsg>(c, family, addr, len, "ndm_family", &kNdTable, [&](const ndmsg& m, Fields& f) {
    print_ifindex(f.f("ndm_ifindex"), static_cast<unsigned>(m.ndm_ifindex));
    print_flags(f.f("ndm_state"), xlat_neighbor_cache_entry_states, m.ndm_state, "NUD_NONE", "NUD_???");
    f.flags("ndm_flags", xlat_neighbor_cache_entry_flags, m.ndm_flags, "NTF_???");
    f.xval("ndm_type", xlat_routing_types, m.ndm_type, "RTN_???");
  });
}

// ---------------------------------------------------------------- RTM_*RULE: struct fib_rule_hdr

bool nla_fib_uid_range(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  fib_rule_uid_range r;
  bool ok;
  if (!nla_read(c, addr, len, &r, &ok)) return false;
  if (ok) c.printf("{start=%u, end=%u}", r.start, r.end);
  return true;
}

bool nla_fib_port_range(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  fib_rule_port_range r;
  bool ok;
  if (!nla_read(c, addr, len, &r, &ok)) return false;
  if (ok) c.printf("{start=%u, end=%u}", r.start, r.end);
  return true;
}

const Nla kFibRuleAttrs[] = {
    {FRA_DST, nla_msg_inet_addr, nullptr},
    {FRA_SRC, nla_msg_inet_addr, nullptr},
    {FRA_IIFNAME, nla_str, nullptr},
    {FRA_GOTO, nla_u32, nullptr},
    {FRA_PRIORITY, nla_u32, nullptr},
    {FRA_FWMARK, nla_u32, nullptr},
    {FRA_FLOW, nla_u32, nullptr},
    {FRA_TUN_ID, nla_be64, nullptr},
    {FRA_SUPPRESS_IFGROUP, nla_u32, nullptr},
    {FRA_SUPPRESS_PREFIXLEN, nla_u32, nullptr},
    {FRA_TABLE, nla_rt_class, nullptr},
    {FRA_FWMASK, nla_u32, nullptr},
    {FRA_OIFNAME, nla_str, nullptr},
    {FRA_L3MDEV, nla_u8, nullptr},
    {FRA_UID_RANGE, nla_fib_uid_range, nullptr},
    {FRA_PROTOCOL, nla_rt_proto, nullptr},
    {FRA_IP_PROTO, nla_ip_proto, nullptr},
    {FRA_SPORT_RANGE, nla_fib_port_range, nullptr},
    {FRA_DPORT_RANGE, nla_fib_port_range, nullptr},
};
const AttrTable kFibRuleTable = attr_table(xlat_rtnl_rule_attrs, "FRA_???", kFibRuleAttrs);

void print_fib_rule_hdr(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<fib_rule_hdr>(c, family, addr, len, "family", &kFibRuleTable,
                                 [&](const fib_rule_hdr& m, Fields& f) {
                                   f.u("dst_len", m.dst_len);
                                   f.u("src_len", m.src_len);
                                   f.flags("tos", xlat_ip_type_of_services, m.tos, "IPTOS_TOS_???");
                                   f.xval("table", xlat_routing_table_ids, m.table, "RT_TABLE_???");
                                   f.xval("action", xlat_fib_rule_actions, m.action, "FR_ACT_???");
                                   f.flags("flags", xlat_fib_rule_flags, m.flags, "FIB_RULE_???");
                                 });
}

// ---------------------------------------------------------------- RTM_*MDB: struct br_port_msg

const Nla kMdbEattrAttrs[] = {
    {MDBA_MDB_EATTR_TIMER, nla_clock_t, nullptr},
};
const AttrTable kMdbEattrTable = attr_table(xlat_rtnl_mdba_mdb_eattr_attrs, "MDBA_MDB_EATTR_???", kMdbEattrAttrs);

bool nla_mdb_entry_info(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  br_mdb_entry e;
  bool ok;
  if (!nla_read(c, addr, len, &e, &ok)) return false;
  if (ok) {
    Fields f(c);
    print_ifindex(f.f("ifindex"), e.ifindex);
    f.xval("state", xlat_mdb_states, e.state, "MDB_???");
    f.flags("flags", xlat_mdb_flags, e.flags, "MDB_FLAGS_???");
    f.u("vid", e.vid);
    const unsigned proto = ntohs(e.addr.proto);
    c.print(", addr={");
    const size_t usize = sizeof e.addr.u;
    unsigned char ub[sizeof e.addr.u];
    memcpy(ub, &e.addr.u, usize);
    if (proto == AF_INET) {
      in_addr a;
      memcpy(&a, ub, sizeof a);
      if (xstyle(c) != XLAT_ABBREV) {
        c.print("u=");
        print_hex_bytes(c, ub, usize);
      } else {
        c.print("u=");
      }
      if (xstyle(c) != XLAT_RAW) {
        if (xstyle(c) == XLAT_VERBOSE) c.print(" /* ");
        print_inet_addr(c, a);
        if (xstyle(c) == XLAT_VERBOSE) c.print(" */");
      }
    } else if (proto == AF_INET6) {
      in6_addr a;
      memcpy(&a, ub, sizeof a);
      if (xstyle(c) != XLAT_ABBREV) {
        c.print("u=");
        print_hex_bytes(c, ub, usize);
      }
      if (xstyle(c) != XLAT_RAW) {
        if (xstyle(c) == XLAT_VERBOSE) c.print(" /* ");
        print_inet6_addr(c, a, xstyle(c) == XLAT_ABBREV ? "u" : nullptr);
        if (xstyle(c) == XLAT_VERBOSE) c.print(" */");
      }
    } else {
      c.print("u=");
      print_hex_bytes(c, ub, usize);
    }
    c.print(", proto=htons(");
    print_nl_family(c, proto);
    c.print(")}}");
  }
  const uint64_t off = NLMSG_ALIGN(sizeof e);
  if (len > off) {
    c.print(", ");
    print_attrs(c, addr + off, len - off, kMdbEattrTable, nullptr);
  }
  return true;
}

const Nla kMdbEntryAttrs[] = {
    {MDBA_MDB_ENTRY_INFO, nla_mdb_entry_info, nullptr},
};
const AttrTable kMdbEntryTable = attr_table(xlat_rtnl_mdba_mdb_entry_attrs, "MDBA_MDB_ENTRY_???", kMdbEntryAttrs);
const Nla kMdbMdbAttrs[] = {
    {MDBA_MDB_ENTRY, nla_nested, &kMdbEntryTable},
};
const AttrTable kMdbMdbTable = attr_table(xlat_rtnl_mdba_mdb_attrs, "MDBA_MDB_???", kMdbMdbAttrs);

bool nla_mdb_router_type(const Call& c, uint64_t addr, uint64_t, const void*, const void*) {
  uint8_t v;
  if (!read_obj(c, addr, &v))
    print_addr(c, addr);
  else
    print_xval(c, xlat_multicast_router_types, v, "MDB_RTR_TYPE_???");
  return true;
}

const Nla kMdbRouterPattrAttrs[] = {
    {MDBA_ROUTER_PATTR_TIMER, nla_clock_t, nullptr},
    {MDBA_ROUTER_PATTR_TYPE, nla_mdb_router_type, nullptr},
    {MDBA_ROUTER_PATTR_INET_TIMER, nla_clock_t, nullptr},
    {MDBA_ROUTER_PATTR_INET6_TIMER, nla_clock_t, nullptr},
};
const AttrTable kMdbRouterPattrTable =
    attr_table(xlat_rtnl_mdba_router_pattr_attrs, "MDBA_ROUTER_PATTR_???", kMdbRouterPattrAttrs);

// MDBA_ROUTER_PORT: an interface index, then attributes of that port.
bool nla_mdb_router_port(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint32_t idx;
  bool ok;
  if (!nla_read(c, addr, len, &idx, &ok)) return false;
  if (ok) print_ifindex(c, idx);
  const uint64_t off = NLMSG_ALIGN(sizeof idx);
  if (len > off) {
    c.print(", ");
    print_attrs(c, addr + off, len - off, kMdbRouterPattrTable, nullptr);
  }
  return true;
}

const Nla kMdbRouterAttrs[] = {
    {MDBA_ROUTER_PORT, nla_mdb_router_port, nullptr},
};
const AttrTable kMdbRouterTable = attr_table(xlat_rtnl_mdba_router_attrs, "MDBA_ROUTER_???", kMdbRouterAttrs);

const Nla kMdbAttrs[] = {
    {MDBA_MDB, nla_nested, &kMdbMdbTable},
    {MDBA_ROUTER, nla_nested, &kMdbRouterTable},
};
const AttrTable kMdbTable = attr_table(xlat_rtnl_mdb_attrs, "MDBA_???", kMdbAttrs);

void print_br_port_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<br_port_msg>(c, family, addr, len, "family", &kMdbTable, [&](const br_port_msg& m, Fields& f) {
    print_ifindex(f.f("ifindex"), m.ifindex);
  });
}

// ---------------------------------------------------------------- RTM_*QDISC/TCLASS/TFILTER/CHAIN: struct tcmsg

bool nla_tc_stats_struct(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  tc_stats st;
  const size_t size = offsetof(tc_stats, backlog) + sizeof st.backlog;
  if (len < size) return false;
  if (!read_mem(c, addr, &st, size)) {
    print_addr(c, addr);
    return true;
  }
  Fields f(c);
  f.u("bytes", st.bytes);
  f.u("packets", st.packets);
  f.u("drops", st.drops);
  f.u("overlimits", st.overlimits);
  f.u("bps", st.bps);
  f.u("pps", st.pps);
  f.u("qlen", st.qlen);
  f.u("backlog", st.backlog);
  f.end();
  return true;
}

bool nla_tc_estimator(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  tc_estimator e;
  bool ok;
  if (!nla_read(c, addr, len, &e, &ok)) return false;
  if (ok) c.printf("{interval=%d, ewma_log=%u}", e.interval, e.ewma_log);
  return true;
}

bool nla_gnet_stats_basic(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  gnet_stats_basic b;
  const size_t size = offsetof(gnet_stats_basic, packets) + sizeof b.packets;
  if (len < size) return false;
  if (!read_mem(c, addr, &b, size)) {
    print_addr(c, addr);
    return true;
  }
  c.printf("{bytes=%llu, packets=%u}", static_cast<unsigned long long>(b.bytes), b.packets);
  return true;
}

bool nla_gnet_stats_rate_est(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  gnet_stats_rate_est e;
  bool ok;
  if (!nla_read(c, addr, len, &e, &ok)) return false;
  if (ok) c.printf("{bps=%u, pps=%u}", e.bps, e.pps);
  return true;
}

bool nla_gnet_stats_queue(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  gnet_stats_queue q;
  bool ok;
  if (!nla_read(c, addr, len, &q, &ok)) return false;
  if (ok)
    c.printf("{qlen=%u, backlog=%u, drops=%u, requeues=%u, overlimits=%u}", q.qlen, q.backlog, q.drops, q.requeues,
             q.overlimits);
  return true;
}

bool nla_gnet_stats_rate_est64(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  gnet_stats_rate_est64 e;
  bool ok;
  if (!nla_read(c, addr, len, &e, &ok)) return false;
  if (ok)
    c.printf("{bps=%llu, pps=%llu}", static_cast<unsigned long long>(e.bps), static_cast<unsigned long long>(e.pps));
  return true;
}

const Nla kTcaStatsAttrs[] = {
    {TCA_STATS_BASIC, nla_gnet_stats_basic, nullptr},
    {TCA_STATS_RATE_EST, nla_gnet_stats_rate_est, nullptr},
    {TCA_STATS_QUEUE, nla_gnet_stats_queue, nullptr},
    {TCA_STATS_RATE_EST64, nla_gnet_stats_rate_est64, nullptr},
    {TCA_STATS_BASIC_HW, nla_gnet_stats_basic, nullptr},
    {TCA_STATS_PKT64, nla_u64, nullptr},
};
const AttrTable kTcaStatsTable = attr_table(xlat_rtnl_tca_stats_attrs, "TCA_STATS_???", kTcaStatsAttrs);

bool nla_tc_sizespec(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  tc_sizespec s;
  bool ok;
  if (!nla_read(c, addr, len, &s, &ok)) return false;
  if (!ok) return true;
  Fields f(c);
  f.u("cell_log", s.cell_log);
  f.u("size_log", s.size_log);
  f.d("cell_align", s.cell_align);
  f.d("overhead", s.overhead);
  f.u("linklayer", s.linklayer);
  f.u("mpu", s.mpu);
  f.u("mtu", s.mtu);
  f.u("tsize", s.tsize);
  f.end();
  return true;
}

bool nla_u16_array(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  const uint64_t n = len / sizeof(uint16_t);
  if (!n) return false;
  print_array<uint16_t>(c, addr, n, [&](uint16_t v) { c.printf("%u", v); });
  return true;
}

const Nla kTcaStabAttrs[] = {
    {TCA_STAB_BASE, nla_tc_sizespec, nullptr},
    {TCA_STAB_DATA, nla_u16_array, nullptr},
};
const AttrTable kTcaStabTable = attr_table(xlat_rtnl_tca_stab_attrs, "TCA_STAB_???", kTcaStabAttrs);

const Nla kTcAttrs[] = {
    {TCA_KIND, nla_str, nullptr},
    {TCA_STATS, nla_tc_stats_struct, nullptr},
    {TCA_RATE, nla_tc_estimator, nullptr},
    {TCA_FCNT, nla_u32, nullptr},
    {TCA_STATS2, nla_nested, &kTcaStatsTable},
    {TCA_STAB, nla_nested, &kTcaStabTable},
    {TCA_CHAIN, nla_u32, nullptr},
    {TCA_HW_OFFLOAD, nla_u8, nullptr},
    {TCA_INGRESS_BLOCK, nla_u32, nullptr},
    {TCA_EGRESS_BLOCK, nla_u32, nullptr},
    {TCA_DUMP_FLAGS, nla_u32, nullptr},
};
const AttrTable kTcTable = attr_table(xlat_rtnl_tc_attrs, "TCA_???", kTcAttrs);

void print_tcmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  print_header_msg<tcmsg>(c, family, addr, len, "tcm_family", &kTcTable, [&](const tcmsg& m, Fields& f) {
    print_ifindex(f.f("tcm_ifindex"), static_cast<unsigned>(m.tcm_ifindex));
    f.u("tcm_handle", m.tcm_handle);
    f.u("tcm_parent", m.tcm_parent);
    f.u("tcm_info", m.tcm_info);
  });
}

// ---------------------------------------------------------------- RTM_*ACTION: struct tcamsg

const NlaXlat kTcaActFlags{&xlat_rtnl_tca_act_flags, "TCA_ACT_FLAGS_???", 4};
const NlaXlat kTcaActHwStats{&xlat_rtnl_tca_act_hw_stats, "TCA_ACT_HW_STATS_???", 4};

const Nla kTcaActAttrs[] = {
    {TCA_ACT_KIND, nla_str, nullptr},
    {TCA_ACT_INDEX, nla_u32, nullptr},
    {TCA_ACT_STATS, nla_nested, &kTcaStatsTable},
    {TCA_ACT_FLAGS, nla_flags, &kTcaActFlags},
    {TCA_ACT_HW_STATS, nla_flags, &kTcaActHwStats},
    {TCA_ACT_USED_HW_STATS, nla_flags, &kTcaActHwStats},
    {TCA_ACT_IN_HW_COUNT, nla_u32, nullptr},
};
const AttrTable kTcaActTable = attr_table(xlat_rtnl_tc_action_attrs, "TCA_ACT_???", kTcaActAttrs);

// ---------------------------------------------------------------- dispatch

}  // namespace

void print_route_payload(const Call& c, unsigned type, uint64_t addr, uint64_t len) {
  uint8_t family;
  if (!read_obj(c, addr, &family)) {
    print_addr(c, addr);
    return;
  }
  switch (type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
    case RTM_GETLINK:
    case RTM_SETLINK: return print_ifinfomsg(c, family, addr, len);
    case RTM_NEWADDR:
    case RTM_DELADDR:
    case RTM_GETADDR:
    case RTM_GETMULTICAST:
    case RTM_GETANYCAST: return print_ifaddrmsg(c, family, addr, len);
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
    case RTM_GETROUTE: return print_rtmsg(c, family, addr, len);
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH: return print_ndmsg(c, family, addr, len);
    case RTM_GETNEIGH:
      // A bridge's forwarding database is dumped with an ifinfomsg.
      if (family == AF_BRIDGE) return print_ifinfomsg(c, family, addr, len);
      return print_ndmsg(c, family, addr, len);
    case RTM_NEWRULE:
    case RTM_DELRULE:
    case RTM_GETRULE: return print_fib_rule_hdr(c, family, addr, len);
    case RTM_NEWQDISC:
    case RTM_DELQDISC:
    case RTM_GETQDISC:
    case RTM_NEWTCLASS:
    case RTM_DELTCLASS:
    case RTM_GETTCLASS:
    case RTM_NEWTFILTER:
    case RTM_DELTFILTER:
    case RTM_GETTFILTER:
    case RTM_NEWCHAIN:
    case RTM_DELCHAIN:
    case RTM_GETCHAIN: return print_tcmsg(c, family, addr, len);
    case RTM_NEWACTION:
    case RTM_DELACTION:
    case RTM_GETACTION: return print_family_msg(c, family, addr, len, "tca_family", sizeof(tcamsg), kTcaActTable);
    case RTM_NEWNEIGHTBL:
    case RTM_GETNEIGHTBL:
    case RTM_SETNEIGHTBL: return print_family_msg(c, family, addr, len, "ndtm_family", sizeof(ndtmsg), kNdtTable);
    case RTM_NEWADDRLABEL:
    case RTM_DELADDRLABEL:
    case RTM_GETADDRLABEL: return print_ifaddrlblmsg(c, family, addr, len);
    case RTM_GETDCB:
    case RTM_SETDCB: return print_dcbmsg(c, family, addr, len);
    case RTM_NEWNETCONF:
    case RTM_DELNETCONF:
    case RTM_GETNETCONF:
      return print_family_msg(c, family, addr, len, "ncm_family", sizeof(netconfmsg), kNetconfTable);
    case RTM_NEWMDB:
    case RTM_DELMDB:
    case RTM_GETMDB: return print_br_port_msg(c, family, addr, len);
    case RTM_NEWNSID:
    case RTM_DELNSID:
    case RTM_GETNSID: return print_family_msg(c, family, addr, len, "rtgen_family", sizeof(rtgenmsg), kNsidTable);
    case RTM_NEWSTATS:
    case RTM_GETSTATS: return print_ifstatsmsg(c, family, addr, len);
    case RTM_NEWCACHEREPORT: return print_cachereport(c, family, addr, len);
    case RTM_NEWNEXTHOP:
    case RTM_DELNEXTHOP:
    case RTM_GETNEXTHOP: return print_nhmsg(c, family, addr, len);
  }
  print_family_data(c, family, addr, len);
}

void print_family_data(const Call& c, uint8_t family, uint64_t addr, uint64_t len) {
  c.print("{family=");
  print_nl_family(c, family);
  if (len > 1) {
    c.print(", data=");
    print_buf_hex(c, addr + 1, len - 1);
  }
  c.printc('}');
}

}  // namespace net
}  // namespace decode
