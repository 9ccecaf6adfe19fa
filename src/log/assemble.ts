// strace log lines -> the records the engine produces (SyscallEvent, SignalEvent, StopEvent,
// ExitEvent), so that everything above the engine works the same on a live trace and a loaded log.
//
// What the log leaves implicit is worked out as strace's own output allows:
// - whose a line is: its prefix; a -ff file's .PID; lines without either belong to the only traced
//   thread (strace drops the prefix while one is left), whose pid the first lines tell (a `[pid N]`
//   that no clone returned, or what set_tid_address/gettid/getpid returned);
// - `<unfinished ...>` and `<... NAME resumed>` halves are joined into one call, completed at the
//   second half, as the engine completes a call at its exit;
// - thread groups: a clone with CLONE_THREAD makes a thread of the caller's process, any other clone,
//   fork or vfork a process;
// - times: -ttt is wall-clock time, -t/-tt a time of day (dated by the file's modification time), -r
//   a sum of gaps; -T the duration, or for a split call the gap between its halves' timestamps;
// - thread names (comm): -Y prefixes, execve's program, prctl(PR_SET_NAME), inherited at clone/fork.
// Memory stays bounded: per live thread one pending half and a few fields, nothing per line.
import { addCounter, countCall, emptyCounter, type ThreadCounter } from '../engine/counters.js';
import type { CounterRow, ExitEvent, OtherEvent, SignalEvent, StopEvent, SyscallEvent } from '../engine/types.js';
import { parseResult, parseTableRow, type TableRow } from './line.js';
import { errnoNumber, signalNumber, syscallId } from './names.js';
import { snippet, type LogFile, type LogReader, type ReadLine } from './reader.js';

export type CallStatus = 'successful' | 'failed' | 'unfinished' | 'unavailable' | 'detached';

/** One step of the log: what one line (or, for a joined call, its second half) became. */
export type LogItem =
  /** a completed call; `first` is its unfinished half when it was split, `line` the line that completed it */
  | {
      kind: 'call';
      event: SyscallEvent;
      line: ReadLine;
      first: ReadLine | null;
      status: CallStatus;
      truncated: boolean;
      /** a clone, fork or vfork that succeeded: the new thread, and whether it is a thread of the caller */
      child: { pid: number; thread: boolean } | null;
    }
  /** the first half of a split call, waiting for its second */
  | { kind: 'half'; line: ReadLine; pid: number; tid: number; nr: number; name: string }
  | { kind: 'event'; event: OtherEvent; line: ReadLine }
  /** strace's notes and -c table lines: read, but no record */
  | { kind: 'note' | 'table'; line: ReadLine }
  /** a line that is not strace's (a program's output mixed into the log, garbage) */
  | { kind: 'bad'; line: ReadLine };

interface Pending {
  line: ReadLine;
  name: string;
}

interface Thread {
  pid: number;
  live: boolean;
  comm: string;
  pending: Pending | null;
  /** -c counters by syscall number */
  counts: Map<number, ThreadCounter>;
}

const DETACHED_TAIL = ' <detached ...>';
/** Lines looked at before the first one without a pid is given one. */
const LOOKAHEAD = 20_000;
const COMM_MAX = 15; // TASK_COMM_LEN - 1
const BORN_MAX = 4096;
const NAMES_MAX = 65536;
const GONE_MAX = 8192;
const CLONES = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** `"/usr/bin/ls"` at the start of s, unescaped enough for a program name. */
function firstQuoted(s: string, from: number): string | undefined {
  const q = s.indexOf('"', from);
  if (q < 0) return undefined;
  let out = '';
  for (let i = q + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') return out;
    if (c === '\\') {
      const e = s[++i];
      if (e === 'x') {
        out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (e >= '0' && e <= '7') {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i))![0];
        out += String.fromCharCode(parseInt(oct, 8));
        i += oct.length - 1;
      } else out += ({ n: '\n', t: '\t', r: '\r', v: '\v', f: '\f' } as Record<string, string>)[e] ?? e;
      continue;
    }
    out += c;
  }
  return undefined;
}

