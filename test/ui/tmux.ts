// End-to-end helper: runs the real binary in a detached tmux session, sends keys, reads the screen.
// Assertions poll the screen until a deadline; nothing relies on a fixed sleep.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';

// A tmux server of our own (-L): the tests never touch the user's sessions, and nobody else's
// `tmux kill-server` ends ours in the middle of a run.
// The name must be unique machine-wide: tmux keeps its sockets in /tmp/tmux-UID/, shared by test
// runs in other pid namespaces, where our pid can be theirs too.
export const RUN_ID = `${process.pid}-${randomBytes(4).toString('hex')}`;
const SOCKET = ['-L', `systrace-test-${RUN_ID}`];
// tmux leaves its socket file behind when the server ends: it goes too.
const SOCKET_PATH = join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, `systrace-test-${RUN_ID}`);
// The programs in our panes get a temporary directory of their own (TMPDIR): what they leave there
// (a launched command's output log) goes with the server.
let paneTmp = '';
/** The server's pid: a server whose socket file went (seen after runs on the loaded machine, its
 *  TUIs still drawing) no kill-server can reach, a signal can. */
let serverPid = 0;
process.on('exit', () => {
  control?.close();
  spawnSync('tmux', [...SOCKET, 'kill-server'], { stdio: 'ignore' });
  try {
    if (serverPid) process.kill(serverPid, 'SIGTERM');
  } catch {
    // gone with kill-server
  }
  rmSync(SOCKET_PATH, { force: true });
  if (paneTmp) rmSync(paneTmp, { recursive: true, force: true });
});

export const CLI = join(repoRoot, 'dist', 'src', 'cli.cjs');
/** The terminal sizes the e2e tests of the trace screen run at: the smallest we support, a common one, a large one. */
export const E2E_SIZES = [
  [80, 24],
  [120, 40],
  [200, 50],
] as const;
export const ADDON = join(repoRoot, 'build', 'Release', 'systrace.node');

/** Why the e2e tests cannot run here, or '' when they can. */
export function e2eSkipReason(): string {
  if (!existsSync(ADDON)) return 'engine not built yet';
  if (!existsSync(CLI)) return 'dist/src/cli.cjs not built yet';
  if (spawnSync('tmux', ['-V']).status !== 0) return 'tmux not installed';
  return '';
}

let counter = 0;
let serverStarted = false;

/**
 * A control-mode client of our server (tmux -C, on a session of its own that nothing draws in):
 * the waits below ask it for the screen, where a `tmux capture-pane` process per look cost about
 * 4 ms of CPU, and on a loaded machine 80 ms of waiting for a CPU to start it. Each command's
 * output comes back between `%begin` and `%end` (or `%error`) lines; the notifications tmux sends
 * between them are not ours to read. The client is unreferenced while no command waits, so it
 * never keeps a test file's process alive; it ends with the server.
 */
class ControlClient {
  private readonly child: ChildProcess;
  private pending: { resolve: (out: string) => void; reject: (err: Error) => void }[] = [];
  private partial = '';
  /** the output of the command being answered, once its %begin came */
  private block: string[] | null = null;
  private failed: Error | null = null;

