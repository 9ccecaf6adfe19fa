// The trace screen: panes per thread (or one merged timeline), the filter header, the status bar
// and the key bar. It owns the trace keys; overlays (help, counters, row details) and the `/`
// prompt own theirs while open. Mode checks use render-time state, so a key that closes an
// overlay is never also handled here.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { SyscallClass, type TraceSource, type Tracer } from '../engine/types.js';
import { CounterTable } from './CounterTable.js';
import { CLASS_TOGGLES, NO_FILTER, toggleClass, type TraceFilter } from './filter.js';
import { HelpOverlay } from './HelpOverlay.js';
import { counterKeys, detailKeys, findingsKeys, leaveKeys, matchKey, traceKeys, type TraceAction } from './keymap.js';
import { CommandLog } from './CommandLog.js';
import { FindingsView } from './FindingsView.js';
import { trailAt, type FdTrail } from './descriptors.js';
import { KeyBar, type KeyBarItem } from './KeyBar.js';
import { CHROME_ROWS, layoutPanes } from './layout.js';
import { LinePrompt } from './LinePrompt.js';
import { paneWindow, scrollPane, type ScrollAction } from './pane-window.js';
import { RowDetails } from './RowDetails.js';
import { StatusBar } from './StatusBar.js';
import {
  COUNTER_COLUMNS,
  focusBy,
  focusIndex,
  focusThread,
  layoutOf,
  listTids,
  refreshCounters,
  setFilter,
  setView,
  toggleFreeze,
  viewOf,
  visibleLimit,
  type TraceStore,
} from './store.js';
import { ThreadList } from './ThreadList.js';
import { ThreadPane } from './ThreadPane.js';
import { ALL_THREADS } from './trace-history.js';
import { useTraceState } from './use-trace-state.js';
import { defaultWritePath, submitWrite, writeWhat } from './write-view.js';

export interface TraceScreenProps {
  store: TraceStore;
  /** where the rows come from: a live trace or a loaded log */
  source: TraceSource | null;
  /** the live trace (P stops it, b inspects it); null for a log */
  tracer: Tracer | null;
  width: number;
  height: number;
  onQuit: () => void;
  /** `b`: the hung-process inspector for a pid; absent = not available */
  onInspect?: (pid: number) => void;
  /** D: detach from everything and go back to the picker */
  onDetach?: () => void;
  /** a: pick one more process to attach to */
  onAttachMore?: () => void;
  /** the leave overlay's answer: kill the launched command, or leave it running */
  onLeaveChoice?: (kill: boolean) => void;
  /** the launched command's output log (L) */
  commandLog?: string;
}

const SCROLLS: Partial<Record<TraceAction, ScrollAction>> = {
  up: 'up',
  down: 'down',
  pageUp: 'pageUp',
  pageDown: 'pageDown',
  home: 'home',
  end: 'end',
};

const CLASS_ACTIONS: Partial<Record<TraceAction, number>> = {
  file: SyscallClass.file,
  network: SyscallClass.network,
  process: SyscallClass.process,
  signal: SyscallClass.signal,
  desc: SyscallClass.desc,
  memory: SyscallClass.memory,
  ipc: SyscallClass.ipc,
};

/** Keys that still work while the counter table is open. */
const COUNTER_PASSTHROUGH = new Set<TraceAction>(['quit', 'help', 'focusNext', 'focusPrev', 'focusN', 'freeze', 'stop', 'inspect']);

// Quit before Info: at 80 columns the last one does not fit; Findings after them (the status bar's
// "! N problems" names its key when it is cut).
const BAR_ORDER: TraceAction[] = ['help', 'focusNext', 'zoom', 'merged', 'counters', 'freeze', 'stop', 'write', 'quit', 'details', 'findings'];
const BAR_LABEL: Partial<Record<TraceAction, string>> = { details: 'Info', freeze: 'Freeze' };
const BAR_KEYS: Partial<Record<TraceAction, string>> = { freeze: 'Spc' };
const barItems = (order: TraceAction[]): KeyBarItem[] =>
  order.map((a) => {
    const b = traceKeys.find((k) => k.action === a)!;
    return { keys: BAR_KEYS[a] ?? b.keys, bar: BAR_LABEL[a] ?? b.bar };
  });
