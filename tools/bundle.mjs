// Makes dist/bundle/systrace-tui.js: the program (dist/src/main.js, as tsc built it) and every
// module it loads, ours and our dependencies', in one script that dist/src/cli.cjs compiles with a
// V8 code cache (see there). Run by `npm run build:ts`, after tsc (it does nothing when the bundles
// are up to date). And dist/bundle/plain.js: the same program without the TUI (src/tui.ts and all
// it loads: Ink, React, the screens), a quarter of the size, which cli.cjs runs for a command line
// that is --plain for certain: --plain's start-up then neither reads nor compiles the TUI's code,
// nor makes the thousands of functions its modules declare.
//
// The script is one async function, `(async function (require, __systraceRoot) {...})`: a script
// can be compiled with vm.Script and its cache, an ES module cannot (not without node's
// --experimental-vm-modules), and an async function body still takes the top-level await that
// yoga-layout's module has. So that nothing is left for node's ES module loader:
//  - node's built-in modules (and react-devtools-core, which Ink imports only under DEV=true) are
//    require()d from the bundle when the module importing them starts;
//  - createRequire(import.meta.url), a module's own require(), becomes the bundle's require(),
//    which esbuild follows like an import: what a module loads that way is in the bundle too;
//  - import.meta.url is the URL the module has in the package (the addon and the prober's child
//    are found from it), made at run time from where the package is;
//  - in our dependencies, process.env.NODE_ENV is "production": the bundle holds React's production
//    build alone (the TUI runs it: main.ts).
// A dynamic import() stays lazy: esbuild starts such a module when it is first imported.
// Whitespace and syntax are minified (names are kept): a third less to read at every start. Stack
// traces from the bundle are one long line: SYSTRACE_DEBUG=1 runs the modules instead (cli.cts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'bundle');
const outs = { whole: path.join(outDir, 'systrace-tui.js'), plain: path.join(outDir, 'plain.js') };

// Nothing to do when the bundles are newer than what they are made of: tsc's build of the program
// (dist/.tsbuildinfo, written whenever tsc -b emitted anything), our dependencies as npm last
// installed them, and this script. Rewritten, the same bundle would get a new date, and with it
// every code cache made of it would be thrown away (cli.cts names a cache by its bundle's size and date).
const date = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
const inputs = [path.join(root, 'dist', '.tsbuildinfo'), path.join(root, 'node_modules', '.package-lock.json'), fileURLToPath(import.meta.url)];
if (Math.min(...Object.values(outs).map((f) => date(f) ?? -Infinity)) >= Math.max(...inputs.map((f) => date(f) ?? Infinity))) process.exit(0);

// A checkout whose node_modules predates esbuild (npm ci not run since): the modules run instead.
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  for (const out of Object.values(outs)) fs.rmSync(out, { force: true });
  console.warn('bundle.mjs: esbuild is not installed (run npm ci): no bundle, the program runs from its modules, more slowly');
  process.exit(0);
}
const atRunTime = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'react-devtools-core']);

/** The names of each built-in's own properties that hold a value, as a CommonJS module sees them
 *  before anything read them (here, node's ES module facades have made values of its getters). */
const builtinValues = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '-e',
      `const out = {};
      for (const name of require('node:module').builtinModules) {
        try {
          const d = Object.getOwnPropertyDescriptors(require('node:' + name));
          out[name] = Object.keys(d).filter((k) => 'value' in d[k] && k !== 'default' && /^[A-Za-z_$][\\w$]*$/.test(k));
        } catch {}
      }
      process.stdout.write(JSON.stringify(out));`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 },
  ),
);

/**
 * The module that stands for a built-in, require()d at run time. For an import statement, an ES
 * module: the built-in as its default export and, as named exports, the values of its own
 * properties (not getters: fs.promises loads a dozen modules when read), so that esbuild links each
 * import straight to them. As a CommonJS module, every module importing it would get a copy of all
 * its properties when it starts (esbuild's __toESM: node:fs ten times at --plain's start). A
 * require() or an import() (and react-devtools-core, not there to look at) gets the CommonJS
 * module: what require() returns is the built-in itself.
 * @param {string} name
 * @param {boolean} esm
 */
