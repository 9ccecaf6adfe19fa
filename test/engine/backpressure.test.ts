// The record buffer never drops: once bufferCap records wait for JS, the tracer takes no more
// stops and the tracee waits at its stop, as strace's tracees wait while it writes. A tracee making
// 4,000 calls against a cap of 200: while nothing is drained the count never passes the cap (by
// more than one stop's records), however long we look; drained, every call arrives, in order.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { TraceSession } from '../../src/engine/session.js';
import type { SyscallEvent, TraceEvent } from '../../src/engine/types.js';
import { killAll, waitFor } from '../helpers/fixtures.js';

const CAP = 200;
const COUNT = 2000;

const sessions: TraceSession[] = [];
after(async () => {
  for (const s of sessions) s.detach();
  await killAll();
});

/** The state letter of /proc/PID/stat ('t': stopped by its tracer). */
function stateOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

test('a full record buffer holds the tracee instead of dropping records', async () => {
  const s = TraceSession.launch(['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${COUNT}`], { bufferCap: CAP }, { stdio: [-1, -1, -1] });
  sessions.push(s);
  await waitFor(() => (s.stats().pending >= CAP ? true : undefined), 'the buffer to fill', 30000, 10);
  // Held: the tracee sits in its tracing stop, and the buffer does not grow while it does.
  await waitFor(() => (stateOf(s.launchedPid) === 't' ? true : undefined), 'the tracee to be held at a stop', 30000, 10);
  const held = s.stats();
  assert.ok(held.pending <= CAP + 2, `pending ${held.pending} with a cap of ${CAP}`);
  assert.equal(held.total, held.pending, 'nothing was taken yet');
  // Still there after another look at the tracee, however long that took.
  await waitFor(() => (stateOf(s.launchedPid) === 't' ? true : undefined), 'the tracee still held', 30000, 10);
  assert.ok(s.stats().total <= CAP + 2, `total ${s.stats().total} with a cap of ${CAP}`);

  const events: TraceEvent[] = [];
  await waitFor(
    () => {
      events.push(...s.drain());
      return s.done ? true : undefined;
    },
    'dd to end once drained',
    60000,
    10,
  );
  for (let more = s.drain(); more.length; more = s.drain()) events.push(...more);
  const st = s.stats();
  assert.equal(events.length, st.total, 'every record made was handed over');
  const calls = events.filter((e): e is SyscallEvent => e.kind === 'syscall');
  // dd's copy, a byte at a time from its stdin to its stdout, in the order it made the calls.
  const io = calls.filter((e) => (e.name === 'read' && e.args[0] === 0n) || (e.name === 'write' && e.args[0] === 1n));
  assert.equal(io.length, 2 * COUNT);
  for (let i = 0; i < io.length; i++) assert.equal(io[i].name, i % 2 ? 'write' : 'read', `call ${i}`);
});
