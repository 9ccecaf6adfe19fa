// The strace 6.1 command line, read as strace reads it: getopt_long over strace's option table
// (every long spelling and its abbreviations), the -e qualifiers, then strace's own checks of the
// combination in strace's order, with strace's messages. Our own options (--plain, --inspect,
// --history, --threshold, --no-seccomp, --syscall-limit) sit beside them. Warnings that strace
// prints and goes on after are kept in `warnings`, for the caller to print.
import { createRequire } from 'node:module';

import { native } from '../engine/native.js';
import { fs } from '../engine/node-fs.js';
import { getopt, GetoptError, type LongOption, type ParsedOption } from './getopt.js';
import {
  inSet,
  type InjectSpec,
  isFullSet,
  lookupName,
  type NumberSet,
  parseInject,
  parseTimeNs,
  parseUint,
  precisionDigits,
  qualifyTokens,
  signalNumber,
  syscallSet,
  toUint,
  UsageError,
} from './qualify.js';

export { UsageError } from './qualify.js';
export type { InjectSpec, NumberSet } from './qualify.js';

export const STATUS = { successful: 1, failed: 2, unfinished: 4, unavailable: 8, detached: 16 } as const;
const STATUS_ALL = 31;

/** -e quiet= bits. */
export const QUIET = { attach: 1, exit: 2, pathResolution: 4, personality: 8, threadExecve: 16 } as const;
/** -e decode-fds= bits (-y: path, -yy: all of them). */
export const DECODE_FD = { path: 1, socket: 2, dev: 4, pidfd: 8 } as const;
/** -e decode-pids= bits (-Y: comm, --pidns-translation: pidns). */
export const DECODE_PID = { pidns: 1, comm: 2 } as const;
/** -I: when fatal signals reach us (strace's INTR_*). */
export const INTR = { anywhere: 1, waiting: 2, never: 3, neverTstp: 4 } as const;

/** The -c table's columns (strace's count_summary_columns). */
export type SummaryColumn = 'time-percent' | 'total-time' | 'min-time' | 'max-time' | 'avg-time' | 'calls' | 'errors' | 'name';

export interface CliOptions {
  plain: boolean;
  /** --findings: analyse the trace and print the findings to stderr when it ends */
  findings: boolean;
  inspect: number[];
  /** --load: strace logs (or -ff prefixes) to open instead of tracing */
  load: string[];
  /** --json: `w` on the trace screen offers JSON lines rather than strace text */
  json: boolean;
  /** --redact: every string becomes its length in what is shown and written */
  redact: boolean;
  /** -e kvm=vcpu: KVM_RUN's result is followed by the vcpu's exit reason */
  kvmVcpu: boolean;
  pids: number[];
  /** -p UNIT.service: the units named (their processes, resolved at once, are in pids) */
  units: string[];
  command: string[];
  followForks: boolean;
  outputSeparately: boolean;
  outPath: string;
  /** -A: append to -o FILE instead of truncating it. */
  append: boolean;
  /** -E: changes to the command's environment (undefined: remove the variable). */
  env: Array<[string, string | undefined]>;
  /** -t/--timestamps: no time, time of day (%T), or seconds since the epoch; digits of the fraction. */
  tsFormat: 'none' | 'time' | 'unix';
  tsDigits: number;
  /** -r: relative timestamps, with rDigits after the point. */
  rflag: boolean;
  rDigits: number;
  /** -T: time spent in each call, with TDigits after the point. */
  Tflag: boolean;
  TDigits: number;
  count: boolean; // -c or -C
  countOnly: boolean; // -c
  wallTime: boolean;
  sortBy: SummaryColumn | 'none';
  /** -U: the -c table's columns, in order. */
  summaryColumns: SummaryColumn[];
  /** -O: overhead per call subtracted from -c times, in nanoseconds (undefined: measured). */
  overheadNs: number | undefined;
  /** Traced syscalls by number, or undefined for every call. */
  traced: Uint8Array | undefined;
  /** Syscalls printed abbreviated (-e abbrev=; -v empties it); undefined: every call. */
  abbrev: Uint8Array | undefined;
  /** Syscalls whose structures are decoded (-e verbose=); undefined: every call. */
  verboseCalls: Uint8Array | undefined;
  /** Syscalls printed raw (-e raw=); undefined: none. */
  rawCalls: Uint8Array | undefined;
  statusMask: number;
  signalsShown: Uint8Array | undefined;
  /** QUIET bits. */
  quiet: number;
  /** DECODE_FD and DECODE_PID bits. */
  decodeFds: number;
  decodePids: number;
  paths: string[];
  strsize: number;
  acolumn: number;
  /** -x: 0 none, 1 non-ASCII strings in hex, 2 (-xx) every string, 3 non-ASCII characters only. */
  xflag: number;
  /** -X: 0 abbrev, 1 raw, 2 verbose. */
  xstyle: number;
  /** -e read= / -e write=: descriptors whose data is dumped in hex. */
  readFds: NumberSet | undefined;
  writeFds: NumberSet | undefined;
  /** -e inject= / -e fault=, in order: a later one wins for the syscalls both name. */
  inject: Array<{ set: Uint8Array; spec: InjectSpec }>;
  stackTraces: boolean;
  iflag: boolean;
  nflag: boolean;
  debug: boolean;
  /** -u USER: the command runs as this user. */
  user: string;
  /** -b execve: detach from a process when it calls execve. */
  detachOnExecve: boolean;
  /** -D, -DD, -DDD: the tracer is not the command's parent (0: it is). */
  daemonize: number;
  /** -I: INTR value (0: the default for the run). */
  interruptible: number;
  seccomp: boolean;
  /** --syscall-limit=N: detach after N traced calls (0: no limit). */
  syscallLimit: number;
  /** --tips: a tip to print at exit (-1: a random one; undefined: none). */
  tipId: number | undefined;
  /** -v / -e abbrev=none (kept for the TUI). */
  verbose: boolean;
  /** -y / -yy as a count (kept for the TUI). */
  yflag: number;
  historyCap: number;
  thresholdMs: number;
  help: boolean;
  version: boolean;
  /** Messages strace prints while it goes on (deprecated options, options without effect). */
  warnings: string[];
}

