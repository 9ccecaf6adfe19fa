// Opt-in self-measurement for bench/tui-bench.ts and bench/footprint-bench.ts. Only when
// SYSTRACE_TUI_STATS=/path is set does runTui call this: it counts the frames written to the
// terminal, times keys from their read to the frame that shows them, watches the event loop's
// delay, and once a second appends one JSON line (TuiStatsSample) to that file. Unset, nothing
// here runs (no wrapper, no listener, no timer), so the TUI pays nothing for it.
//
// A key's time (`keys`): from the moment its bytes are readable on stdin (our 'readable' listener
// goes in before Ink's, which reads them and dispatches the key in the same turn) to the end of
// the terminal write of the first frame Ink laid out after that. A frame laid out after the read
// holds the key's effect: Ink commits a key's update synchronously, in that same dispatch. What
// this leaves out is the terminal's side (tmux reading the pty and drawing), which a benchmark
// polling `tmux capture-pane` adds, with its own polling interval on top.
import fs from 'node:fs';
import type { EventEmitter } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
  /** ms from each key's read to the end of the write of the frame that shows it, for the keys
   *  whose frame went out in this second */
  keys: number[];
  /** the event loop's delay over this second (ms): its largest, and its 99th percentile */
  loopMaxMs: number;
  loopP99Ms: number;
  /** ms from the process's start to the end of the write of the first frame (as node counts
   *  from its start: performance.now()) */
  firstFrameMs: number;
  /** CPU time (user + system) the process had used when that frame was written, in ms */
  firstFrameCpuMs: number;
}

export interface TuiStatsStreams {
  /** the terminal */
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** what Ink renders into: emits 'frame' for each frame Ink laid out (ink-output.ts) */
  frames: EventEmitter;
}

/** Starts counting; returns the function that stops it and restores stdout.write. */
export function startTuiStats(file: string, io: TuiStatsStreams, engineStats: () => EngineStats | null): () => void {
  const { stdin, stdout } = io;
  let frames = 0;
  let bytes = 0;
  // Keys read and not yet laid out; laid out and not yet written; their times once written.
  let unseen: number[] = [];
  let laidOut: number[] = [];
  let keys: number[] = [];
  let firstFrameMs = 0;
  let firstFrameCpuMs = 0;
  const onReadable = () => unseen.push(performance.now());
  const onFrame = () => {
    if (!unseen.length) return;
    laidOut = laidOut.concat(unseen);
    unseen = [];
  };
  stdin.prependListener('readable', onReadable);
  io.frames.on('frame', onFrame);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const write = stdout.write;
  // Counting happens where a frame is written, never per event.
  stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    const frame = typeof chunk === 'string' ? !SYNC_MARKS.has(chunk) : true;
    if (frame) {
      frames++;
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
    }
    const ok = (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    if (frame && !firstFrameMs) {
      firstFrameMs = performance.now();
      const cpu = process.cpuUsage();
      firstFrameCpuMs = (cpu.user + cpu.system) / 1000;
    }
    if (frame && laidOut.length) {
      const now = performance.now();
      for (const at of laidOut) keys.push(now - at);
      laidOut = [];
    }
    return ok;
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
      keys: keys.map((k) => Math.round(k * 10) / 10),
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      firstFrameMs: Math.round(firstFrameMs * 10) / 10,
      firstFrameCpuMs: Math.round(firstFrameCpuMs * 10) / 10,
    };
    frames = 0;
    bytes = 0;
    keys = [];
    loop.reset();
    try {
      fs.appendFileSync(file, JSON.stringify(sample) + '\n');
    } catch {
      // a benchmark aid: never disturb the TUI
    }
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    loop.disable();
    stdin.off('readable', onReadable);
    io.frames.off('frame', onFrame);
    stdout.write = write;
  };
}
