// The file family: opening, reading and writing, stat and statx, directories, links, permissions,
// ownership, times and file-system queries. Each decoder prints its arguments the way strace 6.1 does:
// inputs at entry, output buffers and structs at exit (their address when the call failed).
#include "decoder.h"

#include <cinttypes>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/stat.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "../tables/generated/xlat.h"

namespace decode {
namespace {

// ---------------------------------------------------------------- small shared pieces

// The kernel's access-mode bits of open(2) flags, and the bits that make open take a mode.
constexpr uint64_t kAccMode = 03;
constexpr uint64_t kTmpfileBit = 020000000;  // __O_TMPFILE (O_TMPFILE without O_DIRECTORY)

}  // namespace

// open(2) flags: the access mode by name, then the other bits (O_RDONLY|O_CLOEXEC).
void print_open_flags(const Call& c, uint64_t flags) {
  print_composite(c, flags, FMT_HEX, [&] {
    print_xval(c, xlat_open_access_modes, flags & kAccMode);
    uint64_t rest = flags & ~kAccMode;
    if (rest) {
      c.printc('|');
      print_flags(c, xlat_open_flags, rest);
    }
  });
}

namespace {

bool open_takes_mode(uint64_t flags) { return (flags & O_CREAT) || (flags & kTmpfileBit); }

// The output-struct convention: the struct on success, its address when the call failed or
// the memory cannot be read.
template <typename T, typename F>
void print_out_struct(const Call& c, uint64_t addr, F print) {
  T v;
  if (c.failed() || addr == 0 || !read_obj(c, addr, &v)) {
    print_addr(c, addr);
    return;
  }
  print(v);
}

// ---------------------------------------------------------------- struct stat, statx, statfs

void print_stat_time(const Call& c, const char* name, int64_t sec, uint64_t nsec) {
  c.printf(", %s=%lld", name, static_cast<long long>(sec));
  print_time_comment(c, sec, nsec);
  c.printf(", %s_nsec=%llu", name, static_cast<unsigned long long>(nsec));
}

void print_struct_stat(const Call& c, uint64_t addr) {
  print_out_struct<struct stat>(c, addr, [&c](const struct stat& st) {
    const bool dev_node = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode);
    c.printc('{');
    if (c.opts->verbose) {
      c.print("st_dev=");
      print_dev_t(c, st.st_dev);
      c.printf(", st_ino=%llu, st_mode=", static_cast<unsigned long long>(st.st_ino));
      print_mode(c, st.st_mode, true);
      c.printf(", st_nlink=%llu, st_uid=%u, st_gid=%u, st_blksize=%lld, st_blocks=%lld",
               static_cast<unsigned long long>(st.st_nlink), st.st_uid, st.st_gid,
               static_cast<long long>(st.st_blksize), static_cast<long long>(st.st_blocks));
    } else {
      c.print("st_mode=");
      print_mode(c, st.st_mode, true);
    }
    if (dev_node) {
      c.print(", st_rdev=");
      print_dev_t(c, st.st_rdev);
    } else {
      c.printf(", st_size=%lld", static_cast<long long>(st.st_size));
    }
    if (c.opts->verbose) {
      print_stat_time(c, "st_atime", st.st_atim.tv_sec, static_cast<uint64_t>(st.st_atim.tv_nsec));
      print_stat_time(c, "st_mtime", st.st_mtim.tv_sec, static_cast<uint64_t>(st.st_mtim.tv_nsec));
      print_stat_time(c, "st_ctime", st.st_ctim.tv_sec, static_cast<uint64_t>(st.st_ctim.tv_nsec));
    } else {
      c.print(", ...");
    }
    c.printc('}');
  });
}

void print_statx_time(const Call& c, const char* name, const struct statx_timestamp& t) {
  c.printf(", %s={tv_sec=%lld, tv_nsec=%u}", name, static_cast<long long>(t.tv_sec), t.tv_nsec);
  print_time_comment(c, t.tv_sec, t.tv_nsec);
}

// struct statx as strace prints it: a field the kernel may leave unfilled appears only when
// stx_mask says it was filled (the mode with STATX_TYPE or STATX_MODE); -v shows the rest.
void print_struct_statx(const Call& c, uint64_t addr) {
  print_out_struct<struct statx>(c, addr, [&c](const struct statx& sx) {
    const bool v = c.opts->verbose;
    const unsigned m = sx.stx_mask;
    c.print("{stx_mask=");
    print_flags(c, xlat_statx_masks, m);
    if (v) c.printf(", stx_blksize=%u", sx.stx_blksize);
    c.print(", stx_attributes=");
    print_flags(c, xlat_statx_attrs, sx.stx_attributes);
    if (v) {
      if (m & STATX_NLINK) c.printf(", stx_nlink=%u", sx.stx_nlink);
      if (m & STATX_UID) c.print(", stx_uid="), print_id(c, sx.stx_uid);
      if (m & STATX_GID) c.print(", stx_gid="), print_id(c, sx.stx_gid);
    }
    if (m & (STATX_TYPE | STATX_MODE)) {
      c.print(", stx_mode=");
      print_mode(c, sx.stx_mode, true);
    }
    if (v && (m & STATX_INO)) c.printf(", stx_ino=%llu", static_cast<unsigned long long>(sx.stx_ino));
    if (m & STATX_SIZE) c.printf(", stx_size=%llu", static_cast<unsigned long long>(sx.stx_size));
    if (!v) {
      c.print(", ...}");
      return;
    }
    if (m & STATX_BLOCKS) c.printf(", stx_blocks=%llu", static_cast<unsigned long long>(sx.stx_blocks));
    c.print(", stx_attributes_mask=");
    print_flags(c, xlat_statx_attrs, sx.stx_attributes_mask);
    if (m & STATX_ATIME) print_statx_time(c, "stx_atime", sx.stx_atime);
    if (m & STATX_BTIME) print_statx_time(c, "stx_btime", sx.stx_btime);
    if (m & STATX_CTIME) print_statx_time(c, "stx_ctime", sx.stx_ctime);
    if (m & STATX_MTIME) print_statx_time(c, "stx_mtime", sx.stx_mtime);
    c.printf(", stx_rdev_major=%u, stx_rdev_minor=%u, stx_dev_major=%u, stx_dev_minor=%u",
             sx.stx_rdev_major, sx.stx_rdev_minor, sx.stx_dev_major, sx.stx_dev_minor);
    if (m & STATX_MNT_ID) c.printf(", stx_mnt_id=%#llx", static_cast<unsigned long long>(sx.stx_mnt_id));
    if (m & STATX_DIOALIGN)
      c.printf(", stx_dio_mem_align=%u, stx_dio_offset_align=%u", sx.stx_dio_mem_align, sx.stx_dio_offset_align);
    c.printc('}');
  });
}

void print_struct_statfs(const Call& c, uint64_t addr) {
  print_out_struct<struct statfs>(c, addr, [&c](const struct statfs& sf) {
    c.print("{f_type=");
    print_xval(c, xlat_fs_magic, static_cast<uint64_t>(sf.f_type));
    c.printf(", f_bsize=%lld, f_blocks=%llu, f_bfree=%llu, f_bavail=%llu, f_files=%llu, f_ffree=%llu",
             static_cast<long long>(sf.f_bsize), static_cast<unsigned long long>(sf.f_blocks),
             static_cast<unsigned long long>(sf.f_bfree), static_cast<unsigned long long>(sf.f_bavail),
             static_cast<unsigned long long>(sf.f_files), static_cast<unsigned long long>(sf.f_ffree));
    int fsid[2];
    memcpy(fsid, &sf.f_fsid, sizeof fsid);
    c.printf(", f_fsid={val=[%#x, %#x]}, f_namelen=%lld, f_frsize=%lld, f_flags=", static_cast<unsigned>(fsid[0]),
             static_cast<unsigned>(fsid[1]), static_cast<long long>(sf.f_namelen),
             static_cast<long long>(sf.f_frsize));
    print_flags(c, xlat_statfs_flags, static_cast<uint64_t>(sf.f_flags));
    c.printc('}');
  });
}

// ---------------------------------------------------------------- open and close

int sys_open(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_open_flags(c, c.arg_uint(1));  // an int to the kernel
  if (open_takes_mode(c.arg(1))) {
    c.print(", ");
    print_mode(c, c.arg_uint(2));
  }
  return RVAL_DECODED | RVAL_FD;
}

int sys_openat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_open_flags(c, c.arg_uint(2));
  if (open_takes_mode(c.arg(2))) {
    c.print(", ");
    print_mode(c, c.arg_uint(3));
  }
  return RVAL_DECODED | RVAL_FD;
}

