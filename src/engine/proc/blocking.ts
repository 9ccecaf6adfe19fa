// The hung-process inspector: for every thread of a process, the system call it sits in (from
// /proc/PID/task/TID/syscall), the descriptors that call is about, how long it has been there,
// wchan and the kernel stack, and one line in plain words saying what it waits for. Works from
// /proc alone (no ptrace), so it helps exactly when attaching is refused.

import { statSync } from 'node:fs';
import type { Tracer } from '../types.js';
import { diagnoseAttach, type AttachDiagnostics } from './diagnose.js';
import { describeFd, listOpenFiles, newFdContext, openFilesUnavailableReason, readEpollTargets, type FdContext, type FdEntry } from './fds.js';
import { syscallName } from './syscall-names.js';
import {
  listTasks,
  readCmdline,
  readComm,
  readDirSafe,
  readProcMem,
  readProcStat,
  readProcText,
  readSchedExecStartMs,
  readTaskComm,
  readTaskStack,
  readTaskStat,
  readTaskStatus,
  readTaskSyscall,
  readTaskWchan,
  type TaskSyscall,
} from './task.js';

/** A descriptor the blocked call is about, resolved through the open-files table. */
export interface CallTarget {
  fd: number;
  /** `fd` for the call's own descriptor, `out`/`in` for splice-like calls, `watched` for poll/epoll sets. */
  role: 'fd' | 'in' | 'out' | 'watched';
  entry?: FdEntry;
  /** The one-line target, as in the open-files table; `fd N (closed)` when it is gone. */
  text: string;
}

export interface ThreadReport {
  tid: number;
  comm: string;
  /** R, S, D, T, t, Z, X, I, or '?' when the thread vanished. */
  state: string;
  /** `syscall` when blocked in one; `running` when on a CPU; `user` when stopped outside any call. */
  where: TaskSyscall['kind'];
  nr: number; // -1 when not in a call
  name: string; // '' when not in a call
  args: bigint[];
  /** The call as text: from opts.formatCall, else `name(arg, ...)` with descriptors resolved. */
  callText: string;
  targets: CallTarget[];
  /** How long the thread has sat in this call (or this stopped state); undefined when running. */
  blockedForMs: number | undefined;
  /** true: measured from the traced entry time; false: a lower bound ("at least"). */
  exact: boolean;
  /** Wall-clock ms (Date.now()) of the earliest moment we know the thread was already here. */
  sinceMs: number | undefined;
  /** What identifies "the same wait" across refreshes (call, args and context-switch counts). */
  waitKey: string;
  wchan: string | undefined;
  wchanReason: string | undefined;
  stack: string[] | undefined;
  stackReason: string | undefined;
  plainWords: string;
  overThreshold: boolean;
}

export interface InspectReport {
  pid: number;
  exists: boolean;
  /** One line when the process could not be inspected (gone, not readable). */
  reason?: string;
  comm: string;
  cmdline: string[];
  /** When the report was taken: wall-clock ms. */
  takenAtMs: number;
  thresholdMs: number;
  /** Over-threshold threads first (longest first), then the rest by tid. */
  threads: ThreadReport[];
  openFiles: FdEntry[] | undefined;
  openFilesReason?: string;
  /** Present when asked for (opts.diagnose) or when /proc refused us the threads' system calls. */
  diagnostics?: AttachDiagnostics;
}

export interface InspectOptions {
  /** A thread blocked at least this long is marked and sorted first. Default 1000 ms. */
  thresholdMs?: number;
  /** A live trace of the process: gives exact entry times. */
  tracer?: Tracer;
  /** The strace decoder, when available: formats the call from its raw arguments. */
  formatCall?: (pid: number, tid: number, nr: number, args: bigint[]) => string;
  /** The previous report for the same pid: carries "first seen" times across refreshes. */
  previous?: InspectReport;
  /** Always include the attach diagnostics. */
  diagnose?: boolean;
  /** Skip the open-files table (the per-thread targets are still resolved). */
  skipOpenFiles?: boolean;
}

export const DEFAULT_THRESHOLD_MS = 1000;

// ---------------------------------------------------------------------------------------------
// Small helpers

const i32 = (v: bigint | undefined): number => Number(BigInt.asIntN(32, v ?? 0n));
const i64 = (v: bigint | undefined): bigint => BigInt.asIntN(64, v ?? 0n);

/** `250 ms`, `5 s`, `12.3 s`, `4 min 10 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1).replace(/\.0$/, '')} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${Math.floor(s % 60) ? ` ${Math.floor(s % 60)} s` : ''}`;
  const h = Math.floor(m / 60);
  return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** A NUL-terminated string from the tracee's memory, read page by page, or undefined. */
