// Facts about other processes that one inspection asks for more than once: each process's stat,
// who is whose child, and whether a process's memory may be read without risk of hanging.
//
// Reading another process's memory (/proc/PID/mem, /proc/PID/cmdline, process_vm_readv) takes its
// address-space lock. A thread that waits for that lock, or sleeps holding it (a page fault on a
// hung file system), makes every reader sleep too, uninterruptibly: the reason `ps` hangs. So
// before reading a process's memory we look at its threads in D state: if one is in a page fault
// or an mmap call, or its stack cannot be read and its wchan is not one known to be harmless, the
// memory is left unread and the report says so.

import { MM_SAFE_WCHANS, stackTouchesMm } from './kernel-waits.js';
import { listTasks, readDirSafe, readProcStat, readTaskStack, readTaskStat, readTaskSyscall, readTaskWchan, type TaskStat, type TaskSyscall } from './task.js';

export class ProcessIndex {
  private readonly stats = new Map<number, TaskStat | undefined>();
  private kids: Map<number, number[]> | undefined;
  private readonly memory = new Map<number, string | null>();

  stat(pid: number): TaskStat | undefined {
    if (!this.stats.has(pid)) this.stats.set(pid, readProcStat(pid));
    return this.stats.get(pid);
  }

  comm(pid: number): string | undefined {
    return this.stat(pid)?.comm;
  }

  /** Children of pid (every process whose PPid is pid), from one scan of /proc. */
  children(pid: number): number[] {
    if (!this.kids) {
      this.kids = new Map();
      for (const name of readDirSafe('/proc')) {
        const p = Number(name);
        if (!Number.isInteger(p) || p <= 0) continue;
        const st = this.stat(p);
        if (!st) continue;
        let list = this.kids.get(st.ppid);
        if (!list) this.kids.set(st.ppid, (list = []));
        list.push(p);
      }
    }
    return this.kids.get(pid) ?? [];
  }

  /**
   * The child a vfork parent waits for: until it execs, a vfork child shares its parent's address
   * space, so the layout in stat (size, code and stack addresses) is the same as the parent's.
   */
  vforkChild(pid: number): { pid: number; comm: string } | undefined {
    const parent = this.stat(pid);
    if (!parent) return undefined;
    const kids = this.children(pid)
      .map((c) => this.stat(c))
      .filter((c): c is TaskStat => !!c && c.state !== 'Z');
    const same = kids.filter((c) => c.vsize === parent.vsize && c.startcode === parent.startcode && c.endcode === parent.endcode && c.startstack === parent.startstack);
    const pick = (same.length ? same : kids).sort((a, b) => b.startTicks - a.startTicks)[0];
    return pick ? { pid: pick.tid, comm: pick.comm } : undefined;
  }

  /**
   * Why pid's memory must not be read now, or undefined when reading it cannot hang. `threads`:
   * its threads' states and calls when the caller has read them already.
   */
  memoryRisk(pid: number, threads?: ThreadGlance[]): string | undefined {
    if (!this.memory.has(pid)) this.memory.set(pid, findMemoryRisk(pid, threads) ?? null);
    return this.memory.get(pid) ?? undefined;
  }

  memoryReadable(pid: number): boolean {
    return this.memoryRisk(pid) === undefined;
  }
}

/** What the memory check needs of a thread. */
export interface ThreadGlance {
  tid: number;
  state: string;
  sc?: TaskSyscall;
}

function glance(pid: number): ThreadGlance[] {
  const out: ThreadGlance[] = [];
  for (const tid of listTasks(pid) ?? []) {
    const st = readTaskStat(pid, tid);
    if (st) out.push({ tid, state: st.state });
  }
  return out;
}

export function findMemoryRisk(pid: number, threads = glance(pid)): string | undefined {
  for (const { tid, state, sc: known } of threads) {
    if (state !== 'D') continue;
    const sc = known ?? readTaskSyscall(pid, tid);
    if (sc.kind === 'user') return `thread ${tid} is in uninterruptible sleep in a page fault: reading its memory could hang`;
    const stack = readTaskStack(pid, tid);
    if ('frames' in stack) {
      if (stackTouchesMm(stack.frames)) return `thread ${tid} is in uninterruptible sleep with the address space locked: reading its memory could hang`;
      continue;
    }
    const w = readTaskWchan(pid, tid, state);
    if ('wchan' in w && MM_SAFE_WCHANS.has(w.wchan)) continue;
    return `thread ${tid} is in uninterruptible sleep and its kernel stack cannot be read: reading its memory could hang`;
  }
  return undefined;
}
