// ioctl(fd, request, arg): the request by name (every request of the uapi headers, generated into
// ioctl_list.h; several names for one number as "A or B"; _IOC(dir, type, nr, size) for numbers
// without one), then the argument as the subsystem that owns the request type byte decodes it, or
// in hex when none does. The subsystems live in ioctl_*.cc; ioctl_internal.h says how they answer.
#include "ioctl_internal.h"

#include <algorithm>
#include <cstring>

namespace decode {

namespace ioctl {

namespace {

struct Name {
  unsigned code;
  const char* name;
};
// ioctl_list.h is sorted by code, then name: the order the alternatives are printed in.
const Name kNames[] = {
#define IOCTL(code, name) {code, #name},
#include "../tables/generated/ioctl_list.h"
#undef IOCTL
};

// The names of code as "A or B", after `printed` (true when a number decoder printed one already).
bool print_names(const Call& c, unsigned code, bool printed) {
  const Name* end = kNames + sizeof kNames / sizeof kNames[0];
  const Name* it = std::lower_bound(kNames, end, code, [](const Name& n, unsigned v) { return n.code < v; });
  for (; it != end && it->code == code; ++it) {
    if (printed) c.print(" or ");
    c.print(it->name);
    printed = true;
  }
  return printed;
}

void print_ioc(const Call& c, unsigned code) {
  static const char* const kDir[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"};
  c.printf("_IOC(%s, ", kDir[ioc_dir(code)]);
  print_hex(c, ioc_type(code));
  c.print(", ");
  print_hex(c, ioc_nr(code));
  c.print(", ");
  print_hex(c, ioc_size(code));
  c.printc(')');
}

// Requests whose macro takes a buffer length (HIDIOCGPHYS(len)), so that no number is in the
// generated table: named as strace 6.1 names them, NAME(length). strace prints the hiddev
// HIDIOCGNAME(len) as HIDIOCSFEATURE(len) (read-only, where HIDIOCSFEATURE reads and writes): that is
// its slip, ours names it after hiddev.h. The input devices' ('E') are in ioctl_evdev.cc, with their
// event types and axes.
struct SizedName {
  unsigned type, dir, nr;
  const char* name;
};
constexpr unsigned kIocReadWrite = kIocRead | kIocWrite;
const SizedName kSizedNames[] = {
    {'H', kIocRead, 0x04, "HIDIOCGRAWNAME"},       {'H', kIocRead, 0x05, "HIDIOCGRAWPHYS"},
    {'H', kIocRead, 0x06, "HIDIOCGNAME"},          {'H', kIocRead, 0x08, "HIDIOCGRAWUNIQ"},
    {'H', kIocRead, 0x12, "HIDIOCGPHYS"},          {'H', kIocReadWrite, 0x06, "HIDIOCSFEATURE"},
    {'H', kIocReadWrite, 0x07, "HIDIOCGFEATURE"},  {'U', kIocRead, 0x2c, "UI_GET_SYSNAME"},
    {'j', kIocRead, 0x13, "JSIOCGNAME"},           {'k', kIocWrite, 0x00, "SPI_IOC_MESSAGE"},
};

bool sized_number(const Call& c, unsigned code) {
  for (const SizedName& s : kSizedNames)
    if (s.type == ioc_type(code) && s.dir == ioc_dir(code) && s.nr == ioc_nr(code)) {
      c.printf("%s(%u)", s.name, ioc_size(code));
      return true;
    }
  return false;
}

struct Owner {
  unsigned type;
  Decoder decode;  // nullptr: the argument in hex
  NumberDecoder number;
};
// The subsystem of each request type byte (the `type` of _IOC).
const Owner kOwners[] = {
    {0x03, hdio_ioctl, nullptr},
    {'!', seccomp_ioctl, nullptr},
    {0x22, scsi_ioctl, nullptr},
    {'$', perf_ioctl, nullptr},
    {0x12, block_ioctl, nullptr},
    {'=', ptp_ioctl, nullptr},
    {'>', counter_ioctl, nullptr},
    {'E', evdev_ioctl, evdev_number},
    {'H', nullptr, sized_number},
    {'I', inotify_ioctl, nullptr},
    {'K', kd_ioctl, nullptr},
    {'L', loop_ioctl, nullptr},
    {'M', mtd_ioctl, mixer_number},
    {'O', ubi_ioctl, nullptr},
    {'R', random_ioctl, nullptr},
    {'T', term_ioctl, nullptr},
    {'U', nullptr, sized_number},
    {'V', v4l2_ioctl, nullptr},
    {'W', watchdog_ioctl, nullptr},
    {'X', file_x_ioctl, nullptr},
    {'f', file_f_ioctl, nullptr},
    {'i', lirc_ioctl, nullptr},
    {'j', nullptr, sized_number},
    {'k', nullptr, sized_number},
    {'o', ubi_ioctl, nullptr},
    {'p', rtc_ioctl, nullptr},
    {0x89, sock_ioctl, nullptr},
    {0x94, file_94_ioctl, nullptr},
    {0xa4, tee_ioctl, nullptr},
    {0xaa, uffdio_ioctl, nullptr},
    {0xab, nbd_ioctl, nullptr},
    {0xae, kvm_ioctl, nullptr},
    {0xb4, gpio_ioctl, nullptr},
    {0xb7, nsfs_ioctl, nullptr},
    {0xfd, devmapper_ioctl, nullptr},
};

const Owner* owner_of(unsigned code) {
  for (const Owner& o : kOwners)
    if (o.type == ioc_type(code)) return &o;
  return nullptr;
}

// The request: its name(s) or _IOC(...), in the -X style (the number alone, or the number with the
// names in a comment).
void print_request(const Call& c, unsigned code) {
  const Owner* o = owner_of(code);
  print_composite(c, code, FMT_HEX, [&] {
    const bool numbered = o && o->number && o->number(c, code);
    if (!print_names(c, code, numbered) && !numbered) print_ioc(c, code);
  });
}

int sys_ioctl(Call& c) {
  const unsigned code = c.arg_uint(1);
  const uint64_t arg = c.arg(2);
  const Owner* o = owner_of(code);
  const Decoder decode = o ? o->decode : nullptr;
  int ret;
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    print_request(c, code);
    ret = decode ? decode(c, code, arg) : RVAL_DECODED;
  } else {
    ret = (decode ? decode(c, code, arg) : 0) | RVAL_DECODED;
  }
  if (ret & kIoctlArgDone) return (ret & ~kIoctlArgDone) | RVAL_DECODED;
  if (ret & RVAL_DECODED) {
    c.print(", ");
    print_hex(c, arg);
  }
  return ret;
}

const NamedDecoder kIoctlDecoders[] = {
    {"ioctl", sys_ioctl},
};

}  // namespace

void print_nums_at(const Call& c, uint64_t addr, unsigned size, unsigned count, const char* fmt) {
  unsigned char buf[16];
  if (addr == 0 || c.failed() || size * count > sizeof buf || !read_mem(c, addr, buf, size * count)) {
    print_addr(c, addr);
    return;
  }
  const bool is_signed = fmt[strlen(fmt) - 1] == 'd';
  c.printc('[');
  for (unsigned i = 0; i < count; i++) {
    uint64_t u = 0;
    memcpy(&u, buf + i * size, size);
    int64_t v = static_cast<int64_t>(u);
    if (is_signed && size < 8 && (u >> (size * 8 - 1)) & 1) v = static_cast<int64_t>(u | (~0ULL << (size * 8)));
    if (i) c.print(", ");
    c.printf(fmt, v);
  }
  c.printc(']');
}

int by_table(Call& c, unsigned code, uint64_t arg, const Request* t, size_t n) {
  const Request* r = nullptr;
  for (size_t i = 0; i < n && !r; i++)
    if (t[i].code == code) r = &t[i];
  if (!r) return RVAL_DECODED;
  if (r->kind == Arg::kInOut || r->kind == Arg::kInMore) {
    if (c.entering()) {
      c.print(", ");
      return r->enter(c, arg) ? 0 : kIoctlArgDone;
    }
    if (!c.failed()) {
      if (r->kind == Arg::kInOut) c.print(" => ");
      r->print(c, arg);
    }
    if (r->kind == Arg::kInMore) c.printc('}');
    return kIoctlArgDone;
  }
  const bool at_exit = r->kind == Arg::kNumOut || r->kind == Arg::kOut || r->kind == Arg::kFlagsOut ||
                       r->kind == Arg::kXvalOut;
  if (at_exit && c.entering()) return 0;
  if (r->kind == Arg::kNone) return kIoctlArgDone;
  c.print(", ");
  switch (r->kind) {
    case Arg::kNumIn:
    case Arg::kNumOut: print_nums_at(c, arg, r->size, 1, r->fmt); break;
    case Arg::kPairIn: print_nums_at(c, arg, r->size, 2, r->fmt); break;
    case Arg::kAddr: print_addr(c, arg); break;
    case Arg::kDec: c.printf("%d", static_cast<int>(arg)); break;
    case Arg::kUdec: print_udec(c, arg); break;
    case Arg::kFd: print_fd(c, static_cast<int>(arg)); break;
    case Arg::kFlags:
      print_flags_or_unknown(c, *r->xlat, r->size == 4 ? static_cast<uint32_t>(arg) : arg, r->unknown);
      break;
    case Arg::kXval: print_xval(c, *r->xlat, arg, r->unknown); break;
    case Arg::kFlagsIn:
    case Arg::kFlagsOut:
    case Arg::kXvalIn:
    case Arg::kXvalOut: {
      uint32_t v;
      if (!fetch_or_addr(c, arg, &v)) break;
      c.printc('[');
      if (r->kind == Arg::kFlagsIn || r->kind == Arg::kFlagsOut)
        print_flags_or_unknown(c, *r->xlat, v, r->unknown);
      else
        print_xval(c, *r->xlat, v, r->unknown);
      c.printc(']');
      break;
    }
    case Arg::kIn: r->print(c, arg); break;
    case Arg::kOut:
      // What a failed call would have written is not shown, only where.
      if (c.failed())
        print_addr(c, arg);
      else
        r->print(c, arg);
      break;
    case Arg::kNone:
    case Arg::kInOut:
    case Arg::kInMore: break;
  }
  return kIoctlArgDone;
}

void arg_int_in(Call& c, uint64_t arg) {
  c.print(", ");
  print_int_ptr(c, arg);
}

void arg_int_out(Call& c, uint64_t arg) {
  c.print(", ");
  if (c.failed())
    print_addr(c, arg);
  else
    print_int_ptr(c, arg);
}

void arg_uint_out(Call& c, uint64_t arg, size_t size) {
  c.print(", ");
  uint64_t v = 0;
  if (c.failed() || size > sizeof v || !read_mem(c, arg, &v, size)) {
    print_addr(c, arg);
    return;
  }
  c.printf("[%llu]", static_cast<unsigned long long>(v));
}

}  // namespace ioctl

const DecoderFamily family_ioctl = {ioctl::kIoctlDecoders, sizeof ioctl::kIoctlDecoders / sizeof ioctl::kIoctlDecoders[0]};

}  // namespace decode
