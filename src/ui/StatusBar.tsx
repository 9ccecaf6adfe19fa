// The line above the keys: what is traced, how fast, how much, what is lost, what is filtered,
// and any state the user must not miss (display frozen, tracees stopped, trace over).
import { Box, Text } from 'ink';
import { formWords } from './display-options.js';
import { describeFilter } from './filter.js';
import type { ThreadState } from '../engine/types.js';
import { heldRows, type TraceStore } from './store.js';
import { useTraceState } from './use-trace-state.js';

/** The tracees' wait for the screen is said (and the line turns yellow) from this long on. */
const STALL_SHOWN_MS = 100;

const num = (n: number) => Math.round(n).toLocaleString('en-US');

/** `2 problems, 1 note` for the findings count (! opens them). */
function findingsWords(problems: number, notes: number): string {
  const parts: string[] = [];
  if (problems) parts.push(`${problems} problem${problems > 1 ? 's' : ''}`);
  if (notes) parts.push(`${notes} note${notes > 1 ? 's' : ''}`);
  return parts.join(', ');
}

/** A thread in the wait of a vfork (vfork, or clone with CLONE_VFORK): it returns once its child execs or exits. */
const inVforkWait = (t: ThreadState) => t.inSyscall && (t.name === 'vfork' || ((t.name === 'clone' || t.name === 'clone3') && t.entryText.includes('CLONE_VFORK')));

/**
 * What P did, for the status bar. P asks every thread to stop; one in D state (a hung mount)
 * stops only when its call returns. A vfork parent stops once its child execs or exits, and that
 * child is stopped too: it is as stopped as the others, and said to be.
 */
export function pauseText(threads: readonly ThreadState[]): string {
  const running = threads.filter((t) => !t.paused && !t.groupStopped);
  const vfork = running.filter(inVforkWait).length;
  const notStopped = running.length - vfork;
  if (notStopped) return ` STOPPING: ${notStopped} of ${threads.length} threads not stopped yet (one in D state stops when its call returns; P resumes) `;
  const parents = vfork === 1 ? 'a vfork parent waits for its stopped child' : `${vfork} vfork parents wait for their stopped children`;
  return vfork ? ` STOPPED: every traced thread is stopped (${parents}; P resumes) ` : ' STOPPED: every traced thread is stopped (P resumes) ';
}

export function StatusBar({ store, width }: { store: TraceStore; width: number }) {
  const stats = useTraceState(store, (s) => s.stats);
  const rate = useTraceState(store, (s) => s.rate);
  const filter = useTraceState(store, (s) => s.filter);
  const held = useTraceState(store, heldRows);
  const frozen = useTraceState(store, (s) => s.frozenAt !== null);
  const stopped = useTraceState(store, (s) => s.enginePaused);
  const pause = useTraceState(store, (s) => (s.enginePaused ? pauseText(s.threads) : ''));
  const done = useTraceState(store, (s) => s.done);
  const message = useTraceState(store, (s) => s.message);
  const source = useTraceState(store, (s) => s.source);
  const findings = useTraceState(store, (s) => s.findings);
  const display = useTraceState(store, (s) => s.display);
  const f = describeFilter(filter);
  const flags: { text: string; color: string }[] = [];
  if (stopped) flags.push({ text: pause, color: 'red' });
  if (frozen) flags.push({ text: ` FROZEN: ${num(held)} new rows not shown (Space) `, color: 'yellow' });
  let base: string;
  if (source.kind === 'log') {
    // A log: which, how far read, how much; what could not be read comes first.
    if (!done) flags.push({ text: ` LOADING ${source.totalBytes ? Math.floor((100 * source.bytesRead) / source.totalBytes) : 0}% `, color: 'yellow' });
    // In short, to leave room for the counts; the lines in full are printed when the screen closes.
    const problems: string[] = [];
    if (source.skipped) problems.push(`${num(source.skipped)} line${source.skipped > 1 ? 's' : ''} skipped`);
    if (source.cut) problems.push(source.cut > 1 ? `${source.cut} files' last lines cut` : 'last line cut');
    if (problems.length) flags.push({ text: ` ${problems.join(', ')}: listed on exit `, color: 'red' });
    const first = source.files[0]?.replace(/^.*\//, '') ?? '';
    const name = source.files.length > 1 ? `${first} +${source.files.length - 1}` : first;
    base = ` log ${name} │ ${num(source.lines)} lines │ ${stats.processes} proc ${stats.threads} thr │ ${num(stats.total)} rows │ filter: ${f || 'none'} `;
  } else {
    if (done) flags.push({ text: ' trace over: no traced thread left (q quits) ', color: 'magenta' });
    // How long the tracees waited for the screen (the engine's buffer was full), once it is worth
    // saying: a 0.0 there would only take the filter's room on a narrow terminal.
    const stalled = stats.heldMs >= STALL_SHOWN_MS ? `stalled ${(stats.heldMs / 1000).toFixed(1)}s │ ` : '';
    // -y/-yy and -s as the rows are drawn (`-y`, `-s` change them: display-options.ts).
    base = ` ${stats.processes} proc ${stats.threads} thr │ ${num(rate)} ev/s │ total ${num(stats.total)} │ ${stalled}${formWords(display)} │ filter: ${f || 'none'} `;
  }
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        {flags.map((fl, i) => (
          <Text key={i} inverse bold color={fl.color}>
            {fl.text}
          </Text>
        ))}
        {message ? <Text color="yellow" bold>{` ${message} │`}</Text> : null}
        {findings.problem + findings.note ? (
          <Text color={findings.problem ? 'red' : 'yellow'} bold>
            {` ! ${findingsWords(findings.problem, findings.note)} │`}
          </Text>
        ) : null}
        {/* The tracees waited for the screen (the engine's buffer was full): the trace slowed them. */}
        <Text color={stats.heldMs >= STALL_SHOWN_MS ? 'yellow' : undefined}>{base}</Text>
      </Text>
    </Box>
  );
}
