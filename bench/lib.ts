// Helpers shared by the benchmarks: the checkout's root, arguments, statistics, polling, the
// benchmark tracees (bench/fixtures/*.c, built on demand), the TUI in a tmux session of its own,
// and the TUI's opt-in stats file (src/ui/tui-stats.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TuiStatsSample } from '../src/ui/tui-stats.js';

export const root = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

/** `--name N` from the command line, or dflt. */
export function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** `--name TEXT` from the command line, or dflt. */
export function argText(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

/** The CLI to measure: `--cli PATH` (another checkout's dist/src/cli.cjs, for a before/after), or ours. */
export function cliPath(): string {
  const cli = argText('cli', join(root, 'dist', 'src', 'cli.cjs'));
  if (!existsSync(cli)) throw new Error(`bench: ${cli} is missing: npm run build`);
  return cli;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const at = (s.length - 1) * p;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}
export const median = (xs: number[]) => percentile(xs, 0.5);

export const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

export async function waitFor<T>(what: string, get: () => T | undefined | false, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** bench/fixtures/NAME.c built into build/bench/NAME when missing or older than its source. */
export function benchTool(name: string, flags: string[] = []): string {
  const src = join(root, 'bench', 'fixtures', `${name}.c`);
  const out = join(root, 'build', 'bench', name);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(dirname(out), { recursive: true });
    execFileSync('gcc', ['-O2', ...flags, '-o', out, src]);
  }
  return out;
}

/** tui-spin's counter file: [pid, rounds] as two 64-bit words. */
export function readCounter(file: string): { pid: number; rounds: number } {
  try {
    const b = readFileSync(file);
    if (b.length < 16) return { pid: 0, rounds: 0 };
    return { pid: Number(b.readBigUInt64LE(0)), rounds: Number(b.readBigUInt64LE(8)) };
  } catch {
    return { pid: 0, rounds: 0 };
  }
}

export function kill(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  // pid 0 (a counter file the tracee never wrote) would signal our own process group.
  if (!pid || pid <= 0) return;
  try {
    process.kill(pid, signal);
  } catch {
    // gone
  }
}

export function readStats(file: string): TuiStatsSample[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TuiStatsSample);
}

/** A field of /proc/PID/status in kB (VmRSS, VmHWM...). */
export function procKB(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** A tmux server of our own (-L) with one session of a fixed size running `command`. */
export class Tmux {
  static readonly socket = ['-L', `systrace-bench-${process.pid}-${randomBytes(3).toString('hex')}`];
  static n = 0;
  static started = false;
  readonly name = `bench-${Tmux.n++}`;
  constructor(command: string, width = 120, height = 40) {
    // Kept alive between sessions (tmux would exit with its last one, racing the next new-session).
    if (!Tmux.started) execFileSync('tmux', [...Tmux.socket, '-f', '/dev/null', 'start-server', ';', 'set-option', '-s', 'exit-empty', 'off']);
    Tmux.started = true;
    execFileSync('tmux', [...Tmux.socket, 'new-session', '-d', '-x', String(width), '-y', String(height), '-s', this.name, command]);
  }
  screen(): string {
    return execFileSync('tmux', [...Tmux.socket, 'capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }
  keys(...k: string[]): void {
    execFileSync('tmux', [...Tmux.socket, 'send-keys', '-t', this.name, ...k]);
  }
  panePid(): number {
    return Number(execFileSync('tmux', [...Tmux.socket, 'display-message', '-p', '-t', this.name, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  }
  async waitScreen(test: (s: string) => boolean, timeoutMs = 10000, everyMs = 5): Promise<string> {
    let last = '';
    try {
      return await waitFor('the screen', () => (test((last = this.screen())) ? last : false), timeoutMs, everyMs);
    } catch {
      throw new Error(`bench: timed out; screen:\n${last}`);
    }
  }
  kill(): void {
    spawnSync('tmux', [...Tmux.socket, 'kill-session', '-t', this.name]);
  }
  static available(): boolean {
    return spawnSync('tmux', ['-V']).status === 0;
  }
  /** The server, and the socket file tmux leaves behind in /tmp/tmux-UID. */
  static killServer(): void {
    spawnSync('tmux', [...Tmux.socket, 'kill-server'], { stdio: 'ignore' });
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, Tmux.socket[1]), { force: true });
  }
}
process.on('exit', () => Tmux.killServer());
