// The prober's child (see probe.ts): reads one JSON request per line, calls the named function of
// one of our modules, answers with one JSON line. One request at a time, in order. Exits when its
// parent closes the pipe.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Modules are named relative to dist/src; tests may name their own under dist/test (`../test/...`).
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.dirname(SRC);

interface Request {
  id: number;
  module: string;
  fn: string;
  args: unknown[];
}

async function handle(req: Request): Promise<unknown> {
  const file = path.resolve(SRC, req.module);
  if (!file.startsWith(DIST + path.sep) || !file.endsWith('.js')) throw new Error(`not one of our modules: ${req.module}`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = mod[req.fn];
  if (typeof fn !== 'function') throw new Error(`${req.module} has no function ${req.fn}`);
  // The check's deadline runs from here: booting and loading took what they took.
  process.stdout.write(JSON.stringify({ id: req.id, started: true }) + '\n');
  return await (fn as (...a: unknown[]) => unknown)(...req.args);
}

const queue: Request[] = [];
let busy = false;

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const req = queue.shift()!;
    let reply: object;
    try {
      reply = { id: req.id, ok: true, value: await handle(req) };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      reply = { id: req.id, ok: false, error: e.message ?? String(err), code: e.code ?? '' };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
  busy = false;
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  try {
    queue.push(JSON.parse(line) as Request);
  } catch {
    return;
  }
  void drain();
});
rl.on('close', () => process.exit(0));
