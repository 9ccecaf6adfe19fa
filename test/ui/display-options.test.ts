import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteBytes, requote } from '../../src/engine/record-text.js';
import { batchFromEvents } from '../../src/engine/trace-batch.js';
import type { SyscallEvent } from '../../src/engine/types.js';
import { applyOption, DEFAULT_DISPLAY, formWords, wallTime, type DisplayOptions } from '../../src/ui/display-options.js';
import { rowParts } from '../../src/ui/format-row.js';
import { createTraceStore } from '../../src/ui/store.js';
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

  it('-y and -s redraw the rows already held (a live trace\'s marked texts), -x too; a log has one form', () => {
    const live: DisplayOptions = { ...DEFAULT_DISPLAY, keptStrsize: 256 };
    const store = createTraceStore(100, 'forms', { display: live });
    const long = 'A'.repeat(40) + 'B'.repeat(40);
    const write: SyscallEvent = sys(7, 'write', `write(3\x02</tmp/out>\x04, \x01"${long}", 80) = 80`, { rval: 80 });
    const sock: SyscallEvent = sys(7, 'read', 'read(4\x02<socket:[9]>\x03<UNIX-STREAM:[9->10]>\x04, \x01"ping", 4) = 4', { rval: 4 });
    store.getState().history.appendBatch({ ...batchFromEvents([write, sock]), textForm: { fds: 0, strsize: 32, xflag: 0, tracedX: 0 } });
    const texts = () => [0, 1].map((seq) => (store.getState().history.at(seq) as SyscallEvent).text);
    const press = (letter: string) => {
      const r = applyOption(store.getState().display, letter)!;
      store.setState({ display: r.display });
      return r.said;
    };
    assert.deepEqual(texts(), [`write(3, "${long.slice(0, 32)}"..., 80) = 80`, 'read(4, "ping", 4) = 4']);
    assert.equal(press('y'), '-y: descriptors with their paths');
    assert.deepEqual(texts(), [`write(3</tmp/out>, "${long.slice(0, 32)}"..., 80) = 80`, 'read(4<socket:[9]>, "ping", 4) = 4']);
    press('y');
    assert.equal(texts()[1], 'read(4<UNIX-STREAM:[9->10]>, "ping", 4) = 4');
    assert.equal(press('s'), '-s 64: strings cut after 64 bytes');
    assert.equal(texts()[0], `write(3</tmp/out>, "${long.slice(0, 64)}"..., 80) = 80`);
    assert.match(press('s'), /^-s 256: .*the most the rows keep/);
    assert.equal(texts()[0], `write(3</tmp/out>, "${long}", 80) = 80`);
    assert.equal(formWords(store.getState().display), '-yy -s 256');
    press('s');
    press('y');
    press('x');
    press('x');
    assert.deepEqual(texts(), [`write(3, "${'\\x41'.repeat(32)}"..., 80) = 80`, 'read(4, "\\x70\\x69\\x6e\\x67", 4) = 4']);
    // The text filter and the search see what is drawn.
    assert.equal(store.getState().history.matches(1, { classes: 0, failedOnly: false, text: 'UNIX-STREAM' }), false);
    press('y');
    press('y');
    assert.equal(store.getState().history.matches(1, { classes: 0, failedOnly: false, text: 'UNIX-STREAM' }), true);
    // A signal's text can hold a descriptor too (SIGIO's si_fd).
    store.getState().history.append([{ kind: 'signal', pid: 7, tid: 7, signo: 29, name: 'SIGIO', text: '--- SIGIO {si_signo=SIGIO, si_fd=4\x02<socket:[9]>\x04} ---', wallUs: 0, entryNs: write.entryNs + 1 }]);
    assert.equal((store.getState().history.at(2) as { text: string }).text, '--- SIGIO {si_signo=SIGIO, si_fd=4<socket:[9]>} ---');
    // A log's lines hold one form: -y and -s say so and change nothing.
    const r = applyOption(DEFAULT_DISPLAY, 'y')!;
    assert.equal(r.display, DEFAULT_DISPLAY);
    assert.match(r.said, /a log is drawn as it was written/);
  });
});
