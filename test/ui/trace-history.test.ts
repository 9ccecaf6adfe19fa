import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyscallClass } from '../../src/engine/types.js';
import { NO_FILTER } from '../../src/ui/filter.js';
import { FOLLOWING, paneWindow, scrollPane } from '../../src/ui/pane-window.js';
import { ALL_THREADS, SeqList, TraceHistory, type RowList } from '../../src/ui/trace-history.js';
import { batchFromEvents } from '../../src/engine/trace-batch.js';
import type { SyscallEvent, ThreadState, TraceEvent } from '../../src/engine/types.js';
import { Timeline } from '../../src/ui/timeline.js';
import { openat, openatFail, readCall, sys } from './helpers.js';

const seqs = (l: RowList, limit = Infinity) => Array.from({ length: l.size(limit) }, (_, i) => l.seqAt(i));

describe('TraceHistory', () => {
  it('caps the history in total, evicting the oldest, per thread too', () => {
    const h = new TraceHistory(5);
    h.append([readCall(1, 0), readCall(2, 1), readCall(1, 2), readCall(2, 3), readCall(1, 4), readCall(1, 5), readCall(2, 6)]);
    assert.equal(h.next, 7);
    assert.equal(h.oldest, 2);
    assert.equal(h.at(1), undefined);
    assert.equal((h.at(2) as { rval: number }).rval, 2);
    assert.deepEqual(seqs(h.rows(1, NO_FILTER)), [2, 4, 5]);
    assert.deepEqual(seqs(h.rows(2, NO_FILTER)), [3, 6]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, NO_FILTER)), [2, 3, 4, 5, 6]);
    assert.deepEqual(h.threadOrder, [1, 2]);
  });

  it('keeps filtered lists up to date incrementally, and rebuilds them when the filter changes', () => {
    const h = new TraceHistory(100);
    const file = { ...NO_FILTER, classes: SyscallClass.file };
    h.append([openat(1, '/a'), readCall(1, 1), openatFail(2, '/b')]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, file)), [0, 2]);
    h.append([readCall(1, 2), openat(1, '/c')]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, file)), [0, 2, 4]);
    assert.deepEqual(seqs(h.rows(1, file)), [0, 4]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, { ...NO_FILTER, failedOnly: true })), [2]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, { ...NO_FILTER, text: 'read(' })), [1, 3]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, file), 3), [0, 2]); // limit: a frozen display
  });

  it('keeps a million events within the cap', () => {
    const h = new TraceHistory(1000);
    const batch = Array.from({ length: 1000 }, (_, i) => readCall(1 + (i % 3), i));
    for (let i = 0; i < 1000; i++) h.append(batch);
    assert.equal(h.next, 1_000_000);
    assert.equal(h.rows(ALL_THREADS, NO_FILTER).size(Infinity), 1000);
    assert.ok(h.threadRows(1).length <= 1000);
  });

  it('gives back every field of a syscall from its columns, and other events as they came', () => {
    const h = new TraceHistory(2);
    const call = { ...openatFail(3, '/x'), args: [1n, 2n, 0xffffffffffffff9cn, 0n, 0n, 7n], unfinished: true };
    const sig = { kind: 'signal' as const, pid: 3, tid: 3, signo: 17, name: 'SIGCHLD', text: '--- SIGCHLD ---', wallUs: 5, entryNs: 6 };
    h.append([call, sig]);
    assert.deepEqual(h.at(0), call);
    assert.equal(h.at(1), sig);
    assert.ok(h.matches(0, { ...NO_FILTER, failedOnly: true, text: '/x' }));
    assert.ok(h.matches(1, { ...NO_FILTER, classes: SyscallClass.signal }));
    h.append([readCall(3, 1), readCall(3, 2)]); // both evicted: the signal's object is let go
    assert.equal(h.at(1), undefined);
    assert.equal((h.at(3) as { rval: number }).rval, 2);
  });

  it('appendBatch keeps what append keeps: every event, thread and filter row, across wraps of the ring', () => {
    const exit = (tid: number): TraceEvent => ({ kind: 'exit', pid: tid, tid, code: 0, signo: 0, core: false, processGone: true, text: '+++ exited with 0 +++', wallUs: 0, entryNs: 0 });
    const sig = (tid: number): TraceEvent => ({ kind: 'signal', pid: tid, tid, signo: 17, name: 'SIGCHLD', text: '--- SIGCHLD ---', wallUs: 5, entryNs: 6 });
    const withArgs = { ...openatFail(4, '/y'), args: [1n, 2n, 3n, 4n, 5n, 0xffffffffffffffffn] };
    const batches: TraceEvent[][] = [
      [sig(1), readCall(1, 0), openat(2, '/a'), withArgs, sig(2)],
      [readCall(1, 1), readCall(1, 2), exit(2), readCall(3, 3), sig(3), sig(3), openatFail(1, '/b'), readCall(4, 4)],
      [],
      [exit(4), readCall(1, 5), readCall(1, 6), readCall(3, 7), readCall(3, 8), readCall(1, 9), readCall(1, 10)],
      Array.from({ length: 17 }, (_, i) => (i % 5 === 4 ? sig(5) : readCall(5 + (i % 2), i))), // more than the cap
    ];
    const a = new TraceHistory(7);
    const b = new TraceHistory(7);
    const file = { ...NO_FILTER, classes: SyscallClass.file };
    for (const evs of batches) {
      a.append(evs);
      b.appendBatch(batchFromEvents(evs));
      assert.equal(b.next, a.next);
      for (let seq = a.oldest; seq < a.next; seq++) assert.deepEqual(b.at(seq), a.at(seq), `seq ${seq}`);
      assert.deepEqual(b.threadOrder, a.threadOrder);
      assert.deepEqual([...b.threads.entries()], [...a.threads.entries()]);
      for (const tid of [ALL_THREADS, ...a.threadOrder]) {
        assert.deepEqual(seqs(b.rows(tid, NO_FILTER)), seqs(a.rows(tid, NO_FILTER)), `rows of ${tid}`);
        assert.deepEqual(seqs(b.rows(tid, file)), seqs(a.rows(tid, file)), `file rows of ${tid}`);
      }
      assert.equal(b.firstNs, a.firstNs);
    }
  });

  it('gives back texts and numbers exactly while its bytes wrap around and grow, texts shared or not', () => {
    const cap = 40;
    const h = new TraceHistory(cap);
    const kept: TraceEvent[] = [];
    const args = [0n, 1n, 0xffffffffffffff9cn, 0x7ffd12345678n, 0xffffffffffffffffn, 0x8000000000000000n, 0xdeadbeefcafebaben];
    let n = 0;
    const call = (): TraceEvent => {
      n++;
      // Short and long texts (the ring starts at 64 bytes an event), ASCII and not.
      const text = n % 17 === 0 ? `write(1, "${'x'.repeat(3000 + n)}", 4096) = 4096` : n % 5 === 0 ? `openat(AT_FDCWD, "/tmp/é${n}", O_RDONLY) = 3` : n % 3 ? `read(3, "", 64) = ${n % 4}` : `read(3, "", 64) = ${n}`;
      return {
        ...readCall(1 + (n % 3), n),
        text,
        rval: [n, -4095, 2 ** 53 - 1, -(2 ** 52), 0x7ffd12345678][n % 5],
        entryNs: 1e15 + n * 1000,
        exitNs: n % 7 === 0 ? 0 : 1e15 + n * 1000 + n * 37,
        wallUs: 1.7e15 + n + (n % 11 === 0 ? 0.5 : 0),
        args: n % 4 === 0 ? [] : Array.from({ length: 6 }, (_, k) => args[(n + k) % args.length]),
        unfinished: n % 13 === 0,
      };
    };
    for (let round = 0; round < 30; round++) {
      const evs = Array.from({ length: 1 + (round % 9) }, call);
      kept.push(...evs);
      if (round % 2) h.append(evs);
      else h.appendBatch(batchFromEvents(evs));
      for (let seq = h.oldest; seq < h.next; seq++) assert.deepEqual(h.at(seq), kept[seq], `seq ${seq}`);
    }
    assert.ok(h.recordBytes > cap * 64, 'the long texts made the ring grow');
    assert.ok(h.matches(h.next - 1, { ...NO_FILTER, text: (kept.at(-1) as { text: string }).text.slice(2, 9) }));
    assert.deepEqual(seqs(h.rows(ALL_THREADS, { ...NO_FILTER, text: '= 2' })), seqs(h.rows(ALL_THREADS, NO_FILTER)).filter((q) => (kept[q] as { text: string }).text.includes('= 2')));
    assert.deepEqual(seqs(h.rows(ALL_THREADS, { ...NO_FILTER, text: '/tmp/é' })), seqs(h.rows(ALL_THREADS, NO_FILTER)).filter((q) => (kept[q] as { text: string }).text.includes('/tmp/é')));
  });

  it("names a child after its parent until it can be read (fork copies the name), and a program after its file", () => {
    const h = new TraceHistory(10);
    h.append([readCall(5, 1)]);
    h.nameThreads(() => 'fork_loop', 0);
    h.append([{ kind: 'thread', pid: 6, tid: 6, parentTid: 5, wallUs: 0, entryNs: 0 }]);
    // Gone before we could read it: the name it had is its parent's.
    h.nameThreads((tid) => (tid === 5 ? 'fork_loop' : ''), 1);
    assert.equal(h.threads.get(6)?.comm, 'fork_loop');
    h.append([{ kind: 'exec', pid: 6, tid: 6, oldTid: 6, path: '/usr/bin/a-rather-long-program-name', wallUs: 0, entryNs: 0 }]);
    assert.equal(h.threads.get(6)?.comm, 'a-rather-long-p');
    // With the kernel's name in the record, that name: sh, run as /bin/sh, resolves to dash.
    h.append([{ kind: 'exec', pid: 6, tid: 6, oldTid: 6, path: '/usr/bin/dash', comm: 'sh', wallUs: 0, entryNs: 0 }]);
    assert.equal(h.threads.get(6)?.comm, 'sh');
    // News of threads is no row: no line strace would not print (`--- exec ... ---`).
    assert.equal(h.next, 1);
  });

  it('marks threads that exited', () => {
    const h = new TraceHistory(10);
    h.append([readCall(5, 1), { kind: 'exit', pid: 5, tid: 5, code: 0, signo: 0, core: false, processGone: true, text: '+++ exited with 0 +++', wallUs: 0, entryNs: 0 }]);
    assert.equal(h.threads.get(5)?.exited, true);
    assert.equal(h.threads.get(5)?.exitText, '+++ exited with 0 +++');
  });
});

