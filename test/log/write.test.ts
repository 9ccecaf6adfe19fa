// Writing rows out: JSON lines that parse and carry each call's fields as the log has them, strace
// text that reads back the same, files mode 0600, and --redact leaving no byte of a buffer in either.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { eventsFromBatch } from '../../src/engine/trace-batch.js';
import type { TraceEvent } from '../../src/engine/types.js';
import { LogSource } from '../../src/log/source.js';
import { writeRows, type JsonRow } from '../../src/log/write.js';
import { cli, lineName, linePid, SECRET, straceLog, traceLines, withoutHex } from './helpers.js';

/** Every record of a log, as the trace screen's drain loop would get them, with their numbers. */
function records(paths: string[], redact = false): { rows: [number, TraceEvent][]; source: LogSource } {
  const source = LogSource.open(paths, { redact });
  const rows: [number, TraceEvent][] = [];
  while (!source.done) for (const ev of eventsFromBatch(source.drainBatch(1000))) rows.push([rows.length, ev]);
  return { rows, source };
}

/** A whole call line of a `strace -f -ttt -T` log, read with regular expressions of the test's own. */
function fieldsOf(line: string) {
  const m = /^(\d+) +(\d+\.\d+) ([a-z0-9_]+)\((.*)\) += (.*?) <(\d+\.\d+)>$/.exec(line);
  if (!m) return undefined;
  const result = m[5];
  const failed = /^-1 (E[A-Z0-9]+) /.exec(result);
  return {
    pid: Number(m[1]),
    entry: Number(m[2]),
    name: m[3],
    args: m[4],
    result,
    errno: failed ? failed[1] : null,
    duration: Number(m[6]),
  };
}

