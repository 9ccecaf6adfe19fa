// The inspector over real blocked processes: for each fixture, the call, the resolved target and
// the plain-words reading. Fixtures print READY just before blocking, so each test polls until the
// thread is really inside the expected call. No timing assertions beyond blockedForMs >= 0.

import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectProcess, type InspectReport, type ThreadReport } from '../../src/engine/proc/blocking.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';

after(killAll);

/** Inspect until every thread matched by `want` sits in its expected call. */
async function inspectWhen(pid: number, ready: (r: InspectReport) => boolean, opts: Parameters<typeof inspectProcess>[1] = {}): Promise<InspectReport> {
  return waitFor(async () => {
    const r = await inspectProcess(pid, { skipOpenFiles: true, ...opts });
    return ready(r) ? r : undefined;
  }, `pid ${pid} to block`);
}

const inCall = (r: InspectReport, name: string): ThreadReport[] => r.threads.filter((t) => t.name === name);

function assertCommon(t: ThreadReport): void {
  assert.equal(t.where, 'syscall');
  assert.ok(t.blockedForMs !== undefined && t.blockedForMs >= 0, 'blockedForMs >= 0');
  assert.equal(t.exact, false, 'no tracer: the time is a lower bound');
  assert.ok(t.wchan || t.wchanReason, 'wchan or why not');
  assert.ok(t.stack || t.stackReason, 'stack or why not');
}

test('read on a TCP socket names the peer address and the local process at the other end', async () => {
  const f = spawnFixture('block_tcp_read');
  await f.ready;
  const port = f.info.port;
  const peer = Number(f.info.peer);
  const r = await inspectWhen(f.pid, (r) => inCall(r, 'read').length === 1);
  const t = inCall(r, 'read')[0];
  assertCommon(t);
  assert.equal(t.state, 'S');
  assert.match(t.callText, new RegExp(`^read\\(\\d+<TCP:\\[127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${port}\\]>, `));
  assert.equal(t.targets[0].role, 'fd');
  assert.match(t.targets[0].text, new RegExp(`^TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${port} \\(ESTABLISHED\\) peer block_tcp_read \\(pid ${peer}\\)$`));
  assert.equal(t.plainWords, `waiting for data from 127.0.0.1:${port} (block_tcp_read, pid ${peer})`);

  // The peer blocks in accept on the listener.
  const pr = await inspectWhen(peer, (r) => inCall(r, 'accept').length === 1);
  assert.equal(inCall(pr, 'accept')[0].plainWords, `waiting for a connection on 127.0.0.1:${port}`);
});

test('a futex deadlock between two threads is shown as a lock cycle; main waits in pthread_join', async () => {
  const f = spawnFixture('block_futex_deadlock');
  await f.ready;
  const t1 = Number(f.info.t1);
  const t2 = Number(f.info.t2);
  const r = await inspectWhen(f.pid, (r) => inCall(r, 'futex').length === 3);
  const byTid = new Map(r.threads.map((t) => [t.tid, t]));
  for (const [me, other] of [[t1, t2], [t2, t1]]) {
    const t = byTid.get(me)!;
    assertCommon(t);
    assert.equal(t.name, 'futex');
    assert.match(t.plainWords, new RegExp(`^deadlock: waiting for a mutex held by thread ${other} \\(`));
    assert.match(t.plainWords, /which waits for one held by this thread$/);
  }
  const main = byTid.get(f.pid)!;
  assert.match(main.plainWords, new RegExp(`^waiting for thread ${t1} \\(.*\\) to exit \\(pthread_join\\)$`));
});

test('epoll_wait on an idle set of 3 descriptors', async () => {
  const f = spawnFixture('block_epoll_idle');
  await f.ready;
  const epfd = Number(f.info.epfd);
  const r = await inspectWhen(f.pid, (r) => inCall(r, 'epoll_wait').length === 1);
  const t = inCall(r, 'epoll_wait')[0];
  assertCommon(t);
  assert.equal(t.plainWords, 'event loop idle in epoll_wait on 3 descriptors, no timeout');
  assert.equal(t.targets[0].fd, epfd);
  assert.match(t.targets[0].text, /^anon_inode:\[eventpoll\] watching 3 fds/);
  const watched = t.targets.filter((x) => x.role === 'watched');
  assert.equal(watched.length, 3);
  assert.ok(watched.some((x) => x.text.startsWith('pipe:[')), 'a pipe is watched');
  assert.ok(watched.some((x) => x.text.startsWith('anon_inode:[eventfd]')), 'an eventfd is watched');
  assert.ok(watched.some((x) => /^TCP 127\.0\.0\.1:\d+ \(LISTEN\)$/.test(x.text)), 'a listening socket is watched');
});

test('wait4 on a sleeping child names the child; the child sleeps in clock_nanosleep', async () => {
  const f = spawnFixture('block_wait_child');
  await f.ready;
  const child = Number(f.info.child);
  const r = await inspectWhen(f.pid, (r) => inCall(r, 'wait4').length === 1);
  const t = inCall(r, 'wait4')[0];
  assertCommon(t);
  assert.match(t.callText, new RegExp(`^wait4\\(${child}, `));
  // The child may still be between fork and exec for a moment: wait for its comm to be `sleep`.
  const words = await waitFor(async () => {
    const w = inCall(await inspectProcess(f.pid, { skipOpenFiles: true }), 'wait4')[0]?.plainWords;
    return w?.includes('(sleep)') ? w : undefined;
  }, 'the child to exec sleep');
  assert.equal(words, `waiting for child ${child} (sleep) to exit`);

  const cr = await inspectWhen(child, (r) => inCall(r, 'clock_nanosleep').length === 1);
  assert.equal(inCall(cr, 'clock_nanosleep')[0].plainWords, 'sleeping for 10 min in clock_nanosleep');
});

