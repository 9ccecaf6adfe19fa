// Socket requests (0x89, linux/sockios.h): the owner and out-of-band integers, bridge names and
// ports, the interface requests of struct ifreq (each showing the one member it sets or gets), and
// the interface list of SIOCGIFCONF. Requests whose structure strace does not follow (routes, ARP,
// bonding, timestamps) show where it is.
#include <linux/if_arp.h>
#include <linux/ioctl.h>
#include <linux/sockios.h>
#include <linux/if.h>

#include <cstddef>

#include "fields.h"
#include "ioctl_internal.h"
#include "net_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// How many bytes of a hardware address a device type uses (all of sa_data when not listed).
size_t hwaddr_size(unsigned type) {
  switch (type) {
    case ARPHRD_ETHER: case ARPHRD_IEEE802: case ARPHRD_LOOPBACK: case ARPHRD_FDDI: case ARPHRD_HIPPI:
    case ARPHRD_IEEE80211: case ARPHRD_IEEE80211_PRISM: case ARPHRD_IEEE80211_RADIOTAP:
      return 6;
    case ARPHRD_NETROM: case ARPHRD_AX25: return 7;
    case ARPHRD_ARCNET: case ARPHRD_LOCALTLK: case ARPHRD_PHONET: case ARPHRD_PHONET_PIPE: case ARPHRD_MCTP:
      return 1;
    case ARPHRD_DLCI: return sizeof(short);
    case ARPHRD_IEEE1394: case ARPHRD_TUNNEL6: case ARPHRD_IP6GRE: return 16;
    case ARPHRD_EUI64: case ARPHRD_IEEE802154: case ARPHRD_IEEE802154_MONITOR: case ARPHRD_6LOWPAN: return 8;
    case ARPHRD_INFINIBAND: return 20;
    case ARPHRD_ROSE: return 5;
    case ARPHRD_TUNNEL: case ARPHRD_SIT: case ARPHRD_IPGRE: case ARPHRD_IRDA: return 4;
    case ARPHRD_SLIP: case ARPHRD_X25: case ARPHRD_CAN: case ARPHRD_PPP: case ARPHRD_RAWHDLC:
    case ARPHRD_RAWIP: case ARPHRD_IPDDP: case ARPHRD_PIMREG: case ARPHRD_CAIF: case ARPHRD_NETLINK:
    case ARPHRD_VSOCKMON:
      return 0;
    default: return sizeof(sockaddr::sa_data);
  }
}

// The member of struct ifreq (at arg, already read into ifr) that request code sets or gets.
void print_ifreq_member(const Call& c, Fields& f, unsigned code, uint64_t arg, const ifreq& ifr) {
  const auto sockaddr_at = [&](const char* name, size_t offset) {
    print_sockaddr(f.f(name), arg + offset, sizeof(sockaddr));
  };
  switch (code) {
    case SIOCSIFADDR: case SIOCGIFADDR: sockaddr_at("ifr_addr", offsetof(ifreq, ifr_addr)); break;
    case SIOCSIFDSTADDR: case SIOCGIFDSTADDR: sockaddr_at("ifr_dstaddr", offsetof(ifreq, ifr_dstaddr)); break;
    case SIOCSIFBRDADDR: case SIOCGIFBRDADDR: sockaddr_at("ifr_broadaddr", offsetof(ifreq, ifr_broadaddr)); break;
    case SIOCSIFNETMASK: case SIOCGIFNETMASK: sockaddr_at("ifr_netmask", offsetof(ifreq, ifr_netmask)); break;
    case SIOCADDMULTI: case SIOCDELMULTI: case SIOCGIFHWADDR: case SIOCSIFHWADDR: case SIOCSIFHWBROADCAST: {
      const sockaddr& hw = ifr.ifr_hwaddr;
      f.f("ifr_hwaddr");
      Fields g(c);
      g.xval("sa_family", xlat_arp_hardware_types, hw.sa_family, "ARPHRD_???");
      const size_t n = hwaddr_size(hw.sa_family);
      net::print_hwaddr_bytes(g.f("sa_data"), reinterpret_cast<const uint8_t*>(hw.sa_data),
                              n < sizeof hw.sa_data ? n : sizeof hw.sa_data);
      g.end();
      break;
    }
    case SIOCSIFFLAGS: case SIOCGIFFLAGS:
      f.flags("ifr_flags", xlat_iffflags, static_cast<unsigned short>(ifr.ifr_flags), "IFF_???");
      break;
    case SIOCGIFINDEX: f.d("ifr_ifindex", ifr.ifr_ifindex); break;
    case SIOCSIFMETRIC: case SIOCGIFMETRIC: f.d("ifr_metric", ifr.ifr_metric); break;
    case SIOCSIFMTU: case SIOCGIFMTU: f.d("ifr_mtu", ifr.ifr_mtu); break;
    case SIOCSIFSLAVE: case SIOCGIFSLAVE: f.cstr("ifr_slave", ifr.ifr_slave); break;
    case SIOCSIFNAME: f.cstr("ifr_newname", ifr.ifr_newname); break;
    case SIOCGIFNAME: f.cstr("ifr_name", ifr.ifr_name); break;
    case SIOCSIFTXQLEN: case SIOCGIFTXQLEN: f.d("ifr_qlen", ifr.ifr_qlen); break;
    case SIOCSIFMAP: case SIOCGIFMAP: {
      const ifmap& m = ifr.ifr_map;
      f.f("ifr_map");
      Fields g(c);
      g.x("mem_start", m.mem_start);
      g.x("mem_end", m.mem_end);
      g.x("base_addr", m.base_addr);
      g.x("irq", m.irq);
      g.x("dma", m.dma);
      g.x("port", m.port);
      g.end();
      break;
    }
    default: break;
  }
}

