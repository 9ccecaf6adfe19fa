// The analysis over strace's own lines, as a loaded log gives them (no live process behind them):
// the same findings from the calls alone, with the evidence that needs the live system marked as
// not checked; events fed one by one or as a batch give the same result; the text readers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Analyzer } from '../../src/analysis/analyzer.js';
import { renderFindings } from '../../src/analysis/report.js';
import { callParts, fdArg, quoted, sockAddr, splitTop } from '../../src/analysis/strace-text.js';
import { batchFromEvents } from '../../src/engine/trace-batch.js';
import type { ExitEvent, SignalEvent, SyscallEvent, TraceEvent } from '../../src/engine/types.js';

// Syscall numbers only need to be consistent within a trace.
const NR: Record<string, number> = {};
let t = 1e9;

/** An event from one strace line (`PID line`), as a log loader would make it. */
function ev(line: string): TraceEvent {
  const m = /^(\d+) (.*)$/.exec(line)!;
  const pid = Number(m[1]);
  const text = m[2];
  t += 1e5;
  if (text.startsWith('+++')) {
    const code = Number(/exited with (\d+)/.exec(text)?.[1] ?? -1);
    const e: ExitEvent = { kind: 'exit', pid, tid: pid, code, signo: code < 0 ? 9 : 0, core: false, processGone: true, text, wallUs: 0, entryNs: t };
    return e;
  }
  if (text.startsWith('---')) {
    const name = /^--- (SIG\w+)/.exec(text)![1];
    const s: SignalEvent = { kind: 'signal', pid, tid: pid, signo: 13, name, text, wallUs: 0, entryNs: t };
    return s;
  }
  const p = callParts(text)!;
  const errno = /= -1 (E[A-Z]+)/.exec(text)?.[1] ?? '';
  const rval = errno ? -1 : Number(/^(-?\d+)/.exec(p.result)?.[1] ?? 0);
  const s: SyscallEvent = {
    kind: 'syscall',
    pid,
    tid: pid,
    nr: (NR[p.name] ??= Object.keys(NR).length),
    name: p.name,
    classes: 0,
    text,
    rval,
    errno,
    entryNs: t,
    exitNs: t + 1e4,
    wallUs: 0,
    args: [],
    unfinished: false,
  };
  return s;
}

const LOG = [
  '100 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3',
  '100 close(3) = 0',
  '100 ioctl(1, TCGETS, 0x7ffc9d1e8a40) = -1 ENOTTY (Inappropriate ioctl for device)',
  '100 openat(AT_FDCWD, "/srv/app/config.yml", O_RDONLY) = -1 EACCES (Permission denied)',
  '100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3',
  '100 connect(3, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("10.0.0.5")}, 16) = -1 ECONNREFUSED (Connection refused)',
  '100 write(2, "app: cannot connect to db\\n", 26) = 26',
  '100 exit_group(1) = ?',
  '100 +++ exited with 1 +++',
];

