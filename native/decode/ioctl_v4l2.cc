// Video4Linux2 requests ('V', linux/videodev2.h): capabilities, formats, buffers, streaming
// parameters, standards, inputs, tuners, controls, cropping, frame sizes and intervals.
// Most requests send a structure the driver fills in or adjusts: the fields the caller sets print at
// entry, those the driver returns at exit; a field the driver may change prints "old => new".
#include <linux/videodev2.h>

#include <cstdio>
#include <string>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

void print_rect(const Call& c, const v4l2_rect& r) {
  Fields f(c);
  f.d("left", r.left);
  f.d("top", r.top);
  f.u("width", r.width);
  f.u("height", r.height);
  f.end();
}

void print_fract(const Call& c, const v4l2_fract& fr) { c.printf("%u/%u", fr.numerator, fr.denominator); }

// A fourcc code as v4l2_fourcc('Y', 'U', 'Y', 'V'), its name (when the table has one) in a comment;
// the number under -X raw.
void print_fourcc(const Call& c, uint32_t fourcc, const Xlat* names) {
  if (xstyle(c) == XLAT_RAW) {
    print_hex(c, fourcc);
    return;
  }
  c.print("v4l2_fourcc(");
  for (int i = 0; i < 4; i++) {
    if (i) c.print(", ");
    print_char(c, static_cast<unsigned char>(fourcc >> (8 * i)), false);
  }
  c.printc(')');
  if (const char* name = names ? xlat_lookup(*names, fourcc) : nullptr) c.printf(" /* %s */", name);
}

// A control id: its name, else CLASS+offset within its control class, else the number with
// V4L2_CID_??? in a comment. With next, the V4L2_CTRL_FLAG_NEXT_* bits a query may add go first.
void print_cid(const Call& c, uint32_t cid, bool next) {
  if (xstyle(c) == XLAT_RAW) {
    print_hex(c, cid);
    return;
  }
  if (next) {
    const uint32_t bits = cid & (V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND);
    if (bits) {
      print_flags_or_unknown(c, xlat_v4l2_control_query_flags, bits, "V4L2_CTRL_FLAG_NEXT_???");
      c.printc('|');
      cid &= ~bits;
    }
  }
  const XlatEntry* cls = nullptr;  // the highest class not above cid
  for (size_t i = 0; i < xlat_v4l2_control_classes.n; i++) {
    const XlatEntry& e = xlat_v4l2_control_classes.e[i];
    if (e.val <= cid && (!cls || e.val > cls->val)) cls = &e;
  }
  if (xlat_lookup(xlat_v4l2_control_ids, cid) || !cls || cid - cls->val >= 0x10000) {
    print_xval(c, xlat_v4l2_control_ids, cid, "V4L2_CID_???");
    return;
  }
  char name[96];
  snprintf(name, sizeof name, "%s+%#llx", cls->name, static_cast<unsigned long long>(cid - cls->val));
  print_const(c, cid, name);
}

// ---------------------------------------------------------------- capabilities, formats

void print_capability(const Call& c, uint64_t arg) {
  v4l2_capability caps;
  if (!fetch_or_addr(c, arg, &caps)) return;
  Fields f(c);
  f.cstr("driver", caps.driver);
  f.cstr("card", caps.card);
  f.cstr("bus_info", caps.bus_info);
  print_composite(f.f("version"), caps.version, FMT_HEX, [&] {
    c.printf("KERNEL_VERSION(%u, %u, %u)", caps.version >> 16, (caps.version >> 8) & 0xff, caps.version & 0xff);
  });
  f.flags("capabilities", xlat_v4l2_device_capabilities_flags, caps.capabilities, "V4L2_CAP_???");
  if (caps.device_caps)
    f.flags("device_caps", xlat_v4l2_device_capabilities_flags, caps.device_caps, "V4L2_CAP_???");
  f.end();
}

bool print_fmtdesc_in(const Call& c, uint64_t arg) {
  v4l2_fmtdesc d;
  if (!fetch_or_addr(c, arg, &d)) return false;
  Fields f(c);
  f.u("index", d.index);
  f.xval("type", xlat_v4l2_buf_types, d.type, "V4L2_BUF_TYPE_???");
  return true;
}

