// Glue between the command line and the TUI: how the TUI opens traces (attach or launch, with the
// command's output kept out of the screen) and where the inspector comes from.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { createElement, lazy, Suspense } from 'react';

import { fdsForm } from './engine/record-text.js';
import { native } from './engine/native.js';
import { cgroupOwner, readCgroupPath } from './engine/proc/cgroup.js';
import { namespaceView } from './engine/proc/namespaces.js';
import { readComm, readProcStat } from './engine/proc/task.js';
import type { SessionOptions } from './engine/session.js';
import type { LogSource } from './log/source.js';
import type { Tracer } from './engine/types.js';
import type { CliOptions } from './plain/options.js';
import type { InspectViewProps } from './ui/inspect/InspectView.js';
import { traceTitle } from './ui/process-rows.js';
import { keptStrsize, type DisplayOptions } from './ui/display-options.js';
import { loadTraceKit } from './ui/App.js';
import { runTui } from './ui/run-tui.js';

// The picker's first frame needs none of the trace side: the engine's session, the log reader and
// the inspector are loaded when first used (and the trace screen after the first frame: App.tsx).
const InspectView = lazy(async () => {
  const [view, { formatCallFromProc }] = await Promise.all([import('./ui/inspect/InspectView.js'), import('./engine/format-call.js')]);
  return { default: (props: InspectViewProps) => createElement(view.InspectView, { formatCall: formatCallFromProc, ...props }) };
});

/** `nginx (pid 12)`, or `nginx (pid 12), php-fpm (pid 30)`: what a trace of these pids is called. */
export function pidsTitle(pids: number[]): string {
  const named = pids.map((p) => `${readComm(p) ?? '?'} (pid ${p})`);
  return named.length > 3 ? `${named.slice(0, 3).join(', ')} +${named.length - 3} more` : named.join(', ');
}

/** What the trace screen's title says about -p: one process (its unit or container, its
 *  namespaces), the units asked for and how many processes, or the processes. */
function attachTitle(o: CliOptions): string {
  if (o.units.length) {
    return `${o.units.join(' ')} (${o.pids.length === 1 ? `pid ${o.pids[0]}` : `${o.pids.length} processes`})`;
  }
  if (o.pids.length > 1) return pidsTitle(o.pids);
  const pid = o.pids[0];
  return traceTitle({ pid, comm: readComm(pid) ?? '?', unit: cgroupOwner(readCgroupPath(pid)).label, ns: namespaceView(pid) });
}

