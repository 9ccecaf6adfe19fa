// One pane: a thread's rows (or every thread's, merged), newest at the bottom while following.
// Only the visible rows are formatted; the title line says whose rows these are and where we are.
import { Box, Text } from 'ink';
import type { TraceEvent } from '../engine/types.js';
import { isFilterActive } from './filter.js';
import { rowParts } from './format-row.js';
import { paneWindow } from './pane-window.js';
import { focusedPane, viewOf, visibleLimit, type TraceStore } from './store.js';
import { ALL_THREADS } from './trace-history.js';
import { useTraceState } from './use-trace-state.js';

export interface ThreadPaneProps {
  store: TraceStore;
  tid: number; // ALL_THREADS for the merged timeline
  /** 1-based number shown in the title (number keys focus it), 0 = none */
  index: number;
  width: number;
  height: number;
}

function rowColor(ev: TraceEvent, failed: boolean): string | undefined {
  if (failed) return 'red';
  if (ev.kind === 'signal' || ev.kind === 'stop') return 'yellow';
  if (ev.kind !== 'syscall') return 'magenta';
  return undefined;
}

export function ThreadPane({ store, tid, index, width, height }: ThreadPaneProps) {
  // Subscribing to version re-renders once per batch; the rest is read from the snapshot.
  useTraceState(store, (s) => s.version);
  const filter = useTraceState(store, (s) => s.filter);
  const view = useTraceState(store, (s) => viewOf(s, tid));
  const frozenAt = useTraceState(store, (s) => s.frozenAt);
  const focused = useTraceState(store, (s) => focusedPane(s) === tid);
  const threadState = useTraceState(store, (s) => s.threads.find((t) => t.tid === tid));
  const timed = useTraceState(store, (s) => s.source.timestamps);
  const s = store.getState();
  const h = s.history;
  const rowsH = Math.max(1, height - 1);
  const list = h.rows(tid, filter);
  const win = paneWindow(list, view, rowsH, visibleLimit(s));
  const merged = tid === ALL_THREADS;
  const info = merged ? undefined : h.threads.get(tid);

  let title: string;
  if (merged) {
    title = ` all threads (${h.threadOrder.length}) `;
  } else {
    const where = info?.exited
      ? info.exitText || 'exited'
      : threadState?.groupStopped
        ? 'group-stopped'
        : threadState?.paused
          ? 'stopped by P'
          : threadState?.inSyscall
            ? `in ${threadState.entryText}`
            : '';
    title = ` ${index ? `${index}: ` : ''}tid ${tid}${info && info.pid !== tid ? ` (pid ${info.pid})` : ''} ${where} `;
  }
  const pos = win.total ? `${win.first + win.cursor + 1}/${win.total}` : '0/0';
  const mode = frozenAt !== null ? 'frozen' : view.follow ? 'following' : 'scrolled (F follows)';
  const right = ` ${pos} ${mode} `;
  const titleText = (title.length + right.length > width ? title.slice(0, Math.max(0, width - right.length)) : title).padEnd(
    Math.max(0, width - right.length),
  );

  return (
    // Not clipped (Ink would slice every row per frame): rows come cut to the width, and there are
    // never more than the pane has room for.
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" inverse={focused} bold={focused} color={focused ? 'cyan' : undefined} dimColor={!focused}>
        {(titleText + right).slice(0, width)}
      </Text>
      {win.seqs.map((seq, i) => {
        const ev = h.at(seq)!;
        const p = rowParts(ev, timed ? h.firstNs : NaN, width, true);
        const isCursor = focused && i === win.cursor && !view.follow;
        const color = rowColor(ev, p.failed);
        const body = `${p.text} ${p.dur}`;
        return (
          // Keyed by position, so that a frame updates the rows' text in place instead of making
          // new nodes for rows that scrolled in; two styled runs at most (Ink re-tokenizes every row
          // of every frame), the line itself unstyled unless it must stand out.
          <Text key={i} wrap="truncate" inverse={isCursor}>
            <Text dimColor>{`${p.time} ${p.tid} `}</Text>
            {color ? (
              <Text color={color} bold={p.failed}>
                {body}
              </Text>
            ) : (
              body
            )}
          </Text>
        );
      })}
      {win.total === 0 ? (
        <Text dimColor wrap="truncate">
          {isFilterActive(filter) ? '  no rows match the filters (x clears them)' : '  waiting for system calls…'}
        </Text>
      ) : null}
    </Box>
  );
}
