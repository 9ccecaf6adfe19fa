// The descriptor family: dup*, fcntl, pipes, eventfd, poll/select,
// epoll, timerfd, signalfd, inotify and memfd. Output follows strace 6.1: inputs at entry, results
// at exit, and the "(...)" note after the return value (poll's ready fds, F_GETFL's flags) through
// RVAL_STR.
#include "decoder.h"

#include <cinttypes>
#include <cstring>
#include <vector>
#include <fcntl.h>
#include <asm/sockios.h>
#include <linux/fs.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>

#include "../tables/generated/xlat.h"

namespace decode {
namespace {

// ---------------------------------------------------------------- dup, pipes, eventfd

int sys_dup(Call& c) {
  print_fd(c, c.arg_int(0));
  return RVAL_DECODED | RVAL_FD;
}

int sys_dup2(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_fd(c, c.arg_int(1));
  return RVAL_DECODED | RVAL_FD;
}

int sys_dup3(Call& c) {
  sys_dup2(c);
  c.print(", ");
  // The kernel accepts only O_CLOEXEC, but any open(2) flag is named (strace does the same).
  print_flags_or_unknown(c, xlat_open_flags, c.arg_uint(2), "O_???");
  return RVAL_DECODED | RVAL_FD;
}

// The two descriptors a pipe returned: [3, 4], or the address when the call failed.
void print_pipe_fds(const Call& c, uint64_t addr) {
  int fds[2];
  if (c.failed() || !read_obj(c, addr, &fds)) {
    print_addr(c, addr);
    return;
  }
  c.printc('[');
  print_fd(c, fds[0]);
  c.print(", ");
  print_fd(c, fds[1]);
  c.printc(']');
}

int sys_pipe(Call& c) {
  if (c.entering()) return 0;
  print_pipe_fds(c, c.arg(0));
  return 0;
}

int sys_pipe2(Call& c) {
  if (c.entering()) return 0;
  print_pipe_fds(c, c.arg(0));
  c.print(", ");
  print_flags(c, xlat_pipe_flags, c.arg_uint(1));
  return 0;
}

int sys_eventfd(Call& c) {
  c.printf("%u", c.arg_uint(0));
  return RVAL_DECODED | RVAL_FD;
}

int sys_eventfd2(Call& c) {
  c.printf("%u, ", c.arg_uint(0));
  print_flags(c, xlat_eventfd_flags, c.arg_uint(1));
  return RVAL_DECODED | RVAL_FD;
}

// ---------------------------------------------------------------- fcntl

void print_flock(const Call& c, const struct flock& fl, bool with_pid) {
  c.print("{l_type=");
  print_xval(c, xlat_flock_types, static_cast<uint16_t>(fl.l_type), "F_???");
  c.print(", l_whence=");
  print_xval(c, xlat_seek_whence, static_cast<uint16_t>(fl.l_whence), "SEEK_???");
  c.printf(", l_start=%lld, l_len=%lld", static_cast<long long>(fl.l_start), static_cast<long long>(fl.l_len));
  if (with_pid) c.printf(", l_pid=%d", fl.l_pid);
  c.printc('}');
}

void print_owner_ex(const Call& c, uint64_t addr) {
  struct {
    int type;
    int pid;
  } ox;
  if (c.failed() || !read_obj(c, addr, &ox)) {
    print_addr(c, addr);
    return;
  }
  c.print("{type=");
  print_xval(c, xlat_f_owner_types, static_cast<unsigned>(ox.type), "F_OWNER_???");
  c.print(", pid=");
  switch (ox.type) {
    case F_OWNER_TID: print_pid(c, ox.pid, PT_TID); break;
    case F_OWNER_PID: print_pid(c, ox.pid, PT_TGID); break;
    case F_OWNER_PGRP: print_pid(c, ox.pid, PT_PGID); break;
    default: c.printf("%d", ox.pid); break;
  }
  c.printc('}');
}

int sys_fcntl(Call& c) {
  const int cmd = c.arg_int(1);
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    print_xval(c, xlat_fcntl_cmds, static_cast<unsigned>(cmd), "F_???");
    switch (cmd) {
      case F_DUPFD:
      case F_DUPFD_CLOEXEC:
        c.printf(", %d", c.arg_int(2));
        return RVAL_DECODED | RVAL_FD;
      case F_SETFD:
        c.print(", ");
        print_flags(c, xlat_fd_flags, c.arg_uint(2));
        return RVAL_DECODED;
      case F_SETFL:
        c.print(", ");
        print_open_flags(c, c.arg_uint(2));
        return RVAL_DECODED;
      case F_SETOWN:
        c.print(", ");
        print_pid_tgid_pgid(c, c.arg_int(2));
        return RVAL_DECODED;
      case F_SETPIPE_SZ:
        c.printf(", %d", c.arg_int(2));
        return RVAL_DECODED;
      case F_SETSIG:
        c.print(", ");
        if (c.arg_int(2))
          print_signame(c, c.arg_int(2));
        else
          c.print("0");
        return RVAL_DECODED;
      case F_SETLEASE:
        c.print(", ");
        print_xval(c, xlat_flock_types, c.arg_uint(2), "F_???");
        return RVAL_DECODED;
      case F_NOTIFY:
        c.print(", ");
        print_flags(c, xlat_dnotify_flags, c.arg_uint(2));
        return RVAL_DECODED;
      case F_ADD_SEALS:
        c.print(", ");
        print_flags(c, xlat_seal_flags, c.arg_uint(2));
        return RVAL_DECODED;
      case F_SETLK:
      case F_SETLKW:
      case F_OFD_SETLK:
      case F_OFD_SETLKW: {
        c.print(", ");
        struct flock fl;
        if (read_obj(c, c.arg(2), &fl))
          print_flock(c, fl, false);
        else
          print_addr(c, c.arg(2));
        return RVAL_DECODED;
      }
      case F_SETOWN_EX:
        c.print(", ");
        print_owner_ex(c, c.arg(2));
        return RVAL_DECODED;
      case F_GETLK:
      case F_OFD_GETLK:
      case F_GETOWN_EX:
        return 0;  // the struct is the result: printed at exit
      case F_GETFD:
      case F_GETFL:
      case F_GETOWN:
      case F_GETSIG:
      case F_GETLEASE:
      case F_GETPIPE_SZ:
      case F_GET_SEALS:
        return 0;  // no argument; the result gets a note at exit
      default:
        c.print(", ");
        print_hex(c, c.arg(2));
        return RVAL_DECODED;
    }
  }
  if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
    c.print(", ");
    struct flock fl;
    if (!c.failed() && read_obj(c, c.arg(2), &fl))
      print_flock(c, fl, true);
    else
      print_addr(c, c.arg(2));
    return 0;
  }
  if (cmd == F_GETOWN_EX) {
    c.print(", ");
    print_owner_ex(c, c.arg(2));
    return 0;
  }
  if (c.failed()) return 0;
  const uint64_t rv = static_cast<uint64_t>(c.rval);
  switch (cmd) {
    case F_GETOWN:
      return static_cast<int>(c.rval) < 0 ? RVAL_PGID : RVAL_TGID;
    case F_GETFD:
      if (!rv) return 0;
      c.aux = "flags " + capture(c, [&] { print_flags(c, xlat_fd_flags, rv); });
      return RVAL_HEX | RVAL_STR;
    case F_GETFL:
      c.aux = "flags " + capture(c, [&] { print_open_flags(c, rv); });
      return RVAL_HEX | RVAL_STR;
    case F_GETSIG:
      if (!rv) return 0;
      c.aux = signame(static_cast<int>(rv));
      return RVAL_STR;
    case F_GETLEASE:
      c.aux = capture(c, [&] { print_xval(c, xlat_flock_types, rv, "F_???"); });
      return RVAL_HEX | RVAL_STR;
    case F_GET_SEALS:
      if (!rv) return RVAL_HEX;
      c.aux = "seals " + capture(c, [&] { print_flags(c, xlat_seal_flags, rv); });
      return RVAL_HEX | RVAL_STR;
    default:
      return 0;
  }
}

