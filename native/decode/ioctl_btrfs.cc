// Btrfs requests (0x94, linux/btrfs.h, after the generic file requests of that type): subvolumes
// and snapshots, balance, scrub, device replace and statistics, quota groups, tree searches, inode
// and path lookups, send, features and file system information, as strace 6.1 prints them.
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// A u64 that means "no limit" at its maximum: UINT64_MAX (a number with -X raw, both with -X verbose).
void print_u64(Fields& f, const char* name, uint64_t v) {
  if (v == UINT64_MAX)
    print_const(f.f(name), v, "UINT64_MAX", FMT_UDEC);
  else
    f.u(name, v);
}

// An object id or key type: its name when it has one, else the number in decimal.
void print_objectid(Fields& f, const char* name, uint64_t v) { print_xval_u(f.f(name), xlat_btrfs_tree_objectids, v); }
void print_key_type(Fields& f, const char* name, uint64_t v) { print_xval_u(f.f(name), xlat_btrfs_key_types, v); }

// A UUID as its canonical text: 01234567-89ab-cdef-fedc-ba9876543210.
void print_uuid(Fields& f, const char* name, const uint8_t (&u)[BTRFS_UUID_SIZE]) {
  const Call& c = f.f(name);
  for (size_t i = 0; i < BTRFS_UUID_SIZE; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) c.printc('-');
    c.printf("%02x", u[i]);
  }
}

void print_balance_args(const Call& c, const btrfs_balance_args& a) {
  Fields f(c);
  f.flags("profiles", xlat_btrfs_space_info_flags, a.profiles, "BTRFS_BLOCK_GROUP_???");
  print_u64(f, "usage", a.usage);
  f.dev("devid", a.devid);
  print_u64(f, "pstart", a.pstart);
  print_u64(f, "pend", a.pend);
  print_u64(f, "vstart", a.vstart);
  print_u64(f, "vend", a.vend);
  print_u64(f, "target", a.target);
  f.flags("flags", xlat_btrfs_balance_args, a.flags, "BTRFS_BALANCE_ARGS_???");
  f.end();
}

// The balance arguments, with the state the kernel reports when `out`; each block group type's
// arguments only when its flag is set.
void print_balance(const Call& c, uint64_t arg, bool out) {
  btrfs_ioctl_balance_args b;
  if (!fetch_or_addr(c, arg, &b)) return;
  Fields f(c);
  f.flags("flags", xlat_btrfs_balance_flags, b.flags, "BTRFS_BALANCE_???");
  if (out) f.flags("state", xlat_btrfs_balance_state, b.state, "BTRFS_BALANCE_STATE_???");
  if (b.flags & BTRFS_BALANCE_DATA) print_balance_args(f.f("data"), b.data);
  if (b.flags & BTRFS_BALANCE_METADATA) print_balance_args(f.f("meta"), b.meta);
  if (b.flags & BTRFS_BALANCE_SYSTEM) print_balance_args(f.f("sys"), b.sys);
  f.end();
}

void print_features(const Call& c, const btrfs_ioctl_feature_flags& ff) {
  Fields f(c);
  // No compat flag has a name yet.
  static const Xlat kCompat = {nullptr, 0, XLAT_FLAGS};
  f.flags("compat_flags", kCompat, ff.compat_flags, "BTRFS_FEATURE_COMPAT_???");
  f.flags("compat_ro_flags", xlat_btrfs_features_compat_ro, ff.compat_ro_flags, "BTRFS_FEATURE_COMPAT_RO_???");
  f.flags("incompat_flags", xlat_btrfs_features_incompat, ff.incompat_flags, "BTRFS_FEATURE_INCOMPAT_???");
  f.end();
}

void print_qgroup_limit(const Call& c, const btrfs_qgroup_limit& l) {
  Fields f(c);
  f.flags("flags", xlat_btrfs_qgroup_limit_flags, l.flags, "BTRFS_QGROUP_LIMIT_???");
  f.u("max_rfer", l.max_rfer);
  f.u("max_excl", l.max_excl);
  f.u("rsv_rfer", l.rsv_rfer);
  f.u("rsv_excl", l.rsv_excl);
  f.end();
}

