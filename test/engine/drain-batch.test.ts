// drainBatch: the TUI's column form of drain(). A real tracee (plain_calls term: a failing and a
// succeeding open, a write, a child that exits, waitpid, SIGCHLD, death by SIGTERM) is traced
// twice, once drained as objects and once as columns; both must hold the same events. The runs
// differ only in what any two runs differ in (pids, addresses, times), which is normalized away.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

import { TraceSession } from '../../src/engine/session.js';
import { batchFromEvents, eventsFromBatch } from '../../src/engine/trace-batch.js';
import { BatchFlag, type SyscallEvent, type TraceBatch, type TraceEvent } from '../../src/engine/types.js';
import { fixturePath, killAll, waitFor } from '../helpers/fixtures.js';

const sessions: TraceSession[] = [];
after(async () => {
  for (const s of sessions) s.detach();
  await killAll();
});

async function traceToEnd<T>(take: (s: TraceSession) => T[]): Promise<{ pid: number; got: T[] }> {
  const s = TraceSession.launch([fixturePath('plain_calls'), 'term'], {}, { stdio: [-1, -1, -1] });
  sessions.push(s);
  const got: T[] = [];
  await waitFor(() => {
    got.push(...take(s));
    return s.done ? true : undefined;
  }, 'plain_calls term to end', 30000, 10);
  for (let more = take(s); more.length; more = take(s)) got.push(...more);
  s.detach();
  return { pid: s.launchedPid, got };
}

function checkShape(b: TraceBatch): void {
  const n = b.count;
  for (const col of [b.pid, b.tid, b.nr, b.classes, b.rval, b.err, b.entryNs, b.exitNs, b.wallUs, b.flags]) assert.equal(col.length, n);
  assert.equal(b.args.length, 6 * n);
  assert.equal(b.texts.length, n);
  assert.equal(b.order.length, b.others.length);
  for (let k = 0; k < b.order.length; k++) {
    assert.ok(b.order[k] <= n && (k === 0 || b.order[k] >= b.order[k - 1]), `order[${k}] = ${b.order[k]}`);
    assert.notEqual(b.others[k].kind, 'syscall');
  }
  for (let j = 0; j < n; j++) assert.ok(b.flags[j] & BatchFlag.args, 'the engine always gives the raw arguments');
}

/** One run's events with what differs between runs replaced: pids, addresses, CPU times. */
function normalize(events: TraceEvent[], pid: number): string[][] {
  const child = events.find((e) => e.tid !== pid)?.tid ?? -1;
  const who = (tid: number) => (tid === pid ? 'P' : tid === child ? 'C' : `?${tid}`);
  const text = (s: string) =>
    s
      .replace(new RegExp(`\\b${pid}\\b`, 'g'), 'PID')
      .replace(new RegExp(`\\b${child}\\b`, 'g'), 'CPID')
      .replace(/0x[0-9a-f]+/g, '0x?')
      .replace(/si_(utime|stime)=\d+/g, 'si_$1=?');
  const byThread = new Map<string, string[]>();
  for (const e of events) {
    const t = who(e.tid);
    let line: string;
    if (e.kind === 'syscall') {
      const rval = e.rval === pid || e.rval === child ? who(e.rval) : Math.abs(e.rval) > 2 ** 32 ? 'ADDR' : String(e.rval);
      line = [e.kind, who(e.pid), e.nr, e.name, e.classes, rval, e.errno, e.unfinished, e.args.length, text(e.text)].join(' | ');
      assert.ok(e.unfinished || e.exitNs >= e.entryNs, `exit after entry: ${e.text}`);
    } else {
      const { pid: _p, tid: _t, wallUs: _w, entryNs: _e, ...rest } = e;
      line = JSON.stringify(rest, (k, v: unknown) => (typeof v === 'string' ? text(v) : k === 'parentTid' || k === 'oldTid' ? who(v as number) : v));
    }
    if (!byThread.has(t)) byThread.set(t, []);
    byThread.get(t)!.push(line);
  }
  // Where a signal (SIGCHLD: the child's exit) is delivered among the parent's calls is up to the
  // scheduler: signals are compared as a set, the rest in order.
  const isSignal = (l: string) => l.startsWith('{"kind":"signal"');
  return [...byThread.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, lines]) => [t, ...lines.filter((l) => !isSignal(l)), 'signals:', ...lines.filter(isSignal).sort()]);
}

test('drainBatch holds what drain() gives, for a real tracee', async () => {
  const batches: TraceBatch[] = [];
  const viaBatch = await traceToEnd((s) => {
    const b = s.drainBatch(7); // small batches: others fall at every position, runs split
    batches.push(b);
    return eventsFromBatch(b);
  });
  const viaDrain = await traceToEnd((s) => s.drain());
  for (const b of batches) checkShape(b);
  const kinds = new Set(viaBatch.got.map((e) => e.kind));
  for (const k of ['syscall', 'signal', 'exit', 'thread']) assert.ok(kinds.has(k as TraceEvent['kind']), `a ${k} event was traced`);
  const failed = viaBatch.got.find((e): e is SyscallEvent => e.kind === 'syscall' && e.text.includes('/nonexistent-systrace'));
  assert.equal(failed?.errno, 'ENOENT');
  assert.equal(failed?.rval, -2);
  const write = viaBatch.got.find((e): e is SyscallEvent => e.kind === 'syscall' && e.name === 'write' && e.text.includes('hello world'));
  assert.ok(write, 'the write was traced');
  assert.equal(write.args[2], 11n);
  assert.deepEqual(normalize(viaBatch.got, viaBatch.pid), normalize(viaDrain.got, viaDrain.pid));
});

test('batchFromEvents and eventsFromBatch are inverses', async () => {
  const { got } = await traceToEnd((s) => s.drain());
  const b = batchFromEvents(got);
  checkShape(b);
  assert.deepEqual(eventsFromBatch(b), got);
});
