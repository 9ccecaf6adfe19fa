// Virtual console and keyboard requests ('K', linux/kd.h): sound, LEDs, modes, key maps and
// function key strings, accent tables, scan codes, screen maps and fonts. Values that mean
// something beyond their number say it in a comment (a tone's frequency, a key's symbol).
#include <linux/kd.h>
#include <linux/keyboard.h>

#include <climits>
#include <cstddef>
#include <cstring>
#include <string>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

constexpr unsigned kPitTickRate = 1193182;  // the PC speaker's timer, in Hz
constexpr unsigned kScreenMapSize = 256;    // E_TABSZ
constexpr unsigned kMaxDiacr = 256;
constexpr unsigned kFontBytes = 8192;       // [GP]IO_FONT: 256 characters of 32 lines of 8 pixels

// " /* text */" after a value, unless -X raw.
void comment(const Call& c, const std::string& text) {
  if (xstyle(c) != XLAT_RAW) c.printf(" /* %s */", text.c_str());
}

int kiocsound(Call& c, uint64_t arg) {
  c.print(", ");
  print_udec(c, arg);
  const unsigned freq = arg ? static_cast<unsigned>(kPitTickRate / arg) : 0;
  comment(c, freq ? std::to_string(freq) + " Hz" : "off");
  return kIoctlArgDone;
}

// KDMKTONE: the duration in ticks in the upper half, the timer count in the lower one.
int kdmktone(Call& c, uint64_t arg) {
  const unsigned v = static_cast<unsigned>(arg), ticks = v >> 16, count = v & 0xffff;
  c.print(", ");
  if (ticks) c.printf("%u<<16|", ticks);
  c.printf("%u", count);
  const unsigned freq = ticks && count ? kPitTickRate / count : 0;
  comment(c, freq ? std::to_string(freq) + " Hz, " + std::to_string(ticks) + " ms" : "off");
  return kIoctlArgDone;
}

// A byte the kernel writes at the argument, as [NAME] or [FLAGS].
template <bool Flags> void print_byte_at(const Call& c, uint64_t arg, const Xlat& x, const char* unknown) {
  unsigned char v;
  if (!fetch_or_addr(c, arg, &v)) return;
  c.printc('[');
  if (Flags)
    print_flags_or_unknown(c, x, v, unknown);
  else
    print_xval(c, x, v, unknown);
  c.printc(']');
}

// KDADDIO/KDDELIO: an I/O port, named relative to the first graphics port when it is one of them.
int kd_io(Call& c, uint64_t arg) {
  constexpr uint64_t kGpFirst = 0x3b4, kGpLast = 0x3df;
  c.print(", ");
  print_hex(c, arg);
  if (arg >= kGpFirst && arg <= kGpLast) comment(c, "GPFIRST + " + std::to_string(arg - kGpFirst));
  return kIoctlArgDone;
}

// A unicode screen map entry: a direct font position as UNI_DIRECT_BASE+N.
void print_uni_entry(const Call& c, uint16_t v) {
  const bool direct = (v & ~UNI_DIRECT_MASK) == UNI_DIRECT_BASE;
  const XlatStyle st = xstyle(c);
  if (st != XLAT_ABBREV || !direct) c.printf("%#x", v);
  if (st == XLAT_RAW || !direct) return;
  c.printf(st == XLAT_VERBOSE ? " /* UNI_DIRECT_BASE+%#x */" : "UNI_DIRECT_BASE+%#x", v & UNI_DIRECT_MASK);
}

// A kbentry kb_value: the number, then the key's symbol (K_F1), or K(type, value) for one without a
// name, in a comment.
void print_kb_value(const Call& c, uint16_t v) {
  c.printf("%#x", v);
  if (xstyle(c) == XLAT_RAW) return;
  const unsigned type = KTYP(v), val = KVAL(v);
  // The types whose symbols have names (the others hold characters or console numbers).
  const bool named = type == KT_FN || type == KT_SPEC || type == KT_PAD || type == KT_DEAD || type == KT_CUR ||
                     type == KT_SHIFT || type == KT_ASCII || type == KT_LOCK || type == KT_SLOCK || type == KT_BRL;
  if (const char* name = named ? xlat_lookup(xlat_kd_keys, v) : nullptr) {
    c.printf(" /* %s */", name);
    return;
  }
  c.print(" /* K(");
  if (const char* t = xlat_lookup(xlat_kd_key_types, type))
    c.print(t);
  else
    c.printf("%#x", type);
  c.print(", ");
  if (type == KT_LATIN || type == KT_META || type == KT_LETTER || type == KT_DEAD2)
    print_char(c, static_cast<unsigned char>(val), true);
  else
    c.printf("%#x", val);
  c.print(") */");
}

