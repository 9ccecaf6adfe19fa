// bpf(2) against the text strace 6.1 prints for the same calls (decode_bpf.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_bpf');
});

// The fixture's calls never reach the kernel: a return value is injected, so the lines are the same
// on any kernel and for any user.
const INJECT = ['-e', 'trace=bpf', '-e', 'inject=bpf:retval=3'];
const OK = ' = 3 (INJECTED)';

// The lines both -v and the default print alike, after the PROG_LOAD line and the MAP_FREEZE ones.
const TAIL = [
  'bpf(BPF_MAP_FREEZE, 0xADDR, 8)' + OK,
  'bpf(BPF_MAP_FREEZE, 0xADDR, 4097)' + OK,
  'bpf(BPF_PROG_GET_NEXT_ID, {start_id=7, next_id=0, open_flags=BPF_F_RDONLY}, 12)' + OK,
  'bpf(BPF_PROG_QUERY, {query={target_fd=-1, attach_type=BPF_CGROUP_INET_SOCK_CREATE, query_flags=BPF_F_QUERY_EFFECTIVE, ' +
    'attach_flags=BPF_F_ALLOW_MULTI, prog_ids=[10, 20, 30], prog_cnt=3}}, 28)' + OK,
  'bpf(BPF_LINK_CREATE, {link_create={prog_fd=-1, target_fd=0, attach_type=BPF_TRACE_KPROBE_MULTI, flags=0, ' +
    'kprobe_multi={flags=BPF_F_KPROBE_MULTI_RETURN|0x10, cnt=2, syms=["tcp_sendmsg", NULL], addrs=[0, 0xADDR], cookies=NULL}}}, 48)' +
    OK,
];


