// Input device requests ('E', linux/input.h): device identity, key maps, absolute axes, event bit
// sets, force-feedback effects. Requests that carry a parameter in their number print it:
// EVIOCGBIT(EV_KEY, 96), EVIOCGABS(ABS_X), EVIOCGNAME(256).
#include <linux/input.h>

#include <cstring>
#include <vector>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

constexpr unsigned kBitBase = 0x20;  // EVIOCGBIT(ev, len): nr 0x20 + ev
constexpr unsigned kAbsGet = 0x40;   // EVIOCGABS(abs): nr 0x40 + abs
constexpr unsigned kAbsSet = 0xc0;   // EVIOCSABS(abs): nr 0xc0 + abs

// A name or, for an unknown value, the number with the unknown marker: the part of the request
// number that names an event type or an axis.
void print_param(const Call& c, const Xlat& x, unsigned v, const char* unknown) {
  print_xval(c, x, v, unknown);
}

// The same inside the request number: under -X verbose, where the names stand in the request's
// comment, strace leaves an unknown value's marker out (EVIOCGABS(0xe), not EVIOCGABS(0xe /* ABS_??? */)).
void print_request_param(const Call& c, const Xlat& x, unsigned v, const char* unknown) {
  const bool verbose = c.opts && c.opts->xstyle == XLAT_VERBOSE;
  print_xval(c, x, v, verbose ? nullptr : unknown);
}

void print_absinfo(const Call& c, unsigned code, uint64_t arg) {
  const size_t orig = offsetof(input_absinfo, resolution);  // the struct before resolution was added
  const size_t size = ioc_size(code);
  if (size < orig) {
    print_addr(c, arg);
    return;
  }
  input_absinfo ai = {};
  if (arg == 0 || c.failed() || !read_mem(c, arg, &ai, size < sizeof ai ? size : sizeof ai)) {
    print_addr(c, arg);
    return;
  }
  Fields f(c);
  f.u("value", static_cast<uint32_t>(ai.value));
  f.u("minimum", static_cast<uint32_t>(ai.minimum));
  if (abbrev(c)) {
    f.more();
  } else {
    f.u("maximum", static_cast<uint32_t>(ai.maximum));
    f.u("fuzz", static_cast<uint32_t>(ai.fuzz));
    f.u("flat", static_cast<uint32_t>(ai.flat));
    if (size > orig) {
      if (size >= sizeof ai) f.u("resolution", static_cast<uint32_t>(ai.resolution));
      if (size != sizeof ai) f.more();
    }
  }
  f.end();
}

void print_keycode(const Call& c, uint64_t arg) {
  unsigned kc[2];
  if (!fetch_or_addr(c, arg, &kc)) return;
  c.printf("[%u, ", kc[0]);
  print_xval(c, xlat_evdev_keycode, kc[1], "KEY_???");
  c.printc(']');
}

void print_keymap_entry(const Call& c, uint64_t arg) {
  input_keymap_entry e;
  if (!fetch_or_addr(c, arg, &e)) return;
  Fields f(c);
  f.u("flags", e.flags);
  f.u("len", e.len);
  if (abbrev(c)) {
    f.more();
  } else {
    f.u("index", e.index);
    f.xval("keycode", xlat_evdev_keycode, e.keycode, "KEY_???");
    f.xarray("scancode", e.scancode);
  }
  f.end();
}

void print_input_id(const Call& c, uint64_t arg) {
  input_id id;
  if (!fetch_or_addr(c, arg, &id)) return;
  Fields f(c);
  f.u("bustype", id.bustype);
  f.u("vendor", id.vendor);
  f.u("product", id.product);
  f.u("version", id.version);
  f.end();
}

