// The JS surface of the engine: a small Engine class over Tracer, plus table look-ups. Everything
// here runs on the JS thread; the Tracer owns its own thread.
#include <napi.h>
#include <grp.h>
#include <malloc.h>
#include <pwd.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "decode/decoder.h"
#include "fsprobe.h"
#include "tracer.h"

namespace {

using engine::Record;
using engine::RecordKind;
using engine::Tracer;

// Every live tracer, so that exit() (process.exit, or Node's own teardown) detaches them all
// even when no JS code gets a chance to. A tracer still live then was not ended by JS (which
// detaches on every way out it handles): we are dying of a crash in our code, and as strace's
// die() does, a command we launched (and nobody chose to leave running) gets SIGTERM.
std::mutex g_live_mu;
std::set<Tracer*> g_live;
bool g_atexit_installed = false;

void shutdown_all() {
  std::set<Tracer*> live;
  {
    std::lock_guard<std::mutex> lk(g_live_mu);
    live = g_live;
  }
  for (Tracer* t : live) t->shutdown(SIGTERM);
}

Napi::Error errno_error(Napi::Env env, int err, const std::string& what) {
  Napi::Error e = Napi::Error::New(env, what + ": " + strerror(err));
  e.Set("errno", Napi::Number::New(env, err));
  const char* name = decode::errno_name(err);
  e.Set("code", Napi::String::New(env, name ? name : "EUNKNOWN"));
  return e;
}

bool get_bool(const Napi::Object& o, const char* k, bool dflt) {
  Napi::Value v = o.Get(k);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : dflt;
}
int64_t get_int(const Napi::Object& o, const char* k, int64_t dflt) {
  Napi::Value v = o.Get(k);
  return v.IsNumber() ? v.As<Napi::Number>().Int64Value() : dflt;
}
std::string get_str(const Napi::Object& o, const char* k) {
  Napi::Value v = o.Get(k);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}
std::vector<uint8_t> get_bytes(const Napi::Object& o, const char* k) {
  Napi::Value v = o.Get(k);
  std::vector<uint8_t> out;
  if (v.IsTypedArray()) {
    Napi::Uint8Array a = v.As<Napi::Uint8Array>();
    out.assign(a.Data(), a.Data() + a.ElementLength());
  }
  return out;
}
std::vector<std::string> get_strings(const Napi::Value& v) {
  std::vector<std::string> out;
  if (!v.IsArray()) return out;
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).ToString().Utf8Value());
  return out;
}

// decodeFds (DECODE_FD_* bits), or the older yflag count (1: path, 2: everything).
unsigned decode_fds_of(const Napi::Object& o, int default_yflag) {
  if (o.Get("decodeFds").IsNumber()) return static_cast<unsigned>(get_int(o, "decodeFds", 0));
  int y = static_cast<int>(get_int(o, "yflag", default_yflag));
  return y <= 0 ? 0u : y == 1 ? unsigned{decode::DECODE_FD_PATH} : 15u;
}

// inject: [{nrs: Uint8Array, first, last, step, error?, retval?: bigint, signal?, delayEnterNs?,
// delayExitNs?, pokeEnter?: [{arg, data: Uint8Array}], pokeExit?, syscall?}], in command-line order:
// for a syscall in several sets the last expression applies, as with strace.
void parse_inject(const Napi::Value& v, size_t nsyscalls, engine::Options* opts) {
  if (!v.IsArray()) return;
  Napi::Array list = v.As<Napi::Array>();
  if (list.Length() == 0) return;
  opts->inject_index.assign(nsyscalls, -1);
  auto pokes = [](const Napi::Value& pv) {
    std::vector<engine::InjectSpec::Poke> out;
    if (!pv.IsArray()) return out;
    Napi::Array a = pv.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Object p = a.Get(i).As<Napi::Object>();
      std::vector<uint8_t> data = get_bytes(p, "data");
      out.push_back({static_cast<int>(get_int(p, "arg", 1)), std::string(data.begin(), data.end())});
    }
    return out;
  };
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Object e = list.Get(i).As<Napi::Object>();
    engine::InjectSpec spec;
    spec.first = static_cast<uint16_t>(get_int(e, "first", 1));
    spec.last = static_cast<uint16_t>(get_int(e, "last", engine::kInjectLastInf));
    spec.step = static_cast<uint16_t>(get_int(e, "step", 1));
    if (e.Get("error").IsNumber()) {
      spec.set_error = true;
      spec.error = static_cast<int>(get_int(e, "error", 38));
    }
    if (e.Get("retval").IsBigInt()) {
      bool lossless;
      spec.set_retval = true;
      spec.retval = e.Get("retval").As<Napi::BigInt>().Uint64Value(&lossless);
    }
    spec.signo = static_cast<int>(get_int(e, "signal", 0));
    if (e.Get("delayEnterNs").IsNumber()) {
      spec.delay_enter = true;
      spec.delay_enter_ns = static_cast<uint64_t>(get_int(e, "delayEnterNs", 0));
    }
    if (e.Get("delayExitNs").IsNumber()) {
      spec.delay_exit = true;
      spec.delay_exit_ns = static_cast<uint64_t>(get_int(e, "delayExitNs", 0));
    }
    spec.poke_enter = pokes(e.Get("pokeEnter"));
    spec.poke_exit = pokes(e.Get("pokeExit"));
    spec.scno = get_int(e, "syscall", -1);
    std::vector<uint8_t> nrs = get_bytes(e, "nrs");
    const int idx = static_cast<int>(opts->inject.size());
    opts->inject.push_back(std::move(spec));
    for (size_t nr = 0; nr < nrs.size() && nr < nsyscalls; nr++)
      if (nrs[nr]) opts->inject_index[nr] = idx;
  }
}

