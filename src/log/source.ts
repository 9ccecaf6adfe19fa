// A loaded strace log as a TraceSource: the trace screen drains it as it drains a live trace, a
// batch at a time, so a gigabyte log streams in with the screen responsive, the history cap keeps
// memory bounded, and the status bar shows how far it has got. Counters cover the whole log.
import { countersOf } from '../engine/counters.js';
import { BatchBuilder } from '../engine/trace-batch.js';
import type { CounterRow, EngineStats, SourceInfo, ThreadState, TraceBatch, TraceSnapshot, TraceSource } from '../engine/types.js';
import { LogAssembler, type LogItem } from './assemble.js';
import { syscallId } from './names.js';
import { redactText } from './redact.js';
import { expandLogFiles, LogReader } from './reader.js';

export interface LogSourceOptions {
  /** --redact: strings and buffers become their length as the log is read */
  redact?: boolean;
}

export class LogSource implements TraceSource {
  private readonly reader: LogReader;
  private readonly log: LogAssembler;
  private readonly redact: boolean;
  /** the first item, read by open() to tell a log from anything else */
  private first: LogItem | null;
  private ended = false;
  /** Events handed out in batches so far (what a snapshot's mark counts). */
  private emitted = 0;

  private constructor(reader: LogReader, opts: LogSourceOptions) {
    this.reader = reader;
    this.log = new LogAssembler(reader);
    this.redact = opts.redact ?? false;
    try {
      this.first = this.log.next();
    } catch (err) {
      reader.close();
      throw err;
    }
    this.ended = this.first === null;
  }

  /** Opens the logs (files, or -ff prefixes). Throws LogError when one cannot be read or is not a log. */
  static open(paths: string[], opts: LogSourceOptions = {}): LogSource {
    return new LogSource(new LogReader(expandLogFiles(paths)), opts);
  }

  private nextItem(): LogItem | null {
    if (this.first) {
      const f = this.first;
      this.first = null;
      return f;
    }
    if (this.ended) return null;
    const it = this.log.next();
    if (!it) {
      this.ended = true;
      this.reader.close();
    }
    return it;
  }

  drainBatch(max = 20_000): TraceBatch {
    // Each record goes into the columns as it is made, and its object dies young.
    const batch = new BatchBuilder(this.done ? 0 : max, false);
    while (batch.size < max) {
      const it = this.nextItem();
      if (!it) break;
      if (it.kind !== 'call' && it.kind !== 'event') continue;
      const ev = it.event;
      if (this.redact && 'text' in ev) ev.text = redactText(ev.text, ev.kind === 'syscall' ? { name: ev.name, rval: ev.errno ? NaN : ev.rval } : {});
      batch.push(ev);
    }
    const b = batch.finish();
    this.emitted += b.count + b.others.length;
    return b;
  }

  /**
   * The log read so far as a moment of the trace: the calls whose first half was read and not yet
   * their second are in progress, and every event handed out was made before it. With it the trace
   * screen places a log's rows as it places a live trace's (timeline.ts): in the order the calls
   * began, a split call at its first half (a running row until its second half completes it),
   * where the log itself has it where it returned.
   */
  snapshot(): TraceSnapshot {
    return { threads: this.threads(), mark: this.emitted };
  }

  threads(): ThreadState[] {
    const inCall = new Map(this.log.inCall().map((c) => [c.tid, c]));
    const out: ThreadState[] = [];
    for (const [tid, t] of this.log.threads) {
      const c = inCall.get(tid);
      const id = c ? syscallId(c.name) : undefined;
      out.push({
        pid: t.pid,
        tid,
        inSyscall: c !== undefined,
        nr: id?.nr ?? -1,
        name: c?.name,
        classes: id?.classes,
        entryText: c ? (this.redact ? redactText(c.text) : c.text) : '',
        entryNs: c?.entryNs ?? 0,
        entryWallUs: c?.wallUs,
        paused: false,
        groupStopped: false,
      });
    }
    return out;
  }

  /** Processes and threads the log has shown (not only those still running at its end). */
  stats(): EngineStats {
    return { processes: this.log.processesSeen, threads: this.log.threadsSeen, total: this.log.events, heldMs: 0, pending: 0 };
  }

  counters(scope: { pid?: number; tid?: number } = {}): CounterRow[] {
    const rows = countersOf(this.log.counterRows(), scope);
    // `strace -c -o FILE` alone: the log is that table.
    if (!rows.length && !this.log.events && scope.tid === undefined && this.log.table.length) {
      return this.log.tableCounters();
    }
    return rows;
  }

  resetCounters(): void {
    this.log.resetCounters();
  }

  get done(): boolean {
    return this.ended && this.first === null;
  }

  info(): SourceInfo {
    return {
      kind: 'log',
      files: this.reader.files.map((f) => f.path),
      bytesRead: this.reader.bytesRead,
      totalBytes: this.reader.totalBytes,
      lines: this.log.lines,
      timestamps: this.reader.clock !== 'none',
      // -c times need -T (timestamps give a split call's time only); a log of strace -c alone has its table's.
      durations: this.log.hasDurations || (!this.log.events && this.log.table.length > 0),
      problems: this.log.problems(),
      skipped: this.log.badLines,
      cut: this.log.truncated.length,
    };
  }

  /** The name the log gives a thread (none with --redact: a name is a string the program chose). */
  comm(tid: number, at?: number): string {
    return this.redact ? '' : this.log.comm(tid, at);
  }

  /** Stops reading (the files are closed). */
  close(): void {
    this.ended = true;
    this.first = null;
    this.reader.close();
  }
}
