// The text formats the inspector reads without touching any file system: mountinfo, fdinfo and
// /proc/locks (nested waiters included), on lines as the kernel prints them; and the mounts of
// this very process, read for real.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectContext } from '../../src/engine/proc/context.js';
import { explainKernelWait } from '../../src/engine/proc/kernel-waits.js';
import { MountTable, fsClass, mountServer, parseFdInfo, parseMountInfo, readMountTable } from '../../src/engine/proc/mounts.js';
import { findBlocker, lockRange, parseLocks } from '../../src/engine/proc/locks.js';

test('mountinfo: device, type, source, options; escaped mount points; the mount a path is on', () => {
  const m = parseMountInfo(
    [
      '22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
      '85 22 0:40 / /mnt/my\\040disk rw,nosuid - fuse.sshfs me@host: rw,user_id=0,group_id=0',
      '90 22 0:52 / /data rw,relatime shared:5 master:2 - nfs4 10.0.0.5:/export rw,vers=4.2,addr=10.0.0.5,clientaddr=10.0.0.9',
      '91 22 0:53 / /share rw - cifs //files.example/share rw,vers=3.1.1',
    ].join('\n'),
  );
  assert.deepEqual(
    m.map((e) => [e.id, e.major, e.minor, e.mountPoint, e.fsType, e.source]),
    [
      [22, 254, 1, '/', 'ext4', '/dev/vda1'],
      [85, 0, 40, '/mnt/my disk', 'fuse.sshfs', 'me@host:'],
      [90, 0, 52, '/data', 'nfs4', '10.0.0.5:/export'],
      [91, 0, 53, '/share', 'cifs', '//files.example/share'],
    ],
  );
  assert.deepEqual(m.map((e) => fsClass(e.fsType)), ['local', 'fuse', 'network', 'network']);
  assert.equal(fsClass('autofs'), 'other', 'an unknown file system is never stat\'ed from our process');
  assert.deepEqual(m.map(mountServer), [undefined, undefined, '10.0.0.5', 'files.example']);

  const own = readMountTable('self');
  assert.ok(own && own.forPath('/proc/self/stat')?.fsType === 'proc');
  assert.equal(own.forPath('/')?.mountPoint, '/');
});

test('fdinfo: position, flags, mount, inode, locks, pidfd and epoll entries', () => {
  const i = parseFdInfo('pos:\t10\nflags:\t0100002\nmnt_id:\t27\nino:\t2152874\nlock:\t1: FLOCK  ADVISORY  WRITE 9757 fe:00:2152874 0 EOF\nPid:\t77\ntfd:        5 events:       19 data:                5  pos:0 ino:1a2 sdev:d\n');
  assert.equal(i.pos, 10);
  assert.equal(i.flags! & 3, 2);
  assert.equal(i.mntId, 27);
  assert.equal(i.ino, 2152874n);
  assert.deepEqual(i.locks, ['1: FLOCK  ADVISORY  WRITE 9757 fe:00:2152874 0 EOF']);
  assert.equal(i.pidfdPid, 77);
  assert.deepEqual(i.tfds, [5]);
});

test('/proc/locks: each blocked request is linked to the lock it waits for, at any depth', () => {
  const locks = parseLocks(
    [
      '1: POSIX  ADVISORY  WRITE 700 fe:00:100 100 199',
      '1: -> POSIX  ADVISORY  WRITE 701 fe:00:100 150 159',
      '1:  -> POSIX  ADVISORY  WRITE 702 fe:00:100 150 150',
      '2: FLOCK  ADVISORY  WRITE 800 fe:00:200 0 EOF',
      '2: -> FLOCK  ADVISORY  WRITE 801 fe:00:200 0 EOF',
      '3: OFDLCK ADVISORY  READ  -1 fe:00:300 0 9',
    ].join('\n'),
  );
  assert.deepEqual(
    locks.map((l) => [l.id, l.depth, l.kind, l.pid, l.blocker?.pid]),
    [
      [1, 0, 'POSIX', 700, undefined],
      [1, 1, 'POSIX', 701, 700],
      [1, 2, 'POSIX', 702, 701],
      [2, 0, 'FLOCK', 800, undefined],
      [2, 1, 'FLOCK', 801, 800],
      [3, 0, 'OFDLCK', -1, undefined],
    ],
  );
  assert.equal(findBlocker(locks, { pid: 702, kind: 'POSIX', major: 254, minor: 0, ino: 100n })?.pid, 701);
  assert.equal(findBlocker(locks, { pid: 801, kind: 'FLOCK', major: 254, minor: 0, ino: 200n })?.pid, 800);
  assert.equal(lockRange(locks[0]), 'bytes 100-199');
  assert.equal(lockRange(locks[3]), 'the whole file');
  assert.equal(lockRange(locks[5]), 'bytes 0-9');
});

// A hung NFS server and a stuck disk cannot be made in a test: these stacks were taken from kernels
// in those states (frames as /proc/PID/stack prints them), with the mounts they were on.
test('D state on NFS and on a disk: the server and mount, the file and device', () => {
  const mounts = new MountTable(
    parseMountInfo(
      ['22 1 254:1 / / rw - ext4 /dev/vda1 rw', '90 22 0:52 / /data rw - nfs4 10.0.0.5:/export rw,vers=4.2,addr=10.0.0.5'].join('\n'),
    ),
  );
  const ctx = new InspectContext();
  const nfs = explainKernelWait(
    {
      pid: 1,
      state: 'D',
      wchan: 'rpc_wait_bit_killable',
      stack: ['rpc_wait_bit_killable+0x1e/0xa0', '__rpc_execute+0xf5/0x480', 'rpc_run_task+0x13d/0x180', 'nfs4_call_sync_sequence+0x66/0xa0', '_nfs4_proc_getattr+0xd2/0x110', 'nfs4_proc_getattr+0x52/0xd0', '__nfs_revalidate_inode+0x9b/0x2a0', 'nfs_getattr+0x1c9/0x3a0', 'vfs_statx+0x8c/0x160'],
      name: 'newfstatat',
      path: '/data/reports/q3.csv',
      mounts,
    },
    ctx,
  );
  assert.equal(nfs?.words, 'waiting for NFS server 10.0.0.5 (mount /data) to answer for /data/reports/q3.csv');
  const disk = explainKernelWait(
    {
      pid: 1,
      state: 'D',
      wchan: 'jbd2_log_wait_commit',
      stack: ['jbd2_log_wait_commit+0xc3/0x140', 'ext4_sync_file+0x2a4/0x360', 'do_fsync+0x38/0x70', '__x64_sys_fsync+0x10/0x20'],
      name: 'fsync',
      file: { link: '/var/lib/db/wal.log', mount: mounts.forPath('/var/lib/db/wal.log') },
      mounts,
    },
    ctx,
  );
  assert.equal(disk?.words, 'waiting for disk I/O in fsync on /var/lib/db/wal.log (device /dev/vda1 254:1, mount /)');
  assert.equal(explainKernelWait({ pid: 1, state: 'S', wchan: 'pipe_read', stack: ['pipe_read+0x31e/0x450'], name: 'read', mounts }, ctx), undefined);
});
