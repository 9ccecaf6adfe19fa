// The plain words of the inspector: what a thread waits for, read from its call's arguments (and
// the memory they point to), its descriptors, and who holds what. Each reading may also name the
// process or thread that holds the waiter up (WordsContext.waitsOn): the next hop of the chain.

import { native } from '../native.js';
import type { CallTarget } from './blocking.js';
import type { InspectContext } from './context.js';
import type { FdEntry } from './fds.js';
import type { WaitsOn } from './kernel-waits.js';
import { findBlocker, lockRange, parseLockLine, sameLock, type FileLock, type LockRequest } from './locks.js';
import { readFdInfo } from './mounts.js';
import { readComm, readLinkSafe, readProcMem, readProcStat } from './task.js';

// ---------------------------------------------------------------------------------------------
// Small helpers

export const i32 = (v: bigint | undefined): number => Number(BigInt.asIntN(32, v ?? 0n));
export const i64 = (v: bigint | undefined): bigint => BigInt.asIntN(64, v ?? 0n);
export const AT_FDCWD = -100;

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

let signalNames: Map<number, string> | undefined;
export function signalName(n: number): string {
  if (!signalNames) {
    signalNames = new Map();
    try {
      for (let i = 1; i < 65; i++) signalNames.set(i, native().signalName(i));
    } catch {
      // names below stay numeric
    }
  }
  return signalNames.get(n) ?? `signal ${n}`;
}

/** A wait status as waitpid(2) reports it, in words: `exited with code 3`, `killed by SIGKILL (core dumped)`. */
export function waitStatusText(status: number): string {
  const sig = status & 0x7f;
  if (sig === 0) return `exited with code ${(status >> 8) & 0xff}`;
  return `killed by ${signalName(sig)}${status & 0x80 ? ' (core dumped)' : ''}`;
}

/** The target's memory, read only when it cannot hang us (see ProcessIndex.memoryRisk). */
export class TargetMemory {
  constructor(
    readonly pid: number,
    readonly allowed: boolean,
  ) {}

  /** Reads asked for twice (a thread pool's shared futex word) are read once. */
  private readonly cache = new Map<string, Buffer | undefined>();

  read(addr: bigint, len: number): Buffer | undefined {
    if (!this.allowed) return undefined;
    const key = `${addr}:${len}`;
    if (!this.cache.has(key)) this.cache.set(key, readProcMem(this.pid, addr, len));
    return this.cache.get(key);
  }

