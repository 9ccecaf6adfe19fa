import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeErrno, errnoMeaning, errnoNumber } from '../../src/analysis/errno-info.js';
import { eventText, fitLine, rowParts, type Segment } from '../../src/ui/format-row.js';
import { layoutPanes, traceLayout } from '../../src/ui/layout.js';
import { shellSplit } from '../../src/ui/shell-split.js';
import { hexDump, quotedBuffers, quotedLength, readQuoted } from '../../src/analysis/strace-strings.js';
import { matchKey, pickerKeys, traceKeys, HELP_SECTIONS } from '../../src/ui/keymap.js';
import { detailLines, rowPaths } from '../../src/ui/RowDetails.js';
import { SyscallClass } from '../../src/engine/types.js';
import { openatFail, sys } from './helpers.js';

describe('shellSplit', () => {
  it('splits on blanks, honours quotes and backslashes', () => {
    assert.deepEqual(shellSplit(`  ls -l  'a b' "c \\"d\\"" e\\ f ''`), ['ls', '-l', 'a b', 'c "d"', 'e f', '']);
    assert.deepEqual(shellSplit(''), []);
    assert.throws(() => shellSplit(`echo 'oops`), /unterminated/);
  });
});

describe('errno', () => {
  it('names, numbers and meanings', () => {
    assert.equal(errnoNumber('ENOENT'), 2);
    assert.equal(errnoMeaning('EAGAIN'), 'Resource temporarily unavailable');
    assert.equal(errnoMeaning('EWOULDBLOCK'), 'Resource temporarily unavailable');
    assert.equal(describeErrno('ERESTARTSYS'), 'ERESTARTSYS (512): To be restarted if SA_RESTART is set');
    assert.equal(errnoMeaning('EWHATEVER'), 'EWHATEVER');
  });
});

