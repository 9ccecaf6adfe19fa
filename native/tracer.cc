#include "tracer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstddef>
#include <cstring>

#include "writer.h"

namespace engine {

namespace {

// The signal that wakes the tracer thread out of wait4 when JS has a command for it.
int wake_signal() { return SIGRTMIN + 6; }

// Set on the tracer thread when its flush timer fires. Output is flushed by that timer (at most
// kFlushDelayMs after it was written) rather than before every wait: a write per stop would cost
// as much as the stop itself.
thread_local volatile sig_atomic_t t_flush_due = 0;
constexpr long kFlushDelayMs = 30;
// A backlog of records this big, once drained, has its memory given back to the system.
constexpr size_t kTrimBacklog = 16384;
// Set when the -e inject=...:delay_* timer fires (its sigev_value is kDelayTimer).
thread_local volatile sig_atomic_t t_delay_due = 0;
constexpr int kDelayTimer = 1;

void on_wake(int, siginfo_t* si, void*) {
  if (!si || si->si_code != SI_TIMER) return;
  if (si->si_value.sival_int == kDelayTimer)
    t_delay_due = 1;
  else
    t_flush_due = 1;
}

uint64_t ts_ns(clockid_t clk) {
  struct timespec ts;
  clock_gettime(clk, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

bool is_stop_signal(int sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

// The start of /proc/TID/FILE into buf, NUL-terminated: its length, or -1 when the thread is gone.
ssize_t read_task_file(pid_t tid, const char* file, char* buf, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", tid, file);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  return n;
}

// Thread group of a thread, from /proc (0 when it is gone).
pid_t read_tgid(pid_t tid) {
  char buf[512];
  if (read_task_file(tid, "status", buf, sizeof buf) < 0) return 0;
  const char* p = strstr(buf, "\nTgid:");
  return p ? static_cast<pid_t>(atoi(p + 6)) : 0;
}

// A thread's state letter from /proc/TID/stat (R, S, D, T...), or 0 when it is gone.
char read_task_state(pid_t tid) {
  char buf[512];
  if (read_task_file(tid, "stat", buf, sizeof buf) < 0) return 0;
  const char* p = strrchr(buf, ')');  // comm may hold spaces and parentheses
  return p && p[1] == ' ' ? p[2] : 0;
}

// The syscall a thread is in (first field of /proc/TID/syscall), or -1.
long read_current_syscall(pid_t tid) {
  char buf[64];
  if (read_task_file(tid, "syscall", buf, sizeof buf) < 0 || buf[0] < '0' || buf[0] > '9') return -1;
  return atol(buf);
}

// A thread's name as /proc/TID/comm gives it, without the newline ("" when it is gone).
std::string read_comm(pid_t tid) {
  char buf[64];
  ssize_t n = read_task_file(tid, "comm", buf, sizeof buf);
  if (n <= 0) return std::string();
  if (buf[n - 1] == '\n') n--;
  return std::string(buf, static_cast<size_t>(n));
}

std::vector<pid_t> list_tasks(pid_t pid) {
  std::vector<pid_t> out;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", pid);
  DIR* d = opendir(path);
  if (!d) return out;
  while (struct dirent* e = readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    out.push_back(static_cast<pid_t>(atoi(e->d_name)));
  }
  closedir(d);
  // The leader first: its seize decides whether we may trace the process at all.
  for (size_t i = 0; i < out.size(); i++)
    if (out[i] == pid) std::swap(out[0], out[i]);
  return out;
}

}  // namespace

uint64_t mono_ns() { return ts_ns(CLOCK_MONOTONIC); }
uint64_t wall_us() { return ts_ns(CLOCK_REALTIME) / 1000; }

Tracer::Tracer(const Options& opts) : opts_(opts) {
  namespace_init_ = getpid() == 1;
  if (opts_.text) {
    // --plain: the decoders' diagnostics go to stderr, as strace's do.
    opts_.dec.report = [](void* ctx, const std::string& text) { static_cast<Tracer*>(ctx)->message("%s", text.c_str()); };
    opts_.dec.report_ctx = this;
  }
  for (unsigned v = 0; v < 8; v++) {
    decode::Options& d = dec_variants_[v];
    d = opts_.dec;
    if (v & 1) d.verbose = true;
    if (v & 2) d.decode_structs = false;
    if (v & 4) d.raw = true;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_wake;  // no SA_RESTART: wait4 must return EINTR
  sa.sa_flags = SA_SIGINFO;
  sigaction(wake_signal(), &sa, nullptr);
  if (opts_.text) writer_ = std::make_unique<Writer>(opts_);
  if (opts_.stack_traces && StackUnwinder::available()) unwinder_ = std::make_unique<StackUnwinder>();
  // TRACEEXIT, as strace: a thread about to exit stops once more, so a call it dies in ends its line
  // (" = ?") at that moment, before the lines that follow its death (another thread's execve).
  seize_options_ = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT;
  if (opts_.follow_forks) seize_options_ |= PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
  start_ns_ = mono_ns();
  calls_left_ = opts_.syscall_limit;
  // The engine is built on PTRACE_GET_SYSCALL_INFO (Linux 5.3); a seccomp filter on us may still
  // refuse it. Asked of pid 0 (no tracee of ours), the kernel answers ESRCH; anything else is the
  // filter's answer, and the registers take its place.
  legacy_syscall_info_ = ptrace(PTRACE_GET_SYSCALL_INFO, 0, 0, nullptr) < 0 && errno != ESRCH;
  if (opts_.debug && writer_) {
    // -d: what strace reports first.
    message("ptrace_setoptions = %#x", seize_options_);
    message(legacy_syscall_info_ ? "PTRACE_GET_SYSCALL_INFO does not work" : "PTRACE_GET_SYSCALL_INFO works");
  }
  thread_ = std::thread([this] { loop(); });
  thread_handle_ = thread_.native_handle();
  started_ = true;
}

Tracer::~Tracer() { shutdown(); }

int Tracer::writer_open_error() const { return writer_ ? writer_->open_error() : 0; }

// ---------------------------------------------------------------- commands

void Tracer::kick() {
  if (started_) pthread_kill(thread_handle_, wake_signal());
}

int Tracer::run_command(std::function<int()> fn) {
  if (!thread_.joinable() || stopping_) return ESRCH;
  if (std::this_thread::get_id() == thread_.get_id()) return fn();
  auto cmd = std::make_shared<Command>();
  cmd->fn = std::move(fn);
  std::unique_lock<std::mutex> lk(cmd_mu_);
  commands_.push_back(cmd);
  cmd_cv_.notify_all();
  // The tracer may be blocked in wait4: signal it until it has picked the command up (a signal
  // sent just before it enters wait4 would be lost, so one is not enough).
  while (!cmd->finished) {
    lk.unlock();
    kick();
    lk.lock();
    done_cv_.wait_for(lk, std::chrono::milliseconds(2), [&] { return cmd->finished; });
  }
  return cmd->result;
}

void Tracer::run_pending_commands() {
  for (;;) {
    std::shared_ptr<Command> cmd;
    {
      std::lock_guard<std::mutex> lk(cmd_mu_);
      if (commands_.empty()) return;
      cmd = commands_.front();
      commands_.pop_front();
    }
    int r = 0;
    try {
      r = cmd->fn();
    } catch (...) {
      r = EINVAL;
    }
    std::lock_guard<std::mutex> lk(cmd_mu_);
    cmd->result = r;
    cmd->finished = true;
    done_cv_.notify_all();
  }
}

// ---------------------------------------------------------------- the loop

void Tracer::loop() {
  sigset_t mask;
  sigfillset(&mask);
  sigdelset(&mask, wake_signal());
  for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigdelset(&mask, s);
  // Every ptrace stop sends SIGCHLD to this thread. Unblocked, a default-disposition SIGCHLD is
  // dropped at once; blocked, the kernel hands it to another thread of Node's (its main thread),
  // waking that thread at every stop for nothing.
  sigdelset(&mask, SIGCHLD);
  pthread_sigmask(SIG_SETMASK, &mask, nullptr);
  t_flush_due = 0;
  timer_t flush_timer;
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = wake_signal();
  sev._sigev_un._tid = static_cast<pid_t>(syscall(SYS_gettid));
  bool have_timer = timer_create(CLOCK_MONOTONIC, &sev, &flush_timer) == 0;
  bool timer_armed = false;
  bool had_tracees = false;
  for (;;) {
    if (t_flush_due) {
      t_flush_due = 0;
      timer_armed = false;
      if (writer_) writer_->flush();
    }
    if (t_delay_due || !delays_.empty()) {
      t_delay_due = 0;
      release_delayed(mono_ns());
    }
    if (limit_reached_) {
      limit_reached_ = false;
      if (writer_ && !(opts_.quiet & QUIET_ATTACH)) message("System call limit has been reached, detaching tracees");
      detach_all_now();
    }
    run_pending_commands();
    if (stopping_) break;
    if (!tcbs_.empty()) had_tracees = true;
    if (tcbs_.empty()) {
      if (writer_) writer_->flush();
      if (had_tracees) done_ = true;
      std::unique_lock<std::mutex> lk(cmd_mu_);
      cmd_cv_.wait(lk, [&] { return !commands_.empty() || stopping_; });
      continue;
    }
    done_ = false;
    // JS is buffer_cap records behind: no stop is taken (and no tracee resumed) until it drains
    // some. Nothing is dropped, as strace drops nothing (its tracees wait while it writes), and the
    // records waiting take bounded memory however long the UI lags. Commands, the -o flush and
    // injected delays still run meanwhile: the loop comes back here.
    if (opts_.records && records_full()) {
      uint64_t t0 = mono_ns();
      {
        std::unique_lock<std::mutex> lk(cmd_mu_);
        cmd_cv_.wait_for(lk, std::chrono::milliseconds(20), [&] { return !commands_.empty() || stopping_ || !records_full(); });
      }
      held_ns_ += mono_ns() - t0;
      continue;
    }
    int status = 0;
    struct rusage ru;
    if (writer_ && writer_->pending() && !timer_armed) {
      if (have_timer) {
        struct itimerspec its;
        memset(&its, 0, sizeof its);
        its.it_value.tv_nsec = kFlushDelayMs * 1000000L;
        timer_armed = timer_settime(flush_timer, 0, &its, nullptr) == 0;
      }
      if (!timer_armed) writer_->flush();
    }
    // The kernel sums the tracee's rusage on every wait that asks for it: only -c's system time does.
    struct rusage* want_ru = opts_.count && !opts_.wall_time ? &ru : nullptr;
    pid_t p = wait4(-1, &status, __WALL | __WNOTHREAD, want_ru);
    if (p < 0) {
      if (errno == EINTR) continue;
      if (errno == ECHILD) {
        // Nothing left that we could wait for: whatever we still hold is stale.
        std::vector<pid_t> stale;
        for (auto& [tid, t] : tcbs_) stale.push_back(tid);
        for (pid_t tid : stale) on_thread_gone(tid, 0, false);
      }
      continue;
    }
    handle_wait(p, status, ru);
  }
  if (have_timer) timer_delete(flush_timer);
  if (have_delay_timer_) timer_delete(delay_timer_);
  if (writer_) writer_->flush();
}

// Reaps the exited tracees that were reparented to us (see namespace_init_); forgets those that
// are gone (their parent reaped them). One that is still another process's zombie stays a candidate.
void Tracer::reap_orphans() {
  size_t kept = 0;
  for (pid_t pid : orphan_candidates_) {
    int st;
    pid_t r = waitpid(pid, &st, WNOHANG | __WALL);
    if (r == pid) continue;
    if (r < 0 && errno == ECHILD && kill(pid, 0) < 0 && errno == ESRCH) continue;
    orphan_candidates_[kept++] = pid;
  }
  orphan_candidates_.resize(kept);
}

// Waits for stops until pred() holds or the deadline passes (threads in D state may not stop soon).
bool Tracer::wait_until(const std::function<bool()>& pred, int timeout_ms) {
  uint64_t deadline = mono_ns() + static_cast<uint64_t>(timeout_ms) * 1000000ull;
  while (!pred()) {
    int status = 0;
    struct rusage ru;
    pid_t p = wait4(-1, &status, __WALL | __WNOTHREAD | WNOHANG, opts_.count && !opts_.wall_time ? &ru : nullptr);
    if (p > 0) {
      handle_wait(p, status, ru);
      continue;
    }
    if (p < 0 && errno == ECHILD) {
      std::vector<pid_t> stale;
      for (auto& [tid, t] : tcbs_) stale.push_back(tid);
      for (pid_t tid : stale) on_thread_gone(tid, 0, false);
      continue;
    }
    if (mono_ns() > deadline) return false;
    usleep(200);
  }
  return true;
}

void Tracer::handle_wait(pid_t tid, int status, const struct rusage& ru) {
  if (WIFEXITED(status) || WIFSIGNALED(status)) {
    on_thread_gone(tid, status, true);
    if (namespace_init_) {
      orphan_candidates_.push_back(tid);
      reap_orphans();
    }
    return;
  }
  if (!WIFSTOPPED(status)) return;
  auto it = tcbs_.find(tid);
  Tcb* t;
  if (it == tcbs_.end()) {
    if (!opts_.follow_forks) {
      // Without -f the only way a process we did not attach can stop here is a clone with
      // CLONE_PTRACE: it is not ours to trace, so it goes free at once, as strace lets it go.
      ptrace(PTRACE_DETACH, tid, nullptr, nullptr);
      if (writer_ && !(opts_.quiet & QUIET_ATTACH)) message("Detached unknown pid %d", tid);
      return;
    }
    // A child can report its first stop before its parent reports the fork event.
    pid_t tgid = read_tgid(tid);
    t = &add_tcb(tid, tgid ? tgid : tid);
    t->unannounced = true;
    note_attached(tid);
  } else {
    t = it->second.get();
  }
  if (opts_.count && !opts_.wall_time)
    t->last_stime_ns = static_cast<int64_t>(ru.ru_stime.tv_sec) * 1000000000ll + ru.ru_stime.tv_usec * 1000ll;
  int sig = WSTOPSIG(status);
  unsigned event = static_cast<unsigned>(status) >> 16;
  if (sig == (SIGTRAP | 0x80)) {
    on_syscall_stop(*t);
    return;
  }
  switch (event) {
    case 0:
      on_signal_stop(*t, sig);
      return;
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK:
    case PTRACE_EVENT_CLONE: {
      unsigned long child = 0;
      if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0 && child) on_new_child(*t, static_cast<pid_t>(child));
      restart(*t, 0);
      return;
    }
    case PTRACE_EVENT_EXEC:
      on_exec(*t);
      return;
    case PTRACE_EVENT_SECCOMP:
      on_syscall_stop(*t, true);
      return;
    case PTRACE_EVENT_EXIT:
      on_exit_event(*t);
      return;
    case PTRACE_EVENT_STOP:
      on_event_stop(*t, sig);
      return;
    default:
      restart(*t, 0);
      return;
  }
}

// ---------------------------------------------------------------- thread bookkeeping

Tcb& Tracer::add_tcb(pid_t tid, pid_t pid) {
  auto& slot = tcbs_[tid];
  if (!slot) {
    gone_unannounced_.erase(tid);  // the tid was reused: whatever we remembered of it is void
    slot = std::make_unique<Tcb>();
    slot->tid = tid;
    slot->pid = pid;
    slot->call.opts = &opts_.dec;
    slot->call.out = &slot->line;
    if (opts_.debug && writer_) message("new tcb for pid %d, active tcbs:%zu", tid, tcbs_.size());
    if (opts_.decode_pids & decode::DECODE_PIDS_COMM) slot->comm = read_comm(tid);
    count_tcb(pid, +1);
  }
  return *slot;
}

// The thread and process counts follow each tcb as it comes and goes (a tcb's pid never changes):
// recounting every tcb at each change made attaching to N threads cost N^2 (seconds for 10,000).
void Tracer::count_tcb(pid_t pid, int delta) {
  auto it = pid_threads_.try_emplace(pid, 0).first;
  it->second += delta;
  if (it->second <= 0) pid_threads_.erase(it);
  nprocs_ = static_cast<unsigned>(pid_threads_.size());
  nthreads_ = static_cast<unsigned>(tcbs_.size());
}

void Tracer::drop_tcb(pid_t tid) {
  auto it = tcbs_.find(tid);
  if (it == tcbs_.end()) return;
  if (writer_) writer_->forget(*it->second);
  pid_t pid = it->second->pid;
  tcbs_.erase(it);
  count_tcb(pid, -1);
}

// Never drops: the loop stops taking stops once buffer_cap records wait (records_full), so the
// queue passes the cap only by what one stop or one command makes.
void Tracer::push(Record&& r) {
  total_++;
  if (!opts_.records) return;
  std::lock_guard<std::mutex> lk(rec_mu_);
  records_.push_back(std::move(r));
}

bool Tracer::records_full() {
  std::lock_guard<std::mutex> lk(rec_mu_);
  return records_.size() >= opts_.buffer_cap;
}

static Record base_record(RecordKind kind, const Tcb& t) {
  Record r;
  r.kind = kind;
  r.pid = t.pid;
  r.tid = t.tid;
  r.entry_ns = mono_ns();
  r.wall_us = wall_us();
  return r;
}

const decode::Options* Tracer::call_options(long nr) const {
  auto in = [nr](const std::vector<uint8_t>& set, bool dflt) {
    if (set.empty()) return dflt;
    return nr >= 0 && static_cast<size_t>(nr) < set.size() && set[nr] != 0;
  };
  unsigned v = 0;
  if (!in(opts_.abbrev_calls, true)) v |= 1;
  if (!in(opts_.verbose_calls, true)) v |= 2;
  if (in(opts_.raw_calls, false)) v |= 4;
  return v ? &dec_variants_[v] : &opts_.dec;
}

// A number without a name (beyond the table, or one of its gaps) is traced whatever -e trace= says,
// as strace does: no name selects or leaves it out, so syscall_0x1f4(...) shows under trace=none too.
bool Tracer::call_traced(long nr) const {
  if (opts_.traced.empty() || !decode::syscall_known(nr)) return true;
  return static_cast<size_t>(nr) < opts_.traced.size() && opts_.traced[nr];
}

// ---------------------------------------------------------------- restarting

void Tracer::restart(Tcb& t, int sig) {
  if (t.delay_until && !leaving(t)) {
    t.held_sig = sig;  // delay_*: restarted (with this signal) when the delay is over
    return;
  }
  if (leaving(t)) {
    t.held_sig = sig;
    detach_tcb(t);
    return;
  }
  if (paused_) {
    t.held = true;
    t.held_sig = sig;
    return;
  }
  t.held = false;
  int req = (t.seccomp_mode && !t.in_syscall && !t.hide_until_exec) ? PTRACE_CONT : PTRACE_SYSCALL;
  ptrace(static_cast<enum __ptrace_request>(req), t.tid, 0, sig);
  // ESRCH here means the thread was killed meanwhile; its exit status is still to come.
}

void Tracer::detach_tcb(Tcb& t) {
  pid_t tid = t.tid;
  if (t.in_syscall && t.shown) {
    // The text output is strace's: "read(0,  <detached ...>" if the line is still open, else
    // nothing; the record for JS is closed like any unfinished call.
    if (writer_)
      writer_->detached(t, !opts_.count_only && opts_.status_mask != STATUS_ALL && (opts_.status_mask & STATUS_DETACHED),
                        nprocs_);
    finish_unfinished(t, " <detached ...>", false);
  }
  ptrace(PTRACE_DETACH, tid, 0, t.held_sig);
  Record r = base_record(RecordKind::Detach, t);
  r.text = "detached";
  push(std::move(r));
  drop_tcb(tid);
}

// ---------------------------------------------------------------- syscalls

// What PTRACE_GET_SYSCALL_INFO says of a stop, read from the registers (x86_64) when it is refused
// to us. At a syscall-entry stop the kernel has set rax to -ENOSYS; an exit stop of a call whose
// entry we did not see (attached in the middle of it) is op NONE, as the exits the engine skips.
static long syscall_info_from_regs(pid_t tid, bool in_syscall, bool seccomp_stop, struct __ptrace_syscall_info* info) {
  struct user_regs_struct r;
  if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0) return -1;
  info->instruction_pointer = r.rip;
  info->stack_pointer = r.rsp;
  info->arch = AUDIT_ARCH_X86_64;
  const bool entry = seccomp_stop || (!in_syscall && static_cast<int64_t>(r.rax) == -ENOSYS);
  if (entry) {
    info->op = seccomp_stop ? PTRACE_SYSCALL_INFO_SECCOMP : PTRACE_SYSCALL_INFO_ENTRY;
    // entry and seccomp begin alike (nr, args); the union's seccomp.ret_data is not used here.
    info->entry.nr = r.orig_rax;
    const uint64_t args[6] = {r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9};
    memcpy(info->entry.args, args, sizeof args);
  } else if (in_syscall) {
    info->op = PTRACE_SYSCALL_INFO_EXIT;
    info->exit.rval = static_cast<int64_t>(r.rax);
    info->exit.is_error = r.rax >= static_cast<uint64_t>(-4095);
  } else {
    info->op = PTRACE_SYSCALL_INFO_NONE;
  }
  return sizeof *info;
}

long Tracer::syscall_info(Tcb& t, bool seccomp_stop, struct __ptrace_syscall_info* info) {
  memset(info, 0, sizeof *info);
  if (legacy_syscall_info_) return syscall_info_from_regs(t.tid, t.in_syscall, seccomp_stop, info);
  return ptrace(PTRACE_GET_SYSCALL_INFO, t.tid, sizeof *info, info);
}

void Tracer::on_syscall_stop(Tcb& t, bool seccomp_stop) {
  if (leaving(t)) {
    // Detach at once. Most likely this stop is the syscall-exit our PTRACE_INTERRUPT caused (a
    // sleep cut short with ERESTART_*): it is no result of the program's, and the kernel restarts
    // the call once we are gone. strace does not print it either.
    t.held_sig = 0;
    detach_tcb(t);
    return;
  }
  struct __ptrace_syscall_info info;
  long n = syscall_info(t, seccomp_stop, &info);
  if (n <= 0) {
    restart(t, 0);
    return;
  }
  t.ip = info.instruction_pointer;
  t.ip_known = true;
  switch (info.op) {
    case PTRACE_SYSCALL_INFO_ENTRY:
      on_syscall_entry(t, static_cast<long>(info.entry.nr), info.entry.args, false);
      return;
    case PTRACE_SYSCALL_INFO_SECCOMP:
      on_syscall_entry(t, static_cast<long>(info.seccomp.nr), info.seccomp.args, true);
      return;
    case PTRACE_SYSCALL_INFO_EXIT:
      if (!t.in_syscall) {  // an exit whose entry we did not see (we attached mid-call)
        restart(t, 0);
        return;
      }
      on_syscall_exit(t, info.exit.rval, info.exit.is_error);
      return;
    default:
      restart(t, 0);
  }
}

void Tracer::on_syscall_entry(Tcb& t, long nr, const uint64_t* args, bool seccomp) {
  if (t.in_syscall && t.call.nr == nr && t.via_seccomp != seccomp) {
    // One entry seen twice: a seccomp stop and a syscall-entry stop (the kernel reports the entry stop
    // first when we restarted with PTRACE_SYSCALL, as before the launched command's execve).
    restart(t, 0);
    return;
  }
  t.in_syscall = true;
  t.via_seccomp = seccomp;
  if (opts_.debug && writer_ && !decode::syscall_known(nr))
    message("pid %d invalid syscall %#lx", t.tid, static_cast<unsigned long>(nr));
  decode::Call& c = t.call;
  c.pid = t.pid;
  c.tid = t.tid;
  c.prev_nr = c.nr;
  c.nr = nr;
  c.opts = call_options(nr);
  t.entry_restarted = t.first_after_attach && c.prev_nr >= 0 && (nr == c.prev_nr || nr == SYS_restart_syscall);
  t.first_after_attach = false;
  memcpy(c.args, args, sizeof c.args);
  c.rval = 0;
  c.error = 0;
  c.exiting = false;
  c.aux.clear();
  memset(c.saved, 0, sizeof c.saved);
  c.saved_text.clear();
  t.entry_ns = mono_ns();
  if (!(t.exited_to_restart && (nr == c.prev_nr || nr == SYS_restart_syscall))) {
    t.wait_since_ns = t.entry_ns;
    t.wait_lower_bound = t.entry_restarted;
  }
  t.exited_to_restart = false;
  t.entry_wall_us = wall_us();
  t.entry_stime_ns = static_cast<uint64_t>(t.last_stime_ns);
  t.rval_pos = std::string::npos;
  if (t.hide_until_exec && (nr == SYS_execve || nr == SYS_execveat)) {
    t.hide_until_exec = false;
    t.first_exec = true;
  }
  t.shown = !t.hide_until_exec && call_traced(nr);
  t.line.clear();
  t.trailer.clear();
  t.written = 0;
  if (t.shown && (opts_.records || (opts_.text && !opts_.count_only) || !opts_.paths.empty())) {
    t.line.append(decode::syscall_ent(nr).name);
    t.line.push_back('(');
    c.collect_targets = !opts_.paths.empty();
    c.seen_fds.clear();
    c.seen_paths.clear();
    // Injection comes before the arguments are printed (poke_enter= shows in them), but -P must
    // have seen the arguments first: then a poked call is decoded again.
    const bool inject = t.shown && !opts_.inject_index.empty() && nr >= 0 &&
                        static_cast<size_t>(nr) < opts_.inject_index.size() && opts_.inject_index[nr] >= 0;
    if (inject && opts_.paths.empty()) tamper_entering(t);
    t.rflags = decode::decode_call(c);
    if (!opts_.paths.empty() && !path_matches(t)) t.shown = false;
    if (inject && t.shown && !opts_.paths.empty()) {
      tamper_entering(t);
      if (t.poked) {
        t.line.resize(strlen(decode::syscall_ent(nr).name) + 1);
        t.rflags = decode::decode_call(c);
      }
    }
    t.entry_stack.clear();
    if (t.shown && unwinder_ && (nr == SYS_execve || nr == SYS_execveat || nr == SYS_exit || nr == SYS_exit_group))
      stack_of(t, &t.entry_stack);  // after these calls the stack is gone (or another program's)
    if (t.shown && writer_ && !opts_.count_only && opts_.status_mask == STATUS_ALL)
      writer_->syscall_entry(t, nprocs_);
  } else if (t.shown && !opts_.inject_index.empty() && nr >= 0 && static_cast<size_t>(nr) < opts_.inject_index.size() &&
             opts_.inject_index[nr] >= 0) {
    tamper_entering(t);  // -c alone: the calls are counted, and still tampered with
  }
  int sig = t.inject_sig;
  t.inject_sig = 0;
  restart(t, sig);
}

bool Tracer::path_matches(Tcb& t) {
  const decode::Call& c = t.call;
  for (const std::string& p : c.seen_paths)
    for (const std::string& want : opts_.paths)
      if (p == want) return true;
  for (int fd : c.seen_fds) {
    std::string link = decode::fd_link(t.tid, fd);
    for (const std::string& want : opts_.paths)
      if (!link.empty() && link == want) return true;
  }
  return false;
}

void Tracer::on_syscall_exit(Tcb& t, int64_t rval, bool is_error) {
  decode::Call& c = t.call;
  c.rval_note = nullptr;
  if ((t.tampered || t.poke_exit || t.delay_exit) && tamper_exiting(t, &rval, &is_error) && t.delay_until) {
    // delay_exit=: the line is printed once the delay is over, as strace does.
    t.pending_exit = true;
    t.pending_rval = rval;
    t.pending_error = is_error;
    return;
  }
  finish_exit(t, rval, is_error);
}

void Tracer::finish_exit(Tcb& t, int64_t rval, bool is_error) {
  decode::Call& c = t.call;
  if (t.tampered || t.poked || t.delayed_note) {
    // strace's notes after the return value.
    static const char* const kNotes[] = {"", " (INJECTED)", " (INJECTED: args)", " (INJECTED: args, retval)"};
    static const char* const kDelayedNotes[] = {" (DELAYED)", " (INJECTED) (DELAYED)", " (INJECTED: args) (DELAYED)",
                                                 " (INJECTED: args, retval) (DELAYED)"};
    const int k = (t.tampered ? 1 : 0) + (t.poked ? 2 : 0);
    c.rval_note = t.delayed_note ? kDelayedNotes[k] : kNotes[k];
  }
  t.tampered = t.tampered_no_fail = t.poked = t.delayed_note = false;
  c.exiting = true;
  c.rval = rval;
  c.error = is_error ? static_cast<int>(-rval) : 0;
  if ((opts_.decode_pids & decode::DECODE_PIDS_COMM) && c.nr == SYS_prctl && c.args[0] == PR_SET_NAME && !is_error)
    t.comm = read_comm(t.tid);
  if (unwinder_) {
    switch (c.nr) {
      case SYS_mmap: case SYS_mprotect: case SYS_munmap: case SYS_brk: case SYS_mremap: case SYS_shmat:
      case SYS_shmdt: case SYS_remap_file_pages: case SYS_pkey_mprotect: case SYS_execve: case SYS_execveat:
        unwinder_->mappings_changed(t.pid);
        break;
      default:
        break;
    }
  }
  uint64_t exit_ns = mono_ns();
  if (opts_.count && t.shown) {
    uint64_t spent = opts_.wall_time ? exit_ns - t.entry_ns
                                     : static_cast<uint64_t>(t.last_stime_ns) - t.entry_stime_ns;
    spent = spent > opts_.overhead_ns ? spent - opts_.overhead_ns : 0;
    std::lock_guard<std::mutex> lk(counters_mu_);
    ThreadCounters& tc = counters_[t.tid];
    tc.pid = t.pid;
    Counter& k = tc.by_nr[c.nr];
    k.calls++;
    if (is_error) k.errors++;
    k.time_ns += spent;
    if (spent < k.min_ns) k.min_ns = spent;
    if (spent > k.max_ns) k.max_ns = spent;
  }
  bool wanted = t.shown && (opts_.records || (opts_.text && !opts_.count_only));
  if (wanted) {
    int flags = t.rflags;
    if (!(t.rflags & decode::RVAL_DECODED)) flags = decode::decode_call(c);
    t.line.push_back(')');
    t.rval_pos = t.line.size();
    decode::print_rval(c, flags);
    // The record's text is the call and its result: the TUI shows a call's time in a column of
    // its own, and -T's " <0.000012>" is for the text output only.
    const size_t record_len = t.line.size();
    if (opts_.Tflag) {
      t.line.append(" <");
      append_seconds(&t.line, exit_ns - t.entry_ns, opts_.T_digits);
      t.line.push_back('>');
    }
    unsigned status = is_error ? STATUS_FAILED : STATUS_SUCCESSFUL;
    // --syscall-limit counts the calls that pass every filter, -e status= included.
    if (calls_left_ > 0 && (opts_.status_mask & status) && --calls_left_ == 0) limit_reached_ = true;
    t.trailer.clear();
    const bool print = writer_ && !opts_.count_only && (opts_.status_mask & status);
    std::string stack;  // -k: for the line and for the record
    if (unwinder_ && (print || opts_.records)) {
      if (!t.entry_stack.empty())
        stack = t.entry_stack;
      else
        stack_of(t, &stack);
    }
    if (print) {
      if (opts_.read_fds.given || opts_.write_fds.given) dump_io(c, opts_.read_fds, opts_.write_fds, &t.trailer);
      t.trailer.append(stack);
      writer_->syscall_exit(t, nprocs_);
    }
    if (opts_.records) {
      Record r;
      r.kind = RecordKind::Syscall;
      r.pid = t.pid;
      r.tid = t.tid;
      r.nr = c.nr;
      r.classes = decode::syscall_ent(c.nr).classes;
      r.rval = rval;
      r.err = c.error;
      memcpy(r.args, c.args, sizeof r.args);
      r.entry_ns = t.entry_ns;
      r.exit_ns = exit_ns;
      r.wall_us = t.entry_wall_us;
      r.text = t.line.substr(0, record_len);
      r.stack = std::move(stack);
      push(std::move(r));
    } else {
      total_++;
    }
  }
  // ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK: the kernel re-enters it.
  t.exited_to_restart = is_error && (rval == -512 || rval == -513 || rval == -514 || rval == -516);
  t.in_syscall = false;
  t.via_seccomp = false;
  t.shown = false;
  if (t.first_exec) {
    t.first_exec = false;
    if (is_error) {
      // The command could not be started: its failed execve is shown, what our code does next
      // (exit) is not, and we say why as strace does ("strace: exec: Permission denied").
      t.hide_until_exec = true;
      if (opts_.text) message("exec: %s", strerror(static_cast<int>(-rval)));
    }
  }
  restart(t, 0);
}

// strace's notes on stderr as it follows forks and detaches (unless -q / -e quiet=attach).
void Tracer::note_attached(pid_t tid) {
  if (writer_ && !(opts_.quiet & QUIET_ATTACH)) message("Process %d attached", tid);
}

// -k: the thread's stack (its text appended to out), or a " > " line saying why there is none.
void Tracer::stack_of(Tcb& t, std::string* out) {
  if (unwinder_) unwinder_->capture(t.pid, t.tid, out);
}

// ---------------------------------------------------------------- -e inject= / -e fault=

void Tracer::message(const char* fmt, ...) {
  // strace's diagnostics go to stderr; trace lines waiting for stderr go first.
  if (writer_ && opts_.out_path.empty()) writer_->flush();
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  std::string line = opts_.prog_name + ": ";
  line.append(buf, std::min(static_cast<size_t>(n), sizeof buf - 1));
  line.push_back('\n');
  ssize_t w = write(STDERR_FILENO, line.data(), line.size());
  (void)w;
}

void Tracer::tamper_entering(Tcb& t) {
  const long nr = t.call.nr;
  const InjectSpec& spec = opts_.inject[static_cast<size_t>(opts_.inject_index[static_cast<size_t>(nr)])];
  auto it = t.inject_left.find(nr);
  if (it == t.inject_left.end()) it = t.inject_left.emplace(nr, std::make_pair(spec.first, spec.last)).first;
  uint16_t& first = it->second.first;
  uint16_t& last = it->second.second;
  // strace's countdown: when=F..L+S fires at the F-th call, then every S-th call up to the L-th.
  if (first == 0 || last == 0) return;
  if (last != kInjectLastInf) --last;
  if (--first != 0) return;
  first = spec.step;
  if (spec.signo) t.inject_sig = spec.signo;
  if (spec.set_error || spec.set_retval) {
    // The kernel skips a call whose number is -1 (or runs the syscall= replacement instead).
    if (ptrace(PTRACE_POKEUSER, t.tid, offsetof(struct user_regs_struct, orig_rax), spec.scno) == 0) {
      t.tampered = true;
      t.tampered_no_fail = spec.scno != -1;
    }
  }
  if (!spec.poke_enter.empty()) poke(t, spec.poke_enter);
  t.poke_exit = !spec.poke_exit.empty();
  t.delay_exit = spec.delay_exit;
  if (spec.delay_enter) delay(t, spec.delay_enter_ns);
}

bool Tracer::tamper_exiting(Tcb& t, int64_t* rval, bool* is_error) {
  const long nr = t.call.nr;
  const InjectSpec& spec = opts_.inject[static_cast<size_t>(opts_.inject_index[static_cast<size_t>(nr)])];
  if (t.poke_exit) {
    t.poke_exit = false;
    poke(t, spec.poke_exit);
  }
  if (t.delay_exit) {
    t.delay_exit = false;
    delay(t, spec.delay_exit_ns);
  }
  if (!t.tampered) return true;
  if (!*is_error == !t.tampered_no_fail) {
    message("Failed to tamper with process %d: unexpectedly got %serror (return value %#llx, error %d)", t.tid,
            t.tampered_no_fail ? "" : "no ", static_cast<unsigned long long>(*rval), *is_error ? static_cast<int>(-*rval) : 0);
    t.tampered = false;
    return true;
  }
  const int64_t v = spec.set_retval ? static_cast<int64_t>(spec.retval) : -static_cast<int64_t>(spec.error);
  ptrace(PTRACE_POKEUSER, t.tid, offsetof(struct user_regs_struct, rax), v);
  *rval = v;
  *is_error = !spec.set_retval;
  return true;
}

void Tracer::poke(Tcb& t, const std::vector<InjectSpec::Poke>& pokes) {
  const int nargs = decode::syscall_ent(t.call.nr).nargs;
  for (const InjectSpec::Poke& p : pokes) {
    if (nargs < p.arg) {
      message("poke_tcb: Failed to tamper with process %d: requested to tamper with argument #%d, but system call '%s' has only %d arguments",
              t.tid, p.arg, decode::syscall_ent(t.call.nr).name, nargs);
      continue;
    }
    if (write_tracee(t.tid, t.call.args[p.arg - 1], p.data) == 0)
      message("poke_tcb: Failed to tamper with process %d: couldn't poke", t.tid);
    else
      t.poked = true;
  }
}

// strace's upoken: process_vm_writev, else word by word with PTRACE_POKEDATA (which may write where
// the other may not); returns the bytes written, and says so when only some of them could be.
size_t Tracer::write_tracee(pid_t tid, uint64_t addr, const std::string& data) {
  const size_t len = data.size();
  struct iovec local = {const_cast<char*>(data.data()), len};
  struct iovec remote = {reinterpret_cast<void*>(addr), len};
  ssize_t r = process_vm_writev(tid, &local, 1, &remote, 1, 0);
  if (r == static_cast<ssize_t>(len)) return len;
  if (r >= 0) {
    message("upoken: pid:%d short write (%zd < %zu) @%#llx", tid, r, len, static_cast<unsigned long long>(addr));
    return static_cast<size_t>(r);
  }
  if (errno == ESRCH) return 0;
  if (errno != ENOSYS && errno != EPERM && errno != EFAULT && errno != EIO) {
    message("upoken: pid:%d @%#llx: %s", tid, static_cast<unsigned long long>(addr), strerror(errno));
    return 0;
  }
  // Word by word: the first and last words are read, patched and written back.
  size_t done = 0;
  uint64_t at = addr;
  while (done < len) {
    const uint64_t word_at = at & ~uint64_t{7};
    const size_t off = static_cast<size_t>(at - word_at);
    const size_t n = std::min(len - done, 8 - off);
    long word = 0;
    if (off || n < 8) {
      errno = 0;
      word = ptrace(PTRACE_PEEKDATA, tid, word_at, 0);
      if (errno) break;
    }
    memcpy(reinterpret_cast<char*>(&word) + off, data.data() + done, n);
    if (ptrace(PTRACE_POKEDATA, tid, word_at, word) < 0) break;
    done += n;
    at += n;
  }
  if (done < len && done && (errno == EFAULT || errno == EIO || errno == EPERM))
    message("upoken_pokedata: pid:%d short write (%zu < %zu) @%#llx: %s", tid, done, len,
            static_cast<unsigned long long>(addr), strerror(errno));
  return done;
}

void Tracer::delay(Tcb& t, uint64_t ns) {
  t.delayed_note = true;
  t.delay_until = mono_ns() + ns;
  delays_.emplace(t.delay_until, t.tid);
}

// Restarts the threads whose delay is over and sets the timer for the next one.
void Tracer::release_delayed(uint64_t now) {
  while (!delays_.empty() && delays_.begin()->first <= now) {
    pid_t tid = delays_.begin()->second;
    delays_.erase(delays_.begin());
    auto it = tcbs_.find(tid);
    if (it == tcbs_.end() || !it->second->delay_until) continue;
    Tcb& t = *it->second;
    t.delay_until = 0;
    if (t.pending_exit) {
      t.pending_exit = false;
      finish_exit(t, t.pending_rval, t.pending_error);  // prints the line, then restarts
    } else {
      int sig = t.held_sig;
      t.held_sig = 0;
      restart(t, sig);
    }
  }
  if (delays_.empty() || delays_.begin()->first == delay_armed_for_) return;
  if (!have_delay_timer_) {
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = wake_signal();
    sev.sigev_value.sival_int = kDelayTimer;
    sev._sigev_un._tid = static_cast<pid_t>(syscall(SYS_gettid));
    have_delay_timer_ = timer_create(CLOCK_MONOTONIC, &sev, &delay_timer_) == 0;
  }
  if (!have_delay_timer_) return;
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  delay_armed_for_ = delays_.begin()->first;
  its.it_value.tv_sec = static_cast<time_t>(delay_armed_for_ / 1000000000ull);
  its.it_value.tv_nsec = static_cast<long>(delay_armed_for_ % 1000000000ull);
  timer_settime(delay_timer_, TIMER_ABSTIME, &its, nullptr);
}

// A call that will never return: the thread died in it (exit_group, killed) or we detach.
void Tracer::finish_unfinished(Tcb& t, const char* why, bool write_text) {
  if (!t.in_syscall || !t.shown) return;
  bool wanted = opts_.records || (opts_.text && !opts_.count_only);
  if (wanted) {
    t.line.push_back(')');
    t.rval_pos = t.line.size();
    t.line.append(" = ?");
    if (why && *why) t.line.append(why);
    t.trailer.clear();
    if (write_text && writer_ && !opts_.count_only && (opts_.status_mask & STATUS_UNFINISHED)) writer_->syscall_exit(t, nprocs_);
    if (opts_.records) {
      Record r = base_record(RecordKind::Syscall, t);
      r.nr = t.call.nr;
      r.classes = decode::syscall_ent(t.call.nr).classes;
      r.unfinished = true;
      memcpy(r.args, t.call.args, sizeof r.args);
      r.entry_ns = t.entry_ns;
      r.exit_ns = mono_ns();
      r.wall_us = t.entry_wall_us;
      r.text = t.line;
      push(std::move(r));
    }
  }
  t.in_syscall = false;
  t.shown = false;
}

// ---------------------------------------------------------------- signals and stops

void Tracer::on_signal_stop(Tcb& t, int sig) {
  if (opts_.iflag) {
    // Outside a syscall the kernel still reports where the thread is (op NONE, with its registers).
    struct __ptrace_syscall_info info;
    t.ip_known = syscall_info(t, false, &info) > 0;
    t.ip = t.ip_known ? info.instruction_pointer : 0;
  }
  siginfo_t si;
  bool have = ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) == 0;
  bool show = !t.hide_until_exec &&
              (opts_.signals_shown.empty() ||
               (static_cast<size_t>(sig) < opts_.signals_shown.size() && opts_.signals_shown[sig]));
  if (show && (opts_.records || (opts_.text && !opts_.count_only))) {
    std::string text = "--- " + decode::signame(sig) + " ";
    if (have) {
      decode::Call c;
      c.pid = t.pid;
      c.tid = t.tid;
      c.opts = &opts_.dec;
      c.out = &text;
      text.push_back('{');
      decode::print_siginfo(c, si);
      text.push_back('}');
    }
    text.append(" ---");
    if (writer_ && !opts_.count_only) {
      std::string stack;
      stack_of(t, &stack);  // -k: where the signal found the thread
      writer_->event(t, text, nprocs_, stack);
    }
    Record r = base_record(RecordKind::Signal, t);
    r.signo = sig;
    r.text = std::move(text);
    push(std::move(r));
  }
  restart(t, sig);
}

void Tracer::on_event_stop(Tcb& t, int sig) {
  if (is_stop_signal(sig)) {
    // A group-stop, or our PTRACE_INTERRUPT reaching a tracee already in one.
    bool ours = t.group_stopped && t.interrupted;
    t.interrupted = false;
    if (!t.group_stopped) {
      t.group_stopped = true;
      if (!ours && !t.hide_until_exec && (opts_.records || (opts_.text && !opts_.count_only))) {
        std::string text = "--- stopped by " + decode::signame(sig) + " ---";
        if (writer_ && !opts_.count_only) {
          std::string stack;
          stack_of(t, &stack);
          writer_->event(t, text, nprocs_, stack);
        }
        Record r = base_record(RecordKind::Stop, t);
        r.signo = sig;
        r.text = std::move(text);
        push(std::move(r));
      }
    }
    if (leaving(t)) {
      t.held_sig = 0;
      detach_tcb(t);
      return;
    }
    if (paused_) {
      t.held = true;
      t.held_sig = 0;
      return;
    }
    ptrace(PTRACE_LISTEN, t.tid, 0, 0);
    return;
  }
  // An interrupt we asked for, the first stop of a new or newly seized thread, or a listening
  // tracee woken by SIGCONT: it runs again (its SIGCONT comes next as a signal stop).
  t.group_stopped = false;
  t.interrupted = false;
  restart(t, 0);
}

// ---------------------------------------------------------------- processes

void Tracer::on_new_child(Tcb& parent, pid_t child) {
  // The child ran, exited and was reaped before this event reached us: it is gone for good.
  if (gone_unannounced_.erase(child)) return;
  auto it = tcbs_.find(child);
  bool known = it != tcbs_.end();
  if (known && !it->second->unannounced) return;
  pid_t tgid = read_tgid(child);
  if (!known) note_attached(child);
  Tcb& c = known ? *it->second : add_tcb(child, tgid ? tgid : child);
  if (tgid && c.pid != tgid) {
    // An unannounced child's group was a guess: it moves to the one /proc names.
    count_tcb(c.pid, -1);
    c.pid = tgid;
    count_tcb(tgid, +1);
  }
  c.unannounced = false;
  c.seccomp_mode = parent.seccomp_mode;
  Record r = base_record(RecordKind::Thread, c);
  r.other = parent.tid;
  push(std::move(r));
}

void Tracer::on_exec(Tcb& t) {
  unsigned long old = 0;
  ptrace(PTRACE_GETEVENTMSG, t.tid, 0, &old);
  pid_t old_tid = static_cast<pid_t>(old);
  if (old_tid && old_tid != t.tid) {
    // A non-leader thread called execve: it now has the leader's tid. Its call state moves into
    // the leader's slot, and the old leader is gone without an exit status.
    auto it = tcbs_.find(old_tid);
    if (it != tcbs_.end()) {
      Tcb& src = *it->second;
      // The old leader's own call (it may have been in one) is simply gone, as in strace.
      if (t.in_syscall && t.shown) finish_unfinished(t, nullptr, false);
      if (writer_) {
        writer_->end_line(t);                  // the leader's line, if it was left open
        writer_->pid_changed(src, t.tid);      // "execve(... <pid changed to LEADER ...>"
      }
      t.in_syscall = src.in_syscall;
      t.shown = src.shown;
      t.via_seccomp = src.via_seccomp;
      t.call = src.call;
      t.call.out = &t.line;
      t.call.tid = t.tid;
      t.line = src.line;
      t.written = 0;  // printed again as "<... execve resumed>" under the new tid
      if (src.written) t.written = src.written;
      t.rflags = src.rflags;
      t.entry_ns = src.entry_ns;
      t.wait_since_ns = src.wait_since_ns;
      t.wait_lower_bound = src.wait_lower_bound;
      t.entry_wall_us = src.entry_wall_us;
      t.hide_until_exec = src.hide_until_exec;
      t.skip_detach_on_exec = src.skip_detach_on_exec;
      t.seccomp_mode = src.seccomp_mode;
      t.comm = src.comm;
      t.inject_left = src.inject_left;
      t.entry_stack = src.entry_stack;
      if (writer_) writer_->forget(src);
      pid_t pid = src.pid;
      tcbs_.erase(it);
      count_tcb(pid, -1);
      if (writer_ && !opts_.count_only && !(opts_.quiet & QUIET_THREAD_EXECVE))
        writer_->event(t, "+++ superseded by execve in pid " + std::to_string(old_tid) + " +++", nprocs_);
    }
  }
  const bool first_exec = t.skip_detach_on_exec;
  t.hide_until_exec = false;
  t.skip_detach_on_exec = false;
  if (opts_.detach_on_execve && !first_exec) {
    // -b execve: leave the process as it starts its new program (the line stays " <detached ...>").
    if (writer_ && !(opts_.quiet & QUIET_ATTACH)) message("Process %d detached", t.tid);
    t.held_sig = 0;
    detach_tcb(t);
    return;
  }
  if (opts_.decode_pids & decode::DECODE_PIDS_COMM) t.comm = read_comm(t.tid);
  if (unwinder_) unwinder_->mappings_changed(t.pid);
  Record r = base_record(RecordKind::Exec, t);
  r.other = old_tid;
  char path[64], exe[4096];
  snprintf(path, sizeof path, "/proc/%d/exe", t.tid);
  ssize_t n = readlink(path, exe, sizeof exe - 1);
  if (n > 0) r.text.assign(exe, static_cast<size_t>(n));
  // The kernel names the program after the file execve was given (sh), not the one it resolves to
  // (/proc/PID/exe: dash); children forked before we could read comm inherit this name.
  r.stack = (opts_.decode_pids & decode::DECODE_PIDS_COMM) ? t.comm : read_comm(t.tid);
  push(std::move(r));
  restart(t, 0);
}

// The thread is about to exit: by exit or exit_group, a fatal signal, or another thread's execve. A
// call it is in will never return: its line ends now, with " <unfinished ...>" inside when the
// decoder had more to show at exit (strace's "<... nanosleep resumed> <unfinished ...>) = ?").
void Tracer::on_exit_event(Tcb& t) {
  if (t.in_syscall && t.shown) {
    if (!(t.rflags & decode::RVAL_DECODED)) t.line.append(" <unfinished ...>");
    finish_unfinished(t, nullptr);
  }
  restart(t, 0);
}

void Tracer::on_thread_gone(pid_t tid, int status, bool have_status) {
  auto it = tcbs_.find(tid);
  if (it == tcbs_.end()) {
    // A child we do not trace (one the tracee made ours with CLONE_PARENT, say): strace reaps it too.
    // The reader of -o '|COMMAND' is ours: it is simply gone.
    if (writer_ && writer_->reaped(tid)) return;
    if (have_status && writer_ && !(opts_.quiet & QUIET_EXIT) && !gone_unannounced_.count(tid))
      message("Exit of unknown pid %d ignored", tid);
    return;
  }
  Tcb& t = *it->second;
  if (t.in_syscall && t.shown) finish_unfinished(t, nullptr);
  t.ip_known = false;  // -i: a thread that is gone has no instruction pointer
  bool last_of_process = true;
  for (auto& [other, o] : tcbs_)
    if (other != tid && o->pid == t.pid) last_of_process = false;
  if (last_of_process && unwinder_) unwinder_->forget(t.pid);
  if (have_status) {
    std::string text;
    Record r = base_record(RecordKind::Exit, t);
    r.process_gone = last_of_process;
    if (WIFEXITED(status)) {
      r.code = WEXITSTATUS(status);
      text = "+++ exited with " + std::to_string(r.code) + " +++";
    } else {
      r.code = -1;
      r.signo = WTERMSIG(status);
      r.core = WCOREDUMP(status);
      text = "+++ killed by " + decode::signame(r.signo) + (r.core ? " (core dumped)" : "") + " +++";
    }
    if (tid == launched_pid_) {
      std::lock_guard<std::mutex> lk(exit_mu_);
      launched_exit_.exited = true;
      launched_exit_.code = r.code;
      launched_exit_.signo = r.signo;
      launched_exit_.core = r.core;
    }
    // -k: the stack of an exit or exit_group the thread died in comes after its exit line.
    if (writer_ && !opts_.count_only && !(opts_.quiet & QUIET_EXIT)) writer_->event(t, text, nprocs_, t.entry_stack);
    r.text = std::move(text);
    push(std::move(r));
  } else {
    Record r = base_record(RecordKind::Detach, t);
    r.text = "vanished";
    push(std::move(r));
  }
  if (t.unannounced) {
    // Its parent's fork/clone event is still to come (or lost with the parent, hence the bound).
    gone_unannounced_.insert(tid);
    gone_unannounced_order_.push_back(tid);
    while (gone_unannounced_order_.size() > 4096) {
      gone_unannounced_.erase(gone_unannounced_order_.front());
      gone_unannounced_order_.pop_front();
    }
  }
  drop_tcb(tid);
}

// ---------------------------------------------------------------- launch and attach

void apply_signal_state(uint64_t blocked, uint64_t ignored) {
  // The kernel's struct sigaction (x86_64): glibc's wrapper refuses signals 32 and 33, which the
  // command may have been given ignored as well.
  struct {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)();
    uint64_t mask;
  } sa = {};
  for (int s = 1; s <= 64; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    sa.handler = ignored >> (s - 1) & 1 ? SIG_IGN : SIG_DFL;
    syscall(SYS_rt_sigaction, s, &sa, nullptr, sizeof sa.mask);
  }
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &blocked, nullptr, sizeof blocked);
}

