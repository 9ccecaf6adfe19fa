// The one subscription to Ink's input; it hands every key to the panels' layers.
//
// Ink passes a burst of plain characters (a paste, or keys a terminal multiplexer writes at once,
// such as `t/` or `/open` + Enter) as ONE input. Each character is a key here, and each gets its
// own React commit before the next is handled, so `/` opens the prompt before `o` is typed into it.
import { useInput, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { KeyLayers, KeyLayersContext } from './key-layers.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** The key one character of a burst stands for. */
export function charKey(ch: string): [string, Key] {
  if (ch === '\r' || ch === '\n') return ['', { ...NO_KEY, return: true }];
  if (ch === '\t') return ['', { ...NO_KEY, tab: true }];
  if (ch === '\x7f' || ch === '\b') return ['', { ...NO_KEY, backspace: true }];
  const code = ch.charCodeAt(0);
  if (code < 32) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }];
  return [ch, { ...NO_KEY, shift: ch.length === 1 && ch >= 'A' && ch <= 'Z' }];
}

export function KeyRoot({ children }: { children: ReactNode }) {
  const layers = useMemo(() => new KeyLayers(), []);
  const queue = useRef<[string, Key][]>([]);
  const timer = useRef<NodeJS.Immediate | null>(null);

  const drain = useCallback(() => {
    timer.current = null;
    const next = queue.current.shift();
    if (next) layers.dispatch(next[0], next[1]);
    if (queue.current.length) timer.current = setImmediate(drain);
  }, [layers]);

  const onInput = useCallback(
    (input: string, key: Key) => {
      const burst = input.length > 1 && !key.ctrl && !key.meta && !input.includes('\x1b');
      const keys: [string, Key][] = burst ? Array.from(input, charKey) : [[input, key]];
      if (!queue.current.length && !timer.current) {
        // The usual case: one key, handled at once.
        const first = keys.shift()!;
        layers.dispatch(first[0], first[1]);
      }
      if (keys.length) {
        queue.current.push(...keys);
        timer.current ??= setImmediate(drain);
      }
    },
    [layers, drain],
  );
  useInput(onInput);
  useEffect(
    () => () => {
      if (timer.current) clearImmediate(timer.current);
    },
    [],
  );
  return <KeyLayersContext.Provider value={layers}>{children}</KeyLayersContext.Provider>;
}
