// The process picker: every process from /proc, refreshed every 2 s without losing the selection
// or the scroll position. Typing filters (fuzzy), Enter attaches; a refusal is shown right under
// the row it concerns, whole (wrapped over as many lines as it takes). ^N opens a prompt to launch
// a new command instead. Its state lives in a PickerStore (picker-store.ts).
// htop's keys: F3 searches (the selection jumps), F4 filters, F5 tree, F6 sort menu, F9 signal
// menu, F10 quits. The mouse: a click picks a line, on a column header sorts by it (again:
// reversed), the wheel moves the selection.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { ProcessInfo } from '../engine/proclist.js';
import type { Tracer } from '../engine/types.js';
import { HelpOverlay } from './HelpOverlay.js';
import { barItems, matchKey, pickerKeys, type PickerAction } from './keymap.js';
import { KeyBar } from './KeyBar.js';
import { LinePrompt } from './LinePrompt.js';
import { createPickerStore, findProcess, moveSelection, pickerRows, selectedIndex, selectRow, type PickerHide, type PickerStore } from './picker-store.js';
import { formatBytes, nsFlags, SORT_COLUMN, SORT_KEYS, sortKeyAt, traceTitle, type ProcessRow, type SortKey } from './process-rows.js';
import { SIDE_MENU_WIDTH, SIGNAL_MENU_BAR, SideMenu, SORT_MENU_BAR } from './SideMenu.js';
import { sendSignal, SIGNALS, signalLabels, SIGTERM_INDEX } from './signal-send.js';
import { useStore } from 'zustand';
import { shellSplit } from './shell-split.js';
import type { Result } from 'fuzzysort';
import type { KeyPress } from './terminal-input.js';

export type OpenRequest = { pid: number } | { argv: string[] };

export interface ProcessPickerProps {
  listProcesses: () => ProcessInfo[];
  /** where the picker keeps its state (App keeps one for the whole session); a fresh one if absent */
  store?: PickerStore;
  refreshMs?: number;
  openTracer: (req: OpenRequest) => Tracer | Promise<Tracer>;
  onTracer: (tracer: Tracer, title: string) => void;
  onQuit: () => void;
  onInspect?: (pid: number) => void;
  /** 'attach': picking one more process for the trace under it (no launching); Esc goes back */
  purpose?: 'trace' | 'attach';
  /** Esc with an empty filter (the attach picker: back to the trace) */
  onCancel?: () => void;
  width: number;
  height: number;
}

/**
 * Which optional columns the picker shows. UNIT/CONTAINER and the namespace columns appear when a
 * process has something to put in them (a host without systemd or containers keeps the classic
 * columns); WCHAN gives way when the command would be left fewer than 30 columns.
 */
export interface PickerColumns {
  wchan: boolean;
  unit: boolean;
  ns: boolean;
}

const FIXED = '    PID USER      S  THR  CPU%    RSS ';
const WCHAN = 'WCHAN          ';
const UNIT_W = 19; // `docker:3f2a1b4c5d6e`; longer labels are cut with a +, and stay searchable whole
const UNIT = 'UNIT/CONTAINER'.padEnd(UNIT_W + 1);
const NS = '  NSPID NS  ';

export function pickerColumns(procs: readonly ProcessInfo[], width: number): PickerColumns {
  const unit = procs.some((p) => p.unit !== '');
  // Known to differ: a process we may not look at (another user's, as non-root) is not reason enough.
  const ns = procs.some((p) => p.ns.pid || p.ns.mnt || p.ns.net);
  const without = FIXED.length + (unit ? UNIT.length : 0) + (ns ? NS.length : 0);
  return { wchan: width - without - WCHAN.length >= 30, unit, ns };
}

function header(c: PickerColumns): string {
  return FIXED + (c.wchan ? WCHAN : '') + (c.unit ? UNIT : '') + (c.ns ? NS : '') + 'COMMAND';
}

const cut = (text: string, w: number) => (text.length > w ? text.slice(0, w - 1) + '+' : text);

/** The picker's rows on screen: the title line, then the column header, then the list. */
const HEADER_Y = 1;
const LIST_Y = 2;

// As htop's bar: the function keys alone (the help lists the other keys of each).
const PICKER_BAR = barItems(pickerKeys, ['help', 'search', 'filter', 'tree', 'sortMenu', 'signal', 'quit', 'attach', 'launch', 'inspect'] as PickerAction[], {
  keys: { help: 'F1', tree: 'F5', quit: 'F10' },
});