// readFds / writeFds: {invert: boolean, items: number[]} (absent: no dumps).
engine::FdSet parse_fd_set(const Napi::Value& v) {
  engine::FdSet set;
  if (!v.IsObject()) return set;
  Napi::Object o = v.As<Napi::Object>();
  set.given = true;
  set.invert = get_bool(o, "invert", false);
  Napi::Value items = o.Get("items");
  if (items.IsArray()) {
    Napi::Array a = items.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) set.fds.push_back(a.Get(i).As<Napi::Number>().Int32Value());
  }
  return set;
}

// -u USER, as strace runs the command: USER's uid, gid and groups; a set-user-ID (set-group-ID)
// executable's owner (group) as the effective id, since under ptrace the kernel does not apply it.
std::string resolve_user(const std::string& user, const std::string& path, engine::LaunchSpec* spec) {
  struct passwd pw, *found = nullptr;
  std::vector<char> buf(16384);
  if (getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found) return "Cannot find user '" + user + "'";
  int n = 64;
  std::vector<gid_t> groups(static_cast<size_t>(n));
  if (getgrouplist(user.c_str(), pw.pw_gid, groups.data(), &n) < 0) {
    groups.resize(static_cast<size_t>(n));
    getgrouplist(user.c_str(), pw.pw_gid, groups.data(), &n);
  }
  groups.resize(static_cast<size_t>(n));
  struct stat st;
  bool have = stat(path.c_str(), &st) == 0;
  spec->set_user = true;
  spec->uid = pw.pw_uid;
  spec->gid = pw.pw_gid;
  spec->euid = have && (st.st_mode & S_ISUID) ? st.st_uid : pw.pw_uid;
  spec->egid = have && (st.st_mode & S_ISGID) ? st.st_gid : pw.pw_gid;
  spec->groups = std::move(groups);
  return std::string();
}

// A launch's extras, as both launch paths take them: descriptors the command inherits as they are
// (not close-on-exec), -u USER, and a process group of its own. An error is a message for the
// caller to throw.
std::string read_launch_extras(const Napi::Object& x, engine::LaunchSpec* spec) {
  spec->own_process_group = get_bool(x, "ownProcessGroup", false);
  spec->hold = get_bool(x, "hold", false);
  Napi::Value fds = x.Get("inheritFds");
  if (fds.IsArray()) {
    Napi::Array a = fds.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) spec->inherit_fds.push_back(a.Get(i).As<Napi::Number>().Int32Value());
  }
  // The state we were started with: the signal masks as 16 hex digits each (bit N-1: signal N), and
  // which of 0-2 were closed, closed for the command too where stdio gives it nothing of its own.
  spec->sig_blocked = strtoull(get_str(x, "sigBlocked").c_str(), nullptr, 16);
  spec->sig_ignored = strtoull(get_str(x, "sigIgnored").c_str(), nullptr, 16);
  Napi::Value closed = x.Get("closedStdio");
  if (closed.IsArray()) {
    Napi::Array a = closed.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) {
      int fd = a.Get(i).As<Napi::Number>().Int32Value();
      if (fd >= 0 && fd < 3 && spec->stdio[fd] == -1) spec->stdio[fd] = engine::kStdioClosed;
    }
  }
  std::string user = get_str(x, "user");
  return user.empty() ? std::string() : resolve_user(user, spec->path, spec);
}

