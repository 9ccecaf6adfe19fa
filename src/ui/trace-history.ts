// The trace history: every drained event gets a sequence number and lives in one ring capped at
// `cap` events in total (the oldest are evicted first). Panes never copy events: they look at
// lists of sequence numbers (per thread, per filter), which are sorted, so a scroll position is
// just a sequence number and survives eviction and filter changes.
//
// Rows are what strace prints: system calls, signals, stops and exits. Thread births, execs and
// detaches are not rows (strace prints no line for them): they update the thread's ThreadInfo.
//
// A call still in progress can be a row of its own (addRunning: its entry half, shown as
// running); when its record comes, it completes in place, in the same slot and with the same
// sequence number. With the timeline (timeline.ts) placing rows in the order their calls began,
// the sequence order is the true time order, in every pane and in the merged timeline.
//
// A held system call costs no JS object at all: what filters and panes look at often sits in
// typed-array columns (kind, errno, pid, tid, entry time), and the rest (the strace text, return
// value, duration, wall time, raw arguments) is one record of bytes in a RecordRing, ~100 bytes
// for a typical call, ~25 when its text repeats one of a little earlier, as a busy trace's do
// (a string per call cost ~24 bytes of header alone, and kept the old generation growing in
// steps). at() rebuilds an event on demand, which only happens for the visible rows and the row
// details; filters read the columns, and search the text's bytes.
import { BatchFlag, type SyscallEvent, type ThreadState, type TraceBatch, type TraceEvent } from '../engine/types.js';
import { syscallEventOfRow } from '../engine/trace-batch.js';
import { eventClasses, filterKey, isFailed, isFilterActive, type TraceFilter } from './filter.js';
import { MAX_NUMBER_BYTES, RecordRing } from './record-ring.js';
import { hasMarks, renderText, type TextForm } from '../engine/record-text.js';

/**
 * Told of each event as the history takes it: a row with its sequence number (a call that
 * completes a running row, with that row's), thread news (no row) with the next number.
 */
export interface HistoryListener {
  feedRow(b: TraceBatch, j: number, seq: number): void;
  feedEvent(ev: TraceEvent, seq: number): void;
}

/** A sorted list of sequence numbers as a pane sees it. Index 0 is the oldest retained entry. */
export interface RowList {
  /** Entries with seq < limit. */
  size(limit: number): number;
  seqAt(i: number): number;
  /** First index whose seq >= seq (size() when none). */
  lowerBound(seq: number): number;
}

/**
 * A growable sorted array of seqs that forgets its front cheaply (8 bytes a row, no garbage).
 * `room`: how many it holds at most once trimmed (the history's cap), which its array grows to
 * and no further while sliding the live part down makes room (a list of a whole history of 200,000
 * rows doubled to 524,288 entries, 4 MB; now 250,000).
 */
