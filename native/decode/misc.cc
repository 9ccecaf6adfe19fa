// Syscalls that belong to no other family: system information (sysinfo, getrusage, getcpu), the
// execution domain (personality), kernel log (syslog), I/O and CPU priorities, and system
// administration (mount, umount2, swapon/swapoff, chroot, pivot_root, acct, sethostname, reboot).
#include <linux/ioprio.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>

#include <cinttypes>

#include "decoder.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace {

// ---------------------------------------------------------------- system information

int sys_sysinfo(Call& c) {
  if (c.entering()) return 0;
  struct sysinfo si;
  if (!fetch_or_addr(c, c.arg(0), &si)) return 0;
  c.printf(
      "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu, freeram=%lu, sharedram=%lu, bufferram=%lu, "
      "totalswap=%lu, freeswap=%lu, procs=%u, totalhigh=%lu, freehigh=%lu, mem_unit=%u}",
      si.uptime, si.loads[0], si.loads[1], si.loads[2], si.totalram, si.freeram, si.sharedram, si.bufferram,
      si.totalswap, si.freeswap, static_cast<unsigned>(si.procs), si.totalhigh, si.freehigh, si.mem_unit);
  return 0;
}

// getrusage(who, usage): RUSAGE_CHILDREN is -1, so the table compares sign-extended values.
int sys_getrusage(Call& c) {
  if (c.entering()) {
    print_xval(c, xlat_rusage_who, static_cast<uint64_t>(static_cast<int64_t>(c.arg_int(0))), "RUSAGE_???");
    c.print(", ");
    return 0;
  }
  print_rusage(c, c.arg(1));
  return 0;
}

// An unsigned int result pointer at exit: [3], NULL, or the address of a failed call.
void print_uint_out(const Call& c, uint64_t addr) {
  if (c.failed())
    print_addr(c, addr);
  else
    print_int_ptr(c, addr);
}

// getcpu(cpu *, node *, tcache)
int sys_getcpu(Call& c) {
  if (c.entering()) return 0;
  print_uint_out(c, c.arg(0));
  c.print(", ");
  print_uint_out(c, c.arg(1));
  c.print(", ");
  print_addr(c, c.arg(2));
  return 0;
}

// ---------------------------------------------------------------- personality

constexpr unsigned kPerMask = 0xff;  // PER_MASK

// A persona: the domain by name (or 0x3f /* PER_??? */), then its flag bits.
void print_persona(const Call& c, unsigned persona) {
  print_xval(c, xlat_personality_types, persona & kPerMask, "PER_???");
  if (persona & ~kPerMask) {
    c.printc('|');
    print_flags(c, xlat_personality_flags, persona & ~kPerMask);
  }
}

// personality(persona): 0xffffffff only queries. The previous persona comes back in hex, decoded.
int sys_personality(Call& c) {
  if (c.entering()) {
    const unsigned persona = c.arg_uint(0);
    if (persona == 0xffffffffu)
      c.print("0xffffffff");
    else
      print_persona(c, persona);
    return 0;
  }
  if (c.failed()) return 0;
  c.aux = capture(c, [&] { print_persona(c, static_cast<unsigned>(c.rval)); });
  return RVAL_HEX | RVAL_STR;
}

// ---------------------------------------------------------------- kernel log

enum : int {  // the kernel's SYSLOG_ACTION_* numbers (include/linux/syslog.h)
  kSyslogRead = 2,
  kSyslogReadAll = 3,
  kSyslogReadClear = 4,
  kSyslogConsoleLevel = 8,
};

// A value that strace shows as a number with its name in a comment: 10 /* SYSLOG_ACTION_SIZE_BUFFER */.
void print_commented(const Call& c, const Xlat& x, int v, const char* unknown) {
  const char* name = xlat_lookup(x, static_cast<uint64_t>(static_cast<int64_t>(v)));
  c.printf("%d /* %s */", v, name ? name : unknown);
}