int sys_creat(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_mode(c, c.arg_uint(1));
  return RVAL_DECODED | RVAL_FD;
}

// struct open_how: {flags=..., mode=..., resolve=...}; the mode only when it matters or is set, and
// bytes past the struct we know (when the caller passes a bigger size) in hex when not all zero.
void print_open_how(Call& c, uint64_t addr, uint64_t size) {
  struct open_how how;
  if (size < sizeof how || !read_obj(c, addr, &how)) {
    print_addr(c, addr);
    return;
  }
  c.print("{flags=");
  print_open_flags(c, how.flags);
  if (open_takes_mode(how.flags) || how.mode) {
    c.print(", mode=");
    c.printf("%#03llo", static_cast<unsigned long long>(how.mode));  // all 64 bits, as strace shows them
  }
  c.print(", resolve=");
  print_flags_or_unknown(c, xlat_resolve_flags, how.resolve, "RESOLVE_???");
  // The bytes of a larger struct past the ones we know, up to a page.
  if (size > sizeof how) print_nonzero_tail(c, addr, sizeof how, std::min<uint64_t>(size, 4096));
  c.printc('}');
}

int sys_openat2(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_open_how(c, c.arg(2), c.arg(3));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
  return RVAL_DECODED | RVAL_FD;
}

int sys_close(Call& c) {
  print_fd(c, c.arg_int(0));
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- read and write

// The data a read-like call returned: rval bytes of buf, or buf's address when it failed.
void print_read_buf(const Call& c, uint64_t buf) {
  if (c.failed())
    print_addr(c, buf);
  else
    print_buf(c, buf, static_cast<uint64_t>(c.rval));
}

int sys_read(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_read_buf(c, c.arg(1));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(2)));
  return 0;
}

