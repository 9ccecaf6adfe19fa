// The mount API (fsopen, fsconfig, fsmount, fspick, open_tree, move_mount), file system
// notification descriptors (fanotify_init, fanotify_mark, userfaultfd) and Landlock's file system
// access rules.
#include <linux/fanotify.h>
#include <linux/landlock.h>
#include <linux/mount.h>

#include <cinttypes>

#include "fields.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace {

void sep(const Call& c) { c.print(", "); }

// ---------------------------------------------------------------- the mount API

int sys_fsopen(Call& c) {
  print_cstr(c, c.arg(0));
  sep(c);
  print_flags_or_unknown(c, xlat_fsopen_flags, c.arg_uint(1), "FSOPEN_???");
  return RVAL_DECODED | RVAL_FD;
}

int sys_fsmount(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_flags_or_unknown(c, xlat_fsmount_flags, c.arg_uint(1), "FSMOUNT_???");
  sep(c);
  print_flags_or_unknown(c, xlat_fsmount_attr_flags, c.arg_uint(2), "MOUNT_ATTR_???");
  return RVAL_DECODED | RVAL_FD;
}

// fspick and open_tree: (dirfd, path, flags).
template <const Xlat& flags, const char* unknown>
int sys_dirfd_path_flags(Call& c) {
  print_dirfd(c, c.arg_int(0));
  sep(c);
  print_path(c, c.arg(1));
  sep(c);
  print_flags_or_unknown(c, flags, c.arg_uint(2), unknown);
  return RVAL_DECODED | RVAL_FD;
}
constexpr char kFspickUnknown[] = "FSPICK_???";
constexpr char kOpenTreeUnknown[] = "OPEN_TREE_???";

// mount_setattr(dirfd, path, flags, attr, size): struct mount_attr of size bytes (at least the 32
// of its first version). userns_fd is a descriptor only when MOUNT_ATTR_IDMAP asks for one.
void print_mount_attr(const Call& c, uint64_t addr, uint64_t size) {
  constexpr uint64_t kVer0Size = 32;  // MOUNT_ATTR_SIZE_VER0
  struct mount_attr attr = {};
  if (size < kVer0Size || !read_mem(c, addr, &attr, std::min<uint64_t>(size, sizeof attr))) {
    print_addr(c, addr);
    return;
  }
  Fields f(c);
  f.flags("attr_set", xlat_mount_attr_attr, attr.attr_set, "MOUNT_ATTR_???");
  f.flags("attr_clr", xlat_mount_attr_attr, attr.attr_clr, "MOUNT_ATTR_???");
  f.xval("propagation", xlat_mount_attr_propagation, attr.propagation, "MS_???");
  if (attr.userns_fd > INT32_MAX || !((attr.attr_set | attr.attr_clr) & MOUNT_ATTR_IDMAP))
    f.u("userns_fd", attr.userns_fd);
  else
    print_fd(f.f("userns_fd"), static_cast<int>(attr.userns_fd));
  if (size > sizeof attr) print_nonzero_tail(c, addr, sizeof attr, std::min<uint64_t>(size, 4096));
  f.end();
}

int sys_mount_setattr(Call& c) {
  print_dirfd(c, c.arg_int(0));
  sep(c);
  print_path(c, c.arg(1));
  sep(c);
  print_flags_or_unknown(c, xlat_mount_setattr_flags, c.arg_uint(2), "AT_???");
  sep(c);
  print_mount_attr(c, c.arg(3), c.arg(4));
  c.printf(", %" PRIu64, c.arg(4));
  return RVAL_DECODED | RVAL_FD;
}

int sys_move_mount(Call& c) {
  print_dirfd(c, c.arg_int(0));
  sep(c);
  print_path(c, c.arg(1));
  sep(c);
  print_dirfd(c, c.arg_int(2));
  sep(c);
  print_path(c, c.arg(3));
  sep(c);
  print_flags_or_unknown(c, xlat_move_mount_flags, c.arg_uint(4), "MOVE_MOUNT_???");
  return RVAL_DECODED;
}

