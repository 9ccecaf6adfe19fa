// strace 6.1's options beyond the basics, each against the line strace prints for the same call:
// -X, -e inject=/fault= with when=, -e read=/write=, -e trace= forms, the leaders of -n -i -Y and
// the timestamp precisions, and strace's own messages for combinations it refuses or warns about.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, test } from 'node:test';

import { native } from '../../src/engine/native.js';
import { TraceSession } from '../../src/engine/session.js';
import { eventsFromBatch } from '../../src/engine/trace-batch.js';
import type { TraceEvent } from '../../src/engine/types.js';
import { syscallSet } from '../../src/plain/qualify.js';
import { fixturePath } from '../helpers/fixtures.js';
import { cliPath, tracePlain } from '../helpers/plain.js';

const prog = fixturePath('plain_options');

function run(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

describe('-X: constants as names, numbers, or both', () => {
  const OPEN = /^openat\(.*"\/dev\/null".*$/;
  test('abbrev (the default) prints the names', async () => {
    const { lines } = await tracePlain(['-X', 'abbrev', '-e', 'trace=openat'], [prog]);
    assert.ok(lines.includes('openat(AT_FDCWD, "/dev/null", O_RDONLY|O_CLOEXEC) = 5'), lines.join('\n'));
  });
  test('raw prints the numbers, verbose the numbers and then the names in a comment', async () => {
    let { lines } = await tracePlain(['-Xraw', '-e', 'trace=openat,mmap'], [prog]);
    assert.deepEqual(lines.filter((l) => OPEN.test(l)), ['openat(-100, "/dev/null", 0x80000)      = 5']);
    assert.ok(lines.some((l) => /^mmap\(NULL, 4096, 0x3, 0x22, -1, 0\) += 0x[0-9a-f]+$/.test(l)), lines.join('\n'));
    ({ lines } = await tracePlain(['--const-print-style=verbose', '-e', 'trace=openat,mmap'], [prog]));
    assert.deepEqual(lines.filter((l) => OPEN.test(l)), ['openat(-100 /* AT_FDCWD */, "/dev/null", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 5']);
    assert.ok(
      lines.some((l) => /^mmap\(NULL, 4096, 0x3 \/\* PROT_READ\|PROT_WRITE \*\/, 0x22 \/\* MAP_PRIVATE\|MAP_ANONYMOUS \*\/, -1, 0\) = 0x[0-9a-f]+$/.test(l)),
      lines.join('\n'),
    );
  });
});

describe('-e inject= and -e fault=', () => {
  const ZERO = /^openat\(AT_FDCWD, "\/dev\/zero", O_RDONLY\) += (.*)$/;
  test('fault= fails the calls of when= with the error, marked (INJECTED)', async () => {
    const r = await tracePlain(['-e', 'trace=openat', '-e', 'fault=openat:error=EACCES:when=7..8'], [prog]);
    const results = r.lines.filter((l) => ZERO.test(l)).map((l) => ZERO.exec(l)![1]);
    // the loader's two opens and the fixture's /dev/null open come first: calls 4..7 are /dev/zero
    // (on fd 5: the pipe has 3 and 4)
    assert.deepEqual(results, ['5', '5', '5', '-1 EACCES (Permission denied) (INJECTED)']);
    assert.equal(r.stdout, 'failed=1\n');
  });
  test('fault= without error= is ENOSYS; when=N+ goes on from the N-th call', async () => {
    const r = await tracePlain(['-e', 'trace=openat', '-e', 'fault=openat:when=6+'], [prog]);
    const results = r.lines.filter((l) => ZERO.test(l)).map((l) => ZERO.exec(l)![1]);
    assert.deepEqual(results, ['5', '5', '-1 ENOSYS (Function not implemented) (INJECTED)', '-1 ENOSYS (Function not implemented) (INJECTED)']);
    assert.equal(r.stdout, 'failed=2\n');
  });
  test('inject=...:retval= returns the value without running the call; N+S steps', async () => {
    const r = await tracePlain(['-e', 'trace=getppid,openat', '-e', 'inject=getppid:retval=42', '-e', 'inject=openat:error=ENOENT:when=4+2'], [prog]);
    assert.ok(r.lines.includes('getppid()                               = 42 (INJECTED)'), r.lines.join('\n'));
    const results = r.lines.filter((l) => ZERO.test(l)).map((l) => ZERO.exec(l)![1]);
    assert.deepEqual(results, ['-1 ENOENT (No such file or directory) (INJECTED)', '5', '-1 ENOENT (No such file or directory) (INJECTED)', '5']);
  });
  test('signal= delivers the signal as the call is entered', async () => {
    const r = await run(['--plain', '-e', 'trace=getppid', '-e', 'inject=getppid:signal=SIGUSR1:error=EPERM', prog]);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'getppid()                               = -1 EPERM (Operation not permitted) (INJECTED)',
      '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---',
      '+++ killed by SIGUSR1 +++',
    ]);
    assert.equal(r.signal, 'SIGUSR1');
  });
  test('delay_enter= holds the thread and marks the call (DELAYED)', async () => {
    const r = await tracePlain(['-T', '-e', 'trace=getppid', '-e', 'inject=getppid:delay_enter=200ms'], [prog]);
    const m = /^getppid\(\) += \d+ \(DELAYED\) <(\d+\.\d+)>$/.exec(r.lines[0]);
    assert.ok(m, r.lines.join('\n'));
  });
});

