// The strace-compatible command line, end to end: options, output layout and exit statuses,
// checked against lines written out here (what strace 6.1 prints for the same calls).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';

import { fixturePath, repoRoot } from '../helpers/fixtures.js';
import { binPath, cliPath, tracePlain } from '../helpers/plain.js';
import { plainNoSuchPid } from '../helpers/confined.js';

const prog = fixturePath('plain_calls');
const OPEN_FAIL = 'openat(AT_FDCWD, "/nonexistent-systrace", O_RDONLY) = -1 ENOENT (No such file or directory)';

// A line left open by one process and finished after another's: "<unfinished ...>" / "<... NAME resumed>".
function joinHalves(lines: string[]): string[] {
  const open = new Map<string, string>();
  const out: string[] = [];
  for (const l of lines) {
    const pid = /^(\d+) +/.exec(l)?.[1] ?? '';
    if (l.endsWith(' <unfinished ...>')) {
      open.set(pid, l.slice(0, -' <unfinished ...>'.length));
      continue;
    }
    const resumed = /^\d+ +<\.\.\. \w+ resumed>(.*)$/.exec(l);
    if (resumed && open.has(pid)) {
      out.push(open.get(pid) + resumed[1]);
      open.delete(pid);
    } else out.push(l);
  }
  return out;
}

