// End to end, at the three terminal sizes we support: what the trace screen shows before any key.
// A process whose main thread waits while named workers are busy shows the workers' calls and
// names; attached to a fast fork loop the process and thread counts stay those of the live
// processes; the merged timeline reads in time order.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { killAll, spawnFixture } from '../helpers/fixtures.js';
import { CLI, E2E_SIZES, e2eSkipReason, TmuxScreen } from './tmux.js';
import { ensureMerged } from './e2e-helpers.js';

const skip = e2eSkipReason();

/** The relative times of the trace rows on a screen, top to bottom. */
function rowTimes(screen: string): number[] {
  const out: number[] = [];
  for (const line of screen.split('\n')) {
    // A row starts with its time; the thread list beside the panes has none.
    for (const m of line.matchAll(/(?:^|\s{2,})\s*(\d+\.\d{6}) /g)) out.push(Number(m[1]));
  }
  return out;
}

/** The thread list's rows (`N   TID NAME   RATE CALL TIME`, at the left edge): tid, name, calls/s, call. */
function listRows(screen: string): { tid: number; name: string; rate: number; call: string }[] {
  const out = [];
  for (const line of screen.split('\n')) {
    const m = /^[1-9 ] +(\d+) (\S+) +(?:(-)|([\d.]+)(k?)\/s)(?: (\w+))?/.exec(line);
    if (m) out.push({ tid: Number(m[1]), name: m[2], rate: m[3] ? 0 : Number(m[4]) * (m[5] ? 1000 : 1), call: m[6] ?? '' });
  }
  return out;
}

describe('e2e: the first screen (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(async () => {
    for (const s of screens.splice(0)) s.kill();
    await killAll();
  });

  for (const [w, h] of E2E_SIZES) {
    it(`${w}x${h}: an idle main thread and 20 busy named workers: the workers' calls and names show, no key pressed`, async () => {
      const fx = spawnFixture('named_threads', ['20']);
      await fx.ready;
      const t = new TmuxScreen(`node ${CLI} -p ${fx.info.pid}`, { width: w, height: h });
      screens.push(t);
      const s = await t.waitFor((x) => /worker-\d\d.*(clock_nanosleep|getppid)\(/.test(x), 30000);
      // The process is named in the title, not just its pid.
      assert.match(s.split('\n')[0], new RegExp(`named_threads \\(pid ${fx.info.pid}\\)`));
      await t.waitFor(/1 proc 21 thr/);
      // The thread list (beside the panes when there is room, else on l): busiest first with each
      // one's rate, the idle main thread after every worker; a call it is in by its full name.
      if (!s.includes(' threads 21')) t.keys('l');
      const list = await t.waitFor((x) => listRows(x).length >= Math.min(18, h - 6) && listRows(x).some((r) => r.call !== ''), 30000);
      const rows = listRows(list);
      const rates = rows.map((r) => r.rate);
      for (let i = 1; i < rates.length; i++) assert.ok(rates[i] <= rates[i - 1], `busiest first: ${rows[i].tid} ${rates[i]}/s after ${rates[i - 1]}/s\n${list}`);
      const main = rows.findIndex((r) => r.tid === Number(fx.info.pid));
      assert.ok(main === -1 || rows.slice(0, main).every((r) => /^worker-/.test(r.name)), 'the idle main thread after the workers');
      for (const r of rows) assert.match(r.call, /^(?:|clock_nanosleep|getppid|futex)$/, `a call's full name: ${r.call}`);
      assert.ok(rows.filter((r) => /^worker-\d\d$/.test(r.name)).length >= Math.min(18, h - 6) - 1, 'the workers, by name');
      t.keys('q');
      await t.waitExit();
    });

    it(`${w}x${h}: the merged timeline is in time order, calls in progress among the rows`, async () => {
      const fx = spawnFixture('named_threads', ['8']);
      await fx.ready;
      const t = new TmuxScreen(`node ${CLI} -p ${fx.info.pid}`, { width: w, height: h });
      screens.push(t);
      await ensureMerged(t);
      // Several screens, as rows arrive: each reads top to bottom in time order. Each is read frozen
      // (Space): tmux 3.3 draws a frame's rows as it reads them, so a capture of a moving screen can
      // show a new frame's rows over an older one's; a frozen screen's rows do not move, and the
      // status bar's FROZEN, below them, is drawn after them.
      let running = false;
      for (let round = 0; round < 4 || !running; round++) {
        assert.ok(round < 30, 'a call in progress among the rows');
        t.keys('Space');
        const x = await t.waitFor((s) => s.includes('FROZEN') && rowTimes(s).length >= 5);
        const times = rowTimes(x);
        for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `row ${i}: ${times[i]} after ${times[i - 1]}\n${x}`);
        running ||= x.includes('<running>');
        // On again, until later rows show.
        t.keys('Space');
        await t.waitFor((s) => !s.includes('FROZEN') && Math.max(...rowTimes(s)) > Math.max(...times));
      }
      t.keys('q');
      await t.waitExit();
    });
  }

  // One trace at the three sizes in turn: the counts come from the engine, whatever the size, and
  // a fork loop traced at full speed is the costliest thing this file runs.
  it(`${E2E_SIZES.map(([w, h]) => `${w}x${h}`).join(', ')}: attached to a fast fork loop, the counts stay those of the live processes`, async () => {
    const fx = spawnFixture('fork_loop', ['1']);
    await fx.ready;
    const [[w0, h0]] = E2E_SIZES;
    const t = new TmuxScreen(`node ${CLI} -p ${fx.info.pid}`, { width: w0, height: h0 });
    screens.push(t);
    await t.waitFor('ev/s', 30000);
    let seconds = 3;
    for (const [w, h] of E2E_SIZES) {
      if (w !== w0 || h !== h0) t.resize(w, h);
      // Three seconds of forking, read from the trace's own clock (a row stamped 3 s in): a thousand
      // children or more, where phantoms piled up by the hundred a second (engine/fork-loop checks
      // the engine's counts over 300 children); then a second more at each next size, laid out for
      // it (the key bar on the last row the TUI draws, one above the terminal's last).
      const s = await t.waitFor((x) => x.split('\n').findIndex((l) => l.startsWith('F1 Help')) === h - 2 && rowTimes(x).some((v) => v >= seconds), 60000);
      const m = /(\d+) proc (\d+) thr/.exec(s);
      assert.ok(m, s);
      assert.ok(Number(m[1]) <= 3 && Number(m[2]) <= 3, `${w}x${h}: live counts, not phantoms: ${m[0]}`);
      seconds = Math.max(...rowTimes(s)) + 1;
    }
    t.keys('q');
    await t.waitExit();
  });
});