void print_fmtdesc_out(const Call& c, uint64_t arg) {
  v4l2_fmtdesc d;
  if (!read_obj(c, arg, &d)) return;
  Fields f(c, false, 2);
  f.flags("flags", xlat_v4l2_format_description_flags, d.flags, "V4L2_FMT_FLAG_???");
  f.cstr("description", d.description);
  print_fourcc(f.f("pixelformat"), d.pixelformat, &xlat_v4l2_pix_fmts);
}

// The member of v4l2_format.fmt that its type selects, as the field fmt.NAME of f; false when the
// type has none (nothing printed) or a window's clip list could not be read whole.
bool print_format_member(const Call& c, Fields& f, uint32_t type, const decltype(v4l2_format::fmt)& u) {
  switch (type) {
    case V4L2_BUF_TYPE_VIDEO_CAPTURE:
    case V4L2_BUF_TYPE_VIDEO_OUTPUT: {
      const v4l2_pix_format& p = u.pix;
      f.f("fmt.pix");
      Fields g(c);
      g.u("width", p.width);
      g.u("height", p.height);
      print_fourcc(g.f("pixelformat"), p.pixelformat, &xlat_v4l2_pix_fmts);
      g.xval("field", xlat_v4l2_fields, p.field, "V4L2_FIELD_???");
      g.u("bytesperline", p.bytesperline);
      g.u("sizeimage", p.sizeimage);
      g.xval("colorspace", xlat_v4l2_colorspaces, p.colorspace, "V4L2_COLORSPACE_???");
      g.end();
      return true;
    }
    case V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE:
    case V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE: {
      const v4l2_pix_format_mplane& p = u.pix_mp;
      f.f("fmt.pix_mp");
      Fields g(c);
      g.u("width", p.width);
      g.u("height", p.height);
      print_fourcc(g.f("pixelformat"), p.pixelformat, &xlat_v4l2_pix_fmts);
      g.xval("field", xlat_v4l2_fields, p.field, "V4L2_FIELD_???");
      g.xval("colorspace", xlat_v4l2_colorspaces, p.colorspace, "V4L2_COLORSPACE_???");
      g.array_upto("plane_fmt", p.plane_fmt, p.num_planes, [&](const v4l2_plane_pix_format& pf) {
        Fields h(c);
        h.u("sizeimage", pf.sizeimage);
        h.u("bytesperline", pf.bytesperline);
        h.end();
      });
      g.u("num_planes", p.num_planes);
      g.end();
      return true;
    }
    case V4L2_BUF_TYPE_VIDEO_OVERLAY:
    case V4L2_BUF_TYPE_VIDEO_OUTPUT_OVERLAY: {
      const v4l2_window& w = u.win;
      f.f("fmt.win");
      Fields g(c);
      print_rect(g.f("w"), w.w);
      g.xval("field", xlat_v4l2_fields, w.field, "V4L2_FIELD_???");
      g.x("chromakey", w.chromakey);
      const bool whole = print_array<v4l2_clip>(g.f("clips"), reinterpret_cast<uint64_t>(w.clips), w.clipcount,
                                                [&](const v4l2_clip& clip) {
                                                  c.print("{c=");
                                                  print_rect(c, clip.c);
                                                  c.printc('}');
                                                });
      g.u("clipcount", w.clipcount);
      g.ptr("bitmap", reinterpret_cast<uint64_t>(w.bitmap));
      if (w.global_alpha) g.x("global_alpha", w.global_alpha);
      g.end();
      return whole;
    }
    case V4L2_BUF_TYPE_VBI_CAPTURE:
    case V4L2_BUF_TYPE_VBI_OUTPUT: {
      const v4l2_vbi_format& v = u.vbi;
      f.f("fmt.vbi");
      Fields g(c);
      g.u("sampling_rate", v.sampling_rate);
      g.u("offset", v.offset);
      g.u("samples_per_line", v.samples_per_line);
      print_fourcc(g.f("sample_format"), v.sample_format, &xlat_v4l2_pix_fmts);
      g.darray("start", v.start);
      g.uarray("count", v.count);
      g.flags("flags", xlat_v4l2_vbi_flags, v.flags, "V4L2_VBI_???");
      g.end();
      return true;
    }
    case V4L2_BUF_TYPE_SLICED_VBI_CAPTURE:
    case V4L2_BUF_TYPE_SLICED_VBI_OUTPUT: {
      const v4l2_sliced_vbi_format& s = u.sliced;
      f.f("fmt.sliced");
      Fields g(c);
      g.flags("service_set", xlat_v4l2_sliced_flags, s.service_set, "V4L2_SLICED_???");
      g.array_upto("service_lines", s.service_lines, 2, [&](const __u16 (&line)[24]) {
        const size_t limit = array_print_limit(c);
        c.printc('[');
        for (size_t i = 0; i < 24; i++) {
          if (i) c.print(", ");
          if (i >= limit) {
            c.print("...");
            break;
          }
          c.printf("%#x", line[i]);
        }
        c.printc(']');
      });
      g.u("io_size", s.io_size);
      g.end();
      return true;
    }
    case V4L2_BUF_TYPE_SDR_CAPTURE:
    case V4L2_BUF_TYPE_SDR_OUTPUT: {
      f.f("fmt.sdr");
      Fields g(c);
      print_fourcc(g.f("pixelformat"), u.sdr.pixelformat, &xlat_v4l2_sdr_fmts);
      if (u.sdr.buffersize) g.u("buffersize", u.sdr.buffersize);
      g.end();
      return true;
    }
    case V4L2_BUF_TYPE_META_CAPTURE:
    case V4L2_BUF_TYPE_META_OUTPUT: {
      f.f("fmt.meta");
      Fields g(c);
      print_fourcc(g.f("dataformat"), u.meta.dataformat, &xlat_v4l2_meta_fmts);
      g.u("buffersize", u.meta.buffersize);
      g.end();
      return true;
    }
    default:
      return false;
  }
}

