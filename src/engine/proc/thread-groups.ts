// Many threads waiting on the same thing are one line: a pool of 37 idle workers should not bury
// the one thread that is stuck somewhere else. Threads share a group when they are in the same
// state and wait on the same object (the same futex word, the same descriptor, the same kind of
// sleep); a group of at least MIN_GROUP threads is shown collapsed, the odd ones first.

import type { ThreadReport } from './blocking.js';

export const MIN_GROUP = 3;

export interface ThreadGroup {
  /** The threads, in report order; the first is the one shown in detail. */
  threads: ThreadReport[];
  /** What the group waits for, in words (the single thread's own words when alone). */
  words: string;
  /** The shortest time any of them has waited (what is true of all). */
  blockedForMs: number | undefined;
  exact: boolean;
  overThreshold: boolean;
}

/** `101-137, 140, 142-143`: a tid list compressed into ranges. */
export function tidRanges(tids: number[]): string {
  const s = [...tids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j === i ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function groupWords(threads: ThreadReport[]): string {
  const t = threads[0];
  if (threads.length === 1) return t.plainWords;
  const n = threads.length;
  if (t.name === 'futex' && !t.waitsOn && t.groupKey.includes('futex:')) {
    return `${n} threads idle in futex_wait on 0x${(t.args[0] ?? 0n).toString(16)}: a thread pool with no work`;
  }
  if (/^(?:epoll_wait|epoll_pwait2?|poll|ppoll|select|pselect6)$/.test(t.name)) return `${n} threads ${t.plainWords.replace(/^event loop /, 'each an event loop ')}`;
  return `${n} threads ${t.plainWords}`;
}

/** Collapse threads that wait on the same thing; singles stay groups of one. */
export function groupThreads(threads: ThreadReport[], minGroup = MIN_GROUP): ThreadGroup[] {
  const byKey = new Map<string, ThreadReport[]>();
  for (const t of threads) {
    let list = byKey.get(t.groupKey);
    if (!list) byKey.set(t.groupKey, (list = []));
    list.push(t);
  }
  const out: ThreadGroup[] = [];
  const emitted = new Set<string>();
  for (const t of threads) {
    const members = byKey.get(t.groupKey)!;
    const collapse = members.length >= minGroup && t.groupKey !== 'running';
    if (collapse && emitted.has(t.groupKey)) continue;
    const list = collapse ? members : [t];
    if (collapse) emitted.add(t.groupKey);
    const times = list.map((x) => x.blockedForMs).filter((x): x is number => x !== undefined);
    out.push({
      threads: list,
      words: groupWords(list),
      blockedForMs: times.length === list.length ? Math.min(...times) : undefined,
      exact: list.every((x) => x.exact),
      overThreshold: list.every((x) => x.overThreshold),
    });
  }
  // The odd ones stand out: singles over the threshold first, then the groups, then the rest.
  const rank = (g: ThreadGroup): number => (g.threads.length === 1 ? (g.overThreshold ? 0 : 2) : 1);
  return out.map((g, i) => ({ g, i })).sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i).map((x) => x.g);
}

/** `37 threads 101-137`, for headers. */
export function groupLabel(g: ThreadGroup): string {
  if (g.threads.length === 1) return `thread ${g.threads[0].tid}`;
  return `${g.threads.length} threads ${tidRanges(g.threads.map((t) => t.tid))}`;
}

