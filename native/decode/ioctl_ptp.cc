// PTP hardware clock requests ('=', linux/ptp_clock.h): capabilities, external time stamp and
// periodic output requests, pin functions, and the system/device clock offset samples. strace
// decodes them only for calls whose structures it decodes (-e verbose=).
#include <linux/ptp_clock.h>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// {sec=.., nsec=..}; with `when`, a point in time, followed by the date in a comment (not under -X raw).
void print_clock_time(const Call& c, const ptp_clock_time& t, bool when) {
  Fields f(c);
  f.d("sec", t.sec);
  f.u("nsec", t.nsec);
  if (t.reserved) f.x("reserved", t.reserved);
  f.end();
  if (when && xstyle(c) != XLAT_RAW) print_time_comment(c, t.sec, t.nsec);
}

// ", rsv=[...]" when the reserved words are not all zero.
template <typename T, size_t N> void print_rsv(Fields& f, const T (&rsv)[N]) {
  if (!all_zero(rsv)) f.xarray("rsv", rsv);
}

void print_caps(const Call& c, uint64_t arg) {
  ptp_clock_caps caps;
  if (!fetch_or_addr(c, arg, &caps)) return;
  Fields f(c);
  f.d("max_adj", caps.max_adj);
  f.d("n_alarm", caps.n_alarm);
  f.d("n_ext_ts", caps.n_ext_ts);
  f.d("n_per_out", caps.n_per_out);
  f.d("pps", caps.pps);
  f.d("n_pins", caps.n_pins);
  f.d("cross_timestamping", caps.cross_timestamping);
  f.d("adjust_phase", caps.adjust_phase);
  print_rsv(f, caps.rsv);
  f.end();
}

void print_extts(const Call& c, uint64_t arg, bool v2) {
  ptp_extts_request r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.u("index", r.index);
  f.flags("flags", xlat_ptp_extts_flags, r.flags, "PTP_???");
  if (v2) print_rsv(f, r.rsv);
  f.end();
}

void print_perout(const Call& c, uint64_t arg, bool v2) {
  ptp_perout_request r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  // The union's first member is a start time, or a phase with PTP_PEROUT_PHASE.
  if (r.flags & PTP_PEROUT_PHASE)
    print_clock_time(f.f("phase"), r.phase, false);
  else
    print_clock_time(f.f("start"), r.start, true);
  print_clock_time(f.f("period"), r.period, false);
  f.u("index", r.index);
  f.flags("flags", xlat_ptp_perout_flags, r.flags, "PTP_PEROUT_???");
  if (r.flags & PTP_PEROUT_DUTY_CYCLE)
    print_clock_time(f.f("on"), r.on, false);
  else if (v2)
    print_rsv(f, r.rsv);
  f.end();
}

// PTP_SYS_OFFSET and PTP_SYS_OFFSET_EXTENDED: {n_samples=N[, rsv]} at entry, the samples added at
// exit (left open in between). The plain one has 2N+1 times, the extended one N triples.
template <typename T> int decode_sys_offset(Call& c, uint64_t arg, bool extended) {
  T s;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &s)) return kIoctlArgDone;
    Fields f(c);
    f.u("n_samples", s.n_samples);
    print_rsv(f, s.rsv);
    return 0;
  }
  if (!c.failed()) {
    c.print(", ");
    if (!read_obj(c, arg, &s)) {
      c.print("???");
    } else {
      const unsigned n = s.n_samples < PTP_MAX_SAMPLES ? s.n_samples : PTP_MAX_SAMPLES;
      const size_t count = extended ? n : 2 * n + 1;
      const size_t limit = array_print_limit(c);
      c.print("ts=[");
      for (size_t i = 0; i < count; i++) {
        if (i) c.print(", ");
        if (i >= limit) {
          c.print("...");
          break;
        }
        if constexpr (std::is_same_v<T, ptp_sys_offset_extended>) {
          c.printc('[');
          for (int k = 0; k < 3; k++) {
            if (k) c.print(", ");
            print_clock_time(c, s.ts[i][k], true);
          }
          c.printc(']');
        } else {
          print_clock_time(c, s.ts[i], true);
        }
      }
      c.printc(']');
    }
  }
  c.printc('}');
  return kIoctlArgDone;
}

