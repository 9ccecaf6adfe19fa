// Pieces the network family's files share among themselves (net.cc, netlink.cc, sockets.cc).
// Not part of the decoder interface: other families use print_sockaddr and socket_details
// from decoder.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <netinet/in.h>
#include <string>

#include "decoder.h"

namespace decode {
namespace net {

// ---- net.cc ----
/** inet_addr("127.0.0.1"), the text quoted like any string. */
void print_inet_addr(const Call& c, const in_addr& a);
/** inet_pton(AF_INET6, "::1", &field), or without the last argument when field is nullptr. */
void print_inet6_addr(const Call& c, const in6_addr& a, const char* field);
/** A hardware address: ff:ff:ff (-X raw: the bytes as a hex string; -X verbose: both). */
void print_hwaddr_bytes(const Call& c, const uint8_t* b, size_t n);
/** An address of family af already read (size bytes): inet_addr("..."), inet_pton(AF_INET6, "..."),
 *  or the bytes in hex; a structure's field (sin_addr=inet_addr(...), inet_pton(..., &sin6_addr)) when
 *  field is given. -X raw: the bytes; -X verbose: the bytes, then the text in a comment. */
void print_inet_addr_bytes(const Call& c, unsigned af, const void* bytes, size_t size, const char* field);
/** A number in network byte order (a port, a protocol, a flow label), as strace shows one: htons(80)
 *  (-X raw: its bytes "\x00\x50"; -X verbose: both). body() prints the abbrev form. */
template <typename F> void print_net_value(const Call& c, const void* bytes, size_t n, F&& body) {
  print_styled(c, [&] { print_hex_bytes(c, bytes, n); }, body);
}
/** An interface index: if_nametoindex("lo") when this host has it, else the number. */
void print_ifindex(const Call& c, unsigned idx);
/** A socket address embedded in a structure already read (cmsg data, group_req, INET_DIAG_LOCALS):
 *  len bytes of it, at most sizeof(sockaddr_storage), printed as print_sockaddr prints one. */
void print_local_sockaddr(const Call& c, const void* data, size_t len);
/** A socket filter's k (BpfPrintK): the packet offsets a BPF_LD|BPF_ABS load names from the
 *  negative bases (SKF_AD_OFF+SKF_AD_PROTOCOL, SKF_NET_OFF+8, SKF_LL_OFF+4). */
bool print_sock_filter_k(const Call& c, const sock_filter& f);

// ---- sockets.cc ----
/** The kernel's protocol name of descriptor fd of pid ("TCP", "UNIX-STREAM", "NETLINK"), or "".
 *  pid is the tracee's as the tracer knows it, found in /proc whichever pid namespace that is of. */
std::string socket_protocol(pid_t pid, int fd);
/** socket_details for descriptor fd of pid (the tracer's pid, as for socket_protocol; the inode read
 *  from /proc): "NETLINK:[ROUTE:1234]". */
std::string socket_details_of_fd(pid_t pid, int fd);

// ---- netlink.cc ----
/** Netlink messages of len bytes at addr, sent or received on descriptor fd:
 *  [{nlmsg_len=20, nlmsg_type=RTM_GETADDR, ...}, {ifa_family=AF_UNSPEC, ...}] as strace prints them. */
void print_netlink(const Call& c, int fd, uint64_t addr, uint64_t len);

}  // namespace net
}  // namespace decode
