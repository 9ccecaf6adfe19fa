// Mounts as a process sees them (/proc/PID/mountinfo: its mount namespace, paths relative to its
// root): which mount a path lives on, with its per-mount and file-system options.
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

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (f.length < 10 || dash < 0) continue;
    out.push({
      id: Number(f[0]),
      point: unescape(f[4]),
      options: f[5].split(','),
      fstype: f[dash + 1],
      source: unescape(f[dash + 2]),
      superOptions: (f[dash + 3] ?? '').split(','),
    });
  }
  return out;
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
