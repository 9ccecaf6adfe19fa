// The trace screen: panes per thread (or one merged timeline), the filter header, the status bar
// and the key bar. It owns the trace keys; overlays (help, counters, row details) and the `/`
// prompt own theirs while open. Mode checks use render-time state, so a key that closes an
// overlay is never also handled here.
// htop's keys: F1 help, F3 search (n / N: next, previous match), F4 filter, F5 thread tree, F6 sort
// the counters, F9 (k) the signal menu, F10 quit. The mouse: a click focuses a pane (and puts the
// cursor on the row clicked) or a thread of the list, the wheel scrolls the pane under it, a click
// on the counter table's header sorts by that column.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useRef } from 'react';
import { SyscallClass, type TraceSource, type Tracer } from '../engine/types.js';
import { namespaceView } from '../engine/proc/namespaces.js';
import { COUNTER_HEADER_ROW, counterBodyRows, counterColumnAt, CounterTable } from './CounterTable.js';
import { CLASS_TOGGLES, classOfLetter, NO_FILTER, toggleClass, type TraceFilter } from './filter.js';
import { HelpOverlay } from './HelpOverlay.js';
import { barItems, counterKeys, detailKeys, findingsKeys, leaveKeys, logKeys, matchKey, optionKeys, searchPromptKeys, traceKeys, type TraceAction } from './keymap.js';
import { CommandLog } from './CommandLog.js';
import { FindingsView } from './FindingsView.js';
import { trailAt, type FdTrail } from './descriptors.js';
import { applyOption } from './display-options.js';
import { KeyBar, type KeyBarItem } from './KeyBar.js';
import { CHROME_ROWS, layoutPanes, type TraceLayout } from './layout.js';
import { LinePrompt } from './LinePrompt.js';
import { MeterHeader, meterRows } from './MeterHeader.js';
import { paneWindow, scrollPane, type ScrollAction } from './pane-window.js';
import { RowDetails } from './RowDetails.js';
import { countRows, findRow, NO_SEARCH, searchPattern, searchRegExp, type TraceSearch } from './search.js';
import { SIDE_MENU_WIDTH, SIGNAL_MENU_BAR, SideMenu, SORT_MENU_BAR } from './SideMenu.js';
import { sendSignal, SIGNALS, signalLabels, SIGTERM_INDEX } from './signal-send.js';
import { StatusBar } from './StatusBar.js';
import {
  COUNTER_COLUMN_LABEL,
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
  type TraceState,
  type TraceStore,
} from './store.js';
import { ThreadList, threadListTop } from './ThreadList.js';
import { ThreadPane } from './ThreadPane.js';
import { ALL_THREADS } from './trace-history.js';
import { useTraceState } from './use-trace-state.js';
import { defaultWritePath, submitWrite, writeWhat } from './write-view.js';
import type { MouseInput } from './terminal-input.js';

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
  process: SyscallClass.process,
  signal: SyscallClass.signal,
  desc: SyscallClass.desc,
  memory: SyscallClass.memory,
  ipc: SyscallClass.ipc,
};

/** Keys that still work while the counter table is open. */
const COUNTER_PASSTHROUGH = new Set<TraceAction>(['quit', 'help', 'focusNext', 'focusPrev', 'focusN', 'freeze', 'stop', 'inspect', 'signalMenu', 'sortMenu']);

// htop's function keys first, as htop's bar; Quit before the letters: at 80 columns the last ones do not fit;
// Findings last (the status bar's "! N problems" names its key when it is cut).
const BAR_ORDER: TraceAction[] = ['help', 'search', 'filter', 'signalMenu', 'quit', 'focusNext', 'zoom', 'merged', 'counters', 'freeze', 'stop', 'write', 'details', 'findings'];
const BAR_OPTS = {
  label: { details: 'Info', freeze: 'Freeze' },
  keys: { help: 'F1', search: 'F3', filter: 'F4', signalMenu: 'F9', quit: 'F10', freeze: 'Spc' },
} satisfies Parameters<typeof barItems<TraceAction>>[2];
const TRACE_BAR: KeyBarItem[] = barItems(traceKeys, BAR_ORDER, BAR_OPTS);
// While every thread is stopped (P) or the display frozen (Space), their keys say what they do then.
const barWhile = (paused: boolean, frozen: boolean): KeyBarItem[] =>
  !paused && !frozen ? TRACE_BAR : barItems(traceKeys, BAR_ORDER, { ...BAR_OPTS, label: { ...BAR_OPTS.label, ...(paused ? { stop: 'Resume' } : {}), ...(frozen ? { freeze: 'Unfreeze' } : {}) } });