engine::Options parse_options(const Napi::Object& o) {
  engine::Options opts;
  opts.follow_forks = get_bool(o, "followForks", true);
  opts.buffer_cap = static_cast<size_t>(get_int(o, "bufferCap", 100000));
  opts.records = get_bool(o, "records", true);
  opts.text = get_bool(o, "text", false);
  opts.out_path = get_str(o, "outPath");
  if (o.Has("progName")) opts.prog_name = get_str(o, "progName");
  opts.output_separately = get_bool(o, "outputSeparately", false);
  opts.append = get_bool(o, "append", false);
  opts.out_mode = static_cast<unsigned>(get_int(o, "outMode", 0666));
  // tsFormat/tsDigits (0 none, 1 time, 2 unix), or the older tflag count (-t, -tt, -ttt).
  int tflag = static_cast<int>(get_int(o, "tflag", 0));
  opts.ts_format = static_cast<int>(get_int(o, "tsFormat", tflag >= 3 ? 2 : tflag ? 1 : 0));
  opts.ts_digits = static_cast<int>(get_int(o, "tsDigits", tflag >= 2 ? 6 : 0));
  opts.rflag = get_bool(o, "rflag", false);
  opts.r_digits = static_cast<int>(get_int(o, "rDigits", 6));
  opts.Tflag = get_bool(o, "Tflag", false);
  opts.T_digits = static_cast<int>(get_int(o, "TDigits", 6));
  opts.count = get_bool(o, "count", false);
  opts.count_only = get_bool(o, "countOnly", false);
  opts.wall_time = get_bool(o, "wallTime", false);
  opts.overhead_ns = static_cast<uint64_t>(get_int(o, "overheadNs", 0));
  opts.traced = get_bytes(o, "traced");
  opts.status_mask = static_cast<unsigned>(get_int(o, "statusMask", engine::STATUS_ALL));
  opts.signals_shown = get_bytes(o, "signalsShown");
  opts.quiet = static_cast<unsigned>(get_int(o, "quiet", 0));
  opts.decode_pids = static_cast<unsigned>(get_int(o, "decodePids", 0));
  opts.dec.decode_pids = opts.decode_pids;
  opts.nflag = get_bool(o, "nflag", false);
  opts.iflag = get_bool(o, "iflag", false);
  opts.stack_traces = get_bool(o, "stackTraces", false);
  opts.detach_on_execve = get_bool(o, "detachOnExecve", false);
  opts.debug = get_bool(o, "debug", false);
  opts.syscall_limit = get_int(o, "syscallLimit", 0);
  opts.paths = get_strings(o.Get("paths"));
  opts.seccomp = get_bool(o, "seccomp", false);
  opts.print_pid_prefix = get_bool(o, "pidPrefix", false);
  opts.acolumn = static_cast<unsigned>(get_int(o, "acolumn", 40));
  opts.dec.strsize = static_cast<unsigned>(get_int(o, "strsize", 32));
  opts.dec.xflag = static_cast<int>(get_int(o, "xflag", 0));
  opts.dec.verbose = get_bool(o, "verbose", false);
  opts.dec.decode_fds = decode_fds_of(o, 0);
  // The TUI's records: every form of a descriptor and strings up to marksStrsize (record_text.h).
  opts.dec.marks = get_bool(o, "marks", false);
  opts.dec.marks_strsize = static_cast<unsigned>(get_int(o, "marksStrsize", 0));
  opts.dec.marks_fds = opts.dec.decode_fds & ~unsigned{decode::DECODE_FD_PATH} ? opts.dec.decode_fds : 15u;
  opts.dec.xstyle = static_cast<decode::XlatStyle>(get_int(o, "xstyle", 0));
  opts.dec.raw = get_bool(o, "raw", false);
  opts.dec.redact = get_bool(o, "redact", false);
  opts.dec.kvm_vcpu = get_bool(o, "kvmVcpu", false);
  opts.abbrev_calls = get_bytes(o, "abbrev");
  opts.verbose_calls = get_bytes(o, "verboseCalls");
  opts.raw_calls = get_bytes(o, "rawCalls");
  opts.read_fds = parse_fd_set(o.Get("readFds"));
  opts.write_fds = parse_fd_set(o.Get("writeFds"));
  parse_inject(o.Get("inject"), static_cast<size_t>(decode::syscall_max() + 1), &opts);
  return opts;
}

const char* kind_name(RecordKind k) {
  switch (k) {
    case RecordKind::Syscall: return "syscall";
    case RecordKind::Signal: return "signal";
    case RecordKind::Stop: return "stop";
    case RecordKind::Exit: return "exit";
    case RecordKind::Thread: return "thread";
    case RecordKind::Exec: return "exec";
    case RecordKind::Detach: return "detach";
  }
  return "unknown";
}

// TraceBatch.flags bits (BatchFlag in src/engine/types.ts).
constexpr uint8_t kBatchUnfinished = 1;
constexpr uint8_t kBatchArgs = 2;

