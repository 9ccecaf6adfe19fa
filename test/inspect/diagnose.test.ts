// Attach diagnostics: every check has a value; the decisive reason for a refused attach.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { diagnoseAttach, explainAttachFailure, hasCap, inferDumpable } from '../../src/engine/proc/diagnose.js';
import { readStatus } from '../../src/engine/proc/task.js';
import { OWN_PID_NS_HINT } from '../helpers/confined.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';

after(killAll);

const GONE = 4194305;
const byName = (d: ReturnType<typeof diagnoseAttach>, name: string) => d.checks.find((c) => c.name === name);

test('every check names itself and carries a value', () => {
  for (const pid of [process.pid, 1, GONE]) {
    const d = diagnoseAttach(pid);
    assert.ok(d.checks.length > 0);
    for (const c of d.checks) {
      assert.ok(c.name.length > 0);
      assert.ok(c.value.length > 0, `${c.name} has a value`);
      assert.ok(c.ok === true || c.ok === false || c.ok === null);
      assert.equal(typeof c.hint, 'string');
    }
  }
});

test('our own pid: the self check fails, and explain says SELF', () => {
  const d = diagnoseAttach(process.pid);
  assert.equal(d.exists, true);
  assert.equal(byName(d, 'self')?.ok, false);
  const ptraceScope = byName(d, 'ptrace_scope')!;
  assert.ok(/^\d \(/.test(ptraceScope.value) || ptraceScope.value === 'no Yama LSM (file absent)');
  const cap = byName(d, 'CAP_SYS_PTRACE')!;
  assert.equal(cap.value.startsWith('yes'), hasCap(readStatus('self')?.capEff, 19));
  assert.match(byName(d, 'PID namespace')!.value, /^same as ours/);
  assert.deepEqual(explainAttachFailure(process.pid, 'EPERM').code, 'SELF');
});

test('pid 1 is diagnosed without throwing', () => {
  const d = diagnoseAttach(1);
  assert.equal(d.exists, true);
  for (const name of ['process', 'ptrace_scope', 'CAP_SYS_PTRACE', 'uid', 'TracerPid', 'NoNewPrivs', 'dumpable', 'seccomp (target)', 'PID namespace']) {
    assert.ok(byName(d, name), `check ${name}`);
  }
  const e = explainAttachFailure(1, 'EPERM');
  assert.ok(e.reason.length > 0 && !e.reason.includes('\n'));
});

test('a pid that does not exist', () => {
  const d = diagnoseAttach(GONE);
  assert.equal(d.exists, false);
  assert.equal(byName(d, 'process')?.ok, false);
  const e = explainAttachFailure(GONE, 'ESRCH');
  assert.equal(e.code, 'ENOENT_PID');
  assert.match(e.reason, new RegExp(`^pid ${GONE} does not exist${OWN_PID_NS_HINT}$`));
});

test('a kernel thread (kthreadd, pid 2)', (t) => {
  // In a PID namespace, pid 2 is whatever process of ours got it, or nothing.
  if (!existsSync('/proc/2') || readFileSync('/proc/2/comm', 'utf8').trim() !== 'kthreadd') return t.skip('no kthreadd at pid 2 (a PID namespace?)');
  const d = diagnoseAttach(2);
  assert.equal(byName(d, 'kernel thread')?.ok, false);
  assert.equal(explainAttachFailure(2, 'EPERM').code, 'KTHREAD');
});

test('a process already traced by strace: TracerPid names the tracer', async () => {
  const f = spawnFixture('block_nanosleep');
  await f.ready;
  const strace = spawn('strace', ['-p', String(f.pid), '-o', '/dev/null'], { stdio: 'ignore' });
  try {
    await waitFor(() => ((readStatus(f.pid)?.tracerPid ?? 0) !== 0 ? true : undefined), 'strace to attach');
    const d = diagnoseAttach(f.pid);
    const tp = byName(d, 'TracerPid')!;
    assert.equal(tp.ok, false);
    assert.equal(tp.value, `${strace.pid} (strace)`);
    assert.deepEqual(explainAttachFailure(f.pid, 'EPERM'), {
      code: 'TRACED',
      reason: `pid ${f.pid} (block_nanosleep) is already traced by pid ${strace.pid} (strace)`,
    });
  } finally {
    const gone = new Promise((r) => strace.once('exit', r));
    strace.kill('SIGTERM');
    await gone;
  }
});

test('dumpable is inferred from the owner of /proc/PID', () => {
  // A root process cannot be told apart; our own user's process is dumpable unless it said otherwise.
  const self = readStatus('self')!;
  const d = inferDumpable(process.pid, self);
  if (self.uid[1] === 0) assert.equal(d, undefined);
  else assert.equal(d, true);
});

test('unknown errno is reported as INTERNAL with the errno', async () => {
  const f = spawnFixture('block_nanosleep');
  await f.ready;
  const e = explainAttachFailure(f.pid, 'EIO');
  assert.equal(e.code, 'INTERNAL');
  assert.match(e.reason, /EIO$/);
});