int sys_write(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_buf(c, c.arg(1), c.arg(2));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(2)));
  return RVAL_DECODED;
}

int sys_pread64(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_read_buf(c, c.arg(1));
  c.printf(", %llu, %lld", static_cast<unsigned long long>(c.arg(2)), static_cast<long long>(c.arg(3)));
  return 0;
}

int sys_pwrite64(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_buf(c, c.arg(1), c.arg(2));
  c.printf(", %llu, %lld", static_cast<unsigned long long>(c.arg(2)), static_cast<long long>(c.arg(3)));
  return RVAL_DECODED;
}

// readv family at exit: the vectors filled with rval bytes in all.
void print_read_iov(const Call& c) {
  print_iov(c, c.arg(1), c.arg(2), c.failed() ? -1 : c.rval);
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(2)));
}

int sys_readv(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_read_iov(c);
  return 0;
}

int sys_writev(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_iov(c, c.arg(1), c.arg(2), -1);
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(2)));
  return RVAL_DECODED;
}

// preadv/pwritev pass the offset in two registers (low, high); on x86_64 the low one holds it all.
int sys_preadv(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  print_read_iov(c);
  c.printf(", %lld", static_cast<long long>(c.arg(3)));
  return 0;
}

int sys_pwritev(Call& c) {
  sys_writev(c);
  c.printf(", %lld", static_cast<long long>(c.arg(3)));
  return RVAL_DECODED;
}

int sys_preadv2(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  sys_preadv(c);
  c.print(", ");
  print_flags(c, xlat_rwf_flags, c.arg_uint(5));
  return 0;
}

int sys_pwritev2(Call& c) {
  sys_pwritev(c);
  c.print(", ");
  print_flags(c, xlat_rwf_flags, c.arg_uint(5));
  return RVAL_DECODED;
}

int sys_lseek(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %lld, ", static_cast<long long>(c.arg(1)));
  print_xval(c, xlat_seek_whence, c.arg_uint(2), "SEEK_???");
  return RVAL_DECODED;
}

int sys_sendfile(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    print_fd(c, c.arg_int(1));
    c.print(", ");
    if (c.arg(2) == 0) {
      c.printf("NULL, %llu", static_cast<unsigned long long>(c.arg(3)));
      return RVAL_DECODED;
    }
    int64_t off;
    if (!read_obj(c, c.arg(2), &off)) {
      print_addr(c, c.arg(2));
      c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
      return RVAL_DECODED;
    }
    c.printf("[%llu]", static_cast<unsigned long long>(off));
    return 0;
  }
  // The kernel moves the offset only when it copied something.
  uint64_t off;
  if (!c.failed() && c.rval != 0) {
    c.print(" => ");
    if (read_obj(c, c.arg(2), &off))
      c.printf("[%llu]", static_cast<unsigned long long>(off));
    else
      print_addr(c, c.arg(2));
  }
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
  return 0;
}

