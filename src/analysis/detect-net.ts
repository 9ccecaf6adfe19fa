// Sockets: connect's failures with the evidence that explains them (is anything listening on that
// address in the process's network namespace? what route leads there?), the non-blocking connect
// followed through EINPROGRESS, poll/select and getsockopt(SO_ERROR) to its result (shown on the
// connect's own row), the peer going away (EPIPE/SIGPIPE, ECONNRESET, a read of 0 bytes) named,
// and bind's EADDRINUSE with who holds the port.
import type { Analyzer, Call } from './analyzer.js';
import { fdInfo, otherEndRelease } from './detect-fds.js';
import { countExpected, notPermitted } from './detect-failures.js';
import type { ProcView } from './live/evidence.js';
import { InodeOwners, interfaces, isLoopback, localAddresses, netTables, routeTo, tcpListeners, unixListener } from './live/net.js';
import { fmtNs, type Fd, type Proc } from './model.js';
import { callParts, fdArg, num, plainAddr, sockAddr, type SockAddr } from './strace-text.js';
import type { SignalEvent } from '../engine/types.js';
import { readComm, readProcText } from '../engine/proc/task.js';

const READS = new Set(['read', 'readv', 'recvfrom', 'recvmsg', 'recv', 'recvmmsg']);
const WRITES = new Set(['write', 'writev', 'sendto', 'sendmsg', 'sendmmsg', 'send']);
const POLLS = new Set(['poll', 'ppoll', 'select', 'pselect6']);

/**
 * The far end of a socket or pipe, in words: an address, a socket path, or who held the other end
 * at `atNs` (the time of the call asking: the trace may show its peer's exit before the call).
 */
export function peerOf(a: Analyzer, p: Proc, fd: number, deco?: string, atNs = Infinity): string {
  const e = fdInfo(a, p, fd, deco);
  if (e?.sock?.peer) return e.sock.peer.text;
  const m = deco ? /->(.*)\]$/.exec(deco) : null;
  if (m) return m[1];
  if (e?.pair) {
    const what = e.kind === 'pipe' ? "the pipe's other end" : "the socketpair's other end";
    const unseen = p.untracedChildren.length ? `; untraced child${p.untracedChildren.length > 1 ? 'ren' : ''} ${p.untracedChildren.slice(-3).join(', ')} may hold it too (trace with -f to see them)` : '';
    const holders = otherEndHolders(a, e);
    if (holders.length) return `${what}, held by ${holders.slice(0, 3).map((pid) => `pid ${pid}${commOf(a, pid)}`).join(', ')}${unseen}`;
    const r = otherEndRelease(a, e);
    if (r && r.atNs > atNs) return `${what}, held by pid ${r.pid}${commOf(a, r.pid)} (which ${r.how} since)${unseen}`;
    if (r) return `${what}, last held by pid ${r.pid}${commOf(a, r.pid)}, which ${r.how}${unseen}`;
    return `${what} (made by pid ${e.pair.maker})${unseen}`;
  }
  return e?.what ? `${e.what} (fd ${fd})` : `fd ${fd}`;
}

/** Traced processes holding the other end of e's pipe or socketpair now. */
function otherEndHolders(a: Analyzer, e: Fd): number[] {
  const out: number[] = [];
  for (const q of a.procs.values()) {
    if (q.exited) continue;
    for (const f of q.fds.values()) {
      if (f.pair && f.pair.seq === e.pair!.seq && f.pair.end !== e.pair!.end) {
        out.push(q.pid);
        break;
      }
    }
  }
  return out;
}

function commOf(a: Analyzer, pid: number): string {
  const exe = a.procs.get(pid)?.exe ?? a.gone.get(pid);
  const name = exe ? exe.slice(exe.lastIndexOf('/') + 1) : a.evidence ? readComm(pid) : undefined;
  return name ? ` ${name}` : '';
}

const isStream = (e: Fd | undefined, deco?: string) =>
  (e?.sock?.type ?? '').startsWith('SOCK_STREAM') || /^(TCP|TCPv6|UNIX-STREAM)/.test(deco ?? '') || (e?.kind === 'socket' && !e.sock?.type && !/UDP|DGRAM/.test(e.what));

