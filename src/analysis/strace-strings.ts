// The quoted strings of a strace line, decoded back to bytes (strace escapes non-printables as
// \n \t \xNN \NNN), and a classic hex dump of them for the row details.

export interface QuotedBuffer {
  bytes: Uint8Array;
  /** strace printed `"..."...`: the buffer was longer than -s allowed */
  truncated: boolean;
}

const SIMPLE: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, e: 27, '\\': 92, '"': 34, "'": 39, '?': 63 };

// The bytes of the string being read: one buffer for every call, grown as needed (a row's string
// is read for each row the analysis or the screen looks at: no garbage per byte).
let scratch = new Uint8Array(256);

function put(n: number, b: number): number {
  if (n === scratch.length) {
    const next = new Uint8Array(scratch.length * 2);
    next.set(scratch);
    scratch = next;
  }
  scratch[n] = b;
  return n + 1;
}

const hexDigit = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);
const octDigit = (c: number) => (c >= 48 && c <= 55 ? c - 48 : -1);

/**
 * How many bytes the quoted string that opens at text[q] (a `"`) holds, where it ends (after `"`,
 * or after `"...`) and whether it was cut; undefined when it never closes. The bytes are left in
 * the scratch buffer (readQuoted copies them out).
 */
export function quotedLength(text: string, q: number): { length: number; truncated: boolean; end: number } | undefined {
  let n = 0;
  let j = q + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 34 /* " */) {
      const truncated = text.startsWith('...', j + 1);
      return { length: n, truncated, end: truncated ? j + 4 : j + 1 };
    }
    if (c === 92 /* \ */ && j + 1 < text.length) {
      const e = text.charCodeAt(j + 1);
      const h1 = e === 120 /* x */ ? hexDigit(text.charCodeAt(j + 2)) : -1;
      if (h1 >= 0) {
        const h2 = hexDigit(text.charCodeAt(j + 3));
        n = put(n, h2 >= 0 ? h1 * 16 + h2 : h1);
        j += h2 >= 0 ? 4 : 3;
      } else if (octDigit(e) >= 0) {
        let v = 0;
        let k = j + 1;
        for (let d = octDigit(text.charCodeAt(k)); d >= 0 && k < j + 4; d = octDigit(text.charCodeAt(++k))) v = v * 8 + d;
        n = put(n, v & 0xff);
        j = k;
      } else {
        n = put(n, SIMPLE[text[j + 1]] ?? e);
        j += 2;
      }
      continue;
    }
    // Printable text from the engine is ASCII or UTF-8 decoded: encode it back.
    if (c < 0x80) {
      n = put(n, c);
      j++;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(j)!);
    for (const b of Buffer.from(ch, 'utf8')) n = put(n, b);
    j += ch.length;
  }
  return undefined;
}

/** The quoted string that opens at text[q] (a `"`), decoded; undefined when it never closes. */
export function readQuoted(text: string, q: number): (QuotedBuffer & { end: number }) | undefined {
  const s = quotedLength(text, q);
  return s && { bytes: scratch.slice(0, s.length), truncated: s.truncated, end: s.end };
}

export function quotedBuffers(text: string): QuotedBuffer[] {
  const out: QuotedBuffer[] = [];
  let i = 0;
  while (i < text.length) {
    const q = text.indexOf('"', i);
    if (q < 0) break;
    const s = readQuoted(text, q);
    if (!s) break;
    out.push({ bytes: s.bytes, truncated: s.truncated });
    i = s.end;
  }
  return out;
}

/** `00000000  2f 65 74 63 2f 68 6f 73  74 6e 61 6d 65           |/etc/hostname|` */
export function hexDump(bytes: Uint8Array, perLine = 16): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += perLine) {
    const chunk = bytes.subarray(off, off + perLine);
    let hex = '';
    let asc = '';
    for (let k = 0; k < perLine; k++) {
      if (k === perLine / 2) hex += ' ';
      if (k < chunk.length) {
        hex += chunk[k].toString(16).padStart(2, '0') + ' ';
        asc += chunk[k] >= 32 && chunk[k] < 127 ? String.fromCharCode(chunk[k]) : '.';
      } else hex += '   ';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${asc}|`);
  }
  return lines;
}
