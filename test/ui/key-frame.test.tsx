// A key's frame skips Ink's render throttle (our Ink patch's renderNow, asked by runTui from
// KeyLayers.takeKeyFrame): rows are laid out at most every so often, a key's effect at once. With
// the throttle at 100 s, a frame that shows up at all went out at once.
import './no-ci.js'; // before Ink
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { render, Text } from 'ink';
import { useState } from 'react';
import { KeyLayers } from '../../src/ui/key-layers.js';
import { KeyRoot } from '../../src/ui/KeyRoot.js';
import { useKeyLayer } from '../../src/ui/use-key-layer.js';
import { plain } from './helpers.js';

class FakeStdout extends EventEmitter {
  readonly columns = 80;
  readonly rows = 24;
  frames: string[] = [];
  /** set before unmounting, as InkOutput.end() does: Ink then drops its pending frame and timer */
  writableEnded = false;
  write(s: string): boolean {
    this.frames.push(plain(s));
    return true;
  }
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

let setRows: (n: number) => void = () => {};

function Screen() {
  const [rows, setRowsState] = useState(0);
  const [keys, setKeys] = useState('');
  setRows = setRowsState;
  useKeyLayer((input) => setKeys((k) => k + input));
  return <Text>{`rows ${rows} keys ${keys || '-'}`}</Text>;
}

const turn = () => new Promise((r) => setImmediate(r));

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('key frames', () => {
  it('takeKeyFrame says yes once after each dispatched key, and only then', () => {
    const layers = new KeyLayers();
    assert.equal(layers.takeKeyFrame(), false);
    layers.dispatch('x', {} as never);
    assert.equal(layers.takeKeyFrame(), true);
    assert.equal(layers.takeKeyFrame(), false);
  });

  it("a key's commit is written at once; a commit without a key waits for the throttle", async () => {
    const layers = new KeyLayers();
    const stdout = new FakeStdout();
    const shown = (s: string) => stdout.frames.some((f) => f.includes(s));
    const ink = render(
      <KeyRoot layers={layers}>
        <Screen />
      </KeyRoot>,
      {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 0.01, // one frame per 100 s
        renderNow: () => layers.takeKeyFrame(),
      },
    );
    try {
      await until('the first frame', () => shown('rows 0 keys -'));
      // Rows come (a store update outside any key): laid out only at the throttle's next slot.
      setRows(1);
      await turn();
      await turn();
      assert.ok(!shown('rows 1'), stdout.frames.join('\n'));
      // A key: its frame goes out at once, with the rows that came before it.
      layers.input([['a', {} as never]]);
      await until("the key's frame", () => shown('rows 1 keys a'));
      // The next rows wait again.
      setRows(2);
      await turn();
      await turn();
      assert.ok(!shown('rows 2'), stdout.frames.join('\n'));
    } finally {
      stdout.writableEnded = true;
      ink.unmount();
    }
  });
});
