// The trace history: every drained event gets a sequence number and lives in one ring capped at
// `cap` events in total (the oldest are evicted first). Panes never copy events: they look at
// lists of sequence numbers (per thread, per filter), which are sorted, so a scroll position is
// just a sequence number and survives eviction and filter changes.
//
// System calls (nearly every event) are not kept as the engine's objects: their fields go into
// typed-array columns and only the strace text stays a string, so an event costs ~300 bytes
// instead of ~750, and the drained objects die young instead of filling the old generation (with
// them kept, a 200,000-event history sat at ~150 MB of live heap and V8 let RSS pass 600 MB).
// at() rebuilds an event on demand, which only happens for the visible rows and filter scans.
import { BatchFlag, type SyscallEvent, type TraceBatch, type TraceEvent } from '../engine/types.js';
import { eventClasses, filterKey, isFailed, isFilterActive, type TraceFilter } from './filter.js';

/** A sorted list of sequence numbers as a pane sees it. Index 0 is the oldest retained entry. */
export interface RowList {
  /** Entries with seq < limit. */
  size(limit: number): number;
  seqAt(i: number): number;
  /** First index whose seq >= seq (size() when none). */
  lowerBound(seq: number): number;
}

/** A growable sorted array of seqs that forgets its front cheaply. */
export class SeqList implements RowList {
  private arr: number[] = [];
  private start = 0;
  push(seq: number): void {
    this.arr.push(seq);
  }
  get length(): number {
    return this.arr.length - this.start;
  }
  last(): number {
    return this.arr.length > this.start ? this.arr[this.arr.length - 1] : -1;
  }
  seqAt(i: number): number {
    return this.arr[this.start + i];
  }
  lowerBound(seq: number): number {
    let lo = this.start;
    let hi = this.arr.length;
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
  /** Forget entries older than `oldest`; compact once the dead prefix is large. */
  trim(oldest: number): void {
    if (this.length === 0 || this.arr[this.start] >= oldest) return;
    this.start += this.lowerBound(oldest);
    if (this.start > 1024 && this.start * 2 > this.arr.length) {
      this.arr = this.arr.slice(this.start);
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

export class TraceHistory {
  readonly cap: number;
  // One slot per retained event (seq % cap). Syscall fields live in columns; the rarer events
  // (signals, exits, threads, exec...) keep their object in `others`.
  private readonly flags: Uint8Array;
  private readonly pidCol: Int32Array;
  private readonly tidCol: Int32Array;
  private readonly nrCol: Int32Array;
  private readonly classesCol: Int32Array;
  private readonly nameCol: Uint16Array;
  private readonly errnoCol: Uint16Array;
  private readonly rvalCol: Float64Array;
  private readonly entryCol: Float64Array;
  private readonly exitCol: Float64Array;
  private readonly wallCol: Float64Array;
  private readonly argsCol: BigUint64Array;
  private readonly textCol: (string | undefined)[];
  private readonly others = new Map<number, TraceEvent>();
  private readonly names = new StringTable();
  private readonly errnos = new StringTable();
  /** appendBatch's name ids by syscall number, for the batches' syscallName (one table per engine). */
  private nameIds = new Map<number, number>();
  private nameIdsOf: TraceBatch['syscallName'] | undefined;
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
    this.nrCol = new Int32Array(n);
    this.classesCol = new Int32Array(n);
    this.nameCol = new Uint16Array(n);
    this.errnoCol = new Uint16Array(n);
    this.rvalCol = new Float64Array(n);
    this.entryCol = new Float64Array(n);
    this.exitCol = new Float64Array(n);
    this.wallCol = new Float64Array(n);
    this.argsCol = new BigUint64Array(n * ARGS);
    this.textCol = new Array(n);
    this.errnos.id(''); // index 0: no error
  }

  get oldest(): number {
    return Math.max(0, this.next - this.cap);
  }

  /** The event with this seq, rebuilt from its slot (a new object each call). */
  at(seq: number): TraceEvent | undefined {
    if (seq < this.oldest || seq >= this.next) return undefined;
    const i = seq % this.cap;
    const f = this.flags[i];
    if (f & F_OTHER) return this.others.get(seq);
    const args: bigint[] = [];
    if (f & F_ARGS) for (let k = 0; k < ARGS; k++) args.push(this.argsCol[i * ARGS + k]);
    const ev: SyscallEvent = {
      kind: 'syscall',
      pid: this.pidCol[i],
      tid: this.tidCol[i],
      nr: this.nrCol[i],
      name: this.names.strings[this.nameCol[i]],
      classes: this.classesCol[i],
      text: this.textCol[i] ?? '',
      rval: this.rvalCol[i],
      errno: this.errnos.strings[this.errnoCol[i]],
      entryNs: this.entryCol[i],
      exitNs: this.exitCol[i],
      wallUs: this.wallCol[i],
      args,
      unfinished: (f & F_UNFINISHED) !== 0,
    };
    return ev;
  }

  /** What the filters look at, read from the columns without rebuilding the event. */
  classesAt(seq: number): number {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? eventClasses(this.others.get(seq)!) : this.classesCol[i];
  }
  failedAt(seq: number): boolean {
    const i = seq % this.cap;
    return this.flags[i] & F_OTHER ? isFailed(this.others.get(seq)!) : this.errnoCol[i] !== 0;
  }
  /** matchesFilter(at(seq), f), without rebuilding the event. */
  matches(seq: number, f: TraceFilter): boolean {
    if (f.classes !== 0 && (this.classesAt(seq) & f.classes) === 0) return false;
    if (f.failedOnly && !this.failedAt(seq)) return false;
    return f.text === '' || this.textAt(seq).includes(f.text);
  }
  textAt(seq: number): string {
    const i = seq % this.cap;
    if (!(this.flags[i] & F_OTHER)) return this.textCol[i] ?? '';
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

  private store(seq: number, ev: TraceEvent): void {
    const i = seq % this.cap;
    if (this.flags[i] & F_OTHER) this.others.delete(seq - this.cap);
    if (ev.kind !== 'syscall') {
      this.flags[i] = F_OTHER;
      this.textCol[i] = undefined;
      this.others.set(seq, ev);
      return;
    }
    const args = ev.args;
    const hasArgs = args !== undefined && args.length > 0;
    this.flags[i] = (ev.unfinished ? F_UNFINISHED : 0) | (hasArgs ? F_ARGS : 0);
    this.pidCol[i] = ev.pid;
    this.tidCol[i] = ev.tid;
    this.nrCol[i] = ev.nr;
    this.classesCol[i] = ev.classes;
    this.nameCol[i] = this.names.id(ev.name);
    this.errnoCol[i] = ev.errno ? this.errnos.id(ev.errno) : 0;
    this.rvalCol[i] = ev.rval;
    this.entryCol[i] = ev.entryNs;
    this.exitCol[i] = ev.exitNs;
    this.wallCol[i] = ev.wallUs;
    if (hasArgs) for (let k = 0; k < ARGS; k++) this.argsCol[i * ARGS + k] = args[k] ?? 0n;
    this.textCol[i] = ev.text;
  }

  append(events: readonly TraceEvent[]): void {
    for (const ev of events) this.appendOne(ev);
    this.evict();
  }

  /**
   * A drained batch, the same as append(eventsFromBatch(b)) without an object per call: its
   * columns are copied into the ring a run of consecutive calls at a time.
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
    this.store(seq, ev);
    this.perThread.get(ev.tid)!.push(seq);
  }

  /** Rows [from, to) of a batch's system calls, which follow each other with no other event between. */
  private appendRows(b: TraceBatch, from: number, to: number): void {
    if (this.firstNs < 0) this.firstNs = b.entryNs[from];
    if (b.syscallName !== this.nameIdsOf) {
      this.nameIdsOf = b.syscallName;
      this.nameIds = new Map();
    }
    const cap = this.cap;
    let lastTid = NaN;
    let list: SeqList | undefined;
    for (let j = from; j < to; ) {
      // One run of ring slots without wrapping: columns are copied as wholes.
      const seq0 = this.next;
      const i0 = seq0 % cap;
      const len = Math.min(to - j, cap - i0);
      const end = j + len;
      if (this.others.size) {
        for (let i = i0; i < i0 + len; i++) if (this.flags[i] & F_OTHER) this.others.delete(seq0 + (i - i0) - cap);
      }
      this.pidCol.set(b.pid.subarray(j, end), i0);
      this.tidCol.set(b.tid.subarray(j, end), i0);
      this.nrCol.set(b.nr.subarray(j, end), i0);
      this.classesCol.set(b.classes.subarray(j, end), i0);
      this.rvalCol.set(b.rval.subarray(j, end), i0);
      this.entryCol.set(b.entryNs.subarray(j, end), i0);
      this.exitCol.set(b.exitNs.subarray(j, end), i0);
      this.wallCol.set(b.wallUs.subarray(j, end), i0);
      this.argsCol.set(b.args.subarray(j * ARGS, end * ARGS), i0 * ARGS);
      for (let r = 0; r < len; r++) {
        const src = j + r;
        const i = i0 + r;
        const f = b.flags[src];
        this.flags[i] = (f & BatchFlag.unfinished ? F_UNFINISHED : 0) | (f & BatchFlag.args ? F_ARGS : 0);
        const nr = b.nr[src];
        let nameId = this.nameIds.get(nr);
        if (nameId === undefined) {
          nameId = this.names.id(b.syscallName(nr));
          this.nameIds.set(nr, nameId);
        }
        this.nameCol[i] = nameId;
        const err = b.err[src];
        this.errnoCol[i] = err ? this.errnos.id(b.errnoName(err)) : 0;
        this.textCol[i] = b.texts[src];
        const tid = b.tid[src];
        if (tid !== lastTid || !list) {
          if (!this.threads.has(tid)) this.noteThread(b.pid[src], tid);
          list = this.perThread.get(tid)!;
          lastTid = tid;
        }
        list.push(seq0 + r);
      }
      this.next += len;
      j = end;
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
