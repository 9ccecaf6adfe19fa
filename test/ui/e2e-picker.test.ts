// End to end: the picker of the real binary in tmux, over the real /proc.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, afterEach, before, describe, it } from 'node:test';
import { CLI, e2eSkipReason, procStatus, RUN_ID, TmuxScreen } from './tmux.js';
import { ensureMerged } from './e2e-helpers.js';
import { cgroupSkipReason, makeCgroup, startUnshared, unshareSkipReason } from '../helpers/namespaces.js';

const skip = e2eSkipReason();

describe('e2e: process picker (tmux)', { skip: skip || false }, () => {
  let loop: ChildProcess;
  const screens: TmuxScreen[] = [];
  const tag = `pickme${RUN_ID}`;
  before(() => {
    loop = spawn('sh', ['-c', `while :; do ls /nonexistent-${tag} 2>/dev/null; sleep 0.2; done`], { detached: true, stdio: 'ignore' });
  });
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });
  after(() => {
    try {
      process.kill(-loop.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  });

  it('lists processes, filters as you type, attaches with Enter, detaches with q', async () => {
    const t = new TmuxScreen(`node ${CLI}`);
    screens.push(t);
    let s = await t.waitFor('PID USER');
    // (UNIT/CONTAINER and NSPID NS appear when processes of others on this machine have them)
    assert.match(s, /S\s+THR\s+CPU%\s+RSS (WCHAN\s+)?(UNIT\/CONTAINER\s+)?(NSPID NS\s+)?COMMAND/);
    t.type(tag);
    s = await t.waitFor(`Filter: ${tag}`);
    const rows = s.split('\n').filter((l) => /^\s+\d+ /.test(l));
    assert.ok(rows.some((l) => l.includes(String(loop.pid))), s);
    const idx = rows.findIndex((l) => new RegExp(`^\\s+${loop.pid} `).test(l));
    for (let i = 0; i < idx; i++) t.keys('Down');
    t.keys('Enter');
    s = await t.waitFor('ev/s');
    assert.match(s, new RegExp(`sh \\(pid ${loop.pid}\\)`));
    // Every thread's rows in one timeline (the first screen may show it already).
    await ensureMerged(t);
    // A regular expression for ls's failing lookup of the tag, not its execve; Enter puts the cursor
    // on the newest such row and stops following, so the row stays on screen however busy the loop.
    t.keys('/', 'C-r');
    await t.waitFor('regex, any case');
    t.type(`${tag}.*ENOENT`);
    await t.waitFor(/: [1-9][\d,]* rows match/);
    t.keys('Enter');
    await t.waitFor(/"\/nonex.*= -1 ENOENT/); // the row (paths are cut in their middle)
    t.keys('q');
    await t.waitExit();
    assert.equal(procStatus(loop.pid!).tracerPid, 0);
  });

  it('tree view, sort keys and Esc', async () => {
    const t = new TmuxScreen(`node ${CLI}`);
    screens.push(t);
    await t.waitFor('sort: cpu');
    t.keys('Tab');
    await t.waitFor('sort: memory');
    t.keys('C-t');
    // The title says tree, and the rows below it (drawn after it: wait for them) hang from their parents.
    await t.waitFor((x) => x.includes('tree') && /[|`]- /.test(x));
    t.type('zzzqqq');
    await t.waitFor('no process matches');
    t.keys('Escape');
    await t.waitFor('type to filter');
    // An empty filter: Esc does nothing (htop never quits on Esc). The letters typed next still
    // filter (the first may arrive with the Esc and read as Alt+z, which is ignored).
    t.keys('Escape');
    t.type('zzz');
    await t.waitFor(/Filter: zz/);
    t.keys('C-q');
    await t.waitExit();
  });

  it('a process in its own pid and mount namespaces, in a cgroup of our own naming: its unit, its pid inside, its namespaces; the title says them', {
    skip: unshareSkipReason() || cgroupSkipReason() || false,
  }, async () => {
    const ntag = `nsme${RUN_ID}`;
    const u = await startUnshared(['--pid', '--mount-proc'], ntag);
    const cg = makeCgroup('systrace-e2e');
    const unit = cg.child('web.service');
    try {
      unit.add(u.inner);
      const t = new TmuxScreen(`node ${CLI}`, { width: 140 });
      screens.push(t);
      await t.waitFor('PID USER');
      t.type(ntag);
      let s = await t.waitFor(`Filter: ${ntag}`);
      assert.match(s, /UNIT\/CONTAINER\s+NSPID NS\s+COMMAND/);
      const row = s.split('\n').find((l) => new RegExp(`^\\s+${u.inner} `).test(l));
      assert.ok(row, s);
      assert.match(row, /web\.service\s+1 pm  sh -c sleep 1000/);
      // the unit's name finds it too
      t.keys('Escape');
      await t.waitFor('type to filter');
      t.type('web.service');
      s = await t.waitFor(`Filter: web.service`);
      assert.ok(s.split('\n').some((l) => new RegExp(`^\\s+${u.inner} `).test(l)), s);
      const rows = s.split('\n').filter((l) => /^\s+\d+ /.test(l));
      for (let i = 0; i < rows.findIndex((l) => new RegExp(`^\\s+${u.inner} `).test(l)); i++) t.keys('Down');
      t.keys('Enter');
      s = await t.waitFor('ev/s');
      assert.match(s, new RegExp(`sh \\(pid ${u.inner}, 1 inside, web\\.service, ns pid mnt\\)`));
      t.keys('q');
      await t.waitExit();
      assert.equal(procStatus(u.inner).tracerPid, 0);
    } finally {
      u.stop();
      await cg.remove();
    }
  });
});
