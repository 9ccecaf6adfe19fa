// The descriptor family: dup*, fcntl, pipes, eventfd, ioctl (terminal and generic), poll/select,
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
  print_flags(c, xlat_dup3_flags, c.arg_uint(2));
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
  c.printf(", pid=%d}", ox.pid);
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

// ---------------------------------------------------------------- ioctl

// The kernel's struct termios and struct termio (not glibc's, which has more c_cc and speed fields).
struct KernelTermios {
  uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  uint8_t c_line;
  uint8_t c_cc[19];
};
struct KernelTermio {
  uint16_t c_iflag, c_oflag, c_cflag, c_lflag;
  uint8_t c_line;
  uint8_t c_cc[8];
};

constexpr uint32_t kCbaud = 0010017, kCsize = 0000060, kCibaud = 002003600000, kIbshift = 16;
constexpr uint32_t kNldly = 0000400, kCrdly = 0003000, kTabdly = 0014000, kBsdly = 0020000,
                   kVtdly = 0040000, kFfdly = 0100000;

// strace writes every field of c_oflag and c_cflag followed by "|", then the remaining bits (nothing
// when there are none, leaving the "|" at the end: "NL0|CR0|TAB0|BS0|VT0|FF0|"); zero flag words print
// as nothing at all.
void print_oflag(const Call& c, uint32_t v) {
  const struct {
    const Xlat& x;
    uint32_t mask;
  } fields[] = {{xlat_termios_nldly, kNldly}, {xlat_termios_crdly, kCrdly}, {xlat_termios_tabdly, kTabdly},
                {xlat_termios_bsdly, kBsdly}, {xlat_termios_vtdly, kVtdly}, {xlat_termios_ffdly, kFfdly}};
  uint32_t rest = v;
  for (const auto& f : fields) {
    print_xval(c, f.x, v & f.mask);
    c.printc('|');
    rest &= ~f.mask;
  }
  print_flags(c, xlat_termios_oflags, rest, "");
}

void print_cflag(const Call& c, uint32_t v) {
  print_xval(c, xlat_termios_baud, v & kCbaud);
  c.printc('|');
  if (v & kCibaud) {
    print_xval(c, xlat_termios_baud, (v & kCibaud) >> kIbshift);
    c.print("<<IBSHIFT|");
  }
  print_xval(c, xlat_termios_csize, v & kCsize);
  c.printc('|');
  print_flags(c, xlat_termios_cflags, v & ~(kCbaud | kCsize | kCibaud), "");
}

template <typename T>
void print_termios(const Call& c, const T& t) {
  c.print("{c_iflag=");
  print_flags(c, xlat_termios_iflags, t.c_iflag, "");
  c.print(", c_oflag=");
  print_oflag(c, t.c_oflag);
  c.print(", c_cflag=");
  print_cflag(c, t.c_cflag);
  c.print(", c_lflag=");
  print_flags(c, xlat_termios_lflags, t.c_lflag, "");
  if (!c.opts->verbose) {
    c.print(", ...}");
    return;
  }
  c.print(", c_line=");
  print_xval(c, xlat_tty_ldiscs, t.c_line);
  c.print(", c_cc=[");
  const size_t n = sizeof t.c_cc;
  for (size_t i = 0; i < n; i++) {
    if (i) c.print(", ");
    if (const char* name = xlat_lookup(xlat_termios_cc, i))
      c.printf("[%s]=", name);
    else
      c.printf("[%zu]=", i);
    print_hex(c, t.c_cc[i]);
  }
  c.print("]}");
}

template <typename T>
void print_termios_at(const Call& c, uint64_t addr) {
  T t;
  if (c.failed() || !read_obj(c, addr, &t)) {
    print_addr(c, addr);
    return;
  }
  print_termios(c, t);
}

void print_winsize_at(const Call& c, uint64_t addr) {
  struct winsize ws;
  if (c.failed() || !read_obj(c, addr, &ws)) {
    print_addr(c, addr);
    return;
  }
  c.printf("{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", ws.ws_row, ws.ws_col, ws.ws_xpixel,
           ws.ws_ypixel);
}

// An int * result at exit: [N], or the address when the call failed.
void print_int_result(const Call& c, uint64_t addr) {
  if (c.failed())
    print_addr(c, addr);
  else
    print_int_ptr(c, addr);
}

// An integer the kernel stored at addr: [N], or the address when the call failed or it is unreadable.
template <typename T>
void print_num_result(const Call& c, uint64_t addr) {
  T v;
  if (c.failed() || !read_obj(c, addr, &v)) {
    print_addr(c, addr);
    return;
  }
  c.printf("[%llu]", static_cast<unsigned long long>(v));
}