describe('rows', () => {
  const joined = (segs: Segment[]) => segs.map((sg) => (sg.mark ? '[>]' : sg.text)).join('');
  const width = (segs: Segment[]) => segs.reduce((n, sg) => n + sg.text.length, 0);
  it('a cut line keeps its result; the cut is a mark of its own, not text', () => {
    const t = fitLine('mmap(NULL, 353616, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7efd0f398000', 60);
    assert.equal(width(t), 60);
    assert.match(joined(t), /^mmap\(NULL, 353616, PROT_READ.*\[>\] = 0x7efd0f398000$/);
    assert.deepEqual(fitLine('short() = 0', 20), [{ text: 'short() = 0'.padEnd(20) }]);
  });
  it("a path is cut in its middle, keeping the file's name; what follows the last string goes first", () => {
    const t = fitLine('openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", O_RDONLY|O_CLOEXEC) = 3', 60);
    assert.equal(width(t), 60);
    assert.match(joined(t), /^openat\(AT_FDCWD, "\/usr\/l\[>\].*gconv-modules\.cache"\[>\] = 3$/);
  });
  it("an error's explanation goes before its name", () => {
    const t = fitLine('openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)', 60);
    assert.equal(width(t), 60);
    assert.match(joined(t), /modules\.cache"\[>\] = -1 ENOENT\[>\]$/);
  });
  it("in little room a path loses its head, then what precedes it, before its file's name", () => {
    // The merged timeline at 80 columns leaves ~40 for the line.
    const t = fitLine('openat(AT_FDCWD, "/usr/lib/locale/C.UTF-8/LC_CTYPE", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)', 40);
    assert.equal(width(t), 40);
    assert.match(joined(t), /^openat\(\[>\]"\/\[>\].*LC_CTYPE"\[>\] = -1 ENOENT\[>\] *$/);
    // A little more room gives the string's head back first.
    assert.match(joined(fitLine('openat(AT_FDCWD, "/usr/lib/locale/C.UTF-8/LC_CTYPE", O_RDONLY|O_CLOEXEC) = 3', 40)), /^openat\(AT_FDCWD, "\/\[>\].*LC_CTYPE"\[>\] = 3 *$/);
  });
  it('what stands before the first string loses only what it must, next to the string', () => {
    const t = fitLine('connect(5, {sa_family=AF_INET, sin_port=htons(6379), sin_addr=inet_addr("10.1.1.1")}, 16) = -1 EINPROGRESS -> refused', 77);
    assert.equal(width(t), 77);
    assert.match(joined(t), /^connect\(5, \{sa_family=AF_INET, sin_po\[>\]"10\.1\.1\.1"\[>\] = -1 EINPROGRESS -> refused$/);
  });
  it('a call in progress keeps its running mark', () => {
    const t = fitLine('futex(0x7f0000000000, FUTEX_WAIT_PRIVATE, 2, NULL<running>', 30);
    assert.match(joined(t), /\[>\]<running>$/);
  });
  it('a cut running call keeps the space before its mark', () => {
    const t = fitLine('clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, <running>', 44);
    assert.equal(width(t), 44);
    assert.match(joined(t), /^clock_nanosleep\(.*\[>\] <running>$/);
  });
  it('a running call whose entry half ends in an argument gets a space before its mark, as strace before <unfinished ...>', () => {
    const mark = (text: string) => eventText({ ...sys(1, 'x', text), running: true });
    assert.equal(mark('openat(AT_FDCWD, "fifo1", O_RDONLY'), 'openat(AT_FDCWD, "fifo1", O_RDONLY <running>');
    assert.equal(mark('read(3, '), 'read(3, <running>');
    assert.equal(mark('pause('), 'pause(<running>');
  });
  it('rowParts fills the width exactly', () => {
    const ev = openatFail(3, '/x');
    const p = rowParts(ev, ev.entryNs - 1e9, 80, '      3');
    assert.equal(p.time.length + 1 + p.who.length + 1 + width(p.segments) + 1 + p.dur.length, 80);
    assert.equal(p.failed, true);
  });
});

describe('row details', () => {
  it('at 80 columns the heading keeps the thread and its name together; the raw arguments keep their indent', () => {
    const ev = sys(11575, 'clock_nanosleep', 'clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=5000000}, NULL) = 0', { pid: 11559, nr: 230, args: [0n, 0n] });
    const names: Record<number, string> = { 11559: 'named_threads', 11575: 'worker-15' };
    const lines = detailLines(ev, ev.entryNs, 80, (tid) => names[tid] ?? '').map((l) => l.text);
    assert.ok(lines.every((l) => l.length <= 80));
    assert.deepEqual(lines.slice(0, 2), ['clock_nanosleep (syscall 230)   pid 11559 (named_threads)', 'tid 11575 (worker-15)']);
    assert.ok(lines.includes('  arg0  0x0000000000000000  0'));
  });

  it("a call in progress (only its entry's text) names its paths as a finished one does", () => {
    const done = sys(7, 'openat', 'openat(AT_FDCWD</>, "/etc/hostname", O_RDONLY) = 3</etc/hostname>', { classes: SyscallClass.file });
    const running = { ...sys(7, 'openat', 'openat(AT_FDCWD</>, "/etc/hostname", O_RDONLY', { classes: SyscallClass.file }), running: true };
    assert.deepEqual(rowPaths(done), ['/', '/etc/hostname']);
    assert.deepEqual(rowPaths(running), ['/', '/etc/hostname']);
  });
});

describe('buffers', () => {
  it('decodes strace escapes back to bytes and dumps them', () => {
    const [a, b] = quotedBuffers('write(1, "hi\\n\\0\\x7f\\"", 6) = 6 "\\303\\251t\\303\\251"...');
    assert.deepEqual([...a.bytes], [104, 105, 10, 0, 127, 34]);
    assert.equal(a.truncated, false);
    assert.deepEqual([...b.bytes], [0xc3, 0xa9, 0x74, 0xc3, 0xa9]);
    assert.equal(b.truncated, true);
    assert.deepEqual(hexDump(Uint8Array.from([0x41, 0x0a])), ['00000000  41 0a                                             |A.|']);
  });

  it('reads every escape form, and a string longer than the reading buffer', () => {
    // \x with one digit, \x with none (an x), octal of 1 to 3 digits followed by a digit, UTF-8.
    const s = '"\\xa\\x\\7\\0018\\1234\\e\\?é"... tail';
    const r = readQuoted(s, 0)!;
    assert.deepEqual([...r.bytes], [0x0a, 0x78, 7, 1, 0x38, 0o123, 0x34, 27, 63, 0xc3, 0xa9]);
    assert.equal(r.truncated, true);
    assert.equal(s.slice(r.end), ' tail');
    assert.deepEqual(quotedLength(s, 0), { length: 11, truncated: true, end: r.end });
    assert.equal(readQuoted('"abc', 0), undefined);
    const long = `"${'\\0'.repeat(1000)}"`;
    const l = readQuoted(long, 0)!;
    assert.equal(l.bytes.length, 1000);
    assert.ok(l.bytes.every((b) => b === 0));
    // The bytes are the caller's: a later read does not change them.
    readQuoted('"zz"', 0);
    assert.equal(l.bytes[0], 0);
    assert.deepEqual([...r.bytes.subarray(0, 2)], [0x0a, 0x78]);
  });
});

describe('layout', () => {
  const base = { width: 250, height: 40, focusTid: 0, mode: 'auto' as const, showList: false };
  const tids = (l: ReturnType<typeof traceLayout>) => layoutPanes(l).map((p) => p.tid);
  it('auto: the busy threads get the panes, an idle one never does', () => {
    const l = traceLayout({ ...base, tids: [3, 1, 2], active: [3, 2] });
    assert.equal(l.merged, false);
    assert.deepEqual(tids(l), [2, 3]);
    assert.equal(l.focus, 3); // the busiest
  });
  it('auto: more busy threads than panes fit, or none busy among many, give the merged timeline', () => {
    assert.equal(traceLayout({ ...base, width: 100, height: 20, tids: [1, 2, 3], active: [1, 2, 3] }).merged, true);
    assert.equal(traceLayout({ ...base, tids: [1, 2, 3], active: [] }).merged, true);
    assert.deepEqual(tids(traceLayout({ ...base, tids: [7], active: [] })), [7]); // the only thread
  });
  it('threads and zoom follow the focused thread', () => {
    assert.deepEqual(tids(traceLayout({ ...base, mode: 'threads', focusTid: 5, tids: [1, 2, 5], active: [1, 2] })), [1, 2, 5]);
    assert.deepEqual(tids(traceLayout({ ...base, mode: 'zoom', focusTid: 5, tids: [1, 2, 5], active: [1, 2] })), [5]);
    assert.equal(traceLayout({ ...base, mode: 'merged', tids: [1, 2], active: [1] }).merged, true);
  });
  it('panes fill the width and height: columns side by side, panes stacked in each', () => {
    const l = traceLayout({ ...base, width: 200, height: 47, tids: [1, 2, 3, 4], active: [1, 2, 3, 4] });
    assert.equal(l.columns.length, 2);
    assert.equal(l.columns.reduce((n, c) => n + c[0].width, 0) + 1, 200);
    for (const c of l.columns) assert.equal(c.reduce((n, p) => n + p.height, 0), 47);
  });
  it('the thread list takes its room when wide enough', () => {
    const l = traceLayout({ ...base, showList: undefined, width: 160, tids: [1, 2], active: [1] });
    assert.ok(l.listWidth > 0);
    assert.equal(traceLayout({ ...base, showList: undefined, width: 80, tids: [1, 2], active: [1] }).listWidth, 0);
  });
});

describe('keymap', () => {
  const k = (over: object = {}) => ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...over });
  it('matches letters, control keys and named keys', () => {
    assert.equal(matchKey(traceKeys, 'f', k()), 'file');
    assert.equal(matchKey(traceKeys, 'G', k({ shift: true })), 'end');
    assert.equal(matchKey(traceKeys, '', k({ end: true })), 'end');
    assert.equal(matchKey(traceKeys, 'c', k({ ctrl: true })), 'quit');
    assert.equal(matchKey(pickerKeys, 't', k({ ctrl: true })), 'tree');
    assert.equal(matchKey(pickerKeys, 't', k()), undefined); // typed: goes to the filter
  });
  it('every binding has help text', () => {
    for (const s of HELP_SECTIONS) for (const b of s.keys) assert.ok(b.help.length > 3, b.action);
  });
});
