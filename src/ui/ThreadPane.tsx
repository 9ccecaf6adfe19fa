// One pane: a thread's rows (or every thread's, merged), newest at the bottom while following.
// Only the visible rows are formatted; the title line says whose rows these are and where we are.
import { Box, Text } from 'ink';
import { tracedWait, waitedMs } from '../engine/proc/blocking.js';
import type { ThreadState, TraceEvent } from '../engine/types.js';
import { isFilterActive } from './filter.js';
import { rowParts, whoColumn, type Segment } from './format-row.js';
import { paneWindow } from './pane-window.js';
import { highlightSegments, searchPattern } from './search.js';
import { viewOf, visibleLimit, type TraceStore } from './store.js';
import { ALL_THREADS, type TraceHistory } from './trace-history.js';
import { useTraceState } from './use-trace-state.js';

export interface ThreadPaneProps {
  store: TraceStore;
  tid: number; // ALL_THREADS for the merged timeline
  /** 1-based number shown in the title (number keys focus it), 0 = none */
  index: number;
  width: number;
  height: number;
  /** keys act on this pane */
  focused: boolean;
}

function rowColor(ev: TraceEvent, failed: boolean, running: boolean): string | undefined {
  if (failed) return 'red';
  if (running) return 'yellow';
  if (ev.kind === 'signal' || ev.kind === 'stop') return 'yellow';
  if (ev.kind !== 'syscall') return 'magenta';
  return undefined;
}

/** `worker-00` for a thread, with its process's name when the thread is not the leader. */
export function threadLabel(h: TraceHistory, tid: number): string {
  const info = h.threads.get(tid);
  if (!info) return `tid ${tid}`;
  const name = info.comm ? ` ${info.comm}` : '';
  if (info.pid === tid) return `pid ${tid}${name}`;
  const proc = h.threads.get(info.pid)?.comm;
  return `tid ${tid}${name} (pid ${info.pid}${proc ? ` ${proc}` : ''})`;
}

