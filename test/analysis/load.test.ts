// Findings on a strace log (--plain --load FILE --findings): the same analysis from the log's
// calls alone, the evidence that needs the live process marked as not checked, and said so.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { cliPath } from '../helpers/plain.js';
import { block } from './run-findings.js';

function loadFindings(log: string, options: string[] = []): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, '--plain', '--load', log, '--findings', '-o', '/dev/null', ...options], { timeout: 60_000 }, (err, _out, stderr) => {
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe('findings on a loaded strace log', () => {
  test('the log of a failing run: its findings, with what could not be checked said so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'systrace-findlog-'));
    try {
      const log = join(dir, 'trace.log');
      const missing = join(dir, 'conf.d', 'app.conf');
      const script = `${fixturePath('find_paths')} read ${missing}; ${fixturePath('find_net')} epipe; exit 3`;
      try {
        execFileSync('strace', ['-f', '-o', log, 'sh', '-c', script], { stdio: 'ignore' });
      } catch {
        // the command fails on purpose
      }
      const r = await loadFindings(log);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /\(evidence from the trace alone: a loaded log: nothing could be checked on a live system/);
      const enoent = block(r.stderr, new RegExp(`openat ${missing}: no such file or directory`));
      assert.match(enoent, /which component is missing: not checked \(a loaded log/, r.stderr);
      const exit = block(r.stderr, /find_paths exited with status 1/);
      assert.match(exit, new RegExp(`its last failed lookup: openat\\(AT_FDCWD, "${missing}", O_RDONLY\\) = -1 ENOENT`));
      assert.match(exit, /it wrote to stderr: "find_paths: read /);
      const epipe = block(r.stderr, /write on fd 3 failed with EPIPE/);
      assert.match(epipe, /the peer: the socketpair's other end, last held by pid \d+ find_net, which closed it/);
      assert.match(r.stderr, /PROBLEM: pid \d+ find_net killed by SIGPIPE/);
      assert.match(r.stderr, /PROBLEM: pid \d+ dash exited with status 3|PROBLEM: pid \d+ sh exited with status 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
