// One keyboard, many panels: the panel opened last gets a key first. Ink's useInput subscribes in
// a passive effect, which runs a frame or two after a render, so a prompt opened by one key would
// miss the letters typed right after it, and a key that closes an overlay could also reach the
// screen below. Here Ink's input is subscribed once (KeyRoot); panels register layers in a layout
// effect, which runs synchronously when they mount, and a key goes to the top layer only, unless
// its handler returns false ("not mine") to pass it down.
//
// Keys are handled one at a time, each after the previous one's render committed. A handler reads
// the state of the last render: state set with useState is rendered in a scheduler task (not at
// once), and on a loaded machine the next key can arrive before that task ran — the second letter
// typed into a prompt would then be appended to the value before the first. So after a key, the
// next one waits for a scheduler task of React's own (normal) priority, scheduled from a microtask
// queued after the key was handled: React schedules the key's render from a microtask queued
// earlier, so the render runs first (the scheduler runs tasks of one priority in the order they
// were scheduled). A lower priority would wait behind every render a busy trace keeps scheduling.
// The next key then goes in a macrotask of its own, since the scheduler runs several tasks in one
// go, without the microtask in which React commits an update made by the previous key.
//
// A text layer (a prompt) keeps what it was typed in a ref, not in its last render: a run of
// plain characters goes to it at once, without a render between them, so a paste costs one frame.
import type { KeyPress } from './terminal-input.js';
import { createContext } from 'react';
import { unstable_cancelCallback, unstable_NormalPriority, unstable_scheduleCallback } from 'scheduler';

export type KeyHandler = (input: string, key: KeyPress) => boolean | void;

interface Layer {
  order: number;
  handler: { current: KeyHandler };
  active: { current: boolean };
  /** Takes plain characters without needing a render between them (see above). */
  text: boolean;
}

/** A key that only types a character (no control, no Enter, Esc, Tab or Backspace). */
function isPlainCharacter([input, key]: [string, KeyPress]): boolean {
  return input.length > 0 && !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !key.backspace && !key.delete && !/[\x00-\x1f\x7f]/.test(input);
}

type SchedulerTask = ReturnType<typeof unstable_scheduleCallback>;

export class KeyLayers {
  private layers: Layer[] = [];
  private counter = 0;
  private queue: [string, KeyPress][] = [];
  /** Set from a key's dispatch until the task that lets the next key go has run. */
  private settling = false;
  private settleTask: SchedulerTask | null = null;
  private resume: NodeJS.Immediate | null = null;
  private idleWaiters: (() => void)[] = [];
  /** performance.now() of the last key dispatched: the drain loop lets a key's frame go first. */
  lastKeyAt = -Infinity;
  /** A key was dispatched and no frame was laid out since (see takeKeyFrame). */
  private keyFrame = false;

  add(handler: { current: KeyHandler }, active: { current: boolean }, text = false): () => void {
    const layer = { order: this.counter++, handler, active, text };
    this.layers.push(layer);
    return () => {
      this.layers = this.layers.filter((l) => l !== layer);
    };
  }

  /** Queue keys; the first goes at once when nothing is pending, each next one once the last rendered. */
  input(keys: [string, KeyPress][]): void {
    this.queue.push(...keys);
    this.pump();
  }

  /** Resolves once every key given so far was handled and its render committed (tests wait on it). */
  whenIdle(): Promise<void> {
    if (!this.settling && !this.resume && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drop queued keys (the root unmounts). */
  stop(): void {
    if (this.settleTask) unstable_cancelCallback(this.settleTask);
    if (this.resume) clearImmediate(this.resume);
    this.settling = false;
    this.settleTask = null;
    this.resume = null;
    this.queue = [];
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private pump(): void {
    if (this.settling || this.resume) return;
    const next = this.queue.shift();
    if (!next) {
      for (const w of this.idleWaiters.splice(0)) w();
      return;
    }
    let took = this.dispatch(next[0], next[1]);
    while (took?.text && isPlainCharacter(next) && this.queue.length && isPlainCharacter(this.queue[0])) {
      const more = this.queue.shift()!;
      took = this.dispatch(more[0], more[1]);
    }
    this.settling = true;
    queueMicrotask(() => {
      if (!this.settling) return; // stopped
      this.settleTask = unstable_scheduleCallback(unstable_NormalPriority, () => {
        this.settling = false;
        this.settleTask = null;
        this.resume = setImmediate(() => {
          this.resume = null;
          this.pump();
        });
      });
    });
  }

  /**
   * Asked by Ink at each commit (runTui's renderNow): true once after a key, so that the key's
   * frame is laid out and written at once instead of in Ink's next frame slot (up to 34 ms later,
   * and later still when a batch of rows took the slot before it). The commit that follows a key
   * holds its update: React commits a key's state change in a microtask of the key's own turn.
   */
  takeKeyFrame(): boolean {
    const k = this.keyFrame;
    this.keyFrame = false;
    return k;
  }

  /** Hands a key to the top layer that takes it; returns that layer. */
  dispatch(input: string, key: KeyPress): Layer | null {
    this.lastKeyAt = performance.now();
    this.keyFrame = true;
    // Newest first; copy, since a handler may open or close layers.
    const stack = this.layers.slice().sort((a, b) => b.order - a.order);
    for (const l of stack) {
      if (!l.active.current) continue;
      if (l.handler.current(input, key) !== false) return l;
    }
    return null;
  }
}

export const KeyLayersContext = createContext<KeyLayers | null>(null);
