// The TUI's speed benchmark (issue 4, "Speed"): the real binary in a tmux session of a fixed size,
// tracing a tracee that makes tens of thousands of system calls a second. It measures
//   1. key latency: a key whose effect shows (`?` opens help, Escape closes it; `f` lights the file
//      filter) sent with tmux, then `tmux capture-pane` polled until the screen shows it;
//   2. frames per second, and 3. memory after 1,000,000 events, from the TUI's own opt-in stats
//      (SYSTRACE_TUI_STATS, src/ui/tui-stats.ts) and /proc/PID/status;
//   4. the tracee's slowdown: its speed under the TUI against under `--plain -o /dev/null`, in
//      interleaved rounds, so a shared machine's drift hits both alike (ratios, not seconds).
// Usage: node dist/bench/tui-bench.js [--rounds 3] [--window 4] [--events 1000000] [--history 200000] [--cli PATH]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, benchTool, cliPath, fmt, kill, median, procKB, readCounter, readStats, sleep, Tmux, waitFor } from './lib.js';

const CLI = cliPath();
const ROUNDS = arg('rounds', 3);
const WINDOW_S = arg('window', 4);
const EVENTS = arg('events', 1_000_000);
const HISTORY = arg('history', 200_000);
const PRESSES = arg('presses', 10);

/** The tracee: loops until killed, 2 syscalls a round (+2 every 100), counting rounds in a shared file. */
const buildSpin = () => benchTool('tui-spin');
const SYSCALLS_PER_ROUND = 2.02;

/** Rounds per second of the tracee over WINDOW_S, after a warm-up. */
async function traceeRate(counter: string): Promise<number> {
  await waitFor('the tracee to start', () => readCounter(counter).rounds > 0, 15000);
  await sleep(1500);
  const a = readCounter(counter);
  const t0 = performance.now();
  await sleep(WINDOW_S * 1000);
  const b = readCounter(counter);
  return ((b.rounds - a.rounds) * 1000) / (performance.now() - t0);
}

function tuiCommand(spin: string, counter: string, stats?: string): string {
  // exec: the pane's pid is the TUI's own, for /proc/PID/status.
  const env = stats ? `env SYSTRACE_TUI_STATS=${stats} ` : '';
  return `exec ${env}node ${CLI} --history ${HISTORY} -- ${spin} ${counter}`;
}

async function rateUnderTui(spin: string, dir: string, i: number): Promise<number> {
  buildSpin();
  const counter = join(dir, `tui-${i}.count`);
  const t = new Tmux(tuiCommand(spin, counter));
  try {
    return await traceeRate(counter);
  } finally {
    kill(readCounter(counter).pid);
    t.kill();
  }
}

async function rateUnderPlain(spin: string, dir: string, i: number): Promise<number> {
  buildSpin();
  const counter = join(dir, `plain-${i}.count`);
  const child = spawn('node', [CLI, '--plain', '-o', '/dev/null', '--', spin, counter], { stdio: 'ignore' });
  try {
    return await traceeRate(counter);
  } finally {
    kill(readCounter(counter).pid);
    kill(child.pid!);
  }
}

async function rateUntraced(spin: string, dir: string, i: number): Promise<number> {
  buildSpin();
  const counter = join(dir, `bare-${i}.count`);
  const child = spawn(spin, [counter], { stdio: 'ignore' });
  try {
    return await traceeRate(counter);
  } finally {
    kill(child.pid!);
  }
}

/** ms from sending `key` until `shown(screen)` holds, polled as fast as tmux answers. */
async function keyLatency(t: Tmux, key: string, shown: (s: string) => boolean): Promise<number> {
  const t0 = performance.now();
  t.keys(key);
  await t.waitScreen(shown, 5000);
  return performance.now() - t0;
}

async function longRun(spin: string, dir: string) {
  buildSpin();
  const counter = join(dir, 'long.count');
  const stats = join(dir, 'long.stats');
  const t = new Tmux(tuiCommand(spin, counter, stats));
  try {
    await t.waitScreen((s) => s.includes('ev/s'), 15000);
    const pid = t.panePid();
    await sleep(2000);
    const latencies: { key: string; ms: number }[] = [];
    const helpOpen = (s: string) => s.includes('systrace-tui help');
    for (let i = 0; i < PRESSES; i++) {
      latencies.push({ key: '?', ms: await keyLatency(t, '?', helpOpen) });
      latencies.push({ key: 'Esc', ms: await keyLatency(t, 'Escape', (s) => !helpOpen(s)) });
      latencies.push({ key: 'f', ms: await keyLatency(t, 'f', (s) => s.includes('filter: file')) });
      latencies.push({ key: 'f', ms: await keyLatency(t, 'f', (s) => s.includes('filter: none')) });
      await sleep(150);
    }
    const rounds0 = readCounter(counter).rounds;
    const t0 = performance.now();
    // Memory: keep the TUI running until a million events have gone through it.
    const budgetMs = Math.max(120_000, EVENTS / 5);
    await waitFor(`${fmt(EVENTS)} events`, () => (readStats(stats).at(-1)?.total ?? 0) >= EVENTS, budgetMs, 500);
    await sleep(1500); // one more sample, and the last batches drained
    const rounds = ((readCounter(counter).rounds - rounds0) * 1000) / (performance.now() - t0);
    const rssKB = procKB(pid, 'VmRSS');
    const hwmKB = procKB(pid, 'VmHWM');
    const samples = readStats(stats);
    return { latencies, samples, rssMB: rssKB / 1024, peakMB: hwmKB / 1024, rounds };
  } finally {
    kill(readCounter(counter).pid);
    t.kill();
  }
}

