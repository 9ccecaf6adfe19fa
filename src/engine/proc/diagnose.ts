// Why attaching to a process fails, from /proc alone: each check the kernel's ptrace_may_access()
// and Yama make, with its value here, whether it passes, and what to try. explainAttachFailure()
// turns an attach errno into the one decisive line the user sees.

import { statSync } from 'node:fs';
import type { TraceErrorCode } from '../types.js';
import { ourConfinement } from './namespaces.js';
import { PF_KTHREAD, readComm, readLinkSafe, readProcStat, readProcText, readProcTextOrError, readStatus, type ProcStatus } from './task.js';

export interface DiagnosticCheck {
  /** Short stable name: `ptrace_scope`, `CAP_SYS_PTRACE`, `uid`, `TracerPid`... */
  name: string;
  /** What we found, as text. */
  value: string;
  /** true passes, false blocks attaching, null is information only (or could not be told). */
  ok: boolean | null;
  /** What it means or what to try; '' when nothing needs saying. */
  hint: string;
}

export interface AttachDiagnostics {
  pid: number;
  comm: string | undefined;
  exists: boolean;
  checks: DiagnosticCheck[];
}

export const CAP_SYS_PTRACE = 19;

export function hasCap(capEff: bigint | undefined, bit: number): boolean {
  return capEff !== undefined && ((capEff >> BigInt(bit)) & 1n) === 1n;
}

let passwd: Map<number, string> | undefined;
/** User name for a uid from /etc/passwd, or undefined. */
export function userName(uid: number): string | undefined {
  if (!passwd) {
    passwd = new Map();
    for (const line of (readProcText('/etc/passwd') ?? '').split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && !passwd.has(Number(f[2]))) passwd.set(Number(f[2]), f[0]);
    }
  }
  return passwd.get(uid);
}

function describeUser(uid: number): string {
  const name = userName(uid);
  return name ? `${name} (uid ${uid})` : `uid ${uid}`;
}

/** Yama's ptrace_scope, or undefined when Yama is not in the kernel. */
export function readPtraceScope(): number | undefined {
  const t = readProcText('/proc/sys/kernel/yama/ptrace_scope');
  if (t === undefined) return undefined;
  const n = Number(t.trim());
  return Number.isFinite(n) ? n : undefined;
}

const SCOPE_MEANING: Record<number, string> = {
  0: 'classic: any process of the same user',
  1: 'restricted: only descendants, unless CAP_SYS_PTRACE',
  2: 'admin-only: CAP_SYS_PTRACE required',
  3: 'no attach at all, until reboot',
};

/** Is `pid` a descendant of `ancestor` (walking PPid links)? */
export function isDescendantOf(pid: number, ancestor: number): boolean {
  let cur = pid;
  for (let i = 0; i < 4096 && cur > 1; i++) {
    const st = readProcStat(cur);
    if (!st) return false;
    if (st.ppid === ancestor) return true;
    cur = st.ppid;
  }
  return false;
}

/**
 * Dumpable is not shown in /proc, but the kernel makes a non-dumpable process's /proc/PID owned by
 * root (task_dump_owner). So: owner == the target's euid -> dumpable; root while the euid is not
 * root -> not dumpable; a root process -> cannot tell.
 */
