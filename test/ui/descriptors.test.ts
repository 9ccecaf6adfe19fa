import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callFds, FdTrail, trailAt } from '../../src/ui/descriptors.js';
import { TraceHistory } from '../../src/ui/trace-history.js';
import { sys } from './helpers.js';

describe('descriptors of a call', () => {
  it('made, used and closed, from the strace line', () => {
    assert.deepEqual(callFds('openat', 'openat(AT_FDCWD, "/etc/hosts", O_RDONLY) = 3', 3, false), { made: [3], used: [], closed: [] });
    assert.deepEqual(callFds('read', 'read(3</etc/hosts>, "x", 1) = 1', 1, false), { made: [], used: [3], closed: [] });
    assert.deepEqual(callFds('dup2', 'dup2(5, 1) = 1', 1, false), { made: [1], used: [5, 1], closed: [] });
    assert.deepEqual(callFds('pipe2', 'pipe2([3, 4], O_CLOEXEC) = 0', 0, false).made, [3, 4]);
    assert.deepEqual(callFds('socketpair', 'socketpair(AF_UNIX, SOCK_STREAM, 0, [5, 6]) = 0', 0, false).made, [5, 6]);
    assert.deepEqual(callFds('fcntl', 'fcntl(3, F_DUPFD_CLOEXEC, 10) = 10', 10, false), { made: [10], used: [3], closed: [] });
    assert.deepEqual(callFds('close', 'close(7) = 0', 0, false).closed, [7]);
    assert.deepEqual(callFds('close', 'close(7) = -1 EBADF (Bad file descriptor)', -1, true).closed, []);
    assert.deepEqual(callFds('mmap', 'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000', 0, false).used, [3]);
    assert.deepEqual(callFds('poll', 'poll([{fd=4, events=POLLIN}, {fd=9, events=POLLIN}], 2, -1) = 1 ([{fd=4, revents=POLLIN}])', 1, false).used, [4, 9]);
    assert.deepEqual(callFds('epoll_ctl', 'epoll_ctl(5, EPOLL_CTL_ADD, 8, {events=EPOLLIN, data={u32=8, u64=8}}) = 0', 0, false).used, [5, 8]);
    // A call in progress: its entry half.
    assert.deepEqual(callFds('read', 'read(3, ', 0, false).used, [3]);
    // A failed open makes nothing; AT_FDCWD is no descriptor.
    assert.deepEqual(callFds('openat', 'openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (No such file or directory)', -1, true), { made: [], used: [], closed: [] });
  });
});

describe('a descriptor trail', () => {
  /** A process 10 that opens fd 3 twice, forks 11 in between, and a stranger 20 with its own fd 3. */
  function history(): TraceHistory {
    const h = new TraceHistory(100);
    h.append([
      sys(10, 'openat', 'openat(AT_FDCWD, "/a", O_RDONLY) = 3', { rval: 3 }), // 0
      sys(10, 'read', 'read(3, "a", 1) = 1', { rval: 1 }), // 1
      sys(20, 'read', 'read(3, "z", 1) = 1', { rval: 1 }), // 2: another process's fd 3
      sys(10, 'clone', 'clone(child_stack=NULL, flags=SIGCHLD) = 11', { rval: 11 }), // 3
      { kind: 'thread', pid: 11, tid: 11, parentTid: 10, wallUs: 0, entryNs: 0 }, // not a row: no seq
      sys(11, 'write', 'write(3, "c", 1) = -1 EBADF (Bad file descriptor)', { rval: -1, errno: 'EBADF' }), // 4: the child's inherited fd
      sys(11, 'close', 'close(3) = 0'), // 5
      sys(10, 'lseek', 'lseek(3, 0, SEEK_SET) = 0'), // 6
      sys(10, 'close', 'close(3) = 0'), // 7
      sys(10, 'openat', 'openat(AT_FDCWD, "/b", O_RDONLY) = 3', { rval: 3 }), // 8: another descriptor, same number
      sys(10, 'read', 'read(3, "b", 1) = 1', { rval: 1 }), // 9
    ]);
    return h;
  }

  it('from the call that made it to its close, in its process and the child that inherited it', () => {
    const h = history();
    const t = trailAt(h, 6)!;
    assert.equal(t.origin, 0);
    assert.equal(t.label, 'fd 3 of pid 10');
    assert.deepEqual(t.seqs, [0, 1, 4, 5, 6, 7]);
    // A use in the child leads to the parent's open, across the fork.
    assert.equal(trailAt(h, 4)!.origin, 0);
    // The same number made again is another descriptor.
    const second = trailAt(h, 9)!;
    assert.equal(second.origin, 8);
    assert.deepEqual(second.seqs, [8, 9]);
  });

  it('is live: later calls on it join; made before the history, it starts at the oldest row', () => {
    const h = new TraceHistory(100);
    h.append([sys(30, 'read', 'read(4, "x", 1) = 1', { rval: 1 }), sys(30, 'getpid', 'getpid() = 30', { rval: 30 })]);
    const t = new FdTrail(30, 4, h, 0);
    assert.equal(t.origin, -1);
    assert.deepEqual(t.seqs, [0]);
    h.append([sys(30, 'write', 'write(4, "y", 1) = 1', { rval: 1 }), sys(30, 'close', 'close(4) = 0'), sys(30, 'write', 'write(4, "z", 1) = -1 EBADF (Bad file descriptor)', { rval: -1, errno: 'EBADF' })]);
    assert.equal(t.has(h, 2), true);
    assert.equal(t.has(h, 4), false, 'after its close, the number is not this descriptor');
    assert.deepEqual(t.seqs, [0, 2, 3]);
    assert.equal(trailAt(h, 1), undefined, 'getpid has no descriptor');
  });
});
