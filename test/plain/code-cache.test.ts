// The command's code cache (src/cli.cts): made by a first run into $XDG_CACHE_HOME/systrace-tui,
// taken by the next, replaced when it is not good, never read when it is not ours alone, and no
// run is harmed by any of it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { repoRoot } from '../helpers/fixtures.js';
import { binPath, cliPath } from '../helpers/plain.js';

const home = mkdtempSync(join(tmpdir(), 'systrace-cache-'));
const xdg = join(home, 'cache');
const dir = join(xdg, 'systrace-tui');
after(() => rmSync(home, { recursive: true, force: true }));

/** `systrace-tui --plain -e trace=exit_group -- /bin/true` with our own cache place: it must trace
 *  as ever, whatever the cache. `argv` runs it otherwise (another command line, the launcher). */
function trace(env: NodeJS.ProcessEnv = { XDG_CACHE_HOME: xdg }, argv = [process.execPath, cliPath, '--plain']): void {
  const { HOME: _home, XDG_CACHE_HOME: _xdg, ...rest } = process.env;
  const r = spawnSync(argv[0], [...argv.slice(1), '-e', 'trace=exit_group', '--', '/bin/true'], {
    env: { ...rest, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'exit_group(0)                           = ?\n+++ exited with 0 +++\n');
}

const caches = (): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('plain-')) : []);
const bundled = existsSync(join(repoRoot, 'dist', 'bundle', 'systrace-tui.js'));

describe('code cache', { skip: !bundled && 'no bundle (esbuild not installed)' }, () => {
  it('a first run makes it (0600, in a directory of 0700), the next takes it as it is', () => {
    trace();
    const [file] = caches();
    assert.ok(file, 'no cache made');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const st = statSync(join(dir, file));
    assert.equal(st.mode & 0o777, 0o600);
    trace();
    const again = statSync(join(dir, file));
    assert.deepEqual(caches(), [file]);
    assert.equal(again.mtimeMs, st.mtimeMs, 'a cache V8 took was written again');
  });

  it('a cache that is not good is replaced, and the run is unharmed', () => {
    const [file] = caches();
    writeFileSync(join(dir, file), Buffer.alloc(4096, 0x5a));
    trace();
    assert.notDeepEqual(readFileSync(join(dir, file)), Buffer.alloc(4096, 0x5a));
  });

  it("a cache that is someone else's, or in a directory others may write, is not read", { skip: process.getuid!() !== 0 && 'needs root (chown)' }, () => {
    const [file] = caches();
    chownSync(join(dir, file), 65534, 65534);
    trace();
    assert.equal(statSync(join(dir, file)).uid, 0, 'the foreign cache was kept');
    chmodSync(dir, 0o777);
    rmSync(join(dir, file));
    trace();
    assert.deepEqual(caches(), [], 'a cache was made in a directory others may write');
    chmodSync(dir, 0o700);
  });

  it('--plain first, or a link named strace, runs the program without the TUI; --plain further on, the whole one', () => {
    rmSync(dir, { recursive: true, force: true });
    trace();
    const [withoutTui] = caches();
    assert.ok(withoutTui, 'no cache made');
    const link = join(home, 'strace');
    symlinkSync(binPath, link);
    trace(undefined, [link]);
    assert.deepEqual(caches(), [withoutTui], 'run as strace, another program ran than for --plain first');
    // The same trace: --plain's cache, of the other bundle (each bundle's caches are its own).
    trace(undefined, [process.execPath, cliPath, '-q', '--plain']);
    assert.equal(caches().length, 2, 'with --plain after -q, the same program ran as for --plain first');
    const plainBundle = readFileSync(join(repoRoot, 'dist', 'bundle', 'plain.js'), 'latin1');
    assert.ok(!plainBundle.includes('react-reconciler') && !plainBundle.includes('useInput'), 'the --plain bundle holds the TUI');
  });

  it('without a home to keep one in, the command runs all the same', () => {
    const out = execFileSync(process.execPath, [cliPath, '--version'], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    assert.match(out, /^systrace-tui \d/);
    trace({ HOME: join(home, 'no-such-home') });
    assert.equal(existsSync(join(home, 'no-such-home')), false, 'a missing home was created');
  });
});
