// The stream Ink renders into: the terminal's size and resizes, and a write() that receives Ink's
// frames. Ink (its standard writer, throttled to 30 frames a second) writes each frame as "erase
// the previous frame's lines, then the frame": the erasing is dropped here, and the frame goes to
// a ScreenWriter, which writes only what changed. Ink's cursor hiding and its synchronized-update
// brackets are dropped too (the ScreenWriter does both). Frames are shown at most once per turn of
// the event loop. Console output during the TUI would land in the middle of the screen: it is kept
// and printed once the screen is left. Each frame Ink lays out is told with a 'frame' event (the
// benchmarks' key timing listens, src/ui/tui-stats.ts).
import { EventEmitter } from 'node:events';
import { format } from 'node:util';
import { BEGIN_SYNC, END_SYNC, ScreenWriter } from './screen-writer.js';

/** What Ink's writer puts before a frame: erase the previous frame's lines (ansi-escapes' eraseLines). */
const ERASE_PREVIOUS = /^(?:\x1b\[2K\x1b\[1A)*(?:\x1b\[2K\x1b\[G)?/;
/**
 * What Ink puts before a frame when the last one filled the terminal (ansi-escapes' clearTerminal):
 * the frame is then drawn whole. Our screens keep a row free so that Ink never does, but should a
 * frame ever reach the bottom row, the clearing is not left to the ScreenWriter's row diffing
 * (written inside a changed run, it would blank every row the diff then skips).
 */
const CLEAR_TERMINAL = '\x1b[2J\x1b[3J\x1b[H';
/** Writes of Ink's that carry no frame: synchronized-update brackets, cursor hide and show. */
const NOT_A_FRAME = new Set([BEGIN_SYNC, END_SYNC, '\x1b[?25l', '\x1b[?25h', '']);

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const CONSOLE_KEPT = 50;

export class InkOutput extends EventEmitter {
  readonly isTTY = true;
  private readonly writer: ScreenWriter;
  private pending: string | null = null;
  private flushing: NodeJS.Immediate | null = null;
  private ended = false;
  private readonly onResize = () => {
    // The next frame (Ink draws one on this event) goes whole onto a cleared screen.
    this.writer.invalidate();
    this.emit('resize');
  };
  private readonly console: Partial<Record<(typeof CONSOLE_METHODS)[number], (...a: unknown[]) => void>> = {};
  private readonly kept: string[] = [];

  constructor(private readonly tty: NodeJS.WriteStream) {
    super();
    this.writer = new ScreenWriter(tty);
    tty.on('resize', this.onResize);
    for (const m of CONSOLE_METHODS) {
      this.console[m] = console[m];
      console[m] = (...args: unknown[]) => {
        this.kept.push(format(...args));
        if (this.kept.length > CONSOLE_KEPT) this.kept.shift();
      };
    }
  }

  get columns(): number {
    return this.tty.columns;
  }

  get rows(): number {
    return this.tty.rows;
  }

  /**
   * Read by Ink as it unmounts: once we are leaving, it draws no last frame (a whole layout and
   * render of the screen, which is cleared right after; on a loaded machine that took most of the
   * time from q to the shell).
   */
  get writableEnded(): boolean {
    return this.ended;
  }

  /** The screen is being left: no more frames, a pending one included. */
  end(): void {
    this.ended = true;
    this.pending = null;
  }

  /** ^L: the screen written again whole (the newest frame, if one is waiting). */
  redraw(): void {
    if (this.ended) return;
    if (this.pending !== null) {
      this.writer.invalidate();
      this.flush();
    } else this.writer.redraw();
  }

  /** A write of Ink's: a frame is shown on the next turn of the event loop, unless a newer one comes first. */
  write(data: string): boolean {
    if (this.ended || NOT_A_FRAME.has(data)) return true;
    let frame = data.replace(ERASE_PREVIOUS, '');
    if (frame.startsWith(CLEAR_TERMINAL)) {
      frame = frame.slice(CLEAR_TERMINAL.length);
      this.writer.invalidate();
    }
    // Ink ends a frame shorter than the terminal with a newline.
    this.pending = frame.endsWith('\n') ? frame.slice(0, -1) : frame;
    this.emit('frame');
    this.flushing ??= setImmediate(() => this.flush());
    return true;
  }

  private flush(): void {
    this.flushing = null;
    if (this.pending === null) return;
    const frame = this.pending;
    this.pending = null;
    this.writer.frame(frame);
  }

  /** Shows the last frame, gives the terminal its cursor back, and the console its methods (with what they were given meanwhile, on stderr). */
  close(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flush();
    this.writer.close();
    this.tty.off('resize', this.onResize);
    for (const m of CONSOLE_METHODS) console[m] = this.console[m]!;
  }

  /** What the console was given while the TUI ran (to print once the screen is left). */
  consoleOutput(): string[] {
    return this.kept.slice();
  }
}
