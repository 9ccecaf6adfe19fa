// Evidence from the live system as a traced process sees it: its credentials and capabilities,
// its root, cwd, mount and network namespaces, read from /proc (procfs never blocks). Checks on
// its file system go through the prober child, with a deadline, so a dead mount cannot hang us.
// A process may exit before we look: its last view is remembered (from an exec or an earlier
// look), and another live process in the same namespaces stands in for it when one exists.
import { readLinkSafe, readProcText, readStatus } from '../../engine/proc/task.js';
import { ProbeTimeoutError, sharedProber, type Prober } from '../../engine/proc/probe.js';
import type { WalkRequest, WalkResult } from './path-walk.js';
import { readMounts, type MountEntry } from './mounts.js';
import type { Creds } from './permissions.js';

export interface ProcView {
  pid: number;
  comm: string;
  creds: Creds;
  euid: number;
  egid: number;
  seccomp: number;
  noNewPrivs: boolean;
  /** namespace links: `mnt:[4026531841]` */
  ns: { mnt: string; net: string; user: string };
  /** the process's root and cwd (the cwd as the process sees it, below its root) */
  root: string;
  cwd: string;
  /** read from the process just now; false: remembered from earlier, or inherited */
  live: boolean;
  /** where a view that is not live comes from */
  note: string;
}

export interface NsInfo {
  mnt: string;
  net: string;
  user: string;
}

function readNs(pid: number | 'self'): NsInfo | undefined {
  const mnt = readLinkSafe(`/proc/${pid}/ns/mnt`);
  const net = readLinkSafe(`/proc/${pid}/ns/net`);
  const user = readLinkSafe(`/proc/${pid}/ns/user`);
  if (!mnt || !net || !user) return undefined;
  return { mnt, net, user };
}

/** The process's view now, or undefined when it is gone (or a zombie) or unreadable. */
export function readView(pid: number): ProcView | undefined {
  const st = readStatus(pid);
  const ns = readNs(pid);
  const rootLink = readLinkSafe(`/proc/${pid}/root`);
  const cwdLink = readLinkSafe(`/proc/${pid}/cwd`);
  if (!st || !ns || rootLink === undefined || cwdLink === undefined) return undefined;
  const root = rootLink;
  let cwd = cwdLink;
  if (root !== '/' && (cwd === root || cwd.startsWith(root + '/'))) cwd = cwd.slice(root.length) || '/';
  const groups = (st.raw.get('Groups') ?? '').split(/\s+/).filter(Boolean).map(Number);
  return {
    pid,
    comm: st.name,
    creds: { ruid: st.uid[0], rgid: st.gid[0], fsuid: st.uid[3], fsgid: st.gid[3], groups, capEff: st.capEff ?? 0n },
    euid: st.uid[1],
    egid: st.gid[1],
    seccomp: st.seccomp ?? 0,
    noNewPrivs: st.noNewPrivs ?? false,
    ns,
    root,
    cwd,
    live: true,
    note: '',
  };
}

export type WalkOutcome = { walk: WalkResult } | { unavailable: string };

export class LiveEvidence {
  private readonly views = new Map<number, ProcView>();
  readonly ours: NsInfo;
  private readonly mountsByNs = new Map<string, MountEntry[]>();

  constructor(private readonly prober: Prober = sharedProber()) {
    this.ours = readNs('self') ?? { mnt: '', net: '', user: '' };
  }

  /** Reads the view now and remembers it; when the process cannot be read, what was remembered. */
  view(pid: number): ProcView | undefined {
    const v = readView(pid);
    if (v) {
      this.views.set(pid, v);
      if (!this.mountsByNs.has(v.ns.mnt)) {
        const m = readMounts(pid);
        if (m) this.mountsByNs.set(v.ns.mnt, m);
      }
      return v;
    }
    const old = this.views.get(pid);
    return old && { ...old, live: false, note: old.note || 'as last seen running, with the changes its traced calls made since' };
  }

  /** A command we launched starts out with our own view (it may be gone before it can be read). */
  seedFromSelf(pid: number): void {
    if (this.views.has(pid)) return;
    const own = readView(process.pid);
    if (own) this.views.set(pid, { ...own, pid, live: false, note: 'as systrace-tui launched it, with the changes its traced calls made since' });
  }

