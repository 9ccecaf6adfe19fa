// One trace row as text: relative time, who (tid and thread name, in the merged timeline), the
// strace line and its duration (strace -r -T style), cut to the width the way a reader needs it.
import type { TraceEvent } from '../engine/types.js';
import { DEFAULT_DISPLAY, wallTime, type DisplayOptions } from './display-options.js';

/** Marks a call in progress, after its entry half: `read(3, <running>`, `openat(AT_FDCWD, "f", O_RDONLY <running>`. */
export const RUNNING_MARK = '<running>';

/** A running call's entry half and its mark: a space between them after an argument, as strace's
 *  ` <unfinished ...>` has (`O_RDONLY<running>` read as one word); none after `(` or `, `. */
function withRunningMark(entry: string): string {
  return entry.endsWith(' ') || entry.endsWith('(') ? entry + RUNNING_MARK : `${entry} ${RUNNING_MARK}`;
}

/** The strace line of a row (what strace prints for it); running calls show their entry half. */
export function eventText(ev: TraceEvent): string {
  switch (ev.kind) {
    case 'syscall':
      return ev.running ? withRunningMark(ev.text) : ev.text;
    case 'signal':
    case 'stop':
    case 'exit':
      return ev.text;
    // Not rows (strace prints no line for them); described for completeness.
    case 'thread':
      return ev.parentTid ? `new thread of ${ev.parentTid}` : 'attached';
    case 'exec':
      return `exec ${ev.path}`;
    case 'detach':
      return ev.reason;
  }
}

/** Seconds since the first event, 6 decimals: `    12.345678`; blank when there is no time (firstNs NaN: a log without timestamps). */
export function relTime(ev: TraceEvent, firstNs: number): string {
  if (Number.isNaN(firstNs)) return ''.padStart(TIME_W);
  const s = firstNs < 0 ? 0 : Math.max(0, ev.entryNs - firstNs) / 1e9;
  return s.toFixed(6).padStart(11);
}

/** Monotonic ns now, on the clock the engine stamps calls with (CLOCK_MONOTONIC). */
export function monoNowNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * `<0.000123>` for completed calls, `<unfinished>` for calls cut short (none for those whose text
 * ends in ` = ?`), the time so far
 * of a call in progress, '' for rows that are not calls (and when a log does not say: exitNs NaN;
 * nor for a log's call in progress: nowNs NaN). `nowNs`: the screen's clock (store.ts: clockNs).
 */
export function duration(ev: TraceEvent, nowNs: number): string {
  if (ev.kind !== 'syscall') return '';
  // `exit_group(0) = ?` never returns, and says so itself: strace -T shows no time for it either.
  if (ev.unfinished) return ev.text.endsWith(' = ?') ? '' : '<unfinished>';
  if (Number.isNaN(ev.exitNs) || (ev.running && Number.isNaN(nowNs))) return '';
  const end = ev.running ? Math.max(nowNs, ev.entryNs) : ev.exitNs;
  return `<${(Math.max(0, end - ev.entryNs) / 1e9).toFixed(6)}>`;
}

/** A piece of a cut row: text, or (mark) the sign that something was cut out there. */
export interface Segment {
  text: string;
  mark?: boolean;
  /** a match of the search (search.ts) */
  hit?: boolean;
}

export interface RowParts {
  time: string;
  /** tid (and name) column, '' when not shown */
  who: string;
  /** the strace line cut to its room, CUT_MARK where something was left out */
  segments: Segment[];
  dur: string;
  failed: boolean;
  running: boolean;
}

/**
 * Where a row was cut. ASCII on purpose: Ink measures every row of every frame with string-width,
 * which takes ~1 us for a printable-ASCII line and ~250 us for one holding a single non-ASCII
 * character. It is drawn in reverse video, so that it is never read as strace's own syntax (`~` is
 * a complemented set there, `...` an abbreviation).
 */
export const CUT_MARK = '>';

/** Quoted strings in a strace line: [start, end) of each, quotes included. */
function quotedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length) break;
    spans.push([i, j + 1]);
    i = j;
  }
  return spans;
}

/** Characters of a quoted string kept before and (at least) after a cut inside it. */
const KEEP_HEAD = 6;
const KEEP_TAIL = 12;

const MARK: Segment = { text: CUT_MARK, mark: true };

/** The first `n` columns of some segments. */
function takeColumns(segs: Segment[], n: number): Segment[] {
  const out: Segment[] = [];
  for (const sg of segs) {
    if (n <= 0) break;
    out.push(sg.text.length <= n ? sg : { text: sg.text.slice(0, n), mark: sg.mark });
    n -= sg.text.length;
  }
  return out;
}

/**
 * A call's arguments (everything before ` = `) in `budget` columns. What follows the last quoted
 * string goes first (flags, sizes), then the middle of the longest strings (a path's end names the
 * file: it stays), then their heads too, then what stands between the call's name and its first
 * string (`AT_FDCWD, `), and only then whatever is left at the end.
 */
