// The one subscription to Ink's input; it hands every key to the panels' layers.
//
// Ink passes a burst of plain characters (a paste, or keys a terminal multiplexer writes at once,
// such as `t/` or `/open` + Enter) as ONE input. Each character is a key here, and each gets its
// own React commit before the next is handled (see KeyLayers.input), so `/` opens the prompt before
// `o` is typed into it. `layers` lets a test wait until every key it sent took effect.
//
// Function keys and mouse reports, which Ink's keys do not tell apart, are read from the raw
// sequences Ink's input parser emits (terminal-input.ts); what Ink makes of them is dropped.
import { useInput, useStdin, type Key } from 'ink';
import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import { KeyLayers, KeyLayersContext } from './key-layers.js';
import { functionKey, isMouseRemnant, mouseReport } from './terminal-input.js';

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

/**
 * `onRedraw`: ^L, on every screen and in every prompt (htop's, less's and vim's key): the screen
 * is written again whole. It is no key of the panels'.
 */
export function KeyRoot({ children, layers: given, onRedraw }: { children: ReactNode; layers?: KeyLayers; onRedraw?: () => void }) {
  const layers = useMemo(() => given ?? new KeyLayers(), [given]);
  const { internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    const onRaw = (seq: unknown) => {
      if (typeof seq !== 'string' || !seq.startsWith('\x1b')) return;
      const fn = functionKey(seq);
      if (fn) return layers.input([['', { ...NO_KEY, fn }]]);
      const mouse = mouseReport(seq);
      // Presses only: a release, or a click of another button, means nothing here.
      if (mouse && !mouse.release && mouse.button !== 'other') layers.input([['', { ...NO_KEY, mouse }]]);
    };
    events?.on('input', onRaw);
    return () => {
      events?.off('input', onRaw);
    };
  }, [events, layers]);
  const onInput = useCallback(
    (input: string, key: Key) => {
      // A function key (or any key Ink names but gives no input nor flag), or a mouse report: read above.
      if (input === '' && !Object.values(key).some((v) => v === true)) return;
      if (isMouseRemnant(input)) return;
      if (key.ctrl && input === 'l' && onRedraw) return onRedraw();
      const burst = input.length > 1 && !key.ctrl && !key.meta && !input.includes('\x1b');
      layers.input(burst ? Array.from(input, charKey) : [[input, key]]);
    },
    [layers, onRedraw],
  );
  useInput(onInput);
  useEffect(() => () => layers.stop(), [layers]);
  return <KeyLayersContext.Provider value={layers}>{children}</KeyLayersContext.Provider>;
}
