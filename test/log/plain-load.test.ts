// --plain --load: logs written by the real strace 6.1 in every format it has, read back. The
// re-print without filters is the log's trace lines; with filters, the lines that match, as read
// here independently; -c gives the counts of the log (those of strace's own -C table when it has one).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { cli, joinedLines, lineName, linePid, scratchDir, SECRET, straceLog, tableCounts, traceLines, withoutHex, type StraceLog } from './helpers.js';

const FORMATS: { name: string; options: string[]; mode?: 'o' | 'stderr' | 'ff' }[] = [
  { name: 'one process, no pids', options: [] },
  { name: '-f: `PID ` prefixes', options: ['-f'] },
  { name: '-f -t', options: ['-f', '-t'] },
  { name: '-f -tt -T', options: ['-f', '-tt', '-T'] },
  { name: '-f -ttt', options: ['-f', '-ttt'] },
  { name: '-f -r', options: ['-f', '-r'] },
  { name: '-f -ttt -r', options: ['-f', '-ttt', '-r'] },
  { name: '-f -y', options: ['-f', '-y'] },
  { name: '-f -yy -v', options: ['-f', '-yy', '-v'] },
  { name: '-f -x', options: ['-f', '-x'] },
  { name: '-f -xx -Y', options: ['-f', '-xx', '-Y'] },
  { name: '-f -C: a -c table appended', options: ['-f', '-C'] },
  { name: 'stderr: `[pid N]` prefixes and notes cut into lines', options: ['-f'], mode: 'stderr' },
  { name: 'stderr -f -tt -T', options: ['-f', '-tt', '-T'], mode: 'stderr' },
];

/** Lines whose call is in `names`, with every signal and exit line. */
function matching(lines: string[], names: Set<string>): string[] {
  return lines.filter((l) => {
    const { kind, name } = lineName(l);
    return kind === 'signal' || kind === 'exit' || names.has(name);
  });
}

/** Calls per name as the log shows them: each call once, those that never returned (`= ?`) not at all. */
function callCounts(lines: string[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const l of lines) {
    const { kind, name } = lineName(l);
    if ((kind !== 'call' && kind !== 'resumed') || / = \?(?: <[\d.]+>)?$/.test(l)) continue;
    const c = out.get(name) ?? [0, 0];
    c[0]++;
    if (/ = (?:-1|\?) E[A-Z]+/.test(l)) c[1]++;
    out.set(name, c);
  }
  return out;
}

/** Our -c table's rows: name -> [calls, errors]. */
function ourCounts(stdout: string): Map<string, [number, number]> {
  return tableCounts(stdout);
}

const outLines = (s: string) => s.split('\n').filter((l, i, a) => l !== '' || i < a.length - 1);

