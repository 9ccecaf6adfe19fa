// The inspector screen over a real blocked process, driven through ink-testing-library.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { InspectView } from '../../src/ui/inspect/InspectView.js';
import { inspectProcess } from '../../src/engine/proc/blocking.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';

after(killAll);

const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));

test('lists threads, shows the selected one, toggles files and diagnostics, closes on q', async () => {
  const f = spawnFixture('block_pipe_full');
  await f.ready;
  await waitFor(() => (inspectProcess(f.pid, { skipOpenFiles: true }).threads[0]?.name === 'write' ? true : undefined), 'the write to block');
  let closed = false;
  const ui = render(<InspectView pid={f.pid} width={120} height={30} thresholdMs={0} refreshMs={60000} onClose={() => (closed = true)} />);
  try {
    let frame = ui.lastFrame() ?? '';
    assert.match(frame, new RegExp(`inspect pid ${f.pid} \\(block_pipe_full\\) 1 thread, 1 blocked`));
    assert.match(frame, new RegExp(`! +${f.pid} S +at least`));
    assert.match(frame, /call: {2}write\(\d+<pipe:\[\d+\]>/);
    assert.match(frame, new RegExp(`reads: blocked writing to a full pipe read by pid ${f.info.reader}`));
    assert.match(frame, /kernel stack/);
    for (const line of frame.split('\n')) assert.ok(line.length <= 120);
    assert.ok(frame.split('\n').length <= 30);

    ui.stdin.write('f');
    await tick();
    frame = ui.lastFrame() ?? '';
    assert.match(frame, /-- open files/);
    assert.match(frame, /FD {4}TYPE {5}MODE {2}TARGET/);

    ui.stdin.write('d');
    await tick();
    frame = ui.lastFrame() ?? '';
    assert.match(frame, /-- attach diagnostics/);
    assert.match(frame, /\[(ok|info|FAIL)\] +ptrace_scope: /);

    ui.stdin.write('q');
    await tick();
    assert.equal(closed, true);
  } finally {
    ui.unmount();
  }
});

test('a pid that does not exist shows the reason instead of crashing', () => {
  const ui = render(<InspectView pid={4194305} width={80} height={10} refreshMs={60000} />);
  try {
    assert.match(ui.lastFrame() ?? '', /inspect pid 4194305: pid 4194305 does not exist/);
  } finally {
    ui.unmount();
  }
});
