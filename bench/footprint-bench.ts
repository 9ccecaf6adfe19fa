// How light the TUI is (issue 10): the real binary in a 120x40 tmux session, measured from outside
// (/proc/PID/status, tmux capture-pane) and by its own opt-in stats (SYSTRACE_TUI_STATS).
//   picker   time until the picker shows (from outside, tmux start included; tmux alone; and from
//            node's start to the first frame, as the TUI times it, and the CPU time used by then: a loaded
//            machine delays the frame, not the work), RSS once it has idled a while
//   output   bytes written to the terminal per second, and frames per second, while tracing a
//            tracee that makes 0 (blocked in a read), 1,000 and 10,000 calls a second
//   idle     frames/s and CPU ms/s of the TUI tracing a blocked tracee (a shell waiting on `sleep`),
//            on the trace screen and in the inspector: what a TUI left attached for hours costs
//   keys     key-to-screen latency (? Esc f f) while tracing 10,000 a second, timed twice: by the
//            TUI itself (key read on stdin to its frame written, src/ui/tui-stats.ts: the figure
//            the target is for), and from outside (tmux send-keys until capture-pane shows it,
//            which adds tmux's own work and the polling: each capture-pane is a process)
//   memory   peak RSS over a trace of --events calls at full speed with --history 200,000, and the
//            RSS slope once the history is full (MB per minute, and extrapolated to 30 minutes)
//   flat     RSS over --minutes of a trace at full speed once the history is full (and as many
//            events again went through it): growth from the first minute to the last (target
//            < 5 MB over 30 minutes), RSS every few minutes, and the load average along the way
// Not a test: it asserts nothing and prints figures. Compare two builds with --cli PATH.
// --base PATH (picker only): another build's picker in the same rounds, for a before/after.
// Usage: node dist/bench/footprint-bench.js [--only picker,output,idle,keys,memory,flat] [--cli PATH] [--base PATH]
//        [--rounds 5] [--window 10] [--presses 20] [--events 5000000] [--history 200000] [--minutes 30]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TuiStatsSample } from '../src/ui/tui-stats.js';
import { arg, argText, benchTool, cliPath, fmt, kill, median, percentile, procKB, readCounter, readStats, sleep, Tmux, waitFor } from './lib.js';

const CLI = cliPath();
const ONLY = argText('only', 'picker,output,idle,keys,memory').split(',');
const ROUNDS = arg('rounds', 5);
const BASE = argText('base', '');
const WINDOW_S = arg('window', 10);
const PRESSES = arg('presses', 20);
const EVENTS = arg('events', 5_000_000);
const HISTORY = arg('history', 200_000);
const MINUTES = arg('minutes', 30);
const dir = mkdtempSync(join(tmpdir(), 'systrace-footprint-'));
let runs = 0;

/** The TUI in tmux with its stats file; `exec` makes the pane's pid the TUI's own. */
function startTui(args: string, cli = CLI): { t: Tmux; stats: string } {
  const stats = join(dir, `stats-${runs++}`);
  return { t: new Tmux(`exec env SYSTRACE_TUI_STATS=${stats} node ${cli} ${args}`), stats };
}

/** Stats samples whose time falls in [fromMs, toMs) of the TUI's own clock. */
function window(samples: TuiStatsSample[], fromMs: number, toMs: number): TuiStatsSample[] {
  return samples.filter((s) => s.t >= fromMs && s.t < toMs);
}

/** How long tmux itself takes, measured as the picker is: a pane that prints the picker's header at once. */
async function tmuxAlone(): Promise<number> {
  const t0 = performance.now();
  const t = new Tmux(`exec sh -c 'echo "    PID USER"; exec sleep 60'`);
  try {
    await t.waitScreen((s) => s.includes('PID USER'), 20000, 2);
    return performance.now() - t0;
  } finally {
    t.kill();
  }
}