export function defaultOptions(): CliOptions {
  return {
    plain: false,
    findings: false,
    inspect: [],
    load: [],
    json: false,
    redact: false,
    kvmVcpu: false,
    pids: [],
    units: [],
    command: [],
    followForks: false,
    outputSeparately: false,
    outPath: '',
    append: false,
    env: [],
    tsFormat: 'none',
    tsDigits: 0,
    rflag: false,
    rDigits: 6,
    Tflag: false,
    TDigits: 6,
    count: false,
    countOnly: false,
    wallTime: false,
    sortBy: 'total-time',
    summaryColumns: ['time-percent', 'total-time', 'avg-time', 'calls', 'errors', 'name'],
    overheadNs: undefined,
    traced: undefined,
    abbrev: undefined,
    verboseCalls: undefined,
    rawCalls: undefined,
    statusMask: STATUS_ALL,
    signalsShown: undefined,
    quiet: 0,
    decodeFds: 0,
    decodePids: 0,
    paths: [],
    strsize: 32,
    acolumn: 40,
    xflag: 0,
    xstyle: 0,
    readFds: undefined,
    writeFds: undefined,
    inject: [],
    stackTraces: false,
    iflag: false,
    nflag: false,
    debug: false,
    user: '',
    detachOnExecve: false,
    daemonize: 0,
    interruptible: 0,
    seccomp: true,
    syscallLimit: 0,
    tipId: undefined,
    verbose: false,
    yflag: 0,
    historyCap: 200_000,
    thresholdMs: 1000,
    help: false,
    version: false,
    warnings: [],
  };
}

// strace's getopt string and long options, in strace's order (glibc lists ambiguous prefixes so).
const SHORT = 'a:Ab:cCdDe:E:fFhiI:kno:O:p:P:qrs:S:tTu:U:vVwxX:yYzZ';
const L = (name: string, arg: 0 | 1 | 2, id: string): LongOption => ({ name, arg, id });
const LONG: LongOption[] = [
  L('columns', 1, 'a'),
  L('output-append-mode', 0, 'A'),
  L('detach-on', 1, 'b'),
  L('summary-only', 0, 'c'),
  L('summary', 0, 'C'),
  L('debug', 0, 'd'),
  L('daemonize', 2, 'daemonize'),
  L('daemonised', 2, 'daemonize'),
  L('daemonized', 2, 'daemonize'),
  L('env', 1, 'E'),
  L('follow-forks', 0, 'follow-forks'),
  L('output-separately', 0, 'output-separately'),
  L('help', 0, 'h'),
  L('instruction-pointer', 0, 'i'),
  L('interruptible', 1, 'I'),
  L('stack-traces', 0, 'k'),
  L('syscall-number', 0, 'n'),
  L('output', 1, 'o'),
  L('summary-syscall-overhead', 1, 'O'),
  L('attach', 1, 'p'),
  L('trace-path', 1, 'P'),
  L('relative-timestamps', 2, 'r'),
  L('string-limit', 1, 's'),
  L('summary-sort-by', 1, 'S'),
  L('absolute-timestamps', 2, 'timestamps'),
  L('timestamps', 2, 'timestamps'),
  L('syscall-times', 2, 'T'),
  L('user', 1, 'u'),
  L('summary-columns', 1, 'U'),
  L('no-abbrev', 0, 'v'),
  L('version', 0, 'V'),
  L('summary-wall-clock', 0, 'w'),
  L('strings-in-hex', 2, 'strings-in-hex'),
  L('const-print-style', 1, 'X'),
  L('pidns-translation', 0, 'pidns-translation'),
  L('successful-only', 0, 'z'),
  L('failed-only', 0, 'Z'),
  L('failing-only', 0, 'Z'),
  L('seccomp-bpf', 0, 'seccomp-bpf'),
  L('tips', 2, 'tips'),
  L('trace', 1, 'q:trace'),
  L('abbrev', 1, 'q:abbrev'),
  L('verbose', 1, 'q:verbose'),
  L('raw', 1, 'q:raw'),
  L('signals', 1, 'q:signal'),
  L('status', 1, 'q:status'),
  L('read', 1, 'q:read'),
  L('write', 1, 'q:write'),
  L('fault', 1, 'q:fault'),
  L('inject', 1, 'q:inject'),
  L('kvm', 1, 'q:kvm'),
  L('quiet', 2, 'q:quiet'),
  L('silent', 2, 'q:quiet'),
  L('silence', 2, 'q:quiet'),
  L('decode-fds', 2, 'q:decode-fds'),
  L('decode-pids', 1, 'q:decode-pids'),
  L('secontext', 2, 'q:secontext'),
];
const OURS: LongOption[] = [
  L('plain', 0, 'plain'),
  L('load', 1, 'load'),
  L('json', 0, 'json'),
  L('redact', 0, 'redact'),
  L('findings', 0, 'findings'),
  L('inspect', 1, 'inspect'),
  L('history', 1, 'history'),
  L('threshold', 1, 'threshold'),
  L('no-seccomp', 0, 'no-seccomp'),
  L('syscall-limit', 1, 'syscall-limit'),
];

