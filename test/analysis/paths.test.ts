// Findings on paths, from real programs: the component that refuses access and why (as another
// user through setpriv, and as root against attributes, mounts and seccomp), the first missing
// component, another root or mount namespace, a library search that finds nothing, a script
// whose interpreter is missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';

import { fixturePath, killAll } from '../helpers/fixtures.js';
import { block, findingsAttached, findingsOf, headers, scratchDir } from './run-findings.js';

const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

after(killAll);

describe('findings: permission denied', () => {
  test('EACCES on a directory without search permission names it, for the uid the process runs as', async () => {
    const s = scratchDir();
    try {
      mkdirSync(`${s.dir}/locked`, { mode: 0o700 });
      writeFileSync(`${s.dir}/locked/secret`, 'x', { mode: 0o644 });
      const r = await findingsOf([...NOBODY, fixturePath('find_paths'), 'read', `${s.dir}/locked/secret`]);
      const b = block(r.report, /openat .*locked\/secret/);
      assert.match(b, new RegExp(`${s.dir}/locked denies search \\(EACCES\\)`), r.report);
      assert.match(b, /\(drwx------ root:root\) denies search \(x\): neither the owner \(root\) nor in the group \(root\); others have ---/);
      assert.match(b, /runs as uid 65534 \(nobody\), gid 65534/);
      assert.match(b, /next: +namei -l /);
    } finally {
      s.remove();
    }
  });

  test('EACCES on the file itself names its mode for that user', async () => {
    const s = scratchDir();
    try {
      writeFileSync(`${s.dir}/private`, 'x', { mode: 0o600 });
      const r = await findingsOf([...NOBODY, fixturePath('find_paths'), 'read', `${s.dir}/private`]);
      assert.match(block(r.report, /private/), /\(-rw------- root:root\) denies read \(r\): neither the owner \(root\) nor in the group \(root\); others have ---/, r.report);
    } finally {
      s.remove();
    }
  });

  test('an ACL entry that denies the user is named, though the mode bits would allow it', async () => {
    const s = scratchDir();
    try {
      const dir = `${s.dir}/acl`;
      mkdirSync(dir, { mode: 0o755 });
      writeFileSync(`${dir}/f`, 'x', { mode: 0o644 });
      // user::rwx user:nobody:--- group::r-x mask::r-x other::r-x, as setfacl would write it
      const entries = [[1, 7, 0xffffffff], [2, 0, 65534], [4, 5, 0xffffffff], [0x10, 5, 0xffffffff], [0x20, 5, 0xffffffff]];
      const acl = Buffer.alloc(4 + 8 * entries.length);
      acl.writeUInt32LE(2, 0);
      entries.forEach(([tag, perm, id], i) => {
        acl.writeUInt16LE(tag, 4 + i * 8);
        acl.writeUInt16LE(perm, 6 + i * 8);
        acl.writeUInt32LE(id, 8 + i * 8);
      });
      execFileSync('python3', ['-c', 'import os,sys; os.setxattr(sys.argv[1], "system.posix_acl_access", bytes.fromhex(sys.argv[2]))', dir, acl.toString('hex')]);
      const r = await findingsOf([...NOBODY, fixturePath('find_paths'), 'read', `${dir}/f`]);
      const b = block(r.report, /acl\/f/);
      assert.match(b, /acl \(drwxr-xr-x root:root \+ACL\) denies search \(x\): the ACL entry user:nobody gives ---/, r.report);
    } finally {
      s.remove();
    }
  });

  test('EPERM from a sticky directory: only the owner may remove', async () => {
    const s = scratchDir();
    try {
      mkdirSync(`${s.dir}/sticky`);
      chmodSync(`${s.dir}/sticky`, 0o1777);
      writeFileSync(`${s.dir}/sticky/roots`, 'x', { mode: 0o666 });
      const r = await findingsOf([...NOBODY, fixturePath('find_paths'), 'unlink', `${s.dir}/sticky/roots`]);
      const b = block(r.report, /unlink .*roots/);
      assert.match(b, /sticky is sticky \(EPERM\)/, r.report);
      assert.match(b, /only the owner of .*roots \(root\) or of the directory may remove or rename it/);
    } finally {
      s.remove();
    }
  });

  test('EPERM on chmod of another user\'s file: not the owner, no CAP_FOWNER', async () => {
    const s = scratchDir();
    try {
      writeFileSync(`${s.dir}/theirs`, 'x', { mode: 0o644 });
      const r = await findingsOf([...NOBODY, fixturePath('find_paths'), 'chmod', `${s.dir}/theirs`]);
      assert.match(block(r.report, /chmod .*theirs/), /belongs to root, not to nobody, and the process lacks CAP_FOWNER/, r.report);
    } finally {
      s.remove();
    }
  });

  test('EPERM from a privileged call names the capability it lacks', async () => {
    const r = await findingsOf([...NOBODY, fixturePath('find_paths'), 'unshare']);
    const b = block(r.report, /unshare: operation not permitted/);
    assert.match(b, /new namespaces needs CAP_SYS_ADMIN/, r.report);
    assert.match(b, /the process lacks CAP_SYS_ADMIN \(CapEff 0000000000000000, uid 65534\)/);
  });

  test('EPERM on an immutable file (as root)', async () => {
    const s = scratchDir();
    const file = `${s.dir}/frozen`;
    writeFileSync(file, 'x');
    execFileSync('chattr', ['+i', file]);
    try {
      const r = await findingsOf([fixturePath('find_paths'), 'write', file]);
      const b = block(r.report, /frozen/);
      assert.match(b, /frozen is immutable \(EPERM\)/, r.report);
      assert.match(b, /is immutable \(chattr \+i\)/);
    } finally {
      execFileSync('chattr', ['-i', file]);
      s.remove();
    }
  });

  test('EACCES where every component allows it: seccomp (or an LSM) refused', async () => {
    const s = scratchDir();
    try {
      writeFileSync(`${s.dir}/open`, 'x', { mode: 0o644 });
      const r = await findingsOf([fixturePath('find_paths'), 'seccomp-eacces', 'read', `${s.dir}/open`]);
      const b = block(r.report, /open: permission denied, though every component allows it/);
      assert.match(b, /every component allows it by mode bits, ACLs and attributes: look at LSM policy \(AppArmor\/SELinux\) or capabilities/, r.report);
      assert.match(b, /a seccomp filter is installed \(Seccomp: 2\)/);
    } finally {
      s.remove();
    }
  });

  test('EROFS: the read-only mount, as the process sees it (attached, in its own mount namespace)', async () => {
    const s = scratchDir();
    try {
      mkdirSync(`${s.dir}/ro`);
      const r = await findingsAttached('find_paths', ['newns', 'ro', `${s.dir}/ro`, 'hold', 'create', `${s.dir}/ro/new`]);
      const b = block(r.report, /ro\/new/);
      assert.match(b, new RegExp(`read-only mount ${s.dir}/ro`), r.report);
      assert.match(b, new RegExp(`is on a read-only mount: ${s.dir}/ro \\(\\S+ \\S+, ro`));
      assert.match(b, /runs in another mount namespace \(mnt:\[\d+\]\)/);
    } finally {
      s.remove();
    }
  });

  test('EACCES from execve on a noexec mount', async () => {
    const s = scratchDir();
    try {
      mkdirSync(`${s.dir}/nx`);
      execFileSync('cp', [fixturePath('find_paths'), `${s.dir}/nx/prog`]);
      const r = await findingsAttached('find_paths', ['newns', 'noexec', `${s.dir}/nx`, 'hold', 'exec', `${s.dir}/nx/prog`]);
      assert.match(block(r.report, /execve .*nx\/prog/), /is on a noexec mount: .*noexec/, r.report);
    } finally {
      s.remove();
    }
  });
});

