// Parsing /proc/net tables and the address text (as strace prints it), on fixed input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIPv4Hex, decodeIPv6Hex, parseInetTable, parseUnixTable, findInetPeer, findSocketPeer, type SocketTables } from '../../src/engine/proc/sockets.js';

test('IPv4 addresses are little-endian hex words', () => {
  assert.equal(decodeIPv4Hex('0100007F'), '127.0.0.1');
  assert.equal(decodeIPv4Hex('00000000'), '0.0.0.0');
  assert.equal(decodeIPv4Hex('0101A8C0'), '192.168.1.1');
});

test('IPv6 addresses print as inet_ntop does, IPv4-mapped included', () => {
  assert.equal(decodeIPv6Hex('00000000000000000000000001000000'), '::1');
  assert.equal(decodeIPv6Hex('00000000000000000000000000000000'), '::');
  assert.equal(decodeIPv6Hex('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
  assert.equal(decodeIPv6Hex('000080FE000000000000000001000000'), 'fe80::1');
  assert.equal(decodeIPv6Hex('000080FE00000000FF0000020300FE04'), 'fe80::200:ff:4fe:3');
  assert.equal(decodeIPv6Hex('B80D0120000000000000000001000000'), '2001:db8::1');
});

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   105        0 1001 1 0000000000000000 100 0 0 10 0
   1: 0100007F:9C40 0100007F:1538 01 00000000:00000000 00:00000000 00000000  1000        0 1002 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1538 0100007F:9C40 01 00000010:00000000 00:00000000 00000000   105        0 1003 1 0000000000000000 20 4 30 10 -1
`;

test('a TCP table gives endpoints, state, queues and inode; the peer is the swapped entry', () => {
  const socks = parseInetTable(TCP, 'TCP');
  assert.equal(socks.length, 3);
  assert.deepEqual(
    socks.map((s) => [s.inode, s.local, s.remote, s.state]),
    [
      [1001, '127.0.0.1:5432', '0.0.0.0:0', 'LISTEN'],
      [1002, '127.0.0.1:40000', '127.0.0.1:5432', 'ESTABLISHED'],
      [1003, '127.0.0.1:5432', '127.0.0.1:40000', 'ESTABLISHED'],
    ],
  );
  assert.equal(socks[2].txQueue, 16);
  const tables: SocketTables = { inet: socks, unix: [], byInode: new Map(socks.map((s) => [s.inode, s])) };
  assert.equal(findInetPeer(tables, socks[1])?.inode, 1003);
  assert.equal(findInetPeer(tables, socks[2])?.inode, 1002);
  assert.equal(findInetPeer(tables, socks[0]), undefined);
});

test('IPv6 sockets print in brackets and match IPv4 peers through mapped addresses', () => {
  const v6 = parseInetTable(
    `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:1538 0000000000000000FFFF00000100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 20 4 30 10 -1
`,
    'TCPv6',
  );
  assert.equal(v6[0].local, '[::ffff:127.0.0.1]:5432');
  const v4 = parseInetTable(TCP, 'TCP');
  const tables: SocketTables = { inet: [...v4.slice(1, 2), ...v6], unix: [], byInode: new Map() };
  assert.equal(findInetPeer(tables, v4[1])?.inode, 2001);
});

test('UDP sockets are UNCONN unless connected', () => {
  const udp = parseInetTable(
    `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  1: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3001 2 0000000000000000 0
`,
    'UDP',
  );
  assert.equal(udp[0].local, '0.0.0.0:53');
  assert.equal(udp[0].state, 'UNCONN');
});

test('the unix table gives path (with spaces, abstract names), type and listening state', () => {
  const unix = parseUnixTable(`Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00010000 0001 01 4001 /run/my app.sock
0000000000000000: 00000003 00000000 00000000 0001 03 4002
0000000000000000: 00000002 00000000 00000000 0002 01 4003 @abstract
`);
  assert.deepEqual(
    unix.map((u) => [u.inode, u.path, u.type, u.state]),
    [
      [4001, '/run/my app.sock', 'STREAM', 'LISTEN'],
      [4002, '', 'STREAM', 'CONNECTED'],
      [4003, '@abstract', 'DGRAM', 'UNCONNECTED'],
    ],
  );
});

test('a connected unix stream socket without a peer inode: closed, or not accepted yet (sock_diag cannot tell them apart)', () => {
  const sock = { proto: 'UNIX' as const, inode: 7, path: '', type: 'STREAM', state: 'CONNECTED', listening: false };
  const ctx = {
    socketTables: () => ({ byInode: new Map() }) as unknown as SocketTables,
    unixSockets: () => new Map([[7, { inode: 7, peer: 0, path: '' }]]),
    owners: { socketHolders: () => [] } as never,
  };
  const p = findSocketPeer(ctx, 100, sock);
  assert.deepEqual(p.holders, []);
  assert.match(p.note!, /closed, or the listener has not accepted the connection yet/);
});
