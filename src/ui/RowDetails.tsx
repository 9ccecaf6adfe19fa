// Enter on a row: the line unabridged, raw arguments in hex, the buffers as a hex dump, the
// errno's name and meaning, the duration. Scrolls when it does not fit.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useMemo, useState } from 'react';
import { SyscallClass, type TraceEvent } from '../engine/types.js';
import { describeNamespaces, type NamespaceView } from '../engine/proc/namespaces.js';
import { describeErrno } from '../analysis/errno-info.js';
import { fdArg, quoted, rowCallParts } from '../analysis/strace-text.js';
import { duration, eventText, relTime } from './format-row.js';
import { detailKeys, matchKey } from './keymap.js';
import { hexDump, quotedBuffers } from '../analysis/strace-strings.js';
import { wrapWords } from './wrap-words.js';

interface Line {
  text: string;
  color?: string;
  bold?: boolean;
}

function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  const room = Math.max(10, width - indent.length);
  for (let i = 0; i < text.length || i === 0; i += room) out.push(indent + text.slice(i, i + room));
  return out;
}

function classNames(bits: number): string {
  return (Object.keys(SyscallClass) as (keyof typeof SyscallClass)[]).filter((k) => bits & SyscallClass[k]).join(', ');
}

/** What the analysis says about a row: its result (a non-blocking connect's), the findings resting on it. */
export interface RowAnalysis {
  note?: string;
  findings: string[];
}

/**
 * The absolute paths of a row as the process named them: descriptors' paths (-y: `3</etc/hosts>`,
 * what the kernel reads from the process's own root) and, for calls that take file names, the
 * names it gave.
 */
export function rowPaths(ev: TraceEvent): string[] {
  if (ev.kind !== 'syscall') return [];
  const parts = rowCallParts(ev.text);
  if (!parts) return [];
  const out = new Set<string>();
  for (const arg of parts.args) {
    const decoration = fdArg(arg)?.decoration;
    if (decoration?.startsWith('/')) out.add(decoration);
    const name = ev.classes & SyscallClass.file ? quoted(arg) : undefined;
    if (name?.value.startsWith('/') && !name.truncated) out.add(name.value);
  }
  return [...out];
}

/** -yy's socket texts (`TCP:[...]`, `UNIX-STREAM:[...]`) in a row: named in the process's network namespace. */
function hasSocketDetails(ev: TraceEvent): boolean {
  const parts = ev.kind === 'syscall' ? rowCallParts(ev.text) : undefined;
  return !!parts?.args.some((arg) => /^[A-Z][A-Za-z0-9/-]*:\[/.test(fdArg(arg)?.decoration ?? ''));
}

/** What the details say about the process's namespaces (its line, its paths seen from here, its sockets). */
function placeLines(ev: TraceEvent, place: NamespaceView, push: (text: string, color?: string, bold?: boolean) => void, blank: () => void): void {
  const where = describeNamespaces(place);
  if (!where) return;
  push(`runs in  ${where}`, 'cyan');
  if (place.net && hasSocketDetails(ev)) push('sockets  as its own network namespace has them (-yy asks sock_diag there)', 'cyan');
  const paths = place.mnt ? rowPaths(ev) : [];
  if (!paths.length) return;
  blank();
  push(`Paths in its own mount namespace, from here through /proc/${ev.pid}/root:`, undefined, true);
  for (const p of paths) push(`  ${p}  =  /proc/${ev.pid}/root${p}`);
}

/** Everything the details view says about one event, as lines of the given width. `place`: the
 *  namespaces of the event's process, when it is alive. */
export function detailLines(
  ev: TraceEvent,
  firstNs: number,
  width: number,
  commOf: (tid: number) => string = () => '',
  analysis?: RowAnalysis,
  place?: NamespaceView,
  nowNs = NaN,
): Line[] {
  const lines: Line[] = [];
  // Sentences break between words.
  const push = (text: string, color?: string, bold?: boolean) => {
    const lead = /^ */.exec(text)![0];
    for (const t of wrapWords(text.slice(lead.length), width, lead, `${lead}  `)) lines.push({ text: t, color, bold });
  };
  const d = new Date(Math.floor(ev.wallUs / 1000));
  const p2 = (n: number) => String(n).padStart(2, '0');
  const wall = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(Math.floor(ev.wallUs % 1e6)).padStart(6, '0')}`;
  const head = ev.kind === 'syscall' ? `${ev.name} (syscall ${ev.nr})` : ev.kind === 'signal' || ev.kind === 'stop' ? ev.name : ev.kind;
  const comm = commOf(ev.tid);
  const procComm = ev.pid !== ev.tid ? commOf(ev.pid) : '';
  // The call, its process and its thread: on one line when it fits, else each of them whole on its own.
  const parts = [head, `pid ${ev.pid}${procComm ? ` (${procComm})` : ''}`, `tid ${ev.tid}${comm ? ` (${comm})` : ''}`];
  let heading = parts[0];
  for (const part of parts.slice(1)) {
    if (heading.length + 3 + part.length <= width) heading += `   ${part}`;
    else {
      push(heading, 'cyan', true);
      heading = part;
    }
  }
  push(heading, 'cyan', true);
  // A log may lack times (no -t/-tt/-ttt/-r: firstNs NaN), wall-clock time (-r alone: wallUs 0), durations (no -T).
  if (Number.isNaN(firstNs)) push('at       (the log has no timestamps)');
  else push(`at +${relTime(ev, firstNs).trim()} s${ev.wallUs ? `   (${wall} local time)` : ''}`);
  if (ev.kind === 'syscall') {
    const dur = duration(ev, nowNs);
    push(
      `duration ${
        ev.running
          ? `${dur.slice(1, -1)} s so far: the call is still in progress`
          : ev.unfinished
            ? 'unfinished: the call never returned'
            : dur
              ? dur.slice(1, -1) + ' s'
              : '(not in the log: strace -T writes it)'
      }`,
    );
    if (ev.errno) {
      push(`result   -1 ${describeErrno(ev.errno)}`, 'red', true);
    } else if (!ev.unfinished && !ev.running) {
      push(`result   ${ev.rval}${ev.rval >= 0 ? ` (0x${ev.rval.toString(16)})` : ''}`);
    }
    if (ev.classes) push(`classes  ${classNames(ev.classes)}`);
  }
  if (analysis?.note) push(`ended    ${analysis.note}`, 'cyan', true);
  if (place) placeLines(ev, place, push, () => lines.push({ text: '' }));
  lines.push({ text: '' });
  push('Line, in full:', undefined, true);
  for (const t of wrap(eventText(ev), width, '  ')) lines.push({ text: t, color: ev.kind === 'syscall' && ev.errno ? 'red' : undefined });
  if (ev.kind === 'syscall' && ev.args.length) {
    lines.push({ text: '' });
    push('Arguments, raw:', undefined, true);
    ev.args.forEach((a, i) => {
      const signed = BigInt.asIntN(64, a);
      push(`  arg${i}  0x${a.toString(16).padStart(16, '0')}  ${signed.toString()}`);
    });
  }
  if (ev.kind === 'syscall' && ev.stack) {
    lines.push({ text: '' });
    push('Stack (-k), innermost frame first:', undefined, true);
    for (const frame of ev.stack.trimEnd().split('\n')) for (const t of wrap(frame.replace(/^ > /, ''), width, '  ')) lines.push({ text: t });
  }
  // Buffers: the engine gives strings as strace prints them (cut at -s). A future engine feature may
  // supply full-length buffers; they would be dumped here instead of the quoted strings.
  const bufs = 'text' in ev ? quotedBuffers(ev.text) : [];
  if (bufs.length) {
    lines.push({ text: '' });
    push('Buffers, as printed (-s limit applies):', undefined, true);
    bufs.forEach((b, i) => {
      push(`  #${i + 1}: ${b.bytes.length} bytes${b.truncated ? ', cut short (…)' : ''}`, 'yellow');
      for (const l of hexDump(b.bytes)) push('  ' + l);
    });
  }
  if (analysis?.findings.length) {
    lines.push({ text: '' });
    push('Findings resting on this row (! lists them all):', undefined, true);
    for (const f of analysis.findings) for (const t of wrap(f, width, '  ')) lines.push({ text: t, color: 'yellow' });
  }
  return lines;
}