// ---------------------------------------------------------------- poll and select

// struct pollfd array at entry: [{fd=3, events=POLLIN}, {fd=-1}].
void print_pollfd_array(const Call& c, uint64_t addr, uint64_t n) {
  print_array<struct pollfd>(c, addr, n, [&](const struct pollfd& p) {
    c.print("{fd=");
    print_fd(c, p.fd);
    if (p.fd >= 0) {
      c.print(", events=");
      print_flags(c, xlat_poll_events, static_cast<uint16_t>(p.events));
    }
    c.printc('}');
  });
}

// The array as print_pollfd_array shows it; for -P every descriptor of it counts, shown or cut by
// -s (strace reads them all, up to 1024*1024 of them), so the printing itself notes none.
void print_pollfds(const Call& c, uint64_t addr, uint64_t n) {
  if (c.collect_targets) {
    struct pollfd p;
    for (uint64_t i = 0; i < n && i < 1024 * 1024 && read_obj(c, addr + i * sizeof p, &p); i++)
      c.seen_fds.push_back(p.fd);
  }
  print_untracked(c, [&] { print_pollfd_array(c, addr, n); });
}

// The exit note of poll/ppoll: the ready fds ([{fd=3, revents=POLLIN}]), "..." after -s of them
// (all with -v), the address of the first entry that cannot be read; "Timeout" when none is ready.
// ppoll adds the time left.
std::string poll_note(Call& c, uint64_t addr, unsigned n, uint64_t left) {
  if (c.rval == 0) return "Timeout";
  if (!structs_decoded(c) || addr == 0 || n == 0 || addr + n * sizeof(struct pollfd) < addr) return "";
  const size_t limit = array_print_limit(c);
  std::string note = capture(c, [&] {
    struct pollfd p;
    size_t shown = 0;
    bool any = false;
    for (unsigned i = 0; i < n; i++) {
      const uint64_t at = addr + i * sizeof p;
      const bool readable = read_obj(c, at, &p);
      if (readable && p.revents == 0) continue;
      c.print(any ? ", " : "[");
      any = true;
      if (!readable) {
        c.printf("%#llx", static_cast<unsigned long long>(at));
        break;
      }
      if (shown >= limit) {
        c.print("...");
        break;
      }
      shown++;
      c.printf("{fd=%d, revents=", p.fd);
      print_flags(c, xlat_poll_events, static_cast<uint16_t>(p.revents));
      c.printc('}');
    }
    if (any) c.printc(']');
  });
  if (left) note += (note.empty() ? "left " : ", left ") + capture(c, [&] { print_timespec(c, left); });
  return note;
}

