// Descriptors: the table of each process, kept from the calls that make, copy and close them, and
// the two findings that rest on it: a descriptor leak (one kind of descriptor opened again and
// again, never closed), and the limits a descriptor-making call runs into (EMFILE, ENFILE).
import { readlinkSync } from 'node:fs';

import type { Analyzer, Call } from './analyzer.js';
import { describeFdLimit } from './detect-limits.js';
import type { Fd, LeakSite, Proc } from './model.js';
import { siteOfPath } from './model.js';
import { AT_FDCWD, callParts, fdArg, flagNames, num, quoted, sockAddr, type CallParts } from './strace-text.js';

/** A site's open descriptors before it counts as a leak, and the share of them closed at most. */
export const LEAK_MIN_OPEN = 64;
const LEAK_MAX_CLOSED_SHARE = 0.1;

/** What a descriptor is, from the -y decoration when the trace has one. */
function fromDecoration(deco: string | undefined): Partial<Fd> {
  if (!deco) return {};
  if (deco.startsWith('/')) return { kind: 'file', what: deco, path: deco };
  if (deco.startsWith('pipe:')) return { kind: 'pipe', what: 'pipe' };
  if (/^(TCP|UDP|TCPv6|UDPv6|UNIX|UNIX-STREAM|UNIX-DGRAM|NETLINK)/.test(deco)) return { kind: 'socket', what: deco };
  return { kind: 'other', what: deco };
}

/** The descriptor `fd` of p: from the table, else from the call's -y decoration, else the live /proc link. */
export function fdInfo(a: Analyzer, p: Proc, fd: number, deco?: string): Fd | undefined {
  const known = p.fds.get(fd);
  if (known) return known;
  const d = fromDecoration(deco);
  if (d.kind) {
    const entry: Fd = { kind: d.kind, what: d.what ?? '', path: d.path, cloexec: false, seq: -1 };
    p.fds.set(fd, entry);
    return entry;
  }
  if (!a.evidence || p.exited) return undefined;
  const link = readFdLink(p.pid, fd);
  if (!link) return undefined;
  const entry: Fd = { ...guessFromLink(link), cloexec: false, seq: -1 };
  p.fds.set(fd, entry);
  return entry;
}

