// The hung-process inspector: for every thread of a process, the system call it sits in (from
// /proc/PID/task/TID/syscall), the descriptors that call is about, how long it has been there,
// wchan and the kernel stack, one line in plain words saying what it waits for, and the process
// that holds it up (followed hop by hop into the waits-on chain). Works from /proc alone (no
// ptrace), so it helps exactly when attaching is refused.
//
// It never hangs: nothing here stats, opens or reads a file of the target's file systems from our
// own process (see fds.ts and probe.ts), and the target's memory is read only when none of its
// threads could be holding the address-space lock (process-index.ts).

import { syscallName } from '../native.js';
import { renderText } from '../record-text.js';
import type { ThreadState, Tracer } from '../types.js';
import { buildChains, type WaitChain } from './chain.js';
import { groupThreads } from './thread-groups.js';
import { InspectContext } from './context.js';
import { diagnoseAttach, type AttachDiagnostics } from './diagnose.js';
import { checkPendingFds, describeFd, readOpenFiles, type FdEntry } from './fds.js';
import { explainKernelWait, type WaitsOn } from './kernel-waits.js';
import { readFdInfo } from './mounts.js';
import { describePlace } from './namespaces.js';
import {
  PF_KTHREAD,
  clockTicksPerSecond,
  listTasks,
  readCmdline,
  readComm,
  readProcStat,
  readSched,
  readStatus,
  readTaskStack,
  readTaskStat,
  readTaskStatus,
  readTaskSyscall,
  readTaskWchan,
  uptimeSeconds,
  type TaskStat,
  type TaskSyscall,
} from './task.js';
import {
  TargetMemory,
  analyzeFutex,
  callPath,
  i32,
  i64,
  isVfork,
  kernelThreadWords,
  plainWords,
  stateWords,
  waitStatusText,
  type FutexWait,
  type WordsContext,
} from './words.js';

export { formatDuration, signalName, waitStatusText } from './words.js';
export type { WaitsOn } from './kernel-waits.js';
export type { WaitChain, ChainHop } from './chain.js';

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
  /** `syscall` when blocked in one; `running` when on a CPU; `user` when stopped outside any call; `kernel` for a kernel thread. */
  where: TaskSyscall['kind'] | 'kernel';
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
  /** A few words for the end of a chain: `in a 1 h nanosleep` (the length it asked for), `running`, `in poll on /dev/fuse`. */
  brief: string;
  /** The process (or thread) that holds this one up, when it is local and known. */
  waitsOn?: WaitsOn;
  /** Threads with the same key wait on the same thing (collapsed into one line when many). */
  groupKey: string;
  overThreshold: boolean;
}

export interface ZombieChild {
  pid: number;
  comm: string;
  /** `exited with code 3`, `killed by SIGKILL`. */
  status: string;
}

export interface InspectReport {
  pid: number;
  exists: boolean;
  /** One line when the process could not be inspected (gone, not readable). */
  reason?: string;
  comm: string;
  cmdline: string[];
  /** Why the command line (and other memory) was not read, when it was not. */
  memoryNote?: string;
  /** Its systemd unit or container and the namespaces it does not share with us, in words
   *  (`docker:3f2a1b4c5d6e; pid 1 in its pid namespace, its own mount namespace`); absent when none. */
  place?: string;
  /** When the report was taken: wall-clock ms. */
  takenAtMs: number;
  thresholdMs: number;
  /** A kernel thread: no system calls, no files, nothing to trace. */
  kernelThread: boolean;
  /** The process is a zombie: how it ended and who should reap it. */
  zombie?: { status: string; parentPid: number; parentComm: string };
  /** Children that exited and that this process has not reaped (wait()ed for). */
  zombieChildren: ZombieChild[];
  /** Over-threshold threads first (longest first), then the rest by tid. */
  threads: ThreadReport[];
  /** The waits-on chains from this process's threads, longest wait first. */
  chains: WaitChain[];
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
  /** Do not follow the waits-on chain into other processes. */
  skipChains?: boolean;
  /** The whole inspection's time budget (chain hops and file system checks stop when it is spent). */
  budgetMs?: number;
  /** Shared state of an inspection already under way (the chain uses it). */
  context?: InspectContext;
}