async function main(): Promise<void> {
  if (!Tmux.available()) throw new Error('tui-bench: tmux is not installed');
  const spin = buildSpin();
  const dir = mkdtempSync(join(tmpdir(), 'systrace-tui-bench-'));
  try {
    console.log(`tui-bench: 120x40 tmux, tracee ${spin} (2 syscalls a round), --history ${fmt(HISTORY)}`);
    // (4) slowdown, interleaved: untraced (for scale), --plain, TUI, in turn, every round.
    const bare: number[] = [];
    const plain: number[] = [];
    const tui: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bare.push(await rateUntraced(spin, dir, r));
      plain.push(await rateUnderPlain(spin, dir, r));
      tui.push(await rateUnderTui(spin, dir, r));
      ratios.push(plain[r] / tui[r]);
      console.log(
        `  round ${r + 1}: rounds/s untraced ${fmt(bare[r])}, --plain -o /dev/null ${fmt(plain[r])}, TUI ${fmt(tui[r])}` +
          ` -> TUI slowdown ${ratios[r].toFixed(2)}x`,
      );
    }
    // (1)-(3) one long TUI run: keys while the tracee runs, frames, memory after EVENTS events.
    console.log(`  long run: ${PRESSES}x (? Esc f f) keys, then until ${fmt(EVENTS)} events ...`);
    const long = await longRun(spin, dir);
    const steady = long.samples.slice(1);
    const fps = steady.map((s) => s.fps);
    const ms = long.latencies.map((l) => l.ms);
    const byKey = (k: string) => long.latencies.filter((l) => l.key === k).map((l) => l.ms);
    const last = long.samples.at(-1)!;
    const heapMax = Math.max(...long.samples.map((s) => s.heapMB));
    const slowdown = median(ratios);
    const rows: [string, string, string, boolean][] = [
      ['tracee syscalls/s under TUI', '>= 20,000', `${fmt(median(tui) * SYSCALLS_PER_ROUND)} (median)`, median(tui) * SYSCALLS_PER_ROUND >= 20_000],
      ['key latency (ms)', '<= 100', `median ${fmt(median(ms))}, max ${fmt(Math.max(...ms))} (? ${fmt(median(byKey('?')))}, Esc ${fmt(median(byKey('Esc')))}, f ${fmt(median(byKey('f')))})`, Math.max(...ms) <= 100],
      ['frames per second', '<= 30', `median ${fmt(median(fps), 1)}, max ${fmt(Math.max(...fps), 1)}`, Math.max(...fps) <= 30.5],
      [`RSS after ${fmt(last.total)} events`, '< 300 MB', `${fmt(long.rssMB)} MB (peak ${fmt(long.peakMB)} MB; V8 heap used ${fmt(last.heapMB)} of ${fmt(last.heapTotalMB)}, max used ${fmt(heapMax)}; external ${fmt(last.externalMB)} MB)`, long.rssMB < 300],
      ['tracee slowdown TUI/--plain', '<= 1.20x', `${slowdown.toFixed(2)}x median (${ratios.map((r) => r.toFixed(2)).join(', ')})`, slowdown <= 1.2],
    ];
    console.log('');
    console.log(`TUI speed (issue 4), ${ROUNDS} interleaved rounds, --history ${fmt(HISTORY)}, tracees held ${fmt(last.heldMs / 1000, 1)} s:`);
    const w0 = Math.max(...rows.map((r) => r[0].length));
    for (const [name, target, got, ok] of rows) console.log(`  ${name.padEnd(w0)}  target ${target.padEnd(9)}  ${ok ? 'MET   ' : 'MISSED'}  ${got}`);
    console.log(`  (untraced tracee: ${fmt(median(bare) * SYSCALLS_PER_ROUND)} syscalls/s; during the long run: ${fmt(long.rounds * SYSCALLS_PER_ROUND)} syscalls/s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
