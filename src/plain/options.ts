// The strace-compatible command line: short options clustered as getopt allows (-ff, -tt, -s64,
// -fTv), the -e qualifiers (trace=, signal=, status=, abbrev=, verbose=, raw=), and our own
// --plain, --inspect and --history. Errors are one line, worded like strace's, with exit code 1.
import { syscallTable } from '../engine/native.js';
import { SyscallClass } from '../engine/types.js';

export class UsageError extends Error {
  /** Add strace's "Try '... -h' for more information." line. */
  readonly hint: boolean;
  constructor(message: string, hint = false) {
    super(message);
    this.hint = hint;
  }
}

export const STATUS = { successful: 1, failed: 2, unfinished: 4, unavailable: 8, detached: 16 } as const;
const STATUS_ALL = 31;

export interface CliOptions {
  plain: boolean;
  inspect: number[];
  /** --load: strace logs (or -ff prefixes) to open instead of tracing */
  load: string[];
  /** --redact: every string becomes its length in what is shown and written */
  redact: boolean;
  pids: number[];
  command: string[];
  followForks: boolean;
  outputSeparately: boolean;
  outPath: string;
  /** -A: append to -o FILE instead of truncating it. */
  append: boolean;
  /** -E: changes to the command's environment (undefined: remove the variable). */
  env: Array<[string, string | undefined]>;
  tflag: number;
  rflag: boolean;
  Tflag: boolean;
  count: boolean; // -c or -C
  countOnly: boolean; // -c
  wallTime: boolean;
  sortBy: string;
  /** Traced syscalls by number, or undefined for every call. */
  traced: Uint8Array | undefined;
  statusMask: number;
  signalsShown: Uint8Array | undefined;
  quiet: number;
  paths: string[];
  strsize: number;
  acolumn: number;
  xflag: number;
  verbose: boolean;
  yflag: number;
  raw: boolean;
  seccomp: boolean;
  historyCap: number;
  thresholdMs: number;
  help: boolean;
  version: boolean;
}

export function defaultOptions(): CliOptions {
  return {
    plain: false,
    inspect: [],
    load: [],
    redact: false,
    pids: [],
    command: [],
    followForks: false,
    outputSeparately: false,
    outPath: '',
    append: false,
    env: [],
    tflag: 0,
    rflag: false,
    Tflag: false,
    count: false,
    countOnly: false,
    wallTime: false,
    sortBy: 'time',
    traced: undefined,
    statusMask: STATUS_ALL,
    signalsShown: undefined,
    quiet: 0,
    paths: [],
    strsize: 32,
    acolumn: 40,
    xflag: 0,
    verbose: false,
    yflag: 0,
    raw: false,
    seccomp: true,
    historyCap: 200_000,
    thresholdMs: 1000,
    help: false,
    version: false,
  };
}

// Short options that take an argument (as strace's getopt string has them).
const WITH_ARG = new Set(['a', 'b', 'e', 'E', 'I', 'o', 'O', 'p', 'P', 's', 'S', 'u', 'U', 'X']);
const FLAGS = new Set(['A', 'c', 'C', 'd', 'D', 'f', 'F', 'h', 'i', 'q', 'r', 't', 'T', 'v', 'V', 'w', 'x', 'y', 'z', 'Z', 'n', 'k', 'Y']);

const CLASS_NAMES: Record<string, number> = {
  file: SyscallClass.file,
  process: SyscallClass.process,
  network: SyscallClass.network,
  net: SyscallClass.network,
  signal: SyscallClass.signal,
  ipc: SyscallClass.ipc,
  desc: SyscallClass.desc,
  memory: SyscallClass.memory,
  creds: SyscallClass.creds,
  clock: SyscallClass.clock,
  stat: SyscallClass.stat,
  lstat: SyscallClass.lstat,
  fstat: SyscallClass.fstat,
  '%stat': SyscallClass.statLike,
  statfs: SyscallClass.statfs,
  fstatfs: SyscallClass.fstatfs,
  '%statfs': SyscallClass.statfsLike,
  pure: SyscallClass.pure,
};

function parseNumber(flag: string, value: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`invalid ${flag} argument: '${value}'`, true);
  return Number(value);
}

