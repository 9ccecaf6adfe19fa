// The quoted strings of a strace line, decoded back to bytes (strace escapes non-printables as
// \n \t \xNN \NNN), and a classic hex dump of them for the row details.

export interface QuotedBuffer {
  bytes: Uint8Array;
  /** strace printed `"..."...`: the buffer was longer than -s allowed */
  truncated: boolean;
}

const SIMPLE: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, e: 27, '\\': 92, '"': 34, "'": 39, '?': 63 };

/** The quoted string that opens at text[q] (a `"`), decoded; undefined when it never closes. */
export function readQuoted(text: string, q: number): (QuotedBuffer & { end: number }) | undefined {
  const bytes: number[] = [];
  let j = q + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '"') {
      const truncated = text.startsWith('...', j + 1);
      return { bytes: Uint8Array.from(bytes), truncated, end: truncated ? j + 4 : j + 1 };
    }
    if (c === '\\' && j + 1 < text.length) {
      const e = text[j + 1];
      const hex = e === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(j + 2, j + 4)) : null;
      if (hex) {
        bytes.push(parseInt(hex[0], 16));
        j += 2 + hex[0].length;
      } else if (e >= '0' && e <= '7') {
        const oct = /^[0-7]{1,3}/.exec(text.slice(j + 1, j + 4))![0];
        bytes.push(parseInt(oct, 8) & 0xff);
        j += 1 + oct.length;
      } else {
        bytes.push(SIMPLE[e] ?? e.charCodeAt(0));
        j += 2;
      }
      continue;
    }
    // Printable text from the engine is ASCII or UTF-8 decoded: encode it back.
    const code = text.charCodeAt(j);
    if (code < 0x80) {
      bytes.push(code);
      j++;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(j)!);
    for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    j += ch.length;
  }
  return undefined;
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
