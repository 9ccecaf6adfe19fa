// bpf(2): the command, then its member of union bpf_attr as strace 6.1 prints it, then the size the
// caller gave.
//
// The attribute is read whole (up to a page) and each command prints the fields that fit in what
// was given: a caller built against older headers passes a shorter attr, and the fields past its
// end are not shown. Bytes past the end of what strace 6.1 knows of a command's structure are shown
// when any is not zero: "..." , or with -v the bytes in hex and their offsets in a comment.
// Commands that the kernel answers through the attr (the *_GET_NEXT_ID ones, OBJ_GET_INFO_BY_FD,
// PROG_QUERY, TASK_FD_QUERY, the batch ones) are read again at exit, with the changed values after
// " => ".
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <linux/filter.h>

#include "fields.h"
#include "net_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {

namespace {

void sep(const Call& c) { c.print(", "); }

constexpr unsigned kPageSize = 4096;  // strace reads no more of an attr than a page

// The uapi values the decoder branches on (linux/bpf.h; kept here so older headers build too).
enum : uint32_t {
  kMapNumaNode = 1u << 2,   // BPF_F_NUMA_NODE
  kAttachReplace = 1u << 2,  // BPF_F_REPLACE
  kTraceIter = 28,          // BPF_TRACE_ITER
  kPerfEvent = 41,          // BPF_PERF_EVENT
  kTraceKprobeMulti = 42,   // BPF_TRACE_KPROBE_MULTI
};

// One eBPF instruction as the kernel lays it out (struct bpf_insn).
struct Insn {
  uint8_t code;
  uint8_t dst_reg : 4;
  uint8_t src_reg : 4;
  int16_t off;
  int32_t imm;
};
static_assert(sizeof(Insn) == 8, "struct bpf_insn is 8 bytes");

// An eBPF program of n instructions: the address, or with -v [{code=..., dst_reg=..., ...}, ...].
void print_ebpf_prog(const Call& c, uint64_t addr, uint64_t n) {
  if (abbrev(c)) {
    print_addr(c, addr);
    return;
  }
  print_array_upto<Insn>(c, addr, n, OnFailure::Address, BPF_MAXINSNS, [&](const Insn& in) {
    Fields f(c);
    print_bpf_filter_code(f.f("code"), in.code, true);
    print_xval(f.f("dst_reg"), xlat_ebpf_regs, in.dst_reg, "BPF_REG_???");
    print_xval(f.f("src_reg"), xlat_ebpf_regs, in.src_reg, "BPF_REG_???");
    f.d("off", in.off);
    f.x("imm", in.imm);
    f.end();
  });
}

// KERNEL_VERSION(4, 19, 0): the number in hex with -X raw, both with -X verbose.
void print_kernel_version(const Call& c, uint32_t v) {
  print_composite(c, v, FMT_HEX,
                  [&] { c.printf("KERNEL_VERSION(%u, %u, %u)", v >> 16, (v >> 8) & 0xff, v & 0xff); });
}

void print_fd_field(Fields& f, const char* name, uint32_t fd) { print_fd(f.f(name), static_cast<int>(fd)); }

// A field the kernel rewrote: "old => new" when it changed, else the value once.
void print_changed_u(Fields& f, const char* name, uint64_t old, uint64_t now) {
  const Call& c = f.f(name);
  if (old != now) c.printf("%llu => ", static_cast<unsigned long long>(old));
  c.printf("%llu", static_cast<unsigned long long>(now));
}
void print_changed_addr(Fields& f, const char* name, uint64_t old, uint64_t now) {
  const Call& c = f.f(name);
  if (old != now) {
    print_addr(c, old);
    c.print(" => ");
  }
  print_addr(c, now);
}

// The attr as read from the tracee: size bytes (no more than a page).
struct Attr {
  const uint8_t* data;
  unsigned size;
  /** Copies what fits of the attr into *s (zero-filled): how many bytes of s were given. */
  template <typename S> unsigned load(S* s) const {
    memset(s, 0, sizeof *s);
    const unsigned len = size < sizeof *s ? size : static_cast<unsigned>(sizeof *s);
    memcpy(s, data, len);
    return len;
  }
};

// Past the known bytes: nothing when they are all zero, else ", ..." (-v: the bytes and where).
void print_extra_data(const Call& c, const uint8_t* data, unsigned size, size_t known) {
  if (size <= known) return;
  const uint8_t* extra = data + known;
  const size_t n = size - known;
  bool nonzero = false;
  for (size_t i = 0; i < n && !nonzero; i++) nonzero = extra[i] != 0;
  if (!nonzero) return;
  if (abbrev(c)) {
    c.print(", ...");
    return;
  }
  c.print(", extra_data=");
  print_hex_bytes(c, extra, n);
  c.printf(" /* bytes %zu..%zu */", known, known + n - 1);
}

// The end of a command's attr: its extra data, then the closing brace.
void finish(const Call& c, const Attr& a, size_t known) {
  print_extra_data(c, a.data, a.size, known);
  c.printc('}');
}

#define END_OF(type, field) (offsetof(type, field) + sizeof(type::field))
// The field starts within the bytes the caller gave.
#define GIVEN(len, type, field) ((len) > offsetof(type, field))

// ---- The commands' structures, as strace 6.1 knows them (each a member of union bpf_attr)

struct MapCreate {
  uint32_t map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
  char map_name[16];
  uint32_t map_ifindex, btf_fd, btf_key_type_id, btf_value_type_id, btf_vmlinux_value_type_id;
  uint64_t map_extra;
};
static_assert(sizeof(MapCreate) == 72, "BPF_MAP_CREATE attr");

struct MapElem {  // BPF_MAP_{LOOKUP,UPDATE,DELETE}_ELEM, BPF_MAP_GET_NEXT_KEY
  uint32_t map_fd;
  uint64_t key, value;  // value: next_key for BPF_MAP_GET_NEXT_KEY
  uint64_t flags;
};

struct ProgLoad {
  uint32_t prog_type, insn_cnt;
  uint64_t insns, license;
  uint32_t log_level, log_size;
  uint64_t log_buf;
  uint32_t kern_version, prog_flags;
  char prog_name[16];
  uint32_t prog_ifindex, expected_attach_type, prog_btf_fd, func_info_rec_size;
  uint64_t func_info;
  uint32_t func_info_cnt, line_info_rec_size;
  uint64_t line_info;
  uint32_t line_info_cnt, attach_btf_id, attach_prog_fd, pad;
  uint64_t fd_array;
};
static_assert(sizeof(ProgLoad) == 128, "BPF_PROG_LOAD attr");

struct ObjPin {
  uint64_t pathname;
  uint32_t bpf_fd, file_flags;
};

struct ProgAttach {
  uint32_t target_fd, attach_bpf_fd, attach_type, attach_flags, replace_bpf_fd;
};

struct ProgDetach {
  uint32_t target_fd, dummy, attach_type;
};

struct TestRun {
  uint32_t prog_fd, retval, data_size_in, data_size_out;
  uint64_t data_in, data_out;
  uint32_t repeat, duration, ctx_size_in, ctx_size_out;
  uint64_t ctx_in, ctx_out;
  uint32_t flags, cpu, batch_size;
};

struct GetId {  // BPF_*_GET_NEXT_ID (start_id), BPF_{PROG,MAP}_GET_FD_BY_ID (prog_id, map_id)
  uint32_t id, next_id, open_flags;
};

struct GetInfo {
  uint32_t bpf_fd, info_len;
  uint64_t info;
};

struct ProgQuery {
  uint32_t target_fd, attach_type, query_flags, attach_flags;
  uint64_t prog_ids;
  uint32_t prog_cnt;
};

struct RawTracepoint {
  uint64_t name;
  uint32_t prog_fd;
};

struct BtfLoad {
  uint64_t btf, btf_log_buf;
  uint32_t btf_size, btf_log_size, btf_log_level;
};

struct TaskFdQuery {
  uint32_t pid, fd, flags, buf_len;
  uint64_t buf;
  uint32_t prog_id, fd_type;
  uint64_t probe_offset, probe_addr;
};

struct Batch {
  uint64_t in_batch, out_batch, keys, values;
  uint32_t count, map_fd;
  uint64_t elem_flags, flags;
};

struct LinkCreate {
  uint32_t prog_fd, target_fd, attach_type, flags;
  union {
    uint32_t target_btf_id;
    struct {
      uint64_t iter_info;
      uint32_t iter_info_len;
    } iter;
    uint64_t bpf_cookie;  // perf_event
    struct {
      uint32_t flags, cnt;
      uint64_t syms, addrs, cookies;
    } kprobe_multi;
  };
};
static_assert(sizeof(LinkCreate) == 48, "BPF_LINK_CREATE attr");

struct LinkUpdate {
  uint32_t link_fd, new_prog_fd, flags, old_prog_fd;
};

struct MapInfo {  // struct bpf_map_info
  uint32_t type, id, key_size, value_size, max_entries, map_flags;
  char name[16];
  uint32_t ifindex, btf_vmlinux_value_type_id;
  uint64_t netns_dev, netns_ino;
  uint32_t btf_id, btf_key_type_id, btf_value_type_id, pad;
  uint64_t map_extra;
};
static_assert(sizeof(MapInfo) == 88, "struct bpf_map_info");

struct ProgInfo {  // struct bpf_prog_info
  uint32_t type, id;
  uint8_t tag[8];
  uint32_t jited_prog_len, xlated_prog_len;
  uint64_t jited_prog_insns, xlated_prog_insns, load_time;
  uint32_t created_by_uid, nr_map_ids;
  uint64_t map_ids;
  char name[16];
  uint32_t ifindex, gpl_compatible;  // gpl_compatible: bit 0
  uint64_t netns_dev, netns_ino;
  uint32_t nr_jited_ksyms, nr_jited_func_lens;
  uint64_t jited_ksyms, jited_func_lens;
  uint32_t btf_id, func_info_rec_size;
  uint64_t func_info;
  uint32_t nr_func_info, nr_line_info;
  uint64_t line_info, jited_line_info;
  uint32_t nr_jited_line_info, line_info_rec_size, jited_line_info_rec_size, nr_prog_tags;
  uint64_t prog_tags, run_time_ns, run_cnt, recursion_misses;
  uint32_t verified_insns;
};
constexpr size_t kProgInfoSize = END_OF(ProgInfo, verified_insns);
static_assert(kProgInfoSize == 220, "struct bpf_prog_info");

// ---- One printer per command: prints "{...}" and returns the RVAL_* flags

int map_create(Call& c, const Attr& attr) {
  MapCreate a;
  const unsigned len = attr.load(&a);
  Fields f(c);
  [&] {
    f.xval("map_type", xlat_bpf_map_types, a.map_type, "BPF_MAP_TYPE_???");
    f.u("key_size", a.key_size);
    f.u("value_size", a.value_size);
    f.u("max_entries", a.max_entries);
    if (!GIVEN(len, MapCreate, map_flags)) return;
    f.flags("map_flags", xlat_bpf_map_flags, a.map_flags, "BPF_F_???");
    if (!GIVEN(len, MapCreate, inner_map_fd)) return;
    print_fd_field(f, "inner_map_fd", a.inner_map_fd);
    if (!GIVEN(len, MapCreate, numa_node)) return;
    // The kernel's "no node" (-1) is not in uapi headers: strace always says what it means.
    if (a.map_flags & kMapNumaNode)
      with_xstyle(c, verbose_unless_raw(c), [&] { print_xval_u(f.f("numa_node"), xlat_numa_node, a.numa_node); });
    if (!GIVEN(len, MapCreate, map_name)) return;
    f.cstr("map_name", a.map_name, std::min<size_t>(sizeof a.map_name, len - offsetof(MapCreate, map_name)));
    if (!GIVEN(len, MapCreate, map_ifindex)) return;
    net::print_ifindex(f.f("map_ifindex"), a.map_ifindex);
    if (!GIVEN(len, MapCreate, btf_fd)) return;
    print_fd_field(f, "btf_fd", a.btf_fd);
    f.u("btf_key_type_id", a.btf_key_type_id);
    f.u("btf_value_type_id", a.btf_value_type_id);
    if (!GIVEN(len, MapCreate, btf_vmlinux_value_type_id)) return;
    f.u("btf_vmlinux_value_type_id", a.btf_vmlinux_value_type_id);
    if (!GIVEN(len, MapCreate, map_extra)) return;
    f.u("map_extra", a.map_extra);
  }();
  finish(c, attr, sizeof a);
  return RVAL_DECODED | RVAL_FD;
}

// BPF_MAP_{LOOKUP,UPDATE,DELETE}_ELEM and BPF_MAP_GET_NEXT_KEY: a map, a key, and what each adds.
enum class ElemCmd { Lookup, Update, Delete, NextKey };
int map_elem(Call& c, const Attr& attr, ElemCmd cmd) {
  MapElem a;
  const unsigned len = attr.load(&a);
  size_t known = sizeof a;
  Fields f(c);
  print_fd_field(f, "map_fd", a.map_fd);
  f.ptr("key", a.key);
  switch (cmd) {
    case ElemCmd::Lookup:
      f.ptr("value", a.value);
      if (GIVEN(len, MapElem, flags)) print_flags(f.f("flags"), xlat_bpf_map_lookup_elem_flags, a.flags, "BPF_ANY");
      break;
    case ElemCmd::Update:
      f.ptr("value", a.value);
      f.xval("flags", xlat_bpf_map_update_elem_flags, a.flags, "BPF_???");
      break;
    case ElemCmd::Delete:
      known = END_OF(MapElem, key);
      break;
    case ElemCmd::NextKey:
      f.ptr("next_key", a.value);
      known = END_OF(MapElem, value);
      break;
  }
  finish(c, attr, known);
  return RVAL_DECODED;
}
int map_lookup_elem(Call& c, const Attr& attr) { return map_elem(c, attr, ElemCmd::Lookup); }
int map_update_elem(Call& c, const Attr& attr) { return map_elem(c, attr, ElemCmd::Update); }
int map_delete_elem(Call& c, const Attr& attr) { return map_elem(c, attr, ElemCmd::Delete); }
int map_get_next_key(Call& c, const Attr& attr) { return map_elem(c, attr, ElemCmd::NextKey); }

int map_freeze(Call& c, const Attr& attr) {
  uint32_t map_fd;
  attr.load(&map_fd);
  Fields f(c);
  print_fd_field(f, "map_fd", map_fd);
  finish(c, attr, sizeof map_fd);
  return RVAL_DECODED;
}

int prog_load(Call& c, const Attr& attr) {
  ProgLoad a;
  const unsigned len = attr.load(&a);
  Fields f(c);
  [&] {
    f.xval("prog_type", xlat_bpf_prog_types, a.prog_type, "BPF_PROG_TYPE_???");
    f.u("insn_cnt", a.insn_cnt);
    print_ebpf_prog(f.f("insns"), a.insns, a.insn_cnt);
    print_cstr(f.f("license"), a.license);
    if (!GIVEN(len, ProgLoad, log_level)) return;
    f.u("log_level", a.log_level);
    f.u("log_size", a.log_size);
    print_str_ex(f.f("log_buf"), a.log_buf, a.log_size, true);
    if (!GIVEN(len, ProgLoad, kern_version)) return;
    print_kernel_version(f.f("kern_version"), a.kern_version);
    if (!GIVEN(len, ProgLoad, prog_flags)) return;
    f.flags("prog_flags", xlat_bpf_prog_flags, a.prog_flags, "BPF_F_???");
    if (!GIVEN(len, ProgLoad, prog_name)) return;
    f.cstr("prog_name", a.prog_name, std::min<size_t>(sizeof a.prog_name, len - offsetof(ProgLoad, prog_name)));
    if (!GIVEN(len, ProgLoad, prog_ifindex)) return;
    net::print_ifindex(f.f("prog_ifindex"), a.prog_ifindex);
    if (!GIVEN(len, ProgLoad, expected_attach_type)) return;
    f.xval("expected_attach_type", xlat_bpf_attach_type, a.expected_attach_type, "BPF_???");
    if (!GIVEN(len, ProgLoad, prog_btf_fd)) return;
    print_fd_field(f, "prog_btf_fd", a.prog_btf_fd);
    f.u("func_info_rec_size", a.func_info_rec_size);
    f.ptr("func_info", a.func_info);
    f.u("func_info_cnt", a.func_info_cnt);
    f.u("line_info_rec_size", a.line_info_rec_size);
    f.ptr("line_info", a.line_info);
    f.u("line_info_cnt", a.line_info_cnt);
    if (!GIVEN(len, ProgLoad, attach_btf_id)) return;
    f.u("attach_btf_id", a.attach_btf_id);
    if (!GIVEN(len, ProgLoad, attach_prog_fd)) return;
    print_fd_field(f, "attach_prog_fd", a.attach_prog_fd);
    if (!GIVEN(len, ProgLoad, fd_array)) return;
    f.ptr("fd_array", a.fd_array);
  }();
  finish(c, attr, sizeof a);
  return RVAL_DECODED | RVAL_FD;
}

int obj_pin(Call& c, const Attr& attr) {  // and BPF_OBJ_GET
  ObjPin a;
  const unsigned len = attr.load(&a);
  Fields f(c);
  print_path(f.f("pathname"), a.pathname);
  print_fd_field(f, "bpf_fd", a.bpf_fd);
  if (GIVEN(len, ObjPin, file_flags)) f.flags("file_flags", xlat_bpf_file_mode_flags, a.file_flags, "BPF_F_???");
  finish(c, attr, sizeof a);
  return RVAL_DECODED | RVAL_FD;
}

int prog_attach(Call& c, const Attr& attr) {
  ProgAttach a;
  const unsigned len = attr.load(&a);
  Fields f(c);
  print_fd_field(f, "target_fd", a.target_fd);
  print_fd_field(f, "attach_bpf_fd", a.attach_bpf_fd);
  f.xval("attach_type", xlat_bpf_attach_type, a.attach_type, "BPF_???");
  f.flags("attach_flags", xlat_bpf_attach_flags, a.attach_flags, "BPF_F_???");
  if (GIVEN(len, ProgAttach, replace_bpf_fd)) print_fd_field(f, "replace_bpf_fd", a.replace_bpf_fd);
  finish(c, attr, sizeof a);
  return RVAL_DECODED;
}

int prog_detach(Call& c, const Attr& attr) {
  ProgDetach a;
  attr.load(&a);
  Fields f(c);
  print_fd_field(f, "target_fd", a.target_fd);
  f.xval("attach_type", xlat_bpf_attach_type, a.attach_type, "BPF_???");
  finish(c, attr, sizeof a);
  return RVAL_DECODED;
}

int prog_test_run(Call& c, const Attr& attr) {
  TestRun a;
  const unsigned len = attr.load(&a);
  Fields outer(c);
  Fields f(outer.f("test"));
  print_fd_field(f, "prog_fd", a.prog_fd);
  f.u("retval", a.retval);
  f.u("data_size_in", a.data_size_in);
  f.u("data_size_out", a.data_size_out);
  f.ptr("data_in", a.data_in);
  f.ptr("data_out", a.data_out);
  f.u("repeat", a.repeat);
  f.u("duration", a.duration);
  if (GIVEN(len, TestRun, ctx_size_in)) {
    f.u("ctx_size_in", a.ctx_size_in);
    f.u("ctx_size_out", a.ctx_size_out);
    f.ptr("ctx_in", a.ctx_in);
    f.ptr("ctx_out", a.ctx_out);
  }
  if (GIVEN(len, TestRun, flags)) {
    f.flags("flags", xlat_bpf_test_run_flags, a.flags, "BPF_F_???");
    f.u("cpu", a.cpu);
  }
  if (GIVEN(len, TestRun, batch_size)) f.u("batch_size", a.batch_size);
  f.end();
  finish(c, attr, END_OF(TestRun, batch_size));
  return RVAL_DECODED;
}

// BPF_{PROG,MAP,BTF,LINK}_GET_NEXT_ID: next_id is the kernel's answer, shown after " => " when it
// changed.
int get_next_id(Call& c, const Attr& attr) {
  GetId a;
  const unsigned len = attr.load(&a);
  if (c.entering()) {
    c.saved[0] = a.next_id;
    Fields f(c);
    f.u("start_id", a.id);
    f.u("next_id", a.next_id);
    return 0;
  }
  if (c.saved[0] != a.next_id) c.printf(" => %u", a.next_id);
  Fields f(c, false, 2);
  if (GIVEN(len, GetId, open_flags)) f.flags("open_flags", xlat_bpf_file_mode_flags, a.open_flags, "BPF_F_???");
  finish(c, attr, sizeof a);
  return RVAL_DECODED;
}

int get_fd_by_id(Call& c, const Attr& attr, const char* id_name) {
  GetId a;
  const unsigned len = attr.load(&a);
  Fields f(c);
  f.u(id_name, a.id);
  f.u("next_id", a.next_id);
  if (GIVEN(len, GetId, open_flags)) f.flags("open_flags", xlat_bpf_file_mode_flags, a.open_flags, "BPF_F_???");
  finish(c, attr, sizeof a);
  return RVAL_DECODED | RVAL_FD;
}
int prog_get_fd_by_id(Call& c, const Attr& attr) { return get_fd_by_id(c, attr, "prog_id"); }
int map_get_fd_by_id(Call& c, const Attr& attr) { return get_fd_by_id(c, attr, "map_id"); }

int single_id(Call& c, const Attr& attr, const char* name) {
  uint32_t id;
  attr.load(&id);
  Fields f(c);
  f.u(name, id);
  finish(c, attr, sizeof id);
  return RVAL_DECODED | RVAL_FD;
}
int btf_get_fd_by_id(Call& c, const Attr& attr) { return single_id(c, attr, "btf_id"); }
int link_get_fd_by_id(Call& c, const Attr& attr) { return single_id(c, attr, "link_id"); }

// ---- BPF_OBJ_GET_INFO_BY_FD: the info structure (with -v) as the kernel filled it, at exit

// What the entry saw, for the exit: c.saved[0] the info_len, c.saved[1] which structure the
// descriptor's object has, c.saved_text the info bytes (a bpf_prog_info's counts, which the kernel
// rewrites, print as "old => new").
enum InfoKind : uint64_t { INFO_NONE = 0, INFO_MAP, INFO_PROG };

InfoKind info_kind_of(const Call& c, int fd) {
  const std::string link = fd_link(c.pid, fd);
  if (link == "anon_inode:bpf-map") return INFO_MAP;
  if (link == "anon_inode:bpf-prog") return INFO_PROG;
  return INFO_NONE;
}

// The info structure of size bytes at addr (no more than a page), zero-filled past size.
bool read_info(const Call& c, uint64_t addr, uint32_t size, std::string* buf) {
  buf->assign(kPageSize, '\0');
  return size > 0 && size <= kPageSize && read_mem(c, addr, &(*buf)[0], size);
}

void print_map_info(const Call& c, const std::string& buf, uint32_t size) {
  MapInfo m;
  const unsigned len = Attr{reinterpret_cast<const uint8_t*>(buf.data()), size}.load(&m);
  Fields f(c);
  [&] {
    f.xval("type", xlat_bpf_map_types, m.type, "BPF_MAP_TYPE_???");
    f.u("id", m.id);
    f.u("key_size", m.key_size);
    f.u("value_size", m.value_size);
    f.u("max_entries", m.max_entries);
    f.flags("map_flags", xlat_bpf_map_flags, m.map_flags, "BPF_F_???");
    if (!GIVEN(len, MapInfo, name)) return;
    f.cstr("name", m.name);
    if (!GIVEN(len, MapInfo, ifindex)) return;
    net::print_ifindex(f.f("ifindex"), m.ifindex);
    f.u("btf_vmlinux_value_type_id", m.btf_vmlinux_value_type_id);
    f.dev("netns_dev", m.netns_dev);
    f.u("netns_ino", m.netns_ino);
    if (!GIVEN(len, MapInfo, btf_id)) return;
    f.u("btf_id", m.btf_id);
    f.u("btf_key_type_id", m.btf_key_type_id);
    f.u("btf_value_type_id", m.btf_value_type_id);
    print_extra_data(c, reinterpret_cast<const uint8_t*>(buf.data()), size, sizeof m);
  }();
  f.end();
}

// A CLOCK_BOOTTIME time in nanoseconds as the wall clock time it roughly was, in a comment (to the
// second: the offset between the clocks is only known approximately).
void print_boottime(const Call& c, uint64_t ns) {
  if (xstyle(c) == XLAT_RAW) return;
  timespec boot, real;
  if (clock_gettime(CLOCK_BOOTTIME, &boot) || clock_gettime(CLOCK_REALTIME, &real)) return;
  int64_t off_ns = (static_cast<int64_t>(real.tv_sec) - boot.tv_sec) * 1000000000 + (real.tv_nsec - boot.tv_nsec);
  const int64_t at = off_ns + static_cast<int64_t>(ns);
  print_time_comment(c, at / 1000000000, 0);
}

void print_prog_info(const Call& c, const std::string& buf, uint32_t size, const ProgInfo& old) {
  ProgInfo p;
  const unsigned len = Attr{reinterpret_cast<const uint8_t*>(buf.data()), size}.load(&p);
  Fields f(c);
  [&] {
    f.xval("type", xlat_bpf_prog_types, p.type, "BPF_PROG_TYPE_???");
    f.u("id", p.id);
    print_hex_bytes(f.f("tag"), p.tag, sizeof p.tag);
    print_changed_u(f, "jited_prog_len", old.jited_prog_len, p.jited_prog_len);
    print_buf_hex(f.f("jited_prog_insns"), p.jited_prog_insns, p.jited_prog_len);
    print_changed_u(f, "xlated_prog_len", old.xlated_prog_len, p.xlated_prog_len);
    print_ebpf_prog(f.f("xlated_prog_insns"), p.xlated_prog_insns,
                    std::min(old.xlated_prog_len, p.xlated_prog_len) / sizeof(Insn));
    if (!GIVEN(len, ProgInfo, load_time)) return;
    f.u("load_time", p.load_time);
    print_boottime(c, p.load_time);
    print_id(f.f("created_by_uid"), p.created_by_uid);
    print_changed_u(f, "nr_map_ids", old.nr_map_ids, p.nr_map_ids);
    print_array<uint32_t>(f.f("map_ids"), p.map_ids, std::min(old.nr_map_ids, p.nr_map_ids),
                          [&](uint32_t id) { c.printf("%u", id); });
    f.cstr("name", p.name);
    if (!GIVEN(len, ProgInfo, ifindex)) return;
    net::print_ifindex(f.f("ifindex"), p.ifindex);
    f.u("gpl_compatible", p.gpl_compatible & 1);
    f.dev("netns_dev", p.netns_dev);
    f.u("netns_ino", p.netns_ino);
    if (!GIVEN(len, ProgInfo, nr_jited_ksyms)) return;
    print_changed_u(f, "nr_jited_ksyms", old.nr_jited_ksyms, p.nr_jited_ksyms);
    print_changed_u(f, "nr_jited_func_lens", old.nr_jited_func_lens, p.nr_jited_func_lens);
    print_changed_addr(f, "jited_ksyms", old.jited_ksyms, p.jited_ksyms);
    print_changed_addr(f, "jited_func_lens", old.jited_func_lens, p.jited_func_lens);
    if (!GIVEN(len, ProgInfo, btf_id)) return;
    f.u("btf_id", p.btf_id);
    print_changed_u(f, "func_info_rec_size", old.func_info_rec_size, p.func_info_rec_size);
    f.ptr("func_info", p.func_info);
    print_changed_u(f, "nr_func_info", old.nr_func_info, p.nr_func_info);
    print_changed_u(f, "nr_line_info", old.nr_line_info, p.nr_line_info);
    f.ptr("line_info", p.line_info);
    print_changed_addr(f, "jited_line_info", old.jited_line_info, p.jited_line_info);
    print_changed_u(f, "nr_jited_line_info", old.nr_jited_line_info, p.nr_jited_line_info);
    print_changed_u(f, "line_info_rec_size", old.line_info_rec_size, p.line_info_rec_size);
    print_changed_u(f, "jited_line_info_rec_size", old.jited_line_info_rec_size, p.jited_line_info_rec_size);
    print_changed_u(f, "nr_prog_tags", old.nr_prog_tags, p.nr_prog_tags);
    f.ptr("prog_tags", p.prog_tags);
    if (!GIVEN(len, ProgInfo, run_time_ns)) return;
    f.u("run_time_ns", p.run_time_ns);
    f.u("run_cnt", p.run_cnt);
    if (!GIVEN(len, ProgInfo, recursion_misses)) return;
    f.u("recursion_misses", p.recursion_misses);
    if (!GIVEN(len, ProgInfo, verified_insns)) return;
    f.u("verified_insns", p.verified_insns);
    print_extra_data(c, reinterpret_cast<const uint8_t*>(buf.data()), size, kProgInfoSize);
  }();
  f.end();
}

int obj_get_info_by_fd(Call& c, const Attr& attr) {
  GetInfo a;
  attr.load(&a);
  std::string info;
  if (c.entering()) {
    c.saved[0] = a.info_len;
    Fields outer(c);
    Fields f(outer.f("info"));
    print_fd_field(f, "bpf_fd", a.bpf_fd);
    f.u("info_len", a.info_len);
    if (!abbrev(c)) {
      // Which structure to print is told by what the descriptor is; a program's counts are kept
      // from the entry (zero when the info could not be read), to show how the kernel changed them.
      c.saved[1] = info_kind_of(c, static_cast<int>(a.bpf_fd));
      if (c.saved[1] == INFO_PROG) {
        read_info(c, a.info, a.info_len, &info);
        c.saved_text = info.substr(0, sizeof(ProgInfo));
      }
    }
    return 0;
  }
  if (c.saved[0] != a.info_len) c.printf(" => %u", a.info_len);
  c.print(", info=");
  const InfoKind kind = abbrev(c) ? INFO_NONE : static_cast<InfoKind>(c.saved[1]);
  if (kind == INFO_NONE || !read_info(c, a.info, a.info_len, &info)) {
    print_addr(c, a.info);
  } else if (kind == INFO_MAP) {
    print_map_info(c, info, a.info_len);
  } else {
    ProgInfo old{};
    memcpy(&old, c.saved_text.data(), std::min(sizeof old, c.saved_text.size()));
    print_prog_info(c, info, a.info_len, old);
  }
  c.printc('}');
  finish(c, attr, sizeof a);
  return RVAL_DECODED;
}

int prog_query(Call& c, const Attr& attr) {
  ProgQuery a;
  attr.load(&a);
  if (c.entering()) {
    c.saved[0] = a.prog_cnt;
    Fields outer(c);
    Fields f(outer.f("query"));
    print_fd_field(f, "target_fd", a.target_fd);
    f.xval("attach_type", xlat_bpf_attach_type, a.attach_type, "BPF_???");
    f.flags("query_flags", xlat_bpf_query_flags, a.query_flags, "BPF_F_QUERY_???");
    f.flags("attach_flags", xlat_bpf_attach_flags, a.attach_flags, "BPF_F_???");
    f.f("prog_ids");
    return 0;
  }
  print_array<uint32_t>(c, a.prog_ids, a.prog_cnt, [&](uint32_t id) { c.printf("%u", id); });
  Fields f(c, false, 5);
  print_changed_u(f, "prog_cnt", c.saved[0], a.prog_cnt);
  f.end();
  finish(c, attr, END_OF(ProgQuery, prog_cnt));
  return RVAL_DECODED;
}

int raw_tracepoint_open(Call& c, const Attr& attr) {
  RawTracepoint a;
  attr.load(&a);
  Fields outer(c);
  Fields f(outer.f("raw_tracepoint"));
  print_str_ex(f.f("name"), a.name, 128, true);
  print_fd_field(f, "prog_fd", a.prog_fd);
  f.end();
  finish(c, attr, END_OF(RawTracepoint, prog_fd));
  return RVAL_DECODED;
}

int btf_load(Call& c, const Attr& attr) {
  BtfLoad a;
  attr.load(&a);
  Fields f(c);
  print_buf(f.f("btf"), a.btf, a.btf_size);
  f.ptr("btf_log_buf", a.btf_log_buf);
  f.u("btf_size", a.btf_size);
  f.u("btf_log_size", a.btf_log_size);
  f.u("btf_log_level", a.btf_log_level);
  finish(c, attr, END_OF(BtfLoad, btf_log_level));
  return RVAL_DECODED | RVAL_FD;
}

int task_fd_query(Call& c, const Attr& attr) {
  TaskFdQuery a;
  attr.load(&a);
  if (c.entering()) {
    c.saved[0] = a.buf_len;
    Fields outer(c);
    Fields f(outer.f("task_fd_query"));
    print_pid(f.f("pid"), static_cast<int>(a.pid), PT_TGID);
    print_fd_field(f, "fd", a.fd);
    f.u("flags", a.flags);
    f.u("buf_len", a.buf_len);
    return 0;
  }
  if (c.saved[0] != a.buf_len) c.printf(" => %u", a.buf_len);
  Fields f(c, false, 4);
  print_str_ex(f.f("buf"), a.buf, std::min<uint64_t>(c.saved[0], a.buf_len), true);
  f.u("prog_id", a.prog_id);
  f.xval("fd_type", xlat_bpf_task_fd_type, a.fd_type, "BPF_FD_TYPE_???");
  f.x("probe_offset", a.probe_offset);
  f.x("probe_addr", a.probe_addr);
  f.end();
  finish(c, attr, sizeof a);
  return RVAL_DECODED;
}

// The batch commands: count is how many elements the kernel handled, shown at exit when it changed.
int batch(Call& c, const Attr& attr, bool lookup, bool update) {
  Batch a;
  attr.load(&a);
  if (c.exiting) {
    if (c.saved[0] != a.count) c.printf(" => {batch={count=%u}}", a.count);
    return RVAL_DECODED;
  }
  c.saved[0] = a.count;
  Fields outer(c);
  Fields f(outer.f("batch"));
  if (lookup) {
    f.ptr("in_batch", a.in_batch);
    f.ptr("out_batch", a.out_batch);
  }
  f.ptr("keys", a.keys);
  if (update) f.ptr("values", a.values);
  f.u("count", a.count);
  print_fd_field(f, "map_fd", a.map_fd);
  print_flags(f.f("elem_flags"), xlat_bpf_map_lookup_elem_flags, a.elem_flags, "BPF_ANY");
  f.x("flags", a.flags);
  f.end();
  finish(c, attr, sizeof a);
  return 0;
}
int map_lookup_batch(Call& c, const Attr& attr) { return batch(c, attr, true, true); }
int map_update_batch(Call& c, const Attr& attr) { return batch(c, attr, false, true); }
int map_delete_batch(Call& c, const Attr& attr) { return batch(c, attr, false, false); }

int link_create(Call& c, const Attr& attr) {
  LinkCreate a;
  const unsigned len = attr.load(&a);
  size_t known = sizeof a;
  Fields outer(c);
  Fields f(outer.f("link_create"));
  print_fd_field(f, "prog_fd", a.prog_fd);
  print_fd_field(f, "target_fd", a.target_fd);
  f.xval("attach_type", xlat_bpf_attach_type, a.attach_type, "BPF_???");
  f.x("flags", a.flags);
  if (GIVEN(len, LinkCreate, target_btf_id)) {
    // Which member of the union the rest is can only be guessed from the attach type.
    switch (a.attach_type) {
      case 0:  // BPF_CGROUP_INET_INGRESS: what the kernel takes for a BPF_PROG_TYPE_EXT link
        if (a.target_btf_id) f.u("target_btf_id", a.target_btf_id);
        known = END_OF(LinkCreate, target_btf_id);
        break;
      case kTraceIter:
        print_array<uint32_t>(f.f("iter_info"), a.iter.iter_info, a.iter.iter_info_len, [&](uint32_t fd) {
          c.print("{map={map_fd=");
          print_fd(c, static_cast<int>(fd));
          c.print("}}");
        });
        f.u("iter_info_len", a.iter.iter_info_len);
        known = END_OF(LinkCreate, iter.iter_info_len);
        break;
      case kPerfEvent: {
        Fields pe(f.f("perf_event"));
        pe.x("bpf_cookie", a.bpf_cookie);
        pe.end();
        known = END_OF(LinkCreate, bpf_cookie);
        break;
      }
      case kTraceKprobeMulti: {
        const auto& k = a.kprobe_multi;
        Fields km(f.f("kprobe_multi"));
        km.flags("flags", xlat_bpf_kprobe_multi_flags, k.flags, "BPF_F_???");
        km.u("cnt", k.cnt);
        print_array<uint64_t>(km.f("syms"), k.syms, k.cnt, [&](uint64_t s) { print_cstr(c, s); });
        print_array<uint64_t>(km.f("addrs"), k.addrs, k.cnt, [&](uint64_t v) { print_hex(c, v); });
        print_array<uint64_t>(km.f("cookies"), k.cookies, k.cnt, [&](uint64_t v) { print_hex(c, v); });
        km.end();
        break;
      }
      default:
        // The union is unknown for this attach type: any non-zero byte of it is extra data.
        known = END_OF(LinkCreate, flags);
    }
  }
  f.end();
  finish(c, attr, known);
  return RVAL_DECODED | RVAL_FD;
}

int link_update(Call& c, const Attr& attr) {
  LinkUpdate a;
  attr.load(&a);
  Fields outer(c);
  Fields f(outer.f("link_update"));
  print_fd_field(f, "link_fd", a.link_fd);
  print_fd_field(f, "new_prog_fd", a.new_prog_fd);
  f.flags("flags", xlat_bpf_attach_flags, a.flags, "BPF_F_???");
  if (a.flags & kAttachReplace) print_fd_field(f, "old_prog_fd", a.old_prog_fd);
  f.end();
  finish(c, attr, sizeof a);
  return RVAL_DECODED;
}

using CmdPrinter = int (*)(Call& c, const Attr& attr);

// Indexed by command (BPF_MAP_CREATE is 0); a command without a printer shows the attr's address.
const CmdPrinter kCommands[] = {
    map_create,          // BPF_MAP_CREATE
    map_lookup_elem,     // BPF_MAP_LOOKUP_ELEM
    map_update_elem,     // BPF_MAP_UPDATE_ELEM
    map_delete_elem,     // BPF_MAP_DELETE_ELEM
    map_get_next_key,    // BPF_MAP_GET_NEXT_KEY
    prog_load,           // BPF_PROG_LOAD
    obj_pin,             // BPF_OBJ_PIN
    obj_pin,             // BPF_OBJ_GET
    prog_attach,         // BPF_PROG_ATTACH
    prog_detach,         // BPF_PROG_DETACH
    prog_test_run,       // BPF_PROG_TEST_RUN
    get_next_id,         // BPF_PROG_GET_NEXT_ID
    get_next_id,         // BPF_MAP_GET_NEXT_ID
    prog_get_fd_by_id,   // BPF_PROG_GET_FD_BY_ID
    map_get_fd_by_id,    // BPF_MAP_GET_FD_BY_ID
    obj_get_info_by_fd,  // BPF_OBJ_GET_INFO_BY_FD
    prog_query,          // BPF_PROG_QUERY
    raw_tracepoint_open, // BPF_RAW_TRACEPOINT_OPEN
    btf_load,            // BPF_BTF_LOAD
    btf_get_fd_by_id,    // BPF_BTF_GET_FD_BY_ID
    task_fd_query,       // BPF_TASK_FD_QUERY
    map_lookup_elem,     // BPF_MAP_LOOKUP_AND_DELETE_ELEM
    map_freeze,          // BPF_MAP_FREEZE
    get_next_id,         // BPF_BTF_GET_NEXT_ID
    map_lookup_batch,    // BPF_MAP_LOOKUP_BATCH
    map_lookup_batch,    // BPF_MAP_LOOKUP_AND_DELETE_BATCH
    map_update_batch,    // BPF_MAP_UPDATE_BATCH
    map_delete_batch,    // BPF_MAP_DELETE_BATCH
    link_create,         // BPF_LINK_CREATE
    link_update,         // BPF_LINK_UPDATE
    link_get_fd_by_id,   // BPF_LINK_GET_FD_BY_ID
    get_next_id,         // BPF_LINK_GET_NEXT_ID
};

int sys_bpf(Call& c) {
  const unsigned cmd = c.arg_uint(0);
  const uint64_t addr = c.arg(1);
  const unsigned size = c.arg_uint(2);
  if (c.entering()) {
    print_xval(c, xlat_bpf_commands, cmd, "BPF_???");
    sep(c);
  }
  int rc = RVAL_DECODED;
  const CmdPrinter printer = cmd < sizeof kCommands / sizeof kCommands[0] ? kCommands[cmd] : nullptr;
  if (size > 0 && size <= kPageSize && printer) {
    // Read even at the exit of a failed call: the attr is what the caller passed.
    uint8_t data[kPageSize];
    if (addr == 0 || !structs_decoded(c) || !read_mem(c, addr, data, size))
      print_addr(c, addr);
    else
      rc = printer(c, Attr{data, size});
  } else {
    print_addr(c, addr);
  }
  if (c.exiting || (rc & RVAL_DECODED)) c.printf(", %u", size);
  return rc;
}

const NamedDecoder kBpfDecoders[] = {
    {"bpf", sys_bpf},
};

}  // namespace

const DecoderFamily family_bpf = {kBpfDecoders, sizeof kBpfDecoders / sizeof kBpfDecoders[0]};

}  // namespace decode
