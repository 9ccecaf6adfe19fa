// The strace decoder applied to a call read from /proc/PID/task/TID/syscall: what the inspector
// prints for a thread blocked in a call we did not see enter.
import { native } from './native.js';

export function formatCallFromProc(pid: number, tid: number, nr: number, args: bigint[]): string {
  try {
    return native().formatCall(pid, tid, nr, args, { yflag: 1, strsize: 32 });
  } catch {
    return `syscall_${nr}(...)`;
  }
}
