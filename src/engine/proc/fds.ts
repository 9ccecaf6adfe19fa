// The open-files table of one process, like `lsof -p PID`: fd, type, access mode and a target
// that says where the descriptor leads (a path, socket endpoints and the local peer, a pipe and
// who holds its other end, what an epoll set watches).

import { readdirSync, statSync } from 'node:fs';
import { readLinkSafe, readProcText } from './task.js';
import {
  InodeOwners,
  describePipe,
  findSocketPeer,
  formatHolders,
  readFdAccess,
  readSocketTables,
  type PipeInfo,
  type SocketInfo,
  type SocketPeer,
  type SocketTables,
} from './sockets.js';

export interface FdEntry {
  fd: number;
  /** REG, DIR, CHR, BLK, FIFO, LNK, sock, TCP/TCPv6/UDP/UDPv6/UNIX for known sockets, a_inode, ? */
  type: string;
  /** r, w, rw from fdinfo flags; '' when unknown. */
  access: 'r' | 'w' | 'rw' | '';
  /** The raw /proc/PID/fd/N link. */
  link: string;
  /** One line: the path, `TCP 127.0.0.1:40000->127.0.0.1:5432 (ESTABLISHED) peer postgres (pid 812)`... */
  target: string;
  /** File offset from fdinfo `pos:` (for regular files). */
  pos?: number;
  socket?: SocketInfo;
  socketPeer?: SocketPeer;
  pipe?: PipeInfo;
  /** For an epoll descriptor: the fds it watches (tfd entries in fdinfo). */
  epollTargets?: number[];
}

/** Shared per-inspection state: the socket tables and the fd-link index are built at most once. */
export interface FdContext {
  tables: SocketTables;
  owners: InodeOwners;
}

export function newFdContext(pid?: number): FdContext {
  return { tables: readSocketTables(pid), owners: new InodeOwners() };
}

/** The descriptors of a process, ascending; undefined when it is gone or its fds are not readable. */
export function listFdNumbers(pid: number): number[] | undefined {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  return names
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0)
    .sort((a, b) => a - b);
}

/** The watched descriptors of an epoll fd, from `tfd:` lines in its fdinfo. */
export function readEpollTargets(pid: number, fd: number): number[] | undefined {
  const text = readProcText(`/proc/${pid}/fdinfo/${fd}`);
  if (text === undefined) return undefined;
  const out: number[] = [];
  for (const m of text.matchAll(/^tfd:\s*(\d+)/gm)) out.push(Number(m[1]));
  return out;
}

function fileTypeOf(pid: number, fd: number): string {
  try {
    const st = statSync(`/proc/${pid}/fd/${fd}`);
    if (st.isFile()) return 'REG';
    if (st.isDirectory()) return 'DIR';
    if (st.isCharacterDevice()) return 'CHR';
    if (st.isBlockDevice()) return 'BLK';
    if (st.isFIFO()) return 'FIFO';
    if (st.isSocket()) return 'sock';
    if (st.isSymbolicLink()) return 'LNK';
    return '?';
  } catch {
    return '?';
  }
}

const bracketInode = (link: string): number => Number(/\[(\d+)\]/.exec(link)?.[1] ?? 0);

/** `TCP 127.0.0.1:40000->127.0.0.1:5432 (ESTABLISHED)`, `UNIX /run/x.sock (STREAM, LISTEN)`. */
export function formatSocket(sock: SocketInfo): string {
  if (sock.proto === 'UNIX') {
    const name = sock.path === '' ? 'unnamed' : sock.path;
    return `UNIX ${name} (${sock.type}, ${sock.state})`;
  }
  const proto = sock.proto.replace('v6', '');
  if (sock.state === 'LISTEN' || sock.state === 'UNCONN') return `${proto} ${sock.local} (${sock.state})`;
  return `${proto} ${sock.local}->${sock.remote} (${sock.state})`;
}

/** The suffix naming the local process at the other end, or why there is none. */
export function formatSocketPeer(peer: SocketPeer): string {
  if (peer.holders.length > 0) return ` peer ${formatHolders(peer.holders)}`;
  return '';
}

