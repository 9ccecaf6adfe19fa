// A one-line text prompt (the `/` search and the launch command). It owns its keys while active,
// and its text: each key edits what the previous key left (a ref, not the last render's props),
// so a paste arrives whole however fast it comes. The owner hears every change through onChange.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { useKeyLayer } from './use-key-layer.js';
import { matchKey, promptKeys } from './keymap.js';

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
  active?: boolean;
}

export function LinePrompt({ label, initial = '', width, onChange, onSubmit, onCancel, error, active = true }: LinePromptProps) {
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
        {error ? <Text color="red">{`  ${error}`}</Text> : null}
      </Text>
    </Box>
  );
}
