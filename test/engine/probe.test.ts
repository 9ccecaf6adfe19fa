// The prober: checks that may block run in a child process with a deadline. A check that does not
// answer fails with ProbeTimeoutError at its deadline (as do those queued behind it), the stuck
// child is abandoned, and the next check gets a fresh one; errors come back with their errno.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Prober, ProbeError, ProbeTimeoutError } from '../../src/engine/proc/probe.js';

const TARGET = '../test/engine/probe-target.js';

describe('prober', () => {
  test('a check answers from the child', async () => {
    const p = new Prober();
    try {
      assert.deepEqual(await p.call(TARGET, 'echo', [{ a: [1, 'x'] }]), { a: [1, 'x'] });
    } finally {
      p.close();
    }
  });

  test('a check that blocks fails at its deadline, and the next one runs in a fresh child', async () => {
    const p = new Prober();
    try {
      const stuck = p.call(TARGET, 'block', [60_000], 300);
      const queued = p.call(TARGET, 'echo', ['behind'], 60_000);
      await assert.rejects(stuck, (e: unknown) => e instanceof ProbeTimeoutError && /no answer within 300 ms/.test(e.message));
      await assert.rejects(queued, (e: unknown) => e instanceof ProbeTimeoutError && /queued behind block/.test(e.message));
      assert.equal(p.abandoned, 1);
      assert.equal(await p.call(TARGET, 'echo', ['after']), 'after');
    } finally {
      p.close();
    }
  });

  test('a check that throws comes back with its errno name', async () => {
    const p = new Prober();
    try {
      await assert.rejects(p.call(TARGET, 'stat', ['/nonexistent-probe-test']), (e: unknown) => e instanceof ProbeError && e.code === 'ENOENT');
      await assert.rejects(p.call('../../etc/passwd.js', 'x', []), /not one of our modules/);
    } finally {
      p.close();
    }
  });

  test('an idle prober does not keep node alive', async () => {
    const { execFileSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const mod = fileURLToPath(new URL('../../src/engine/proc/probe.js', import.meta.url));
    const script = `import('${mod}').then(async ({ Prober }) => { const p = new Prober(); console.log(await p.call('${TARGET}', 'echo', ['ok'])); })`;
    // exits by itself once the answer is in: the child and its pipes are unref'd while idle
    assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 }).trim(), 'ok');
  });
});
