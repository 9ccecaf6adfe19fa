// Writing trace rows out: as strace text (the lines `strace -f -tt -T -o FILE` writes, so that any
// strace tool, and --load, reads them back) or as JSON lines (one object per row; the schema is in
// the README). Files are created mode 0600: a trace holds whatever the traced program read and wrote.
import fs from 'node:fs';

import type { TraceEvent } from '../engine/types.js';
import { callEnd } from './line.js';

export type WriteFormat = 'text' | 'json';

export interface WriteOptions {
  format: WriteFormat;
  /** rows carry wall-clock times worth printing (-tt) */
  timestamps: boolean;
  /** a thread's name when it made row number `seq`, '' when unknown */
  comm?: (tid: number, seq: number) => string;
}

/** strace's column for ` = ` (-a 40). */
const ACOLUMN = 40;

/** The JSON object of one row (see the README for the fields). Undefined for rows strace has no line for. */
export interface JsonRow {
  type: 'syscall' | 'signal' | 'stop' | 'exit';
  pid: number | null;
  tid: number | null;
  comm: string | null;
  name?: string | null;
  args?: string;
  result?: string | null;
  ret?: number | null;
  errno?: string | null;
  unfinished?: boolean;
  entry: number | null;
  exit?: number | null;
  duration?: number | null;
  text?: string;
  signo?: number;
  code?: number | null;
  signal?: string | null;
  core?: boolean;
}

/** `call(args)` and what follows ` = ` in a row's text (result null for a call without one). */
export function splitCall(text: string): { call: string; args: string; result: string | null } {
  const open = text.indexOf('(');
  const end = open < 0 ? -1 : callEnd(text, open + 1);
  if (end < 0) return { call: text, args: open < 0 ? '' : text.slice(open + 1), result: null };
  const rest = text.slice(end);
  return { call: text.slice(0, end), args: text.slice(open + 1, end - 1), result: rest.startsWith(' = ') ? rest.slice(3) : null };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** -tt: `02:25:53.137909` in local time. */
function timeOfDay(wallUs: number): string {
  const d = new Date(Math.floor(wallUs / 1000));
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(Math.floor(wallUs % 1e6)).padStart(6, '0')}`;
}

function durationNs(ev: TraceEvent): number {
  return ev.kind === 'syscall' && !ev.unfinished && Number.isFinite(ev.exitNs) ? Math.max(0, ev.exitNs - ev.entryNs) : NaN;
}

/** A row as the line strace -f -tt -T writes for it; '' for rows strace has no line for. */
export function textLine(ev: TraceEvent, o: WriteOptions): string {
  if (ev.kind === 'thread' || ev.kind === 'exec' || ev.kind === 'detach') return '';
  let head = ev.tid ? `${String(ev.tid).padEnd(5)} ` : '';
  if (o.timestamps && ev.wallUs) head += `${timeOfDay(ev.wallUs)} `;
  if (ev.kind !== 'syscall') return head + ev.text;
  const { call, result } = splitCall(ev.text);
  if (result === null) return head + ev.text;
  const left = head + call;
  const dur = durationNs(ev);
  return `${left.length < ACOLUMN - 1 ? left.padEnd(ACOLUMN - 1) : left} = ${result}${Number.isNaN(dur) ? '' : ` <${(dur / 1e9).toFixed(6)}>`}`;
}

const seconds = (us: number) => Math.round(us) / 1e6;

/** A row as a JSON object; undefined for rows strace has no line for. */
export function jsonRow(ev: TraceEvent, o: WriteOptions, seq = NaN): JsonRow | undefined {
  if (ev.kind === 'thread' || ev.kind === 'exec' || ev.kind === 'detach') return undefined;
  const comm = o.comm?.(ev.tid, seq) || null;
  const entry = o.timestamps && ev.wallUs ? seconds(ev.wallUs) : null;
  const base = { pid: ev.pid || null, tid: ev.tid || null, comm };
  if (ev.kind === 'syscall') {
    const { args, result } = splitCall(ev.text);
    const dur = durationNs(ev);
    const ret = ev.unfinished || result === null ? null : ev.errno ? -1 : ev.rval;
    return {
      type: 'syscall',
      ...base,
      name: ev.name,
      args,
      result: ev.unfinished ? null : result,
      ret,
      errno: ev.errno || null,
      unfinished: ev.unfinished,
      entry,
      exit: entry !== null && !Number.isNaN(dur) ? seconds(ev.wallUs + dur / 1000) : null,
      duration: Number.isNaN(dur) ? null : dur / 1e9,
    };
  }
  if (ev.kind === 'exit') {
    return { type: 'exit', ...base, entry, code: ev.signo ? null : ev.code, signal: ev.signo ? (/killed by (SIG\w+)/.exec(ev.text)?.[1] ?? null) : null, core: ev.core, text: ev.text };
  }
  return { type: ev.kind, ...base, name: ev.name, signo: ev.signo, entry, text: ev.text };
}

/** One row (number `seq`) in the chosen format ('' when the row has no line). */
export function formatRow(ev: TraceEvent, o: WriteOptions, seq = NaN): string {
  if (o.format === 'text') return textLine(ev, o);
  const row = jsonRow(ev, o, seq);
  return row ? JSON.stringify(row) : '';
}

/**
 * Writes rows (with their sequence numbers) to a file created (or replaced) with mode 0600, in 1 MiB writes. Returns the number of
 * lines written. Throws the file system's error (the caller says it in one line).
 */
export function writeRows(path: string, rows: Iterable<[number, TraceEvent]>, o: WriteOptions): number {
  const fd = fs.openSync(path, 'w', 0o600);
  let n = 0;
  try {
    // An existing file keeps its mode through open(): make it private too.
    fs.fchmodSync(fd, 0o600);
    let chunk: string[] = [];
    let size = 0;
    const flush = () => {
      if (!chunk.length) return;
      // strace text is bytes as read (latin1 gives them back); JSON is UTF-8.
      fs.writeSync(fd, chunk.join('\n') + '\n', null, o.format === 'text' ? 'latin1' : 'utf8');
      chunk = [];
      size = 0;
    };
    for (const [seq, ev] of rows) {
      const line = formatRow(ev, o, seq);
      if (!line) continue;
      chunk.push(line);
      size += line.length;
      n++;
      if (size > 1 << 20) flush();
    }
    flush();
  } finally {
    fs.closeSync(fd);
  }
  return n;
}
