import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEGIN_SYNC, END_SYNC, ScreenWriter } from '../../src/ui/screen-writer.js';

// A small terminal: a grid of cells (a character and the SGR codes in force when it was written),
// a cursor, and the sequences a ScreenWriter uses (cursor position, erase to end of line, clear
// screen, SGR). Whatever the writer sends, the grid must end up as the frame written whole.
const CLOSERS: Record<string, (code: string) => boolean> = {
  '22': (c) => c === '1' || c === '2',
  '23': (c) => c === '3',
  '24': (c) => c === '4',
  '27': (c) => c === '7',
  '29': (c) => c === '9',
  '39': (c) => /^(3[0-8]|9[0-7])/.test(c),
  '49': (c) => /^(4[0-8]|10[0-7])/.test(c),
};

class Terminal {
  grid: { ch: string; sgr: string }[][] = [];
  row = 0;
  col = 0;
  sgr: string[] = [];
  constructor(readonly width: number, readonly height: number) {
    this.clear();
  }
  clear(): void {
    this.grid = Array.from({ length: this.height }, () => Array.from({ length: this.width }, () => ({ ch: ' ', sgr: '' })));
  }
  feed(s: string): void {
    for (let i = 0; i < s.length; ) {
      const m = /^\x1b\[([?\d;]*)([A-Za-z])/.exec(s.slice(i, i + 32));
      if (m) {
        this.control(m[1], m[2]);
        i += m[0].length;
        continue;
      }
      if (this.col < this.width && this.row < this.height) this.grid[this.row][this.col] = { ch: s[i], sgr: [...this.sgr].sort().join(',') };
      this.col++;
      i++;
    }
  }
  private control(params: string, final: string): void {
    if (final === 'H') {
      const [r, c] = params.split(';').map((x) => Number(x || 1));
      this.row = (r || 1) - 1;
      this.col = (c || 1) - 1;
    } else if (final === 'K') {
      for (let c = this.col; c < this.width; c++) this.grid[this.row][c] = { ch: ' ', sgr: '' };
    } else if (final === 'J' && params === '2') {
      this.clear();
    } else if (final === 'm') {
      // 38;5;N and 38;2;R;G;B stay one code.
      const parts = params === '' ? ['0'] : params.split(';');
      for (let k = 0; k < parts.length; k++) {
        let code = parts[k];
        if ((code === '38' || code === '48') && parts[k + 1] === '5') code = parts.slice(k, (k += 2) + 1).join(';');
        else if ((code === '38' || code === '48') && parts[k + 1] === '2') code = parts.slice(k, (k += 4) + 1).join(';');
        if (code === '0') this.sgr = [];
        else if (CLOSERS[code]) this.sgr = this.sgr.filter((c) => !CLOSERS[code](c));
        else this.sgr.push(code);
      }
    }
  }
  text(): string {
    return this.grid.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
  }
}

/** The screen a frame leaves when written whole on a cleared terminal. */
function whole(frame: string, width: number, height: number): Terminal {
  const t = new Terminal(width, height);
  frame.split('\n').forEach((row, r) => t.feed(`\x1b[${r + 1};1H${row}`));
  return t;
}

const dim = (s: string) => `\x1b[2m${s}\x1b[22m`;
const inverse = (s: string) => `\x1b[7m${s}\x1b[27m`;
const red = (s: string) => `\x1b[31m${s}\x1b[39m`;

function setup(width = 60, height = 8) {
  const writes: string[] = [];
  const w = new ScreenWriter({ write: (s: string) => writes.push(s) });
  const term = new Terminal(width, height);
  const show = (frame: string) => {
    const before = writes.length;
    w.frame(frame);
    for (const s of writes.slice(before)) term.feed(s);
    return writes.slice(before).join('');
  };
  return { w, term, show, writes };
}

describe('ScreenWriter', () => {
  it('leaves the screen as the frame written whole, whatever changed between frames', () => {
    const { term, show } = setup();
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const calls = ['read(3, "abc", 64) = 3', 'write(1, "x", 1) = 1', 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3', 'close(3) = 0'];
    for (let f = 0; f < 200; f++) {
      const rows: string[] = [];
      const n = 1 + rand(8);
      for (let r = 0; r < n; r++) {
        const time = dim(`${(f * 0.01 + r * 0.001).toFixed(6)}`);
        const call = calls[rand(calls.length)].slice(0, 10 + rand(40));
        const row = `${time} ${100 + r} ${rand(5) === 0 ? red(call) : call}`;
        rows.push(rand(6) === 0 ? inverse(row) : rand(9) === 0 ? '' : row);
      }
      const frame = rows.join('\n');
      show(frame);
      const want = whole(frame, 60, 8);
      assert.equal(term.text(), want.text(), `frame ${f}`);
      assert.deepEqual(term.grid, want.grid, `styles of frame ${f}`);
    }
  });

  it('writes nothing for a frame that did not change, and only the changed cells of a row', () => {
    const { show } = setup(100, 4);
    const frame = (t: string, rv: number) => [`${dim(t)}   4242 read(3, "abcdefgh", 64) = ${rv}   ${dim('<0.000012>')}`, 'status: following'].join('\n');
    const first = show(frame('12.345678', 8));
    assert.ok(first.includes('read(3'));
    assert.equal(show(frame('12.345678', 8)), '', 'nothing changed: nothing written');
    const next = show(frame('12.345699', 8));
    assert.ok(next.length < 40, `a changed time costs its digits, not the row: ${JSON.stringify(next)}`);
    assert.ok(next.startsWith(BEGIN_SYNC) && next.endsWith(END_SYNC), 'one synchronized update');
    // The time and the duration changed, the call between them did not: two runs, not the row.
    const ends = show(frame('12.345699', 8).replace('<0.000012>', '<0.000099>'));
    assert.ok(ends.length < 60, `two runs of changed cells: ${JSON.stringify(ends)}`);
    assert.doesNotMatch(ends, /read\(3/);
  });

  it('after invalidate() (a resize), writes the whole frame on a cleared screen', () => {
    const { w, show, term } = setup(40, 4);
    show('abc\ndef');
    w.invalidate();
    const out = show('abc\nxyz');
    assert.match(out, /\x1b\[2J/);
    assert.equal(term.text(), whole('abc\nxyz', 40, 4).text());
  });

  it('redraw() (^L) writes the frame it last wrote whole, over what another program wrote on the screen', () => {
    const { w, term, writes } = setup(40, 4);
    const frame = `${dim('0.000001')} read(3, <running>\nstatus: following`;
    w.frame(frame);
    for (const s of writes.splice(0)) term.feed(s);
    // A tracee writing to the same terminal: the writer does not know, and the next frame, the
    // same one, writes nothing.
    term.feed('\x1b[1;1Hhello from the tracee');
    w.frame(frame);
    assert.deepEqual(writes, []);
    w.redraw();
    const out = writes.splice(0).join('');
    assert.match(out, /\x1b\[2J/);
    term.feed(out);
    assert.deepEqual(term.grid, whole(frame, 40, 4).grid);
    // And after it, changes only again.
    w.frame(frame.replace('following', 'scrolled'));
    assert.doesNotMatch(writes.join(''), /\x1b\[2J|read\(3/);
  });

  it('redraw() before any frame writes nothing', () => {
    const { w, writes } = setup();
    w.redraw();
    assert.deepEqual(writes, []);
  });

  it('rewrites a row with double-width characters whole', () => {
    const { show, term } = setup(20, 3);
    show('漢字 abc');
    show('漢字 abd');
    assert.equal(term.text(), whole('漢字 abd', 20, 3).text().replace(/ +$/gm, ''));
  });
});
