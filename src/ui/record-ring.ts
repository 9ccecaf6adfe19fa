// The variable part of the history's events (trace-history.ts) as bytes: each system call's text
// (UTF-8) and its numbers (return value, duration, raw arguments...) as variable-length integers,
// one record after another in a ring of bytes. The history evicts its oldest events first, so the
// live records always sit between `tail` (the oldest kept event's record) and `head`.
//
// The ring is made of chunks of equal size, and a record never crosses from one chunk into the
// next (one that would starts at the next chunk instead), so reading one is a plain walk forward
// in one Buffer. The ring grows when a record would run over the tail, by whole chunks: the kept
// chunks are taken as they are, the tail's first (its bytes do not move, only their positions
// change), and new chunks go after them. Growing copies at most the part of one chunk the head
// had wrapped into; a ring of one Buffer that grew by copying held the old and the new Buffer at
// once, and the old one's memory came back only with a major GC: on a trace filling a history of
// 200,000 calls that was a 30-40 MB spike in RSS at each of its last growths (issue 10).
//
// A text is often the same as one written a little earlier (a polling loop, the same read of the
// same file: a busy trace repeats its lines): a text written whole within the last `window` bytes
// is written again as the distance back to that record instead. The ring keeps `window` bytes
// before the oldest kept record, so what a kept record points to is always there.
//
// Why bytes: a string per held event is a V8 object in the old generation (~24 bytes of header,
// and a heap that grows in steps and is slow to give memory back); bytes cost what the text is
// long, and nothing for the garbage collector.

const TWO_32 = 2 ** 32;
/** Magnitudes below this are written as zigzag varints; others as 8 raw bytes. */
const COMPACT = 2 ** 50;
/** The most bytes a number or an argument can take. */
export const MAX_NUMBER_BYTES = 9;
/** A chunk's size when the ring starts big enough; a smaller ring is one chunk of its size. */
const CHUNK_BYTES = 2 ** 20;
/** A ring grows by this share of its size at least (and at least a chunk). */
const GROWTH = 1 / 8;
/**
 * The texts remembered for sharing: at most this many (the most recent ones, roughly), none
 * longer than SHARED_MAX_BYTES. They are strings held in the JS heap: a few hundred of the lines a
 * loop repeats, not a copy of the history.
 */
const RECENT_MAX = 256;
const SHARED_MAX_BYTES = 1024;

export class RecordRing {
  private chunks: Buffer[];
  private chunkSize: number;
  /** chunks.length * chunkSize */
  private size: number;
  /** Absolute byte position of the next record (grows forever; a byte's index is pos % size). */
  head = 0;
  /** The chunk of the record being written or read, and where in it the writer or reader is. */
  private buf: Buffer;
  private at = 0;
  /** The absolute position of the record being written or read. */
  private recordAt = 0;
  /** The oldest position holding bytes written (the ring grew there: what was before is gone). */
  private floor = 0;
  /** Texts lately written whole, and where (absolute). */
  private readonly recent = new Map<string, number>();
  private readonly f64 = new DataView(new ArrayBuffer(8));

  /** `window`: how far back (bytes) a text can be shared from; 0 writes every text whole. */
  constructor(
    initialSize: number,
    private readonly window = 0,
  ) {
    const size = Math.max(4096, Math.ceil(initialSize));
    this.chunkSize = Math.min(CHUNK_BYTES, size);
    const n = Math.ceil(size / this.chunkSize);
    this.chunks = Array.from({ length: n }, () => Buffer.allocUnsafe(this.chunkSize));
    this.size = n * this.chunkSize;
    this.buf = this.chunks[0];
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
    // What kept records may share texts from is kept too, as far as the ring holds bytes.
    tail = Math.max(this.floor, tail - this.window);
    for (;;) {
      let start = this.head;
      const offset = (start % this.size) % this.chunkSize;
      if (offset + max > this.chunkSize) start += this.chunkSize - offset; // would cross into the next chunk: start there
      if (max <= this.chunkSize && start + max - tail <= this.size) {
        this.head = start;
        this.seek(start);
        return start;
      }
      tail = this.floor = this.grow(tail, this.head - tail + max, Math.max(this.chunkSize, max), rebase);
    }
  }

  end(): void {
    this.head += this.at - ((this.head % this.size) % this.chunkSize);
  }

