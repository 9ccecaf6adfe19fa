// Many threads: a list beside the focused pane, with what each thread is doing now.
import { Box, Text } from 'ink';
import { paneTids, type TraceStore } from './store.js';
import { useTraceState } from './use-trace-state.js';

export function ThreadList({ store, width, height }: { store: TraceStore; width: number; height: number }) {
  useTraceState(store, (s) => s.version);
  const focusTid = useTraceState(store, (s) => s.focusTid);
  const s = store.getState();
  const tids = paneTids(s);
  const byTid = new Map(s.threads.map((t) => [t.tid, t]));
  const rows = Math.max(1, height - 1);
  const fi = Math.max(0, tids.indexOf(focusTid));
  const top = Math.max(0, Math.min(fi - Math.floor(rows / 2), tids.length - rows));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold dimColor wrap="truncate">
        {` threads (${tids.length})`.padEnd(width)}
      </Text>
      {tids.slice(top, top + rows).map((tid, i) => {
        const info = s.history.threads.get(tid);
        const t = byTid.get(tid);
        const what = info?.exited ? 'exited' : t?.inSyscall ? t.entryText.replace(/\(.*$/, '') : '';
        const n = top + i + 1;
        const label = `${n <= 9 ? n : ' '} ${String(tid).padStart(7)} ${what}`;
        return (
          <Text key={tid} wrap="truncate" inverse={tid === focusTid} dimColor={info?.exited}>
            {label.padEnd(width).slice(0, width)}
          </Text>
        );
      })}
    </Box>
  );
}
