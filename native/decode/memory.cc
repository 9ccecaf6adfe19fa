// The memory family: mappings (mmap, munmap, mprotect, mremap, madvise, msync), locking, residency
// (mincore), protection keys, membarrier, NUMA policies, and cross-process copies (process_vm_*).
//
// Mapping calls take inputs only, so strace prints them whole at entry and shows the new address
// in hex: mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f...
#include <linux/mempolicy.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cinttypes>
#include <vector>

#include "decoder.h"
#include "../tables/generated/xlat.h"

namespace decode {

// ---------------------------------------------------------------- shared helpers

size_t array_print_limit(const Call& c) {
  static const Options kDefaults;
  const Options& o = c.opts ? *c.opts : kDefaults;
  return o.verbose ? o.max_array : o.strsize;
}

namespace {

constexpr unsigned kMapType = 0xf;         // MAP_TYPE
constexpr unsigned kMapHugeShift = 26;     // MAP_HUGE_SHIFT
constexpr unsigned kMapHugeMask = 0x3f;    // MAP_HUGE_MASK

// PROT_*: PROT_NONE for 0.
void print_prot(const Call& c, uint64_t prot) {
  if (prot == 0)
    print_const(c, 0, "PROT_NONE", FMT_UDEC);
  else
    print_flags_or_unknown(c, xlat_mmap_prot, prot, "PROT_???");
}

// mmap flags: the mapping type by value (MAP_FILE for 0), the other bits, unknown bits in hex, then the
// huge page size field as N<<MAP_HUGE_SHIFT.
void print_mmap_flags(const Call& c, uint64_t flags) {
  flags &= 0xffffffffu;
  print_composite(c, flags, FMT_HEX, [&] {
    const unsigned type = flags & kMapType;
    print_xval(c, xlat_mmap_map_type, type, "MAP_???");
    const unsigned huge = (flags >> kMapHugeShift) & kMapHugeMask;
    const uint64_t rest = flags & ~static_cast<uint64_t>(kMapType) &
                          ~(static_cast<uint64_t>(kMapHugeMask) << kMapHugeShift);
    if (rest) {
      c.printc('|');
      print_flags(c, xlat_mmap_flags, rest);
    }
    if (huge) c.printf("|%u<<MAP_HUGE_SHIFT", huge);
  });
}

// mmap(addr, length, prot, flags, fd, offset)
int sys_mmap(Call& c) {
  print_addr(c, c.arg(0));
  c.printf(", %" PRIu64 ", ", c.arg(1));
  print_prot(c, c.arg(2));
  c.print(", ");
  print_mmap_flags(c, c.arg(3));
  c.print(", ");
  print_fd(c, c.arg_int(4));
  c.printf(", %#" PRIx64, c.arg(5));
  return RVAL_DECODED | RVAL_HEX;
}

// munmap, mlock, munlock: an address range.
int sys_addr_len(Call& c) {
  print_addr(c, c.arg(0));
  c.printf(", %" PRIu64, c.arg(1));
  return RVAL_DECODED;
}

int sys_mprotect(Call& c) {
  sys_addr_len(c);
  c.print(", ");
  print_prot(c, c.arg(2));
  return RVAL_DECODED;
}

int sys_pkey_mprotect(Call& c) {
  sys_mprotect(c);
  c.printf(", %d", c.arg_int(3));
  return RVAL_DECODED;
}

void print_advice(const Call& c, uint64_t advice) {
  print_xval(c, xlat_madvise_advice, static_cast<unsigned>(advice), "MADV_???");
}

int sys_madvise(Call& c) {
  sys_addr_len(c);
  c.print(", ");
  print_advice(c, c.arg_int(2));
  return RVAL_DECODED;
}

// An iovec array whose bases are addresses in another process (or ranges to act on): no contents.
void print_iov_ranges(const Call& c, uint64_t addr, uint64_t count) {
  print_iov_with(c, addr, count, -1, [&](uint64_t base, uint64_t) { print_addr(c, base); });
}

// process_madvise(pidfd, iovec, vlen, advice, flags)
int sys_process_madvise(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_iov_ranges(c, c.arg(1), c.arg(2));
  c.printf(", %" PRIu64 ", ", c.arg(2));
  print_advice(c, c.arg_int(3));
  c.printf(", %#x", c.arg_uint(4));
  return RVAL_DECODED;
}

// mremap(old_address, old_size, new_size, flags[, new_address]): the new address only with MREMAP_FIXED.
int sys_mremap(Call& c) {
  print_addr(c, c.arg(0));
  c.printf(", %" PRIu64 ", %" PRIu64 ", ", c.arg(1), c.arg(2));
  const uint64_t flags = c.arg(3);
  print_flags_or_unknown(c, xlat_mremap_flags, flags, "MREMAP_???");
  if (flags & MREMAP_FIXED) {
    c.print(", ");
    print_addr(c, c.arg(4));
  }
  return RVAL_DECODED | RVAL_HEX;
}

int sys_brk(Call& c) {
  print_addr(c, c.arg(0));
  return RVAL_DECODED | RVAL_HEX;
}

int sys_msync(Call& c) {
  sys_addr_len(c);
  c.print(", ");
  print_flags_or_unknown(c, xlat_msync_flags, c.arg_uint(2), "MS_???");
  return RVAL_DECODED;
}

int sys_mlock2(Call& c) {
  sys_addr_len(c);
  c.print(", ");
  print_flags_or_unknown(c, xlat_mlock2_flags, c.arg_uint(2), "MLOCK_???");
  return RVAL_DECODED;
}

int sys_mlockall(Call& c) {
  print_flags_or_unknown(c, xlat_mlockall_flags, c.arg_uint(0), "MCL_???");
  return RVAL_DECODED;
}

// mincore(addr, length, vec): one byte per page, printed as numbers at exit.
int sys_mincore(Call& c) {
  if (c.entering()) {
    sys_addr_len(c);
    c.print(", ");
    return 0;
  }
  const uint64_t vec = c.arg(2);
  const long page = sysconf(_SC_PAGESIZE);
  const uint64_t pages = (c.arg(1) + static_cast<uint64_t>(page) - 1) / static_cast<uint64_t>(page);
  if (vec == 0 || c.failed()) {
    print_addr(c, vec);
    return 0;
  }
  const size_t limit = array_print_limit(c);
  const size_t shown = pages < limit ? static_cast<size_t>(pages) : limit;
  std::vector<unsigned char> bytes(shown);
  if (shown && !read_mem(c, vec, bytes.data(), shown)) {
    print_addr(c, vec);
    return 0;
  }
  c.printc('[');
  for (size_t i = 0; i < shown; i++) c.printf(i ? ", %u" : "%u", bytes[i]);
  if (pages > shown) c.print(shown ? ", ..." : "...");
  c.printc(']');
  return 0;
}

// pkey_alloc(flags, access_rights): both unsigned long in the kernel, shown whole.
int sys_pkey_alloc(Call& c) {
  print_val(c, c.arg(0), FMT_HEX);
  c.print(", ");
  print_flags(c, xlat_pkey_access, c.arg(1));
  return RVAL_DECODED;
}

int sys_pkey_free(Call& c) {
  c.printf("%d", c.arg_int(0));
  return RVAL_DECODED;
}

// membarrier(cmd, flags, cpu_id): MEMBARRIER_CMD_QUERY returns the supported commands, which strace
// shows in hex with their names.
int sys_membarrier(Call& c) {
  const unsigned cmd = c.arg_uint(0);
  if (c.entering()) {
    print_xval(c, xlat_membarrier_cmds, cmd, "MEMBARRIER_CMD_???");
    c.print(", ");
    const unsigned flags = c.arg_uint(1);
    print_flags_or_unknown(c, xlat_membarrier_flags, flags, "MEMBARRIER_CMD_FLAG_???");
    if (flags & 1u /* MEMBARRIER_CMD_FLAG_CPU */) c.printf(", %d", c.arg_int(2));
    return cmd == 0 ? 0 : RVAL_DECODED;
  }
  if (c.failed()) return 0;
  c.aux = capture(c, [&] { print_flags(c, xlat_membarrier_cmd_bits, static_cast<uint64_t>(c.rval)); });
  return RVAL_HEX | RVAL_STR;
}

// remap_file_pages(addr, size, prot, pgoff, flags)
int sys_remap_file_pages(Call& c) {
  sys_addr_len(c);
  c.print(", ");
  print_prot(c, c.arg(2));
  c.printf(", %" PRIu64 ", ", c.arg(3));
  print_mmap_flags(c, c.arg(4));
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- NUMA policies

// A NUMA policy mode with its optional flags: MPOL_BIND, MPOL_INTERLEAVE|MPOL_F_STATIC_NODES. A mode
// with flags is one composite value (-X raw: 0x8003 alone); flags on an unknown mode print as flag bits
// with the rest in hex (MPOL_F_STATIC_NODES|0xff00), as strace does.
void print_mpol_mode(const Call& c, uint64_t mode_arg) {
  const uint64_t flag_mask = static_cast<uint64_t>(MPOL_MODE_FLAGS);
  const uint64_t flags = mode_arg & flag_mask;
  const uint64_t mode = mode_arg & ~flag_mask;
  if (!flags) {
    print_xval(c, xlat_mpol_modes, mode, "MPOL_???");
    return;
  }
  const char* name = xlat_lookup(xlat_mpol_modes, mode);
  if (!name) {
    print_flags(c, xlat_mpol_mode_flags, mode_arg, "0", "MPOL_???");
    return;
  }
  print_composite(c, mode_arg, FMT_HEX, [&] {
    c.print(name);
    c.printc('|');
    print_flags(c, xlat_mpol_mode_flags, flags);
  });
}

// A node mask of maxnode - 1 bits (the kernel ignores the last one): [0x0000000000000001], each word
// zero-padded to its width. A maxnode of 1 leaves no word to show: the address.
void print_nodemask(const Call& c, uint64_t addr, uint64_t maxnode) {
  const uint64_t bits = 8 * sizeof(unsigned long);
  const uint64_t words = maxnode == 0 ? 0 : (maxnode - 2 + bits) / bits;
  if (maxnode != 0 && words == 0) {
    print_addr(c, addr);
    return;
  }
  print_array<unsigned long>(c, addr, words,
                             [&](unsigned long w) { c.printf("%#0*lx", static_cast<int>(2 * sizeof w), w); });
}

int sys_mbind(Call& c) {
  sys_addr_len(c);
  c.print(", ");
  print_mpol_mode(c, c.arg(2));
  c.print(", ");
  print_nodemask(c, c.arg(3), c.arg(4));
  c.printf(", %" PRIu64 ", ", c.arg(4));
  print_flags_or_unknown(c, xlat_mbind_flags, c.arg_uint(5), "MPOL_???");
  return RVAL_DECODED;
}

int sys_set_mempolicy(Call& c) {
  print_mpol_mode(c, c.arg_uint(0));
  c.print(", ");
  print_nodemask(c, c.arg(1), c.arg(2));
  c.printf(", %" PRIu64, c.arg(2));
  return RVAL_DECODED;
}

// get_mempolicy(mode *, nodemask *, maxnode, addr, flags): outputs at exit.
int sys_get_mempolicy(Call& c) {
  if (c.entering()) return 0;
  const uint64_t mode_addr = c.arg(0);
  int mode;
  if (mode_addr == 0 || c.failed() || !read_obj(c, mode_addr, &mode)) {
    print_addr(c, mode_addr);
  } else {
    c.printc('[');
    print_xval(c, xlat_mpol_modes, static_cast<unsigned>(mode), "MPOL_???");
    c.printc(']');
  }
  c.print(", ");
  if (c.failed())
    print_addr(c, c.arg(1));
  else
    print_nodemask(c, c.arg(1), c.arg(2));
  c.printf(", %" PRIu64 ", ", c.arg(2));
  print_addr(c, c.arg(3));
  c.print(", ");
  print_flags_or_unknown(c, xlat_get_mempolicy_flags, c.arg_uint(4), "MPOL_???");
  return 0;
}

// migrate_pages(pid, maxnode, old_nodes, new_nodes)
int sys_migrate_pages(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  c.printf(", %" PRIu64 ", ", c.arg(1));
  print_nodemask(c, c.arg(2), c.arg(1));
  c.print(", ");
  print_nodemask(c, c.arg(3), c.arg(1));
  return RVAL_DECODED;
}

// move_pages(pid, count, pages, nodes, status, flags): status is filled in by the kernel.
int sys_move_pages(Call& c) {
  const uint64_t n = c.arg(1);
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    c.printf(", %" PRIu64 ", ", n);
    print_array<uint64_t>(c, c.arg(2), n, [&](uint64_t p) { print_addr(c, p); });
    c.print(", ");
    print_array<int>(c, c.arg(3), n, [&](int v) { c.printf("%d", v); });
    c.print(", ");
    return 0;
  }
  // Each status is a node number or a negated errno (-EFAULT).
  print_array<int>(c, c.arg(4), n, [&](int v) { print_errno_val(c, v, true); });
  c.print(", ");
  print_flags_or_unknown(c, xlat_mbind_flags, c.arg_uint(5), "MPOL_???");
  return 0;
}

// ---------------------------------------------------------------- cross-process copies

// process_vm_readv/writev(pid, local_iov, liovcnt, remote_iov, riovcnt, flags): the local buffers
// hold the data (read into at exit for readv, written from at entry for writev); the remote ones are
// addresses in the other process.
int print_process_vm(Call& c, bool reading) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    c.print(", ");
    if (reading) return 0;
    print_iov(c, c.arg(1), c.arg(2), -1);
  } else if (reading) {
    print_iov(c, c.arg(1), c.arg(2), c.failed() ? -1 : c.rval);  // a failed call's show addresses only
  }
  c.printf(", %" PRIu64 ", ", c.arg(2));
  print_iov_ranges(c, c.arg(3), c.arg(4));
  c.printf(", %" PRIu64 ", %" PRIu64, c.arg(4), c.arg(5));
  return reading ? 0 : RVAL_DECODED;
}

