// -e read=FDS / -e write=FDS: the data a call moved through one of those descriptors, dumped in hex
// after the call's line as strace does (" | 00000  68 65 6c 6c ...  hell... |"), per iovec buffer for
// the vector calls (" * 5 bytes in buffer 0") and per message for sendmmsg/recvmmsg.
#include "dumpio.h"

#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace engine {

namespace {

// Offsets are printed with at least 5 hex digits, more when the dump is longer than that reaches.
int offset_digits(uint64_t len) {
  if (len <= (1ull << 20)) return 5;
  int bits = 64 - __builtin_clzll(len - 1);
  return (bits + 3) / 4;
}

void dump_str(const decode::Call& c, uint64_t addr, uint64_t len, std::string* out) {
  if (len == 0 || addr + len < addr) return;
  constexpr uint64_t kChunk = 1 << 16;
  const int digits = offset_digits(len);
  std::vector<unsigned char> buf;
  uint64_t base = 0;  // offset of buf[0]
  char line[128];
  for (uint64_t i = 0; i < len; i += 16) {
    if (i % kChunk == 0) {
      const uint64_t n = std::min(len - i, kChunk);
      buf.assign(static_cast<size_t>(n), 0);
      if (!decode::read_mem(c, addr + i, buf.data(), static_cast<size_t>(n))) {
        if (i) {
          snprintf(line, sizeof line, " | <Cannot fetch %llu byte%s from pid %d @%#llx>\n", (unsigned long long)n,
                   n == 1 ? "" : "s", c.pid, (unsigned long long)(addr + i));
          out->append(line);
        }
        return;
      }
      base = i;
    }
    std::string hex, ascii;
    for (uint64_t j = i; j < i + 16; j++) {
      if (j < len) {
        const unsigned char b = buf[static_cast<size_t>(j - base)];
        snprintf(line, sizeof line, "%02x ", b);
        hex.append(line);
        ascii.push_back(b >= ' ' && b < 0x7f ? static_cast<char>(b) : '.');
      } else {
        hex.append("   ");
        ascii.push_back(' ');
      }
      if ((j & 7) == 7) hex.push_back(' ');
    }
    snprintf(line, sizeof line, " | %0*llx  ", digits, (unsigned long long)i);
    out->append(line).append(hex).append(ascii).append(" |\n");
  }
}

struct Iov {
  uint64_t base, len;
};

void dump_iov(const decode::Call& c, uint64_t count, uint64_t addr, uint64_t data_size, std::string* out) {
  if (count > (1u << 20)) return;
  std::vector<Iov> iov(static_cast<size_t>(count));
  if (count == 0 || !decode::read_mem(c, addr, iov.data(), iov.size() * sizeof(Iov))) return;
  char line[96];
  for (size_t i = 0; i < iov.size(); i++) {
    uint64_t n = std::min(iov[i].len, data_size);
    if (n == 0) break;
    data_size -= n;
    snprintf(line, sizeof line, " * %llu bytes in buffer %zu\n", (unsigned long long)n, i);
    out->append(line);
    dump_str(c, iov[i].base, n, out);
  }
}

void dump_msghdr(const decode::Call& c, uint64_t addr, uint64_t data_size, std::string* out) {
  struct msghdr m;
  if (decode::read_obj(c, addr, &m))
    dump_iov(c, m.msg_iovlen, reinterpret_cast<uint64_t>(m.msg_iov), data_size, out);
}

void dump_mmsghdr(const decode::Call& c, uint64_t addr, std::string* out) {
  const unsigned n = static_cast<unsigned>(c.rval);
  char line[96];
  for (unsigned i = 0; i < n; i++, addr += sizeof(struct mmsghdr)) {
    struct mmsghdr m;
    if (!decode::read_obj(c, addr, &m)) break;
    snprintf(line, sizeof line, " = %llu buffers in vector %u\n", (unsigned long long)m.msg_hdr.msg_iovlen, i);
    out->append(line);
    dump_iov(c, m.msg_hdr.msg_iovlen, reinterpret_cast<uint64_t>(m.msg_hdr.msg_iov), m.msg_len, out);
  }
}

}  // namespace

bool FdSet::has(int fd) const {
  if (!given) return false;
  return (std::find(fds.begin(), fds.end(), fd) != fds.end()) != invert;
}

void dump_io(const decode::Call& c, const FdSet& reads, const FdSet& writes, std::string* out) {
  const int fd = static_cast<int>(c.args[0]);
  if (fd < 0) return;
  if (writes.has(fd)) {
    switch (c.nr) {
      case SYS_write:
      case SYS_pwrite64:
      case SYS_sendto:
      case SYS_mq_timedsend:
        dump_str(c, c.args[1], c.args[2], out);
        break;
      case SYS_writev:
      case SYS_pwritev:
      case SYS_pwritev2:
      case SYS_vmsplice:
        dump_iov(c, static_cast<int>(c.args[2]), c.args[1], UINT64_MAX, out);
        break;
      case SYS_sendmsg:
        dump_msghdr(c, c.args[1], UINT64_MAX, out);
        break;
      case SYS_sendmmsg:
        dump_mmsghdr(c, c.args[1], out);
        break;
      default:
        break;
    }
  }
  if (c.error || !reads.has(fd)) return;
  const uint64_t got = static_cast<uint64_t>(c.rval);
  switch (c.nr) {
    case SYS_read:
    case SYS_pread64:
    case SYS_recvfrom:
    case SYS_mq_timedreceive:
      dump_str(c, c.args[1], got, out);
      break;
    case SYS_readv:
    case SYS_preadv:
    case SYS_preadv2:
      dump_iov(c, static_cast<int>(c.args[2]), c.args[1], got, out);
      break;
    case SYS_recvmsg:
      dump_msghdr(c, c.args[1], got, out);
      break;
    case SYS_recvmmsg:
      dump_mmsghdr(c, c.args[1], out);
      break;
    default:
      break;
  }
}

}  // namespace engine
