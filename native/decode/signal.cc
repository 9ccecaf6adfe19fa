// The signal family: handlers, masks, queued and delivered signals, and the shared signal printers
// (signal names, sigsets, siginfo) that the tracer's "--- SIGxxx {...} ---" lines and other families
// use. Output follows strace 6.1; the rules were read off the installed strace's output.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/audit.h>
#include <ucontext.h>
#include <unistd.h>

#include "decoder.h"
#include "../tables/generated/xlat.h"

namespace decode {

namespace {

// The kernel's real-time range (not glibc's SIGRTMIN, which hides the signals libc keeps for itself):
// strace names 32 SIGRTMIN and 33..64 SIGRT_1..SIGRT_32.
constexpr int kSigRtMin = 32;
constexpr int kSigRtMax = 64;
// The kernel's sigset_t on x86_64: 64 bits. rt_* calls insist on this size.
constexpr uint64_t kSigsetBytes = 8;

// Signals 1..31 by their canonical names, from the generated list.
const char* classic_signame(int sig) {
  switch (sig) {
#define SIGNAL(nr, name) \
  case nr:               \
    return #name;
#include "../tables/generated/signal_list.h"
#undef SIGNAL
    default:
      return nullptr;
  }
}

// A signal inside a set: its name without "SIG" (INT, RTMIN, RT_3); -X raw: the number; -X verbose:
// the number and the name in a comment (2 /* INT */). A number with no name is printed in -X raw and
// verbose and left out otherwise, as strace does.
void append_set_member(const Call& c, int sig) {
  std::string name;
  if (const char* classic = classic_signame(sig))
    name = classic + 3;
  else if (sig == kSigRtMin)
    name = "RTMIN";
  else if (sig > kSigRtMin && sig <= kSigRtMax)
    name = "RT_" + std::to_string(sig - kSigRtMin);
  const XlatStyle st = xstyle(c);
  if (st != XLAT_ABBREV) c.printf("%d", sig);
  if (st == XLAT_VERBOSE) c.print(" /* ");
  if (st != XLAT_RAW) c.print(!name.empty() || st == XLAT_ABBREV ? name : std::to_string(sig));
  if (st == XLAT_VERBOSE) c.print(" */");
}

// A sigset of len bytes at addr, printed only when min_len <= len <= 8 (the kernel rejects other sizes,
// and strace then shows the address).
void print_sigset_len(const Call& c, uint64_t addr, uint64_t len, uint64_t min_len) {
  if (len < min_len || len > kSigsetBytes) {
    print_addr(c, addr);
    return;
  }
  uint64_t word = 0;
  if (addr == 0 || c.failed() || !read_mem(c, addr, &word, static_cast<size_t>(len))) {
    print_addr(c, addr);
    return;
  }
  print_sigset(c, &word, static_cast<size_t>(len) * 8);
}

// sa_handler / signal(2) handler values with names.
void print_handler(const Call& c, uint64_t h) {
  if (h == reinterpret_cast<uint64_t>(SIG_DFL))
    print_const(c, h, "SIG_DFL");
  else if (h == reinterpret_cast<uint64_t>(SIG_IGN))
    print_const(c, h, "SIG_IGN");
  else if (h == reinterpret_cast<uint64_t>(SIG_ERR))
    print_const(c, h, "SIG_ERR");
  else
    print_addr(c, h);
}

// struct sigaction as the rt_sigaction syscall takes it on x86_64 (not glibc's struct sigaction).
struct KernelSigaction {
  uint64_t handler;
  uint64_t flags;
  uint64_t restorer;
  uint64_t mask;
};
constexpr uint64_t kSaRestorer = 0x04000000;

void print_sigaction(const Call& c, uint64_t addr) {
  KernelSigaction sa;
  if (!fetch_or_addr(c, addr, &sa)) return;
  c.print("{sa_handler=");
  print_handler(c, sa.handler);
  c.print(", sa_mask=");
  print_sigset(c, &sa.mask, 64);
  c.print(", sa_flags=");
  print_flags(c, xlat_sigaction_flags, sa.flags, "0");
  if (sa.flags & kSaRestorer) {
    c.print(", sa_restorer=");
    print_addr(c, sa.restorer);
  }
  c.printc('}');
}

// si_code: the generic SI_* names first, then the codes of the signal (CLD_*, SEGV_*, ...); unknown
// codes in hex.
void print_si_code(const Call& c, int signo, int code) {
  const uint64_t key = static_cast<uint64_t>(static_cast<int64_t>(code));
  const char* name = xlat_lookup(xlat_si_codes, key);
  if (!name) {
    const Xlat* per_signal = nullptr;
    switch (signo) {
      case SIGTRAP: per_signal = &xlat_sigtrap_codes; break;
      case SIGCHLD: per_signal = &xlat_sigchld_codes; break;
      case SIGIO: per_signal = &xlat_sigpoll_codes; break;
      case SIGPROF: per_signal = &xlat_sigprof_codes; break;
      case SIGILL: per_signal = &xlat_sigill_codes; break;
      case SIGFPE: per_signal = &xlat_sigfpe_codes; break;
      case SIGSEGV: per_signal = &xlat_sigsegv_codes; break;
      case SIGBUS: per_signal = &xlat_sigbus_codes; break;
      case SIGSYS: per_signal = &xlat_sigsys_codes; break;
      default: break;
    }
    if (per_signal) name = xlat_lookup(*per_signal, key);
  }
  // The number is an int's: SI_TIMER is 0xfffffffe under -X raw, not 64 bits of ones.
  print_const(c, static_cast<unsigned>(code), name, FMT_HEX);
}

void print_sender(const Call& c, const siginfo_t& si) {
  c.print(", si_pid=");
  print_pid(c, si.si_pid, PT_TGID);
  c.print(", si_uid=");
  print_id(c, static_cast<uint32_t>(si.si_uid));
}

void print_sigval(const Call& c, const siginfo_t& si) {
  c.printf(", si_int=%d, si_ptr=", si.si_int);
  print_addr(c, reinterpret_cast<uint64_t>(si.si_ptr));
}

void print_si_addr(const Call& c, const char* field, const void* p) {
  c.printf(", %s=", field);
  print_addr(c, reinterpret_cast<uint64_t>(p));
}

// The fields after si_code, which depend on who sent the signal and why.
void print_si_details(const Call& c, const siginfo_t& si) {
  if (si.si_errno) {
    c.print(", si_errno=");
    print_errno_val(c, static_cast<unsigned>(si.si_errno), false);
  }
  if (si.si_code <= 0) {  // sent by a process (kill, sigqueue, timers, ...)
    switch (si.si_code) {
      case SI_USER:
      case SI_TKILL:
        print_sender(c, si);
        break;
      case SI_TIMER:
        c.printf(", si_timerid=%#x, si_overrun=%d", static_cast<unsigned>(si.si_timerid), si.si_overrun);
        print_sigval(c, si);
        break;
      case SI_SIGIO:
        c.printf(", si_band=%ld, si_fd=", static_cast<long>(si.si_band));
        print_fd(c, si.si_fd);
        break;
      default:
        print_sender(c, si);
        if (si.si_ptr) print_sigval(c, si);
        break;
    }
    return;
  }
  switch (si.si_signo) {  // sent by the kernel
    case SIGCHLD:
      print_sender(c, si);
      c.print(", si_status=");
      if (si.si_code == CLD_EXITED)
        c.printf("%d", si.si_status);
      else
        print_signame(c, si.si_status);
      c.print(", si_utime=");
      print_clock_t(c, static_cast<uint64_t>(si.si_utime));
      c.print(", si_stime=");
      print_clock_t(c, static_cast<uint64_t>(si.si_stime));
      break;
    case SIGILL:
    case SIGFPE:
    case SIGTRAP:
      print_si_addr(c, "si_addr", si.si_addr);
      break;
    case SIGBUS:
      print_si_addr(c, "si_addr", si.si_addr);
      if (si.si_code == BUS_MCEERR_AR || si.si_code == BUS_MCEERR_AO)
        c.printf(", si_addr_lsb=%#x", static_cast<unsigned short>(si.si_addr_lsb));
      break;
    case SIGSEGV:
      print_si_addr(c, "si_addr", si.si_addr);
      if (si.si_code == SEGV_BNDERR) {
        print_si_addr(c, "si_lower", si.si_lower);
        print_si_addr(c, "si_upper", si.si_upper);
      } else if (si.si_code == SEGV_PKUERR) {
        c.printf(", si_pkey=%u", static_cast<unsigned>(si.si_pkey));
      }
      break;
    case SIGIO:
      if (si.si_code == POLL_IN || si.si_code == POLL_OUT || si.si_code == POLL_MSG) {
        c.printf(", si_band=%ld, si_fd=", static_cast<long>(si.si_band));
        print_fd(c, si.si_fd);
      }
      break;
    case SIGSYS:
      print_si_addr(c, "si_call_addr", si.si_call_addr);
      c.print(", si_syscall=");
      print_syscall_nr(c, static_cast<unsigned>(si.si_syscall), si.si_arch);
      c.print(", si_arch=");
      print_xval(c, xlat_audit_arch, si.si_arch, "AUDIT_ARCH_???");
      break;
    default:
      if (si.si_pid || si.si_uid) print_sender(c, si);
      if (si.si_ptr) print_sigval(c, si);
      break;
  }
}

// The user stack pointer of a thread stopped at a syscall, from /proc/TID/syscall ("nr args... sp pc").
bool stack_pointer(const Call& c, uint64_t* sp) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/syscall", static_cast<int>(c.tid > 0 ? c.tid : c.pid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  // Eight fields: the number, six arguments, then the stack pointer.
  unsigned long long v[9];
  int got = sscanf(buf, "%llu %llx %llx %llx %llx %llx %llx %llx %llx", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7], &v[8]);
  if (got < 8) return false;
  *sp = v[7];
  return true;
}