async function picker(): Promise<void> {
  // With --base, the other build's picker in the same rounds, after ours.
  const builds = (BASE ? [CLI, BASE] : [CLI]).map((cli) => ({
    cli,
    startMs: [] as number[],
    insideMs: [] as number[],
    insideCpuMs: [] as number[],
    rssMB: [] as number[],
    fps: [] as number[],
  }));
  const tmuxMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    tmuxMs.push(await tmuxAlone());
    for (const run of builds) {
      const t0 = performance.now();
      const { t, stats } = startTui('', run.cli);
      try {
        await t.waitScreen((s) => s.includes('PID USER'), 20000, 2);
        run.startMs.push(performance.now() - t0);
        await sleep(7000); // three refreshes of the list
        run.rssMB.push(procKB(t.panePid(), 'VmRSS') / 1024);
        const s = readStats(stats);
        run.insideMs.push(s[0].firstFrameMs);
        // (NaN from a build that does not count it)
        run.insideCpuMs.push(s[0].firstFrameCpuMs ?? NaN);
        run.fps.push(median(s.slice(2).map((x) => x.fps)));
      } finally {
        t.kill();
      }
    }
  }
  for (const { cli, startMs, insideMs, insideCpuMs, rssMB, fps } of builds) {
    console.log(
      `picker${BASE ? ` of ${cli}` : ''} (${ROUNDS} runs): shows after ${fmt(median(startMs))} ms median (min ${fmt(Math.min(...startMs))}, tmux start included;` +
        ` tmux alone ${fmt(median(tmuxMs))} ms; node's start to the first frame written, as the TUI times it: ${fmt(median(insideMs))} ms,` +
        ` using ${fmt(median(insideCpuMs))} ms of CPU, min ${fmt(Math.min(...insideCpuMs))});` +
        ` idle RSS ${fmt(median(rssMB), 1)} MB median (max ${fmt(Math.max(...rssMB), 1)}); ${fmt(median(fps), 1)} frames/s idle`,
    );
  }
}

interface RateRun {
  rate: number;
  callsPerS: number;
  kbps: number;
  fps: number;
  /** key-to-screen as polled from outside (tmux send-keys .. capture-pane shows it) */
  keys: number[];
  /** the same keys as the TUI timed them: read on stdin .. the frame showing them written */
  keysInside: number[];
  /** the event loop's largest delay in each second of the key presses (ms) */
  loopMaxMs: number[];
}

/** The TUI tracing tui-spin at `rate` calls a second (0: `sleep`, which makes none). */
async function traceAt(rate: number, presses: number): Promise<RateRun> {
  const counter = join(dir, `count-${runs}`);
  const tracee = rate > 0 ? `${benchTool('tui-spin')} ${counter} ${rate}` : 'sleep 3600';
  const { t, stats } = startTui(`-- ${tracee}`);
  try {
    await t.waitScreen((s) => s.includes('ev/s'), 20000);
    await sleep(3000);
    const from = readStats(stats).at(-1)?.t ?? 0;
    await sleep(WINDOW_S * 1000);
    const w = window(readStats(stats), from + 1, Infinity);
    // What the engine saw, as the TUI counts it.
    const callsPerS = w.length > 1 ? ((w.at(-1)!.total - w[0].total) * 1000) / (w.at(-1)!.t - w[0].t) : 0;
    const keys: number[] = [];
    const helpOpen = (s: string) => s.includes('systrace-tui help');
    const keysFrom = readStats(stats).at(-1)?.t ?? 0;
    for (let i = 0; i < presses; i++) {
      keys.push(await keyLatency(t, '?', helpOpen));
      keys.push(await keyLatency(t, 'Escape', (s) => !helpOpen(s)));
      keys.push(await keyLatency(t, 'f', (s) => s.includes('filter: file')));
      keys.push(await keyLatency(t, 'f', (s) => s.includes('filter: none')));
      await sleep(100);
    }
    // The TUI's own timing of the same keys: the samples written since the presses began.
    let inside: TuiStatsSample[] = [];
    if (presses) {
      await waitFor('the keys in the TUI\'s stats', () => (inside = window(readStats(stats), keysFrom + 1, Infinity)).flatMap((x) => x.keys).length >= keys.length, 5000, 100).catch(() => undefined);
    }
    return {
      rate,
      callsPerS,
      kbps: median(w.map((s) => s.kbps)),
      fps: median(w.map((s) => s.fps)),
      keys,
      keysInside: inside.flatMap((x) => x.keys),
      loopMaxMs: inside.map((x) => x.loopMaxMs),
    };
  } finally {
    kill(readCounter(counter).pid);
    t.kill();
  }
}

/** ms from sending `key` until `shown(screen)` holds, polled as fast as tmux answers. */
async function keyLatency(t: Tmux, key: string, shown: (s: string) => boolean): Promise<number> {
  const t0 = performance.now();
  t.keys(key);
  await t.waitScreen(shown, 5000, 2);
  return performance.now() - t0;
}