int kd_kbd_entry(Call& c, uint64_t arg, bool get) {
  kbentry e;
  if (c.entering()) {
    c.print(", ");
    if (!read_mem(c, arg, &e, offsetof(kbentry, kb_value))) {
      print_addr(c, arg);
      return kIoctlArgDone;
    }
    Fields f(c);
    if (const char* table = xlat_lookup(xlat_kd_key_tables, e.kb_table))
      print_const(f.f("kb_table"), e.kb_table, table);
    else
      f.flags("kb_table", xlat_kd_keymap_flags, e.kb_table, "K_???");
    f.u("kb_index", e.kb_index);
    if (get) return 0;
  } else if (c.failed()) {
    c.printc('}');
    return kIoctlArgDone;
  }
  Fields f(c, false, 1);
  if (!read_obj(c, arg + offsetof(kbentry, kb_value), &e.kb_value))
    f.f("kb_value").print("???");
  else
    print_kb_value(f.f("kb_value"), e.kb_value);
  c.printc('}');
  return kIoctlArgDone;
}

// A function key number as KVAL(K_F1).
void print_kb_func(const Call& c, unsigned char func) {
  if (const char* name = xlat_lookup(xlat_kd_keys, K(KT_FN, func))) {
    print_const(c, func, (std::string("KVAL(") + name + ")").c_str());
    return;
  }
  static const Xlat kNone = {nullptr, 0, XLAT_VALUE};
  print_xval(c, kNone, func, "KVAL(K_???)");
}

int kd_kbd_str_entry(Call& c, uint64_t arg, bool get) {
  if (c.entering()) {
    c.print(", ");
    unsigned char func;
    if (!fetch_or_addr(c, arg, &func)) return kIoctlArgDone;
    c.print("{kb_func=");
    print_kb_func(c, func);
    if (get) return 0;
  } else if (c.failed()) {
    c.printc('}');
    return kIoctlArgDone;
  }
  c.print(", kb_string=");
  std::string s;
  bool terminated = false;
  if (!read_cstr(c, arg + offsetof(kbsentry, kb_string), sizeof(kbsentry::kb_string), &s, &terminated)) {
    c.print("???}");
    return kIoctlArgDone;
  }
  // Up to -s bytes of the string and its NUL; "..." when the NUL is not among them.
  const size_t strsize = c.opts ? c.opts->strsize : 32;
  const size_t have = terminated ? s.size() + 1 : sizeof(kbsentry::kb_string);
  const size_t n = have < strsize ? have : strsize;
  const bool ends = terminated && n == s.size() + 1;
  print_quoted(c, s.data(), ends ? n - 1 : (n < s.size() ? n : s.size()), !ends);
  c.printc('}');
  return kIoctlArgDone;
}

// KDGKBDIACR/KDSKBDIACR and the UCS versions: {kb_cnt=N, kbdiacr=[...]} with the entries that fit.
template <typename Entry, typename F> void print_diacrs(const Call& c, uint64_t arg, const char* field, F&& one) {
  unsigned cnt;
  if (!fetch_or_addr(c, arg, &cnt)) return;
  c.printf("{kb_cnt=%u, %s=", cnt, field);
  const unsigned n = cnt < kMaxDiacr ? cnt : kMaxDiacr;
  // Entries past the 256 the kernel takes are not read; strace says there are more (unless -s cut
  // the list already).
  if (print_array<Entry>(c, arg + sizeof cnt, n, one) && cnt > kMaxDiacr && n <= array_print_limit(c)) {
    c.out->pop_back();
    c.print(", ...]");
  }
  c.printc('}');
}

void print_diacr_in(const Call& c, uint64_t arg) {
  print_diacrs<kbdiacr>(c, arg, "kbdiacr", [&](const kbdiacr& d) {
    c.print("{diacr=");
    print_char(c, d.diacr, true);
    c.print(", base=");
    print_char(c, d.base, true);
    c.print(", result=");
    print_char(c, d.result, true);
    c.printc('}');
  });
}

