// The hung-process inspector screen: the waits-on chain on top (what really holds the process
// up, or the deadlock), every thread with what it waits for and for how long (threads waiting on
// the same thing collapsed into one row, over-threshold ones marked `!` and first), the selected
// row's call, targets, wchan and kernel stack, and toggles for the open-files table and the
// attach diagnostics.
// Its keys are inspectKeys (keymap.ts), through the app's key layers; ? shows every key.
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { Tracer } from '../../engine/types.js';
import type { InspectReport } from '../../engine/proc/blocking.js';
import { diagnosticLine, formatBlockedFor, groupHeader, openFileLine, stateName, summaryLines, threadDetailLines } from '../../engine/proc/report.js';
import { groupLabel, groupThreads, tidRanges, type ThreadGroup } from '../../engine/proc/thread-groups.js';
import { HelpOverlay } from '../HelpOverlay.js';
import { KeyBar } from '../KeyBar.js';
import { inspectKeys, matchKey } from '../keymap.js';
import { useKeyLayer } from '../use-key-layer.js';
import { useInspectReport } from './use-inspect-report.js';

export interface InspectViewProps {
  pid: number;
  width: number;
  height: number;
  /** Default 1000 ms. */
  refreshMs?: number;
  /** Blocked longer than this is marked; default 1000 ms. */
  thresholdMs?: number;
  tracer?: Tracer;
  formatCall?: (pid: number, tid: number, nr: number, args: bigint[]) => string;
  /** Whether this view owns the keyboard (default true). */
  active?: boolean;
  onClose?: () => void;
  /** ^C: leave the program. */
  onQuit?: () => void;
}

type Panel = 'thread' | 'files' | 'diagnostics';

const fit = (s: string, w: number): string => (s.length > w ? s.slice(0, Math.max(0, w - 1)) + '~' : s.padEnd(w));

function groupRow(g: ThreadGroup, width: number): string {
  const t = g.threads[0];
  const mark = g.overThreshold ? '!' : ' ';
  const held = formatBlockedFor(g) || (t.where === 'running' ? 'running' : '');
  const who = g.threads.length === 1 ? String(t.tid).padStart(7) : `${g.threads.length}x`.padStart(7);
  return fit(`${mark} ${who} ${t.state} ${held.padStart(16)}  ${g.words}`, width);
}

function detailLines(g: ThreadGroup | undefined): string[] {
  if (!g) return ['(no thread selected)'];
  const t = g.threads[0];
  const head = g.threads.length === 1 ? `thread ${t.tid} (${t.comm}): ${t.state} ${stateName(t.state)}${formatBlockedFor(t) ? `, in this state ${formatBlockedFor(t)}` : ''}` : groupHeader(g);
  const out = [head, ...threadDetailLines(t, g.words).map((l) => l.slice(2))];
  if (g.threads.length > 1) out.splice(1, 0, `tids:   ${tidRanges(g.threads.map((x) => x.tid))} (details of ${t.tid})`);
  return out;
}

const INDENT = '        ';

/** Long lines wrap at spaces, continuation lines indented, so a reading or a chain is never cut off. */
export function wrapLines(lines: string[], w: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let rest = line;
    let first = true;
    while (rest.length > 0) {
      const room = first ? w : w - INDENT.length;
      if (rest.length <= room) {
        out.push(first ? rest : INDENT + rest);
        break;
      }
      const space = rest.lastIndexOf(' ', room);
      const cut = space > room / 2 ? space : room;
      out.push((first ? '' : INDENT) + rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^ /, '');
      first = false;
    }
  }
  return out;
}

function fileLines(r: InspectReport): string[] {
  if (!r.openFiles) return [r.openFilesReason ?? 'open files unavailable'];
  return ['FD    TYPE     MODE  TARGET', ...r.openFiles.map(openFileLine)];
}

function diagnosticLines(r: InspectReport): string[] {
  if (!r.diagnostics) return ['(no diagnostics)'];
  return r.diagnostics.checks.map(diagnosticLine);
}

/** The summary on top: the chain of the selected row first (or the first chain), then the rest. */
function topLines(r: InspectReport, selected: ThreadGroup | undefined): string[] {
  const tids = new Set(selected?.threads.map((t) => t.tid) ?? []);
  const mine = r.chains.find((c) => c.fromTids.some((t) => tids.has(t)));
  const ordered = mine ? { ...r, chains: [mine, ...r.chains.filter((c) => c !== mine)] } : r;
  return summaryLines(ordered);
}