export interface RowDetailsProps {
  event: TraceEvent | undefined;
  firstNs: number;
  /** a thread's name, '' when unknown */
  commOf?: (tid: number) => string;
  width: number;
  height: number;
  onClose: () => void;
  onStep: (delta: number) => void;
  analysis?: RowAnalysis;
  /** the namespaces of a live process (undefined for a loaded log, or once it has gone) */
  placeOf?: (pid: number) => NamespaceView | undefined;
  /** the screen's clock for a call in progress (store.ts: clockNs); NaN for a log's */
  nowNs?: number;
}

export function RowDetails({ event, firstNs, commOf, width, height, onClose, onStep, analysis, placeOf, nowNs }: RowDetailsProps) {
  const [top, setTop] = useState(0);
  // Read once per process shown, not per frame.
  const pid = event?.pid;
  const place = useMemo(() => (pid === undefined ? undefined : placeOf?.(pid)), [pid, placeOf === undefined]); // eslint-disable-line react-hooks/exhaustive-deps
  const lines = event ? detailLines(event, firstNs, width, commOf, analysis, place, nowNs) : [{ text: 'This row has left the history (raise --history-cap to keep more).' }];
  const body = Math.max(1, height - 1);
  const maxTop = Math.max(0, lines.length - body);
  useKeyLayer((input, key) => {
    if (key.mouse?.button === 'wheelUp') return setTop((t) => Math.max(0, t - 3));
    if (key.mouse?.button === 'wheelDown') return setTop((t) => Math.min(maxTop, t + 3));
    switch (matchKey(detailKeys, input, key)) {
      case 'up':
        return setTop((t) => Math.max(0, t - 1));
      case 'down':
        return setTop((t) => Math.min(maxTop, t + 1));
      case 'prevRow':
        setTop(0);
        return onStep(-1);
      case 'nextRow':
        setTop(0);
        return onStep(1);
      case 'close':
        return onClose();
      default:
        return false; // q and the like belong to the trace screen
    }
  });
  const shownTop = Math.min(top, maxTop);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold inverse wrap="truncate">
        {' row details   ←/→ previous/next row   ↑/↓ scroll   Esc closes '.padEnd(width)}
      </Text>
      {lines.slice(shownTop, shownTop + body).map((l, i) => (
        <Text key={i} wrap="truncate" color={l.color} bold={l.bold}>
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
