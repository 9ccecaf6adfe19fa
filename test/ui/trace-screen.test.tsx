import './force-color.js'; // before ink: the search's highlight and the cursor are checked in the ANSI frame
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { headText, TraceScreen } from '../../src/ui/TraceScreen.js';
import { createTraceStore, ingest, type TraceStore } from '../../src/ui/store.js';
import { connectCall, FakeTracer, KEY, mount, openat, openatFail, plain, press, readCall, sys, waitForFrame } from './helpers.js';
import type { ThreadState, TraceEvent } from '../../src/engine/types.js';
import { pauseText } from '../../src/ui/StatusBar.js';
import { LIVE_SOURCE, SyscallClass } from '../../src/engine/types.js';

function feed(store: TraceStore, tracer: FakeTracer, ...evs: TraceEvent[]) {
  tracer.push(...evs);
  ingest(store, { events: tracer.drain(), stats: tracer.stats(), threads: tracer.threads(), enginePaused: tracer.paused, done: tracer.done, rate: 0 });
}

function setup(opts: { width?: number; height?: number } = {}) {
  const store = createTraceStore(1000, 'demo (pid 100)');
  const tracer = new FakeTracer();
  let quit = 0;
  const inspected: number[] = [];
  const r = mount(
    <TraceScreen
      store={store}
      source={tracer}
      tracer={tracer}
      width={opts.width ?? 100}
      height={opts.height ?? 23}
      onQuit={() => quit++}
      onInspect={(pid) => inspected.push(pid)}
    />,
  );
  return { store, tracer, r, quits: () => quit, inspected };
}

const rowsOf = (frame: string) => frame.split('\n').filter((l) => /^\s+\d+\.\d{6} /.test(l));

afterEach(() => cleanup());

describe('TraceScreen rows', () => {
  it('shows time, tid, the strace line and duration; failed calls keep their errno visible', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, openat(100, '/etc/hostname'), openatFail(100, '/nope'));
    const f = await waitForFrame(r, '/nope');
    // One thread: its own pane, whose title says whose rows these are (no tid column needed).
    assert.match(f, /pid 100 /);
    assert.match(f, /\d+\.\d{6} openat\(AT_FDCWD, "\/etc\/hostname", O_RDONLY\) = 3\s+<0\.000012>/);
    assert.match(f, /= -1 ENOENT \(No such file or directory\)/);
    assert.match(f, /1 proc 1 thr/);
    assert.match(f, /total 2/);
  });

  it('follows new rows, and one store update per batch', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, ...Array.from({ length: 40 }, (_, i) => readCall(100, i)));
    assert.equal(store.getState().version, 1);
    let f = await waitForFrame(r, ') = 39');
    assert.equal(rowsOf(f).length, 18); // 23 rows - header, meters, title, status, keys
    feed(store, tracer, readCall(100, 1234));
    f = await waitForFrame(r, ') = 1234');
    assert.match(f, /following/);
  });
});

describe('TraceScreen scrolling', () => {
  it('arrows stop following, new rows do not move the view, F and G resume', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, ...Array.from({ length: 40 }, (_, i) => readCall(100, i)));
    await waitForFrame(r, ') = 39');
    await press(r, KEY.up);
    let f = await waitForFrame(r, 'scrolled (F follows)');
    assert.match(f, /39\/40/);
    feed(store, tracer, readCall(100, 777));
    f = await waitForFrame(r, '39/41');
    assert.doesNotMatch(f, /= 777/);
    await press(r, 'F');
    f = await waitForFrame(r, '= 777');
    assert.match(f, /41\/41 following/);
    await press(r, 'g');
    f = await waitForFrame(r, '1/41 scrolled');
    assert.match(rowsOf(f)[0], /= 0\s/);
    await press(r, KEY.pageDown);
    await waitForFrame(r, /19\/41 scrolled|18\/41 scrolled/);
    await press(r, KEY.end);
    await waitForFrame(r, '41/41 following');
    await press(r, KEY.home);
    await waitForFrame(r, '1/41 scrolled');
    await press(r, 'G');
    await waitForFrame(r, '41/41 following');
    await press(r, KEY.pageUp);
    f = await waitForFrame(r, /2[234]\/41 scrolled/); // a page is the pane's rows but one
    await press(r, KEY.down);
    await waitForFrame(r, /2[345]\/41 scrolled/);
  });
});