// SIOCS* (and the multicast and hardware broadcast requests): the interface and what is set on it.
int decode_ifreq_set(Call& c, unsigned code, uint64_t arg) {
  ifreq ifr;
  c.print(", ");
  if (!fetch_or_addr(c, arg, &ifr)) return kIoctlArgDone;
  Fields f(c);
  f.cstr("ifr_name", ifr.ifr_name);
  print_ifreq_member(c, f, code, arg, ifr);
  f.end();
  return kIoctlArgDone;
}

// SIOCG*: the interface asked about (by index for SIOCGIFNAME), then what came back.
int decode_ifreq_get(Call& c, unsigned code, uint64_t arg) {
  ifreq ifr;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &ifr)) return kIoctlArgDone;
    Fields f(c);
    if (code == SIOCGIFNAME)
      f.d("ifr_ifindex", ifr.ifr_ifindex);
    else
      f.cstr("ifr_name", ifr.ifr_name);
    return 0;
  }
  if (!c.failed() && read_obj(c, arg, &ifr)) {
    Fields f(c, false, 1);
    print_ifreq_member(c, f, code, arg, ifr);
  }
  c.printc('}');
  return kIoctlArgDone;
}

void print_ifc_len(const Call& c, int len) {
  c.printf("%d", len);
  const unsigned n = static_cast<unsigned>(len) / sizeof(ifreq);
  if (len > 0 && n * sizeof(ifreq) == static_cast<unsigned>(len))
    c.printf(" /* %u * sizeof(struct ifreq) */", n);
}

// SIOCGIFCONF: with a buffer, its size at entry and the interfaces at exit; without one (a query of
// the size needed), the size at exit.
int decode_ifconf(Call& c, uint64_t arg) {
  ifconf ifc;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &ifc)) return kIoctlArgDone;
    c.print("{ifc_len=");
    if (ifc.ifc_buf) print_ifc_len(c, ifc.ifc_len);
    c.saved[0] = static_cast<uint32_t>(ifc.ifc_len);
    c.saved[1] = reinterpret_cast<uint64_t>(ifc.ifc_buf);
    return 0;
  }
  const int entry_len = static_cast<int>(c.saved[0]);
  const uint64_t entry_buf = c.saved[1];
  if (!read_obj(c, arg, &ifc)) {
    if (!entry_buf) print_ifc_len(c, entry_len);
    c.print(", ifc_buf=");
    print_addr(c, entry_buf);
    c.printc('}');
    return kIoctlArgDone;
  }
  if (entry_buf && entry_len != ifc.ifc_len) c.print(" => ");
  if (!entry_buf || entry_len != ifc.ifc_len) print_ifc_len(c, ifc.ifc_len);
  c.print(", ifc_buf=");
  const uint64_t buf = reinterpret_cast<uint64_t>(ifc.ifc_buf);
  if (!entry_buf || c.failed()) {
    print_addr(c, entry_buf);
    if (entry_buf != buf) {
      c.print(" => ");
      print_addr(c, buf);
    }
  } else {
    uint64_t at = buf;
    print_array<ifreq>(c, buf, static_cast<unsigned>(ifc.ifc_len) / sizeof(ifreq), [&](const ifreq& ifr) {
      Fields f(c);
      f.cstr("ifr_name", ifr.ifr_name);
      print_sockaddr(f.f("ifr_addr"), at + offsetof(ifreq, ifr_addr), sizeof(sockaddr));
      f.end();
      at += sizeof(ifreq);
    });
  }
  c.printc('}');
  return kIoctlArgDone;
}

