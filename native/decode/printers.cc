// The shared printers: reading tracee memory and printing the values every family prints (strings,
// buffers, descriptors, paths, flags, modes, numbers, errnos). Output follows strace 6.1 byte for byte;
// the code is ours, the behaviour was checked against the installed strace.
#include "decoder.h"
#include "record_text.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../tables/generated/xlat.h"

namespace decode {

// Until decode/sockets.cc exists (another family's file), -yy falls back to "socket:[N]".
__attribute__((weak)) std::string socket_details(pid_t, uint64_t) { return std::string(); }

void Call::printf(const char* fmt, ...) const {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (static_cast<size_t>(n) < sizeof small) {
    out->append(small, static_cast<size_t>(n));
    return;
  }
  std::string big(static_cast<size_t>(n) + 1, '\0');
  va_start(ap, fmt);
  vsnprintf(&big[0], big.size(), fmt, ap);
  va_end(ap);
  big.resize(static_cast<size_t>(n));
  out->append(big);
}

// ---------------------------------------------------------------- tracee memory

namespace {

constexpr uint64_t kPage = 4096;

pid_t mem_pid(const Call& c) { return c.tid > 0 ? c.tid : c.pid; }

// /proc/PID/mem, for kernels or sandboxes where process_vm_readv is refused (ENOSYS, EPERM).
ssize_t read_proc_mem(pid_t pid, uint64_t addr, void* buf, size_t len) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/mem", static_cast<int>(pid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t done = 0;
  while (done < len) {
    ssize_t r = pread(fd, static_cast<char*>(buf) + done, len - done, static_cast<off_t>(addr + done));
    if (r <= 0) break;
    done += static_cast<size_t>(r);
  }
  close(fd);
  return done ? static_cast<ssize_t>(done) : -1;
}

// One read that may stop early; returns the bytes read, or -1 when nothing could be read.
ssize_t read_some(pid_t pid, uint64_t addr, void* buf, size_t len) {
  struct iovec local = {buf, len};
  struct iovec remote = {reinterpret_cast<void*>(addr), len};
  ssize_t r = process_vm_readv(pid, &local, 1, &remote, 1, 0);
  if (r >= 0) return r;
  if (errno == ENOSYS || errno == EPERM) return read_proc_mem(pid, addr, buf, len);
  return -1;
}

}  // namespace

size_t read_mem_partial(const Call& c, uint64_t addr, void* buf, size_t len) {
  // Page by page, so the readable head of a buffer that runs into an unmapped page is kept.
  size_t done = 0;
  pid_t pid = mem_pid(c);
  while (done < len) {
    uint64_t at = addr + done;
    size_t chunk = static_cast<size_t>(kPage - (at & (kPage - 1)));
    if (chunk > len - done) chunk = len - done;
    ssize_t r = read_some(pid, at, static_cast<char*>(buf) + done, chunk);
    if (r <= 0) break;
    done += static_cast<size_t>(r);
    if (static_cast<size_t>(r) < chunk) break;
  }
  return done;
}

void report(const Call& c, const char* fmt, ...) {
  if (!c.opts || !c.opts->report) return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n >= 0) c.opts->report(c.opts->report_ctx, buf);
}

bool read_mem(const Call& c, uint64_t addr, void* buf, size_t len) {
  if (len == 0) return true;
  if (addr == 0) return false;
  ssize_t r = read_some(mem_pid(c), addr, buf, len);
  if (r == static_cast<ssize_t>(len)) return true;
  size_t got = read_mem_partial(c, addr, buf, len);
  if (got == len) return true;
  // strace's umoven says so when only the head of the object could be read.
  if (got > 0) report(c, "umoven: short read (%zu < %zu) @%#llx", got, len, static_cast<unsigned long long>(addr));
  return false;
}