// An loff_t * argument read at entry: [N], NULL, or the address.
void print_loff_ptr(const Call& c, uint64_t addr) {
  int64_t v;
  if (addr && read_obj(c, addr, &v))
    c.printf("[%lld]", static_cast<long long>(v));
  else
    print_addr(c, addr);
}

int sys_copy_file_range(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_loff_ptr(c, c.arg(1));
  c.print(", ");
  print_fd(c, c.arg_int(2));
  c.print(", ");
  print_loff_ptr(c, c.arg(3));
  c.printf(", %llu, ", static_cast<unsigned long long>(c.arg(4)));
  print_hex(c, c.arg_uint(5));
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- stat family

// stat, lstat and statfs name a path, fstat and fstatfs a descriptor; at exit the struct the kernel
// filled in (argument 1) is printed by PrintStruct.
template <bool kByFd, void (*PrintStruct)(const Call&, uint64_t)> int sys_stat_like(Call& c) {
  if (c.entering()) {
    if (kByFd)
      print_fd(c, c.arg_int(0));
    else
      print_path(c, c.arg(0));
    c.print(", ");
    return 0;
  }
  PrintStruct(c, c.arg(1));
  return 0;
}

int sys_newfstatat(Call& c) {
  if (c.entering()) {
    print_dirfd(c, c.arg_int(0));
    c.print(", ");
    print_path(c, c.arg(1));
    c.print(", ");
    return 0;
  }
  print_struct_stat(c, c.arg(2));
  c.print(", ");
  print_flags(c, xlat_at_flags, c.arg_uint(3));
  return 0;
}

int sys_statx(Call& c) {
  if (c.entering()) {
    print_dirfd(c, c.arg_int(0));
    c.print(", ");
    print_path(c, c.arg(1));
    c.print(", ");
    // The sync type (two bits, AT_STATX_SYNC_AS_STAT when clear) always comes first.
    const unsigned flags = c.arg_uint(2);
    const unsigned sync_bits = AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC;
    print_flags(c, xlat_statx_sync_types, flags & sync_bits, xlat_lookup(xlat_statx_sync_types, 0));
    if (flags & ~sync_bits) {
      c.printc('|');
      print_flags(c, xlat_at_flags, flags & ~sync_bits, "0", "");  // strace names no unknown bits here
    }
    c.print(", ");
    print_flags(c, xlat_statx_masks, c.arg_uint(3));
    c.print(", ");
    return 0;
  }
  print_struct_statx(c, c.arg(4));
  return 0;
}

// ---------------------------------------------------------------- access, links, names

int sys_access(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_flags(c, xlat_access_modes, c.arg_uint(1), "F_OK");
  return RVAL_DECODED;
}

int sys_faccessat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_flags(c, xlat_access_modes, c.arg_uint(2), "F_OK");
  return RVAL_DECODED;
}

int sys_faccessat2(Call& c) {
  sys_faccessat(c);
  c.print(", ");
  print_flags(c, xlat_faccessat_flags, c.arg_uint(3));
  return RVAL_DECODED;
}

// The link text a readlink returned: rval bytes (not NUL-terminated), -s applies.
int sys_readlink(Call& c) {
  if (c.entering()) {
    print_path(c, c.arg(0));
    c.print(", ");
    return 0;
  }
  print_read_buf(c, c.arg(1));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(2)));
  return 0;
}

int sys_readlinkat(Call& c) {
  if (c.entering()) {
    print_dirfd(c, c.arg_int(0));
    c.print(", ");
    print_path(c, c.arg(1));
    c.print(", ");
    return 0;
  }
  print_read_buf(c, c.arg(2));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
  return 0;
}

// Two paths: rename, link, symlink.
int sys_two_paths(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_path(c, c.arg(1));
  return RVAL_DECODED;
}

int sys_renameat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_dirfd(c, c.arg_int(2));
  c.print(", ");
  print_path(c, c.arg(3));
  return RVAL_DECODED;
}

