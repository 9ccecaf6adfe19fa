// A network namespace as one of its processes sees it, from /proc/PID/net (procfs: never blocks):
// who listens on an address, the route to an address, which addresses are local, which
// interfaces exist. The socket tables come from the inspector's readers (engine/proc/sockets.ts).
import { readProcText } from '../../engine/proc/task.js';
import { InodeOwners, decodeIPv4Hex, decodeIPv6Hex, formatHolders, readSocketTables, type InetSocket, type SocketTables, type UnixSocket } from '../../engine/proc/sockets.js';
import { plainAddr, type SockAddr } from '../strace-text.js';

export interface Listeners {
  /** listening sockets that accept this address and port */
  matching: InetSocket[];
  /** listening on the port, but on another address */
  otherAddress: InetSocket[];
  /** `nginx (pid 812)` for each matching listener's holders, when found */
  holders: string;
}

const portOf = (key: string) => Number(key.slice(key.lastIndexOf(':') + 1));
const addrOf = (key: string) => key.slice(0, key.lastIndexOf(':')).replace(/^\[|\]$/g, '');

/** TCP listeners for a connect's address in `pid`'s network namespace. */
export function tcpListeners(tables: SocketTables, a: SockAddr, owners?: InodeOwners): Listeners {
  const want = plainAddr(a);
  const v6 = a.family === 'inet6' && !/^\d+\.\d+\.\d+\.\d+$/.test(want);
  const matching: InetSocket[] = [];
  const otherAddress: InetSocket[] = [];
  for (const s of tables.inet) {
    if (s.state !== 'LISTEN' || !s.proto.startsWith('TCP') || portOf(s.localKey) !== a.port) continue;
    const la = addrOf(s.localKey);
    const any = la === '0.0.0.0' || la === '::';
    // An IPv4 listener takes IPv4 only; a [::] listener takes IPv4 too unless v6only (not visible here).
    const familyOk = s.proto === 'TCP' ? !v6 : true;
    if (familyOk && (any || la === want)) matching.push(s);
    else otherAddress.push(s);
  }
  const holders = owners ? formatHolders(matching.flatMap((s) => owners.socketHolders(s.inode))) : '';
  return { matching, otherAddress, holders };
}

export function unixListener(tables: SocketTables, path: string): UnixSocket | undefined {
  return tables.unix.find((u) => u.listening && u.path === path);
}

/** Local addresses of the namespace: IPv4 from fib_trie's LOCAL entries, IPv6 from if_inet6. */
export function localAddresses(pid: number): Set<string> {
  const out = new Set<string>();
  const trie = readProcText(`/proc/${pid}/net/fib_trie`) ?? '';
  let last = '';
  for (const line of trie.split('\n')) {
    const m = /\|-- (\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (m) last = m[1];
    else if (/\/32 host LOCAL/.test(line) && last) out.add(last);
  }
  for (const line of (readProcText(`/proc/${pid}/net/if_inet6`) ?? '').split('\n')) {
    const hex = line.split(/\s+/)[0];
    if (hex && hex.length === 32) out.add(decodeIPv6Hex(v6WordsToLE(hex)));
  }
  return out;
}

/** if_inet6 prints the address in network order; decodeIPv6Hex wants /proc/net/tcp6's word-swapped form. */
function v6WordsToLE(hex: string): string {
  let out = '';
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    out += word.slice(6, 8) + word.slice(4, 6) + word.slice(2, 4) + word.slice(0, 2);
  }
  return out;
}

export function isLoopback(a: SockAddr): boolean {
  const ip = plainAddr(a);
  return ip.startsWith('127.') || ip === '::1';
}

/** Interfaces of the namespace (from /proc/PID/net/dev). */
export function interfaces(pid: number): string[] {
  const text = readProcText(`/proc/${pid}/net/dev`) ?? '';
  return text
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0].trim())
    .filter(Boolean);
}

export interface Route {
  /** `default via 10.0.0.1 dev eth0`, `10.0.0.0/24 dev eth0` */
  text: string;
  iface: string;
  gateway: string;
  /** an unreachable/prohibit/blackhole route (RTF_REJECT): it refuses instead of routing */
  reject: boolean;
}

