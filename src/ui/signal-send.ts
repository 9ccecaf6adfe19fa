// htop's kill menu: the signals a user may send (1-31, by their Linux numbers), and what sending
// one did, in a line for the status bar.
import { constants } from 'node:os';

export interface SignalEntry {
  number: number;
  name: string;
}

/** The standard signals in number order, one name each (SIGIOT and SIGPOLL are aliases). */
export const SIGNALS: SignalEntry[] = (() => {
  const byNumber = new Map<number, string>();
  for (const [name, n] of Object.entries(constants.signals)) {
    if (n >= 1 && n <= 31 && name !== 'SIGIOT' && name !== 'SIGPOLL' && name !== 'SIGUNUSED' && !byNumber.has(n)) byNumber.set(n, name);
  }
  return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([number, name]) => ({ number, name }));
})();

/** Where the menu opens: SIGTERM, as htop. */
export const SIGTERM_INDEX = Math.max(0, SIGNALS.findIndex((s) => s.name === 'SIGTERM'));

/** The menu's lines: ` 15 SIGTERM`. */
export const signalLabels = (): string[] => SIGNALS.map((s) => `${String(s.number).padStart(2)} ${s.name}`);

/**
 * Sends `sig` to process `pid` and says what happened: sent, no such process (ESRCH), or not
 * permitted (EPERM). `kill` is process.kill, replaceable in tests.
 */
export function sendSignal(pid: number, sig: SignalEntry, who: string, kill: (pid: number, sig: string) => void = process.kill): { ok: boolean; text: string } {
  try {
    kill(pid, sig.name);
    return { ok: true, text: `sent ${sig.name} to ${who}` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return { ok: false, text: `${sig.name} not sent: ${who} is gone (ESRCH)` };
    if (code === 'EPERM') return { ok: false, text: `${sig.name} not sent to ${who}: not permitted (EPERM)` };
    return { ok: false, text: `${sig.name} not sent to ${who}: ${(err as Error).message}` };
  }
}
