// A non-leader thread's execve while the leader is in a traced call or already gone, against the
// lines strace 6.1 prints (its threads-execve test): the leader's call ends " = ?" the moment the
// leader dies (the exit event), before the execve completes.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';

let prog = '';
before(() => {
  prog = fixturePath('thread_execve');
});

// "1234  text      = 0" -> ["1234", "text = 0"]
function split(line: string): [string, string] {
  const m = /^(\d+) +(.*)$/.exec(line);
  assert.ok(m, line);
  return [m[1], m[2].replace(/ {2,}= /, ' = ')];
}

// The program's path is cut at -s: "/long/pa"..., then "done".
const EXECVE = /^execve\(".*"(?:\.\.\.)?, \[".*"(?:\.\.\.)?, "done"\], 0x[0-9a-f]+ \/\* \d+ vars \*\//;

describe('execve from a thread that is not the leader', () => {
  test('the leader asleep in a call: the call ends unfinished when the execve kills it', async () => {
    const r = await tracePlain(['-f', '-e', 'trace=execve,exit,nanosleep'], [prog, 'sleep']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.lines.slice(1).map(split);
    const leader = lines[0][0];
    const thread = lines[1][0];
    assert.notEqual(thread, leader);
    assert.deepEqual(lines[0], [leader, 'nanosleep({tv_sec=123, tv_nsec=0},  <unfinished ...>']);
    assert.equal(lines[1][0], thread);
    assert.match(lines[1][1], new RegExp(`${EXECVE.source} <unfinished \\.\\.\\.>$`));
    // nanosleep would have written its remaining time at exit: strace says that part is unfinished too.
    assert.deepEqual(lines.slice(2), [
      [leader, '<... nanosleep resumed> <unfinished ...>) = ?'],
      [leader, `+++ superseded by execve in pid ${thread} +++`],
      [leader, '<... execve resumed>) = 0'],
      [leader, '+++ exited with 0 +++'],
    ]);
  });

  test('the leader gone by exit: its line is whole, and the execve line says the pid changed', async () => {
    const r = await tracePlain(['-f', '-e', 'trace=execve,exit,nanosleep'], [prog, 'exit']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.lines.slice(1).map(split);
    const leader = lines[0][0];
    const thread = lines[1][0];
    assert.deepEqual(lines[0], [leader, 'exit(42) = ?']);
    assert.match(lines[1][1], new RegExp(`${EXECVE.source} <pid changed to ${leader} \\.\\.\\.>$`));
    assert.deepEqual(lines.slice(2), [
      [leader, `+++ superseded by execve in pid ${thread} +++`],
      [leader, '<... execve resumed>) = 0'],
      [leader, '+++ exited with 0 +++'],
    ]);
  });

  test('--quiet=thread-execve leaves out the superseded line', async () => {
    const r = await tracePlain(['-f', '--quiet=thread-execve', '-e', 'trace=execve,exit,nanosleep'], [prog, 'exit']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.lines.some((l) => l.includes('superseded')), r.lines.join('\n'));
    assert.equal(split(r.lines.at(-2) ?? '')[1], '<... execve resumed>) = 0');
  });
});
