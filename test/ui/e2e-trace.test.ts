// End to end: the real binary in tmux, attached to a real process, driven by keys.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/fixtures.js';
import { CLI, e2eSkipReason, procStatus, RUN_ID, TmuxScreen } from './tmux.js';
import { ensureMerged } from './e2e-helpers.js';

const skip = e2eSkipReason();

/** A shell loop that opens a file, fails to open another and sleeps, five times a second. */
function startLoop(tag: string): ChildProcess {
  const script = `while :; do cat /etc/hostname >/dev/null; ls /nonexistent-${tag} 2>/dev/null; sleep 0.2; done`;
  return spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
}

/** The first process whose argv matches (0 when none). */
function findProcess(match: (argv: string[]) => boolean): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (match(readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0'))) return Number(name);
    } catch {
      // gone
    }
  }
  return 0;
}

function statFields(pid: number): { pgrp: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return { pgrp: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) };
}

function killGroup(pgrp: number): void {
  try {
    process.kill(-pgrp, 'SIGKILL');
  } catch {
    // gone already
  }
}

function killTree(child: ChildProcess | undefined): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

describe('e2e: trace screen (tmux)', { skip: skip || false }, () => {
  let loop: ChildProcess;
  const screens: TmuxScreen[] = [];
  const tag = `e2e${RUN_ID}`;
  before(() => {
    loop = startLoop(tag);
  });
  // A failed test must not leave its tracer attached for the next one: killing the session
  // hangs up the TUI, which detaches.
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });
  after(() => {
    killTree(loop);
    // The commands the tests launched and left running (a failed test leaves them too): each
    // command line holds the tag.
    for (const what of [`launched-${tag}`, `beats-${tag}`, `hup-${tag}`, `term-${tag}`, `deaf-${tag}`]) spawnSync('pkill', ['-KILL', '-f', what]);
  });

  it('-p PID: rows follow live; e, c, Space, P, q act; the tracee keeps running after q', async () => {
    const pid = loop.pid!;
    const t = new TmuxScreen(`node ${CLI} -p ${pid}`);
    screens.push(t);
    // One merged timeline: the loop and the children it forks (the first screen may show it).
    let s = await ensureMerged(t);
    // The failing ls row scrolls past within a few frames among ~100 rows of each ls run: keep
    // only the rows with the tag (the text filter: a search would move to the newest match there
    // is when Enter is read, which on a loaded machine can be the ls's execve, before its error).
    t.keys('&');
    t.type(tag);
    t.keys('Enter');
    await t.waitFor(`filter: /${tag}/`);
    s = await t.waitFor(/"\/nonex.* = -1 ENOENT/);
    assert.match(s, /\d+\.\d{6}\s+\d+ /); // relative time and tid
    assert.match(s, /\d+ proc \d+ thr │ [\d,]+ ev\/s │ total [\d,]+ │ (stalled \d+\.\ds │ )?(-y{1,2} )?-s \d+ │ filter: /);
    t.keys('x');
    await t.waitFor('filter: none');

    t.keys('e');
    const rowsOf = (x: string) => x.split('\n').filter((l) => /\d+\.\d{6}\s+\d+ \S/.test(l));
    s = await t.waitFor((x) => x.includes('filter: failed') && rowsOf(x).length > 0);
    const rows = rowsOf(s);
    for (const row of rows) assert.match(row, /= -1 E[A-Z]+/, row);
    t.keys('x');
    await t.waitFor('filter: none');

    t.keys('c');
    s = await t.waitFor('-c counters: everything traced');
    assert.match(s, /% time\s+seconds\s+usecs\/call\s+calls\s+errors\s+syscall/);
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('-c counters'));

    t.keys('Space');
    await t.waitFor(/FROZEN: [1-9][\d,]* new rows not shown/);
    t.keys('Space');
    await t.waitFor((x) => !x.includes('FROZEN'));

    t.keys('P');
    s = await t.waitFor('STOPPED');
    // Stopped by us (t); or, caught in a vfork, in its wait for the child that is stopped (D).
    assert.equal(procStatus(pid).state, s.includes('a vfork parent waits') ? 'D' : 't', s);
    t.keys('P');
    await t.waitFor((x) => !x.includes('STOPPED'));

    t.keys('?');
    await t.waitFor('systrace-tui help');
    t.keys('Escape');
    // Closed (the key bar stays on screen under the help: it proves nothing). A key sent while
    // the Esc is still on its way would make it read as Alt+key.
    await t.waitFor((x) => !x.includes('systrace-tui help'));

    t.keys('q');
    await t.waitExit();
    const st = procStatus(pid);
    assert.equal(st.tracerPid, 0);
    assert.notEqual(st.state, 't');
  });

  it('scrolling back stops following and F resumes; Enter shows the row details', async () => {
    const t = new TmuxScreen(`node ${CLI} -p ${loop.pid}`);
    screens.push(t);
    // One merged timeline: every row of the loop and its children (the first screen may show it).
    await ensureMerged(t);
    t.keys('&'); // the text filter: only the rows with the tag
    t.type(tag);
    t.keys('Enter');
    await t.waitFor(`filter: /${tag}/`);
    await t.waitFor(/"\/nonex.*= -1 ENOENT/); // rows with the tag (paths are cut in their middle)
    t.keys('Up');
    await t.waitFor('scrolled (F follows)');
    t.keys('Enter');
    const s = await t.waitFor('row details');
    assert.match(s, /pid \d+\s+tid \d+/);
    assert.match(s, /Line, in full:/);
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('row details') && x.includes('scrolled (F follows)'));
    t.keys('F');
    await t.waitFor('following');
    t.keys('q');
    await t.waitExit();
  });

  it('-- CMD launches and traces a command', async () => {
    // Under a shell, as a user runs it: were we the terminal's session leader, our exit would hang
    // up the command we leave running.
    const t = new TmuxScreen(`sh -c "node ${CLI} -- sh -c 'while :; do ls /launched-${tag} 2>/dev/null; sleep 0.2; done'; echo rc=\\$?; sleep 60"`);
    screens.push(t);
    await t.waitFor(`launched-${tag}`);
    t.keys('q');
    // It still runs: asked, we leave it running, and say so on the way out.
    await t.waitFor(/pid \d+ \(sh -c .*\) still runs/);
    t.keys('l');
    // (The log's path may wrap at the pane's edge.)
    await t.waitFor(/pid \d+ is still running; the traced command's output is in \S[\S\n]*?\.log\nrc=0/);
    assert.equal(spawnSync('pkill', ['-KILL', '-f', `launched-${tag}`]).status, 0, 'it was left running'); // by its unique tag
  });

  it('-- CMD, left running: it outlives us and our terminal, even when we were the terminal\'s session leader', async () => {
    // As tmux runs a pane's program: no shell with job control between the terminal and us, so our
    // exit hangs up our process group, and closing the pane hangs up the terminal.
    const dir = mkdtempSync(join(tmpdir(), 'systrace-leave-'));
    const beats = join(dir, `beats-${tag}`);
    const t = new TmuxScreen(`node ${CLI} -- sh -c 'while :; do echo . >>${beats}; sleep 0.1; done'`);
    screens.push(t);
    let pid = 0;
    try {
      await t.waitFor(`beats-${tag}`);
      pid = findProcess((argv) => argv[0] === 'sh' && argv.some((a) => a.includes(beats)));
      assert.ok(pid, 'the command runs');
      // A process group of its own (under --plain it stays in ours, as under strace: plain/launch).
      assert.equal(statFields(pid).pgrp, pid);
      t.keys('q');
      await t.waitFor(/pid \d+ \(sh -c .*\) still runs/);
      t.keys('l');
      await t.waitExit();
      t.kill(); // the pane goes, and its terminal with it
      // Alive after both hangups: it still beats (three more lines than when the pane had gone),
      // untraced.
      const lines = () => readFileSync(beats, 'utf8').length / 2;
      const at = lines();
      await waitFor(() => lines() >= at + 3 || undefined, 'the command beats on after the pane closed', 30000);
      assert.equal(procStatus(pid).tracerPid, 0);
    } finally {
      if (pid) killGroup(pid);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-- CMD, not left: our terminal\'s hangup still reaches it, as it would beside us under strace', async () => {
    const tagged = `hup-${tag}`;
    const t = new TmuxScreen(`node ${CLI} -- sh -c 'while :; do ls /${tagged} 2>/dev/null; sleep 0.1; done'`);
    screens.push(t);
    await t.waitFor(tagged);
    const command = () => findProcess((argv) => argv[0] === 'sh' && argv.some((a) => a.includes(tagged)));
    const pid = command();
    assert.ok(pid, 'the command runs');
    try {
      t.kill();
      await waitFor(() => (command() ? undefined : true), 'the command ends with the hangup', 30000);
    } finally {
      if (command()) killGroup(pid);
    }
  });

  // As strace's cleanup: SIGTERM sent to us (not a key) is passed on to the command we launched.
  for (const [name, trap, ends] of [
    ['term', '', true],
    ['deaf', 'trap "" TERM; ', false],
  ] as const) {
    it(`-- CMD, SIGTERM to us: the command gets it too${ends ? ' and ends' : '; one that ignores it is said to run on'}`, async () => {
      const tagged = `${name}-${tag}`;
      // Our last words go to a file: tmux may not read what a pane's program writes just before it dies.
      const err = join(tmpdir(), `systrace-e2e-${tagged}.err`);
      const t = new TmuxScreen(`node ${CLI} -- sh -c '${trap}echo started; while :; do ls /${tagged} 2>/dev/null; sleep 0.1; done' 2>${err}`);
      screens.push(t);
      await t.waitFor(tagged);
      const command = () => findProcess((argv) => argv[0] === 'sh' && argv.some((a) => a.includes(tagged)));
      const tui = findProcess((argv) => argv.includes(CLI) && argv.some((a) => a.includes(tagged)));
      const pid = command();
      assert.ok(pid && tui, 'the command and the TUI run');
      try {
        process.kill(tui, 'SIGTERM');
        await t.waitExit();
        const s = readFileSync(err, 'utf8');
        assert.match(s, /the traced command's output is in /);
        if (ends) {
          await waitFor(() => (command() ? undefined : true), 'the command ends with our SIGTERM', 30000);
          assert.doesNotMatch(s, /still running/);
        } else {
          assert.match(s, new RegExp(`pid ${pid} is still running after our SIGTERM; `));
          assert.equal(procStatus(pid).tracerPid, 0, 'untraced');
        }
      } finally {
        if (command()) killGroup(pid);
        rmSync(err, { force: true });
      }
    });
  }

  it('follows resizes; a too small terminal gets a clear message', async () => {
    const t = new TmuxScreen(`node ${CLI} -p ${loop.pid}`, { width: 50, height: 12 });
    screens.push(t);
    await t.waitFor('Terminal too small');
    t.resize(100, 30);
    await t.waitFor('ev/s');
    t.resize(80, 24);
    const s = await t.waitFor((x) => x.includes('Quit') && x.split('\n').every((l) => l.length <= 80));
    assert.ok(s.trimEnd().split('\n').length <= 24);
    t.keys('q');
    await t.waitExit();
  });
});

describe('e2e: no terminal', { skip: skip || false }, () => {
  it('prints one line suggesting --plain', () => {
    const out = spawnSync('node', [CLI], { input: '', encoding: 'utf8' });
    assert.notEqual(out.status, 0);
    const lines = out.stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /--plain/);
  });
});
