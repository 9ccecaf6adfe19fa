// Types of the generated flag/constant tables (native/tables/generated/xlat.h,
// written by tools/gen-tables.mjs from tools/xlat/*.in).
#pragma once
#include <cstddef>
#include <cstdint>

// One named value. Negative constants (e.g. SI_QUEUE) are stored sign-extended:
// compare with (uint64_t)(int64_t)value.
struct XlatEntry {
  uint64_t val;
  const char* name;
};

// XLAT_FLAGS: OR-combined bits, printed in list order (an entry matches when all its
// bits are set; composite values come before their parts). XLAT_VALUE: whole values,
// the first entry with a value wins (aliases come later).
enum XlatKind { XLAT_FLAGS, XLAT_VALUE };

struct Xlat {
  const XlatEntry* e;
  size_t n;
  XlatKind kind;
  // For flags: what a value none of whose bits is known is called in a comment (strace's
  // "0x8 /* ?_OK */"), unless the caller names something else. nullptr: no comment.
  const char* unknown = nullptr;
};

// Name of the first entry whose value is exactly v, or nullptr.
inline const char* xlat_lookup(const Xlat& x, uint64_t v) {
  for (size_t i = 0; i < x.n; i++)
    if (x.e[i].val == v) return x.e[i].name;
  return nullptr;
}