async function output(): Promise<void> {
  for (const rate of [0, 1000, 10000]) {
    const r = await traceAt(rate, 0);
    const got = rate ? `, the tracee made ${fmt(r.callsPerS)} calls/s` : '';
    console.log(`output at ${fmt(rate)} calls/s: ${fmt(r.kbps, 1)} KB/s to the terminal, ${fmt(r.fps, 1)} frames/s (medians over ${WINDOW_S} s${got})`);
  }
}

/** CPU time (user + system) a process used so far, in ms. */
function cpuMs(pid: number): number {
  // The fields after the command's name (which may hold spaces), from the state on: utime is the 12th.
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

async function idle(): Promise<void> {
  const views: [string, string[], (s: string) => boolean][] = [
    ['the trace screen', [], (s) => s.includes('ev/s')],
    ['the inspector (b)', ['b'], (s) => /inspect|blocked|wchan/i.test(s) && !s.includes('ev/s')],
  ];
  for (const [name, keysToSend, shown] of views) {
    const fps: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < Math.max(1, Math.floor(ROUNDS / 2)); r++) {
      // Two threads blocked: the shell in wait4, sleep in clock_nanosleep.
      const { t, stats } = startTui(`-f -- sh -c 'sleep 3600; :'`);
      try {
        await t.waitScreen((s) => s.includes('ev/s') && s.includes('nanosleep'), 20000);
        if (keysToSend.length) {
          t.keys(...keysToSend);
          await t.waitScreen(shown, 20000);
        }
        await sleep(3000);
        const pid = t.panePid();
        const from = readStats(stats).at(-1)?.t ?? 0;
        const cpu0 = cpuMs(pid);
        const t0 = performance.now();
        await sleep(WINDOW_S * 1000);
        cpu.push((cpuMs(pid) - cpu0) / ((performance.now() - t0) / 1000));
        const w = window(readStats(stats), from + 1, Infinity);
        fps.push(w.reduce((a, x) => a + x.fps, 0) / Math.max(1, w.length));
      } finally {
        t.kill();
      }
    }
    console.log(`idle on ${name}, the tracee blocked: ${fmt(median(fps), 2)} frames/s, ${fmt(median(cpu), 1)} ms CPU/s (medians of ${fps.length} runs of ${WINDOW_S} s; load average ${loadavg()})`);
  }
}

async function keys(): Promise<void> {
  const r = await traceAt(10000, PRESSES);
  const dist = (xs: number[]) => `p50 ${fmt(median(xs), 1)} ms, p95 ${fmt(percentile(xs, 0.95), 1)} ms, max ${fmt(Math.max(...xs), 1)} ms`;
  console.log(
    `keys at 10,000 calls/s (${r.keys.length} keys, the tracee made ${fmt(r.callsPerS)} calls/s; load average ${loadavg()}):\n` +
      `  inside the TUI (key read on stdin .. its frame written; target p95 <= 50): ${dist(r.keysInside)} (${r.keysInside.length} keys timed)\n` +
      `  from outside (tmux send-keys .. capture-pane shows it, polled every 2 ms): ${dist(r.keys)}\n` +
      `  event loop delay, largest in each second of the presses: median ${fmt(median(r.loopMaxMs), 1)} ms, max ${fmt(Math.max(...r.loopMaxMs), 1)} ms`,
  );
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}