  constructor() {
    this.child = spawn('tmux', [...SOCKET, '-C', 'new-session', '-s', `control-${RUN_ID}`, 'exec sleep 86400'], { stdio: ['pipe', 'pipe', 'ignore'] });
    // The attach itself is answered with a block of its own.
    this.pending.push({ resolve: () => undefined, reject: () => undefined });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.read(chunk));
    const fail = (err: Error) => {
      this.failed = err;
      for (const p of this.pending.splice(0)) p.reject(err);
    };
    this.child.on('error', fail);
    this.child.on('exit', () => fail(new Error('tmux control client exited')));
    this.child.stdin!.on('error', () => undefined);
    this.idle();
  }

  /** One tmux command (arguments quoted here), its output. */
  command(args: string[]): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      (this.child.stdout as unknown as { ref(): void }).ref();
      this.child.ref();
      this.child.stdin!.write(args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ') + '\n');
    });
  }

  private read(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      if (this.block === null) {
        if (line.startsWith('%begin ')) this.block = [];
        continue;
      }
      const end = line.startsWith('%end ');
      if (!end && !line.startsWith('%error ')) {
        this.block.push(line);
        continue;
      }
      const out = this.block.map((l) => `${l}\n`).join('');
      this.block = null;
      const p = this.pending.shift();
      if (end) p?.resolve(out);
      else p?.reject(new Error(`tmux: ${out.trim()}`));
      if (!this.pending.length) this.idle();
    }
  }

  close(): void {
    this.child.kill();
  }

  private idle(): void {
    (this.child.stdout as unknown as { unref(): void }).unref();
    this.child.unref();
  }
}

let control: ControlClient | null = null;

/** Asks our server, through the control client. */
function tmuxCommand(args: string[]): Promise<string> {
  control ??= new ControlClient();
  return control.command(args);
}

/**
 * Our server, started once and kept for the whole test file: by default tmux exits with its last
 * session, and a new-session right after a kill-session could reach the exiting server ("server
 * exited unexpectedly"). No config file (-f /dev/null): the user's must not change what we see.
 * remain-on-exit keeps a pane (and its last screen) after its program ends, so we can read it.
 * TMPDIR: see paneTmp.
 */
function startServer(): void {
  if (serverStarted) return;
  paneTmp = mkdtempSync(join(tmpdir(), 'systrace-e2e-'));
  execFileSync('tmux', [...SOCKET, '-f', '/dev/null', 'start-server', ';', 'set-option', '-s', 'exit-empty', 'off', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';', 'set-environment', '-g', 'TMPDIR', paneTmp]);
  serverPid = Number(execFileSync('tmux', [...SOCKET, 'display-message', '-p', '#{pid}'], { encoding: 'utf8' }).trim());
  serverStarted = true;
}