bool read_cstr(const Call& c, uint64_t addr, size_t max, std::string* s, bool* terminated) {
  s->clear();
  if (terminated) *terminated = false;
  if (addr == 0) return false;
  pid_t pid = mem_pid(c);
  char page[kPage];
  // Like strace, a string that runs into unreadable memory before its NUL (and before max) is
  // not printed at all: the caller prints the address instead.
  while (s->size() < max) {
    uint64_t at = addr + s->size();
    size_t chunk = static_cast<size_t>(kPage - (at & (kPage - 1)));
    if (chunk > max - s->size()) chunk = max - s->size();
    ssize_t r = read_some(pid, at, page, chunk);
    if (r <= 0) {
      // strace's umovestr: a string that went on into unreadable memory.
      if (!s->empty() && (errno == EFAULT || errno == EIO || errno == EPERM))
        report(c, "umovestr: short read (%zu < %zu) @%#llx: %s", s->size(), max, static_cast<unsigned long long>(addr),
               strerror(errno));
      return false;
    }
    const char* nul = static_cast<const char*>(memchr(page, '\0', static_cast<size_t>(r)));
    if (nul) {
      s->append(page, static_cast<size_t>(nul - page));
      if (terminated) *terminated = true;
      return true;
    }
    s->append(page, static_cast<size_t>(r));
  }
  return true;
}

// ---------------------------------------------------------------- numbers and addresses

void print_addr(const Call& c, uint64_t addr) {
  if (addr == 0)
    c.print("NULL");
  else
    c.printf("%#llx", static_cast<unsigned long long>(addr));
}

void print_id(const Call& c, uint32_t id) {
  if (id == UINT32_MAX)
    c.print("-1");
  else
    c.printf("%u", id);
}

void print_dec(const Call& c, int64_t v) { c.printf("%lld", static_cast<long long>(v)); }
void print_udec(const Call& c, uint64_t v) { c.printf("%llu", static_cast<unsigned long long>(v)); }
void print_hex(const Call& c, uint64_t v) { c.printf("%#llx", static_cast<unsigned long long>(v)); }

void print_int_ptr(const Call& c, uint64_t addr) {
  int v;
  if (addr == 0 || !read_obj(c, addr, &v)) {
    print_addr(c, addr);
    return;
  }
  c.printf("[%d]", v);
}

// ---------------------------------------------------------------- quoting

namespace {

bool is_printable(unsigned char ch) { return ch >= ' ' && ch < 0x7f; }

// Whether -x asks for the whole string in hex: any byte that is neither printable ASCII nor one of
// the C whitespace escapes (\t \n \v \f \r). With stop_at_nul only the part before the NUL counts.
bool wants_hex(const unsigned char* s, size_t len, bool stop_at_nul) {
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = s[i];
    if (stop_at_nul && ch == 0) break;
    if (ch > 0x7e) return true;
    if (ch < ' ' && (ch < '\t' || ch > '\r')) return true;
  }
  return false;
}

// Quote len bytes into out without the surrounding quotes. extra_escapes lists printable characters
// to write in octal anyway (print_fd escapes '<' and '>'). Returns true when a NUL ended the text
// early (stop_at_nul only).
bool quote_into(std::string* out, const Options& o, const char* data, size_t len, bool stop_at_nul,
                const char* extra_escapes) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(data);
  bool hex = o.xflag == 2 || (o.xflag == 1 && wants_hex(s, len, stop_at_nul));
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = s[i];
    if (stop_at_nul && ch == 0) return true;
    if (hex) {
      out->append("\\x");
      out->push_back(kHex[ch >> 4]);
      out->push_back(kHex[ch & 15]);
      continue;
    }
    switch (ch) {
      case '"': out->append("\\\""); continue;
      case '\\': out->append("\\\\"); continue;
      case '\t': out->append("\\t"); continue;
      case '\n': out->append("\\n"); continue;
      case '\v': out->append("\\v"); continue;
      case '\f': out->append("\\f"); continue;
      case '\r': out->append("\\r"); continue;
      default: break;
    }
    if (is_printable(ch) && !(extra_escapes && strchr(extra_escapes, ch))) {
      out->push_back(static_cast<char>(ch));
      continue;
    }
    if (o.xflag == 3) {
      // --strings-in-hex=non-ascii-chars: only the bytes that need an escape, in hex.
      out->append("\\x");
      out->push_back(kHex[ch >> 4]);
      out->push_back(kHex[ch & 15]);
      continue;
    }
    // Octal, as short as possible unless the next byte is an octal digit that would be read as
    // part of the escape; then all three digits.
    out->push_back('\\');
    bool next_is_octal = i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7';
    if (next_is_octal || ch >= 0100) out->push_back(static_cast<char>('0' + (ch >> 6)));
    if (next_is_octal || ch >= 010) out->push_back(static_cast<char>('0' + ((ch >> 3) & 7)));
    out->push_back(static_cast<char>('0' + (ch & 7)));
  }
  return false;
}

const Options& opts_of(const Call& c) {
  static const Options kDefaults;
  return c.opts ? *c.opts : kDefaults;
}

