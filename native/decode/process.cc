// The process family: creating, replacing, waiting for and ending processes, identities and
// credentials, resource limits, scheduling, prctl/arch_prctl, capabilities, uname and getrandom.
// Output follows strace 6.1; the rules were read off the installed strace's output.
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstddef>
#include <cstring>
#include <vector>
#include <sched.h>
#include <elf.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/user.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include "decoder.h"
#include "../tables/generated/xlat.h"

namespace decode {

namespace {

const Options& opts_of(const Call& c) {
  static const Options kDefaults;
  return c.opts ? *c.opts : kDefaults;
}

void sep(const Call& c) { c.print(", "); }

// An id returned through a pointer: [0], or the address (NULL, unreadable, failed call).
void print_id_ptr(const Call& c, uint64_t addr) {
  uint32_t id;
  if (!fetch_or_addr(c, addr, &id)) return;
  c.printc('[');
  print_id(c, id);
  c.printc(']');
}

// An int returned through a pointer (prctl's PR_GET_* results, clone's parent_tid): [N].
void print_int_result(const Call& c, uint64_t addr, const char* fmt) {
  int v;
  if (!fetch_or_addr(c, addr, &v)) return;
  c.printc('[');
  c.printf(fmt, v);
  c.printc(']');
}

// A descriptor returned through a pointer (clone's and clone3's pidfd): [3], decorated by -y.
void print_fd_result(const Call& c, uint64_t addr) {
  int fd;
  if (!fetch_or_addr(c, addr, &fd)) return;
  c.printc('[');
  print_fd(c, fd);
  c.printc(']');
}

// Whether an array has printed enough elements: -s caps arrays too unless -v, and max_array always.
bool array_full(const Call& c, uint64_t printed) {
  const Options& o = opts_of(c);
  return (!o.verbose && printed >= o.strsize) || printed >= o.max_array;
}

// An array of count uid_t/gid_t at addr: [0, 1, 2], "..." past the limit.
void print_id_array(const Call& c, uint64_t addr, uint64_t count) {
  if (addr == 0 || c.failed()) {
    print_addr(c, addr);
    return;
  }
  for (uint64_t i = 0; i < count; i++) {
    uint32_t id;
    if (!read_obj(c, addr + i * sizeof id, &id)) {
      if (i == 0) {
        print_addr(c, addr);
        return;
      }
      c.printf(", ... /* %#llx */", static_cast<unsigned long long>(addr + i * sizeof id));
      break;
    }
    c.print(i == 0 ? "[" : ", ");
    if (array_full(c, i)) {
      c.print("...");
      break;
    }
    print_id(c, id);
  }
  if (count == 0) c.printc('[');
  c.printc(']');
}

// ------------------------------------------------------------------ trivial calls

int sys_noargs(Call&) { return RVAL_DECODED; }
int sys_fork(Call&) { return RVAL_DECODED | RVAL_TGID; }
// Calls that return an id: a uid or gid unsigned, a pid as print_pid shows it (-Y, pidns).
int sys_getuid(Call&) { return RVAL_DECODED | RVAL_UDECIMAL; }
int sys_getpid(Call&) { return RVAL_DECODED | RVAL_TGID; }
int sys_gettid(Call&) { return RVAL_DECODED | RVAL_TID; }
int sys_getpgrp(Call&) { return RVAL_DECODED | RVAL_PGID; }
int sys_setsid(Call&) { return RVAL_DECODED | RVAL_SID; }
int sys_getpgid(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  return RVAL_DECODED | RVAL_PGID;
}
int sys_getsid(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  return RVAL_DECODED | RVAL_SID;
}
int sys_setpgid(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  c.print(", ");
  print_pid(c, c.arg_int(1), PT_PGID);
  return RVAL_DECODED;
}

// exit and exit_group never return, so their line ends " = ?" when the thread is gone; when they do
// return (an injected fault), the result prints as any call's.
int sys_exit(Call& c) {
  c.printf("%d", c.arg_int(0));
  return RVAL_DECODED;
}

// ------------------------------------------------------------------ clone, clone3

constexpr uint64_t kCloneSignalMask = 0xff;  // CSIGNAL: the exit signal in the low byte of clone's flags

int sys_clone(Call& c) {
  // x86_64 argument order: flags, child_stack, parent_tid, child_tid, tls.
  const uint64_t flags = c.arg(0) & ~kCloneSignalMask;
  if (c.entering()) {
    const int sig = static_cast<int>(c.arg(0) & kCloneSignalMask);
    c.print("child_stack=");
    print_addr(c, c.arg(1));
    c.print(", flags=");
    if (flags) {
      print_flags(c, xlat_clone_flags, flags);
      if (sig) {
        c.printc('|');
        print_signame(c, sig);
      }
    } else {
      print_signame(c, sig);
    }
    // The pointers the kernel writes into are shown at exit, with what was written.
    if (!(flags & (CLONE_PARENT_SETTID | CLONE_PIDFD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
                   CLONE_SETTLS)))
      return RVAL_DECODED | RVAL_TID;
    return 0;
  }
  if (flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
    c.print(", parent_tid=");
    if (flags & CLONE_PARENT_SETTID)
      print_int_result(c, c.arg(2), "%d");
    else
      print_fd_result(c, c.arg(2));
  }
  if (flags & CLONE_SETTLS) {
    c.print(", tls=");
    print_addr(c, c.arg(4));
  }
  if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
    c.print(", child_tidptr=");
    print_addr(c, c.arg(3));
  }
  return RVAL_TID;
}

// struct clone_args (linux/sched.h), every field 64 bits wide whatever the ABI.
struct CloneArgs {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  uint64_t set_tid, set_tid_size, cgroup;
};
constexpr size_t kCloneArgsMin = offsetof(CloneArgs, set_tid);  // CLONE_ARGS_SIZE_VER0: up to tls
constexpr uint64_t kMaxSetTid = 32;                              // the kernel's pid namespace depth limit

// How much of a larger clone_args strace looks at for non-zero bytes we do not know: up to a page.
uint64_t clone_args_tail_end(uint64_t size) {
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return size < page ? size : page;
}

void print_clone_args(const Call& c, uint64_t addr, uint64_t size, const CloneArgs& a, size_t fetched) {
  c.print("{flags=");
  print_flags(c, xlat_clone_flags, a.flags);
  if (a.flags & CLONE_PIDFD) {
    c.print(", pidfd=");
    print_addr(c, a.pidfd);
  }
  if (a.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
    c.print(", child_tid=");
    print_addr(c, a.child_tid);
  }
  if (a.flags & CLONE_PARENT_SETTID) {
    c.print(", parent_tid=");
    print_addr(c, a.parent_tid);
  }
  c.print(", exit_signal=");
  if (a.exit_signal < INT_MAX)
    print_signame(c, static_cast<int>(a.exit_signal));
  else
    c.printf("%llu", static_cast<unsigned long long>(a.exit_signal));
  c.print(", stack=");
  print_addr(c, a.stack);
  c.printf(", stack_size=%#llx", static_cast<unsigned long long>(a.stack_size));
  if (a.flags & CLONE_SETTLS) {
    c.print(", tls=");
    print_addr(c, a.tls);
  }
  if (a.set_tid || a.set_tid_size) {
    c.print(", set_tid=");
    if (!a.set_tid || !a.set_tid_size || a.set_tid_size > kMaxSetTid) {
      print_addr(c, a.set_tid);
    } else {
      for (uint64_t i = 0; i < a.set_tid_size; i++) {
        int tid;
        if (!read_obj(c, a.set_tid + i * sizeof tid, &tid)) {
          if (i == 0) {
            print_addr(c, a.set_tid);
            break;
          }
          c.printf(", ... /* %#llx */]", static_cast<unsigned long long>(a.set_tid + i * sizeof tid));
          break;
        }
        c.print(i == 0 ? "[" : ", ");
        c.printf("%d", tid);
        if (i + 1 == a.set_tid_size) c.printc(']');
      }
    }
    c.printf(", set_tid_size=%llu", static_cast<unsigned long long>(a.set_tid_size));
  }
  if (fetched > offsetof(CloneArgs, cgroup) && (a.cgroup || (a.flags & CLONE_INTO_CGROUP)))
    c.printf(", cgroup=%llu", static_cast<unsigned long long>(a.cgroup));
  if (size > fetched) print_nonzero_tail(c, addr, fetched, clone_args_tail_end(size));
  c.printc('}');
}

int sys_clone3(Call& c) {
  const uint64_t addr = c.arg(0), size = c.arg(1);
  const size_t fetch = size < sizeof(CloneArgs) ? static_cast<size_t>(size) : sizeof(CloneArgs);
  CloneArgs a;
  memset(&a, 0, sizeof a);
  if (c.entering()) {
    if (fetch < kCloneArgsMin || !read_mem(c, addr, &a, fetch)) {
      print_addr(c, addr);
    } else {
      print_clone_args(c, addr, size, a, fetch);
      // The kernel writes the new pidfd and tid back: show them at exit as "=> {...}", and a tail
      // we do not know again, as it may have changed.
      if ((a.flags & (CLONE_PIDFD | CLONE_PARENT_SETTID)) || size > fetch) return RVAL_TID;
    }
    c.printf(", %llu", static_cast<unsigned long long>(size));
    return RVAL_DECODED | RVAL_TID;
  }
  if (!c.failed()) {
    if (!read_mem(c, addr, &a, fetch)) {
      c.print(" => ");
      print_addr(c, addr);
    } else {
      const char* next = " => {";
      if (a.flags & CLONE_PIDFD) {
        c.print(next);
        c.print("pidfd=");
        print_fd_result(c, a.pidfd);
        next = ", ";
      }
      if (a.flags & CLONE_PARENT_SETTID) {
        c.print(next);
        c.print("parent_tid=");
        print_int_result(c, a.parent_tid, "%d");
        next = ", ";
      }
      if (size > fetch && print_nonzero_tail(c, addr, fetch, clone_args_tail_end(size), next)) next = ", ";
      if (strcmp(next, ", ") == 0) c.printc('}');
    }
  }
  c.printf(", %llu", static_cast<unsigned long long>(size));
  return RVAL_TID;
}

// ------------------------------------------------------------------ execve, execveat

// argv: ["/bin/true", "--arg", "two words"], each string truncated at -s, the array at -s
// elements unless -v.
void print_argv(const Call& c, uint64_t addr) {
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  for (uint64_t n = 0;; n++) {
    const uint64_t at = addr + n * 8;
    uint64_t word;
    if (at < addr || !read_obj(c, at, &word)) {
      if (n == 0) {
        print_addr(c, addr);
        return;
      }
      c.printf(", ... /* %#llx */", static_cast<unsigned long long>(at));
      break;
    }
    if (n == 0) c.printc('[');
    if (word == 0) break;
    if (n != 0) sep(c);
    if (array_full(c, n)) {
      c.print("...");
      break;
    }
    print_cstr(c, word);
  }
  c.printc(']');
}

// The environment when abbreviated: its address and a count, 0x7ffd... /* 35 vars */.
void print_envc(const Call& c, uint64_t addr) {
  print_addr(c, addr);
  if (addr == 0) return;
  uint64_t n = 0;
  bool unterminated = false;
  for (;; n++) {
    const uint64_t at = addr + n * 8;
    uint64_t word;
    if (at < addr || !read_obj(c, at, &word)) {
      if (n == 0) return;
      unterminated = true;
      break;
    }
    if (word == 0) break;
  }
  c.printf(" /* %llu var%s%s */", static_cast<unsigned long long>(n), n == 1 ? "" : "s",
           unterminated ? ", unterminated" : "");
}

// Everything at entry: after a successful exec the old image, argv included, is gone.
void print_exec_args(const Call& c, int first) {
  print_path(c, c.arg(first));
  sep(c);
  if (!structs_decoded(c)) {
    // -e verbose= without this call: argv and envp as addresses
    print_addr(c, c.arg(first + 1));
    sep(c);
    print_addr(c, c.arg(first + 2));
    return;
  }
  print_argv(c, c.arg(first + 1));
  sep(c);
  if (opts_of(c).verbose)
    print_argv(c, c.arg(first + 2));
  else
    print_envc(c, c.arg(first + 2));
}

int sys_execve(Call& c) {
  print_exec_args(c, 0);
  return RVAL_DECODED;
}

int sys_execveat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  sep(c);
  print_exec_args(c, 1);
  sep(c);
  print_flags(c, xlat_execveat_flags, c.arg_uint(4));
  return RVAL_DECODED;
}

