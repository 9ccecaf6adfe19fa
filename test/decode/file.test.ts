// The file family (and the syscall table's classes) against the text strace 6.1 prints for the same
// calls: decode_file.c makes them on relative paths in a scratch directory, with fixed contents.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { linesFrom, normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_file');
});

// Calls the dynamic loader and libc make before main, which this fixture does not test.
const startup = '!execve,brk,mmap,mprotect,munmap,arch_prctl,set_tid_address,set_robust_list,rseq,prlimit64,getrandom';

describe('file family', () => {
  it('prints each call as strace does: inputs at entry, buffers and structs at exit, addresses on failure', async () => {
    const r = await tracePlain(['-e', `trace=${startup}`], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines, [
      // What statx reports and whether user xattrs are supported depend on the file system.
      [/stx_mask=[A-Z_|]+/, 'stx_mask=MASK'],
      [/^(setxattr\(.*\)) = .*$/, '$1 = RESULT'],
      // The date comment follows the local time zone; its shape is checked below.
      [/ \/\* 1970-[^*]+ \*\//, ' /* DATE */'],
    ]);
    // The first umask returns whatever the test runner had; the second one is known.
    const start = lines.indexOf('close_range(3, 4294967295, 0) = 0');
    assert.ok(start >= 0, lines.join('\n'));
    assert.match(lines[start + 1], /^umask\(027\) = 0[0-7]{2,3}$/);
    const expected = [
      'umask(027) = 027',
      'mkdir("top", 0751) = 0',
      'openat(AT_FDCWD, "top", O_RDONLY|O_DIRECTORY) = 3',
      'openat(3, "notes.txt", O_RDWR|O_CREAT|O_EXCL, 0604) = 4',
      'write(4, "line one\\nline two\\n", 18) = 18',
      'lseek(4, 5, SEEK_SET) = 5',
      'read(4, "one", 3) = 3',
      'pread64(4, "two\\n", 4, 14) = 4',
      'pwrite64(4, "ONE", 3, 5) = 3',
      // A read vector shows what each buffer received, up to the return value.
      'preadv(4, [{iov_base="line", iov_len=4}, {iov_base=" ONE\\nl", iov_len=6}], 2, 0) = 10',
      'pwritev(4, [{iov_base="ab", iov_len=2}, {iov_base="\\tc\\n", iov_len=3}], 2, 18) = 5',
      'lseek(4, 0, 0x63 /* SEEK_??? */) = -1 EINVAL (Invalid argument)',
      // glibc's fstat is newfstatat on the descriptor with an empty path.
      'newfstatat(4, "", {st_mode=S_IFREG|0600, st_size=23, ...}, AT_EMPTY_PATH) = 0',
      'ftruncate(4, 10) = 0',
      'fsync(4) = 0',
      'fdatasync(4) = 0',
      'flock(4, LOCK_SH|LOCK_NB) = 0',
      'flock(4, LOCK_UN) = 0',
      'fallocate(4, FALLOC_FL_KEEP_SIZE, 0, 4096) = 0',
      'fadvise64(4, 0, 0, POSIX_FADV_SEQUENTIAL) = 0',
      'fchmod(4, 0640) = 0',
      'fchown(4, -1, -1) = 0',
      'openat2(3, "notes.txt", {flags=O_RDONLY|O_NOFOLLOW, resolve=RESOLVE_BENEATH}, 24) = 5',
      'close(5) = 0',
      'close(4) = 0',
      'stat("top/notes.txt", {st_mode=S_IFREG|0640, st_size=10, ...}) = 0',
      'lstat("top/absent", 0xADDR) = -1 ENOENT (No such file or directory)',
      'newfstatat(3, "notes.txt", {st_mode=S_IFREG|0640, st_size=10, ...}, AT_SYMLINK_NOFOLLOW) = 0',
      'statx(3, "notes.txt", AT_STATX_FORCE_SYNC, STATX_TYPE|STATX_SIZE, {stx_mask=MASK, stx_attributes=0, stx_mode=S_IFREG|0640, stx_size=10, ...}) = 0',
      'access("top/notes.txt", R_OK|W_OK) = 0',
      'faccessat2(3, "absent", X_OK, AT_EACCESS) = -1 ENOENT (No such file or directory)',
      'symlinkat("notes.txt", 3, "link") = 0',
      'readlinkat(3, "link", "notes.txt", 256) = 9',
      'readlink("top/notes.txt", 0xADDR, 256) = -1 EINVAL (Invalid argument)',
      'linkat(3, "notes.txt", 3, "hard", 0) = 0',
      'renameat2(3, "hard", 3, "moved", RENAME_NOREPLACE) = 0',
      'mkdirat(3, "sub", 0700) = 0',
      // mknod's mode carries the file type; a FIFO has no device number.
      'mknodat(3, "sub/fifo", S_IFIFO|0600) = 0',
      'chmod("top/moved", 04755) = 0',
      'chown("top/moved", -1, -1) = 0',
      'truncate("top/moved", 3) = 0',
      'utimensat(3, "moved", [UTIME_OMIT, {tv_sec=86400, tv_nsec=500} /* DATE */], AT_SYMLINK_NOFOLLOW) = 0',
      'utimensat(3, "moved", [{tv_sec=0, tv_nsec=0}, {tv_sec=0, tv_nsec=0}], 0) = 0',
      'setxattr("top/moved", "user.tag", "v1", 2, XATTR_CREATE) = RESULT',
      'chdir("top") = 0',
      'getcwd(0xADDR, 1) = -1 ERANGE (Numerical result out of range)',
      'unlink("moved") = 0',
      'unlinkat(AT_FDCWD, "sub/fifo", 0) = 0',
      'unlinkat(AT_FDCWD, "sub", AT_REMOVEDIR) = 0',
      'rmdir("sub") = -1 ENOENT (No such file or directory)',
      'close(3) = 0',
      'close(-1) = -1 EBADF (Bad file descriptor)',
    ];
    assert.deepEqual(lines.slice(start + 2, start + 2 + expected.length), expected);
    // strace's date comment: ISO 8601 with nanoseconds and the zone offset.
    const utime = r.lines.find((l) => l.startsWith('utimensat(3, "moved"'));
    assert.match(utime ?? '', /\{tv_sec=86400, tv_nsec=500\} \/\* 1970-01-0[12]T\d\d:\d\d:00\.000000500[+-]\d{4} \*\//);
  });

  it('decorates descriptors with -y: paths, and AT_FDCWD with the working directory', async () => {
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'decode-file-')));
    try {
      const r = await tracePlain(['-y', '-e', 'trace=openat,write,close,fchmod'], [prog], { cwd });
      assert.equal(r.status, 0, r.stderr);
      const lines = normalizeLines(r.lines, [[new RegExp(cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), 'CWD']]);
      const expected = [
        'openat(AT_FDCWD<CWD>, "top", O_RDONLY|O_DIRECTORY) = 3<CWD/top>',
        'openat(3<CWD/top>, "notes.txt", O_RDWR|O_CREAT|O_EXCL, 0604) = 4<CWD/top/notes.txt>',
        'write(4<CWD/top/notes.txt>, "line one\\nline two\\n", 18) = 18',
        'fchmod(4<CWD/top/notes.txt>, 0640) = 0',
        'close(5<CWD/top/notes.txt>) = 0',
        'close(4<CWD/top/notes.txt>) = 0',
      ];
      assert.deepEqual(linesFrom(lines, expected), expected);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('prints the whole struct stat with -v, times with their date', async () => {
    const r = await tracePlain(['-v', '-e', 'trace=stat'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const date = String.raw`\d+ /\* \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{9})?[+-]\d{4} \*/`;
    assert.match(
      r.lines[0],
      new RegExp(
        String.raw`^stat\("top/notes.txt", \{st_dev=makedev\((0|0x[0-9a-f]+), (0|0x[0-9a-f]+)\), st_ino=\d+, ` +
          String.raw`st_mode=S_IFREG\|0640, st_nlink=1, st_uid=\d+, st_gid=\d+, st_blksize=\d+, st_blocks=\d+, ` +
          String.raw`st_size=10, st_atime=${date}, st_atime_nsec=\d+, st_mtime=${date}, st_mtime_nsec=\d+, ` +
          String.raw`st_ctime=${date}, st_ctime_nsec=\d+\}\) += 0$`,
      ),
    );
  });

  it('selects calls by strace class: %file names a path, %desc takes a descriptor', async () => {
    const names = (lines: string[]) => new Set(lines.filter((l) => !l.startsWith('+++')).map((l) => l.slice(0, l.indexOf('('))));
    const file = names((await tracePlain(['-e', 'trace=%file'], [prog])).lines);
    for (const n of ['execve', 'openat', 'openat2', 'stat', 'lstat', 'newfstatat', 'statx', 'access', 'readlink', 'mkdir', 'chdir', 'getcwd', 'utimensat', 'setxattr'])
      assert.ok(file.has(n), `%file should select ${n}`);
    for (const n of ['close', 'read', 'write', 'lseek', 'fsync', 'fchmod', 'umask', 'close_range'])
      assert.ok(!file.has(n), `%file should not select ${n}`);
    const desc = names((await tracePlain(['-e', 'trace=%desc'], [prog])).lines);
    for (const n of ['openat', 'openat2', 'close', 'read', 'write', 'lseek', 'newfstatat', 'statx', 'fsync', 'flock', 'fchmod', 'fallocate', 'faccessat2', 'mkdirat', 'unlinkat'])
      assert.ok(desc.has(n), `%desc should select ${n}`);
    for (const n of ['execve', 'stat', 'lstat', 'access', 'mkdir', 'chdir', 'umask', 'getcwd'])
      assert.ok(!desc.has(n), `%desc should not select ${n}`);
    const anyStat = names((await tracePlain(['-e', 'trace=%%stat'], [prog])).lines);
    assert.deepEqual([...anyStat].sort(), ['lstat', 'newfstatat', 'stat', 'statx']);
  });

  it('prints registers in hex with -e raw=all', async () => {
    const r = await tracePlain(['-e', 'raw=all', '-e', 'trace=mkdir,umask,close'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines);
    // 027 is 0x17 and 0751 is 0x1e9; an int -1 is a zero-extended 32-bit register.
    const expected = ['umask(0x17) = 0x17', 'mkdir(0xADDR, 0x1e9) = 0'];
    assert.deepEqual(linesFrom(lines, expected), expected);
    assert.ok(lines.includes('close(0xffffffff) = -1 EBADF (Bad file descriptor)'), lines.join('\n'));
  });
});
