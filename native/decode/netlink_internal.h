// The shared mechanism of the netlink payload decoders (netlink.cc frames the messages; each protocol's
// file decodes its payloads): attributes as strace prints them, [{nla_len=N, nla_type=NAME}, value],
// each payload decoded by the entry its table gives for its type, nested attributes through a table of
// their own. A table is data: the names of the types, the name an unknown type gets, and the decoders.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <linux/netlink.h>

#include "decoder.h"
#include "fields.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace net {

/** Decodes one attribute's payload of len bytes at addr; false leaves it to the hex fallback. arg is
 *  the table entry's own argument; msg the message header the attributes belong to (its first byte is
 *  the address family for every NETLINK_ROUTE message), passed down to nested attributes. */
using NlaFn = bool (*)(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void* msg);

struct Nla {
  unsigned type;
  NlaFn fn;
  const void* arg;
};

struct AttrTable {
  const Xlat* names;      // nullptr: types as hex numbers
  const char* unknown;    // the comment an unknown type gets ("IFLA_???")
  const Nla* decoders;
  size_t n;
  // The decoder of every type without an entry, given the type as its arg (IFLA_AF_SPEC's attributes
  // are address families, each decoded by the family's own table).
  NlaFn each = nullptr;
};

template <size_t N>
constexpr AttrTable attr_table(const Xlat& names, const char* unknown, const Nla (&d)[N]) {
  return AttrTable{&names, unknown, d, N};
}
inline AttrTable attr_table(const Xlat& names, const char* unknown) { return AttrTable{&names, unknown, nullptr, 0}; }

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
    c.print(", ");
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

/** The attributes in len bytes at addr: one alone, several in brackets, "..." past the -s limit. */
void print_attrs(const Call& c, uint64_t addr, uint64_t len, const AttrTable& t, const void* msg);

// ---- Payload headers (struct ifinfomsg, struct rtmsg, struct unix_diag_req, ...) ----

/** An address family as the first byte of a payload: AF_INET, or 0x2e followed by AF_??? in a comment. */
inline void print_nl_family(const Call& c, uint8_t family) {
  print_xval(c, xlat_address_families, family, "AF_???");
}

/** A payload of a type with no decoder: {family=AF_..., data="\x.."} (the bytes after the family). */
void print_family_data(const Call& c, uint8_t family, uint64_t addr, uint64_t len);

/** A header structure H whose first byte is the address family (already read): its other fields,
 *  printed by fields(h, f), only when len holds all of H ({family_field=AF_..., ...} when it does
 *  not), then the attributes after it through table t (which get the header as their msg). */