// ------------------------------------------------------------------ wait4, waitid

// A wait status as the W* macros would test it: [{WIFEXITED(s) && WEXITSTATUS(s) == 3}].
void print_wait_status(const Call& c, int status) {
  unsigned rest = static_cast<unsigned>(status);
  c.printc('[');
  if (WIFSTOPPED(status)) {
    const int sig = WSTOPSIG(status);
    c.print("{WIFSTOPPED(s) && WSTOPSIG(s) == ");
    print_signame(c, sig & 0x7f);
    if (sig & 0x80) c.print(" | 0x80");
    c.printc('}');
    rest &= ~((static_cast<unsigned>(sig) << 8) | 0x7fu);
  } else if (WIFSIGNALED(status)) {
    c.print("{WIFSIGNALED(s) && WTERMSIG(s) == ");
    print_signame(c, WTERMSIG(status));
    if (WCOREDUMP(status)) c.print(" && WCOREDUMP(s)");
    c.printc('}');
    rest &= ~(static_cast<unsigned>(WTERMSIG(status)) | 0x80u);
  } else if (WIFEXITED(status)) {
    c.printf("{WIFEXITED(s) && WEXITSTATUS(s) == %d}", WEXITSTATUS(status));
    rest &= ~(static_cast<unsigned>(WEXITSTATUS(status)) << 8);
  } else if (WIFCONTINUED(status)) {
    c.print("{WIFCONTINUED(s)}");
    rest &= ~0xffffu;
  } else {
    c.printf("%#x]", static_cast<unsigned>(status));
    return;
  }
  // A tracer's child reports PTRACE_EVENT_* in the bits above the stop signal.
  if (const unsigned event = rest >> 16) {
    c.printc('|');
    print_xval(c, xlat_ptrace_events, event, "PTRACE_EVENT_???");
    c.print("<<16");
    rest &= 0xffff;
  }
  if (rest) c.printf("|%#x", rest);
  c.printc(']');
}

int sys_wait4(Call& c) {
  if (c.entering()) {
    print_pid_tgid_pgid(c, c.arg_int(0));
    sep(c);
    return 0;
  }
  int status;
  if (c.rval == 0)  // WNOHANG and nothing to report: the status was not written
    print_addr(c, c.arg(1));
  else if (fetch_or_addr(c, c.arg(1), &status))
    print_wait_status(c, status);
  sep(c);
  print_flags(c, xlat_wait_options, c.arg_uint(2));
  sep(c);
  if (c.rval > 0)
    print_rusage(c, c.arg(3));
  else
    print_addr(c, c.arg(3));
  return RVAL_TGID;
}

int sys_waitid(Call& c) {
  if (c.entering()) {
    const unsigned idtype = c.arg_uint(0);
    print_xval(c, xlat_waitid_types, idtype, "P_???");
    sep(c);
    if (idtype == P_PIDFD)
      print_fd(c, c.arg_int(1));
    else if (idtype == P_PID)
      print_pid(c, c.arg_int(1), PT_TGID);
    else if (idtype == P_PGID)
      print_pid(c, c.arg_int(1), PT_PGID);
    else
      c.printf("%d", c.arg_int(1));
    sep(c);
    return 0;
  }
  print_siginfo_addr(c, c.arg(2));
  sep(c);
  print_flags(c, xlat_wait_options, c.arg_uint(3));
  sep(c);
  print_rusage(c, c.arg(4));
  return 0;
}

// ------------------------------------------------------------------ identities

int sys_setid1(Call& c) {
  print_id(c, c.arg_uint(0));
  return RVAL_DECODED;
}

int sys_setid2(Call& c) {
  print_id(c, c.arg_uint(0));
  sep(c);
  print_id(c, c.arg_uint(1));
  return RVAL_DECODED;
}

int sys_setid3(Call& c) {
  print_id(c, c.arg_uint(0));
  sep(c);
  print_id(c, c.arg_uint(1));
  sep(c);
  print_id(c, c.arg_uint(2));
  return RVAL_DECODED;
}

int sys_getresid(Call& c) {
  if (c.entering()) return 0;
  print_id_ptr(c, c.arg(0));
  sep(c);
  print_id_ptr(c, c.arg(1));
  sep(c);
  print_id_ptr(c, c.arg(2));
  return 0;
}

int sys_getgroups(Call& c) {
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    return 0;
  }
  // As many groups as the call returned (strace does not special-case a size query either).
  print_id_array(c, c.arg(1), c.failed() ? 0 : static_cast<uint64_t>(c.rval));
  return 0;
}

int sys_setgroups(Call& c) {
  const int n = c.arg_int(0);
  c.printf("%d, ", n);
  if (n < 0 || n > 65536)  // more than NGROUPS_MAX: the kernel will not read it either
    print_addr(c, c.arg(1));
  else
    print_id_array(c, c.arg(1), static_cast<uint64_t>(n));
  return RVAL_DECODED;
}

// ------------------------------------------------------------------ resource limits

void print_rlim(const Call& c, uint64_t v) {
  if (v == UINT64_MAX)
    print_const(c, v, "RLIM64_INFINITY", FMT_UDEC);
  else if (v > 1024 && v % 1024 == 0)
    print_composite(c, v, FMT_UDEC, [&] { c.printf("%llu*1024", static_cast<unsigned long long>(v / 1024)); });
  else
    c.printf("%llu", static_cast<unsigned long long>(v));
}

void print_rlimit(const Call& c, uint64_t addr) {
  struct {
    uint64_t cur, max;
  } r;
  if (!fetch_or_addr(c, addr, &r)) return;
  c.print("{rlim_cur=");
  print_rlim(c, r.cur);
  c.print(", rlim_max=");
  print_rlim(c, r.max);
  c.printc('}');
}

void print_resource(const Call& c, uint64_t res) { print_xval(c, xlat_rlimit_resources, res, "RLIMIT_???"); }

int sys_getrlimit(Call& c) {
  if (c.entering()) {
    print_resource(c, c.arg_uint(0));
    sep(c);
    return 0;
  }
  print_rlimit(c, c.arg(1));
  return 0;
}

int sys_setrlimit(Call& c) {
  print_resource(c, c.arg_uint(0));
  sep(c);
  print_rlimit(c, c.arg(1));
  return RVAL_DECODED;
}

int sys_prlimit64(Call& c) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    sep(c);
    print_resource(c, c.arg_uint(1));
    sep(c);
    print_rlimit(c, c.arg(2));
    sep(c);
    return 0;
  }
  print_rlimit(c, c.arg(3));
  return 0;
}

// ------------------------------------------------------------------ scheduling

// The size of a CPU set the kernel accepts on this machine (strace probes it the same way: a too
// small size fails with EINVAL before the NULL mask is looked at).
unsigned cpuset_bytes() {
  static unsigned size = 0;
  if (size == 0) {
    unsigned s = 128;
    while (s && sched_getaffinity(0, s, nullptr) == -1 && errno == EINVAL) s <<= 1;
    size = s ? s : 128;
  }
  return size;
}

}  // namespace

