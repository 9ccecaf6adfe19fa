// The variable part of the history's events (trace-history.ts) as bytes: each system call's text
// (UTF-8) and its numbers (return value, duration, raw arguments...) as variable-length integers,
// one record after another in a ring of bytes. The history evicts its oldest events first, so the
// live records always sit between `tail` (the oldest kept event's record) and `head`; the ring
// grows by a quarter when a record would run over the tail. A record never wraps: one that would cross
// the end of the buffer starts at its beginning instead, so reading one is a plain walk forward.
//
// Why bytes: a string per held event is a V8 object in the old generation (~24 bytes of header,
// and a heap that grows in steps and is slow to give memory back); bytes cost what the text is
// long, and nothing for the garbage collector.

const TWO_32 = 2 ** 32;
/** Magnitudes below this are written as zigzag varints; others as 8 raw bytes. */
const COMPACT = 2 ** 50;
/** The most bytes a number or an argument can take. */
export const MAX_NUMBER_BYTES = 9;

export class RecordRing {
  private buf: Buffer;
  private size: number;
  /** Absolute byte position of the next record (grows forever; a byte's index is pos % size). */
  head = 0;
  /** Where the record being written or read is, as an index into buf. */
  private at = 0;
  private readonly f64 = new DataView(new ArrayBuffer(8));

  constructor(initialSize: number) {
    this.size = Math.max(4096, Math.ceil(initialSize));
    this.buf = Buffer.allocUnsafe(this.size);
  }

  get byteLength(): number {
    return this.size;
  }

  /** The 32-bit form of an absolute position that the history keeps per event. */
  static pos32(abs: number): number {
    return abs % TWO_32;
  }

  /** The absolute position of a record from its 32-bit form (records live less than 4 GB behind head). */
  absolute(pos32: number): number {
    return this.head - ((RecordRing.pos32(this.head) - pos32 + TWO_32) % TWO_32);
  }

  /**
   * Starts a record of at most `max` bytes, keeping every byte from absolute position `tail` on.
   * Returns the record's absolute position; write with the put* methods, then end(). When the
   * ring has to grow, the positions of the kept records move: `rebase(shift)` is called first
   * with what to add to each of them (mod 2^32, as pos32 keeps them).
   */
  begin(max: number, tail: number, rebase: (shift: number) => void): number {
    for (;;) {
      let start = this.head;
      const index = start % this.size;
      if (index + max > this.size) start += this.size - index; // would cross the end: start over at 0
      if (start + max - tail <= this.size) {
        this.head = start;
        this.at = start % this.size;
        return start;
      }
      tail = this.grow(tail, this.head - tail + max, rebase);
    }
  }

  end(): void {
    this.head += this.at - (this.head % this.size);
  }

  /**
   * A ring a quarter larger (or more, to hold `need` bytes) with the kept bytes, from `tail` to
   * head, laid out from its start: each record stays in one piece, and the kept records' positions
   * all shift by the same amount. Returns where the tail is now.
   */
  private grow(tail: number, need: number, rebase: (shift: number) => void): number {
    const size = Math.max(Math.ceil(this.size * 1.25), Math.ceil(need * 1.125));
    const next = Buffer.allocUnsafe(size);
    let to = 0;
    for (let abs = tail; abs < this.head; ) {
      const from = abs % this.size;
      const n = Math.min(this.head - abs, this.size - from);
      this.buf.copy(next, to, from, from + n);
      abs += n;
      to += n;
    }
    // tail lands at a multiple of the new size: the new absolute positions start there.
    const base = Math.ceil(this.head / size) * size;
    rebase((base - tail) % TWO_32);
    this.buf = next;
    this.size = size;
    this.head = base + to;
    return base;
  }

  putText(text: string, byteLength: number): void {
    this.putUint(byteLength);
    // Only ASCII has as many bytes as characters: latin1 writes those bytes, and faster.
    this.buf.write(text, this.at, byteLength, byteLength === text.length ? 'latin1' : 'utf8');
    this.at += byteLength;
  }

  /** An unsigned integer below 2^53 as a varint. */
  putUint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.at++] = n;
  }

  /** Any number: small integers as a zigzag varint shifted left by one (low bit 0), the rest as a tag (1) and a float64. */
  putNumber(v: number): void {
    if (Number.isInteger(v) && v > -COMPACT && v < COMPACT) {
      this.putUint((v >= 0 ? v * 2 : -v * 2 - 1) * 2);
      return;
    }
    this.buf[this.at++] = 1;
    this.f64.setFloat64(0, v, true);
    for (let k = 0; k < 8; k++) this.buf[this.at++] = this.f64.getUint8(k);
  }

  /** A raw 64-bit argument given as its two 32-bit halves: compact when it is a small signed number. */
  putArg(lo: number, hi: number): void {
    const v = hi < 0x80000000 ? hi * TWO_32 + lo : -((0xffffffff - hi) * TWO_32 + (TWO_32 - lo));
    if (v > -COMPACT && v < COMPACT) {
      this.putUint((v >= 0 ? v * 2 : -v * 2 - 1) * 2);
      return;
    }
    this.buf[this.at++] = 1;
    this.buf.writeUInt32LE(lo, this.at);
    this.buf.writeUInt32LE(hi, this.at + 4);
    this.at += 8;
  }

  /** Leaves `n` bytes of the record being written as room (a record later rewritten in place). */
  skip(n: number): void {
    this.at += n;
  }

  /** Positions the reader (or a rewrite) at the record that starts at absolute position `abs`. */
  seek(abs: number): void {
    this.at = abs % this.size;
  }

  getUint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.at++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  getText(): string {
    const len = this.getUint();
    const s = this.buf.toString('utf8', this.at, this.at + len);
    this.at += len;
    return s;
  }

  /** The text's bytes are skipped, not decoded. */
  skipText(): void {
    this.at += this.getUint();
  }

  /** Does the record's text (the reader is at its start) contain these bytes? */
  textIncludes(needle: Buffer): boolean {
    const len = this.getUint();
    if (needle.length === 0) return true;
    if (needle.length > len) return false;
    return this.buf.subarray(this.at, this.at + len).indexOf(needle) >= 0;
  }

  getNumber(): number {
    if (this.buf[this.at] === 1) {
      for (let k = 0; k < 8; k++) this.f64.setUint8(k, this.buf[this.at + 1 + k]);
      this.at += 9;
      return this.f64.getFloat64(0, true);
    }
    const z = this.getUint() / 2;
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  getArg(): bigint {
    if (this.buf[this.at] === 1) {
      const lo = this.buf.readUInt32LE(this.at + 1);
      const hi = this.buf.readUInt32LE(this.at + 5);
      this.at += 9;
      return (BigInt(hi) << 32n) | BigInt(lo);
    }
    return BigInt.asUintN(64, BigInt(this.getNumber()));
  }
}
