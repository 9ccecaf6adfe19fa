// Readers for /proc/PID and /proc/PID/task/TID. Every file here is a few hundred bytes, so the
// reads are synchronous. A process can vanish between any two reads: no reader throws; each
// returns undefined (or a reason string where the user should learn why a value is missing).

import { closeSync, openSync, readSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/**
 * One buffer for every /proc read: open, read until the end, close. /proc files report size 0,
 * so readFileSync stats and reads in growing chunks; this costs a third of that, which matters
 * when a 1,000-thread process means 6,000 reads.
 */
let procBuf = Buffer.allocUnsafe(1 << 16);

function readWhole(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let n = 0;
    for (;;) {
      const got = readSync(fd, procBuf, n, procBuf.length - n, null);
      if (got <= 0) break;
      n += got;
      if (n === procBuf.length) {
        const bigger = Buffer.allocUnsafe(procBuf.length * 2);
        procBuf.copy(bigger, 0, 0, n);
        procBuf = bigger;
      }
    }
    return procBuf.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** Read a /proc file as text, or undefined when it (or its process) is gone or unreadable. */
export function readProcText(path: string): string | undefined {
  try {
    return readWhole(path);
  } catch {
    return undefined;
  }
}

/** Read a /proc file as text, or the errno code (ENOENT, EACCES, ESRCH...) that stopped us. */
export function readProcTextOrError(path: string): { text: string } | { error: string } {
  try {
    return { text: readWhole(path) };
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

/** readlink, or the errno code (ENOENT: gone; EACCES: not ours to read). */
export function readLinkOrError(path: string): { link: string } | { error: string } {
  try {
    return { link: readlinkSync(path) };
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

/** readlink that never throws. */
export function readLinkSafe(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** readdir, or the errno code that refused it. */
export function readDirOrError(path: string): { names: string[] } | { error: string } {
  try {
    return { names: readdirSync(path) };
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

/** readdir that never throws (empty list when the directory is gone or unreadable). */
export function readDirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** USER_HZ, the unit of utime/stime/starttime in stat: fixed at 100 by the x86-64 ABI (sysconf(_SC_CLK_TCK)). */
export function clockTicksPerSecond(): number {
  return 100;
}

/** Seconds since boot, from /proc/uptime. */
export function uptimeSeconds(): number | undefined {
  const text = readProcText('/proc/uptime');
  if (!text) return undefined;
  const n = Number(text.split(' ')[0]);
  return Number.isFinite(n) ? n : undefined;
}

/** Thread ids of a process, ascending; undefined when the process is gone. */
export function listTasks(pid: number): number[] | undefined {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0)
      .sort((a, b) => a - b);
  } catch {
    return undefined;
  }
}

/** True when /proc/PID exists (the process or zombie is still there). */
export function processExists(pid: number): boolean {
  try {
    statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** The fields of /proc/PID/task/TID/stat that the inspector uses. */
export interface TaskStat {
  tid: number;
  comm: string;
  /** R running, S sleeping, D disk (uninterruptible), T stopped, t tracing stop, Z zombie, X dead, I idle kthread. */
  state: string;
  ppid: number;
  /** task->flags (PF_*); PF_KTHREAD is 0x00200000. */
  flags: number;
  utimeTicks: number;
  stimeTicks: number;
  /** Start time in clock ticks since boot. */
  startTicks: number;
  numThreads: number;
  /** Resident set size, in pages. */
  rssPages: number;
  /** CPU last run on. */
  processor: number;
  /** Address-space size and layout: equal in a vfork child and its parent until the child execs. */
  vsize: number;
  startcode: number;
  endcode: number;
  startstack: number;
  /** A zombie's wait status (as waitpid reports it); 0 unless we may ptrace-read the process. */
  exitCode: number | undefined;
}

/** Parse a stat line. comm may contain spaces and parentheses: it ends at the last ')'. */
export function parseStat(text: string): TaskStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const tid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // f[0] is field 3 (state).
  const f = text.slice(close + 2).trim().split(' ');
  if (f.length < 20) return undefined;
  return {
    tid,
    comm,
    state: f[0],
    ppid: Number(f[1]),
    flags: Number(f[6]),
    utimeTicks: Number(f[11]),
    stimeTicks: Number(f[12]),
    numThreads: Number(f[17]),
    rssPages: Number(f[21]),
    startTicks: Number(f[19]),
    processor: Number(f[36] ?? -1),
    vsize: Number(f[20]),
    startcode: Number(f[23]),
    endcode: Number(f[24]),
    startstack: Number(f[25]),
    exitCode: f[49] === undefined ? undefined : Number(f[49]),
  };
}

export function readTaskStat(pid: number, tid: number): TaskStat | undefined {
  const text = readProcText(`/proc/${pid}/task/${tid}/stat`);
  return text === undefined ? undefined : parseStat(text);
}

export function readProcStat(pid: number): TaskStat | undefined {
  const text = readProcText(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseStat(text);
}

export const PF_KTHREAD = 0x00200000;

/**
 * /proc/PID/task/TID/syscall. `running` when the thread is on a CPU (the kernel cannot sample it),
 * `user` when blocked but not in a system call (the file says -1: e.g. stopped in user space).
 */
export type TaskSyscall =
  | { kind: 'syscall'; nr: number; args: bigint[]; sp: bigint; pc: bigint }
  | { kind: 'running' }
  | { kind: 'user'; sp: bigint; pc: bigint }
  | { kind: 'unavailable'; reason: string };

export function parseSyscallFile(text: string): TaskSyscall {
  const t = text.trim();
  if (t === 'running') return { kind: 'running' };
  const parts = t.split(/\s+/);
  const nr = Number(parts[0]);
  const big = (s: string | undefined): bigint => {
    try {
      return s === undefined ? 0n : BigInt(s);
    } catch {
      return 0n;
    }
  };
  if (nr === -1) return { kind: 'user', sp: big(parts[1]), pc: big(parts[2]) };
  if (!Number.isInteger(nr) || parts.length < 9) return { kind: 'unavailable', reason: `unrecognized syscall file: ${t.slice(0, 40)}` };
  return { kind: 'syscall', nr, args: parts.slice(1, 7).map(big), sp: big(parts[7]), pc: big(parts[8]) };
}

export function readTaskSyscall(pid: number, tid: number): TaskSyscall {
  const r = readProcTextOrError(`/proc/${pid}/task/${tid}/syscall`);
  if ('error' in r) return { kind: 'unavailable', reason: procErrorReason(r.error, 'syscall') };
  return parseSyscallFile(r.text);
}

/**
 * The kernel function the thread sleeps in, or why there is none to show. The kernel prints 0 both
 * for a thread that is not sleeping and, without ptrace read access, for every thread: for a
 * sleeping thread (S, D, I...) a 0 is a refusal, not a fact.
 */
export function readTaskWchan(pid: number, tid: number, state?: string): { wchan: string } | { reason: string } {
  const r = readProcTextOrError(`/proc/${pid}/task/${tid}/wchan`);
  if ('error' in r) return { reason: procErrorReason(r.error, 'wchan') };
  const w = r.text.trim();
  if (w === '' || w === '0') {
    if (state !== undefined && state !== 'R' && state !== 'Z' && state !== 'X') {
      return { reason: 'hidden: the kernel shows wchan only with ptrace access (same user or CAP_SYS_PTRACE)' };
    }
    return { reason: 'not sleeping in the kernel' };
  }
  return { wchan: w };
}

/** The kernel stack, one frame per line (`hrtimer_nanosleep+0x74/0xf0`), or why it cannot be read. */
export function readTaskStack(pid: number, tid: number): { frames: string[] } | { reason: string } {
  const r = readProcTextOrError(`/proc/${pid}/task/${tid}/stack`);
  if ('error' in r) return { reason: procErrorReason(r.error, 'stack') };
  const frames = r.text
    .split('\n')
    .map((l) => l.replace(/^\[<[0-9a-f]+>\]\s*/, '').trim())
    .filter((l) => l !== '');
  if (frames.length === 0) return { reason: 'empty kernel stack (the thread is running or is a zombie)' };
  return { frames };
}

/** One clear line for why a /proc file could not be read. */
export function procErrorReason(code: string, what: string): string {
  switch (code) {
    case 'ENOENT':
    case 'ESRCH':
      return what === 'stack' ? 'no kernel stack file (kernel built without CONFIG_STACKTRACE, or the thread exited)' : 'the thread exited';
    case 'EACCES':
    case 'EPERM':
      // As root the usual reason is not it: say what else refuses ptrace access.
      if (process.geteuid?.() === 0) return `permission denied reading ${what}, even to root: the kernel refuses ptrace access (the target holds capabilities we lack, or is in a user namespace we do not own, or an LSM refuses: see the diagnostics)`;
      return what === 'stack'
        ? 'permission denied: the kernel stack needs root (CAP_SYS_ADMIN)'
        : `permission denied reading ${what}: needs the same user or CAP_SYS_PTRACE`;
    default:
      return `cannot read ${what}: ${code}`;
  }
}

export function readComm(pid: number): string | undefined {
  return readProcText(`/proc/${pid}/comm`)?.replace(/\n$/, '');
}

export function readTaskComm(pid: number, tid: number): string | undefined {
  return readProcText(`/proc/${pid}/task/${tid}/comm`)?.replace(/\n$/, '');
}

/** argv, or undefined when gone; an empty array for kernel threads and zombies. */
export function readCmdline(pid: number): string[] | undefined {
  const text = readProcText(`/proc/${pid}/cmdline`);
  if (text === undefined) return undefined;
  if (text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The parts of /proc/PID/status that matter for attaching and inspecting. */
export interface ProcStatus {
  name: string;
  state: string;
  tgid: number;
  ppid: number;
  tracerPid: number;
  /** real, effective, saved, filesystem */
  uid: [number, number, number, number];
  gid: [number, number, number, number];
  /** pid in each nested PID namespace, outermost first. */
  nspid: number[];
  threads: number;
  noNewPrivs: boolean | undefined;
  /** 0 disabled, 1 strict, 2 filter */
  seccomp: number | undefined;
  capEff: bigint | undefined;
  capPrm: bigint | undefined;
  capBnd: bigint | undefined;
  /** Every key: value line, raw. */
  raw: Map<string, string>;
}

export function parseStatus(text: string): ProcStatus {
  const raw = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) raw.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const nums = (k: string): number[] => (raw.get(k) ?? '').split(/\s+/).filter(Boolean).map(Number);
  const quad = (k: string): [number, number, number, number] => {
    const n = nums(k);
    return [n[0] ?? -1, n[1] ?? -1, n[2] ?? -1, n[3] ?? -1];
  };
  const hex = (k: string): bigint | undefined => {
    const v = raw.get(k);
    if (v === undefined) return undefined;
    try {
      return BigInt('0x' + v);
    } catch {
      return undefined;
    }
  };
  const optNum = (k: string): number | undefined => {
    const v = raw.get(k);
    return v === undefined ? undefined : Number(v);
  };
  const nnp = optNum('NoNewPrivs');
  return {
    name: raw.get('Name') ?? '',
    state: (raw.get('State') ?? '?').charAt(0),
    tgid: optNum('Tgid') ?? -1,
    ppid: optNum('PPid') ?? -1,
    tracerPid: optNum('TracerPid') ?? 0,
    uid: quad('Uid'),
    gid: quad('Gid'),
    nspid: nums('NSpid'),
    threads: optNum('Threads') ?? 0,
    noNewPrivs: nnp === undefined ? undefined : nnp !== 0,
    seccomp: optNum('Seccomp'),
    capEff: hex('CapEff'),
    capPrm: hex('CapPrm'),
    capBnd: hex('CapBnd'),
    raw,
  };
}

export function readStatus(pid: number | 'self'): ProcStatus | undefined {
  const text = readProcText(`/proc/${pid}/status`);
  return text === undefined ? undefined : parseStatus(text);
}

export function readTaskStatus(pid: number, tid: number): ProcStatus | undefined {
  const text = readProcText(`/proc/${pid}/task/${tid}/status`);
  return text === undefined ? undefined : parseStatus(text);
}

/**
 * What /proc/.../sched says (needs CONFIG_SCHED_DEBUG): `se.exec_start`, when the thread last
 * stopped running, in the clock of its CPU (ms; see sched-clock.ts), and its context switches.
 */
export function readSched(path: string): { execStartMs: number | undefined; switches: string | undefined } | undefined {
  const text = readProcText(path);
  if (!text) return undefined;
  const num = (re: RegExp): string | undefined => re.exec(text)?.[1];
  const start = Number(num(/^se\.exec_start\s*:\s*([0-9.]+)/m));
  const vol = num(/^nr_voluntary_switches\s*:\s*(\d+)/m);
  const invol = num(/^nr_involuntary_switches\s*:\s*(\d+)/m);
  return { execStartMs: Number.isFinite(start) ? start : undefined, switches: vol !== undefined && invol !== undefined ? `${vol}/${invol}` : undefined };
}

export function readSchedExecStartMs(path: string): number | undefined {
  return readSched(path)?.execStartMs;
}

/**
 * Read `len` bytes of the process's memory at `addr` through /proc/PID/mem (same user or root;
 * ptrace access mode ATTACH). undefined when refused, unmapped or gone.
 */
export function readProcMem(pid: number, addr: bigint, len: number): Buffer | undefined {
  if (addr === 0n || len <= 0) return undefined;
  // Beyond 2^53 the position cannot be given to fs.readSync; user space addresses are far below.
  if (addr > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/mem`, 'r');
    const buf = Buffer.alloc(len);
    const n = readSync(fd, buf, 0, len, Number(addr));
    return n === len ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // nothing to do
      }
    }
  }
}
