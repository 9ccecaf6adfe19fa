// The time family against the text strace 6.1 prints for the same calls (decode_time.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { linesFrom, normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_time');
});

describe('time family', () => {
  it('prints sleeps, the remaining time only when interrupted, clocks, itimers and POSIX timers', async () => {
    const r = await tracePlain(
      [
        '-e',
        'trace=nanosleep,clock_nanosleep,setitimer,getitimer,clock_getres,clock_gettime,clock_settime,alarm,adjtimex,' +
          'timer_create,timer_settime,timer_getoverrun,timer_delete',
      ],
      [prog],
    );
    assert.equal(r.status, 0, r.stderr);
    const expected = [
      'nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0',
      // A completed sleep leaves the remainder untouched: strace shows the pointer.
      'nanosleep({tv_sec=0, tv_nsec=1000000}, 0xADDR) = 0',
      'nanosleep({tv_sec=0, tv_nsec=2000000000}, 0xADDR) = -1 EINVAL (Invalid argument)',
      'clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0',
      'clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=0}, NULL) = 0',
      'setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=20000}}, NULL) = 0',
      // Interrupted by SIGALRM: the kernel wrote what was left of the second.
      'nanosleep({tv_sec=1, tv_nsec=0}, {tv_sec=0, tv_nsec=LEFT}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
      '--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---',
      'clock_getres(CLOCK_MONOTONIC, {tv_sec=0, tv_nsec=1}) = 0',
      'clock_gettime(CLOCK_BOOTTIME, NULL) = -1 EFAULT (Bad address)',
      'clock_gettime(0x63 /* CLOCK_??? */, 0xADDR) = -1 EINVAL (Invalid argument)',
      'clock_settime(CLOCK_MONOTONIC, {tv_sec=1, tv_nsec=2}) = -1 EINVAL (Invalid argument)',
      'getitimer(ITIMER_PROF, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0',
      'alarm(5) = 0',
      'alarm(0) = 5',
      'adjtimex(NULL) = -1 EFAULT (Bad address)',
      'timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=42, sival_ptr=0x2a}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, [0]) = 0',
      'timer_settime(0, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
      'timer_getoverrun(0) = 0',
      'timer_delete(0) = 0',
      'timer_delete(99) = -1 EINVAL (Invalid argument)',
    ];
    const lines = normalizeLines(r.lines, [[/(\{tv_sec=0, tv_nsec=)\d+(\}\) = \? ERESTART)/, '$1LEFT$2']]);
    assert.deepEqual(linesFrom(lines, expected), expected);
  });

  it('prints each futex command with the arguments it uses, all at entry', async () => {
    const r = await tracePlain(['-e', 'trace=futex'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const expected = [
      'futex(0xADDR, FUTEX_WAKE_PRIVATE, 1) = 0',
      'futex(0xADDR, FUTEX_WAIT_PRIVATE, 0, NULL) = -1 EAGAIN (Resource temporarily unavailable)',
      'futex(0xADDR, FUTEX_WAIT_PRIVATE, 1, {tv_sec=0, tv_nsec=1000}) = -1 ETIMEDOUT (Connection timed out)',
      'futex(0xADDR, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 1, {tv_sec=0, tv_nsec=0}, FUTEX_BITSET_MATCH_ANY) = -1 ETIMEDOUT (Connection timed out)',
      'futex(0xADDR, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0xADDR, FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0) = 0',
      'futex(0xADDR, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, 0xADDR, 7) = -1 EAGAIN (Resource temporarily unavailable)',
      'futex(0xADDR, 0x70 /* FUTEX_??? */, 1, NULL, NULL, 0) = -1 ENOSYS (Function not implemented)',
    ];
    assert.deepEqual(linesFrom(normalizeLines(r.lines), expected), expected);
  });
});