// A bit set the kernel filled: the names of its set bits ([KEY_A KEY_B KEY_C KEY_D ...] without
// -v), the set as words in hex with -X raw ([0x460018]), both with -X verbose (the words in a comment). The call's return value is its
// length in bytes; no more than max_nr bits are shown.
void print_bitset(const Call& c, uint64_t arg, const Xlat& names, unsigned max_nr, const char* unknown) {
  const uint64_t rv = static_cast<uint64_t>(c.rval);
  const unsigned bits = rv > max_nr / 8 ? max_nr : static_cast<unsigned>(rv * 8);
  const size_t size = ((bits + 7) / 8 + sizeof(long) - 1) / sizeof(long) * sizeof(long);
  if (c.failed() || size == 0) {
    print_addr(c, arg);
    return;
  }
  std::vector<unsigned char> buf(size);
  if (!read_mem(c, arg, buf.data(), size)) {
    print_addr(c, arg);
    return;
  }
  auto bit = [&](unsigned i) { return (buf[i / 8] >> (i % 8)) & 1; };
  const XlatStyle st = xstyle(c);
  if (st != XLAT_RAW) {
    // strace separates the names with spaces, as it does a signal set's.
    c.printc('[');
    unsigned shown = 0;
    for (unsigned i = 0; i < bits; i++) {
      if (!bit(i)) continue;
      if (shown) c.printc(' ');
      if (shown > 3 && abbrev(c)) {
        c.print("...");
        break;
      }
      print_param(c, names, i, unknown);
      shown++;
    }
    c.printc(']');
  }
  if (st == XLAT_ABBREV) return;
  if (st == XLAT_VERBOSE) c.print(" /* ");
  const size_t words = size / sizeof(unsigned long);
  const size_t limit = array_print_limit(c);
  c.printc('[');
  for (size_t i = 0; i < words; i++) {
    if (i) c.print(", ");
    if (i >= limit) {
      c.print("...");
      break;
    }
    unsigned long w;
    memcpy(&w, buf.data() + i * sizeof w, sizeof w);
    c.printf("%#lx", w);
  }
  c.printc(']');
  if (st == XLAT_VERBOSE) c.print(" */");
}

void print_mtslots(const Call& c, unsigned code, uint64_t arg) {
  const size_t n = ioc_size(code) / sizeof(int);
  unsigned slot_code;
  if (n == 0) {
    print_addr(c, arg);
    return;
  }
  if (!fetch_or_addr(c, arg, &slot_code)) return;
  Fields f(c);
  f.xval("code", xlat_evdev_mtslots, slot_code, "ABS_MT_???");
  f.f("values");
  print_array<int>(c, arg + sizeof(int), n - 1, [&](int v) { c.printf("%d", v); });
  f.end();
}

void print_pair(const Call& c, uint64_t arg) {
  unsigned p[2];
  if (!fetch_or_addr(c, arg, &p)) return;
  c.printf("[%u, %u]", p[0], p[1]);
}

void print_bits_of(const Call& c, unsigned ev, uint64_t arg) {
  struct Set {
    unsigned ev;
    const Xlat& names;
    unsigned max;
    const char* unknown;
  };
  static const Set kSets[] = {
      {0, xlat_evdev_ev, EV_MAX, "EV_???"},
      {EV_KEY, xlat_evdev_keycode, KEY_MAX, "KEY_???"},
      {EV_REL, xlat_evdev_relative_axes, REL_MAX, "REL_???"},
      {EV_ABS, xlat_evdev_abs, ABS_MAX, "ABS_???"},
      {EV_MSC, xlat_evdev_misc, MSC_MAX, "MSC_???"},
      {EV_SW, xlat_evdev_switch, SW_MAX, "SW_???"},
      {EV_LED, xlat_evdev_leds, LED_MAX, "LED_???"},
      {EV_SND, xlat_evdev_snd, SND_MAX, "SND_???"},
      {EV_REP, xlat_evdev_autorepeat, REP_MAX, "REP_???"},
      {EV_FF, xlat_evdev_ff_types, FF_MAX, "FF_???"},
      {EV_FF_STATUS, xlat_evdev_ff_status, FF_STATUS_MAX, "FF_STATUS_???"},
  };
  for (const Set& s : kSets)
    if (s.ev == ev) {
      print_bitset(c, arg, s.names, s.max, s.unknown);
      return;
    }
  if (ev == EV_PWR)
    print_int_at(c, arg, "%lld");
  else
    print_addr(c, arg);
}

