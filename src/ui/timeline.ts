// Puts drained events into the history in the order their calls began, with the calls still in
// progress as running rows at their place: the merged timeline reads in true time order, and a
// call that blocks is on screen while it blocks.
//
// The engine hands out a call when it returns, so a long call comes after shorter ones that began
// later. A thread snapshot (Tracer.snapshot) says, at one moment T, which calls are in progress,
// and `mark`, how many events were made before T. Every event numbered below the mark either began
// before T and ended before it, or is the end of a call that was in progress at an earlier
// snapshot (a running row then, which it completes in place). So once the events up to the mark
// are drained, they and the calls in progress at T (new running rows) are all the rows that begin
// before T: sorted by their start they go into the history, and nothing placed later begins
// earlier. The events past the mark wait for the next snapshot.
import type { OtherEvent, TraceBatch, TraceSnapshot, ThreadState } from '../engine/types.js';
import type { TraceHistory } from './trace-history.js';

/** Rows [from, to) of a batch's system calls, or one other event. */
type Piece = { b: TraceBatch; from: number; to: number } | { ev: OtherEvent };

export class Timeline {
  private snap: TraceSnapshot | null = null;
  /** Events numbered below snap.mark, as they came. */
  private before: Piece[] = [];
  /** Events from snap.mark on: the next epoch's. */
  private after: Piece[] = [];
  /** Number of the next event to come (the end of the last batch). */
  private seen = 0;

  constructor(private readonly history: TraceHistory) {}

  /** Every event added is placed. */
  get empty(): boolean {
    return this.before.length === 0 && this.after.length === 0;
  }

  /** A new snapshot is wanted: none is waiting for the events before its mark. */
  get wantsSnapshot(): boolean {
    return this.snap === null;
  }

  setSnapshot(s: TraceSnapshot): void {
    this.snap = s;
    // What waited past the previous mark belongs to this epoch.
    this.before.push(...this.after);
    this.after = [];
  }

  /** A drained batch: split at the mark. */
  add(b: TraceBatch): void {
    const mark = this.snap?.mark ?? Infinity;
    const first = b.first ?? this.seen;
    const n = b.count + b.others.length;
    this.seen = first + n;
    if (!n) return;
    let row = 0;
    let index = first; // number of the next event of the batch
    const put = (p: Piece, at: number) => (at < mark ? this.before : this.after).push(p);
    for (let k = 0; k <= b.others.length; k++) {
      const end = k < b.others.length ? Math.min(b.order[k], b.count) : b.count;
      if (end > row) {
        // The run of calls [row, end) may straddle the mark.
        const cut = Math.max(row, Math.min(end, row + (mark - index)));
        if (cut > row) put({ b, from: row, to: cut }, index);
        if (end > cut) put({ b, from: cut, to: end }, mark);
        index += end - row;
        row = end;
      }
      if (k < b.others.length) put({ ev: b.others[k] }, index++);
    }
  }

  /**
   * True once every event made before the snapshot was drained: the last drain emptied the
   * engine's buffer (`drainedAll`), or its events reached the mark.
   */
  ready(drainedAll: boolean): boolean {
    return this.snap !== null && (drainedAll || this.seen >= this.snap.mark);
  }

  /**
   * The epoch's rows and the calls in progress at the snapshot, in order of their start. Says how
   * many rows it added, completed or closed: a call still in progress that already has its running
   * row (a blocked thread, snapshot after snapshot) is no change, and a quiet trace draws no frame.
   */
  place(): number {
    const snap = this.snap;
    if (!snap) return 0;
    const h = this.history;
    const pieces = this.before;
    this.before = [];
    this.snap = null;
    // A flat list of (piece, row) with the start time of each.
    const running = snap.threads.filter((t) => t.inSyscall && t.entryText);
    let total = running.length;
    for (const p of pieces) total += 'ev' in p ? 1 : p.to - p.from;
    const keys = new Float64Array(total);
    const src = new Int32Array(total); // piece index, or -1 - i for running[i]
    const rows = new Int32Array(total);
    let n = 0;
    let sorted = true;
    const push = (key: number, s: number, r: number) => {
      if (n && key < keys[n - 1]) sorted = false;
      keys[n] = key;
      src[n] = s;
      rows[n++] = r;
    };
    pieces.forEach((p, i) => {
      if ('ev' in p) push(p.ev.entryNs, i, 0);
      else for (let j = p.from; j < p.to; j++) push(p.b.entryNs[j], i, j);
    });
    running.forEach((t, i) => push(t.entryNs, -1 - i, 0));
    let order: ArrayLike<number>;
    if (sorted) order = { length: n } as ArrayLike<number>;
    else {
      const idx = Array.from({ length: n }, (_, i) => i);
      idx.sort((a, b) => keys[a] - keys[b] || a - b);
      order = idx;
    }
    const at = (k: number) => (sorted ? k : (order as number[])[k]);
    let changed = n - running.length;
    for (let k = 0; k < n; ) {
      const x = at(k);
      const s = src[x];
      if (s < 0) {
        // A new running row, and the thread's previous one closed if it had one.
        const t = running[-1 - s];
        const had = h.threads.get(t.tid)?.running ?? -1;
        if (h.addRunning(t) !== had) changed += had >= 0 ? 2 : 1;
        k++;
        continue;
      }
      const p = pieces[s];
      if ('ev' in p) {
        h.appendOne(p.ev);
        k++;
        continue;
      }
      // The longest run of consecutive rows of this piece, copied as one.
      let end = k + 1;
      while (end < n && src[at(end)] === s && rows[at(end)] === rows[at(end - 1)] + 1) end++;
      h.appendRows(p.b, rows[x], rows[at(end - 1)] + 1);
      k = end;
    }
    changed += h.closeStaleRunning(new Map(snap.threads.map((t): [number, ThreadState] => [t.tid, t])));
    h.evict();
    return changed;
  }
}
