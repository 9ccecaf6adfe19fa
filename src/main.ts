// systrace-tui: the TUI by default, the strace-compatible command line with --plain, and the
// hung-process report with --inspect. Every failure a user can cause ends in one line and exit 1.
import { createRequire } from 'node:module';

import { inheritedFds } from './engine/inherited-fds.js';
import { startState } from './engine/launcher-state.js';
import { TraceError } from './engine/types.js';
import { HELP, parseArgs, UsageError, type CliOptions } from './plain/options.js';
import { progName, straceName } from './plain/prog-name.js';

// A log that cannot be read (src/log/reader.ts's LogError) gets one line like any user error; it
// is known by its name, so that a trace does not load the log reader just to recognize one.
const isLogError = (err: unknown): boolean => err instanceof Error && err.name === 'LogError';

function fail(message: string, hint = false): never {
  process.stderr.write(`${progName()}: ${message}\n`);
  if (hint) process.stderr.write(`Try '${progName()} -h' for more information.\n`);
  process.exit(1);
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

async function inspectPlain(o: CliOptions): Promise<number> {
  const { inspectProcess } = await import('./engine/proc/blocking.js');
  const { renderInspectReport } = await import('./engine/proc/report.js');
  const { formatCallFromProc } = await import('./engine/format-call.js');
  let status = 0;
  for (const pid of o.inspect) {
    const report = await inspectProcess(pid, { thresholdMs: o.thresholdMs, formatCall: formatCallFromProc, diagnose: true });
    // A terminal gets lines cut to its width; a pipe or a file gets them whole.
    process.stdout.write(renderInspectReport(report, { width: process.stdout.isTTY ? process.stdout.columns : undefined }));
    if (!report.exists) status = 1;
  }
  return status;
}

async function main(): Promise<void> {
  // Before anything of ours is open: which descriptors we were given, for a launched command; and
  // what the launcher saw before Node started, out of the environment before anything copies it.
  inheritedFds();
  startState();
  let o: CliOptions;
  try {
    // Run as strace (prog-name.ts), we are strace's command line.
    o = parseArgs(straceName() === undefined ? process.argv.slice(2) : ['--plain', ...process.argv.slice(2)]);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    for (const w of err.warnings) process.stderr.write(`${progName()}: ${w}\n`);
    fail(err.message, err.hint);
  }
  if (o.help) {
    process.stdout.write(HELP);
    return;
  }
  if (o.version) {
    process.stdout.write(`systrace-tui ${version()}\n`);
    return;
  }
  if (o.inspect.length && o.plain) {
    process.exitCode = await inspectPlain(o);
    return;
  }
  if (o.plain && o.load.length) {
    const { runPlainLoad } = await import('./plain/load.js');
    process.exitCode = await runPlainLoad(o);
    return;
  }
  if (o.redact && (o.readFds || o.writeFds)) fail('--redact: -e read= and -e write= dump the very bytes it hides');
  // The inspector shows a process's files, sockets and calls as they are: nothing there is redacted.
  if (o.redact && o.inspect.length) fail('--redact applies to traces; --inspect reports files and sockets as they are');
  if (o.plain) {
    for (const w of o.warnings) process.stderr.write(`${progName()}: ${w}\n`);
    // Start-up is over when the trace is (the code cache is made of what ran: cli.cts).
    process.once('exit', () => globalThis.__systraceStarted?.());
    const { runPlain } = await import('./plain/run.js');
    process.exitCode = await runPlain(o);
    return;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    fail('no terminal: the TUI needs a TTY on stdin and stdout; use --plain for strace-style output');
  }
  // Commands launched from the TUI get the environment we were given, untouched by what follows.
  const commandEnv = { ...process.env };
  // React's development build costs CPU on every frame: the TUI runs the production one.
  process.env.NODE_ENV ??= 'production';
  // node:v8 (with the heap and stream modules it loads) only here: --plain starts without it.
  const { default: v8 } = await import('node:v8');
  // The TUI keeps its history out of the JS heap (trace-history.ts), and what a frame allocates
  // dies young; left to itself, V8 still grows the young generation to 16 MB semi-spaces on the
  // first bursts of start-up and keeps them. At their first size, and with the heap tuned for
  // size, the idle picker is ~35 MB smaller (bench/footprint-bench.ts).
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--optimize-for-size');
  // We have a terminal, whatever CI says: with CI set, Ink draws nothing until exit, and chalk
  // (any CI, even CI=false) draws no colour, not even the cursor's reverse video. NO_COLOR and
  // FORCE_COLOR still decide colour as usual.
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[k];
  // One malloc arena for the threads that have none yet, before Ink loads: V8's worker threads
  // compile and collect in arenas of their own, which keep megabytes they freed (what
  // MALLOC_ARENA_MAX=1 does, without putting that variable into the commands we launch).
  const { native } = await import('./engine/native.js');
  native().limitMallocArenas(1);
  // The picker redraws a few times a minute: until a trace starts (tui.ts's openTracer turns it
  // back on), no optimizing compiler, whose code and compile memory are some 7 MB of the idle picker.
  const picker = !o.pids.length && !o.command.length && !o.load.length;
  if (picker) v8.setFlagsFromString('--no-opt');
  // V8 takes a code cache (cli.cts) only under the flags it was made with: the bundle is compiled
  // under node's own, so they are set back while the cache is made, after the picker's first frame
  // (before the trace screen can open: openTracer awaits that same load). A TUI that opens on a
  // trace makes none (it compiles with the picker's cache).
  const makeCache = globalThis.__systraceStarted;
  globalThis.__systraceStarted =
    makeCache && picker
      ? () => {
          v8.setFlagsFromString('--semi-space-growth-factor=2 --no-optimize-for-size --max-semi-space-size=0 --opt');
          makeCache();
          v8.setFlagsFromString('--semi-space-growth-factor=1 --optimize-for-size --no-opt');
        }
      : undefined;
  // Ink's layout engine (yoga-layout) fetches its WebAssembly from a data: URL when fetch() exists,
  // loading undici and web streams to do it (a fifth of the picker's start-up); without fetch its
  // loader decodes the same bytes itself. Nothing of ours uses fetch: it is back once Ink is loaded.
  const fetchProp = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  delete (globalThis as { fetch?: unknown }).fetch;
  let tui: typeof import('./tui.js');
  try {
    tui = await import('./tui.js');
  } finally {
    if (fetchProp) Object.defineProperty(globalThis, 'fetch', fetchProp);
  }
  const { startTui } = tui;
  await startTui(o, commandEnv);
}

let terminalGone = false;
// A crash in our own code must still leave every tracee running: sessions detach from their own
// exit hooks (native atexit), and the user gets one line, not a stack trace. A command we launched
// that is still traced then (nobody chose to leave it running) gets SIGTERM, as strace's die() sends.
process.on('uncaughtException', (err) => {
  if (err instanceof TraceError || isLogError(err)) fail((err as Error).message);
  // The terminal went away (closed window, killed tmux): nothing to tell, and nobody to tell it to.
  // A write can fail so before the kernel's SIGHUP reaches our handler: it is that hangup, handled
  // once as the signal would be (the TUI detaches, then hangs up a command it launched that was not
  // left running). Exiting runs the engine's exit hook, which detaches every tracee.
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EIO' && !terminalGone && process.listenerCount('SIGHUP') > 0) {
    terminalGone = true;
    process.emit('SIGHUP', 'SIGHUP');
    return;
  }
  if (code === 'EIO' || code === 'EPIPE') process.exit(129);
  process.stderr.write(`${progName()}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.SYSTRACE_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  process.exit(70);
});

main().catch((err: unknown) => {
  if (err instanceof TraceError || isLogError(err)) fail((err as Error).message);
  if (err instanceof UsageError) fail(err.message, err.hint);
  process.stderr.write(`${progName()}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.SYSTRACE_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  process.exit(70);
});
