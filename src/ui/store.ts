// The trace screen's one store. The history is a mutable object whose identity never changes;
// `version` is bumped once per drained batch so that components re-render once per batch, never
// per event. Everything else is plain immutable UI state changed by the actions below.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { Analyzer, LOG_NO_EVIDENCE, type FindingCounts } from '../analysis/analyzer.js';
import { LIVE_SOURCE, type CounterRow, type EngineStats, type SourceInfo, type ThreadState, type TraceBatch, type TraceEvent, type TraceSource } from '../engine/types.js';
import { DEFAULT_DISPLAY, textFormOf, type DisplayOptions } from './display-options.js';
import { NO_FILTER, type TraceFilter } from './filter.js';
import type { HelpSection } from './keymap.js';
import type { ProcessMeter } from './meters.js';
import type { TraceSearch } from './search.js';
import { monoNowNs } from './format-row.js';
import { traceLayout, type TraceLayout, type ViewMode } from './layout.js';
import { FOLLOWING, type PaneView } from './pane-window.js';
import { TraceHistory, type ThreadInfo } from './trace-history.js';

export const COUNTER_COLUMNS = ['time', 'usecs', 'calls', 'errors', 'name'] as const;
export type CounterColumn = (typeof COUNTER_COLUMNS)[number];
/** How the F6 menu names the columns (as strace -c heads them). */
export const COUNTER_COLUMN_LABEL: Record<CounterColumn, string> = { time: 'seconds (% time)', usecs: 'usecs/call', calls: 'calls', errors: 'errors', name: 'syscall' };

export interface CounterView {
  rows: CounterRow[];
  sort: CounterColumn;
  desc: boolean;
  /** everything traced (strace -c -f), the focused thread's process, or the thread alone */
  scope: 'all' | 'process' | 'thread';
  /** the first row shown (↑ ↓ PgUp PgDn scroll a table longer than the screen); a new sort or scope starts at 0 */
  top: number;
}

/** help, the -c table, a row's details, the findings (!), the launched command's output (log),
 *  or, on leaving while a launched command still runs, what to do with it (leave); the side menus:
 *  the signal to send (F9, k), the counter column to sort by (F6). */
export type Overlay = 'none' | 'help' | 'counters' | 'details' | 'findings' | 'log' | 'leave' | 'signalMenu' | 'sortMenu';

/** Where leaving the trace goes: out of the program, or back to the picker. */
export type LeaveThen = 'quit' | 'picker';

