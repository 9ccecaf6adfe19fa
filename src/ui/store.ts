// The trace screen's one store. The history is a mutable object whose identity never changes;
// `version` is bumped once per drained batch so that components re-render once per batch, never
// per event. Everything else is plain immutable UI state changed by the actions below.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { LIVE_SOURCE, type CounterRow, type EngineStats, type SourceInfo, type ThreadState, type TraceBatch, type TraceEvent, type TraceSource } from '../engine/types.js';
import { NO_FILTER, type TraceFilter } from './filter.js';
import { FOLLOWING, type PaneView } from './pane-window.js';
import { ALL_THREADS, TraceHistory } from './trace-history.js';

export const COUNTER_COLUMNS = ['time', 'usecs', 'calls', 'errors', 'name'] as const;
export type CounterColumn = (typeof COUNTER_COLUMNS)[number];

export interface CounterView {
  rows: CounterRow[];
  sort: CounterColumn;
  desc: boolean;
  scope: 'process' | 'thread';
}

export type Overlay = 'none' | 'help' | 'counters' | 'details';

export interface TraceState {
  readonly history: TraceHistory;
  title: string;
  /** bumped once per ingested batch */
  version: number;
  stats: EngineStats;
  /** events per second over the last second or so */
  rate: number;
  threads: ThreadState[];
  done: boolean;
  /** P: every traced thread is stopped by us */
  enginePaused: boolean;
  filter: TraceFilter;
  /** the `/` prompt's text while it is open, else null */
  searchDraft: string | null;
  /** filter to restore when the `/` prompt is cancelled */
  searchBefore: string;
  focusTid: number;
  merged: boolean;
  zoom: boolean;
  /** per pane: tid, or ALL_THREADS for the merged timeline */
  views: Record<number, PaneView>;
  /** Space: rows with seq >= frozenAt are collected but not shown */
  frozenAt: number | null;
  overlay: Overlay;
  detailSeq: number;
  counters: CounterView;
  /** one-line notice in the status bar (errors of P, inspector...) */
  message: string;
  /** what the rows come from: a live trace, or a log (its files, how far it is read) */
  source: SourceInfo;
  /** the `w`/`W` prompt while it is open, else null */
  writeDraft: WriteDraft | null;
  /** --json: `w` offers a .jsonl file (JSON lines) rather than strace text */
  exportJson: boolean;
}

/** The file prompt of `w` (rows that pass the filters) and `W` (the whole history). */
export interface WriteDraft {
  path: string;
  all: boolean;
  /** the file exists and Enter was pressed once: the next Enter replaces it */
  replace: boolean;
  error: string;
}

export type TraceStore = StoreApi<TraceState>;

const ZERO_STATS: EngineStats = { processes: 0, threads: 0, total: 0, dropped: 0, pending: 0 };

export function createTraceStore(historyCap: number, title = '', opts: { exportJson?: boolean; source?: SourceInfo } = {}): TraceStore {
  return createStore<TraceState>(() => ({
    history: new TraceHistory(historyCap),
    title,
    version: 0,
    stats: ZERO_STATS,
    rate: 0,
    threads: [],
    done: false,
    enginePaused: false,
    filter: NO_FILTER,
    searchDraft: null,
    searchBefore: '',
    focusTid: 0,
    merged: false,
    zoom: false,
    views: {},
    frozenAt: null,
    overlay: 'none',
    detailSeq: -1,
    counters: { rows: [], sort: 'time', desc: true, scope: 'process' },
    message: '',
    source: opts.source ?? LIVE_SOURCE,
    writeDraft: null,
    exportJson: opts.exportJson ?? false,
  }));
}

/** The highest seq (exclusive) that panes show: everything, or what was there when frozen. */
export function visibleLimit(s: TraceState): number {
  return s.frozenAt ?? s.history.next;
}

export function viewOf(s: TraceState, tid: number): PaneView {
  return s.views[tid] ?? FOLLOWING;
}

/** Every thread, live ones first, each group in the order first seen: Tab, 1-9 and the list use it. */
export function paneTids(s: TraceState): number[] {
  const h = s.history;
  const live: number[] = [];
  const exited: number[] = [];
  for (const tid of h.threadOrder) (h.threads.get(tid)?.exited ? exited : live).push(tid);
  return live.concat(exited);
}

