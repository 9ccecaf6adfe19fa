// Reads a slice of the trace store and re-renders when that slice changes.
import { useStore } from 'zustand';
import type { TraceState, TraceStore } from './store.js';

export function useTraceState<T>(store: TraceStore, select: (s: TraceState) => T): T {
  return useStore(store, select);
}