describe('-e read= and -e write=', () => {
  test('dump the data of the chosen descriptors in hex after the call', async () => {
    const { lines } = await tracePlain(['-e', 'trace=read,write', '-e', 'read=3', '-e', 'write=4'], [prog]);
    const at = lines.findIndex((l) => l.startsWith('write(4, '));
    assert.deepEqual(lines.slice(at, at + 6), [
      'write(4, "systrace: dump me\\n", 18)     = 18',
      ' | 00000  73 79 73 74 72 61 63 65  3a 20 64 75 6d 70 20 6d  systrace: dump m |',
      ' | 00010  65 0a                                             e.               |',
      'read(3, "systrace: dump me\\n", 64)      = 18',
      ' | 00000  73 79 73 74 72 61 63 65  3a 20 64 75 6d 70 20 6d  systrace: dump m |',
      ' | 00010  65 0a                                             e.               |',
    ]);
  });
});

describe('-c: the summary table as strace lays it out', () => {
  test('-U picks and orders the columns, -S sorts, the name column closes each line', async () => {
    const { lines } = await tracePlain(['-c', '-U', 'name,calls,errors', '-S', 'name', '-e', 'trace=openat,getppid,close'], [prog]);
    assert.deepEqual(lines.slice(0, 2), ['syscall              calls    errors', '---------------- --------- ---------']);
    const names = lines.slice(2, -2).map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(names, ['close', 'getppid', 'openat']);
    assert.match(lines.at(-1)!, /^total +\d+ +$/);
  });
  test('nothing at all when no call was counted', async () => {
    const { lines } = await tracePlain(['-c', '-e', 'trace=mmap2'], [prog]);
    assert.deepEqual(lines, []);
  });
});

describe('-Y: process names after pids', () => {
  test('in the leader, in pid arguments and results, in signal senders', async () => {
    const { lines } = await tracePlain(['-f', '-Y', '-e', 'trace=getppid'], [prog]);
    assert.match(lines[0], /^\d+<plain_options> getppid\(\) += \d+<node>$/);
  });
});

