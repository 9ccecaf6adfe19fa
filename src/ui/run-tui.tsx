// The TUI's entry point for src/main.ts: renders the App with Ink, and resolves once the user quit,
// after detaching from every traced process (q, Ctrl-C, SIGTERM, SIGHUP, or a crash).
import { render } from 'ink';
import type { ReactNode } from 'react';
import type { Tracer } from '../engine/types.js';
import { App, type InspectRouteProps, type TuiTarget } from './App.js';
import type { DisplayOptions } from './display-options.js';
import { InkOutput } from './ink-output.js';
import { KeyLayers } from './key-layers.js';
import { KeyRoot } from './KeyRoot.js';
import type { OpenRequest } from './ProcessPicker.js';
import { MOUSE_OFF, MOUSE_ON } from './terminal-input.js';
import { startTuiStats, TUI_STATS_ENV } from './tui-stats.js';

export interface RunTuiOptions {
  target: TuiTarget;
  /** Attach or launch; throws TraceError with a one-line reason. */
  openTracer: (req: OpenRequest) => Tracer | Promise<Tracer>;
  /** Events kept in history across all threads (oldest evicted first). */
  historyCap: number;
  onExit?: () => void;
  /** The hung-process inspector (key b); without it the key says "inspector not available". */
  renderInspect?: (props: InspectRouteProps) => ReactNode;
  /** Where a launched command's output goes (its log file), for the key that shows its tail. */
  commandLog?: (tracer: Tracer) => string | undefined;
  /** --json: `w` offers JSON lines */
  exportJson?: boolean;
  /** how live rows are drawn at first (-t, -x...) */
  display?: DisplayOptions;
}

/** How the TUI ended: the trace it had last, and the launched commands the user left running. */
export interface TuiEnd {
  tracer: Tracer | null;
  left: Tracer[];
  /** the signal that ended us, passed on to a launched command that was still running (not left) */
  passedOn?: { pid: number; sig: NodeJS.Signals };
}

export const DEFAULT_HISTORY_CAP = 200_000;

export const NO_TTY_MESSAGE = 'systrace-tui: not a terminal (the TUI needs a TTY on stdin and stdout); use --plain for text output';

const ALT_SCREEN_ON = '\x1b[?1049h';
// Cleared before it is left: a terminal resized while the alternate screen was on (tmux does
// this) may carry its last frame over into the shell's screen.
const ALT_SCREEN_OFF = '\x1b[H\x1b[2J\x1b[?1049l';

export async function runTui(opts: RunTuiOptions): Promise<TuiEnd> {
  let current: Tracer | null = opts.target.kind === 'tracer' ? opts.target.tracer : null;
  // The last trace, even once detached: its launched command's exit status is ours.
  let last = current;
  const left: Tracer[] = [];
  const detach = () => {
    try {
      current?.detach();
    } catch {
      // nothing more can be done; the engine's own cleanup hook detaches at exit
    }
  };
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    detach();
    process.stderr.write(NO_TTY_MESSAGE + '\n');
    process.exitCode = 2;
    opts.onExit?.();
    return { tracer: null, left };
  }
  process.stdout.write(ALT_SCREEN_ON + MOUSE_ON);
  // Mouse reports left on would reach the shell as typed text: off on every way out, a crash's
  // process.exit included (the finally below does not run then).
  let mouseOn = true;
  const mouseOff = () => {
    if (!mouseOn) return;
    mouseOn = false;
    try {
      process.stdout.write(MOUSE_OFF);
    } catch {
      // the terminal is gone
    }
  };
  process.on('exit', mouseOff);
  // Raw from the start (Ink would set it only after its first frame): a key typed while the screen
  // is being drawn is read as a key, not echoed and held in the line buffer.
  process.stdin.setRawMode(true);
  // Ink lays frames out; InkOutput writes to the terminal only what changed from one to the next.
  const output = new InkOutput(process.stdout);
  // Benchmark aid (bench/): frames, keys, memory and events once a second; off unless set.
  const statsFile = process.env[TUI_STATS_ENV];
  const logSource = opts.target.kind === 'log' ? opts.target.source : null;
  const stopStats = statsFile
    ? startTuiStats(statsFile, { stdin: process.stdin, stdout: process.stdout, frames: output }, () => (current ?? logSource)?.stats() ?? null)
    : undefined;
  const layers = new KeyLayers();
  const instance = render(
    <KeyRoot layers={layers} onRedraw={() => output.redraw()}>
      <App
        target={opts.target}
        openTracer={opts.openTracer}
        historyCap={opts.historyCap}
        renderInspect={opts.renderInspect}
        commandLog={opts.commandLog}
        exportJson={opts.exportJson}
        onQuit={() => output.end()}
        display={opts.display}
        onTracer={(t) => {
          current = t;
          if (t) last = t;
        }}
        onLeave={(t) => left.push(t)}
      />
    </KeyRoot>,
    {
      stdout: output as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      maxFps: 30,
      patchConsole: false,
      // A key's frame goes out at once (our Ink patch): frames are throttled for the rows only.
      renderNow: () => layers.takeKeyFrame(),
    },
  );
  // A signal that ends us while a launched command runs (not left) is passed on to it once we
  // detached, as strace's cleanup does. Decided here, before detaching: once it has ended, its pid
  // (and group id) may be another's.
  let passedOn: TuiEnd['passedOn'];
  const onSignal = (sig: NodeJS.Signals) => {
    const t = current;
    if (!passedOn && t?.launchedPid && !left.includes(t) && !t.done && !t.launchedExit?.().exited) passedOn = { pid: t.launchedPid, sig };
    output.end();
    instance.unmount();
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const sig of signals) process.on(sig, onSignal);
  try {
    await instance.waitUntilExit();
  } finally {
    for (const sig of signals) process.off(sig, onSignal);
    detach();
    if (passedOn) passOn(passedOn.pid, passedOn.sig);
    instance.cleanup();
    output.close();
    stopStats?.();
    mouseOff();
    process.off('exit', mouseOff);
    process.stdout.write(ALT_SCREEN_OFF);
    for (const line of output.consoleOutput()) process.stderr.write(line + '\n');
    opts.onExit?.();
  }
  return { tracer: last, left, passedOn };
}

/**
 * A launched command has a process group of its own (so that it can be left running): our
 * terminal's hangup reaches its group through us, as it would have reached it beside us under
 * strace. SIGTERM or SIGINT sent to us goes to the command itself, after a SIGCONT in case it was
 * stopped, as strace's cleanup sends them to the command it started. (Detached, a command that
 * ends stays our unreaped child: its pid and group id are not reused meanwhile.)
 */
function passOn(pid: number, sig: NodeJS.Signals): void {
  try {
    if (sig === 'SIGHUP') return void process.kill(-pid, sig);
    process.kill(pid, 'SIGCONT');
    process.kill(pid, sig);
  } catch {
    // gone already, or (a hangup) it made a group of its own: not ours to pass the signal on to then
  }
}