class Engine : public Napi::ObjectWrap<Engine> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Engine",
                       {
                           InstanceMethod("launch", &Engine::Launch),
                           InstanceMethod("startLaunched", &Engine::StartLaunched),
                           InstanceMethod("attach", &Engine::Attach),
                           InstanceMethod("pause", &Engine::Pause),
                           InstanceMethod("resume", &Engine::Resume),
                           InstanceMethod("detach", &Engine::Detach),
                           InstanceMethod("shutdown", &Engine::Shutdown),
                           InstanceMethod("drain", &Engine::Drain),
                           InstanceMethod("drainBatch", &Engine::DrainBatch),
                           InstanceMethod("threads", &Engine::Threads),
                           InstanceMethod("snapshot", &Engine::Snapshot),
                           InstanceMethod("stats", &Engine::Stats),
                           InstanceMethod("counters", &Engine::Counters),
                           InstanceMethod("resetCounters", &Engine::ResetCounters),
                           InstanceMethod("launchedExit", &Engine::LaunchedExit),
                           InstanceMethod("writeText", &Engine::WriteText),
                       });
  }

  explicit Engine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Engine>(info) {
    Napi::Object o = info.Length() > 0 && info[0].IsObject() ? info[0].As<Napi::Object>()
                                                             : Napi::Object::New(info.Env());
    tracer_ = std::make_unique<Tracer>(parse_options(o));
    std::lock_guard<std::mutex> lk(g_live_mu);
    g_live.insert(tracer_.get());
    if (!g_atexit_installed) {
      g_atexit_installed = true;
      atexit(shutdown_all);
    }
    if (int e = tracer_->writer_open_error()) {
      g_live.erase(tracer_.get());
      tracer_.reset();
      // strace's words: Can't fopen 'FILE': No such file or directory
      throw errno_error(info.Env(), e, "Can't fopen '" + get_str(o, "outPath") + "'");
    }
  }

  ~Engine() override { Release(); }

 private:
  void Release() {
    if (!tracer_) return;
    tracer_->shutdown();
    std::lock_guard<std::mutex> lk(g_live_mu);
    g_live.erase(tracer_.get());
    tracer_.reset();
  }

  Tracer& T(Napi::Env env) {
    if (!tracer_) throw Napi::Error::New(env, "the engine was shut down");
    return *tracer_;
  }

  // launch(path, argv, envp, stdio?: [in, out, err]) -> pid
  Napi::Value Launch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    engine::LaunchSpec spec;
    spec.path = info[0].ToString().Utf8Value();
    spec.argv = get_strings(info[1]);
    spec.envp = get_strings(info[2]);
    if (info.Length() > 3 && info[3].IsArray()) {
      Napi::Array a = info[3].As<Napi::Array>();
      for (uint32_t i = 0; i < 3 && i < a.Length(); i++)
        spec.stdio[i] = a.Get(i).IsNumber() ? a.Get(i).As<Napi::Number>().Int32Value() : -1;
    }
    if (info.Length() > 4 && info[4].IsObject()) {
      std::string err = read_launch_extras(info[4].As<Napi::Object>(), &spec);
      if (!err.empty()) throw Napi::Error::New(env, err);
    }
    pid_t pid = 0;
    int e = T(env).launch(spec, &pid);
    if (e) throw errno_error(env, e, "cannot start " + spec.path);
    return Napi::Number::New(env, pid);
  }

  // startLaunched(): the command launched with hold leaves its stop and runs
  Napi::Value StartLaunched(const Napi::CallbackInfo& info) {
    if (int e = T(info.Env()).start_launched()) throw errno_error(info.Env(), e, "cannot start the command");
    return info.Env().Undefined();
  }

  // attach(pid) -> tids seized
  Napi::Value Attach(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    pid_t pid = info[0].As<Napi::Number>().Int32Value();
    bool daemon = info.Length() > 1 && info[1].IsObject() && get_bool(info[1].As<Napi::Object>(), "daemonTracee", false);
    std::vector<pid_t> tids;
    int e = T(env).attach(pid, &tids, daemon);
    if (e) throw errno_error(env, e, "cannot attach to pid " + std::to_string(pid));
    Napi::Array out = Napi::Array::New(env, tids.size());
    for (size_t i = 0; i < tids.size(); i++) out.Set(static_cast<uint32_t>(i), Napi::Number::New(env, tids[i]));
    return out;
  }

  Napi::Value Pause(const Napi::CallbackInfo& info) {
    T(info.Env()).pause();
    return info.Env().Undefined();
  }
  Napi::Value Resume(const Napi::CallbackInfo& info) {
    T(info.Env()).resume();
    return info.Env().Undefined();
  }
  Napi::Value Detach(const Napi::CallbackInfo& info) {
    if (tracer_) tracer_->detach_all();
    return info.Env().Undefined();
  }
  Napi::Value Shutdown(const Napi::CallbackInfo& info) {
    Release();
    return info.Env().Undefined();
  }

  // A backlog JS has caught up with is freed now, but its memory stays in the malloc arenas (the
  // tracer thread's arena gives memory back only from its top): it goes back to the system, so
  // that RSS follows what is held rather than the biggest backlog a busy moment ever made.
  void ReleaseBacklog() {
    if (tracer_ && tracer_->take_trim_due()) malloc_trim(0);
  }

  // drain(max) -> records as plain objects
  Napi::Value Drain(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    size_t max = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 10000;
    std::vector<Record> recs;
    if (tracer_) tracer_->drain(&recs, max);
    Napi::Array out = Napi::Array::New(env, recs.size());
    for (size_t i = 0; i < recs.size(); i++) out.Set(static_cast<uint32_t>(i), RecordObject(env, recs[i]));
    recs.clear();
    ReleaseBacklog();
    return out;
  }

  // drainBatch(max) -> the same records column by column (TraceBatch in src/engine/types.ts): one
  // ArrayBuffer holds every numeric column of the system calls, their texts are one array, and
  // only the rare other records become objects (as drain() makes them), placed by `order`. This
  // is the TUI's hot path: drain() made ~15 property sets, two strings and six BigInts per call.
  Napi::Value DrainBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    size_t max = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 10000;
    batch_.clear();
    uint64_t first = 0;
    if (tracer_) tracer_->drain(&batch_, max, &first);
    size_t n = 0;
    for (const Record& r : batch_) n += r.kind == RecordKind::Syscall;
    const size_t m = batch_.size() - n;
    // Layout, 8-byte columns first so every view is aligned: args (6 per row), rval, entryNs,
    // exitNs, wallUs; then pid, tid, nr, classes, err, order (4 bytes); then flags.
    const size_t o_args = 0, o_rval = o_args + 48 * n, o_entry = o_rval + 8 * n, o_exit = o_entry + 8 * n,
                 o_wall = o_exit + 8 * n, o_pid = o_wall + 8 * n, o_tid = o_pid + 4 * n, o_nr = o_tid + 4 * n,
                 o_cls = o_nr + 4 * n, o_err = o_cls + 4 * n, o_order = o_err + 4 * n, o_flags = o_order + 4 * m,
                 total = o_flags + n;
    Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, total ? total : 8);
    uint8_t* base = static_cast<uint8_t*>(buf.Data());
    uint64_t* args = reinterpret_cast<uint64_t*>(base + o_args);
    double* rval = reinterpret_cast<double*>(base + o_rval);
    double* entry = reinterpret_cast<double*>(base + o_entry);
    double* exit = reinterpret_cast<double*>(base + o_exit);
    double* wall = reinterpret_cast<double*>(base + o_wall);
    int32_t* pid = reinterpret_cast<int32_t*>(base + o_pid);
    int32_t* tid = reinterpret_cast<int32_t*>(base + o_tid);
    int32_t* nr = reinterpret_cast<int32_t*>(base + o_nr);
    uint32_t* cls = reinterpret_cast<uint32_t*>(base + o_cls);
    int32_t* err = reinterpret_cast<int32_t*>(base + o_err);
    uint32_t* order = reinterpret_cast<uint32_t*>(base + o_order);
    uint8_t* flags = base + o_flags;
    Napi::Array texts = Napi::Array::New(env, n);
    Napi::Array others = Napi::Array::New(env, m);
    Napi::Array stacks = Napi::Array::New(env);  // -k: [row, stack] for the rows that have one
    size_t j = 0, k = 0;
    for (const Record& r : batch_) {
      if (r.kind != RecordKind::Syscall) {
        order[k] = static_cast<uint32_t>(j);
        others.Set(static_cast<uint32_t>(k++), RecordObject(env, r));
        continue;
      }
      memcpy(args + 6 * j, r.args, sizeof r.args);
      rval[j] = static_cast<double>(r.rval);
      entry[j] = static_cast<double>(r.entry_ns);
      exit[j] = static_cast<double>(r.exit_ns);
      wall[j] = static_cast<double>(r.wall_us);
      pid[j] = r.pid;
      tid[j] = r.tid;
      nr[j] = static_cast<int32_t>(r.nr);
      cls[j] = r.classes;
      err[j] = r.err;
      flags[j] = (r.unfinished ? kBatchUnfinished : 0) | kBatchArgs;
      texts.Set(static_cast<uint32_t>(j), Napi::String::New(env, r.text));
      if (!r.stack.empty()) {
        Napi::Array pair = Napi::Array::New(env, 2);
        pair.Set(0u, static_cast<double>(j));
        pair.Set(1u, Napi::String::New(env, r.stack));
        stacks.Set(stacks.Length(), pair);
      }
      j++;
    }
    batch_.clear();
    ReleaseBacklog();
    Napi::Object o = Napi::Object::New(env);
    o.Set("count", static_cast<double>(n));
    o.Set("pid", Napi::Int32Array::New(env, n, buf, o_pid));
    o.Set("tid", Napi::Int32Array::New(env, n, buf, o_tid));
    o.Set("nr", Napi::Int32Array::New(env, n, buf, o_nr));
    o.Set("classes", Napi::Uint32Array::New(env, n, buf, o_cls));
    o.Set("rval", Napi::Float64Array::New(env, n, buf, o_rval));
    o.Set("err", Napi::Int32Array::New(env, n, buf, o_err));
    o.Set("entryNs", Napi::Float64Array::New(env, n, buf, o_entry));
    o.Set("exitNs", Napi::Float64Array::New(env, n, buf, o_exit));
    o.Set("wallUs", Napi::Float64Array::New(env, n, buf, o_wall));
    o.Set("flags", Napi::Uint8Array::New(env, n, buf, o_flags));
    o.Set("args", Napi::TypedArrayOf<uint64_t>::New(env, 6 * n, buf, o_args, napi_biguint64_array));
    o.Set("texts", texts);
    o.Set("stacks", stacks);
    o.Set("others", others);
    o.Set("order", Napi::Uint32Array::New(env, m, buf, o_order));
    o.Set("first", static_cast<double>(first));
    return o;
  }

  // One record as drain() hands it to JS (TraceEvent in src/engine/types.ts).
  static Napi::Object RecordObject(Napi::Env env, const Record& r) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("kind", kind_name(r.kind));
    o.Set("pid", r.pid);
    o.Set("tid", r.tid);
    o.Set("entryNs", static_cast<double>(r.entry_ns));
    o.Set("wallUs", static_cast<double>(r.wall_us));
    switch (r.kind) {
      case RecordKind::Syscall: {
        o.Set("nr", static_cast<double>(r.nr));
        o.Set("name", decode::syscall_ent(r.nr).name);
        o.Set("classes", r.classes);
        o.Set("text", r.text);
        o.Set("rval", static_cast<double>(r.rval));
        const char* en = r.err ? decode::errno_name(r.err) : "";
        o.Set("errno", en ? en : "");
        o.Set("exitNs", static_cast<double>(r.exit_ns));
        o.Set("unfinished", r.unfinished);
        Napi::Array args = Napi::Array::New(env, 6);
        for (uint32_t k = 0; k < 6; k++) args.Set(k, Napi::BigInt::New(env, static_cast<uint64_t>(r.args[k])));
        o.Set("args", args);
        break;
      }
      case RecordKind::Signal:
      case RecordKind::Stop:
        o.Set("signo", r.signo);
        o.Set("name", decode::signame(r.signo));
        o.Set("text", r.text);
        break;
      case RecordKind::Exit:
        o.Set("code", r.code);
        o.Set("signo", r.signo);
        o.Set("core", r.core);
        o.Set("processGone", r.process_gone);
        o.Set("text", r.text);
        break;
      case RecordKind::Thread:
        o.Set("parentTid", r.other);
        break;
      case RecordKind::Exec:
        o.Set("oldTid", r.other);
        o.Set("path", r.text);
        o.Set("comm", r.stack);
        break;
      case RecordKind::Detach:
        o.Set("reason", r.text);
        break;
    }
    return o;
  }

  Napi::Value Threads(const Napi::CallbackInfo& info) {
    std::vector<engine::ThreadSnapshot> snap;
    if (tracer_) snap = tracer_->snapshot();
    return ThreadArray(info.Env(), snap);
  }

  // snapshot() -> { threads, mark }: the threads now, and how many records were pushed before
  // they were looked at (drainBatch's `first` numbers records the same way).
  Napi::Value Snapshot(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::vector<engine::ThreadSnapshot> snap;
    uint64_t mark = 0;
    if (tracer_) snap = tracer_->snapshot(&mark);
    Napi::Object o = Napi::Object::New(env);
    o.Set("threads", ThreadArray(env, snap));
    o.Set("mark", static_cast<double>(mark));
    return o;
  }

  static Napi::Array ThreadArray(Napi::Env env, const std::vector<engine::ThreadSnapshot>& snap) {
    Napi::Array out = Napi::Array::New(env, snap.size());
    for (size_t i = 0; i < snap.size(); i++) {
      const auto& s = snap[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("pid", s.pid);
      o.Set("tid", s.tid);
      o.Set("inSyscall", s.in_syscall);
      o.Set("nr", static_cast<double>(s.nr));
      o.Set("entryText", s.entry_text);
      o.Set("entryNs", static_cast<double>(s.entry_ns));
      o.Set("entryWallUs", static_cast<double>(s.entry_wall_us));
      o.Set("entryRestarted", s.entry_restarted);
      o.Set("waitNr", static_cast<double>(s.wait_nr));
      o.Set("waitSinceNs", static_cast<double>(s.wait_since_ns));
      o.Set("waitLowerBound", s.wait_lower_bound);
      o.Set("paused", s.held);
      o.Set("groupStopped", s.group_stopped);
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    if (!tracer_) {
      o.Set("processes", 0);
      o.Set("threads", 0);
      o.Set("total", 0);
      o.Set("heldMs", 0);
      o.Set("pending", 0);
      o.Set("done", true);
      o.Set("paused", false);
      return o;
    }
    o.Set("processes", tracer_->nprocs());
    o.Set("threads", tracer_->nthreads());
    o.Set("total", static_cast<double>(tracer_->total_records()));
    o.Set("heldMs", static_cast<double>(tracer_->held_ns()) / 1e6);
    o.Set("pending", static_cast<double>(tracer_->pending_records()));
    o.Set("done", tracer_->done());
    o.Set("paused", tracer_->paused());
    return o;
  }

  // counters() -> [{pid, tid, nr, calls, errors, timeNs, minNs, maxNs}]
  Napi::Value Counters(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env);
    if (!tracer_) return out;
    uint32_t i = 0;
    for (auto& [tid, tc] : tracer_->counters()) {
      for (auto& [nr, k] : tc.by_nr) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("pid", tc.pid);
        o.Set("tid", tid);
        o.Set("nr", static_cast<double>(nr));
        o.Set("name", decode::syscall_ent(nr).name);
        o.Set("calls", static_cast<double>(k.calls));
        o.Set("errors", static_cast<double>(k.errors));
        o.Set("timeNs", static_cast<double>(k.time_ns));
        o.Set("minNs", static_cast<double>(k.calls ? k.min_ns : 0));
        o.Set("maxNs", static_cast<double>(k.max_ns));
        out.Set(i++, o);
      }
    }
    return out;
  }

  Napi::Value ResetCounters(const Napi::CallbackInfo& info) {
    if (tracer_) tracer_->reset_counters();
    return info.Env().Undefined();
  }

  Napi::Value LaunchedExit(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    engine::ExitInfo x = tracer_ ? tracer_->launched_exit() : engine::ExitInfo{};
    o.Set("exited", x.exited);
    o.Set("code", x.code);
    o.Set("signo", x.signo);
    o.Set("core", x.core);
    return o;
  }

  Napi::Value WriteText(const Napi::CallbackInfo& info) {
    if (tracer_) tracer_->write_text(info[0].ToString().Utf8Value());
    return info.Env().Undefined();
  }

  std::unique_ptr<Tracer> tracer_;
  std::vector<Record> batch_;  // drainBatch's scratch, kept for its capacity
};

