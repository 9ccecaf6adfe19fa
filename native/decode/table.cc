// The syscall table: every x86_64 syscall's name (from the generated syscall_list.h), its argument
// count and its strace trace classes (%file, %desc, ...), merged with the decoders every family file
// registers by name. Also decode_call, which dispatches one phase of a call, and print_rval.
//
// Argument counts are the kernel's (SYSCALL_DEFINEn). Class membership follows strace 6.1's
// documented -e trace=%CLASS sets; it was checked by tracing a probe that issues every syscall
// number under `strace -e trace=%CLASS`.
#include "decoder.h"

#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace decode {

// Families whose files do not exist yet still link: a weak empty family is replaced by the real one.
namespace {
const NamedDecoder kNoDecoders[] = {{nullptr, nullptr}};
}
__attribute__((weak)) extern const DecoderFamily family_file = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_desc = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_net = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_process = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_signal = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_memory = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_ipc = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_time = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_misc = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_ioctl = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_kernel = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_fsapi = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_keys = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_quota = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_aio = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_perf = {kNoDecoders, 0};
__attribute__((weak)) extern const DecoderFamily family_bpf = {kNoDecoders, 0};

namespace {

struct SyscallInfo {
  const char* name;
  int nargs;
  uint32_t classes;
};

// In syscall number order. A name missing here (a syscall newer than this table) gets 6 arguments
// and no class, which is how strace prints a syscall it does not know.
const SyscallInfo kInfo[] = {
    {"read", 3, TD},
    {"write", 3, TD},
    {"open", 3, TF|TD},
    {"close", 1, TD},
    {"stat", 2, TF|TST|TSTA},
    {"fstat", 2, TD|TFST|TSTA},
    {"lstat", 2, TF|TLST|TSTA},
    {"poll", 3, TD},
    {"lseek", 3, TD},
    {"mmap", 6, TD|TM},
    {"mprotect", 3, TM},
    {"munmap", 2, TM},
    {"brk", 1, TM},
    {"rt_sigaction", 4, TS},
    {"rt_sigprocmask", 4, TS},
    {"rt_sigreturn", 0, TS},
    {"ioctl", 3, TD},
    {"pread64", 4, TD},
    {"pwrite64", 4, TD},
    {"readv", 3, TD},
    {"writev", 3, TD},
    {"access", 2, TF},
    {"pipe", 1, TD},
    {"select", 5, TD},
    {"sched_yield", 0, 0},
    {"mremap", 5, TM},
    {"msync", 3, TM},
    {"mincore", 3, TM},
    {"madvise", 3, TM},
    {"shmget", 3, TI},
    {"shmat", 3, TM|TI},
    {"shmctl", 3, TI},
    {"dup", 1, TD},
    {"dup2", 2, TD},
    {"pause", 0, TS},
    {"nanosleep", 2, 0},
    {"getitimer", 2, 0},
    {"alarm", 1, 0},
    {"setitimer", 3, 0},
    {"getpid", 0, TPU},
    {"sendfile", 4, TN|TD},
    {"socket", 3, TN},
    {"connect", 3, TN},
    {"accept", 3, TN},
    {"sendto", 6, TN},
    {"recvfrom", 6, TN},
    {"sendmsg", 3, TN},
    {"recvmsg", 3, TN},
    {"shutdown", 2, TN},
    {"bind", 3, TN},
    {"listen", 2, TN},
    {"getsockname", 3, TN},
    {"getpeername", 3, TN},
    {"socketpair", 4, TN},
    {"setsockopt", 5, TN},
    {"getsockopt", 5, TN},
    {"clone", 5, TP},
    {"fork", 0, TP},
    {"vfork", 0, TP},
    {"execve", 3, TF|TP},
    {"exit", 1, TP},
    {"wait4", 4, TP},
    {"kill", 2, TP|TS},
    {"uname", 1, 0},
    {"semget", 3, TI},
    {"semop", 3, TI},
    {"semctl", 4, TI},
    {"shmdt", 1, TM|TI},
    {"msgget", 2, TI},
    {"msgsnd", 4, TI},
    {"msgrcv", 5, TI},
    {"msgctl", 3, TI},
    {"fcntl", 3, TD},
    {"flock", 2, TD},
    {"fsync", 1, TD},
    {"fdatasync", 1, TD},
    {"truncate", 2, TF},
    {"ftruncate", 2, TD},
    {"getdents", 3, TD},
    {"getcwd", 2, TF},
    {"chdir", 1, TF},
    {"fchdir", 1, TD},
    {"rename", 2, TF},
    {"mkdir", 2, TF},
    {"rmdir", 1, TF},
    {"creat", 2, TF|TD},
    {"link", 2, TF},
    {"unlink", 1, TF},
    {"symlink", 2, TF},
    {"readlink", 3, TF},
    {"chmod", 2, TF},
    {"fchmod", 2, TD},
    {"chown", 3, TF},
    {"fchown", 3, TD},
    {"lchown", 3, TF},
    {"umask", 1, 0},
    {"gettimeofday", 2, TCL},
    {"getrlimit", 2, 0},
    {"getrusage", 2, 0},
    {"sysinfo", 1, 0},
    {"times", 1, 0},
    {"ptrace", 4, 0},
    {"getuid", 0, TC|TPU},
    {"syslog", 3, 0},
    {"getgid", 0, TC|TPU},
    {"setuid", 1, TC},
    {"setgid", 1, TC},
    {"geteuid", 0, TC|TPU},
    {"getegid", 0, TC|TPU},
    {"setpgid", 2, 0},
    {"getppid", 0, TPU},
    {"getpgrp", 0, TPU},
    {"setsid", 0, 0},
    {"setreuid", 2, TC},
    {"setregid", 2, TC},
    {"getgroups", 2, TC},
    {"setgroups", 2, TC},
    {"setresuid", 3, TC},
    {"getresuid", 3, TC},
    {"setresgid", 3, TC},
    {"getresgid", 3, TC},
    {"getpgid", 1, 0},
    {"setfsuid", 1, TC},
    {"setfsgid", 1, TC},
    {"getsid", 1, 0},
    {"capget", 2, TC},
    {"capset", 2, TC},
    {"rt_sigpending", 2, TS},
    {"rt_sigtimedwait", 4, TS},
    {"rt_sigqueueinfo", 3, TP|TS},
    {"rt_sigsuspend", 2, TS},
    {"sigaltstack", 2, TS},
    {"utime", 2, TF},
    {"mknod", 3, TF},
    {"uselib", 1, TF},
    {"personality", 1, 0},
    {"ustat", 2, TSFA},
    {"statfs", 2, TF|TSF|TSFA},
    {"fstatfs", 2, TD|TFSF|TSFA},
    {"sysfs", 3, 0},
    {"getpriority", 2, 0},
    {"setpriority", 3, 0},
    {"sched_setparam", 2, 0},
    {"sched_getparam", 2, 0},
    {"sched_setscheduler", 3, 0},
    {"sched_getscheduler", 1, 0},
    {"sched_get_priority_max", 1, 0},
    {"sched_get_priority_min", 1, 0},
    {"sched_rr_get_interval", 2, 0},
    {"mlock", 2, TM},
    {"munlock", 2, TM},
    {"mlockall", 1, TM},
    {"munlockall", 0, TM},
    {"vhangup", 0, 0},
    {"modify_ldt", 3, 0},
    {"pivot_root", 2, TF},
    {"_sysctl", 1, 0},
    {"prctl", 5, TC},
    {"arch_prctl", 2, 0},
    {"adjtimex", 1, TCL},
    {"setrlimit", 2, 0},
    {"chroot", 1, TF},
    {"sync", 0, 0},
    {"acct", 1, TF},
    {"settimeofday", 2, TCL},
    {"mount", 5, TF},
    {"umount2", 2, TF},
    {"swapon", 2, TF},
    {"swapoff", 1, TF},
    {"reboot", 4, 0},
    {"sethostname", 2, 0},
    {"setdomainname", 2, 0},
    {"iopl", 1, 0},
    {"ioperm", 3, 0},
    {"create_module", 2, 0},
    {"init_module", 3, 0},
    {"delete_module", 2, 0},
    {"get_kernel_syms", 1, 0},
    {"query_module", 5, 0},
    {"quotactl", 4, TF},
    {"nfsservctl", 3, 0},
    {"getpmsg", 5, TN},
    {"putpmsg", 5, TN},
    {"afs_syscall", 5, 0},
    {"tuxcall", 3, 0},
    {"security", 3, 0},
    {"gettid", 0, TPU},
    {"readahead", 3, TD},
    {"setxattr", 5, TF},
    {"lsetxattr", 5, TF},
    {"fsetxattr", 5, TD},
    {"getxattr", 4, TF},
    {"lgetxattr", 4, TF},
    {"fgetxattr", 4, TD},
    {"listxattr", 3, TF},
    {"llistxattr", 3, TF},
    {"flistxattr", 3, TD},
    {"removexattr", 2, TF},
    {"lremovexattr", 2, TF},
    {"fremovexattr", 2, TD},
    {"tkill", 2, TP|TS},
    {"time", 1, TCL},
    {"futex", 6, 0},
    {"sched_setaffinity", 3, 0},
    {"sched_getaffinity", 3, 0},
    {"set_thread_area", 1, 0},
    {"io_setup", 2, TM},
    {"io_destroy", 1, TM},
    {"io_getevents", 5, 0},
    {"io_submit", 3, 0},
    {"io_cancel", 3, 0},
    {"get_thread_area", 1, 0},
    {"lookup_dcookie", 3, 0},
    {"epoll_create", 1, TD},
    {"epoll_ctl_old", 4, 0},
    {"epoll_wait_old", 4, 0},
    {"remap_file_pages", 5, TM},
    {"getdents64", 3, TD},
    {"set_tid_address", 1, 0},
    {"restart_syscall", 0, 0},
    {"semtimedop", 4, TI},
    {"fadvise64", 4, TD},
    {"timer_create", 3, 0},
    {"timer_settime", 4, 0},
    {"timer_gettime", 2, 0},
    {"timer_getoverrun", 1, 0},
    {"timer_delete", 1, 0},
    {"clock_settime", 2, TCL},
    {"clock_gettime", 2, TCL},
    {"clock_getres", 2, TCL},
    {"clock_nanosleep", 4, 0},
    {"exit_group", 1, TP},
    {"epoll_wait", 4, TD},
    {"epoll_ctl", 4, TD},
    {"tgkill", 3, TP|TS},
    {"utimes", 2, TF},
    {"vserver", 5, 0},
    {"mbind", 6, TM},
    {"set_mempolicy", 3, TM},
    {"get_mempolicy", 5, TM},
    {"mq_open", 4, TD},
    {"mq_unlink", 1, 0},
    {"mq_timedsend", 5, TD},
    {"mq_timedreceive", 5, TD},
    {"mq_notify", 2, TD},
    {"mq_getsetattr", 3, TD},
    {"kexec_load", 4, 0},
    {"waitid", 5, TP},
    {"add_key", 5, 0},
    {"request_key", 4, 0},
    {"keyctl", 5, 0},
    {"ioprio_set", 3, 0},
    {"ioprio_get", 2, 0},
    {"inotify_init", 0, TD},
    {"inotify_add_watch", 3, TF|TD},
    {"inotify_rm_watch", 2, TD},
    {"migrate_pages", 4, TM},
    {"openat", 4, TF|TD},
    {"mkdirat", 3, TF|TD},
    {"mknodat", 4, TF|TD},
    {"fchownat", 5, TF|TD},
    {"futimesat", 3, TF|TD},
    {"newfstatat", 4, TF|TD|TFST|TSTA},
    {"unlinkat", 3, TF|TD},
    {"renameat", 4, TF|TD},
    {"linkat", 5, TF|TD},
    {"symlinkat", 3, TF|TD},
    {"readlinkat", 4, TF|TD},
    {"fchmodat", 3, TF|TD},
    {"faccessat", 3, TF|TD},
    {"pselect6", 6, TD},
    {"ppoll", 5, TD},
    {"unshare", 1, 0},
    {"set_robust_list", 2, 0},
    {"get_robust_list", 3, 0},
    {"splice", 6, TD},
    {"tee", 4, TD},
    {"sync_file_range", 4, TD},
    {"vmsplice", 4, TD},
    {"move_pages", 6, TM},
    {"utimensat", 4, TF|TD},
    {"epoll_pwait", 6, TD},
    {"signalfd", 3, TS|TD},
    {"timerfd_create", 2, TD},
    {"eventfd", 1, TD},
    {"fallocate", 4, TD},
    {"timerfd_settime", 4, TD},
    {"timerfd_gettime", 2, TD},
    {"accept4", 4, TN},
    {"signalfd4", 4, TS|TD},
    {"eventfd2", 2, TD},
    {"epoll_create1", 1, TD},
    {"dup3", 3, TD},
    {"pipe2", 2, TD},
    {"inotify_init1", 1, TD},
    {"preadv", 4, TD},
    {"pwritev", 4, TD},
    {"rt_tgsigqueueinfo", 4, TP|TS},
    {"perf_event_open", 5, TD},
    {"recvmmsg", 5, TN},
    {"fanotify_init", 2, TD},
    {"fanotify_mark", 5, TF|TD},
    {"prlimit64", 4, 0},
    {"name_to_handle_at", 5, TF|TD},
    {"open_by_handle_at", 3, TD},
    {"clock_adjtime", 2, TCL},
    {"syncfs", 1, TD},
    {"sendmmsg", 4, TN},
    {"setns", 2, TD},
    {"getcpu", 3, 0},
    {"process_vm_readv", 6, 0},
    {"process_vm_writev", 6, 0},
    {"kcmp", 5, 0},
    {"finit_module", 3, TD},
    {"sched_setattr", 3, 0},
    {"sched_getattr", 4, 0},
    {"renameat2", 5, TF|TD},
    {"seccomp", 3, 0},
    {"getrandom", 3, 0},
    {"memfd_create", 2, TD},
    {"kexec_file_load", 5, TD},
    {"bpf", 3, TD},
    {"execveat", 5, TF|TP|TD},
    {"userfaultfd", 1, TD},
    {"membarrier", 3, 0},
    {"mlock2", 3, TM},
    {"copy_file_range", 6, TD},
    {"preadv2", 6, TD},
    {"pwritev2", 6, TD},
    {"pkey_mprotect", 4, TM},
    {"pkey_alloc", 2, 0},
    {"pkey_free", 1, 0},
    {"statx", 5, TF|TD|TFST|TSTA},
    {"io_pgetevents", 6, 0},
    {"rseq", 4, 0},
    {"uretprobe", 0, 0},
    {"pidfd_send_signal", 4, TP|TS|TD},
    {"io_uring_setup", 2, TD},
    {"io_uring_enter", 6, TS|TD},
    {"io_uring_register", 4, TD|TM},
    {"open_tree", 3, TF|TD},
    {"move_mount", 5, TF|TD},
    {"fsopen", 2, TD},
    {"fsconfig", 5, TF|TD},
    {"fsmount", 3, TD},
    {"fspick", 3, TF|TD},
    {"pidfd_open", 2, TD},
    {"clone3", 2, TP},
    {"close_range", 3, 0},
    {"openat2", 4, TF|TD},
    {"pidfd_getfd", 3, TD},
    {"faccessat2", 4, TF|TD},
    {"process_madvise", 5, TD},
    {"epoll_pwait2", 6, TD},
    {"mount_setattr", 5, TF|TD},
    {"quotactl_fd", 4, TD},
    {"landlock_create_ruleset", 3, TD},
    {"landlock_add_rule", 4, TD},
    {"landlock_restrict_self", 2, TD},
    {"memfd_secret", 1, TD},
    {"process_mrelease", 2, TD},
    {"futex_waitv", 5, 0},
    {"set_mempolicy_home_node", 4, TM},
    {"cachestat", 4, TD},
    {"fchmodat2", 4, TF|TD},
    {"map_shadow_stack", 3, TM},
    {"futex_wake", 4, 0},
    {"futex_wait", 6, 0},
    {"futex_requeue", 4, 0},
    {"statmount", 4, 0},
    {"listmount", 4, 0},
    {"lsm_get_self_attr", 4, 0},
    {"lsm_set_self_attr", 4, 0},
    {"lsm_list_modules", 3, 0},
    {"mseal", 3, TM},
    {"setxattrat", 6, TF|TD},
    {"getxattrat", 6, TF|TD},
    {"listxattrat", 5, TF|TD},
    {"removexattrat", 4, TF|TD},
    {"open_tree_attr", 5, TF|TD},
    {"file_getattr", 5, TF|TD},
    {"file_setattr", 5, TF|TD},
};

struct NumberedName {
  long nr;
  const char* name;
};
// syscall_list.h guards itself with #pragma once: it is expanded exactly once, here.
const NumberedName kNumbered[] = {
#define SYSCALL(nr, name) {nr, #name},
#include "../tables/generated/syscall_list.h"
#undef SYSCALL
};

const DecoderFamily* const kFamilies[] = {&family_file,   &family_desc,   &family_net,
                                          &family_process, &family_signal, &family_memory,
                                          &family_ipc,    &family_time,   &family_misc,
                                          &family_ioctl,  &family_kernel, &family_fsapi,
                                          &family_keys,   &family_quota,
                                          &family_aio,    &family_perf,   &family_bpf};

struct Table {
  std::vector<SyscallEnt> ents;  // indexed by number; name nullptr where no syscall has that number
  std::unordered_map<std::string, long> by_name;
  long max = -1;

