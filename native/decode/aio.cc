// Asynchronous I/O: the Linux AIO calls (io_setup, io_submit, io_getevents, io_pgetevents,
// io_cancel, io_destroy) and io_uring (io_uring_setup, io_uring_enter, io_uring_register).
#include <linux/aio_abi.h>
#include <linux/io_uring.h>

#include <cinttypes>
#include <vector>

#include "fields.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace {

void sep(const Call& c) { c.print(", "); }

// ---------------------------------------------------------------- AIO

int sys_io_setup(Call& c) {
  if (c.entering()) {
    c.printf("%u, ", c.arg_uint(0));
    return 0;
  }
  uint64_t ctx;
  if (fetch_or_addr(c, c.arg(1), &ctx)) c.printf("[%#" PRIx64 "]", ctx);
  return 0;
}

int sys_io_destroy(Call& c) {
  print_addr(c, c.arg(0));
  return RVAL_DECODED;
}

enum class IocbKind { kNone, kCommon, kVector, kPoll };

IocbKind iocb_kind(unsigned opcode) {
  switch (opcode) {
    case IOCB_CMD_PREAD:
    case IOCB_CMD_PWRITE: return IocbKind::kCommon;
    case IOCB_CMD_PREADV:
    case IOCB_CMD_PWRITEV: return IocbKind::kVector;
    case IOCB_CMD_POLL: return IocbKind::kPoll;
    default: return IocbKind::kNone;
  }
}

// aio_data, the non-zero optional fields, the operation, the priority and the descriptor.
IocbKind print_iocb_header(Fields& f, const Call& c, const iocb& cb) {
  f.x("aio_data", cb.aio_data);
  if (cb.aio_key) f.u("aio_key", cb.aio_key);
  if (cb.aio_rw_flags) f.flags("aio_rw_flags", xlat_rwf_flags, static_cast<uint32_t>(cb.aio_rw_flags), "RWF_???");
  print_xval_u(f.f("aio_lio_opcode"), xlat_aio_cmds, cb.aio_lio_opcode, "IOCB_CMD_???");
  if (cb.aio_flags & IOCB_FLAG_IOPRIO)
    print_ioprio(f.f("aio_reqprio"), static_cast<uint16_t>(cb.aio_reqprio));
  else if (cb.aio_reqprio)
    f.d("aio_reqprio", cb.aio_reqprio);
  print_fd(f.f("aio_fildes"), static_cast<int>(cb.aio_fildes));
  return iocb_kind(cb.aio_lio_opcode);
}

void print_iocb_flags(Fields& f, const Call& c, const iocb& cb) {
  if (cb.aio_flags) f.flags("aio_flags", xlat_aio_iocb_flags, cb.aio_flags, "IOCB_FLAG_???");
  if (cb.aio_flags & IOCB_FLAG_RESFD)
    print_fd(f.f("aio_resfd"), static_cast<int>(cb.aio_resfd));
  else if (cb.aio_resfd)
    f.x("aio_resfd", cb.aio_resfd);
}

bool iocb_valid(const iocb& cb) { return static_cast<int64_t>(cb.aio_nbytes) >= 0; }

void print_iocb(const Call& c, const iocb& cb) {
  Fields f(c);
  switch (print_iocb_header(f, c, cb)) {
    case IocbKind::kCommon:
      if (cb.aio_lio_opcode == IOCB_CMD_PWRITE && iocb_valid(cb))
        print_buf(f.f("aio_buf"), cb.aio_buf, cb.aio_nbytes);
      else
        f.x("aio_buf", cb.aio_buf);
      f.u("aio_nbytes", cb.aio_nbytes);
      f.d("aio_offset", cb.aio_offset);
      print_iocb_flags(f, c, cb);
      break;
    case IocbKind::kVector:
      if (iocb_valid(cb)) {
        f.f("aio_buf");
        if (cb.aio_lio_opcode == IOCB_CMD_PWRITEV)
          print_iov(c, cb.aio_buf, cb.aio_nbytes, -1);
        else
          print_iov_with(c, cb.aio_buf, cb.aio_nbytes, -1, [&](uint64_t base, uint64_t) { print_addr(c, base); });
      } else {
        f.x("aio_buf", cb.aio_buf);
        f.u("aio_nbytes", cb.aio_nbytes);
      }
      f.d("aio_offset", cb.aio_offset);
      print_iocb_flags(f, c, cb);
      break;
    case IocbKind::kPoll:
      f.flags("aio_buf", xlat_poll_events, cb.aio_buf, "POLL???");
      print_iocb_flags(f, c, cb);
      break;
    case IocbKind::kNone:
      break;
  }
  f.end();
}

