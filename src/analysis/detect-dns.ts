// Name resolution, followed as the process does it: the configuration it reads (nsswitch.conf,
// host.conf, resolv.conf, hosts, gai.conf), the cache daemons it tries (nscd, systemd-resolved),
// the DNS server it asks over which socket, what it asked and what came back (the rcode and the
// number of answers), or that it never asked. One finding per process, rewritten as it goes: a
// note while resolution works, a problem when a server does not answer or answers an error.
import type { Analyzer, Call } from './analyzer.js';
import { fdInfo } from './detect-fds.js';
import { dnsHeader, dnsQuestion, rcodeName } from './dns-packet.js';
import type { Fd, Proc } from './model.js';
import { callParts, fdArg, quoted, sockAddr, type SockAddr } from './strace-text.js';
import { fillCheck, RUNBOOK } from './runbook.js';
import { quotedBuffers } from './strace-strings.js';
import type { CallRef, Finding } from './types.js';

const CONFIG = new Map<string, string>([
  ['/etc/nsswitch.conf', 'nsswitch.conf'],
  ['/etc/host.conf', 'host.conf'],
  ['/etc/resolv.conf', 'resolv.conf'],
  ['/etc/hosts', 'hosts'],
  ['/etc/gai.conf', 'gai.conf'],
]);
const NSCD = /^\/(var\/)?run\/nscd\/socket$/;
const RESOLVED = /^\/run\/systemd\/resolve\/io\.systemd\.Resolve$/;
const DNS_PORT = 53;

interface Query {
  id: number;
  name: string;
  type: string;
  server: string;
  proto: 'UDP' | 'TCP';
  fd: number;
  ref: CallRef;
  /** NOERROR (3 answers), NXDOMAIN..., or '' while unanswered */
  answer: string;
  rcode: number;
}

interface DnsState {
  pid: number;
  /** configuration files in the order first touched, with what happened */
  files: Map<string, string>;
  daemons: string[];
  queries: Query[];
  /** poll/select timeouts on a DNS socket */
  timeouts: number;
  refused: string[];
  refs: CallRef[];
  finding?: Finding;
  /** set when DNS sockets were used (a query was asked) */
  asked: boolean;
  /** the configuration as the process sees it (live evidence), once read */
  seen: string[];
  /** the process exited or the trace ended: what did not happen will not */
  over: boolean;
}

const states = new WeakMap<Proc, DnsState>();

function stateOf(p: Proc, create: boolean): DnsState | undefined {
  let s = states.get(p);
  if (!s && create) states.set(p, (s = { pid: p.pid, files: new Map(), daemons: [], queries: [], timeouts: 0, refused: [], refs: [], asked: false, seen: [], over: false }));
  return s;
}

const isDnsFd = (e: Fd | undefined): boolean => e?.sock?.peer?.port === DNS_PORT && (e.sock.peer.family === 'inet' || e.sock.peer.family === 'inet6');

