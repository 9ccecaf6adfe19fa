// Terminal ioctl requests decoded by number: termios and winsize structures, the FIO* and TIOC*
// integers.
#include "ioctl_internal.h"

#include <linux/fs.h>
#include <sys/ioctl.h>

#include <type_traits>

#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {
namespace {

// The kernel's struct termios and struct termio (not glibc's, which has more c_cc and speed fields).
struct KernelTermios {
  uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  uint8_t c_line;
  uint8_t c_cc[19];
};
// struct termios2 (TCGETS2): termios with the input and output speeds as numbers (BOTHER).
struct KernelTermios2 {
  uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  uint8_t c_line;
  uint8_t c_cc[19];
  uint32_t c_ispeed, c_ospeed;
};
// The termios2 requests (asm/ioctls.h spells them with the kernel's struct termios2, which glibc's
// headers do not declare).
constexpr unsigned kTcgets2 = _IOR('T', 0x2A, KernelTermios2), kTcsets2 = _IOW('T', 0x2B, KernelTermios2),
                   kTcsetsw2 = _IOW('T', 0x2C, KernelTermios2), kTcsetsf2 = _IOW('T', 0x2D, KernelTermios2);
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
  print_xval(c, xlat_tty_ldiscs, t.c_line, "N_???");
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
  c.printc(']');
  if constexpr (std::is_same_v<T, KernelTermios2>) c.printf(", c_ispeed=%u, c_ospeed=%u", t.c_ispeed, t.c_ospeed);
  c.printc('}');
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

// How an ioctl's third argument is shown.
enum class IoctlArg {
  kHex,          // unknown meaning: the number in hex
  kNone,         // no argument at all (FIOCLEX)
  kDecimal,      // an int value (TCSBRK)
  kIntIn,        // int * read at entry ([1])
  kIntOut,       // int * filled by the kernel ([3])
  kTermiosIn,    // struct termios at entry
  kTermiosOut,   // struct termios at exit
  kTermios2In,   // struct termios2 at entry
  kTermios2Out,  // struct termios2 at exit
  kTermioIn,     // struct termio at entry
  kTermioOut,    // struct termio at exit
  kWinsizeIn,    // struct winsize at entry
  kWinsizeOut,   // struct winsize at exit
  kChar,         // one byte to push into the input queue (TIOCSTI)
  kFlush,        // TCFLSH queue selector
  kFlow,         // TCXONC action
};

IoctlArg ioctl_arg(unsigned cmd) {
  switch (cmd) {
    case TCGETS: case TIOCGLCKTRMIOS:
      return IoctlArg::kTermiosOut;
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS:
      return IoctlArg::kTermiosIn;
    case kTcgets2:
      return IoctlArg::kTermios2Out;
    case kTcsets2: case kTcsetsw2: case kTcsetsf2:
      return IoctlArg::kTermios2In;
    case TCGETA:
      return IoctlArg::kTermioOut;
    case TCSETA: case TCSETAW: case TCSETAF:
      return IoctlArg::kTermioIn;
    case TIOCGWINSZ:
      return IoctlArg::kWinsizeOut;
    case TIOCSWINSZ:
      return IoctlArg::kWinsizeIn;
    case FIONREAD: case TIOCOUTQ: case TIOCGPGRP: case TIOCGSID: case TIOCGETD: case TIOCGPTN:
    case TIOCGSOFTCAR: case TIOCGEXCL: case TIOCGPKT: case TIOCGPTLCK: case FIOQSIZE:
      return IoctlArg::kIntOut;
    case TIOCSPGRP: case TIOCSETD: case TIOCSPTLCK:
    case TIOCSSOFTCAR: case TIOCPKT: case FIONBIO: case FIOASYNC:
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
    default:
      return IoctlArg::kHex;
  }
}

// The requests this file knows, decoded by number (terminal, FIO*).
int legacy_ioctl(Call& c, unsigned cmd, uint64_t arg) {
  const IoctlArg kind = ioctl_arg(cmd);
  if (kind == IoctlArg::kHex) return RVAL_DECODED;
  if (c.entering()) {
    switch (kind) {
      case IoctlArg::kTermiosOut:
      case IoctlArg::kTermios2Out:
      case IoctlArg::kTermioOut:
      case IoctlArg::kWinsizeOut:
      case IoctlArg::kIntOut:
        return 0;
      case IoctlArg::kNone:
        return kIoctlArgDone;
      default:
        break;
    }
    c.print(", ");
    switch (kind) {
      case IoctlArg::kTermiosIn: print_termios_at<KernelTermios>(c, arg); break;
      case IoctlArg::kTermios2In: print_termios_at<KernelTermios2>(c, arg); break;
      case IoctlArg::kTermioIn: print_termios_at<KernelTermio>(c, arg); break;
      case IoctlArg::kWinsizeIn: print_winsize_at(c, arg); break;
      case IoctlArg::kIntIn: print_int_ptr(c, arg); break;
      case IoctlArg::kDecimal: c.printf("%d", static_cast<int>(arg)); break;
      case IoctlArg::kChar: print_buf(c, arg, 1); break;
      case IoctlArg::kFlush: print_xval(c, xlat_tcflsh_args, static_cast<unsigned>(arg), "TC???"); break;
      case IoctlArg::kFlow: print_xval(c, xlat_tcxonc_args, static_cast<unsigned>(arg), "TC???"); break;
      default: print_hex(c, arg); break;
    }
    return kIoctlArgDone;
  }
  c.print(", ");
  switch (kind) {
    case IoctlArg::kTermiosOut: print_termios_at<KernelTermios>(c, arg); break;
    case IoctlArg::kTermios2Out: print_termios_at<KernelTermios2>(c, arg); break;
    case IoctlArg::kTermioOut: print_termios_at<KernelTermio>(c, arg); break;
    case IoctlArg::kWinsizeOut: print_winsize_at(c, arg); break;
    default: print_int_result(c, arg); break;
  }
  return kIoctlArgDone;
}

// Requests described by the shared request table (ioctl_internal.h); the others above.
const Request kTerm[] = {
    req_flags_out(TIOCMGET, xlat_tiocm_flags, "TIOCM_???"),
    req_flags_in(TIOCMBIS, xlat_tiocm_flags, "TIOCM_???"),
    req_flags_in(TIOCMBIC, xlat_tiocm_flags, "TIOCM_???"),
    req_flags_in(TIOCMSET, xlat_tiocm_flags, "TIOCM_???"),
};

}  // namespace

int term_ioctl(Call& c, unsigned code, uint64_t arg) {
  const int ret = by_table(c, code, arg, kTerm);
  return ret == RVAL_DECODED ? legacy_ioctl(c, code, arg) : ret;
}

}  // namespace ioctl
}  // namespace decode
