// Following a descriptor through the history (o, < and >), as janestreet/strace_ui does: which
// descriptors a call uses, makes and closes (read from its strace line, so a loaded log works as a
// live trace does), and the trail of one descriptor: the call it came from (open, socket, accept,
// dup, pipe... or, across fork, its parent's) and every call on it until it is closed, in its
// process and in the children that inherited it. A trail is live: rows that arrive later join it.
import { fdArg, rowCallParts, splitTop } from '../analysis/strace-text.js';
import type { TraceHistory } from './trace-history.js';

/** Argument positions that hold a descriptor, for the calls where it is not just the first. */
const FD_ARGS: Record<string, number[]> = {
  dup2: [0, 1],
  dup3: [0, 1],
  renameat: [0, 2],
  renameat2: [0, 2],
  linkat: [0, 2],
  symlinkat: [1],
  sendfile: [0, 1],
  splice: [0, 2],
  tee: [0, 1],
  copy_file_range: [0, 2],
  epoll_ctl: [0, 2],
  mmap: [4],
  move_mount: [0, 2],
  fanotify_mark: [0, 3],
  kexec_file_load: [0, 1],
  waitid: [1],
};

/** Calls whose first argument is a descriptor (a directory's, for the *at calls). */
const FIRST_ARG_FD = new Set(
  (
    'read write pread64 pwrite64 readv writev preadv pwritev preadv2 pwritev2 close fstat newfstatat statx lseek ioctl fcntl flock ' +
    'fsync fdatasync ftruncate fchmod fchown fchdir getdents getdents64 fstatfs fadvise64 fallocate sync_file_range readahead syncfs ' +
    'fgetxattr fsetxattr flistxattr fremovexattr sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg connect bind listen accept accept4 ' +
    'shutdown getsockname getpeername setsockopt getsockopt epoll_wait epoll_pwait epoll_pwait2 openat openat2 mkdirat mknodat ' +
    'fchownat futimesat unlinkat readlinkat fchmodat fchmodat2 faccessat faccessat2 utimensat name_to_handle_at open_by_handle_at ' +
    'inotify_add_watch inotify_rm_watch timerfd_settime timerfd_gettime signalfd signalfd4 vmsplice io_uring_enter io_uring_register ' +
    'pidfd_send_signal pidfd_getfd setns execveat fsconfig fsmount open_tree mount_setattr landlock_add_rule landlock_restrict_self ' +
    'finit_module dup close_range getxattrat setxattrat listxattrat removexattrat quotactl_fd process_madvise'
  ).split(' '),
);

/** Calls whose result is a new descriptor. */
const MAKES_RESULT = new Set(
  (
    'open openat openat2 creat socket accept accept4 dup dup2 dup3 eventfd eventfd2 epoll_create epoll_create1 timerfd_create ' +
    'signalfd signalfd4 inotify_init inotify_init1 fanotify_init memfd_create memfd_secret userfaultfd perf_event_open pidfd_open ' +
    'pidfd_getfd open_by_handle_at io_uring_setup fsopen fsmount fspick open_tree mq_open landlock_create_ruleset'
  ).split(' '),
);

/** What one call does with descriptors. */
export interface CallFds {
  /** descriptors it makes (the result; both ends of a pipe or socketpair) */
  made: number[];
  /** descriptors it takes as arguments (closed ones included) */
  used: number[];
  /** descriptors it closes */
  closed: number[];
}

const NONE: CallFds = { made: [], used: [], closed: [] };

