// Samples the meters (meters.ts) once a second into the store, off the render path, while the
// trace screen of a live trace is shown.
import { useEffect } from 'react';
import type { Tracer } from '../engine/types.js';
import { MeterSampler } from './meters.js';
import type { TraceStore } from './store.js';

export const METER_INTERVAL_MS = 1000;

export function useMeters(store: TraceStore, tracer: Tracer | null, intervalMs = METER_INTERVAL_MS): void {
  useEffect(() => {
    if (!tracer) return;
    const sampler = new MeterSampler(tracer);
    const sample = () => {
      const s = store.getState();
      store.setState({ meters: sampler.sample(s.threads, (pid) => s.history.threads.get(pid)?.comm ?? '') });
    };
    sample(); // a first look now (rates need a second one)
    const timer = setInterval(sample, intervalMs);
    return () => clearInterval(timer);
  }, [store, tracer, intervalMs]);
}