export class LogAssembler {
  /** threads seen and not gone, in the order first seen */
  readonly threads = new Map<number, Thread>();
  /**
   * Counters of threads that are gone, the most recent GONE_MAX of them; older ones are summed per
   * process (tid 0), and the oldest processes into one pool (pid and tid 0): a fork-heavy log keeps
   * memory bounded, and the counters of everything stay exact.
   */
  private readonly goneThreads = new Map<number, { pid: number; counts: Map<number, ThreadCounter> }>();
  private readonly goneProcesses = new Map<number, Map<number, ThreadCounter>>();
  private readonly gone = new Map<number, ThreadCounter>();
  /** each thread's names, from the record they start at (the most recent threads') */
  private readonly names = new Map<number, { at: number; comm: string }[]>();
  /** threads a clone returned that have not printed yet: their process and inherited name */
  private readonly born = new Map<number, { pid: number; comm: string }>();
  /** the -c table found in the log, if any (the last one) */
  table: TableRow[] = [];
  private tableOpen = false;
  /** lines read (logical), lines not strace's, and the first of those */
  lines = 0;
  badLines = 0;
  firstBad: ReadLine | null = null;
  /** the last line of a file was cut short */
  truncated: ReadLine[] = [];
  /** threads and processes the log has shown so far */
  threadsSeen = 0;
  processesSeen = 0;
  /** the log has -T durations */
  hasDurations = false;
  events = 0;
  /** per file: the thread lines without a pid belong to, when more than one is traced */
  private sole: number[] = [];
  private ahead: ReadLine[] = [];
  private aheadAt = 0;
  private flushed: LogItem[] = [];
  private ended = false;
  private readonly files: LogFile[];

  constructor(private readonly reader: LogReader) {
    this.files = reader.files;
    this.sole = this.files.map((f) => f.pid);
  }

  /**
   * The next item, or null once the log is read (pending halves are flushed as unfinished calls
   * first). Throws the reader's LogError (a file that is not a strace log, or cannot be read).
   */
  next(): LogItem | null {
    if (this.flushed.length) return this.flushed.shift()!;
    const line = this.read();
    if (!line) {
      if (!this.ended) {
        this.ended = true;
        this.flushPending();
        if (this.flushed.length) return this.flushed.shift()!;
      }
      return null;
    }
    this.lines++;
    return this.item(line);
  }

  private read(): ReadLine | null {
    if (this.aheadAt < this.ahead.length) {
      const l = this.ahead[this.aheadAt++];
      if (this.aheadAt === this.ahead.length) {
        this.ahead = [];
        this.aheadAt = 0;
      }
      return l;
    }
    const l = this.reader.next();
    if (l && this.lines === 0 && l.parsed.pid === 0 && !this.sole[l.file]) this.lookAhead(l);
    return this.aheadAt < this.ahead.length ? this.read() : l;
  }

  /**
   * The first line has no pid: find it further on. strace prefixes lines once a second thread is
   * traced, so the first `[pid N]` that is not a new child is the first thread; before that, what
   * set_tid_address, gettid or getpid returned tells it. A child may print before its parent's clone
   * returns: while the first thread's clone is open, a new pid is that child, unless its line is
   * the clone's own second half.
   */
  private lookAhead(first: ReadLine): void {
    this.ahead = [first];
    const children = new Set<number>();
    let cloneOpen = false;
    let found = 0;
    const result = (l: ReadLine) => (l.parsed.resultAt > 0 ? parseResult(l.text.slice(l.parsed.resultAt, l.parsed.bodyEnd)).rval : NaN);
    for (let l: ReadLine | null = first; l && !found && this.ahead.length < LOOKAHEAD; ) {
      const p = l.parsed;
      const clone = CLONES.has(p.name);
      if (p.pid === 0 && l.file === first.file) {
        if (p.kind === 'unfinished' && clone) cloneOpen = true;
        else if (['set_tid_address', 'gettid', 'getpid'].includes(p.name) && result(l) > 0) found = result(l);
        else if (clone && result(l) > 0) children.add(result(l));
      } else if (p.pid > 0 && !children.has(p.pid)) {
        if (!cloneOpen || (p.kind === 'resumed' && clone)) found = p.pid;
        else children.add(p.pid);
      }
      if (clone && p.kind !== 'unfinished' && result(l) > 0) children.add(result(l));
      if (found) break;
      l = this.reader.next();
      if (l) this.ahead.push(l);
    }
    this.sole[first.file] = found;
    this.aheadAt = 0;
  }

