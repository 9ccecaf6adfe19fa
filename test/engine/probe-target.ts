// Checks for the prober tests (test/engine/probe.test.ts), run in the prober's child.
import { statSync } from 'node:fs';

export function echo(x: unknown): unknown {
  return x;
}

/** Blocks the child's only thread, as a stat on a hung mount would. */
export function block(ms: number): string {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return 'woke';
}

export function stat(path: string): number {
  return statSync(path).size;
}