  Table() {
    for (const NumberedName& n : kNumbered)
      if (n.nr > max) max = n.nr;
    ents.assign(static_cast<size_t>(max + 1), SyscallEnt{nullptr, 6, 0, nullptr});
    std::unordered_map<std::string, const SyscallInfo*> info;
    for (const SyscallInfo& i : kInfo) info.emplace(i.name, &i);
    for (const NumberedName& n : kNumbered) {
      SyscallEnt& e = ents[static_cast<size_t>(n.nr)];
      e.name = n.name;
      auto it = info.find(e.name);
      if (it != info.end()) {
        e.nargs = it->second->nargs;
        e.classes = it->second->classes;
      }
      by_name.emplace(e.name, n.nr);
    }
    merge_families();
  }

  // Each family lists {name, decoder}. A name that no syscall has, or that two families (or one
  // family twice) claim, is a programming error: abort in debug builds (node-gyp's Debug defines
  // DEBUG; its Release defines neither DEBUG nor NDEBUG), report it on stderr in release.
  void merge_families() {
    std::unordered_map<std::string, const void*> owner;
    for (const DecoderFamily* f : kFamilies) {
      for (size_t i = 0; i < f->count; i++) {
        const NamedDecoder& d = f->decoders[i];
        if (!d.name || !d.fn) continue;
        auto nr = by_name.find(d.name);
        if (nr == by_name.end()) {
          complain("decoder for unknown syscall", d.name);
          continue;
        }
        if (!owner.emplace(d.name, f).second) {
          complain("two decoders for syscall", d.name);
          continue;
        }
        ents[static_cast<size_t>(nr->second)].fn = d.fn;
      }
    }
  }