describe('-k: a stack trace after each call', () => {
  test('names the frames of the program and of libc, innermost first', async () => {
    if (!native().stackTracesSupported) {
      const r = await run(['--plain', '-k', prog]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^systrace-tui: Stack traces \(-k\/--stack-traces option\) are not supported by this build/);
      return;
    }
    const { lines } = await tracePlain(['-k', '-e', 'trace=getppid'], [prog]);
    const at = lines.findIndex((l) => l.startsWith('getppid()'));
    const frames = lines.slice(at + 1).filter((l) => l.startsWith(' > '));
    assert.ok(frames.length >= 3, lines.join('\n'));
    assert.match(frames[0], /^ > \/.*libc\.so\.6\(getppid\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$/);
    assert.match(frames[1], /^ > \/.*\/plain_options\(main\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$/);
    assert.equal(lines.at(-1), '+++ exited with 0 +++');
  });
  test('the TUI\'s records carry the same stack (its row details show it)', async (t) => {
    if (!native().stackTracesSupported) return t.skip('built without libdw');
    const devnull = openSync('/dev/null', 'w');
    const session = TraceSession.launch([prog], { native: { stackTraces: true, traced: syscallSet('getppid') } }, { stdio: [-1, devnull, -1] });
    closeSync(devnull);
    const events: TraceEvent[] = [];
    for (;;) {
      const done = session.done;
      events.push(...eventsFromBatch(session.drainBatch()));
      if (done) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    session.detach();
    const call = events.find((e) => e.kind === 'syscall' && e.name === 'getppid');
    assert.ok(call && call.kind === 'syscall' && call.stack, `${events.length} events; getppid: ${call && 'text' in call ? call.text : 'none'}`);
    assert.match(call.stack!.split('\n')[1], /^ > \/.*\/plain_options\(main\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$/);
  });
});

describe('the command line as strace reads it', () => {
  test('long options, their unambiguous prefixes, and -e trace= with empty items', async () => {
    const { lines } = await tracePlain(['--trace=,getppid,,', '--string-lim=4', '--no-abb'], [prog]);
    assert.deepEqual(lines.slice(0, 1).map((l) => l.replace(/\d+$/, 'N')), ['getppid()                               = N']);
  });
  test('names of the other x86_64 personalities are accepted (mmap2 traces nothing here)', async () => {
    const { lines, status } = await tracePlain(['-e', 'trace=mmap2'], [prog]);
    assert.equal(status, 0);
    assert.deepEqual(lines, ['+++ exited with 0 +++']);
  });
  test('-n -i -Y -t -r: the leader of every line, in strace\'s order', async () => {
    const { lines } = await tracePlain(['-f', '-n', '-i', '-Y', '-t', '-r', '-e', 'trace=getppid'], [prog]);
    assert.match(lines[0], /^\d+<plain_options> \d\d:\d\d:\d\d \(\+ +\d+\.\d{6}\) \[ 110\] \[[0-9a-f]{16}\] getppid\(\) += \d+<node>$/);
    assert.match(lines[1], /^\d+<plain_options> \d\d:\d\d:\d\d \(\+ +\d+\.\d{6}\) \[ 231\] \[\?{16}\] \+\+\+ exited with 0 \+\+\+$/);
  });
  test('timestamps and durations take a precision', async () => {
    const { lines } = await tracePlain(['--timestamps=unix,ns', '--syscall-times=ms', '--relative-timestamps=s', '-e', 'trace=getppid'], [prog]);
    assert.match(lines[0], /^\d{10}\.\d{9} \(\+ +\d+\) getppid\(\) += \d+ <\d+\.\d{3}>$/);
  });
  test('warnings strace prints and goes on after', async () => {
    const r = await run(['--plain', '-S', 'calls', '-zZ', '-o', '/dev/null', '-e', 'trace=none', prog]);
    assert.equal(r.code, 0);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'systrace-tui: -S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)',
      'systrace-tui: Only the last of -z/--successful-only/-Z/--failed-only options will take effect. See status qualifier for more complex filters.',
    ]);
  });
});

describe('-e trace=: a number without a name is traced whatever the set, as strace does', () => {
  const unknownProg = fixturePath('plain_unknown_nr');
  const UNKNOWN = [
    'syscall_0x190(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)',
    'syscall_0x1f4(0xface0fedbadc0ded, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)',
  ];
  test('trace=none, and -d says so for each', async () => {
    const r = await tracePlain(['-d', '-e', 'trace=none'], [unknownProg]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.lines, [...UNKNOWN, '+++ exited with 0 +++']);
    const invalid = r.stderr.split('\n').filter((l) => l.includes('invalid syscall'));
    assert.deepEqual(invalid.map((l) => l.replace(/pid \d+/, 'pid N')), [
      'systrace-tui: pid N invalid syscall 0x190',
      'systrace-tui: pid N invalid syscall 0x1f4',
    ]);
  });
  test('under the seccomp filter a launched command gets with -f', async () => {
    const r = await tracePlain(['-f', '-e', 'trace=getpid'], [unknownProg]);
    assert.equal(r.status, 0, r.stderr);
    // -f with one process: strace's pid leader all the same.
    const lines = r.lines.map((l) => l.replace(/^\d+ +/, '').replace(/^getpid\(\) += \d+$/, 'getpid() = N'));
    assert.deepEqual(lines, [...UNKNOWN, 'getpid() = N', '+++ exited with 0 +++']);
  });
});

describe('-e verbose=: calls left out print their structures as addresses', () => {
  const verboseProg = fixturePath('plain_verbose');
  const ADDR = '0x[0-9a-f]+';
  test('verbose=none: argv, envp, the timespec and the capability header and sets are addresses', async () => {
    const { lines } = await tracePlain(['-e', 'verbose=none', '-e', 'trace=execve,nanosleep,capget'], [verboseProg]);
    const want = [
      new RegExp(`^execve\\("${verboseProg}", ${ADDR}, ${ADDR}\\) = 0$`),
      new RegExp(`^nanosleep\\(${ADDR}, NULL\\) += 0$`),
      new RegExp(`^capget\\(${ADDR}, ${ADDR}\\) += 0$`),
    ];
    assert.equal(lines.length, 4, lines.join('\n'));
    want.forEach((re, i) => assert.match(lines[i], re));
    assert.equal(lines[3], '+++ exited with 0 +++');
  });
  test('verbose=!nanosleep leaves the other calls decoded', async () => {
    const { lines } = await tracePlain(['-e', 'verbose=!nanosleep', '-e', 'trace=nanosleep,capget'], [verboseProg]);
    assert.match(lines[0], new RegExp(`^nanosleep\\(${ADDR}, NULL\\) += 0$`));
    assert.match(lines[1], /^capget\(\{version=_LINUX_CAPABILITY_VERSION_3, pid=0\}, \{effective=.*, permitted=.*, inheritable=.*\}\) = 0$/);
  });
});
