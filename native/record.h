// A record: one event of a traced thread, as the tracer thread hands it to JS.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>

namespace engine {

enum class RecordKind : uint8_t { Syscall, Signal, Stop, Exit, Thread, Exec, Detach };

struct Record {
  RecordKind kind = RecordKind::Syscall;
  bool unfinished = false;    // syscall never returned (thread died or was detached mid-call)
  bool core = false;          // exit: core dumped
  bool process_gone = false;  // exit: the whole thread group is gone
  pid_t pid = 0, tid = 0;
  pid_t other = 0;            // thread: parent tid; exec: old tid
  long nr = -1;
  uint32_t classes = 0;
  int64_t rval = 0;
  int err = 0;                // errno when the call failed
  int signo = 0;              // signal, stop or death by signal
  int code = 0;               // exit code
  uint64_t args[6] = {0, 0, 0, 0, 0, 0};
  uint64_t entry_ns = 0, exit_ns = 0, wall_us = 0;
  std::string text;           // strace text without prefix (syscall line, "--- SIG... ---", "+++ ... +++", exe path)
  std::string stack;          // -k: the call's stack as strace prints it (" > ..." lines), else empty;
                              // exec: the comm the kernel gave the new program (the name it was run by)
};

}  // namespace engine