export function detectNet(a: Analyzer, c: Call, p: Proc): boolean {
  // reads, writes, waits and closes are most of a trace: only the few that matter here are parsed
  if ((READS.has(c.name) || WRITES.has(c.name)) && !c.errno && c.rval !== 0 && c.name !== 'sendto') return false;
  if ((POLLS.has(c.name) || c.name.startsWith('epoll_')) && (c.errno || c.rval !== 0)) return false;
  if (c.name === 'close' && !p.fds.get(c.fd)?.sock?.connecting) return false;
  const parts = callParts(c.text);
  if (!parts) return false;
  const fdA = fdArg(parts.args[0]);
  switch (c.name) {
    case 'socket':
      if ((c.errno === 'EPERM' || c.errno === 'EACCES') && /SOCK_RAW|AF_PACKET/.test(c.text)) {
        notPermitted(a, c, 'CAP_NET_RAW', 'raw and packet sockets');
        return true;
      }
      return false;
    case 'connect':
      return fdA ? connect(a, c, p, fdA.fd, fdA.decoration, sockAddr(parts.args[1])) : false;
    case 'bind':
      return bind(a, c, p, fdA?.fd, sockAddr(parts.args[1]));
    case 'getsockname': {
      const e = !c.errno && fdA ? fdInfo(a, p, fdA.fd, fdA.decoration) : undefined;
      const sa = sockAddr(parts.args[1]);
      if (e?.sock && sa) e.sock.local = sa;
      return false;
    }
    case 'getsockopt': {
      if (parts.args[2] !== 'SO_ERROR' || c.errno || !fdA) return false;
      const e = p.fds.get(fdA.fd);
      const val = /^\[(\w+)\]$/.exec(parts.args[3] ?? '')?.[1] ?? '';
      if (e?.sock?.connecting) finishConnect(a, c, e, val === '0' ? '' : val, 'getsockopt(SO_ERROR)');
      return false;
    }
    case 'close': {
      const e = fdA ? p.fds.get(fdA.fd) : undefined;
      if (e?.sock?.connecting) finishConnect(a, c, e, 'closed', 'close before any result');
      return false;
    }
    default:
      break;
  }
  if (POLLS.has(c.name)) {
    pollOutcome(a, c, p, parts.args);
    return false;
  }
  if (!fdA) return false;
  const fd = fdA.fd;
  if (WRITES.has(c.name)) {
    if (c.name === 'sendto' && !c.errno) {
      const to = sockAddr(parts.args[4]);
      const e = to ? fdInfo(a, p, fd, fdA.decoration) : undefined;
      if (to && e?.sock) e.sock.peer ??= to;
    }
    if (c.errno === 'EPIPE' || c.errno === 'ECONNRESET') {
      peerClosed(a, c, p, fd, fdA.decoration);
      return true;
    }
    const e = p.fds.get(fd);
    if (e?.sock?.connecting && (c.errno === 'ECONNREFUSED' || c.errno === 'ETIMEDOUT' || c.errno === 'EHOSTUNREACH' || c.errno === 'ENETUNREACH')) {
      finishConnect(a, c, e, c.errno, `${c.name} on the socket`);
      return true;
    }
    return false;
  }
  if (READS.has(c.name)) {
    if (c.errno === 'ECONNRESET') {
      peerClosed(a, c, p, fd, fdA.decoration);
      return true;
    }
    if (c.errno || c.rval !== 0 || c.unfinished) return false;
    const e = fdInfo(a, p, fd, fdA.decoration);
    if (!e || e.kind !== 'socket' || !isStream(e, fdA.decoration)) return false;
    const peer = peerOf(a, p, fd, fdA.decoration, c.exitNs);
    const { f } = a.upsert({
      kind: 'peer-eof',
      key: `peer-eof:${c.pid}:${peer}`,
      title: `pid ${c.pid}: ${c.name} returned 0 on fd ${fd}: ${peer} closed the connection`,
      call: a.ref(c),
      vars: { pid: c.pid },
    });
    if (f.count === 1) f.check = peerCheck(peer, f.check);
    if (f.count > 1) f.title = `pid ${c.pid}: ${peer} closed the connection (end of stream, ${f.count} times)`;
    return false;
  }
  return false;
}

