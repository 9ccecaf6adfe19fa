// -e read= / -e write=: hex dumps of the data of the calls that read or write the chosen descriptors.
#pragma once
#include <string>
#include <vector>

#include "decode/decoder.h"

namespace engine {

/** A set of descriptors as strace keeps one: these, or all but these (invert); none unless given. */
struct FdSet {
  bool given = false;
  bool invert = false;
  std::vector<int> fds;
  bool has(int fd) const;
};

/** Appends the dumps strace prints after a finished call's line (nothing for other calls). */
void dump_io(const decode::Call& c, const FdSet& reads, const FdSet& writes, std::string* out);

}  // namespace engine
