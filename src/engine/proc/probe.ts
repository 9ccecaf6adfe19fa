// Checks that may block, run where they cannot hang us. A stat, readlink or getxattr on a path that
// lives on a dead NFS or FUSE mount puts the calling thread in D state until the server answers,
// and a process with such a thread can neither quit nor be killed. So such checks run in a child
// process (one at a time, reused while it answers), each with a deadline: past it the child is
// killed and abandoned (it dies whenever the mount lets it go), its checks fail with
// ProbeTimeoutError, and the next check starts a fresh child. Nothing here keeps Node alive while
// no check is waiting.
//
// A check is a function exported by one of our own modules (a path relative to dist/src, e.g.
// `analysis/live/path-walk.js`), called with JSON arguments; it returns JSON (or a promise of it).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PROBE_TIMEOUT_MS = 2000;
/**
 * How long a check may wait to start: the child boots and loads the check's module first, which
 * on a loaded machine can take seconds. The check's own deadline starts when the child says it
 * starts the check.
 */
const START_TIMEOUT_MS = 30_000;

/** The check did not answer in time: its file system (or the machine) does not respond. */
export class ProbeTimeoutError extends Error {
  readonly timeoutMs: number;
  /** The abandoned child, which stays stuck while the file system does not answer. */
  readonly childPid: number | undefined;
  constructor(what: string, timeoutMs: number, childPid?: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
    this.timeoutMs = timeoutMs;
    this.childPid = childPid;
  }
}

/** The check threw: `code` is the errno name when it was a system error. */
export class ProbeError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ProbeError';
    this.code = code;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  /** the start deadline, then (once the child started the check) the check's own */
  timer: NodeJS.Timeout;
  timeoutMs: number;
  what: string;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe-child.js');

export class Prober {
  private child: ChildProcess | undefined;
  private buffered = '';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly defaultTimeoutMs: number;
  /** children killed after a timeout (they may linger in D state until their mount answers) */
  abandoned = 0;

  constructor(opts: { timeoutMs?: number } = {}) {
    this.defaultTimeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  }

  /** Calls `fn` of `module` (relative to dist/src) in the child with `args`. */
  call<T>(module: string, fn: string, args: unknown[], timeoutMs = this.defaultTimeoutMs): Promise<T> {
    const child = this.ensureChild();
    const id = this.nextId++;
    const what = `${fn}(${args.map((a) => (typeof a === 'string' ? a : typeof a)).join(', ')})`.slice(0, 200);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.timedOut(child, id, START_TIMEOUT_MS), START_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, timeoutMs, what });
      this.setRef(true);
      child.stdin!.write(JSON.stringify({ id, module, fn, args }) + '\n');
    });
  }

  /** Stops the child (pending checks fail). */
  close(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    drop(child);
    this.fail((p) => new ProbeError(`${p.what}: prober closed`, 'ECANCELED'));
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    this.buffered = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => this.onData(child, d));
    child.on('exit', () => {
      if (this.child === child) {
        this.child = undefined;
        this.fail((p) => new ProbeError(`${p.what}: the prober exited`, 'ECHILD'));
      }
    });
    child.on('error', () => undefined);
    child.stdin!.on('error', () => undefined);
    child.unref();
    this.setRef(false);
    return child;
  }

  /** Keeps Node alive only while a check waits for its answer. */
  private setRef(on: boolean): void {
    const c = this.child;
    if (!c) return;
    const streams = [c.stdout, c.stdin] as unknown as { ref?: () => void; unref?: () => void }[];
    for (const s of streams) (on ? s?.ref : s?.unref)?.call(s);
  }

  private onData(child: ChildProcess, data: string): void {
    if (child !== this.child) return;
    this.buffered += data;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      let msg: { id: number; started?: boolean; ok: boolean; value?: unknown; error?: string; code?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      const p = this.pending.get(msg.id);
      if (!p) continue;
      if (msg.started) {
        clearTimeout(p.timer);
        p.timer = setTimeout(() => this.timedOut(child, msg.id, p.timeoutMs), p.timeoutMs);
        continue;
      }
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new ProbeError(msg.error ?? 'failed', msg.code ?? ''));
    }
    if (this.pending.size === 0) this.setRef(false);
  }

  private timedOut(child: ChildProcess, id: number, ms: number): void {
    const p = this.pending.get(id);
    if (!p || this.child !== child) return;
    // The child is stuck in this check: abandon it with everything queued behind it (every
    // pending check is this child's: a new one starts only once this one is dropped).
    this.child = undefined;
    this.abandoned++;
    drop(child);
    this.fail((q) => new ProbeTimeoutError(q === p ? q.what : `${q.what} (queued behind ${p.what})`, ms, child.pid));
  }

  private fail(err: (p: Pending) => Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err(p));
    }
  }
}

/** Kills a child and lets go of it: its pipes are closed so nothing of it keeps Node alive. */
function drop(child: ChildProcess): void {
  try {
    child.kill('SIGKILL');
  } catch {
    // gone already
  }
  child.stdin?.destroy();
  child.stdout?.destroy();
}

let shared: Prober | undefined;

/** The process-wide prober (one child for every caller). */
export function sharedProber(): Prober {
  shared ??= new Prober();
  return shared;
}