int sys_poll(Call& c) {
  if (c.entering()) {
    print_pollfds(c, c.arg(0), c.arg_uint(1));
    c.printf(", %u, %d", c.arg_uint(1), c.arg_int(2));
    return 0;
  }
  if (c.failed()) return 0;
  c.aux = poll_note(c, c.arg(0), c.arg_uint(1), 0);
  return RVAL_STR;
}

int sys_ppoll(Call& c) {
  if (c.entering()) {
    print_pollfds(c, c.arg(0), c.arg_uint(1));
    c.printf(", %u, ", c.arg_uint(1));
    print_timespec(c, c.arg(2));
    c.print(", ");
    print_sigset_addr(c, c.arg(3), c.arg(4));
    c.printf(", %llu", static_cast<unsigned long long>(c.arg(4)));
    return 0;
  }
  if (c.failed()) return 0;
  c.aux = poll_note(c, c.arg(0), c.arg_uint(1), c.arg(2));
  return RVAL_STR;
}

// The fds set in an fd_set of nfds bits: [0 13]; decorated (-y) only in the arguments. The kernel
// takes nfds as an int and rejects a negative one; strace reads at most 1024*1024 bits.
constexpr int kMaxSelectFds = 1024 * 1024;

int select_nfds(const Call& c) {
  const int nfds = c.arg_int(0);
  return nfds < 0 ? 0 : (nfds > kMaxSelectFds ? kMaxSelectFds : nfds);
}

bool read_fdset(const Call& c, uint64_t addr, int nfds, std::vector<uint64_t>* words) {
  words->assign(static_cast<size_t>((nfds + 63) / 64), 0);
  return words->empty() || read_mem(c, addr, words->data(), words->size() * 8);
}

