// End to end: leaving a launched command that cannot stop for the detach (a vfork parent, in D
// state until its child ends). q then l leaves it running: it outlives us and gets the signals it
// was sent; q then k kills it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { fixturePath, waitFor } from '../helpers/fixtures.js';
import { heartbeatAdvances, procState, readHeartbeat } from '../engine/util.js';
import { CLI, e2eSkipReason, procStatus, RUN_ID, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();

describe('e2e: leaving a launched command that cannot stop (tmux)', { skip: skip || false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'systrace-e2e-leave-'));
  const screens: TmuxScreen[] = [];
  const pids: number[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
    for (const pid of pids.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Launches exit_vfork_wait under the TUI; resolves once it sits in its vfork wait, traced. */
  async function launch(name: string): Promise<{ t: TmuxScreen; hb: string; pid: number; child: number }> {
    const hb = join(dir, `${name}-${RUN_ID}`);
    const t = new TmuxScreen(`node ${CLI} -- ${fixturePath('exit_vfork_wait')} ${hb}`);
    screens.push(t);
    const pid = await waitFor(() => {
      for (const p of readdirSync('/proc')) {
        if (!/^\d+$/.test(p)) continue;
        try {
          // D with its vfork child: the wait (a start-up page-in is a D state too, before any child).
          if (readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(hb) && procState(`/proc/${p}`) === 'D' && readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim()) return Number(p);
        } catch {
          // gone
        }
      }
      return undefined;
    }, 'the command in its vfork wait', 30000);
    pids.push(pid);
    const child = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim());
    pids.push(child);
    assert.notEqual(procStatus(pid).tracerPid, 0, 'traced');
    await t.waitFor(/vfork\(/);
    return { t, hb, pid, child };
  }

  it('q, then l: it outlives us in its D state, untraced, and runs on with the signal it was sent', async () => {
    const { t, hb, pid, child } = await launch('leave');
    process.kill(pid, 'SIGUSR1'); // while we trace it, in its wait
    t.keys('q');
    await t.waitFor(/pid \d+ \(.*\) still runs/);
    t.keys('l');
    await t.waitExit();
    assert.deepEqual(procStatus(pid), { state: 'D', tracerPid: 0 });
    assert.equal(procStatus(child).tracerPid, 0);
    process.kill(child, 'SIGKILL'); // its wait ends
    await heartbeatAdvances(hb);
    assert.equal(readHeartbeat(hb).usr1, 1);
  });

  it('b, then F10 (quit) in the inspector: the same question (it is not left behind unasked); k kills it', async () => {
    const { t, pid } = await launch('inspect');
    t.keys('b');
    await t.waitFor('Refresh'); // the inspector's key bar
    t.keys('F10');
    await t.waitFor(/pid \d+ \(.*\) still runs/);
    t.keys('k');
    await t.waitExit();
    await waitFor(() => (['Z', ''].includes(procState(`/proc/${pid}`)) ? true : undefined), 'the command to die');
  });

  it('a terminal too small for the trace screen asks the same on q; Esc stays, a resize keeps the question, l leaves it', async () => {
    const { t, pid } = await launch('small');
    t.resize(50, 12);
    await t.waitFor('Terminal too small');
    t.keys('q');
    await t.waitFor(/pid \d+ still runs: k kill it, l/);
    t.keys('Escape');
    await t.waitFor('Enlarge the window (q quits)');
    t.keys('q');
    await t.waitFor(/pid \d+ still runs/);
    t.resize(120, 40); // the trace screen takes the question over, on its key bar line
    await t.waitFor(/pid \d+ \(.*\) still runs/);
    t.resize(50, 12);
    await t.waitFor(/pid \d+ still runs: k/);
    t.keys('l');
    await t.waitExit();
    assert.deepEqual(procStatus(pid), { state: 'D', tracerPid: 0 });
  });

  it('q, then k: it dies', async () => {
    const { t, pid } = await launch('kill');
    t.keys('q');
    await t.waitFor(/pid \d+ \(.*\) still runs/);
    t.keys('k');
    await t.waitExit();
    await waitFor(() => (['Z', ''].includes(procState(`/proc/${pid}`)) ? true : undefined), 'the command to die');
  });
});