// syslog(type, bufp, len): the read commands fill bufp (shown at exit), CONSOLE_LEVEL takes a level,
// the others take nothing but the type; an unknown type shows both remaining arguments.
int sys_syslog(Call& c) {
  const int type = c.arg_int(0);
  const int len = c.arg_int(2);
  switch (type) {
    case kSyslogRead:
    case kSyslogReadAll:
    case kSyslogReadClear:
      if (c.entering()) {
        print_commented(c, xlat_syslog_actions, type, "SYSLOG_ACTION_???");
        c.print(", ");
        return 0;
      }
      if (c.failed())
        print_addr(c, c.arg(1));
      else
        print_buf(c, c.arg(1), static_cast<uint64_t>(c.rval));
      c.printf(", %d", len);
      return 0;
    default:
      break;
  }
  print_commented(c, xlat_syslog_actions, type, "SYSLOG_ACTION_???");
  if (type == kSyslogConsoleLevel) {
    c.print(", ");
    print_addr(c, c.arg(1));
    c.print(", ");
    print_commented(c, xlat_syslog_console_levels, len, "LOGLEVEL_???");
  } else if (!xlat_lookup(xlat_syslog_actions, static_cast<uint64_t>(static_cast<int64_t>(type)))) {
    c.print(", ");
    print_addr(c, c.arg(1));
    c.printf(", %d", len);
  }
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- priorities

constexpr unsigned kIoprioClassShift = 13;  // IOPRIO_CLASS_SHIFT
constexpr unsigned kIoprioDataMask = (1u << kIoprioClassShift) - 1;

// IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)
void print_ioprio_value(const Call& c, unsigned ioprio) {
  c.print("IOPRIO_PRIO_VALUE(");
  print_xval(c, xlat_ioprio_class, ioprio >> kIoprioClassShift, "IOPRIO_CLASS_???");
  c.printf(", %u)", ioprio & kIoprioDataMask);
}

}  // namespace

// -X raw: the number alone, -X verbose: the number, then the macro as a comment. ioprio_set shows
// the number in decimal, a struct's field (strace's print_ioprio) in hex.
void print_ioprio(const Call& c, unsigned ioprio, bool decimal) {
  const XlatStyle st = xstyle(c);
  if (st != XLAT_ABBREV) {
    if (decimal)
      c.printf("%d", static_cast<int>(ioprio));
    else
      c.printf("%#x", ioprio);
  }
  if (st == XLAT_RAW) return;
  if (st == XLAT_VERBOSE) c.print(" /* ");
  print_ioprio_value(c, ioprio);
  if (st == XLAT_VERBOSE) c.print(" */");
}

