// The contract between the native engine and everything above it (plain writer, TUI, inspector).
// Native records are turned into these objects by session.ts; nothing else talks to the addon.
import type { TextForm } from './record-text.js';

/** Syscall classes, as strace's -e trace=%CLASS names them. Bit values are shared with native/. */
export const SyscallClass = {
  file: 1 << 0, // %file: takes a file name
  network: 1 << 1, // %network
  process: 1 << 2, // %process
  signal: 1 << 3, // %signal
  desc: 1 << 4, // %desc: takes or returns a descriptor
  memory: 1 << 5, // %memory
  ipc: 1 << 6, // %ipc
  creds: 1 << 7, // %creds
  clock: 1 << 8, // %clock
  stat: 1 << 9, // %stat
  lstat: 1 << 10, // %lstat
  fstat: 1 << 11, // %fstat
  statLike: 1 << 12, // %%stat
  statfs: 1 << 13, // %statfs
  fstatfs: 1 << 14, // %fstatfs
  statfsLike: 1 << 15, // %%statfs
  pure: 1 << 16, // %pure: no arguments, always succeed
} as const;
export type SyscallClassName = keyof typeof SyscallClass;

/** A completed system call (entry and exit paired), decoded as strace prints it. */
export interface SyscallEvent {
  kind: 'syscall';
  pid: number; // thread group id
  tid: number;
  nr: number;
  name: string;
  classes: number; // SyscallClass bits
  /** strace's text without prefix or timestamp: `openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3` */
  text: string;
  /** -k: the call's user-space stack as strace prints it, one " > module(symbol+0x1f) [0x...]" line per
   *  frame, innermost first. */
  stack?: string;
  /** Raw return value; for failures -errno. Stored as a JS number (exact below 2^53). */
  rval: number;
  /** errno name (`ENOENT`) when the call failed, else ''. */
  errno: string;
  /** Monotonic nanoseconds at entry and exit, and wall-clock microseconds since the epoch at entry. */
  entryNs: number;
  exitNs: number;
  wallUs: number;
  /** Raw arguments as unsigned 64-bit values. */
  args: bigint[];
  /** The call never returned (thread exited or vanished mid-syscall, e.g. exit_group or execve). */
  unfinished: boolean;
  /** (TUI history) The call is still in progress: text is its entry half, exitNs its entry time. */
  running?: boolean;
}

/** A signal delivered to a thread: `--- SIGCHLD {si_signo=SIGCHLD, ...} ---` */
export interface SignalEvent {
  kind: 'signal';
  pid: number;
  tid: number;
  signo: number;
  name: string; // SIGCHLD
  text: string; // the whole strace line, without prefix
  wallUs: number;
  entryNs: number;
}

/** A group-stop (`--- stopped by SIGSTOP ---`) */
export interface StopEvent {
  kind: 'stop';
  pid: number;
  tid: number;
  signo: number;
  name: string;
  text: string;
  wallUs: number;
  entryNs: number;
}

/** A thread or process ended: `+++ exited with 0 +++`, `+++ killed by SIGKILL (core dumped) +++`. */
export interface ExitEvent {
  kind: 'exit';
  pid: number;
  tid: number;
  /** exit code, or -1 when killed by a signal */
  code: number;
  signo: number; // 0 unless killed by a signal
  core: boolean;
  /** true when the whole process (thread group) is gone, not just one thread */
  processGone: boolean;
  text: string;
  wallUs: number;
  entryNs: number;
}

/** A thread was born (fork/vfork/clone followed) or attached. */
export interface ThreadEvent {
  kind: 'thread';
  pid: number;
  tid: number;
  parentTid: number; // 0 when attached rather than born
  wallUs: number;
  entryNs: number;
}

/** execve succeeded; oldTid differs from tid when a non-leader thread exec'd. */
export interface ExecEvent {
  kind: 'exec';
  pid: number;
  tid: number;
  oldTid: number;
  path: string; // /proc/PID/exe after exec
  comm?: string; // the name the kernel gave the new program (basename of the file execve was given)
  wallUs: number;
  entryNs: number;
}

/** A thread disappeared without an exit status we could read (e.g. detached or vanished). */
export interface DetachEvent {
  kind: 'detach';
  pid: number;
  tid: number;
  reason: string;
  wallUs: number;
  entryNs: number;
}

export type TraceEvent = SyscallEvent | SignalEvent | StopEvent | ExitEvent | ThreadEvent | ExecEvent | DetachEvent;

/** Every event that is not a system call: rare next to them, so a batch keeps them as objects. */
export type OtherEvent = Exclude<TraceEvent, SyscallEvent>;

