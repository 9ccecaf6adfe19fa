// Syscall number -> name for x86_64, read once from the machine's kernel headers. A stand-in until
// the native addon exports its generated table; keep this file to the one function.

import { readFileSync } from 'node:fs';

const HEADERS = ['/usr/include/x86_64-linux-gnu/asm/unistd_64.h', '/usr/include/asm/unistd_64.h'];
let names: Map<number, string> | undefined;

function load(): Map<number, string> {
  const map = new Map<number, string>();
  for (const path of HEADERS) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^#define __NR_(\w+)\s+(\d+)/gm)) map.set(Number(m[2]), m[1]);
    if (map.size > 0) break;
  }
  return map;
}

/** `0` -> `read`; unknown numbers print as strace does: `syscall_0x1c8`. */
export function syscallName(nr: number): string {
  names ??= load();
  return names.get(nr) ?? `syscall_0x${nr.toString(16)}`;
}