function connect(a: Analyzer, c: Call, p: Proc, fd: number, deco: string | undefined, addr: SockAddr | undefined): boolean {
  if (!addr) return false;
  const e = fdInfo(a, p, fd, deco);
  if (!c.errno) {
    if (e?.sock) e.sock.peer = addr;
    return false;
  }
  if (c.errno === 'EINPROGRESS') {
    if (e?.sock) {
      e.sock.peer = addr;
      e.sock.connecting = { ...a.ref(c), addr, atNs: c.entryNs };
    }
    a.note(c.seq, { short: 'connecting...', long: 'a non-blocking connect: no result yet' });
    countExpected(a, 'connect-in-progress', 'connect EINPROGRESS: a non-blocking connect started (its result is on the connect row)', c);
    return true;
  }
  if (c.errno === 'ECONNREFUSED') {
    refused(a, c, addr, 'connect-refused', `connect to ${addr.text} refused`, `connect to ${addr.text} refused`);
    return true;
  }
  if (c.errno === 'ETIMEDOUT' || c.errno === 'EHOSTUNREACH' || c.errno === 'ENETUNREACH') {
    unreachable(a, c, addr, c.errno, 'connect-unreachable', `connect to ${addr.text}: ${WORDS[c.errno]}`);
    return true;
  }
  return false;
}

const WORDS: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  closed: 'abandoned',
};

/** The non-blocking connect of `e` ended: its row gets the result; a failure becomes a finding. */
function finishConnect(a: Analyzer, c: Call, e: Fd, errno: string, how: string): void {
  const conn = e.sock!.connecting!;
  e.sock!.connecting = undefined;
  const after = `after ${fmtNs(Math.max(0, c.exitNs - conn.atNs))}`;
  if (!errno) {
    a.note(conn.seq, { short: 'connected', long: `connected (${how}, ${after})` });
    return;
  }
  const word = WORDS[errno] ?? errno;
  a.note(
    conn.seq,
    errno === 'closed' ? { short: 'abandoned', long: `abandoned: closed ${after} before it completed` } : { short: word, long: `${word} (${errno} from ${how}, ${after})` },
  );
  const title = `connect to ${conn.addr.text} (non-blocking): ${errno === 'closed' ? 'closed before it completed' : word}`;
  const ref = { seq: conn.seq, pid: conn.pid, tid: conn.tid, text: conn.text };
  if (errno === 'ECONNREFUSED') refused(a, c, conn.addr, 'connect-failed', title, `the result came from ${how}`, ref);
  else if (errno === 'closed') {
    const { f, fresh } = a.upsert({ kind: 'connect-failed', key: `connect-failed:${conn.addr.text}:closed`, title, call: ref, vars: { addr: plainAddr(conn.addr), port: conn.addr.port, pid: c.pid } });
    a.addCall(f, a.ref(c));
    if (fresh) f.facts.push(`the program closed the socket before the connection completed (no answer from ${conn.addr.text} in time?)`);
    if (fresh) routeFacts(a, c, conn.addr, f.facts);
  } else unreachable(a, c, conn.addr, errno, 'connect-failed', title, ref, `the result came from ${how}`);
}

/** poll/select on a connecting socket that timed out: said on the connect's row. */
function pollOutcome(a: Analyzer, c: Call, p: Proc, args: string[]): void {
  if (c.errno || c.rval !== 0) return;
  const timeout = c.name === 'poll' ? num(args[2]) : NaN;
  for (const m of (args[0] ?? '').matchAll(/fd=(\d+)/g)) {
    const e = p.fds.get(Number(m[1]));
    if (e?.sock?.connecting) a.note(e.sock.connecting.seq, { short: 'no answer yet', long: `no answer yet when ${c.name} timed out${Number.isFinite(timeout) ? ` after ${timeout} ms` : ''}` });
  }
  if (c.name === 'select' || c.name === 'pselect6') {
    for (const m of (args[2] ?? '').matchAll(/\d+/g)) {
      const e = p.fds.get(Number(m[0]));
      if (e?.sock?.connecting) a.note(e.sock.connecting.seq, { short: 'no answer yet', long: `no answer yet when ${c.name} timed out` });
    }
  }
}