function run(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

describe('--plain output', () => {
  test('aligns return values at column 40 and prints failures with errno and text', async () => {
    const { lines, status } = await tracePlain(['-e', 'trace=openat,write,close'], [prog]);
    assert.equal(status, 0);
    assert.ok(lines.includes(OPEN_FAIL), lines.join('\n'));
    assert.ok(lines.includes('openat(AT_FDCWD, "/dev/null", O_WRONLY) = 3'));
    assert.ok(lines.includes('write(3, "hello world", 11)             = 11'));
    assert.ok(lines.includes('close(3)                                = 0'));
    assert.equal(lines.at(-1), '+++ exited with 0 +++');
  });

  test('-a moves the alignment column', async () => {
    const { lines } = await tracePlain(['-a', '12', '-e', 'trace=close'], [prog]);
    assert.ok(lines.includes('close(3)    = 0'), lines.join('\n'));
  });

  test('-Z and -e status=failed keep only failed calls; -z only successful ones', async () => {
    for (const opt of [['-Z'], ['-e', 'status=failed']]) {
      const { lines } = await tracePlain([...opt, '-e', 'trace=openat'], [prog]);
      assert.deepEqual(lines.filter((l) => l.startsWith('openat(')), [OPEN_FAIL]);
    }
    const { lines } = await tracePlain(['-z', '-e', 'trace=openat'], [prog]);
    assert.ok(lines.includes('openat(AT_FDCWD, "/dev/null", O_WRONLY) = 3'));
    assert.ok(!lines.includes(OPEN_FAIL));
  });

  test('-y names descriptors and -s truncates strings', async () => {
    const { lines } = await tracePlain(['-y', '-s', '5', '-e', 'trace=write'], [prog]);
    assert.ok(lines.includes('write(3</dev/null>, "hello"..., 11)     = 11'), lines.join('\n'));
  });

  test('-P keeps only calls that touch the path, by name or by descriptor', async () => {
    const { lines } = await tracePlain(['-P', '/dev/null'], [prog]);
    const calls = lines.filter((l) => !l.startsWith('+++') && !l.startsWith('---')).map((l) => l.replace(/\(.*/, ''));
    assert.deepEqual(calls, ['openat', 'write', 'close']);
  });

  test('-T appends the time spent; -tt, -ttt and -r prefix times', async () => {
    let { lines } = await tracePlain(['-T', '-e', 'trace=close'], [prog]);
    assert.match(lines[0], /^close\(3\) {32}= 0 <\d+\.\d{6}>$/);
    ({ lines } = await tracePlain(['-tt', '-e', 'trace=close'], [prog]));
    assert.match(lines[0], /^\d\d:\d\d:\d\d\.\d{6} close\(3\) +?= 0$/);
    ({ lines } = await tracePlain(['-ttt', '-e', 'trace=close'], [prog]));
    assert.match(lines[0], /^\d{10}\.\d{6} close\(3\) +?= 0$/);
    ({ lines } = await tracePlain(['-r', '-e', 'trace=close'], [prog]));
    assert.match(lines[0], /^ +\d+\.\d{6} close\(3\) +?= 0$/);
  });

  test('-f follows the child and prefixes every line with its pid', async () => {
    const { lines } = await tracePlain(['-f', '-e', 'trace=exit_group,wait4'], [prog]);
    assert.ok(lines.every((l) => /^\d+ {1,5}/.test(l)), lines.join('\n'));
    // Which of the two processes prints first depends on scheduling, and a line finished after
    // another process's is aligned from its resumed half: compare without the alignment.
    const bodies = joinHalves(lines).map((l) => l.replace(/^\d+ +/, '').replace(/ +=/, ' ='));
    assert.ok(bodies.includes('exit_group(3) = ?'), bodies.join('\n'));
    assert.ok(bodies.includes('+++ exited with 3 +++'));
    assert.ok(bodies.some((b) => /^wait4\(\d+, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 3\}\], 0, NULL\) = \d+$/.test(b)), bodies.join('\n'));
  });

  test('-ff writes one file per process, without prefixes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'systrace-ff-'));
    try {
      const r = await run(['--plain', '-ff', '-o', join(dir, 'log'), '-e', 'trace=exit_group', '--', prog]);
      assert.equal(r.code, 0, r.stderr);
      const files = readdirSync(dir).sort();
      assert.equal(files.length, 2);
      assert.ok(files.every((f) => /^log\.\d+$/.test(f)));
      const texts = files.map((f) => readFileSync(join(dir, f), 'utf8')).sort();
      assert.equal(texts[1], 'exit_group(3)                           = ?\n+++ exited with 3 +++\n');
      assert.match(texts[0], /^--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=\d+, si_uid=\d+, si_status=3, si_utime=\d+, si_stime=\d+\} ---\nexit_group\(0\) {27}= \?\n\+\+\+ exited with 0 \+\+\+\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('-c prints the summary table instead of the calls; -C prints both', async () => {
    const { lines } = await tracePlain(['-c', '-e', 'trace=openat,close'], [prog]);
    assert.equal(lines[0], '% time     seconds  usecs/call     calls    errors syscall');
    assert.equal(lines[1], '------ ----------- ----------- --------- --------- ----------------');
    const row = (name: string) => lines.find((l) => l.endsWith(` ${name}`))?.trim().split(/\s+/);
    // The C library opens and closes a few files of its own before main().
    const openat = row('openat')!;
    const close = row('close')!;
    const total = row('total')!;
    assert.equal(openat.length, 6, 'calls and errors columns');
    assert.equal(openat[4], '1');
    assert.equal(close.length, 5, 'no errors column value');
    assert.equal(total[0], '100.00');
    assert.equal(Number(total[3]), Number(openat[3]) + Number(close[3]));
    assert.equal(total[4], '1');
    assert.ok(!lines.some((l) => l.startsWith('openat(')));
    const both = await tracePlain(['-C', '-e', 'trace=openat,close'], [prog]);
    assert.ok(both.lines.includes(OPEN_FAIL));
    assert.ok(both.lines.some((l) => l.endsWith(' total')));
  });

  test('a seccomp-filtered launch prints the same lines as a full one', async () => {
    const a = await tracePlain(['-f', '-e', 'trace=openat,wait4'], [prog]);
    const b = await tracePlain(['-f', '--no-seccomp', '-e', 'trace=openat,wait4'], [prog]);
    // The pid column is padded to 5 (strace's "%-5d "): its spaces depend on the pid's digits.
    const strip = (ls: string[]) => joinHalves(ls).map((l) => l.replace(/^\d+ +/, 'N ').replace(/\d+/g, 'N').replace(/ +=/, ' =')).sort();
    assert.deepEqual(strip(a.lines), strip(b.lines));
    assert.ok(a.lines.some((l) => l.includes(OPEN_FAIL)));
  });
});

describe('--plain environment and output file', () => {
  test('-E sets and removes variables of the command\'s environment', async () => {
    const r = await run(['--plain', '-o', '/dev/null', '-E', 'SYSTRACE_X=set', '-E', 'HOME', '--', 'sh', '-c', 'echo "$SYSTRACE_X ${HOME-unset}"']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'set unset\n');
  });

  test('-A appends to -o FILE instead of truncating it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'systrace-append-'));
    try {
      const log = join(dir, 'log');
      for (const extra of [[], ['-A']]) {
        const r = await run(['--plain', ...extra, '-o', log, '-e', 'trace=close', '--', prog]);
        assert.equal(r.code, 0, r.stderr);
      }
      const exits = readFileSync(log, 'utf8').split('\n').filter((l) => l === '+++ exited with 0 +++');
      assert.equal(exits.length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--plain exit status', () => {
  test('is the command\'s exit code', async () => {
    assert.equal((await tracePlain(['-e', 'trace=none'], [prog, '5'])).status, 5);
  });

  test('dies of the signal the command died of', async () => {
    const r = await run(['--plain', '-o', '/dev/null', '--', prog, 'term']);
    assert.equal(r.signal, 'SIGTERM');
  });
});

describe('--plain bad input: one line, exit 1, no stack trace', () => {
  const cases: Array<[string[], string | RegExp]> = [
    [['--plain', '-e', 'trace=opn', '--', prog], "systrace-tui: invalid system call 'opn'"],
    [['--plain', '-e', 'trace=%foo', '--', prog], "systrace-tui: invalid system call '%foo'"],
    [['--plain', '-e', 'status=bogus', '--', prog], "systrace-tui: invalid status 'bogus'"],
    [['--plain', '-e', 'signal=FOO', '--', prog], "systrace-tui: invalid signal 'FOO'"],
    [['--plain', '-s', 'abc', '--', prog], "systrace-tui: invalid -s argument: 'abc'"],
    [['--plain', '-o'], "systrace-tui: option requires an argument -- 'o'"],
    [['--plain', '-Q', prog], "systrace-tui: invalid option -- 'Q'"],
    [['--plain'], 'systrace-tui: must have PROG [ARGS] or -p PID'],
    [['--plain', '-p', 'abc'], "systrace-tui: Invalid process id: 'abc'"],
    [['--plain', '-p', '999999999'], plainNoSuchPid(999999999)],
    [['--plain', '--', 'no-such-command-xyz'], 'systrace-tui: command not found: no-such-command-xyz'],
    [['--plain', '-u', 'no-such-user-xyz', prog], "systrace-tui: Cannot find user 'no-such-user-xyz'"],
    [['--plain', '-e', 'read=x', prog], "systrace-tui: invalid descriptor 'x'"],
    [['--plain', '-X', 'short', prog], "systrace-tui: invalid -X argument: 'short'"],
    [['--plain', '--const-print-style=short', prog], "systrace-tui: invalid --const-print-style argument: 'short'"],
    [['--plain', '--summ', prog], "systrace-tui: option '--summ' is ambiguous; possibilities: '--summary-only' '--summary' '--summary-syscall-overhead' '--summary-sort-by' '--summary-columns' '--summary-wall-clock'"],
    [['--plain', '--help=x', prog], "systrace-tui: option '--help' doesn't allow an argument"],
    [['--plain', '-e', 'inject=openat', prog], "systrace-tui: invalid inject argument 'openat'"],
    [['--plain', '-e', 'fault=openat:when=0', prog], "systrace-tui: invalid fault argument 'openat:when=0'"],
    [['--plain', '-e', 'fault=openat:error=', prog], "systrace-tui: invalid fault argument 'openat:error='"],
    [['--plain', '-e', 'trace=open@65', prog], "systrace-tui: incorrect personality designator '65' in qualification 'open@65'"],
    [['--plain', '-DDDD', prog], "systrace-tui: Too many -D's (4), maximum supported -D count is 3"],
    [['--plain', '-b', 'exec', prog], "systrace-tui: Syscall 'exec' for -b isn't supported"],
    [['--plain', '-w', prog], 'systrace-tui: -w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)'],
    [['--plain', ' '.repeat(4096)], 'systrace-tui: exec: File name too long'],
    [['--plain', '-ff', '-o', `/tmp/${'x'.repeat(4080)}`, prog], `systrace-tui: /tmp/${'x'.repeat(4080)}: File name too long`],
  ];
  for (const [args, first] of cases) {
    test(args.slice(1).join(' ') || '(nothing)', async () => {
      const r = await run(args);
      assert.equal(r.code, 1);
      const lines = r.stderr.trimEnd().split('\n');
      if (typeof first === 'string') assert.equal(lines[0], first);
      else assert.match(lines[0], first);
      assert.ok(lines.length <= 2 && !/\n\s+at /.test(r.stderr), r.stderr);
    });
  }
});

describe('-h', () => {
  test('groups the options under the README\'s headings, in its order', async () => {
    const help = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [cliPath, '-h'], (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    // A heading: a line at column 0 ending in ':' (Usage excepted).
    const groups = help.split('\n').filter((l) => /^\S.*:$/.test(l)).map((l) => l.slice(0, -1));
    assert.deepEqual(groups, ['The terminal UI (the default; ? in it lists every key)', 'Hung processes', 'strace-compatible (--plain)', 'Logs: load, save, export', 'General']);
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const headings = readme.split('\n').filter((l) => /^#{2,3} /.test(l)).map((l) => l.replace(/^#+ /, ''));
    // each group but General is a README heading (the first up to its parenthesis), in the same order
    const at = groups.slice(0, -1).map((g) => headings.indexOf(g.startsWith('The terminal UI') ? 'The terminal UI' : g));
    assert.ok(at.every((i) => i >= 0), `${JSON.stringify(groups)} in ${JSON.stringify(headings)}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at);
    // every option a README example uses is in the help
    const examples = readme.slice(readme.indexOf('## Use'), readme.indexOf('### The terminal UI'));
    for (const opt of new Set(examples.match(/ --?[a-zA-Z][\w-]*/g) ?? [])) assert.ok(help.includes(opt.trim()), opt);
    // and no line is wider than a terminal of 100 columns
    for (const l of help.split('\n')) assert.ok(l.length <= 100, l);
  });
});

test('--plain: what strace warns of before a usage error is printed before it, as strace prints it', async () => {
  const r = await run(['--plain', '-q', '--quiet', '-P', '///', '-P/.', '.']);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'systrace-tui: Requested path "///" resolved into "/"\n' +
      'systrace-tui: Requested path "/." resolved into "/"\n' +
      'systrace-tui: -q and -e quiet/--quiet cannot be provided simultaneously\n',
  );
});

describe('run as strace: a link named strace to the bin', () => {
  // A drop-in strace: --plain goes without saying, and messages start with the name we were run by,
  // as strace's start with its argv[0] (the path, or the bare name when PATH found it).
  const dir = mkdtempSync(join(tmpdir(), 'as-strace-'));
  const link = join(dir, 'strace');
  symlinkSync(binPath, link);
  after(() => rmSync(dir, { recursive: true, force: true }));
  const nodeDir = dirname(process.execPath);
  const runAs = (file: string, args: string[], path: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(file, args, { env: { ...process.env, PATH: path }, timeout: 30_000 }, (err, stdout, stderr) => {
        const e = err as (Error & { code?: number }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr });
      });
    });
  test('by its path: the usage error starts with that path, the hint too', async () => {
    const r = await runAs(link, ['-p', '0'], `${nodeDir}:/usr/bin:/bin`);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `${link}: Invalid process id: '0'\n`);
  });
  test('found in PATH: the bare name, in the engine\'s messages too (an -o file that cannot be written)', async () => {
    // One line to write (+++ exited with 0 +++), one message: strace's for each line it could not write.
    const r = await runAs('strace', ['-o', '/dev/full', '-e', 'trace=none', fixturePath('plain_launch'), 'done'], `${dir}:${nodeDir}:/usr/bin:/bin`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'strace: /dev/full: No space left on device\n');
  });
  test('our comm is the name we were run by, as a native strace\'s: what -Y prints for the command\'s parent', async () => {
    const child = execFile(link, ['-Y', '-e', 'trace=getppid', fixturePath('plain_launch'), 'parent'], { env: { ...process.env, PATH: `${nodeDir}:/usr/bin:/bin` } });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    // The launcher execs node in its own process: the pid execFile gave is ours.
    assert.deepEqual(stderr.split('\n').slice(0, 2), [`getppid()                               = ${child.pid}<strace>`, '+++ exited with 0 +++']);
  });
});