bool has_format_member(uint32_t type) {
  return type >= V4L2_BUF_TYPE_VIDEO_CAPTURE && type <= V4L2_BUF_TYPE_META_OUTPUT;
}

// VIDIOC_G_FMT: the type asked for; the format comes back.
bool print_format_type(const Call& c, uint64_t arg) {
  v4l2_format fm;
  if (!fetch_or_addr(c, arg, &fm)) return false;
  Fields(c).xval("type", xlat_v4l2_buf_types, fm.type, "V4L2_BUF_TYPE_???");
  return true;
}

void print_format_got(const Call& c, uint64_t arg) {
  v4l2_format fm;
  if (!read_obj(c, arg, &fm)) return;
  Fields f(c, false, 1);
  print_format_member(c, f, fm.type, fm.fmt);
}

// VIDIOC_S_FMT, VIDIOC_TRY_FMT: the format proposed; the one the driver settled on at exit.
bool print_format_in(const Call& c, uint64_t arg) {
  v4l2_format fm;
  if (!fetch_or_addr(c, arg, &fm)) return false;
  Fields f(c);
  f.xval("type", xlat_v4l2_buf_types, fm.type, "V4L2_BUF_TYPE_???");
  if (print_format_member(c, f, fm.type, fm.fmt)) return true;
  f.end();
  return false;
}

void print_format_settled(const Call& c, uint64_t arg) {
  v4l2_format fm;
  if (!read_obj(c, arg, &fm) || !has_format_member(fm.type)) return;
  c.print("} => ");
  Fields f(c);
  print_format_member(c, f, fm.type, fm.fmt);
}

// ---------------------------------------------------------------- buffers

bool print_reqbufs_in(const Call& c, uint64_t arg) {
  v4l2_requestbuffers rb;
  if (!fetch_or_addr(c, arg, &rb)) return false;
  Fields f(c);
  f.xval("type", xlat_v4l2_buf_types, rb.type, "V4L2_BUF_TYPE_???");
  f.xval("memory", xlat_v4l2_memories, rb.memory, "V4L2_MEMORY_???");
  f.u("count", rb.count);
  return true;
}

void print_reqbufs_count(const Call& c, uint64_t arg) {
  v4l2_requestbuffers rb;
  if (read_obj(c, arg, &rb)) c.printf(" => %u", rb.count);
}

