import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { Text } from 'ink';
import { App, loadTraceKit } from '../../src/ui/App.js';
import type { ProcessInfo } from '../../src/engine/proclist.js';
import { FakeTracer, KEY, mount, openat, press, readCall, remount, waitForFrame } from './helpers.js';

const PROCS: ProcessInfo[] = [
  { pid: 4242, ppid: 1, uid: 0, user: 'root', state: 'S', threads: 2, cpu: 1, rss: 1 << 20, wchan: 'do_wait', comm: 'fixture', cmdline: './fixture --loop', kernelThread: false, cgroup: '', unit: '', ns: { pid: false, mnt: false, net: false, innerPid: 0 } },
];

afterEach(() => cleanup());
// runTui loads the trace screen before a first frame that is a trace; these mount App themselves.
before(() => loadTraceKit());

describe('App', () => {
  it('goes from the picker to the trace screen of the attached process and drains its events', async () => {
    const tracer = new FakeTracer();
    tracer.push(openat(4242, '/etc/hostname'));
    const r = mount(
      <App target={{ kind: 'picker' }} openTracer={() => tracer} historyCap={100} listProcesses={() => PROCS} drainIntervalMs={10} size={{ columns: 100, rows: 24 }} />,
    );
    await waitForFrame(r, './fixture --loop');
    await press(r, KEY.enter);
    await waitForFrame(r, 'fixture (pid 4242)');
    await waitForFrame(r, '"/etc/hostname"');
    tracer.push(readCall(4243, 7, 4242));
    await waitForFrame(r, '1 proc 2 thr');
    // The thread that is busy has a pane, titled with its tid and its process.
    await waitForFrame(r, 'tid 4243 (pid 4242)');
  });

  it('takes a backlog larger than a slice in slices, and shows all of it once drained', async () => {
    const tracer = new FakeTracer();
    for (let i = 0; i < 20_000; i++) tracer.push(readCall(7, i));
    const r = mount(<App target={{ kind: 'tracer', tracer, title: 't' }} openTracer={() => tracer} historyCap={50_000} drainIntervalMs={10} size={{ columns: 100, rows: 24 }} />);
    const f = await waitForFrame(r, '20000/20000 following', 10000);
    assert.match(f, /read\(3, "abc\\n", 4096\) = 19999/);
    assert.equal(tracer.queue.length, 0);
  });

  it('q detaches from the traced processes', async () => {
    const tracer = new FakeTracer();
    const r = mount(<App target={{ kind: 'tracer', tracer, title: 't' }} openTracer={() => tracer} historyCap={100} size={{ columns: 80, rows: 24 }} />);
    await waitForFrame(r, 'waiting for system calls');
    await press(r, 'q');
    assert.ok(tracer.detached);
  });

  it('Ctrl-C detaches too', async () => {
    const tracer = new FakeTracer();
    const r = mount(<App target={{ kind: 'tracer', tracer, title: 't' }} openTracer={() => tracer} historyCap={100} size={{ columns: 80, rows: 24 }} />);
    await waitForFrame(r, 'waiting for system calls');
    await press(r, KEY.ctrl('c'));
    assert.ok(tracer.detached);
  });

  it('a too small terminal gets a clear message, and q still quits', async () => {
    const tracer = new FakeTracer();
    const r = mount(<App target={{ kind: 'tracer', tracer, title: 't' }} openTracer={() => tracer} historyCap={100} size={{ columns: 50, rows: 12 }} />);
    const f = await waitForFrame(r, 'Terminal too small');
    assert.match(f, /50x12/);
    assert.match(f, /60x15/);
    await press(r, 'q');
    assert.ok(tracer.detached);
  });

  it('fits the layout to the size, and follows a resize', async () => {
    const tracer = new FakeTracer();
    tracer.push(readCall(1, 1));
    const props = { target: { kind: 'tracer', tracer, title: 't' } as const, openTracer: () => tracer, historyCap: 100 };
    const r = mount(<App {...props} size={{ columns: 80, rows: 24 }} />);
    let f = await waitForFrame(r, 'Quit');
    assert.equal(f.split('\n').length, 23); // strictly below the terminal's rows
    assert.ok(f.split('\n').every((l) => l.length <= 80));
    remount(r, <App {...props} size={{ columns: 90, rows: 30 }} />);
    f = await waitForFrame(r, (fr) => fr.split('\n').length === 29);
    remount(r, <App {...props} size={{ columns: 40, rows: 30 }} />);
    await waitForFrame(r, 'Terminal too small');
  });

  it('b opens the inspector route with the focused pid, and it can close', async () => {
    const tracer = new FakeTracer();
    tracer.push(readCall(77, 1));
    let close = () => {};
    const r = mount(
      <App
        target={{ kind: 'tracer', tracer, title: 't' }}
        openTracer={() => tracer}
        historyCap={100}
        size={{ columns: 80, rows: 24 }}
        drainIntervalMs={10}
        renderInspect={({ pid, tracer: t, onClose }) => {
          close = onClose;
          return <Text>inspecting {pid} {t ? 'with tracer' : 'alone'}</Text>;
        }}
      />,
    );
    await waitForFrame(r, 'read(3');
    await press(r, 'b');
    await waitForFrame(r, 'inspecting 77 with tracer');
    close();
    await waitForFrame(r, 'read(3');
  });

  it('back from the inspector, the picker still has its filter and selection', async () => {
    const procs: ProcessInfo[] = [...PROCS, { ...PROCS[0], pid: 4343, comm: 'other', cmdline: './other' }];
    let closeInspector = () => {};
    const r = mount(
      <App
        target={{ kind: 'picker' }}
        openTracer={() => new FakeTracer()}
        historyCap={100}
        listProcesses={() => procs}
        size={{ columns: 100, rows: 24 }}
        renderInspect={({ pid, onClose }) => {
          closeInspector = onClose;
          return <Text>inspecting {pid}</Text>;
        }}
      />,
    );
    await waitForFrame(r, './fixture --loop');
    await press(r, 'o', 't', 'h');
    await waitForFrame(r, 'Filter: oth');
    await press(r, KEY.ctrl('k'));
    await waitForFrame(r, 'inspecting 4343');
    closeInspector();
    const f = await waitForFrame(r, 'Filter: oth');
    assert.match(f, /4343 .*\.\/other/);
  });

  it('without an inspector, b says so', async () => {
    const tracer = new FakeTracer();
    tracer.push(readCall(77, 1));
    const r = mount(<App target={{ kind: 'tracer', tracer, title: 't' }} openTracer={() => tracer} historyCap={100} size={{ columns: 80, rows: 24 }} drainIntervalMs={10} />);
    await waitForFrame(r, 'read(3');
    await press(r, 'b');
    await waitForFrame(r, 'inspector not available');
  });
});

describe('key bursts', () => {
  it('a burst of characters (paste, tmux) is handled key by key, each after the previous one took effect', async () => {
    const tracer = new FakeTracer();
    tracer.push(openat(5, '/etc/hostname'), readCall(5, 3));
    const r = mount(<App target={{ kind: 'tracer', tracer, title: 't' }} openTracer={() => tracer} historyCap={100} size={{ columns: 80, rows: 24 }} drainIntervalMs={10} />);
    await waitForFrame(r, 'read(3');
    r.stdin.write('t&host\r');
    const f = await waitForFrame(r, 'filter: /host/');
    assert.match(f, /all threads/);
    assert.doesNotMatch(f, /read\(3/);
  });
});