  /** A NUL-terminated string, read page by page. */
  cstring(addr: bigint, max = 4096): string | undefined {
    if (addr === 0n || !this.allowed) return undefined;
    const chunks: Buffer[] = [];
    let at = addr;
    let total = 0;
    while (total < max) {
      const toPageEnd = 4096 - Number(at % 4096n);
      const buf = this.read(at, Math.min(toPageEnd, max - total));
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

  /** A struct timespec (unit 1e-9) or timeval (unit 1e-6): two int64, in ms. */
  duration(addr: bigint, perSecond: number): number | undefined {
    const b = this.read(addr, 16);
    if (!b) return undefined;
    const sec = b.readBigInt64LE(0);
    const frac = b.readBigInt64LE(8);
    if (sec < 0n || frac < 0n || frac >= BigInt(perSecond)) return undefined;
    return Number(sec) * 1000 + (Number(frac) * 1000) / perSecond;
  }
}

/** `postgres, pid 812` style list of holders, in parentheses. */
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

/** The first holder that is another process: who the chain follows. */
function otherHolder(holders: { pid: number; comm: string }[], selfPid: number, how: string): WaitsOn | undefined {
  const others = [...new Map(holders.filter((h) => h.pid !== selfPid).map((h) => [h.pid, h.comm]))];
  if (others.length === 0) return undefined;
  return { pid: others[0][0], comm: others[0][1], how, others: others.length - 1 || undefined };
}

// ---------------------------------------------------------------------------------------------
// Path arguments

/** Path arguments: [path index, dirfd index (the *at calls)]. */
const PATH_ARGS: Record<string, [number, number?]> = {
  open: [0], creat: [0], stat: [0], lstat: [0], access: [0], readlink: [0], chdir: [0], mkdir: [0], rmdir: [0],
  unlink: [0], rename: [0], link: [0], truncate: [0], chmod: [0], chown: [0], lchown: [0], mknod: [0], statfs: [0],
  getxattr: [0], lgetxattr: [0], setxattr: [0], listxattr: [0], execve: [0], utimes: [0], chroot: [0],
  openat: [1, 0], openat2: [1, 0], newfstatat: [1, 0], statx: [1, 0], faccessat: [1, 0], faccessat2: [1, 0],
  readlinkat: [1, 0], mkdirat: [1, 0], unlinkat: [1, 0], renameat: [1, 0], renameat2: [1, 0], fchmodat: [1, 0],
  fchownat: [1, 0], utimensat: [1, 0], mknodat: [1, 0], execveat: [1, 0], linkat: [1, 0], name_to_handle_at: [1, 0],
};

/** The absolute path a call's path argument names (relative ones through its cwd or dirfd links). */
export function callPath(pid: number, name: string, args: bigint[], mem: TargetMemory): string | undefined {
  const spec = PATH_ARGS[name];
  if (!spec) return undefined;
  const p = mem.cstring(args[spec[0]] ?? 0n);
  if (p === undefined || p === '') return undefined;
  if (p.startsWith('/')) return p;
  const dirfd = spec[1] === undefined ? AT_FDCWD : i32(args[spec[1]]);
  const base = readLinkSafe(dirfd === AT_FDCWD ? `/proc/${pid}/cwd` : `/proc/${pid}/fd/${dirfd}`);
  if (!base?.startsWith('/')) return undefined;
  return `${base.replace(/\/$/, '')}/${p.replace(/^\.\//, '')}`;
}

// ---------------------------------------------------------------------------------------------
// Futex: mutex owners, pthread_join, lock cycles

const FUTEX_CMD_MASK = ~(128 | 256);
const FUTEX_WAITING_OPS = new Set([0 /* WAIT */, 6 /* LOCK_PI */, 9 /* WAIT_BITSET */, 11 /* WAIT_REQUEUE_PI */, 13 /* LOCK_PI2 */]);

export interface FutexWait {
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
export function analyzeFutex(mem: TargetMemory, tid: number, args: bigint[], liveTids: Set<number>): FutexWait | undefined {
  const op = Number(args[1] ?? 0n) & FUTEX_CMD_MASK;
  if (!FUTEX_WAITING_OPS.has(op)) return undefined;
  const uaddr = args[0] ?? 0n;
  const w: FutexWait = { tid, uaddr, op };
  const buf = mem.read(uaddr, 12);
  if (op === 6 || op === 13) {
    const word = buf ? buf.readUInt32LE(0) & 0x3fffffff : 0;
    if (word && liveTids.has(word) && word !== tid) w.owner = word;
    return w;
  }
  const val = i32(args[2]);
  if (buf) {
    const word = buf.readInt32LE(0);
    if (val > 0 && val === word && liveTids.has(val) && val !== tid) {
      w.joins = val;
      return w;
    }
    const owner = buf.readInt32LE(8);
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
// Plain words

export interface WordsContext {
  pid: number;
  tid: number;
  state: string;
  name: string;
  args: bigint[];
  targets: CallTarget[];
  wchan: string | undefined;
  stack: string[] | undefined;
  futex: Map<number, FutexWait>;
  tidComm: Map<number, string>;
  mem: TargetMemory;
  ctx: InspectContext;
  /** The absolute path of the call's path argument, when it has one. */
  path: string | undefined;
  /** For restart_syscall: the call it resumes, when a tracer saw it (`clock_nanosleep`). */
  resumes?: string;
  /** Set by the words: who holds this thread up, a few words for a chain's end, the grouping key. */
  waitsOn?: WaitsOn;
  brief?: string;
  groupKey?: string;
}

function socketName(e: FdEntry): string {
  const s = e.socket!;
  if (s.proto !== 'UNIX') return s.remote;
  const peer = e.socketPeer?.socket;
  const path = s.path || (peer?.proto === 'UNIX' ? peer.path : '');
  if (path) return `unix socket ${path}`;
  return e.socketPeer?.socket || e.socketPeer?.holders.length ? 'a unix socketpair' : 'an unnamed unix socket';
}

function socketSource(e: FdEntry, c: WordsContext, how: string): string {
  const name = socketName(e);
  const holders = e.socketPeer?.holders ?? [];
  c.waitsOn = otherHolder(holders, c.pid, how);
  const who = holdersInParens(holders, c.pid);
  const note = !who && e.socketPeer?.note ? ` (${e.socketPeer.note})` : '';
  return `${name}${who}${note}`;
}

function describeRead(e: FdEntry | undefined, fd: number, c: WordsContext): string {
  if (!e) return `waiting to read from fd ${fd} (closed or unreadable)`;
  if (e.socket) {
    const s = e.socket;
    c.brief = `reading ${s.proto === 'UNIX' ? 'a unix socket' : s.proto}`;
    if (s.proto !== 'UNIX' && (s.state === 'UNCONN' || s.state === 'LISTEN')) return `waiting for a datagram on ${s.local}`;
    const how = s.proto === 'UNIX' ? `reads ${socketName(e).replace(/^an? /, '')} from` : `reads ${s.proto.replace('v6', '')} ${s.remote} from`;
    if (s.proto === 'UNIX' && s.type === 'DGRAM' && !s.path) return `waiting for a datagram on ${socketSource(e, c, how)}`;
    return `waiting for data from ${socketSource(e, c, how)}`;
  }
  if (e.pipe) {
    const writers = e.pipe.peers;
    const fifo = e.link.startsWith('/') ? `FIFO ${e.link}` : 'a pipe';
    c.brief = `reading ${fifo}`;
    c.waitsOn = otherHolder(writers, c.pid, `reads ${fifo.replace(/^a /, '')} written by`);
    if (!writers.length) return e.link.startsWith('/') ? `waiting for a writer to write to FIFO ${e.link} (none has it open now)` : 'reading a pipe with no writer left (end of file)';
    const own = writers.find((w) => w.pid === c.pid);
    const ownNote = own && writers.some((w) => w.pid !== c.pid) ? `; this process holds a write end too (fd ${own.fd}), so it will not see end of file while the others live` : own ? `; only this process holds a write end (fd ${own.fd}): it waits for itself and will never see end of file` : '';
    return `waiting for data from ${fifo} written by ${pidsWithComm(writers, c.pid)}${ownNote}`;
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
  if (e.link === '/dev/fuse') return 'waiting for a request from the kernel: an idle FUSE daemon';
  if (e.type === 'REG') return c.state === 'D' ? `waiting for the disk reading ${e.link}` : `reading ${e.link}`;
  return `waiting to read from ${e.target}`;
}

function describeWrite(e: FdEntry | undefined, fd: number, c: WordsContext): string {
  if (!e) return `waiting to write to fd ${fd} (closed or unreadable)`;
  if (e.pipe) {
    const readers = e.pipe.peers;
    const fifo = e.link.startsWith('/') ? `FIFO ${e.link}` : 'pipe';
    c.brief = `writing to a full ${fifo}`;
    c.waitsOn = otherHolder(readers, c.pid, `writes to a full ${fifo} read by`);
    return readers.length ? `blocked writing to a full ${fifo} read by ${pidsWithComm(readers, c.pid)}` : `writing to a ${fifo} with no reader left (EPIPE)`;
  }
  if (e.socket) {
    const s = e.socket;
    c.brief = `sending on ${s.proto === 'UNIX' ? 'a unix socket' : s.proto}`;
    const how = `sends to ${s.proto === 'UNIX' ? socketName(e).replace(/^an? /, '') : `${s.proto.replace('v6', '')} ${s.remote}`} read by`;
    if (s.proto !== 'UNIX') {
      const queued = s.txQueue ? `, ${s.txQueue} bytes queued` : '';
      return `blocked sending to ${socketSource(e, c, how)}: the send buffer is full, the peer is not reading${queued}`;
    }
    return `blocked sending on ${socketSource(e, c, how)}: the peer is not reading`;
  }
  if (e.type === 'FIFO') return `blocked writing to full FIFO ${e.link}`;
  if (e.type === 'CHR' && /^\/dev\/(pts\/|tty)/.test(e.link)) return `blocked writing to terminal ${e.link} (output paused with Ctrl-S, or nobody reads the terminal)`;
  if (e.type === 'REG') return c.state === 'D' ? `waiting for the disk writing to ${e.link}` : `writing to ${e.link}`;
  return `waiting to write to ${e.target}`;
}

function sleepWords(c: WordsContext): string {
  let ms: number | undefined;
  let how = '';
  if (c.name === 'nanosleep') ms = c.mem.duration(c.args[0] ?? 0n, 1e9);
  else {
    const clock = i32(c.args[0]);
    const flags = i32(c.args[1]);
    const t = c.mem.duration(c.args[2] ?? 0n, 1e9);
    if (t !== undefined && flags & 1 /* TIMER_ABSTIME */) {
      const now = clock === 0 ? Date.now() : Number(process.hrtime.bigint() / 1_000_000n);
      if (clock === 0 || clock === 1) {
        const left = t - now;
        if (left > 0) c.brief = `in ${c.name} until ${formatDuration(left)} from now`;
        return left > 0 ? `sleeping in ${c.name} until a set time, ${formatDuration(left)} from now` : `sleeping in ${c.name} until an absolute time`;
      }
      how = ' (absolute deadline)';
    }
    ms = t;
  }
  if (ms === undefined) return `sleeping in ${c.name} (duration unreadable${c.mem.allowed ? ': needs the same user or root' : ''})`;
  c.brief = `in a ${formatDuration(ms)} ${c.name}`;
  return `sleeping for ${formatDuration(ms)} in ${c.name}${how}`;
}

function childList(c: WordsContext): { pid: number; comm: string }[] {
  return c.ctx.procs.children(c.pid).map((pid) => ({ pid, comm: c.ctx.procs.comm(pid) ?? '?' }));
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
    else if (idtype === 3) {
      const pidfd = c.targets.find((t) => t.role === 'fd')?.entry;
      const p = pidfd?.pidfdPid;
      if (p !== undefined && p > 0) {
        const comm = readComm(p) ?? 'gone';
        c.waitsOn = { pid: p, comm, how: 'waits for' };
        return `waiting for pid ${p} (${comm}) to exit (waitid on pidfd ${id})`;
      }
      return `waiting for the process behind pidfd ${id} to exit`;
    }
  }
  if (target !== undefined) {
    const comm = readComm(target) ?? 'gone';
    c.waitsOn = { pid: target, comm, how: 'waits for child' };
    return `waiting for child ${target} (${comm}) to exit`;
  }
  const kids = childList(c).filter((k) => group === undefined || group === 0 || readProcStat(k.pid) !== undefined);
  if (kids.length >= 1) c.waitsOn = { pid: kids[0].pid, comm: kids[0].comm, how: 'waits for child', others: kids.length - 1 || undefined };
  const list = kids.length ? `: ${kids.slice(0, 4).map((k) => `${k.pid} (${k.comm})`).join(', ')}${kids.length > 4 ? `, ${kids.length - 4} more` : ''}` : ' (it has none left)';
  if (group !== undefined) return `waiting for any child in process group ${group || 'of its own'} to exit${list}`;
  return `waiting for any child to exit${list}`;
}

function futexWords(c: WordsContext): string {
  const op = Number(c.args[1] ?? 0n) & FUTEX_CMD_MASK;
  if (!FUTEX_WAITING_OPS.has(op)) return `in futex (operation ${op}): waking or requeueing waiters, not waiting`;
  const w = c.futex.get(c.tid);
  c.groupKey = `futex:${(c.args[0] ?? 0n).toString(16)}`;
  c.brief = 'in futex_wait';
  const name = (tid: number): string => `thread ${tid} (${c.tidComm.get(tid) ?? '?'})`;
  if (w?.joins !== undefined) {
    c.waitsOn = { pid: c.pid, tid: w.joins, comm: c.tidComm.get(w.joins) ?? '?', how: 'joins thread' };
    return `waiting for ${name(w.joins)} to exit (pthread_join)`;
  }
  if (!c.mem.allowed) return 'waiting on a futex: a lock or condition variable in user space (its memory was not read)';
  const base = 'waiting on a futex: a lock or condition variable in user space';
  if (w?.owner !== undefined) {
    c.waitsOn = { pid: c.pid, tid: w.owner, comm: c.tidComm.get(w.owner) ?? '?', how: 'waits for a mutex held by thread' };
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
  const path = c.path ?? c.mem.cstring((c.name === 'open' ? c.args[0] : c.args[1]) ?? 0n);
  let flags: number;
  if (c.name === 'openat2') {
    const how = c.mem.read(c.args[2] ?? 0n, 8);
    flags = how ? Number(how.readBigUInt64LE(0) & 0xffffffffn) : 0;
  } else flags = i32(c.name === 'open' ? c.args[1] : c.args[2]);
  if (path === undefined) return `opening a file (path unreadable)${c.state === 'D' ? ', waiting for the file system' : ''}`;
  // Opening a FIFO waits in fifo_open until the other end is opened: the kernel says so, no stat needed.
  if (c.wchan === 'wait_for_partner' || c.stack?.some((f) => f.startsWith('fifo_open'))) {
    c.brief = 'opening a FIFO';
    return (flags & 3) === 0 ? `waiting for a writer to open FIFO ${path}` : `waiting for a reader to open FIFO ${path}`;
  }
  return c.state === 'D' ? `waiting for the file system opening ${path}` : `opening ${path}`;
}

const F_SETLKW = 7;
const F_OFD_SETLKW = 38;

/** The byte range of fcntl's struct flock {short type, whence; off_t start, len; pid_t pid}. */
function fcntlRange(c: WordsContext, e: FdEntry): { start: bigint; end: bigint | undefined } | undefined {
  const b = c.mem.read(c.args[2] ?? 0n, 24);
  if (!b) return undefined;
  const whence = b.readInt16LE(2);
  let start = b.readBigInt64LE(8);
  const len = b.readBigInt64LE(16);
  if (whence === 1 /* SEEK_CUR */ && e.pos !== undefined) start += BigInt(e.pos);
  else if (whence !== 0) return undefined; // SEEK_END needs the file's size: not asked for
  if (len === 0n) return { start, end: undefined };
  return len > 0n ? { start, end: start + len - 1n } : { start: start + len, end: start - 1n };
}

/** Who holds the lock a thread waits for, through the open file description where the lock lives. */
function lockWords(c: WordsContext, kind: LockRequest['kind'], what: string): string {
  const t0 = c.targets.find((t) => t.role === 'fd');
  const e = t0?.entry;
  const path = e?.link ?? `fd ${t0?.fd ?? '?'}`;
  c.brief = `waiting for ${kind === 'FLOCK' ? 'a flock' : 'a record lock'} on ${path}`;
  const ino = e?.info?.ino;
  const m = e?.mount;
  if (!e || ino === undefined || !m) return `waiting for ${what} on ${path}`;
  const req: LockRequest = { pid: c.pid, kind, major: m.major, minor: m.minor, ino };
  if (kind !== 'FLOCK') Object.assign(req, fcntlRange(c, e) ?? {});
  // /proc/locks leaves out locks whose taker is not visible from our PID namespace (or exited,
  // seen from inside one): then the descriptors' own lock lines say who holds a conflicting one.
  const blocker = findBlocker(c.ctx.fileLocks(), req) ?? conflictingLock(c, req, e);
  if (!blocker) return `waiting for ${what} on ${path} (no process we can see holds a lock on it)`;
  const range = kind === 'FLOCK' ? '' : ` on ${lockRange(blocker)} of`;
  const holders = lockHolders(c, blocker, e);
  const shortKind = kind === 'FLOCK' ? 'flock' : kind === 'OFDLCK' ? 'OFD lock' : 'record lock';
  const self = holders.find((h) => h.pid === c.pid);
  if (self) {
    c.waitsOn = { pid: c.pid, tid: c.tid, comm: self.comm, how: `waits for ${shortKind}${range || ' on'} ${path} held through its own fd ${self.fd} by` };
    return `deadlock: waiting for ${what}${range || ' on'} ${path} that this process holds itself through fd ${self.fd} (another open of the same file)`;
  }
  if (holders.length) {
    const h = holders[0];
    c.waitsOn = { pid: h.pid, comm: h.comm, how: `waits for ${shortKind}${range || ' on'} ${path} held by`, others: new Set(holders.map((x) => x.pid)).size - 1 || undefined };
    const gone = readProcStat(blocker.pid) === undefined;
    const taker = blocker.pid > 0 && !holders.some((x) => x.pid === blocker.pid) ? `; /proc/locks names pid ${blocker.pid}, which took it${gone ? ' and has exited' : ''}: the lock lives on in the descriptor pid ${h.pid} shares` : '';
    return `waiting for ${what}${range || ' on'} ${path} held by ${pidsWithComm(holders, c.pid)}${taker}`;
  }
  if (blocker.pid > 0) {
    const comm = readComm(blocker.pid);
    if (comm !== undefined) c.waitsOn = { pid: blocker.pid, comm, how: `waits for ${shortKind}${range || ' on'} ${path} held by` };
    return `waiting for ${what}${range || ' on'} ${path} held by pid ${blocker.pid} (${comm ?? 'exited, and no process we can see still has it open'})`;
  }
  return `waiting for ${what}${range || ' on'} ${path} (held through a descriptor no process we can see has open)`;
}

/** The processes (and fds) holding `lock`: POSIX locks by their owner, others by open file description. */
/** The locks held through each other descriptor of the same file: [holder, its fdinfo locks]. */
function fileLockHolders(c: WordsContext, e: FdEntry, ino: bigint): { pid: number; comm: string; fd: number; locks: FileLock[] }[] {
  const out: { pid: number; comm: string; fd: number; locks: FileLock[] }[] = [];
  for (const h of c.ctx.owners.holders(e.link)) {
    if (h.pid === c.pid && h.fd === e.fd) continue;
    const info = readFdInfo(h.pid, h.fd);
    if (!info || info.ino !== ino) continue;
    out.push({ ...h, locks: info.locks.map(parseLockLine).filter((l): l is FileLock => l !== undefined) });
  }
  return out;
}

/** A lock held on the file that conflicts with the request, found through the holders' fdinfo. */
function conflictingLock(c: WordsContext, req: LockRequest, e: FdEntry): FileLock | undefined {
  for (const h of fileLockHolders(c, e, req.ino)) {
    for (const l of h.locks) {
      if ((req.kind === 'FLOCK') !== (l.kind === 'FLOCK')) continue; // flock and record locks do not meet
      if (req.start !== undefined && !((l.end === undefined || l.end >= req.start) && (req.end === undefined || req.end >= l.start))) continue;
      return l;
    }
  }
  return undefined;
}

/** The processes (and fds) holding `lock`: by the lock lines of their descriptors (the open file description). */
function lockHolders(c: WordsContext, lock: FileLock, e: FdEntry): { pid: number; comm: string; fd: number }[] {
  return fileLockHolders(c, e, lock.ino)
    .filter((h) => h.locks.some((l) => sameLock(l, lock)) || (lock.kind === 'POSIX' && h.pid === lock.pid))
    .map(({ pid, comm, fd }) => ({ pid, comm, fd }));
}

/** The signal set at addr (8 bytes), as names. */
function signalSet(c: WordsContext, addr: bigint): string[] | undefined {
  const b = c.mem.read(addr, 8);
  if (!b) return undefined;
  const mask = b.readBigUInt64LE(0);
  const out: string[] = [];
  for (let i = 0; i < 64; i++) if ((mask >> BigInt(i)) & 1n) out.push(signalName(i + 1));
  return out;
}

function orList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  if (names.length > 6) return `${names.slice(0, 5).join(', ')} or ${names.length - 5} other signals`;
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function signalWords(c: WordsContext): string {
  c.brief = `in ${c.name}`;
  if (c.name === 'pause') return 'waiting for any signal (pause)';
  if (c.name === 'rt_sigsuspend') {
    const blocked = signalSet(c, c.args[0] ?? 0n);
    return blocked ? `waiting for a signal (sigsuspend; ${blocked.length ? `${blocked.length} blocked meanwhile: ${orList(blocked).replace(' or ', ', ')}` : 'none blocked'})` : 'waiting for a signal (sigsuspend)';
  }
  // rt_sigtimedwait(set, info, timeout, size): sigwaitinfo when the timeout is NULL.
  const set = signalSet(c, c.args[0] ?? 0n);
  const timeoutAddr = c.args[2] ?? 0n;
  const timeout = timeoutAddr === 0n ? undefined : c.mem.duration(timeoutAddr, 1e9);
  const call = timeoutAddr === 0n ? 'sigwaitinfo' : `sigtimedwait, timeout ${timeout === undefined ? 'unreadable' : formatDuration(timeout)}`;
  if (!set) return `waiting for a signal (${call}; which ones could not be read)`;
  c.brief = `waiting for ${orList(set)}`;
  return `waiting for ${orList(set)} (${call})`;
}

/** `, timeout 30 s` / `, no timeout` for poll-like calls. */
function pollTimeout(c: WordsContext): string {
  let ms: number | undefined;
  let none = false;
  switch (c.name) {
    case 'poll': {
      const t = i32(c.args[2]);
      if (t < 0) none = true;
      else ms = t;
      break;
    }
    case 'ppoll':
    case 'pselect6':
    case 'select': {
      const addr = c.args[c.name === 'ppoll' ? 2 : 4] ?? 0n;
      if (addr === 0n) none = true;
      else ms = c.mem.duration(addr, c.name === 'select' ? 1e6 : 1e9);
      break;
    }
    case 'epoll_wait':
    case 'epoll_pwait': {
      const t = i32(c.args[3]);
      if (t < 0) none = true;
      else ms = t;
      break;
    }
    case 'epoll_pwait2': {
      const addr = c.args[4] ?? 0n;
      if (addr === 0n) none = true;
      else ms = c.mem.duration(addr, 1e9);
      break;
    }
  }
  if (none) return ', no timeout';
  return ms === undefined ? '' : `, timeout ${formatDuration(ms)}`;
}

export function plainWords(c: WordsContext): string {
  const t0 = c.targets.find((t) => t.role === 'fd');
  const e = t0?.entry;
  const fd = t0?.fd ?? -1;
  const path = e ? (e.type === 'REG' || e.type === 'DIR' ? e.link : e.target) : `fd ${fd}`;
  if (e) c.groupKey = `${c.name}:${e.link}`;
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
      c.brief = `idle in ${c.name}`;
      return `event loop idle in ${c.name} on ${n ?? 'an unknown number of'} descriptor${n === 1 ? '' : 's'}${pollTimeout(c)}`;
    }
    case 'poll': case 'ppoll': case 'select': case 'pselect6': {
      const watched = c.targets.filter((t) => t.role === 'watched');
      const n = watched.length;
      c.brief = `idle in ${c.name}`;
      c.groupKey = `${c.name}:${watched.map((t) => t.entry?.link ?? t.fd).join(',')}`;
      const fuse = watched.find((t) => t.entry?.link === '/dev/fuse');
      const what = fuse ? ` (fd ${fuse.fd} is /dev/fuse: a FUSE daemon waiting for requests)` : '';
      if (fuse) c.brief = `idle in ${c.name} on /dev/fuse`;
      return `event loop idle in ${c.name} on ${n} descriptor${n === 1 ? '' : 's'}${pollTimeout(c)}${what}`;
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
      return lockWords(c, 'FLOCK', 'a file lock (flock)');
    case 'fcntl': {
      const cmd = i32(c.args[1]);
      if (cmd === F_SETLKW) return lockWords(c, 'POSIX', 'a record lock (fcntl F_SETLKW)');
      if (cmd === F_OFD_SETLKW) return lockWords(c, 'OFDLCK', 'an OFD lock (fcntl F_OFD_SETLKW)');
      return `in fcntl on ${path}`;
    }
    case 'pause': case 'rt_sigsuspend': case 'rt_sigtimedwait':
      return signalWords(c);
    case 'restart_syscall': {
      // The tracer saw which call it resumes; /proc only shows restart_syscall.
      const of = c.resumes ? ` in ${c.resumes}` : '';
      c.brief = `in ${c.resumes ?? 'restart_syscall'}`;
      return `sleeping${of}, resumed after a stop or signal (restart_syscall)`;
    }
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
      const on = c.path ?? (t0 ? path : undefined);
      return `in ${c.name}${on ? ` on ${on}` : ''}${where}`;
    }
  }
}

export function stateWords(state: string, wchan: string | undefined): string | undefined {
  switch (state) {
    case 'Z': return 'zombie: exited, waiting for its parent to reap it';
    case 'X': return 'dead: being removed';
    case 'T': return 'stopped by a signal (SIGSTOP or SIGTSTP): send SIGCONT to resume it';
    case 't': return 'stopped by its tracer (a debugger or strace holds it)';
    case 'D': return `in uninterruptible sleep${wchan ? ` in ${wchan}` : ''}: usually waiting for a disk, NFS or a kernel lock`;
    default: return undefined;
  }
}

/** What a kernel thread is doing, from its name and where it sleeps. */
export function kernelThreadWords(comm: string, state: string, wchan: string | undefined): string {
  const at = wchan ? ` in ${wchan}` : '';
  if (state === 'R') return 'kernel thread, running';
  if (state === 'D') return `kernel thread in uninterruptible sleep${at}`;
  if (comm === 'kthreadd') return `kernel thread: kthreadd, idle${at} until asked to start a kernel thread`;
  if (/^kworker\//.test(comm)) return `kernel thread: a workqueue worker, idle${at} until work is queued`;
  if (/^ksoftirqd\//.test(comm)) return `kernel thread: softirq handler, idle${at}`;
  return `kernel thread, sleeping${at}`;
}

const CLONE_VFORK = 0x4000n;

/** vfork(), or clone()/clone3() asked to suspend the parent until the child execs or exits. */
export function isVfork(name: string, args: bigint[], mem: TargetMemory): boolean {
  if (name === 'vfork') return true;
  if (name === 'clone') return ((args[0] ?? 0n) & CLONE_VFORK) !== 0n;
  if (name === 'clone3') {
    const b = mem.read(args[0] ?? 0n, 8); // struct clone_args starts with u64 flags
    return !!b && (b.readBigUInt64LE(0) & CLONE_VFORK) !== 0n;
  }
  return false;
}