// fsconfig(fd, cmd, key, value, aux): what key, value and aux are depends on the command.
int sys_fsconfig(Call& c) {
  constexpr uint64_t kKeyMax = 256;
  constexpr int kBinaryMax = 1024 * 1024;
  const unsigned cmd = c.arg_uint(1);
  const uint64_t key = c.arg(2), value = c.arg(3);
  const int aux = c.arg_int(4);
  print_untracked(c, [&] { print_fd(c, c.arg_int(0)); });  // -P looks at the path and fd arguments only
  sep(c);
  print_xval(c, xlat_fsconfig_cmds, cmd, "FSCONFIG_???");
  sep(c);
  switch (cmd) {
    case FSCONFIG_SET_FLAG:
    case FSCONFIG_SET_STRING:
    case FSCONFIG_SET_BINARY:
    case FSCONFIG_SET_PATH:
    case FSCONFIG_SET_PATH_EMPTY:
    case FSCONFIG_SET_FD:
      print_str_ex(c, key, kKeyMax, true);
      break;
    default:
      print_addr(c, key);
      break;
  }
  sep(c);
  switch (cmd) {
    case FSCONFIG_SET_STRING:
      print_str_ex(c, value, kKeyMax, true);
      break;
    case FSCONFIG_SET_PATH:
    case FSCONFIG_SET_PATH_EMPTY:
      print_path(c, value);
      break;
    case FSCONFIG_SET_BINARY:
      if (aux >= 0 && aux <= kBinaryMax) {
        print_buf_hex(c, value, static_cast<uint64_t>(aux));
        break;
      }
      print_addr(c, value);
      break;
    default:
      print_addr(c, value);
      break;
  }
  sep(c);
  switch (cmd) {
    case FSCONFIG_SET_PATH:
    case FSCONFIG_SET_PATH_EMPTY:
      print_dirfd(c, aux);
      break;
    case FSCONFIG_SET_FD:
      print_fd(c, aux);
      break;
    default:
      c.printf("%d", aux);
      break;
  }
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- fanotify, userfaultfd

// fanotify_init(flags, event_f_flags): the notification class in the low bits, then flags.
int sys_fanotify_init(Call& c) {
  const unsigned flags = c.arg_uint(0);
  const unsigned class_bits = FAN_CLASS_NOTIF | FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT;  // FAN_ALL_CLASS_BITS
  print_xval(c, xlat_fan_classes, flags & class_bits, "FAN_CLASS_???");
  if (flags & ~class_bits) {
    c.printc('|');
    print_flags_or_unknown(c, xlat_fan_init_flags, flags & ~class_bits, "FAN_???");
  }
  sep(c);
  print_open_flags(c, c.arg_uint(1));
  return RVAL_DECODED | RVAL_FD;
}

// fanotify_mark(fd, flags, mask, dirfd, path): the mask is 64-bit in the ABI.
int sys_fanotify_mark(Call& c) {
  print_fd(c, c.arg_int(0));
  sep(c);
  print_flags_or_unknown(c, xlat_fan_mark_flags, c.arg_uint(1), "FAN_MARK_???");
  sep(c);
  print_flags_or_unknown(c, xlat_fan_event_flags, c.arg(2), "FAN_???");
  sep(c);
  if (c.arg_int(3) == FAN_NOFD)
    print_const(c, static_cast<uint64_t>(static_cast<int64_t>(FAN_NOFD)), "FAN_NOFD", FMT_DEC);
  else
    print_dirfd(c, c.arg_int(3));
  sep(c);
  print_path(c, c.arg(4));
  return RVAL_DECODED;
}

int sys_userfaultfd(Call& c) {
  print_flags_or_unknown(c, xlat_uffd_flags, c.arg_uint(0), "UFFD_???");
  return RVAL_DECODED | RVAL_FD;
}

// ---------------------------------------------------------------- landlock

// landlock_create_ruleset(attr, size, flags): "..." for the part of a larger attr we do not know.
int sys_landlock_create_ruleset(Call& c) {
  const uint64_t addr = c.arg(0), size = c.arg(1);
  const unsigned flags = c.arg_uint(2);
  landlock_ruleset_attr attr = {};
  const uint64_t known = sizeof attr.handled_access_fs;
  if (size < known) {
    print_addr(c, addr);
  } else if (addr == 0 || !read_mem(c, addr, &attr, size < sizeof attr ? size : sizeof attr)) {
    print_addr(c, addr);
  } else {
    Fields f(c);
    f.flags("handled_access_fs", xlat_landlock_ruleset_access_fs, attr.handled_access_fs, "LANDLOCK_ACCESS_FS_???");
    if (size > known) f.more();
    f.end();
  }
  c.printf(", %" PRIu64 ", ", size);
  print_flags_or_unknown(c, xlat_landlock_create_ruleset_flags, flags, "LANDLOCK_CREATE_RULESET_???");
  // With LANDLOCK_CREATE_RULESET_VERSION the result is the ABI version, not a descriptor.
  return RVAL_DECODED | (flags & LANDLOCK_CREATE_RULESET_VERSION ? 0 : RVAL_FD);
}

int sys_landlock_add_rule(Call& c) {
  const unsigned type = c.arg_uint(1);
  print_fd(c, c.arg_int(0));
  sep(c);
  print_xval(c, xlat_landlock_rule_types, type, "LANDLOCK_RULE_???");
  sep(c);
  landlock_path_beneath_attr pb;
  if (type != LANDLOCK_RULE_PATH_BENEATH) {
    print_addr(c, c.arg(2));
  } else if (fetch_or_addr(c, c.arg(2), &pb)) {
    Fields f(c);
    f.flags("allowed_access", xlat_landlock_ruleset_access_fs, pb.allowed_access, "LANDLOCK_ACCESS_FS_???");
    print_fd(f.f("parent_fd"), pb.parent_fd);
    f.end();
  }
  c.printf(", %#x", c.arg_uint(3));
  return RVAL_DECODED;
}

int sys_landlock_restrict_self(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %#x", c.arg_uint(1));
  return RVAL_DECODED;
}

const NamedDecoder kFsapiDecoders[] = {
    {"landlock_create_ruleset", sys_landlock_create_ruleset},
    {"landlock_add_rule", sys_landlock_add_rule},
    {"landlock_restrict_self", sys_landlock_restrict_self},
    {"fsopen", sys_fsopen},
    {"fsmount", sys_fsmount},
    {"fspick", sys_dirfd_path_flags<xlat_fspick_flags, kFspickUnknown>},
    {"open_tree", sys_dirfd_path_flags<xlat_open_tree_flags, kOpenTreeUnknown>},
    {"move_mount", sys_move_mount},
    {"fsconfig", sys_fsconfig},
    {"fanotify_init", sys_fanotify_init},
    {"fanotify_mark", sys_fanotify_mark},
    {"mount_setattr", sys_mount_setattr},
    {"userfaultfd", sys_userfaultfd},
};

}  // namespace

const DecoderFamily family_fsapi = {kFsapiDecoders, sizeof kFsapiDecoders / sizeof kFsapiDecoders[0]};

}  // namespace decode