describe('TraceScreen filters', () => {
  it('class keys filter history and new rows at once, the header shows them, x clears', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, openat(100, '/etc/a'), readCall(100, 5), connectCall(100));
    await waitForFrame(r, 'connect(');
    await press(r, 'f');
    let f = await waitForFrame(r, (fr) => !fr.includes('connect(') && fr.includes('filter: file'));
    assert.equal(rowsOf(f).length, 1);
    feed(store, tracer, openat(100, '/etc/b'), connectCall(100));
    f = await waitForFrame(r, '/etc/b');
    assert.equal(rowsOf(f).length, 2);
    await press(r, '%', 'n');
    f = await waitForFrame(r, 'filter: file,network');
    assert.equal(rowsOf(f).length, 4);
    await press(r, 'x');
    f = await waitForFrame(r, 'filter: none');
    assert.equal(rowsOf(f).length, 5);
  });

  it('every class key toggles its class', async () => {
    const { store, r } = setup();
    const want: [string, number][] = [
      ['p', SyscallClass.process],
      ['s', SyscallClass.signal],
      ['d', SyscallClass.desc],
      ['m', SyscallClass.memory],
      ['i', SyscallClass.ipc],
    ];
    for (const [k, bit] of want) {
      await press(r, k);
      assert.equal(store.getState().filter.classes, bit, k);
      await press(r, k);
      assert.equal(store.getState().filter.classes, 0, k);
    }
  });

  it('e shows failed calls only; & filters by text as typed, Esc restores', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, openat(100, '/etc/a'), openatFail(100, '/missing'), readCall(100, 9));
    await waitForFrame(r, '/missing');
    await press(r, 'e');
    let f = await waitForFrame(r, 'filter: failed');
    assert.equal(rowsOf(f).length, 1);
    await press(r, 'e', '&', 'r', 'e', 'a', 'd');
    f = await waitForFrame(r, 'filter: /read/');
    assert.equal(rowsOf(f).length, 1);
    assert.match(f, /read\(3/);
    await press(r, KEY.enter);
    await waitForFrame(r, 'Quit');
    await press(r, '&', KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'o', 'p');
    f = await waitForFrame(r, 'filter: /op/');
    assert.equal(rowsOf(f).length, 2);
    await press(r, KEY.escape);
    f = await waitForFrame(r, 'filter: /read/');
    assert.equal(store.getState().filterDraft, null);
  });

  it('says so when nothing matches', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, readCall(100, 1));
    await press(r, '%', 'n');
    await waitForFrame(r, 'no rows match the filters');
  });
});

describe('TraceScreen, a log loading', () => {
  it('the status bar says how far the log is read, in percent of its bytes, with the lines so far; LOADING goes once it is read', async () => {
    const { store, tracer, r } = setup({ width: 120 });
    const log = { ...LIVE_SOURCE, kind: 'log' as const, files: ['/x/big.log'], totalBytes: 1_000_000, timestamps: true, durations: false };
    tracer.push(readCall(100, 1));
    ingest(store, { events: tracer.drain(), stats: tracer.stats(), threads: tracer.threads(), enginePaused: false, done: false, rate: 0, source: { ...log, bytesRead: 370_000, lines: 123_456 } });
    let f = await waitForFrame(r, 'LOADING 37%');
    assert.match(f, /LOADING 37% +log big\.log │ 123,456 lines │/);
    ingest(store, { events: [], stats: tracer.stats(), threads: tracer.threads(), enginePaused: false, done: true, rate: 0, source: { ...log, bytesRead: 1_000_000, lines: 333_000 } });
    f = await waitForFrame(r, '333,000 lines');
    assert.doesNotMatch(f, /LOADING/);
  });
});

