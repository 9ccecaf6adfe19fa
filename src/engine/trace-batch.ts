// TraceBatch <-> TraceEvent[]: the column form of drained events and the object form, each made
// from the other. The engine makes batches itself (native drainBatch); these are for whatever
// holds events as objects (test stand-ins, a loaded log) and for tests comparing the two forms.
import { BatchFlag, type SyscallEvent, type TraceBatch, type TraceEvent } from './types.js';

const ARGS = 6;

/** Row j of a batch as the syscall event it was drained from (its -k stack aside). */
export function syscallEventOfRow(b: TraceBatch, j: number): SyscallEvent {
  const f = b.flags[j];
  return {
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
}

/** The events of a batch as drain() would have returned them, in order. */
export function eventsFromBatch(b: TraceBatch): TraceEvent[] {
  const out: TraceEvent[] = [];
  const stacks = new Map(b.stacks ?? []);
  let k = 0;
  for (let j = 0; j <= b.count; j++) {
    while (k < b.others.length && b.order[k] === j) out.push(b.others[k++]);
    if (j === b.count) break;
    const ev = syscallEventOfRow(b, j);
    const stack = stacks.get(j);
    if (stack !== undefined) ev.stack = stack;
    out.push(ev);
  }
  return out;
}

/**
 * Builds a batch one event at a time, for a producer of event objects that should not keep them
 * (a loaded log: each object dies as soon as its row is in the columns). Names come from the events
 * themselves, so within one batch a syscall number must always carry the same name (it does for
 * the engine's; a stand-in that breaks this is told so). Errno names get numbers of their own (only
 * the name means anything). `withArgs` false: the events carry no raw arguments (no room is made).
 */
export class BatchBuilder {
  private readonly names = new Map<number, string>();
  private readonly errnos = [''];
  private readonly errnoIds = new Map<string, number>([['', 0]]);
  private readonly b: TraceBatch;
  private readonly order: number[] = [];
  private n = 0;

  constructor(
    private readonly capacity: number,
    private readonly withArgs = true,
  ) {
    const names = this.names;
    const errnos = this.errnos;
    this.b = {
      count: 0,
      pid: new Int32Array(capacity),
      tid: new Int32Array(capacity),
      nr: new Int32Array(capacity),
      classes: new Uint32Array(capacity),
      rval: new Float64Array(capacity),
      err: new Int32Array(capacity),
      entryNs: new Float64Array(capacity),
      exitNs: new Float64Array(capacity),
      wallUs: new Float64Array(capacity),
      flags: new Uint8Array(capacity),
      args: new BigUint64Array(withArgs ? capacity * ARGS : 0),
      texts: [],
      stacks: [],
      others: [],
      order: new Uint32Array(0),
      syscallName: (nr) => names.get(nr) ?? `syscall_0x${BigInt.asUintN(64, BigInt(nr)).toString(16)}`,
      errnoName: (err) => errnos[err] ?? '',
    };
  }

  /** Rows so far (system calls and other events). */
  get size(): number {
    return this.n + this.b.others.length;
  }

  push(ev: TraceEvent): void {
    const b = this.b;
    if (ev.kind !== 'syscall') {
      this.order.push(this.n);
      b.others.push(ev);
      return;
    }
    const j = this.n;
    if (j >= this.capacity) throw new Error(`BatchBuilder: more than ${this.capacity} system calls`);
    const known = this.names.get(ev.nr);
    if (known !== undefined && known !== ev.name) throw new Error(`batchFromEvents: syscall ${ev.nr} is both ${known} and ${ev.name}`);
    if (known === undefined) this.names.set(ev.nr, ev.name);
    let err = this.errnoIds.get(ev.errno);
    if (err === undefined) {
      err = this.errnos.length;
      this.errnos.push(ev.errno);
      this.errnoIds.set(ev.errno, err);
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
    const hasArgs = this.withArgs && ev.args.length > 0;
    b.flags[j] = (ev.unfinished ? BatchFlag.unfinished : 0) | (hasArgs ? BatchFlag.args : 0);
    if (hasArgs) for (let a = 0; a < ARGS; a++) b.args[j * ARGS + a] = ev.args[a] ?? 0n;
    b.texts.push(ev.text);
    if (ev.stack !== undefined) b.stacks!.push([j, ev.stack]);
    this.n++;
  }

  /** The batch of what was pushed (columns cut to its rows). The builder is spent. */
  finish(): TraceBatch {
    const b = this.b;
    const n = this.n;
    return {
      ...b,
      count: n,
      pid: b.pid.subarray(0, n),
      tid: b.tid.subarray(0, n),
      nr: b.nr.subarray(0, n),
      classes: b.classes.subarray(0, n),
      rval: b.rval.subarray(0, n),
      err: b.err.subarray(0, n),
      entryNs: b.entryNs.subarray(0, n),
      exitNs: b.exitNs.subarray(0, n),
      wallUs: b.wallUs.subarray(0, n),
      flags: b.flags.subarray(0, n),
      args: this.withArgs ? b.args.subarray(0, n * ARGS) : b.args,
      order: Uint32Array.from(this.order),
    };
  }
}

/** A batch holding these events (see BatchBuilder). */
export function batchFromEvents(events: readonly TraceEvent[]): TraceBatch {
  let calls = 0;
  let withArgs = false;
  for (const e of events) {
    if (e.kind !== 'syscall') continue;
    calls++;
    if (e.args.length) withArgs = true;
  }
  const builder = new BatchBuilder(calls, withArgs);
  for (const e of events) builder.push(e);
  return builder.finish();
}
