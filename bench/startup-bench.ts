// Start-up (issue 10): how long `--plain` takes to reach the traced command's first instruction,
// next to node's own start-up and strace's, and what a whole short trace costs (exit included).
//   node      spawn -> the first line of a script (`node -e`): node's own start-up
//   --plain   spawn -> the first instruction of the command (bench/fixtures/stamp.c, static, reads
//             CLOCK_MONOTONIC first thing), with -e trace=none and with a full trace; and with
//             trace=none through the launcher users run (bin/systrace-tui.js: sh, then node)
//   strace    the same under the system strace
//   whole     spawn -> exit of `-e trace=openat -o /dev/null -- /bin/true`, and of `node -e 0`
// Each variant also reports the CPU time it used (user + system, bench/fixtures/cputime.c): on a
// loaded machine wall times mostly measure the wait for a CPU, CPU times what start-up costs.
// Rounds are interleaved (each round runs every variant once) and the figures are medians; the
// TUI's start-up (the picker on screen) is in footprint-bench.ts. Not a test: it asserts nothing.
// --base PATH adds --plain's variants run by another build (its dist/src/cli.cjs) to the same rounds:
// a before/after on a shared machine.
// Usage: node dist/bench/startup-bench.js [--rounds 20] [--cli PATH] [--base PATH]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { arg, argText, benchTool, cliPath, fmt, median } from './lib.js';

const CLI = cliPath();
const ROUNDS = arg('rounds', 20);
const BASE = argText('base', '');
const stamp = benchTool('stamp', ['-static']);
const cputime = benchTool('cputime');
const dir = mkdtempSync(join(tmpdir(), 'systrace-startup-'));
const file = join(dir, 'stamp');
/** The launcher (package.json's bin) of the build whose dist/src/cli.cjs (or older cli.js) is `cli`. */
const launcherOf = (cli: string): string => join(dirname(dirname(dirname(cli))), 'bin', 'systrace-tui.js');

/** ms from spawning argv to the moment the stamp (or node's first line) was written, to its exit, and its CPU time. */
function run(argv: string[]): { reach: number; exit: number; cpu: number } {
  rmSync(file, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cputime, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const t1 = process.hrtime.bigint();
  if (r.status !== 0) throw new Error(`startup-bench: ${argv.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  let reach = NaN;
  try {
    reach = Number(BigInt(readFileSync(file, 'utf8').trim()) - t0) / 1e6;
  } catch {
    // this variant writes no stamp
  }
  const cpu = Number(/cputime: (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000;
  return { reach, exit: Number(t1 - t0) / 1e6, cpu };
}

const variants: Record<string, string[]> = {
  node: [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(file)}, String(process.hrtime.bigint()))`],
  'plain, trace=none': [process.execPath, CLI, '--plain', '-e', 'trace=none', '-o', '/dev/null', '--', stamp, file],
  'plain, full trace': [process.execPath, CLI, '--plain', '-o', '/dev/null', '--', stamp, file],
  'plain, launcher, trace=none': [launcherOf(CLI), '--plain', '-e', 'trace=none', '-o', '/dev/null', '--', stamp, file],
  'strace, trace=none': ['strace', '-e', 'trace=none', '-o', '/dev/null', '--', stamp, file],
  'strace, full trace': ['strace', '-o', '/dev/null', '--', stamp, file],
  'whole: node -e 0': [process.execPath, '-e', '0'],
  'whole: plain /bin/true': [process.execPath, CLI, '--plain', '-e', 'trace=openat', '-o', '/dev/null', '--', '/bin/true'],
  'whole: strace /bin/true': ['strace', '-e', 'trace=openat', '-o', '/dev/null', '--', '/bin/true'],
};
if (BASE) {
  for (const name of Object.keys(variants).filter((k) => k.includes('plain'))) {
    variants[`base ${name}`] = variants[name].map((a) => (a === CLI ? BASE : a === launcherOf(CLI) ? launcherOf(BASE) : a));
  }
}

try {
  const names = Object.keys(variants);
  const reach = new Map<string, number[]>(names.map((k) => [k, []]));
  const exit = new Map<string, number[]>(names.map((k) => [k, []]));
  const cpu = new Map<string, number[]>(names.map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, argv] of Object.entries(variants)) {
      const t = run(argv);
      reach.get(name)!.push(t.reach);
      exit.get(name)!.push(t.exit);
      cpu.get(name)!.push(t.cpu);
    }
  }
  console.log(`startup-bench: ${CLI}${BASE ? ` (base: ${BASE})` : ''}, ${ROUNDS} interleaved rounds, medians (min) in ms; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
  const m = (xs: number[]) => `${fmt(median(xs), 1)} (${fmt(Math.min(...xs), 1)})`;
  for (const name of names) {
    const first = reach.get(name)!;
    const what = Number.isNaN(first[0]) ? '' : `reaches the command's first instruction after ${m(first)}, `;
    console.log(`  ${name.padEnd(Math.max(...names.map((n) => n.length)))} ${what}exits after ${m(exit.get(name)!)}; CPU ${m(cpu.get(name)!)}`);
  }
  const above = (name: string, base: string, of: Map<string, number[]>) => fmt(median(of.get(name)!) - median(of.get(base)!), 1);
  for (const base of BASE ? ['', 'base '] : ['']) {
    console.log(
      `${base}--plain, trace=none, above node's own start-up: reaching the command ${above(`${base}plain, trace=none`, 'node', reach)} ms` +
        ` by medians, ${fmt(Math.min(...reach.get(`${base}plain, trace=none`)!) - Math.min(...reach.get('node')!), 1)} by minima (target <= 20);` +
        ` CPU of a whole /bin/true trace above node -e 0: ${above(`${base}whole: plain /bin/true`, 'whole: node -e 0', cpu)} ms`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
