// Slow calls: a call stands out when it took long in absolute terms, or far longer than that
// system call usually takes in this trace. They are grouped by what they wait on — the file or
// peer behind a descriptor, a futex, a child, a sleep — since that is what a user acts on. Waits
// the program asked for (an event loop's epoll_wait, a sleep, waiting for a child or a
// connection) are grouped as expected, not as slowness.
import type { Analyzer, Call } from './analyzer.js';
import { fdInfo } from './detect-fds.js';
import { peerOf } from './detect-net.js';
import { fmtNs, type Proc } from './model.js';
import { WAIT_CLASSES } from './runbook.js';
import { callParts, fdArg } from './strace-text.js';

/** Calls shorter than this are never slow (and are not even looked at when nothing else wants them). */
export const SLOW_FLOOR_NS = 50e6;
/**
 * This long is slow whatever the call usually takes. Durations measured under ptrace include the
 * tracer's own scheduling on a loaded machine (tens of milliseconds): below this, only a call far
 * slower than its kind usually is here stands out.
 */
export const SLOW_ABSOLUTE_NS = 200e6;
/** Above the floor, a call this many times its call's mean duration stands out (with enough samples). */
const SLOW_FACTOR = 20;
const MIN_SAMPLES = 20;

interface SlowGroup {
  calls: number;
  totalNs: number;
  maxNs: number;
  maxText: string;
  /** the far ends waited on (a pipe's or socket's), the first few */
  peers: string[];
}

/** The far end a slow call on a pipe or socket waited for, as it was when the call began. */
function peerOfSlow(a: Analyzer, c: Call, p: Proc): string {
  const fd = fdArg(callParts(c.text)?.args[0]);
  return fd && fd.fd >= 0 ? peerOf(a, p, fd.fd, fd.decoration, c.entryNs) : '';
}
const groups = new WeakMap<Analyzer, Map<string, SlowGroup>>();

function target(a: Analyzer, c: Call, p: Proc): string {
  const parts = callParts(c.text);
  if (!parts) return '';
  switch (c.name) {
    case 'futex':
      return `futex ${parts.args[0] ?? ''}`;
    case 'wait4':
    case 'waitid':
      return parts.args[0] === '-1' || parts.args[0] === 'P_ALL' ? 'any child' : `child ${parts.args[c.name === 'waitid' ? 1 : 0]}`;
    case 'nanosleep':
    case 'clock_nanosleep':
    case 'pause':
    case 'rt_sigsuspend':
    case 'rt_sigtimedwait':
      return '';
    case 'poll':
    case 'ppoll':
    case 'select':
    case 'pselect6':
      return `${[...(parts.args[0] ?? '').matchAll(/fd=(\d+)/g)].length || '?'} descriptors`;
    case 'open':
    case 'openat':
    case 'newfstatat':
    case 'statx':
    case 'execve': {
      const q = /"([^"]*)"/.exec(c.text)?.[1] ?? '';
      return q.slice(0, q.lastIndexOf('/') + 1) || q;
    }
    default: {
      const fd = fdArg(parts.args[0]);
      if (!fd || fd.fd < 0) return '';
      const e = fdInfo(a, p, fd.fd, fd.decoration);
      // A pipe or socket is one wait whoever writes to it (each command of a shell's $(...)
      // is another writer): grouped by the descriptor, its peers listed (peerOfSlow).
      if (e?.kind === 'socket' || e?.kind === 'pipe') return `fd ${fd.fd}: ${e.kind}`;
      return e?.path ?? e?.what ?? fd.decoration ?? `fd ${fd.fd}`;
    }
  }
}

export function detectSlow(a: Analyzer, c: Call, p: Proc, meanNs: number, samples: number): void {
  const cls = WAIT_CLASSES[c.name];
  // Only calls that wait on something: a slow mmap or brk is CPU or memory pressure, not a wait.
  if (!cls) return;
  const dur = c.exitNs - c.entryNs;
  const standsOut = dur >= SLOW_ABSOLUTE_NS || (samples >= MIN_SAMPLES && dur >= SLOW_FACTOR * meanNs);
  if (!standsOut) return;
  const what = target(a, c, p);
  const key = `slow:${c.pid}:${cls.wait}:${what}`;
  let m = groups.get(a);
  if (!m) groups.set(a, (m = new Map()));
  let g = m.get(key);
  if (!g) m.set(key, (g = { calls: 0, totalNs: 0, maxNs: 0, maxText: '', peers: [] }));
  if (what.startsWith('fd ')) {
    const peer = peerOfSlow(a, c, p);
    if (peer && !g.peers.includes(peer) && g.peers.length < 4) g.peers.push(peer);
  }
  g.calls++;
  g.totalNs += dur;
  if (dur > g.maxNs) {
    g.maxNs = dur;
    g.maxText = c.text;
  }
  const idle = cls.idle === true && c.name !== 'read';
  const { f } = a.upsert({
    kind: 'slow',
    key,
    severity: idle ? 'expected' : 'note',
    title: '',
    call: a.ref(c),
    vars: { name: c.name, pid: c.pid },
  });
  const ms = fmtNs;
  // One peer is named in the title; several are listed.
  const on = g.peers.length === 1 ? `${what}, ${g.peers[0]}` : what;
  f.title = `pid ${c.pid}: ${g.calls} slow call${g.calls > 1 ? 's' : ''} ${cls.wait}${on ? ` (${on})` : ''}: ${ms(g.totalNs)} in all, longest ${ms(g.maxNs)}${idle ? ' — waits the program asked for' : ''}`;
  f.facts = [
    `longest: ${g.maxText}`,
    g.peers.length > 1 ? `waiting on: ${g.peers.join('; ')}${g.peers.length >= 4 ? '; ...' : ''}` : '',
    samples >= MIN_SAMPLES ? `${c.name} calls take ${ms(meanNs)} on average in this trace` : '',
  ].filter(Boolean);
}
