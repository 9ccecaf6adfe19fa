// htop's side menus (the signal to send, the column to sort by): a titled list on the left of the
// screen, the selection in reverse video; Enter chooses, Esc closes. A click picks a line, a second
// click on it chooses, the wheel moves the selection.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { KeyBarItem } from './KeyBar.js';
import { barItems, matchKey, menuKeys } from './keymap.js';
import { useKeyLayer } from './use-key-layer.js';

export interface SideMenuProps {
  title: string;
  items: readonly string[];
  /** the line selected when it opens */
  initial: number;
  width: number;
  height: number;
  /** the screen row of the menu's title (for mouse clicks) */
  screenTop: number;
  onChoose: (index: number) => void;
  onCancel: () => void;
}

export const SIDE_MENU_WIDTH = 20;

/** The bottom bar while a side menu is open, as htop's: what Enter does there (Send, Sort), and
 *  Cancel; the screen's own bar would offer keys the menu does not pass on (Enter Attach). */
function sideMenuBar(choose: string): KeyBarItem[] {
  return barItems(menuKeys, ['choose', 'cancel'], { label: { choose } });
}
export const SIGNAL_MENU_BAR = sideMenuBar('Send');
export const SORT_MENU_BAR = sideMenuBar('Sort');

export function SideMenu({ title, items, initial, width, height, screenTop, onChoose, onCancel }: SideMenuProps) {
  // The selection in a ref as well: two keys in a row each act on what the previous one left.
  const sel = useRef(initial);
  const [shown, setShown] = useState(initial);
  const rows = Math.max(1, height - 1);
  const top = Math.max(0, Math.min(shown - Math.floor(rows / 2), items.length - rows));
  const move = (i: number) => {
    sel.current = Math.max(0, Math.min(items.length - 1, i));
    setShown(sel.current);
  };
  useKeyLayer((input, key) => {
    const m = key.mouse;
    if (m) {
      if (m.button === 'wheelUp') return move(sel.current - 1);
      if (m.button === 'wheelDown') return move(sel.current + 1);
      const line = m.y - screenTop - 1;
      if (m.x >= width || line < 0 || line >= rows) return onCancel(); // a click elsewhere closes it
      const i = top + line;
      if (i >= items.length) return;
      if (i === sel.current) return onChoose(i);
      return move(i);
    }
    switch (matchKey(menuKeys, input, key)) {
      case 'up':
        return move(sel.current - 1);
      case 'down':
        return move(sel.current + 1);
      case 'pageUp':
        return move(sel.current - rows);
      case 'pageDown':
        return move(sel.current + rows);
      case 'home':
        return move(0);
      case 'end':
        return move(items.length - 1);
      case 'choose':
        return onChoose(sel.current);
      case 'cancel':
        return onCancel();
    }
    // Every other key belongs to the menu while it is open (as htop's).
  });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text inverse bold color="cyan" wrap="truncate">
        {title.padEnd(width).slice(0, width)}
      </Text>
      {items.slice(top, top + rows).map((it, i) => (
        <Text key={i} inverse={top + i === shown} wrap="truncate">
          {it.padEnd(width).slice(0, width)}
        </Text>
      ))}
    </Box>
  );
}