void print_cpu_mask(const Call& c, uint64_t addr, unsigned len) {
  if (addr == 0 || c.failed()) {
    print_addr(c, addr);
    return;
  }
  if (len == 0) {
    c.print("[]");
    return;
  }
  const unsigned want = len < cpuset_bytes() ? len : cpuset_bytes();
  const unsigned size = (want + 7) / 8 * 8;
  std::vector<uint64_t> mask(size / 8, 0);
  if (!read_mem(c, addr, mask.data(), want)) {
    print_addr(c, addr);
    return;
  }
  c.printc('[');
  bool any = false;
  for (unsigned i = 0; i < size * 8; i++) {
    if (!((mask[i / 64] >> (i % 64)) & 1)) continue;
    if (any) c.printc(' ');
    c.printf("%u", i);
    any = true;
  }
  if (size < len) c.print(any ? " ..." : "...");
  c.printc(']');
}

namespace {

int sys_sched_getaffinity(Call& c) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    c.printf(", %u, ", c.arg_uint(1));
    return 0;
  }
  print_cpu_mask(c, c.arg(2), c.failed() ? 0 : static_cast<unsigned>(c.rval));
  return 0;
}

int sys_sched_setaffinity(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  c.printf(", %u, ", c.arg_uint(1));
  print_cpu_mask(c, c.arg(2), c.arg_uint(1));
  return RVAL_DECODED;
}

void print_policy(const Call& c, uint64_t policy) { print_xval(c, xlat_sched_policies, policy, "SCHED_???"); }

// struct sched_param: just the priority, [0].
void print_sched_param(const Call& c, uint64_t addr) { print_int_result(c, addr, "%d"); }

int sys_sched_getparam(Call& c) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    sep(c);
    return 0;
  }
  print_sched_param(c, c.arg(1));
  return 0;
}

int sys_sched_setparam(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  sep(c);
  print_sched_param(c, c.arg(1));
  return RVAL_DECODED;
}

int sys_sched_setscheduler(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  sep(c);
  print_policy(c, c.arg_uint(1));
  sep(c);
  print_sched_param(c, c.arg(2));
  return RVAL_DECODED;
}

int sys_sched_getscheduler(Call& c) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    return 0;
  }
  if (c.failed()) return 0;
  if (const char* name = xlat_lookup(xlat_sched_policies, static_cast<uint64_t>(c.rval))) {
    c.aux = name;
    return RVAL_STR;
  }
  return 0;
}

int sys_sched_priority_limit(Call& c) {
  print_policy(c, c.arg_uint(0));
  return RVAL_DECODED;
}

int sys_sched_rr_get_interval(Call& c) {
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    return 0;
  }
  if (c.failed())
    print_addr(c, c.arg(1));
  else
    print_timespec(c, c.arg(1));
  return 0;
}

// struct sched_attr: the fields the given size covers (the v1 utilization clamps from 56 bytes on).
struct SchedAttr {
  uint32_t size, sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime, sched_deadline, sched_period;
  uint32_t sched_util_min, sched_util_max;
};
constexpr uint32_t kSchedAttrVer0 = 48, kSchedAttrVer1 = 56;
constexpr uint64_t kSchedFlagKeepPolicy = 0x08, kSchedFlagKeepParams = 0x10;  // SCHED_FLAG_KEEP_*

// usize: the buffer size sched_getattr was given, or 0 for sched_setattr (whose attr says its own
// size, 0 meaning the first version). A set call leaves out what its SCHED_FLAG_KEEP_* bits keep.
void print_sched_attr(const Call& c, uint64_t addr, uint32_t usize) {
  SchedAttr a;
  memset(&a, 0, sizeof a);
  uint32_t size;
  const bool set = usize == 0;
  if (!set) {
    size = usize < sizeof a ? usize : static_cast<uint32_t>(sizeof a);
    if (addr == 0 || c.failed() || !read_mem(c, addr, &a, size)) {
      print_addr(c, addr);
      return;
    }
    size = a.size;  // what the kernel wrote
  } else {
    if (!fetch_or_addr(c, addr, &a.size)) return;
    usize = a.size ? a.size : kSchedAttrVer0;
    size = usize < sizeof a ? usize : static_cast<uint32_t>(sizeof a);
    if (size >= kSchedAttrVer0 && !read_mem(c, addr, &a, size)) {
      print_addr(c, addr);
      return;
    }
  }
  c.printf("{size=%u", a.size);
  if (size >= kSchedAttrVer0) {
    if (!set || static_cast<int32_t>(a.sched_policy) < 0 ||
        !(a.sched_flags & (kSchedFlagKeepPolicy | kSchedFlagKeepParams))) {
      c.print(", sched_policy=");
      print_policy(c, a.sched_policy);
    }
    c.print(", sched_flags=");
    print_flags_or_unknown(c, xlat_sched_attr_flags, a.sched_flags, "SCHED_FLAG_???");
    if (!set || !(a.sched_flags & kSchedFlagKeepParams))
      c.printf(", sched_nice=%d, sched_priority=%u, sched_runtime=%llu, sched_deadline=%llu, sched_period=%llu",
               a.sched_nice, a.sched_priority, static_cast<unsigned long long>(a.sched_runtime),
               static_cast<unsigned long long>(a.sched_deadline), static_cast<unsigned long long>(a.sched_period));
    if (size >= kSchedAttrVer1) c.printf(", sched_util_min=%u, sched_util_max=%u", a.sched_util_min, a.sched_util_max);
  }
  if ((set ? usize : a.size) > size) c.print(", ...");
  c.printc('}');
}

int sys_sched_getattr(Call& c) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    sep(c);
    return 0;
  }
  const uint32_t size = c.arg_uint(2);
  if (size)
    print_sched_attr(c, c.arg(1), size);
  else
    print_addr(c, c.arg(1));
  c.printf(", %u, %u", size, c.arg_uint(3));
  return 0;
}

// sched_setattr(pid, attr, flags): after E2BIG the kernel wrote the size it supports into attr.
int sys_sched_setattr(Call& c) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TGID);
    sep(c);
    print_sched_attr(c, c.arg(1), 0);
    return 0;
  }
  uint32_t size;
  if (c.error == E2BIG && read_obj(c, c.arg(1), &size)) c.printf(" => {size=%u}", size);
  c.printf(", %u", c.arg_uint(2));
  return 0;
}

// ------------------------------------------------------------------ thread bookkeeping

int sys_set_tid_address(Call& c) {
  print_hex(c, c.arg(0));
  return RVAL_DECODED | RVAL_TID;
}

int sys_set_robust_list(Call& c) {
  print_addr(c, c.arg(0));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(1)));
  return RVAL_DECODED;
}

int sys_get_robust_list(Call& c) {
  if (c.entering()) {
    print_pid(c, c.arg_int(0), PT_TID);
    sep(c);
    return 0;
  }
  uint64_t head, len;
  if (fetch_or_addr(c, c.arg(1), &head)) {
    c.printc('[');
    print_addr(c, head);
    c.printc(']');
  }
  sep(c);
  if (fetch_or_addr(c, c.arg(2), &len)) c.printf("[%llu]", static_cast<unsigned long long>(len));
  return 0;
}

int sys_pidfd_open(Call& c) {
  print_pid(c, c.arg_int(0), PT_TGID);
  sep(c);
  print_flags(c, xlat_pidfd_open_flags, c.arg_uint(1));
  return RVAL_DECODED | RVAL_FD;
}

// ------------------------------------------------------------------ seccomp filters

// A seccomp filter's return value spelled as its action: SECCOMP_RET_ERRNO|0x1 (the rest of the
// program is bpf_filter.cc's).
bool print_seccomp_filter_k(const Call& c, const sock_filter& f) {
  if (BPF_CLASS(f.code) != BPF_RET) return false;
  const unsigned action = f.k & SECCOMP_RET_ACTION_FULL;
  print_xval(c, xlat_seccomp_ret_action, action, "SECCOMP_RET_???");
  if (f.k & ~action) c.printf("|%#x", f.k & ~action);
  return true;
}

int sys_seccomp(Call& c) {
  const unsigned op = c.arg_uint(0), flags = c.arg_uint(1);
  const uint64_t args = c.arg(2);
  if (c.entering()) {
    print_xval(c, xlat_seccomp_ops, op, "SECCOMP_SET_MODE_???");
    sep(c);
  }
  switch (op) {
    case SECCOMP_SET_MODE_FILTER:
      print_flags(c, xlat_seccomp_filter_flags, flags);
      sep(c);
      print_bpf_fprog(c, args, print_seccomp_filter_k);
      return RVAL_DECODED;
    case SECCOMP_GET_ACTION_AVAIL: {
      c.printf("%#x, ", flags);
      unsigned action;
      if (fetch_or_addr(c, args, &action)) {
        c.printc('[');
        print_xval(c, xlat_seccomp_ret_action, action, "SECCOMP_RET_???");
        c.printc(']');
      }
      return RVAL_DECODED;
    }
    case SECCOMP_GET_NOTIF_SIZES: {
      if (c.entering()) {
        c.printf("%#x, ", flags);
        return 0;
      }
      struct seccomp_notif_sizes sizes;
      if (fetch_or_addr(c, args, &sizes))
        c.printf("{seccomp_notif=%u, seccomp_notif_resp=%u, seccomp_data=%u}", sizes.seccomp_notif,
                 sizes.seccomp_notif_resp, sizes.seccomp_data);
      return 0;
    }
    default:  // SECCOMP_SET_MODE_STRICT and unknown operations
      c.printf("%#x, ", flags);
      print_addr(c, args);
      return RVAL_DECODED;
  }
}

// ------------------------------------------------------------------ namespaces, kcmp

int sys_unshare(Call& c) {
  print_flags(c, xlat_unshare_flags, c.arg(0));
  return RVAL_DECODED;
}

int sys_setns(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_flags(c, xlat_setns_types, c.arg_uint(1));
  return RVAL_DECODED;
}

