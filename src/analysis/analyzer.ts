// The analysis: fed the trace as it comes (event by event, or a drained batch at a time), it keeps
// a model of each process (model.ts), lets the detectors (detect-*.ts) recognise the runbook's
// patterns (runbook.ts) and holds the findings. Each call is looked at once, when it arrives:
// nothing re-reads the history, so a live view stays cheap however long the trace. Evidence from
// the live system is gathered when a finding first appears (asynchronously where it may block),
// and a finding seen again only counts up.
import { BatchFlag, type OtherEvent, type TraceBatch, type TraceEvent } from '../engine/types.js';
import { detectFd, onExecFds, onForkFds, refreshLeaks } from './detect-fds.js';
import { detectPathCall, settleSearches } from './detect-paths.js';
import { detectNet, onSignalNet } from './detect-net.js';
import { detectDns, finishDns } from './detect-dns.js';
import { detectExitCall, onExit } from './detect-exit.js';
import { detectSlow, SLOW_FLOOR_NS } from './detect-slow.js';
import type { LiveEvidence } from './live/evidence.js';
import { Proc } from './model.js';
import { callParts, firstFd, quoted } from './strace-text.js';
import { countExpected, detectFailure } from './detect-failures.js';
import { renderText } from '../engine/record-text.js';
import { fillCheck, PATH_CALLS, RUNBOOK, WENT_WITHOUT_KINDS, type FindingKind } from './runbook.js';
import { MAX_CALLS, MAX_SEQS, type CallRef, type Finding, type RowNote, type Severity } from './types.js';

/** One system call as the detectors see it (a SyscallEvent with its place in the trace). */
export interface Call {
  seq: number;
  pid: number;
  tid: number;
  nr: number;
  name: string;
  /** strace's line: `openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (No such file or directory)` */
  text: string;
  /** its first argument as a descriptor (`read(3</x>, ...` -> 3), NaN when it has none: read without the text */
  fd: number;
  rval: number;
  /** errno name when it failed, else '' */
  errno: string;
  entryNs: number;
  exitNs: number;
  unfinished: boolean;
}

/**
 * Row j of a drained batch as a Call. Most rows a detector is asked about are reads and writes it
 * dismisses on their descriptor or result: the text (rendered in the trace's form, record-text.ts)
 * is made only when a detector reads it.
 */
class BatchCall implements Call {
  readonly pid: number;
  readonly tid: number;
  readonly name: string;
  readonly fd: number;
  readonly rval: number;
  readonly errno: string;
  readonly entryNs: number;
  readonly exitNs: number;
  private readonly raw: string;
  private readonly form: TraceBatch['textForm'];
  private rendered: string | undefined;

  constructor(
    b: TraceBatch,
    j: number,
    readonly seq: number,
    readonly nr: number,
    readonly unfinished: boolean,
  ) {
    this.pid = b.pid[j];
    this.tid = b.tid[j];
    this.name = b.syscallName(nr);
    this.raw = b.texts[j];
    this.form = b.textForm;
    // The marks come after a descriptor's number: the marked text starts as the rendered one does.
    this.fd = firstFd(this.raw);
    this.rval = b.rval[j];
    this.errno = b.err[j] ? b.errnoName(b.err[j]) : '';
    this.entryNs = b.entryNs[j];
    this.exitNs = b.exitNs[j];
  }

  /** As the trace was asked for (-y, -s): what the detectors read of a line. */
  get text(): string {
    return (this.rendered ??= this.form ? renderText(this.raw, this.form) : this.raw);
  }
}

/** A detector of calls: returns true when it has accounted for a failure (no generic finding then). */
export type CallDetector = (a: Analyzer, c: Call, p: Proc) => boolean | void;

/** Why a loaded log's findings carry no live evidence. */
export const LOG_NO_EVIDENCE = 'a loaded log: nothing could be checked on a live system (paths, listeners, routes and limits need the live process)';

export interface AnalyzerOptions {
  /** live evidence (null: a loaded log, or evidence turned off) */
  evidence: LiveEvidence | null;
  /** why there is no live evidence, for the findings that would have used it */
  noEvidenceReason?: string;
  /** findings rest only on the traced calls (a -e trace= filter was given) */
  partial?: string;
}

export interface UpsertSpec {
  kind: FindingKind;
  key: string;
  call?: CallRef;
  title: string;
  facts?: string[];
  severity?: Severity;
  vars?: Record<string, string | number | undefined>;
}

/** Row notes kept at most. */
const MAX_NOTES = 100_000;

export interface FindingCounts {
  problem: number;
  note: number;
  expected: number;
}

