// The process list behind the picker, read from /proc synchronously. Processes come and go
// between the readdir and the reads of their files: every read tolerates ENOENT/ESRCH and a
// vanished process is simply left out of that sample.
import { readdirSync, readFileSync, statSync } from 'node:fs';

import { cgroupOwner, cgroupPathOf } from './proc/cgroup.js';
import { compareNamespaces, readNamespaceLinks } from './proc/namespaces.js';
import { findMemoryRisk } from './proc/process-index.js';
import { parseStatus, readProcText } from './proc/task.js';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  uid: number;
  user: string;
  /** One letter from /proc/PID/stat: R S D T t Z I X */
  state: string;
  threads: number;
  /** Share of one CPU used since the previous sample (100 = one full core); 0 on the first. */
  cpu: number;
  /** Resident set size in bytes. */
  rss: number;
  /** Kernel function the process sleeps in, '' when running or unknown. */
  wchan: string;
  /** /proc/PID/comm: the short name (15 chars at most). */
  comm: string;
  /**
   * Arguments joined by spaces; '' for kernel threads and zombies, and for a process whose memory
   * cannot be read without risk of hanging (see cmdlineOf) and whose command line was never read.
   */
  cmdline: string;
  /** Kernel threads have no command line and no user address space. */
  kernelThread: boolean;
  /** Its cgroup path ('' at the root), and the systemd unit or container that names:
   *  `nginx.service`, `docker:3f2a1b4c5d6e`, `pod:0f1e2d3c/3f2a1b4c5d6e` ('' when none). */
  cgroup: string;
  unit: string;
  /** Which of our namespaces it does not share (undefined: cannot tell, ns links not readable),
   *  and its pid inside its own pid namespace (0 when that is ours). */
  ns: { pid: boolean | undefined; mnt: boolean | undefined; net: boolean | undefined; innerPid: number };
}

const CLK_TCK = 100; // USER_HZ on every Linux ABI node runs on
const PAGE_SIZE = 4096; // x86-64 (package.json pins cpu x64)
const PF_KTHREAD = 0x00200000;
const NO_NS = { pid: false, mnt: false, net: false, innerPid: 0 };
const PLACE_EVERY = 5;

interface Place {
  startTicks: number;
  cgroup: string;
  unit: string;
  ns: ProcessInfo['ns'];
  /** NSpid when it was read (only when the pid namespace may differ) */
  nspid: number[] | undefined;
}

// /proc files through task.ts's one reused buffer: readFileSync takes a fresh 64 KB buffer for
// every file whose size it cannot know (all of /proc), four or five a process at every refresh.
function readText(path: string): string | null {
  return readProcText(path) ?? null;
}

/** uid -> user name from /etc/passwd; re-read at most once per sample when a uid is unknown. */
export class UserNames {
  private names = new Map<number, string>();
  private loadedAt = -1;
  constructor(private readonly passwdPath = '/etc/passwd') {
    this.load();
  }
  private load(): void {
    let text = '';
    try {
      text = readFileSync(this.passwdPath, 'latin1');
    } catch {
      // no names: uids stay numbers
    }
    for (const line of text.split('\n')) {
      const f = line.split(':');
      if (f.length < 3) continue;
      const uid = Number(f[2]);
      if (Number.isInteger(uid) && !this.names.has(uid)) this.names.set(uid, f[0]);
    }
  }
  name(uid: number, generation: number): string {
    let n = this.names.get(uid);
    if (n === undefined && this.loadedAt !== generation) {
      this.loadedAt = generation;
      this.load();
      n = this.names.get(uid);
    }
    return n ?? String(uid);
  }
}

interface StatFields {
  comm: string;
  state: string;
  ppid: number;
  flags: number;
  ticks: number; // utime + stime
  threads: number;
  startTicks: number; // start time since boot: with the pid, names one process across samples
  rssPages: number;
}

/** Parses /proc/PID/stat. comm sits in parentheses and may itself contain ') ', so split at the last ')'. */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3]
  const num = (field: number): number => Number(rest[field - 3]);
  return {
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: num(4),
    flags: num(9),
    ticks: num(14) + num(15),
    threads: num(20),
    startTicks: num(22),
    rssPages: num(24),
  };
}

/** Samples /proc; keeps the previous sample's CPU ticks to turn them into a percentage. */
export class ProcessSampler {
  private prevTicks = new Map<number, number>();
  private prevAt = 0;
  private generation = 0;
  private readonly users: UserNames;
  /** The last command line read of each process, for samples in which it may not be read. */
  private cmdlines = new Map<number, { startTicks: number; text: string }>();
  /** Where each process runs (cgroup, namespaces), re-read every PLACE_EVERY samples. */
  private places = new Map<number, Place>();

  /**
   * `memoryRiskOf(pid)`: why reading pid's memory could hang us now, or undefined (the inspector's
   * check: a thread asleep in D with its address space locked). Asked only of processes with a
   * thread in D state.
   */
  constructor(
    private readonly procRoot = '/proc',
    passwdPath = '/etc/passwd',
    private readonly now: () => number = () => performance.now(),
    private readonly memoryRiskOf: (pid: number) => string | undefined = (pid) => findMemoryRisk(pid),
  ) {
    this.users = new UserNames(passwdPath);
  }

