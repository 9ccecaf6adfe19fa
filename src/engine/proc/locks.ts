// File locks: who holds the lock a thread waits for.
//
// /proc/locks lists every lock, and under each one the requests it blocks (`1: -> FLOCK ...`), so
// the lock a waiter waits for is the entry its request hangs under. The pid printed for a flock or
// an OFD lock is only who took it (or -1): such a lock belongs to an open file description, which
// fork() and SCM_RIGHTS share, so its holders are the processes that still have that description
// open. Each descriptor's fdinfo lists the locks held through its description (`lock:` lines), which
// names them exactly: the pidfile-then-fork daemon's live child rather than its dead parent.

import { readProcText } from './task.js';

export interface FileLock {
  /** The number /proc/locks gives the lock (a waiter carries its blocker's number). */
  id: number;
  /** 0 for a held lock; 1 for a request it blocks, 2 for one blocked by that request... */
  depth: number;
  /** FLOCK, POSIX, OFDLCK, LEASE... */
  kind: string;
  /** READ, WRITE (or UNLCK, for a lease being broken). */
  mode: string;
  /** Who took it (POSIX: the owning process); -1 for OFD locks. */
  pid: number;
  major: number;
  minor: number;
  ino: bigint;
  start: bigint;
  /** Last byte, inclusive; undefined for EOF (to the end of the file, whatever its size). */
  end: bigint | undefined;
  /** The lock this request waits for (depth > 0). */
  blocker?: FileLock;
}

/** `1: FLOCK  ADVISORY  WRITE 1234 fe:00:5678 0 EOF`, `1: -> FLOCK ...`, `1:  -> POSIX ...`. */
const LOCK_LINE = /^(\d+):\s(\s*->\s+)?(\S+)\s+\S+\s+(\S+)\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s+(\d+)\s+(\d+|EOF)/;

export function parseLockLine(line: string): FileLock | undefined {
  const m = LOCK_LINE.exec(line.trimStart());
  if (!m) return undefined;
  return {
    id: Number(m[1]),
    depth: m[2] ? m[2].indexOf('->') + 1 : 0,
    kind: m[3],
    mode: m[4],
    pid: Number(m[5]),
    major: parseInt(m[6], 16),
    minor: parseInt(m[7], 16),
    ino: BigInt(m[8]),
    start: BigInt(m[9]),
    end: m[10] === 'EOF' ? undefined : BigInt(m[10]),
  };
}

/** Parse /proc/locks, linking each blocked request to the lock it waits for. */
export function parseLocks(text: string): FileLock[] {
  const out: FileLock[] = [];
  const path: FileLock[] = []; // the nearest entry at each depth
  for (const line of text.split('\n')) {
    const l = parseLockLine(line);
    if (!l) continue;
    if (l.depth > 0) l.blocker = path[l.depth - 1];
    path[l.depth] = l;
    path.length = l.depth + 1;
    out.push(l);
  }
  return out;
}

export function readFileLocks(): FileLock[] {
  return parseLocks(readProcText('/proc/locks') ?? '');
}

/** The same lock seen in /proc/locks and in a descriptor's fdinfo. */
export function sameLock(a: FileLock, b: FileLock): boolean {
  return a.kind === b.kind && a.mode === b.mode && a.ino === b.ino && a.major === b.major && a.minor === b.minor && a.start === b.start && a.end === b.end;
}

/** `bytes 100-199`, `bytes 100 to the end`, `the whole file`. */
export function lockRange(l: Pick<FileLock, 'start' | 'end'>): string {
  if (l.start === 0n && l.end === undefined) return 'the whole file';
  if (l.end === undefined) return `bytes ${l.start} to the end`;
  return l.start === l.end ? `byte ${l.start}` : `bytes ${l.start}-${l.end}`;
}

/** What a waiter asks for, to find its request in /proc/locks. */
export interface LockRequest {
  pid: number;
  kind: 'FLOCK' | 'POSIX' | 'OFDLCK';
  major: number;
  minor: number;
  ino: bigint;
  /** The byte range asked for, when it could be read (fcntl's struct flock). */
  start?: bigint;
  end?: bigint | undefined;
}

const overlaps = (a: { start: bigint; end: bigint | undefined }, b: { start: bigint; end: bigint | undefined }): boolean =>
  (a.end === undefined || a.end >= b.start) && (b.end === undefined || b.end >= a.start);

/** The lock a request waits for: the entry its blocked request hangs under in /proc/locks. */
export function findBlocker(locks: FileLock[], req: LockRequest): FileLock | undefined {
  const mine = locks.filter(
    (l) =>
      l.depth > 0 &&
      l.kind === req.kind &&
      l.ino === req.ino &&
      l.major === req.major &&
      l.minor === req.minor &&
      (l.pid === req.pid || req.kind === 'OFDLCK') &&
      (req.start === undefined || (l.start === req.start && l.end === req.end)),
  );
  const blocked = mine[0];
  if (blocked?.blocker) return blocked.blocker;
  // No request of ours listed (a kernel that does not show waiters): any conflicting held lock.
  const conflicting = locks.filter(
    (l) =>
      l.depth === 0 &&
      l.ino === req.ino &&
      l.major === req.major &&
      l.minor === req.minor &&
      (req.kind === 'FLOCK' ? l.kind === 'FLOCK' : l.kind !== 'FLOCK') &&
      (req.start === undefined || overlaps(l, { start: req.start, end: req.end })),
  );
  return conflicting.length === 1 ? conflicting[0] : undefined;
}
