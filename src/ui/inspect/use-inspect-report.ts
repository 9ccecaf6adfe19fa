// Re-inspect a process every refreshMs, carrying the previous report so "first seen" times hold.
// An inspection is asynchronous (checks that could block run in child processes, the chain may
// visit other processes): one runs at a time, and a result that arrives after the pid changed or
// the view closed is dropped. One React state update per finished inspection.
import { useCallback, useEffect, useRef, useState } from 'react';
import { inspectProcess, type InspectOptions, type InspectReport } from '../../engine/proc/blocking.js';

export function useInspectReport(
  pid: number,
  opts: Omit<InspectOptions, 'previous'> & { refreshMs?: number; paused?: boolean },
): { report: InspectReport | undefined; refresh: () => void } {
  const { refreshMs = 1000, paused = false, thresholdMs, tracer, formatCall } = opts;
  const previous = useRef<InspectReport | undefined>(undefined);
  // Each (pid, options) gets a generation; results of an older one are dropped.
  const generation = useRef(0);
  const inFlight = useRef(-1);
  const [report, setReport] = useState<InspectReport | undefined>(undefined);

  const take = useCallback(() => {
    const gen = generation.current;
    if (inFlight.current === gen) return;
    inFlight.current = gen;
    void inspectProcess(pid, { thresholdMs, tracer, formatCall, previous: previous.current, diagnose: true })
      .then((r) => {
        if (gen !== generation.current) return;
        previous.current = r;
        setReport(r);
      })
      .finally(() => {
        if (inFlight.current === gen) inFlight.current = -1;
      });
  }, [pid, thresholdMs, tracer, formatCall]);

  useEffect(() => {
    generation.current++;
    previous.current = undefined;
    take();
    return () => {
      generation.current++;
    };
  }, [take]);

  useEffect(() => {
    if (paused) return;
    const timer = setInterval(take, refreshMs);
    return () => clearInterval(timer);
  }, [take, refreshMs, paused]);

  return { report, refresh: take };
}
