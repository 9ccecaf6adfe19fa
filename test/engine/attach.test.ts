// Attach, pause, resume and detach on a running 20-thread process (eng_busy), in-process through
// TraceSession: every thread is seen, a detached process runs on and does its work, a stopped one
// stays stopped, and signals sent to a tracee while we trace it still reach it.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TraceSession } from '../../src/engine/session.js';
import { TraceError, type ExitEvent, type SignalEvent, type StopEvent, type TraceEvent } from '../../src/engine/types.js';
import { killAll, spawnFixture, waitFor, type RunningFixture } from '../helpers/fixtures.js';
import { allStates, heartbeatAdvances, heartbeatStill, procState, readHeartbeat, taskIds, tracerPid } from './util.js';

const THREADS = 20;
const dir = mkdtempSync(join(tmpdir(), 'eng-attach-'));
let sessions: TraceSession[] = [];

afterEach(async () => {
  for (const s of sessions) s.detach();
  sessions = [];
  await killAll();
});
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** eng_busy: `pid` is its worker (a grandchild of ours, see the fixture), `fx` its waiting parent. */
async function busy(): Promise<{ fx: RunningFixture; pid: number; hb: string }> {
  const hb = join(dir, `hb${n++}`);
  const fx = spawnFixture('eng_busy', [String(THREADS), hb]);
  await fx.ready;
  await heartbeatAdvances(hb, 1);
  return { fx, pid: Number(fx.info.pid), hb };
}

function attach(pid: number): TraceSession {
  const s = TraceSession.attach([pid]);
  sessions.push(s);
  return s;
}

/** Resolves once the session has seen the process make calls: it is attached and tracing. */
async function tracing(s: TraceSession): Promise<void> {
  await waitFor(() => (s.stats().total > 0 ? true : undefined), 'calls under the trace');
}

/** Every state letter of the process and its threads, e.g. "S" or "S,t". */
function stateSet(pid: number): string {
  const { process: p, tasks } = allStates(pid);
  return [...new Set([p, ...tasks.values()])].sort().join(',');
}

/**
 * Every thread back in T after a detach. The kernel wakes a thread it unlinks from its tracer to
 * let it stop again (do_signal_stop); on a loaded machine it can sit runnable (R) a while before
 * it gets a CPU and stops, without running any of its own code (heartbeatStill says that).
 */
async function backInT(pid: number): Promise<void> {
  await waitFor(() => (stateSet(pid) === 'T' ? true : undefined), 'every thread in T after detach');
}

function assertRunning(pid: number): void {
  const { process: p, tasks } = allStates(pid);
  assert.equal(tasks.size, THREADS + 1);
  for (const [tid, st] of [[pid, p] as const, ...tasks]) assert.match(st, /^[RSD]$/, `thread ${tid} runs (state ${st})`);
}

test(`attach to ${THREADS + 1} threads sees syscalls from every one; detached, the process runs on`, async () => {
  const { fx, pid, hb } = await busy();
  const tids = taskIds(pid);
  assert.equal(tids.length, THREADS + 1);
  const s = attach(pid);
  assert.ok(existsSync(`/proc/self/task/${tracerPid(pid)}`), 'traced by a thread of ours');
  const seen = new Set<number>();
  const events: TraceEvent[] = [];
  await waitFor(() => {
    for (const e of s.drain()) {
      events.push(e);
      if (e.kind === 'syscall') seen.add(e.tid);
    }
    return tids.every((t) => seen.has(t)) ? true : undefined;
  }, `syscalls from all of ${tids.join(',')} (seen ${[...seen].join(',')})`, 10000, 20);
  const attached = events.filter((e) => e.kind === 'thread').map((e) => e.tid).sort((a, b) => a - b);
  assert.deepEqual(attached, tids, 'one thread record per attached thread');
  for (const e of events) if (e.kind === 'syscall') assert.equal(e.pid, pid);
  assert.equal(s.stats().threads, THREADS + 1);
  assert.equal(s.threads().length, THREADS + 1);

  s.detach();
  assert.equal(tracerPid(pid), 0);
  for (const tid of tids) assert.match(readStatusField(pid, tid, 'TracerPid'), /^0$/, `thread ${tid} untraced`);
  assertRunning(pid);
  await heartbeatAdvances(hb);
  assert.equal(fx.child.exitCode, null);
});

function readStatusField(pid: number, tid: number, field: string): string {
  const text = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
  return new RegExp(`\\n${field}:\\s*(\\S+)`).exec(text)?.[1] ?? '';
}

/** Resolves once every thread of pid is in a ptrace-stop and the session reports each paused. */
function held(s: ReturnType<typeof attach>, pid: number): Promise<true> {
  return waitFor(() => (stateSet(pid) === 't' && s.threads().every((t) => t.paused) ? true : undefined), 'every thread held in a ptrace-stop', 10000);
}

