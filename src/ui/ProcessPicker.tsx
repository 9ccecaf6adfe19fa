// The process picker: every process from /proc, refreshed every 2 s without losing the selection
// or the scroll position. Typing filters (fuzzy), Enter attaches; a refusal is shown right under
// the row it concerns. ^N opens a prompt to launch a new command instead.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ProcessInfo } from '../engine/proclist.js';
import type { Tracer } from '../engine/types.js';
import { HelpOverlay } from './HelpOverlay.js';
import { matchKey, pickerKeys } from './keymap.js';
import { KeyBar } from './KeyBar.js';
import { LinePrompt } from './LinePrompt.js';
import { formatBytes, processRows, SORT_KEYS, type ProcessRow, type SortKey } from './process-rows.js';
import { shellSplit } from './shell-split.js';
import type { Result } from 'fuzzysort';

export type OpenRequest = { pid: number } | { argv: string[] };

export interface ProcessPickerProps {
  listProcesses: () => ProcessInfo[];
  refreshMs?: number;
  openTracer: (req: OpenRequest) => Tracer;
  onTracer: (tracer: Tracer, title: string) => void;
  onQuit: () => void;
  onInspect?: (pid: number) => void;
  width: number;
  height: number;
}

const COLS = '    PID USER      S  THR  CPU%    RSS WCHAN          COMMAND';

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

function ProcessLine({ row, selected, width }: { row: ProcessRow; selected: boolean; width: number }) {
  const p = row.proc;
  const m = row.matches;
  const pid = String(p.pid);
  const user = p.user.length > 9 ? p.user.slice(0, 8) + '+' : p.user;
  const wchan = p.wchan.length > 14 ? p.wchan.slice(0, 13) + '+' : p.wchan || '-';
  const cmd = p.cmdline || `[${p.comm}]`;
  const cmdMatch = p.cmdline ? m?.cmdline : m?.name;
  // The name matched but not the command line: show the name too, so the match is visible.
  const showComm = !!p.cmdline && !!m && !m.cmdline && !!m.name;
  // Pad the reverse-video selection to the full width (the columns before COMMAND are fixed).
  const room = Math.max(0, width - COLS.indexOf('COMMAND') - row.prefix.length);
  const used = COLS.indexOf('COMMAND') + row.prefix.length + Math.min(cmd.length, room) + (showComm ? p.comm.length + 3 : 0);
  return (
    <Text wrap="truncate" inverse={selected} color={p.kernelThread ? 'gray' : undefined}>
      {' '.repeat(Math.max(0, 7 - pid.length))}
      {hl(m?.pid, pid)} {hl(m?.user && user === p.user ? m.user : undefined, user)}
      {' '.repeat(Math.max(0, 9 - user.length))} <Text color={p.state === 'D' ? 'red' : p.state === 'R' ? 'green' : undefined}>{p.state}</Text>{' '}
      {String(p.threads).padStart(4)} {p.cpu.toFixed(1).padStart(5)} {formatBytes(p.rss).padStart(6)} {wchan.padEnd(14)} <Text dimColor>{row.prefix}</Text>
      {hl(cmdMatch, cmd, room + 1)}
      {showComm ? <Text dimColor> ({hl(m!.name, p.comm)})</Text> : null}
      {' '.repeat(Math.max(0, width - used))}
    </Text>
  );
}