function runTimeModule(name, esm) {
  const require = `require(${JSON.stringify(name)})`;
  if (!esm) return `module.exports = ${require};`;
  const values = builtinValues[name.replace(/^node:/, '')];
  const local = (i) => `v${i}`;
  return [
    `const m = ${require};`,
    'export default m;',
    ...values.map((key, i) => `const ${local(i)} = m.${key};`),
    `export { ${values.map((key, i) => `${local(i)} as ${key}`).join(', ')} };`,
  ].join('\n');
}

/**
 * @param {boolean} plain: main.ts's import of the TUI (./tui.js) is left out of the bundle: that
 *   bundle runs only where main.ts takes the --plain way, which never imports it.
 * @returns {import('esbuild').Plugin}
 */
const plugin = (plain) => ({
  name: 'systrace-tui',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (plain && args.path === './tui.js' && args.importer === path.join(root, 'dist', 'src', 'main.js')) return { path: 'tui', namespace: 'no-tui' };
      if (atRunTime.has(args.path)) {
        // A module of its own that require()s it (an import of it would stay an import).
        if (args.namespace.startsWith('run-time')) return { path: args.path, external: true };
        const esm = args.kind === 'import-statement' && builtinValues[args.path.replace(/^node:/, '')] !== undefined;
        return { path: args.path, namespace: esm ? 'run-time-esm' : 'run-time' };
      }
      // The addon: required where it is, from the bundle's directory.
      if (args.path.endsWith('.node')) return { path: path.relative(outDir, path.resolve(args.resolveDir, args.path)), external: true };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'no-tui' }, () => ({
      contents: "export function startTui() { throw new Error('the TUI is not in the --plain bundle (cli.cjs chose it)'); }",
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'run-time' }, (args) => ({ contents: runTimeModule(args.path, false), loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'run-time-esm' }, (args) => ({ contents: runTimeModule(args.path, true), loader: 'js' }));
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      let text = await fs.promises.readFile(args.path, 'utf8');
      const dependency = args.path.includes('/node_modules/');
      if (dependency && text.includes('process.env.NODE_ENV')) text = text.replace(/process\.env\.NODE_ENV/g, '"production"');
      else if (!text.includes('import.meta')) return undefined;
      const url = `__systraceUrl(${JSON.stringify(path.relative(root, args.path))})`;
      const contents = text
        .replace(/const require = createRequire\(import\.meta\.url\);/g, '')
        .replace(/createRequire\(import\.meta\.url\)\(/g, 'require(')
        .replace(/import\.meta\.url/g, url);
      if (contents.includes('import.meta')) throw new Error(`${args.path}: import.meta used otherwise than as import.meta.url`);
      return { contents, loader: 'js' };
    });
  },
});

for (const [kind, out] of Object.entries(outs)) {
  const result = await build({
    entryPoints: [path.join(root, 'dist', 'src', 'main.js')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    plugins: [plugin(kind === 'plain')],
    banner: { js: '(async function (require, __systraceRoot) {\nconst __systraceUrl = (file) => new URL(file, __systraceRoot).href;' },
    footer: { js: '})' },
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    write: false,
  });
  if (result.errors.length) process.exit(1);
  // A property of a built-in that its ES module stand-in does not export (a getter) would be undefined.
  if (result.warnings.some((w) => w.text.includes('will always be undefined'))) process.exit(1);
  // ASCII only (esbuild leaves a few characters in comments and regular expressions): cli.cjs reads it
  // as latin1, which costs a copy, where UTF-8 would be decoded into a string twice the size.
  const text = result.outputFiles[0].text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Put in place whole: a command starting meanwhile reads the old bundle or the new one.
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(`${out}.${process.pid}`, text);
  fs.renameSync(`${out}.${process.pid}`, out);
}
