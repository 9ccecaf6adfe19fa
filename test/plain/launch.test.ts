// How --plain starts and leaves a command, against what strace 6.1 does: descriptors it inherits (and
// those it finds closed), -u, -D (the tracer is not the parent), -b execve, -p with a command, a
// non-leader execve ("<pid changed to ...>", "+++ superseded by execve ..."), a first execve that
// fails, -o '|COMMAND', and strace's words when the -o file cannot be written.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';

import { fixturePath, waitFor } from '../helpers/fixtures.js';
import { plainNoSuchPid } from '../helpers/confined.js';
import { childrenOf } from '../helpers/namespaces.js';
import { binPath, cliPath, tracePlain } from '../helpers/plain.js';

const prog = fixturePath('plain_launch');

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** The CLI through sh, so that the shell's redirections (9>>/dev/full, <&-) apply to it. */
function viaShell(args: string[], redirections: string): Promise<Run> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    execFile('sh', ['-c', `exec '${process.execPath}' '${cliPath}' --plain ${quoted} ${redirections}`], { timeout: 30_000 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

describe('the command inherits what strace would give it', () => {
  test('descriptors above 2 that we were given (Node would have closed them at exec)', async () => {
    const r = await viaShell(['-e', 'trace=write', prog, 'fds'], '9>>/dev/full 3>&1');
    assert.equal(r.stdout, 'three\n');
    assert.deepEqual(r.stderr.split('\n').slice(0, 2), [
      'write(9, "x", 1)                        = -1 ENOSPC (No space left on device)',
      'write(3, "three\\n", 6)                  = 6',
    ]);
  });
  test('-u USER runs it as that user', async () => {
    const r = await viaShell(['-o', '/dev/null', '-u', 'nobody', prog, 'ids'], '');
    const nobody = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'))!.split(':');
    assert.equal(r.stdout, `uid=${nobody[2]} euid=${nobody[2]} gid=${nobody[3]}\n`);
  });
});

describe('the command gets the state we were started with, as under strace', () => {
  // Before any JavaScript runs, Node sets every signal below 32 to SIG_DFL (SIGPIPE and SIGXFSZ to
  // SIG_IGN), unblocks all but SIGUSR1, and opens /dev/null on a closed 0-2: the launcher (the bin,
  // sh) reads the state first. So the CLI is run as a user's shell runs it, the bin by its #! line,
  // from a caller with a state of its own.
  const blocked = '0000008000000801'; // SIGHUP, SIGUSR2, SIGRT_6 (40)
  const ignored = '0000000400200006'; // SIGINT, SIGQUIT, SIGTTOU, SIGRT_1 (35)
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  const run = (file: string, args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(file, args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
        const e = err as (Error & { code?: number; signal?: string }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
      });
    });
  /** The bin started by prog with signals BLK blocked, IGN ignored, PND sent (pending if blocked). */
  const started = (options: string[], blk: string, ign: string, pnd = '0'): Promise<Run> =>
    run(prog, ['setsigs', blk, ign, pnd, binPath, '--plain', ...options, prog, 'sigs']);
  test('blocked and ignored signals, the real-time ones too, reach the command unchanged', async () => {
    const r = await started(['-e', 'trace=none'], blocked, ignored);
    assert.equal(r.stdout, `SigBlk:\t${blocked}\nSigIgn:\t${ignored}\n`, r.stderr);
    assert.equal(r.stderr, '+++ exited with 0 +++\n');
  });
  test('started with nothing blocked or ignored, it gets nothing blocked or ignored (not our SIGPIPE)', async () => {
    const r = await started(['-e', 'trace=none'], '0', '0');
    assert.equal(r.stdout, `SigBlk:\t${'0'.repeat(16)}\nSigIgn:\t${'0'.repeat(16)}\n`, r.stderr);
  });
  test('-D: the process we were started as becomes the command, with the state it had', async () => {
    const r = await started(['-D', '-e', 'trace=none'], blocked, ignored);
    assert.equal(r.stdout, `SigBlk:\t${blocked}\nSigIgn:\t${ignored}\n`, r.stderr);
  });
  test('a blocked SIGHUP already pending does not end us when Node unblocks its signals', async () => {
    // strace keeps it blocked, never delivered; a forked command starts with nothing pending.
    const r = await started(['-e', 'trace=none'], '1', '0', '1');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `SigBlk:\t${'0'.repeat(15)}1\nSigIgn:\t${'0'.repeat(16)}\n`);
  });
  test('0, 1 or 2 closed: closed for the command too (Node would give it /dev/null)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stdio-'));
    try {
      for (const [redir, expected] of [['<&-', '0 closed, 1 open, 2 open'], ['>&- 2>&-', '0 open, 1 closed, 2 closed']]) {
        const r = await run('sh', ['-c', `exec "$0" --plain -o /dev/null "$1" stdio "$2" ${redir}`, binPath, prog, join(dir, 'out')]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(readFileSync(join(dir, 'out'), 'utf8'), `${expected}\n`, redir);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a command that cannot be executed', () => {
  test('a path that exists but is no program: its execve fails in the trace, we say why, and it exits 1', async () => {
    // strace runs whatever a path with a slash names: the kernel's refusal is the trace's first line,
    // and nothing the tracer's own code does after it is shown.
    const r = await tracePlain([], ['/']);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(
      r.lines.map((l) => l.replace(/0x[0-9a-f]+ \/\* \d+ vars \*\//, '0xADDR /* N vars */')),
      ['execve("/", ["/"], 0xADDR /* N vars */) = -1 EACCES (Permission denied)', '+++ exited with 1 +++'],
    );
    assert.equal(r.stderr, 'systrace-tui: exec: Permission denied\n');
  });
});

describe('who traces whom', () => {
  test('without -D the tracer is the parent; with -D, -DD, -DDD the command takes our place', async () => {
    // sh execs the CLI, which forks the command: its parent is the CLI (a child of this test).
    let r = await viaShell(['-e', 'trace=none', prog, 'parent'], '');
    let m = /^ppid=(\d+) tracer=(\d+)$/.exec(r.stdout.trim());
    assert.ok(m, r.stdout);
    assert.notEqual(Number(m[1]), process.pid);
    assert.notEqual(m[2], '0');
    for (const d of ['-D', '-DD', '-DDD']) {
      // -D: the CLI's own process becomes the command (so its parent is this test), traced by a
      // tracer of its own that is not its parent.
      r = await viaShell([d, '-q', '-e', 'trace=none', prog, 'parent'], '');
      m = /^ppid=(\d+) tracer=(\d+)$/.exec(r.stdout.trim());
      assert.ok(m, `${d}: ${r.stdout} ${r.stderr}`);
      assert.equal(Number(m[1]), process.pid, d);
      assert.notEqual(m[2], '0', `${d}: traced`);
    }
  });
  test('the command stays in our process group, as under strace: the terminal\'s ^C, ^Z and hangup reach it with us', async () => {
    // (The TUI gives its commands a group of their own, so that they can be left running: e2e-trace.)
    const r = await viaShell(['-e', 'trace=none', prog, 'pgrp'], '');
    const m = /^pgrp=(\d+) parent=(\d+)$/.exec(r.stdout.trim());
    assert.ok(m, r.stdout + r.stderr);
    assert.equal(m[1], m[2]);
  });
  test('-b execve lets go of a process as it execs (its line ends <detached ...>)', async () => {
    const r = await viaShell(['-f', '-b', 'execve', '-e', 'trace=execve', 'sh', '-c', `'${prog}' done; echo after`], '');
    assert.match(r.stdout, /after/);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0], /^execve\("\/usr\/bin\/sh", \["sh", "-c", ".*"\.*\], 0x[0-9a-f]+ \/\* \d+ vars \*\/\) = 0$/);
    assert.ok(lines.some((l) => /^systrace-tui: Process \d+ attached$/.test(l)), lines.join('\n'));
    const at = lines.findIndex((l) => l.includes(`execve("${prog}"`));
    assert.match(lines[at], /\/\* \d+ vars \*\/systrace-tui: Process \d+ detached$/);
    assert.equal(lines[at + 1], ' <detached ...>');
  });
  test('without -f a child cloned with CLONE_PTRACE is let go at once, as strace does', async () => {
    const r = await viaShell(['-e', 'trace=none', prog, 'clone-ptrace'], '');
    // The child runs free (no tracer) and its parent's wait sees it exit normally.
    assert.equal(r.stdout, 'child tracer=0\nchild exit=0\n');
    assert.match(r.stderr, /^systrace-tui: Detached unknown pid \d+\n/m);
    const quiet = await viaShell(['-q', '-e', 'trace=none', prog, 'clone-ptrace'], '');
    assert.equal(quiet.stdout, 'child tracer=0\nchild exit=0\n');
    assert.doesNotMatch(quiet.stderr, /unknown pid/);
  });
  test('-I2 and SIGTERM: we let go of the command, which then gets SIGCONT and SIGTERM; its call ends <detached ...>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'systrace-term-'));
    const log = join(dir, 'log');
    try {
      // -e status=detached keeps only the call we leave: it is held back until we know how it ends.
      const tracer = spawn(process.execPath, [cliPath, '--plain', '-o', log, '-I2', '-e', 'status=detached', fixturePath('block_nanosleep')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const ended = new Promise<string | null>((resolve) => tracer.on('exit', (_code, signal) => resolve(signal)));
      let out = '';
      tracer.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const child = await waitFor(() => (out.includes('READY') ? childrenOf(tracer.pid!)[0] : undefined), 'the command to start');
      // In nanosleep (35) for good, not just about to enter it.
      await waitFor(() => (readFileSync(`/proc/${child}/syscall`, 'utf8').startsWith('35 ') ? true : undefined), 'the command to sleep');
      tracer.kill('SIGTERM');
      assert.equal(await ended, 'SIGTERM');
      assert.equal(readFileSync(log, 'utf8'), 'nanosleep({tv_sec=60, tv_nsec=0},  <detached ...>\n');
      // The command got the signal once free of us: it is gone (or a zombie on its way out).
      await waitFor(() => {
        try {
          return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${child}/stat`, 'latin1')) ? true : undefined;
        } catch {
          return true;
        }
      }, 'the command to die of SIGTERM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('-p PID and a command are traced together, each line with its pid', async () => {
    // As strace does, the trace lasts until the last tracee is gone: the attached process waits for
    // a file that the command makes, so both end on their own, in whichever order.
    const dir = mkdtempSync(join(tmpdir(), 'systrace-launch-'));
    const flag = join(dir, 'flag');
    const waiter = execFile('sh', ['-c', 'while [ ! -e "$1" ]; do sleep 0.02; done', 'sh', flag]);
    try {
      const r = await viaShell(['-o', join(dir, 'log'), '-e', 'trace=exit_group', '-e', 'signal=none', '-p', String(waiter.pid), 'sh', '-c', ': >"$1"', 'sh', flag], '');
      assert.equal(r.code, 0, r.stderr);
      const lines = readFileSync(join(dir, 'log'), 'utf8').trimEnd().split('\n');
      assert.equal(lines.length, 4, lines.join('\n'));
      const pids = new Set<string>();
      for (const l of lines) pids.add(/^(\d+) /.exec(l)?.[1] ?? '');
      assert.equal(pids.size, 2, lines.join('\n'));
      assert.ok(pids.has(String(waiter.pid)), lines.join('\n'));
      for (const pid of pids) {
        const own = lines.filter((l) => l.startsWith(`${pid} `));
        assert.match(own[0], new RegExp(`^${pid} +exit_group\\(0\\) += \\?$`));
        assert.match(own[1], new RegExp(`^${pid} +\\+\\+\\+ exited with 0 \\+\\+\\+$`));
      }
    } finally {
      waiter.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('-p of a process that does not exist and a command: said on one line, and the command is traced all the same (strace)', async () => {
    // pid_max itself is never given to a process.
    const none = readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim();
    const r = await viaShell(['-e', 'trace=exit_group', '-p', none, 'sh', '-c', 'echo ran'], '');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ran\n');
    const lines = r.stderr.trimEnd().split('\n');
    // (In a pid namespace of its own, the line goes on to say so: tools/loaded-test, a container.)
    assert.match(lines[0], plainNoSuchPid(none));
    assert.deepEqual(lines.slice(1), ['exit_group(0)                           = ?', '+++ exited with 0 +++']);
  });
  test('-p of one process that does not exist and one that does: strace\'s line for the first, and the second is traced', async () => {
    const none = readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim();
    const dir = mkdtempSync(join(tmpdir(), 'systrace-launch-'));
    const flag = join(dir, 'flag');
    const waiter = execFile('sh', ['-c', 'while [ ! -e "$1" ]; do sleep 0.02; done', 'sh', flag]);
    try {
      const cli = spawn(process.execPath, [cliPath, '--plain', '-e', 'trace=exit_group', '-e', 'signal=none', '-p', none, '-p', String(waiter.pid)]);
      let stderr = '';
      cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const end = new Promise<number | null>((resolve) => cli.on('close', resolve));
      await waitFor(() => (stderr.includes(`Process ${waiter.pid} attached\n`) ? true : undefined), 'the attach to the second');
      execFile('touch', [flag]);
      assert.equal(await end, 0, stderr);
      const lines = stderr.trimEnd().split('\n');
      assert.match(lines[0], plainNoSuchPid(none));
      assert.deepEqual(lines.slice(1), [`systrace-tui: Process ${waiter.pid} attached`, 'exit_group(0)                           = ?', '+++ exited with 0 +++']);
    } finally {
      waiter.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('-f -Y with a trace filter: a name the command gives itself (PR_SET_NAME, untraced) starts its lines from then on', async () => {
    // -f and a filter: the seccomp filter must still stop prctl for -Y, as strace sees every call.
    const { lines, status } = await tracePlain(['-f', '-Y', '-e', 'trace=getppid'], [prog, 'rename']);
    assert.equal(status, 0);
    assert.match(lines[0], /^(\d+)<renamed> getppid\(\) += \d+<node>$/);
    assert.match(lines[1], /^\d+<renamed> \+\+\+ exited with 0 \+\+\+$/);
  });
  test('a thread that execs takes the leader\'s pid: "<pid changed to ...>", then "superseded"', async () => {
    const { lines } = await tracePlain(['-f', '-e', 'trace=execve'], [prog, 'thread-exec']);
    const last = lines.slice(-4);
    const leader = /^(\d+) /.exec(last[1])?.[1];
    assert.match(last[0], new RegExp(`^\\d+ +execve\\("/proc/self/exe", \\[".*"\\.*, "done"\\], 0x[0-9a-f]+ /\\* \\d+ vars \\*/ <pid changed to ${leader} \\.\\.\\.>$`));
    assert.match(last[1], /^\d+ +\+\+\+ superseded by execve in pid \d+ \+\+\+$/);
    assert.match(last[2], new RegExp(`^${leader} +<\\.\\.\\. execve resumed>\\) += 0$`));
    assert.match(last[3], new RegExp(`^${leader} +\\+\\+\\+ exited with 0 \\+\\+\\+$`));
  });
});

describe('where the trace goes', () => {
  test('-o \'|COMMAND\' pipes it to the command', async () => {
    const r = await viaShell(['-o', '|tr a-z A-Z', '-e', 'trace=exit_group', prog, 'done'], '');
    assert.equal(r.stdout, 'EXIT_GROUP(0)                           = ?\n+++ EXITED WITH 0 +++\n');
  });
  test('-o FILE that cannot be written: one message per line lost, as strace says it', async () => {
    const r = await viaShell(['-o', '/dev/full', '-e', 'trace=exit_group', prog, 'done'], '');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'systrace-tui: /dev/full: No space left on device\n'.repeat(2));
  });
  test('-o FILE that cannot be opened', async () => {
    const r = await viaShell(['-o', '/nonexistent-dir/log', prog, 'done'], '');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "systrace-tui: Can't fopen '/nonexistent-dir/log': No such file or directory\n");
  });
});

describe('as pid 1 of its own PID namespace (unshare -Urpf, /proc of the namespace above)', () => {
  const nsProg = fixturePath('plain_nsinit');
  test('reaps what is reparented to it, so a nested namespace can end; pids are translated', async () => {
    const r = await new Promise<Run>((resolve) => {
      const args = ['-Urpf', process.execPath, cliPath, '--plain', '-f', '-qq', '--pidns-translation', '-e', 'trace=getpid', nsProg];
      execFile('unshare', args, { timeout: 60_000 }, (err, stdout, stderr) => {
        const e = err as (Error & { code?: number; signal?: string }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
      });
    });
    assert.equal(r.signal, null, `killed by the timeout: the tracer did not end\n${r.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    const m = /^\[pid +(\d+)\] getpid\(\) += 2 \/\* (\d+) in strace's PID NS \*\/$/m.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.equal(m[1], m[2]);
  });
});

describe('with PTRACE_GET_SYSCALL_INFO refused to us (a seccomp filter on us, as strace\'s disable_ptrace_get_syscall_info)', () => {
  // What the command does is read from the registers then: the same lines, by -f's seccomp stops too.
  const deny = fixturePath('seccomp_no_ptrace');
  const traceOf = (args: string[], refused: boolean): Promise<Run> =>
    new Promise((resolve) => {
      const argv = [process.execPath, cliPath, '--plain', ...args];
      if (refused) argv.unshift(deny, 'GET_SYSCALL_INFO');
      execFile(argv[0], argv.slice(1), { timeout: 30_000 }, (err, stdout, stderr) => {
        const e = err as (Error & { code?: number }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: null, stdout, stderr });
      });
    });
  test('-d says it does not work, as strace\'s', async () => {
    const r = await traceOf(['-d', '-e', 'trace=none', prog, 'done'], true);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.split('\n').includes('systrace-tui: PTRACE_GET_SYSCALL_INFO does not work'), r.stderr);
    const ok = await traceOf(['-d', '-e', 'trace=none', prog, 'done'], false);
    assert.ok(ok.stderr.split('\n').includes('systrace-tui: PTRACE_GET_SYSCALL_INFO works'), ok.stderr);
  });
  const same = async (args: string[], mode: string): Promise<string> => {
    // Two runs differ in their numbers (pids, addresses, sizes) and the loader's random bytes only.
    const norm = (r: Run): string =>
      r.stderr.replace(/^getrandom\(".*?", /m, 'getrandom(BYTES, ').replace(/\b\d{2,}\b/g, 'N').replace(/0x[0-9a-f]+/g, 'ADDR');
    const [refused, given] = await Promise.all([traceOf([...args, prog, mode], true), traceOf([...args, prog, mode], false)]);
    assert.equal(refused.code, 0, refused.stderr);
    assert.equal(norm(refused), norm(given));
    return refused.stderr;
  };
  for (const args of [['-e', 'trace=getppid,write,openat'], ['-f', '-e', 'trace=getppid,write,openat']]) {
    test(`the same trace from the registers: ${args.join(' ')}`, async () => {
      const stderr = await same(args, 'parent');
      assert.match(stderr, /^getppid\(\) += \d+$/m);
      assert.match(stderr, /^write\(1, "ppid=\d+ tracer=\d+\\n", \d+\) += \d+$/m);
      assert.match(stderr, /^openat\(AT_FDCWD, "\/proc\/self\/status", O_RDONLY\) += \d+$/m);
    });
  }
  test('the same trace from the registers: every call of a program that only exits', async () => {
    const stderr = await same([], 'done');
    assert.match(stderr, /^execve\(/);
    assert.match(stderr, /^exit_group\(0\) += \?\n\+\+\+ exited with 0 \+\+\+\n$/m);
  });
});
