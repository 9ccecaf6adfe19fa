// The one place the UI reads the engine: every ~33 ms take what the tracer buffered and turn it
// into ONE store update. Counters are polled only while their table is open, and less often.
import { useEffect } from 'react';
import type { Tracer } from '../engine/types.js';
import { counterScope, ingest, type TraceStore } from './store.js';

// 10 batches a second: rows still follow live, and rendering (Ink re-lays-out and re-styles every
// visible row per commit) costs a third of what 30 would, CPU the tracer needs on a small machine.
export const DRAIN_INTERVAL_MS = 100;
const DRAIN_MAX = 65536; // per tick; a backlog is taken over the next ticks
const RATE_WINDOW_MS = 1000;
const COUNTER_EVERY_MS = 250;

export function useDrainLoop(tracer: Tracer | null, store: TraceStore, intervalMs = DRAIN_INTERVAL_MS): void {
  useEffect(() => {
    if (!tracer) return;
    const samples: { at: number; total: number }[] = [];
    let lastCounters = 0;
    let lastTotal = -1;
    let lastTick = 0;
    const tick = () => {
      const now = performance.now();
      let batch;
      let stats;
      let threads;
      try {
        batch = tracer.drainBatch(DRAIN_MAX);
        stats = tracer.stats();
        threads = tracer.threads();
      } catch (err) {
        store.setState({ message: `engine error: ${(err as Error).message}` });
        return;
      }
      samples.push({ at: now, total: stats.total });
      while (samples.length > 2 && now - samples[0].at > RATE_WINDOW_MS) samples.shift();
      const first = samples[0];
      const rate = now > first.at ? ((stats.total - first.total) * 1000) / (now - first.at) : 0;
      const s = store.getState();
      let counters;
      if (s.overlay === 'counters' && now - lastCounters >= COUNTER_EVERY_MS) {
        lastCounters = now;
        try {
          counters = tracer.counters(counterScope(s));
        } catch {
          counters = undefined;
        }
      }
      // Nothing new: still refresh the status bar (rate, threads) twice a second.
      const drained = batch.count + batch.others.length;
      if (!drained && !counters && stats.total === lastTotal && now - lastTick < 500) return;
      lastTotal = stats.total;
      lastTick = now;
      ingest(store, {
        batch,
        stats,
        threads,
        enginePaused: tracer.paused,
        done: tracer.done,
        rate: Math.max(0, rate),
        counters,
      });
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [tracer, store, intervalMs]);
}