void print_bridge_port(const Call& c, uint64_t arg) {
  ifreq ifr;
  if (!fetch_or_addr(c, arg, &ifr)) return;
  c.print("{ifr_ifindex=");
  net::print_ifindex(c, static_cast<unsigned>(ifr.ifr_ifindex));
  c.printc('}');
}

void print_bridge_name(const Call& c, uint64_t arg) { print_str_ex(c, arg, IFNAMSIZ, true); }

const Request kSock[] = {
    req_int_out(FIOGETOWN), req_int_out(SIOCATMARK), req_int_out(SIOCGIFENCAP), req_int_out(SIOCGPGRP),
    req_int_out(SIOCOUTQNSD), req_int_in(FIOSETOWN), req_int_in(SIOCSIFENCAP), req_int_in(SIOCSPGRP),
    req_in(SIOCBRADDBR, print_bridge_name), req_in(SIOCBRDELBR, print_bridge_name),
    req_in(SIOCBRADDIF, print_bridge_port), req_in(SIOCBRDELIF, print_bridge_port),
    // Structures strace shows only the address of.
    req_addr(SIOCADDDLCI), req_addr(SIOCADDRT), req_addr(SIOCBONDCHANGEACTIVE), req_addr(SIOCBONDENSLAVE),
    req_addr(SIOCBONDINFOQUERY), req_addr(SIOCBONDRELEASE), req_addr(SIOCBONDSETHWADDR),
    req_addr(SIOCBONDSLAVEINFOQUERY), req_addr(SIOCDARP), req_addr(SIOCDELDLCI), req_addr(SIOCDELRT),
    req_addr(SIOCDIFADDR), req_addr(SIOCDRARP), req_addr(SIOCETHTOOL), req_addr(SIOCGARP),
    req_addr(SIOCGHWTSTAMP), req_addr(SIOCGIFBR), req_addr(SIOCGIFCOUNT), req_addr(SIOCGIFMEM),
    req_addr(SIOCGIFPFLAGS), req_addr(SIOCGIFVLAN), req_addr(SIOCGMIIPHY), req_addr(SIOCGMIIREG),
    req_addr(SIOCGRARP), req_addr(SIOCGSKNS), req_addr(SIOCGSTAMP_OLD), req_addr(SIOCGSTAMP_NEW),
    req_addr(SIOCGSTAMPNS_OLD), req_addr(SIOCGSTAMPNS_NEW), req_addr(SIOCRTMSG), req_addr(SIOCSARP),
    req_addr(SIOCSHWTSTAMP), req_addr(SIOCSIFBR), req_addr(SIOCSIFLINK), req_addr(SIOCSIFMEM),
    req_addr(SIOCSIFPFLAGS), req_addr(SIOCSIFVLAN), req_addr(SIOCSMIIREG), req_addr(SIOCSRARP),
    req_addr(SIOCWANDEV),
};

}  // namespace

int sock_ioctl(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case SIOCGIFCONF: return decode_ifconf(c, arg);
    case SIOCADDMULTI: case SIOCDELMULTI: case SIOCSIFADDR: case SIOCSIFBRDADDR: case SIOCSIFDSTADDR:
    case SIOCSIFFLAGS: case SIOCSIFHWADDR: case SIOCSIFHWBROADCAST: case SIOCSIFMAP: case SIOCSIFMETRIC:
    case SIOCSIFMTU: case SIOCSIFNAME: case SIOCSIFNETMASK: case SIOCSIFSLAVE: case SIOCSIFTXQLEN:
      return decode_ifreq_set(c, code, arg);
    case SIOCGIFADDR: case SIOCGIFBRDADDR: case SIOCGIFDSTADDR: case SIOCGIFFLAGS: case SIOCGIFHWADDR:
    case SIOCGIFINDEX: case SIOCGIFMAP: case SIOCGIFMETRIC: case SIOCGIFMTU: case SIOCGIFNAME:
    case SIOCGIFNETMASK: case SIOCGIFSLAVE: case SIOCGIFTXQLEN:
      return decode_ifreq_get(c, code, arg);
    default: return by_table(c, code, arg, kSock);
  }
}

}  // namespace ioctl
}  // namespace decode
