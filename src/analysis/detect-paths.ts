// Failed calls on paths. ENOENT: the first missing component, where the process looks (its root,
// its mount namespace), and the search-path pattern (one file name tried in several directories,
// as the dynamic loader, a shell's PATH lookup and interpreters do) folded into one finding.
// EACCES/EPERM/EROFS: the path walked as the process would, naming the component that refuses
// and why (mode bits for its uid and groups, an ACL, a sticky directory, an immutable attribute,
// a read-only or noexec mount), or that every component allows it (then: LSM, capabilities,
// seccomp).
import type { Analyzer, Call } from './analyzer.js';
import { absPath, fdInfo } from './detect-fds.js';
import { classifyExpected, countExpected } from './detect-failures.js';
import type { ProcView } from './live/evidence.js';
import { describeMount, isReadOnly, mountOf } from './live/mounts.js';
import { describeCreds, describeStep, explainDenial, type PathNeeds, type Want } from './live/permissions.js';
import type { WalkResult } from './live/path-walk.js';
import type { Proc } from './model.js';
import { OPTIONAL_FILES, PATH_CALLS, type PathUse } from './runbook.js';
import { AT_FDCWD, callParts, fdArg, flagNames, quoted, sockAddr, type CallParts } from './strace-text.js';
import type { CallRef } from './types.js';

/** One file name being looked for in several directories by one thread. */
interface Search {
  base: string;
  pid: number;
  tid: number;
  dirs: string[];
  refs: CallRef[];
  /** the first failure, kept whole for an individual finding when the search turns out to be one try */
  first: { c: Call; path: string; use: PathUse; parts: CallParts };
  lastNs: number;
}

const searches = new WeakMap<Analyzer, Map<number, Search>>();
function searchesOf(a: Analyzer): Map<number, Search> {
  let m = searches.get(a);
  if (!m) searches.set(a, (m = new Map()));
  return m;
}

/** A search is settled when its thread moved on; one left alone this long (trace time) is too. */
const SEARCH_IDLE_NS = 1e9;

const PROBE_CALLS = new Set(['access', 'faccessat', 'faccessat2', 'stat', 'lstat', 'newfstatat', 'statx', 'readlink', 'readlinkat', 'statfs']);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

interface Target {
  /** as the call gave it */
  raw: string;
  /** made absolute with what the trace knows (the dirfd's or cwd's path), for display and keys */
  abs: string;
  use: PathUse;
  parts: CallParts;
}

function targetOf(a: Analyzer, c: Call, p: Proc): Target | undefined {
  const use = PATH_CALLS[c.name];
  if (!use) return undefined;
  const parts = callParts(c.text);
  if (!parts) return undefined;
  if (use.path < 0) {
    // connect/bind on a unix socket path
    const sa = sockAddr(parts.args[1]);
    if (!sa || sa.family !== 'unix' || !sa.path || sa.path.startsWith('@')) return undefined;
    return { raw: sa.path, abs: sa.path.startsWith('/') || !p.cwd ? sa.path : `${p.cwd}/${sa.path}`, use, parts };
  }
  const q = quoted(parts.args[use.path]);
  if (!q) return undefined;
  return { raw: q.value, abs: absPath(a, p, parts, use.path, use.dirfd) || q.value, use, parts };
}