  sample(): ProcessInfo[] {
    this.generation++;
    const at = this.now();
    const elapsedS = this.prevAt ? (at - this.prevAt) / 1000 : 0;
    const nextTicks = new Map<number, number>();
    const nextCmdlines: typeof this.cmdlines = new Map();
    const nextPlaces: typeof this.places = new Map();
    const out: ProcessInfo[] = [];
    let entries: string[];
    try {
      entries = readdirSync(this.procRoot);
    } catch {
      entries = [];
    }
    for (const name of entries) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      const info = this.readOne(pid, elapsedS, nextTicks, nextCmdlines, nextPlaces);
      if (info) out.push(info);
    }
    this.prevTicks = nextTicks;
    this.cmdlines = nextCmdlines;
    this.places = nextPlaces;
    this.prevAt = at;
    return out;
  }

  private readOne(
    pid: number,
    elapsedS: number,
    nextTicks: Map<number, number>,
    nextCmdlines: typeof this.cmdlines,
    nextPlaces: typeof this.places,
  ): ProcessInfo | null {
    const dir = `${this.procRoot}/${pid}`;
    const statText = readText(`${dir}/stat`);
    if (statText === null) return null;
    const st = parseStat(statText);
    if (!st) return null;
    let uid = 0;
    try {
      uid = statSync(dir).uid;
    } catch {
      return null; // vanished between the two reads
    }
    const kernelThread = (st.flags & PF_KTHREAD) !== 0;
    const cmdline = kernelThread ? '' : this.cmdlineOf(pid, dir, st);
    if (cmdline) nextCmdlines.set(pid, { startTicks: st.startTicks, text: cmdline });
    let wchan = (readText(`${dir}/wchan`) ?? '').trim();
    if (wchan === '0') wchan = '';
    const prev = this.prevTicks.get(pid);
    nextTicks.set(pid, st.ticks);
    const cpu = prev !== undefined && elapsedS > 0 ? Math.max(0, ((st.ticks - prev) / CLK_TCK / elapsedS) * 100) : 0;
    const place = this.placeOf(pid, dir, st, kernelThread);
    nextPlaces.set(pid, place);
    return {
      pid,
      ppid: st.ppid,
      uid,
      user: this.users.name(uid, this.generation),
      state: st.state,
      threads: st.threads,
      cpu,
      rss: st.rssPages * PAGE_SIZE,
      wchan,
      comm: st.comm,
      cmdline,
      kernelThread,
      cgroup: place.cgroup,
      unit: place.unit,
      ns: place.ns,
    };
  }

  /**
   * A process's cgroup and namespaces: read when it is new, then again every PLACE_EVERY samples
   * (staggered by pid), as they seldom change (a service moved, a process that unshares after
   * its start) and reading them costs four more /proc look-ups per process. NSpid never changes.
   */
  private placeOf(pid: number, dir: string, st: StatFields, kernelThread: boolean): Place {
    const known = this.places.get(pid);
    const same = known !== undefined && known.startTicks === st.startTicks;
    if (same && (this.generation + pid) % PLACE_EVERY !== 0) return known;
    // A kernel thread has ours; a zombie has none left to read (nothing to trace there either).
    if (kernelThread || st.state === 'Z') return { startTicks: st.startTicks, cgroup: '', unit: '', ns: NO_NS, nspid: [] };
    const cgroup = cgroupPathOf(readText(`${dir}/cgroup`) ?? '');
    let nspid = same ? known.nspid : undefined;
    const v = compareNamespaces(readNamespaceLinks(dir), () => (nspid ??= parseStatus(readText(`${dir}/status`) ?? '').nspid));
    return { startTicks: st.startTicks, cgroup, unit: cgroupOwner(cgroup).label, ns: { pid: v.pid, mnt: v.mnt, net: v.net, innerPid: v.innerPid }, nspid };
  }

  /**
   * Reading /proc/PID/cmdline takes the process's address-space lock. A thread asleep in D state
   * holding it (a page fault on a hung file system) would put us to sleep too, the way `ps` hangs,
   * and the picker is where a user goes to find that very process. So a process with a thread in D
   * is read only when the inspector's check finds its memory safe; otherwise it keeps the command
   * line of an earlier sample (same pid and start time), or shows none.
   */
  private cmdlineOf(pid: number, dir: string, st: StatFields): string {
    if (this.hasThreadInD(dir, st) && this.memoryRiskOf(pid) !== undefined) {
      const before = this.cmdlines.get(pid);
      return before && before.startTicks === st.startTicks ? before.text : '';
    }
    const raw = readText(`${dir}/cmdline`) ?? '';
    return raw.replace(/\0+$/, '').replace(/\0/g, ' ');
  }

  private hasThreadInD(dir: string, st: StatFields): boolean {
    if (st.state === 'D') return true;
    if (st.threads <= 1) return false;
    let tids: string[];
    try {
      tids = readdirSync(`${dir}/task`);
    } catch {
      return false;
    }
    for (const tid of tids) {
      const text = readText(`${dir}/task/${tid}/stat`);
      if (text !== null && parseStat(text)?.state === 'D') return true;
    }
    return false;
  }
}