/** The view for network evidence, or the fact saying why there is none. */
function netView(a: Analyzer, pid: number): { v: ProcView; netPid: number } | string {
  const ev = a.evidence;
  if (!ev) return a.noEvidence('its network namespace');
  const v = ev.view(pid);
  if (!v) return 'its network namespace: not examined (the process was gone)';
  const np = ev.netPid(v);
  if (np === undefined) return 'its network namespace: not examined (the process and its namespace are gone)';
  return { v, netPid: np === 'self' ? process.pid : np };
}

function refused(a: Analyzer, c: Call, addr: SockAddr, entry: 'connect-refused' | 'connect-failed', title: string, how: string, ref = a.ref(c)): void {
  // A socket path has its own checks (ss -x, the file), an address its listeners' table.
  const kind = entry === 'connect-refused' && addr.family === 'unix' ? 'connect-refused-unix' : entry;
  const { f, fresh } = a.upsert({ kind, key: `${kind}:${addr.text}:refused`, title, call: ref, vars: { addr: plainAddr(addr) || addr.path, port: addr.port, path: addr.path, pid: c.pid } });
  if (ref.seq !== c.seq) a.addCall(f, a.ref(c));
  if (!fresh) return;
  if (how !== title) f.facts.push(how);
  const nv = netView(a, c.pid);
  if (typeof nv === 'string') {
    f.facts.push(nv);
    return;
  }
  const { v, netPid } = nv;
  const ns = a.evidence!.sameNet(v) ? 'its network namespace (the host\'s)' : `its network namespace (${v.ns.net}, not the host's)`;
  const tables = netTables(netPid);
  if (!tables) {
    f.facts.push('its socket tables could not be read');
    return;
  }
  if (addr.family === 'unix') {
    const l = unixListener(tables, addr.path);
    f.facts.push(l ? `a socket listens on ${addr.path} now (it was not listening then, or its backlog was full)` : `no socket listens on ${addr.path} in ${ns}: the socket file is left over from a server that is gone, the server is not running, or it bound the path and has not called listen() yet`);
    return;
  }
  const owners = new InodeOwners();
  const l = tcpListeners(tables, addr, owners);
  if (l.matching.length) {
    f.facts.push(`something listens on port ${addr.port} now${l.holders ? `: ${l.holders}` : ''} — it was not listening at the time, or its accept backlog overflowed`);
  } else if (l.otherAddress.length) {
    const others = l.otherAddress.map((s) => s.local).join(', ');
    const h = formatOwners(owners, l.otherAddress.map((s) => s.inode));
    f.facts.push(`nothing listens on ${addr.text} in ${ns}; port ${addr.port} is open on ${others} only${h ? ` (${h})` : ''}: the server is bound to another address`);
  } else {
    f.facts.push(`nothing listens on port ${addr.port} in ${ns}`);
  }
  if (addr.family === 'inet' || addr.family === 'inet6') {
    const local = isLoopback(addr) || localAddresses(netPid).has(plainAddr(addr));
    if (!local) f.facts.push(`${plainAddr(addr)} is not an address of this host: the refusal (a TCP reset) came from that host, or a firewall on the way`);
    if (!a.evidence!.sameNet(v) && !l.matching.length) {
      const hostTables = netTables(process.pid);
      const hl = hostTables ? tcpListeners(hostTables, addr, owners) : undefined;
      if (hl?.matching.length) f.facts.push(`in systrace-tui's own network namespace, ${hl.holders || 'a socket'} listens on port ${addr.port}: the process looks in another namespace (a container?)`);
    }
  }
}

