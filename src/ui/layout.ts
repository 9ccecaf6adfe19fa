// Where the trace screen's panes go for a given terminal size and the threads' activity. Pure, so
// the key handlers (which need the focused pane's height to page) and the renderer agree.
//
// What the first screen shows is decided here: the busiest threads get the panes (a thread that
// made no call lately never takes one), or, when more threads are busy than panes fit, one merged
// timeline of all of them. The user's choices (a focused thread, the merged timeline, zoom) win
// over that once made.

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 15;

/** Rows the trace screen spends outside its panes: header, status bar, key bar. */
export const CHROME_ROWS = 3;

/**
 * auto: as the activity says; merged: one timeline of every thread; threads: the focused thread
 * and the busiest others; zoom: the focused thread alone.
 */
export type ViewMode = 'auto' | 'merged' | 'threads' | 'zoom';

export interface PaneRect {
  /** tid, or -1 for the merged timeline */
  tid: number;
  width: number;
  /** rows, including the pane's title line */
  height: number;
}

export interface TraceLayout {
  /** what is shown: one merged timeline, or thread panes */
  merged: boolean;
  /** auto: merged because more threads are busy than panes fit */
  crowded?: boolean;
  /** the pane keys act on (a tid, or -1 for the merged timeline) */
  focus: number;
  /** panes in columns, each column top to bottom */
  columns: PaneRect[][];
  /** width of the thread list on the left, 0 when it is not shown; the whole width (and no
   *  columns) when it is shown alone */
  listWidth: number;
}

const SIDE_MIN_WIDTH = 80; // time, tid and duration take 33 columns: leave the line 47 at least
const STACK_MIN_ROWS = 8; // title + 7 rows
const MAX_PANES = 4;
export const THREAD_LIST_WIDTH = 46;
/** The thread list is shown beside the panes from this width on (unless the user says otherwise). */
const LIST_MIN_WIDTH = 150;
/** Narrowest pane beside the list; below it the list is shown alone. */
const PANE_MIN_WIDTH = 50;

export interface LayoutInput {
  width: number;
  /** rows available for panes */
  height: number;
  mode: ViewMode;
  /** every thread shown in the list, busiest first */
  tids: readonly number[];
  /** threads that made calls lately, busiest first */
  active: readonly number[];
  /** the thread the user focused (auto: 0 until they do) */
  focusTid: number;
  /** the thread list: shown, hidden, or (undefined) when there is room and more threads than panes */
  showList?: boolean;
  /** auto: the merged timeline was shown a moment ago; it stays rather than flicker to panes */
  wasMerged?: boolean;
}

/** How many panes fit, as columns x rows. */
function grid(width: number, height: number): { cols: number; rows: number } {
  const cols = Math.max(1, Math.floor((width + 1) / (SIDE_MIN_WIDTH + 1)));
  const rows = Math.max(1, Math.floor(height / STACK_MIN_ROWS));
  return { cols, rows };
}

/** The panes of `tids` (already capped to what fits), spread over columns of equal height. */
function arrange(tids: readonly number[], width: number, height: number): PaneRect[][] {
  const g = grid(width, height);
  const cols = Math.min(g.cols, tids.length);
  const perCol = Math.ceil(tids.length / cols);
  const colW = Math.floor((width - (cols - 1)) / cols);
  const out: PaneRect[][] = [];
  for (let c = 0; c < cols; c++) {
    const mine = tids.slice(c * perCol, (c + 1) * perCol);
    const w = c === cols - 1 ? width - (colW + 1) * (cols - 1) : colW;
    const h = Math.floor(height / mine.length);
    out.push(mine.map((tid, i) => ({ tid, width: w, height: i === mine.length - 1 ? height - h * (mine.length - 1) : h })));
  }
  return out;
}

export function traceLayout(o: LayoutInput): TraceLayout {
  const { width, height, tids } = o;
  const focusOk = tids.includes(o.focusTid);
  let mode = o.mode;
  if (mode !== 'merged' && mode !== 'auto' && !focusOk) mode = 'auto';
  const listWanted = tids.length > 0 && (o.showList ?? (width >= LIST_MIN_WIDTH && tids.length > 1));
  // Asked for where it leaves too little room beside it, the list takes the whole body.
  if (listWanted && width - THREAD_LIST_WIDTH - 1 < PANE_MIN_WIDTH) {
    return { merged: false, focus: focusOk ? o.focusTid : (o.active[0] ?? tids[0]), columns: [], listWidth: width };
  }
  const listWidth = listWanted ? THREAD_LIST_WIDTH : 0;
  const paneW = listWidth ? width - listWidth - 1 : width;
  const g = grid(paneW, height);
  const capacity = Math.min(MAX_PANES, g.cols * g.rows);
  const merged = (focus = -1): TraceLayout => ({ merged: true, focus, columns: [[{ tid: -1, width: paneW, height }]], listWidth });
  const panes = (shown: number[], focus: number): TraceLayout => ({ merged: false, focus, columns: arrange(shown, paneW, height), listWidth });

  if (mode === 'merged' || tids.length === 0) return merged();
  if (mode === 'zoom') return panes([o.focusTid], o.focusTid);
  if (mode === 'threads') {
    // The focused thread, and the busiest others as room allows, in the list's order.
    const others = o.active.filter((t) => t !== o.focusTid).slice(0, capacity - 1);
    const shown = tids.filter((t) => t === o.focusTid || others.includes(t)).sort((a, b) => a - b);
    return panes(shown, o.focusTid);
  }
  // auto
  if (o.active.length > capacity) return { ...merged(), crowded: true };
  if (o.wasMerged) return merged();
  if (o.active.length === 0) {
    // Nothing busy: the only thread there is, or every thread in one timeline.
    return tids.length === 1 ? panes([tids[0]], tids[0]) : merged();
  }
  // In tid order, so that panes keep their places while the rates move.
  const shown = tids.filter((t) => o.active.includes(t)).sort((a, b) => a - b);
  return panes(shown, focusOk && shown.includes(o.focusTid) ? o.focusTid : o.active[0]);
}

/** Every pane of a layout, column by column. */
export function layoutPanes(l: TraceLayout): PaneRect[] {
  return l.columns.flat();
}
