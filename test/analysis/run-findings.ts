// Runs `systrace-tui --plain --findings` as a user would: over a launched command, or attached
// (-p) to a fixture held in place (it prints READY, waits for SIGUSR1 to do its one operation,
// prints DONE and stays alive, so evidence is read from the live process, its namespaces and
// its limits). Returns the findings report it printed to stderr.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { spawnFixture, waitFor, type RunningFixture } from '../helpers/fixtures.js';
import { cliPath } from '../helpers/plain.js';

export interface FindingsRun {
  /** the report: from `systrace-tui: findings:` to the end of stderr */
  report: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

function reportOf(stderr: string): string {
  const i = stderr.indexOf('systrace-tui: findings:');
  return i < 0 ? '' : stderr.slice(i);
}

/** `systrace-tui --plain --findings -o LOG [options] -- argv`. */
export function findingsOf(argv: string[], options: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<FindingsRun> {
  const dir = mkdtempSync(join(tmpdir(), 'systrace-find-'));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cliPath, '--plain', '--findings', '-o', join(dir, 'trace.log'), ...options, '--', ...argv],
      { cwd: dir, timeout: 90_000, env: { ...process.env, LC_ALL: 'C', ...env } },
      (err, _stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
        if (e && typeof e.code !== 'number' && !e.signal) return reject(err);
        resolve({ report: reportOf(stderr), stderr, status: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null });
      },
    );
  });
}

/**
 * Attaches to fixture NAME (started with `args`, which include `hold`), lets it do its operation,
 * then interrupts systrace-tui (which detaches and reports). `as` runs the fixture as another user.
 */
export async function findingsAttached(name: string, args: string[], options: string[] = [], as: { uid?: number; gid?: number } = {}): Promise<FindingsRun & { fixture: RunningFixture }> {
  const fixture = spawnFixture(name, args, 15_000, as);
  await fixture.ready;
  let out = '';
  fixture.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const dir = mkdtempSync(join(tmpdir(), 'systrace-find-'));
  const cli = spawn(process.execPath, [cliPath, '--plain', '--findings', '-o', join(dir, 'trace.log'), ...options, '-p', String(fixture.pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  let stderr = '';
  cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    await waitFor(() => (stderr.includes(`Process ${fixture.pid} attached`) ? true : undefined), 'systrace-tui to attach', 30_000);
    process.kill(fixture.pid, 'SIGUSR1');
    await waitFor(() => (out.includes('DONE') ? true : undefined), `${name} to finish its operation`, 60_000);
    cli.kill('SIGINT');
    const { code, signal } = await exited;
    return { report: reportOf(stderr), stderr, status: code, signal, fixture };
  } finally {
    cli.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The block of one finding: its header line (matching `title`) and its indented lines. */
export function block(report: string, title: RegExp): string {
  const lines = report.split('\n');
  const start = lines.findIndex((l) => /^(PROBLEM|NOTE): /.test(l) && title.test(l));
  if (start < 0) return '';
  let end = start + 1;
  while (end < lines.length && lines[end].startsWith('  ')) end++;
  return lines.slice(start, end).join('\n');
}

/** Finding header lines of a severity. */
export function headers(report: string, severity: 'PROBLEM' | 'NOTE'): string[] {
  return report.split('\n').filter((l) => l.startsWith(`${severity}: `));
}

/** A scratch directory other users can enter (mode 0755), removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'systrace-find-'));
  chmodSync(dir, 0o755);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
