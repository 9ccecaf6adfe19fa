// --plain: the engine as a strace-compatible command line. The native writer prints the lines;
// this side starts the trace, waits for it to end, prints the -c table and exits as strace does.
import path from 'node:path';

import { native, type NativeOptions } from '../engine/native.js';
import { inheritedFds } from '../engine/inherited-fds.js';
import { launcherEnv, launcherPath, startState } from '../engine/launcher-state.js';
import { progName } from './prog-name.js';
import { fs } from '../engine/node-fs.js';
import { envList, resolveCommand, TraceSession } from '../engine/session.js';
import { TraceError } from '../engine/types.js';
import type { PlainFindings } from './findings.js';
import { INTR, QUIET, type CliOptions } from './options.js';

const FATAL = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGPIPE'] as const;
const SIGNO: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGPIPE: 13, SIGTERM: 15 };
/** Set in the environment of the tracer a -D run starts: the pid it is to attach to. */
const DAEMON_ENV = 'SYSTRACE_TUI_DAEMON_TRACEE';

/** Engine options for a --plain run of these command-line options. */
export function plainNativeOptions(o: CliOptions): NativeOptions {
  const paths = new Set<string>();
  for (const p of o.paths) {
    paths.add(p);
    paths.add(path.resolve(p));
    try {
      paths.add(fs.realpathSync(p));
    } catch {
      // a path that does not exist yet can still be opened by the tracee
    }
  }
  return {
    followForks: o.followForks,
    // the analysis (--findings) reads the records; the lines are written by the engine either way
    records: o.findings,
    text: true,
    outPath: o.outPath,
    progName: progName(),
    outputSeparately: o.outputSeparately,
    append: o.append,
    tsFormat: ['none', 'time', 'unix'].indexOf(o.tsFormat),
    tsDigits: o.tsDigits,
    rflag: o.rflag,
    rDigits: o.rDigits,
    Tflag: o.Tflag,
    TDigits: o.TDigits,
    count: o.count,
    countOnly: o.countOnly,
    wallTime: o.wallTime,
    overheadNs: o.overheadNs,
    traced: o.traced,
    statusMask: o.statusMask,
    signalsShown: o.signalsShown,
    quiet: o.quiet,
    decodePids: o.decodePids,
    nflag: o.nflag,
    iflag: o.iflag,
    stackTraces: o.stackTraces,
    detachOnExecve: o.detachOnExecve,
    debug: o.debug,
    syscallLimit: o.syscallLimit,
    paths: [...paths],
    // A seccomp filter outlives us in the process: only for commands we start, never for -p. -n
    // shows the number of the thread's last call on every line, traced or not: we must see them all;
    // -k must see every mmap and munmap to name the frames right.
    seccomp: o.seccomp && o.pids.length === 0 && o.traced !== undefined && !o.nflag && !o.stackTraces && !o.syscallLimit,
    pidPrefix: o.outPath !== '' && !o.outputSeparately && (o.followForks || o.pids.length + (o.command.length ? 1 : 0) > 1),
    acolumn: o.acolumn,
    strsize: o.strsize,
    redact: o.redact,
    kvmVcpu: o.kvmVcpu,
    xflag: o.xflag,
    xstyle: o.xstyle,
    verbose: o.verbose,
    decodeFds: o.decodeFds,
    abbrev: o.abbrev,
    verboseCalls: o.verboseCalls,
    rawCalls: o.rawCalls,
    readFds: o.readFds,
    writeFds: o.writeFds,
    inject: o.inject.map(({ set, spec }) => ({ nrs: set, ...spec })),
  };
}

/** Our environment with the -E changes applied. */
function commandEnv(o: CliOptions): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [name, value] of o.env) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function note(o: CliOptions, text: string): void {
  if (!(o.quiet & QUIET.attach)) process.stderr.write(`${progName()}: ${text}\n`);
}

/** -D: exec the command in this process, once a tracer started as our grandchild has attached to
 *  us. Returns only by throwing. */
function becomeDaemonizedCommand(o: CliOptions): never {
  const env = commandEnv(o);
  const file = resolveCommand(o.command[0]);
  // The copy is node over our script (no launcher: it launches nothing), told what the launcher saw.
  const tracerArgv = [process.execPath, ...process.execArgv, process.argv[1], '--plain', ...process.argv.slice(2)];
  const tracerEnv = envList({ ...process.env, [DAEMON_ENV]: String(process.pid), ...launcherEnv() });
  try {
    return native().daemonExec(file, o.command, envList(env), o.daemonize, tracerArgv, tracerEnv, {
      inheritFds: inheritedFds(),
      user: o.user || undefined,
      ...startState(),
    });
  } catch (err) {
    throw new TraceError('INTERNAL', `cannot start ${o.command[0]}: ${(err as Error).message}`);
  }
}

