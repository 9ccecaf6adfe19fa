// --plain --findings: the trace's records go to the analysis as they come (the lines themselves
// are still written by the engine), and the report goes to stderr once the trace ends or we
// detach. Evidence checks still running then get a short while to answer. With --load, the log's
// records go to the same analysis, without live evidence (it says so).
import { Analyzer, LOG_NO_EVIDENCE } from '../analysis/analyzer.js';
import { LiveEvidence } from '../analysis/live/evidence.js';
import { renderFindings } from '../analysis/report.js';
import type { TraceSession } from '../engine/session.js';
import type { LogItem } from '../log/assemble.js';
import type { CliOptions } from './options.js';

/**
 * The most the report waits for evidence still being gathered. Each check has its own deadline
 * (probe.ts), so this only bounds the pathological case.
 */
const SETTLE_MS = 60_000;

export class PlainFindings {
  private readonly analyzer: Analyzer;
  private seq = 0;

  constructor(private readonly session: TraceSession, o: CliOptions) {
    const partial = o.traced || o.paths.length ? 'only the calls selected by -e trace= / -P were traced, so findings rest on those alone' : '';
    this.analyzer = new Analyzer({ evidence: new LiveEvidence(), partial });
  }

  /** Takes what the engine buffered. */
  poll(): void {
    for (;;) {
      const b = this.session.drainBatch(16384);
      const n = b.count + b.others.length;
      if (!n) return;
      this.analyzer.feedBatch(b, this.seq);
      this.seq += n;
      if (n < 16384) return;
    }
  }

  /** The report, once the trace is over or we detached (poll() first: a detached engine has nothing left to give). */
  async report(): Promise<string> {
    this.analyzer.finish();
    await Promise.race([this.analyzer.settled(), new Promise((r) => setTimeout(r, SETTLE_MS).unref())]);
    return renderFindings(this.analyzer);
  }
}

/** --plain --load --findings: the analysis of a strace log, from its calls alone. */
export class LogFindings {
  private readonly analyzer: Analyzer;
  private seq = 0;

  constructor(o: CliOptions) {
    this.analyzer = new Analyzer({
      evidence: null,
      noEvidenceReason: LOG_NO_EVIDENCE,
      partial: o.traced || o.paths.length ? 'only the calls selected by -e trace= / -P were analysed' : '',
    });
  }

  /** One step of the log: its calls, signals and exits (forks are read from the calls themselves). */
  item(item: LogItem): void {
    if (item.kind === 'call' || item.kind === 'event') this.analyzer.feed(item.event, this.seq++);
  }

  report(): string {
    this.analyzer.finish();
    return renderFindings(this.analyzer);
  }
}
