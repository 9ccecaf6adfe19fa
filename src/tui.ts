// Glue between the command line and the TUI: how the TUI opens traces (attach or launch, with the
// command's output kept out of the screen) and where the inspector comes from.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createElement } from 'react';

import { formatCallFromProc } from './engine/format-call.js';
import { TraceSession, type SessionOptions } from './engine/session.js';
import { LogSource } from './log/source.js';
import type { Tracer } from './engine/types.js';
import type { CliOptions } from './plain/options.js';
import { InspectView } from './ui/inspect/InspectView.js';
import { runTui } from './ui/run-tui.js';

export async function startTui(o: CliOptions, commandEnv: NodeJS.ProcessEnv = process.env): Promise<void> {
  const sessionOptions: SessionOptions = {
    followForks: true,
    bufferCap: 200_000,
    // Rows are what strace prints with the same options (so -y/-yy, -s, -x, -v, -e trace= apply
    // here too); counting is always on for the live -c table (c), in wall-clock time (-w): the
    // system time strace -c shows costs a kernel rusage walk at every stop.
    // --redact: the engine prints strings as their length at the source, so the screen and what w
    // writes never hold them.
    native: { records: true, text: false, count: true, wallTime: true, strsize: o.strsize, xflag: o.xflag, yflag: o.yflag, verbose: o.verbose, traced: o.traced, redact: o.redact },
  };
  const logs: string[] = [];
  const openTracer = (req: { pid: number } | { argv: string[] }): Tracer => {
    if ('pid' in req) return TraceSession.attach([req.pid], sessionOptions);
    // A launched command must not write over the screen: its output goes to a log file.
    // A name nobody else holds ('wx'): /tmp is shared with other pid namespaces, where our pid is not unique.
    const log = path.join(os.tmpdir(), `systrace-tui.${process.pid}.${logs.length + 1}.${randomBytes(3).toString('hex')}.log`);
    const out = fs.openSync(log, 'wx', 0o600);
    const devnull = fs.openSync('/dev/null', 'r');
    try {
      const session = TraceSession.launch(req.argv, sessionOptions, { stdio: [devnull, out, out], env: commandEnv });
      logs.push(log);
      return session;
    } finally {
      fs.closeSync(out);
      fs.closeSync(devnull);
    }
  };
  let target: Parameters<typeof runTui>[0]['target'] = { kind: 'picker' };
  if (o.pids.length) target = { kind: 'tracer', tracer: openTracer({ pid: o.pids[0] }), title: `pid ${o.pids[0]}` };
  else if (o.command.length) target = { kind: 'tracer', tracer: openTracer({ argv: o.command }), title: o.command.join(' ') };
  if (o.inspect.length) target = { kind: 'inspect', pid: o.inspect[0] };
  if (o.load.length) {
    // Opening reads the first lines: a file that is not a log fails here, before the screen.
    const source = LogSource.open(o.load, { redact: o.redact });
    const name = path.basename(o.load[0]);
    target = { kind: 'log', source, title: o.load.length > 1 ? `${name} +${o.load.length - 1}` : name };
  }
  await runTui({
    target,
    openTracer,
    historyCap: o.historyCap,
    exportJson: o.json,
    // --redact: no inspector, which shows the process's files and sockets as they are.
    renderInspect: o.redact
      ? undefined
      : (props) => createElement(InspectView, { ...props, tracer: props.tracer ?? undefined, thresholdMs: o.thresholdMs, formatCall: formatCallFromProc }),
  });
  for (const log of logs) process.stderr.write(`systrace-tui: the traced command's output is in ${log}\n`);
}