  static void complain(const char* what, const char* name) {
    fprintf(stderr, "systrace decoder table: %s %s\n", what, name);
#if defined(DEBUG) || defined(_DEBUG)
    abort();
#endif
  }
};

const Table& table() {
  static const Table t;
  return t;
}

// Numbers no syscall has: strace prints them as syscall_0x1c8(...) with six arguments.
const SyscallEnt& unknown_ent(long nr) {
  static std::mutex mu;
  static std::unordered_map<long, SyscallEnt> ents;
  static std::deque<std::string> names;
  std::lock_guard<std::mutex> lock(mu);
  auto it = ents.find(nr);
  if (it != ents.end()) return it->second;
  char name[40];
  snprintf(name, sizeof name, "syscall_%#lx", static_cast<unsigned long>(nr));
  names.emplace_back(name);
  return ents.emplace(nr, SyscallEnt{names.back().c_str(), 6, 0, nullptr}).first->second;
}

}  // namespace

const SyscallEnt& syscall_ent(long nr) {
  const Table& t = table();
  return syscall_known(nr) ? t.ents[static_cast<size_t>(nr)] : unknown_ent(nr);
}

long syscall_max() { return table().max; }

bool syscall_known(long nr) {
  const Table& t = table();
  return nr >= 0 && nr <= t.max && t.ents[static_cast<size_t>(nr)].name;
}

