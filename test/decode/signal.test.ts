// The signal family and the shared signal printers (names, sets, siginfo) against the text strace
// 6.1 prints for the same program (decode_signal.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines, tokenizePids } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_signal');
});

// The fixture's own pid (it signals itself first) and its child's become PID where they stand;
// addresses 0xADDR.
const PID_PLACES = [/^(kill\()(\d+)/, /^(rt_sigqueueinfo\()(\d+)/, /^(tgkill\()(\d+)/, /^(tgkill\(PID, )(\d+)/, /(si_pid=)(\d+)/g];

function normalize(lines: string[]): string[] {
  const pids = new Set<string>();
  for (const l of lines) {
    const m = /^kill\((\d+), SIGUSR1\)/.exec(l) ?? /si_code=CLD_EXITED, si_pid=(\d+)/.exec(l);
    if (m) pids.add(m[1]);
  }
  return normalizeLines(tokenizePids(lines, PID_PLACES, pids));
}

const uid = process.getuid!();

describe('signal family', () => {
  it('decodes handlers, masks, queued, pending and delivered signals like strace', async () => {
    const r = await tracePlain(['-e', 'trace=%signal'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const handler = 'sa_handler=0xADDR, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0xADDR';
    assert.deepEqual(normalize(r.lines), [
      `rt_sigaction(SIGUSR1, {${handler}}, NULL, 8) = 0`,
      'rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[PIPE], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0xADDR}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
      // Kernel signal 35 is SIGRT_3 (SIGRTMIN is 32, whatever glibc reserves).
      'rt_sigaction(SIGRT_3, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
      'rt_sigaction(65, NULL, NULL, 8) = -1 EINVAL (Invalid argument)',
      'rt_sigprocmask(SIG_BLOCK, [HUP USR2], NULL, 8) = 0',
      // Two thirds of the bits set or more: the complement is printed.
      'rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [HUP USR2], 8) = 0',
      'rt_sigprocmask(SIG_SETMASK, [HUP USR2], NULL, 8) = 0',
      'rt_sigprocmask(0x5 /* SIG_??? */, NULL, NULL, 8) = 0',
      // A set size the kernel refuses: the set is not read.
      'rt_sigprocmask(SIG_BLOCK, 0xADDR, NULL, 16) = -1 EINVAL (Invalid argument)',
      'kill(PID, SIGUSR1) = 0',
      `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID, si_uid=${uid}} ---`,
      'rt_sigreturn({mask=[HUP USR2]}) = 0',
      `rt_sigqueueinfo(PID, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=PID, si_uid=${uid}, si_int=42, si_ptr=0x2a}) = 0`,
      `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=PID, si_uid=${uid}, si_int=42, si_ptr=0x2a} ---`,
      'rt_sigreturn({mask=[HUP USR2]}) = 0',
      'tgkill(PID, PID, 0) = 0',
      'kill(PID, SIGUSR2) = 0',
      'rt_sigpending([USR2], 8) = 0',
      `rt_sigtimedwait([USR2], {si_signo=SIGUSR2, si_code=SI_USER, si_pid=PID, si_uid=${uid}}, {tv_sec=0, tv_nsec=0}, 8) = 12 (SIGUSR2)`,
      'rt_sigtimedwait([USR2], 0xADDR, {tv_sec=0, tv_nsec=0}, 8) = -1 EAGAIN (Resource temporarily unavailable)',
      'sigaltstack({ss_sp=0xADDR, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0',
      `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=PID, si_uid=${uid}, si_status=5, si_utime=0, si_stime=0} ---`,
      '+++ exited with 0 +++',
    ]);
  });

  it('hides delivered signals with -e signal=none but still decodes rt_sigreturn', async () => {
    const r = await tracePlain(['-e', 'signal=none', '-e', 'trace=kill,rt_sigreturn'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalize(r.lines), [
      'kill(PID, SIGUSR1) = 0',
      'rt_sigreturn({mask=[HUP USR2]}) = 0',
      'rt_sigreturn({mask=[HUP USR2]}) = 0',
      'kill(PID, SIGUSR2) = 0',
      '+++ exited with 0 +++',
    ]);
  });

  it('prints a fault with its address and the death by signal', async () => {
    const r = await tracePlain(['-f', '-e', 'trace=none'], [prog, 'segv']);
    assert.equal(r.status, 0, r.stderr);
    // With -f and -o every line starts with its pid: the child's are the ones about SIGSEGV.
    const child = /^(\d+) +--- SIGSEGV/.exec(r.lines.find((l) => l.includes('SIGSEGV {')) ?? '')?.[1];
    assert.ok(child, r.lines.join('\n'));
    const own = r.lines.filter((l) => l.startsWith(`${child} `)).map((l) => l.slice(child.length).trimStart());
    assert.deepEqual(own, ['--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x8} ---', '+++ killed by SIGSEGV +++']);
    const chld = r.lines.find((l) => l.includes('--- SIGCHLD'));
    assert.match(chld ?? '', new RegExp(`--- SIGCHLD \\{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=${child}, si_uid=${uid}, si_status=SIGSEGV, si_utime=\\d+, si_stime=\\d+\\} ---$`));
  });
});
