// What the analysis produces: findings, each resting on calls of the trace, with the evidence
// gathered for it and the next check in words. Shared by the --plain report and the TUI view.

/** problem: what the user is looking for; note: worth knowing; expected: normal failures, grouped. */
export type Severity = 'problem' | 'note' | 'expected';

/** One call (or other trace line) a finding rests on. */
export interface CallRef {
  /** the row's sequence number in the trace (the TUI's history seq; the order of arrival in --plain) */
  seq: number;
  pid: number;
  tid: number;
  /** the strace line, as printed */
  text: string;
}

/** How far the evidence got. */
export type EvidenceState =
  /** gathered from the live system (as the process sees it) */
  | 'live'
  /** being gathered (a check runs in a child process) */
  | 'pending'
  /** from the trace alone: the process was gone, or the trace is a loaded log */
  | 'trace';

export interface Finding {
  /** stable identity: the same problem seen again adds to this finding */
  key: string;
  /** the runbook entry it comes from (RUNBOOK[kind]) */
  kind: string;
  severity: Severity;
  /** one line: `openat /etc/myapp/app.conf: /etc/myapp does not exist` */
  title: string;
  /** evidence and conclusions, one fact per line */
  facts: string[];
  /** what the pattern means (from the runbook) */
  meaning: string;
  /** the next check, in words, with this finding's path/address filled in */
  check: string;
  /** occurrences folded into this finding */
  count: number;
  /** the calls it rests on: the first few (a finding's count says how many in all) */
  calls: CallRef[];
  /** every seq it rests on, for the TUI's "open the rows" (bounded; see MAX_SEQS) */
  seqs: number[];
  pids: number[];
  evidence: EvidenceState;
  /** order of first appearance */
  order: number;
}

/** A finding's calls shown at most; seqs kept at most. */
export const MAX_CALLS = 4;
export const MAX_SEQS = 2000;

/** What the analysis adds to one row: how a non-blocking connect ended. */
export interface RowNote {
  /** a word or two for the row itself: `refused`, `connected` */
  short: string;
  /** the whole story, for the row details and the report */
  long: string;
}
