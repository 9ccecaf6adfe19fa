// Where the trace screen's panes go for a given terminal size and thread count. Pure, so the key
// handlers (which need the focused pane's height to page) and the renderer agree.

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 15;

/** Rows the trace screen spends outside its panes: header, status bar, key bar. */
export const CHROME_ROWS = 3;

export type LayoutMode = 'merged' | 'zoom' | 'side' | 'stacked' | 'list';

export interface PaneRect {
  /** tid, or -1 for the merged timeline */
  tid: number;
  width: number;
  /** rows, including the pane's title line */
  height: number;
}

export interface TraceLayout {
  mode: LayoutMode;
  direction: 'row' | 'column';
  panes: PaneRect[];
  /** width of the thread list in 'list' mode, else 0 */
  listWidth: number;
}

const SIDE_MIN_WIDTH = 80; // time, tid and duration take 33 columns: leave the line 47 at least
const STACK_MIN_ROWS = 5; // title + 4 rows
const MAX_SPLIT = 4;
export const THREAD_LIST_WIDTH = 24;

export function traceLayout(opts: {
  width: number;
  /** rows available for panes */
  height: number;
  tids: readonly number[];
  focusTid: number;
  merged: boolean;
  zoom: boolean;
}): TraceLayout {
  const { width, height, tids, merged, zoom } = opts;
  const focus = tids.includes(opts.focusTid) ? opts.focusTid : (tids[0] ?? -1);
  if (merged || tids.length === 0) return { mode: 'merged', direction: 'row', panes: [{ tid: -1, width, height }], listWidth: 0 };
  if (zoom || tids.length === 1) return { mode: 'zoom', direction: 'row', panes: [{ tid: focus, width, height }], listWidth: 0 };
  const n = tids.length;
  if (n <= MAX_SPLIT) {
    // Separator column between side-by-side panes.
    const sideW = Math.floor((width - (n - 1)) / n);
    if (sideW >= SIDE_MIN_WIDTH) {
      return {
        mode: 'side',
        direction: 'row',
        panes: tids.map((tid, i) => ({ tid, width: i === n - 1 ? width - (sideW + 1) * (n - 1) : sideW, height })),
        listWidth: 0,
      };
    }
    const stackH = Math.floor(height / n);
    if (stackH >= STACK_MIN_ROWS) {
      return {
        mode: 'stacked',
        direction: 'column',
        panes: tids.map((tid, i) => ({ tid, width, height: i === n - 1 ? height - stackH * (n - 1) : stackH })),
        listWidth: 0,
      };
    }
  }
  const listWidth = THREAD_LIST_WIDTH;
  return { mode: 'list', direction: 'row', panes: [{ tid: focus, width: width - listWidth - 1, height }], listWidth };
}
