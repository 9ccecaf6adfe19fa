// Resource limits and how close a process is to them, from procfs and the cgroup files (never
// blocking): RLIMIT_NOFILE against its open descriptors, RLIMIT_NPROC against its user's tasks,
// the cgroup's pids.max and memory.max, the system's file table and commit limit.
import { readDirSafe, readProcText } from '../../engine/proc/task.js';

export interface Limit {
  soft: number; // Infinity for unlimited
  hard: number;
}

/** /proc/PID/limits, by the name the file uses (`Max open files`). */
export function parseLimits(text: string): Map<string, Limit> {
  const out = new Map<string, Limit>();
  const val = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  for (const line of text.split('\n').slice(1)) {
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (m) out.set(m[1], { soft: val(m[2]), hard: val(m[3]) });
  }
  return out;
}

export function readLimits(pid: number): Map<string, Limit> | undefined {
  const text = readProcText(`/proc/${pid}/limits`);
  return text === undefined ? undefined : parseLimits(text);
}

export const fmtLimit = (n: number): string => (n === Infinity ? 'unlimited' : String(n));

export function bytes(n: number): string {
  if (n === Infinity) return 'unlimited';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 10 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** The process's open descriptor numbers (undefined when they cannot be read). */
export function openFds(pid: number): number[] | undefined {
  const list = readDirSafe(`/proc/${pid}/fd`);
  return list.length ? list.map(Number) : undefined;
}

/** Tasks (threads) whose real uid is `uid`: what RLIMIT_NPROC counts. */
export function tasksOfUser(uid: number): number {
  let n = 0;
  for (const name of readDirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readProcText(`/proc/${name}/status`);
    if (!st) continue;
    const u = /^Uid:\s+(\d+)/m.exec(st);
    if (!u || Number(u[1]) !== uid) continue;
    n += Number(/^Threads:\s+(\d+)/m.exec(st)?.[1] ?? 1);
  }
  return n;
}

/** The process's cgroup (v2) directory under /sys/fs/cgroup, when it has one. */
export function cgroupDir(pid: number): string | undefined {
  const text = readProcText(`/proc/${pid}/cgroup`);
  const m = text ? /^0::(\/.*)$/m.exec(text) : null;
  return m ? `/sys/fs/cgroup${m[1] === '/' ? '' : m[1]}` : undefined;
}

function readNum(path: string): number | undefined {
  const t = readProcText(path)?.trim();
  if (t === undefined || t === '') return undefined;
  if (t === 'max') return Infinity;
  const n = Number(t.split(/\s+/)[0]);
  return Number.isFinite(n) ? n : undefined;
}

export interface CgroupUse {
  dir: string;
  current?: number;
  max?: number;
}

export function cgroupPids(pid: number): CgroupUse | undefined {
  const dir = cgroupDir(pid);
  if (!dir) return undefined;
  const max = readNum(`${dir}/pids.max`);
  return max === undefined ? undefined : { dir, current: readNum(`${dir}/pids.current`), max };
}

export function cgroupMemory(pid: number): CgroupUse | undefined {
  const dir = cgroupDir(pid);
  if (!dir) return undefined;
  const max = readNum(`${dir}/memory.max`);
  return max === undefined ? undefined : { dir, current: readNum(`${dir}/memory.current`), max };
}

/** /proc/sys/fs/file-nr: allocated handles and the system maximum. */
export function fileTable(): { allocated: number; max: number } | undefined {
  const f = readProcText('/proc/sys/fs/file-nr')?.trim().split(/\s+/).map(Number);
  return f && f.length >= 3 ? { allocated: f[0], max: f[2] } : undefined;
}

/** `VmSize` and friends from /proc/PID/status, in bytes. */
export function vmSizes(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  const text = readProcText(`/proc/${pid}/status`) ?? '';
  for (const m of text.matchAll(/^(Vm\w+):\s+(\d+) kB/gm)) out.set(m[1], Number(m[2]) * 1024);
  return out;
}

/** /proc/meminfo values in bytes. */
export function memInfo(): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of (readProcText('/proc/meminfo') ?? '').matchAll(/^(\w+):\s+(\d+) kB/gm)) out.set(m[1], Number(m[2]) * 1024);
  return out;
}

export function sysctlNum(path: string): number | undefined {
  return readNum(`/proc/sys/${path}`);
}
