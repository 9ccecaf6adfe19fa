// The TUI's record text (Options::marks): the strace line with what the display may switch marked
// by control bytes, which strace's own text never holds (every string and path is escaped):
//   a descriptor's decorations   3 \x02 </etc/hosts> \x04             -y and -yy print the same
//                                3 \x02 <socket:[77]> \x03 <TCP:[...]> \x04   -y, then -yy
//                                0 \x02 </dev/zero> \x03 +<char 1:5>> \x04    -yy: -y's but its
//                                  last '>', then what follows the '+' (a device's numbers)
//                                (an empty form: that option prints nothing there)
//   a string that -s cuts        \x01 "up to marks_strsize bytes" (and "..." if it goes on)
// A string kept whole is what strace prints at any -s not below its length, one cut ("...") is cut
// at any -s up to where it was: shown at -s N it is cut to its first N bytes and quoted again.
// render_record_text gives the line in one form: the command line's for -o, the display's in the
// TUI (src/engine/record-text.ts is the same in TypeScript).
#pragma once
#include <string>

namespace decode {

constexpr char kMarkCutString = '\x01';
constexpr char kMarkFd = '\x02';
constexpr char kMarkFdFull = '\x03';
constexpr char kMarkFdEnd = '\x04';
constexpr char kFdFullExtends = '+';  // first after kMarkFdFull: the -yy form extends the -y one

/** One form of a marked text: fds 0 none, 1 -y, 2 -yy; strings cut at strsize, quoted as xflag. */
struct TextForm {
  int fds = 0;
  unsigned strsize = 32;
  int xflag = 0;
};

/** Does the text hold marks at all (else it is its own rendering)? */
inline bool has_marks(const std::string& text) {
  return text.find_first_of("\x01\x02", 0, 2) != std::string::npos;
}

/** text[from, to) (both outside any mark) as `form` prints it, appended to out. */
void render_record_text(const std::string& text, size_t from, size_t to, const TextForm& form, std::string* out);

}  // namespace decode