/** -e trace=SET: names, %classes, /regexes, all, none, ?name, with a leading ! inverting it. */
export function parseTraceSet(spec: string): Uint8Array | undefined {
  const table = syscallTable();
  const set = new Uint8Array(table.length);
  let s = spec;
  let invert = false;
  while (s.startsWith('!')) {
    invert = !invert;
    s = s.slice(1);
  }
  if (s === 'all' || s === '') {
    if (!invert) return undefined;
    return set;
  }
  for (const raw of s.split(',')) {
    let item = raw;
    const optional = item.startsWith('?');
    if (optional) item = item.slice(1);
    if (item === 'all') {
      set.fill(1);
      continue;
    }
    if (item === 'none') continue;
    let matched = false;
    if (item.startsWith('/')) {
      let re: RegExp;
      try {
        re = new RegExp(item.slice(1));
      } catch {
        throw new UsageError(`invalid regular expression '${item.slice(1)}'`);
      }
      table.forEach((e, nr) => {
        if (re.test(e.name) && !e.name.startsWith('syscall_')) (set[nr] = 1), (matched = true);
      });
      if (!matched && !optional) throw new UsageError(`invalid system call '${item}'`);
      continue;
    }
    const cls = item.startsWith('%') ? CLASS_NAMES[item.slice(1)] : CLASS_NAMES[item];
    if (cls !== undefined && (item.startsWith('%') || ['file', 'process', 'network', 'signal', 'ipc', 'desc', 'memory'].includes(item))) {
      table.forEach((e, nr) => {
        if (e.classes & cls) set[nr] = 1;
      });
      continue;
    }
    table.forEach((e, nr) => {
      if (e.name === item) (set[nr] = 1), (matched = true);
    });
    if (!matched && /^\d+$/.test(item) && Number(item) < table.length) (set[Number(item)] = 1), (matched = true);
    if (!matched && !optional) throw new UsageError(`invalid system call '${raw.replace(/^\?/, '')}'`);
  }
  if (invert) for (let i = 0; i < set.length; i++) set[i] = set[i] ? 0 : 1;
  return set;
}

function parseStatus(spec: string): number {
  let s = spec;
  let invert = false;
  if (s.startsWith('!')) (invert = true), (s = s.slice(1));
  let mask = 0;
  for (const item of s.split(',')) {
    if (item === 'all') mask = STATUS_ALL;
    else if (item === 'none') mask |= 0;
    else if (item in STATUS) mask |= STATUS[item as keyof typeof STATUS];
    else throw new UsageError(`invalid status '${item}'`);
  }
  return invert ? STATUS_ALL & ~mask : mask;
}

const SIGNALS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21,
  TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31,
};

function parseSignals(spec: string): Uint8Array | undefined {
  let s = spec;
  let invert = false;
  if (s.startsWith('!')) (invert = true), (s = s.slice(1));
  if (s === 'all' && !invert) return undefined;
  const set = new Uint8Array(65);
  for (const item of s.split(',')) {
    if (item === 'all') set.fill(1);
    else if (item === 'none') continue;
    else if (/^\d+$/.test(item) && Number(item) >= 1 && Number(item) <= 64) set[Number(item)] = 1;
    else {
      const name = item.toUpperCase().replace(/^SIG/, '');
      const rt = /^RT(MIN)?(?:_?(\d+))?$/.exec(name);
      if (name in SIGNALS) set[SIGNALS[name]] = 1;
      else if (rt) set[32 + Number(rt[2] ?? 0)] = 1;
      else throw new UsageError(`invalid signal '${item}'`);
    }
  }
  if (invert) for (let i = 1; i < set.length; i++) set[i] = set[i] ? 0 : 1;
  return set;
}

function applyQualifier(o: CliOptions, expr: string): void {
  const eq = expr.indexOf('=');
  const kind = eq < 0 ? 'trace' : expr.slice(0, eq);
  const value = eq < 0 ? expr : expr.slice(eq + 1);
  switch (kind) {
    case 'trace':
    case 't':
      o.traced = parseTraceSet(value);
      return;
    case 'signal':
    case 'signals':
    case 's':
      o.signalsShown = parseSignals(value);
      return;
    case 'status':
      o.statusMask = parseStatus(value);
      return;
    case 'abbrev':
    case 'a':
      o.verbose = value === 'none' || value === '!all';
      return;
    case 'verbose':
    case 'v':
      o.verbose = value === 'all';
      return;
    case 'raw':
    case 'x':
      o.raw = value === 'all';
      return;
    case 'decode-fds':
      o.yflag = value === 'none' ? 0 : value === 'path' ? 1 : 2;
      return;
    case 'quiet':
    case 'q':
      o.quiet = Math.max(o.quiet, value === 'none' ? 0 : 1);
      return;
    case 'read':
    case 'write':
    case 'r':
    case 'w':
    case 'fault':
    case 'inject':
    case 'kvm':
      throw new UsageError(`-e ${kind}= is not supported`);
    default:
      throw new UsageError(`invalid -e qualifier '${kind}'`);
  }
}