/** `pipe:[123] <- written by cat (pid 77)`; `pipe:[123] -> read by nobody (writes fail with EPIPE)`. */
export function formatPipe(info: PipeInfo, selfPid: number): string {
  const holders = info.peers.map((p) => (p.pid === selfPid ? { pid: p.pid, comm: `this process fd ${p.fd}` } : p));
  const who = holders.length ? formatHolders(holders) : '';
  const base = `pipe:[${info.inode}]`;
  if (info.end === 'r') return who ? `${base} <- written by ${who}` : `${base} <- no writer left (reads return EOF)`;
  if (info.end === 'w') return who ? `${base} -> read by ${who}` : `${base} -> no reader left (writes fail with EPIPE)`;
  return who ? `${base} shared with ${who}` : base;
}

/** Describe one descriptor. undefined when it closed meanwhile. */
export function describeFd(pid: number, fd: number, ctx: FdContext): FdEntry | undefined {
  const link = readLinkSafe(`/proc/${pid}/fd/${fd}`);
  if (link === undefined) return undefined;
  const access = readFdAccess(pid, fd) ?? '';
  const entry: FdEntry = { fd, type: '?', access, link, target: link };

  if (link.startsWith('socket:[')) {
    const inode = bracketInode(link);
    const sock = ctx.tables.byInode.get(inode);
    entry.type = sock ? sock.proto : 'sock';
    if (!sock) {
      // netlink, packet, vsock... are not in the tables we read.
      entry.target = `${link} (not TCP, UDP or unix: netlink, raw or packet)`;
      return entry;
    }
    entry.socket = sock;
    entry.socketPeer = findSocketPeer(ctx.tables, ctx.owners, sock);
    entry.target = formatSocket(sock) + formatSocketPeer(entry.socketPeer);
    return entry;
  }
  if (link.startsWith('pipe:[')) {
    entry.type = 'FIFO';
    entry.pipe = describePipe(ctx.owners, pid, fd, bracketInode(link));
    entry.target = formatPipe(entry.pipe, pid);
    return entry;
  }
  if (link.startsWith('anon_inode:')) {
    entry.type = 'a_inode';
    const kind = link.slice('anon_inode:'.length);
    if (kind === '[eventpoll]') {
      const tfds = readEpollTargets(pid, fd) ?? [];
      entry.epollTargets = tfds;
      entry.target = `${link} watching ${tfds.length} fd${tfds.length === 1 ? '' : 's'}${tfds.length ? ` (${tfds.slice(0, 8).join(', ')}${tfds.length > 8 ? ', ...' : ''})` : ''}`;
    } else if (kind === '[eventfd]') {
      const count = /^eventfd-count:\s*(\S+)/m.exec(readProcText(`/proc/${pid}/fdinfo/${fd}`) ?? '')?.[1];
      entry.target = count !== undefined ? `${link} count=${parseInt(count, 16)}` : link;
    }
    return entry;
  }
  entry.type = fileTypeOf(pid, fd);
  if (entry.type === 'REG') {
    const pos = /^pos:\s*(\d+)/m.exec(readProcText(`/proc/${pid}/fdinfo/${fd}`) ?? '')?.[1];
    if (pos !== undefined) entry.pos = Number(pos);
  }
  if (entry.type === 'FIFO' && link.startsWith('/')) {
    // A named FIFO: its holders are found the same way as an anonymous pipe's, by the fd link.
    entry.target = link;
  }
  return entry;
}

/** The lsof-like table. undefined when the process is gone or its fds are not readable. */
export function listOpenFiles(pid: number, ctx: FdContext = newFdContext(pid)): FdEntry[] | undefined {
  const fds = listFdNumbers(pid);
  if (!fds) return undefined;
  const out: FdEntry[] = [];
  for (const fd of fds) {
    const e = describeFd(pid, fd, ctx);
    if (e) out.push(e);
  }
  return out;
}

/** Why the fd table cannot be shown, in one line. */
export function openFilesUnavailableReason(pid: number): string {
  if (readProcText(`/proc/${pid}/stat`) === undefined) return `pid ${pid} does not exist`;
  return `cannot list /proc/${pid}/fd: permission denied (another user's process; needs root or CAP_SYS_PTRACE)`;
}
