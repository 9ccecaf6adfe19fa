// The -e qualifiers' values as strace 6.1 reads them: syscall sets (trace=, abbrev=, verbose=, raw=,
// and the syscalls of inject=/fault=), sets of numbers (signal=, status=, quiet=, decode-fds=,
// read=, write=), the inject=/fault= tokens, and time values (delay_enter=, -O). Each failure is
// strace's own one-line message.
import { errnoName, native, syscallTable } from '../engine/native.js';
import { SyscallClass } from '../engine/types.js';

/** A fatal command-line error: the message (without the program name), and whether strace adds its
 *  "Try '... -h' for more information." line. */
export class UsageError extends Error {
  readonly hint: boolean;
  /** What strace would have printed before this error (parseArgs's warnings until then). */
  warnings: string[] = [];
  constructor(message: string, hint = false) {
    super(message);
    this.hint = hint;
  }
}

// ---------------------------------------------------------------- numbers

/** strace's string_to_uint_ex: decimal (strtoll: leading blanks and '+' allowed), 0..max, with an
 *  optional ending from `endings`; -1 when not a number. Returns the value and where it ended. */
export function parseUint(s: string, max = 0x7fffffff, endings = ''): { value: number; end: number } {
  const m = /^[ \t\n\v\f\r]*[+]?(\d+)/.exec(s);
  if (!m) return { value: -1, end: 0 };
  const value = Number(m[1]);
  const end = m[0].length;
  if (value > max || !Number.isSafeInteger(value)) return { value: -1, end };
  if (end < s.length && !endings.includes(s[end])) return { value: -1, end };
  return { value, end };
}

/** string_to_uint: the whole string is a decimal number up to max, else -1. */
export function toUint(s: string, max = 0x7fffffff): number {
  return s === '' ? -1 : parseUint(s, max).value;
}

const TIME_UNITS: Array<[string, number, number]> = [
  // unit, nanoseconds per unit, digits after the point
  ['s', 1e9, 0],
  ['ms', 1e6, 3],
  ['us', 1e3, 6],
  ['ns', 1, 9],
];

/** A time unit for -r/-T/--timestamps precision ("s", "ms", "us", "ns", any case): digits shown. */
export function precisionDigits(unit: string): number | undefined {
  const u = TIME_UNITS.find(([name]) => name === unit.toLowerCase());
  return u?.[2];
}

/** strace's parse_ts: "1.5", "20ms", "100" (microseconds by default), "1e3us"; nanoseconds, or -1. */
export function parseTimeNs(s: string): number {
  const floatLen = /^[eE.\-+0-9]*/.exec(s)![0].length;
  const intLen = /^[+0-9]*/.exec(s)![0].length;
  let value: number;
  let end: number;
  let isFloat = false;
  if (floatLen > intLen) {
    const m = /^[ \t]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(s);
    if (!m) return -1;
    value = Number(m[0]);
    end = m[0].length;
    if (!Number.isFinite(value) || value < 0) return -1;
    isFloat = true;
  } else {
    const r = parseUint(s, Number.MAX_SAFE_INTEGER, 'smun');
    if (r.value < 0) return -1;
    value = r.value;
    end = r.end;
  }
  const suffix = s.slice(end);
  const unit = suffix === '' ? TIME_UNITS[2] : TIME_UNITS.find(([name]) => name === suffix.toLowerCase());
  if (!unit) return -1;
  return isFloat ? Math.floor(value * unit[1]) : value * unit[1];
}

// ---------------------------------------------------------------- sets of numbers

/** A set as strace keeps one: members, or everything but them (a leading '!' inverts). */
export interface NumberSet {
  invert: boolean;
  items: number[];
}

export function inSet(set: NumberSet, n: number): boolean {
  return set.items.includes(n) !== set.invert;
}

/** strace's qualify_tokens: "all", "none", or a comma list of items `parse` turns into numbers (-1
 *  when it cannot); leading '!'s invert. */
export function qualifyTokens(str: string, parse: (token: string) => number, what: string): NumberSet {
  let s = str;
  let invert = false;
  while (s.startsWith('!')) (invert = !invert), (s = s.slice(1));
  if (s === 'none') return { invert, items: [] };
  if (s === 'all') return { invert: !invert, items: [] };
  const items: number[] = [];
  const tokens = s.split(',').filter((t) => t !== '');
  for (const token of tokens) {
    const n = parse(token);
    if (n < 0) throw new UsageError(`invalid ${what} '${token}'`);
    items.push(n);
  }
  if (tokens.length === 0) throw new UsageError(`invalid ${what} '${str}'`);
  return { invert, items };
}

