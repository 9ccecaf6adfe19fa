// Every key of every screen, in one place: the screens match input against these bindings, the
// bottom key bars and the help overlay are generated from them, so what is shown is what works.
import type { KeyPress } from './terminal-input.js';

export interface KeyBinding<A extends string = string> {
  action: A;
  /** How the key is written in bars and help: `^T`, `Tab`, `f`. */
  keys: string;
  /** Short word for the bottom bar; absent = help only. */
  bar?: string;
  help: string;
  match: (input: string, key: KeyPress) => boolean;
}

const ch = (c: string) => (input: string, key: KeyPress) => input === c && !key.ctrl && !key.meta;
const ctrl = (c: string) => (input: string, key: KeyPress) => key.ctrl && input === c;
/** Function key N (htop's F1 help ... F10 quit). */
const fk = (n: number) => (_: string, key: KeyPress) => key.fn === n;
const either =
  (...ms: KeyBinding['match'][]) =>
  (input: string, key: KeyPress) =>
    ms.some((m) => m(input, key));

function bind<A extends string>(action: A, keys: string, help: string, match: KeyBinding['match'], bar?: string): KeyBinding<A> {
  return { action, keys, help, match, bar };
}

/** Finds the first binding that matches; undefined when none. */
export function matchKey<A extends string>(bindings: readonly KeyBinding<A>[], input: string, key: KeyPress): A | undefined {
  for (const b of bindings) if (b.match(input, key)) return b.action;
  return undefined;
}

// The picker: typed letters go to the fuzzy filter, so its commands are function and control keys
// (htop's function keys where htop has them).
export const pickerKeys = [
  bind('up', '↑', 'previous process', (_, k) => k.upArrow),
  bind('down', '↓', 'next process', (_, k) => k.downArrow),
  bind('pageUp', 'PgUp', 'page up', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'page down', (_, k) => k.pageDown),
  bind('home', 'Home', 'first process', (_, k) => k.home),
  bind('end', 'End', 'last process', (_, k) => k.end),
  bind('attach', 'Enter', 'attach to the selected process and all its threads', (_, k) => k.return, 'Attach'),
  bind('help', 'F1 ?', 'this help', either(fk(1), ch('?')), 'Help'),
  bind('search', 'F3', 'search: the selection jumps to the next process whose name or command line holds the text (F3 again: the next one)', fk(3), 'Search'),
  bind('filter', 'F4', 'filter: type letters (fuzzy: name, command line, user, pid); F4 or Esc empties it', fk(4), 'Filter'),
  bind('tree', 'F5 ^T', 'tree view on/off (parents and children)', either(fk(5), ctrl('t')), 'Tree'),
  bind('sortMenu', 'F6', 'sort by: pick the column', fk(6), 'Sort'),
  bind('sortNext', 'Tab', 'next sort column: pid, user, state, threads, cpu, memory, name', (_, k) => k.tab && !k.shift),
  bind('sortPrev', 'S-Tab', 'previous sort column', (_, k) => k.tab && k.shift),
  bind('reverse', '^R', 'reverse the sort order', ctrl('r')),
  bind('signal', 'F9', "send a signal to the selected process (htop's kill menu, SIGTERM first)", fk(9), 'Kill'),
  bind('quit', 'F10 ^Q ^C', 'quit', either(fk(10), (i, k) => k.ctrl && (i === 'q' || i === 'c')), 'Quit'),
  bind('hideKernel', '^X', 'hide / show kernel threads', ctrl('x')),
  bind('hideOthers', '^U', "hide / show other users' processes", ctrl('u')),
  bind('traceable', '^A', 'only the processes we can trace (attach to) / all', ctrl('a')),
  bind('launch', '^N', 'launch a new command and trace it', ctrl('n'), 'New cmd'),
  bind('inspect', '^K', 'inspect the selected process (hung-process view)', ctrl('k'), 'Inspect'),
  bind('clear', 'Esc', 'clear the filter', (_, k) => k.escape),
  bind('erase', 'Bksp', 'erase the last filter letter', (_, k) => k.backspace || k.delete),
] as const;
export type PickerAction = (typeof pickerKeys)[number]['action'];

