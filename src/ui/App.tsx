// The root: picks the screen (picker, trace, inspector), holds the trace and its store, runs the
// drain loop (so collection goes on whatever is on screen), and fits everything in the terminal.
// Leaving a trace (q, or D back to the picker) asks first what to do with a launched command that
// still runs: kill it, or leave it running.
import { Box, useApp } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ProcessSampler, type ProcessInfo } from '../engine/proclist.js';
import type { TraceSource, Tracer } from '../engine/types.js';
import { killTree } from './launched.js';
import { leaveKeys, matchKey } from './keymap.js';
import { MIN_COLUMNS, MIN_ROWS } from './layout.js';
import { createPickerStore } from './picker-store.js';
import { ProcessPicker, type OpenRequest } from './ProcessPicker.js';
import type { DisplayOptions } from './display-options.js';
import type { LeaveThen, TraceStore } from './store.js';
import { TooSmall } from './TooSmall.js';
import { useWindowSize, type WindowSize } from './use-window-size.js';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';

type TraceKit = typeof import('./trace-kit.js');
let kit: TraceKit | undefined;
let kitLoading: Promise<TraceKit> | undefined;

/**
 * Loads the trace side (trace-kit.ts) once. App starts it after its first frame, so that the picker
 * shows without waiting for it; a TUI that opens on a trace (or a test) awaits it before rendering.
 */
export function loadTraceKit(): Promise<TraceKit> {
  return (kitLoading ??= import('./trace-kit.js').then((m) => (kit = m)));
}

function traceKit(): TraceKit {
  if (!kit) throw new Error('the trace screen is not loaded: await loadTraceKit() before rendering a trace');
  return kit;
}

export type TuiTarget =
  | { kind: 'picker' }
  | { kind: 'tracer'; tracer: Tracer; title: string }
  /** `--load FILE...`: a strace log on the trace screen */
  | { kind: 'log'; source: TraceSource; title: string }
  /** `--inspect PID`: the blocking-call view first; leaving it goes to the picker */
  | { kind: 'inspect'; pid: number };

/** What the hung-process inspector gets when `b` is pressed (wired by whoever provides it). */
export interface InspectRouteProps {
  pid: number;
  /** the live trace, or null when opened from the picker */
  tracer: Tracer | null;
  width: number;
  height: number;
  onClose: () => void;
  /** ^C: leave the program (detaching the trace, if any) */
  onQuit: () => void;
}

export interface AppProps {
  target: TuiTarget;
  openTracer: (req: OpenRequest) => Tracer | Promise<Tracer>;
  historyCap: number;
  /** /proc sampler by default; tests pass synthetic lists */
  listProcesses?: () => ProcessInfo[];
  pickerRefreshMs?: number;
  drainIntervalMs?: number;
  renderInspect?: (props: InspectRouteProps) => ReactNode;
  /** a launched command's output log (the trace screen's L key shows its tail) */
  commandLog?: (tracer: Tracer) => string | undefined;
  /** the current tracer, whenever it changes, null once detached (runTui detaches it on every exit path) */
  onTracer?: (tracer: Tracer | null) => void;
  /** the user chose to leave a launched command running */
  onLeave?: (tracer: Tracer) => void;
  /** kills a launched command and what it started (tests pass a stand-in) */
  killCommand?: (pid: number) => void;
  /** overrides the terminal size (tests) */
  size?: WindowSize;
  /** --json: `w` offers JSON lines */
  exportJson?: boolean;
  /** the user quits: called just before the app exits (runTui stops drawing then) */
  onQuit?: () => void;
  /** how live rows are drawn at first (-t, -x...); a log's as strace prints by default */
  display?: DisplayOptions;
}

type Route =
  | { screen: 'picker' }
  | { screen: 'trace' }
  /** the picker over a trace: Enter attaches one more process to it */
  | { screen: 'attach' }
  | { screen: 'inspect'; pid: number; back: 'picker' | 'trace' };

interface Trace {
  /** where the rows come from */
  source: TraceSource;
  /** the live trace (the same object as source), or null for a log */
  tracer: Tracer | null;
  store: TraceStore;
}

/** How long a killed command may take to be seen gone before we leave anyway. */
const KILL_WAIT_MS = 3000;

