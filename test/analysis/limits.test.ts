// Findings on limits, leaks and slow calls, from real programs: EMFILE with the limit and how many
// are open, a descriptor leak named by where the descriptors come from, ENOMEM against the
// address-space limit, EAGAIN from fork against RLIMIT_NPROC (as a user of the test's own), slow
// calls grouped by what they wait on; and a clean run, which has nothing but expected failures.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';

import { fixturePath, killAll } from '../helpers/fixtures.js';
import { block, findingsAttached, findingsOf, headers, scratchDir } from './run-findings.js';

after(killAll);

/** A uid no process has (RLIMIT_NPROC counts every task of the user, machine-wide). */
function unusedUid(): number {
  const used = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'latin1'));
      if (m) used.add(Number(m[1]));
    } catch {
      // gone
    }
  }
  for (;;) {
    const uid = 61000 + Math.floor(Math.random() * 4000);
    if (!used.has(uid)) return uid;
  }
}

describe('findings: limits', () => {
  test('EMFILE: the open-files limit and how many are open', async () => {
    const r = await findingsAttached('find_limits', ['hold', 'emfile', '40']);
    const b = block(r.report, /hit EMFILE/);
    assert.match(b, /openat hit EMFILE: 40 of 40 descriptors in use \(RLIMIT_NOFILE\)/, r.report);
    assert.match(b, /open files limit \(RLIMIT_NOFILE\): soft 40, hard \d+; open now: \d+.* — the soft limit can be raised to \d+ without privileges/);
    assert.match(b, /\d+ of them come from openat of \/dev\/null/);
  });

  test('a descriptor leak is named by the call and the paths it opens', async () => {
    const s = scratchDir();
    try {
      const r = await findingsOf([fixturePath('find_limits'), 'leak', s.dir, '100']);
      const b = block(r.report, /descriptors leak/);
      assert.match(b, new RegExp(`descriptors leak from openat of ${s.dir.replace(/\d+/g, 'N')}/file-N \\(100 open, 0 closed\\)`), r.report);
      assert.match(b, new RegExp(`100 descriptors from openat of .*file-N are open, 100 opened and 0 closed so far \\(fds 3\\.\\.102\\)`));
      assert.match(b, new RegExp(`e\\.g\\. ${s.dir}/file-0, ${s.dir}/file-1, ${s.dir}/file-2`));
    } finally {
      s.remove();
    }
  });

  test('ENOMEM from mmap: the address-space limit', async () => {
    const r = await findingsAttached('find_limits', ['hold', 'enomem', '64']);
    const b = block(r.report, /mmap of 256 MiB failed with ENOMEM/);
    assert.match(b, /ENOMEM: the address-space limit RLIMIT_AS \(64 MiB\)/, r.report);
    assert.match(b, /address-space limit \(RLIMIT_AS\): 64 MiB; in use \(VmSize\): .*; asked for 256 MiB more/);
  });

  test('EAGAIN from fork: RLIMIT_NPROC of the user, and how many tasks it has', async () => {
    const uid = unusedUid();
    const r = await findingsAttached('find_limits', ['hold', 'nproc', '4'], [], { uid, gid: uid });
    const b = block(r.report, /failed with EAGAIN/);
    assert.match(b, new RegExp(`failed with EAGAIN: RLIMIT_NPROC: uid ${uid} has 4 of 4 tasks`), r.report);
    assert.match(b, new RegExp(`RLIMIT_NPROC \\(max user processes\\): soft 4, hard 4; uid ${uid} has 4 tasks`));
  });
});

describe('findings: slow calls and clean runs', () => {
  test('slow calls are grouped by what they wait on; sleeps the program asked for are expected', async () => {
    const r = await findingsOf([fixturePath('find_limits'), 'slow', '400'], ['-f']);
    const b = block(r.report, /slow call.* reading/);
    assert.match(b, /1 slow call reading \(fd 3: pipe, the pipe's other end, held by pid \d+ find_limits( \(which exited \(status 0\) since\))?\): .* longest /, r.report);
    assert.match(b, /longest: read\(3, "x", 1\) = 1/);
    assert.match(r.report, /expected \(normal, not problems\):[\s\S]*slow call.* sleeping as asked/);
  });

  test('a clean run has no problems and no notes, only expected failures', async () => {
    const r = await findingsOf([fixturePath('find_limits'), 'clean']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(headers(r.report, 'PROBLEM'), [], r.report);
    assert.deepEqual(headers(r.report, 'NOTE'), [], r.report);
    assert.match(r.report, /findings: 0 problems, 0 notes, \d+ expected failures/);
    assert.match(r.report, /ioctl ENOTTY: isatty\(\) or a terminal query on a non-terminal/);
    assert.match(r.report, /read EAGAIN: non-blocking descriptor not ready/);
    assert.match(r.report, /connect EINPROGRESS/);
    assert.match(r.report, /newfstatat ENOENT: existence check/);
  });

  test('what common tools fail at on a clean run is expected: files done without, /dev/tty, socket and descriptor probes, a gone process\'s /proc entry', async () => {
    const s = scratchDir();
    try {
      const r = await findingsOf([fixturePath('find_limits'), 'clean', s.dir], ['-f']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(headers(r.report, 'PROBLEM'), [], r.report);
      assert.deepEqual(headers(r.report, 'NOTE'), [], r.report);
      assert.match(r.report, /\d expected failures: files looked for and not found by a program that went on and exited 0\n/, r.report);
      // the title is the finding's own: what the path walk found, when it answered before the exit
      assert.match(r.report, /\n {6}1 × openat \S+\/\.toolrc: (no such file or directory|\S+\/\.toolrc does not exist)\n/);
      assert.match(r.report, /\n {6}1 × libtoolplugin\.so not found in any of 2 directories \(its search path\)\n/);
      assert.match(r.report, /openat ENXIO: open\("\/dev\/tty"\) without a controlling terminal/);
      assert.match(r.report, /getpeername ENOTSOCK: is this descriptor a socket\?/);
      assert.match(r.report, /4 × fcntl EBADF: fcntl\(fd, F_SETFD, FD_CLOEXEC\) over descriptors that may not be open/);
      assert.match(r.report, /a process's \/proc entry: the process exited meanwhile/);
    } finally {
      s.remove();
    }
  });

  test('the same run ending in an error keeps the file it did without as a problem, and its exit names it', async () => {
    const s = scratchDir();
    try {
      const r = await findingsOf([fixturePath('find_limits'), 'clean', s.dir, 'fail'], ['-f']);
      assert.equal(r.status, 1, r.stderr);
      const problems = headers(r.report, 'PROBLEM').map((h) => h.slice('PROBLEM: '.length));
      assert.ok(problems.some((h) => new RegExp(`^openat ${s.dir}/\\.toolrc: ${s.dir}/\\.toolrc does not exist`).test(h)), r.report);
      assert.ok(problems.some((h) => /^libtoolplugin\.so not found in any of 2 directories/.test(h)), r.report);
      assert.ok(problems.some((h) => /find_limits exited with status 1 .*: "find_limits: no usable config/.test(h)), r.report);
    } finally {
      s.remove();
    }
  });
});
