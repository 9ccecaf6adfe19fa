#!/usr/bin/env node
// The command's entry. It runs the program (main.ts) from one script, dist/bundle/systrace-tui.js,
// that tools/bundle.mjs makes of it and of its dependencies at build time, compiled with a V8 code
// cache: node then neither resolves, reads and compiles some 290 modules (ours and our
// dependencies') one by one, nor parses what the cache holds compiled already (issue 10: the
// picker's first frame, --plain's start-up). The cache is made on the first run (or after a
// rebuild, or under another node) once start-up is over, from the functions compiled until then,
// into $XDG_CACHE_HOME/systrace-tui (~/.cache/...); whatever fails about it (no home, read-only,
// not ours) only costs that speed, silently. Without the bundle (a build that ran tsc alone), or
// with one older than the TypeScript build, the modules run as tsc built them; SYSTRACE_DEBUG
// does the same, for stack traces that name those files.
// This loader is CommonJS (a .cts): node runs a CommonJS main module at once, where an ES module
// as the main module first loads node's ES module loader and its file reading through promises,
// streams and the threadpool (some 40 internal modules, 5 to 10 ms before our first line).
import fs = require('node:fs');
import { createRequire } from 'node:module';
import path = require('node:path');
import url = require('node:url');
import vm = require('node:vm');

declare global {
  /** Set by this loader: the bundle calls it when start-up is over (main.ts). */
  // eslint-disable-next-line no-var
  var __systraceStarted: (() => void) | undefined;
}

const dist = path.dirname(__dirname);

/** What names this build of the bundle, or undefined to run the modules instead. */
function bundleId(bundle: string): string | undefined {
  if (process.env.SYSTRACE_DEBUG) return undefined;
  try {
    const st = fs.statSync(bundle);
    if (st.mtimeMs < fs.statSync(path.join(dist, '.tsbuildinfo')).mtimeMs) return undefined;
    return `${st.size.toString(36)}-${Math.round(st.mtimeMs).toString(36)}`;
  } catch {
    return undefined;
  }
}

/**
 * Which bundle runs, and with which cache: the TUI and --plain compile different parts of the
 * program at start-up, and each has a cache of its own. Told from the command line as main.ts will
 * parse it. Run by a link named strace (the path the launcher hands over: launcher-state.ts), or
 * with --plain (or an abbreviation of it) first, it is --plain for certain: the bundle without the
 * TUI runs (tools/bundle.mjs). --plain further on, before a bare --, is --plain but for an option's
 * argument (`-o --plain`): the whole program runs, with --plain's cache, as a guess that is wrong
 * costs only the cache's use.
 */
function kind(): { name: 'plain' | 'tui'; bundle: string } {
  const isPlain = (a: string): boolean => a.length >= 4 && '--plain'.startsWith(a);
  const launcher = /^[0-9a-f]{16} [0-9a-f]{16} (?:[0-2]+|-) (.*)$/s.exec(process.env.SYSTRACE_TUI_STARTED ?? '');
  const args = process.argv.slice(2);
  if (isPlain(args[0] ?? '') || (launcher && path.basename(launcher[1]) === 'strace')) return { name: 'plain', bundle: path.join(dist, 'bundle', 'plain.js') };
  const end = args.indexOf('--');
  const plain = args.slice(0, end < 0 ? undefined : end).some(isPlain);
  return { name: plain ? 'plain' : 'tui', bundle: path.join(dist, 'bundle', 'systrace-tui.js') };
}

/** Our cache directory, if it is ours alone (a cache is code we run: nobody else may write it). */
function cacheDir(create: boolean): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : process.env.HOME ? path.join(process.env.HOME, '.cache') : undefined;
  if (!base) return undefined;
  const dir = path.join(base, 'systrace-tui');
  try {
    if (create) {
      // ~/.cache if need be, in a home that exists; not in another user's (root under sudo -E):
      // it would be ours there, and theirs no more.
      if (!fs.existsSync(base)) fs.mkdirSync(base, { mode: 0o700 });
      else if (fs.statSync(base).uid !== process.geteuid!()) return undefined;
      if (!fs.existsSync(dir)) fs.mkdirSync(dir, { mode: 0o700 });
    }
    return ownedByUs(fs.statSync(dir)) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const ownedByUs = (st: fs.Stats): boolean => st.uid === process.geteuid!() && (st.mode & 0o022) === 0;

function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    return ownedByUs(fs.fstatSync(fd)) ? fs.readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes the cache (a new file renamed into place) and removes this kind's caches of other builds. */
function writeCache(name: string, data: Buffer): void {
  const dir = cacheDir(true);
  if (!dir) return;
  const tmp = path.join(dir, `.${name}.${process.pid}`);
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, path.join(dir, name));
    const prefix = name.split('-', 2).join('-') + '-';
    for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix) && f !== name) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** FNV-1a, in base 36: a short name for a path. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

async function run(): Promise<void> {
  const { name: kindName, bundle } = kind();
  const id = bundleId(bundle);
  // One cache per kind and per installed bundle (its others' builds are removed when it is written).
  const name = id && `${kindName}-${hash(bundle)}-${process.version}-${process.arch}-${id}.v8cache`;
  const dir = name ? cacheDir(false) : undefined;
  const cachedData = dir ? readCache(path.join(dir, name!)) : undefined;
  // Without a cache to read or to make, the whole bundle would be compiled at every start: more
  // than the modules a run loads (--plain loads a tenth of them).
  if (!name || (!cachedData && !cacheDir(true))) {
    await import('./main.js');
    return;
  }
  // ASCII (tools/bundle.mjs): latin1 makes the string with one copy and no decoding.
  const script = new vm.Script(fs.readFileSync(bundle, 'latin1'), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    globalThis.__systraceStarted = () => {
      globalThis.__systraceStarted = undefined;
      writeCache(name, script.createCachedData());
    };
  }
  const main = script.runInThisContext() as (require: NodeRequire, root: string) => Promise<void>;
  await main(createRequire(bundle), url.pathToFileURL(path.dirname(dist) + '/').href);
}

void run();