const SORT_COLUMNS: Record<string, SummaryColumn | 'none'> = {
  time: 'time-percent',
  time_percent: 'time-percent',
  'time-percent': 'time-percent',
  time_total: 'total-time',
  'time-total': 'total-time',
  total_time: 'total-time',
  'total-time': 'total-time',
  min_time: 'min-time',
  'min-time': 'min-time',
  shortest: 'min-time',
  time_min: 'min-time',
  'time-min': 'min-time',
  longest: 'max-time',
  max_time: 'max-time',
  'max-time': 'max-time',
  time_max: 'max-time',
  'time-max': 'max-time',
  avg_time: 'avg-time',
  'avg-time': 'avg-time',
  time_avg: 'avg-time',
  'time-avg': 'avg-time',
  calls: 'calls',
  count: 'calls',
  error: 'errors',
  errors: 'errors',
  name: 'name',
  syscall: 'name',
  syscall_name: 'name',
  'syscall-name': 'name',
  none: 'none',
  nothing: 'none',
};

// What the command line said, beyond the options themselves, that strace's checks look at.
interface Seen {
  followShort: number;
  followLong: boolean;
  separatelyLong: boolean;
  optF: boolean;
  tShort: number;
  tLong: boolean;
  xShort: number;
  xLong: number;
  yShort: number;
  decodeFdsSet: boolean;
  qShort: number;
  quietSet: boolean;
  zflags: number;
  cflag: '' | 'c' | 'C';
  dShort: number;
  dLong: number;
  columnsSet: boolean;
  sortSet: boolean;
  seccompGiven: boolean;
}

function badArg(p: ParsedOption, value: string | undefined): UsageError {
  return new UsageError(p.long ? `invalid --${p.long} argument: '${value}'` : `invalid -${p.id} argument: '${value}'`, true);
}

// -p's unit names (and the /proc readers behind them) are loaded only when -p is given: a launched
// command waits for every module we load before it starts (see engine/session.ts).
const units = (): typeof import('../engine/proc/units.js') => createRequire(import.meta.url)('../engine/proc/units.js');

function parsePids(o: CliOptions, value: string): void {
  // -p 1,2 / -p "1 2" / -p "$(pgrep x)": a delimiter may end the list, but an empty item is an error.
  const parts = value.split(/[\n\t ,]/);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (value === '') return;
  const { isUnitName } = units();
  for (const part of parts) {
    if (isUnitName(part)) {
      addUnit(o, part);
      continue;
    }
    const pid = toUint(part);
    if (pid <= 0) throw new UsageError(`Invalid process id: '${part}'`);
    if (pid === process.pid) throw new UsageError("I'm sorry, I can't let you do that, Dave.");
    o.pids.push(pid);
  }
}

