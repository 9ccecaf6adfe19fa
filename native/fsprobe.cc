// File-system probes for the findings' evidence that node:fs lacks: a file's POSIX ACL (an
// extended attribute) and its immutable/append-only attributes (statx, so the file is never
// opened: opening a device or a FIFO to ask would have side effects). They may block on a hung
// mount like any file-system call, so they run in the prober child (src/engine/proc/probe.ts).
#include <napi.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <vector>

#include "fsprobe.h"

namespace fsprobe {

namespace {

Napi::Error fs_error(Napi::Env env, int err, const std::string& what) {
  Napi::Error e = Napi::Error::New(env, what + ": " + strerror(err));
  e.Set("errno", Napi::Number::New(env, err));
  return e;
}

// lgetxattr(path, name) -> Buffer, or null when the file has no such attribute (or the file
// system has none at all). Throws for other errors (ENOENT, EACCES...).
Napi::Value GetXattr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].ToString().Utf8Value();
  std::string name = info[1].ToString().Utf8Value();
  std::vector<char> buf(256);
  for (int tries = 0; tries < 4; tries++) {
    ssize_t n = lgetxattr(path.c_str(), name.c_str(), buf.data(), buf.size());
    if (n >= 0) return Napi::Buffer<char>::Copy(env, buf.data(), static_cast<size_t>(n));
    if (errno == ENODATA || errno == ENOTSUP) return env.Null();
    if (errno != ERANGE) throw fs_error(env, errno, "lgetxattr " + path);
    ssize_t want = lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
    if (want < 0) throw fs_error(env, errno, "lgetxattr " + path);
    buf.resize(static_cast<size_t>(want) + 64);
  }
  throw fs_error(env, ERANGE, "lgetxattr " + path);
}

// statxAttrs(path) -> { attributes, mask } (STATX_ATTR_* bits, not following a final symlink).
Napi::Value StatxAttrs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].ToString().Utf8Value();
  struct statx stx;
  memset(&stx, 0, sizeof stx);
  if (statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, &stx) != 0)
    throw fs_error(env, errno, "statx " + path);
  Napi::Object o = Napi::Object::New(env);
  o.Set("attributes", static_cast<double>(stx.stx_attributes));
  o.Set("mask", static_cast<double>(stx.stx_attributes_mask));
  return o;
}

}  // namespace

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("getXattr", Napi::Function::New(env, GetXattr));
  exports.Set("statxAttrs", Napi::Function::New(env, StatxAttrs));
}

}  // namespace fsprobe