/** How long, in words, since a monotonic ns time. */
export function since(ns: number, nowNs: number): string {
  const s = Math.max(0, nowNs - ns) / 1e9;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 120) return `${Math.round(s)}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * How long a thread has been in its call: from its traced entry; for a wait begun before the attach,
 * "at least" as long as /proc dated it before we attached (the inspector's figure: the entry the
 * engine saw is only when the kernel restarted the call after our interrupt).
 */
export function waitedFor(t: ThreadState, nowNs: number): string {
  const w = tracedWait(t, -1);
  if (!w) return since(t.entryNs, nowNs);
  return `${w.exact ? '' : 'at least '}${since(nowNs - waitedMs(w, nowNs) * 1e6, nowNs)}`;
}

/** The line's text pieces, a cut drawn in reverse video so it is never read as strace syntax. */
function Line({ segments, color, bold }: { segments: Segment[]; color?: string; bold?: boolean }) {
  if (segments.length === 1 && !color && !segments[0].hit) return <>{segments[0].text}</>;
  return (
    <>
      {segments.map((sg, i) =>
        sg.mark ? (
          sg.hit ? (
            <Text key={i} backgroundColor="yellow" color="black">
              {sg.text}
            </Text>
          ) : (
            <Text key={i} inverse dimColor>
              {sg.text}
            </Text>
          )
        ) : sg.hit ? (
          <Text key={i} backgroundColor="yellow" color="black">
            {sg.text}
          </Text>
        ) : (
          <Text key={i} color={color} bold={bold}>
            {sg.text}
          </Text>
        ),
      )}
    </>
  );
}

export function ThreadPane({ store, tid, index, width, height, focused }: ThreadPaneProps) {
  // Subscribing to version re-renders once per batch; the rest is read from the snapshot.
  useTraceState(store, (s) => s.version);
  const filter = useTraceState(store, (s) => s.filter);
  const view = useTraceState(store, (s) => viewOf(s, tid));
  const frozenAt = useTraceState(store, (s) => s.frozenAt);
  const threadState = useTraceState(store, (s) => s.threads.find((t) => t.tid === tid));
  const timed = useTraceState(store, (s) => s.source.timestamps);
  const fromLog = useTraceState(store, (s) => s.source.kind === 'log');
  const search = searchPattern(useTraceState(store, (s) => s.search));
  const display = useTraceState(store, (s) => s.display);
  const s = store.getState();
  const h = s.history;
  const rowsH = Math.max(1, height - 1);
  const list = h.rows(tid, filter);
  const win = paneWindow(list, view, rowsH, visibleLimit(s));
  const merged = tid === ALL_THREADS;
  const info = merged ? undefined : h.threads.get(tid);
  // The screen's clock (store.ts: clockNs). A log's call in progress (while it loads) has no time
  // so far: the log's clock is not ours.
  const now = fromLog ? NaN : s.clockNs;
  // What the analysis adds to rows (a non-blocking connect's end), by seq.
  const notes = s.analysis.annotations;

  let title: string;
  if (merged) {
    let live = 0;
    for (const t of h.threads.values()) if (!t.exited) live++;
    title = ` all threads, in time order (${live} live) `;
  } else {
    const where = info?.exited
      ? info.exitText || 'exited'
      : threadState?.groupStopped
        ? 'group-stopped'
        : threadState?.paused
          ? 'stopped by P'
          : threadState?.inSyscall && threadState.name
            ? `in ${threadState.name}${Number.isNaN(now) ? '' : ` for ${waitedFor(threadState, now)}`}`
            : '';
    title = ` ${index ? `${index}: ` : ''}${threadLabel(h, tid)} ${where} `;
  }
  const pos = win.total ? `${win.first + win.cursor + 1}/${win.total}` : '0/0';
  const mode = frozenAt !== null ? 'frozen' : view.follow ? 'following' : 'scrolled (F follows)';
  const right = ` ${pos} ${mode} `;
  const titleText = (title.length + right.length > width ? title.slice(0, Math.max(0, width - right.length)) : title).padEnd(
    Math.max(0, width - right.length),
  );

  // The merged timeline says whose each row is: tid and thread name, as wide as they need.
  let nameW = 0;
  let tidW = 1;
  if (merged) {
    for (const t of h.threads.values()) {
      nameW = Math.max(nameW, t.comm.length);
      tidW = Math.max(tidW, String(t.tid).length);
    }
    nameW = Math.min(nameW, width >= 120 ? 15 : 9);
  }

  return (
    // Not clipped (Ink would slice every row per frame): rows come cut to the width, and there are
    // never more than the pane has room for.
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" inverse={focused} bold={focused} color={focused ? 'cyan' : undefined} dimColor={!focused}>
        {(titleText + right).slice(0, width)}
      </Text>
      {win.seqs.map((seq, i) => {
        const ev = h.at(seq)!;
        const who = merged ? whoColumn(ev.tid, h.threads.get(ev.tid)?.comm ?? '', tidW, nameW) : '';
        const p = rowParts(ev, timed ? h.firstNs : NaN, width, who, now, notes.size ? notes.get(seq)?.short : '', display);
        const isCursor = focused && i === win.cursor && !view.follow;
        const color = rowColor(ev, p.failed, p.running);
        return (
          // Keyed by position, so that a frame updates the rows' text in place instead of making
          // new nodes for rows that scrolled in; few styled runs (Ink re-tokenizes every row of
          // every frame), the line itself unstyled unless it must stand out.
          <Text key={i} wrap="truncate" inverse={isCursor}>
            <Text dimColor>{`${p.time} ${p.who ? p.who + ' ' : ''}`}</Text>
            <Line segments={search ? highlightSegments(p.segments, search, h.textAt(seq)) : p.segments} color={color} bold={p.failed} />
            {!p.dur ? null : color ? (
              <Text color={color} bold={p.failed}>
                {' ' + p.dur}
              </Text>
            ) : (
              ' ' + p.dur
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
