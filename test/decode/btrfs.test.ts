// Btrfs requests against the text strace 6.1 prints for them (decode_btrfs.c): volume arguments,
// balance and defragment ranges (UINT64_MAX by name), device ids as makedev() (a number and the
// name under -X verbose), UUIDs, a tree search key, and what a successful request wrote back.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_btrfs');
});

const EBADF = ' = -1 EBADF (Bad file descriptor)';
const UUID = '01234567-89ab-cdef-fedc-ba9876543210';

describe('btrfs ioctl requests', () => {
  it('decodes volume, balance, defragment, device, search and quota arguments', async () => {
    const r = await tracePlain(['-e', 'trace=ioctl'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), [
      'ioctl(-1, BTRFS_IOC_SNAP_CREATE, {fd=5, name="snap-1"})' + EBADF,
      'ioctl(-1, BTRFS_IOC_BALANCE_CTL, BTRFS_BALANCE_CTL_PAUSE)' + EBADF,
      'ioctl(-1, BTRFS_IOC_SUBVOL_SETFLAGS, BTRFS_SUBVOL_RDONLY)' + EBADF,
      // Only the block group types the flags name have their arguments shown.
      'ioctl(-1, BTRFS_IOC_BALANCE_V2, {flags=BTRFS_BALANCE_DATA|BTRFS_BALANCE_FORCE, data={profiles=BTRFS_BLOCK_GROUP_RAID1, usage=90, devid=makedev(0, 0), pstart=0, pend=UINT64_MAX, vstart=0, vend=0, target=0, flags=BTRFS_BALANCE_ARGS_USAGE|BTRFS_BALANCE_ARGS_CONVERT}})' + EBADF,
      'ioctl(-1, BTRFS_IOC_DEFRAG_RANGE, {start=0, len=UINT64_MAX, flags=BTRFS_DEFRAG_RANGE_COMPRESS, extent_thresh=0, compress_type=BTRFS_COMPRESS_ZSTD})' + EBADF,
      `ioctl(-1, BTRFS_IOC_DEV_INFO, {devid=makedev(0x8, 0x1), uuid=${UUID}})` + EBADF,
      // The default range of object ids is left out without -v.
      'ioctl(-1, BTRFS_IOC_TREE_SEARCH, {key={tree_id=BTRFS_ROOT_TREE_OBJECTID, min_offset=0, max_offset=UINT64_MAX, min_transid=0, max_transid=UINT64_MAX, min_type=BTRFS_ROOT_ITEM_KEY, max_type=BTRFS_ROOT_ITEM_KEY, nr_items=16}})' + EBADF,
      'ioctl(-1, BTRFS_IOC_QUOTA_CTL, {cmd=BTRFS_QUOTA_CTL_ENABLE})' + EBADF,
      '+++ exited with 0 +++',
    ]);
  });

  it('under -X verbose shows a device id as its number with makedev() in a comment, with -v the whole search range', async () => {
    const x = normalizeLines((await tracePlain(['-X', 'verbose', '-e', 'trace=ioctl'], [prog])).lines);
    assert.ok(x.includes(`ioctl(-1, 0xd000941e /* BTRFS_IOC_DEV_INFO */, {devid=0x801 /* makedev(0x8, 0x1) */, uuid=${UUID}})` + EBADF), x.join('\n'));
    assert.ok(x.includes('ioctl(-1, 0x4008941a /* BTRFS_IOC_SUBVOL_SETFLAGS */, 0x2 /* BTRFS_SUBVOL_RDONLY */)' + EBADF), x.join('\n'));
    const v = normalizeLines((await tracePlain(['-v', '-e', 'trace=ioctl'], [prog])).lines);
    assert.ok(v.some((l) => l.includes('{key={tree_id=BTRFS_ROOT_TREE_OBJECTID, min_objectid=BTRFS_FIRST_FREE_OBJECTID, max_objectid=BTRFS_LAST_FREE_OBJECTID, min_offset=0,')), v.join('\n'));
  });

  it('shows what a successful request wrote back: file system information, device statistics by name', async () => {
    const r = await tracePlain(['-e', 'trace=ioctl', '-e', 'inject=ioctl:retval=0'], [prog, 'success']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), [
      `ioctl(-1, BTRFS_IOC_FS_INFO, {max_id=1, num_devices=1, fsid=${UUID}, nodesize=16384, sectorsize=4096, clone_alignment=4096, csum_type=BTRFS_CSUM_TYPE_CRC32, csum_size=4, flags=BTRFS_FS_INFO_FLAG_CSUM_INFO|BTRFS_FS_INFO_FLAG_GENERATION, generation=42}) = 0 (INJECTED)`,
      'ioctl(-1, BTRFS_IOC_GET_DEV_STATS, {devid=makedev(0, 0x1), nr_items=2, flags=0} => {nr_items=2, flags=0, [[BTRFS_DEV_STAT_WRITE_ERRS]=0, [BTRFS_DEV_STAT_READ_ERRS]=3]}) = 0 (INJECTED)',
      '+++ exited with 0 +++',
    ]);
  });
});
