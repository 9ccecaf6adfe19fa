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
import { counterKeys, detailKeys, matchKey, traceKeys, type TraceAction } from './keymap.js';
import { KeyBar, type KeyBarItem } from './KeyBar.js';
import { CHROME_ROWS, traceLayout } from './layout.js';
import { LinePrompt } from './LinePrompt.js';
import { paneWindow, scrollPane, type ScrollAction } from './pane-window.js';
import { RowDetails } from './RowDetails.js';
import { StatusBar } from './StatusBar.js';
import {
  COUNTER_COLUMNS,
  focusBy,
  focusedPane,
  focusIndex,
  layoutTids,
  paneTids,
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

// Quit before Info: at 80 columns the last one does not fit.
const BAR_ORDER: TraceAction[] = ['help', 'focusNext', 'zoom', 'merged', 'counters', 'freeze', 'stop', 'write', 'quit', 'details'];
const BAR_LABEL: Partial<Record<TraceAction, string>> = { details: 'Info', freeze: 'Freeze' };
const BAR_KEYS: Partial<Record<TraceAction, string>> = { freeze: 'Spc' };
const barItems = (order: TraceAction[]): KeyBarItem[] =>
  order.map((a) => {
    const b = traceKeys.find((k) => k.action === a)!;
    return { keys: BAR_KEYS[a] ?? b.keys, bar: BAR_LABEL[a] ?? b.bar };
  });
const TRACE_BAR = barItems(BAR_ORDER);
// A log: nothing to freeze or stop, and the keys that need a live process say so.
const LOG_BAR: KeyBarItem[] = [...barItems(BAR_ORDER.filter((a) => a !== 'freeze' && a !== 'stop')), { keys: 'P b', bar: 'live only', dim: true }];
const COUNTER_BAR: KeyBarItem[] = [...counterKeys, { keys: 'q', bar: 'Quit' }];
const DETAIL_BAR: KeyBarItem[] = [...detailKeys, { keys: 'q', bar: 'Quit' }];

function FilterHeader({ filter, title, width }: { filter: TraceFilter; title: string; width: number }) {
  const items: { key: string; label: string; on: boolean }[] = CLASS_TOGGLES.map((t) => ({
    key: t.key,
    label: { file: 'file', network: 'net', process: 'proc', signal: 'sig', desc: 'desc', memory: 'mem', ipc: 'ipc' }[t.label],
    on: (filter.classes & t.bit) !== 0,
  }));
  items.push({ key: 'e', label: 'fail', on: filter.failedOnly });
  items.push({ key: '/', label: filter.text ? filter.text.slice(0, 16) : 'find', on: filter.text !== '' });
  const togglesLen = items.reduce((n, it) => n + it.key.length + it.label.length + 2, 0) + 7;
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
            <Text color={it.on ? 'green' : undefined} bold={it.on} dimColor={!it.on}>
              {' ' + it.label}
            </Text>
          </Text>
        ))}
        <Text dimColor> </Text>
        <Text bold color="yellow">
          x
        </Text>
        <Text dimColor> clear</Text>
      </Text>
    </Box>
  );
}

