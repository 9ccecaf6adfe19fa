// TraceSession: a live trace of launched or attached processes over the native engine. It turns
// native records into TraceEvents and native errors into TraceErrors with a one-line reason.
import type { Stats } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { startState } from './launcher-state.js';
import { fs } from './node-fs.js';
import type { TextForm } from './record-text.js';
import { errnoName, native, syscallName, syscallTable, type NativeEngine, type NativeError, type NativeOptions, type NativeThread } from './native.js';
import {
  TraceError,
  type CounterRow,
  type EngineStats,
  type ThreadState,
  type TraceBatch,
  type TraceEvent,
  type TraceOptions,
  type TraceSnapshot,
  type Tracer,
} from './types.js';

// What only an attach (the /proc readers, a refused attach's diagnosis), the -c table or the TUI's
// marked records need is loaded on first use: each module costs start-up time (about a
// millisecond), which a launched command waits for before its first instruction (issue 10).
// require() loads an ES module synchronously (Node 20.19 and 22.12 on: package.json's engines), but
// not one that an import() in flight is still loading: Node throws then. A caller that imports in
// the background (the TUI's trace side, App.tsx) awaits that import before it opens a session.
const require = createRequire(import.meta.url);
const procTask = (): typeof import('./proc/task.js') => require('./proc/task.js');
const schedClock = (): typeof import('./proc/sched-clock.js') => require('./proc/sched-clock.js');
const diagnose = (): typeof import('./proc/diagnose.js') => require('./proc/diagnose.js');
const recordText = (): typeof import('./record-text.js') => require('./record-text.js');
const counterRows = (): typeof import('./counters.js') => require('./counters.js');

export interface SessionOptions extends Partial<TraceOptions> {
  /** Engine options beyond TraceOptions (plain-mode output, filters, decoding). */
  native?: NativeOptions;
  /**
   * Date the waits in progress when we attach (default true): /proc is read for every thread just
   * before the attach, so that threads() can tell how long a wait has lasted at least. It costs
   * three /proc reads a thread (seconds for 10,000 threads); --plain prints no such thing.
   */
  dateWaits?: boolean;
}

export interface LaunchOptions {
  /** fds for the command's stdin, stdout and stderr (-1 or absent: inherit ours). */
  stdio?: [number, number, number];
  env?: NodeJS.ProcessEnv;
  /** Descriptors above 2 the command gets (by default none: Node closes them at exec). */
  inheritFds?: number[];
  /** -u USER: run the command as this user (we must be root). */
  user?: string;
  /**
   * A process group of its own for the command (the TUI's launches): it can then be left running,
   * as our terminal's hangup and our session's end reach only our group. Without it (--plain), the
   * command shares our group and gets the terminal's signals with us, as under strace.
   */
  ownProcessGroup?: boolean;
  /** The command waits, stopped before its execve, until startLaunched() (strace's order with -p). */
  hold?: boolean;
  /** --plain: the command is looked for as strace looks for it (resolveCommand's asStrace). */
  asStrace?: boolean;
}

/**
 * Finds a command as execvp would, or throws a TraceError saying why it cannot be run. asStrace
 * (--plain): as strace does, a path with a slash that exists is run whatever it is, so that the
 * kernel's refusal shows in the trace (execve(...) = -1 EACCES) and the command exits with 1.
 */
export function resolveCommand(cmd: string, env: NodeJS.ProcessEnv = process.env, asStrace = false): string {
  // strace's words for a name that cannot be a path (longer than PATH_MAX less its NUL).
  if (asStrace && Buffer.byteLength(cmd) > 4095) throw new TraceError('CMD_NOT_FOUND', 'exec: File name too long');
  const candidates = cmd.includes('/')
    ? [cmd]
    : (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((dir) => path.join(dir || '.', cmd));
  let notExec: string | undefined;
  for (const file of candidates) {
    let st: Stats;
    try {
      st = fs.statSync(file);
    } catch {
      continue;
    }
    if (asStrace && cmd.includes('/')) return file;
    if (st.isDirectory()) {
      notExec ??= `${file} is a directory`;
      continue;
    }
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      notExec ??= `${file} is not executable`;
    }
  }
  if (notExec) throw new TraceError('CMD_NOT_EXEC', `cannot run '${cmd}': ${notExec}`);
  throw new TraceError('CMD_NOT_FOUND', cmd.includes('/') ? `cannot run '${cmd}': no such file` : `command not found: ${cmd}`);
}

export function envList(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
}

