// The process family against the text strace 6.1 prints for the same calls (decode_process.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { linesFrom, normalizeLines, tokenizePids } from './expect-lines.js';
import { tracePlain } from '../helpers/plain.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_process');
});

// Child pids (clone's return values) become PID where they stand, long addresses 0xADDR.
const PID_PLACES = [/^(clone\(.*\) += )(\d+)$/, /^(wait4\()(\d+)/, /^(wait4\(.*\) += )(\d+)$/, /^(kill\()(\d+)/, /^(waitid\(P_PID, )(\d+)/, /(si_pid=)(\d+)/];

function normalize(lines: string[]): string[] {
  const pids = new Set<string>();
  for (const l of lines) {
    const m = /^clone\(.*\) += (\d+)$/.exec(l);
    if (m) pids.add(m[1]);
  }
  return normalizeLines(tokenizePids(lines, PID_PLACES, pids));
}

describe('process family', () => {
  it('decodes prctl options, resource limits, ids, scheduling and getrandom', async () => {
    const r = await tracePlain(
      ['-e', 'trace=prctl,prlimit64,setresuid,setresgid,sched_setscheduler,sched_getaffinity,getrandom'],
      [prog],
    );
    assert.equal(r.status, 0, r.stderr);
    const expected = [
      'prctl(PR_SET_NAME, "decoder-test") = 0',
      'prctl(PR_GET_NAME, "decoder-test") = 0',
      // The kernel keeps 15 characters: strace shows that many and marks the rest as cut.
      'prctl(PR_SET_NAME, "name-longer-tha"...) = 0',
      'prctl(PR_SET_PDEATHSIG, SIGTERM) = 0',
      'prctl(PR_GET_PDEATHSIG, [SIGTERM]) = 0',
      'prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)',
      'prctl(0x12345 /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)',
      'prlimit64(0, RLIMIT_NOFILE, {rlim_cur=2*1024, rlim_max=1024}, NULL) = -1 EINVAL (Invalid argument)',
      'prlimit64(0, RLIMIT_NOFILE, {rlim_cur=RLIM64_INFINITY, rlim_max=1024}, NULL) = -1 EINVAL (Invalid argument)',
      'prlimit64(0, 0x99 /* RLIMIT_??? */, NULL, NULL) = -1 EINVAL (Invalid argument)',
      'setresuid(-1, -1, -1) = 0',
      'setresgid(-1, -1, -1) = 0',
      'sched_setscheduler(0, 0x4d /* SCHED_??? */, [0]) = -1 EINVAL (Invalid argument)',
      'sched_getaffinity(0, 1, 0xADDR) = -1 EINVAL (Invalid argument)',
      'getrandom("", 0, GRND_NONBLOCK) = 0',
    ];
    assert.deepEqual(linesFrom(normalize(r.lines), expected), expected);
  });

  it('decodes fork as clone, the wait statuses of exited, killed and stopped children, and waitid', async () => {
    const r = await tracePlain(['-e', 'trace=clone,wait4,waitid,kill'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const uid = process.getuid!();
    const fork = 'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xADDR) = PID';
    const expected = [
      fork,
      'wait4(PID, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = PID',
      fork,
      'kill(PID, SIGKILL) = 0',
      'wait4(PID, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = PID',
      fork,
      'wait4(PID, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = PID',
      'kill(PID, SIGKILL) = 0',
      'wait4(PID, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = PID',
      fork,
      `waitid(P_PID, PID, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=PID, si_uid=${uid}, si_status=7, si_utime=0, si_stime=0}, WEXITED, NULL) = 0`,
      // WNOHANG with nothing to reap: no status was written, so the pointer is shown as is.
      'wait4(-1, NULL, WNOHANG, NULL) = -1 ECHILD (No child processes)',
    ];
    const got = linesFrom(normalize(r.lines), expected).map((l) => l.replace(/si_utime=\d+, si_stime=\d+/, 'si_utime=0, si_stime=0'));
    assert.deepEqual(got, expected);
  });

  it('decodes a thread\'s clone3 with the tid written back, and seccomp filters (instructions with -v)', async () => {
    const r = await tracePlain(['-e', 'trace=clone3,seccomp'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const clone3 = r.lines.find((l) => l.includes('clone3('));
    assert.ok(clone3, r.lines.join('\n'));
    // The child's tid appears twice: written to parent_tid, and returned.
    assert.match(
      clone3.replace(/0x[0-9a-f]{9,}/g, '0xADDR'),
      /^clone3\(\{flags=CLONE_VM\|CLONE_FS\|CLONE_FILES\|CLONE_SIGHAND\|CLONE_THREAD\|CLONE_SYSVSEM\|CLONE_SETTLS\|CLONE_PARENT_SETTID\|CLONE_CHILD_CLEARTID, child_tid=0xADDR, parent_tid=0xADDR, exit_signal=0, stack=0xADDR, stack_size=0x(?:ADDR|[0-9a-f]+), tls=0xADDR\} => \{parent_tid=\[(\d+)\]\}, 88\) += (\d+)$/,
    );
    const [, written, returned] = /parent_tid=\[(\d+)\].* = (\d+)$/.exec(clone3)!;
    assert.equal(written, returned);
    const seccomp = (lines: string[]) => normalize(lines).filter((l) => l.startsWith('seccomp('));
    assert.deepEqual(seccomp(r.lines), ['seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=0xADDR}) = 0']);
    const v = await tracePlain(['-v', '-e', 'trace=seccomp'], [prog]);
    assert.deepEqual(seccomp(v.lines), [
      'seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0x4), ' +
        'BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0xc000003e, 0x1, 0), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x1), ' +
        'BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW)]}) = 0',
    ]);
  });

  it('prints execve at entry: argv in full, the environment as a count unless -v, strings cut at -s', async () => {
    const last = async (opts: string[]) => {
      const r = await tracePlain([...opts, '-e', 'trace=execve,exit_group'], [prog]);
      assert.equal(r.status, 0, r.stderr);
      return normalize(r.lines).slice(-3);
    };
    const tail = ['exit_group(0) = ?', '+++ exited with 0 +++'];
    assert.deepEqual(await last([]), [
      'execve("/nonexistent/prog", ["prog", "--flag", "two words"], 0xADDR /* 2 vars */) = -1 ENOENT (No such file or directory)',
      ...tail,
    ]);
    assert.deepEqual(await last(['-v']), [
      'execve("/nonexistent/prog", ["prog", "--flag", "two words"], ["A=1", "B=two"]) = -1 ENOENT (No such file or directory)',
      ...tail,
    ]);
    assert.deepEqual(await last(['-s', '3']), [
      'execve("/nonexistent/prog", ["pro"..., "--f"..., "two"...], 0xADDR /* 2 vars */) = -1 ENOENT (No such file or directory)',
      ...tail,
    ]);
  });

  it('shows the first execve with the path in full but argv[0] cut at -s like any string', async () => {
    const r = await tracePlain(['-e', 'trace=execve'], [prog]);
    const arg0 = prog.length > 32 ? `"${prog.slice(0, 32)}"...` : `"${prog}"`;
    const head = `execve("${prog}", [${arg0}], `;
    assert.equal(r.lines[0].slice(0, head.length), head);
    assert.match(r.lines[0].slice(head.length), /^0x[0-9a-f]+ \/\* \d+ vars \*\/\) += 0$/);
  });
});