// io_submit(ctx, nr, iocbpp): each iocb pointer followed.
int sys_io_submit(Call& c) {
  print_addr(c, c.arg(0));
  const int64_t nr = c.arg_long(1);
  c.printf(", %" PRId64 ", ", nr);
  if (nr < 0) {
    print_addr(c, c.arg(2));
  } else {
    print_array<uint64_t>(c, c.arg(2), static_cast<uint64_t>(nr), [&](uint64_t p) {
      iocb cb;
      if (fetch_or_addr(c, p, &cb)) print_iocb(c, cb);
    });
  }
  return RVAL_DECODED;
}

void print_io_event(const Call& c, const io_event& e) {
  Fields f(c);
  f.x("data", e.data);
  f.x("obj", e.obj);
  f.d("res", e.res);
  f.d("res2", e.res2);
  f.end();
}

int sys_io_cancel(Call& c) {
  if (c.entering()) {
    print_addr(c, c.arg(0));
    sep(c);
    iocb cb;
    if (fetch_or_addr(c, c.arg(1), &cb)) {
      Fields f(c);
      print_iocb_header(f, c, cb);
      f.end();
    }
    sep(c);
    return 0;
  }
  io_event e;
  if (fetch_or_addr(c, c.arg(2), &e)) print_io_event(c, e);
  return 0;
}

// io_getevents and io_pgetevents: the events at exit; the timeout and signal mask the kernel read at
// entry, shown alike whether or not the call failed.
template <bool kWithSigset>
int sys_io_getevents(Call& c) {
  if (c.entering()) {
    print_addr(c, c.arg(0));
    c.printf(", %" PRId64 ", %" PRId64 ", ", c.arg_long(1), c.arg_long(2));
    return 0;
  }
  print_array<io_event>(c, c.arg(3), static_cast<uint64_t>(c.rval), [&](const io_event& e) { print_io_event(c, e); });
  sep(c);
  as_if_succeeded(c, [&] {
    print_timespec(c, c.arg(4));
    if (kWithSigset) {
      sep(c);
      print_kernel_sigset(c, c.arg(5));
    }
  });
  return 0;
}

// ---------------------------------------------------------------- io_uring_setup, io_uring_enter

template <typename T>
void print_ring_offsets(Fields& outer, const char* name, const T& o, bool sq) {
  Fields f(outer.f(name));
  f.u("head", o.head);
  f.u("tail", o.tail);
  f.u("ring_mask", o.ring_mask);
  f.u("ring_entries", o.ring_entries);
  if constexpr (std::is_same_v<T, io_sqring_offsets>) {
    f.u("flags", o.flags);
    f.u("dropped", o.dropped);
    f.u("array", o.array);
  } else {
    f.u("overflow", o.overflow);
    f.u("cqes", o.cqes);
    f.u("flags", o.flags);
  }
  if (o.resv1) f.x("resv1", o.resv1);
  if (o.resv2) f.x("resv2", o.resv2);
  f.end();
}

template <typename T, size_t N> bool all_zero(const T (&a)[N]) {
  for (const T& v : a)
    if (v) return false;
  return true;
}

// io_uring_setup(entries, params): the request at entry, what the kernel filled in at exit.
int sys_io_uring_setup(Call& c) {
  io_uring_params p;
  if (c.entering()) {
    c.printf("%u, ", c.arg_uint(0));
    if (!fetch_or_addr(c, c.arg(1), &p)) return RVAL_DECODED | RVAL_FD;
    Fields f(c);
    f.flags("flags", xlat_uring_setup_flags, p.flags, "IORING_SETUP_???");
    f.x("sq_thread_cpu", p.sq_thread_cpu);
    f.u("sq_thread_idle", p.sq_thread_idle);
    if (p.flags & IORING_SETUP_ATTACH_WQ) print_fd(f.f("wq_fd"), static_cast<int>(p.wq_fd));
    if (!all_zero(p.resv)) f.xarray("resv", p.resv);
    return 0;
  }
  if (!c.failed() && read_obj(c, c.arg(1), &p)) {
    Fields f(c, false, 1);
    f.u("sq_entries", p.sq_entries);
    f.u("cq_entries", p.cq_entries);
    f.flags("features", xlat_uring_setup_features, p.features, "IORING_FEAT_???");
    print_ring_offsets(f, "sq_off", p.sq_off, true);
    print_ring_offsets(f, "cq_off", p.cq_off, false);
  }
  c.printc('}');
  return RVAL_DECODED | RVAL_FD;
}

