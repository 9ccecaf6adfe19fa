// The tracer: one native thread that owns every ptrace and wait call (ptrace requests are per
// thread), fed by a small command queue from JS and producing records and/or strace-format text.
#pragma once
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

#include <linux/filter.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "decode/decoder.h"
#include "dumpio.h"
#include "stacktrace.h"
#include "record.h"

namespace engine {

class Writer;

// -e quiet= bits.
enum : unsigned {
  QUIET_ATTACH = 1,
  QUIET_EXIT = 2,
  QUIET_PATH_RESOLVE = 4,
  QUIET_PERSONALITY = 8,
  QUIET_THREAD_EXECVE = 16,
};

// -e status= bits.
enum : unsigned {
  STATUS_SUCCESSFUL = 1,
  STATUS_FAILED = 2,
  STATUS_UNFINISHED = 4,
  STATUS_UNAVAILABLE = 8,
  STATUS_DETACHED = 16,
  STATUS_ALL = 31,
};

// -e inject= / -e fault=: what happens to the calls of one expression (strace's struct inject_opts).
struct InjectSpec {
  uint16_t first = 1, last = 0xffff, step = 1;  // when=: first..last, every step (last 0xffff: no end)
  bool set_error = false, set_retval = false;
  int error = 0;            // error=: the call fails with this errno
  uint64_t retval = 0;      // retval=: the call returns this
  int signo = 0;            // signal=: delivered when the call is entered
  uint64_t delay_enter_ns = 0, delay_exit_ns = 0;  // delay_enter= / delay_exit=
  bool delay_enter = false, delay_exit = false;
  struct Poke {
    int arg;                // 1..7: the argument whose address is written to
    std::string data;
  };
  std::vector<Poke> poke_enter, poke_exit;  // poke_enter= / poke_exit=
  long scno = -1;           // syscall=: this pure call runs instead (-1: none, the call is skipped)
};
constexpr uint16_t kInjectLastInf = 0xffff;

struct Options {
  bool follow_forks = true;      // -f
  size_t buffer_cap = 100000;    // records waiting for JS at which the tracees wait for it (see loop())
  bool records = true;           // keep records for JS (the TUI); plain mode turns this off
  bool text = false;             // write strace-format lines (plain mode)
  std::string out_path;          // -o FILE ("" = stderr)
  std::string prog_name = "systrace-tui";  // what our messages on stderr start with (plain/prog-name.ts)
  bool output_separately = false;  // -ff: FILE.TID
  bool append = false;           // -A: append to the output file(s) instead of truncating
  unsigned out_mode = 0666;      // mode of the output files it creates (the TUI: 0600)
  int ts_format = 0;             // -t/--timestamps: 0 none, 1 time of day, 2 seconds since the epoch
  int ts_digits = 0;             // digits of the fraction of a second after the timestamp (0: none)
  bool rflag = false;            // -r
  int r_digits = 6;              // --relative-timestamps=PRECISION
  bool Tflag = false;            // -T
  int T_digits = 6;              // --syscall-times=PRECISION
  bool count = false;            // -c/-C: keep counters
  bool count_only = false;       // -c: no per-call lines
  bool wall_time = false;        // -w: count wall time instead of system time
  uint64_t overhead_ns = 0;      // -O: taken off each counted call's time (not below 0)
  std::vector<uint8_t> traced;   // by syscall number: 1 = traced; empty = every call
  unsigned status_mask = STATUS_ALL;  // -e status=, -z, -Z
  std::vector<uint8_t> signals_shown;  // by signo: 1 = print; empty = all
  unsigned quiet = 0;            // QUIET_* bits (-q, -qq, -e quiet=)
  unsigned decode_pids = 0;      // decode::DECODE_PIDS_* bits (-Y, --pidns-translation)
  bool nflag = false;            // -n: the syscall number before each line
  bool iflag = false;            // -i: the instruction pointer before each line
  bool stack_traces = false;     // -k: a symbolized stack after each call's line
  bool detach_on_execve = false;  // -b execve
  bool debug = false;            // -d: strace's debug lines on stderr (a few of them)
  int64_t syscall_limit = 0;     // --syscall-limit: detach everything after this many calls (0: none)
  std::vector<std::string> paths;  // -P
  bool seccomp = false;          // launched commands only: stop only at traced calls
  bool print_pid_prefix = false;   // "%-5d " prefixes (-o with -f)
  unsigned acolumn = 40;         // -a: the column where " = " is aligned
  decode::Options dec;
  // -e abbrev= / verbose= / raw=, by syscall number (1: in the set); empty: the default for every
  // call (abbreviated, decoded, not raw), as dec says.
  std::vector<uint8_t> abbrev_calls, verbose_calls, raw_calls;
  FdSet read_fds, write_fds;        // -e read= / -e write=
  std::vector<InjectSpec> inject;   // -e inject= / fault= expressions
  std::vector<int> inject_index;    // by syscall number: the expression that applies, or -1
};

// Per-syscall counters (-c), kept per thread so the TUI can show a thread, a process or all.
struct Counter {
  uint64_t calls = 0, errors = 0;
  uint64_t time_ns = 0, min_ns = UINT64_MAX, max_ns = 0;
};
struct ThreadCounters {
  pid_t pid = 0;
  std::unordered_map<long, Counter> by_nr;
};

/** One traced thread. */
struct Tcb {
  pid_t tid = 0;
  pid_t pid = 0;  // thread group id
  bool in_syscall = false;
  bool via_seccomp = false;  // this call's entry came from a seccomp stop
  bool shown = false;        // this call's line is printed/recorded
  bool hide_until_exec = false;  // our launched child before its execve
  bool first_exec = false;       // our launched child's first execve is under way: if it fails, the
                                 // command never started (strace's TCB_CHECK_EXEC_SYSCALL)
  bool skip_detach_on_exec = false;  // -b execve: the first exec of our launched command is not one
  bool seccomp_mode = false;     // restart with PTRACE_CONT between traced calls
  bool held = false;         // in a ptrace-stop we keep (pause, detach)
  bool group_stopped = false;  // in a group-stop, restarted with PTRACE_LISTEN
  bool interrupted = false;  // we sent PTRACE_INTERRUPT and wait for its stop
  bool detach_pending = false;  // a detach found it unable to stop (D state): it goes at its next stop
  bool attached = false;     // seized by attach (not born under us)
  bool first_after_attach = false;  // no syscall entry seen since we attached
  bool unannounced = false;  // reported its first stop before its parent's fork/clone event
  bool entry_restarted = false;  // this call is the one our attach interrupted, restarted: it
                                 // began before entry_ns, which is only a lower bound
  // The wait this call belongs to. A call interrupted by a stop or a signal (it exits with
  // ERESTART*) and then restarted (the same call again, or restart_syscall) is the same wait: it
  // keeps the first entry's time, and "lower bound" when that entry was one our attach restarted.
  uint64_t wait_since_ns = 0;
  bool wait_lower_bound = false;
  bool exited_to_restart = false;  // the last call exited with ERESTART*: it will be re-entered
  int held_sig = 0;          // signal to inject when a held signal-delivery-stop is restarted
  bool held_in_signal = false;
  decode::Call call;
  int rflags = 0;
  // -e inject=: each syscall's when= countdown in this thread (strace keeps one per thread, each
  // starting from the expression's first/last), and what was done to the current call.
  std::unordered_map<long, std::pair<uint16_t, uint16_t>> inject_left;
  bool tampered = false;         // error= / retval=: the call was skipped or replaced
  bool tampered_no_fail = false;  // syscall=: the replacement must succeed
  bool poked = false;            // poke_*: memory was written
  bool delayed_note = false;     // delay_*: the thread was held
  bool poke_exit = false, delay_exit = false;  // still to do at exit
  int inject_sig = 0;            // signal=: delivered with the entry restart
  uint64_t delay_until = 0;      // held by a delay until this monotonic time (0: not held)
  bool pending_exit = false;     // delay_exit=: the exit is finished when the delay is over
  int64_t pending_rval = 0;
  bool pending_error = false;
  std::string comm;          // -Y: the thread's name (/proc/TID/comm), kept current across exec and PR_SET_NAME
  uint64_t ip = 0;           // -i: the instruction pointer at the last stop
  bool ip_known = false;
  std::string line;          // the text of the current call, without prefix
  size_t written = 0;        // how much of line the writer has already output
  size_t rval_pos = std::string::npos;  // where " = ..." starts in line (the writer aligns it)
  std::string trailer;       // whole lines printed after the call's line (-e read=/write= dumps, -k stacks)
  std::string entry_stack;   // -k: the stack taken at entry (execve, exit: after them there is none to take)
  uint64_t entry_ns = 0, entry_wall_us = 0;
  uint64_t entry_stime_ns = 0;
  int64_t last_stime_ns = 0;
};

/** What JS sees of a thread now. */
struct ThreadSnapshot {
  pid_t pid, tid;
  bool in_syscall;
  long nr;
  std::string entry_text;
  uint64_t entry_ns, entry_wall_us;
  bool entry_restarted;
  // The wait the thread is in (see Tcb::wait_since_ns): in a call, or between an interrupted call's
  // exit and its restart (wait_nr >= 0 and !in_syscall: stopped, the call restarts when resumed).
  long wait_nr;
  uint64_t wait_since_ns;
  bool wait_lower_bound;
  bool held, group_stopped;
};

constexpr int kStdioClosed = -2;  // LaunchSpec::stdio: the command gets it closed, as we were started

struct LaunchSpec {
  std::string path;  // resolved executable
  std::vector<std::string> argv, envp;
  int stdio[3] = {-1, -1, -1};  // fds to dup2 onto 0,1,2 in the child (-1: inherit, kStdioClosed)
  // Descriptors above 2 that we inherited (Node marked them close-on-exec): the command gets them,
  // as it would under strace; our own descriptors stay closed to it.
  std::vector<int> inherit_fds;
  // -u USER: the command runs with these ids and groups (euid/egid: a set-id executable's owner).
  bool set_user = false;
  uid_t uid = 0, euid = 0;
  gid_t gid = 0, egid = 0;
  std::vector<gid_t> groups;
  // The TUI's launches: the command gets a process group of its own, so that it can be left running
  // (our terminal's hangup, or our session's end, no longer reaches it). --plain keeps strace's way:
  // the command stays in our group and gets the terminal's signals (^C, ^Z, hangup) with us.
  bool own_process_group = false;
  // Left in its stop before execve until start_launched(): with -p PID too, strace attaches to the
  // processes before the command runs, so nothing the command does can end them first.
  bool hold = false;
  // The signal state we were started with (bit N-1: signal N), which the command gets as it would
  // under strace: Node changes ours at start-up, so the launcher reads it before Node runs
  // (src/engine/launcher-state.ts).
  uint64_t sig_blocked = 0, sig_ignored = 0;
};

// In a child after fork, before exec: the signal state a command gets (SIG_IGN where ignored,
// SIG_DFL elsewhere, the mask as given). Raw syscalls only: the parent has threads.
void apply_signal_state(uint64_t blocked, uint64_t ignored);

struct ExitInfo {
  bool exited = false;
  int code = 0, signo = 0;
  bool core = false;
};

class Tracer {
 public:
  explicit Tracer(const Options& opts);
  ~Tracer();

