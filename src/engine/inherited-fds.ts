// The descriptors above 2 this process inherited, so that a launched command gets them as it would
// under strace (`cmd 9>>/dev/full`, `3>&1`). Node marks every descriptor close-on-exec at start-up,
// its own included; what it opened itself is told apart by kind: libuv's event loop descriptors
// (anon_inode:[eventpoll], [eventfd], [io_uring]...) and its wake-up pipes, of which it holds both
// ends. Read once, as early as possible (before our own files are open), by the engine (addon.cc's
// InheritedFds): through node:fs, the twenty-odd descriptors of a start took half a millisecond.
//
// Of 0, 1 and 2, a command gets what we have: Node replaces a closed one with /dev/null opened
// read-write at start-up, which cannot be told apart from a /dev/null we were given (Python's
// subprocess.DEVNULL is exactly that), so a command never finds them closed.
import { native } from './native.js';

let inherited: number[] | undefined;

/** Our inherited descriptors above 2 (the first call decides; later calls return the same list). */
export function inheritedFds(): number[] {
  inherited ??= native().inheritedFds();
  return inherited;
}
