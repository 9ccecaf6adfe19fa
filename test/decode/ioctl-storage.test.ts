// Device mapper and MTD flash requests against the text strace 6.1 prints for them
// (decode_ioctl_storage.c): the dm_ioctl header and its payload as a two-element array, the payload
// only with -v, what the kernel wrote back after " => "; MTD structures, and type 'M' requests named
// as the sound mixer's too.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_ioctl_storage');
});

const EBADF = ' = -1 EBADF (Bad file descriptor)';
const ROOT = 'dev=makedev(0xfd, 0x1), name="vg0-root"';

// The lines both runs share: a payload shows as "..." without -v, as `load` and `msg` with it.
function expected(load: string, msg: string): string[] {
  return [
    `ioctl(-1, DM_VERSION, [{version=[4, 48, 0], data_size=312, ${ROOT}, flags=DM_READONLY_FLAG|DM_EXISTS_FLAG}])` + EBADF,
    // A resume waits for an event number; a suspend does not say one.
    `ioctl(-1, DM_DEV_SUSPEND, [{version=[4, 48, 0], data_size=312, ${ROOT}, event_nr=12, flags=0}])` + EBADF,
    `ioctl(-1, DM_DEV_SUSPEND, [{version=[4, 48, 0], data_size=312, ${ROOT}, flags=DM_SUSPEND_FLAG}])` + EBADF,
    `ioctl(-1, DM_TABLE_LOAD, [{version=[4, 48, 0], data_size=568, data_start=312, ${ROOT}, target_count=1, flags=0}, ${load}])` + EBADF,
    `ioctl(-1, DM_TARGET_MSG, [{version=[4, 48, 0], data_size=568, data_start=312, ${ROOT}, flags=0}, ${msg}])` + EBADF,
    // Another ABI's header is not read past its version; one too short for its size is an address.
    'ioctl(-1, DM_VERSION, [{version=[3, 48, 0] /* unsupported device mapper ABI version */}])' + EBADF,
    'ioctl(-1, DM_REMOVE_ALL, 0xADDR)' + EBADF,
    'ioctl(-1, MIXER_WRITE(2) or MEMERASE, {start=0x20000, length=0x20000})' + EBADF,
    'ioctl(-1, MEMWRITE, {start=0x40000, len=0x800, ooblen=0x40, usr_data=0x1000, usr_oob=NULL, mode=MTD_OPS_RAW})' + EBADF,
    'ioctl(-1, MIXER_READ(13) or OTPSELECT, [MTD_OTP_USER])' + EBADF,
    'ioctl(-1, MTDFILEMODE, MTD_FILE_MODE_RAW)' + EBADF,
    'ioctl(-1, MIXER_WRITE(11) or MEMGETBADBLOCK, [131072])' + EBADF,
    // The region asked for; what the kernel would have said about it only on success.
    'ioctl(-1, MEMGETREGIONINFO, {regionindex=0x1})' + EBADF,
    'ioctl(-1, MIXER_READ(18) or ECCGETSTATS, NULL)' + EBADF,
    '+++ exited with 0 +++',
  ];
}

describe('device mapper and MTD ioctl requests', () => {
  it('prints the dm_ioctl header, the payload as "..." without -v, and the MTD structures', async () => {
    const r = await tracePlain(['-e', 'trace=ioctl'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), expected('...', '...'));
  });

  it('with -v prints the target specs and the message of the payload', async () => {
    const r = await tracePlain(['-v', '-e', 'trace=ioctl'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      normalizeLines(r.lines),
      expected('{sector_start=0, length=2048, target_type="linear", string="8:1 0"}', '{sector=0, message="@cancel_deferred_remove"}'),
    );
  });

  it('shows what a successful request wrote back: the device list, the chip and region information', async () => {
    const r = await tracePlain(['-v', '-e', 'trace=ioctl', '-e', 'inject=ioctl:retval=0'], [prog, 'success']);
    assert.equal(r.status, 0, r.stderr);
    const header = '{version=[4, 48, 0], data_size=568, data_start=312, flags=0}';
    assert.deepEqual(normalizeLines(r.lines), [
      // An event number follows a name when the record has room for it.
      `ioctl(-1, DM_LIST_DEVICES, [${header}] => [${header}, {dev=makedev(0xfd, 0), name="vg0-root", event_nr=7}, {dev=makedev(0xfd, 0x1), name="vg0-swap"}]) = 0 (INJECTED)`,
      'ioctl(-1, MIXER_READ(1) or MEMGETINFO, {type=MTD_NANDFLASH, flags=MTD_WRITEABLE, size=0x8000000, erasesize=0x20000, writesize=0x800, oobsize=0x40, padding=0}) = 0 (INJECTED)',
      'ioctl(-1, MEMGETREGIONINFO, {regionindex=0x1, offset=0x100000, erasesize=0x10000, numblocks=0x10}) = 0 (INJECTED)',
      'ioctl(-1, MIXER_READ(7) or MEMGETREGIONCOUNT, [3]) = 0 (INJECTED)',
      '+++ exited with 0 +++',
    ]);
  });
});
