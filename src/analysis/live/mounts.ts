// Mounts as a process sees them (/proc/PID/mountinfo: its mount namespace, paths relative to its
// root): which mount a path lives on, with its per-mount and file-system options.
import { parseMountInfo } from '../../engine/proc/mounts.js';
import { readProcText } from '../../engine/proc/task.js';

export interface MountEntry {
  id: number;
  /** where it is mounted, as the process sees it */
  point: string;
  /** per-mount options: rw/ro, noexec, nosuid, nodev... */
  options: string[];
  fstype: string;
  source: string;
  /** the file system's own options (ro here means the whole file system is read-only) */
  superOptions: string[];
}

/** One parser of mountinfo for the project: the inspector's (engine/proc/mounts.ts). */
export function parseMountinfo(text: string): MountEntry[] {
  return parseMountInfo(text).map((m) => ({
    id: m.id,
    point: m.mountPoint,
    options: m.mountOptions.split(','),
    fstype: m.fsType,
    source: m.source,
    superOptions: m.superOptions.split(','),
  }));
}

/** The mount holding `path` (the last of the longest matching mount points: the one on top). */
export function mountOf(mounts: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const p = m.point;
    const under = p === '/' || path === p || path.startsWith(p.endsWith('/') ? p : p + '/');
    if (under && (!best || p.length >= best.point.length)) best = m;
  }
  return best;
}

export function readMounts(pid: number): MountEntry[] | undefined {
  const text = readProcText(`/proc/${pid}/mountinfo`);
  return text === undefined ? undefined : parseMountinfo(text);
}

export function isReadOnly(m: MountEntry): boolean {
  return m.options.includes('ro') || m.superOptions.includes('ro');
}

/** `/data (ext4 /dev/sdb1, ro,noexec)` */
export function describeMount(m: MountEntry): string {
  const opts = m.options.filter((o) => ['ro', 'rw', 'noexec', 'nosuid', 'nodev'].includes(o));
  if (m.superOptions.includes('ro') && !opts.includes('ro')) opts.push('ro (file system)');
  return `${m.point} (${m.fstype} ${m.source}, ${opts.join(',')})`;
}
