// Pids as strace prints them: with -Y (--decode-pids=comm) the process's name after the number, and
// with --pidns-translation, for a tracee in another pid namespace, the number that pid has in ours.
//
// Translation follows strace's rule: a process's "NSpid:" (NStgid, NSpgid, NSsid) line in /proc lists
// its ids from the outermost namespace /proc can see to its own; its namespace and their parents come
// from /proc/PID/ns/pid and the NS_GET_PARENT ioctl. The process whose id in the tracee's namespace is
// the pid asked about gives its id in ours. Found processes are remembered (and checked again).
#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "decoder.h"

namespace decode {

namespace {

constexpr size_t kMaxDepth = 32;

// The pid namespace of /proc/PID (0: ourselves) and its ancestors, innermost first.
std::vector<uint64_t> ns_hierarchy(int proc_pid, size_t max = kMaxDepth) {
  std::vector<uint64_t> out;
  char path[64];
  if (proc_pid)
    snprintf(path, sizeof path, "/proc/%d/ns/pid", proc_pid);
  else
    snprintf(path, sizeof path, "/proc/self/ns/pid");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  while (out.size() < max) {
    struct stat st;
    if (fstat(fd, &st) != 0) break;
    out.push_back(st.st_ino);
    if (out.size() >= max) break;
    int parent = ioctl(fd, NS_GET_PARENT);
    if (parent < 0) break;  // EPERM: above our own namespace
    close(fd);
    fd = parent;
  }
  close(fd);
  return out;
}

// The ids of a process of one kind, from the outermost namespace /proc sees to its own.
std::vector<int> id_list(int proc_pid, PidType type) {
  static const char* const kKeys[] = {"NSpid:", "NStgid:", "NSpgid:", "NSsid:"};
  std::vector<int> out;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", proc_pid);
  FILE* f = fopen(path, "re");
  if (!f) return out;
  char line[512];
  const char* key = kKeys[type];
  const size_t klen = strlen(key);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, klen) != 0) continue;
    char* p = line + klen;
    for (;;) {
      char* end;
      long v = strtol(p, &end, 10);
      if (end == p) break;
      out.push_back(static_cast<int>(v));
      p = end;
    }
    break;
  }
  fclose(f);
  return out;
}

// strace's translate_id_proc_pid: the id in our namespace when proc_pid has id from_id in from_ns.
int match(int proc_pid, uint64_t from_ns, int from_id, PidType type) {
  std::vector<uint64_t> ns = ns_hierarchy(proc_pid);
  std::vector<int> ids = id_list(proc_pid, type);
  if (ns.empty() || ids.size() < ns.size()) return 0;
  const int ours = ids[ids.size() - ns.size()];
  for (size_t i = 0; i < ns.size(); i++) {
    if (ns[i] != from_ns) continue;
    return ids[ids.size() - i - 1] == from_id ? ours : 0;
  }
  return 0;
}

std::mutex g_mu;
std::map<std::tuple<uint64_t, int, int>, int> g_cache;  // (namespace, id, type) -> proc pid

int scan(const char* dir_path, bool tasks, uint64_t from_ns, int from_id, PidType type, int* proc_pid) {
  DIR* dir = opendir(dir_path);
  if (!dir) return 0;
  int result = 0;
  while (!result) {
    struct dirent* e = readdir(dir);
    if (!e) break;
    if (e->d_type != DT_DIR) continue;
    int pid = atoi(e->d_name);
    if (pid <= 0) continue;
    if (tasks) {
      char sub[64];
      snprintf(sub, sizeof sub, "/proc/%d/task", pid);
      result = scan(sub, false, from_ns, from_id, type, proc_pid);
      if (result) break;
    }
    result = match(pid, from_ns, from_id, type);
    if (result) *proc_pid = pid;
  }
  closedir(dir);
  return result;
}

// Whether the pid namespace of /proc/PID is `ns` or one below it.
bool within(int proc_pid, uint64_t ns) {
  for (uint64_t n : ns_hierarchy(proc_pid))
    if (n == ns) return true;
  return false;
}