// -s, or for the TUI's records (Options::marks) the longest -s its display can pick: the string is
// marked (mark_cut_string) and cut again when it is drawn. Every complete string is a string as
// strace prints it at any -s, and a cut one ("..." after it) is cut at any -s up to where it was.
unsigned marked_strsize(const Call& c) {
  const Options& o = opts_of(c);
  return o.marks && o.marks_strsize > o.strsize ? o.marks_strsize : o.strsize;
}

void mark_cut_string(const Call& c) {
  if (opts_of(c).marks && !opts_of(c).redact) c.printc(kMarkCutString);
}

}  // namespace

bool redacting(const Call& c) { return opts_of(c).redact; }
bool structs_decoded(const Call& c) { return opts_of(c).decode_structs; }

void print_redacted(const Call& c, uint64_t bytes, bool at_least) {
  if (bytes == 0 && !at_least) {
    c.print("\"\"");
    return;
  }
  c.printf("\"...\"<%llu%s byte%s>", static_cast<unsigned long long>(bytes), at_least ? "+" : "",
           bytes == 1 && !at_least ? "" : "s");
}

void print_quoted(const Call& c, const char* data, size_t len, bool truncated, bool stop_at_nul) {
  if (redacting(c)) {
    print_redacted(c, stop_at_nul ? strnlen(data, len) : len, truncated);
    return;
  }
  c.printc('"');
  quote_into(c.out, opts_of(c), data, len, stop_at_nul, nullptr);
  c.printc('"');
  if (truncated) c.print("...");
}

void print_path(const Call& c, uint64_t addr) {
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  std::string s;
  bool terminated = false;
  // PATH_MAX - 1 characters at most, and one more to tell whether the path goes on.
  if (!read_cstr(c, addr, PATH_MAX, &s, &terminated)) {
    print_addr(c, addr);
    return;
  }
  bool more = !terminated;
  if (s.size() > PATH_MAX - 1) s.resize(PATH_MAX - 1);
  print_quoted(c, s.data(), s.size(), more);
  if (c.collect_targets) c.seen_paths.push_back(s);
}

void print_cstr(const Call& c, uint64_t addr) {
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  // --redact prints the length: read the whole string (up to PATH_MAX) to know it.
  const unsigned max = redacting(c) ? PATH_MAX : marked_strsize(c);
  std::string s;
  bool terminated = false;
  // A string of exactly -s characters is complete when its NUL follows: read one byte more.
  if (!read_cstr(c, addr, static_cast<size_t>(max) + 1, &s, &terminated)) {
    print_addr(c, addr);
    return;
  }
  bool more = !terminated && s.size() > max;
  if (s.size() > max) s.resize(max);
  mark_cut_string(c);
  print_quoted(c, s.data(), s.size(), more);
}

void print_str_ex(const Call& c, uint64_t addr, uint64_t len, bool nul_terminated) {
  if (addr == 0) {
    c.print("NULL");
    return;
  }
  if (redacting(c) && !nul_terminated) {
    // The buffer's whole length, whatever -s cuts at; none of its bytes is read.
    print_redacted(c, len, false);
    return;
  }
  // --redact prints a string's length: read the whole string (up to PATH_MAX) to know it.
  const uint64_t max = redacting(c) ? PATH_MAX : marked_strsize(c);
  // One byte more than -s shows whether the string goes on.
  size_t size = static_cast<size_t>(len < max + 1 ? len : max + 1);
  std::string s;
  bool terminated = false;
  if (nul_terminated) {
    if (!read_cstr(c, addr, size, &s, &terminated)) {
      print_addr(c, addr);
      return;
    }
  } else {
    s.resize(size);
    if (size && !read_mem(c, addr, &s[0], size)) {
      print_addr(c, addr);
      return;
    }
  }
  if (s.size() > max) s.resize(static_cast<size_t>(max));
  // A string without its NUL in reach, or a buffer longer than -s, goes on after what is shown.
  const bool more = nul_terminated ? !terminated && len != 0 : len > max;
  mark_cut_string(c);
  print_quoted(c, s.data(), s.size(), more);
}

void print_buf(const Call& c, uint64_t addr, uint64_t len) { print_str_ex(c, addr, len, false); }

namespace {
// c as it is, except that strings print in hex (-xx).
Call in_hex(const Call& c, Options* hex) {
  *hex = opts_of(c);
  hex->xflag = 2;
  Call tmp;
  tmp.pid = c.pid;
  tmp.tid = c.tid;
  tmp.exiting = c.exiting;
  tmp.error = c.error;
  tmp.opts = hex;
  tmp.out = c.out;
  return tmp;
}
}  // namespace

