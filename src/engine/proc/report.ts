// The inspector's report as plain text: what `systrace-tui --plain --inspect PID` prints and what
// users paste into bug reports.
//
// Format (every line is greppable on its own; sections start with `## `):
//
//   # inspect pid 812 (postgres): 3 threads, 1 blocked > 1 s, at 2025-01-31T12:00:00.000Z
//   cmdline: postgres -D /var/lib/postgresql
//
//   ## threads
//   thread 812 (postgres) S sleeping, BLOCKED at least 12.3 s
//     call:   read(4<TCP:[127.0.0.1:40000->127.0.0.1:5432]>, 0x7ffd..., 8192)
//     reads:  waiting for data from 127.0.0.1:5432 (pgbouncer, pid 77)
//     fd 4:   TCP 127.0.0.1:40000->127.0.0.1:5432 (ESTABLISHED) peer pgbouncer (pid 77)
//     wchan:  wait_woken
//     stack:  wait_woken+0x6a/0x80
//             sk_wait_data+0x13f/0x170
//
//   ## open files (12)
//   FD    TYPE     MODE  TARGET
//   4     TCP      rw    TCP 127.0.0.1:40000->127.0.0.1:5432 (ESTABLISHED) peer pgbouncer (pid 77)
//
//   ## diagnostics
//   [ok]   ptrace_scope: no Yama LSM (file absent)
//   [FAIL] TracerPid: 77 (strace) -- only one tracer at a time: ...
//   [info] NoNewPrivs: 0
//
// A thread header says `BLOCKED` (over the threshold) or `blocked` (under it), then the time,
// prefixed `at least` unless the time is exact (from a live trace). `running` when on a CPU.

import { formatDuration, type InspectReport, type ThreadReport } from './blocking.js';

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

function threadBlock(t: ThreadReport, width: number | undefined): string[] {
  const out: string[] = [];
  const held = formatBlockedFor(t);
  const how = t.where === 'running' || held === '' ? '' : `, ${t.overThreshold ? 'BLOCKED' : 'blocked'} ${held}`;
  out.push(clip(`thread ${t.tid} (${t.comm}) ${t.state} ${stateName(t.state)}${how}`, width));
  if (t.callText) out.push(clip(`  call:   ${t.callText}`, width));
  out.push(clip(`  reads:  ${t.plainWords}`, width));
  for (const target of t.targets) {
    const label = target.role === 'fd' ? `fd ${target.fd}:` : `${target.role} ${target.fd}:`;
    out.push(clip(`  ${label.padEnd(8)}${target.text}`, width));
  }
  out.push(clip(`  wchan:  ${t.wchan ?? `(${t.wchanReason ?? 'none'})`}`, width));
  if (t.stack && t.stack.length) {
    t.stack.forEach((frame, i) => out.push(`  ${i === 0 ? 'stack:' : ''}`.padEnd(10) + frame));
  } else {
    out.push(clip(`  stack:  (${t.stackReason ?? 'none'})`, width));
  }
  return out;
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
  lines.push(
    clip(
      `# inspect pid ${report.pid} (${report.comm}): ${n} thread${n === 1 ? '' : 's'}, ${blocked} blocked > ${formatDuration(report.thresholdMs)}, at ${when}`,
      w,
    ),
  );
  if (report.cmdline.length) lines.push(clip(`cmdline: ${report.cmdline.join(' ')}`, w));
  if (report.reason) lines.push(`note: ${report.reason}`);

  lines.push('', '## threads');
  for (const t of report.threads) lines.push(...threadBlock(t, w));

  if (report.openFiles) {
    lines.push('', `## open files (${report.openFiles.length})`);
    lines.push('FD    TYPE     MODE  TARGET');
    for (const f of report.openFiles) {
      lines.push(clip(`${String(f.fd).padEnd(6)}${f.type.padEnd(9)}${(f.access || '-').padEnd(6)}${f.target}`, w));
    }
  } else if (report.openFilesReason) {
    lines.push('', '## open files', `(${report.openFilesReason})`);
  }

  if (report.diagnostics) {
    lines.push('', '## diagnostics');
    for (const c of report.diagnostics.checks) {
      const tag = c.ok === true ? '[ok]  ' : c.ok === false ? '[FAIL]' : '[info]';
      lines.push(clip(`${tag} ${c.name}: ${c.value}${c.hint ? ` -- ${c.hint}` : ''}`, w));
    }
  }
  return lines.join('\n') + '\n';
}
