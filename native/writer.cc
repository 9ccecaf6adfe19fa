#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "tracer.h"

namespace engine {

namespace {
constexpr size_t kFlushAt = 64 * 1024;

int open_log(const std::string& path, bool append) {
  int fd;
  do {
    fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
  } while (fd < 0 && errno == EINTR);
  return fd;
}
}  // namespace

Writer::Writer(const Options& opts) : opts_(opts) {
  if (!opts.text) return;
  if (opts.out_path.empty()) {
    main_.fd = STDERR_FILENO;
  } else if (!opts.output_separately) {
    main_.fd = open_log(opts.out_path, opts_.append);
    main_.owned = true;
    if (main_.fd < 0) open_error_ = errno;
  }
}

Writer::~Writer() {
  flush();
  for (auto& [tid, o] : per_thread_)
    if (o.owned && o.fd >= 0) close(o.fd);
  if (main_.owned && main_.fd >= 0) close(main_.fd);
}

Writer::Out& Writer::out_for(Tcb& t) {
  if (!opts_.output_separately || opts_.out_path.empty()) return main_;
  auto it = per_thread_.find(t.tid);
  if (it != per_thread_.end()) return it->second;
  Out& o = per_thread_[t.tid];
  o.fd = open_log(opts_.out_path + "." + std::to_string(t.tid), opts_.append);
  o.owned = o.fd >= 0;
  return o;
}

void Writer::put(Out& o, const char* s, size_t n) {
  if (o.fd < 0) return;
  const void* nl = memrchr(s, '\n', n);
  o.col = nl ? n - (static_cast<const char*>(nl) - s) - 1 : o.col + n;
  o.buf.append(s, n);
  if (o.buf.size() >= kFlushAt) flush(o);
}

void Writer::flush(Out& o) {
  size_t off = 0;
  while (off < o.buf.size() && o.fd >= 0) {
    ssize_t n = write(o.fd, o.buf.data() + off, o.buf.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // a closed pipe or full disk: drop the output rather than stall the tracees
    }
    off += static_cast<size_t>(n);
  }
  o.buf.clear();
}

bool Writer::pending() const {
  if (!main_.buf.empty()) return true;
  for (auto& [tid, o] : per_thread_)
    if (!o.buf.empty()) return true;
  return false;
}

void Writer::flush() {
  flush(main_);
  for (auto& [tid, o] : per_thread_) flush(o);
}

// strace's rule: a line left open by one thread is closed with " <unfinished ...>" as soon as
// anything else is printed on the same output.
void Writer::end_open_line(Out& o, Tcb* except) {
  if (o.open_line && o.open_line != except) {
    put(o, " <unfinished ...>\n", 18);
    o.open_line = nullptr;
  }
}

void Writer::leader(Out& o, Tcb& t, unsigned nprocs) {
  end_open_line(o, nullptr);
  char buf[96];
  int n = 0;
  if (opts_.print_pid_prefix && !opts_.output_separately)
    n = snprintf(buf, sizeof buf, "%-5d ", t.tid);
  else if (nprocs > 1 && opts_.out_path.empty())
    n = snprintf(buf, sizeof buf, "[pid %5d] ", t.tid);
  if (n > 0) put(o, buf, static_cast<size_t>(n));
  if (opts_.tflag || opts_.rflag) {
    if (opts_.rflag) {
      uint64_t now = mono_ns();
      uint64_t d = last_leader_ns_ ? now - last_leader_ns_ : 0;
      last_leader_ns_ = now;
      n = snprintf(buf, sizeof buf, "%6llu.%06llu ", (unsigned long long)(d / 1000000000ull),
                   (unsigned long long)(d % 1000000000ull / 1000));
    } else {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      if (opts_.tflag >= 3) {
        n = snprintf(buf, sizeof buf, "%lld.%06ld ", (long long)ts.tv_sec, ts.tv_nsec / 1000);
      } else {
        struct tm tm;
        localtime_r(&ts.tv_sec, &tm);
        if (opts_.tflag == 2)
          n = snprintf(buf, sizeof buf, "%02d:%02d:%02d.%06ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
                       ts.tv_nsec / 1000);
        else
          n = snprintf(buf, sizeof buf, "%02d:%02d:%02d ", tm.tm_hour, tm.tm_min, tm.tm_sec);
      }
    }
    put(o, buf, static_cast<size_t>(n));
  }
}

void Writer::put_line(Out& o, Tcb& t, size_t from, size_t to) {
  const std::string& l = t.line;
  size_t at = t.rval_pos;
  if (at == std::string::npos || at < from || at >= to || l.compare(at, 3, " = ") != 0) {
    put(o, l.data() + from, to - from);
    return;
  }
  put(o, l.data() + from, at - from);
  size_t col = o.col;
  if (col + 1 < opts_.acolumn) {
    std::string pad(opts_.acolumn - col, ' ');
    put(o, pad);
    put(o, l.data() + at + 1, to - at - 1);
  } else {
    put(o, l.data() + at, to - at);
  }
}

void Writer::syscall_entry(Tcb& t, unsigned nprocs) {
  Out& o = out_for(t);
  leader(o, t, nprocs);
  put(o, t.line);
  t.written = t.line.size();
  o.open_line = &t;
}

void Writer::syscall_exit(Tcb& t, unsigned nprocs) {
  Out& o = out_for(t);
  size_t from = t.written <= t.line.size() ? t.written : t.line.size();
  if (t.written == 0) {
    leader(o, t, nprocs);
  } else if (o.open_line != &t) {
    leader(o, t, nprocs);
    put(o, "<... ");
    put(o, t.call.nr >= 0 ? decode::syscall_ent(t.call.nr).name : "syscall");
    put(o, " resumed>");
  }
  put_line(o, t, from, t.line.size());
  put(o, "\n", 1);
  o.open_line = nullptr;
  t.written = 0;
}

void Writer::event(Tcb& t, const std::string& text, unsigned nprocs) {
  Out& o = out_for(t);
  leader(o, t, nprocs);
  put(o, text);
  put(o, "\n", 1);
}

void Writer::detached(Tcb& t) {
  Out& o = out_for(t);
  if (o.open_line == &t && t.written) {
    put(o, " <detached ...>\n", 16);
    o.open_line = nullptr;
  }
  t.written = 0;
}

void Writer::forget(Tcb& t) {
  if (main_.open_line == &t) main_.open_line = nullptr;
  auto it = per_thread_.find(t.tid);
  if (it != per_thread_.end()) {
    flush(it->second);
    if (it->second.owned) close(it->second.fd);
    per_thread_.erase(it);
  }
}

void Writer::raw(const std::string& text) {
  end_open_line(main_, nullptr);
  if (main_.fd < 0 && opts_.output_separately && !opts_.out_path.empty()) {
    main_.fd = open_log(opts_.out_path, opts_.append);
    main_.owned = main_.fd >= 0;
  }
  put(main_, text);
}

}  // namespace engine
