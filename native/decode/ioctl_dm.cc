// Device mapper requests (0xfd, linux/dm-ioctl.h): every request carries a struct dm_ioctl header
// and, after it at data_start, a payload of its own (target specs, a message, a new name; at exit
// the dependencies, device names or target versions the kernel wrote). The argument prints as an
// array of the header and the payload, as strace does: [{version=[4, 1, 2], ...}, {...}]. At exit
// it prints again after " => " when the call succeeded or the kernel changed the header.
#include <linux/ioctl.h>
#include <linux/dm-ioctl.h>

#include <cstddef>
#include <cstring>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// The fixed part of the header, which every request reads.
constexpr uint32_t kHeaderSize = offsetof(dm_ioctl, data);

bool known(unsigned code) {
  switch (code) {
    case DM_VERSION: case DM_REMOVE_ALL: case DM_LIST_DEVICES: case DM_DEV_CREATE: case DM_DEV_REMOVE:
    case DM_DEV_RENAME: case DM_DEV_SUSPEND: case DM_DEV_STATUS: case DM_DEV_WAIT: case DM_TABLE_LOAD:
    case DM_TABLE_CLEAR: case DM_TABLE_DEPS: case DM_TABLE_STATUS: case DM_LIST_VERSIONS:
    case DM_TARGET_MSG: case DM_DEV_SET_GEOMETRY: case DM_DEV_ARM_POLL:
      return true;
    default:
      return false;
  }
}

// Requests whose header's data_start means something (they have a payload going in or out).
bool has_params(unsigned code) {
  switch (code) {
    case DM_VERSION: case DM_REMOVE_ALL: case DM_DEV_CREATE: case DM_DEV_REMOVE: case DM_DEV_SUSPEND:
    case DM_DEV_STATUS: case DM_TABLE_CLEAR: case DM_DEV_ARM_POLL:
      return false;
    default:
      return true;
  }
}

// The counters the kernel reports back in the header (at exit, on success).
bool reports_counts(unsigned code) {
  switch (code) {
    case DM_DEV_CREATE: case DM_DEV_RENAME: case DM_DEV_SUSPEND: case DM_DEV_STATUS: case DM_DEV_WAIT:
    case DM_TABLE_LOAD: case DM_TABLE_CLEAR: case DM_TABLE_DEPS: case DM_TABLE_STATUS: case DM_TARGET_MSG:
      return true;
    default:
      return false;
  }
}

// The header: false when it stops early (an ABI version or data_size it cannot be read by), and the
// payload is not looked at.
bool print_header(const Call& c, unsigned code, const dm_ioctl& h) {
  Fields f(c);
  f.uarray("version", h.version);
  bool ok = false;
  if (h.version[0] != DM_VERSION_MAJOR) {
    c.print(" /* unsupported device mapper ABI version */");
  } else {
    f.u("data_size", h.data_size);
    if (h.data_size < kHeaderSize) {
      c.print(" /* data_size too small */");
    } else {
      ok = true;
      if (has_params(code)) f.u("data_start", h.data_start);
      if (code != DM_REMOVE_ALL && code != DM_LIST_DEVICES && code != DM_LIST_VERSIONS) {
        if (h.dev) f.dev("dev", h.dev);
        if (h.name[0]) f.cstr("name", h.name);
        if (h.uuid[0]) f.cstr("uuid", h.uuid);
      }
      if (c.entering()) {
        if (code == DM_TABLE_LOAD) f.u("target_count", h.target_count);
        // A resume (no DM_SUSPEND_FLAG) waits for an event number, as renames, removals and waits do.
        if (code == DM_DEV_RENAME || code == DM_DEV_REMOVE || code == DM_DEV_WAIT ||
            (code == DM_DEV_SUSPEND && !(h.flags & DM_SUSPEND_FLAG)))
          f.u("event_nr", h.event_nr);
      } else if (!c.failed() && reports_counts(code)) {
        f.u("target_count", h.target_count);
        f.u("open_count", h.open_count);
        f.u("event_nr", h.event_nr);
      }
      f.flags("flags", xlat_dm_flags, h.flags, "DM_???");
    }
  }
  f.end();
  return ok;
}

// strace stops a payload's list after -s elements, with or without -v.
size_t list_limit(const Call& c) { return c.opts ? c.opts->strsize : 32; }

// A payload element that lies outside the data the header describes.
void print_misplaced(const Call& c, const char* what) { c.printf("??? /* misplaced %s */", what); }