int sys_renameat2(Call& c) {
  sys_renameat(c);
  c.print(", ");
  print_flags(c, xlat_rename_flags, c.arg_uint(4));
  return RVAL_DECODED;
}

int sys_linkat(Call& c) {
  sys_renameat(c);
  c.print(", ");
  print_flags(c, xlat_at_flags, c.arg_uint(4));
  return RVAL_DECODED;
}

int sys_symlinkat(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_dirfd(c, c.arg_int(1));
  c.print(", ");
  print_path(c, c.arg(2));
  return RVAL_DECODED;
}

// One path: unlink, rmdir, chdir, chroot-like calls.
int sys_path(Call& c) {
  print_path(c, c.arg(0));
  return RVAL_DECODED;
}

int sys_unlinkat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_flags(c, xlat_at_flags, c.arg_uint(2));
  return RVAL_DECODED;
}

int sys_mkdir(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_mode(c, c.arg_uint(1));
  return RVAL_DECODED;
}

int sys_mkdirat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_mode(c, c.arg_uint(2));
  return RVAL_DECODED;
}

// mknod's mode carries the file type; the device number matters only for device nodes. The kernel
// takes the mode as umode_t (16 bits) and the device as a 32-bit unsigned: higher bits are ignored.
void print_mknod_tail(const Call& c, unsigned mode, uint64_t dev) {
  mode &= 0xffffu;
  dev = static_cast<uint32_t>(dev);
  print_mode(c, mode, true);
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    c.print(", ");
    print_dev_t(c, dev);
  }
}

int sys_mknod(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_mknod_tail(c, c.arg_uint(1), c.arg(2));
  return RVAL_DECODED;
}

int sys_mknodat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_mknod_tail(c, c.arg_uint(2), c.arg(3));
  return RVAL_DECODED;
}

// One descriptor and nothing else: fchdir, fsync, fdatasync, syncfs.
int sys_fd(Call& c) {
  print_fd(c, c.arg_int(0));
  return RVAL_DECODED;
}

int sys_getcwd(Call& c) {
  if (c.entering()) return 0;
  if (c.failed())
    print_addr(c, c.arg(0));
  else
    print_path(c, c.arg(0));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(1)));
  return 0;
}

// getdents/getdents64: the entry count by default, the entries with -v.
template <bool k64>
int sys_getdents(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  const uint64_t addr = c.arg(1);
  if (c.failed()) {
    print_addr(c, addr);
    c.printf(", %u", c.arg_uint(2));  // unsigned int count
    return 0;
  }
  const size_t len = static_cast<size_t>(c.rval);
  std::string buf(len, '\0');
  if (len && !read_mem(c, addr, &buf[0], len)) {
    print_addr(c, addr);
    c.printf(", %u", c.arg_uint(2));  // unsigned int count
    return 0;
  }
  // Both layouts start with 8-byte inode and offset and a 2-byte record length; getdents64 puts
  // d_type next, the old getdents keeps it in the record's last byte.
  constexpr size_t kHead = k64 ? 19 : 18;
  const bool verbose = c.opts->verbose;
  if (!verbose) print_addr(c, addr);
  else c.printc('[');
  size_t count = 0;
  for (size_t pos = 0; pos + kHead <= len;) {
    uint64_t ino, off;
    uint16_t reclen;
    memcpy(&ino, &buf[pos], 8);
    memcpy(&off, &buf[pos + 8], 8);
    memcpy(&reclen, &buf[pos + 16], 2);
    if (reclen < kHead || pos + reclen > len) break;
    if (verbose) {
      if (count) c.print(", ");
      if (count >= c.opts->max_array) {
        c.print("...");
        count++;
        break;
      }
      const unsigned char type = static_cast<unsigned char>(k64 ? buf[pos + 18] : buf[pos + reclen - 1]);
      const char* name = &buf[pos + kHead];
      const size_t name_max = reclen - kHead;
      c.printf("{d_ino=%llu, d_off=%llu, d_reclen=%u, ", static_cast<unsigned long long>(ino),
               static_cast<unsigned long long>(off), reclen);
      if (k64) {
        c.print("d_type=");
        print_xval(c, xlat_dirent_types, type);
        c.print(", d_name=");
        print_quoted(c, name, strnlen(name, name_max), false);
      } else {
        c.print("d_name=");
        print_quoted(c, name, strnlen(name, name_max), false);
        c.print(", d_type=");
        print_xval(c, xlat_dirent_types, type);
      }
      c.printc('}');
    }
    count++;
    pos += reclen;
  }
  if (verbose)
    c.printc(']');
  else
    c.printf(" /* %zu entries */", count);
  c.printf(", %u", c.arg_uint(2));  // unsigned int count
  return 0;
}