function cutArguments(head: string, budget: number): Segment[] {
  let over = head.length - budget;
  if (over <= 0) return [{ text: head }];
  const spans = quotedSpans(head);
  let body = head;
  let endMark = false;
  const lastQuote = spans.length ? spans[spans.length - 1][1] : head.length;
  if (head.length - lastQuote > 1) {
    const r = Math.min(head.length - lastQuote, over + 1);
    body = head.slice(0, head.length - r);
    endMark = true;
    over -= r - 1;
  }
  // Per string: where its cut starts and how much it removes (a mark goes in its place).
  const cuts = new Map<number, [number, number]>();
  const longestFirst = spans.map((_, i) => i).sort((a, b) => spans[b][1] - spans[b][0] - (spans[a][1] - spans[a][0]));
  for (const keepHead of [KEEP_HEAD, 1]) {
    for (const i of longestFirst) {
      if (over <= 0) break;
      const [s, e] = spans[i];
      const saved = Math.max(0, (cuts.get(i)?.[1] ?? 0) - 1);
      const r = Math.min(e - s - 2 - keepHead - KEEP_TAIL, over + saved + 1);
      if (r < 2 || r - 1 <= saved) continue;
      cuts.set(i, [s + 1 + keepHead, r]);
      over -= r - 1 - saved;
    }
  }
  // What stands before the first string loses its end, next to the string, and only as much as
  // it must (a connect's fd and the start of its address stay); all of it when what would be left
  // is too short to read (`AT_FDCWD, ` goes whole).
  const open = body.indexOf('(');
  const before = spans.length && open >= 0 ? spans[0][0] - open - 1 : 0;
  if (over > 0 && before >= 2) {
    const r = before - (over + 1) < KEEP_HEAD ? before : over + 1;
    cuts.set(-1, [spans[0][0] - r, r]);
    over -= r - 1;
  }
  const out: Segment[] = [];
  let pos = 0;
  for (const [at, r] of [...cuts.values()].sort((a, b) => a[0] - b[0])) {
    out.push({ text: body.slice(pos, at) }, MARK);
    pos = at + r;
  }
  out.push({ text: body.slice(pos) });
  if (over > 0) return [...takeColumns(out, budget - 1), MARK];
  if (endMark) out.push(MARK);
  return out;
}

/**
 * Cuts a strace line to `room` columns. The result (` = -1 ENOENT (...)`) stays visible when it
 * can: it is what the user scans for (an error's explanation goes before its name does). The
 * arguments are shortened as cutArguments says.
 */
export function fitLine(text: string, room: number): Segment[] {
  if (text.length <= room) return [{ text: text.padEnd(room) }];
  // A running call's mark keeps the space before it, if it has one: a cut argument's `>` and the
  // mark stay apart (`clock_nanosleep(CLOCK_REALTIME, 0> <running>`).
  const eq = text.endsWith(RUNNING_MARK) ? text.length - RUNNING_MARK.length - (text.endsWith(` ${RUNNING_MARK}`) ? 1 : 0) : text.lastIndexOf(' = ');
  let tail: Segment[] = [];
  let tailLen = 0;
  if (eq > 0) {
    let t = text.slice(eq);
    const maxTail = Math.max(Math.floor(room / 2), room - 24);
    if (t.length > maxTail) {
      const short = t.replace(/ \([^()]*\)$/, ''); // ` = -1 ENOENT (No such file...)` -> ` = -1 ENOENT`
      t = short.length < maxTail ? short : short.slice(0, maxTail - 1);
      tail = [{ text: t }, MARK];
      tailLen = t.length + 1;
    } else {
      tail = [{ text: t }];
      tailLen = t.length;
    }
  }
  const out = [...cutArguments(eq > 0 ? text.slice(0, eq) : text, room - tailLen), ...tail].filter((sg) => sg.text.length);
  const used = out.reduce((n, sg) => n + sg.text.length, 0);
  // Padded to the room, so that durations line up.
  if (used < room) out.push({ text: ' '.repeat(room - used) });
  return out;
}

export const TIME_W = 11;
export const TID_W = 7;
export const DUR_W = 12;

/** The tid column of the merged timeline: ` 1234 worker-00` (tid padded to tidW, name to nameW). */
export function whoColumn(tid: number, name: string, tidW: number, nameW: number): string {
  const t = String(tid).padStart(tidW);
  return nameW ? `${t} ${name.slice(0, nameW).padEnd(nameW)}` : t;
}

/**
 * Fits the row into `width` columns: time, who (if given), text (cut as fitLine does), duration
 * right-aligned, as the display options say (time stamps, durations). `note` is what
 * the analysis adds to the row (how a non-blocking connect ended), after the result.
 */
export function rowParts(ev: TraceEvent, firstNs: number, width: number, who = '', nowNs = NaN, note = '', display: DisplayOptions = DEFAULT_DISPLAY): RowParts {
  const time = display.ts && !Number.isNaN(firstNs) ? wallTime(ev, display.ts) : relTime(ev, firstNs);
  const dur = display.durations ? duration(ev, nowNs).padStart(DUR_W) : '';
  const fixed = time.length + 1 + (who ? who.length + 1 : 0) + (dur ? DUR_W + 1 : 0);
  const room = Math.max(8, width - fixed);
  // The text is drawn as the history gives it: in the display's -y, -s and -x (TraceHistory.textForm).
  const text = eventText(ev);
  // With a note, the errno's words give way to it (the row details keep the whole line).
  const line = note ? `${text.replace(/ \([^()]*\)$/, '')} -> ${note}` : text;
  // One row is one line: a raw line break (an exec path may hold one) would spill into the next.
  const segments = fitLine(/[\n\r]/.test(line) ? line.replace(/\n/g, '\\n').replace(/\r/g, '\\r') : line, room);
  return {
    time,
    who,
    segments,
    dur,
    failed: ev.kind === 'syscall' && ev.errno !== '',
    running: ev.kind === 'syscall' && !!ev.running,
  };
}
