// InkOutput: what Ink writes becomes frames for the ScreenWriter; Ink's own erasing and clearing
// are taken as what they mean (the previous frame goes; the screen is drawn whole).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { InkOutput } from '../../src/ui/ink-output.js';

class FakeTty extends EventEmitter {
  readonly columns = 40;
  readonly rows = 5;
  writes: string[] = [];
  write(s: string): boolean {
    this.writes.push(s);
    return true;
  }
}

const turn = () => new Promise((r) => setImmediate(r));

/** An InkOutput over a fake terminal that shows `first` already; `tty.writes` holds what comes after. */
async function shown(first: string, test: (out: InkOutput, tty: FakeTty) => Promise<void> | void): Promise<void> {
  const tty = new FakeTty();
  const out = new InkOutput(tty as unknown as NodeJS.WriteStream);
  try {
    out.write(first);
    await turn();
    tty.writes.length = 0;
    await test(out, tty);
  } finally {
    out.close();
  }
}

describe('InkOutput', () => {
  it("a frame after Ink's clearTerminal is drawn whole on a cleared screen, not diffed with the clearing inside", () =>
    shown('title\nrow one\nrow two', async (out, tty) => {
      // What Ink writes when its last frame filled the terminal: clearTerminal, then the frame.
      out.write('\x1b[2J\x1b[3J\x1b[H' + 'title\nrow one\nrow 2');
      await turn();
      const written = tty.writes.join('');
      assert.equal(written.match(/\x1b\[2J/g)?.length, 1, JSON.stringify(written));
      assert.doesNotMatch(written, /\x1b\[3J/);
      // Whole: the rows that did not change are written again after the clearing.
      const cleared = written.indexOf('\x1b[2J');
      for (const row of ['title', 'row one', 'row 2']) assert.ok(written.indexOf(row) > cleared, `${row} after the clearing: ${JSON.stringify(written)}`);
    }));

  it('^L (redraw) writes the last frame whole; a frame still waiting goes whole instead', () =>
    shown('title\nrow one', async (out, tty) => {
      out.redraw();
      let written = tty.writes.join('');
      assert.match(written, /\x1b\[2J.*title.*row one/s);
      tty.writes.length = 0;
      out.write('title\nrow 1');
      out.redraw(); // before the frame's turn came
      written = tty.writes.join('');
      assert.match(written, /\x1b\[2J.*title.*row 1/s);
      assert.doesNotMatch(written, /row one/);
      tty.writes.length = 0;
      await turn();
      assert.deepEqual(tty.writes, [], 'the waiting frame was written once');
    }));
});
