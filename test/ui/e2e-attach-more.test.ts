// End to end, at the three terminal sizes we support: changing what is traced without leaving the
// TUI, and reading a launched command's output. `a` attaches one more process from the picker (the
// trace goes on: both processes counted, both named in the title); `D` detaches from every traced
// process and goes back to the picker instead of exiting (each keeps running, untraced); `L` shows
// the end of a launched command's output log.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';
import { CLI, E2E_SIZES, e2eSkipReason, procStatus, RUN_ID, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();

/** The picker's process rows on a screen (`  PID USER ...`). */
const pickerRows = (s: string) => s.split('\n').filter((l) => /^\s+\d+ /.test(l));

describe('e2e: attach more, detach to the picker, the command log (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  const tags: string[] = [];
  /** Launched commands' process groups (each leads its own): what k left of them goes too. */
  const groups: number[] = [];
  afterEach(async () => {
    for (const s of screens.splice(0)) s.kill();
    for (const t of tags.splice(0)) {
      spawnSync('pkill', ['-KILL', '-f', t]);
      rmSync(join(tmpdir(), t), { force: true });
    }
    for (const g of groups.splice(0)) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        // none left
      }
    }
    await killAll();
  });

  for (const [w, h] of E2E_SIZES) {
    it(`${w}x${h}: a attaches one more process from the picker; D detaches from both and goes back to the picker`, async () => {
      const a = spawnFixture('named_threads', ['1']);
      const b = spawnFixture('named_threads', ['1']);
      await Promise.all([a.ready, b.ready]);
      const [pa, pb] = [Number(a.info.pid), Number(b.info.pid)];
      const t = new TmuxScreen(`node ${CLI} -p ${pa}`, { width: w, height: h });
      screens.push(t);
      await t.waitFor(/1 proc 2 thr/, 30000);
      assert.equal(procStatus(pb).tracerPid, 0);

      t.keys('a');
      await t.waitFor('attach one more process to the trace');
      t.type(String(pb));
      // The filter's matches, best first ("sort: match" in the title once the filter applies; the
      // Filter: field is cut at 80 columns): move to B's row (the list may hold other processes whose
      // pid or command line has its digits, init's included). A settled screen: its title and its
      // rows are of one frame.
      const s = await t.waitForSettled((x) => /sort: m/.test(x.split('\n')[0]) && pickerRows(x).some((l) => new RegExp(`^\\s+${pb} `).test(l)));
      const idx = pickerRows(s).findIndex((l) => new RegExp(`^\\s+${pb} `).test(l));
      for (let i = 0; i < idx; i++) t.keys('Down');
      t.keys('Enter');
      // Back on the trace screen, tracing both: counted, named, B's worker busy in it.
      const both = await t.waitFor(/2 proc 4 thr/, 30000);
      assert.match(both, new RegExp(`attached named_threads \\(pid ${pb}\\)|named_threads \\(pid ${pa}\\), named_thr`));
      assert.notEqual(procStatus(pb).tracerPid, 0, 'B is traced');
      assert.notEqual(procStatus(pa).tracerPid, 0, 'A still is');

      t.keys('D');
      // The main picker, without the filter typed in a's (init is listed again).
      await t.waitFor((x) => x.includes('pick a process') && /^\s+1 /m.test(x), 30000);
      assert.ok(!t.exited(), 'D goes back to the picker, it does not quit');
      // Both detached, both running on (their workers still make calls: not stopped).
      for (const pid of [pa, pb]) {
        await waitFor(() => (procStatus(pid).tracerPid === 0 ? true : undefined), `${pid} detached`);
        assert.notEqual(procStatus(pid).state, 't');
        assert.notEqual(procStatus(pid).state, 'T');
      }
      t.keys('F10');
      await t.waitExit();
      assert.equal(t.exitStatus(), 0);
    });

    it(`${w}x${h}: L shows the end of a launched command's output, as it grows`, async () => {
      const tag = `cmdlog${RUN_ID}x${w}`;
      tags.push(tag);
      // Three hundred lines, then one more once we have looked: the view is the log's tail, live.
      // (The file it waits for goes with the test, whatever its end: afterEach.)
      const more = join(tmpdir(), tag);
      const t = new TmuxScreen(`node ${CLI} -- sh -c 'seq 1 300; while [ ! -e ${more} ]; do sleep 0.1; done; echo more-${tag}; sleep 60'`, { width: w, height: h });
      screens.push(t);
      await t.waitFor('ev/s', 30000);
      t.keys('L');
      let s = await t.waitFor((x) => x.includes('output of the command') && /^300$/m.test(x), 30000);
      assert.doesNotMatch(s, /^1$/m, 'the head of a long log is left out');
      assert.ok(s.trimEnd().split('\n').length <= h && s.split('\n').every((l) => l.length <= w));
      // The bar has the keys of this view, not the panes' (F3 Search, Tab Next... do nothing here).
      assert.match(s.trimEnd().split('\n').at(-1)!, /^L Esc Close q Quit\s*$/);
      writeFileSync(more, '');
      s = await t.waitFor(new RegExp(`^more-${tag}$`, 'm'), 30000);
      assert.match(s, /^300\nmore-/m);
      t.keys('Escape');
      await t.waitFor((x) => !x.includes('output of the command'));
      t.keys('q');
      s = await t.waitFor('still runs');
      groups.push(Number(/pid (\d+) \(sh -c/.exec(s)![1]));
      t.keys('k');
      await t.waitExit();
    });
  }
});
