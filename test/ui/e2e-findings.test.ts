// End to end: the findings of a real traced command in the real binary (tmux), at 80x24 and
// 200x50: the status bar counts them as they come, ! lists them with the evidence gathered live
// (the path walked through the prober), Enter opens the row they rest on; and those of a strace
// log opened with --load, which say what could not be checked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { CLI, e2eSkipReason, RUN_ID, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();

describe('e2e: findings (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });
  after(() => {
    for (const s of screens.splice(0)) s.kill();
  });

  for (const [width, height] of [
    [80, 24],
    [200, 50],
  ]) {
    it(`${width}x${height}: the count in the status bar, ! lists the findings, Enter opens the row`, async () => {
      const missing = `/nonexistent-find-${RUN_ID}`;
      // the command fails, then stays (the trace goes on while we look)
      const cmd = `${fixturePath('find_paths')} read ${missing}/app.conf; exec sleep 600`;
      const t = new TmuxScreen(`node ${CLI} -- sh -c '${cmd}'`, { width, height });
      screens.push(t);
      await t.waitFor(/! \d+ problem/, 30_000);
      t.keys('!');
      let s = await t.waitFor(`${missing} does not exist (/ does)`, 30_000);
      assert.match(s, /findings: \d+ problems?, \d+ notes?, \d+ expected failures? \(e shows them\)/);
      assert.match(s, new RegExp(`PROBLEM openat ${missing}/app.conf: /nonexistent-find-`));
      assert.match(s, /means: a component of the path does not exist/);
      assert.ok(s.split('\n').every((l) => l.length <= width), s);
      t.keys('Enter');
      await t.waitFor((x) => !x.includes('findings:') && /scrolled \(F follows\)/.test(x));
      // the cursor is on that row: its details are the failed openat's
      t.keys('Enter');
      s = await t.waitFor('row details');
      assert.match(s, new RegExp(`openat\\(AT_FDCWD, "${missing}/app.conf", O_RDONLY\\)`));
      if (height >= 40) assert.match(s, /Findings resting on this row/);
      t.keys('Escape');
      // Closed: the details gone, the trace's key bar back. ('F1 Help' alone can be the old key bar
      // under a details frame tmux has not drawn whole yet; a q sent before the Esc is read makes
      // the two an Alt-q.)
      await t.waitFor((x) => !x.includes('row details') && x.includes('F1 Help'));
      // the command still runs: leaving asks, and k kills it
      t.keys('q');
      await t.waitFor('still runs');
      t.keys('k');
      await t.waitExit(30_000);
    });
  }

  it('--load LOG: the findings of a strace log, without live evidence, and saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'systrace-e2e-findlog-'));
    try {
      const log = join(dir, 'trace.log');
      const missing = join(dir, 'conf.d', 'app.conf');
      try {
        execFileSync('strace', ['-f', '-o', log, 'sh', '-c', `${fixturePath('find_paths')} read ${missing}; exit 2`], { stdio: 'ignore' });
      } catch {
        // fails on purpose
      }
      const t = new TmuxScreen(`node ${CLI} --load ${log}`, { width: 120, height: 40 });
      screens.push(t);
      await t.waitFor(/! \d+ problem/, 30_000);
      t.keys('!');
      const s = await t.waitFor(`openat ${missing}: no such file or directory`, 30_000);
      assert.match(s, /evidence: from the trace alone/);
      assert.match(s, /which component is missing: not checked \(a loaded log/);
      assert.match(s, /PROBLEM pid \d+ \S+ exited with status 2/);
      t.keys('q');
      await t.waitExit(30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
