// What one inspection reads once and shares: the socket tables and mount tables of each
// namespace met, the index of every process's descriptors, the kernel's unix socket list, the
// file locks, and the time budget. An inspection that follows a chain through several processes
// reuses all of it.

import { native, type NativeUnixSocket } from '../native.js';
import { readFileLocks, type FileLock } from './locks.js';
import { readMountTable, type MountTable } from './mounts.js';
import { ProcessIndex } from './process-index.js';
import { SchedClock } from './sched-clock.js';
import { InodeOwners, readSocketTables, type SocketTables } from './sockets.js';
import { readLinkSafe } from './task.js';

export class InspectContext {
  /** Wall-clock ms after which no optional work (chain hops, probes) is started. */
  readonly deadlineMs: number;
  readonly owners = new InodeOwners();
  readonly clock = new SchedClock();
  readonly procs = new ProcessIndex();
  private readonly sockets = new Map<string, SocketTables>();
  private readonly mounts = new Map<string, MountTable | undefined>();
  private readonly unix = new Map<string, Map<number, NativeUnixSocket> | undefined>();
  private locks: FileLock[] | undefined;

  constructor(budgetMs = 2000) {
    this.deadlineMs = Date.now() + budgetMs;
  }

  timeLeftMs(): number {
    return this.deadlineMs - Date.now();
  }

  /** The socket tables of pid's network namespace. */
  socketTables(pid: number): SocketTables {
    const ns = readLinkSafe(`/proc/${pid}/ns/net`) ?? 'ours';
    let t = this.sockets.get(ns);
    if (!t) this.sockets.set(ns, (t = readSocketTables(pid)));
    return t;
  }

  /** The mounts as pid sees them (its mount namespace); undefined when not readable. */
  mountTable(pid: number): MountTable | undefined {
    const ns = readLinkSafe(`/proc/${pid}/ns/mnt`) ?? `pid:${pid}`;
    if (!this.mounts.has(ns)) this.mounts.set(ns, readMountTable(pid));
    return this.mounts.get(ns);
  }

  /**
   * The kernel's unix sockets with their peers (sock_diag) in pid's network namespace, read once per
   * namespace; undefined when they cannot be read.
   */
  unixSockets(pid: number): Map<number, NativeUnixSocket> | undefined {
    const ns = readLinkSafe(`/proc/${pid}/ns/net`);
    if (ns === undefined) return undefined;
    if (!this.unix.has(ns)) {
      try {
        this.unix.set(ns, new Map(native().unixSockets(pid).map((u) => [u.inode, u])));
      } catch {
        this.unix.set(ns, undefined);
      }
    }
    return this.unix.get(ns);
  }

  fileLocks(): FileLock[] {
    this.locks ??= readFileLocks();
    return this.locks;
  }
}
