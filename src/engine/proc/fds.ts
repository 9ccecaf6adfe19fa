// The open-files table of one process, like `lsof -p PID`: fd, type, access mode and a target
// that says where the descriptor leads (a path, socket endpoints and the local peer, a pipe or a
// FIFO and who holds its other end, what an epoll set watches, whose pidfd it is).
//
// Nothing here may block on the target's file systems. The link text, fdinfo (mount id, inode,
// flags, locks) and mountinfo come from /proc without asking any file system. The file type needs
// stat(): it is taken in our own process only on file systems that answer stat from memory
// (fsClass 'local'); on a FUSE, network or unknown mount the descriptor is marked for a check that
// checkPendingFds() runs in the prober's child process (probe.ts), with a deadline.

import { statSync } from 'node:fs';
import { InspectContext } from './context.js';
import { fsClass, readFdInfo, type FdInfo, type MountEntry } from './mounts.js';
import { ProbeTimeoutError, sharedProber } from './probe.js';
import { fileTypeOfMode, type StatAnswer } from './stat-check.js';
import { readComm, readDirOrError, readLinkOrError, readProcStat, readProcText } from './task.js';
import { findSocketPeer, formatHolders, type InodeHolder, type SocketInfo, type SocketPeer } from './sockets.js';
import { tidRanges } from './thread-groups.js';

export type FdAccess = 'r' | 'w' | 'rw' | '';

export interface FdEntry {
  fd: number;
  /** REG, DIR, CHR, BLK, FIFO, LNK, sock, TCP/TCPv6/UDP/UDPv6/UNIX for known sockets, a_inode, ? */
  type: string;
  /** r, w, rw from fdinfo flags; '' when unknown. */
  access: FdAccess;
  /** The raw /proc/PID/fd/N link. */
  link: string;
  /** One line: the path, `TCP 127.0.0.1:40000->127.0.0.1:5432 (ESTABLISHED) peer postgres (pid 812)`... */
  target: string;
  /** File offset from fdinfo `pos:` (for regular files). */
  pos?: number;
  /** fdinfo: mount id, inode, flags, the locks held through this open file description. */
  info?: FdInfo;
  /** The mount the file lives on (paths only). */
  mount?: MountEntry;
  /** A path on a file system we do not stat ourselves: what the child-process check found. */
  probe?: 'pending' | ProbeResult;
  socket?: SocketInfo;
  socketPeer?: SocketPeer;
  /** A pipe or a named FIFO: which end this is and who holds the other. */
  pipe?: PipeInfo;
  /** For an epoll descriptor: the fds it watches (tfd entries in fdinfo). */
  epollTargets?: number[];
  /** For a pidfd: the process it refers to (-1 once that process was reaped). */
  pidfdPid?: number;
}

/** Shared per-inspection state (kept under its old name for the table's callers). */
export type FdContext = InspectContext;

export function newFdContext(): FdContext {
  return new InspectContext();
}

/** The descriptors of a process, ascending, or the errno code that refused the list. */
export function listFdNumbers(pid: number): number[] | { error: string } {
  const r = readDirOrError(`/proc/${pid}/fd`);
  if ('error' in r) return r;
  return r.names
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0)
    .sort((a, b) => a - b);
}

/** How long a stat on a FUSE or network file system may take before it counts as not answering. */
const PROBE_TIMEOUT_MS = 600;

const bracketInode = (link: string): number => Number(/\[(\d+)\]/.exec(link)?.[1] ?? 0);

const accessOf = (flags: number | undefined): FdAccess => (flags === undefined ? '' : (['r', 'w', 'rw', 'rw'] as const)[flags & 3]);

/** `TCP 127.0.0.1:40000->127.0.0.1:5432 (ESTABLISHED)`, `UNIX /run/x.sock (STREAM, LISTEN)`. */
export function formatSocket(sock: SocketInfo, peer?: SocketPeer): string {
  if (sock.proto === 'UNIX') {
    const name = sock.path !== '' ? sock.path : peer?.socket?.proto === 'UNIX' && peer.socket.path ? `-> ${peer.socket.path}` : 'unnamed';
    return `UNIX ${name} (${sock.type}, ${sock.state})`;
  }
  const proto = sock.proto.replace('v6', '');
  if (sock.state === 'LISTEN' || sock.state === 'UNCONN') return `${proto} ${sock.local} (${sock.state})`;
  return `${proto} ${sock.local}->${sock.remote} (${sock.state})`;
}

