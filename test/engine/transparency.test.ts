// Transparency: a traced program behaves exactly as untraced. For each workload of eng_modes
// (threads, fork/vfork/wait, caught/blocked/restarted signals, SIGSTOP and SIGCONT, exec from a
// thread, death by a signal) the exit status, stdout and stderr are identical traced and untraced,
// traced by the real binary (--plain -f) and by an in-process TraceSession.launch.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TraceSession } from '../../src/engine/session.js';
import type { ExitEvent, ThreadEvent, TraceEvent, ExecEvent } from '../../src/engine/types.js';
import { fixturePath, killAll, waitFor } from '../helpers/fixtures.js';
import { killCliChildren, runCli, type CliRun } from './util.js';

const sessions: TraceSession[] = [];
after(async () => {
  for (const s of sessions) s.detach();
  killCliChildren();
  await killAll();
});

const MODES: Array<[string, string[]]> = [
  ['threads', ['threads']],
  ['fork and wait', ['fork']],
  ['signals', ['signals']],
  ['SIGSTOP and SIGCONT', ['sigstop']],
  ['exec from a thread', ['execthread']],
  ['killed by SIGTERM', ['killed', '15']],
  ['killed by SIGSEGV', ['killed', '11']],
];

function runUntraced(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(fixturePath('eng_modes'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

for (const [what, args] of MODES) {
  test(`transparent under --plain -f: ${what}`, async () => {
    const plain = await runUntraced(args);
    assert.ok(plain.stdout.length > 0, 'the fixture printed something untraced');
    const traced = await runCli(['--plain', '-f', '-o', '/dev/null', '--', fixturePath('eng_modes'), ...args]);
    assert.deepEqual(
      { status: traced.status, signal: traced.signal, stdout: traced.stdout, stderr: traced.stderr },
      { status: plain.status, signal: plain.signal, stdout: plain.stdout, stderr: plain.stderr },
    );
  });
}

/** Launches eng_modes ARGS in-process with stdout/stderr to files; resolves when the trace is done. */
async function launchInProcess(args: string[]): Promise<{ out: string; err: string; exit: ReturnType<TraceSession['launchedExit']>; events: TraceEvent[]; pid: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'eng-transp-'));
  const outFd = openSync(join(dir, 'out'), 'w');
  const errFd = openSync(join(dir, 'err'), 'w');
  try {
    const session = TraceSession.launch([fixturePath('eng_modes'), ...args], {}, { stdio: [-1, outFd, errFd] });
    sessions.push(session);
    const events: TraceEvent[] = [];
    await waitFor(() => {
      events.push(...session.drain());
      return session.done ? true : undefined;
    }, `the traced eng_modes ${args.join(' ')} to end`, 30000, 10);
    events.push(...session.drain());
    const exit = session.launchedExit();
    session.detach();
    return { out: readFileSync(join(dir, 'out'), 'utf8'), err: readFileSync(join(dir, 'err'), 'utf8'), exit, events, pid: session.launchedPid };
  } finally {
    closeSync(outFd);
    closeSync(errFd);
    rmSync(dir, { recursive: true, force: true });
  }
}

const SIGNO: Record<string, number> = { SIGTERM: 15, SIGSEGV: 11 };

for (const [what, args] of MODES) {
  test(`transparent under TraceSession.launch: ${what}`, async () => {
    const plain = await runUntraced(args);
    const traced = await launchInProcess(args);
    assert.equal(traced.out, plain.stdout);
    assert.equal(traced.err, plain.stderr);
    assert.equal(traced.exit.exited, true);
    if (plain.signal) {
      assert.deepEqual({ signo: traced.exit.signo, code: traced.exit.code }, { signo: SIGNO[plain.signal], code: -1 });
    } else {
      assert.deepEqual({ signo: traced.exit.signo, code: traced.exit.code }, { signo: 0, code: plain.status });
    }
    // The launched process's last exit record agrees with launchedExit().
    const exits = traced.events.filter((e): e is ExitEvent => e.kind === 'exit' && e.tid === traced.pid);
    assert.equal(exits.length, 1, 'one exit record for the launched pid');
    assert.equal(exits[0].processGone, true);
    assert.equal(exits[0].code, traced.exit.code);
    assert.equal(exits[0].signo, traced.exit.signo);
  });
}

test('TraceSession.launch records every thread of a multi-threaded program, born and gone', async () => {
  const r = await launchInProcess(['threads']);
  const born = r.events.filter((e): e is ThreadEvent => e.kind === 'thread' && e.pid === r.pid && e.tid !== r.pid);
  assert.equal(born.length, 4, 'four threads born');
  for (const b of born) assert.equal(b.parentTid, r.pid);
  const gone = new Set(r.events.filter((e): e is ExitEvent => e.kind === 'exit').map((e) => e.tid));
  for (const b of born) assert.ok(gone.has(b.tid), `thread ${b.tid} has an exit record`);
  const syscallTids = new Set(r.events.filter((e) => e.kind === 'syscall').map((e) => e.tid));
  for (const b of born) assert.ok(syscallTids.has(b.tid), `thread ${b.tid} made syscalls we saw`);
});

test('TraceSession.launch: exec from a thread moves the thread to the leader tid', async () => {
  const r = await launchInProcess(['execthread']);
  const execs = r.events.filter((e): e is ExecEvent => e.kind === 'exec');
  // The first exec is the launch itself (old tid = new tid); the second comes from a thread.
  const fromThread = execs.find((e) => e.oldTid !== e.tid);
  assert.ok(fromThread, `an exec record with another old tid: ${JSON.stringify(execs)}`);
  assert.equal(fromThread.tid, r.pid);
  assert.equal(fromThread.pid, r.pid);
  assert.match(fromThread.path, /eng_modes$/);
  // The kernel names a program after the file execve was given (/proc/self/exe), not the file it
  // resolves to; the record says so, as a child forked at once would be named.
  assert.equal(fromThread.comm, 'exe');
  assert.equal(execs[0].comm, 'eng_modes');
  const execve = r.events.filter((e) => e.kind === 'syscall' && e.name === 'execve' && e.tid === r.pid && !e.unfinished);
  assert.ok(execve.some((e) => e.kind === 'syscall' && e.text.includes('"afterexec"') && e.text.endsWith('= 0')), 'the thread execve finishes under the leader tid');
});
