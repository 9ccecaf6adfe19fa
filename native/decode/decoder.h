// The decoder's interface: what a syscall decoder sees of a traced thread, and the shared printers
// every family uses. Decoders are written the way strace structures them (but in our own code): one
// function per syscall, called at entry and again at exit, appending text to the call's line.
#pragma once
#include <cstddef>
#include <cstdint>
#include <csignal>
#include <string>
#include <type_traits>
#include <vector>
#include <sys/types.h>

struct Xlat;
struct sock_filter;  // <linux/filter.h>: a classic BPF instruction

namespace decode {

// How named constants print (strace's -X): the name (abbrev, the default), the number alone (raw), or
// the number followed by the names in a comment (verbose): O_RDONLY|O_CLOEXEC, 0x80000, and
// 0x80000 followed by the names between comment markers.
enum XlatStyle : uint8_t { XLAT_ABBREV = 0, XLAT_RAW = 1, XLAT_VERBOSE = 2 };
/** How a constant's number is written when it is printed as a number. */
enum ValFmt : uint8_t { FMT_HEX = 0, FMT_DEC = 1, FMT_UDEC = 2, FMT_OCT = 3 };

// -e decode-pids= bits: -Y names processes (comm), --pidns-translation translates pids.
enum : unsigned { DECODE_PIDS_NS = 1, DECODE_PIDS_COMM = 2 };
// What kind of id a pid argument is (strace's enum pid_type).
// PT_NONE: a number that may be any of them (prctl PR_SCHED_CORE with an unknown pid type): printed
// as it is, never translated nor named.
enum PidType { PT_TID, PT_TGID, PT_PGID, PT_SID, PT_NONE };

// -e decode-fds= bits: what a descriptor's <...> shows (-y: path, -yy: all four).
enum : unsigned { DECODE_FD_PATH = 1, DECODE_FD_SOCKET = 2, DECODE_FD_DEV = 4, DECODE_FD_PIDFD = 8 };

/** Output options shared by every decoder (the strace command line's -s -x -v -y -X and -e abbrev/raw). */
struct Options {
  unsigned strsize = 32;   // -s: longest string printed before "..."
  int xflag = 0;           // -x: 1 escape non-ASCII strings in hex, 2 (-xx) every byte, 3 only the
                           // bytes that need escaping (--strings-in-hex=non-ascii-chars)
  bool verbose = false;    // -v: unabbreviated structs and arrays
  unsigned decode_fds = 0;  // -y/-yy/-e decode-fds=: DECODE_FD_* bits
  bool raw = false;        // -e raw=SET: arguments as hex numbers, nothing decoded
  bool decode_structs = true;  // -e verbose=SET: false prints pointers to structures as addresses
  unsigned decode_pids = 0;    // -Y / --pidns-translation: DECODE_PIDS_* bits
  XlatStyle xstyle = XLAT_ABBREV;  // -X
  unsigned max_array = 1024;  // cap on array elements printed even with -v (a runaway guard)
  bool redact = false;     // --redact: every string (and -y path) printed as its length, "..."<N bytes>
  // The TUI's records (record_text.h): every descriptor with both its -y and -yy forms and the
  // strings -s cuts kept up to marks_strsize, so that the display can switch forms afterwards.
  bool marks = false;
  unsigned marks_strsize = 0;
  unsigned marks_fds = 0;  // the DECODE_FD_* bits of the -yy form (the command line's, if beyond -y)
  bool kvm_vcpu = false;   // -e kvm=vcpu: KVM_RUN's result followed by the vcpu's exit reason
  // Where strace's diagnostics go ("umoven: short read (4 < 8) @0x..."): the tracer's stderr in
  // --plain; nowhere (nullptr) in the TUI, whose screen they would tear.
  void (*report)(void* ctx, const std::string& text) = nullptr;
  void* report_ctx = nullptr;
};

// What a decoder returns (bits). Without RVAL_DECODED the decoder is called again at exit.
enum : int {
  RVAL_DECODED = 1 << 0,   // the whole argument list is printed; do not call at exit
  RVAL_HEX = 1 << 1,       // print the return value in hex (mmap, brk...)
  RVAL_OCTAL = 1 << 2,     // print the return value in octal (umask)
  RVAL_UDECIMAL = 1 << 3,  // unsigned decimal
  RVAL_FD = 1 << 4,        // the return value is a new fd: decorate it with -y
  RVAL_STR = 1 << 5,       // append " (" + aux + ")" after the value (aux set by the decoder)
  RVAL_NONE = 1 << 6,      // no return value: print " = ?" (exit, exit_group)
  RVAL_TGID = 1 << 7,      // a process id: print_pid (-Y names it, --pidns-translation translates it)
  RVAL_PRINT_ERR_VAL = 1 << 8,  // on failure print the raw value before errno (rare)
  RVAL_TID = 1 << 9,       // a thread id, a process group id, a session id: print_pid as well
  RVAL_PGID = 1 << 10,
  RVAL_SID = 1 << 11,
  RVAL_STR_ALWAYS = 1 << 12,  // with RVAL_STR: " ()" even when aux is empty (select's ready sets)
};

/** One syscall in progress on one thread: everything a decoder may read or print. */
struct Call {
  pid_t pid = 0;            // thread group id
  pid_t tid = 0;            // the thread
  long nr = -1;
  long prev_nr = -1;        // the thread's previous call (restart_syscall names the one it resumes)
  uint64_t args[6] = {0, 0, 0, 0, 0, 0};
  int64_t rval = 0;         // valid when exiting
  int error = 0;            // errno (positive) when the call failed, else 0
  bool exiting = false;
  const Options* opts = nullptr;
  std::string* out = nullptr;  // the line being built
  std::string aux;             // text for RVAL_STR
  const char* rval_note = nullptr;  // " (INJECTED)" and the like, placed after the return value as strace does
  // Room for a decoder to keep something between entry and exit (e.g. a length read at entry).
  uint64_t saved[4] = {0, 0, 0, 0};
  std::string saved_text;      // e.g. the entry value of an in/out struct, printed as "X => Y"
  // -P PATH: when collect_targets is set, print_fd and print_path note every fd and path they print,
  // so the tracer can match a call against the -P paths without per-syscall special cases.
  mutable bool collect_targets = false;
  mutable std::vector<int> seen_fds;  // mutable: the printers take const Call&
  mutable std::vector<std::string> seen_paths;
  // Inside the comment of a -X verbose composite value every constant prints by name alone (strace
  // prints "0x3 /* PROT_READ|PROT_WRITE */", never a comment inside the comment): print_composite
  // raises this while it prints the names.
  mutable unsigned names_only = 0;
  // A style that overrides -X for the constants printed inside with_xstyle() (strace's printflags_ex
  // and printxval_ex with an explicit style); -1 when none.
  mutable int8_t style_override = -1;