export function inferDumpable(pid: number, status: ProcStatus | undefined): boolean | undefined {
  if (!status) return undefined;
  let ownerUid: number;
  try {
    ownerUid = statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
  const euid = status.uid[1];
  if (euid === 0) return undefined;
  if (ownerUid === euid) return true;
  if (ownerUid === 0) return false;
  return undefined;
}

/** How to give a container CAP_SYS_PTRACE, for the hints. */
const CONTAINER_CAP = 'docker/podman run --cap-add SYS_PTRACE, or Kubernetes securityContext.capabilities.add: [SYS_PTRACE]';

interface Facts {
  pid: number;
  self: ProcStatus | undefined;
  target: ProcStatus | undefined;
  comm: string | undefined;
  state: string | undefined;
  kthread: boolean;
  scope: number | undefined;
  weHaveCap: boolean;
  uidsMatch: boolean;
  /** Without CAP_SYS_PTRACE the kernel also wants the target's permitted capabilities to be a
   *  subset of ours (cap_ptrace_access_check): root without CAP_SYS_PTRACE cannot trace root. */
  capsCovered: boolean | undefined;
  dumpable: boolean | undefined;
  isSelf: boolean;
}

function gatherFacts(pid: number): Facts {
  const self = readStatus('self');
  const target = readStatus(pid);
  const stat = readProcStat(pid);
  // PF_KTHREAD says it; a kernel thread also has no executable. (Not /proc/PID/cmdline: reading it
  // takes the process's address-space lock, which a hung process may hold.)
  // kthreadd is pid 2 only in the host's pid namespace; in another, pid 2 is any process.
  const kthread = stat
    ? (stat.flags & PF_KTHREAD) !== 0 ||
      (!ourConfinement().pidNs && (stat.ppid === 2 || pid === 2) && stat.state !== 'Z' && readLinkSafe(`/proc/${pid}/exe`) === undefined)
    : false;
  const ourUid = self?.uid[0] ?? process.getuid?.() ?? -1;
  const ourGid = self?.gid[0] ?? process.getgid?.() ?? -1;
  // ptrace_may_access (REALCREDS): our real uid must equal the target's real, effective and saved
  // uids, and the same for gids.
  const uidsMatch = target
    ? target.uid.slice(0, 3).every((u) => u === ourUid) && target.gid.slice(0, 3).every((g) => g === ourGid)
    : false;
  return {
    pid,
    self,
    target,
    comm: stat?.comm ?? readComm(pid),
    state: stat?.state,
    kthread,
    scope: readPtraceScope(),
    weHaveCap: hasCap(self?.capEff, CAP_SYS_PTRACE),
    uidsMatch,
    capsCovered:
      target?.capPrm === undefined || self?.capPrm === undefined ? undefined : (target.capPrm & ~self.capPrm) === 0n,
    dumpable: inferDumpable(pid, target),
    isSelf: pid === process.pid || target?.tgid === process.pid,
  };
}

/** true when the kernel grants us ptrace access to pid now, false when refused, undefined if gone. */
export function probePtraceAccess(pid: number): boolean | undefined {
  const r = readProcTextOrError(`/proc/${pid}/syscall`);
  if ('text' in r) return true;
  return r.error === 'EACCES' || r.error === 'EPERM' ? false : undefined;
}

/** Every attach check for `pid`, in the order the kernel makes them. Never throws. */
export function diagnoseAttach(pid: number): AttachDiagnostics {
  const f = gatherFacts(pid);
  const checks: DiagnosticCheck[] = [];
  const exists = f.target !== undefined || f.state !== undefined;

  checks.push({
    name: 'process',
    value: exists ? `pid ${pid} (${f.comm ?? '?'}) state ${f.state ?? f.target?.state ?? '?'}` : `no pid ${pid}`,
    ok: exists,
    hint: exists ? '' : 'the process has exited or the pid is wrong; pick it again from the process list',
  });
  if (exists) {
    checks.push({
      name: 'self',
      value: f.isSelf ? 'this is systrace-tui itself' : 'no',
      ok: !f.isSelf,
      hint: f.isSelf ? 'a process cannot trace itself; start another systrace-tui' : '',
    });
    checks.push({
      name: 'kernel thread',
      value: f.kthread ? 'yes (PF_KTHREAD)' : 'no',
      ok: !f.kthread,
      hint: f.kthread ? 'kernel threads have no user space to trace; look at their wchan and stack instead' : '',
    });
    const zombie = f.state === 'Z';
    checks.push({
      name: 'zombie',
      value: zombie ? `yes: exited, waiting for its parent (pid ${f.target?.ppid ?? '?'}) to reap it` : 'no',
      ok: !zombie,
      hint: zombie ? 'nothing left to trace; the parent must call wait(), or exit so init reaps it' : '',
    });
  }

  checks.push({
    name: 'ptrace_scope',
    value: f.scope === undefined ? 'no Yama LSM (file absent)' : `${f.scope} (${SCOPE_MEANING[f.scope] ?? 'unknown'})`,
    ok: f.scope === undefined || f.scope === 0 ? true : f.scope === 3 ? false : f.scope === 2 ? f.weHaveCap : f.weHaveCap || (exists && isDescendantOf(pid, process.pid)) ? true : false,
    hint:
      f.scope === undefined || f.scope === 0
        ? ''
        : f.scope === 3
          ? 'scope 3 cannot be lowered without a reboot; launch the command under systrace-tui instead'
          : f.scope === 2
            ? 'run systrace-tui as root (sudo), or grant CAP_SYS_PTRACE'
            : 'run as root, or `sudo sysctl kernel.yama.ptrace_scope=0`, or launch the command under systrace-tui',
  });

  const capEff = f.self?.capEff;
  checks.push({
    name: 'CapEff (ours)',
    value: capEff === undefined ? 'unknown' : `0x${capEff.toString(16).padStart(16, '0')}`,
    ok: null,
    hint: '',
  });
  checks.push({
    name: 'CAP_SYS_PTRACE',
    value: f.weHaveCap ? 'yes (bit 19 set)' : 'no (bit 19 clear)',
    ok: f.weHaveCap ? true : null,
    hint: f.weHaveCap ? '' : 'without it we can trace only our own user\'s processes; in a container add --cap-add SYS_PTRACE',
  });

  if (f.target) {
    const t = f.target;
    const ours = f.self?.uid ?? [-1, -1, -1, -1];
    checks.push({
      name: 'uid',
      value: `target real ${t.uid[0]} effective ${t.uid[1]} saved ${t.uid[2]} (${describeUser(t.uid[1])}); ours real ${ours[0]} effective ${ours[1]}`,
      ok: f.uidsMatch || f.weHaveCap,
      hint: f.uidsMatch ? '' : f.weHaveCap ? 'another user, but CAP_SYS_PTRACE allows it' : t.uid[1] === 0 ? 'run as root' : `run as ${userName(t.uid[1]) ?? `uid ${t.uid[1]}`} or as root`,
    });
    checks.push({
      name: 'capabilities',
      value:
        f.capsCovered === undefined
          ? 'unknown'
          : `target CapPrm 0x${t.capPrm!.toString(16)} ${f.capsCovered ? 'within' : 'not within'} ours 0x${f.self!.capPrm!.toString(16)}`,
      ok: f.weHaveCap || f.capsCovered !== false,
      hint: f.weHaveCap || f.capsCovered !== false ? '' : 'the target holds capabilities we lack: only CAP_SYS_PTRACE overrides that',
    });
    const tracerComm = t.tracerPid ? readComm(t.tracerPid) : undefined;
    checks.push({
      name: 'TracerPid',
      value: t.tracerPid === 0 ? '0 (not traced)' : `${t.tracerPid} (${tracerComm ?? '?'})`,
      ok: t.tracerPid === 0 || t.tracerPid === process.pid,
      hint: t.tracerPid === 0 || t.tracerPid === process.pid ? '' : `only one tracer at a time: stop ${tracerComm ?? 'the tracer'} (pid ${t.tracerPid}) or detach it first`,
    });
    checks.push({
      name: 'NoNewPrivs',
      value: t.noNewPrivs === undefined ? 'unknown' : t.noNewPrivs ? '1' : '0',
      ok: null,
      hint: t.noNewPrivs ? 'does not block ptrace by itself; usually comes with a seccomp sandbox' : '',
    });
    checks.push({
      name: 'dumpable',
      value: f.dumpable === undefined ? 'cannot tell (a root process: /proc/PID is root-owned either way)' : f.dumpable ? 'yes (/proc/PID owned by its user)' : 'no (/proc/PID owned by root)',
      ok: f.dumpable === false ? f.weHaveCap : f.dumpable === true ? true : null,
      hint: f.dumpable === false && !f.weHaveCap ? 'set-uid, or prctl(PR_SET_DUMPABLE, 0): only root (CAP_SYS_PTRACE) can attach' : '',
    });
    const seccompName = (m: number | undefined): string => (m === undefined ? 'unknown' : m === 0 ? '0 (none)' : m === 1 ? '1 (strict)' : m === 2 ? '2 (filter)' : String(m));
    checks.push({ name: 'seccomp (target)', value: seccompName(t.seccomp), ok: null, hint: '' });
  }
  const ourSeccomp = f.self?.seccomp;
  checks.push({
    name: 'seccomp (ours)',
    value: ourSeccomp === undefined ? 'unknown' : ourSeccomp === 0 ? '0 (none)' : ourSeccomp === 2 ? '2 (filter)' : String(ourSeccomp),
    ok: ourSeccomp ? null : true,
    hint: ourSeccomp ? 'a seccomp filter on us can forbid ptrace (Docker\'s default profile does without SYS_PTRACE)' : '',
  });

  const confined = ourConfinement();
  checks.push({
    name: 'container (ours)',
    value: confined.text || 'none: the host\'s pid and user namespaces',
    ok: null,
    hint: !confined.text
      ? ''
      : f.weHaveCap
        ? confined.userNs
          ? 'our capabilities end at our user namespace: processes outside it cannot be traced from here'
          : ''
        : `without CAP_SYS_PTRACE only processes of our own uid in the container; ${CONTAINER_CAP}`,
  });

  const ourNs = readLinkSafe('/proc/self/ns/pid');
  const theirNs = exists ? readLinkSafe(`/proc/${pid}/ns/pid`) : undefined;
  const nspid = f.target?.nspid ?? [];
  checks.push({
    name: 'PID namespace',
    value:
      theirNs === undefined
        ? exists
          ? 'cannot read /proc/PID/ns/pid (permission denied)'
          : 'n/a'
        : theirNs === ourNs
          ? `same as ours (${ourNs})`
          : `different: ${theirNs} vs ours ${ourNs}${nspid.length > 1 ? `; pid ${nspid[nspid.length - 1]} inside` : ''}`,
    ok: null,
    hint:
      theirNs !== undefined && theirNs !== ourNs
        ? 'a container: pids inside differ from ours; tracing works from the host side'
        : confined.pidNs
          ? 'we run in a pid namespace of our own: the host\'s processes are invisible here; run systrace-tui on the host to trace them'
          : '',
  });

  // Reading /proc/PID/syscall passes through the same ptrace_may_access(ATTACH) test as attaching
  // (Yama included), so it is a direct, side-effect-free probe of the final answer.
  if (exists && !f.isSelf) {
    const probe = probePtraceAccess(pid);
    checks.push({
      name: 'ptrace access (probe)',
      value: probe === true ? 'allowed (/proc/PID/syscall readable)' : probe === false ? 'denied (/proc/PID/syscall refused)' : 'could not tell',
      ok: probe ?? null,
      hint: probe === false ? 'the kernel refuses ptrace access; the checks above marked as failing say why, otherwise an LSM policy' : '',
    });
  }

  const lsm = exists ? readProcText(`/proc/${pid}/attr/current`)?.replace(/\0/g, '').trim() : undefined;
  if (lsm) checks.push({ name: 'LSM label', value: lsm, ok: null, hint: lsm === 'unconfined' ? '' : 'an AppArmor or SELinux policy may refuse ptrace (see the audit log)' });

  return { pid, comm: f.comm, exists, checks };
}

/**
 * One line naming the decisive reason an attach failed with `errno` (EPERM, ESRCH, ...), and the
 * TraceError code for it. Used by the engine to word TraceErrors. Never throws. `bare`: the line
 * says no more than the errno does (only that the pid does not exist: strace's "No such process").
 */
export function explainAttachFailure(pid: number, errno: 'EPERM' | 'ESRCH' | string): { code: TraceErrorCode; reason: string; bare?: boolean } {
  const f = gatherFacts(pid);
  const name = f.comm ? ` (${f.comm})` : '';
  const exists = f.target !== undefined || f.state !== undefined;
  const confined = ourConfinement();
  if (!exists) {
    // In a container, a pid copied from the host's ps names nothing (or another process) here.
    const where = confined.pidNs ? `; we run in a pid namespace of our own (${confined.text}): give the pid as ps shows it here, or run systrace-tui on the host` : '';
    return { code: 'ENOENT_PID', reason: `pid ${pid} does not exist${where}`, bare: !where };
  }
  if (f.isSelf) return { code: 'SELF', reason: `pid ${pid} is systrace-tui itself; a process cannot trace itself` };
  if (f.kthread) return { code: 'KTHREAD', reason: `pid ${pid}${name} is a kernel thread; kernel threads cannot be traced` };
  if (f.state === 'Z') return { code: 'ENOENT_PID', reason: `pid ${pid}${name} is a zombie: it exited and waits for its parent (pid ${f.target?.ppid ?? '?'}) to reap it` };
  const t = f.target;
  if (t && t.tracerPid !== 0 && t.tracerPid !== process.pid) {
    return { code: 'TRACED', reason: `pid ${pid}${name} is already traced by pid ${t.tracerPid} (${readComm(t.tracerPid) ?? '?'})` };
  }
  if (errno === 'ESRCH') return { code: 'ENOENT_PID', reason: `pid ${pid}${name} vanished while we attached` };
  // A seccomp filter answers a forbidden call with ENOSYS or EPERM; ptrace itself never says ENOSYS.
  const ourSeccomp = (f.self?.seccomp ?? 0) !== 0;
  const seccompTry = 'a container\'s seccomp profile: run it with --security-opt seccomp=unconfined or a profile that allows ptrace';
  if (errno === 'ENOSYS') {
    return { code: 'NO_CAP', reason: `ptrace is forbidden to us by a seccomp filter${ourSeccomp ? ' (Seccomp: 2 in /proc/self/status)' : ''}; ${seccompTry}` };
  }
  if (errno !== 'EPERM' && errno !== 'EACCES') return { code: 'INTERNAL', reason: `attaching to pid ${pid}${name} failed: ${errno}` };
  // In a container without CAP_SYS_PTRACE, say how to give it one.
  const inContainer = confined.text ? ` (we run in a container: ${confined.text}; ${CONTAINER_CAP})` : '';

  if (f.scope === 3) return { code: 'PTRACE_SCOPE', reason: 'ptrace_scope is 3 (attaching disabled until reboot); launch the command under systrace-tui instead' };
  if (f.scope === 2 && !f.weHaveCap) return { code: 'PTRACE_SCOPE', reason: 'ptrace_scope is 2 (admin-only attach) and we lack CAP_SYS_PTRACE; run as root' };
  const ourUid = f.self?.uid[0] ?? -1;
  if (t && !f.uidsMatch && !f.weHaveCap) {
    const owner = describeUser(t.uid[1]);
    if (t.uid[1] !== ourUid || t.uid[0] !== ourUid) {
      return { code: 'OTHER_USER', reason: `pid ${pid}${name} belongs to user ${owner} and we are uid ${ourUid} without CAP_SYS_PTRACE${inContainer}` };
    }
    return { code: 'OTHER_USER', reason: `pid ${pid}${name} changed its user or group ids (set-uid/set-gid) and we lack CAP_SYS_PTRACE` };
  }
  if (t && f.capsCovered === false && !f.weHaveCap) {
    return { code: 'NO_CAP', reason: `pid ${pid}${name} holds capabilities we lack and we have no CAP_SYS_PTRACE; run with CAP_SYS_PTRACE (as full root)${inContainer}` };
  }
  if (f.scope === 1 && !f.weHaveCap && !isDescendantOf(pid, process.pid)) {
    return { code: 'PTRACE_SCOPE', reason: `ptrace_scope is 1 (only descendants) and pid ${pid}${name} is not our child; run as root or set kernel.yama.ptrace_scope=0` };
  }
  if (f.dumpable === false && !f.weHaveCap) {
    return { code: 'EPERM', reason: `pid ${pid}${name} is not dumpable (set-uid or PR_SET_DUMPABLE 0) and we lack CAP_SYS_PTRACE; run as root` };
  }
  const probe = probePtraceAccess(pid);
  if (ourSeccomp && (probe === true || !f.weHaveCap)) {
    // The kernel's own access check passes (or cannot pass for want of the capability): what is
    // left to refuse is the filter on our own calls.
    return {
      code: 'NO_CAP',
      reason:
        probe === true
          ? `ptrace refused though the kernel grants us access to pid ${pid}${name}: a seccomp filter on us forbids it; ${seccompTry}`
          : `ptrace refused: we run under a seccomp filter without CAP_SYS_PTRACE${inContainer || `; ${CONTAINER_CAP}`}`,
    };
  }
  if (probe === false && confined.userNs) {
    return { code: 'EPERM', reason: `the kernel refuses ptrace access to pid ${pid}${name}: we run in a user namespace of our own (${confined.text}), and our capabilities do not reach processes outside it; trace it from the host` };
  }
  if (probe === false) {
    return { code: 'EPERM', reason: `the kernel refuses ptrace access to pid ${pid}${name} though uid, capability and Yama checks pass: an LSM policy (AppArmor, SELinux) or a user namespace boundary` };
  }
  return { code: 'EPERM', reason: `attaching to pid ${pid}${name} was refused (EPERM) though every /proc check passes: an LSM policy (AppArmor, SELinux) is the likely cause` };
}

/** Our own credentials, as the picker's "only what we can trace" asks them once per sample. */
export interface TracerCredentials {
  uid: number;
  gid: number;
  cap: boolean;
  scope: number | undefined;
}

export function tracerCredentials(): TracerCredentials {
  const self = readStatus('self');
  return { uid: self?.uid[0] ?? process.getuid?.() ?? -1, gid: self?.gid[0] ?? process.getgid?.() ?? -1, cap: hasCap(self?.capEff, CAP_SYS_PTRACE), scope: readPtraceScope() };
}

/**
 * Whether attaching to pid should succeed, from the checks above that cost one read of its status:
 * not a kernel thread, a zombie or ourselves, no other tracer, and the credentials and Yama scope
 * allow it. A quick answer for a list of hundreds (diagnoseAttach tells the whole story of one).
 */
export function likelyTraceable(pid: number, creds: TracerCredentials): boolean {
  if (pid === process.pid) return false;
  const st = readStatus(pid);
  if (!st || st.state.startsWith('Z') || st.state.startsWith('X') || st.tracerPid !== 0 || st.tgid === process.pid) return false;
  const stat = readProcStat(pid);
  if (!stat || (stat.flags & PF_KTHREAD) !== 0) return false;
  if (creds.scope === 3) return false;
  if (creds.cap) return true;
  if (creds.scope === 2) return false;
  const same = st.uid.slice(0, 3).every((u) => u === creds.uid) && st.gid.slice(0, 3).every((g) => g === creds.gid);
  if (!same) return false;
  return creds.scope !== 1 || isDescendantOf(pid, process.pid);
}
