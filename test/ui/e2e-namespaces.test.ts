// End to end: a process in mount and network namespaces of its own (unshare --mount --net, lo up
// there), traced with -yy. The meters say where it runs; its sockets are named as its network
// namespace has them; a row's details say which namespaces are its own and where its paths are
// from here (through /proc/PID/root).
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { killAll, spawnFixture } from '../helpers/fixtures.js';
import { unshareSkipReason } from '../helpers/namespaces.js';
import { CLI, e2eSkipReason, TmuxScreen } from './tmux.js';

const skip = e2eSkipReason() || unshareSkipReason();

describe('e2e: a process in namespaces of its own (tmux)', { skip: skip || false }, () => {
  const screens: TmuxScreen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.kill();
  });
  after(() => killAll());

  for (const [w, h] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`${w}x${h}: the meters name its namespaces, -yy its sockets there, the details its paths from here`, async () => {
      // A fixed port: the namespace is the fixture's own.
      const f = spawnFixture('ns_loop', ['4242'], 15000, { prefix: ['unshare', '--mount', '--net', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'] });
      await f.ready;
      const t = new TmuxScreen(`node ${CLI} -yy -e trace=openat,getsockname -p ${f.pid}`, { width: w, height: h });
      screens.push(t);
      await t.waitFor(new RegExp(`${f.pid} ns_loop +\\(ns mnt net\\) `));
      // The listener, as sock_diag names it in the fixture's network namespace.
      await t.waitFor(`getsockname(${f.info.listen}<TCP:[127.0.0.1:4242]>`);
      // Only the open of /etc/hostname, then its details.
      t.keys('&');
      t.type('hostname');
      t.keys('Enter');
      await t.waitFor('filter: /hostname/');
      t.keys('Enter');
      let s = await t.waitFor('row details');
      assert.match(s, /^runs in  its own mount and network namespaces/m);
      // (Wrapped at 80 columns: the page's text, unwrapped.)
      const text = (x: string) => x.split('\n').map((l) => l.trimEnd()).join('');
      assert.ok(text(s).includes(`/etc/hostname  =  /proc/${f.pid}/root/etc/hostname`), s);
      t.keys('Escape');
      await t.waitFor((x) => !x.includes('row details'));
      // A socket row: named in its network namespace.
      t.keys('&');
      t.keys('C-u');
      t.type('4242');
      t.keys('Enter');
      await t.waitFor('filter: /4242/');
      t.keys('Enter');
      s = await t.waitFor('row details');
      assert.match(s, /^sockets {2}as its own network namespace has them/m);
      t.keys('Escape');
      await t.waitFor((x) => !x.includes('row details'));
      t.keys('q');
      await t.waitExit();
    });
  }
});