export function InspectView(props: InspectViewProps) {
  const { pid, width, height, active = true } = props;
  const [paused, setPaused] = useState(false);
  const [panel, setPanel] = useState<Panel>('thread');
  const [selectedKey, setSelectedKey] = useState<number | undefined>(undefined);
  const [scroll, setScroll] = useState(0);
  const { report, refresh } = useInspectReport(pid, {
    refreshMs: props.refreshMs,
    thresholdMs: props.thresholdMs,
    tracer: props.tracer,
    formatCall: props.formatCall,
    paused,
  });
  const groups = report ? groupThreads(report.threads) : [];
  // A row is remembered by its first thread's tid, so the selection survives refreshes.
  const selIndex = Math.max(0, groups.findIndex((g) => g.threads.some((t) => t.tid === selectedKey)));
  const selected = groups[selIndex];

  const [help, setHelp] = useState(false);
  useKeyLayer((input, key) => {
    if (help) return; // the help overlay owns the keys
    switch (matchKey(inspectKeys, input, key)) {
      case 'up':
        setSelectedKey(groups[Math.max(0, selIndex - 1)]?.threads[0].tid);
        return setScroll(0);
      case 'down':
        setSelectedKey(groups[Math.min(groups.length - 1, selIndex + 1)]?.threads[0].tid);
        return setScroll(0);
      case 'pageDown':
        return setScroll((s) => s + 5);
      case 'pageUp':
        return setScroll((s) => Math.max(0, s - 5));
      case 'files':
        return setPanel((p) => (p === 'files' ? 'thread' : 'files'));
      case 'diagnostics':
        return setPanel((p) => (p === 'diagnostics' ? 'thread' : 'diagnostics'));
      case 'refresh':
        return refresh();
      case 'pause':
        return setPaused((p) => !p);
      case 'help':
        return setHelp(true);
      case 'close':
        return props.onClose?.();
      case 'quit':
        return props.onQuit?.();
    }
  }, active);

  const w = Math.max(20, width);
  const threads = report?.threads ?? [];
  const blocked = threads.filter((t) => t.overThreshold).length;
  const header = !report
    ? `inspect pid ${pid}: reading /proc...`
    : report.exists
      ? `inspect pid ${pid} (${report.comm})${report.kernelThread ? ' kernel thread,' : ''} ${threads.length} thread${threads.length === 1 ? '' : 's'}, ${blocked} blocked${paused ? '  [paused]' : ''}`
      : `inspect pid ${pid}: ${report.reason ?? 'gone'}`;
  // Rows: header, summary (chain...), list (up to a third of the screen), separator, panel, key bar.
  const summary = report?.exists ? wrapLines(topLines(report, selected), w).slice(0, Math.max(1, Math.floor(height / 4))) : [];
  const listRows = Math.max(1, Math.min(groups.length, Math.floor((height - 3 - summary.length) / 3)));
  const listTop = Math.max(0, Math.min(selIndex - Math.floor(listRows / 2), groups.length - listRows));
  const panelRows = Math.max(1, height - 3 - summary.length - listRows);
  // The thread panel wraps long lines (the reading matters most); tables stay one row per entry.
  const lines = !report ? [] : panel === 'files' ? fileLines(report) : panel === 'diagnostics' ? diagnosticLines(report) : wrapLines(detailLines(selected), w);
  const top = Math.min(scroll, Math.max(0, lines.length - panelRows));
  const panelTitle = panel === 'files' ? 'open files' : panel === 'diagnostics' ? 'attach diagnostics' : selected && selected.threads.length > 1 ? groupLabel(selected) : 'thread';

  if (help) return <HelpOverlay width={w} height={height} section="inspect" onClose={() => setHelp(false)} />;
  return (
    <Box flexDirection="column" width={w} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        {fit(header, w)}
      </Text>
      {summary.map((l, i) => (
        <Text key={`s${i}`} wrap="truncate" color={/^DEADLOCK/.test(l) ? 'red' : 'yellow'}>
          {fit(l, w)}
        </Text>
      ))}
      {groups.slice(listTop, listTop + listRows).map((g) => (
        <Text key={g.threads[0].tid} wrap="truncate" inverse={g === selected} color={g.overThreshold ? 'red' : undefined}>
          {groupRow(g, w)}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {fit(`-- ${panelTitle} `.padEnd(w, '-'), w)}
      </Text>
      {lines.slice(top, top + panelRows).map((l, i) => (
        <Text key={i} wrap="truncate" color={l.startsWith('[FAIL]') ? 'red' : undefined}>
          {fit(l, w)}
        </Text>
      ))}
      <Box flexGrow={1} />
      <KeyBar items={inspectKeys} width={w} />
    </Box>
  );
}