// A NUL-terminated string of the payload at addr, with at most len bytes to it.
void print_payload_str(const Call& c, uint64_t addr, uint32_t len) { print_str_ex(c, addr, len, true); }

// DM_TABLE_LOAD (entry), DM_TABLE_STATUS and DM_DEV_WAIT (exit): target_count target specs, each
// followed by its parameter string. Going in, each spec's next is relative to the spec; coming
// back, to data_start.
void print_target_specs(const Call& c, uint64_t arg, const dm_ioctl& h) {
  if (abbrev(c)) {
    if (h.target_count) c.print(", ...");
    return;
  }
  uint32_t offset = h.data_start, end = 0;
  const size_t limit = list_limit(c);
  for (uint32_t i = 0; i < h.target_count; i++) {
    c.print(", ");
    if (i && offset <= end) return print_misplaced(c, "struct dm_target_spec");
    end = offset + static_cast<uint32_t>(sizeof(dm_target_spec));
    if (end <= offset || end > h.data_size) return print_misplaced(c, "struct dm_target_spec");
    if (i >= limit) {
      c.print("...");
      return;
    }
    dm_target_spec s;
    if (!fetch_or_addr(c, arg + offset, &s)) return;
    Fields f(c);
    f.u("sector_start", s.sector_start);
    f.u("length", s.length);
    if (c.exiting) f.d("status", s.status);
    f.cstr("target_type", s.target_type);
    print_payload_str(f.f("string"), arg + end, h.data_size - end);
    f.end();
    offset = c.entering() ? offset + s.next : h.data_start + s.next;
  }
}

// DM_TABLE_DEPS (exit): the devices the table uses.
void print_target_deps(const Call& c, uint64_t arg, const dm_ioctl& h) {
  if (h.data_start == h.data_size) return;
  c.print(", ");
  if (abbrev(c)) {
    c.print("...");
    return;
  }
  const uint32_t offset = h.data_start, end = offset + offsetof(dm_target_deps, dev);
  if (end <= offset || end > h.data_size) return print_misplaced(c, "struct dm_target_deps");
  dm_target_deps d;
  if (!fetch_or_addr(c, arg + offset, &d)) return;
  if (d.count > (h.data_size - end) / sizeof(uint64_t)) return print_misplaced(c, "struct dm_target_deps");
  Fields f(c);
  f.u("count", d.count);
  f.f("deps");
  print_array<uint64_t>(c, arg + end, d.count, [&](uint64_t dev) { print_dev_t(c, dev); });
  f.end();
}

// A chain of records linked by their `next` offsets (device names, target versions): print_one
// prints the record at offset whose fixed part ends at `end`, and returns its next.
template <typename Rec, typename F>
void print_chain(const Call& c, uint64_t arg, const dm_ioctl& h, uint32_t name_offset, const char* what,
                 F&& print_one) {
  if (h.data_start == h.data_size) return;
  if (abbrev(c)) {
    c.print(", ...");
    return;
  }
  uint32_t offset = h.data_start, end = 0;
  const size_t limit = list_limit(c);
  for (uint32_t count = 0;; count++) {
    c.print(", ");
    if (count && offset <= end) return print_misplaced(c, what);
    end = offset + name_offset;
    if (end <= offset || end > h.data_size) return print_misplaced(c, what);
    if (count >= limit) {
      c.print("...");
      return;
    }
    Rec r;
    if (!fetch_or_addr(c, arg + offset, &r)) return;
    const uint32_t next = print_one(r, offset, end);
    if (!next) return;
    offset += next;
  }
}

// DM_LIST_DEVICES (exit): {dev=..., name="..."}, and since device mapper 4.37 the event number the
// kernel puts after the name, 8-byte aligned, when the record has room for it.
void print_name_list(const Call& c, uint64_t arg, const dm_ioctl& h) {
  print_chain<dm_name_list>(c, arg, h, offsetof(dm_name_list, name), "struct dm_name_list",
                            [&](const dm_name_list& r, uint32_t offset, uint32_t end) {
    Fields f(c);
    f.dev("dev", r.dev);
    const uint32_t len = h.data_size - end;
    print_payload_str(f.f("name"), arg + end, len);
    // How long the name is, when its NUL is within what was shown.
    std::string name;
    bool terminated = false;
    const uint64_t shown = list_limit(c) + 1;
    if (h.version[1] >= 37 && read_cstr(c, arg + end, len < shown ? len : shown, &name, &terminated) && terminated) {
      const uint64_t event_addr = (arg + end + name.size() + 1 + 7) & ~7ull;
      uint32_t event_nr;
      if (event_addr + sizeof event_nr <= arg + offset + r.next && read_obj(c, event_addr, &event_nr))
        f.u("event_nr", event_nr);
    }
    f.end();
    return r.next;
  });
}

