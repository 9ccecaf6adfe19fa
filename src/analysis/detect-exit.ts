// "It exits immediately": a process that ends with a non-zero status or by a signal gets a finding
// holding what usually explains it — its last failed lookup, its last failed execve, what it
// wrote to stderr just before — and its exit status and how long it lived.
import type { Analyzer, Call } from './analyzer.js';
import { onExitFds } from './detect-fds.js';
import { settleSearches } from './detect-paths.js';
import { finishDns } from './detect-dns.js';
import { fmtNs, STDERR_TAIL, type Proc } from './model.js';
import { callParts, fdArg } from './strace-text.js';
import { quotedBuffers } from './strace-strings.js';
import type { ExitEvent } from '../engine/types.js';

/** Writes to stderr: the tail of what the process said last. */
export function detectExitCall(a: Analyzer, c: Call, p: Proc): boolean {
  if ((c.name !== 'write' && c.name !== 'writev') || c.errno || c.fd !== 2) return false;
  const parts = callParts(c.text);
  const fd = fdArg(parts?.args[0]);
  if (!parts || fd?.fd !== 2 || c.errno) return false;
  let text = '';
  for (const b of quotedBuffers(parts.args[1] ?? '')) text += Buffer.from(b.bytes).toString('utf8') + (b.truncated ? '...' : '');
  if (!text) return false;
  p.stderrTail = (p.stderrTail + text).slice(-STDERR_TAIL);
  p.stderrRefs.push(a.ref(c));
  if (p.stderrRefs.length > 4) p.stderrRefs.shift();
  return false;
}

const QUIET_SIGNALS = new Set([0]);

export function onExit(a: Analyzer, ev: ExitEvent, seq: number): void {
  const p = a.proc(ev.pid);
  p.exited = true;
  settleSearches(a, true, ev.pid);
  onExitFds(a, p, ev.signo ? `was killed by signal ${ev.signo}` : `exited (status ${ev.code})`);
  finishDns(a, ev.pid);
  if (ev.code === 0 && QUIET_SIGNALS.has(ev.signo)) return a.exitedCleanly(p);
  const name = p.exe ? p.exe.slice(p.exe.lastIndexOf('/') + 1) : '';
  const started = p.execNs >= 0 ? p.execNs : p.firstNs;
  // A log without timestamps has every time at 0: no lifetime to tell then.
  const life = started >= 0 && ev.entryNs > started ? fmtNs(ev.entryNs - started) : '';
  const how = ev.signo ? ev.text.replace(/^\+\+\+ | \+\+\+$/g, '') : `exited with status ${ev.code}`;
  const root = p.ppid === 0;
  const lastLine = p.stderrTail.trim().split('\n').pop()?.trim() ?? '';
  const child = p.failedChildren[p.failedChildren.length - 1];
  // The last problem seen in it, unless it is the failed lookup or exec said anyway.
  const earlier = p.lastProblem && p.lastProblem.ref.seq !== p.lastLookupFail?.seq && p.lastProblem.ref.seq !== p.lastExecFail?.seq ? p.lastProblem : undefined;
  // Of a failed lookup and that problem, the later is the likelier cause.
  const lastFail = earlier && (!p.lastLookupFail || earlier.ref.seq > p.lastLookupFail.seq) ? earlier.ref : p.lastLookupFail;
  const cause = lastLine
    ? `: "${lastLine.slice(-120)}"`
    : p.lastExecFail
      ? `: after ${shortCall(p.lastExecFail.text)}`
      : child
        ? `: its child ${child}`
        : lastFail
          ? `: after ${shortCall(lastFail.text)}`
          : '';
  if (p.ppid) a.procs.get(p.ppid)?.failedChildren.push(`${name || 'pid'} (pid ${ev.pid}) ${how}${lastLine ? `: "${lastLine.slice(-80)}"` : ''}`);
  // The traced command itself, or anything killed by a signal, is a problem; a child's failure a note
  // (shell scripts run commands that fail on purpose), folded by program and status.
  const problem = root || ev.signo !== 0;
  const key = problem ? `exit-failure:${ev.pid}` : `exit-failure:${name}:${ev.code}:${ev.signo}`;
  const { f, fresh } = a.upsert({
    kind: 'exit-failure',
    key,
    severity: problem ? 'problem' : 'note',
    title: `pid ${ev.pid}${name ? ` ${name}` : ''} ${how}${life ? ` ${life} after it started` : ''}${cause}`,
    vars: { pid: ev.pid },
  });
  const refs = [p.lastExecFail, p.lastLookupFail ?? p.lastProbeFail, earlier?.ref, ...p.stderrRefs].filter((r): r is NonNullable<typeof r> => r !== undefined).sort((x, y) => x.seq - y.seq);
  for (const r of refs) a.addCall(f, r);
  a.addCall(f, { seq, pid: ev.pid, tid: ev.tid, text: ev.text });
  if (!fresh) {
    f.title = `${name || 'a child'} ${how}, ${f.count} times (last: pid ${ev.pid})${cause}`;
    return;
  }
  f.facts.push(`${how}${life ? `, ${life} after ${p.execNs >= 0 && p.exe ? `exec of ${p.exe}` : 'it was first seen'}` : ''} (${p.calls} calls traced)`);
  if (p.lastExecFail) f.facts.push(`its last failed execve: ${p.lastExecFail.text}`);
  if (p.lastLookupFail && p.lastLookupFail.seq !== p.lastExecFail?.seq) f.facts.push(`its last failed lookup: ${p.lastLookupFail.text}`);
  else if (p.lastProbeFail) f.facts.push(`its last failed lookup (an existence check): ${p.lastProbeFail.text}`);
  if (earlier) f.facts.push(`its last problem: ${earlier.title.replace(/^pid \d+: /, '')}`);
  if (p.stderrTail) f.facts.push(`it wrote to stderr: ${JSON.stringify(p.stderrTail.slice(-STDERR_TAIL))}`);
  for (const ch of p.failedChildren.slice(-3)) f.facts.push(`its child ${ch}`);
  if (!p.lastExecFail && !p.lastLookupFail && !earlier && !p.stderrTail && !p.failedChildren.length && !ev.signo) f.facts.push('no failed lookup and nothing on stderr before the exit: the reason is in its own logic or its logs');
}

function shortCall(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