function formatOwners(owners: InodeOwners, inodes: number[]): string {
  const hs = inodes.flatMap((i) => owners.socketHolders(i));
  const seen = new Map<number, string>();
  for (const h of hs) seen.set(h.pid, h.comm);
  return [...seen].slice(0, 3).map(([pid, comm]) => `${comm} (pid ${pid})`).join(', ');
}

function routeFacts(a: Analyzer, c: Call, addr: SockAddr, facts: string[]): void {
  if (addr.family !== 'inet' && addr.family !== 'inet6') return;
  const nv = netView(a, c.pid);
  if (typeof nv === 'string') {
    facts.push(nv);
    return;
  }
  const { v, netPid } = nv;
  const where = a.evidence!.sameNet(v) ? 'the host\'s network namespace' : `its network namespace (${v.ns.net})`;
  const r = routeTo(netPid, addr);
  if (!r) facts.push(`no route to ${plainAddr(addr)} in ${where}; its interfaces: ${interfaces(netPid).join(', ') || 'none'}`);
  else if (r.reject) facts.push(`the route to ${plainAddr(addr)} in ${where} refuses it: ${r.text}`);
  else facts.push(`route to ${plainAddr(addr)} in ${where}: ${r.text}`);
}

function unreachable(a: Analyzer, c: Call, addr: SockAddr, errno: string, kind: 'connect-unreachable' | 'connect-failed', title: string, ref = a.ref(c), how = ''): void {
  const { f, fresh } = a.upsert({ kind, key: `${kind}:${addr.text}:${errno}`, title, call: ref, vars: { addr: plainAddr(addr), port: addr.port, pid: c.pid } });
  if (ref.seq !== c.seq) a.addCall(f, a.ref(c));
  if (!fresh) return;
  if (how) f.facts.push(how);
  if (errno === 'ETIMEDOUT') {
    const secs = (c.exitNs - c.entryNs) / 1e9;
    f.facts.push(`no answer from ${addr.text}${ref.seq === c.seq ? ` for ${secs.toFixed(1)} s` : ''}: its SYNs were dropped (a firewall dropping packets, a host that is down, or a wrong address)`);
    const nv = netView(a, c.pid);
    // net sysctls show the reader's namespace: only ours can be read from here
    if (typeof nv !== 'string' && a.evidence!.sameNet(nv.v)) {
      const retries = readProcText('/proc/sys/net/ipv4/tcp_syn_retries')?.trim();
      if (retries) f.facts.push(`net.ipv4.tcp_syn_retries is ${retries} (the kernel gives up after that many SYN retransmissions)`);
    }
  }
  routeFacts(a, c, addr, f.facts);
}

