// perf_event_open and the PERF_EVENT_IOC_* requests against the text strace 6.1 prints for them
// (decode_perf.c): struct perf_event_attr abbreviated and with -v, cut where the caller's version of
// the structure ends, its config read by the event type, and the size the kernel writes back after E2BIG.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_perf');
});

const EINVAL = ' = -1 EINVAL (Invalid argument)';
const EBADF = ' = -1 EBADF (Bad file descriptor)';
const ZERO_FLAGS = (names: string[]) => names.map((n) => `${n}=0`).join(', ');
const LOW_FLAGS = ['inherit', 'pinned', 'exclusive', 'exclude_user'];

// The size the kernel wrote back after refusing a structure bigger than it knows, as the fixture saw
// it: strace 6.1 names the sizes up to version 7 (128 bytes); a newer kernel's is a number.
function sizeAfterE2big(stdout: string): string | null {
  const m = /e2big size=(\d+)/.exec(stdout);
  if (!m) return null;
  const names: Record<string, string> = { '64': 'VER0', '72': 'VER1', '80': 'VER2', '96': 'VER3', '104': 'VER4', '112': 'VER5', '120': 'VER6', '128': 'VER7' };
  const n = Number(m[1]);
  return names[m[1]] ? `PERF_ATTR_SIZE_${names[m[1]]}` : `0x${n.toString(16)} /* PERF_ATTR_SIZE_??? */`;
}

describe('perf_event_open', () => {
  it('prints the attributes before wakeup_events, only the flags that are set, and the config as the type reads it', async () => {
    const r = await tracePlain(['-e', 'trace=perf_event_open'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines);
    assert.deepEqual(lines.slice(0, 4).concat(lines.slice(5)), [
      'perf_event_open(NULL, -1, 0, -1, PERF_FLAG_FD_CLOEXEC|0x40)' + EINVAL,
      'perf_event_open({type=PERF_TYPE_SOFTWARE, size=PERF_ATTR_SIZE_VER0, config=PERF_COUNT_SW_TASK_CLOCK, sample_period=1000, sample_type=PERF_SAMPLE_IP|PERF_SAMPLE_TID, read_format=PERF_FORMAT_ID, disabled=1, exclude_kernel=1, precise_ip=2 /* requested to have 0 skid */, ...}, 0, -1, -1, 0x10 /* PERF_FLAG_??? */)' + EINVAL,
      // A cache event: PMU type, result, operation and cache; with freq set the period is a frequency.
      'perf_event_open({type=PERF_TYPE_HW_CACHE, size=PERF_ATTR_SIZE_VER3, config=0x8<<32|PERF_COUNT_HW_CACHE_RESULT_MISS<<16|PERF_COUNT_HW_CACHE_OP_READ<<8|PERF_COUNT_HW_CACHE_LL, sample_freq=4000, sample_type=PERF_SAMPLE_BRANCH_STACK|PERF_SAMPLE_STACK_USER, read_format=0, freq=1, precise_ip=0 /* arbitrary skid */, use_clockid=1, ...}, 0, -1, -1, 0x10 /* PERF_FLAG_??? */)' + EINVAL,
      // Bits past the known flags show, in case they are a newer kernel's.
      'perf_event_open({type=PERF_TYPE_BREAKPOINT, size=PERF_ATTR_SIZE_VER1, config=0, sample_period=0, sample_type=0, read_format=0, precise_ip=0 /* arbitrary skid */, __reserved_1=0x3 /* Bits 63..38 */, ...}, 0, -1, -1, 0x10 /* PERF_FLAG_??? */)' + EINVAL,
      '+++ exited with 0 +++',
    ]);
    // After E2BIG the size the kernel wrote back follows the one given (where perf_event_open is
    // allowed at all: a container's seccomp filter may refuse it first).
    const after = sizeAfterE2big(r.stdout);
    const size = after ? `0x1000 /* PERF_ATTR_SIZE_??? */ => ${after}` : '0x1000 /* PERF_ATTR_SIZE_??? */';
    const result = after ? ' = -1 E2BIG (Argument list too long)' : '';
    assert.ok(
      lines[4]?.startsWith(`perf_event_open({type=PERF_TYPE_HARDWARE, size=${size}, config=PERF_COUNT_HW_INSTRUCTIONS, sample_period=0, sample_type=0, read_format=0, precise_ip=0 /* arbitrary skid */, ...}, 0, -1, -1, 0)${result}`),
      lines[4],
    );
  });

  it('with -v prints every field up to where the caller\'s structure ends, and the union members of the type', async () => {
    const r = await tracePlain(['-v', '-e', 'trace=perf_event_open'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines);
    const high = ZERO_FLAGS(['mmap_data', 'sample_id_all', 'exclude_host', 'exclude_guest', 'exclude_callchain_kernel', 'exclude_callchain_user', 'mmap2', 'comm_exec']);
    const tail = ZERO_FLAGS(['context_switch', 'write_backward', 'namespaces', 'ksymbol', 'bpf_event', 'aux_output', 'cgroup', 'text_poke', 'build_id', 'inherit_thread', 'remove_on_exec', 'sigtrap']);
    const mid = ZERO_FLAGS(['exclude_hv', 'exclude_idle', 'mmap', 'comm']);
    const late = ZERO_FLAGS(['inherit_stat', 'enable_on_exec', 'task', 'watermark']);
    // Version 0 ends after config1.
    assert.equal(lines[1], `perf_event_open({type=PERF_TYPE_SOFTWARE, size=PERF_ATTR_SIZE_VER0, config=PERF_COUNT_SW_TASK_CLOCK, sample_period=1000, sample_type=PERF_SAMPLE_IP|PERF_SAMPLE_TID, read_format=PERF_FORMAT_ID, disabled=1, ${ZERO_FLAGS(LOW_FLAGS)}, exclude_kernel=1, ${mid}, freq=0, ${late}, precise_ip=2 /* requested to have 0 skid */, ${high}, use_clockid=0, ${tail}, wakeup_events=5, config1=0x1234}, 0, -1, -1, 0x10 /* PERF_FLAG_??? */)` + EINVAL);
    // Version 3 reaches the user stack size but not the clock: branch and stack fields show because
    // sample_type asks for them.
    assert.equal(lines[2], `perf_event_open({type=PERF_TYPE_HW_CACHE, size=PERF_ATTR_SIZE_VER3, config=0x8<<32|PERF_COUNT_HW_CACHE_RESULT_MISS<<16|PERF_COUNT_HW_CACHE_OP_READ<<8|PERF_COUNT_HW_CACHE_LL, sample_freq=4000, sample_type=PERF_SAMPLE_BRANCH_STACK|PERF_SAMPLE_STACK_USER, read_format=0, disabled=0, ${ZERO_FLAGS(LOW_FLAGS)}, exclude_kernel=0, ${mid}, freq=1, ${late}, precise_ip=0 /* arbitrary skid */, ${high}, use_clockid=1, ${tail}, wakeup_events=0, config1=0, config2=0, branch_sample_type=PERF_SAMPLE_BRANCH_USER|PERF_SAMPLE_BRANCH_ANY_CALL, sample_regs_user=0xff, sample_stack_user=0x2000, clockid=CLOCK_MONOTONIC}, 0, -1, -1, 0x10 /* PERF_FLAG_??? */)` + EINVAL);
    // A breakpoint: bp_type (W|X is invalid), bp_addr and bp_len in place of config1 and config2.
    assert.equal(lines[3], `perf_event_open({type=PERF_TYPE_BREAKPOINT, size=PERF_ATTR_SIZE_VER1, config=0, sample_period=0, sample_type=0, read_format=0, disabled=0, ${ZERO_FLAGS(LOW_FLAGS)}, exclude_kernel=0, ${mid}, freq=0, ${late}, precise_ip=0 /* arbitrary skid */, ${high}, use_clockid=0, ${tail}, __reserved_1=0x3 /* Bits 63..38 */, wakeup_events=0, bp_type=0x6 /* HW_BREAKPOINT_INVALID */, bp_addr=0x601040, bp_len=4}, 0, -1, -1, 0x10 /* PERF_FLAG_??? */)` + EINVAL);
    // A structure bigger than version 7: every field, then "..." for the rest.
    assert.match(lines[4] ?? '', /, aux_watermark=0, sample_max_stack=0, aux_sample_size=0, sig_data=0, \.\.\.\}, 0, -1, -1, 0\) = -1 /);
  });
});

