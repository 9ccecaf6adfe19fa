// The hung-process inspector screen: every thread with what it waits for and for how long
// (over-threshold ones marked `!` and first), the selected thread's call, targets, wchan and
// kernel stack, and toggles for the open-files table and the attach diagnostics.
// Keys (only while `active`): up/down or k/j select a thread, f open files, d diagnostics,
// r refresh now, space pause/resume refreshing, q or Esc -> onClose().
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Tracer } from '../../engine/types.js';
import type { InspectReport, ThreadReport } from '../../engine/proc/blocking.js';
import { formatBlockedFor, stateName } from '../../engine/proc/report.js';
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
}

type Panel = 'thread' | 'files' | 'diagnostics';

const fit = (s: string, w: number): string => (s.length > w ? s.slice(0, Math.max(0, w - 1)) + '~' : s.padEnd(w));

function threadRow(t: ThreadReport, width: number): string {
  const mark = t.overThreshold ? '!' : ' ';
  const held = formatBlockedFor(t) || (t.where === 'running' ? 'running' : '');
  return fit(`${mark} ${String(t.tid).padStart(7)} ${t.state} ${held.padStart(16)}  ${t.plainWords}`, width);
}

function detailLines(t: ThreadReport | undefined): string[] {
  if (!t) return ['(no thread selected)'];
  const out = [`thread ${t.tid} (${t.comm}): ${t.state} ${stateName(t.state)}${formatBlockedFor(t) ? `, in this state ${formatBlockedFor(t)}` : ''}`];
  if (t.callText) out.push(`call:  ${t.callText}`);
  out.push(`reads: ${t.plainWords}`);
  for (const x of t.targets) out.push(`${x.role === 'fd' ? 'fd' : x.role} ${x.fd}: ${x.text}`);
  out.push(`wchan: ${t.wchan ?? `(${t.wchanReason ?? 'none'})`}`);
  if (t.stack) {
    out.push('kernel stack:');
    for (const f of t.stack) out.push(`  ${f}`);
  } else out.push(`kernel stack: (${t.stackReason ?? 'none'})`);
  return out;
}

function wrapLines(lines: string[], w: number): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (l.length <= w) out.push(l);
    else for (let i = 0; i < l.length; i += i === 0 ? w : w - 7) out.push(i === 0 ? l.slice(0, w) : '       ' + l.slice(i, i + w - 7));
  }
  return out;
}

function fileLines(r: InspectReport): string[] {
  if (!r.openFiles) return [r.openFilesReason ?? 'open files unavailable'];
  return ['FD    TYPE     MODE  TARGET', ...r.openFiles.map((f) => `${String(f.fd).padEnd(6)}${f.type.padEnd(9)}${(f.access || '-').padEnd(6)}${f.target}`)];
}

function diagnosticLines(r: InspectReport): string[] {
  if (!r.diagnostics) return ['(no diagnostics)'];
  return r.diagnostics.checks.map((c) => `${c.ok === true ? '[ok]  ' : c.ok === false ? '[FAIL]' : '[info]'} ${c.name}: ${c.value}${c.hint ? ` -- ${c.hint}` : ''}`);
}

export function InspectView(props: InspectViewProps) {
  const { pid, width, height, active = true } = props;
  const [paused, setPaused] = useState(false);
  const [panel, setPanel] = useState<Panel>('thread');
  const [selectedTid, setSelectedTid] = useState<number | undefined>(undefined);
  const [scroll, setScroll] = useState(0);
  const { report, refresh } = useInspectReport(pid, {
    refreshMs: props.refreshMs,
    thresholdMs: props.thresholdMs,
    tracer: props.tracer,
    formatCall: props.formatCall,
    paused,
  });
  const threads = report.threads;
  const selIndex = Math.max(0, threads.findIndex((t) => t.tid === selectedTid));
  const selected = threads[selIndex];

  useInput(
    (input, key) => {
      if (key.upArrow || input === 'k') {
        setSelectedTid(threads[Math.max(0, selIndex - 1)]?.tid);
        setScroll(0);
      } else if (key.downArrow || input === 'j') {
        setSelectedTid(threads[Math.min(threads.length - 1, selIndex + 1)]?.tid);
        setScroll(0);
      } else if (key.pageDown) setScroll((s) => s + 5);
      else if (key.pageUp) setScroll((s) => Math.max(0, s - 5));
      else if (input === 'f') setPanel((p) => (p === 'files' ? 'thread' : 'files'));
      else if (input === 'd') setPanel((p) => (p === 'diagnostics' ? 'thread' : 'diagnostics'));
      else if (input === 'r') refresh();
      else if (input === ' ') setPaused((p) => !p);
      else if (input === 'q' || key.escape) props.onClose?.();
    },
    { isActive: active },
  );

  const w = Math.max(20, width);
  const blocked = threads.filter((t) => t.overThreshold).length;
  const header = report.exists
    ? `inspect pid ${pid} (${report.comm}) ${threads.length} thread${threads.length === 1 ? '' : 's'}, ${blocked} blocked${paused ? '  [paused]' : ''}`
    : `inspect pid ${pid}: ${report.reason ?? 'gone'}`;
  // Rows: header, list (up to a third of the screen), separator, panel, key bar.
  const listRows = Math.max(1, Math.min(threads.length, Math.floor((height - 3) / 3)));
  const listTop = Math.max(0, Math.min(selIndex - Math.floor(listRows / 2), threads.length - listRows));
  const panelRows = Math.max(1, height - 3 - listRows);
  // The thread panel wraps long lines (the reading matters most); tables stay one row per entry.
  const lines = panel === 'files' ? fileLines(report) : panel === 'diagnostics' ? diagnosticLines(report) : wrapLines(detailLines(selected), w);
  const top = Math.min(scroll, Math.max(0, lines.length - panelRows));
  const panelTitle = panel === 'files' ? 'open files' : panel === 'diagnostics' ? 'attach diagnostics' : 'thread';

  return (
    <Box flexDirection="column" width={w} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        {fit(header, w)}
      </Text>
      {threads.slice(listTop, listTop + listRows).map((t) => (
        <Text key={t.tid} wrap="truncate" inverse={t.tid === selected?.tid} color={t.overThreshold ? 'red' : undefined}>
          {threadRow(t, w)}
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
      <Text wrap="truncate">
        {fit(`up/down thread  f files  d diagnostics  r refresh  space ${paused ? 'resume' : 'pause'}  q close`, w)}
      </Text>
    </Box>
  );
}