// Read requests, at exit.
void print_read(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case EVIOCGVERSION: print_int_at(c, arg, "%#llx"); return;
    case EVIOCGEFFECTS: print_int_at(c, arg, "%llu"); return;
    case EVIOCGID: print_input_id(c, arg); return;
    case EVIOCGREP: print_pair(c, arg); return;
    case EVIOCGKEYCODE: print_keycode(c, arg); return;
    case EVIOCGKEYCODE_V2: print_keymap_entry(c, arg); return;
    default: break;
  }
  const unsigned nr = ioc_nr(code);
  switch (nr) {
    case ioc_nr(EVIOCGMTSLOTS(0)): print_mtslots(c, code, arg); return;
    case ioc_nr(EVIOCGNAME(0)):
    case ioc_nr(EVIOCGPHYS(0)):
    case ioc_nr(EVIOCGUNIQ(0)):
      if (c.failed())
        print_addr(c, arg);
      else
        print_buf(c, arg, static_cast<uint64_t>(c.rval));
      return;
    case ioc_nr(EVIOCGPROP(0)): print_bitset(c, arg, xlat_evdev_prop, INPUT_PROP_MAX, "PROP_???"); return;
    case ioc_nr(EVIOCGSND(0)): print_bitset(c, arg, xlat_evdev_snd, SND_MAX, "SND_???"); return;
    case ioc_nr(EVIOCGSW(0)): print_bitset(c, arg, xlat_evdev_switch, SW_MAX, "SW_???"); return;
    case ioc_nr(EVIOCGKEY(0)): print_bitset(c, arg, xlat_evdev_keycode, KEY_MAX, "KEY_???"); return;
    case ioc_nr(EVIOCGLED(0)): print_bitset(c, arg, xlat_evdev_leds, LED_MAX, "LED_???"); return;
    default: break;
  }
  if ((nr & ~ABS_MAX) == kAbsGet) {
    print_absinfo(c, code, arg);
    return;
  }
  if ((nr & ~EV_MAX) == kBitBase) {
    print_bits_of(c, nr & EV_MAX, arg);
    return;
  }
  print_addr(c, arg);
}

void print_envelope(Fields& outer, const ff_envelope& e) {
  Fields f(outer.f("envelope"));
  f.u("attack_length", e.attack_length);
  f.u("attack_level", e.attack_level);
  f.u("fade_length", e.fade_length);
  f.x("fade_level", e.fade_level);
  f.end();
}

void print_ff_effect(const Call& c, uint64_t arg) {
  ff_effect e;
  if (!fetch_or_addr(c, arg, &e)) return;
  Fields f(c);
  f.xval("type", xlat_evdev_ff_types, e.type, "FF_???");
  f.d("id", e.id);
  f.u("direction", e.direction);
  if (abbrev(c)) {
    f.more();
    f.end();
    return;
  }
  {
    Fields t(f.f("trigger"));
    t.u("button", e.trigger.button);
    t.u("interval", e.trigger.interval);
    t.end();
  }
  {
    Fields r(f.f("replay"));
    r.u("length", e.replay.length);
    r.u("delay", e.replay.delay);
    r.end();
  }
  switch (e.type) {
    case FF_CONSTANT: {
      Fields u(f.f("constant"));
      u.d("level", e.u.constant.level);
      print_envelope(u, e.u.constant.envelope);
      u.end();
      break;
    }
    case FF_RAMP: {
      Fields u(f.f("ramp"));
      u.d("start_level", e.u.ramp.start_level);
      u.d("end_level", e.u.ramp.end_level);
      print_envelope(u, e.u.ramp.envelope);
      u.end();
      break;
    }
    case FF_PERIODIC: {
      const ff_periodic_effect& p = e.u.periodic;
      Fields u(f.f("periodic"));
      u.u("waveform", p.waveform);
      u.u("period", p.period);
      u.d("magnitude", p.magnitude);
      u.d("offset", p.offset);
      u.u("phase", p.phase);
      print_envelope(u, p.envelope);
      u.u("custom_len", p.custom_len);
      u.ptr("custom_data", reinterpret_cast<uint64_t>(p.custom_data));
      u.end();
      break;
    }
    case FF_RUMBLE: {
      Fields u(f.f("rumble"));
      u.u("strong_magnitude", e.u.rumble.strong_magnitude);
      u.u("weak_magnitude", e.u.rumble.weak_magnitude);
      u.end();
      break;
    }
    default:
      break;
  }
  f.end();
}