describe('TraceScreen threads', () => {
  it('busy threads get the panes; Tab and number keys focus a thread of the list, z zooms, t merges', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, readCall(100, 1), readCall(101, 2, 100));
    let f = await waitForFrame(r, 'tid 101 (pid 100)');
    assert.match(f, /pid 100 /);
    assert.equal(store.getState().mode, 'auto');
    await press(r, KEY.tab);
    const first = store.getState().focusTid;
    assert.ok(first === 100 || first === 101);
    assert.equal(store.getState().mode, 'threads');
    await press(r, KEY.tab);
    assert.equal(store.getState().focusTid, first === 100 ? 101 : 100);
    await press(r, KEY.shiftTab);
    assert.equal(store.getState().focusTid, first);
    await press(r, 'z');
    f = await waitForFrame(r, '[zoomed]');
    assert.equal(f.includes('tid 101 (pid 100)'), first === 101);
    await press(r, 'z', 't');
    f = await waitForFrame(r, 'all threads, in time order (2 live)');
    assert.match(f, /\s100 read\(3, .*= 1\s/);
    assert.match(f, /\s101 read\(3, .*= 2\s/);
    await press(r, 't');
    await waitForFrame(r, (fr) => !fr.includes('all threads'));
  });

  it('threads that exited give their panes to the live ones, and go last in the list (H hides them)', async () => {
    const { store, tracer, r } = setup({ width: 160 });
    const exit = (tid: number) => ({ kind: 'exit' as const, pid: tid, tid, code: 0, signo: 0, core: false, processGone: true, text: '+++ exited with 0 +++', wallUs: 0, entryNs: 0 });
    feed(store, tracer, ...[200, 201, 202, 203].map((t) => readCall(t, t)), exit(201), exit(202), exit(203), readCall(100, 1));
    const f = await waitForFrame(r, 'threads 5');
    assert.match(f, /pid 100 /);
    assert.match(f, /pid 200 /);
    assert.doesNotMatch(f, /pid 201 /);
    const list = f.split('\n').filter((l) => /^[1-9 ] +\d+ /.test(l)).map((l) => Number(/^[1-9 ] +(\d+)/.exec(l)![1]));
    assert.deepEqual(list.slice(0, 2).sort(), [100, 200]);
    assert.deepEqual(list.slice(2).sort(), [201, 202, 203]);
    assert.match(f, /201 .*exited with 0/);
    await press(r, 'H');
    await waitForFrame(r, 'threads 2 (+3 exited, H)');
    await press(r, 'H', '3');
    await waitForFrame(r, /3: pid 20[123] \+\+\+ exited with 0 \+\+\+/);
  });

  it('auto: with the cursor moved, a thread going quiet does not swap its pane for the merged timeline; F lets it', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, ...Array.from({ length: 40 }, (_, i) => readCall(100, i)), readCall(101, 1000, 100));
    // One busy thread (of two): its pane alone.
    const activity = (active: number[]) => store.setState({ active, version: store.getState().version + 1 });
    activity([100]);
    await waitForFrame(r, (f) => /pid 100 .*following/.test(f) && !f.includes('[merged timeline]'));
    await press(r, KEY.up);
    await waitForFrame(r, 'scrolled (F follows)');
    // Quiet now: auto would show both threads in one timeline, not while the reader is on a row.
    activity([]);
    let f = await waitForFrame(r, (fr) => fr.includes('scrolled (F follows)'));
    assert.doesNotMatch(f, /merged timeline/);
    assert.match(f, /39\/40 scrolled/);
    await press(r, 'F');
    f = await waitForFrame(r, 'all threads, in time order');
    assert.match(f, /\[merged timeline\]/);
  });

  it('more busy threads than panes fit: one merged timeline; l shows the thread list, a number focuses one', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, ...[100, 101, 102, 103, 104, 105].map((t) => readCall(t, t, 100)));
    let f = await waitForFrame(r, 'all threads, in time order (6 live)');
    assert.match(f, /\[merged timeline\]/);
    await press(r, 'l');
    f = await waitForFrame(r, 'threads 6');
    assert.match(f, /^6 +10[0-5] /m);
    const sixth = Number(/^6 +(\d+) /m.exec(f)![1]);
    await press(r, '6');
    await waitForFrame(r, `6: ${sixth === 100 ? 'pid' : 'tid'} ${sixth}`);
  });
});

