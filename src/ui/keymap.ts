// Every key of every screen, in one place: the screens match input against these bindings, the
// bottom key bars and the help overlay are generated from them, so what is shown is what works.
import type { Key } from 'ink';

export interface KeyBinding<A extends string = string> {
  action: A;
  /** How the key is written in bars and help: `^T`, `Tab`, `f`. */
  keys: string;
  /** Short word for the bottom bar; absent = help only. */
  bar?: string;
  help: string;
  match: (input: string, key: Key) => boolean;
}

const ch = (c: string) => (input: string, key: Key) => input === c && !key.ctrl && !key.meta;
const ctrl = (c: string) => (input: string, key: Key) => key.ctrl && input === c;

function bind<A extends string>(action: A, keys: string, help: string, match: KeyBinding['match'], bar?: string): KeyBinding<A> {
  return { action, keys, help, match, bar };
}

/** Finds the first binding that matches; undefined when none. */
export function matchKey<A extends string>(bindings: readonly KeyBinding<A>[], input: string, key: Key): A | undefined {
  for (const b of bindings) if (b.match(input, key)) return b.action;
  return undefined;
}

// The picker: typed letters go to the fuzzy filter, so its commands are control keys.
export const pickerKeys = [
  bind('up', '↑', 'previous process', (_, k) => k.upArrow),
  bind('down', '↓', 'next process', (_, k) => k.downArrow),
  bind('pageUp', 'PgUp', 'page up', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'page down', (_, k) => k.pageDown),
  bind('home', 'Home', 'first process', (_, k) => k.home),
  bind('end', 'End', 'last process', (_, k) => k.end),
  bind('attach', 'Enter', 'attach to the selected process and all its threads', (_, k) => k.return, 'Attach'),
  bind('tree', '^T', 'tree view on/off (parents and children)', ctrl('t'), 'Tree'),
  bind('sortNext', 'Tab', 'next sort key: pid, cpu, memory, name', (_, k) => k.tab && !k.shift, 'Sort'),
  bind('sortPrev', 'S-Tab', 'previous sort key', (_, k) => k.tab && k.shift),
  bind('launch', '^N', 'launch a new command and trace it', ctrl('n'), 'New cmd'),
  bind('inspect', '^K', 'inspect the selected process (hung-process view)', ctrl('k'), 'Inspect'),
  bind('help', '?', 'this help', ch('?'), 'Help'),
  bind('clear', 'Esc', 'clear the filter', (_, k) => k.escape, 'Clear'),
  bind('erase', 'Bksp', 'erase the last filter letter', (_, k) => k.backspace || k.delete),
  bind('quit', '^Q ^C', 'quit', (i, k) => k.ctrl && (i === 'q' || i === 'c'), 'Quit'),
] as const;
export type PickerAction = (typeof pickerKeys)[number]['action'];