// The trace screen: single letters, as htop and less; htop's function keys too.
export const traceKeys = [
  bind('help', 'F1 ?', 'this help', either(fk(1), ch('?')), 'Help'),
  bind('focusNext', 'Tab', 'focus the next thread of the list (busiest first)', (_, k) => k.tab && !k.shift, 'Next'),
  bind('focusPrev', 'S-Tab', 'focus the previous thread', (_, k) => k.tab && k.shift),
  bind('focusN', '1-9', 'focus thread N of the list', (i, k) => !k.ctrl && !k.meta && i.length === 1 && i >= '1' && i <= '9'),
  bind('zoom', 'z', 'the focused thread alone / with the busiest others', ch('z'), 'Zoom'),
  bind('merged', 't', 'one timeline of every thread, in time order / thread panes', ch('t'), 'Merge'),
  bind('list', 'l', 'thread list on/off', ch('l')),
  bind('tree', 'F5', 'thread list as a tree (processes, their threads and children) / busiest first', fk(5), 'Tree'),
  bind('hideExited', 'H', 'hide / show threads that exited', ch('H')),
  bind('up', '↑', 'scroll up one row (stops following)', (_, k) => k.upArrow),
  bind('down', '↓', 'scroll down one row', (_, k) => k.downArrow),
  bind('pageUp', 'PgUp', 'scroll up one page', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'scroll down one page', (_, k) => k.pageDown),
  bind('home', 'g Home', 'oldest row in history', (i, k) => k.home || ch('g')(i, k)),
  bind('end', 'G End', 'newest row, and follow again', (i, k) => k.end || ch('G')(i, k)),
  bind('follow', 'F', 'follow new rows again', ch('F'), 'Follow'),
  bind('details', 'Enter', 'details of the row under the cursor', (_, k) => k.return),
  bind('search', 'F3 /', 'search: matches highlighted, the cursor on the next one (case-insensitive; ^R in the prompt: regex)', either(fk(3), ch('/')), 'Search'),
  bind('searchNext', 'n', 'next match (newer)', ch('n')),
  bind('searchPrev', 'N', 'previous match (older)', ch('N')),
  bind('filter', 'F4 &', 'filter: only rows whose line holds the text (as less\'s &)', either(fk(4), ch('&')), 'Filter'),
  bind('followFd', 'o', "follow the row's descriptor: only the calls on it, the cursor on the one it came from (open, socket, accept, dup, pipe; the parent's before a fork); o again: every row", ch('o')),
  bind('prevUse', '<', "previous call on the row's descriptor", ch('<')),
  bind('nextUse', '>', "next call on the row's descriptor", ch('>')),
  bind('file', 'f', 'filter: file calls (%file)', ch('f')),
  bind('classPrefix', '%', 'then a class letter (%n network, %f file, %p %s %d %m %i): toggles that class', ch('%')),
  bind('process', 'p', 'filter: process calls (%process)', ch('p')),
  bind('signal', 's', 'filter: signal calls and signals (%signal)', ch('s')),
  bind('desc', 'd', 'filter: descriptor calls (%desc)', ch('d')),
  bind('memory', 'm', 'filter: memory calls (%memory)', ch('m')),
  bind('ipc', 'i', 'filter: IPC calls (%ipc)', ch('i')),
  bind('failed', 'e', 'filter: failed calls only', ch('e'), 'Errors'),
  bind('clearFilters', 'x', 'clear every filter and the search', ch('x'), 'Clear'),
  bind('counters', 'c', 'live -c counter table of the focused process or thread', ch('c'), 'Count'),
  bind('sortMenu', 'F6', 'sort the -c counter table by: pick the column', fk(6), 'Sort'),
  bind('write', 'w', 'write the rows that pass the filters to a file (strace text; .jsonl or --json: JSON lines)', ch('w'), 'Write'),
  bind('writeAll', 'W', 'write the whole history to a file', ch('W')),
  bind('freeze', 'Space', 'freeze the display (collection goes on)', ch(' '), 'Freeze'),
  bind('stop', 'P', 'stop every traced thread / resume them', ch('P'), 'Stop'),
  bind('signalMenu', 'F9 k', "send a signal to the focused thread's process (htop's kill menu, SIGTERM first)", either(fk(9), ch('k')), 'Kill'),
  bind('inspect', 'b', 'inspect the focused process (hung-process view)', ch('b')),
  bind('attachMore', 'a', 'attach one more process (from the picker)', ch('a'), 'Attach'),
  bind('detachToPicker', 'D', 'detach from everything and go back to the picker', ch('D'), 'Detach'),
  bind('commandLog', 'L', "the launched command's output (the end of its log)", ch('L')),
  bind('findings', '!', 'findings: what the trace means (problems, evidence, what to check next)', ch('!'), 'Findings'),
  bind('option', '-', "then a letter of strace's options (t T x y s, below): how rows are drawn, for the whole history", ch('-')),
  bind('quit', 'F10 q ^C', 'detach (tracees keep running) and quit', either(fk(10), ch('q'), ctrl('c')), 'Quit'),
] as const;
export type TraceAction = (typeof traceKeys)[number]['action'];

