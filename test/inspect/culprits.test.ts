// The inspector names the real culprit: lock holders through the open file description, unix
// socket peers, FIFO ends, pidfds, timeouts and signal sets, zombies, vfork, kernel threads, and
// the waits-on chain across processes. Each fixture sets up one case with real processes; every
// inspection must come back (a hang fails, see inspect-helpers) and its times must be true lower bounds.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { native } from '../../src/engine/native.js';
import { buildChains } from '../../src/engine/proc/chain.js';
import { InspectContext } from '../../src/engine/proc/context.js';
import { renderInspectReport } from '../../src/engine/proc/report.js';
import { groupThreads } from '../../src/engine/proc/thread-groups.js';
import { readDirSafe, readProcStat } from '../../src/engine/proc/task.js';
import { killAll, spawnFixture } from '../helpers/fixtures.js';
import { unshareSkipReason } from '../helpers/namespaces.js';
import { inCall, inspect, inspectWhen, thread } from './inspect-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'systrace-inspect-'));
after(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

const blockedIn = (name: string) => (r: { threads: { name: string; state: string }[] }) => r.threads.some((t) => t.name === name && t.state !== 'R');

test('a chain whose time budget is spent still names who is waited for, unread', async () => {
  const f = spawnFixture('block_lock', ['fork', join(dir, 'budget.lock')]);
  await f.ready;
  const holder = Number(f.info.holder);
  const r = await inspectWhen(f.pid, blockedIn('flock'));
  const chains = await buildChains(r, new InspectContext(0), () => Promise.reject(new Error('no hop is read out of time')));
  assert.equal(chains.length, 1);
  assert.equal(chains[0].text, `block_lock ${f.pid} -> waits for flock on ${dir}/budget.lock held by lock_holder ${holder} (?, not read) -> ... (stopped: out of time)`);
});

test('a flock taken before fork is held by the live child, not the exited parent /proc/locks names', async () => {
  const f = spawnFixture('block_lock', ['fork', join(dir, 'fork.lock')]);
  await f.ready;
  const holder = Number(f.info.holder);
  const taker = Number(f.info.taker);
  const r = await inspectWhen(f.pid, blockedIn('flock'));
  const t = inCall(r, 'flock')[0];
  // /proc/locks names the taker (in the initial PID namespace; inside another it hides the lock):
  // either way the holder named is the live child.
  assert.match(t.plainWords, new RegExp(`^waiting for a file lock \\(flock\\) on ${dir}/fork\\.lock held by pid ${holder} \\(lock_holder\\)(; /proc/locks names pid ${taker}, which took it and has exited: the lock lives on in the descriptor pid ${holder} shares)?$`));
  assert.deepEqual([t.waitsOn?.pid, t.waitsOn?.comm], [holder, 'lock_holder']);
  assert.equal(r.chains.length, 1);
  assert.equal(r.chains[0].text, `block_lock ${f.pid} -> waits for flock on ${dir}/fork.lock held by lock_holder ${holder} (S, in a 1 h clock_nanosleep)`);
});

test('a flock held by the same process through another descriptor is a self-deadlock', async () => {
  const f = spawnFixture('block_lock', ['self', join(dir, 'self.lock')]);
  await f.ready;
  const r = await inspectWhen(f.pid, blockedIn('flock'));
  const t = inCall(r, 'flock')[0];
  assert.equal(t.plainWords, `deadlock: waiting for a file lock (flock) on ${dir}/self.lock that this process holds itself through fd ${f.info.fd1} (another open of the same file)`);
  assert.equal(r.chains[0]?.cycle, true);
  assert.match(renderInspectReport(r), new RegExp(`^DEADLOCK: block_lock ${f.pid} -> waits for flock on \\S+ held through its own fd ${f.info.fd1} by block_lock ${f.pid} \\(it waits for itself\\)$`, 'm'));
});

for (const [mode, what, kind] of [
  ['posix', 'a record lock (fcntl F_SETLKW)', 'record lock'],
  ['ofd', 'an OFD lock (fcntl F_OFD_SETLKW)', 'OFD lock'],
] as const) {
  test(`${kind}s name their holder and the byte range it holds`, async () => {
    const file = join(dir, `${mode}.lock`);
    const f = spawnFixture('block_lock', [mode, file]);
    await f.ready;
    const holder = Number(f.info.holder);
    const r = await inspectWhen(f.pid, blockedIn('fcntl'));
    const t = inCall(r, 'fcntl')[0];
    assert.equal(t.plainWords, `waiting for ${what} on bytes 100-199 of ${file} held by pid ${holder} (lock_holder)`);
    assert.equal(r.chains[0].text, `block_lock ${f.pid} -> waits for ${kind} on bytes 100-199 of ${file} held by lock_holder ${holder} (S, in a 1 h clock_nanosleep)`);
  });
}

test('a unix socketpair: the peer process from sock_diag, as ss -x sees it', async () => {
  const f = spawnFixture('block_unix', ['pair']);
  await f.ready;
  const peer = Number(f.info.peer);
  const r = await inspectWhen(f.pid, blockedIn('read'));
  const t = inCall(r, 'read')[0];
  assert.equal(t.plainWords, `waiting for data from a unix socketpair (pair_peer, pid ${peer})`);
  assert.match(t.targets[0].text, new RegExp(`^UNIX unnamed \\(STREAM, CONNECTED\\) peer pair_peer \\(pid ${peer}\\)$`));
  // The same pairing the kernel reports to ss: our socket's peer inode is the one pair_peer holds.
  const inode = t.targets[0].entry!.socket!.inode;
  const ours = native().unixSockets().find((u) => u.inode === inode);
  assert.ok(ours && ours.peer > 0, 'sock_diag knows the peer');
  assert.equal(r.chains[0].text, `block_unix ${f.pid} -> reads unix socketpair from pair_peer ${peer} (S, in pause)`);
});

test('a unix socketpair in another network namespace: the peer from sock_diag asked in that namespace', { skip: unshareSkipReason() || false }, async () => {
  const f = spawnFixture('block_unix', ['pair'], 15000, { prefix: ['unshare', '--net'] });
  await f.ready;
  const peer = Number(f.info.peer);
  const r = await inspectWhen(f.pid, blockedIn('read'));
  const t = inCall(r, 'read')[0];
  assert.equal(t.plainWords, `waiting for data from a unix socketpair (pair_peer, pid ${peer})`);
  const inode = t.targets[0].entry!.socket!.inode;
  assert.equal(native().unixSockets().find((u) => u.inode === inode), undefined, 'not in our namespace');
  assert.ok((native().unixSockets(f.pid).find((u) => u.inode === inode)?.peer ?? 0) > 0, 'in its own');
});

test('a named unix socket: its path and the server holding the accepted end', async () => {
  const path = join(dir, 'server.sock');
  const f = spawnFixture('block_unix', ['named', path]);
  await f.ready;
  const peer = Number(f.info.peer);
  const r = await inspectWhen(f.pid, blockedIn('read'));
  const t = inCall(r, 'read')[0];
  assert.equal(t.plainWords, `waiting for data from unix socket ${path} (unix_server, pid ${peer})`);
  assert.match(t.targets[0].text, new RegExp(`^UNIX -> ${path} \\(STREAM, CONNECTED\\) peer unix_server \\(pid ${peer}\\)$`));
});

test('a named FIFO: the writer holding it open; opening one waits for the other end', async () => {
  const fifo = join(dir, 'fifo1');
  const f = spawnFixture('block_wait_misc', ['fifo', fifo]);
  await f.ready;
  const writer = Number(f.info.writer);
  const r = await inspectWhen(f.pid, blockedIn('read'));
  const t = inCall(r, 'read')[0];
  assert.equal(t.plainWords, `waiting for data from FIFO ${fifo} written by pid ${writer} (fifo_writer)`);
  assert.equal(t.targets[0].text, `FIFO ${fifo} <- written by fifo_writer (pid ${writer})`);
  assert.equal(r.chains[0].text, `block_wait_misc ${f.pid} -> reads FIFO ${fifo} written by fifo_writer ${writer} (S, in pause)`);

  const fifo2 = join(dir, 'fifo2');
  const g = spawnFixture('block_wait_misc', ['fifo-open', fifo2]);
  await g.ready;
  const r2 = await inspectWhen(g.pid, blockedIn('openat'));
  assert.equal(inCall(r2, 'openat')[0].plainWords, `waiting for a writer to open FIFO ${fifo2}`);
});

test('waitid on a pidfd names the process behind it', async () => {
  const f = spawnFixture('block_wait_misc', ['pidfd']);
  await f.ready;
  const child = Number(f.info.child);
  const r = await inspectWhen(f.pid, blockedIn('waitid'));
  const t = inCall(r, 'waitid')[0];
  assert.match(t.plainWords, new RegExp(`^waiting for pid ${child} \\(block_wait_misc\\) to exit \\(waitid on pidfd \\d+\\)$`));
  assert.match(t.targets[0].text, new RegExp(`^anon_inode:\\[pidfd\\] pid ${child} \\(block_wait_misc\\)$`));
  assert.equal(t.waitsOn?.pid, child);
});

test('select, poll and ppoll: the timeout in words', async () => {
  for (const [mode, call, words] of [
    ['select', 'pselect6', 'event loop idle in pselect6 on 1 descriptor, timeout 30 s'],
    ['poll', 'poll', 'event loop idle in poll on 1 descriptor, timeout 45 s'],
    ['ppoll', 'ppoll', 'event loop idle in ppoll on 1 descriptor, no timeout'],
  ]) {
    const f = spawnFixture('block_wait_misc', [mode]);
    await f.ready;
    const r = await inspectWhen(f.pid, blockedIn(call));
    assert.equal(inCall(r, call)[0].plainWords, words);
  }
});

test('sigwaitinfo: which signals it waits for', async () => {
  const f = spawnFixture('block_wait_misc', ['sigwait']);
  await f.ready;
  const r = await inspectWhen(f.pid, blockedIn('rt_sigtimedwait'));
  assert.equal(inCall(r, 'rt_sigtimedwait')[0].plainWords, 'waiting for SIGUSR1 or SIGTERM (sigwaitinfo)');
});

test('a parent with zombies lists them with their exit status; a zombie names its parent', async () => {
  const f = spawnFixture('block_zombies');
  await f.ready;
  const [z0, z3, zt] = [f.info.z0, f.info.z3, f.info.zterm].map(Number);
  const r = await inspectWhen(f.pid, (x) => blockedIn('pause')(x) && x.zombieChildren.length === 3);
  assert.deepEqual(
    r.zombieChildren.map((z) => [z.pid, z.status]),
    [
      [z0, 'exited with code 0'],
      [z3, 'exited with code 3'],
      [zt, 'killed by SIGTERM'],
    ],
  );
  assert.match(renderInspectReport(r), new RegExp(`^unreaped children: 3 zombies it has not wait\\(\\)ed for: ${z0} \\(block_zombies, exited with code 0\\), ${z3} \\(block_zombies, exited with code 3\\), ${zt} \\(block_zombies, killed by SIGTERM\\)$`, 'm'));

  const z = await inspect(z3);
  assert.deepEqual(z.zombie, { status: 'exited with code 3', parentPid: f.pid, parentComm: 'block_zombies' });
  assert.equal(z.threads[0].plainWords, `zombie: exited with code 3; its parent ${f.pid} (block_zombies) has not reaped it (wait())`);
  assert.equal(z.openFilesReason, 'a zombie has no open files left');
  assert.equal(z.chains[0].text, `block_zombies ${z3} -> waits to be reaped by its parent block_zombies ${f.pid} (S, in pause)`);
});

test('a vfork parent (D state) waits for its child to exec or exit', async () => {
  const f = spawnFixture('block_vfork');
  await f.ready;
  const parent = Number(f.info.parent);
  const child = Number(f.info.child);
  // The child prints READY just before its sleep: wait until the chain shows it asleep.
  const r = await inspectWhen(parent, (x) => x.threads[0]?.state === 'D' && /\(S, in \w+/.test(x.chains[0]?.text ?? ''));
  const t = r.threads[0];
  assert.equal(t.name, 'vfork');
  assert.equal(t.plainWords, `in vfork: waiting for child ${child} (block_vfork) to exec or exit`);
  assert.equal(r.chains[0].text, `block_vfork ${parent} -> waits in vfork for child block_vfork ${child} (S, in a 1 h nanosleep)`);
});

test('kthreadd is a kernel thread: no system call, no files, and it says so', async (tc) => {
  const kthreadd = readDirSafe('/proc')
    .map(Number)
    .find((p) => {
      const st = readProcStat(p);
      return st?.comm === 'kthreadd' && st.ppid === 0 && (st.flags & 0x00200000) !== 0;
    });
  // A PID namespace with its own /proc shows no kernel thread at all.
  if (kthreadd === undefined) return tc.skip('no kthreadd in this /proc (a PID namespace?)');
  const r = await inspect(kthreadd, { diagnose: true });
  assert.equal(r.kernelThread, true);
  const t = r.threads[0];
  assert.equal(t.where, 'kernel');
  assert.equal(t.callText, '');
  assert.equal(t.targets.length, 0);
  assert.match(t.plainWords, /^kernel thread: kthreadd, idle/);
  assert.equal(r.openFiles, undefined);
  assert.equal(r.openFilesReason, 'a kernel thread has no open files');
  const text = renderInspectReport(r);
  assert.doesNotMatch(text, /read\(0|open files \(0\)/);
  assert.match(text, /^# inspect pid \d+ \(kthreadd\): kernel thread, 1 thread/m);
});

test('a 3-process chain: a reads a pipe written by b, which waits for c\'s flock', async () => {
  const f = spawnFixture('block_chain', ['chain', join(dir, 'chain.lock')]);
  await f.ready;
  const [a, b, c] = [f.info.a, f.info.b, f.info.c].map(Number);
  const r = await inspectWhen(a, (x) => blockedIn('read')(x) && x.chains[0]?.hops.length === 3);
  assert.equal(r.chains[0].text, `block_chain ${a} -> reads pipe written by chain_b ${b} -> waits for flock on ${dir}/chain.lock held by chain_c ${c} (S, in a 1 h clock_nanosleep)`);
  assert.deepEqual(r.chains[0].hops.map((h) => h.pid), [a, b, c]);
  assert.equal(r.chains[0].cycle, false);
  assert.match(renderInspectReport(r).split('\n')[2], /^waits on: block_chain \d+ -> reads pipe written by chain_b/);
});

test('a 2-process cycle is reported as a deadlock', async () => {
  const f = spawnFixture('block_chain', ['cycle']);
  await f.ready;
  const [a, b] = [f.info.a, f.info.b].map(Number);
  const r = await inspectWhen(a, (x) => blockedIn('read')(x) && x.chains[0]?.cycle === true);
  assert.equal(r.chains[0].text, `deadlock: block_chain ${a} -> reads pipe written by cycle_b ${b} -> reads pipe written by block_chain ${a} (a cycle: each waits for the next)`);
  assert.match(renderInspectReport(r), new RegExp(`^DEADLOCK: block_chain ${a} -> reads pipe written by cycle_b ${b} -> `, 'm'));
});

test('a thread pool waiting on one condition variable collapses into one line; the odd thread stands out', async () => {
  const n = 12;
  const f = spawnFixture('block_threads', [String(n)]);
  await f.ready;
  const odd = Number(f.info.odd);
  const r = await inspectWhen(f.pid, (x) => x.threads.filter((t) => t.name === 'futex' && t.state === 'S').length === n + 1 && blockedIn('clock_nanosleep')(x));
  const groups = groupThreads(r.threads);
  const pool = groups.find((g) => g.threads.length > 1);
  assert.ok(pool);
  assert.equal(pool.threads.length, n);
  assert.ok(pool.threads.every((t) => t.comm === 'worker'));
  assert.match(pool.words, new RegExp(`^${n} threads idle in futex_wait on 0x[0-9a-f]+: a thread pool with no work$`));
  assert.equal(groups.length, 3, 'the pool, the odd thread, the main thread');
  assert.equal(thread(r, odd).plainWords, 'sleeping for 1 h in clock_nanosleep');
  assert.equal(thread(r, f.pid).plainWords, `waiting for thread ${odd} (odd) to exit (pthread_join)`);
  const text = renderInspectReport(r);
  assert.match(text, new RegExp(`^${n} threads [\\d, -]+ \\(worker\\) S sleeping, (BLOCKED|blocked) at least`, 'm'));
  assert.equal(text.split('\n').filter((l) => l.includes('a thread pool with no work')).length, 1);
  assert.match(text, new RegExp(`^waits on: block_threads ${f.pid} -> joins thread odd ${odd} \\(thread of ${f.pid}\\) \\(S, in a 1 h clock_nanosleep\\)$`, 'm'));
});
