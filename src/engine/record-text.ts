// The TUI's record text (native/decode/record_text.h says how it is marked): a strace line that
// holds every form the display can switch to, -y or -yy descriptors and strings up to a longer -s,
// rendered in one form when it is shown. A text without marks (a loaded log's, --plain's) renders
// as itself, but for -x, which any quoted string can be given again.
import { quotedLength, readQuoted } from '../analysis/strace-strings.js';

export const MARK_CUT_STRING = '\x01';
export const MARK_FD = '\x02';
export const MARK_FD_FULL = '\x03';
export const MARK_FD_END = '\x04';
/** First after MARK_FD_FULL: the -yy form is the -y one up to its last '>', then what follows. */
const FD_FULL_EXTENDS = '+';

/** One form of a record's text. */
export interface TextForm {
  /** descriptors: 0 the number alone, 1 -y (path), 2 -yy (socket endpoints, devices, pidfds) */
  fds: 0 | 1 | 2;
  /** -s: strings cut after this many bytes */
  strsize: number;
  /** -x the strings are quoted with: 0, 1 (-x), 2 (-xx); 3 only as traced */
  xflag: number;
  /** the -x the text was traced with (what its quoted strings hold) */
  tracedX: number;
}

/** Does the text hold marks at all? */
export function hasMarks(text: string): boolean {
  return text.includes(MARK_CUT_STRING) || text.includes(MARK_FD);
}

/** The -y form a DECODE_FD_* bit set (the command line's -y, -yy, -e decode-fds=) reads as. */
export function fdsForm(decodeFds: number): TextForm['fds'] {
  return decodeFds === 0 ? 0 : decodeFds === 1 ? 1 : 2;
}

// Printed with %s by strace, not quoted as strings: -x leaves them alone.
const NOT_STRINGS = ['inet_addr(', 'inet_pton(AF_INET6, ', 'inet_pton(AF_INET, '];

/** strace's string quoting (its string_quote) of some bytes, without the quotes. */
export function quoteBytes(b: Uint8Array, xflag: number): string {
  const hex = xflag === 2 || (xflag === 1 && b.some((c) => c > 0x7e || (c < 0x20 && (c < 9 || c > 13))));
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
    else if (xflag === 3) out += '\\x' + c.toString(16).padStart(2, '0');
    else {
      // Octal, as short as it can be unless an octal digit follows.
      const long = i + 1 < b.length && b[i + 1] >= 0x30 && b[i + 1] <= 0x37;
      out += '\\' + (long || c >= 0o100 ? String(c >> 6) : '') + (long || c >= 0o10 ? String((c >> 3) & 7) : '') + String(c & 7);
    }
  }
  return out;
}

const ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/**
 * A strace line with its (unmarked) strings quoted again as -x or -xx (xflag) would print them,
 * from what the line says (`from`: the -x it was traced with). Escapes are decoded back to the
 * bytes first.
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

const MARK_AT = /[\x01\x02]/g;

/** The text as `form` prints it. */
export function renderText(text: string, form: TextForm): string {
  const requoting = form.xflag !== form.tracedX;
  if (!hasMarks(text)) return requoting ? requote(text, form.xflag, form.tracedX) : text;
  const plain = (s: string) => (requoting ? requote(s, form.xflag, form.tracedX) : s);
  let out = '';
  let i = 0;
  MARK_AT.lastIndex = 0;
  for (let m = MARK_AT.exec(text); m; m = MARK_AT.exec(text)) {
    const at = m.index;
    if (at < i) continue;
    out += plain(text.slice(i, at));
    if (text[at] === MARK_CUT_STRING) {
      // Its length first: a string shown as traced (most are) is copied, never decoded.
      const s = text[at + 1] === '"' ? quotedLength(text, at + 1) : undefined;
      if (!s) {
        i = at + 1;
        continue;
      }
      const close = s.truncated ? s.end - 3 : s.end;
      if (s.length <= form.strsize && !requoting) out += text.slice(at + 1, close);
      else {
        const bytes = readQuoted(text, at + 1)!.bytes;
        out += `"${quoteBytes(bytes.length > form.strsize ? bytes.subarray(0, form.strsize) : bytes, form.xflag)}"`;
      }
      if (s.truncated || s.length > form.strsize) out += '...';
      i = s.end;
    } else {
      let end = text.indexOf(MARK_FD_END, at);
      if (end < 0) end = text.length;
      let full = text.indexOf(MARK_FD_FULL, at);
      if (full < 0 || full > end) full = -1;
      if (form.fds === 1 || (form.fds === 2 && full < 0)) out += text.slice(at + 1, full < 0 ? end : full);
      else if (form.fds === 2 && text[full + 1] === FD_FULL_EXTENDS) out += text.slice(at + 1, full - 1) + text.slice(full + 2, end);
      else if (form.fds === 2) out += text.slice(full + 1, end);
      i = end + 1;
    }
    MARK_AT.lastIndex = i;
  }
  return out + plain(text.slice(i));
}
