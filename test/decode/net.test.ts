// The network family (sockets, addresses, messages, socket options) and the -yy socket endpoints,
// against the text strace 6.1 prints for the same program (decode_net.c, fixed ports and data).
// The ports are fixed so the expected lines can name them: every trace runs in a network namespace
// of its own, where nothing else can hold them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { normalizeLines } from './expect-lines.js';
import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_net');
});

// Socket inode numbers differ per run: each distinct one becomes S1, S2, ... in order of first
// appearance, so the tests still check which socket is whose peer.
function inodeTokens(lines: string[]): string[] {
  const seen = new Map<string, string>();
  const token = (n: string) => {
    if (!seen.has(n)) seen.set(n, `S${seen.size + 1}`);
    return seen.get(n)!;
  };
  return lines.map((l) =>
    l.replace(/(<(?:TCP|TCPv6|UDP|UDPv6|UNIX|UNIX-STREAM|NETLINK|RAW):\[)(\d+)(?:->(\d+))?(?=[\],])/g, (_m, head: string, self: string, peer?: string) =>
      head + token(self) + (peer ? '->' + token(peer) : ''),
    ),
  );
}

async function trace(options: string[], part: string, pidNamespace = false): Promise<string[]> {
  const r = await tracePlain(options, [prog, part], pidNamespace ? { pidNamespace } : { privateNetwork: true });
  assert.equal(r.status, 0, r.stderr);
  // The dynamic loader's own close() calls come first with -e trace=...,close: keep the fixture's.
  return inodeTokens(normalizeLines(r.lines)).filter((l) => !/^close\(3<\/(etc|usr|lib)/.test(l));
}

const lo = (port: number) => `{sa_family=AF_INET, sin_port=htons(${port}), sin_addr=inet_addr("127.0.0.1")}`;
const lo6 = '{sa_family=AF_INET6, sin6_port=htons(47363), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}';

describe('network family', () => {
  it('decodes a TCP conversation: addresses, lengths in and out, flags, options', async () => {
    assert.deepEqual(await trace(['-e', 'trace=%network'], 'inet'), [
      'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3',
      'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0',
      `bind(3, ${lo(47361)}, 16) = 0`,
      'listen(3, 16) = 0',
      'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4',
      `connect(4, ${lo(47369)}, 16) = -1 ECONNREFUSED (Connection refused)`,
      'socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 4',
      'setsockopt(4, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0',
      `bind(4, ${lo(47362)}, 16) = 0`,
      `connect(4, ${lo(47361)}, 16) = 0`,
      // The kernel shortened the caller's 128-byte address buffer to 16 bytes.
      `accept4(3, ${lo(47362)}, [128 => 16], SOCK_CLOEXEC) = 5`,
      'sendto(4, "GET /\\r\\n", 7, MSG_NOSIGNAL, NULL, 0) = 7',
      'recvfrom(5, "GET /\\r\\n", 64, 0, NULL, NULL) = 7',
      `getsockname(4, ${lo(47362)}, [16]) = 0`,
      `getpeername(5, ${lo(47362)}, [16]) = 0`,
      'getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0',
      'setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0',
      'shutdown(4, SHUT_WR) = 0',
      'recvfrom(5, "", 64, MSG_DONTWAIT, NULL, NULL) = 0',
      // A failed receive: buffer and address by their addresses, the length as it went in.
      'recvfrom(3, 0xADDR, 64, MSG_DONTWAIT, 0xADDR, [16]) = -1 ENOTCONN (Transport endpoint is not connected)',
      '+++ exited with 0 +++',
    ]);
  });

  it('shows TCP endpoints with -yy, keeping the text first found for a socket as strace does', async () => {
    assert.deepEqual(await trace(['-yy', '-e', 'trace=%network,close'], 'inet'), [
      // Not bound yet: only the protocol and the inode.
      'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3<TCP:[S1]>',
      'setsockopt(3<TCP:[S1]>, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0',
      `bind(3<TCP:[S1]>, ${lo(47361)}, 16) = 0`,
      'listen(3<TCP:[127.0.0.1:47361]>, 16) = 0',
      'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4<TCP:[S2]>',
      `connect(4<TCP:[S2]>, ${lo(47369)}, 16) = -1 ECONNREFUSED (Connection refused)`,
      'close(4<TCP:[S2]>) = 0',
      'socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 4<TCP:[S3]>',
      'setsockopt(4<TCP:[S3]>, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0',
      `bind(4<TCP:[S3]>, ${lo(47362)}, 16) = 0`,
      `connect(4<TCP:[127.0.0.1:47362]>, ${lo(47361)}, 16) = 0`,
      `accept4(3<TCP:[127.0.0.1:47361]>, ${lo(47362)}, [128 => 16], SOCK_CLOEXEC) = 5<TCP:[127.0.0.1:47361->127.0.0.1:47362]>`,
      // Connected by now, but the client keeps the local-only text it had when first looked up.
      'sendto(4<TCP:[127.0.0.1:47362]>, "GET /\\r\\n", 7, MSG_NOSIGNAL, NULL, 0) = 7',
      'recvfrom(5<TCP:[127.0.0.1:47361->127.0.0.1:47362]>, "GET /\\r\\n", 64, 0, NULL, NULL) = 7',
      `getsockname(4<TCP:[127.0.0.1:47362]>, ${lo(47362)}, [16]) = 0`,
      `getpeername(5<TCP:[127.0.0.1:47361->127.0.0.1:47362]>, ${lo(47362)}, [16]) = 0`,
      'getsockopt(4<TCP:[127.0.0.1:47362]>, SOL_SOCKET, SO_ERROR, [0], [4]) = 0',
      'setsockopt(4<TCP:[127.0.0.1:47362]>, SOL_TCP, TCP_NODELAY, [1], 4) = 0',
      'shutdown(4<TCP:[127.0.0.1:47362]>, SHUT_WR) = 0',
      'recvfrom(5<TCP:[127.0.0.1:47361->127.0.0.1:47362]>, "", 64, MSG_DONTWAIT, NULL, NULL) = 0',
      'recvfrom(3<TCP:[127.0.0.1:47361]>, 0xADDR, 64, MSG_DONTWAIT, 0xADDR, [16]) = -1 ENOTCONN (Transport endpoint is not connected)',
      'close(5<TCP:[127.0.0.1:47361->127.0.0.1:47362]>) = 0',
      'close(4<TCP:[127.0.0.1:47362]>) = 0',
      'close(3<TCP:[127.0.0.1:47361]>) = 0',
      '+++ exited with 0 +++',
    ]);
  });

  it('decodes unix sockets, msghdr with SCM_RIGHTS, abstract names and UDP over IPv6', async () => {
    const rights = (fd: number) =>
      `msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[${fd}]}], msg_controllen=24`;
    assert.deepEqual(await trace(['-e', 'trace=%network'], 'local'), [
      'socketpair(AF_UNIX, SOCK_DGRAM, 0, [4, 5]) = 0',
      `sendmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="fd", iov_len=2}, {iov_base=" attached", iov_len=9}], msg_iovlen=2, ${rights(3)}, msg_flags=0}, 0) = 11`,
      // The 11 bytes received spread over the two buffers; the passed descriptor arrives as 6.
      `recvmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="fd a", iov_len=4}, {iov_base="ttached", iov_len=16}], msg_iovlen=2, ${rights(6)}, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 11`,
      'recvmsg(5, {msg_namelen=0}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)',
      'socket(AF_UNIX, SOCK_STREAM, 0) = 4',
      'bind(4, {sa_family=AF_UNIX, sun_path="decode.sock"}, 14) = 0',
      'listen(4, 1) = 0',
      'socket(AF_UNIX, SOCK_STREAM, 0) = 5',
      'connect(5, {sa_family=AF_UNIX, sun_path="decode.sock"}, 110) = 0',
      'accept(4, NULL, NULL) = 7',
      'socket(AF_UNIX, SOCK_DGRAM, 0) = 8',
      'bind(8, {sa_family=AF_UNIX, sun_path=@"decode-abstract"}, 18) = 0',
      'socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 9',
      `bind(9, ${lo6}, 28) = 0`,
      `sendto(9, "datagram", 8, 0, ${lo6}, 28) = 8`,
      // MSG_TRUNC: the call returns the datagram's length, the buffer holds what fitted.
      `recvfrom(9, "data", 4, MSG_TRUNC, ${lo6}, [128 => 28]) = 8`,
      '+++ exited with 0 +++',
    ]);
  });

  it('shows unix, UDPv6 and passed-descriptor endpoints with -yy', async () => {
    const lines = await trace(['-yy', '-e', 'trace=%network,close'], 'local');
    const rights = (fd: number) =>
      `msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[${fd}</dev/null<char 1:3>>]}], msg_controllen=24`;
    assert.deepEqual(lines, [
      'socketpair(AF_UNIX, SOCK_DGRAM, 0, [4<UNIX:[S1->S2]>, 5<UNIX:[S2->S1]>]) = 0',
      `sendmsg(4<UNIX:[S1->S2]>, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="fd", iov_len=2}, {iov_base=" attached", iov_len=9}], msg_iovlen=2, ${rights(3)}, msg_flags=0}, 0) = 11`,
      `recvmsg(5<UNIX:[S2->S1]>, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="fd a", iov_len=4}, {iov_base="ttached", iov_len=16}], msg_iovlen=2, ${rights(6)}, msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 11`,
      'recvmsg(5<UNIX:[S2->S1]>, {msg_namelen=0}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)',
      'close(4<UNIX:[S1->S2]>) = 0',
      'close(5<UNIX:[S2->S1]>) = 0',
      // Stream sockets are UNIX-STREAM; the name shows once bound, the peer once connected.
      'socket(AF_UNIX, SOCK_STREAM, 0) = 4<UNIX-STREAM:[S3]>',
      'bind(4<UNIX-STREAM:[S3]>, {sa_family=AF_UNIX, sun_path="decode.sock"}, 14) = 0',
      'listen(4<UNIX-STREAM:[S3,"decode.sock"]>, 1) = 0',
      'socket(AF_UNIX, SOCK_STREAM, 0) = 5<UNIX-STREAM:[S4]>',
      'connect(5<UNIX-STREAM:[S4]>, {sa_family=AF_UNIX, sun_path="decode.sock"}, 110) = 0',
      'accept(4<UNIX-STREAM:[S3,"decode.sock"]>, NULL, NULL) = 7<UNIX-STREAM:[S5->S4,"decode.sock"]>',
      'socket(AF_UNIX, SOCK_DGRAM, 0) = 8<UNIX:[S6]>',
      'bind(8<UNIX:[S6]>, {sa_family=AF_UNIX, sun_path=@"decode-abstract"}, 18) = 0',
      'socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 9<UDPv6:[S7]>',
      `bind(9<UDPv6:[S7]>, ${lo6}, 28) = 0`,
      `sendto(9<UDPv6:[[::1]:47363]>, "datagram", 8, 0, ${lo6}, 28) = 8`,
      `recvfrom(9<UDPv6:[[::1]:47363]>, "data", 4, MSG_TRUNC, ${lo6}, [128 => 28]) = 8`,
      'close(9<UDPv6:[[::1]:47363]>) = 0',
      'close(8<UNIX:[S6,@"decode-abstract"]>) = 0',
      'close(7<UNIX-STREAM:[S5->S4,"decode.sock"]>) = 0',
      // The client's peer (the accepted socket) is closed by now.
      'close(5<UNIX-STREAM:[S4]>) = 0',
      'close(4<UNIX-STREAM:[S3,"decode.sock"]>) = 0',
      'close(3</dev/null<char 1:3>>) = 0',
      '+++ exited with 0 +++',
    ]);
  });

  it('decodes socket options, unknown values and short or missing addresses', async () => {
    assert.deepEqual(await trace(['-e', 'trace=%network'], 'opts'), [
      'socket(AF_INET, 0x4d /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)',
      'socket(0x3039 /* AF_??? */, SOCK_STREAM, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)',
      'socket(AF_NETLINK, SOCK_RAW|SOCK_NONBLOCK, NETLINK_ROUTE) = 3',
      'socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4',
      // Too short for a sockaddr_in: the raw bytes after the family; shorter than a family: the address.
      'bind(4, {sa_family=AF_INET, sa_data="\\271\\4\\177\\0\\0\\1"}, 8) = -1 EINVAL (Invalid argument)',
      'bind(4, 0xADDR, 1) = -1 EINVAL (Invalid argument)',
      'bind(4, NULL, 0) = -1 EINVAL (Invalid argument)',
      'setsockopt(4, SOL_SOCKET, SO_RCVBUF, [4096], 4) = 0',
      'getsockopt(4, SOL_SOCKET, SO_RCVBUF, [8192], [4]) = 0',
      // Fewer bytes than an int: the bytes, in hex.
      'getsockopt(4, SOL_SOCKET, SO_RCVBUF, "\\x00\\x20", [2]) = 0',
      'setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0',
      'getsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1}, [4]) = 0',
      'getsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, [100 => 8]) = 0',
      'setsockopt(4, SOL_SOCKET, SO_BINDTODEVICE, "lo\\0", 3) = 0',
      'setsockopt(4, 0x270f /* SOL_?? */, 1, [8192], 4) = -1 ENOPROTOOPT (Protocol not available)',
      'setsockopt(4, SOL_SOCKET, 0x270f /* SO_??? */, [8192], 4) = -1 ENOPROTOOPT (Protocol not available)',
      'setsockopt(4, SOL_IP, IP_TOS, "\\20", 1) = 0',
      'setsockopt(4, SOL_IP, IP_RECVERR, [1], 4) = 0',
      'setsockopt(4, SOL_IP, IP_ADD_MEMBERSHIP, {imr_multiaddr=inet_addr("239.1.2.3"), imr_interface=inet_addr("127.0.0.1")}, 8) = 0',
      'getsockopt(4, SOL_SOCKET, SO_TYPE, NULL, NULL) = -1 EFAULT (Bad address)',
      'shutdown(4, 0x7 /* SHUT_??? */) = -1 EINVAL (Invalid argument)',
      'sendto(4, "\\1\\2three\\377", 8, MSG_DONTWAIT|0x800000, {sa_family=AF_INET, sin_port=htons(47364), sin_addr=inet_addr("127.0.0.1")}, 16) = 8',
      'socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 4',
      'setsockopt(4, SOL_IPV6, IPV6_V6ONLY, [1], 4) = 0',
      // Four bytes of text still print as an int: the size decides, not the option.
      'setsockopt(4, SOL_TCP, TCP_CONGESTION, [1869505906], 4) = 0',
      'getsockopt(4, SOL_TCP, TCP_CONGESTION, "reno\\0\\0\\0\\0", [8]) = 0',
      'accept4(4, NULL, NULL, 0x40 /* SOCK_??? */) = -1 EINVAL (Invalid argument)',
      '+++ exited with 0 +++',
    ]);
  });

  it('shows netlink, UDP and TCPv6 endpoints with -yy', async () => {
    const lines = await trace(['-yy', '-e', 'trace=socket,sendto,close'], 'opts');
    assert.deepEqual(
      lines.map((l) => l.replace(/UDP:\[0\.0\.0\.0:\d+\]/, 'UDP:[0.0.0.0:PORT]')),
      [
        'socket(AF_INET, 0x4d /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)',
        'socket(0x3039 /* AF_??? */, SOCK_STREAM, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)',
        // An unbound netlink socket has no port id yet.
        'socket(AF_NETLINK, SOCK_RAW|SOCK_NONBLOCK, NETLINK_ROUTE) = 3<NETLINK:[S1]>',
        'socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4<UDP:[S2]>',
        'sendto(4<UDP:[S2]>, "\\1\\2three\\377", 8, MSG_DONTWAIT|0x800000, {sa_family=AF_INET, sin_port=htons(47364), sin_addr=inet_addr("127.0.0.1")}, 16) = 8',
        // The send bound the socket to an ephemeral port on every address.
        'close(4<UDP:[0.0.0.0:PORT]>) = 0',
        'socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 4<TCPv6:[S3]>',
        'close(4<TCPv6:[S3]>) = 0',
        '+++ exited with 0 +++',
      ],
    );
  });

  it('decodes sendmmsg and recvmmsg vectors', async () => {
    const hdr = (data: string, len: number) =>
      `{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="${data}", iov_len=${len}}], msg_iovlen=1, msg_controllen=0, msg_flags=0}`;
    assert.deepEqual(await trace(['-e', 'trace=%network'], 'mmsg'), [
      'socketpair(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC, 0, [3, 4]) = 0',
      `sendmmsg(3, [${hdr('one', 3)}, msg_len=3}, ${hdr('three', 5)}, msg_len=5}], 2, 0) = 2`,
      `recvmmsg(4, [${hdr('one', 8)}, msg_len=3}, ${hdr('three', 8)}, msg_len=5}], 2, 0, NULL) = 2`,
      'recvmmsg(4, 0xADDR, 2, MSG_DONTWAIT, {tv_sec=0, tv_nsec=0}) = -1 EAGAIN (Resource temporarily unavailable)',
      // A failed send still shows what it was asked to send, without msg_len.
      `sendmmsg(-1, [${hdr('one', 3)}}], 1, 0) = -1 EBADF (Bad file descriptor)`,
      '+++ exited with 0 +++',
    ]);
  });

  it('decodes netlink route messages: the address dump getaddrinfo() asks for, errors, done markers', async () => {
    const lines = (await trace(['-e', 'trace=%network'], 'netlink')).map((l) => l.replace(/nlmsg_pid=[1-9]\d*/g, 'nlmsg_pid=PID'));
    const kernel = '{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}';
    const head = (len: number, type: string, flags: string, seq: number, pid = '0') =>
      `{nlmsg_len=${len}, nlmsg_type=${type}, nlmsg_flags=${flags}, nlmsg_seq=${seq}, nlmsg_pid=${pid}}`;
    assert.equal(lines[0], 'socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3');
    assert.equal(lines[1], `bind(3, ${kernel}, 12) = 0`);
    // The request carries only a family byte: too short for a whole ifaddrmsg.
    assert.equal(lines[2], `sendto(3, [${head(20, 'RTM_GETADDR', 'NLM_F_REQUEST|NLM_F_DUMP', 1)}, {ifa_family=AF_UNSPEC, ...}], 20, 0, ${kernel}, 12) = 20`);
    // The host's addresses vary; the loopback one comes first.
    assert.ok(
      lines[3].startsWith(
        `recvmsg(3, {msg_name=${kernel}, msg_namelen=12, msg_iov=[{iov_base=[[${head(76, 'RTM_NEWADDR', 'NLM_F_MULTI', 1, 'PID')}, ` +
          '{ifa_family=AF_INET, ifa_prefixlen=8, ifa_flags=IFA_F_PERMANENT, ifa_scope=RT_SCOPE_HOST, ifa_index=if_nametoindex("lo")}, ' +
          '[[{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr("127.0.0.1")], [{nla_len=8, nla_type=IFA_LOCAL}, inet_addr("127.0.0.1")], [{nla_len=7, nla_type=IFA_LABEL}, "lo"], ',
      ),
      lines[3],
    );
    assert.deepEqual(lines.slice(-6), [
      `recvmsg(3, {msg_name=${kernel}, msg_namelen=12, msg_iov=[{iov_base=[${head(20, 'NLMSG_DONE', 'NLM_F_MULTI', 1, 'PID')}, 0], iov_len=65536}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 20`,
      `sendto(3, [${head(100, 'RTM_NEWADDR', 'NLM_F_EXCL|NLM_F_CREATE', 2)}, ` +
        '{ifa_family=AF_INET6, ifa_prefixlen=64, ifa_flags=IFA_F_NODAD, ifa_scope=RT_SCOPE_LINK, ifa_index=if_nametoindex("lo")}, ' +
        '[[{nla_len=20, nla_type=IFA_ADDRESS}, inet_pton(AF_INET6, "fe80::5")], [{nla_len=9, nla_type=IFA_LABEL}, "lo:x"], ' +
        '[{nla_len=20, nla_type=IFA_CACHEINFO}, {ifa_prefered=100, ifa_valid=200, cstamp=3, tstamp=4}], ' +
        '[{nla_len=8, nla_type=IFA_FLAGS}, IFA_F_NODAD|IFA_F_PERMANENT], [{nla_len=8, nla_type=IFA_RT_PRIORITY}, 7], ' +
        // Four bytes cannot be an IPv6 address: the raw bytes.
        `[{nla_len=8, nla_type=IFA_LOCAL}, "\\xfe\\x80\\x00\\x00"]]], 100, 0, ${kernel}, 12) = 100`,
      `sendto(3, [${head(36, 'NLMSG_ERROR', '0', 3)}, {error=-EPERM, msg=${head(20, 'RTM_GETADDR', 'NLM_F_REQUEST|NLM_F_DUMP', 1)}}], 36, 0, ${kernel}, 12) = 36`,
      `sendto(3, [[${head(20, 'NLMSG_DONE', 'NLM_F_MULTI', 4)}, 0], [${head(20, 'NLMSG_DONE', 'NLM_F_MULTI', 4)}, 0]], 40, 0, ${kernel}, 12) = 40`,
      // Shorter than a message header: the bytes.
      `sendto(3, "\\x14\\x00\\x00\\x00\\x03\\x00\\x02\\x00\\x04\\x00", 10, 0, ${kernel}, 12) = 10`,
      '+++ exited with 0 +++',
    ]);
  });

  it('names the messages of the other netlink protocols and decodes the netfilter and SELinux payloads', async () => {
    // What the kernel answers depends on its configuration (SELinux, audit in a network namespace):
    // only the decoding is compared.
    const lines = (await trace(['-e', 'trace=sendto'], 'nlproto')).map((l) => l.replace(/ = [^=]*$/, ' = RET'));
    const tail = (len: number) => `, ${len}, MSG_DONTWAIT, NULL, 0) = RET`;
    assert.deepEqual(lines, [
      'sendto(3, {nlmsg_len=16, nlmsg_type=AUDIT_GET, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}' + tail(16),
      // A GET request's flag bits, for XFRM as for NETLINK_ROUTE.
      'sendto(3, {nlmsg_len=16, nlmsg_type=XFRM_MSG_GETPOLICY, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}' + tail(16),
      'sendto(3, {nlmsg_len=16, nlmsg_type=0x7f /* XFRM_MSG_??? */, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}' + tail(16),
      // A generic netlink family by the name the kernel gives it.
      'sendto(3, [{nlmsg_len=20, nlmsg_type=nlctrl, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=1, nlmsg_pid=0}, "\\x03\\x01\\x00\\x00"]' + tail(20),
      // Netfilter: the subsystem and its own message type, struct nfgenmsg, then the attributes.
      'sendto(3, [{nlmsg_len=28, nlmsg_type=NFNL_SUBSYS_CTNETLINK<<8|IPCTNL_MSG_CT_DELETE, nlmsg_flags=NLM_F_REQUEST|NLM_F_NONREC, nlmsg_seq=2, nlmsg_pid=0}, ' +
        '{nfgen_family=AF_INET, version=NFNETLINK_V0, res_id=htons(7)}, [{nla_len=8, nla_type=0x1ff}, "\\x61\\x62\\x63\\x00"]]' + tail(28),
      'sendto(3, {nlmsg_len=16, nlmsg_type=NFNL_SUBSYS_CTNETLINK<<8|0x7e /* IPCTNL_MSG_CT_??? */, nlmsg_flags=NLM_F_REQUEST|0x100, nlmsg_seq=2, nlmsg_pid=0}' + tail(16),
      'sendto(3, [{nlmsg_len=20, nlmsg_type=SELNL_MSG_SETENFORCE, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, {val=-3}]' + tail(20),
      // The quoted message says it is 4 bytes long, less than its own header: the header still shows.
      'sendto(3, [{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, ' +
        '{error=-EACCES, msg={nlmsg_len=4, nlmsg_type=NLMSG_NOOP, nlmsg_flags=0, nlmsg_seq=42, nlmsg_pid=0}}]' + tail(36),
      '+++ exited with 0 +++',
    ]);
  });

  it('decodes NETLINK_ROUTE payloads: header structures, attributes by their tables, nested attributes', async () => {
    const lines = (await trace(['-e', 'trace=sendto'], 'nlroute')).map((l) => l.replace(/ = [^=]*$/, ' = RET'));
    const tail = (len: number) => `, ${len}, MSG_DONTWAIT, NULL, 0) = RET`;
    assert.deepEqual(lines, [
      // struct rtmsg, an address of its family, RTA_METRICS nested, RTA_TABLE by name.
      'sendto(3, [{nlmsg_len=56, nlmsg_type=RTM_GETROUTE, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=1, nlmsg_pid=0}, ' +
        '{rtm_family=AF_INET, rtm_dst_len=32, rtm_src_len=0, rtm_tos=IPTOS_LOWDELAY, rtm_table=RT_TABLE_MAIN, rtm_protocol=RTPROT_KERNEL, ' +
        'rtm_scope=RT_SCOPE_LINK, rtm_type=RTN_UNICAST, rtm_flags=RTM_F_NOTIFY}, [[{nla_len=8, nla_type=RTA_DST}, inet_addr("127.0.0.1")], ' +
        '[{nla_len=12, nla_type=RTA_METRICS}, [{nla_len=8, nla_type=RTAX_MTU}, 1500]], [{nla_len=8, nla_type=RTA_TABLE}, RT_TABLE_LOCAL]]]' + tail(56),
      // struct nhmsg, an array of struct nexthop_grp (a reserved field only when set), an unknown type.
      'sendto(3, [{nlmsg_len=52, nlmsg_type=RTM_GETNEXTHOP, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=2, nlmsg_pid=0}, ' +
        '{nh_family=AF_INET6, nh_scope=RT_SCOPE_NOWHERE, nh_protocol=RTPROT_STATIC, nh_flags=RTNH_F_ONLINK}, ' +
        '[[{nla_len=20, nla_type=NHA_GROUP}, [{id=1, weight=2}, {id=3, weight=4, resvd1=0x5}]], [{nla_len=8, nla_type=0x3fff /* NHA_??? */}, "\\x78\\x79\\x7a\\x00"]]]' +
        tail(52),
      // struct tcmsg; a kind without its NUL is marked cut; TCA_STATS2 nests the gnet_stats structures.
      'sendto(3, [{nlmsg_len=76, nlmsg_type=RTM_GETQDISC, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=4, nlmsg_pid=0}, ' +
        '{tcm_family=AF_UNSPEC, tcm_ifindex=0, tcm_handle=65536, tcm_parent=0, tcm_info=0}, [[{nla_len=12, nla_type=TCA_KIND}, "fq_codel"...], ' +
        '[{nla_len=28, nla_type=TCA_STATS2}, [{nla_len=24, nla_type=TCA_STATS_QUEUE}, {qlen=1, backlog=2, drops=3, requeues=4, overlimits=5}]]]]' +
        tail(76),
      // struct ifinfomsg; IFLA_INFO_DATA is read by the IFLA_INFO_KIND before it (a tun device here).
      'sendto(3, [{nlmsg_len=64, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=5, nlmsg_pid=0}, ' +
        '{ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NONE, ifi_index=0, ifi_flags=IFF_UP|IFF_RUNNING, ifi_change=0}, [[{nla_len=8, nla_type=IFLA_IFNAME}, "tn0"], ' +
        '[{nla_len=24, nla_type=IFLA_LINKINFO}, [[{nla_len=8, nla_type=IFLA_INFO_KIND}, "tun"], [{nla_len=12, nla_type=IFLA_INFO_DATA}, ' +
        '[{nla_len=5, nla_type=IFLA_TUN_TYPE}, IFF_TAP]]]]]]' +
        tail(64),
      // Too short for a struct ndmsg: the family alone.
      'sendto(3, [{nlmsg_len=20, nlmsg_type=RTM_GETNEIGH, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=3, nlmsg_pid=0}, {ndm_family=AF_INET, ...}]' + tail(20),
      '+++ exited with 0 +++',
    ]);
  });

  it('prints NETLINK_ROUTE payloads as numbers with -X raw', async () => {
    const lines = await trace(['-X', 'raw', '-e', 'trace=sendto'], 'nlroute');
    assert.equal(
      lines[0].replace(/ = [^=]*$/, ''),
      'sendto(3, [{nlmsg_len=56, nlmsg_type=0x1a, nlmsg_flags=0x1, nlmsg_seq=1, nlmsg_pid=0}, {rtm_family=0x2, rtm_dst_len=32, rtm_src_len=0, ' +
        'rtm_tos=0x10, rtm_table=0xfe, rtm_protocol=0x2, rtm_scope=0xfd, rtm_type=0x1, rtm_flags=0x100}, [[{nla_len=8, nla_type=0x1}, "\\x7f\\x00\\x00\\x01"], ' +
        '[{nla_len=12, nla_type=0x8}, [{nla_len=8, nla_type=0x2}, 1500]], [{nla_len=8, nla_type=0xf}, 0xff]]], 56, 0x40, NULL, 0)',
    );
  });

  it('decodes the structures of packet and raw socket options, and names SO_TXREHASH values', async () => {
    const ebadf = ' = -1 EBADF (Bad file descriptor)';
    assert.deepEqual(await trace(['-e', 'trace=setsockopt'], 'sockopt-struct'), [
      'setsockopt(-1, SOL_PACKET, PACKET_ADD_MEMBERSHIP, {mr_ifindex=0, mr_type=PACKET_MR_PROMISC, mr_alen=6, mr_address=02:00:5e:10:00:01}, 16)' + ebadf,
      'setsockopt(-1, SOL_PACKET, PACKET_RX_RING, {tp_block_size=4096, tp_block_nr=2, tp_frame_size=2048, tp_frame_nr=4}, 16)' + ebadf,
      // The ICMP types filtered out; more than half of them set shows the others after "~".
      'setsockopt(-1, SOL_RAW, ICMP_FILTER, [ICMP_ECHOREPLY ICMP_ECHO], 4)' + ebadf,
      'setsockopt(-1, SOL_RAW, ICMP_FILTER, ~[ICMP_DEST_UNREACH], 4)' + ebadf,
      'setsockopt(-1, SOL_SOCKET, SO_TXREHASH, [2 /* SOCK_TXREHASH_??? */], 4)' + ebadf,
      '+++ exited with 0 +++',
    ]);
  });

  it('disassembles classic BPF socket filters with -v: attached, read back, and in PACKET_DIAG_FILTER', async () => {
    const prog =
      '[BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PKTTYPE), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0, 0, 0x3), ' +
      'BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_NET_OFF+9), BPF_STMT(BPF_LD|BPF_H|BPF_ABS, SKF_LL_OFF+12), ' +
      'BPF_STMT(BPF_RET|BPF_K, 0xffff), BPF_STMT(BPF_RET|BPF_A, 0)]';
    const v = await trace(['-v', '-e', 'trace=setsockopt,getsockopt,sendto'], 'sockfilter');
    assert.deepEqual(v, [
      `setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, {len=6, filter=${prog}}, 16) = 0`,
      // SO_GET_FILTER's length is the number of instructions the kernel wrote back.
      `getsockopt(3, SOL_SOCKET, SO_GET_FILTER, ${prog}, [8 => 6]) = 0`,
      'setsockopt(-1, SOL_SOCKET, SO_ATTACH_FILTER, {len=2, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, SKF_AD_OFF+0x100 /* SKF_AD_??? */), ' +
        'BPF_STMT(BPF_RET|BPF_K, 0)]}, 16) = -1 EBADF (Bad file descriptor)',
      'sendto(3, [{nlmsg_len=52, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=9, nlmsg_pid=0}, ' +
        '{pdiag_family=AF_PACKET, pdiag_type=SOCK_RAW, pdiag_num=0 /* ETH_P_??? */, pdiag_ino=0, pdiag_cookie=[0, 0]}, ' +
        '[{nla_len=20, nla_type=PACKET_DIAG_FILTER}, [BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PKTTYPE), BPF_STMT(BPF_RET|BPF_A, 0)]]], ' +
        '52, MSG_DONTWAIT, NULL, 0) = 52',
      '+++ exited with 0 +++',
    ]);
    // -X verbose: each part of a code and each offset base is its number, then its name.
    const xv = await trace(['-v', '-X', 'verbose', '-e', 'trace=setsockopt'], 'sockfilter');
    assert.match(
      xv[0],
      /filter=\[BPF_STMT\(0 \/\* BPF_LD \*\/\|0x10 \/\* BPF_B \*\/\|0x20 \/\* BPF_ABS \*\/, 0xfffff000 \/\* SKF_AD_OFF \*\/\+0x4 \/\* SKF_AD_PKTTYPE \*\/\), /,
    );
    // Without -v the program is where it is.
    const plain = await trace(['-e', 'trace=setsockopt,getsockopt'], 'sockfilter');
    assert.deepEqual(plain.slice(0, 2), [
      'setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, {len=6, filter=0xADDR}, 16) = 0',
      'getsockopt(3, SOL_SOCKET, SO_GET_FILTER, 0xADDR, [8 => 6]) = 0',
    ]);
  });

  it('decodes NETLINK_SOCK_DIAG requests by the family they name (AF_UNIX, AF_INET)', async () => {
    const lines = (await trace(['-e', 'trace=sendto'], 'nldiag')).map((l) => l.replace(/ = [^=]*$/, ' = RET'));
    assert.deepEqual(lines, [
      'sendto(3, [{nlmsg_len=40, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=7, nlmsg_pid=0}, ' +
        '{sdiag_family=AF_UNIX, sdiag_protocol=0, udiag_states=1<<TCP_ESTABLISHED|1<<TCP_LISTEN, udiag_ino=0, udiag_show=UDIAG_SHOW_NAME|UDIAG_SHOW_PEER, ' +
        'udiag_cookie=[0, 0]}], 40, MSG_DONTWAIT, NULL, 0) = RET',
      // What ss -tl asks: struct inet_diag_req_v2 with the socket id's ports and addresses.
      'sendto(3, [{nlmsg_len=72, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=8, nlmsg_pid=0}, ' +
        '{sdiag_family=AF_INET, sdiag_protocol=IPPROTO_TCP, idiag_ext=1<<(INET_DIAG_INFO-1), idiag_states=1<<TCP_LISTEN, ' +
        'id={idiag_sport=htons(22), idiag_dport=htons(0), idiag_src=inet_addr("127.0.0.1"), idiag_dst=inet_addr("0.0.0.0"), idiag_if=0, ' +
        'idiag_cookie=[0, 0]}}], 72, MSG_DONTWAIT, NULL, 0) = RET',
      '+++ exited with 0 +++',
    ]);
  });

  it('decodes addresses of the less common families, and shows an address the way -X asks', async () => {
    const ebadf = ' = -1 EBADF (Bad file descriptor)';
    assert.deepEqual(await trace(['-e', 'trace=connect'], 'sockaddr-more'), [
      `connect(-1, ${lo(12345)}, 16)` + ebadf,
      'connect(-1, {sa_family=AF_QIPCRTR, sq_node=QRTR_NODE_BCAST, sq_port=0x7}, 12)' + ebadf,
      'connect(-1, {sa_family=AF_XDP, sxdp_flags=XDP_COPY, sxdp_ifindex=0, sxdp_queue_id=3}, 16)' + ebadf,
      // strace's %#0*x shows a zero byte of the node as 00.
      'connect(-1, {sa_family=AF_IPX, sipx_port=htons(1105), sipx_network=htonl(0xc0ffee), sipx_node=[00, 0x1b, 0x21, 0xa, 0xb, 0xc], sipx_type=0x4}, 16)' + ebadf,
      'connect(-1, {sa_family=AF_X25, sx25_addr={x25_addr="31344120"}}, 18)' + ebadf,
      'connect(-1, {sa_family=AF_AX25, sax25_call=N0CALL-7, sax25_ndigis=0}, 16)' + ebadf,
      // A callsign that is not upper case and digits shows its bytes too; a digipeater counted but
      // not in the address is "...".
      'connect(-1, {sa_family=AF_AX25, fsa_ax25={sax25_call=N0CALL-7, sax25_ndigis=3}, fsa_digipeater=[WIDE2-1, ' +
        '{ax25_call="\\xe4\\xca\\xd8\\xc2\\xf2\\x40\\x00"} /* relay-0 */, ...]}, 30)' + ebadf,
      '+++ exited with 0 +++',
    ]);
    // -X verbose: a port and an address in network byte order are their bytes, then what they mean.
    const verbose = await trace(['-X', 'verbose', '-e', 'trace=connect'], 'sockaddr-more');
    assert.equal(
      verbose[0],
      'connect(-1, {sa_family=0x2 /* AF_INET */, sin_port="\\x30\\x39" /* htons(12345) */, sin_addr="\\x7f\\x00\\x00\\x01" /* inet_addr("127.0.0.1") */}, 16)' + ebadf,
    );
  });

  it('decodes NETLINK_SOCK_DIAG answer attributes: MD5 keys, the TLS upper layer, socket options', async () => {
    const lines = await trace(['-e', 'trace=sendto'], 'nldiag-attrs');
    assert.deepEqual(lines, [
      'sendto(3, [{nlmsg_len=232, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=10, nlmsg_pid=0}, ' +
        '{idiag_family=AF_INET, idiag_state=TCP_ESTABLISHED, idiag_timer=0, idiag_retrans=0, id={idiag_sport=htons(179), ' +
        'idiag_dport=htons(0), idiag_src=inet_addr("127.0.0.1"), idiag_dst=inet_addr("127.0.0.1"), idiag_if=0, idiag_cookie=[0, 0]}, ' +
        'idiag_expires=0, idiag_rqueue=0, idiag_wqueue=0, idiag_uid=0, idiag_inode=0}, ' +
        '[[{nla_len=104, nla_type=INET_DIAG_MD5SIG}, [{tcpm_family=AF_INET, tcpm_prefixlen=32, tcpm_keylen=3, ' +
        'tcpm_addr=inet_addr("127.0.0.1"), tcpm_key="\\x62\\x67\\x70"}]], ' +
        '[{nla_len=32, nla_type=INET_DIAG_ULP_INFO}, [[{nla_len=8, nla_type=INET_ULP_INFO_NAME}, "tls"], ' +
        '[{nla_len=20, nla_type=INET_ULP_INFO_TLS}, [[{nla_len=6, nla_type=TLS_INFO_VERSION}, TLS_1_3_VERSION], ' +
        '[{nla_len=6, nla_type=TLS_INFO_CIPHER}, TLS_CIPHER_AES_GCM_256]]]]], ' +
        // Only the options set, unless -v.
        '[{nla_len=6, nla_type=INET_DIAG_SOCKOPT}, {mc_loop=1, bind_address_no_port=1}]]], 232, MSG_DONTWAIT, NULL, 0) = 232',
      '+++ exited with 0 +++',
    ]);
    const v = await trace(['-v', '-e', 'trace=sendto'], 'nldiag-attrs');
    assert.match(
      v[0],
      /\{recverr=0, is_icsk=0, freebind=0, hdrincl=0, mc_loop=1, transparent=0, mc_all=0, nodefrag=0, bind_address_no_port=1, recverr_rfc4884=0, defer_connect=0, unused=0 \/\* bits 3\.\.8 \*\/\}/,
    );
  });

  it('finds a netlink socket\'s protocol and translates pids when /proc is another PID namespace\'s', async () => {
    // Under unshare -Urpf our pids are not /proc's: the socket is looked up by the pid /proc gives it.
    const lines = (await trace(['-f', '-qq', '--pidns-translation', '-e', 'trace=sendto,connect,sendmsg'], 'pidns', true)).map(
      (l) => l.replace(/^\d+ +/, '').replace(/\/\* \d+ in strace's PID NS \*\//g, '/* N in strace\'s PID NS */'),
    );
    const n = "1 /* N in strace's PID NS */";
    assert.deepEqual(lines.filter((l) => !l.startsWith('+++') && !l.startsWith('---')), [
      `sendto(3, {nlmsg_len=16, nlmsg_type=AUDIT_GET, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=${n}}, 16, MSG_DONTWAIT, NULL, 0) = 16`,
      `connect(-1, {sa_family=AF_NETLINK, nl_pid=${n}, nl_groups=00000000}, 12) = -1 EBADF (Bad file descriptor)`,
      'sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=28, ' +
        `cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=${n}, uid=0, gid=0}}], msg_controllen=32, msg_flags=0}, 0) = 1`,
    ]);
  });

  it('shows every descriptor of SCM_RIGHTS with -v: the kernel bounds control data, not our array guard', async () => {
    const [line] = await trace(['-v', '-e', 'trace=sendmsg'], 'cmsg-many');
    assert.match(line, /^sendmsg\(-1, \{msg_name=NULL, .*cmsg_type=SCM_RIGHTS, cmsg_data=\[(-1, ){1099}-1\]\}\], msg_controllen=4416, /);
  });

  it('decodes the udev monitor header on NETLINK_KOBJECT_UEVENT sockets', async () => {
    const lines = (await trace(['-e', 'trace=sendto'], 'uevent')).map((l) => l.replace(/ = [^=]*$/, ' = RET'));
    assert.deepEqual(lines, [
      'sendto(3, [{prefix="libudev", magic=htonl(0xfeedcafe), header_size=40, properties_off=40, properties_len=8, ' +
        'filter_subsystem_hash=htonl(0x1234), filter_devtype_hash=htonl(0), filter_tag_bloom_hi=htonl(0), filter_tag_bloom_lo=htonl(0)}, "ACTION=a"], ' +
        '48, MSG_DONTWAIT, NULL, 0) = RET',
      '+++ exited with 0 +++',
    ]);
  });
});
