// What Ink's key parser leaves out: function keys (Ink reports F1..F12 as an empty input with no
// flag set) and mouse reports. KeyRoot hands these to the key layers as a KeyPress with `fn` or
// `mouse` set, and an empty input, so no panel ever types them into a filter.
//
// Mouse reporting is SGR (mode 1006) over "normal tracking" (mode 1000: presses, releases and the
// wheel), as htop asks for it. It must be turned off on every way out, or the shell gets the
// reports as typed text: runTui turns it off in its finally, and an exit hook covers a crash.
import type { Key } from 'ink';

export interface MouseInput {
  /** 0-based cell of the terminal */
  x: number;
  y: number;
  /** press of the left (0), middle (1), right (2) button, or the wheel */
  button: 'left' | 'middle' | 'right' | 'wheelUp' | 'wheelDown' | 'other';
  /** a release (SGR reports releases with a final `m`) */
  release: boolean;
}

/** Ink's key, and what Ink does not tell: the function key (1-12) or the mouse report. */
export interface KeyPress extends Key {
  fn?: number;
  mouse?: MouseInput;
}

export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

// xterm (CSI n ~ and SS3 P-S), the Linux console (CSI [ A-E), each with optional modifiers (CSI 1;2P).
const TILDE_FN: Record<string, number> = { '11': 1, '12': 2, '13': 3, '14': 4, '15': 5, '17': 6, '18': 7, '19': 8, '20': 9, '21': 10, '23': 11, '24': 12 };
const LETTER_FN: Record<string, number> = { P: 1, Q: 2, R: 3, S: 4 };
const CONSOLE_FN: Record<string, number> = { A: 1, B: 2, C: 3, D: 4, E: 5 };

/** The function key a sequence stands for (1-12), or 0. */
export function functionKey(seq: string): number {
  let m = /^\x1b\[(\d+)(?:;\d+)?~$/.exec(seq);
  if (m) return TILDE_FN[m[1]] ?? 0;
  m = /^\x1b(?:O|\[1;\d+)([PQRS])$/.exec(seq);
  if (m) return LETTER_FN[m[1]];
  m = /^\x1b\[\[([A-E])$/.exec(seq);
  if (m) return CONSOLE_FN[m[1]];
  return 0;
}

const SGR_MOUSE = /^\x1b\[<(\d+);(\d+);(\d+)([Mm])$/;

/** A mouse report (SGR encoding), or undefined. Motion reports are not asked for, and dropped. */
export function mouseReport(seq: string): MouseInput | undefined {
  const m = SGR_MOUSE.exec(seq);
  if (!m) return undefined;
  const code = Number(m[1]);
  if (code & 32) return undefined; // motion
  const low = code & 3;
  const button: MouseInput['button'] = code & 64 ? (low === 0 ? 'wheelUp' : low === 1 ? 'wheelDown' : 'other') : low === 0 ? 'left' : low === 1 ? 'middle' : low === 2 ? 'right' : 'other';
  return { x: Number(m[2]) - 1, y: Number(m[3]) - 1, button, release: m[4] === 'm' };
}

/** Ink's view of a mouse report once its ESC is stripped: such input is never text. */
export const isMouseRemnant = (input: string): boolean => /^\[<\d+;\d+;\d+[Mm]$/.test(input);
