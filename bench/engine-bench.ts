// The engine's cost per ptrace stop next to the ptrace floor (a tracer that decodes nothing) and the
// system strace, on the sysloop workload. Not a test: it asserts nothing and prints figures.
//
//   npm run bench -- [--n 10000] [--rounds 5]
//
// Each round runs every variant once, in turn, so the drift of a shared machine hits them alike;
// ratios are taken round by round and the summary shows medians. Stops are counted by the floor
// itself (it prints "floor: N syscall stops"); the cost per stop of a variant is its time above the
// untraced run divided by that count, and "engine" is what we add on top of the floor.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found');
    dir = up;
  }
  return dir;
}

const root = findRoot();
// floor.c and sysloop.c live in the shared folder beside the checkout (BENCH_SRC overrides).
function findShared(): string {
  for (const d of [process.env.BENCH_SRC, resolve(root, '..', 'shared', 'bench'), '/work/shared/bench']) {
    if (d !== undefined && existsSync(join(d, 'floor.c'))) return d;
  }
  throw new Error('engine-bench: floor.c not found in ../shared/bench (set BENCH_SRC)');
}
const shared = findShared();
const outDir = join(root, 'build', 'bench');
const cli = join(root, 'dist', 'src', 'cli.cjs');

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : dflt;
}
const N = arg('--n', 10000);
const ROUNDS = arg('--rounds', 5);

function build(name: string): string {
  const src = join(shared, `${name}.c`);
  const exe = join(outDir, name);
  if (!existsSync(exe) || statSync(exe).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(outDir, { recursive: true });
    execFileSync('gcc', ['-O2', '-o', exe, src], { stdio: 'inherit' });
  }
  return exe;
}

const sysloop = build('sysloop');
const floor = build('floor');
const work = [sysloop, String(N)];

interface Variant {
  name: string;
  argv: string[];
}
const variants: Variant[] = [
  { name: 'untraced', argv: work },
  { name: 'floor', argv: [floor, ...work] },
  { name: 'plain', argv: [process.execPath, cli, '--plain', '-o', '/dev/null', '--', ...work] },
  { name: 'plain -c', argv: [process.execPath, cli, '--plain', '-c', '-o', '/dev/null', '--', ...work] },
  { name: 'strace', argv: ['strace', '-o', '/dev/null', ...work] },
  // What node and the CLI cost before tracing anything, to read the plain figures against.
  { name: 'cli startup', argv: [process.execPath, cli, '--version'] },
];

function timed(v: Variant): { s: number; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(v.argv[0], v.argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${v.name} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return { s, stderr: r.stderr };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const us = (s: number): string => `${(s * 1e6).toFixed(1)} us`;
const fmt = (s: number): string => `${s.toFixed(3)} s`;

console.log(`engine-bench: sysloop ${N} (read+write per round, open+close every 100), ${ROUNDS} rounds`);
const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
const ratios = { plainStrace: [] as number[], plainFloor: [] as number[], countStrace: [] as number[], straceFloor: [] as number[] };
const perStop = { floor: [] as number[], plain: [] as number[], count: [] as number[], strace: [] as number[], engine: [] as number[] };
let stops = 0;

for (let round = 1; round <= ROUNDS; round++) {
  const t: Record<string, number> = {};
  for (const v of variants) {
    const r = timed(v);
    t[v.name] = r.s;
    times.get(v.name)!.push(r.s);
    if (v.name === 'floor') stops = Number(/floor: (\d+) syscall stops/.exec(r.stderr)?.[1] ?? 0);
  }
  const base = t.untraced;
  const per = (name: string): number => (t[name] - base) / stops;
  ratios.plainStrace.push(t.plain / t.strace);
  ratios.plainFloor.push(t.plain / t.floor);
  ratios.countStrace.push(t['plain -c'] / t.strace);
  ratios.straceFloor.push(t.strace / t.floor);
  perStop.floor.push(per('floor'));
  perStop.plain.push(per('plain'));
  perStop.count.push(per('plain -c'));
  perStop.strace.push(per('strace'));
  perStop.engine.push((t.plain - t.floor) / stops);
  console.log(
    `round ${round}: ` +
      variants.map((v) => `${v.name} ${fmt(t[v.name])}`).join(', ') +
      ` | plain/strace ${(t.plain / t.strace).toFixed(2)}, plain/floor ${(t.plain / t.floor).toFixed(2)}, -c/strace ${(t['plain -c'] / t.strace).toFixed(2)}`,
  );
}

console.log(`\nmedians over ${ROUNDS} rounds (${stops} syscall stops per traced run):`);
for (const v of variants) console.log(`  ${v.name.padEnd(12)} ${fmt(median(times.get(v.name)!))}`);
console.log('cost per stop, above the untraced run:');
console.log(`  floor        ${us(median(perStop.floor))}`);
console.log(`  plain        ${us(median(perStop.plain))}`);
console.log(`  plain -c     ${us(median(perStop.count))}`);
console.log(`  strace       ${us(median(perStop.strace))}`);
console.log(`  engine       ${us(median(perStop.engine))}  (plain above the floor, cli startup included)`);
console.log('ratios (median of round-by-round ratios):');
console.log(`  plain/floor     ${median(ratios.plainFloor).toFixed(2)}`);
console.log(`  strace/floor    ${median(ratios.straceFloor).toFixed(2)}`);
console.log(`  plain -c/strace ${median(ratios.countStrace).toFixed(2)}`);
console.log(`plain/strace ${median(ratios.plainStrace).toFixed(2)}`);