describe('perf event ioctl requests', () => {
  it('decodes the flags, numbers, descriptors, filter and attributes the requests take', async () => {
    const r = await tracePlain(['-e', 'trace=ioctl'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), [
      'ioctl(-1, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP)' + EBADF,
      // Only the low 32 bits of the argument are flags.
      'ioctl(-1, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP|0x2)' + EBADF,
      'ioctl(-1, PERF_EVENT_IOC_REFRESH, -2)' + EBADF,
      'ioctl(-1, PERF_EVENT_IOC_PERIOD, [250000])' + EBADF,
      'ioctl(-1, PERF_EVENT_IOC_SET_OUTPUT, 5)' + EBADF,
      'ioctl(-1, PERF_EVENT_IOC_SET_FILTER, "common_pid == 42")' + EBADF,
      'ioctl(-1, PERF_EVENT_IOC_PAUSE_OUTPUT, 1)' + EBADF,
      'ioctl(-1, PERF_EVENT_IOC_ID, NULL)' + EBADF,
      // What the kernel was to fill in is not shown after a failure.
      'ioctl(-1, PERF_EVENT_IOC_QUERY_BPF, {ids_len=3, ...})' + EBADF,
      'ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, {type=PERF_TYPE_HARDWARE, size=PERF_ATTR_SIZE_VER5, config=PERF_COUNT_HW_CPU_CYCLES, sample_period=100, sample_type=0, read_format=0, inherit=1, precise_ip=0 /* arbitrary skid */, ...})' + EBADF,
      '+++ exited with 0 +++',
    ]);
  });

  it('shows the event id and the attached BPF programs a successful request returned', async () => {
    const r = await tracePlain(['-e', 'trace=ioctl', '-e', 'inject=ioctl:retval=0'], [prog, 'success']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), [
      'ioctl(-1, PERF_EVENT_IOC_ID, [77]) = 0 (INJECTED)',
      'ioctl(-1, PERF_EVENT_IOC_QUERY_BPF, {ids_len=4, prog_cnt=2, ids=[10, 11]}) = 0 (INJECTED)',
      '+++ exited with 0 +++',
    ]);
  });
});
