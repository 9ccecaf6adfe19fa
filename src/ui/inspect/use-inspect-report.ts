// Re-inspect a process every refreshMs, carrying the previous report so "first seen" times hold.
// One React state update per refresh: the inspector is synchronous and takes a few ms.
import { useEffect, useRef, useState } from 'react';
import { inspectProcess, type InspectOptions, type InspectReport } from '../../engine/proc/blocking.js';

export function useInspectReport(pid: number, opts: Omit<InspectOptions, 'previous'> & { refreshMs?: number; paused?: boolean }): {
  report: InspectReport;
  refresh: () => void;
} {
  const { refreshMs = 1000, paused = false, thresholdMs, tracer, formatCall } = opts;
  const previous = useRef<InspectReport | undefined>(undefined);
  const take = (): InspectReport => {
    const r = inspectProcess(pid, { thresholdMs, tracer, formatCall, previous: previous.current, diagnose: true });
    previous.current = r;
    return r;
  };
  const [report, setReport] = useState<InspectReport>(take);
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => setReport(take()), refreshMs);
    return () => clearInterval(timer);
  }, [pid, refreshMs, paused, thresholdMs, tracer, formatCall]);
  return { report, refresh: () => setReport(take()) };
}
