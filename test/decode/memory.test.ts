// The memory family against the text strace 6.1 prints for the same calls (decode_memory.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { linesFrom, normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_memory');
});

describe('memory family', () => {
  it('prints mappings whole at entry with the new address in hex, flags by name, fds with -y', async () => {
    const r = await tracePlain(['-y', '-e', 'trace=%memory,membarrier,process_vm_readv'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const pid = r.stdout.trim();
    const expected = [
      'mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xADDR',
      // One byte per page; MADV_DONTNEED drops the first two.
      'mincore(0xADDR, 16384, [1, 1, 1, 1]) = 0',
      'madvise(0xADDR, 8192, MADV_DONTNEED) = 0',
      'mincore(0xADDR, 16384, [0, 0, 1, 1]) = 0',
      'madvise(0xADDR, 4096, 0x63 /* MADV_??? */) = -1 EINVAL (Invalid argument)',
      'mprotect(0xADDR, 4096, PROT_NONE) = 0',
      'mprotect(0xADDR, 4096, PROT_READ|PROT_EXEC) = 0',
      'msync(0xADDR, 4096, MS_ASYNC) = 0',
      // Flags with no known bit get strace's comment; known bits with unknown ones do not.
      'msync(0xADDR, 4096, 0x10 /* MS_??? */) = -1 EINVAL (Invalid argument)',
      'mlockall(0x40 /* MCL_??? */) = -1 EINVAL (Invalid argument)',
      'munmap(0xADDR, 16384) = 0',
      'mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xADDR',
      'mremap(0xADDR, 16384, 32768, MREMAP_MAYMOVE) = 0xADDR',
      // The new address is an argument only with MREMAP_FIXED.
      'mremap(0xADDR, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0x1001) = -1 EINVAL (Invalid argument)',
      'munmap(0xADDR, 32768) = 0',
      'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3</dev/zero>, 0x1000) = 0xADDR',
      'munmap(0xADDR, 4096) = 0',
      'mmap(NULL, 4096, PROT_READ, MAP_SHARED, 12345, 0) = -1 EBADF (Bad file descriptor)',
      'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|2<<MAP_HUGE_SHIFT, -1, 0) = 0xADDR',
      'munmap(0xADDR, 4096) = 0',
      'mmap(NULL, 4096, PROT_READ, 0xf /* MAP_??? */|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)',
      'membarrier(0x1000 /* MEMBARRIER_CMD_??? */, 0) = -1 EINVAL (Invalid argument)',
      // The local buffer holds what was read; the remote one is an address in the other process.
      'process_vm_readv(PID, [{iov_base="hello", iov_len=5}], 1, [{iov_base=0xADDR, iov_len=5}], 1, 0) = 5',
    ];
    const lines = normalizeLines(r.lines, [[new RegExp(`^process_vm_readv\\(${pid},`), 'process_vm_readv(PID,']]);
    assert.deepEqual(linesFrom(lines, expected), expected);
  });

  it('shows brk in hex and abbreviates arrays at -s unless -v', async () => {
    const r = await tracePlain(['-s', '2', '-e', 'trace=brk,mincore'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines);
    assert.equal(lines[0], 'brk(NULL) = 0xADDR');
    const expected = ['mincore(0xADDR, 16384, [1, 1, ...]) = 0', 'mincore(0xADDR, 16384, [0, 0, ...]) = 0'];
    assert.deepEqual(linesFrom(lines, expected), expected);
    const v = await tracePlain(['-v', '-s', '2', '-e', 'trace=mincore'], [prog]);
    assert.deepEqual(normalizeLines(v.lines).slice(0, 2), [
      'mincore(0xADDR, 16384, [1, 1, 1, 1]) = 0',
      'mincore(0xADDR, 16384, [0, 0, 1, 1]) = 0',
    ]);
  });
});