int sys_kcmp(Call& c) {
  const pid_t pid1 = c.arg_int(0), pid2 = c.arg_int(1);
  const unsigned type = c.arg_uint(2);
  print_pid(c, pid1, PT_TGID);
  sep(c);
  print_pid(c, pid2, PT_TGID);
  sep(c);
  print_xval(c, xlat_kcmp_types, type, "KCMP_???");
  // The descriptors belong to the compared processes: -y shows what they are in those processes.
  const pid_t owner1 = translate_pid(c, pid1, PT_TGID), owner2 = translate_pid(c, pid2, PT_TGID);
  if (type == 0) {  // KCMP_FILE
    sep(c);
    print_fd_of(c, owner1, c.arg_int(3));
    sep(c);
    print_fd_of(c, owner2, c.arg_int(4));
  } else if (type == 7) {  // KCMP_EPOLL_TFD: fd, then {efd, tfd, toff}
    sep(c);
    print_fd_of(c, owner1, c.arg_int(3));
    sep(c);
    struct {
      uint32_t efd, tfd, toff;
    } slot;
    if (fetch_or_addr(c, c.arg(4), &slot)) {
      c.print("{efd=");
      print_fd_of(c, owner2, static_cast<int>(slot.efd));
      c.print(", tfd=");
      print_fd_of(c, owner2, static_cast<int>(slot.tfd));
      c.printf(", toff=%u}", slot.toff);
    }
  } else if (type > 7) {
    c.printf(", %#llx, %#llx", static_cast<unsigned long long>(c.arg(3)), static_cast<unsigned long long>(c.arg(4)));
  }
  return RVAL_DECODED;
}

// pidfd_getfd(pidfd, targetfd, flags): targetfd is a descriptor of the process the pidfd refers to.
int sys_pidfd_getfd(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_fd_of(c, pidfd_target(c.pid, c.arg_int(0)), c.arg_int(1));
  c.printf(", %#x", c.arg_uint(2));
  return RVAL_DECODED | RVAL_FD;
}

int sys_process_mrelease(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %#x", c.arg_uint(1));  // flags, none defined yet
  return RVAL_DECODED;
}

// ------------------------------------------------------------------ ptrace

// struct user_regs_struct field names, in layout order.
const char* const kRegNames[] = {"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
                                 "r8",  "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs",
                                 "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"};
static_assert(sizeof kRegNames / sizeof kRegNames[0] * 8 == sizeof(struct user_regs_struct),
              "one name per register");

// A register set of len bytes at addr as strace shows one: the whole registers that fit, then ", ..."
// when len is larger than the set; the address when len is not a multiple of 8 (or is 0).
bool regset_unreadable(const Call& c, uint64_t addr, uint64_t len, void* buf, size_t size) {
  const size_t fetch = len < size ? static_cast<size_t>(len) : size;
  if (addr == 0 || len == 0 || (len & 7) || c.failed() || !structs_decoded(c) || !read_mem(c, addr, buf, fetch)) {
    print_addr(c, addr);
    return true;
  }
  return false;
}

// struct user_regs_struct: {r15=0x..., r14=0x..., ...}.
void print_regs(const Call& c, uint64_t addr, uint64_t len) {
  struct user_regs_struct regs;
  if (regset_unreadable(c, addr, len, &regs, sizeof regs)) return;
  const size_t n = len < sizeof regs ? static_cast<size_t>(len) / 8 : sizeof regs / 8;
  const uint64_t* words = reinterpret_cast<const uint64_t*>(&regs);
  c.printc('{');
  for (size_t i = 0; i < n; i++) {
    if (i) sep(c);
    c.printf("%s=", kRegNames[i]);
    print_hex(c, words[i]);
  }
  if (len > sizeof regs) c.print(", ...");
  c.printc('}');
}

// The first n of an array of 32-bit words: [0x1, 0x2, ...].
void print_u32_array(const Call& c, const uint32_t* v, size_t size, size_t n) {
  if (n > size) n = size;
  c.printc('[');
  for (size_t i = 0; i < n; i++) {
    if (i) sep(c);
    if (array_full(c, i)) {
      c.print("...");
      break;
    }
    print_hex(c, v[i]);
  }
  c.printc(']');
}

// struct user_fpregs_struct (the FXSAVE area), the fields that fit in len bytes.
void print_fpregs(const Call& c, uint64_t addr, uint64_t len) {
  using Fp = struct user_fpregs_struct;
  Fp fp;
  if (regset_unreadable(c, addr, len, &fp, sizeof fp)) return;
  const size_t fetch = len < sizeof fp ? static_cast<size_t>(len) : sizeof fp;
  auto has = [&](size_t offset) { return fetch > offset; };
  c.printf("{cwd=%#x", fp.cwd);
  if (has(offsetof(Fp, swd))) c.printf(", swd=%#x", fp.swd);
  if (has(offsetof(Fp, ftw))) c.printf(", ftw=%#x", fp.ftw);
  if (has(offsetof(Fp, fop))) c.printf(", fop=%#x", fp.fop);
  if (has(offsetof(Fp, rip))) c.printf(", rip=%#llx", static_cast<unsigned long long>(fp.rip));
  if (has(offsetof(Fp, rdp))) c.printf(", rdp=%#llx", static_cast<unsigned long long>(fp.rdp));
  if (has(offsetof(Fp, mxcsr))) c.printf(", mxcsr=%#x", fp.mxcsr);
  if (has(offsetof(Fp, mxcr_mask))) c.printf(", mxcr_mask=%#x", fp.mxcr_mask);
  struct Words {
    const char* name;
    size_t offset;
    const uint32_t* v;
    size_t size;
  };
  const Words arrays[] = {
      {"st_space", offsetof(Fp, st_space), fp.st_space, sizeof fp.st_space / 4},
      {"xmm_space", offsetof(Fp, xmm_space), fp.xmm_space, sizeof fp.xmm_space / 4},
      {"padding", offsetof(Fp, padding), fp.padding, sizeof fp.padding / 4},
  };
  for (const Words& w : arrays) {
    if (!has(w.offset)) break;
    c.printf(", %s=", w.name);
    print_u32_array(c, w.v, w.size, (fetch - w.offset) / 4);
  }
  if (len > sizeof fp) c.print(", ...");
  c.printc('}');
}

struct RegsetIov {
  uint64_t base, len;
};

// PTRACE_GETREGSET/SETREGSET's iovec: the caller's, so read whether or not the call failed.
bool read_regset_iov(const Call& c, uint64_t addr, RegsetIov* iov) {
  if (addr && structs_decoded(c) && read_obj(c, addr, iov)) return true;
  print_addr(c, addr);
  return false;
}

// The register set an iovec points to, when we know its layout: "{iov_base={r15=...}, iov_len=" (the
// caller prints the length).
void print_regset_iov_base(const Call& c, unsigned type, const RegsetIov& iov) {
  c.print("{iov_base=");
  if (type == NT_PRSTATUS)
    print_regs(c, iov.base, iov.len);
  else if (type == NT_FPREGSET)
    print_fpregs(c, iov.base, iov.len);
  else
    print_addr(c, iov.base);
  c.print(", iov_len=");
}

// PTRACE_GETREGSET at exit and PTRACE_SETREGSET at both ends: the kernel writes back how much of the
// set it used, shown as "iov_len=OLD => NEW" when that changed (OLD kept in c.saved[0] at entry).
int print_regset(Call& c, unsigned type, uint64_t addr, bool setting) {
  RegsetIov iov;
  if (c.entering()) {
    if (!read_regset_iov(c, addr, &iov)) return RVAL_DECODED;
    c.saved[0] = iov.len;
    if (setting) {
      print_regset_iov_base(c, type, iov);
      c.printf("%llu", static_cast<unsigned long long>(iov.len));
    }
    return 0;
  }
  if (setting) {
    if (structs_decoded(c) && read_obj(c, addr, &iov) && iov.len != c.saved[0])
      c.printf(" => %llu", static_cast<unsigned long long>(iov.len));
    c.printc('}');
    return 0;
  }
  if (!read_regset_iov(c, addr, &iov)) return 0;
  print_regset_iov_base(c, type, iov);
  c.printf("%llu", static_cast<unsigned long long>(c.saved[0]));
  if (iov.len != c.saved[0]) c.printf(" => %llu", static_cast<unsigned long long>(iov.len));
  c.printc('}');
  return 0;
}

// PTRACE_PEEKUSER/POKEUSER's offset into struct user: 8*RAX, offsetof(struct user, u_debugreg)+8.
void print_user_offset(const Call& c, uint64_t off) {
  // The registers as the kernel's ptrace ABI numbers them, up to SS; the rest of struct user by member.
  static const char* const kUpper[] = {"R15", "R14", "R13", "R12", "RBP", "RBX", "R11", "R10", "R9", "R8", "RAX",
                                       "RCX", "RDX", "RSI", "RDI", "ORIG_RAX", "RIP", "CS", "EFLAGS", "RSP", "SS"};
  constexpr uint64_t kNamedRegs = sizeof kUpper / sizeof kUpper[0];
  struct Member {
    uint64_t off;
    const char* name;
  };
  static const Member kMembers[] = {
      {offsetof(struct user, u_fpvalid), "u_fpvalid"},     {offsetof(struct user, i387), "i387"},
      {offsetof(struct user, u_tsize), "u_tsize"},         {offsetof(struct user, u_dsize), "u_dsize"},
      {offsetof(struct user, u_ssize), "u_ssize"},         {offsetof(struct user, start_code), "start_code"},
      {offsetof(struct user, start_stack), "start_stack"}, {offsetof(struct user, signal), "signal"},
      {offsetof(struct user, reserved), "reserved"},       {offsetof(struct user, u_ar0), "u_ar0"},
      {offsetof(struct user, u_fpstate), "u_fpstate"},     {offsetof(struct user, magic), "magic"},
      {offsetof(struct user, u_comm), "u_comm"},           {offsetof(struct user, u_debugreg), "u_debugreg"},
  };
  if (off == sizeof(struct user)) {
    c.print("sizeof(struct user)");
    return;
  }
  if (off > sizeof(struct user)) {
    print_addr(c, off);
    return;
  }
  if (off < kMembers[0].off) {
    const uint64_t reg = off / 8 < kNamedRegs ? off / 8 : kNamedRegs - 1;
    c.printf("8*%s", kUpper[reg]);
    if (off - reg * 8) c.printf("+%llu", static_cast<unsigned long long>(off - reg * 8));
    return;
  }
  const Member* m = &kMembers[0];
  for (const Member& x : kMembers)
    if (x.off <= off) m = &x;
  c.printf("offsetof(struct user, %s)", m->name);
  if (off - m->off) c.printf("+%llu", static_cast<unsigned long long>(off - m->off));
}

