// RecordRing (src/ui/record-ring.ts) as the history uses it: records appended at the head, the
// oldest forgotten first, the ring growing in chunks when a record would run over the kept ones,
// and every kept record read back as written, whatever the growth did to the positions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RecordRing } from '../../src/ui/record-ring.js';

/** A history of at most `keep` records over a ring: what the ring holds and what it should. */
function history(initialSize: number, keep: number, window = 0) {
  const ring = new RecordRing(initialSize, window);
  // The kept records are all[first..]: forgetting the oldest moves `first` (a shift() of a 40,000-long array each time cost seconds).
  let all: Array<{ pos: number; text: string; n: number }> = [];
  let first = 0;
  const kept = () => all.slice(first);
  const rebase = (shift: number) => {
    for (let i = first; i < all.length; i++) all[i].pos = (all[i].pos + shift) % 2 ** 32;
  };
  let grew = 0;
  return {
    ring,
    get grew() {
      return grew;
    },
    append(text: string, n: number) {
      if (all.length - first === keep) first++;
      if (first > keep) [all, first] = [all.slice(first), 0];
      const tail = all.length > first ? ring.absolute(all[first].pos) : ring.head;
      const bytes = Buffer.byteLength(text);
      const size = ring.byteLength;
      const pos = ring.begin(bytes + 5 + 9, tail, rebase);
      if (ring.byteLength !== size) grew++;
      ring.putText(text, bytes, true);
      ring.putNumber(n);
      ring.end();
      all.push({ pos: RecordRing.pos32(pos), text, n });
    },
    check(what: string) {
      for (const r of kept()) {
        ring.seek(ring.absolute(r.pos));
        assert.equal(ring.getText(), r.text, `${what}: text of record ${r.n}`);
        assert.equal(ring.getNumber(), r.n, `${what}: number of record ${r.n}`);
        ring.seek(ring.absolute(r.pos));
        assert.ok(ring.textIncludes(Buffer.from(r.text.slice(-12))), `${what}: search in record ${r.n}`);
        ring.seek(ring.absolute(r.pos));
        ring.skipText();
        assert.equal(ring.getNumber(), r.n, `${what}: number after the skipped text of record ${r.n}`);
      }
    },
  };
}

describe('RecordRing', () => {
  it('keeps every kept record whole while it grows chunk by chunk, the head wrapped or not', () => {
    // Chunks of 4 KB (a ring that starts that small is one chunk of its size); texts of varied
    // lengths so the head lands anywhere in a chunk when the ring has to grow.
    const h = history(4096, 300);
    for (let n = 0; n < 5000; n++) {
      const len = n < 2500 ? 10 + ((n * 37) % 90) : 40 + ((n * 53) % 400);
      h.append(`${n}:${'é'.repeat(n % 3)}${'x'.repeat(len)}`, n * (n % 2 ? -1 : 1));
      if (n % 97 === 0) h.check(`after ${n}`);
    }
    h.check('at the end');
    assert.ok(h.grew >= 5, `the ring grew (${h.grew} times, ${h.ring.byteLength} bytes)`);
    // Chunks of 4 KB added as needed: no more than an eighth over what 300 records of up to ~450
    // bytes need, plus a chunk, plus what the skipped chunk ends waste.
    assert.ok(h.ring.byteLength <= 300 * 470 * 1.25 + 2 * 4096, `ring of ${h.ring.byteLength} bytes`);
  });

  it('takes a record larger than a chunk by moving to larger chunks, the kept records copied', () => {
    const h = history(4096, 50);
    for (let n = 0; n < 400; n++) {
      const len = n % 61 === 60 ? 9000 + n * 10 : 30 + (n % 50);
      h.append(`${n} ${'y'.repeat(len)}`, n);
      if (n % 7 === 0) h.check(`after ${n}`);
    }
    h.check('at the end');
  });

  it('grows a ring of 1 MB chunks without copying what it keeps', () => {
    const h = history(2 ** 21, 40_000);
    for (let n = 0; n < 120_000; n++) h.append(`read(3, "${'\\0'.repeat(n % 64)}", 64) = ${n}`, n);
    h.check('at the end');
    assert.ok(h.grew >= 1);
    assert.equal(h.ring.byteLength % 2 ** 20, 0, 'a whole number of 1 MB chunks');
  });

  it('writes a text seen within the window as a reference to it, which stays readable as long as the record is kept', () => {
    // Few distinct texts, some long: most records share theirs; the ring grows meanwhile (small
    // start), the window keeps the records shared from.
    const texts = Array.from({ length: 7 }, (_, k) => `futex(0x7f00${k}, FUTEX_WAIT, ${'z'.repeat(k * 150)}) = -1 EAGAIN`);
    const shared = history(4096, 500, 4096);
    const whole = history(4096, 500, 0);
    for (let n = 0; n < 6000; n++) {
      // Now and then a run of new texts pushes the last whole copies out of the window.
      const text = n % 1000 < 30 ? `read(${n}, "${'q'.repeat(n % 200)}", 4096) = ${n}` : texts[(n * 5) % 7];
      shared.append(text, n);
      whole.append(text, n);
      if (n % 101 === 0) shared.check(`after ${n}`);
    }
    shared.check('at the end');
    assert.ok(shared.ring.byteLength * 3 < whole.ring.byteLength, `shared ${shared.ring.byteLength} bytes, whole ${whole.ring.byteLength}`);
  });
});
