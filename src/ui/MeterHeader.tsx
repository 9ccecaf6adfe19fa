// htop's meters over the trace: one line per traced process (the busiest first) with its
// namespaces when they are not ours, its state, CPU%, RSS, calls and failed calls per second, and its
// blocked threads with the longest wait.
import { Box, Text } from 'ink';
import { formatDuration } from '../engine/proc/words.js';
import type { ProcessMeter } from './meters.js';
import { formatBytes } from './process-rows.js';
import type { TraceStore } from './store.js';
import { useTraceState } from './use-trace-state.js';

/** Rows the meters take: one on a short terminal, up to three from 30 rows on. */
export function meterRows(height: number, processes: number): number {
  return height >= 30 ? Math.min(3, Math.max(1, processes)) : 1;
}

const rate = (n: number) => (n >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

/** Below this width the meters drop their words (`cpu`, `calls/s`...) for a compact line. */
const WIDE = 110;

function MeterLine({ m, more, width }: { m: ProcessMeter; more: number; width: number }) {
  const wide = width >= WIDE;
  const head = ` ${String(m.pid).padStart(7)} ${m.comm.slice(0, wide ? 15 : 10).padEnd(wide ? 15 : 10)} `;
  const nums = wide
    ? `cpu ${m.cpu.toFixed(1).padStart(5)}%  rss ${formatBytes(m.rssBytes).padStart(6)}  ${rate(m.callsPerSec).padStart(6)} calls/s  `
    : `${m.cpu.toFixed(1).padStart(5)}% ${formatBytes(m.rssBytes).padStart(6)} ${rate(m.callsPerSec).padStart(5)}/s `;
  const failed = wide ? `${rate(m.failedPerSec)} failed/s  ` : `${rate(m.failedPerSec)} err/s `;
  // longestMs 0: only threads whose wait the engine did not see begin (D state at the attach)
  const longest = !m.blocked ? '' : m.longestMs > 0 ? `${wide ? ', longest ' : ' '}${formatDuration(m.longestMs)}${m.longestCall ? ` ${wide ? 'in ' : ''}${m.longestCall}` : ''}` : ` (${m.longestCall})`;
  const blocked = `${wide ? 'blocked' : 'blk'} ${m.blocked}/${m.threads}${wide ? ' thr' : ''}${longest}`;
  const tail = more ? `  +${more} more` : '';
  // Namespaces of its own come right after the name: what the process sees (paths, sockets, pids)
  // is not what we see, and that matters more than the numbers a narrow line loses for it.
  const place = m.namespaces ? `(${m.namespaces}) ` : '';
  const used = head.length + place.length + 2 + nums.length + failed.length + blocked.length + tail.length;
  return (
    <Text wrap="truncate">
      <Text bold>{head}</Text>
      <Text color="cyan">{place}</Text>
      <Text bold color={m.state === 'D' ? 'red' : m.state === 'R' ? 'green' : m.state === 'T' || m.state === 't' ? 'yellow' : undefined}>
        {m.state}
      </Text>{' '}
      {nums}
      <Text color={m.failedPerSec > 0 ? 'red' : undefined}>{failed}</Text>
      <Text color={m.longestMs >= 1000 ? 'yellow' : undefined}>{blocked}</Text>
      <Text dimColor>{tail}</Text>
      {' '.repeat(Math.max(0, width - used))}
    </Text>
  );
}

export function MeterHeader({ store, width, rows }: { store: TraceStore; width: number; rows: number }) {
  const meters = useTraceState(store, (s) => s.meters);
  const shown = meters.slice(0, rows);
  return (
    <Box flexDirection="column" width={width} height={rows}>
      {shown.length === 0 ? (
        <Text dimColor wrap="truncate">
          {' measuring…'}
        </Text>
      ) : (
        shown.map((m, i) => <MeterLine key={m.pid} m={m} more={i === shown.length - 1 ? meters.length - shown.length : 0} width={width} />)
      )}
    </Box>
  );
}