// Timestamp type and source are fields of their own inside the flags word.
void print_buffer_flags(const Call& c, uint32_t v) {
  if (xstyle(c) == XLAT_RAW) {
    print_hex(c, v);
    return;
  }
  const uint32_t ts_type = v & V4L2_BUF_FLAG_TIMESTAMP_MASK, ts_src = v & V4L2_BUF_FLAG_TSTAMP_SRC_MASK;
  if (const uint32_t rest = v & ~(ts_type | ts_src)) {
    print_flags_or_unknown(c, xlat_v4l2_buf_flags, rest, "V4L2_BUF_FLAG_???");
    c.printc('|');
  }
  print_xval(c, xlat_v4l2_buf_flags_ts_type, ts_type, "V4L2_BUF_FLAG_TIMESTAMP_???");
  c.printc('|');
  print_xval(c, xlat_v4l2_buf_flags_ts_src, ts_src, "V4L2_BUF_FLAG_TSTAMP_SRC_???");
}

// VIDIOC_QUERYBUF, VIDIOC_QBUF: the buffer's type and index at entry, the rest at exit; VIDIOC_DQBUF
// learns the index at exit too, with the buffer's timestamp.
template <bool kDequeue> bool print_buffer_in(const Call& c, uint64_t arg) {
  v4l2_buffer b;
  if (!fetch_or_addr(c, arg, &b)) return false;
  Fields f(c);
  f.xval("type", xlat_v4l2_buf_types, b.type, "V4L2_BUF_TYPE_???");
  if (!kDequeue) f.u("index", b.index);
  return true;
}

template <bool kDequeue> void print_buffer_out(const Call& c, uint64_t arg) {
  v4l2_buffer b;
  if (!read_obj(c, arg, &b)) return;
  Fields f(c, false, 1);
  if (kDequeue) f.u("index", b.index);
  f.xval("memory", xlat_v4l2_memories, b.memory, "V4L2_MEMORY_???");
  if (b.memory == V4L2_MEMORY_MMAP)
    f.x("m.offset", b.m.offset);
  else if (b.memory == V4L2_MEMORY_USERPTR)
    f.ptr("m.userptr", b.m.userptr);
  f.u("length", b.length);
  f.u("bytesused", b.bytesused);
  print_buffer_flags(f.f("flags"), b.flags);
  if (kDequeue)
    f.f("timestamp").printf("{tv_sec=%lld, tv_usec=%llu}", static_cast<long long>(b.timestamp.tv_sec),
                            static_cast<unsigned long long>(b.timestamp.tv_usec));
  f.more();
}

void print_framebuffer(const Call& c, uint64_t arg) {
  v4l2_framebuffer fb;
  if (!fetch_or_addr(c, arg, &fb)) return;
  Fields f(c);
  f.x("capability", fb.capability);
  f.x("flags", fb.flags);
  f.ptr("base", reinterpret_cast<uint64_t>(fb.base));
  f.end();
}

// VIDIOC_CREATE_BUFS: what is asked for at entry; the first index and the count created make the
// return value's note, "= 0 ({index=2, count=4})".
int decode_create_bufs(Call& c, uint64_t arg) {
  v4l2_create_buffers cb;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &cb)) return kIoctlArgDone;
    Fields f(c);
    f.u("count", cb.count);
    f.xval("memory", xlat_v4l2_memories, cb.memory, "V4L2_MEMORY_???");
    f.f("format");
    Fields g(c);
    g.xval("type", xlat_v4l2_buf_types, cb.format.type, "V4L2_BUF_TYPE_???");
    print_format_member(c, g, cb.format.type, cb.format.fmt);
    g.end();
    f.end();
    return 0;
  }
  if (c.failed() || !read_obj(c, arg, &cb)) return kIoctlArgDone;
  c.aux = "{index=" + std::to_string(cb.index) + ", count=" + std::to_string(cb.count) + "}";
  return kIoctlArgDone | RVAL_STR;
}

// ---------------------------------------------------------------- streaming parameters

template <typename T> void print_parm(const Call& c, const T& p, const char* mode_name, uint32_t mode,
                                      const char* buffers_name, uint32_t buffers) {
  Fields f(c);
  f.flags("capability", xlat_v4l2_streaming_capabilities, p.capability, "V4L2_CAP_???");
  f.flags(mode_name, xlat_v4l2_capture_modes, mode, "V4L2_MODE_???");
  print_fract(f.f("timeperframe"), p.timeperframe);
  f.x("extendedmode", p.extendedmode);
  f.u(buffers_name, buffers);
  f.end();
}

