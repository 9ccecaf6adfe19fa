// htop's meters, for what is traced: per process its state, CPU%, RSS, calls and failed calls per
// second, how many of its threads are blocked in a call and how long the longest has been. Sampled
// once a second by the drain loop with the screen's clock tick (use-drain-loop.ts), never in the
// render path: /proc is read there, and the engine's counters; the header only draws the last
// sample from the store.
//
// Blocked: a traced thread sits in a call (the engine knows its wait and since when, the
// inspector's tracedWait) and is not on a CPU (its /proc state is not R).
import { tracedWait, waitedMs } from '../engine/proc/blocking.js';
import { namespaceView } from '../engine/proc/namespaces.js';
import { clockTicksPerSecond, readProcStat, readTaskStat } from '../engine/proc/task.js';
import type { ThreadState, TraceSource } from '../engine/types.js';
import { namespaceNote } from './process-rows.js';

export interface ProcessMeter {
  pid: number;
  comm: string;
  /** /proc state letter of the process (its leader) */
  state: string;
  /** share of one CPU since the previous sample (100 = one core) */
  cpu: number;
  rssBytes: number;
  callsPerSec: number;
  failedPerSec: number;
  threads: number;
  blocked: number;
  /** the longest blocked thread: how long (ms) and in which call; 0 when none */
  longestMs: number;
  longestCall: string;
  /** `1 inside, ns pid mnt net` when it is in namespaces of its own (read each sample: a process
   *  may unshare or setns), '' otherwise */
  namespaces: string;
}

const PAGE_SIZE = 4096; // x86-64 (package.json pins cpu x64)
/** Processes measured per sample: the header shows a few, the busiest. */
const MAX_PROCESSES = 16;

export class MeterSampler {
  private prev = new Map<number, { at: number; ticks: number; calls: number; errors: number }>();
  private readonly hz = clockTicksPerSecond();

  constructor(
    private readonly source: Pick<TraceSource, 'counters'>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** One sample: the threads the engine reported last, grouped by process. */
  sample(threads: readonly ThreadState[], nameOf: (pid: number) => string): ProcessMeter[] {
    const at = this.now();
    const monoNs = Number(process.hrtime.bigint());
    const byPid = new Map<number, ThreadState[]>();
    for (const t of threads) {
      let l = byPid.get(t.pid);
      if (!l) byPid.set(t.pid, (l = []));
      l.push(t);
    }
    const out: ProcessMeter[] = [];
    const next = new Map<number, { at: number; ticks: number; calls: number; errors: number }>();
    for (const [pid, list] of [...byPid].slice(0, MAX_PROCESSES)) {
      const st = readProcStat(pid);
      // Ended since the engine last reported it (a short-lived child: a shell's cat): no meter line,
      // where it would show as a process of no state and no memory; its threads in the list say
      // how it exited.
      if (!st) continue;
      let calls = 0;
      let errors = 0;
      try {
        for (const r of this.source.counters({ pid })) {
          calls += r.calls;
          errors += r.errors;
        }
      } catch {
        // the trace is over: no counters
      }
      const ticks = st.utimeTicks + st.stimeTicks;
      const before = this.prev.get(pid);
      const dt = before ? (at - before.at) / 1000 : 0;
      // Counters may be reset (r in the -c table): a rate never goes negative.
      const rate = (a: number, b: number | undefined) => (dt > 0 && b !== undefined ? Math.max(0, a - b) / dt : 0);
      let blocked = 0;
      let longestMs = 0;
      let longestCall = '';
      for (const t of list) {
        if (t.paused || t.groupStopped) continue;
        const w = tracedWait(t, -1);
        // A thread in D state when we attached never stopped for us: the engine did not see its
        // call begin, yet it is blocked (for how long, the inspector tells: b).
        if (!w && t.inSyscall) continue;
        const state = readTaskStat(pid, t.tid)?.state;
        if (state === undefined || state === 'R' || (!w && state !== 'D')) continue;
        blocked++;
        if (!w) {
          if (!longestCall) longestCall = 'D state';
          continue;
        }
        // A wait begun before the attach: at least as long as /proc dated it.
        const ms = waitedMs(w, monoNs);
        if (ms > longestMs) {
          longestMs = ms;
          longestCall = t.name ?? '';
        }
      }
      next.set(pid, { at, ticks, calls, errors });
      out.push({
        pid,
        comm: st.comm || nameOf(pid),
        state: st.state,
        cpu: before && dt > 0 ? Math.max(0, ((ticks - before.ticks) / this.hz / dt) * 100) : 0,
        rssBytes: st.rssPages * PAGE_SIZE,
        callsPerSec: rate(calls, before?.calls),
        failedPerSec: rate(errors, before?.errors),
        threads: list.length,
        blocked,
        longestMs,
        longestCall,
        namespaces: namespaceNote(namespaceView(pid)),
      });
    }
    this.prev = next;
    // The busiest first, as the header has room for a few.
    return out.sort((a, b) => b.callsPerSec - a.callsPerSec || b.blocked - a.blocked || a.pid - b.pid);
  }
}
