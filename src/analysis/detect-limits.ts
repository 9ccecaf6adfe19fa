// The limits a process runs into, and how close it is: EMFILE against RLIMIT_NOFILE and its open
// descriptors (and the leak behind it, when the trace shows one), ENFILE against the system's file
// table, EAGAIN from fork/clone against RLIMIT_NPROC, the cgroup's pids.max and the system's task
// limit, ENOMEM against the address-space and data limits, the cgroup's memory.max and the commit
// limit. Read from procfs and cgroupfs: nothing here can block.
import type { Analyzer, Call } from './analyzer.js';
import { bytes, cgroupMemory, cgroupPids, fileTable, fmtLimit, memInfo, openFds, readLimits, sysctlNum, tasksOfUser, vmSizes } from './live/limits.js';
import { has } from './live/permissions.js';
import type { Proc } from './model.js';
import { readProcText } from '../engine/proc/task.js';
import { callParts, num, type CallParts } from './strace-text.js';

const CAP_SYS_ADMIN = 21;
const CAP_SYS_RESOURCE = 24;

/** The biggest still-open site of the process, when it looks like the reason for EMFILE. */
function leakHint(p: Proc): string | undefined {
  let best: { label: string; live: number; closed: number } | undefined;
  for (const s of p.leaks.values()) if (!best || s.live.size > best.live) best = { label: s.label, live: s.live.size, closed: s.closed };
  if (!best || best.live < 8) return undefined;
  return `${best.live} of them come from ${best.label} (${best.closed} closed): see the leak finding, if any`;
}

export function describeFdLimit(a: Analyzer, c: Call, p: Proc, _parts: CallParts): void {
  if (c.errno === 'ENFILE') {
    const { f, fresh } = a.upsert({ kind: 'file-table-full', key: 'file-table-full', title: `${c.name}: ENFILE: the system's file table is full`, call: a.ref(c), vars: { pid: c.pid } });
    if (!fresh) return;
    const t = a.evidence ? fileTable() : undefined;
    f.facts.push(t ? `file handles allocated: ${t.allocated} of fs.file-max ${t.max} (now)` : a.noEvidence('the system file table'));
    return;
  }
  const { f, fresh } = a.upsert({ kind: 'fd-limit', key: `fd-limit:${c.pid}`, title: `pid ${c.pid}: ${c.name} hit EMFILE: the open-files limit`, call: a.ref(c), vars: { pid: c.pid } });
  if (!fresh) {
    f.title = `pid ${c.pid}: EMFILE ${f.count} times: the open-files limit`;
    return;
  }
  f.facts.push(`descriptors open at the failure, as the trace knows them: ${p.fds.size}${p.fds.size ? ` (highest fd ${Math.max(...p.fds.keys())})` : ''}`);
  const hint = leakHint(p);
  if (hint) f.facts.push(hint);
  if (!a.evidence) {
    f.facts.push(a.noEvidence('its RLIMIT_NOFILE'));
    return;
  }
  const lim = readLimits(c.pid)?.get('Max open files');
  const fds = openFds(c.pid);
  if (!lim || !fds) {
    f.facts.push('its limits: not read (the process was gone)');
    return;
  }
  // The limit bounds descriptor numbers: a new one needs a free number below it.
  const below = fds.filter((n) => n < lim.soft).length;
  f.title = `pid ${c.pid}: ${c.name} hit EMFILE: ${below} of ${fmtLimit(lim.soft)} descriptors in use (RLIMIT_NOFILE)`;
  f.facts.unshift(
    `open files limit (RLIMIT_NOFILE): soft ${fmtLimit(lim.soft)}, hard ${fmtLimit(lim.hard)}; open now: ${fds.length}${fds.length !== below ? ` (${below} below the limit: a new descriptor needs a free number under it)` : ''}${lim.soft < lim.hard ? ` — the soft limit can be raised to ${fmtLimit(lim.hard)} without privileges` : ''}`,
  );
}