/** The column header, the sorted column's label marked (htop colours it). */
function ColumnHeader({ header, sort, reverse, width }: { header: string; sort: SortKey; reverse: boolean; width: number }) {
  const label = SORT_COLUMN[sort];
  const at = new RegExp(`(^| )${label}( |$)`).exec(header);
  const line = header.padEnd(width).slice(0, width);
  if (!at) return <Text inverse bold wrap="truncate">{line}</Text>;
  const from = at.index + at[1].length;
  const to = from + label.length;
  return (
    <Text inverse bold wrap="truncate">
      {line.slice(0, from)}
      <Text color={reverse ? 'magenta' : 'cyan'}>{line.slice(from, to)}</Text>
      {line.slice(to)}
    </Text>
  );
}

/** What the title says of the hide toggles: ` -kernel -others traceable`. */
function hideWords(h: PickerHide): string {
  return `${h.kernel ? '  -kthreads' : ''}${h.others ? '  -others' : ''}${h.untraceable ? '  traceable only' : ''}`;
}

/**
 * TEXT cut to MAX characters, the letters R matched highlighted. Only what fits goes to Ink: a
 * command line can be tens of kilobytes (make, java), and Ink measures every character of every
 * string it lays out, on every frame.
 */
function hl(r: Result | undefined, text: string, max = text.length): ReactNode {
  const shown = text.length > max ? text.slice(0, Math.max(0, max)) : text;
  if (!r) return shown;
  const hit = new Set(r.indexes);
  const parts: ReactNode[] = [];
  let from = 0;
  for (let i = 1; i <= shown.length; i++) {
    if (i < shown.length && hit.has(i) === hit.has(from)) continue;
    const run = shown.slice(from, i);
    parts.push(
      hit.has(from) ? (
        <Text key={from} color="yellow" bold underline>
          {run}
        </Text>
      ) : (
        run
      ),
    );
    from = i;
  }
  return parts;
}

function ProcessLine({ row, selected, width, cols }: { row: ProcessRow; selected: boolean; width: number; cols: PickerColumns }) {
  const p = row.proc;
  const m = row.matches;
  const pid = String(p.pid);
  const user = cut(p.user, 9);
  const wchan = cut(p.wchan, 14) || '-';
  const unit = cut(p.unit, UNIT_W);
  const cmd = p.cmdline || `[${p.comm}]`;
  const cmdMatch = p.cmdline ? m?.cmdline : m?.name;
  // The name matched but not the command line: show the name too, so the match is visible.
  const showComm = !!p.cmdline && !!m && !m.cmdline && !!m.name;
  // Every line is cut here, to the column, as htop does: Ink would otherwise cut it with a `…`,
  // and measuring a line holding one costs a thousand times an ASCII one.
  const before = header(cols).length - 'COMMAND'.length + row.prefix.length;
  const cmdRoom = Math.max(0, width - before);
  const comm = showComm && cmd.length + p.comm.length + 3 <= cmdRoom;
  const used = before + Math.min(cmd.length, cmdRoom) + (comm ? p.comm.length + 3 : 0);
  return (
    <Text wrap="truncate" inverse={selected} color={p.kernelThread ? 'gray' : undefined}>
      {' '.repeat(Math.max(0, 7 - pid.length))}
      {hl(m?.pid, pid)} {hl(m?.user && user === p.user ? m.user : undefined, user)}
      {' '.repeat(Math.max(0, 9 - user.length))} <Text color={p.state === 'D' ? 'red' : p.state === 'R' ? 'green' : undefined}>{p.state}</Text>{' '}
      {String(p.threads).padStart(4)} {p.cpu.toFixed(1).padStart(5)} {formatBytes(p.rss).padStart(6)} {cols.wchan ? wchan.padEnd(15) : ''}
      {cols.unit ? (
        <>
          {hl(m?.unit && unit === p.unit ? m.unit : undefined, unit)}
          {' '.repeat(UNIT_W + 1 - unit.length)}
        </>
      ) : null}
      {cols.ns ? (
        <>
          {(p.ns.innerPid ? String(p.ns.innerPid) : '').padStart(7)} <Text color="cyan">{nsFlags(p)}</Text>{' '}
        </>
      ) : null}
      <Text dimColor>{row.prefix}</Text>
      {hl(cmdMatch, cmd, cmdRoom)}
      {comm ? <Text dimColor> ({hl(m!.name, p.comm)})</Text> : null}
      {' '.repeat(Math.max(0, width - used))}
    </Text>
  );
}