// PTP_PIN_GETFUNC: {index=N[, rsv]} at entry, then the rest of the pin at exit (the structure is
// closed alone when the call failed). PTP_PIN_SETFUNC: the whole pin at entry.
int decode_pin(Call& c, uint64_t arg, bool get, bool v2) {
  ptp_pin_desc p;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &p)) return kIoctlArgDone;
    c.printf("{index=%u", p.index);
    if (get) {
      if (v2 && !all_zero(p.rsv)) {
        Fields f(c, false, 1);
        print_rsv(f, p.rsv);
      }
      return 0;
    }
  } else if (c.failed()) {
    c.printc('}');
    return kIoctlArgDone;
  } else if (!read_obj(c, arg, &p)) {
    c.print(", ???}");
    return kIoctlArgDone;
  }
  Fields f(c, false, 1);
  if (get) f.cstr("name", p.name);
  f.xval("func", xlat_ptp_pin_funcs, p.func, "PTP_PF_???");
  f.u("chan", p.chan);
  if (!get && v2) print_rsv(f, p.rsv);
  f.end();
  return kIoctlArgDone;
}

void print_precise(const Call& c, uint64_t arg) {
  ptp_sys_offset_precise s;
  if (!fetch_or_addr(c, arg, &s)) return;
  Fields f(c);
  print_clock_time(f.f("device"), s.device, true);
  print_clock_time(f.f("sys_realtime"), s.sys_realtime, true);
  print_clock_time(f.f("sys_monoraw"), s.sys_monoraw, false);
  print_rsv(f, s.rsv);
  f.end();
}

const Request kPtp[] = {
    req_out(PTP_CLOCK_GETCAPS, print_caps),
    req_out(PTP_CLOCK_GETCAPS2, print_caps),
    req_in(PTP_EXTTS_REQUEST, [](const Call& c, uint64_t arg) { print_extts(c, arg, false); }),
    req_in(PTP_EXTTS_REQUEST2, [](const Call& c, uint64_t arg) { print_extts(c, arg, true); }),
    req_in(PTP_PEROUT_REQUEST, [](const Call& c, uint64_t arg) { print_perout(c, arg, false); }),
    req_in(PTP_PEROUT_REQUEST2, [](const Call& c, uint64_t arg) { print_perout(c, arg, true); }),
    req_in(PTP_ENABLE_PPS, [](const Call& c, uint64_t arg) { print_hex(c, arg); }),
    req_in(PTP_ENABLE_PPS2, [](const Call& c, uint64_t arg) { print_hex(c, arg); }),
    req_out(PTP_SYS_OFFSET_PRECISE, print_precise),
    req_out(PTP_SYS_OFFSET_PRECISE2, print_precise),
};

}  // namespace

int ptp_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (!structs_decoded(c)) return c.entering() ? RVAL_DECODED : 0;
  switch (code) {
    case PTP_SYS_OFFSET:
    case PTP_SYS_OFFSET2: return decode_sys_offset<ptp_sys_offset>(c, arg, false);
    case PTP_SYS_OFFSET_EXTENDED:
    case PTP_SYS_OFFSET_EXTENDED2: return decode_sys_offset<ptp_sys_offset_extended>(c, arg, true);
    case PTP_PIN_GETFUNC:
    case PTP_PIN_GETFUNC2:
    case PTP_PIN_SETFUNC:
    case PTP_PIN_SETFUNC2:
      return decode_pin(c, arg, code == PTP_PIN_GETFUNC || code == PTP_PIN_GETFUNC2,
                        code == PTP_PIN_GETFUNC2 || code == PTP_PIN_SETFUNC2);
    default: return by_table(c, code, arg, kPtp);
  }
}

}  // namespace ioctl
}  // namespace decode
