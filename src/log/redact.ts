// --redact: a trace to share without its contents. Every quoted string of a strace line (buffers,
// paths, argv, environment, socket paths, names) becomes its length, `"..."<42 bytes>`, and the path
// in a -y decoration too (`3<"..."<11 bytes>>`); numbers, flags and structure stay. No byte of a
// string is left: not as text, not as escapes.
//
// A string strace cut at -s (`"abc"...`) is longer than what was printed. Its length is then what
// the call itself says where that is certain: the return value of a call that filled the buffer
// (read, recvfrom...), the count argument after a buffer the call was given (write, sendto...);
// elsewhere it is at least what was printed: `"..."<32+ bytes>`.
// The engine redacts the same way at the source for --plain (native/decode/printers.cc), where the
// full lengths are known.

/** Calls whose return value is the length of the buffer they filled. */
const FILLED = new Set(['read', 'pread64', 'recvfrom', 'recv', 'readlink', 'readlinkat', 'getrandom', 'mq_timedreceive', 'getxattr', 'lgetxattr', 'fgetxattr']);
/** Calls whose buffer argument is followed by its length. */
const GIVEN = new Set(['write', 'pwrite64', 'send', 'sendto', 'setxattr', 'lsetxattr', 'fsetxattr', 'mq_timedsend']);

const C_QUOTE = 34;
const C_BACKSLASH = 92;
const C_LT = 60;
const C_GT = 62;

/** `"..."<42 bytes>` */
export function redactedString(bytes: number, atLeast = false): string {
  return `"..."<${bytes}${atLeast ? '+' : ''} byte${bytes === 1 && !atLeast ? '' : 's'}>`;
}

/** Bytes in the text of a quoted string between its quotes (each escape is one byte). */
function escapedLength(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    n++;
    if (text.charCodeAt(i) !== C_BACKSLASH) continue;
    const e = text[++i];
    if (e === 'x') i += 2;
    else if (e >= '0' && e <= '7') {
      let k = 0;
      while (k < 2 && text[i + 1] >= '0' && text[i + 1] <= '7') (i++, k++);
    }
  }
  return n;
}

/** End (index past the closing quote) of the string whose opening quote is at `q`; -1 when unclosed. */
function stringEnd(text: string, q: number): number {
  for (let i = q + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === C_BACKSLASH) i++;
    else if (c === C_QUOTE) return i + 1;
  }
  return -1;
}

export interface RedactContext {
  /** the call the text is (or is part of); '' when unknown */
  name?: string;
  /** its return value, NaN when unknown (a first half, a failure) */
  rval?: number;
}

/**
 * The text with every string replaced by its length. `ctx` lets a string cut at -s get its full
 * length (see the file's comment); without it such strings say `<N+ bytes>`.
 */
export function redactText(text: string, ctx: RedactContext = {}): string {
  if (text.indexOf('"') < 0 && text.indexOf('</') < 0) return text;
  const name = ctx.name ?? '';
  const rval = ctx.rval ?? NaN;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === C_QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) {
        // A string cut off by the end of the text (a truncated line): nothing of it stays.
        out += text.slice(last, i) + redactedString(escapedLength(text, i + 1, text.length), true);
        return out;
      }
      let bytes = escapedLength(text, i + 1, end - 1);
      let stop = end;
      let atLeast = false;
      if (text.startsWith('...', end)) {
        stop = end + 3;
        atLeast = true;
        if (FILLED.has(name) && rval >= bytes) {
          bytes = rval;
          atLeast = false;
        } else if (GIVEN.has(name)) {
          const m = /^, (\d+)/.exec(text.slice(stop, stop + 24));
          if (m && Number(m[1]) >= bytes) {
            bytes = Number(m[1]);
            atLeast = false;
          }
        }
      }
      if (bytes === 0 && !atLeast) {
        i = end - 1;
        continue; // "" shows nothing
      }
      out += text.slice(last, i) + redactedString(bytes, atLeast);
      last = stop;
      i = stop - 1;
    } else if (c === C_LT && text.charCodeAt(i + 1) === 47 /* / */ && i > 0 && isDecorated(text, i)) {
      // -y: `3</etc/passwd>`, -yy: `1</dev/null<char 1:3>>`; < and > inside the path are escaped.
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== C_GT && text.charCodeAt(j) !== C_LT) {
        if (text.charCodeAt(j) === C_BACKSLASH) j++;
        j++;
      }
      out += text.slice(last, i + 1) + redactedString(escapedLength(text, i + 1, Math.min(j, text.length)));
      last = Math.min(j, text.length);
      i = last - 1;
    }
  }
  return out + text.slice(last);
}

/** A `<` right after a descriptor (`3<`) or AT_FDCWD opens a -y decoration. */
function isDecorated(text: string, lt: number): boolean {
  const p = text.charCodeAt(lt - 1);
  return (p >= 48 && p <= 57) || text.startsWith('AT_FDCWD', lt - 8);
}

/** A string quoted as strace prints it (UTF-8 bytes; printable ASCII as is, the rest escaped). */
export function quoteString(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 9) out += '\\t';
    else if (b === 10) out += '\\n';
    else if (b === 11) out += '\\v';
    else if (b === 12) out += '\\f';
    else if (b === 13) out += '\\r';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else {
      const nextOctal = i + 1 < bytes.length && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x37;
      out += '\\' + (nextOctal ? b.toString(8).padStart(3, '0') : b.toString(8));
    }
  }
  return out + '"';
}