// DM_LIST_VERSIONS (exit): {name="...", version=[...]} for each target type.
void print_target_versions(const Call& c, uint64_t arg, const dm_ioctl& h) {
  print_chain<dm_target_versions>(c, arg, h, offsetof(dm_target_versions, name), "struct dm_target_versions",
                                  [&](const dm_target_versions& r, uint32_t, uint32_t end) {
    Fields f(c);
    print_payload_str(f.f("name"), arg + end, h.data_size - end);
    f.uarray("version", r.version);
    f.end();
    return r.next;
  });
}

// DM_TARGET_MSG (entry): the sector and the message sent to the target.
void print_target_msg(const Call& c, uint64_t arg, const dm_ioctl& h) {
  if (h.data_start == h.data_size) return;
  c.print(", ");
  if (abbrev(c)) {
    c.print("...");
    return;
  }
  const uint32_t offset = h.data_start, end = offset + offsetof(dm_target_msg, message);
  if (end <= offset || end > h.data_size) return print_misplaced(c, "struct dm_target_msg");
  dm_target_msg m;
  if (!fetch_or_addr(c, arg + offset, &m)) return;
  Fields f(c);
  f.u("sector", m.sector);
  print_payload_str(f.f("message"), arg + end, h.data_size - end);
  f.end();
}

// DM_DEV_RENAME and DM_DEV_SET_GEOMETRY (entry), DM_TARGET_MSG's reply (exit): one string.
void print_string(const Call& c, uint64_t arg, const dm_ioctl& h) {
  c.print(", ");
  if (abbrev(c)) {
    c.print("...");
    return;
  }
  if (h.data_start > h.data_size) return print_misplaced(c, "string");
  Fields f(c);
  print_payload_str(f.f("string"), arg + h.data_start, h.data_size - h.data_start);
  f.end();
}

void print_payload(const Call& c, unsigned code, uint64_t arg, const dm_ioctl& h) {
  const bool in = c.entering(), out = c.exiting && !c.failed();
  switch (code) {
    case DM_DEV_WAIT:
    case DM_TABLE_STATUS:
      if (out) print_target_specs(c, arg, h);
      break;
    case DM_TABLE_LOAD:
      if (in) print_target_specs(c, arg, h);
      break;
    case DM_TABLE_DEPS:
      if (out) print_target_deps(c, arg, h);
      break;
    case DM_LIST_DEVICES:
      if (out) print_name_list(c, arg, h);
      break;
    case DM_LIST_VERSIONS:
      if (out) print_target_versions(c, arg, h);
      break;
    case DM_TARGET_MSG:
      if (in)
        print_target_msg(c, arg, h);
      else if (out && (h.flags & DM_DATA_OUT_FLAG))
        print_string(c, arg, h);
      break;
    case DM_DEV_RENAME:
    case DM_DEV_SET_GEOMETRY:
      if (in) print_string(c, arg, h);
      break;
  }
}

}  // namespace

// The header read at entry is kept in c.saved_text, to tell at exit whether the kernel changed it.
int devmapper_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (!known(code)) return RVAL_DECODED;
  dm_ioctl h;
  // A header that cannot be read, or whose data_size does not even cover the header's start, is
  // printed as the address.
  if (!read_mem(c, arg, &h, kHeaderSize) || h.data_size < offsetof(dm_ioctl, data_size)) {
    if (c.entering()) c.saved_text.clear();
    return 0;
  }
  if (c.entering()) {
    c.saved_text.assign(reinterpret_cast<const char*>(&h), kHeaderSize);
    c.print(", [");
  } else {
    dm_ioctl was;
    const bool had = c.saved_text.size() == kHeaderSize;
    if (had) memcpy(&was, c.saved_text.data(), kHeaderSize);
    // What the kernel changes only on success (counts, dev) is not compared.
    const bool changed = !had || memcmp(was.version, h.version, sizeof h.version) != 0 ||
                         was.data_size != h.data_size || was.data_start != h.data_start || was.flags != h.flags;
    if (c.failed() && !changed) return kIoctlArgDone;
    c.print(had ? " => [" : ", [");
  }
  if (print_header(c, code, h)) print_payload(c, code, arg, h);
  c.printc(']');
  return c.entering() ? 0 : kIoctlArgDone;
}

}  // namespace ioctl
}  // namespace decode
