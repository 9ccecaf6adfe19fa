// One trace row as text: relative time, tid, the strace line, its duration (strace -r -T style).
import type { TraceEvent } from '../engine/types.js';

/** The strace line of any event; events that strace prints nothing for get a `---` note. */
export function eventText(ev: TraceEvent): string {
  switch (ev.kind) {
    case 'syscall':
    case 'signal':
    case 'stop':
    case 'exit':
      return ev.text;
    case 'thread':
      return ev.parentTid ? `--- new thread, created by ${ev.parentTid} ---` : '--- attached ---';
    case 'exec':
      return ev.oldTid !== ev.tid ? `--- exec ${ev.path} (from thread ${ev.oldTid}) ---` : `--- exec ${ev.path} ---`;
    case 'detach':
      return `--- detached: ${ev.reason} ---`;
  }
}

/** Seconds since the first event, 6 decimals: `    12.345678`; blank when there is no time (firstNs NaN: a log without timestamps). */
export function relTime(ev: TraceEvent, firstNs: number): string {
  if (Number.isNaN(firstNs)) return ''.padStart(TIME_W);
  const s = firstNs < 0 ? 0 : Math.max(0, ev.entryNs - firstNs) / 1e9;
  return s.toFixed(6).padStart(11);
}

/** `<0.000123>` for completed calls, `<unfinished>` for calls that never returned, '' otherwise (and when a log does not say: exitNs NaN). */
export function duration(ev: TraceEvent): string {
  if (ev.kind !== 'syscall') return '';
  if (ev.unfinished) return '<unfinished>';
  if (Number.isNaN(ev.exitNs)) return '';
  return `<${(Math.max(0, ev.exitNs - ev.entryNs) / 1e9).toFixed(6)}>`;
}

export interface RowParts {
  time: string;
  tid: string;
  text: string;
  dur: string;
  failed: boolean;
}

/**
 * Where a row is cut. ASCII on purpose: Ink measures every row of every frame with string-width,
 * which takes ~0.2 us for a printable-ASCII line and ~80 us for one holding a single `…` (it then
 * segments the whole line), which made measuring alone cost ~12 ms a frame on a busy trace.
 */
export const CUT_MARK = '~';

/**
 * Cuts a strace line to `room` columns, keeping its result (` = -1 ENOENT (...)`) visible: the
 * arguments are shortened first, since what a call returned is what the user scans for.
 */
export function fitLine(text: string, room: number): string {
  if (text.length <= room) return text.padEnd(room);
  const eq = text.lastIndexOf(' = ');
  if (eq > 0) {
    let tail = text.slice(eq);
    const maxTail = Math.max(Math.floor(room / 2), room - 16);
    if (tail.length > maxTail) tail = tail.slice(0, maxTail - 1) + CUT_MARK;
    const head = room - tail.length - 1;
    if (head >= 8) return text.slice(0, head) + CUT_MARK + tail;
  }
  return text.slice(0, room - 1) + CUT_MARK;
}

export const TIME_W = 11;
export const TID_W = 7;
export const DUR_W = 12;

/** Fits the row into `width` columns: time, tid, text (cut with CUT_MARK), duration right-aligned. */
export function rowParts(ev: TraceEvent, firstNs: number, width: number, showTid: boolean): RowParts {
  const time = relTime(ev, firstNs);
  const tid = showTid ? String(ev.tid).padStart(TID_W) : '';
  const dur = duration(ev);
  const fixed = TIME_W + 1 + (showTid ? TID_W + 1 : 0) + DUR_W + 1;
  const room = Math.max(8, width - fixed);
  const line = eventText(ev);
  // One row is one line: a raw line break (an exec path may hold one) would spill into the next.
  const text = fitLine(/[\n\r]/.test(line) ? line.replace(/\n/g, '\\n').replace(/\r/g, '\\r') : line, room);
  return { time, tid, text, dur: dur.padStart(DUR_W), failed: ev.kind === 'syscall' && ev.errno !== '' };
}
