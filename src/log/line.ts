// One line of a strace log taken apart: whose it is (`1234 `, `[pid 1234] `, `1234<comm> `), when
// (-t -tt -ttt -r), what it is (a call, one half of a split call, a signal, a stop, an exit, a -c
// table line) and, for a call, where its arguments end and what it returned (-T included). The
// text itself is never decoded: strace's words are kept as they are.
//
// This runs once per line of logs that reach a gigabyte: one pass of charCodeAt over the body and a
// few anchored regular expressions, no allocation beyond the fields it returns.

export type LineKind =
  | 'call' // a whole call: `read(3, "x", 1) = 1`
  | 'unfinished' // its first half: `read(3,  <unfinished ...>` (or `<detached ...>`)
  | 'resumed' // its second half: `<... read resumed>"x", 1) = 1`
  | 'signal' // `--- SIGCHLD {si_signo=SIGCHLD, ...} ---`
  | 'stop' // `--- stopped by SIGSTOP ---`
  | 'exit' // `+++ exited with 0 +++`, `+++ killed by SIGKILL +++`, `+++ superseded by execve in pid 12 +++`
  | 'table' // a line of a -c table (header, rule, row, total)
  | 'note' // strace's own notes (`strace: Process 12 attached`), -k stack frames, `[ Process PID=... ]`
  | 'bad'; // none of the above

/** What a call returned, as strace printed it after ` = `. */
export interface CallResult {
  /** the value: -errno for a failure, NaN for `?` (the call never returned, or its value is unknown) */
  rval: number;
  /** ENOENT, ERESTARTSYS...; '' when the call did not fail */
  errno: string;
  /** `= ?`: the call never returned (exit, exit_group, a thread gone mid-call) */
  unfinished: boolean;
  /** `= ? <unavailable>`: it returned, but strace could not read how */
  unavailable: boolean;
}

export interface LogLine {
  kind: LineKind;
  /** the pid in the prefix, 0 when the line has none */
  pid: number;
  /** -Y: the command name in the prefix (`1234<nginx>`), '' when absent */
  comm: string;
  /** -t/-tt: µs since midnight; -ttt: µs since the epoch; NaN without a timestamp */
  timeUs: number;
  /** which of the two timeUs is */
  clock: 'none' | 'day' | 'epoch';
  /** -r: µs since the previous line, NaN without */
  relUs: number;
  /** where the body (what follows prefix and timestamps) starts */
  bodyAt: number;
  /** where the body ends: before ` <unfinished ...>` and before the -T duration */
  bodyEnd: number;
  /** the syscall (call, unfinished, resumed), the signal (signal, stop: SIGCHLD) */
  name: string;
  /** call, resumed: index just past the call's closing parenthesis; -1 otherwise (or when unbalanced) */
  argsEnd: number;
  /** call, resumed: where the result text (after `= `) starts, -1 when there is none */
  resultAt: number;
  /** -T: the call's duration in µs, NaN without */
  durUs: number;
  /** exit: the exit code (-1 when killed), killed: the signal's name, core: core dumped */
  code: number;
  signal: string;
  core: boolean;
}

const C_SPACE = 32;
const C_QUOTE = 34;
const C_LPAREN = 40;
const C_RPAREN = 41;
const C_LT = 60;
const C_GT = 62;
const C_BACKSLASH = 92;
const C_0 = 48;
const C_9 = 57;

const isDigit = (c: number) => c >= C_0 && c <= C_9;

/** s[from, to) is one or more digits. */
function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