// The first n of a syscall's six arguments: [0x1, 0x2, ...].
void print_args_upto(const Call& c, const __u64* args, size_t n) {
  c.printc('[');
  for (size_t i = 0; i < n && i < 6; i++) {
    if (i) sep(c);
    print_hex(c, args[i]);
  }
  c.printc(']');
}

// struct ptrace_syscall_info, the fields of it the kernel wrote (the return value is its full size,
// addr's size what the caller asked for): each field is shown only when it was written whole.
void print_syscall_info(const Call& c, uint64_t addr, uint64_t size) {
  using Info = struct ptrace_syscall_info;
  constexpr size_t kSeccompEnd = offsetof(Info, seccomp.ret_data) + sizeof(Info::seccomp.ret_data);
  constexpr size_t kExitEnd = offsetof(Info, exit.is_error) + sizeof(Info::exit.is_error);
  Info si;
  memset(&si, 0, sizeof si);
  uint64_t fetch = static_cast<uint64_t>(c.rval) < size ? static_cast<uint64_t>(c.rval) : size;
  if (fetch > kSeccompEnd) fetch = kSeccompEnd;
  if (addr == 0 || c.failed() || fetch == 0 || !structs_decoded(c) || !read_mem(c, addr, &si, fetch)) {
    print_addr(c, addr);
    return;
  }
  auto has = [&](size_t offset, size_t len) { return fetch >= offset + len; };
  c.print("{op=");
  print_xval(c, xlat_ptrace_syscall_info_ops, si.op, "PTRACE_SYSCALL_INFO_???");
  if (has(offsetof(Info, arch), sizeof si.arch)) {
    c.print(", arch=");
    print_xval(c, xlat_audit_arch, si.arch, "AUDIT_ARCH_???");
  }
  if (has(offsetof(Info, instruction_pointer), sizeof si.instruction_pointer)) {
    c.print(", instruction_pointer=");
    print_addr(c, si.instruction_pointer);
  }
  if (has(offsetof(Info, stack_pointer), sizeof si.stack_pointer)) {
    c.print(", stack_pointer=");
    print_addr(c, si.stack_pointer);
  }
  if (has(offsetof(Info, entry.nr), sizeof si.entry.nr)) {
    if (si.op == PTRACE_SYSCALL_INFO_ENTRY || si.op == PTRACE_SYSCALL_INFO_SECCOMP) {
      // entry and seccomp share their first fields: nr, then the arguments.
      const bool seccomp = si.op == PTRACE_SYSCALL_INFO_SECCOMP;
      c.print(seccomp ? ", seccomp={nr=" : ", entry={nr=");
      print_syscall_nr(c, si.entry.nr, si.arch);
      const size_t nargs = (fetch - offsetof(Info, entry.args)) / sizeof si.entry.args[0];
      if (nargs) {
        c.print(", args=");
        print_args_upto(c, si.entry.args, nargs);
      }
      if (seccomp && fetch >= kSeccompEnd) c.printf(", ret_data=%u", si.seccomp.ret_data);
      c.printc('}');
    } else if (si.op == PTRACE_SYSCALL_INFO_EXIT) {
      c.print(", exit={rval=");
      if (fetch >= kExitEnd && si.exit.is_error)
        print_errno_val(c, si.exit.rval, true);
      else
        c.printf("%lld", static_cast<long long>(si.exit.rval));
      if (fetch >= kExitEnd) c.printf(", is_error=%u", si.exit.is_error);
      c.printc('}');
    }
  }
  c.printc('}');
}

// PTRACE_SECCOMP_GET_METADATA's struct seccomp_metadata: filter_off at entry, flags at exit when the
// kernel wrote them (its return value is the size it wrote).
int print_seccomp_metadata(Call& c, uint64_t addr, uint64_t size) {
  struct {
    uint64_t filter_off, flags;
  } md;
  if (c.entering()) {
    if (size < sizeof md.filter_off) {
      print_addr(c, addr);
      return RVAL_DECODED;
    }
    if (!fetch_or_addr(c, addr, &md.filter_off)) return RVAL_DECODED;
    c.printf("{filter_off=%llu", static_cast<unsigned long long>(md.filter_off));
    return 0;
  }
  if (!c.failed() && size > sizeof md.filter_off) {
    sep(c);
    if (size < sizeof md || !read_obj(c, addr + sizeof md.filter_off, &md.flags)) {
      c.print("???");
    } else {
      c.print("flags=");
      print_flags(c, xlat_seccomp_filter_flags, md.flags);
      if (size > sizeof md) c.print(", ...");
    }
  }
  c.printc('}');
  return 0;
}

// PTRACE_PEEKSIGINFO's result: count siginfos at addr.
void print_siginfo_array(const Call& c, uint64_t addr, int64_t count) {
  if (addr == 0 || c.failed()) {
    print_addr(c, addr);
    return;
  }
  c.printc('[');
  for (int64_t i = 0; i < count; i++) {
    if (i) sep(c);
    if (array_full(c, static_cast<uint64_t>(i))) {
      c.print("...");
      break;
    }
    print_siginfo_addr(c, addr + static_cast<uint64_t>(i) * sizeof(siginfo_t));
  }
  c.printc(']');
}

int sys_ptrace(Call& c) {
  const uint64_t req = c.arg(0);
  const uint64_t addr = c.arg(2), data = c.arg(3);
  if (c.entering()) {
    print_xval(c, xlat_ptrace_requests, req, "PTRACE_???");
    if (req == PTRACE_TRACEME) return RVAL_DECODED;
    c.printf(", %d", c.arg_int(1));
    switch (req) {
      case PTRACE_ATTACH:
      case PTRACE_INTERRUPT:
      case PTRACE_KILL:
      case PTRACE_LISTEN:
        return RVAL_DECODED;
      case PTRACE_PEEKUSER:
      case PTRACE_POKEUSER:
        sep(c);
        print_user_offset(c, addr);
        break;
      case PTRACE_GETREGSET:
      case PTRACE_SETREGSET:
        sep(c);
        print_xval(c, xlat_nt_types, addr, "NT_???");
        break;
      case PTRACE_GETSIGMASK:
      case PTRACE_SETSIGMASK:
      case PTRACE_SECCOMP_GET_FILTER:
      case PTRACE_SECCOMP_GET_METADATA:
      case PTRACE_GET_SYSCALL_INFO:
        c.printf(", %llu", static_cast<unsigned long long>(addr));
        break;
      case PTRACE_PEEKSIGINFO: {
        struct {
          uint64_t off;
          uint32_t flags, nr;
        } args;
        sep(c);
        if (!fetch_or_addr(c, addr, &args)) {
          sep(c);
          print_addr(c, data);
          return RVAL_DECODED;
        }
        c.printf("{off=%llu, flags=", static_cast<unsigned long long>(args.off));
        print_flags(c, xlat_ptrace_peeksiginfo_flags, args.flags);
        c.printf(", nr=%u}", args.nr);
        break;
      }
      case PTRACE_GETREGS:
      case PTRACE_SETREGS:
      case PTRACE_GETFPREGS:
      case PTRACE_SETFPREGS:
        break;  // addr is ignored by the kernel and not shown
      default:
        sep(c);
        print_addr(c, addr);
        break;
    }
    sep(c);
    switch (req) {
      case PTRACE_CONT:
      case PTRACE_DETACH:
      case PTRACE_SYSCALL:
      case PTRACE_SINGLESTEP:
      case PTRACE_SINGLEBLOCK:
      case PTRACE_SYSEMU:
      case PTRACE_SYSEMU_SINGLESTEP:
        print_signame(c, static_cast<int>(data));
        return RVAL_DECODED;
      case PTRACE_SEIZE:
      case PTRACE_SETOPTIONS:
      case PTRACE_OLDSETOPTIONS:
        print_flags(c, xlat_ptrace_options, data);
        return RVAL_DECODED;
      case PTRACE_SETSIGINFO:
        print_siginfo_addr(c, data);
        return RVAL_DECODED;
      case PTRACE_SETSIGMASK:
        print_sigset_addr(c, data, addr);
        return RVAL_DECODED;
      case PTRACE_SETREGS:
        print_regs(c, data, sizeof(struct user_regs_struct));
        return RVAL_DECODED;
      case PTRACE_SETFPREGS:
        print_fpregs(c, data, sizeof(struct user_fpregs_struct));
        return RVAL_DECODED;
      case PTRACE_GETREGSET:
      case PTRACE_SETREGSET:
        return print_regset(c, static_cast<unsigned>(addr), data, req == PTRACE_SETREGSET);
      case PTRACE_SECCOMP_GET_METADATA:
        return print_seccomp_metadata(c, data, addr);
      case PTRACE_PEEKTEXT:
      case PTRACE_PEEKDATA:
      case PTRACE_PEEKUSER:
      case PTRACE_GETEVENTMSG:
      case PTRACE_GETREGS:
      case PTRACE_GETFPREGS:
      case PTRACE_GETSIGINFO:
      case PTRACE_GETSIGMASK:
      case PTRACE_PEEKSIGINFO:
      case PTRACE_GET_SYSCALL_INFO:
        return 0;  // written by the kernel: shown at exit
      default:
        print_addr(c, data);
        return RVAL_DECODED;
    }
  }
  switch (req) {
    case PTRACE_PEEKTEXT:
    case PTRACE_PEEKDATA:
    case PTRACE_PEEKUSER: {
      uint64_t word;
      if (fetch_or_addr(c, data, &word)) {
        c.printc('[');
        print_addr(c, word);
        c.printc(']');
      }
      break;
    }
    case PTRACE_GETEVENTMSG: {
      uint64_t msg;
      if (fetch_or_addr(c, data, &msg)) c.printf("[%llu]", static_cast<unsigned long long>(msg));
      break;
    }
    case PTRACE_GETREGS:
      print_regs(c, data, sizeof(struct user_regs_struct));
      break;
    case PTRACE_GETFPREGS:
      print_fpregs(c, data, sizeof(struct user_fpregs_struct));
      break;
    case PTRACE_GETREGSET:
    case PTRACE_SETREGSET:
      return print_regset(c, static_cast<unsigned>(addr), data, req == PTRACE_SETREGSET);
    case PTRACE_GETSIGINFO:
      print_siginfo_addr(c, data);
      break;
    case PTRACE_GETSIGMASK:
      print_sigset_addr(c, data, addr);
      break;
    case PTRACE_PEEKSIGINFO:
      print_siginfo_array(c, data, c.rval);
      break;
    case PTRACE_GET_SYSCALL_INFO:
      print_syscall_info(c, data, addr);
      break;
    case PTRACE_SECCOMP_GET_METADATA:
      return print_seccomp_metadata(c, data, static_cast<uint64_t>(c.rval));
    default:
      break;
  }
  return 0;
}