void print_hex_bytes(const Call& c, const void* data, size_t len) {
  Options hex;
  print_quoted(in_hex(c, &hex), static_cast<const char*>(data), len, false);
}

void print_buf_hex(const Call& c, uint64_t addr, uint64_t len) {
  Options hex;
  print_buf(in_hex(c, &hex), addr, len);
}

bool print_nonzero_tail(const Call& c, uint64_t addr, uint64_t start, uint64_t end, const char* lead) {
  if (start >= end) return false;
  std::string bytes(static_cast<size_t>(end - start), '\0');
  if (!read_mem(c, addr + start, &bytes[0], bytes.size())) {
    c.print(lead);
    c.print("???");
    return true;
  }
  if (bytes.find_first_not_of('\0') == std::string::npos) return false;
  c.print(lead);
  c.printf("/* bytes %llu..%llu */ ", static_cast<unsigned long long>(start),
           static_cast<unsigned long long>(end - 1));
  const size_t max = opts_of(c).strsize;
  const size_t n = bytes.size() < max ? bytes.size() : max;
  print_hex_bytes(c, bytes.data(), n);
  if (n < bytes.size()) c.print("...");
  return true;
}

void print_iov(const Call& c, uint64_t addr, uint64_t count, int64_t data_len) {
  // A failed call's buffers hold nothing worth showing: their addresses, as strace prints them.
  const bool contents = !c.failed();
  print_iov_with(c, addr, count, data_len, [&](uint64_t base, uint64_t n) {
    if (contents)
      print_buf(c, base, n);
    else
      print_addr(c, base);
  });
}

// ---------------------------------------------------------------- descriptors

std::string fd_link(pid_t pid, int fd) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/fd/%d", static_cast<int>(pid), fd);
  char target[PATH_MAX + 1];
  ssize_t n = readlink(path, target, sizeof target - 1);
  if (n < 0) return std::string();
  return std::string(target, static_cast<size_t>(n));
}

namespace {

// The -y text inside <...>: the link target with '<' and '>' escaped so the brackets stay unambiguous.
void print_fd_path(const Call& c, const std::string& path) {
  // --redact: a file's path is a string like any other; pipe:[N], socket:[N]... say no more than the fd.
  if (redacting(c) && !path.empty() && path[0] == '/') {
    print_redacted(c, path.size(), false);
    return;
  }
  quote_into(c.out, opts_of(c), path.data(), path.size(), false, "<>");
}

// -yy: "/dev/null<char 1:3>" for device files.
bool print_device(const Call& c, const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) return false;
  print_fd_path(c, path);
  c.printf("<%s %u:%u>", S_ISBLK(st.st_mode) ? "block" : "char", major(st.st_rdev), minor(st.st_rdev));
  return true;
}

// -yy: "TCP:[...]" for sockets whose endpoints the socket family can describe.
bool print_socket(const Call& c, pid_t owner, const std::string& path) {
  static const char kPrefix[] = "socket:[";
  if (path.compare(0, sizeof kPrefix - 1, kPrefix) != 0) return false;
  uint64_t inode = strtoull(path.c_str() + sizeof kPrefix - 1, nullptr, 10);
  std::string details = socket_details(owner, inode);
  if (details.empty()) return false;
  c.print(details);
  return true;
}

const char kPidfdLink[] = "anon_inode:[pidfd]";

// The Pid: line of a pidfd's fdinfo (0 when there is none).
pid_t pidfd_fdinfo_pid(pid_t pid, int fd) {
  char name[64];
  snprintf(name, sizeof name, "/proc/%d/fdinfo/%d", static_cast<int>(pid), fd);
  FILE* f = fopen(name, "re");
  if (!f) return 0;
  char line[256];
  int target = 0;
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, "Pid:\t%d", &target) == 1) break;
  }
  fclose(f);
  return target > 0 ? target : 0;
}

// -yy: "pid:1234" for a pidfd.
bool print_pidfd(const Call& c, pid_t owner, int fd, const std::string& path) {
  if (path != kPidfdLink) return false;
  const pid_t target = pidfd_fdinfo_pid(owner, fd);
  if (!target) return false;
  c.printf("pid:%d", target);
  return true;
}

