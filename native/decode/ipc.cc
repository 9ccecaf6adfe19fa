// The System V IPC family (shared memory, message queues, semaphores) and POSIX message queues.
//
// strace 6.1 conventions kept here: keys are IPC_PRIVATE or hex, creation flags end with the
// permission bits in octal (IPC_CREAT|0600), *ctl commands carry an IPC_64| prefix when the caller
// set it, and the *ctl buffer is printed at entry for IPC_SET and at exit for the STAT/INFO commands.
#include <fcntl.h>
#include <mqueue.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <cinttypes>

#include "decoder.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace {

constexpr unsigned kIpc64 = 0x100;           // IPC_64: the caller asks for the 64-bit structs
constexpr unsigned kHugeShift = 26;          // SHM_HUGE_SHIFT
constexpr unsigned kHugeMask = 0x3f;         // SHM_HUGE_MASK

// ---------------------------------------------------------------- common pieces

void print_ipc_key(const Call& c, uint64_t key) {
  const int k = static_cast<int>(key);
  if (k == IPC_PRIVATE)
    print_const(c, 0, "IPC_PRIVATE", FMT_UDEC);
  else
    c.printf("%#x", static_cast<unsigned>(k));
}

// Creation flags: the named bits, unknown bits in hex, the huge page size (shmget), then the mode.
void print_ipc_get_flags(const Call& c, const Xlat& x, uint64_t flags, bool huge_field) {
  const unsigned v = static_cast<unsigned>(flags);
  const unsigned huge = huge_field ? (v >> kHugeShift) & kHugeMask : 0;
  const unsigned named = v & ~0777u & ~(huge_field ? kHugeMask << kHugeShift : 0u);
  if (named) {
    print_flags(c, x, named);
    c.printc('|');
  }
  if (huge) {
    c.printf("%u<<", huge);
    print_const(c, kHugeShift, "SHM_HUGE_SHIFT", FMT_UDEC);
    c.printc('|');
  }
  print_mode(c, v & 0777u);
}

// A *ctl command: [IPC_64|]NAME, or 0x.. /* PREFIX_??? */.
void print_ipc_cmd(const Call& c, const Xlat& x, unsigned cmd, const char* unknown) {
  if (cmd & kIpc64) c.print("IPC_64|");
  print_xval(c, x, cmd & ~kIpc64, unknown);
}

// The owner part of struct ipc_perm; `full` adds what only the kernel fills in.
void print_ipc_perm(const Call& c, const struct ipc_perm& p, bool full) {
  c.printf("{uid=%u, gid=%u, mode=%#03o", p.uid, p.gid, static_cast<unsigned>(p.mode));
  if (full) c.printf(", key=%d, cuid=%u, cgid=%u", p.__key, p.cuid, p.cgid);
  c.printc('}');
}