int sys_io_uring_enter(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %u, %u, ", c.arg_uint(1), c.arg_uint(2));
  print_flags_or_unknown(c, xlat_uring_enter_flags, c.arg_uint(3), "IORING_ENTER_???");
  sep(c);
  print_sigset_addr(c, c.arg(4), c.arg(5));
  c.printf(", %" PRIu64, c.arg(5));
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- io_uring_register

// A descriptor of a files update: IORING_REGISTER_FILES_SKIP (-2) and other values below -1 by name.
void print_update_fd(const Call& c, int fd) {
  if (fd < -1)
    print_xval_d(c, xlat_uring_files_update_fds, fd);
  else
    print_fd(c, fd);
}

void print_fd_array(const Call& c, uint64_t addr, uint64_t n, bool update) {
  print_array<int>(c, addr, n, [&](int fd) {
    if (update)
      print_update_fd(c, fd);
    else
      print_fd(c, fd);
  });
}

void print_files_update(const Call& c, uint64_t addr, unsigned nargs) {
  io_uring_files_update u;
  if (!fetch_or_addr(c, addr, &u)) return;
  Fields f(c);
  f.u("offset", u.offset);
  if (u.resv) f.x("resv", u.resv);
  f.f("fds");
  print_fd_array(c, u.fds, nargs, true);
  f.end();
}

void print_probe_op(const Call& c, const io_uring_probe_op& op) {
  Fields f(c);
  print_xval_u(f.f("op"), xlat_uring_ops, op.op, "IORING_OP_???");
  if (op.resv) f.x("resv", op.resv);
  f.flags("flags", xlat_uring_op_flags, op.flags, "IO_URING_OP_???");
  if (op.resv2) f.x("resv2", op.resv2);
  f.end();
}

// IORING_REGISTER_PROBE: a zeroed probe at entry is not worth showing; the kernel's answer is.
int print_probe(Call& c, uint64_t addr, unsigned nargs) {
  const bool shown = !c.entering() && c.saved[0];
  if (!c.entering() && c.failed()) {
    if (!shown) print_addr(c, addr);
    return RVAL_DECODED;
  }
  if (nargs > 256) {
    print_addr(c, addr);
    return RVAL_DECODED;
  }
  if (shown) c.print(" => ");
  const size_t size = sizeof(io_uring_probe) + nargs * sizeof(io_uring_probe_op);
  std::vector<unsigned char> buf(size);
  if (addr == 0 || !read_mem(c, addr, buf.data(), size)) {
    print_addr(c, addr);
    return RVAL_DECODED;
  }
  bool zero = true;
  for (unsigned char b : buf) zero &= b == 0;
  if (c.entering() && zero) return 0;
  c.saved[0] = 1;
  io_uring_probe p;
  memcpy(&p, buf.data(), sizeof p);
  Fields f(c);
  print_xval_u(f.f("last_op"), xlat_uring_ops, p.last_op, "IORING_OP_???");
  f.u("ops_len", p.ops_len);
  if (p.resv) f.x("resv", p.resv);
  if (!all_zero(p.resv2)) f.xarray("resv2", p.resv2);
  f.f("ops");
  const unsigned n = c.entering() ? nargs : (p.ops_len < nargs ? p.ops_len : nargs);
  c.printc('[');
  bool cut = false;
  for (unsigned i = 0; i < n; i++) {
    if (i) sep(c);
    if (i >= array_print_limit(c)) {
      c.print("...");
      cut = true;
      break;
    }
    io_uring_probe_op op;
    memcpy(&op, buf.data() + sizeof p + i * sizeof op, sizeof op);
    print_probe_op(c, op);
  }
  // More ops than the caller made room for: "..." (once, if -s already cut the list).
  if (!c.entering() && nargs < p.ops_len && !cut) c.print(n ? ", ..." : "...");
  c.printc(']');
  f.end();
  return 0;
}

void print_restriction(const Call& c, const io_uring_restriction& r) {
  Fields f(c);
  f.xval("opcode", xlat_uring_restriction_opcodes, r.opcode, "IORING_RESTRICTION_???");
  switch (r.opcode) {
    case IORING_RESTRICTION_REGISTER_OP:
      f.xval("register_op", xlat_uring_register_opcodes, r.register_op, "IORING_REGISTER_???");
      break;
    case IORING_RESTRICTION_SQE_OP:
      f.xval("sqe_op", xlat_uring_ops, r.sqe_op, "IORING_OP_???");
      break;
    case IORING_RESTRICTION_SQE_FLAGS_ALLOWED:
    case IORING_RESTRICTION_SQE_FLAGS_REQUIRED:
      f.flags("sqe_flags", xlat_uring_sqe_flags, r.sqe_flags, "IOSQE_???");
      break;
    default:
      c.printf(" /* op: %#x */", r.register_op);
      break;
  }
  if (r.resv) f.x("resv", r.resv);
  if (!all_zero(r.resv2)) f.xarray("resv2", r.resv2);
  f.end();
}

// data= and tags= of a resource registration or update; 64-bit addresses even for 32-bit tracees.
void print_rsrc_data(Fields& f, const Call& c, uint64_t data, unsigned nr, unsigned opcode) {
  switch (opcode) {
    case IORING_REGISTER_FILES2:
      print_fd_array(f.f("data"), data, nr, false);
      break;
    case IORING_REGISTER_FILES_UPDATE2:
      print_fd_array(f.f("data"), data, nr, true);
      break;
    case IORING_REGISTER_BUFFERS2:
    case IORING_REGISTER_BUFFERS_UPDATE:
      print_iov_with(f.f("data"), data, nr, -1, [&](uint64_t base, uint64_t) { print_addr(c, base); });
      break;
    default:
      break;
  }
}

void print_rsrc_tags(Fields& f, const Call& c, uint64_t tags, unsigned nr) {
  print_array<uint64_t>(f.f("tags"), tags, nr, [&](uint64_t t) { c.printf("%#" PRIx64, t); });
}

void print_register_rsrc(const Call& c, uint64_t addr, unsigned size, unsigned opcode) {
  io_uring_rsrc_register r;
  if (size < sizeof r) {
    print_addr(c, addr);
    return;
  }
  if (!fetch_or_addr(c, addr, &r)) return;
  Fields f(c);
  f.u("nr", r.nr);
  f.flags("flags", xlat_uring_register_rsrc_flags, r.flags, "IORING_RSRC_REGISTER_???");
  if (r.resv2) f.x("resv2", r.resv2);
  print_rsrc_data(f, c, r.data, r.nr, opcode);
  print_rsrc_tags(f, c, r.tags, r.nr);
  if (size > sizeof r) print_nonzero_tail(c, addr, sizeof r, size < 4096 ? size : 4096);
  f.end();
}

void print_update_rsrc(const Call& c, uint64_t addr, unsigned size, unsigned opcode) {
  io_uring_rsrc_update2 u;
  if (size < sizeof u) {
    print_addr(c, addr);
    return;
  }
  if (!fetch_or_addr(c, addr, &u)) return;
  Fields f(c);
  f.u("offset", u.offset);
  if (u.resv) f.x("resv", u.resv);
  print_rsrc_data(f, c, u.data, u.nr, opcode);
  print_rsrc_tags(f, c, u.tags, u.nr);
  f.u("nr", u.nr);
  if (u.resv2) f.x("resv2", u.resv2);
  if (size > sizeof u) print_nonzero_tail(c, addr, sizeof u, size < 4096 ? size : 4096);
  f.end();
}

// IORING_REGISTER_IOWQ_MAX_WORKERS: [[IO_WQ_BOUND]=N, [IO_WQ_UNBOUND]=M], the old values at exit.
bool print_iowq_max_workers(const Call& c, uint64_t addr, unsigned nargs) {
  unsigned i = 0;
  return print_array<uint32_t>(c, addr, nargs, [&](uint32_t v) {
    c.printc('[');
    print_xval_u(c, xlat_uring_iowq_acct, i++, "IO_WQ_???");
    c.printf("]=%u", v);
  });
}

void print_ring_fds(const Call& c, uint64_t addr, unsigned nargs, bool reg) {
  print_array<io_uring_rsrc_update>(c, addr, nargs, [&](const io_uring_rsrc_update& u) {
    Fields f(c);
    if (reg && u.offset == UINT32_MAX)
      f.d("offset", static_cast<int32_t>(u.offset));
    else
      f.u("offset", u.offset);
    if (u.resv) f.x("resv", u.resv);
    if (reg)
      print_fd(f.f("data"), static_cast<int>(u.data));
    else if (u.data)
      f.x("data", u.data);
    f.end();
  });
}

void print_buf_reg(const Call& c, uint64_t addr) {
  io_uring_buf_reg r;
  if (!fetch_or_addr(c, addr, &r)) return;
  Fields f(c);
  f.ptr("ring_addr", r.ring_addr);
  f.u("ring_entries", r.ring_entries);
  f.u("bgid", r.bgid);
  if (r.pad) f.x("pad", r.pad);
  if (!all_zero(r.resv)) f.xarray("resv", r.resv);
  f.end();
}

int sys_io_uring_register(Call& c) {
  const unsigned opcode = c.arg_uint(1);
  const uint64_t arg = c.arg(2);
  const unsigned nargs = c.arg_uint(3);
  int rc = RVAL_DECODED;
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    sep(c);
    print_xval(c, xlat_uring_register_opcodes, opcode, "IORING_REGISTER_???");
    sep(c);
  }
  switch (opcode) {
    case IORING_REGISTER_BUFFERS:
      print_iov_with(c, arg, nargs, -1, [&](uint64_t base, uint64_t) { print_addr(c, base); });
      break;
    case IORING_REGISTER_FILES:
    case IORING_REGISTER_EVENTFD:
    case IORING_REGISTER_EVENTFD_ASYNC:
      print_fd_array(c, arg, nargs, false);
      break;
    case IORING_REGISTER_FILES_UPDATE:
      print_files_update(c, arg, nargs);
      break;
    case IORING_REGISTER_PROBE:
      rc = print_probe(c, arg, nargs);
      break;
    case IORING_REGISTER_RESTRICTIONS:
      print_array<io_uring_restriction>(c, arg, nargs, [&](const io_uring_restriction& r) { print_restriction(c, r); });
      break;
    case IORING_REGISTER_FILES2:
    case IORING_REGISTER_BUFFERS2:
      print_register_rsrc(c, arg, nargs, opcode);
      break;
    case IORING_REGISTER_FILES_UPDATE2:
    case IORING_REGISTER_BUFFERS_UPDATE:
      print_update_rsrc(c, arg, nargs, opcode);
      break;
    case IORING_REGISTER_IOWQ_AFF:
      print_cpu_mask(c, arg, nargs);
      break;
    case IORING_REGISTER_IOWQ_MAX_WORKERS:
      rc = print_iowq_max_workers(c, arg, nargs) ? 0 : RVAL_DECODED;
      if (c.entering() && rc == 0) c.print(" => ");
      break;
    case IORING_REGISTER_RING_FDS:
      print_ring_fds(c, arg, nargs, true);
      break;
    case IORING_UNREGISTER_RING_FDS:
      print_ring_fds(c, arg, nargs, false);
      break;
    case IORING_REGISTER_PBUF_RING:
    case IORING_UNREGISTER_PBUF_RING:
      print_buf_reg(c, arg);
      break;
    default:
      print_addr(c, arg);
      break;
  }
  if (rc || !c.entering()) c.printf(", %u", nargs);
  return rc;
}

const NamedDecoder kAioDecoders[] = {
    {"io_setup", sys_io_setup},
    {"io_destroy", sys_io_destroy},
    {"io_submit", sys_io_submit},
    {"io_cancel", sys_io_cancel},
    {"io_getevents", sys_io_getevents<false>},
    {"io_pgetevents", sys_io_getevents<true>},
    {"io_uring_setup", sys_io_uring_setup},
    {"io_uring_enter", sys_io_uring_enter},
    {"io_uring_register", sys_io_uring_register},
};

}  // namespace

const DecoderFamily family_aio = {kAioDecoders, sizeof kAioDecoders / sizeof kAioDecoders[0]};

}  // namespace decode