export function detectPathCall(a: Analyzer, c: Call, p: Proc): boolean {
  if ((c.name === 'chdir' || c.name === 'fchdir') && !c.errno) {
    const parts = callParts(c.text);
    if (c.name === 'chdir') {
      const t = targetOf(a, c, p);
      if (t) p.cwd = t.abs;
    } else if (parts) {
      const d = fdArg(parts.args[0]);
      const path = d ? (d.decoration ?? fdInfo(a, p, d.fd)?.path) : undefined;
      if (path) p.cwd = path;
    }
    if (c.name === 'fchdir') return false;
  }
  const t = targetOf(a, c, p);
  if (!t) return false;
  const open = searchesOf(a).get(c.tid);
  const base = basename(t.abs);
  // The loader stats each directory it searches (and its parents): part of the search.
  if (open && open.dirs.some((d) => d === t.abs || d.startsWith(t.abs + '/'))) {
    if (c.errno) {
      if (open.refs.length < 64) open.refs.push(a.ref(c));
      open.lastNs = c.exitNs;
      p.lastProbeFail = a.ref(c);
    }
    return c.errno !== '';
  }
  if (!c.errno) {
    // Found. (Other successes do not end a search: the loader reads ld.so.cache between the
    // LD_LIBRARY_PATH directories and the system ones.)
    if (open && base && base === open.base) settle(a, open, { dir: dirname(t.abs), ref: a.ref(c) });
    return false;
  }
  if (c.name === 'execve' || c.name === 'execveat') p.lastExecFail = a.ref(c);
  if (c.errno === 'ENOENT' && base) {
    // Part of a search? The same name in another directory continues it.
    if (open && open.base === base) {
      if (!open.dirs.includes(dirname(t.abs))) open.dirs.push(dirname(t.abs));
      if (open.refs.length < 64) open.refs.push(a.ref(c));
      open.lastNs = c.exitNs;
      noteLookupFail(a, c, p, t);
      return true;
    }
    if (open) settle(a, open);
    searchesOf(a).set(c.tid, { base, pid: c.pid, tid: c.tid, dirs: [dirname(t.abs)], refs: [a.ref(c)], first: { c, path: t.abs, use: t.use, parts: t.parts }, lastNs: c.exitNs });
    noteLookupFail(a, c, p, t);
    return true;
  }
  if (open && base !== open.base) settle(a, open);
  if (c.errno === 'ENOENT') {
    missing(a, c, p, t);
    return true;
  }
  if (c.errno === 'EACCES' || c.errno === 'EPERM' || c.errno === 'EROFS') {
    if (c.name === 'connect' && c.errno !== 'EACCES') return false;
    if (classifyExpected(a, c)) return true;
    p.lastLookupFail = a.ref(c);
    denied(a, c, p, t);
    return true;
  }
  return false;
}

/** A failed lookup, as a cause of an exit: a well-known optional file (ld.so.preload) is none. */
function noteLookupFail(a: Analyzer, c: Call, p: Proc, t: Target): void {
  if (OPTIONAL_FILES.some((o) => o.path.test(t.abs))) return;
  if (PROBE_CALLS.has(c.name)) p.lastProbeFail = a.ref(c);
  else p.lastLookupFail = a.ref(c);
}

/** Settles searches left alone (or every one, at the end of the trace). */
export function settleSearches(a: Analyzer, all: boolean, pid?: number): void {
  const m = searches.get(a);
  if (!m || m.size === 0) return;
  for (const s of [...m.values()]) {
    if (all ? pid === undefined || s.pid === pid : a.nowNs - s.lastNs > SEARCH_IDLE_NS) settle(a, s);
  }
}

