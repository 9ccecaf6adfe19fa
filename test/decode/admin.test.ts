// System administration calls against the text strace 6.1 prints for them (decode_admin.c): keys,
// modules, the mount API, fanotify, landlock, quotas, AIO and io_uring.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_admin');
});

const calls =
  'add_key,request_key,keyctl,delete_module,finit_module,fsopen,fsmount,fsconfig,move_mount,fanotify_mark,' +
  'landlock_add_rule,quotactl,io_destroy,io_submit,io_uring_enter,io_uring_register';

describe('system administration calls', () => {
  it('decodes keys, modules, mounts, fanotify, landlock, quotas and asynchronous I/O', async () => {
    const r = await tracePlain(['-e', `trace=${calls}`], [prog]);
    assert.equal(r.status, 0, r.stderr);
    // Whether modules, quotas or a file system type exist depends on the kernel: the error of those
    // calls is not what is tested.
    const lines = normalizeLines(r.lines, [
      [/^((?:delete_module|finit_module|fsopen|move_mount|quotactl)\(.*\)) = -1 E[A-Z]+ \(.*\)$/, '$1 = -1 ERR'],
    ]);
    assert.deepEqual(lines, [
      'add_key("user", "test-key", "secret", 6, -103) = -1 EINVAL (Invalid argument)',
      // Keyrings by name, other serials as numbers; an unknown command shows its raw arguments.
      'request_key("user", "no-such-key", NULL, KEY_SPEC_THREAD_KEYRING) = -1 ENOKEY (Required key not available)',
      'keyctl(KEYCTL_GET_KEYRING_ID, -100, 0) = -1 EINVAL (Invalid argument)',
      'keyctl(0xbad /* KEYCTL_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EOPNOTSUPP (Operation not supported)',
      'delete_module("no_such_module", O_NONBLOCK|O_TRUNC) = -1 ERR',
      'finit_module(-1, "", 0x8000 /* MODULE_INIT_??? */) = -1 ERR',
      'fsopen("no_such_fs_type", FSOPEN_CLOEXEC) = -1 ERR',
      'fsmount(-1, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|0x40) = -1 EINVAL (Invalid argument)',
      // fsconfig's key and value are what the command makes of them.
      'fsconfig(-1, FSCONFIG_SET_STRING, "source", "/dev/none", 0) = -1 EINVAL (Invalid argument)',
      'move_mount(-1, "", AT_FDCWD, "/nonexistent", MOVE_MOUNT_F_EMPTY_PATH) = -1 ERR',
      // strace's order of the fanotify event bits, not the bits' order.
      'fanotify_mark(-1, FAN_MARK_ADD, FAN_CLOSE_WRITE|FAN_OPEN|FAN_ONDIR, AT_FDCWD, "/") = -1 EBADF (Bad file descriptor)',
      'landlock_add_rule(-1, 0x7 /* LANDLOCK_RULE_??? */, NULL, 0) = -1 EBADF (Bad file descriptor)',
      'quotactl(QCMD(Q_GETFMT, USRQUOTA), "/nonexistent", NULL) = -1 ERR',
      'quotactl(QCMD(Q_QUOTAON, GRPQUOTA), "/nonexistent", QFMT_VFS_V1, "/nonexistent/q") = -1 ERR',
      'io_destroy(NULL) = -1 EINVAL (Invalid argument)',
      // Each iocb behind the pointer array, a write with its data.
      'io_submit(NULL, 1, [{aio_data=0, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=1, aio_buf="hello", aio_nbytes=5, aio_offset=0}]) = -1 EINVAL (Invalid argument)',
      'io_uring_enter(-1, 1, 0, IORING_ENTER_GETEVENTS, NULL, 8) = -1 EBADF (Bad file descriptor)',
      'io_uring_register(-1, IORING_UNREGISTER_BUFFERS, NULL, 0) = -1 EINVAL (Invalid argument)',
      '+++ exited with 0 +++',
    ]);
  });
});
