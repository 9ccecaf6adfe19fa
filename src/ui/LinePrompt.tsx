// A one-line text prompt (the `/` search and the launch command). It owns its keys while active,
// and its text: each key edits what the previous key left (a ref, not the last render's props),
// so a paste arrives whole however fast it comes. The owner hears every change through onChange.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { useKeyLayer } from './use-key-layer.js';
import { matchKey, promptKeys } from './keymap.js';
import type { KeyPress } from './terminal-input.js';

export interface LinePromptProps {
  label: string;
  /** the text the prompt opens with */
  initial?: string;
  width: number;
  onChange?: (value: string) => void;
  onSubmit: (value: string) => void;
  onCancel: () => void;
  /** shown after the input, in red (e.g. why a launch failed) */
  error?: string;
  /** shown after the input, dimmed (e.g. the search's mode and matches) */
  note?: string;
  active?: boolean;
  /** a key the prompt's owner handles (the search's ^R, F3): true when it took it */
  onKey?: (input: string, key: KeyPress) => boolean;
}

export function LinePrompt({ label, initial = '', width, onChange, onSubmit, onCancel, error, note, active = true, onKey }: LinePromptProps) {
  const text = useRef(initial);
  const [shownText, setShownText] = useState(initial);
  const set = (v: string) => {
    if (v === text.current) return;
    text.current = v;
    setShownText(v);
    onChange?.(v);
  };
  useKeyLayer((input, key) => {
    const value = text.current;
    if (onKey?.(input, key)) return;
    if (key.mouse) return; // the mouse does not edit a line
    switch (matchKey(promptKeys, input, key)) {
      case 'submit':
        return onSubmit(value);
      case 'cancel':
        return onCancel();
      case 'erase':
        return set(value.slice(0, -1));
      case 'eraseWord':
        return set(value.replace(/\S*\s*$/, ''));
      case 'eraseLine':
        return set('');
      default:
        if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) set(value + input);
    }
  }, active, true);
  // Keep the end of a long value visible.
  const room = Math.max(1, width - label.length - 2);
  const shown = shownText.length > room ? '<' + shownText.slice(shownText.length - room + 1) : shownText;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          {label}
        </Text>
        <Text>{shown}</Text>
        <Text inverse> </Text>
        {note ? <Text dimColor>{`  ${note}`}</Text> : null}
        {error ? <Text color="red">{`  ${error}`}</Text> : null}
      </Text>
    </Box>
  );
}
