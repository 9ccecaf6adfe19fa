// Runs the real binary in --plain mode over a command and returns the trace it wrote with -o.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fixturePath, repoRoot } from './fixtures.js';

export const cliPath = join(repoRoot, 'dist', 'src', 'cli.cjs');
/** The command users run (package.json's bin): sh, then node over cliPath (bin/systrace-tui.js says why). */
export const binPath = join(repoRoot, 'bin', 'systrace-tui.js');

export interface PlainResult {
  /** Lines of the -o log, without the trailing empty line. */
  lines: string[];
  /** The tracer's exit status (the traced command's, as with strace). */
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * `systrace-tui --plain -o LOG OPTIONS -- ARGV`, in a scratch directory that is removed after.
 * `privateNetwork`: tracer and tracee run in a network namespace of their own (only lo, up), for
 * fixtures that bind fixed ports or abstract socket names (see test/fixtures/in_netns.c).
 * `pidNamespace`: the tracer runs under `unshare -Urpf`, pid 1 of a PID namespace of its own whose
 * /proc is still the one of the namespace above (so /proc numbers its tracees otherwise than it does).
 */
export function tracePlain(
  options: string[],
  argv: string[],
  opts: { cwd?: string; timeoutMs?: number; privateNetwork?: boolean; pidNamespace?: boolean } = {},
): Promise<PlainResult> {
  const dir = mkdtempSync(join(tmpdir(), 'systrace-plain-'));
  const log = join(dir, 'trace.log');
  const tracer = [process.execPath, cliPath, '--plain', '-o', log, ...options, '--', ...argv];
  if (opts.privateNetwork) tracer.unshift(fixturePath('in_netns'));
  if (opts.pidNamespace) tracer.unshift('unshare', '-Urpf');
  return new Promise((resolve, reject) => {
    execFile(
      tracer[0],
      tracer.slice(1),
      { cwd: opts.cwd ?? dir, timeout: opts.timeoutMs ?? 60_000, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        let text = '';
        try {
          text = readFileSync(log, 'utf8');
        } catch {
          // no log: the run failed before tracing; stderr says why
        }
        rmSync(dir, { recursive: true, force: true });
        const status = err ? ((err as { code?: number }).code ?? 1) : 0;
        if (err && typeof (err as { code?: unknown }).code !== 'number') return reject(err);
        resolve({ lines: text.split('\n').filter((l) => l !== ''), status, stdout, stderr });
      },
    );
  });
}
