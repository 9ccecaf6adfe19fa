// The real binary attached with `--plain -p PID -o FILE` to a running 20-thread process, then told
// to stop: SIGINT and SIGTERM detach (the process runs on, untraced), and even SIGKILL, which gives
// the tracer no chance to clean up, leaves the process running (the kernel detaches a dead tracer's
// tracees). A process that was stopped stays stopped.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';
import { allStates, heartbeatAdvances, heartbeatStill, killCliChildren, procState, startCli, tracerPid } from './util.js';

const THREADS = 20;
const dir = mkdtempSync(join(tmpdir(), 'eng-cli-detach-'));

afterEach(async () => {
  killCliChildren();
  await killAll();
});
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function busy(): Promise<{ pid: number; hb: string; log: string }> {
  const hb = join(dir, `hb${n}`);
  const log = join(dir, `trace${n++}.log`);
  const fx = spawnFixture('eng_busy', [String(THREADS), hb]);
  await fx.ready;
  await heartbeatAdvances(hb, 1);
  return { pid: Number(fx.info.pid), hb, log };
}

function logText(log: string): string {
  try {
    return readFileSync(log, 'utf8');
  } catch {
    return '';
  }
}

/** Starts `--plain -f -p PID -o LOG` and resolves once it traces every thread and each has a call of its own in the log. */
async function traceWithCli(pid: number, log: string) {
  const run = startCli(['--plain', '-f', '-p', String(pid), '-o', log]);
  await waitFor(() => {
    const tids = [...allStates(pid).tasks.keys()];
    const tracers = tids.map((tid) => {
      const m = /\nTracerPid:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'));
      return m ? Number(m[1]) : 0;
    });
    const text = logText(log);
    const traced = tracers.length === THREADS + 1 && tracers.every((t) => t !== 0);
    return traced && tids.every((tid) => new RegExp(`^${tid} +clock_nanosleep\\(`, 'm').test(text)) ? true : undefined;
  }, 'the CLI to trace every thread and log a call of each', 15000);
  return run;
}