// Reads a *ctl buffer or prints its address (NULL, unreadable, or a failed call's output).
template <typename T> bool fetch_buf(const Call& c, uint64_t addr, T* obj) {
  if (addr == 0 || c.failed() || !read_obj(c, addr, obj)) {
    print_addr(c, addr);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- shared memory

int sys_shmget(Call& c) {
  print_ipc_key(c, c.arg(0));
  c.printf(", %" PRIu64 ", ", c.arg(1));
  print_ipc_get_flags(c, xlat_shmget_flags, c.arg(2), true);
  return RVAL_DECODED;
}

int sys_shmat(Call& c) {
  c.printf("%d, ", c.arg_int(0));
  print_addr(c, c.arg(1));
  c.print(", ");
  print_flags(c, xlat_shmat_flags, c.arg_uint(2));
  return RVAL_DECODED | RVAL_HEX;
}

int sys_shmdt(Call& c) {
  print_addr(c, c.arg(0));
  return RVAL_DECODED;
}

void print_shmid_ds(const Call& c, uint64_t addr) {
  struct shmid_ds ds;
  if (!fetch_buf(c, addr, &ds)) return;
  c.print("{shm_perm=");
  print_ipc_perm(c, ds.shm_perm, true);
  c.printf(", shm_segsz=%zu, shm_cpid=%d, shm_lpid=%d, shm_nattch=%lu, shm_atime=%lld, shm_dtime=%lld, "
           "shm_ctime=%lld}",
           ds.shm_segsz, ds.shm_cpid, ds.shm_lpid, static_cast<unsigned long>(ds.shm_nattch),
           static_cast<long long>(ds.shm_atime), static_cast<long long>(ds.shm_dtime),
           static_cast<long long>(ds.shm_ctime));
}

// shmctl(shmid, cmd, buf)
int sys_shmctl(Call& c) {
  const unsigned cmd = c.arg_uint(1) & ~kIpc64;
  const uint64_t buf = c.arg(2);
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    print_ipc_cmd(c, xlat_shmctl_cmds, c.arg_uint(1), "SHM_???");
    c.print(", ");
    switch (cmd) {
      case IPC_STAT:
      case SHM_STAT:
      case 15:  // SHM_STAT_ANY
      case IPC_INFO:
      case SHM_INFO:
        return 0;  // filled in by the kernel
      case IPC_SET: {
        struct shmid_ds ds;
        if (fetch_buf(c, buf, &ds)) {
          c.print("{shm_perm=");
          print_ipc_perm(c, ds.shm_perm, false);
          c.printc('}');
        }
        return RVAL_DECODED;
      }
      default:
        print_addr(c, buf);
        return RVAL_DECODED;
    }
  }
  if (cmd == IPC_INFO) {
    struct shminfo si;
    if (fetch_buf(c, buf, &si))
      c.printf("{shmmax=%lu, shmmin=%lu, shmmni=%lu, shmseg=%lu, shmall=%lu}", si.shmmax, si.shmmin, si.shmmni,
               si.shmseg, si.shmall);
  } else if (cmd == SHM_INFO) {
    struct shm_info si;
    if (fetch_buf(c, buf, &si))
      c.printf("{used_ids=%d, shm_tot=%lu, shm_rss=%lu, shm_swp=%lu, swap_attempts=%lu, swap_successes=%lu}",
               si.used_ids, si.shm_tot, si.shm_rss, si.shm_swp, si.swap_attempts, si.swap_successes);
  } else {
    print_shmid_ds(c, buf);
  }
  return 0;
}

// ---------------------------------------------------------------- message queues

int sys_msgget(Call& c) {
  print_ipc_key(c, c.arg(0));
  c.print(", ");
  print_ipc_get_flags(c, xlat_ipc_flags, c.arg(1), false);
  return RVAL_DECODED;
}

// A struct msgbuf of `size` text bytes: {mtype=1, mtext="hello"}.
void print_msgbuf(const Call& c, uint64_t addr, uint64_t size) {
  long mtype;
  if (addr == 0 || !read_obj(c, addr, &mtype)) {
    print_addr(c, addr);
    return;
  }
  c.printf("{mtype=%ld, mtext=", mtype);
  print_buf(c, addr + sizeof mtype, size);
  c.printc('}');
}

// msgsnd(msqid, msgp, msgsz, msgflg)
int sys_msgsnd(Call& c) {
  c.printf("%d, ", c.arg_int(0));
  print_msgbuf(c, c.arg(1), c.arg(2));
  c.printf(", %" PRIu64 ", ", c.arg(2));
  print_flags(c, xlat_msgrcv_flags, c.arg_uint(3));
  return RVAL_DECODED;
}

// msgrcv(msqid, msgp, msgsz, msgtyp, msgflg): strace shows msgsz bytes of the text, not the length
// received.
int sys_msgrcv(Call& c) {
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    return 0;
  }
  if (c.failed())
    print_addr(c, c.arg(1));
  else
    print_msgbuf(c, c.arg(1), c.arg(2));
  c.printf(", %" PRIu64 ", %ld, ", c.arg(2), c.arg_long(3));
  print_flags(c, xlat_msgrcv_flags, c.arg_uint(4));
  return 0;
}

void print_msqid_ds(const Call& c, uint64_t addr) {
  struct msqid_ds ds;
  if (!fetch_buf(c, addr, &ds)) return;
  c.print("{msg_perm=");
  print_ipc_perm(c, ds.msg_perm, true);
  c.printf(", msg_stime=%lld, msg_rtime=%lld, msg_ctime=%lld, msg_qnum=%lu, msg_qbytes=%lu, msg_lspid=%d, "
           "msg_lrpid=%d}",
           static_cast<long long>(ds.msg_stime), static_cast<long long>(ds.msg_rtime),
           static_cast<long long>(ds.msg_ctime), static_cast<unsigned long>(ds.msg_qnum),
           static_cast<unsigned long>(ds.msg_qbytes), ds.msg_lspid, ds.msg_lrpid);
}