export function describeFork(a: Analyzer, c: Call, _p: Proc): void {
  const { f, fresh } = a.upsert({ kind: 'fork-limit', key: `fork-limit:${c.pid}`, title: `pid ${c.pid}: ${c.name} failed with EAGAIN: a process limit`, call: a.ref(c), vars: { pid: c.pid } });
  if (!fresh) return;
  const ev = a.evidence;
  if (!ev) {
    f.facts.push(a.noEvidence('which limit'));
    return;
  }
  const v = ev.view(c.pid);
  const lim = readLimits(c.pid)?.get('Max processes');
  const facts: string[] = [];
  let culprit = '';
  if (v && lim) {
    const tasks = tasksOfUser(v.creds.ruid);
    const exempt = v.creds.ruid === 0 || has(v.creds.capEff, CAP_SYS_RESOURCE) || has(v.creds.capEff, CAP_SYS_ADMIN);
    facts.push(`RLIMIT_NPROC (max user processes): soft ${fmtLimit(lim.soft)}, hard ${fmtLimit(lim.hard)}; uid ${v.creds.ruid} has ${tasks} tasks (threads count) now${exempt ? ' — root or CAP_SYS_RESOURCE/CAP_SYS_ADMIN: exempt from it' : ''}`);
    if (!exempt && tasks >= lim.soft) culprit = `RLIMIT_NPROC: uid ${v.creds.ruid} has ${tasks} of ${fmtLimit(lim.soft)} tasks`;
  } else facts.push('its RLIMIT_NPROC: not read (the process was gone)');
  const cg = cgroupPids(c.pid);
  if (cg) {
    facts.push(`cgroup ${cg.dir}: pids.current ${cg.current ?? '?'} of pids.max ${fmtLimit(cg.max ?? Infinity)}`);
    if (!culprit && cg.max !== undefined && cg.current !== undefined && cg.current >= cg.max) culprit = `the cgroup's pids.max (${cg.current} of ${cg.max})`;
  }
  const total = Number(readProcText('/proc/loadavg')?.split(/\s+/)[3]?.split('/')[1] ?? NaN);
  const threadsMax = sysctlNum('kernel/threads-max');
  if (Number.isFinite(total) && threadsMax !== undefined) {
    facts.push(`tasks on the system: ${total} of kernel.threads-max ${threadsMax}`);
    if (!culprit && total >= threadsMax) culprit = 'kernel.threads-max';
  }
  if (culprit) f.title = `pid ${c.pid}: ${c.name} failed with EAGAIN: ${culprit}`;
  else facts.push('no limit is reached now: it was at the time of the call (many short-lived children?), or memory for a new task ran out');
  f.facts.push(...facts);
}

/** The size a failing allocation asked for, from its arguments. */
function requestSize(c: Call): number | undefined {
  const parts = callParts(c.text);
  if (!parts) return undefined;
  if (c.name === 'mmap') return num(parts.args[1]);
  if (c.name === 'mremap') return num(parts.args[2]);
  return undefined;
}

export function describeMemory(a: Analyzer, c: Call, _p: Proc): void {
  const req = requestSize(c);
  const { f, fresh } = a.upsert({
    kind: 'no-memory',
    key: `no-memory:${c.pid}:${c.name}`,
    title: `pid ${c.pid}: ${c.name}${req ? ` of ${bytes(req)}` : ''} failed with ENOMEM`,
    call: a.ref(c),
    vars: { pid: c.pid },
  });
  if (!fresh) return;
  if (!a.evidence) {
    f.facts.push(a.noEvidence('its memory limits'));
    return;
  }
  const limits = readLimits(c.pid);
  const vm = vmSizes(c.pid);
  if (!limits || !vm.size) {
    f.facts.push('its memory limits: not read (the process was gone)');
    return;
  }
  let culprit = '';
  const as = limits.get('Max address space');
  const size = vm.get('VmSize') ?? 0;
  if (as && as.soft !== Infinity) {
    f.facts.push(`address-space limit (RLIMIT_AS): ${bytes(as.soft)}; in use (VmSize): ${bytes(size)}${req ? `; asked for ${bytes(req)} more` : ''}`);
    if (size + (req ?? 0) > as.soft) culprit = `the address-space limit RLIMIT_AS (${bytes(as.soft)})`;
  }
  const data = limits.get('Max data size');
  const dataUsed = vm.get('VmData') ?? 0;
  if (data && data.soft !== Infinity) {
    f.facts.push(`data limit (RLIMIT_DATA): ${bytes(data.soft)}; in use (VmData): ${bytes(dataUsed)}`);
    if (!culprit && dataUsed + (req ?? 0) > data.soft) culprit = `the data limit RLIMIT_DATA (${bytes(data.soft)})`;
  }
  const cg = cgroupMemory(c.pid);
  if (cg && cg.max !== Infinity) {
    f.facts.push(`cgroup ${cg.dir}: memory.current ${bytes(cg.current ?? 0)} of memory.max ${bytes(cg.max ?? Infinity)}`);
    if (!culprit && cg.current !== undefined && cg.max !== undefined && cg.current + (req ?? 0) > cg.max) culprit = `the cgroup's memory.max (${bytes(cg.max)})`;
  }
  const mi = memInfo();
  const mode = sysctlNum('vm/overcommit_memory');
  if (mode === 2) {
    f.facts.push(`strict overcommit (vm.overcommit_memory=2): committed ${bytes(mi.get('Committed_AS') ?? 0)} of CommitLimit ${bytes(mi.get('CommitLimit') ?? 0)}`);
    if (!culprit) culprit = 'the commit limit (vm.overcommit_memory=2)';
  }
  f.facts.push(`memory available on the system: ${bytes(mi.get('MemAvailable') ?? 0)}`);
  if (culprit) f.title = `pid ${c.pid}: ${c.name}${req ? ` of ${bytes(req)}` : ''} failed with ENOMEM: ${culprit}`;
}