/** A name from a list (case-insensitive, as strace's find_arg_val), or -1. */
export function lookupName(names: Record<string, number>, s: string): number {
  const key = Object.keys(names).find((k) => k.toLowerCase() === s.toLowerCase());
  return key === undefined ? -1 : names[key];
}

let signalNumbers: Map<string, number> | undefined;
/** strace's sigstr_to_uint: a number up to 255, or a signal name with or without SIG (any case). */
export function signalNumber(s: string): number {
  if (s[0] >= '0' && s[0] <= '9') return toUint(s, 255);
  if (!signalNumbers) {
    signalNumbers = new Map();
    for (let i = 1; i <= 64; i++) {
      const name = native().signalName(i);
      if (name.startsWith('SIG')) signalNumbers.set(name.slice(3).toUpperCase(), i);
    }
  }
  const name = s.toUpperCase().replace(/^SIG/, '');
  return signalNumbers.get(name) ?? -1;
}

/** An errno by name, any case (ENOENT, enoent), or -1. */
export function errnoByName(s: string): number {
  if (s === '') return -1; // numbers without a name have an empty one
  const want = s.toUpperCase();
  for (let e = 1; e < 4096; e++) if (errnoName(e) === want) return e;
  return -1;
}

// ---------------------------------------------------------------- syscall sets

const CLASS_NAMES: Array<[string, number]> = [
  ['%desc', SyscallClass.desc],
  ['%file', SyscallClass.file],
  ['%memory', SyscallClass.memory],
  ['%process', SyscallClass.process],
  ['%creds', SyscallClass.creds],
  ['%signal', SyscallClass.signal],
  ['%ipc', SyscallClass.ipc],
  ['%net', SyscallClass.network],
  ['%network', SyscallClass.network],
  ['%stat', SyscallClass.stat],
  ['%lstat', SyscallClass.lstat],
  ['%fstat', SyscallClass.fstat],
  ['%%stat', SyscallClass.statLike],
  ['%statfs', SyscallClass.statfs],
  ['%fstatfs', SyscallClass.fstatfs],
  ['%%statfs', SyscallClass.statfsLike],
  ['%pure', SyscallClass.pure],
  ['%clock', SyscallClass.clock],
  // the names strace kept from before classes took a '%'
  ['all', 0],
  ['desc', SyscallClass.desc],
  ['file', SyscallClass.file],
  ['memory', SyscallClass.memory],
  ['process', SyscallClass.process],
  ['signal', SyscallClass.signal],
  ['ipc', SyscallClass.ipc],
  ['network', SyscallClass.network],
];

// strace on x86_64 knows three personalities; a name or number valid in any of them is accepted
// (-e trace=mmap2), though only x86_64 (personality 0) calls are traced.
const PERSONALITIES = ['64', '32', 'x32'];

interface Personality {
  names: Map<string, number[]>;
  size: number;
  valid: (nr: number) => boolean;
}
let personalities: Personality[] | undefined;

function personalityTables(): Personality[] {
  if (personalities) return personalities;
  const table = syscallTable();
  const x64: Personality = { names: new Map(), size: table.length, valid: (nr) => nr < table.length && !!table[nr]?.name && !table[nr].name.startsWith('syscall_') };
  table.forEach((e, nr) => {
    if (e?.name && !e.name.startsWith('syscall_')) x64.names.set(e.name, [...(x64.names.get(e.name) ?? []), nr]);
  });
  const compat: Personality[] = [1, 2].map(() => ({ names: new Map(), size: 0, valid: () => false }));
  const nrs: Array<Set<number>> = [new Set(), new Set()];
  for (const [pers, nr, name] of native().compatSyscalls()) {
    const p = compat[pers - 1];
    p.names.set(name, [...(p.names.get(name) ?? []), nr]);
    p.size = Math.max(p.size, nr + 1);
    nrs[pers - 1].add(nr);
  }
  compat.forEach((p, i) => (p.valid = (nr) => nrs[i].has(nr)));
  personalities = [x64, ...compat];
  return personalities;
}

