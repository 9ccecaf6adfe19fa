// Calls of no particular family against the text strace 6.1 prints for them (decode_misc.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_misc');
});

describe('misc family', () => {
  it('decodes personality, I/O priorities, getrusage, getpriority, getcpu and chroot', async () => {
    const r = await tracePlain(
      ['-e', 'trace=personality,ioprio_set,ioprio_get,getrusage,getpriority,getcpu,chroot'],
      [prog],
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines, [
      // The persona we started with depends on who ran the tests (setarch -R sets a flag).
      [/^(personality\(PER_LINUX\|ADDR_NO_RANDOMIZE\)) = .*$/, '$1 = OLD'],
      [/tv_usec=\d+/g, 'tv_usec=N'],
      [/tv_sec=\d+/g, 'tv_sec=N'],
      [/^getcpu\(\[\d+\]/, 'getcpu([CPU]'],
    ]);
    assert.deepEqual(lines, [
      'personality(PER_LINUX|ADDR_NO_RANDOMIZE) = OLD',
      // The previous persona comes back in hex and by name.
      'personality(0xffffffff) = 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)',
      'ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)) = 0',
      'ioprio_get(IOPRIO_WHO_PROCESS, 0) = 16388 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))',
      'ioprio_get(0x7 /* IOPRIO_WHO_??? */, 0) = -1 EINVAL (Invalid argument)',
      'getrusage(RUSAGE_SELF, {ru_utime={tv_sec=N, tv_usec=N}, ru_stime={tv_sec=N, tv_usec=N}, ...}) = 0',
      'getrusage(0x5 /* RUSAGE_??? */, 0xADDR) = -1 EINVAL (Invalid argument)',
      'getpriority(0x9 /* PRIO_??? */, 0) = -1 EINVAL (Invalid argument)',
      'getcpu([CPU], [0], NULL) = 0',
      'chroot("/nonexistent/root") = -1 ENOENT (No such file or directory)',
      '+++ exited with 0 +++',
    ]);
  });

  it('names a flags value none of whose bits is known as strace does, in a comment after the number', async () => {
    const r = await tracePlain(['-e', 'trace=setns,faccessat,pidfd_open,inotify_init1'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), [
      'setns(-1, 0x81fdff7f /* CLONE_NEW??? */) = -1 EBADF (Bad file descriptor)',
      'faccessat(-1, NULL, 0x8 /* ?_OK */) = -1 EINVAL (Invalid argument)',
      'pidfd_open(0, 0xfacef6ed /* PIDFD_??? */) = -1 EINVAL (Invalid argument)',
      'inotify_init1(0x1 /* IN_??? */) = -1 EINVAL (Invalid argument)',
      // Known bits by name: the rest in hex, with no comment.
      'setns(-1, CLONE_NEWNET|0x1) = -1 EBADF (Bad file descriptor)',
      '+++ exited with 0 +++',
    ]);
  });

  it('shows mount\'s type and data as addresses where the kernel ignores them, and pkey_alloc\'s arguments whole', async () => {
    const r = await tracePlain(['-e', 'trace=mount,pkey_alloc'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    // Addresses of the fixture's strings vary per run; the pkey_alloc values are long on purpose.
    const lines = r.lines.map((l) => l.replace(/ {2,}= /, ' = ').replace(/0x5[0-9a-f]{11}/g, '0xADDR'));
    const target = '"/nonexistent/src", "/nonexistent/target"';
    const enoent = ' = -1 ENOENT (No such file or directory)';
    assert.deepEqual(lines, [
      `mount(${target}, 0xADDR, MS_RDONLY|MS_REMOUNT, "errors=remount-ro")` + enoent,
      `mount(${target}, 0xADDR, MS_BIND, 0xADDR)` + enoent,
      `mount(${target}, "tmpfs", 0x200 /* MS_??? */, "size=1m")` + enoent,
      'pkey_alloc(0xbadc0ded00000000, PKEY_DISABLE_WRITE|0xbadc0ded00000000) = -1 EINVAL (Invalid argument)',
      '+++ exited with 0 +++',
    ]);
  });

  it('cuts a mode to umode_t and a count to unsigned int, as the kernel reads them', async () => {
    const r = await tracePlain(['-e', 'trace=umask,mkdir,getdents64'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    // The first umask returns the mask the test runner gave us.
    const lines = normalizeLines(r.lines);
    lines[0] = lines[0].replace(/ = \d+$/, ' = OLD');
    assert.deepEqual(lines, [
      'umask(022) = OLD',
      'umask(022) = 022',
      'mkdir("/nonexistent/dir", 0755) = -1 ENOENT (No such file or directory)',
      'getdents64(-1, NULL, 3735928559) = -1 EBADF (Bad file descriptor)',
      '+++ exited with 0 +++',
    ]);
  });

  it('names __O_SYNC alone, prints a kcmp slot\'s descriptors signed and an ignored sigev_signo unsigned', async () => {
    const r = await tracePlain(['-e', 'trace=openat,kcmp,timer_create'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    // The dynamic loader's own openat calls (AT_FDCWD) come first: the fixture's use -1.
    assert.deepEqual(normalizeLines(r.lines).filter((l) => !l.startsWith('openat(AT_FDCWD')), [
      'openat(-1, "/nonexistent/file", O_RDONLY|__O_SYNC) = -1 ENOENT (No such file or directory)',
      'kcmp(0, 0, KCMP_EPOLL_TFD, 3, {efd=-2, tfd=-3, toff=7}) = -1 ESRCH (No such process)',
      'timer_create(CLOCK_REALTIME, {sigev_signo=4294967295, sigev_notify=SIGEV_NONE}, [0]) = 0',
      '+++ exited with 0 +++',
    ]);
  });
});
