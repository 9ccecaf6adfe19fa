// Shown instead of any layout when the terminal cannot hold one. Quitting over a launched command
// that still runs asks here what to do with it, as the trace screen would.
import { Box, Text } from 'ink';
import { leaveKeys } from './keymap.js';
import { MIN_COLUMNS, MIN_ROWS } from './layout.js';

export function TooSmall({ columns, rows, launched }: { columns: number; rows: number; launched?: number }) {
  return (
    <Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)} overflow="hidden">
      <Text color="yellow" wrap="wrap">
        Terminal too small: {columns}x{rows}. systrace-tui needs at least {MIN_COLUMNS}x{MIN_ROWS}.
      </Text>
      {launched ? (
        <Text wrap="wrap">
          <Text bold color="yellow">{`pid ${launched} still runs: `}</Text>
          {leaveKeys.map((k) => `${k.keys} ${(k.bar ?? k.action).toLowerCase()}`).join(', ')}
        </Text>
      ) : (
        <Text wrap="wrap">Enlarge the window (q quits).</Text>
      )}
    </Box>
  );
}
