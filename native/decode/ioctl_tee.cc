// Trusted Execution Environment requests (0xa4, linux/tee.h): the driver's version, shared memory,
// sessions with trusted applications, calls into them and the supplicant's side. The session and
// invoke requests pass a variable buffer {buf_len, buf_ptr} whose structure ends in num_params
// parameters; it is shown only when its length matches, as the kernel checks it.
#include <linux/tee.h>

#include <cstddef>
#include <cstring>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// A request of some vendor kernels (not in the uapi headers): shared memory from a dma-buf descriptor.
struct ShmRegisterFd {
  int64_t fd;
  uint64_t size;
  uint32_t flags;
  uint8_t pad1[4];
  int32_t id;
  uint8_t pad2[4];
} __attribute__((aligned(8)));
constexpr unsigned kTeeShmRegisterFd = _IOWR(TEE_IOC_MAGIC, 8, ShmRegisterFd);

void print_buf_data(const Call& c, const tee_ioctl_buf_data& b) {
  Fields f(c);
  f.u("buf_len", b.buf_len);
  f.ptr("buf_ptr", b.buf_ptr);
  f.end();
}

// Reads the buffer and the structure T at its start; false when either does not hold up (printed
// as far as strace shows it). *params is where the parameters start (0 for none).
template <typename T> bool fetch_buf(const Call& c, uint64_t arg, tee_ioctl_buf_data* b, T* t, uint64_t* params) {
  if (!fetch_or_addr(c, arg, b)) return false;
  if (b->buf_len > TEE_MAX_ARG_SIZE || b->buf_len < sizeof(T) || !read_obj(c, b->buf_ptr, t) ||
      (c.entering() && sizeof(T) + t->num_params * sizeof(tee_ioctl_param) != b->buf_len)) {
    print_buf_data(c, *b);
    return false;
  }
  *params = t->num_params ? b->buf_ptr + sizeof(T) : 0;
  return true;
}

void print_params(const Call& c, Fields& f, uint64_t params, uint32_t n) {
  print_array<tee_ioctl_param>(f.f("params"), params, n, [&](const tee_ioctl_param& p) {
    Fields g(c);
    print_xval(g.f("attr"), xlat_tee_ioctl_param_attr_types, p.attr & ~TEE_IOCTL_PARAM_ATTR_META,
               "TEE_IOCTL_PARAM_ATTR_");
    if (p.attr & TEE_IOCTL_PARAM_ATTR_META) c.print("|TEE_IOCTL_PARAM_ATTR_META");
    switch (p.attr) {
      case TEE_IOCTL_PARAM_ATTR_TYPE_NONE: break;
      case TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT:
      case TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT:
      case TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT:
        g.x("shm_offs", p.a);
        g.x("size", p.b);
        g.u("shm_id", p.c);
        break;
      default:
        g.x("a", p.a);
        g.x("b", p.b);
        g.x("c", p.c);
        break;
    }
    g.end();
  });
}

void print_uuid(const Call& c, const uint8_t (&u)[TEE_IOCTL_UUID_LEN]) {
  for (size_t i = 0; i < sizeof u; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) c.printc('-');
    c.printf("%02x", u[i]);
  }
}

// The buffer requests: at entry {buf_len, buf_ptr={what is sent}}; after a success " => {what came
// back}" (print_in and print_out print the structure's fields into an open Fields).
template <typename T, typename In, typename Out> int decode_buf(Call& c, uint64_t arg, In print_in, Out print_out) {
  tee_ioctl_buf_data b;
  T t;
  uint64_t params;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_buf(c, arg, &b, &t, &params)) return kIoctlArgDone;
    Fields f(c);
    f.u("buf_len", b.buf_len);
    f.f("buf_ptr");
    Fields g(c);
    print_in(g, t);
    print_params(c, g, params, t.num_params);
    g.end();
    return 0;
  }
  if (c.failed()) {
    c.printc('}');
    return kIoctlArgDone;
  }
  c.print(" => ");
  if (!fetch_buf(c, arg, &b, &t, &params)) return kIoctlArgDone;
  Fields g(c);
  print_out(g, t);
  print_params(c, g, params, t.num_params);
  g.end();
  c.printc('}');
  return kIoctlArgDone;
}

