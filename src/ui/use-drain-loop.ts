// The one place the UI reads the engine: every ~100 ms take what the tracer buffered and turn it
// into ONE store update. Counters are polled only while their table is open, and less often.
//
// It is also the screen's one clock. With nothing new, the screen changes only because time
// passes: the time so far of the calls in progress (rows, thread list, pane titles), the meters,
// the rate falling to 0. Those tick once a second (CLOCK_TICK_MS), in one update with a sample of
// the meters, as htop redraws once per its delay (1.5 s): a TUI left attached to a hung process
// for hours draws one frame a second, not one per drain. The times are told to the microsecond
// as strace -T does, true at the frame (the store's clockNs); a call blocked longer than a second
// is what the user looks for, and its seconds are exact. Once the trace is over and every row is
// shown, nothing ticks: no frame at all.
//
// Keys come first. The records are taken in slices with a time budget, yielding to input between
// slices (a backlog never holds a key up for long). A key's own frame is drawn at once (runTui's
// renderNow), and the batch's commit, the longest task of a tick (React renders every visible
// row, Ink lays the screen out), waits while keys come: the next key of a run is not read behind it.
import { useContext, useEffect } from 'react';
import type { ThreadState, TraceSource, Tracer } from '../engine/types.js';
import { KeyLayersContext } from './key-layers.js';
import { MeterSampler, type ProcessMeter } from './meters.js';
import { counterScope, ingest, type TraceStore } from './store.js';
import { Timeline } from './timeline.js';

// 10 batches a second: rows still follow live, and rendering (Ink re-lays-out and re-styles every
// visible row per commit) costs a third of what 30 would, CPU the tracer needs on a small machine.
export const DRAIN_INTERVAL_MS = 100;
const DRAIN_MAX = 65536; // per tick; a backlog is taken over the next ticks
const SLICE_MAX = 8192; // records per drainBatch call
const SLICE_BUDGET_MS = 8; // drain work between two looks at input
const KEY_GRACE_MS = 40; // after a key, the batch waits this long (keys typed in a run come closer)
const KEY_GRACE_MAX_MS = 250; // ... but rows keep coming while keys do
const RATE_WINDOW_MS = 1000;
const COUNTER_EVERY_MS = 250;
/** With nothing new, the screen's clock and the meters move this often. */
export const CLOCK_TICK_MS = 1000;