test('nanosleep reads the requested duration from the tracee memory', async () => {
  const f = spawnFixture('block_nanosleep');
  await f.ready;
  const r = await inspectWhen(f.pid, (r) => inCall(r, 'nanosleep').length === 1);
  const t = inCall(r, 'nanosleep')[0];
  assertCommon(t);
  assert.equal(t.plainWords, 'sleeping for 1 min in nanosleep');
  assert.match(t.callText, /^nanosleep\(0x[0-9a-f]+, 0x[0-9a-f]+\)$/);
});

test('write to a full pipe names the process holding the read end', async () => {
  const f = spawnFixture('block_pipe_full');
  await f.ready;
  const reader = Number(f.info.reader);
  const r = await inspectWhen(f.pid, (r) => inCall(r, 'write').length === 1);
  const t = inCall(r, 'write')[0];
  assertCommon(t);
  assert.match(t.callText, /^write\(\d+<pipe:\[\d+\]>, 0x[0-9a-f]+, 4096\)$/);
  assert.match(t.targets[0].text, new RegExp(`^pipe:\\[\\d+\\] -> read by block_pipe_full \\(pid ${reader}\\)$`));
  assert.equal(t.plainWords, `blocked writing to a full pipe read by pid ${reader} (block_pipe_full)`);
});

test('threads over the threshold are marked and sorted first; "previous" keeps the first-seen time', async () => {
  const f = spawnFixture('block_futex_deadlock');
  await f.ready;
  const first = await inspectWhen(f.pid, (r) => inCall(r, 'futex').length === 3, { thresholdMs: 60 * 60 * 1000 });
  assert.ok(first.threads.every((t) => !t.overThreshold), 'nothing is blocked for an hour yet');
  assert.deepEqual(first.threads.map((t) => t.tid), [...first.threads.map((t) => t.tid)].sort((a, b) => a - b));
  const second = await inspectProcess(f.pid, { thresholdMs: 0, previous: first, skipOpenFiles: true });
  assert.ok(second.threads.every((t) => t.overThreshold), 'threshold 0 marks every blocked thread');
  for (const t of second.threads) {
    const before = first.threads.find((x) => x.tid === t.tid)!;
    // A thread woken in between (its context-switch count moved) is in a new wait.
    if (t.waitKey === before.waitKey) assert.ok(t.sinceMs! <= before.sinceMs!, `first-seen time never moves forward for an unchanged wait: ${before.sinceMs} (${before.blockedForMs}) then ${t.sinceMs} (${t.blockedForMs}) ${t.waitKey}`);
  }
});

test('an exact time comes from the tracer entry time', async () => {
  const f = spawnFixture('block_nanosleep');
  await f.ready;
  await inspectWhen(f.pid, (r) => inCall(r, 'nanosleep').length === 1);
  // An entry the fixture is surely older than: it printed READY before we got here.
  const entryNs = Number(process.hrtime.bigint()) - 1_000_000;
  const tracer = {
    threads: () => [{ pid: f.pid, tid: f.pid, inSyscall: true, nr: 35, entryText: 'nanosleep(', entryNs, paused: false, groupStopped: false }],
  } as unknown as import('../../src/engine/types.js').Tracer;
  const r = await inspectProcess(f.pid, { tracer, skipOpenFiles: true });
  const t = r.threads[0];
  assert.equal(t.exact, true);
  assert.ok(t.blockedForMs! >= 1 && t.blockedForMs! < 60_000, `${t.blockedForMs} ms`);
  assert.equal(t.overThreshold, false, 'under the 1 s threshold');
});

test('a custom formatCall is used for the call text', async () => {
  const f = spawnFixture('block_nanosleep');
  await f.ready;
  const r = await inspectWhen(f.pid, (r) => inCall(r, 'nanosleep').length === 1, {
    formatCall: (_pid, _tid, nr) => `decoded ${nr}`,
  });
  assert.equal(r.threads[0].callText, 'decoded 35');
});

test('a process that does not exist gives a report with a reason, not an exception', async () => {
  const r = await inspectProcess(4194305);
  assert.equal(r.exists, false);
  assert.equal(r.reason, 'pid 4194305 does not exist');
  assert.deepEqual(r.threads, []);
});

test('a busy process is read as running, with no blocked time', async () => {
  const busy = spawn('sh', ['-c', 'while :; do :; done'], { detached: true, stdio: 'ignore' });
  try {
    const t = await waitFor(async () => {
      const th = (await inspectProcess(busy.pid!, { skipOpenFiles: true })).threads[0];
      return th?.state === 'R' ? th : undefined;
    }, 'the busy loop to be runnable');
    assert.equal(t.plainWords, 'running on CPU, not blocked in a system call');
    assert.equal(t.blockedForMs, undefined);
    assert.equal(t.overThreshold, false);
  } finally {
    const gone = new Promise((r) => busy.once('exit', r));
    process.kill(-busy.pid!, 'SIGKILL');
    await gone;
  }
});
