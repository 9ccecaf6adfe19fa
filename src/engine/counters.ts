// -c counters: the engine keeps them per thread and syscall; a table is those rows of a scope
// (everything, one process, one thread) summed per syscall. Shared by live traces and loaded logs.
import type { CounterRow } from './types.js';

/** The counters of one thread and syscall. */
export interface ThreadCounter extends CounterRow {
  pid: number;
  tid: number;
}

/** Adds `c` into its syscall's row of `into`; a syscall without one gets `make(c)`. */
export function addCounter<R extends CounterRow>(into: Map<number, R>, c: CounterRow, make: (c: CounterRow) => R): void {
  const row = into.get(c.nr);
  if (!row) {
    into.set(c.nr, make(c));
    return;
  }
  row.calls += c.calls;
  row.errors += c.errors;
  row.timeNs += c.timeNs;
  row.minNs = Math.min(row.minNs, c.minNs);
  row.maxNs = Math.max(row.maxNs, c.maxNs);
}

/** A row of no calls yet. */
export function emptyCounter(nr: number, name: string): CounterRow {
  return { nr, name, calls: 0, errors: 0, timeNs: 0, minNs: Infinity, maxNs: 0 };
}

/** Counts one call into its row (ns: its duration, 0 when unknown). */
export function countCall(row: CounterRow, failed: boolean, ns: number): void {
  row.calls++;
  if (failed) row.errors++;
  row.timeNs += ns;
  if (ns < row.minNs) row.minNs = ns;
  if (ns > row.maxNs) row.maxNs = ns;
}

/** The -c table of a scope: the rows of its threads summed per syscall. */
export function countersOf(rows: Iterable<ThreadCounter>, scope: { pid?: number; tid?: number } = {}): CounterRow[] {
  const out = new Map<number, CounterRow>();
  for (const c of rows) {
    if (scope.pid !== undefined && c.pid !== scope.pid) continue;
    if (scope.tid !== undefined && c.tid !== scope.tid) continue;
    addCounter(out, c, (r) => ({ nr: r.nr, name: r.name, calls: r.calls, errors: r.errors, timeNs: r.timeNs, minNs: r.minNs, maxNs: r.maxNs }));
  }
  return [...out.values()];
}