export class SeqList implements RowList {
  private arr = new Float64Array(16);
  private start = 0;
  private end = 0;
  private readonly most: number;
  constructor(room = Infinity) {
    this.most = Math.ceil(room * 1.25);
  }
  push(seq: number): void {
    if (this.end === this.arr.length) {
      const live = this.end - this.start;
      // A quarter dead or more (an eighth once as large as it gets): slide the live part down;
      // else grow (past the most only while a filter's list holds rows it has yet to trim).
      const len = this.arr.length;
      if (live * 4 <= len * 3 || (len >= this.most && live * 8 <= len * 7)) {
        this.arr.copyWithin(0, this.start, this.end);
      } else {
        const next = new Float64Array(len < this.most ? Math.min(len * 2, this.most) : Math.ceil(len * 1.25));
        next.set(this.arr.subarray(this.start, this.end));
        this.arr = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.arr[this.end++] = seq;
  }
  get length(): number {
    return this.end - this.start;
  }
  last(): number {
    return this.end > this.start ? this.arr[this.end - 1] : -1;
  }
  seqAt(i: number): number {
    return this.arr[this.start + i];
  }
  lowerBound(seq: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.arr[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.start;
  }
  has(seq: number): boolean {
    const i = this.lowerBound(seq);
    return i < this.length && this.seqAt(i) === seq;
  }
  /** Puts seq in its place (rare: a row that completed in place and now passes a filter). */
  insert(seq: number): void {
    const i = this.lowerBound(seq);
    if (i < this.length && this.seqAt(i) === seq) return;
    this.push(seq); // room for one more
    const at = this.start + i;
    this.arr.copyWithin(at + 1, at, this.end - 1);
    this.arr[at] = seq;
  }
  remove(seq: number): void {
    const i = this.lowerBound(seq);
    if (i >= this.length || this.seqAt(i) !== seq) return;
    const at = this.start + i;
    this.arr.copyWithin(at, at + 1, this.end);
    this.end--;
  }
  size(limit: number): number {
    if (this.last() < limit) return this.length;
    return this.lowerBound(limit);
  }
  /** Forget entries older than `oldest`; give memory back once most of it is dead. */
  trim(oldest: number): void {
    if (this.length === 0 || this.arr[this.start] >= oldest) return;
    this.start += this.lowerBound(oldest);
    if (this.arr.length > 64 && this.length * 4 < this.arr.length) {
      this.arr = this.arr.slice(this.start, this.start + Math.max(16, this.length * 2));
      this.end -= this.start;
      this.start = 0;
    }
  }
}

/** All retained seqs, unfiltered: a range, never materialized. */
class RangeList implements RowList {
  constructor(private readonly h: TraceHistory) {}
  size(limit: number): number {
    return Math.max(0, Math.min(limit, this.h.next) - this.h.oldest);
  }
  seqAt(i: number): number {
    return this.h.oldest + i;
  }
  lowerBound(seq: number): number {
    return Math.max(0, Math.min(seq, this.h.next) - this.h.oldest);
  }
}

/** The rows of one scope that pass one filter, kept up to date incrementally. */
class FilteredList implements RowList {
  readonly list: SeqList;
  /** Every seq below this has been looked at. */
  private upTo = 0;
  /** Completions (TraceHistory.completed) looked at so far. */
  private completedUpTo = 0;
  constructor(
    private readonly h: TraceHistory,
    private readonly tid: number, // ALL_THREADS for every thread
    private readonly filter: TraceFilter,
  ) {
    this.list = new SeqList(h.cap);
  }
  sync(): void {
    const h = this.h;
    // Rows that completed in place since the last look may pass (or fail) the filter now.
    if (this.completedUpTo < h.completedBase) {
      // Too far behind to know which: look at everything again.
      this.list.trim(Infinity);
      this.upTo = 0;
    } else {
      for (let k = this.completedUpTo - h.completedBase; k < h.completed.length; k++) {
        const seq = h.completed[k];
        if (seq < h.oldest || seq >= this.upTo) continue;
        if (this.tid !== ALL_THREADS && h.tidAt(seq) !== this.tid) continue;
        if (h.matches(seq, this.filter)) this.list.insert(seq);
        else this.list.remove(seq);
      }
    }
    this.completedUpTo = h.completedBase + h.completed.length;
    if (this.upTo >= h.next) return;
    const from = Math.max(this.upTo, h.oldest);
    if (this.tid === ALL_THREADS) {
      for (let seq = from; seq < h.next; seq++) {
        if (h.matches(seq, this.filter)) this.list.push(seq);
      }
    } else {
      const src = h.threadRows(this.tid);
      for (let i = src.lowerBound(from), n = src.length; i < n; i++) {
        const seq = src.seqAt(i);
        if (h.matches(seq, this.filter)) this.list.push(seq);
      }
    }
    this.upTo = h.next;
    this.list.trim(h.oldest);
  }
  size(limit: number): number {
    return this.list.size(limit);
  }
  seqAt(i: number): number {
    return this.list.seqAt(i);
  }
  lowerBound(seq: number): number {
    return this.list.lowerBound(seq);
  }
}

export const ALL_THREADS = -1;

export interface ThreadInfo {
  tid: number;
  pid: number;
  exited: boolean;
  /** `+++ exited with 0 +++` once the thread is gone */
  exitText: string;
  /** the thread's name (comm), '' until known (nameThreads) */
  comm: string;
  /** performance.now() when comm was read */
  commAt: number;
  /** the thread that created it (fork, vfork, clone), 0 when attached or unknown */
  parentTid: number;
  /** the program it runs, once it was seen to exec */
  exe: string;
  /** rows of its system calls placed so far (completed or in progress) */
  calls: number;
  /** monotonic ns of its latest row, 0 before any */
  lastNs: number;
  /** calls per second lately (sampleRates) */
  rate: number;
  /** seq of its call in progress (a running row), -1 when none */
  running: number;
  /** bytes that running row's record may grow to in place */
  runningRoom: number;
}

/** Interns short strings (syscall and errno names) as small indices. */
class StringTable {
  private readonly index = new Map<string, number>();
  readonly strings: string[] = [];
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const ARGS = 6;
// flags column
const F_OTHER = 1; // not a syscall: the event object is in `others`
const F_UNFINISHED = 2;
const F_ARGS = 4; // the event came with its raw arguments
const F_RUNNING = 8; // in progress: the text is the entry half; completes in place
const F_MARKED = 16; // the text holds every form of its descriptors and strings (record-text.ts)

/** Marked texts before any form is known: strace's defaults. */
const BARE_FORM: TextForm = { fds: 0, strsize: 32, xflag: 0, tracedX: 0 };

/** F_MARKED for a text that holds marks. */
const markedFlag = (text: string): number => (hasMarks(text) ? F_MARKED : 0);

/** A running row's record keeps this much room beyond its entry text, to complete in place. */
const RUNNING_ROOM = 256;
/** Completions are remembered this long for the filtered lists (beyond it they rebuild). */
const COMPLETED_KEEP = 4096;

/** What a system call is, shared by every call of it: its number, name and classes. */
interface CallKind {
  nr: number;
  name: string;
  classes: number;
}

/** Bytes a call's record can take besides its text: the text's length, 3 numbers, 6 arguments. */
const RECORD_EXTRA = 5 + (3 + ARGS) * MAX_NUMBER_BYTES;
/** The record ring starts at this many bytes per event of the cap, and grows as texts need. */
const START_BYTES_PER_EVENT = 48;
/**
 * A text the same as one written whole within this many bytes per event of the cap is kept as a
 * reference to it (RecordRing's window, which the ring keeps besides the records themselves).
 */
const SHARE_BYTES_PER_EVENT = 8;

export class TraceHistory {
  readonly cap: number;
  // One slot per retained event (seq % cap). What the panes and filters read often is in columns;
  // the rest of a system call is its record in `records` (at the position in posCol); the rarer
  // events (signals, exits, threads, exec...) keep their object in `others`.
  private readonly flags: Uint8Array;
  private readonly pidCol: Int32Array;
  private readonly tidCol: Int32Array;
  private readonly kindCol: Uint16Array;
  private readonly errnoCol: Uint16Array;
  private readonly entryCol: Float64Array;
  private readonly posCol: Uint32Array;
  private readonly records: RecordRing;
  private readonly others = new Map<number, TraceEvent>();
  /** -k: the stacks of the calls that have one, by seq (most calls have none) */
  private readonly stacks = new Map<number, string>();
  /** appendBatch's stacks by row of the batch being appended */
  private batchStacks: Map<number, string> | undefined;
  private readonly kinds: CallKind[] = [];
  private readonly kindIds = new Map<string, number>();
  private readonly errnos = new StringTable();
  /** appendBatch's kind and errno ids by number, for the batches' name tables (one per engine). */
  private batchKinds = new Map<number, number>();
  private batchErrnos = new Map<number, number>();
  private batchNamesOf: TraceBatch['syscallName'] | undefined;
  /** Wall time is kept as its difference from what the monotonic clock says since the first call. */
  private wallBase = NaN;
  private entryBase = NaN;
  /** The text filter's bytes, for searching records without decoding them. */
  private needleText = '';
  private needle = Buffer.alloc(0);
  /** Seqs of rows that completed in place, the oldest first (completed[0] is number completedBase). */
  completed: number[] = [];
  completedBase = 0;
  private runningCount = 0;
  /** Sequence number the next event will get (= events ever appended). */
  next = 0;
  /**
   * The form texts are shown in by at(), textAt(), callAt() and the text filter (the display's:
   * store.ts keeps it so): marked ones (a live trace's: record-text.ts) in its -y, -s and -x,
   * the others in its -x. Until it is set, the trace's own (its first batch says it).
   */
  textForm: TextForm | undefined;
  /** The analysis (src/analysis), fed the rows as they are numbered here. */
  listener: HistoryListener | null = null;
  /** Monotonic ns of the first event: row times are relative to it. */
  firstNs = -1;
  /** Threads in the order first seen. */
  readonly threadOrder: number[] = [];
  readonly threads = new Map<number, ThreadInfo>();
  private readonly perThread = new Map<number, SeqList>();
  private readonly all = new RangeList(this);
  private cacheKey = '';
  private readonly cache = new Map<number, FilteredList>();

  constructor(cap: number) {
    this.cap = Math.max(1, Math.floor(cap));
    const n = this.cap;
    this.flags = new Uint8Array(n);
    this.pidCol = new Int32Array(n);
    this.tidCol = new Int32Array(n);
    this.kindCol = new Uint16Array(n);
    this.errnoCol = new Uint16Array(n);
    this.entryCol = new Float64Array(n);
    this.posCol = new Uint32Array(n);
    this.records = new RecordRing(n * START_BYTES_PER_EVENT, Math.max(4096, n * SHARE_BYTES_PER_EVENT));
    this.errnos.id(''); // index 0: no error
  }

  get oldest(): number {
    return Math.max(0, this.next - this.cap);
  }

  /** Bytes the held events' records take in the ring now (what recordBytes holds room for). */
  get heldRecordBytes(): number {
    const from = this.oldest;
    if (from >= this.next) return 0;
    let i = from;
    while (i < this.next && this.flags[i % this.cap] & F_OTHER) i++;
    return i < this.next ? this.records.head - this.records.absolute(this.posCol[i % this.cap]) : 0;
  }

  /** Bytes held for the events' records (the ring grows by chunks as needed, never shrinks). */
  get recordBytes(): number {
    return this.records.byteLength;
  }

  /** The event with this seq, rebuilt from its slot (a new object each call). */
  at(seq: number): TraceEvent | undefined {
    if (seq < this.oldest || seq >= this.next) return undefined;
    const i = seq % this.cap;
    const f = this.flags[i];
    if (f & F_OTHER) {
      // Signals (SIGIO's si_fd) and calls kept as objects can be marked too.
      const ev = this.others.get(seq);
      return ev && 'text' in ev && hasMarks(ev.text) ? { ...ev, text: this.shown(ev.text, F_MARKED) } : ev;
    }
    const kind = this.kinds[this.kindCol[i]];
    const r = this.records;
    r.seek(r.absolute(this.posCol[i]));
    const text = this.shown(r.getText(), f);
    const rval = r.getNumber();
    const entryNs = this.entryCol[i];
    const exitNs = entryNs + r.getNumber();
    const wallUs = this.wallEstimate(entryNs) + r.getNumber();
    const args: bigint[] = [];
    if (f & F_ARGS) for (let k = 0; k < ARGS; k++) args.push(r.getArg());
    const ev: SyscallEvent = {
      kind: 'syscall',
      pid: this.pidCol[i],
      tid: this.tidCol[i],
      nr: kind.nr,
      name: kind.name,
      classes: kind.classes,
      text,
      rval,
      errno: this.errnos.strings[this.errnoCol[i]],
      entryNs,
      exitNs,
      wallUs,
      args,
      unfinished: (f & F_UNFINISHED) !== 0,
    };
    if (f & F_RUNNING) ev.running = true;
    const stack = this.stacks.get(seq);
    if (stack !== undefined) ev.stack = stack;
    return ev;
  }

  /** A record's text as textForm shows it (flags: its slot's): marked ones in its -y and -s, any in its -x. */
  private shown(text: string, flags: number): string {
    const form = this.textForm ?? BARE_FORM;
    return flags & F_MARKED || form.xflag !== form.tracedX ? renderText(text, form) : text;
  }

  /** What the filters look at, read from the columns without rebuilding the event. */
  classesAt(seq: number): number {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? eventClasses(this.others.get(seq)!) : this.kinds[this.kindCol[i]].classes;
  }
  tidAt(seq: number): number {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? this.others.get(seq)!.tid : this.tidCol[i];
  }
  failedAt(seq: number): boolean {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? isFailed(this.others.get(seq)!) : this.errnoCol[i] !== 0;
  }
  /** matchesFilter(at(seq), f), without rebuilding the event: the text is searched as bytes. */
  matches(seq: number, f: TraceFilter): boolean {
    if (f.trail && !f.trail.has(this, seq)) return false;
    if (f.classes !== 0 && (this.classesAt(seq) & f.classes) === 0) return false;
    if (f.failedOnly && !this.failedAt(seq)) return false;
    if (f.text === '') return true;
    const i = seq % this.cap;
    if (this.flags[i] & (F_OTHER | F_MARKED)) return this.textAt(seq).includes(f.text);
    if (f.text !== this.needleText) {
      this.needleText = f.text;
      this.needle = Buffer.from(f.text, 'utf8');
    }
    const r = this.records;
    r.seek(r.absolute(this.posCol[i]));
    return r.textIncludes(this.needle);
  }
  /**
   * A system call's name, line, result and pid from its columns and record, without its arguments
   * (cheaper than at()); undefined for other rows and seqs not held.
   */
  callAt(seq: number): { pid: number; tid: number; name: string; text: string; rval: number; failed: boolean; running: boolean } | undefined {
    if (seq < this.oldest || seq >= this.next) return undefined;
    const i = seq % this.cap;
    const f = this.flags[i];
    if (f & F_OTHER) return undefined;
    const r = this.records;
    r.seek(r.absolute(this.posCol[i]));
    const text = this.shown(r.getText(), f);
    const rval = r.getNumber();
    return { pid: this.pidCol[i], tid: this.tidCol[i], name: this.kinds[this.kindCol[i]].name, text, rval, failed: this.errnoCol[i] !== 0, running: (f & F_RUNNING) !== 0 };
  }
  pidAt(seq: number): number {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? this.others.get(seq)!.pid : this.pidCol[i];
  }
  textAt(seq: number): string {
    const i = seq % this.cap;
    if (!(this.flags[i] & F_OTHER)) {
      const r = this.records;
      r.seek(r.absolute(this.posCol[i]));
      return this.shown(r.getText(), this.flags[i]);
    }
    const ev = this.others.get(seq)!;
    return 'text' in ev ? this.shown(ev.text, markedFlag(ev.text)) : ev.kind === 'exec' ? ev.path : '';
  }

  /** Make sure a thread shows up (e.g. attached but silent), without any row. */
  noteThread(pid: number, tid: number): ThreadInfo {
    let info = this.threads.get(tid);
    if (!info) {
      info = { tid, pid, exited: false, exitText: '', comm: '', commAt: -Infinity, parentTid: 0, exe: '', calls: 0, lastNs: 0, rate: 0, running: -1, runningRoom: 0 };
      this.threads.set(tid, info);
      this.threadOrder.push(tid);
      this.perThread.set(tid, new SeqList());
    }
    return info;
  }

  private wallEstimate(entryNs: number): number {
    return Math.round(this.wallBase + (entryNs - this.entryBase) / 1000);
  }

  /** The kind id of a call (interned: a few hundred at most). */
  private kindId(nr: number, name: string, classes: number): number {
    const key = `${nr}|${classes}|${name}`;
    let id = this.kindIds.get(key);
    if (id === undefined) {
      id = this.kinds.length;
      if (id > 0xffff) throw new Error('trace history: more than 65,536 kinds of system calls');
      this.kinds.push({ nr, name, classes });
      this.kindIds.set(key, id);
    }
    return id;
  }

  /** The record ring grew and moved the kept records: every slot's position moves alike. */
  private readonly rebase = (shift: number): void => {
    const pos = this.posCol;
    for (let k = 0; k < pos.length; k++) pos[k] = (pos[k] + shift) % 2 ** 32;
  };

  /**
   * Claims slot `seq % cap` for the event with sequence number `seq` (= next): forgets the evicted
   * event's object, and starts its record (of at most `max` bytes) without touching the records
   * of the events still kept. Returns the slot.
   */
  private claim(seq: number, max: number): number {
    const i = seq % this.cap;
    if (this.flags[i] & F_OTHER) this.others.delete(seq - this.cap);
    if (this.stacks.size) this.stacks.delete(seq - this.cap);
    // After this append, the oldest kept event is `keep`: its record and all later ones stay.
    const keep = Math.max(0, seq + 1 - this.cap);
    const r = this.records;
    const tail = keep === seq ? r.head : r.absolute(this.posCol[keep % this.cap]);
    this.posCol[i] = RecordRing.pos32(r.begin(max, tail, this.rebase));
    return i;
  }

  private storeOther(seq: number, ev: TraceEvent): void {
    const i = this.claim(seq, 0);
    this.records.end();
    this.flags[i] = F_OTHER;
    this.others.set(seq, ev);
  }

  /**
   * The record of a call: text, return value, duration, wall time, arguments (lo and hi halves).
   * `room`: bytes to keep for the record beyond what it takes now (a running row's, to complete in
   * place); -1 writes over a record already there (the completion itself), ending nothing.
   */
  private putRecord(text: string, textBytes: number, rval: number, entryNs: number, exitNs: number, wallUs: number, args: Uint32Array | null, argsAt: number, room = 0): void {
    const r = this.records;
    r.putText(text, textBytes, room === 0);
    r.putNumber(rval);
    r.putNumber(exitNs - entryNs);
    if (Number.isNaN(this.wallBase)) {
      this.wallBase = wallUs;
      this.entryBase = entryNs;
    }
    r.putNumber(wallUs - this.wallEstimate(entryNs));
    if (args) for (let k = 0; k < ARGS; k++) r.putArg(args[argsAt + 2 * k], args[argsAt + 2 * k + 1]);
    if (room < 0) return;
    r.skip(room);
    r.end();
  }

  append(events: readonly TraceEvent[]): void {
    for (const ev of events) this.appendOne(ev);
    this.evict();
  }

  /**
   * A drained batch, the same as append(eventsFromBatch(b)) without an object per call: its
   * columns are read row by row into the ring.
   */
  appendBatch(b: TraceBatch): void {
    this.batchStacks = b.stacks?.length ? new Map(b.stacks) : undefined;
    let row = 0;
    for (let k = 0; k <= b.others.length; k++) {
      const end = k < b.others.length ? Math.min(b.order[k], b.count) : b.count;
      if (end > row) this.appendRows(b, row, end);
      row = Math.max(row, end);
      if (k < b.others.length) this.appendOne(b.others[k]);
    }
    this.evict();
  }

  /** One event: a row, the completion of a running row, or news about its thread. */
  appendOne(ev: TraceEvent): void {
    const info = this.noteThread(ev.pid, ev.tid);
    if (this.listener && (ev.kind === 'thread' || ev.kind === 'exec' || ev.kind === 'detach')) this.listener.feedEvent(ev, this.next);
    switch (ev.kind) {
      case 'thread':
        info.exited = false;
        if (ev.parentTid) {
          info.parentTid = ev.parentTid;
          // fork and clone copy the name: a child that exits before it is read keeps its parent's.
          if (!info.comm) info.comm = this.threads.get(ev.parentTid)?.comm ?? '';
        }
        return;
      case 'exec': {
        info.exited = false;
        info.exe = ev.path;
        // The kernel names it after the file execve was given (sh, not the dash it resolves to);
        // read again when it can be.
        info.comm = ev.comm || ev.path.slice(ev.path.lastIndexOf('/') + 1).slice(0, 15);
        info.commAt = -Infinity;
        // A thread other than the leader called execve: it goes on as the leader, and its own
        // tid is gone without an exit status (strace: "+++ superseded by process N +++").
        const old = ev.oldTid !== ev.tid ? this.threads.get(ev.oldTid) : undefined;
        if (old) {
          this.loseRunning(old);
          old.exited = true;
          old.exitText = `+++ superseded by process ${ev.pid} +++`;
        }
        return;
      }
      case 'detach':
        // We let go of it (or it vanished): no more rows will come.
        this.loseRunning(info);
        info.exited = true;
        if (!info.exitText) info.exitText = ev.reason;
        return;
      case 'exit':
        this.loseRunning(info);
        info.exited = true;
        info.exitText = ev.text;
        break;
      case 'syscall': {
        const run = info.running;
        if (run >= 0 && this.completeRunning(info, ev)) {
          this.listener?.feedEvent(ev, run);
          return;
        }
        info.calls++;
        break;
      }
    }
    if (this.firstNs < 0) this.firstNs = ev.entryNs;
    info.lastNs = ev.entryNs;
    const seq = this.next++;
    if (ev.kind !== 'syscall') this.storeOther(seq, ev);
    else this.storeCall(seq, ev);
    this.perThread.get(ev.tid)!.push(seq);
    this.listener?.feedEvent(ev, seq);
  }

  /**
   * A call in progress (from a thread snapshot) becomes a running row now, unless it is one
   * already. Returns its seq, or -1 when the thread is not in a call we show.
   */
  addRunning(t: ThreadState): number {
    if (!t.inSyscall || !t.entryText) return -1;
    const info = this.noteThread(t.pid, t.tid);
    if (info.running >= 0) {
      if (info.running >= this.oldest && this.entryCol[info.running % this.cap] === t.entryNs) return info.running;
      this.loseRunning(info);
    }
    if (this.firstNs < 0) this.firstNs = t.entryNs;
    const seq = this.next++;
    const textBytes = Buffer.byteLength(t.entryText, 'utf8');
    const room = textBytes + RUNNING_ROOM + RECORD_EXTRA;
    const i = this.claim(seq, room);
    this.flags[i] = F_RUNNING | markedFlag(t.entryText);
    this.pidCol[i] = t.pid;
    this.tidCol[i] = t.tid;
    this.kindCol[i] = this.kindId(t.nr, t.name ?? `syscall_${t.nr}`, t.classes ?? 0);
    this.errnoCol[i] = 0;
    this.entryCol[i] = t.entryNs;
    this.putRecord(t.entryText, textBytes, 0, t.entryNs, t.entryNs, t.entryWallUs ?? this.wallEstimate(t.entryNs), null, 0, RUNNING_ROOM);
    info.running = seq;
    info.runningRoom = room;
    info.calls++;
    info.lastNs = t.entryNs;
    this.runningCount++;
    this.perThread.get(t.tid)!.push(seq);
    this.evict();
    return seq;
  }

  /** The call of this running row ended and its record was lost (or it is gone): close it. */
  private loseRunning(info: ThreadInfo): void {
    const seq = info.running;
    if (seq < 0) return;
    info.running = -1;
    this.runningCount--;
    if (seq < this.oldest) return;
    const i = seq % this.cap;
    this.flags[i] = (this.flags[i] & ~F_RUNNING) | F_UNFINISHED;
    this.noteCompleted(seq);
  }

  /** A thread snapshot says these threads are no longer in the call their running row shows; says how many. */
  closeStaleRunning(live: ReadonlyMap<number, ThreadState>): number {
    if (!this.runningCount) return 0;
    let closed = 0;
    for (const info of this.threads.values()) {
      if (info.running < 0) continue;
      const t = live.get(info.tid);
      const entry = info.running >= this.oldest ? this.entryCol[info.running % this.cap] : NaN;
      if (!t || !t.inSyscall || t.entryNs !== entry) {
        this.loseRunning(info);
        closed++;
      }
    }
    return closed;
  }

  /**
   * The thread's running row, completed by this call if it is the same call (the same entry
   * time): written in place, in the room the row kept, or as an object when it does not fit.
   * True when it was.
   */
  private completeRunning(info: ThreadInfo, ev: SyscallEvent): boolean {
    const seq = info.running;
    if (seq < this.oldest) {
      info.running = -1;
      this.runningCount--;
      return false;
    }
    const i = seq % this.cap;
    if (this.entryCol[i] !== ev.entryNs) {
      this.loseRunning(info);
      return false;
    }
    const textBytes = Buffer.byteLength(ev.text, 'utf8');
    if (textBytes + RECORD_EXTRA <= info.runningRoom) {
      const hasArgs = ev.args !== undefined && ev.args.length > 0;
      this.flags[i] = (ev.unfinished ? F_UNFINISHED : 0) | (hasArgs ? F_ARGS : 0) | markedFlag(ev.text);
      this.kindCol[i] = this.kindId(ev.nr, ev.name, ev.classes);
      this.errnoCol[i] = ev.errno ? this.errnos.id(ev.errno) : 0;
      this.records.seek(this.records.absolute(this.posCol[i]));
      this.putRecord(ev.text, textBytes, ev.rval, ev.entryNs, ev.exitNs, ev.wallUs, hasArgs ? argHalves(ev.args) : null, 0, -1);
      if (ev.stack !== undefined) this.stacks.set(seq, ev.stack);
    } else {
      this.flags[i] = F_OTHER;
      this.others.set(seq, ev);
    }
    info.running = -1;
    this.runningCount--;
    this.noteCompleted(seq);
    return true;
  }

  private noteCompleted(seq: number): void {
    this.completed.push(seq);
    if (this.completed.length > COMPLETED_KEEP) {
      const drop = this.completed.length - COMPLETED_KEEP / 2;
      this.completed = this.completed.slice(drop);
      this.completedBase += drop;
    }
  }

  private storeCall(seq: number, ev: SyscallEvent): void {
    const hasArgs = ev.args !== undefined && ev.args.length > 0;
    const textBytes = Buffer.byteLength(ev.text, 'utf8');
    const i = this.claim(seq, textBytes + RECORD_EXTRA);
    this.flags[i] = (ev.unfinished ? F_UNFINISHED : 0) | (hasArgs ? F_ARGS : 0) | markedFlag(ev.text);
    this.pidCol[i] = ev.pid;
    this.tidCol[i] = ev.tid;
    this.kindCol[i] = this.kindId(ev.nr, ev.name, ev.classes);
    this.errnoCol[i] = ev.errno ? this.errnos.id(ev.errno) : 0;
    this.entryCol[i] = ev.entryNs;
    this.putRecord(ev.text, textBytes, ev.rval, ev.entryNs, ev.exitNs, ev.wallUs, hasArgs ? argHalves(ev.args) : null, 0);
    if (ev.stack !== undefined) this.stacks.set(seq, ev.stack);
  }

  /** Rows [from, to) of a batch's system calls, which follow each other with no other event between. */
  appendRows(b: TraceBatch, from: number, to: number): void {
    if (this.firstNs < 0) this.firstNs = b.entryNs[from];
    const marked = b.textForm !== undefined;
    if (marked && !this.textForm) this.textForm = b.textForm;
    if (b.syscallName !== this.batchNamesOf) {
      this.batchNamesOf = b.syscallName;
      this.batchKinds = new Map();
      this.batchErrnos = new Map();
    }
    // The arguments as 32-bit halves (little-endian: the low half first).
    const halves = new Uint32Array(b.args.buffer, b.args.byteOffset, b.args.length * 2);
    let lastTid = NaN;
    let list: SeqList | undefined;
    let info: ThreadInfo | undefined;
    for (let j = from; j < to; j++) {
      const tid = b.tid[j];
      if (tid !== lastTid || !list) {
        info = this.threads.get(tid) ?? this.noteThread(b.pid[j], tid);
        list = this.perThread.get(tid)!;
        lastTid = tid;
      }
      // The end of a call shown running: it completes that row, in place.
      const run = info!.running;
      if (run >= 0 && this.completeRunning(info!, syscallEventOfRow(b, j))) {
        this.listener?.feedRow(b, j, run);
        continue;
      }
      info!.calls++;
      info!.lastNs = b.entryNs[j];
      const seq = this.next++;
      const text = b.texts[j];
      const textBytes = Buffer.byteLength(text, 'utf8');
      const i = this.claim(seq, textBytes + RECORD_EXTRA);
      const f = b.flags[j];
      const hasArgs = (f & BatchFlag.args) !== 0;
      this.flags[i] = (f & BatchFlag.unfinished ? F_UNFINISHED : 0) | (hasArgs ? F_ARGS : 0) | (marked ? markedFlag(text) : 0);
      const nr = b.nr[j];
      const classes = b.classes[j];
      const kindKey = nr * 0x100000 + classes;
      let kind = this.batchKinds.get(kindKey);
      if (kind === undefined) {
        kind = this.kindId(nr, b.syscallName(nr), classes);
        this.batchKinds.set(kindKey, kind);
      }
      this.kindCol[i] = kind;
      const err = b.err[j];
      let errId = 0;
      if (err) {
        errId = this.batchErrnos.get(err) ?? this.errnos.id(b.errnoName(err));
        this.batchErrnos.set(err, errId);
      }
      this.errnoCol[i] = errId;
      this.pidCol[i] = b.pid[j];
      this.tidCol[i] = tid;
      this.entryCol[i] = b.entryNs[j];
      this.putRecord(text, textBytes, b.rval[j], b.entryNs[j], b.exitNs[j], b.wallUs[j], hasArgs ? halves : null, j * ARGS * 2);
      const stack = this.batchStacks?.get(j);
      if (stack !== undefined) this.stacks.set(seq, stack);
      list.push(seq);
      if (this.listener) this.listener.feedRow(b, j, seq);
    }
  }

  /** Forgets what fell out of the ring. */
  evict(): void {
    if (this.next > this.cap) {
      const oldest = this.oldest;
      let gone = false;
      for (const [tid, list] of this.perThread) {
        list.trim(oldest);
        // A thread that exited and has no row left is forgotten (fork-heavy tracees make many).
        if (list.length === 0 && this.threads.get(tid)?.exited) {
          this.perThread.delete(tid);
          this.threads.delete(tid);
          this.cache.delete(tid);
          gone = true;
        }
      }
      if (gone) {
        const kept = this.threadOrder.filter((tid) => this.threads.has(tid));
        this.threadOrder.length = 0;
        this.threadOrder.push(...kept);
      }
    }
  }

  /** Unfiltered rows of one thread. */
  threadRows(tid: number): SeqList {
    let list = this.perThread.get(tid);
    if (!list) {
      list = new SeqList(this.cap);
      this.perThread.set(tid, list);
    }
    return list;
  }

  /** Rows of one thread (or ALL_THREADS) passing `filter`, synced to now. */
  rows(tid: number, filter: TraceFilter): RowList {
    if (!isFilterActive(filter)) return tid === ALL_THREADS ? this.all : this.threadRows(tid);
    const key = filterKey(filter);
    if (key !== this.cacheKey) {
      this.cache.clear();
      this.cacheKey = key;
    }
    let list = this.cache.get(tid);
    if (!list) {
      list = new FilteredList(this, tid, filter);
      this.cache.set(tid, list);
    }
    list.sync();
    return list;
  }

  private rateAt = -1;
  private rateCalls = new Map<number, number>();

  /**
   * Each thread's calls per second over the current window (one to two seconds long; a new
   * trace has rates after a quarter of a second). Called once per drained batch.
   */
  sampleRates(nowMs: number): void {
    if (this.rateAt < 0) this.rateAt = nowMs;
    const dt = nowMs - this.rateAt;
    if (dt < 250) return;
    for (const info of this.threads.values()) info.rate = ((info.calls - (this.rateCalls.get(info.tid) ?? 0)) * 1000) / dt;
    if (dt >= 1000) {
      this.rateAt = nowMs;
      this.rateCalls = new Map([...this.threads.values()].map((i) => [i.tid, i.calls]));
    }
  }

  /**
   * Reads the names of live threads not named yet, and again every few seconds (threads rename);
   * `exitedToo`: of exited threads not named yet too (a log knows the names of its threads).
   */
  nameThreads(read: (tid: number) => string, nowMs: number, budget = 256, exitedToo = false): void {
    for (const info of this.threads.values()) {
      if (budget <= 0) return;
      if ((info.exited && (!exitedToo || info.comm)) || (info.comm && nowMs - info.commAt < 3000)) continue;
      budget--;
      info.commAt = nowMs;
      info.comm = read(info.tid) || info.comm;
    }
  }

  /** Threads of one process, in the order first seen. */
  threadsOf(pid: number): number[] {
    return this.threadOrder.filter((tid) => this.threads.get(tid)?.pid === pid);
  }
}

/** A call's raw arguments as 32-bit halves, the low half first (the record's form). */
function argHalves(args: readonly bigint[]): Uint32Array {
  const halves = new Uint32Array(ARGS * 2);
  for (let k = 0; k < ARGS; k++) {
    const a = BigInt.asUintN(64, args[k] ?? 0n);
    halves[2 * k] = Number(a & 0xffffffffn);
    halves[2 * k + 1] = Number(a >> 32n);
  }
  return halves;
}

