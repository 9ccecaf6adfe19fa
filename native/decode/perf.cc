// perf_event_open(attr, pid, cpu, group_fd, flags) and the PERF_EVENT_IOC_* requests ('$') on the
// descriptors it returns. Both print a struct perf_event_attr field by field, as strace 6.1 does:
// the fields of the structure's version 7 (128 bytes) at most, only those within the size the
// caller gave (the kernel accepts a structure cut anywhere), abbreviated to the fields before
// wakeup_events without -v, and the union members the event's type gives meaning to.
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

#include <cstddef>
#include <cstring>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {

namespace {

// The last version of the structure printed in full; the bytes after it are "...".
constexpr uint32_t kAttrSize = PERF_ATTR_SIZE_VER7;
static_assert(sizeof(perf_event_attr) >= kAttrSize, "perf_event_attr older than its version 7");
// Without -v: the fields up to the flag bits.
constexpr uint32_t kAbbrevSize = offsetof(perf_event_attr, wakeup_events);
// The flag bits (disabled, inherit, ..., sigtrap) fill the 64-bit word after read_format.
constexpr size_t kFlagsOffset = offsetof(perf_event_attr, read_format) + sizeof(__u64);

// The one-bit flags in bit order: the first group comes before precise_ip (bits 15-16), the second
// after it; __reserved_1 holds bits 38-63.
const char* const kFlagsLow[] = {"disabled",       "inherit",     "pinned",       "exclusive",
                                 "exclude_user",   "exclude_kernel", "exclude_hv", "exclude_idle",
                                 "mmap",           "comm",        "freq",         "inherit_stat",
                                 "enable_on_exec", "task",        "watermark"};
constexpr unsigned kPreciseIpShift = 15;
const char* const kFlagsHigh[] = {
    "mmap_data", "sample_id_all", "exclude_host", "exclude_guest", "exclude_callchain_kernel",
    "exclude_callchain_user", "mmap2", "comm_exec", "use_clockid", "context_switch", "write_backward",
    "namespaces", "ksymbol", "bpf_event", "aux_output", "cgroup", "text_poke", "build_id",
    "inherit_thread", "remove_on_exec", "sigtrap"};
constexpr unsigned kFlagsHighShift = 17;
constexpr unsigned kReservedShift = kFlagsHighShift + sizeof kFlagsHigh / sizeof kFlagsHigh[0];
static_assert(kReservedShift == 38, "perf_event_attr's flag bits");
const char* const kPreciseIp[] = {"arbitrary skid", "constant skid", "requested to have 0 skid",
                                  "must have 0 skid"};

constexpr uint64_t kWatermarkBit = 1ULL << 14, kFreqBit = 1ULL << 10, kUseClockidBit = 1ULL << 25;

/** The attr the kernel reads, as much of it as is printed: how many bytes that is (0 when only the
 *  address was printed: NULL, unreadable, smaller than the first version, -e verbose=none). */
uint32_t fetch_attr(const Call& c, uint64_t addr, perf_event_attr* attr) {
  uint32_t size;
  if (addr == 0 || !read_obj(c, addr + offsetof(perf_event_attr, size), &size)) {
    print_addr(c, addr);
    return 0;
  }
  // A size of 0 means the first version; one smaller than that the kernel refuses.
  if (size > kAttrSize) size = kAttrSize;
  if (size == 0) size = PERF_ATTR_SIZE_VER0;
  if (size < PERF_ATTR_SIZE_VER0) {
    print_addr(c, addr);
    return 0;
  }
  if (abbrev(c)) size = kAbbrevSize;
  memset(attr, 0, sizeof *attr);
  if (!structs_decoded(c) || !read_mem(c, addr, attr, size)) {
    print_addr(c, addr);
    return 0;
  }
  return size;
}

// The event's config as its type reads it: PERF_TYPE_HARDWARE and PERF_TYPE_HW_CACHE put a PMU
// type in the high 32 bits (0xfaceca75<<32|PERF_COUNT_HW_BRANCH_INSTRUCTIONS), a cache event its
// result, operation and cache in bytes 2, 1 and 0.
void print_config(const Call& c, const perf_event_attr& a) {
  const uint64_t config = a.config;
  auto part = [&](uint64_t v, unsigned shift) { c.printf("%#llx<<%u|", static_cast<unsigned long long>(v), shift); };
  switch (a.type) {
    case PERF_TYPE_HARDWARE:
      if (config >> 32) part(config >> 32, 32);
      print_xval(c, xlat_perf_hw_id, config & 0xffffffffu, "PERF_COUNT_HW_???");
      break;
    case PERF_TYPE_SOFTWARE: print_xval(c, xlat_perf_sw_ids, config, "PERF_COUNT_SW_???"); break;
    case PERF_TYPE_TRACEPOINT: print_udec(c, config); break;
    case PERF_TYPE_HW_CACHE:
      if (config >> 32) part(config >> 32, 32);
      if ((config & 0xffffffffu) >> 24) part((config & 0xffffffffu) >> 24, 24);
      print_xval(c, xlat_perf_hw_cache_op_result_id, (config >> 16) & 0xff, "PERF_COUNT_HW_CACHE_RESULT_???");
      c.print("<<16|");
      print_xval(c, xlat_perf_hw_cache_op_id, (config >> 8) & 0xff, "PERF_COUNT_HW_CACHE_OP_???");
      c.print("<<8|");
      print_xval(c, xlat_perf_hw_cache_id, config & 0xff, "PERF_COUNT_HW_CACHE_???");
      break;
    default: c.printf("%#llx", static_cast<unsigned long long>(config)); break;  // RAW, BREAKPOINT, unknown
  }
}

/** attr as read by fetch_attr (size bytes of it). new_size: after E2BIG the kernel wrote the size it
 *  takes into the caller's attr, shown as "size=X => Y" (1: that size is in *new_size; -1: it could
 *  not be read; 0: no E2BIG). */
void print_attr(const Call& c, const perf_event_attr& a, uint32_t size, int changed, uint32_t new_size) {
  Fields f(c);
  f.xval("type", xlat_perf_type_id, a.type, "PERF_TYPE_???");
  f.xval("size", xlat_perf_attr_size, a.size, "PERF_ATTR_SIZE_???");
  if (changed) {
    c.print(" => ");
    if (changed > 0)
      print_xval(c, xlat_perf_attr_size, new_size, "PERF_ATTR_SIZE_???");
    else
      c.print("???");
  }
  print_config(f.f("config"), a);
  uint64_t bits;
  memcpy(&bits, reinterpret_cast<const char*>(&a) + kFlagsOffset, sizeof bits);
  f.u((bits & kFreqBit) ? "sample_freq" : "sample_period", a.sample_period);
  f.flags("sample_type", xlat_perf_event_sample_format, a.sample_type, "PERF_SAMPLE_???");
  f.flags("read_format", xlat_perf_event_read_format, a.read_format, "PERF_FORMAT_???");
  // Without -v a flag prints only when it is set.
  auto flag = [&](const char* name, unsigned bit) {
    const unsigned v = (bits >> bit) & 1;
    if (v || !abbrev(c)) f.u(name, v);
  };
  for (unsigned i = 0; i < sizeof kFlagsLow / sizeof kFlagsLow[0]; i++) flag(kFlagsLow[i], i);
  const unsigned precise_ip = (bits >> kPreciseIpShift) & 3;
  f.u("precise_ip", precise_ip);
  c.printf(" /* %s */", kPreciseIp[precise_ip]);
  for (unsigned i = 0; i < sizeof kFlagsHigh / sizeof kFlagsHigh[0]; i++) flag(kFlagsHigh[i], kFlagsHighShift + i);
  // Bits no flag has yet: shown when set, as they may be flags of a newer kernel.
  if (bits >> kReservedShift) {
    f.x("__reserved_1", bits >> kReservedShift);
    c.print(" /* Bits 63..38 */");
  }
  if (!abbrev(c)) {
    const bool breakpoint = a.type == PERF_TYPE_BREAKPOINT;
    f.u((bits & kWatermarkBit) ? "wakeup_watermark" : "wakeup_events", a.wakeup_events);
    if (breakpoint) {
      // A type with no name of its own up to R|W|X is one the kernel refuses (X with R or W).
      const unsigned max_valid = HW_BREAKPOINT_X | HW_BREAKPOINT_RW;
      f.xval("bp_type", xlat_hw_breakpoint_type, a.bp_type,
             a.bp_type <= max_valid ? "HW_BREAKPOINT_INVALID" : "HW_BREAKPOINT_???");
    }
    f.x(breakpoint ? "bp_addr" : "config1", a.config1);
    // The later fields print only as far as the caller's structure reaches (a field cut by its end
    // shows the bytes it has).
    auto has = [&](size_t offset) { return offset < size; };
    do {
      if (!has(offsetof(perf_event_attr, config2))) break;
      if (breakpoint)
        f.u("bp_len", a.config2);
      else
        f.x("config2", a.config2);
      if (!has(offsetof(perf_event_attr, branch_sample_type))) break;
      if (a.sample_type & PERF_SAMPLE_BRANCH_STACK)
        f.flags("branch_sample_type", xlat_perf_branch_sample_type, a.branch_sample_type, "PERF_SAMPLE_BRANCH_???");
      if (!has(offsetof(perf_event_attr, sample_regs_user))) break;
      f.x("sample_regs_user", a.sample_regs_user);
      if (!has(offsetof(perf_event_attr, sample_stack_user))) break;
      if (a.sample_type & PERF_SAMPLE_STACK_USER) f.x("sample_stack_user", a.sample_stack_user);
      if (bits & kUseClockidBit) {
        if (!has(offsetof(perf_event_attr, clockid))) break;
        f.xval("clockid", xlat_clock_ids, static_cast<uint32_t>(a.clockid), "CLOCK_???");
      }
      if (!has(offsetof(perf_event_attr, sample_regs_intr))) break;
      f.x("sample_regs_intr", a.sample_regs_intr);
      if (!has(offsetof(perf_event_attr, aux_watermark))) break;
      f.u("aux_watermark", a.aux_watermark);
      if (!has(offsetof(perf_event_attr, sample_max_stack))) break;
      f.u("sample_max_stack", a.sample_max_stack);
      if (!has(offsetof(perf_event_attr, __reserved_2))) break;
      if (a.__reserved_2) c.printf(" /* bytes 110..111: %#hx */", a.__reserved_2);
      if (!has(offsetof(perf_event_attr, aux_sample_size))) break;
      f.u("aux_sample_size", a.aux_sample_size);
      if (!has(offsetof(perf_event_attr, __reserved_3))) break;
      if (a.__reserved_3) c.printf(" /* bytes 116..119: %#x */", a.__reserved_3);
      if (!has(offsetof(perf_event_attr, sig_data))) break;
      f.x("sig_data", a.sig_data);
    } while (false);
  }
  // More than was read: the caller's structure goes on (always so without -v).
  if ((a.size && a.size > size) || (!a.size && size < PERF_ATTR_SIZE_VER0)) f.more();
  f.end();
}

// The attr's bytes are kept from entry to exit in c.saved_text: the kernel may rewrite its size.
int sys_perf_event_open(Call& c) {
  if (c.entering()) {
    perf_event_attr a;
    const uint32_t size = fetch_attr(c, c.arg(0), &a);
    if (size) {
      c.saved_text.assign(reinterpret_cast<const char*>(&a), sizeof a);
      c.saved[0] = size;
      return 0;
    }
  } else {
    perf_event_attr a;
    memcpy(&a, c.saved_text.data(), sizeof a);
    uint32_t new_size = 0;
    int changed = 0;
    if (c.error == E2BIG)
      changed = read_obj(c, c.arg(0) + offsetof(perf_event_attr, size), &new_size) ? 1 : -1;
    print_attr(c, a, static_cast<uint32_t>(c.saved[0]), changed, new_size);
  }
  c.printf(", %d, %d, ", c.arg_int(1), c.arg_int(2));
  print_fd(c, c.arg_int(3));
  c.print(", ");
  print_flags(c, xlat_perf_event_open_flags, c.arg(4));
  return RVAL_DECODED | RVAL_FD;
}

const NamedDecoder kPerfDecoders[] = {
    {"perf_event_open", sys_perf_event_open},
};

}  // namespace