test('pause() holds every thread in a tracing stop; resume() lets them run again', async () => {
  const { fx, pid, hb } = await busy();
  const s = attach(pid);
  await tracing(s);
  s.pause();
  assert.equal(s.paused, true);
  // Every thread is in a ptrace-stop ('t'), and the work has stopped. pause() waits at most 400 ms
  // for the threads to reach their stops (one in D state may take long); under load one that
  // was not yet scheduled stops after it returns.
  await held(s, pid);
  const threads = s.threads();
  assert.equal(threads.length, THREADS + 1);
  for (const t of threads) assert.equal(t.paused, true, `thread ${t.tid} reported paused`);
  assert.equal(await heartbeatStill(hb), true, 'the heartbeat stops while paused');
  assert.equal(stateSet(pid), 't', 'still held after a while');

  s.resume();
  assert.equal(s.paused, false);
  await heartbeatAdvances(hb);
  await waitFor(() => (/^[RS](,[RS])?$/.test(stateSet(pid)) ? true : undefined), 'every thread running again');
  for (const t of s.threads()) assert.equal(t.paused, false);

  // Paused twice, then detached while paused: the process runs on.
  s.pause();
  await held(s, pid);
  s.detach();
  assert.equal(tracerPid(pid), 0);
  assertRunning(pid);
  await heartbeatAdvances(hb);
});

test('a process stopped (T) before we attach stays stopped after we detach', async () => {
  const { fx, pid, hb } = await busy();
  process.kill(pid, 'SIGSTOP');
  await waitFor(() => (stateSet(pid) === 'T' ? true : undefined), 'every thread in T');
  const s = attach(pid);
  // Each thread reports its group-stop to us and is left in it (PTRACE_LISTEN).
  await waitFor(() => (s.threads().every((t) => t.groupStopped) ? true : undefined), 'every thread group-stopped in the engine');
  assert.equal(await heartbeatStill(hb), true, 'it does not run while we trace it');
  const stops = s.drain().filter((e): e is StopEvent => e.kind === 'stop');
  assert.ok(stops.length >= 1 && stops.every((e) => e.name === 'SIGSTOP'), `stop records: ${JSON.stringify(stops)}`);
  s.detach();
  assert.equal(tracerPid(pid), 0);
  assert.equal(await heartbeatStill(hb), true);
  await backInT(pid);
  // And it is a real job-control stop: SIGCONT brings it back.
  process.kill(pid, 'SIGCONT');
  await heartbeatAdvances(hb);
  assertRunning(pid);
});

test('a process stopped while we trace it is left stopped by detach, and SIGCONT resumes it', async () => {
  const { fx, pid, hb } = await busy();
  const s = attach(pid);
  await tracing(s);
  process.kill(pid, 'SIGSTOP');
  await waitFor(() => (s.threads().every((t) => t.groupStopped) ? true : undefined), 'every thread group-stopped');
  assert.equal(await heartbeatStill(hb), true, 'stopped under trace');
  const events = s.drain();
  assert.ok(events.some((e) => e.kind === 'signal' && e.name === 'SIGSTOP'), 'the SIGSTOP delivery is recorded');
  process.kill(pid, 'SIGCONT');
  await heartbeatAdvances(hb);
  process.kill(pid, 'SIGSTOP');
  await waitFor(() => (s.threads().every((t) => t.groupStopped) ? true : undefined), 'group-stopped again');
  s.detach();
  assert.equal(await heartbeatStill(hb), true);
  await backInT(pid);
  process.kill(pid, 'SIGCONT');
  await heartbeatAdvances(hb);
  assertRunning(pid);
});

test('signals sent to a tracee still reach it: SIGUSR1 is handled, SIGTERM kills it', async () => {
  const { fx, pid, hb } = await busy();
  const s = attach(pid);
  const events: TraceEvent[] = [];
  for (let i = 1; i <= 3; i++) {
    process.kill(pid, 'SIGUSR1');
    // One at a time: standard signals do not queue.
    await waitFor(() => (readHeartbeat(hb).usr1 >= i ? true : undefined), `SIGUSR1 number ${i} handled`);
  }
  await waitFor(() => {
    events.push(...s.drain());
    return events.filter((e) => e.kind === 'signal' && e.name === 'SIGUSR1').length >= 3 ? true : undefined;
  }, 'three SIGUSR1 records');
  const usr1 = events.filter((e): e is SignalEvent => e.kind === 'signal' && e.name === 'SIGUSR1');
  assert.match(usr1[0].text, /^--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, si_pid=\d+, si_uid=\d+\} ---$/);

  const died = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    fx.child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  process.kill(pid, 'SIGTERM');
  assert.deepEqual(await died, { code: null, signal: 'SIGTERM' });
  await waitFor(() => {
    events.push(...s.drain());
    return s.done ? true : undefined;
  }, 'the trace to end');
  events.push(...s.drain());
  const leaderExit = events.find((e): e is ExitEvent => e.kind === 'exit' && e.tid === pid);
  assert.ok(leaderExit, 'an exit record for the leader');
  assert.equal(leaderExit.signo, 15);
  assert.equal(leaderExit.text, '+++ killed by SIGTERM +++');
  assert.equal(procState(`/proc/${pid}`), '');
});

test('a child of our own process is refused with the reason (Node would reap its ptrace-stops)', async () => {
  const fx = spawnFixture('eng_busy', ['1', join(dir, 'hb-child')]);
  await fx.ready;
  assert.throws(
    () => attach(fx.pid),
    (e: unknown) =>
      e instanceof TraceError &&
      e.code === 'EPERM' &&
      e.message === `pid ${fx.pid} is a child of systrace-tui's own process, whose child reaping would take the trace's stops; start it from elsewhere, or launch it under systrace-tui`,
  );
  assert.equal(tracerPid(fx.pid), 0);
});

test('attaching twice to the same process names this session as the tracer', async () => {
  const { pid } = await busy();
  attach(pid);
  assert.throws(
    () => attach(pid),
    (e: unknown) => e instanceof TraceError && e.code === 'TRACED' && e.message === `pid ${pid} is already traced by this systrace-tui`,
  );
});