function settle(a: Analyzer, s: Search, found?: { dir: string; ref: CallRef }): void {
  searchesOf(a).delete(s.tid);
  if (found) {
    const { f } = a.upsert({
      kind: 'search-found',
      key: 'expected:search-found',
      title: 'search paths at work: names found after misses in other directories',
      call: s.refs[0],
    });
    const line = `${s.base}: ${s.dirs.length} miss${s.dirs.length > 1 ? 'es' : ''}, found in ${found.dir}`;
    if (f.facts.length < 8 && !f.facts.some((x) => x.startsWith(`${s.base}:`))) f.facts.push(line);
    return;
  }
  const first = s.first;
  const optional = OPTIONAL_FILES.find((o) => s.dirs.every((d) => o.path.test(`${d === '/' ? '' : d}/${s.base}`)));
  if (optional) {
    countExpected(a, 'optional-file', optional.why, first.c);
    return;
  }
  if (s.dirs.length < 2) {
    missing(a, first.c, a.proc(first.c.pid), { raw: first.path, abs: first.path, use: first.use, parts: first.parts });
    return;
  }
  const probes = s.refs.every((r) => PROBE_CALLS.has(r.text.slice(0, r.text.indexOf('('))));
  const kind = first.c.name.startsWith('exec') ? 'PATH' : probes ? 'the directories it checked' : 'its search path';
  // Only existence checks (stat, access): a program looking for an optional file in a few
  // places, as often as a failed search (a shell's PATH lookup says so on stderr, and its exit
  // finding quotes it): a note. A search that opens or execs is a problem.
  const { f, fresh } = a.upsert({
    kind: 'search-not-found',
    key: `search-not-found:${s.base}:${s.dirs.join(':')}`,
    severity: probes ? 'note' : undefined,
    title: `${s.base} not found in any of ${s.dirs.length} directories (${kind})`,
    call: s.refs[0],
    vars: { name: s.base, pid: s.pid },
  });
  for (const r of s.refs.slice(1)) a.addCall(f, r);
  if (!fresh) return;
  const roots = searchRoots(s.dirs);
  if (roots.length < s.dirs.length) f.facts.push(`searched, in order: ${roots.join(', ')} (${s.dirs.length} directories with their glibc-hwcaps/tls/platform subdirectories)`);
  else f.facts.push(`tried, in order: ${s.dirs.slice(0, 16).join(', ')}${s.dirs.length > 16 ? `, and ${s.dirs.length - 16} more` : ''}`);
}

/** The directories of a library search without the loader's per-CPU subdirectories. */
function searchRoots(dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const root = d.replace(/\/glibc-hwcaps\/[^/]+$/, '').replace(/\/tls(\/x86_64){0,2}$/, '').replace(/\/x86_64(\/x86_64)?$/, '') || '/';
    if (!out.includes(root)) out.push(root);
  }
  return out;
}

function missing(a: Analyzer, c: Call, p: Proc, t: Target): void {
  const optional = OPTIONAL_FILES.find((o) => o.path.test(t.abs));
  if (optional) {
    countExpected(a, 'optional-file', optional.why, c);
    return;
  }
  if (classifyExpected(a, c)) return;
  p.lastLookupFail = a.ref(c);
  const { f, fresh } = a.upsert({
    kind: 'path-missing',
    key: `path-missing:${t.abs}`,
    title: `${c.name} ${t.abs}: no such file or directory`,
    call: a.ref(c),
    vars: { path: t.abs, dir: dirname(t.abs), pid: c.pid },
  });
  if (!fresh) return;
  const ev = a.evidence;
  if (!ev) {
    f.facts.push(a.noEvidence('which component is missing'));
    return;
  }
  const v = ev.view(c.pid);
  if (!v) {
    f.facts.push('not checked: the process was gone before it could be examined');
    return;
  }
  const start = startDir(a, p, t, v);
  a.gather(f, async () => {
    const facts: string[] = [];
    const out = await ev.walk(v, t.raw, start, t.use.nofollow ?? false, c.name.startsWith('exec'));
    if ('unavailable' in out) return [`not checked: ${out.unavailable}`];
    facts.push(...whereItLooks(v, ev.sameMnt(v)));
    const w = out.walk;
    if (w.outcome === 'missing') {
      const miss = w.steps[w.steps.length - 1];
      const parent = w.steps[w.steps.length - 2];
      facts.unshift(`${miss.path} does not exist${parent ? ` (${parent.path} does)` : ''}${miss.error === 'ENOTDIR' ? ': a component on the way is not a directory' : ''}`);
      f.title = `${c.name} ${t.abs}: ${miss.path} does not exist`;
      if (!ev.sameMnt(v) || v.root !== '/') {
        const ours = await ev.walkOurs(t.abs);
        if (ours?.outcome === 'exists') facts.push(`${t.abs} does exist in systrace-tui's own view: the process looks in another root or mount namespace`);
      }
    } else if (w.outcome === 'notdir') {
      const bad = w.steps[w.steps.length - 1];
      facts.unshift(`${bad.path} is not a directory, so nothing below it can exist`);
      f.title = `${c.name} ${t.abs}: ${bad.path} is not a directory`;
    } else if (w.outcome === 'exists') {
      if (c.name.startsWith('exec') && w.shebang) {
        const interp = w.shebang.slice(2).trim().split(/\s+/)[0] ?? '';
        facts.unshift(`${t.abs} exists: it is a script, and ENOENT from execve means its interpreter is missing: ${JSON.stringify(w.shebang)}${/\r$/.test(w.shebang) ? ' (the line ends in a carriage return: DOS line endings)' : ''}`);
        f.title = `${c.name} ${t.abs}: the script's interpreter ${interp.replace(/\r$/, '\\r')} does not exist`;
      } else if (c.name.startsWith('exec')) {
        facts.unshift(`${t.abs} exists: ENOENT from execve then means its ELF interpreter (the dynamic loader named in the binary) is missing`);
      } else facts.unshift(`${t.abs} exists now: it was created after the call, or the name was resolved differently then`);
    } else if (w.outcome === 'loop') facts.unshift('too many symbolic links on the way');
    else facts.push(`could not examine it: ${w.steps[w.steps.length - 1]?.error ?? 'unknown error'}`);
    return facts;
  });
}

