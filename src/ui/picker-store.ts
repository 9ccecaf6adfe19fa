// The picker's state, in a store of its own that outlives the picker's screen: leaving for the
// inspector or a trace and coming back finds the filter, sort, tree and selection as they were.
// Key handlers read and change it synchronously (getState), so keys that arrive together each act
// on what the previous one left, never on the last render.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ProcessInfo } from '../engine/proclist.js';
import { processRows, type ProcessRow, type SortKey } from './process-rows.js';

export type PickerMode = 'list' | 'help' | 'launch';

export interface PickerState {
  procs: ProcessInfo[];
  /** performance.now() of the sample in procs, 0 = none yet */
  sampledAt: number;
  query: string;
  sort: SortKey;
  tree: boolean;
  /** the selection is a pid, so it survives refreshes and re-sorting; index is where it was */
  sel: { pid: number; index: number };
  /** first row shown */
  top: number;
  /** why the last attach (or inspect) of that pid failed, shown under its row */
  error: { pid: number; text: string } | null;
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
    tree: false,
    sel: { pid: -1, index: 0 },
    top: 0,
    error: null,
    mode: 'list',
    launchError: '',
  }));
}

let memo: { procs: ProcessInfo[]; query: string; sort: SortKey; tree: boolean; rows: ProcessRow[] } | null = null;

/** The rows of the current state (computed once per change of what they depend on). */
export function pickerRows(s: PickerState): ProcessRow[] {
  if (memo && memo.procs === s.procs && memo.query === s.query && memo.sort === s.sort && memo.tree === s.tree) return memo.rows;
  const rows = processRows(s.procs, s.query, s.sort, s.tree);
  memo = { procs: s.procs, query: s.query, sort: s.sort, tree: s.tree, rows };
  return rows;
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