void print_streamparm_member(Fields& f, const v4l2_streamparm& s) {
  if (s.type == V4L2_BUF_TYPE_VIDEO_CAPTURE) {
    const v4l2_captureparm& p = s.parm.capture;
    print_parm(f.f("parm.capture"), p, "capturemode", p.capturemode, "readbuffers", p.readbuffers);
  } else {
    const v4l2_outputparm& p = s.parm.output;
    print_parm(f.f("parm.output"), p, "outputmode", p.outputmode, "writebuffers", p.writebuffers);
  }
}

bool has_streamparm(uint32_t type) {
  return type == V4L2_BUF_TYPE_VIDEO_CAPTURE || type == V4L2_BUF_TYPE_VIDEO_OUTPUT;
}

// VIDIOC_G_PARM: the type asked for (the parameters of a video stream come back); VIDIOC_S_PARM
// (kSet): the parameters proposed too.
template <bool kSet> bool print_streamparm_in(const Call& c, uint64_t arg) {
  v4l2_streamparm s;
  if (!fetch_or_addr(c, arg, &s)) return false;
  Fields f(c);
  f.xval("type", xlat_v4l2_buf_types, s.type, "V4L2_BUF_TYPE_???");
  if (!has_streamparm(s.type)) {
    f.end();
    return false;
  }
  if (kSet) print_streamparm_member(f, s);
  return true;
}

void print_streamparm_got(const Call& c, uint64_t arg) {
  v4l2_streamparm s;
  if (!read_obj(c, arg, &s)) return;
  Fields f(c, false, 1);
  print_streamparm_member(f, s);
}

// What the driver settled on for VIDIOC_S_PARM.
void print_streamparm_settled(const Call& c, uint64_t arg) {
  v4l2_streamparm s;
  if (!read_obj(c, arg, &s)) return;
  c.print("} => ");
  Fields f(c);
  print_streamparm_member(f, s);
}

// ---------------------------------------------------------------- standards, inputs, tuners

// The index of an enumeration structure T (the whole structure must be readable, as strace reads it).
template <typename T> bool print_index_in(const Call& c, uint64_t arg) {
  T s;
  if (!fetch_or_addr(c, arg, &s)) return false;
  Fields(c).u("index", s.index);
  return true;
}

void print_standard_out(const Call& c, uint64_t arg) {
  v4l2_standard s;
  if (!read_obj(c, arg, &s)) return;
  Fields f(c, false, 1);
  f.cstr("name", s.name);
  print_fract(f.f("frameperiod"), s.frameperiod);
  f.u("framelines", s.framelines);
}

void print_input_out(const Call& c, uint64_t arg) {
  v4l2_input in;
  if (!read_obj(c, arg, &in)) return;
  Fields f(c, false, 1);
  f.cstr("name", in.name);
  f.xval("type", xlat_v4l2_input_types, in.type, "V4L2_INPUT_TYPE_???");
}

void print_tuner_fields(Fields& f, const v4l2_tuner& t) {
  f.cstr("name", t.name);
  f.xval("type", xlat_v4l2_tuner_types, t.type, "V4L2_TUNER_???");
  f.flags("capability", xlat_v4l2_tuner_capabilities, t.capability, "V4L2_TUNER_CAP_???");
  f.u("rangelow", t.rangelow);
  f.u("rangehigh", t.rangehigh);
  f.flags("rxsubchans", xlat_v4l2_tuner_rxsubchanses, t.rxsubchans, "V4L2_TUNER_SUB_???");
  f.xval("audmode", xlat_v4l2_tuner_audmodes, t.audmode, "V4L2_TUNER_MODE_???");
  f.d("signal", t.signal);
  f.d("afc", t.afc);
}

void print_tuner_got(const Call& c, uint64_t arg) {
  v4l2_tuner t;
  if (!read_obj(c, arg, &t)) return;
  Fields f(c, false, 1);
  print_tuner_fields(f, t);
}

