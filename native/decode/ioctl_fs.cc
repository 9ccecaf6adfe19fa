// File system and disk requests: block devices (0x12), inode flags and extent maps ('f'), freezing,
// trimming and extended attributes ('X'), cloning, deduplication and labels (0x94), inotify ('I'),
// namespaces (0xb7), counters ('>') and old IDE disks (0x03).
#include <linux/blkpg.h>
#include <linux/blktrace_api.h>
#include <linux/blkzoned.h>
#include <linux/counter.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <linux/nsfs.h>
#include <linux/inotify.h>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// "{...} => {...}" requests: ", " at entry, " => " at exit, nothing more at exit after a failure.
// Returns false when nothing is to be printed now.
bool in_out_sep(const Call& c) {
  if (c.entering()) {
    c.print(", ");
    return true;
  }
  if (c.failed()) return false;
  c.print(" => ");
  return true;
}

// ---------------------------------------------------------------- block devices

void print_blkpg(const Call& c, uint64_t arg) {
  blkpg_ioctl_arg a;
  if (!fetch_or_addr(c, arg, &a)) return;
  Fields f(c);
  f.xval("op", xlat_blkpg_ops, static_cast<unsigned>(a.op), "BLKPG_???");
  f.d("flags", a.flags);
  f.d("datalen", a.datalen);
  f.f("data");
  blkpg_partition p;
  if (fetch_or_addr(c, reinterpret_cast<uint64_t>(a.data), &p)) {
    Fields d(c);
    d.d("start", p.start);
    d.d("length", p.length);
    d.d("pno", p.pno);
    d.cstr("devname", p.devname);
    d.cstr("volname", p.volname);
    d.end();
  }
  f.end();
}

const Request kBlock[] = {
    req_udec(BLKRASET),           req_udec(BLKFRASET),
    req_num_out(BLKSECTGET, 2, "%llu"), req_num_out(BLKROTATIONAL, 2, "%llu"),
    req_int_out(BLKROGET),        req_int_out(BLKBSZGET),
    req_int_out(BLKSSZGET),       req_int_out(BLKALIGNOFF),
    req_int_in(BLKROSET),         req_int_in(BLKBSZSET),
    req_int_out(BLKPBSZGET, "%llu"), req_int_out(BLKIOMIN, "%llu"),
    req_int_out(BLKIOOPT, "%llu"), req_int_out(BLKDISCARDZEROES, "%llu"),
    req_int_out(BLKGETZONESZ, "%llu"), req_int_out(BLKGETNRZONES, "%llu"),
    req_num_out(BLKRAGET, 8, "%lld"), req_num_out(BLKFRAGET, 8, "%lld"),
    req_num_out(BLKGETSIZE, 8, "%llu"), req_num_out(BLKGETSIZE64, 8, "%llu"),
    req_num_out(BLKGETDISKSEQ, 8, "%llu"),
    req_pair_in(BLKDISCARD, 8, "%llu"), req_pair_in(BLKSECDISCARD, 8, "%llu"),
    req_pair_in(BLKZEROOUT, 8, "%llu"),
    req_in(BLKPG, print_blkpg),
    req_none(BLKRRPART),          req_none(BLKFLSBUF),
    req_none(BLKTRACESTART),      req_none(BLKTRACESTOP),
    req_none(BLKTRACETEARDOWN),
};

// BLKTRACESETUP: the settings at entry, the name the kernel gave the trace at exit, in one structure.
int blktrace_setup(Call& c, uint64_t arg) {
  blk_user_trace_setup s;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &s)) return kIoctlArgDone;
    Fields f(c);
    f.u("act_mask", s.act_mask);
    f.u("buf_size", s.buf_size);
    f.u("buf_nr", s.buf_nr);
    f.u("start_lba", s.start_lba);
    f.u("end_lba", s.end_lba);
    print_pid(f.f("pid"), static_cast<int>(s.pid), PT_TGID);  // --pidns-translation applies
    return 0;
  }
  if (!c.failed() && read_obj(c, arg, &s)) Fields(c, false, 1).cstr("name", s.name);
  c.printc('}');
  return kIoctlArgDone;
}

// ---------------------------------------------------------------- 'f': inode flags, extent maps

void print_fs_flags(const Call& c, uint64_t arg) {
  unsigned v;
  if (!fetch_or_addr(c, arg, &v)) return;
  c.printc('[');
  print_flags_or_unknown(c, xlat_fs_inode_flags, v, "FS_???_FL");
  c.printc(']');
}