namespace {

void print_ioprio_who(Call& c) {
  print_xval(c, xlat_ioprio_who, c.arg_uint(0), "IOPRIO_WHO_???");
  c.print(", ");
  switch (c.arg_uint(0)) {
    case IOPRIO_WHO_PROCESS: print_pid(c, c.arg_int(1), PT_TGID); break;
    case IOPRIO_WHO_PGRP: print_pid(c, c.arg_int(1), PT_PGID); break;
    default: c.printf("%d", c.arg_int(1)); break;
  }
}

int sys_ioprio_get(Call& c) {
  if (c.entering()) {
    print_ioprio_who(c);
    return 0;
  }
  if (c.failed() || xstyle(c) == XLAT_RAW) return 0;
  c.aux = capture(c, [&] { print_ioprio_value(c, static_cast<unsigned>(c.rval)); });
  return RVAL_STR;
}

int sys_ioprio_set(Call& c) {
  print_ioprio_who(c);
  c.print(", ");
  print_ioprio(c, c.arg_uint(2), true);
  return RVAL_DECODED;
}

void print_prio_who(Call& c) {
  print_xval(c, xlat_prio_which, c.arg_uint(0), "PRIO_???");
  c.print(", ");
  switch (c.arg_uint(0)) {
    case PRIO_PROCESS: print_pid(c, c.arg_int(1), PT_TGID); break;
    case PRIO_PGRP: print_pid(c, c.arg_int(1), PT_PGID); break;
    default: c.printf("%d", c.arg_int(1)); break;
  }
}

int sys_getpriority(Call& c) {
  print_prio_who(c);
  return RVAL_DECODED;
}

int sys_setpriority(Call& c) {
  print_prio_who(c);
  c.printf(", %d", c.arg_int(2));
  return RVAL_DECODED;
}

// ---------------------------------------------------------------- system administration

int sys_one_path(Call& c) {
  print_path(c, c.arg(0));
  return RVAL_DECODED;
}

int sys_pivot_root(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_path(c, c.arg(1));
  return RVAL_DECODED;
}

// iopl(level): an int. ioperm(from, num, turn_on): the port range in hex, the switch an int.
int sys_iopl(Call& c) {
  c.printf("%d", c.arg_int(0));
  return RVAL_DECODED;
}

int sys_ioperm(Call& c) {
  c.printf("%#llx, %#llx, %d", static_cast<unsigned long long>(c.arg(0)), static_cast<unsigned long long>(c.arg(1)),
           c.arg_int(2));
  return RVAL_DECODED;
}

constexpr uint64_t kUtsNameLen = 64;  // __NEW_UTS_LEN

// sethostname/setdomainname(name, len): len bytes, not a C string; a length the kernel rejects
// leaves only the address.
int sys_sethostname(Call& c) {
  const unsigned len = c.arg_uint(1);  // an int to the kernel
  if (len > kUtsNameLen)
    print_addr(c, c.arg(0));
  else
    print_buf(c, c.arg(0), len);
  c.printf(", %u", len);
  return RVAL_DECODED;
}

constexpr uint64_t kMsMgcMask = 0xffff0000;  // MS_MGC_MSK
constexpr uint64_t kMsMgcVal = 0xc0ed0000;   // MS_MGC_VAL

// mount(source, target, fstype, flags, data). A remount has no type to read, a bind, a move or a
// propagation change neither a type nor data: strace shows those pointers as addresses.
int sys_mount(Call& c) {
  uint64_t flags = c.arg(3);
  const bool magic = (flags & kMsMgcMask) == kMsMgcVal;
  if (magic) flags &= ~kMsMgcMask;
  const bool remount = flags & MS_REMOUNT;
  const bool no_data = !remount && (flags & (MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE));
  print_path(c, c.arg(0));
  c.print(", ");
  print_path(c, c.arg(1));
  c.print(", ");
  if (remount || no_data)
    print_addr(c, c.arg(2));
  else
    print_cstr(c, c.arg(2));
  c.print(", ");
  if (magic) {
    print_const(c, kMsMgcVal, "MS_MGC_VAL");
    if (flags) c.printc('|');
  }
  if (flags || !magic) print_flags(c, xlat_mount_flags, flags);
  c.print(", ");
  if (no_data)
    print_addr(c, c.arg(4));
  else
    print_cstr(c, c.arg(4));
  return RVAL_DECODED;
}

int sys_umount2(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  print_flags_or_unknown(c, xlat_umount_flags, c.arg_uint(1), "MNT_???");
  return RVAL_DECODED;
}

constexpr unsigned kSwapPrioMask = 0x7fff;  // SWAP_FLAG_PRIO_MASK

// swapon(path, flags): the flag bits, then the priority when one is given.
int sys_swapon(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  const unsigned flags = c.arg_uint(1);
  const unsigned prio = flags & kSwapPrioMask;
  const unsigned bits = flags & ~kSwapPrioMask;
  // The priority always follows the flags, 0 included (SWAP_FLAG_PREFER|0), as strace prints it.
  if (bits) {
    print_flags(c, xlat_swap_flags, bits);
    c.printc('|');
  }
  c.printf("%u", prio);
  return RVAL_DECODED;
}

constexpr unsigned kRebootRestart2 = 0xa1b2c3d4;  // LINUX_REBOOT_CMD_RESTART2

// reboot(magic, magic2, cmd, arg): the argument (a command line) only with RESTART2.
int sys_reboot(Call& c) {
  print_xval(c, xlat_reboot_magic, c.arg_uint(0), "LINUX_REBOOT_MAGIC_???");
  c.print(", ");
  print_xval(c, xlat_reboot_magic, c.arg_uint(1), "LINUX_REBOOT_MAGIC_???");
  c.print(", ");
  print_xval(c, xlat_reboot_cmds, c.arg_uint(2), "LINUX_REBOOT_CMD_???");
  if (c.arg_uint(2) == kRebootRestart2) {
    c.print(", ");
    // The kernel copies at most 255 bytes of the command (its buffer is 256 with the last one NUL).
    print_str_ex(c, c.arg(3), 255, true);
  }
  return RVAL_DECODED;
}

// restart_syscall(<... resuming interrupted clock_nanosleep ...>): the kernel resuming a call a
// signal (or our attach) interrupted; the tracer tells us which call that was.
int sys_restart_syscall(Call& c) {
  c.print("<... resuming interrupted ");
  c.print(c.prev_nr >= 0 ? syscall_ent(c.prev_nr).name : "system call");
  c.print(" ...>");
  return RVAL_DECODED;
}

const NamedDecoder kMiscDecoders[] = {
    {"restart_syscall", sys_restart_syscall},
    {"sysinfo", sys_sysinfo},
    {"getrusage", sys_getrusage},
    {"getcpu", sys_getcpu},
    {"personality", sys_personality},
    {"syslog", sys_syslog},
    {"ioprio_get", sys_ioprio_get},
    {"ioprio_set", sys_ioprio_set},
    {"getpriority", sys_getpriority},
    {"setpriority", sys_setpriority},
    {"chroot", sys_one_path},
    {"acct", sys_one_path},
    {"swapoff", sys_one_path},
    {"pivot_root", sys_pivot_root},
    {"sethostname", sys_sethostname},
    {"setdomainname", sys_sethostname},
    {"mount", sys_mount},
    {"umount2", sys_umount2},
    {"swapon", sys_swapon},
    {"reboot", sys_reboot},
    {"iopl", sys_iopl},
    {"ioperm", sys_ioperm},
};

}  // namespace

const DecoderFamily family_misc = {kMiscDecoders, sizeof kMiscDecoders / sizeof kMiscDecoders[0]};

}  // namespace decode
