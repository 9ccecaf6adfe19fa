#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <cstdio>
#include <cstring>

#include "tracer.h"

namespace engine {

namespace {
constexpr size_t kFlushAt = 64 * 1024;

int open_log(const std::string& path, bool append, unsigned mode) {
  int fd;
  do {
    fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}
}  // namespace

// -o '|COMMAND' (or '!COMMAND'): the trace goes to `sh -c COMMAND` on its standard input, as strace
// does it; returns the pipe's write end and the shell's pid, or -1 with errno.
int open_pipe_to(const std::string& command, pid_t* pid) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return -1;
  pid_t child = fork();
  if (child < 0) {
    int e = errno;
    close(fds[0]);
    close(fds[1]);
    errno = e;
    return -1;
  }
  if (child == 0) {
    // Only async-signal-safe calls from here: the parent has threads.
    dup2(fds[0], 0);
    fcntl(1, F_SETFD, 0);  // Node marks our stdio close-on-exec: the shell writes to our stdout
    fcntl(2, F_SETFD, 0);
    sigset_t none;
    sigemptyset(&none);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, 8);
    signal(SIGPIPE, SIG_DFL);  // Node ignores it; the shell must not inherit that
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  *pid = child;
  return fds[1];
}

Writer::Writer(const Options& opts) : opts_(opts) {
  const unsigned fds = opts.dec.decode_fds;
  form_.fds = fds == 0 ? 0 : fds == decode::DECODE_FD_PATH ? 1 : 2;
  form_.strsize = opts.dec.strsize;
  form_.xflag = opts.dec.xflag;
  if (!opts.text) return;
  if (opts.out_path.empty()) {
    main_.fd = STDERR_FILENO;
  } else if (opts.out_path[0] == '|' || opts.out_path[0] == '!') {
    main_.fd = open_pipe_to(opts.out_path.substr(1), &popen_pid_);
    main_.owned = true;
    main_.name = opts.out_path;
    if (main_.fd < 0) open_error_ = errno;
  } else if (!opts.output_separately) {
    main_.fd = open_log(opts.out_path, opts_.append, opts_.out_mode);
    main_.owned = true;
    main_.name = opts.out_path;
    if (main_.fd < 0) open_error_ = errno;
  }
}

Writer::~Writer() {
  flush();
  for (auto& [tid, o] : per_thread_)
    if (o.owned && o.fd >= 0) close(o.fd);
  if (main_.owned && main_.fd >= 0) close(main_.fd);
  if (popen_pid_ > 0) {
    // As strace: the reader of -o '|COMMAND' is waited for (unless the tracer loop reaped it already).
    while (waitpid(popen_pid_, nullptr, __WALL) < 0 && errno == EINTR) {
    }
  }
}

Writer::Out& Writer::out_for(Tcb& t) {
  if (!opts_.output_separately || opts_.out_path.empty()) return main_;
  auto it = per_thread_.find(t.tid);
  if (it != per_thread_.end()) return it->second;
  Out& o = per_thread_[t.tid];
  o.name = opts_.out_path + "." + std::to_string(t.tid);
  o.fd = open_log(o.name, opts_.append, opts_.out_mode);
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
      // A closed pipe or a full disk: the output is dropped rather than stall the tracees. strace
      // flushes at the end of every line and says so for each line it could not write to a file.
      if (!o.name.empty()) {
        const std::string msg = opts_.prog_name + ": " + o.name + ": " + strerror(errno) + "\n";
        size_t lines = static_cast<size_t>(std::count(o.buf.begin() + static_cast<long>(off), o.buf.end(), '\n'));
        for (size_t i = 0; i < lines; i++) {
          ssize_t w = write(STDERR_FILENO, msg.data(), msg.size());
          (void)w;
        }
      }
      break;
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

void append_seconds(std::string* out, uint64_t ns, int digits) {
  char buf[48];
  uint64_t scale = 1;
  for (int i = digits; i < 9; i++) scale *= 10;
  int n = digits > 0 ? snprintf(buf, sizeof buf, "%llu.%0*llu", (unsigned long long)(ns / 1000000000ull), digits,
                                (unsigned long long)(ns % 1000000000ull / scale))
                     : snprintf(buf, sizeof buf, "%llu", (unsigned long long)(ns / 1000000000ull));
  out->append(buf, static_cast<size_t>(n));
}

// strace's printleader: the pid ("[pid  123] " on a shared terminal, "123   " in a -o file with -f),
// with -Y the process name, then -t's time of day, -r's time since the previous line, -n's syscall
// number and -i's instruction pointer.
void Writer::leader(Out& o, Tcb& t, unsigned nprocs) {
  end_open_line(o, nullptr);
  std::string s;
  char buf[96];
  const bool comm = (opts_.decode_pids & decode::DECODE_PIDS_COMM) && !t.comm.empty();
  if (opts_.print_pid_prefix && !opts_.output_separately) {
    snprintf(buf, sizeof buf, comm ? "%d" : "%-5d", t.tid);
    s.append(buf);
  } else if (nprocs > 1 && opts_.out_path.empty()) {
    snprintf(buf, sizeof buf, "[pid %5d", t.tid);
    s.append(buf);
  }
  if (!s.empty()) {
    if (comm) s.append("<").append(decode::quote_comm(t.comm)).append(">");
    if (s[0] == '[') s.push_back(']');
    s.push_back(' ');
  }
  if (opts_.ts_format) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (opts_.ts_format == 2) {
      snprintf(buf, sizeof buf, "%lld", (long long)ts.tv_sec);
    } else {
      struct tm tm;
      localtime_r(&ts.tv_sec, &tm);
      strftime(buf, sizeof buf, "%T", &tm);
    }
    s.append(buf);
    if (opts_.ts_digits) {
      std::string frac;
      append_seconds(&frac, static_cast<uint64_t>(ts.tv_nsec), opts_.ts_digits);
      s.append(frac, frac.find('.'), std::string::npos);
    }
    s.push_back(' ');
  }
  if (opts_.rflag) {
    uint64_t now = mono_ns();
    uint64_t d = last_leader_ns_ ? now - last_leader_ns_ : 0;
    last_leader_ns_ = now;
    snprintf(buf, sizeof buf, "%s%6llu", opts_.ts_format ? "(+" : "", (unsigned long long)(d / 1000000000ull));
    s.append(buf);
    if (opts_.r_digits) {
      std::string frac;
      append_seconds(&frac, d % 1000000000ull, opts_.r_digits);
      s.append(frac, frac.find('.'), std::string::npos);
    }
    s.append(opts_.ts_format ? ") " : " ");
  }
  if (opts_.nflag) {
    if (t.call.nr >= 0)
      snprintf(buf, sizeof buf, "[%4ld] ", t.call.nr);
    else
      snprintf(buf, sizeof buf, "[?] ");
    s.append(buf);
  }
  if (opts_.iflag) {
    if (t.ip_known)
      snprintf(buf, sizeof buf, "[%016llx] ", (unsigned long long)t.ip);
    else
      snprintf(buf, sizeof buf, "[????????????????] ");
    s.append(buf);
  }
  put(o, s);
}

const std::string& Writer::line_of(const Tcb& t, size_t* rval_pos) {
  *rval_pos = t.rval_pos;
  if (!opts_.dec.marks || !decode::has_marks(t.line)) return t.line;
  plain_.clear();
  if (t.rval_pos == std::string::npos || t.rval_pos > t.line.size()) {
    decode::render_record_text(t.line, 0, t.line.size(), form_, &plain_);
    return plain_;
  }
  decode::render_record_text(t.line, 0, t.rval_pos, form_, &plain_);
  *rval_pos = plain_.size();
  decode::render_record_text(t.line, t.rval_pos, t.line.size(), form_, &plain_);
  return plain_;
}

void Writer::put_line(Out& o, const std::string& l, size_t at, size_t from, size_t to) {
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
  size_t at;
  const std::string& l = line_of(t, &at);
  put(o, l);
  t.written = l.size();
  o.open_line = &t;
}

void Writer::syscall_exit(Tcb& t, unsigned nprocs) {
  Out& o = out_for(t);
  size_t at;
  const std::string& l = line_of(t, &at);
  size_t from = t.written <= l.size() ? t.written : l.size();
  if (t.written == 0) {
    leader(o, t, nprocs);
  } else if (o.open_line != &t) {
    leader(o, t, nprocs);
    put(o, "<... ");
    put(o, t.call.nr >= 0 ? decode::syscall_ent(t.call.nr).name : "syscall");
    put(o, " resumed>");
  }
  put_line(o, l, at, from, l.size());
  put(o, "\n", 1);
  if (!t.trailer.empty()) put(o, t.trailer);
  o.open_line = nullptr;
  t.written = 0;
}

void Writer::event(Tcb& t, const std::string& text, unsigned nprocs, const std::string& trailer) {
  Out& o = out_for(t);
  leader(o, t, nprocs);
  if (opts_.dec.marks && decode::has_marks(text)) {
    plain_.clear();
    decode::render_record_text(text, 0, text.size(), form_, &plain_);
    put(o, plain_);
  } else {
    put(o, text);
  }
  put(o, "\n", 1);
  put(o, trailer);
}

void Writer::detached(Tcb& t, bool held, unsigned nprocs) {
  Out& o = out_for(t);
  if (o.open_line == &t && t.written) {
    put(o, " <detached ...>\n", 16);
    o.open_line = nullptr;
  } else if (held && t.written == 0) {
    leader(o, t, nprocs);
    size_t at;
    put(o, line_of(t, &at));
    put(o, " <detached ...>\n", 16);
  }
  t.written = 0;
}

void Writer::pid_changed(Tcb& t, pid_t pid) {
  Out& o = out_for(t);
  if (o.open_line == &t && t.written) {
    put(o, " <pid changed to " + std::to_string(pid) + " ...>\n");
    o.open_line = nullptr;
  }
}

void Writer::end_line(Tcb& t) {
  Out& o = out_for(t);
  if (o.open_line == &t) end_open_line(o, nullptr);
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
    main_.fd = open_log(opts_.out_path, opts_.append, opts_.out_mode);
    main_.owned = main_.fd >= 0;
    main_.name = opts_.out_path;
  }
  put(main_, text);
}

}  // namespace engine