// ---------------------------------------------------------------- sizes, modes, owners

int sys_truncate(Call& c) {
  print_path(c, c.arg(0));
  c.printf(", %lld", static_cast<long long>(c.arg(1)));
  return RVAL_DECODED;
}

int sys_ftruncate(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %lld", static_cast<long long>(c.arg(1)));
  return RVAL_DECODED;
}

int sys_chmod(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_mode(c, c.arg_uint(1));
  return RVAL_DECODED;
}

int sys_fchmod(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_mode(c, c.arg_uint(1));
  return RVAL_DECODED;
}

int sys_fchmodat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_mode(c, c.arg_uint(2));
  return RVAL_DECODED;
}

int sys_fchmodat2(Call& c) {
  sys_fchmodat(c);
  c.print(", ");
  print_flags(c, xlat_at_flags, c.arg_uint(3));
  return RVAL_DECODED;
}

int sys_chown(Call& c) {  // chown, lchown
  print_path(c, c.arg(0));
  c.print(", ");
  print_id(c, c.arg_uint(1));
  c.print(", ");
  print_id(c, c.arg_uint(2));
  return RVAL_DECODED;
}

int sys_fchown(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_id(c, c.arg_uint(1));
  c.print(", ");
  print_id(c, c.arg_uint(2));
  return RVAL_DECODED;
}

int sys_fchownat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_id(c, c.arg_uint(2));
  c.print(", ");
  print_id(c, c.arg_uint(3));
  c.print(", ");
  print_flags(c, xlat_at_flags, c.arg_uint(4));
  return RVAL_DECODED;
}

int sys_umask(Call& c) {
  print_mode(c, c.arg_uint(0));
  return RVAL_DECODED | RVAL_OCTAL;
}

// ---------------------------------------------------------------- sync, advice, space, locks, times

int sys_sync(Call&) { return RVAL_DECODED; }

int sys_fadvise64(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %lld, %llu, ", static_cast<long long>(c.arg(1)), static_cast<unsigned long long>(c.arg(2)));
  print_xval(c, xlat_fadvise_advice, c.arg_uint(3), "POSIX_FADV_???");
  return RVAL_DECODED;
}

int sys_fallocate(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_flags(c, xlat_falloc_flags, c.arg_uint(1));
  c.printf(", %lld, %lld", static_cast<long long>(c.arg(2)), static_cast<long long>(c.arg(3)));
  return RVAL_DECODED;
}

int sys_flock(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_flags(c, xlat_flock_ops, c.arg_uint(1));
  return RVAL_DECODED;
}

// utimensat's times: NULL, or [atime, mtime] where each is UTIME_NOW, UTIME_OMIT or a dated timespec.
void print_utimens(const Call& c, uint64_t addr) {
  struct timespec ts[2];
  if (addr == 0 || !read_obj(c, addr, &ts)) {
    print_addr(c, addr);
    return;
  }
  c.printc('[');
  for (int i = 0; i < 2; i++) {
    if (i) c.print(", ");
    const bool special = ts[i].tv_nsec == UTIME_NOW || ts[i].tv_nsec == UTIME_OMIT;
    // UTIME_NOW and UTIME_OMIT are constants: the struct with -X raw, the struct and the name with
    // -X verbose.
    const XlatStyle st = xstyle(c);
    if (!special || st != XLAT_ABBREV)
      c.printf("{tv_sec=%lld, tv_nsec=%llu}", static_cast<long long>(ts[i].tv_sec),
               static_cast<unsigned long long>(ts[i].tv_nsec));
    if (!special)
      print_time_comment(c, ts[i].tv_sec, static_cast<uint64_t>(ts[i].tv_nsec));
    else if (st != XLAT_RAW)
      c.printf(st == XLAT_VERBOSE ? " /* %s */" : "%s", ts[i].tv_nsec == UTIME_NOW ? "UTIME_NOW" : "UTIME_OMIT");
  }
  c.printc(']');
}

int sys_utimensat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_utimens(c, c.arg(2));
  c.print(", ");
  print_flags(c, xlat_at_flags, c.arg_uint(3));
  return RVAL_DECODED;
}

