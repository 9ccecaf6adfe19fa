// Which file system a descriptor or a path lives on, from /proc alone: /proc/PID/fdinfo/FD gives
// the mount id and inode of an open file, /proc/PID/mountinfo gives each mount's device, type,
// source and options as the process sees them (its own mount namespace). Nothing here touches
// the file systems themselves, so nothing here can hang on a dead FUSE daemon or NFS server.

import { readProcText } from './task.js';

export interface MountEntry {
  id: number;
  parentId: number;
  /** st_dev of the files on this mount (the superblock's device), as /proc/locks prints it. */
  major: number;
  minor: number;
  /** Where the mount shows in the process's view, unescaped. */
  mountPoint: string;
  /** `ext4`, `fuse.sshfs`, `nfs4`... */
  fsType: string;
  /** `/dev/vda1`, `10.0.0.5:/export`, `sshfs#host:`... */
  source: string;
  /** Per-mount options (rw, ro, noexec, nosuid...), comma-separated. */
  mountOptions: string;
  /** The file system's own options, comma-separated. */
  superOptions: string;
}

/** mountinfo escapes space, tab, newline and backslash as \\040, \\011, \\012, \\134. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Parse /proc/PID/mountinfo (see proc(5)): `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw`. */
export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (f.length < 10 || dash < 0) continue;
    const [major, minor] = f[2].split(':').map(Number);
    out.push({
      id: Number(f[0]),
      parentId: Number(f[1]),
      major,
      minor,
      mountPoint: unescapeMount(f[4]),
      fsType: f[dash + 1] ?? '',
      source: unescapeMount(f[dash + 2] ?? ''),
      mountOptions: f[5],
      superOptions: f[dash + 3] ?? '',
    });
  }
  return out;
}

/** A process's mounts, by id and by path. */
export class MountTable {
  readonly byId = new Map<number, MountEntry>();
  /** Longest mount point first, later mounts first among equals (the one on top wins). */
  private readonly byDepth: MountEntry[];

  constructor(readonly entries: MountEntry[]) {
    for (const m of entries) this.byId.set(m.id, m);
    this.byDepth = entries.map((m, i) => ({ m, i })).sort((a, b) => b.m.mountPoint.length - a.m.mountPoint.length || b.i - a.i).map((x) => x.m);
  }

  /** The mount an absolute, already-resolved path lies on. */
  forPath(path: string): MountEntry | undefined {
    for (const m of this.byDepth) {
      const mp = m.mountPoint;
      if (path === mp || mp === '/' || path.startsWith(mp.endsWith('/') ? mp : mp + '/')) return m;
    }
    return undefined;
  }

  /** Every mount of this type class. */
  ofClass(cls: FsClass): MountEntry[] {
    return this.entries.filter((m) => fsClass(m.fsType) === cls);
  }
}

export function readMountTable(pid: number | 'self'): MountTable | undefined {
  const text = readProcText(`/proc/${pid}/mountinfo`);
  return text === undefined ? undefined : new MountTable(parseMountInfo(text));
}

/**
 * local: stat is answered from memory (the inode is in the kernel's cache once a file is open);
 * fuse: a user-space daemon answers; network: a server answers; other: a file system we do not
 * know, treated like a remote one (never stat'ed from our own process).
 */
export type FsClass = 'local' | 'fuse' | 'network' | 'other';

const LOCAL_FS = new Set([
  'ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'f2fs', 'jfs', 'reiserfs', 'zfs', 'bcachefs', 'vfat', 'msdos', 'exfat', 'ntfs3',
  'squashfs', 'erofs', 'iso9660', 'udf', 'overlay', 'tmpfs', 'ramfs', 'devtmpfs', 'devpts', 'proc', 'sysfs', 'cgroup',
  'cgroup2', 'mqueue', 'hugetlbfs', 'debugfs', 'tracefs', 'securityfs', 'bpf', 'configfs', 'pstore', 'efivarfs',
  'binfmt_misc', 'fusectl', 'nsfs', 'pipefs', 'sockfs', 'anon_inodefs', 'rpc_pipefs', 'selinuxfs',
]);
const NETWORK_FS = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', '9p', 'ceph', 'afs', 'lustre', 'gfs2', 'ocfs2', 'glusterfs', 'davfs', 'ncpfs',
  'orangefs', 'beegfs', 'gpfs',
]);

export function fsClass(fsType: string): FsClass {
  if (fsType === 'fuse' || fsType === 'fuseblk' || fsType.startsWith('fuse.') || fsType.startsWith('fuseblk.') || fsType === 'virtiofs') return 'fuse';
  if (LOCAL_FS.has(fsType)) return 'local';
  if (NETWORK_FS.has(fsType)) return 'network';
  return 'other';
}

/** `fuse.sshfs` -> `sshfs`; `nfs4` -> `nfs4`. */
export function fsName(m: MountEntry): string {
  return m.fsType.startsWith('fuse.') ? m.fsType.slice(5) : m.fsType;
}

/** The server of a network mount: `addr=` from its options, else the host part of its source. */
export function mountServer(m: MountEntry): string | undefined {
  const addr = /(?:^|,)addr=([^,]+)/.exec(m.superOptions)?.[1];
  if (addr) return addr;
  const unc = /^\/\/([^/]+)\//.exec(m.source);
  if (unc) return unc[1];
  const hostPath = /^([^/:]+|\[[^\]]+\]):\//.exec(m.source);
  return hostPath?.[1];
}

/** The parts of /proc/PID/fdinfo/FD the inspector uses. */
export interface FdInfo {
  pos: number | undefined;
  /** open(2) flags, octal in the file. */
  flags: number | undefined;
  mntId: number | undefined;
  ino: bigint | undefined;
  /** `lock:` lines: the locks held through this open file description. */
  locks: string[];
  /** A pidfd's process (`Pid:`), -1 once it exited. */
  pidfdPid: number | undefined;
  /** An epoll descriptor's watched fds (`tfd:`). */
  tfds: number[];
  eventfdCount: bigint | undefined;
}

export function parseFdInfo(text: string): FdInfo {
  const num = (re: RegExp): string | undefined => re.exec(text)?.[1];
  const pos = num(/^pos:\s*(\d+)/m);
  const flags = num(/^flags:\s*([0-7]+)/m);
  const mnt = num(/^mnt_id:\s*(\d+)/m);
  const ino = num(/^ino:\s*(\d+)/m);
  const pid = num(/^Pid:\s*(-?\d+)/m);
  const count = num(/^eventfd-count:\s*([0-9a-f]+)/m);
  return {
    pos: pos === undefined ? undefined : Number(pos),
    flags: flags === undefined ? undefined : parseInt(flags, 8),
    mntId: mnt === undefined ? undefined : Number(mnt),
    ino: ino === undefined ? undefined : BigInt(ino),
    locks: [...text.matchAll(/^lock:\s*(.*)$/gm)].map((m) => m[1]),
    pidfdPid: pid === undefined ? undefined : Number(pid),
    tfds: [...text.matchAll(/^tfd:\s*(\d+)/gm)].map((m) => Number(m[1])),
    eventfdCount: count === undefined ? undefined : BigInt('0x' + count),
  };
}

export function readFdInfo(pid: number, fd: number): FdInfo | undefined {
  const text = readProcText(`/proc/${pid}/fdinfo/${fd}`);
  return text === undefined ? undefined : parseFdInfo(text);
}
