// End to end: htop's keys, the search, the signal menu and the mouse, on the real binary in tmux
// at 80x24 and 120x40, over real processes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, afterEach, before, describe, it } from 'node:test';
import { spawnFixture } from '../helpers/fixtures.js';
import { ensureMerged } from './e2e-helpers.js';
import { CLI, e2eSkipReason, procStatus, RUN_ID, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();

describe('e2e: htop keys, search, signals, mouse (tmux)', { skip: skip || false }, () => {
  let loop: ChildProcess;
  const screens: TmuxScreen[] = [];
  const tag = `htop${RUN_ID}`;
  before(() => {
    loop = spawn('sh', ['-c', `while :; do cat /etc/hostname >/dev/null; ls /nonexistent-${tag} 2>/dev/null; sleep 0.2; done`], { detached: true, stdio: 'ignore' });
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

  it('picker at 80x24: the bar shows F-keys, F1 opens the picker help, q types, F6 and a header click sort, a click picks a line, F10 quits', async () => {
    const t = new TmuxScreen(`node ${CLI}`, { width: 80, height: 24 });
    screens.push(t);
    let s = await t.waitFor(/F1 Help F3 Search F4 Filter F5 Tree F6 Sort F9 Kill F10 Quit/);
    assert.match(s, /PID USER/);
    t.keys('F1');
    s = await t.waitFor('systrace-tui help');
    assert.match(s.split('\n')[1], /^Process picker/);
    t.keys('F1');
    await t.waitFor((x) => !x.includes('systrace-tui help'));
    t.keys('q');
    await t.waitFor('Filter: q');
    t.keys('Escape');
    await t.waitFor('type to filter');
    t.keys('F6');
    await t.waitFor('Sort by');
    t.keys('Home', 'Enter');
    await t.waitFor('sort: pid');
    t.keys('C-r');
    await t.waitFor('sort: pid reversed');
    // A click on the RSS header sorts by memory.
    s = t.screen();
    const header = s.split('\n').findIndex((l) => /PID USER/.test(l));
    t.mouse(s.split('\n')[header].indexOf('RSS'), header);
    await t.waitFor('sort: memory');
    // Our loop, found by typing; a click on its line, Enter attaches.
    t.type(tag);
    s = await t.waitFor(new RegExp(`^\\s+${loop.pid} `, 'm'));
    const y = s.split('\n').findIndex((l) => new RegExp(`^\\s+${loop.pid} `).test(l));
    t.mouse(3, y);
    t.keys('Enter');
    await t.waitFor(`sh (pid ${loop.pid})`);
    t.keys('F10');
    await t.waitExit();
    assert.equal(procStatus(loop.pid!).tracerPid, 0);
  });

  it('trace at 120x40: / highlights, n and N move between matches, %n toggles network, F4 filters, the wheel scrolls, F1 opens the trace help', async () => {
    // CI set, as on a CI runner: the terminal still gets its colours (the highlight below).
    const t = new TmuxScreen(`CI=true node ${CLI} -p ${loop.pid}`, { width: 120, height: 40 });
    screens.push(t);
    let s = await ensureMerged(t);
    assert.match(s, /F1 Help F3 Search F4 Filter F9 Kill F10 Quit/);
    t.keys('/');
    t.type(tag.toUpperCase()); // case-insensitive
    s = await t.waitFor(/Search: \S+ +text, any case: [1-9][\d,]* rows match/);
    t.keys('Enter');
    s = await t.waitFor(/\d+\/\d+ scrolled/);
    const pos = (x: string) => Number(/(\d+)\/\d+ scrolled/.exec(x)?.[1] ?? NaN);
    const first = pos(s);
    // The matches highlighted (waited for: one capture can catch tmux in the middle of the frame
    // the Enter moved, its lower rows still the frame before's).
    await t.waitFor(/\x1b\[43m/, 30000, true);
    assert.ok(s.split('\n').some((l) => /\d+\.\d{6} /.test(l) && !l.includes(tag)), 'other rows stay');
    t.keys('N');
    s = await t.waitFor((x) => pos(x) < first);
    const older = pos(s);
    t.keys('n');
    await t.waitFor((x) => pos(x) > older);
    t.keys('%', 'n');
    await t.waitFor('filter: network');
    t.keys('%', 'n');
    await t.waitFor('filter: none');
    t.keys('F4');
    t.type('hostname');
    t.keys('Enter');
    await t.waitFor('filter: /hostname/');
    t.keys('x');
    await t.waitFor('filter: none');
    t.keys('F');
    await t.waitFor('following');
    t.mouse(60, 10, 64); // the wheel, over the pane
    await t.waitFor('scrolled (F follows)');
    t.keys('F1');
    s = await t.waitFor('systrace-tui help');
    const lines = s.split('\n');
    assert.match(lines[lines.findIndex((l) => l.includes('systrace-tui help')) + 1], /^Trace screen/);
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('systrace-tui help'));
    t.keys('q');
    await t.waitExit();
    assert.equal(procStatus(loop.pid!).tracerPid, 0);
  });

  it('F9 at 80x24 opens the signal menu on SIGTERM; Enter ends the traced fixture and says so', async () => {
    const fx = spawnFixture('block_nanosleep');
    await fx.ready;
    const ended = new Promise((res) => fx.child.once('exit', (_c, sig) => res(sig)));
    const t = new TmuxScreen(`node ${CLI} -p ${fx.pid}`, { width: 80, height: 24 });
    screens.push(t);
    await t.waitFor('nanosleep');
    t.keys('F9');
    const s = await t.waitFor(`Send signal: ${fx.pid}`);
    assert.match(s, /15 SIGTERM/);
    t.keys('Enter');
    await t.waitFor(`sent SIGTERM to pid ${fx.pid}`);
    assert.equal(await ended, 'SIGTERM');
    await t.waitFor('+++ killed by SIGTERM +++');
    t.keys('k'); // the menu again, on a process that is gone
    await t.waitFor('Send signal');
    t.keys('Enter');
    await t.waitFor('SIGTERM not sent'); // the rest, `pid N (name) is gone (ESRCH)`, may be cut at 80 columns
    t.keys('F10');
    await t.waitExit();
  });
});