it('forgets exited threads once none of their rows is left', () => {
  const h = new TraceHistory(3);
  const exit = (tid: number) => ({ kind: 'exit' as const, pid: tid, tid, code: 0, signo: 0, core: false, processGone: true, text: '+++ exited with 0 +++', wallUs: 0, entryNs: 0 });
  h.append([readCall(7, 1), exit(7), readCall(8, 1)]);
  assert.deepEqual(h.threadOrder, [7, 8]);
  h.append([readCall(8, 2), readCall(8, 3)]);
  assert.deepEqual(h.threadOrder, [8]);
  assert.equal(h.threads.has(7), false);
});

describe('pane windows', () => {
  const h = new TraceHistory(100);
  h.append(Array.from({ length: 30 }, (_, i) => readCall(1, i)));
  const list = h.rows(1, NO_FILTER);

  it('follow: the last rows, cursor on the newest', () => {
    const w = paneWindow(list, FOLLOWING, 10, Infinity);
    assert.deepEqual(w.seqs, [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    assert.equal(w.cursor, 9);
  });

  it('scrolling keeps its place by sequence number while rows arrive', () => {
    let v = scrollPane(list, FOLLOWING, 10, Infinity, 'up');
    assert.equal(v.follow, false);
    assert.equal(v.cursor, 28);
    v = scrollPane(list, v, 10, Infinity, 'pageUp');
    assert.equal(v.cursor, 19);
    h.append([readCall(1, 99)]);
    const w = paneWindow(h.rows(1, NO_FILTER), v, 10, Infinity);
    assert.equal(w.seqs[w.cursor], 19);
    assert.equal(scrollPane(list, v, 10, Infinity, 'home').cursor, 0);
    assert.equal(scrollPane(list, v, 10, Infinity, 'end').follow, true);
  });

  it('a frozen limit hides newer rows', () => {
    const w = paneWindow(list, FOLLOWING, 5, 10);
    assert.deepEqual(w.seqs, [5, 6, 7, 8, 9]);
  });
});

describe('Timeline: rows in the order their calls began, calls in progress among them', () => {
  const st = (tid: number, entryNs: number, text: string, nr = 0): ThreadState => ({
    pid: 1,
    tid,
    inSyscall: true,
    nr,
    name: 'read',
    classes: SyscallClass.desc,
    entryText: text,
    entryNs,
    paused: false,
    groupStopped: false,
  });
  const call = (tid: number, entryNs: number, exitNs: number, text: string, errno = '') =>
    sys(tid, 'read', text, { pid: 1, entryNs, exitNs, errno, classes: SyscallClass.desc, nr: 0 });
  const batch = (first: number, evs: TraceEvent[]) => ({ ...batchFromEvents(evs), first });
  const times = (h: TraceHistory) => Array.from({ length: h.next - h.oldest }, (_, i) => (h.at(h.oldest + i) as { entryNs: number }).entryNs);

  it('a long call that ends after shorter ones that began later is placed before them; a running one completes in place', () => {
    const h = new TraceHistory(100);
    const tl = new Timeline(h);
    // Snapshot 1 (mark 2): thread 2 is in a call since t=150; two calls of thread 1 ended before it.
    tl.setSnapshot({ mark: 2, threads: [st(2, 150, 'read(5, ')] });
    tl.add(batch(0, [call(1, 100, 110, 'read(3) = 1'), call(1, 200, 210, 'read(3) = 2')]));
    assert.equal(tl.ready(true), true);
    tl.place();
    assert.deepEqual(times(h), [100, 150, 200]);
    const running = h.at(1) as SyscallEvent;
    assert.equal(running.running, true);
    assert.equal(running.text, 'read(5, ');
    // Snapshot 2 (mark 4): thread 2's call ended (t=400) after a call of thread 1 that began at 300.
    tl.setSnapshot({ mark: 4, threads: [] });
    tl.add(batch(2, [call(1, 300, 310, 'read(3) = 3'), call(2, 150, 400, 'read(5, "x", 1) = -1 EIO (Input/output error)', 'EIO')]));
    tl.place();
    assert.deepEqual(times(h), [100, 150, 200, 300]);
    const done = h.at(1) as SyscallEvent;
    assert.equal(done.running, undefined);
    assert.equal(done.errno, 'EIO');
    assert.equal(done.exitNs, 400);
  });

  it('events past the mark wait for the next snapshot; a completion in place reaches the filtered lists', () => {
    const h = new TraceHistory(100);
    const tl = new Timeline(h);
    const failed = { ...NO_FILTER, failedOnly: true };
    tl.setSnapshot({ mark: 1, threads: [st(3, 50, 'read(7, ')] });
    assert.deepEqual(seqs(h.rows(ALL_THREADS, failed)), []);
    // One batch: the first event is before the mark, the second after it.
    tl.add(batch(0, [call(1, 40, 45, 'read(3) = 1'), call(1, 60, 70, 'read(3) = 2')]));
    tl.place();
    assert.deepEqual(times(h), [40, 50]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, failed)), []);
    tl.setSnapshot({ mark: 3, threads: [] });
    tl.add(batch(2, [call(3, 50, 80, 'read(7, 0x1, 1) = -1 EBADF (Bad file descriptor)', 'EBADF')]));
    tl.place();
    assert.deepEqual(times(h), [40, 50, 60]);
    assert.deepEqual(seqs(h.rows(ALL_THREADS, failed)), [1]);
    assert.deepEqual(seqs(h.rows(3, failed)), [1]);
  });

  it('says how many rows it added or changed: none for a call still in progress that has its row (a quiet trace draws no frame)', () => {
    const h = new TraceHistory(100);
    const tl = new Timeline(h);
    tl.setSnapshot({ mark: 1, threads: [st(2, 150, 'read(5, ')] });
    tl.add(batch(0, [call(1, 100, 110, 'read(3) = 1')]));
    assert.equal(tl.place(), 2);
    // The same call in progress, snapshot after snapshot, and nothing else: no change.
    for (let i = 0; i < 3; i++) {
      tl.setSnapshot({ mark: 1, threads: [st(2, 150, 'read(5, ')] });
      assert.equal(tl.place(), 0);
    }
    assert.deepEqual(times(h), [100, 150]);
    // The thread is in another call now: the old row is closed, a new one placed.
    tl.setSnapshot({ mark: 1, threads: [st(2, 300, 'read(6, ')] });
    assert.equal(tl.place(), 2);
    assert.deepEqual(times(h), [100, 150, 300]);
    // It left its call without a record yet: the row is closed.
    tl.setSnapshot({ mark: 1, threads: [] });
    assert.equal(tl.place(), 1);
  });

  it('a running call whose record never comes (lost, or the thread is gone) is closed as unfinished', () => {
    const h = new TraceHistory(100);
    const tl = new Timeline(h);
    tl.setSnapshot({ mark: 0, threads: [st(4, 10, 'read(0, ')] });
    tl.place();
    tl.setSnapshot({ mark: 0, threads: [] });
    tl.place();
    const ev = h.at(0) as SyscallEvent;
    assert.equal(ev.running, undefined);
    assert.equal(ev.unfinished, true);
  });
});

describe('SeqList', () => {
  it('keeps its rows in order while its front is forgotten, its array at most a quarter over the room it was given', () => {
    const room = 1000;
    const list = new SeqList(room);
    let most = 0;
    for (let seq = 0; seq < 20_000; seq += 1 + (seq % 3 === 0 ? 1 : 0)) {
      list.push(seq);
      list.trim(seq - 1400); // about 1,000 rows kept
      most = Math.max(most, (list as unknown as { arr: Float64Array }).arr.length);
      if (seq % 997 === 0) {
        for (let i = 1; i < list.length; i++) assert.ok(list.seqAt(i) > list.seqAt(i - 1), `in order at ${seq}`);
      }
    }
    assert.ok(list.length >= 900 && list.length <= 1000, `${list.length} rows kept`);
    assert.equal(list.seqAt(list.length - 1), list.last());
    assert.ok(most <= room * 1.25, `its array grew to ${most}`);
    // Given no room, it grows as it has to.
    const open = new SeqList();
    for (let seq = 0; seq < 5000; seq++) open.push(seq);
    assert.equal(open.length, 5000);
    assert.equal(open.lowerBound(4321), 4321);
  });
});