int Tracer::launch(const LaunchSpec& spec, pid_t* pid_out) {
  return run_command([&]() -> int {
    // Everything the child needs is prepared before fork: after it only raw syscalls are safe.
    std::vector<char*> argv, envp;
    for (auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (auto& e : spec.envp) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    std::vector<struct sock_filter> filter;
    bool use_seccomp = opts_.seccomp && !opts_.traced.empty() && opts_.follow_forks;
    if (use_seccomp) build_seccomp_filter(&filter);
    struct sock_fprog prog = {static_cast<unsigned short>(filter.size()), filter.data()};
    bool need_nnp = use_seccomp && geteuid() != 0;

    pid_t pid = fork();
    if (pid < 0) return errno;
    if (pid == 0) {
      // Every handler of ours is SIG_DFL after exec anyway; SIG_IGN and the mask would be Node's.
      apply_signal_state(0, spec.sig_ignored);
      for (int i = 0; i < 3; i++) {
        if (spec.stdio[i] == kStdioClosed) {
          close(i);
          continue;
        }
        if (spec.stdio[i] >= 0 && spec.stdio[i] != i) dup2(spec.stdio[i], i);
        fcntl(i, F_SETFD, 0);  // Node marks our stdio close-on-exec (uv_disable_stdio_inheritance)
      }
      for (int fd : spec.inherit_fds) fcntl(fd, F_SETFD, 0);  // and what we inherited above 2
      if (spec.set_user) {
        // -u USER: groups first, while we may still change them.
        if (syscall(SYS_setgroups, spec.groups.size(), spec.groups.data()) < 0 ||
            syscall(SYS_setregid, spec.gid, spec.egid) < 0 || syscall(SYS_setreuid, spec.uid, spec.euid) < 0)
          _exit(127);
      }
      if (spec.own_process_group) setpgid(0, 0);
      kill(getpid(), SIGSTOP);  // the tracer seizes us while we are stopped here
      // The mask only now: the SIGCONT that ends the stop is taken here, not left pending (blocked)
      // into the command.
      syscall(SYS_rt_sigprocmask, SIG_SETMASK, &spec.sig_blocked, nullptr, sizeof spec.sig_blocked);
      if (use_seccomp) {
        if (need_nnp) prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
      }
      execve(spec.path.c_str(), argv.data(), envp.data());
      _exit(1);  // the tracer says why (strace's child exits with 1 too)
    }
    int st;
    while (waitpid(pid, &st, WSTOPPED | __WALL) < 0 && errno == EINTR) {
    }
    if (!WIFSTOPPED(st)) return ECHILD;
    // EXITKILL only with our seccomp filter, as strace: once we are gone, every call the filter
    // sends to a tracer fails with ENOSYS, so the command is better dead. Without it, a command the
    // user leaves running must outlive us even when it could not be detached in time (a vfork
    // parent, a call in D state): EXITKILL would kill it when this thread ends. A signal that ends
    // us is passed on to it (or not) by plain/run.ts and ui/run-tui.tsx; a crash in our code sends
    // it SIGTERM from the exit hook (shutdown), as strace's die() does.
    unsigned opts = seize_options_ | (use_seccomp ? PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL : 0);
    if (ptrace(PTRACE_SEIZE, pid, 0, opts) < 0) {
      int e = errno;
      kill(pid, SIGKILL);
      waitpid(pid, &st, __WALL);
      return e;
    }
    Tcb& t = add_tcb(pid, pid);
    t.hide_until_exec = true;
    t.skip_detach_on_exec = true;
    t.seccomp_mode = use_seccomp;
    launched_pid_ = pid;
    *pid_out = pid;
    if (!spec.hold) kill(pid, SIGCONT);  // leaves the stop; the seized child reports it, then runs to execve
    return 0;
  });
}

int Tracer::start_launched() {
  return run_command([&]() -> int {
    if (!launched_pid_ || !tcbs_.count(launched_pid_)) return ESRCH;
    return kill(launched_pid_, SIGCONT) < 0 ? errno : 0;
  });
}

// A BPF program that sends traced calls to us (SECCOMP_RET_TRACE) and lets the rest run: a list of
// the traced numbers, or of the untraced ones when that list is shorter.
void Tracer::build_seccomp_filter(std::vector<struct sock_filter>* f) const {
  auto stmt = [&](unsigned short code, unsigned k) { f->push_back(BPF_STMT(code, k)); };
  auto jump = [&](unsigned short code, unsigned k, unsigned char jt, unsigned char jf) {
    f->push_back(BPF_JUMP(code, k, jt, jf));
  };
  // What must stop: the traced calls, and with -Y every prctl, traced or not: a thread's
  // PR_SET_NAME changes the name its lines start with (finish_exit), as strace sees it at every call.
  const bool comm = opts_.decode_pids & decode::DECODE_PIDS_COMM;
  auto stops = [&](size_t nr) { return call_traced(static_cast<long>(nr)) || (comm && nr == SYS_prctl); };
  const size_t total = opts_.traced.size();
  size_t traced = 0;
  for (size_t nr = 0; nr < total; nr++) traced += stops(nr);
  bool list_traced = traced <= total - traced;
  unsigned hit = list_traced ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW;
  unsigned miss = list_traced ? SECCOMP_RET_ALLOW : SECCOMP_RET_TRACE;
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE);  // other ABIs: see everything
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  jump(BPF_JMP | BPF_JGE | BPF_K, static_cast<unsigned>(total), 0, 1);  // beyond the table (a negative
  stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE);                             // number too): traced, see above
  for (size_t nr = 0; nr < total; nr++) {
    if (stops(nr) != list_traced) continue;
    jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1);
    stmt(BPF_RET | BPF_K, hit);
  }
  stmt(BPF_RET | BPF_K, miss);
}