void print_qgroup_inherit(const Call& c, uint64_t addr) {
  btrfs_qgroup_inherit q;
  if (!fetch_or_addr(c, addr, &q)) return;
  Fields f(c);
  f.flags("flags", xlat_btrfs_qgroup_inherit_flags, q.flags, "BTRFS_QGROUP_INHERIT_???");
  f.u("num_qgroups", q.num_qgroups);
  f.u("num_ref_copies", q.num_ref_copies);
  f.u("num_excl_copies", q.num_excl_copies);
  print_qgroup_limit(f.f("lim"), q.lim);
  if (abbrev(c)) {
    f.more();
  } else {
    f.f("qgroups");
    print_array<uint64_t>(c, addr + offsetof(btrfs_qgroup_inherit, qgroups), q.num_qgroups,
                          [&](uint64_t v) { c.printf("%llu", static_cast<unsigned long long>(v)); });
  }
  f.end();
}

// A btrfs_data_container's header, then its values as print_values prints them (without -v, "...").
template <typename F> void print_container(const Call& c, uint64_t addr, F&& print_values) {
  btrfs_data_container d;
  if (!fetch_or_addr(c, addr, &d)) return;
  Fields f(c);
  f.u("bytes_left", d.bytes_left);
  f.u("bytes_missing", d.bytes_missing);
  f.u("elem_cnt", d.elem_cnt);
  f.u("elem_missed", d.elem_missed);
  if (abbrev(c)) {
    f.more();
  } else {
    f.f("val");
    print_values(d, addr + offsetof(btrfs_data_container, val));
  }
  f.end();
}

// BTRFS_IOC_LOGICAL_INO's result: (inode, offset, root) triples.
void print_logical_ino_container(const Call& c, uint64_t addr) {
  print_container(c, addr, [&](const btrfs_data_container& d, uint64_t val) {
    struct Record {
      uint64_t inum, offset, root;
    };
    print_array<Record>(c, val, d.elem_cnt / 3, [&](const Record& r) {
      Fields e(c);
      e.u("inum", r.inum);
      e.u("offset", r.offset);
      e.u("root", r.root);
      e.end();
    });
  });
}

// BTRFS_IOC_INO_PATHS's result: paths, each at an offset from the start of the values.
void print_ino_path_container(const Call& c, uint64_t addr) {
  print_container(c, addr, [&](const btrfs_data_container& d, uint64_t val) {
    print_array<uint64_t>(c, val, d.elem_cnt, [&](uint64_t offset) { print_path(c, val + offset); });
  });
}

// The search key: at entry what to look for (the object id range only when it is not the whole
// range of free object ids, unless -v), at exit how many items were found.
void print_search_key(const Call& c, const btrfs_ioctl_search_key& k) {
  Fields f(c);
  if (c.entering()) {
    print_objectid(f, "tree_id", k.tree_id);
    if (k.min_objectid != BTRFS_FIRST_FREE_OBJECTID || !abbrev(c)) print_objectid(f, "min_objectid", k.min_objectid);
    if (k.max_objectid != BTRFS_LAST_FREE_OBJECTID || !abbrev(c)) print_objectid(f, "max_objectid", k.max_objectid);
    print_u64(f, "min_offset", k.min_offset);
    print_u64(f, "max_offset", k.max_offset);
    print_u64(f, "min_transid", k.min_transid);
    print_u64(f, "max_transid", k.max_transid);
    print_key_type(f, "min_type", k.min_type);
    print_key_type(f, "max_type", k.max_type);
  }
  f.u("nr_items", k.nr_items);
  f.end();
}

// At exit, the headers of the items found in the result buffer (", ..." without -v).
void print_search_buf(const Call& c, uint64_t buf, uint64_t size, unsigned nr_items) {
  if (c.entering()) return;
  c.print(", ");
  if (abbrev(c)) {
    c.print("...");
    return;
  }
  c.print("buf=[");
  const size_t limit = c.opts ? c.opts->strsize : 32;
  uint64_t off = 0;
  for (unsigned i = 0; i < nr_items; i++) {
    if (i) c.print(", ");
    btrfs_ioctl_search_header h;
    const uint64_t addr = buf + off;
    if (addr < buf || off + sizeof h > size || i > limit) {
      c.print("...");
      break;
    }
    if (!read_obj(c, addr, &h)) {
      c.print("... /* ");
      print_addr(c, addr);
      c.print(" */");
      break;
    }
    Fields f(c);
    f.u("transid", h.transid);
    print_objectid(f, "objectid", h.objectid);
    f.u("offset", h.offset);
    print_key_type(f, "type", h.type);
    f.u("len", h.len);
    f.end();
    off += sizeof h + h.len;
  }
  c.printc(']');
}