int fiemap(Call& c, uint64_t arg) {
  if (!in_out_sep(c)) return kIoctlArgDone;
  struct fiemap m;
  if (!fetch_or_addr(c, arg, &m)) return kIoctlArgDone;
  Fields f(c);
  if (c.entering()) {
    f.u("fm_start", m.fm_start);
    f.u("fm_length", m.fm_length);
    f.flags("fm_flags", xlat_fiemap_flags, m.fm_flags, "FIEMAP_FLAG_???");
    f.u("fm_extent_count", m.fm_extent_count);
    f.end();
    return 0;
  }
  f.flags("fm_flags", xlat_fiemap_flags, m.fm_flags, "FIEMAP_FLAG_???");
  f.u("fm_mapped_extents", m.fm_mapped_extents);
  if (abbrev(c)) {
    f.more();
  } else {
    f.f("fm_extents");
    print_array<fiemap_extent>(c, arg + offsetof(struct fiemap, fm_extents), m.fm_mapped_extents,
                               [&](const fiemap_extent& e) {
                                 Fields x(c);
                                 x.u("fe_logical", e.fe_logical);
                                 x.u("fe_physical", e.fe_physical);
                                 x.u("fe_length", e.fe_length);
                                 x.flags("fe_flags", xlat_fiemap_extent_flags, e.fe_flags, "FIEMAP_EXTENT_???");
                                 x.end();
                               });
  }
  f.end();
  return kIoctlArgDone;
}

const Request kFsF[] = {
    req_out(FS_IOC_GETFLAGS, print_fs_flags),   req_in(FS_IOC_SETFLAGS, print_fs_flags),
    req_out(FS_IOC32_GETFLAGS, print_fs_flags), req_in(FS_IOC32_SETFLAGS, print_fs_flags),
};

// ---------------------------------------------------------------- 'X': freeze, trim, xattrs

void print_fstrim(const Call& c, uint64_t arg) {
  fstrim_range r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.x("start", r.start);
  f.u("len", r.len);
  f.u("minlen", r.minlen);
  f.end();
}

void print_fsxattr_any(const Call& c, uint64_t arg, bool get) {
  fsxattr x;
  if (!fetch_or_addr(c, arg, &x)) return;
  Fields f(c);
  f.flags("fsx_xflags", xlat_fs_xflags, x.fsx_xflags, "FS_XFLAG_???");
  f.u("fsx_extsize", x.fsx_extsize);
  if (get) f.u("fsx_nextents", x.fsx_nextents);
  f.x("fsx_projid", x.fsx_projid);
  f.u("fsx_cowextsize", x.fsx_cowextsize);
  f.end();
}
void print_fsxattr_get(const Call& c, uint64_t arg) { print_fsxattr_any(c, arg, true); }
void print_fsxattr_set(const Call& c, uint64_t arg) { print_fsxattr_any(c, arg, false); }

const Request kFsX[] = {
    req_in(FITRIM, print_fstrim),
    req_out(FS_IOC_FSGETXATTR, print_fsxattr_get),
    req_in(FS_IOC_FSSETXATTR, print_fsxattr_set),
    req_none(FIFREEZE),
    req_none(FITHAW),
};

// ---------------------------------------------------------------- 0x94: clone, dedupe, labels

void print_clone_range(const Call& c, uint64_t arg) {
  file_clone_range r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  print_fd(f.f("src_fd"), static_cast<int>(r.src_fd));
  f.u("src_offset", r.src_offset);
  f.u("src_length", r.src_length);
  f.u("dest_offset", r.dest_offset);
  f.end();
}

void print_fslabel(const Call& c, uint64_t arg) {
  char label[FSLABEL_MAX];
  if (fetch_or_addr(c, arg, &label)) print_cstr_array(c, label, sizeof label);
}

