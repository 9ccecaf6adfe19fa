// htop's bottom line: each key in reverse video followed by what it does, cut to the width.
import { Box, Text } from 'ink';

export interface KeyBarItem {
  keys: string;
  bar?: string;
  /** shown dimmed: keys that do nothing here (and the label says why) */
  dim?: boolean;
}

export function KeyBar({ items, width }: { items: readonly KeyBarItem[]; width: number }) {
  const parts: { keys: string; label: string; dim?: boolean }[] = [];
  let used = 0;
  for (const it of items) {
    if (!it.bar) continue;
    const w = it.keys.length + it.bar.length + 2;
    if (used + w > width) break;
    parts.push({ keys: it.keys, label: it.bar, dim: it.dim });
    used += w;
  }
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        {parts.map((p, i) => (
          <Text key={i} dimColor={p.dim}>
            <Text inverse={!p.dim} bold={!p.dim}>
              {p.keys}
            </Text>
            <Text>{` ${p.label} `}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