// A deleted file's link ends in " (deleted)": strace shows it after the brackets, </memfd:x>(deleted).
// A file really named "x (deleted)" keeps its name: the link then leads to the same inode as the path.
bool strip_deleted_suffix(pid_t pid, int fd, std::string* path) {
  static const char kDeleted[] = " (deleted)";
  const size_t len = sizeof kDeleted - 1;
  if (path->size() <= len || path->compare(path->size() - len, len, kDeleted) != 0) return false;
  char link[64];
  snprintf(link, sizeof link, "/proc/%d/fd/%d", static_cast<int>(pid), fd);
  struct stat by_link, by_path;
  if (stat(link, &by_link) != 0) return false;
  if (lstat(path->c_str(), &by_path) == 0 && by_link.st_ino == by_path.st_ino && by_link.st_dev == by_path.st_dev)
    return false;
  path->resize(path->size() - len);
  return true;
}

// The <...> of descriptor fd (its link target `path`) as the DECODE_FD_* bits `bits` have it, "" for none.
std::string fd_decoration(const Call& c, pid_t owner, int fd, const std::string& path, bool deleted, unsigned bits) {
  // The first of socket endpoints, device numbers, pidfd target and path that is asked for and known.
  std::string inner = capture(const_cast<Call&>(c), [&] {
    if ((bits & DECODE_FD_SOCKET) && print_socket(c, owner, path)) return;
    if ((bits & DECODE_FD_DEV) && print_device(c, path)) return;
    if ((bits & DECODE_FD_PIDFD) && print_pidfd(c, owner, fd, path)) return;
    if (bits & DECODE_FD_PATH) print_fd_path(c, path);
  });
  if (inner.empty()) return inner;
  return "<" + inner + (deleted ? ">(deleted)" : ">");
}

// The TUI's records: both forms of a decoration, marked (record_text.h): the -y one, then the -yy
// one unless it is the same.
void print_marked_forms(const Call& c, const std::string& y, const std::string& yy) {
  if (y.empty() && yy.empty()) return;
  c.printc(kMarkFd);
  c.print(y);
  if (yy != y) {
    c.printc(kMarkFdFull);
    // A device's -yy form is its -y form with more before the last '>': only that is kept.
    if (!y.empty() && y.back() == '>' && yy.size() > y.size() && yy.compare(0, y.size() - 1, y, 0, y.size() - 1) == 0) {
      c.printc(kFdFullExtends);
      c.out->append(yy, y.size() - 1, std::string::npos);
    } else {
      c.print(yy);
    }
  }
  c.printc(kMarkFdEnd);
}

// The <...> of descriptor fd of process owner (tid: the thread to ask when the process has no
// entry for it, 0 for none), after its number.
void print_fd_decoration(const Call& c, pid_t owner, pid_t tid, int fd) {
  const Options& o = opts_of(c);
  if ((o.decode_fds == 0 && !o.marks) || fd < 0 || owner <= 0) return;
  // Our pids, as /proc numbers them (another namespace's /proc numbers them otherwise).
  owner = proc_pid(owner);
  if (tid > 0) tid = proc_pid(tid);
  std::string path = fd_link(owner, fd);
  if (path.empty() && tid > 0 && tid != owner) path = fd_link(tid, fd);
  if (path.empty()) return;
  const bool deleted = strip_deleted_suffix(owner, fd, &path);
  if (o.marks) {
    print_marked_forms(c, fd_decoration(c, owner, fd, path, deleted, DECODE_FD_PATH),
                       fd_decoration(c, owner, fd, path, deleted, o.marks_fds));
    return;
  }
  c.print(fd_decoration(c, owner, fd, path, deleted, o.decode_fds));
}

}  // namespace

void print_fd(const Call& c, int fd) {
  if (c.collect_targets) c.seen_fds.push_back(fd);
  c.printf("%d", fd);
  print_fd_decoration(c, c.pid, c.tid, fd);
}

void print_fd_of(const Call& c, pid_t owner, int fd) {
  c.printf("%d", fd);
  print_fd_decoration(c, owner, 0, fd);
}

pid_t pidfd_target(pid_t pid, int fd) {
  if (pid <= 0 || fd < 0) return 0;
  pid = proc_pid(pid);
  if (fd_link(pid, fd) != kPidfdLink) return 0;
  return pidfd_fdinfo_pid(pid, fd);
}

