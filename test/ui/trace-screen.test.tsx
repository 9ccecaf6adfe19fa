import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { TraceScreen } from '../../src/ui/TraceScreen.js';
import { createTraceStore, ingest, type TraceStore } from '../../src/ui/store.js';
import { connectCall, FakeTracer, KEY, mount, openat, openatFail, press, readCall, waitForFrame } from './helpers.js';
import type { TraceEvent } from '../../src/engine/types.js';

function feed(store: TraceStore, tracer: FakeTracer, ...evs: TraceEvent[]) {
  tracer.push(...evs);
  ingest(store, { events: tracer.drain(), stats: tracer.stats(), threads: tracer.threads(), enginePaused: tracer.paused, done: false, rate: 0 });
}

function setup(opts: { width?: number; height?: number } = {}) {
  const store = createTraceStore(1000, 'demo (pid 100)');
  const tracer = new FakeTracer();
  let quit = 0;
  const inspected: number[] = [];
  const r = mount(
    <TraceScreen
      store={store}
      tracer={tracer}
      width={opts.width ?? 100}
      height={opts.height ?? 23}
      onQuit={() => quit++}
      onInspect={(pid) => inspected.push(pid)}
    />,
  );
  return { store, tracer, r, quits: () => quit, inspected };
}

afterEach(() => cleanup());

describe('TraceScreen', () => {
  it('shows rows with time, tid, the strace line and duration; failed calls with their errno', async () => {
    const { store, tracer, r } = setup();
    feed(store, tracer, openat(100, '/etc/hostname'), openatFail(100, '/nope'));
    const f = await waitForFrame(r, '/nope');
    assert.match(f, /\d+\.\d{6}\s+100 openat\(AT_FDCWD, "\/etc\/hostname", O_RDONLY\) = 3\s+<0\.000012>/);
    assert.match(f, /ENOENT \(No such file or directory\)/);
    assert.match(f, /1 proc 1 thr/);
  });
});
