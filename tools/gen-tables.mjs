#!/usr/bin/env node
// tools/gen-tables.mjs: build-time table generator for the native decoder.
//
// Every table is derived from THIS machine's kernel and libc headers (plus a few
// clearly marked additions below), never copied from another project. Outputs go to
// native/tables/generated/ (git-ignored); a file is only rewritten when its content
// changed, so node-gyp does not rebuild needlessly. Runs in well under 5 s.
//
//   syscall_list.h  SYSCALL(nr, name)            X-macro, from asm/unistd_64.h
//                   #define SYSCALL_NR_MAX <highest nr>
//   errno_list.h    ERRNO(nr, NAME, "message")   X-macro, names from asm-generic/errno*.h,
//                   #define ERRNO_MAX 4095       messages from glibc strerror() (LC_ALL=C)
//   signal_list.h   SIGNAL(nr, NAME)             X-macro, 1..31 from asm/signal.h
//   compat_syscall_list.h  COMPAT_SYSCALL(pers, nr, name)  the i386 (pers 1, asm/unistd_32.h) and
//                   x32 (pers 2, asm/unistd_x32.h, nr without __X32_SYSCALL_BIT) syscalls: strace
//                   accepts their names and numbers in -e trace= (mmap2, _llseek) on x86_64 too
//   xlat.h          static const Xlat xlat_<table> for every tools/xlat/<table>.in
//   ioctl_list.h    IOCTL(0x5401, TCGETS)        X-macro, every ioctl request of the uapi headers
//                                                (tools/gen-ioctls.mjs says how they are found)
//
// ---------------------------------------------------------------------------------
// xlat table format (tools/xlat/<table>.in, the file name gives the table name):
//
//   # free comment (any line starting with "# " or "//")
//   #include <fcntl.h>        one or more headers needed for the names
//   #type flags               flags: OR-combined bit set, printed in LIST ORDER
//                             (print an entry when (v & val) == val, then clear
//                             those bits; so composite values go first).
//                             value: whole values, first match wins (aliases later).
//   #unsigned                 optional: evaluate names as 32-bit unsigned int, so a
//                             negative int constant (bit 31) becomes 0x80000000
//                             instead of being sign-extended to 64 bits.
//   O_WRONLY                  one name per line, in the order the decoder prints them
//   FOO_NEW 0x40000           optional fallback (any C constant expression), used
//                             only when the headers do not define FOO_NEW
//   O_SYNC = __O_SYNC|O_DSYNC optional "NAME = EXPR": the printed name is NAME, the
//                             value is EXPR evaluated from the headers (no guard)
//   #unknown X_???            optional: the name strace gives a flags value none of whose bits
//                             is known ("0x8 /* X_??? */"), used when the caller names none
//   #enum                     optional: the names are enum constants (no #ifdef guard; a
//                             name with a fallback is still guarded)
//   #bits [PREFIX]            optional: the names are bit numbers; the table holds 1<<NAME
//                             and prints it as PREFIX NAME (PREFIX "1<<" unless given, spaces
//                             kept: "#bits 1 << " prints "1 << NAME")
//   #match ^KEY_(?!MAX$)      every object-like #define of the #include'd headers whose name
//                             matches the (JavaScript) regex, in header order; a define whose
//                             value is just another name (an alias) is skipped
//   !BTN_MISC                 leave this name out (a range marker sharing its value with the
//                             name the decoder prints)
//
// Values are stored as uint64_t; by default a negative constant (e.g. SI_QUEUE -1)
// is sign-extended (0xffffffffffffffff): compare with (uint64_t)(int64_t)value.
// A name that is neither defined by the headers nor given a fallback is skipped with
// a warning on stderr. Zero values are kept in value tables but dropped (with a
// warning) from flags tables, where they could never be printed. All tables are
// compiled into one C program; when headers clash (say <asm/fcntl.h> vs <fcntl.h>)
// the set is split and compiled in parts automatically.
// ---------------------------------------------------------------------------------

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { genIoctls } from './gen-ioctls.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const outDir = path.join(root, 'native/tables/generated');
const xlatDir = path.join(here, 'xlat');
const INC = '/usr/include';
const CC = process.env.CC || 'gcc';

