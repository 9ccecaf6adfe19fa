// Reading what a call's strace line says: its arguments (split at the top level, structs and
// arrays kept whole), a quoted string's value, a descriptor with its -y/-yy decoration, a socket
// address, and the return part. Findings rest on this text because it is all a loaded log has;
// the live engine gives the same text, so both are read the same way.
import { readQuoted } from './strace-strings.js';

export interface CallParts {
  name: string;
  /** top-level arguments, trimmed, as printed */
  args: string[];
  /** what follows ` = `: `-1 ENOENT (No such file or directory)`, `3</etc/hosts>`, `?` */
  result: string;
}

/** Index of the bracket closing the one opened at text[open], skipping quoted strings; -1 if none. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const q = readQuoted(text, i);
      if (!q) return -1;
      i = q.end - 1;
      continue;
    }
    if (c === '<' && i > open && /[0-9A-Z_]/.test(text[i - 1])) {
      const end = decorationEnd(text, i);
      if (end > 0) {
        i = end;
        continue;
      }
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The `>` closing a -y decoration opened at s[open] (`TCP:[a->b]` holds a `>` of its own). */
function decorationEnd(s: string, open: number): number {
  let square = 0;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '[') square++;
    else if (c === ']') square--;
    else if (c === '>' && square <= 0) return i;
  }
  return -1;
}

/** Splits `a, {b, c}, "d, e"` at its top-level commas. */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      const q = readQuoted(s, i);
      if (!q) break;
      i = q.end - 1;
      continue;
    }
    // `<...>` of -y decorations may hold commas and brackets of their own (paths, TCP:[a->b]).
    if (c === '<' && i > 0 && /[0-9A-Z_]/.test(s[i - 1])) {
      const end = decorationEnd(s, i);
      if (end > 0) {
        i = end;
        continue;
      }
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last !== '' || out.length) out.push(last);
  return out;
}

/** `openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (...)` -> name, args, result. */
export function callParts(text: string): CallParts | undefined {
  const open = text.indexOf('(');
  if (open <= 0) return undefined;
  const close = closing(text, open);
  if (close < 0) return undefined;
  const eq = text.indexOf('= ', close);
  return {
    name: text.slice(0, open),
    args: splitTop(text.slice(open + 1, close)),
    result: eq < 0 ? '' : text.slice(eq + 2).trim(),
  };
}

/** callParts of a row's text, a call in progress included: its entry half (`read(3, `) gives the arguments so far. */
export function rowCallParts(text: string): CallParts | undefined {
  return callParts(text) ?? callParts(`${text})`);
}

/** The value of a quoted argument (`"/etc/hosts"`), as text; undefined when it is not a string. */
export function quoted(arg: string | undefined): { value: string; truncated: boolean } | undefined {
  if (!arg || arg[0] !== '"') return undefined;
  const q = readQuoted(arg, 0);
  if (!q) return undefined;
  return { value: Buffer.from(q.bytes).toString('utf8'), truncated: q.truncated };
}

/** The bytes of a quoted argument (a buffer). */
export function quotedBytes(arg: string | undefined): { bytes: Uint8Array; truncated: boolean } | undefined {
  if (!arg) return undefined;
  const q = arg.indexOf('"');
  if (q < 0) return undefined;
  const r = readQuoted(arg, q);
  return r ? { bytes: r.bytes, truncated: r.truncated } : undefined;
}

export interface FdArg {
  /** the number, or AT_FDCWD as -100 */
  fd: number;
  /** what -y/-yy printed between < and >: a path, `TCP:[1.2.3.4:5->6.7.8.9:10]`, `pipe:[123]` */
  decoration?: string;
}

export const AT_FDCWD = -100;

/** `3</etc/hosts>`, `AT_FDCWD</tmp>`, `3` -> the descriptor and its decoration. */
export function fdArg(arg: string | undefined): FdArg | undefined {
  if (!arg) return undefined;
  const m = /^(-?\d+|AT_FDCWD)(?:<(.*)>)?$/s.exec(arg);
  if (!m) return undefined;
  return { fd: m[1] === 'AT_FDCWD' ? AT_FDCWD : Number(m[1]), decoration: m[2] };
}

export interface SockAddr {
  family: 'inet' | 'inet6' | 'unix' | 'other';
  /** `127.0.0.1`, `::1` */
  addr: string;
  port: number;
  /** AF_UNIX path (`@name` for the abstract namespace) */
  path: string;
  /** as a user writes it: `127.0.0.1:8080`, `[::1]:53`, `/run/app.sock` */
  text: string;
}

/** A socket address as strace prints it (`{sa_family=AF_INET, sin_port=htons(80), ...}`). */
export function sockAddr(arg: string | undefined): SockAddr | undefined {
  if (!arg || !arg.startsWith('{sa_family=')) return undefined;
  const fam = /^\{sa_family=(\w+)/.exec(arg)?.[1] ?? '';
  if (fam === 'AF_INET') {
    const port = Number(/sin_port=htons\((\d+)\)/.exec(arg)?.[1] ?? NaN);
    const addr = /inet_addr\("([^"]*)"\)/.exec(arg)?.[1] ?? '';
    return { family: 'inet', addr, port, path: '', text: `${addr}:${port}` };
  }
  if (fam === 'AF_INET6') {
    const port = Number(/sin6_port=htons\((\d+)\)/.exec(arg)?.[1] ?? NaN);
    const addr = /inet_pton\(AF_INET6, "([^"]*)"/.exec(arg)?.[1] ?? '';
    return { family: 'inet6', addr, port, path: '', text: `[${addr}]:${port}` };
  }
  if (fam === 'AF_UNIX') {
    const m = /sun_path=(@?)(".*")\}$/.exec(arg);
    const q = m ? quoted(m[2]) : undefined;
    const path = q ? `${m![1]}${q.value}` : '';
    return { family: 'unix', addr: '', port: 0, path, text: path || '(unnamed unix socket)' };
  }
  return { family: 'other', addr: '', port: 0, path: '', text: arg };
}

/** An IPv4-mapped IPv6 address as the IPv4 one it is (`::ffff:127.0.0.1` -> `127.0.0.1`). */
export function plainAddr(a: SockAddr): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a.addr);
  return m ? m[1] : a.addr;
}

/** `{a=1, b={c=2}}` -> Map a->1, b->{c=2}. */
export function structFields(arg: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!arg || arg[0] !== '{') return out;
  for (const part of splitTop(arg.slice(1, arg.lastIndexOf('}')))) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** `O_RDONLY|O_CLOEXEC` -> its names. */
export function flagNames(arg: string | undefined): Set<string> {
  return new Set((arg ?? '').split('|').map((s) => s.trim()));
}

/** A number as strace prints it (decimal, 0x hex, 0 octal); NaN when it is not one. */
export function num(arg: string | undefined): number {
  if (arg === undefined) return NaN;
  const s = arg.trim();
  if (/^-?\d+$/.test(s)) return s.length > 1 && s[0] === '0' ? parseInt(s, 8) : Number(s);
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  return NaN;
}

/** A call's first descriptor argument, read cheaply from the text: `read(3</x>, ...` -> 3. */
export function firstFd(text: string): number {
  const open = text.indexOf('(');
  if (open < 0) return NaN;
  let i = open + 1;
  let n = 0;
  let digits = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
  }
  return digits ? n : NaN;
}

/** The return part's errno name and the rest: `-1 ENOENT (No such...)` -> ENOENT. */
export function resultErrno(result: string): string {
  return /^(?:-1|\?) (E[A-Z0-9_]+)/.exec(result)?.[1] ?? '';
}