function toTraceError(pid: number, err: unknown): TraceError {
  const { code = 'EPERM', message = '' } = err as NativeError;
  const { code: tcode, reason, bare } = diagnose().explainAttachFailure(pid, code);
  // The engine's message ends in strerror's text; what failed is the PTRACE_SEIZE (native attach).
  const strerror = message.slice(message.lastIndexOf(': ') + 2);
  return new TraceError(tcode, reason, bare && strerror ? `attach: ptrace(PTRACE_SEIZE, ${pid}): ${strerror}` : undefined);
}

/** The form the command line asked for, of a session whose records are marked (native `marks`). */
function tracedForm(opts: SessionOptions): TextForm | undefined {
  const n = opts.native;
  if (!n?.marks) return undefined;
  const decodeFds = n.decodeFds ?? (n.yflag === 1 ? 1 : n.yflag ? 15 : 0);
  return { fds: recordText().fdsForm(decodeFds), strsize: n.strsize ?? 32, xflag: n.xflag ?? 0, tracedX: n.xflag ?? 0 };
}

export class TraceSession implements Tracer {
  readonly launchedPid: number;
  readonly textForm: TextForm | undefined;
  private readonly engine: NativeEngine;
  private isPaused = false;
  private detached = false;

  private constructor(engine: NativeEngine, launchedPid: number, textForm: TextForm | undefined) {
    this.engine = engine;
    this.launchedPid = launchedPid;
    this.textForm = textForm;
  }

  private static engineFor(opts: SessionOptions): NativeEngine {
    const { Engine } = native();
    try {
      return new Engine({
        followForks: opts.followForks ?? true,
        bufferCap: opts.bufferCap ?? 100_000,
        ...opts.native,
      });
    } catch (err) {
      // The only thing the engine opens is its output (-o FILE): its message says which and why, in
      // strace's words (Can't fopen 'FILE': No such file or directory).
      const e = err as NativeError;
      if (e.errno === undefined) throw err;
      throw new TraceError('INTERNAL', e.message);
    }
  }

  /** Starts argv[0] (found in PATH) under trace. Throws TraceError. */
  static launch(argv: string[], opts: SessionOptions = {}, launch: LaunchOptions = {}): TraceSession {
    if (argv.length === 0) throw new TraceError('CMD_NOT_FOUND', 'no command given');
    const env = launch.env ?? process.env;
    // As strace: the command is looked for in our own PATH, whatever -E gives the command.
    const file = resolveCommand(argv[0], process.env, launch.asStrace);
    const engine = TraceSession.engineFor(opts);
    try {
      const pid = engine.launch(file, argv, envList(env), launch.stdio, { inheritFds: launch.inheritFds, user: launch.user, ownProcessGroup: launch.ownProcessGroup, hold: launch.hold, ...startState() });
      return new TraceSession(engine, pid, tracedForm(opts));
    } catch (err) {
      engine.shutdown();
      const e = err as NativeError;
      const why = e.code === 'EPERM' ? 'ptrace refused (is systrace-tui itself being traced, or confined by seccomp/LSM?)' : e.message.replace(/^cannot start [^:]*: /, '');
      throw new TraceError('INTERNAL', `cannot start ${argv[0]}: ${why}`);
    }
  }

  /** Attaches to every thread of each pid. Throws TraceError naming why one cannot be traced. */
  static attach(pids: number[], opts: SessionOptions = {}): TraceSession {
    const engine = TraceSession.engineFor(opts);
    const session = new TraceSession(engine, 0, tracedForm(opts));
    session.dateWaits = opts.dateWaits ?? true;
    try {
      for (const pid of pids) session.attach(pid);
    } catch (err) {
      session.detach();
      throw err;
    }
    return session;
  }

  /** The threads seized by each attach, by pid (what strace's "attached with N threads" counts). */
  readonly attachedThreads = new Map<number, number[]>();
  /** Each attached thread's wait as /proc dated it just before the attach: a lower bound of its start. */
  private readonly asleepBeforeAttach = new Map<number, { nr: number; sinceMs: number }>();
  private dateWaits = true;

  /** -D: attach to pid, which execs the command once we are attached (see run.ts). */
  static attachDaemonTracee(pid: number, opts: SessionOptions = {}): TraceSession {
    const engine = TraceSession.engineFor(opts);
    const session = new TraceSession(engine, 0, tracedForm(opts));
    try {
      session.attachedThreads.set(pid, engine.attach(pid, { daemonTracee: true }));
    } catch (err) {
      session.detach();
      throw toTraceError(pid, err);
    }
    return session;
  }

  /** A command launched with `hold` leaves its stop and runs (ignored when it is gone already). */
  startLaunched(): void {
    try {
      this.engine.startLaunched();
    } catch {
      // killed while it waited: its end is reported as any tracee's
    }
  }