// Calls f(fd) for each fd set in words below nfds, in order, until f returns false.
template <typename F> void for_each_fd(const std::vector<uint64_t>& words, int nfds, F&& f) {
  for (int fd = 0; fd < nfds && static_cast<size_t>(fd / 64) < words.size(); fd++)
    if ((words[static_cast<size_t>(fd / 64)] >> (fd % 64) & 1) && !f(fd)) return;
}

// An empty set (nfds 0) or -e verbose= off leaves nothing to read: the addresses, as strace shows.
void print_fdset_arg(const Call& c, uint64_t addr, int nfds) {
  std::vector<uint64_t> words;
  if (nfds == 0 || !structs_decoded(c)) {
    print_addr(c, addr);
    return;
  }
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (!read_fdset(c, addr, nfds, &words)) {
    print_addr(c, addr);
    return;
  }
  c.printc('[');
  bool first = true;
  for_each_fd(words, nfds, [&](int fd) {
    if (!first) c.printc(' ');
    first = false;
    print_fd(c, fd);
    return true;
  });
  c.printc(']');
}

// select/pselect6 at exit: "in [3], out [4], left {...}", or "Timeout". As many fds are named as the
// call says are ready, in the order in, out, except: the kernel fills all three, and a program that
// passes one set three times gets back only what the last one said (then the note is "()").
std::string select_note(Call& c, bool timespec) {
  if (c.rval == 0) return "Timeout";
  const int nfds = select_nfds(c);
  static const char* const kNames[] = {"in", "out", "except"};
  std::string note;
  int64_t ready = c.rval;
  for (int i = 0; i < 3 && ready > 0; i++) {
    std::vector<uint64_t> words;
    if (!c.arg(1 + i) || !read_fdset(c, c.arg(1 + i), nfds, &words)) continue;
    bool first = true;
    for_each_fd(words, nfds, [&](int fd) {
      note += first ? (note.empty() ? "" : ", ") + std::string(kNames[i]) + " [" : " ";
      first = false;
      note += std::to_string(fd);
      return --ready > 0;
    });
    if (!first) note += ']';
  }
  if (c.arg(4)) {
    if (!note.empty()) note += ", ";
    note += "left " + capture(c, [&] {
      if (timespec)
        print_timespec(c, c.arg(4));
      else
        print_timeval(c, c.arg(4));
    });
  }
  return note;
}

void print_select_sets(const Call& c) {
  const int nfds = select_nfds(c);
  c.printf("%d", c.arg_int(0));
  for (int i = 1; i <= 3; i++) {
    c.print(", ");
    print_fdset_arg(c, c.arg(i), nfds);
  }
  c.print(", ");
}

int sys_select(Call& c) {
  if (c.entering()) {
    print_select_sets(c);
    print_timeval(c, c.arg(4));
    return 0;
  }
  if (c.failed()) return 0;
  c.aux = select_note(c, false);
  return RVAL_STR | RVAL_STR_ALWAYS;
}

int sys_pselect6(Call& c) {
  if (c.entering()) {
    print_select_sets(c);
    print_timespec(c, c.arg(4));
    c.print(", ");
    print_kernel_sigset(c, c.arg(5));
    return 0;
  }
  if (c.failed()) return 0;
  c.aux = select_note(c, true);
  return RVAL_STR | RVAL_STR_ALWAYS;
}

// ---------------------------------------------------------------- epoll

void print_epoll_event(const Call& c, const struct epoll_event& ev) {
  c.print("{events=");
  print_flags(c, xlat_epoll_events, ev.events);
  c.printf(", data={u32=%u, u64=%llu}}", static_cast<uint32_t>(ev.data.u64),
           static_cast<unsigned long long>(ev.data.u64));
}

int sys_epoll_create(Call& c) {
  c.printf("%d", c.arg_int(0));
  return RVAL_DECODED | RVAL_FD;
}

int sys_epoll_create1(Call& c) {
  print_flags(c, xlat_epoll_create_flags, c.arg_uint(0));
  return RVAL_DECODED | RVAL_FD;
}