// utimes/futimesat: NULL or [{tv_sec=1, tv_usec=2} /* date */, {...}].
void print_utimes(const Call& c, uint64_t addr) {
  struct timeval tv[2];
  if (addr == 0 || !read_obj(c, addr, &tv)) {
    print_addr(c, addr);
    return;
  }
  c.printc('[');
  for (int i = 0; i < 2; i++) {
    if (i) c.print(", ");
    c.printf("{tv_sec=%lld, tv_usec=%llu}", static_cast<long long>(tv[i].tv_sec),
             static_cast<unsigned long long>(tv[i].tv_usec));
    print_time_comment(c, tv[i].tv_sec, static_cast<uint64_t>(tv[i].tv_usec), true);
  }
  c.printc(']');
}

int sys_utime(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  struct {
    int64_t actime, modtime;
  } ub;
  if (c.arg(1) == 0 || !read_obj(c, c.arg(1), &ub)) {
    print_addr(c, c.arg(1));
    return RVAL_DECODED;
  }
  c.printf("{actime=%lld", static_cast<long long>(ub.actime));
  print_time_comment(c, ub.actime, 0);
  c.printf(", modtime=%lld", static_cast<long long>(ub.modtime));
  print_time_comment(c, ub.modtime, 0);
  c.printc('}');
  return RVAL_DECODED;
}

int sys_utimes(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_utimes(c, c.arg(1));
  return RVAL_DECODED;
}

