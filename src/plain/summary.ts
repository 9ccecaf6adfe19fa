// The -c / -C table, laid out as strace prints it.
import type { CounterRow } from '../engine/types.js';

const RULE = '------ ----------- ----------- --------- --------- ----------------';

function sortRows(rows: CounterRow[], by: string): CounterRow[] {
  const out = [...rows].sort((a, b) => a.nr - b.nr);
  switch (by) {
    case 'time':
    case 'total-time':
      return out.sort((a, b) => b.timeNs - a.timeNs);
    case 'min-time':
      return out.sort((a, b) => b.minNs - a.minNs);
    case 'max-time':
      return out.sort((a, b) => b.maxNs - a.maxNs);
    case 'avg-time':
      return out.sort((a, b) => b.timeNs / b.calls - a.timeNs / a.calls);
    case 'calls':
    case 'count':
      return out.sort((a, b) => b.calls - a.calls);
    case 'errors':
    case 'error':
      return out.sort((a, b) => b.errors - a.errors);
    case 'name':
    case 'syscall':
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    default:
      return out;
  }
}

function line(pct: number, ns: number, calls: number, errors: number, name: string): string {
  const secs = (ns / 1e9).toFixed(6).padStart(11);
  const per = String(calls ? Math.floor(ns / 1000 / calls) : 0).padStart(11);
  const err = (errors ? String(errors) : '').padStart(9);
  return `${pct.toFixed(2).padStart(6)} ${secs} ${per} ${String(calls).padStart(9)} ${err} ${name}`;
}

/** The table strace prints for -c, sorted by `sortBy` (-S). */
export function formatSummary(rows: CounterRow[], sortBy = 'time'): string {
  const live = rows.filter((r) => r.calls > 0);
  const total = live.reduce((s, r) => s + r.timeNs, 0);
  const calls = live.reduce((s, r) => s + r.calls, 0);
  const errors = live.reduce((s, r) => s + r.errors, 0);
  const out = ['% time     seconds  usecs/call     calls    errors syscall', RULE];
  for (const r of sortRows(live, sortBy)) out.push(line(total ? (100 * r.timeNs) / total : 0, r.timeNs, r.calls, r.errors, r.name));
  out.push(RULE, line(100, total, calls, errors, 'total'));
  return out.join('\n') + '\n';
}