  // Commands, run on the tracer thread; each returns 0 or a positive errno.
  int launch(const LaunchSpec& spec, pid_t* pid_out);
  int attach(pid_t pid, std::vector<pid_t>* tids_out, bool daemon_tracee = false);
  int start_launched();  // lets a command launched with hold run
  int pause();
  int resume();
  int detach_all();
  // Detaches everything and joins the thread; idempotent. end_launched (our exit hook, when we die
  // with a trace still on, as strace's die() does): a launched command still traced is sent
  // SIGCONT and this signal first.
  void shutdown(int end_launched = 0);

  // Data for JS.
  // Records are numbered in the order they are pushed (from 0). drain() says the number of the
  // first record it hands out (*first); snapshot() says how many records were pushed before it
  // (*mark): the records numbered below it were made before the threads were looked at.
  size_t drain(std::vector<Record>* out, size_t max, uint64_t* first = nullptr);
  // True once after drain() emptied a backlog of many records (kTrimBacklog): the caller, once it
  // has freed them, gives the malloc arenas' free memory back (malloc_trim).
  bool take_trim_due();
  std::vector<ThreadSnapshot> snapshot(uint64_t* mark = nullptr);
  std::vector<std::pair<pid_t, ThreadCounters>> counters();
  void reset_counters();
  void write_text(const std::string& text);  // through the main output (the -c table)
  void flush();

