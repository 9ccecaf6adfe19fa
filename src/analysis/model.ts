// What the trace says about each process: its descriptors (what each one is, where it leads,
// where it came from), its cwd when the trace shows a chdir, its parent, and the last things it
// did before exiting. Kept up to date call by call; forks copy the table, exec drops O_CLOEXEC
// descriptors, as the kernel does.
import { formatDuration } from '../engine/proc/blocking.js';
import type { CallRef } from './types.js';
import type { SockAddr } from './strace-text.js';

export type FdKind = 'file' | 'dir' | 'socket' | 'pipe' | 'other';

export interface Fd {
  kind: FdKind;
  /** a file's path, `pipe`, `eventfd`, the socket's description... */
  what: string;
  /** the path of a file or directory (as the process named it) */
  path?: string;
  sock?: {
    family: string; // AF_INET...
    type: string; // SOCK_STREAM...
    /** where it is connected (connect, sendto, accept's peer) */
    peer?: SockAddr;
    /** the address it is bound to (bind) */
    local?: SockAddr;
    /** a non-blocking connect in progress: the connect row it started at */
    connecting?: CallRef & { addr: SockAddr; atNs: number };
  };
  /** one end (0 or 1) of the pipe or socketpair made by the call `seq` of process `maker` */
  pair?: { seq: number; end: 0 | 1; maker: number };
  cloexec: boolean;
  /** the leak-tracking site it was counted under (opened by this process), if any */
  site?: string;
  /** seq of the call that made it */
  seq: number;
}

/** Descriptors of one kind opened at one place, for leak detection. */
export interface LeakSite {
  site: string;
  /** what a user reads: `openat of /tmp/x/file-N`, `socket AF_INET SOCK_STREAM` */
  label: string;
  opened: number;
  closed: number;
  live: Set<number>;
  /** distinct paths or peers seen, a few */
  samples: string[];
  firstSeq: number;
  refs: CallRef[];
}

export class Proc {
  readonly pid: number;
  ppid = 0;
  /** the program it runs (the exec path), when known */
  exe = '';
  /** first and last trace time seen (monotonic ns) */
  firstNs = -1;
  lastNs = -1;
  /** trace time of its last exec (or first sight) */
  execNs = -1;
  /** an exec event came, and the execve call it belongs to is still to come */
  execAnnounced = false;
  calls = 0;
  fds = new Map<number, Fd>();
  /** cwd after a chdir seen in the trace ('' when the trace never showed one) */
  cwd = '';
  exited = false;
  /** findings of the kinds a clean exit shows to be harmless (WENT_WITHOUT_KINDS) that rest on its calls, by key */
  lookupFindings: string[] = [];
  /** a path lookup that failed last (not an expected one, when there was such) */
  lastLookupFail?: CallRef;
  lastProbeFail?: CallRef;
  lastExecFail?: CallRef;
  /** its last problem finding (a failed write's EPIPE before a SIGPIPE death, a refused connect) */
  lastProblem?: { title: string; ref: CallRef };
  /** what it last wrote to stderr (fd 2), decoded, at most ~240 characters */
  stderrTail = '';
  stderrRefs: CallRef[] = [];
  leaks = new Map<string, LeakSite>();
  /** its children that failed: `cat (pid 12) exited with status 1` */
  failedChildren: string[] = [];
  /** children it forked that are not traced (no -f): they share its descriptors unseen */
  untracedChildren: number[] = [];
  constructor(pid: number) {
    this.pid = pid;
  }

  /**
   * A new program runs (a successful exec): what the old one failed at and said explains its exit
   * no more (a PATH search's failed execves before the one that worked, a wrapper's messages).
   */
  newProgram(): void {
    this.lastLookupFail = this.lastProbeFail = this.lastExecFail = this.lastProblem = undefined;
    this.stderrTail = '';
    this.stderrRefs = [];
  }
}

/** `/tmp/run-17/file-0042.log` -> `/tmp/run-N/file-N.log`: one site for a family of names. */
export function siteOfPath(path: string): string {
  return path.replace(/\d+/g, 'N');
}

export const STDERR_TAIL = 240;

/** A duration in words, down to microseconds: `85 µs`, `12 ms`, `2.5 s`. */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '?';
  if (ns < 1e6) return `${Math.max(1, Math.round(ns / 1e3))} µs`;
  return formatDuration(ns / 1e6);
}
