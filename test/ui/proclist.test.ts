import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseStat, ProcessSampler } from '../../src/engine/proclist.js';

describe('proclist', () => {
  // The fake /proc trees of the tests below, removed when the file ends.
  const roots: string[] = [];
  after(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  const fakeProc = () => {
    const root = mkdtempSync(join(tmpdir(), 'proclist-'));
    roots.push(root);
    return root;
  };

  it('parses /proc/PID/stat even when the name holds parentheses and spaces', () => {
    const st = parseStat('1234 (a) b (c)) S 1 1234 1234 0 -1 4194560 10 0 0 0 7 3 0 0 20 0 3 0 100 1000 250 18446744073709551615');
    assert.ok(st);
    assert.equal(st.comm, 'a) b (c)');
    assert.equal(st.state, 'S');
    assert.equal(st.ppid, 1);
    assert.equal(st.ticks, 10);
    assert.equal(st.threads, 3);
    assert.equal(st.rssPages, 250);
  });

  it('lists this very process from the real /proc, with its user and command line', () => {
    const s = new ProcessSampler();
    const me = s.sample().find((p) => p.pid === process.pid);
    assert.ok(me);
    assert.equal(me.user, userInfo().username);
    assert.equal(me.ppid, process.ppid);
    assert.match(me.cmdline, /node/);
    assert.ok(me.threads >= 1);
    assert.ok(me.rss > 1 << 20);
    assert.equal(me.state, 'R');
    assert.equal(me.cpu, 0); // first sample
    // Burn some CPU (by the clock of CPU time: on a loaded machine wall time says little): the next
    // sample sees it.
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 150_000);
    const again = s.sample().find((p) => p.pid === process.pid)!;
    assert.ok(again.cpu > 0, `cpu ${again.cpu}`);
    // kthreadd (pid 2, child of 0) is visible only outside a pid namespace.
    const kthread = s.sample().find((p) => p.comm === 'kthreadd' && p.ppid === 0);
    if (kthread) assert.equal(kthread.kernelThread, true);
    assert.equal(me.kernelThread, false);
  });

  it('tolerates processes vanishing between reads', () => {
    const root = fakeProc();
    mkdirSync(join(root, '10'));
    writeFileSync(join(root, '10', 'stat'), '10 (ok) S 1 10 10 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 5 0');
    writeFileSync(join(root, '10', 'cmdline'), 'ok\0--flag\0');
    mkdirSync(join(root, '11')); // gone: no files left
    mkdirSync(join(root, 'self'));
    const passwd = join(root, 'passwd');
    writeFileSync(passwd, `someone:x:${process.getuid!()}:0::/:/bin/sh\n`);
    const list = new ProcessSampler(root, passwd).sample();
    assert.equal(list.length, 1);
    assert.equal(list[0].cmdline, 'ok --flag');
    assert.equal(list[0].user, 'someone');
    assert.equal(list[0].wchan, '');
    assert.equal(list[0].rss, 5 * 4096);
  });

  it('does not read the command line of a process whose memory could hang the reader; keeps the last one read', () => {
    const root = fakeProc();
    const passwd = join(root, 'passwd');
    writeFileSync(passwd, '');
    const stat = (pid: number, state: string, threads: number) => `${pid} (app) ${state} 1 ${pid} ${pid} 0 -1 0 0 0 0 0 1 1 0 0 20 0 ${threads} 0 777 1 5 0`;
    // 20: one thread; 30: two threads, the second one of them in D.
    for (const [pid, threads] of [[20, 1], [30, 2]]) {
      mkdirSync(join(root, String(pid), 'task', String(pid)), { recursive: true });
      writeFileSync(join(root, String(pid), 'stat'), stat(pid, 'S', threads));
      writeFileSync(join(root, String(pid), 'task', String(pid), 'stat'), stat(pid, 'S', threads));
      writeFileSync(join(root, String(pid), 'cmdline'), 'app\0--before\0');
    }
    mkdirSync(join(root, '30', 'task', '31'));
    writeFileSync(join(root, '30', 'task', '31', 'stat'), stat(31, 'S', 2));
    const asked: number[] = [];
    let risky = true;
    const sampler = new ProcessSampler(root, passwd, undefined, (pid) => {
      asked.push(pid);
      return risky ? 'thread in a page fault' : undefined;
    });
    const cmd = () => Object.fromEntries(sampler.sample().map((p) => [p.pid, p.cmdline]));
    assert.deepEqual(cmd(), { 20: 'app --before', 30: 'app --before' });
    assert.deepEqual(asked, [], 'no thread in D: nothing to ask');

    writeFileSync(join(root, '20', 'stat'), stat(20, 'D', 1));
    writeFileSync(join(root, '30', 'task', '31', 'stat'), stat(31, 'D', 2));
    for (const pid of [20, 30]) writeFileSync(join(root, String(pid), 'cmdline'), 'app\0--after\0');
    assert.deepEqual(cmd(), { 20: 'app --before', 30: 'app --before' }, 'risky: the earlier text, the file left unread');
    assert.deepEqual(asked.sort(), [20, 30]);

    // A new process at a known pid (another start time) has no earlier text to keep.
    writeFileSync(join(root, '20', 'stat'), stat(20, 'D', 1).replace(' 777 ', ' 999 '));
    assert.equal(cmd()[20], '');

    risky = false;
    assert.deepEqual(cmd(), { 20: 'app --after', 30: 'app --after' }, 'the check finds the memory safe: read');
  });
});
