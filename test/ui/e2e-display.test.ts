// End to end: display options changed at run time (`-` and strace's letter), applied to the rows
// traced before the change: wall-clock time stamps (-t, -tt, -ttt), durations (-T), hex strings.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { fixturePath } from '../helpers/fixtures.js';
import { CLI, e2eSkipReason, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();
/** The line of the screen that holds `what` (after the thread list, when it is shown). */
const row = (screen: string, what: string) => screen.split('\n').find((l) => l.includes(what)) ?? '';

describe('e2e: display options (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });

  for (const [w, h] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`${w}x${h}: -t cycles the time stamps, -T the durations, -x the strings in hex, on rows already there`, async () => {
      const t = new TmuxScreen(`node ${CLI} -- ${fixturePath('fd_trail')}`, { width: w, height: h });
      screens.push(t);
      let s = await t.waitFor(/read\(\d+, <running>/, 30000);
      assert.match(row(s, '"last"'), /\s\d+\.\d{6} .*<0\.\d{6}>$/);
      t.keys('-');
      await t.waitFor('-: t time stamps');
      t.keys('t');
      s = await t.waitFor('-t: wall-clock');
      assert.match(row(s, '"last"'), /(?:^|\s)\d\d:\d\d:\d\d .*write\(\d+, "last", 4\) = 4 +<0\.\d{6}>$/);
      t.keys('-', 't');
      s = await t.waitFor('-tt: wall-clock');
      assert.match(row(s, '"last"'), /(?:^|\s)\d\d:\d\d:\d\d\.\d{6} /);
      t.keys('-', 't');
      s = await t.waitFor('-ttt: wall-clock');
      assert.match(row(s, '"last"'), /(?:^|\s)\d{10}\.\d{6} /);
      t.keys('-', 't');
      s = await t.waitFor('relative to the first row');
      assert.match(row(s, '"last"'), /\s\d+\.\d{6} /);
      t.keys('-', 'T');
      s = await t.waitFor('durations hidden');
      assert.match(row(s, '"last"'), /write\(\d+, "last", 4\) = 4 *$/);
      assert.doesNotMatch(s, /<0\.\d{6}>/);
      t.keys('-', 'x', '-', 'x');
      s = await t.waitFor('-xx: every string in hex');
      assert.match(s, /write\(\d+, "\\x6c\\x61\\x73\\x74", 4\) = 4/);
      t.keys('-', 'x');
      s = await t.waitFor('as strace prints them by default');
      assert.match(s, /write\(\d+, "last", 4\) = 4/);
      t.keys('q');
      await t.waitFor('still runs');
      t.keys('k');
      await t.waitExit();
    });
  }
});
