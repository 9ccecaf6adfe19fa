// Every failed call no family detector claimed: first the expected ones (runbook's
// EXPECTED_FAILURES, grouped and never shown as problems), then privileged calls refused for want
// of a capability, the errnos with a runbook entry of their own (limits, ENOSPC, EIO, EBADF), and
// what is left as "other failures", grouped by call and errno.
import type { Analyzer, Call } from './analyzer.js';
import { describeFork, describeMemory } from './detect-limits.js';
import { errnoMeaning } from './errno-info.js';
import { has } from './live/permissions.js';
import { readStatus } from '../engine/proc/task.js';
import type { Proc } from './model.js';
import { CALL_CAPS, CAP_NAMES, EXPECTED_FAILURES, RUNBOOK, type FindingKind } from './runbook.js';
import type { CallRef, Finding } from './types.js';
import { callParts, fdArg, num } from './strace-text.js';

const EXPECTED_BY_ERRNO = new Map<string, typeof EXPECTED_FAILURES[number][]>();
for (const r of EXPECTED_FAILURES) for (const e of r.errnos) (EXPECTED_BY_ERRNO.get(e) ?? EXPECTED_BY_ERRNO.set(e, []).get(e)!).push(r);

/** An expected group's lines, counted. */
const whyCounts = new WeakMap<Finding, Map<string, number>>();

/** Adds a call to the expected group of `kind`, with `why` as one of its counted lines. */
export function countExpected(a: Analyzer, kind: FindingKind, why: string, c: Call | CallRef): void {
  const { f } = a.upsert({ kind, key: `expected:${kind}`, title: '', call: 'entryNs' in c ? a.ref(c) : c });
  let counts = whyCounts.get(f);
  if (!counts) whyCounts.set(f, (counts = new Map()));
  counts.set(why, (counts.get(why) ?? 0) + 1);
  // Lines by count, most frequent first; the title says how many in all.
  const lines = [...counts].sort((x, y) => y[1] - x[1]);
  f.facts = lines.slice(0, 8).map(([w, n]) => `${n} × ${w}`);
  if (lines.length > 8) f.facts.push(`and ${lines.length - 8} more kinds`);
  f.title = `${f.count} expected failure${f.count > 1 ? 's' : ''}: ${RUNBOOK[kind].pattern}`;
}


/** Is this failure a normal one? Counted in its expected group when it is. */
export function classifyExpected(a: Analyzer, c: Call): boolean {
  const rules = EXPECTED_BY_ERRNO.get(c.errno);
  if (!rules) return false;
  for (const r of rules) {
    if (r.calls && !r.calls.includes(c.name)) continue;
    if (r.text && !r.text.test(c.text)) continue;
    countExpected(a, r.kind, `${c.name} ${c.errno}: ${r.why}`, c);
    return true;
  }
  return false;
}

const FORKS = new Set(['fork', 'vfork', 'clone', 'clone3']);
const ALLOCS = new Set(['mmap', 'brk', 'mremap', 'mprotect', 'clone', 'clone3', 'fork', 'vfork', 'shmget', 'mlock', 'mlockall', 'madvise']);
const OWN_ENTRIES: Record<string, FindingKind> = { ENOSPC: 'fs-full', EDQUOT: 'fs-full', EIO: 'io-error', EBADF: 'bad-fd' };

export function detectFailure(a: Analyzer, c: Call, p: Proc): void {
  if (classifyExpected(a, c)) return;
  if (c.errno === 'EAGAIN' && FORKS.has(c.name)) return describeFork(a, c, p);
  if (c.errno === 'ENOMEM' && ALLOCS.has(c.name)) return describeMemory(a, c, p);
  if ((c.errno === 'EPERM' || c.errno === 'EACCES') && CALL_CAPS[c.name]) return notPermitted(a, c, CALL_CAPS[c.name].cap, CALL_CAPS[c.name].what);
  const own = OWN_ENTRIES[c.errno];
  if (own) {
    const parts = callParts(c.text);
    const fd = fdArg(parts?.args[0]);
    const target = fd && fd.fd >= 0 ? (fd.decoration ?? p.fds.get(fd.fd)?.what ?? `fd ${fd.fd}`) : '';
    a.upsert({
      kind: own,
      key: `${own}:${c.name}:${target}`,
      title: `${c.name}${target ? ` on ${target}` : ''}: ${c.errno} (${errnoMeaning(c.errno)})`,
      call: a.ref(c),
      vars: { path: target || 'PATH', pid: c.pid },
    });
    return;
  }
  const { f } = a.upsert({
    kind: 'other-failure',
    key: `other-failure:${c.name}:${c.errno}`,
    title: `${c.name} failed with ${c.errno} (${errnoMeaning(c.errno)})`,
    call: a.ref(c),
    vars: { name: c.name },
  });
  f.title = `${c.name} failed with ${c.errno} (${errnoMeaning(c.errno)})${f.count > 1 ? `, ${f.count} times` : ''}`;
}

/** A privileged call refused: does the process have the capability it needs? */
export function notPermitted(a: Analyzer, c: Call, cap: (typeof CAP_NAMES)[number], what: string): void {
  const { f, fresh } = a.upsert({
    kind: 'not-permitted',
    key: `not-permitted:${c.name}:${c.errno}`,
    title: `${c.name}: ${c.errno === 'EPERM' ? 'operation not permitted' : 'permission denied'}: ${what} needs ${cap}`,
    call: a.ref(c),
    vars: { pid: c.pid },
  });
  if (!fresh) return;
  if (c.name === 'kill' || c.name === 'tgkill') {
    const target = num(callParts(c.text)?.args[c.name === 'tgkill' ? 1 : 0]);
    const st = target > 0 ? readStatus(target) : undefined;
    if (st) f.facts.push(`the target pid ${target} (${st.name}) runs as uid ${st.uid[0]}`);
  }
  const v = a.evidence?.view(c.pid);
  if (!a.evidence) {
    f.facts.push(a.noEvidence('its capabilities'));
    return;
  }
  if (!v) {
    f.facts.push('its capabilities: not checked (the process was gone)');
    return;
  }
  const bit = CAP_NAMES.indexOf(cap);
  if (has(v.creds.capEff, bit)) {
    f.facts.push(`the process has ${cap}: so a policy refused it (seccomp, an LSM, or a user namespace that does not own the resource)`);
    f.facts.push(...a.evidence.policy(v));
  } else {
    f.facts.push(`the process lacks ${cap} (CapEff ${v.creds.capEff.toString(16).padStart(16, '0')}, uid ${v.euid})`);
    if (v.ns.user !== a.evidence.ours.user) f.facts.push(`it runs in another user namespace (${v.ns.user}): capabilities there do not reach resources owned outside it`);
  }
}
