// Flash memory: the MTD character devices ('M', mtd/mtd-abi.h: erasing, locking, out-of-band data,
// OTP areas, bad blocks, the chip's geometry and ECC layout), and the unsorted block images over
// them ('o' for the control device and UBI devices, 'O' for volumes, mtd/ubi-user.h: volume
// creation, removal, resizing and renaming, attaching MTD devices, and the logical eraseblock
// operations of a volume).
#include <mtd/mtd-abi.h>
#include <mtd/ubi-user.h>

#include <linux/ioctl.h>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// ---------------------------------------------------------------- MTD

void print_erase_info(const Call& c, uint64_t arg) {
  erase_info_user e;
  if (!fetch_or_addr(c, arg, &e)) return;
  Fields f(c);
  f.x("start", e.start);
  f.x("length", e.length);
  f.end();
}

void print_erase_info64(const Call& c, uint64_t arg) {
  erase_info_user64 e;
  if (!fetch_or_addr(c, arg, &e)) return;
  Fields f(c);
  f.x("start", e.start);
  f.x("length", e.length);
  f.end();
}

void print_oob_buf(const Call& c, uint64_t arg) {
  mtd_oob_buf b;
  if (!fetch_or_addr(c, arg, &b)) return;
  Fields f(c);
  f.x("start", b.start);
  f.x("length", b.length);
  f.ptr("ptr", reinterpret_cast<uintptr_t>(b.ptr));
  f.end();
}

void print_oob_buf64(const Call& c, uint64_t arg) {
  mtd_oob_buf64 b;
  if (!fetch_or_addr(c, arg, &b)) return;
  Fields f(c);
  f.x("start", b.start);
  f.x("length", b.length);
  f.ptr("usr_ptr", b.usr_ptr);
  f.end();
}

void print_otp_info(const Call& c, uint64_t arg) {
  otp_info o;
  if (!fetch_or_addr(c, arg, &o)) return;
  Fields f(c);
  f.x("start", o.start);
  f.x("length", o.length);
  f.u("locked", o.locked);
  f.end();
}

void print_write_req(const Call& c, uint64_t arg) {
  mtd_write_req w;
  if (!fetch_or_addr(c, arg, &w)) return;
  Fields f(c);
  f.x("start", w.start);
  f.x("len", w.len);
  f.x("ooblen", w.ooblen);
  f.ptr("usr_data", w.usr_data);
  f.ptr("usr_oob", w.usr_oob);
  f.xval("mode", xlat_mtd_mode_options, w.mode, "MTD_OPS_???");
  f.end();
}

void print_mtd_info(const Call& c, uint64_t arg) {
  mtd_info_user m;
  if (!fetch_or_addr(c, arg, &m)) return;
  Fields f(c);
  f.xval("type", xlat_mtd_type_options, m.type, "MTD_???");
  f.flags("flags", xlat_mtd_flags_options, m.flags, "MTD_???");
  f.x("size", m.size);
  f.x("erasesize", m.erasesize);
  f.x("writesize", m.writesize);
  f.x("oobsize", m.oobsize);
  f.x("padding", m.padding);
  f.end();
}

void print_oobinfo(const Call& c, uint64_t arg) {
  nand_oobinfo n;
  if (!fetch_or_addr(c, arg, &n)) return;
  Fields f(c);
  f.xval("useecc", xlat_mtd_nandecc_options, n.useecc, "MTD_NANDECC_???");
  f.x("eccbytes", n.eccbytes);
  // Free areas as [offset, length] pairs.
  f.f("oobfree").printc('[');
  const size_t limit = array_print_limit(c);
  for (size_t i = 0; i < sizeof n.oobfree / sizeof n.oobfree[0]; i++) {
    if (i) c.print(", ");
    if (i >= limit) {
      c.print("...");
      break;
    }
    c.printf("[%#x, %#x]", n.oobfree[i][0], n.oobfree[i][1]);
  }
  c.printc(']');
  f.xarray("eccpos", n.eccpos);
  f.end();
}