void print_dirfd(const Call& c, int fd) {
  if (fd != AT_FDCWD) {
    print_fd(c, fd);
    return;
  }
  print_const(c, static_cast<uint64_t>(static_cast<int64_t>(AT_FDCWD)), "AT_FDCWD", FMT_DEC);
  // With -y strace shows the working directory the relative path is resolved against.
  const Options& o = opts_of(c);
  if (!((o.marks ? DECODE_FD_PATH : o.decode_fds) & DECODE_FD_PATH) || c.pid <= 0) return;
  char link[64];
  snprintf(link, sizeof link, "/proc/%d/cwd", static_cast<int>(c.pid));
  char target[PATH_MAX + 1];
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 0) return;
  std::string cwd = capture(const_cast<Call&>(c), [&] {
    c.printc('<');
    print_fd_path(c, std::string(target, static_cast<size_t>(n)));
    c.printc('>');
  });
  if (o.marks)
    print_marked_forms(c, cwd, o.marks_fds & DECODE_FD_PATH ? cwd : std::string());
  else
    c.print(cwd);
}

// ---------------------------------------------------------------- flags, values, modes

XlatStyle xstyle(const Call& c) {
  if (c.names_only) return XLAT_ABBREV;
  if (c.style_override >= 0) return static_cast<XlatStyle>(c.style_override);
  return opts_of(c).xstyle;
}

XlatStyle verbose_unless_raw(const Call& c) { return xstyle(c) == XLAT_RAW ? XLAT_RAW : XLAT_VERBOSE; }

void print_val(const Call& c, uint64_t val, ValFmt fmt) {
  switch (fmt) {
    case FMT_HEX: c.printf("%#llx", static_cast<unsigned long long>(val)); return;
    case FMT_DEC: c.printf("%lld", static_cast<long long>(val)); return;
    case FMT_UDEC: c.printf("%llu", static_cast<unsigned long long>(val)); return;
    case FMT_OCT: c.printf("%#llo", static_cast<unsigned long long>(val)); return;
  }
}

void print_const(const Call& c, uint64_t val, const char* name, ValFmt fmt) {
  const XlatStyle st = xstyle(c);
  if (!name || st != XLAT_ABBREV) print_val(c, val, fmt);
  if (!name || st == XLAT_RAW) return;
  if (st == XLAT_VERBOSE)
    c.printf(" /* %s */", name);
  else
    c.print(name);
}

namespace {

// The names of val's known bits in the table's order, then what is left in hex (A|B|0x40); "" when
// no bit is known.
std::string known_bit_names(const Xlat& x, uint64_t val) {
  std::string names;
  uint64_t left = val;
  for (size_t i = 0; i < x.n && left; i++) {
    const uint64_t v = x.e[i].val;
    if (v == 0 || (left & v) != v) continue;
    if (!names.empty()) names.push_back('|');
    names.append(x.e[i].name);
    left &= ~v;
  }
  if (!names.empty() && left) {
    char hex[24];
    snprintf(hex, sizeof hex, "|%#llx", static_cast<unsigned long long>(left));
    names.append(hex);
  }
  return names;
}

}  // namespace

void print_flags(const Call& c, const Xlat& x, uint64_t val, const char* zero, const char* unknown) {
  const XlatStyle st = xstyle(c);
  if (val == 0) {
    // "0" and "" print as they are in every style; a name for 0 is a constant like any other.
    if (!zero || !*zero || strcmp(zero, "0") == 0)
      c.print(zero ? zero : "");
    else
      print_const(c, 0, zero, FMT_UDEC);
    return;
  }
  if (st == XLAT_RAW) {
    print_val(c, val, FMT_HEX);
    return;
  }
  const std::string names = known_bit_names(x, val);
  if (st == XLAT_VERBOSE) print_val(c, val, FMT_HEX);
  if (!names.empty()) {
    if (st == XLAT_VERBOSE)
      c.printf(" /* %s */", names.c_str());
    else
      c.print(names);
    return;
  }
  if (st != XLAT_VERBOSE) print_val(c, val, FMT_HEX);
  if (!unknown) unknown = x.unknown;
  if (unknown && *unknown) c.printf(" /* %s */", unknown);
}

std::string flags_note(const Call& c, const Xlat& x, uint64_t val, const char* zero_name) {
  if (xstyle(c) == XLAT_RAW) return std::string();
  if (val == 0) return zero_name ? zero_name : "";
  return known_bit_names(x, val);
}