void print_diacruc_in(const Call& c, uint64_t arg) {
  print_diacrs<kbdiacruc>(c, arg, "kbdiacruc", [&](const kbdiacruc& d) {
    c.printf("{diacr=%#x, base=%#x, result=%#x}", d.diacr, d.base, d.result);
  });
}

// KDGETKEYCODE: {scancode, keycode} at entry, " => keycode" at exit; KDSETKEYCODE: both at entry.
int kd_keycode(Call& c, uint64_t arg, bool get) {
  kbkeycode k;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &k)) return kIoctlArgDone;
    c.printf("{scancode=%#x, keycode=%#x", k.scancode, k.keycode);
    if (get) return 0;
  } else if (!c.failed() && read_obj(c, arg + offsetof(kbkeycode, keycode), &k.keycode)) {
    c.printf(" => %#x", k.keycode);
  }
  c.printc('}');
  return kIoctlArgDone;
}

int kd_sigaccept(Call& c, uint64_t arg) {
  c.print(", ");
  if (arg < INT_MAX)
    print_signame(c, static_cast<int>(arg));
  else
    print_udec(c, arg);
  return kIoctlArgDone;
}

bool print_kbd_repeat(const Call& c, uint64_t arg) {
  kbd_repeat r;
  if (!fetch_or_addr(c, arg, &r)) return false;
  c.printf("{delay=%d, period=%d}", r.delay, r.period);
  return true;
}
void print_kbd_repeat_out(const Call& c, uint64_t arg) { print_kbd_repeat(c, arg); }

void print_unimapclr(const Call& c, uint64_t arg) {
  unimapinit u;
  if (!fetch_or_addr(c, arg, &u)) return;
  Fields f(c);
  f.u("advised_hashsize", u.advised_hashsize);
  f.u("advised_hashstep", u.advised_hashstep);
  f.u("advised_hashlevel", u.advised_hashlevel);
  f.end();
}

// GIO_UNIMAP/PIO_UNIMAP: {entry_ct, entries}; for GIO_UNIMAP the count the kernel set follows
// " => ", and the entries are those the caller had room for.
int kd_unimap(Call& c, uint64_t arg, bool get) {
  unimapdesc u;
  if (c.entering()) c.print(", ");
  // Read even after a failure: ENOMEM still says how many entries there are.
  if (arg == 0 || !structs_decoded(c) || !read_obj(c, arg, &u)) {
    print_addr(c, arg);
    if (c.exiting) c.printc('}');
    return kIoctlArgDone;
  }
  if (c.entering()) {
    c.saved[0] = u.entry_ct;
    c.printf("{entry_ct=%u", u.entry_ct);
    if (get) return 0;
  } else {
    c.printf(" => %u", u.entry_ct);
    if (c.failed() && c.error != ENOMEM) {
      c.print(", entries=");
      print_addr(c, reinterpret_cast<uint64_t>(u.entries));
      c.printc('}');
      return kIoctlArgDone;
    }
  }
  const uint64_t cnt = c.entering() ? u.entry_ct : c.saved[0];
  c.print(", entries=");
  print_array<unipair>(c, reinterpret_cast<uint64_t>(u.entries), cnt,
                       [&](const unipair& p) { c.printf("{unicode=%#x, fontpos=%#x}", p.unicode, p.fontpos); });
  c.printc('}');
  return kIoctlArgDone;
}

void print_fontdesc(const Call& c, const consolefontdesc& d, bool data_as_addr) {
  c.printf("{charcount=%u, charheight=%u, chardata=", d.charcount, d.charheight);
  const uint64_t data = reinterpret_cast<uint64_t>(d.chardata);
  if (data_as_addr)
    print_addr(c, data);
  else
    print_buf_hex(c, data, (d.charcount < 512 ? d.charcount : 512) * 32u);
  c.printc('}');
}