// ------------------------------------------------------------------ the syscalls

int sys_kill(Call& c) {
  print_pid_tgid_pgid(c, c.arg_int(0));
  c.print(", ");
  print_signame(c, c.arg_int(1));
  return RVAL_DECODED;
}

int sys_tkill(Call& c) {
  print_pid(c, c.arg_int(0), PT_TID);
  c.print(", ");
  print_signame(c, c.arg_int(1));
  return RVAL_DECODED;
}

int sys_tgkill(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  c.print(", ");
  print_pid(c, c.arg_int(1), PT_TID);
  c.print(", ");
  print_signame(c, c.arg_int(2));
  return RVAL_DECODED;
}

int sys_rt_sigaction(Call& c) {
  if (c.entering()) {
    print_signame(c, c.arg_int(0));
    c.print(", ");
    print_sigaction(c, c.arg(1));
    c.print(", ");
    return 0;
  }
  print_sigaction(c, c.arg(2));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
  return 0;
}

int sys_rt_sigprocmask(Call& c) {
  if (c.entering()) {
    print_xval(c, xlat_sigprocmask_how, c.arg_uint(0), "SIG_???");
    c.print(", ");
    print_sigset_len(c, c.arg(1), c.arg(3), kSigsetBytes);
    c.print(", ");
    return 0;
  }
  print_sigset_len(c, c.arg(2), c.arg(3), kSigsetBytes);
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
  return 0;
}