  attach(pid: number): void {
    if (!Number.isInteger(pid) || pid <= 0) throw new TraceError('ENOENT_PID', `invalid pid: ${pid}`);
    if (pid === process.pid) throw new TraceError('SELF', `pid ${pid} is systrace-tui itself; a process cannot trace itself`);
    const status = procTask().readStatus(pid);
    if (status && status.tracerPid !== 0 && fs.existsSync(`/proc/self/task/${status.tracerPid}`)) {
      throw new TraceError('TRACED', `pid ${pid} is already traced by this systrace-tui`);
    }
    if (status && status.ppid === process.pid) {
      // The kernel reports the ptrace-stops of a child traced from inside its real parent's own
      // process to every thread of that process (wait_consider_task: "traced by its real parent's
      // group"), and Node's libuv reaps its children with waitpid(pid): it would take our stops and
      // leave the threads stuck. A child of ours is traced only when we launch it.
      throw new TraceError('EPERM', `pid ${pid} is a child of systrace-tui's own process, whose child reaping would take the trace's stops; start it from elsewhere, or launch it under systrace-tui`);
    }
    // What the scheduler knows of each thread's current wait, before our interrupt wakes it.
    if (this.dateWaits) for (const [tid, w] of schedClock().asleepSince(pid)) this.asleepBeforeAttach.set(tid, w);
    try {
      this.attachedThreads.set(pid, this.engine.attach(pid));
    } catch (err) {
      throw toTraceError(pid, err);
    }
  }

  drain(max = 20_000): TraceEvent[] {
    return this.engine.drain(max) as unknown as TraceEvent[];
  }

  drainBatch(max = 20_000): TraceBatch {
    const b = this.engine.drainBatch(max);
    return { ...b, syscallName, errnoName, textForm: this.textForm };
  }

  threads(): ThreadState[] {
    return this.engine.threads().map((t) => this.threadState(t));
  }

  snapshot(): TraceSnapshot {
    const s = this.engine.snapshot();
    return { threads: s.threads.map((t) => this.threadState(t)), mark: s.mark };
  }

  private threadState(t: NativeThread): ThreadState {
    return {
      pid: t.pid,
      tid: t.tid,
      inSyscall: t.inSyscall,
      nr: t.nr,
      name: t.inSyscall ? syscallName(t.nr) : undefined,
      classes: t.inSyscall ? (syscallTable()[t.nr]?.classes ?? 0) : undefined,
      entryText: t.entryText,
      entryNs: t.entryNs,
      entryWallUs: t.entryWallUs,
      entryRestarted: t.entryRestarted,
      waitNr: t.waitNr,
      waitSinceNs: t.waitSinceNs,
      waitLowerBound: t.waitLowerBound,
      // A wait still going on since before the attach began at least as early as /proc dated it.
      waitBeganByMs: t.waitLowerBound ? this.asleepBeforeAttach.get(t.tid)?.sinceMs : undefined,
      paused: t.paused,
      groupStopped: t.groupStopped,
    };
  }

  stats(): EngineStats {
    const s = this.engine.stats();
    return { processes: s.processes, threads: s.threads, total: s.total, heldMs: s.heldMs, pending: s.pending };
  }

  counters(scope: { pid?: number; tid?: number } = {}): CounterRow[] {
    return counterRows().countersOf(this.engine.counters(), scope);
  }

  resetCounters(): void {
    this.engine.resetCounters();
  }

  /** The thread's name now (/proc/TID/comm), '' once it is gone. */
  comm(tid: number): string {
    try {
      return fs.readFileSync(`/proc/${tid}/comm`, 'utf8').replace(/\n$/, '');
    } catch {
      return '';
    }
  }

  pause(): void {
    this.engine.pause();
    this.isPaused = true;
  }

  resume(): void {
    this.engine.resume();
    this.isPaused = false;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get done(): boolean {
    return this.engine.stats().done;
  }

  /** How the launched command ended, once it has (still known after detach). */
  launchedExit(): { exited: boolean; code: number; signo: number; core: boolean } {
    return this.exitAtDetach ?? this.engine.launchedExit();
  }
  private exitAtDetach: ReturnType<NativeEngine['launchedExit']> | undefined;

  /** Text through the engine's own output (-o FILE or stderr), after everything traced so far. */
  writeText(text: string): void {
    this.engine.writeText(text);
  }

  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.engine.detach();
    // The engine goes with shutdown(), and with it what it knew of the launched command's end.
    this.exitAtDetach = this.engine.launchedExit();
    this.engine.shutdown();
  }
}
