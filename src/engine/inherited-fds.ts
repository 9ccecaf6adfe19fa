// The descriptors above 2 this process inherited, so that a launched command gets them as it would
// under strace (`cmd 9>>/dev/full`, `3>&1`). Node marks every descriptor close-on-exec at start-up,
// its own included; what it opened itself is told apart by kind: libuv's event loop descriptors
// (anon_inode:[eventpoll], [eventfd], [io_uring]...) and its wake-up pipes, of which it holds both
// ends. Read once, as early as possible (before our own files are open).
//
// Of 0, 1 and 2, a command gets what we have: Node replaces a closed one with /dev/null opened
// read-write at start-up, which cannot be told apart from a /dev/null we were given (Python's
// subprocess.DEVNULL is exactly that), so a command never finds them closed.
import { fs } from './node-fs.js';

let inherited: number[] | undefined;

function accessMode(fd: string): number {
  try {
    const m = /^flags:\s+([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return m ? Number.parseInt(m[1], 8) & 3 : -1;
  } catch {
    return -1;
  }
}

/** Our inherited descriptors above 2 (the first call decides; later calls return the same list). */
export function inheritedFds(): number[] {
  if (inherited) return inherited;
  const links = new Map<number, string>();
  let names: string[] = [];
  try {
    names = fs.readdirSync('/proc/self/fd');
  } catch {
    return (inherited = []);
  }
  for (const name of names) {
    const fd = Number(name);
    if (!(fd > 2)) continue;
    try {
      links.set(fd, fs.readlinkSync(`/proc/self/fd/${name}`));
    } catch {
      // the readdir's own descriptor, closed by now
    }
  }
  // A pipe we hold both ends of (one read, one write) is libuv's.
  const ends = new Map<string, Set<number>>();
  for (const [fd, link] of links)
    if (link.startsWith('pipe:')) {
      const mode = accessMode(String(fd));
      if (!ends.has(link)) ends.set(link, new Set());
      ends.get(link)!.add(mode);
    }
  inherited = [...links]
    .filter(([, link]) => !link.startsWith('anon_inode:') && !(link.startsWith('pipe:') && ends.get(link)!.has(0) && ends.get(link)!.has(1)))
    .filter(([, link]) => link !== `/proc/${process.pid}/fd` && !link.startsWith('/proc/self/fd'))
    .map(([fd]) => fd)
    .sort((a, b) => a - b);
  return inherited;
}
