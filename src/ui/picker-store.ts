// The picker's state, in a store of its own that outlives the picker's screen: leaving for the
// inspector or a trace and coming back finds the filter, sort, tree and selection as they were.
// Key handlers read and change it synchronously (getState), so keys that arrive together each act
// on what the previous one left, never on the last render.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { likelyTraceable, tracerCredentials } from '../engine/proc/diagnose.js';
import type { ProcessInfo } from '../engine/proclist.js';
import { processRows, type ProcessRow, type SortKey } from './process-rows.js';

/** list; or a panel over it: help, the launch prompt, the F3 search prompt, the F6 sort menu, the F9 signal menu */
export type PickerMode = 'list' | 'help' | 'launch' | 'search' | 'sortMenu' | 'signalMenu';

/** What the picker leaves out (control keys toggle each). */
export interface PickerHide {
  /** ^X: kernel threads */
  kernel: boolean;
  /** ^U: processes of users other than ours */
  others: boolean;
  /** ^A: processes we could not attach to */
  untraceable: boolean;
}

export interface PickerState {
  procs: ProcessInfo[];
  /** performance.now() of the sample in procs, 0 = none yet */
  sampledAt: number;
  query: string;
  sort: SortKey;
  /** ^R: the sort order reversed */
  reverse: boolean;
  hide: PickerHide;
  tree: boolean;
  /** the selection is a pid, so it survives refreshes and re-sorting; index is where it was */
  sel: { pid: number; index: number };
  /** first row shown */
  top: number;
  /** why the last attach (or inspect) of that pid failed, or what a signal did (ok), shown under its row */
  error: { pid: number; text: string; ok?: boolean } | null;
  /** the F3 search: its text, and the pid the selection was on when it opened (Esc goes back there) */
  search: { text: string; from: number } | null;
  mode: PickerMode;
  launchError: string;
}

export type PickerStore = StoreApi<PickerState>;

export function createPickerStore(): PickerStore {
  return createStore<PickerState>(() => ({
    procs: [],
    sampledAt: 0,
    query: '',
    sort: 'cpu',
    reverse: false,
    hide: { kernel: false, others: false, untraceable: false },
    tree: false,
    sel: { pid: -1, index: 0 },
    top: 0,
    error: null,
    search: null,
    mode: 'list',
    launchError: '',
  }));
}

let memo: { procs: ProcessInfo[]; query: string; sort: SortKey; reverse: boolean; hide: PickerHide; tree: boolean; rows: ProcessRow[] } | null = null;
let traceable: { procs: ProcessInfo[]; pids: Set<number> } | null = null;

/** The processes the hide toggles leave (the traceable check reads /proc once per sample, when on). */
function shownProcs(procs: ProcessInfo[], hide: PickerHide): ProcessInfo[] {
  if (!hide.kernel && !hide.others && !hide.untraceable) return procs;
  const uid = process.getuid?.() ?? 0;
  if (hide.untraceable && traceable?.procs !== procs) {
    const creds = tracerCredentials();
    traceable = { procs, pids: new Set(procs.filter((p) => !p.kernelThread && likelyTraceable(p.pid, creds)).map((p) => p.pid)) };
  }
  return procs.filter((p) => !(hide.kernel && p.kernelThread) && !(hide.others && p.uid !== uid) && !(hide.untraceable && !traceable!.pids.has(p.pid)));
}

/** The rows of the current state (computed once per change of what they depend on). */
export function pickerRows(s: PickerState): ProcessRow[] {
  if (memo && memo.procs === s.procs && memo.query === s.query && memo.sort === s.sort && memo.reverse === s.reverse && memo.hide === s.hide && memo.tree === s.tree) return memo.rows;
  const rows = processRows(shownProcs(s.procs, s.hide), s.query, s.sort, s.tree, s.reverse);
  memo = { procs: s.procs, query: s.query, sort: s.sort, reverse: s.reverse, hide: s.hide, tree: s.tree, rows };
  return rows;
}

/**
 * The F3 search: the first row from `from` on (wrapping) whose name or command line holds `text`,
 * case-insensitively, as htop's; -1 when none does.
 */
export function findProcess(rows: readonly ProcessRow[], text: string, from: number): number {
  const t = text.toLowerCase();
  if (!t || !rows.length) return -1;
  for (let k = 0; k < rows.length; k++) {
    const i = (((from + k) % rows.length) + rows.length) % rows.length;
    const p = rows[i].proc;
    if (p.comm.toLowerCase().includes(t) || p.cmdline.toLowerCase().includes(t)) return i;
  }
  return -1;
}

/** Where the selection is: its pid's row, or the same place when that process is gone or hidden. */
export function selectedIndex(s: PickerState, rows: readonly ProcessRow[]): number {
  let index = rows.findIndex((r) => r.proc.pid === s.sel.pid);
  if (index < 0) index = Math.min(s.sel.index, rows.length - 1);
  return Math.max(0, index);
}

export function selectRow(store: PickerStore, i: number): void {
  const rows = pickerRows(store.getState());
  const j = Math.max(0, Math.min(rows.length - 1, i));
  store.setState({ sel: { pid: rows[j]?.proc.pid ?? -1, index: j }, error: null });
}

export function moveSelection(store: PickerStore, delta: number): void {
  const s = store.getState();
  selectRow(store, selectedIndex(s, pickerRows(s)) + delta);
}