int Tracer::attach(pid_t pid, std::vector<pid_t>* tids_out, bool daemon_tracee) {
  return run_command([&]() -> int {
    unsigned opts = seize_options_;
    std::vector<pid_t> seized;
    if (daemon_tracee) {
      // -D: our grandparent is about to exec the command. Only its main thread (the others are the
      // old program's, gone at exec), and nothing shown before the exec, as for a launched command.
      if (ptrace(PTRACE_SEIZE, pid, 0, opts) < 0) return errno;
      Tcb& t = add_tcb(pid, pid);
      t.attached = true;
      t.hide_until_exec = true;
      t.skip_detach_on_exec = true;
      t.interrupted = true;
      ptrace(PTRACE_INTERRUPT, pid, 0, 0);  // its first stop: from then on it stops at every call
      if (tids_out) tids_out->assign(1, pid);
      return 0;
    }
    // Every task /proc/PID/task lists is of PID's thread group (-p may name a thread): its id is
    // read once, not once a thread (a /proc read each, for 10,000 threads).
    const pid_t group = read_tgid(pid);
    // Threads may be born while we attach: list again until a pass finds no new one.
    for (int pass = 0; pass < 50; pass++) {
      bool added = false;
      // Without -f, strace -p traces only the thread it names; the TUI always follows (-f).
      std::vector<pid_t> tasks = opts_.follow_forks ? list_tasks(pid) : std::vector<pid_t>{pid};
      if (!opts_.follow_forks && group == 0) tasks.clear();
      if (tasks.empty() && pass == 0) return ESRCH;
      for (pid_t tid : tasks) {
        if (tcbs_.count(tid)) continue;
        if (ptrace(PTRACE_SEIZE, tid, 0, opts) < 0) {
          int e = errno;
          if (e == ESRCH) continue;  // exited meanwhile
          if (seized.empty()) return e;
          continue;
        }
        Tcb& t = add_tcb(tid, group ? group : pid);
        t.attached = true;
        t.interrupted = true;
        // The call it sits in now: our interrupt makes the kernel restart it, and strace names it
        // in "restart_syscall(<... resuming interrupted NAME ...>)".
        t.call.nr = read_current_syscall(tid);
        t.first_after_attach = true;
        ptrace(PTRACE_INTERRUPT, tid, 0, 0);
        seized.push_back(tid);
        added = true;
      }
      if (!added) break;
    }
    if (seized.empty()) return ESRCH;
    for (pid_t tid : seized) {
      Record r;
      r.kind = RecordKind::Thread;
      r.pid = pid;
      r.tid = tid;
      r.entry_ns = mono_ns();
      r.wall_us = wall_us();
      push(std::move(r));
    }
    if (tids_out) *tids_out = seized;
    return 0;
  });
}

