// End to end: -y/-yy and -s changed at run time (`-y`, `-s`) redraw the rows already on the screen
// from what their records hold: the file's path, the socket's endpoints, more of a long string.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { fixturePath } from '../helpers/fixtures.js';
import { CLI, e2eSkipReason, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'systrace-forms-'));
/** The line of the screen that holds `what`. */
const row = (screen: string, what: string | RegExp) => screen.split('\n').find((l) => (typeof what === 'string' ? l.includes(what) : what.test(l))) ?? '';
const LONG = 'line-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('e2e: -y/-yy and -s at run time (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('120x40: -y shows the path on rows already shown, -yy the socket endpoints, -s 64 more of the string', async () => {
    const file = join(dir, 'out');
    const t = new TmuxScreen(`node ${CLI} -- ${fixturePath('display_forms')} ${file} hold`, { width: 120, height: 40 });
    screens.push(t);
    let s = await t.waitFor(/pause\(<running>/, 30000);
    assert.match(row(s, 'write(3'), /write\(3, "line-0123456789-abcdefghijklmnop"\.\.\., 95\) = 95/);
    assert.match(s, /│ -s 32 │/, 'the status bar says the -y and -s the rows are drawn with');
    t.keys('-');
    await t.waitFor('y paths, s string length');
    t.keys('y');
    s = await t.waitFor('-y: descriptors with their paths');
    assert.ok(row(s, 'write(3').includes(`write(3<${file}>, "line-0123456789-abcdefghijklmnop"..., 95) = 95`), row(s, 'write(3'));
    assert.match(row(s, 'write(4'), /write\(4<socket:\[\d+\]>, "line-/);
    assert.match(s, /│ -y -s 32 │/);
    t.keys('-', 'y');
    s = await t.waitFor('-yy: descriptors with paths');
    assert.match(row(s, 'write(4'), /write\(4<UNIX-STREAM:\[(\d+)->(\d+)\]>, "line-/);
    assert.match(row(s, 'read(5'), /read\(5<UNIX-STREAM:\[\d+->\d+\]>, "line", 4\) = 4/);
    // (cut to the room: the row's end shows the result)
    assert.match(row(s, 'socketpair('), /\[4<UNIX-STREAM:\[\d+->\d+\]>, 5<UNIX-STREAM:\[.* = 0 /);
    assert.match(s, /│ -yy -s 32 │/);
    t.keys('-', 'y');
    s = await t.waitFor('descriptors as numbers');
    assert.match(row(s, 'write(4'), /write\(4, "line-/);
    t.keys('-', 's');
    s = await t.waitFor('-s 64: strings cut after 64 bytes');
    assert.ok(row(s, 'write(3').includes(`write(3, "${LONG.slice(0, 64)}"..., 95) = 95`), row(s, 'write(3'));
    assert.ok(row(s, 'write(4').includes(`write(4, "${LONG.slice(0, 64)}"..., 95) = 95`), row(s, 'write(4'));
    assert.match(s, /│ -s 64 │/);
    // The help lists the keys (in its display options, a few pages down).
    t.keys('?');
    await t.waitFor('systrace-tui help');
    for (let page = 0; !(s = t.screen()).includes('-yy (socket endpoints') && page < 12; page++) {
      const top = /help +\((\d+)-/.exec(s)?.[1];
      t.keys('PageDown');
      await t.waitFor((x) => /help +\((\d+)-/.exec(x)?.[1] !== top);
    }
    assert.match(s, /-y +descriptors: numbers, -y \(with their paths\), -yy \(socket endpoints/);
    assert.match(s, /-s +strings cut after 32, 64, 256 bytes/);
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('-yy (socket endpoints'));
    t.keys('q');
    await t.waitFor('still runs');
    t.keys('k');
    await t.waitExit();
  });
});