/**
 * Threads that get a pane of their own: the live ones (and the focused one even if it exited). In a
 * log every thread is history alike: each keeps its pane.
 */
export function layoutTids(s: TraceState): number[] {
  const h = s.history;
  if (s.source.kind === 'log') return h.threadOrder.slice();
  const live = h.threadOrder.filter((tid) => !h.threads.get(tid)?.exited || tid === s.focusTid);
  return live.length ? live : h.threadOrder.slice();
}

export interface Batch {
  /** what was drained: as columns (the drain loop's way), or as event objects */
  batch?: TraceBatch;
  events?: readonly TraceEvent[];
  stats: EngineStats;
  threads: ThreadState[];
  enginePaused: boolean;
  done: boolean;
  rate: number;
  counters?: CounterRow[];
  source?: SourceInfo;
}

/** One drained batch in, one store update out. */
export function ingest(store: TraceStore, b: Batch): void {
  const s = store.getState();
  const h = s.history;
  if (b.batch && b.batch.count + b.batch.others.length) h.appendBatch(b.batch);
  if (b.events?.length) h.append(b.events);
  for (const t of b.threads) h.noteThread(t.pid, t.tid);
  const patch: Partial<TraceState> = {
    version: s.version + 1,
    stats: b.stats,
    threads: b.threads,
    enginePaused: b.enginePaused,
    done: b.done,
    rate: b.rate,
  };
  if (b.counters) patch.counters = { ...s.counters, rows: b.counters };
  if (b.source) patch.source = b.source;
  if (!h.threads.has(s.focusTid) && h.threadOrder.length) patch.focusTid = h.threadOrder[0];
  store.setState(patch);
}

export function setView(store: TraceStore, tid: number, view: PaneView): void {
  const s = store.getState();
  store.setState({ views: { ...s.views, [tid]: view } });
}

/** The pane that keys act on: the merged timeline or the focused thread. */
export function focusedPane(s: TraceState): number {
  return s.merged ? ALL_THREADS : s.focusTid;
}

export function setFilter(store: TraceStore, filter: TraceFilter): void {
  store.setState({ filter });
}

export function toggleFreeze(store: TraceStore): void {
  const s = store.getState();
  store.setState({ frozenAt: s.frozenAt === null ? s.history.next : null });
}

/** Rows collected while frozen and not yet shown. */
export function heldRows(s: TraceState): number {
  return s.frozenAt === null ? 0 : s.history.next - s.frozenAt;
}

export function focusBy(store: TraceStore, delta: number): void {
  const s = store.getState();
  const tids = paneTids(s);
  if (!tids.length) return;
  const i = tids.indexOf(s.focusTid);
  const next = tids[(((i < 0 ? 0 : i) + delta) % tids.length + tids.length) % tids.length];
  store.setState({ focusTid: next, merged: false });
}

export function focusIndex(store: TraceStore, index: number): void {
  const tids = paneTids(store.getState());
  if (index >= 0 && index < tids.length) store.setState({ focusTid: tids[index], merged: false });
}

export function sortedCounters(c: CounterView): CounterRow[] {
  const rows = c.rows.slice();
  const usecs = (r: CounterRow) => (r.calls ? r.timeNs / r.calls : 0);
  const key: Record<CounterColumn, (a: CounterRow, b: CounterRow) => number> = {
    time: (a, b) => a.timeNs - b.timeNs,
    usecs: (a, b) => usecs(a) - usecs(b),
    calls: (a, b) => a.calls - b.calls,
    errors: (a, b) => a.errors - b.errors,
    name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  };
  const cmp = key[c.sort];
  rows.sort((a, b) => (c.desc ? -cmp(a, b) : cmp(a, b)) || (a.name < b.name ? -1 : 1));
  return rows;
}

/** Scope argument for tracer.counters() from the focused thread. */
export function counterScope(s: TraceState): { pid?: number; tid?: number } | undefined {
  const info = s.history.threads.get(s.focusTid);
  if (!info) return undefined;
  return s.counters.scope === 'thread' ? { tid: info.tid } : { pid: info.pid };
}

/** Reads counters now (used when the table opens or its scope changes, between drain ticks). */
export function refreshCounters(store: TraceStore, source: TraceSource | null): void {
  if (!source) return;
  const s = store.getState();
  try {
    store.setState({ counters: { ...s.counters, rows: source.counters(counterScope(s)) } });
  } catch {
    // the trace may be gone; keep the last table
  }
}