// GIO_FONTX: the buffer to fill at entry, what filled it after " => "; PIO_FONTX: the font at entry.
int kd_fontx(Call& c, uint64_t arg, bool get) {
  consolefontdesc d;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &d)) return kIoctlArgDone;
  } else {
    if (c.failed() || !read_obj(c, arg, &d)) return kIoctlArgDone;
    c.print(" => ");
  }
  print_fontdesc(c, d, get && c.entering());
  return get && c.entering() ? 0 : kIoctlArgDone;
}

// KD_FONT_OP_SET_DEFAULT's font name: a string in a 32-byte buffer that ends in its NUL (so no more
// than 31 characters; "..." when there is no NUL among the 32).
void print_font_name(const Call& c, uint64_t addr) {
  constexpr size_t kMaxName = 32;
  char buf[kMaxName];
  const size_t got = addr ? read_mem_partial(c, addr, buf, sizeof buf) : 0;
  const void* nul = memchr(buf, 0, got);
  if (got == 0 || (!nul && got < sizeof buf)) {
    print_addr(c, addr);
    return;
  }
  const size_t len = nul ? static_cast<size_t>(static_cast<const char*>(nul) - buf) : kMaxName - 1;
  const size_t strsize = c.opts ? c.opts->strsize : 32;
  print_quoted(c, buf, len < strsize ? len : strsize, !nul || len > strsize);
}

void print_font_op(const Call& c, const console_font_op& f) {
  const bool copy = f.op == KD_FONT_OP_COPY, set_default = f.op == KD_FONT_OP_SET_DEFAULT;
  c.printc('{');
  if (c.entering()) {
    c.print("op=");
    print_xval(c, xlat_kd_font_ops, f.op, "KD_FONT_OP_???");
    if (!copy && !set_default) {
      c.print(", flags=");
      print_flags_or_unknown(c, xlat_kd_font_flags, f.flags, "KD_FONT_FLAG_???");
    }
    c.print(", ");
  }
  if (copy)
    c.printf("height=%u", f.height);
  else
    c.printf("width=%u, height=%u", f.width, f.height);
  if (!copy && !set_default) c.printf(", charcount=%u", f.charcount);
  const uint64_t data = reinterpret_cast<uint64_t>(f.data);
  switch (f.op) {
    case KD_FONT_OP_GET:
      if (c.entering()) {
        c.print(", data=");
        print_addr(c, data);
        break;
      }
      [[fallthrough]];
    case KD_FONT_OP_SET: {
      const unsigned width = f.width < 32 ? f.width : 32, count = f.charcount < 512 ? f.charcount : 512;
      c.print(", data=");
      print_buf_hex(c, data, (width + 7) / 8 * 32 * count);
      break;
    }
    case KD_FONT_OP_SET_DEFAULT:
      if (c.entering()) {
        c.print(", data=");
        print_font_name(c, data);
      }
      break;
    case KD_FONT_OP_COPY: break;
    default:
      c.print(", data=");
      print_addr(c, data);
      break;
  }
  c.printc('}');
}

int kd_font_op(Call& c, uint64_t arg) {
  console_font_op f;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &f)) return kIoctlArgDone;
  } else {
    if (c.failed() || !read_obj(c, arg, &f)) return kIoctlArgDone;
    c.print(" => ");
  }
  print_font_op(c, f);
  if (f.op == KD_FONT_OP_SET || f.op == KD_FONT_OP_COPY) return kIoctlArgDone;
  return c.entering() ? 0 : kIoctlArgDone;
}

// A buffer of len bytes in hex: at entry for a set request, at exit for a get one (its address when
// the call failed).
int kd_buffer(Call& c, uint64_t arg, bool get, unsigned len) {
  if (c.entering()) {
    c.print(", ");
    if (get) return 0;
  }
  if (c.failed())
    print_addr(c, arg);
  else
    print_buf_hex(c, arg, len);
  return kIoctlArgDone;
}

int kd_uni_screen_map(Call& c, uint64_t arg, bool get) {
  if (c.entering()) {
    c.print(", ");
    if (get) return 0;
  }
  print_array<uint16_t>(c, arg, kScreenMapSize, [&](uint16_t v) { print_uni_entry(c, v); });
  return kIoctlArgDone;
}