  bool entering() const { return !exiting; }
  bool failed() const { return exiting && error != 0; }
  // Arguments by type, as the kernel sees them on x86_64.
  int arg_int(int i) const { return static_cast<int>(args[i]); }
  unsigned arg_uint(int i) const { return static_cast<unsigned>(args[i]); }
  long arg_long(int i) const { return static_cast<long>(args[i]); }
  uint64_t arg(int i) const { return args[i]; }
  void print(const char* s) const { out->append(s); }
  void print(const std::string& s) const { out->append(s); }
  void printc(char c) const { out->push_back(c); }
  void printf(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));
};

using SysFunc = int (*)(Call& c);

/** print() with -P's collection of fds and paths suspended: for an argument strace's -P ignores. */
template <typename F> void print_untracked(const Call& c, F&& print) {
  const bool was = c.collect_targets;
  c.collect_targets = false;
  print();
  c.collect_targets = was;
}

/** What print() prints through c, as a separate string instead of on the line: the text of an
 *  RVAL_STR note (c.aux), or of an entry value kept for exit (c.saved_text). */
template <typename F> std::string capture(Call& c, F&& print) {
  std::string text;
  std::string* line = c.out;
  c.out = &text;
  print();
  c.out = line;
  return text;
}

/** print() with the call's error hidden: arguments the kernel read at entry but strace prints at exit
 *  (io_getevents' and mq_timedreceive's timeouts) print the same whether or not the call failed. */
