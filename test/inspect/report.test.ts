// The text report of --plain --inspect.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, inspectProcess } from '../../src/engine/proc/blocking.js';
import { formatBlockedFor, renderInspectReport } from '../../src/engine/proc/report.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';

after(killAll);

test('durations read naturally', () => {
  assert.equal(formatDuration(250), '250 ms');
  assert.equal(formatDuration(5000), '5 s');
  assert.equal(formatDuration(12345), '12.3 s');
  assert.equal(formatDuration(250000), '4 min 10 s');
  assert.equal(formatDuration(7500000), '2 h 5 min');
  assert.equal(formatBlockedFor({ blockedForMs: 12345, exact: false }), 'at least 12.3 s');
  assert.equal(formatBlockedFor({ blockedForMs: 12345, exact: true }), '12.3 s');
  assert.equal(formatBlockedFor({ blockedForMs: undefined, exact: false }), '');
});

test('the report has a header, a block per thread, the open files and diagnostics', async () => {
  const f = spawnFixture('block_pipe_full');
  await f.ready;
  const reader = f.info.reader;
  const report = await waitFor(async () => {
    const r = await inspectProcess(f.pid, { diagnose: true, thresholdMs: 0 });
    return r.threads[0]?.name === 'write' ? r : undefined;
  }, 'the write to block');
  const text = renderInspectReport(report);
  const lines = text.split('\n');
  assert.match(lines[0], new RegExp(`^# inspect pid ${f.pid} \\(block_pipe_full\\): 1 thread, 1 blocked > 0 ms, at \\d{4}-\\d\\d-\\d\\dT`));
  assert.ok(lines.includes('## threads'));
  assert.ok(lines.some((l) => new RegExp(`^thread ${f.pid} \\(block_pipe_full\\) S sleeping, BLOCKED at least \\d`).test(l)));
  assert.ok(lines.some((l) => /^ {2}call: {3}write\(\d+<pipe:\[\d+\]>, 0x[0-9a-f]+, 4096\)$/.test(l)));
  assert.ok(lines.includes(`  reads:  blocked writing to a full pipe read by pid ${reader} (block_pipe_full)`));
  assert.ok(lines.some((l) => /^ {2}fd \d+: +pipe:\[\d+\] -> read by /.test(l)));
  assert.ok(lines.some((l) => /^ {2}wchan: {2}\S/.test(l)));
  assert.ok(lines.some((l) => /^ {2}stack: {2}\S/.test(l)));
  assert.ok(lines.some((l) => /^## open files \(\d+\)$/.test(l)));
  assert.ok(lines.includes('FD    TYPE     MODE  TARGET'));
  assert.ok(lines.includes('## diagnostics'));
  assert.ok(lines.some((l) => /^\[(ok|FAIL|info)\] {0,2} ?ptrace_scope: /.test(l)));
  assert.ok(text.endsWith('\n'));
});

test('width clips lines but keeps them greppable', async () => {
  const f = spawnFixture('block_tcp_read');
  await f.ready;
  const report = await inspectProcess(f.pid);
  for (const line of renderInspectReport(report, { width: 60 }).split('\n')) {
    if (/^ {10}\S/.test(line)) continue; // stack frames are never clipped
    assert.ok(line.length <= 60, line);
  }
});

test('a process that does not exist renders as one line', async () => {
  const text = renderInspectReport(await inspectProcess(4194305));
  assert.match(text, /^# inspect pid 4194305: pid 4194305 does not exist, at \S+\n$/);
});
