// The trace history: every drained event gets a sequence number and lives in one ring capped at
// `cap` events in total (the oldest are evicted first). Panes never copy events: they look at
// lists of sequence numbers (per thread, per filter), which are sorted, so a scroll position is
// just a sequence number and survives eviction and filter changes.
//
// A held system call costs no JS object at all: what filters and panes look at often sits in
// typed-array columns (kind, errno, pid, tid, entry time), and the rest (the strace text, return
// value, duration, wall time, raw arguments) is one record of bytes in a RecordRing, ~100 bytes
// for a typical call (a string per call cost ~24 bytes of header alone, and kept the old
// generation growing in steps). at() rebuilds an event on demand, which only happens for the
// visible rows and the row details; filters read the columns, and search the text's bytes.
import { BatchFlag, type SyscallEvent, type TraceBatch, type TraceEvent } from '../engine/types.js';
import { eventClasses, filterKey, isFailed, isFilterActive, type TraceFilter } from './filter.js';
import { MAX_NUMBER_BYTES, RecordRing } from './record-ring.js';

/** A sorted list of sequence numbers as a pane sees it. Index 0 is the oldest retained entry. */
export interface RowList {
  /** Entries with seq < limit. */
  size(limit: number): number;
  seqAt(i: number): number;
  /** First index whose seq >= seq (size() when none). */
  lowerBound(seq: number): number;
}

