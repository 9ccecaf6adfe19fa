// The analysis's cost per event (CPU time, so a loaded machine does not skew it), on a mix of a
// busy server's calls: reads and writes on sockets, an event loop, opens and closes, EAGAIN and
// existence-check failures. Not a test: it asserts nothing and prints figures.
//
//   node dist/bench/findings-bench.js [--n 200000] [--rounds 5]
import { Analyzer } from '../src/analysis/analyzer.js';
import { batchFromEvents } from '../src/engine/trace-batch.js';
import type { SyscallEvent } from '../src/engine/types.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const MIX: [number, string, string, number, string][] = [
  [0, 'read', 'read(3, "GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"..., 4096) = 512', 512, ''],
  [1, 'write', 'write(4, "HTTP/1.1 200 OK\\r\\n"..., 1024) = 1024', 1024, ''],
  [232, 'epoll_wait', 'epoll_wait(5, [{events=EPOLLIN, data={u32=3, u64=3}}], 64, 1000) = 1', 1, ''],
  [257, 'openat', 'openat(AT_FDCWD, "/var/www/index.html", O_RDONLY|O_CLOEXEC) = 6', 6, ''],
  [3, 'close', 'close(6) = 0', 0, ''],
  [0, 'read', 'read(7, 0x7ffd4b2c8a10, 4096) = -1 EAGAIN (Resource temporarily unavailable)', -11, 'EAGAIN'],
  [262, 'newfstatat', 'newfstatat(AT_FDCWD, "/var/www/missing.html", 0x7ffd4b2c8a10, 0) = -1 ENOENT (No such file or directory)', -2, 'ENOENT'],
  [202, 'futex', 'futex(0x55d04c2e1a40, FUTEX_WAKE_PRIVATE, 1) = 0', 0, ''],
];

const n = arg('n', 200_000);
const rounds = arg('rounds', 5);
const events: SyscallEvent[] = [];
let t = 1e9;
for (let i = 0; i < n; i++) {
  const [nr, name, text, rval, errno] = MIX[i % MIX.length];
  t += 2000;
  events.push({ kind: 'syscall', pid: 100, tid: 100 + (i % 4), nr, name, classes: 0, text, rval, errno, entryNs: t, exitNs: t + 1000, wallUs: 0, args: [0n, 0n, 0n, 0n, 0n, 0n], unfinished: false });
}
const batch = batchFromEvents(events);
const per: number[] = [];
for (let r = 0; r < rounds; r++) {
  const a = new Analyzer({ evidence: null });
  const c0 = process.cpuUsage();
  a.feedBatch(batch, 0);
  const cu = process.cpuUsage(c0);
  per.push(((cu.user + cu.system) * 1000) / n);
}
per.sort((x, y) => x - y);
const median = per[Math.floor(per.length / 2)];
console.log(`findings: ${median.toFixed(0)} ns of CPU per event (median of ${rounds} rounds of ${n}; ${(1e3 / median).toFixed(2)} M events/s per core)`);
console.log(`heap after: ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
