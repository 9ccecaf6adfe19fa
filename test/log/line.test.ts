// One strace line taken apart: the forms that are rare in a fixture's log (a core dump, a group
// stop, a call cut by a detach, -i, the results strace prints in octal or with an errno only), as
// strace 6.1 writes them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { callEnd, parseLine, parseResult } from '../../src/log/line.js';
import { quoteString, redactText } from '../../src/log/redact.js';

describe('parseLine', () => {
  it('prefixes and timestamps', () => {
    let l = parseLine('[pid  4327<thr>] 02:25:53.137909 (+     0.000402) [00007f0ab7e44000] brk(NULL) = 0x5637 <0.000007>');
    assert.equal(l.pid, 4327);
    assert.equal(l.comm, 'thr');
    assert.equal(l.clock, 'day');
    assert.equal(l.timeUs, (2 * 3600 + 25 * 60 + 53) * 1e6 + 137909);
    assert.equal(l.relUs, 402);
    assert.equal(l.kind, 'call');
    assert.equal(l.name, 'brk');
    assert.equal(l.durUs, 7);
    assert.equal(parseResult('0x5637').rval, 0x5637);
    l = parseLine('1795659953.357476 execve("./thr", ["./thr"], 0x7ffc /* 35 vars */) = 0');
    assert.equal(l.pid, 0);
    assert.equal(l.clock, 'epoch');
    assert.equal(l.timeUs, 1795659953357476);
    l = parseLine('     0.000352 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f17');
    assert.equal(l.clock, 'none');
    assert.equal(l.relUs, 352);
    assert.equal(parseLine('492   brk(NULL) = 0x55').pid, 492);
  });

  it('calls, halves and the end of the arguments despite parentheses in strings and -y paths', () => {
    const line = '12 openat(AT_FDCWD</a(b>, "x) = 1", O_RDONLY)   = 3</tmp/x) = (y>';
    const l = parseLine(line);
    assert.equal(line.slice(l.bodyAt, l.argsEnd), 'openat(AT_FDCWD</a(b>, "x) = 1", O_RDONLY)');
    assert.equal(line.slice(l.resultAt), '3</tmp/x) = (y>');
    assert.equal(parseResult(line.slice(l.resultAt)).rval, 3);
    const u = parseLine('27781 read(3,  <unfinished ...>');
    assert.equal(u.kind, 'unfinished');
    assert.equal('27781 read(3,  <unfinished ...>'.slice(u.bodyAt, u.bodyEnd), 'read(3, ');
    const d = parseLine('9 read(0,  <detached ...>');
    assert.equal(d.kind, 'unfinished');
    assert.equal('9 read(0,  <detached ...>'.slice(d.bodyAt, d.bodyEnd), 'read(0, ');
    const r = parseLine('27781 <... read resumed>"abc", 64) = 3 <0.100202>');
    assert.equal(r.kind, 'resumed');
    assert.equal(r.name, 'read');
    assert.equal(r.durUs, 100202);
    assert.equal(callEnd('a(b, "(", c)', 2), 12);
    assert.equal(parseLine('5 read(3, "ab').resultAt, -1, 'a line cut short has no result');
  });

  it('results: failures, restarts, `?`, <unavailable>, octal, unsigned', () => {
    assert.deepEqual(parseResult('-1 ENOENT (No such file or directory)'), { rval: NaN, errno: 'ENOENT', unfinished: false, unavailable: false });
    assert.equal(parseResult('? ERESTARTSYS (To be restarted if SA_RESTART is set)').errno, 'ERESTARTSYS');
    assert.equal(parseResult('?').unfinished, true);
    assert.equal(parseResult('? <unavailable>').unavailable, true);
    assert.equal(parseResult('022').rval, 0o22);
    assert.equal(parseResult('0').rval, 0);
    assert.equal(parseResult('18446744073709551615').rval, 18446744073709551615);
    assert.equal(parseResult('1 ([{fd=3, revents=POLLIN}])').rval, 1);
    assert.equal(parseResult('4258<thr>').rval, 4258);
  });

  it('signals, stops, exits', () => {
    let l = parseLine('12 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=13} ---');
    assert.equal(l.kind, 'signal');
    assert.equal(l.name, 'SIGCHLD');
    l = parseLine('02:27:22.591751 --- stopped by SIGSTOP ---');
    assert.equal(l.kind, 'stop');
    assert.equal(l.name, 'SIGSTOP');
    l = parseLine('+++ killed by SIGSEGV (core dumped) +++');
    assert.deepEqual([l.kind, l.code, l.signal, l.core], ['exit', -1, 'SIGSEGV', true]);
    l = parseLine('7 +++ exited with 3 +++');
    assert.deepEqual([l.kind, l.code, l.signal, l.core], ['exit', 3, '', false]);
    assert.equal(parseLine('8 +++ superseded by execve in pid 7 +++').kind, 'exit');
  });

  it('-c tables, notes and lines that are not strace’s', () => {
    assert.equal(parseLine('% time     seconds  usecs/call     calls    errors syscall').kind, 'table');
    assert.equal(parseLine('------ ----------- ----------- --------- --------- ----------------').kind, 'table');
    assert.equal(parseLine('  0.00    0.000000           0         2         2 access').kind, 'table');
    assert.equal(parseLine('100.00    0.000118           1        94         3 total').kind, 'table');
    assert.equal(parseLine('strace: Process 12 attached').kind, 'note');
    assert.equal(parseLine(' > /usr/lib/libc.so.6(read+0x12) [0x1ab70]').kind, 'note');
    assert.equal(parseLine('hello world').kind, 'bad');
    assert.equal(parseLine('ls: cannot access').kind, 'bad');
  });
});

describe('redactText', () => {
  it('strings become their length; a string cut at -s takes the length the call gives', () => {
    assert.equal(redactText('write(1, "hi\\n", 3) = 3'), 'write(1, "..."<3 bytes>, 3) = 3');
    assert.equal(redactText('write(1, "abc"..., 4096) = 4096', { name: 'write', rval: 4096 }), 'write(1, "..."<4096 bytes>, 4096) = 4096');
    assert.equal(redactText('read(3, "abc"..., 8192) = 4000', { name: 'read', rval: 4000 }), 'read(3, "..."<4000 bytes>, 8192) = 4000');
    assert.equal(redactText('open("abc"..., O_RDONLY) = 3', { name: 'open', rval: 3 }), 'open("..."<3+ bytes>, O_RDONLY) = 3');
    assert.equal(redactText('write(1, "\\x01\\377\\0", 3) = 3'), 'write(1, "..."<3 bytes>, 3) = 3');
    assert.equal(redactText('x("a\\"b")'), 'x("..."<3 bytes>)');
    assert.equal(redactText('read(3</etc/passwd>, "", 10) = 0'), 'read(3<"..."<11 bytes>>, "", 10) = 0');
    assert.equal(redactText('write(1</dev/null<char 1:3>>, "a", 1) = 1'), 'write(1<"..."<9 bytes><char 1:3>>, "..."<1 byte>, 1) = 1');
    assert.equal(redactText('read(3<pipe:[123]>, "a", 1) = 1'), 'read(3<pipe:[123]>, "..."<1 byte>, 1) = 1');
    assert.equal(redactText('read(3, "abc'), 'read(3, "..."<3+ bytes>');
  });
  it('quoteString quotes as strace does', () => {
    assert.equal(quoteString('/tmp/a b"c\\'), '"/tmp/a b\\"c\\\\"');
    assert.equal(quoteString('caf\u00e9\n'), '"caf\\303\\251\\n"');
    assert.equal(quoteString('\u00011'), '"\\0011"');
  });
});
