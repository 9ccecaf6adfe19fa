import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeErrno, errnoMeaning, errnoNumber } from '../../src/analysis/errno-info.js';
import { fitLine, rowParts } from '../../src/ui/format-row.js';
import { traceLayout } from '../../src/ui/layout.js';
import { shellSplit } from '../../src/ui/shell-split.js';
import { hexDump, quotedBuffers } from '../../src/analysis/strace-strings.js';
import { matchKey, pickerKeys, traceKeys, HELP_SECTIONS } from '../../src/ui/keymap.js';
import { openatFail } from './helpers.js';

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
  it('a cut line keeps its result', () => {
    const t = fitLine('openat(AT_FDCWD, "/a/long/path/here/and/more", O_RDONLY) = -1 ENOENT (No such file or directory)', 60);
    assert.equal(t.length, 60);
    assert.match(t, /^openat\(AT_F.*~ = -1 ENOENT \(No such file or directory\)$/);
    assert.equal(fitLine('short() = 0', 20), 'short() = 0'.padEnd(20));
  });
  it('rowParts fills the width exactly', () => {
    const p = rowParts(openatFail(3, '/x'), 0, 80, true);
    assert.equal(p.time.length + 1 + p.tid.length + 1 + p.text.length + 1 + p.dur.length, 80);
    assert.equal(p.failed, true);
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
});

describe('layout', () => {
  const base = { width: 250, height: 40, focusTid: 2, merged: false, zoom: false };
  it('few threads side by side when wide, stacked when not, a list when many', () => {
    assert.equal(traceLayout({ ...base, tids: [1, 2, 3] }).mode, 'side');
    assert.equal(traceLayout({ ...base, width: 100, tids: [1, 2] }).mode, 'stacked');
    const list = traceLayout({ ...base, width: 100, tids: [1, 2, 3, 4, 5] });
    assert.equal(list.mode, 'list');
    assert.deepEqual(list.panes.map((p) => p.tid), [2]);
    assert.equal(traceLayout({ ...base, tids: [1, 2], zoom: true }).panes.length, 1);
    assert.equal(traceLayout({ ...base, tids: [1, 2], merged: true }).panes[0].tid, -1);
  });
  it('side-by-side widths add up to the width with separators', () => {
    const l = traceLayout({ ...base, width: 250, tids: [1, 2, 3] });
    assert.equal(l.panes.reduce((n, p) => n + p.width, 0) + 2, 250);
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
