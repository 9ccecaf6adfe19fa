// End to end, at the three terminal sizes we support: keys that arrive together (a paste into the
// ^N prompt) all arrive, in order; and quitting after a resize leaves the shell's screen clean.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, afterEach, describe, it } from 'node:test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../helpers/fixtures.js';
import { CLI, E2E_SIZES, e2eSkipReason, RUN_ID, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();

/** Every process's pid and argv, from /proc. */
function commandLines(): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      out.push({ pid: Number(d), argv: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0$/, '').split('\0') });
    } catch {
      // gone
    }
  }
  return out;
}

describe('e2e: input and leaving (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  const tags: string[] = [];
  /** Launched commands' process groups (each leads its own): the sleep a command started goes with it. */
  const groups: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'e2e-input-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
    for (const t of tags.splice(0)) spawnSync('pkill', ['-KILL', '-f', t]);
    for (const g of groups.splice(0)) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        // none left
      }
    }
  });

  for (const [w, h] of E2E_SIZES) {
    it(`${w}x${h}: a paste into the ^N prompt arrives whole and runs as typed`, async () => {
      const tag = `paste${RUN_ID}x${w}`;
      tags.push(tag);
      const t = new TmuxScreen(`node ${CLI}`, { width: w, height: h });
      screens.push(t);
      await t.waitFor('PID USER', 30000);
      t.keys('C-n');
      await t.waitFor('Launch and trace:');
      // One write: tmux hands it to the terminal as a paste would come.
      const line = `sh -c 'sleep 60' ${tag}-abcdefgh`;
      t.type(line);
      await t.waitFor(`Launch and trace: ${line}`);
      t.keys('Enter');
      await t.waitFor((x) => !x.includes('Launch and trace') && x.includes('Quit'));
      // What runs is what was typed: the launched process's own argv.
      const { pid, argv } = await waitFor(() => commandLines().find((c) => c.argv.at(-1) === `${tag}-abcdefgh`), `the launched ${tag}`);
      groups.push(pid);
      assert.deepEqual(argv, ['sh', '-c', 'sleep 60', `${tag}-abcdefgh`]);
    });

    it(`${w}x${h}: ^L draws the screen again over what another program wrote on the terminal`, async () => {
      const t = new TmuxScreen(`node ${CLI}`, { width: w, height: h });
      screens.push(t);
      const first = await t.waitForSettled((x) => x.includes('PID USER') && x.includes('Quit'));
      // Another writer of the same terminal (a traced program sharing it, a wall message): its
      // text lands over our rows, and our frames, which write only what changed, leave it there.
      // Over the key bar, which no frame changes.
      const barRow = first.split('\n').findIndex((l) => l.includes('Quit')) + 1;
      writeFileSync(t.paneTty(), `\x1b[${barRow};1Hwritten-over-${RUN_ID}`);
      await t.waitFor(`written-over-${RUN_ID}`);
      t.keys('C-l');
      const s = await t.waitForSettled((x) => !x.includes('written-over') && x.includes('PID USER') && x.includes('Quit'));
      // The picker as it was, its header and key bar in their places (its rows refresh on their own).
      const bar = (x: string) => x.split('\n').filter((l) => l.includes('Quit'));
      assert.deepEqual(bar(s), bar(first), s);
      t.keys('F10');
      await t.waitExit();
    });

    it(`${w}x${h}: quitting after a resize leaves nothing of the last frame on the shell`, async () => {
      // Full-width rows (a trace) in the alternate screen, resized smaller then larger, are what a
      // terminal may carry over into the shell's screen when the alternate screen is left.
      const tag = `resize${RUN_ID}x${w}`;
      tags.push(tag);
      const script = join(dir, `${tag}.sh`);
      writeFileSync(script, `echo before-tui\nnode ${CLI} -- sh -c 'while :; do ls / >/dev/null; sleep 0.1; done; : ${tag}'\necho after-tui\nsleep 60\n`);
      const t = new TmuxScreen(`sh ${script}`, { width: w, height: h });
      screens.push(t);
      await t.waitFor('ev/s', 30000);
      t.resize(Math.max(60, w - 30), Math.max(15, h - 10));
      await t.waitFor((x) => x.includes('ev/s') && x.split('\n').every((l) => l.length <= Math.max(60, w - 30)));
      t.resize(w + 20, h + 6);
      await t.waitFor((x) => x.includes('ev/s') && x.split('\n').some((l) => l.length === w + 20));
      t.keys('q');
      // The launched command still runs: kill it (the other answer, leave it, is tested elsewhere).
      await t.waitFor('still runs');
      t.keys('k');
      await t.waitFor('after-tui');
      // Our lines as the lines they are: a long one (the command's output log, named when the
      // command wrote something) wraps at the pane's edge.
      const left = t.screen(false, true);
      const log = /output is in (\S+)/.exec(left)?.[1];
      const wrote = log && existsSync(log) ? `\nthe command's output:\n${readFileSync(log, 'utf8').slice(0, 2000)}` : '';
      // (Killed: as strace, we end as the command ended, here of the SIGKILL it got.)
      assert.match(left, /^before-tui\n(systrace-tui: .*\n)*(Killed\n)?after-tui\n/, left + wrote);
      // (Our own lines aside: the log's path has random letters.)
      assert.doesNotMatch(left.replace(/^systrace-tui: .*\n/gm, ''), /ev\/s|ls|<0\.\d+>/, left);
    });
  }
});
