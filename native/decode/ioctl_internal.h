// What the ioctl request decoders share (ioctl.cc dispatches, one ioctl_*.cc file per subsystem).
//
// A request decoder is called at entry and, unless it says otherwise, again at exit, the way strace
// structures them. It prints ", " and the third argument itself when it knows how, and returns:
//   at entry: 0               call me again at exit (nothing printed yet, or only what goes before)
//             kIoctlArgDone    the argument is printed; no exit call
//             RVAL_DECODED     I do not know this request: print the argument in hex, no exit call
//   at exit:  kIoctlArgDone    the argument is printed
//             0                print the argument in hex
// Other RVAL_* bits (RVAL_STR with c.aux, RVAL_HEX...) pass through to the return value.
#pragma once
#include <cstdint>

#include "decoder.h"

namespace decode {
namespace ioctl {

constexpr int kIoctlArgDone = 1 << 24;

// _IOC fields of a request number.
constexpr unsigned ioc_dir(unsigned code) { return (code >> 30) & 3u; }
constexpr unsigned ioc_type(unsigned code) { return (code >> 8) & 0xffu; }
constexpr unsigned ioc_nr(unsigned code) { return code & 0xffu; }
constexpr unsigned ioc_size(unsigned code) { return (code >> 16) & 0x3fffu; }
constexpr unsigned kIocNone = 0, kIocWrite = 1, kIocRead = 2;

using Decoder = int (*)(Call& c, unsigned code, uint64_t arg);
/** Prints a request number whose name carries a parameter (EVIOCGBIT(EV_KEY, 96)); returns true when
 *  it printed it. The names of the generated table then follow as alternatives ("X or NAME"). */
using NumberDecoder = bool (*)(const Call& c, unsigned code);

// One per subsystem file, each keyed by the request type byte(s) it handles (see ioctl.cc).
int term_ioctl(Call& c, unsigned code, uint64_t arg);    // 'T': terminals (ioctl_term.cc)
int block_ioctl(Call& c, unsigned code, uint64_t arg);   // 0x12: block devices (ioctl_fs.cc)
int file_f_ioctl(Call& c, unsigned code, uint64_t arg);  // 'f': inode flags, FIEMAP
int file_x_ioctl(Call& c, unsigned code, uint64_t arg);  // 'X': freeze, trim, fsxattr
int file_94_ioctl(Call& c, unsigned code, uint64_t arg); // 0x94: clone, dedupe, labels
int inotify_ioctl(Call& c, unsigned code, uint64_t arg); // 'I'
int nsfs_ioctl(Call& c, unsigned code, uint64_t arg);    // 0xb7
int counter_ioctl(Call& c, unsigned code, uint64_t arg); // '>'
int hdio_ioctl(Call& c, unsigned code, uint64_t arg);    // 0x03
int sock_ioctl(Call& c, unsigned code, uint64_t arg);    // 0x89: sockets (ioctl_sock.cc)
int evdev_ioctl(Call& c, unsigned code, uint64_t arg);   // 'E': input devices (ioctl_dev.cc)
bool evdev_number(const Call& c, unsigned code);
int random_ioctl(Call& c, unsigned code, uint64_t arg);    // 'R' (ioctl_dev.cc)
int watchdog_ioctl(Call& c, unsigned code, uint64_t arg);  // 'W'
int nbd_ioctl(Call& c, unsigned code, uint64_t arg);       // 0xab
int loop_ioctl(Call& c, unsigned code, uint64_t arg);      // 'L'
int rtc_ioctl(Call& c, unsigned code, uint64_t arg);       // 'p'
int kd_ioctl(Call& c, unsigned code, uint64_t arg);        // 'K': consoles, keyboards (ioctl_kd.cc)
int lirc_ioctl(Call& c, unsigned code, uint64_t arg);      // 'i'
int gpio_ioctl(Call& c, unsigned code, uint64_t arg);      // 0xb4: GPIO chips (ioctl_gpio.cc)
int ptp_ioctl(Call& c, unsigned code, uint64_t arg);       // '=': PTP clocks (ioctl_ptp.cc)
int scsi_ioctl(Call& c, unsigned code, uint64_t arg);      // 0x22: SCSI generic (ioctl_scsi.cc)
int ubi_ioctl(Call& c, unsigned code, uint64_t arg);       // 'o', 'O': UBI (ioctl_mtd.cc)
int mtd_ioctl(Call& c, unsigned code, uint64_t arg);       // 'M': MTD flash (ioctl_mtd.cc)
int devmapper_ioctl(Call& c, unsigned code, uint64_t arg); // 0xfd: device mapper (ioctl_dm.cc)
int kvm_ioctl(Call& c, unsigned code, uint64_t arg);       // 0xae: KVM (ioctl_kvm.cc)
int btrfs_ioctl(Call& c, unsigned code, uint64_t arg);     // 0x94 past file_94_ioctl's (ioctl_btrfs.cc)
bool mixer_number(const Call& c, unsigned code);           // 'M': the OSS mixer's MIXER_READ(n)
int seccomp_ioctl(Call& c, unsigned code, uint64_t arg);   // '!': seccomp listeners (ioctl_kernel.cc)
int uffdio_ioctl(Call& c, unsigned code, uint64_t arg);    // 0xaa: userfaultfd (ioctl_kernel.cc)
int v4l2_ioctl(Call& c, unsigned code, uint64_t arg);      // 'V': video devices (ioctl_v4l2.cc)
int perf_ioctl(Call& c, unsigned code, uint64_t arg);      // '$': perf events (perf.cc)
int tee_ioctl(Call& c, unsigned code, uint64_t arg);       // 0xa4: trusted execution environments (ioctl_tee.cc)

// ---- requests described by a table (most subsystems): what the argument is, and when to print it ----
enum class Arg : uint8_t {
  kNone,     // nothing is printed after the request
  kAddr,     // a pointer to what strace does not follow: NULL or the address (never a bare 0)
  kNumIn,    // [N]: a number of `size` bytes the kernel reads, printed with fmt at entry
  kNumOut,   // [N]: the same, written by the kernel, printed at exit
  kPairIn,   // [N, M]: two such numbers, at entry
  kDec,      // the argument itself, as an int
  kUdec,     // the argument itself, unsigned decimal
  kFd,       // the argument is a descriptor
  kFlags,    // the argument is a set of flags (xlat, unknown); all 64 bits, or with size 4 only
             // the low 32 (a request whose argument the kernel takes as an unsigned int)
  kXval,     // the argument is one named value (xlat, unknown)
  kFlagsIn,  // [FLAGS]: a 32-bit set of flags the kernel reads at the argument (xlat, unknown)
  kFlagsOut, // [FLAGS]: the same, written by the kernel, printed at exit
  kXvalIn,   // [NAME]: a 32-bit named value the kernel reads (xlat, unknown)
  kXvalOut,  // [NAME]: the same, written by the kernel, printed at exit
  kIn,       // print(c, arg) at entry (a structure the kernel reads)
  kOut,      // print(c, arg) at exit (a structure the kernel fills)
  kInOut,    // enter(c, arg) at entry (what the kernel reads); unless that printed only the address,
             // " => " and print(c, arg) at exit when the call succeeded (what it wrote back)
  kInMore,   // enter(c, arg) at entry opens a structure with what the kernel reads and leaves it open
             // (false: it printed only the address); at exit print(c, arg) adds what the kernel wrote
             // back (", copy=0x1000") when the call succeeded, and "}" closes it
};
using ArgPrinter = void (*)(const Call& c, uint64_t arg);
/** The entry half of an in/out structure: false when it printed only the address (NULL, unreadable). */
using EntryPrinter = bool (*)(const Call& c, uint64_t arg);
struct Request {
  unsigned code;
  Arg kind;
  const char* fmt;    // kNum*, kPair*: a printf format for one long long ("%lld", "%llu", "%#llx")
  unsigned size;      // kNum*, kPair*: bytes of one number (1, 2, 4, 8)
  ArgPrinter print;   // kIn, kOut
  const Xlat* xlat;   // kFlags, kXval
  const char* unknown;
  EntryPrinter enter = nullptr;  // kInOut, kInMore
};
constexpr Request req_none(unsigned code) { return {code, Arg::kNone, nullptr, 0, nullptr, nullptr, nullptr}; }
constexpr Request req_addr(unsigned code) { return {code, Arg::kAddr, nullptr, 0, nullptr, nullptr, nullptr}; }
constexpr Request req_num_in(unsigned code, unsigned size, const char* fmt) {
  return {code, Arg::kNumIn, fmt, size, nullptr, nullptr, nullptr};
}
constexpr Request req_num_out(unsigned code, unsigned size, const char* fmt) {
  return {code, Arg::kNumOut, fmt, size, nullptr, nullptr, nullptr};
}
constexpr Request req_int_in(unsigned code, const char* fmt = "%lld") { return req_num_in(code, 4, fmt); }
constexpr Request req_int_out(unsigned code, const char* fmt = "%lld") { return req_num_out(code, 4, fmt); }
constexpr Request req_pair_in(unsigned code, unsigned size, const char* fmt) {
  return {code, Arg::kPairIn, fmt, size, nullptr, nullptr, nullptr};
}
constexpr Request req_dec(unsigned code) { return {code, Arg::kDec, nullptr, 0, nullptr, nullptr, nullptr}; }
constexpr Request req_udec(unsigned code) { return {code, Arg::kUdec, nullptr, 0, nullptr, nullptr, nullptr}; }
constexpr Request req_fd(unsigned code) { return {code, Arg::kFd, nullptr, 0, nullptr, nullptr, nullptr}; }
constexpr Request req_flags(unsigned code, const Xlat& x, const char* unknown) {
  return {code, Arg::kFlags, nullptr, 0, nullptr, &x, unknown};
}
constexpr Request req_flags_int(unsigned code, const Xlat& x, const char* unknown) {
  return {code, Arg::kFlags, nullptr, 4, nullptr, &x, unknown};
}
constexpr Request req_xval(unsigned code, const Xlat& x, const char* unknown) {
  return {code, Arg::kXval, nullptr, 0, nullptr, &x, unknown};
}
constexpr Request req_flags_in(unsigned code, const Xlat& x, const char* unknown) {
  return {code, Arg::kFlagsIn, nullptr, 4, nullptr, &x, unknown};
}
constexpr Request req_flags_out(unsigned code, const Xlat& x, const char* unknown) {
  return {code, Arg::kFlagsOut, nullptr, 4, nullptr, &x, unknown};
}
constexpr Request req_xval_in(unsigned code, const Xlat& x, const char* unknown) {
  return {code, Arg::kXvalIn, nullptr, 4, nullptr, &x, unknown};
}
constexpr Request req_xval_out(unsigned code, const Xlat& x, const char* unknown) {
  return {code, Arg::kXvalOut, nullptr, 4, nullptr, &x, unknown};
}
constexpr Request req_in(unsigned code, ArgPrinter p) { return {code, Arg::kIn, nullptr, 0, p, nullptr, nullptr}; }
constexpr Request req_out(unsigned code, ArgPrinter p) { return {code, Arg::kOut, nullptr, 0, p, nullptr, nullptr}; }
constexpr Request req_in_out(unsigned code, EntryPrinter in, ArgPrinter out) {
  return {code, Arg::kInOut, nullptr, 0, out, nullptr, nullptr, in};
}
constexpr Request req_in_more(unsigned code, EntryPrinter in, ArgPrinter more) {
  return {code, Arg::kInMore, nullptr, 0, more, nullptr, nullptr, in};
}

/** Whether every element of a (reserved or padding) array field is zero: strace shows one only when not. */
template <typename T> bool all_zero(const T& a) {
  for (const auto& v : a)
    if (v) return false;
  return true;
}

/** Decodes code by the table t (a request decoder's whole body, or its fallback): RVAL_DECODED when
 *  the table does not have it. */
int by_table(Call& c, unsigned code, uint64_t arg, const Request* t, size_t n);
template <size_t N> int by_table(Call& c, unsigned code, uint64_t arg, const Request (&t)[N]) {
  return by_table(c, code, arg, t, N);
}
/** count numbers of size bytes at addr as "[a, b]" in the printf format fmt (one long long each;
 *  signed when fmt ends in d); NULL, or the address when they cannot be read. */
void print_nums_at(const Call& c, uint64_t addr, unsigned size, unsigned count, const char* fmt);
inline void print_int_at(const Call& c, uint64_t addr, const char* fmt) { print_nums_at(c, addr, 4, 1, fmt); }

// ---- small printers the request decoders share (ioctl.cc) ----
/** ", " then an int * the kernel reads: [N], or the address. */
void arg_int_in(Call& c, uint64_t arg);
/** At exit: ", " then an int the kernel wrote ([N]); the address when the call failed. */
void arg_int_out(Call& c, uint64_t arg);
/** At exit: ", " then an unsigned integer of the given size the kernel wrote ([N]). */
void arg_uint_out(Call& c, uint64_t arg, size_t size);

}  // namespace ioctl
}  // namespace decode
