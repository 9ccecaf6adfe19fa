// The descriptor family against the text strace 6.1 prints for the same calls (decode_desc.c): dup*,
// fcntl with its result notes, ioctl names and structs, poll/select notes, epoll, timerfd, signalfd,
// inotify, memfd, and -yy decorations of pipes, anonymous inodes, memfds and devices.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { linesFrom, normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_desc');
});

const startup =
  '!execve,brk,mmap,mprotect,munmap,arch_prctl,set_tid_address,set_robust_list,rseq,prlimit64,getrandom,openat,newfstatat,read,pread64,access';

describe('desc family', () => {
  it('prints descriptor calls and the notes strace puts after their results', async () => {
    const r = await tracePlain(['-e', `trace=${startup}`], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const expected = [
      'close_range(3, 4294967295, 0) = 0',
      'pipe2([3, 4], O_NONBLOCK) = 0',
      'write(4, "data", 4) = 4',
      'dup(3) = 5',
      'dup2(4, 40) = 40',
      'dup3(3, 41, O_CLOEXEC) = 41',
      // F_GETFL and F_GETFD results in hex with their flags; F_SETFL takes open(2) flags.
      'fcntl(5, F_GETFL) = 0x800 (flags O_RDONLY|O_NONBLOCK)',
      'fcntl(5, F_SETFL, O_RDONLY) = 0',
      'fcntl(41, F_GETFD) = 0x1 (flags FD_CLOEXEC)',
      'fcntl(5, F_SETFD, FD_CLOEXEC) = 0',
      'fcntl(5, F_DUPFD, 50) = 50',
      'fcntl(3, F_GETPIPE_SZ) = 65536',
      'fcntl(5, 0x3039 /* F_??? */, 0) = -1 EINVAL (Invalid argument)',
      'ioctl(3, FIONREAD, [4]) = 0',
      // A failed TCGETS leaves the struct unread: its address.
      'ioctl(3, TCGETS, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
      'ioctl(3, FIOCLEX) = 0',
      'ioctl(3, _IOC(_IOC_READ, 0x7a, 0x7, 0x4), 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
      // FICLONE's number is also btrfs's clone ioctl: both names; the source fd as a plain number.
      'ioctl(4, BTRFS_IOC_CLONE or FICLONE, 3) = -1 EINVAL (Invalid argument)',
      'poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, 0) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])',
      'select(4, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [3], left {tv_sec=0, tv_usec=0})',
      'epoll_create1(EPOLL_CLOEXEC) = 6',
      'epoll_ctl(6, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=1, u64=4294967297}}) = 0',
      'epoll_wait(6, [{events=EPOLLIN, data={u32=1, u64=4294967297}}], 2, 0) = 1',
      'epoll_ctl(6, EPOLL_CTL_DEL, 3, NULL) = 0',
      'epoll_wait(6, [], 2, 0) = 0',
      'eventfd2(7, EFD_NONBLOCK) = 7',
      'timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) = 8',
      'timerfd_settime(8, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
      'timerfd_gettime(8, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
      'signalfd4(-1, [USR2], 8, SFD_CLOEXEC) = 9',
      'inotify_init1(IN_NONBLOCK) = 10',
      'inotify_add_watch(10, ".", IN_CREATE|IN_DELETE) = 1',
      'inotify_rm_watch(10, 1) = 0',
      'memfd_create("scratch", MFD_CLOEXEC) = 11',
    ];
    assert.deepEqual(linesFrom(normalizeLines(r.lines), expected), expected);
    const pty = ['ioctl(12, TIOCSWINSZ, {ws_row=30, ws_col=100, ws_xpixel=0, ws_ypixel=0}) = 0', 'ioctl(12, TIOCGWINSZ, {ws_row=30, ws_col=100, ws_xpixel=0, ws_ypixel=0}) = 0'];
    assert.deepEqual(linesFrom(normalizeLines(r.lines), pty), pty);
  });

  it('decorates pipes, anonymous inodes, memfds and devices with -yy', async () => {
    const r = await tracePlain(['-yy', '-e', 'trace=pipe2,dup2,poll,epoll_ctl,inotify_add_watch,memfd_create,ioctl,close'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines, [[/pipe:\[\d+\]/g, 'pipe:[INO]']]);
    const expected = [
      'pipe2([3<pipe:[INO]>, 4<pipe:[INO]>], O_NONBLOCK) = 0',
      // The new descriptor is not open yet when dup2 starts: only the result is decorated.
      'dup2(4<pipe:[INO]>, 40) = 40<pipe:[INO]>',
    ];
    assert.deepEqual(linesFrom(lines, expected), expected);
    for (const line of [
      // Decorated in the arguments, plain in the note after the result.
      'poll([{fd=3<pipe:[INO]>, events=POLLIN}, {fd=4<pipe:[INO]>, events=POLLOUT}], 2, 0) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])',
      'epoll_ctl(6<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, 3<pipe:[INO]>, {events=EPOLLIN, data={u32=1, u64=4294967297}}) = 0',
      'inotify_add_watch(10<anon_inode:inotify>, ".", IN_CREATE|IN_DELETE) = 1',
      // A memfd's link ends in " (deleted)": strace puts that after the brackets.
      'memfd_create("scratch", MFD_CLOEXEC) = 11</memfd:scratch>(deleted)',
      'ioctl(12</dev/ptmx<char 5:2>>, TIOCSWINSZ, {ws_row=30, ws_col=100, ws_xpixel=0, ws_ypixel=0}) = 0',
      'close(12</dev/ptmx<char 5:2>>) = 0',
      'close(9<anon_inode:[signalfd]>) = 0',
      'close(8<anon_inode:[timerfd]>) = 0',
      'close(7<anon_inode:[eventfd]>) = 0',
    ])
      assert.ok(lines.includes(line), `missing ${line}\nin:\n${lines.join('\n')}`);
    // The terminal side: a device too, its number depends on how many ptys are open.
    assert.ok(lines.some((l) => /^close\(13<\/dev\/pts\/\d+<char 136:\d+>>\) = 0$/.test(l)), lines.join('\n'));
  });

  it('prints a terminal\'s termios abbreviated, every field with -v, and two names for a shared number', async () => {
    const flags =
      'c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE';
    const raw = 'c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE';
    const r = await tracePlain(['-e', 'trace=ioctl'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const expected = [
      `ioctl(13, TCGETS, {${flags}, ...}) = 0`,
      // TCSETSW shares its number with a sound ioctl; strace names both.
      `ioctl(13, SNDCTL_TMR_STOP or TCSETSW, {${raw}, ...}) = 0`,
      'ioctl(13, TCFLSH, TCIOFLUSH) = 0',
    ];
    assert.deepEqual(linesFrom(normalizeLines(r.lines), expected), expected);
    const v = await tracePlain(['-v', '-e', 'trace=ioctl'], [prog]);
    const cc =
      'c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0, ' +
      '[VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]';
    assert.ok(v.lines.some((l) => l.replace(/ {2,}= /, ' = ') === `ioctl(13, TCGETS, {${flags}, ${cc}}) = 0`), v.lines.join('\n'));
  });
});
