// Reading strace logs line by line, with bounded memory: each file is read in 1 MiB chunks, and a
// set of files (a -ff set, or several logs) is merged into one stream in time order when every file
// has absolute timestamps (-t -tt -ttt), else one file after the other.
//
// Bytes are read as latin1: strace escapes every byte outside printable ASCII, so a log is ASCII,
// and whatever else a file holds comes back out unchanged when a line is printed again.
import fs from 'node:fs';
import path from 'node:path';

import { parseLine, type LogLine } from './line.js';

/** A log that cannot be read, with one line saying why (the CLI prints it as is). */
export class LogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogError';
  }
}

export interface ReadLine {
  /** the line without its line break (and without a `strace: Process N attached` cut into it) */
  text: string;
  parsed: LogLine;
  /** index of its file in LogReader.files */
  file: number;
  /** 1-based, in its file (the first of the physical lines it was joined from) */
  lineNo: number;
  /** the file's last line, which had no line break: written while strace was stopped, or cut */
  noNewline: boolean;
  /** the line's time in µs (epoch, or since the first midnight for -t/-tt), NaN without one */
  timeUs: number;
  /** µs since the log's first timestamp (-t -tt -ttt), or the sum of -r gaps; 0 without either */
  entryUs: number;
  /** wall-clock µs since the epoch; 0 when the log does not say (-r alone, no timestamps) */
  wallUs: number;
}

/** The time axis a log has: wall-clock (-ttt), time of day (-t -tt), relative gaps (-r), or none. */
export type LogClock = 'none' | 'day' | 'epoch' | 'relative';

export interface LogFile {
  path: string;
  /** the pid a -ff file belongs to (its name's .PID suffix), 0 when none */
  pid: number;
  size: number;
  /** last modification, ms since the epoch: gives -t/-tt times their date */
  mtimeMs: number;
}

const CHUNK = 1 << 20;
/** Longer than any line strace writes (-s 65536 with every byte escaped is ~260 KiB). */
const MAX_LINE = 16 << 20;
const DAY_US = 86_400e6;
// `clone3({...}strace: Process 31374 attached` + line break + ` => {parent_tid=[31374]}, 88) = 31374`:
// with stderr as the log, strace's notes land in the middle of a line.
const INJECTED_NOTE = /strace: Process \d+ (?:attached|detached)[a-z ]*$|strace: \[ Process PID=\d+ runs in (?:32|64) bit mode\. \]$/;

/**
 * A line as quoted in a message: at most 60 characters between the quotes, a byte outside printable
 * ASCII as \xNN (a binary file's first line stays short), `"..."...` when cut, as strace cuts at -s.
 */
export function snippet(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (out.length >= 60) return `"${out}"...`;
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92) out += '\\' + text[i];
    else if (c < 32 || c > 126) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += text[i];
  }
  return `"${out}"`;
}

/** The files of `--load ARG...`: each ARG a log, or the prefix of a -ff set (ARG.PID files). */
export function expandLogFiles(args: readonly string[]): LogFile[] {
  const out: LogFile[] = [];
  for (const arg of args) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(arg);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new LogError(`cannot read ${arg}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}`);
    }
    if (st?.isDirectory()) throw new LogError(`${arg} is a directory, not a strace log`);
    if (st) {
      const suffix = /\.(\d+)$/.exec(arg);
      out.push({ path: arg, pid: suffix ? Number(suffix[1]) : 0, size: st.size, mtimeMs: st.mtimeMs });
      continue;
    }
    // A -ff prefix: strace -ff -o PREFIX wrote PREFIX.PID, one file per thread.
    const dir = path.dirname(arg);
    const base = path.basename(arg);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      // the directory itself is missing: the error below says so
    }
    const set = names
      .map((n) => ({ n, m: n.startsWith(base + '.') ? /^\.(\d+)$/.exec(n.slice(base.length)) : null }))
      .filter((x) => x.m)
      .map((x) => ({ file: path.join(dir, x.n), pid: Number(x.m![1]) }))
      .sort((a, b) => a.pid - b.pid);
    if (!set.length) throw new LogError(`cannot read ${arg}: no such file (nor a -ff set ${arg}.PID)`);
    for (const f of set) {
      const fst = fs.statSync(f.file);
      out.push({ path: f.file, pid: f.pid, size: fst.size, mtimeMs: fst.mtimeMs });
    }
  }
  return out;
}