/** The suffix naming the local process at the other end, or why there is none. */
export function formatSocketPeer(peer: SocketPeer, selfPid: number): string {
  if (peer.holders.length > 0) return ` peer ${formatHolders(peer.holders.map((h) => (h.pid === selfPid ? { ...h, comm: `this process fd ${h.fd}` } : h)))}`;
  return '';
}

/** A pipe or named FIFO as one descriptor sees it: which end we hold and who holds the other. */
export interface PipeInfo {
  /** The pipe's inode (anonymous pipes) or 0. */
  inode: number;
  /** The end this descriptor is: r (read end), w (write end). */
  end: FdAccess | undefined;
  /** Holders of the opposite end (other processes, or other fds of this one). */
  peers: (InodeHolder & { end: FdAccess | undefined })[];
}

/**
 * Who else holds the pipe or FIFO that descriptor fd of pid (link text `link`) refers to. For a
 * named FIFO the link is a path: holders of the same path are checked by inode (`ino`).
 */
function describePipeEnds(ctx: InspectContext, pid: number, fd: number, link: string, end: FdAccess, ino?: bigint): PipeInfo {
  const peers: PipeInfo['peers'] = [];
  for (const h of ctx.owners.holders(link)) {
    if (h.pid === pid && h.fd === fd) continue;
    const info = readFdInfo(h.pid, h.fd);
    if (ino !== undefined && info?.ino !== undefined && info.ino !== ino) continue;
    const hEnd = accessOf(info?.flags);
    // Keep only holders of the other end; unknown access modes are kept (better shown than hidden).
    if (end && hEnd && hEnd === end && end !== 'rw') continue;
    peers.push({ ...h, end: hEnd });
  }
  return { inode: ino === undefined ? bracketInode(link) : 0, end, peers };
}

/** `pipe:[123] <- written by cat (pid 77)`; `pipe:[123] -> read by nobody (writes fail with EPIPE)`. */
export function formatPipe(name: string, info: PipeInfo, selfPid: number): string {
  const holders = info.peers.map((p) => (p.pid === selfPid ? { pid: p.pid, comm: `this process fd ${p.fd}` } : p));
  const who = holders.length ? formatHolders(holders) : '';
  if (info.end === 'r') return who ? `${name} <- written by ${who}` : `${name} <- no writer left (reads return EOF)`;
  if (info.end === 'w') return who ? `${name} -> read by ${who}` : `${name} -> no reader left (writes fail with EPIPE)`;
  return who ? `${name} shared with ${who}` : name;
}

/** What a child-process stat found, as the table shows it. */
function probeText(p: ProbeResult): string {
  if (p.kind === 'timeout') return `could not stat: the file system does not answer (no reply for ${Math.max(1, Math.round((Date.now() - p.sinceMs) / 1000))} s)`;
  if (p.kind === 'error') return `could not stat: ${p.reason}`;
  return '';
}

/** Fill in what a path's type tells (a named FIFO's other ends). */
function finishPath(ctx: InspectContext, pid: number, entry: FdEntry): void {
  if (entry.type === 'FIFO') {
    entry.pipe = describePipeEnds(ctx, pid, entry.fd, entry.link, entry.access, entry.info?.ino);
    entry.target = formatPipe(`FIFO ${entry.link}`, entry.pipe, pid);
  } else if (entry.probe && entry.probe !== 'pending' && entry.probe.kind !== 'stat') {
    entry.target = `${entry.link} (${probeText(entry.probe)})`;
  }
}

