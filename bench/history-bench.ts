// What a held event costs the TUI's history in bytes (issue 10: keep it small), with the records
// the TUI's engine makes (marked: every -y/-yy form and strings kept for a longer -s, issue 14)
// against the same trace without marks (the command line's form alone), on a few workloads: one
// byte at a time (dd bs=1, issue 10's), 4 KB binary buffers, paths (ls -l), a text file's lines.
// Each runs to its end under the engine as the TUI sets it up, drained into a history.
// Prints bytes of record per held event (the ring's, text and numbers) and what the fixed columns
// add, and what the marks cost in our CPU time per event; asserts nothing.
// Usage: node dist/bench/history-bench.js [--cap 200000] [--rounds 5]
import { closeSync, openSync } from 'node:fs';

import { TraceSession } from '../src/engine/session.js';
import { keptStrsize } from '../src/ui/display-options.js';
import { TraceHistory } from '../src/ui/trace-history.js';
import { arg, fmt, median, sleep } from './lib.js';

const CAP = arg('cap', 200_000);
const ROUNDS = arg('rounds', 5);

const WORKLOADS: Array<[string, string[]]> = [
  ['dd bs=1 (1-byte buffers)', ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=20000']],
  ['dd bs=4096 of a binary', ['dd', `if=${process.execPath}`, 'of=/dev/null', 'bs=4096', 'count=5000']],
  ['ls -l /usr/bin (paths)', ['ls', '-l', '/usr/bin']],
  ['cat of a text file', ['cat', '/usr/share/common-licenses/GPL-3']],
];

async function held(argv: string[], marks: boolean): Promise<{ events: number; bytes: number; cpuUs: number }> {
  const cpu0 = process.cpuUsage();
  const devnull = openSync('/dev/null', 'r+');
  const s = TraceSession.launch(argv, { bufferCap: 32_768, native: { records: true, followForks: true, marks, marksStrsize: keptStrsize(32) } }, { stdio: [devnull, devnull, devnull] });
  closeSync(devnull);
  const h = new TraceHistory(CAP);
  for (;;) {
    const done = s.done;
    const b = s.drainBatch(65_536);
    h.appendBatch(b);
    if (done && b.count === 0 && b.others.length === 0) break;
    if (b.count === 0) await sleep(5);
  }
  s.detach();
  const events = h.next - h.oldest;
  const cpu = process.cpuUsage(cpu0);
  return { events, bytes: h.heldRecordBytes, cpuUs: cpu.user + cpu.system };
}

console.log(`history-bench: bytes of record per held event, without marks (the command line's form) and with (the TUI's: -y/-yy forms, strings up to ${keptStrsize(32)} bytes)`);
for (const [name, argv] of WORKLOADS) {
  const before = await held(argv, false);
  const after = await held(argv, true);
  const per = (r: { events: number; bytes: number }) => r.bytes / Math.max(1, r.events);
  console.log(`  ${name.padEnd(28)} ${fmt(after.events).padStart(7)} events: ${fmt(per(before), 1).padStart(7)} -> ${fmt(per(after), 1).padStart(7)} bytes (+${fmt(((per(after) - per(before)) / per(before)) * 100, 0)}%)`);
}
// What the marks cost: our CPU time per event (the tracer thread's decoding, both forms of every
// descriptor looked up at each call: a readlink, a stat for a file; and the drain), on dd bs=1,
// in interleaved rounds. CPU time, so that a loaded machine does not skew it as wall time would.
const off: number[] = [];
const on: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const a = await held(WORKLOADS[0][1], false);
  const b = await held(WORKLOADS[0][1], true);
  off.push(a.cpuUs / a.events);
  on.push(b.cpuUs / b.events);
}
console.log(`  our CPU per event on ${WORKLOADS[0][0]}: ${fmt(median(off), 1)} -> ${fmt(median(on), 1)} us (median of ${ROUNDS} interleaved rounds)`);
console.log("  (plus 25 bytes of columns and 8 of its thread's list per held event, unchanged)");