void print_ecclayout(const Call& c, uint64_t arg) {
  nand_ecclayout_user l;
  if (!fetch_or_addr(c, arg, &l)) return;
  Fields f(c);
  f.x("eccbytes", l.eccbytes);
  f.xarray("eccpos", l.eccpos);
  f.x("oobavail", l.oobavail);
  f.f("oobfree").printc('[');
  const size_t limit = array_print_limit(c);
  for (size_t i = 0; i < sizeof l.oobfree / sizeof l.oobfree[0]; i++) {
    if (i) c.print(", ");
    if (i >= limit) {
      c.print("...");
      break;
    }
    Fields e(c);
    e.x("offset", l.oobfree[i].offset);
    e.x("length", l.oobfree[i].length);
    e.end();
  }
  c.printc(']');
  f.end();
}

void print_ecc_stats(const Call& c, uint64_t arg) {
  mtd_ecc_stats s;
  if (!fetch_or_addr(c, arg, &s)) return;
  Fields f(c);
  f.x("corrected", s.corrected);
  f.x("failed", s.failed);
  f.x("badblocks", s.badblocks);
  f.x("bbtblocks", s.bbtblocks);
  f.end();
}

// MEMGETREGIONINFO: the region asked for, then (on success) what the kernel filled in.
bool print_region_index(const Call& c, uint64_t arg) {
  region_info_user r;
  if (!fetch_or_addr(c, arg, &r)) return false;
  Fields(c).x("regionindex", r.regionindex);
  return true;
}

void print_region_info(const Call& c, uint64_t arg) {
  region_info_user r;
  if (!read_obj(c, arg, &r)) return;
  Fields f(c, false, 1);
  f.x("offset", r.offset);
  f.x("erasesize", r.erasesize);
  f.x("numblocks", r.numblocks);
}

const Request kMtd[] = {
    req_in(MEMERASE, print_erase_info),
    req_in(MEMLOCK, print_erase_info),
    req_in(MEMUNLOCK, print_erase_info),
    req_in(MEMISLOCKED, print_erase_info),
    req_in(MEMERASE64, print_erase_info64),
    req_in(MEMWRITEOOB, print_oob_buf),
    req_in(MEMREADOOB, print_oob_buf),
    req_in(MEMWRITEOOB64, print_oob_buf64),
    req_in(MEMREADOOB64, print_oob_buf64),
    req_in(MEMWRITE, print_write_req),
    req_out(OTPGETREGIONINFO, print_otp_info),
    req_in(OTPLOCK, print_otp_info),
    req_xval_in(OTPSELECT, xlat_mtd_otp_options, "MTD_OTP_???"),
    req_xval(MTDFILEMODE, xlat_mtd_file_mode_options, "MTD_FILE_MODE_???"),
    req_num_in(MEMGETBADBLOCK, 8, "%llu"),
    req_num_in(MEMSETBADBLOCK, 8, "%llu"),
    req_out(MEMGETINFO, print_mtd_info),
    req_out(MEMGETOOBSEL, print_oobinfo),
    req_out(ECCGETLAYOUT, print_ecclayout),
    req_out(ECCGETSTATS, print_ecc_stats),
    req_num_out(OTPGETREGIONCOUNT, 4, "%llu"),
    req_int_out(MEMGETREGIONCOUNT),
    req_in_more(MEMGETREGIONINFO, print_region_index, print_region_info),
};

// ---------------------------------------------------------------- UBI

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

int mtd_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kMtd); }

// Type 'M' is also the OSS sound mixer's, whose requests strace names by their number:
// MIXER_READ(17) for any read, MIXER_WRITE(2) for any write (an MTD request's name follows as
// "or ECCGETLAYOUT").
bool mixer_number(const Call& c, unsigned code) {
  const unsigned dir = ioc_dir(code);
  if (dir != kIocRead && dir != kIocWrite) return false;
  c.printf("MIXER_%s(%u)", dir == kIocRead ? "READ" : "WRITE", ioc_nr(code));
  return true;
}

int ubi_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kUbi); }

}  // namespace ioctl
}  // namespace decode