describe('TraceScreen title line', () => {
  it('a long title is cut at its end, the view it shows ([merged timeline]) stays whole', async () => {
    const { store, tracer, r } = setup({ width: 80 });
    const long = '/a/long/checkout/path/build/fixtures/a_program_with_a_long_name --and --its --arguments';
    store.setState({ title: long });
    feed(store, tracer, ...[100, 101, 102, 103, 104, 105].map((t) => readCall(t, t, 100)));
    const f = await waitForFrame(r, 'all threads, in time order (6 live)');
    const top = f.split('\n')[0];
    // The title gives way; the toggles keep their place at the line's end (x, clear all).
    assert.match(top, /^ \/a\/long\/checkout\/path\S*> \[merged timeline\] +f .* x$/, top);
  });

  it('headText: whole when it fits; else the title cut with > and the marks whole; else simply cut', () => {
    assert.equal(headText('cmd', ' [zoomed]', 20), ' cmd [zoomed]'.padEnd(20));
    assert.equal(headText('/usr/bin/some-command --flag', ' [zoomed]', 24), ' /usr/bin/some> [zoomed]');
    assert.equal(headText('/usr/bin/some-command --flag', ' [merged timeline]', 24), ' /usr/bin/some-command -');
    assert.equal(headText('/usr/bin/some-command --flag', '', 12), ' /usr/bin/s>');
  });
});

