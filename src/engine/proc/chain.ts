// The waits-on chain: from a blocked thread to whatever really holds it up. When the thing a
// thread waits for is held by another local process (a pipe's writer, a unix or loopback TCP peer,
// a lock holder, a child, a FUSE daemon) or another thread (a mutex owner), that one is inspected
// too, hop by hop, until a thread that waits on nothing we can name, a cycle (a deadlock), 8 hops,
// or the inspection's time budget.
//
//   cat 812 -> reads pipe written by python3 820 -> waits for flock on /run/app.lock held by sleep 801 (S, in a 1 h nanosleep)

import type { InspectContext } from './context.js';
import type { ThreadReport, ThreadsReport } from './blocking.js';

export interface ChainHop {
  pid: number;
  tid: number;
  comm: string;
  state: string;
  /** A few words on what it does: the end of the chain shows them. */
  brief: string;
  /** How this hop waits on the next one (`reads pipe written by`); undefined on the last. */
  how?: string;
  /** How many other processes could release this hop besides the next one. */
  others?: number;
}

export interface WaitChain {
  /** The threads the chain starts from (threads waiting on the same thing share one). */
  fromTids: number[];
  hops: ChainHop[];
  /** The last hop is one met before: a deadlock. */
  cycle: boolean;
  /** Why the chain was cut short, if it was. */
  stopped?: string;
  text: string;
}

export const MAX_HOPS = 8;
const MAX_CHAINS = 8;

/** `cat 812`, or `worker 815 (thread of 812)` for a thread other than the main one. */
function label(h: ChainHop): string {
  return h.tid === h.pid ? `${h.comm} ${h.pid}` : `${h.comm} ${h.tid} (thread of ${h.pid})`;
}

export function chainText(c: Pick<WaitChain, 'hops' | 'cycle' | 'stopped'>): string {
  let text = label(c.hops[0]);
  for (let i = 1; i < c.hops.length; i++) {
    const prev = c.hops[i - 1];
    text += ` -> ${prev.how} ${label(c.hops[i])}${prev.others ? ` (+${prev.others} more)` : ''}`;
  }
  if (c.cycle) return `deadlock: ${text} (${c.hops.length === 2 ? 'it waits for itself' : 'a cycle: each waits for the next'})`;
  const last = c.hops[c.hops.length - 1];
  text += ` (${last.state}, ${last.brief})`;
  if (c.stopped) text += ` -> ... (${c.stopped})`;
  return text;
}

/** The thread of `snap` the chain goes on with: the one named, else one that itself waits on someone. */
function pickThread(snap: ThreadsReport, tid: number | undefined): ThreadReport | undefined {
  if (tid !== undefined) return snap.threads.find((t) => t.tid === tid);
  const blocked = snap.threads.filter((t) => t.waitsOn).sort((a, b) => (b.blockedForMs ?? 0) - (a.blockedForMs ?? 0));
  return blocked[0] ?? snap.threads.find((t) => t.tid === snap.pid) ?? snap.threads[0];
}

function hopOf(pid: number, t: ThreadReport): ChainHop {
  return { pid, tid: t.tid, comm: t.comm, state: t.state, brief: t.brief, how: t.waitsOn?.how, others: t.waitsOn?.others };
}

/**
 * The chains from every thread of `report` that waits on someone, longest wait first; identical
 * ones once. `inspect` reads another process (shared across chains within one inspection).
 */
export async function buildChains(report: ThreadsReport, ctx: InspectContext, inspect: (pid: number) => Promise<ThreadsReport>): Promise<WaitChain[]> {
  const snaps = new Map<number, Promise<ThreadsReport>>([[report.pid, Promise.resolve(report)]]);
  const snapshot = (pid: number): Promise<ThreadsReport> => {
    let s = snaps.get(pid);
    if (!s) snaps.set(pid, (s = inspect(pid)));
    return s;
  };
  const starts = report.threads.filter((t) => t.waitsOn).sort((a, b) => (b.blockedForMs ?? 0) - (a.blockedForMs ?? 0));
  const chains: WaitChain[] = [];
  const byFirstHop = new Map<string, WaitChain>();
  for (const start of starts) {
    // Threads waiting on the same thing give the same chain: follow it once.
    const key = `${start.waitsOn!.pid}:${start.waitsOn!.tid ?? ''}:${start.waitsOn!.how}`;
    const same = byFirstHop.get(key);
    if (same) {
      same.fromTids.push(start.tid);
      continue;
    }
    if (chains.length >= MAX_CHAINS) break;
    const hops: ChainHop[] = [hopOf(report.pid, start)];
    const visited = new Set([start.tid]);
    let cur = start;
    let cycle = false;
    let stopped: string | undefined;
    while (cur.waitsOn) {
      if (hops.length > MAX_HOPS) {
        stopped = `stopped after ${MAX_HOPS} hops`;
        break;
      }
      const w = cur.waitsOn;
      if (ctx.timeLeftMs() <= 0) {
        // Who is waited for is known without reading it: named, unread, rather than no chain at all.
        hops.push({ pid: w.pid, tid: w.tid ?? w.pid, comm: w.comm, state: '?', brief: 'not read' });
        stopped = 'stopped: out of time';
        break;
      }
      const snap = await snapshot(w.pid);
      const next = snap.exists ? pickThread(snap, w.tid) : undefined;
      if (!next) {
        hops.push({ pid: w.pid, tid: w.tid ?? w.pid, comm: w.comm, state: '?', brief: 'gone' });
        break;
      }
      hops.push(hopOf(w.pid, next));
      if (visited.has(next.tid)) {
        cycle = true;
        break;
      }
      visited.add(next.tid);
      cur = next;
    }
    if (hops.length < 2) continue;
    const last = hops[hops.length - 1];
    if (!cycle) last.how = undefined;
    const chain: WaitChain = { fromTids: [start.tid], hops, cycle, stopped, text: '' };
    chain.text = chainText(chain);
    byFirstHop.set(key, chain);
    chains.push(chain);
  }
  return chains;
}