// `1234 `, `1234<comm> `, `[pid  1234] `, `[pid 1234<comm>] `
const PID_PREFIX = /^(?:\[pid +(\d+)(?:<([^>]*)>)?\] +|(\d+)(?:<([^>]*)>)? +)/y;
// -ttt: `1795659953.357476`; -r alone: `     0.000402` (right-aligned in 13 columns)
const SECONDS = / *(\d+)\.(\d+) +/y;
// -r after an absolute time: `(+     0.000402) `
const REL_AFTER = /\(\+ *(\d+)\.(\d+)\) +/y;
// -i: `[00007f0ab7e44000] ` (or `[????????????????] `)
const IP = /\[[0-9a-f?]+\] +/y;
const CALL_NAME = /([a-z_][a-z0-9_]*)\(/y;
const RESUMED = /<\.\.\. ([a-z_][a-z0-9_]*) resumed> ?/y;
const SIGNAL = /--- (SIG[A-Z0-9_+-]+|stopped by (SIG[A-Z0-9_+-]+)) /y;
const EXITED = /\+\+\+ exited with (-?\d+) \+\+\+$/y;
const KILLED = /\+\+\+ killed by (SIG[A-Z0-9_+-]+)( \(core dumped\))? \+\+\+$/y;
const SUPERSEDED = /\+\+\+ superseded by execve in pid \d+ \+\+\+$/y;
const TABLE_LINE = /^(?:% time +seconds +usecs\/call +calls +errors +syscall|-{6} -{11} -{11} -{9} -{9} -+|\s*\d+\.\d+\s+\d+\.\d+\s+\d+\s+\d+\s+(?:\d+\s+)?\S+)\s*$/;

const UNFINISHED = ' <unfinished ...>';
const DETACHED = ' <detached ...>';

const SCALE = [1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** `137909` as µs (`1379` -> 137900; ns digits beyond 6 are dropped). */
function fractionUs(digits: string): number {
  return digits.length <= 6 ? Number(digits) * SCALE[digits.length] : Math.floor(Number(digits.slice(0, 6)));
}

function emptyLine(): LogLine {
  return {
    kind: 'bad',
    pid: 0,
    comm: '',
    timeUs: NaN,
    clock: 'none',
    relUs: NaN,
    bodyAt: 0,
    bodyEnd: 0,
    name: '',
    argsEnd: -1,
    resultAt: -1,
    durUs: NaN,
    code: 0,
    signal: '',
    core: false,
  };
}

/** Index of the quote closing a string whose opening quote is at q (escapes skipped), or -1. */
function closingQuote(line: string, q: number): number {
  for (let j = line.indexOf('"', q + 1); j >= 0; j = line.indexOf('"', j + 1)) {
    let backslashes = 0;
    while (line.charCodeAt(j - 1 - backslashes) === C_BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
  return -1;
}

/** Index just past the `>` closing a -y decoration opened at lt (`<char 1:3>` may nest), or -1. */
function decorationEnd(line: string, lt: number, end: number): number {
  let nest = 1;
  for (let i = lt + 1; i < end; i++) {
    const d = line.charCodeAt(i);
    if (d === C_BACKSLASH) i++;
    else if (d === C_LT) nest++;
    else if (d === C_GT && --nest === 0) return i + 1;
  }
  return -1;
}

const NONE = 0x7fffffff;
const at = (i: number) => (i < 0 ? NONE : i);

/**
 * Index just past the `)` that closes a call whose arguments start at `from` (after the `(`, or at
 * the start of a resumed half), or -1. Strings (`"..."` with escapes) and -y decorations
 * (`3</path>`, `AT_FDCWD</dir>`, `1</dev/null<char 1:3>>`) may hold any parenthesis. It hops from
 * one of `"<()` to the next with indexOf: this runs over every line of a log.
 */
export function callEnd(line: string, from: number, end = line.length): number {
  let depth = 1;
  let q = at(line.indexOf('"', from));
  let lt = at(line.indexOf('<', from));
  let open = at(line.indexOf('(', from));
  let close = at(line.indexOf(')', from));
  for (;;) {
    const i = Math.min(q, lt, open, close);
    if (i >= end) return -1;
    let skipTo = -1;
    if (i === close) {
      if (--depth === 0) return i + 1;
      close = at(line.indexOf(')', i + 1));
    } else if (i === open) {
      depth++;
      open = at(line.indexOf('(', i + 1));
    } else if (i === q) {
      const j = closingQuote(line, i);
      if (j < 0) return -1;
      skipTo = j + 1;
    } else if (i > from && (isDigit(line.charCodeAt(i - 1)) || line.startsWith('AT_FDCWD', i - 8))) {
      // A descriptor's decoration; strace escapes < and > inside it, so nesting is only `<char 1:3>`.
      skipTo = decorationEnd(line, i, end);
      if (skipTo < 0) return -1;
    } else {
      lt = at(line.indexOf('<', i + 1));
    }
    if (skipTo >= 0) {
      if (q < skipTo) q = at(line.indexOf('"', skipTo));
      if (lt < skipTo) lt = at(line.indexOf('<', skipTo));
      if (open < skipTo) open = at(line.indexOf('(', skipTo));
      if (close < skipTo) close = at(line.indexOf(')', skipTo));
    }
  }
}

/**
 * Parses one line (without its line break). Never throws; a line that is not strace's has kind 'bad'.
 */
export function parseLine(line: string): LogLine {
  const l = emptyLine();
  let at = 0;
  // `1234 ` (the usual case, read by hand: this runs per line), else `[pid 1234] ` or `1234<comm> `.
  let m: RegExpExecArray | null = null;
  let d = 0;
  while (isDigit(line.charCodeAt(d))) d++;
  if (d > 0 && line.charCodeAt(d) === C_SPACE) {
    l.pid = Number(line.slice(0, d));
    at = d + 1;
    while (line.charCodeAt(at) === C_SPACE) at++;
  } else if ((d > 0 && line.charCodeAt(d) === C_LT) || line.charCodeAt(0) === 91 /* [ */) {
    PID_PREFIX.lastIndex = 0;
    m = PID_PREFIX.exec(line);
    if (m) {
      l.pid = Number(m[1] ?? m[3]);
      l.comm = m[2] ?? m[4] ?? '';
      at = PID_PREFIX.lastIndex;
    }
  }
  if (at === 0 && TABLE_LINE.test(line)) {
    // before the timestamps: a -c row (`  0.00    0.000000 ...`) would read as a -r time
    l.kind = 'table';
    return l;
  }
  // Timestamps: -t/-tt (`02:25:53.137909 `, read by hand), or -ttt, then -r's `(+ ...)`; or -r alone.
  if (line.charCodeAt(at + 2) === 58 /* : */ && line.charCodeAt(at + 5) === 58 && isDigits(line, at, at + 2) && isDigits(line, at + 3, at + 5) && isDigits(line, at + 6, at + 8)) {
    let e = at + 8;
    let frac = 0;
    if (line.charCodeAt(e) === 46 /* . */) {
      let f = e + 1;
      while (isDigit(line.charCodeAt(f))) f++;
      frac = fractionUs(line.slice(e + 1, f));
      e = f;
    }
    if (line.charCodeAt(e) === C_SPACE) {
      l.clock = 'day';
      const n = (i: number) => (line.charCodeAt(i) - C_0) * 10 + line.charCodeAt(i + 1) - C_0;
      l.timeUs = ((n(at) * 60 + n(at + 3)) * 60 + n(at + 6)) * 1e6 + frac;
      at = e + 1;
      while (line.charCodeAt(at) === C_SPACE) at++;
    }
  }
  if (l.clock !== 'day') {
    SECONDS.lastIndex = at;
    m = SECONDS.exec(line);
    if (m) {
      const us = Number(m[1]) * 1e6 + fractionUs(m[2]);
      // Relative times are small; epoch seconds have at least nine digits.
      if (m[1].length >= 9) {
        l.clock = 'epoch';
        l.timeUs = us;
      } else l.relUs = us;
      at = SECONDS.lastIndex;
    }
  }
  if (l.clock !== 'none') {
    REL_AFTER.lastIndex = at;
    m = REL_AFTER.exec(line);
    if (m) {
      l.relUs = Number(m[1]) * 1e6 + fractionUs(m[2]);
      at = REL_AFTER.lastIndex;
    }
  }
  if (line.charCodeAt(at) === 91 /* [ */) {
    IP.lastIndex = at;
    if (IP.exec(line)) at = IP.lastIndex;
  }
  l.bodyAt = at;
  l.bodyEnd = line.length;
  const first = line.charCodeAt(at);

  if (first === C_LT) {
    RESUMED.lastIndex = at;
    m = RESUMED.exec(line);
    if (!m) return l;
    l.kind = 'resumed';
    l.name = m[1];
    callTail(line, l, RESUMED.lastIndex);
    return l;
  }
  if (first === 45 /* - */) {
    SIGNAL.lastIndex = at;
    m = SIGNAL.exec(line);
    if (!m || !line.endsWith(' ---')) return l;
    l.kind = m[2] ? 'stop' : 'signal';
    l.name = m[2] ?? m[1];
    return l;
  }
  if (first === 43 /* + */) {
    EXITED.lastIndex = at;
    m = EXITED.exec(line);
    if (m) {
      l.kind = 'exit';
      l.code = Number(m[1]);
      return l;
    }
    KILLED.lastIndex = at;
    m = KILLED.exec(line);
    if (m) {
      l.kind = 'exit';
      l.code = -1;
      l.signal = m[1];
      l.core = m[2] !== undefined;
      return l;
    }
    SUPERSEDED.lastIndex = at;
    if (SUPERSEDED.exec(line)) {
      l.kind = 'exit';
      l.code = -1;
    }
    return l;
  }
  CALL_NAME.lastIndex = at;
  m = CALL_NAME.exec(line);
  if (m) {
    l.name = m[1];
    const marker = line.endsWith(UNFINISHED) ? UNFINISHED : line.endsWith(DETACHED) ? DETACHED : '';
    if (marker) {
      l.kind = 'unfinished';
      l.bodyEnd = line.length - marker.length;
      return l;
    }
    l.kind = 'call';
    callTail(line, l, CALL_NAME.lastIndex);
    return l;
  }
  if (at === 0) {
    if (line.startsWith('strace: ') || line.startsWith(' > ') || (line.startsWith('[ Process PID=') && line.endsWith(' ]'))) {
      l.kind = 'note';
    }
  }
  return l;
}

/** The arguments' end, the result and -T of a call or resumed half whose arguments start at `from`. */
function callTail(line: string, l: LogLine, from: number): void {
  let end = line.length;
  // -T: ` <0.000123>` ends the line.
  if (line.charCodeAt(end - 1) === C_GT) {
    const lt = line.lastIndexOf(' <', end);
    const dot = line.indexOf('.', lt);
    if (lt > 0 && dot > lt + 2 && isDigits(line, lt + 2, dot) && isDigits(line, dot + 1, end - 1)) {
      l.durUs = Number(line.slice(lt + 2, dot)) * 1e6 + fractionUs(line.slice(dot + 1, end - 1));
      end = lt;
    }
  }
  l.bodyEnd = end;
  const close = callEnd(line, from, end);
  if (close < 0) {
    // Nothing closes the call: a line cut short. Its kind stays, with no result.
    l.argsEnd = -1;
    return;
  }
  l.argsEnd = close;
  let i = close;
  while (line.charCodeAt(i) === C_SPACE) i++;
  if (line.charCodeAt(i) === 61 /* = */ && line.charCodeAt(i + 1) === C_SPACE) l.resultAt = i + 2;
}

// `-1 ENOENT (No such file or directory)`, `? ERESTARTSYS (To be restarted ...)`, `-1 (errno 531)`
const FAILED = /^(?:-1|\?) (E[A-Z0-9_]+)(?: \(|$)/;
const ERRNO_NUMBER = /^-1 \(errno (\d+)\)/;
// `3`, `0x7f12`, `022` (octal, umask), `-1`, then anything (-y `<...>`, `(Timeout)`, -Y `<comm>`)
const VALUE = /^(-?)(0x[0-9a-f]+|0[0-7]+|\d+)/;

/** The result text of a call (`-1 ENOENT (...)`, `3</etc/hosts>`, `?`), read. */
export function parseResult(text: string): CallResult {
  const r: CallResult = { rval: NaN, errno: '', unfinished: false, unavailable: false };
  if (text === '?') {
    r.unfinished = true;
    return r;
  }
  if (text.startsWith('? <unavailable>')) {
    r.unavailable = true;
    return r;
  }
  const f = FAILED.exec(text);
  if (f) {
    r.errno = f[1];
    return r; // rval: the caller knows errno numbers
  }
  const n = ERRNO_NUMBER.exec(text);
  if (n) {
    r.errno = `E${n[1]}`;
    r.rval = -Number(n[1]);
    return r;
  }
  const v = VALUE.exec(text);
  if (!v) return r;
  const digits = v[2];
  const value = digits.startsWith('0x') ? parseInt(digits, 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : Number(digits);
  r.rval = v[1] ? -value : value;
  return r;
}

/** A -c table row: `  0.00    0.000000           0         3         1 access`. */
export interface TableRow {
  name: string;
  seconds: number;
  calls: number;
  errors: number;
}

const TABLE_ROW = /^\s*(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+)\s+(\d+)\s+(?:(\d+)\s+)?(\S+)\s*$/;

/** The row of a -c table line, or undefined for its header, rules and total. */
export function parseTableRow(line: string): TableRow | undefined {
  const m = TABLE_ROW.exec(line);
  if (!m || m[6] === 'total') return undefined;
  return { name: m[6], seconds: Number(m[2]), calls: Number(m[4]), errors: m[5] ? Number(m[5]) : 0 };
}