const RTF_REJECT = 0x0200;

const ipv4ToInt = (ip: string) => ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
const leHexToInt = (hex: string) => ipv4ToInt(decodeIPv4Hex(hex));

function prefixLen(mask: number): number {
  let n = 0;
  for (let b = 31; b >= 0 && mask & (1 << b); b--) n++;
  return n;
}

/** The main table's route to an address (the longest prefix, then the lowest metric), if any. */
export function routeTo(pid: number, a: SockAddr): Route | undefined {
  const ip = plainAddr(a);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const target = ipv4ToInt(ip);
    let best: { len: number; metric: number; r: Route } | undefined;
    const lines = (readProcText(`/proc/${pid}/net/route`) ?? '').split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 8) continue;
      const flags = parseInt(f[3], 16);
      if (!(flags & 1)) continue; // RTF_UP
      const dest = leHexToInt(f[1]);
      const mask = leHexToInt(f[7]);
      if (((target & mask) >>> 0) !== ((dest & mask) >>> 0)) continue;
      const len = prefixLen(mask);
      const metric = Number(f[6]);
      const gw = decodeIPv4Hex(f[2]);
      const via = gw !== '0.0.0.0' ? ` via ${gw}` : '';
      const destText = len === 0 ? 'default' : `${decodeIPv4Hex(f[1])}/${len}`;
      const reject = (flags & RTF_REJECT) !== 0;
      const r = { text: reject ? `unreachable ${destText}` : `${destText}${via} dev ${f[0]}`, iface: f[0], gateway: gw === '0.0.0.0' ? '' : gw, reject };
      if (!best || len > best.len || (len === best.len && metric < best.metric)) best = { len, metric, r };
    }
    return best?.r;
  }
  // IPv6: /proc/net/ipv6_route lines: dest destlen src srclen nexthop metric refcnt use flags iface
  const bytes = expandV6(ip);
  if (!bytes) return undefined;
  let best: { len: number; metric: number; r: Route } | undefined;
  for (const line of (readProcText(`/proc/${pid}/net/ipv6_route`) ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const len = parseInt(f[1], 16);
    const flags = parseInt(f[8], 16);
    if (!(flags & 1)) continue; // RTF_UP
    if (!samePrefix(bytes, f[0], len)) continue;
    const metric = parseInt(f[5], 16);
    const nh = f[4] === '0'.repeat(32) ? '' : decodeIPv6Hex(v6WordsToLE(f[4]));
    const reject = (flags & RTF_REJECT) !== 0;
    // The kernel keeps a catch-all unreachable route at the bottom (::/0 on lo): no route, really.
    if (reject && len === 0 && f[9] === 'lo') continue;
    const destText = len === 0 ? 'default' : `${decodeIPv6Hex(v6WordsToLE(f[0]))}/${len}`;
    const r = { text: reject ? `unreachable ${destText}` : `${destText}${nh ? ` via ${nh}` : ''} dev ${f[9]}`, iface: f[9], gateway: nh, reject };
    if (!best || len > best.len || (len === best.len && metric < best.metric)) best = { len, metric, r };
  }
  return best?.r;
}

function expandV6(ip: string): string | undefined {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  return groups.map((g) => g.padStart(4, '0')).join('').toLowerCase();
}

function samePrefix(hex: string, destHex: string, len: number): boolean {
  const full = Math.floor(len / 4);
  if (hex.slice(0, full) !== destHex.slice(0, full).toLowerCase()) return false;
  const rem = len % 4;
  if (!rem) return true;
  const m = (0xf << (4 - rem)) & 0xf;
  return (parseInt(hex[full], 16) & m) === (parseInt(destHex[full], 16) & m);
}

/** The socket tables of `pid`'s namespace (see readSocketTables), or undefined when unreadable. */
export function netTables(pid: number): SocketTables | undefined {
  if (readProcText(`/proc/${pid}/net/tcp`) === undefined) return undefined;
  return readSocketTables(pid);
}

export { InodeOwners };
