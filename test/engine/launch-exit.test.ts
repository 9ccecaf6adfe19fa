// A command we launched, at our end, when it cannot stop for the detach (a vfork parent waits in D
// state until its child ends): left running, it must outlive us and get the signals it was sent;
// when we die of a crash in our code with its trace still on, it gets SIGTERM, as strace's own
// fatal errors (die()) send it. Neither may be killed by the kernel as our tracer thread ends.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { fixturePath, repoRoot, waitFor } from '../helpers/fixtures.js';
import { heartbeatAdvances, procState, readHeartbeat, tracerPid } from './util.js';

const dir = mkdtempSync(join(tmpdir(), 'eng-launch-exit-'));
const session = pathToFileURL(join(repoRoot, 'dist/src/engine/session.js')).href;
// The commands outlive the scripts that launched them: ended here, whatever the test did.
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a script that launches exit_vfork_wait, waits until it sits in its vfork wait (state D),
 * sends it SIGUSR1, then ends as `how` says: detach and exit (what "leave it running" does), or
 * an uncaught exception. Returns the command's pid and its vfork child's.
 */
function launchThenEnd(how: 'leave' | 'crash', hb: string): { pid: number; child: number; stderr: string } {
  const script = join(dir, `${how}.mjs`);
  writeFileSync(
    script,
    `import { openSync, readFileSync } from 'node:fs';
import { TraceSession } from ${JSON.stringify(session)};
const devnull = openSync('/dev/null', 'r+'); // not our stdout: the test reads it to its end
globalThis.s = TraceSession.launch([${JSON.stringify(fixturePath('exit_vfork_wait'))}, ${JSON.stringify(hb)}], {}, { stdio: [devnull, devnull, devnull], ownProcessGroup: true });
const pid = globalThis.s.launchedPid;
const state = () => { const t = readFileSync('/proc/' + pid + '/stat', 'utf8'); return t.slice(t.lastIndexOf(')') + 2)[0]; };
const children = () => readFileSync('/proc/' + pid + '/task/' + pid + '/children', 'utf8').trim();
// D with its vfork child: the wait (a start-up page-in is a D state too, before any child).
const timer = setInterval(() => {
  if (state() !== 'D' || !children()) return;
  clearInterval(timer);
  process.kill(pid, 'SIGUSR1');
  process.stdout.write('pid=' + pid + ' child=' + children() + '\\n');
  ${how === 'leave' ? 'globalThis.s.detach();\n  process.exit(0);' : "throw new Error('a bug in our code');"}
}, 10);
`,
  );
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
  const m = /pid=(\d+) child=(\d+)/.exec(r.stdout);
  assert.ok(m, `the script reached the vfork wait: ${r.stdout} ${r.stderr}`);
  const [pid, child] = [Number(m[1]), Number(m[2])];
  started.push(child, pid);
  if (how === 'leave') assert.equal(r.status, 0, r.stderr);
  else assert.notEqual(r.status, 0, 'the script died of its exception');
  return { pid, child, stderr: r.stderr };
}

test('a launched command left running outlives us though it could not stop for the detach, and gets its signals', async () => {
  const hb = join(dir, 'hb-leave');
  const { pid, child } = launchThenEnd('leave', hb);
  assert.equal(tracerPid(pid), 0, 'untraced');
  assert.equal(tracerPid(child), 0, 'its child untraced');
  assert.equal(procState(`/proc/${pid}`), 'D', 'alive, still in its vfork wait');
  // Its wait ends: it runs on, and the SIGUSR1 sent while we traced it reaches it.
  process.kill(child, 'SIGKILL');
  await heartbeatAdvances(hb);
  assert.equal(readHeartbeat(hb).usr1, 1);
  assert.doesNotMatch(readFileSync(hb, 'utf8'), /term=/);
});

test('a crash with a launched command still traced: it is detached and gets SIGTERM, as under strace', async () => {
  const hb = join(dir, 'hb-crash');
  const { pid, child, stderr } = launchThenEnd('crash', hb);
  assert.match(stderr, /a bug in our code/);
  assert.equal(tracerPid(pid), 0, 'untraced');
  assert.equal(procState(`/proc/${pid}`), 'D', 'alive (not killed outright), still in its vfork wait');
  process.kill(child, 'SIGKILL');
  // Its SIGTERM handler runs once the wait is over: it writes it down and exits.
  await waitFor(() => (/usr1=1 term=1/.test(readFileSync(hb, 'utf8')) ? true : undefined), 'the command to handle SIGTERM (and the SIGUSR1 before it)');
});
