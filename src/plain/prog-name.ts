// The name our messages on stderr start with. strace starts its own with the name it was run by
// (argv[0]); ours is systrace-tui, unless we were run as strace: by a link named strace to our bin
// (`ln -s $(command -v systrace-tui) ~/bin/strace`), a drop-in strace for scripts and test suites
// that run strace, where --plain goes without saying and messages start as strace's would. The
// launcher knows only the path the kernel ran (the one PATH found, for a bare name): a path found
// in PATH is shown by its last part, as the name typed then was.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { launcherPath } from '../engine/launcher-state.js';

const PROG = 'systrace-tui';

let strace: string | null | undefined;

/** The name strace would print, when we were run as strace; undefined otherwise. */
export function straceName(): string | undefined {
  if (strace === undefined) {
    const path = launcherPath();
    const base = basename(path);
    strace = null;
    if (base === 'strace') {
      const found = (process.env.PATH ?? '').split(':').find((dir) => dir && existsSync(join(dir, base)));
      strace = found !== undefined && join(found, base) === join(dirname(path), base) ? base : path;
    }
  }
  return strace ?? undefined;
}

/** What our messages start with: `systrace-tui`, or the name strace would print. */
export const progName = (): string => straceName() ?? PROG;