  /** A child that could not be read gets its parent's view (fork copies it), marked as such. */
  inherit(pid: number, parent: number): void {
    if (this.views.has(pid)) return;
    const p = this.views.get(parent);
    if (p) this.views.set(pid, { ...p, pid, live: false, note: `inherited from its parent pid ${parent}` });
  }

  forget(pid: number): void {
    this.views.delete(pid);
  }

  /**
   * What the trace says changed the remembered view (a process that exits right after may never be
   * read again): credentials set by setuid() and friends, namespaces and root left by unshare(),
   * setns() and chroot(). `args` are the call's arguments as strace printed them.
   */
  traceChange(pid: number, name: string, args: string[]): void {
    const v = this.views.get(pid);
    if (!v) return;
    const n = (s: string | undefined) => (s === undefined || s === '-1' ? undefined : Number(s));
    const c = { ...v.creds };
    let euid = v.euid;
    let egid = v.egid;
    const oldEuid = euid;
    switch (name) {
      case 'setuid':
        if (euid === 0) c.ruid = n(args[0]) ?? c.ruid;
        euid = c.fsuid = n(args[0]) ?? euid;
        break;
      case 'setreuid':
        c.ruid = n(args[0]) ?? c.ruid;
        euid = c.fsuid = n(args[1]) ?? euid;
        break;
      case 'setresuid':
        c.ruid = n(args[0]) ?? c.ruid;
        euid = c.fsuid = n(args[1]) ?? euid;
        break;
      case 'setgid':
        if (euid === 0) c.rgid = n(args[0]) ?? c.rgid;
        egid = c.fsgid = n(args[0]) ?? egid;
        break;
      case 'setregid':
        c.rgid = n(args[0]) ?? c.rgid;
        egid = c.fsgid = n(args[1]) ?? egid;
        break;
      case 'setresgid':
        c.rgid = n(args[0]) ?? c.rgid;
        egid = c.fsgid = n(args[1]) ?? egid;
        break;
      case 'setgroups':
        c.groups = [...(args[1] ?? '').matchAll(/\d+/g)].map((m) => Number(m[0]));
        break;
      case 'seccomp':
      case 'prctl':
        if (/SECCOMP_SET_MODE_FILTER|SECCOMP_MODE_FILTER/.test(args.join(','))) this.views.set(pid, { ...v, seccomp: 2 });
        return;
      case 'unshare':
      case 'setns':
        // the new namespaces can only be read from the live process
        if (/CLONE_NEWNS|CLONE_NEWNET|CLONE_NEWUSER|CLONE_NEWPID|^0$/.test(args[args.length - 1] ?? '') || name === 'setns') {
          this.views.set(pid, { ...v, ns: { mnt: `${v.ns.mnt}+${name}`, net: `${v.ns.net}+${name}`, user: v.ns.user }, note: `as it was before its ${name}()` });
        }
        return;
      case 'chroot': {
        const q = /^"(.*)"$/.exec(args[0] ?? '');
        if (q) this.views.set(pid, { ...v, root: q[1].startsWith('/') ? q[1] : `${v.cwd}/${q[1]}`, note: 'with the root its chroot() set' });
        return;
      }
      default:
        return;
    }
    // Leaving uid 0 clears the effective capabilities (no keep-caps games assumed).
    if (oldEuid === 0 && euid !== 0) c.capEff = 0n;
    this.views.set(pid, { ...v, creds: c, euid, egid });
  }

  /** exec by a non-root user drops the capabilities (file capabilities aside). */
  execed(pid: number): void {
    const v = this.views.get(pid);
    if (v && v.euid !== 0 && v.creds.ruid !== 0) this.views.set(pid, { ...v, creds: { ...v.creds, capEff: 0n } });
  }

  sameMnt(v: ProcView): boolean {
    return v.ns.mnt === this.ours.mnt;
  }
  sameNet(v: ProcView): boolean {
    return v.ns.net === this.ours.net;
  }