// ------------------------------------------------------------------ prctl, arch_prctl

// The arguments of a prctl option strace does not decode further, in hex, from index first.
void print_prctl_rest(const Call& c, int first) {
  for (int i = first; i < 5; i++) c.printf(", %#llx", static_cast<unsigned long long>(c.arg(i)));
}

// A NUL-terminated string of at most max bytes (the task name), truncated further by -s.
void print_comm(const Call& c, uint64_t addr, size_t max) {
  std::string s;
  bool terminated = false;
  if (addr == 0 || !read_cstr(c, addr, max, &s, &terminated)) {
    print_addr(c, addr);
    return;
  }
  bool more = !terminated;
  const unsigned limit = opts_of(c).strsize;
  if (s.size() > limit) {
    s.resize(limit);
    more = true;
  }
  print_quoted(c, s.data(), s.size(), more);
}

constexpr size_t kTaskCommLen = 16;

// A result as " = 0x2 (PR_SPEC_ENABLE)": in hex, with the names of its bits when it has known ones.
int rval_flags(Call& c, const Xlat& x, const char* zero_name = nullptr) {
  c.aux = flags_note(c, x, static_cast<uint64_t>(c.rval), zero_name);
  return RVAL_HEX | RVAL_STR;
}

// A return value's note written by print() in names only (strace's auxstr), and none under -X raw.
template <typename F> void set_names_note(Call& c, F&& print) {
  if (xstyle(c) != XLAT_RAW) c.aux = capture(c, [&] { with_xstyle(c, XLAT_ABBREV, print); });
}

// An SVE or SME vector length argument: the flag bits by name, then the length (PR_SVE_VL_INHERIT|0x100).
constexpr uint64_t kVlLenMask = 0xffff;  // PR_SVE_VL_LEN_MASK, PR_SME_VL_LEN_MASK
void print_vl(const Call& c, const Xlat& flags_x, uint64_t arg) {
  const uint64_t flags = arg & ~kVlLenMask;
  if (!flags) {
    print_hex(c, arg);
    return;
  }
  print_composite(c, arg, FMT_HEX, [&] {
    print_flags(c, flags_x, flags);
    c.printf("|%#llx", static_cast<unsigned long long>(arg & kVlLenMask));
  });
}

// PR_SVE_GET_VL/PR_SME_GET_VL and the SET calls' results: hex, noted by name when flag bits are set.
int rval_vl(Call& c, const Xlat& flags_x) {
  if (c.failed() || c.rval == 0) return 0;
  const uint64_t v = static_cast<uint64_t>(c.rval);
  if (v & ~kVlLenMask) set_names_note(c, [&] { print_vl(c, flags_x, v); });
  return RVAL_HEX | RVAL_STR;
}

// PR_SET_TAGGED_ADDR_CTRL's mode: !PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_SYNC|0xfffe<<PR_MTE_TAG_SHIFT, every
// part named even when zero.
constexpr uint64_t kTaggedAddrEnable = 1;    // PR_TAGGED_ADDR_ENABLE
constexpr uint64_t kMteTcfMask = 6;          // PR_MTE_TCF_MASK
constexpr unsigned kMteTagShift = 3;         // PR_MTE_TAG_SHIFT
constexpr uint64_t kMteTagMask = 0xffffull << kMteTagShift;
void print_tagged_addr_names(const Call& c, uint64_t v) {
  c.print(v & kTaggedAddrEnable ? "PR_TAGGED_ADDR_ENABLE|" : "!PR_TAGGED_ADDR_ENABLE|");
  print_xval(c, xlat_pr_mte_tcf, v & kMteTcfMask);
  if (v & kMteTagMask) c.printf("|%#llx<<PR_MTE_TAG_SHIFT", static_cast<unsigned long long>((v & kMteTagMask) >> kMteTagShift));
  if (const uint64_t rest = v & ~(kTaggedAddrEnable | kMteTcfMask | kMteTagMask))
    c.printf("|%#llx", static_cast<unsigned long long>(rest));
}

// The pid type of PR_SCHED_CORE as the kind of id its pid argument is.
PidType sched_core_pid_type(unsigned type) {
  switch (type) {
    case 0: return PT_TID;   // PIDTYPE_PID
    case 1: return PT_TGID;  // PIDTYPE_TGID
    case 2: return PT_PGID;  // PIDTYPE_PGID
    case 3: return PT_SID;   // PIDTYPE_SID
    default: return PT_NONE;
  }
}

