// F1 or `?`: every key of every screen, generated from the keymap, opening on the section of the
// screen it was asked from. Scrolls when the terminal is short.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useState } from 'react';
import { HELP_SECTIONS, TRACE_CLASS_KEYS, type HelpSection } from './keymap.js';

interface Line {
  text: string;
  title?: boolean;
  keys?: string;
  section?: HelpSection;
}

function helpLines(): Line[] {
  const lines: Line[] = [];
  for (const sec of HELP_SECTIONS) {
    if (lines.length) lines.push({ text: '' });
    sec.title.split('\n').forEach((t, k) => lines.push({ text: t, title: true, section: k ? undefined : sec.id }));
    for (const b of sec.keys) lines.push({ keys: b.keys.padEnd(10), text: b.help });
  }
  lines.push({ text: '' });
  lines.push({ text: `Class filters (${TRACE_CLASS_KEYS}) combine: a row shows when it is in any toggled class.` });
  lines.push({ text: 'Filters apply at once to the whole history and to new rows; x clears them all.' });
  lines.push({ text: 'A search (F3 /) hides nothing: it highlights its matches and n / N move between them.' });
  lines.push({ text: 'Ctrl-L, anywhere, draws the whole screen again (after another program wrote over it).' });
  lines.push({ text: 'The mouse: a click focuses a pane or picks a row, the wheel scrolls, a click on a column header sorts.' });
  return lines;
}

export function HelpOverlay({ width, height, onClose, section }: { width: number; height: number; onClose: () => void; section?: HelpSection }) {
  const lines = helpLines();
  const body = Math.max(1, height - 2);
  const maxTop = Math.max(0, lines.length - body);
  const [top, setTop] = useState(() => Math.min(maxTop, Math.max(0, lines.findIndex((l) => l.section === section))));
  useKeyLayer((input, key) => {
    if (key.upArrow || key.mouse?.button === 'wheelUp') setTop((t) => Math.max(0, t - (key.mouse ? 3 : 1)));
    else if (key.downArrow || key.mouse?.button === 'wheelDown') setTop((t) => Math.min(maxTop, t + (key.mouse ? 3 : 1)));
    else if (key.pageUp) setTop((t) => Math.max(0, t - body));
    else if (key.pageDown || input === ' ') setTop((t) => Math.min(maxTop, t + body));
    else if (key.home) setTop(0);
    else if (key.end) setTop(maxTop);
    else if (key.escape || key.return || input === '?' || input === 'q' || key.fn === 1 || key.fn === 10) onClose();
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
        ↑/↓ PgUp/PgDn Home/End scroll · Esc, F1 or ? closes
      </Text>
    </Box>
  );
}
