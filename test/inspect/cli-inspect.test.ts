// `--plain --inspect` as scripts and bug reports use it: whole lines into a pipe, and refusals
// shown as refusals when we may not look (another user's process).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, spawnFixture } from '../helpers/fixtures.js';
import { inspectWhen, runInspectCli } from './inspect-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'systrace-cli-inspect-'));
after(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

test('into a pipe, lines are whole: the chain, the lock holder and the timeouts are not cut', async () => {
  const f = spawnFixture('block_chain', ['chain', join(dir, 'a-long-enough-name-for-the-lock-file-to-matter.lock')]);
  await f.ready;
  await inspectWhen(f.pid, (r) => r.chains[0]?.hops.length === 3);
  const { stdout, code } = await runInspectCli(f.pid);
  assert.equal(code, 0);
  const chain = stdout.split('\n').find((l) => l.startsWith('waits on: '));
  assert.ok(chain && chain.length > 120, `a long line: ${chain}`);
  assert.match(chain, new RegExp(`held by chain_c ${f.info.c} \\(S, in a 1 h clock_nanosleep\\)$`));
  assert.ok(!stdout.split('\n').some((l) => l.endsWith('...')), 'nothing clipped');
});

test("another user's process: what we may not read is said to be refused, never shown as empty", { skip: process.getuid?.() === 0 ? false : 'needs root to run the inspector as nobody' }, async () => {
  const f = spawnFixture('block_unix', ['pair']);
  await f.ready;
  await inspectWhen(f.pid, (r) => r.threads.some((t) => t.name === 'read'));
  const { stdout, code } = await runInspectCli(f.pid, { uid: 65534, gid: 65534 });
  assert.equal(code, 0);
  assert.match(stdout, new RegExp(`^\\(cannot list /proc/${f.pid}/fd: permission denied`, 'm'));
  assert.doesNotMatch(stdout, /open files \(0\)/);
  assert.match(stdout, /^ {2}wchan: {2}\(hidden: /m);
  assert.doesNotMatch(stdout, /not sleeping in the kernel/);
  assert.match(stdout, /^ {2}call: {3}\? \(permission denied/m);
  assert.match(stdout, /^\[FAIL\] ptrace access \(probe\): denied/m);
});

test('root without CAP_SYS_PTRACE, on a process holding capabilities it lacks: each refusal said once, and why (not a row per descriptor)', { skip: process.getuid?.() === 0 ? false : 'needs root' }, async () => {
  const f = spawnFixture('block_unix', ['pair']);
  await f.ready;
  await inspectWhen(f.pid, (r) => r.threads.some((t) => t.name === 'read'));
  const { stdout, code } = await runInspectCli(f.pid, { prefix: ['setpriv', '--inh-caps=-sys_ptrace', '--bounding-set=-sys_ptrace', '--'] });
  assert.equal(code, 0);
  // /proc/PID/fd can be listed (root reads the directory), but no link can be read
  assert.match(stdout, /^## open files\n\(\d+ descriptors open \(fds 0-\d+.*\), but where they point is not readable: permission denied\)$/m);
  assert.doesNotMatch(stdout, /^\d+ +\? +- +\(not readable/m);
  assert.match(stdout, /^ {2}call: {3}\? \(permission denied reading syscall, even to root: the kernel refuses ptrace access \(the target holds capabilities we lack/m);
  assert.match(stdout, /^\[FAIL\] ptrace access \(probe\): denied/m);
});
