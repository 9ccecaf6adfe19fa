// ptrace requests, clone3's larger struct, and descriptors of other processes (kcmp, pidfd_getfd)
// against the text strace 6.1 prints for the same calls (decode_ptrace.c).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { linesFrom, normalizeLines } from './expect-lines.js';
import { cliPath, tracePlain } from '../helpers/plain.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_ptrace');
});

const ESRCH = '= -1 ESRCH (No such process)';

describe('ptrace, clone3, kcmp and pidfd_getfd', () => {
  it('decodes what each call reads or writes, on failure too, with -y descriptors of their owners', async () => {
    const r = await tracePlain(['-y', '-e', 'trace=ptrace,clone3,kcmp,pidfd_getfd,readv'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const pid = r.stdout.trim();
    // Our pid where the fixture passes it; the traced child's pid after PTRACE_GET_SYSCALL_INFO.
    const lines = normalizeLines(r.lines, [
      [new RegExp(`^(ptrace\\(\\w+, )${pid},`), '$1PID,'],
      [/^(ptrace\(PTRACE_GET_SYSCALL_INFO, )\d+,/, '$1CHILD,'],
      [new RegExp(`^kcmp\\(${pid}, ${pid},`), 'kcmp(PID, PID,'],
    ]);
    const expected = [
      `ptrace(PTRACE_SECCOMP_GET_METADATA, PID, 16, {filter_off=7}) ${ESRCH}`,
      // The iovec is the caller's: shown even when the call fails, its buffer then by address.
      `ptrace(PTRACE_GETREGSET, PID, NT_PRSTATUS, {iov_base=0xADDR, iov_len=8}) ${ESRCH}`,
      // 9 bytes are no whole register: the address only.
      `ptrace(PTRACE_SETREGSET, PID, NT_PRSTATUS, {iov_base=0xADDR, iov_len=9}) ${ESRCH}`,
      `ptrace(PTRACE_SETREGSET, PID, NT_PRSTATUS, {iov_base={r15=0x15, r14=0x14}, iov_len=16}) ${ESRCH}`,
      // A uid of -1 is printed as such, not as 4294967295.
      `ptrace(PTRACE_SETSIGINFO, PID, NULL, {si_signo=SIGHUP, si_code=SI_QUEUE, si_pid=1, si_uid=-1}) ${ESRCH}`,
      // strace 6.1's table decides which codes have a name: SEGV_CPERR (Linux 6.6) has none there.
      `ptrace(PTRACE_SETSIGINFO, PID, NULL, {si_signo=SIGSEGV, si_code=0xa, si_addr=NULL}) ${ESRCH}`,
      // clone3 with 96 bytes, 8 more than we know: zeros say nothing, other bytes are shown, an
      // unreadable tail is ???.
      'clone3({flags=0, exit_signal=18446744073709551615, stack=NULL, stack_size=0}, 96) = -1 EINVAL (Invalid argument)',
      'clone3({flags=0, exit_signal=18446744073709551615, stack=NULL, stack_size=0, /* bytes 88..95 */ "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x2a"}, 96) = -1 E2BIG (Argument list too long)',
      'clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, ???}, 96) = -1 EFAULT (Bad address)',
      'kcmp(PID, PID, KCMP_FILE, 3</dev/null>, 3</dev/null>) = 0',
      // The target descriptor belongs to the process the pidfd refers to; the flags are hex.
      'pidfd_getfd(4<anon_inode:[pidfd]>, 3</dev/null>, 0xbadc0ded) = -1 EINVAL (Invalid argument)',
      'readv(99, [{iov_base=0xADDR, iov_len=4}], 1) = -1 EBADF (Bad file descriptor)',
      // Only the fields that fit in what the caller asked for, then all the kernel wrote.
      'ptrace(PTRACE_GET_SYSCALL_INFO, CHILD, 1, {op=PTRACE_SYSCALL_INFO_NONE}) = 24',
      'ptrace(PTRACE_GET_SYSCALL_INFO, CHILD, 88, {op=PTRACE_SYSCALL_INFO_NONE, arch=AUDIT_ARCH_X86_64, instruction_pointer=0xADDR, stack_pointer=0xADDR}) = 24',
    ];
    assert.deepEqual(linesFrom(lines.filter((l) => !l.startsWith('---')), expected), expected);
  });

  it('names descriptors with -y when /proc was mounted from another pid namespace (unshare -pf)', () => {
    // In a pid namespace of our own without its own /proc, /proc numbers our tracee differently.
    const r = spawnSync('unshare', ['-Urpf', process.execPath, cliPath, '--plain', '-y', '-e', 'trace=kcmp', prog], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^kcmp\(\d+, \d+, KCMP_FILE, 3<\/dev\/null>, 3<\/dev\/null>\) += 0$/m);
  });

  it('prints an int si_code as 32 bits and syscall info constants as numbers under -X raw', async () => {
    const r = await tracePlain(['-X', 'raw', '-e', 'trace=ptrace'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines);
    assert.ok(lines.some((l) => /^ptrace\(0x4203, \d+, NULL, \{si_signo=1, si_code=0xffffffff, si_pid=1, si_uid=-1\}\) = -1 ESRCH/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^ptrace\(0x420e, \d+, 1, \{op=0\}\) = 24$/.test(l)), lines.join('\n'));
  });

  it('shows the error of an exit_group that a fault injection made fail', async () => {
    const r = await tracePlain(['-e', 'trace=exit_group,exit', '-e', 'fault=exit_group:error=ENOSYS:when=1'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines).slice(-3), [
      'exit_group(0) = -1 ENOSYS (Function not implemented) (INJECTED)',
      // glibc's _exit falls back to exit, which ends the process.
      'exit(0) = ?',
      '+++ exited with 0 +++',
    ]);
  });
});
