// A crash in our own code must not hurt a tracee: a process that attached (and even paused every
// thread) and then dies of an uncaught exception leaves the tracee detached, running and working.
// The engine's exit hook (native atexit) does it, whatever JS did or did not get to run.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { killAll, repoRoot, spawnFixture } from '../helpers/fixtures.js';
import { allStates, heartbeatAdvances, tracerPid } from './util.js';

const dir = mkdtempSync(join(tmpdir(), 'eng-crash-'));
afterEach(() => killAll());
after(() => rmSync(dir, { recursive: true, force: true }));

const session = pathToFileURL(join(repoRoot, 'dist/src/engine/session.js')).href;

for (const pause of [false, true]) {
  test(`an uncaught exception in the tracer${pause ? ' while every thread is paused' : ''} leaves the tracee running`, async () => {
    const hb = join(dir, `hb-${pause}`);
    const fx = spawnFixture('eng_busy', ['4', hb]);
    await fx.ready;
    const pid = Number(fx.info.pid);
    const script = join(dir, `crash-${pause}.mjs`);
    writeFileSync(
      script,
      `import { readdirSync, readFileSync } from 'node:fs';
import { TraceSession } from ${JSON.stringify(session)};
globalThis.session = TraceSession.attach([${pid}]); // kept: a collected session detaches
const s = globalThis.session;
const tracerOf = (tid) => Number(/TracerPid:\\s+(\\d+)/.exec(readFileSync('/proc/${pid}/task/' + tid + '/status', 'utf8'))[1]);
// Crash once every thread is traced and has made calls under the trace.
const timer = setInterval(() => {
  if (!readdirSync('/proc/${pid}/task').every((tid) => tracerOf(tid) !== 0) || s.stats().total < 10) return;
  clearInterval(timer);
  ${pause ? 's.pause();' : ''}
  process.stdout.write('traced by ' + tracerOf(${pid}) + '\\n');
  throw new Error('a bug in our code');
}, 10);
`,
    );
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(r.status, 0, 'the script died of its exception');
    assert.match(r.stderr, /a bug in our code/);
    assert.match(r.stdout, /traced by [1-9]\d*/, 'it was attached when it crashed');
    assert.equal(tracerPid(pid), 0);
    const { process: st, tasks } = allStates(pid);
    for (const s of [st, ...tasks.values()]) assert.match(s, /^[RSD]$/);
    await heartbeatAdvances(hb, 3);
  });
}