// FIDEDUPERANGE: the source and the destinations at entry, what each destination got at exit; without
// -v at most two destinations are shown.
int dedupe_range(Call& c, uint64_t arg) {
  if (!in_out_sep(c)) return kIoctlArgDone;
  file_dedupe_range r;
  if (!fetch_or_addr(c, arg, &r)) return kIoctlArgDone;
  Fields f(c);
  if (c.entering()) {
    f.u("src_offset", r.src_offset);
    f.u("src_length", r.src_length);
    f.u("dest_count", r.dest_count);
  }
  f.f("info");
  unsigned left = 2;
  const bool limited = abbrev(c) && r.dest_count > left;
  const bool read = print_array<file_dedupe_range_info>(
      c, arg + offsetof(file_dedupe_range, info), r.dest_count, [&](const file_dedupe_range_info& i) {
        if (limited) {
          if (left == 0) {
            c.print("...");
            return false;
          }
          left--;
        }
        Fields x(c);
        if (c.entering()) {
          print_fd(x.f("dest_fd"), static_cast<int>(i.dest_fd));
          x.u("dest_offset", i.dest_offset);
        } else {
          x.u("bytes_deduped", i.bytes_deduped);
          x.d("status", i.status);
        }
        x.end();
        return true;
      });
  f.end();
  // An array that could not be read leaves nothing to show at exit.
  return c.entering() && read ? 0 : kIoctlArgDone;
}

const Request kFs94[] = {
    req_dec(FICLONE),
    req_in(FICLONERANGE, print_clone_range),
    req_out(FS_IOC_GETFSLABEL, print_fslabel),
    req_in(FS_IOC_SETFSLABEL, print_fslabel),
};

// ---------------------------------------------------------------- inotify, namespaces, counters

const Request kInotify[] = {req_dec(INOTIFY_IOC_SETNEXTWD)};

void print_uid_at(const Call& c, uint64_t arg) {
  unsigned uid;
  if (!fetch_or_addr(c, arg, &uid)) return;
  c.printc('[');
  print_id(c, uid);
  c.printc(']');
}

int nsfs(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    case NS_GET_USERNS:
    case NS_GET_PARENT:
      return kIoctlArgDone | RVAL_FD;
    case NS_GET_NSTYPE:
      if (c.entering()) return 0;
      if (!c.failed()) {
        const char* name = xlat_lookup(xlat_setns_types, static_cast<uint64_t>(c.rval));
        c.aux = name ? name : "";
      }
      return kIoctlArgDone | RVAL_STR;
    case NS_GET_OWNER_UID:
      if (c.entering()) return 0;
      c.print(", ");
      print_uid_at(c, arg);
      return kIoctlArgDone;
    default:
      return RVAL_DECODED;
  }
}

void print_counter_watch(const Call& c, uint64_t arg) {
  counter_watch w;
  if (!fetch_or_addr(c, arg, &w)) return;
  Fields f(c);
  {
    Fields cc(f.f("component"));
    cc.xval("type", xlat_counter_ioctl_component_types, w.component.type, "COUNTER_COMPONENT_???");
    cc.xval("scope", xlat_counter_ioctl_scopes, w.component.scope, "COUNTER_SCOPE_???");
    cc.u("parent", w.component.parent);
    cc.u("id", w.component.id);
    cc.end();
  }
  f.xval("event", xlat_counter_ioctl_event_types, w.event, "COUNTER_EVENT_???");
  f.u("channel", w.channel);
  f.end();
}

const Request kCounter[] = {
    req_in(COUNTER_ADD_WATCH_IOCTL, print_counter_watch),
    req_none(COUNTER_ENABLE_EVENTS_IOCTL),
    req_none(COUNTER_DISABLE_EVENTS_IOCTL),
};

// ---------------------------------------------------------------- 0x03: IDE disks

void print_hd_geometry(const Call& c, uint64_t arg) {
  hd_geometry g;
  if (!fetch_or_addr(c, arg, &g)) return;
  Fields f(c);
  f.u("heads", g.heads);
  f.u("sectors", g.sectors);
  f.u("cylinders", g.cylinders);
  f.u("start", g.start);
  f.end();
}

// HDIO_DRIVE_CMD: the command at entry; at exit (also after EIO, which reports a drive error) the
// status registers and the sectors read.
int hdio_drive_cmd(Call& c, uint64_t arg) {
  constexpr unsigned kSectorSize = 512;
  if (c.entering()) {
    c.print(", ");
    hd_drive_cmd_hdr h;
    if (!fetch_or_addr(c, arg, &h)) return kIoctlArgDone;
    Fields f(c);
    f.xval("command", xlat_hdio_drive_cmds, h.command, "ATA_CMD_???");
    f.u("sector_number", h.sector_number);
    f.u("feature", h.feature);
    f.u("sector_count", h.sector_count);
    f.end();
    return 0;
  }
  struct {
    uint8_t status, error, nsector, sector_count;
  } r;
  if ((c.failed() && c.error != EIO) || !read_obj(c, arg, &r)) return kIoctlArgDone;
  c.print(" => ");
  Fields f(c);
  f.x("status", r.status);
  f.u("error", r.error);
  f.u("nsector", r.nsector);
  if (r.sector_count) {
    // The sector data in hex whatever -x says, cut at -s.
    print_buf_hex(f.f("buf"), arg + 4, static_cast<uint64_t>(r.sector_count) * kSectorSize);
  }
  f.end();
  return kIoctlArgDone;
}

