// Processes placed where containers and services put them, for real: in pid, mount and network
// namespaces of their own (unshare(1)), and in a cgroup of our own naming (a directory of the
// cgroup file system with a random part, removed at the end). Each helper says why it cannot run
// here instead of pretending.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { cgroupRoot } from '../../src/engine/proc/cgroup.js';
import { waitFor } from './fixtures.js';

/** Why processes cannot get namespaces of their own here ('' when they can). */
export function unshareSkipReason(): string {
  const r = spawnSync('unshare', ['--fork', '--pid', '--mount-proc', '--mount', '--net', 'true'], { stdio: 'ignore' });
  return r.status === 0 ? '' : 'unshare(1) cannot make pid, mount and network namespaces here (not root?)';
}

/** The pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

export interface Unshared {
  /** unshare itself, in our namespaces (but its own mount namespace when asked for one) */
  outer: ChildProcess;
  /** the shell unshare forked: pid 1 of its pid namespace, as our pid namespace numbers it */
  inner: number;
  stop(): void;
}

/**
 * `unshare --fork FLAGS sh -c 'sleep 1000; : TAG'`: a shell (whose command line holds TAG) in
 * the namespaces FLAGS make; resolves once it runs.
 */
export async function startUnshared(flags: string[], tag: string): Promise<Unshared> {
  const outer = spawn('unshare', ['--fork', ...flags, 'sh', '-c', `sleep 1000; : ${tag}`], { detached: true, stdio: 'ignore' });
  const stop = () => {
    try {
      process.kill(-outer.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  try {
    const inner = await waitFor(() => {
      const kid = childrenOf(outer.pid!)[0];
      // until it execs, the child is a copy of unshare
      return kid && readFileSync(`/proc/${kid}/cmdline`, 'latin1').includes(tag) ? kid : undefined;
    }, `the shell unshare ${flags.join(' ')} starts`);
    return { outer, inner, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

export interface OwnCgroup {
  /** as /proc/PID/cgroup writes it: `/systrace-test-ab12cd/app.service` */
  path: string;
  /** the directory in the cgroup file system */
  dir: string;
  /** a cgroup below this one, made now */
  child(name: string): OwnCgroup;
  /** moves pid into this cgroup */
  add(pid: number): void;
  /** removes the cgroups made (deepest first), once their processes have gone */
  remove(): Promise<void>;
}

/** Why a cgroup cannot be made here ('' when one can). */
export function cgroupSkipReason(): string {
  const root = cgroupRoot();
  if (!root) return 'no cgroup2 or name=systemd hierarchy is mounted';
  const probe = `${root}/systrace-probe-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return '';
  } catch (err) {
    return `cannot make a cgroup under ${root}: ${(err as NodeJS.ErrnoException).code}`;
  }
}

/** A cgroup of our own naming, `NAME-RANDOM` at the top of the hierarchy cgroupPathOf reads. */
export function makeCgroup(name: string): OwnCgroup {
  const root = cgroupRoot()!;
  const made: string[] = [];
  const make = (path: string): OwnCgroup => {
    const dir = root + path;
    mkdirSync(dir);
    made.push(dir);
    return {
      path,
      dir,
      child: (n) => make(`${path}/${n}`),
      add: (pid) => writeFileSync(`${dir}/cgroup.procs`, String(pid)),
      remove: async () => {
        for (const d of made.splice(0).reverse()) {
          // A killed process leaves its cgroup once it is reaped: retry until then.
          await waitFor(() => {
            try {
              rmdirSync(d);
              return true;
            } catch (err) {
              return (err as NodeJS.ErrnoException).code === 'ENOENT' ? true : undefined;
            }
          }, `rmdir ${d}`);
        }
      },
    };
  };
  return make(`/${name}-${randomBytes(3).toString('hex')}`);
}
