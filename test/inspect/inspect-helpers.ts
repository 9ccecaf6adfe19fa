// Shared by the inspector's tests: an inspection that must come back whatever the target does (a
// hang fails the test instead of hanging it), and checks that its times are true. The limit tells
// a hang from a slow answer on a loaded machine (two CPU hogs and a test run beside us can make a
// probe's child take seconds to start); how fast an inspection is belongs to bench/inspect-bench.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { inspectProcess, type InspectOptions, type InspectReport, type ThreadReport } from '../../src/engine/proc/blocking.js';
import { clockTicksPerSecond, readProcStat, readProcText, readTaskStat, uptimeSeconds } from '../../src/engine/proc/task.js';
import { waitFor } from '../helpers/fixtures.js';
import { cliPath } from '../helpers/plain.js';

export const INSPECT_LIMIT_MS = 30_000;

/** inspectProcess, failing (not hanging) when it does not return within INSPECT_LIMIT_MS. */
export async function inspect(pid: number, opts: InspectOptions = {}): Promise<InspectReport> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`inspecting pid ${pid} did not return within ${INSPECT_LIMIT_MS / 1000} s`)), INSPECT_LIMIT_MS);
  });
  try {
    const r = await Promise.race([inspectProcess(pid, opts), hang]);
    assertTrueTimes(pid, r);
    return r;
  } finally {
    clearTimeout(timer);
  }
}

/** Inspect until `ready` holds (the fixture has reached the wait it sets up). */
export function inspectWhen(pid: number, ready: (r: InspectReport) => boolean, opts: InspectOptions = {}, what = `pid ${pid} to block`): Promise<InspectReport> {
  return waitFor(async () => {
    const r = await inspect(pid, opts);
    return ready(r) ? r : undefined;
  }, what, INSPECT_LIMIT_MS);
}

export const inCall = (r: InspectReport, name: string): ThreadReport[] => r.threads.filter((t) => t.name === name);
export const thread = (r: InspectReport, tid: number): ThreadReport => {
  const t = r.threads.find((x) => x.tid === tid);
  assert.ok(t, `thread ${tid} in the report of ${r.pid}`);
  return t;
};

/** A blocked time is a lower bound: never more than the thread has existed (10 ms clock steps aside). */
export function assertTrueTimes(pid: number, r: InspectReport): void {
  const up = uptimeSeconds();
  if (up === undefined) return;
  for (const t of r.threads) {
    if (t.blockedForMs === undefined) continue;
    const st = readTaskStat(pid, t.tid);
    if (!st) continue;
    // uptime and the start time are both known to one tick: the oldest the thread can be.
    const ageMs = (up + 2 / clockTicksPerSecond() - st.startTicks / clockTicksPerSecond()) * 1000;
    assert.ok(t.blockedForMs <= ageMs, `thread ${t.tid}: blocked ${t.blockedForMs} ms, but it is only ${ageMs.toFixed(0)} ms old`);
  }
}

/**
 * `systrace-tui --plain --inspect PID`, stdout a pipe (run as another user, or under `prefix`: setpriv...). Fails (rather than waits) when the command has
 * not exited within 2 x INSPECT_LIMIT_MS, saying where it is stuck.
 */
export function runInspectCli(pid: number, as: { uid?: number; gid?: number; prefix?: string[] } = {}): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const { prefix = [], ...ids } = as;
    const argv = [...prefix, process.execPath, cliPath, '--plain', '--inspect', String(pid)];
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...ids });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      const where = `${readProcStat(child.pid!)?.state ?? '?'} in ${readProcText(`/proc/${child.pid}/wchan`) ?? '?'}`;
      child.kill('SIGKILL');
      reject(new Error(`--plain --inspect ${pid} did not exit within ${(2 * INSPECT_LIMIT_MS) / 1000} s (it is ${where})`));
    }, 2 * INSPECT_LIMIT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}