// ---------------------------------------------------------------- pause, resume, detach

int Tracer::pause() {
  return run_command([&]() -> int {
    paused_ = true;
    for (auto& [tid, t] : tcbs_)
      if (!t->held && !t->group_stopped && !t->delay_until) {
        t->interrupted = true;
        ptrace(PTRACE_INTERRUPT, tid, 0, 0);
      }
    wait_until(
        [&] {
          for (auto& [tid, t] : tcbs_)
            if (!t->held && !t->group_stopped && !t->delay_until) return false;
          return true;
        },
        // A thread in a vfork wait or in D state stops only when that ends; it is held then.
        // Do not keep the UI waiting for it.
        400);
    return 0;
  });
}

int Tracer::resume() {
  return run_command([&]() -> int {
    paused_ = false;
    std::vector<Tcb*> held;
    for (auto& [tid, t] : tcbs_)
      if (t->held) held.push_back(t.get());
    for (Tcb* t : held) {
      t->held = false;
      if (t->group_stopped)
        ptrace(PTRACE_LISTEN, t->tid, 0, 0);
      else
        restart(*t, t->held_sig);
      t->held_sig = 0;
    }
    return 0;
  });
}

// Leaves every tracee as it was before us: running, or stopped if it was in a group-stop, with any
// signal it was about to receive delivered.
int Tracer::detach_all_now() {
  detaching_ = true;
  std::vector<Tcb*> now;
  for (auto& [tid, t] : tcbs_) now.push_back(t.get());
  for (Tcb* t : now) {
    if (t->held || t->delay_until) {
      t->delay_until = 0;
      detach_tcb(*t);  // in a ptrace-stop already: detach at once
    } else {
      t->interrupted = true;
      ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
    }
  }
  // A thread in D state (on a hung mount, a vfork parent) stops only when its call returns, which
  // may be never: past a short grace it is not waited for (q would do nothing for seconds). It
  // detaches itself at its next stop, or the kernel lets it go when this thread ends.
  uint64_t next_look = mono_ns() + 100000000ull;
  wait_until(
      [&] {
        if (tcbs_.empty()) return true;
        if (mono_ns() < next_look) return false;
        next_look = mono_ns() + 50000000ull;
        for (auto& [tid, t] : tcbs_)
          if (read_task_state(tid) != 'D') return false;
        return true;
      },
      5000);
  for (auto& [tid, t] : tcbs_) t->detach_pending = true;
  detaching_ = false;
  paused_ = false;
  if (writer_) writer_->flush();
  return 0;
}