int sys_futimesat(Call& c) {
  print_dirfd(c, c.arg_int(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  print_utimes(c, c.arg(2));
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- extended attributes

// The file an xattr call names: a path (setxattr, lsetxattr...) or a descriptor (fsetxattr...).
void print_xattr_target(const Call& c, bool by_fd) {
  if (by_fd)
    print_fd(c, c.arg_int(0));
  else
    print_path(c, c.arg(0));
  c.print(", ");
}

constexpr uint64_t kXattrSizeMax = 65536;  // XATTR_SIZE_MAX

// An attribute's value of size bytes: the address when the kernel would refuse that size (a failed
// getxattr's size is its -1). A value that ends in its NUL (a C string stored with it) is shown
// without it: "foo\0bar", not "foo\0bar\0".
void print_xattr_value(const Call& c, uint64_t addr, uint64_t size) {
  if (size > kXattrSizeMax) {
    print_addr(c, addr);
    return;
  }
  const uint64_t shown = std::min<uint64_t>(size, c.opts ? c.opts->strsize : Options().strsize);
  char last = 1;
  if (shown && read_mem(c, addr + shown - 1, &last, 1) && last == '\0')
    print_buf(c, addr, shown - 1);
  else
    print_buf(c, addr, size);
}

template <bool by_fd>
int sys_setxattr(Call& c) {
  print_xattr_target(c, by_fd);
  print_cstr(c, c.arg(1));
  c.print(", ");
  print_xattr_value(c, c.arg(2), c.arg(3));
  c.printf(", %llu, ", static_cast<unsigned long long>(c.arg(3)));
  print_flags(c, xlat_xattr_flags, c.arg_uint(4));
  return RVAL_DECODED;
}

template <bool by_fd>
int sys_getxattr(Call& c) {
  if (c.entering()) {
    print_xattr_target(c, by_fd);
    print_cstr(c, c.arg(1));
    c.print(", ");
    return 0;
  }
  print_xattr_value(c, c.arg(2), c.failed() ? UINT64_MAX : static_cast<uint64_t>(c.rval));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(3)));
  return 0;
}

// The names listxattr returned: rval bytes of NUL-separated names, shown as one buffer.
template <bool by_fd>
int sys_listxattr(Call& c) {
  if (c.entering()) {
    print_xattr_target(c, by_fd);
    return 0;
  }
  // A zero size asks only for the length the names need: nothing is written.
  if (c.arg(2) == 0)
    print_addr(c, c.arg(1));
  else
    print_read_buf(c, c.arg(1));
  c.printf(", %llu", static_cast<unsigned long long>(c.arg(2)));
  return 0;
}

template <bool by_fd>
int sys_removexattr(Call& c) {
  print_xattr_target(c, by_fd);
  print_cstr(c, c.arg(1));
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- read-ahead and range sync

int sys_readahead(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %lld, %llu", static_cast<long long>(c.arg(1)), static_cast<unsigned long long>(c.arg(2)));
  return RVAL_DECODED;
}

int sys_sync_file_range(Call& c) {
  print_fd(c, c.arg_int(0));
  c.printf(", %lld, %lld, ", static_cast<long long>(c.arg(1)), static_cast<long long>(c.arg(2)));
  print_flags(c, xlat_sync_file_range_flags, c.arg_uint(3));
  return RVAL_DECODED;
}

const NamedDecoder kFileDecoders[] = {
    {"open", sys_open},
    {"openat", sys_openat},
    {"openat2", sys_openat2},
    {"creat", sys_creat},
    {"close", sys_close},
    {"read", sys_read},
    {"write", sys_write},
    {"pread64", sys_pread64},
    {"pwrite64", sys_pwrite64},
    {"readv", sys_readv},
    {"writev", sys_writev},
    {"preadv", sys_preadv},
    {"pwritev", sys_pwritev},
    {"preadv2", sys_preadv2},
    {"pwritev2", sys_pwritev2},
    {"lseek", sys_lseek},
    {"sendfile", sys_sendfile},
    {"copy_file_range", sys_copy_file_range},
    {"stat", sys_stat_like<false, print_struct_stat>},
    {"lstat", sys_stat_like<false, print_struct_stat>},
    {"fstat", sys_stat_like<true, print_struct_stat>},
    {"newfstatat", sys_newfstatat},
    {"statx", sys_statx},
    {"statfs", sys_stat_like<false, print_struct_statfs>},
    {"fstatfs", sys_stat_like<true, print_struct_statfs>},
    {"access", sys_access},
    {"faccessat", sys_faccessat},
    {"faccessat2", sys_faccessat2},
    {"readlink", sys_readlink},
    {"readlinkat", sys_readlinkat},
    {"getdents", sys_getdents<false>},
    {"getdents64", sys_getdents<true>},
    {"mkdir", sys_mkdir},
    {"mkdirat", sys_mkdirat},
    {"mknod", sys_mknod},
    {"mknodat", sys_mknodat},
    {"unlink", sys_path},
    {"unlinkat", sys_unlinkat},
    {"rmdir", sys_path},
    {"rename", sys_two_paths},
    {"renameat", sys_renameat},
    {"renameat2", sys_renameat2},
    {"link", sys_two_paths},
    {"linkat", sys_linkat},
    {"symlink", sys_two_paths},
    {"symlinkat", sys_symlinkat},
    {"chdir", sys_path},
    {"fchdir", sys_fd},
    {"getcwd", sys_getcwd},
    {"truncate", sys_truncate},
    {"ftruncate", sys_ftruncate},
    {"chmod", sys_chmod},
    {"fchmod", sys_fchmod},
    {"fchmodat", sys_fchmodat},
    {"fchmodat2", sys_fchmodat2},
    {"chown", sys_chown},
    {"lchown", sys_chown},
    {"fchown", sys_fchown},
    {"fchownat", sys_fchownat},
    {"umask", sys_umask},
    {"fsync", sys_fd},
    {"fdatasync", sys_fd},
    {"syncfs", sys_fd},
    {"sync", sys_sync},
    {"fadvise64", sys_fadvise64},
    {"fallocate", sys_fallocate},
    {"flock", sys_flock},
    {"utimensat", sys_utimensat},
    {"utime", sys_utime},
    {"utimes", sys_utimes},
    {"futimesat", sys_futimesat},
    {"setxattr", sys_setxattr<false>},
    {"lsetxattr", sys_setxattr<false>},
    {"fsetxattr", sys_setxattr<true>},
    {"getxattr", sys_getxattr<false>},
    {"lgetxattr", sys_getxattr<false>},
    {"fgetxattr", sys_getxattr<true>},
    {"listxattr", sys_listxattr<false>},
    {"llistxattr", sys_listxattr<false>},
    {"flistxattr", sys_listxattr<true>},
    {"removexattr", sys_removexattr<false>},
    {"lremovexattr", sys_removexattr<false>},
    {"fremovexattr", sys_removexattr<true>},
    {"readahead", sys_readahead},
    {"sync_file_range", sys_sync_file_range},
};

}  // namespace

extern const DecoderFamily family_file = {kFileDecoders, sizeof kFileDecoders / sizeof kFileDecoders[0]};

}  // namespace decode
