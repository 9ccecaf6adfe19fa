// strace's filters applied to a log: -e trace=SET (by name), -e status=SET, -e signal=SET, -P PATH,
// -qq. A log holds text, not the tracee: -P matches a path named in the call (quoted, or in a -y
// decoration) and the descriptors the log shows being opened on it, followed through dup and
// fork and forgotten at close, as strace's own -P follows them through /proc.
import type { CallStatus } from './assemble.js';
import { syscallNameOf, UNKNOWN_NR_BASE } from './names.js';
import { quoteString } from './redact.js';

/** A number read from strace's `syscall_0x1f4` (not a name of a newer strace's that we lack). */
function unnamedSyscall(nr: number): boolean {
  return nr < UNKNOWN_NR_BASE && syscallNameOf(nr).startsWith('syscall_0x');
}

export const STATUS_BITS: Record<CallStatus, number> = { successful: 1, failed: 2, unfinished: 4, unavailable: 8, detached: 16 };
const STATUS_ALL = 31;
const QUIET_EXIT = 2; // QUIET.exit

export interface LogFilterOptions {
  /** traced syscalls by number (parseTraceSet), undefined for every call */
  traced: Uint8Array | undefined;
  statusMask: number;
  /** signals shown by number, undefined for every signal */
  signalsShown: Uint8Array | undefined;
  paths: string[];
  /** QUIET bits of src/plain/options.ts: exit (2) hides the "+++ exited" lines, as -qq does */
  quiet: number;
}

const OPENS = new Set(['open', 'openat', 'openat2', 'creat', 'open_by_handle_at', 'open_tree', 'fsopen', 'memfd_create']);
const DUPS = new Set(['dup', 'dup2', 'dup3', 'fcntl', 'fcntl64']);
const FIRST_FD = /^[a-z0-9_]+\((\d+)[,)<]/;

export class LogFilter {
  private readonly traced: Uint8Array | undefined;
  private readonly statusMask: number;
  private readonly signals: Uint8Array | undefined;
  private readonly quiet: number;
  /** each -P path as strace prints it: quoted, and inside a -y decoration */
  private readonly pathForms: string[];
  /** descriptors open on a -P path, per process */
  private readonly fds = new Map<number, Set<number>>();

  constructor(o: LogFilterOptions) {
    this.traced = o.traced;
    this.statusMask = o.statusMask;
    this.signals = o.signalsShown;
    this.quiet = o.quiet;
    this.pathForms = o.paths.flatMap((p) => [quoteString(p), `<${p}>`]);
  }

  /** A call's fate is only known at its end: its first half waits for the second. */
  get needsResult(): boolean {
    return this.statusMask !== STATUS_ALL;
  }

  /** Whether a filter is set at all (without one every trace line is printed). */
  get active(): boolean {
    return this.traced !== undefined || this.needsResult || this.signals !== undefined || this.pathForms.length > 0 || (this.quiet & QUIET_EXIT) !== 0;
  }

  /** A call by its name and what is known of it (the first half alone has status undefined). */
  callPasses(nr: number, pid: number, text: string, status: CallStatus | undefined): boolean {
    // A number without a name (strace's syscall_0x1f4) passes every set, as it is traced live.
    if (this.traced && !this.traced[nr] && !unnamedSyscall(nr)) return false;
    if (status !== undefined && !(this.statusMask & STATUS_BITS[status])) return false;
    return this.touchesPath(pid, text);
  }

  signalPasses(signo: number): boolean {
    return !this.signals || this.signals[signo] === 1;
  }

  exitPasses(): boolean {
    return (this.quiet & QUIET_EXIT) === 0;
  }

  private touchesPath(pid: number, text: string): boolean {
    if (!this.pathForms.length) return true;
    for (const form of this.pathForms) if (text.includes(form)) return true;
    const fd = FIRST_FD.exec(text);
    return fd !== null && this.fds.get(pid)?.has(Number(fd[1])) === true;
  }

  /** What a completed, successful call does to the descriptors open on -P paths. */
  learn(pid: number, name: string, text: string, rval: number, child: { pid: number; thread: boolean } | null): void {
    if (!this.pathForms.length) return;
    let set = this.fds.get(pid);
    if (OPENS.has(name) && rval >= 0 && this.pathForms.some((f) => text.includes(f))) {
      if (!set) this.fds.set(pid, (set = new Set()));
      set.add(rval);
      return;
    }
    if (!set?.size) return;
    const fd = FIRST_FD.exec(text);
    if (name === 'close' && fd) set.delete(Number(fd[1]));
    else if (DUPS.has(name) && fd && set.has(Number(fd[1])) && rval >= 0 && (name !== 'fcntl' && name !== 'fcntl64' ? true : /F_DUPFD/.test(text))) set.add(rval);
    else if (child && !child.thread) this.fds.set(child.pid, new Set(set));
  }
}
