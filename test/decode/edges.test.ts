// Edge values of many families against the text strace 6.1 prints for them (decode_edges.c): each
// line below was checked against strace 6.1 on the same fixture, in all three -X styles.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_edges');
});

const CALLS = [
  'utimensat', 'mknod', 'semop', 'sethostname', 'swapon', 'set_mempolicy', 'get_mempolicy', 'move_pages',
  'pselect6', 'poll', 'epoll_ctl', 'epoll_pwait2', 'preadv', 'statx', 'sendfile', 'fsetxattr', 'listxattr',
  'process_mrelease', 'futex_waitv', 'memfd_create', 'fanotify_mark', 'quotactl', 'syslog',
];

async function trace(extra: string[]): Promise<string[]> {
  const r = await tracePlain([...extra, '-e', `trace=${CALLS.join(',')}`, '-e', 'inject=syslog:retval=0'], [prog]);
  assert.equal(r.status, 0, r.stderr);
  // Dates follow the local time zone.
  return normalizeLines(r.lines, [[/ \/\* \d{4}-\d\d-\d\dT[^*]+ \*\//, ' /* DATE */']]);
}

describe('edge values', () => {
  it('cuts arguments to their C type, leaves failed calls unread, and names what strace names', async () => {
    const expected = [
      // An out-of-range tv_nsec gets no date.
      'utimensat(AT_FDCWD, "no/such/file", [{tv_sec=-1, tv_nsec=2000000000}, {tv_sec=1, tv_nsec=5} /* DATE */], 0) = -1 ENOENT (No such file or directory)',
      'mknod("no/such/node", 000) = -1 ENOENT (No such file or directory)',
      'semop(-1, NULL, 1) = -1 EFAULT (Bad address)',
      'sethostname(NULL, 65) = -1 EINVAL (Invalid argument)',
      'swapon("no/such/swap", SWAP_FLAG_PREFER|0) = -1 ENOENT (No such file or directory)',
      'set_mempolicy(MPOL_DEFAULT|MPOL_F_STATIC_NODES, NULL, 0) = 0',
      'set_mempolicy(0xffff1fff /* MPOL_??? */, NULL, 0) = -1 EINVAL (Invalid argument)',
      // maxnode 65 covers 64 nodes: one word.
      'get_mempolicy(NULL, [0000000000000000], 65, NULL, 0) = 0',
      'move_pages(0, 1, [0xADDR], NULL, [-EFAULT], MPOL_MF_MOVE) = 0',
      // The kernel wrote all three sets into one buffer: the last (no exception) is what is left.
      'pselect6(5, [3 4], [3 4], [3 4], NULL, NULL) = 1 ()',
      'poll([{fd=4, events=POLLOUT}, {fd=4, events=POLLOUT}], 2, 0) = 2 ([{fd=4, revents=POLLOUT}, {fd=4, revents=POLLOUT}])',
      'epoll_ctl(-1, EPOLL_CTL_DEL, -1, 0xADDR) = -1 EBADF (Bad file descriptor)',
      'epoll_pwait2(-1, 0xADDR, 1, 0xADDR, NULL, 8) = -1 EBADF (Bad file descriptor)',
      'preadv(-1, [{iov_base=0xADDR, iov_len=8}], 1, 0) = -1 EBADF (Bad file descriptor)',
      'statx(AT_FDCWD, "no/such/file", AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC, STATX_ALL, 0xADDR) = -1 EINVAL (Invalid argument)',
      'sendfile(4, 5, [0], 0) = 0',
      'sendfile(4, 5, [0] => [1], 1) = 1',
      'sendfile(4, 5, [18446744073709551615], 1) = -1 EINVAL (Invalid argument)',
      'fsetxattr(-1, "user.edge", "foo\\0bar", 8, XATTR_REPLACE) = -1 EBADF (Bad file descriptor)',
      'fsetxattr(-1, "user.edge", 0xADDR, 65537, XATTR_CREATE) = -1 E2BIG (Argument list too long)',
      'listxattr(".", 0xADDR, 0) = 0',
      'process_mrelease(-1, 0xfacefeed) = -1 EINVAL (Invalid argument)',
      'futex_waitv([{val=0, uaddr=NULL, flags=FUTEX_32, __reserved=0x1}], 1, 0, NULL, CLOCK_MONOTONIC) = -1 EINVAL (Invalid argument)',
      'memfd_create(NULL, MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|0x3fffff8|63<<MFD_HUGE_SHIFT) = -1 EINVAL (Invalid argument)',
      'memfd_create(NULL, 0) = -1 EFAULT (Bad address)',
      'fanotify_mark(-1, 0, 0, FAN_NOFD, NULL) = -1 EINVAL (Invalid argument)',
      'quotactl(QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */), NULL, 0, NULL) = -1 EINVAL (Invalid argument)',
      'syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 8 /* LOGLEVEL_DEBUG+1 */) = 0 (INJECTED)',
    ];
    assert.deepEqual((await trace([])).slice(0, expected.length), expected);
  });

  it('prints composite values whole under -X raw and -X verbose', async () => {
    const pick = (lines: string[]) =>
      lines.filter((l) => /^(swapon|set_mempolicy|move_pages|memfd_create\(NULL, 0x|fanotify_mark|quotactl|statx)/.test(l));
    assert.deepEqual(pick(await trace(['-X', 'raw'])), [
      'swapon("no/such/swap", 0x8000|0) = -1 ENOENT (No such file or directory)',
      'set_mempolicy(0x8000, NULL, 0) = 0',
      'set_mempolicy(0xffff1fff, NULL, 0) = -1 EINVAL (Invalid argument)',
      'move_pages(0, 1, [0xADDR], NULL, [-14], 0x2) = 0',
      'statx(-100, "no/such/file", 0x6000, 0xfff, 0xADDR) = -1 EINVAL (Invalid argument)',
      'memfd_create(NULL, 0xffffffff) = -1 EINVAL (Invalid argument)',
      'fanotify_mark(-1, 0, 0, -1, NULL) = -1 EINVAL (Invalid argument)',
      'quotactl(3134983661, NULL, 0, NULL) = -1 EINVAL (Invalid argument)',
    ]);
    assert.deepEqual(pick(await trace(['-X', 'verbose'])), [
      'swapon("no/such/swap", 0x8000 /* SWAP_FLAG_PREFER */|0) = -1 ENOENT (No such file or directory)',
      'set_mempolicy(0x8000 /* MPOL_DEFAULT|MPOL_F_STATIC_NODES */, NULL, 0) = 0',
      'set_mempolicy(0xffff1fff /* MPOL_??? */, NULL, 0) = -1 EINVAL (Invalid argument)',
      'move_pages(0, 1, [0xADDR], NULL, [-14 /* -EFAULT */], 0x2 /* MPOL_MF_MOVE */) = 0',
      'statx(-100 /* AT_FDCWD */, "no/such/file", 0x6000 /* AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC */, 0xfff /* STATX_ALL */, 0xADDR) = -1 EINVAL (Invalid argument)',
      'memfd_create(NULL, 0xffffffff /* MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|0x3fffff8|63<<MFD_HUGE_SHIFT */) = -1 EINVAL (Invalid argument)',
      'fanotify_mark(-1, 0, 0, -1 /* FAN_NOFD */, NULL) = -1 EINVAL (Invalid argument)',
      'quotactl(3134983661 /* QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */) */, NULL, 0, NULL) = -1 EINVAL (Invalid argument)',
    ]);
  });

  it('reads what the kernel reads: 64-bit openat2 fields, a 32-byte sigevent, an entry timeout', async () => {
    const r = await tracePlain(['-e', 'trace=getrandom,utimensat,dup3,fadvise64,openat2,mq_notify,mq_timedreceive'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.lines
      .filter((l) => !l.startsWith('getrandom("'))
      .map((l) => l.replace(/ {2,}= /, ' = ').replace(/^(mq_timedreceive\(-1, )0x[0-9a-f]+/, '$10xADDR'));
    assert.deepEqual(lines.slice(1, -1), [
      'getrandom(NULL, 0, 0) = 0',
      'utimensat(AT_FDCWD, "no/such/file", [UTIME_NOW, UTIME_OMIT], 0) = -1 ENOENT (No such file or directory)',
      'dup3(-1, -1, O_TRUNC) = -1 EINVAL (Invalid argument)',
      'fadvise64(-1, 0, 18446744073709551615, 0xdeadca75 /* POSIX_FADV_??? */) = -1 EBADF (Bad file descriptor)',
      'openat2(-1, "no/such/file", {flags=O_RDONLY|O_CREAT|0xdeadface00000000, mode=01572557654700000000644, resolve=0}, 24) = -1 EINVAL (Invalid argument)',
      'mq_notify(-1, {sigev_signo=0, sigev_notify=SIGEV_NONE}) = -1 EFAULT (Bad address)',
      'mq_timedreceive(-1, 0xADDR, 8, NULL, {tv_sec=5, tv_nsec=6}) = -1 EBADF (Bad file descriptor)',
    ]);
    const verbose = await tracePlain(['-X', 'verbose', '-e', 'trace=utimensat'], [prog]);
    assert.equal(
      verbose.lines[1],
      'utimensat(-100 /* AT_FDCWD */, "no/such/file", [{tv_sec=1, tv_nsec=1073741823} /* UTIME_NOW */, ' +
        '{tv_sec=2, tv_nsec=1073741822} /* UTIME_OMIT */], 0) = -1 ENOENT (No such file or directory)',
    );
  });

  it('decodes mount_setattr, and -P finds a descriptor of a poll array that -s leaves out', async () => {
    const r = await tracePlain(['-e', 'trace=mount_setattr'], [prog]);
    assert.equal(
      r.lines[0],
      'mount_setattr(-1, "no/such/dir", AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=0, ' +
        'propagation=MS_SLAVE, userns_fd=9}, 32) = -1 EBADF (Bad file descriptor)',
    );
    const p = await tracePlain(['-s', '1', '-P', '/dev/null', '-e', 'trace=poll'], [prog]);
    assert.deepEqual(p.lines, [
      'poll([{fd=4, events=POLLOUT}, ...], 3, 0) = 3 ([{fd=4, revents=POLLOUT}, ...])',
      '+++ exited with 0 +++',
    ]);
  });

  it('cuts the ready list of poll at -s like its arguments', async () => {
    const lines = await trace(['-s', '1']);
    assert.ok(
      lines.includes('poll([{fd=4, events=POLLOUT}, ...], 2, 0) = 2 ([{fd=4, revents=POLLOUT}, ...])'),
      lines.join('\n'),
    );
  });

  it('tells a deleted file from one whose name ends in " (deleted)" under -y', async () => {
    const r = await tracePlain(['-y', '-e', 'trace=fchmod'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.lines.map((l) => l.replace(/<\/[^>]*\/(edge[^/>]*)>/, '<DIR/$1>'));
    assert.deepEqual(lines.slice(0, 2), [
      'fchmod(6<DIR/edge (deleted)>, 0600) = 0',
      'fchmod(7<DIR/edge-gone>(deleted), 0600) = 0',
    ]);
  });
});
