// Display options the user changes at run time (`-` then the strace option's letter, as less's
// `-` toggles its options), applied to every row of the history as it is drawn: wall-clock time
// stamps (-t, -tt, -ttt) instead of the relative ones, the durations (-T), strings in hex (-x,
// -xx), descriptors with their paths or endpoints (-y, -yy) and strings cut at another length
// (-s). What was traced stays as it was: only its drawing changes. -y and -s need a live trace's
// records, which hold every form (record-text.ts); a log's lines are drawn as they were written.
import type { TextForm } from '../engine/record-text.js';
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
  /** descriptors: 0 the number, 1 -y (and its path), 2 -yy (socket endpoints, devices, pidfds too) */
  fds: TextForm['fds'];
  /** -s: strings cut after this many bytes */
  strsize: number;
  /** how much of each string the rows hold (KEPT_STRSIZE or the command line's -s); 0: the rows
   *  hold one form only (a log), so -y and -s cannot change them */
  readonly keptStrsize: number;
}

/**
 * The longest string a trace keeps for the display's -s (a longer -s on the command line keeps
 * that much): 8 times strace's default. Each held call's strings cost up to this many bytes (4
 * times as many escaped): what a buffer-heavy trace's history costs grows with it.
 */
export const KEPT_STRSIZE = 256;

/** The bytes of each string a trace traced with -s `strsize` keeps. */
export function keptStrsize(strsize: number): number {
  return Math.max(strsize, KEPT_STRSIZE);
}

/** The lengths -s goes through, in turn (those the rows keep, and the command line's). */
export const STRSIZES = [32, 64, 256, 1024];

export const DEFAULT_DISPLAY: DisplayOptions = { ts: 0, durations: true, xflag: 0, tracedX: 0, fds: 0, strsize: 32, keptStrsize: 0 };

/** How the rows' texts are rendered under these options (TraceHistory.textForm). */
export function textFormOf(d: DisplayOptions): TextForm {
  return { fds: d.fds, strsize: d.strsize, xflag: d.xflag, tracedX: d.tracedX };
}

/** `-yy -s 64`: the -y and -s the rows are drawn with (the status bar's words). */
export function formWords(d: DisplayOptions): string {
  return `${d.fds ? `-${'y'.repeat(d.fds)} ` : ''}-s ${d.strsize}`;
}

const ONE_FORM = 'a log is drawn as it was written (-y and -s change live traces)';

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
    case 'y': {
      if (!d.keptStrsize) return { display: d, said: ONE_FORM };
      const fds = ((d.fds + 1) % 3) as DisplayOptions['fds'];
      const said = fds === 0 ? 'descriptors as numbers' : fds === 1 ? '-y: descriptors with their paths' : '-yy: descriptors with paths, socket endpoints, device numbers';
      return { display: { ...d, fds }, said };
    }
    case 's': {
      if (!d.keptStrsize) return { display: d, said: ONE_FORM };
      // The next longer length (wrapping round to the shortest); lengths over what the rows keep
      // would show no more.
      const lengths = [...new Set([...STRSIZES, d.keptStrsize])].filter((n) => n <= d.keptStrsize).sort((a, b) => a - b);
      const strsize = lengths.find((n) => n > d.strsize) ?? lengths[0];
      const most = strsize === lengths[lengths.length - 1] ? ` (the most the rows keep: -s N on the command line keeps more)` : '';
      return { display: { ...d, strsize }, said: `-s ${strsize}: strings cut after ${strsize} bytes${most}` };
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