// A log: nothing to freeze, stop or signal. What a log is opened for (the -c table, writing it out)
// comes right after Quit, then that the keys needing a live process do not apply: at 80 columns
// pane keys and Findings are the ones cut (the status bar's "! N problems" names its key).
const LOG_FIRST: TraceAction[] = ['help', 'search', 'filter', 'quit', 'counters', 'write'];
const LOG_BAR: KeyBarItem[] = [
  ...barItems(traceKeys, LOG_FIRST, BAR_OPTS),
  { keys: 'P b k', bar: 'live only', dim: true },
  ...barItems(traceKeys, BAR_ORDER.filter((a) => !LOG_FIRST.includes(a) && a !== 'freeze' && a !== 'stop' && a !== 'signalMenu'), BAR_OPTS),
];
const COUNTER_BAR: KeyBarItem[] = [...counterKeys, { keys: 'q', bar: 'Quit' }];
const DETAIL_BAR: KeyBarItem[] = [...detailKeys, { keys: 'q', bar: 'Quit' }];
const FINDINGS_BAR: KeyBarItem[] = [...findingsKeys, { keys: 'q', bar: 'Quit' }];
const COMMAND_LOG_BAR: KeyBarItem[] = [...logKeys, { keys: 'q', bar: 'Quit' }];
// The help's own keys (HelpOverlay): F10 and q close it there, they do not quit.
const HELP_BAR: KeyBarItem[] = [
  { keys: '↑ ↓ PgUp PgDn', bar: 'Scroll' },
  { keys: 'Esc F1 ? q F10', bar: 'Close' },
];

/** `/open/i` as the prompt and the messages say it: text, then r (regex) and i (ignore case) as they apply. */
export function describeSearch(s: TraceSearch): string {
  return `/${s.text}/${s.regex ? 'r' : ''}${s.matchCase ? '' : 'i'}`;
}

const SHORT_LABEL: Record<string, string> = { file: 'file', network: 'net', process: 'proc', signal: 'sig', desc: 'desc', memory: 'mem', ipc: 'ipc' };

/**
 * ` title [mode] [trail]` in `room` columns: what the screen shows (the marks) stays whole, and the
 * title (a command line, a path) is cut at its end with '>', as rows are; with too little room for
 * that, the line is simply cut.
 */
export function headText(title: string, marks: string, room: number): string {
  const whole = ` ${title}${marks}`;
  if (whole.length <= room) return whole.padEnd(room);
  const titleRoom = room - marks.length - 1;
  if (titleRoom < 8) return whole.slice(0, room);
  return ` ${title.slice(0, titleRoom - 1)}>${marks}`;
}

/**
 * The top line: what is traced, then the filter toggles (key, and a word when there is room; lit
 * when on). The title gets at least half the line: at 80 columns the toggles are letters only.
 */