/** Where the process looks: its root and mount namespace, when they are not ours. */
function whereItLooks(v: ProcView, sameMnt: boolean): string[] {
  const out: string[] = [];
  if (v.root !== '/') out.push(`the process runs with another root: ${v.root} (chroot or a container)`);
  if (!sameMnt) out.push(`the process runs in another mount namespace (${v.ns.mnt}): paths are resolved there`);
  if (out.length && !v.live) out.push(`(its root and namespace ${v.note})`);
  return out;
}

/** Where a relative path starts for the process: its dirfd's directory or its cwd. */
function startDir(a: Analyzer, p: Proc, t: Target, v: ProcView): string {
  if (t.raw.startsWith('/') || t.use.dirfd === undefined) return v.cwd;
  const d = fdArg(t.parts.args[t.use.dirfd]);
  if (!d || d.fd === AT_FDCWD) return v.cwd;
  const info = fdInfo(a, p, d.fd, d.decoration);
  return info?.path ?? d.decoration ?? v.cwd;
}

function needsOf(c: Call, t: Target): PathNeeds {
  const u = t.use;
  const needs: PathNeeds = { final: [], parent: u.parent ?? false, modifies: u.modifies, owner: u.owner, removes: u.modifies && u.parent };
  switch (u.need) {
    case 'open': {
      const flagText = c.name === 'openat2' ? (/flags=([A-Z_|]+)/.exec(t.parts.args[2] ?? '')?.[1] ?? '') : (t.parts.args[u.flags ?? 1] ?? '');
      const fl = flagNames(flagText);
      if (fl.has('O_PATH')) break;
      if (fl.has('O_WRONLY')) needs.final.push('w');
      else if (fl.has('O_RDWR')) needs.final.push('r', 'w');
      else needs.final.push('r');
      if (fl.has('O_TRUNC') && !needs.final.includes('w')) needs.final.push('w');
      if (fl.has('O_CREAT')) needs.parent = true;
      needs.dir = fl.has('O_DIRECTORY');
      needs.appends = fl.has('O_APPEND');
      needs.modifies = needs.final.includes('w');
      break;
    }
    case 'mode': {
      const mode = t.parts.args[(u.path ?? 0) + 1] ?? '';
      for (const [k, w] of [['R_OK', 'r'], ['W_OK', 'w'], ['X_OK', 'x']] as const) if (mode.includes(k)) needs.final.push(w as Want);
      needs.real = !(t.parts.args[(u.path ?? 0) + 2] ?? '').includes('AT_EACCESS');
      break;
    }
    case 'x':
      needs.final.push('x');
      needs.exec = true;
      break;
    case 's':
      needs.final.push('x');
      needs.dir = true;
      break;
    case 'r':
    case 'w':
      needs.final.push(u.need);
      break;
    default:
      break;
  }
  return needs;
}

