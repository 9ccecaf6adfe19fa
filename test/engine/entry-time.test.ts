// How long a traced thread has been in its call: exact when we saw the call enter, a lower bound
// when the call was already in progress as we attached (our interrupt makes the kernel restart it).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { TraceSession } from '../../src/engine/session.js';
import { inspectProcess } from '../../src/engine/proc/blocking.js';
import { formatBlockedFor } from '../../src/engine/proc/report.js';
import { fixturePath, waitFor } from '../helpers/fixtures.js';

const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((f) => f()));

/** block_nanosleep as a grandchild (a child of ours could not be attached: see session.ts). */
async function sleeper(): Promise<number> {
  const sh = spawn('sh', ['-c', `${fixturePath('block_nanosleep')} & wait`], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  cleanups.push(() => {
    try {
      process.kill(-sh.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  });
  await new Promise<void>((resolve) => sh.stdout!.on('data', (d: Buffer) => d.toString().includes('READY') && resolve()));
  return waitFor(() => {
    const kids = readFileSync(`/proc/${sh.pid}/task/${sh.pid}/children`, 'utf8').trim();
    return kids ? Number(kids.split(' ')[0]) : undefined;
  }, 'the fixture pid');
}

/** block_nanosleep launched under a trace (killed and detached at the end). */
function launchSleeper(): TraceSession {
  const s = TraceSession.launch([fixturePath('block_nanosleep')], { followForks: true });
  cleanups.push(() => {
    try {
      process.kill(s.launchedPid, 'SIGKILL');
    } catch {
      // gone
    }
    s.detach();
  });
  return s;
}

test('a call in progress when we attach is a lower bound; one we see enter is exact', async () => {
  const pid = await sleeper();
  // In its 60 s nanosleep (syscall 35) before we attach.
  await waitFor(() => (readFileSync(`/proc/${pid}/syscall`, 'utf8').startsWith('35 ') ? true : undefined), 'the fixture in nanosleep');
  const s = TraceSession.attach([pid]);
  cleanups.push(() => s.detach());
  const t = await waitFor(() => s.threads().find((x) => x.tid === pid && x.inSyscall), 'the restarted call');
  assert.equal(t.entryRestarted, true, `${t.entryText} was restarted by our attach`);
  assert.match(t.entryText, /^(restart_syscall|nanosleep)\(/);
  s.detach();

  const launched = launchSleeper();
  const u = await waitFor(() => launched.threads().find((x) => x.inSyscall && x.nr === 35), 'the launched nanosleep');
  assert.equal(u.entryRestarted, false, 'we saw this one enter');
  assert.match(u.entryText, /^nanosleep\(\{tv_sec=60, tv_nsec=0\}, $/);
});

test('a wait interrupted by P (pause) and resumed keeps its start: the restart is the same wait', async () => {
  const s = launchSleeper();
  const before = await waitFor(() => s.threads().find((x) => x.inSyscall && x.nr === 35), 'the launched nanosleep');
  assert.equal(before.waitNr, 35);
  assert.equal(before.waitLowerBound, false, 'we saw it enter');
  const since = before.waitSinceNs!;
  // Let the wait last a little before interrupting it.
  await waitFor(() => (Number(process.hrtime.bigint()) - since > 100e6 ? true : undefined), 'the wait to last 100 ms');
  s.pause();
  // Stopped, the call exited with ERESTART_RESTARTBLOCK: the engine still knows the wait.
  const held = await waitFor(() => s.threads().find((x) => x.paused), 'the pause to take hold');
  assert.equal(held.waitNr, 35, 'interrupted, it will restart');
  assert.equal(held.waitSinceNs, since);
  s.resume();
  const after = await waitFor(() => s.threads().find((x) => x.inSyscall && !x.paused && x.entryNs > since), 'the restarted call');
  assert.match(after.entryText, /^restart_syscall\(/);
  assert.equal(after.waitSinceNs, since, 'the wait began at the first entry, not at the restart');
  assert.equal(after.waitLowerBound, false);
});

test('after P and resume, the inspector still says "at least" for a wait begun before we attached', async () => {
  const pid = await sleeper();
  await waitFor(() => (readFileSync(`/proc/${pid}/syscall`, 'utf8').startsWith('35 ') ? true : undefined), 'the fixture in nanosleep');
  const s = TraceSession.attach([pid]);
  cleanups.push(() => s.detach());
  const attachedAt = Date.now();
  await waitFor(() => s.threads().find((x) => x.tid === pid && x.inSyscall), 'the restarted call');
  // The engine has seen the call by now (its lower bound is no later): 300 ms from here.
  const seenAt = Date.now();
  await waitFor(() => (Date.now() - seenAt >= 300 ? true : undefined), 'the wait to last 300 ms under the trace');
  s.pause();
  await waitFor(() => s.threads().find((x) => x.paused), 'the pause to take hold');
  s.resume();
  await waitFor(() => s.threads().find((x) => x.tid === pid && x.inSyscall && !x.paused), 'the call again');
  const state = s.threads().find((x) => x.tid === pid)!;
  const r = await inspectProcess(pid, { tracer: s, skipOpenFiles: true, skipChains: true });
  const t = r.threads.find((x) => x.tid === pid)!;
  assert.equal(t.exact, false, 'begun before we attached: a lower bound');
  assert.ok(t.blockedForMs! >= 300, `at least since the attach: ${t.blockedForMs} ms`);
  // How long it had slept before we attached, as /proc dated it then, still counts.
  if (state.waitBeganByMs !== undefined) {
    assert.ok(state.waitBeganByMs <= attachedAt, 'dated before the attach');
    assert.ok(t.sinceMs! <= state.waitBeganByMs, `since ${t.sinceMs} not after ${state.waitBeganByMs}`);
  }
  assert.equal(formatBlockedFor(t).startsWith('at least '), true);
  s.detach();
});