export class TmuxScreen {
  readonly name: string;
  constructor(command: string, opts: { width?: number; height?: number } = {}) {
    startServer();
    this.name = `systrace-e2e-${counter++}`;
    execFileSync('tmux', [...SOCKET, 'new-session', '-d', '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40), '-s', this.name, command]);
  }

  /** Keys as tmux names them: 'q', 'Enter', 'Escape', 'C-n', 'Space', 'PageUp'... */
  keys(...keys: string[]): void {
    execFileSync('tmux', [...SOCKET, 'send-keys', '-t', this.name, ...keys]);
  }

  /** The terminal device our program's screen is (/dev/pts/N): writing there writes on its screen. */
  paneTty(): string {
    return execFileSync('tmux', [...SOCKET, 'display-message', '-p', '-t', this.name, '#{pane_tty}'], { encoding: 'utf8' }).trim();
  }

  /** Literal text, typed as is. */
  type(text: string): void {
    execFileSync('tmux', [...SOCKET, 'send-keys', '-t', this.name, '-l', text]);
  }

  /**
   * The screen as text; with `escapes`, its colours and attributes as SGR sequences (capture-pane
   * -e); with `joined`, a line the terminal wrapped at its edge is one line again (-J).
   */
  screen(escapes = false, joined = false): string {
    return execFileSync('tmux', [...SOCKET, ...this.captureArgs(escapes, joined)], { encoding: 'utf8' });
  }

  /** The screen as screen() gives it, asked through the control client (what the waits poll). */
  capture(escapes = false, joined = false): Promise<string> {
    return tmuxCommand(this.captureArgs(escapes, joined));
  }

  private captureArgs(escapes: boolean, joined: boolean): string[] {
    return ['capture-pane', '-p', ...(escapes ? ['-e'] : []), ...(joined ? ['-J'] : []), '-t', this.name];
  }

  /**
   * A mouse press at 0-based column x, row y, as a terminal reports it to a program that asked for
   * SGR mouse reports: written to the pane as the terminal would (send-keys -H, raw bytes).
   * button: 0 left, 64 wheel up, 65 wheel down.
   */
  mouse(x: number, y: number, button = 0): void {
    const seq = `\x1b[<${button};${x + 1};${y + 1}M`;
    execFileSync('tmux', [...SOCKET, 'send-keys', '-t', this.name, '-H', ...Buffer.from(seq).toString('hex').match(/../g)!]);
  }

  /** True once the program in the pane has ended. */
  exited(): boolean {
    const out = spawnSync('tmux', [...SOCKET, 'display-message', '-p', '-t', this.name, '#{pane_dead} #{pane_dead_status}'], { encoding: 'utf8' });
    return out.stdout.startsWith('1');
  }

  exitStatus(): number {
    const out = spawnSync('tmux', [...SOCKET, 'display-message', '-p', '-t', this.name, '#{pane_dead_status}'], { encoding: 'utf8' });
    return Number(out.stdout.trim());
  }

  resize(width: number, height: number): void {
    execFileSync('tmux', [...SOCKET, 'resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  // The deadlines only bound a failure: a run that passes waits for its condition, never for them.
  // On the shared 2-core machine at load 30, a TUI's first screen has taken more than 10 s.
  // `escapes`: the screens tested carry their colours and attributes (see screen()).
  async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 30000, escapes = false): Promise<string> {
    const ok = typeof test === 'string' ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = await this.capture(escapes);
      if (ok(last)) return last;
      if (Date.now() > deadline) throw this.timedOut(test, last, escapes);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Like waitFor, but `test` sees only screens that two captures in a row, 50 ms apart, agree on. tmux 3.3 draws
   * a frame's rows as it reads them from the pane (it ignores the synchronized-update brackets),
   * so one capture can show the top of a frame over the bottom of the frame before: a test that
   * reads the order of moving rows must not judge such a torn screen.
   */
  async waitForSettled(test: (screen: string) => boolean, timeoutMs = 30000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.capture();
    for (;;) {
      const now = await this.capture();
      if (now === last && test(now)) return now;
      if (Date.now() > deadline) throw this.timedOut(test, now);
      // Two captures 50 ms apart: time for tmux to read the rest of a frame it had begun.
      await new Promise((r) => setTimeout(r, 50));
      last = now;
    }
  }

  /**
   * A wait's failure. CI shows only the first lines of an error: its bottom rows (where the newest
   * rows, the status bar and the key bar are) come first. A capture-pane of its own, not through the
   * control client, says whether the screen the waits were given was the screen tmux has.
   */
  private timedOut(test: unknown, seen: string, escapes = false): Error {
    const bottom = (screen: string) =>
      screen
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l !== '')
        .slice(-8)
        .join('\n');
    let direct: string;
    try {
      direct = this.screen(escapes);
    } catch (err) {
      direct = `(capture-pane failed: ${(err as Error).message})`;
    }
    const same = direct === seen ? 'a capture of its own shows the same screen' : `a capture of its own shows another screen, whose last rows are:\n${bottom(direct)}`;
    return new Error(`timed out waiting for ${String(test)}; the screen's last rows:\n${bottom(seen)}\n(${same})\nthe whole screen:\n${seen}`);
  }

  async waitExit(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await tmuxCommand(['display-message', '-p', '-t', this.name, '#{pane_dead}'])).startsWith('1')) {
      if (Date.now() > deadline) throw new Error(`program did not exit; screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    spawnSync('tmux', [...SOCKET, 'kill-session', '-t', this.name]);
  }
}

/** /proc/PID/status fields we check after detaching. */
export function procStatus(pid: number): { state: string; tracerPid: number } {
  const text = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  return {
    state: /^State:\s+(\S)/m.exec(text)?.[1] ?? '?',
    tracerPid: Number(/^TracerPid:\s+(\d+)/m.exec(text)?.[1] ?? -1),
  };
}