/**
 * Local midnight (µs) of the day a -t/-tt log began, from its file's modification time: the day the
 * file was last written, or the one before when the first line's time of day is later than that.
 */
function dayBase(mtimeMs: number, firstTodUs: number): number {
  const m = new Date(mtimeMs);
  const midnightUs = new Date(m.getFullYear(), m.getMonth(), m.getDate()).getTime() * 1000;
  return firstTodUs > mtimeMs * 1000 - midnightUs + 60e6 ? midnightUs - DAY_US : midnightUs;
}

/** One file's lines, read a chunk at a time. */
class FileLines {
  private fd: number;
  private buf = Buffer.allocUnsafe(CHUNK);
  private rest = '';
  private lines: string[] = [];
  private next = 0;
  private eof = false;
  /** physical lines handed out so far */
  lineNo = 0;
  bytes = 0;
  /** -t/-tt: µs to add for the midnights passed, and the last time seen */
  private dayOffset = 0;
  private lastDayTime = NaN;
  /** a line that is not blank has been read */
  private started = false;

  constructor(readonly file: LogFile) {
    try {
      this.fd = fs.openSync(file.path, 'r');
    } catch (err) {
      throw new LogError(`cannot read ${file.path}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}`);
    }
  }

  /** The next physical line, or null at the end. */
  private physical(): { text: string; noNewline: boolean } | null {
    for (;;) {
      if (this.next < this.lines.length) {
        const text = this.lines[this.next++];
        this.lineNo++;
        return { text, noNewline: false };
      }
      if (this.eof) {
        if (this.rest === '') return null;
        const text = this.rest;
        this.rest = '';
        this.lineNo++;
        return { text, noNewline: true };
      }
      this.fill();
    }
  }

  private fill(): void {
    let n: number;
    try {
      n = fs.readSync(this.fd, this.buf, 0, CHUNK, null);
    } catch (err) {
      throw new LogError(`cannot read ${this.file.path}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}`);
    }
    if (n === 0) {
      this.eof = true;
      this.close();
      this.lines = [];
      this.next = 0;
      return;
    }
    this.bytes += n;
    const parts = (this.rest + this.buf.toString('latin1', 0, n)).split('\n');
    this.rest = parts.pop()!;
    if (this.rest.length > MAX_LINE) {
      throw new LogError(`${this.file.path}:${this.lineNo + parts.length + 1}: a line longer than ${MAX_LINE >> 20} MiB: not a strace log`);
    }
    this.lines = parts;
    this.next = 0;
  }

  /** The next logical line: CR stripped, a strace note cut into it removed and its halves joined. */
  read(): ReadLine | null {
    const p = this.physical();
    if (!p) return null;
    const lineNo = this.lineNo;
    let text = p.text.endsWith('\r') ? p.text.slice(0, -1) : p.text;
    let noNewline = p.noNewline;
    for (let guard = 0; guard < 8; guard++) {
      const m = text.includes('strace: ', 1) ? INJECTED_NOTE.exec(text) : null;
      if (!m || m.index === 0) break;
      const more = this.physical();
      text = text.slice(0, m.index) + (more ? (more.text.endsWith('\r') ? more.text.slice(0, -1) : more.text) : '');
      noNewline = more ? more.noNewline : false;
    }
    const parsed = parseLine(text);
    if (!this.started && text.trim() !== '') {
      // A file whose first line is not strace's is not a strace log (a cut one-line file still is).
      this.started = true;
      if (parsed.kind === 'bad' && !noNewline) {
        throw new LogError(`${this.file.path}:${lineNo}: not a strace log: cannot read ${snippet(text)} (${lineNo - 1} lines read)`);
      }
    }
    let timeUs = parsed.timeUs;
    if (parsed.clock === 'day') {
      // Times of day wrap at midnight: a jump back of more than 12 hours is the next day.
      if (timeUs + this.dayOffset < this.lastDayTime - DAY_US / 2) this.dayOffset += DAY_US;
      timeUs += this.dayOffset;
      this.lastDayTime = timeUs;
    }
    return { text, parsed, file: -1, lineNo, noNewline, timeUs, entryUs: 0, wallUs: 0 };
  }

