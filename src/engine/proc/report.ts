// The inspector's report as plain text: what `systrace-tui --plain --inspect PID` prints and what
// users paste into bug reports.
//
// Format (every line is greppable on its own; sections start with `## `):
//
//   # inspect pid 812 (cat): 1 thread, 1 blocked > 1 s, at 2025-01-31T12:00:00.000Z
//   cmdline: cat /run/feed
//   waits on: cat 812 -> reads pipe written by python3 820 -> waits for flock on /run/app.lock held by sleep 801 (S, in a 1 h nanosleep)
//
//   ## threads
//   thread 812 (cat) S sleeping, BLOCKED at least 12.3 s
//     call:   read(0<pipe:[4711]>, 0x7ffd..., 131072)
//     reads:  waiting for data from a pipe written by pid 820 (python3)
//     fd 0:   pipe:[4711] <- written by python3 (pid 820)
//     wchan:  pipe_read
//     stack:  pipe_read+0x31e/0x450
//             vfs_read+0x2d8/0x300
//   37 threads 101-137 (worker) S sleeping, blocked at least 5 s
//     reads:  37 threads idle in futex_wait on 0x7f3c2a1b0040: a thread pool with no work
//     ...     (the first thread's call, wchan and stack)
//
//   ## open files (12)
//   FD    TYPE     MODE  TARGET
//   0     FIFO     r     pipe:[4711] <- written by python3 (pid 820)
//
//   ## diagnostics
//   [ok]   ptrace_scope: no Yama LSM (file absent)
//
// A thread header says `BLOCKED` (over the threshold) or `blocked` (under it), then the time,
// prefixed `at least` unless the time is exact (from a live trace). `running` when on a CPU.
// Lines are cut to `width` only when one is given (a terminal); a pipe or a file gets them whole.

import { formatDuration, type InspectReport, type ThreadReport } from './blocking.js';
import { groupLabel, groupThreads, tidRanges, type ThreadGroup } from './thread-groups.js';

const STATE_NAMES: Record<string, string> = {
  R: 'running',
  S: 'sleeping',
  D: 'disk sleep',
  T: 'stopped',
  t: 'tracing stop',
  Z: 'zombie',
  X: 'dead',
  I: 'idle',
  P: 'parked',
  W: 'waking',
  K: 'wakekill',
};

export function stateName(state: string): string {
  return STATE_NAMES[state] ?? 'unknown';
}

/** `at least 12.3 s`, `12.3 s`, or '' when not blocked. */
export function formatBlockedFor(t: Pick<ThreadReport, 'blockedForMs' | 'exact'>): string {
  if (t.blockedForMs === undefined) return '';
  return `${t.exact ? '' : 'at least '}${formatDuration(t.blockedForMs)}`;
}

export interface RenderOptions {
  /** Truncate lines to this many columns (stack frames excepted); no limit when omitted. */
  width?: number;
}

function clip(line: string, width: number | undefined): string {
  if (!width || line.length <= width) return line;
  return width > 3 ? line.slice(0, width - 3) + '...' : line.slice(0, width);
}

/** The lines above the thread list: chains, zombies, what kind of process it is. */
export function summaryLines(report: InspectReport): string[] {
  const out: string[] = [];
  for (const c of report.chains) out.push(`${c.cycle ? 'DEADLOCK' : 'waits on'}: ${c.text.replace(/^deadlock: /, '')}`);
  if (report.kernelThread) out.push('kernel thread: it has no user space, no system calls and no open files; it cannot be traced');
  if (report.zombie) out.push(`zombie: ${report.zombie.status}; its parent ${report.zombie.parentPid} (${report.zombie.parentComm}) has not reaped it`);
  const z = report.zombieChildren;
  if (z.length) {
    const list = z.slice(0, 5).map((k) => `${k.pid} (${k.comm}, ${k.status})`).join(', ');
    out.push(`unreaped children: ${z.length} zombie${z.length === 1 ? '' : 's'} it has not wait()ed for: ${list}${z.length > 5 ? `, ${z.length - 5} more` : ''}`);
  }
  if (report.memoryNote) out.push(`note: its memory was not read (${report.memoryNote})`);
  if (report.place) out.push(`runs in: ${report.place}`);
  return out;
}