// Write requests, at entry.
void print_write(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case EVIOCSREP: print_pair(c, arg); return;
    case EVIOCSKEYCODE: print_keycode(c, arg); return;
    case EVIOCSKEYCODE_V2: print_keymap_entry(c, arg); return;
    case EVIOCRMFF: c.printf("%d", static_cast<int>(arg)); return;
    case EVIOCGRAB:
    case EVIOCREVOKE: print_udec(c, arg); return;
    case EVIOCSCLOCKID: print_int_at(c, arg, "%llu"); return;
    case EVIOCSFF: print_ff_effect(c, arg); return;
    default: break;
  }
  if ((ioc_nr(code) & ~ABS_MAX) == kAbsSet) {
    print_absinfo(c, code, arg);
    return;
  }
  print_addr(c, arg);
}

}  // namespace

int evdev_ioctl(Call& c, unsigned code, uint64_t arg) {
  switch (ioc_dir(code)) {
    case kIocRead:
      if (c.entering()) return 0;
      c.print(", ");
      print_read(c, code, arg);
      return kIoctlArgDone;
    case kIocWrite:
      c.print(", ");
      print_write(c, code, arg);
      return kIoctlArgDone;
    default:
      return RVAL_DECODED;
  }
}

bool evdev_number(const Call& c, unsigned code) {
  const unsigned nr = ioc_nr(code);
  const unsigned dir = ioc_dir(code);
  if (dir == kIocWrite && nr >= kAbsSet && nr <= kAbsSet + ABS_MAX) {
    c.print("EVIOCSABS(");
    print_request_param(c, xlat_evdev_abs, nr - kAbsSet, "ABS_???");
    c.printc(')');
    return true;
  }
  if (dir != kIocRead) return false;
  if (nr >= kBitBase && nr <= kBitBase + EV_MAX) {
    c.print("EVIOCGBIT(");
    if (nr == kBitBase)
      c.printc('0');
    else
      print_request_param(c, xlat_evdev_ev, nr - kBitBase, "EV_???");
    c.printf(", %u)", ioc_size(code));
    return true;
  }
  if (nr >= kAbsGet && nr <= kAbsGet + ABS_MAX) {
    c.print("EVIOCGABS(");
    print_request_param(c, xlat_evdev_abs, nr - kAbsGet, "ABS_???");
    c.printc(')');
    return true;
  }
  static const struct {
    unsigned nr;
    const char* name;
  } kSized[] = {{0x06, "EVIOCGNAME"}, {0x07, "EVIOCGPHYS"}, {0x08, "EVIOCGUNIQ"}, {0x09, "EVIOCGPROP"},
                {0x0a, "EVIOCGMTSLOTS"}, {0x18, "EVIOCGKEY"}, {0x19, "EVIOCGLED"}, {0x1a, "EVIOCGSND"},
                {0x1b, "EVIOCGSW"}};
  for (const auto& s : kSized)
    if (s.nr == nr) {
      c.printf("%s(%u)", s.name, ioc_size(code));
      return true;
    }
  return false;
}

}  // namespace ioctl
}  // namespace decode