/** After `-` on the trace screen: a display option, by strace's letter (display-options.ts). */
export const optionKeys = [
  bind('t', '-t', 'time stamps: since the first row, -t, -tt, -ttt (wall clock), in turn', ch('t'), 'time stamps'),
  bind('T', '-T', 'durations shown / hidden', ch('T'), 'durations'),
  bind('x', '-x', 'strings: as strace prints them, -x (those with non-printable bytes in hex), -xx (all in hex), in turn', ch('x'), 'strings in hex'),
  bind('y', '-y', 'descriptors: numbers, -y (with their paths), -yy (socket endpoints, device numbers too), in turn', ch('y'), 'paths'),
  bind('s', '-s', 'strings cut after 32, 64, 256 bytes (more if -s asked for more), in turn', ch('s'), 'string length'),
] as const;

/** On leaving while a launched command still runs. */
export const leaveKeys = [
  bind('kill', 'k', 'kill it (and the processes it started)', ch('k'), 'Kill it'),
  bind('leave', 'l', 'leave it running (detached)', ch('l'), 'Leave it'),
  bind('stay', 'Esc', 'stay in the trace', (_, k) => k.escape, 'Stay'),
] as const;
export type LeaveAction = (typeof leaveKeys)[number]['action'];

/** The launched command's output. */
export const logKeys = [
  bind('close', 'L Esc', 'back to the panes', (i, k) => k.escape || ch('L')(i, k), 'Close'),
] as const;

/** After `%`: the class letters (f n p s d m i, as CLASS_TOGGLES). */
export const TRACE_CLASS_KEYS = 'f %n p s d m i';

export const counterKeys = [
  bind('sortLeft', '←', 'sort by the column to the left', (_, k) => k.leftArrow, 'Sort'),
  bind('sortRight', '→', 'sort by the column to the right', (_, k) => k.rightArrow),
  bind('invert', 'I', 'invert the sort order', ch('I'), 'Invert'),
  bind('scope', 'T', 'counters of everything traced / the focused process / thread', ch('T'), 'Scope'),
  bind('reset', 'r', 'reset the counters', ch('r'), 'Reset'),
  bind('up', '↑', 'scroll up (a table longer than the screen)', (_, k) => k.upArrow),
  bind('down', '↓', 'scroll down', (_, k) => k.downArrow),
  bind('pageUp', 'PgUp', 'page up', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'page down', (_, k) => k.pageDown),
  bind('close', 'c Esc', 'back to the panes', (i, k) => k.escape || ch('c')(i, k), 'Close'),
] as const;
export type CounterAction = (typeof counterKeys)[number]['action'];

export const detailKeys = [
  bind('up', '↑', 'scroll up', (_, k) => k.upArrow),
  bind('down', '↓', 'scroll down', (_, k) => k.downArrow),
  bind('prevRow', '←', 'previous row', (_, k) => k.leftArrow, 'Prev'),
  bind('nextRow', '→', 'next row', (_, k) => k.rightArrow, 'Next'),
  bind('close', 'Esc Enter', 'back to the panes', (_, k) => k.escape || k.return, 'Close'),
] as const;
export type DetailAction = (typeof detailKeys)[number]['action'];

export const findingsKeys = [
  bind('up', '↑', 'previous finding (or call)', (_, k) => k.upArrow),
  bind('down', '↓', 'next finding (or call)', (_, k) => k.downArrow),
  bind('pageUp', 'PgUp', 'scroll the finding\'s details up', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'scroll the finding\'s details down', (_, k) => k.pageDown),
  bind('calls', 'Tab', 'move between the findings and the calls the selected one rests on', (_, k) => k.tab, 'Calls'),
  bind('open', 'Enter', 'open the row of the selected call in its thread\'s pane', (_, k) => k.return, 'Open row'),
  bind('expected', 'e', 'show / hide the expected failures (normal, grouped)', ch('e'), 'Expected'),
  bind('close', '! Esc', 'back to the panes', (i, k) => k.escape || ch('!')(i, k), 'Close'),
] as const;
export type FindingsAction = (typeof findingsKeys)[number]['action'];

export const promptKeys = [
  bind('submit', 'Enter', 'apply', (_, k) => k.return, 'Apply'),
  bind('cancel', 'Esc', 'cancel', (_, k) => k.escape, 'Cancel'),
  bind('erase', 'Bksp', 'erase one letter', (_, k) => k.backspace || k.delete),
  bind('eraseWord', '^W', 'erase one word', ctrl('w')),
  bind('eraseLine', '^U', 'erase the line', ctrl('u')),
] as const;
export type PromptAction = (typeof promptKeys)[number]['action'];