  private thread(tid: number, pid = tid): Thread {
    let t = this.threads.get(tid);
    if (!t) {
      t = { pid, live: true, comm: '', pending: null, counts: new Map() };
      this.threads.set(tid, t);
      this.threadsSeen++;
      if (pid === tid) this.processesSeen++;
    }
    return t;
  }

  /** Whose line this is. */
  private tidOf(l: ReadLine): number {
    if (l.parsed.pid) return l.parsed.pid;
    const hint = this.files[l.file].pid;
    if (hint) return hint;
    // strace drops the prefix while one thread is traced: that one.
    let only = 0;
    let live = 0;
    for (const [tid, t] of this.threads) {
      if (t.live) {
        live++;
        only = tid;
        if (live > 1) break;
      }
    }
    if (live === 1) this.sole[l.file] = only;
    return this.sole[l.file];
  }

  /**
   * A thread's first line: its process and name are those a clone that returned it gave; while a
   * clone is in progress, that of the caller when it has CLONE_THREAD; else its own.
   */
  private newThread(tid: number): Thread {
    const b = this.born.get(tid);
    if (b) {
      this.born.delete(tid);
      const t = this.thread(tid, b.pid);
      this.setComm(tid, t, b.comm, this.events);
      return t;
    }
    for (const [, t] of this.threads) {
      const p = t.pending;
      if (p && t.live && CLONES.has(p.name)) {
        const c = this.thread(tid, p.name.startsWith('clone') && p.line.text.includes('CLONE_THREAD') ? t.pid : tid);
        this.setComm(tid, c, t.comm, this.events);
        return c;
      }
    }
    return this.thread(tid);
  }

  private item(l: ReadLine): LogItem {
    const p = l.parsed;
    switch (p.kind) {
      case 'call':
      case 'resumed':
        if (p.resultAt < 0 && !l.noNewline) return this.bad(l);
        return this.complete(l);
      case 'unfinished': {
        const tid = this.tidOf(l);
        const t = this.threads.get(tid) ?? this.newThread(tid);
        this.noteComm(tid, t, l);
        if (t.pending) this.flushed.push(this.finish(tid, t, t.pending, null, 'unfinished'));
        t.pending = { line: l, name: p.name };
        t.live = true;
        const half: LogItem = { kind: 'half', line: l, pid: t.pid, tid, nr: syscallId(p.name).nr, name: p.name };
        if (this.flushed.length) {
          this.flushed.push(half);
          return this.flushed.shift()!;
        }
        return half;
      }
      case 'signal':
      case 'stop':
      case 'exit':
        return this.lifecycle(l);
      case 'table': {
        const row = parseTableRow(l.text);
        if (l.text.startsWith('% time')) {
          this.table = [];
          this.tableOpen = true;
        } else if (row && this.tableOpen) this.table.push(row);
        return { kind: 'table', line: l };
      }
      case 'note':
        return { kind: 'note', line: l };
      default:
        return this.bad(l);
    }
  }

  private bad(l: ReadLine): LogItem {
    if (l.noNewline && l.text.trim() !== '') {
      // The last line, cut before strace could finish it: kept, and said to be cut.
      this.truncated.push(l);
      return { kind: 'bad', line: l };
    }
    if (l.text.trim() === '') return { kind: 'note', line: l };
    this.badLines++;
    this.firstBad ??= l;
    return { kind: 'bad', line: l };
  }

  private noteComm(tid: number, t: Thread, l: ReadLine): void {
    if (l.parsed.comm) this.setComm(tid, t, l.parsed.comm, this.events);
  }