/** `37 threads 101-137 (worker) S sleeping, BLOCKED at least 5 s`. */
export function groupHeader(g: ThreadGroup): string {
  const t = g.threads[0];
  const held = formatBlockedFor(g);
  const how = t.where === 'running' || held === '' ? '' : `, ${g.overThreshold ? 'BLOCKED' : 'blocked'} ${held}`;
  return `${groupLabel(g)} (${t.comm}) ${t.state} ${stateName(t.state)}${how}`;
}

/** The lines about one thread under its header: call, reading, descriptors, wchan, stack. */
export function threadDetailLines(t: ThreadReport, words = t.plainWords): string[] {
  const out: string[] = [];
  if (t.callText) out.push(`  call:   ${t.callText}`);
  out.push(`  reads:  ${words}`);
  for (const target of t.targets) {
    const label = target.role === 'fd' ? `fd ${target.fd}:` : `${target.role} ${target.fd}:`;
    out.push(`  ${label.padEnd(Math.max(8, label.length + 1))}${target.text}`);
  }
  out.push(`  wchan:  ${t.wchan ?? `(${t.wchanReason ?? 'none'})`}`);
  if (t.stack && t.stack.length) t.stack.forEach((frame, i) => out.push(`  ${i === 0 ? 'stack:' : ''}`.padEnd(10) + frame));
  else out.push(`  stack:  (${t.stackReason ?? 'none'})`);
  return out;
}

function groupBlock(g: ThreadGroup, width: number | undefined): string[] {
  const out = [clip(groupHeader(g), width)];
  const t = g.threads[0];
  for (const line of threadDetailLines(t, g.words)) out.push(/^ {10}\S/.test(line) ? line : clip(line, width));
  if (g.threads.length > 1) out.push(clip(`  tids:   ${tidRanges(g.threads.map((x) => x.tid))} (details of ${t.tid})`, width));
  return out;
}

export function openFileLine(f: { fd: number; type: string; access: string; target: string }): string {
  return `${String(f.fd).padEnd(6)}${f.type.padEnd(9)}${(f.access || '-').padEnd(6)}${f.target}`;
}

export function diagnosticLine(c: { ok: boolean | null; name: string; value: string; hint: string }): string {
  const tag = c.ok === true ? '[ok]  ' : c.ok === false ? '[FAIL]' : '[info]';
  return `${tag} ${c.name}: ${c.value}${c.hint ? ` -- ${c.hint}` : ''}`;
}

/** The whole report as text, lines joined with '\n', ending with a newline. */
export function renderInspectReport(report: InspectReport, opts: RenderOptions = {}): string {
  const w = opts.width;
  const lines: string[] = [];
  const when = new Date(report.takenAtMs).toISOString();
  if (!report.exists) {
    lines.push(`# inspect pid ${report.pid}: ${report.reason ?? 'not found'}, at ${when}`);
    return lines.join('\n') + '\n';
  }
  const blocked = report.threads.filter((t) => t.overThreshold).length;
  const n = report.threads.length;
  const kind = report.kernelThread ? 'kernel thread, ' : '';
  lines.push(
    clip(
      `# inspect pid ${report.pid} (${report.comm}): ${kind}${n} thread${n === 1 ? '' : 's'}, ${blocked} blocked > ${formatDuration(report.thresholdMs)}, at ${when}`,
      w,
    ),
  );
  if (report.cmdline.length) lines.push(clip(`cmdline: ${report.cmdline.join(' ')}`, w));
  for (const s of summaryLines(report)) lines.push(clip(s, w));
  if (report.reason) lines.push(`note: ${report.reason}`);

  lines.push('', '## threads');
  for (const g of groupThreads(report.threads)) lines.push(...groupBlock(g, w));

  if (report.openFiles) {
    lines.push('', `## open files (${report.openFiles.length})`);
    lines.push('FD    TYPE     MODE  TARGET');
    for (const f of report.openFiles) lines.push(clip(openFileLine(f), w));
  } else if (report.openFilesReason) {
    lines.push('', '## open files', `(${report.openFilesReason})`);
  }

  if (report.diagnostics) {
    lines.push('', '## diagnostics');
    for (const c of report.diagnostics.checks) lines.push(clip(diagnosticLine(c), w));
  }
  return lines.join('\n') + '\n';
}
