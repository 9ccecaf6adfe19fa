// The process picker: every process from /proc, refreshed every 2 s without losing the selection
// or the scroll position. Typing filters (fuzzy), Enter attaches; a refusal is shown right under
// the row it concerns, whole (wrapped over as many lines as it takes). ^N opens a prompt to launch
// a new command instead. Its state lives in a PickerStore (picker-store.ts).
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { ProcessInfo } from '../engine/proclist.js';
import type { Tracer } from '../engine/types.js';
import { HelpOverlay } from './HelpOverlay.js';
import { matchKey, pickerKeys } from './keymap.js';
import { KeyBar } from './KeyBar.js';
import { LinePrompt } from './LinePrompt.js';
import { createPickerStore, moveSelection, pickerRows, selectedIndex, selectRow, type PickerStore } from './picker-store.js';
import { formatBytes, nsFlags, SORT_KEYS, traceTitle, type ProcessRow } from './process-rows.js';
import { useStore } from 'zustand';
import { shellSplit } from './shell-split.js';
import type { Result } from 'fuzzysort';

export type OpenRequest = { pid: number } | { argv: string[] };

export interface ProcessPickerProps {
  listProcesses: () => ProcessInfo[];
  /** where the picker keeps its state (App keeps one for the whole session); a fresh one if absent */
  store?: PickerStore;
  refreshMs?: number;
  openTracer: (req: OpenRequest) => Tracer;
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
  const { procs, query, sort, tree, error, mode, launchError } = s;

  useEffect(() => {
    const refresh = () => store.setState({ procs: listRef.current(), sampledAt: performance.now() });
    // Back from a trace or the inspector: a fresh list at once, not in up to refreshMs.
    if (performance.now() - store.getState().sampledAt >= refreshMs) refresh();
    const timer = setInterval(refresh, refreshMs);
    return () => clearInterval(timer);
  }, [store, refreshMs]);

  const rows = pickerRows(s);
  const cols = useMemo(() => pickerColumns(procs, width), [procs, width]);
  const index = selectedIndex(s, rows);
  const errorHere = error && rows[index]?.proc.pid === error.pid ? error : null;
  const errorLines = errorHere ? wrapWords(errorHere.text, width - ERROR_INDENT.length) : [];
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

  const attach = () => {
    const row = current();
    if (!row) return;
    try {
      const tracer = openTracer({ pid: row.proc.pid });
      onTracer(tracer, traceTitle(row.proc));
    } catch (err) {
      store.setState({ error: { pid: row.proc.pid, text: `cannot attach to ${row.proc.pid}: ${(err as Error).message}` } });
    }
  };

  const launch = (line: string) => {
    let argv: string[];
    try {
      argv = shellSplit(line);
    } catch (err) {
      return store.setState({ launchError: (err as Error).message });
    }
    if (!argv.length) return store.setState({ launchError: 'type a command' });
    try {
      const tracer = openTracer({ argv });
      store.setState({ mode: 'list' });
      onTracer(tracer, argv.join(' '));
    } catch (err) {
      store.setState({ launchError: (err as Error).message });
    }
  };

  useKeyLayer((input, key) => {
    const st = store.getState();
    if (st.mode !== 'list') return; // the prompt or the help owns the keys
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
        return attach();
      case 'tree':
        return store.setState({ tree: !st.tree });
      case 'sortNext':
      case 'sortPrev': {
        const i = SORT_KEYS.indexOf(st.sort);
        const d = action === 'sortNext' ? 1 : -1;
        return store.setState({ sort: SORT_KEYS[(i + d + SORT_KEYS.length) % SORT_KEYS.length] });
      }
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
        // Esc clears the filter; it never quits (that is ^Q or F10, as htop's Esc never quits).
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
        <HelpOverlay width={width} height={height} onClose={() => store.setState({ mode: 'list' })} />
      </Box>
    );
  }

  const visible = rows.slice(shownTop, shownTop + listH);
  const what = purpose === 'attach' ? 'attach one more process to the trace (Esc: back)' : 'pick a process';
  const title = ` systrace-tui: ${what}  ${rows.length}/${procs.length}  sort: ${query ? 'match' : sort}${tree && !query ? '  tree' : ''} `;
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
      <Text inverse bold wrap="truncate">
        {header(cols).padEnd(width)}
      </Text>
      <Box flexDirection="column" width={width} height={listH + errorLines.length} overflow="hidden">
        {visible.map((row, i) => {
          const selected = shownTop + i === index;
          return (
            <Box key={row.proc.pid} flexDirection="column" width={width}>
              <ProcessLine row={row} selected={selected} width={width} cols={cols} />
              {selected
                ? errorLines.map((l, k) => (
                    <Text key={k} color="red" bold wrap="truncate">
                      {(k ? ' '.repeat(ERROR_INDENT.length) : ERROR_INDENT) + l}
                    </Text>
                  ))
                : null}
            </Box>
          );
        })}
        {rows.length === 0 ? <Text dimColor>  no process matches "{query}" (Esc clears)</Text> : null}
      </Box>
      <Box flexGrow={1} />
      {mode === 'launch' ? (
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
      ) : (
        <KeyBar items={pickerKeys} width={width} />
      )}
    </Box>
  );
}
