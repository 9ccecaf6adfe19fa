// prctl and arch_prctl against the text strace 6.1 prints for the same calls (decode_prctl.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { linesFrom, normalizeLines } from './expect-lines.js';
import { tracePlain } from '../helpers/plain.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_prctl');
});

const EINVAL = '= -1 EINVAL (Invalid argument)';

describe('prctl and arch_prctl', () => {
  it('decodes the arguments of the scheduling-core, vector-length, tagged-address and key options', async () => {
    const r = await tracePlain(['-e', 'trace=prctl'], [prog, 'args']);
    assert.equal(r.status, 0, r.stderr);
    const pid = r.stdout.trim();
    const expected = [
      // Arguments cut to their C type; the pid type always explained, even without -X verbose.
      `prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, PID, 0 /* PIDTYPE_PID */, NULL) ${EINVAL}`,
      `prctl(PR_SCHED_CORE, PR_SCHED_CORE_SHARE_TO, PID, 0x7 /* PIDTYPE_??? */, 0xADDR) ${EINVAL}`,
      `prctl(PR_SCHED_CORE, 0x9 /* PR_SCHED_CORE_??? */, PID, 0x2 /* PIDTYPE_PGID */, NULL) ${EINVAL}`,
      // Only the vector length argument: the others are not read by the kernel.
      `prctl(PR_SVE_SET_VL, 0xf) ${EINVAL}`,
      `prctl(PR_SVE_SET_VL, PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0x40) ${EINVAL}`,
      `prctl(PR_SME_SET_VL, PR_SME_VL_INHERIT|0x10) ${EINVAL}`,
      `prctl(PR_SET_TAGGED_ADDR_CTRL, !PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE, 0x1, 0x2, 0x3) ${EINVAL}`,
      `prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_SYNC|0x2001<<PR_MTE_TAG_SHIFT, 0, 0, 0) ${EINVAL}`,
      `prctl(PR_PAC_RESET_KEYS, PR_PAC_APIAKEY|PR_PAC_APGAKEY, 0, 0, 0) ${EINVAL}`,
      `prctl(PR_PAC_RESET_KEYS, 0x20 /* PR_PAC_??? */, 0, 0, 0) ${EINVAL}`,
      `prctl(PR_PAC_SET_ENABLED_KEYS, PR_PAC_APIAKEY|PR_PAC_APIBKEY, PR_PAC_APIAKEY, 0, 0) ${EINVAL}`,
      `prctl(PR_SET_UNALIGN, PR_UNALIGN_NOPRINT|PR_UNALIGN_SIGBUS) ${EINVAL}`,
      `prctl(PR_SET_TSC, 0xfacebeef /* PR_TSC_??? */) ${EINVAL}`,
      `prctl(PR_SET_PTRACER, 2147483647) ${EINVAL}`,
    ];
    const lines = normalizeLines(r.lines, [[new RegExp(`(PR_SCHED_CORE_\\S+|\\?\\?\\? \\*/), ${pid},`), '$1, PID,']]);
    assert.deepEqual(linesFrom(lines, expected), expected);
  });

  it('shows the same calls in -X raw and -X verbose', async () => {
    const raw = await tracePlain(['-X', 'raw', '-e', 'trace=prctl'], [prog, 'args']);
    const verbose = await tracePlain(['-X', 'verbose', '-e', 'trace=prctl'], [prog, 'args']);
    assert.equal(raw.status, 0, raw.stderr);
    assert.equal(verbose.status, 0, verbose.stderr);
    const rawLines = normalizeLines(raw.lines, [[new RegExp(`, ${raw.stdout.trim()},`), ', PID,']]);
    const verboseLines = normalizeLines(verbose.lines, [[new RegExp(`, ${verbose.stdout.trim()},`), ', PID,']]);
    const rawExpected = [
      `prctl(0x3e, 0, PID, 0, NULL) ${EINVAL}`,
      `prctl(0x3e, 0x2, PID, 0x7, 0xADDR) ${EINVAL}`,
      `prctl(0x3e, 0x9, PID, 0x2, NULL) ${EINVAL}`,
      `prctl(0x32, 0xf) ${EINVAL}`,
      `prctl(0x32, 0x60040) ${EINVAL}`,
      `prctl(0x3f, 0x20010) ${EINVAL}`,
      `prctl(0x37, 0, 0x1, 0x2, 0x3) ${EINVAL}`,
    ];
    assert.deepEqual(linesFrom(rawLines, rawExpected), rawExpected);
    const verboseExpected = [
      `prctl(0x3e /* PR_SCHED_CORE */, 0 /* PR_SCHED_CORE_GET */, PID, 0 /* PIDTYPE_PID */, NULL) ${EINVAL}`,
      `prctl(0x3e /* PR_SCHED_CORE */, 0x2 /* PR_SCHED_CORE_SHARE_TO */, PID, 0x7 /* PIDTYPE_??? */, 0xADDR) ${EINVAL}`,
      `prctl(0x3e /* PR_SCHED_CORE */, 0x9 /* PR_SCHED_CORE_??? */, PID, 0x2 /* PIDTYPE_PGID */, NULL) ${EINVAL}`,
      // A length with no flag bits is a plain number, not a comment about itself.
      `prctl(0x32 /* PR_SVE_SET_VL */, 0xf) ${EINVAL}`,
      `prctl(0x32 /* PR_SVE_SET_VL */, 0x60040 /* PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0x40 */) ${EINVAL}`,
      `prctl(0x3f /* PR_SME_SET_VL */, 0x20010 /* PR_SME_VL_INHERIT|0x10 */) ${EINVAL}`,
      `prctl(0x37 /* PR_SET_TAGGED_ADDR_CTRL */, 0 /* !PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE */, 0x1, 0x2, 0x3) ${EINVAL}`,
    ];
    assert.deepEqual(linesFrom(verboseLines, verboseExpected), verboseExpected);
  });

  it('names the bits of a returned value in a note, and nothing under -X raw', async () => {
    const value = 0x60101;
    const r = await tracePlain(['-e', 'trace=prctl', '-e', `inject=prctl:retval=${value}`], [prog, 'notes']);
    assert.equal(r.status, 0, r.stderr);
    const expected = [
      'prctl(PR_GET_SECUREBITS) = 0x60101 (SECBIT_NOROOT|0x60100) (INJECTED)',
      'prctl(PR_GET_FP_MODE) = 0x60101 (PR_FP_MODE_FR|0x60100) (INJECTED)',
      'prctl(PR_SVE_GET_VL) = 0x60101 (PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0x101) (INJECTED)',
      'prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0) = 0x60101 (PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE|0xc020<<PR_MTE_TAG_SHIFT) (INJECTED)',
      'prctl(PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0) = 0x60101 (PR_PAC_APIAKEY|0x60100) (INJECTED)',
      'prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = 0x60101 (PR_SPEC_PRCTL|0x60100) (INJECTED)',
    ];
    assert.deepEqual(linesFrom(normalizeLines(r.lines), expected), expected);

    // Nothing known in the value: no note. Zero for the speculation control has a name of its own.
    const plain = await tracePlain(['-e', 'trace=prctl', '-e', 'inject=prctl:retval=0x100'], [prog, 'notes']);
    assert.ok(normalizeLines(plain.lines).includes('prctl(PR_GET_SECUREBITS) = 0x100 (INJECTED)'), plain.lines.join('\n'));
    const zero = await tracePlain(['-e', 'trace=prctl', '-e', 'inject=prctl:retval=0'], [prog, 'notes']);
    assert.ok(
      normalizeLines(zero.lines).includes('prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = 0 (PR_SPEC_NOT_AFFECTED) (INJECTED)'),
      zero.lines.join('\n'),
    );
    const raw = await tracePlain(['-X', 'raw', '-e', 'trace=prctl', '-e', `inject=prctl:retval=${value}`], [prog, 'notes']);
    const rawLines = normalizeLines(raw.lines);
    assert.ok(rawLines.includes('prctl(0x1b) = 0x60101 (INJECTED)'), raw.lines.join('\n'));
    assert.ok(rawLines.includes('prctl(0x38, 0, 0, 0, 0) = 0x60101 (INJECTED)'), raw.lines.join('\n'));
  });

  it('explains XSAVE masks and component numbers in every style but raw, composites before their parts', async () => {
    // The startup's own arch_prctl calls (ld.so sets the thread pointer) come before the marker:
    // the injection starts after them, so only the fixture's calls are faked.
    const first = await tracePlain(['-e', 'trace=arch_prctl'], [prog, 'arch']);
    assert.equal(first.status, 0, first.stderr);
    const marker = first.lines.findIndex((l) => l.startsWith('arch_prctl(ARCH_GET_CPUID)'));
    assert.ok(marker >= 0, first.lines.join('\n'));
    const inject = ['-e', 'trace=arch_prctl', '-e', `inject=arch_prctl:retval=0:when=${marker + 2}+`];
    const r = await tracePlain(inject, [prog, 'arch']);
    assert.equal(r.status, 0, r.stderr);
    const expected = [
      'arch_prctl(ARCH_GET_XCOMP_SUPP, [0xe7 /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_AVX512 */]) = 0 (INJECTED)',
      // strace 6.1's table decides what is named: the CET bits (11, 12), newer, stay in the hex rest.
      'arch_prctl(ARCH_GET_XCOMP_PERM, [0xbadfaced /* XFEATURE_MASK_FP|XFEATURE_MASK_YMM|XFEATURE_MASK_BNDREGS' +
        '|XFEATURE_MASK_AVX512|XFEATURE_MASK_PASID|XFEATURE_MASK_LBR|XFEATURE_MASK_XTILE' +
        '|0xbad92800 */]) = 0 (INJECTED)',
      'arch_prctl(ARCH_REQ_XCOMP_PERM, 0x12 /* XFEATURE_XTILE_DATA */) = 0 (INJECTED)',
      'arch_prctl(ARCH_REQ_XCOMP_PERM, 0x13 /* XFEATURE_??? */) = 0 (INJECTED)',
      'arch_prctl(ARCH_REQ_XCOMP_PERM, 0xb /* XFEATURE_??? */) = 0 (INJECTED)',
    ];
    assert.deepEqual(linesFrom(normalizeLines(r.lines), expected), expected);
    const raw = await tracePlain(['-X', 'raw', ...inject], [prog, 'arch']);
    const rawExpected = ['arch_prctl(0x1021, [0xe7]) = 0 (INJECTED)', 'arch_prctl(0x1022, [0xbadfaced]) = 0 (INJECTED)', 'arch_prctl(0x1023, 0x12) = 0 (INJECTED)'];
    assert.deepEqual(linesFrom(normalizeLines(raw.lines), rawExpected), rawExpected);
  });
});