int sys_prctl(Call& c) {
  const unsigned option = c.arg_uint(0);
  const uint64_t arg2 = c.arg(1), arg3 = c.arg(2);
  if (c.entering()) print_xval(c, xlat_prctl_options, option, "PR_???");

  switch (option) {
    case PR_GET_KEEPCAPS:
    case PR_GET_SECCOMP:
    case PR_GET_TIMERSLACK:
    case PR_GET_TIMING:
    case PR_TASK_PERF_EVENTS_DISABLE:
    case PR_TASK_PERF_EVENTS_ENABLE:
      return RVAL_DECODED;

    case PR_GET_CHILD_SUBREAPER:
    case PR_GET_ENDIAN:
    case PR_GET_FPEMU:
    case PR_GET_FPEXC:
      if (c.entering()) {
        sep(c);
        return 0;
      }
      print_int_result(c, arg2, "%u");
      return 0;

    case PR_GET_DUMPABLE:
    case PR_MCE_KILL_GET: {
      if (c.entering()) {
        if (option == PR_MCE_KILL_GET) print_prctl_rest(c, 1);
        return 0;
      }
      if (c.failed()) return 0;
      const Xlat& x = option == PR_GET_DUMPABLE ? xlat_pr_dumpable : xlat_pr_mce_kill_policy;
      if (const char* name = xlat_lookup(x, static_cast<uint64_t>(c.rval))) {
        c.aux = name;
        return RVAL_STR;
      }
      return 0;
    }

    case PR_GET_NAME:
      if (c.entering()) {
        sep(c);
        return 0;
      }
      if (c.failed())
        print_addr(c, arg2);
      else
        print_comm(c, arg2, kTaskCommLen);
      return 0;

    case PR_GET_PDEATHSIG: {
      if (c.entering()) {
        sep(c);
        return 0;
      }
      int sig;
      if (fetch_or_addr(c, arg2, &sig)) {
        c.printc('[');
        print_signame(c, sig);
        c.printc(']');
      }
      return 0;
    }

    case PR_GET_TSC: {
      if (c.entering()) {
        sep(c);
        return 0;
      }
      unsigned v;
      if (fetch_or_addr(c, arg2, &v)) {
        c.printc('[');
        print_xval(c, xlat_pr_tsc, v, "PR_TSC_???");
        c.printc(']');
      }
      return 0;
    }

    case PR_GET_TID_ADDRESS: {
      if (c.entering()) {
        sep(c);
        return 0;
      }
      uint64_t p;
      if (fetch_or_addr(c, arg2, &p)) {
        c.printc('[');
        print_addr(c, p);
        c.printc(']');
      }
      return 0;
    }

    case PR_GET_UNALIGN: {
      if (c.entering()) {
        sep(c);
        return 0;
      }
      unsigned v;
      if (fetch_or_addr(c, arg2, &v)) {
        c.printc('[');
        print_flags(c, xlat_pr_unalign_flags, v);
        c.printc(']');
      }
      return 0;
    }

    case PR_GET_SECUREBITS:
    case PR_GET_FP_MODE:
      if (c.entering() || c.failed() || c.rval == 0) return 0;
      return rval_flags(c, option == PR_GET_SECUREBITS ? xlat_secbits : xlat_pr_fp_mode);

    case PR_GET_SPECULATION_CTRL:
      if (c.entering()) {
        sep(c);
        print_xval(c, xlat_pr_spec_cmds, arg2, "PR_SPEC_???");
        return 0;
      }
      if (c.failed()) return 0;
      if (arg2 <= PR_SPEC_L1D_FLUSH) return rval_flags(c, xlat_pr_spec_get_flags, "PR_SPEC_NOT_AFFECTED");
      return 0;

    case PR_SVE_SET_VL:
    case PR_SME_SET_VL:
      if (c.entering()) {
        sep(c);
        print_vl(c, option == PR_SVE_SET_VL ? xlat_pr_sve_vl_flags : xlat_pr_sme_vl_flags, arg2);
        return 0;
      }
      return rval_vl(c, option == PR_SVE_SET_VL ? xlat_pr_sve_vl_flags : xlat_pr_sme_vl_flags);

    case PR_SVE_GET_VL:
    case PR_SME_GET_VL:
      if (c.entering()) return 0;
      return rval_vl(c, option == PR_SVE_GET_VL ? xlat_pr_sve_vl_flags : xlat_pr_sme_vl_flags);

    case PR_SET_TAGGED_ADDR_CTRL:
      sep(c);
      print_composite(c, arg2, FMT_HEX, [&] { print_tagged_addr_names(c, arg2); });
      print_prctl_rest(c, 2);
      return RVAL_DECODED;

    case PR_GET_TAGGED_ADDR_CTRL:
      if (c.entering()) {
        print_prctl_rest(c, 1);
        return 0;
      }
      if (c.failed()) return 0;
      set_names_note(c, [&] { print_tagged_addr_names(c, static_cast<uint64_t>(c.rval)); });
      return RVAL_HEX | RVAL_STR;

    case PR_PAC_RESET_KEYS:
      sep(c);
      print_flags(c, xlat_pr_pac_keys, arg2);
      print_prctl_rest(c, 2);
      return RVAL_DECODED;

    case PR_PAC_SET_ENABLED_KEYS:
      sep(c);
      print_flags(c, xlat_pr_pac_enabled_keys, arg2);
      sep(c);
      print_flags(c, xlat_pr_pac_enabled_keys, arg3);
      print_prctl_rest(c, 3);
      return RVAL_DECODED;

    case PR_PAC_GET_ENABLED_KEYS:
      if (c.entering()) {
        print_prctl_rest(c, 1);
        return 0;
      }
      if (c.failed()) return 0;
      return rval_flags(c, xlat_pr_pac_enabled_keys);

    case PR_SCHED_CORE: {
      const uint64_t uaddr = c.arg(4);
      if (c.entering()) {
        const unsigned type = static_cast<unsigned>(c.arg(3));
        sep(c);
        print_xval(c, xlat_pr_sched_core_cmds, static_cast<unsigned>(arg2), "PR_SCHED_CORE_???");
        sep(c);
        print_pid(c, static_cast<int>(arg3), sched_core_pid_type(type));
        sep(c);
        with_xstyle(c, verbose_unless_raw(c), [&] { print_xval(c, xlat_pr_sched_core_pidtypes, type, "PIDTYPE_???"); });
        sep(c);
        if (static_cast<unsigned>(arg2) == PR_SCHED_CORE_GET) return 0;  // the cookie is written: shown at exit
        print_addr(c, uaddr);
        return RVAL_DECODED;
      }
      uint64_t cookie;
      if (fetch_or_addr(c, uaddr, &cookie)) c.printf("[%#llx]", static_cast<unsigned long long>(cookie));
      return RVAL_DECODED;
    }

    case PR_SET_CHILD_SUBREAPER:
    case PR_SET_ENDIAN:
    case PR_SET_FPEMU:
    case PR_SET_FPEXC:
    case PR_SET_KEEPCAPS:
    case PR_SET_TIMING:
      c.printf(", %llu", static_cast<unsigned long long>(arg2));
      return RVAL_DECODED;

    case PR_SET_DUMPABLE:
      sep(c);
      print_xval(c, xlat_pr_dumpable, arg2, "SUID_DUMP_???");
      return RVAL_DECODED;

    case PR_CAPBSET_DROP:
    case PR_CAPBSET_READ:
      sep(c);
      print_xval(c, xlat_capabilities, arg2, "CAP_???");
      return RVAL_DECODED;

    case PR_CAP_AMBIENT:
      sep(c);
      print_xval(c, xlat_pr_cap_ambient, arg2, "PR_CAP_AMBIENT_???");
      if (arg2 == PR_CAP_AMBIENT_RAISE || arg2 == PR_CAP_AMBIENT_LOWER || arg2 == PR_CAP_AMBIENT_IS_SET) {
        sep(c);
        print_xval(c, xlat_capabilities, arg3, "CAP_???");
        print_prctl_rest(c, 3);
      } else {
        print_prctl_rest(c, 2);
      }
      return RVAL_DECODED;

    case PR_MCE_KILL:
      sep(c);
      print_xval(c, xlat_pr_mce_kill, arg2, "PR_MCE_KILL_???");
      sep(c);
      if (arg2 == PR_MCE_KILL_SET)
        print_xval(c, xlat_pr_mce_kill_policy, arg3, "PR_MCE_KILL_???");
      else
        print_hex(c, arg3);
      print_prctl_rest(c, 3);
      return RVAL_DECODED;

    case PR_SET_NAME:
      sep(c);
      print_comm(c, arg2, kTaskCommLen - 1);
      return RVAL_DECODED;

    case PR_SET_VMA:
      sep(c);
      print_xval(c, xlat_pr_set_vma, arg2, "PR_SET_VMA_???");
      if (arg2 == 0) {  // PR_SET_VMA_ANON_NAME: start, length, name
        sep(c);
        print_addr(c, arg3);
        c.printf(", %llu, ", static_cast<unsigned long long>(c.arg(3)));
        print_cstr(c, c.arg(4));
      } else {
        print_prctl_rest(c, 2);
      }
      return RVAL_DECODED;

    case PR_SET_MM:
      sep(c);
      print_xval(c, xlat_pr_set_mm, static_cast<unsigned>(arg2), "PR_SET_MM_???");
      print_prctl_rest(c, 2);
      return RVAL_DECODED;

    case PR_SET_PDEATHSIG:
      sep(c);
      if (arg2 > 128)
        c.printf("%llu", static_cast<unsigned long long>(arg2));
      else
        print_signame(c, static_cast<int>(arg2));
      return RVAL_DECODED;

    case PR_SET_PTRACER:
      sep(c);
      if (static_cast<int>(arg2) == -1)
        print_const(c, static_cast<uint64_t>(-1), "PR_SET_PTRACER_ANY", FMT_DEC);
      else
        print_pid(c, static_cast<int>(arg2), PT_TGID);
      return RVAL_DECODED;

    case PR_SET_SECCOMP:
      sep(c);
      print_xval(c, xlat_seccomp_modes, arg2, "SECCOMP_MODE_???");
      if (arg2 == SECCOMP_MODE_STRICT) return RVAL_DECODED;
      if (arg2 == SECCOMP_MODE_FILTER) {
        sep(c);
        print_bpf_fprog(c, arg3, print_seccomp_filter_k);
        return RVAL_DECODED;
      }
      print_prctl_rest(c, 2);
      return RVAL_DECODED;

    case PR_SET_SECUREBITS:
      sep(c);
      print_flags(c, xlat_secbits, arg2);
      return RVAL_DECODED;

    case PR_SET_TIMERSLACK:
      c.printf(", %lld", static_cast<long long>(arg2));
      return RVAL_DECODED;

    case PR_SET_TSC:
      sep(c);
      print_xval(c, xlat_pr_tsc, static_cast<unsigned>(arg2), "PR_TSC_???");
      return RVAL_DECODED;

    case PR_SET_UNALIGN:
      sep(c);
      print_flags(c, xlat_pr_unalign_flags, static_cast<unsigned>(arg2));
      return RVAL_DECODED;

    case PR_SET_NO_NEW_PRIVS:
    case PR_SET_THP_DISABLE:
    case PR_SET_IO_FLUSHER:
      c.printf(", %llu", static_cast<unsigned long long>(arg2));
      print_prctl_rest(c, 2);
      return RVAL_DECODED;

    case PR_SET_FP_MODE:
      sep(c);
      print_flags(c, xlat_pr_fp_mode, static_cast<unsigned>(arg2));
      return RVAL_DECODED;

    case PR_SET_SPECULATION_CTRL:
      sep(c);
      print_xval(c, xlat_pr_spec_cmds, arg2, "PR_SPEC_???");
      sep(c);
      if (arg2 <= PR_SPEC_L1D_FLUSH)
        print_xval(c, xlat_pr_spec_set_flags, arg3, "PR_SPEC_???");
      else
        print_hex(c, arg3);
      return RVAL_DECODED;

    case PR_SET_SYSCALL_USER_DISPATCH:
      sep(c);
      print_xval(c, xlat_pr_sud_cmds, arg2, "PR_SYS_DISPATCH_???");
      c.printf(", %#llx, %#llx, ", static_cast<unsigned long long>(arg3),
               static_cast<unsigned long long>(c.arg(3)));
      print_addr(c, c.arg(4));
      return RVAL_DECODED;

    default:  // PR_GET_NO_NEW_PRIVS, PR_GET_THP_DISABLE, unknown options, ...: the rest in hex
      print_prctl_rest(c, 1);
      return RVAL_DECODED;
  }
}

int sys_arch_prctl(Call& c) {
  const unsigned option = c.arg_uint(0);
  const uint64_t addr = c.arg(1);
  if (c.entering()) print_xval(c, xlat_arch_prctl_codes, option, "ARCH_???");
  switch (option) {
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
      if (c.entering()) {
        sep(c);
        return 0;
      }
      uint64_t v;
      if (fetch_or_addr(c, addr, &v)) {
        c.printc('[');
        print_addr(c, v);
        c.printc(']');
      }
      return 0;
    }
    case ARCH_GET_CPUID:
      return RVAL_DECODED;
    case ARCH_GET_XCOMP_SUPP:
    case ARCH_GET_XCOMP_PERM:
    case ARCH_GET_XCOMP_GUEST_PERM: {
      if (c.entering()) {
        sep(c);
        return 0;
      }
      // The XSAVE masks have no public names, so strace explains them even without -X verbose.
      uint64_t v;
      if (fetch_or_addr(c, addr, &v)) {
        c.printc('[');
        with_xstyle(c, verbose_unless_raw(c), [&] { print_flags(c, xlat_x86_xfeatures, v); });
        c.printc(']');
      }
      return 0;
    }
    case ARCH_REQ_XCOMP_PERM:
    case ARCH_REQ_XCOMP_GUEST_PERM:
      if (c.entering()) {
        sep(c);
        with_xstyle(c, verbose_unless_raw(c), [&] { print_xval(c, xlat_x86_xfeature_bits, addr, "XFEATURE_???"); });
        return 0;
      }
      return c.rval > 0 ? rval_flags(c, xlat_x86_xfeatures) : 0;
    default:
      c.printf(", %#llx", static_cast<unsigned long long>(addr));
      return RVAL_DECODED;
  }
}

