// The Findings view (!): live as batches come in (the status bar counts them), problems first with
// their evidence, meaning and next check, the calls they rest on; Enter opens a call's row in its
// thread's pane; the non-blocking connect's result is on its own row.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { TraceScreen } from '../../src/ui/TraceScreen.js';
import { createTraceStore, ingest, viewOf, type TraceStore } from '../../src/ui/store.js';
import { FakeTracer, KEY, mount, press, sys, waitForFrame } from './helpers.js';
import type { TraceEvent } from '../../src/engine/types.js';

function feed(store: TraceStore, tracer: FakeTracer, ...evs: TraceEvent[]) {
  tracer.push(...evs);
  ingest(store, { events: tracer.drain(), stats: tracer.stats(), threads: tracer.threads(), enginePaused: tracer.paused, done: tracer.done, rate: 0 });
}

function setup(width = 100, height = 30) {
  const store = createTraceStore(1000, 'demo');
  const tracer = new FakeTracer();
  let quit = 0;
  const r = mount(<TraceScreen store={store} source={tracer} tracer={tracer} width={width} height={height} onQuit={() => quit++} />);
  return { store, tracer, r, quits: () => quit };
}

const denied = (tid: number) =>
  sys(tid, 'openat', 'openat(AT_FDCWD, "/srv/app/secret.conf", O_RDONLY) = -1 EACCES (Permission denied)', { errno: 'EACCES', rval: -13 });
const isatty = (tid: number) => sys(tid, 'ioctl', 'ioctl(1, TCGETS, 0x7ffd5c3a1e40) = -1 ENOTTY (Inappropriate ioctl for device)', { errno: 'ENOTTY', rval: -25 });
const nbSocket = (tid: number) => sys(tid, 'socket', 'socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 5', { rval: 5 });
const nbConnect = (tid: number) =>
  sys(tid, 'connect', 'connect(5, {sa_family=AF_INET, sin_port=htons(6379), sin_addr=inet_addr("10.1.1.1")}, 16) = -1 EINPROGRESS (Operation now in progress)', { errno: 'EINPROGRESS', rval: -115 });
const soError = (tid: number) => sys(tid, 'getsockopt', 'getsockopt(5, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0', { rval: 0 });

afterEach(() => cleanup());

describe('Findings view', () => {
  it('counts findings in the status bar as they come, and ! lists them, problems first', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, isatty(100));
    await waitForFrame(r, 'ioctl(1, TCGETS');
    // an expected failure is no finding to show
    assert.doesNotMatch(r.lastFrame() ?? '', /! \d+ problem/);
    feed(store, tracer, denied(100), nbSocket(101), nbConnect(101), soError(101));
    let f = await waitForFrame(r, '! 2 problems');
    await press(r, '!');
    f = await waitForFrame(r, 'findings: 2 problems, 0 notes, 2 expected failures (e shows them)');
    assert.match(f, /PROBLEM openat \/srv\/app\/secret\.conf: permission denied/);
    assert.match(f, /PROBLEM connect to 10\.1\.1\.1:6379 \(non-blocking\): refused/);
    // the selected (first) finding's details
    assert.match(f, /which component refuses, and why: not checked/);
    assert.match(f, /next: +namei -l \/srv\/app\/secret\.conf/);
    assert.match(f, /\[100\] openat\(AT_FDCWD, "\/srv\/app\/secret\.conf", O_RDONLY\) = -1 EACCES/);
    // e shows the expected ones too
    await press(r, 'e');
    f = await waitForFrame(r, 'expected failure: ioctl');
    // A group's title says how many: no x2 after it.
    feed(store, tracer, isatty(100));
    f = await waitForFrame(r, '2 expected failures: ioctl');
    assert.match(f, /2 expected failures: ioctl\(TCGETS\/TIOCGWINSZ\.\.\.\) fails with ENOTTY *$/m);
    await press(r, KEY.escape);
    await waitForFrame(r, (x) => !x.includes('findings:') && x.includes('F1 Help'));
  });

  it('Tab and Enter open the row a finding rests on, in its thread\'s pane; the connect row shows how it ended', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, denied(100), nbSocket(101), nbConnect(101), soError(101), ...Array.from({ length: 40 }, (_, i) => sys(101, 'read', `read(3, "", 10) = ${i + 1}`, { rval: i + 1 })));
    await waitForFrame(r, '! 2 problems');
    await press(r, '!', KEY.down);
    let f = await waitForFrame(r, /refused \(ECONNREFUSED from getsockopt\(SO_ERROR\), after/);
    await press(r, KEY.tab, KEY.enter);
    f = await waitForFrame(r, (x) => !x.includes('findings:') && /EINPROGRESS -> refused/.test(x));
    const s = store.getState();
    assert.equal(s.focusTid, 101);
    const view = viewOf(s, 101);
    assert.equal(view.follow, false);
    assert.equal(s.history.at(view.cursor)?.kind === 'syscall' && (s.history.at(view.cursor) as { name: string }).name, 'connect');
    assert.match(f, /connect\(5, .* = -1 EINPROGRESS -> refused/);
    // and the row details tell the whole story
    await press(r, KEY.enter);
    f = await waitForFrame(r, 'row details');
    assert.match(f, /ended +refused \(ECONNREFUSED from getsockopt\(SO_ERROR\)/);
    assert.match(f, /Findings resting on this row/);
    assert.match(f, /connect to 10\.1\.1\.1:6379 \(non-blocking\): refused/);
  });

  it('q still quits from the view; ? opens the help, which lists the view\'s keys', async () => {
    const { store, tracer, r, quits } = setup();
    feed(store, tracer, denied(100));
    await waitForFrame(r, '! 1 problem');
    await press(r, '!', '?');
    await waitForFrame(r, 'systrace-tui help');
    // page down to the view's section (the help grows as keys are added; a page may cut it)
    const frames: string[] = [];
    for (let i = 0; i < 8 && !/open the row of the selected call in its thread's pane/.test(frames.join('\n')); i++) {
      await press(r, KEY.pageDown);
      frames.push(r.lastFrame() ?? '');
    }
    const pages = frames.join('\n');
    assert.match(pages, /^Findings \(!\)$/m);
    assert.match(pages, /open the row of the selected call in its thread's pane/);
    await press(r, KEY.escape, 'q');
    assert.equal(quits(), 1);
  });
});