/** A growable sorted array of seqs that forgets its front cheaply (8 bytes a row, no garbage). */
export class SeqList implements RowList {
  private arr = new Float64Array(16);
  private start = 0;
  private end = 0;
  push(seq: number): void {
    if (this.end === this.arr.length) {
      const live = this.end - this.start;
      // Half dead or more: slide the live part down; else grow.
      if (live * 2 <= this.arr.length) {
        this.arr.copyWithin(0, this.start, this.end);
      } else {
        const next = new Float64Array(this.arr.length * 2);
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
  readonly list = new SeqList();
  /** Every seq below this has been looked at. */
  private upTo = 0;
  constructor(
    private readonly h: TraceHistory,
    private readonly tid: number, // ALL_THREADS for every thread
    private readonly filter: TraceFilter,
  ) {}
  sync(): void {
    const h = this.h;
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
  /** Sequence number the next event will get (= events ever appended). */
  next = 0;
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
    this.records = new RecordRing(n * START_BYTES_PER_EVENT);
    this.errnos.id(''); // index 0: no error
  }

  get oldest(): number {
    return Math.max(0, this.next - this.cap);
  }

  /** Bytes held for the events' records (they double as needed, never shrink). */
  get recordBytes(): number {
    return this.records.byteLength;
  }

  /** The event with this seq, rebuilt from its slot (a new object each call). */
  at(seq: number): TraceEvent | undefined {
    if (seq < this.oldest || seq >= this.next) return undefined;
    const i = seq % this.cap;
    const f = this.flags[i];
    if (f & F_OTHER) return this.others.get(seq);
    const kind = this.kinds[this.kindCol[i]];
    const r = this.records;
    r.seek(r.absolute(this.posCol[i]));
    const text = r.getText();
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
    return ev;
  }

  /** What the filters look at, read from the columns without rebuilding the event. */
  classesAt(seq: number): number {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? eventClasses(this.others.get(seq)!) : this.kinds[this.kindCol[i]].classes;
  }
  failedAt(seq: number): boolean {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? isFailed(this.others.get(seq)!) : this.errnoCol[i] !== 0;
  }
  /** matchesFilter(at(seq), f), without rebuilding the event: the text is searched as bytes. */
  matches(seq: number, f: TraceFilter): boolean {
    if (f.classes !== 0 && (this.classesAt(seq) & f.classes) === 0) return false;
    if (f.failedOnly && !this.failedAt(seq)) return false;
    if (f.text === '') return true;
    const i = seq % this.cap;
    if (this.flags[i] & F_OTHER) return this.textAt(seq).includes(f.text);
    if (f.text !== this.needleText) {
      this.needleText = f.text;
      this.needle = Buffer.from(f.text, 'utf8');
    }
    const r = this.records;
    r.seek(r.absolute(this.posCol[i]));
    return r.textIncludes(this.needle);
  }
  textAt(seq: number): string {
    const i = seq % this.cap;
    if (!(this.flags[i] & F_OTHER)) {
      const r = this.records;
      r.seek(r.absolute(this.posCol[i]));
      return r.getText();
    }
    const ev = this.others.get(seq)!;
    return 'text' in ev ? ev.text : ev.kind === 'exec' ? ev.path : '';
  }

  /** Make sure a thread shows up (e.g. attached but silent), without any row. */
  noteThread(pid: number, tid: number): ThreadInfo {
    let info = this.threads.get(tid);
    if (!info) {
      info = { tid, pid, exited: false, exitText: '' };
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

  /** The record of a call: text, return value, duration, wall time, arguments (lo and hi halves). */
  private putRecord(text: string, textBytes: number, rval: number, entryNs: number, exitNs: number, wallUs: number, args: Uint32Array | null, argsAt: number): void {
    const r = this.records;
    r.putText(text, textBytes);
    r.putNumber(rval);
    r.putNumber(exitNs - entryNs);
    if (Number.isNaN(this.wallBase)) {
      this.wallBase = wallUs;
      this.entryBase = entryNs;
    }
    r.putNumber(wallUs - this.wallEstimate(entryNs));
    if (args) for (let k = 0; k < ARGS; k++) r.putArg(args[argsAt + 2 * k], args[argsAt + 2 * k + 1]);
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
    let row = 0;
    for (let k = 0; k <= b.others.length; k++) {
      const end = k < b.others.length ? Math.min(b.order[k], b.count) : b.count;
      if (end > row) this.appendRows(b, row, end);
      row = Math.max(row, end);
      if (k < b.others.length) this.appendOne(b.others[k]);
    }
    this.evict();
  }

  private appendOne(ev: TraceEvent): void {
    if (this.firstNs < 0) this.firstNs = ev.entryNs;
    const info = this.noteThread(ev.pid, ev.tid);
    if (ev.kind === 'exit') {
      info.exited = true;
      info.exitText = ev.text;
    } else if (ev.kind === 'thread' || ev.kind === 'exec') {
      info.exited = false;
    }
    const seq = this.next++;
    if (ev.kind !== 'syscall') this.storeOther(seq, ev);
    else this.storeCall(seq, ev);
    this.perThread.get(ev.tid)!.push(seq);
  }

  private storeCall(seq: number, ev: SyscallEvent): void {
    const hasArgs = ev.args !== undefined && ev.args.length > 0;
    const textBytes = Buffer.byteLength(ev.text, 'utf8');
    const i = this.claim(seq, textBytes + RECORD_EXTRA);
    this.flags[i] = (ev.unfinished ? F_UNFINISHED : 0) | (hasArgs ? F_ARGS : 0);
    this.pidCol[i] = ev.pid;
    this.tidCol[i] = ev.tid;
    this.kindCol[i] = this.kindId(ev.nr, ev.name, ev.classes);
    this.errnoCol[i] = ev.errno ? this.errnos.id(ev.errno) : 0;
    this.entryCol[i] = ev.entryNs;
    let halves: Uint32Array | null = null;
    if (hasArgs) {
      halves = new Uint32Array(ARGS * 2);
      for (let k = 0; k < ARGS; k++) {
        const a = BigInt.asUintN(64, ev.args[k] ?? 0n);
        halves[2 * k] = Number(a & 0xffffffffn);
        halves[2 * k + 1] = Number(a >> 32n);
      }
    }
    this.putRecord(ev.text, textBytes, ev.rval, ev.entryNs, ev.exitNs, ev.wallUs, halves, 0);
  }

  /** Rows [from, to) of a batch's system calls, which follow each other with no other event between. */
  private appendRows(b: TraceBatch, from: number, to: number): void {
    if (this.firstNs < 0) this.firstNs = b.entryNs[from];
    if (b.syscallName !== this.batchNamesOf) {
      this.batchNamesOf = b.syscallName;
      this.batchKinds = new Map();
      this.batchErrnos = new Map();
    }
    // The arguments as 32-bit halves (little-endian: the low half first).
    const halves = new Uint32Array(b.args.buffer, b.args.byteOffset, b.args.length * 2);
    let lastTid = NaN;
    let list: SeqList | undefined;
    for (let j = from; j < to; j++) {
      const seq = this.next++;
      const text = b.texts[j];
      const textBytes = Buffer.byteLength(text, 'utf8');
      const i = this.claim(seq, textBytes + RECORD_EXTRA);
      const f = b.flags[j];
      const hasArgs = (f & BatchFlag.args) !== 0;
      this.flags[i] = (f & BatchFlag.unfinished ? F_UNFINISHED : 0) | (hasArgs ? F_ARGS : 0);
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
      const tid = b.tid[j];
      this.pidCol[i] = b.pid[j];
      this.tidCol[i] = tid;
      this.entryCol[i] = b.entryNs[j];
      this.putRecord(text, textBytes, b.rval[j], b.entryNs[j], b.exitNs[j], b.wallUs[j], hasArgs ? halves : null, j * ARGS * 2);
      if (tid !== lastTid || !list) {
        if (!this.threads.has(tid)) this.noteThread(b.pid[j], tid);
        list = this.perThread.get(tid)!;
        lastTid = tid;
      }
      list.push(seq);
    }
  }

  /** Forgets what fell out of the ring. */
  private evict(): void {
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
      list = new SeqList();
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

  /** Threads of one process, in the order first seen. */
  threadsOf(pid: number): number[] {
    return this.threadOrder.filter((tid) => this.threads.get(tid)?.pid === pid);
  }
}