/** Stands in for the trace store's overlay while there is no trace (a hook is called on every render). */
const NO_TRACE_OVERLAY = createStore<{ overlay: string }>(() => ({ overlay: 'none' }));

export function App(props: AppProps) {
  const { exit } = useApp();
  const termSize = useWindowSize();
  const size = props.size ?? termSize;
  const [trace, setTrace] = useState<Trace | null>(() => {
    const t = props.target;
    if (t.kind === 'tracer') {
      const { createTraceStore, liveAnalysis } = traceKit();
      return { source: t.tracer, tracer: t.tracer, store: createTraceStore(props.historyCap, t.title, { exportJson: props.exportJson, analysis: liveAnalysis(), display: props.display }) };
    }
    if (t.kind === 'log') {
      const store = traceKit().createTraceStore(props.historyCap, t.title, { exportJson: props.exportJson, source: t.source.info?.() });
      return { source: t.source, tracer: null, store };
    }
    return null;
  });
  const [route, setRoute] = useState<Route>(() =>
    props.target.kind === 'inspect' && props.renderInspect
      ? { screen: 'inspect', pid: props.target.pid, back: 'picker' }
      : { screen: props.target.kind === 'tracer' || props.target.kind === 'log' ? 'trace' : 'picker' },
  );
  // One picker state for the session: back from the inspector or a trace, the filter is still there.
  const pickerStore = useMemo(() => createPickerStore(), []);
  // a's picker (one more process into the trace) keeps a filter and selection of its own: what was
  // typed there is not the main picker's when D goes back to it, nor the other way round.
  const attachStore = useMemo(() => createPickerStore(), []);
  const sampler = useRef<ProcessSampler | null>(null);
  const listProcesses =
    props.listProcesses ??
    (() => {
      sampler.current ??= new ProcessSampler();
      return sampler.current.sample();
    });

  // Once the first frame is out: the trace screen is ready by the time a process is picked.
  // Start-up is over then (the code cache is made of what ran: cli.cts).
  useEffect(() => void loadTraceKit().then(() => globalThis.__systraceStarted?.()), []);

  /** Detach from the trace, then quit or go back to the picker. */
  const finish = (then: LeaveThen) => {
    try {
      trace?.tracer?.detach();
    } catch {
      // detaching is best effort here; runTui detaches again
    }
    if (then === 'quit') {
      props.onQuit?.();
      return exit();
    }
    if (trace?.tracer) props.onTracer?.(null);
    setTrace(null);
    setRoute({ screen: 'picker' });
  };

  /** q or D: a launched command that still runs is not left behind (or killed) without asking. */
  const leave = (then: LeaveThen) => {
    const t = trace?.tracer;
    if (t && t.launchedPid && !t.done && !t.launchedExit?.().exited) {
      trace!.store.setState({ overlay: 'leave', leaveThen: then });
      return;
    }
    finish(then);
  };

  const decideLeave = (kill: boolean) => {
    if (!trace?.tracer) return;
    const { tracer, store } = trace;
    const then = store.getState().leaveThen;
    store.setState({ overlay: 'none' });
    if (!kill) {
      props.onLeave?.(tracer);
      return finish(then);
    }
    try {
      (props.killCommand ?? killTree)(tracer.launchedPid);
    } catch (err) {
      return store.setState({ message: `cannot kill ${tracer.launchedPid}: ${(err as Error).message}` });
    }
    // Its end is seen by the engine (our exit status is the command's): wait for it, briefly.
    const start = performance.now();
    const poll = () => {
      if (tracer.done || tracer.launchedExit?.().exited || performance.now() - start > KILL_WAIT_MS) finish(then);
      else setTimeout(poll, 20);
    };
    store.setState({ message: `killed ${tracer.launchedPid}` });
    poll();
  };

  const tooSmall = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  // The kill/leave question is the trace store's overlay, asked here too when the terminal is too
  // small for the trace screen (which asks it on its key bar line): a resize keeps the question open.
  const overlayStore: StoreApi<{ overlay: string }> = trace?.store ?? NO_TRACE_OVERLAY;
  const asking = useStore(overlayStore, (s) => s.overlay === 'leave');
  useKeyLayer(
    (input, key) => {
      if (asking) {
        const a = matchKey(leaveKeys, input, key);
        if (a === 'stay') trace?.store.setState({ overlay: 'none' });
        else if (a) decideLeave(a === 'kill');
        return;
      }
      if (input === 'q' || (key.ctrl && input === 'c')) leave('quit');
    },
    tooSmall,
  );
  // The drain loop runs while there is a trace, whatever is on screen (too small a terminal, the
  // inspector, the attach picker): first in the tree, where it stays as the screens change.
  let drain: ReactNode = null;
  if (trace) {
    const { DrainLoop } = traceKit();
    drain = <DrainLoop source={trace.source} tracer={trace.tracer} store={trace.store} intervalMs={props.drainIntervalMs} />;
  }
  if (tooSmall) {
    return (
      <>
        {drain}
        <TooSmall columns={size.columns} rows={size.rows} launched={asking ? trace?.tracer?.launchedPid : undefined} />
      </>
    );
  }

  // Strictly fewer rows than the terminal has, so Ink never scrolls or clears the screen.
  const width = size.columns;
  const height = size.rows - 1;
  const startTrace = (tracer: Tracer, title: string) => {
    props.onTracer?.(tracer);
    void loadTraceKit().then(({ createTraceStore, liveAnalysis }) => {
      setTrace({ source: tracer, tracer, store: createTraceStore(props.historyCap, title, { exportJson: props.exportJson, analysis: liveAnalysis(), display: props.display }) });
      setRoute({ screen: 'trace' });
    });
  };
  // Quitting from the inspector over a trace (F10, ^C) is quitting the trace screen: a launched
  // command still running is not left behind without the question (kill it, or leave it running?), asked there.
  const quitFromInspector = () => {
    if (route.screen === 'inspect' && route.back === 'trace' && trace?.tracer) {
      setRoute({ screen: 'trace' });
      leave('quit');
    } else finish('quit');
  };
  let screen: ReactNode;
  if (route.screen === 'inspect') {
    const back = () => setRoute({ screen: route.back });
    screen = props.renderInspect?.({ pid: route.pid, tracer: trace?.tracer ?? null, width, height, onClose: back, onQuit: quitFromInspector }) ?? null;
  } else if (route.screen === 'attach' && trace?.tracer) {
    const { tracer, store } = trace;
    screen = (
      <ProcessPicker
        purpose="attach"
        listProcesses={listProcesses}
        store={attachStore}
        refreshMs={props.pickerRefreshMs}
        openTracer={(req) => {
          if (!('pid' in req)) throw new Error('a command is launched from the picker, not into a trace');
          tracer.attach(req.pid);
          return tracer;
        }}
        onTracer={(_t, title) => {
          const st = store.getState();
          store.setState({ title: `${st.title}, ${title}`, message: `attached ${title}` });
          setRoute({ screen: 'trace' });
        }}
        onQuit={() => leave('quit')}
        onCancel={() => setRoute({ screen: 'trace' })}
        width={width}
        height={height}
      />
    );
  } else if (route.screen === 'trace' && trace) {
    const { TraceScreen } = traceKit();
    screen = (
      <TraceScreen
        store={trace.store}
        source={trace.source}
        tracer={trace.tracer}
        width={width}
        height={height}
        onQuit={() => leave('quit')}
        onDetach={trace.tracer ? () => leave('picker') : undefined}
        onLeaveChoice={decideLeave}
        onAttachMore={trace.tracer ? () => setRoute({ screen: 'attach' }) : undefined}
        commandLog={trace.tracer ? props.commandLog?.(trace.tracer) : undefined}
        onInspect={props.renderInspect && trace.tracer ? (pid) => setRoute({ screen: 'inspect', pid, back: 'trace' }) : undefined}
      />
    );
  } else {
    screen = (
      <ProcessPicker
        listProcesses={listProcesses}
        store={pickerStore}
        refreshMs={props.pickerRefreshMs}
        openTracer={props.openTracer}
        onTracer={startTrace}
        onQuit={() => finish('quit')}
        onInspect={props.renderInspect ? (pid) => setRoute({ screen: 'inspect', pid, back: 'picker' }) : undefined}
        width={width}
        height={height}
      />
    );
  }
  // No overflow="hidden" here: Ink would then cut every line of every frame to the box (slice-ansi
  // on each row, a sixth of a frame's cost); each screen keeps to its size or clips itself.
  return (
    <>
      {drain}
      <Box width={width} height={height}>
        {screen}
      </Box>
    </>
  );
}
