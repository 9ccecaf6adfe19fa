// One keyboard, many panels: the panel opened last gets a key first. Ink's useInput subscribes in
// a passive effect, which runs a frame or two after a render, so a prompt opened by one key would
// miss the letters typed right after it, and a key that closes an overlay could also reach the
// screen below. Here Ink's input is subscribed once (KeyRoot); panels register layers in a layout
// effect, which runs synchronously when they mount, and a key goes to the top layer only, unless
// its handler returns false ("not mine") to pass it down.
import type { Key } from 'ink';
import { createContext } from 'react';

export type KeyHandler = (input: string, key: Key) => boolean | void;

interface Layer {
  order: number;
  handler: { current: KeyHandler };
  active: { current: boolean };
}

export class KeyLayers {
  private layers: Layer[] = [];
  private counter = 0;
  /** performance.now() of the last key dispatched: the drain loop lets a key's frame go first. */
  lastKeyAt = -Infinity;

  add(handler: { current: KeyHandler }, active: { current: boolean }): () => void {
    const layer = { order: this.counter++, handler, active };
    this.layers.push(layer);
    return () => {
      this.layers = this.layers.filter((l) => l !== layer);
    };
  }

  dispatch(input: string, key: Key): void {
    this.lastKeyAt = performance.now();
    // Newest first; copy, since a handler may open or close layers.
    const stack = this.layers.slice().sort((a, b) => b.order - a.order);
    for (const l of stack) {
      if (!l.active.current) continue;
      if (l.handler.current(input, key) !== false) return;
    }
  }
}

export const KeyLayersContext = createContext<KeyLayers | null>(null);