// Which detectors want a call, by syscall name (every failure also goes to detectFailure).
const DETECTORS: Record<string, CallDetector[]> = {};
function on(names: string[], ...fns: CallDetector[]): void {
  for (const n of names) (DETECTORS[n] ??= []).push(...fns);
}
on(['open', 'openat', 'openat2', 'creat'], detectFd, detectPathCall, detectDns);
on(['close'], detectNet, detectFd);
on(['close_range', 'dup', 'dup2', 'dup3', 'fcntl', 'pipe', 'pipe2', 'socketpair', 'eventfd', 'eventfd2', 'epoll_create', 'epoll_create1', 'signalfd', 'signalfd4', 'timerfd_create', 'inotify_init', 'inotify_init1', 'memfd_create', 'pidfd_open', 'userfaultfd', 'fanotify_init', 'perf_event_open', 'io_uring_setup', 'memfd_secret'], detectFd);
on(['socket'], detectFd, detectNet);
on(['fork', 'vfork', 'clone', 'clone3'], detectFork);
on(['execve', 'execveat'], detectExec);
on(['accept', 'accept4'], detectFd, detectNet);
on(['connect'], detectNet, detectDns, detectPathCall);
on(['bind'], detectNet, detectPathCall);
on(['sendto', 'sendmsg', 'sendmmsg', 'send'], detectNet, detectDns);
on(['recvfrom', 'recvmsg', 'recvmmsg', 'recv'], detectNet, detectDns);
on(['read', 'readv'], detectNet, detectDns);
on(['write', 'writev'], detectNet, detectDns, detectExitCall);
on(['poll', 'ppoll', 'select', 'pselect6', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2'], detectNet, detectDns);
on(['getsockopt', 'getsockname'], detectNet);
on(['fchdir'], detectPathCall);
// every call on a path (open, connect and bind are registered above with their other detectors)
on(Object.keys(PATH_CALLS).filter((n) => !DETECTORS[n]?.includes(detectPathCall)), detectPathCall);
on(['setuid', 'setreuid', 'setresuid', 'setgid', 'setregid', 'setresgid', 'setgroups', 'unshare', 'setns', 'chroot', 'seccomp', 'prctl'], detectCredsChange);

/**
 * A successful exec that no exec event announced (a loaded log has none; the engine's comes
 * just before the call's record): the program and its descriptors change here.
 */
function detectExec(a: Analyzer, c: Call, p: Proc): boolean {
  if (c.errno || c.unfinished) return false;
  if (p.execAnnounced) {
    p.execAnnounced = false;
    return false;
  }
  const path = quoted(callParts(c.text)?.args[c.name === 'execve' ? 0 : 1])?.value;
  if (path) p.exe = path;
  if (Number.isFinite(c.entryNs)) p.execNs = c.entryNs;
  p.newProgram();
  onExecFds(a, p);
  return false;
}

/**
 * A fork, as its caller sees it return. The engine announced the child already (a thread event);
 * a log announces nothing, and its child's lines may come before or after this one: the child is
 * made this process's child here, or when it first shows up. Until then it counts as untraced (no
 * -f): its descriptors are shared with a process we cannot see.
 */
function detectFork(a: Analyzer, c: Call, p: Proc): boolean {
  if (c.errno || c.rval <= 0 || /CLONE_THREAD/.test(c.text) || a.gone.has(c.rval)) return false;
  const child = a.procs.get(c.rval);
  if (child) {
    if (child.ppid === 0 && child !== p) a.adopt(p, child);
    return false;
  }
  a.expectChild(c.rval, p.pid);
  if (p.untracedChildren.length < 64) p.untracedChildren.push(c.rval);
  return false;
}

/** Credentials and namespaces the trace shows changing: the remembered view follows them. */
function detectCredsChange(a: Analyzer, c: Call): boolean {
  if (c.errno || !a.evidence) return false;
  const parts = callParts(c.text);
  if (parts) a.evidence.traceChange(c.pid, c.name, parts.args);
  return false;
}

export class Analyzer {
  readonly evidence: LiveEvidence | null;
  readonly noEvidenceReason: string;
  readonly partial: string;
  /** bumped whenever a finding appears or changes */
  version = 0;
  readonly procs = new Map<number, Proc>();
  /** a row's result as the detectors read it, by seq: the non-blocking connect's outcome (see note()) */
  readonly annotations = new Map<number, RowNote>();
  /** trace time (monotonic ns) of the newest event */
  nowNs = 0;
  private readonly found = new Map<string, Finding>();
  private order = 0;
  private readonly waiting = new Set<Promise<void>>();
  private lastProc: Proc | undefined;
  private byNr: (CallDetector[] | null)[] = [];
  private byNrOf: TraceBatch['syscallName'] | undefined;
  private nextSeq = 0;
  private finished = false;
  /** per syscall number: calls seen and their total duration (what "stands out" is measured against) */
  private readonly durCount = new Float64Array(1024);
  private readonly durSum = new Float64Array(1024);

  constructor(opts: AnalyzerOptions) {
    this.evidence = opts.evidence;
    this.noEvidenceReason = opts.noEvidenceReason ?? 'no live process to examine';
    this.partial = opts.partial ?? '';
  }

  // ------------------------------------------------------------------ input

  /** One event; seq is its place in the trace (the next one when omitted). */
  feed(ev: TraceEvent, seq = this.nextSeq): void {
    this.feedOne(ev, seq);
    this.settle();
  }

  private feedOne(ev: TraceEvent, seq: number): void {
    this.nextSeq = seq + 1;
    if (ev.kind === 'syscall') {
      if (!ev.unfinished && ev.nr >= 0 && ev.nr < this.durCount.length) {
        this.durCount[ev.nr]++;
        this.durSum[ev.nr] += ev.exitNs - ev.entryNs;
      }
      this.call(
        { seq, pid: ev.pid, tid: ev.tid, nr: ev.nr, name: ev.name, text: ev.text, fd: firstFd(ev.text), rval: ev.rval, errno: ev.errno, entryNs: ev.entryNs, exitNs: ev.exitNs, unfinished: ev.unfinished },
        DETECTORS[ev.name] ?? null,
      );
    } else this.other(ev, seq);
  }

  /**
   * A drained batch whose first event has sequence number seq0 (events in order, system calls and
   * the others interleaved as `order` says). Only the rows a detector wants become objects.
   */
  feedBatch(b: TraceBatch, seq0: number): void {
    let seq = seq0;
    let k = 0;
    for (let j = 0; j <= b.count; j++) {
      while (k < b.others.length && b.order[k] === j) this.other(b.others[k++], seq++);
      if (j === b.count) break;
      this.feedRow(b, j, seq++);
    }
    this.nextSeq = seq;
    this.settle();
  }

  /**
   * Row j of a batch, numbered seq (the TUI's history calls this as it numbers its rows: see
   * HistoryListener; settle() after a batch of them).
   */
  feedRow(b: TraceBatch, j: number, seq: number): void {
    if (b.syscallName !== this.byNrOf) {
      this.byNrOf = b.syscallName;
      this.byNr = [];
    }
    const nr = b.nr[j];
    let dets = this.byNr[nr];
    if (dets === undefined) dets = this.byNr[nr] = DETECTORS[b.syscallName(nr)] ?? null;
    const err = b.err[j];
    const unfinished = (b.flags[j] & BatchFlag.unfinished) !== 0;
    const dur = b.exitNs[j] - b.entryNs[j];
    if (!unfinished && nr >= 0 && nr < this.durCount.length) {
      this.durCount[nr]++;
      this.durSum[nr] += dur;
    }
    if (!dets && !err && (dur < SLOW_FLOOR_NS || unfinished)) {
      this.tick(b.pid[j], b.exitNs[j]);
      return;
    }
    this.call(new BatchCall(b, j, seq, nr, unfinished), dets);
  }

  /** One event numbered seq, without settling (HistoryListener's other half). */
  feedEvent(ev: TraceEvent, seq: number): void {
    this.feedOne(ev, seq);
  }

  /** Path searches that went quiet are settled (after each batch). */
  settle(): void {
    settleSearches(this, false);
  }

  /** The trace is over (exit, detach, end of the log): settle what was waiting for more. Once. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    settleSearches(this, true);
    finishDns(this);
    for (const p of this.procs.values()) if (!p.exited) refreshLeaks(this, p);
  }

  /** Resolves once every evidence check started so far has answered (or timed out). */
  async settled(): Promise<void> {
    while (this.waiting.size) await Promise.allSettled([...this.waiting]);
  }

  // ------------------------------------------------------------------ output

  /** Every finding: problems, then notes, then expected; each group in order of appearance. */
  list(): Finding[] {
    const rank: Record<Severity, number> = { problem: 0, note: 1, expected: 2 };
    return [...this.found.values()].sort((x, y) => rank[x.severity] - rank[y.severity] || x.order - y.order);
  }

  counts(): FindingCounts {
    const c: FindingCounts = { problem: 0, note: 0, expected: 0 };
    for (const f of this.found.values()) c[f.severity]++;
    return c;
  }

  get(key: string): Finding | undefined {
    return this.found.get(key);
  }

  // ------------------------------------------------------------------ for detectors

  proc(pid: number): Proc {
    const last = this.lastProc;
    if (last && last.pid === pid) return last;
    let p = this.procs.get(pid);
    if (!p) {
      p = new Proc(pid);
      this.procs.set(pid, p);
      const parent = this.expected.get(pid);
      if (parent !== undefined) {
        this.expected.delete(pid);
        const pp = this.procs.get(parent);
        if (pp) this.adopt(pp, p);
      }
    }
    this.lastProc = p;
    return p;
  }

  /** Forks whose children have not shown up yet (bounded: without -f they never do). */
  private readonly expected = new Map<number, number>();

  expectChild(pid: number, parent: number): void {
    this.expected.set(pid, parent);
    if (this.expected.size > 4096) this.expected.delete(this.expected.keys().next().value!);
  }

  /** `child` was forked by `parent`: it starts with a copy of the parent's descriptors and view. */
  adopt(parent: Proc, child: Proc): void {
    child.ppid = parent.pid;
    parent.untracedChildren = parent.untracedChildren.filter((pid) => pid !== child.pid);
    onForkFds(this, parent, child);
    this.evidence?.inherit(child.pid, parent.pid);
  }

  ref(c: Call): CallRef {
    return { seq: c.seq, pid: c.pid, tid: c.tid, text: c.text };
  }

  /**
   * Adds an occurrence to the finding `key`, creating it when new. Returns the finding and whether
   * it is new (evidence is gathered only then).
   */
  upsert(spec: UpsertSpec): { f: Finding; fresh: boolean } {
    let f = this.found.get(spec.key);
    const fresh = !f;
    if (!f) {
      const entry = RUNBOOK[spec.kind];
      f = {
        key: spec.key,
        kind: spec.kind,
        severity: spec.severity ?? entry.severity,
        title: spec.title,
        facts: spec.facts ?? [],
        meaning: entry.meaning,
        check: fillCheck(entry.check, spec.vars ?? {}),
        count: 0,
        calls: [],
        seqs: [],
        pids: [],
        evidence: this.evidence ? 'live' : 'trace',
        order: this.order++,
      };
      this.found.set(spec.key, f);
    }
    f.count++;
    if (spec.call) {
      this.addCall(f, spec.call);
      const p = this.procs.get(spec.call.pid);
      // what a later exit of the process may be explained by
      if (p && f.severity === 'problem' && f.kind !== 'exit-failure') p.lastProblem = { title: f.title, ref: spec.call };
      if (p && f.severity !== 'expected' && WENT_WITHOUT_KINDS.includes(f.kind as FindingKind) && p.lookupFindings.length < 256 && !p.lookupFindings.includes(f.key)) p.lookupFindings.push(f.key);
    }
    this.version++;
    return { f, fresh };
  }

  /** Processes that exited with status 0 (bounded, as `gone`). */
  private readonly cleanExits = new Set<number>();

  /**
   * pid exited with status 0: the files it looked for and did without were harmless. Each finding
   * of WENT_WITHOUT_KINDS resting on its calls, once every process it rests on has exited 0, moves
   * into the expected group 'went-without' (one line per finding, its calls kept for the rows).
   */
  exitedCleanly(p: Proc): void {
    this.cleanExits.add(p.pid);
    if (this.cleanExits.size > 4096) this.cleanExits.delete(this.cleanExits.keys().next().value!);
    for (const key of p.lookupFindings) {
      const f = this.found.get(key);
      if (!f || f.severity === 'expected' || !f.pids.every((pid) => this.cleanExits.has(pid))) continue;
      this.found.delete(key);
      const [first, ...more] = f.calls;
      if (!first) continue;
      countExpected(this, 'went-without', f.title, first);
      const group = this.found.get('expected:went-without')!;
      for (const r of more) this.addCall(group, r);
    }
    p.lookupFindings = [];
  }

  addCall(f: Finding, r: CallRef): void {
    if (f.calls.length < MAX_CALLS && !f.calls.some((x) => x.seq === r.seq)) f.calls.push(r);
    if (f.seqs.length < MAX_SEQS && f.seqs[f.seqs.length - 1] !== r.seq) f.seqs.push(r.seq);
    if (!f.pids.includes(r.pid) && f.pids.length < 64) f.pids.push(r.pid);
  }

  /** Says how row `seq` ended. The oldest notes go first past MAX_NOTES (their rows are long gone). */
  note(seq: number, n: RowNote): void {
    this.annotations.delete(seq);
    this.annotations.set(seq, n);
    if (this.annotations.size > MAX_NOTES) this.annotations.delete(this.annotations.keys().next().value!);
    this.version++;
  }

  /** A finding changed in place (facts, title, severity). */
  touch(): void {
    this.version++;
  }

  /** Runs an evidence check for a finding: 'pending' until it answers, then its facts are added. */
  gather(f: Finding, work: () => Promise<string[]>): void {
    f.evidence = 'pending';
    const p = work()
      .then(
        (facts) => {
          f.facts.push(...facts);
          f.evidence = 'live';
        },
        (err: unknown) => {
          f.facts.push(`evidence could not be gathered: ${(err as Error).message}`);
          f.evidence = 'trace';
        },
      )
      .finally(() => {
        this.waiting.delete(p);
        this.version++;
      });
    this.waiting.add(p);
  }

  /** The fact that stands where live evidence would, when there is none. */
  noEvidence(what: string): string {
    return `${what}: not checked (${this.noEvidenceReason})`;
  }

  // ------------------------------------------------------------------ internals

  private tick(pid: number, ns: number): void {
    const p = this.proc(pid);
    p.calls++;
    if (ns > p.lastNs) p.lastNs = ns;
    if (ns > this.nowNs) this.nowNs = ns;
  }

  private call(c: Call, dets: CallDetector[] | null): void {
    const p = this.proc(c.pid);
    if (p.firstNs < 0) {
      p.firstNs = c.entryNs;
      if (p.execNs < 0) p.execNs = c.entryNs;
    }
    p.calls++;
    if (c.exitNs > p.lastNs) p.lastNs = c.exitNs;
    if (c.exitNs > this.nowNs) this.nowNs = c.exitNs;
    if (c.tid !== c.pid && !this.tidPid.has(c.tid)) this.tidPid.set(c.tid, c.pid);
    let claimed = false;
    if (dets) for (const d of dets) if (d(this, c, p) === true) claimed = true;
    if (c.errno && !claimed) detectFailure(this, c, p);
    if (!c.unfinished && c.exitNs - c.entryNs >= SLOW_FLOOR_NS) {
      const n = c.nr >= 0 && c.nr < this.durCount.length ? this.durCount[c.nr] : 0;
      detectSlow(this, c, p, n ? this.durSum[c.nr] / n : 0, n);
    }
  }

  private other(ev: OtherEvent, seq: number): void {
    if (ev.entryNs > this.nowNs) this.nowNs = ev.entryNs;
    switch (ev.kind) {
      case 'thread': {
        const child = this.proc(ev.pid);
        if (child.firstNs < 0) child.firstNs = child.execNs = ev.entryNs;
        if (ev.parentTid) {
          const parentPid = this.pidOfTid(ev.parentTid);
          if (parentPid !== undefined && parentPid !== ev.pid && child.ppid === 0) this.adopt(this.proc(parentPid), child);
        } else this.evidence?.view(ev.pid); // attached: remember how it sees the system
        this.tidPid.set(ev.tid, ev.pid);
        return;
      }
      case 'exec': {
        const p = this.proc(ev.pid);
        p.exe = ev.path;
        p.execNs = ev.entryNs;
        p.execAnnounced = true;
        if (p.firstNs < 0) p.firstNs = ev.entryNs;
        p.newProgram();
        onExecFds(this, p);
        this.tidPid.set(ev.tid, ev.pid);
        if (this.evidence && !this.evidence.view(ev.pid)?.live) {
          // gone already: a command we launched started out as we are; then the exec's effects
          if (p.ppid === 0) this.evidence.seedFromSelf(ev.pid);
          this.evidence.execed(ev.pid);
        }
        return;
      }
      case 'exit':
        if (ev.processGone) {
          onExit(this, ev, seq);
          this.retire(ev.pid);
        } else this.tidPid.delete(ev.tid);
        return;
      case 'signal':
        onSignalNet(this, ev, seq);
        return;
      default:
        return;
    }
  }

  private readonly tidPid = new Map<number, number>();
  /** processes that exited, by pid: the program they ran (kept for naming peers and children, bounded) */
  readonly gone = new Map<number, string>();

  pidOfTid(tid: number): number | undefined {
    return this.tidPid.get(tid) ?? (this.procs.has(tid) ? tid : undefined);
  }

  /** A process that exited leaves the model (a fork-heavy trace makes many); its name stays a while. */
  retire(pid: number): void {
    const p = this.procs.get(pid);
    if (!p) return;
    this.procs.delete(pid);
    if (this.lastProc === p) this.lastProc = undefined;
    this.tidPid.delete(pid);
    this.gone.set(pid, p.exe);
    if (this.gone.size > 4096) this.gone.delete(this.gone.keys().next().value!);
    this.evidence?.forget(pid);
  }
}
