// Attached to a fast fork loop, the engine's threads are the live ones: a child that runs, exits
// and is reaped before its parent's fork event is handled must not come back as a thread that
// nobody will ever drop (they piled up by the hundred a second, each counted as a process).
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';

import { TraceSession } from '../../src/engine/session.js';
import type { TraceEvent } from '../../src/engine/types.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';

let sessions: TraceSession[] = [];
afterEach(async () => {
  for (const s of sessions) s.detach();
  sessions = [];
  await killAll();
});

for (const [width, ms] of [
  [1, 0],
  [4, 1],
] as const) {
  test(`fork loop (${width} children at a time, each living ${ms} ms): counts stay those of the live processes`, async () => {
    const fx = spawnFixture('fork_loop', [String(width), String(ms)]);
    await fx.ready;
    const pid = Number(fx.info.pid);
    const s = TraceSession.attach([pid]);
    sessions.push(s);
    const events: TraceEvent[] = [];
    const exited = new Set<number>();
    let maxThreads = 0;
    await waitFor(
      () => {
        for (const e of s.drain()) {
          events.push(e);
          if (e.kind === 'exit' && e.tid !== pid) exited.add(e.tid);
        }
        maxThreads = Math.max(maxThreads, s.stats().threads);
        return exited.size >= 300 ? true : undefined;
      },
      `300 children to exit (seen ${exited.size})`,
      60000,
      20,
    );
    // The loop and the children alive at once; a child that has exited but whose exit status is
    // not read yet may still count, so allow one more per slot.
    const bound = 1 + 2 * width;
    assert.ok(maxThreads <= bound, `at most ${bound} threads at any time, saw ${maxThreads}`);
    const st = s.stats();
    assert.ok(st.processes <= bound && st.threads <= bound, `live counts: ${st.processes} proc ${st.threads} thr`);
    for (const t of s.threads()) assert.ok(t.tid === pid || !exited.has(t.tid), `thread ${t.tid} exited but is still listed`);
    // Each child: one exit record, and no thread record after it (its birth is not announced late).
    const exitSeen = new Set<number>();
    for (const e of events) {
      if (e.kind === 'exit') {
        assert.ok(!exitSeen.has(e.tid), `one exit record for ${e.tid}`);
        exitSeen.add(e.tid);
      }
      if (e.kind === 'thread') assert.ok(!exitSeen.has(e.tid), `no thread record for ${e.tid} after its exit`);
    }
  });
}
