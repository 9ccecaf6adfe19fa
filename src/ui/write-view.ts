// `w` and `W`: the rows on screen written to a file. `w` takes the rows of every thread that pass
// the filters, `W` the whole history; both stop where the display does (Space freezes it). A name
// ending in .json or .jsonl gets JSON lines, any other strace text; --json makes .jsonl the default.
import fs from 'node:fs';

import type { TraceEvent, TraceSource } from '../engine/types.js';
import { writeRows } from '../log/write.js';
import { describeFilter, NO_FILTER } from './filter.js';
import { visibleLimit, type TraceState, type TraceStore } from './store.js';
import { ALL_THREADS } from './trace-history.js';

/** The rows `w` (all = false) or `W` (all = true) writes, oldest first, with their sequence numbers. */
function* rowsToWrite(s: TraceState, all: boolean): Generator<[number, TraceEvent]> {
  const list = s.history.rows(ALL_THREADS, all ? NO_FILTER : s.filter);
  for (let i = 0, n = list.size(visibleLimit(s)); i < n; i++) {
    const seq = list.seqAt(i);
    const ev = s.history.at(seq);
    if (ev) yield [seq, ev];
  }
}

export function rowCount(s: TraceState, all: boolean): number {
  return s.history.rows(ALL_THREADS, all ? NO_FILTER : s.filter).size(visibleLimit(s));
}

/** What the prompt says it will write: `1,234 rows (file,failed)`. */
export function writeWhat(s: TraceState, all: boolean): string {
  const n = rowCount(s, all).toLocaleString('en-US');
  const f = describeFilter(s.filter);
  return `${n} rows (${all ? 'whole history' : f ? `filter: ${f}` : 'no filter'})`;
}

/** `systrace-1234-20260126-142501.log` in the current directory. */
export function defaultWritePath(s: TraceState, now = new Date()): string {
  const pid = s.history.threads.get(s.focusTid)?.pid ?? s.history.threads.get(s.history.threadOrder[0])?.pid ?? 0;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p2(now.getMonth() + 1)}${p2(now.getDate())}-${p2(now.getHours())}${p2(now.getMinutes())}${p2(now.getSeconds())}`;
  return `systrace-${pid || 'trace'}-${stamp}.${s.exportJson ? 'jsonl' : 'log'}`;
}

/**
 * Enter in the prompt: writes the file, or asks once before replacing one that exists. The outcome
 * is the status bar's message, or the prompt's error.
 */
export function submitWrite(store: TraceStore, source: TraceSource | null): void {
  const s = store.getState();
  const d = s.writeDraft;
  if (!d) return;
  const path = d.path.trim();
  if (!path) return store.setState({ writeDraft: { ...d, error: 'a file name, please' } });
  if (!d.replace && fs.existsSync(path)) {
    return store.setState({ writeDraft: { ...d, replace: true, error: 'exists: Enter replaces it, Esc keeps it' } });
  }
  const format = /\.jsonl?$/i.test(path) ? 'json' : 'text';
  try {
    const n = writeRows(path, rowsToWrite(s, d.all), { format, timestamps: s.source.timestamps, comm: (tid, seq) => source?.comm?.(tid, seq) ?? '' });
    store.setState({ writeDraft: null, message: `wrote ${n.toLocaleString('en-US')} rows to ${path} (${format === 'json' ? 'JSON lines' : 'strace text'}, mode 0600)` });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    store.setState({ writeDraft: { ...d, replace: false, error: `cannot write: ${e.code ?? ''} ${e.message.replace(/^[A-Z]+: /, '').replace(/, open .*$/, '')}`.trim() } });
  }
}
