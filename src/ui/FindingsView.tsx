// `!`: what the trace means. The findings of the analysis (src/analysis), problems first, live as
// the trace runs (the analysis is fed each drained batch once; this view only re-renders when a
// finding appeared or changed). The selected finding shows its evidence, what it means, what to
// check next and the calls it rests on; Enter opens a call's row in its thread's pane.
import { Box, Text } from 'ink';
import { useState } from 'react';

import type { Finding, RowNote, Severity } from '../analysis/types.js';
import { findingsKeys, matchKey } from './keymap.js';
import type { TraceStore } from './store.js';
import { useKeyLayer } from './use-key-layer.js';
import { useTraceState } from './use-trace-state.js';
import { wrapWords } from './wrap-words.js';

export interface FindingsViewProps {
  store: TraceStore;
  width: number;
  height: number;
  /** opens the row `seq` in its pane (and closes the view) */
  onOpen: (seq: number) => void;
  onClose: () => void;
}

const TAG: Record<Severity, { text: string; color?: string; dim?: boolean }> = {
  problem: { text: 'PROBLEM', color: 'red' },
  note: { text: 'NOTE   ', color: 'yellow' },
  expected: { text: 'expect ', dim: true },
};

interface Line {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  /** index of the call this line shows, for the calls cursor */
  call?: number;
}

function detailLines(f: Finding, annotations: Map<number, RowNote>, width: number): Line[] {
  const lines: Line[] = [];
  for (const t of wrapWords(f.title, width, '', '  ')) lines.push({ text: t, bold: true, color: TAG[f.severity].color });
  for (const fact of f.facts) for (const t of wrapWords(fact, width, '  - ', '    ')) lines.push({ text: t });
  if (f.evidence === 'pending') lines.push({ text: '  - (evidence still being gathered)', dim: true });
  for (const t of wrapWords(f.meaning, width, '  means: ', '         ')) lines.push({ text: t, dim: true });
  if (f.check) for (const t of wrapWords(f.check, width, '  next:  ', '         ')) lines.push({ text: t, color: 'cyan' });
  lines.push({ text: '' });
  lines.push({ text: `  rests on ${f.seqs.length === 1 ? 'one call' : `${f.seqs.length} calls`}${f.calls.length < f.seqs.length ? ` (the first ${f.calls.length} shown)` : ''}; Tab, then Enter opens one:`, bold: true });
  f.calls.forEach((c, i) => {
    lines.push({ text: `    [${c.tid}] ${c.text}`.slice(0, Math.max(1, width)), call: i });
    const note = annotations.get(c.seq);
    if (note) lines.push({ text: `        -> ${note.long}`.slice(0, Math.max(1, width)), color: 'cyan', call: i });
  });
  return lines;
}