export const DEFAULT_THRESHOLD_MS = 1000;
export const DEFAULT_BUDGET_MS = 2000;

// ---------------------------------------------------------------------------------------------
// Which arguments are descriptors and paths

/** Argument positions that are file descriptors, by syscall name. */
const FD_ARGS: Record<string, [number, CallTarget['role']][]> = {};
for (const n of [
  'read', 'write', 'pread64', 'pwrite64', 'readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2',
  'recvfrom', 'recvmsg', 'recvmmsg', 'sendto', 'sendmsg', 'sendmmsg', 'accept', 'accept4', 'connect',
  'shutdown', 'bind', 'listen', 'getsockopt', 'setsockopt', 'fsync', 'fdatasync', 'syncfs', 'sync_file_range',
  'ftruncate', 'fallocate', 'flock', 'fcntl', 'ioctl', 'lseek', 'getdents64', 'fstat', 'close',
  'epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'epoll_ctl', 'io_uring_enter', 'mq_timedreceive', 'mq_timedsend',
  'fstatfs', 'fchmod', 'fchown', 'fgetxattr', 'fsetxattr', 'fadvise64', 'readahead', 'fchdir',
]) FD_ARGS[n] = [[0, 'fd']];
FD_ARGS.splice = [[0, 'in'], [2, 'out']];
FD_ARGS.tee = [[0, 'in'], [1, 'out']];
FD_ARGS.sendfile = [[0, 'out'], [1, 'in']];
FD_ARGS.copy_file_range = [[0, 'in'], [2, 'out']];
FD_ARGS.waitid = [[1, 'fd']]; // only for P_PIDFD: see resolveTargets

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
  vfork: 0, fork: 0, clone: 5, clone3: 2, stat: 2, lstat: 2, newfstatat: 4, statx: 5, access: 2, faccessat: 3,
  faccessat2: 4, execve: 3, mkdir: 2, unlink: 1, unlinkat: 3, rename: 2, renameat2: 5, chdir: 1, fchdir: 1,
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
// The inspection

