// The one subscription to Ink's input; it hands every key to the panels' layers.
import { useInput, type Key } from 'ink';
import { useCallback, useMemo, type ReactNode } from 'react';
import { KeyLayers, KeyLayersContext } from './key-layers.js';

export function KeyRoot({ children }: { children: ReactNode }) {
  const layers = useMemo(() => new KeyLayers(), []);
  const onInput = useCallback((input: string, key: Key) => layers.dispatch(input, key), [layers]);
  useInput(onInput);
  return <KeyLayersContext.Provider value={layers}>{children}</KeyLayersContext.Provider>;
}
