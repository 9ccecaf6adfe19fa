// The trace screen's search (F3, /): it hides nothing. Rows whose strace line matches are
// highlighted where they match, and n / N move the focused pane's cursor to the next (newer) or
// previous (older) matching row, as less's n and N do. Plain text by default, case-insensitive;
// a regular expression or case-sensitive when asked (^R, ^A in the prompt).
import type { Segment } from './format-row.js';
import type { RowList, TraceHistory } from './trace-history.js';

export interface TraceSearch {
  text: string;
  regex: boolean;
  matchCase: boolean;
}

export const NO_SEARCH: TraceSearch = { text: '', regex: false, matchCase: false };

const compiled = new Map<string, RegExp | string>();

/** The search as a global RegExp, or why its regular expression is not one; null when it is empty. */
export function searchRegExp(s: TraceSearch): RegExp | { error: string } | null {
  if (!s.text) return null;
  const key = `${s.regex ? 1 : 0}${s.matchCase ? 1 : 0}${s.text}`;
  let re = compiled.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(s.regex ? s.text : s.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), s.matchCase ? 'g' : 'gi');
    } catch (err) {
      re = (err as Error).message.replace(/^Invalid regular expression: /, '');
    }
    if (compiled.size > 64) compiled.clear();
    compiled.set(key, re);
  }
  return typeof re === 'string' ? { error: re } : re;
}

/** The usable RegExp of a search, or null (empty, or not a valid regular expression). */
export function searchPattern(s: TraceSearch | null): RegExp | null {
  const re = s ? searchRegExp(s) : null;
  return re instanceof RegExp ? re : null;
}

function test(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}

/**
 * The index in `list` (of its first `limit` rows) of the first matching row from index `from`
 * going `dir` (1: newer, -1: older), `from` included; -1 when none.
 */
export function findRow(list: RowList, h: TraceHistory, re: RegExp, from: number, dir: 1 | -1, limit: number): number {
  const n = list.size(limit);
  for (let i = Math.min(from, n - 1); i >= 0 && i < n; i += dir) if (test(re, h.textAt(list.seqAt(i)))) return i;
  return -1;
}

/** How many of the rows match (for the prompt). */
export function countRows(list: RowList, h: TraceHistory, re: RegExp, limit: number): number {
  let k = 0;
  for (let i = 0, n = list.size(limit); i < n; i++) if (test(re, h.textAt(list.seqAt(i)))) k++;
  return k;
}

/**
 * The row's pieces with the matched parts split out and flagged `hit` (matches are looked for per
 * piece). A row whose match fell in a part cut out (`full`, its whole line, matches but no piece
 * does) gets its cut marks flagged instead: the row is a match, and the match is there.
 */
export function highlightSegments(segments: Segment[], re: RegExp | null, full?: string): Segment[] {
  if (!re) return segments;
  const out: Segment[] = [];
  let hits = 0;
  for (const sg of segments) {
    if (sg.mark) {
      out.push(sg);
      continue;
    }
    let from = 0;
    re.lastIndex = 0;
    for (let m = re.exec(sg.text); m; m = re.exec(sg.text)) {
      if (m[0] === '') {
        re.lastIndex++; // an empty match (a regex like `x*`) marks nothing
        continue;
      }
      if (m.index > from) out.push({ text: sg.text.slice(from, m.index) });
      out.push({ text: m[0], hit: true });
      hits++;
      from = m.index + m[0].length;
    }
    if (from < sg.text.length) out.push(from ? { text: sg.text.slice(from) } : sg);
  }
  if (!hits && full !== undefined && out.some((sg) => sg.mark) && test(re, full)) return out.map((sg) => (sg.mark ? { ...sg, hit: true } : sg));
  return out;
}
