// The TUI's marked record texts (native/decode/record_text.h, src/engine/record-text.ts): one
// record holds every -y/-yy form of its descriptors and its strings up to a longer -s, and renders
// in any of them; the -o text written beside the records stays the command line's, byte for byte
// what --plain writes. A real tracee (display_forms: a file, a unix socket pair, a long string).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { renderText, type TextForm } from '../../src/engine/record-text.js';
import { TraceSession } from '../../src/engine/session.js';
import { parseArgs } from '../../src/plain/options.js';
import { plainNativeOptions } from '../../src/plain/run.js';
import { fixturePath, killAll, waitFor } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';

const dir = mkdtempSync(join(tmpdir(), 'systrace-forms-'));
after(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

const LONG = 'line-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ-the-end-of-a-long-string\\n';
const form = (f: Partial<TextForm>): TextForm => ({ fds: 0, strsize: 32, xflag: 0, tracedX: 0, ...f });

test('renderText: descriptor forms, strings cut again at another -s, quoted again at another -x', () => {
  const t = 'write(3\x02</tmp/a b>\x04, \x01"0123456789\\0012"..., 99) = 99';
  assert.equal(renderText(t, form({})), 'write(3, "0123456789\\0012"..., 99) = 99');
  assert.equal(renderText(t, form({ fds: 1, strsize: 4 })), 'write(3</tmp/a b>, "0123"..., 99) = 99');
  // A cut in front of an octal digit: the escape before it takes all three digits again.
  assert.equal(renderText(t, form({ fds: 2, strsize: 11 })), 'write(3</tmp/a b>, "0123456789\\1"..., 99) = 99');
  assert.equal(renderText(t, form({ strsize: 12, xflag: 2 })), `write(3, "${'0123456789'.split('').map((c) => `\\x3${c}`).join('')}\\x01\\x32"..., 99) = 99`);
  // Kept whole: no "..." at an -s as long as it, cut at a shorter one.
  const whole = 'read(5\x02<socket:[7]>\x03<UNIX-STREAM:[7->8]>\x04, \x01"ping", 4) = 4';
  assert.equal(renderText(whole, form({ strsize: 4 })), 'read(5, "ping", 4) = 4');
  assert.equal(renderText(whole, form({ strsize: 3, fds: 1 })), 'read(5<socket:[7]>, "pin"..., 4) = 4');
  assert.equal(renderText(whole, form({ fds: 2 })), 'read(5<UNIX-STREAM:[7->8]>, "ping", 4) = 4');
  // A device: -yy adds its numbers inside the -y form.
  const dev = 'read(0\x02</dev/zero>\x03+<char 1:5>>\x04, "", 1) = 1';
  assert.equal(renderText(dev, form({ fds: 1 })), 'read(0</dev/zero>, "", 1) = 1');
  assert.equal(renderText(dev, form({ fds: 2 })), 'read(0</dev/zero<char 1:5>>, "", 1) = 1');
  // An empty -yy form: that option prints nothing there (-e decode-fds=socket and a cwd).
  assert.equal(renderText('openat(AT_FDCWD\x02</w>\x03\x04, "/x", O_RDONLY) = 3', form({ fds: 2 })), 'openat(AT_FDCWD, "/x", O_RDONLY) = 3');
  // Paths (no mark) are never cut by -s; unmarked strings still follow -x.
  assert.equal(renderText('stat("/a/very/long/path/that/is/longer/than/32", 0x1) = 0', form({ strsize: 4 })), 'stat("/a/very/long/path/that/is/longer/than/32", 0x1) = 0');
  assert.equal(renderText('x("a\\n")', form({ xflag: 2 })), 'x("\\x61\\x0a")');
});

/** The records' texts and the -o log of display_forms traced the way the TUI traces (marked). */
async function traceMarked(args: string[], file: string, log: string): Promise<string[]> {
  const o = parseArgs(['-f', '-o', log, ...args, '--', fixturePath('display_forms'), file]);
  const s = TraceSession.launch(o.command, { native: { ...plainNativeOptions(o), records: true, marks: true, marksStrsize: 256 } }, { stdio: [-1, -1, -1] });
  const texts: string[] = [];
  const take = () => {
    const b = s.drainBatch();
    for (const t of b.texts) texts.push(t);
    return b.count;
  };
  try {
    await waitFor(() => (take(), s.done ? true : undefined), 'display_forms to end', 30000, 10);
    while (take());
  } finally {
    s.detach();
  }
  return texts;
}

/**
 * What differs between two runs: pids (any number of digits: in a pid namespace of its own the
 * fixture's can be 3 or fewer), addresses, socket inodes, the file's name, the environment's size.
 */
const normalize = (lines: string[], file: string) =>
  lines.map((l) =>
    l
      .replaceAll(file, 'FILE')
      .replace(/^\d+ +/, '')
      .replace(/0x[0-9a-f]{6,}/g, 'ADDR')
      .replace(/\/\* \d+ vars \*\//, 'ENV')
      .replace(/^(set_tid_address\(ADDR\) +=) \d+$/, '$1 PID')
      .replace(/:\[\d+(?:->\d+)?\]/g, ':[INODE]')
      .replace(/\b\d{4,}\b/g, 'N')
      .replace(/ +=/, ' ='),
  );

test('a marked trace: the -o text is --plain\'s, the records render in every form', async () => {
  for (const [i, args] of [[], ['-y'], ['-yy'], ['-s', '8', '-x'], ['-e', 'decode-fds=socket', '-s', '100']].entries()) {
    const file = join(dir, `out-${i}`);
    const log = join(dir, `log-${i}`);
    const texts = await traceMarked(args, file, log);
    const marked = normalize(readFileSync(log, 'utf8').split('\n').filter(Boolean), file);
    const plain = await tracePlain(['-f', ...args], [fixturePath('display_forms'), file], { cwd: process.cwd() });
    assert.deepEqual(marked.filter((l) => !l.startsWith('+++')), normalize(plain.lines, file).filter((l) => !l.startsWith('+++')), `-o under ${args.join(' ')}`);
    if (i !== 0) continue;
    const show = (f: Partial<TextForm>) => texts.map((t) => renderText(t, form(f)));
    const fileWrite = (f: Partial<TextForm>) => show(f).find((t) => t.startsWith('write(3'))!;
    assert.equal(fileWrite({}), `write(3, "${LONG.slice(0, 32)}"..., 95) = 95`);
    assert.equal(fileWrite({ fds: 1 }), `write(3<${file}>, "${LONG.slice(0, 32)}"..., 95) = 95`);
    assert.equal(fileWrite({ strsize: 64 }), `write(3, "${LONG.slice(0, 64)}"..., 95) = 95`);
    assert.equal(fileWrite({ strsize: 1024 }), `write(3, "${LONG}", 95) = 95`);
    assert.match(show({ fds: 2 }).find((t) => t.startsWith('write(4'))!, /^write\(4<UNIX-STREAM:\[\d+->\d+\]>, "/);
    assert.match(show({ fds: 1 }).find((t) => t.startsWith('write(4'))!, /^write\(4<socket:\[\d+\]>, "/);
    assert.match(show({ fds: 1 }).find((t) => t.startsWith('openat('))!, /^openat\(AT_FDCWD<\/[^>]*>, "/);
  }
});
