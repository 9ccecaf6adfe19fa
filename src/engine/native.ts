// The raw binding (build/Release/systrace.node) and its types. Only session.ts, the plain runner and
// the table helpers use it; everything else goes through TraceSession.
import { createRequire } from 'node:module';
import type { ThreadCounter } from './counters.js';
import type { StartState } from './launcher-state.js';
import type { TraceBatch } from './types.js';

export interface NativeOptions {
  followForks?: boolean;
  bufferCap?: number;
  records?: boolean;
  text?: boolean;
  outPath?: string;
  /** What messages on stderr start with (default systrace-tui). */
  progName?: string;
  outputSeparately?: boolean;
  append?: boolean;
  /** mode of the output files created (default 0o666, as strace; umask applies) */
  outMode?: number;
  /** -t, -tt, -ttt as a count (older form of tsFormat/tsDigits). */
  tflag?: number;
  /** 0: no timestamp, 1: time of day, 2: seconds since the epoch; tsDigits after the point. */
  tsFormat?: number;
  tsDigits?: number;
  rflag?: boolean;
  rDigits?: number;
  Tflag?: boolean;
  TDigits?: number;
  count?: boolean;
  countOnly?: boolean;
  wallTime?: boolean;
  /** -O: nanoseconds taken off each counted call's time (never below 0). */
  overheadNs?: number;
  traced?: Uint8Array;
  statusMask?: number;
  signalsShown?: Uint8Array;
  /** QUIET bits of src/plain/options.ts (1 attach, 2 exit, ...). */
  quiet?: number;
  /** DECODE_PID bits (1 pidns, 2 comm). */
  decodePids?: number;
  nflag?: boolean;
  iflag?: boolean;
  /** -k: a symbolized stack after each call's line (and in each syscall record). */
  stackTraces?: boolean;
  /** -b execve: detach from a process when it calls execve (its first, for a launched command, aside). */
  detachOnExecve?: boolean;
  /** -d: a few of strace's debug lines on stderr. */
  debug?: boolean;
  /** --syscall-limit: detach from everything after this many calls were printed. */
  syscallLimit?: number;
  paths?: string[];
  seccomp?: boolean;
  pidPrefix?: boolean;
  acolumn?: number;
  strsize?: number;
  /** --redact: strings and -y paths printed as their length, "..."<N bytes> */
  redact?: boolean;
  /** -e kvm=vcpu: KVM_RUN's result followed by the exit reason in the vcpu's kvm_run */
  kvmVcpu?: boolean;
  xflag?: number;
  verbose?: boolean;
  /** -y as a count (1: paths, 2: everything); decodeFds, when given, says it bit by bit. */
  yflag?: number;
  decodeFds?: number;
  /** The TUI's records: every form of a descriptor (-y and -yy) and the strings -s cuts kept up
   *  to marksStrsize bytes, marked (record-text.ts); the -o text stays the command line's. */
  marks?: boolean;
  marksStrsize?: number;
  raw?: boolean;
  /** -X: 0 abbrev, 1 raw, 2 verbose. */
  xstyle?: number;
  /** -e abbrev= / verbose= / raw= by syscall number (1: in the set); absent: the defaults. */
  abbrev?: Uint8Array;
  verboseCalls?: Uint8Array;
  rawCalls?: Uint8Array;
  /** -e read= / -e write=: descriptors whose data is dumped in hex after each call. */
  readFds?: { invert: boolean; items: number[] };
  writeFds?: { invert: boolean; items: number[] };
  /** -e inject= / fault=, in command-line order (for a syscall in several sets, the last applies). */
  inject?: NativeInject[];
}

export interface NativeInject {
  /** The syscalls, by number (1: in the set). */
  nrs: Uint8Array;
  first: number;
  last: number;
  step: number;
  error?: number;
  retval?: bigint;
  signal?: number;
  delayEnterNs?: number;
  delayExitNs?: number;
  pokeEnter?: Array<{ arg: number; data: Uint8Array }>;
  pokeExit?: Array<{ arg: number; data: Uint8Array }>;
  syscall?: number;
}

/** The engine's counters of one thread and syscall. */
export type NativeCounter = ThreadCounter;

export interface NativeStats {
  processes: number;
  threads: number;
  total: number;
  heldMs: number;
  pending: number;
  done: boolean;
  paused: boolean;
}

export interface NativeThread {
  pid: number;
  tid: number;
  inSyscall: boolean;
  nr: number;
  entryText: string;
  entryNs: number;
  entryWallUs: number;
  entryRestarted: boolean;
  waitNr: number;
  waitSinceNs: number;
  waitLowerBound: boolean;
  paused: boolean;
  groupStopped: boolean;
}

/** What a launched command gets of ours: descriptors above 2, -u USER, the state we were started with
 *  (a closed one of 0-2 stays closed unless stdio gives it one). */
export interface LaunchExtra extends Partial<StartState> {
  inheritFds?: number[];
  user?: string;
}

