/**
 * What an attach refusal adds when systrace-tui itself runs confined, in a pid namespace of its own
 * or a container: the machine the tests run on decides that (tools/loaded-test makes a pid
 * namespace; CI may run in a container), so the tests accept the message with or without it.
 */
export const OWN_PID_NS_HINT = '(?:; we run in a pid namespace of our own \\(.+\\): give the pid as ps shows it here, or run systrace-tui on the host)?';
export const CONTAINER_HINT = '(?: \\(we run in a container: .+\\))?';

/**
 * What --plain says of a -p that does not exist: strace's own line, or (confined in a pid namespace
 * of our own) our line saying so, since that is what the user needs to know then.
 */
export const plainNoSuchPid = (pid: number | string): RegExp =>
  new RegExp(
    `^systrace-tui: (?:attach: ptrace\\(PTRACE_SEIZE, ${pid}\\): No such process|pid ${pid} does not exist; we run in a pid namespace of our own \\(.+\\): give the pid as ps shows it here, or run systrace-tui on the host)$`,
  );
