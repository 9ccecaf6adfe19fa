// Which of our namespaces a process does not share: its pid namespace (with the pid it has
// there, the last NSpid of /proc/PID/status), its mount namespace (paths mean other files) and its
// network namespace (other sockets, addresses, routes). Reading /proc/PID/ns/* needs ptrace read
// access: for a process we may not look at, each is unknown (undefined).

import { cgroupOwner, readCgroupPath } from './cgroup.js';
import { readLinkSafe, readStatus } from './task.js';

export interface NamespaceView {
  /** true: another pid namespace; false: ours; undefined: cannot tell */
  pid: boolean | undefined;
  /** pid as seen inside its own pid namespace (0 when the same as ours or unknown) */
  innerPid: number;
  mnt: boolean | undefined;
  net: boolean | undefined;
  /** the ns links, `mnt:[4026532201]`, for what we say about them */
  links: { pid?: string; mnt?: string; net?: string };
}

type NsKind = 'pid' | 'mnt' | 'net';
let ours: Record<NsKind, string | undefined> | undefined;

/** Our own namespace links (read once: a process never changes its own pid namespace, and we never
 *  call setns or unshare from the main thread). */
export function ourNamespaces(): Record<NsKind, string | undefined> {
  ours ??= { pid: readLinkSafe('/proc/self/ns/pid'), mnt: readLinkSafe('/proc/self/ns/mnt'), net: readLinkSafe('/proc/self/ns/net') };
  return ours;
}

/** The ns links of the process whose /proc directory is `dir`. */
export function readNamespaceLinks(dir: string): NamespaceView['links'] {
  return { pid: readLinkSafe(`${dir}/ns/pid`), mnt: readLinkSafe(`${dir}/ns/mnt`), net: readLinkSafe(`${dir}/ns/net`) };
}

/**
 * How a process's namespaces (its ns links) differ from ours. `nspid()` gives its NSpid list; it
 * is asked only when the pid namespace may differ.
 */
export function compareNamespaces(links: NamespaceView['links'], nspid: () => number[], me = ourNamespaces()): NamespaceView {
  const differs = (k: NsKind) => (links[k] === undefined || me[k] === undefined ? undefined : links[k] !== me[k]);
  const view: NamespaceView = { pid: differs('pid'), innerPid: 0, mnt: differs('mnt'), net: differs('net'), links };
  if (view.pid !== false) {
    const list = nspid();
    // NSpid lists the pid in every namespace from ours inwards: more than one means a nested one,
    // even when the ns link could not be read.
    if (list.length > 1) {
      view.pid = true;
      view.innerPid = list[list.length - 1];
    }
  }
  return view;
}

/** How pid's namespaces differ from ours. */
export function namespaceView(pid: number): NamespaceView {
  return compareNamespaces(readNamespaceLinks(`/proc/${pid}`), () => readStatus(pid)?.nspid ?? []);
}

/** `pid 1 inside, own mount and network namespaces`: what the trace title and the inspector say; '' when none differs. */
export function describeNamespaces(v: NamespaceView): string {
  const own: string[] = [];
  if (v.mnt) own.push('mount');
  if (v.net) own.push('network');
  const parts: string[] = [];
  if (v.pid) parts.push(v.innerPid ? `pid ${v.innerPid} in its pid namespace` : 'another pid namespace');
  if (own.length) parts.push(`its own ${own.join(' and ')} namespace${own.length > 1 ? 's' : ''}`);
  return parts.join(', ');
}

// The kernel's initial namespaces have fixed inode numbers (include/linux/proc_ns.h): a pid or
// user namespace with another one is not the host's.
const INIT_PID_NS = 'pid:[4026531836]';
const INIT_USER_NS = 'user:[4026531837]';

export interface OurConfinement {
  /** we run in a pid namespace of our own: the host's pids are not ours, most are invisible */
  pidNs: boolean;
  /** we run in a user namespace of our own (a rootless container): our capabilities end at it */
  userNs: boolean;
  /** the container or unit our cgroup names ('' when none) */
  container: string;
  /** `docker:3f2a1b4c5d6e, own pid and user namespaces`, '' on the host */
  text: string;
}

/** Whether systrace-tui itself runs in a container: what bounds what it can see and trace. */
export function ourConfinement(): OurConfinement {
  const pidNs = (readLinkSafe('/proc/self/ns/pid') ?? INIT_PID_NS) !== INIT_PID_NS;
  const userNs = (readLinkSafe('/proc/self/ns/user') ?? INIT_USER_NS) !== INIT_USER_NS;
  const owner = cgroupOwner(readCgroupPath(process.pid));
  const container = owner.kind === 'container' || owner.kind === 'pod' ? owner.label : '';
  const own = [pidNs && 'pid', userNs && 'user'].filter(Boolean);
  const parts = [container, own.length ? `own ${own.join(' and ')} namespace${own.length > 1 ? 's' : ''}` : ''].filter(Boolean);
  return { pidNs, userNs, container, text: parts.join(', ') };
}

/**
 * `docker:3f2a1b4c5d6e; pid 1 in its pid namespace, its own mount namespace (its files are reached
 * through /proc/PID/fd and /proc/PID/root)`, for the inspector; undefined when it has neither a unit
 * nor a namespace of its own.
 */
export function describePlace(pid: number): string | undefined {
  const unit = cgroupOwner(readCgroupPath(pid)).label;
  const v = namespaceView(pid);
  const ns = describeNamespaces(v);
  const how: string[] = [];
  if (v.mnt) how.push(`its files are reached through /proc/${pid}/fd and /proc/${pid}/root`);
  if (v.net) how.push(`its sockets are read in its network namespace, /proc/${pid}/net`);
  const text = [unit, ns && how.length ? `${ns} (${how.join('; ')})` : ns].filter(Boolean).join('; ');
  return text || undefined;
}
