// The strace-format text output of --plain: line prefixes, timestamps, the "<unfinished ...>" /
// "<... NAME resumed>" halves when threads interleave, -o FILE and -ff FILE.TID. Runs on the tracer
// thread only; output is buffered and flushed when the tracer is about to block.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "decode/record_text.h"

namespace engine {

struct Options;
struct Tcb;

/** Appends ns as seconds with `digits` digits after the point (0: none): 1.000250 for -T and -r. */
void append_seconds(std::string* out, uint64_t ns, int digits);

class Writer {
 public:
  explicit Writer(const Options& opts);
  ~Writer();
  /** The main output could not be opened: errno, else 0. */
  int open_error() const { return open_error_; }

  /** Write what the call's line holds so far (its entry half); the line stays open. */
  void syscall_entry(Tcb& t, unsigned nprocs);
  /** Finish the call's line (resuming it after other output if need be) and end it. */
  void syscall_exit(Tcb& t, unsigned nprocs);
  /** A whole line of its own for this thread: "--- SIGCHLD {...} ---", "+++ exited with 0 +++", then
   *  the whole lines of trailer (-k's stack). */
  void event(Tcb& t, const std::string& text, unsigned nprocs, const std::string& trailer = std::string());
  /** We detach from the thread inside a call: strace ends its line with " <detached ...>" if that
   *  line is still the open one, and prints nothing otherwise. A line held back by -e status= (not
   *  written at entry) is written whole with its " <detached ...>" when `held` says that status is
   *  wanted. */
  void detached(Tcb& t, bool held, unsigned nprocs);
  /** A non-leader thread's execve made it the leader: its line, if still open, ends with
   *  " <pid changed to PID ...>" (it goes on as "<... execve resumed>" under the new pid). */
  void pid_changed(Tcb& t, pid_t pid);
  /** Ends the thread's line with " <unfinished ...>" if it is the open one. */
  void end_line(Tcb& t);
  /** The thread is gone: close its -ff file and forget its open line. */
  void forget(Tcb& t);
  /** Whether pid was the reader of -o '|COMMAND', now reaped by the tracer's wait. */
  bool reaped(pid_t pid) {
    if (pid != popen_pid_ || pid <= 0) return false;
    popen_pid_ = 0;
    return true;
  }
  /** Text straight to the main output (the -c table). */
  void raw(const std::string& text);
  void flush();
  /** Output is waiting in a buffer. */
  bool pending() const;

 private:
  struct Out {
    int fd = -1;
    bool owned = false;
    std::string buf;
    Tcb* open_line = nullptr;  // the thread whose line is not yet ended on this output
    size_t col = 0;            // column of the next byte (for -a alignment)
    std::string name;          // the file's name for write errors ("" for stderr)
  };
  Out& out_for(Tcb& t);
  void leader(Out& o, Tcb& t, unsigned nprocs);
  void end_open_line(Out& o, Tcb* except);
  void put(Out& o, const char* s, size_t n);
  void put(Out& o, const std::string& s) { put(o, s.data(), s.size()); }
  // Part of a call's line, from..to, aligning the " = " at rval_pos to the -a column as strace does.
  void put_line(Out& o, const std::string& line, size_t rval_pos, size_t from, size_t to);
  void flush(Out& o);
  // The call's line as the command line prints it (the TUI's records mark theirs: record_text.h),
  // and where its " = " is in it.
  const std::string& line_of(const Tcb& t, size_t* rval_pos);
  std::string plain_;  // line_of's rendering of a marked line

  const Options& opts_;
  Out main_;
  std::map<pid_t, Out> per_thread_;  // -ff
  int open_error_ = 0;
  pid_t popen_pid_ = 0;  // -o '|COMMAND': the shell reading the trace
  uint64_t last_leader_ns_ = 0;
  decode::TextForm form_;  // the command line's -y/-yy, -s and -x, for marked lines  // -r: when the previous line began (0: no line yet)
};

}  // namespace engine