// FS_IOC_GETFLAGS/SETFLAGS pass an int of inode flags: [FS_EXTENT_FL].
void print_inode_flags(const Call& c, uint64_t addr) {
  int v;
  if (c.failed() || !read_obj(c, addr, &v)) {
    print_addr(c, addr);
    return;
  }
  c.printc('[');
  print_flags(c, xlat_fs_inode_flags, static_cast<unsigned>(v));
  c.printc(']');
}

void print_clone_range(const Call& c, uint64_t addr) {
  struct file_clone_range r;
  if (!read_obj(c, addr, &r)) {
    print_addr(c, addr);
    return;
  }
  c.printf("{src_fd=%lld, src_offset=%llu, src_length=%llu, dest_offset=%llu}", static_cast<long long>(r.src_fd),
           static_cast<unsigned long long>(r.src_offset), static_cast<unsigned long long>(r.src_length),
           static_cast<unsigned long long>(r.dest_offset));
}

// The command: its name; two names when a sound ioctl shares the number ("SNDCTL_TMR_START or
// TCSETS"); or _IOC(dir, type, nr, size) for numbers we have no name for.
void print_ioctl_cmd(const Call& c, unsigned cmd) {
  const char* name = xlat_lookup(xlat_ioctl_cmds, cmd);
  if (!name) name = xlat_lookup(xlat_ioctl_file_cmds, cmd);
  const char* alias = xlat_lookup(xlat_ioctl_aliases, cmd);
  if (name && alias) {
    c.printf("%s or %s", alias, name);
    return;
  }
  if (name) {
    c.print(name);
    return;
  }
  static const char* const kDir[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"};
  c.printf("_IOC(%s, ", kDir[(cmd >> _IOC_DIRSHIFT) & _IOC_DIRMASK]);
  print_hex(c, (cmd >> _IOC_TYPESHIFT) & _IOC_TYPEMASK);
  c.print(", ");
  print_hex(c, (cmd >> _IOC_NRSHIFT) & _IOC_NRMASK);
  c.print(", ");
  print_hex(c, (cmd >> _IOC_SIZESHIFT) & _IOC_SIZEMASK);
  c.printc(')');
}

// How an ioctl's third argument is shown.
enum class IoctlArg {
  kHex,          // unknown meaning: the number in hex
  kNone,         // no argument at all (FIOCLEX)
  kDecimal,      // an int value (TCSBRK)
  kIntIn,        // int * read at entry ([1])
  kIntOut,       // int * filled by the kernel ([3])
  kTermiosIn,    // struct termios at entry
  kTermiosOut,   // struct termios at exit
  kTermioIn,     // struct termio at entry
  kTermioOut,    // struct termio at exit
  kWinsizeIn,    // struct winsize at entry
  kWinsizeOut,   // struct winsize at exit
  kChar,         // one byte to push into the input queue (TIOCSTI)
  kFlush,        // TCFLSH queue selector
  kFlow,         // TCXONC action
  kU64Out,       // uint64_t * filled by the kernel (BLKGETSIZE64)
  kULongOut,     // unsigned long * filled by the kernel (BLKGETSIZE)
  kInodeFlagsIn,   // FS_IOC_SETFLAGS: [FS_..._FL]
  kInodeFlagsOut,  // FS_IOC_GETFLAGS
  kCloneRange,   // struct file_clone_range at entry
};

IoctlArg ioctl_arg(unsigned cmd) {
  switch (cmd) {
    case TCGETS: case TIOCGLCKTRMIOS:
      return IoctlArg::kTermiosOut;
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS:
      return IoctlArg::kTermiosIn;
    case TCGETA:
      return IoctlArg::kTermioOut;
    case TCSETA: case TCSETAW: case TCSETAF:
      return IoctlArg::kTermioIn;
    case TIOCGWINSZ:
      return IoctlArg::kWinsizeOut;
    case TIOCSWINSZ:
      return IoctlArg::kWinsizeIn;
    case FIONREAD: case TIOCOUTQ: case TIOCGPGRP: case TIOCGSID: case TIOCGETD: case TIOCGPTN:
    case TIOCMGET: case TIOCGSOFTCAR: case TIOCGEXCL: case TIOCGPKT: case TIOCGPTLCK: case FIOGETOWN:
    case SIOCGPGRP: case SIOCATMARK: case FIOQSIZE:
      return IoctlArg::kIntOut;
    case TIOCSPGRP: case TIOCSETD: case TIOCSPTLCK: case TIOCMBIS: case TIOCMBIC: case TIOCMSET:
    case TIOCSSOFTCAR: case TIOCPKT: case FIONBIO: case FIOASYNC: case FIOSETOWN: case SIOCSPGRP:
      return IoctlArg::kIntIn;
    case TCSBRK: case TCSBRKP: case TIOCSCTTY: case TIOCSIG:
      return IoctlArg::kDecimal;
    case TIOCNOTTY: case TIOCEXCL: case TIOCNXCL: case FIOCLEX: case FIONCLEX: case TIOCSBRK:
    case TIOCCBRK: case TIOCVHANGUP: case TIOCCONS:
      return IoctlArg::kNone;
    case TIOCSTI:
      return IoctlArg::kChar;
    case TCFLSH:
      return IoctlArg::kFlush;
    case TCXONC:
      return IoctlArg::kFlow;
    case FICLONE:
      return IoctlArg::kDecimal;  // the source descriptor, as a plain number
    case FICLONERANGE:
      return IoctlArg::kCloneRange;
    case FS_IOC_GETFLAGS:
      return IoctlArg::kInodeFlagsOut;
    case FS_IOC_SETFLAGS:
      return IoctlArg::kInodeFlagsIn;
    case BLKGETSIZE64:
      return IoctlArg::kU64Out;
    case BLKGETSIZE: case BLKRAGET:
      return IoctlArg::kULongOut;
    case BLKSSZGET: case BLKBSZGET: case BLKROGET: case BLKIOMIN: case BLKIOOPT: case BLKALIGNOFF:
    case BLKPBSZGET: case BLKDISCARDZEROES: case BLKROTATIONAL:
      return IoctlArg::kIntOut;
    default:
      return IoctlArg::kHex;
  }
}

int sys_ioctl(Call& c) {
  const unsigned cmd = c.arg_uint(1);
  const uint64_t arg = c.arg(2);
  const IoctlArg kind = ioctl_arg(cmd);
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    print_ioctl_cmd(c, cmd);
    switch (kind) {
      case IoctlArg::kTermiosOut:
      case IoctlArg::kTermioOut:
      case IoctlArg::kWinsizeOut:
      case IoctlArg::kIntOut:
      case IoctlArg::kU64Out:
      case IoctlArg::kULongOut:
      case IoctlArg::kInodeFlagsOut:
        return 0;
      case IoctlArg::kNone:
        return RVAL_DECODED;
      default:
        break;
    }
    c.print(", ");
    switch (kind) {
      case IoctlArg::kTermiosIn: print_termios_at<KernelTermios>(c, arg); break;
      case IoctlArg::kTermioIn: print_termios_at<KernelTermio>(c, arg); break;
      case IoctlArg::kWinsizeIn: print_winsize_at(c, arg); break;
      case IoctlArg::kIntIn: print_int_ptr(c, arg); break;
      case IoctlArg::kDecimal: c.printf("%d", static_cast<int>(arg)); break;
      case IoctlArg::kChar: print_buf(c, arg, 1); break;
      case IoctlArg::kFlush: print_xval(c, xlat_tcflsh_args, static_cast<unsigned>(arg), "TC???"); break;
      case IoctlArg::kFlow: print_xval(c, xlat_tcxonc_args, static_cast<unsigned>(arg), "TC???"); break;
      case IoctlArg::kInodeFlagsIn: print_inode_flags(c, arg); break;
      case IoctlArg::kCloneRange: print_clone_range(c, arg); break;
      default: print_hex(c, arg); break;
    }
    return RVAL_DECODED;
  }
  c.print(", ");
  switch (kind) {
    case IoctlArg::kTermiosOut: print_termios_at<KernelTermios>(c, arg); break;
    case IoctlArg::kTermioOut: print_termios_at<KernelTermio>(c, arg); break;
    case IoctlArg::kWinsizeOut: print_winsize_at(c, arg); break;
    case IoctlArg::kU64Out: print_num_result<uint64_t>(c, arg); break;
    case IoctlArg::kULongOut: print_num_result<unsigned long>(c, arg); break;
    case IoctlArg::kInodeFlagsOut: print_inode_flags(c, arg); break;
    default: print_int_result(c, arg); break;
  }
  return 0;
}

