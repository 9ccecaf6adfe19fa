// The thread list beside the panes: every thread, busiest first, with its name, its calls per
// second and the call it is in now (its full name); threads that exited are marked, or hidden (H).
// Its order is the one Tab and the number keys follow.
import { Box, Text } from 'ink';
import type { ThreadState } from '../engine/types.js';
import { listTids, threadTree, type TraceStore } from './store.js';
import { since } from './ThreadPane.js';
import { useTraceState } from './use-trace-state.js';

/** `  12/s`, `1.2k/s`: a rate in six columns. */
export function formatRate(r: number): string {
  if (r <= 0) return '     -';
  if (r < 10) return `${r.toFixed(1)}/s`.padStart(6);
  if (r < 1000) return `${Math.round(r)}/s`.padStart(6);
  return `${(r / 1000).toFixed(r < 10_000 ? 1 : 0)}k/s`.padStart(6);
}

/** What a thread does now, in a few words, in `room` columns: a call's name is kept whole before its time. */
function doing(t: ThreadState | undefined, now: number, room: number): string {
  if (!t) return '';
  if (t.groupStopped) return 'stopped';
  if (t.paused) return 'held (P)';
  if (!t.inSyscall || !t.name) return '';
  const timed = Number.isNaN(now) ? t.name : `${t.name} ${since(t.entryNs, now)}`;
  return timed.length <= room ? timed : t.name;
}

/** The first thread the list shows: the focused one kept in the middle. */
export function threadListTop(count: number, focusIndex: number, rows: number): number {
  return Math.max(0, Math.min(Math.max(0, focusIndex) - Math.floor(rows / 2), count - rows));
}

export function ThreadList({ store, width, height, focusTid }: { store: TraceStore; width: number; height: number; focusTid: number }) {
  useTraceState(store, (s) => s.version);
  const hideExited = useTraceState(store, (s) => s.hideExited);
  const tree = useTraceState(store, (s) => s.threadTree);
  const s = store.getState();
  const tids = listTids(s);
  // F5: each name indented by its depth in the tree (ASCII, as the picker's tree).
  const depth = new Map(tree ? threadTree(s).map((r) => [r.tid, r.depth]) : []);
  const byTid = new Map(s.threads.map((t) => [t.tid, t]));
  const rows = Math.max(1, height - 1);
  const top = threadListTop(tids.length, tids.indexOf(focusTid), rows);
  // A log's calls in progress (while it loads) have no time so far: the log's clock is not ours.
  const now = s.source.kind === 'log' ? NaN : s.clockNs;
  let exited = 0;
  let nameW = 4;
  for (const t of s.history.threads.values()) {
    if (t.exited) exited++;
    nameW = Math.max(nameW, t.comm.length);
  }
  nameW = Math.min(nameW, 15, Math.max(4, width - 36));
  const head = ` threads ${tids.length}${hideExited && exited ? ` (+${exited} exited, H)` : ''}${tree ? ' tree (F5)' : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold dimColor wrap="truncate">
        {head.padEnd(width).slice(0, width)}
      </Text>
      {tids.slice(top, top + rows).map((tid, i) => {
        const info = s.history.threads.get(tid);
        const n = top + i + 1;
        const indent = '  '.repeat(Math.min(4, depth.get(tid) ?? 0));
        const name = (indent + (info?.comm ?? '')).slice(0, nameW).padEnd(nameW);
        const head = `${n <= 9 ? n : ' '} ${String(tid).padStart(7)} ${name} ${info?.exited ? '      ' : formatRate(info?.rate ?? 0)} `;
        const what = info?.exited ? (info.exitText.replace(/^\+\+\+ | \+\+\+$/g, '') || 'exited') : doing(byTid.get(tid), now, width - head.length);
        const label = head + what;
        return (
          <Text key={tid} wrap="truncate" inverse={tid === focusTid} dimColor={info?.exited}>
            {label.padEnd(width).slice(0, width)}
          </Text>
        );
      })}
    </Box>
  );
}
