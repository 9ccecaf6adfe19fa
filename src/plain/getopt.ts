// getopt_long as glibc runs it for strace: clustered short options (-ff, -s64), "+" ordering (the
// first non-option ends the options), long options with =VALUE or the next word, and unambiguous
// prefixes of long names (--summ is ambiguous, --summary-o is --summary-only). The messages are
// glibc's, so a mistyped option reads the same as under strace.

/** 0: no argument, 1: required (=VALUE or the next word), 2: optional (=VALUE only). */
export type ArgKind = 0 | 1 | 2;

export interface LongOption {
  name: string;
  arg: ArgKind;
  /** What the option means: a short option letter, or a name of its own. */
  id: string;
}

export interface ParsedOption {
  id: string;
  /** undefined: no argument given (optional ones). */
  value: string | undefined;
  /** The long option as it is named in messages ("--const-print-style"), or undefined for a short one. */
  long: string | undefined;
}

export class GetoptError extends Error {}

export interface GetoptSpec {
  /** Short options: each letter, followed by ':' when it takes an argument. */
  short: string;
  /** Long options, in the order glibc lists them when a prefix is ambiguous. */
  long: LongOption[];
  /** Long options of ours beyond the table above: matched whole, or by prefix only when no option
   *  of the main table has that prefix (so strace's own abbreviations keep their meaning). */
  extra: LongOption[];
}

function sameMeaning(a: LongOption, b: LongOption): boolean {
  return a.arg === b.arg && a.id === b.id;
}

function findLong(spec: GetoptSpec, text: string): LongOption {
  const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
  const all = [...spec.long, ...spec.extra];
  const exact = all.find((o) => o.name === name);
  if (exact) return exact;
  for (const table of [spec.long, spec.extra]) {
    const matches = table.filter((o) => o.name.startsWith(name));
    if (matches.length === 0) continue;
    const first = matches[0];
    const differing = matches.filter((o) => !sameMeaning(o, first));
    if (differing.length) {
      const listed = [first, ...differing].map((o) => ` '--${o.name}'`).join('');
      throw new GetoptError(`option '--${text}' is ambiguous; possibilities:${listed}`);
    }
    return first;
  }
  throw new GetoptError(`unrecognized option '--${text}'`);
}

/** Parses argv into options and the operands after them (dashDash: a "--" ended the options).
 *  Throws GetoptError with glibc's message. */
export function getopt(argv: string[], spec: GetoptSpec): { options: ParsedOption[]; rest: string[]; dashDash: boolean } {
  const options: ParsedOption[] = [];
  let i = 0;
  let dashDash = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      dashDash = true;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const text = a.slice(2);
      const opt = findLong(spec, text);
      const eq = text.indexOf('=');
      let value: string | undefined = eq < 0 ? undefined : text.slice(eq + 1);
      if (value !== undefined && opt.arg === 0) throw new GetoptError(`option '--${opt.name}' doesn't allow an argument`);
      if (value === undefined && opt.arg === 1) {
        if (i + 1 >= argv.length) throw new GetoptError(`option '--${opt.name}' requires an argument`);
        value = argv[++i];
      }
      options.push({ id: opt.id, value, long: opt.name });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      const at = f === ':' ? -1 : spec.short.indexOf(f);
      if (at < 0) throw new GetoptError(`invalid option -- '${f}'`);
      if (spec.short[at + 1] !== ':') {
        options.push({ id: f, value: undefined, long: undefined });
        continue;
      }
      let value: string;
      if (j + 1 < a.length) value = a.slice(j + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new GetoptError(`option requires an argument -- '${f}'`);
      options.push({ id: f, value, long: undefined });
      break;
    }
  }
  return { options, rest: argv.slice(i), dashDash };
}
