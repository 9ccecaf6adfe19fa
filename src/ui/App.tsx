// The root: picks the screen (picker, trace, inspector), holds the trace and its store, runs the
// drain loop (so collection goes on whatever is on screen), and fits everything in the terminal.
import { Box, useApp } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { ProcessSampler, type ProcessInfo } from '../engine/proclist.js';
import type { TraceSource, Tracer } from '../engine/types.js';
import { MIN_COLUMNS, MIN_ROWS } from './layout.js';
import { createPickerStore } from './picker-store.js';
import { ProcessPicker, type OpenRequest } from './ProcessPicker.js';
import { createTraceStore, type TraceStore } from './store.js';
import { TooSmall } from './TooSmall.js';
import { TraceScreen } from './TraceScreen.js';
import { useDrainLoop } from './use-drain-loop.js';
import { useWindowSize, type WindowSize } from './use-window-size.js';

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
  openTracer: (req: OpenRequest) => Tracer;
  historyCap: number;
  /** /proc sampler by default; tests pass synthetic lists */
  listProcesses?: () => ProcessInfo[];
  pickerRefreshMs?: number;
  drainIntervalMs?: number;
  renderInspect?: (props: InspectRouteProps) => ReactNode;
  /** the current tracer, whenever it changes (runTui detaches it on every exit path) */
  onTracer?: (tracer: Tracer) => void;
  /** overrides the terminal size (tests) */
  size?: WindowSize;
  /** --json: `w` offers JSON lines */
  exportJson?: boolean;
}

type Route = { screen: 'picker' } | { screen: 'trace' } | { screen: 'inspect'; pid: number; back: 'picker' | 'trace' };

interface Trace {
  /** where the rows come from */
  source: TraceSource;
  /** the live trace (the same object as source), or null for a log */
  tracer: Tracer | null;
  store: TraceStore;
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const termSize = useWindowSize();
  const size = props.size ?? termSize;
  const [trace, setTrace] = useState<Trace | null>(() => {
    const t = props.target;
    if (t.kind === 'tracer') return { source: t.tracer, tracer: t.tracer, store: createTraceStore(props.historyCap, t.title, { exportJson: props.exportJson }) };
    if (t.kind === 'log') {
      const store = createTraceStore(props.historyCap, t.title, { exportJson: props.exportJson, source: t.source.info?.() });
      return { source: t.source, tracer: null, store };
    }
    return null;
  });
  const [route, setRoute] = useState<Route>(() =>
    props.target.kind === 'inspect' && props.renderInspect
      ? { screen: 'inspect', pid: props.target.pid, back: 'picker' }
      : { screen: props.target.kind === 'tracer' || props.target.kind === 'log' ? 'trace' : 'picker' },
  );
  const idle = useMemo(() => createTraceStore(1), []);
  // One picker state for the session: back from the inspector or a trace, the filter is still there.
  const pickerStore = useMemo(() => createPickerStore(), []);
  const sampler = useRef<ProcessSampler | null>(null);
  const listProcesses =
    props.listProcesses ??
    (() => {
      sampler.current ??= new ProcessSampler();
      return sampler.current.sample();
    });

  useDrainLoop(trace?.source ?? null, trace?.tracer ?? null, trace?.store ?? idle, props.drainIntervalMs);

  const quit = () => {
    try {
      trace?.tracer?.detach();
    } catch {
      // detaching is best effort here; runTui detaches again
    }
    exit();
  };

  const tooSmall = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  useKeyLayer(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) quit();
    },
    tooSmall,
  );
  if (tooSmall) return <TooSmall columns={size.columns} rows={size.rows} />;

  // Strictly fewer rows than the terminal has, so Ink never scrolls or clears the screen.
  const width = size.columns;
  const height = size.rows - 1;
  let screen: ReactNode;
  if (route.screen === 'inspect') {
    const back = () => setRoute({ screen: route.back });
    screen = props.renderInspect?.({ pid: route.pid, tracer: trace?.tracer ?? null, width, height, onClose: back, onQuit: quit }) ?? null;
  } else if (route.screen === 'trace' && trace) {
    screen = (
      <TraceScreen
        store={trace.store}
        source={trace.source}
        tracer={trace.tracer}
        width={width}
        height={height}
        onQuit={quit}
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
        onTracer={(tracer, title) => {
          props.onTracer?.(tracer);
          setTrace({ source: tracer, tracer, store: createTraceStore(props.historyCap, title, { exportJson: props.exportJson }) });
          setRoute({ screen: 'trace' });
        }}
        onQuit={quit}
        onInspect={props.renderInspect ? (pid) => setRoute({ screen: 'inspect', pid, back: 'picker' }) : undefined}
        width={width}
        height={height}
      />
    );
  }
  // No overflow="hidden" here: Ink would then cut every line of every frame to the box (slice-ansi
  // on each row, a sixth of a frame's cost); each screen keeps to its size or clips itself.
  return (
    <Box width={width} height={height}>
      {screen}
    </Box>
  );
}
