// The inspector's time on a big process (issue 8): a 1,000-thread process (test/fixtures/
// block_threads.c: a pool idle on one condition variable, one odd thread, the main thread joining
// it), inspected as the TUI's view does it every second and as `--plain --inspect` does it once.
// It measures, in interleaved rounds:
//   1. inspectProcess with everything (threads, open files, chains, diagnostics), and the text
//      report rendered from it;
//   2. the threads alone (no open files, no chain): the part that grows with the thread count;
//   3. `systrace-tui --plain --inspect PID` end to end, Node's start-up included.
// Usage: node dist/bench/inspect-bench.js [--threads 1000] [--rounds 10]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectProcess } from '../src/engine/proc/blocking.js';
import { renderInspectReport } from '../src/engine/proc/report.js';
import { groupThreads } from '../src/engine/proc/thread-groups.js';
import { listTasks } from '../src/engine/proc/task.js';

const root = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
const CLI = join(root, 'dist', 'src', 'cli.js');

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const THREADS = arg('threads', 1000);
const ROUNDS = arg('rounds', 10);

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

function buildFixture(): string {
  const src = join(root, 'test', 'fixtures', 'block_threads.c');
  const out = join(root, 'build', 'bench', 'block_threads');
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(dirname(out), { recursive: true });
    execFileSync('gcc', ['-O2', '-pthread', '-o', out, src]);
  }
  return out;
}

async function startPool(): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(buildFixture(), [String(THREADS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`block_threads exited (${code}) before READY`)));
  });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

async function timeIt(f: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function cliOnce(pid: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, '--plain', '--inspect', String(pid)], { stdio: ['ignore', 'ignore', 'inherit'] });
    c.once('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`--plain --inspect exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const pool = await startPool();
  try {
    const n = listTasks(pool.pid)?.length ?? 0;
    const full: number[] = [];
    const render: number[] = [];
    const threadsOnly: number[] = [];
    const cli: number[] = [];
    let lines = 0;
    let groups = 0;
    await inspectProcess(pool.pid, { diagnose: true }); // warm-up: module loading, first /proc scans
    for (let i = 0; i < ROUNDS; i++) {
      let report: Awaited<ReturnType<typeof inspectProcess>> | undefined;
      full.push(await timeIt(async () => (report = await inspectProcess(pool.pid, { diagnose: true }))));
      render.push(await timeIt(() => (lines = renderInspectReport(report!).split('\n').length)));
      groups = groupThreads(report!.threads).length;
      threadsOnly.push(await timeIt(() => inspectProcess(pool.pid, { skipOpenFiles: true, skipChains: true })));
      if (i < 3) cli.push(await cliOnce(pool.pid));
    }
    console.log(`inspector on a process of ${n} threads (${ROUNDS} rounds, medians; min-max)`);
    console.log(`  full inspection (threads, files, chains, diagnostics): ${ms(median(full))} (${ms(Math.min(...full))}-${ms(Math.max(...full))}), ${((median(full) * 1000) / n).toFixed(0)} us per thread`);
    console.log(`  threads only:                                           ${ms(median(threadsOnly))} (${ms(Math.min(...threadsOnly))}-${ms(Math.max(...threadsOnly))})`);
    console.log(`  text report: ${ms(median(render))} for ${lines} lines (${groups} rows after collapsing ${n} threads)`);
    console.log(`  --plain --inspect end to end: ${ms(median(cli))} (Node start-up included)`);
  } finally {
    pool.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`inspect-bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