// ---- table look-ups for JS

// The x86_64 syscalls by number, as {names, nargs, classes}: the names joined by newlines and two
// typed arrays. native.ts makes the objects: made here, property by property, they took half a
// millisecond of --plain's start-up (a -e trace= set is made of them).
Napi::Value SyscallTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t count = static_cast<size_t>(decode::syscall_max() + 1);
  std::string names;
  Napi::Uint8Array nargs = Napi::Uint8Array::New(env, count);
  Napi::Uint32Array classes = Napi::Uint32Array::New(env, count);
  for (size_t nr = 0; nr < count; nr++) {
    const decode::SyscallEnt& e = decode::syscall_ent(static_cast<long>(nr));
    if (nr) names += '\n';
    names += e.name;
    nargs[nr] = static_cast<uint8_t>(e.nargs);
    classes[nr] = e.classes;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("names", names);
  out.Set("nargs", nargs);
  out.Set("classes", classes);
  return out;
}

// The descriptors above 2 this process inherited (src/engine/inherited-fds.ts says why), in
// ascending order: every open one but Node's own, told apart by kind: libuv's event loop
// descriptors (anon_inode:[eventpoll], [eventfd], [io_uring]...) and its wake-up pipes, of which it
// holds a read end and a write end. Here rather than from JavaScript: ~20 descriptors, each read
// through node:fs, took half a millisecond of every start-up.
Napi::Value InheritedFds(const Napi::CallbackInfo& info) {
  std::vector<std::pair<int, std::string>> links;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (struct dirent* e = readdir(dir)) {
      char* end;
      long fd = strtol(e->d_name, &end, 10);
      if (end == e->d_name || *end || fd <= 2 || fd == dirfd(dir)) continue;
      char path[64], link[PATH_MAX];
      snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
      ssize_t n = readlink(path, link, sizeof link);
      if (n >= 0) links.emplace_back(static_cast<int>(fd), std::string(link, static_cast<size_t>(n)));
    }
    closedir(dir);
  }
  std::map<std::string, int> pipe_modes;  // bit 1 << (O_RDONLY, O_WRONLY or O_RDWR) for each end held
  for (auto& [fd, link] : links) {
    int flags = link.rfind("pipe:", 0) == 0 ? fcntl(fd, F_GETFL) : -1;
    if (flags >= 0) pipe_modes[link] |= 1 << (flags & O_ACCMODE);
  }
  const int both = 1 << O_RDONLY | 1 << O_WRONLY;
  std::vector<int> fds;
  for (auto& [fd, link] : links) {
    if (link.rfind("anon_inode:", 0) == 0) continue;
    auto it = pipe_modes.find(link);
    if (it != pipe_modes.end() && (it->second & both) == both) continue;
    fds.push_back(fd);
  }
  std::sort(fds.begin(), fds.end());
  Napi::Array out = Napi::Array::New(info.Env(), fds.size());
  for (size_t i = 0; i < fds.size(); i++) out.Set(static_cast<uint32_t>(i), fds[i]);
  return out;
}