int sys_process_vm_readv(Call& c) { return print_process_vm(c, true); }
int sys_process_vm_writev(Call& c) { return print_process_vm(c, false); }

// set_mempolicy_home_node(start, len, home_node, flags)
int sys_set_mempolicy_home_node(Call& c) {
  sys_addr_len(c);
  c.printf(", %" PRIu64 ", %#" PRIx64, c.arg(2), c.arg(3));
  return RVAL_DECODED;
}

const NamedDecoder kMemoryDecoders[] = {
    {"mmap", sys_mmap},
    {"munmap", sys_addr_len},
    {"mprotect", sys_mprotect},
    {"pkey_mprotect", sys_pkey_mprotect},
    {"madvise", sys_madvise},
    {"process_madvise", sys_process_madvise},
    {"mremap", sys_mremap},
    {"brk", sys_brk},
    {"msync", sys_msync},
    {"mlock", sys_addr_len},
    {"munlock", sys_addr_len},
    {"mlock2", sys_mlock2},
    {"mlockall", sys_mlockall},
    {"mincore", sys_mincore},
    {"pkey_alloc", sys_pkey_alloc},
    {"pkey_free", sys_pkey_free},
    {"membarrier", sys_membarrier},
    {"remap_file_pages", sys_remap_file_pages},
    {"mbind", sys_mbind},
    {"set_mempolicy", sys_set_mempolicy},
    {"get_mempolicy", sys_get_mempolicy},
    {"migrate_pages", sys_migrate_pages},
    {"set_mempolicy_home_node", sys_set_mempolicy_home_node},
    {"move_pages", sys_move_pages},
    {"process_vm_readv", sys_process_vm_readv},
    {"process_vm_writev", sys_process_vm_writev},
};

}  // namespace

const DecoderFamily family_memory = {kMemoryDecoders, sizeof kMemoryDecoders / sizeof kMemoryDecoders[0]};

}  // namespace decode
