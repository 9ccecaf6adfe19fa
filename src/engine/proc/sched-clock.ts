// How long a sleeping thread has certainly been asleep, from the scheduler alone.
//
// /proc/PID/task/TID/sched `se.exec_start` is the time the thread last stopped running, in the
// clock of the CPU it ran on (each runqueue keeps its own clock_task, and the clocks of two CPUs
// drift apart by the interrupt and steal time each accounted). Compared with a clock of another CPU
// it can come out minutes too large. Compared with a value of the same CPU's clock it is a true
// lower bound: that clock never runs faster than real time. Any thread's exec_start is a past
// value of its CPU's clock, so the newest exec_start seen among threads last on CPU N (its per-CPU
// kernel threads, ourselves when we run there, the target's own siblings) is a reference that can
// only be late, never early: the bound it gives can only be too small.

import { clockTicksPerSecond, listTasks, parseStat, readDirSafe, readProcStat, readProcText, readSchedExecStartMs, readTaskStat, readTaskSyscall, uptimeSeconds } from './task.js';

/** Kernel threads bound to one CPU, which run there every now and then: cpu -> pids. */
let perCpuKthreads: Map<number, number[]> | undefined;

function findPerCpuKthreads(): Map<number, number[]> {
  const byCpu = new Map<number, number[]>();
  const kids = readProcText('/proc/2/task/2/children')?.trim().split(/\s+/).filter(Boolean).map(Number);
  const pids = kids && kids.length ? kids : readDirSafe('/proc').map(Number).filter((n) => Number.isInteger(n) && n > 2);
  for (const pid of pids) {
    const st = readProcStat(pid);
    if (!st || st.ppid !== 2) continue;
    const m = /^(?:ksoftirqd|kworker|migration|cpuhp)\/(\d+)(?::|$)/.exec(st.comm);
    if (!m) continue;
    const cpu = Number(m[1]);
    let list = byCpu.get(cpu);
    if (!list) byCpu.set(cpu, (list = []));
    list.push(pid);
  }
  return byCpu;
}

export class SchedClock {
  /** cpu -> the newest exec_start (ms) seen on it. */
  private readonly seen = new Map<number, number>();
  private readonly probed = new Set<number>();

  /** Record a thread's exec_start on the CPU it last ran on. */
  note(cpu: number, execStartMs: number | undefined): void {
    if (cpu < 0 || execStartMs === undefined || execStartMs <= 0) return;
    if (execStartMs > (this.seen.get(cpu) ?? 0)) this.seen.set(cpu, execStartMs);
  }

  /** A value of CPU `cpu`'s scheduler clock not later than now (ms), or undefined. */
  reference(cpu: number): number | undefined {
    if (!this.probed.has(cpu)) {
      this.probed.add(cpu);
      this.noteSelf();
      perCpuKthreads ??= findPerCpuKthreads();
      for (const pid of perCpuKthreads.get(cpu) ?? []) {
        const st = readProcStat(pid);
        if (st && st.processor === cpu) this.note(cpu, readSchedExecStartMs(`/proc/${pid}/sched`));
      }
    }
    return this.seen.get(cpu);
  }

  /** Our own threads: each one's exec_start belongs to the CPU it is on, if it did not move meanwhile. */
  private noteSelf(): void {
    for (const tid of readDirSafe('/proc/self/task')) {
      const cpuNow = (): number | undefined => {
        const t = readProcText(`/proc/self/task/${tid}/stat`);
        return t === undefined ? undefined : parseStat(t)?.processor;
      };
      const before = cpuNow();
      const execStart = readSchedExecStartMs(`/proc/self/task/${tid}/sched`);
      if (before !== undefined && before === cpuNow()) this.note(before, execStart);
    }
  }

  /**
   * A lower bound (ms) for how long a thread last seen running at `execStartMs` on `cpu` has been
   * off the CPU; 0 when nothing can be said.
   */
  asleepAtLeastMs(cpu: number, execStartMs: number | undefined): number {
    if (execStartMs === undefined || execStartMs <= 0) return 0;
    const ref = this.reference(cpu);
    return ref !== undefined && ref > execStartMs ? ref - execStartMs : 0;
  }
}

/**
 * For each sleeping thread of pid, the wall-clock ms by which it was already asleep in its current
 * call (a lower bound, from the scheduler as above). Taken just before we attach: our interrupt
 * wakes every thread and resets what the scheduler knows, so this is what remains of that past.
 */
export function asleepSince(pid: number): Map<number, { nr: number; sinceMs: number }> {
  const out = new Map<number, { nr: number; sinceMs: number }>();
  const clock = new SchedClock();
  const now = Date.now();
  const up = uptimeSeconds();
  const hz = clockTicksPerSecond();
  for (const tid of listTasks(pid) ?? []) {
    const st = readTaskStat(pid, tid);
    const sc = readTaskSyscall(pid, tid);
    if (!st || st.state === 'R' || sc.kind !== 'syscall') continue;
    let asleep = clock.asleepAtLeastMs(st.processor, readSchedExecStartMs(`/proc/${pid}/task/${tid}/sched`));
    if (up !== undefined) asleep = Math.min(asleep, (up - st.startTicks / hz) * 1000);
    if (asleep > 0) out.set(tid, { nr: sc.nr, sinceMs: now - asleep });
  }
  return out;
}