namespace {

// strace's printxval: the name, or the number and then /* dflt */; -X raw: the number; -X verbose:
// the number and the name (or dflt) in a comment.
void print_xval_fmt(const Call& c, const Xlat& x, uint64_t val, const char* dflt, ValFmt fmt) {
  const XlatStyle st = xstyle(c);
  if (st == XLAT_RAW) {
    print_val(c, val, fmt);
    return;
  }
  const char* name = xlat_lookup(x, val);
  if (name && st == XLAT_ABBREV) {
    c.print(name);
    return;
  }
  print_val(c, val, fmt);
  if (name)
    c.printf(" /* %s */", name);
  else if (dflt)
    c.printf(" /* %s */", dflt);
}

}  // namespace

void print_xval(const Call& c, const Xlat& x, uint64_t val, const char* dflt) { print_xval_fmt(c, x, val, dflt, FMT_HEX); }

void print_xval_d(const Call& c, const Xlat& x, int64_t val, const char* dflt) {
  print_xval_fmt(c, x, static_cast<uint64_t>(val), dflt, FMT_DEC);
}

void print_xval_u(const Call& c, const Xlat& x, uint64_t val, const char* dflt) { print_xval_fmt(c, x, val, dflt, FMT_UDEC); }

void print_dev_t(const Call& c, uint64_t dev) {
  print_composite(c, dev, FMT_HEX, [&] {
    c.printf("makedev(%#x, %#x)", major(static_cast<dev_t>(dev)), minor(static_cast<dev_t>(dev)));
  });
}

void print_mode(const Call& c, unsigned mode, bool with_type) {
  if (!with_type) {
    // open/mkdir/chmod/umask: the number in octal, at least three digits (000, 0644, 04755), cut to
    // the kernel's umode_t (16 bits) as strace does.
    c.printf("%#03o", mode & 0xffffu);
    return;
  }
  // stat's st_mode and mknod: S_IFREG|S_ISUID|0755; anything unexpected as a plain octal number.
  const unsigned type = mode & S_IFMT;
  const char* tname = type ? xlat_lookup(xlat_file_types, type) : "";
  if (!tname) {
    c.printf("%#03o", mode);
    return;
  }
  const XlatStyle st = xstyle(c);
  if (st != XLAT_ABBREV) c.printf("%#03o", mode);
  if (st == XLAT_RAW) return;
  if (st == XLAT_VERBOSE) c.print(" /* ");
  c.print(tname);
  if (*tname) c.printc('|');
  for (size_t i = 0; i < xlat_mode_bits.n; i++)
    if (mode & xlat_mode_bits.e[i].val) {
      c.print(xlat_mode_bits.e[i].name);
      c.printc('|');
    }
  c.printf("%#03o", mode & ~(S_IFMT | S_ISUID | S_ISGID | S_ISVTX));
  if (st == XLAT_VERBOSE) c.print(" */");
}

// ---------------------------------------------------------------- errno

namespace {

struct ErrnoInfo {
  int num;
  const char* name;
  const char* text;
};
// errno_list.h guards itself with #pragma once, so it is expanded exactly once, into this table.
const ErrnoInfo kErrnos[] = {
#define ERRNO(num, name, text) {num, #name, text},
#include "../tables/generated/errno_list.h"
#undef ERRNO
};

const ErrnoInfo* find_errno(int err) {
  for (const ErrnoInfo& e : kErrnos)
    if (e.num == err) return &e;
  return nullptr;
}

}  // namespace

const char* errno_name(int err) {
  const ErrnoInfo* e = find_errno(err);
  return e ? e->name : nullptr;
}

const char* errno_text(int err) {
  const ErrnoInfo* e = find_errno(err);
  return e ? e->text : nullptr;
}

void print_errno_val(const Call& c, int64_t err, bool negated) {
  const char* name = errno_name(static_cast<int>(negated ? -err : err));
  const XlatStyle st = xstyle(c);
  if (!name || st != XLAT_ABBREV) print_val(c, static_cast<uint64_t>(err), negated ? FMT_DEC : FMT_UDEC);
  if (!name || st == XLAT_RAW) return;
  c.printf(st == XLAT_VERBOSE ? " /* %s%s */" : "%s%s", negated ? "-" : "", name);
}