// One token in one personality; the set (x86_64 numbers) only grows for personality 0.
function qualifyPers(token: string, p: number, set: Uint8Array): boolean {
  const pers = personalityTables()[p];
  const add = (nr: number): void => {
    if (p === 0) set[nr] = 1;
  };
  if (token[0] >= '0' && token[0] <= '9') {
    const nr = toUint(token);
    if (nr < 0 || !pers.valid(nr)) return false;
    add(nr);
    return true;
  }
  if (token[0] === '/') {
    let re: RegExp;
    try {
      re = new RegExp(token.slice(1));
    } catch (e) {
      throw new UsageError(`regcomp: ${token.slice(1)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
    let found = false;
    for (const [name, list] of pers.names)
      if (re.test(name)) {
        list.forEach(add);
        found = true;
      }
    return found;
  }
  const cls = CLASS_NAMES.find(([name]) => name.toLowerCase() === token.toLowerCase());
  if (cls) {
    if (p === 0) syscallTable().forEach((e, nr) => {
      if (pers.valid(nr) && (e.classes & cls[1]) === cls[1]) set[nr] = 1;
    });
    return true;
  }
  const list = pers.names.get(token);
  if (!list) return false;
  list.forEach(add);
  return true;
}

function qualifySyscall(raw: string, set: Uint8Array): boolean {
  let token = raw;
  let ok = false;
  while (token.startsWith('?')) (token = token.slice(1)), (ok = true);
  const at = token.lastIndexOf('@');
  if (at >= 0) {
    const p = PERSONALITIES.indexOf(token.slice(at + 1));
    if (p < 0) throw new UsageError(`incorrect personality designator '${token.slice(at + 1)}' in qualification '${token}'`, true);
    return qualifyPers(token.slice(0, at), p, set) || ok;
  }
  // Only x86_64's calls go into the set; the other personalities only make a token valid, so they
  // are looked at (and their tables built) only for a token x86_64 does not know.
  let found = false;
  for (let p = 0; p < PERSONALITIES.length && !found; p++) found = qualifyPers(token, p, set);
  return found || ok;
}

/** strace's qualify_syscall_tokens: a set of x86_64 syscall numbers (1 = in the set). */
export function syscallSet(str: string): Uint8Array {
  const set = new Uint8Array(syscallTable().length);
  let s = str;
  let invert = false;
  while (s.startsWith('!')) (invert = !invert), (s = s.slice(1));
  const finish = (): Uint8Array => {
    if (invert) for (let i = 0; i < set.length; i++) set[i] = set[i] ? 0 : 1;
    return set;
  };
  if (s === 'none') return finish();
  if (s === 'all') {
    invert = !invert;
    return finish();
  }
  let done = false;
  for (const token of s.split(',').filter((t) => t !== '')) {
    done = qualifySyscall(token, set);
    if (!done) throw new UsageError(`invalid system call '${token}'`);
  }
  if (!done) throw new UsageError(`invalid system call '${str}'`);
  return finish();
}

/** Whether a set holds every syscall (so the engine can treat it as "no filter"). */
export function isFullSet(set: Uint8Array): boolean {
  return set.every((v) => v === 1);
}

// ---------------------------------------------------------------- inject= and fault=

/** What -e inject=/fault= does to the calls of its set, as strace's struct inject_opts. */
export interface InjectSpec {
  /** when=: first matching call (1-based), last one (0: no end), and the step between (0: once). */
  first: number;
  last: number;
  step: number;
  /** error=ERRNO (the call fails with it) or retval=N (it returns N); at most one of them. */
  error?: number;
  retval?: bigint;
  /** signal=SIG: delivered to the thread when the call is entered. */
  signal?: number;
  /** delay_enter= / delay_exit=: the thread is held this many nanoseconds before / after the call. */
  delayEnterNs?: number;
  delayExitNs?: number;
  /** poke_enter= / poke_exit=: bytes written into the tracee's memory at an argument's address. */
  pokeEnter?: Array<{ arg: number; data: Uint8Array }>;
  pokeExit?: Array<{ arg: number; data: Uint8Array }>;
  /** syscall=NAME: this pure call runs in place of the original one. */
  syscall?: number;
}

const INJECT_LAST_INF = 0xffff;

function parsePokes(v: string): Array<{ arg: number; data: Uint8Array }> | undefined {
  if (v === '') return undefined;
  const out: Array<{ arg: number; data: Uint8Array }> = [];
  for (const token of v.split(',').filter((t) => t !== '')) {
    const m = /^@arg([1-7])=(.*)$/.exec(token);
    if (!m) return undefined;
    const hex = m[2];
    if (hex.length === 0 || hex.length % 2 || hex.length > 2048 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    // One poke per argument and direction, as strace allows.
    if (out.some((p) => p.arg === Number(m[1]))) return undefined;
    out.push({ arg: Number(m[1]), data: Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))) });
  }
  return out;
}

// One name:token:token expression; undefined when a token is invalid.
function parseInjectTokens(tokens: string[], spec: InjectSpec, faultOnly: boolean): boolean {
  const hasAction = (): boolean => spec.error !== undefined || spec.retval !== undefined;
  for (const token of tokens) {
    const eq = token.indexOf('=');
    const key = eq < 0 ? token : token.slice(0, eq + 1);
    const val = eq < 0 ? '' : token.slice(eq + 1);
    switch (faultOnly && !['when=', 'error=', 'syscall='].includes(key) ? '' : key) {
      case 'when=': {
        const a = parseUint(val, 0xffff, '+.');
        if (a.value < 1) return false;
        spec.first = a.value;
        let rest = val.slice(a.end);
        if (rest.startsWith('.')) {
          if (rest[1] !== '.') return false;
          const b = parseUint(rest.slice(2), 0xffff, '+');
          if (b.value < spec.first || b.value === INJECT_LAST_INF) return false;
          spec.last = b.value;
          rest = rest.slice(2 + b.end);
        } else {
          spec.last = INJECT_LAST_INF;
        }
        if (rest !== '') {
          const step = rest.slice(1);
          if (step !== '') {
            const st = toUint(step, 0xffff);
            if (st < 1) return false;
            spec.step = st;
          } else {
            spec.step = 1;
          }
        } else {
          spec.step = spec.last === INJECT_LAST_INF ? 0 : 1;
        }
        break;
      }
      case 'syscall=': {
        if (spec.syscall !== undefined) return false;
        const nr = syscallTable().findIndex((e) => e.name === val);
        if (nr < 0 || !(syscallTable()[nr].classes & SyscallClass.pure)) return false;
        spec.syscall = nr;
        break;
      }
      case 'error=': {
        if (hasAction()) return false;
        let e = toUint(val, 4095);
        if (e < 0) e = errnoByName(val);
        if (e < 1) return false;
        spec.error = e;
        break;
      }
      case 'retval=': {
        if (hasAction()) return false;
        let v: bigint;
        try {
          if (!/^\s*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(val)) return false;
          const neg = /^\s*-/.test(val);
          v = BigInt(val.trim().replace(/^[+-]/, '').replace(/^0([0-7]+)$/, '0o$1'));
          if (neg) v = BigInt.asUintN(64, -v);
        } catch {
          return false;
        }
        if (v > 0xffffffffffffffffn) return false;
        spec.retval = v;
        break;
      }
      case 'signal=': {
        if (spec.signal !== undefined) return false;
        const sig = signalNumber(val);
        if (sig < 1 || sig > 64) return false;
        spec.signal = sig;
        break;
      }
      case 'poke_enter=':
      case 'poke_exit=': {
        const enter = key === 'poke_enter=';
        if ((enter ? spec.pokeEnter : spec.pokeExit) !== undefined) return false;
        const pokes = parsePokes(val);
        if (!pokes) return false;
        if (enter) spec.pokeEnter = pokes;
        else spec.pokeExit = pokes;
        break;
      }
      case 'delay_enter=':
      case 'delay_exit=': {
        const enter = key === 'delay_enter=';
        if ((enter ? spec.delayEnterNs : spec.delayExitNs) !== undefined) return false;
        const ns = parseTimeNs(val);
        if (ns < 0) return false;
        if (enter) spec.delayEnterNs = ns;
        else spec.delayExitNs = ns;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

/** Warnings strace prints for a retval= that the kernel would read as an error. */
function retvalWarnings(v: bigint): string[] {
  const signed = BigInt.asIntN(64, v);
  if (signed < 0n && signed >= -4095n) return [`Inadvertent injection of error ${-signed} is possible for retval=${v}`];
  return [];
}

/** -e inject=SET:TOKENS / -e fault=SET:TOKENS: the syscalls and what happens to them. */
export function parseInject(str: string, faultOnly: boolean): { set: Uint8Array; spec: InjectSpec; warnings: string[] } {
  const what = faultOnly ? 'fault argument' : 'inject argument';
  const spec: InjectSpec = { first: 1, last: INJECT_LAST_INF, step: 1 };
  let name = '';
  if (str !== '' && !str.startsWith(':')) {
    const parts = str.split(':').filter((t) => t !== '');
    name = parts[0];
    if (!parseInjectTokens(parts.slice(1), spec, faultOnly)) throw new UsageError(`invalid ${what} '${str}'`);
  }
  const set = syscallSet(name);
  const acts = spec.error !== undefined || spec.retval !== undefined || spec.signal !== undefined ||
    spec.delayEnterNs !== undefined || spec.delayExitNs !== undefined || spec.pokeEnter !== undefined || spec.pokeExit !== undefined;
  if (!acts) {
    if (faultOnly) spec.error = errnoByName('ENOSYS'); // fault= without error= fails the call with ENOSYS
    else throw new UsageError(`invalid ${what} '${str}'`);
  }
  return { set, spec, warnings: spec.retval !== undefined ? retvalWarnings(spec.retval) : [] };
}
