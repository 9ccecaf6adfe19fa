// Printing a structure field by field, as strace lays one out: {name=value, name=value, ...}.
// Numbers print by the field's own C type: u() zero-extends from the field's width (an int of -1
// is 4294967295), d() sign-extends, x() is hexadecimal ("0" for zero). Named constants go through
// the shared printers (print_flags, print_xval) so -X applies to them.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "decoder.h"

namespace decode {

/** A char array holding a C string, as Fields::cstr prints it. */
inline void print_cstr_array(const Call& c, const char* a, size_t n) {
  if (n == 0) {
    print_quoted(c, a, 0, false);
    return;
  }
  const void* nul = memchr(a, 0, n - 1);
  if (nul)
    print_quoted(c, a, static_cast<size_t>(static_cast<const char*>(nul) - a), false);
  else
    print_quoted(c, a, n - 1, a[n - 1] != '\0');
}

template <typename T> unsigned long long as_unsigned(T v) {
  if constexpr (std::is_enum_v<T>)
    return static_cast<unsigned long long>(static_cast<std::make_unsigned_t<std::underlying_type_t<T>>>(v));
  else if constexpr (std::is_same_v<T, bool>)
    return v;
  else
    return static_cast<unsigned long long>(static_cast<std::make_unsigned_t<T>>(v));
}
template <typename T> long long as_signed(T v) {
  if constexpr (std::is_same_v<T, bool>)
    return v;
  else
    return static_cast<long long>(static_cast<std::make_signed_t<T>>(v));
}

class Fields {
 public:
  /** Opens the structure with "{" (or nothing when open is false, to continue one already open that
   *  has `printed` fields). */
  explicit Fields(const Call& c, bool open = true, unsigned printed = 0) : c_(c), n_(printed) {
    if (open) c_.printc('{');
  }
  /** "name=" (after ", " unless it is the first field): the caller prints the value. */
  const Call& f(const char* name) {
    if (n_++) c_.print(", ");
    c_.print(name);
    c_.printc('=');
    return c_;
  }
  template <typename T> void u(const char* name, T v) { f(name).printf("%llu", as_unsigned(v)); }
  template <typename T> void d(const char* name, T v) { f(name).printf("%lld", as_signed(v)); }
  template <typename T> void x(const char* name, T v) { f(name).printf("%#llx", as_unsigned(v)); }
  /** A device number: makedev(0x8, 0x1). */
  void dev(const char* name, uint64_t v) { print_dev_t(f(name), v); }
  /** A char array holding a C string: "text" up to its NUL; without a NUL before the last byte, all
   *  but the last byte, then "..." unless the last byte is the NUL. */
  template <size_t N> void cstr(const char* name, const char (&a)[N]) { cstr(name, a, N); }
  template <size_t N> void cstr(const char* name, const unsigned char (&a)[N]) {
    cstr(name, reinterpret_cast<const char*>(a), N);
  }
  void cstr(const char* name, const char* a, size_t n) { print_cstr_array(f(name), a, n); }
  /** len bytes of a char array, quoted whole. */
  void str(const char* name, const void* a, size_t len) {
    print_quoted(f(name), static_cast<const char*>(a), len, false);
  }
  /** An address field: NULL or 0x.... */
  void ptr(const char* name, uint64_t v) { print_addr(f(name), v); }
  void flags(const char* name, const Xlat& x, uint64_t v, const char* unknown) {
    print_flags_or_unknown(f(name), x, v, unknown);
  }
  void xval(const char* name, const Xlat& x, uint64_t v, const char* unknown) {
    print_xval(f(name), x, v, unknown);
  }
  /** An array field of numbers: [0x1, 0x2] (xarray), [1, 2] (uarray, darray); "..." after -s of them. */
  template <typename T, size_t N> void xarray(const char* name, const T (&a)[N]) {
    numbers(name, a, N, [&](T v) { c_.printf("%#llx", as_unsigned(v)); });
  }
  template <typename T, size_t N> void uarray(const char* name, const T (&a)[N]) {
    numbers(name, a, N, [&](T v) { c_.printf("%llu", as_unsigned(v)); });
  }
  template <typename T, size_t N> void darray(const char* name, const T (&a)[N]) {
    numbers(name, a, N, [&](T v) { c_.printf("%lld", as_signed(v)); });
  }
  /** The first n elements (no more than N) of an array field: [1, 2] (uarray_upto, xarray_upto). */
  template <typename T, size_t N> void uarray_upto(const char* name, const T (&a)[N], uint64_t n) {
    numbers(name, a, n < N ? static_cast<size_t>(n) : N, [&](T v) { c_.printf("%llu", as_unsigned(v)); });
  }
  template <typename T, size_t N> void xarray_upto(const char* name, const T (&a)[N], uint64_t n) {
    numbers(name, a, n < N ? static_cast<size_t>(n) : N, [&](T v) { c_.printf("%#llx", as_unsigned(v)); });
  }
  /** The first n elements (no more than N) of an array field of structures, each printed by
   *  one(const T&): [{...}, {...}], cut at -s elements without -v. */
  template <typename T, size_t N, typename F> void array_upto(const char* name, const T (&a)[N], uint64_t n, F&& one) {
    numbers(name, a, n < N ? static_cast<size_t>(n) : N, [&](const T& v) { one(v); });
  }
  /** ", ..." : more fields that are not shown (abbreviated output). */
  void more() {
    if (n_++) c_.print(", ");
    c_.print("...");
  }
  void end() { c_.printc('}'); }
  /** How many fields were printed so far. */
  unsigned count() const { return n_; }

 private:
  template <typename T, typename F> void numbers(const char* name, const T* a, size_t n, F&& one) {
    f(name).printc('[');
    // Cut at -s elements without -v, as strace cuts every array.
    const size_t limit = array_print_limit(c_);
    for (size_t i = 0; i < n; i++) {
      if (i) c_.print(", ");
      if (i >= limit) {
        c_.print("...");
        break;
      }
      one(a[i]);
    }
    c_.printc(']');
  }
  const Call& c_;
  unsigned n_;
};

/** Whether -v is off: structures are abbreviated. */
inline bool abbrev(const Call& c) { return !c.opts || !c.opts->verbose; }

}  // namespace decode
