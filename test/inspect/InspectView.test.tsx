// The inspector screen over a real blocked process, driven through ink-testing-library.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mount, press, waitForFrame } from '../ui/helpers.js';
import { InspectView } from '../../src/ui/inspect/InspectView.js';
import { inspectProcess } from '../../src/engine/proc/blocking.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';

after(killAll);

test('lists threads, shows the selected one and what holds it up, toggles files and diagnostics, closes on q', async () => {
  const f = spawnFixture('block_pipe_full');
  await f.ready;
  await waitFor(async () => ((await inspectProcess(f.pid, { skipOpenFiles: true })).threads[0]?.name === 'write' ? true : undefined), 'the write to block');
  // The chain ends at the reader in pause(): on a loaded machine it may not have got there yet.
  const reader = Number(f.info.reader);
  await waitFor(async () => ((await inspectProcess(reader, { skipOpenFiles: true })).threads[0]?.name === 'pause' ? true : undefined), 'the reader to pause');
  let closed = false;
  const ui = mount(<InspectView pid={f.pid} width={120} height={30} thresholdMs={0} refreshMs={60000} onClose={() => (closed = true)} />);
  try {
    let frame = await waitForFrame(ui, 'stack:');
    assert.match(frame, new RegExp(`inspect pid ${f.pid} \\(block_pipe_full\\) 1 thread, 1 blocked`));
    assert.match(frame, new RegExp(`! +${f.pid} S +at least`));
    assert.match(frame, /call: +write\(\d+<pipe:\[\d+\]>/);
    assert.match(frame, new RegExp(`reads: +blocked writing to a full pipe read by pid ${f.info.reader}`));
    assert.match(frame, new RegExp(`waits on: block_pipe_full ${f.pid} -> writes to a full pipe read by block_pipe_full ${f.info.reader} \\(S, in pause\\)`));
    for (const line of frame.split('\n')) assert.ok(line.length <= 120);
    assert.ok(frame.split('\n').length <= 30);

    await press(ui, 'f');
    frame = await waitForFrame(ui, '-- open files');
    assert.match(frame, /FD {4}TYPE {5}MODE {2}TARGET/);

    await press(ui, 'd');
    frame = await waitForFrame(ui, '-- attach diagnostics');
    assert.match(frame, /\[(ok|info|FAIL)\] +ptrace_scope: /);

    await press(ui, 'q');
    await waitFor(() => (closed ? true : undefined), 'q to close the view');
  } finally {
    ui.unmount();
  }
});

test('a pid that does not exist shows the reason instead of crashing', async () => {
  const ui = mount(<InspectView pid={4194305} width={80} height={10} refreshMs={60000} />);
  try {
    await waitForFrame(ui, 'inspect pid 4194305: pid 4194305 does not exist');
  } finally {
    ui.unmount();
  }
});
