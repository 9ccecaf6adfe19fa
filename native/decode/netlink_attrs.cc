// Netlink attributes: the array layout and the payload decoders every protocol's tables use.
#include "netlink_internal.h"
#include "net_internal.h"

#include <arpa/inet.h>
#include <endian.h>
#include <linux/netdevice.h>
#include <unistd.h>

#include <cinttypes>
#include <string>

namespace decode {
namespace net {

void print_attrs(const Call& c, uint64_t addr, uint64_t len, const AttrTable& t, const void* msg) {
  print_sequence<NlAttr>(c, addr, len, NLA_ALIGNTO, [&](uint64_t at, const NlAttr& a, uint64_t left) {
    const uint64_t n = a.nla_len < left ? a.nla_len : left;
    if (n > NLA_HDRLEN) c.printc('[');
    c.printf("{nla_len=%u, nla_type=", a.nla_len);
    if (a.nla_type & NLA_F_NESTED) {
      print_const(c, NLA_F_NESTED, "NLA_F_NESTED");
      c.printc('|');
    }
    if (a.nla_type & NLA_F_NET_BYTEORDER) {
      print_const(c, NLA_F_NET_BYTEORDER, "NLA_F_NET_BYTEORDER");
      c.printc('|');
    }
    const unsigned type = a.nla_type & NLA_TYPE_MASK;
    if (t.names)
      print_xval(c, *t.names, type, t.unknown);
    else
      c.printf("%#x", type);
    c.printc('}');
    if (n <= NLA_HDRLEN) return;
    c.print(", ");
    const Nla* d = nullptr;
    for (size_t i = 0; i < t.n; i++)
      if (t.decoders[i].type == type) d = &t.decoders[i];
    const uint64_t data = at + NLA_HDRLEN, dlen = n - NLA_HDRLEN;
    bool done;
    if (d)
      done = d->fn && d->fn(c, data, dlen, d->arg, msg);
    else
      done = t.each && t.each(c, data, dlen, reinterpret_cast<const void*>(static_cast<uintptr_t>(type)), msg);
    if (!done)
      print_buf_hex(c, at + NLA_HDRLEN, n - NLA_HDRLEN);
    c.printc(']');
  });
}

namespace {

template <typename T>
bool nla_number(const Call& c, uint64_t addr, uint64_t len, const char* fmt) {
  return nla_value<T>(c, addr, len, [&](T v) { c.printf(fmt, v); });
}

// Up to 8 bytes as a host-order number (strace's umoven_to_uint64): false when longer.
bool read_uint(const Call& c, uint64_t addr, uint64_t len, uint64_t* v, bool* ok) {
  if (len > sizeof *v) return false;
  uint8_t b[8] = {};
  *ok = read_mem(c, addr, b, len);
  if (!*ok) {
    print_addr(c, addr);
    return true;
  }
  switch (len) {
    case 1: *v = b[0]; break;
    case 2: { uint16_t x; memcpy(&x, b, 2); *v = x; break; }
    case 4: { uint32_t x; memcpy(&x, b, 4); *v = x; break; }
    case 8: memcpy(v, b, 8); break;
    default: { uint64_t x = 0; memcpy(&x, b, len); *v = x; }
  }
  return true;
}

}  // namespace

bool nla_u8(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<uint8_t>(c, a, l, "%u"); }
bool nla_u16(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<uint16_t>(c, a, l, "%u"); }
bool nla_u32(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<uint32_t>(c, a, l, "%u"); }
bool nla_u64(const Call& c, uint64_t a, uint64_t l, const void*, const void*) {
  return nla_number<uint64_t>(c, a, l, "%" PRIu64);
}
bool nla_s8(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<int8_t>(c, a, l, "%d"); }
bool nla_s16(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<int16_t>(c, a, l, "%d"); }
bool nla_s32(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<int32_t>(c, a, l, "%d"); }
bool nla_s64(const Call& c, uint64_t a, uint64_t l, const void*, const void*) {
  return nla_number<int64_t>(c, a, l, "%" PRId64);
}
bool nla_x8(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<uint8_t>(c, a, l, "%#x"); }
bool nla_x16(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<uint16_t>(c, a, l, "%#x"); }
bool nla_x32(const Call& c, uint64_t a, uint64_t l, const void*, const void*) { return nla_number<uint32_t>(c, a, l, "%#x"); }
bool nla_x64(const Call& c, uint64_t a, uint64_t l, const void*, const void*) {
  return nla_number<uint64_t>(c, a, l, "%#" PRIx64);
}

bool nla_xint(const Call& c, uint64_t a, uint64_t l, const void* arg, const void* msg) {
  switch (l) {
    case 1: return nla_x8(c, a, l, arg, msg);
    case 2: return nla_x16(c, a, l, arg, msg);
    case 4: return nla_x32(c, a, l, arg, msg);
    case 8: return nla_x64(c, a, l, arg, msg);
  }
  return false;
}

// A string attribute: its bytes without the terminating NUL, "..." after them when the NUL is
// missing or -s cut the string.
bool nla_str(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
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

bool nla_strn(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  print_str_ex(c, addr, len, true);
  return true;
}

bool nla_fd(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<int32_t>(c, addr, len, [&](int32_t v) { print_fd(c, v); });
}

bool nla_uid(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<uint32_t>(c, addr, len, [&](uint32_t v) { print_id(c, v); });
}

bool nla_ifindex(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<uint32_t>(c, addr, len, [&](uint32_t v) { print_ifindex(c, v); });
}

bool nla_in_addr(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  if (len < sizeof(in_addr)) return false;
  print_inet_addr_of(c, addr, len, AF_INET, nullptr);
  return true;
}

bool nla_in6_addr(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  if (len < sizeof(in6_addr)) return false;
  print_inet_addr_of(c, addr, len, AF_INET6, nullptr);
  return true;
}

bool nla_be16(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<uint16_t>(c, addr, len, [&](uint16_t v) { c.printf("htons(%u)", ntohs(v)); });
}

bool nla_be64(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  return nla_value<uint64_t>(c, addr, len, [&](uint64_t v) { c.printf("htobe64(%" PRIu64 ")", be64toh(v)); });
}

bool nla_clock_t(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  uint64_t v;
  bool ok;
  if (!read_uint(c, addr, len, &v, &ok)) return false;
  if (!ok) return true;
  c.printf("%" PRIu64, v);
  static const long tck = sysconf(_SC_CLK_TCK);
  if (xstyle(c) != XLAT_RAW && tck > 0 && v > 0) {
    int width = 0;
    for (long t = tck; t >= 10 && width < 9; t /= 10) width++;
    const uint64_t whole = v / static_cast<uint64_t>(tck);
    const double frac = static_cast<double>(v % static_cast<uint64_t>(tck)) / static_cast<double>(tck);
    // The fraction alone is formatted ("0.50"), then its "0" replaced by the whole seconds, so large
    // counts keep every digit.
    char f[32];
    snprintf(f, sizeof f, "%.*f", width, frac);
    c.printf(" /* %" PRIu64 "%s s */", whole, f + 1);
  }
  return true;
}

bool nla_hwaddr(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  if (len > MAX_ADDR_LEN) return false;
  uint8_t b[MAX_ADDR_LEN];
  if (!read_mem(c, addr, b, len)) {
    print_addr(c, addr);
    return true;
  }
  print_hwaddr_bytes(c, b, len);
  return true;
}

void print_inet_addr_of(const Call& c, uint64_t addr, uint64_t len, unsigned af, const char* field) {
  const size_t size = af == AF_INET ? sizeof(in_addr) : af == AF_INET6 ? sizeof(in6_addr) : 0;
  if (!size || len < size) {
    if (field) c.printf("%s=", field);
    print_buf_hex(c, addr, len);
    return;
  }
  unsigned char b[sizeof(in6_addr)];
  if (!read_mem(c, addr, b, size)) {
    if (field) c.printf("%s=", field);
    print_addr(c, addr);
    return;
  }
  print_inet_addr_bytes(c, af, b, size, field);
}

bool nla_msg_inet_addr(const Call& c, uint64_t addr, uint64_t len, const void*, const void* msg) {
  print_inet_addr_of(c, addr, len, *static_cast<const uint8_t*>(msg), nullptr);
  return true;
}

bool nla_nested(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void* msg) {
  print_attrs(c, addr, len, *static_cast<const AttrTable*>(arg), msg);
  return true;
}

namespace {

bool nla_named(const Call& c, uint64_t addr, uint64_t len, const NlaXlat& x, bool flags, const char* fn) {
  if (len > sizeof(uint64_t) || len < x.size) return false;
  if (x.size) len = x.size;
  uint64_t v;
  bool ok;
  read_uint(c, addr, len, &v, &ok);
  if (!ok) return true;
  if (fn) {
    v = ntohs(static_cast<uint16_t>(v));
    c.printf("%s(", fn);
  }
  if (flags)
    print_flags(c, *x.xlat, v, x.zero ? x.zero : "0", x.unknown);
  else
    print_xval(c, *x.xlat, v, x.unknown);
  if (fn) c.printc(')');
  return true;
}

}  // namespace

bool nla_xval(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void*) {
  return nla_named(c, addr, len, *static_cast<const NlaXlat*>(arg), false, nullptr);
}

bool nla_flags(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void*) {
  return nla_named(c, addr, len, *static_cast<const NlaXlat*>(arg), true, nullptr);
}

bool nla_ip_proto(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  static const NlaXlat x{&xlat_inet_protocols, "IPPROTO_???", 0};
  return nla_named(c, addr, len, x, false, nullptr);
}

bool nla_ether_proto(const Call& c, uint64_t addr, uint64_t len, const void*, const void*) {
  static const NlaXlat x{&xlat_ethernet_protocols, "ETHER_P_???", 2};
  return nla_named(c, addr, len, x, false, "htons");
}

}  // namespace net
}  // namespace decode