/** Runs the trace; resolves to the exit code (or kills us with the command's fatal signal). */
export async function runPlain(o: CliOptions): Promise<number> {
  // As strace's: our /proc/PID/comm is the name we were run by (the launcher's $0: "strace" for a
  // link named so), not node's, before the engine's thread starts (it takes the name too). It is
  // what -Y and --decode-pids=comm print for a tracee's parent, and what ps -o comm and pgrep see.
  const invoked = launcherPath();
  if (invoked) native().setProcessName(path.basename(invoked));
  // No dating of waits at attach: strace's lines do not show it, and for 10,000 threads it took seconds.
  const opts = { followForks: o.followForks, native: plainNativeOptions(o), dateWaits: o.findings };
  // -D: the process the user started becomes the command; a copy of us, started as its grandchild
  // (and told so by DAEMON_ENV), attaches to it and traces it.
  const daemonTracee = o.daemonize ? Number(process.env[DAEMON_ENV] ?? 0) : 0;
  if (o.daemonize && !daemonTracee) becomeDaemonizedCommand(o);
  delete process.env[DAEMON_ENV];
  // Loaded only when asked for (the analysis is ~35 modules a plain trace would load for nothing), and
  // before the attach: a Ctrl-C that came while the import was pending would find no findings to report.
  const Findings = o.findings ? (await import('./findings.js')).PlainFindings : undefined;
  // The handlers go in before the attach: a Ctrl-C while attach() runs (it blocks until every
  // thread is seized) must not kill us with the default action; it is handled once attach returned.
  let session: TraceSession;
  let findings: PlainFindings | undefined;

  // -I: strace's handling of fatal signals. anywhere: none (we die of them, and the kernel lets go of
  // the tracees); waiting: the command gets the signal, we detach and die of it; never (the default
  // with -o FILE and a command, and with -D): ignored, never_tstp: ^Z too.
  const intr = o.interruptible || (o.daemonize ? INTR.neverTstp : o.outPath && o.command.length ? INTR.never : INTR.waiting);
  const ignore = (): void => {};
  let interrupted = 0;
  const onFatal = (sig: NodeJS.Signals): void => {
    const die = (): void => {
      native().dieOfSignal(SIGNO[sig] ?? 15);
      process.exit(128 + (SIGNO[sig] ?? 0));
    };
    // A second signal while the findings are being written: leave at once.
    if (++interrupted > 1) return die();
    findings?.poll(); // what was traced before we let go
    // As strace: the command is woken and gets the signal, and we let go of it. We let go first
    // (detach returns once every tracee is free), so that the signal reaches the command directly
    // and the trace ends as strace's does: a call in progress " <detached ...>", no signal lines.
    const launched = session.launchedPid;
    session.detach();
    if (launched) {
      try {
        process.kill(launched, 'SIGCONT');
        process.kill(launched, sig);
      } catch {
        // already gone
      }
    }
    for (const pid of o.pids) for (const tid of session.attachedThreads.get(pid) ?? []) note(o, `Process ${tid} detached`);
    if (!findings) return die();
    // The findings of what was traced so far, then the exit strace makes.
    void findings.report().then((text) => {
      process.stderr.write(text);
      die();
    });
  };
  const handler = intr === INTR.waiting ? onFatal : ignore;
  const handled: readonly NodeJS.Signals[] = intr === INTR.anywhere ? [] : FATAL;
  for (const s of handled) process.on(s, handler);
  if (intr === INTR.neverTstp) process.on('SIGTSTP', ignore);
  try {
    // As strace: the command is started first, then the -p processes are attached to.
    if (daemonTracee) {
      session = TraceSession.attachDaemonTracee(daemonTracee, opts);
      // Our parent waits for this to let its parent (the tracee) exec the command.
      process.kill(process.ppid, 'SIGKILL');
    } else if (o.command.length) {
      session = TraceSession.launch(o.command, opts, {
        env: commandEnv(o),
        inheritFds: inheritedFds(),
        user: o.user || undefined,
        // With -p too, the command runs once they are attached (strace's order).
        hold: o.pids.length > 0,
        asStrace: true,
      });
      // As strace: we do not hold the command's stdin and stdout open (a pipe it closes is closed).
      native().redirectStdio();
    } else {
      session = TraceSession.attach([], opts);
    }
  } catch (err) {
    for (const s of handled) process.off(s, handler);
    throw err;
  }
  for (const pid of o.pids) {
    try {
      session.attach(pid);
    } catch (err) {
      // As strace: a process we cannot attach to is reported (in strace's words when ours add
      // nothing to them), and the others and the command are traced anyway.
      if (!(err instanceof TraceError)) {
        session.startLaunched(); // never left stopped
        session.detach();
        for (const s of handled) process.off(s, handler);
        throw err;
      }
      process.stderr.write(`${progName()}: ${err.straceText ?? err.message}\n`);
    }
  }
  if (session.launchedPid && o.pids.length) session.startLaunched(); // launched with hold (not -D)
  if (!session.launchedPid && !daemonTracee && session.attachedThreads.size === 0) {
    // As strace: nothing to trace is exit status 1.
    session.detach();
    for (const s of handled) process.off(s, handler);
    return 1;
  }
  // strace's notes: "Process 12 attached with 3 threads" (-f), then one "Process TID detached" per thread.
  for (const pid of daemonTracee ? [daemonTracee, ...o.pids] : o.pids) {
    const n = session.attachedThreads.get(pid)?.length;
    if (n) note(o, `Process ${pid} attached${n > 1 ? ` with ${n} threads` : ''}`);
  }
  findings = Findings ? new Findings(session, o) : undefined;

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      findings?.poll();
      if (session.done) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  for (const s of handled) process.off(s, handler);
  if (o.count) {
    const table = (await import('./summary.js')).formatSummary(session.counters(), o.sortBy, o.summaryColumns);
    if (table) session.writeText(table);
  }
  const exit = session.launchedExit();
  findings?.poll();
  session.detach();
  if (findings) process.stderr.write(await findings.report());
  if (o.tipId !== undefined) process.stderr.write((await import('./tips.js')).formatTip(o.tipId < 0 ? undefined : o.tipId));
  if (!session.launchedPid || !exit.exited) return 0; // -p only, or we let go of the command (--syscall-limit)
  if (exit.signo) {
    // strace dies of the same signal its command died of (without dumping core itself); Node's own
    // handlers (SIGUSR1 starts its inspector) must not see it.
    native().dieOfSignal(exit.signo);
    return 128 + exit.signo;
  }
  return exit.code;
}
