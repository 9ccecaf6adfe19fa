// Calls that load or poke the kernel itself: module loading and removal, kexec, the x86 segment
// descriptor calls (modify_ldt, set/get_thread_area), _sysctl, lookup_dcookie and ustat.
#include <asm/ldt.h>
#include <linux/kexec.h>
#include <sys/types.h>
#include <linux/sysctl.h>

#include <cinttypes>

#include "fields.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace {

// ---------------------------------------------------------------- modules

// init_module(image, len, params)
int sys_init_module(Call& c) {
  print_addr(c, c.arg(0));
  c.printf(", %" PRIu64 ", ", c.arg(1));
  print_cstr(c, c.arg(2));
  return RVAL_DECODED;
}

// finit_module(fd, params, flags)
int sys_finit_module(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_cstr(c, c.arg(1));
  c.print(", ");
  print_flags_or_unknown(c, xlat_module_init_flags, c.arg_uint(2), "MODULE_INIT_???");
  return RVAL_DECODED;
}

// delete_module(name, flags): flags are O_NONBLOCK and O_TRUNC.
int sys_delete_module(Call& c) {
  print_cstr(c, c.arg(0));
  c.print(", ");
  print_flags_or_unknown(c, xlat_delete_module_flags, c.arg_uint(1), "O_???");
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- kexec

// kexec_load(entry, nr_segments, segments, flags): the architecture in the high half of flags.
int sys_kexec_load(Call& c) {
  print_addr(c, c.arg(0));
  c.printf(", %" PRIu64 ", ", c.arg(1));
  struct Segment {
    uint64_t buf, bufsz, mem, memsz;
  };
  if (c.arg(1) > KEXEC_SEGMENT_MAX) {
    print_addr(c, c.arg(2));
  } else {
    print_array<Segment>(c, c.arg(2), c.arg(1), [&](const Segment& s) {
      Fields f(c);
      f.ptr("buf", s.buf);
      f.u("bufsz", s.bufsz);
      f.ptr("mem", s.mem);
      f.u("memsz", s.memsz);
      f.end();
    });
  }
  c.print(", ");
  const uint64_t flags = c.arg(3);
  const uint64_t arch_mask = KEXEC_ARCH_MASK;
  print_xval(c, xlat_kexec_arch_values, flags & arch_mask, "KEXEC_ARCH_???");
  if (flags & ~arch_mask) {
    c.printc('|');
    print_flags_or_unknown(c, xlat_kexec_load_flags, flags & ~arch_mask, "KEXEC_???");
  }
  return RVAL_DECODED;
}

// kexec_file_load(kernel_fd, initrd_fd, cmdline_len, cmdline, flags)
int sys_kexec_file_load(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_fd(c, c.arg_int(1));
  c.printf(", %" PRIu64 ", ", c.arg(2));
  print_buf(c, c.arg(3), c.arg(2));
  c.print(", ");
  print_flags_or_unknown(c, xlat_kexec_file_load_flags, c.arg(4), "KEXEC_FILE_???");
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- segment descriptors

// entry_number is an index, or -1 for "pick one".
void print_entry_number(const Call& c, unsigned n) {
  if (n == static_cast<unsigned>(-1))
    c.print("-1");
  else
    c.printf("%u", n);
}

// The fields of a user_desc after entry_number.
void print_user_desc_rest(Fields& f, const user_desc& d) {
  f.f("base_addr").printf("%#08x", d.base_addr);
  f.f("limit").printf("%#08x", d.limit);
  f.u("seg_32bit", d.seg_32bit);
  f.u("contents", d.contents);
  f.u("read_exec_only", d.read_exec_only);
  f.u("limit_in_pages", d.limit_in_pages);
  f.u("seg_not_present", d.seg_not_present);
  f.u("useable", d.useable);
  f.u("lm", d.lm);
}

void print_user_desc(const Call& c, uint64_t addr) {
  user_desc d;
  if (!fetch_or_addr(c, addr, &d)) return;
  Fields f(c);
  print_entry_number(f.f("entry_number"), d.entry_number);
  print_user_desc_rest(f, d);
  f.end();
}

// modify_ldt(func, ptr, bytecount): the descriptor only when bytecount is its size. The kernel returns
// an int, so an error comes back zero-extended (4294967258 for -ENOSYS): strace shows both.
int sys_modify_ldt(Call& c) {
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    if (c.arg(2) != sizeof(user_desc))
      print_addr(c, c.arg(1));
    else
      print_user_desc(c, c.arg(1));
    c.printf(", %" PRIu64, c.arg(2));
    return 0;
  }
  if (c.failed() || static_cast<uint64_t>(c.rval) < 0xfffff000u) return 0;
  c.error = static_cast<int>(-static_cast<uint32_t>(c.rval));
  return RVAL_PRINT_ERR_VAL;
}

// set_thread_area(u_info): the descriptor in, the entry the kernel chose as a note.
int sys_set_thread_area(Call& c) {
  if (c.entering()) {
    print_user_desc(c, c.arg(0));
    return 0;
  }
  user_desc d;
  if (c.failed() || !read_obj(c, c.arg(0), &d)) return 0;
  c.aux = "entry_number=" + std::to_string(d.entry_number);
  return RVAL_STR;
}

// get_thread_area(u_info): the entry asked for at entry, the rest of the descriptor at exit.
int sys_get_thread_area(Call& c) {
  if (c.entering()) {
    unsigned n;
    if (!fetch_or_addr(c, c.arg(0), &n)) return 0;
    c.print("{entry_number=");
    print_entry_number(c, n);
    c.saved[0] = 1;
    c.saved[1] = n;
    return 0;
  }
  if (c.arg(0) == 0) return 0;
  user_desc d;
  if (c.failed() || !read_obj(c, c.arg(0), &d)) {
    if (c.saved[0]) c.print(", ...}");
    return 0;
  }
  Fields f(c, false, 1);
  if (!c.saved[0]) {
    c.print(" => {entry_number=");
    print_entry_number(c, d.entry_number);
  } else if (d.entry_number != c.saved[1]) {
    c.print(" => ");
    print_entry_number(c, d.entry_number);
  }
  print_user_desc_rest(f, d);
  f.end();
  return 0;
}

// ---------------------------------------------------------------- _sysctl, dcookies, ustat

int sys_sysctl(Call& c) {
  __sysctl_args a;
  if (!fetch_or_addr(c, c.arg(0), &a)) return RVAL_DECODED;
  Fields f(c);
  f.ptr("name", reinterpret_cast<uint64_t>(a.name));
  f.d("nlen", a.nlen);
  f.ptr("oldval", reinterpret_cast<uint64_t>(a.oldval));
  f.ptr("oldlenp", reinterpret_cast<uint64_t>(a.oldlenp));
  f.ptr("newval", reinterpret_cast<uint64_t>(a.newval));
  f.u("newlen", a.newlen);
  f.end();
  return RVAL_DECODED;
}

// lookup_dcookie(cookie, buffer, len): the path the kernel wrote, at exit.
int sys_lookup_dcookie(Call& c) {
  if (c.entering()) return 0;
  c.printf("%" PRIu64 ", ", c.arg(0));
  if (c.failed())
    print_addr(c, c.arg(1));
  else
    print_str_ex(c, c.arg(1), static_cast<uint64_t>(c.rval), false);
  c.printf(", %" PRIu64, c.arg(2));
  return 0;
}

// A dev_t of the old 32-bit encoding: makedev(major, minor).
void print_old_dev(const Call& c, unsigned dev) {
  c.printf("makedev(%#x, %#x)", (dev >> 8) & 0xfffu, (dev & 0xffu) | ((dev >> 12) & 0xfff00u));
}

// ustat(dev, ubuf)
int sys_ustat(Call& c) {
  if (c.entering()) {
    print_old_dev(c, c.arg_uint(0));
    c.print(", ");
    return 0;
  }
  struct {
    int32_t f_tfree;
    uint32_t pad;
    uint64_t f_tinode;
    char f_fname[6], f_fpack[6];
  } u;
  if (!fetch_or_addr(c, c.arg(1), &u)) return 0;
  Fields f(c);
  f.u("f_tfree", static_cast<uint32_t>(u.f_tfree));
  f.u("f_tinode", u.f_tinode);
  f.end();
  return 0;
}

const NamedDecoder kKernelDecoders[] = {
    {"init_module", sys_init_module},
    {"finit_module", sys_finit_module},
    {"delete_module", sys_delete_module},
    {"kexec_load", sys_kexec_load},
    {"kexec_file_load", sys_kexec_file_load},
    {"modify_ldt", sys_modify_ldt},
    {"set_thread_area", sys_set_thread_area},
    {"get_thread_area", sys_get_thread_area},
    {"_sysctl", sys_sysctl},
    {"lookup_dcookie", sys_lookup_dcookie},
    {"ustat", sys_ustat},
};

}  // namespace

const DecoderFamily family_kernel = {kKernelDecoders, sizeof kKernelDecoders / sizeof kKernelDecoders[0]};

}  // namespace decode