// The trace screen: single letters, as htop and less.
export const traceKeys = [
  bind('help', '?', 'this help', ch('?'), 'Help'),
  bind('focusNext', 'Tab', 'focus the next thread of the list (busiest first)', (_, k) => k.tab && !k.shift, 'Next'),
  bind('focusPrev', 'S-Tab', 'focus the previous thread', (_, k) => k.tab && k.shift),
  bind('focusN', '1-9', 'focus thread N of the list', (i, k) => !k.ctrl && !k.meta && i.length === 1 && i >= '1' && i <= '9'),
  bind('zoom', 'z', 'the focused thread alone / with the busiest others', ch('z'), 'Zoom'),
  bind('merged', 't', 'one timeline of every thread, in time order / thread panes', ch('t'), 'Merge'),
  bind('list', 'l', 'thread list on/off', ch('l')),
  bind('hideExited', 'H', 'hide / show threads that exited', ch('H')),
  bind('up', '↑', 'scroll up one row (stops following)', (_, k) => k.upArrow),
  bind('down', '↓', 'scroll down one row', (_, k) => k.downArrow),
  bind('pageUp', 'PgUp', 'scroll up one page', (_, k) => k.pageUp),
  bind('pageDown', 'PgDn', 'scroll down one page', (_, k) => k.pageDown),
  bind('home', 'g Home', 'oldest row in history', (i, k) => k.home || ch('g')(i, k)),
  bind('end', 'G End', 'newest row, and follow again', (i, k) => k.end || ch('G')(i, k)),
  bind('follow', 'F', 'follow new rows again', ch('F'), 'Follow'),
  bind('details', 'Enter', 'details of the row under the cursor', (_, k) => k.return),
  bind('followFd', 'o', "follow the row's descriptor: only the calls on it, the cursor on the one it came from (open, socket, accept, dup, pipe; the parent's before a fork); o again: every row", ch('o')),
  bind('prevUse', '<', "previous call on the row's descriptor", ch('<')),
  bind('nextUse', '>', "next call on the row's descriptor", ch('>')),
  bind('file', 'f', 'filter: file calls (%file)', ch('f')),
  bind('network', 'n', 'filter: network calls (%network)', ch('n')),
  bind('process', 'p', 'filter: process calls (%process)', ch('p')),
  bind('signal', 's', 'filter: signal calls and signals (%signal)', ch('s')),
  bind('desc', 'd', 'filter: descriptor calls (%desc)', ch('d')),
  bind('memory', 'm', 'filter: memory calls (%memory)', ch('m')),
  bind('ipc', 'i', 'filter: IPC calls (%ipc)', ch('i')),
  bind('failed', 'e', 'filter: failed calls only', ch('e'), 'Errors'),
  bind('search', '/', 'filter: free text in the line', ch('/'), 'Find'),
  bind('clearFilters', 'x', 'clear every filter', ch('x'), 'Clear'),
  bind('counters', 'c', 'live -c counter table of the focused process or thread', ch('c'), 'Count'),
  bind('write', 'w', 'write the rows that pass the filters to a file (strace text; .jsonl or --json: JSON lines)', ch('w'), 'Write'),
  bind('writeAll', 'W', 'write the whole history to a file', ch('W')),
  bind('freeze', 'Space', 'freeze the display (collection goes on)', ch(' '), 'Freeze'),
  bind('stop', 'P', 'stop every traced thread / resume them', ch('P'), 'Stop'),
  bind('inspect', 'b', 'inspect the focused process (hung-process view)', ch('b')),
  bind('attachMore', 'a', 'attach one more process (from the picker)', ch('a'), 'Attach'),
  bind('detachToPicker', 'D', 'detach from everything and go back to the picker', ch('D'), 'Detach'),
  bind('commandLog', 'L', "the launched command's output (the end of its log)", ch('L')),
  bind('findings', '!', 'findings: what the trace means (problems, evidence, what to check next)', ch('!'), 'Findings'),
  bind('quit', 'q', 'detach (tracees keep running) and quit', (i, k) => ch('q')(i, k) || ctrl('c')(i, k), 'Quit'),
] as const;
export type TraceAction = (typeof traceKeys)[number]['action'];

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

/** Shown in the bar as one entry for the seven class keys. */
export const TRACE_CLASS_BAR = { keys: 'fnpsdmi', bar: 'Class' };

export const counterKeys = [
  bind('sortLeft', '←', 'sort by the column to the left', (_, k) => k.leftArrow, 'Sort'),
  bind('sortRight', '→', 'sort by the column to the right', (_, k) => k.rightArrow),
  bind('invert', 'I', 'invert the sort order', ch('I'), 'Invert'),
  bind('scope', 'T', 'counters of everything traced / the focused process / thread', ch('T'), 'Scope'),
  bind('reset', 'r', 'reset the counters', ch('r'), 'Reset'),
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
  bind('help', '?', 'this help', ch('?'), 'Help'),
  bind('close', 'q Esc', 'close the inspector', (i, k) => k.escape || ch('q')(i, k), 'Close'),
  bind('quit', '^C', 'quit (a traced process is detached and keeps running)', ctrl('c'), 'Quit'),
] as const;
export type InspectAction = (typeof inspectKeys)[number]['action'];

export const HELP_SECTIONS: { title: string; keys: readonly KeyBinding[] }[] = [
  {
    title: 'Process picker (type to filter by name, command line, user, pid, unit or container, pidns mntns netns;\n' +
      'NS: p m n where it has its own pid, mount, network namespace, NSPID its pid in its own)',
    keys: pickerKeys,
  },
  { title: 'Trace screen', keys: traceKeys },
  { title: 'Counter table (c)', keys: counterKeys },
  { title: 'Row details (Enter)', keys: detailKeys },
  { title: 'Findings (!)', keys: findingsKeys },
  { title: "Leaving while a launched command runs (q, D)", keys: leaveKeys },
  { title: "The launched command's output (L)", keys: logKeys },
  { title: 'Prompts (/ and ^N)', keys: promptKeys },
  { title: 'Inspector (b, ^K)', keys: inspectKeys },
];