// msgctl(msqid, cmd, buf)
int sys_msgctl(Call& c) {
  const unsigned cmd = c.arg_uint(1) & ~kIpc64;
  const uint64_t buf = c.arg(2);
  if (c.entering()) {
    c.printf("%d, ", c.arg_int(0));
    print_ipc_cmd(c, xlat_msgctl_cmds, c.arg_uint(1), "MSG_???");
    c.print(", ");
    switch (cmd) {
      case IPC_STAT:
      case MSG_STAT:
      case 13:  // MSG_STAT_ANY
      case IPC_INFO:
      case MSG_INFO:
        return 0;
      case IPC_SET: {
        struct msqid_ds ds;
        if (fetch_buf(c, buf, &ds)) {
          c.print("{msg_perm=");
          print_ipc_perm(c, ds.msg_perm, false);
          c.printf(", msg_qbytes=%lu}", static_cast<unsigned long>(ds.msg_qbytes));
        }
        return RVAL_DECODED;
      }
      default:
        print_addr(c, buf);
        return RVAL_DECODED;
    }
  }
  if (cmd == IPC_INFO || cmd == MSG_INFO) {
    struct msginfo mi;
    if (fetch_buf(c, buf, &mi))
      c.printf("{msgpool=%d, msgmap=%d, msgmax=%d, msgmnb=%d, msgmni=%d, msgssz=%d, msgtql=%d, msgseg=%u}",
               mi.msgpool, mi.msgmap, mi.msgmax, mi.msgmnb, mi.msgmni, mi.msgssz, mi.msgtql,
               static_cast<unsigned>(mi.msgseg));
  } else {
    print_msqid_ds(c, buf);
  }
  return 0;
}

// ---------------------------------------------------------------- semaphores

int sys_semget(Call& c) {
  print_ipc_key(c, c.arg(0));
  c.printf(", %d, ", c.arg_int(1));
  print_ipc_get_flags(c, xlat_ipc_flags, c.arg(2), false);
  return RVAL_DECODED;
}

// The operations of semop/semtimedop: [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}, ...].
void print_sembufs(const Call& c, uint64_t addr, uint64_t n) {
  print_array<struct sembuf>(c, addr, n, [&](const struct sembuf& op) {
    c.printf("{sem_num=%u, sem_op=%d, sem_flg=", op.sem_num, op.sem_op);
    print_flags_or_unknown(c, xlat_semop_flags, static_cast<unsigned short>(op.sem_flg), "SEM_???");
    c.printc('}');
  });
}

int sys_semop(Call& c) {
  c.printf("%d, ", c.arg_int(0));
  print_sembufs(c, c.arg(1), c.arg_uint(2));  // nsops is an unsigned int
  c.printf(", %u", c.arg_uint(2));
  return RVAL_DECODED;
}

int sys_semtimedop(Call& c) {
  sys_semop(c);
  c.print(", ");
  print_timespec(c, c.arg(3));
  return RVAL_DECODED;
}

void print_semid_ds(const Call& c, uint64_t addr) {
  struct semid_ds ds;
  if (!fetch_buf(c, addr, &ds)) return;
  c.print("{sem_perm=");
  print_ipc_perm(c, ds.sem_perm, true);
  c.printf(", sem_otime=%lld, sem_ctime=%lld, sem_nsems=%lu}", static_cast<long long>(ds.sem_otime),
           static_cast<long long>(ds.sem_ctime), static_cast<unsigned long>(ds.sem_nsems));
}

// semctl(semid, semnum, cmd, arg): the fourth argument is a union whose meaning follows cmd.
int sys_semctl(Call& c) {
  const unsigned cmd = c.arg_uint(2) & ~kIpc64;
  const uint64_t arg = c.arg(3);
  if (c.entering()) {
    c.printf("%d, %d, ", c.arg_int(0), c.arg_int(1));
    print_ipc_cmd(c, xlat_semctl_cmds, c.arg_uint(2), "SEM_???");
    c.print(", ");
    switch (cmd) {
      case IPC_STAT:
      case SEM_STAT:
      case 20:  // SEM_STAT_ANY
      case IPC_INFO:
      case SEM_INFO:
        return 0;
      case IPC_SET: {
        struct semid_ds ds;
        if (fetch_buf(c, arg, &ds)) {
          c.print("{sem_perm=");
          print_ipc_perm(c, ds.sem_perm, false);
          c.printc('}');
        }
        return RVAL_DECODED;
      }
      case SETVAL:
        c.printf("%#x", static_cast<unsigned>(arg));
        return RVAL_DECODED;
      default:  // GETALL/SETALL arrays and the argument-less commands: the pointer
        print_addr(c, arg);
        return RVAL_DECODED;
    }
  }
  if (cmd == IPC_INFO || cmd == SEM_INFO) {
    struct seminfo si;
    if (fetch_buf(c, arg, &si))
      c.printf("{semmap=%d, semmni=%d, semmns=%d, semmnu=%d, semmsl=%d, semopm=%d, semume=%d, semusz=%d, "
               "semvmx=%d, semaem=%d}",
               si.semmap, si.semmni, si.semmns, si.semmnu, si.semmsl, si.semopm, si.semume, si.semusz, si.semvmx,
               si.semaem);
  } else {
    print_semid_ds(c, arg);
  }
  return 0;
}