/** -p UNIT.service: the unit's processes, MainPID first (ours left out: a unit may hold us too). */
function addUnit(o: CliOptions, unit: string): void {
  let pids: number[];
  try {
    pids = units().resolveUnit(unit).pids.filter((p) => p !== process.pid);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  o.units.push(unit);
  o.pids.push(...pids.filter((p) => !o.pids.includes(p)));
}

/** --timestamps=[format:]none|time|unix,[precision:]s|ms|us|ns */
function parseTimestamps(o: CliOptions, arg: string): boolean {
  let format: CliOptions['tsFormat'] | undefined;
  let digits: number | undefined;
  for (const raw of arg.split(',').filter((t) => t !== '')) {
    let token = raw;
    let kinds = 3; // 1: format, 2: precision
    if (/^format:/i.test(token)) (token = token.slice(7)), (kinds = 1);
    else if (/^precision:/i.test(token)) (token = token.slice(10)), (kinds = 2);
    const f = ['none', 'time', 'unix'].find((n) => n === token.toLowerCase()) as CliOptions['tsFormat'] | undefined;
    if (kinds & 1 && f) {
      format = f;
      continue;
    }
    const d = kinds & 2 ? precisionDigits(token) : undefined;
    if (d !== undefined) {
      digits = d;
      continue;
    }
    return false;
  }
  o.tsFormat = format ?? (o.tsFormat === 'none' ? 'time' : o.tsFormat);
  if (digits !== undefined) o.tsDigits = digits;
  return true;
}

/** --tips[=[id:]ID|random,[format:]none|compact|full]: the tip to show (-1: random), or undefined
 *  for format:none; null when the argument is not one strace takes. */
function parseTips(arg: string): number | undefined | null {
  let id = -1;
  let show = true;
  for (const raw of arg.split(',').filter((t) => t !== '')) {
    let token = raw;
    let kinds = 3;
    if (/^id:/i.test(token)) (token = token.slice(3)), (kinds = 1);
    else if (/^format:/i.test(token)) (token = token.slice(7)), (kinds = 2);
    if (kinds & 1 && token.toLowerCase() === 'random') {
      id = -1;
      continue;
    }
    if (kinds & 1 && toUint(token) >= 0) {
      id = toUint(token);
      continue;
    }
    if (kinds & 2 && ['none', 'compact', 'full'].includes(token.toLowerCase())) {
      show = token.toLowerCase() !== 'none';
      continue;
    }
    return null;
  }
  return show ? id : undefined;
}

function summaryColumns(s: string): SummaryColumn[] {
  const out: SummaryColumn[] = [];
  for (const name of s.split(',')) {
    const col = SORT_COLUMNS[name];
    if (col === undefined || col === 'none') throw new UsageError(`unknown column name: '${name}'`, true);
    if (out.includes(col)) {
      const residual = s.slice(s.split(',').slice(0, out.length).join(',').length + (out.length ? 1 : 0));
      throw new UsageError(`call summary column has been provided more than once: '${name}' (-U option residual: '${residual}')`, true);
    }
    out.push(col);
  }
  if (!out.includes('name')) out.push('name');
  return out;
}

const SIGNAL_BYTES = 65;

function signalSet(str: string): Uint8Array | undefined {
  const set = qualifyTokens(str, signalNumber, 'signal');
  if (set.invert && set.items.length === 0) return undefined;
  const out = new Uint8Array(SIGNAL_BYTES);
  for (let i = 1; i < out.length; i++) out[i] = inSet(set, i) ? 1 : 0;
  return out;
}

function bitsOf(set: NumberSet, all: number): number {
  let bits = 0;
  for (let b = 1; b <= all; b <<= 1) if (inSet(set, b)) bits |= b;
  return bits;
}

function qualify(o: CliOptions, seen: Seen, str: string): void {
  // strace's qual_options: NAME= picks the qualifier, anything else is trace=.
  const names: Array<[string, string]> = [
    ['trace', 'trace'], ['t', 'trace'], ['abbrev', 'abbrev'], ['a', 'abbrev'], ['verbose', 'verbose'],
    ['v', 'verbose'], ['raw', 'raw'], ['x', 'raw'], ['signal', 'signal'], ['signals', 'signal'], ['s', 'signal'],
    ['status', 'status'], ['quiet', 'quiet'], ['silent', 'quiet'], ['silence', 'quiet'], ['q', 'quiet'],
    ['read', 'read'], ['reads', 'read'], ['r', 'read'], ['write', 'write'], ['writes', 'write'], ['w', 'write'],
    ['fault', 'fault'], ['inject', 'inject'], ['kvm', 'kvm'], ['decode-fd', 'decode-fds'],
    ['decode-fds', 'decode-fds'], ['decode-pid', 'decode-pids'], ['decode-pids', 'decode-pids'], ['secontext', 'secontext'],
  ];
  let kind = 'trace';
  let value = str;
  for (const [name, k] of names)
    if (str.startsWith(`${name}=`)) {
      kind = k;
      value = str.slice(name.length + 1);
      break;
    }
  applyQualifier(o, seen, kind, value);
}

function applyQualifier(o: CliOptions, seen: Seen, kind: string, value: string): void {
  switch (kind) {
    case 'trace': {
      const set = syscallSet(value);
      o.traced = isFullSet(set) ? undefined : set;
      return;
    }
    case 'abbrev': {
      const set = syscallSet(value);
      o.abbrev = isFullSet(set) ? undefined : set;
      return;
    }
    case 'verbose': {
      const set = syscallSet(value);
      o.verboseCalls = isFullSet(set) ? undefined : set;
      return;
    }
    case 'raw': {
      const set = syscallSet(value);
      o.rawCalls = set.some((v) => v) ? set : undefined;
      return;
    }
    case 'signal':
      o.signalsShown = signalSet(value);
      return;
    case 'status': {
      const set = qualifyTokens(value, (t) => lookupName(STATUS, t), 'status');
      o.statusMask = bitsOf(set, STATUS.detached);
      return;
    }
    case 'quiet': {
      const words = { attach: QUIET.attach, exit: QUIET.exit, exits: QUIET.exit, 'path-resolution': QUIET.pathResolution, personality: QUIET.personality, superseded: QUIET.threadExecve, 'thread-execve': QUIET.threadExecve };
      o.quiet = bitsOf(qualifyTokens(value, (t) => lookupName(words, t), 'quiet'), QUIET.threadExecve);
      seen.quietSet = true;
      return;
    }
    case 'decode-fds':
      o.decodeFds = bitsOf(qualifyTokens(value, (t) => lookupName(DECODE_FD, t), 'decode-fds'), DECODE_FD.pidfd);
      seen.decodeFdsSet = true;
      return;
    case 'decode-pids':
      o.decodePids |= bitsOf(qualifyTokens(value, (t) => lookupName(DECODE_PID, t), 'decode-pids'), DECODE_PID.comm);
      return;
    case 'read':
      o.readFds = qualifyTokens(value, (t) => toUint(t), 'descriptor');
      return;
    case 'write':
      o.writeFds = qualifyTokens(value, (t) => toUint(t), 'descriptor');
      return;
    case 'fault':
    case 'inject': {
      const { set, spec, warnings } = parseInject(value, kind === 'fault');
      o.warnings.push(...warnings);
      o.inject.push({ set, spec });
      return;
    }
    case 'kvm':
      if (value !== 'vcpu') throw new UsageError(`invalid -e kvm= argument: '${value}'`);
      o.kvmVcpu = true;
      return;
    case 'secontext':
      throw new UsageError('SELinux context printing (--secontext option) is not supported by this build of strace');
  }
}

function handle(o: CliOptions, seen: Seen, p: ParsedOption): void {
  const v = p.value;
  switch (p.id) {
    case 'a': {
      const n = toUint(v!);
      if (n < 0) throw badArg(p, v);
      o.acolumn = n;
      return;
    }
    case 'A': o.append = true; return;
    case 'b':
      if (v !== 'execve') throw new UsageError(`Syscall '${v}' for -b isn't supported`);
      o.detachOnExecve = true;
      return;
    case 'c':
      if (seen.cflag === 'C') throw new UsageError('-c/--summary-only and -C/--summary are mutually exclusive', true);
      seen.cflag = 'c';
      return;
    case 'C':
      if (seen.cflag === 'c') throw new UsageError('-c/--summary-only and -C/--summary are mutually exclusive', true);
      seen.cflag = 'C';
      return;
    case 'd': o.debug = true; return;
    case 'D': seen.dShort++; return;
    case 'daemonize': {
      const level = v === undefined ? 1 : lookupName({ grandchild: 1, pgroup: 2, pgrp: 2, session: 3 }, v);
      if (level <= 0) throw badArg(p, v);
      seen.dLong = level;
      return;
    }
    case 'e': qualify(o, seen, v!); return;
    case 'E': {
      const eq = v!.indexOf('=');
      o.env.push(eq < 0 ? [v!, undefined] : [v!.slice(0, eq), v!.slice(eq + 1)]);
      return;
    }
    case 'f': seen.followShort++; return;
    case 'follow-forks': seen.followLong = true; return;
    case 'output-separately': seen.separatelyLong = true; return;
    case 'F': seen.optF = true; return;
    case 'h': o.help = true; return;
    case 'i': o.iflag = true; return;
    case 'I': {
      const names = { anywhere: INTR.anywhere, always: INTR.anywhere, waiting: INTR.waiting, never: INTR.never, never_tstp: INTR.neverTstp };
      const key = Object.keys(names).find((k) => k === v) as keyof typeof names | undefined;
      const n = key ? names[key] : toUint(v!, 4);
      if (n <= 0) throw badArg(p, v);
      o.interruptible = n;
      return;
    }
    case 'k':
      if (!native().stackTracesSupported) {
        throw new UsageError('Stack traces (-k/--stack-traces option) are not supported by this build of systrace-tui (it was built without libdw, or libdw is not installed)');
      }
      o.stackTraces = true;
      return;
    case 'n': o.nflag = true; return;
    case 'o': o.outPath = v!; return;
    case 'O': {
      const ns = parseTimeNs(v!);
      if (ns < 0) throw badArg(p, v);
      o.overheadNs = ns;
      return;
    }
    case 'p': parsePids(o, v!); return;
    case 'P': o.paths.push(v!); return;
    case 'q': seen.qShort++; return;
    case 'r': {
      o.rflag = true;
      o.rDigits = 6;
      if (v !== undefined) {
        const d = v === '' ? undefined : precisionDigits(v);
        if (d === undefined) throw badArg(p, v);
        o.rDigits = d;
      }
      return;
    }
    case 's': {
      const n = toUint(v!);
      if (n < 0 || n > 0x3fffffff) throw badArg(p, v);
      o.strsize = n;
      return;
    }
    case 'S': {
      const col = SORT_COLUMNS[v!];
      if (col === undefined) throw new UsageError(`invalid sortby: '${v}'`, true);
      o.sortBy = col;
      seen.sortSet = true;
      return;
    }
    case 't': seen.tShort++; return;
    case 'timestamps':
      seen.tLong = true;
      if (!parseTimestamps(o, v ?? 'format:time')) throw badArg(p, v);
      return;
    case 'T': {
      o.Tflag = true;
      o.TDigits = 6;
      if (v !== undefined) {
        const d = v === '' ? undefined : precisionDigits(v);
        if (d === undefined) throw badArg(p, v);
        o.TDigits = d;
      }
      return;
    }
    case 'u': o.user = v!; return;
    case 'U':
      seen.columnsSet = true;
      o.summaryColumns = summaryColumns(v!);
      return;
    case 'v': o.abbrev = syscallSet('none'); return;
    case 'V': o.version = true; return;
    case 'w': o.wallTime = true; return;
    case 'x': seen.xShort = Math.min(seen.xShort + 1, 2); return;
    case 'strings-in-hex': {
      const level = v === undefined ? 2 : lookupName({ none: 0, 'non-ascii-chars': 3, 'non-ascii': 1, all: 2 }, v);
      if (level < 0) throw badArg(p, v);
      seen.xLong = level;
      return;
    }
    case 'X': {
      const style = ['abbrev', 'raw', 'verbose'].indexOf(v!);
      if (style < 0) throw badArg(p, v);
      o.xstyle = [0, 1, 2][style];
      return;
    }
    case 'y': seen.yShort++; return;
    case 'Y': applyQualifier(o, seen, 'decode-pids', 'comm'); return;
    case 'pidns-translation': applyQualifier(o, seen, 'decode-pids', 'pidns'); return;
    case 'z': o.statusMask = STATUS.successful; seen.zflags++; return;
    case 'Z': o.statusMask = STATUS.failed; seen.zflags++; return;
    case 'seccomp-bpf': seen.seccompGiven = true; o.seccomp = true; return;
    case 'tips': {
      const tip = parseTips(v ?? '');
      if (tip === null) throw badArg(p, v);
      o.tipId = tip;
      return;
    }
    case 'plain': o.plain = true; return;
    case 'load': o.load.push(v!); return;
    case 'json': o.json = true; return;
    case 'redact': o.redact = true; return;
    case 'findings': o.findings = true; return;
    case 'inspect': {
      const pid = toUint(v!);
      if (pid <= 0) throw new UsageError(`Invalid process id: '${v}'`);
      o.inspect.push(pid);
      return;
    }
    case 'history': {
      const n = toUint(v!);
      if (n < 1000) throw badArg(p, v);
      o.historyCap = n;
      return;
    }
    case 'threshold': {
      const n = toUint(v!);
      if (n < 0) throw badArg(p, v);
      o.thresholdMs = n;
      return;
    }
    case 'no-seccomp': o.seccomp = false; return;
    case 'syscall-limit': {
      const n = parseUint(v!, Number.MAX_SAFE_INTEGER).value;
      if (n <= 0) throw badArg(p, v);
      o.syscallLimit = n;
      return;
    }
    default:
      if (p.id.startsWith('q:')) applyQualifier(o, seen, p.id.slice(2), v ?? (p.id === 'q:quiet' ? 'attach,personality' : 'path'));
  }
}

// strace's checks after the options, in its order; fatal ones throw, others become warnings.
function check(o: CliOptions, seen: Seen): void {
  const w = (text: string): void => void o.warnings.push(text);
  const argc = o.command.length;
  if (!o.pids.length && !argc) throw new UsageError('must have PROG [ARGS] or -p PID', true);
  if (seen.dLong) {
    if (seen.dShort) throw new UsageError('-D and --daemonize cannot be provided simultaneously');
    seen.dShort = seen.dLong;
  }
  if (!argc && seen.dShort) throw new UsageError('PROG [ARGS] must be specified with -D/--daemonize', true);
  if (seen.dShort > 3) throw new UsageError(`Too many -D's (${seen.dShort}), maximum supported -D count is 3`, true);
  o.daemonize = seen.dShort;
  if (seen.tShort) {
    if (seen.tLong) throw new UsageError('-t and --absolute-timestamps cannot be provided simultaneously');
    parseTimestamps(o, seen.tShort === 1 ? 'format:time' : seen.tShort === 2 ? 'precision:us,format:time' : 'format:unix,precision:us');
  }
  o.xflag = seen.xShort;
  if (seen.xLong >= 0) {
    if (seen.xShort) throw new UsageError('-x and --strings-in-hex cannot be provided simultaneously');
    o.xflag = seen.xLong;
  }
  if (seen.yShort) {
    if (seen.decodeFdsSet) throw new UsageError('-y and --decode-fds cannot be provided simultaneously');
    o.decodeFds = seen.yShort === 1 ? DECODE_FD.path : DECODE_FD.path | DECODE_FD.socket | DECODE_FD.dev | DECODE_FD.pidfd;
  }
  if (seen.seccompGiven && o.detachOnExecve) {
    w('--seccomp-bpf is not enabled because it is not compatible with -b');
    seen.seccompGiven = false;
    o.seccomp = false;
  }
  if (seen.followShort) {
    if (seen.followLong) throw new UsageError('-f and --follow-forks cannot be provided simultaneously');
    if (seen.followShort >= 2 && seen.separatelyLong) throw new UsageError('-ff and --output-separately cannot be provided simultaneously');
    o.followForks = true;
    o.outputSeparately = seen.followShort >= 2;
  } else {
    o.followForks = seen.followLong;
    o.outputSeparately = seen.separatelyLong;
  }
  if (seen.seccompGiven && o.syscallLimit) {
    w('--seccomp-bpf is not enabled because it is not compatible with --syscall-limit');
    seen.seccompGiven = false;
    o.seccomp = false;
  }
  if (seen.seccompGiven) {
    if (o.pids.length && (!argc || o.debug)) w('--seccomp-bpf is not enabled for processes attached with -p');
    if (!o.followForks) {
      w('--seccomp-bpf cannot be used without -f/--follow-forks, disabling');
      o.seccomp = false;
    }
  }
  if (seen.optF) {
    if (o.followForks) w('deprecated option -F ignored');
    else {
      w('option -F is deprecated, please use -f/--follow-forks instead');
      o.followForks = true;
    }
  }
  o.count = seen.cflag !== '';
  o.countOnly = seen.cflag === 'c';
  if (o.outputSeparately && o.count) throw new UsageError('(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive', true);
  if (o.wallTime && !o.count) throw new UsageError('-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)', true);
  if (seen.columnsSet && !o.count) throw new UsageError('-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)', true);
  if (seen.sortSet && !o.count) w('-S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)');
  if (o.countOnly) {
    if (o.iflag) w('-i/--instruction-pointer has no effect with -c/--summary-only');
    if (o.stackTraces) w('-k/--stack-traces has no effect with -c/--summary-only');
    if (o.nflag) w('-n/--syscall-number has no effect with -c/--summary-only');
    if (o.rflag) w('-r/--relative-timestamps has no effect with -c/--summary-only');
    if (o.tsFormat !== 'none') w('-t/--absolute-timestamps has no effect with -c/--summary-only');
    if (o.Tflag) w('-T/--syscall-times has no effect with -c/--summary-only');
    if (o.decodeFds) w('-y/--decode-fds has no effect with -c/--summary-only');
  }
  if (!o.outPath) {
    if (o.outputSeparately && !o.followForks) w('--output-separately has no effect without -o/--output');
    if (o.append) w('-A/--output-append-mode has no effect without -o/--output');
  }
  if (seen.zflags > 1) w('Only the last of -z/--successful-only/-Z/--failed-only options will take effect. See status qualifier for more complex filters.');
  for (const p of o.paths) {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      continue;
    }
    if (real !== p && !(o.quiet & QUIET.pathResolution)) w(`Requested path ${JSON.stringify(p)} resolved into ${JSON.stringify(real)}`);
  }
  if (o.user) {
    if (process.getuid?.() !== 0 || process.geteuid?.() !== 0) throw new UsageError('You must be root to use the -u/--username option');
    if (!userExists(o.user)) throw new UsageError(`Cannot find user '${o.user}'`);
  }
  const piped = o.outPath.startsWith('|') || o.outPath.startsWith('!');
  if (piped && o.outputSeparately) throw new UsageError('piping the output and -ff/--output-separately are mutually exclusive', true);
  if (!o.outPath) o.outputSeparately = false;
  // strace keeps room for ".PID" after the name, in a path of at most PATH_MAX bytes.
  if (o.outputSeparately && !piped && Buffer.byteLength(o.outPath) >= 4096 - 12) throw new UsageError(`${o.outPath}: File name too long`);
  // -o FILE with a command: strace goes quiet about attaching (-q) unless -q or -e quiet= was given.
  if (o.outPath && argc && !seen.qShort && !seen.quietSet) seen.qShort = 1;
  if (seen.qShort) {
    if (seen.quietSet) throw new UsageError('-q and -e quiet/--quiet cannot be provided simultaneously');
    o.quiet = seen.qShort === 1 ? QUIET.attach | QUIET.personality : seen.qShort === 2 ? QUIET.attach | QUIET.personality | QUIET.exit : 31;
  }
}