// ------------------------------------------------------------------ capabilities

struct CapHeader {
  uint32_t version;
  int pid;
};
struct CapData {
  uint32_t effective, permitted, inheritable;
};

// One 64-bit capability set split over two words: 1<<CAP_CHOWN|1<<CAP_KILL, unknown bits in hex per word.
void print_cap_word(const Call& c, uint32_t word, unsigned base, bool* any) {
  uint32_t unknown = 0;
  for (unsigned b = 0; b < 32; b++) {
    if (!(word & (1u << b))) continue;
    const char* name = xlat_lookup(xlat_capabilities, base + b);
    if (!name) {
      unknown |= 1u << b;
      continue;
    }
    if (*any) c.printc('|');
    c.printf("1<<%s", name);
    *any = true;
  }
  if (unknown) {
    if (*any) c.printc('|');
    c.printf("%#x", unknown);
    *any = true;
  }
}

void print_caps(const Call& c, uint32_t lo, uint32_t hi) {
  bool any = false;
  print_cap_word(c, lo, 0, &any);
  print_cap_word(c, hi, 32, &any);
  if (!any) c.printc('0');
}

bool read_cap_header(const Call& c, uint64_t addr, CapHeader* h) { return addr && structs_decoded(c) && read_obj(c, addr, h); }

void print_cap_header(const Call& c, uint64_t addr, const CapHeader* h) {
  if (!h) {
    print_addr(c, addr);
    return;
  }
  c.print("{version=");
  print_xval(c, xlat_cap_versions, h->version, "_LINUX_CAPABILITY_VERSION_???");
  c.printf(", pid=%d}", h->pid);
}

void print_cap_data(const Call& c, uint64_t addr, const CapHeader* h) {
  if (!h || addr == 0 || c.failed()) {
    print_addr(c, addr);
    return;
  }
  // Versions 2 and 3 pass two words per set; version 1 (and anything unknown) one.
  const size_t n = (h->version == _LINUX_CAPABILITY_VERSION_2 || h->version == _LINUX_CAPABILITY_VERSION_3) ? 2 : 1;
  CapData d[2];
  memset(d, 0, sizeof d);
  if (!read_mem(c, addr, d, n * sizeof d[0])) {
    print_addr(c, addr);
    return;
  }
  c.print("{effective=");
  print_caps(c, d[0].effective, d[1].effective);
  c.print(", permitted=");
  print_caps(c, d[0].permitted, d[1].permitted);
  c.print(", inheritable=");
  print_caps(c, d[0].inheritable, d[1].inheritable);
  c.printc('}');
}

int sys_capget(Call& c) {
  CapHeader h;
  if (c.entering()) {
    const bool ok = read_cap_header(c, c.arg(0), &h);
    print_cap_header(c, c.arg(0), ok ? &h : nullptr);
    sep(c);
    return 0;
  }
  const bool ok = !c.failed() && read_cap_header(c, c.arg(0), &h);
  print_cap_data(c, c.arg(1), ok ? &h : nullptr);
  return 0;
}

int sys_capset(Call& c) {
  CapHeader h;
  const bool ok = read_cap_header(c, c.arg(0), &h);
  print_cap_header(c, c.arg(0), ok ? &h : nullptr);
  sep(c);
  print_cap_data(c, c.arg(1), ok ? &h : nullptr);
  return RVAL_DECODED;
}

// ------------------------------------------------------------------ uname, getrandom

void print_uts_field(const Call& c, const char* name, const char (&field)[_UTSNAME_LENGTH], bool first) {
  if (!first) sep(c);
  c.printf("%s=", name);
  // Not truncated by -s: the fields are short by definition.
  print_quoted(c, field, strnlen(field, sizeof field), false);
}

int sys_uname(Call& c) {
  if (c.entering()) return 0;
  struct utsname u;
  if (!fetch_or_addr(c, c.arg(0), &u)) return 0;
  c.printc('{');
  print_uts_field(c, "sysname", u.sysname, true);
  print_uts_field(c, "nodename", u.nodename, false);
  if (opts_of(c).verbose) {
    print_uts_field(c, "release", u.release, false);
    print_uts_field(c, "version", u.version, false);
    print_uts_field(c, "machine", u.machine, false);
    print_uts_field(c, "domainname", u.domainname, false);
  } else {
    c.print(", ...");
  }
  c.printc('}');
  return 0;
}

// Random bytes are shown as hex escapes whatever -x says: "\x12\x34"...
int sys_getrandom(Call& c) {
  if (c.entering()) return 0;
  if (c.failed())
    print_addr(c, c.arg(0));
  else
    print_buf_hex(c, c.arg(0), static_cast<uint64_t>(c.rval));
  c.printf(", %llu, ", static_cast<unsigned long long>(c.arg(1)));
  print_flags(c, xlat_getrandom_flags, c.arg_uint(2));
  return 0;
}

const NamedDecoder kProcessDecoders[] = {
    {"fork", sys_fork},
    {"vfork", sys_fork},
    {"clone", sys_clone},
    {"clone3", sys_clone3},
    {"execve", sys_execve},
    {"execveat", sys_execveat},
    {"wait4", sys_wait4},
    {"waitid", sys_waitid},
    {"exit", sys_exit},
    {"exit_group", sys_exit},
    {"getpid", sys_getpid},
    {"getppid", sys_getpid},
    {"gettid", sys_gettid},
    {"getuid", sys_getuid},
    {"geteuid", sys_getuid},
    {"getgid", sys_getuid},
    {"getegid", sys_getuid},
    {"getpgrp", sys_getpgrp},
    {"setsid", sys_setsid},
    {"sched_yield", sys_noargs},
    {"getpgid", sys_getpgid},
    {"getsid", sys_getsid},
    {"setpgid", sys_setpgid},
    {"setuid", sys_setid1},
    {"setgid", sys_setid1},
    {"setfsuid", sys_setid1},
    {"setfsgid", sys_setid1},
    {"setreuid", sys_setid2},
    {"setregid", sys_setid2},
    {"setresuid", sys_setid3},
    {"setresgid", sys_setid3},
    {"getresuid", sys_getresid},
    {"getresgid", sys_getresid},
    {"getgroups", sys_getgroups},
    {"setgroups", sys_setgroups},
    {"getrlimit", sys_getrlimit},
    {"setrlimit", sys_setrlimit},
    {"prlimit64", sys_prlimit64},
    {"sched_getaffinity", sys_sched_getaffinity},
    {"sched_setaffinity", sys_sched_setaffinity},
    {"sched_getparam", sys_sched_getparam},
    {"sched_setparam", sys_sched_setparam},
    {"sched_setscheduler", sys_sched_setscheduler},
    {"sched_getscheduler", sys_sched_getscheduler},
    {"sched_get_priority_max", sys_sched_priority_limit},
    {"sched_get_priority_min", sys_sched_priority_limit},
    {"sched_rr_get_interval", sys_sched_rr_get_interval},
    {"sched_getattr", sys_sched_getattr},
    {"sched_setattr", sys_sched_setattr},
    {"set_tid_address", sys_set_tid_address},
    {"set_robust_list", sys_set_robust_list},
    {"get_robust_list", sys_get_robust_list},
    {"pidfd_open", sys_pidfd_open},
    {"prctl", sys_prctl},
    {"arch_prctl", sys_arch_prctl},
    {"seccomp", sys_seccomp},
    {"ptrace", sys_ptrace},
    {"unshare", sys_unshare},
    {"setns", sys_setns},
    {"kcmp", sys_kcmp},
    {"pidfd_getfd", sys_pidfd_getfd},
    {"process_mrelease", sys_process_mrelease},
    {"capget", sys_capget},
    {"capset", sys_capset},
    {"uname", sys_uname},
    {"getrandom", sys_getrandom},
};

}  // namespace

void print_rusage(const Call& c, uint64_t addr) {
  struct rusage ru;
  if (!fetch_or_addr(c, addr, &ru)) return;
  c.print("{ru_utime=");
  print_timeval(c, addr + offsetof(struct rusage, ru_utime));
  c.print(", ru_stime=");
  print_timeval(c, addr + offsetof(struct rusage, ru_stime));
  if (!opts_of(c).verbose) {
    c.print(", ...}");
    return;
  }
  // strace prints the counters unsigned, as the kernel never makes them negative.
  c.printf(
      ", ru_maxrss=%lu, ru_ixrss=%lu, ru_idrss=%lu, ru_isrss=%lu, ru_minflt=%lu, ru_majflt=%lu, ru_nswap=%lu, "
      "ru_inblock=%lu, ru_oublock=%lu, ru_msgsnd=%lu, ru_msgrcv=%lu, ru_nsignals=%lu, ru_nvcsw=%lu, "
      "ru_nivcsw=%lu}",
      ru.ru_maxrss, ru.ru_ixrss, ru.ru_idrss, ru.ru_isrss, ru.ru_minflt, ru.ru_majflt, ru.ru_nswap, ru.ru_inblock,
      ru.ru_oublock, ru.ru_msgsnd, ru.ru_msgrcv, ru.ru_nsignals, ru.ru_nvcsw, ru.ru_nivcsw);
}

const DecoderFamily family_process = {kProcessDecoders, sizeof kProcessDecoders / sizeof kProcessDecoders[0]};

}  // namespace decode