/** Describe one descriptor. undefined when it closed meanwhile. */
export function describeFd(pid: number, fd: number, ctx: FdContext): FdEntry | undefined {
  const r = readLinkOrError(`/proc/${pid}/fd/${fd}`);
  if ('error' in r) {
    if (r.error === 'ENOENT') return undefined;
    return { fd, type: '?', access: '', link: '', target: `(not readable: ${r.error === 'EACCES' || r.error === 'EPERM' ? 'permission denied' : r.error})` };
  }
  const link = r.link;
  const info = readFdInfo(pid, fd);
  const entry: FdEntry = { fd, type: '?', access: accessOf(info?.flags), link, target: link, info };

  if (link.startsWith('socket:[')) {
    const inode = bracketInode(link);
    const sock = ctx.socketTables(pid).byInode.get(inode);
    entry.type = sock ? sock.proto : 'sock';
    if (!sock) {
      // netlink, packet, vsock... are not in the tables we read.
      entry.target = `${link} (not TCP, UDP or unix: netlink, raw or packet)`;
      return entry;
    }
    entry.socket = sock;
    entry.socketPeer = findSocketPeer(ctx, pid, sock);
    entry.target = formatSocket(sock, entry.socketPeer) + formatSocketPeer(entry.socketPeer, pid);
    return entry;
  }
  if (link.startsWith('pipe:[')) {
    entry.type = 'FIFO';
    entry.pipe = describePipeEnds(ctx, pid, fd, link, entry.access);
    entry.target = formatPipe(link, entry.pipe, pid);
    return entry;
  }
  if (link === 'anon_inode:[pidfd]' || link.startsWith('pidfd:')) {
    entry.type = 'a_inode';
    entry.pidfdPid = info?.pidfdPid;
    const p = entry.pidfdPid;
    entry.target = p === undefined ? link : p > 0 ? `${link} pid ${p} (${readComm(p) ?? 'gone'})` : `${link} (its process was reaped)`;
    return entry;
  }
  if (link.startsWith('anon_inode:')) {
    entry.type = 'a_inode';
    const kind = link.slice('anon_inode:'.length);
    if (kind === '[eventpoll]') {
      const tfds = info?.tfds ?? [];
      entry.epollTargets = tfds;
      entry.target = `${link} watching ${tfds.length} fd${tfds.length === 1 ? '' : 's'}${tfds.length ? ` (${tfds.slice(0, 8).join(', ')}${tfds.length > 8 ? ', ...' : ''})` : ''}`;
    } else if (kind === '[eventfd]' && info?.eventfdCount !== undefined) {
      entry.target = `${link} count=${info.eventfdCount}`;
    }
    return entry;
  }
  if (!link.startsWith('/')) return entry; // another pseudo file system's name: nothing to stat

  entry.mount = info?.mntId !== undefined ? ctx.mountTable(pid)?.byId.get(info.mntId) : undefined;
  if (entry.mount && fsClass(entry.mount.fsType) === 'local') {
    try {
      entry.type = fileTypeOfMode(statSync(`/proc/${pid}/fd/${fd}`).mode);
    } catch {
      return undefined; // closed meanwhile
    }
  } else {
    entry.probe = 'pending';
  }
  if (entry.type === 'REG' && info?.pos !== undefined) entry.pos = info.pos;
  finishPath(ctx, pid, entry);
  return entry;
}

/** What the check of a path on a file system we do not stat ourselves found. */
export type ProbeResult =
  | { kind: 'stat'; mode: number }
  | { kind: 'error'; reason: string }
  /** No answer in time; `sinceMs`: when the check that still hangs on this file system began. */
  | { kind: 'timeout'; sinceMs: number };

/**
 * File systems whose last check did not answer, with the prober's abandoned child: while that
 * child is still stuck, the file system is reported as not answering without trying again (each
 * try would leave one more process stuck in it).
 */
const hungFileSystems = new Map<string, { pid: number; startTicks: number; sinceMs: number }>();

function stillHung(key: string): number | undefined {
  const h = hungFileSystems.get(key);
  if (!h) return undefined;
  const st = readProcStat(h.pid);
  if (st && st.startTicks === h.startTicks && st.state !== 'Z') return h.sinceMs;
  hungFileSystems.delete(key);
  return undefined;
}