describe('--plain --load: every format strace writes', () => {
  for (const f of FORMATS) {
    describe(f.name, () => {
      let log: StraceLog;
      it('reads back: without filters, the trace lines of the log, unchanged', async () => {
        log = straceLog(f.options, `fmt${process.pid}`, f.mode);
        const r = await cli(['--plain', '--load', log.path]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.deepEqual(outLines(r.stdout), traceLines(log.text));
      });
      it('-e trace=SET: the lines of those calls (both halves of split ones), signals and exits', async () => {
        const set = ['read', 'write', 'openat', 'clone3', 'futex'];
        const r = await cli(['--plain', '--load', log.path, '-e', `trace=${set.join(',')}`]);
        assert.equal(r.status, 0, r.stderr);
        const want = matching(traceLines(log.text), new Set(set));
        assert.ok(want.some((l) => lineName(l).kind === 'unfinished') || !f.options.includes('-f'), 'the log has split lines');
        assert.deepEqual(outLines(r.stdout), want);
      });
      it('-c: the counts of the log', async () => {
        const r = await cli(['--plain', '--load', log.path, '-c']);
        assert.equal(r.status, 0, r.stderr);
        const want = f.options.includes('-C') ? tableCounts(log.text) : callCounts(traceLines(log.text));
        assert.ok(want.size > 10);
        assert.deepEqual(ourCounts(r.stdout), want);
        assert.match(r.stdout, /^% time +seconds +usecs\/call +calls +errors syscall\n/);
      });
    });
  }

  it('a -ff set given as its prefix: every file, each line with its pid, in time order', async () => {
    const log = straceLog(['-tt'], `ff${process.pid}`, 'ff');
    const r = await cli(['--plain', '--load', log.path]);
    assert.equal(r.status, 0, r.stderr);
    const lines = outLines(r.stdout);
    const pids = new Set(lines.map(linePid));
    assert.equal(pids.size, 3, 'the process, its thread and its child');
    const stripped = lines.map((l) => l.replace(/^\d+ +/, '')).sort();
    assert.deepEqual(stripped, traceLines(log.text).sort());
    const times = lines.map((l) => /^\d+ +(\d\d:\d\d:\d\d\.\d+)/.exec(l)![1]);
    assert.deepEqual(times, [...times].sort(), 'merged by time');
    const c = await cli(['--plain', '--load', log.path, '-c']);
    assert.deepEqual(ourCounts(c.stdout), callCounts(traceLines(log.text)));
  });
});

describe('--plain --load: a log of strace -c alone (the table, no trace lines)', () => {
  it('-c prints the counts of its table; without -c there is no line to re-print', async () => {
    const log = straceLog(['-f', '-c'], `tbl${process.pid}`);
    const want = tableCounts(log.text);
    assert.ok(want.size > 10 && [...want.values()].some(([, errors]) => errors > 0));
    const c = await cli(['--plain', '--load', log.path, '-c']);
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(ourCounts(c.stdout), want);
    const r = await cli(['--plain', '--load', log.path]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
  });
});

describe('--plain --load: filters', () => {
  let log: StraceLog;
  const tag = `flt${process.pid}`;
  it('-Z: failed calls only (and signals, exits), as strace -Z prints them', async () => {
    log = straceLog(['-f', '-tt'], tag);
    const r = await cli(['--plain', '--load', log.path, '-Z']);
    // A failed call split in two (another thread printed between its halves) keeps both lines,
    // printed where its result is known.
    const want: string[] = [];
    const open = new Map<number, string>();
    for (const l of traceLines(log.text)) {
      const { kind } = lineName(l);
      if (kind === 'unfinished') open.set(linePid(l), l);
      else if (kind === 'resumed') {
        const first = open.get(linePid(l));
        open.delete(linePid(l));
        if (/ = -1 E/.test(l)) want.push(first!, l);
      } else if (kind === 'signal' || kind === 'exit' || (kind === 'call' && / = -1 E/.test(l))) want.push(l);
    }
    assert.deepEqual(outLines(r.stdout), want);
    assert.ok(want.some((l) => l.includes(`/nonexistent-${tag}/file`)));
  });
  it('-z: successful calls; a split call that succeeded keeps both lines, printed together', async () => {
    const r = await cli(['--plain', '--load', log.path, '-z']);
    const lines = outLines(r.stdout);
    assert.ok(!lines.some((l) => / = -1 E/.test(l)));
    assert.ok(!lines.some((l) => / = \?$/.test(l)), 'exit calls never returned: not successful');
    for (let i = 0; i < lines.length; i++) {
      const { kind, name } = lineName(lines[i]);
      if (kind !== 'unfinished') continue;
      const next = lineName(lines[i + 1] ?? '');
      assert.equal(next.kind, 'resumed', lines[i]);
      assert.equal(next.name, name);
      assert.equal(linePid(lines[i + 1]), linePid(lines[i]));
    }
    const all = traceLines(log.text);
    assert.deepEqual([...lines].sort(), all.filter((l) => lines.includes(l)).sort(), 'lines unchanged');
    assert.ok(lines.some((l) => l.includes(`read(3,  <unfinished ...>`)));
  });
  it('-e status=unfinished: the calls that never returned', async () => {
    const r = await cli(['--plain', '--load', log.path, '-e', 'status=unfinished', '-e', 'signal=none', '-qq']);
    assert.deepEqual(
      joinedLines(outLines(r.stdout)).map((l) => lineName(l).name),
      ['exit', 'exit_group', 'exit_group'],
    );
  });
  it('-P PATH: calls naming the path, and those on descriptors opened on it', async () => {
    const r = await cli(['--plain', '--load', log.path, '-P', '/dev/null', '-e', 'signal=none', '-qq']);
    const calls = outLines(r.stdout).map((l) => lineName(l).name);
    assert.deepEqual(calls, ['openat', 'write', 'close']);
  });
  it('-e signal=SET keeps those signals; -qq drops the exit lines', async () => {
    const r = await cli(['--plain', '--load', log.path, '-e', 'trace=none', '-e', 'signal=SIGCHLD', '-qq']);
    const lines = outLines(r.stdout);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, .*si_status=3/);
  });
  it('-o FILE writes the lines there', async () => {
    const out = join(log.dir, 'out.txt');
    const r = await cli(['--plain', '--load', log.path, '-e', 'trace=kill', '-o', out]);
    assert.equal(r.stdout, '');
    const { readFileSync, statSync } = await import('node:fs');
    assert.match(readFileSync(out, 'utf8'), /kill\(\d+, SIGUSR1\) += 0/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
  });
  it('--redact: no byte of any string is left', async () => {
    const v = straceLog(['-f', '-v', '-s', '200', '-yy'], tag);
    assert.ok(v.text.includes(SECRET));
    const r = await cli(['--plain', '--load', v.path, '--redact']);
    assert.equal(r.status, 0, r.stderr);
    const lines = outLines(r.stdout);
    assert.equal(lines.length, traceLines(v.text).length);
    for (const l of lines) {
      for (const s of l.matchAll(/"((?:[^"\\]|\\.)*)"/g)) assert.ok(s[1] === '...' || s[1] === '', l); // "" shows nothing
      assert.doesNotMatch(l, /<\/[^>"]/, l); // -y paths
    }
    assert.ok(!r.stdout.includes('SECRET') && !r.stdout.includes('0123456789-abc'));
    assert.ok(!withoutHex(r.stdout).includes('caf') && !r.stdout.includes('log_calls'));
    assert.ok(r.stdout.includes('write(4<pipe:['), 'descriptors that are not paths are kept');
    // (either may be split by another thread's line on a busy machine)
    assert.match(r.stdout, /write\(4<pipe:\[\d+\]>, "\.\.\."<71 bytes>, 71(?:\) += 71| <unfinished)/);
    assert.match(r.stdout, /<\.\.\. read resumed>"\.\.\."<71 bytes>, 128\) += 71/);
    assert.match(r.stdout, /openat\(AT_FDCWD<"\.\.\."<\d+ bytes>>, "\.\.\."<\d+ bytes>, O_RDONLY(?:\) = -1 ENOENT| <unfinished)/);
  });
});

describe('--plain --load: a call strace had no name for', () => {
  it('passes every -e trace= set, as a live trace shows it', async () => {
    const f = join(scratchDir(), 'unnamed.log');
    writeFileSync(f, ['getpid() = 7', 'syscall_0x1f4(0x1, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)', '+++ exited with 0 +++', ''].join('\n'));
    const r = await cli(['--plain', '--load', f, '-e', 'trace=none', '-qq']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(outLines(r.stdout), ['syscall_0x1f4(0x1, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)']);
  });
});

describe('--plain --load: bad input', () => {
  it('a file that is not a strace log: one line naming the line, exit 1', async () => {
    const dir = scratchDir();
    const f = join(dir, 'notes.txt');
    writeFileSync(f, 'hello world\nthis is not strace\n');
    const r = await cli(['--plain', '--load', f]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `systrace-tui: ${f}:1: not a strace log: cannot read "hello world" (0 lines read)\n`);
    const binary = await cli(['--plain', '--load', fixturePath('log_calls')]);
    assert.equal(binary.status, 1);
    assert.match(binary.stderr, /^systrace-tui: \S+:1: not a strace log: cannot read "\\x7fELF\\x02\\x01\\x01[^\n]*\(0 lines read\)\n$/);
    assert.ok(binary.stderr.length < 400, 'a binary line is quoted short, its bytes as \\xNN');
    const missing = await cli(['--plain', '--load', join(dir, 'nope')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^systrace-tui: cannot read .*nope: no such file \(nor a -ff set .*nope\.PID\)\n$/);
  });
  it('lines mixed in by the program are skipped and counted; a cut last line is printed and said to be cut', async () => {
    const log = straceLog(['-f'], `bad${process.pid}`);
    const lines = traceLines(log.text);
    const mixed = [...lines.slice(0, 5), 'program output', ...lines.slice(5, -1), lines.at(-1)!.slice(0, 9)].join('\n');
    const f = join(log.dir, 'mixed.log');
    writeFileSync(f, mixed, 'latin1');
    const r = await cli(['--plain', '--load', f]);
    assert.equal(r.status, 0);
    const out = outLines(r.stdout);
    assert.deepEqual(out.slice(0, -1), lines.slice(0, -1));
    assert.equal(out.at(-1), lines.at(-1)!.slice(0, 9));
    assert.deepEqual(r.stderr.split('\n').slice(0, -1), [
      `systrace-tui: ${f}: 1 line is not strace output and was skipped (first: line 6, "program output")`,
      `systrace-tui: ${f}:${lines.length + 1}: the last line is cut short (truncated): ${JSON.stringify(lines.at(-1)!.slice(0, 9))}`,
    ]);
  });
});