describe('TraceScreen details, counters, pause, quit', () => {
  it('Enter opens the row details: full line, raw args in hex, errno meaning; Esc closes', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, openatFail(100, '/a/very/long/path/that/will/not/fit/in/one/row/of/the/pane/at/all/really'));
    await waitForFrame(r, 'openat(');
    await press(r, KEY.enter);
    const f = await waitForFrame(r, 'row details');
    assert.match(f, /ENOENT \(2\): No such file or directory/);
    assert.match(f, /arg0\s+0x00000000ffffff9c/);
    assert.match(f, /at\/all\/really", O_RDO/); // unabridged, wrapped
    await press(r, ...Array(12).fill(KEY.down));
    const dump = await waitForFrame(r, '2f 61 2f 76'); // the path's bytes
    assert.match(dump, /#1: 72 bytes/);
    assert.match(dump, /\|\/a\/very\/long\/path\/|/);
    await press(r, KEY.escape);
    await waitForFrame(r, (fr) => !fr.includes('row details'));
  });

  it('c shows the counter table for the focused process, sortable, r resets, T scopes to the thread', async () => {
    const { store, tracer, r } = setup();
    tracer.counterRows = [
      { nr: 0, name: 'read', calls: 10, errors: 0, timeNs: 1000_000, minNs: 0, maxNs: 0 },
      { nr: 257, name: 'openat', calls: 2, errors: 1, timeNs: 3000_000, minNs: 0, maxNs: 0 },
    ];
    feed(store, tracer, readCall(100, 1));
    await press(r, 'c');
    let f = await waitForFrame(r, '-c counters: everything traced (strace -c -f)');
    assert.match(f, /wall-clock/);
    assert.ok(tracer.calls.includes('counters {}'));
    assert.match(f, /sorted by time/);
    const order = (fr: string) => fr.split('\n').filter((l) => / (read|openat)$/.test(l)).map((l) => l.trim().split(/\s+/).pop());
    assert.deepEqual(order(f), ['openat', 'read']);
    assert.match(f, /75\.00\s+0\.003000\s+1500\s+2\s+1 openat/);
    await press(r, KEY.right, KEY.right); // usecs -> calls
    f = await waitForFrame(r, 'sorted by calls');
    assert.deepEqual(order(f), ['read', 'openat']);
    await press(r, 'I');
    f = await waitForFrame(r, 'sorted by calls ^');
    assert.deepEqual(order(f), ['openat', 'read']);
    await press(r, KEY.left);
    await waitForFrame(r, 'sorted by usecs');
    await press(r, 'T');
    await waitForFrame(r, '-c counters: process 100');
    assert.ok(tracer.calls.includes('counters {"pid":100}'));
    await press(r, 'T');
    await waitForFrame(r, '-c counters: thread 100');
    assert.ok(tracer.calls.includes('counters {"tid":100}'));
    await press(r, 'r');
    f = await waitForFrame(r, 'no system calls counted yet');
    assert.ok(tracer.calls.includes('resetCounters'));
    await press(r, 'c');
    await waitForFrame(r, (fr) => !fr.includes('-c counters'));
  });

  it('c: the total has strace\'s rule above it; calls that do not fit are counted there and scroll with ↑ ↓ PgUp PgDn', async () => {
    const { store, tracer, r } = setup({ width: 80, height: 24 });
    // 30 calls, sorted by time: call00 the longest.
    tracer.counterRows = Array.from({ length: 30 }, (_, i) => ({ nr: 1000 + i, name: `call${String(i).padStart(2, '0')}`, calls: 1, errors: 0, timeNs: (100 - i) * 1000, minNs: 0, maxNs: 0 }));
    feed(store, tracer, readCall(100, 1));
    await press(r, 'c');
    let f = await waitForFrame(r, / total$/m);
    const lines = f.split('\n');
    const total = lines.findIndex((l) => / total$/.test(l));
    const shown = lines.filter((l) => / call\d\d$/.test(l)).length;
    assert.ok(shown > 5 && shown < 30, `${shown} rows shown`);
    assert.match(lines[total - 1]!, new RegExp(`^-{6} -{11} -{11} -{9} -{9} 1-${shown} of 30 ↑ ↓ PgUp PgDn$`));
    assert.match(f, / call00$/m);
    await press(r, KEY.down);
    f = await waitForFrame(r, `2-${shown + 1} of 30`);
    assert.doesNotMatch(f, / call00$/m);
    await press(r, KEY.pageDown, KEY.pageDown, KEY.pageDown);
    f = await waitForFrame(r, `${31 - shown}-30 of 30`);
    assert.match(f, / call29$/m);
    await press(r, KEY.pageUp, KEY.pageUp, KEY.pageUp);
    await waitForFrame(r, `1-${shown} of 30`);
    // The wheel scrolls too, as in the panes.
    await press(r, KEY.wheelDown(10, 8));
    await waitForFrame(r, `2-${shown + 1} of 30`);
    await press(r, KEY.wheelUp(10, 8));
    await waitForFrame(r, `1-${shown} of 30`);
    // All of them fit: the rule is strace's, dashes only.
    tracer.counterRows = tracer.counterRows.slice(0, 3);
    await press(r, 'T', 'T', 'T');
    f = await waitForFrame(r, (fr) => !fr.includes('of 30') && /-c counters: everything/.test(fr));
    const l2 = f.split('\n');
    assert.match(l2[l2.findIndex((l) => / total$/.test(l)) - 1]!, /^-{6} -{11} -{11} -{9} -{9} -{16}$/);
  });

  it('a pane\'s title: a wait begun before the attach lasts "at least" as long as /proc dated it, not since the restart we saw', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, readCall(100, 1));
    await waitForFrame(r, 'read(3');
    const nowNs = Number(process.hrtime.bigint());
    Object.assign(tracer.threadList[0]!, { inSyscall: true, nr: 257, name: 'openat', entryNs: nowNs - 3e9, entryRestarted: true, waitNr: 257, waitSinceNs: nowNs - 3e9, waitLowerBound: true, waitBeganByMs: Date.now() - 109_000 });
    feed(store, tracer, readCall(101, 1, 100));
    await waitForFrame(r, /pid 100 in openat for at least 1(09|1\d)s /);
    // A call whose entry we saw: its own time, no "at least".
    Object.assign(tracer.threadList[0]!, { entryRestarted: false, waitLowerBound: false, waitBeganByMs: undefined });
    feed(store, tracer, readCall(101, 2, 100));
    await waitForFrame(r, /pid 100 in openat for \d\.\ds /);
  });

  it('Space freezes the display with a count of rows held back', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, readCall(100, 1));
    await press(r, ' ');
    feed(store, tracer, readCall(100, 2), readCall(100, 3));
    let f = await waitForFrame(r, 'FROZEN: 2 new rows not shown');
    assert.doesNotMatch(f, /= 3\s/);
    await press(r, ' ');
    f = await waitForFrame(r, (fr) => !fr.includes('FROZEN'));
    assert.match(f, /= 3\s/);
  });

  it('P stops every traced thread and resumes them; the status bar says so', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, readCall(100, 1));
    const bar = (fr: string) => plain(fr).trimEnd().split('\n').at(-1)!;
    assert.match(bar(await waitForFrame(r, 'read(3')), / Spc Freeze P Stop\b/);
    await press(r, 'P');
    // The bar says what P and Space do now: resume, unfreeze.
    assert.match(bar(await waitForFrame(r, 'STOPPED')), / Spc Freeze P Resume\b/);
    assert.deepEqual(tracer.calls, ['pause']);
    await press(r, ' ');
    await waitForFrame(r, (fr) => / Spc Unfreeze P Resume\b/.test(bar(fr)));
    await press(r, 'P', ' ');
    await waitForFrame(r, (fr) => !fr.includes('STOPPED') && / Spc Freeze P Stop\b/.test(bar(fr)));
    assert.deepEqual(tracer.calls, ['pause', 'resume']);
  });

  it('P while a vfork parent waits for its child: STOPPED, and why that thread is not (it returns once its stopped child runs)', () => {
    const thread = (tid: number, o: Partial<ThreadState> = {}): ThreadState => ({ pid: 100, tid, inSyscall: false, nr: -1, entryText: '', entryNs: 0, paused: true, groupStopped: false, ...o });
    const vforking = thread(100, { paused: false, inSyscall: true, nr: 58, name: 'vfork', entryText: 'vfork(' });
    const clone3 = thread(102, { paused: false, inSyscall: true, nr: 435, name: 'clone3', entryText: 'clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f0, stack_size=0x9000}' });
    assert.equal(pauseText([thread(100), thread(101)]), ' STOPPED: every traced thread is stopped (P resumes) ');
    assert.equal(pauseText([vforking, thread(101)]), ' STOPPED: every traced thread is stopped (a vfork parent waits for its stopped child; P resumes) ');
    assert.equal(pauseText([vforking, clone3, thread(101)]), ' STOPPED: every traced thread is stopped (2 vfork parents wait for their stopped children; P resumes) ');
    // Any other thread still running: not stopped yet.
    assert.match(pauseText([vforking, thread(101, { paused: false, inSyscall: true, name: 'read', entryText: 'read(3, ' })]), /^ STOPPING: 1 of 2 threads not stopped yet/);
    assert.match(pauseText([thread(101, { paused: false, inSyscall: true, name: 'clone', entryText: 'clone(child_stack=NULL, flags=CLONE_CHILD_SETTID' })]), /^ STOPPING: 1 of 1 /);
  });

  it('q quits (also from the details view), ? opens help on the trace keys, b inspects the focused process', async () => {
    const { store, tracer, r, quits, inspected } = setup();
    feed(store, tracer, readCall(101, 1, 100));
    await press(r, '?');
    const f = await waitForFrame(r, 'systrace-tui help');
    assert.match(f.split('\n')[f.split('\n').findIndex((l) => l.includes('systrace-tui help')) + 1], /^Trace screen/);
    // The bar has the help's keys: there F10 and q close it, they do not quit.
    assert.match(plain(f).trimEnd().split('\n').at(-1)!, /^↑ ↓ PgUp PgDn Scroll Esc F1 \? q F10 Close\s*$/);
    await press(r, KEY.escape);
    await waitForFrame(r, (fr) => !fr.includes('systrace-tui help'));
    await press(r, 'b');
    assert.deepEqual(inspected, [100]);
    await press(r, KEY.enter);
    await waitForFrame(r, 'row details');
    await press(r, 'q');
    assert.equal(quits(), 1);
  });
});