// VIDIOC_S_TUNER: the tuner's settings, and what the driver made of them.
bool print_tuner_in(const Call& c, uint64_t arg) {
  v4l2_tuner t;
  if (!fetch_or_addr(c, arg, &t)) return false;
  Fields f(c);
  f.u("index", t.index);
  print_tuner_fields(f, t);
  return true;
}

void print_tuner_settled(const Call& c, uint64_t arg) {
  v4l2_tuner t;
  if (!read_obj(c, arg, &t)) return;
  c.print("} => ");
  Fields f(c);
  print_tuner_fields(f, t);
}

// ---------------------------------------------------------------- controls

// VIDIOC_G_CTRL: the control asked for (its value comes back); VIDIOC_S_CTRL (kSet): the value set.
template <bool kSet> bool print_control_in(const Call& c, uint64_t arg) {
  v4l2_control ctl;
  if (!fetch_or_addr(c, arg, &ctl)) return false;
  Fields f(c);
  print_cid(f.f("id"), ctl.id, false);
  if (kSet) f.d("value", ctl.value);
  return true;
}

void print_control_value(const Call& c, uint64_t arg) {
  v4l2_control ctl;
  if (read_obj(c, arg, &ctl)) Fields(c, false, 1).d("value", ctl.value);
}

void print_control_settled(const Call& c, uint64_t arg) {
  v4l2_control ctl;
  if (read_obj(c, arg, &ctl)) c.printf(" => %d", ctl.value);
}

// VIDIOC_QUERYCTRL, VIDIOC_QUERY_EXT_CTRL: the id asked for (with the NEXT flags); at exit the id
// found when it differs, then what the control is.
template <typename T> int decode_query_control(Call& c, uint64_t arg) {
  T q;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &q)) return kIoctlArgDone;
    c.saved[0] = q.id;
    Fields f(c);
    print_cid(f.f("id"), q.id, true);
    return 0;
  }
  if (c.failed() || !read_obj(c, arg, &q)) {
    c.printc('}');
    return kIoctlArgDone;
  }
  if (q.id != c.saved[0]) {
    c.print(" => ");
    print_cid(c, q.id, false);
  }
  Fields f(c, false, 1);
  f.xval("type", xlat_v4l2_control_types, q.type, "V4L2_CTRL_TYPE_???");
  f.cstr("name", q.name);
  if (abbrev(c)) {
    f.more();
  } else {
    f.d("minimum", q.minimum);
    f.d("maximum", q.maximum);
    if constexpr (std::is_same_v<T, v4l2_query_ext_ctrl>)
      f.u("step", q.step);
    else
      f.d("step", q.step);
    f.d("default_value", q.default_value);
    f.flags("flags", xlat_v4l2_control_flags, q.flags, "V4L2_CTRL_FLAG_???");
    if constexpr (std::is_same_v<T, v4l2_query_ext_ctrl>) {
      f.u("elem_size", q.elem_size);
      f.u("elems", q.elems);
      f.u("nr_of_dims", q.nr_of_dims);
      f.uarray_upto("dims", q.dims, q.nr_of_dims);
    }
    if (!all_zero(q.reserved)) f.xarray("reserved", q.reserved);
  }
  f.end();
  return kIoctlArgDone;
}

// VIDIOC_S_EXT_CTRLS, VIDIOC_TRY_EXT_CTRLS: the controls set at entry, as they came back at exit
// (read even when the call failed: error_idx then says which one the driver refused);
// VIDIOC_G_EXT_CTRLS: the controls asked for, printed at exit.
int decode_ext_controls(Call& c, uint64_t arg, bool get) {
  v4l2_ext_controls ec;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &ec)) return kIoctlArgDone;
    Fields f(c);
    f.xval("ctrl_class", xlat_v4l2_control_classes, ec.ctrl_class, "V4L2_CTRL_CLASS_???");
    f.u("count", ec.count);
    if (!ec.count) {
      f.end();
      return kIoctlArgDone;
    }
    if (get) return 0;
    c.print(", ");
  } else {
    if (!read_obj(c, arg, &ec)) {
      c.printc('}');
      return kIoctlArgDone;
    }
    c.print(get ? ", " : "} => {");
  }
  c.print("controls=");
  const bool whole = print_array_ex<v4l2_ext_control>(
      c, reinterpret_cast<uint64_t>(ec.controls), ec.count, OnFailure::Read, [&](const v4l2_ext_control& ctl) {
        Fields f(c);
        f.xval("id", xlat_v4l2_control_ids, ctl.id, "V4L2_CID_???");
        f.u("size", ctl.size);
        if (ctl.size > 0) {
          print_buf(f.f("string"), reinterpret_cast<uint64_t>(ctl.string), ctl.size);
        } else {
          f.d("value", ctl.value);
          f.d("value64", ctl.value64);
        }
        f.end();
      });
  if (c.failed()) c.printf(", error_idx=%u", ec.error_idx);
  if (c.entering() && whole) return 0;
  c.printc('}');
  return kIoctlArgDone;
}

