// What the trace screen shows: syscall classes toggled by single keys, failed-only, free text.
// The filter is a plain value; its key() names it so that row indices can be cached per filter.
import { SyscallClass, type TraceEvent } from '../engine/types.js';
import type { TraceHistory } from './trace-history.js';

export interface TraceFilter {
  /** OR of SyscallClass bits; 0 = every class */
  classes: number;
  failedOnly: boolean;
  /** Substring of the strace line; '' = none */
  text: string;
  /** o: only the calls on one descriptor (descriptors.ts) */
  trail?: { readonly id: number; readonly label: string; has(h: TraceHistory, seq: number): boolean };
}

export const NO_FILTER: TraceFilter = { classes: 0, failedOnly: false, text: '' };

/** The class toggles, in the order the header and help show them. Each is `%` and its letter;
 *  all but network also the letter alone (n and N go to search matches, as in less). */
export const CLASS_TOGGLES = [
  { key: 'f', bit: SyscallClass.file, label: 'file' },
  { key: '%n', bit: SyscallClass.network, label: 'network' },
  { key: 'p', bit: SyscallClass.process, label: 'process' },
  { key: 's', bit: SyscallClass.signal, label: 'signal' },
  { key: 'd', bit: SyscallClass.desc, label: 'desc' },
  { key: 'm', bit: SyscallClass.memory, label: 'memory' },
  { key: 'i', bit: SyscallClass.ipc, label: 'ipc' },
] as const;

/** Classes of the rows that are not system calls: signals belong to %signal, lifecycle rows to %process. */
export function eventClasses(ev: TraceEvent): number {
  switch (ev.kind) {
    case 'syscall':
      return ev.classes;
    case 'signal':
    case 'stop':
      return SyscallClass.signal;
    default:
      return SyscallClass.process;
  }
}

export function isFailed(ev: TraceEvent): boolean {
  return ev.kind === 'syscall' && ev.errno !== '';
}

export function matchesFilter(ev: TraceEvent, f: TraceFilter): boolean {
  if (f.classes !== 0 && (eventClasses(ev) & f.classes) === 0) return false;
  if (f.failedOnly && !isFailed(ev)) return false;
  if (f.text !== '') {
    const text = 'text' in ev ? ev.text : ev.kind === 'exec' ? ev.path : '';
    if (!text.includes(f.text)) return false;
  }
  return true;
}

export function isFilterActive(f: TraceFilter): boolean {
  return f.classes !== 0 || f.failedOnly || f.text !== '' || f.trail !== undefined;
}

export function filterKey(f: TraceFilter): string {
  return `${f.classes}|${f.failedOnly ? 1 : 0}|${f.trail?.id ?? ''}|${f.text}`;
}

/** Short words for the header and status bar: `file,network failed /open/`. */
export function describeFilter(f: TraceFilter): string {
  const parts: string[] = [];
  const cls = CLASS_TOGGLES.filter((t) => (f.classes & t.bit) !== 0).map((t) => t.label);
  if (cls.length) parts.push(cls.join(','));
  if (f.failedOnly) parts.push('failed');
  if (f.text) parts.push(`/${f.text}/`);
  if (f.trail) parts.push(f.trail.label);
  return parts.join(' ');
}

/** The class `%` followed by `letter` toggles, or undefined. */
export function classOfLetter(letter: string): number | undefined {
  return CLASS_TOGGLES.find((t) => t.key.replace('%', '') === letter)?.bit;
}

export function toggleClass(f: TraceFilter, bit: number): TraceFilter {
  return { ...f, classes: f.classes ^ bit };
}