/** The descriptors of a call's strace line (its name, line and result as the history keeps them). */
export function callFds(name: string, text: string, rval: number, failed: boolean): CallFds {
  const parts = rowCallParts(text);
  if (!parts) return NONE;
  const args = parts.args;
  const fdAt = (i: number) => {
    const f = fdArg(args[i]);
    return f && f.fd >= 0 ? f.fd : undefined;
  };
  const used: number[] = [];
  for (const i of FD_ARGS[name] ?? (FIRST_ARG_FD.has(name) ? [0] : [])) {
    const fd = fdAt(i);
    if (fd !== undefined && !used.includes(fd)) used.push(fd);
  }
  // poll's {fd=N, ...} and select's sets [N M]
  if (name === 'poll' || name === 'ppoll') for (const m of (args[0] ?? '').matchAll(/\{fd=(\d+)/g)) used.push(Number(m[1]));
  if (name === 'select' || name === 'pselect6') {
    for (const set of args.slice(1, 4)) if (set.startsWith('[')) for (const m of set.matchAll(/\d+/g)) used.push(Number(m[0]));
  }
  const made: number[] = [];
  const closed: number[] = [];
  if (!failed && !text.endsWith('= ?')) {
    if (MAKES_RESULT.has(name) || (name === 'fcntl' && /^F_DUPFD/.test(args[1] ?? ''))) {
      if (rval >= 0) made.push(rval);
    } else if (name === 'pipe' || name === 'pipe2' || name === 'socketpair') {
      const arr = args[name === 'socketpair' ? 3 : 0] ?? '';
      if (arr.startsWith('[')) for (const a of splitTop(arr.slice(1, -1))) made.push(fdArg(a)?.fd ?? NaN);
    }
  }
  // A failed close still closes (EINTR, EIO), unless there was nothing to close.
  if (name === 'close' && !text.includes('EBADF') && used.length) closed.push(used[0]);
  if (name === 'close_range' && !failed) {
    const lo = Number(args[0]);
    const hi = Math.min(Number(args[1]), lo + 4096);
    if (!/CLOSE_RANGE_CLOEXEC/.test(args[2] ?? '')) for (let fd = lo; fd <= hi; fd++) closed.push(fd);
  }
  return { made: made.filter((fd) => fd >= 0), used, closed };
}

/** The descriptor a row is about: the one it makes, else the first one it uses. */
export function rowFd(fds: CallFds): number | undefined {
  return fds.made[0] ?? fds.used[0] ?? fds.closed[0];
}

let trails = 0;

/**
 * One descriptor's calls. Built by one pass over the history from where the descriptor was made:
 * a process holds it from there until it closes it (or makes another in its place); a process born
 * of a holder holds it too (fork copies the table; threads share it).
 */
export class FdTrail {
  readonly id = ++trails;
  readonly label: string;
  /** seq of the call that made it, -1 when that is not in the history */
  readonly origin: number;
  /** seqs of its calls, in order */
  readonly seqs: number[] = [];
  private readonly member = new Set<number>();
  /** per process: holds the descriptor (true), or no longer (false); absent: never did */
  private readonly holds = new Map<number, boolean>();
  private upTo: number;

  constructor(
    readonly pid: number,
    readonly fd: number,
    h: TraceHistory,
    seq: number,
  ) {
    const found = findOrigin(h, pid, fd, seq);
    this.origin = found?.seq ?? -1;
    this.holds.set(found?.pid ?? pid, true);
    this.upTo = found ? found.seq : h.oldest;
    this.label = `fd ${fd} of pid ${pid}`;
    this.extend(h);
  }

  /** Whether the row is a call on the descriptor (the filter's test); rows up to seq are read first. */
  has(h: TraceHistory, seq: number): boolean {
    if (seq >= this.upTo) this.extend(h);
    return this.member.has(seq);
  }

  /** Reads the rows that arrived since the last look. */
  private extend(h: TraceHistory): void {
    for (let seq = Math.max(this.upTo, h.oldest); seq < h.next; seq++) {
      const pid = h.pidAt(seq);
      let holding = this.holds.get(pid);
      if (holding === undefined) {
        // First seen here: a child of a holder inherited it.
        const parent = h.threads.get(h.threads.get(pid)?.parentTid ?? 0)?.pid;
        holding = parent !== undefined && this.holds.get(parent) === true;
        this.holds.set(pid, holding);
      }
      if (!holding) continue;
      const c = h.callAt(seq);
      if (!c || !c.text.includes(String(this.fd))) continue;
      const fds = callFds(c.name, c.text, c.rval, c.failed);
      if (seq !== this.origin && fds.made.includes(this.fd) && !fds.used.includes(this.fd)) {
        // Another descriptor takes its number: this one was gone already.
        this.holds.set(pid, false);
        continue;
      }
      if (seq === this.origin || fds.used.includes(this.fd) || fds.made.includes(this.fd)) {
        this.seqs.push(seq);
        this.member.add(seq);
      }
      if (fds.closed.includes(this.fd) || (seq !== this.origin && fds.made.includes(this.fd))) this.holds.set(pid, false);
    }
    this.upTo = h.next;
  }
}

/**
 * The call that made descriptor fd of pid, at or before seq: in pid's own rows, or (when pid was
 * born with it) in its parent's before that. Undefined when it was made before the history begins.
 */
function findOrigin(h: TraceHistory, pid: number, fd: number, seq: number): { pid: number; seq: number } | undefined {
  const digits = String(fd);
  for (let depth = 0; depth < 16; depth++) {
    let born = -1;
    for (let s = seq; s >= h.oldest; s--) {
      if (h.pidAt(s) !== pid) continue;
      born = s;
      const c = h.callAt(s);
      if (!c || !c.text.includes(digits)) continue;
      const fds = callFds(c.name, c.text, c.rval, c.failed);
      if (fds.made.includes(fd)) return { pid, seq: s };
      // Closed before: the row we started from uses a descriptor made by a call we cannot read.
      if (s < seq && fds.closed.includes(fd)) return undefined;
    }
    // Not made here: inherited from the parent, made before the fork (which is before our first row).
    const parent = h.threads.get(h.threads.get(pid)?.parentTid ?? 0)?.pid;
    if (parent === undefined || parent === pid || born < 0) return undefined;
    pid = parent;
    seq = born - 1;
  }
  return undefined;
}

/** The trail of the descriptor a row is about (`last` again when the row is on it); undefined when the row has none. */
export function trailAt(h: TraceHistory, seq: number, last?: FdTrail): FdTrail | undefined {
  if (last?.has(h, seq)) return last;
  const c = h.callAt(seq);
  if (!c) return undefined;
  const fd = rowFd(callFds(c.name, c.text, c.rval, c.failed));
  return fd === undefined ? undefined : new FdTrail(c.pid, fd, h, seq);
}
