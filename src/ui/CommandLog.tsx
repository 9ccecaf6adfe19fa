// L: the end of a launched command's output (it goes to a log file, not over the screen), read
// again twice a second while shown. Only the tail is read, however large the log grows.
import { Box, Text } from 'ink';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { useEffect, useState } from 'react';
import { logKeys, matchKey } from './keymap.js';
import { useKeyLayer } from './use-key-layer.js';

const TAIL_BYTES = 64 * 1024;

/** The last `n` lines of a file (control characters shown escaped), and its size. */
export function readTail(path: string, n: number): { lines: string[]; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    let text = buf.toString('utf8');
    if (len < size) text = text.slice(text.indexOf('\n') + 1); // a partial first line
    const lines = text.replace(/\n$/, '').split('\n');
    // eslint-disable-next-line no-control-regex
    const shown = lines.slice(-n).map((l) => l.replace(/\r$/, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `^${String.fromCharCode(c.charCodeAt(0) ^ 0x40)}`).replace(/\t/g, '    '));
    return { lines: size ? shown : [], size };
  } finally {
    closeSync(fd);
  }
}

export function CommandLog({ path, width, height, onClose }: { path: string | undefined; width: number; height: number; onClose: () => void }) {
  const body = Math.max(1, height - 1);
  const read = () => {
    if (!path) return { lines: ['This trace launched no command: there is no output to show.'], size: 0, error: '' };
    try {
      return { ...readTail(path, body), error: '' };
    } catch (err) {
      return { lines: [], size: 0, error: (err as Error).message };
    }
  };
  const [tail, setTail] = useState(read);
  useEffect(() => {
    const timer = setInterval(() => setTail(read()), 500);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, body]);
  useKeyLayer((input, key) => {
    if (matchKey(logKeys, input, key) === 'close') return onClose();
    return false; // q and the like belong to the trace screen
  });
  const head = ` output of the command: ${path ?? '-'}  (${tail.size.toLocaleString('en-US')} bytes)  L or Esc closes `;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {head.padEnd(width).slice(0, width)}
      </Text>
      {tail.error ? <Text color="red">{tail.error}</Text> : null}
      {!tail.error && !tail.lines.length ? <Text dimColor>  (nothing written yet)</Text> : null}
      {tail.lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l.slice(0, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}
