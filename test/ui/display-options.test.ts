import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOption, DEFAULT_DISPLAY, quoteBytes, requote, wallTime } from '../../src/ui/display-options.js';
import { rowParts } from '../../src/ui/format-row.js';
import { sys } from './helpers.js';

describe('display options', () => {
  it('strings quoted again as strace quotes them: by default, -x, -xx', () => {
    const line = 'write(1, "hi\\n\\0\\3777\\"", 7) = 7';
    assert.equal(requote(line, 2, 0), 'write(1, "\\x68\\x69\\x0a\\x00\\xff\\x37\\x22", 7) = 7');
    // -x: only a string with bytes neither printable nor \t..\r goes to hex.
    assert.equal(requote(line, 1, 0), 'write(1, "\\x68\\x69\\x0a\\x00\\xff\\x37\\x22", 7) = 7');
    assert.equal(requote('write(1, "a\\tb\\n", 4) = 4', 1, 0), 'write(1, "a\\tb\\n", 4) = 4');
    // Back from hex to the default escapes: octal as short as it can be, unless a digit follows.
    assert.equal(requote('read(3, "\\x01\\x41\\x01\\x37"..., 4) = 4', 0, 2), 'read(3, "\\1A\\0017"..., 4) = 4');
    // Addresses printed with %s are not strings.
    const conn = 'connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, 16) = 0';
    assert.equal(requote(conn, 2, 0), conn);
    assert.equal(quoteBytes(Uint8Array.from([0x5c, 0x22, 0x0b, 0x0c, 0x0d, 0x7f]), 0), '\\\\\\"\\v\\f\\r\\177');
  });

  it('time stamps: -t, -tt, -ttt from the wall clock; durations hidden with -T off', () => {
    const ev = { ...sys(5, 'getpid', 'getpid() = 5'), wallUs: 1_700_000_000_123_456 };
    assert.match(wallTime(ev, 1), /^\d\d:\d\d:\d\d$/);
    assert.match(wallTime(ev, 2), /^\d\d:\d\d:\d\d\.123456$/);
    assert.equal(wallTime(ev, 3), '1700000000.123456');
    let d = DEFAULT_DISPLAY;
    const said: string[] = [];
    for (const letter of ['t', 't', 'T']) {
      const r = applyOption(d, letter)!;
      d = r.display;
      said.push(r.said);
    }
    assert.deepEqual(said, ['-t: wall-clock time stamps', '-tt: wall-clock time stamps', 'durations hidden']);
    const p = rowParts(ev, ev.entryNs, 60, '', undefined, '', d);
    assert.match(p.time, /^\d\d:\d\d:\d\d\.123456$/);
    assert.equal(p.dur, '');
    assert.equal(p.time.length + 1 + p.segments.reduce((n, s) => n + s.text.length, 0), 60, 'the line takes the room the duration had');
    assert.equal(applyOption(d, 'q'), undefined);
  });
});
