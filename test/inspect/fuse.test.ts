// The classic hung process: a FUSE mount whose daemon stopped answering. The inspector must
// neither hang (the old one stat'ed the path and joined the waiters in D state, for good) nor stay
// vague: it names the daemon, the request and the path, for a waiter in S and one in D.
//
// The fixture mounts in a mount namespace of its own under a directory this test owns, so nothing
// can leak to the host. Cleanup kills the daemon: its /dev/fuse descriptor closes, the kernel
// aborts the connection, and every waiter (ours included) is freed; the test then checks they are.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderInspectReport } from '../../src/engine/proc/report.js';
import type { InspectReport } from '../../src/engine/proc/blocking.js';
import { readProcStat } from '../../src/engine/proc/task.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';
import { CLI, TmuxScreen, e2eSkipReason } from '../ui/tmux.js';
import { inspectWhen, runInspectCli } from './inspect-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'systrace-fuse-'));
const mnt = join(dir, 'mnt');
mkdirSync(mnt);
const waiters: number[] = [];

after(async () => {
  // Killing the daemon closes /dev/fuse: the connection is aborted and every request fails.
  await killAll();
  await waitFor(() => (waiters.every((p) => readProcStat(p) === undefined || readProcStat(p)?.state === 'Z') ? true : undefined), 'the FUSE waiters to be freed');
  rmSync(dir, { recursive: true, force: true });
});

let canFuse = true;
try {
  accessSync('/dev/fuse', constants.R_OK | constants.W_OK);
  if (process.getuid?.() !== 0) canFuse = false;
} catch {
  canFuse = false;
}

test('a dead FUSE daemon: the waiters are explained, the daemon named, and nothing hangs', { skip: canFuse ? false : 'needs root and /dev/fuse' }, async () => {
  const f = spawnFixture('block_fuse', [mnt]);
  await f.ready;
  const daemon = Number(f.info.daemon);
  const a = Number(f.info.a);
  const b = Number(f.info.b);
  waiters.push(a, b);
  assert.equal(daemon, f.pid);

  // a: asleep in the FUSE request itself.
  // Under load the inspection's 2 s budget can run out before the daemon is read: the chain then stops short.
  const whole = (r: InspectReport) => r.chains.length > 0 && !r.chains[0].stopped;
  const ra = await inspectWhen(a, (r) => (r.threads[0]?.wchan === 'request_wait_answer' || /FUSE daemon/.test(r.threads[0]?.plainWords ?? '')) && whole(r));
  const ta = ra.threads[0];
  assert.equal(ta.name, 'newfstatat');
  assert.equal(ta.plainWords, `waiting for FUSE daemon pid ${daemon} (hangfs) to answer a lookup on ${mnt}/hang`);
  assert.deepEqual([ta.waitsOn?.pid, ta.waitsOn?.comm], [daemon, 'hangfs']);
  // The daemon wakes for each request it reads (ours too): idle in poll, or running to read one.
  assert.match(ra.chains[0].text, new RegExp(`^waiter_a ${a} -> waits for FUSE daemon hangfs ${daemon} \\((S, idle in poll on /dev/fuse|R, running)\\)$`));
  // Its descriptor on the hung mount was checked in a child process, which timed out.
  const onMount = ra.openFiles?.find((e) => e.link === mnt);
  assert.ok(onMount, 'the descriptor on the mount is listed');
  assert.equal(onMount.type, '?');
  assert.match(onMount.target, /^\S+ \(could not stat: the file system does not answer/);

  // b: in D state, behind a's lookup of the same name.
  const rb = await inspectWhen(b, (r) => r.threads[0]?.state === 'D' && whole(r), {}, 'b to sleep in D state');
  const tb = rb.threads[0];
  assert.equal(tb.wchan, 'd_alloc_parallel');
  assert.equal(tb.plainWords, `waiting for another lookup of the same name on ${mnt}/hang to finish: it waits for FUSE daemon pid ${daemon} (hangfs) on FUSE mount ${mnt} (hangfs)`);
  assert.match(rb.chains[0].text, new RegExp(`^waiter_b ${b} -> waits for FUSE daemon hangfs ${daemon} \\((S, idle in poll on /dev/fuse|R, running)\\)$`));
  assert.match(renderInspectReport(rb), /^thread \d+ \(waiter_b\) D disk sleep, (BLOCKED|blocked) at least/m);
});

test('--plain --inspect on a process in D state on a dead FUSE mount returns, and is never stuck itself', { skip: canFuse ? false : 'needs root and /dev/fuse' }, async () => {
  const sub = join(dir, 'mnt2');
  mkdirSync(sub);
  const f = spawnFixture('block_fuse', [sub]);
  await f.ready;
  const a = Number(f.info.a);
  const b = Number(f.info.b);
  waiters.push(a, b);
  await waitFor(() => (readProcStat(b)?.state === 'D' ? true : undefined), 'b in D state');
  for (const pid of [a, b]) {
    const { stdout, code } = await runInspectCli(pid);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^waits on: waiter_[ab] ${pid} -> waits for FUSE daemon hangfs ${f.pid} `, 'm'));
  }
});

for (const [who, width, height] of [['a', 200, 50], ['b', 80, 24]] as const) {
  test(`the TUI's inspector at ${width}x${height} on waiter ${who} of a dead FUSE mount: it names the daemon, its keys work, and it quits`, { skip: !canFuse ? 'needs root and /dev/fuse' : e2eSkipReason() || false }, async () => {
    const sub = join(dir, `mnt-tui-${who}`);
    mkdirSync(sub);
    const f = spawnFixture('block_fuse', [sub]);
    await f.ready;
    const pid = Number(f.info[who]);
    waiters.push(Number(f.info.a), Number(f.info.b));
    await waitFor(() => (readProcStat(Number(f.info.b))?.state === 'D' ? true : undefined), 'b in D state');
    const t = new TmuxScreen(`node ${CLI} --inspect ${pid}`, { width, height });
    try {
      await t.waitFor(new RegExp(`waits on: waiter_${who} ${pid} -> waits for FUSE daemon hangfs ${f.pid} `));
      const s = await t.waitFor('stack:');
      assert.match(s, who === 'a' ? /reads: +waiting for FUSE daemon pid \d+ \(hangfs\) to answer a lookup on/ : /reads: +waiting for another lookup of the same name on/);
      for (const line of s.split('\n')) assert.ok(line.length <= width);
      t.keys('f');
      const files = await t.waitFor('-- open files');
      // a's descriptor on the mount was checked in a child process, which got no answer
      if (who === 'a') await t.waitFor(new RegExp(`${sub} \\(could not stat: the file system does not answer`));
      else assert.match(files, /FD +TYPE +MODE +TARGET/);
      t.keys('F10');
      await t.waitExit();
      assert.equal(t.exitStatus(), 0);
    } finally {
      t.kill();
    }
  });
}
