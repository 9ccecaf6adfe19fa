// KVM requests against the text strace 6.1 prints for them (decode_kvm.c runs a one-page real-mode
// guest that writes to a port and halts): capabilities, the memory slot, vcpu descriptors, the
// registers (abbreviated without -v), and with -e kvm=vcpu each KVM_RUN's exit reason. Skipped
// where /dev/kvm cannot run a guest.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
let unusable = '';
before(() => {
  prog = fixturePath('decode_kvm');
  try {
    execFileSync(prog, { stdio: 'pipe' });
  } catch (err) {
    unusable = (err as { stdout?: Buffer }).stdout?.toString().trim() || 'the guest did not run';
  }
});

const SEGMENT = (base: string, selector: number) =>
  `{base=${base}, limit=65535, selector=${selector}, type=11, present=1, dpl=0, db=0, s=1, l=0, g=0, avl=0}`;

describe('KVM ioctl requests', () => {
  it('names the capability, the new descriptors, the memory slot and the registers, and KVM_RUN\'s exit reasons with -e kvm=vcpu', async (t) => {
    if (unusable) return t.skip(unusable);
    const r = await tracePlain(['-y', '-e', 'trace=ioctl', '-e', 'kvm=vcpu'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const m = /fds kvm=(\d+) vm=(\d+) vcpu=(\d+) mmap=(\d+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const kvm = `${m[1]}</dev/kvm>`;
    const vm = `${m[2]}<anon_inode:kvm-vm>`;
    const vcpu = `${m[3]}<anon_inode:kvm-vcpu:0>`;
    assert.deepEqual(normalizeLines(r.lines), [
      `ioctl(${kvm}, KVM_GET_API_VERSION, 0) = 12`,
      `ioctl(${kvm}, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) = 1`,
      `ioctl(${kvm}, KVM_CREATE_VM, 0) = ${vm}`,
      `ioctl(${vm}, KVM_SET_USER_MEMORY_REGION, {slot=0, flags=0, guest_phys_addr=0x1000, memory_size=4096, userspace_addr=0xADDR}) = 0`,
      `ioctl(${vm}, KVM_CREATE_VCPU, 0) = ${vcpu}`,
      `ioctl(${kvm}, KVM_GET_VCPU_MMAP_SIZE, 0) = ${m[4]}`,
      // Too small a table: only where it is.
      `ioctl(${kvm}, KVM_GET_SUPPORTED_CPUID, 0xADDR) = -1 E2BIG (Argument list too long)`,
      // Without -v the segment registers stop after cs, the general ones show rax, rsp and rbp.
      `ioctl(${vcpu}, KVM_GET_SREGS, {cs=${SEGMENT('0xffff0000', 61440)}, ...}) = 0`,
      `ioctl(${vcpu}, KVM_SET_SREGS, {cs=${SEGMENT('0', 0)}, ...}) = 0`,
      `ioctl(${vcpu}, KVM_SET_REGS, {rax=0x2, ..., rsp=0, rbp=0, ..., rip=0x1000, rflags=0x2}) = 0`,
      `ioctl(${vcpu}, KVM_RUN, 0) = 0 (KVM_EXIT_IO)`,
      `ioctl(${vcpu}, KVM_RUN, 0) = 0 (KVM_EXIT_HLT)`,
      '+++ exited with 0 +++',
    ]);
  });

  it('with -v prints every register, and without -e kvm=vcpu no exit reason', async (t) => {
    if (unusable) return t.skip(unusable);
    const r = await tracePlain(['-v', '-e', 'trace=ioctl'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const lines = normalizeLines(r.lines);
    const zero = (names: string[]) => names.map((n) => `${n}=0`).join(', ');
    assert.ok(
      lines.includes(`ioctl(${/vcpu=(\d+)/.exec(r.stdout)?.[1]}, KVM_SET_REGS, {rax=0x2, ${zero(['rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rsp', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'])}, rip=0x1000, rflags=0x2}) = 0`),
      lines.join('\n'),
    );
    assert.match(lines.find((l) => l.includes('KVM_SET_SREGS')) ?? '', /\{cs=\{base=0, .*\}, ds=\{.*\}, ldt=\{.*\}, gdt=\{base=0, limit=65535\}, idt=\{base=0, limit=65535\}, cr0=\d+, .*, apic_base=0x[0-9a-f]+, interrupt_bitmap=\[0, 0, 0, 0\]\}\) = 0$/);
    assert.deepEqual(lines.filter((l) => l.includes('KVM_RUN')).map((l) => l.replace(/^ioctl\(\d+, /, 'ioctl(N, ')), [
      'ioctl(N, KVM_RUN, 0) = 0',
      'ioctl(N, KVM_RUN, 0) = 0',
    ]);
  });
});
