// The time and synchronization family: sleeps, clocks, interval and POSIX timers, futexes, and the
// shared time printers (timespec, timeval, itimerspec, itimerval, sigevent, clock ids).
//
// Output follows strace 6.1 as observed on this machine: a call whose arguments are all inputs is
// printed whole at entry; an output struct is printed at exit, or as its address when the call failed.
#include <linux/futex.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include <cinttypes>
#include <cstring>

#include "decoder.h"
#include "../tables/generated/xlat.h"

namespace decode {

// ---------------------------------------------------------------- shared printers

// A timespec or timeval printed at the exit of a failed call is the address, as every structure is
// (strace's umove_or_printaddr), unless the decoder says otherwise (as_if_succeeded).
void print_timespec(const Call& c, uint64_t addr) {
  struct timespec ts;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (c.failed() || !structs_decoded(c) || !read_obj(c, addr, &ts)) {
    print_addr(c, addr);
    return;
  }
  c.printf("{tv_sec=%lld, tv_nsec=%llu}", static_cast<long long>(ts.tv_sec), static_cast<unsigned long long>(ts.tv_nsec));
}

void print_timeval(const Call& c, uint64_t addr) {
  struct timeval tv;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (c.failed() || !structs_decoded(c) || !read_obj(c, addr, &tv)) {
    print_addr(c, addr);
    return;
  }
  c.printf("{tv_sec=%lld, tv_usec=%llu}", static_cast<long long>(tv.tv_sec), static_cast<unsigned long long>(tv.tv_usec));
}

void print_itimerspec(const Call& c, uint64_t addr) {
  struct itimerspec its;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (!read_obj(c, addr, &its)) {
    print_addr(c, addr);
    return;
  }
  c.print("{it_interval=");
  print_timespec(c, addr + offsetof(struct itimerspec, it_interval));
  c.print(", it_value=");
  print_timespec(c, addr + offsetof(struct itimerspec, it_value));
  c.printc('}');
}

void print_itimerval(const Call& c, uint64_t addr) {
  struct itimerval itv;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (!read_obj(c, addr, &itv)) {
    print_addr(c, addr);
    return;
  }
  c.print("{it_interval=");
  print_timeval(c, addr + offsetof(struct itimerval, it_interval));
  c.print(", it_value=");
  print_timeval(c, addr + offsetof(struct itimerval, it_value));
  c.printc('}');
}

void print_clockid(const Call& c, int clockid) {
  // Dynamic clocks (negative ids: a CPU-time clock of a pid/tid, or an fd) have no name in strace 6.1.
  print_xval(c, xlat_clock_ids, static_cast<unsigned>(clockid), "CLOCK_???");
}

void print_sigevent(const Call& c, uint64_t addr) {
  // Only the fields the kernel reads (32 bytes): struct sigevent's padding to 64 bytes may lie past
  // the end of the caller's memory.
  struct {
    union {
      int sival_int;
      uint64_t sival_ptr;
    } value;
    int signo, notify;
    union {
      int tid;
      struct {
        uint64_t function, attribute;
      } thread;
    } un;
  } sev;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (!read_obj(c, addr, &sev)) {
    print_addr(c, addr);
    return;
  }
  c.printc('{');
  // The value is shown only when it carries something.
  if (sev.value.sival_ptr) {
    c.printf("sigev_value={sival_int=%d, sival_ptr=", sev.value.sival_int);
    print_addr(c, sev.value.sival_ptr);
    c.print("}, ");
  }
  c.print("sigev_signo=");
  switch (sev.notify) {
    case SIGEV_SIGNAL:
    case SIGEV_THREAD:
    case SIGEV_THREAD_ID:
      print_signame(c, sev.signo);
      break;
    default:  // the signal number means nothing here: strace shows it as a plain unsigned number
      c.printf("%u", static_cast<unsigned>(sev.signo));
  }
  c.print(", sigev_notify=");
  print_xval(c, xlat_sigev_notify, static_cast<unsigned>(sev.notify), "SIGEV_???");
  if (sev.notify == SIGEV_THREAD_ID) {
    c.printf(", sigev_notify_thread_id=%d", sev.un.tid);
  } else if (sev.notify == SIGEV_THREAD) {
    c.print(", sigev_notify_function=");
    print_addr(c, sev.un.thread.function);
    c.print(", sigev_notify_attributes=");
    print_addr(c, sev.un.thread.attribute);
  }
  c.printc('}');
}

// A clock_t tick count; a non-zero one is followed by the seconds it stands for, with as many
// decimals as a tick needs (1 /* 0.01 s */ at 100 ticks per second).
void print_clock_t(const Call& c, uint64_t ticks) {
  c.printf("%llu", static_cast<unsigned long long>(ticks));
  static const long tck = sysconf(_SC_CLK_TCK);
  if (ticks == 0 || tck <= 0 || xstyle(c) == XLAT_RAW) return;
  const uint64_t hz = static_cast<uint64_t>(tck);
  int digits = 0;
  uint64_t scale = 1;
  while (scale < hz - 1 && digits < 9) {  // decimals = ceil(log10(hz - 1))
    scale *= 10;
    digits++;
  }
  if (hz == 1) scale = 1, digits = 0;
  const uint64_t frac = ((ticks % hz) * scale * 2 + hz) / (2 * hz);  // rounded to `digits` decimals
  if (digits)
    c.printf(" /* %llu.%0*llu s */", static_cast<unsigned long long>(ticks / hz), digits,
             static_cast<unsigned long long>(frac));
  else
    c.printf(" /* %llu s */", static_cast<unsigned long long>(ticks / hz));
}

namespace {

// ---------------------------------------------------------------- local helpers

using Printer = void (*)(const Call&, uint64_t);

// An output struct: its address when the call failed (the kernel wrote nothing), else its contents.
void print_out(const Call& c, uint64_t addr, Printer p) {
  if (c.failed() && addr != 0) {
    print_addr(c, addr);
    return;
  }
  p(c, addr);
}

// A syscall the kernel will restart (or that a signal interrupted) left a meaningful remainder.
bool is_erestart(const Call& c) {
  switch (c.error) {
    case 512:  // ERESTARTSYS
    case 513:  // ERESTARTNOINTR
    case 514:  // ERESTARTNOHAND
    case 516:  // ERESTART_RESTARTBLOCK
      return true;
    default:
      return false;
  }
}

// The remaining time of nanosleep/clock_nanosleep: the kernel writes it only when a relative sleep
// is interrupted; on success, other errors and TIMER_ABSTIME strace shows the address (the buffer
// holds whatever was there).
void print_remaining(Call& c, uint64_t addr, bool absolute) {
  if (addr != 0 && !absolute && is_erestart(c))
    as_if_succeeded(c, [&] { print_timespec(c, addr); });
  else
    print_addr(c, addr);
}

// A time_t as strace annotates it: the local time in ISO 8601 ("2026-11-22T15:04:05+0000").
std::string iso_time(time_t t) {
  struct tm tm;
  char buf[64];
  if (!localtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm)) return "";
  return buf;
}

// ---------------------------------------------------------------- sleeping

int sys_nanosleep(Call& c) {
  if (c.entering()) {
    print_timespec(c, c.arg(0));
    c.print(", ");
    return 0;
  }
  print_remaining(c, c.arg(1), false);
  return 0;
}

int sys_clock_nanosleep(Call& c) {
  if (c.entering()) {
    print_clockid(c, c.arg_int(0));
    c.print(", ");
    print_flags(c, xlat_timer_flags, c.arg_uint(1));
    c.print(", ");
    print_timespec(c, c.arg(2));
    c.print(", ");
    return 0;
  }
  print_remaining(c, c.arg(3), c.arg(1) != 0);  // any flag, as strace checks it
  return 0;
}

// ---------------------------------------------------------------- clocks

// clock_gettime, clock_getres: the clock at entry, the time at exit.
int sys_clock_gettime(Call& c) {
  if (c.entering()) {
    print_clockid(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_out(c, c.arg(1), print_timespec);
  return 0;
}

int sys_clock_settime(Call& c) {
  print_clockid(c, c.arg_int(0));
  c.print(", ");
  print_timespec(c, c.arg(1));
  return RVAL_DECODED;
}

void print_timezone(const Call& c, uint64_t addr) {
  struct timezone tz;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (!read_obj(c, addr, &tz)) {
    print_addr(c, addr);
    return;
  }
  c.printf("{tz_minuteswest=%d, tz_dsttime=%d}", tz.tz_minuteswest, tz.tz_dsttime);
}

int sys_gettimeofday(Call& c) {
  if (c.entering()) return 0;
  print_out(c, c.arg(0), print_timeval);
  c.print(", ");
  print_out(c, c.arg(1), print_timezone);
  return 0;
}

int sys_settimeofday(Call& c) {
  print_timeval(c, c.arg(0));
  c.print(", ");
  print_timezone(c, c.arg(1));
  return RVAL_DECODED;
}

// time(&t): the stored value and the return value are annotated with the date they stand for.
int sys_time(Call& c) {
  if (c.entering()) return 0;
  const uint64_t addr = c.arg(0);
  time_t t;
  if (addr == 0 || c.failed() || !read_obj(c, addr, &t)) {
    print_addr(c, addr);
  } else {
    std::string date = iso_time(t);
    c.printf("[%lld", static_cast<long long>(t));
    if (!date.empty()) c.printf(" /* %s */", date.c_str());
    c.printc(']');
  }
  if (!c.failed()) c.aux = iso_time(static_cast<time_t>(c.rval));
  return RVAL_STR;
}

void print_timex(const Call& c, uint64_t addr) {
  struct timex tx;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (!read_obj(c, addr, &tx)) {
    print_addr(c, addr);
    return;
  }
  c.print("{modes=");
  print_flags(c, xlat_timex_modes, tx.modes);
  c.printf(", offset=%lld, freq=%lld, maxerror=%lld, esterror=%lld, status=", static_cast<long long>(tx.offset),
           static_cast<long long>(tx.freq), static_cast<long long>(tx.maxerror),
           static_cast<long long>(tx.esterror));
  print_flags(c, xlat_timex_status, static_cast<unsigned>(tx.status));
  c.printf(", constant=%lld, precision=%lld, tolerance=%lld, time=", static_cast<long long>(tx.constant),
           static_cast<long long>(tx.precision), static_cast<long long>(tx.tolerance));
  print_timeval(c, addr + offsetof(struct timex, time));
  c.printf(
      ", tick=%lld, ppsfreq=%lld, jitter=%lld, shift=%d, stabil=%lld, jitcnt=%lld, calcnt=%lld, errcnt=%lld, "
      "stbcnt=%lld, tai=%d}",
      static_cast<long long>(tx.tick), static_cast<long long>(tx.ppsfreq), static_cast<long long>(tx.jitter),
      tx.shift, static_cast<long long>(tx.stabil), static_cast<long long>(tx.jitcnt),
      static_cast<long long>(tx.calcnt), static_cast<long long>(tx.errcnt), static_cast<long long>(tx.stbcnt),
      tx.tai);
}

// adjtimex/clock_adjtime read and write the struct: strace shows it once, at exit, and names the
// clock state the call returns.
int print_adjtimex_exit(Call& c, uint64_t addr) {
  print_out(c, addr, print_timex);
  if (c.failed()) return 0;
  if (const char* state = xlat_lookup(xlat_adjtimex_state, static_cast<uint64_t>(c.rval))) c.aux = state;
  return RVAL_STR;
}

int sys_adjtimex(Call& c) {
  if (c.entering()) return 0;
  return print_adjtimex_exit(c, c.arg(0));
}

int sys_clock_adjtime(Call& c) {
  if (c.entering()) {
    print_clockid(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  return print_adjtimex_exit(c, c.arg(1));
}

// ---------------------------------------------------------------- interval timers and POSIX timers

int sys_alarm(Call& c) {
  c.printf("%u", c.arg_uint(0));
  return RVAL_DECODED;
}

void print_itimer_which(const Call& c, int which) {
  print_xval(c, xlat_itimer_which, static_cast<unsigned>(which), "ITIMER_???");
}

int sys_getitimer(Call& c) {
  if (c.entering()) {
    print_itimer_which(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_out(c, c.arg(1), print_itimerval);
  return 0;
}

int sys_setitimer(Call& c) {
  if (c.entering()) {
    print_itimer_which(c, c.arg_int(0));
    c.print(", ");
    print_itimerval(c, c.arg(1));
    c.print(", ");
    return 0;
  }
  print_out(c, c.arg(2), print_itimerval);
  return 0;
}

int sys_timer_create(Call& c) {
  if (c.entering()) {
    print_clockid(c, c.arg_int(0));
    c.print(", ");
    print_sigevent(c, c.arg(1));
    c.print(", ");
    return 0;
  }
  if (c.failed())
    print_addr(c, c.arg(2));
  else
    print_int_ptr(c, c.arg(2));
  return 0;
}

int sys_timer_settime(Call& c) {
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    print_flags(c, xlat_timer_flags, c.arg_uint(1));
    c.print(", ");
    print_itimerspec(c, c.arg(2));
    c.print(", ");
    return 0;
  }
  print_out(c, c.arg(3), print_itimerspec);
  return 0;
}

int sys_timer_gettime(Call& c) {
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    return 0;
  }
  print_out(c, c.arg(1), print_itimerspec);
  return 0;
}

// timer_getoverrun, timer_delete: just the timer id.
int sys_timer_id(Call& c) {
  c.printf("%d", c.arg_int(0));
  return RVAL_DECODED;
}

int sys_times(Call& c) {
  if (c.entering()) return 0;
  struct tms t;
  const uint64_t addr = c.arg(0);
  if (addr == 0 || c.failed() || !read_obj(c, addr, &t)) {
    print_addr(c, addr);
    return 0;
  }
  c.print("{tms_utime=");
  print_clock_t(c, static_cast<uint64_t>(t.tms_utime));
  c.print(", tms_stime=");
  print_clock_t(c, static_cast<uint64_t>(t.tms_stime));
  c.print(", tms_cutime=");
  print_clock_t(c, static_cast<uint64_t>(t.tms_cutime));
  c.print(", tms_cstime=");
  print_clock_t(c, static_cast<uint64_t>(t.tms_cstime));
  c.printc('}');
  return 0;
}

// ---------------------------------------------------------------- futex

constexpr unsigned kFutexClock = FUTEX_CLOCK_REALTIME;
constexpr unsigned kFutexPrivate = FUTEX_PRIVATE_FLAG;

// The operation word: FUTEX_WAIT_PRIVATE, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, ... strace names
// every command with and without the private flag (FUTEX_FD has no _PRIVATE name, it shows the flag),
// FUTEX_CLOCK_REALTIME only with the commands that take an absolute timeout; anything else is a number.
void print_futex_op(const Call& c, unsigned op) {
  const unsigned cmd = op & ~(kFutexClock | kFutexPrivate);
  const char* base = xlat_lookup(xlat_futex_ops, cmd);
  const bool clock = op & kFutexClock;
  const bool priv = op & kFutexPrivate;
  const bool clock_ok = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI;
  if (!base || (clock && !clock_ok)) {
    c.printf("%#x /* FUTEX_??? */", op);
    return;
  }
  c.print(base);
  if (priv) c.print(cmd == FUTEX_FD ? "|FUTEX_PRIVATE_FLAG" : "_PRIVATE");
  if (clock) c.print("|FUTEX_CLOCK_REALTIME");
}

void print_futex_bitset(const Call& c, unsigned bitset) {
  if (bitset == FUTEX_BITSET_MATCH_ANY)
    c.print("FUTEX_BITSET_MATCH_ANY");
  else
    c.printf("%#x", bitset);
}

// FUTEX_WAKE_OP's encoded operation: [OPARG_SHIFT<<28|]OP<<28|OPARG<<12|CMP<<24|CMPARG.
void print_futex_wake_op(const Call& c, unsigned v) {
  const unsigned op = (v >> 28) & 0xf;
  const unsigned cmp = (v >> 24) & 0xf;
  const unsigned oparg = (v >> 12) & 0xfff;
  const unsigned cmparg = v & 0xfff;
  if (op & FUTEX_OP_OPARG_SHIFT) c.print("FUTEX_OP_OPARG_SHIFT<<28|");
  if (const char* name = xlat_lookup(xlat_futex_wake_ops, op & 7))
    c.printf("%s<<28", name);
  else
    c.printf("%#x<<28 /* FUTEX_OP_??? */", op & 7);
  c.printf("|%#x<<12|", oparg);
  if (const char* name = xlat_lookup(xlat_futex_wake_cmps, cmp))
    c.printf("%s<<24", name);
  else
    c.printf("%#x<<24 /* FUTEX_OP_CMP_??? */", cmp);
  c.printf("|%#x", cmparg);
}

// futex(uaddr, op, val, timeout|val2, uaddr2, val3): which arguments mean something depends on the
// command; strace prints only those, all at entry (a FUTEX_WAIT shows up while it blocks).
int sys_futex(Call& c) {
  const unsigned op = c.arg_uint(1);
  const unsigned cmd = op & ~(kFutexClock | kFutexPrivate);
  const unsigned val = c.arg_uint(2);
  const uint64_t timeout = c.arg(3);
  const unsigned val2 = c.arg_uint(3);
  const uint64_t uaddr2 = c.arg(4);
  const unsigned val3 = c.arg_uint(5);
  print_addr(c, c.arg(0));
  c.print(", ");
  print_futex_op(c, op);
  switch (cmd) {
    case FUTEX_WAIT:
      c.printf(", %u, ", val);
      print_timespec(c, timeout);
      break;
    case FUTEX_LOCK_PI:
    case 13:  // FUTEX_LOCK_PI2
      c.print(", ");
      print_timespec(c, timeout);
      break;
    case FUTEX_WAKE:
    case FUTEX_FD:
      c.printf(", %u", val);
      break;
    case FUTEX_WAIT_BITSET:
      c.printf(", %u, ", val);
      print_timespec(c, timeout);
      c.print(", ");
      print_futex_bitset(c, val3);
      break;
    case FUTEX_WAKE_BITSET:
      c.printf(", %u, ", val);
      print_futex_bitset(c, val3);
      break;
    case FUTEX_REQUEUE:
      c.printf(", %u, %u, ", val, val2);
      print_addr(c, uaddr2);
      break;
    case FUTEX_CMP_REQUEUE:
    case FUTEX_CMP_REQUEUE_PI:
      c.printf(", %u, %u, ", val, val2);
      print_addr(c, uaddr2);
      c.printf(", %u", val3);
      break;
    case FUTEX_WAKE_OP:
      c.printf(", %u, %u, ", val, val2);
      print_addr(c, uaddr2);
      c.print(", ");
      print_futex_wake_op(c, val3);
      break;
    case FUTEX_TRYLOCK_PI:
    case FUTEX_UNLOCK_PI:
      break;
    case FUTEX_WAIT_REQUEUE_PI:
      c.printf(", %u, ", val);
      print_timespec(c, timeout);
      c.print(", ");
      print_addr(c, uaddr2);
      break;
    default:  // an unknown command: every argument, as numbers and addresses
      c.printf(", %u, ", val);
      print_addr(c, timeout);
      c.print(", ");
      print_addr(c, uaddr2);
      c.printf(", %#x", val3);
      break;
  }
  return RVAL_DECODED;
}

// futex_waitv(waiters, nr_futexes, flags, timeout, clockid)
int sys_futex_waitv(Call& c) {
  struct Waiter {
    uint64_t val, uaddr;
    uint32_t flags, reserved;
  };
  constexpr unsigned kFutexWaitvMax = 128;
  const unsigned n = c.arg_uint(1);
  unsigned shown = 0;
  print_array<Waiter>(c, c.arg(0), n, [&](const Waiter& w) -> bool {
    // The kernel takes at most FUTEX_WAITV_MAX waiters; strace shows no more.
    if (shown++ >= kFutexWaitvMax) {
      c.print("...");
      return false;
    }
    c.printf("{val=%#llx, uaddr=", static_cast<unsigned long long>(w.val));
    print_addr(c, w.uaddr);
    c.print(", flags=");
    print_flags(c, xlat_futex_waiter_flags, w.flags);
    if (w.reserved) c.printf(", __reserved=%#x", w.reserved);
    c.printc('}');
    return true;
  });
  c.printf(", %u, %#x, ", n, c.arg_uint(2));
  print_timespec(c, c.arg(3));
  c.print(", ");
  print_clockid(c, c.arg_int(4));
  return RVAL_DECODED;
}

const NamedDecoder kTimeDecoders[] = {
    {"nanosleep", sys_nanosleep},
    {"clock_nanosleep", sys_clock_nanosleep},
    {"clock_gettime", sys_clock_gettime},
    {"clock_getres", sys_clock_gettime},
    {"clock_settime", sys_clock_settime},
    {"clock_adjtime", sys_clock_adjtime},
    {"adjtimex", sys_adjtimex},
    {"gettimeofday", sys_gettimeofday},
    {"settimeofday", sys_settimeofday},
    {"time", sys_time},
    {"times", sys_times},
    {"alarm", sys_alarm},
    {"getitimer", sys_getitimer},
    {"setitimer", sys_setitimer},
    {"timer_create", sys_timer_create},
    {"timer_settime", sys_timer_settime},
    {"timer_gettime", sys_timer_gettime},
    {"timer_getoverrun", sys_timer_id},
    {"timer_delete", sys_timer_id},
    {"futex", sys_futex},
    {"futex_waitv", sys_futex_waitv},
};

}  // namespace

const DecoderFamily family_time = {kTimeDecoders, sizeof kTimeDecoders / sizeof kTimeDecoders[0]};

}  // namespace decode