async function checkFileSystem(key: string, paths: string[], timeoutMs: number): Promise<Map<string, ProbeResult>> {
  const out = new Map<string, ProbeResult>();
  const since = stillHung(key);
  if (since !== undefined) {
    for (const p of paths) out.set(p, { kind: 'timeout', sinceMs: since });
    return out;
  }
  const startedMs = Date.now();
  try {
    const answers = await sharedProber().call<StatAnswer[]>('engine/proc/stat-check.js', 'statPaths', [paths], timeoutMs);
    for (const a of answers) out.set(a.path, 'error' in a ? { kind: 'error', reason: a.error } : { kind: 'stat', mode: a.mode });
  } catch (err) {
    if (err instanceof ProbeTimeoutError) {
      const st = err.childPid !== undefined ? readProcStat(err.childPid) : undefined;
      if (st && err.childPid !== undefined) hungFileSystems.set(key, { pid: err.childPid, startTicks: st.startTicks, sinceMs: startedMs });
      for (const p of paths) out.set(p, { kind: 'timeout', sinceMs: startedMs });
    } else {
      for (const p of paths) out.set(p, { kind: 'error', reason: `the check failed: ${(err as Error).message}` });
    }
  }
  return out;
}

/**
 * Run the checks the entries wait for in the prober's child, one file system after the other (a
 * file system that hangs costs its own timeout only), and fill in their type and target.
 */
export async function checkPendingFds(pid: number, entries: FdEntry[], ctx: FdContext): Promise<void> {
  const byMount = new Map<string, FdEntry[]>();
  for (const e of entries) {
    if (e.probe !== 'pending') continue;
    const key = e.mount ? `${e.mount.major}:${e.mount.minor}` : `pid ${pid} fd ${e.fd}`;
    let list = byMount.get(key);
    if (!list) byMount.set(key, (list = []));
    list.push(e);
  }
  for (const [key, list] of byMount) {
    const paths = list.map((e) => `/proc/${pid}/fd/${e.fd}`);
    const results = await checkFileSystem(key, paths, Math.max(100, Math.min(PROBE_TIMEOUT_MS, ctx.timeLeftMs())));
    list.forEach((e, i) => {
      const p = results.get(paths[i]) ?? { kind: 'error', reason: 'no answer from the check' };
      e.probe = p;
      if (p.kind === 'stat') {
        e.type = fileTypeOfMode(p.mode);
        if (e.type === 'REG' && e.info?.pos !== undefined) e.pos = e.info.pos;
      }
      finishPath(ctx, pid, e);
    });
  }
}

export type OpenFiles = { files: FdEntry[] } | { reason: string };

/** The lsof-like table without the child-process checks: paths on remote mounts stay pending. */
export function listOpenFiles(pid: number, ctx: FdContext = newFdContext()): FdEntry[] | undefined {
  const fds = listFdNumbers(pid);
  if ('error' in fds) return undefined;
  const out: FdEntry[] = [];
  for (const fd of fds) {
    const e = describeFd(pid, fd, ctx);
    if (e) out.push(e);
  }
  return out;
}

/** The whole table, checks included, or the reason there is none to show. */
export async function readOpenFiles(pid: number, ctx: FdContext): Promise<OpenFiles> {
  const fds = listFdNumbers(pid);
  if ('error' in fds) return { reason: openFilesUnavailableReason(pid, fds.error) };
  if (fds.length === 0) {
    const st = readProcStat(pid);
    if (st?.state === 'Z') return { reason: 'a zombie has no open files left' };
    if (st && (st.flags & 0x00200000) !== 0) return { reason: 'a kernel thread has no open files' };
  }
  const files: FdEntry[] = [];
  for (const fd of fds) {
    const e = describeFd(pid, fd, ctx);
    if (e) files.push(e);
  }
  // Listed, yet not one readable: one line says so, rather than a row of refusals per descriptor.
  if (files.length > 0 && files.every((e) => e.link === '' && e.type === '?')) {
    return { reason: `${files.length} descriptor${files.length === 1 ? '' : 's'} open (fds ${tidRanges(files.map((e) => e.fd))}), but where they point is not readable: ${files[0].target.replace(/^\(not readable: (.*)\)$/, '$1')}` };
  }
  await checkPendingFds(pid, files, ctx);
  return { files };
}

/** Why the fd table cannot be shown, in one line. */
export function openFilesUnavailableReason(pid: number, code = 'EACCES'): string {
  if (readProcText(`/proc/${pid}/stat`) === undefined) return `pid ${pid} does not exist`;
  if (code === 'EACCES' || code === 'EPERM') {
    return `cannot list /proc/${pid}/fd: permission denied (another user's process; needs root or CAP_SYS_PTRACE)`;
  }
  return `cannot list /proc/${pid}/fd: ${code}`;
}
