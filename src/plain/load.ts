// --plain --load FILE...: strace's filters as a log tool. The lines of the log that pass -e trace=,
// -e status=, -e signal=, -P, -z/-Z and -qq are printed again unchanged (to stdout, or -o FILE), or
// with -c the table strace -c would have printed, computed from the log.
//
// A call split in two (`<unfinished ...>` / `<... resumed>`) keeps its two lines. With a status
// filter, whether it passes is known at its second half: both lines are then printed there, together.
// Lines of a -ff set carry no pid: they get the prefix strace -f gives (`1234  `).
import fs from 'node:fs';

import { countCall, emptyCounter } from '../engine/counters.js';
import type { CounterRow } from '../engine/types.js';
import { LogAssembler, type LogItem } from '../log/assemble.js';
import { LogFilter } from '../log/filter.js';
import { redactText } from '../log/redact.js';
import { expandLogFiles, LogError, LogReader, type ReadLine } from '../log/reader.js';
import { LogFindings } from './findings.js';
import type { CliOptions } from './options.js';
import { progName } from './prog-name.js';
import { formatSummary } from './summary.js';

/** Writes lines through a buffer: a gigabyte log is re-printed in big writes, not one per line. */
class LineSink {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(line: string): void {
    this.buf.push(line);
    this.size += line.length + 1;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (!this.buf.length) return;
    const data = Buffer.from(this.buf.join('\n') + '\n', 'latin1');
    this.buf = [];
    this.size = 0;
    for (let off = 0; off < data.length; ) {
      try {
        off += fs.writeSync(this.fd, data, off);
      } catch (err) {
        // stdout may be a non-blocking pipe: wait for the reader rather than lose lines
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw err;
      }
    }
  }
}

export async function runPlainLoad(o: CliOptions): Promise<number> {
  const files = expandLogFiles(o.load);
  const reader = new LogReader(files);
  const log = new LogAssembler(reader);
  const filter = new LogFilter({ traced: o.traced, statusMask: o.statusMask, signalsShown: o.signalsShown, paths: o.paths, quiet: o.quiet });
  const fd = o.outPath ? fs.openSync(o.outPath, o.append ? 'a' : 'w', 0o600) : 1;
  const out = new LineSink(fd);
  // -ff files name their pid; their lines get the prefix strace -f would have printed.
  const prefixed = files.map((f) => f.pid !== 0);
  const printing = !o.countOnly;
  // -k: a call's stack frames (` > lib(fn+0x1a) [0x...]`) follow it, printed when it was.
  let lastShown = false;
  const show = (l: ReadLine, ctx?: { name: string; rval: number }) => {
    lastShown = true;
    if (!printing) return;
    let text = prefixed[l.file] && l.parsed.pid === 0 ? `${String(files[l.file].pid).padEnd(5)} ${l.text}` : l.text;
    if (o.redact) text = redactText(text, ctx);
    out.write(text);
  };
  // First halves: printed at once when their name decides, else held until their second half.
  const held = new Map<number, ReadLine>();
  const shown = new Map<number, boolean>();
  const counts = new Map<number, CounterRow>();
  let records = 0;
  const findings = o.findings ? new LogFindings(o) : undefined;

  try {
    for (let item: LogItem | null; (item = log.next()); ) {
      findings?.item(item);
      if (item.kind === 'note' && item.line.text.startsWith(' > ')) {
        if (lastShown && printing) out.write(item.line.text);
        continue;
      }
      lastShown = false;
      switch (item.kind) {
        case 'half': {
          records++;
          const nr = item.nr;
          if (filter.needsResult) {
            if (filter.callPasses(nr, item.pid, item.line.text, undefined)) held.set(item.tid, item.line);
          } else {
            const pass = filter.callPasses(nr, item.pid, item.line.text, undefined);
            shown.set(item.tid, pass);
            if (pass) show(item.line, { name: item.name, rval: NaN });
          }
          break;
        }
        case 'call': {
          records++;
          const ev = item.event;
          const ctx = { name: ev.name, rval: ev.errno ? NaN : ev.rval };
          let pass: boolean;
          if (item.first) {
            // the second half (or the only one, for a call the log never finished)
            if (filter.needsResult) {
              pass = held.delete(ev.tid) && filter.callPasses(ev.nr, ev.pid, ev.text, item.status);
              if (pass) show(item.first, ctx);
            } else {
              pass = shown.get(ev.tid) ?? false;
              shown.delete(ev.tid);
            }
            if (pass) show(item.line, ctx);
          } else if (item.line.parsed.kind === 'unfinished') {
            // a first half whose second never came: decided by its name, printed already, or held
            pass = filter.needsResult ? held.delete(ev.tid) && filter.callPasses(ev.nr, ev.pid, ev.text, item.status) : (shown.get(ev.tid) ?? false);
            shown.delete(ev.tid);
            if (pass && filter.needsResult) show(item.line, ctx);
          } else {
            pass = filter.callPasses(ev.nr, ev.pid, ev.text, item.status);
            if (pass) show(item.line, ctx);
          }
          if (item.status === 'successful') filter.learn(ev.pid, ev.name, ev.text, ev.rval, item.child);
          if (pass && !ev.unfinished && item.status !== 'unavailable') {
            let c = counts.get(ev.nr);
            if (!c) counts.set(ev.nr, (c = emptyCounter(ev.nr, ev.name)));
            const ns = ev.exitNs - ev.entryNs;
            countCall(c, ev.errno !== '', Number.isFinite(ns) ? ns : 0);
          }
          break;
        }
        case 'event': {
          records++;
          const ev = item.event;
          const pass = ev.kind === 'exit' ? filter.exitPasses() : ev.kind === 'signal' || ev.kind === 'stop' ? filter.signalPasses(ev.signo) : true;
          if (pass) show(item.line);
          break;
        }
        case 'bad':
          // The last line, cut short: printed as it is (it is said to be cut on stderr).
          if (item.line.noNewline && !filter.active) show(item.line);
          break;
        default:
          break;
      }
    }
    if (!records && !log.table.length) throw new LogError(`${files.map((f) => f.path).join(', ')}: no system calls, signals or exits: not a strace log (${log.lines} lines read)`);
    if (o.count) {
      // A log of `strace -c` alone holds the table and no calls: that table, sorted as asked.
      const rows = records || !log.table.length ? [...counts.values()] : log.tableCounters();
      out.write(formatSummary(rows, o.sortBy, o.summaryColumns).replace(/\n$/, ''));
    }
    out.flush();
  } catch (err) {
    // The reader of our output went away (`| head`): stop as quietly as a killed cat would.
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 141;
    throw err;
  } finally {
    reader.close();
    if (fd !== 1) fs.closeSync(fd);
  }
  for (const line of log.problems()) process.stderr.write(`${progName()}: ${line}\n`);
  if (findings) process.stderr.write(findings.report());
  return 0;
}