function parsePids(o: CliOptions, value: string): void {
  for (const part of value.split(/[\s,]+/).filter(Boolean)) {
    if (!/^\d+$/.test(part) || Number(part) <= 0) throw new UsageError(`Invalid process id: '${part}'`);
    o.pids.push(Number(part));
  }
}

/** Parses argv (without node and the script). Throws UsageError. */
export function parseArgs(argv: string[]): CliOptions {
  const o = defaultOptions();
  let follow = 0;
  let i = 0;
  const need = (flag: string): string => {
    if (i + 1 >= argv.length) throw new UsageError(`option requires an argument -- '${flag}'`, true);
    return argv[++i];
  };
  const long = (name: string, value: string | undefined, takeNext: () => string): void => {
    const v = (): string => value ?? takeNext();
    switch (name) {
      case 'plain': o.plain = true; return;
      case 'load': o.load.push(v()); return;
      case 'redact': o.redact = true; return;
      case 'inspect': {
        const pid = v();
        if (!/^\d+$/.test(pid) || Number(pid) <= 0) throw new UsageError(`Invalid process id: '${pid}'`);
        o.inspect.push(Number(pid));
        return;
      }
      case 'history': o.historyCap = parseNumber('--history', v(), 1000); return;
      case 'threshold': o.thresholdMs = parseNumber('--threshold', v()); return;
      case 'seccomp-bpf': o.seccomp = true; return;
      case 'no-seccomp': o.seccomp = false; return;
      case 'output': o.outPath = v(); return;
      case 'summary-only': o.count = o.countOnly = true; return;
      case 'summary': o.count = true; return;
      case 'summary-wall-clock': o.wallTime = true; return;
      case 'follow-forks': follow = Math.max(follow, 1); return;
      case 'output-separately': follow = 2; return;
      case 'trace': applyQualifier(o, `trace=${v()}`); return;
      case 'signal': applyQualifier(o, `signal=${v()}`); return;
      case 'status': applyQualifier(o, `status=${v()}`); return;
      case 'successful-only': o.statusMask = STATUS.successful; return;
      case 'failed-only': o.statusMask = STATUS.failed; return;
      case 'string-limit': o.strsize = parseNumber('-s', v()); return;
      case 'attach': parsePids(o, v()); return;
      case 'trace-path': o.paths.push(v()); return;
      case 'help': o.help = true; return;
      case 'version': o.version = true; return;
      default: throw new UsageError(`unrecognized option '--${name}'`, true);
    }
  };
  let dashDash = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.command = argv.slice(i + 1);
      dashDash = true;
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      long(eq < 0 ? a.slice(2) : a.slice(2, eq), eq < 0 ? undefined : a.slice(eq + 1), () => need(a));
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      o.command = argv.slice(i);
      break;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (WITH_ARG.has(f)) {
        const value = j + 1 < a.length ? a.slice(j + 1) : need(f);
        switch (f) {
          case 'e': applyQualifier(o, value); break;
          case 'o': o.outPath = value; break;
          case 'p': parsePids(o, value); break;
          case 'P': o.paths.push(value); break;
          case 's': o.strsize = parseNumber('-s', value); break;
          case 'a': o.acolumn = parseNumber('-a', value); break;
          case 'S':
            if (!['time', 'calls', 'errors', 'name', 'nothing', 'min-time', 'max-time', 'avg-time', 'total-time', 'count', 'error', 'syscall', 'none'].includes(value))
              throw new UsageError(`invalid sortby: '${value}'`);
            o.sortBy = value;
            break;
          case 'E': {
            // -E VAR=VAL sets a variable of the command's environment, -E VAR removes it.
            const eq = value.indexOf('=');
            if (eq === 0 || value === '') throw new UsageError(`invalid -E argument: '${value}'`);
            o.env.push(eq < 0 ? [value, undefined] : [value.slice(0, eq), value.slice(eq + 1)]);
            break;
          }
          case 'I': break; // how our own fatal signals are blocked: ours are always handled
          default:
            // -b (detach on execve), -O (overhead), -u/-U (run as user, column filter), -X (format)
            throw new UsageError(`option -${f} is not supported`);
        }
        break;
      }
      if (!FLAGS.has(f)) throw new UsageError(`invalid option -- '${f}'`, true);
      switch (f) {
        case 'f': follow++; break;
        case 't': o.tflag++; break;
        case 'r': o.rflag = true; break;
        case 'T': o.Tflag = true; break;
        case 'c': o.count = o.countOnly = true; break;
        case 'C': o.count = true; o.countOnly = false; break;
        case 'w': o.wallTime = true; break;
        case 'q': o.quiet++; break;
        case 'v': o.verbose = true; break;
        case 'x': o.xflag++; break;
        case 'y': o.yflag++; break;
        case 'z': o.statusMask = STATUS.successful; break;
        case 'Z': o.statusMask = STATUS.failed; break;
        case 'h': o.help = true; break;
        case 'V': o.version = true; break;
        case 'A': o.append = true; break;
        case 'F': follow++; break; // strace's old spelling of -f
        case 'd': case 'D': break; // debug output / a detached tracer: no effect on what is traced
        default:
          // -i (instruction pointer), -k (stack traces), -n (syscall numbers), -Y (command names)
          throw new UsageError(`option -${f} is not supported`);
      }
    }
  }
  if (o.load.length) {
    // `--load A B C`: every argument after the options is one more log.
    if (dashDash && o.command.length) throw new UsageError('--load opens logs: a command cannot be traced with it', true);
    if (o.pids.length) throw new UsageError('--load opens logs: -p cannot be used with it', true);
    if (o.inspect.length) throw new UsageError('--load opens logs: --inspect cannot be used with it', true);
    o.load.push(...o.command);
    o.command = [];
  }
  o.followForks = follow > 0;
  o.outputSeparately = follow > 1 && o.outPath !== '';
  o.tflag = Math.min(o.tflag, 3);
  o.xflag = Math.min(o.xflag, 2);
  o.yflag = Math.min(o.yflag, 2);
  return o;
}