/** A message cut into lines of at most `width` columns, at spaces where it can. */
export function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  const w = Math.max(10, width);
  while (rest.length > w) {
    let cut = rest.lastIndexOf(' ', w);
    if (cut < w / 2) cut = w;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}

const ERROR_INDENT = '   ✗ ';

export function ProcessPicker({ listProcesses, store: given, refreshMs = 2000, openTracer, onTracer, onQuit, onInspect, purpose = 'trace', onCancel, width, height }: ProcessPickerProps) {
  const listRef = useRef(listProcesses);
  listRef.current = listProcesses;
  const store = useMemo(() => {
    const st = given ?? createPickerStore();
    if (!st.getState().sampledAt) st.setState({ procs: listRef.current(), sampledAt: performance.now() });
    return st;
  }, [given]);
  const s = useStore(store);
  const { procs, query, sort, reverse, hide, tree, error, mode, launchError, search } = s;

  useEffect(() => {
    const refresh = () => store.setState({ procs: listRef.current(), sampledAt: performance.now() });
    // Back from a trace or the inspector: a fresh list at once, not in up to refreshMs.
    if (performance.now() - store.getState().sampledAt >= refreshMs) refresh();
    const timer = setInterval(refresh, refreshMs);
    return () => clearInterval(timer);
  }, [store, refreshMs]);

  const menuOpen = mode === 'sortMenu' || mode === 'signalMenu';
  const listW = menuOpen ? Math.max(10, width - SIDE_MENU_WIDTH - 1) : width;
  const rows = pickerRows(s);
  const cols = useMemo(() => pickerColumns(procs, width), [procs, width]);
  const index = selectedIndex(s, rows);
  const errorHere = error && rows[index]?.proc.pid === error.pid ? error : null;
  const errorLines = errorHere ? wrapWords(errorHere.text, listW - ERROR_INDENT.length) : [];
  const listH = Math.max(1, height - 3 - errorLines.length);
  let shownTop = Math.min(s.top, Math.max(0, rows.length - listH));
  if (index < shownTop) shownTop = index;
  if (index >= shownTop + listH) shownTop = index - listH + 1;
  useEffect(() => {
    if (shownTop !== store.getState().top) store.setState({ top: shownTop });
  }, [store, shownTop]);

  /** The row under the selection now (keys read the store, not this render). */
  const current = (): ProcessRow | undefined => {
    const st = store.getState();
    const r = pickerRows(st);
    return r[selectedIndex(st, r)];
  };

  // Opening loads the engine the first time (tui.ts): one open at a time, Enter pressed again meanwhile is ignored.
  const opening = useRef(false);
  const open = async (req: OpenRequest): Promise<Tracer | undefined> => {
    if (opening.current) return undefined;
    opening.current = true;
    try {
      return await openTracer(req);
    } finally {
      opening.current = false;
    }
  };

  const attach = async () => {
    const row = current();
    if (!row) return;
    try {
      const tracer = await open({ pid: row.proc.pid });
      if (tracer) onTracer(tracer, traceTitle(row.proc));
    } catch (err) {
      store.setState({ error: { pid: row.proc.pid, text: `cannot attach to ${row.proc.pid}: ${(err as Error).message}` } });
    }
  };

  const launch = async (line: string) => {
    let argv: string[];
    try {
      argv = shellSplit(line);
    } catch (err) {
      return store.setState({ launchError: (err as Error).message });
    }
    if (!argv.length) return store.setState({ launchError: 'type a command' });
    try {
      const tracer = await open({ argv });
      if (!tracer) return;
      store.setState({ mode: 'list' });
      onTracer(tracer, argv.join(' '));
    } catch (err) {
      store.setState({ launchError: (err as Error).message });
    }
  };

  /** F3: the selection on the next process holding the search text, from row `from` on. */
  const searchFrom = (text: string, from: number) => {
    const r = pickerRows(store.getState());
    const i = findProcess(r, text, from);
    if (i >= 0) selectRow(store, i);
    store.setState({ search: { text, from: store.getState().search?.from ?? -1 } });
  };

  const setSort = (next: SortKey, rev = false) => store.setState({ sort: next, reverse: rev });
  const toggleHide = (what: keyof PickerHide) => store.setState({ hide: { ...store.getState().hide, [what]: !store.getState().hide[what] } });

  /** A click or the wheel over the picker (rows as drawn: title, header, list). */
  const onMouse = (m: NonNullable<KeyPress['mouse']>) => {
    const st = store.getState();
    if (m.button === 'wheelUp' || m.button === 'wheelDown') return moveSelection(store, m.button === 'wheelUp' ? -3 : 3);
    if (m.button !== 'left') return;
    if (m.y === HEADER_Y) {
      const key = sortKeyAt(header(pickerColumns(st.procs, listW)), m.x);
      if (!key) return;
      // As htop: a click on the sorted column reverses it.
      return setSort(key, key === st.sort ? !st.reverse : false);
    }
    const line = m.y - LIST_Y;
    if (line < 0 || line >= listH + errorLines.length || m.x >= listW) return;
    // Lines under the selected row hold its error: the rows below it sit that much lower.
    const sel = selectedIndex(st, pickerRows(st)) - shownTop;
    const i = line <= sel ? line : line - errorLines.length > sel ? line - errorLines.length : sel;
    if (shownTop + i < pickerRows(st).length) selectRow(store, shownTop + i);
  };

  useKeyLayer((input, key) => {
    const st = store.getState();
    if (st.mode !== 'list') return; // the prompt, a menu or the help owns the keys
    if (key.mouse) return onMouse(key.mouse);
    const action = matchKey(pickerKeys, input, key);
    switch (action) {
      case 'up':
        return moveSelection(store, -1);
      case 'down':
        return moveSelection(store, 1);
      case 'pageUp':
        return moveSelection(store, -listH);
      case 'pageDown':
        return moveSelection(store, listH);
      case 'home':
        return selectRow(store, 0);
      case 'end':
        return selectRow(store, pickerRows(st).length - 1);
      case 'attach':
        return void attach();
      case 'tree':
        return store.setState({ tree: !st.tree });
      case 'sortNext':
      case 'sortPrev': {
        const i = SORT_KEYS.indexOf(st.sort);
        const d = action === 'sortNext' ? 1 : -1;
        return setSort(SORT_KEYS[(i + d + SORT_KEYS.length) % SORT_KEYS.length]);
      }
      case 'reverse':
        return store.setState({ reverse: !st.reverse });
      case 'sortMenu':
        return store.setState({ mode: 'sortMenu' });
      case 'signal':
        if (!current()) return;
        return store.setState({ mode: 'signalMenu', error: null });
      case 'search':
        return store.setState({ mode: 'search', search: { text: st.search?.text ?? '', from: current()?.proc.pid ?? -1 } });
      case 'filter':
        return store.setState({ query: '', error: null });
      case 'hideKernel':
        return toggleHide('kernel');
      case 'hideOthers':
        return toggleHide('others');
      case 'traceable':
        return toggleHide('untraceable');
      case 'launch':
        if (purpose === 'attach') return store.setState({ error: { pid: current()?.proc.pid ?? -1, text: '^N launches from the picker itself (D leaves this trace for it)' } });
        return store.setState({ mode: 'launch', launchError: '' });
      case 'inspect': {
        const row = current();
        if (!row) return;
        if (onInspect) return onInspect(row.proc.pid);
        return store.setState({ error: { pid: row.proc.pid, text: 'inspector not available' } });
      }
      case 'help':
        return store.setState({ mode: 'help' });
      case 'clear':
        // Esc clears the filter; it never quits (that is F10 or ^Q, as htop's Esc never quits).
        // Over a trace (attaching one more), Esc with nothing to clear goes back to it.
        if (!st.query && onCancel) return onCancel();
        return store.setState({ query: '', error: null });
      case 'erase':
        return store.setState({ query: st.query.slice(0, -1) });
      case 'quit':
        return onQuit();
      default:
        if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) store.setState({ query: st.query + input, error: null });
    }
  }, true, true); // typed letters filter: a run of them may come in one go

  if (mode === 'help') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <HelpOverlay width={width} height={height} section="picker" onClose={() => store.setState({ mode: 'list' })} />
      </Box>
    );
  }

  const visible = rows.slice(shownTop, shownTop + listH);
  const what = purpose === 'attach' ? 'attach one more process to the trace (Esc: back)' : 'pick a process';
  const sortWord = query ? 'match' : `${sort}${reverse ? ' reversed' : ''}`;
  const title = ` systrace-tui: ${what}  ${rows.length}/${procs.length}  sort: ${sortWord}${tree && !query ? '  tree' : ''}${hideWords(hide)} `;
  const selectedRow = rows[index];
  let bottom: ReactNode;
  if (mode === 'launch') {
    bottom = (
      <LinePrompt
        label="Launch and trace: "
        width={width}
        error={launchError}
        onChange={() => {
          if (store.getState().launchError) store.setState({ launchError: '' });
        }}
        onSubmit={launch}
        onCancel={() => store.setState({ mode: 'list' })}
      />
    );
  } else if (mode === 'search') {
    const found = search?.text ? findProcess(rows, search.text, index) >= 0 : true;
    bottom = (
      <LinePrompt
        key="search"
        label="Search: "
        initial={search?.text ?? ''}
        width={width}
        note="F3: next  Enter/Esc: done"
        error={found ? '' : 'no process holds it'}
        onKey={(_, key) => {
          if (key.fn !== 3) return false;
          const st = store.getState();
          searchFrom(st.search?.text ?? '', selectedIndex(st, pickerRows(st)) + 1);
          return true;
        }}
        onChange={(v) => {
          const st = store.getState();
          // From the row the search started on: typing more letters refines the same match.
          const r = pickerRows(st);
          const from = Math.max(0, r.findIndex((row) => row.proc.pid === st.search?.from));
          searchFrom(v, from);
        }}
        onSubmit={() => store.setState({ mode: 'list' })}
        onCancel={() => store.setState({ mode: 'list' })}
      />
    );
  } else {
    bottom = <KeyBar items={mode === 'signalMenu' ? SIGNAL_MENU_BAR : mode === 'sortMenu' ? SORT_MENU_BAR : PICKER_BAR} width={width} />;
  }
  const list = (
    <Box flexDirection="column" width={listW} height={height - 2} overflow="hidden">
      <ColumnHeader header={header(cols)} sort={sort} reverse={reverse} width={listW} />
      <Box flexDirection="column" width={listW} height={listH + errorLines.length} overflow="hidden">
        {visible.map((row, i) => {
          const selected = shownTop + i === index;
          return (
            <Box key={row.proc.pid} flexDirection="column" width={listW}>
              <ProcessLine row={row} selected={selected} width={listW} cols={cols} />
              {selected
                ? errorLines.map((l, k) => (
                    <Text key={k} color={errorHere?.ok ? 'green' : 'red'} bold wrap="truncate">
                      {(k ? ' '.repeat(ERROR_INDENT.length) : errorHere?.ok ? ' ✓ '.padEnd(ERROR_INDENT.length) : ERROR_INDENT) + l}
                    </Text>
                  ))
                : null}
            </Box>
          );
        })}
        {rows.length === 0 ? <Text dimColor>{query ? `  no process matches "${query}" (Esc clears)` : '  no process left (^X ^U ^A show the hidden ones)'}</Text> : null}
      </Box>
    </Box>
  );
  let menu: ReactNode = null;
  if (mode === 'sortMenu') {
    menu = (
      <SideMenu
        title="Sort by"
        items={SORT_KEYS.map((k) => `${SORT_COLUMN[k].padEnd(8)}${k}`)}
        initial={SORT_KEYS.indexOf(sort)}
        width={SIDE_MENU_WIDTH}
        height={height - 2}
        screenTop={HEADER_Y}
        onChoose={(i) => store.setState({ mode: 'list', sort: SORT_KEYS[i], reverse: false })}
        onCancel={() => store.setState({ mode: 'list' })}
      />
    );
  } else if (mode === 'signalMenu' && selectedRow) {
    const pid = selectedRow.proc.pid;
    const who = `pid ${pid} (${selectedRow.proc.comm})`;
    menu = (
      <SideMenu
        title={`Send signal: ${pid}`}
        items={signalLabels()}
        initial={SIGTERM_INDEX}
        width={SIDE_MENU_WIDTH}
        height={height - 2}
        screenTop={HEADER_Y}
        onChoose={(i) => {
          const r = sendSignal(pid, SIGNALS[i], who);
          store.setState({ mode: 'list', error: { pid, text: r.text, ok: r.ok } });
        }}
        onCancel={() => store.setState({ mode: 'list' })}
      />
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box width={width} height={1}>
        <Text wrap="truncate">
          <Text bold>{title}</Text>
          <Text color="cyan" bold>
            {' Filter: '}
          </Text>
          <Text>{query}</Text>
          <Text inverse> </Text>
          {query ? null : <Text dimColor> type to filter by name, command line, user, pid, unit</Text>}
        </Text>
      </Box>
      {menu ? (
        <Box flexDirection="row" width={width} height={height - 2} columnGap={1}>
          {menu}
          {list}
        </Box>
      ) : (
        list
      )}
      {bottom}
    </Box>
  );
}
