// C fixture programs for tests: compiled once (cached by mtime; `npm test` builds them all first,
// build-fixtures.ts, else the first test that needs one does), started in their own process group,
// waited for until their `READY` line, and killed at teardown (with their children). Test files run
// in parallel processes: builds go to a temp file, then rename.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root: the nearest directory above this file that holds package.json. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('fixtures: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const repoRoot = findRoot();

/** Fixture NAME's source and binary, and the gcc arguments that build it into `tmp` when it must be. */
function fixtureBuild(name: string): { out: string; stale: boolean; gcc: (tmp: string) => string[] } {
  const dir = join(repoRoot, 'test', 'fixtures');
  const src = join(dir, `${name}.c`);
  const out = join(repoRoot, 'build', 'fixtures', name);
  const headers = [...readFileSync(src, 'utf8').matchAll(/^#include "([^"]+)"/gm)].map((m) => join(dir, m[1]));
  const srcTime = Math.max(...[src, ...headers].map((f) => statSync(f).mtimeMs));
  const stale = !existsSync(out) || statSync(out).mtimeMs < srcTime;
  return { out, stale, gcc: (tmp) => ['-O0', '-g', '-pthread', '-o', tmp, src] };
}

/** Where a build goes first, renamed into place once whole: runs in other pid namespaces share build/, so the pid is not enough. */
const buildTemp = (out: string) => `${out}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

const gccFailed = (name: string, err: unknown) => {
  const stderr = String((err as { stderr?: Buffer | string }).stderr ?? '');
  return new Error(`fixtures: gcc failed for ${name}.c: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
};

/**
 * Path of the built fixture `test/fixtures/NAME.c`, compiling it with
 * `gcc -O0 -g -pthread -o build/fixtures/NAME` when the binary is missing or older than the source
 * or a header of ours it includes (`#include "settled.h"`).
 */
export function fixturePath(name: string): string {
  const { out, stale, gcc } = fixtureBuild(name);
  if (!stale) return out;
  mkdirSync(dirname(out), { recursive: true });
  const tmp = buildTemp(out);
  try {
    execFileSync('gcc', gcc(tmp), { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw gccFailed(name, err);
  }
  renameSync(tmp, out);
  return out;
}

/**
 * Builds every fixture that needs it, `jobs` gcc at a time: `npm test` runs this before the test
 * files, so that they find their fixtures built (none compiled twice by two files at once, none
 * compiled in the middle of a test). Gives the names built, and why others could not be (their
 * tests then fail with the same message).
 */
export async function buildFixtures(jobs = availableParallelism()): Promise<{ built: string[]; failed: string[] }> {
  const names = readdirSync(join(repoRoot, 'test', 'fixtures'))
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.slice(0, -2));
  const todo = names.map((name) => ({ name, ...fixtureBuild(name) })).filter((b) => b.stale);
  if (todo.length) mkdirSync(join(repoRoot, 'build', 'fixtures'), { recursive: true });
  const built: string[] = [];
  const failed: string[] = [];
  const worker = async () => {
    for (let b = todo.shift(); b; b = todo.shift()) {
      const tmp = buildTemp(b.out);
      try {
        await execFileAsync('gcc', b.gcc(tmp));
        renameSync(tmp, b.out);
        built.push(b.name);
      } catch (err) {
        rmSync(tmp, { force: true });
        failed.push(gccFailed(b.name, err).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return { built, failed };
}

export interface RunningFixture {
  child: ChildProcess;
  pid: number;
  /** Resolves with the READY line (e.g. `READY port=40123 peer=812`) once the fixture is in position. */
  ready: Promise<string>;
  /** `key=value` pairs of the READY line (strings), filled when ready resolves. */
  info: Record<string, string>;
}

const running = new Set<ChildProcess>();

/** Kill a fixture's whole process group (it and anything it forked). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

process.on('exit', () => {
  for (const c of running) killGroup(c);
});

/**
 * Start fixture NAME with args in its own process group. The fixtures also set
 * PR_SET_PDEATHSIG and an alarm, so nothing outlives a crashed test run for long.
 */
export function spawnFixture(name: string, args: string[] = [], readyTimeoutMs = 15000, as: { uid?: number; gid?: number; prefix?: string[] } = {}): RunningFixture {
  const path = fixturePath(name);
  // `as`: run the fixture as another user (uid/gid), e.g. nobody for permission tests; through a
  // command that execs it in the end (prefix), e.g. unshare --net, so that its pid is the fixture's.
  const { prefix = [], ...ids } = as;
  const argv = [...prefix, path, ...args];
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const info: Record<string, string> = {};
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fixture ${name} printed no READY within ${readyTimeoutMs} ms; stderr: ${stderr.trim()}`)), readyTimeoutMs);
    timer.unref();
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY'));
      if (line !== undefined) {
        clearTimeout(timer);
        for (const m of line.matchAll(/(\w+)=(\S+)/g)) info[m[1]] = m[2];
        resolve(line);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`fixture ${name} exited before READY (code ${code}, signal ${signal}); stderr: ${stderr.trim()}`));
    });
  });
  // A rejection after READY (the exit at teardown) must not surface as unhandled.
  ready.catch(() => undefined);
  return { child, pid: child.pid ?? -1, ready, info };
}

/** Kill every fixture started here, with its children, and wait until they are gone. */
export async function killAll(): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      waits.push(new Promise<void>((resolve) => child.once('exit', () => resolve())));
    }
    killGroup(child);
  }
  await Promise.all(waits);
  running.clear();
}

/** Poll `probe` (sync or async) until it gives a value other than undefined, or fail after timeoutMs. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
