// Which rows a pane shows and where its cursor is. A pane's position is kept as sequence numbers
// (cursor row and top row), never as indices, so it stays put while rows are evicted at the front,
// appended at the end, or filtered differently. Following means: cursor on the newest row.
import type { RowList } from './trace-history.js';

export interface PaneView {
  follow: boolean;
  cursor: number; // seq of the cursor row
  top: number; // seq of the first visible row
}

export const FOLLOWING: PaneView = { follow: true, cursor: 0, top: 0 };

export interface PaneWindow {
  /** seqs of the visible rows, top to bottom */
  seqs: number[];
  /** index into seqs of the cursor row, -1 when there are no rows */
  cursor: number;
  /** rows that pass the filter (up to the limit) */
  total: number;
  /** index of the first visible row among `total` */
  first: number;
}

function place(list: RowList, view: PaneView, height: number, limit: number): { ci: number; ti: number; n: number } {
  const n = list.size(limit);
  const h = Math.max(1, height);
  if (n === 0) return { ci: -1, ti: 0, n };
  if (view.follow) return { ci: n - 1, ti: Math.max(0, n - h), n };
  const ci = Math.min(list.lowerBound(view.cursor), n - 1);
  let ti = Math.min(list.lowerBound(view.top), n - 1);
  if (ci < ti) ti = ci;
  if (ci >= ti + h) ti = ci - h + 1;
  ti = Math.max(0, Math.min(ti, n - h));
  return { ci, ti, n };
}

export function paneWindow(list: RowList, view: PaneView, height: number, limit: number): PaneWindow {
  const { ci, ti, n } = place(list, view, height, limit);
  const seqs: number[] = [];
  for (let i = ti; i < n && seqs.length < height; i++) seqs.push(list.seqAt(i));
  return { seqs, cursor: ci < 0 ? -1 : ci - ti, total: n, first: ti };
}

export type ScrollAction = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

/** Moving anywhere but to the end (G/End) stops following; G/End resume it. */
export function scrollPane(list: RowList, view: PaneView, height: number, limit: number, action: ScrollAction): PaneView {
  if (action === 'end') return FOLLOWING;
  const { ci, ti, n } = place(list, view, height, limit);
  if (n === 0) return view;
  const page = Math.max(1, height - 1);
  let c = ci;
  let t = ti;
  switch (action) {
    case 'up':
      c = ci - 1;
      break;
    case 'down':
      c = ci + 1;
      break;
    case 'pageUp':
      c = ci - page;
      t = ti - page;
      break;
    case 'pageDown':
      c = ci + page;
      t = ti + page;
      break;
    case 'home':
      c = 0;
      t = 0;
      break;
  }
  c = Math.max(0, Math.min(c, n - 1));
  t = Math.max(0, Math.min(t, n - 1));
  if (c < t) t = c;
  if (c >= t + height) t = c - height + 1;
  return { follow: false, cursor: list.seqAt(c), top: list.seqAt(Math.max(0, t)) };
}
