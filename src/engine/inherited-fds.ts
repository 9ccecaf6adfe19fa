// The descriptors above 2 this process inherited, so that a launched command gets them as it would
// under strace (`cmd 9>>/dev/full`, `3>&1`). Node marks every descriptor close-on-exec at start-up,
// its own included; what it opened itself is told apart by kind: libuv's event loop descriptors
// (anon_inode:[eventpoll], [eventfd], [io_uring]...) and its wake-up pipes, of which it holds both
// ends. Read once, as early as possible (before our own files are open). closedStdio() tells which of
// 0, 1, 2 were closed.
import fs from 'node:fs';

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

let closed: number[] | undefined;

/** Which of 0, 1, 2 were closed when we started. Node opens /dev/null read-write in their place (a
 *  shell's redirection opens it read-only or write-only), and a launched command must find them closed
 *  as it would under strace. */
export function closedStdio(): number[] {
  if (closed) return closed;
  closed = [0, 1, 2].filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === '/dev/null' && accessMode(String(fd)) === 2;
    } catch {
      return false;
    }
  });
  return closed;
}