template <typename H, typename F>
void print_header_msg(const Call& c, uint8_t family, uint64_t addr, uint64_t len, const char* family_field,
                      const AttrTable* t, F&& fields) {
  H h;
  memset(&h, 0, sizeof h);
  memcpy(&h, &family, 1);
  c.printf("{%s=", family_field);
  print_nl_family(c, family);
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

/** Reads a T at addr when len holds one (false: too short, the caller's hex fallback applies); the
 *  address is printed when it cannot be read (and *ok is false). */
template <typename T>
bool nla_read(const Call& c, uint64_t addr, uint64_t len, T* v, bool* ok) {
  if (len < sizeof(T)) return false;
  *ok = read_obj(c, addr, v);
  if (!*ok) print_addr(c, addr);
  return true;
}

/** A payload holding a T: print(v) prints it once read (false when len is too short for one, the
 *  address when it cannot be read). */
template <typename T, typename F>
bool nla_value(const Call& c, uint64_t addr, uint64_t len, F&& print) {
  T v;
  bool ok;
  if (!nla_read(c, addr, len, &v, &ok)) return false;
  if (ok) print(v);
  return true;
}

// ---- Generic payload decoders (arg unused unless said) ----
bool nla_u8(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_u16(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_u32(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_u64(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_s8(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_s16(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_s32(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_s64(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_x8(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_x16(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_x32(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_x64(const Call&, uint64_t, uint64_t, const void*, const void*);
/** x8..x64 by the payload's size. */
bool nla_xint(const Call&, uint64_t, uint64_t, const void*, const void*);
/** A NUL-terminated string (no "..." for its NUL). */
bool nla_str(const Call&, uint64_t, uint64_t, const void*, const void*);
/** A string of exactly len bytes (strace's printstrn). */
bool nla_strn(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_fd(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_uid(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_ifindex(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_in_addr(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_in6_addr(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_be16(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_be64(const Call&, uint64_t, uint64_t, const void*, const void*);
/** A clock_t count (up to 8 bytes): the number, with the seconds it stands for in a comment. */
bool nla_clock_t(const Call&, uint64_t, uint64_t, const void*, const void*);
/** A hardware address (at most MAX_ADDR_LEN bytes): ff:ff:...; arg: nullptr. */
bool nla_hwaddr(const Call&, uint64_t, uint64_t, const void*, const void*);
/** An address of the message's family (the first byte of msg): inet_addr(...), inet_pton(...), or hex. */
bool nla_msg_inet_addr(const Call&, uint64_t, uint64_t, const void*, const void* msg);
/** Nested attributes; arg: the AttrTable of the nested types. */
bool nla_nested(const Call&, uint64_t, uint64_t, const void* arg, const void* msg);
bool nla_ip_proto(const Call&, uint64_t, uint64_t, const void*, const void*);
bool nla_ether_proto(const Call&, uint64_t, uint64_t, const void*, const void*);

/** A named value or flag set of up to 8 bytes; arg: an NlaXlat. A payload shorter than size (or
 *  longer than 8 bytes) goes to the hex fallback; only size bytes of a longer one are read. */
struct NlaXlat {
  const Xlat* xlat;
  const char* unknown;
  unsigned size;         // 0: the payload's own size
  const char* zero = nullptr;  // flags: what 0 prints as ("0" when null)
};
bool nla_xval(const Call&, uint64_t, uint64_t, const void* arg, const void*);
bool nla_flags(const Call&, uint64_t, uint64_t, const void* arg, const void*);

/** An address of family af in len bytes at addr (strace's decode_inet_addr): inet_addr("...") for
 *  AF_INET, inet_pton(AF_INET6, "...") for AF_INET6, else (or when too short) the bytes in hex. With
 *  a field name, "name=" before the hex and inet_pton(..., &name) for IPv6. */
void print_inet_addr_of(const Call& c, uint64_t addr, uint64_t len, unsigned af, const char* field);

// ---- netlink_link.cc ----
/** struct ifinfomsg (RTM_*LINK) and its IFLA_* attributes. */
void print_ifinfomsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len);
/** struct if_stats_msg (RTM_*STATS) and its IFLA_STATS_* attributes. */
void print_ifstatsmsg(const Call& c, uint8_t family, uint64_t addr, uint64_t len);
/** struct rtnl_link_stats64, as long as the kernel that wrote it made it. */
bool nla_link_stats64(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void* msg);

// ---- netlink_diag.cc ----
/** A NETLINK_SOCK_DIAG message's payload: a request or an answer of the family it names. */
void print_sock_diag_payload(const Call& c, const nlmsghdr& h, uint64_t addr, uint64_t len);
/** SK_MEMINFO_* counters: [[SK_MEMINFO_RMEM_ALLOC]=N, ...]. */
bool nla_meminfo(const Call& c, uint64_t addr, uint64_t len, const void* arg, const void* msg);
/** AF_INET/AF_INET6 and AF_SMC requests and answers; false leaves the payload to the caller. */
bool print_inet_diag(const Call& c, bool request, unsigned type, uint8_t family, uint64_t addr, uint64_t len);
bool print_smc_diag(const Call& c, bool request, uint8_t family, uint64_t addr, uint64_t len);

// ---- netlink_route.cc ----
/** A NETLINK_ROUTE message's payload (len bytes at addr, type >= NLMSG_MIN_TYPE). */
void print_route_payload(const Call& c, unsigned type, uint64_t addr, uint64_t len);

}  // namespace net
}  // namespace decode