// The number /proc knows a tracee of ours by. It is the tid itself unless /proc was mounted from
// another pid namespace than ours (`unshare -pf` without --mount-proc): then the process of our
// namespace (or one below it) whose NSpid has the tid at our level (our own NSpid's last place) is
// looked for, and remembered.
int proc_pid_of(int tid, uint64_t ours) {
  static const int level = [] {
    char self[32] = "";
    ssize_t n = readlink("/proc/self", self, sizeof self - 1);
    if (n <= 0) return -1;
    self[n] = 0;
    if (atoi(self) == getpid()) return -1;  // /proc is ours
    std::vector<int> ids = id_list(atoi(self), PT_TID);
    return ids.empty() ? -1 : static_cast<int>(ids.size()) - 1;
  }();
  if (level < 0) return tid;
  static std::map<int, int> known;  // our tid -> /proc's pid (under g_mu)
  auto it = known.find(tid);
  if (it != known.end()) {
    std::vector<int> ids = id_list(it->second, PT_TID);
    if (static_cast<int>(ids.size()) > level && ids[level] == tid && within(it->second, ours)) return it->second;
    known.erase(it);
  }
  DIR* dir = opendir("/proc");
  if (!dir) return tid;
  int found = 0;
  while (struct dirent* e = readdir(dir)) {
    int pid = atoi(e->d_name);
    if (pid <= 0) continue;
    std::vector<int> ids = id_list(pid, PT_TID);
    if (static_cast<int>(ids.size()) > level && ids[level] == tid && within(pid, ours)) {
      found = pid;
      break;
    }
  }
  closedir(dir);
  if (!found) return tid;
  known[tid] = found;
  return found;
}

// Our own pid namespace.
uint64_t our_ns() {
  static const uint64_t ours = [] {
    std::vector<uint64_t> h = ns_hierarchy(0, 1);
    return h.empty() ? uint64_t{0} : h[0];
  }();
  return ours;
}

}  // namespace

int proc_pid(int pid) {
  if (pid <= 0) return pid;
  const uint64_t ours = our_ns();
  std::lock_guard<std::mutex> lk(g_mu);
  return proc_pid_of(pid, ours);
}

int translate_pid(const Call& c, int pid, PidType type) {
  if (pid <= 0 || type == PT_NONE) return 0;
  const uint64_t ours = our_ns();
  std::lock_guard<std::mutex> lk(g_mu);
  std::vector<uint64_t> theirs = ns_hierarchy(proc_pid_of(c.tid > 0 ? c.tid : c.pid, ours), 1);
  if (theirs.empty() || theirs[0] == ours) return pid;  // the same namespace: nothing to translate
  const uint64_t from_ns = theirs[0];
  auto key = std::make_tuple(from_ns, pid, static_cast<int>(type));
  auto it = g_cache.find(key);
  if (it != g_cache.end()) {
    if (int r = match(it->second, from_ns, pid, type)) return r;
    g_cache.erase(it);
  }
  int proc_pid = 0;
  int r = scan("/proc", type == PT_TID, from_ns, pid, type, &proc_pid);
  if (r) g_cache[key] = proc_pid;
  return r;
}

std::string quote_comm(const std::string& comm) {
  std::string out;
  for (unsigned char ch : comm) {
    if (ch == '<' || ch == '>' || ch == '\\' || ch == '"' || ch < ' ' || ch >= 0x7f) {
      char buf[8];
      switch (ch) {
        case '\\': out.append("\\\\"); continue;
        case '"': out.append("\\\""); continue;
        case '\t': out.append("\\t"); continue;
        case '\n': out.append("\\n"); continue;
        case '\v': out.append("\\v"); continue;
        case '\f': out.append("\\f"); continue;
        case '\r': out.append("\\r"); continue;
        default: break;
      }
      snprintf(buf, sizeof buf, "\\%o", ch);
      out.append(buf);
      continue;
    }
    out.push_back(static_cast<char>(ch));
  }
  return out;
}

void print_pid(const Call& c, int pid, PidType type) {
  c.printf("%d", pid);
  const unsigned bits = c.opts ? c.opts->decode_pids : 0;
  const bool comm = (bits & DECODE_PIDS_COMM) && (type == PT_TID || type == PT_TGID);
  if (!(bits & DECODE_PIDS_NS) && !comm) return;
  int ours = translate_pid(c, pid, type);
  if (!ours) return;
  if (comm) {
    char path[64], buf[64];
    snprintf(path, sizeof path, "/proc/%d/comm", ours);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ssize_t n = read(fd, buf, sizeof buf);
      close(fd);
      if (n > 0 && buf[n - 1] == '\n') n--;
      if (n > 0) c.printf("<%s>", quote_comm(std::string(buf, static_cast<size_t>(n))).c_str());
    }
  }
  if ((bits & DECODE_PIDS_NS) && ours != pid) c.printf(" /* %d in strace's PID NS */", ours);
}

void print_pid_tgid_pgid(const Call& c, int pid) {
  if (pid > 0) {
    print_pid(c, pid, PT_TGID);
  } else if (pid < -1) {
    c.printf("%d", pid);
    const unsigned bits = c.opts ? c.opts->decode_pids : 0;
    if (!(bits & DECODE_PIDS_NS)) return;
    int ours = translate_pid(c, -pid, PT_PGID);
    if (ours && ours != -pid) c.printf(" /* %d in strace's PID NS */", ours);
  } else {
    c.printf("%d", pid);
  }
}

}  // namespace decode
