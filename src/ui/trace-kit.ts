// The trace side of the TUI: the trace screen, its store, the drain loop that fills it and the live
// analysis. The picker's first frame needs none of it: App loads it once that frame is out (or
// before it, when the TUI opens on a trace: loadTraceKit in App.tsx).
import { Analyzer } from '../analysis/analyzer.js';
import { LiveEvidence } from '../analysis/live/evidence.js';
import type { TraceSource, Tracer } from '../engine/types.js';
import type { TraceStore } from './store.js';
import { useDrainLoop } from './use-drain-loop.js';

export { createTraceStore } from './store.js';
export { TraceScreen } from './TraceScreen.js';

/** A live trace's analysis gathers evidence from the live system (a log's has none: see store.ts). */
export function liveAnalysis(): Analyzer {
  return new Analyzer({ evidence: new LiveEvidence() });
}

/** The drain loop as a component: App renders it while it holds a trace, whatever is on screen. */
export function DrainLoop({ source, tracer, store, intervalMs }: { source: TraceSource; tracer: Tracer | null; store: TraceStore; intervalMs?: number }) {
  useDrainLoop(source, tracer, store, intervalMs);
  return null;
}
