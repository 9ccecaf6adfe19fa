// Logs written by the real strace from the log_calls fixture, in a scratch directory of the test's
// own, and a plain reading of them written here independently of src/log (what a line is, which
// call it names), so that the tests compare our reader against something else than itself.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fixturePath } from '../helpers/fixtures.js';
import { cliPath } from '../helpers/plain.js';

export const SECRET = 'SECRET-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface StraceLog {
  dir: string;
  /** the log file (for -ff: the prefix) */
  path: string;
  text: string;
}

const dirs: string[] = [];
process.on('exit', () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * The text with its hex numbers blanked, for looking for pieces of a secret that --redact must
 * hide: an address is random (ASLR), and 0x7ffcafe0 would hold 'caf' by chance in one run in ten.
 */
export function withoutHex(text: string): string {
  return text.replace(/0x[0-9a-f]+/gi, '0x');
}

export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'systrace-log-'));
  dirs.push(dir);
  return dir;
}

/**
 * strace OPTIONS log_calls TAG, written with -o (mode 'o'), to stderr (mode 'stderr': what
 * `strace ... 2> log` keeps), or as a -ff set (mode 'ff': the text is that of every file).
 */
export function straceLog(options: string[], tag: string, mode: 'o' | 'stderr' | 'ff' = 'o'): StraceLog {
  const dir = scratchDir();
  const path = join(dir, 'trace.log');
  const prog = fixturePath('log_calls');
  if (mode === 'stderr') {
    const r = spawnSync('strace', [...options, prog, tag], { encoding: 'latin1', stdio: ['ignore', 'ignore', 'pipe'] });
    writeFileSync(path, r.stderr, 'latin1');
    return { dir, path, text: r.stderr };
  }
  execFileSync('strace', [...options, ...(mode === 'ff' ? ['-ff'] : []), '-o', path, prog, tag], { stdio: 'ignore' });
  if (mode === 'ff') {
    const names = readdirSync(dir).filter((n) => n.startsWith('trace.log.'));
    return { dir, path, text: names.map((n) => readFileSync(join(dir, n), 'latin1')).join('') };
  }
  return { dir, path, text: readFileSync(path, 'latin1') };
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** systrace-tui ARGS (no terminal), with its output read as bytes (latin1). */
export function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { encoding: 'latin1', maxBuffer: 64 << 20, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: number }).code : 0;
      resolve({ status: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

// ---- an independent reading of strace lines, for expectations ----

const PREFIX = /^(?:\[pid +\d+(?:<[^>]*>)?\] +|\d+(?:<[^>]*>)? +)?(?:\d\d:\d\d:\d\d(?:\.\d+)? +| *\d+\.\d+ +)?(?:\(\+ *\d+\.\d+\) +)?/;

/** The lines of a log that are trace lines: no -c table, no `strace:` notes; cut lines put back together. */
export function traceLines(text: string): string[] {
  const out: string[] = [];
  const raw = text.split('\n');
  if (raw.at(-1) === '') raw.pop();
  for (let i = 0; i < raw.length; i++) {
    let l = raw[i];
    const cut = /strace: Process \d+ attached$/.exec(l);
    if (cut && cut.index > 0) l = l.slice(0, cut.index) + (raw[++i] ?? '');
    if (l.startsWith('strace: ') || l.startsWith('% time') || /^-{6} /.test(l) || /^ *\d+\.\d+ +\d+\.\d+ +\d+ /.test(l)) continue;
    out.push(l);
  }
  return out;
}

/** What a line is: the call it names (whole or either half), or its kind. */
export function lineName(line: string): { kind: 'call' | 'unfinished' | 'resumed' | 'signal' | 'exit' | 'other'; name: string } {
  const body = line.replace(PREFIX, '');
  let m = /^<\.\.\. (\w+) resumed>/.exec(body);
  if (m) return { kind: 'resumed', name: m[1] };
  m = /^(\w+)\(/.exec(body);
  if (m) return { kind: body.endsWith(' <unfinished ...>') ? 'unfinished' : 'call', name: m[1] };
  if (body.startsWith('--- ')) return { kind: 'signal', name: /^--- (?:stopped by )?(SIG\w+)/.exec(body)?.[1] ?? '' };
  if (body.startsWith('+++ ')) return { kind: 'exit', name: '' };
  return { kind: 'other', name: '' };
}

/** The pid a line's prefix names, or 0. */
export function linePid(line: string): number {
  const m = /^(?:\[pid +(\d+)(?:<[^>]*>)?\]|(\d+)(?:<[^>]*>)?) /.exec(line);
  return m ? Number(m[1] ?? m[2]) : 0;
}

/** The rows of the -c table at the end of a log: name -> [calls, errors]. */
export function tableCounts(text: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const l of text.split('\n')) {
    const m = /^ *\d+\.\d+ +\d+\.\d+ +\d+ +(\d+) +(?:(\d+) +)?(\w+)$/.exec(l);
    if (m && m[3] !== 'total') out.set(m[3], [Number(m[1]), Number(m[2] ?? 0)]);
  }
  return out;
}

/**
 * The log's trace lines with each split call as one line (its halves joined, placed where it
 * completed), the way a whole call is written.
 */
export function joinedLines(lines: string[]): string[] {
  const open = new Map<number, string>();
  const out: string[] = [];
  for (const l of lines) {
    const { kind } = lineName(l);
    if (kind === 'unfinished') open.set(linePid(l), l.slice(0, -' <unfinished ...>'.length));
    else if (kind === 'resumed' && open.has(linePid(l))) {
      out.push(open.get(linePid(l)) + l.replace(/^.*?<\.\.\. \w+ resumed>/, ''));
      open.delete(linePid(l));
    } else out.push(l);
  }
  return out;
}
