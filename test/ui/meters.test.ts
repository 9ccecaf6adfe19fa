// The meters' sampler over a real process: its state and RSS from /proc, a traced thread in a call
// and asleep counted blocked (with how long, from the engine's entry time), rates from the counters.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import type { CounterRow, ThreadState } from '../../src/engine/types.js';
import { MeterSampler } from '../../src/ui/meters.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';
import { readProcStat } from '../../src/engine/proc/task.js';

describe('MeterSampler', () => {
  it('state, RSS, calls and failed calls per second, blocked threads and the longest wait', async () => {
    const child = spawn('sleep', ['60']);
    try {
      const pid = child.pid!;
      await waitFor(() => (readProcStat(pid)?.state === 'S' && readProcStat(pid)?.comm === 'sleep' ? true : undefined), 'sleep asleep');
      let calls = 100;
      let errors = 10;
      const counters = (): CounterRow[] => [{ nr: 35, name: 'nanosleep', calls, errors, timeNs: 0, minNs: 0, maxNs: 0 }];
      let nowMs = 1000;
      const sampler = new MeterSampler({ counters }, () => nowMs);
      const entryNs = Number(process.hrtime.bigint()) - 2e9;
      const threads: ThreadState[] = [{ pid, tid: pid, inSyscall: true, nr: 35, name: 'nanosleep', entryText: 'nanosleep(', entryNs, paused: false, groupStopped: false }];
      let [m] = sampler.sample(threads, () => 'x');
      assert.equal(m.pid, pid);
      assert.equal(m.comm, 'sleep');
      assert.equal(m.state, 'S');
      assert.ok(m.rssBytes > 0);
      assert.equal(m.callsPerSec, 0); // a rate needs two samples
      assert.equal(m.blocked, 1);
      assert.ok(m.longestMs >= 2000, String(m.longestMs));
      assert.equal(m.longestCall, 'nanosleep');
      // Begun before the attach: as long as /proc dated it, not since the restart the engine saw.
      [m] = sampler.sample([{ ...threads[0], entryRestarted: true, waitNr: 35, waitSinceNs: entryNs, waitLowerBound: true, waitBeganByMs: Date.now() - 109_000 }], () => 'x');
      assert.ok(m.longestMs >= 109_000, String(m.longestMs));
      calls += 50;
      errors += 5;
      nowMs += 500;
      [m] = sampler.sample(threads, () => 'x');
      assert.equal(m.callsPerSec, 100);
      assert.equal(m.failedPerSec, 10);
      calls = 0; // counters reset (r): no negative rate
      nowMs += 1000;
      [m] = sampler.sample([{ ...threads[0], paused: true }], () => 'x');
      assert.equal(m.callsPerSec, 0);
      assert.equal(m.blocked, 0, 'a thread we stopped is not blocked in its call');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a thread in D state when we attached (the engine never saw its call begin) is blocked, for a time the meter does not know', async () => {
    const f = spawnFixture('block_vfork');
    try {
      await f.ready;
      await waitFor(() => (readProcStat(f.pid)?.state === 'D' ? true : undefined), 'the vfork parent in D state');
      const sampler = new MeterSampler({ counters: () => [] }, () => 1000);
      const threads: ThreadState[] = [{ pid: f.pid, tid: f.pid, inSyscall: false, nr: -1, entryText: '', entryNs: 0, paused: false, groupStopped: false }];
      const [m] = sampler.sample(threads, () => 'x');
      assert.equal(m.blocked, 1);
      assert.equal(m.longestMs, 0);
      assert.equal(m.longestCall, 'D state');
    } finally {
      await killAll();
    }
  });

  it('a process that ended since the engine reported it (a shell\'s short-lived child) gets no meter line', async () => {
    const live = spawn('sleep', ['60']);
    const gone = spawn('true');
    try {
      await new Promise((r) => gone.on('exit', r)); // exited and reaped: its pid has no /proc entry
      await waitFor(() => (readProcStat(live.pid!) ? true : undefined), 'sleep started');
      const sampler = new MeterSampler({ counters: () => [] }, () => 1000);
      const thread = (pid: number): ThreadState => ({ pid, tid: pid, inSyscall: false, nr: -1, entryText: '', entryNs: 0, paused: false, groupStopped: false });
      const meters = sampler.sample([thread(gone.pid!), thread(live.pid!)], () => 'x');
      assert.deepEqual(
        meters.map((m) => m.pid),
        [live.pid],
      );
    } finally {
      live.kill('SIGKILL');
    }
  });
});
