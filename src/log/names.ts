// Names in a log back to the numbers the engine's records carry: syscalls (number and classes, from
// the engine's own table), errno values and signals. A name the table lacks (another architecture's
// call) gets a number of its own above every real one, so it still has one row per name.
import { native, syscallTable } from '../engine/native.js';

export interface SyscallId {
  nr: number;
  classes: number;
}

/** First number given to names the table does not know. */
export const UNKNOWN_NR_BASE = 1 << 20;

let byName: Map<string, SyscallId> | undefined;
const unknownNames: string[] = [];

function table(): Map<string, SyscallId> {
  if (!byName) {
    byName = new Map();
    syscallTable().forEach((e, nr) => {
      if (!byName!.has(e.name)) byName!.set(e.name, { nr, classes: e.classes });
    });
  }
  return byName;
}

/** The number and classes of a syscall named in a log. */
export function syscallId(name: string): SyscallId {
  const t = table();
  let id = t.get(name);
  if (!id) {
    // `syscall_0x1c8`: strace's name for a number it has no name for.
    const raw = /^syscall_0x([0-9a-f]+)$/.exec(name);
    id = { nr: raw ? parseInt(raw[1], 16) : UNKNOWN_NR_BASE + unknownNames.length, classes: 0 };
    if (!raw) unknownNames.push(name);
    t.set(name, id);
  }
  return id;
}

/** A syscall's name by the number syscallId() gave it. */
export function syscallNameOf(nr: number): string {
  if (nr >= UNKNOWN_NR_BASE) return unknownNames[nr - UNKNOWN_NR_BASE] ?? `syscall_0x${nr.toString(16)}`;
  return syscallTable()[nr]?.name ?? `syscall_0x${nr.toString(16)}`;
}

let errnos: Map<string, number> | undefined;
const errnoNames = new Map<number, string>();

/** ENOENT -> 2, ERESTARTSYS -> 512; a name we do not know gets a number past the kernel's (4096...). */
export function errnoNumber(name: string): number {
  if (!errnos) {
    errnos = new Map();
    for (let n = 1; n < 4096; n++) {
      const e = native().errnoName(n);
      if (e && !errnos.has(e)) errnos.set(e, n);
    }
    for (const [alias, of] of [['EWOULDBLOCK', 'EAGAIN'], ['EDEADLOCK', 'EDEADLK'], ['ENOTSUP', 'EOPNOTSUPP']]) {
      const n = errnos.get(of);
      if (n !== undefined && !errnos.has(alias)) errnos.set(alias, n);
    }
    for (const [e, n] of errnos) if (!errnoNames.has(n)) errnoNames.set(n, e);
  }
  let n = errnos.get(name);
  if (n === undefined) {
    n = 4096 + errnos.size;
    errnos.set(name, n);
    errnoNames.set(n, name);
  }
  return n;
}

/** The name errnoNumber() gave a number ('' for 0). */
export function errnoNameOf(n: number): string {
  if (n === 0) return '';
  if (!errnos) errnoNumber('EPERM');
  return errnoNames.get(n) ?? '';
}

let signals: Map<string, number> | undefined;

/** SIGCHLD -> 17, SIGRT_2 -> 34, SIGRTMIN -> 32; 0 when unknown. */
export function signalNumber(name: string): number {
  if (!signals) {
    signals = new Map();
    for (let n = 1; n <= 64; n++) {
      const s = native().signalName(n);
      if (!signals.has(s)) signals.set(s, n);
    }
    signals.set('SIGRTMIN', 32);
    signals.set('SIGIOT', 6);
    signals.set('SIGPOLL', 29);
  }
  return signals.get(name) ?? 0;
}