describe('writing rows: JSON lines and strace text', () => {
  const tag = `wr${process.pid}`;
  const log = straceLog(['-f', '-ttt', '-T'], tag);

  it('JSON lines parse, one object per row, and carry the fields of the log', () => {
    const { rows, source } = records([log.path]);
    const out = join(log.dir, 'rows.jsonl');
    const n = writeRows(out, rows, { format: 'json', timestamps: true, comm: (tid, seq) => source.comm(tid, seq) });
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const objs = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as JsonRow);
    assert.equal(objs.length, n);
    assert.equal(n, rows.length);
    const whole = traceLines(log.text).map(fieldsOf).filter((f) => f !== undefined);
    assert.ok(whole.length > 50);
    const calls = objs.filter((o) => o.type === 'syscall');
    // Every whole line of the log is one object with its fields (split lines are joined: checked below).
    for (const f of whole) {
      const o = calls.find((c) => c.tid === f.pid && c.entry === f.entry && c.name === f.name);
      assert.ok(o, `no object for ${f.name} at ${f.entry}`);
      assert.equal(o.args, f.args);
      assert.equal(o.result, f.result);
      assert.equal(o.errno, f.errno);
      assert.equal(o.ret, f.errno ? -1 : Number(/^-?(?:0x[0-9a-f]+|\d+)/.exec(f.result)?.[0] ?? NaN) || o.ret);
      assert.equal(o.duration, f.duration);
      assert.ok(Math.abs(o.exit! - (f.entry + f.duration)) < 2e-6);
    }
    // The blocked read is one object: entry at its first half, result and duration from its second.
    const read = calls.find((c) => c.name === 'read' && c.result === '71')!;
    assert.match(read.args!, /^3, "SECRET-0123456789-abcdefghijklmn"\.\.\., 128$/);
    const first = traceLines(log.text).find((l) => / read\(3,  <unfinished \.\.\.>$/.test(l))!;
    assert.equal(read.entry, Number(/^\d+ +(\d+\.\d+)/.exec(first)![1]));
    assert.equal(read.comm, 'log-reader', 'the name prctl gave the thread');
    // Names change with execve: the fixture's own calls, then those of /bin/true.
    const execs = calls.filter((c) => c.name === 'execve');
    assert.equal(execs[0].comm, null, 'before its first execve the log does not name a process');
    assert.equal(calls[calls.indexOf(execs[0]) + 1].comm, 'log_calls');
    assert.equal(execs[1].comm, 'log_calls', 'an execve is made under the old name');
    assert.equal(calls.at(-1)!.comm, 'true');
    const failed = calls.find((c) => c.args!.includes(`/nonexistent-${tag}/file`))!;
    assert.deepEqual([failed.ret, failed.errno], [-1, 'ENOENT']);
    const exitGroup = calls.find((c) => c.name === 'exit_group')!;
    assert.deepEqual([exitGroup.ret, exitGroup.unfinished, exitGroup.duration], [null, true, null]);
    const exits = objs.filter((o) => o.type === 'exit');
    assert.deepEqual(exits.map((e) => e.code).sort(), [0, 0, 3]);
    const sig = objs.find((o) => o.type === 'signal' && o.name === 'SIGCHLD')!;
    assert.equal(sig.signo, 17);
    assert.ok(sig.entry! > 1e9);
  });

  it('strace text reads back as the same calls', async () => {
    const { rows } = records([log.path]);
    const out = join(log.dir, 'rows.log');
    writeRows(out, rows, { format: 'text', timestamps: true });
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const names = (lines: string[]) => lines.map((l) => lineName(l)).filter((x) => x.kind === 'call' || x.kind === 'resumed').map((x) => x.name);
    const back = await cli(['--plain', '--load', out, '-c']);
    const orig = await cli(['--plain', '--load', log.path, '-c']);
    assert.equal(back.stdout.replace(/ +\d+\.\d+ +\d+\.\d+ +\d+/g, ''), orig.stdout.replace(/ +\d+\.\d+ +\d+\.\d+ +\d+/g, ''));
    const text = readFileSync(out, 'latin1').trimEnd().split('\n');
    assert.ok(names(text).length > 50);
    assert.ok(text.every((l) => linePid(l) > 0));
    assert.ok(text.some((l) => /^\d+ +\d\d:\d\d:\d\d\.\d{6} read\(3, "SECRET-0123456789-abcdefghijklmn"\.\.\., 128\) += 71 <0\.\d{6}>$/.test(l)), 'the joined read');
  });

  it('a file that exists is replaced, private', () => {
    const out = join(log.dir, 'old.log');
    writeFileSync(out, 'old contents\n', { mode: 0o644 });
    writeRows(out, [], { format: 'text', timestamps: false });
    assert.equal(readFileSync(out, 'utf8'), '');
    assert.equal(statSync(out).mode & 0o777, 0o600);
  });

  it('--redact: no byte of a buffer in the rows, in text or JSON', () => {
    const v = straceLog(['-f', '-ttt', '-T', '-v', '-s', '4096', '-y'], tag);
    assert.ok(v.text.includes(SECRET) && v.text.includes('SECRET_TOKEN='));
    const { rows, source } = records([v.path], true);
    const onlyLengths = (t: string, where: string) => {
      for (const q of t.matchAll(/"((?:[^"\\]|\\.)*)"/g)) assert.ok(q[1] === '...' || q[1] === '', `${where}: ${t}`);
    };
    for (const format of ['text', 'json'] as const) {
      const out = join(v.dir, `redacted.${format}`);
      writeRows(out, rows, { format, timestamps: true, comm: (tid, seq) => source.comm(tid, seq) });
      const text = readFileSync(out, 'latin1');
      for (const piece of ['SECRET', '0123456789-abc', 'TOKEN', 'caf', 'log-reader', 'log_calls', '/etc/ld.so']) assert.ok(!withoutHex(text).includes(piece), `${format}: ${piece}`);
      assert.match(text, /\\?"\.\.\.\\?"<71 bytes>/);
      for (const line of text.trimEnd().split('\n')) {
        if (format === 'text') onlyLengths(line, 'text');
        else {
          const o = JSON.parse(line) as JsonRow;
          for (const f of [o.args, o.result, o.text]) if (f) onlyLengths(f, 'json');
          assert.equal(o.comm, null, 'names the program gave are strings too');
        }
      }
    }
  });
});