  /** A thread's name from the record numbered `at` on (records are numbered in the order they are handed out). */
  private setComm(tid: number, t: Thread, comm: string, at: number): void {
    if (!comm || comm === t.comm) return;
    t.comm = comm;
    let list = this.names.get(tid);
    if (!list) {
      this.names.set(tid, (list = []));
      // Names of long-gone threads go first: a fork-heavy log leaves no trail.
      if (this.names.size > NAMES_MAX) this.names.delete(this.names.keys().next().value!);
    }
    list.push({ at, comm });
  }

  /** A whole call, or the second half of one. */
  private complete(l: ReadLine): LogItem {
    const p = l.parsed;
    const tid = this.tidOf(l);
    const t = this.threads.get(tid) ?? this.newThread(tid);
    t.live = true;
    this.noteComm(tid, t, l);
    let pending: Pending | null = null;
    if (p.kind === 'resumed') {
      if (t.pending && t.pending.name === p.name) {
        pending = t.pending;
        t.pending = null;
      } else if (t.pending) {
        this.flushed.push(this.finish(tid, t, t.pending, null, 'unfinished'));
        t.pending = null;
      }
    }
    const item = this.finish(tid, t, pending, l, null);
    if (this.flushed.length) {
      this.flushed.push(item);
      return this.flushed.shift()!;
    }
    return item;
  }

  /**
   * The record of a call: from its first half (pending) and/or the line that completed it (l).
   * `forced` marks a call that never completed in the log.
   */
  private finish(tid: number, t: Thread, pending: Pending | null, l: ReadLine | null, forced: CallStatus | null): LogItem {
    const line = l ?? pending!.line;
    const name = pending ? pending.name : line.parsed.name;
    let text: string;
    let resultText = '';
    let truncated = false;
    if (l) {
      const p = l.parsed;
      const head = pending ? pending.line.text.slice(pending.line.parsed.bodyAt, pending.line.parsed.bodyEnd) : '';
      // a resumed half's own text starts after `<... NAME resumed>`
      const from = p.kind === 'resumed' ? l.text.indexOf('>', p.bodyAt) + 1 : p.bodyAt;
      const resumedBare = p.kind === 'resumed' && !pending;
      const start = resumedBare ? p.bodyAt : from;
      if (p.resultAt > 0 && p.argsEnd > 0) {
        resultText = l.text.slice(p.resultAt, p.bodyEnd);
        text = head + l.text.slice(start, p.argsEnd) + ' = ' + resultText;
      } else {
        // The file's last line, cut short: shown as it is, and marked.
        truncated = true;
        this.truncated.push(l);
        text = head + l.text.slice(start, p.bodyEnd) + ' <truncated ...>';
      }
    } else {
      text = pending!.line.text.slice(pending!.line.parsed.bodyAt);
    }
    const r = resultText ? parseResult(resultText) : { rval: NaN, errno: '', unfinished: true, unavailable: false };
    let status: CallStatus = forced ?? 'successful';
    if (!forced) {
      if (truncated || r.unfinished) status = 'unfinished';
      else if (r.unavailable) status = 'unavailable';
      else if (r.errno) status = 'failed';
    }
    if (!l && pending!.line.text.endsWith(DETACHED_TAIL)) status = 'detached';
    const errno = r.errno;
    const rval = errno ? (Number.isNaN(r.rval) ? -errnoNumber(errno) : r.rval) : Number.isNaN(r.rval) ? 0 : r.rval;
    const id = syscallId(name);
    const { entryUs, wallUs } = pending ? pending.line : line;
    let durUs = l ? l.parsed.durUs : NaN;
    if (!Number.isNaN(durUs)) this.hasDurations = true;
    else if (pending && l && this.reader.clock !== 'none' && l.entryUs >= entryUs) {
      // Split without -T: the second half was printed as the call returned.
      durUs = l.entryUs - entryUs;
    }
    const unfinished = status === 'unfinished' || status === 'detached';
    const ev: SyscallEvent = {
      kind: 'syscall',
      pid: t.pid,
      tid,
      nr: id.nr,
      name,
      classes: id.classes,
      text,
      rval,
      errno,
      entryNs: entryUs * 1000,
      exitNs: Number.isNaN(durUs) ? NaN : (entryUs + durUs) * 1000,
      wallUs,
      args: [],
      unfinished,
    };
    if (!unfinished && status !== 'unavailable') this.count(t, ev, durUs);
    let child: { pid: number; thread: boolean } | null = null;
    if (status === 'successful') child = this.learn(tid, t, name, text, rval);
    this.events++;
    return { kind: 'call', event: ev, line, first: l ? pending?.line ?? null : null, status, truncated, child };
  }