export function readCString(pid: number, addr: bigint, max = 4096): string | undefined {
  if (addr === 0n) return undefined;
  const chunks: Buffer[] = [];
  let at = addr;
  let total = 0;
  while (total < max) {
    const toPageEnd = 4096 - Number(at % 4096n);
    const buf = readProcMem(pid, at, Math.min(toPageEnd, max - total));
    if (!buf) return total > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
    const nul = buf.indexOf(0);
    if (nul >= 0) {
      chunks.push(buf.subarray(0, nul));
      return Buffer.concat(chunks).toString('utf8');
    }
    chunks.push(buf);
    total += buf.length;
    at += BigInt(buf.length);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A struct timespec (two int64) from the tracee's memory, in ms. */
function readTimespecMs(pid: number, addr: bigint): number | undefined {
  const b = readProcMem(pid, addr, 16);
  if (!b) return undefined;
  const sec = b.readBigInt64LE(0);
  const nsec = b.readBigInt64LE(8);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return undefined;
  return Number(sec) * 1000 + Number(nsec) / 1e6;
}

/** `(postgres, pid 812)` style list of holders. */
function holdersInParens(holders: { pid: number; comm: string }[], selfPid: number): string {
  const seen = new Map<number, string>();
  for (const h of holders) if (!seen.has(h.pid)) seen.set(h.pid, h.comm);
  if (seen.size === 0) return '';
  const parts = [...seen].slice(0, 3).map(([pid, comm]) => (pid === selfPid ? `this process, pid ${pid}` : `${comm}, pid ${pid}`));
  return ` (${parts.join('; ')}${seen.size > 3 ? `; ${seen.size - 3} more` : ''})`;
}

/** `pid 77 (cat)` style list, for pipe ends. */
function pidsWithComm(holders: { pid: number; comm: string }[], selfPid: number): string {
  const seen = new Map<number, string>();
  for (const h of holders) if (!seen.has(h.pid)) seen.set(h.pid, h.comm);
  const parts = [...seen].slice(0, 3).map(([pid, comm]) => (pid === selfPid ? `this process (pid ${pid})` : `pid ${pid} (${comm})`));
  if (seen.size > 3) parts.push(`${seen.size - 3} more`);
  return parts.join(', ');
}

/** Children of pid: every process whose PPid is pid (one /proc scan; /proc/.../children needs CONFIG_PROC_CHILDREN). */
function childrenOf(pid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const name of readDirSafe('/proc')) {
    const p = Number(name);
    if (!Number.isInteger(p) || p <= 0) continue;
    const st = readProcStat(p);
    if (st && st.ppid === pid) out.push({ pid: p, comm: st.comm });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Which arguments are descriptors

/** Argument positions that are file descriptors, by syscall name. */
const FD_ARGS: Record<string, [number, CallTarget['role']][]> = {};
for (const n of [
  'read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
  'recvfrom', 'recvmsg', 'recvmmsg', 'sendto', 'sendmsg', 'sendmmsg', 'accept', 'accept4', 'connect',
  'shutdown', 'bind', 'listen', 'getsockopt', 'setsockopt', 'fsync', 'fdatasync', 'syncfs', 'sync_file_range',
  'ftruncate', 'fallocate', 'flock', 'fcntl', 'ioctl', 'lseek', 'getdents64', 'fstat', 'newfstatat', 'close',
  'epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'epoll_ctl', 'io_uring_enter', 'mq_timedreceive', 'mq_timedsend',
  'fstatfs', 'fchmod', 'fchown', 'fgetxattr', 'fsetxattr', 'fadvise64', 'readahead',
]) FD_ARGS[n] = [[0, 'fd']];
FD_ARGS.splice = [[0, 'in'], [2, 'out']];
FD_ARGS.tee = [[0, 'in'], [1, 'out']];
FD_ARGS.sendfile = [[0, 'out'], [1, 'in']];
FD_ARGS.copy_file_range = [[0, 'in'], [2, 'out']];

/** How many arguments each call takes, for the default call text. */
const ARITY: Record<string, number> = {
  read: 3, write: 3, pread64: 4, pwrite64: 4, readv: 3, writev: 3, preadv: 4, pwritev: 4, preadv2: 5, pwritev2: 5,
  recvfrom: 6, recvmsg: 3, recvmmsg: 5, sendto: 6, sendmsg: 3, sendmmsg: 4, accept: 3, accept4: 4, connect: 3,
  fsync: 1, fdatasync: 1, syncfs: 1, sync: 0, sync_file_range: 4, flock: 2, fcntl: 3, ioctl: 3, close: 1,
  epoll_wait: 4, epoll_pwait: 6, epoll_pwait2: 6, poll: 3, ppoll: 5, select: 5, pselect6: 6,
  wait4: 4, waitid: 5, nanosleep: 2, clock_nanosleep: 4, futex: 6, futex_waitv: 5, pause: 0, rt_sigsuspend: 2,
  rt_sigtimedwait: 4, open: 3, openat: 4, openat2: 4, msgrcv: 5, semop: 3, semtimedop: 4, io_getevents: 5,
  io_uring_enter: 6, splice: 6, tee: 4, sendfile: 4, copy_file_range: 6, restart_syscall: 0, lseek: 3,
  getdents64: 3, ftruncate: 2, fallocate: 4, mq_timedreceive: 5, mq_timedsend: 5, shutdown: 2, listen: 2, bind: 3,
};

/** strace -yy style decoration for a descriptor: `3<TCP:[127.0.0.1:40000->127.0.0.1:5432]>`. */
function fdDecoration(e: FdEntry | undefined): string {
  if (!e) return '';
  if (e.socket) {
    const s = e.socket;
    if (s.proto === 'UNIX') return `<UNIX-${s.type}:[${s.inode}${s.path ? `,"${s.path}"` : ''}]>`;
    return s.state === 'LISTEN' || s.state === 'UNCONN' ? `<${s.proto}:[${s.local}]>` : `<${s.proto}:[${s.local}->${s.remote}]>`;
  }
  return `<${e.link}>`;
}

/** A raw argument without knowing its type: small numbers and small negatives in decimal, the rest in hex. */
function formatRawArg(v: bigint): string {
  if (v <= 0xffffn) return v.toString();
  const s64 = i64(v);
  if (s64 < 0n && s64 > -4096n) return s64.toString();
  if (v >> 32n === 0n && i32(v) < 0 && i32(v) > -4096) return String(i32(v));
  return `0x${v.toString(16)}`;
}

function defaultCallText(name: string, args: bigint[], fdEntries: Map<number, FdEntry | undefined>): string {
  const n = ARITY[name] ?? 6;
  const fdPos = new Set((FD_ARGS[name] ?? []).map(([i]) => i));
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = args[i] ?? 0n;
    if (fdPos.has(i)) {
      const fd = i32(v);
      parts.push(`${fd}${fdDecoration(fdEntries.get(fd))}`);
    } else {
      parts.push(formatRawArg(v));
    }
  }
  return `${name}(${parts.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Futex: mutex owners, pthread_join, lock cycles

const FUTEX_CMD_MASK = ~(128 | 256);
const FUTEX_WAITING_OPS = new Set([0 /* WAIT */, 6 /* LOCK_PI */, 9 /* WAIT_BITSET */, 11 /* WAIT_REQUEUE_PI */, 13 /* LOCK_PI2 */]);

interface FutexWait {
  tid: number;
  uaddr: bigint;
  op: number;
  /** Thread that owns the lock, when the futex word or glibc's mutex layout names one. */
  owner?: number;
  /** The futex is a thread's tid word: pthread_join waiting for that thread. */
  joins?: number;
}

/**
 * What a FUTEX_WAIT is about, from the futex word and its neighbours. glibc's pthread_mutex_t
 * starts {int __lock; unsigned __count; int __owner;}: a locked mutex has a nonzero word and the
 * owner's tid 8 bytes further. pthread_join waits on the joined thread's tid word with val = tid.
 * PI futexes carry the owner tid in the word itself.
 */
function analyzeFutex(pid: number, tid: number, args: bigint[], liveTids: Set<number>): FutexWait | undefined {
  const op = Number(args[1] ?? 0n) & FUTEX_CMD_MASK;
  if (!FUTEX_WAITING_OPS.has(op)) return undefined;
  const uaddr = args[0] ?? 0n;
  const w: FutexWait = { tid, uaddr, op };
  const mem = readProcMem(pid, uaddr, 12);
  if (op === 6 || op === 13) {
    const word = mem ? mem.readUInt32LE(0) & 0x3fffffff : 0;
    if (word && liveTids.has(word) && word !== tid) w.owner = word;
    return w;
  }
  const val = i32(args[2]);
  if (mem) {
    const word = mem.readInt32LE(0);
    if (val > 0 && val === word && liveTids.has(val) && val !== tid) {
      w.joins = val;
      return w;
    }
    const owner = mem.readInt32LE(8);
    if (word !== 0 && owner > 0 && owner !== tid && liveTids.has(owner)) w.owner = owner;
  }
  return w;
}

/** The owner chain from `start`; returns the cycle (tids) if it comes back to start. */
function findLockCycle(start: number, waits: Map<number, FutexWait>): number[] | undefined {
  const chain = [start];
  let cur = waits.get(start)?.owner;
  for (let i = 0; i < 64 && cur !== undefined; i++) {
    if (cur === start) return chain;
    if (chain.includes(cur)) return undefined; // a cycle not through start
    chain.push(cur);
    cur = waits.get(cur)?.owner;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Locks held on files (/proc/locks)

interface FileLock {
  kind: string; // FLOCK, POSIX, OFDLCK
  mode: string; // READ, WRITE
  pid: number;
  major: number;
  minor: number;
  ino: bigint;
}

function readFileLocks(): FileLock[] {
  const out: FileLock[] = [];
  for (const line of (readProcText('/proc/locks') ?? '').split('\n')) {
    // `1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF`; waiters have `->` after the id.
    const m = /^\d+:\s+(\S+)\s+\S+\s+(\S+)\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)/.exec(line);
    if (m) out.push({ kind: m[1], mode: m[2], pid: Number(m[3]), major: parseInt(m[4], 16), minor: parseInt(m[5], 16), ino: BigInt(m[6]) });
  }
  return out;
}

function lockHolders(pid: number, fd: number, selfPid: number): string {
  let st;
  try {
    st = statSync(`/proc/${pid}/fd/${fd}`, { bigint: true });
  } catch {
    return '';
  }
  const dev = st.dev;
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  const holders = readFileLocks().filter((l) => l.ino === st.ino && l.major === major && l.minor === minor && l.pid !== selfPid);
  if (holders.length === 0) return '';
  return ` held by ${pidsWithComm(holders.map((h) => ({ pid: h.pid, comm: readComm(h.pid) ?? '?' })), selfPid)}`;
}

// ---------------------------------------------------------------------------------------------
// Plain words

interface WordsContext {
  pid: number;
  tid: number;
  state: string;
  name: string;
  args: bigint[];
  targets: CallTarget[];
  wchan: string | undefined;
  futex: Map<number, FutexWait>;
  tidComm: Map<number, string>;
}

function socketSource(e: FdEntry, selfPid: number): string {
  const s = e.socket!;
  const who = e.socketPeer ? holdersInParens(e.socketPeer.holders, selfPid) : '';
  if (s.proto === 'UNIX') {
    const name = s.path ? `unix socket ${s.path}` : 'an unnamed unix socket';
    const note = e.socketPeer?.note && !who ? ` (${e.socketPeer.note.replace(/^accepted on [^;]+; /, '')})` : '';
    return `${name}${who}${note}`;
  }
  return `${s.remote}${who}`;
}

function describeRead(e: FdEntry | undefined, fd: number, c: WordsContext): string {
  if (!e) return `waiting to read from fd ${fd} (closed or unreadable)`;
  if (e.socket) {
    const s = e.socket;
    if (s.proto !== 'UNIX' && (s.state === 'UNCONN' || s.state === 'LISTEN')) return `waiting for a datagram on ${s.local}`;
    if (s.proto === 'UNIX' && s.type === 'DGRAM' && !s.path) return `waiting for a datagram on ${socketSource(e, c.pid)}`;
    return `waiting for data from ${socketSource(e, c.pid)}`;
  }
  if (e.pipe) {
    const writers = e.pipe.peers;
    return writers.length
      ? `waiting for data from a pipe written by ${pidsWithComm(writers, c.pid)}`
      : `reading a pipe with no writer left (end of file)`;
  }
  if (e.type === 'FIFO') return `waiting for data from FIFO ${e.link}`;
  if (e.type === 'CHR') {
    if (/^\/dev\/(pts\/|tty)/.test(e.link)) return `waiting for input from terminal ${e.link}`;
    return `waiting to read from device ${e.link}`;
  }
  if (e.link === 'anon_inode:[eventfd]') return 'waiting for an eventfd to be signalled';
  if (e.link.startsWith('anon_inode:[timerfd]')) return 'waiting for a timer to expire (timerfd)';
  if (e.link.startsWith('anon_inode:[signalfd]')) return 'waiting for a signal (signalfd)';
  if (e.link.startsWith('anon_inode:inotify') || e.link === 'anon_inode:[inotify]') return 'waiting for file system events (inotify)';
  if (e.type === 'REG') return c.state === 'D' ? `waiting for the disk reading ${e.link}` : `reading ${e.link}`;
  return `waiting to read from ${e.target}`;
}

function describeWrite(e: FdEntry | undefined, fd: number, c: WordsContext): string {
  if (!e) return `waiting to write to fd ${fd} (closed or unreadable)`;
  if (e.pipe) {
    const readers = e.pipe.peers;
    return readers.length
      ? `blocked writing to a full pipe read by ${pidsWithComm(readers, c.pid)}`
      : 'writing to a pipe with no reader left (EPIPE)';
  }
  if (e.socket) {
    const s = e.socket;
    if (s.proto !== 'UNIX') {
      const queued = s.txQueue ? `, ${s.txQueue} bytes queued` : '';
      return `blocked sending to ${socketSource(e, c.pid)}: the send buffer is full, the peer is not reading${queued}`;
    }
    return `blocked sending on ${socketSource(e, c.pid)}: the peer is not reading`;
  }
  if (e.type === 'FIFO') return `blocked writing to full FIFO ${e.link}`;
  if (e.type === 'CHR' && /^\/dev\/(pts\/|tty)/.test(e.link)) return `blocked writing to terminal ${e.link} (output paused with Ctrl-S, or nobody reads the terminal)`;
  if (e.type === 'REG') return c.state === 'D' ? `waiting for the disk writing to ${e.link}` : `writing to ${e.link}`;
  return `waiting to write to ${e.target}`;
}

function sleepWords(c: WordsContext): string {
  let ms: number | undefined;
  let how = '';
  if (c.name === 'nanosleep') ms = readTimespecMs(c.pid, c.args[0] ?? 0n);
  else {
    const clock = i32(c.args[0]);
    const flags = i32(c.args[1]);
    const t = readTimespecMs(c.pid, c.args[2] ?? 0n);
    if (t !== undefined && flags & 1 /* TIMER_ABSTIME */) {
      const now = clock === 0 ? Date.now() : Number(process.hrtime.bigint() / 1_000_000n);
      if (clock === 0 || clock === 1) {
        const left = t - now;
        return left > 0 ? `sleeping in ${c.name} until a set time, ${formatDuration(left)} from now` : `sleeping in ${c.name} until an absolute time`;
      }
      how = ' (absolute deadline)';
    }
    ms = t;
  }
  if (ms === undefined) return `sleeping in ${c.name} (duration unreadable: needs the same user or root)`;
  return `sleeping for ${formatDuration(ms)} in ${c.name}${how}`;
}

function waitWords(c: WordsContext): string {
  let target: number | undefined;
  let group: number | undefined;
  if (c.name === 'wait4') {
    const p = i32(c.args[0]);
    if (p > 0) target = p;
    else if (p === 0) group = 0;
    else if (p < -1) group = -p;
  } else {
    const idtype = i32(c.args[0]);
    const id = i32(c.args[1]);
    if (idtype === 1) target = id;
    else if (idtype === 2) group = id;
    else if (idtype === 3) return `waiting for the child behind pidfd ${id} to exit`;
  }
  if (target !== undefined) return `waiting for child ${target} (${readComm(target) ?? 'gone'}) to exit`;
  const kids = childrenOf(c.pid);
  const list = kids.length ? `: ${kids.slice(0, 4).map((k) => `${k.pid} (${k.comm})`).join(', ')}${kids.length > 4 ? `, ${kids.length - 4} more` : ''}` : ' (it has none left)';
  if (group !== undefined) return `waiting for any child in process group ${group || 'of its own'} to exit${list}`;
  return `waiting for any child to exit${list}`;
}

function futexWords(c: WordsContext): string {
  const op = Number(c.args[1] ?? 0n) & FUTEX_CMD_MASK;
  if (!FUTEX_WAITING_OPS.has(op)) return `in futex (operation ${op}): waking or requeueing waiters, not waiting`;
  const w = c.futex.get(c.tid);
  const name = (tid: number): string => `thread ${tid} (${c.tidComm.get(tid) ?? '?'})`;
  if (w?.joins !== undefined) return `waiting for ${name(w.joins)} to exit (pthread_join)`;
  const base = 'waiting on a futex: a lock or condition variable in user space';
  if (w?.owner !== undefined) {
    const cycle = findLockCycle(c.tid, c.futex);
    if (cycle && cycle.length > 1) {
      const others = cycle.slice(1).map(name).join(', which waits for one held by ');
      return `deadlock: waiting for a mutex held by ${others}, which waits for one held by this thread`;
    }
    return `${base}; it is a mutex held by ${name(w.owner)}`;
  }
  return base;
}

function openWords(c: WordsContext): string {
  const pathArg = c.name === 'open' ? c.args[0] : c.args[1];
  const path = readCString(c.pid, pathArg ?? 0n);
  let flags: number;
  if (c.name === 'openat2') {
    const how = readProcMem(c.pid, c.args[2] ?? 0n, 8);
    flags = how ? Number(how.readBigUInt64LE(0) & 0xffffffffn) : 0;
  } else flags = i32(c.name === 'open' ? c.args[1] : c.args[2]);
  if (path === undefined) return `opening a file (path unreadable)${c.state === 'D' ? ', waiting for the file system' : ''}`;
  let isFifo = false;
  try {
    // Relative paths are relative to the tracee's cwd (or dirfd): resolve through /proc.
    const abs = path.startsWith('/') ? path : `/proc/${c.pid}/cwd/${path}`;
    isFifo = statSync(abs).isFIFO();
  } catch {
    // gone or unreadable: not a FIFO we can tell
  }
  if (isFifo) return (flags & 3) === 0 ? `waiting for a writer to open FIFO ${path}` : `waiting for a reader to open FIFO ${path}`;
  return c.state === 'D' ? `waiting for the file system opening ${path}` : `opening ${path}`;
}

export function plainWords(c: WordsContext): string {
  const t0 = c.targets.find((t) => t.role === 'fd');
  const e = t0?.entry;
  const fd = t0?.fd ?? -1;
  const path = e ? (e.type === 'REG' || e.type === 'DIR' ? e.link : e.target) : `fd ${fd}`;
  switch (c.name) {
    case 'read': case 'readv': case 'pread64': case 'preadv': case 'preadv2':
    case 'recvfrom': case 'recvmsg': case 'recvmmsg':
      return describeRead(e, fd, c);
    case 'write': case 'writev': case 'pwrite64': case 'pwritev': case 'pwritev2':
    case 'sendto': case 'sendmsg': case 'sendmmsg':
      return describeWrite(e, fd, c);
    case 'accept': case 'accept4': {
      const s = e?.socket;
      if (!s) return `waiting for a connection on fd ${fd}`;
      return `waiting for a connection on ${s.proto === 'UNIX' ? (s.path || 'an unnamed unix socket') : s.local}`;
    }
    case 'connect': {
      const s = e?.socket;
      if (s && s.proto !== 'UNIX') return `waiting for a connection to ${s.remote} to be established (${s.state})`;
      return `waiting to connect${s?.proto === 'UNIX' ? ' a unix socket' : ''} on fd ${fd}`;
    }
    case 'futex':
      return futexWords(c);
    case 'futex_waitv':
      return `waiting on ${i32(c.args[1])} futexes: locks or condition variables in user space`;
    case 'epoll_wait': case 'epoll_pwait': case 'epoll_pwait2': {
      const n = e?.epollTargets?.length;
      const timeout = c.name === 'epoll_pwait2' ? undefined : i32(c.args[3]);
      const tail = timeout !== undefined && timeout >= 0 ? `, timeout ${formatDuration(timeout)}` : '';
      return `event loop idle in ${c.name} on ${n ?? 'an unknown number of'} descriptor${n === 1 ? '' : 's'}${tail}`;
    }
    case 'poll': case 'ppoll': case 'select': case 'pselect6': {
      const n = c.targets.filter((t) => t.role === 'watched').length;
      return `event loop idle in ${c.name} on ${n} descriptor${n === 1 ? '' : 's'}`;
    }
    case 'wait4': case 'waitid':
      return waitWords(c);
    case 'nanosleep': case 'clock_nanosleep':
      return sleepWords(c);
    case 'fsync': case 'fdatasync': case 'sync_file_range': case 'syncfs':
      return `waiting for the disk in ${c.name} on ${path}`;
    case 'sync':
      return 'waiting for the disk in sync (flushing every file system)';
    case 'open': case 'openat': case 'openat2':
      return openWords(c);
    case 'flock':
      return `waiting for a file lock (flock) on ${path}${lockHolders(c.pid, fd, c.pid)}`;
    case 'fcntl': {
      const cmd = i32(c.args[1]);
      if (cmd === 7 /* F_SETLKW */ || cmd === 38 /* F_OFD_SETLKW */) return `waiting for a record lock (fcntl ${cmd === 7 ? 'F_SETLKW' : 'F_OFD_SETLKW'}) on ${path}${lockHolders(c.pid, fd, c.pid)}`;
      return `in fcntl on ${path}`;
    }
    case 'pause': case 'rt_sigsuspend': case 'rt_sigtimedwait':
      return `waiting for a signal (${c.name})`;
    case 'restart_syscall':
      return 'resuming an interrupted sleep (restart_syscall after a stop or signal)';
    case 'msgrcv':
      return `waiting for a message on System V queue ${i32(c.args[0])}`;
    case 'semop': case 'semtimedop':
      return `waiting on System V semaphore set ${i32(c.args[0])}`;
    case 'mq_timedreceive':
      return `waiting for a message on POSIX queue ${path}`;
    case 'io_getevents':
      return 'waiting for asynchronous I/O to complete (io_getevents)';
    case 'io_uring_enter':
      return 'waiting for io_uring completions';
    case 'splice': case 'tee': case 'sendfile': case 'copy_file_range': {
      const from = c.targets.find((t) => t.role === 'in')?.text ?? '?';
      const to = c.targets.find((t) => t.role === 'out')?.text ?? '?';
      return `moving data in ${c.name} from ${from} to ${to}`;
    }
    default: {
      const where = c.wchan ? ` (sleeping in kernel function ${c.wchan})` : '';
      return `in ${c.name}${t0 ? ` on ${path}` : ''}${where}`;
    }
  }
}

function stateWords(state: string, wchan: string | undefined): string | undefined {
  switch (state) {
    case 'Z': return 'zombie: exited, waiting for its parent to reap it';
    case 'X': return 'dead: being removed';
    case 'T': return 'stopped by a signal (SIGSTOP or SIGTSTP): send SIGCONT to resume it';
    case 't': return 'stopped by its tracer (a debugger or strace holds it)';
    case 'D': return `in uninterruptible sleep${wchan ? ` in ${wchan}` : ''}: usually waiting for a disk, NFS or a kernel lock`;
    default: return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The inspection

/** Resolve the descriptors a call is about (its fd arguments; for poll/epoll the watched set). */
function resolveTargets(pid: number, name: string, args: bigint[], ctx: FdContext, cache: Map<number, FdEntry | undefined>): CallTarget[] {
  const get = (fd: number): FdEntry | undefined => {
    if (!cache.has(fd)) cache.set(fd, fd >= 0 ? describeFd(pid, fd, ctx) : undefined);
    return cache.get(fd);
  };
  const mk = (fd: number, role: CallTarget['role']): CallTarget => {
    const entry = get(fd);
    return { fd, role, entry, text: entry ? entry.target : `fd ${fd} (closed)` };
  };
  const out: CallTarget[] = [];
  for (const [i, role] of FD_ARGS[name] ?? []) out.push(mk(i32(args[i]), role));
  const MAX_WATCHED = 16;
  if (name.startsWith('epoll_') && name !== 'epoll_ctl') {
    const tfds = out[0]?.entry?.epollTargets ?? readEpollTargets(pid, i32(args[0])) ?? [];
    for (const fd of tfds.slice(0, MAX_WATCHED)) out.push(mk(fd, 'watched'));
  } else if (name === 'poll' || name === 'ppoll') {
    const nfds = Math.min(Number(args[1] ?? 0n), 1024);
    const buf = readProcMem(pid, args[0] ?? 0n, nfds * 8);
    if (buf) for (let i = 0; i < nfds && out.length < MAX_WATCHED; i++) {
      const fd = buf.readInt32LE(i * 8);
      if (fd >= 0) out.push(mk(fd, 'watched'));
    }
  } else if (name === 'select' || name === 'pselect6') {
    const nfds = Math.min(i32(args[0]), 1024);
    const bytes = Math.ceil(nfds / 64) * 8;
    const seen = new Set<number>();
    for (const setArg of [args[1], args[2], args[3]]) {
      const buf = readProcMem(pid, setArg ?? 0n, bytes);
      if (!buf) continue;
      for (let fd = 0; fd < nfds; fd++) if (buf[fd >> 3] & (1 << (fd & 7))) seen.add(fd);
    }
    for (const fd of [...seen].slice(0, MAX_WATCHED)) out.push(mk(fd, 'watched'));
  }
  return out;
}

interface RawThread {
  tid: number;
  comm: string;
  state: string;
  sc: TaskSyscall;
  nr: number;
  name: string;
  args: bigint[];
  switches: string;
  execStartMs: number | undefined;
}

/**
 * Inspect every thread of `pid`. Never throws: a vanished process gives a report with
 * exists=false and a reason; a thread that vanishes mid-way is left out.
 */
export function inspectProcess(pid: number, opts: InspectOptions = {}): InspectReport {
  const thresholdMs = opts.thresholdMs ?? DEFAULT_THRESHOLD_MS;
  const takenAtMs = Date.now();
  const nowMonoNs = process.hrtime.bigint();
  const tids = listTasks(pid);
  const comm = readComm(pid) ?? '';
  const cmdline = readCmdline(pid) ?? [];
  if (!tids) {
    return { pid, exists: false, reason: `pid ${pid} does not exist`, comm, cmdline, takenAtMs, thresholdMs, threads: [], openFiles: undefined };
  }
  const ctx = newFdContext(pid);
  const fdCache = new Map<number, FdEntry | undefined>();
  // Our own last-ran time in the scheduler clock: the reference for targets' exec_start.
  const ourExecStartMs = readSchedExecStartMs('/proc/thread-self/sched');

  // Pass 1: raw facts per thread.
  const raws: RawThread[] = [];
  for (const tid of tids) {
    const stat = readTaskStat(pid, tid);
    if (!stat) continue;
    const sc = readTaskSyscall(pid, tid);
    const status = readTaskStatus(pid, tid);
    const switches = `${status?.raw.get('voluntary_ctxt_switches') ?? '?'}/${status?.raw.get('nonvoluntary_ctxt_switches') ?? '?'}`;
    raws.push({
      tid,
      comm: readTaskComm(pid, tid) ?? stat.comm,
      state: stat.state,
      sc,
      nr: sc.kind === 'syscall' ? sc.nr : -1,
      name: sc.kind === 'syscall' ? syscallName(sc.nr) : '',
      args: sc.kind === 'syscall' ? sc.args : [],
      switches,
      execStartMs: readSchedExecStartMs(`/proc/${pid}/task/${tid}/sched`),
    });
  }
  const liveTids = new Set(raws.map((r) => r.tid));
  const tidComm = new Map(raws.map((r) => [r.tid, r.comm]));
  const futex = new Map<number, FutexWait>();
  for (const r of raws) {
    if (r.name === 'futex') {
      const w = analyzeFutex(pid, r.tid, r.args, liveTids);
      if (w) futex.set(r.tid, w);
    }
  }
  const traced = new Map((opts.tracer ? safeThreads(opts.tracer) : []).filter((t) => t.pid === pid || liveTids.has(t.tid)).map((t) => [t.tid, t]));
  const prevByTid = new Map((opts.previous?.pid === pid ? opts.previous.threads : []).map((t) => [t.tid, t]));

  const threads: ThreadReport[] = [];
  let deniedSyscall = false;
  for (const r of raws) {
    try {
      if (r.sc.kind === 'unavailable' && /permission/.test(r.sc.reason)) deniedSyscall = true;
      const tracedState = traced.get(r.tid);
      let { nr, name, args } = r;
      if (tracedState?.inSyscall && nr < 0 && tracedState.nr >= 0) {
        // Stopped by the tracer mid-call: /proc no longer shows the call; the engine knows it.
        nr = tracedState.nr;
        name = syscallName(nr);
      }
      const targets = nr >= 0 && args.length ? resolveTargets(pid, name, args, ctx, fdCache) : [];
      const fdEntries = new Map(targets.map((t) => [t.fd, t.entry]));
      const wchanR = readTaskWchan(pid, r.tid);
      const stackR = readTaskStack(pid, r.tid);
      const wchan = 'wchan' in wchanR ? wchanR.wchan : undefined;

      let callText = '';
      if (nr >= 0 && args.length) {
        callText = safeFormat(opts.formatCall, pid, r.tid, nr, args) ?? defaultCallText(name, args, fdEntries);
      } else if (nr >= 0 && tracedState) callText = `${tracedState.entryText}<unfinished ...>`;
      else if (r.sc.kind === 'unavailable') callText = `? (${r.sc.reason})`;

      // How long: exact from the tracer, else a lower bound from observation and the scheduler.
      const waitKey = r.sc.kind === 'running' ? 'running' : `${r.state}:${nr}:${args.map((a) => a.toString(16)).join(',')}:${r.switches}`;
      let blockedForMs: number | undefined;
      let exact = false;
      let sinceMs: number | undefined;
      if (tracedState?.inSyscall && tracedState.entryNs > 0 && (nr < 0 || tracedState.nr === nr)) {
        blockedForMs = Math.max(0, Number(nowMonoNs - BigInt(tracedState.entryNs)) / 1e6);
        // A call restarted by our attach began earlier than we saw: what we know is a lower bound.
        exact = !tracedState.entryRestarted;
        sinceMs = takenAtMs - blockedForMs;
      } else if (r.sc.kind !== 'running' && r.state !== 'R') {
        const prev = prevByTid.get(r.tid);
        sinceMs = prev && prev.waitKey === waitKey && prev.sinceMs !== undefined ? prev.sinceMs : takenAtMs;
        if (ourExecStartMs !== undefined && r.execStartMs !== undefined) {
          // The thread last ran at exec_start and has slept since: a lower bound, same clock as ours.
          const asleepMs = ourExecStartMs - r.execStartMs;
          if (asleepMs > 0) sinceMs = Math.min(sinceMs, takenAtMs - asleepMs);
        }
        blockedForMs = Math.max(0, takenAtMs - sinceMs);
      }

      let words: string;
      const sw = stateWords(r.state, wchan);
      if (r.state === 'Z' || r.state === 'X') words = sw!;
      else if (r.sc.kind === 'running' || (r.state === 'R' && nr < 0)) words = 'running on CPU, not blocked in a system call';
      else if (nr >= 0) {
        words = plainWords({ pid, tid: r.tid, state: r.state, name, args, targets, wchan, futex, tidComm });
        if (r.state === 'T' || r.state === 't') words = `${sw}; inside ${name}: ${words}`;
        else if (r.state === 'D' && !/disk|file system/.test(words)) words = `${words} (uninterruptible sleep${wchan ? ` in ${wchan}` : ''})`;
      } else if (r.sc.kind === 'unavailable') words = sw ?? `cannot see the system call: ${r.sc.reason}`;
      else words = sw ?? `not in a system call (state ${r.state})${wchan ? `, sleeping in ${wchan}` : ''}`;

      threads.push({
        tid: r.tid,
        comm: r.comm,
        state: r.state,
        where: r.sc.kind,
        nr,
        name,
        args,
        callText,
        targets,
        blockedForMs,
        exact,
        sinceMs,
        waitKey,
        wchan,
        wchanReason: 'reason' in wchanR ? wchanR.reason : undefined,
        stack: 'frames' in stackR ? stackR.frames : undefined,
        stackReason: 'reason' in stackR ? stackR.reason : undefined,
        plainWords: words,
        overThreshold: blockedForMs !== undefined && blockedForMs >= thresholdMs,
      });
    } catch (err) {
      // A thread that raced us into oblivion (or an unexpected /proc format) must not sink the report.
      threads.push(vanishedThread(r, err, thresholdMs));
    }
  }
  threads.sort((a, b) => {
    if (a.overThreshold !== b.overThreshold) return a.overThreshold ? -1 : 1;
    if (a.overThreshold && b.overThreshold && a.blockedForMs !== b.blockedForMs) return (b.blockedForMs ?? 0) - (a.blockedForMs ?? 0);
    return a.tid - b.tid;
  });

  const report: InspectReport = { pid, exists: true, comm, cmdline, takenAtMs, thresholdMs, threads, openFiles: undefined };
  if (!opts.skipOpenFiles) {
    report.openFiles = listOpenFiles(pid, ctx);
    if (!report.openFiles) report.openFilesReason = openFilesUnavailableReason(pid);
  }
  if (opts.diagnose || deniedSyscall) report.diagnostics = diagnoseAttach(pid);
  if (threads.length === 0) report.reason = `pid ${pid} has no threads left (it exited while we looked)`;
  return report;
}

function safeThreads(tracer: Tracer): ReturnType<Tracer['threads']> {
  try {
    return tracer.threads();
  } catch {
    return [];
  }
}

function safeFormat(f: InspectOptions['formatCall'], pid: number, tid: number, nr: number, args: bigint[]): string | undefined {
  if (!f) return undefined;
  try {
    return f(pid, tid, nr, args);
  } catch {
    return undefined;
  }
}

function vanishedThread(r: RawThread, err: unknown, thresholdMs: number): ThreadReport {
  void thresholdMs;
  const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return {
    tid: r.tid, comm: r.comm, state: r.state, where: r.sc.kind, nr: r.nr, name: r.name, args: r.args,
    callText: r.name ? `${r.name}(...)` : '', targets: [], blockedForMs: undefined, exact: false, sinceMs: undefined,
    waitKey: '', wchan: undefined, wchanReason: 'not read', stack: undefined, stackReason: 'not read',
    plainWords: `could not inspect this thread: ${msg}`, overThreshold: false,
  };
}
