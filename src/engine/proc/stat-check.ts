// stat() of files that may live on a hung mount: run in the prober's child (probe.ts), never in
// our own process. The paths are /proc/PID/fd/N links: stat follows them to the open file itself.
import { statSync } from 'node:fs';

export type StatAnswer = { path: string; mode: number; dev: string; ino: string } | { path: string; error: string };

export function statPaths(paths: string[]): StatAnswer[] {
  return paths.map((path) => {
    try {
      const st = statSync(path, { bigint: true });
      return { path, mode: Number(st.mode), dev: st.dev.toString(), ino: st.ino.toString() };
    } catch (err) {
      return { path, error: (err as NodeJS.ErrnoException).code ?? 'EIO' };
    }
  });
}

/** File type letters as lsof prints them, from st_mode. */
export function fileTypeOfMode(mode: number): string {
  switch (mode & 0o170000) {
    case 0o100000: return 'REG';
    case 0o040000: return 'DIR';
    case 0o020000: return 'CHR';
    case 0o060000: return 'BLK';
    case 0o010000: return 'FIFO';
    case 0o140000: return 'sock';
    case 0o120000: return 'LNK';
    default: return '?';
  }
}
