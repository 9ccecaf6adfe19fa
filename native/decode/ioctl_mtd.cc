// Unsorted block image requests ('o' for the control device and UBI devices, 'O' for volumes,
// mtd/ubi-user.h): volume creation, removal, resizing and renaming, attaching MTD devices, and the
// logical eraseblock operations of a volume.
#include <mtd/ubi-user.h>

#include <linux/ioctl.h>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// A name field holding name_len bytes (the rest of the array ignored).
template <size_t N> void print_name(Fields& f, const char (&name)[N], int len) {
  const int max = static_cast<int>(N) - 1;
  print_cstr_array(f.f("name"), name, static_cast<size_t>(1 + (len < 0 ? 0 : len > max ? max : len)));
}

bool print_mkvol(const Call& c, uint64_t arg) {
  ubi_mkvol_req r;
  if (!fetch_or_addr(c, arg, &r)) return false;
  Fields f(c);
  f.d("vol_id", r.vol_id);
  f.d("alignment", r.alignment);
  f.d("bytes", r.bytes);
  f.xval("vol_type", xlat_ubi_volume_types, static_cast<uint8_t>(r.vol_type), "UBI_???_VOLUME");
  f.flags("flags", xlat_ubi_volume_flags, r.flags, "UBI_VOL_???");
  f.d("name_len", r.name_len);
  print_name(f, r.name, r.name_len);
  f.end();
  return true;
}

bool print_attach(const Call& c, uint64_t arg) {
  ubi_attach_req r;
  if (!fetch_or_addr(c, arg, &r)) return false;
  Fields f(c);
  f.d("ubi_num", r.ubi_num);
  f.d("mtd_num", r.mtd_num);
  f.d("vid_hdr_offset", r.vid_hdr_offset);
  f.d("max_beb_per1024", r.max_beb_per1024);
  f.end();
  return true;
}

// The number the kernel returns in the int the argument points to (the new volume or device).
void print_int_result(const Call& c, uint64_t arg) { print_int_ptr(c, arg); }

void print_rsvol(const Call& c, uint64_t arg) {
  ubi_rsvol_req r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.d("bytes", r.bytes);
  f.d("vol_id", r.vol_id);
  f.end();
}

void print_rnvol(const Call& c, uint64_t arg) {
  ubi_rnvol_req r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.d("count", r.count);
  f.f("ents").printc('[');
  const size_t n = r.count < 0 ? 0 : static_cast<size_t>(r.count) < UBI_MAX_RNVOL ? static_cast<size_t>(r.count) : UBI_MAX_RNVOL;
  const size_t limit = array_print_limit(c);
  for (size_t i = 0; i < n; i++) {
    if (i) c.print(", ");
    if (i >= limit) {
      c.print("...");
      break;
    }
    Fields e(c);
    e.d("vol_id", r.ents[i].vol_id);
    e.d("name_len", r.ents[i].name_len);
    print_name(e, r.ents[i].name, r.ents[i].name_len);
    e.end();
  }
  c.printc(']');
  f.end();
}

void print_leb_change(const Call& c, uint64_t arg) {
  ubi_leb_change_req r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.d("lnum", r.lnum);
  f.d("bytes", r.bytes);
  f.xval("dtype", xlat_ubi_data_types, r.dtype, "UBI_???");
  f.end();
}

void print_map(const Call& c, uint64_t arg) {
  ubi_map_req r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.d("lnum", r.lnum);
  f.xval("dtype", xlat_ubi_data_types, r.dtype, "UBI_???");
  f.end();
}

void print_vol_prop(const Call& c, uint64_t arg) {
  ubi_set_vol_prop_req r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.xval("property", xlat_ubi_volume_props, r.property, "UBI_VOL_PROP_???");
  f.x("value", r.value);
  f.end();
}

// UBI_IOCEBCH is declared with an int, but the kernel reads a struct ubi_leb_change_req.
const Request kUbi[] = {
    req_in_out(UBI_IOCMKVOL, print_mkvol, print_int_result),
    req_in_out(UBI_IOCATT, print_attach, print_int_result),
    req_in(UBI_IOCRSVOL, print_rsvol),
    req_in(UBI_IOCRNVOL, print_rnvol),
    req_in(UBI_IOCEBCH, print_leb_change),
    req_in(UBI_IOCEBMAP, print_map),
    req_in(UBI_IOCSETVOLPROP, print_vol_prop),
    req_num_in(UBI_IOCVOLUP, 8, "%lld"),
    req_int_in(UBI_IOCDET),
    req_int_in(UBI_IOCEBER),
    req_int_in(UBI_IOCEBISMAP),
    req_int_in(UBI_IOCEBUNMAP),
    req_int_in(UBI_IOCRMVOL),
    req_int_in(UBI_IOCRPEB),
    req_int_in(UBI_IOCSPEB),
    req_none(UBI_IOCVOLCRBLK),
    req_none(UBI_IOCVOLRMBLK),
};

}  // namespace

int ubi_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kUbi); }

}  // namespace ioctl
}  // namespace decode
