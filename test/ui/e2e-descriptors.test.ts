// End to end: following a descriptor on the trace screen (o, < and >), on a launched fixture whose
// parent opens a file, dups it and forks a child that writes it and closes it, then blocks reading a
// pipe: the newest row is that read.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { fixturePath } from '../helpers/fixtures.js';
import { CLI, e2eSkipReason, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();

/** The pane title's `N/M`: the cursor row's place among the rows shown. */
const position = (screen: string) => /(\d+)\/(\d+) (?:scrolled|following)/.exec(screen)?.slice(1, 3).map(Number);

describe('e2e: following a descriptor (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });

  for (const [w, h] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`${w}x${h}: o shows the calls on the row's descriptor from the one that made it, < > step through them, o again shows every row`, async () => {
      const t = new TmuxScreen(`node ${CLI} -- ${fixturePath('fd_trail')}`, { width: w, height: h });
      screens.push(t);
      // Following: the cursor is on the newest row, the blocked read of the pipe. The first screen
      // settles first: the parent's pane while it is busy, the merged timeline once no thread made
      // a call for two seconds (the child exited): keys pressed before that would act in a pane
      // that then goes (the merged timeline has a cursor of its own, following).
      const s0 = await t.waitFor((x) => /read\(\d+, <running>/.test(x) && x.includes('[merged timeline]'), 30000);
      const pipeFd = /read\((\d+), <running>/.exec(s0)![1];
      t.keys('o');
      // Only the pipe's read end: made by pipe, read once, read again (blocked); the cursor on pipe.
      let s = await t.waitFor(`filter: fd ${pipeFd} of pid`);
      assert.deepEqual(position(s), [1, 3], s);
      assert.match(s, new RegExp(`pipe2?\\(\\[${pipeFd}, \\d+\\]`));
      assert.match(s, new RegExp(`read\\(${pipeFd}, "child", 5\\) = 5`));
      assert.doesNotMatch(s, /openat|write\(/);
      t.keys('>');
      s = await t.waitFor((x) => position(x)?.[0] === 2);
      t.keys('>');
      await t.waitFor((x) => position(x)?.[0] === 3);
      t.keys('>');
      await t.waitFor('no later call on it yet');
      t.keys('<', '<');
      await t.waitFor((x) => position(x)?.[0] === 1);
      t.keys('<');
      await t.waitFor('this is the call it came from');
      // o again: every row, the cursor still on the pipe's row; the next row opens the file.
      t.keys('o');
      s = await t.waitFor((x) => x.includes('filter: none') && (position(x)?.[1] ?? 0) > 3);
      t.keys('Down');
      await t.waitFor((x) => position(x)?.[0] === (position(s)?.[0] ?? 0) + 1);
      t.keys('o');
      // The file: opened, written, dup'ed by the parent; inherited, written and closed by the child;
      // written and closed by the parent. The child's rows are there, under its own pid.
      s = await t.waitFor(/filter: fd \d+ of pid/);
      const fileFd = /filter: fd (\d+) of pid (\d+)/.exec(s)!;
      assert.deepEqual(position(s), [1, 7], s);
      assert.match(s, new RegExp(`openat\\(AT_FDCWD, "/dev/null".* = ${fileFd[1]} `));
      const child = new RegExp(`(\\d+) +fd_trail +write\\(${fileFd[1]}, "child-null", 10\\)`).exec(s);
      assert.ok(child && child[1] !== fileFd[2], `the child's write, under its own pid:\n${s}`);
      assert.match(s, new RegExp(`write\\(${fileFd[1]}, "last", 4\\) = 4`));
      // From the child's use, < goes back to the parent's dup, before the fork.
      t.keys('>', '>', '>');
      await t.waitFor((x) => position(x)?.[0] === 4);
      t.keys('x');
      await t.waitFor('filter: none');
      // (Keys are handled in order, each after the one before took effect.)
      t.keys('<', 'Enter');
      s = await t.waitFor('row details');
      assert.match(s, new RegExp(`dup\\(${fileFd[1]}\\) = \\d+`), s);
      t.keys('Escape');
      // (Not q right after Esc: the two together read as Alt-q.)
      await t.waitFor((x) => !x.includes('row details'));
      t.keys('q');
      // The question and its three answers, whole at every width (the command line gives way).
      s = await t.waitFor('still runs');
      assert.match(s, /pid \d+ (\(.*\) )?still runs: k Kill it l Leave it Esc Stay/, s);
      t.keys('k');
      await t.waitExit();
    });
  }
});