/** `source` gives the records (a live trace or a log); `tracer`, when live, says whether P stopped it. */
export function useDrainLoop(source: TraceSource | null, tracer: Tracer | null, store: TraceStore, intervalMs = DRAIN_INTERVAL_MS): void {
  const layers = useContext(KeyLayersContext);
  useEffect(() => {
    if (!source) return;
    const samples: { at: number; total: number }[] = [];
    // htop's meters of a live trace, sampled with the clock's tick (reading /proc, off the render path).
    const meterSampler = tracer ? new MeterSampler(source) : null;
    let lastMeters = -Infinity;
    let lastCounters = 0;
    let lastTotal = -1;
    let lastTick = 0;
    // One tick at a time: its slices and its commit may run after the interval fired again.
    let running = false;
    let tickStart = 0;
    let drained = 0;
    let placed = 0;
    let pending: { immediate?: NodeJS.Immediate; timeout?: NodeJS.Timeout } = {};
    // Rows in the order their calls began, running calls among them (timeline.ts); a source
    // without snapshots (a test stand-in, a loaded log) has its events placed as they come.
    const timeline = source.snapshot ? new Timeline(store.getState().history) : null;
    // The threads as last seen: by this tick's snapshot, or asked for at the commit.
    let threads: ThreadState[] | null = null;
    const fail = (err: unknown) => {
      running = false;
      store.setState({ message: `engine error: ${(err as Error).message}` });
    };

    const tick = () => {
      if (running) return;
      running = true;
      tickStart = performance.now();
      drained = 0;
      placed = 0;
      threads = null;
      if (timeline?.wantsSnapshot) {
        try {
          const snap = source.snapshot!();
          timeline.setSnapshot(snap);
          threads = snap.threads;
        } catch (err) {
          return fail(err);
        }
      }
      slice();
    };

    const slice = () => {
      pending = {};
      const t0 = performance.now();
      let full = false;
      try {
        do {
          const want = Math.min(SLICE_MAX, DRAIN_MAX - drained);
          const b = source.drainBatch(want);
          const n = b.count + b.others.length;
          // Into the history now (or into the timeline, until its epoch is complete), on screen
          // with the commit (or any key's frame before it). The history feeds the analysis.
          if (timeline) timeline.add(b);
          else if (n) store.getState().history.appendBatch(b);
          drained += n;
          full = n === want;
        } while (full && drained < DRAIN_MAX && performance.now() - t0 < SLICE_BUDGET_MS);
      } catch (err) {
        return fail(err);
      }
      if (full && drained < DRAIN_MAX) {
        pending = { immediate: setImmediate(slice) }; // input first, then the rest
        return;
      }
      if (timeline?.ready(!full)) placed += timeline.place();
      commit();
    };

    const commit = () => {
      pending = {};
      const now = performance.now();
      const sinceKey = layers ? now - layers.lastKeyAt : Infinity;
      if (sinceKey < KEY_GRACE_MS && now - tickStart < KEY_GRACE_MAX_MS) {
        pending = { timeout: setTimeout(commit, KEY_GRACE_MS - sinceKey) };
        return;
      }
      running = false;
      let stats;
      let threadsNow: ThreadState[];
      try {
        stats = source.stats();
        threadsNow = threads ?? source.threads();
      } catch (err) {
        return fail(err);
      }
      samples.push({ at: now, total: stats.total });
      while (samples.length > 2 && now - samples[0].at > RATE_WINDOW_MS) samples.shift();
      const first = samples[0];
      const rate = now > first.at ? ((stats.total - first.total) * 1000) / (now - first.at) : 0;
      const s = store.getState();
      let counters;
      if (s.overlay === 'counters' && now - lastCounters >= COUNTER_EVERY_MS) {
        lastCounters = now;
        try {
          counters = source.counters(counterScope(s));
        } catch {
          counters = undefined;
        }
      }
      // Nothing new: the clock ticks once a second (and not at all once everything is shown of a
      // trace that is over); evidence for a finding that came in is shown at once.
      // A thread that stopped (P, SIGSTOP) or went into a call makes no event: it is shown at once too.
      const quiet =
        !drained && !placed && !counters && stats.total === lastTotal && s.analysis.version === s.findingsVersion && sameThreads(threadsNow, s.threads);
      if (quiet && (now - lastTick < CLOCK_TICK_MS || (s.done && source.done && !s.rate))) return;
      lastTotal = stats.total;
      lastTick = now;
      let meters: ProcessMeter[] | undefined;
      if (meterSampler && now - lastMeters >= CLOCK_TICK_MS) {
        lastMeters = now;
        meters = meterSampler.sample(threadsNow, (pid) => s.history.threads.get(pid)?.comm ?? '');
      }
      // The trace is over and nothing is left to drain: what waited for more (a path search, a
      // name resolution) is settled now.
      if (source.done && !drained && (!timeline || timeline.empty)) s.analysis.finish();
      ingest(store, {
        stats,
        threads: threadsNow,
        comm: source.comm?.bind(source),
        enginePaused: tracer?.paused ?? false,
        // Over only when every row is on screen: rows the timeline still holds are not (LOADING
        // would go from the status bar a tick before a log's last rows appear).
        done: source.done && (!timeline || timeline.empty),
        source: source.info?.(),
        rate: Math.max(0, rate),
        counters,
        meters,
      });
    };

    tick();
    const timer = setInterval(tick, intervalMs);
    return () => {
      clearInterval(timer);
      if (pending.immediate) clearImmediate(pending.immediate);
      if (pending.timeout) clearTimeout(pending.timeout);
    };
  }, [source, tracer, store, intervalMs, layers]);
}

/** The same threads, in the same state (what the screen shows of them). */
function sameThreads(a: readonly ThreadState[], b: readonly ThreadState[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.tid !== y.tid ||
      x.pid !== y.pid ||
      x.inSyscall !== y.inSyscall ||
      x.nr !== y.nr ||
      x.entryNs !== y.entryNs ||
      x.paused !== y.paused ||
      x.groupStopped !== y.groupStopped ||
      x.waitNr !== y.waitNr ||
      x.waitSinceNs !== y.waitSinceNs
    )
      return false;
  }
  return true;
}