int decode_open_session(Call& c, uint64_t arg) {
  return decode_buf<tee_ioctl_open_session_arg>(
      c, arg,
      [&](Fields& f, const tee_ioctl_open_session_arg& s) {
        print_uuid(f.f("uuid"), s.uuid);
        f.xval("clnt_login", xlat_tee_ioctl_login_types, s.clnt_login, "TEE_IOCTL_LOGIN_???");
        // clnt_uuid carries the group to log in as, for the group logins; nothing for the others.
        switch (s.clnt_login) {
          case TEE_IOCTL_LOGIN_PUBLIC:
          case TEE_IOCTL_LOGIN_USER:
          case TEE_IOCTL_LOGIN_APPLICATION:
          case TEE_IOCTL_LOGIN_USER_APPLICATION: break;
          case TEE_IOCTL_LOGIN_GROUP:
          case TEE_IOCTL_LOGIN_GROUP_APPLICATION: {
            uint32_t gid;
            memcpy(&gid, s.clnt_uuid, sizeof gid);
            print_id(f.f("clnt_uuid"), gid);
            break;
          }
          default: f.xarray("clnt_uuid", s.clnt_uuid); break;
        }
        f.u("cancel_id", s.cancel_id);
        f.u("num_params", s.num_params);
      },
      [&](Fields& f, const tee_ioctl_open_session_arg& s) {
        f.x("session", s.session);
        f.u("ret", s.ret);
        f.xval("ret_origin", xlat_tee_ioctl_origins, s.ret_origin, "TEEC_ORIGIN_???");
      });
}

int decode_invoke(Call& c, uint64_t arg) {
  return decode_buf<tee_ioctl_invoke_arg>(
      c, arg,
      [](Fields& f, const tee_ioctl_invoke_arg& i) {
        f.u("func", i.func);
        f.x("session", i.session);
        f.u("cancel_id", i.cancel_id);
        f.u("num_params", i.num_params);
      },
      [](Fields& f, const tee_ioctl_invoke_arg& i) {
        f.u("ret", i.ret);
        f.xval("ret_origin", xlat_tee_ioctl_origins, i.ret_origin, "TEEC_ORIGIN_???");
      });
}

int decode_suppl_recv(Call& c, uint64_t arg) {
  return decode_buf<tee_iocl_supp_recv_arg>(
      c, arg,
      [](Fields& f, const tee_iocl_supp_recv_arg& r) {
        f.u("func", r.func);
        f.u("num_params", r.num_params);
      },
      // The supplicant learns how many parameters the request has.
      [](Fields& f, const tee_iocl_supp_recv_arg& r) { f.u("num_params", r.num_params); });
}

int decode_suppl_send(Call& c, uint64_t arg) {
  return decode_buf<tee_iocl_supp_send_arg>(
      c, arg, [](Fields& f, const tee_iocl_supp_send_arg& s) { f.u("num_params", s.num_params); },
      [](Fields& f, const tee_iocl_supp_send_arg& s) { f.u("ret", s.ret); });
}

void print_version(const Call& c, uint64_t arg) {
  tee_ioctl_version_data v;
  if (!fetch_or_addr(c, arg, &v)) return;
  Fields f(c);
  f.xval("impl_id", xlat_tee_ioctl_impl_ids, v.impl_id, "TEE_IMPL_ID_???");
  f.flags("gen_caps", xlat_tee_ioctl_gen_caps, v.gen_caps, "TEE_GEN_CAP_???");
  if (v.impl_id == TEE_IMPL_ID_OPTEE)
    f.flags("impl_caps", xlat_tee_ioctl_optee_caps, v.impl_caps, "TEE_OPTEE_CAP_???");
  else
    f.x("impl_caps", v.impl_caps);
  f.end();
}