// ---------------------------------------------------------------- POSIX message queues

// struct mq_attr; mq_open shows mq_flags as a number, mq_getsetattr by name.
void print_mq_attr(const Call& c, uint64_t addr, bool flag_names) {
  struct mq_attr a;
  if (addr == 0 || !read_obj(c, addr, &a)) {
    print_addr(c, addr);
    return;
  }
  c.print("{mq_flags=");
  if (flag_names)
    print_flags(c, xlat_mq_attr_flags, static_cast<uint64_t>(a.mq_flags));
  else
    c.printf("%#lx", static_cast<unsigned long>(a.mq_flags));
  c.printf(", mq_maxmsg=%ld, mq_msgsize=%ld, mq_curmsgs=%ld}", a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
}

// mq_open(name, oflag[, mode, attr]): like open(2), the mode and attributes only with O_CREAT.
int sys_mq_open(Call& c) {
  print_path(c, c.arg(0));
  c.print(", ");
  const uint64_t flags = c.arg_uint(1);
  print_open_flags(c, flags);
  if (flags & O_CREAT) {
    c.print(", ");
    print_mode(c, c.arg_uint(2));
    c.print(", ");
    print_mq_attr(c, c.arg(3), false);
  }
  return RVAL_DECODED | RVAL_FD;
}

int sys_mq_unlink(Call& c) {
  print_path(c, c.arg(0));
  return RVAL_DECODED;
}

// mq_timedsend(mqdes, msg, len, prio, timeout)
int sys_mq_timedsend(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_buf(c, c.arg(1), c.arg(2));
  c.printf(", %" PRIu64 ", %u, ", c.arg(2), c.arg_uint(3));
  print_timespec(c, c.arg(4));
  return RVAL_DECODED;
}

// mq_timedreceive(mqdes, msg, len, prio *, timeout): the message and its priority at exit.
int sys_mq_timedreceive(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    return 0;
  }
  if (c.failed()) {
    print_addr(c, c.arg(1));
    c.printf(", %" PRIu64 ", ", c.arg(2));
    print_addr(c, c.arg(3));
  } else {
    print_buf(c, c.arg(1), static_cast<uint64_t>(c.rval));
    c.printf(", %" PRIu64 ", ", c.arg(2));
    print_int_ptr(c, c.arg(3));
  }
  c.print(", ");
  as_if_succeeded(c, [&] { print_timespec(c, c.arg(4)); });
  return 0;
}

int sys_mq_notify(Call& c) {
  print_fd(c, c.arg_int(0));
  c.print(", ");
  print_sigevent(c, c.arg(1));
  return RVAL_DECODED;
}

// mq_getsetattr(mqdes, newattr, oldattr)
int sys_mq_getsetattr(Call& c) {
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    c.print(", ");
    print_mq_attr(c, c.arg(1), true);
    c.print(", ");
    return 0;
  }
  if (c.failed())
    print_addr(c, c.arg(2));
  else
    print_mq_attr(c, c.arg(2), true);
  return 0;
}

const NamedDecoder kIpcDecoders[] = {
    {"shmget", sys_shmget},
    {"shmat", sys_shmat},
    {"shmdt", sys_shmdt},
    {"shmctl", sys_shmctl},
    {"msgget", sys_msgget},
    {"msgsnd", sys_msgsnd},
    {"msgrcv", sys_msgrcv},
    {"msgctl", sys_msgctl},
    {"semget", sys_semget},
    {"semop", sys_semop},
    {"semtimedop", sys_semtimedop},
    {"semctl", sys_semctl},
    {"mq_open", sys_mq_open},
    {"mq_unlink", sys_mq_unlink},
    {"mq_timedsend", sys_mq_timedsend},
    {"mq_timedreceive", sys_mq_timedreceive},
    {"mq_notify", sys_mq_notify},
    {"mq_getsetattr", sys_mq_getsetattr},
};

}  // namespace

const DecoderFamily family_ipc = {kIpcDecoders, sizeof kIpcDecoders / sizeof kIpcDecoders[0]};

}  // namespace decode
