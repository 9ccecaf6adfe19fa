// Display options the user changes at run time (`-` then the strace option's letter, as less's
// `-` toggles its options), applied to every row of the history as it is drawn: wall-clock time
// stamps (-t, -tt, -ttt) instead of the relative ones, the durations (-T), strings in hex (-x,
// -xx). What was traced stays as it was: only its drawing changes.
import { readQuoted } from '../analysis/strace-strings.js';
import type { TraceEvent } from '../engine/types.js';

export interface DisplayOptions {
  /** 0: seconds since the first row (strace -r's style); 1-3: -t, -tt, -ttt */
  ts: 0 | 1 | 2 | 3;
  /** -T: each call's duration */
  durations: boolean;
  /** strings: 0 as strace's default, 1: -x (the ones not printable in hex), 2: -xx (all in hex);
   *  3 (--strings-in-hex=non-ascii-chars) only as traced */
  xflag: number;
  /** the -x the rows were traced with (what their text holds) */
  readonly tracedX: number;
}

export const DEFAULT_DISPLAY: DisplayOptions = { ts: 0, durations: true, xflag: 0, tracedX: 0 };

/** What the letter after `-` changes, and the words that say what it is now. */
export function applyOption(d: DisplayOptions, letter: string): { display: DisplayOptions; said: string } | undefined {
  switch (letter) {
    case 't': {
      const ts = ((d.ts + 1) % 4) as DisplayOptions['ts'];
      return { display: { ...d, ts }, said: ts ? `-${'t'.repeat(ts)}: wall-clock time stamps` : 'time stamps relative to the first row' };
    }
    case 'T':
      return { display: { ...d, durations: !d.durations }, said: d.durations ? 'durations hidden' : '-T: durations shown' };
    case 'x': {
      const xflag = (d.xflag + 1) % 3;
      return { display: { ...d, xflag }, said: xflag ? `-${'x'.repeat(xflag)}: ${xflag === 1 ? 'strings with non-printable bytes' : 'every string'} in hex` : 'strings as strace prints them by default' };
    }
  }
  return undefined;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The row's time as -t, -tt or -ttt print it (local time, as strace); blank without a time. */
export function wallTime(ev: TraceEvent, ts: 1 | 2 | 3): string {
  const width = [0, 8, 15, 17][ts];
  const wall = Math.floor(ev.wallUs);
  if (!(wall > 0)) return ''.padStart(width);
  const us = String(wall % 1e6).padStart(6, '0');
  if (ts === 3) return `${Math.floor(wall / 1e6)}.${us}`.padStart(width);
  const d = new Date(Math.floor(wall / 1000));
  const hms = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return ts === 1 ? hms : `${hms}.${us}`;
}

// Printed with %s by strace, not quoted as strings: -x leaves them alone.
const NOT_STRINGS = ['inet_addr(', 'inet_pton(AF_INET6, ', 'inet_pton(AF_INET, '];

/**
 * A strace line with its strings quoted again as -x or -xx (xflag) would print them, from what the
 * line says (`from`: the -x it was traced with). Escapes are decoded back to the bytes first.
 */
export function requote(text: string, xflag: number, from: number): string {
  if (xflag === from || !text.includes('"')) return text;
  let out = '';
  let i = 0;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) break;
    const s = readQuoted(text, q);
    if (!s) break;
    out += text.slice(i, q);
    const close = s.truncated ? s.end - 3 : s.end;
    out += NOT_STRINGS.some((p) => text.endsWith(p, q)) ? text.slice(q, close) : `"${quoteBytes(s.bytes, xflag)}"`;
    i = close;
  }
  return out + text.slice(i);
}

/** strace's string quoting (its string_quote) of some bytes, without the quotes. */
export function quoteBytes(b: Uint8Array, xflag: number): string {
  const hex = xflag > 1 || (xflag === 1 && b.some((c) => c > 0x7e || (c < 0x20 && (c < 9 || c > 13))));
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (hex) {
      out += '\\x' + c.toString(16).padStart(2, '0');
      continue;
    }
    const simple = ESCAPES[c];
    if (simple) out += simple;
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else {
      // Octal, as short as it can be unless an octal digit follows.
      const long = i + 1 < b.length && b[i + 1] >= 0x30 && b[i + 1] <= 0x37;
      out += '\\' + (long || c >= 0o100 ? String(c >> 6) : '') + (long || c >= 0o10 ? String((c >> 3) & 7) : '') + String(c & 7);
    }
  }
  return out;
}

const ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