void print_time_comment(const Call& c, int64_t sec, uint64_t frac, bool usec) {
  if (sec == 0 && frac == 0) return;
  if (frac >= (usec ? 1000000u : 1000000000u)) return;  // not a time
  time_t t = static_cast<time_t>(sec);
  struct tm tm;
  if (!localtime_r(&t, &tm)) return;
  char date[64], zone[16];
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  strftime(zone, sizeof zone, "%z", &tm);
  if (frac)
    c.printf(usec ? " /* %s.%06u%s */" : " /* %s.%09u%s */", date, static_cast<unsigned>(frac), zone);
  else
    c.printf(" /* %s%s */", date, zone);
}

void print_char(const Call& c, unsigned char ch, bool esc_ws) {
  c.printc('\'');
  if (ch >= ' ' && ch <= '~') {
    if (ch == '\'' || ch == '\\') c.printc('\\');
    c.printc(static_cast<char>(ch));
  } else if (esc_ws && ch >= '\t' && ch <= '\r') {
    c.printc('\\');
    c.printc("tnvfr"[ch - '\t']);
  } else {
    c.printf("\\x%02x", ch);
  }
  c.printc('\'');
}

// ---------------------------------------------------------------- the TUI's record text

namespace {

// The bytes of the quoted string that starts at text[q] (a '"'), as quote_into wrote them; *end is
// where it ends (after its closing quote).
std::string unquote(const std::string& text, size_t q, size_t* end) {
  std::string bytes;
  size_t j = q + 1;
  auto hex_digit = [](char ch) { return isxdigit(static_cast<unsigned char>(ch)) != 0; };
  while (j < text.size() && text[j] != '"') {
    if (text[j] != '\\' || j + 1 >= text.size()) {
      bytes.push_back(text[j++]);
      continue;
    }
    const char e = text[j + 1];
    if (e == 'x' && j + 3 < text.size() && hex_digit(text[j + 2]) && hex_digit(text[j + 3])) {
      bytes.push_back(static_cast<char>(strtoul(text.substr(j + 2, 2).c_str(), nullptr, 16)));
      j += 4;
    } else if (e >= '0' && e <= '7') {
      size_t k = j + 1;
      unsigned v = 0;
      while (k < text.size() && k < j + 4 && text[k] >= '0' && text[k] <= '7') v = v * 8 + (text[k++] - '0');
      bytes.push_back(static_cast<char>(v & 0xff));
      j = k;
    } else {
      static const char kFrom[] = "tnvfr", kTo[] = "\t\n\v\f\r";
      const char* at = strchr(kFrom, e);
      bytes.push_back(at && e ? kTo[at - kFrom] : e);
      j += 2;
    }
  }
  *end = j < text.size() ? j + 1 : j;
  return bytes;
}

}  // namespace

void render_record_text(const std::string& text, size_t from, size_t len, const TextForm& form, std::string* out) {
  if (len > text.size()) len = text.size();
  Options quoting;
  quoting.xflag = form.xflag;
  size_t i = from;
  while (i < len) {
    const size_t m = text.find_first_of("\x01\x02", i, 2);
    if (m == std::string::npos || m >= len) {
      out->append(text, i, len - i);
      break;
    }
    out->append(text, i, m - i);
    if (text[m] == kMarkCutString) {
      size_t end = m + 1;
      if (end >= len || text[end] != '"') {
        i = end;
        continue;
      }
      const std::string bytes = unquote(text, end, &end);
      const bool went_on = text.compare(end, 3, "...") == 0;
      if (bytes.size() <= form.strsize) {
        out->append(text, m + 1, end - m - 1);  // as it was quoted
      } else {
        out->push_back('"');
        quote_into(out, quoting, bytes.data(), form.strsize, false, nullptr);
        out->push_back('"');
        if (!went_on) out->append("...");
      }
      i = end;
      continue;
    }
    // A descriptor's forms: the -y one up to kMarkFdFull (or the end), the -yy one after it.
    const size_t close = text.find(kMarkFdEnd, m);
    const size_t stop = close == std::string::npos ? len : close;
    const size_t full = text.find(kMarkFdFull, m);
    const size_t y_end = full < stop ? full : stop;
    if (form.fds == 1 || (form.fds == 2 && full >= stop)) {
      out->append(text, m + 1, y_end - m - 1);
    } else if (form.fds == 2 && full + 1 < stop && text[full + 1] == kFdFullExtends) {
      out->append(text, m + 1, y_end - m - 2);  // the -y form without its last '>'
      out->append(text, full + 2, stop - full - 2);
    } else if (form.fds == 2) {
      out->append(text, full + 1, stop - full - 1);
    }
    i = stop + 1;
  }
}

}  // namespace decode
