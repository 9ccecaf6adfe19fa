// A loaded log placed as the trace screen places it (use-drain-loop.ts: snapshot, drain, place),
// over logs the real strace wrote: the merged timeline reads in true time order, a call strace split
// in two is one row at its first half, shown running until its second half completes it in place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { SyscallEvent } from '../../src/engine/types.js';
import { LogSource } from '../../src/log/source.js';
import { Timeline } from '../../src/ui/timeline.js';
import { TraceHistory } from '../../src/ui/trace-history.js';
import { joinedLines, lineName, straceLog, traceLines } from './helpers.js';

/** Every row of the history, oldest first. */
function rows(h: TraceHistory) {
  return Array.from({ length: h.next - h.oldest }, (_, i) => h.at(h.oldest + i)!);
}

/**
 * The log into a history as the drain loop puts it, `slice` events per drain (a few, so that the
 * log takes many epochs and calls are caught in progress). Returns the history and every text a
 * running row showed.
 */
function load(path: string, slice: number): { h: TraceHistory; running: string[] } {
  const source = LogSource.open([path]);
  const h = new TraceHistory(10_000);
  const tl = new Timeline(h);
  const running = new Set<string>();
  while (!source.done || !tl.empty) {
    if (tl.wantsSnapshot) tl.setSnapshot(source.snapshot());
    const b = source.drainBatch(slice);
    tl.add(b);
    if (tl.ready(b.count + b.others.length < slice)) tl.place();
    for (const ev of rows(h)) if (ev.kind === 'syscall' && ev.running) running.add(ev.text);
  }
  return { h, running: [...running] };
}

describe('a loaded log on the merged timeline', () => {
  for (const options of [['-f', '-tt', '-T'], ['-f', '-ttt'], ['-f', '-r']]) {
    it(`strace ${options.join(' ')}: rows in the order their calls began, split calls joined at their first half`, () => {
      const log = straceLog(options, `tl${process.pid}`);
      const lines = traceLines(log.text);
      assert.ok(lines.some((l) => lineName(l).kind === 'unfinished'), 'the log has split calls');
      for (const slice of [3, 50, 100_000]) {
        const { h, running } = load(log.path, slice);
        const all = rows(h);
        const times = all.map((ev) => ev.entryNs);
        for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `row ${i} (slice ${slice}): ${times[i]} after ${times[i - 1]}`);
        // One row per call (each split call once) and per signal and exit, none left running.
        assert.equal(all.length, joinedLines(lines).length);
        assert.ok(all.every((ev) => ev.kind !== 'syscall' || !ev.running));
        // The reader thread's read, split in the log, is one row holding both halves.
        const read = all.find((ev): ev is SyscallEvent => ev.kind === 'syscall' && ev.name === 'read' && ev.text.includes('SECRET'));
        assert.ok(read, 'the joined read');
        assert.match(read.text, /^read\(3, "SECRET.*, 128\) = 71$/);
        // A few lines at a time, split calls were caught between their halves: running rows, each
        // the first half of a call the log split (and completed since).
        if (slice === 3) {
          assert.ok(running.length > 0, 'calls shown running while they were');
          const firstHalves = lines.filter((l) => lineName(l).kind === 'unfinished').map((l) => l.replace(/^.*?(\w+\()/, '$1').replace(/ <unfinished \.\.\.>$/, ''));
          for (const t of running) assert.ok(firstHalves.includes(t), `${t} is the first half of a split call`);
        }
      }
    });
  }
});
