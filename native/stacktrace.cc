// -k / --stack-traces: the user-space stack of a thread stopped in a syscall, symbolized as strace
// prints it: " > /lib/x86_64-linux-gnu/libc.so.6(__write+0x14) [0x114a04]", one line per frame,
// innermost first. Built over elfutils' libdw (the unwinder Debian's strace uses): the process's
// mappings are reported from /proc, the thread is unwound through ptrace (it is in a ptrace-stop of
// ours, on this tracer thread), and each pc is named by the ELF symbol tables and DWARF of its module.
// C++ names are demangled. Without libdw at build time the engine still builds; -k is refused.
// libdw is opened (dlopen) when -k first needs it, not linked: the engine is loaded at every start,
// and libdw with the libraries it needs (libelf, libz, liblzma, libbz2) is a third of a millisecond
// of --plain's start-up. Without libdw at run time, -k is refused as without it at build time.
#include "stacktrace.h"

#ifdef SYSTRACE_HAVE_LIBDW
#include <cxxabi.h>
#include <dlfcn.h>
#include <elfutils/libdwfl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

namespace engine {

// The libdw functions we call, by the names libdwfl.h declares them with (dw::dwfl_begin...).
namespace {
namespace dw {
#define SYSTRACE_LIBDW_FUNCTIONS(X)                                                              \
  X(dwfl_addrmodule) X(dwfl_begin) X(dwfl_end) X(dwfl_errmsg) X(dwfl_frame_pc) X(dwfl_frame_thread) \
  X(dwfl_getthread_frames) X(dwfl_linux_proc_attach) X(dwfl_linux_proc_find_elf)                    \
  X(dwfl_linux_proc_report) X(dwfl_module_addrinfo) X(dwfl_module_info)                            \
  X(dwfl_module_relocate_address) X(dwfl_report_begin) X(dwfl_report_end)                          \
  X(dwfl_standard_find_debuginfo) X(dwfl_thread_dwfl)
#define SYSTRACE_LIBDW_POINTER(name) decltype(&::name) name = nullptr;
SYSTRACE_LIBDW_FUNCTIONS(SYSTRACE_LIBDW_POINTER)
#undef SYSTRACE_LIBDW_POINTER

/** Opens libdw the first time (any thread; later calls wait for the first): whether it is there. */
bool load() {
  static const bool loaded = [] {
    void* lib = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return false;
    bool all = true;
#define SYSTRACE_LIBDW_LOOKUP(name) all = (name = reinterpret_cast<decltype(name)>(dlsym(lib, #name))) && all;
    SYSTRACE_LIBDW_FUNCTIONS(SYSTRACE_LIBDW_LOOKUP)
#undef SYSTRACE_LIBDW_LOOKUP
    return all;
  }();
  return loaded;
}
#undef SYSTRACE_LIBDW_FUNCTIONS
}  // namespace dw
}  // namespace

namespace {

constexpr int kMaxFrames = 256;

struct Frame {
  std::string text;  // one " > ..." line, with its newline
};

std::string demangle(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (!d) return name;
  std::string out(d);
  free(d);
  return out;
}

std::string frame_line(const char* module, const char* symbol, uint64_t off, uint64_t true_offset) {
  char buf[64];
  std::string s = " > ";
  if (symbol && *symbol) {
    s.append(module ? module : "").append("(").append(demangle(symbol));
    snprintf(buf, sizeof buf, "+0x%llx) [0x%llx]\n", (unsigned long long)off, (unsigned long long)true_offset);
    s.append(buf);
  } else if (module) {
    s.append(module);
    snprintf(buf, sizeof buf, "() [0x%llx]\n", (unsigned long long)true_offset);
    s.append(buf);
  } else {
    s.append("BUG IN print_call_cb\n");
  }
  return s;
}

}  // namespace

struct StackUnwinder::Process {
  Dwfl* dwfl = nullptr;
  bool stale = true;  // the mappings changed since the modules were reported
  std::unordered_map<uint64_t, std::string> names;  // pc -> its line, for the current mappings
};

StackUnwinder::StackUnwinder() = default;

StackUnwinder::~StackUnwinder() {
  for (auto& [pid, p] : procs_)
    if (p->dwfl) dw::dwfl_end(p->dwfl);
}

bool StackUnwinder::available() { return dw::load(); }

void StackUnwinder::mappings_changed(pid_t pid) {
  auto it = procs_.find(pid);
  if (it != procs_.end()) it->second->stale = true;
}

void StackUnwinder::forget(pid_t pid) {
  auto it = procs_.find(pid);
  if (it == procs_.end()) return;
  if (it->second->dwfl) dw::dwfl_end(it->second->dwfl);
  procs_.erase(it);
}

namespace {

struct WalkState {
  StackUnwinder::Process* proc;
  std::string* out;
  int depth;
};

int on_frame(Dwfl_Frame* state, void* arg) {
  WalkState* w = static_cast<WalkState*>(arg);
  Dwarf_Addr pc;
  bool activation;
  if (!dw::dwfl_frame_pc(state, &pc, &activation)) return -1;
  if (!activation) pc--;  // a return address: the call is the instruction before it
  auto it = w->proc->names.find(pc);
  if (it != w->proc->names.end()) {
    w->out->append(it->second);
  } else {
    Dwfl* dwfl = dw::dwfl_thread_dwfl(dw::dwfl_frame_thread(state));
    Dwfl_Module* mod = dw::dwfl_addrmodule(dwfl, pc);
    if (mod) {
      const char* module = dw::dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
      GElf_Off off = 0;
      GElf_Sym sym;
      const char* symbol = dw::dwfl_module_addrinfo(mod, pc, &off, &sym, nullptr, nullptr, nullptr);
      Dwarf_Addr true_offset = pc;
      dw::dwfl_module_relocate_address(mod, &true_offset);
      std::string line = frame_line(module, symbol, off, true_offset);
      w->out->append(line);
      w->proc->names.emplace(pc, std::move(line));
    }
  }
  if (w->depth-- == 0) return DWARF_CB_ABORT;
  return DWARF_CB_OK;
}

}  // namespace

void StackUnwinder::capture(pid_t pid, pid_t tid, std::string* out) {
  if (!dw::load()) return;  // refused on the command line (stackTracesSupported)
  static const Dwfl_Callbacks kCallbacks = {
      dw::dwfl_linux_proc_find_elf, dw::dwfl_standard_find_debuginfo, nullptr, nullptr};
  auto& slot = procs_[pid];
  if (!slot) slot = std::make_unique<Process>();
  Process& p = *slot;
  if (!p.dwfl) {
    p.dwfl = dw::dwfl_begin(&kCallbacks);
    if (!p.dwfl) {
      out->append(" > dwfl_begin: ").append(dw::dwfl_errmsg(-1)).append("\n");
      return;
    }
    // The thread is in a ptrace-stop of ours: libdw may read its registers without attaching.
    int r = dw::dwfl_linux_proc_attach(p.dwfl, pid, true);
    if (r) {
      out->append(" > dwfl_linux_proc_attach: ").append(r < 0 ? dw::dwfl_errmsg(-1) : strerror(r)).append("\n");
      dw::dwfl_end(p.dwfl);
      p.dwfl = nullptr;
      return;
    }
  }
  if (p.stale) {
    // The mappings changed (or were never read): report the modules again, and forget names.
    dw::dwfl_report_begin(p.dwfl);
    if (dw::dwfl_linux_proc_report(p.dwfl, pid) == 0) dw::dwfl_report_end(p.dwfl, nullptr, nullptr);
    p.stale = false;
    p.names.clear();
  }
  WalkState w{&p, out, kMaxFrames};
  int r = dw::dwfl_getthread_frames(p.dwfl, tid, on_frame, &w);
  if (r) {
    out->append(" > ").append(r < 0 ? dw::dwfl_errmsg(-1) : "too many stack frames").append("\n");
  }
}

}  // namespace engine

#else  // !SYSTRACE_HAVE_LIBDW

namespace engine {

struct StackUnwinder::Process {};
StackUnwinder::StackUnwinder() = default;
StackUnwinder::~StackUnwinder() = default;
bool StackUnwinder::available() { return false; }
void StackUnwinder::mappings_changed(pid_t) {}
void StackUnwinder::forget(pid_t) {}
void StackUnwinder::capture(pid_t, pid_t, std::string*) {}

}  // namespace engine

#endif
