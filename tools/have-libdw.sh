#!/bin/sh
# Prints 1 when elfutils' libdw (the -k unwinder) can be built against and linked, else 0: the engine
# then builds without stack traces. Debian/Ubuntu: apt-get install libdw-dev.
tmp=$(mktemp -d) || { echo 0; exit 0; }
printf '#include <elfutils/libdwfl.h>\nint main(void) { return dwfl_begin(0) != 0; }\n' > "$tmp/t.c"
if ${CC:-cc} -o "$tmp/t" "$tmp/t.c" -ldw -lelf >/dev/null 2>&1; then echo 1; else echo 0; fi
rm -rf "$tmp"
