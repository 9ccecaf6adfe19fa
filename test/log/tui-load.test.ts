// --load in the trace screen, end to end: the real binary in tmux over logs the real strace wrote.
// Rows in one pane per thread, class filters, failed-only, search, the -c table with the log's
// counts, row details, P and b saying a log has no live process, w and W writing files.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';

import { CLI, e2eSkipReason, TmuxScreen } from '../ui/tmux.js';
import { joinedLines, lineName, linePid, straceLog, tableCounts, traceLines } from './helpers.js';

const skip = e2eSkipReason();

/**
 * Visible trace rows: `  time tid [name] text` in the merged timeline, `  time text` in a thread's own
 * pane; without timestamps, no time.
 */
const rowsOf = (screen: string) => screen.split('\n').filter((l) => /^ +(?:\d+\.\d{6} +)?(?:\d+ +(?:\S+ +)?)?(?:\w+\(|\+\+\+|---)/.test(l));

describe('e2e: --load in the trace screen (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });
  const tag = `tui${process.pid}`;

  it('rows per thread, filters, search, the -c table with the counts of the log, P and b say no', async () => {
    const log = straceLog(['-f', '-tt', '-T'], tag);
    const lines = traceLines(log.text);
    const pids = [...new Set(lines.map(linePid))];
    const t = new TmuxScreen(`cd ${log.dir} && node ${CLI} --load trace.log`, { width: 120, height: 40 });
    screens.push(t);
    // Settled: the first whole frame is one write, which tmux may be caught drawing (its key bar half there).
    let s = await t.waitForSettled((x) => x.includes('log trace.log') && !x.includes('LOADING'));
    for (const pid of pids) assert.match(s, new RegExp(`(?:pid|tid) ${pid}\\b`), `a pane for ${pid}`);
    assert.match(s, new RegExp(`${lines.length} lines │ 2 proc 3 thr │`));
    assert.match(s, /P b k live only/);
    assert.ok(rowsOf(s).some((r) => /^ +\d+\.\d{6} +(?:\d+ +(?:\S+ +)?)?\w+\(/.test(r)), 'rows with their times');

    // The merged timeline, page by page from the oldest row: in the order the calls began (a call
    // the log split is a row at its first half, not where it returned).
    t.keys('t');
    await t.waitFor('[merged timeline]');
    t.keys('g');
    for (let page = 0; page < 4; page++) {
      // A settled screen: a capture taken while tmux reads a page shows its top over the last page's bottom.
      s = await t.waitForSettled((x) => x.includes('[merged timeline]') && rowsOf(x).length > 5);
      const shown = rowsOf(s).map((r) => Number(/^ +(\d+\.\d{6}) /.exec(r)![1]));
      for (let i = 1; i < shown.length; i++) assert.ok(shown[i] >= shown[i - 1], `row ${i}: ${shown[i]} after ${shown[i - 1]}\n${s}`);
      t.keys('PageDown');
    }
    t.keys('t');
    await t.waitFor((x) => !x.includes('[merged timeline]'));

    t.keys('e');
    s = await t.waitFor('filter: failed');
    let rows = rowsOf(s);
    assert.ok(rows.length >= 3);
    for (const r of rows) assert.match(r, /= -1 E[A-Z]+/, r);
    // A failed row's details: its errno, its number and what it means.
    t.keys('Enter');
    s = await t.waitFor('row details');
    assert.match(s, /^result +-1 E[A-Z]+ \(\d+\): [A-Z][a-z]+/m);
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('row details'));
    t.keys('x', '%', 'n');
    s = await t.waitFor('filter: network');
    for (const r of rowsOf(s)) assert.doesNotMatch(r, / (?:mmap|brk|openat|read|write)\(/, r);
    t.keys('x', 'f');
    s = await t.waitFor('filter: file');
    rows = rowsOf(s);
    assert.ok(rows.some((r) => r.includes(`/nonexistent-${tag}/file`)));
    for (const r of rows) assert.doesNotMatch(r, / (?:mmap|brk|read|write|close|futex|clone3?|exit_group)\(/, r);
    t.keys('x', '&');
    t.type('log-reader');
    t.keys('Enter');
    s = await t.waitFor('filter: /log-reader/');
    assert.deepEqual(rowsOf(s).map((r) => / (\w+)\(/.exec(r)![1]), ['prctl']);
    t.keys('x');
    await t.waitFor('filter: none');
    // The search: nothing hidden, the cursor on the match.
    t.keys('/');
    await t.waitFor('Search:');
    t.type(`nonexistent-${tag}`);
    await t.waitFor(/: 1 rows? match/);
    t.keys('Enter');
    s = await t.waitFor((x) => !x.includes('Search:') && x.includes('scrolled (F follows)'));
    assert.ok(rowsOf(s).length > 5, 'the search hides no row');
    t.keys('x');
    await t.waitFor('& / x');

    // The -c table of the first process (its main thread and the reader thread): the calls its lines
    // show, each once, those that never returned not at all.
    t.keys('c');
    await t.waitFor('-c counters: everything traced');
    t.keys('T');
    s = await t.waitFor('-c counters: process');
    const own = new Set(pids.slice(0, 2));
    const count = (name: string) =>
      joinedLines(lines).filter((l) => own.has(linePid(l)) && lineName(l).kind === 'call' && lineName(l).name === name && !/ = \?(?: |$)/.test(l)).length;
    for (const name of ['openat', 'mmap', 'read', 'write']) {
      const row = s.split('\n').find((l) => l.endsWith(` ${name}`));
      assert.ok(row, `${name} in the table`);
      assert.equal(Number(row.trim().split(/ +/)[3]), count(name), row);
    }
    assert.match(s, /^ *\d+\.\d+ +\d+\.\d{6} +\d+ +\d+ +1 openat$/m, 'one failed openat, times from -T');
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('-c counters'));

    t.keys('P');
    await t.waitFor('P: a log has no live process to stop');
    t.keys('b');
    await t.waitFor('b: a log has no live process to inspect');

    t.keys('Enter');
    s = await t.waitFor('row details');
    assert.match(s, /local time\)/);
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('row details')); // a key right after Esc would read as Alt+key
    t.keys('q');
    await t.waitExit();
    assert.equal(t.exitStatus(), 0);
  });

  it('w writes the filtered rows as strace text, W the whole history as JSON lines; 80x24 fits', async () => {
    const log = straceLog(['-f'], tag);
    const lines = traceLines(log.text);
    const t = new TmuxScreen(`cd ${log.dir} && node ${CLI} --json --load trace.log`, { width: 80, height: 24 });
    screens.push(t);
    // Settled: the first whole frame is one write, which tmux may be caught drawing (its key bar half there).
    let s = await t.waitForSettled((x) => x.includes('log trace.log') && !x.includes('LOADING'));
    assert.ok(s.trimEnd().split('\n').every((l) => l.length <= 80));
    assert.match(s, /F10 Quit c Count w Write P b k live only/);
    assert.ok(rowsOf(s).every((r) => /^ {12,}\d+ /.test(r)), 'no timestamps in the log: no time column');

    // The failed calls, as the log has them (a split one as one line).
    const failed = joinedLines(lines).filter((l) => / = -1 E/.test(l));
    t.keys('e', 'w');
    s = await t.waitFor(new RegExp(`Write ${failed.length} rows \\(filter: failed\\) to: systrace-\\d+-\\d{8}-\\d{6}\\.jsonl`));
    t.keys('C-u');
    t.type('failed.log');
    t.keys('Enter');
    await t.waitFor(`wrote ${failed.length} rows to failed.log (strace text, mode 0600)`);
    const out = join(log.dir, 'failed.log');
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const written = readFileSync(out, 'latin1').trimEnd().split('\n');
    assert.deepEqual(
      written.map((l) => l.replace(/ +/g, ' ')),
      failed.map((l) => l.replace(/ +/g, ' ')),
    );

    t.keys('W');
    s = await t.waitFor(/Write [\d,]+ rows \(whole history\)/);
    t.keys('C-u');
    t.type('failed.log');
    t.keys('Enter');
    await t.waitFor('exists: Enter replaces it');
    t.keys('C-u');
    t.type('all.jsonl');
    t.keys('Enter');
    s = await t.waitFor(/wrote [\d,]+ rows to all\.jsonl \(JSON lines/);
    const objs = readFileSync(join(log.dir, 'all.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; name: string });
    const calls = lines.filter((l) => ['call', 'resumed'].includes(lineName(l).kind));
    assert.equal(objs.filter((o) => o.type === 'syscall').length, calls.length + lines.filter((l) => lineName(l).kind === 'unfinished').length - lines.filter((l) => lineName(l).kind === 'resumed').length);
    t.keys('q');
    await t.waitExit();
  });

  it('a program line mixed in and the last line cut: the cut call is a row, marked; the status bar says so; the lines in full on exit (200x50); -tt without -T: -c has no times', async () => {
    const log = straceLog(['-f', '-tt'], tag);
    const lines = traceLines(log.text);
    const k = lines.findIndex((l, i) => i > 5 && lineName(l).kind === 'call' && l.length > 40);
    const cut = lines[k].slice(0, lines[k].indexOf('(') + 5);
    writeFileSync(join(log.dir, 'cut.log'), [...lines.slice(0, 3), 'program output', ...lines.slice(3, k), cut].join('\n'), 'latin1');
    const t = new TmuxScreen(`cd ${log.dir} && node ${CLI} --load cut.log; echo "exit=$?"; sleep 30`, { width: 200, height: 50 });
    screens.push(t);
    let s = await t.waitFor((x) => x.includes('log cut.log') && !x.includes('LOADING'));
    assert.match(s, / 1 line skipped, last line cut: listed on exit +log cut\.log │ \d+ lines │/);
    const body = cut.replace(/^\d+ +\d\d:\d\d:\d\d\.\d+ /, '');
    assert.ok(rowsOf(s).some((r) => r.includes(`${body} <truncated ...>`)), `the cut call is a row: ${body}`);
    t.keys('c');
    s = await t.waitFor('-c counters');
    assert.match(s, /sorted by calls v +\(no -T in the log: no times\)/);
    assert.match(s, /^ +\d+ +execve$/m, 'counts without times');
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('-c counters'));
    t.keys('q');
    s = await t.waitFor('exit=');
    assert.match(s, /^systrace-tui: cut\.log: 1 line is not strace output and was skipped \(first: line 4, "program output"\)$/m);
    assert.match(s, new RegExp(`^systrace-tui: cut\\.log:${k + 2}: the last line is cut short \\(truncated\\): "`, 'm'));
    assert.match(s, /^exit=0$/m);
  });

  it('a log of strace -c alone: the c table is its table, times included', async () => {
    const log = straceLog(['-f', '-c'], tag);
    const want = tableCounts(log.text);
    const t = new TmuxScreen(`cd ${log.dir} && node ${CLI} --load trace.log`, { width: 120, height: 40 });
    screens.push(t);
    await t.waitFor((x) => x.includes('log trace.log') && !x.includes('LOADING'));
    t.keys('c');
    const s = await t.waitFor('-c counters');
    assert.doesNotMatch(s, /no -T/);
    for (const name of ['mmap', 'openat']) {
      const m = new RegExp(`^ *\\d+\\.\\d\\d +\\d+\\.\\d{6} +\\d+ +(\\d+) +(\\d*) *${name}$`, 'm').exec(s);
      assert.ok(m, `${name} in the table`);
      assert.deepEqual([Number(m[1]), Number(m[2] || 0)], want.get(name));
    }
    t.keys('Escape');
    await t.waitFor((x) => !x.includes('-c counters'));
    t.keys('q');
    await t.waitExit();
  });

  it('a file that is not a log: one line and exit 1, before any screen', async () => {
    const t = new TmuxScreen(`node ${CLI} --load /etc/passwd; echo "exit=$?"; sleep 30`, { width: 120, height: 10 });
    screens.push(t);
    const s = await t.waitFor('exit=');
    assert.match(s, /systrace-tui: \/etc\/passwd:1: not a strace log: cannot read "root:.*" \(0 lines read\)\nexit=1/);
  });
});
