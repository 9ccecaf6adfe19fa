// Shared by the engine tests: /proc probes of a tracee's state, the heartbeat of eng_busy, and the
// real binary run as a separate process.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

import { cliPath } from '../helpers/plain.js';
import { waitFor } from '../helpers/fixtures.js';

/** The state letter of /proc/PID/stat (or /proc/PID/task/TID/stat), '' when gone. */
export function procState(path: string): string {
  try {
    const s = readFileSync(`${path}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return '';
  }
}

export function taskIds(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number).sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** The process's state and every thread's, e.g. { process: 'S', tasks: { 123: 'S', 124: 'R' } }. */
export function allStates(pid: number): { process: string; tasks: Map<number, string> } {
  const tasks = new Map<number, string>();
  for (const tid of taskIds(pid)) tasks.set(tid, procState(`/proc/${pid}/task/${tid}`));
  return { process: procState(`/proc/${pid}`), tasks };
}

export function tracerPid(pid: number): number {
  const m = /\nTracerPid:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : -1;
}

export interface Heartbeat {
  beat: number;
  usr1: number;
}

/** eng_busy's heartbeat file: "beat=B usr1=U". */
export function readHeartbeat(file: string): Heartbeat {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // not written yet
  }
  const m = /beat=(\d+) usr1=(\d+)/.exec(text);
  return m ? { beat: Number(m[1]), usr1: Number(m[2]) } : { beat: 0, usr1: 0 };
}

/** Resolves once the heartbeat has advanced by `by` beats from now: the process does its work. */
export async function heartbeatAdvances(file: string, by = 3, timeoutMs = 10000): Promise<void> {
  const start = readHeartbeat(file).beat;
  await waitFor(() => (readHeartbeat(file).beat >= start + by ? true : undefined), `heartbeat of ${file} to advance by ${by} from ${start}`, timeoutMs, 20);
}

/** True when the heartbeat stays put for `ms` milliseconds (the process is stopped). */
export async function heartbeatStill(file: string, ms = 200): Promise<boolean> {
  const before = readHeartbeat(file).beat;
  await sleep(ms);
  return readHeartbeat(file).beat === before;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const cliChildren = new Set<ChildProcess>();

/** Starts the real binary (`node dist/src/cli.cjs ARGS`); killCliChildren() ends any still running. */
export function startCli(args: string[], opts: SpawnOptions & { prefix?: string[] } = {}): { child: ChildProcess; result: Promise<CliRun> } {
  const { prefix = [], ...spawnOpts } = opts;
  const argv = [...prefix, process.execPath, cliPath, ...args];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...spawnOpts });
  cliChildren.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => {
      cliChildren.delete(child);
      resolve({ status, signal, stdout, stderr });
    });
  });
  return { child, result };
}

export function runCli(args: string[], opts: SpawnOptions & { prefix?: string[] } = {}): Promise<CliRun> {
  return startCli(args, opts).result;
}

/** SIGKILL every CLI process started here that is still running (for after hooks). */
export function killCliChildren(): void {
  for (const c of cliChildren) {
    try {
      c.kill('SIGKILL');
    } catch {
      // gone
    }
  }
}

/** The user-facing contract of a refused run: exactly one line on stderr, no stack trace, exit 1. */
export function assertOneLineFailure(r: CliRun, expected: RegExp | string, assert: typeof import('node:assert/strict')): void {
  assert.equal(r.status, 1, `exit status 1, stderr: ${r.stderr}`);
  assert.equal(r.signal, null);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line on stderr, got: ${JSON.stringify(r.stderr)}`);
  if (typeof expected === 'string') assert.equal(lines[0], expected);
  else assert.match(lines[0], expected);
}