/** Resolve the descriptors a call is about (its fd arguments; for poll/epoll the watched set). */
function resolveTargets(pid: number, name: string, args: bigint[], ctx: InspectContext, mem: TargetMemory, cache: Map<number, FdEntry | undefined>): CallTarget[] {
  const get = (fd: number): FdEntry | undefined => {
    if (!cache.has(fd)) cache.set(fd, fd >= 0 ? describeFd(pid, fd, ctx) : undefined);
    return cache.get(fd);
  };
  const mk = (fd: number, role: CallTarget['role']): CallTarget => {
    const entry = get(fd);
    return { fd, role, entry, text: entry ? entry.target : `fd ${fd} (closed)` };
  };
  const out: CallTarget[] = [];
  const fdArgs = name === 'waitid' && i32(args[0]) !== 3 /* P_PIDFD */ ? [] : (FD_ARGS[name] ?? []);
  for (const [i, role] of fdArgs) out.push(mk(i32(args[i]), role));
  const MAX_WATCHED = 16;
  if (name.startsWith('epoll_') && name !== 'epoll_ctl') {
    const tfds = out[0]?.entry?.epollTargets ?? readFdInfo(pid, i32(args[0]))?.tfds ?? [];
    for (const fd of tfds.slice(0, MAX_WATCHED)) out.push(mk(fd, 'watched'));
  } else if (name === 'poll' || name === 'ppoll') {
    const nfds = Math.min(Number(args[1] ?? 0n), 1024);
    const buf = mem.read(args[0] ?? 0n, nfds * 8);
    if (buf) for (let i = 0; i < nfds && out.length < MAX_WATCHED; i++) {
      const fd = buf.readInt32LE(i * 8);
      if (fd >= 0) out.push(mk(fd, 'watched'));
    }
  } else if (name === 'select' || name === 'pselect6') {
    const nfds = Math.min(i32(args[0]), 1024);
    const bytes = Math.ceil(nfds / 64) * 8;
    const seen = new Set<number>();
    for (const setArg of [args[1], args[2], args[3]]) {
      const buf = mem.read(setArg ?? 0n, bytes);
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
  stat: TaskStat;
  sc: TaskSyscall;
  nr: number;
  name: string;
  args: bigint[];
  switches: string;
  execStartMs: number | undefined;
}

/** What the tracer knows of a thread's wait: when it began and whether that is exact (nr -1: any call). */
export function tracedWait(t: ThreadState | undefined, nr: number): { nr: number; sinceNs: number; exact: boolean; beganByMs?: number } | undefined {
  if (!t) return undefined;
  const waitNr = t.waitNr ?? (t.inSyscall ? t.nr : -1);
  const sinceNs = t.waitSinceNs ?? t.entryNs;
  if (waitNr < 0 || !(sinceNs > 0)) return undefined;
  // /proc shows restart_syscall (219) for a sleep the tracer knows by its first name.
  if (nr >= 0 && nr !== waitNr && nr !== 219 && waitNr !== 219) return undefined;
  return { nr: waitNr, sinceNs, exact: !(t.waitLowerBound ?? t.entryRestarted ?? false), beganByMs: t.waitBeganByMs };
}

/**
 * How long (ms) a traced wait has lasted at `monoNowNs`: since the entry the engine saw, or, for a
 * wait begun before the attach, at least as long as /proc dated it then (wall-clock ms), whichever
 * is longer. The pane titles and the meters say the same.
 */
export function waitedMs(w: { sinceNs: number; beganByMs?: number }, monoNowNs: number): number {
  return Math.max(0, (monoNowNs - w.sinceNs) / 1e6, w.beganByMs !== undefined ? Date.now() - w.beganByMs : 0);
}

/** What inspectThreads gives: the report without chains, files and diagnostics. */
export type ThreadsReport = Omit<InspectReport, 'chains' | 'openFiles' | 'diagnostics'> & {
  /** /proc refused us the threads' system calls (the attach diagnostics tell why). */
  syscallsDenied?: boolean;
};

/** Threads of one process, read and explained. The chain inspects further processes with it. */
export async function inspectThreads(pid: number, ctx: InspectContext, opts: InspectOptions = {}): Promise<ThreadsReport> {
  const thresholdMs = opts.thresholdMs ?? DEFAULT_THRESHOLD_MS;
  const takenAtMs = Date.now();
  const nowMonoNs = process.hrtime.bigint();
  const tids = listTasks(pid);
  const procStat = readProcStat(pid);
  const comm = readComm(pid) ?? procStat?.comm ?? '';
  const empty = { pid, comm, cmdline: [] as string[], takenAtMs, thresholdMs, kernelThread: false, zombieChildren: [], threads: [] as ThreadReport[] };
  if (!tids || !procStat) return { ...empty, exists: false, reason: `pid ${pid} does not exist` };
  const kernelThread = (procStat.flags & PF_KTHREAD) !== 0;
  const fdCache = new Map<number, FdEntry | undefined>();
  const uptime = uptimeSeconds();
  const hz = clockTicksPerSecond();

  // Pass 1: raw facts per thread; every thread's exec_start also dates its CPU's clock.
  const raws: RawThread[] = [];
  for (const tid of tids) {
    const stat = readTaskStat(pid, tid);
    if (!stat) continue;
    const sc: TaskSyscall = kernelThread ? { kind: 'unavailable', reason: 'a kernel thread' } : readTaskSyscall(pid, tid);
    const sched = readSched(`/proc/${pid}/task/${tid}/sched`);
    const execStartMs = sched?.execStartMs;
    let switches = sched?.switches;
    if (switches === undefined) {
      const status = readTaskStatus(pid, tid);
      switches = `${status?.raw.get('voluntary_ctxt_switches') ?? '?'}/${status?.raw.get('nonvoluntary_ctxt_switches') ?? '?'}`;
    }
    // A sleeping thread stays on its CPU: its exec_start is a past value of that CPU's clock.
    if (stat.state !== 'R') ctx.clock.note(stat.processor, execStartMs);
    raws.push({
      tid,
      comm: stat.comm,
      stat,
      sc,
      nr: sc.kind === 'syscall' ? sc.nr : -1,
      name: sc.kind === 'syscall' ? syscallName(sc.nr) : '',
      args: sc.kind === 'syscall' ? sc.args : [],
      switches,
      execStartMs,
    });
  }
  const memoryRisk = kernelThread ? undefined : ctx.procs.memoryRisk(pid, raws.map((r) => ({ tid: r.tid, state: r.stat.state, sc: r.sc })));
  const mem = new TargetMemory(pid, !kernelThread && memoryRisk === undefined);
  const cmdline = mem.allowed ? (readCmdline(pid) ?? []) : [];
  const liveTids = new Set(raws.map((r) => r.tid));
  const tidComm = new Map(raws.map((r) => [r.tid, r.comm]));
  const futex = new Map<number, FutexWait>();
  for (const r of raws) {
    if (r.name === 'futex') {
      const w = analyzeFutex(mem, r.tid, r.args, liveTids);
      if (w) futex.set(r.tid, w);
    }
  }
  const traced = new Map((opts.tracer ? safeThreads(opts.tracer) : []).filter((t) => t.pid === pid || liveTids.has(t.tid)).map((t) => [t.tid, t]));
  const prevByTid = new Map((opts.previous?.pid === pid ? opts.previous.threads : []).map((t) => [t.tid, t]));

  // Pass 2: the call each thread sits in and its descriptors (checks on remote mounts run together).
  const calls = raws.map((r) => {
    const ts = traced.get(r.tid);
    const tw = tracedWait(ts, r.nr);
    let { nr, name } = r;
    // Stopped by the tracer mid-call (or between an interrupted call and its restart): /proc may
    // no longer show the call; the engine knows it.
    if (nr < 0 && tw) {
      nr = tw.nr;
      name = syscallName(nr);
    }
    const targets = !kernelThread && nr >= 0 && r.args.length ? resolveTargets(pid, name, r.args, ctx, mem, fdCache) : [];
    return { r, ts, tw, nr, name, targets };
  });
  const pending = [...fdCache.values()].filter((e): e is FdEntry => e?.probe === 'pending');
  if (pending.length) {
    await checkPendingFds(pid, pending, ctx);
    for (const c of calls) for (const t of c.targets) if (t.entry) t.text = t.entry.target;
  }

  const threads: ThreadReport[] = [];
  let deniedSyscall = false;
  for (const { r, ts, tw, nr, name, targets } of calls) {
    try {
      if (r.sc.kind === 'unavailable' && /permission/.test(r.sc.reason)) deniedSyscall = true;
      const { args } = r;
      const state = r.stat.state;
      const fdEntries = new Map(targets.map((t) => [t.fd, t.entry]));
      const wchanR = readTaskWchan(pid, r.tid, state);
      const wchan = 'wchan' in wchanR ? wchanR.wchan : undefined;
      // The stack is read now when the reading depends on it; the others' after grouping, for
      // the threads shown (a pool of a thousand idle threads shows one stack).
      const inKernelWait = kernelWaitSuspected(state, wchan);
      const stackR = inKernelWait ? readTaskStack(pid, r.tid) : undefined;
      const stack = stackR && 'frames' in stackR ? stackR.frames : undefined;

      let callText = '';
      if (nr >= 0 && args.length) {
        callText = (mem.allowed ? safeFormat(opts.formatCall, pid, r.tid, nr, args) : undefined) ?? defaultCallText(name, args, fdEntries);
      } else if (nr >= 0 && tw) callText = `${ts?.entryText || `${name}(`}<unfinished ...>`;
      else if (r.sc.kind === 'unavailable' && !kernelThread) callText = `? (${r.sc.reason})`;

      // How long: exact from the tracer, else a lower bound from observation and the scheduler.
      const running = r.sc.kind === 'running' || (state === 'R' && nr < 0);
      const waitKey = running ? 'running' : `${state}:${nr}:${args.map((a) => a.toString(16)).join(',')}:${r.switches}`;
      let blockedForMs: number | undefined;
      let exact = false;
      let sinceMs: number | undefined;
      if (!running && state !== 'Z' && state !== 'X') {
        // Seen here now; and not run since exec_start, dated on its own CPU's clock (a true bound).
        sinceMs = takenAtMs;
        const asleep = state === 'R' ? 0 : ctx.clock.asleepAtLeastMs(r.stat.processor, r.execStartMs);
        if (asleep > 0) sinceMs = takenAtMs - asleep;
        if (tw) {
          const tracedMs = Math.max(0, Number(nowMonoNs - BigInt(Math.round(tw.sinceNs))) / 1e6);
          if (tw.exact) {
            sinceMs = takenAtMs - tracedMs;
            exact = true;
          } else sinceMs = Math.min(sinceMs, takenAtMs - tracedMs, tw.beganByMs ?? Infinity);
        }
        // Never before the thread began (its start and uptime are known to 1 tick: take the earliest).
        if (uptime !== undefined) sinceMs = Math.max(sinceMs, takenAtMs - (uptime + 1 / hz - r.stat.startTicks / hz) * 1000);
        // The same wait as in the previous report: what we saw then still holds.
        const prev = prevByTid.get(r.tid);
        if (!exact && prev && prev.waitKey === waitKey && prev.sinceMs !== undefined) sinceMs = Math.min(sinceMs, prev.sinceMs);
        blockedForMs = Math.max(0, takenAtMs - sinceMs);
      }

      const resumed = /resuming interrupted (\w+) \.\.\./.exec(ts?.entryText ?? '')?.[1];
      const resumes = resumed === 'restart_syscall' ? undefined : resumed;
      const c: WordsContext = { pid, tid: r.tid, state, name, args, targets, wchan, stack, futex, tidComm, mem, ctx, path: undefined, resumes };
      let words: string;
      const sw = stateWords(state, wchan);
      if (kernelThread) {
        words = kernelThreadWords(r.comm, state, wchan);
        c.brief = state === 'R' ? 'running' : `kernel thread${wchan ? ` in ${wchan}` : ''}`;
        c.groupKey = `kthread:${wchan ?? state}`;
      } else if (state === 'Z' || state === 'X') {
        words = zombieWords(pid, r.tid, procStat, raws.length, ctx, c);
      } else if (running) {
        words = 'running on CPU, not blocked in a system call';
        c.brief = 'running';
        c.groupKey = 'running';
      } else if (nr >= 0) {
        if (mem.allowed && args.length) c.path = callPath(pid, name, args, mem);
        const t0 = targets.find((t) => t.role === 'fd')?.entry;
        const file = t0 && t0.link.startsWith('/') ? { link: t0.link, mount: t0.mount } : undefined;
        const kw = inKernelWait ? explainKernelWait({ pid, state, wchan, stack, name, path: c.path, file, mounts: ctx.mountTable(pid), vfork: isVfork(name, args, mem) }, ctx) : undefined;
        words = plainWords(c);
        if (kw) {
          words = kw.words;
          c.waitsOn = kw.waitsOn ?? c.waitsOn;
          c.brief = `${state === 'D' ? 'in D state in ' : 'in '}${name}`;
        } else if (state === 'D' && !/disk|file system/.test(words)) words = `${words} (uninterruptible sleep${wchan ? ` in ${wchan}` : ''})`;
        if (state === 'T' || state === 't') words = `${sw}; inside ${name}: ${words}`;
        if (!mem.allowed && !kernelThread && memoryRisk) words += ' (arguments in its memory not read: reading them could hang)';
      } else if (r.sc.kind === 'unavailable') words = sw ?? `cannot see the system call: ${r.sc.reason}`;
      else words = sw ?? `not in a system call (state ${state})${wchan ? `, sleeping in ${wchan}` : ''}`;

      threads.push({
        tid: r.tid,
        comm: r.comm,
        state,
        where: kernelThread ? 'kernel' : nr >= 0 ? 'syscall' : r.sc.kind,
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
        stack,
        stackReason: stackR && 'reason' in stackR ? stackR.reason : undefined,
        plainWords: words,
        brief: c.brief ?? (name ? `in ${name}` : stateBrief(state)),
        waitsOn: c.waitsOn,
        groupKey: `${state}|${c.groupKey ?? `${name}|${words}`}`,
        overThreshold: blockedForMs !== undefined && blockedForMs >= thresholdMs,
      });
    } catch (err) {
      // A thread that raced us into oblivion (or an unexpected /proc format) must not sink the report.
      threads.push(vanishedThread(r, err));
    }
  }
  threads.sort((a, b) => {
    if (a.overThreshold !== b.overThreshold) return a.overThreshold ? -1 : 1;
    if (a.overThreshold && b.overThreshold && a.blockedForMs !== b.blockedForMs) return (b.blockedForMs ?? 0) - (a.blockedForMs ?? 0);
    return a.tid - b.tid;
  });
  for (const g of groupThreads(threads)) {
    g.threads.forEach((t, i) => {
      if (t.stack !== undefined || t.stackReason !== undefined) return;
      if (i === 0) {
        const st = readTaskStack(pid, t.tid);
        if ('frames' in st) t.stack = st.frames;
        else t.stackReason = st.reason;
      } else t.stackReason = `not read: one of ${g.threads.length} threads waiting alike; thread ${g.threads[0].tid}'s is shown`;
    });
  }

  const report: ThreadsReport = {
    pid,
    exists: true,
    comm,
    cmdline,
    memoryNote: memoryRisk,
    place: kernelThread ? undefined : describePlace(pid),
    takenAtMs,
    thresholdMs,
    kernelThread,
    zombieChildren: kernelThread ? [] : zombieChildren(pid, ctx),
    threads,
  };
  if (procStat.state === 'Z') {
    report.zombie = { status: zombieStatus(pid, procStat), parentPid: procStat.ppid, parentComm: ctx.procs.comm(procStat.ppid) ?? '?' };
  }
  if (threads.length === 0) report.reason = `pid ${pid} has no threads left (it exited while we looked)`;
  if (deniedSyscall) report.syscallsDenied = true;
  return report;
}

/** Waits whose reading comes from the kernel stack: D state, and sleeps in file system or vfork code. */
const KERNEL_WAIT_WCHAN = /fuse|request_wait_answer|rpc_|nfs|cifs|smb|p9_|wait_for_response|vfork|kernel_clone|wait_for_partner|fifo_open/;

function kernelWaitSuspected(state: string, wchan: string | undefined): boolean {
  return state === 'D' || (wchan !== undefined && KERNEL_WAIT_WCHAN.test(wchan));
}

function stateBrief(state: string): string {
  switch (state) {
    case 'T': return 'stopped';
    case 't': return 'stopped by its tracer';
    case 'Z': return 'zombie';
    default: return 'not in a system call';
  }
}

/** A zombie's wait status in words; the kernel shows it only to who may ptrace-read the process. */
function zombieStatus(pid: number, st: TaskStat): string {
  const target = readStatus(pid);
  const self = readStatus('self');
  const weMay = (self?.capEff !== undefined && ((self.capEff >> 19n) & 1n) === 1n) || (!!target && !!self && target.uid.slice(0, 3).every((u) => u === self.uid[3]));
  if (!weMay || st.exitCode === undefined) return 'exit status hidden (needs the same user or CAP_SYS_PTRACE)';
  return waitStatusText(st.exitCode);
}

function zombieWords(pid: number, tid: number, procStat: TaskStat, nThreads: number, ctx: InspectContext, c: WordsContext): string {
  c.brief = 'zombie';
  c.groupKey = 'zombie';
  if (tid === pid && nThreads > 1 && procStat.state !== 'Z') return 'the main thread exited; the process lives on in its other threads';
  if (tid !== pid) return 'exited thread, being cleaned up';
  const ppid = procStat.ppid;
  const parent = ctx.procs.comm(ppid) ?? '?';
  c.waitsOn = { pid: ppid, comm: parent, how: 'waits to be reaped by its parent' };
  return `zombie: ${zombieStatus(pid, procStat)}; its parent ${ppid} (${parent}) has not reaped it (wait())`;
}

function zombieChildren(pid: number, ctx: InspectContext): ZombieChild[] {
  const out: ZombieChild[] = [];
  for (const k of ctx.procs.children(pid)) {
    const st = ctx.procs.stat(k);
    if (st?.state === 'Z') out.push({ pid: k, comm: st.comm, status: zombieStatus(k, st) });
  }
  return out;
}

/**
 * Inspect every thread of `pid`, follow what holds them up into other processes, and list its open
 * files. Never throws and never hangs: a vanished process gives a report with exists=false and a
 * reason; checks that could block run in child processes under the time budget.
 */
export async function inspectProcess(pid: number, opts: InspectOptions = {}): Promise<InspectReport> {
  const ctx = opts.context ?? new InspectContext(opts.budgetMs ?? DEFAULT_BUDGET_MS);
  const { syscallsDenied, ...core } = await inspectThreads(pid, ctx, opts);
  const report: InspectReport = { ...core, chains: [], openFiles: undefined };
  if (!core.exists) return report;
  const files = opts.skipOpenFiles ? undefined : readOpenFiles(pid, ctx);
  if (!opts.skipChains) report.chains = await buildChains(report, ctx, (p) => inspectThreads(p, ctx, { thresholdMs: opts.thresholdMs, tracer: opts.tracer }));
  if (files) {
    const f = await files;
    if ('files' in f) report.openFiles = f.files;
    else report.openFilesReason = f.reason;
  }
  if (opts.diagnose || syscallsDenied) report.diagnostics = diagnoseAttach(pid);
  return report;
}

/** The tracer's threads, their entry texts as the trace was asked for (-y, -s: record-text.ts). */
function safeThreads(tracer: Tracer): ThreadState[] {
  try {
    const form = tracer.textForm;
    const threads = tracer.threads();
    return form ? threads.map((t) => (t.entryText ? { ...t, entryText: renderText(t.entryText, form) } : t)) : threads;
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

function vanishedThread(r: RawThread, err: unknown): ThreadReport {
  const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return {
    tid: r.tid, comm: r.comm, state: r.stat.state, where: r.sc.kind, nr: r.nr, name: r.name, args: r.args,
    callText: r.name ? `${r.name}(...)` : '', targets: [], blockedForMs: undefined, exact: false, sinceMs: undefined,
    waitKey: '', wchan: undefined, wchanReason: 'not read', stack: undefined, stackReason: 'not read',
    plainWords: `could not inspect this thread: ${msg}`, brief: 'unknown', groupKey: `?|${r.tid}`, overThreshold: false,
  };
}
