// Shown instead of any layout when the terminal cannot hold one.
import { Box, Text } from 'ink';
import { MIN_COLUMNS, MIN_ROWS } from './layout.js';

export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)} overflow="hidden">
      <Text color="yellow" wrap="wrap">
        Terminal too small: {columns}x{rows}. systrace-tui needs at least {MIN_COLUMNS}x{MIN_ROWS}.
      </Text>
      <Text wrap="wrap">Enlarge the window (q quits).</Text>
    </Box>
  );
}
