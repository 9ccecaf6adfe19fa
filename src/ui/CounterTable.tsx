// `c`: strace -c for the focused process or thread, live, sortable by every column.
import { Box, Text } from 'ink';
import { counterThread, sortedCounters, type CounterColumn, type TraceStore } from './store.js';
import { useTraceState } from './use-trace-state.js';

// Header cells as strace -c prints them: [sort column, text, width].
const HEAD_CELLS: [CounterColumn, string, number][] = [
  ['time', '% time', 6],
  ['time', 'seconds', 11],
  ['usecs', 'usecs/call', 11],
  ['calls', 'calls', 9],
  ['errors', 'errors', 9],
  ['name', 'syscall', 0],
];

/** Rows of the table above its column header (a click on the header sorts). */
export const COUNTER_HEADER_ROW = 2;

/** The column whose header cell spans x, or undefined. */
export function counterColumnAt(x: number): CounterColumn | undefined {
  let at = 0;
  for (const [i, [col, text, w]] of HEAD_CELLS.entries()) {
    const cell = (i ? 1 : 0) + (w || text.length);
    if (x >= at && x < at + cell) return col;
    at += cell;
  }
  return undefined;
}

/** Rows of calls the table shows in `height` rows: all but its title, note, column header, and the
 *  two rules and total of strace's own layout. */
export function counterBodyRows(height: number): number {
  return Math.max(1, height - 6);
}

export function CounterTable({ store, width, height }: { store: TraceStore; width: number; height: number }) {
  const counters = useTraceState(store, (s) => s.counters);
  const tid = useTraceState(store, counterThread);
  const pid = useTraceState(store, (s) => s.history.threads.get(counterThread(s))?.pid ?? 0);
  const comm = useTraceState(store, (s) => s.history.threads.get(counterThread(s))?.comm ?? '');
  // A log without -T has no call times: those columns stay empty rather than show zeros.
  const timed = useTraceState(store, (s) => s.source.durations);
  // ...and what would be sorted by time is sorted by calls.
  const c = timed || (counters.sort !== 'time' && counters.sort !== 'usecs') ? counters : { ...counters, sort: 'calls' as const };
  const rows = sortedCounters(c);
  let totalNs = 0;
  let calls = 0;
  let errors = 0;
  for (const r of rows) {
    totalNs += r.timeNs;
    calls += r.calls;
    errors += r.errors;
  }
  const line = (pct: string, secs: string, usecs: string, n: string, err: string, name: string) =>
    `${pct.padStart(6)} ${secs.padStart(11)} ${usecs.padStart(11)} ${n.padStart(9)} ${err.padStart(9)} ${name}`;
  const body = counterBodyRows(height);
  // Scrolled (↑ ↓ PgUp PgDn) when the calls do not all fit; the rule above the total says which are shown
  // (strace's table has the rule there; a count of rows the screen hid would otherwise be nowhere).
  const top = Math.max(0, Math.min(c.top, rows.length - body));
  const shown = rows.slice(top, top + body);
  const rule = (last = '----------------') => line('------', '-----------', '-----------', '---------', '---------', last);
  const scope = c.scope === 'all' ? 'everything traced (strace -c -f)' : c.scope === 'thread' ? `thread ${tid}${comm ? ` ${comm}` : ''}` : `process ${pid}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold inverse wrap="truncate">
        {` -c counters: ${scope}   sorted by ${c.sort} ${c.desc ? 'v' : '^'}${timed ? '' : '   (no -T in the log: no times)'}   T: all / process / thread `.padEnd(width)}
      </Text>
      <Text dimColor wrap="truncate">
        {timed ? ' seconds are wall-clock time in the call (strace -c -w), not CPU time' : ' calls and errors as the log has them'}
      </Text>
      <Text wrap="truncate">
        {HEAD_CELLS.map(([col, text, w], i) => (
          <Text key={i} bold color={col === c.sort ? 'cyan' : undefined} underline={col === c.sort}>
            {(i ? ' ' : '') + (w ? text.padStart(w) : text)}
          </Text>
        ))}
      </Text>
      <Text dimColor wrap="truncate">
        {rule()}
      </Text>
      {shown.map((r) => (
        <Text key={r.nr + ':' + r.name} wrap="truncate" color={r.errors ? 'red' : undefined}>
          {line(
            !timed ? '' : totalNs ? ((r.timeNs * 100) / totalNs).toFixed(2) : '0.00',
            timed ? (r.timeNs / 1e9).toFixed(6) : '',
            timed ? String(r.calls ? Math.round(r.timeNs / 1000 / r.calls) : 0) : '',
            String(r.calls),
            r.errors ? String(r.errors) : '',
            r.name,
          )}
        </Text>
      ))}
      {rows.length === 0 ? <Text dimColor>  no system calls counted yet</Text> : null}
      <Box flexGrow={1} />
      <Text dimColor wrap="truncate">
        {rule(shown.length < rows.length ? `${top + 1}-${top + shown.length} of ${rows.length} ↑ ↓ PgUp PgDn` : undefined)}
      </Text>
      <Text bold wrap="truncate">
        {timed
          ? line('100.00', (totalNs / 1e9).toFixed(6), String(calls ? Math.round(totalNs / 1000 / calls) : 0), String(calls), errors ? String(errors) : '', 'total')
          : line('', '', '', String(calls), errors ? String(errors) : '', 'total')}
      </Text>
    </Box>
  );
}