// The mask to restore is in the signal frame's ucontext, which the handler's return has left at the
// stack pointer (the restorer's return address was popped by "ret").
int sys_rt_sigreturn(Call& c) {
  c.print("{mask=");
  uint64_t sp = 0;
  if (stack_pointer(c, &sp))
    print_sigset_len(c, sp + offsetof(ucontext_t, uc_sigmask), kSigsetBytes, kSigsetBytes);
  else
    c.print("?");
  c.printc('}');
  return RVAL_DECODED;
}

int sys_rt_sigsuspend(Call& c) {
  print_sigset_len(c, c.arg(0), c.arg(1), kSigsetBytes);
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(1)));
  return RVAL_DECODED;
}

int sys_rt_sigpending(Call& c) {
  if (c.entering()) return 0;
  // The one call that accepts a shorter set (the old sigpending shares its kernel code).
  print_sigset_len(c, c.arg(0), c.arg(1), 1);
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(1)));
  return 0;
}

int sys_rt_sigtimedwait(Call& c) {
  if (c.entering()) {
    print_sigset_len(c, c.arg(0), c.arg(3), kSigsetBytes);
    c.print(", ");
    if (c.arg(1) == 0) {
      c.print("NULL, ");
      print_timespec(c, c.arg(2));
      c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
    } else {
      // The siginfo comes back at exit, after which the timeout is printed as it was at entry.
      std::string* line = c.out;
      c.saved_text.clear();
      c.out = &c.saved_text;
      print_timespec(c, c.arg(2));
      c.out = line;
    }
    return 0;
  }
  if (c.arg(1) != 0) {
    print_siginfo_addr(c, c.arg(1));
    c.print(", ");
    c.print(c.saved_text);
    c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
  }
  if (!c.failed() && c.rval > 0) {
    c.aux = signame(static_cast<int>(c.rval));
    return RVAL_STR;
  }
  return 0;
}