/** Bits of TraceBatch.flags. */
export const BatchFlag = {
  /** the call never returned (SyscallEvent.unfinished) */
  unfinished: 1 << 0,
  /** the row has its raw arguments (always, from the engine; a synthetic event may have none) */
  args: 1 << 1,
} as const;

/**
 * Drained events column by column (Tracer.drainBatch): what drain() returns, without an object per
 * system call. Row j of every column is the j-th system call of the batch, as a SyscallEvent would
 * hold it; the other events keep their objects in `others`, and `order` says where each falls:
 * others[k] came after order[k] system call rows (and before row order[k]), so
 * `order` never decreases, and equal values keep others' own order.
 */
export interface TraceBatch {
  /** system call rows (the length of every per-row column) */
  count: number;
  pid: Int32Array;
  tid: Int32Array;
  nr: Int32Array;
  /** SyscallClass bits */
  classes: Uint32Array;
  /** raw return value (-errno for failures) */
  rval: Float64Array;
  /** errno number when the call failed, else 0; errnoName() gives SyscallEvent.errno */
  err: Int32Array;
  entryNs: Float64Array;
  exitNs: Float64Array;
  wallUs: Float64Array;
  /** BatchFlag bits */
  flags: Uint8Array;
  /** raw arguments, 6 per row: row j's are args[6j .. 6j+5] */
  args: BigUint64Array;
  /** SyscallEvent.text per row (marked, when textForm is given: record-text.ts) */
  texts: string[];
  /** The form the trace was asked for (the command line's -y, -s, -x), when the texts are marked. */
  textForm?: TextForm;
  /** -k: [row, SyscallEvent.stack] for the rows that have a stack (absent or empty without -k) */
  stacks?: Array<[number, string]>;
  others: OtherEvent[];
  order: Uint32Array;
  /** SyscallEvent.name of a number, and SyscallEvent.errno of an err value ('' for 0): cached tables, cheap to call per row. */
  syscallName(nr: number): string;
  errnoName(err: number): string;
  /** Number of the batch's first event in the order the engine made them (counted from 0).
   *  Absent where events have no such order. */
  first?: number;
}

/** One traced thread as the engine sees it now. */
export interface ThreadState {
  pid: number;
  tid: number;
  /** In a syscall right now: its decoded entry text (`read(3, `), number and entry time. */
  inSyscall: boolean;
  nr: number;
  /** That call's name and SyscallClass bits (when in one). */
  name?: string;
  classes?: number;
  entryText: string;
  entryNs: number;
  /** Wall-clock microseconds at entry (as SyscallEvent.wallUs). */
  entryWallUs?: number;
  /** The call was in progress when we attached: the kernel restarted it after our interrupt, so
   *  entryNs is when it was re-entered, a lower bound of how long it has been waiting. */
  entryRestarted?: boolean;
  /** The wait the thread is in, across restarts: a call interrupted by a stop or a signal and then
   *  re-entered (ERESTART*, restart_syscall) is the same wait. waitNr is -1 when not waiting; it is
   *  set with inSyscall false while the call is interrupted and will restart when resumed (P). */
  waitNr?: number;
  /** When that wait began (monotonic ns, like entryNs). */
  waitSinceNs?: number;
  /** waitSinceNs is a lower bound (the wait was in progress when we attached). */
  waitLowerBound?: boolean;
  /** When waitLowerBound: wall-clock ms by which that wait had begun, as /proc dated it before the
   *  attach (our interrupt wakes the thread, so /proc alone cannot tell it later). */
  waitBeganByMs?: number;
  /** Stopped by our pause(). */
  paused: boolean;
  /** In a group-stop (SIGSTOP/SIGTSTP...). */
  groupStopped: boolean;
}

export interface EngineStats {
  processes: number;
  threads: number;
  /** Records produced since start (syscalls, signals, exits...). */
  total: number;
  /** ms the tracees waited at their stops for JS to take records (its buffer was full): how much the
   *  screen slowed the trace down. Nothing is ever dropped. */
  heldMs: number;
  /** Records waiting in the buffer. */
  pending: number;
}

/** -c counters for one syscall. Times in nanoseconds. */
export interface CounterRow {
  nr: number;
  name: string;
  calls: number;
  errors: number;
  timeNs: number;
  minNs: number;
  maxNs: number;
}

/** Why a launch or attach was refused. `reason` is one line for the user. */
export type TraceErrorCode =
  | 'ENOENT_PID' // no such process
  | 'SELF' // our own pid
  | 'KTHREAD' // a kernel thread
  | 'TRACED' // already traced by another tracer
  | 'OTHER_USER' // another user's process and we lack CAP_SYS_PTRACE
  | 'PTRACE_SCOPE' // yama ptrace_scope forbids it
  | 'NO_CAP' // missing CAP_SYS_PTRACE where it is needed
  | 'EPERM' // refused for another reason (e.g. not dumpable, LSM)
  | 'CMD_NOT_FOUND' // command does not exist
  | 'CMD_NOT_EXEC' // command is not executable
  | 'INTERNAL';

