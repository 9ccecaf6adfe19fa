// The findings as a short text report (--plain --findings prints it to stderr after the trace):
// problems and notes each with their evidence, meaning, next check and the calls they rest on;
// expected failures summed up at the end, one line per group.
import type { Analyzer } from './analyzer.js';
import type { Finding } from './types.js';

export interface ReportOptions {
  /** max calls listed per finding */
  calls?: number;
}

const HEAD: Record<Finding['severity'], string> = { problem: 'PROBLEM', note: 'NOTE', expected: 'expected' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderFindings(a: Analyzer, opts: ReportOptions = {}): string {
  const list = a.list();
  const maxCalls = opts.calls ?? 4;
  const c = a.counts();
  const expectedCalls = list.filter((f) => f.severity === 'expected').reduce((n, f) => n + f.count, 0);
  const out: string[] = [];
  out.push(`systrace-tui: findings: ${plural(c.problem, 'problem')}, ${plural(c.note, 'note')}, ${plural(expectedCalls, 'expected failure')} (grouped)`);
  if (a.partial) out.push(`  (${a.partial})`);
  if (!a.evidence) out.push(`  (evidence from the trace alone: ${a.noEvidenceReason})`);
  for (const f of list) {
    if (f.severity === 'expected') continue;
    out.push('');
    out.push(`${HEAD[f.severity]}: ${f.title}${f.count > 1 && !/\d+ times|×/.test(f.title) ? ` [${f.count}×]` : ''}`);
    for (const fact of f.facts) out.push(`  - ${fact}`);
    if (f.evidence === 'pending') out.push('  - (evidence still being gathered)');
    out.push(`  means: ${f.meaning}`);
    if (f.check) out.push(`  next:  ${f.check}`);
    const shown = f.calls.slice(0, maxCalls);
    if (shown.length) out.push('  rests on:');
    for (const r of shown) {
      const note = a.annotations.get(r.seq);
      out.push(`    [${r.tid}] ${r.text}${note ? `   -> ${note.long}` : ''}`);
    }
    const more = f.seqs.length - shown.length;
    if (more > 0) out.push(`    ... and ${more} more`);
  }
  const expected = list.filter((f) => f.severity === 'expected');
  if (expected.length) {
    out.push('');
    out.push('expected (normal, not problems):');
    for (const f of expected) {
      out.push(`  ${f.title}`);
      for (const fact of f.facts.slice(0, 6)) out.push(`      ${fact}`);
    }
  }
  return out.join('\n') + '\n';
}
