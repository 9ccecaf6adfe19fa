// End to end, at the three terminal sizes we support: what the TUI traces and writes besides the
// screen. Two -p (and a comma list) trace both processes; -o FILE gets the strace text of both, as
// strace -f writes it, and -ff -o PREFIX one file per thread, all created mode 0600; a launched
// command's exit status (or the signal it died of) is ours, as strace's is.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';
import { CLI, E2E_SIZES, e2eSkipReason, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason();

/** Two processes of one busy named worker each, ready to be attached to: their pids and the workers' tids. */
async function twoWorkers(): Promise<{ pids: [number, number]; workers: number[] }> {
  const a = spawnFixture('named_threads', ['1']);
  const b = spawnFixture('named_threads', ['1']);
  await Promise.all([a.ready, b.ready]);
  const pids: [number, number] = [Number(a.info.pid), Number(b.info.pid)];
  const workers = pids.map((p) => Number(readdirSync(`/proc/${p}/task`).find((t) => Number(t) !== p)));
  return { pids, workers };
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('e2e: targets and outputs (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'e2e-targets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const s of screens.splice(0)) s.kill();
    await killAll();
  });

  for (const [w, h] of E2E_SIZES) {
    it(`${w}x${h}: two -p trace both processes; -o FILE gets both, mode 0600`, async () => {
      const {
        pids: [a, b],
        workers,
      } = await twoWorkers();
      const out = join(dir, `two-${w}.txt`);
      const t = new TmuxScreen(`node ${CLI} -p ${a} -p ${b} -o ${out}`, { width: w, height: h });
      screens.push(t);
      // Both named in the title (as far as the width shows), both counted, both threads' calls on screen.
      const s = await t.waitFor((x) => /2 proc 4 thr/.test(x) && x.includes('worker-00'), 30000);
      // (At 80 columns the title is cut before the second name ends; pids have up to 7 digits.)
      assert.match(s.split('\n')[0], new RegExp(`named_threads \\(pid ${a}\\), named_`));
      // The file, as it is traced: lines of both processes, each after its pid as strace -f writes them
      // (padded to five columns).
      const text = await waitFor(() => {
        const x = readFileSync(out, 'utf8');
        return workers.every((tid) => new RegExp(`^${tid} +(clock_nanosleep|getppid)\\(`, 'm').test(x)) ? x : undefined;
      }, 'calls of both workers in the -o file', 30000);
      assert.match(text, /^\d+ +getppid\(\)\s+= \d+$/m); // the pid as strace -f pads it (%-5d)
      assert.equal(mode(out), 0o600);
      t.keys('q');
      await t.waitExit();
    });

    it(`${w}x${h}: -p A,B -ff -o PREFIX: one file per thread of both, mode 0600`, async () => {
      const {
        pids: [a, b],
        workers,
      } = await twoWorkers();
      const sub = mkdtempSync(join(dir, `ff-${w}-`));
      const prefix = join(sub, 'trace');
      const t = new TmuxScreen(`node ${CLI} -p ${a},${b} -ff -o ${prefix}`, { width: w, height: h });
      screens.push(t);
      await t.waitFor(/2 proc 4 thr/, 30000);
      // Each worker thread's file holds its calls, without a pid before them (the name says whose).
      for (const tid of workers) {
        const file = `${prefix}.${tid}`;
        await waitFor(() => (/^getppid\(\)\s+= \d+$/m.test(readFileSync(file, { encoding: 'utf8', flag: 'a+' })) ? true : undefined), `calls in ${file}`, 30000);
      }
      const files = readdirSync(sub);
      assert.ok(files.includes(`trace.${a}`) && files.includes(`trace.${b}`), files.join(' '));
      for (const f of files) assert.equal(mode(join(sub, f)), 0o600, f);
      assert.ok(!files.includes('trace'), 'no combined file beside the per-thread ones');
      t.keys('q');
      await t.waitExit();
    });

    it(`${w}x${h}: a launched command's exit status is ours, and so is the signal it died of; its output is kept if it wrote any`, async () => {
      // Under a shell, as a user runs it, printing the status it gets from us. The commands' output
      // logs go to a directory of the test's own (TMPDIR).
      const dir = mkdtempSync(join(tmpdir(), 'systrace-logs-'));
      try {
        const run = `TMPDIR=${dir} node ${CLI}`;
        const t = new TmuxScreen(`sh -c "${run} -- sh -c 'sleep 0.5; exit 7'; echo rc=\\$?; ${run} -- sh -c 'echo said-so; sleep 0.5; kill -TERM \\$\\$'; echo rc=\\$?; sleep 60"`, { width: w, height: h });
        screens.push(t);
        await t.waitFor('trace over', 30000);
        t.keys('q');
        // A command that wrote nothing leaves no empty log behind.
        await t.waitFor(/the traced command wrote no output\nrc=7$/m, 30000);
        assert.deepEqual(readdirSync(dir), []);
        await t.waitFor((x) => x.includes('trace over') && !x.includes('rc=7'), 30000);
        t.keys('q');
        // 128 + SIGTERM, as a shell reports a death by SIGTERM.
        const s = await t.waitFor(/^rc=143$/m, 30000);
        assert.match(s, /the traced command's output is in /);
        const logs = readdirSync(dir);
        assert.equal(logs.length, 1, logs.join(' '));
        assert.equal(readFileSync(join(dir, logs[0]), 'utf8'), 'said-so\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