// Syscalls newer than this machine's uapi headers (x86_64 syscall_64.tbl numbers).
// Only used when the header does not already define that number.
const EXTRA_SYSCALLS = [
  [335, 'uretprobe'], // x86_64 only, Linux 6.11
  [451, 'cachestat'], [452, 'fchmodat2'], [453, 'map_shadow_stack'],
  [454, 'futex_wake'], [455, 'futex_wait'], [456, 'futex_requeue'],
  [457, 'statmount'], [458, 'listmount'], [459, 'lsm_get_self_attr'],
  [460, 'lsm_set_self_attr'], [461, 'lsm_list_modules'], [462, 'mseal'],
  [463, 'setxattrat'], [464, 'getxattrat'], [465, 'listxattrat'],
  [466, 'removexattrat'], [467, 'open_tree_attr'], [468, 'file_getattr'],
  [469, 'file_setattr'],
];

// Kernel-internal errno values that reach user space only through ptrace (not in
// uapi headers), with the texts strace prints for them.
const KERNEL_ERRNOS = [
  [512, 'ERESTARTSYS', 'To be restarted if SA_RESTART is set'],
  [513, 'ERESTARTNOINTR', 'To be restarted'],
  [514, 'ERESTARTNOHAND', 'To be restarted if no handler'],
  [515, 'ENOIOCTLCMD', 'No ioctl command'],
  [516, 'ERESTART_RESTARTBLOCK', 'Interrupted by signal'],
  [517, 'EPROBE_DEFER', 'Driver requests probe retry'],
  [518, 'EOPENSTALE', 'Open found a stale dentry'],
  [519, 'ENOPARAM', 'Parameter not supported'],
  [521, 'EBADHANDLE', 'Illegal NFS file handle'],
  [522, 'ENOTSYNC', 'Update synchronization mismatch'],
  [523, 'EBADCOOKIE', 'Cookie is stale'],
  [524, 'ENOTSUPP', 'Operation is not supported'],
  [525, 'ETOOSMALL', 'Buffer or request is too small'],
  [526, 'ESERVERFAULT', 'An untranslatable error occurred'],
  [527, 'EBADTYPE', 'Type not supported by server'],
  [528, 'EJUKEBOX', 'Request initiated, but will not complete before timeout'],
  [529, 'EIOCBQUEUED', 'iocb queued, will get completion event'],
  [530, 'ERECALLCONFLICT', 'conflict with recalled state'],
];

// Preferred names when a header defines two names for one signal number.
const CANONICAL_SIGNALS = { 6: 'SIGABRT', 29: 'SIGIO', 17: 'SIGCHLD', 31: 'SIGSYS' };

const HEADER = '// generated by tools/gen-tables.mjs from this machine\'s headers: do not edit\n#pragma once\n';

let warnings = 0;
function warn(msg) { warnings++; process.stderr.write(`gen-tables: warning: ${msg}\n`); }
let tmp = null;
function fail(msg) {
  process.stderr.write(`gen-tables: error: ${msg}\n`);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}

function readHeader(rel) {
  const candidates = [path.join(INC, 'x86_64-linux-gnu', rel), path.join(INC, rel)];
  for (const p of candidates) if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8');
  fail(`header not found: ${rel}`);
}

// Numeric #defines of a header (aliases defined as another name are not numeric and
// therefore skipped; #if 0 blocks are not expected in these headers but are removed).
function numericDefines(text, re) {
  const out = [];
  text = text.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*#\s*define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)\s*$/);
    if (m && re.test(m[1])) out.push([m[1], Number(m[2])]);
  }
  return out;
}