  close(): void {
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/**
 * The lines of one or more files as one stream. With several files, their first lines decide: when
 * each has an absolute timestamp the stream is merged in time order (stable: ties keep file order),
 * else the files follow each other in the given order.
 */
export class LogReader {
  readonly files: LogFile[];
  private readonly readers: FileLines[];
  private heads: (ReadLine | null)[];
  private merge = false;
  private current = 0;
  readonly totalBytes: number;
  /** the log's time axis, from its first timestamped line */
  clock: LogClock = 'none';
  private t0Us = NaN;
  private dayBaseUs = NaN;
  private relSum: number[];

  constructor(files: LogFile[]) {
    if (!files.length) throw new LogError('no log to read');
    this.files = files;
    this.totalBytes = files.reduce((n, f) => n + f.size, 0);
    this.readers = [];
    try {
      for (const f of files) this.readers.push(new FileLines(f));
    } catch (err) {
      this.close();
      throw err;
    }
    this.relSum = files.map(() => 0);
    this.heads = this.readers.map((r, i) => this.take(i, r));
    this.merge = files.length > 1 && this.heads.every((h) => h === null || h.parsed.clock !== 'none');
  }

  private take(i: number, r: FileLines): ReadLine | null {
    const l = r.read();
    if (l) l.file = i;
    return l;
  }

  /** Bytes read so far (for progress). */
  get bytesRead(): number {
    return this.readers.reduce((n, r) => n + r.bytes, 0);
  }

  next(): ReadLine | null {
    let i: number;
    if (this.merge) {
      i = -1;
      for (let k = 0; k < this.heads.length; k++) {
        const h = this.heads[k];
        if (h && (i < 0 || h.timeUs < this.heads[i]!.timeUs)) i = k;
      }
      if (i < 0) return null;
    } else {
      while (this.current < this.heads.length && this.heads[this.current] === null) this.current++;
      if (this.current >= this.heads.length) return null;
      i = this.current;
    }
    const line = this.heads[i]!;
    this.heads[i] = this.take(i, this.readers[i]);
    // A line without a time in a merged set (a note, a table): keep it where it is, before the next.
    if (this.merge && this.heads[i] && Number.isNaN(this.heads[i]!.timeUs)) this.heads[i]!.timeUs = line.timeUs;
    this.place(line);
    return line;
  }

  /** Puts a line on the log's time axis (entryUs, wallUs). */
  private place(l: ReadLine): void {
    const p = l.parsed;
    if (p.clock !== 'none') {
      if (this.clock === 'none' || this.clock === 'relative') this.clock = p.clock;
      if (Number.isNaN(this.t0Us)) this.t0Us = l.timeUs;
      l.entryUs = l.timeUs - this.t0Us;
      if (p.clock === 'epoch') l.wallUs = l.timeUs;
      else {
        if (Number.isNaN(this.dayBaseUs)) this.dayBaseUs = dayBase(this.files[l.file].mtimeMs, l.timeUs);
        l.wallUs = this.dayBaseUs + l.timeUs;
      }
    } else if (!Number.isNaN(p.relUs)) {
      if (this.clock === 'none') this.clock = 'relative';
      this.relSum[l.file] += p.relUs;
      l.entryUs = this.relSum[l.file];
    }
  }

  close(): void {
    for (const r of this.readers) r.close();
  }
}