export function TraceScreen({ store, source, tracer, width, height, onQuit, onInspect }: TraceScreenProps) {
  useTraceState(store, (s) => s.version);
  const filter = useTraceState(store, (s) => s.filter);
  const title = useTraceState(store, (s) => s.title);
  const overlay = useTraceState(store, (s) => s.overlay);
  const searchDraft = useTraceState(store, (s) => s.searchDraft);
  const writeDraft = useTraceState(store, (s) => s.writeDraft);
  const focusTid = useTraceState(store, (s) => s.focusTid);
  const merged = useTraceState(store, (s) => s.merged);
  const zoom = useTraceState(store, (s) => s.zoom);
  const detailSeq = useTraceState(store, (s) => s.detailSeq);
  const s = store.getState();
  const tids = paneTids(s);
  const bodyH = Math.max(1, height - CHROME_ROWS);
  const layout = traceLayout({ width, height: bodyH, tids: layoutTids(s), focusTid, merged, zoom });
  const focusedRect = layout.panes.find((p) => p.tid === focusedPane(s)) ?? layout.panes[0];
  const paneRows = Math.max(1, focusedRect.height - 1);

  const focusedList = () => {
    const st = store.getState();
    const tid = focusedPane(st);
    return { tid, list: st.history.rows(tid, st.filter), view: viewOf(st, tid), limit: visibleLimit(st) };
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
    switch (action) {
      case 'quit':
        return onQuit();
      case 'help':
        return store.setState({ overlay: 'help' });
      case 'focusNext':
        return focusBy(store, 1);
      case 'focusPrev':
        return focusBy(store, -1);
      case 'zoom':
        return store.setState({ zoom: !st.zoom, merged: false });
      case 'merged':
        return store.setState({ merged: !st.merged });
      case 'follow':
        return setView(store, focusedPane(st), { follow: true, cursor: 0, top: 0 });
      case 'details': {
        const f = focusedList();
        const win = paneWindow(f.list, f.view, paneRows, f.limit);
        if (win.cursor < 0) return;
        return store.setState({ overlay: 'details', detailSeq: win.seqs[win.cursor] });
      }
      case 'failed':
        return setFilter(store, { ...st.filter, failedOnly: !st.filter.failedOnly });
      case 'search':
        return store.setState({ searchDraft: st.filter.text, searchBefore: st.filter.text });
      case 'clearFilters':
        return store.setState({ filter: NO_FILTER, searchDraft: null });
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
      case 'inspect': {
        const pid = st.history.threads.get(st.focusTid)?.pid ?? 0;
        if (!pid) return;
        if (onInspect) return onInspect(pid);
        return store.setState({ message: tracer ? 'inspector not available' : 'b: a log has no live process to inspect' });
      }
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
      case 'scope':
        store.setState({ counters: { ...c, scope: c.scope === 'thread' ? 'process' : 'thread' } });
        return refreshCounters(store, source);
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
    const action = matchKey(traceKeys, input, key);
    if (overlay === 'details') {
      if (action === 'quit') onQuit();
      return;
    }
    if (overlay === 'counters') {
      const ca = matchKey(counterKeys, input, key);
      if (ca) return counterAct(ca);
      if (!action || !COUNTER_PASSTHROUGH.has(action)) return;
    }
    if (action === 'focusN') {
      focusIndex(store, Number(input) - 1);
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

  let body;
  if (overlay === 'help') {
    body = <HelpOverlay width={width} height={bodyH} onClose={() => store.setState({ overlay: 'none' })} />;
  } else if (overlay === 'counters') {
    body = <CounterTable store={store} width={width} height={bodyH} />;
  } else if (overlay === 'details') {
    body = (
      <RowDetails
        event={s.history.at(detailSeq)}
        firstNs={s.source.timestamps ? s.history.firstNs : NaN}
        width={width}
        height={bodyH}
        onClose={() => store.setState({ overlay: 'none' })}
        onStep={stepDetails}
      />
    );
  } else {
    const panes = layout.panes.map((p) => (
      <ThreadPane key={p.tid} store={store} tid={p.tid} index={tids.indexOf(p.tid) + 1} width={p.width} height={p.height} />
    ));
    body = (
      <Box flexDirection={layout.direction} width={width} height={bodyH} columnGap={1}>
        {layout.mode === 'list' ? <ThreadList store={store} width={layout.listWidth} height={bodyH} /> : null}
        {panes}
      </Box>
    );
  }

  const modeWord = merged ? 'merged timeline' : zoom ? 'zoomed' : layout.mode === 'list' ? 'thread list' : '';
  return (
    // Unclipped, like its panes and bars: every line is already cut to the width (clipping made Ink
    // slice each one per frame), and each part keeps to its rows.
    <Box flexDirection="column" width={width} height={height}>
      <FilterHeader filter={filter} title={`${title}${modeWord ? ` [${modeWord}]` : ''}`} width={width} />
      {body}
      <StatusBar store={store} width={width} />
      {searchDraft !== null ? (
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
        <KeyBar items={overlay === 'counters' ? COUNTER_BAR : overlay === 'details' ? DETAIL_BAR : tracer || !source ? TRACE_BAR : LOG_BAR} width={width} />
      )}
    </Box>
  );
}