int sys_epoll_ctl(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_xval(c, xlat_epoll_ctl_ops, c.arg_uint(1), "EPOLL_CTL_???");
  c.print(", ");
  print_fd(c, c.arg_int(2));
  c.print(", ");
  struct epoll_event ev;  // EPOLL_CTL_DEL ignores it: the address
  if (c.arg_uint(1) == EPOLL_CTL_DEL || c.arg(3) == 0 || !read_obj(c, c.arg(3), &ev))
    print_addr(c, c.arg(3));
  else
    print_epoll_event(c, ev);
  return RVAL_DECODED;
}

// The events an epoll_wait returned (rval of them), or the address when it failed.
void print_epoll_results(const Call& c, uint64_t addr) {
  if (c.failed()) {
    print_addr(c, addr);
    return;
  }
  print_array<struct epoll_event>(c, addr, static_cast<uint64_t>(c.rval),
                                  [&](const struct epoll_event& ev) { print_epoll_event(c, ev); });
}

int sys_epoll_wait(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_epoll_results(c, c.arg(1));
  c.printf(", %d, %d", c.arg_int(2), c.arg_int(3));
  return 0;
}

int sys_epoll_pwait(Call& c) {
  if (c.entering()) return sys_epoll_wait(c);
  sys_epoll_wait(c);
  c.print(", ");
  print_sigset_addr(c, c.arg(4), c.arg(5));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(5)));
  return 0;
}

int sys_epoll_pwait2(Call& c) {
  if (c.entering()) return sys_epoll_wait(c);
  print_epoll_results(c, c.arg(1));
  c.printf(", %d, ", c.arg_int(2));
  print_timespec(c, c.arg(3));
  c.print(", ");
  print_sigset_addr(c, c.arg(4), c.arg(5));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(5)));
  return 0;
}

// ---------------------------------------------------------------- timerfd, signalfd, inotify, memfd

int sys_timerfd_create(Call& c) {
  print_clockid(c, c.arg_int(0));
  c.print(", ");
  print_flags(c, xlat_timerfd_flags, c.arg_uint(1));
  return RVAL_DECODED | RVAL_FD;
}

// An itimerspec the kernel fills: NULL, the address when the call failed, or the struct.
void print_itimerspec_result(const Call& c, uint64_t addr) {
  if (c.failed() && addr)
    print_addr(c, addr);
  else
    print_itimerspec(c, addr);
}

int sys_timerfd_settime(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    print_flags(c, xlat_timerfd_settime_flags, c.arg_uint(1));
    c.print(", ");
    print_itimerspec(c, c.arg(2));
    c.print(", ");
    return 0;
  }
  print_itimerspec_result(c, c.arg(3));
  return 0;
}

int sys_timerfd_gettime(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_itimerspec_result(c, c.arg(1));
  return 0;
}

int sys_signalfd(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_sigset_addr(c, c.arg(1), c.arg(2));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(2)));
  return RVAL_DECODED | RVAL_FD;
}

int sys_signalfd4(Call& c) {
  sys_signalfd(c);
  c.print(", ");
  print_flags(c, xlat_signalfd_flags, c.arg_uint(3));
  return RVAL_DECODED | RVAL_FD;
}

int sys_inotify_init(Call&) { return RVAL_DECODED | RVAL_FD; }

int sys_inotify_init1(Call& c) {
  print_flags(c, xlat_inotify_init_flags, c.arg_uint(0));
  return RVAL_DECODED | RVAL_FD;
}

int sys_inotify_add_watch(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_flags(c, xlat_inotify_masks, c.arg_uint(2));
  return RVAL_DECODED;
}

int sys_inotify_rm_watch(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %d", c.arg_int(1));
  return RVAL_DECODED;
}

constexpr unsigned kMfdNameMax = 255 - 6;  // MFD_NAME_MAX_LEN: 255 less "memfd:"
constexpr unsigned kMfdHugeShift = 26, kMfdHugeMask = 0x3f;  // MFD_HUGE_SHIFT, MFD_HUGE_MASK

