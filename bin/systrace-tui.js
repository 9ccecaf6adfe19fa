#!/bin/sh
':' /*
# systrace-tui's launcher: sh, then node. Node changes, before any JavaScript runs, what it was started
# with: it sets every ignored signal below 32 back to SIG_DFL, unblocks every signal but SIGUSR1, and
# opens /dev/null on a closed 0, 1 or 2. A command we launch must get them as we got them, as under
# strace: they are read here and handed over in SYSTRACE_TUI_STARTED (src/engine/launcher-state.ts).
# For node, this file is a string and a comment before the require: `node bin/systrace-tui.js` works
# too, and its commands then get the defaults (nothing blocked, nothing ignored, 0-2 open). One thing
# sh cannot tell either: dash sets an ignored SIGCHLD back to SIG_DFL when it starts. For node this
# file is CommonJS (bin/package.json), as the loader it requires is: see there.
# SigIgn is the last of them (SigPnd, ShdPnd, SigBlk, SigIgn): sh reads a byte at a time, so stop there.
while read -r k v; do case $k in SigBlk:) b=$v;; SigIgn:) i=$v; break;; SigPnd:) p=$v;; ShdPnd:) s=$v;; esac; done </proc/$$/status
# A blocked signal already pending would reach node when it unblocks it, and end it; under strace it
# stays blocked, never delivered. Ignoring a signal discards it (node resets the disposition).
p=$(( (0x${p:-0} | 0x${s:-0}) & 0x${b:-0} )) n=1
while [ "$p" != 0 ]; do [ $((p & 1)) = 0 ] || trap '' $n; p=$((p >> 1 & 0x7fffffffffffffff)) n=$((n + 1)); done
c=; for fd in 0 1 2; do [ -e /proc/$$/fd/$fd ] || c=$c$fd; done
SYSTRACE_TUI_STARTED="$b $i ${c:--} $0"
export SYSTRACE_TUI_STARTED
exec node "$0" "$@"
*/
require('../dist/src/cli.cjs');