export interface NativeEngine {
  /** extra: what the command gets of ours (LaunchExtra), and LaunchOptions' ownProcessGroup and hold. */
  launch(file: string, argv: string[], envp: string[], stdio?: [number, number, number], extra?: LaunchExtra & { ownProcessGroup?: boolean; hold?: boolean }): number;
  /** Lets a command launched with `hold` leave its stop and run. */
  startLaunched(): void;
  /** opts.daemonTracee: -D, pid is about to exec the command (its main thread only, hidden until then). */
  attach(pid: number, opts?: { daemonTracee?: boolean }): number[];
  pause(): void;
  resume(): void;
  detach(): void;
  shutdown(): void;
  drain(max?: number): Array<Record<string, unknown>>;
  /** A TraceBatch without its two look-ups, which TraceSession adds. */
  drainBatch(max?: number): Omit<TraceBatch, 'syscallName' | 'errnoName'>;
  threads(): NativeThread[];
  /** threads(), and how many records were made before they were looked at (drainBatch's `first` counts the same way). */
  snapshot(): { threads: NativeThread[]; mark: number };
  stats(): NativeStats;
  counters(): NativeCounter[];
  resetCounters(): void;
  launchedExit(): { exited: boolean; code: number; signo: number; core: boolean };
  writeText(text: string): void;
}

export interface SyscallInfo {
  name: string;
  nargs: number;
  classes: number;
}

interface Binding {
  Engine: new (opts: NativeOptions) => NativeEngine;
  /** The syscalls by number: names joined by newlines, and their nargs and classes (syscallTable()). */
  syscallTable(): { names: string; nargs: Uint8Array; classes: Uint32Array };
  /** The descriptors above 2 this process inherited, ascending (inherited-fds.ts). */
  inheritedFds(): number[];
  errnoName(n: number): string | null;
  errnoText(n: number): string | null;
  signalName(n: number): string;
  /** The i386 (1) and x32 (2) syscalls: [personality, nr, name]. */
  compatSyscalls(): Array<[number, number, string]>;
  /** Whether -k works: the engine was built with libdw, and libdw is there (reading this opens it). */
  stackTracesSupported: boolean;
  /** -D: become the command (file, argv, envp), traced by tracerArgv run as our grandchild (in a new
   *  process group with level 2, a new session with 3). Returns only by throwing. */
  daemonExec(file: string, argv: string[], envp: string[], level: number, tracerArgv: string[], tracerEnvp: string[], extra?: LaunchExtra): never;
  /** Our stdin and stdout become the read end of a closed pipe (strace's "don't hold them open"). */
  redirectStdio(): void;
  /** Die of this signal (default disposition, no core dump); returns when it is not fatal. */
  dieOfSignal(sig: number): void;
  formatCall(pid: number, tid: number, nr: number, args: bigint[], opts?: { strsize?: number; yflag?: number; verbose?: boolean }): string;
  /** lgetxattr: the attribute's bytes, null when the file has none; throws (errno) otherwise. May block on a hung mount. */
  getXattr(path: string, name: string): Buffer | null;
  /** statx's STATX_ATTR_* bits of a path (not following a final symlink). May block on a hung mount. */
  statxAttrs(path: string): { attributes: number; mask: number };
  /** Every unix socket of pid's network namespace (ours without one), from NETLINK_SOCK_DIAG (as
   *  `ss -x` lists them); asked from inside that namespace by a short-lived native thread. */
  unixSockets(pid?: number): NativeUnixSocket[];
  /** glibc M_ARENA_MAX: at most n malloc arenas from now on (MALLOC_ARENA_MAX set at run time) */
  limitMallocArenas(n: number): void;
  /** The calling thread's name (PR_SET_NAME, cut to 15 bytes): the main thread's is /proc/PID/comm. */
  setProcessName(name: string): void;
}

export interface NativeUnixSocket {
  inode: number;
  /** The inode of the socket at the other end; 0 when not connected. */
  peer: number;
  /** SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5. */
  type: number;
  /** TCP_ESTABLISHED 1, TCP_CLOSE 7, TCP_LISTEN 10... */
  state: number;
  rqueue: number;
  wqueue: number;
  /** Bound name, `@name` when abstract, '' when unnamed. */
  path: string;
}

/** An error thrown by the binding: `errno` and `code` (ENOENT...) say what the kernel answered. */
export interface NativeError extends Error {
  errno?: number;
  code?: string;
}

let binding: Binding | undefined;

export function native(): Binding {
  if (!binding) {
    const require = createRequire(import.meta.url);
    // dist/src/engine/ -> the package's build/ (require resolves a relative path from this module)
    binding = require('../../../build/Release/systrace.node') as Binding;
  }
  return binding;
}

let table: SyscallInfo[] | undefined;
/** Every syscall by number, from the tables generated out of this machine's headers. */
export function syscallTable(): SyscallInfo[] {
  if (!table) {
    const { names, nargs, classes } = native().syscallTable();
    table = names.split('\n').map((name, nr) => ({ name, nargs: nargs[nr], classes: classes[nr] }));
  }
  return table;
}

let names: string[] | undefined;
/** A syscall's name by number, as the engine names it (unknown numbers as strace prints them: syscall_0x1c8). */
export function syscallName(nr: number): string {
  names ??= syscallTable().map((e) => e.name);
  return names[nr] ?? `syscall_0x${BigInt.asUintN(64, BigInt(nr)).toString(16)}`;
}

// errno values run 1..4095 (the kernel's MAX_ERRNO); names are looked up once each.
const errnoNames: (string | undefined)[] = [''];
/** An errno's name (ENOENT), '' for 0 and for a number without one (as the engine's drain() gives it). */
export function errnoName(err: number): string {
  let name = errnoNames[err];
  if (name === undefined) {
    name = (err > 0 && err < 4096 ? native().errnoName(err) : null) ?? '';
    if (err > 0 && err < 4096) errnoNames[err] = name;
  }
  return name;
}