  /** A live pid that shares v's namespace of this kind (v's own first), or 'self' when it is ours. */
  private standIn(v: ProcView, kind: 'mnt' | 'net'): number | 'self' | undefined {
    if (readLinkSafe(`/proc/${v.pid}/ns/${kind}`) === v.ns[kind]) return v.pid;
    if (v.ns[kind] === this.ours[kind] && (kind === 'net' || v.root === '/')) return 'self';
    for (const [pid, o] of this.views) {
      if (pid !== v.pid && o.ns[kind] === v.ns[kind] && o.root === v.root && readLinkSafe(`/proc/${pid}/ns/${kind}`) === v.ns[kind]) return pid;
    }
    return undefined;
  }

  /** The pid whose /proc/PID/net shows v's network namespace now. */
  netPid(v: ProcView): number | 'self' | undefined {
    return this.standIn(v, 'net');
  }

  /** Mounts as v sees them. */
  mounts(v: ProcView): MountEntry[] | undefined {
    const pid = this.standIn(v, 'mnt');
    const m = pid === undefined ? undefined : readMounts(pid === 'self' ? process.pid : pid);
    if (m && pid !== 'self' && pid === v.pid) this.mountsByNs.set(v.ns.mnt, m);
    return m ?? this.mountsByNs.get(v.ns.mnt);
  }

  /** Our path to v's `/`. */
  private fsRoot(v: ProcView): string | undefined {
    // Our own root serves while the process shares it: the walk then does not depend on the
    // process staying alive.
    if (v.ns.mnt === this.ours.mnt && v.root === '/') return '/';
    const pid = this.standIn(v, 'mnt');
    if (pid === undefined) return undefined;
    return pid === 'self' ? '/' : `/proc/${pid}/root`;
  }

  /** Walks a path as v would (path-walk.ts), in the prober child. */
  async walk(v: ProcView, path: string, start: string, nofollow: boolean, shebang = false): Promise<WalkOutcome> {
    const fsRoot = this.fsRoot(v);
    if (!fsRoot) return { unavailable: 'the process has exited and its mount namespace is gone' };
    const req: WalkRequest = { fsRoot, start, path, nofollow, shebang };
    try {
      return { walk: await this.prober.call<WalkResult>('analysis/live/path-walk.js', 'walkPath', [req]) };
    } catch (err) {
      if (err instanceof ProbeTimeoutError) return { unavailable: `the file system does not answer (no reply within ${err.timeoutMs} ms: a hung mount?)` };
      return { unavailable: `could not be checked: ${(err as Error).message}` };
    }
  }

  /** A small file's head as v sees it (its root, its mount namespace); null when it is missing, undefined when it could not be read. */
  async readFile(v: ProcView, path: string, max = 8192): Promise<string | null | undefined> {
    const fsRoot = this.fsRoot(v);
    if (!fsRoot) return undefined;
    try {
      return await this.prober.call<string | null>('analysis/live/path-walk.js', 'readHead', [{ fsRoot, path, max }]);
    } catch {
      return undefined;
    }
  }

  /** Our walk of the same path from our own root, to compare with another namespace's. */
  async walkOurs(path: string): Promise<WalkResult | undefined> {
    try {
      return await this.prober.call<WalkResult>('analysis/live/path-walk.js', 'walkPath', [{ fsRoot: '/', start: '/', path, nofollow: false }]);
    } catch {
      return undefined;
    }
  }

  /** What may refuse beyond mode bits: seccomp, no_new_privs, the LSMs and the process's label. */
  policy(v: ProcView): string[] {
    const out: string[] = [];
    if (v.seccomp === 2) out.push('a seccomp filter is installed (Seccomp: 2): it can fail calls with any errno');
    else if (v.seccomp === 1) out.push('strict seccomp mode: only read, write, exit and sigreturn are allowed');
    const lsm = readProcText('/sys/kernel/security/lsm')?.trim();
    if (lsm) out.push(`active LSMs: ${lsm}`);
    const label = v.live ? readProcText(`/proc/${v.pid}/attr/current`)?.replace(/\0/g, '').trim() : undefined;
    if (label) out.push(`its security label: ${label}`);
    const enforce = readProcText('/sys/fs/selinux/enforce')?.trim();
    if (enforce !== undefined) out.push(`SELinux is ${enforce === '1' ? 'enforcing' : 'permissive'}`);
    return out;
  }
}
