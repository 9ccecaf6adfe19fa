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
  private unix: Map<number, NativeUnixSocket> | null | undefined;
  private locks: FileLock[] | undefined;
  private readonly ourNetNs = readLinkSafe('/proc/self/ns/net');

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
   * The kernel's unix sockets with their peers (sock_diag), when pid shares our network namespace
   * (sock_diag answers for ours only); undefined otherwise.
   */
  unixSockets(pid: number): Map<number, NativeUnixSocket> | undefined {
    if (readLinkSafe(`/proc/${pid}/ns/net`) !== this.ourNetNs) return undefined;
    if (this.unix === undefined) {
      try {
        this.unix = new Map(native().unixSockets().map((u) => [u.inode, u]));
      } catch {
        this.unix = null;
      }
    }
    return this.unix ?? undefined;
  }

  fileLocks(): FileLock[] {
    this.locks ??= readFileLocks();
    return this.locks;
  }
}