export class TraceError extends Error {
  readonly code: TraceErrorCode;
  /** strace's own words for the same failure, where our reason adds nothing to them (--plain prints
   *  these): `attach: ptrace(PTRACE_SEIZE, 42): No such process`. */
  readonly straceText: string | undefined;
  constructor(code: TraceErrorCode, reason: string, straceText?: string) {
    super(reason);
    this.code = code;
    this.straceText = straceText;
    this.name = 'TraceError';
  }
}

/** Options for launching or attaching. */
export interface TraceOptions {
  /** Follow fork/vfork/clone children (strace -f). Default true in the TUI. */
  followForks: boolean;
  /** Records waiting for JS at which the tracees wait at their stops until JS takes some (nothing is dropped). */
  bufferCap: number;
}

/**
 * Where the trace screen reads its records from: a live trace (a Tracer) or a loaded strace log
 * (LogSource in src/log/source.ts). Both hand over the same records, so the panes, filters, search,
 * row details and the -c table work the same on either; what only a live trace can do (stop the
 * threads, attach, inspect) is on Tracer.
 */
export interface TraceSource {
  /**
   * Records produced (or read) since the last call, column by column (see TraceBatch): the TUI's
   * drain loop takes them this way, with no object per system call.
   */
  drainBatch(max?: number): TraceBatch;
  /** Every thread now, with the call it sits in (a log: where the log has left it so far). */
  threads(): ThreadState[];
  /** threads(), placed in the event stream: the TUI orders rows by time with it. */
  snapshot?(): TraceSnapshot;
  stats(): EngineStats;
  /** -c counters: everything, one process (pid) or one thread (tid). */
  counters(scope?: { pid?: number; tid?: number }): CounterRow[];
  resetCounters(): void;
  /** True once nothing more will come: no traced thread is left, or the log is read to its end. */
  readonly done: boolean;
  /** What this source is (a live trace when absent): for the status bar, the rows' times, the -c table. */
  info?(): SourceInfo;
  /**
   * A thread's name (comm), '' when not known: now, or (a log) when it made the record numbered
   * `at` in the order drainBatch() handed records out (a history's sequence number).
   */
  comm?(tid: number, at?: number): string;
}

/** The threads at one moment, and where that moment falls in the stream of drained events. */
export interface TraceSnapshot {
  threads: ThreadState[];
  /** Events numbered below this (TraceBatch.first counts the same way) were made before it. */
  mark: number;
}

/** What a source says about itself. */
export interface SourceInfo {
  kind: 'live' | 'log';
  /** a log: the files it is read from */
  files: string[];
  /** a log: bytes read of all, and lines read so far */
  bytesRead: number;
  totalBytes: number;
  lines: number;
  /** rows carry times (a log without -t/-tt/-ttt/-r has none) and durations (a log needs -T) */
  timestamps: boolean;
  durations: boolean;
  /** what went wrong while reading, one line each (lines that were not strace's, a cut last line) */
  problems: string[];
  /** a log: lines that were not strace's (skipped), and files whose last line was cut short */
  skipped: number;
  cut: number;
}

/** The source of a live trace. */
export const LIVE_SOURCE: SourceInfo = {
  kind: 'live',
  files: [],
  bytesRead: 0,
  totalBytes: 0,
  lines: 0,
  timestamps: true,
  durations: true,
  problems: [],
  skipped: 0,
  cut: 0,
};

/** What the UI and the inspector use of a live trace (implemented by TraceSession in session.ts). */
export interface Tracer extends TraceSource {
  /**
   * Take up to `max` records produced since the last drain, oldest first: what drainBatch() hands
   * over, as objects. Both take from the one buffer: use one or the other.
   */
  drain(max?: number): TraceEvent[];
  /** The command line's form of this trace's texts, when they are marked (record-text.ts): its
   *  records and its threads' entry texts render as the trace was asked for with it. */
  readonly textForm?: TextForm;
  /** PTRACE_INTERRUPT every traced thread / restart them. */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Attach to one more running process (every thread). Throws TraceError. */
  attach(pid: number): void;
  /** Detach from everything, leaving each process as it was. Idempotent. */
  detach(): void;
  /** The pid of the launched command, or 0 when we attached. */
  readonly launchedPid: number;
  /** How the launched command ended, once it has (exited false until then). */
  launchedExit?(): { exited: boolean; code: number; signo: number; core: boolean };
}