let compileSeq = 0;
// Compile and run a C program; returns stdout, or throws with the compiler's stderr.
async function compileAndRun(source) {
  const id = compileSeq++;
  const src = path.join(tmp, `p${id}.c`);
  const exe = path.join(tmp, `p${id}`);
  fs.writeFileSync(src, source);
  await run(CC, ['-std=gnu11', '-O0', '-Werror', '-o', exe, src], { maxBuffer: 1 << 24 });
  const { stdout } = await run(exe, [], { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 1 << 24 });
  return stdout;
}

function writeIfChanged(name, content) {
  const p = path.join(outDir, name);
  if (fs.existsSync(p) && fs.readFileSync(p, 'utf8') === content) return;
  fs.writeFileSync(p, content);
}

function cString(s) {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

// ---------------------------------------------------------------- syscalls
function genSyscalls() {
  const defs = numericDefines(readHeader('asm/unistd_64.h'), /^__NR_/)
    .map(([n, v]) => [v, n.slice(5)]);
  const byNr = new Map(defs);
  if (byNr.size < 300) fail('asm/unistd_64.h parsed to too few syscalls');
  // --- our own additions: syscalls newer than the installed headers ---
  for (const [nr, name] of EXTRA_SYSCALLS) if (!byNr.has(nr)) byNr.set(nr, name);
  const list = [...byNr].sort((a, b) => a[0] - b[0]);
  const max = list[list.length - 1][0];
  let s = HEADER + '// SYSCALL(nr, name): x86_64 syscalls from asm/unistd_64.h, then newer ones\n';
  s += '// listed in tools/gen-tables.mjs (EXTRA_SYSCALLS) when the header lacks them.\n';
  for (const [nr, name] of list) s += `SYSCALL(${nr}, ${name})\n`;
  s += `#ifndef SYSCALL_NR_MAX\n#define SYSCALL_NR_MAX ${max}\n#endif\n`;
  writeIfChanged('syscall_list.h', s);
  return list.length;
}

// The other two x86_64 personalities, for the command line only (-e trace=mmap2 is valid there).
function genCompatSyscalls() {
  let s = HEADER + '// COMPAT_SYSCALL(personality, nr, name): 1 = i386 (asm/unistd_32.h), 2 = x32 (asm/unistd_x32.h)\n';
  const i386 = numericDefines(readHeader('asm/unistd_32.h'), /^__NR_/);
  if (i386.length < 300) fail('asm/unistd_32.h parsed to too few syscalls');
  for (const [n, v] of i386) s += `COMPAT_SYSCALL(1, ${v}, ${n.slice(5)})\n`;
  const x32 = readHeader('asm/unistd_x32.h').replace(/\/\*[\s\S]*?\*\//g, '');
  let count = 0;
  for (const line of x32.split('\n')) {
    const m = line.match(/^\s*#\s*define\s+__NR_(\w+)\s+\(__X32_SYSCALL_BIT\s*\+\s*(\d+)\)\s*$/);
    if (m) (s += `COMPAT_SYSCALL(2, ${m[2]}, ${m[1]})\n`), count++;
  }
  if (count < 300) fail('asm/unistd_x32.h parsed to too few syscalls');
  writeIfChanged('compat_syscall_list.h', s);
}

// ---------------------------------------------------------------- errnos
async function genErrnos() {
  const seen = new Map();
  for (const h of ['asm-generic/errno-base.h', 'asm-generic/errno.h']) {
    for (const [name, v] of numericDefines(readHeader(h), /^E[A-Z0-9]+$/)) {
      if (!seen.has(v)) seen.set(v, name); // first name wins: aliases are not numeric anyway
    }
  }
  if (seen.size < 100) fail('errno headers parsed to too few names');
  const list = [...seen].sort((a, b) => a[0] - b[0]);
  let c = '#include <stdio.h>\n#include <string.h>\nint main(void) {\n';
  for (const [v] of list) c += `  printf("%d\\t%s\\n", ${v}, strerror(${v}));\n`;
  c += '  return 0;\n}\n';
  const out = await compileAndRun(c);
  const msgs = new Map();
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) msgs.set(Number(line.slice(0, tab)), line.slice(tab + 1));
  }
  let s = HEADER + '// ERRNO(nr, NAME, "message"): asm-generic/errno-base.h and errno.h with glibc\n';
  s += '// strerror() texts, then kernel-internal values seen only through ptrace.\n';
  for (const [v, name] of list) {
    if (!msgs.has(v)) fail(`no strerror text for ${name}`);
    s += `ERRNO(${v}, ${name}, ${cString(msgs.get(v))})\n`;
  }
  s += '// --- kernel-internal (include/linux/errno.h), texts as strace prints them ---\n';
  for (const [v, name, msg] of KERNEL_ERRNOS) {
    if (!seen.has(v)) s += `ERRNO(${v}, ${name}, ${cString(msg)})\n`;
  }
  s += '#ifndef ERRNO_MAX\n#define ERRNO_MAX 4095\n#endif\n';
  writeIfChanged('errno_list.h', s);
  return list.length + KERNEL_ERRNOS.filter(([v]) => !seen.has(v)).length;
}

// ---------------------------------------------------------------- signals
function genSignals() {
  const defs = numericDefines(readHeader('asm/signal.h'), /^SIG[A-Z0-9]+$/);
  const byNr = new Map();
  for (const [name, v] of defs) {
    if (v < 1 || v > 31 || name === 'SIGUNUSED') continue;
    if (!byNr.has(v)) byNr.set(v, name);
  }
  for (const [v, name] of Object.entries(CANONICAL_SIGNALS)) {
    if (defs.some(([n, x]) => n === name && x === Number(v))) byNr.set(Number(v), name);
  }
  for (let i = 1; i <= 31; i++) if (!byNr.has(i)) fail(`asm/signal.h has no name for signal ${i}`);
  let s = HEADER + '// SIGNAL(nr, NAME): signals 1..31 from asm/signal.h (canonical names);\n';
  s += '// real-time signals are printed by the decoder.\n';
  for (let i = 1; i <= 31; i++) s += `SIGNAL(${i}, ${byNr.get(i)})\n`;
  writeIfChanged('signal_list.h', s);
  return 31;
}

// ---------------------------------------------------------------- xlat
function parseXlat(file) {
  const name = path.basename(file, '.in');
  if (!/^[a-z][a-z0-9_]*$/.test(name)) fail(`${file}: table name must be a C identifier in lower case`);
  const t = { name, file, includes: [], kind: null, unsigned: false, entries: [] };
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((raw, i) => {
    const where = `${path.relative(root, file)}:${i + 1}`;
    const line = raw.replace(/\s+\/\/.*$/, '').trim();
    if (!line || line.startsWith('//') || line.startsWith('# ') || line === '#') return;
    let m;
    if ((m = line.match(/^#include\s+([<"][^>"]+[>"])$/))) t.includes.push(m[1]);
    else if ((m = line.match(/^#type\s+(flags|value)$/))) t.kind = m[1];
    else if (line === '#unsigned') t.unsigned = true;
    else if (line === '#enum') t.enumNames = true;
    else if ((m = line.match(/^#unknown\s+(\S+)$/))) t.unknown = m[1];
    else if ((m = raw.match(/^#bits(?: (.*))?$/))) t.bits = m[1] ?? '1<<';
    else if ((m = line.match(/^#match\s+(.+)$/))) t.entries.push({ match: new RegExp(m[1]), where });
    else if ((m = line.match(/^!([A-Za-z_]\w*)$/))) (t.exclude ??= new Set()).add(m[1]);
    // NAME = EXPR: the name is only printed, so it may be a C expression's text (LOGLEVEL_DEBUG+1, X-1, 1<<(X-1)).
    else if ((m = line.match(/^([A-Za-z_0-9][\w+\-<()]*)\s*=\s*(.+)$/))) t.entries.push({ name: m[1], expr: m[2], where });
    else if ((m = line.match(/^([A-Za-z_]\w*)(?:\s+(.+))?$/))) t.entries.push({ name: m[1], fallback: m[2], where });
    else fail(`${where}: cannot parse "${raw}"`);
  });
  if (!t.kind) fail(`${file}: missing "#type flags" or "#type value"`);
  t.entries = t.entries.flatMap((e) => (e.match ? matchDefines(t, e) : [e]));
  if (t.bits)
    t.entries = t.entries.map((e) => ({ ...e, expr: `1ULL << (${e.expr ?? e.fallback ?? e.name})`, printed: `${t.bits}${e.name}` }));
  if (t.exclude) t.entries = t.entries.filter((e) => !t.exclude.has(e.name));
  if (!t.entries.length) fail(`${file}: no entries`);
  return t;
}

// The entries of a #match line: object-like defines of the table's headers, in header order.
function matchDefines(t, e) {
  const out = [];
  const seen = new Set();
  for (const inc of t.includes) {
    const m = inc.match(/^<(.+)>$/);
    if (!m) continue;
    const text = readHeader(m[1]).replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\\\n/g, ' ');
    for (const line of text.split('\n')) {
      const d = line.match(/^\s*#\s*define\s+([A-Za-z_]\w*)(\(?)\s*(.*)$/);
      if (!d || d[2] || !e.match.test(d[1]) || seen.has(d[1])) continue;
      if (/^[A-Za-z_]\w*$/.test(d[3].replace(/\/\/.*$/, '').trim())) continue; // an alias of another name
      seen.add(d[1]);
      out.push({ name: d[1], where: e.where });
    }
    // With #enum, enumerators match too (in enum order, after the defines).
    if (t.enumNames)
      for (const body of text.matchAll(/\benum\b[^{;]*\{([^}]*)\}/g))
        for (const item of body[1].replace(/\/\/[^\n]*/g, '').split(',')) {
          const m = item.trim().match(/^([A-Za-z_]\w*)\s*(?:=\s*(.*))?$/s);
          if (!m || !e.match.test(m[1]) || seen.has(m[1])) continue;
          if (m[2] && /^[A-Za-z_]\w*$/.test(m[2].trim())) continue; // an alias of another name
          seen.add(m[1]);
          out.push({ name: m[1], where: e.where });
        }
  }
  if (!out.length) fail(`${e.where}: #match ${e.match} matches nothing`);
  return out;
}

function xlatProgram(tables) {
  const incs = [...new Set(tables.flatMap((t) => t.includes))];
  let c = '#define _GNU_SOURCE\n';
  for (const h of incs) c += `#include ${h}\n`;
  c += '#include <stdio.h>\n';
  c += '#define P(t, i, x) printf("%d %d %llu\\n", t, i, (unsigned long long)(x))\n';
  c += '#define PU(t, i, x) printf("%d %d %llu\\n", t, i, (unsigned long long)(unsigned int)(x))\n';
  c += 'int main(void) {\n';
  for (const t of tables) {
    const P = t.unsigned ? 'PU' : 'P';
    t.entries.forEach((e, i) => {
      const id = `${t.index}, ${i}`;
      if (e.expr || (t.enumNames && !e.fallback)) { c += `  ${P}(${id}, ${e.expr ?? e.name});\n`; return; }
      c += `#ifdef ${e.name}\n  ${P}(${id}, ${e.name});\n`;
      if (e.fallback) c += `#else\n  ${P}(${id}, ${e.fallback});\n`;
      c += '#endif\n';
    });
  }
  c += '  return 0;\n}\n';
  return c;
}

// Compile all tables at once; when that fails (clashing headers), split in halves.
async function evalTables(tables) {
  try {
    return await compileAndRun(xlatProgram(tables));
  } catch (err) {
    if (tables.length === 1) {
      fail(`${path.relative(root, tables[0].file)} does not compile:\n${err.stderr || err.message}`);
    }
    const mid = tables.length >> 1;
    const parts = await Promise.all([evalTables(tables.slice(0, mid)), evalTables(tables.slice(mid))]);
    return parts.join('');
  }
}

async function genXlat() {
  const files = fs.existsSync(xlatDir)
    ? fs.readdirSync(xlatDir).filter((f) => f.endsWith('.in')).sort() : [];
  const tables = files.map((f) => parseXlat(path.join(xlatDir, f)));
  tables.forEach((t, i) => { t.index = i; });
  // Group tables sharing an include set so clashes split cleanly.
  const ordered = [...tables].sort((a, b) =>
    a.includes.join() < b.includes.join() ? -1 : a.includes.join() > b.includes.join() ? 1 : a.index - b.index);
  const out = tables.length ? await evalTables(ordered) : '';
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [ti, ei, v] = line.split(' ');
    tables[Number(ti)].entries[Number(ei)].value = BigInt(v);
  }
  let s = HEADER + '#include "../../decode/xlat_types.h"\n';
  for (const t of tables) {
    const kept = [];
    const missing = [];
    for (const e of t.entries) {
      if (e.value === undefined) { missing.push(e.name); continue; }
      if (t.kind === 'flags' && e.value === 0n) { warn(`${e.where}: ${e.name} is 0 in a flags table, dropped`); continue; }
      kept.push(e);
    }
    if (missing.length) warn(`${t.name}: not defined by the headers, skipped: ${missing.join(' ')}`);
    const rel = path.relative(root, t.file);
    const unknown = t.unknown ? JSON.stringify(t.unknown) : 'nullptr';
    s += `\n// ${rel} (${t.kind}${t.unsigned ? ', unsigned' : ''})\n`;
    if (!kept.length) {
      warn(`${t.name}: empty table`);
      s += `static const Xlat xlat_${t.name} = { nullptr, 0, XLAT_${t.kind.toUpperCase()}, ${unknown} };\n`;
      continue;
    }
    s += `static const XlatEntry xlat_${t.name}_entries[] = {\n`;
    for (const e of kept) s += `  {0x${e.value.toString(16)}ULL, "${e.printed ?? e.name}"},\n`;
    s += '};\n';
    s += `static const Xlat xlat_${t.name} = { xlat_${t.name}_entries, ${kept.length}, XLAT_${t.kind.toUpperCase()}, ${unknown} };\n`;
  }
  writeIfChanged('xlat.h', s);
  return tables.length;
}

// ---------------------------------------------------------------- ioctls
async function genIoctlList() {
  const list = await genIoctls({ inc: INC, compileAndRun, warn });
  if (list.length < 1000) fail(`only ${list.length} ioctl requests found in the uapi headers`);
  let s = HEADER + '// IOCTL(code, NAME): ioctl requests of the uapi headers, by code then name (tools/gen-ioctls.mjs)\n';
  for (const e of list) s += `IOCTL(0x${e.code.toString(16).padStart(8, '0')}, ${e.name})\n`;
  writeIfChanged('ioctl_list.h', s);
  return list.length;
}

try {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-tables-'));
  fs.mkdirSync(outDir, { recursive: true });
  const nsys = genSyscalls();
  genCompatSyscalls();
  const nsig = genSignals();
  const [nerr, nxlat, nioctl] = await Promise.all([genErrnos(), genXlat(), genIoctlList()]);
  console.log(`gen-tables: ${nsys} syscalls, ${nerr} errnos, ${nsig} signals, ${nxlat} xlat tables, ${nioctl} ioctls`);
} catch (err) {
  fail(err.stderr || err.stack || String(err));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