const Request kKd[] = {
    req_out(KDGETLED, [](const Call& c, uint64_t arg) { print_byte_at<true>(c, arg, xlat_kd_led_flags, "LED_???"); }),
    req_out(KDGKBLED, [](const Call& c, uint64_t arg) { print_byte_at<true>(c, arg, xlat_kd_default_led_flags, "LED_???"); }),
    req_in(KDSETLED, [](const Call& c, uint64_t arg) { print_flags_or_unknown(c, xlat_kd_led_flags, static_cast<unsigned char>(arg), "LED_???"); }),
    req_in(KDSKBLED, [](const Call& c, uint64_t arg) { print_flags_or_unknown(c, xlat_kd_default_led_flags, static_cast<unsigned char>(arg), "LED_???"); }),
    req_out(KDGKBTYPE, [](const Call& c, uint64_t arg) { print_byte_at<false>(c, arg, xlat_kd_kbd_types, "KB_???"); }),
    req_in(KDSETMODE, [](const Call& c, uint64_t arg) { print_xval(c, xlat_kd_modes, static_cast<unsigned>(arg), "KD_???"); }),
    req_xval_out(KDGETMODE, xlat_kd_modes, "KD_???"),
    req_in(KDSKBMODE, [](const Call& c, uint64_t arg) { print_xval_d(c, xlat_kd_kbd_modes, static_cast<int>(arg), "K_???"); }),
    req_out(KDGKBMODE, [](const Call& c, uint64_t arg) {
      unsigned v;
      if (!fetch_or_addr(c, arg, &v)) return;
      c.printc('[');
      print_xval_d(c, xlat_kd_kbd_modes, static_cast<int>(v), "K_???");
      c.printc(']');
    }),
    req_in(KDSKBMETA, [](const Call& c, uint64_t arg) { print_xval(c, xlat_kd_meta_vals, static_cast<unsigned>(arg), "K_???"); }),
    req_xval_out(KDGKBMETA, xlat_kd_meta_vals, "K_???"),
    req_out(KDGKBDIACR, print_diacr_in),
    req_in(KDSKBDIACR, print_diacr_in),
    req_out(KDGKBDIACRUC, print_diacruc_in),
    req_in(KDSKBDIACRUC, print_diacruc_in),
    req_in_out(KDKBDREP, print_kbd_repeat, print_kbd_repeat_out),
    req_in(PIO_UNIMAPCLR, print_unimapclr),
    req_none(KDENABIO),
    req_none(KDDISABIO),
    req_none(KDMAPDISP),
    req_none(KDUNMAPDISP),
    req_none(PIO_FONTRESET),
};

}  // namespace

int kd_ioctl(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case KIOCSOUND: return c.entering() ? kiocsound(c, arg) : kIoctlArgDone;
    case KDMKTONE: return c.entering() ? kdmktone(c, arg) : kIoctlArgDone;
    case KDADDIO:
    case KDDELIO: return c.entering() ? kd_io(c, arg) : kIoctlArgDone;
    case KDSIGACCEPT: return c.entering() ? kd_sigaccept(c, arg) : kIoctlArgDone;
    case GIO_SCRNMAP:
    case PIO_SCRNMAP: return kd_buffer(c, arg, code == GIO_SCRNMAP, kScreenMapSize);
    case GIO_FONT:
    case PIO_FONT: return kd_buffer(c, arg, code == GIO_FONT, kFontBytes);
    case GIO_CMAP:
    case PIO_CMAP: return kd_buffer(c, arg, code == GIO_CMAP, 3 * 16);
    case GIO_UNISCRNMAP:
    case PIO_UNISCRNMAP: return kd_uni_screen_map(c, arg, code == GIO_UNISCRNMAP);
    case KDGKBENT:
    case KDSKBENT: return kd_kbd_entry(c, arg, code == KDGKBENT);
    case KDGKBSENT:
    case KDSKBSENT: return kd_kbd_str_entry(c, arg, code == KDGKBSENT);
    case KDGETKEYCODE:
    case KDSETKEYCODE: return kd_keycode(c, arg, code == KDGETKEYCODE);
    case GIO_UNIMAP:
    case PIO_UNIMAP: return kd_unimap(c, arg, code == GIO_UNIMAP);
    case GIO_FONTX:
    case PIO_FONTX: return kd_fontx(c, arg, code == GIO_FONTX);
    case KDFONTOP: return kd_font_op(c, arg);
    default: return by_table(c, code, arg, kKd);
  }
}

}  // namespace ioctl
}  // namespace decode
