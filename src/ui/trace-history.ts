// The trace history: every drained event gets a sequence number and lives in one ring capped at
// `cap` events in total (the oldest are evicted first). Panes never copy events: they look at
// lists of sequence numbers (per thread, per filter), which are sorted, so a scroll position is
// just a sequence number and survives eviction and filter changes.
import type { TraceEvent } from '../engine/types.js';
import { filterKey, isFilterActive, matchesFilter, type TraceFilter } from './filter.js';

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
        if (matchesFilter(h.at(seq)!, this.filter)) this.list.push(seq);
      }
    } else {
      const src = h.threadRows(this.tid);
      for (let i = src.lowerBound(from), n = src.length; i < n; i++) {
        const seq = src.seqAt(i);
        if (matchesFilter(h.at(seq)!, this.filter)) this.list.push(seq);
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

export class TraceHistory {
  readonly cap: number;
  private readonly ring: (TraceEvent | undefined)[];
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
    this.ring = new Array(this.cap);
  }

  get oldest(): number {
    return Math.max(0, this.next - this.cap);
  }

  at(seq: number): TraceEvent | undefined {
    if (seq < this.oldest || seq >= this.next) return undefined;
    return this.ring[seq % this.cap];
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

  append(events: readonly TraceEvent[]): void {
    for (const ev of events) {
      if (this.firstNs < 0) this.firstNs = ev.entryNs;
      const info = this.noteThread(ev.pid, ev.tid);
      if (ev.kind === 'exit') {
        info.exited = true;
        info.exitText = ev.text;
      } else if (ev.kind === 'thread' || ev.kind === 'exec') {
        info.exited = false;
      }
      const seq = this.next++;
      this.ring[seq % this.cap] = ev;
      this.perThread.get(ev.tid)!.push(seq);
    }
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
