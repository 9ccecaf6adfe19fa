// What this process was started with, before Node changed it, so that a launched command gets it as
// it would under strace: the blocked signal mask, the ignored signals (`nohup`, `trap '' INT`, a
// shell's background job, a supervisor's mask), and which of 0, 1 and 2 were closed (`cmd <&-`).
// They are the command's, not ours to change. Node cannot tell them: before any JavaScript runs, it
// sets every ignored signal below 32 back to SIG_DFL (SIGPIPE and SIGXFSZ to SIG_IGN), unblocks every
// signal but SIGUSR1, and opens /dev/null on a closed 0, 1 or 2. So the launcher, the package's bin
// (bin/systrace-tui.js, sh before node), reads them from /proc and hands them over in STARTED_ENV,
// which is taken out of our environment at once: nothing we launch sees it. Run by node directly
// (`node dist/src/cli.cjs`), nothing is known of them, and a command gets the defaults: nothing
// blocked, nothing ignored, 0-2 open.

/** Set by the launcher: "BLOCKED IGNORED CLOSED PATH", the first two 16 hex digits each (/proc's
 *  SigBlk and SigIgn), CLOSED the closed ones of 0-2 ("02") or "-", PATH the one we were run by ($0). */
export const STARTED_ENV = 'SYSTRACE_TUI_STARTED';

/** What a launched command gets of our start-up state (the engine's launch extras). */
export interface StartState {
  /** Bit N-1 for signal N, as /proc/PID/status's SigBlk (16 hex digits). */
  sigBlocked: string;
  /** The same for the signals set to SIG_IGN (SigIgn). */
  sigIgnored: string;
  /** Which of 0, 1 and 2 were closed. */
  closedStdio: number[];
}

interface LauncherState {
  start: StartState;
  /** The path the launcher was run by (a symlink's own, not its target's), or '' without it. */
  path: string;
}

let state: LauncherState | undefined;

/** What the launcher saw (the first call takes it out of the environment). */
function launcherState(): LauncherState {
  if (state) return state;
  const m = /^([0-9a-f]{16}) ([0-9a-f]{16}) ([0-2]+|-) (.*)$/s.exec(process.env[STARTED_ENV] ?? '');
  delete process.env[STARTED_ENV];
  if (!m) return (state = { start: { sigBlocked: '0'.repeat(16), sigIgnored: '0'.repeat(16), closedStdio: [] }, path: '' });
  const closedStdio = m[3] === '-' ? [] : [...m[3]].map(Number);
  return (state = { start: { sigBlocked: m[1], sigIgnored: m[2], closedStdio }, path: m[4] });
}

/** The signal mask, the ignored signals and the closed descriptors of 0-2 we were started with. */
export const startState = (): StartState => launcherState().start;

/** The path the launcher was run by ($0: a symlink's own path), or '' when node ran us directly. */
export const launcherPath = (): string => launcherState().path;

/** STARTED_ENV as the launcher set it, for a copy of us started by node directly (-D's tracer). */
export function launcherEnv(): Record<string, string> {
  const { start, path } = launcherState();
  if (!path) return {};
  return { [STARTED_ENV]: `${start.sigBlocked} ${start.sigIgnored} ${start.closedStdio.join('') || '-'} ${path}` };
}
