// Test helpers for the TUI: synthetic events (the UI's input is just data), a Tracer that serves
// them, and "press keys, wait for a frame containing X" over ink-testing-library.
import { render } from 'ink-testing-library';
import { createElement, type ReactElement } from 'react';
import { KeyRoot } from '../../src/ui/KeyRoot.js';
import { KeyLayers } from '../../src/ui/key-layers.js';
import type { CounterRow, EngineStats, SyscallEvent, ThreadState, TraceBatch, TraceEvent, Tracer } from '../../src/engine/types.js';
import { batchFromEvents } from '../../src/engine/trace-batch.js';
import { SyscallClass } from '../../src/engine/types.js';

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  space: ' ',
  ctrl: (c: string) => String.fromCharCode(c.toLowerCase().charCodeAt(0) - 96),
  /** function key N as xterm sends it */
  f: (n: number) => (n <= 4 ? `\x1bO${'PQRS'[n - 1]}` : `\x1b[${{ 5: 15, 6: 17, 7: 18, 8: 19, 9: 20, 10: 21, 11: 23, 12: 24 }[n]}~`),
  /** a left click at 0-based column x, row y (SGR mouse report: press, then release) */
  click: (x: number, y: number) => `\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`,
  wheelUp: (x: number, y: number) => `\x1b[<64;${x + 1};${y + 1}M`,
  wheelDown: (x: number, y: number) => `\x1b[<65;${x + 1};${y + 1}M`,
};

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
export const plain = (s: string | undefined) => (s ?? '').replace(ANSI, '');

export type Rendered = ReturnType<typeof render> & { layers: KeyLayers };

/** Renders under a KeyRoot, as runTui does. */
export function mount(tree: ReactElement): Rendered {
  const layers = new KeyLayers();
  return Object.assign(render(createElement(KeyRoot, { layers, children: tree })), { layers });
}

export function remount(r: Rendered, tree: ReactElement): void {
  r.rerender(createElement(KeyRoot, { layers: r.layers, children: tree }));
}

/** Resolves with the first frame (ANSI stripped) for which `test` holds; rejects with the last frame. */
export async function waitForFrame(r: Rendered, test: string | RegExp | ((frame: string) => boolean), timeoutMs = 10000): Promise<string> {
  const ok = typeof test === 'string' ? (f: string) => f.includes(test) : test instanceof RegExp ? (f: string) => test.test(f) : test;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = plain(r.lastFrame());
    if (ok(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(test)}; last frame:\n${frame}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

/**
 * Writes keys one at a time, each once the previous one was handled and its render committed: a
 * lone Esc reaches the app on the next setImmediate (Ink waits to see whether a sequence follows),
 * then the key layers say when the key and its frame are done. No fixed wait: on a loaded machine
 * this takes as long as it takes.
 */
export async function press(r: Rendered, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    r.stdin.write(k);
    await new Promise((res) => setImmediate(res));
    await r.layers.whenIdle();
  }
}

// Rows are stamped on the engine's clock (CLOCK_MONOTONIC, as hrtime), and never in the past: the
// trace screen counts a thread with a call in the last seconds as busy.
let clockNs = Number(process.hrtime.bigint());

// A syscall number per name, as the engine would give (a name always has the same number, which
// batchFromEvents checks): x86_64's for the common ones, made-up ones for the rest.
const NR: Record<string, number> = { read: 0, write: 1, close: 3, openat: 257, connect: 42, futex: 202, nanosleep: 35 };
let nextNr = 10_000;
const nrOf = (name: string) => (NR[name] ??= nextNr++);

export function sys(tid: number, name: string, text: string, opts: Partial<SyscallEvent> = {}): SyscallEvent {
  clockNs = Math.max(clockNs + 1_000_000, Number(process.hrtime.bigint()));
  const errno = opts.errno ?? '';
  return {
    kind: 'syscall',
    pid: opts.pid ?? tid,
    tid,
    nr: opts.nr ?? nrOf(name),
    name,
    classes: opts.classes ?? 0,
    text,
    rval: opts.rval ?? (errno ? -2 : 0),
    errno,
    entryNs: opts.entryNs ?? clockNs,
    exitNs: opts.exitNs ?? clockNs + 12_000,
    wallUs: 1_700_000_000_000_000 + clockNs / 1000,
    args: opts.args ?? [],
    unfinished: opts.unfinished ?? false,
  };
}

export const openat = (tid: number, path: string, pid = tid) =>
  sys(tid, 'openat', `openat(AT_FDCWD, "${path}", O_RDONLY) = 3`, { pid, classes: SyscallClass.file | SyscallClass.desc, rval: 3, nr: 257 });
export const openatFail = (tid: number, path: string, pid = tid) =>
  sys(tid, 'openat', `openat(AT_FDCWD, "${path}", O_RDONLY) = -1 ENOENT (No such file or directory)`, {
    pid,
    classes: SyscallClass.file | SyscallClass.desc,
    rval: -2,
    errno: 'ENOENT',
    nr: 257,
    args: [0xffffff9cn, 0x7ffd1234n, 0n, 0n, 0n, 0n],
  });
export const readCall = (tid: number, n: number, pid = tid) =>
  sys(tid, 'read', `read(3, "abc\\n", 4096) = ${n}`, { pid, classes: SyscallClass.desc, rval: n, nr: 0 });
export const connectCall = (tid: number, pid = tid) =>
  sys(tid, 'connect', 'connect(4, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0', {
    pid,
    classes: SyscallClass.network | SyscallClass.desc,
    nr: 42,
  });

/** A Tracer over synthetic events: push() queues them, drain() hands them out, calls are recorded. */
export class FakeTracer implements Tracer {
  queue: TraceEvent[] = [];
  calls: string[] = [];
  counterRows: CounterRow[] = [];
  threadList: ThreadState[] = [];
  total = 0;
  paused = false;
  launchedPid = 0;
  done = false;
  detached = false;
  push(...evs: TraceEvent[]): void {
    this.queue.push(...evs);
    this.total += evs.length;
    for (const e of evs) {
      if (!this.threadList.some((t) => t.tid === e.tid)) {
        this.threadList.push({ pid: e.pid, tid: e.tid, inSyscall: false, nr: 0, entryText: '', entryNs: 0, paused: false, groupStopped: false });
      }
    }
  }
  drain(max = Infinity): TraceEvent[] {
    return this.queue.splice(0, Math.min(max, this.queue.length));
  }
  drainBatch(max = Infinity): TraceBatch {
    return batchFromEvents(this.drain(max));
  }
  threads(): ThreadState[] {
    return this.threadList.map((t) => ({ ...t, paused: this.paused }));
  }
  stats(): EngineStats {
    const pids = new Set(this.threadList.map((t) => t.pid));
    return { processes: pids.size, threads: this.threadList.length, total: this.total, heldMs: 0, pending: this.queue.length };
  }
  counters(scope?: { pid?: number; tid?: number }): CounterRow[] {
    this.calls.push(`counters ${JSON.stringify(scope ?? {})}`);
    return this.counterRows;
  }
  resetCounters(): void {
    this.calls.push('resetCounters');
    this.counterRows = [];
  }
  pause(): void {
    this.calls.push('pause');
    this.paused = true;
  }
  resume(): void {
    this.calls.push('resume');
    this.paused = false;
  }
  attach(pid: number): void {
    this.calls.push(`attach ${pid}`);
  }
  detach(): void {
    this.calls.push('detach');
    this.detached = true;
  }
}
