import './force-color.js'; // before ink: highlighted letters are checked in the ANSI frame
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import type { ProcessInfo } from '../../src/engine/proclist.js';
import { TraceError, type Tracer } from '../../src/engine/types.js';
import { ProcessPicker, type OpenRequest } from '../../src/ui/ProcessPicker.js';
import { waitFor } from '../helpers/fixtures.js';
import { FakeTracer, KEY, mount, plain, press, waitForFrame } from './helpers.js';

const HOST_NS = { pid: false, mnt: false, net: false, innerPid: 0 };

function proc(pid: number, comm: string, cmdline: string, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return { pid, ppid: 1, uid: 0, user: 'root', state: 'S', threads: 1, cpu: 0, rss: 4096 * 1000, wchan: 'do_select', comm, cmdline, kernelThread: false, cgroup: '', unit: '', ns: HOST_NS, ...extra };
}

const BASE = [
  proc(1, 'systemd', '/sbin/init', { ppid: 0, cpu: 0.5 }),
  proc(2, 'kthreadd', '', { ppid: 0, kernelThread: true }),
  proc(812, 'sshd', '/usr/sbin/sshd -D', { cpu: 1.5, rss: 8 << 20 }),
  proc(900, 'nginx', 'nginx: master process /usr/sbin/nginx', { user: 'www-data', uid: 33, cpu: 3, rss: 30 << 20 }),
  proc(901, 'nginx', 'nginx: worker process', { ppid: 900, user: 'www-data', uid: 33, cpu: 7, threads: 4, state: 'R' }),
  proc(1234, 'bash', '-bash', { ppid: 812, user: 'alice', uid: 1000 }),
];

function setup(opts: { procs?: () => ProcessInfo[]; open?: (req: OpenRequest) => Tracer; refreshMs?: number; height?: number } = {}) {
  const opened: OpenRequest[] = [];
  const traced: string[] = [];
  let quits = 0;
  const inspected: number[] = [];
  const r = mount(
    <ProcessPicker
      listProcesses={opts.procs ?? (() => BASE)}
      refreshMs={opts.refreshMs ?? 60_000}
      openTracer={(req) => {
        opened.push(req);
        return opts.open ? opts.open(req) : new FakeTracer();
      }}
      onTracer={(_t, title) => traced.push(title)}
      onQuit={() => quits++}
      onInspect={(pid) => inspected.push(pid)}
      width={100}
      height={opts.height ?? 23}
    />,
  );
  return { r, opened, traced, quits: () => quits, inspected };
}

/** The selected row is drawn in reverse video: find it in the raw (ANSI) frame. */
function selectedLine(r: ReturnType<typeof mount>): string {
  const raw = r.lastFrame() ?? '';
  const line = raw.split('\n').find((l) => l.includes('\x1b[7m') && /^\S*\s*\d+ /.test(plain(l)));
  return plain(line ?? '');
}

afterEach(() => cleanup());