function FilterHeader({ filter, search, title, marks, width }: { filter: TraceFilter; search: TraceSearch | null; title: string; marks: string; width: number }) {
  const items: { key: string; label: string; on: boolean }[] = CLASS_TOGGLES.map((t) => ({
    key: t.key,
    label: SHORT_LABEL[t.label],
    on: (filter.classes & t.bit) !== 0,
  }));
  items.push({ key: 'e', label: 'fail', on: filter.failedOnly });
  items.push({ key: '&', label: filter.text ? filter.text.slice(0, 16) : 'filter', on: filter.text !== '' });
  items.push({ key: '/', label: search?.text ? search.text.slice(0, 16) : 'search', on: !!search?.text });
  const typed = (it: { key: string; label: string; on: boolean }) => (it.key === '/' || it.key === '&') && it.on;
  const wide = items.reduce((n, it) => n + it.key.length + it.label.length + 2, 0) + 8;
  const narrow = items.reduce((n, it) => n + it.key.length + 1 + (typed(it) ? it.label.length : 0), 0) + 3;
  const withWords = width - wide >= Math.max(title.length + marks.length + 2, Math.floor(width / 2));
  const togglesLen = withWords ? wide : narrow;
  const titleRoom = Math.max(0, width - togglesLen - 1);
  const head = headText(title, marks, titleRoom);
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
            {withWords || typed(it) ? (
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
  // The keys always fit (they are the question's answers); the command line gets the room left,
  // cut with '>' as the rows are, or goes when too little is left to tell anything.
  const keysW = leaveKeys.reduce((n, k) => n + k.keys.length + k.bar!.length + 2, 0);
  const bare = ` pid ${pid} still runs: `;
  const room = Math.min(30, width - keysW - bare.length - 3);
  const shown = room >= 8 ? (command.length > room ? command.slice(0, room - 1) + '>' : command) : '';
  const what = shown ? ` pid ${pid} (${shown}) still runs: ` : bare;
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
  const filterDraft = useTraceState(store, (s) => s.filterDraft);
  const search = useTraceState(store, (s) => s.search);
  const searchOpen = useTraceState(store, (s) => s.searchOpen);
  const helpSection = useTraceState(store, (s) => s.helpSection);
  const writeDraft = useTraceState(store, (s) => s.writeDraft);
  useTraceState(store, (s) => s.focusTid);
  useTraceState(store, (s) => s.mode);
  useTraceState(store, (s) => s.showList);
  useTraceState(store, (s) => s.hideExited);
  const detailSeq = useTraceState(store, (s) => s.detailSeq);
  const enginePaused = useTraceState(store, (s) => s.enginePaused);
  const frozen = useTraceState(store, (s) => s.frozenAt !== null);
  // The layout shown while the cursor was moved (below); F, End or G (following again) lets it change at once.
  const held = useRef<{ layout: TraceLayout; key: string } | null>(null);
  useTraceState(store, (s) => viewOf(s, held.current?.layout.focus ?? ALL_THREADS).follow);
  const s = store.getState();
  const tids = listTids(s);
  const meterCount = useTraceState(store, (s) => s.meters.length);
  // htop's meters under the filter header, for a live trace (a log has no process to measure).
  const metersH = tracer ? meterRows(height, meterCount) : 0;
  const bodyH = Math.max(1, height - CHROME_ROWS - metersH);
  /** The screen row of the body's first line (under the filter header and the meters). */
  const bodyTop = 1 + metersH;
  const menuOpen = overlay === 'signalMenu' || overlay === 'sortMenu';
  // A side menu takes the left of the body; the panes (or the counter table) the rest.
  const bodyW = menuOpen ? Math.max(20, width - SIDE_MENU_WIDTH - 1) : width;
  // As the activity says, but without flickering: once too many threads were busy for panes, the
  // merged timeline stays (t leaves it).
  let layout = layoutOf(s, bodyW, bodyH, s.autoMerged);
  // auto: while the reader has moved the cursor (the view keys act on is not following), the
  // layout stays as it is: a thread going quiet or busy does not swap the panes for the merged
  // timeline (or back) under the row being read. F or End, following again, lets it change.
  const heldKey = `${bodyW}x${bodyH} ${String(s.showList)} ${String(s.hideExited)}`;
  const before = held.current;
  if (before && before.key === heldKey && s.mode === 'auto' && !viewOf(s, before.layout.focus).follow) layout = before.layout;
  held.current = { layout, key: heldKey };
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
  /**
   * The cursor on row `seq`, in its thread's pane or the timeline. `patch` (a filter or mode to
   * change with it) goes in the same state update: a frame between the two would show, and take
   * keys on, a view that was never meant. `wasMerged`: whether the timeline is what 'auto' shows
   * once the patch is in (this frame's layout is the one being left).
   */
  const showRow = (seq: number, patch: Partial<TraceState> = {}, wasMerged = layout.merged) => {
    const st = { ...store.getState(), ...patch };
    const tid = st.history.tidAt(seq);
    const merged = st.mode === 'merged' || (st.mode === 'auto' && wasMerged);
    const pane = merged ? ALL_THREADS : tid;
    if (!merged && tid !== layout.focus) focusThread(store, tid);
    const list = st.history.rows(pane, st.filter);
    const i = list.lowerBound(seq);
    const hidden = i >= list.size(Infinity) || list.seqAt(i) !== seq;
    const view = { follow: false, cursor: seq, top: list.seqAt(Math.max(0, i - Math.floor(paneRows / 2))) ?? seq };
    store.setState({
      ...patch,
      ...(hidden ? { message: 'that row is hidden by the filters (x shows every row)' } : {}),
      views: { ...store.getState().views, [pane]: view },
    });
  };

  /** n / N, and Enter in the search prompt: the focused pane's cursor on the next match going dir. */
  const gotoMatch = (dir: 1 | -1, fromCursor: boolean) => {
    const st = store.getState();
    const re = searchPattern(st.search);
    if (!re) return store.setState({ message: st.search?.text ? 'the search is not a valid regular expression' : 'no search: F3 or / first' });
    const f = focusedList();
    const n = f.list.size(f.limit);
    const win = paneWindow(f.list, f.view, paneRows, f.limit);
    const at = win.cursor < 0 ? n - 1 : win.first + win.cursor;
    // Enter: the match nearest the cursor going back (following, the newest); n / N: the next one.
    const i = fromCursor ? findRow(f.list, st.history, re, at, -1, f.limit) : findRow(f.list, st.history, re, at + dir, dir, f.limit);
    if (i < 0) return store.setState({ message: `no ${dir === 1 ? 'newer' : 'older'} match for ${describeSearch(st.search!)}` });
    const seq = f.list.seqAt(i);
    const top = win.seqs.includes(seq) ? win.seqs[0] : f.list.seqAt(Math.max(0, i - Math.floor(paneRows / 2)));
    setView(store, f.tid, { follow: false, cursor: seq, top });
    store.setState({ message: '' });
  };

  const classPending = useRef(false);
  /** Where a side menu goes back to: the counter table, or the panes. */
  const menuBack = useRef<'counters' | 'none'>('none');

  /** The process of the thread the view is about, for the signal menu. */
  const signalTarget = (): { pid: number; who: string } | null => {
    const st = store.getState();
    const tid = layout.focus !== ALL_THREADS ? layout.focus : st.focusTid || tids[0] || 0;
    const info = st.history.threads.get(tid);
    if (!info || !tracer) return null;
    const comm = st.history.threads.get(info.pid)?.comm ?? info.comm;
    return { pid: info.pid, who: `pid ${info.pid}${comm ? ` (${comm})` : ''}` };
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
        return store.setState({ overlay: 'help', helpSection: st.overlay === 'counters' ? 'counters' : 'trace' });
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
          return showRow(seq, { filter: st.trailBefore.filter, mode: st.trailBefore.mode, trailBefore: null, message: '' }, st.trailBefore.merged);
        }
        const trail = trailAt(st.history, seq);
        if (!trail) return store.setState({ message: 'o: this row has no descriptor' });
        return showRow(trail.origin >= 0 ? trail.origin : trail.seqs[0], {
          filter: { ...NO_FILTER, trail },
          mode: 'merged',
          trailBefore: { filter: st.filter, mode: st.mode, merged: layout.merged },
          message: trail.origin < 0 ? `${trail.label}: made before what the history holds` : '',
        });
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
        return store.setState({ searchOpen: true, searchBefore: st.search, search: st.search ?? NO_SEARCH });
      case 'searchNext':
        return gotoMatch(1, false);
      case 'searchPrev':
        return gotoMatch(-1, false);
      case 'filter':
        return store.setState({ filterDraft: st.filter.text, filterBefore: st.filter.text });
      case 'classPrefix':
        classPending.current = true;
        return store.setState({ message: '% then a class: f file, n network, p process, s signal, d desc, m memory, i ipc' });
      case 'tree':
        return store.setState({ threadTree: !st.threadTree, showList: st.threadTree ? st.showList : true });
      case 'sortMenu':
        menuBack.current = st.overlay === 'counters' ? 'counters' : 'none';
        store.setState({ overlay: 'sortMenu' });
        return refreshCounters(store, source);
      case 'signalMenu':
        if (!tracer) return store.setState({ message: source ? 'F9: a log has no live process to signal' : 'no process to signal' });
        if (!signalTarget()) return store.setState({ message: 'no process to signal yet' });
        menuBack.current = st.overlay === 'counters' ? 'counters' : 'none';
        return store.setState({ overlay: 'signalMenu' });
      case 'clearFilters':
        return store.setState({ filter: NO_FILTER, filterDraft: null, search: null, trailBefore: null });
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
          // the threads as they are now, so the status bar says at once which could not stop
          return store.setState({ enginePaused: tracer.paused, threads: tracer.threads(), message: '' });
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
      case 'option':
        return store.setState({ optionPending: true, message: `-: ${optionKeys.map((k) => `${k.action} ${k.bar}`).join(', ')}` });
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
        return store.setState({ counters: { ...c, sort: next, desc: next !== 'name', top: 0 } });
      }
      case 'invert':
        return store.setState({ counters: { ...c, desc: !c.desc, top: 0 } });
      case 'scope': {
        const next = c.scope === 'all' ? 'process' : c.scope === 'process' ? 'thread' : 'all';
        store.setState({ counters: { ...c, scope: next, top: 0 } });
        return refreshCounters(store, source);
      }
      case 'reset':
        try {
          source?.resetCounters();
        } catch (err) {
          store.setState({ message: (err as Error).message });
        }
        return refreshCounters(store, source);
      case 'up':
      case 'down':
      case 'pageUp':
      case 'pageDown': {
        const page = counterBodyRows(bodyH);
        const step = a === 'up' ? -1 : a === 'down' ? 1 : a === 'pageUp' ? -page : page;
        const top = Math.max(0, Math.min(c.rows.length - page, c.top + step));
        return top === c.top ? undefined : store.setState({ counters: { ...c, top } });
      }
      case 'close':
        return store.setState({ overlay: 'none' });
    }
  };

  /** A click or the wheel on the trace screen (the help, the details and the menus take their own). */
  const onMouse = (m: MouseInput) => {
    const st = store.getState();
    const y = m.y - bodyTop;
    if (y < 0 || y >= bodyH) return;
    if (st.overlay === 'counters') {
      if (m.button === 'wheelUp' || m.button === 'wheelDown') return counterAct(m.button === 'wheelUp' ? 'up' : 'down');
      const col = m.button === 'left' && y === COUNTER_HEADER_ROW ? counterColumnAt(m.x) : undefined;
      if (!col) return;
      const c = st.counters;
      // As htop: a click on the sorted column reverses it.
      return store.setState({ counters: { ...c, sort: col, desc: col === c.sort ? !c.desc : col !== 'name', top: 0 } });
    }
    if (st.overlay !== 'none') return;
    const wheel = m.button === 'wheelUp' ? -1 : m.button === 'wheelDown' ? 1 : 0;
    if (!wheel && m.button !== 'left') return;
    // The thread list (alone, or on the left).
    if (layout.listWidth === bodyW || (layout.listWidth && m.x < layout.listWidth)) {
      if (wheel) return focusBy(store, wheel, layout.merged ? st.focusTid : layout.focus);
      const listFocus = layout.merged ? st.focusTid : layout.focus;
      const rows = Math.max(1, bodyH - 1);
      const tid = tids[threadListTop(tids.length, tids.indexOf(listFocus), rows) + y - 1];
      if (y < 1 || tid === undefined) return;
      focusThread(store, tid);
      if (layout.listWidth === bodyW) store.setState({ showList: false });
      return;
    }
    let x = m.x - (layout.listWidth ? layout.listWidth + 1 : 0);
    for (const col of layout.columns) {
      const w = col[0]?.width ?? 0;
      if (x >= w) {
        x -= w + 1;
        continue;
      }
      let paneTop = 0;
      for (const p of col) {
        if (y >= paneTop + p.height) {
          paneTop += p.height;
          continue;
        }
        const rowsH = Math.max(1, p.height - 1);
        const list = st.history.rows(p.tid, st.filter);
        const limit = visibleLimit(st);
        if (wheel) {
          let v = viewOf(st, p.tid);
          for (let k = 0; k < 3; k++) v = scrollPane(list, v, rowsH, limit, wheel < 0 ? 'up' : 'down');
          return setView(store, p.tid, v);
        }
        if (p.tid !== ALL_THREADS && p.tid !== layout.focus) focusThread(store, p.tid);
        const row = y - paneTop - 1;
        const win = paneWindow(list, viewOf(st, p.tid), rowsH, limit);
        if (row >= 0 && row < win.seqs.length) setView(store, p.tid, { follow: false, cursor: win.seqs[row], top: win.seqs[0] });
        return;
      }
      return;
    }
  };

  useKeyLayer((input, key) => {
    const { overlay, filterDraft, writeDraft, searchOpen } = store.getState();
    if (filterDraft !== null || writeDraft !== null || searchOpen || overlay === 'help' || overlay === 'signalMenu' || overlay === 'sortMenu') return; // they own the keys
    if (key.mouse) return onMouse(key.mouse);
    if (classPending.current) {
      classPending.current = false;
      const bit = classOfLetter(input);
      store.setState({ message: bit === undefined ? '% needs a class letter: f n p s d m i' : '' });
      if (bit !== undefined) setFilter(store, toggleClass(store.getState().filter, bit));
      return;
    }
    if (overlay === 'leave') {
      const a = matchKey(leaveKeys, input, key);
      if (a === 'stay') store.setState({ overlay: 'none' });
      else if (a) onLeaveChoice?.(a === 'kill');
      return;
    }
    if (store.getState().optionPending) {
      const letter = matchKey(optionKeys, input, key);
      const changed = letter && applyOption(store.getState().display, letter);
      store.setState(changed ? { optionPending: false, display: changed.display, message: changed.said } : { optionPending: false, message: '' });
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

  /** The panes (or the thread list alone) in `w` columns. */
  const panesBody = (w: number) =>
    layout.listWidth === w ? (
      <ThreadList store={store} width={w} height={bodyH} focusTid={layout.focus} />
    ) : (
      <Box flexDirection="row" width={w} height={bodyH} columnGap={1}>
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

  const closeMenu = () => store.setState({ overlay: menuBack.current });
  let body;
  if (overlay === 'help') {
    body = <HelpOverlay width={width} height={bodyH} section={helpSection} onClose={() => store.setState({ overlay: 'none' })} />;
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
        placeOf={tracer ? (pid) => (s.history.threads.get(pid)?.exited ? undefined : namespaceView(pid)) : undefined}
        nowNs={s.source.kind === 'log' ? NaN : s.clockNs}
        analysis={{
          note: s.analysis.annotations.get(detailSeq)?.long,
          findings: s.analysis.list().filter((f) => f.seqs.includes(detailSeq)).map((f) => f.title),
        }}
      />
    );
  } else if (menuOpen) {
    const target = overlay === 'signalMenu' ? signalTarget() : null;
    const menu =
      overlay === 'sortMenu' ? (
        <SideMenu
          title="Sort counters by"
          items={COUNTER_COLUMNS.map((c) => COUNTER_COLUMN_LABEL[c])}
          initial={COUNTER_COLUMNS.indexOf(s.counters.sort)}
          width={SIDE_MENU_WIDTH}
          height={bodyH}
          screenTop={bodyTop}
          onChoose={(i) => {
            const c = store.getState().counters;
            store.setState({ overlay: 'counters', counters: { ...c, sort: COUNTER_COLUMNS[i], desc: COUNTER_COLUMNS[i] !== 'name', top: 0 } });
          }}
          onCancel={closeMenu}
        />
      ) : (
        <SideMenu
          title={`Send signal: ${target?.pid ?? '?'}`}
          items={signalLabels()}
          initial={SIGTERM_INDEX}
          width={SIDE_MENU_WIDTH}
          height={bodyH}
          screenTop={bodyTop}
          onChoose={(i) => {
            const t = signalTarget();
            const r = t ? sendSignal(t.pid, SIGNALS[i], t.who) : { text: 'no process to signal' };
            store.setState({ overlay: menuBack.current, message: r.text });
          }}
          onCancel={closeMenu}
        />
      );
    body = (
      <Box flexDirection="row" width={width} height={bodyH} columnGap={1}>
        {menu}
        {menuBack.current === 'counters' || overlay === 'sortMenu' ? <CounterTable store={store} width={bodyW} height={bodyH} /> : panesBody(bodyW)}
      </Box>
    );
  } else {
    body = panesBody(width);
  }

  let bottom;
  if (overlay === 'leave') {
    bottom = <LeavePrompt pid={tracer?.launchedPid ?? 0} command={title} width={width} />;
  } else if (searchOpen) {
    const cur = search ?? NO_SEARCH;
    const re = searchRegExp(cur);
    const f = focusedList();
    const note = `${cur.regex ? 'regex' : 'text'}, ${cur.matchCase ? 'match case' : 'any case'}${re instanceof RegExp ? `: ${countRows(f.list, s.history, re, f.limit).toLocaleString('en-US')} rows match` : ''}  (^R regex ^A case)`;
    bottom = (
      <LinePrompt
        key="search"
        label="Search: "
        initial={cur.text}
        width={width}
        note={note}
        error={re && !(re instanceof RegExp) ? re.error : ''}
        onKey={(input, key) => {
          const a = matchKey(searchPromptKeys, input, key);
          if (!a) return false;
          const now = store.getState().search ?? NO_SEARCH;
          store.setState({ search: a === 'regex' ? { ...now, regex: !now.regex } : { ...now, matchCase: !now.matchCase } });
          return true;
        }}
        onChange={(v) => store.setState({ search: { ...(store.getState().search ?? NO_SEARCH), text: v } })}
        onSubmit={() => {
          const now = store.getState().search;
          store.setState({ searchOpen: false, search: now?.text ? now : null });
          if (now?.text) gotoMatch(-1, true);
        }}
        onCancel={() => store.setState({ searchOpen: false, search: store.getState().searchBefore })}
      />
    );
  } else if (filterDraft !== null) {
    bottom = (
      <LinePrompt
        key="filter"
        label="Filter: "
        initial={filterDraft}
        width={width}
        note="only rows whose line holds it"
        onChange={(v) => store.setState({ filter: { ...store.getState().filter, text: v } })}
        onSubmit={() => store.setState({ filterDraft: null })}
        onCancel={() => {
          const st = store.getState();
          store.setState({ filterDraft: null, filter: { ...st.filter, text: st.filterBefore } });
        }}
      />
    );
  } else if (writeDraft !== null) {
    bottom = (
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
    );
  } else {
    bottom = <KeyBar items={overlay === 'help' ? HELP_BAR : overlay === 'signalMenu' ? SIGNAL_MENU_BAR : overlay === 'sortMenu' ? SORT_MENU_BAR : overlay === 'counters' ? COUNTER_BAR : overlay === 'details' ? DETAIL_BAR : overlay === 'findings' ? FINDINGS_BAR : overlay === 'log' ? COMMAND_LOG_BAR : tracer || !source ? barWhile(enginePaused, frozen) : LOG_BAR} width={width} />;
  }

  const modeWord = layout.listWidth === bodyW ? 'threads' : layout.merged ? 'merged timeline' : s.mode === 'zoom' ? 'zoomed' : '';
  return (
    // Unclipped, like its panes and bars: every line is already cut to the width (clipping made Ink
    // slice each one per frame), and each part keeps to its rows.
    <Box flexDirection="column" width={width} height={height}>
      <FilterHeader filter={filter} search={search} title={title} marks={`${modeWord ? ` [${modeWord}]` : ''}${filter.trail ? ` [${filter.trail.label}]` : ''}`} width={width} />
      {metersH ? <MeterHeader store={store} width={width} rows={metersH} /> : null}
      {body}
      <StatusBar store={store} width={width} />
      {bottom}
    </Box>
  );
}
