// A one-line text prompt (the `/` search and the launch command). It owns its keys while active.
import { Box, Text } from 'ink';
import { useKeyLayer } from './use-key-layer.js';
import { matchKey, promptKeys } from './keymap.js';

export interface LinePromptProps {
  label: string;
  value: string;
  width: number;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
  onCancel: () => void;
  /** shown after the input, in red (e.g. why a launch failed) */
  error?: string;
  active?: boolean;
}

export function LinePrompt({ label, value, width, onChange, onSubmit, onCancel, error, active = true }: LinePromptProps) {
  useKeyLayer(
    (input, key) => {
      switch (matchKey(promptKeys, input, key)) {
        case 'submit':
          return onSubmit(value);
        case 'cancel':
          return onCancel();
        case 'erase':
          return onChange(value.slice(0, -1));
        case 'eraseWord':
          return onChange(value.replace(/\S*\s*$/, ''));
        case 'eraseLine':
          return onChange('');
        default:
          if (!key.ctrl && !key.meta && input && !/[\x00-\x1f\x7f]/.test(input)) onChange(value + input);
      }
    },
    active,
  );
  // Keep the end of a long value visible.
  const room = Math.max(1, width - label.length - 2);
  const shown = value.length > room ? '…' + value.slice(value.length - room + 1) : value;
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
