// The -c / -C table, laid out as strace 6.1 lays it out: the columns of -U in their order (time share,
// seconds, usecs/call, calls, errors and syscall by default), each as wide as its header or its
// widest value, rows sorted as -S says, then a total row. Nothing at all when no call was counted.
import type { CounterRow } from '../engine/types.js';
import type { SummaryColumn } from './options.js';

export const DEFAULT_COLUMNS: SummaryColumn[] = ['time-percent', 'total-time', 'avg-time', 'calls', 'errors', 'name'];

const NS = 1_000_000_000;

/** strace's ts_div: the mean of ns over n calls, rounded to the nearest nanosecond. */
function meanNs(ns: number, n: number): number {
  if (n === 0) return 0;
  const sec = Math.floor(ns / NS);
  const nsec = ns % NS;
  const rest = Math.floor(((sec % n) * NS + nsec + Math.floor(n / 2)) / n);
  return Math.floor(sec / n) * NS + rest;
}

const seconds = (ns: number): number => Math.floor(ns / NS) + (ns % NS) / NS;

function sortRows(rows: CounterRow[], by: string): CounterRow[] {
  const out = [...rows].sort((a, b) => a.nr - b.nr);
  const desc = (f: (r: CounterRow) => number) => out.sort((a, b) => f(b) - f(a));
  switch (by) {
    case 'time-percent':
    case 'total-time':
      return desc((r) => r.timeNs);
    case 'min-time':
      return desc((r) => r.minNs);
    case 'max-time':
      return desc((r) => r.maxNs);
    case 'avg-time':
      return desc((r) => meanNs(r.timeNs, r.calls));
    case 'calls':
      return desc((r) => r.calls);
    case 'errors':
      return desc((r) => r.errors);
    case 'name':
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    default:
      return out; // none: by syscall number
  }
}

interface ColumnSpec {
  header: string;
  width: number;
  left?: boolean;
}

/** The table strace prints for -c, sorted by `sortBy` (-S), with the columns of -U. */
export function formatSummary(rows: CounterRow[], sortBy = 'total-time', columns: SummaryColumn[] = DEFAULT_COLUMNS): string {
  const live = rows.filter((r) => r.calls > 0);
  if (live.length === 0) return '';
  const total = live.reduce((s, r) => s + r.timeNs, 0);
  const calls = live.reduce((s, r) => s + r.calls, 0);
  const errors = live.reduce((s, r) => s + r.errors, 0);
  const minAll = Math.min(...live.map((r) => r.minNs));
  const maxOfMins = Math.max(...live.map((r) => r.minNs));
  const maxAll = Math.max(...live.map((r) => r.maxNs));
  const avgMax = Math.max(...live.map((r) => meanNs(r.timeNs, r.calls)));
  const usecs = (ns: number): number => Math.floor(seconds(ns) * 1e6);
  const nameMax = Math.max(...live.map((r) => r.name.length));
  const spec: Record<SummaryColumn, ColumnSpec> = {
    'time-percent': { header: '% time', width: 6 },
    'total-time': { header: 'seconds', width: Math.max(11, seconds(total).toFixed(6).length) },
    'min-time': { header: 'shortest', width: Math.max(8, `${Math.floor(maxOfMins / NS)}.000000`.length) },
    'max-time': { header: 'longest', width: Math.max(7, `${Math.floor(maxAll / NS)}.000000`.length) },
    'avg-time': { header: 'usecs/call', width: Math.max(11, String(usecs(avgMax)).length) },
    calls: { header: 'calls', width: Math.max(9, String(calls).length) },
    errors: { header: 'errors', width: Math.max(9, String(errors).length) },
    name: { header: 'syscall', width: Math.max(16, nameMax + 1), left: true },
  };
  const last = columns.length - 1;
  const cell = (col: SummaryColumn, i: number, text: string): string => {
    const s = spec[col];
    if (s.left) return i === last ? text : text.padEnd(s.width);
    return text.padStart(s.width);
  };
  const line = (values: (col: SummaryColumn) => string): string => columns.map((c, i) => cell(c, i, values(c))).join(' ');
  const rule = columns.map((c) => '-'.repeat(spec[c].width)).join(' ');
  const out = [line((c) => spec[c].header), rule];
  for (const r of sortRows(live, sortBy)) {
    const pct = total ? (100 * r.timeNs) / total : 0;
    out.push(
      line((c) => {
        switch (c) {
          case 'time-percent': return pct.toFixed(2);
          case 'total-time': return seconds(r.timeNs).toFixed(6);
          case 'min-time': return seconds(r.minNs).toFixed(6);
          case 'max-time': return seconds(r.maxNs).toFixed(6);
          case 'avg-time': return String(usecs(meanNs(r.timeNs, r.calls)));
          case 'calls': return String(r.calls);
          case 'errors': return r.errors ? String(r.errors) : '';
          case 'name': return r.name;
        }
      }),
    );
  }
  out.push(rule);
  out.push(
    line((c) => {
      switch (c) {
        case 'time-percent': return '100.00';
        case 'total-time': return seconds(total).toFixed(6);
        case 'min-time': return seconds(minAll).toFixed(6);
        case 'max-time': return seconds(maxAll).toFixed(6);
        case 'avg-time': return String(Math.floor((seconds(total) / calls) * 1e6));
        case 'calls': return String(calls);
        case 'errors': return errors ? String(errors) : '';
        case 'name': return 'total';
      }
    }),
  );
  return out.join('\n') + '\n';
}