void print_ulong_out(const Call& c, uint64_t arg) { print_nums_at(c, arg, 8, 1, "%llu"); }

void print_nice_out(const Call& c, uint64_t arg) {
  uint64_t v;
  if (!fetch_or_addr(c, arg, &v)) return;
  c.printc('[');
  print_flags_or_unknown(c, xlat_hdio_ide_nice, v, "IDE_NICE_???");
  c.printc(']');
}

void print_busstate_out(const Call& c, uint64_t arg) {
  uint64_t v;
  if (!fetch_or_addr(c, arg, &v)) return;
  c.printc('[');
  print_xval(c, xlat_hdio_busstates, v, "BUSSTATE_???");
  c.printc(']');
}

void print_identity_142(const Call& c, uint64_t arg) { print_buf(c, arg, 142); }
void print_identity_512(const Call& c, uint64_t arg) { print_buf(c, arg, 512); }
void print_u32x3(const Call& c, uint64_t arg) {
  print_array<uint32_t>(c, arg, 3, [&](uint32_t v) { c.printf("%#x", v); });
}

const Request kHdio[] = {
    req_out(HDIO_GETGEO, print_hd_geometry),
    req_out(HDIO_GET_UNMASKINTR, print_ulong_out),  req_udec(HDIO_SET_UNMASKINTR),
    req_out(HDIO_GET_MULTCOUNT, print_ulong_out),   req_udec(HDIO_SET_MULTCOUNT),
    req_out(HDIO_OBSOLETE_IDENTITY, print_identity_142),
    req_out(HDIO_GET_IDENTITY, print_identity_512),
    req_out(HDIO_GET_KEEPSETTINGS, print_ulong_out), req_udec(HDIO_SET_KEEPSETTINGS),
    req_out(HDIO_GET_32BIT, print_ulong_out),       req_udec(HDIO_SET_32BIT),
    req_out(HDIO_GET_NOWERR, print_ulong_out),      req_udec(HDIO_SET_NOWERR),
    req_out(HDIO_GET_DMA, print_ulong_out),         req_udec(HDIO_SET_DMA),
    req_out(HDIO_GET_NICE, print_nice_out),         req_flags(HDIO_SET_NICE, xlat_hdio_ide_nice, "IDE_NICE_???"),
    req_out(HDIO_GET_WCACHE, print_ulong_out),      req_udec(HDIO_SET_WCACHE),
    req_out(HDIO_GET_ACOUSTIC, print_ulong_out),    req_udec(HDIO_SET_ACOUSTIC),
    req_out(HDIO_GET_ADDRESS, print_ulong_out),     req_udec(HDIO_SET_ADDRESS),
    req_out(HDIO_GET_BUSSTATE, print_busstate_out), req_xval(HDIO_SET_BUSSTATE, xlat_hdio_busstates, "BUSSTATE_???"),
    req_udec(HDIO_SET_PIO_MODE),                    req_udec(HDIO_UNREGISTER_HWIF),
    req_in(HDIO_DRIVE_RESET, print_u32x3),          req_in(HDIO_SCAN_HWIF, print_u32x3),
};

}  // namespace

int block_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == BLKTRACESETUP) return blktrace_setup(c, arg);
  return by_table(c, code, arg, kBlock);
}

int file_f_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == FS_IOC_FIEMAP) return fiemap(c, arg);
  return by_table(c, code, arg, kFsF);
}

int file_x_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kFsX); }

int file_94_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == FIDEDUPERANGE) return dedupe_range(c, arg);
  // Type 0x94 is btrfs's: the requests other file systems took over are here, the rest are btrfs's own.
  const int ret = by_table(c, code, arg, kFs94);
  return ret == RVAL_DECODED ? btrfs_ioctl(c, code, arg) : ret;
}

int inotify_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kInotify); }
int nsfs_ioctl(Call& c, unsigned code, uint64_t arg) { return nsfs(c, code, arg); }
int counter_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kCounter); }
int hdio_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == HDIO_DRIVE_CMD) return hdio_drive_cmd(c, arg);
  return by_table(c, code, arg, kHdio);
}

}  // namespace ioctl
}  // namespace decode