const ERRNO_WORDS: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system' };

function denied(a: Analyzer, c: Call, p: Proc, t: Target): void {
  const kind = c.errno === 'EROFS' ? 'path-rofs' : c.errno === 'EPERM' ? 'path-eperm' : 'path-denied';
  const { f, fresh } = a.upsert({
    kind,
    key: `${kind}:${t.abs}:${c.name}`,
    title: `${c.name} ${t.abs}: ${ERRNO_WORDS[c.errno]}`,
    call: a.ref(c),
    vars: { path: t.abs, dir: dirname(t.abs), pid: c.pid },
  });
  if (!fresh) return;
  const ev = a.evidence;
  if (!ev) {
    f.facts.push(a.noEvidence('which component refuses, and why'));
    return;
  }
  const v = ev.view(c.pid);
  if (!v) {
    f.facts.push('not checked: the process was gone before it could be examined');
    return;
  }
  const needs = needsOf(c, t);
  const start = startDir(a, p, t, v);
  const mounts = ev.mounts(v);
  const policy = ev.policy(v);
  a.gather(f, async () => {
    const out = await ev.walk(v, t.raw, start, t.use.nofollow ?? false);
    const facts: string[] = [`the process runs as ${describeCreds(v.creds, needs.real)}${needs.real ? ' (access() checks the real ids)' : ''}${v.live ? '' : ` (${v.note})`}`];
    facts.push(...whereItLooks(v, ev.sameMnt(v)).filter((x) => !x.startsWith('(')));
    if ('unavailable' in out) return [...facts, `path not walked: ${out.unavailable}`];
    const w: WalkResult = out.walk;
    const ex = explainDenial(w, v.creds, needs);
    const target = w.outcome === 'exists' ? w.resolved : t.abs;
    const mount = mounts ? mountOf(mounts, target) : undefined;
    if (!ex.allAllow) {
      facts.unshift(...ex.facts);
      f.title = `${c.name} ${t.abs}: ${ex.short} (${c.errno})`;
      return facts;
    }
    // Every component allows it by its bits: the mount, then policy.
    const writes = needs.final.includes('w') || needs.parent || needs.modifies;
    if (mount && isReadOnly(mount) && writes) {
      facts.unshift(`${target} is on a read-only mount: ${describeMount(mount)}`);
      f.title = `${c.name} ${t.abs}: read-only mount ${mount.point}`;
      return facts;
    }
    if (mount && mount.options.includes('noexec') && needs.exec) {
      facts.unshift(`${target} is on a noexec mount: ${describeMount(mount)}: nothing there may be executed`);
      f.title = `${c.name} ${t.abs}: ${mount.point} is mounted noexec`;
      return facts;
    }
    if (c.errno === 'EROFS' && mount) facts.unshift(`the mount: ${describeMount(mount)}`);
    const last = w.steps[w.steps.length - 1];
    if (w.outcome === 'missing') facts.push(`${last.path} does not exist (now)`);
    else if (last) facts.push(`the file: ${describeStep(last)}`);
    facts.unshift('every component allows it by mode bits, ACLs and attributes: look at LSM policy (AppArmor/SELinux) or capabilities');
    facts.push(...policy);
    f.title = `${c.name} ${t.abs}: ${ERRNO_WORDS[c.errno]}, though every component allows it`;
    return facts;
  });
}