// The i386 and x32 syscalls ([personality, nr, name]): the command line accepts their names and
// numbers (-e trace=mmap2) as strace does on x86_64, though only x86_64 calls are traced.
Napi::Value CompatSyscalls(const Napi::CallbackInfo& info) {
  struct Compat {
    int pers;
    long nr;
    const char* name;
  };
  static const Compat kCompat[] = {
#define COMPAT_SYSCALL(pers, nr, name) {pers, nr, #name},
#include "tables/generated/compat_syscall_list.h"
#undef COMPAT_SYSCALL
  };
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, sizeof kCompat / sizeof kCompat[0]);
  uint32_t i = 0;
  for (const Compat& c : kCompat) {
    Napi::Array row = Napi::Array::New(env, 3);
    row.Set(0u, c.pers);
    row.Set(1u, static_cast<double>(c.nr));
    row.Set(2u, c.name);
    out.Set(i++, row);
  }
  return out;
}

// dieOfSignal(sig): as strace does when its command was killed by a signal, die of the same signal
// (without a core dump of our own): default disposition, unblocked, raised. Returns if it is not fatal.
Napi::Value DieOfSignal(const Napi::CallbackInfo& info) {
  int sig = info[0].As<Napi::Number>().Int32Value();
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  signal(sig, SIG_DFL);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, sig);
  pthread_sigmask(SIG_UNBLOCK, &mask, nullptr);
  raise(sig);
  return info.Env().Undefined();
}