describe('TraceScreen search, function keys, menus and the mouse', () => {
  const cursorRow = (r: ReturnType<typeof mount>) => plain((r.lastFrame() ?? '').split('\n').find((l) => l.includes('\x1b[7m') && /\d+\.\d{6} /.test(plain(l))) ?? '');

  it('/ highlights matches without hiding rows; Enter, n and N move the cursor between them; Esc restores', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, openat(100, '/etc/a'), readCall(100, 1), openat(100, '/etc/B'), readCall(100, 2), openat(100, '/etc/c'));
    await waitForFrame(r, '/etc/c');
    await press(r, '/', 'E', 'T', 'C', '/');
    let f = await waitForFrame(r, /Search: ETC\/.*3 rows match/);
    assert.equal(rowsOf(f).length, 5); // nothing hidden
    assert.match(r.lastFrame() ?? '', /\x1b\[43m(\x1b\[30m)?etc\//); // the match in yellow
    await press(r, KEY.enter);
    await waitForFrame(r, 'scrolled (F follows)');
    assert.match(cursorRow(r), /\/etc\/c/); // the newest match (following, the search goes back)
    await press(r, 'N');
    await waitForFrame(r, () => /\/etc\/B/.test(cursorRow(r)));
    await press(r, 'N');
    await waitForFrame(r, () => /\/etc\/a/.test(cursorRow(r)));
    await press(r, 'N');
    await waitForFrame(r, 'no older match for /ETC//i');
    await press(r, 'n');
    await waitForFrame(r, () => /\/etc\/B/.test(cursorRow(r)));
    assert.match(plain(r.lastFrame()).split("\n")[0], /\/ETC\/ x/); // the header shows the search
    // Case and regex: ^A matches case (no row has ETC), ^R makes it a regex.
    await press(r, KEY.f(3), KEY.ctrl('a'));
    await waitForFrame(r, /match case: 0 rows match/);
    await press(r, KEY.ctrl('a'), '[', 'b', 'c', ']', KEY.ctrl('r'));
    f = await waitForFrame(r, /regex, any case: 2 rows match/); // ETC/[bc]: /etc/B and /etc/c
    await press(r, '(');
    await waitForFrame(r, /Unterminated group|unterminated/i);
    await press(r, KEY.escape);
    f = await waitForFrame(r, (fr) => !fr.includes('Search:'));
    assert.deepEqual(store.getState().search, { text: 'ETC/', regex: false, matchCase: false });
    await press(r, 'x');
    await waitForFrame(r, (fr) => !/\/ETC/.test(fr));
    assert.equal(store.getState().search, null);
  });

  it('% and a letter toggle a class (network is %n); a stray % says what it wants', async () => {
    const { store, r } = setup();
    await press(r, '%', 'n');
    assert.equal(store.getState().filter.classes, SyscallClass.network);
    await press(r, '%', 'f');
    assert.equal(store.getState().filter.classes, SyscallClass.network | SyscallClass.file);
    await press(r, '%', 'z');
    await waitForFrame(r, '% needs a class letter');
    assert.equal(store.getState().filter.classes, SyscallClass.network | SyscallClass.file);
  });

  it('F1 help on the trace section, F4 the text filter, F6 sorts the counters, F10 quits; the bar shows them', async () => {
    const { store, tracer, r, quits } = setup();
    feed(store, tracer, openat(100, '/etc/a'), readCall(100, 1));
    let f = await waitForFrame(r, 'read(3');
    assert.match(f, /F1 Help F3 Search F4 Filter F9 Kill F10 Quit/);
    await press(r, KEY.f(1));
    f = await waitForFrame(r, 'systrace-tui help');
    assert.match(f.split('\n')[f.split('\n').findIndex((l) => l.includes('systrace-tui help')) + 1], /^Trace screen/);
    await press(r, KEY.f(1));
    await waitForFrame(r, (fr) => !fr.includes('systrace-tui help'));
    await press(r, KEY.f(4), 'r', 'e', 'a', 'd', KEY.enter);
    f = await waitForFrame(r, 'filter: /read/');
    assert.equal(rowsOf(f).length, 1);
    await press(r, KEY.f(6));
    f = await waitForFrame(r, 'Sort counters by');
    await press(r, KEY.down, KEY.down, KEY.enter); // seconds, usecs/call, calls
    await waitForFrame(r, 'sorted by calls v');
    // A click on the errors column header sorts by it; again, reversed.
    const header = plain(r.lastFrame()).split('\n').findIndex((l) => /% time\s+seconds/.test(l));
    const x = plain(r.lastFrame()).split('\n')[header].indexOf('errors');
    await press(r, KEY.click(x, header));
    await waitForFrame(r, 'sorted by errors v');
    await press(r, KEY.click(x, header));
    await waitForFrame(r, 'sorted by errors ^');
    await press(r, KEY.f(10));
    assert.equal(quits(), 1);
  });

  it('F9 (and k) open the signal menu on SIGTERM for the focused process; Enter sends it and says so', async () => {
    const child = spawn('sleep', ['60']);
    const ended = new Promise((res) => child.once('exit', (_c, sig) => res(sig)));
    try {
      const pid = child.pid!;
      const { store, tracer, r } = setup();
      feed(store, tracer, readCall(pid, 1));
      await waitForFrame(r, 'read(3');
      await press(r, 'k');
      let f = await waitForFrame(r, `Send signal: ${pid}`);
      assert.match(selectedMenuLine(r), /15 SIGTERM/);
      assert.match(plain(f).split('\n').at(-1)!, /^Enter Send Esc F10 Cancel\s*$/);
      await press(r, KEY.escape);
      await waitForFrame(r, (fr) => !fr.includes('Send signal'));
      await press(r, KEY.f(9));
      await waitForFrame(r, 'Send signal');
      await press(r, KEY.enter);
      f = await waitForFrame(r, `sent SIGTERM to pid ${pid}`);
      assert.equal(await ended, 'SIGTERM');
      await press(r, KEY.f(9), KEY.enter);
      f = await waitForFrame(r, `SIGTERM not sent: pid ${pid} is gone (ESRCH)`);
      void f;
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a click puts the cursor on a row; the wheel scrolls', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, ...Array.from({ length: 40 }, (_, i) => readCall(100, i)));
    await waitForFrame(r, ') = 39');
    const lines = plain(r.lastFrame()).split('\n');
    const y = lines.findIndex((l) => /= 30\s/.test(l));
    await press(r, KEY.click(10, y));
    await waitForFrame(r, 'scrolled (F follows)');
    assert.match(cursorRow(r), /= 30\s/);
    await press(r, KEY.wheelUp(10, y));
    await waitForFrame(r, () => /= 27\s/.test(cursorRow(r)));
    await press(r, KEY.wheelDown(10, y), KEY.wheelDown(10, y));
    await waitForFrame(r, () => /= 33\s/.test(cursorRow(r)));
  });
});

/** The side menu's selected line (reverse video, at the left). */
function selectedMenuLine(r: ReturnType<typeof mount>): string {
  const raw = (r.lastFrame() ?? '').split('\n').find((l) => /^\x1b\[7m\s*\d+ SIG/.test(l) || /^(\x1b\[[0-9;]*m)*\x1b\[7m\s*\d+ SIG/.test(l));
  return plain(raw ?? '');
}
