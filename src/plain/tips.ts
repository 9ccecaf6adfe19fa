// --tips: a tip about tracing, printed on stderr when the trace ends, in a box as strace 6.1 frames
// its own. The tips are ours; --tips=id:N picks one (N modulo their count), random by default.

const TIPS: string[] = [
  'Use -f to follow the threads and children a process starts; -ff -o FILE writes one file per process, FILE.PID.',
  'Fault injection tests error paths without changing the program: -e fault=openat:error=ENOENT:when=3+ fails every openat from the third on.',
  '-e inject=read:delay_enter=200ms makes every read slow, to see how a program copes with a slow disk or network.',
  '-y prints the path behind each descriptor, -yy the socket endpoints and device numbers too.',
  '-T shows the time spent in each call, -r the time since the previous line: a slow call stands out at once.',
  '-c counts calls, errors and time instead of printing them; -C prints both, -w counts wall-clock time.',
  '-e trace=%file, %network, %process, %signal, %desc and %memory pick whole classes of calls.',
  '-P PATH keeps only the calls that touch PATH, by name or through a descriptor opened on it.',
  '-k prints the stack of each call: which function of the program made it.',
  '-e status=failed (or -Z) shows only the calls that failed: often the fastest way to the cause of an error.',
  'systrace-tui --inspect PID tells, for every thread of a hung process, what it waits for and since when.',
  '-X verbose prints each constant as its number and its name; -X raw only the number.',
];

const WIDTH = 44;

function wrap(text: string): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > WIDTH) {
      lines.push(cur);
      cur = word;
    } else {
      cur = cur ? `${cur} ${word}` : word;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

/** The box for tip `id` (undefined: a random one). */
export function formatTip(id: number | undefined): string {
  const n = id === undefined ? Math.floor(Math.random() * TIPS.length) : id % TIPS.length;
  const out = [`  ${'_'.repeat(WIDTH + 2)}`, ` /${' '.repeat(WIDTH + 2)}\\`];
  for (const line of wrap(TIPS[n])) out.push(` | ${line.padEnd(WIDTH)} |`);
  out.push(` \\${'_'.repeat(WIDTH + 2)}/`);
  return out.join('\n') + '\n';
}
