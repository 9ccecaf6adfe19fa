// TraceBatch <-> TraceEvent[]: the column form of drained events and the object form, each made
// from the other. The engine makes batches itself (native drainBatch); these are for whatever
// holds events as objects (test stand-ins, a loaded log) and for tests comparing the two forms.
import { BatchFlag, type OtherEvent, type SyscallEvent, type TraceBatch, type TraceEvent } from './types.js';

const ARGS = 6;

/** The events of a batch as drain() would have returned them, in order. */
export function eventsFromBatch(b: TraceBatch): TraceEvent[] {
  const out: TraceEvent[] = [];
  let k = 0;
  for (let j = 0; j <= b.count; j++) {
    while (k < b.others.length && b.order[k] === j) out.push(b.others[k++]);
    if (j === b.count) break;
    const f = b.flags[j];
    const ev: SyscallEvent = {
      kind: 'syscall',
      pid: b.pid[j],
      tid: b.tid[j],
      nr: b.nr[j],
      name: b.syscallName(b.nr[j]),
      classes: b.classes[j],
      text: b.texts[j],
      rval: b.rval[j],
      errno: b.err[j] ? b.errnoName(b.err[j]) : '',
      entryNs: b.entryNs[j],
      exitNs: b.exitNs[j],
      wallUs: b.wallUs[j],
      args: f & BatchFlag.args ? Array.from(b.args.subarray(j * ARGS, j * ARGS + ARGS)) : [],
      unfinished: (f & BatchFlag.unfinished) !== 0,
    };
    out.push(ev);
  }
  return out;
}

/**
 * A batch holding these events. Names come from the events themselves, so within one batch a
 * syscall number must always carry the same name (it does for the engine's; a stand-in that
 * breaks this is told so). Errno names get numbers of their own (only the name means anything).
 */
export function batchFromEvents(events: readonly TraceEvent[]): TraceBatch {
  const calls = events.filter((e): e is SyscallEvent => e.kind === 'syscall');
  const n = calls.length;
  const names = new Map<number, string>();
  const errnos = [''];
  const errnoIds = new Map<string, number>([['', 0]]);
  const b: TraceBatch = {
    count: n,
    pid: new Int32Array(n),
    tid: new Int32Array(n),
    nr: new Int32Array(n),
    classes: new Uint32Array(n),
    rval: new Float64Array(n),
    err: new Int32Array(n),
    entryNs: new Float64Array(n),
    exitNs: new Float64Array(n),
    wallUs: new Float64Array(n),
    flags: new Uint8Array(n),
    args: new BigUint64Array(n * ARGS),
    texts: [],
    others: [],
    order: new Uint32Array(events.length - n),
    syscallName: (nr) => names.get(nr) ?? `syscall_0x${BigInt.asUintN(64, BigInt(nr)).toString(16)}`,
    errnoName: (err) => errnos[err] ?? '',
  };
  let j = 0;
  for (const ev of events) {
    if (ev.kind !== 'syscall') {
      b.order[b.others.length] = j;
      b.others.push(ev as OtherEvent);
      continue;
    }
    const known = names.get(ev.nr);
    if (known !== undefined && known !== ev.name) {
      throw new Error(`batchFromEvents: syscall ${ev.nr} is both ${known} and ${ev.name}`);
    }
    names.set(ev.nr, ev.name);
    let err = errnoIds.get(ev.errno);
    if (err === undefined) {
      err = errnos.length;
      errnos.push(ev.errno);
      errnoIds.set(ev.errno, err);
    }
    b.pid[j] = ev.pid;
    b.tid[j] = ev.tid;
    b.nr[j] = ev.nr;
    b.classes[j] = ev.classes;
    b.rval[j] = ev.rval;
    b.err[j] = err;
    b.entryNs[j] = ev.entryNs;
    b.exitNs[j] = ev.exitNs;
    b.wallUs[j] = ev.wallUs;
    const hasArgs = ev.args.length > 0;
    b.flags[j] = (ev.unfinished ? BatchFlag.unfinished : 0) | (hasArgs ? BatchFlag.args : 0);
    if (hasArgs) for (let a = 0; a < ARGS; a++) b.args[j * ARGS + a] = ev.args[a] ?? 0n;
    b.texts.push(ev.text);
    j++;
  }
  return b;
}
