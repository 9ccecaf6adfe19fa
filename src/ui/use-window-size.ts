// Terminal size that follows resizes live; 80x24 when the stream does not know its size.
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface WindowSize {
  columns: number;
  rows: number;
}

function read(stdout: NodeJS.WriteStream): WindowSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

export function useWindowSize(): WindowSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    // The same size keeps the same state: no second render of the whole screen at start-up.
    const onResize = () =>
      setSize((was) => {
        const now = read(stdout);
        return now.columns === was.columns && now.rows === was.rows ? was : now;
      });
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
