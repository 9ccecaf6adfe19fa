// Findings on sockets, from real programs in network namespaces of their own (no port or route
// of the machine's is used): refused connects with what listens where, unreachable and timed-out
// connects with the route, a non-blocking connect followed to its result, a port already bound,
// a peer that went away, and name resolution against a DNS server the fixture runs itself.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';

import { fixturePath, killAll } from '../helpers/fixtures.js';
import { block, findingsAttached, findingsOf, headers, scratchDir } from './run-findings.js';

after(killAll);

describe('findings: connect', () => {
  test('ECONNREFUSED: nothing listens on that port in the process\'s own network namespace', async () => {
    const r = await findingsAttached('find_net', ['netns', 'lo', 'hold', 'connect', '127.0.0.1', '4242']);
    const b = block(r.report, /connect to 127\.0\.0\.1:4242 refused/);
    assert.match(b, /nothing listens on port 4242 in its network namespace \(net:\[\d+\], not the host's\)/, r.report);
    assert.match(b, /\[\d+\] connect\(3, \{sa_family=AF_INET, sin_port=htons\(4242\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, 16\) = -1 ECONNREFUSED/);
  });

  test('ECONNREFUSED when the port is open on another address only', async () => {
    const r = await findingsAttached('find_net', ['netns', 'lo', 'hold', 'wrongaddr']);
    const b = block(r.report, /connect to 127\.0\.0\.1:\d+ refused/);
    assert.match(b, /nothing listens on 127\.0\.0\.1:(\d+) in its network namespace .*; port \1 is open on 127\.0\.0\.2:\1 only \(find_net \(pid \d+\)\): the server is bound to another address/, r.report);
  });

  test('a non-blocking connect is followed to its result, shown on the connect row', async () => {
    const r = await findingsAttached('find_net', ['netns', 'lo', 'hold', 'nbconnect', '127.0.0.1', '4243', '5000']);
    const b = block(r.report, /connect to 127\.0\.0\.1:4243 \(non-blocking\): refused/);
    assert.match(b, /the result came from getsockopt\(SO_ERROR\)/, r.report);
    assert.match(b, /nothing listens on port 4243 in its network namespace/);
    assert.match(b, /connect\(3, .*htons\(4243\).* = -1 EINPROGRESS \(Operation now in progress\) +-> refused \(ECONNREFUSED from getsockopt\(SO_ERROR\), after /);
    assert.match(b, /getsockopt\(3, SOL_SOCKET, SO_ERROR, \[ECONNREFUSED\], \[4\]\) = 0/);
    // EINPROGRESS itself is expected
    assert.match(r.report, /expected failure: connect fails with EINPROGRESS/);
  });

  test('ECONNREFUSED on a unix socket path: nothing listens there, and the checks for a socket file', async () => {
    const s = scratchDir();
    try {
      const path = `${s.dir}/app.sock`;
      const r = await findingsAttached('find_net', ['hold', 'unixrefused', path]);
      const b = block(r.report, new RegExp(`connect to ${path} refused`));
      assert.match(b, new RegExp(`no socket listens on ${path} in its network namespace \\(the host's\\): .*has not called listen\\(\\) yet`), r.report);
      assert.match(b, new RegExp(`next: +ss -xlp src ${path}; ls -l ${path}`));
      assert.doesNotMatch(b, /ss -ltnp/);
    } finally {
      s.remove();
    }
  });

  test('ENETUNREACH: no route, and the interfaces there are', async () => {
    const r = await findingsAttached('find_net', ['netns', 'lo', 'hold', 'connect', '10.9.9.9', '80']);
    const b = block(r.report, /connect to 10\.9\.9\.9:80: network unreachable/);
    assert.match(b, /no route to 10\.9\.9\.9 in its network namespace \(net:\[\d+\]\); its interfaces: lo/, r.report);
  });

  test('EHOSTUNREACH: the unreachable route that refuses it', async () => {
    const r = await findingsAttached('find_net', ['netns', 'lo', 'unreach', '10.9.9.0/24', 'hold', 'connect', '10.9.9.9', '80']);
    const b = block(r.report, /connect to 10\.9\.9\.9:80: no route to host/);
    assert.match(b, /the route to 10\.9\.9\.9 in its network namespace \(net:\[\d+\]\) refuses it: unreachable 10\.9\.9\.0\/24/, r.report);
  });

  test('ETIMEDOUT: the SYNs went unanswered, and the route they took', async () => {
    const r = await findingsAttached('find_net', ['netns', 'lo', 'via-lo', '10.9.8.0/24', 'synretries', '1', 'hold', 'connect', '10.9.8.7', '80']);
    const b = block(r.report, /connect to 10\.9\.8\.7:80: timed out/);
    assert.match(b, /no answer from 10\.9\.8\.7:80 for \d+\.\d s: its SYNs were dropped/, r.report);
    assert.match(b, /route to 10\.9\.8\.7 in its network namespace \(net:\[\d+\]\): 10\.9\.8\.0\/24 dev lo/);
  });

  test('a non-blocking connect abandoned after poll timed out', async () => {
    const r = await findingsAttached('find_net', ['netns', 'lo', 'via-lo', '10.9.8.0/24', 'hold', 'nbconnect', '10.9.8.7', '80', '300']);
    const b = block(r.report, /connect to 10\.9\.8\.7:80 \(non-blocking\): closed before it completed/);
    assert.match(b, /= -1 EINPROGRESS \(Operation now in progress\) +-> abandoned: closed after .* before it completed/, r.report);
    assert.match(b, /route to 10\.9\.8\.7 in its network namespace/);
  });
});

describe('findings: sockets', () => {
  test('EADDRINUSE names who holds the port', async () => {
    const r = await findingsOf([fixturePath('find_net'), 'bindtwice']);
    const b = block(r.report, /bind 127\.0\.0\.1:\d+: address already in use/);
    assert.match(b, /pid \d+ find_net bound 127\.0\.0\.1:\d+ itself, earlier in this trace, and still holds it on fd 3/, r.report);
  });

  test('EPIPE and SIGPIPE: the process that held the other end', async () => {
    const r = await findingsOf([fixturePath('find_net'), 'epipe'], ['-f']);
    const b = block(r.report, /write on fd 3 failed with EPIPE: the reader is gone/);
    assert.match(b, /the peer: the socketpair's other end, last held by pid \d+ find_net, which closed it/, r.report);
    assert.match(b, /--- SIGPIPE \{si_signo=SIGPIPE/);
    // its death is put down to the EPIPE, not to the loader's look for /etc/ld.so.preload
    const death = block(r.report, /find_net killed by SIGPIPE/);
    assert.match(death, /killed by SIGPIPE .*: after write\(3, "hello", 5\) = -1 EPIPE/, r.report);
    assert.match(death, /its last problem: write on fd 3 failed with EPIPE: the reader is gone/);
    assert.doesNotMatch(death, /ld\.so\.preload/);
  });

  test('read returning 0 on a socket: the peer closed, which peer', async () => {
    const r = await findingsOf([fixturePath('find_net'), 'eof']);
    const b = block(r.report, /read returned 0 on fd 4: 127\.0\.0\.1:\d+ closed the connection/);
    assert.match(b, /read\(4, "", 16\) = 0/, r.report);
    assert.deepEqual(headers(r.report, 'PROBLEM'), [], r.report);
  });
});

describe('findings: name resolution', () => {
  const dnsFiles = (dir: string) => {
    writeFileSync(`${dir}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    writeFileSync(`${dir}/nsswitch.conf`, 'hosts: files dns\n');
    writeFileSync(`${dir}/hosts`, '127.0.0.1 localhost\n');
  };

  test('resolved through DNS: which server, over which socket, what came back', async () => {
    const s = scratchDir();
    try {
      dnsFiles(s.dir);
      const r = await findingsAttached('find_net', ['hold', 'dns', 'svc.test', s.dir, 'answer']);
      const b = block(r.report, /resolved svc\.test through DNS 127\.0\.0\.1:53 \(UDP\): NOERROR, 1 answer/);
      assert.match(b, /configuration: .*resolv\.conf read.*hosts read/, r.report);
      assert.match(b, /asked 127\.0\.0\.1:53 over UDP \(fd \d+\)/);
      assert.match(b, /A svc\.test -> 127\.0\.0\.1:53: NOERROR, 1 answer/);
      assert.match(b, /its \/etc\/nsswitch\.conf: hosts: files dns/);
      assert.match(b, /its \/etc\/resolv\.conf: nameserver 127\.0\.0\.1/);
    } finally {
      s.remove();
    }
  });

  test('NXDOMAIN is a problem naming the server', async () => {
    const s = scratchDir();
    try {
      dnsFiles(s.dir);
      const r = await findingsAttached('find_net', ['hold', 'dns', 'nothere.test', s.dir, 'nxdomain']);
      assert.match(r.report, /PROBLEM: pid \d+: DNS A nothere\.test from 127\.0\.0\.1:53: NXDOMAIN/, r.report);
    } finally {
      s.remove();
    }
  });

  test('a server that never answers', async () => {
    const s = scratchDir();
    try {
      dnsFiles(s.dir);
      const r = await findingsAttached('find_net', ['hold', 'dns', 'slow.test', s.dir, 'silent']);
      const b = block(r.report, /DNS server 127\.0\.0\.1:53 did not answer/);
      assert.match(b, /timed out \(poll\/select returned 0\)/, r.report);
      assert.match(b, /A slow\.test -> 127\.0\.0\.1:53: no answer/);
    } finally {
      s.remove();
    }
  });

  test('resolved from /etc/hosts: it never asked a server', async () => {
    const s = scratchDir();
    try {
      dnsFiles(s.dir);
      const r = await findingsAttached('find_net', ['hold', 'dns', 'localhost', s.dir, 'answer']);
      const b = block(r.report, /name resolution never asked a DNS server \(answered from \/etc\/hosts, or gave up\)/);
      assert.match(b, /no DNS query was sent/, r.report);
    } finally {
      s.remove();
    }
  });
});