function readFdLink(pid: number, fd: number): string | undefined {
  try {
    // procfs: a descriptor's link is made from the kernel's dentry, no file-system call
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function guessFromLink(link: string): Pick<Fd, 'kind' | 'what' | 'path'> {
  if (link.startsWith('/')) return { kind: 'file', what: link, path: link };
  if (link.startsWith('socket:')) return { kind: 'socket', what: link };
  if (link.startsWith('pipe:')) return { kind: 'pipe', what: 'pipe' };
  return { kind: 'other', what: link };
}


function addFd(a: Analyzer, p: Proc, c: Call, fd: number, entry: Omit<Fd, 'seq'>, site?: { key: string; label: string; sample: string }): void {
  if (!(fd >= 0)) return;
  closeFd(p, fd, a);
  const e: Fd = { ...entry, seq: c.seq };
  if (site) {
    let s = p.leaks.get(site.key);
    if (!s) {
      s = { site: site.key, label: site.label, opened: 0, closed: 0, live: new Set(), samples: [], firstSeq: c.seq, refs: [] };
      p.leaks.set(site.key, s);
    }
    s.opened++;
    s.live.add(fd);
    if (s.samples.length < 3 && !s.samples.includes(site.sample)) s.samples.push(site.sample);
    if (s.refs.length < 3) s.refs.push(a.ref(c));
    e.site = site.key;
    checkLeak(a, p, s, c);
  }
  p.fds.set(fd, e);
}

/** A process letting go of one end of a pipe or socketpair. */
export interface Release {
  pid: number;
  /** `closed it`, `exited`, `closed it at exec` */
  how: string;
  /** trace time of the release */
  atNs: number;
}

const releases = new WeakMap<Analyzer, Map<string, Release>>();

/** Who last let go of the other end of this pipe or socketpair: the peer an EPIPE or an EOF names. */
export function otherEndRelease(a: Analyzer, e: Fd): Release | undefined {
  return e.pair ? releases.get(a)?.get(`${e.pair.seq}:${1 - e.pair.end}`) : undefined;
}

export function releasePair(a: Analyzer, p: Proc, e: Fd, how: string): void {
  if (!e.pair) return;
  let m = releases.get(a);
  if (!m) releases.set(a, (m = new Map()));
  m.set(`${e.pair.seq}:${e.pair.end}`, { pid: p.pid, how, atNs: a.nowNs });
}

function closeFd(p: Proc, fd: number, a: Analyzer): void {
  const e = p.fds.get(fd);
  if (!e) return;
  p.fds.delete(fd);
  releasePair(a, p, e, 'closed it');
  if (e.site) {
    const s = p.leaks.get(e.site);
    if (s && s.live.delete(fd)) s.closed++;
  }
}

function checkLeak(a: Analyzer, p: Proc, s: LeakSite, c: Call | undefined, force = false): void {
  if (s.live.size < LEAK_MIN_OPEN || s.closed > s.opened * LEAK_MAX_CLOSED_SHARE) return;
  // A finding per process and site, updated as the count grows (every 16 more, to keep it cheap,
  // and once more when the process exits or the trace ends).
  const key = `fd-leak:${p.pid}:${s.site}`;
  const existing = a.get(key);
  if (existing && !force && s.live.size % 16 !== 0) return;
  const fds = [...s.live];
  const lo = Math.min(...fds);
  const hi = Math.max(...fds);
  const facts = [
    `${s.live.size} descriptors from ${s.label} are open, ${s.opened} opened and ${s.closed} closed so far (fds ${lo}..${hi})`,
    `${s.samples.length > 1 ? 'e.g.' : 'it is'} ${s.samples.join(', ')}`,
  ];
  if (existing) {
    existing.facts.splice(0, 2, ...facts);
    existing.title = leakTitle(s, p.pid);
    existing.count = s.opened;
    if (c) a.addCall(existing, a.ref(c));
    a.touch();
    return;
  }
  const { f } = a.upsert({
    kind: 'fd-leak',
    key,
    title: leakTitle(s, p.pid),
    facts,
    vars: { pid: p.pid },
  });
  f.count = s.opened;
  for (const r of s.refs) a.addCall(f, r);
  if (c) a.addCall(f, a.ref(c));
}

/** Brings the leak findings of a process up to date (at its exit, at the end of the trace). */
export function refreshLeaks(a: Analyzer, p: Proc): void {
  for (const s of p.leaks.values()) checkLeak(a, p, s, undefined, true);
}

/** The leak's title, which follows the count. */
function leakTitle(s: LeakSite, pid: number): string {
  return `pid ${pid}: descriptors leak from ${s.label} (${s.live.size} open, ${s.closed} closed)`;
}

const cloexecOf = (flags: Set<string>) => flags.has('O_CLOEXEC') || flags.has('SOCK_CLOEXEC') || flags.has('EFD_CLOEXEC') || flags.has('EPOLL_CLOEXEC') || flags.has('MFD_CLOEXEC') || flags.has('TFD_CLOEXEC') || flags.has('IN_CLOEXEC') || flags.has('SFD_CLOEXEC');

/** Resolves a path argument against its dirfd as the trace knows it (for display and grouping). */
export function absPath(a: Analyzer, p: Proc, parts: CallParts, pathIdx: number, dirfdIdx: number | undefined): string {
  const q = quoted(parts.args[pathIdx]);
  if (!q) return '';
  const path = q.value;
  if (path.startsWith('/') || dirfdIdx === undefined) return path;
  const d = fdArg(parts.args[dirfdIdx]);
  if (!d) return path;
  if (d.fd === AT_FDCWD) return d.decoration ? join(d.decoration, path) : p.cwd ? join(p.cwd, path) : path;
  const dir = d.decoration ?? fdInfo(a, p, d.fd)?.path;
  return dir ? join(dir, path) : path;
}

function join(dir: string, rel: string): string {
  return dir.endsWith('/') ? dir + rel : `${dir}/${rel}`;
}

/** Keeps the descriptor table; counts leak sites; EMFILE/ENFILE findings. */
export function detectFd(a: Analyzer, c: Call, p: Proc): boolean {
  const parts = callParts(c.text);
  if (!parts) return false;
  const ret = c.errno ? -1 : c.rval;
  if (c.errno === 'EMFILE' || c.errno === 'ENFILE') {
    describeFdLimit(a, c, p, parts);
    return true;
  }
  switch (c.name) {
    case 'open':
    case 'openat':
    case 'openat2':
    case 'creat': {
      if (ret < 0) return false;
      const pi = c.name === 'open' || c.name === 'creat' ? 0 : 1;
      const path = absPath(a, p, parts, pi, c.name === 'open' || c.name === 'creat' ? undefined : 0);
      const flagsArg = c.name === 'openat2' ? /flags=([A-Z_|]+)/.exec(parts.args[2] ?? '')?.[1] : parts.args[pi + 1];
      const flags = flagNames(flagsArg);
      const dir = flags.has('O_DIRECTORY');
      addFd(a, p, c, ret, { kind: dir ? 'dir' : 'file', what: path, path, cloexec: cloexecOf(flags) }, { key: `open:${siteOfPath(path)}`, label: `${c.name} of ${siteOfPath(path)}`, sample: path });
      return false;
    }
    case 'socket': {
      if (ret < 0) return false;
      const type = (parts.args[1] ?? '').split('|');
      const fam = parts.args[0] ?? '';
      addFd(a, p, c, ret, { kind: 'socket', what: `${fam} ${type[0]}`, sock: { family: fam, type: type[0] }, cloexec: cloexecOf(new Set(type)) }, { key: `socket:${fam}:${type[0]}`, label: `socket(${fam}, ${type[0]})`, sample: `${fam} ${type[0]}` });
      return false;
    }
    case 'socketpair':
    case 'pipe':
    case 'pipe2': {
      if (ret < 0) return false;
      const arr = c.name === 'socketpair' ? parts.args[3] : parts.args[0];
      const fds = /\[(\d+)[^,\]]*, (\d+)/.exec(arr ?? '');
      if (!fds) return false;
      const flags = flagNames(parts.args[1]);
      const isPipe = c.name !== 'socketpair';
      const fam = parts.args[0] ?? '';
      const typ = (parts.args[1] ?? '').split('|')[0];
      const ends = [Number(fds[1]), Number(fds[2])];
      for (const [i, fd] of ends.entries()) {
        const pair = { seq: c.seq, end: i as 0 | 1, maker: c.pid };
        addFd(
          a,
          p,
          c,
          fd,
          isPipe
            ? { kind: 'pipe', what: i === 0 ? 'pipe (read end)' : 'pipe (write end)', pair, cloexec: cloexecOf(flags) }
            : { kind: 'socket', what: `socketpair ${typ}`, sock: { family: fam, type: typ }, pair, cloexec: cloexecOf(flags) },
          { key: isPipe ? 'pipe' : `socketpair:${typ}`, label: isPipe ? c.name : `socketpair(${fam}, ${typ})`, sample: isPipe ? 'pipe' : 'socketpair' },
        );
      }
      return false;
    }
    case 'accept':
    case 'accept4': {
      if (ret < 0) return false;
      const peer = sockAddr(parts.args[1]);
      const lfd = fdArg(parts.args[0]);
      const listener = lfd ? fdInfo(a, p, lfd.fd, lfd.decoration) : undefined;
      const fam = listener?.sock?.family ?? (peer ? `AF_${peer.family.toUpperCase()}` : '');
      const flags = flagNames(parts.args[3]);
      addFd(a, p, c, ret, { kind: 'socket', what: `connection from ${peer?.text ?? '?'}`, sock: { family: fam, type: 'SOCK_STREAM', peer }, cloexec: cloexecOf(flags) }, { key: `accept:${lfd?.fd ?? '?'}`, label: `accept on fd ${lfd?.fd ?? '?'}`, sample: peer?.text ?? 'a connection' });
      return false;
    }
    case 'dup':
    case 'dup2':
    case 'dup3':
    case 'fcntl': {
      const src = fdArg(parts.args[0]);
      if (!src) return false;
      if (c.name === 'fcntl') {
        const cmd = parts.args[1];
        if (cmd === 'F_SETFD') {
          const e = p.fds.get(src.fd);
          if (e) e.cloexec = (parts.args[2] ?? '').includes('FD_CLOEXEC');
          return false;
        }
        if (cmd !== 'F_DUPFD' && cmd !== 'F_DUPFD_CLOEXEC') return false;
      }
      if (ret < 0) return false;
      const orig = fdInfo(a, p, src.fd, src.decoration);
      const cloexec = c.name === 'fcntl' ? parts.args[1] === 'F_DUPFD_CLOEXEC' : c.name === 'dup3' && (parts.args[2] ?? '').includes('O_CLOEXEC');
      if (orig) addFd(a, p, c, ret, { kind: orig.kind, what: orig.what, path: orig.path, sock: orig.sock, pair: orig.pair, cloexec });
      else closeFd(p, ret, a);
      return false;
    }
    case 'close': {
      const fd = fdArg(parts.args[0]);
      if (fd) closeFd(p, fd.fd, a);
      return false;
    }
    case 'close_range': {
      const lo = num(parts.args[0]);
      const hiText = parts.args[1] ?? '';
      const hi = /^~0|4294967295|0xffffffff/.test(hiText) ? Infinity : num(hiText);
      if (ret < 0 || Number.isNaN(lo)) return false;
      const cloexec = (parts.args[2] ?? '').includes('CLOSE_RANGE_CLOEXEC');
      for (const fd of [...p.fds.keys()]) {
        if (fd < lo || fd > hi) continue;
        if (cloexec) p.fds.get(fd)!.cloexec = true;
        else closeFd(p, fd, a);
      }
      return false;
    }
    default: {
      // eventfd, epoll_create, signalfd, timerfd, inotify, memfd, pidfd...: a descriptor of their own kind
      if (ret < 0) return false;
      const flags = flagNames(parts.args[parts.args.length - 1]);
      const what = c.name === 'memfd_create' ? `memfd:${quoted(parts.args[0])?.value ?? ''}` : c.name.replace(/\d+$/, '');
      addFd(a, p, c, ret, { kind: 'other', what, cloexec: cloexecOf(flags) }, { key: `other:${c.name}`, label: c.name, sample: what });
      return false;
    }
  }
}

/** exit closes everything. */
export function onExitFds(a: Analyzer, p: Proc, how: string): void {
  refreshLeaks(a, p);
  for (const e of p.fds.values()) releasePair(a, p, e, how);
  p.fds.clear();
}

/** fork copies the parent's table (the child opened none of them: no leak counting there). */
export function onForkFds(_a: Analyzer, parent: Proc, child: Proc): void {
  if (child.fds.size) return;
  for (const [fd, e] of parent.fds) child.fds.set(fd, { ...e, site: undefined });
  child.cwd = parent.cwd;
  child.exe ||= parent.exe;
}

/** exec closes the O_CLOEXEC descriptors and starts a new program. */
export function onExecFds(a: Analyzer, p: Proc): void {
  for (const [fd, e] of [...p.fds]) {
    if (!e.cloexec) continue;
    p.fds.delete(fd);
    releasePair(a, p, e, 'closed it at exec (O_CLOEXEC)');
  }
  for (const e of p.fds.values()) e.site = undefined;
  p.leaks.clear();
}