function assertRunsUntraced(pid: number): void {
  assert.equal(tracerPid(pid), 0, 'TracerPid back to 0');
  const { process: p, tasks } = allStates(pid);
  assert.equal(tasks.size, THREADS + 1);
  assert.match(p, /^[RSD]$/, `process state ${p}`);
  for (const [tid, st] of tasks) assert.match(st, /^[RSD]$/, `thread ${tid} state ${st}`);
  for (const tid of tasks.keys()) {
    const m = /\nTracerPid:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'));
    assert.equal(m?.[1], '0', `thread ${tid} untraced`);
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} to the tracer detaches: the process runs on and does its work`, async () => {
    const { pid, hb, log } = await busy();
    const run = await traceWithCli(pid, log);
    run.child.kill(sig);
    const r = await run.result;
    // As strace: having detached, the tracer dies of the signal it was sent.
    assert.deepEqual({ status: r.status, signal: r.signal }, { status: null, signal: sig }, `stderr: ${r.stderr}`);
    // strace's notes, word for word: attached with the thread count, then one line per thread.
    const tids = [...allStates(pid).tasks.keys()];
    assert.equal(r.stderr, [`Process ${pid} attached with ${THREADS + 1} threads`, ...tids.map((t) => `Process ${t} detached`)].map((l) => `systrace-tui: ${l}\n`).join(''));
    assertRunsUntraced(pid);
    await heartbeatAdvances(hb);
    const text = logText(log);
    for (const tid of tids) assert.match(text, new RegExp(`^${tid} +clock_nanosleep\\(`, 'm'), `lines of thread ${tid}, pid first`);
    // Detaching cuts no call short in the log: a call still open is ended as strace does.
    assert.doesNotMatch(text, /ERESTART/, 'no result of our own PTRACE_INTERRUPT is printed');
    const last = text.trimEnd().split('\n').at(-1) ?? '';
    // A call with no arguments ends "getppid( <detached ...>", one with some "read(3,  <detached ...>".
    assert.ok(!last.includes('<detached ...>') || /^\d+ +\w+\(.* <detached \.\.\.>$/.test(last), `last line: ${last}`);
  });
}

test('SIGKILL to the tracer: the kernel detaches, the process runs on and does its work', async () => {
  const { pid, hb, log } = await busy();
  const run = await traceWithCli(pid, log);
  run.child.kill('SIGKILL');
  const r = await run.result;
  assert.equal(r.signal, 'SIGKILL');
  await waitFor(() => (tracerPid(pid) === 0 ? true : undefined), 'TracerPid back to 0');
  await heartbeatAdvances(hb);
  assertRunsUntraced(pid);
});

test('SIGINT to the tracer of a stopped process leaves it stopped', async () => {
  const { pid, hb, log } = await busy();
  const run = await traceWithCli(pid, log);
  process.kill(pid, 'SIGSTOP');
  await waitFor(() => (/--- stopped by SIGSTOP ---/.test(logText(log)) ? true : undefined), 'the stop in the log', 10000);
  assert.equal(await heartbeatStill(hb), true);
  run.child.kill('SIGINT');
  const r = await run.result;
  assert.equal(r.signal, 'SIGINT', r.stderr);
  assert.equal(tracerPid(pid), 0);
  // The detach wakes each thread so that it stops again in the group stop: a loaded machine can show R a while first.
  await waitFor(() => {
    const { process: p, tasks } = allStates(pid);
    return p === 'T' && [...tasks.values()].every((st) => st === 'T') ? true : undefined;
  }, 'the process and every thread back in its stop (T)', 10000);
  assert.equal(await heartbeatStill(hb), true, 'still stopped after the tracer left');
  process.kill(pid, 'SIGCONT');
  await heartbeatAdvances(hb);
  assertRunsUntraced(pid);
});

test('without -f, -p traces only the thread it names, as strace does', async () => {
  const { pid, hb, log } = await busy();
  const run = startCli(['--plain', '-p', String(pid), '-o', log]);
  await waitFor(() => (tracerPid(pid) !== 0 && /pwrite64\(/.test(logText(log)) ? true : undefined), 'the leader traced', 15000);
  const { tasks } = allStates(pid);
  for (const tid of tasks.keys()) {
    if (tid === pid) continue;
    const m = /\nTracerPid:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'));
    assert.equal(m?.[1], '0', `thread ${tid} is not traced`);
  }
  run.child.kill('SIGINT');
  const r = await run.result;
  assert.equal(r.stderr, `systrace-tui: Process ${pid} attached\nsystrace-tui: Process ${pid} detached\n`);
  // One thread: no pid prefixes, and only the main thread's calls (the workers call getppid).
  const text = logText(log);
  assert.match(text, /^pwrite64\(3, "beat=\d+ usr1=0\\n", \d+, 0\) += \d+$/m);
  assert.doesNotMatch(text, /getppid/);
  assertRunsUntraced(pid);
  await heartbeatAdvances(hb);
});

test('SIGINT while the process is in D state (a vfork parent): we exit without waiting for it to stop, it is untraced, and runs on when its wait ends', async () => {
  const fx = spawnFixture('block_vfork');
  await fx.ready;
  const parent = fx.pid;
  await waitFor(() => (procState(`/proc/${parent}`) === 'D' ? true : undefined), 'the vfork parent in D state');
  const exited = new Promise<number | null>((resolve) => fx.child.once('exit', (code) => resolve(code)));
  const run = startCli(['--plain', '-p', String(parent), '-o', join(dir, 'vfork.log')]);
  await waitFor(() => (tracerPid(parent) !== 0 ? true : undefined), 'the attach');
  // It cannot stop for us in its vfork wait; the tracer leaves, and the kernel lets it go.
  run.child.kill('SIGINT');
  const r = await run.result;
  assert.deepEqual({ status: r.status, signal: r.signal }, { status: null, signal: 'SIGINT' }, `stderr: ${r.stderr}`);
  assert.equal(tracerPid(parent), 0, 'untraced');
  assert.equal(procState(`/proc/${parent}`), 'D', 'still in its vfork wait');
  // The child exits: the parent's vfork returns and it runs on to its own end, untouched.
  process.kill(Number(fx.info.child), 'SIGKILL');
  assert.equal(await exited, 0);
});
