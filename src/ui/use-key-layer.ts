// Registers a panel's key handler as a layer above those mounted before it (see key-layers.ts).
// The handler is read at dispatch time, so it always sees the latest render's state.
import { useContext, useLayoutEffect, useRef } from 'react';
import { KeyLayersContext, type KeyHandler } from './key-layers.js';

/** `text`: the handler keeps its state in refs, so it takes a burst of characters without renders between them. */
export function useKeyLayer(handler: KeyHandler, active = true, text = false): void {
  const layers = useContext(KeyLayersContext);
  if (!layers) throw new Error('useKeyLayer needs a <KeyRoot> above it');
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const activeRef = useRef(active);
  activeRef.current = active;
  useLayoutEffect(() => layers.add(handlerRef, activeRef, text), [layers, text]);
}
