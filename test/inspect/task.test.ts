// /proc/PID/task readers: parsing on fixed input, and tolerance of processes that do not exist.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  listTasks,
  parseStat,
  parseStatus,
  parseSyscallFile,
  readCmdline,
  readTaskStack,
  readTaskStat,
  readTaskSyscall,
  readTaskWchan,
} from '../../src/engine/proc/task.js';
import { syscallName } from '../../src/engine/native.js';

const GONE = 4194305; // above the largest possible pid_max

test('stat: comm may hold spaces and parentheses', () => {
  const s = parseStat('812 (my (odd) name) S 1 812 812 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 2 0 12345 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0');
  assert.ok(s);
  assert.equal(s.tid, 812);
  assert.equal(s.comm, 'my (odd) name');
  assert.equal(s.state, 'S');
  assert.equal(s.ppid, 1);
  assert.equal(s.flags, 4194560);
  assert.equal(s.utimeTicks, 7);
  assert.equal(s.stimeTicks, 3);
  assert.equal(s.numThreads, 2);
  assert.equal(s.startTicks, 12345);
});

test('syscall file: a call with args, running, and -1 (not in a call)', () => {
  const sc = parseSyscallFile('230 0x0 0x0 0x7ffe6ab324e0 0x7ffe6ab32520 0x0 0x0 0x7ffe6ab324c8 0x7fdf605c2503\n');
  assert.equal(sc.kind, 'syscall');
  if (sc.kind === 'syscall') {
    assert.equal(sc.nr, 230);
    assert.equal(sc.args.length, 6);
    assert.equal(sc.args[2], 0x7ffe6ab324e0n);
    assert.equal(sc.pc, 0x7fdf605c2503n);
  }
  assert.deepEqual(parseSyscallFile('running\n'), { kind: 'running' });
  assert.equal(parseSyscallFile('-1 0x7ffe6ab324c8 0x7fdf605c2503\n').kind, 'user');
});

test('status: uids, TracerPid, NSpid, seccomp and capabilities', () => {
  const st = parseStatus('Name:\tpostgres\nState:\tS (sleeping)\nTgid:\t812\nPPid:\t1\nTracerPid:\t77\nUid:\t105\t105\t105\t105\nGid:\t110\t110\t110\t110\nNSpid:\t812\t7\nThreads:\t3\nNoNewPrivs:\t1\nSeccomp:\t2\nCapEff:\t0000000000080000\n');
  assert.equal(st.name, 'postgres');
  assert.equal(st.state, 'S');
  assert.equal(st.tracerPid, 77);
  assert.deepEqual(st.uid, [105, 105, 105, 105]);
  assert.deepEqual(st.nspid, [812, 7]);
  assert.equal(st.noNewPrivs, true);
  assert.equal(st.seccomp, 2);
  assert.equal(st.capEff, 1n << 19n);
});

test('readers return undefined or a reason for a pid that does not exist, never throw', () => {
  assert.equal(listTasks(GONE), undefined);
  assert.equal(readTaskStat(GONE, GONE), undefined);
  assert.equal(readCmdline(GONE), undefined);
  const sc = readTaskSyscall(GONE, GONE);
  assert.equal(sc.kind, 'unavailable');
  assert.ok('reason' in readTaskWchan(GONE, GONE));
  const stack = readTaskStack(GONE, GONE);
  assert.ok('reason' in stack && stack.reason.length > 0);
});

test('our own threads are listed', () => {
  const tids = listTasks(process.pid);
  assert.ok(tids && tids.includes(process.pid));
});

test('syscall names come from the tables generated from the kernel headers', () => {
  assert.equal(syscallName(0), 'read');
  assert.equal(syscallName(202), 'futex');
  assert.equal(syscallName(232), 'epoll_wait');
  assert.equal(syscallName(99999), 'syscall_0x1869f');
});
