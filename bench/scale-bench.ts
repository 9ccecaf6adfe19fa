// Scale (issue 10), against the system strace, in interleaved rounds (medians):
//   attach   `--plain -f -p PID -o /dev/null` to a process of 1,000 and of 10,000 threads (blocked
//            in futex waits): from spawn until the tracer says "attached with N threads", and from
//            SIGINT until it exited (every thread detached). Our figures include node's start-up,
//            shown apart.
//   make     a 60-file `make -j2` build from scratch under -f, against the same build untraced and
//            under `strace -f` (ratios taken round by round).
// Not a test: it asserts nothing and prints figures. Usage:
//   node dist/bench/scale-bench.js [--rounds 3] [--threads 1000,10000] [--files 60] [--cli PATH]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, argText, benchTool, cliPath, fmt, median } from './lib.js';

const CLI = cliPath();
const ROUNDS = arg('rounds', 3);
const THREADS = argText('threads', '1000,10000').split(',').map(Number);
const FILES = arg('files', 60);
const dir = mkdtempSync(join(tmpdir(), 'systrace-scale-'));

/** Starts `threads N` and resolves with its pid once every thread exists. */
function startThreads(n: number): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(benchTool('threads', ['-pthread']), [String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) resolve({ pid: child.pid!, stop: () => child.kill('SIGKILL') });
    });
    child.once('exit', (code) => reject(new Error(`scale-bench: threads ${n} exited (${code})`)));
  });
}

/** ms from spawn until the tracer's stderr says it attached, and from SIGINT until it exited. */
function attachDetach(argv: string[]): Promise<{ attach: number; detach: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tracer = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let attach = 0;
    let t1 = 0;
    tracer.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (!attach && /attached with \d+ threads/.test(err)) {
        attach = performance.now() - t0;
        t1 = performance.now();
        tracer.kill('SIGINT');
      }
    });
    tracer.once('exit', () => (attach ? resolve({ attach, detach: performance.now() - t1 }) : reject(new Error(`scale-bench: ${argv.join(' ')}: ${err}`))));
  });
}

function nodeStartup(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

async function attach(): Promise<void> {
  for (const n of THREADS) {
    const ours = { attach: [] as number[], detach: [] as number[] };
    const theirs = { attach: [] as number[], detach: [] as number[] };
    const node: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t = await startThreads(n);
      try {
        const a = await attachDetach([process.execPath, CLI, '--plain', '-f', '-p', String(t.pid), '-o', '/dev/null']);
        ours.attach.push(a.attach);
        ours.detach.push(a.detach);
        const s = await attachDetach(['strace', '-f', '-p', String(t.pid), '-o', '/dev/null']);
        theirs.attach.push(s.attach);
        theirs.detach.push(s.detach);
        node.push(nodeStartup());
      } finally {
        t.stop();
      }
    }
    console.log(
      `attach to ${fmt(n)} threads: ours ${fmt(median(ours.attach))} ms (node's start-up alone ${fmt(median(node))} ms), strace ${fmt(median(theirs.attach))} ms;` +
        ` detach: ours ${fmt(median(ours.detach))} ms, strace ${fmt(median(theirs.detach))} ms (medians of ${ROUNDS})`,
    );
  }
}

/** A project of FILES small C files and a Makefile that builds and links them. */
function project(): string {
  const p = join(dir, 'project');
  execFileSync('mkdir', ['-p', p]);
  const objs: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const body = Array.from({ length: 20 }, (_, k) => `int f${i}_${k}(int x) { int s = 0; for (int j = 0; j < x; j++) s += j * ${k + 1} ^ ${i}; return s; }`).join('\n');
    writeFileSync(join(p, `u${i}.c`), `#include <stdio.h>\n${body}\nint run${i}(void) { return f${i}_0(${i}); }\n`);
    objs.push(`u${i}.o`);
  }
  const calls = Array.from({ length: FILES }, (_, i) => `run${i}()`).join(' + ');
  const decls = Array.from({ length: FILES }, (_, i) => `int run${i}(void);`).join('\n');
  writeFileSync(join(p, 'main.c'), `#include <stdio.h>\n${decls}\nint main(void) { printf("%d\\n", ${calls}); return 0; }\n`);
  writeFileSync(join(p, 'Makefile'), `prog: main.o ${objs.join(' ')}\n\tcc -o $@ $^\n%.o: %.c\n\tcc -O1 -c -o $@ $<\nclean:\n\trm -f prog *.o\n`);
  return p;
}

function timedMake(p: string, prefix: string[]): number {
  spawnSync('make', ['-s', '-C', p, 'clean'], { stdio: 'ignore' });
  const argv = [...prefix, 'make', '-s', '-j2', '-C', p];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scale-bench: ${argv.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t0;
}

function make(): void {
  const p = project();
  const bare: number[] = [];
  const ours: number[] = [];
  const theirs: number[] = [];
  const ratio: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(timedMake(p, []));
    ours.push(timedMake(p, [process.execPath, CLI, '--plain', '-f', '-o', '/dev/null', '--']));
    theirs.push(timedMake(p, ['strace', '-f', '-o', '/dev/null', '--']));
    ratio.push(ours[r] / theirs[r]);
  }
  const s = (xs: number[]) => `${fmt(median(xs) / 1000, 2)} s`;
  console.log(
    `make -j2 of ${FILES} files: untraced ${s(bare)}, ours -f ${s(ours)}, strace -f ${s(theirs)}; ours/strace ${median(ratio).toFixed(2)}x` +
      ` (${ratio.map((x) => x.toFixed(2)).join(', ')}), strace/untraced ${(median(theirs) / median(bare)).toFixed(2)}x`,
  );
}

async function main(): Promise<void> {
  console.log(`scale-bench: ${CLI}, ${ROUNDS} interleaved rounds; load average ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0]}`);
  try {
    await attach();
    make();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