int sys_rt_sigqueueinfo(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  c.print(", ");
  print_signame(c, c.arg_int(1));
  c.print(", ");
  print_siginfo_addr(c, c.arg(2));
  return RVAL_DECODED;
}

int sys_rt_tgsigqueueinfo(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  c.print(", ");
  print_pid(c, c.arg_int(1), PT_TID);
  c.print(", ");
  print_signame(c, c.arg_int(2));
  c.print(", ");
  print_siginfo_addr(c, c.arg(3));
  return RVAL_DECODED;
}

int sys_pidfd_send_signal(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_signame(c, c.arg_int(1));
  c.print(", ");
  print_siginfo_addr(c, c.arg(2));
  c.printf(", %#x", c.arg_uint(3));
  return RVAL_DECODED;
}

void print_stack(const Call& c, uint64_t addr) {
  stack_t ss;
  if (!fetch_or_addr(c, addr, &ss)) return;
  c.print("{ss_sp=");
  print_addr(c, reinterpret_cast<uint64_t>(ss.ss_sp));
  c.print(", ss_flags=");
  print_flags(c, xlat_sigaltstack_flags, static_cast<unsigned>(ss.ss_flags), "0");
  c.printf(", ss_size=%zu}", ss.ss_size);
}

int sys_sigaltstack(Call& c) {
  if (c.entering()) {
    print_stack(c, c.arg(0));
    c.print(", ");
    return 0;
  }
  print_stack(c, c.arg(1));
  return 0;
}

int sys_pause(Call&) { return RVAL_DECODED; }

const NamedDecoder kSignalDecoders[] = {
    {"kill", sys_kill},
    {"tkill", sys_tkill},
    {"tgkill", sys_tgkill},
    {"rt_sigaction", sys_rt_sigaction},
    {"rt_sigprocmask", sys_rt_sigprocmask},
    {"rt_sigreturn", sys_rt_sigreturn},
    {"rt_sigsuspend", sys_rt_sigsuspend},
    {"rt_sigpending", sys_rt_sigpending},
    {"rt_sigtimedwait", sys_rt_sigtimedwait},
    {"rt_sigqueueinfo", sys_rt_sigqueueinfo},
    {"rt_tgsigqueueinfo", sys_rt_tgsigqueueinfo},
    {"pidfd_send_signal", sys_pidfd_send_signal},
    {"sigaltstack", sys_sigaltstack},
    {"pause", sys_pause},
};

}  // namespace

