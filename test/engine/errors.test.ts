// Every way a trace can be refused, with the reason the user reads: the TraceError (code and
// message) from TraceSession in-process, and from the real binary exactly one line on stderr, exit
// status 1, no stack trace.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { diagnoseAttach } from '../../src/engine/proc/diagnose.js';
import { TraceSession } from '../../src/engine/session.js';
import { TraceError, type TraceErrorCode } from '../../src/engine/types.js';
import { fixturePath, killAll, repoRoot, spawnFixture, waitFor } from '../helpers/fixtures.js';
import { cliPath } from '../helpers/plain.js';
import { CONTAINER_HINT, OWN_PID_NS_HINT, plainNoSuchPid } from '../helpers/confined.js';
import { assertOneLineFailure, heartbeatAdvances, killCliChildren, runCli, startCli, tracerPid } from './util.js';

const dir = mkdtempSync(join(tmpdir(), 'eng-errors-'));
const others: ChildProcess[] = [];
afterEach(async () => {
  for (const c of others.splice(0)) c.kill('SIGKILL');
  killCliChildren();
  await killAll();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const GONE = 4194305; // above any pid_max
const NOBODY = 65534;
const SETPRIV_NOBODY = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all'];
const SETPRIV_NO_PTRACE_CAP = ['setpriv', '--inh-caps=-sys_ptrace', '--bounding-set=-sys_ptrace'];

function refusal(fn: () => unknown, code: TraceErrorCode, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TraceError, `a TraceError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
}

function comm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

/** eng_busy's worker (a grandchild of ours: see the fixture) and its heartbeat file. */
async function busy(as: { uid?: number; gid?: number } = {}): Promise<{ pid: number; hb: string }> {
  const hb = as.uid === undefined ? join(dir, `hb-${Date.now()}-${Math.random()}`) : '/dev/null';
  const fx = spawnFixture('eng_busy', ['2', hb], 15000, as);
  await fx.ready;
  return { pid: Number(fx.info.pid), hb };
}

// ---- pids that cannot be traced

test('a pid that does not exist', async () => {
  refusal(() => TraceSession.attach([GONE]), 'ENOENT_PID', new RegExp(`^pid ${GONE} does not exist${OWN_PID_NS_HINT}$`));
  assertOneLineFailure(await runCli(['--plain', '-p', String(GONE)]), plainNoSuchPid(GONE), assert);
});

test('our own pid', async () => {
  refusal(() => TraceSession.attach([process.pid]), 'SELF', `pid ${process.pid} is systrace-tui itself; a process cannot trace itself`);
  // The CLI's own pid: sh execs node in place, so $$ is the pid of the CLI itself. The command line
  // refuses it with strace's own words, before any attach is tried.
  const r = await runCli([], { prefix: ['sh', '-c', `exec "$0" "$1" --plain -p $$`] });
  assertOneLineFailure(r, "systrace-tui: I'm sorry, I can't let you do that, Dave.", assert);
});

test('a kernel thread (kthreadd, pid 2)', async (t) => {
  if (!existsSync('/proc/2') || comm(2) !== 'kthreadd') return t.skip('no kthreadd at pid 2 (a PID namespace?)');
  refusal(() => TraceSession.attach([2]), 'KTHREAD', 'pid 2 (kthreadd) is a kernel thread; kernel threads cannot be traced');
  assertOneLineFailure(await runCli(['--plain', '-p', '2']), 'systrace-tui: pid 2 (kthreadd) is a kernel thread; kernel threads cannot be traced', assert);
});

test('a process already traced (by the system strace) names its tracer', async () => {
  const { pid, hb } = await busy();
  const strace = spawn('strace', ['-p', String(pid), '-o', '/dev/null'], { stdio: 'ignore' });
  others.push(strace);
  await waitFor(() => (tracerPid(pid) === strace.pid ? true : undefined), 'strace to attach');
  const why = `pid ${pid} (eng_busy) is already traced by pid ${strace.pid} (strace)`;
  refusal(() => TraceSession.attach([pid]), 'TRACED', why);
  assertOneLineFailure(await runCli(['--plain', '-p', String(pid)]), `systrace-tui: ${why}`, assert);
  // Our failed attempts left strace's trace alone, and the process runs.
  assert.equal(tracerPid(pid), strace.pid);
  await heartbeatAdvances(hb);
});

/** Can `nobody` run the CLI from here (read node, dist/ and the addon)? A reason when not. */
function nobodyCannotRun(): string | undefined {
  for (const p of [process.execPath, cliPath, join(repoRoot, 'build', 'Release', 'systrace.node'), join(repoRoot, 'dist', 'src', 'engine', 'session.js')]) {
    const r = spawnSync(SETPRIV_NOBODY[0], [...SETPRIV_NOBODY.slice(1), 'test', '-r', p]);
    if (r.status !== 0) return `nobody cannot read ${p}`;
  }
  return undefined;
}

test("another user's process, when we are not root (the CLI as nobody)", async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to become nobody');
  const why = nobodyCannotRun();
  if (why) return t.skip(why);
  const { pid } = await busy();
  const r = await runCli(['--plain', '-p', String(pid)], { prefix: SETPRIV_NOBODY, cwd: '/' });
  assertOneLineFailure(r, new RegExp(`^systrace-tui: pid ${pid} \\(eng_busy\\) belongs to user root \\(uid 0\\) and we are uid ${NOBODY} without CAP_SYS_PTRACE${CONTAINER_HINT}$`), assert);
  assert.equal(tracerPid(pid), 0);
});

test('root without CAP_SYS_PTRACE, against a process of another uid', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root');
  // The fixture runs as nobody: it must be able to execute the fixture binary.
  const bin = fixturePath('eng_busy');
  if (spawnSync('setpriv', [...SETPRIV_NOBODY.slice(1), 'test', '-x', bin]).status !== 0) return t.skip(`nobody cannot execute ${bin}`);
  const { pid } = await busy({ uid: NOBODY, gid: NOBODY });
  assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), new RegExp(`\\nUid:\\s+${NOBODY}\\s+${NOBODY}\\s+${NOBODY}`));
  const r = await runCli(['--plain', '-p', String(pid)], { prefix: SETPRIV_NO_PTRACE_CAP });
  assertOneLineFailure(r, new RegExp(`^systrace-tui: pid ${pid} \\(eng_busy\\) belongs to user nobody \\(uid ${NOBODY}\\) and we are uid 0 without CAP_SYS_PTRACE${CONTAINER_HINT}$`), assert);
  assert.equal(tracerPid(pid), 0);
  // With the capability, root may trace it (and leaves it untraced when interrupted).
  const run = startCli(['--plain', '-p', String(pid), '-o', '/dev/null']);
  await waitFor(() => (tracerPid(pid) !== 0 ? true : undefined), 'the CLI to attach', 15000);
  run.child.kill('SIGINT');
  const ok = await run.result;
  assert.equal(ok.signal, 'SIGINT', ok.stderr); // detached, then died of the signal, as strace does
  assert.equal(tracerPid(pid), 0);
});

test(
  'root without CAP_SYS_PTRACE, against a root process with more capabilities, says that is why',
  async () => {
    const { pid } = await busy();
    const r = await runCli(['--plain', '-p', String(pid)], { prefix: SETPRIV_NO_PTRACE_CAP });
    assertOneLineFailure(r, /capabilit/i, assert);
    assert.doesNotMatch(r.stderr, /LSM/);
  },
);

test('ptrace_scope: the diagnostics report Yama as it is on this kernel', async () => {
  const { pid } = await busy();
  const check = diagnoseAttach(pid).checks.find((c) => c.name === 'ptrace_scope');
  assert.ok(check);
  if (!existsSync('/proc/sys/kernel/yama')) {
    assert.equal(check.value, 'no Yama LSM (file absent)');
    assert.equal(check.ok, true);
    assert.equal(check.hint, '');
  } else {
    const scope = readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim();
    assert.match(check.value, new RegExp(`^${scope} \\(`));
  }
});

// ---- commands that cannot be run

test('a command that does not exist', async () => {
  refusal(() => TraceSession.launch(['no-such-command-xyz']), 'CMD_NOT_FOUND', 'command not found: no-such-command-xyz');
  refusal(() => TraceSession.launch(['/nonexistent/prog']), 'CMD_NOT_FOUND', "cannot run '/nonexistent/prog': no such file");
  assertOneLineFailure(await runCli(['--plain', '--', 'no-such-command-xyz']), 'systrace-tui: command not found: no-such-command-xyz', assert);
  assertOneLineFailure(await runCli(['--plain', '--', '/nonexistent/prog', 'arg']), "systrace-tui: cannot run '/nonexistent/prog': no such file", assert);
});

test('a command that is not executable', async () => {
  const file = join(dir, 'script.sh');
  writeFileSync(file, '#!/bin/sh\necho hi\n');
  chmodSync(file, 0o644);
  // The TUI refuses it before launching; --plain runs it as strace does, and the kernel's refusal is
  // the trace (its execve line, then strace's "exec: ..." and the exit with 1).
  refusal(() => TraceSession.launch([file]), 'CMD_NOT_EXEC', `cannot run '${file}': ${file} is not executable`);
  refusal(() => TraceSession.launch([dir]), 'CMD_NOT_EXEC', `cannot run '${dir}': ${dir} is a directory`);
  for (const target of [file, dir]) {
    const r = await runCli(['--plain', '--', target]);
    assert.equal(r.status, 1);
    const t = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(r.stderr, new RegExp(`^execve\\("${t}", \\["${t}"\\], 0x[0-9a-f]+ /\\* \\d+ vars \\*/\\) = -1 EACCES \\(Permission denied\\)\nsystrace-tui: exec: Permission denied\n\\+\\+\\+ exited with 1 \\+\\+\\+\n$`));
  }
});

test('--plain with neither a command nor -p: the usage line, as strace words it', async () => {
  const r = await runCli(['--plain']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "systrace-tui: must have PROG [ARGS] or -p PID\nTry 'systrace-tui -h' for more information.\n");
  assert.equal(r.stdout, '');
});
