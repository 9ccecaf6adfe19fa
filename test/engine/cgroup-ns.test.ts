// The unit, container and namespaces around a process: cgroup paths read as systemd and the
// container runtimes write them, a real cgroup of our own naming, and real processes in pid, mount
// and network namespaces of their own.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { cgroupOwner, cgroupPathOf, cgroupProcs, cgroupRoot } from '../../src/engine/proc/cgroup.js';
import { describeNamespaces, namespaceView } from '../../src/engine/proc/namespaces.js';
import { isUnitName, parseShow, systemdRunning, unitProcesses } from '../../src/engine/proc/units.js';
import { ProcessSampler } from '../../src/engine/proclist.js';
import { assertOneLineFailure, killCliChildren, runCli, startCli } from './util.js';
import { fixturePath, killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';
import { cgroupSkipReason, makeCgroup, startUnshared, unshareSkipReason, type OwnCgroup, type Unshared } from '../helpers/namespaces.js';

const ID = '3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';

describe('cgroup paths', () => {
  it('takes the unified hierarchy, else systemd\'s named one, never a v1 controller\'s', () => {
    assert.equal(cgroupPathOf('0::/system.slice/nginx.service\n'), '/system.slice/nginx.service');
    // hybrid: both; the unified line wins
    assert.equal(cgroupPathOf('12:pids:/system.slice/a.service\n1:name=systemd:/system.slice/a.service\n0::/system.slice/a.service\n'), '/system.slice/a.service');
    // legacy v1 with Docker's cgroupfs driver
    assert.equal(cgroupPathOf(`4:memory:/docker/${ID}\n1:name=systemd:/docker/${ID}\n`), `/docker/${ID}`);
    // at the root everywhere, and a v1 controller somewhere else: no place to name
    assert.equal(cgroupPathOf('4:memory:/process_api/1234abcd\n1:name=systemd:/\n0::/\n'), '');
    assert.equal(cgroupPathOf(''), '');
  });

  it('names the unit, the container (id shortened as docker ps does) or the pod', () => {
    const label = (p: string) => cgroupOwner(p).label;
    assert.equal(label('/system.slice/nginx.service'), 'nginx.service');
    assert.equal(label('/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service'), 'foo.service');
    assert.equal(label('/user.slice/user-1000.slice/session-3.scope'), 'session-3.scope');
    assert.equal(label(`/system.slice/docker-${ID}.scope`), 'docker:3f2a1b4c5d6e');
    assert.equal(label(`/docker/${ID}`), 'docker:3f2a1b4c5d6e');
    assert.equal(label(`/machine.slice/libpod-${ID}.scope/container`), 'podman:3f2a1b4c5d6e');
    assert.equal(label(`/system.slice/containerd.service/cri-containerd-${ID}.scope`), 'containerd:3f2a1b4c5d6e');
    const pod = cgroupOwner(`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/cri-containerd-${ID}.scope`);
    assert.deepEqual(pod, { label: 'pod:0f1e2d3c/3f2a1b4c5d6e', kind: 'pod', id: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' });
    assert.equal(label(`/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/${ID}`), 'pod:0f1e2d3c/3f2a1b4c5d6e');
    assert.equal(label('/lxc.payload.web1'), 'lxc:web1');
    assert.equal(label('/my-group/inner'), 'inner');
    assert.equal(label(''), '');
  });
});

describe('a cgroup of our own naming', { skip: cgroupSkipReason() || false }, () => {
  const kids: ChildProcess[] = [];
  const sleeper = () => {
    const c = spawn('sleep', ['1000'], { stdio: 'ignore' });
    kids.push(c);
    return c.pid!;
  };
  let cg: OwnCgroup;
  before(() => {
    cg = makeCgroup('systrace-test');
  });
  after(async () => {
    for (const k of kids) k.kill('SIGKILL');
    await cg.remove();
  });

  it('shows in the process list as the unit or container it names, and -p UNIT\'s walk finds every process below it', () => {
    const unit = cg.child('app.service');
    const ctr = cg.child(`docker-${ID}.scope`);
    const top = sleeper();
    const inUnit = sleeper();
    const inCtr = sleeper();
    cg.add(top);
    unit.add(inUnit);
    ctr.add(inCtr);

    const list = new ProcessSampler().sample();
    const byPid = (pid: number) => list.find((p) => p.pid === pid)!;
    assert.equal(byPid(inUnit).cgroup, unit.path);
    assert.equal(byPid(inUnit).unit, 'app.service');
    assert.equal(byPid(inCtr).unit, 'docker:3f2a1b4c5d6e');
    assert.equal(byPid(top).unit, cg.path.slice(1)); // no unit: the cgroup's own name
    assert.equal(byPid(process.pid).cgroup === unit.path, false);

    // The walk: the cgroup's own processes, then its children's (in name order).
    assert.deepEqual(cgroupProcs(cg.path), [top, inUnit, inCtr]);
    assert.deepEqual(cgroupProcs(unit.path), [inUnit]);
    assert.throws(() => cgroupProcs(`${cg.path}/nothing-here.service`), /no cgroup .*nothing-here\.service under /);
    assert.ok(cgroupRoot());

    // -p UNIT: what systemctl show answers, then the walk of the unit's cgroup; MainPID first.
    const show = (main: number, cgroup: string) => parseShow(`LoadState=loaded\nActiveState=active\nMainPID=${main}\nControlGroup=${cgroup}\n`);
    assert.deepEqual(unitProcesses('t.service', show(inCtr, cg.path)).pids, [inCtr, top, inUnit]);
    assert.deepEqual(unitProcesses('t.service', show(0, unit.path)).pids, [inUnit]);
    // a unit whose cgroup went away but whose MainPID is known
    assert.deepEqual(unitProcesses('t.service', show(inUnit, `${cg.path}/gone.service`)).pids, [inUnit]);
  });
});

describe('-p UNIT', () => {
  it('tells a unit from a pid', () => {
    for (const u of ['nginx.service', 'user@1000.service', 'session-3.scope', 'getty@tty1.service', 'sys-devices-x\\x2dy.service']) assert.ok(isUnitName(u), u);
    for (const n of ['1234', 'nginx', 'nginx.socket', 'a b.service', '.service']) assert.ok(!isUnitName(n), n);
  });

  it('says why a unit has nothing to attach to', () => {
    const show = (text: string) => parseShow(text);
    assert.throws(() => unitProcesses('nope.service', show('LoadState=not-found\nActiveState=inactive\nMainPID=0\nControlGroup=\n')), /^Error: no such unit/);
    assert.throws(() => unitProcesses('x.service', show('LoadState=loaded\nActiveState=inactive\nMainPID=0\nControlGroup=\n')), /no process to attach to \(the unit is inactive\)/);
    assert.throws(() => unitProcesses('m.service', show('LoadState=masked\nMainPID=0\n')), /the unit is masked/);
  });

  it('without systemd, one line saying so and exit 1', { skip: systemdRunning() ? 'systemd runs here' : false }, async () => {
    assertOneLineFailure(await runCli(['--plain', '-p', 'nginx.service']), /^systrace-tui: -p nginx\.service: systemd is not running here \(no \/run\/systemd\/system\).*-p PID$/, assert);
    assertOneLineFailure(await runCli(['-p', 'nginx.service']), /systemd is not running here/, assert);
  });
});

describe('processes in namespaces of their own', { skip: unshareSkipReason() || false }, () => {
  const started: Unshared[] = [];
  after(() => started.forEach((u) => u.stop()));

  it('a process in its own pid and mount namespaces: its pid there (NSpid), and which namespaces differ', async () => {
    const u = await startUnshared(['--pid', '--mount-proc'], 'ns-test-pid');
    started.push(u);
    const v = namespaceView(u.inner);
    assert.deepEqual({ pid: v.pid, innerPid: v.innerPid, mnt: v.mnt, net: v.net }, { pid: true, innerPid: 1, mnt: true, net: false });
    assert.equal(describeNamespaces(v), 'pid 1 in its pid namespace, its own mount namespace');
    const p = await waitFor(() => new ProcessSampler().sample().find((x) => x.pid === u.inner), 'the shell in the list');
    assert.deepEqual(p.ns, { pid: true, mnt: true, net: false, innerPid: 1 });
    // unshare itself has the new mount namespace but is still in ours for pids
    assert.deepEqual(namespaceView(u.outer.pid!).pid, false);
    assert.deepEqual(namespaceView(process.pid), { pid: false, innerPid: 0, mnt: false, net: false, links: namespaceView(process.pid).links });
    // the inspector says where it runs and how its files are reached
    const r = await runCli(['--plain', '--inspect', String(u.inner)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^runs in: pid 1 in its pid namespace, its own mount namespace \\(its files are reached through /proc/${u.inner}/fd and /proc/${u.inner}/root\\)$`, 'm'));
  });

  it('a process in its own mount and network namespaces only', async () => {
    const u = await startUnshared(['--mount', '--net'], 'ns-test-net');
    started.push(u);
    const v = namespaceView(u.inner);
    assert.deepEqual({ pid: v.pid, innerPid: v.innerPid, mnt: v.mnt, net: v.net }, { pid: false, innerPid: 0, mnt: true, net: true });
    assert.equal(describeNamespaces(v), 'its own mount and network namespaces');
    const r = await runCli(['--plain', '--inspect', String(u.inner)]);
    assert.match(r.stdout, /^runs in: its own mount and network namespaces \(its files are reached through .*; its sockets are read in its network namespace, \/proc\/\d+\/net\)$/m);
  });

  it('-yy: the sockets of a process in another network namespace, as sock_diag tells them there', async () => {
    // unshare --net, lo up: a fixed port is that namespace's own, nobody else's.
    const f = spawnFixture('ns_loop', ['4242'], 15000, { prefix: ['unshare', '--net', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'] });
    await f.ready;
    assert.equal(namespaceView(f.pid).net, true);
    const { child, result } = startCli(['--plain', '-yy', '-e', 'trace=getsockname,getpeername', '-p', String(f.pid)]);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const { listen, client, unix } = f.info;
    const want = [
      new RegExp(`^getsockname\\(${listen}<TCP:\\[127\\.0\\.0\\.1:4242\\]>, \\{sa_family=AF_INET, sin_port=htons\\(4242\\), `, 'm'),
      new RegExp(`^getpeername\\(${client}<TCP:\\[127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:4242\\]>, `, 'm'),
      new RegExp(`^getsockname\\(${unix}<UNIX-STREAM:\\[\\d+->\\d+\\]>, \\{sa_family=AF_UNIX\\}`, 'm'),
    ];
    try {
      await waitFor(() => (want.every((re) => re.test(err)) ? true : undefined), `the three -yy lines; got:\n${err}`, 30000);
    } finally {
      child.kill('SIGINT');
      await result;
      await killAll();
    }
  });
});

describe('attach diagnostics at container boundaries', { skip: unshareSkipReason() || false }, () => {
  const kids: ChildProcess[] = [];
  after(() => {
    for (const k of kids) k.kill('SIGKILL');
    killCliChildren();
  });
  const sleeper = () => {
    const c = spawn('sleep', ['1000'], { stdio: 'ignore' });
    kids.push(c);
    return c.pid!;
  };

  it('from inside a pid namespace of our own, a host pid: says where we run and what to give instead', async () => {
    // the host's pid of this test process names nothing in a fresh pid namespace
    const r = await runCli(['--plain', '-p', String(process.pid)], { prefix: ['unshare', '--fork', '--pid', '--mount-proc'] });
    assertOneLineFailure(
      r,
      `systrace-tui: pid ${process.pid} does not exist; we run in a pid namespace of our own (own pid namespace): give the pid as ps shows it here, or run systrace-tui on the host`,
      assert,
    );
  });

  it('a seccomp filter on us that refuses ptrace (EPERM, as the kernel grants access; ENOSYS)', async () => {
    const pid = sleeper();
    const deny = fixturePath('seccomp_no_ptrace');
    let r = await runCli(['--plain', '-p', String(pid)], { prefix: [deny, 'EPERM'] });
    assertOneLineFailure(r, /^systrace-tui: ptrace refused though the kernel grants us access to pid \d+ \(sleep\): a seccomp filter on us forbids it; a container's seccomp profile: run it with --security-opt seccomp=unconfined/, assert);
    r = await runCli(['--plain', '-p', String(pid)], { prefix: [deny, 'ENOSYS'] });
    assertOneLineFailure(r, /^systrace-tui: ptrace is forbidden to us by a seccomp filter \(Seccomp: 2 in \/proc\/self\/status\); a container's seccomp profile/, assert);
  });

  it('in a container without CAP_SYS_PTRACE: says how to give the container the capability', async () => {
    // sh is pid 1 of the new pid namespace, its sleep pid 2, and we (under setpriv) its pid 3.
    const r = await runCli(['--plain'], {
      prefix: ['unshare', '--fork', '--pid', '--mount-proc', 'sh', '-c', 'sleep 1000 & setpriv --bounding-set -sys_ptrace "$@" -p $!; s=$?; kill $!; exit $s', 'sh'],
    });
    assertOneLineFailure(
      r,
      /^systrace-tui: pid 2 \(sleep\) holds capabilities we lack and we have no CAP_SYS_PTRACE; .*\(we run in a container: own pid namespace; docker\/podman run --cap-add SYS_PTRACE, or Kubernetes securityContext\.capabilities\.add: \[SYS_PTRACE\]\)$/,
      assert,
    );
  });
});
