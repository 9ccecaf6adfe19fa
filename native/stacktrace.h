// -k / --stack-traces: symbolized user-space stacks of traced threads (see stacktrace.cc).
#pragma once
#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

namespace engine {

class StackUnwinder {
 public:
  StackUnwinder();
  ~StackUnwinder();
  /** Whether we can unwind: built with libdw, and libdw is there (the first call opens it). */
  static bool available();
  /** Appends the stack of thread tid of process pid, stopped by us, as strace's " > ..." lines. */
  void capture(pid_t pid, pid_t tid, std::string* out);
  /** The process mapped or unmapped memory, or called execve: its modules are read again. */
  void mappings_changed(pid_t pid);
  /** The process is gone. */
  void forget(pid_t pid);

  struct Process;

 private:
  std::map<pid_t, std::unique_ptr<Process>> procs_;
};

}  // namespace engine