int Tracer::detach_all() {
  return run_command([&]() -> int { return detach_all_now(); });
}

void Tracer::shutdown(int end_launched) {
  if (!thread_.joinable()) return;
  if (std::this_thread::get_id() != thread_.get_id()) {
    run_command([&]() -> int {
      // strace's order: the signal first, while the command is still traced (so that its pid
      // cannot be another's yet); detaching passes it on.
      if (end_launched && launched_pid_ && tcbs_.count(launched_pid_)) {
        kill(launched_pid_, SIGCONT);
        kill(launched_pid_, end_launched);
      }
      detach_all_now();
      stopping_ = true;
      return 0;
    });
    {
      std::lock_guard<std::mutex> lk(cmd_mu_);
      stopping_ = true;
      cmd_cv_.notify_all();
    }
    kick();
    thread_.join();
  }
  writer_.reset();
}

// ---------------------------------------------------------------- data for JS

size_t Tracer::drain(std::vector<Record>* out, size_t max, uint64_t* first) {
  size_t n;
  bool was_full;
  {
    std::lock_guard<std::mutex> lk(rec_mu_);
    if (first) *first = popped_;
    n = std::min(max, records_.size());
    was_full = records_.size() >= opts_.buffer_cap;
    backlog_peak_ = std::max(backlog_peak_, records_.size());
    if (n == records_.size()) {
      if (backlog_peak_ >= kTrimBacklog) trim_due_ = true;
      backlog_peak_ = 0;
    }
    popped_ += n;
    out->reserve(out->size() + n);
    for (size_t i = 0; i < n; i++) {
      out->push_back(std::move(records_.front()));
      records_.pop_front();
    }
  }
  if (was_full && n) {
    // The tracer may wait for room (loop()): taking its mutex orders this after its last look.
    { std::lock_guard<std::mutex> lk(cmd_mu_); }
    cmd_cv_.notify_all();
  }
  return n;
}