const IO = new Set(['read', 'readv', 'write', 'writev', 'send', 'recv', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg', 'recvfrom']);

export function detectDns(a: Analyzer, c: Call, p: Proc): boolean {
  // reads and writes matter only on a DNS socket (a cheap look before any parsing)
  if (IO.has(c.name)) {
    if (!isDnsFd(p.fds.get(c.fd))) return false;
  }
  if ((c.name === 'openat' || c.name === 'open') && !c.text.includes('"/etc/')) return false;
  if ((c.name.startsWith('epoll_') || c.name.endsWith('poll') || c.name.endsWith('select') || c.name === 'pselect6') && (c.errno || c.rval !== 0)) return false;
  const parts = callParts(c.text);
  if (!parts) return false;
  switch (c.name) {
    case 'open':
    case 'openat': {
      const q = quoted(parts.args[c.name === 'open' ? 0 : 1]);
      const file = q && CONFIG.get(q.value);
      if (!file) return false;
      const s = stateOf(p, true)!;
      if (!s.files.has(file)) s.files.set(file, c.errno ? `${c.errno === 'ENOENT' ? 'missing' : c.errno}` : 'read');
      s.refs.push(a.ref(c));
      update(a, s);
      return false;
    }
    case 'connect': {
      const sa = sockAddr(parts.args[1]);
      if (!sa) return false;
      if (sa.family === 'unix' && (NSCD.test(sa.path) || RESOLVED.test(sa.path))) {
        const s = stateOf(p, true)!;
        const who = NSCD.test(sa.path) ? 'nscd' : 'systemd-resolved';
        const line = c.errno ? `${who} not reachable (${sa.path}: ${c.errno})` : `asked ${who} over ${sa.path}`;
        if (!s.daemons.includes(line)) s.daemons.push(line);
        update(a, s);
        return false;
      }
      if (sa.port !== DNS_PORT || (sa.family !== 'inet' && sa.family !== 'inet6')) return false;
      const s = stateOf(p, true)!;
      s.refs.push(a.ref(c));
      update(a, s);
      return false;
    }
    default:
      break;
  }
  const fdA = fdArg(parts.args[0]);
  if (c.name === 'poll' || c.name === 'ppoll' || c.name === 'select' || c.name === 'pselect6' || c.name.startsWith('epoll_')) {
    if (c.errno || c.rval !== 0) return false;
    const fds = c.name.startsWith('epoll_') ? [] : [...(parts.args[0] ?? '').matchAll(/fd=(\d+)/g)].map((m) => Number(m[1]));
    if (c.name === 'select' || c.name === 'pselect6') for (const m of (parts.args[1] ?? '').matchAll(/\d+/g)) fds.push(Number(m[0]));
    const dns = fds.some((fd) => isDnsFd(p.fds.get(fd)));
    if (!dns) return false;
    const s = stateOf(p, true)!;
    s.timeouts++;
    s.refs.push(a.ref(c));
    update(a, s);
    return false;
  }
  if (!fdA) return false;
  const e = fdInfo(a, p, fdA.fd, fdA.decoration);
  const to = c.name === 'sendto' ? sockAddr(parts.args[4]) : undefined;
  if (!isDnsFd(e) && !(to && to.port === DNS_PORT)) return false;
  const s = stateOf(p, true)!;
  const server = (to ?? e!.sock!.peer) as SockAddr;
  const proto: 'UDP' | 'TCP' = /DGRAM|UDP/.test(`${e?.sock?.type ?? ''} ${e?.what ?? ''} ${fdA.decoration ?? ''}`) ? 'UDP' : 'TCP';
  if (c.name === 'sendto' || c.name === 'sendmsg' || c.name === 'sendmmsg' || c.name === 'send' || c.name === 'write' || c.name === 'writev') {
    if (c.errno) {
      s.refused.push(`${c.name} to ${server.text}: ${c.errno}`);
      s.refs.push(a.ref(c));
      update(a, s);
      return false;
    }
    s.asked = true;
    for (const b of quotedBuffers(parts.args[1] ?? '')) {
      const bytes = proto === 'TCP' && b.bytes.length > 2 ? b.bytes.subarray(2) : b.bytes;
      const h = dnsHeader(bytes);
      if (!h || h.response) continue;
      const q = dnsQuestion(bytes);
      s.queries.push({ id: h.id, name: q ? `${q.name}${q.partial ? '...' : ''}` : '?', type: q?.type ?? '?', server: server.text, proto, fd: fdA.fd, ref: a.ref(c), answer: '', rcode: -1 });
    }
    s.refs.push(a.ref(c));
    update(a, s);
    return false;
  }
  // a read of an answer
  if (c.errno) {
    if (c.errno === 'ECONNREFUSED') {
      s.refused.push(`${server.text} refused (nothing listens on port ${DNS_PORT} there: ICMP port unreachable)`);
      s.refs.push(a.ref(c));
      update(a, s);
    }
    return false;
  }
  for (const b of quotedBuffers(parts.args[1] ?? '')) {
    const bytes = proto === 'TCP' && b.bytes.length > 2 && !dnsHeader(b.bytes)?.response ? b.bytes.subarray(2) : b.bytes;
    const h = dnsHeader(bytes);
    if (!h || !h.response) continue;
    const q = s.queries.find((x) => x.id === h.id && !x.answer) ?? s.queries.find((x) => x.id === h.id);
    const answer = `${rcodeName(h.rcode)}${h.rcode === 0 ? `, ${h.ancount} answer${h.ancount === 1 ? '' : 's'}` : ''}`;
    if (q) {
      q.answer = answer;
      q.rcode = h.rcode;
    }
    break;
  }
  s.refs.push(a.ref(c));
  update(a, s);
  return false;
}

/** Rewrites the process's resolution finding from its state. */
function update(a: Analyzer, s: DnsState): void {
  // nsswitch.conf alone is read for users and groups too: resolution shows in the hosts files,
  // resolv.conf or a DNS socket.
  if (!s.finding && !s.asked && !s.queries.length && !s.refused.length && !s.timeouts && !['resolv.conf', 'hosts', 'gai.conf', 'host.conf'].some((f) => s.files.has(f))) return;
  const facts: string[] = [];
  if (s.files.size) facts.push(`configuration: ${[...s.files].map(([f, how]) => `${f} ${how}`).join(', ')}`);
  for (const d of s.daemons) facts.push(d);
  const servers = [...new Set(s.queries.map((q) => `${q.server} over ${q.proto} (fd ${q.fd})`))];
  if (servers.length) facts.push(`asked ${servers.join(', ')}`);
  for (const q of s.queries.slice(0, 6)) facts.push(`${q.type} ${q.name} -> ${q.server}: ${q.answer || 'no answer'}`);
  if (s.queries.length > 6) facts.push(`and ${s.queries.length - 6} more queries`);
  if (s.timeouts) facts.push(`${s.timeouts} wait${s.timeouts > 1 ? 's' : ''} for an answer timed out (poll/select returned 0)`);
  for (const r of s.refused) facts.push(r);
  const failed = s.queries.filter((q) => q.rcode > 0);
  const unanswered = s.queries.filter((q) => !q.answer);
  const answered = s.queries.filter((q) => q.rcode === 0);
  const name = s.queries[0]?.name ?? '';
  const server = s.queries[0]?.server ?? '';
  let title: string;
  let problem = false;
  if (failed.length) {
    problem = true;
    title = `pid ${s.pid}: DNS ${failed[0].type} ${failed[0].name} from ${failed[0].server}: ${rcodeName(failed[0].rcode)}`;
  } else if (s.queries.length && answered.length === 0 && (s.timeouts || s.refused.length)) {
    problem = true;
    title = `pid ${s.pid}: DNS server ${server} did not answer${s.timeouts ? ` (${s.timeouts} timeout${s.timeouts > 1 ? 's' : ''})` : ''}${s.refused.length ? ' (refused)' : ''}: ${name} unresolved`;
  } else if (answered.length) {
    title = `pid ${s.pid}: resolved ${answered[0].name} through DNS ${answered[0].server} (${answered[0].proto}): ${answered[0].answer}`;
  } else if (s.queries.length) {
    title = `pid ${s.pid}: asked DNS ${server} for ${name}${unanswered.length ? ', no answer yet' : ''}`;
  } else if (s.refused.length) {
    problem = true;
    title = `pid ${s.pid}: DNS server unreachable: ${s.refused[0]}`;
  } else if (s.over) {
    title = `pid ${s.pid}: name resolution never asked a DNS server${s.files.get('hosts') === 'read' ? ' (answered from /etc/hosts, or gave up)' : ''}`;
    facts.push(`no DNS query was sent${s.files.get('resolv.conf') === 'missing' ? ': /etc/resolv.conf is missing' : ''}`);
  } else {
    title = `pid ${s.pid}: name resolution read ${[...s.files.keys()].join(', ') || 'its configuration'}; no DNS query (yet)`;
  }
  const kind = problem ? 'dns-failed' : 'dns';
  const vars = { name: name.replace(/\.\.\.$/, ''), addr: server.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''), pid: s.pid };
  let f = s.finding;
  if (!f) {
    f = a.upsert({ kind, key: `dns:${s.pid}`, title, vars }).f;
    s.finding = f;
    readConfig(a, s, f);
  }
  f.title = title;
  f.facts = [...facts, ...s.seen];
  f.severity = problem ? 'problem' : 'note';
  if (f.kind !== kind || (vars.name && !f.check.includes(vars.name))) {
    f.kind = kind;
    f.meaning = RUNBOOK[kind].meaning;
    f.check = fillCheck(RUNBOOK[kind].check, vars);
  }
  for (const r of s.refs.splice(0)) a.addCall(f, r);
  f.count = Math.max(1, s.queries.length);
  a.touch();
}

/** The resolver configuration as the process sees it (its root, its mount namespace). */
function readConfig(a: Analyzer, s: DnsState, f: Finding): void {
  const ev = a.evidence;
  if (!ev) return;
  const v = ev.view(s.pid);
  if (!v) return;
  a.gather(f, async () => {
    const ns = await ev.readFile(v, '/etc/nsswitch.conf');
    const rc = await ev.readFile(v, '/etc/resolv.conf');
    const seen: string[] = [];
    const hosts = ns?.split('\n').find((l) => /^\s*hosts\s*:/.test(l));
    if (hosts) seen.push(`its /etc/nsswitch.conf: ${hosts.trim().replace(/\s+/g, ' ')}`);
    else if (ns === null) seen.push('its /etc/nsswitch.conf: missing (glibc then uses "dns files")');
    if (typeof rc === 'string') {
      const servers = [...rc.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
      seen.push(`its /etc/resolv.conf: ${servers.length ? `nameserver ${servers.join(', ')}` : 'no nameserver line (glibc then asks 127.0.0.1)'}`);
    } else if (rc === null) seen.push('its /etc/resolv.conf: missing (glibc then asks 127.0.0.1)');
    if (!ev.sameMnt(v) || v.root !== '/') seen.push('(read in its own root and mount namespace, which are not the host\'s)');
    s.seen = seen;
    update(a, s);
    return [];
  });
}

/** At the end (and at each exit): a process that read the configuration and never asked a server says so. */
export function finishDns(a: Analyzer, pid?: number): void {
  for (const p of pid === undefined ? a.procs.values() : [a.procs.get(pid)]) {
    const s = p && states.get(p);
    if (!s || s.over) continue;
    s.over = true;
    if (s.finding) update(a, s);
  }
}
