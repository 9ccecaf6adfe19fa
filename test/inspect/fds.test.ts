// The open-files table over real fixture processes.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { listOpenFiles, openFilesUnavailableReason } from '../../src/engine/proc/fds.js';
import { killAll, spawnFixture, waitFor } from '../helpers/fixtures.js';

after(killAll);

test('TCP sockets show both endpoints, the state and the local peer process', async () => {
  const f = spawnFixture('block_tcp_read');
  await f.ready;
  const { port, peer } = f.info;
  const fds = listOpenFiles(Number(f.pid));
  assert.ok(fds);
  const tcp = fds.filter((e) => e.type === 'TCP');
  assert.equal(tcp.length, 1, 'the reader keeps only its client socket');
  assert.match(tcp[0].target, new RegExp(`^TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${port} \\(ESTABLISHED\\) peer block_tcp_read \\(pid ${peer}\\)$`));
  assert.equal(tcp[0].access, 'rw');

  // The peer is a forked process: right after READY it may still hold descriptors it inherited
  // and is about to close, so wait for it to settle rather than read it once.
  const peerFds = await waitFor(() => {
    const l = listOpenFiles(Number(peer));
    return l?.some((e) => e.target.startsWith(`TCP 127.0.0.1:${port}->127.0.0.1:`) && e.target.endsWith(`peer block_tcp_read (pid ${f.pid})`)) ? l : undefined;
  }, 'the peer to hold the accepted connection');
  assert.ok(peerFds.some((e) => e.target === `TCP 127.0.0.1:${port} (LISTEN)`), 'the peer holds the listener');
});

test('pipe ends name who holds the other end, and which end it is', async () => {
  const f = spawnFixture('block_pipe_full');
  await f.ready;
  const reader = Number(f.info.reader);
  // The reader is forked: until it has closed its inherited write end, the pipe has two writers.
  const readBy = new RegExp(`^pipe:\\[\\d+\\] -> read by block_pipe_full \\(pid ${reader}\\)$`);
  const fds = await waitFor(() => {
    const l = listOpenFiles(f.pid);
    return l?.some((e) => e.type === 'FIFO' && e.access === 'w' && readBy.test(e.target)) ? l : undefined;
  }, 'the pipe to have one reader');
  const w = fds.find((e) => e.type === 'FIFO' && e.access === 'w' && e.link.startsWith('pipe:['));
  assert.ok(w, 'the writer holds the write end');
  assert.equal(w.pipe?.end, 'w');
  assert.match(w.target, readBy);

  const rfds = await waitFor(() => {
    const l = listOpenFiles(reader);
    return l?.some((e) => e.link === w.link && e.access === 'r' && !e.target.includes('this process')) ? l : undefined;
  }, 'the reader to hold only the read end');
  const r = rfds.find((e) => e.link === w.link)!;
  assert.equal(r.access, 'r');
  assert.equal(r.target, `${w.link} <- written by block_pipe_full (pid ${f.pid})`);
});

test('epoll, eventfd and a listening socket are typed and described', async () => {
  const f = spawnFixture('block_epoll_idle');
  await f.ready;
  const fds = listOpenFiles(f.pid)!;
  const ep = fds.find((e) => e.fd === Number(f.info.epfd))!;
  assert.equal(ep.type, 'a_inode');
  assert.equal(ep.epollTargets?.length, 3);
  assert.match(ep.target, /^anon_inode:\[eventpoll\] watching 3 fds \(\d+, \d+, \d+\)$/);
  assert.ok(fds.some((e) => e.type === 'a_inode' && /^anon_inode:\[eventfd\] count=0$/.test(e.target)));
  assert.ok(fds.some((e) => e.type === 'TCP' && /^TCP 127\.0\.0\.1:\d+ \(LISTEN\)$/.test(e.target)));
  const pipe = fds.find((e) => e.link.startsWith('pipe:[') && e.access === 'r')!;
  assert.match(pipe.target, /<- written by this process fd \d+ \(pid \d+\)$/);
});

test('regular files and devices: path, type and offset', () => {
  const fds = listOpenFiles(process.pid)!;
  assert.ok(fds.length > 0);
  for (const e of fds) {
    assert.ok(e.fd >= 0);
    assert.ok(e.type.length > 0);
    assert.ok(e.target.length > 0);
  }
});

test('a process that does not exist: undefined and a one-line reason', () => {
  assert.equal(listOpenFiles(4194305), undefined);
  assert.equal(openFilesUnavailableReason(4194305), 'pid 4194305 does not exist');
});