const TRACE_BAR = barItems(BAR_ORDER);
// A log: nothing to freeze or stop, and the keys that need a live process say so, before Findings
// (at 80 columns that is the one cut, and the status bar names its key).
const LOG_BAR: KeyBarItem[] = [
  ...barItems(BAR_ORDER.filter((a) => a !== 'freeze' && a !== 'stop' && a !== 'findings')),
  { keys: 'P b', bar: 'live only', dim: true },
  ...barItems(['findings']),
];
const COUNTER_BAR: KeyBarItem[] = [...counterKeys, { keys: 'q', bar: 'Quit' }];
const DETAIL_BAR: KeyBarItem[] = [...detailKeys, { keys: 'q', bar: 'Quit' }];
const FINDINGS_BAR: KeyBarItem[] = [...findingsKeys, { keys: 'q', bar: 'Quit' }];

const SHORT_LABEL: Record<string, string> = { file: 'file', network: 'net', process: 'proc', signal: 'sig', desc: 'desc', memory: 'mem', ipc: 'ipc' };

/**
 * The top line: what is traced, then the filter toggles (key, and a word when there is room; lit
 * when on). The title gets at least half the line: at 80 columns the toggles are letters only.
 */
function FilterHeader({ filter, title, width }: { filter: TraceFilter; title: string; width: number }) {
  const items: { key: string; label: string; on: boolean }[] = CLASS_TOGGLES.map((t) => ({
    key: t.key,
    label: SHORT_LABEL[t.label],
    on: (filter.classes & t.bit) !== 0,
  }));
  items.push({ key: 'e', label: 'fail', on: filter.failedOnly });
  items.push({ key: '/', label: filter.text ? filter.text.slice(0, 16) : 'find', on: filter.text !== '' });
  const wide = items.reduce((n, it) => n + it.key.length + it.label.length + 2, 0) + 8;
  const narrow = items.reduce((n, it) => n + it.key.length + 1, 0) + (filter.text ? Math.min(16, filter.text.length) + 1 : 0) + 3;
  const withWords = width - wide >= Math.max(title.length + 2, Math.floor(width / 2));
  const togglesLen = withWords ? wide : narrow;
  const titleRoom = Math.max(0, width - togglesLen - 1);
  const head = ` ${title}`.slice(0, titleRoom).padEnd(titleRoom);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text bold>{head}</Text>
        {items.map((it) => (
          <Text key={it.key}>
            {' '}
            <Text bold color={it.on ? 'black' : 'yellow'} backgroundColor={it.on ? 'green' : undefined}>
              {it.key}
            </Text>
            {withWords || (it.key === '/' && it.on) ? (
              <Text color={it.on ? 'green' : undefined} bold={it.on} dimColor={!it.on}>
                {(withWords ? ' ' : '') + it.label}
              </Text>
            ) : null}
          </Text>
        ))}
        <Text dimColor> </Text>
        <Text bold color="yellow">
          x
        </Text>
        {withWords ? <Text dimColor> clear</Text> : null}
      </Text>
    </Box>
  );
}

/** On leaving while the launched command runs: what to do with it, on the key bar's line. */
function LeavePrompt({ pid, command, width }: { pid: number; command: string; width: number }) {
  const what = ` pid ${pid} (${command.length > 30 ? command.slice(0, 29) + '>' : command}) still runs: `;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text bold color="yellow">
          {what}
        </Text>
        {leaveKeys.map((k) => (
          <Text key={k.action}>
            <Text inverse bold>
              {k.keys}
            </Text>
            {` ${k.bar} `}
          </Text>
        ))}
      </Text>
    </Box>
  );
}