  private count(t: Thread, ev: SyscallEvent, durUs: number): void {
    let c = t.counts.get(ev.nr);
    if (!c) t.counts.set(ev.nr, (c = { ...emptyCounter(ev.nr, ev.name), pid: ev.pid, tid: ev.tid }));
    countCall(c, ev.errno !== '', Number.isNaN(durUs) ? 0 : durUs * 1000);
  }

  /** Adds counters into a pool keyed by syscall number, as rows of (pid, tid). */
  private static fold(into: Map<number, ThreadCounter>, from: Iterable<ThreadCounter>, pid: number, tid: number): void {
    for (const c of from) addCounter(into, c, (r) => ({ ...r, pid, tid }));
  }

  /**
   * A thread is gone: its counters are kept as they are, unless too many threads are gone already;
   * then the oldest gone thread's go to its process's pool, and the oldest pool to the last one.
   */
  private forget(tid: number, t: Thread): void {
    this.threads.delete(tid);
    this.goneThreads.delete(tid); // a pid used again
    this.goneThreads.set(tid, { pid: t.pid, counts: t.counts });
    if (this.goneThreads.size <= GONE_MAX) return;
    const [oldTid, old] = this.goneThreads.entries().next().value!;
    this.goneThreads.delete(oldTid);
    let pool = this.goneProcesses.get(old.pid);
    if (!pool) this.goneProcesses.set(old.pid, (pool = new Map()));
    LogAssembler.fold(pool, old.counts.values(), old.pid, 0);
    if (this.goneProcesses.size <= GONE_MAX) return;
    const [oldPid, oldPool] = this.goneProcesses.entries().next().value!;
    this.goneProcesses.delete(oldPid);
    LogAssembler.fold(this.gone, oldPool.values(), 0, 0);
  }

  /** What a successful call tells about threads: new ones (clone...), names (execve, prctl). */
  private learn(tid: number, t: Thread, name: string, text: string, rval: number): { pid: number; thread: boolean } | null {
    if (CLONES.has(name) && rval > 0) {
      const thread = name.startsWith('clone') && text.includes('CLONE_THREAD');
      const child = this.threads.get(rval);
      if (!child) {
        this.born.set(rval, { pid: thread ? t.pid : rval, comm: t.comm });
        // Without -f children never print: forget the oldest rather than grow.
        if (this.born.size > BORN_MAX) this.born.delete(this.born.keys().next().value!);
      } else if (!child.comm) this.setComm(rval, child, t.comm, this.events);
      return { pid: thread ? t.pid : rval, thread };
    } else if (name === 'execve' || name === 'execveat') {
      const path = firstQuoted(text, name === 'execveat' ? text.indexOf(',') : name.length);
      if (path !== undefined) this.setComm(tid, t, path.slice(path.lastIndexOf('/') + 1).slice(0, COMM_MAX), this.events + 1);
    } else if (name === 'prctl' && text.startsWith('prctl(PR_SET_NAME, ')) {
      const comm = firstQuoted(text, 'prctl(PR_SET_NAME, '.length);
      if (comm !== undefined) this.setComm(tid, t, comm.slice(0, COMM_MAX), this.events + 1);
    }
    return null;
  }