/** Whether the system knows USER (getpwnam: /etc/passwd, then `getent` for other NSS sources). */
function userExists(user: string): boolean {
  try {
    if (fs.readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.split(':')[0] === user)) return true;
  } catch {
    // no /etc/passwd: ask NSS below
  }
  try {
    // node:os only here (-u): a trace without -u does not wait for it to load
    return process.getBuiltinModule('node:os').userInfo().username === user;
  } catch {
    return false;
  }
}

/** Parses argv (without node and the script). Throws UsageError. */
export function parseArgs(argv: string[]): CliOptions {
  const o = defaultOptions();
  const seen: Seen = {
    followShort: 0, followLong: false, separatelyLong: false, optF: false, tShort: 0, tLong: false, xShort: 0, xLong: -1,
    yShort: 0, decodeFdsSet: false, qShort: 0, quietSet: false, zflags: 0, cflag: '', dShort: 0, dLong: 0,
    columnsSet: false, sortSet: false, seccompGiven: false,
  };
  let parsed: { options: ParsedOption[]; rest: string[]; dashDash: boolean };
  try {
    parsed = getopt(argv, { short: SHORT, long: LONG, extra: OURS });
  } catch (e) {
    if (e instanceof GetoptError) throw new UsageError(e.message, true);
    throw e;
  }
  for (const p of parsed.options) {
    handle(o, seen, p);
    if (o.help) return o; // strace prints its help at -h, whatever follows
  }
  o.command = parsed.rest;
  if (o.version || o.inspect.length) return o;
  if (o.load.length) {
    // `--load A B C`: every argument after the options is one more log.
    if (parsed.dashDash && o.command.length) throw new UsageError('--load opens logs: a command cannot be traced with it', true);
    if (o.pids.length) throw new UsageError('--load opens logs: -p cannot be used with it', true);
    if (o.inspect.length) throw new UsageError('--load opens logs: --inspect cannot be used with it', true);
    o.load.push(...o.command);
    o.command = [];
    // The filters apply to the log; quiet bits as -q/-qq say (no -o FILE default applies to a log).
    o.followForks = true;
    o.count = seen.cflag !== '';
    o.countOnly = seen.cflag === 'c';
    if (seen.qShort) o.quiet = seen.qShort === 1 ? QUIET.attach | QUIET.personality : seen.qShort === 2 ? QUIET.attach | QUIET.personality | QUIET.exit : 31;
  } else if (o.plain) {
    try {
      check(o, seen);
    } catch (e) {
      if (e instanceof UsageError) e.warnings = o.warnings;
      throw e;
    }
  } else {
    // The TUI takes the filters and the output style; the checks above are about --plain's output.
    o.followForks = true;
    // -ff (or --output-separately) with -o: FILE.PID per process, as strace writes them.
    o.outputSeparately = o.outPath !== '' && (seen.followShort >= 2 || seen.separatelyLong);
    o.xflag = seen.xLong >= 0 ? seen.xLong : seen.xShort;
    if (seen.yShort) o.decodeFds = seen.yShort === 1 ? DECODE_FD.path : 15;
    o.count = seen.cflag !== '';
  }
  o.verbose = o.abbrev !== undefined && !o.abbrev.some((v) => v);
  o.yflag = o.decodeFds === 0 ? 0 : o.decodeFds === DECODE_FD.path ? 1 : 2;
  return o;
}