// daemonExec(file, argv, envp, level, tracerArgv, tracerEnvp, extra?) — strace's -D, -DD, -DDD: this
// process becomes the command, traced by a tracer that is not its parent. A child forks the tracer
// (our own program again, which attaches to us) and waits to be killed by it; the tracer first moves
// to a new process group (-DD) or session (-DDD). When the child is gone we exec the command. Returns
// only on failure (with the errno of the fork or the exec).
Napi::Value DaemonExec(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string file = info[0].ToString().Utf8Value();
  std::vector<std::string> argv = get_strings(info[1]), envp = get_strings(info[2]);
  int level = info[3].As<Napi::Number>().Int32Value();
  std::vector<std::string> targv = get_strings(info[4]), tenvp = get_strings(info[5]);
  engine::LaunchSpec spec;
  spec.path = file;
  if (info.Length() > 6 && info[6].IsObject()) {
    std::string err = read_launch_extras(info[6].As<Napi::Object>(), &spec);
    if (!err.empty()) throw Napi::Error::New(env, err);
  }
  auto cvec = [](std::vector<std::string>& v) {
    std::vector<char*> out;
    for (auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
  };
  std::vector<char*> cargv = cvec(argv), cenvp = cvec(envp), ctargv = cvec(targv), ctenvp = cvec(tenvp);
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);  // the tracer is our grandchild, not an ancestor
  pid_t child = fork();
  if (child < 0) throw errno_error(env, errno, "fork");
  if (child == 0) {
    // Only raw syscalls until exec: the parent has threads.
    pid_t tracer = fork();
    if (tracer < 0) _exit(1);
    if (tracer == 0) {
      if (level == 2) setpgid(0, 0);
      if (level >= 3) setsid();
      for (int fd = 0; fd < 3; fd++) fcntl(fd, F_SETFD, 0);  // Node marks our stdio close-on-exec
      sigset_t none;
      sigemptyset(&none);
      syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, 8);
      execve(ctargv[0], ctargv.data(), ctenvp.data());
      _exit(127);
    }
    for (;;) pause();  // the tracer kills us once it has attached to our parent
  }
  int st;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
  }
  // The tracer is attached (or gave up): become the command, as a launched child would.
  for (int i = 0; i < 3; i++) {
    if (spec.stdio[i] == engine::kStdioClosed)
      close(i);
    else
      fcntl(i, F_SETFD, 0);
  }
  for (int fd : spec.inherit_fds) fcntl(fd, F_SETFD, 0);
  if (spec.set_user) {
    if (setgroups(spec.groups.size(), spec.groups.data()) < 0 || setregid(spec.gid, spec.egid) < 0 ||
        setreuid(spec.uid, spec.euid) < 0)
      throw errno_error(env, errno, "cannot change to user");
  }
  // After -u: glibc's setreuid signals our other threads (33, SIGSETXID) with a handler this resets.
  engine::apply_signal_state(spec.sig_blocked, spec.sig_ignored);
  execve(file.c_str(), cargv.data(), cenvp.data());
  throw errno_error(env, errno, "exec");
}

// redirectStdio(): strace's "don't hold up stdin/out open": once the command runs, our 0 and 1 become
// the read end of a closed pipe, so that a pipe the command closes has no other reader or writer.
Napi::Value RedirectStdio(const Napi::CallbackInfo& info) {
  for (int fd = 0; fd <= 1; fd++) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) break;
    close(p[1]);
    dup3(p[0], fd, O_CLOEXEC);
    close(p[0]);
  }
  return info.Env().Undefined();
}

Napi::Value ErrnoName(const Napi::CallbackInfo& info) {
  int e = info[0].As<Napi::Number>().Int32Value();
  const char* n = decode::errno_name(e);
  return n ? Napi::String::New(info.Env(), n) : info.Env().Null();
}