export interface TraceState {
  readonly history: TraceHistory;
  /** what the trace means (src/analysis), fed each row once, as the history numbers it */
  readonly analysis: Analyzer;
  /** the analysis's counts, refreshed with the batch that changed them */
  findings: FindingCounts;
  /** analysis.version when `findings` was taken */
  findingsVersion: number;
  title: string;
  /** bumped once per ingested batch */
  version: number;
  /** The screen's clock: the monotonic ns (CLOCK_MONOTONIC, as the engine stamps calls) at which
   *  the times so far of calls in progress are told. Set with each batch, so that every pane, the
   *  thread list and the details agree, and a frame drawn for a key shows the times of the frame
   *  before it: the clock moves with the drain loop (use-drain-loop.ts: CLOCK_TICK_MS), never per
   *  render. NaN until the first batch. */
  clockNs: number;
  stats: EngineStats;
  /** events per second over the last second or so */
  rate: number;
  threads: ThreadState[];
  done: boolean;
  /** P: every traced thread is stopped by us */
  enginePaused: boolean;
  filter: TraceFilter;
  /** the F4 (`&`) filter prompt's text while it is open, else null */
  filterDraft: string | null;
  /** filter text to restore when that prompt is cancelled */
  filterBefore: string;
  /** the search (F3, /): its matches are highlighted, n / N go to them; null when none */
  search: TraceSearch | null;
  /** the search prompt is open (search is then its text, live); what to restore on Esc */
  searchOpen: boolean;
  searchBefore: TraceSearch | null;
  /** the help's section when it opens (the panel it was asked from) */
  helpSection: HelpSection;
  /** htop's meters of the traced processes, busiest first (sampled once a second with a batch, use-drain-loop.ts) */
  meters: ProcessMeter[];
  /** the thread the user focused (Tab, 1-9, the list), 0 while they did not */
  focusTid: number;
  /** what the panes show (layout.ts): as the activity says, until the user picks */
  mode: ViewMode;
  /** live threads with calls lately, busiest first (set per batch) */
  active: number[];
  /** auto: more threads were busy than panes fit once, so the merged timeline stays */
  autoMerged: boolean;
  /** H: exited threads are left out of the thread list */
  hideExited: boolean;
  /** F5: the thread list as a tree (processes, their threads, their children) rather than busiest first */
  threadTree: boolean;
  /** l: the thread list is shown / hidden; undefined: when there is room for it */
  showList: boolean | undefined;
  /** per pane: tid, or ALL_THREADS for the merged timeline */
  views: Record<number, PaneView>;
  /** Space: rows with seq >= frozenAt are collected but not shown */
  frozenAt: number | null;
  overlay: Overlay;
  /** the leave overlay: what happens once the user chose */
  leaveThen: LeaveThen;
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
  /** o: the filter and view mode to go back to when the descriptor is let go */
  trailBefore: { filter: TraceFilter; mode: ViewMode; merged: boolean } | null;
  /** how rows are drawn: time stamps, durations, strings (`-` and a letter change them) */
  display: DisplayOptions;
  /** `-` was pressed: the next letter names a display option */
  optionPending: boolean;
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

const ZERO_STATS: EngineStats = { processes: 0, threads: 0, total: 0, heldMs: 0, pending: 0 };

export function createTraceStore(
  historyCap: number,
  title = '',
  opts: { exportJson?: boolean; source?: SourceInfo; analysis?: Analyzer; display?: DisplayOptions } = {},
): TraceStore {
  const analysis = opts.analysis ?? new Analyzer({ evidence: null, noEvidenceReason: opts.source?.kind === 'log' ? LOG_NO_EVIDENCE : 'no live process to examine' });
  // The analysis sees each row as the history numbers it (in the timeline's order: timeline.ts).
  const history = new TraceHistory(historyCap);
  history.listener = analysis;
  const display = opts.display ?? DEFAULT_DISPLAY;
  // The history renders its texts in the display's form: the whole history follows each change.
  history.textForm = textFormOf(display);
  const store = createStore<TraceState>(() => ({
    history,
    analysis,
    findings: { problem: 0, note: 0, expected: 0 },
    findingsVersion: 0,
    title,
    version: 0,
    clockNs: NaN,
    stats: ZERO_STATS,
    rate: 0,
    threads: [],
    done: false,
    enginePaused: false,
    filter: NO_FILTER,
    filterDraft: null,
    filterBefore: '',
    search: null,
    searchOpen: false,
    searchBefore: null,
    helpSection: 'trace',
    meters: [],
    focusTid: 0,
    mode: 'auto',
    active: [],
    autoMerged: false,
    hideExited: false,
    threadTree: false,
    showList: undefined,
    views: {},
    frozenAt: null,
    overlay: 'none',
    leaveThen: 'quit',
    detailSeq: -1,
    counters: { rows: [], sort: 'time', desc: true, scope: 'all', top: 0 },
    message: '',
    source: opts.source ?? LIVE_SOURCE,
    writeDraft: null,
    exportJson: opts.exportJson ?? false,
    trailBefore: null,
    display,
    optionPending: false,
  }));
  store.subscribe((s, prev) => {
    if (s.display !== prev.display) s.history.textForm = textFormOf(s.display);
  });
  return store;
}

/** The highest seq (exclusive) that panes show: everything, or what was there when frozen. */
export function visibleLimit(s: TraceState): number {
  return s.frozenAt ?? s.history.next;
}

export function viewOf(s: TraceState, tid: number): PaneView {
  return s.views[tid] ?? FOLLOWING;
}

/** A thread made a call this recently (ns): it counts as active. */
const ACTIVE_NS = 2e9;

/**
 * The thread list's order, which Tab and 1-9 follow: busiest first (calls per second, then the
 * most recent call), the threads that exited last (or not at all with H).
 */
export function listTids(s: TraceState): number[] {
  if (s.threadTree) return threadTree(s).map((r) => r.tid);
  const h = s.history;
  const live: ThreadInfo[] = [];
  const exited: ThreadInfo[] = [];
  for (const tid of h.threadOrder) {
    const info = h.threads.get(tid);
    if (!info) continue;
    if (!info.exited) live.push(info);
    else if (!s.hideExited) exited.push(info);
  }
  const byActivity = (a: ThreadInfo, b: ThreadInfo) => b.rate - a.rate || b.lastNs - a.lastNs || a.tid - b.tid;
  return live.sort(byActivity).map((i) => i.tid).concat(exited.sort((a, b) => b.lastNs - a.lastNs).map((i) => i.tid));
}

/**
 * F5: the threads as a tree, as htop's: each process's leader, its other threads under it, then the
 * processes it started (a process whose parent is not traced is a root), in tid order. `depth` is
 * the indentation.
 */
export function threadTree(s: TraceState): { tid: number; depth: number }[] {
  const h = s.history;
  const shown = (i: ThreadInfo) => !(s.hideExited && i.exited);
  const children = new Map<number, ThreadInfo[]>(); // pid -> child processes' leaders
  const threads = new Map<number, ThreadInfo[]>(); // pid -> its threads but the leader
  const roots: ThreadInfo[] = [];
  for (const info of h.threads.values()) {
    if (info.tid !== info.pid) {
      let l = threads.get(info.pid);
      if (!l) threads.set(info.pid, (l = []));
      l.push(info);
      continue;
    }
    const parentPid = h.threads.get(info.parentTid)?.pid;
    if (parentPid !== undefined && parentPid !== info.pid && h.threads.has(parentPid)) {
      let l = children.get(parentPid);
      if (!l) children.set(parentPid, (l = []));
      l.push(info);
    } else roots.push(info);
  }
  // Threads whose leader is not known (it exited before we saw it) hang from the root level.
  for (const [pid, l] of threads) if (!h.threads.has(pid)) roots.push(...l.splice(0));
  const out: { tid: number; depth: number }[] = [];
  const byTid = (a: ThreadInfo, b: ThreadInfo) => a.tid - b.tid;
  const walk = (p: ThreadInfo, depth: number) => {
    if (shown(p)) out.push({ tid: p.tid, depth });
    if (p.tid !== p.pid) return;
    for (const t of (threads.get(p.pid) ?? []).sort(byTid)) if (shown(t)) out.push({ tid: t.tid, depth: depth + 1 });
    for (const c of (children.get(p.pid) ?? []).sort(byTid)) walk(c, depth + 1);
  };
  for (const r of roots.sort(byTid)) walk(r, 0);
  return out;
}

/** Live threads that made a call in the last two seconds, busiest first. */
export function activeTids(h: TraceHistory, nowNs: number): number[] {
  const out: ThreadInfo[] = [];
  for (const info of h.threads.values()) {
    if (!info.exited && (info.rate > 0 || (info.lastNs > 0 && nowNs - info.lastNs < ACTIVE_NS))) out.push(info);
  }
  return out.sort((a, b) => b.rate - a.rate || b.lastNs - a.lastNs || a.tid - b.tid).map((i) => i.tid);
}

/** The layout of the trace screen's body for this state and size. */
export function layoutOf(s: TraceState, width: number, height: number, wasMerged = false): TraceLayout {
  return traceLayout({ width, height, mode: s.mode, tids: listTids(s), active: s.active, focusTid: s.focusTid, showList: s.showList, wasMerged });
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
  /** a thread's name now (TraceSource.comm) */
  comm?: (tid: number) => string;
  /** a new sample of the meters (a live trace, once a second) */
  meters?: ProcessMeter[];
}

/** One drained batch in, one store update out. */
export function ingest(store: TraceStore, b: Batch): void {
  const s = store.getState();
  const h = s.history;
  if (b.batch && b.batch.count + b.batch.others.length) h.appendBatch(b.batch);
  if (b.events?.length) h.append(b.events);
  for (const t of b.threads) h.noteThread(t.pid, t.tid);
  const now = performance.now();
  const clockNs = monoNowNs();
  h.sampleRates(now);
  // A log names its threads itself, those that exited too (their rows are all it has); a live
  // thread's name is read from /proc, where an exited one has none.
  if (b.comm) h.nameThreads(b.comm, now, undefined, (b.source ?? s.source).kind === 'log');
  const patch: Partial<TraceState> = {
    version: s.version + 1,
    clockNs,
    stats: b.stats,
    threads: b.threads,
    enginePaused: b.enginePaused,
    done: b.done,
    rate: b.rate,
  };
  if (b.counters) patch.counters = { ...s.counters, rows: b.counters };
  if (b.meters) patch.meters = b.meters;
  if (b.source) patch.source = b.source;
  // A log's threads are history alike, none busier now than another: each may get a pane.
  patch.active = (b.source ?? s.source).kind === 'log' ? h.threadOrder.slice() : activeTids(h, clockNs);
  if (s.focusTid && !h.threads.has(s.focusTid)) patch.focusTid = 0;
  s.analysis.settle();
  if (s.analysis.version !== s.findingsVersion) {
    patch.findingsVersion = s.analysis.version;
    patch.findings = s.analysis.counts();
  }
  store.setState(patch);
}

export function setView(store: TraceStore, tid: number, view: PaneView): void {
  const s = store.getState();
  store.setState({ views: { ...s.views, [tid]: view } });
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

/** Focus the thread `delta` places away in the list (from the pane keys act on now). */
export function focusBy(store: TraceStore, delta: number, from: number): void {
  const s = store.getState();
  const tids = listTids(s);
  if (!tids.length) return;
  const i = tids.indexOf(from);
  const next = i < 0 ? (delta > 0 ? tids[0] : tids[tids.length - 1]) : tids[(((i + delta) % tids.length) + tids.length) % tids.length];
  focusThread(store, next);
}

/** Focus thread N of the list (0-based). */
export function focusIndex(store: TraceStore, index: number): void {
  const tids = listTids(store.getState());
  if (index >= 0 && index < tids.length) focusThread(store, tids[index]);
}

/** The user picked a thread: it gets a pane (zoomed if the view was zoomed). */
export function focusThread(store: TraceStore, tid: number): void {
  const s = store.getState();
  store.setState({ focusTid: tid, mode: s.mode === 'zoom' ? 'zoom' : 'threads' });
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

/** The thread the counters' scope is about: the focused one, else the busiest. */
export function counterThread(s: TraceState): number {
  return s.history.threads.has(s.focusTid) ? s.focusTid : (s.active[0] ?? listTids(s)[0] ?? 0);
}

/** Scope argument for tracer.counters(): everything, or the focused thread or its process. */
export function counterScope(s: TraceState): { pid?: number; tid?: number } | undefined {
  if (s.counters.scope === 'all') return undefined;
  const info = s.history.threads.get(counterThread(s));
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