// memfd_create(name, flags): the name as long as the kernel takes one; a huge page size in flags as
// N<<MFD_HUGE_SHIFT.
int sys_memfd_create(Call& c) {
  print_str_ex(c, c.arg(0), kMfdNameMax + 1, true);
  c.print(", ");
  const unsigned flags = c.arg_uint(1);
  if (flags == 0) {
    c.printc('0');
    return RVAL_DECODED | RVAL_FD;
  }
  const unsigned huge = flags & (kMfdHugeMask << kMfdHugeShift);
  const unsigned rest = flags & ~(kMfdHugeMask << kMfdHugeShift);
  print_composite(c, flags, FMT_HEX, [&] {
    if (rest || !huge) print_flags_or_unknown(c, xlat_memfd_flags, rest, "MFD_???");
    if (huge) c.printf("%s%u<<MFD_HUGE_SHIFT", rest ? "|" : "", huge >> kMfdHugeShift);
  });
  return RVAL_DECODED | RVAL_FD;
}

int sys_memfd_secret(Call& c) {
  print_flags(c, xlat_memfd_secret_flags, c.arg_uint(0), "0");
  return RVAL_DECODED | RVAL_FD;
}

// ---------------------------------------------------------------- splice, tee, vmsplice, close_range

// An loff_t * offset read at entry: [N], NULL, or the address.
void print_offset_ptr(const Call& c, uint64_t addr) {
  int64_t v;
  if (addr && read_obj(c, addr, &v))
    c.printf("[%lld]", static_cast<long long>(v));
  else
    print_addr(c, addr);
}

int sys_splice(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_offset_ptr(c, c.arg(1));
  c.print(", ");
  print_fd(c, c.arg_int(2));
  c.print(", ");
  print_offset_ptr(c, c.arg(3));
  c.printf(", %llu, ", static_cast<unsigned long long>(c.arg(4)));
  print_flags(c, xlat_splice_flags, c.arg_uint(5));
  return RVAL_DECODED;
}

int sys_tee(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_fd(c, c.arg_int(1));
  c.printf(", %llu, ", static_cast<unsigned long long>(c.arg(2)));
  print_flags(c, xlat_splice_flags, c.arg_uint(3));
  return RVAL_DECODED;
}

int sys_vmsplice(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_iov(c, c.arg(1), c.arg(2), -1);
  c.printf(", %llu, ", static_cast<unsigned long long>(c.arg(2)));
  print_flags(c, xlat_splice_flags, c.arg_uint(3));
  return RVAL_DECODED;
}

int sys_close_range(Call& c) {
  c.printf("%u, %u, ", c.arg_uint(0), c.arg_uint(1));
  print_flags(c, xlat_close_range_flags, c.arg_uint(2));
  return RVAL_DECODED;
}

const NamedDecoder kDescDecoders[] = {
    {"dup", sys_dup},
    {"dup2", sys_dup2},
    {"dup3", sys_dup3},
    {"pipe", sys_pipe},
    {"pipe2", sys_pipe2},
    {"eventfd", sys_eventfd},
    {"eventfd2", sys_eventfd2},
    {"fcntl", sys_fcntl},
    {"poll", sys_poll},
    {"ppoll", sys_ppoll},
    {"select", sys_select},
    {"pselect6", sys_pselect6},
    {"epoll_create", sys_epoll_create},
    {"epoll_create1", sys_epoll_create1},
    {"epoll_ctl", sys_epoll_ctl},
    {"epoll_wait", sys_epoll_wait},
    {"epoll_pwait", sys_epoll_pwait},
    {"epoll_pwait2", sys_epoll_pwait2},
    {"timerfd_create", sys_timerfd_create},
    {"timerfd_settime", sys_timerfd_settime},
    {"timerfd_gettime", sys_timerfd_gettime},
    {"signalfd", sys_signalfd},
    {"signalfd4", sys_signalfd4},
    {"inotify_init", sys_inotify_init},
    {"inotify_init1", sys_inotify_init1},
    {"inotify_add_watch", sys_inotify_add_watch},
    {"inotify_rm_watch", sys_inotify_rm_watch},
    {"memfd_create", sys_memfd_create},
    {"memfd_secret", sys_memfd_secret},
    {"splice", sys_splice},
    {"tee", sys_tee},
    {"vmsplice", sys_vmsplice},
    {"close_range", sys_close_range},
};

}  // namespace

extern const DecoderFamily family_desc = {kDescDecoders, sizeof kDescDecoders / sizeof kDescDecoders[0]};

}  // namespace decode