void print_timespec_fields(const Call& c, const btrfs_ioctl_timespec& t) {
  Fields f(c);
  f.u("sec", t.sec);
  f.u("nsec", t.nsec);
  f.end();
  print_time_comment(c, static_cast<int64_t>(t.sec), t.nsec);
}

void print_scrub_progress(const Call& c, const btrfs_scrub_progress& p) {
  Fields f(c);
  f.u("data_extents_scrubbed", p.data_extents_scrubbed);
  f.u("tree_extents_scrubbed", p.tree_extents_scrubbed);
  f.u("data_bytes_scrubbed", p.data_bytes_scrubbed);
  f.u("tree_bytes_scrubbed", p.tree_bytes_scrubbed);
  f.u("read_errors", p.read_errors);
  f.u("csum_errors", p.csum_errors);
  f.u("verify_errors", p.verify_errors);
  f.u("no_csum", p.no_csum);
  f.u("csum_discards", p.csum_discards);
  f.u("super_errors", p.super_errors);
  f.u("malloc_errors", p.malloc_errors);
  f.u("uncorrectable_errors", p.uncorrectable_errors);
  f.u("corrected_errors", p.corrected_errors);
  f.u("last_physical", p.last_physical);
  f.u("unverified_errors", p.unverified_errors);
  f.end();
}

// The requests that read a struct btrfs_ioctl_vol_args: a descriptor and a name.
bool takes_vol_args(unsigned code) {
  switch (code) {
    case BTRFS_IOC_SNAP_CREATE: case BTRFS_IOC_RESIZE: case BTRFS_IOC_SCAN_DEV: case BTRFS_IOC_FORGET_DEV:
    case BTRFS_IOC_ADD_DEV: case BTRFS_IOC_RM_DEV: case BTRFS_IOC_SUBVOL_CREATE: case BTRFS_IOC_SNAP_DESTROY:
    case BTRFS_IOC_DEVICES_READY:
      return true;
    default:
      return false;
  }
}

// An in/out request's lead: ", " at entry, " => " at exit; false at the exit of a failed call
// (nothing more is printed).
bool lead_in_out(const Call& c) {
  if (c.entering()) {
    c.print(", ");
    return true;
  }
  if (c.failed()) return false;
  c.print(" => ");
  return true;
}

