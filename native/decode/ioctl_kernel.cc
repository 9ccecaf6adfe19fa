// Requests on descriptors of kernel objects rather than devices: a seccomp filter's user
// notification listener ('!') and a userfaultfd (0xaa).
#include <linux/audit.h>
#include <linux/ioctl.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// ---------------------------------------------------------------- seccomp user notification

// Headers before Linux 5.17 defined SECCOMP_IOCTL_NOTIF_ID_VALID with the wrong direction; programs
// built with them still send this number, and the kernel accepts it.
constexpr unsigned kNotifIdValidOld = SECCOMP_IOR(2, __u64);

void print_seccomp_data(const Call& c, const seccomp_data& d) {
  Fields f(c);
  print_syscall_nr(f.f("nr"), static_cast<unsigned>(d.nr), d.arch);
  f.xval("arch", xlat_audit_arch, d.arch, "AUDIT_ARCH_???");
  f.ptr("instruction_pointer", d.instruction_pointer);
  f.xarray("args", d.args);
  f.end();
}

// SECCOMP_IOCTL_NOTIF_RECV: the kernel wants a zeroed structure and fills it. One that is not zero at
// entry is shown then, and what became of it after " => ".
int decode_notif_recv(Call& c, uint64_t arg) {
  if (c.entering()) c.print(", ");
  seccomp_notif n;
  if (!fetch_or_addr(c, arg, &n)) return kIoctlArgDone;
  if (c.entering()) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(&n);
    bool zero = true;
    for (size_t i = 0; i < sizeof n && zero; i++) zero = p[i] == 0;
    if (zero) return 0;
  }
  Fields f(c);
  f.x("id", n.id);
  print_pid(f.f("pid"), static_cast<int>(n.pid), PT_TGID);
  f.x("flags", n.flags);
  f.f("data");
  print_seccomp_data(c, n.data);
  f.end();
  if (c.entering()) {
    c.print(" => ");
    return 0;
  }
  return kIoctlArgDone;
}

void print_notif_resp(const Call& c, uint64_t arg) {
  seccomp_notif_resp r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.x("id", r.id);
  f.d("val", r.val);
  print_errno_val(f.f("error"), r.error, true);
  f.flags("flags", xlat_seccomp_ioctl_resp_flags, r.flags, "SECCOMP_USER_NOTIF_FLAG_???");
  f.end();
}

void print_notif_addfd(const Call& c, uint64_t arg) {
  seccomp_notif_addfd a;
  if (!fetch_or_addr(c, arg, &a)) return;
  Fields f(c);
  f.x("id", a.id);
  f.flags("flags", xlat_seccomp_ioctl_addfd_flags, a.flags, "SECCOMP_ADDFD_FLAG_???");
  print_fd(f.f("srcfd"), static_cast<int>(a.srcfd));
  f.d("newfd", static_cast<int>(a.newfd));
  f.flags("newfd_flags", xlat_open_flags, a.newfd_flags, "O_???");
  f.end();
}

const Request kSeccomp[] = {
    req_in(SECCOMP_IOCTL_NOTIF_SEND, print_notif_resp),
    req_in(SECCOMP_IOCTL_NOTIF_ADDFD, print_notif_addfd),
    req_num_in(SECCOMP_IOCTL_NOTIF_ID_VALID, 8, "%#llx"),
    req_num_in(kNotifIdValidOld, 8, "%#llx"),
};

// ---------------------------------------------------------------- userfaultfd

void print_range_fields(const Call& c, const uffdio_range& r) {
  Fields f(c);
  f.x("start", r.start);
  f.x("len", r.len);
  f.end();
}

void print_range(const Call& c, uint64_t arg) {
  uffdio_range r;
  if (fetch_or_addr(c, arg, &r)) print_range_fields(c, r);
}

// UFFDIO_API: {api, features} at entry; at exit the features the kernel granted when they differ
// from those asked for (" => features=..."), and the requests the descriptor takes.
int decode_uffdio_api(Call& c, uint64_t arg) {
  uffdio_api a;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
    Fields f(c);
    f.x("api", a.api);
    f.flags("features", xlat_uffd_api_features, a.features, "UFFD_FEATURE_???");
    c.saved[0] = a.features;
    return 0;
  }
  if (!c.failed() && read_obj(c, arg, &a)) {
    Fields f(c, false, 2);
    if (a.features != c.saved[0]) {
      c.print(" => ");
      Fields(c, false).flags("features", xlat_uffd_api_features, a.features, "UFFD_FEATURE_???");
    }
    f.flags("ioctls", xlat_uffd_api_flags, a.ioctls, "_UFFDIO_???");
  }
  c.printc('}');
  return kIoctlArgDone;
}

bool print_copy_in(const Call& c, uint64_t arg) {
  uffdio_copy u;
  if (!fetch_or_addr(c, arg, &u)) return false;
  Fields f(c);
  f.x("dst", u.dst);
  f.x("src", u.src);
  f.x("len", u.len);
  f.flags("mode", xlat_uffd_copy_flags, u.mode, "UFFDIO_COPY_???");
  return true;
}

void print_copy_more(const Call& c, uint64_t arg) {
  uffdio_copy u;
  if (read_obj(c, arg, &u)) Fields(c, false, 1).x("copy", u.copy);
}

bool print_register_in(const Call& c, uint64_t arg) {
  uffdio_register u;
  if (!fetch_or_addr(c, arg, &u)) return false;
  Fields f(c);
  print_range_fields(f.f("range"), u.range);
  f.flags("mode", xlat_uffd_register_mode_flags, u.mode, "UFFDIO_REGISTER_MODE_???");
  return true;
}

void print_register_more(const Call& c, uint64_t arg) {
  uffdio_register u;
  if (read_obj(c, arg, &u)) Fields(c, false, 1).flags("ioctls", xlat_uffd_register_ioctl_flags, u.ioctls, "UFFDIO_???");
}

bool print_zeropage_in(const Call& c, uint64_t arg) {
  uffdio_zeropage u;
  if (!fetch_or_addr(c, arg, &u)) return false;
  Fields f(c);
  print_range_fields(f.f("range"), u.range);
  f.flags("mode", xlat_uffd_zeropage_flags, u.mode, "UFFDIO_ZEROPAGE_???");
  return true;
}

void print_zeropage_more(const Call& c, uint64_t arg) {
  uffdio_zeropage u;
  if (read_obj(c, arg, &u)) Fields(c, false, 1).x("zeropage", u.zeropage);
}

const Request kUffdio[] = {
    req_in_more(UFFDIO_COPY, print_copy_in, print_copy_more),
    req_in_more(UFFDIO_REGISTER, print_register_in, print_register_more),
    req_in_more(UFFDIO_ZEROPAGE, print_zeropage_in, print_zeropage_more),
    req_in(UFFDIO_UNREGISTER, print_range),
    req_in(UFFDIO_WAKE, print_range),
};

}  // namespace

int uffdio_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == UFFDIO_API) return decode_uffdio_api(c, arg);
  return by_table(c, code, arg, kUffdio);
}

int seccomp_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == SECCOMP_IOCTL_NOTIF_RECV) return decode_notif_recv(c, arg);
  return by_table(c, code, arg, kSeccomp);
}

}  // namespace ioctl
}  // namespace decode
