// KVM requests (0xae, linux/kvm.h) on /dev/kvm, a VM and a virtual CPU: capabilities, guest
// memory slots, the x86 registers, CPUID tables, and KVM_RUN, whose exit reason strace shows after
// the result with -e kvm=vcpu (read from the kvm_run structure the tracee has mapped from the vcpu).
#include <linux/kvm.h>

#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// struct kvm_cpuid2 without its entries. The header declares the entries with __DECLARE_FLEX_ARRAY,
// which C++ gives a size of its own: the requests' numbers and the header are taken as C has them.
struct CpuidHeader {
  uint32_t nent, padding;
};
constexpr unsigned kSetCpuid2 = _IOW(KVMIO, 0x90, CpuidHeader);
constexpr unsigned kGetSupportedCpuid = _IOWR(KVMIO, 0x05, CpuidHeader);
constexpr unsigned kGetEmulatedCpuid = _IOWR(KVMIO, 0x09, CpuidHeader);

void print_memory_region(const Call& c, uint64_t arg) {
  kvm_userspace_memory_region r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.u("slot", r.slot);
  f.flags("flags", xlat_kvm_mem_flags, r.flags, "KVM_MEM_???");
  f.x("guest_phys_addr", r.guest_phys_addr);
  f.u("memory_size", r.memory_size);
  f.x("userspace_addr", r.userspace_addr);
  f.end();
}

// Without -v the registers leave out the general purpose ones but rax, rsp and rbp.
void print_regs(const Call& c, uint64_t arg) {
  kvm_regs r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.x("rax", r.rax);
  if (abbrev(c)) {
    f.more();
  } else {
    f.x("rbx", r.rbx);
    f.x("rcx", r.rcx);
    f.x("rdx", r.rdx);
    f.x("rsi", r.rsi);
    f.x("rdi", r.rdi);
  }
  f.x("rsp", r.rsp);
  f.x("rbp", r.rbp);
  if (abbrev(c)) {
    f.more();
  } else {
    f.x("r8", r.r8);
    f.x("r9", r.r9);
    f.x("r10", r.r10);
    f.x("r11", r.r11);
    f.x("r12", r.r12);
    f.x("r13", r.r13);
    f.x("r14", r.r14);
    f.x("r15", r.r15);
  }
  f.x("rip", r.rip);
  f.x("rflags", r.rflags);
  f.end();
}

void print_segment(const Call& c, const kvm_segment& s) {
  Fields f(c);
  f.x("base", s.base);
  f.u("limit", s.limit);
  f.u("selector", s.selector);
  f.u("type", s.type);
  f.u("present", s.present);
  f.u("dpl", s.dpl);
  f.u("db", s.db);
  f.u("s", s.s);
  f.u("l", s.l);
  f.u("g", s.g);
  f.u("avl", s.avl);
  f.end();
}

void print_dtable(const Call& c, const kvm_dtable& d) {
  Fields f(c);
  f.x("base", d.base);
  f.u("limit", d.limit);
  f.end();
}

// Without -v only the code segment.
void print_sregs(const Call& c, uint64_t arg) {
  kvm_sregs s;
  if (!fetch_or_addr(c, arg, &s)) return;
  Fields f(c);
  print_segment(f.f("cs"), s.cs);
  if (abbrev(c)) {
    f.more();
    f.end();
    return;
  }
  const std::pair<const char*, const kvm_segment*> segments[] = {
      {"ds", &s.ds}, {"es", &s.es}, {"fs", &s.fs}, {"gs", &s.gs}, {"ss", &s.ss}, {"tr", &s.tr}, {"ldt", &s.ldt}};
  for (const auto& [name, seg] : segments) print_segment(f.f(name), *seg);
  print_dtable(f.f("gdt"), s.gdt);
  print_dtable(f.f("idt"), s.idt);
  f.u("cr0", s.cr0);
  f.u("cr2", s.cr2);
  f.u("cr3", s.cr3);
  f.u("cr4", s.cr4);
  f.u("cr8", s.cr8);
  f.u("efer", s.efer);
  f.x("apic_base", s.apic_base);
  f.xarray("interrupt_bitmap", s.interrupt_bitmap);
  f.end();
}