template <typename F> void as_if_succeeded(Call& c, F&& print) {
  const int error = c.error;
  c.error = 0;
  print();
  c.error = error;
}

/** A diagnostic as strace prints one on stderr, through opts->report (dropped without one). */
void report(const Call& c, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// ---- Reading the tracee's memory (process_vm_readv, with a /proc/PID/mem fallback) ----
/** Read exactly len bytes; false when any of it cannot be read. */
bool read_mem(const Call& c, uint64_t addr, void* buf, size_t len);
/** Read up to len bytes; returns how many were read (partial reads near a page end are fine). */
size_t read_mem_partial(const Call& c, uint64_t addr, void* buf, size_t len);
/** Read a NUL-terminated string of at most max bytes; sets *terminated when the NUL was found. */
bool read_cstr(const Call& c, uint64_t addr, size_t max, std::string* s, bool* terminated);
template <typename T> bool read_obj(const Call& c, uint64_t addr, T* obj) {
  return read_mem(c, addr, obj, sizeof(T));
}

// ---- Shared printers: every family uses these, nothing prints a value its own way ----
/** An address: NULL or 0x7ffd.... */
void print_addr(const Call& c, uint64_t addr);
/** A descriptor: 3, or with -y 3</etc/hostname>, 3<pipe:[123]>, with -yy 3<TCP:[1.2.3.4:5->...]>. AT_FDCWD as AT_FDCWD. */
void print_fd(const Call& c, int fd);
/** A descriptor of another process (kcmp's, pidfd_getfd's target): decorated by -y from that
 *  process's table; owner is its pid in our namespace, 0 when unknown (the number alone). */
void print_fd_of(const Call& c, pid_t owner, int fd);
/** The pid (as /proc shows it to us) that descriptor fd of process pid refers to when it is a
 *  pidfd, else 0. */
pid_t pidfd_target(pid_t pid, int fd);
/** A dirfd argument: AT_FDCWD or print_fd. */
void print_dirfd(const Call& c, int fd);
/** A NUL-terminated path: "path" (PATH_MAX cap, no -s truncation), or the address when unreadable. */
void print_path(const Call& c, uint64_t addr);
/** A NUL-terminated string truncated at -s: "abc"... */
void print_cstr(const Call& c, uint64_t addr);
/** strace's general string printer: at most len bytes at addr (and no more than -s of them), up to a
 *  NUL when nul_terminated. NULL for 0; the address when the bytes cannot be read; "..." after them
 *  when a NUL-terminated string has no NUL in that many bytes or when len exceeds -s. print_cstr is
 *  this with no len (UINT64_MAX), print_buf with nul_terminated false. */
void print_str_ex(const Call& c, uint64_t addr, uint64_t len, bool nul_terminated);
/** A buffer of len bytes, quoted and truncated at -s as strace does (len may exceed what is readable). */
void print_buf(const Call& c, uint64_t addr, uint64_t len);
/** len bytes of the tracee at addr, quoted in hex whatever -x says, cut at -s ("\x01\x02"...). */
void print_buf_hex(const Call& c, uint64_t addr, uint64_t len);
/** Bytes already copied out, quoted in hex whatever -x says, never cut. */
void print_hex_bytes(const Call& c, const void* data, size_t len);
/** An already-read byte string quoted as strace does; truncated=true appends "...". With --redact,
 *  its length instead: "..."<N bytes> (<N+ bytes> when truncated: at least that long). */
void print_quoted(const Call& c, const char* data, size_t len, bool truncated, bool stop_at_nul = false);
/** --redact: a string of `bytes` bytes as "..."<N bytes> ("" when empty; <N+ bytes> when at_least). */
void print_redacted(const Call& c, uint64_t bytes, bool at_least);
/** --redact is on for this call's output. */
bool redacting(const Call& c);
/** -e verbose=SET: false for a call outside SET, whose structures, arrays and argv print as their
 *  addresses (strace's verbose(tcp), which its tfetch_mem checks). */
bool structs_decoded(const Call& c);
/** An iovec array: [{iov_base="...", iov_len=N}, ...]; data_len caps the bytes shown (-1: each iov_len). */
void print_iov(const Call& c, uint64_t addr, uint64_t count, int64_t data_len);
// ---- Named constants, in the -X style of the call (xstyle(c)) ----
/** The style constants print in for this call: -X, or abbrev inside a verbose composite's comment. */
XlatStyle xstyle(const Call& c);
/** print() with constants in style st whatever -X says, as strace does for a few values it always
 *  explains (prctl's pid type as 0 and PIDTYPE_PID in a comment, even without -X verbose). Inside
 *  a verbose composite's comment the names stay names. */
template <typename F> void with_xstyle(const Call& c, XlatStyle st, F&& print) {
  const int8_t was = c.style_override;
  c.style_override = static_cast<int8_t>(st);
  print();
  c.style_override = was;
}
/** The style of strace's always-explained values: -X raw stays raw, the others are verbose. */
XlatStyle verbose_unless_raw(const Call& c);
/** A number as a constant's number is written: 0x40, 64, 0100. */
void print_val(const Call& c, uint64_t val, ValFmt fmt);
/** A constant whose name the decoder knows (AT_FDCWD, SIG_IGN, PROT_NONE): the name, the number
 *  (-X raw), or both (-X verbose: -100, then the name in a comment). A null name prints the number. */
void print_const(const Call& c, uint64_t val, const char* name, ValFmt fmt = FMT_HEX);
/** A value printed as several constants (mmap's MAP_PRIVATE|MAP_ANONYMOUS|21<<MAP_HUGE_SHIFT, a mode
 *  S_IFREG|0644): body() prints the names; -X raw prints val alone, -X verbose val and then the names
 *  in a comment. */
template <typename V, typename F> void print_styled(const Call& c, V&& value, F&& body);
template <typename F> void print_composite(const Call& c, uint64_t val, ValFmt fmt, F&& body) {
  print_styled(c, [&] { print_val(c, val, fmt); }, body);
}
/** The -X rule print_composite follows, for any raw form: value() alone (-X raw), body() alone
 *  (abbrev), or value() and then body() in a comment (-X verbose). */
template <typename V, typename F> void print_styled(const Call& c, V&& value, F&& body) {
  const XlatStyle st = xstyle(c);
  if (st != XLAT_ABBREV) value();
  if (st == XLAT_RAW) return;
  if (st == XLAT_VERBOSE) c.print(" /* ");
  c.names_only++;
  body();
  c.names_only--;
  if (st == XLAT_VERBOSE) c.print(" */");
}
/** Flag bits: A|B|0x40 (unknown bits in hex). A value of 0 prints zero: "0", nothing for "", or a
 *  name (F_OK) when the bits have one for 0. A value none of whose bits is known is followed by a
 *  comment naming it: unknown, else the table's own name for it (msync's 0x10 MS_???); "" for none. */
void print_flags(const Call& c, const Xlat& x, uint64_t val, const char* zero = "0", const char* unknown = nullptr);
/** The names of val's known bits as strace puts them in a return value's note (" = 0x3 (A|B)"):
 *  A|B, then what is left in hex (A|0x40); zero_name for 0 when given; "" (no note) under -X raw or
 *  when no bit is known. The number itself is the return value's, never repeated in the note. */
std::string flags_note(const Call& c, const Xlat& x, uint64_t val, const char* zero_name = nullptr);
/** One value: its name when the table knows it. */
// Unknown: the number in hex (print_xval_d: decimal, print_xval_u: unsigned decimal), then
// " /* dflt */" when dflt is given (strace's way of saying SEEK_??? for a value it has no name for).
void print_xval(const Call& c, const Xlat& x, uint64_t val, const char* dflt = nullptr);
/** Like print_xval but an unknown value prints as decimal. */
void print_xval_d(const Call& c, const Xlat& x, int64_t val, const char* dflt = nullptr);

void print_xval_u(const Call& c, const Xlat& x, uint64_t val, const char* dflt = nullptr);
/** An errno value inside a structure (not a return value): ENOENT, or -ENOENT when negated. */
void print_errno_val(const Call& c, int64_t err, bool negated);
/** A pid as strace prints one: the number, then with -Y the process's name (1234<bash>), and with
 *  --pidns-translation, when the tracee lives in another pid namespace, the pid in ours in a comment
 *  (1, then "4321 in strace's PID NS" in a comment). */
void print_pid(const Call& c, int pid, PidType type);
/** kill()-style: a process (pid > 0) or a process group (pid < -1). */
void print_pid_tgid_pgid(const Call& c, int pid);
/** The number /proc knows process pid of our namespace by: pid itself, unless /proc was mounted
 *  from another pid namespace than ours (unshare -pf without --mount-proc). Defined in pids.cc. */
int proc_pid(int pid);
/** The pid in our namespace of pid as the tracee sees it (0 when unknown). */
int translate_pid(const Call& c, int pid, PidType type);
/** A process name as strace writes it inside <...>: quoted, with '<' and '>' escaped. */
std::string quote_comm(const std::string& comm);
/** One character as C writes it, between single quotes: 'a', '\'', '\x01'; with esc_ws, \t \n \v \f \r
 *  by their letters. */
void print_char(const Call& c, unsigned char ch, bool esc_ws);
/** A signal number: SIGCHLD, SIGRTMIN, SIGRT_3, or the number when unknown. */
void print_signame(const Call& c, int sig);
std::string signame(int sig);
/** A sigset of size bytes at addr: [INT TERM] or ~[KILL STOP RTMIN RT_1]. */
void print_sigset_addr(const Call& c, uint64_t addr, uint64_t size);
void print_sigset(const Call& c, const uint64_t* words, size_t nbits);
/** {const sigset_t *ss; size_t ss_len;} at addr (pselect6, io_pgetevents): {sigmask=[...], sigsetsize=8}. */
void print_kernel_sigset(const Call& c, uint64_t addr);
/** A time as strace's comment after it shows it: " /\* 2023-11-14T22:13:20.123456789+0000 *\/" (local
 *  time zone); the fraction (nanoseconds, or microseconds with usec) only when it is not zero. The
 *  epoch itself (a zero time, often "unknown") and a fraction out of range get no comment. */
void print_time_comment(const Call& c, int64_t sec, uint64_t frac, bool usec = false);
/** struct timespec / timeval at addr: {tv_sec=1, tv_nsec=0}. */
void print_timespec(const Call& c, uint64_t addr);
void print_timeval(const Call& c, uint64_t addr);
/** A device number: makedev(0x8, 0x1) (-X raw: 0x801; -X verbose: both). */
void print_dev_t(const Call& c, uint64_t dev);
/** A file mode for open/mkdir/chmod: 0644, with S_IF* type when with_type. */
void print_mode(const Call& c, unsigned mode, bool with_type = false);
/** A socket address of len bytes: {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}. */
void print_sockaddr(const Call& c, uint64_t addr, int64_t len);
/** A uid_t/gid_t: -1 (the "leave unchanged" value) as -1, any other value unsigned. */
void print_id(const Call& c, uint32_t id);
/** A number as strace prints unknown values: decimal, or 0x... for flags. */
void print_dec(const Call& c, int64_t v);
void print_udec(const Call& c, uint64_t v);
void print_hex(const Call& c, uint64_t v);
/** Fetch an int at addr and print "[v]" (e.g. socklen_t *, int * results); address when unreadable. */
void print_int_ptr(const Call& c, uint64_t addr);

/** A siginfo as strace prints it inside "--- SIGxxx {...} ---": si_signo=SIGCHLD, si_code=CLD_EXITED, ... */
void print_siginfo(const Call& c, const siginfo_t& si);
/** What /proc/PID/fd/FD points to ("/etc/hostname", "pipe:[123]", "socket:[456]"), or "" when unknown. */
std::string fd_link(pid_t pid, int fd);

/** -yy text for a socket inode: "TCP:[127.0.0.1:5000->127.0.0.1:40876]", "UNIX-STREAM:[123->456]",
 *  or "" when unknown (then print_fd falls back to "socket:[N]"), looked up in pid's network
 *  namespace. Defined in decode/sockets.cc. */
std::string socket_details(pid_t pid, uint64_t inode);

/** One unix socket as sock_diag lists it (what `ss -x` shows): its inode, its peer's inode (0 when
 *  none), SOCK_* type, state (TCP_ESTABLISHED, TCP_LISTEN...), queue lengths, and its bound name
 *  ("" when unnamed; an abstract name as '@' and the name). */
struct UnixSocketEntry {
  uint32_t inode = 0, peer = 0;
  int type = 0, state = 0;
  uint32_t rqueue = 0, wqueue = 0;
  std::string path;
};
/** Every unix socket of pid's network namespace (ours when pid is 0) through NETLINK_SOCK_DIAG;
 *  empty when the kernel has no unix_diag. Defined in decode/sockets.cc. */
std::vector<UnixSocketEntry> unix_socket_list(pid_t pid);

/** errno name (ENOENT) and message; nullptr when unknown. */
const char* errno_name(int err);
const char* errno_text(int err);

// ---- Process and signal families (decode/signal.cc, decode/process.cc): shared helpers ----
/** strace's rule for a pointer to a struct: NULL, any pointer of a failed call at exit, and unreadable
 *  memory print as the address (returns false); otherwise *obj is read and the caller prints it. */
template <typename T> bool fetch_or_addr(const Call& c, uint64_t addr, T* obj) {
  if (addr == 0 || c.failed() || !structs_decoded(c) || !read_obj(c, addr, obj)) {
    print_addr(c, addr);
    return false;
  }
  return true;
}
/** A siginfo_t at addr (waitid, rt_sigtimedwait, rt_sigqueueinfo): {si_signo=..., ...} or the address. */
void print_siginfo_addr(const Call& c, uint64_t addr);
/** A syscall number of audit architecture arch (seccomp's SIGSYS, PTRACE_GET_SYSCALL_INFO): __NR_getpid
 *  for a known x86_64 call (-X raw: 39; -X verbose: 39 and the name in a comment), else the number.
 *  Defined in decode/signal.cc. */
void print_syscall_nr(const Call& c, uint64_t nr, unsigned arch);
/** struct rusage at addr (wait4, waitid, getrusage): {ru_utime={...}, ru_stime={...}, ...}, every field
 *  with -v. Defined in decode/process.cc. */
void print_rusage(const Call& c, uint64_t addr);

// ---- Time, memory and IPC families (decode/time.cc, decode/memory.cc): shared helpers ----
/** struct itimerspec / itimerval at addr: {it_interval={tv_sec=0, tv_nsec=0}, it_value={...}}
 *  (timer_settime, timerfd_settime, setitimer); NULL, or the address when unreadable. Defined in time.cc. */
void print_itimerspec(const Call& c, uint64_t addr);
void print_itimerval(const Call& c, uint64_t addr);
/** A clock_t tick count: 9, and with -X other than raw the seconds it stands for (9, then "0.09 s" in
 *  a comment) when not zero (times, siginfo's si_utime). Defined in time.cc. */
void print_clock_t(const Call& c, uint64_t ticks);
/** A clockid_t: CLOCK_MONOTONIC, or 0x... CLOCK_??? (clock_*, timer_create, timerfd_create). time.cc. */
void print_clockid(const Call& c, int clockid);
/** struct sigevent at addr: {sigev_value=..., sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL} (timer_create,
 *  mq_notify). Defined in time.cc. */
void print_sigevent(const Call& c, uint64_t addr);
/** A CPU mask of len bytes as the list of CPUs in it: [0 1], "..." when longer than the kernel's mask
 *  (sched_*affinity, io_uring IOWQ_AFF). Defined in process.cc. */
void print_cpu_mask(const Call& c, uint64_t addr, unsigned len);
/** An I/O priority: IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4). Defined in misc.cc. */
void print_ioprio(const Call& c, unsigned ioprio, bool decimal = false);
/** The bytes [start, end) of a structure at addr that a decoder does not know, the way strace shows
 *  the tail of a larger extensible structure: nothing when all zero, ", /\* bytes 32..39 *\/ "\x..""
 *  when not, ", ???" when unreadable (lead in place of ", ": " => {" opens an exit value).
 *  Returns true when it printed something. */
bool print_nonzero_tail(const Call& c, uint64_t addr, uint64_t start, uint64_t end, const char* lead = ", ");
/** Flag bits like print_flags, but a non-zero value with no known bit is followed by a comment naming
 *  `unknown`, as strace prints msync(..., 0x10 [comment MS_???]). */
inline void print_flags_or_unknown(const Call& c, const Xlat& x, uint64_t val, const char* unknown) {
  print_flags(c, x, val, "0", unknown);
}
/** How many elements of an array strace prints before "...": -s, or every one (up to max_array) with -v.
 *  Defined in memory.cc. */
size_t array_print_limit(const Call& c);

/** How print_array_ex reads an array at the exit of a failed call: not at all (the address, as
 *  print_array does), or like any other time (iovec arrays, which strace always reads). */
enum class OnFailure { Address, Read };

/** An array of count elements of type T at addr, printed the way strace prints one: NULL for a null
 *  addr, [] when count is 0, the address alone when the first element cannot be read (or when the
 *  call failed and this is its exit), "[a, b, ...
 *  /\* 0x... *\/]" (the address of the first unreadable one) when a later one cannot, and "..." in
 *  place of the elements past the first `limit`. print_elem(const T&) prints one element that was
 *  read; when it returns bool, false ends the array there (it printed its own "..."). Returns true
 *  when the array was read to its end (or to where the limit or print_elem stopped it).
 *  print_array_ex is this with array_print_limit(c) (-s, or max_array with -v); print_array is
 *  print_array_ex with OnFailure::Address. An array with a bound of its own in strace (a classic BPF
 *  program's BPF_MAXINSNS) passes that bound here. */
template <typename T, typename F>
bool print_array_upto(const Call& c, uint64_t addr, uint64_t count, OnFailure on_failure, size_t limit,
                      F&& print_elem) {
  if (addr == 0) {
    c.print("NULL");
    return false;
  }
  if (count == 0) {
    c.print("[]");
    return false;
  }
  // An array that would run past the end of the address space is not read at all, nor one a failed
  // call was to fill.
  if (count > UINT64_MAX / sizeof(T) || addr + count * sizeof(T) <= addr ||
      (c.failed() && on_failure == OnFailure::Address) || !structs_decoded(c)) {
    print_addr(c, addr);
    return false;
  }
  T elem;
  for (uint64_t i = 0; i < count; i++) {
    if (!read_obj(c, addr + i * sizeof elem, &elem)) {
      if (i == 0) {
        print_addr(c, addr);
        return false;
      }
      c.print(", ... /* ");
      print_addr(c, addr + i * sizeof elem);
      c.print(" */]");
      return false;
    }
    c.print(i == 0 ? "[" : ", ");
    if (i >= limit) {
      c.print("...");
      break;
    }
    if constexpr (std::is_same_v<decltype(print_elem(elem)), bool>) {
      if (!print_elem(elem)) break;
    } else {
      print_elem(elem);
    }
  }
  c.printc(']');
  return true;
}

template <typename T, typename F>
bool print_array_ex(const Call& c, uint64_t addr, uint64_t count, OnFailure on_failure, F&& print_elem) {
  return print_array_upto<T>(c, addr, count, on_failure, array_print_limit(c), print_elem);
}

template <typename T, typename F>
bool print_array(const Call& c, uint64_t addr, uint64_t count, F&& print_elem) {
  return print_array_ex<T>(c, addr, count, OnFailure::Address, print_elem);
}

// ---- Classic BPF programs (decode/bpf_filter.cc): one disassembler for every user ----
/** How a user of classic BPF explains an instruction's k in a BPF_STMT (a socket filter's
 *  SKF_AD_OFF+SKF_AD_PROTOCOL, a seccomp filter's SECCOMP_RET_ERRNO|0x1): prints it and returns
 *  true, or returns false to leave it as hex. */
using BpfPrintK = bool (*)(const Call& c, const sock_filter& insn);
/** len instructions at addr: [BPF_STMT(BPF_LD|BPF_B|BPF_ABS, 0x2a), BPF_JUMP(...)] with -v (at most
 *  BPF_MAXINSNS, then "..."), else the address. */
void print_bpf_insns(const Call& c, uint64_t addr, uint64_t len, BpfPrintK print_k);
/** A struct sock_fprog at addr: {len=N, filter=<print_bpf_insns>}. */
void print_bpf_fprog(const Call& c, uint64_t addr, BpfPrintK print_k);
/** An instruction's code: BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_K|BPF_JEQ, BPF_RET|BPF_K; extended: an
 *  eBPF one (bpf(2)'s programs: BPF_ALU64|BPF_X|BPF_MOV, BPF_JMP32 and the rest unnamed, as strace 6.1). */
void print_bpf_filter_code(const Call& c, uint16_t code, bool extended);

/** An iovec array as print_iov lays it out, [{iov_base=..., iov_len=N}, ...] (read even after a failed
 *  call, whose caller prints the bases as addresses), with each iov_base printed
 *  by print_base(base, n): n is the element's iov_len cut to what is left of data_len (-1: no cap), so
 *  a receive shows only the bytes it returned, spread over the iovecs in order. */
template <typename F>
void print_iov_with(const Call& c, uint64_t addr, uint64_t count, int64_t data_len, F&& print_base) {
  struct Iov {
    uint64_t base, len;
  };
  uint64_t remaining = data_len < 0 ? UINT64_MAX : static_cast<uint64_t>(data_len);
  print_array_ex<Iov>(c, addr, count, OnFailure::Read, [&](const Iov& iov) {
    const uint64_t n = iov.len < remaining ? iov.len : remaining;
    if (data_len >= 0) remaining -= n;
    c.print("{iov_base=");
    print_base(iov.base, n);
    c.printf(", iov_len=%llu}", static_cast<unsigned long long>(iov.len));
  });
}

// ---- File and descriptor families (decode/file.cc, decode/desc.cc): shared helpers ----
/** open(2)-style flags: the access mode by name, then the other O_* bits (O_RDONLY|O_CLOEXEC); used by
 *  open/openat/openat2 and fcntl F_GETFL/F_SETFL. All 64 bits are shown (openat2's are 64-bit): a
 *  caller whose flags are an int passes them cut to 32. Defined in decode/file.cc. */
void print_open_flags(const Call& c, uint64_t flags);

// ---- The syscall table: name, argument count, classes, decoder ----
struct SyscallEnt {
  const char* name;
  int nargs;
  uint32_t classes;  // SyscallClass bits (src/engine/types.ts)
  SysFunc fn;        // nullptr: print nargs raw arguments as strace does for undecoded calls
};
enum : uint32_t {
  TF = 1u << 0,   // %file
  TN = 1u << 1,   // %network
  TP = 1u << 2,   // %process
  TS = 1u << 3,   // %signal
  TD = 1u << 4,   // %desc
  TM = 1u << 5,   // %memory
  TI = 1u << 6,   // %ipc
  TC = 1u << 7,   // %creds
  TCL = 1u << 8,  // %clock
  TST = 1u << 9,  // %stat
  TLST = 1u << 10,  // %lstat
  TFST = 1u << 11,  // %fstat
  TSTA = 1u << 12,  // %%stat
  TSF = 1u << 13,   // %statfs
  TFSF = 1u << 14,  // %fstatfs
  TSFA = 1u << 15,  // %%statfs
  TPU = 1u << 16,   // %pure
};

/** The entry for syscall nr (a generic "syscall_NNN" entry for unknown numbers). */
const SyscallEnt& syscall_ent(long nr);
/** Highest syscall number known. */
long syscall_max();
/** Whether nr has a name (false beyond the table and in its gaps). */
bool syscall_known(long nr);
/** Number for a name, or -1. */
long syscall_by_name(const std::string& name);

/** Decode one phase of a call into *c.out (the name and "(" are printed by the caller at entry). */
int decode_call(Call& c);
/** Append " = ..." for a finished call (return value, errno, aux) given the decoder's flags. */
void print_rval(Call& c, int flags);

// Families register their decoders by name through these tables (each family file defines one).
struct NamedDecoder {
  const char* name;
  SysFunc fn;
};
struct DecoderFamily {
  const NamedDecoder* decoders;
  size_t count;
};
// One per family file: decode/file.cc defines family_file, and so on. The table (table.cc) merges them.
extern const DecoderFamily family_file, family_desc, family_net, family_process, family_signal,
    family_memory, family_ipc, family_time, family_misc, family_ioctl,
    family_kernel, family_fsapi, family_keys, family_quota,
    family_aio, family_perf, family_bpf;

}  // namespace decode