describe('ProcessPicker', () => {
  it('lists every process with PID, USER, STATE, THREADS, CPU%, RSS, WCHAN and command line', async () => {
    const { r } = setup();
    const f = await waitForFrame(r, 'nginx: worker process');
    assert.match(f, /PID USER\s+S\s+THR\s+CPU%\s+RSS WCHAN\s+COMMAND/);
    assert.match(f, /901 www-data\s+R\s+4\s+7\.0\s+3\.9M do_select\s+nginx: worker process/);
    assert.match(f, /\[kthreadd\]/);
    assert.match(f, /sort: cpu/);
    // sorted by cpu: worker (7) first
    const pids = f.split('\n').map((l) => /^\s+(\d+) /.exec(l)?.[1]).filter(Boolean);
    assert.deepEqual(pids.slice(0, 3), ['901', '900', '812']);
  });

  it('typing filters fuzzily over name, command line, user and pid, with the letters highlighted; Esc clears', async () => {
    const { r } = setup();
    await waitForFrame(r, 'sshd');
    await press(r, 'a', 'l', 'i');
    let f = await waitForFrame(r, 'Filter: ali');
    assert.match(f, /1234 alice/);
    assert.doesNotMatch(f, /nginx/);
    // a, l, i of "alice" are highlighted (bold, underlined, yellow)
    assert.match(r.lastFrame() ?? '', /\x1b\[[0-9;]*mali(\x1b\[[0-9;]*m)+ce/);
    await press(r, KEY.backspace, KEY.backspace, KEY.backspace, '8', '1', '2');
    f = await waitForFrame(r, 'Filter: 812');
    assert.match(f, /812 root/);
    assert.doesNotMatch(f, /1234 alice/); // "1234" has no 8, 1, 2 in that order
    await press(r, KEY.escape);
    f = await waitForFrame(r, 'type to filter');
    assert.match(f, /nginx: master/);
  });

  it('shows and searches the unit or container and the namespaces of each process, with those columns only when some process has them', async () => {
    const ID = '3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
    const procs = [
      ...BASE.slice(0, 3),
      proc(900, 'nginx', 'nginx: master process', { cgroup: '/system.slice/nginx.service', unit: 'nginx.service' }),
      proc(4000, 'redis-server', 'redis-server *:6379', {
        cgroup: `/system.slice/docker-${ID}.scope`,
        unit: 'docker:3f2a1b4c5d6e',
        ns: { pid: true, mnt: true, net: true, innerPid: 1 },
      }),
      proc(4100, 'sh', 'sh -c sleep 1000', { ns: { pid: false, mnt: true, net: undefined, innerPid: 0 } }),
    ];
    const { r } = setup({ procs: () => procs });
    let f = await waitForFrame(r, 'redis-server');
    assert.match(f, /PID USER\s+S\s+THR\s+CPU%\s+RSS UNIT\/CONTAINER\s+NSPID NS\s+COMMAND/);
    assert.match(f, /900 root .* nginx\.service\s+nginx: master/);
    assert.match(f, /4000 root .* docker:3f2a1b4c5d6e\s+1 pmn redis-server/);
    assert.match(f, /4100 root .* m\? sh -c sleep/); // network namespace: cannot tell
    // the unit's letters, a container's whole id, the namespaces
    await press(r, ...'nginx.serv');
    f = await waitForFrame(r, 'Filter: nginx.serv');
    assert.match(f, /900 root/);
    await press(r, KEY.escape, ...ID.slice(0, 20));
    f = await waitForFrame(r, `Filter: ${ID.slice(0, 20)}`);
    assert.match(f, /4000 root/);
    assert.doesNotMatch(f, /900 root/);
    await press(r, KEY.escape, ...'pidns');
    f = await waitForFrame(r, 'Filter: pidns');
    assert.deepEqual(f.split('\n').filter((l) => /^\s+\d+ /.test(l)).map((l) => l.trim().split(' ')[0]), ['4000']);

    // No process with a unit or another namespace: the classic columns.
    const { r: plainHost } = setup();
    f = await waitForFrame(plainHost, 'sshd');
    assert.doesNotMatch(f, /UNIT|NSPID/);
  });

  it('Esc with an empty filter does nothing (htop never quits on Esc); ^Q quits', async () => {
    const { r, quits } = setup();
    await waitForFrame(r, 'sshd');
    await press(r, KEY.escape, 'x');
    await waitForFrame(r, 'Filter: x');
    assert.equal(quits(), 0);
    await press(r, KEY.ctrl('q'));
    assert.equal(quits(), 1);
  });

  it('Tab cycles the sort key (pid, cpu, memory, name)', async () => {
    const { r } = setup();
    await press(r, KEY.tab);
    let f = await waitForFrame(r, 'sort: memory');
    assert.match(f.split('\n')[2], /^\s+900 /);
    await press(r, KEY.tab);
    f = await waitForFrame(r, 'sort: name');
    assert.match(f.split('\n')[2], /^\s+1234 .*-bash/);
    await press(r, KEY.tab);
    f = await waitForFrame(r, 'sort: pid');
    assert.match(f.split('\n')[2], /^\s+1 /);
    await press(r, KEY.shiftTab);
    await waitForFrame(r, 'sort: name');
  });

  it('^T shows the tree of parents and children', async () => {
    const { r } = setup();
    await press(r, KEY.ctrl('t'));
    const f = await waitForFrame(r, 'tree');
    assert.match(f, /`- nginx: worker process/);
    const lines = f.split('\n');
    const i = lines.findIndex((l) => /^\s+812 /.test(l));
    assert.match(lines[i + 1], /1234 .*`- -bash/);
  });

  it('Enter attaches to the selected process; arrows move the selection', async () => {
    const { r, opened, traced } = setup();
    await waitForFrame(r, 'sshd');
    await press(r, KEY.down, KEY.down, KEY.enter);
    assert.deepEqual(opened, [{ pid: 812 }]);
    assert.deepEqual(traced, ['sshd (pid 812)']);
    await press(r, KEY.end, KEY.enter, KEY.home, KEY.enter, KEY.pageDown, KEY.pageUp, KEY.up, KEY.enter);
    assert.deepEqual(opened.slice(1), [{ pid: 1234 }, { pid: 901 }, { pid: 901 }]);
  });

  it('keys that arrive together are each handled: five Downs in one read move five rows', async () => {
    const { r, opened } = setup();
    await waitForFrame(r, 'sshd');
    await press(r, KEY.down.repeat(5), KEY.enter);
    await waitFor(() => (opened.length ? true : undefined), 'an attach');
    // cpu order: 901 900 812 1 2 1234 -> the sixth row
    assert.deepEqual(opened, [{ pid: 1234 }]);
  });

  it('a paste into the ^N prompt arrives whole, in order', async () => {
    const { r, opened } = setup();
    await press(r, KEY.ctrl('n'));
    await waitForFrame(r, 'Launch and trace:');
    await press(r, 'abcdefgh ls -l /etc', KEY.enter);
    await waitFor(() => (opened.length ? true : undefined), 'a launch');
    assert.deepEqual(opened, [{ argv: ['abcdefgh', 'ls', '-l', '/etc'] }]);
  });

  it('a long refusal is shown whole, wrapped under its row', async () => {
    const why = 'the kernel refuses ptrace access to pid 901 though uid, capability and Yama checks pass: an LSM policy (AppArmor, SELinux) or a user namespace boundary';
    const { r } = setup({
      open: () => {
        throw new TraceError('EPERM', why);
      },
    });
    await waitForFrame(r, 'sshd');
    await press(r, KEY.enter);
    const f = await waitForFrame(r, 'cannot attach');
    const lines = f.split('\n');
    const i = lines.findIndex((l) => /^\s+901 /.test(l));
    const shown = lines
      .slice(i + 1, i + 4)
      .map((l) => l.replace(/^\s+✗?\s*/, '').trimEnd())
      .join(' ');
    assert.ok(shown.includes(`cannot attach to 901: ${why}`), shown);
    for (const l of lines) assert.ok(l.length <= 100, l);
  });

  it('shows why it cannot attach, right under the row', async () => {
    const { r, traced } = setup({
      open: () => {
        throw new TraceError('OTHER_USER', "another user's process: run as root or grant CAP_SYS_PTRACE");
      },
    });
    await waitForFrame(r, 'sshd');
    await press(r, KEY.enter);
    const f = await waitForFrame(r, 'cannot attach');
    const lines = f.split('\n');
    const i = lines.findIndex((l) => /^\s+901 /.test(l));
    assert.match(lines[i + 1], /✗ cannot attach to 901: another user's process: run as root or grant CAP_SYS_PTRACE/);
    assert.deepEqual(traced, []);
    await press(r, KEY.down);
    await waitForFrame(r, (fr) => !fr.includes('cannot attach'));
  });

  it('refreshes every interval, keeping the selected process and the scroll position', async () => {
    let round = 0;
    const many = (n: number) => Array.from({ length: 60 }, (_, i) => proc(2000 + i, `w${i}`, `worker ${i}`, { cpu: n === 0 ? 60 - i : i }));
    const { r, opened } = setup({
      procs: () => many(round),
      refreshMs: 40,
    });
    await waitForFrame(r, 'worker 0');
    // select the 5th row (pid 2004) and scroll so the list moved
    await press(r, KEY.pageDown, KEY.pageDown);
    const before = selectedLine(r);
    assert.match(before, /^\s+(\d+) /);
    const pid = Number(/^\s+(\d+) /.exec(before)![1]);
    const topBefore = plain(r.lastFrame()).split('\n')[2];
    round = 1; // the cpu order flips: the selected process moves
    await waitForFrame(r, () => {
      const top = plain(r.lastFrame()).split('\n')[2];
      return top !== topBefore;
    });
    assert.match(selectedLine(r), new RegExp(`^\\s+${pid} `));
    await press(r, KEY.enter);
    assert.deepEqual(opened, [{ pid }]);
  });

  it('^N opens a prompt that launches a command, split like a shell would', async () => {
    const { r, opened, traced } = setup();
    await press(r, KEY.ctrl('n'));
    await waitForFrame(r, 'Launch and trace:');
    await press(r, ...`sh -c 'echo "hi there"' x\\ y`.split(''));
    await press(r, KEY.enter);
    assert.deepEqual(opened, [{ argv: ['sh', '-c', 'echo "hi there"', 'x y'] }]);
    assert.equal(traced.length, 1);
  });

  it('a launch that fails says why and keeps the prompt', async () => {
    const { r } = setup({
      open: () => {
        throw new TraceError('CMD_NOT_FOUND', 'nosuchcmd: command not found');
      },
    });
    await press(r, KEY.ctrl('n'), 'n', 'o', 's', 'u', 'c', 'h', 'c', 'm', 'd', KEY.enter);
    await waitForFrame(r, 'nosuchcmd: command not found');
    await press(r, KEY.escape);
    await waitForFrame(r, 'Attach');
  });

  it('^K asks for the inspector of the selected process; ? opens help', async () => {
    const { r, inspected } = setup();
    await waitForFrame(r, 'sshd');
    await press(r, KEY.ctrl('k'));
    assert.deepEqual(inspected, [901]);
    await press(r, '?');
    await waitForFrame(r, 'systrace-tui help');
    await press(r, KEY.escape);
    await waitForFrame(r, 'Filter:');
  });
});

describe('ProcessPicker: htop keys, menus and the mouse', () => {
  it('the bar shows the function keys; F5 tree, F3 search, F4 empties the filter, F10 quits', async () => {
    const { r, quits } = setup();
    let f = await waitForFrame(r, 'nginx: worker process');
    assert.match(f, /F1 Help F3 Search F4 Filter F5 Tree F6 Sort F9 Kill F10 Quit/);
    await press(r, KEY.f(5));
    await waitForFrame(r, /[|`]- /);
    await press(r, KEY.f(5));
    // F3: typing moves the selection to the first process from it holding the text, F3 to the next one.
    await press(r, KEY.down, KEY.down, KEY.f(3), 'N', 'G', 'I');
    f = await waitForFrame(r, 'Search: NGI');
    assert.match(selectedLine(r), /^\s+901 /); // from 812 on, wrapping (busiest first: 901 900 812 1 2 1234)
    await press(r, KEY.f(3));
    await waitForFrame(r, () => /^\s+900 /.test(selectedLine(r)));
    assert.equal((f.match(/\d+ (?:www-data|root|alice) /g) ?? []).length, BASE.length); // nothing hidden
    await press(r, KEY.f(3));
    await waitForFrame(r, () => /^\s+901 /.test(selectedLine(r)));
    await press(r, 'x', 'y', 'z');
    await waitForFrame(r, 'no process holds it');
    await press(r, KEY.enter);
    await waitForFrame(r, (fr) => !fr.includes('Search:'));
    await press(r, 'b', 'a', 's');
    await waitForFrame(r, 'Filter: bas');
    await press(r, KEY.f(4));
    await waitForFrame(r, 'type to filter');
    await press(r, 'q'); // typed, as every letter
    await waitForFrame(r, 'Filter: q');
    assert.equal(quits(), 0);
    await press(r, KEY.f(10));
    assert.equal(quits(), 1);
  });

  it('F6 picks the sort column, ^R reverses it, the sorted column header is marked; a header click sorts', async () => {
    const { r } = setup();
    await waitForFrame(r, 'sort: cpu');
    await press(r, KEY.f(6));
    assert.match(plain(await waitForFrame(r, 'Sort by')).split('\n').at(-1)!, /^Enter Sort Esc F10 Cancel\s*$/);
    await press(r, KEY.home, KEY.enter); // PID
    let f = await waitForFrame(r, 'sort: pid');
    let pids = f.split('\n').map((l) => /^\s+(\d+) /.exec(l)?.[1]).filter(Boolean).map(Number);
    assert.deepEqual(pids, [1, 2, 812, 900, 901, 1234]);
    assert.match(r.lastFrame() ?? '', /\x1b\[36mPID/); // marked
    await press(r, KEY.ctrl('r'));
    f = await waitForFrame(r, 'sort: pid reversed');
    pids = f.split('\n').map((l) => /^\s+(\d+) /.exec(l)?.[1]).filter(Boolean).map(Number);
    assert.deepEqual(pids, [1234, 901, 900, 812, 2, 1]);
    const header = f.split('\n').findIndex((l) => /PID USER/.test(l));
    await press(r, KEY.click(f.split('\n')[header].indexOf('RSS'), header));
    await waitForFrame(r, 'sort: memory');
    await press(r, KEY.click(f.split('\n')[header].indexOf('RSS') + 1, header));
    await waitForFrame(r, 'sort: memory reversed');
    await press(r, KEY.tab);
    await waitForFrame(r, 'sort: name');
  });

  it('^X hides kernel threads, ^U other users, ^A what we cannot trace', async () => {
    const { r } = setup();
    await waitForFrame(r, 'kthreadd');
    await press(r, KEY.ctrl('x'));
    let f = await waitForFrame(r, '-kthreads');
    assert.doesNotMatch(f, /kthreadd/);
    await press(r, KEY.ctrl('x'), KEY.ctrl('u'));
    f = await waitForFrame(r, '-others');
    // Ours are root's (uid 0) in this list only when we run as root.
    const mine = BASE.filter((p) => p.uid === (process.getuid?.() ?? 0));
    assert.equal(f.split('\n').filter((l) => /^\s+\d+ /.test(l)).length, mine.length);
    await press(r, KEY.ctrl('u'), KEY.ctrl('a'));
    // None of these pids is a process of ours we could trace (kthreadd never is).
    f = await waitForFrame(r, 'traceable only');
    assert.doesNotMatch(f, /kthreadd/);
  });

  it('a click selects a line; the wheel moves the selection', async () => {
    const { r, opened } = setup();
    const f = await waitForFrame(r, 'nginx: worker process');
    const y = f.split('\n').findIndex((l) => /^\s+1234 /.test(l));
    await press(r, KEY.click(5, y));
    await waitForFrame(r, () => /^\s+1234 /.test(selectedLine(r)));
    await press(r, KEY.enter);
    assert.deepEqual(opened, [{ pid: 1234 }]);
  });

  it('F9 sends the chosen signal to the selected process and says what happened', async () => {
    const child = spawn('sleep', ['60']);
    const ended = new Promise((res) => child.once('exit', (_c, sig) => res(sig)));
    try {
      const pid = child.pid!;
      const { r } = setup({ procs: () => [...BASE, proc(pid, 'sleep', 'sleep 60', { cpu: 99 })] });
      await waitForFrame(r, 'sleep 60');
      assert.match(selectedLine(r), new RegExp(`^\\s+${pid} `)); // busiest first
      await press(r, KEY.f(9));
      let f = await waitForFrame(r, `Send signal: ${pid}`);
      // The bar says what Enter does in the menu (htop's Send Cancel), not the picker's Enter Attach.
      assert.match(plain(f).split('\n').at(-1)!, /^Enter Send Esc F10 Cancel\s*$/);
      await press(r, KEY.up, KEY.up, KEY.up, KEY.up, KEY.up, KEY.up); // 15 SIGTERM -> 9 SIGKILL
      await press(r, KEY.enter);
      f = await waitForFrame(r, `sent SIGKILL to pid ${pid} (sleep)`);
      assert.match(plain(f), /F9 Kill F10 Quit Enter Attach/);
      assert.equal(await ended, 'SIGKILL');
      await press(r, KEY.f(9), KEY.enter);
      await waitForFrame(r, `SIGTERM not sent: pid ${pid} (sleep) is gone (ESRCH)`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