async function memory(): Promise<void> {
  const counter = join(dir, 'mem-count');
  const { t, stats } = startTui(`--history ${HISTORY} -- ${benchTool('tui-spin')} ${counter}`);
  try {
    await t.waitScreen((s) => s.includes('ev/s'), 20000);
    const pid = t.panePid();
    const started = performance.now();
    await waitFor(`${fmt(EVENTS)} events`, () => (readStats(stats).at(-1)?.total ?? 0) >= EVENTS, Math.max(600_000, EVENTS / 5), 1000);
    await sleep(1500);
    const minutes = (performance.now() - started) / 60000;
    const peakMB = procKB(pid, 'VmHWM') / 1024;
    const rssMB = procKB(pid, 'VmRSS') / 1024;
    const samples = readStats(stats);
    const last = samples.at(-1)!;
    // Once the history is full (and a warm-up of as many events again), RSS should stay flat: the
    // slope is taken over the second half of that stretch, once start-up transients are over.
    const full = samples.filter((s) => s.total >= 2 * HISTORY);
    const late = full.slice(Math.floor(full.length / 2));
    const perMin = late.length > 2 ? slope(late.map((s) => s.t / 60000), late.map((s) => s.rssMB)) : NaN;
    const every = Math.max(1, Math.round(samples.length / 10));
    console.log(`  RSS along the run (MB at calls): ${samples.filter((_, k) => k % every === 0).map((s) => `${fmt(s.rssMB)}@${fmt(s.total / 1e6, 1)}M`).join(' ')}`);
    const span = full.length ? (full.at(-1)!.t - full[0].t) / 60000 : 0;
    const rss = full.map((s) => s.rssMB);
    console.log(
      `memory over ${fmt(last.total)} calls in ${fmt(minutes, 1)} min (--history ${fmt(HISTORY)}, tracees held ${fmt(last.heldMs / 1000, 1)} s): peak RSS ${fmt(peakMB, 1)} MB, at the end ${fmt(rssMB, 1)} MB` +
        ` (V8 heap used ${fmt(last.heapMB, 1)} of ${fmt(last.heapTotalMB, 1)} MB, external ${fmt(last.externalMB, 1)} MB)`,
    );
    console.log(
      `  with the history full (${fmt(span, 1)} min): RSS ${fmt(Math.min(...rss), 1)}..${fmt(Math.max(...rss), 1)} MB, slope over its second half ${fmt(perMin, 2)} MB/min` +
        ` -> ${fmt(perMin * 30, 1)} MB over 30 min at this rate (${fmt(((full.at(-1)?.total ?? 0) - (full[0]?.total ?? 0)) / Math.max(span, 1e-9) / 60)} calls/s)`,
    );
  } finally {
    kill(readCounter(counter).pid);
    t.kill();
  }
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

async function flat(): Promise<void> {
  const counter = join(dir, 'flat-count');
  const { t, stats } = startTui(`--history ${HISTORY} -- ${benchTool('tui-spin')} ${counter}`);
  try {
    await t.waitScreen((s) => s.includes('ev/s'), 20000);
    const pid = t.panePid();
    // The history full, and as many events again: what follows should cost nothing more.
    await waitFor('the history to fill', () => (readStats(stats).at(-1)?.total ?? 0) >= 2 * HISTORY, 600_000, 1000);
    const from = readStats(stats).at(-1)!;
    const loads = [loadavg()];
    const marks: string[] = [];
    const endMs = performance.now() + MINUTES * 60_000;
    for (let m = 0; performance.now() < endMs; m++) {
      await sleep(Math.min(60_000, endMs - performance.now()));
      if (m % 5 === 4) {
        marks.push(`${fmt(procKB(pid, 'VmRSS') / 1024, 1)}@${m + 1}min`);
        loads.push(loadavg());
      }
    }
    const samples = readStats(stats).filter((s) => s.t >= from.t);
    const last = samples.at(-1)!;
    const rss = samples.map((s) => s.rssMB);
    // Medians of the first and the last minute, so that one frame's garbage does not decide it.
    const first = median(samples.filter((s) => s.t < from.t + 60_000).map((s) => s.rssMB));
    const end = median(samples.filter((s) => s.t >= last.t - 60_000).map((s) => s.rssMB));
    const minutes = (last.t - from.t) / 60_000;
    const perS = (last.total - from.total) / Math.max(1, (last.t - from.t) / 1000);
    console.log(`  RSS every 5 min (MB): ${marks.join(' ')}; load average ${loads.join(' ')}`);
    console.log(
      `flat over ${fmt(minutes, 1)} min with the history full (--history ${fmt(HISTORY)}, ${fmt(last.total - from.total)} calls, ${fmt(perS)} calls/s, tracees held ${fmt(last.heldMs / 1000, 1)} s):` +
        ` RSS ${fmt(first, 1)} MB in the first minute, ${fmt(end, 1)} MB in the last: growth ${fmt(end - first, 1)} MB (target < 5);` +
        ` range ${fmt(Math.min(...rss), 1)}..${fmt(Math.max(...rss), 1)} MB, peak ${fmt(procKB(pid, 'VmHWM') / 1024, 1)} MB; V8 heap used ${fmt(last.heapMB, 1)} of ${fmt(last.heapTotalMB, 1)} MB`,
    );
  } finally {
    kill(readCounter(counter).pid);
    t.kill();
  }
}

async function main(): Promise<void> {
  if (!Tmux.available()) throw new Error('footprint-bench: tmux is not installed');
  console.log(`footprint-bench: ${CLI}, 120x40 tmux`);
  try {
    if (ONLY.includes('picker')) await picker();
    if (ONLY.includes('output')) await output();
    if (ONLY.includes('idle')) await idle();
    if (ONLY.includes('keys')) await keys();
    if (ONLY.includes('memory')) await memory();
    if (ONLY.includes('flat')) await flat();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
