// The picker's rows from a /proc sample: fuzzy-filtered (fuzzysort over name, command line, user,
// pid, systemd unit or container and cgroup, namespaces), or sorted, or as a tree of parents and children. Pure, so it is tested without a screen.
import fuzzysort, { type Result } from 'fuzzysort';
import type { ProcessInfo } from '../engine/proclist.js';

export const SORT_KEYS = ['pid', 'user', 'state', 'threads', 'cpu', 'memory', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The column header each sort key sorts by (the header's label), as htop's F6 menu lists them. */
export const SORT_COLUMN: Record<SortKey, string> = { pid: 'PID', user: 'USER', state: 'S', threads: 'THR', cpu: 'CPU%', memory: 'RSS', name: 'COMMAND' };

/** The sort key of the header label under column x of `header` (a click on it), or undefined. */
export function sortKeyAt(header: string, x: number): SortKey | undefined {
  if (x < 0 || x >= header.length || header[x] === ' ') return undefined;
  let from = x;
  while (from > 0 && header[from - 1] !== ' ') from--;
  let to = x;
  while (to < header.length && header[to] !== ' ') to++;
  const label = header.slice(from, to);
  return SORT_KEYS.find((k) => SORT_COLUMN[k] === label);
}

/** fuzzysort's result per searched field, when that field matched: its highlight() marks the letters. */
export type Matches = { name?: Result; cmdline?: Result; user?: Result; pid?: Result; unit?: Result; ns?: Result };

export interface ProcessRow {
  proc: ProcessInfo;
  /** tree drawing before the command (`|  |- `), '' outside the tree view. ASCII, as `pstree -A`
   *  draws it: a line holding any other character costs Ink's width measurement ~1000x more. */
  prefix: string;
  matches: Matches | null;
}

// Explicit, as fuzzysort 4's defaults (10 results, threshold .5) would hide most processes.
export const FUZZY_LIMIT = 5000;
export const FUZZY_THRESHOLD = 0.2;

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
// Each key's natural order (htop's): numbers that matter most first, names and pids ascending.
const cmp: Record<SortKey, (a: ProcessInfo, b: ProcessInfo) => number> = {
  pid: (a, b) => a.pid - b.pid,
  user: (a, b) => byText(a.user, b.user) || a.pid - b.pid,
  state: (a, b) => byText(a.state, b.state) || a.pid - b.pid,
  threads: (a, b) => b.threads - a.threads || a.pid - b.pid,
  cpu: (a, b) => b.cpu - a.cpu || a.pid - b.pid,
  memory: (a, b) => b.rss - a.rss || a.pid - b.pid,
  name: (a, b) => byText(a.comm, b.comm) || a.pid - b.pid,
};

/** The order of a sort key, reversed when asked (^R). */
const order = (sort: SortKey, reverse: boolean) => (reverse ? (a: ProcessInfo, b: ProcessInfo) => cmp[sort](b, a) : cmp[sort]);

const TREE_MID = '|- ';
const TREE_LAST = '`- ';

function treeRows(procs: readonly ProcessInfo[], sort: (a: ProcessInfo, b: ProcessInfo) => number): ProcessRow[] {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of procs) {
    if (p.ppid !== p.pid && byPid.has(p.ppid)) {
      let list = children.get(p.ppid);
      if (!list) children.set(p.ppid, (list = []));
      list.push(p);
    } else roots.push(p);
  }
  const out: ProcessRow[] = [];
  const walk = (p: ProcessInfo, lead: string, branch: string) => {
    out.push({ proc: p, prefix: lead + branch, matches: null });
    const kids = (children.get(p.pid) ?? []).sort(sort);
    const nextLead = lead + (branch === '' ? '' : branch === TREE_MID ? '|  ' : '   ');
    kids.forEach((k, i) => walk(k, nextLead, i === kids.length - 1 ? TREE_LAST : TREE_MID));
  };
  for (const r of roots.sort(sort)) walk(r, '', '');
  return out;
}

// What of a command line the filter searches: its start. make and java command lines run to tens
// of kilobytes, and fuzzysort prepares (and caches) every character of every target it is given:
// whole, they made each key typed in the filter cost ~70 ms of CPU and the cache tens of MB.
const SEARCHED_CMDLINE = 512;
const searchedCmdline = (cmdline: string) => (cmdline.length > SEARCHED_CMDLINE ? cmdline.slice(0, SEARCHED_CMDLINE) : cmdline);

/**
 * The NS column: a letter for each of our namespaces the process does not share, p(id) m(ount)
 * n(et), a space for one it shares, `?` where we may not look (another user's process).
 */
export function nsFlags(p: ProcessInfo): string {
  const f = (v: boolean | undefined, c: string) => (v === undefined ? '?' : v ? c : ' ');
  return f(p.ns.pid, 'p') + f(p.ns.mnt, 'm') + f(p.ns.net, 'n');
}

/** What the filter matches for the namespaces: `pidns mntns netns`, the ones that differ. */
export function nsWords(p: ProcessInfo): string {
  return [p.ns.pid && 'pidns', p.ns.mnt && 'mntns', p.ns.net && 'netns'].filter(Boolean).join(' ');
}

/**
 * The trace screen's title for a process: `redis-server (pid 4000, 1 inside, docker:3f2a1b4c5d6e,
 * ns pid mnt net)`: its pid inside its own pid namespace, and the namespaces of its own, in which
 * the trace's paths (the kernel names a descriptor's file from the process's root) and sockets
 * (-yy) are read.
 */
export function traceTitle(p: Pick<ProcessInfo, 'pid' | 'comm' | 'unit' | 'ns'>): string {
  const own = ownNamespaces(p.ns);
  return `${p.comm} (pid ${p.pid}${p.ns.innerPid ? `, ${p.ns.innerPid} inside` : ''}${p.unit ? `, ${p.unit}` : ''}${own ? `, ns ${own}` : ''})`;
}

/** `pid mnt net`: the namespaces a process does not share with us. */
function ownNamespaces(ns: Pick<ProcessInfo['ns'], 'pid' | 'mnt' | 'net'>): string {
  return [ns.pid && 'pid', ns.mnt && 'mnt', ns.net && 'net'].filter(Boolean).join(' ');
}

/** `1 inside, ns pid mnt net` (the trace title's words), '' when it shares ours: what the meters say. */
export function namespaceNote(ns: ProcessInfo['ns']): string {
  const own = ownNamespaces(ns);
  return [ns.innerPid ? `${ns.innerPid} inside` : '', own ? `ns ${own}` : ''].filter(Boolean).join(', ');
}

export function processRows(procs: readonly ProcessInfo[], query: string, sort: SortKey, tree: boolean, reverse = false): ProcessRow[] {
  const q = query.trim();
  if (q) {
    // While filtering, rows are ranked by how well they match: that is what the user typed for.
    const results = fuzzysort.go(q, procs, {
      // The unit's label first, so its letters are the ones highlighted; the cgroup path after it
      // finds a container by its whole id or a pod by its whole uid.
      keys: [(p) => p.comm, (p) => searchedCmdline(p.cmdline), (p) => p.user, (p) => String(p.pid), (p) => p.unit, (p) => p.cgroup, nsWords],
      limit: FUZZY_LIMIT,
      threshold: FUZZY_THRESHOLD,
    });
    return results.map((r) => {
      const idx = (i: number) => (r[i] && r[i].score > 0 ? r[i] : undefined);
      return { proc: r.obj, prefix: '', matches: { name: idx(0), cmdline: idx(1), user: idx(2), pid: idx(3), unit: idx(4), ns: idx(6) } };
    });
  }
  if (tree) return treeRows(procs, order(sort, reverse));
  return procs
    .slice()
    .sort(order(sort, reverse))
    .map((proc) => ({ proc, prefix: '', matches: null }));
}

/** htop-like sizes: 812K, 12.3M, 1.2G */
export function formatBytes(n: number): string {
  const k = n / 1024;
  if (k < 1000) return `${Math.round(k)}K`;
  const m = k / 1024;
  if (m < 100) return `${m.toFixed(1)}M`;
  if (m < 1000) return `${Math.round(m)}M`;
  return `${(m / 1024).toFixed(1)}G`;
}