export function ProcessPicker({ listProcesses, refreshMs = 2000, openTracer, onTracer, onQuit, onInspect, width, height }: ProcessPickerProps) {
  const [procs, setProcs] = useState<ProcessInfo[]>(() => listProcesses());
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('cpu');
  const [tree, setTree] = useState(false);
  const [sel, setSel] = useState<{ pid: number; index: number }>({ pid: -1, index: 0 });
  const [top, setTop] = useState(0);
  const [error, setError] = useState<{ pid: number; text: string } | null>(null);
  const [mode, setMode] = useState<'list' | 'help' | 'launch'>('list');
  const [draft, setDraft] = useState('');
  const [launchError, setLaunchError] = useState('');
  const listRef = useRef(listProcesses);
  listRef.current = listProcesses;

  useEffect(() => {
    const timer = setInterval(() => setProcs(listRef.current()), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  const rows = useMemo(() => processRows(procs, query, sort, tree), [procs, query, sort, tree]);

  // The selection is a pid: it survives refreshes and re-sorting. When that process is gone (or
  // filtered out) the cursor stays at the same place in the list.
  let index = rows.findIndex((r) => r.proc.pid === sel.pid);
  if (index < 0) index = Math.min(sel.index, rows.length - 1);
  index = Math.max(0, index);
  const errorHere = error && rows[index]?.proc.pid === error.pid ? error : null;
  const listH = Math.max(1, height - 3 - (errorHere ? 1 : 0));
  let shownTop = Math.min(top, Math.max(0, rows.length - listH));
  if (index < shownTop) shownTop = index;
  if (index >= shownTop + listH) shownTop = index - listH + 1;
  useEffect(() => {
    if (shownTop !== top) setTop(shownTop);
  }, [shownTop, top]);

  const select = (i: number) => {
    const j = Math.max(0, Math.min(rows.length - 1, i));
    setSel({ pid: rows[j]?.proc.pid ?? -1, index: j });
    setError(null);
  };

  const attach = () => {
    const row = rows[index];
    if (!row) return;
    try {
      const tracer = openTracer({ pid: row.proc.pid });
      onTracer(tracer, `${row.proc.comm} (pid ${row.proc.pid})`);
    } catch (err) {
      setError({ pid: row.proc.pid, text: `cannot attach to ${row.proc.pid}: ${(err as Error).message}` });
    }
  };

  const launch = (line: string) => {
    let argv: string[];
    try {
      argv = shellSplit(line);
    } catch (err) {
      return setLaunchError((err as Error).message);
    }
    if (!argv.length) return setLaunchError('type a command');
    try {
      const tracer = openTracer({ argv });
      onTracer(tracer, argv.join(' '));
    } catch (err) {
      setLaunchError((err as Error).message);
    }
  };

  useKeyLayer((input, key) => {
    if (mode !== 'list') return; // the prompt or the help owns the keys
    const action = matchKey(pickerKeys, input, key);
    switch (action) {
      case 'up':
        return select(index - 1);
      case 'down':
        return select(index + 1);
      case 'pageUp':
        return select(index - listH);
      case 'pageDown':
        return select(index + listH);
      case 'home':
        return select(0);
      case 'end':
        return select(rows.length - 1);
      case 'attach':
        return attach();
      case 'tree':
        return setTree((t) => !t);
      case 'sortNext':
      case 'sortPrev': {
        const i = SORT_KEYS.indexOf(sort);
        const d = action === 'sortNext' ? 1 : -1;
        return setSort(SORT_KEYS[(i + d + SORT_KEYS.length) % SORT_KEYS.length]);
      }
      case 'launch':
        setDraft('');
        setLaunchError('');
        return setMode('launch');
      case 'inspect': {
        const row = rows[index];
        if (!row) return;
        if (onInspect) return onInspect(row.proc.pid);
        return setError({ pid: row.proc.pid, text: 'inspector not available' });
      }
      case 'help':
        return setMode('help');
      case 'clear':
        if (query) {
          setQuery('');
          return setError(null);
        }
        return onQuit();
      case 'erase':
        return setQuery((q) => q.slice(0, -1));
      case 'quit':
        return onQuit();
      default:
        if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) {
          setQuery((q) => q + input);
          setError(null);
        }
    }
  });

  if (mode === 'help') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <HelpOverlay width={width} height={height} onClose={() => setMode('list')} />
      </Box>
    );
  }

  const visible = rows.slice(shownTop, shownTop + listH);
  const title = ` systrace-tui: pick a process  ${rows.length}/${procs.length}  sort: ${query ? 'match' : sort}${tree && !query ? '  tree' : ''} `;
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
          {query ? null : <Text dimColor> type to filter by name, command line, user, pid</Text>}
        </Text>
      </Box>
      <Text inverse bold wrap="truncate">
        {COLS.padEnd(width)}
      </Text>
      <Box flexDirection="column" width={width} height={listH + (errorHere ? 1 : 0)} overflow="hidden">
        {visible.map((row, i) => {
          const selected = shownTop + i === index;
          return (
            <Box key={row.proc.pid} flexDirection="column" width={width}>
              <ProcessLine row={row} selected={selected} width={width} />
              {selected && errorHere ? (
                <Text color="red" bold wrap="truncate">
                  {`   ✗ ${errorHere.text}`}
                </Text>
              ) : null}
            </Box>
          );
        })}
        {rows.length === 0 ? <Text dimColor>  no process matches "{query}" (Esc clears)</Text> : null}
      </Box>
      <Box flexGrow={1} />
      {mode === 'launch' ? (
        <LinePrompt
          label="Launch and trace: "
          value={draft}
          width={width}
          error={launchError}
          onChange={(v) => {
            setDraft(v);
            setLaunchError('');
          }}
          onSubmit={launch}
          onCancel={() => setMode('list')}
        />
      ) : (
        <KeyBar items={pickerKeys} width={width} />
      )}
    </Box>
  );
}
