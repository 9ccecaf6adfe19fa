// --redact on live traces: the engine prints every string as its length at the source, so neither
// --plain's output nor the trace screen (nor what w writes from it) holds a byte of one; the
// lengths are the buffers' whole lengths, whatever -s cuts at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { CLI, e2eSkipReason, TmuxScreen } from '../ui/tmux.js';
import { ensureMerged } from '../ui/e2e-helpers.js';
import { cli, scratchDir, withoutHex } from './helpers.js';

const SECRETS = ['SECRET', '0123456789-abc', 'TOKEN', 'caf', 'log-reader', 'log_calls', 'ld.so', '/dev/null', 'nonexistent'];

function onlyLengths(line: string): void {
  for (const q of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) assert.ok(q[1] === '...' || q[1] === '', line);
}

describe('--redact, live', () => {
  it('--plain: no string left, in any -s, -x, -y form; buffers keep their whole length', async () => {
    const prog = fixturePath('log_calls');
    const tag = `red${process.pid}`;
    for (const opts of [['-f', '-yy', '-v'], ['-f', '-xx', '-s', '4'], ['-ff', '-y']]) {
      const r = await tracePlain([...opts, '--redact'], [prog, tag]);
      assert.equal(r.status, 0, r.stderr);
      const text = r.lines.join('\n');
      assert.ok(r.lines.length > 50 || opts.includes('-ff'), text);
      for (const s of [...SECRETS, tag]) assert.ok(!withoutHex(text).includes(s), `${opts.join(' ')}: ${s}`);
      for (const l of r.lines) onlyLengths(l);
      if (!opts.includes('-ff')) {
        assert.match(text, /write\(4(?:<pipe:\[\d+\]>)?, "\.\.\."<71 bytes>, 71/);
        assert.match(text, /read resumed>"\.\.\."<71 bytes>, 128\) += 71|read\(3(?:<pipe:\[\d+\]>)?, "\.\.\."<71 bytes>, 128\) += 71/);
        assert.match(text, /execve\("\.\.\."<9 bytes>, \["\.\.\."<9 bytes>\], (?:\["\.\.\."<84 bytes>\]|0x[0-9a-f]+ \/\* 1 var \*\/)\) = 0/);
        assert.match(text, /getrandom\("\.\.\."<8 bytes>, 8, GRND_NONBLOCK\) = 8/);
      }
    }
  });

  it('-e read= and -e write= are refused with it: they dump the bytes', async () => {
    const r = await cli(['--plain', '--redact', '-e', 'read=3', '--', '/bin/true']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'systrace-tui: --redact: -e read= and -e write= dump the very bytes it hides\n');
  });
});

describe('e2e: --redact on the trace screen (tmux)', { skip: e2eSkipReason() || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });

  it('rows show lengths, and W writes them so', async () => {
    const dir = scratchDir();
    const tag = `redtui${process.pid}`;
    const t = new TmuxScreen(`cd ${dir} && node ${CLI} --redact -- ${fixturePath('log_calls')} ${tag}`, { width: 160, height: 40 });
    screens.push(t);
    // Every thread's rows in one timeline (the first screen of a trace that ended shows it).
    await ensureMerged(t, (x) => x.includes('trace over'));
    t.keys('/');
    t.type('71 bytes');
    t.keys('Enter');
    const s = await t.waitFor(/write\(4, "\.\.\."<71 bytes>, 71\) = 71/);
    assert.match(s, /read\(3, "\.\.\."<71 bytes>, 128\) = 71/);
    assert.ok(!s.includes('SECRET'));
    t.keys('x');
    await t.waitFor('filter: none');
    t.keys('W');
    await t.waitFor('Write ');
    t.keys('C-u');
    t.type('all.log');
    t.keys('Enter');
    await t.waitFor('wrote ');
    const written = readFileSync(join(dir, 'all.log'), 'latin1');
    for (const s2 of [...SECRETS, tag]) assert.ok(!withoutHex(written).includes(s2), s2);
    for (const l of written.trimEnd().split('\n')) onlyLengths(l);
    assert.match(written, /"\.\.\."<71 bytes>/);
    t.keys('q');
    await t.waitExit();
  });
});
