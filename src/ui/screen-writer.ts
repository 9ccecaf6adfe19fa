// What reaches the terminal. Ink lays out and styles a frame; this writes only what differs from
// the frame the terminal already shows: per row, from the first cell that changed to the last one
// (a cell is a character and its style), placed with absolute cursor moves. A row that did not
// change costs nothing, a frame that did not change is not written at all, and a row that changed
// only in its time column costs those digits. Ink's own writer erases and rewrites every row of
// every frame (or, with incrementalRendering, every row that changed, whole).
//
// The screen is the alternate screen of a full-screen program, so rows are addressed from the top;
// each frame is one write, bracketed as a synchronized update (terminals that know it show the
// frame at once, the others ignore the brackets).
import { styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';

const CSI = '\x1b[';
export const BEGIN_SYNC = '\x1b[?2026h';
export const END_SYNC = '\x1b[?2026l';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const ERASE_TO_EOL = `${CSI}K`;
const moveTo = (row: number, col: number) => `${CSI}${row + 1};${col + 1}H`;

function sameStyle(a: StyledChar, b: StyledChar): boolean {
  if (a.styles.length !== b.styles.length) return false;
  for (let k = 0; k < a.styles.length; k++) if (a.styles[k].code !== b.styles[k].code) return false;
  return true;
}

const sameCell = (a: StyledChar | undefined, b: StyledChar | undefined) => a !== undefined && b !== undefined && a.value === b.value && sameStyle(a, b);

export class ScreenWriter {
  /** The rows the terminal shows, as Ink wrote them, and their cells once parsed. */
  private rows: string[] = [];
  private cells: (StyledChar[] | undefined)[] = [];
  /** The next frame is written whole, on a cleared screen (the first one, and after a resize). */
  private whole = true;

  constructor(private readonly out: { write(s: string): unknown }) {}

  /** The terminal's content is unknown (it was resized): the next frame is written whole. */
  invalidate(): void {
    this.whole = true;
  }

  /** Shows `frame` (Ink's output: rows joined by newlines, with SGR styles), writing what changed. */
  frame(frame: string): void {
    const next = frame.split('\n');
    const nextCells: (StyledChar[] | undefined)[] = new Array(next.length);
    let out = '';
    if (this.whole) {
      out += HIDE_CURSOR + `${CSI}H${CSI}2J`;
      for (let r = 0; r < next.length; r++) if (next[r] !== '') out += moveTo(r, 0) + next[r];
      this.whole = false;
    } else {
      const n = Math.max(next.length, this.rows.length);
      for (let r = 0; r < n; r++) {
        const was = this.rows[r] ?? '';
        const now = next[r] ?? '';
        if (was === now) {
          if (r < next.length) nextCells[r] = this.cells[r];
          continue;
        }
        const a = this.cells[r] ?? parse(was);
        const b = parse(now);
        if (r < next.length) nextCells[r] = b;
        out += rowChange(r, a, b, now);
      }
    }
    this.rows = next;
    this.cells = nextCells;
    if (out !== '') this.out.write(BEGIN_SYNC + out + END_SYNC);
  }

  /**
   * Writes the frame the terminal should show whole, on a cleared screen (^L): what another
   * program wrote over it (a tracee writing to the same terminal, a wall message) is gone, where
   * the next frames would have mended only the cells that change.
   */
  redraw(): void {
    if (!this.rows.length) return;
    this.whole = true;
    this.frame(this.rows.join('\n'));
  }

  /** Leaves the cursor visible again (before the alternate screen is left). */
  close(): void {
    this.out.write(SHOW_CURSOR);
  }
}

function parse(row: string): StyledChar[] {
  return row === '' ? [] : styledCharsFromTokens(tokenize(row));
}

/** Unchanged cells between two changes that are written over rather than skipped with a cursor move. */
const SKIP_MIN = 8;

/**
 * What turns row `r` from cells `a` into cells `b` (the text `now`): each run of changed cells,
 * placed with a cursor move (runs closer than SKIP_MIN cells are joined: a move costs as much).
 */
function rowChange(r: number, a: StyledChar[], b: StyledChar[], now: string): string {
  // Cells are columns only while every character is one column wide: otherwise the row goes whole.
  if (a.some((c) => c.fullWidth) || b.some((c) => c.fullWidth)) return moveTo(r, 0) + now + ERASE_TO_EOL;
  let out = '';
  let col = 0;
  while (col < b.length) {
    if (sameCell(a[col], b[col])) {
      col++;
      continue;
    }
    // A run of changes from `col`: it ends where SKIP_MIN cells in a row are unchanged.
    let end = col + 1;
    let same = 0;
    for (let k = end; k < b.length && same < SKIP_MIN; k++) {
      if (sameCell(a[k], b[k])) same++;
      else {
        same = 0;
        end = k + 1;
      }
    }
    out += moveTo(r, col) + styledCharsToString(b.slice(col, end));
    col = end;
  }
  // Shorter now: the rest of the old row goes.
  if (b.length < a.length) out += moveTo(r, b.length) + ERASE_TO_EOL;
  return out;
}
