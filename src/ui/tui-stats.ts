// Opt-in self-measurement for bench/tui-bench.ts. Only when SYSTRACE_TUI_STATS=/path is set does
// runTui call this: it counts the frames Ink writes to stdout and, once a second, appends one JSON
// line (TuiStatsSample: frames/s, memory, the engine's counters) to that file. Unset, nothing
// here runs (no wrapper, no timer), so the TUI pays nothing for it.
import fs from 'node:fs';
import type { EngineStats } from '../engine/types.js';

export const TUI_STATS_ENV = 'SYSTRACE_TUI_STATS';

// Ink brackets each frame with "begin/end synchronized update" writes; a frame is the write between.
const SYNC_MARKS = new Set(['\x1b[?2026h', '\x1b[?2026l']);

export interface TuiStatsSample {
  /** ms since the stats started */
  t: number;
  /** stdout writes per second, not counting the synchronized-update marks (one per frame) */
  fps: number;
  /** kilobytes written to the terminal per second */
  kbps: number;
  rssMB: number;
  /** V8 heap in use, and reserved (heapTotal, which is what RSS sees); external = ArrayBuffers, addon */
  heapMB: number;
  heapTotalMB: number;
  externalMB: number;
  /** the engine's counters: records produced, ms the tracees were held (buffer full), records waiting to be drained */
  total: number;
  heldMs: number;
  pending: number;
}

/** Starts counting; returns the function that stops it and restores stdout.write. */
export function startTuiStats(file: string, stdout: NodeJS.WriteStream, engineStats: () => EngineStats | null): () => void {
  let frames = 0;
  let bytes = 0;
  const write = stdout.write;
  // Counting happens where Ink writes a frame, never per event.
  stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string' ? !SYNC_MARKS.has(chunk) : true) {
      frames++;
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
    }
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stdout.write;
  const start = performance.now();
  let last = start;
  const timer = setInterval(() => {
    const now = performance.now();
    const secs = (now - last) / 1000;
    last = now;
    let st: EngineStats | null = null;
    try {
      st = engineStats();
    } catch {
      // the trace may be gone
    }
    const mem = process.memoryUsage();
    const sample: TuiStatsSample = {
      t: Math.round(now - start),
      fps: frames / secs,
      kbps: bytes / 1024 / secs,
      rssMB: mem.rss / 2 ** 20,
      heapMB: mem.heapUsed / 2 ** 20,
      heapTotalMB: mem.heapTotal / 2 ** 20,
      externalMB: mem.external / 2 ** 20,
      total: st?.total ?? 0,
      heldMs: st?.heldMs ?? 0,
      pending: st?.pending ?? 0,
    };
    frames = 0;
    bytes = 0;
    try {
      fs.appendFileSync(file, JSON.stringify(sample) + '\n');
    } catch {
      // a benchmark aid: never disturb the TUI
    }
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    stdout.write = write;
  };
}
