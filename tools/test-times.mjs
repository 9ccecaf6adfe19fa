// A node --test reporter: where the suite's time goes. Per test file, the summed durations of its
// top-level tests and the moment (since the run began) its last result came; then the slowest
// tests. Failures are repeated at the end, so it can stand alone or beside another reporter:
//   npm run build:ts && node --test --test-concurrency=3 \
//     --test-reporter=./tools/test-times.mjs --test-reporter-destination=/tmp/times.txt \
//     --test-reporter=dot --test-reporter-destination=stdout dist/test/*/*.test.js
// The time a file spends starting (node, its imports) is in no test's duration: compare the files'
// summed time with the run's wall time times the concurrency.
const SLOWEST = 30;

const short = (file) => file.split('/').slice(-2).join('/');

export default async function* testTimes(source) {
  const start = Date.now();
  const files = new Map();
  const tests = [];
  const failures = [];
  for await (const { type, data } of source) {
    if ((type !== 'test:pass' && type !== 'test:fail') || !data?.file || !data.details) continue;
    let f = files.get(data.file);
    if (!f) files.set(data.file, (f = { ms: 0, tests: 0, failed: 0, lastAt: 0 }));
    f.lastAt = Date.now() - start;
    const ms = data.details.duration_ms ?? 0;
    if (data.nesting === 0) f.ms += ms;
    if (data.details.type === 'suite') continue;
    f.tests++;
    tests.push({ ms, name: data.name, file: short(data.file) });
    if (type === 'test:fail') {
      f.failed++;
      const err = data.details.error;
      failures.push(`${short(data.file)}: ${data.name}\n  ${String(err?.cause ?? err).split('\n').slice(0, 8).join('\n  ')}`);
    }
  }
  const rows = [...files].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((sum, [, f]) => sum + f.ms, 0);
  yield `${'seconds'.padStart(8)} ${'ends at'.padStart(8)} ${'tests'.padStart(6)}  file (top-level tests' summed time)\n`;
  for (const [file, f] of rows) {
    yield `${(f.ms / 1000).toFixed(1).padStart(8)} ${(f.lastAt / 1000).toFixed(1).padStart(8)} ${String(f.tests).padStart(6)}  ${short(file)}${f.failed ? `  (${f.failed} failed)` : ''}\n`;
  }
  yield `${(total / 1000).toFixed(1).padStart(8)} in ${rows.length} files; the run took ${((Date.now() - start) / 1000).toFixed(1)} s\n\nslowest tests:\n`;
  tests.sort((a, b) => b.ms - a.ms);
  for (const t of tests.slice(0, SLOWEST)) yield `${(t.ms / 1000).toFixed(1).padStart(8)}  ${t.file}: ${t.name}\n`;
  if (failures.length) yield `\n${failures.length} failed:\n${failures.join('\n')}\n`;
}
