// Loading strace logs: lines per second and memory for a log of a million lines (by default), read by
// --plain --load (re-print, -c, a filter), by the trace screen's path without a screen (LogSource
// through the Timeline into a capped TraceHistory, as the drain loop does), and by the real TUI in
// tmux until it has loaded. Not a test: it asserts nothing and prints figures.
//
//   node dist/bench/log-bench.js [--lines 1000000] [--rounds 3] [--no-tui]
//
// The log is made from a real strace run (-f -tt -T of a shell listing directories and reading
// files), repeated until it has the lines asked for; it is kept in build/bench/ for the next run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LogSource } from '../src/log/source.js';
import { Timeline } from '../src/ui/timeline.js';
import { TraceHistory } from '../src/ui/trace-history.js';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
const root = findRoot();
const cli = join(root, 'dist', 'src', 'cli.cjs');
const outDir = join(root, 'build', 'bench');

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : dflt;
}

/** The screenless trace-screen path, in this process: prints `lines seconds maxRssKB cpuSeconds`. */
function drainOnly(file: string, cap: number): void {
  const source = LogSource.open([file]);
  const history = new TraceHistory(cap);
  // As the drain loop places a log: snapshot, drain, place in the order the calls began.
  const timeline = new Timeline(history);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (!source.done || !timeline.empty) {
    if (timeline.wantsSnapshot) timeline.setSnapshot(source.snapshot());
    const b = source.drainBatch(8192);
    timeline.add(b);
    if (timeline.ready(b.count + b.others.length < 8192)) timeline.place();
  }
  const secs = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const lines = source.info().lines;
  process.stdout.write(`${lines} ${secs} ${process.resourceUsage().maxRSS} ${(c.user + c.system) / 1e6}\n`);
}

if (process.argv[2] === '--drain') {
  drainOnly(process.argv[3], Number(process.argv[4]));
  process.exit(0);
}

const LINES = arg('--lines', 1_000_000);
const ROUNDS = arg('--rounds', 3);
const withTui = !process.argv.includes('--no-tui');

/** A real strace log of a small shell workload, repeated to `lines` lines. */
function makeLog(lines: number): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `log-${lines}.log`);
  if (existsSync(file)) return file;
  const base = join(outDir, 'log-base.log');
  const script = 'for i in 1 2 3 4 5 6 7 8 9 10; do ls -la /usr/lib /usr/bin >/dev/null; cat /etc/services /etc/passwd >/dev/null; done';
  execFileSync('strace', ['-f', '-tt', '-T', '-o', base, 'sh', '-c', script], { stdio: 'ignore' });
  const text = readFileSync(base, 'latin1');
  const baseLines = text.split('\n').length - 1;
  const copies = Math.ceil(lines / baseLines);
  const all = text.split('\n').slice(0, -1);
  const out: string[] = [];
  for (let c = 0; c < copies && out.length < lines; c++) for (const l of all) if (out.length < lines) out.push(l);
  writeFileSync(file, out.join('\n') + '\n', 'latin1');
  rmSync(base);
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Measure {
  secs: number;
  /** CPU seconds (user + system): what a shared machine's load changes least */
  cpu: number;
  rssKB: number;
}

interface Result {
  name: string;
  runs: Measure[];
  note?: string;
}

/** `node cli ARGS` under /usr/bin/time: seconds, CPU seconds and peak RSS. */
function timeCli(args: string[]): Measure {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`log-bench: ${args.join(' ')}: ${r.stderr}`);
  const [rss, user, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { secs, cpu: user + sys, rssKB: rss };
}

/** The TUI in tmux: seconds until the status bar stops saying LOADING, and its peak RSS. */
function timeTui(file: string): Measure {
  const sock = ['-L', `log-bench-${process.pid}`];
  const stats = join(outDir, `tui-stats-${process.pid}.jsonl`);
  rmSync(stats, { force: true });
  const t0 = performance.now();
  execFileSync('tmux', [...sock, 'new-session', '-d', '-x', '120', '-y', '40', '-s', 'b', `SYSTRACE_TUI_STATS=${stats} ${process.execPath} ${cli} --load ${file}`]);
  try {
    for (;;) {
      const screen = execFileSync('tmux', [...sock, 'capture-pane', '-p', '-t', 'b'], { encoding: 'utf8' });
      if (screen.includes(' log ') && !screen.includes('LOADING')) break;
      if (performance.now() - t0 > 600_000) throw new Error('log-bench: the TUI did not finish loading in 10 minutes');
      spawnSync('sleep', ['0.1']);
    }
    const secs = (performance.now() - t0) / 1000;
    spawnSync('sleep', ['1.2']); // one more stats sample
    const samples = existsSync(stats) ? readFileSync(stats, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { rssMB: number }) : [];
    return { secs, cpu: NaN, rssKB: Math.max(0, ...samples.map((s) => s.rssMB * 1024)) };
  } finally {
    spawnSync('tmux', [...sock, 'kill-server'], { stdio: 'ignore' });
    rmSync(stats, { force: true });
  }
}

const file = makeLog(LINES);
const lines = LINES;
const mb = statSync(file).size / 2 ** 20;
console.log(`log-bench: ${lines.toLocaleString('en-US')} lines, ${mb.toFixed(0)} MiB (strace -f -tt -T of a shell workload, repeated), ${ROUNDS} rounds`);

const results: Result[] = [
  { name: '--plain --load (re-print all)', runs: [] },
  { name: '--plain --load -e trace=%file -Z', runs: [] },
  { name: '--plain --load -c', runs: [] },
  { name: 'trace screen path, no screen', runs: [], note: 'LogSource -> TraceHistory(200000)' },
];
if (withTui) results.push({ name: 'TUI in tmux until loaded', runs: [], note: 'wall time, with Node and Ink start-up' });

for (let r = 0; r < ROUNDS; r++) {
  for (const res of results) {
    let m: Measure;
    if (res.name.startsWith('--plain --load (')) m = timeCli(['--plain', '--load', file, '-o', '/dev/null']);
    else if (res.name.includes('-Z')) m = timeCli(['--plain', '--load', file, '-e', 'trace=%file', '-Z', '-o', '/dev/null']);
    else if (res.name.endsWith('-c')) m = timeCli(['--plain', '--load', file, '-c', '-o', '/dev/null']);
    else if (res.name.startsWith('trace screen')) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--drain', file, '200000'], { encoding: 'utf8' }).trim().split(' ');
      m = { secs: Number(out[1]), cpu: Number(out[3]), rssKB: Number(out[2]) };
    } else m = timeTui(file);
    res.runs.push(m);
  }
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`\n(load average at the end: ${load}; lines per CPU second is what another engineer's test run changes least)`);
console.log(`${'reader'.padEnd(36)} ${'lines/s'.padStart(10)} ${'lines/cpu-s'.padStart(12)} ${'seconds'.padStart(8)} ${'peak RSS'.padStart(9)}`);
for (const res of results) {
  const s = median(res.runs.map((r) => r.secs));
  const cpu = median(res.runs.map((r) => r.cpu));
  const perCpu = Number.isNaN(cpu) ? '-' : Math.round(lines / cpu).toLocaleString('en-US');
  console.log(
    `${res.name.padEnd(36)} ${Math.round(lines / s).toLocaleString('en-US').padStart(10)} ${perCpu.padStart(12)} ${s.toFixed(2).padStart(8)} ${`${Math.round(median(res.runs.map((r) => r.rssKB)) / 1024)} MB`.padStart(9)}${res.note ? `   (${res.note})` : ''}`,
  );
}