void print_syscall_nr(const Call& c, uint64_t nr, unsigned arch) {
  const char* name = nullptr;
  if (arch == AUDIT_ARCH_X86_64 && nr <= static_cast<uint64_t>(syscall_max())) {
    name = syscall_ent(static_cast<long>(nr)).name;
    if (name && strncmp(name, "syscall_", 8) == 0) name = nullptr;
  }
  if (!name) {
    c.printf("%llu", static_cast<unsigned long long>(nr));
    return;
  }
  print_const(c, nr, (std::string("__NR_") + name).c_str(), FMT_UDEC);
}

// ------------------------------------------------------------------ shared printers

std::string signame(int sig) {
  if (const char* name = classic_signame(sig)) return name;
  if (sig == kSigRtMin) return "SIGRTMIN";
  if (sig > kSigRtMin && sig <= kSigRtMax) return "SIGRT_" + std::to_string(sig - kSigRtMin);
  return std::to_string(sig);
}

void print_signame(const Call& c, int sig) {
  const bool named = (sig > 0 && classic_signame(sig)) || (sig >= kSigRtMin && sig <= kSigRtMax);
  print_const(c, static_cast<uint64_t>(static_cast<int64_t>(sig)), named ? signame(sig).c_str() : nullptr, FMT_DEC);
}

void print_sigset_addr(const Call& c, uint64_t addr, uint64_t size) {
  print_sigset_len(c, addr, size, kSigsetBytes);
}

void print_kernel_sigset(const Call& c, uint64_t addr) {
  struct {
    uint64_t ss, len;
  } data;
  if (!fetch_or_addr(c, addr, &data)) return;
  c.print("{sigmask=");
  print_sigset_addr(c, data.ss, data.len);
  c.printf(", sigsetsize=%llu}", static_cast<unsigned long long>(data.len));
}

void print_sigset(const Call& c, const uint64_t* words, size_t nbits) {
  // strace looks at whole 32-bit words; when two thirds or more of those bits are set it prints the
  // complement: ~[KILL STOP] reads better than forty names.
  const size_t width = (nbits + 31) / 32 * 32;
  auto bit = [&](size_t i) -> bool { return i < nbits && ((words[i / 64] >> (i % 64)) & 1); };
  size_t set = 0;
  for (size_t i = 0; i < width; i++) set += bit(i);
  const bool invert = set >= width * 2 / 3;
  if (invert) c.printc('~');
  c.printc('[');
  bool first = true;
  for (size_t i = 0; i < width; i++) {
    if (bit(i) == invert) continue;
    if (!first) c.printc(' ');
    first = false;
    append_set_member(c, static_cast<int>(i + 1));
  }
  c.printc(']');
}

// The fields only: the caller supplies the braces (decoder.h's contract; the tracer's signal lines
// and print_siginfo_addr both do). A zeroed siginfo (waitid with WNOHANG and no child) prints nothing.
void print_siginfo(const Call& c, const siginfo_t& si) {
  if (!si.si_signo) return;
  c.print("si_signo=");
  print_signame(c, si.si_signo);
  c.print(", si_code=");
  print_si_code(c, si.si_signo, si.si_code);
  print_si_details(c, si);
}

void print_siginfo_addr(const Call& c, uint64_t addr) {
  siginfo_t si;
  if (!fetch_or_addr(c, addr, &si)) return;
  c.printc('{');
  print_siginfo(c, si);
  c.printc('}');
}

const DecoderFamily family_signal = {kSignalDecoders, sizeof kSignalDecoders / sizeof kSignalDecoders[0]};

}  // namespace decode