export const HELP = `Usage: systrace-tui [OPTIONS] [-- COMMAND [ARGS]]   trace live in the terminal UI
       systrace-tui [OPTIONS] -p PID                  attach to a running process
       systrace-tui --inspect PID                     what each thread of PID is blocked in
       systrace-tui --plain [STRACE OPTIONS] {-p PID | [--] COMMAND [ARGS]}
       systrace-tui [--plain] [FILTERS] --load FILE...        open strace logs (or -ff FILE.PID sets)

With no command and no -p, the TUI opens a process picker.

General:
  --plain              print strace-format lines instead of the TUI (stderr, or -o FILE)
  --inspect PID        the blocking-call view (with --plain: a text report) of PID
  --load FILE...       open strace logs in the trace screen; with --plain, print the lines that
                       pass -e trace= -e status= -e signal= -z -Z -P -qq, or -c's table
  --redact             every string and buffer shown or written becomes its length:
                       "..."<42 bytes> (for sharing a trace)
  --history N          TUI history cap in events (default 200000)
  --threshold MS       --inspect: mark threads blocked longer than MS (default 1000)
  -h, --help           this help
  -V, --version        print the version

strace-compatible options (--plain; the TUI uses the filters too):
  -f                   follow forks and threads; -ff with -o: one file per process (FILE.PID)
  -p PID               attach to PID (repeatable, or a comma list)
  -o FILE              write the trace to FILE
  -e trace=SET         only these calls: names, %file %network %process %signal %desc %memory
                       %ipc %creds %clock %stat %lstat %fstat %%stat %statfs %%statfs %pure,
                       /regex, all, none; a leading ! inverts the set
  -e signal=SET        only these signals are printed
  -e status=SET        successful, failed, unfinished, unavailable, detached (! inverts)
  -e verbose=all, -e abbrev=none, -e raw=all
  -z, -Z               only successful / only failed calls
  -P PATH              only calls that touch PATH
  -s N                 print at most N bytes of a string (default 32)
  -x, -xx              non-ASCII / all bytes of strings in hex
  -y, -yy              paths of file descriptors / and socket endpoints and devices
  -v                   unabbreviated structs and arrays
  -a N                 align return values at column N (default 40)
  -t, -tt, -ttt        time of day / with microseconds / seconds since the epoch
  -r                   time since the previous line
  -T                   time spent in each call
  -c                   count calls, errors and time, and print a table at the end; -C: and trace
  -w                   count wall-clock time instead of system time
  -S SORT              sort the -c table by time, calls, errors, name or nothing
  -q, -qq              fewer attach/exit messages
  -A                   append to -o FILE instead of truncating it
  -E VAR=VAL, -E VAR   set or remove a variable of the command's environment
  --seccomp-bpf        (default for launched commands with -f and a trace filter) stop only at
                       traced calls; never used for -p
`;