void print_cancel(const Call& c, uint64_t arg) {
  tee_ioctl_cancel_arg a;
  if (!fetch_or_addr(c, arg, &a)) return;
  Fields f(c);
  f.u("cancel_id", a.cancel_id);
  f.x("session", a.session);
  f.end();
}

void print_close_session(const Call& c, uint64_t arg) {
  tee_ioctl_close_session_arg a;
  if (!fetch_or_addr(c, arg, &a)) return;
  Fields f(c);
  f.x("session", a.session);
  f.end();
}

// Shared memory: what is asked for, then " => " and what the driver set up (with its id).
bool print_shm_alloc_in(const Call& c, uint64_t arg) {
  tee_ioctl_shm_alloc_data a;
  if (!fetch_or_addr(c, arg, &a)) return false;
  Fields f(c);
  f.x("size", a.size);
  f.flags("flags", xlat_tee_ioctl_shm_flags, a.flags, "TEE_IOCTL_SHM_???");
  f.end();
  return true;
}

void print_shm_alloc_out(const Call& c, uint64_t arg) {
  tee_ioctl_shm_alloc_data a;
  if (!fetch_or_addr(c, arg, &a)) return;
  Fields f(c);
  f.x("size", a.size);
  f.flags("flags", xlat_tee_ioctl_shm_flags, a.flags, "TEE_IOCTL_SHM_???");
  f.d("id", a.id);
  f.end();
}

bool print_shm_register_in(const Call& c, uint64_t arg) {
  tee_ioctl_shm_register_data r;
  if (!fetch_or_addr(c, arg, &r)) return false;
  Fields f(c);
  f.ptr("addr", r.addr);
  f.x("length", r.length);
  f.flags("flags", xlat_tee_ioctl_shm_flags, r.flags, "TEE_IOCTL_SHM_???");
  f.end();
  return true;
}

void print_shm_register_out(const Call& c, uint64_t arg) {
  tee_ioctl_shm_register_data r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.x("length", r.length);
  f.flags("flags", xlat_tee_ioctl_shm_flags, r.flags, "TEE_IOCTL_SHM_???");
  f.d("id", r.id);
  f.end();
}

bool print_shm_register_fd_in(const Call& c, uint64_t arg) {
  ShmRegisterFd r;
  if (!fetch_or_addr(c, arg, &r)) return false;
  Fields f(c);
  print_fd(f.f("fd"), static_cast<int>(r.fd));
  f.flags("flags", xlat_tee_ioctl_shm_flags, r.flags, "TEE_IOCTL_SHM_???");
  f.end();
  return true;
}

void print_shm_register_fd_out(const Call& c, uint64_t arg) {
  ShmRegisterFd r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.x("size", r.size);
  f.d("id", r.id);
  f.end();
}

const Request kTee[] = {
    req_out(TEE_IOC_VERSION, print_version),
    req_in(TEE_IOC_CANCEL, print_cancel),
    req_in(TEE_IOC_CLOSE_SESSION, print_close_session),
    req_in_out(TEE_IOC_SHM_ALLOC, print_shm_alloc_in, print_shm_alloc_out),
    req_in_out(TEE_IOC_SHM_REGISTER, print_shm_register_in, print_shm_register_out),
    req_in_out(kTeeShmRegisterFd, print_shm_register_fd_in, print_shm_register_fd_out),
};

}  // namespace

int tee_ioctl(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case TEE_IOC_OPEN_SESSION: return decode_open_session(c, arg);
    case TEE_IOC_INVOKE: return decode_invoke(c, arg);
    case TEE_IOC_SUPPL_RECV: return decode_suppl_recv(c, arg);
    case TEE_IOC_SUPPL_SEND: return decode_suppl_send(c, arg);
    default: return by_table(c, code, arg, kTee);
  }
}

}  // namespace ioctl
}  // namespace decode