describe('analysis of a log (no live evidence)', () => {
  test('findings rest on the calls, and say what could not be checked', async () => {
    const a = new Analyzer({ evidence: null, noEvidenceReason: 'a loaded log: no live process to examine' });
    LOG.forEach((l, i) => a.feed(ev(l), i));
    a.finish();
    await a.settled();
    const text = renderFindings(a);
    assert.match(text, /findings: 3 problems, 0 notes, 1 expected failure/, text);
    assert.match(text, /\(evidence from the trace alone: a loaded log: no live process to examine\)/);
    assert.match(text, /PROBLEM: openat \/srv\/app\/config\.yml: permission denied\n  - which component refuses, and why: not checked \(a loaded log: no live process to examine\)/);
    assert.match(text, /PROBLEM: connect to 10\.0\.0\.5:5432 refused\n  - its network namespace: not checked \(a loaded log/);
    assert.match(text, /PROBLEM: pid 100 exited with status 1 .*: "app: cannot connect to db"/);
    assert.match(text, /its last failed lookup: openat\(AT_FDCWD, "\/srv\/app\/config\.yml", O_RDONLY\) = -1 EACCES/);
    assert.match(text, /1 × ioctl ENOTTY: isatty\(\) or a terminal query on a non-terminal/);
    const connect = a.list().find((f) => f.kind === 'connect-refused')!;
    assert.deepEqual(connect.seqs, [5]);
    assert.equal(connect.evidence, 'trace');
  });

  test('a batch gives the same findings as the events one by one', () => {
    const events = LOG.map(ev);
    const one = new Analyzer({ evidence: null });
    events.forEach((e, i) => one.feed(e, i));
    const batched = new Analyzer({ evidence: null });
    batched.feedBatch(batchFromEvents(events), 0);
    const view = (a: Analyzer) => a.list().map((f) => ({ key: f.key, title: f.title, seqs: f.seqs, count: f.count }));
    assert.deepEqual(view(batched), view(one));
  });

  test('expected failures are grouped and never counted as problems', () => {
    const a = new Analyzer({ evidence: null });
    const lines = [
      '7 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)',
      '7 read(5, 0x7ffd, 4096) = -1 EAGAIN (Resource temporarily unavailable)',
      '7 read(5, 0x7ffd, 4096) = -1 EAGAIN (Resource temporarily unavailable)',
      '7 futex(0x55d0, FUTEX_WAIT_PRIVATE, 0, {tv_sec=1, tv_nsec=0}) = -1 ETIMEDOUT (Connection timed out)',
      '7 readlink("/usr/bin/python3", 0x7ffd, 1024) = -1 EINVAL (Invalid argument)',
      '7 mkdir("/tmp/cache", 0755) = -1 EEXIST (File exists)',
    ];
    lines.forEach((l, i) => a.feed(ev(l), i));
    assert.deepEqual(a.counts(), { problem: 0, note: 0, expected: 4 });
    const nb = a.get('expected:nonblocking-eagain')!;
    assert.equal(nb.count, 2);
    assert.deepEqual(nb.facts, ['2 × read EAGAIN: non-blocking descriptor not ready']);
  });

  test('opendir of an absent directory and a shell\'s fcntl(F_GETFD) check are expected; an exec forgets the old program\'s failures', () => {
    const a = new Analyzer({ evidence: null });
    const lines = [
      '8 openat(AT_FDCWD, "/etc/tool.d/hooks/", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = -1 ENOENT (No such file or directory)',
      '8 fcntl(255, F_GETFD) = -1 EBADF (Bad file descriptor)',
      // execvp's PATH search: a failed execve, then the one that works
      '8 execve("/usr/local/bin/tool", ["tool"], 0x7ffd /* 3 vars */) = -1 ENOENT (No such file or directory)',
      '8 execve("/usr/bin/tool", ["tool"], 0x7ffd /* 3 vars */) = 0',
      '8 +++ exited with 3 +++',
    ];
    lines.forEach((l, i) => a.feed(ev(l), i));
    assert.equal(a.get('expected:existence-probe')?.facts[0], '1 × openat ENOENT: opendir() of a directory that is not there (an optional hooks, plugins or conf.d directory)');
    assert.match(a.get('expected:probe-failure')?.facts[0] ?? '', /fcntl EBADF: fcntl\(fd, F_GETFD\): is this descriptor open\?/);
    const exit = a.list().find((f) => f.kind === 'exit-failure')!;
    assert.match(exit.title, /tool exited with status 3/);
    assert.doesNotMatch(exit.facts.join('\n'), /last failed execve/, exit.facts.join('\n'));
  });

  test('a log of ps, a shell and node exiting 0: their failures are expected, and the files they did without move there at the exit', () => {
    const a = new Analyzer({ evidence: null });
    const lines = [
      '12 statfs("/sys/fs/selinux", 0x7ffd) = -1 ENOENT (No such file or directory)',
      '12 statfs("/selinux", 0x7ffd) = -1 ENOENT (No such file or directory)',
      '12 openat(AT_FDCWD, "/proc/1/environ", O_RDONLY) = -1 EACCES (Permission denied)',
      '12 openat(AT_FDCWD, "/proc/4242/stat", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '12 openat(AT_FDCWD, "/proc/4243/cmdline", O_RDONLY) = -1 ESRCH (No such process)',
      '12 pkey_alloc(0, 0) = -1 EINVAL (Invalid argument)',
      '12 openat(AT_FDCWD, "/opt/tool/libexec/realpath.dylib", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)',
      '12 openat(AT_FDCWD, "/root/.toprc", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '12 openat(AT_FDCWD, "/etc/toprc", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '12 write(1, "ok\\n", 3) = 3',
    ];
    lines.forEach((l, i) => a.feed(ev(l), i));
    // before the exit the rc file is a problem: the process may yet fail for want of it
    assert.deepEqual(a.counts(), { problem: 1, note: 0, expected: 2 });
    a.feed(ev('12 +++ exited with 0 +++'), lines.length);
    assert.deepEqual(a.counts(), { problem: 0, note: 0, expected: 3 });
    assert.deepEqual(a.get('expected:went-without')?.facts, ['1 × openat /root/.toprc: no such file or directory', '1 × openat /etc/toprc: no such file or directory']);
    assert.deepEqual(a.get('expected:went-without')?.seqs, [7, 8]);
    assert.match(a.get('expected:optional-file')?.facts.join('\n') ?? '', /SELinux is not enabled[\s\S]*a process's \/proc entry[\s\S]*a macOS library name/);
    assert.match(a.get('expected:probe-failure')?.facts.join('\n') ?? '', /1 × openat EACCES: reading another process's \/proc entry[\s\S]*1 × openat ESRCH: reading another[\s\S]*pkey_alloc EINVAL: memory protection keys/);
  });

  test('a file looked for by two processes moves to expected only when both have exited 0', () => {
    const a = new Analyzer({ evidence: null });
    const lines = [
      '20 openat(AT_FDCWD, "/etc/shared.conf", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '21 openat(AT_FDCWD, "/etc/shared.conf", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '20 openat(AT_FDCWD, "/etc/a.conf", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '21 openat(AT_FDCWD, "/etc/b.conf", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '20 +++ exited with 0 +++',
    ];
    lines.forEach((l, i) => a.feed(ev(l), i));
    // a.conf was 20's alone; b.conf is still being looked for (a search in progress)
    assert.deepEqual(a.list().filter((f) => f.severity === 'problem').map((f) => f.title), ['openat /etc/shared.conf: no such file or directory']);
    a.feed(ev('21 +++ exited with 0 +++'), lines.length);
    assert.deepEqual(a.counts(), { problem: 0, note: 0, expected: 1 });
    assert.equal(a.get('expected:went-without')?.facts.length, 3);
  });

  test('a leak of accepted connections is named by its listener and its peers; ENFILE by the system file table', () => {
    const a = new Analyzer({ evidence: null });
    const lines = ['30 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3', '30 listen(3, 128) = 0'];
    for (let i = 0; i < 70; i++) lines.push(`30 accept4(3, {sa_family=AF_INET, sin_port=htons(${40000 + i}), sin_addr=inet_addr("10.0.0.${(i % 3) + 1}")}, [16], SOCK_CLOEXEC) = ${4 + i}`);
    lines.push('30 openat(AT_FDCWD, "/srv/app/data.db", O_RDONLY|O_CLOEXEC) = -1 ENFILE (Too many open files in system)');
    lines.forEach((l, i) => a.feed(ev(l), i));
    a.finish();
    const leak = a.list().find((f) => f.kind === 'fd-leak');
    assert.ok(leak, a.list().map((f) => f.title).join('\n'));
    assert.match(leak.title, /accept on fd 3 \(70 open, 0 closed\)/);
    assert.match(leak.facts.join('\n'), /10\.0\.0\.1:40000/);
    const nfile = a.list().find((f) => f.kind === 'file-table-full');
    assert.equal(nfile?.title, "openat: ENFILE: the system's file table is full");
    assert.match(nfile.facts.join('\n'), /the system file table: not checked \(no live process to examine\)/);
  });

  test('a slow call against its kind\'s mean: the mean is said of the calls by name, with no article to get wrong ("a execve")', () => {
    const a = new Analyzer({ evidence: null });
    const exec = '5 execve("/usr/bin/cat", ["cat", "/etc/hostname"], 0x7ffd /* 35 vars */) = 0';
    for (let i = 0; i < 25; i++) a.feed(ev(exec), i);
    const slow = ev(exec) as SyscallEvent;
    slow.exitNs = slow.entryNs + 300e6;
    a.feed(slow, 25);
    const f = a.list().find((x) => x.kind === 'slow');
    assert.ok(f, JSON.stringify(a.list().map((x) => x.title)));
    assert.ok(f.facts.includes('execve calls take 12 ms on average in this trace'), f.facts.join('\n'));
  });

  test('cat reading a pipe: its fadvise64 hint failing with ESPIPE is expected, not a note', () => {
    const a = new Analyzer({ evidence: null });
    a.feed(ev('6 fadvise64(0, 0, 0, POSIX_FADV_SEQUENTIAL) = -1 ESPIPE (Illegal seek)'), 0);
    assert.deepEqual(a.counts(), { problem: 0, note: 0, expected: 1 });
  });

  test('the same failure again counts up one finding', () => {
    const a = new Analyzer({ evidence: null });
    for (let i = 0; i < 5; i++) a.feed(ev('9 openat(AT_FDCWD, "/opt/tool/plugins.d", O_RDONLY|O_DIRECTORY) = -1 EACCES (Permission denied)'), i);
    const f = a.list();
    assert.equal(f.length, 1);
    assert.equal(f[0].count, 5);
    assert.deepEqual(f[0].seqs, [0, 1, 2, 3, 4]);
  });
});

describe('reading strace text', () => {
  test('arguments split at the top level, strings and decorations kept whole', () => {
    const p = callParts('openat(3</srv/a, b>, "x, \\"y\\")", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)')!;
    assert.equal(p.name, 'openat');
    assert.deepEqual(p.args, ['3</srv/a, b>', '"x, \\"y\\")"', 'O_RDONLY|O_CLOEXEC']);
    assert.equal(p.result, '-1 ENOENT (No such file or directory)');
    assert.deepEqual(quoted(p.args[1]), { value: 'x, "y")', truncated: false });
    assert.deepEqual(fdArg(p.args[0]), { fd: 3, decoration: '/srv/a, b' });
    assert.deepEqual(splitTop('3<TCP:[1.2.3.4:5->6.7.8.9:10]>, {a=1, b=[2, 3]}, "s"...'), ['3<TCP:[1.2.3.4:5->6.7.8.9:10]>', '{a=1, b=[2, 3]}', '"s"...']);
  });

  test('socket addresses as strace prints them', () => {
    assert.equal(sockAddr('{sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.2")}')?.text, '10.0.0.2:53');
    assert.equal(sockAddr('{sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}')?.text, '[::1]:443');
    assert.equal(sockAddr('{sa_family=AF_UNIX, sun_path="/run/app.sock"}')?.path, '/run/app.sock');
    assert.equal(sockAddr('{sa_family=AF_UNIX, sun_path=@"abstract"}')?.path, '@abstract');
  });
});
