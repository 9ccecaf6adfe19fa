// `?`: every key of every screen, generated from the keymap. Scrolls when the terminal is short.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useState } from 'react';
import { HELP_SECTIONS, TRACE_CLASS_BAR } from './keymap.js';

interface Line {
  text: string;
  title?: boolean;
  keys?: string;
}

function helpLines(): Line[] {
  const lines: Line[] = [];
  for (const sec of HELP_SECTIONS) {
    if (lines.length) lines.push({ text: '' });
    for (const t of sec.title.split('\n')) lines.push({ text: t, title: true });
    for (const b of sec.keys) lines.push({ keys: b.keys.padEnd(10), text: b.help });
  }
  lines.push({ text: '' });
  lines.push({ text: `Class filters (${TRACE_CLASS_BAR.keys}) combine: a row shows when it is in any toggled class.` });
  lines.push({ text: 'Filters apply at once to the whole history and to new rows; x clears them all.' });
  return lines;
}

export function HelpOverlay({ width, height, onClose }: { width: number; height: number; onClose: () => void }) {
  const lines = helpLines();
  const body = Math.max(1, height - 2);
  const maxTop = Math.max(0, lines.length - body);
  const [top, setTop] = useState(0);
  useKeyLayer((input, key) => {
    if (key.upArrow) setTop((t) => Math.max(0, t - 1));
    else if (key.downArrow) setTop((t) => Math.min(maxTop, t + 1));
    else if (key.pageUp) setTop((t) => Math.max(0, t - body));
    else if (key.pageDown || input === ' ') setTop((t) => Math.min(maxTop, t + body));
    else if (key.escape || key.return || input === '?' || input === 'q') onClose();
  });
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold inverse wrap="truncate">
        {` systrace-tui help  (${top + 1}-${Math.min(lines.length, top + body)} of ${lines.length}) `.padEnd(width)}
      </Text>
      {lines.slice(top, top + body).map((l, i) =>
        l.title ? (
          <Text key={i} bold color="cyan" wrap="truncate">
            {l.text}
          </Text>
        ) : (
          <Text key={i} wrap="truncate">
            {l.keys !== undefined ? <Text bold color="yellow">{`  ${l.keys}`}</Text> : null}
            {l.text}
          </Text>
        ),
      )}
      <Box flexGrow={1} />
      <Text dimColor wrap="truncate">
        ↑/↓ PgUp/PgDn scroll · Esc or ? closes
      </Text>
    </Box>
  );
}