describe('findings: missing files', () => {
  test('ENOENT names the first missing component', async () => {
    const s = scratchDir();
    try {
      mkdirSync(`${s.dir}/etc`);
      const r = await findingsOf([fixturePath('find_paths'), 'read', `${s.dir}/etc/myapp/app.conf`]);
      const b = block(r.report, /app\.conf/);
      assert.match(b, new RegExp(`${s.dir}/etc/myapp does not exist \\(${s.dir}/etc does\\)`), r.report);
      // and the exit that follows says why
      const exit = block(r.report, /find_paths exited with status 1/);
      assert.match(exit, /its last failed lookup: openat\(AT_FDCWD, ".*app\.conf", O_RDONLY\) = -1 ENOENT/);
      assert.match(exit, /it wrote to stderr: "find_paths: read /);
    } finally {
      s.remove();
    }
  });

  test('ENOENT in another mount namespace: the file exists on the host, not where the process looks', async () => {
    const s = scratchDir();
    try {
      mkdirSync(`${s.dir}/data`);
      writeFileSync(`${s.dir}/data/file`, 'x');
      const r = await findingsAttached('find_paths', ['newns', 'tmpfs', `${s.dir}/data`, 'hold', 'read', `${s.dir}/data/file`]);
      const b = block(r.report, /data\/file/);
      assert.match(b, new RegExp(`${s.dir}/data/file does not exist \\(${s.dir}/data does\\)`), r.report);
      assert.match(b, /runs in another mount namespace \(mnt:\[\d+\]\)/);
      assert.match(b, /does exist in systrace-tui's own view: the process looks in another root or mount namespace/);
    } finally {
      s.remove();
    }
  });

  test('ENOENT under another root (chroot)', async () => {
    const s = scratchDir();
    try {
      mkdirSync(`${s.dir}/jail`);
      const r = await findingsAttached('find_paths', ['chroot', `${s.dir}/jail`, 'hold', 'read', '/etc/hostname']);
      const b = block(r.report, /\/etc\/hostname/);
      assert.match(b, /\/etc does not exist \(\/ does\)/, r.report);
      assert.match(b, new RegExp(`runs with another root: ${s.dir}/jail`));
      assert.match(b, /\/etc\/hostname does exist in systrace-tui's own view/);
    } finally {
      s.remove();
    }
  });

  test('a library search that finds nothing is one finding, naming the directories searched', async () => {
    const s = scratchDir();
    try {
      writeFileSync(`${s.dir}/l.c`, 'int findlib_f(void) { return 0; }\n');
      writeFileSync(`${s.dir}/m.c`, 'int findlib_f(void);\nint main(void) { return findlib_f(); }\n');
      execFileSync('gcc', ['-shared', '-fPIC', '-o', `${s.dir}/libfindlib.so`, `${s.dir}/l.c`]);
      execFileSync('gcc', ['-o', `${s.dir}/prog`, `${s.dir}/m.c`, `-L${s.dir}`, '-lfindlib']);
      execFileSync('rm', [`${s.dir}/libfindlib.so`]);
      mkdirSync(`${s.dir}/a`);
      const r = await findingsOf([`${s.dir}/prog`], [], { LD_LIBRARY_PATH: `${s.dir}/a:${s.dir}/b` });
      const search = headers(r.report, 'PROBLEM').filter((h) => h.includes('libfindlib.so not found'));
      assert.equal(search.length, 1, r.report);
      assert.match(search[0], /libfindlib\.so not found in any of \d+ directories/);
      assert.match(block(r.report, /libfindlib\.so not found/), new RegExp(`searched, in order: ${s.dir}/a, ${s.dir}/b, `));
      assert.match(block(r.report, /prog exited with status 127/), /error while loading shared libra/);
      // the libraries it did find after misses are expected, not problems
      assert.match(r.report, /expected \(normal, not problems\):/);
    } finally {
      s.remove();
    }
  });

  test('a process that exits at once: its failed execve and its exit status', async () => {
    const r = await findingsOf([fixturePath('find_paths'), 'exec', '/nonexistent-find/prog']);
    const b = block(r.report, /find_paths exited with status 127/);
    assert.match(b, /its last failed execve: execve\("\/nonexistent-find\/prog", \["\/nonexistent-find\/prog"\], .*\) = -1 ENOENT/, r.report);
    assert.match(b, /exited with status 127, .* after exec of .*find_paths/);
    assert.match(block(r.report, /execve \/nonexistent-find\/prog/), /\/nonexistent-find does not exist \(\/ does\)/);
  });

  test('execve of a script whose interpreter is missing says so', async () => {
    const s = scratchDir();
    try {
      writeFileSync(`${s.dir}/script`, '#!/nonexistent/interp\necho hi\n', { mode: 0o755 });
      const r = await findingsOf([fixturePath('find_paths'), 'exec', `${s.dir}/script`]);
      const b = block(r.report, /execve .*script/);
      assert.match(b, /the script's interpreter \/nonexistent\/interp does not exist/, r.report);
      assert.match(b, /"#!\/nonexistent\/interp"/);
    } finally {
      s.remove();
    }
  });
});
