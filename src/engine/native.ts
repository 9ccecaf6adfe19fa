// The raw binding (build/Release/systrace.node) and its types. Only session.ts, the plain runner and
// the table helpers use it; everything else goes through TraceSession.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceBatch } from './types.js';

export interface NativeOptions {
  followForks?: boolean;
  bufferCap?: number;
  records?: boolean;
  text?: boolean;
  outPath?: string;
  outputSeparately?: boolean;
  append?: boolean;
  tflag?: number;
  rflag?: boolean;
  Tflag?: boolean;
  count?: boolean;
  countOnly?: boolean;
  wallTime?: boolean;
  traced?: Uint8Array;
  statusMask?: number;
  signalsShown?: Uint8Array;
  quiet?: number;
  paths?: string[];
  seccomp?: boolean;
  pidPrefix?: boolean;
  acolumn?: number;
  strsize?: number;
  xflag?: number;
  verbose?: boolean;
  yflag?: number;
  raw?: boolean;
}

export interface NativeCounter {
  pid: number;
  tid: number;
  nr: number;
  name: string;
  calls: number;
  errors: number;
  timeNs: number;
  minNs: number;
  maxNs: number;
}

export interface NativeStats {
  processes: number;
  threads: number;
  total: number;
  dropped: number;
  pending: number;
  done: boolean;
  paused: boolean;
}

export interface NativeEngine {
  launch(file: string, argv: string[], envp: string[], stdio?: [number, number, number]): number;
  attach(pid: number): number[];
  pause(): void;
  resume(): void;
  detach(): void;
  shutdown(): void;
  drain(max?: number): Array<Record<string, unknown>>;
  /** A TraceBatch without its two look-ups, which TraceSession adds. */
  drainBatch(max?: number): Omit<TraceBatch, 'syscallName' | 'errnoName'>;
  threads(): Array<{ pid: number; tid: number; inSyscall: boolean; nr: number; entryText: string; entryNs: number; entryRestarted: boolean; paused: boolean; groupStopped: boolean }>;
  stats(): NativeStats;
  counters(): NativeCounter[];
  resetCounters(): void;
  launchedExit(): { exited: boolean; code: number; signo: number; core: boolean };
  writeText(text: string): void;
}

export interface SyscallInfo {
  name: string;
  nargs: number;
  classes: number;
}

interface Binding {
  Engine: new (opts: NativeOptions) => NativeEngine;
  syscallTable(): SyscallInfo[];
  errnoName(n: number): string | null;
  errnoText(n: number): string | null;
  signalName(n: number): string;
  formatCall(pid: number, tid: number, nr: number, args: bigint[], opts?: { strsize?: number; yflag?: number; verbose?: boolean }): string;
}

/** An error thrown by the binding: `errno` and `code` (ENOENT...) say what the kernel answered. */
export interface NativeError extends Error {
  errno?: number;
  code?: string;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let binding: Binding | undefined;

export function native(): Binding {
  if (!binding) {
    const require = createRequire(import.meta.url);
    binding = require(path.join(root, 'build/Release/systrace.node')) as Binding;
  }
  return binding;
}

let table: SyscallInfo[] | undefined;
/** Every syscall by number, from the tables generated out of this machine's headers. */
export function syscallTable(): SyscallInfo[] {
  table ??= native().syscallTable();
  return table;
}

let names: string[] | undefined;
/** A syscall's name by number, as the engine names it (unknown numbers as strace prints them: syscall_0x1c8). */
export function syscallName(nr: number): string {
  names ??= syscallTable().map((e) => e.name);
  return names[nr] ?? `syscall_0x${BigInt.asUintN(64, BigInt(nr)).toString(16)}`;
}

// errno values run 1..4095 (the kernel's MAX_ERRNO); names are looked up once each.
const errnoNames: (string | undefined)[] = [''];
/** An errno's name (ENOENT), '' for 0 and for a number without one (as the engine's drain() gives it). */
export function errnoName(err: number): string {
  let name = errnoNames[err];
  if (name === undefined) {
    name = (err > 0 && err < 4096 ? native().errnoName(err) : null) ?? '';
    if (err > 0 && err < 4096) errnoNames[err] = name;
  }
  return name;
}