bool Tracer::take_trim_due() {
  std::lock_guard<std::mutex> lk(rec_mu_);
  bool due = trim_due_;
  trim_due_ = false;
  return due;
}

size_t Tracer::pending_records() {
  std::lock_guard<std::mutex> lk(rec_mu_);
  return records_.size();
}

std::vector<ThreadSnapshot> Tracer::snapshot(uint64_t* mark) {
  std::vector<ThreadSnapshot> out;
  run_command([&]() -> int {
    // On the tracer thread, between two stops: no record is pushed while we look.
    if (mark) *mark = total_.load();
    for (auto& [tid, t] : tcbs_) {
      ThreadSnapshot s;
      s.pid = t->pid;
      s.tid = tid;
      s.in_syscall = t->in_syscall;
      s.nr = t->in_syscall ? t->call.nr : -1;
      s.entry_text = t->in_syscall ? t->line.substr(0, t->rval_pos == std::string::npos ? t->line.size() : t->rval_pos) : "";
      s.entry_ns = t->in_syscall ? t->entry_ns : 0;
      s.entry_wall_us = t->in_syscall ? t->entry_wall_us : 0;
      s.entry_restarted = t->in_syscall && t->entry_restarted;
      bool waiting = t->in_syscall || t->exited_to_restart;
      s.wait_nr = waiting ? t->call.nr : -1;
      s.wait_since_ns = waiting ? t->wait_since_ns : 0;
      s.wait_lower_bound = waiting && t->wait_lower_bound;
      s.held = t->held;
      s.group_stopped = t->group_stopped;
      out.push_back(std::move(s));
    }
    return 0;
  });
  return out;
}

std::vector<std::pair<pid_t, ThreadCounters>> Tracer::counters() {
  std::lock_guard<std::mutex> lk(counters_mu_);
  return {counters_.begin(), counters_.end()};
}

void Tracer::reset_counters() {
  std::lock_guard<std::mutex> lk(counters_mu_);
  counters_.clear();
}

void Tracer::write_text(const std::string& text) {
  run_command([&]() -> int {
    if (writer_) {
      writer_->raw(text);
      writer_->flush();
    }
    return 0;
  });
}

void Tracer::flush() {
  run_command([&]() -> int {
    if (writer_) writer_->flush();
    return 0;
  });
}

ExitInfo Tracer::launched_exit() const {
  std::lock_guard<std::mutex> lk(exit_mu_);
  return launched_exit_;
}

}  // namespace engine