long syscall_by_name(const std::string& name) {
  const Table& t = table();
  auto it = t.by_name.find(name);
  return it == t.by_name.end() ? -1 : it->second;
}

int decode_call(Call& c) {
  const SyscallEnt& e = syscall_ent(c.nr);
  const bool raw = c.opts && c.opts->raw;
  if (!raw && e.fn) return e.fn(c);
  // Undecoded (or -e raw): every argument as the register holds it, 0 or 0x-hex, all at entry.
  if (c.entering()) {
    for (int i = 0; i < e.nargs && i < 6; i++) {
      if (i) c.print(", ");
      print_hex(c, c.args[i]);
    }
  }
  return RVAL_DECODED | (raw ? RVAL_HEX : 0);
}

namespace {
// Whether the decoder's note follows the return value in parentheses (never with -e raw=).
bool has_note(const Call& c, int flags, bool raw) {
  return !raw && (flags & RVAL_STR) && (!c.aux.empty() || (flags & RVAL_STR_ALWAYS));
}
}  // namespace

void print_rval(Call& c, int flags) {
  const char* note = c.rval_note ? c.rval_note : "";
  const bool raw = c.opts && c.opts->raw;
  if (c.error && (raw || !(flags & RVAL_NONE))) {
    const char* name = errno_name(c.error);
    const char* text = errno_text(c.error);
    // A syscall interrupted by a signal that the kernel will restart has no return value yet.
    const bool restart = !raw && c.error >= 512 && c.error <= 516 && c.error != 515;
    if (restart && name) {
      c.printf(" = ? %s (%s)", name, text ? text : "");
    } else {
      if (flags & RVAL_PRINT_ERR_VAL)
        c.printf(" = %" PRId64, c.rval);
      else
        c.print(" = -1");
      if (name)
        c.printf(" %s (%s)", name, text ? text : "");
      else
        c.printf(" (errno %d)", c.error);
    }
    // strace: the injection note, then the decoder's note.
    c.print(note);
    if (has_note(c, flags, raw)) c.printf(" (%s)", c.aux.c_str());
    return;
  }
  if (flags & RVAL_NONE) {
    c.print(" = ?");
    c.print(note);
    return;
  }
  c.print(" = ");
  const uint64_t v = static_cast<uint64_t>(c.rval);
  if (flags & RVAL_HEX) {
    print_hex(c, v);
  } else if (flags & RVAL_OCTAL) {
    c.printf("%#03llo", static_cast<unsigned long long>(v));
  } else if (flags & RVAL_UDECIMAL) {
    print_udec(c, v);
  } else if ((flags & RVAL_FD) && c.rval >= 0 && c.rval <= INT_MAX) {
    // A value no int can hold is no descriptor (an injected retval=): the number alone, as strace.
    print_fd(c, static_cast<int>(c.rval));
  } else if (flags & (RVAL_TGID | RVAL_TID | RVAL_PGID | RVAL_SID)) {
    const PidType type = flags & RVAL_TID ? PT_TID : flags & RVAL_PGID ? PT_PGID : flags & RVAL_SID ? PT_SID : PT_TGID;
    print_pid(c, static_cast<int>(c.rval), type);
  } else {
    print_dec(c, c.rval);
  }
  if (has_note(c, flags, raw)) c.printf(" (%s)", c.aux.c_str());
  c.print(note);
}

}  // namespace decode