// ---------------------------------------------------------------- poll and select

// struct pollfd array at entry: [{fd=3, events=POLLIN}, {fd=-1}].
void print_pollfds(const Call& c, uint64_t addr, uint64_t n) {
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

// The exit note of poll/ppoll: the ready fds ([{fd=3, revents=POLLIN}]), "Timeout" when none.
std::string poll_note(Call& c, uint64_t addr, uint64_t n) {
  if (c.rval == 0) return "Timeout";
  return capture(c, [&] {
    c.printc('[');
    struct pollfd p;
    uint64_t shown = 0;
    for (uint64_t i = 0; i < n && read_obj(c, addr + i * sizeof p, &p); i++) {
      if (p.revents == 0) continue;
      if (shown++) c.print(", ");
      c.printf("{fd=%d, revents=", p.fd);
      print_flags(c, xlat_poll_events, static_cast<uint16_t>(p.revents));
      c.printc('}');
    }
    c.printc(']');
  });
}

int sys_poll(Call& c) {
  if (c.entering()) {
    print_pollfds(c, c.arg(0), c.arg_uint(1));
    c.printf(", %u, %d", c.arg_uint(1), c.arg_int(2));
    return 0;
  }
  if (c.failed()) return 0;
  c.aux = poll_note(c, c.arg(0), c.arg_uint(1));
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
  c.aux = poll_note(c, c.arg(0), c.arg_uint(1));
  if (c.rval > 0 && c.arg(2)) c.aux += ", left " + capture(c, [&] { print_timespec(c, c.arg(2)); });
  return RVAL_STR;
}

// The fds set in an fd_set of nfds bits: [0 13]; decorated (-y) only in the arguments.
constexpr int kMaxSelectFds = 1024 * 64;

bool read_fdset(const Call& c, uint64_t addr, int nfds, std::vector<uint64_t>* words) {
  const int n = nfds < 0 ? 0 : (nfds > kMaxSelectFds ? kMaxSelectFds : nfds);
  words->assign(static_cast<size_t>((n + 63) / 64), 0);
  return words->empty() || read_mem(c, addr, words->data(), words->size() * 8);
}

void print_fdset_bits(const Call& c, const std::vector<uint64_t>& words, int nfds, bool decorate) {
  c.printc('[');
  bool first = true;
  for (int fd = 0; fd < nfds && static_cast<size_t>(fd / 64) < words.size(); fd++) {
    if (!(words[static_cast<size_t>(fd / 64)] >> (fd % 64) & 1)) continue;
    if (!first) c.printc(' ');
    first = false;
    if (decorate)
      print_fd(c, fd);
    else
      c.printf("%d", fd);
  }
  c.printc(']');
}

void print_fdset_arg(const Call& c, uint64_t addr, int nfds) {
  std::vector<uint64_t> words;
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (!read_fdset(c, addr, nfds, &words)) {
    print_addr(c, addr);
    return;
  }
  print_fdset_bits(c, words, nfds, true);
}

// select/pselect6 at exit: "in [3], out [4], left {...}", or "Timeout".
std::string select_note(Call& c, bool timespec) {
  if (c.rval == 0) return "Timeout";
  const int nfds = c.arg_int(0);
  static const char* const kNames[] = {"in", "out", "except"};
  std::string note;
  for (int i = 0; i < 3; i++) {
    std::vector<uint64_t> words;
    if (!c.arg(1 + i) || !read_fdset(c, c.arg(1 + i), nfds, &words)) continue;
    bool any = false;
    for (uint64_t w : words) any = any || w;
    if (!any) continue;
    if (!note.empty()) note += ", ";
    note += kNames[i];
    note += ' ';
    note += capture(c, [&] { print_fdset_bits(c, words, nfds, false); });
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
  const int nfds = c.arg_int(0);
  c.printf("%d", nfds);
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
  return RVAL_STR;
}

int sys_pselect6(Call& c) {
  if (c.entering()) {
    print_select_sets(c);
    print_timespec(c, c.arg(4));
    c.print(", ");
    // The sixth argument is {const sigset_t *ss; size_t ss_len;}.
    struct {
      uint64_t ss, len;
    } data;
    if (c.arg(5) == 0) {
      c.print("NULL");
    } else if (!read_obj(c, c.arg(5), &data)) {
      print_addr(c, c.arg(5));
    } else {
      c.print("{sigmask=");
      print_sigset_addr(c, data.ss, data.len);
      c.printf(", sigsetsize=%llu}", static_cast<unsigned long long>(data.len));
    }
    return 0;
  }
  if (c.failed()) return 0;
  c.aux = select_note(c, true);
  return RVAL_STR;
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
  struct epoll_event ev;
  if (c.arg(3) == 0 || !read_obj(c, c.arg(3), &ev))
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

int sys_memfd_create(Call& c) {
  print_cstr(c, c.arg(0));
  c.print(", ");
  print_flags(c, xlat_memfd_flags, c.arg_uint(1));
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
    {"ioctl", sys_ioctl},
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
    {"splice", sys_splice},
    {"tee", sys_tee},
    {"vmsplice", sys_vmsplice},
    {"close_range", sys_close_range},
};

}  // namespace

extern const DecoderFamily family_desc = {kDescDecoders, sizeof kDescDecoders / sizeof kDescDecoders[0]};

}  // namespace decode
