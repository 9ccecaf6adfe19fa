// Sockets and who holds them: /proc/PID/net/{tcp,tcp6,udp,udp6,unix} give each socket inode its
// addresses and state; the peer of a unix socket comes from the kernel's sock_diag (UNIX_DIAG_PEER,
// as `ss -x` gets it: /proc does not show it); a scan of /proc/*/fd links (`socket:[INODE]`,
// `pipe:[INODE]`, paths) tells which local processes hold a given one. The tables are read through
// the target's own /proc/PID/net so a process in another network namespace is seen as it sees itself.

import { readDirSafe, readLinkSafe, readProcText, readComm } from './task.js';

export type SocketProto = 'TCP' | 'TCPv6' | 'UDP' | 'UDPv6' | 'UNIX';

export interface InetSocket {
  proto: 'TCP' | 'TCPv6' | 'UDP' | 'UDPv6';
  inode: number;
  /** As strace prints: `127.0.0.1:5000`, `[::1]:5000`. */
  local: string;
  remote: string;
  /** ESTABLISHED, LISTEN...; UDP sockets are UNCONN or ESTABLISHED (connected). */
  state: string;
  /** Bytes queued: for TCP, tx = not yet acknowledged, rx = not yet read by the process. */
  txQueue: number;
  rxQueue: number;
  uid: number;
  /** Normalized keys (IPv4-mapped IPv6 folded to IPv4) used to find the other end. */
  localKey: string;
  remoteKey: string;
}

export interface UnixSocket {
  proto: 'UNIX';
  inode: number;
  /** Bound path, `@name` for the abstract namespace, '' when unnamed. */
  path: string;
  type: string; // STREAM, DGRAM, SEQPACKET
  state: string; // UNCONNECTED, CONNECTING, CONNECTED, DISCONNECTING, LISTEN
  listening: boolean;
}

export type SocketInfo = InetSocket | UnixSocket;

const TCP_STATES: Record<number, string> = {
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
};

/** `0100007F` (little-endian u32 as the kernel prints it) -> `127.0.0.1`. */
export function decodeIPv4Hex(hex: string): string {
  const n = parseInt(hex, 16) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** 32 hex digits, four little-endian u32 words -> the 16 address bytes in network order. */
function ipv6HexToBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  return bytes;
}

/** RFC 5952 text as inet_ntop prints it (what strace shows): `::1`, `fe80::1`, `::ffff:127.0.0.1`. */
export function formatIPv6(bytes: number[]): string {
  const isV4Mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isV4Mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  // Longest run of two or more zero groups, first one on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexs = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexs.join(':');
  const head = hexs.slice(0, bestStart).join(':');
  const tail = hexs.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

export function decodeIPv6Hex(hex: string): string {
  return formatIPv6(ipv6HexToBytes(hex));
}

/** `0100007F:1F90` -> { text: `127.0.0.1:8080`, key } */
function decodeEndpoint(field: string, v6: boolean): { text: string; key: string } {
  const [addrHex, portHex] = field.split(':');
  const port = parseInt(portHex, 16);
  if (!v6) {
    const a = decodeIPv4Hex(addrHex);
    return { text: `${a}:${port}`, key: `${a}:${port}` };
  }
  const a = decodeIPv6Hex(addrHex);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return { text: `[${a}]:${port}`, key: mapped ? `${mapped[1]}:${port}` : `[${a}]:${port}` };
}

/** Parse one /proc/net/{tcp,tcp6,udp,udp6} table. */
export function parseInetTable(text: string, proto: InetSocket['proto']): InetSocket[] {
  const v6 = proto.endsWith('v6');
  const udp = proto.startsWith('UDP');
  const out: InetSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 10) continue;
    const local = decodeEndpoint(f[1], v6);
    const remote = decodeEndpoint(f[2], v6);
    const st = parseInt(f[3], 16);
    const [tx, rx] = f[4].split(':').map((h) => parseInt(h, 16));
    let state = TCP_STATES[st] ?? `state ${st}`;
    if (udp) state = st === 1 ? 'ESTABLISHED' : 'UNCONN';
    out.push({
      proto,
      inode: Number(f[9]),
      local: local.text,
      remote: remote.text,
      state,
      txQueue: tx,
      rxQueue: rx,
      uid: Number(f[7]),
      localKey: local.key,
      remoteKey: remote.key,
    });
  }
  return out;
}

const UNIX_TYPES: Record<number, string> = { 1: 'STREAM', 2: 'DGRAM', 5: 'SEQPACKET' };
const UNIX_STATES: Record<number, string> = { 0: 'FREE', 1: 'UNCONNECTED', 2: 'CONNECTING', 3: 'CONNECTED', 4: 'DISCONNECTING' };
const SO_ACCEPTCON = 0x10000;

/** Parse /proc/net/unix: `Num RefCount Protocol Flags Type St Inode Path`. */
export function parseUnixTable(text: string): UnixSocket[] {
  const out: UnixSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const flags = parseInt(f[3], 16);
    const type = parseInt(f[4], 16);
    const st = parseInt(f[5], 16);
    const listening = (flags & SO_ACCEPTCON) !== 0;
    // The path is everything after the inode; it may contain spaces. Abstract names start with '@'.
    const m = /^\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\d+ ?(.*)$/.exec(line.trim());
    out.push({
      proto: 'UNIX',
      inode: Number(f[6]),
      path: m ? m[1] : '',
      type: UNIX_TYPES[type] ?? `type ${type}`,
      state: listening ? 'LISTEN' : (UNIX_STATES[st] ?? `state ${st}`),
      listening,
    });
  }
  return out;
}

/** Every socket visible in a process's network namespace, by inode. */
export interface SocketTables {
  byInode: Map<number, SocketInfo>;
  inet: InetSocket[];
  unix: UnixSocket[];
}