// Grouped as the README is: the terminal UI, hung processes, strace-compatible, logs, general.
export const HELP = `Usage: systrace-tui [OPTIONS]                          pick a process, trace it in the terminal UI
       systrace-tui [OPTIONS] -p PID|UNIT.service      attach to running processes
       systrace-tui [OPTIONS] [--] COMMAND [ARGS]      launch and trace a command
       systrace-tui [--plain] --inspect PID            what each thread of PID is blocked in
       systrace-tui --plain [STRACE OPTIONS] {-p PID | [--] COMMAND [ARGS]}   strace-compatible
       systrace-tui [--plain] [FILTERS] --load FILE... open strace logs (or -ff FILE.PID sets)

The terminal UI (the default; ? in it lists every key):
  (no -p, no command)  a process picker: type to filter by name, command line, user, pid,
                       systemd unit or container; Enter attaches to every thread
  -p, --attach PID     attach straight away (repeatable, or a comma list); -p UNIT.service
                       attaches to a systemd unit's processes (its MainPID first, then every
                       process of its cgroup)
  --history N          history cap in events (default 200000)
  and strace's filters and output style: -e trace= -s -x -y -yy -v (below)

Hung processes:
  --inspect PID        the blocking-call view of PID, from /proc alone (no ptrace); with
                       --plain, a text report
  --threshold MS       mark threads blocked longer than MS (default 1000)

strace-compatible (--plain):
  --plain              print strace-format lines instead of the TUI (stderr, or -o FILE)
  --findings           after the trace, print what it means to stderr (why calls failed, with
                       evidence from the live system, and what to check next)
  --no-seccomp         stop at every call even when a filter would let the kernel skip the rest
  --syscall-limit N    detach after N traced calls
  strace 6.1's options, long forms included (the TUI takes the filters and the output style too):
  -f, --follow-forks   follow forks and threads; -ff with -o (--output-separately): FILE.PID
  -p, --attach PID     attach to PID (repeatable, or a comma list), or UNIT.service
  -o, --output FILE    write the trace to FILE; -o '|CMD' pipes it to CMD
  -A                   append to -o FILE instead of truncating it
  -e trace=SET         only these calls: names, %file %network %process %signal %desc %memory
                       %ipc %creds %clock %stat %lstat %fstat %%stat %statfs %%statfs %pure,
                       /regex, all, none; a leading ! inverts the set (also --trace=SET)
  -e signal=SET        only these signals are printed (--signals=)
  -e status=SET        successful, failed, unfinished, unavailable, detached (--status=)
  -e abbrev=SET, -e verbose=SET, -e raw=SET   per-call abbreviation, decoding, raw arguments
  -e read=FDS, -e write=FDS                   hex dumps of the data read from / written to FDS
  -e inject=SET:error=E|retval=N|signal=S|delay_enter=T|delay_exit=T|poke_enter=@argN=HEX:when=W
  -e fault=SET:error=E:when=W                 fail calls (ENOSYS by default); W: N, N+, N+S, N..M
  -e quiet=SET         attach, exit, path-resolution, personality, thread-execve (-q, -qq, -qqq)
  -e decode-fds=SET    path, socket, dev, pidfd (-y, -yy)
  -e decode-pids=SET   comm (-Y), pidns (--pidns-translation)
  -z, -Z               only successful / only failed calls
  -P, --trace-path P   only calls that touch P
  -s, --string-limit N print at most N bytes of a string (default 32)
  -x, -xx              non-ASCII / all strings in hex (--strings-in-hex=non-ascii|all|...)
  -X raw|abbrev|verbose  constants as numbers, names, or both (--const-print-style)
  -v, --no-abbrev      unabbreviated structs and arrays
  -a, --columns N      align return values at column N (default 40)
  -t, -tt, -ttt        time of day / with microseconds / seconds since the epoch
                       (--timestamps=[format:]time|unix,[precision:]s|ms|us|ns)
  -r, -T               time since the previous line / spent in each call (=PRECISION)
  -n, -i, -k           syscall numbers / instruction pointers / a stack trace per call
  -c, -C, -w, -S SORT, -U COLUMNS, -O OVERHEAD   the call summary table
  -u USER              run the command as USER
  -b execve            detach from a process when it calls execve
  -D, -DD, -DDD        the tracer is not the command's parent (--daemonize)
  -I N                 when signals may interrupt the tracer (--interruptible)
  -E VAR=VAL, -E VAR   set or remove a variable of the command's environment
  -d                   debug messages
  --tips[=id:N]        a tip about tracing when the trace ends
  --seccomp-bpf        stop only at traced calls (the default for launched commands with -f and
                       a trace filter); never used for -p

Logs: load, save, export:
  --load FILE...       open strace logs in the trace screen; with --plain, print the lines that
                       pass -e trace= -e status= -e signal= -z -Z -P -qq, or -c's table
  --json               w on the trace screen writes JSON lines (else strace text; a
                       name ending in .json or .jsonl gets JSON lines anyway)
  --redact             every string and buffer shown or written becomes its length:
                       "..."<42 bytes> (for sharing a trace)

General:
  -h, --help           this help
  -V, --version        print the version
`;
