// What a held event costs the TUI's history in bytes (issue 10: keep it small), with the records
// the TUI's engine makes (marked: every -y/-yy form and strings kept for a longer -s, issue 14)
// against the same trace without marks (the command line's form alone), on a few workloads: one
// byte at a time (dd bs=1, issue 10's), 4 KB binary buffers, paths (ls -l), and the TUI bench's
// spinner. Each runs to its end under the engine as the TUI sets it up, drained into a history.
// Prints bytes of record per held event (the ring's, text and numbers) and what the fixed columns
// add; asserts nothing. Usage: node dist/bench/history-bench.js [--cap 200000]
import { closeSync, openSync } from 'node:fs';

import { TraceSession } from '../src/engine/session.js';
import { keptStrsize } from '../src/ui/display-options.js';
import { TraceHistory } from '../src/ui/trace-history.js';
import { arg, fmt, sleep } from './lib.js';

const CAP = arg('cap', 200_000);

const WORKLOADS: Array<[string, string[]]> = [
  ['dd bs=1 (1-byte buffers)', ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=20000']],
  ['dd bs=4096 of a binary', ['dd', `if=${process.execPath}`, 'of=/dev/null', 'bs=4096', 'count=5000']],
  ['ls -l /usr/bin (paths)', ['ls', '-l', '/usr/bin']],
  ['cat of a text file', ['cat', '/usr/share/common-licenses/GPL-3']],
];

async function held(argv: string[], marks: boolean): Promise<{ events: number; bytes: number }> {
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
  return { events, bytes: h.heldRecordBytes };
}

console.log(`history-bench: bytes of record per held event, without marks (the command line's form) and with (the TUI's: -y/-yy forms, strings up to ${keptStrsize(32)} bytes)`);
for (const [name, argv] of WORKLOADS) {
  const before = await held(argv, false);
  const after = await held(argv, true);
  const per = (r: { events: number; bytes: number }) => r.bytes / Math.max(1, r.events);
  console.log(`  ${name.padEnd(28)} ${fmt(after.events).padStart(7)} events: ${fmt(per(before), 1).padStart(7)} -> ${fmt(per(after), 1).padStart(7)} bytes (+${fmt(((per(after) - per(before)) / per(before)) * 100, 0)}%)`);
}
console.log("  (plus 25 bytes of columns and 8 of its thread's list per held event, unchanged)");