  /**
   * A ring of at least `need` bytes in chunks of at least `chunk` bytes, holding the kept bytes
   * (from `tail` to head). The tail's chunk becomes the first, the others follow in ring order
   * with their offsets kept, so each record stays in one chunk and all kept positions shift by
   * the same amount. With the chunk size unchanged the chunks are reused as they are; a record
   * larger than a chunk (rare: a long text at a small cap) makes chunks of a larger multiple of
   * the size, and the kept bytes are copied into them. Returns where the tail is now.
   */
  private grow(tail: number, need: number, chunk: number, rebase: (shift: number) => void): number {
    const old = this.chunks;
    const oldSize = this.chunkSize;
    const first = Math.floor((tail % this.size) / oldSize);
    // Bytes from the start of the tail's chunk to head: more than the ring when head has wrapped
    // into the front of the tail's chunk (that part goes into a chunk after the others).
    const from = tail - ((tail % this.size) % oldSize);
    const span = this.head - from;
    if (chunk !== oldSize) chunk = Math.ceil(chunk / oldSize) * oldSize;
    const size = Math.ceil(Math.max(need + (tail - from), span, this.size * (1 + GROWTH), this.size + chunk) / chunk) * chunk;
    const next: Buffer[] = [];
    if (chunk === oldSize) {
      for (let k = 0; k < old.length; k++) next.push(old[(first + k) % old.length]);
      if (span > this.size) {
        const wrapped = Buffer.allocUnsafe(chunk);
        old[first].copy(wrapped, 0, 0, span - this.size);
        next.push(wrapped);
      }
      while (next.length * chunk < size) next.push(Buffer.allocUnsafe(chunk));
    } else {
      while (next.length * chunk < size) next.push(Buffer.allocUnsafe(chunk));
      for (let abs = from; abs < this.head; abs += oldSize) {
        const to = abs - from;
        old[Math.floor((abs % this.size) / oldSize)].copy(next[Math.floor(to / chunk)], to % chunk, 0, Math.min(oldSize, this.head - abs));
      }
    }
    const newSize = next.length * chunk;
    // The tail's chunk lands at a multiple of the new size: the new absolute positions start there.
    const base = Math.ceil(this.head / newSize) * newSize;
    rebase((base - from) % TWO_32);
    this.chunks = next;
    this.chunkSize = chunk;
    this.size = newSize;
    for (const [text, at] of this.recent) {
      if (at >= tail) this.recent.set(text, at + base - from);
      else this.recent.delete(text);
    }
    this.head = base + span;
    return base + (tail - from);
  }

  /**
   * The record's text, whole (its length times 2) or, when `share` and the same text was written
   * whole within the window, as the distance back to that record (times 2, plus 1). A record
   * rewritten in place later (a running row's) must not be shared from: it is written with
   * `share` false, and is not remembered.
   */
  putText(text: string, byteLength: number, share = false): void {
    if (share && this.window && byteLength <= SHARED_MAX_BYTES) {
      const from = this.recent.get(text);
      if (from !== undefined && this.recordAt - from <= this.window) {
        this.putUint((this.recordAt - from) * 2 + 1);
        return;
      }
      if (this.recent.size >= RECENT_MAX) this.recent.clear();
      this.recent.set(text, this.recordAt);
    }
    this.putUint(byteLength * 2);
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
    this.recordAt = abs;
    const index = abs % this.size;
    this.buf = this.chunks[Math.floor(index / this.chunkSize)];
    this.at = index % this.chunkSize;
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
    const v = this.getUint();
    if (v % 2) return this.shared(v, () => this.getText());
    const len = v / 2;
    const s = this.buf.toString('utf8', this.at, this.at + len);
    this.at += len;
    return s;
  }

  /** The text's bytes are skipped, not decoded. */
  skipText(): void {
    const v = this.getUint();
    if (v % 2 === 0) this.at += v / 2;
  }

  /** Does the record's text (the reader is at its start) contain these bytes? */
  textIncludes(needle: Buffer): boolean {
    const v = this.getUint();
    if (v % 2) return this.shared(v, () => this.textIncludes(needle));
    const len = v / 2;
    if (needle.length === 0) return true;
    if (needle.length > len) return false;
    return this.buf.subarray(this.at, this.at + len).indexOf(needle) >= 0;
  }

  /** `read` at the start of the record a shared text (`v`) points back to; the reader then goes on after `v`. */
  private shared<T>(v: number, read: () => T): T {
    const { buf, at, recordAt } = this;
    this.seek(recordAt - (v - 1) / 2);
    const got = read();
    this.buf = buf;
    this.at = at;
    this.recordAt = recordAt;
    return got;
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