  bool done() const { return done_.load(); }
  int writer_open_error() const;
  bool paused() const { return paused_.load(); }
  ExitInfo launched_exit() const;
  pid_t launched_pid() const { return launched_pid_; }
  uint64_t total_records() const { return total_.load(); }
  uint64_t held_ns() const { return held_ns_.load(); }  // time the tracees waited for JS to take records
  size_t pending_records();
  unsigned nprocs() const { return nprocs_.load(); }
  unsigned nthreads() const { return nthreads_.load(); }
  const Options& options() const { return opts_; }

 private:
  // Command plumbing.
  int run_command(std::function<int()> fn);
  void loop();
  void run_pending_commands();
  void kick();
  bool records_full();  // buffer_cap records wait for JS

  // Events.
  void handle_wait(pid_t tid, int status, const struct rusage& ru);
  // A syscall stop (seccomp_stop: PTRACE_EVENT_SECCOMP's), and what PTRACE_GET_SYSCALL_INFO says of
  // it (or the registers, when it is refused to us).
  void on_syscall_stop(Tcb& t, bool seccomp_stop = false);
  long syscall_info(Tcb& t, bool seccomp_stop, struct __ptrace_syscall_info* info);
  void on_syscall_entry(Tcb& t, long nr, const uint64_t* args, bool seccomp);
  void on_syscall_exit(Tcb& t, int64_t rval, bool is_error);
  // -e inject=: at entry, whether this call of the thread is one of when=, and what to do to it.
  void tamper_entering(Tcb& t);
  // At exit: the injected result (error= / retval=), poke_exit= and delay_exit=. False when the
  // kernel's result is not the one the tampering should have caused (then nothing is changed).
  bool tamper_exiting(Tcb& t, int64_t* rval, bool* is_error);
  void finish_exit(Tcb& t, int64_t rval, bool is_error);
  void poke(Tcb& t, const std::vector<InjectSpec::Poke>& pokes);
  size_t write_tracee(pid_t tid, uint64_t addr, const std::string& data);
  // Hold the thread in its stop for ns nanoseconds; the loop restarts it when the time has come.
  void delay(Tcb& t, uint64_t ns);
  void release_delayed(uint64_t now);
  void message(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void note_attached(pid_t tid);
  void on_signal_stop(Tcb& t, int sig);
  void on_event_stop(Tcb& t, int sig);
  void on_new_child(Tcb& parent, pid_t child);
  void on_exec(Tcb& t);
  void on_exit_event(Tcb& t);
  void on_thread_gone(pid_t tid, int status, bool have_status);
  // When we are the init of our PID namespace (pid 1: `unshare -pf systrace-tui`, a container), a
  // traced process whose parent dies is reparented to our main thread, not to the tracer thread
  // (which waits with __WNOTHREAD): it must be reaped here, or a nested namespace's init waiting
  // for its last zombie never exits. Exited tracees not yet reaped by their parent.
  bool namespace_init_ = false;
  std::vector<pid_t> orphan_candidates_;
  void reap_orphans();
  void finish_unfinished(Tcb& t, const char* why, bool write_text = true);
  void restart(Tcb& t, int sig);
  Tcb& add_tcb(pid_t tid, pid_t pid);
  void drop_tcb(pid_t tid);
  void detach_tcb(Tcb& t);
  void count_tcb(pid_t pid, int delta);
  bool path_matches(Tcb& t);
  bool call_traced(long nr) const;
  void push(Record&& r);
  void build_seccomp_filter(std::vector<struct sock_filter>* f) const;
  bool wait_until(const std::function<bool()>& pred, int timeout_ms);
  int detach_all_now();
  /** Every stop of this thread now ends in its detach. */
  bool leaving(const Tcb& t) const { return detaching_ || t.detach_pending; }

  Options opts_;
  // The decoder options of each -e abbrev=/verbose=/raw= combination (bit 0: not abbreviated, bit 1:
  // structures not decoded, bit 2: raw), so a call's options are one pointer chosen at entry.
  decode::Options dec_variants_[8];
  const decode::Options* call_options(long nr) const;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<StackUnwinder> unwinder_;  // -k
  void stack_of(Tcb& t, std::string* out);
  std::thread thread_;
  pthread_t thread_handle_{};
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> done_{false};
  std::atomic<bool> paused_{false};
  std::atomic<unsigned> nprocs_{0}, nthreads_{0};
  std::unordered_map<pid_t, int> pid_threads_;  // tcbs per thread group (nprocs_ is its size)
  std::atomic<uint64_t> total_{0}, held_ns_{0};

  // Commands from JS.
  struct Command {
    std::function<int()> fn;
    int result = 0;
    bool finished = false;
  };
  std::mutex cmd_mu_;
  std::condition_variable cmd_cv_;   // wakes the tracer when it has no tracee to wait for, or room for records
  std::condition_variable done_cv_;  // wakes JS when its command has run
  std::deque<std::shared_ptr<Command>> commands_;

  // Records for JS.
  std::mutex rec_mu_;
  std::deque<Record> records_;
  uint64_t popped_ = 0;  // records taken from the front of records_
  size_t backlog_peak_ = 0;  // most records found waiting by a drain since the queue was last empty
  bool trim_due_ = false;    // a big backlog was drained: its memory can go back to the system

  // Tracer-thread state.
  std::map<pid_t, std::unique_ptr<Tcb>> tcbs_;
  std::map<pid_t, ThreadCounters> counters_;
  std::mutex counters_mu_;
  pid_t launched_pid_ = 0;
  mutable std::mutex exit_mu_;
  ExitInfo launched_exit_;
  // Children that exited before their parent's fork/clone event was handled: when that event
  // comes, it must not bring them back (a TCB nobody would ever drop). Bounded; oldest forgotten.
  std::set<pid_t> gone_unannounced_;
  std::deque<pid_t> gone_unannounced_order_;
  bool detaching_ = false;
  bool pausing_ = false;
  unsigned seize_options_ = 0;
  // PTRACE_GET_SYSCALL_INFO refused to us (a seccomp filter on us denies it): every stop's call is
  // read from the registers instead (syscall_info in tracer.cc), as strace does then.
  bool legacy_syscall_info_ = false;
  std::multimap<uint64_t, pid_t> delays_;  // delay_enter=/delay_exit=: when each held thread goes on
  timer_t delay_timer_{};
  bool have_delay_timer_ = false;
  uint64_t delay_armed_for_ = 0;
  int64_t calls_left_ = 0;       // --syscall-limit: calls still to print (0: no limit)
  bool limit_reached_ = false;
  uint64_t start_ns_ = 0;
};

uint64_t mono_ns();
uint64_t wall_us();

}  // namespace engine
