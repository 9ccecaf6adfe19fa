// Helpers shared by the memory, time, IPC and misc decoder tests: make a trace comparable with text
// written in advance (addresses and run-specific numbers become tokens) and pick out the lines a
// fixture's own calls produced.
import assert from 'node:assert/strict';

/**
 * Long hex addresses become 0xADDR and strace's column padding before " = " goes; then every
 * `replace` pair is applied (a number that differs per run, like a pid, becomes a word: match it by where it stands, never
 * by value alone, since a small id or pid can equal any other number in the line).
 */
export function normalizeLines(lines: string[], replace: Array<[RegExp, string]> = []): string[] {
  return lines.map((line) => {
    let out = line.replace(/0x[0-9a-f]{9,}/g, '0xADDR').replace(/ {2,}= /, ' = ');
    for (const [re, word] of replace) out = out.replace(re, word);
    return out;
  });
}

/** The lines from the first one equal to expected[0] on, as many as expected has. */
export function linesFrom(lines: string[], expected: string[]): string[] {
  const at = lines.indexOf(expected[0]);
  assert.ok(at >= 0, `no line ${JSON.stringify(expected[0])} in:\n${lines.join('\n')}`);
  return lines.slice(at, at + expected.length);
}

/**
 * Pids become PID where they stand: each rule matches a prefix (group 1) and the pid after it
 * (group 2). Every pid so found must be one of `pids` (the ones the trace itself made known, like
 * clone's return values), so the test still checks that each call names the right process. Never
 * by value: in a fresh pid namespace a child's pid can be 3, like an exit status or a descriptor.
 */
export function tokenizePids(lines: string[], rules: RegExp[], pids: Set<string>): string[] {
  return lines.map((line) => {
    let out = line;
    for (const rule of rules) {
      out = out.replace(rule, (_m, prefix: string, pid: string) => {
        assert.ok(pids.has(pid), `${line}: ${pid} is not a pid of this trace (${[...pids].join(', ')})`);
        return `${prefix}PID`;
      });
    }
    return out;
  });
}