  private lifecycle(l: ReadLine): LogItem {
    const p = l.parsed;
    const tid = this.tidOf(l);
    const t = this.threads.get(tid) ?? this.newThread(tid);
    this.noteComm(tid, t, l);
    const text = l.text.slice(p.bodyAt);
    const base = { pid: t.pid, tid, text, wallUs: l.wallUs, entryNs: l.entryUs * 1000 };
    let event: OtherEvent;
    if (p.kind === 'exit') {
      if (t.pending) this.flushed.push(this.finish(tid, t, t.pending, null, 'unfinished'));
      t.pending = null;
      t.live = false;
      let others = false;
      for (const [, o] of this.threads) if (o !== t && o.live && o.pid === t.pid) others = true;
      const signo = p.signal ? signalNumber(p.signal) : 0;
      const ev: ExitEvent = { kind: 'exit', ...base, code: p.code, signo, core: p.core, processGone: !others };
      event = ev;
      this.forget(tid, t);
    } else if (p.kind === 'stop') {
      const ev: StopEvent = { kind: 'stop', ...base, signo: signalNumber(p.name), name: p.name };
      event = ev;
    } else {
      const ev: SignalEvent = { kind: 'signal', ...base, signo: signalNumber(p.name), name: p.name };
      event = ev;
    }
    this.events++;
    const item: LogItem = { kind: 'event', event, line: l };
    if (this.flushed.length) {
      this.flushed.push(item);
      return this.flushed.shift()!;
    }
    return item;
  }

  /** At the end: every call still waiting for its second half never returned within the log. */
  private flushPending(): void {
    for (const [tid, t] of this.threads) {
      if (t.pending) {
        this.flushed.push(this.finish(tid, t, t.pending, null, 'unfinished'));
        t.pending = null;
      }
    }
  }

  /** Threads still in a call at this point of the log (their first half read, not yet the second). */
  inCall(): { tid: number; pid: number; name: string; text: string; entryNs: number; wallUs: number }[] {
    const out = [];
    for (const [tid, t] of this.threads) {
      if (t.pending && t.live) {
        const pl = t.pending.line;
        out.push({ tid, pid: t.pid, name: t.pending.name, text: pl.text.slice(pl.parsed.bodyAt, pl.parsed.bodyEnd), entryNs: pl.entryUs * 1000, wallUs: pl.wallUs });
      }
    }
    return out;
  }

  /** The -c table found in the log as counter rows (no minimum or maximum: strace prints none). */
  tableCounters(): CounterRow[] {
    return this.table.map((r, nr) => ({ nr, name: r.name, calls: r.calls, errors: r.errors, timeNs: r.seconds * 1e9, minNs: 0, maxNs: 0 }));
  }

  /**
   * -c counters so far: a row per thread and call (threads gone long ago: per process, tid 0, or in
   * one pool, pid and tid 0). Sum them for a scope.
   */
  counterRows(): ThreadCounter[] {
    const out: ThreadCounter[] = [];
    for (const t of this.threads.values()) for (const c of t.counts.values()) out.push(c);
    for (const t of this.goneThreads.values()) for (const c of t.counts.values()) out.push(c);
    for (const pool of this.goneProcesses.values()) out.push(...pool.values());
    out.push(...this.gone.values());
    return out;
  }

  resetCounters(): void {
    for (const t of this.threads.values()) t.counts.clear();
    this.goneThreads.clear();
    this.goneProcesses.clear();
    this.gone.clear();
  }

  /** What went wrong while reading, one line each: lines that were not strace's, a last line cut short. */
  problems(): string[] {
    const out: string[] = [];
    if (this.badLines) {
      const l = this.firstBad!;
      out.push(`${this.files[l.file].path}: ${this.badLines} line${this.badLines > 1 ? 's are' : ' is'} not strace output and ${this.badLines > 1 ? 'were' : 'was'} skipped (first: line ${l.lineNo}, ${snippet(l.text)})`);
    }
    for (const l of this.truncated) out.push(`${this.files[l.file].path}:${l.lineNo}: the last line is cut short (truncated): ${snippet(l.text)}`);
    return out;
  }

  /**
   * The thread's name as the log tells it, '' when it does not: its latest, or the one it had at the
   * record numbered `at` (0 for the first item next() handed out that was a call or an event).
   */
  comm(tid: number, at = Infinity): string {
    const list = this.names.get(tid);
    if (!list) return '';
    for (let i = list.length - 1; i >= 0; i--) if (list[i].at <= at) return list[i].comm;
    return '';
  }
}

