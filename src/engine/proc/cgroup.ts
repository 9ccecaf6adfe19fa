// What a process runs in: its control group, read as the systemd unit or the container it names
// (`nginx.service`, `docker:3f2a1b4c5d6e`, `pod:0f1e2d3c`), and the processes of a control group
// (what `-p UNIT.service` attaches to). From /proc/PID/cgroup and the cgroup file systems only.
//
// The path comes from the unified hierarchy (`0::/system.slice/nginx.service`) when the process
// has a place there, else from systemd's named v1 hierarchy (`1:name=systemd:/...`), where
// systemd and the container runtimes (Docker's cgroupfs driver included) put it on a v1 host. The
// v1 controllers' own paths are left out: they say how resources are shared, not what runs.

import { readdirSync } from 'node:fs';
import { readProcText } from './task.js';

/** The process's cgroup path from the text of /proc/PID/cgroup; '' when it sits at the root. */
export function cgroupPathOf(text: string): string {
  let named = '';
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const path = line.slice(b + 1);
    if (path === '/' || path === '') continue;
    const controllers = line.slice(a + 1, b);
    if (line.slice(0, a) === '0' && controllers === '') return path;
    if (controllers === 'name=systemd') named = path;
  }
  return named;
}

export interface CgroupOwner {
  /** What the picker shows: `nginx.service`, `docker:3f2a1b4c5d6e`, `pod:0f1e2d3c/3f2a1b4c5d6e`. */
  label: string;
  kind: 'unit' | 'container' | 'pod' | 'cgroup' | 'none';
  /** The full container id or pod uid, when there is one. */
  id: string;
}

const SHORT_ID = 12; // as `docker ps` shows ids
const HEX_ID = /^[0-9a-f]{64}$/;

// Container runtimes' scope units (systemd cgroup driver) and directories (cgroupfs driver).
const RUNTIME_SCOPES: [RegExp, string][] = [
  [/^docker-([0-9a-f]{64})\.scope$/, 'docker'],
  [/^libpod-(?:conmon-)?([0-9a-f]{64})\.scope$/, 'podman'],
  [/^cri-containerd-([0-9a-f]{64})\.scope$/, 'containerd'],
  [/^crio-(?:conmon-)?([0-9a-f]{64})\.scope$/, 'cri-o'],
];
const RUNTIME_DIRS = new Map([
  ['docker', 'docker'],
  ['libpod_parent', 'podman'],
  ['containerd', 'containerd'],
]);
// Kubernetes: `kubepods-burstable-pod0f1e2d3c_4b5a_....slice` (systemd driver, '_' for '-') or
// `pod0f1e2d3c-4b5a-...` (cgroupfs driver).
const POD = /^(?:kubepods(?:-[a-z]+)*-)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?$/;
// systemd unit types that hold processes.
const UNIT = /\.(service|scope)$/;

/** The unit or container a cgroup path names. */
export function cgroupOwner(path: string): CgroupOwner {
  if (!path) return { label: '', kind: 'none', id: '' };
  const parts = path.split('/').filter(Boolean);
  let pod = '';
  let container = '';
  let runtime = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const podMatch = POD.exec(p);
    if (podMatch) {
      pod = podMatch[1].replace(/_/g, '-');
      continue;
    }
    for (const [re, name] of RUNTIME_SCOPES) {
      const m = re.exec(p);
      if (m) (container = m[1]), (runtime = name);
    }
    if (HEX_ID.test(p)) {
      container = p;
      runtime ||= RUNTIME_DIRS.get(parts[i - 1] ?? '') ?? (pod ? 'k8s' : 'container');
    }
  }
  if (pod) return { label: `pod:${pod.slice(0, 8)}${container ? `/${container.slice(0, SHORT_ID)}` : ''}`, kind: 'pod', id: pod };
  if (container) return { label: `${runtime}:${container.slice(0, SHORT_ID)}`, kind: 'container', id: container };
  // The innermost unit: `user@1000.service/app.slice/foo.service` is foo.service.
  for (let i = parts.length - 1; i >= 0; i--) if (UNIT.test(parts[i])) return { label: parts[i], kind: 'unit', id: '' };
  const last = parts[parts.length - 1];
  // LXC: /lxc.payload.NAME or /lxc/NAME.
  const lxc = /^lxc\.payload\.(.+)$/.exec(parts[0]) ?? (parts[0] === 'lxc' && parts[1] ? [parts[0], parts[1]] : null);
  if (lxc) return { label: `lxc:${lxc[1]}`, kind: 'container', id: lxc[1] };
  return { label: last, kind: 'cgroup', id: '' };
}

/** The cgroup path of pid ('' at the root or when unreadable). */
export function readCgroupPath(pid: number): string {
  return cgroupPathOf(readProcText(`/proc/${pid}/cgroup`) ?? '');
}

/**
 * Where the hierarchy that cgroupPathOf reads is mounted here: the cgroup2 mount, else systemd's
 * named v1 hierarchy, else undefined. From /proc/self/mountinfo (field 5 the mount point, after
 * ` - ` the type and the super options).
 */
export function cgroupRoot(mountinfo = readProcText('/proc/self/mountinfo') ?? ''): string | undefined {
  let named: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const [type, , opts = ''] = line.slice(dash + 3).split(' ');
    const mountPoint = line.split(' ')[4]?.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (!mountPoint) continue;
    if (type === 'cgroup2') return mountPoint;
    if (type === 'cgroup' && opts.split(',').includes('name=systemd')) named ??= mountPoint;
  }
  return named;
}

/**
 * Every process in the cgroup at `path` (as /proc/PID/cgroup writes it) and in the cgroups below
 * it, parents before children. Throws an Error with a one-line message when the cgroup is not there.
 */
export function cgroupProcs(path: string, root = cgroupRoot()): number[] {
  if (!root) throw new Error('no cgroup hierarchy is mounted here');
  const out: number[] = [];
  const walk = (dir: string, top: boolean): void => {
    const text = readProcText(`${dir}/cgroup.procs`);
    if (text === undefined) {
      if (top) throw new Error(`no cgroup ${path} under ${root}`);
      return; // removed while we walked
    }
    for (const line of text.split('\n')) if (line) out.push(Number(line));
    let names: string[];
    try {
      names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return;
    }
    for (const n of names.sort()) walk(`${dir}/${n}`, false);
  };
  walk(`${root}${path === '/' ? '' : path}`, true);
  return out;
}