export async function startTui(o: CliOptions, commandEnv: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Made once, when the first trace opens (plain/run.js, which knows strace's options, loaded then).
  let sessionOptions: Promise<SessionOptions> | undefined;
  const makeSessionOptions = async (): Promise<SessionOptions> => ({
    followForks: true,
    // Records the engine holds for the screen before the tracees wait for it: half a second of the
    // fastest trace, a few MB at most, where the drain loop takes up to 65,536 a tick.
    bufferCap: 32_768,
    // Rows are what strace prints with the same options (-y/-yy, -s, -x, -v, -e trace= apply here too).
    native: {
      // The options as strace takes them (decoding, filters, -P, injection; -o's format)...
      ...(await import('./plain/run.js')).plainNativeOptions(o),
      // ... and the TUI's own: records for the screen, always following forks, counting always
      // on for the live -c table (c), in wall-clock time (-w): the system time strace -c shows
      // costs a kernel rusage walk at every stop. -o FILE (-ff: FILE.PID) gets the strace text as
      // it is traced, as strace -f would write it, created mode 0600: traces hold secrets.
      records: true,
      followForks: true,
      text: o.outPath !== '',
      count: true,
      countOnly: false,
      wallTime: true,
      pidPrefix: !o.outputSeparately,
      outMode: 0o600,
      seccomp: false,
      // --redact: the engine prints strings as their length at the source, so the screen and what w
      // writes never hold them.
      redact: o.redact,
      // Rows the display can switch to -y/-yy and another -s afterwards, history included: every
      // descriptor's forms, strings kept up to the longest -s it offers (record-text.ts).
      marks: true,
      marksStrsize: keptStrsize(o.strsize),
    },
  });
  const logs = new Map<Tracer, string>();
  const openTracer = async (req: { pid: number } | { pids: number[] } | { argv: string[] }): Promise<Tracer> => {
    // The trace side (loading since the picker's first frame) is awaited too: a session require()s
    // its /proc readers when it first attaches, and Node refuses to require() a module that an
    // import() in flight is still loading (engine/session.ts).
    const [{ TraceSession }, options] = await Promise.all([import('./engine/session.js'), (sessionOptions ??= makeSessionOptions()), loadTraceKit()]);
    // A trace's thousands of events a second want the optimizing compiler the picker ran without (main.ts).
    v8.setFlagsFromString('--opt');
    if ('pid' in req) return TraceSession.attach([req.pid], options);
    if ('pids' in req) return TraceSession.attach(req.pids, options);
    // A launched command must not write over the screen: its output goes to a log file. It runs in
    // a process group of its own, so that it can be left running when we quit (our terminal's
    // hangup would reach it otherwise; a real hangup is passed on to it by runTui).
    // A name nobody else holds ('wx'): /tmp is shared with other pid namespaces, where our pid is not unique.
    // node:crypto loaded only here: at start-up it cost the picker some 15 ms.
    const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
    const log = path.join(os.tmpdir(), `systrace-tui.${process.pid}.${logs.size + 1}.${randomBytes(3).toString('hex')}.log`);
    const out = fs.openSync(log, 'wx', 0o600);
    const devnull = fs.openSync('/dev/null', 'r');
    try {
      const session = TraceSession.launch(req.argv, options, { stdio: [devnull, out, out], env: commandEnv, ownProcessGroup: true });
      logs.set(session, log);
      return session;
    } catch (err) {
      fs.rmSync(log, { force: true });
      throw err;
    } finally {
      fs.closeSync(out);
      fs.closeSync(devnull);
    }
  };
  // A first frame that is a trace needs the trace screen (App.tsx): loaded before the trace starts,
  // so that the tracees do not wait for its drain loop meanwhile.
  if (o.pids.length || o.command.length || o.load.length) await loadTraceKit();
  let target: Parameters<typeof runTui>[0]['target'] = { kind: 'picker' };
  let loaded: LogSource | undefined;
  if (o.pids.length) target = { kind: 'tracer', tracer: await openTracer({ pids: o.pids }), title: attachTitle(o) };
  else if (o.command.length) target = { kind: 'tracer', tracer: await openTracer({ argv: o.command }), title: o.command.join(' ') };
  if (o.inspect.length) target = { kind: 'inspect', pid: o.inspect[0] };
  if (o.load.length) {
    // Opening reads the first lines: a file that is not a log fails here, before the screen.
    const { LogSource } = await import('./log/source.js');
    const source = (loaded = LogSource.open(o.load, { redact: o.redact }));
    const name = path.basename(o.load[0]);
    target = { kind: 'log', source, title: o.load.length > 1 ? `${name} +${o.load.length - 1}` : name };
  }
  const end = await runTui({
    target,
    openTracer,
    historyCap: o.historyCap,
    commandLog: (t) => logs.get(t),
    exportJson: o.json,
    // Rows drawn as the options asked: -t/-tt/-ttt time stamps, -x/-xx, -y/-yy, -s.
    display: {
      ts: ( o.tsFormat === 'unix' ? 3 : o.tsFormat === 'time' ? (o.tsDigits ? 2 : 1) : 0) as DisplayOptions['ts'],
      durations: true,
      xflag: o.xflag,
      tracedX: o.xflag,
      // -y/-yy and -s as asked; the rows hold the other forms too (marks above).
      fds: fdsForm(o.decodeFds),
      strsize: o.strsize,
      keptStrsize: keptStrsize(o.strsize),
    },
    // --redact: no inspector, which shows the process's files and sockets as they are.
    renderInspect: o.redact
      ? undefined
      : (props) => createElement(Suspense, { fallback: null }, createElement(InspectView, { ...props, tracer: props.tracer ?? undefined, thresholdMs: o.thresholdMs })),
  });
  // What could not be read of a log, in full (the status bar had it in short).
  for (const line of loaded?.info().problems ?? []) process.stderr.write(`systrace-tui: ${line}\n`);
  // A command we passed our ending signal on to is given a moment to end before we say it still runs.
  const passedOnEnd = end.passedOn && endOf(end.passedOn.pid, PASSED_ON_WAIT_MS);
  const signalled = passedOnEnd ? undefined : end.passedOn;
  for (const [t, log] of logs) {
    const passedOn = signalled?.pid === t.launchedPid ? signalled : undefined;
    const running = end.left.includes(t) || passedOn !== undefined;
    // A log that stayed empty is no output to keep: it goes (unless the command, left running, may still write to it).
    if (!running && fileSize(log) === 0) {
      fs.rmSync(log, { force: true });
      process.stderr.write(`systrace-tui: the traced command wrote no output\n`);
      continue;
    }
    const left = passedOn ? `pid ${t.launchedPid} is still running after our ${passedOn.sig}; ` : running ? `pid ${t.launchedPid} is still running; ` : '';
    process.stderr.write(`systrace-tui: ${left}the traced command's output is in ${log}\n`);
  }
  // As strace does: our exit status is the command's, once it has ended (and its death, if it died
  // of a signal, is ours too).
  const last = end.tracer;
  const exit = passedOnEnd?.pid === last?.launchedPid ? passedOnEnd : last?.launchedPid ? last.launchedExit?.() : undefined;
  if (exit?.exited && !end.left.includes(last!)) {
    if (exit.signo) native().dieOfSignal(exit.signo);
    process.exitCode = exit.signo ? 128 + exit.signo : exit.code;
  }
}

/** How long a launched command may take to end on the signal we passed on, before we say it still runs. */
const PASSED_ON_WAIT_MS = 1000;

/**
 * How our (detached, unreaped) child ended, if it does within ms: its zombie's exit status (the
 * wait status in /proc/PID/stat), or undefined while it runs.
 */
function endOf(pid: number, ms: number): { pid: number; exited: boolean; code: number; signo: number } | undefined {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (const start = performance.now(); ; Atomics.wait(nap, 0, 0, 20)) {
    const stat = readProcStat(pid);
    if (!stat) return { pid, exited: false, code: 0, signo: 0 }; // reaped by somebody else: its end is not known
    if (stat.state === 'Z' || stat.state === 'X') {
      const status = stat.exitCode ?? 0;
      return { pid, exited: true, code: (status >> 8) & 0xff, signo: status & 0x7f };
    }
    if (performance.now() - start > ms) return undefined;
  }
}

/** The size of a file, or -1 when it cannot be looked at. */
function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}