namespace ioctl {

namespace {

// PERF_EVENT_IOC_QUERY_BPF: {ids_len=N, prog_cnt=M, ids=[...]}, the second half written by the kernel.
int decode_query_bpf(Call& c, uint64_t arg) {
  uint32_t n;
  if (c.entering()) {
    c.print(", ");
    if (!fetch_or_addr(c, arg, &n)) return kIoctlArgDone;
    c.printf("{ids_len=%u, ", n);
    return 0;
  }
  if (c.failed() || !read_obj(c, arg + offsetof(perf_event_query_bpf, prog_cnt), &n)) {
    c.print("...}");
    return kIoctlArgDone;
  }
  c.printf("prog_cnt=%u, ids=", n);
  print_array<uint32_t>(c, arg + offsetof(perf_event_query_bpf, ids), n, [&](uint32_t id) { c.printf("%u", id); });
  c.printc('}');
  return kIoctlArgDone;
}

// PERF_EVENT_IOC_MODIFY_ATTRIBUTES: the new attr, read at entry.
void print_modify_attributes(const Call& c, uint64_t arg) {
  perf_event_attr a;
  if (const uint32_t size = fetch_attr(c, arg, &a)) print_attr(c, a, size, 0, 0);
}

// PERF_EVENT_IOC_SET_FILTER: a filter string the kernel reads up to a page of.
void print_filter(const Call& c, uint64_t arg) { print_str_ex(c, arg, 4096, true); }

const Request kPerf[] = {
    req_flags_int(PERF_EVENT_IOC_ENABLE, xlat_perf_ioctl_flags, "PERF_IOC_FLAG_???"),
    req_flags_int(PERF_EVENT_IOC_DISABLE, xlat_perf_ioctl_flags, "PERF_IOC_FLAG_???"),
    req_flags_int(PERF_EVENT_IOC_RESET, xlat_perf_ioctl_flags, "PERF_IOC_FLAG_???"),
    req_dec(PERF_EVENT_IOC_REFRESH),
    req_num_in(PERF_EVENT_IOC_PERIOD, 8, "%llu"),
    req_fd(PERF_EVENT_IOC_SET_OUTPUT),
    req_fd(PERF_EVENT_IOC_SET_BPF),
    req_udec(PERF_EVENT_IOC_PAUSE_OUTPUT),
    req_in(PERF_EVENT_IOC_SET_FILTER, print_filter),
    req_num_out(PERF_EVENT_IOC_ID, 8, "%llu"),
    req_in(PERF_EVENT_IOC_MODIFY_ATTRIBUTES, print_modify_attributes),
};

}  // namespace

int perf_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == PERF_EVENT_IOC_QUERY_BPF) return decode_query_bpf(c, arg);
  return by_table(c, code, arg, kPerf);
}

}  // namespace ioctl

const DecoderFamily family_perf = {kPerfDecoders, sizeof kPerfDecoders / sizeof kPerfDecoders[0]};

}  // namespace decode