// The body of btrfs_ioctl for the requests with a structure going in and coming back: returns what
// btrfs_ioctl returns.
int in_out(Call& c, unsigned code, uint64_t arg) {
  if (!lead_in_out(c)) return kIoctlArgDone;
  const int again = c.entering() ? 0 : kIoctlArgDone;
  switch (code) {
    case BTRFS_IOC_DEV_INFO: {
      btrfs_ioctl_dev_info_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        f.dev("devid", a.devid);
        if (!all_zero(a.uuid)) print_uuid(f, "uuid", a.uuid);
      } else {
        if (!all_zero(a.uuid)) print_uuid(f, "uuid", a.uuid);
        f.u("bytes_used", a.bytes_used);
        f.u("total_bytes", a.total_bytes);
        f.cstr("path", reinterpret_cast<const char*>(a.path), sizeof a.path);
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_DEV_REPLACE: {
      btrfs_ioctl_dev_replace_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        f.xval("cmd", xlat_btrfs_dev_replace_cmds, a.cmd, "BTRFS_IOCTL_DEV_REPLACE_CMD_???");
        if (a.cmd == BTRFS_IOCTL_DEV_REPLACE_CMD_START) {
          Fields s(f.f("start"));
          s.dev("srcdevid", a.start.srcdevid);
          s.xval("cont_reading_from_srcdev_mode", xlat_btrfs_cont_reading_from_srcdev_mode,
                 a.start.cont_reading_from_srcdev_mode, "BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_???");
          s.cstr("srcdev_name", reinterpret_cast<const char*>(a.start.srcdev_name), sizeof a.start.srcdev_name);
          s.cstr("tgtdev_name", reinterpret_cast<const char*>(a.start.tgtdev_name), sizeof a.start.tgtdev_name);
          s.end();
        }
      } else {
        f.xval("result", xlat_btrfs_dev_replace_results, a.result, "BTRFS_IOCTL_DEV_REPLACE_RESULT_???");
        if (a.cmd == BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS) {
          const auto& st = a.status;
          Fields s(f.f("status"));
          s.xval("replace_state", xlat_btrfs_dev_replace_state, st.replace_state, "BTRFS_IOCTL_DEV_REPLACE_STATE_???");
          s.u("progress_1000", st.progress_1000);
          if (st.progress_1000 <= 1000)
            c.printf(" /* %u.%u%% */", static_cast<unsigned>(st.progress_1000) / 10,
                     static_cast<unsigned>(st.progress_1000) % 10);
          s.u("time_started", st.time_started);
          print_time_comment(c, static_cast<int64_t>(st.time_started), 0);
          s.u("time_stopped", st.time_stopped);
          print_time_comment(c, static_cast<int64_t>(st.time_stopped), 0);
          s.u("num_write_errors", st.num_write_errors);
          s.u("num_uncorrectable_read_errors", st.num_uncorrectable_read_errors);
          s.end();
        }
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_GET_DEV_STATS: {
      btrfs_ioctl_get_dev_stats a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) f.dev("devid", a.devid);
      f.u("nr_items", a.nr_items);
      f.flags("flags", xlat_btrfs_dev_stats_flags, a.flags, "BTRFS_DEV_STATS_???");
      if (c.exiting) {
        // nr_items is the caller's word: no more values than the structure holds. The values are
        // an array with the statistics' names as indices, after the other fields: [[NAME]=N, ...].
        c.print(", [");
        for (uint64_t i = 0; i < a.nr_items; i++) {
          if (i) c.print(", ");
          if (i >= sizeof a.values / sizeof a.values[0]) {
            c.print("...");
            break;
          }
          c.printc('[');
          print_xval_u(c, xlat_btrfs_dev_stats_values, i);
          c.printf("]=%llu", static_cast<unsigned long long>(a.values[i]));
        }
        c.printc(']');
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_INO_LOOKUP: {
      btrfs_ioctl_ino_lookup_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        // A tree id of 0 asks for the subvolume that holds the descriptor: the kernel says which.
        c.saved[0] = a.treeid == 0;
        print_objectid(f, "treeid", a.treeid);
        print_objectid(f, "objectid", a.objectid);
      } else {
        if (c.saved[0]) print_objectid(f, "treeid", a.treeid);
        f.cstr("name", a.name, sizeof a.name);
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_INO_PATHS: {
      btrfs_ioctl_ino_path_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        f.u("inum", a.inum);
        f.u("size", a.size);
        f.ptr("fspath", a.fspath);
      } else {
        f.f("fspath");
        print_ino_path_container(c, a.fspath);
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_LOGICAL_INO: {
      btrfs_ioctl_logical_ino_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        f.u("logical", a.logical);
        f.u("size", a.size);
        if (!all_zero(a.reserved)) f.xarray("reserved", a.reserved);
        f.flags("flags", xlat_btrfs_logical_ino_args_flags, a.flags, "BTRFS_LOGICAL_INO_ARGS_???");
        f.ptr("inodes", a.inodes);
      } else {
        f.f("inodes");
        print_logical_ino_container(c, a.inodes);
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_SET_RECEIVED_SUBVOL: {
      btrfs_ioctl_received_subvol_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        print_uuid(f, "uuid", reinterpret_cast<const uint8_t(&)[BTRFS_UUID_SIZE]>(a.uuid));
        f.u("stransid", a.stransid);
        print_timespec_fields(f.f("stime"), a.stime);
        f.u("flags", a.flags);
      } else {
        f.u("rtransid", a.rtransid);
        print_timespec_fields(f.f("rtime"), a.rtime);
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_SCRUB:
    case BTRFS_IOC_SCRUB_PROGRESS: {
      btrfs_ioctl_scrub_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        f.dev("devid", a.devid);
        if (code == BTRFS_IOC_SCRUB) {
          f.u("start", a.start);
          print_u64(f, "end", a.end);
          f.flags("flags", xlat_btrfs_scrub_flags, a.flags, "BTRFS_SCRUB_???");
        }
      } else {
        print_scrub_progress(f.f("progress"), a.progress);
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_TREE_SEARCH: {
      btrfs_ioctl_search_key k;
      if (!fetch_or_addr(c, arg, &k)) return kIoctlArgDone;
      Fields f(c);
      print_search_key(f.f("key"), k);
      print_search_buf(c, arg + offsetof(btrfs_ioctl_search_args, buf), BTRFS_SEARCH_ARGS_BUFSIZE, k.nr_items);
      f.end();
      return again;
    }
    case BTRFS_IOC_SPACE_INFO: {
      btrfs_ioctl_space_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        f.u("space_slots", a.space_slots);
      } else {
        f.u("total_spaces", a.total_spaces);
        // Asked for the count alone.
        if (!(a.space_slots == 0 && a.total_spaces)) {
          if (abbrev(c)) {
            f.more();
          } else {
            f.f("spaces");
            print_array<btrfs_ioctl_space_info>(c, arg + offsetof(btrfs_ioctl_space_args, spaces), a.total_spaces,
                                                [&](const btrfs_ioctl_space_info& s) {
              Fields e(c);
              e.flags("flags", xlat_btrfs_space_info_flags, s.flags, "BTRFS_SPACE_INFO_???");
              e.u("total_bytes", s.total_bytes);
              e.u("used_bytes", s.used_bytes);
              e.end();
            });
          }
        }
      }
      f.end();
      return again;
    }
    case BTRFS_IOC_SNAP_CREATE_V2:
    case BTRFS_IOC_SUBVOL_CREATE_V2: {
      btrfs_ioctl_vol_args_v2 a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      if (c.entering()) {
        print_fd(f.f("fd"), static_cast<int>(a.fd));
        f.flags("flags", xlat_btrfs_snap_flags_v2, a.flags, "BTRFS_SUBVOL_???");
        if (a.flags & BTRFS_SUBVOL_QGROUP_INHERIT) {
          f.u("size", a.size);
          f.f("qgroup_inherit");
          print_qgroup_inherit(c, reinterpret_cast<uintptr_t>(a.qgroup_inherit));
        }
        f.cstr("name", a.name, sizeof a.name);
      } else {
        f.u("transid", a.transid);
      }
      f.end();
      return again;
    }
  }
  return kIoctlArgDone;
}

}  // namespace

int btrfs_ioctl(Call& c, unsigned code, uint64_t arg) {
  switch (code) {
    // Nothing to print: requests without an argument, and two declared with vol_args that read none.
    case BTRFS_IOC_TRANS_START: case BTRFS_IOC_TRANS_END: case BTRFS_IOC_SYNC: case BTRFS_IOC_SCRUB_CANCEL:
    case BTRFS_IOC_QUOTA_RESCAN_WAIT: case BTRFS_IOC_DEFRAG: case BTRFS_IOC_BALANCE:
      return kIoctlArgDone;
    case BTRFS_IOC_BALANCE_CTL:
      c.print(", ");
      print_xval(c, xlat_btrfs_balance_ctl_cmds, static_cast<uint32_t>(arg), "BTRFS_BALANCE_CTL_???");
      return kIoctlArgDone;
    case BTRFS_IOC_START_SYNC:
      if (c.entering()) return 0;
      [[fallthrough]];
    case BTRFS_IOC_DEFAULT_SUBVOL:
    case BTRFS_IOC_WAIT_SYNC:
      c.print(", ");
      print_nums_at(c, arg, 8, 1, "%llu");
      return kIoctlArgDone;
    case BTRFS_IOC_SUBVOL_GETFLAGS:
    case BTRFS_IOC_SUBVOL_SETFLAGS: {
      if (code == BTRFS_IOC_SUBVOL_GETFLAGS && c.entering()) return 0;
      c.print(", ");
      uint64_t flags;
      if (fetch_or_addr(c, arg, &flags)) print_flags(c, xlat_btrfs_snap_flags_v2, flags, "0", "BTRFS_SUBVOL_???");
      return kIoctlArgDone;
    }
    case BTRFS_IOC_BALANCE_V2:
      if (c.entering()) {
        c.print(", ");
        print_balance(c, arg, false);
        return 0;
      }
      if (!c.failed()) {
        c.print(" => ");
        print_balance(c, arg, true);
      }
      return kIoctlArgDone;
    case BTRFS_IOC_BALANCE_PROGRESS:
      if (c.entering()) return 0;
      c.print(", ");
      print_balance(c, arg, true);
      return kIoctlArgDone;
    case BTRFS_IOC_DEFRAG_RANGE: {
      c.print(", ");
      btrfs_ioctl_defrag_range_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      f.u("start", a.start);
      print_u64(f, "len", a.len);
      f.flags("flags", xlat_btrfs_defrag_flags, a.flags, "BTRFS_DEFRAG_RANGE_???");
      f.u("extent_thresh", a.extent_thresh);
      f.xval("compress_type", xlat_btrfs_compress_types, a.compress_type, "BTRFS_COMPRESS_???");
      f.end();
      return kIoctlArgDone;
    }
    case BTRFS_IOC_GET_FEATURES: {
      if (c.entering()) return 0;
      c.print(", ");
      btrfs_ioctl_feature_flags ff;
      if (fetch_or_addr(c, arg, &ff)) print_features(c, ff);
      return kIoctlArgDone;
    }
    case BTRFS_IOC_SET_FEATURES:
    case BTRFS_IOC_GET_SUPPORTED_FEATURES: {
      // SET: the flags to change and their new values; GET_SUPPORTED: three sets, each explained.
      const bool set = code == BTRFS_IOC_SET_FEATURES;
      if (!set && c.entering()) return 0;
      c.print(", ");
      btrfs_ioctl_feature_flags ff[3];
      const size_t n = set ? 2 : 3;
      if (arg == 0 || c.failed() || !structs_decoded(c) || !read_mem(c, arg, ff, n * sizeof ff[0])) {
        print_addr(c, arg);
        return kIoctlArgDone;
      }
      static const char* const kSupported[] = {"supported", "safe to set", "safe to clear"};
      c.printc('[');
      for (size_t i = 0; i < n; i++) {
        if (i) c.print(", ");
        print_features(c, ff[i]);
        if (!set) c.printf(" /* %s */", kSupported[i]);
      }
      c.printc(']');
      return kIoctlArgDone;
    }
    case BTRFS_IOC_FS_INFO: {
      if (c.entering()) return 0;
      c.print(", ");
      btrfs_ioctl_fs_info_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      f.u("max_id", a.max_id);
      f.u("num_devices", a.num_devices);
      print_uuid(f, "fsid", a.fsid);
      f.u("nodesize", a.nodesize);
      f.u("sectorsize", a.sectorsize);
      f.u("clone_alignment", a.clone_alignment);
      if (a.flags & BTRFS_FS_INFO_FLAG_CSUM_INFO) {
        f.xval("csum_type", xlat_btrfs_csum_types, a.csum_type, "BTRFS_CSUM_TYPE_???");
        f.u("csum_size", a.csum_size);
      }
      f.flags("flags", xlat_btrfs_fs_info_flags, a.flags, "BTRFS_FS_INFO_FLAG_???");
      if (a.flags & BTRFS_FS_INFO_FLAG_GENERATION) f.u("generation", a.generation);
      if (a.flags & BTRFS_FS_INFO_FLAG_METADATA_UUID) print_uuid(f, "metadata_uuid", a.metadata_uuid);
      f.end();
      return kIoctlArgDone;
    }
    case BTRFS_IOC_QGROUP_ASSIGN: {
      c.print(", ");
      btrfs_ioctl_qgroup_assign_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      f.u("assign", a.assign);
      f.u("src", a.src);
      f.u("dst", a.dst);
      f.end();
      return kIoctlArgDone;
    }
    case BTRFS_IOC_QGROUP_CREATE: {
      c.print(", ");
      btrfs_ioctl_qgroup_create_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      f.u("create", a.create);
      f.u("qgroupid", a.qgroupid);
      f.end();
      return kIoctlArgDone;
    }
    case BTRFS_IOC_QGROUP_LIMIT: {
      if (c.entering()) return 0;
      c.print(", ");
      btrfs_ioctl_qgroup_limit_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      f.u("qgroupid", a.qgroupid);
      print_qgroup_limit(f.f("lim"), a.lim);
      f.end();
      return kIoctlArgDone;
    }
    case BTRFS_IOC_QUOTA_CTL: {
      c.print(", ");
      btrfs_ioctl_quota_ctl_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      f.xval("cmd", xlat_btrfs_qgroup_ctl_cmds, a.cmd, "BTRFS_QUOTA_CTL_???");
      f.end();
      return kIoctlArgDone;
    }
    case BTRFS_IOC_QUOTA_RESCAN:
    case BTRFS_IOC_QUOTA_RESCAN_STATUS: {
      const bool status = code == BTRFS_IOC_QUOTA_RESCAN_STATUS;
      if (status && c.entering()) return 0;
      c.print(", ");
      btrfs_ioctl_quota_rescan_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      f.u("flags", a.flags);
      if (status) print_objectid(f, "progress", a.progress);
      f.end();
      return kIoctlArgDone;
    }
    case BTRFS_IOC_TREE_SEARCH_V2: {
      btrfs_ioctl_search_args_v2 a;
      if (c.exiting && c.failed()) {
        // EOVERFLOW: the buffer was too small; the kernel says how big it must be.
        if (c.error == EOVERFLOW) {
          c.print(" => ");
          if (read_obj(c, arg, &a))
            c.printf("{buf_size=%llu}", static_cast<unsigned long long>(a.buf_size));
          else
            print_addr(c, arg);
        }
        return kIoctlArgDone;
      }
      c.print(c.entering() ? ", " : " => ");
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      print_search_key(f.f("key"), a.key);
      f.u("buf_size", a.buf_size);
      print_search_buf(c, arg + offsetof(btrfs_ioctl_search_args_v2, buf), a.buf_size, a.key.nr_items);
      f.end();
      return c.entering() ? 0 : kIoctlArgDone;
    }
    case BTRFS_IOC_SEND: {
      c.print(", ");
      btrfs_ioctl_send_args a;
      if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
      Fields f(c);
      print_fd(f.f("send_fd"), static_cast<int>(a.send_fd));
      f.u("clone_sources_count", a.clone_sources_count);
      const uint64_t sources = reinterpret_cast<uintptr_t>(a.clone_sources);
      if (abbrev(c)) {
        f.ptr("clone_sources", sources);
      } else {
        f.f("clone_sources");
        print_array<uint64_t>(c, sources, a.clone_sources_count,
                              [&](uint64_t id) { print_xval_u(c, xlat_btrfs_tree_objectids, id); });
      }
      print_objectid(f, "parent_root", a.parent_root);
      f.flags("flags", xlat_btrfs_send_flags, a.flags, "BTRFS_SEND_FLAGS_???");
      f.end();
      return kIoctlArgDone;
    }
    default:
      break;
  }
  if (takes_vol_args(code)) {
    c.print(", ");
    btrfs_ioctl_vol_args a;
    if (!fetch_or_addr(c, arg, &a)) return kIoctlArgDone;
    Fields f(c);
    print_fd(f.f("fd"), static_cast<int>(a.fd));
    f.cstr("name", a.name, sizeof a.name);
    f.end();
    return kIoctlArgDone;
  }
  switch (code) {
    case BTRFS_IOC_DEV_INFO: case BTRFS_IOC_DEV_REPLACE: case BTRFS_IOC_GET_DEV_STATS: case BTRFS_IOC_INO_LOOKUP:
    case BTRFS_IOC_INO_PATHS: case BTRFS_IOC_LOGICAL_INO: case BTRFS_IOC_SET_RECEIVED_SUBVOL: case BTRFS_IOC_SCRUB:
    case BTRFS_IOC_SCRUB_PROGRESS: case BTRFS_IOC_TREE_SEARCH: case BTRFS_IOC_SPACE_INFO:
    case BTRFS_IOC_SNAP_CREATE_V2: case BTRFS_IOC_SUBVOL_CREATE_V2:
      return in_out(c, code, arg);
    default:
      return RVAL_DECODED;
  }
}

}  // namespace ioctl
}  // namespace decode