export function FindingsView({ store, width, height, onOpen, onClose }: FindingsViewProps) {
  useTraceState(store, (s) => s.findingsVersion);
  const counts = useTraceState(store, (s) => s.findings);
  const [selKey, setSelKey] = useState<string | null>(null);
  const [focus, setFocus] = useState<'list' | 'calls'>('list');
  const [callIdx, setCallIdx] = useState(0);
  const [showExpected, setShowExpected] = useState(false);
  const [top, setTop] = useState(0);
  const analysis = store.getState().analysis;
  const all = analysis.list();
  const list = showExpected ? all : all.filter((f) => f.severity !== 'expected');
  const found = list.findIndex((f) => f.key === selKey);
  const sel = found >= 0 ? found : 0;
  const cur: Finding | undefined = list[sel];

  const bodyH = Math.max(3, height - 1);
  const listH = Math.max(1, Math.min(list.length || 1, Math.floor(bodyH * 0.4)));
  const detailH = Math.max(1, bodyH - listH - 1);
  const lines = cur ? detailLines(cur, analysis.annotations, width) : [];
  let callLine = -1; // the selected call's last line (its note, when it has one)
  lines.forEach((l, i) => {
    if (l.call === callIdx) callLine = i;
  });
  let detailTop = Math.max(0, Math.min(top, lines.length - detailH));
  if (focus === 'calls' && callLine >= 0) {
    if (callLine < detailTop) detailTop = callLine;
    if (callLine >= detailTop + detailH) detailTop = callLine - detailH + 1;
  }

  const select = (i: number) => {
    const f = list[Math.max(0, Math.min(list.length - 1, i))];
    if (!f) return;
    setSelKey(f.key);
    setCallIdx(0);
    setTop(0);
  };

  useKeyLayer((input, key) => {
    const action = matchKey(findingsKeys, input, key);
    switch (action) {
      case 'up':
        if (focus === 'calls') return setCallIdx((i) => Math.max(0, i - 1));
        return select(sel - 1);
      case 'down':
        if (focus === 'calls') return setCallIdx((i) => Math.min((cur?.calls.length ?? 1) - 1, i + 1));
        return select(sel + 1);
      case 'pageUp':
        return setTop(Math.max(0, detailTop - detailH + 1));
      case 'pageDown':
        return setTop(Math.min(Math.max(0, lines.length - detailH), detailTop + detailH - 1));
      case 'calls':
        return setFocus((f) => (f === 'list' && cur?.calls.length ? 'calls' : 'list'));
      case 'open': {
        const call = cur?.calls[focus === 'calls' ? callIdx : 0];
        if (call) onOpen(call.seq);
        return;
      }
      case 'expected':
        return setShowExpected((v) => !v);
      case 'close':
        return onClose();
      default:
        return false; // q, ? and the like belong to the trace screen
    }
  });

  const listTop = Math.max(0, Math.min(sel - Math.floor(listH / 2), list.length - listH));
  const shownExpected = all.filter((f) => f.severity === 'expected').reduce((n, f) => n + f.count, 0);
  const head =
    ` findings: ${counts.problem} problem${counts.problem === 1 ? '' : 's'}, ${counts.note} note${counts.note === 1 ? '' : 's'}, ` +
    `${shownExpected} expected failure${shownExpected === 1 ? '' : 's'}${showExpected ? '' : ' (e shows them)'}` +
    `${analysis.evidence ? '' : '   evidence: from the trace alone (each finding says what it could not check)'}${analysis.partial ? `   (${analysis.partial})` : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {head.padEnd(width).slice(0, width)}
      </Text>
      {list.length === 0 ? (
        <Text dimColor wrap="truncate">
          {'  nothing to report yet: no failure or slow call that means something'.slice(0, width)}
        </Text>
      ) : null}
      {list.slice(listTop, listTop + listH).map((f, i) => {
        const idx = listTop + i;
        const tag = TAG[f.severity];
        const selected = idx === sel;
        // A title that starts with its count (an expected group's "13 expected failures: ...") is not counted again.
        const counted = f.count > 1 && !f.title.startsWith(`${f.count} `);
        const tail = `${counted ? ` x${f.count}` : ''}${f.evidence === 'pending' ? ' (checking)' : ''}`;
        const room = Math.max(1, width - 9 - tail.length);
        const title = f.title.length > room ? `${f.title.slice(0, room - 1)}~` : f.title;
        return (
          <Text key={i} wrap="truncate" inverse={selected && focus === 'list'} bold={selected}>
            <Text color={tag.color} dimColor={tag.dim} bold>{` ${tag.text} `}</Text>
            {title}
            <Text dimColor>{tail}</Text>
          </Text>
        );
      })}
      <Text dimColor wrap="truncate">
        {'─'.repeat(Math.max(1, width))}
      </Text>
      {lines.slice(detailTop, detailTop + detailH).map((l, i) => (
        <Text key={`d${i}`} wrap="truncate" color={l.color} bold={l.bold} dimColor={l.dim} inverse={focus === 'calls' && l.call === callIdx}>
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
