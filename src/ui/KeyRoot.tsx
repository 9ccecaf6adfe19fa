// The one subscription to Ink's input; it hands every key to the panels' layers.
//
// Ink passes a burst of plain characters (a paste, or keys a terminal multiplexer writes at once,
// such as `t/` or `/open` + Enter) as ONE input. Each character is a key here, and each gets its
// own React commit before the next is handled (see KeyLayers.input), so `/` opens the prompt before
// `o` is typed into it. `layers` lets a test wait until every key it sent took effect.
import { useInput, type Key } from 'ink';
import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
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

export function KeyRoot({ children, layers: given }: { children: ReactNode; layers?: KeyLayers }) {
  const layers = useMemo(() => given ?? new KeyLayers(), [given]);
  const onInput = useCallback(
    (input: string, key: Key) => {
      const burst = input.length > 1 && !key.ctrl && !key.meta && !input.includes('\x1b');
      layers.input(burst ? Array.from(input, charKey) : [[input, key]]);
    },
    [layers],
  );
  useInput(onInput);
  useEffect(() => () => layers.stop(), [layers]);
  return <KeyLayersContext.Provider value={layers}>{children}</KeyLayersContext.Provider>;
}