export function TraceScreen({ store, source, tracer, width, height, onQuit, onInspect, onDetach, onAttachMore, onLeaveChoice, commandLog }: TraceScreenProps) {
  useTraceState(store, (s) => s.version);
  const filter = useTraceState(store, (s) => s.filter);
  const title = useTraceState(store, (s) => s.title);
  const overlay = useTraceState(store, (s) => s.overlay);
  const searchDraft = useTraceState(store, (s) => s.searchDraft);
  const writeDraft = useTraceState(store, (s) => s.writeDraft);
  useTraceState(store, (s) => s.focusTid);
  useTraceState(store, (s) => s.mode);
  useTraceState(store, (s) => s.showList);
  useTraceState(store, (s) => s.hideExited);
  const detailSeq = useTraceState(store, (s) => s.detailSeq);
  const s = store.getState();
  const tids = listTids(s);
  const bodyH = Math.max(1, height - CHROME_ROWS);
  // As the activity says, but without flickering: once too many threads were busy for panes, the
  // merged timeline stays (t leaves it).
  const layout = layoutOf(s, width, bodyH, s.autoMerged);
  if (layout.crowded && !s.autoMerged) queueMicrotask(() => store.setState({ autoMerged: true }));
  const panes = layoutPanes(layout);
  const focusedRect = panes.find((p) => p.tid === layout.focus) ?? panes[0];
  const paneRows = Math.max(1, (focusedRect?.height ?? bodyH) - 1);

  const focusedList = () => {
    const st = store.getState();
    const tid = layout.focus;
    return { tid, list: st.history.rows(tid, st.filter), view: viewOf(st, tid), limit: visibleLimit(st) };
  };

  /** seq of the row under the focused pane's cursor, -1 when it has none. */
  const cursorSeq = () => {
    const f = focusedList();
    const win = paneWindow(f.list, f.view, paneRows, f.limit);
    return win.cursor < 0 ? -1 : win.seqs[win.cursor];
  };

  /** Puts the cursor on a row, in the merged timeline or in its thread's pane, half a page down. */
  const showRow = (seq: number) => {
    const st = store.getState();
    const tid = st.history.tidAt(seq);
    const merged = st.mode === 'merged' || (st.mode === 'auto' && layout.merged);
    const pane = merged ? ALL_THREADS : tid;
    if (!merged && tid !== layout.focus) focusThread(store, tid);
    const list = st.history.rows(pane, st.filter);
    const i = list.lowerBound(seq);
    if (i >= list.size(Infinity) || list.seqAt(i) !== seq) store.setState({ message: 'that row is hidden by the filters (x shows every row)' });
    setView(store, pane, { follow: false, cursor: seq, top: list.seqAt(Math.max(0, i - Math.floor(paneRows / 2))) ?? seq });
  };

  const act = (action: TraceAction) => {
    const st = store.getState();
    const scroll = SCROLLS[action];
    if (scroll) {
      const f = focusedList();
      setView(store, f.tid, scrollPane(f.list, f.view, paneRows, f.limit, scroll));
      return;
    }
    const bit = CLASS_ACTIONS[action];
    if (bit !== undefined) return setFilter(store, toggleClass(st.filter, bit));
    // The thread the view is about: the focused pane's, or in the merged timeline the list's first.
    const current = layout.focus !== ALL_THREADS ? layout.focus : st.focusTid || tids[0] || 0;
    switch (action) {
      case 'quit':
        return onQuit();
      case 'help':
        return store.setState({ overlay: 'help' });
      case 'focusNext':
      case 'focusPrev':
        // The list is browsed where it is alone on screen; a pick shows the thread's pane.
        return focusBy(store, action === 'focusNext' ? 1 : -1, layout.merged ? 0 : layout.focus);
      case 'zoom':
        if (!current) return;
        return store.setState({ mode: st.mode === 'zoom' ? 'threads' : 'zoom', focusTid: current });
      case 'merged':
        if (layout.merged) return current ? store.setState({ mode: 'threads', focusTid: current }) : undefined;
        return store.setState({ mode: 'merged' });
      case 'list':
        return store.setState({ showList: !layout.listWidth });
      case 'hideExited':
        return store.setState({ hideExited: !st.hideExited });
      case 'follow':
        return setView(store, layout.focus, { follow: true, cursor: 0, top: 0 });
      case 'details': {
        const seq = cursorSeq();
        if (seq < 0) return;
        return store.setState({ overlay: 'details', detailSeq: seq });
      }
      case 'followFd': {
        const seq = cursorSeq();
        if (seq < 0) return;
        if (st.filter.trail && st.trailBefore) {
          // o again: every row, the cursor staying on this one.
          store.setState({ filter: st.trailBefore.filter, mode: st.trailBefore.mode, trailBefore: null, message: '' });
          return showRow(seq);
        }
        const trail = trailAt(st.history, seq);
        if (!trail) return store.setState({ message: 'o: this row has no descriptor' });
        store.setState({
          filter: { ...NO_FILTER, trail },
          mode: 'merged',
          trailBefore: { filter: st.filter, mode: st.mode },
          message: trail.origin < 0 ? `${trail.label}: made before what the history holds` : '',
        });
        return showRow(trail.origin >= 0 ? trail.origin : trail.seqs[0]);
      }
      case 'prevUse':
      case 'nextUse': {
        const seq = cursorSeq();
        if (seq < 0) return;
        const trail = trailAt(st.history, seq, st.filter.trail as FdTrail | undefined);
        if (!trail) return store.setState({ message: `${action === 'prevUse' ? '<' : '>'}: this row has no descriptor` });
        const i = trail.seqs.indexOf(seq);
        const target = trail.seqs[action === 'prevUse' ? i - 1 : i + 1];
        if (target === undefined) {
          const first = trail.origin >= 0 ? `the call it came from` : 'the first call on it the history holds';
          return store.setState({ message: `${trail.label}: ${action === 'prevUse' ? `this is ${first}` : 'no later call on it yet'}` });
        }
        store.setState({ message: '' });
        return showRow(target);
      }
      case 'failed':
        return setFilter(store, { ...st.filter, failedOnly: !st.filter.failedOnly });
      case 'search':
        return store.setState({ searchDraft: st.filter.text, searchBefore: st.filter.text });
      case 'clearFilters':
        return store.setState({ filter: NO_FILTER, searchDraft: null, trailBefore: null });
      case 'write':
      case 'writeAll':
        return store.setState({ writeDraft: { path: defaultWritePath(st), all: action === 'writeAll', replace: false, error: '' } });
      case 'counters':
        store.setState({ overlay: st.overlay === 'counters' ? 'none' : 'counters' });
        return refreshCounters(store, source);
      case 'freeze':
        return toggleFreeze(store);
      case 'stop': {
        if (!tracer) return store.setState({ message: source ? 'P: a log has no live process to stop' : 'no trace to stop' });
        try {
          if (tracer.paused) tracer.resume();
          else tracer.pause();
          return store.setState({ enginePaused: tracer.paused, message: '' });
        } catch (err) {
          return store.setState({ message: (err as Error).message });
        }
      }
      case 'findings':
        return store.setState({ overlay: st.overlay === 'findings' ? 'none' : 'findings' });
      case 'inspect': {
        const pid = st.history.threads.get(current)?.pid ?? 0;
        if (!pid) return;
        if (onInspect) return onInspect(pid);
        return store.setState({ message: tracer ? 'inspector not available' : 'b: a log has no live process to inspect' });
      }
      case 'attachMore':
        if (!onAttachMore || !tracer) return store.setState({ message: tracer ? 'cannot attach more to this trace' : 'a: a log has no live process to attach to' });
        return onAttachMore();
      case 'detachToPicker':
        if (!onDetach) return store.setState({ message: 'no picker to go back to' });
        return onDetach();
      case 'commandLog':
        if (!commandLog) return store.setState({ message: 'no launched command here: L shows the output of a command started under trace' });
        return store.setState({ overlay: 'log' });
    }
  };

  const counterAct = (a: (typeof counterKeys)[number]['action']) => {
    const st = store.getState();
    const c = st.counters;
    const i = COUNTER_COLUMNS.indexOf(c.sort);
    switch (a) {
      case 'sortLeft':
      case 'sortRight': {
        const next = COUNTER_COLUMNS[(i + (a === 'sortLeft' ? -1 : 1) + COUNTER_COLUMNS.length) % COUNTER_COLUMNS.length];
        return store.setState({ counters: { ...c, sort: next, desc: next !== 'name' } });
      }
      case 'invert':
        return store.setState({ counters: { ...c, desc: !c.desc } });
      case 'scope': {
        const next = c.scope === 'all' ? 'process' : c.scope === 'process' ? 'thread' : 'all';
        store.setState({ counters: { ...c, scope: next } });
        return refreshCounters(store, source);
      }
      case 'reset':
        try {
          source?.resetCounters();
        } catch (err) {
          store.setState({ message: (err as Error).message });
        }
        return refreshCounters(store, source);
      case 'close':
        return store.setState({ overlay: 'none' });
    }
  };

  useKeyLayer((input, key) => {
    const { overlay, searchDraft, writeDraft } = store.getState();
    if (searchDraft !== null || writeDraft !== null || overlay === 'help') return; // they own the keys
    if (overlay === 'leave') {
      const a = matchKey(leaveKeys, input, key);
      if (a === 'stay') store.setState({ overlay: 'none' });
      else if (a) onLeaveChoice?.(a === 'kill');
      return;
    }
    const action = matchKey(traceKeys, input, key);
    if (overlay === 'details' || overlay === 'log' || overlay === 'findings') {
      if (action === 'quit') onQuit();
      else if (action === 'help') store.setState({ overlay: 'help' });
      return;
    }
    if (overlay === 'counters') {
      const ca = matchKey(counterKeys, input, key);
      if (ca) return counterAct(ca);
      if (!action || !COUNTER_PASSTHROUGH.has(action)) return;
    }
    if (action === 'focusN') {
      focusIndex(store, Number(input) - 1);
      // The list alone on screen (a narrow terminal): a number picks a thread and shows its pane.
      if (layout.listWidth === width) store.setState({ showList: false });
      if (overlay === 'counters') refreshCounters(store, source);
      return;
    }
    if (action) {
      act(action);
      if (overlay === 'counters' && (action === 'focusNext' || action === 'focusPrev')) refreshCounters(store, source);
    }
  });

  const stepDetails = (delta: number) => {
    const f = focusedList();
    const n = f.list.size(f.limit);
    if (!n) return;
    const i = Math.max(0, Math.min(n - 1, f.list.lowerBound(store.getState().detailSeq) + delta));
    const seq = f.list.seqAt(i);
    store.setState({ detailSeq: seq });
    setView(store, f.tid, { follow: false, cursor: seq, top: viewOf(store.getState(), f.tid).top });
  };

  /** A finding's call: its row, focused in its thread's pane. */
  const openRow = (seq: number) => {
    const st = store.getState();
    const ev = st.history.at(seq);
    if (!ev) return store.setState({ overlay: 'none', message: 'that row has left the history (--history N keeps more)' });
    // Its thread gets a pane (shown even if exited threads were hidden), the row the cursor.
    store.setState({ overlay: 'none', hideExited: false, message: st.history.matches(seq, st.filter) ? '' : 'that row is hidden by the filters (x clears them)' });
    focusThread(store, ev.tid);
    setView(store, ev.tid, { follow: false, cursor: seq, top: seq });
  };

  let body;
  if (overlay === 'help') {
    body = <HelpOverlay width={width} height={bodyH} onClose={() => store.setState({ overlay: 'none' })} />;
  } else if (overlay === 'counters') {
    body = <CounterTable store={store} width={width} height={bodyH} />;
  } else if (overlay === 'log') {
    body = <CommandLog path={commandLog} width={width} height={bodyH} onClose={() => store.setState({ overlay: 'none' })} />;
  } else if (overlay === 'findings') {
    body = <FindingsView store={store} width={width} height={bodyH} onOpen={openRow} onClose={() => store.setState({ overlay: 'none' })} />;
  } else if (overlay === 'details') {
    body = (
      <RowDetails
        event={s.history.at(detailSeq)}
        firstNs={s.source.timestamps ? s.history.firstNs : NaN}
        commOf={(tid) => s.history.threads.get(tid)?.comm ?? ''}
        width={width}
        height={bodyH}
        onClose={() => store.setState({ overlay: 'none' })}
        onStep={stepDetails}
        analysis={{
          note: s.analysis.annotations.get(detailSeq)?.long,
          findings: s.analysis.list().filter((f) => f.seqs.includes(detailSeq)).map((f) => f.title),
        }}
      />
    );
  } else {
    body = layout.listWidth === width ? (
      <ThreadList store={store} width={width} height={bodyH} focusTid={layout.focus} />
    ) : (
      <Box flexDirection="row" width={width} height={bodyH} columnGap={1}>
        {layout.listWidth ? <ThreadList store={store} width={layout.listWidth} height={bodyH} focusTid={layout.merged ? s.focusTid : layout.focus} /> : null}
        {layout.columns.map((col, c) => (
          <Box key={c} flexDirection="column" width={col[0].width} height={bodyH}>
            {col.map((p) => (
              <ThreadPane
                key={p.tid}
                store={store}
                tid={p.tid}
                index={tids.indexOf(p.tid) + 1}
                width={p.width}
                height={p.height}
                focused={p.tid === layout.focus}
              />
            ))}
          </Box>
        ))}
      </Box>
    );
  }

  const modeWord = layout.listWidth === width ? 'threads' : layout.merged ? 'merged timeline' : s.mode === 'zoom' ? 'zoomed' : '';
  return (
    // Unclipped, like its panes and bars: every line is already cut to the width (clipping made Ink
    // slice each one per frame), and each part keeps to its rows.
    <Box flexDirection="column" width={width} height={height}>
      <FilterHeader filter={filter} title={`${title}${modeWord ? ` [${modeWord}]` : ''}${filter.trail ? ` [${filter.trail.label}]` : ''}`} width={width} />
      {body}
      <StatusBar store={store} width={width} />
      {overlay === 'leave' ? (
        <LeavePrompt pid={tracer?.launchedPid ?? 0} command={title} width={width} />
      ) : searchDraft !== null ? (
        <LinePrompt
          key="search"
          label="/ "
          initial={searchDraft}
          width={width}
          onChange={(v) => store.setState({ filter: { ...store.getState().filter, text: v } })}
          onSubmit={() => store.setState({ searchDraft: null })}
          onCancel={() => {
            const st = store.getState();
            store.setState({ searchDraft: null, filter: { ...st.filter, text: st.searchBefore } });
          }}
        />
      ) : writeDraft !== null ? (
        <LinePrompt
          key="write"
          label={`Write ${writeWhat(s, writeDraft.all)} to: `}
          initial={writeDraft.path}
          width={width}
          error={writeDraft.error}
          onChange={(v) => {
            const d = store.getState().writeDraft;
            if (d) store.setState({ writeDraft: { ...d, path: v, replace: false, error: '' } });
          }}
          onSubmit={() => submitWrite(store, source)}
          onCancel={() => store.setState({ writeDraft: null })}
        />
      ) : (
        <KeyBar items={overlay === 'counters' ? COUNTER_BAR : overlay === 'details' ? DETAIL_BAR : overlay === 'findings' ? FINDINGS_BAR : tracer || !source ? TRACE_BAR : LOG_BAR} width={width} />
      )}
    </Box>
  );
}