/** Read the socket tables as `pid` sees them (its network namespace); falls back to ours. */
export function readSocketTables(pid?: number): SocketTables {
  const base = pid !== undefined && readProcText(`/proc/${pid}/net/unix`) !== undefined ? `/proc/${pid}/net` : '/proc/net';
  const inet: InetSocket[] = [];
  const files: [string, InetSocket['proto']][] = [
    ['tcp', 'TCP'],
    ['tcp6', 'TCPv6'],
    ['udp', 'UDP'],
    ['udp6', 'UDPv6'],
  ];
  for (const [file, proto] of files) {
    const text = readProcText(`${base}/${file}`);
    if (text) inet.push(...parseInetTable(text, proto));
  }
  const unixText = readProcText(`${base}/unix`);
  const unix = unixText ? parseUnixTable(unixText) : [];
  const byInode = new Map<number, SocketInfo>();
  for (const s of inet) if (s.inode !== 0) byInode.set(s.inode, s);
  for (const s of unix) byInode.set(s.inode, s);
  return { byInode, inet, unix };
}

/** The other end of a connected TCP/UDP socket in the same tables: local and remote swapped. */
export function findInetPeer(tables: SocketTables, sock: InetSocket): InetSocket | undefined {
  if (sock.state === 'LISTEN' || sock.state === 'UNCONN') return undefined;
  const tcp = sock.proto.startsWith('TCP');
  return tables.inet.find(
    (o) =>
      o !== sock &&
      o.inode !== 0 &&
      o.proto.startsWith(tcp ? 'TCP' : 'UDP') &&
      o.localKey === sock.remoteKey &&
      o.remoteKey === sock.localKey,
  );
}

/** One process holding a file, pipe or socket open. */
export interface InodeHolder {
  pid: number;
  comm: string;
  fd: number;
}

/**
 * Which processes hold what, from one scan of every /proc/*\/fd link: sockets and pipes by
 * `socket:[INODE]`/`pipe:[INODE]`, files by path. Built lazily, once per inspection: on a big host
 * the scan costs a few thousand readlinks (which never touch the files themselves).
 */
export class InodeOwners {
  private index: Map<string, InodeHolder[]> | undefined;

  /** Holders of a descriptor whose /proc link text is `link`. */
  holders(link: string): InodeHolder[] {
    if (!this.index) this.index = scanFdLinks();
    return this.index.get(link) ?? [];
  }

  socketHolders(inode: number): InodeHolder[] {
    return this.holders(`socket:[${inode}]`);
  }
}

function scanFdLinks(): Map<string, InodeHolder[]> {
  const index = new Map<string, InodeHolder[]>();
  for (const name of readDirSafe('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const fds = readDirSafe(`/proc/${pid}/fd`);
    if (fds.length === 0) continue;
    let comm: string | undefined;
    for (const fdName of fds) {
      const link = readLinkSafe(`/proc/${pid}/fd/${fdName}`);
      if (!link) continue;
      comm ??= readComm(pid) ?? '?';
      let list = index.get(link);
      if (!list) index.set(link, (list = []));
      list.push({ pid, comm, fd: Number(fdName) });
    }
  }
  return index;
}

/** `name (pid N)` list, deduplicated by pid, at most `max` shown. */
export function formatHolders(holders: { pid: number; comm: string }[], max = 3): string {
  const seen = new Map<number, string>();
  for (const h of holders) if (!seen.has(h.pid)) seen.set(h.pid, h.comm);
  const parts = [...seen].slice(0, max).map(([pid, comm]) => `${comm} (pid ${pid})`);
  if (seen.size > max) parts.push(`${seen.size - max} more`);
  return parts.join(', ');
}

/** The local processes holding the other end of a socket, and that end's socket entry. */
export interface SocketPeer {
  socket?: SocketInfo;
  holders: InodeHolder[];
  /** Why no peer is shown, when none is. */
  note?: string;
}

/** What a context gives the peer search: the tables of a process's namespace and who holds what. */
export interface PeerSources {
  socketTables(pid: number): SocketTables;
  unixSockets(pid: number): Map<number, { inode: number; peer: number; path: string }> | undefined;
  owners: InodeOwners;
}

export function findSocketPeer(ctx: PeerSources, pid: number, sock: SocketInfo): SocketPeer {
  const tables = ctx.socketTables(pid);
  if (sock.proto === 'UNIX') {
    if (sock.listening) return { holders: [], note: 'listening' };
    const diag = ctx.unixSockets(pid);
    if (!diag) return { holders: [], note: 'its peer cannot be asked for (no sock_diag answer for its network namespace)' };
    const peerInode = diag.get(sock.inode)?.peer ?? 0;
    // sock_diag names no peer (inode 0) both when the other end was closed and when the connection
    // still waits in a listener's queue, not accepted: that end has no socket inode until accept().
    // A client blocked reading a server that never accepts is the second, and common.
    if (!peerInode) return { holders: [], note: sock.type === 'DGRAM' ? 'not connected' : 'no peer socket: the other end was closed, or the listener has not accepted the connection yet' };
    const peerSock = tables.byInode.get(peerInode);
    const holders = ctx.owners.socketHolders(peerInode);
    return holders.length ? { socket: peerSock, holders } : { socket: peerSock, holders, note: `peer socket ${peerInode} is held by no process we can see` };
  }
  const peer = findInetPeer(tables, sock);
  if (!peer) {
    if (sock.state === 'LISTEN' || sock.state === 'UNCONN') return { holders: [] };
    return { holders: [], note: 'the other end is not on this host (or in another network namespace)' };
  }
  return { socket: peer, holders: ctx.owners.socketHolders(peer.inode) };
}