// A CPUID table: its entries only with -v.
void print_cpuid2(const Call& c, uint64_t arg) {
  CpuidHeader t;
  if (!fetch_or_addr(c, arg, &t)) return;
  Fields f(c);
  f.u("nent", t.nent);
  f.f("entries");
  if (abbrev(c)) {
    c.print(t.nent ? "[...]" : "[]");
  } else {
    print_array<kvm_cpuid_entry2>(c, arg + sizeof t, t.nent, [&](const kvm_cpuid_entry2& e) {
      Fields ef(c);
      ef.x("function", e.function);
      ef.x("index", e.index);
      ef.flags("flags", xlat_kvm_cpuid_flags, e.flags, "KVM_CPUID_FLAG_???");
      ef.x("eax", e.eax);
      ef.x("ebx", e.ebx);
      ef.x("ecx", e.ecx);
      ef.x("edx", e.edx);
      ef.end();
    });
  }
  f.end();
}

const Request kKvm[] = {
    req_in(KVM_SET_USER_MEMORY_REGION, print_memory_region),
    req_in(KVM_SET_REGS, print_regs),
    req_out(KVM_GET_REGS, print_regs),
    req_in(KVM_SET_SREGS, print_sregs),
    req_out(KVM_GET_SREGS, print_sregs),
    req_in(kSetCpuid2, print_cpuid2),
    req_out(kGetSupportedCpuid, print_cpuid2),
    req_out(kGetEmulatedCpuid, print_cpuid2),
    req_xval(KVM_CHECK_EXTENSION, xlat_kvm_cap, "KVM_CAP_???"),
};

// Where the tracee has mapped the kvm_run structure of its vcpu descriptor fd: the mapping of the
// vcpu's file ("anon_inode:kvm-vcpu:0", on an anonymous inode, major 0). Returns the mapping's
// start and length, or false when there is none.
bool vcpu_run_mapping(const Call& c, int fd, uint64_t* start, uint64_t* len) {
  const std::string link = fd_link(c.pid, fd);
  if (link.rfind("anon_inode:kvm-vcpu:", 0) != 0) return false;
  FILE* maps = fopen(("/proc/" + std::to_string(proc_pid(c.pid)) + "/maps").c_str(), "re");
  if (!maps) return false;
  char line[4096 + 128];
  bool found = false;
  while (!found && fgets(line, sizeof line, maps)) {
    uint64_t lo, hi;
    unsigned major, minor;
    int path_at = 0;
    if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %*x %x:%x %*u %n", &lo, &hi, &major, &minor, &path_at) < 4 ||
        path_at == 0)
      continue;
    std::string path = line + path_at;
    while (!path.empty() && path.back() == '\n') path.pop_back();
    if (major == 0 && path == link) {
      *start = lo;
      *len = hi > lo ? hi - lo : 0;
      found = true;
    }
  }
  fclose(maps);
  return found;
}

// KVM_RUN: after a successful run, with -e kvm=vcpu, why the guest exited (" = 0 (KVM_EXIT_IO)").
int decode_run(Call& c) {
  if (c.entering() || c.failed() || !c.opts || !c.opts->kvm_vcpu) return 0;
  uint64_t start, len;
  uint32_t reason;
  if (!vcpu_run_mapping(c, c.arg_int(0), &start, &len) || len < sizeof(kvm_run) ||
      !read_obj(c, start + offsetof(kvm_run, exit_reason), &reason))
    return 0;
  const char* name = xlat_lookup(xlat_kvm_exit_reason, reason);
  c.aux = name ? name : "KVM_EXIT_???";
  return RVAL_STR;
}

}  // namespace

int kvm_ioctl(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case KVM_CREATE_VM: return RVAL_DECODED | RVAL_FD;
    case KVM_CREATE_VCPU:
      // The vcpu's id is an unsigned int.
      c.printf(", %u", static_cast<uint32_t>(arg));
      return kIoctlArgDone | RVAL_FD;
    case KVM_RUN: return decode_run(c);
    default: return by_table(c, code, arg, kKvm);
  }
}

}  // namespace ioctl
}  // namespace decode
