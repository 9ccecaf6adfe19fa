// String and buffer printing shared by every family (print_buf/print_quoted): strace's escapes, octal
// written short unless an octal digit follows, -s truncation with "..." after the quote, -x for
// strings with non-ASCII bytes and -xx for every byte. decode_strings.c writes fixed buffers to /dev/null.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_strings');
});

async function writes(...options: string[]): Promise<string[]> {
  const r = await tracePlain([...options, '-e', 'trace=write'], [prog]);
  assert.equal(r.status, 0, r.stderr);
  return normalizeLines(r.lines).filter((l) => !l.startsWith('+++'));
}

describe('string quoting', () => {
  it('escapes C specials, writes other bytes in the shortest octal that cannot be misread', async () => {
    assert.deepEqual(await writes(), [
      'write(3, "plain text", 10) = 10',
      'write(3, "tab\\there \\"q\\" back\\\\slash\\n", 24) = 24',
      // \\001 before the digit 7 needs all three digits; before 8 (not octal) one is enough.
      'write(3, "\\0017\\18\\33[0m", 8) = 8',
      'write(3, "caf\\303\\251", 5) = 5',
      'write(3, "0123456789abcdefghij", 20) = 20',
      'write(3, "", 0) = 0',
    ]);
  });

  it('cuts buffers at -s and says so after the closing quote', async () => {
    assert.deepEqual(await writes('-s', '6'), [
      'write(3, "plain "..., 10) = 10',
      'write(3, "tab\\the"..., 24) = 24',
      'write(3, "\\0017\\18\\33["..., 8) = 8',
      // Exactly -s bytes long: complete, no dots.
      'write(3, "caf\\303\\251", 5) = 5',
      'write(3, "012345"..., 20) = 20',
      'write(3, "", 0) = 0',
    ]);
  });

  it('switches a whole string to hex with -x only when it has non-ASCII bytes, every string with -xx', async () => {
    assert.deepEqual(await writes('-x'), [
      'write(3, "plain text", 10) = 10',
      // Tabs and newlines are ASCII whitespace: still a text string.
      'write(3, "tab\\there \\"q\\" back\\\\slash\\n", 24) = 24',
      'write(3, "\\x01\\x37\\x01\\x38\\x1b\\x5b\\x30\\x6d", 8) = 8',
      'write(3, "\\x63\\x61\\x66\\xc3\\xa9", 5) = 5',
      'write(3, "0123456789abcdefghij", 20) = 20',
      'write(3, "", 0) = 0',
    ]);
    const xx = await writes('-xx');
    assert.equal(xx[0], 'write(3, "\\x70\\x6c\\x61\\x69\\x6e\\x20\\x74\\x65\\x78\\x74", 10) = 10');
    assert.equal(xx[4], 'write(3, "\\x30\\x31\\x32\\x33\\x34\\x35\\x36\\x37\\x38\\x39\\x61\\x62\\x63\\x64\\x65\\x66\\x67\\x68\\x69\\x6a", 20) = 20');
    assert.equal(xx[5], 'write(3, "", 0) = 0');
  });
});