Napi::Value ErrnoText(const Napi::CallbackInfo& info) {
  int e = info[0].As<Napi::Number>().Int32Value();
  const char* n = decode::errno_text(e);
  return n ? Napi::String::New(info.Env(), n) : info.Env().Null();
}

Napi::Value SignalName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), decode::signame(info[0].As<Napi::Number>().Int32Value()));
}

// formatCall(pid, tid, nr, args: bigint[], opts) -> a call as strace prints its entry, closed with "...)",
// read from a live process (the inspector's view of a thread blocked in a call we did not see enter).
Napi::Value FormatCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  decode::Options opts;
  if (info.Length() > 4 && info[4].IsObject()) {
    Napi::Object o = info[4].As<Napi::Object>();
    opts.strsize = static_cast<unsigned>(get_int(o, "strsize", 32));
    opts.decode_fds = decode_fds_of(o, 1);
    opts.verbose = get_bool(o, "verbose", false);
  } else {
    opts.decode_fds = decode::DECODE_FD_PATH;
  }
  std::string line;
  decode::Call c;
  c.pid = info[0].As<Napi::Number>().Int32Value();
  c.tid = info[1].As<Napi::Number>().Int32Value();
  c.nr = info[2].As<Napi::Number>().Int64Value();
  Napi::Array args = info[3].As<Napi::Array>();
  for (uint32_t i = 0; i < 6 && i < args.Length(); i++) {
    bool lossless;
    c.args[i] = args.Get(i).As<Napi::BigInt>().Uint64Value(&lossless);
  }
  c.opts = &opts;
  c.out = &line;
  line.append(decode::syscall_ent(c.nr).name);
  line.push_back('(');
  // The exit half never comes: close the call, marking what only its exit would print.
  if (decode::decode_call(c) & decode::RVAL_DECODED) {
    line.push_back(')');
  } else {
    while (!line.empty() && (line.back() == ' ' || line.back() == ',')) line.pop_back();
    line.append(line.back() == '(' ? "...)" : ", ...)");
  }
  return Napi::String::New(env, line);
}

// unixSockets(pid?) -> every unix socket of pid's network namespace (ours without a pid) with its
// peer's inode, as `ss -x` lists them (the inspector names the process at the other end of a
// socketpair or a connection).
Napi::Value UnixSockets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t pid = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  std::vector<decode::UnixSocketEntry> list = decode::unix_socket_list(pid);
  Napi::Array out = Napi::Array::New(env, list.size());
  for (size_t i = 0; i < list.size(); i++) {
    const auto& e = list[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("inode", static_cast<double>(e.inode));
    o.Set("peer", static_cast<double>(e.peer));
    o.Set("type", e.type);
    o.Set("state", e.state);
    o.Set("rqueue", static_cast<double>(e.rqueue));
    o.Set("wqueue", static_cast<double>(e.wqueue));
    o.Set("path", Napi::String::New(env, e.path));
    out.Set(static_cast<uint32_t>(i), o);
  }
  return out;
}

// limitMallocArenas(n): at most n malloc arenas from now on (glibc's M_ARENA_MAX, what
// MALLOC_ARENA_MAX=n in the environment does from the start). glibc gives each thread that
// allocates an arena of its own, up to 8 per core, and an arena keeps what was freed in it: V8's
// worker threads compile and collect in theirs and leave megabytes behind. Threads that have no
// arena yet share the existing ones once this is set (glibc fixes its limit only at the 9th arena).
Napi::Value LimitMallocArenas(const Napi::CallbackInfo& info) {
  mallopt(M_ARENA_MAX, info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

// setProcessName(name): the calling thread's name (prctl PR_SET_NAME, at most 15 bytes), which
// /proc/PID/comm shows for the main thread: node's comm is "node", whatever ran it.
Napi::Value SetProcessName(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  prctl(PR_SET_NAME, name.c_str(), 0, 0, 0);
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Engine", Engine::Init(env));
  exports.Set("syscallTable", Napi::Function::New(env, SyscallTable));
  exports.Set("compatSyscalls", Napi::Function::New(env, CompatSyscalls));
  exports.Set("dieOfSignal", Napi::Function::New(env, DieOfSignal));
  exports.Set("daemonExec", Napi::Function::New(env, DaemonExec));
  exports.Set("redirectStdio", Napi::Function::New(env, RedirectStdio));
  exports.Set("inheritedFds", Napi::Function::New(env, InheritedFds));
  // A getter: it opens libdw (stacktrace.cc), which only -k needs.
  exports.DefineProperty(Napi::PropertyDescriptor::Accessor(
      env, exports, "stackTracesSupported",
      [](const Napi::CallbackInfo& info) -> Napi::Value { return Napi::Boolean::New(info.Env(), engine::StackUnwinder::available()); },
      napi_enumerable));
  exports.Set("errnoName", Napi::Function::New(env, ErrnoName));
  exports.Set("errnoText", Napi::Function::New(env, ErrnoText));
  exports.Set("signalName", Napi::Function::New(env, SignalName));
  exports.Set("formatCall", Napi::Function::New(env, FormatCall));
  fsprobe::Register(env, exports);
  exports.Set("unixSockets", Napi::Function::New(env, UnixSockets));
  exports.Set("limitMallocArenas", Napi::Function::New(env, LimitMallocArenas));
  exports.Set("setProcessName", Napi::Function::New(env, SetProcessName));
  env.AddCleanupHook(shutdown_all);
  return exports;
}

}  // namespace

NODE_API_MODULE(systrace, Init)