/** The search prompt (F3, /) takes these besides the prompt's own. */
export const searchPromptKeys = [
  bind('regex', '^R', 'the text is a regular expression / plain text', ctrl('r')),
  bind('matchCase', '^A', 'match case / ignore case (the default)', ctrl('a')),
] as const;
export type SearchPromptAction = (typeof searchPromptKeys)[number]['action'];

/** htop's side menus: the signal to send (F9, k), the column to sort by (F6). */
export const menuKeys = [
  bind('up', '↑', 'previous entry', (_, k) => k.upArrow),
  bind('down', '↓', 'next entry', (_, k) => k.downArrow),
  bind('pageUp', 'PgUp', 'page up', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'page down', (_, k) => k.pageDown),
  bind('home', 'Home', 'first entry', (_, k) => k.home),
  bind('end', 'End', 'last entry', (_, k) => k.end),
  bind('choose', 'Enter', 'send the signal / sort by the column', (_, k) => k.return, 'Send'),
  bind('cancel', 'Esc F10', 'close the menu', either((_, k) => k.escape, fk(10)), 'Cancel'),
] as const;
export type MenuAction = (typeof menuKeys)[number]['action'];

// The hung-process inspector (b on the trace screen, ^K in the picker, --inspect PID).
export const inspectKeys = [
  bind('up', '↑ k', 'previous thread (or group of threads)', (i, k) => k.upArrow || ch('k')(i, k)),
  bind('down', '↓ j', 'next thread (or group of threads)', (i, k) => k.downArrow || ch('j')(i, k)),
  bind('pageUp', 'PgUp', 'scroll the panel up', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'scroll the panel down', (_, k) => k.pageDown),
  bind('files', 'f', 'open files of the process / back to the thread', ch('f'), 'Files'),
  bind('diagnostics', 'd', 'why attaching fails or works / back to the thread', ch('d'), 'Diagnose'),
  bind('refresh', 'r', 'inspect again now', ch('r'), 'Refresh'),
  bind('pause', 'Space', 'stop / restart refreshing every second', ch(' '), 'Pause'),
  bind('help', 'F1 ?', 'this help', either(fk(1), ch('?')), 'Help'),
  bind('close', 'q Esc', 'close the inspector', (i, k) => k.escape || ch('q')(i, k), 'Close'),
  bind('quit', 'F10 ^C', 'quit (a traced process is detached and keeps running)', either(fk(10), ctrl('c')), 'Quit'),
] as const;
export type InspectAction = (typeof inspectKeys)[number]['action'];

/** The screens and panels the help has a section for; it opens on the one the user is in. */
export type HelpSection = 'picker' | 'trace' | 'options' | 'counters' | 'details' | 'findings' | 'leave' | 'log' | 'prompt' | 'search' | 'menu' | 'inspect';

export const HELP_SECTIONS: { id: HelpSection; title: string; keys: readonly KeyBinding[] }[] = [
  {
    id: 'picker',
    title: 'Process picker (type to filter by name, command line, user, pid, unit or container, pidns mntns netns;\n' +
      'NS: p m n where it has its own pid, mount, network namespace, NSPID its pid in its own)',
    keys: pickerKeys,
  },
  { id: 'trace', title: 'Trace screen', keys: traceKeys },
  { id: 'options', title: "Display options (-, then strace's letter)", keys: optionKeys },
  { id: 'counters', title: 'Counter table (c)', keys: counterKeys },
  { id: 'details', title: 'Row details (Enter)', keys: detailKeys },
  { id: 'findings', title: 'Findings (!)', keys: findingsKeys },
  { id: 'leave', title: "Leaving while a launched command runs (q, D)", keys: leaveKeys },
  { id: 'log', title: "The launched command's output (L)", keys: logKeys },
  { id: 'prompt', title: 'Prompts (F3 /, F4 &, w, ^N)', keys: promptKeys },
  { id: 'search', title: 'The search prompt (F3 /), besides the above', keys: searchPromptKeys },
  { id: 'menu', title: 'Menus: signal (F9, k) and sort by (F6)', keys: menuKeys },
  { id: 'inspect', title: 'Inspector (b, ^K)', keys: inspectKeys },
];

/** A bar of `bindings` in the given order, each with its bar word (or a replacement) and keys (or shorter ones). */
export function barItems<A extends string>(
  bindings: readonly KeyBinding<A>[],
  order: readonly A[],
  opts: { label?: Partial<Record<A, string>>; keys?: Partial<Record<A, string>> } = {},
): { keys: string; bar?: string }[] {
  return order.map((a) => {
    const b = bindings.find((k) => k.action === a)!;
    return { keys: opts.keys?.[a] ?? b.keys, bar: opts.label?.[a] ?? b.bar };
  });
}