function bind(a: Analyzer, c: Call, p: Proc, fd: number | undefined, addr: SockAddr | undefined): boolean {
  if (!addr) return false;
  if (!c.errno) {
    const e = fd === undefined ? undefined : fdInfo(a, p, fd);
    if (e?.sock) e.sock.local = addr;
    return false;
  }
  if (c.errno === 'EACCES' && (addr.family === 'inet' || addr.family === 'inet6') && addr.port > 0 && addr.port < 1024) {
    notPermitted(a, c, 'CAP_NET_BIND_SERVICE', `binding port ${addr.port} (below 1024)`);
    return true;
  }
  if (c.errno !== 'EADDRINUSE') return false;
  const { f, fresh } = a.upsert({ kind: 'bind-in-use', key: `bind-in-use:${addr.text}`, title: `bind ${addr.text}: address already in use`, call: a.ref(c), vars: { port: addr.port, pid: c.pid } });
  if (!fresh) return true;
  // Held by a traced process? The trace says who bound it (and that it is still open).
  for (const q of a.procs.values()) {
    if (q.exited) continue;
    for (const [n, e] of q.fds) {
      const l = e.sock?.local;
      if (l && l.family === addr.family && (l.family === 'unix' ? l.path === addr.path : l.port === addr.port && (l.addr === addr.addr || /^(0\.0\.0\.0|::)$/.test(l.addr) || /^(0\.0\.0\.0|::)$/.test(addr.addr)))) {
        f.facts.push(`pid ${q.pid}${commOf(a, q.pid)} bound ${l.text} itself, earlier in this trace, and still holds it on fd ${n}`);
      }
    }
  }
  const nv = netView(a, c.pid);
  if (typeof nv === 'string') {
    f.facts.push(nv);
    return true;
  }
  const tables = netTables(nv.netPid);
  if (!tables) return true;
  if (addr.family === 'unix') {
    const l = unixListener(tables, addr.path);
    f.facts.push(l ? `a socket is bound to ${addr.path} and listening` : `${addr.path} exists (a socket file left over? unlink it before bind)`);
    return true;
  }
  const owners = new InodeOwners();
  const holders = tables.inet.filter((s) => s.localKey.endsWith(`:${addr.port}`) && (s.state === 'LISTEN' || s.state === 'UNCONN' || s.state === 'TIME_WAIT' || s.state === 'ESTABLISHED'));
  if (!holders.length && f.facts.length === 0) f.facts.push(`no socket holds port ${addr.port} now: it was held at the time (a previous instance still exiting?)`);
  for (const s of holders.slice(0, 4)) {
    const h = formatOwners(owners, [s.inode]);
    f.facts.push(`${s.proto} ${s.local} ${s.state}${h ? `: ${h}` : s.state === 'TIME_WAIT' ? ' (a closed connection in TIME_WAIT: SO_REUSEADDR lets a server bind anyway)' : ''}`);
  }
  return true;
}

function peerClosed(a: Analyzer, c: Call, p: Proc, fd: number, deco: string | undefined): void {
  const peer = peerOf(a, p, fd, deco, c.exitNs);
  const reset = c.errno === 'ECONNRESET';
  const { f, fresh } = a.upsert({
    kind: 'peer-closed',
    key: `peer-closed:${c.pid}:${peer}:${c.errno}`,
    title: `pid ${c.pid}: ${c.name} on fd ${fd} failed with ${c.errno}: ${reset ? 'the peer reset the connection' : 'the reader is gone'}${/^[\[\d/@]/.test(peer) ? ` (${peer})` : ''}`,
    call: a.ref(c),
    vars: { pid: c.pid },
  });
  epipesOf(a).set(c.tid, f.key);
  if (!fresh) return;
  f.check = peerCheck(peer, "the peer's logs");
  f.facts.push(`the peer: ${peer}`);
  f.facts.push(reset ? 'it reset the connection (it closed with unread data, or crashed)' : `it closed its end while this process was still writing${c.errno === 'EPIPE' ? '; the kernel also sends SIGPIPE, which kills a process that does not ignore it' : ''}`);
}

/** What to look at next about a peer: its connections for an address or a socket path, else its process. */
function peerCheck(peer: string, fallback: string): string {
  if (/^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\]):\d+$/i.test(peer)) return `ss -tnp dst ${peer}; ${fallback}`;
  if (/^[/@]/.test(peer)) return `ss -xp | grep '${peer}'; ${fallback}`;
  return "the other end's process: why it closed or exited (its own findings), and its logs";
}

/** The last EPIPE finding per thread: the SIGPIPE that follows belongs to it. */
const lastEpipe = new WeakMap<Analyzer, Map<number, string>>();
function epipesOf(a: Analyzer): Map<number, string> {
  let m = lastEpipe.get(a);
  if (!m) lastEpipe.set(a, (m = new Map()));
  return m;
}

export function onSignalNet(a: Analyzer, ev: SignalEvent, seq: number): void {
  if (ev.name !== 'SIGPIPE') return;
  const key = epipesOf(a).get(ev.tid);
  const f = key ? a.get(key) : undefined;
  if (!f) return;
  a.addCall(f, { seq, pid: ev.pid, tid: ev.tid, text: ev.text });
  if (!f.facts.some((x) => x.startsWith('SIGPIPE'))) f.facts.push(`SIGPIPE was delivered to thread ${ev.tid}`);
  a.touch();
}