describe('bpf', () => {
  it('prints each command\'s attr as far as its size reaches, extra bytes as "...", eBPF programs as an address', async () => {
    const r = await tracePlain(INJECT, [prog, 'attrs']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), [
      // No attr; the size is an unsigned int, the upper half of the argument is not shown.
      'bpf(BPF_MAP_CREATE, NULL, 72)' + OK,
      'bpf(0xbeef /* BPF_??? */, NULL, 8)' + OK,
      // Cut in map_name: its bytes up to the cut, then "..."; the NUMA node only with BPF_F_NUMA_NODE,
      // and always explained.
      'bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH, key_size=8, value_size=16, max_entries=1024, ' +
        'map_flags=BPF_F_NO_PREALLOC|BPF_F_NUMA_NODE|0x100000, inner_map_fd=-1, numa_node=4294967295 /* NUMA_NO_NODE */, ' +
        'map_name="abcde"...}, 34)' +
        OK,
      'bpf(BPF_PROG_LOAD, {prog_type=0x40 /* BPF_PROG_TYPE_??? */, insn_cnt=3, insns=0xADDR, license="GPL", log_level=1, ' +
        'log_size=8, log_buf="verifier"..., kern_version=KERNEL_VERSION(6, 1, 57), prog_flags=BPF_F_SLEEPABLE|0x20, ' +
        'prog_name="xdp_drop"}, 64)' +
        OK,
      'bpf(BPF_MAP_FREEZE, {map_fd=5}, 8)' + OK,
      'bpf(BPF_MAP_FREEZE, {map_fd=5, ...}, 8)' + OK,
      ...TAIL,
      // An attach type with no union member: its bytes past flags are extra data.
      'bpf(BPF_LINK_CREATE, {link_create={prog_fd=3, target_fd=4, attach_type=BPF_SK_SKB_STREAM_VERDICT, flags=0}, ...}, 20)' + OK,
      'bpf(BPF_LINK_UPDATE, {link_update={link_fd=7, new_prog_fd=8, flags=BPF_F_REPLACE, old_prog_fd=9}}, 16)' + OK,
      '+++ exited with 0 +++',
    ]);
  });

  it('with -v disassembles eBPF instructions and shows extra bytes in hex with their offsets', async () => {
    const r = await tracePlain(['-v', ...INJECT], [prog, 'attrs']);
    assert.equal(r.status, 0, r.stderr);
    const out = normalizeLines(r.lines);
    const load = out.findIndex((l) => l.startsWith('bpf(BPF_PROG_LOAD'));
    assert.deepEqual(out.slice(load, load + 3 + TAIL.length), [
      // A BPF_JMP32 operation and register 12 have no name in strace 6.1.
      'bpf(BPF_PROG_LOAD, {prog_type=0x40 /* BPF_PROG_TYPE_??? */, insn_cnt=3, insns=[' +
        '{code=BPF_ALU64|BPF_K|BPF_MOV, dst_reg=BPF_REG_0, src_reg=BPF_REG_0, off=0, imm=0x2}, ' +
        '{code=BPF_JMP|BPF_K|BPF_EXIT, dst_reg=BPF_REG_0, src_reg=BPF_REG_0, off=0, imm=0}, ' +
        '{code=BPF_JMP32|0x10 /* BPF_??? */, dst_reg=BPF_REG_1, src_reg=0xc /* BPF_REG_??? */, off=-3, imm=0xffffffff}], ' +
        'license="GPL", log_level=1, log_size=8, log_buf="verifier"..., kern_version=KERNEL_VERSION(6, 1, 57), ' +
        'prog_flags=BPF_F_SLEEPABLE|0x20, prog_name="xdp_drop"}, 64)' +
        OK,
      'bpf(BPF_MAP_FREEZE, {map_fd=5}, 8)' + OK,
      'bpf(BPF_MAP_FREEZE, {map_fd=5, extra_data="\\x01\\x00\\x00\\x02" /* bytes 4..7 */}, 8)' + OK,
      ...TAIL,
    ]);
    assert.ok(
      out.includes(
        'bpf(BPF_LINK_CREATE, {link_create={prog_fd=3, target_fd=4, attach_type=BPF_SK_SKB_STREAM_VERDICT, flags=0}, ' +
          'extra_data="\\x2a\\x00\\x00\\x00" /* bytes 16..19 */}, 20)' +
          OK,
      ),
      out.join('\n'),
    );
  });

  it('prints the kernel version and the command under -X raw and -X verbose as strace does', async () => {
    for (const [style, expected] of [
      ['raw', 'bpf(0x5, {prog_type=0x40, insn_cnt=3, insns=0xADDR, license="GPL", log_level=1, log_size=8, ' +
        'log_buf="verifier"..., kern_version=0x60139, prog_flags=0x30, prog_name="xdp_drop"}, 64)' + OK],
      ['verbose', 'bpf(0x5 /* BPF_PROG_LOAD */, {prog_type=0x40 /* BPF_PROG_TYPE_??? */, insn_cnt=3, insns=0xADDR, ' +
        'license="GPL", log_level=1, log_size=8, log_buf="verifier"..., ' +
        'kern_version=0x60139 /* KERNEL_VERSION(6, 1, 57) */, prog_flags=0x30 /* BPF_F_SLEEPABLE|0x20 */, ' +
        'prog_name="xdp_drop"}, 64)' + OK],
    ] as const) {
      const r = await tracePlain(['-X', style, ...INJECT], [prog, 'attrs']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(normalizeLines(r.lines)[3], expected, style);
    }
  });

  it('shows a map\'s info as the kernel filled it in, at exit, with -v', async (t) => {
    const r = await tracePlain(['-v', '-y', '-e', 'trace=bpf'], [prog, 'real']);
    if (r.status === 77) {
      t.skip('no BPF map can be made here (CAP_BPF)');
      return;
    }
    assert.equal(r.status, 0, r.stderr);
    // The map's descriptor and id are the kernel's to choose; descriptor 0 is whatever we were given.
    const out = normalizeLines(r.lines, [
      [/=0<[^>]*>/g, '=0<STDIN>'],
      [/(bpf_fd=|= )\d+<anon_inode:bpf-map>/g, '$1FD<anon_inode:bpf-map>'],
      [/, id=\d+,/, ', id=ID,'],
    ]);
    assert.deepEqual(out, [
      'bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_ARRAY, key_size=4, value_size=8, max_entries=1, map_flags=0, ' +
        'inner_map_fd=0<STDIN>, map_name="systrace_t", map_ifindex=0, btf_fd=0<STDIN>, btf_key_type_id=0, ' +
        'btf_value_type_id=0, btf_vmlinux_value_type_id=0, map_extra=0}, 72) = FD<anon_inode:bpf-map>',
      'bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=FD<anon_inode:bpf-map>, info_len=88, info={type=BPF_MAP_TYPE_ARRAY, ' +
        'id=ID, key_size=4, value_size=8, max_entries=1, map_flags=0, name="systrace_t", ifindex=0, ' +
        'btf_vmlinux_value_type_id=0, netns_dev=makedev(0, 0), netns_ino=0, btf_id=0, btf_key_type_id=0, ' +
        'btf_value_type_id=0}}}, 16) = 0',
      '+++ exited with 0 +++',
    ]);
  });
});