// ---------------------------------------------------------------- cropping, frame sizes, intervals

// The buffer type of a structure T (v4l2_cropcap, v4l2_crop).
template <typename T> bool print_buf_type_in(const Call& c, uint64_t arg) {
  T s;
  if (!fetch_or_addr(c, arg, &s)) return false;
  Fields(c).xval("type", xlat_v4l2_buf_types, s.type, "V4L2_BUF_TYPE_???");
  return true;
}

void print_cropcap_out(const Call& c, uint64_t arg) {
  v4l2_cropcap cc;
  if (!read_obj(c, arg, &cc)) return;
  Fields f(c, false, 1);
  print_rect(f.f("bounds"), cc.bounds);
  print_rect(f.f("defrect"), cc.defrect);
  print_fract(f.f("pixelaspect"), cc.pixelaspect);
}

void print_crop_rect(const Call& c, uint64_t arg) {
  v4l2_crop cr;
  if (read_obj(c, arg, &cr)) print_rect(Fields(c, false, 1).f("c"), cr.c);
}

void print_crop(const Call& c, uint64_t arg) {
  v4l2_crop cr;
  if (!fetch_or_addr(c, arg, &cr)) return;
  Fields f(c);
  f.xval("type", xlat_v4l2_buf_types, cr.type, "V4L2_BUF_TYPE_???");
  print_rect(f.f("c"), cr.c);
  f.end();
}

bool print_frmsizeenum_in(const Call& c, uint64_t arg) {
  v4l2_frmsizeenum s;
  if (!fetch_or_addr(c, arg, &s)) return false;
  Fields f(c);
  f.u("index", s.index);
  print_fourcc(f.f("pixel_format"), s.pixel_format, &xlat_v4l2_pix_fmts);
  return true;
}

void print_frmsizeenum_out(const Call& c, uint64_t arg) {
  v4l2_frmsizeenum s;
  if (!read_obj(c, arg, &s)) return;
  Fields f(c, false, 2);
  f.xval("type", xlat_v4l2_framesize_types, s.type, "V4L2_FRMSIZE_TYPE_???");
  if (s.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
    f.f("discrete");
    Fields g(c);
    g.u("width", s.discrete.width);
    g.u("height", s.discrete.height);
    g.end();
  } else if (s.type == V4L2_FRMSIZE_TYPE_STEPWISE) {
    const v4l2_frmsize_stepwise& w = s.stepwise;
    f.f("stepwise");
    Fields g(c);
    g.u("min_width", w.min_width);
    g.u("max_width", w.max_width);
    g.u("step_width", w.step_width);
    g.u("min_height", w.min_height);
    g.u("max_height", w.max_height);
    g.u("step_height", w.step_height);
    g.end();
  }
}

bool print_frmivalenum_in(const Call& c, uint64_t arg) {
  v4l2_frmivalenum e;
  if (!fetch_or_addr(c, arg, &e)) return false;
  Fields f(c);
  f.u("index", e.index);
  print_fourcc(f.f("pixel_format"), e.pixel_format, &xlat_v4l2_pix_fmts);
  f.u("width", e.width);
  f.u("height", e.height);
  return true;
}

void print_frmivalenum_out(const Call& c, uint64_t arg) {
  v4l2_frmivalenum e;
  if (!read_obj(c, arg, &e)) return;
  Fields f(c, false, 4);
  f.xval("type", xlat_v4l2_frameinterval_types, e.type, "V4L2_FRMIVAL_TYPE_???");
  if (e.type == V4L2_FRMIVAL_TYPE_DISCRETE) {
    print_fract(f.f("discrete"), e.discrete);
  } else if (e.type == V4L2_FRMIVAL_TYPE_STEPWISE || e.type == V4L2_FRMIVAL_TYPE_CONTINUOUS) {
    f.f("stepwise");
    Fields g(c);
    print_fract(g.f("min"), e.stepwise.min);
    print_fract(g.f("max"), e.stepwise.max);
    print_fract(g.f("step"), e.stepwise.step);
    g.end();
  }
}

