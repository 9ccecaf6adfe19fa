// A command launched under trace, when the user asks to kill it on leaving: it and every process
// it started (its descendants, from /proc), children first so none is left to respawn them.
import { readdirSync } from 'node:fs';
import { parseStat } from '../engine/proclist.js';
import { readProcText } from '../engine/proc/task.js';

/** pid and its descendants, deepest first. */
export function processTree(pid: number, procRoot = '/proc'): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    const text = readProcText(`${procRoot}/${name}/stat`);
    if (text === undefined) continue; // gone
    const st = parseStat(text);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(name));
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) walk(c);
    out.push(p);
  };
  walk(pid);
  return out;
}

/** SIGKILL to pid and its descendants. Throws only when pid itself cannot be signalled. */
export function killTree(pid: number): void {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch (err) {
      if (p === pid && (err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}