const Request kV4l2[] = {
    req_out(VIDIOC_QUERYCAP, print_capability),
    req_in_more(VIDIOC_ENUM_FMT, print_fmtdesc_in, print_fmtdesc_out),
    req_in_more(VIDIOC_G_FMT, print_format_type, print_format_got),
    req_in_more(VIDIOC_S_FMT, print_format_in, print_format_settled),
    req_in_more(VIDIOC_TRY_FMT, print_format_in, print_format_settled),
    req_in_more(VIDIOC_REQBUFS, print_reqbufs_in, print_reqbufs_count),
    req_in_more(VIDIOC_QUERYBUF, print_buffer_in<false>, print_buffer_out<false>),
    req_in_more(VIDIOC_QBUF, print_buffer_in<false>, print_buffer_out<false>),
    req_in_more(VIDIOC_DQBUF, print_buffer_in<true>, print_buffer_out<true>),
    req_out(VIDIOC_G_FBUF, print_framebuffer),
    req_in(VIDIOC_S_FBUF, print_framebuffer),
    req_xval_in(VIDIOC_STREAMON, xlat_v4l2_buf_types, "V4L2_BUF_TYPE_???"),
    req_xval_in(VIDIOC_STREAMOFF, xlat_v4l2_buf_types, "V4L2_BUF_TYPE_???"),
    req_in_more(VIDIOC_G_PARM, print_streamparm_in<false>, print_streamparm_got),
    req_in_more(VIDIOC_S_PARM, print_streamparm_in<true>, print_streamparm_settled),
    req_num_out(VIDIOC_G_STD, 8, "%#llx"),
    req_num_in(VIDIOC_S_STD, 8, "%#llx"),
    req_in_more(VIDIOC_ENUMSTD, print_index_in<v4l2_standard>, print_standard_out),
    req_in_more(VIDIOC_ENUMINPUT, print_index_in<v4l2_input>, print_input_out),
    req_in_more(VIDIOC_G_CTRL, print_control_in<false>, print_control_value),
    req_in_more(VIDIOC_S_CTRL, print_control_in<true>, print_control_settled),
    req_in_more(VIDIOC_G_TUNER, print_index_in<v4l2_tuner>, print_tuner_got),
    req_in_more(VIDIOC_S_TUNER, print_tuner_in, print_tuner_settled),
    req_int_out(VIDIOC_G_INPUT, "%llu"),
    req_int_in(VIDIOC_S_INPUT, "%llu"),
    req_in_more(VIDIOC_CROPCAP, print_buf_type_in<v4l2_cropcap>, print_cropcap_out),
    req_in_more(VIDIOC_G_CROP, print_buf_type_in<v4l2_crop>, print_crop_rect),
    req_in(VIDIOC_S_CROP, print_crop),
    req_in_more(VIDIOC_ENUM_FRAMESIZES, print_frmsizeenum_in, print_frmsizeenum_out),
    req_in_more(VIDIOC_ENUM_FRAMEINTERVALS, print_frmivalenum_in, print_frmivalenum_out),
};

}  // namespace

int v4l2_ioctl(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case VIDIOC_QUERYCTRL: return decode_query_control<v4l2_queryctrl>(c, arg);
    case VIDIOC_QUERY_EXT_CTRL: return decode_query_control<v4l2_query_ext_ctrl>(c, arg);
    case VIDIOC_S_EXT_CTRLS:
    case VIDIOC_TRY_EXT_CTRLS:
    case VIDIOC_G_EXT_CTRLS: return decode_ext_controls(c, arg, code == VIDIOC_G_EXT_CTRLS);
    case VIDIOC_CREATE_BUFS: return decode_create_bufs(c, arg);
    default: return by_table(c, code, arg, kV4l2);
  }
}

}  // namespace ioctl
}  // namespace decode
