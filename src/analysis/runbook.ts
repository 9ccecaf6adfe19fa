// The syscall-debugging runbook as data: for each pattern a trace can show, what it means and what
// to check next, and the failures that are normal (grouped as expected, never shown as problems).
// Detectors (detect-*.ts) recognise the patterns and gather the evidence; the words live here.
import type { Severity } from './types.js';

export interface RunbookEntry {
  severity: Severity;
  /** the strace pattern, in words */
  pattern: string;
  meaning: string;
  /** the next check; {path} {dir} {addr} {port} {pid} {fd} {name} {mount} are filled in */
  check: string;
}

export const RUNBOOK = {
  'path-denied': {
    severity: 'problem',
    pattern: 'a call on a path fails with EACCES',
    meaning: 'the kernel refused access on the way to the file or on the file itself',
    check: 'namei -l {path}; getfacl {dir}; findmnt -T {path}',
  },
  'path-eperm': {
    severity: 'problem',
    pattern: 'a call on a path fails with EPERM',
    meaning: 'not a mode-bit refusal: an immutable or append-only flag, a sticky directory, a missing capability, or a policy (seccomp, LSM)',
    check: 'lsattr -d {path}; ls -ld {dir}; grep -E "Cap|Seccomp" /proc/{pid}/status',
  },
  'path-rofs': {
    severity: 'problem',
    pattern: 'a write on a path fails with EROFS',
    meaning: 'the file system is mounted read-only where the process sees it',
    check: 'findmnt -T {path}; mount -o remount,rw {mount} (if it should be writable)',
  },
  'path-missing': {
    severity: 'problem',
    pattern: 'a call on a path fails with ENOENT',
    meaning: 'a component of the path does not exist where the process looks (its root, its cwd, its mount namespace)',
    check: 'namei {path}; ls -la {dir}; nsenter -t {pid} -m ls -la {dir} (if in another mount namespace)',
  },
  'search-not-found': {
    severity: 'problem',
    pattern: 'the same file name tried in several directories, found in none',
    meaning: 'a search path (library path, PATH, an interpreter\'s module path) does not contain the file',
    check: 'find / -xdev -name {name} 2>/dev/null; check LD_LIBRARY_PATH / PATH / the interpreter\'s path settings',
  },
  'not-permitted': {
    severity: 'problem',
    pattern: 'a privileged call fails with EPERM or EACCES',
    meaning: 'the operation needs a capability (or ownership) the process does not have, or a policy forbids it',
    check: 'grep Cap /proc/{pid}/status | capsh --decode=...; getpcaps {pid}',
  },
  'connect-refused': {
    severity: 'problem',
    pattern: 'connect fails with ECONNREFUSED',
    meaning: 'nothing accepts connections at that address: no listener (or a firewall answering with a reset)',
    check: 'ss -ltnp \'sport = :{port}\' (in the process\'s network namespace: nsenter -t {pid} -n ss -ltnp)',
  },
  'connect-refused-unix': {
    severity: 'problem',
    pattern: 'connect to a unix socket path fails with ECONNREFUSED',
    meaning: 'no process listens on that socket file: a server that is gone (its file left behind), not running, or bound and not listening yet',
    check: 'ss -xlp src {path}; ls -l {path}; fuser -v {path}',
  },
  'connect-unreachable': {
    severity: 'problem',
    pattern: 'connect fails with ETIMEDOUT, EHOSTUNREACH or ENETUNREACH',
    meaning: 'the peer did not answer (timeout), or there is no usable route to it',
    check: 'ip route get {addr} (in the process\'s network namespace); ping / traceroute {addr}',
  },
  'connect-failed': {
    severity: 'problem',
    pattern: 'a non-blocking connect (EINPROGRESS, then poll/select/epoll, then getsockopt SO_ERROR) ends in an error',
    meaning: 'the connection attempt failed after it was started; SO_ERROR says why',
    check: 'ss -tn dst {addr}; nc -vz {addr} {port}',
  },
  'bind-in-use': {
    severity: 'problem',
    pattern: 'bind fails with EADDRINUSE',
    meaning: 'another socket already holds that address and port',
    check: 'ss -ltnup \'sport = :{port}\'',
  },
  'fd-limit': {
    severity: 'problem',
    pattern: 'a call that makes a descriptor fails with EMFILE',
    meaning: 'the process reached its open-files limit (RLIMIT_NOFILE)',
    check: 'grep "open files" /proc/{pid}/limits; ls /proc/{pid}/fd | wc -l; ulimit -n / LimitNOFILE=',
  },
  'file-table-full': {
    severity: 'problem',
    pattern: 'a call that makes a descriptor fails with ENFILE',
    meaning: 'the system-wide file table is full (fs.file-max)',
    check: 'cat /proc/sys/fs/file-nr; sysctl fs.file-max',
  },
  'no-memory': {
    severity: 'problem',
    pattern: 'mmap, brk, clone or another allocation fails with ENOMEM',
    meaning: 'an address-space or data limit, the cgroup\'s memory limit or the commit limit was reached',
    check: 'grep -E "address space|data size" /proc/{pid}/limits; grep -E "Vm(Size|Data)" /proc/{pid}/status; cat /sys/fs/cgroup/.../memory.max',
  },
  'fork-limit': {
    severity: 'problem',
    pattern: 'fork, vfork or clone fails with EAGAIN',
    meaning: 'a process limit was reached: RLIMIT_NPROC for the user, the cgroup\'s pids.max, or the system\'s thread limit',
    check: 'grep processes /proc/{pid}/limits; ps -L -u {uid} | wc -l; cat /sys/fs/cgroup/.../pids.max',
  },
  'fd-leak': {
    severity: 'note',
    pattern: 'descriptors of one kind keep being opened and never closed',
    meaning: 'a descriptor leak: each use opens one and nothing closes it, until EMFILE',
    check: 'ls -l /proc/{pid}/fd | sort -k11 | uniq -c -f10; lsof -p {pid}',
  },
  'peer-closed': {
    severity: 'problem',
    pattern: 'write/send fails with EPIPE (SIGPIPE), or read/recv fails with ECONNRESET',
    meaning: 'the other end closed the connection (or reset it) while this process still wrote to it',
    check: 'the peer\'s logs (ss -tnp dst ADDR for an address)',
  },
  'peer-eof': {
    severity: 'note',
    pattern: 'read/recv returns 0 on a socket',
    meaning: 'end of stream: the peer closed its side of the connection',
    check: 'whether the peer should have closed: its logs, or a trace of it',
  },
  'exit-failure': {
    severity: 'problem',
    pattern: 'a process exits with a non-zero status or is killed by a signal',
    meaning: 'the last failed lookup, failed exec or error message before the exit is usually the cause',
    check: 'run it again with the path/permission fixed; the full stderr text (-s 256 shows more of it)',
  },
  dns: {
    severity: 'note',
    pattern: 'name resolution: nsswitch.conf, hosts, resolv.conf, then queries to a DNS server',
    meaning: 'the resolution path the process took, which server it asked over which socket, and what came back',
    check: 'getent ahosts {name}; cat /etc/resolv.conf; dig @{addr} {name}',
  },
  'dns-failed': {
    severity: 'problem',
    pattern: 'a DNS query that got no answer, or an error answer (NXDOMAIN, SERVFAIL, REFUSED)',
    meaning: 'the name could not be resolved through DNS',
    check: 'dig @{addr} {name}; check the server in /etc/resolv.conf is reachable from the process\'s network namespace',
  },
  slow: {
    severity: 'note',
    pattern: 'calls whose duration stands out',
    meaning: 'where the time goes: grouped by what the calls wait on',
    check: 'strace -T -e trace={name} -p {pid}; for disk waits iostat -x 1; for peers, the peer',
  },
  'fs-full': {
    severity: 'problem',
    pattern: 'a write or create fails with ENOSPC or EDQUOT',
    meaning: 'the file system is out of blocks or inodes, or the user\'s quota is used up',
    check: 'df -h {path}; df -i {path}; quota -u {uid}',
  },
  'io-error': {
    severity: 'problem',
    pattern: 'a call fails with EIO',
    meaning: 'the device or the remote file system reported an I/O error',
    check: 'dmesg | tail; smartctl / the storage or NFS server\'s state',
  },
  'bad-fd': {
    severity: 'problem',
    pattern: 'a call on a descriptor fails with EBADF',
    meaning: 'the descriptor is not open (closed earlier, or never opened): a bug in the program',
    check: 'follow the descriptor back in the trace: where it was opened and closed',
  },
  'other-failure': {
    severity: 'note',
    pattern: 'other failed calls',
    meaning: 'failures no runbook entry explains; the errno says what the kernel objected to',
    check: 'man 2 {name} (ERRORS section)',
  },

  // Expected failures: normal outcomes of normal programs. Grouped, never shown as problems.
  'search-found': {
    severity: 'expected',
    pattern: 'the same file name tried in several directories, then found',
    meaning: 'a search path at work (the dynamic loader, PATH, an interpreter): the misses before the hit are normal',
    check: '',
  },
  isatty: {
    severity: 'expected',
    pattern: 'ioctl(TCGETS/TIOCGWINSZ...) fails with ENOTTY',
    meaning: 'isatty() or a terminal-size query on a pipe or file: the program checks whether it talks to a terminal',
    check: '',
  },
  'nonblocking-eagain': {
    severity: 'expected',
    pattern: 'read/recv/accept/write/send fails with EAGAIN',
    meaning: 'a non-blocking descriptor had nothing ready: an event loop polls it again later',
    check: '',
  },
  'connect-in-progress': {
    severity: 'expected',
    pattern: 'connect fails with EINPROGRESS',
    meaning: 'a non-blocking connect started; its result comes through poll/epoll and SO_ERROR (shown on the connect)',
    check: '',
  },
  'existence-probe': {
    severity: 'expected',
    pattern: 'stat/access/readlink of a path fails with ENOENT',
    meaning: 'the program checks whether an optional file exists',
    check: '',
  },
  'optional-file': {
    severity: 'expected',
    pattern: 'opening a well-known optional file fails with ENOENT',
    meaning: 'files that are absent on most systems (ld.so.preload, gai.conf, locale and gconv data, nscd\'s socket...)',
    check: '',
  },
  'futex-outcome': {
    severity: 'expected',
    pattern: 'futex fails with EAGAIN, ETIMEDOUT or EINTR',
    meaning: 'normal lock and condition-variable outcomes: the value changed, a timed wait expired, a signal arrived',
    check: '',
  },
  interrupted: {
    severity: 'expected',
    pattern: 'a blocking call fails with EINTR or ERESTART*',
    meaning: 'a signal interrupted the call; the kernel or the program restarts it',
    check: '',
  },
  'went-without': {
    severity: 'expected',
    pattern: 'files looked for and not found by a program that went on and exited 0',
    meaning: 'optional files (a user\'s rc file, a cache, a plugin, a config with defaults): the program carried on without them and exited with status 0',
    check: '',
  },
  'probe-failure': {
    severity: 'expected',
    pattern: 'feature and state probes that fail by design',
    meaning: 'readlink on a non-link, lseek on a pipe, getpeername before connect, a missing xattr, mkdir of an existing directory, wait with no children left, a system call the kernel lacks...',
    check: '',
  },
} as const satisfies Record<string, RunbookEntry>;

export type FindingKind = keyof typeof RUNBOOK;

/**
 * Findings that a process's clean exit (status 0, no signal) shows to have been harmless: a file
 * it looked for and did without. When every process they rest on has exited 0 they move to the
 * expected group 'went-without' (a failing exit keeps them, and its finding quotes the last one).
 */
export const WENT_WITHOUT_KINDS: readonly FindingKind[] = ['path-missing', 'search-not-found'];

/** Fills a check template's {placeholders}; unknown ones are left for the user to fill. */
export function fillCheck(template: string, vars: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => {
    const v = vars[k];
    return v === undefined || v === '' ? m.toUpperCase().replace(/[{}]/g, '') : String(v);
  });
}

// ---------------------------------------------------------------- expected failures

export interface ExpectedRule {
  kind: FindingKind;
  /** syscall names it applies to (null: any) */
  calls: readonly string[] | null;
  errnos: readonly string[];
  /** a regex the whole strace line must match, when the call and errno are not enough */
  text?: RegExp;
  /** a regex the call's path argument must match */
  path?: RegExp;
  /** why it is normal, for the grouped line */
  why: string;
}

const READS = ['read', 'readv', 'pread64', 'preadv', 'preadv2', 'recv', 'recvfrom', 'recvmsg', 'recvmmsg'];
const WRITES = ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'send', 'sendto', 'sendmsg', 'sendmmsg'];
const PROBES = ['access', 'faccessat', 'faccessat2', 'stat', 'lstat', 'newfstatat', 'statx', 'readlink', 'readlinkat', 'statfs'];

/** Files whose absence is normal. */
export const OPTIONAL_FILES: readonly { path: RegExp; why: string }[] = [
  // another process's entry under /proc: ps and top read them all, and they come and go
  { path: /^\/proc\/\d+\//, why: 'a process\'s /proc entry: the process exited meanwhile, or this kernel has no such file (ps, top)' },
  { path: /^\/(sys\/fs\/)?selinux$/, why: 'SELinux is not enabled (libselinux looks for its file system)' },
  { path: /\.dylib$/, why: 'a macOS library name: portable code trying it first (there are none on Linux)' },
  { path: /^\/etc\/ld\.so\.preload$/, why: 'no preloaded libraries' },
  { path: /^\/etc\/gai\.conf$/, why: 'getaddrinfo uses its default address order' },
  { path: /^\/etc\/suid-debug$/, why: 'glibc debugging switch, normally absent' },
  { path: /^\/usr\/(lib|share)\/locale\//, why: 'locale data for a language that is not installed' },
  { path: /\/LC_MESSAGES\/[^/]+\.mo$/, why: 'message translations for a language that is not installed' },
  { path: /^\/usr\/lib\/locale\/locale-archive$/, why: 'no compiled locale archive' },
  { path: /\/gconv\/gconv-modules/, why: 'character-set conversion modules' },
  { path: /^\/(var\/)?run\/nscd\/socket$/, why: 'nscd (the name service cache) is not running' },
  { path: /\/terminfo\//, why: 'terminfo search' },
  { path: /^\/etc\/localtime$/, why: 'no local time zone set: UTC is used' },
  { path: /\/\.inputrc$|^\/etc\/inputrc$/, why: 'readline settings' },
  { path: /\/(__pycache__\/[^/]*\.pyc|[^/]*\.pth)$/, why: 'Python\'s cache and path files' },
  { path: /\/([^/]*\._pth|pybuilddir\.txt|pyvenv\.cfg|python\d+\.zip)$/, why: 'Python start-up\'s optional files (a venv, a frozen path, a zipped library)' },
];

export const EXPECTED_FAILURES: readonly ExpectedRule[] = [
  { kind: 'isatty', calls: ['ioctl'], errnos: ['ENOTTY', 'EINVAL'], text: /\b(TCGETS2?|TIOCGWINSZ|TIOCGPGRP|TCSETS\w*|TIOCGPTN|SNDCTL_TMR_TIMEBASE|TCGETA)\b/, why: 'isatty() or a terminal query on a non-terminal' },
  { kind: 'nonblocking-eagain', calls: [...READS, ...WRITES, 'accept', 'accept4'], errnos: ['EAGAIN', 'EWOULDBLOCK'], why: 'non-blocking descriptor not ready' },
  { kind: 'connect-in-progress', calls: ['connect'], errnos: ['EINPROGRESS'], why: 'non-blocking connect started' },
  { kind: 'futex-outcome', calls: ['futex', 'futex_waitv'], errnos: ['EAGAIN', 'ETIMEDOUT', 'EINTR'], why: 'lock/condition-variable outcome' },
  { kind: 'interrupted', calls: null, errnos: ['EINTR', 'ERESTARTSYS', 'ERESTARTNOINTR', 'ERESTARTNOHAND', 'ERESTART_RESTARTBLOCK'], why: 'interrupted by a signal' },
  { kind: 'existence-probe', calls: PROBES, errnos: ['ENOENT', 'ENOTDIR'], why: 'existence check' },
  { kind: 'existence-probe', calls: ['open', 'openat', 'openat2'], errnos: ['ENOENT'], text: /O_DIRECTORY/, why: 'opendir() of a directory that is not there (an optional hooks, plugins or conf.d directory)' },
  { kind: 'probe-failure', calls: ['fcntl', 'fcntl64'], errnos: ['EBADF'], text: /F_GETF[DL]/, why: 'fcntl(fd, F_GETFD): is this descriptor open? (shells check their high descriptors)' },
  { kind: 'probe-failure', calls: ['fcntl', 'fcntl64'], errnos: ['EBADF'], text: /F_SETFD, FD_CLOEXEC/, why: 'fcntl(fd, F_SETFD, FD_CLOEXEC) over descriptors that may not be open (a start-up sweep, as node does)' },
  { kind: 'probe-failure', calls: ['open', 'openat', 'openat2'], errnos: ['ENXIO'], text: /"\/dev\/tty"/, why: 'open("/dev/tty") without a controlling terminal (shells, ssh, getpass: they go on without one)' },
  { kind: 'probe-failure', calls: ['getpeername', 'getsockname', 'getsockopt'], errnos: ['ENOTSOCK'], why: 'is this descriptor a socket? (bash asks of its stdin; sd_is_socket)' },
  { kind: 'probe-failure', calls: null, errnos: ['EACCES', 'EPERM', 'ENOENT', 'ESRCH'], text: /^\w+\((AT_FDCWD, )?"\/proc\/\d+\//, why: 'reading another process\'s /proc entry: it exited, or it is not ours to read (ps, top)' },
  { kind: 'probe-failure', calls: ['readlink', 'readlinkat'], errnos: ['EINVAL'], why: 'readlink on a file that is not a symbolic link (realpath)' },
  { kind: 'probe-failure', calls: ['lseek', '_llseek'], errnos: ['ESPIPE'], why: 'lseek on a pipe or socket (a seekability test)' },
  { kind: 'probe-failure', calls: ['fadvise64', 'fadvise64_64'], errnos: ['ESPIPE'], why: 'posix_fadvise on a pipe or socket: a hint that cannot apply, and is ignored (cat, cp, dd give it to every input)' },
  { kind: 'probe-failure', calls: ['getpeername'], errnos: ['ENOTCONN'], why: 'getpeername on a socket not connected yet' },
  { kind: 'probe-failure', calls: ['getxattr', 'lgetxattr', 'fgetxattr', 'listxattr', 'llistxattr', 'flistxattr'], errnos: ['ENODATA', 'EOPNOTSUPP', 'ENOTSUP'], why: 'a file without that extended attribute' },
  { kind: 'probe-failure', calls: ['mkdir', 'mkdirat'], errnos: ['EEXIST'], why: 'mkdir of a directory that exists (mkdir -p)' },
  { kind: 'probe-failure', calls: ['wait4', 'waitid', 'waitpid'], errnos: ['ECHILD'], why: 'wait with no child left' },
  { kind: 'probe-failure', calls: null, errnos: ['ENOSYS'], why: 'a system call this kernel lacks (the program falls back)' },
  { kind: 'probe-failure', calls: ['unlink', 'unlinkat', 'rmdir'], errnos: ['ENOENT'], why: 'removing what is not there (rm -f)' },
  { kind: 'probe-failure', calls: ['kill', 'tgkill', 'pidfd_send_signal'], errnos: ['ESRCH'], text: /, 0\)/, why: 'kill(pid, 0): is the process alive?' },
  { kind: 'probe-failure', calls: ['close'], errnos: ['EBADF'], why: 'closing descriptors that may not be open (a close loop)' },
  { kind: 'probe-failure', calls: ['prctl', 'arch_prctl'], errnos: ['EINVAL'], why: 'a feature probe' },
  { kind: 'probe-failure', calls: ['sched_getaffinity', 'sched_setaffinity', 'ioprio_get'], errnos: ['EINVAL'], why: 'a feature probe' },
  { kind: 'probe-failure', calls: ['pkey_alloc'], errnos: ['EINVAL', 'ENOSPC'], why: 'memory protection keys: the CPU or kernel has none to give (V8 and glibc fall back)' },
  { kind: 'probe-failure', calls: ['epoll_ctl'], errnos: ['EEXIST', 'ENOENT'], why: 'adding a watched descriptor twice, or removing one not watched' },
];

// ---------------------------------------------------------------- paths

/** How a call uses its path, for the permission walk. */
export interface PathUse {
  /** argument index of the path */
  path: number;
  /** argument index of the directory descriptor it is relative to */
  dirfd?: number;
  /**
   * What the call needs on the final component: r, w, x (execute), s (search: a directory), '' none;
   * 'open' reads O_ACCMODE and O_CREAT from the flags; 'mode' reads the access() mode argument.
   */
  need: 'r' | 'w' | 'x' | 's' | '' | 'open' | 'mode';
  /** the call creates or removes a name in the parent directory (needs w+x there) */
  parent?: boolean;
  /** symbolic links at the end are not followed (lstat, unlink, O_NOFOLLOW...) */
  nofollow?: boolean;
  /** the call changes the inode's owner/mode/times: EPERM when not the owner (CAP_FOWNER / CAP_CHOWN) */
  owner?: 'fowner' | 'chown';
  /** the call writes the file (EPERM when immutable/append-only) */
  modifies?: boolean;
  /** argument index of the flags (open's O_* or AT_* flags) */
  flags?: number;
}

export const PATH_CALLS: Record<string, PathUse> = {
  open: { path: 0, need: 'open', flags: 1 },
  openat: { path: 1, dirfd: 0, need: 'open', flags: 2 },
  openat2: { path: 1, dirfd: 0, need: 'open', flags: 2 },
  creat: { path: 0, need: 'w', parent: true, modifies: true },
  execve: { path: 0, need: 'x' },
  execveat: { path: 1, dirfd: 0, need: 'x' },
  uselib: { path: 0, need: 'r' },
  access: { path: 0, need: 'mode' },
  faccessat: { path: 1, dirfd: 0, need: 'mode' },
  faccessat2: { path: 1, dirfd: 0, need: 'mode' },
  stat: { path: 0, need: '' },
  lstat: { path: 0, need: '', nofollow: true },
  newfstatat: { path: 1, dirfd: 0, need: '', flags: 3 },
  statx: { path: 1, dirfd: 0, need: '', flags: 2 },
  statfs: { path: 0, need: '' },
  readlink: { path: 0, need: '', nofollow: true },
  readlinkat: { path: 1, dirfd: 0, need: '', nofollow: true },
  chdir: { path: 0, need: 's' },
  chroot: { path: 0, need: 's' },
  mkdir: { path: 0, need: '', parent: true },
  mkdirat: { path: 1, dirfd: 0, need: '', parent: true },
  mknod: { path: 0, need: '', parent: true },
  mknodat: { path: 1, dirfd: 0, need: '', parent: true },
  rmdir: { path: 0, need: '', parent: true, nofollow: true, modifies: true },
  unlink: { path: 0, need: '', parent: true, nofollow: true, modifies: true },
  unlinkat: { path: 1, dirfd: 0, need: '', parent: true, nofollow: true, modifies: true },
  rename: { path: 0, need: '', parent: true, nofollow: true, modifies: true },
  renameat: { path: 1, dirfd: 0, need: '', parent: true, nofollow: true, modifies: true },
  renameat2: { path: 1, dirfd: 0, need: '', parent: true, nofollow: true, modifies: true },
  link: { path: 1, need: '', parent: true, nofollow: true },
  linkat: { path: 3, dirfd: 2, need: '', parent: true, nofollow: true },
  symlink: { path: 1, need: '', parent: true, nofollow: true },
  symlinkat: { path: 2, dirfd: 1, need: '', parent: true, nofollow: true },
  truncate: { path: 0, need: 'w', modifies: true },
  chmod: { path: 0, need: '', owner: 'fowner', modifies: true },
  fchmodat: { path: 1, dirfd: 0, need: '', owner: 'fowner', modifies: true },
  chown: { path: 0, need: '', owner: 'chown', modifies: true },
  lchown: { path: 0, need: '', owner: 'chown', nofollow: true, modifies: true },
  fchownat: { path: 1, dirfd: 0, need: '', owner: 'chown', modifies: true },
  utime: { path: 0, need: 'w', modifies: true },
  utimes: { path: 0, need: 'w', modifies: true },
  utimensat: { path: 1, dirfd: 0, need: 'w', modifies: true },
  setxattr: { path: 0, need: '', owner: 'fowner', modifies: true },
  lsetxattr: { path: 0, need: '', owner: 'fowner', nofollow: true, modifies: true },
  getxattr: { path: 0, need: 'r' },
  lgetxattr: { path: 0, need: 'r', nofollow: true },
  mount: { path: 1, need: 's' },
  umount2: { path: 0, need: '' },
  swapon: { path: 0, need: 'r' },
  acct: { path: 0, need: 'w' },
  inotify_add_watch: { path: 1, need: 'r' },
  bind: { path: -1, need: '', parent: true },
  connect: { path: -1, need: 'w' },
};

// ---------------------------------------------------------------- capabilities

export const CAP_NAMES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;
export type CapName = (typeof CAP_NAMES)[number];

/** Privileged calls: the capability that lets a process do what EPERM/EACCES refused. */
export const CALL_CAPS: Record<string, { cap: CapName; what: string }> = {
  mount: { cap: 'CAP_SYS_ADMIN', what: 'mounting' },
  umount2: { cap: 'CAP_SYS_ADMIN', what: 'unmounting' },
  pivot_root: { cap: 'CAP_SYS_ADMIN', what: 'pivot_root' },
  unshare: { cap: 'CAP_SYS_ADMIN', what: 'new namespaces' },
  setns: { cap: 'CAP_SYS_ADMIN', what: 'joining namespaces' },
  sethostname: { cap: 'CAP_SYS_ADMIN', what: 'setting the host name' },
  setdomainname: { cap: 'CAP_SYS_ADMIN', what: 'setting the domain name' },
  swapon: { cap: 'CAP_SYS_ADMIN', what: 'enabling swap' },
  swapoff: { cap: 'CAP_SYS_ADMIN', what: 'disabling swap' },
  bpf: { cap: 'CAP_BPF', what: 'loading BPF programs' },
  perf_event_open: { cap: 'CAP_PERFMON', what: 'system-wide performance events' },
  chroot: { cap: 'CAP_SYS_CHROOT', what: 'chroot' },
  setuid: { cap: 'CAP_SETUID', what: 'changing user ids' },
  setreuid: { cap: 'CAP_SETUID', what: 'changing user ids' },
  setresuid: { cap: 'CAP_SETUID', what: 'changing user ids' },
  setfsuid: { cap: 'CAP_SETUID', what: 'changing user ids' },
  setgid: { cap: 'CAP_SETGID', what: 'changing group ids' },
  setregid: { cap: 'CAP_SETGID', what: 'changing group ids' },
  setresgid: { cap: 'CAP_SETGID', what: 'changing group ids' },
  setgroups: { cap: 'CAP_SETGID', what: 'setting supplementary groups' },
  kill: { cap: 'CAP_KILL', what: 'signalling another user\'s process' },
  tgkill: { cap: 'CAP_KILL', what: 'signalling another user\'s process' },
  ptrace: { cap: 'CAP_SYS_PTRACE', what: 'tracing another process' },
  process_vm_readv: { cap: 'CAP_SYS_PTRACE', what: 'reading another process\'s memory' },
  chown: { cap: 'CAP_CHOWN', what: 'changing a file\'s owner' },
  fchown: { cap: 'CAP_CHOWN', what: 'changing a file\'s owner' },
  lchown: { cap: 'CAP_CHOWN', what: 'changing a file\'s owner' },
  fchownat: { cap: 'CAP_CHOWN', what: 'changing a file\'s owner' },
  chmod: { cap: 'CAP_FOWNER', what: 'changing the mode of a file one does not own' },
  fchmod: { cap: 'CAP_FOWNER', what: 'changing the mode of a file one does not own' },
  fchmodat: { cap: 'CAP_FOWNER', what: 'changing the mode of a file one does not own' },
  mknod: { cap: 'CAP_MKNOD', what: 'creating device nodes' },
  mknodat: { cap: 'CAP_MKNOD', what: 'creating device nodes' },
  setpriority: { cap: 'CAP_SYS_NICE', what: 'raising priority' },
  sched_setscheduler: { cap: 'CAP_SYS_NICE', what: 'real-time scheduling' },
  sched_setparam: { cap: 'CAP_SYS_NICE', what: 'real-time scheduling' },
  ioprio_set: { cap: 'CAP_SYS_ADMIN', what: 'real-time I/O priority' },
  setrlimit: { cap: 'CAP_SYS_RESOURCE', what: 'raising a hard limit' },
  prlimit64: { cap: 'CAP_SYS_RESOURCE', what: 'raising a hard limit' },
  settimeofday: { cap: 'CAP_SYS_TIME', what: 'setting the clock' },
  clock_settime: { cap: 'CAP_SYS_TIME', what: 'setting the clock' },
  adjtimex: { cap: 'CAP_SYS_TIME', what: 'adjusting the clock' },
  clock_adjtime: { cap: 'CAP_SYS_TIME', what: 'adjusting the clock' },
  reboot: { cap: 'CAP_SYS_BOOT', what: 'rebooting' },
  init_module: { cap: 'CAP_SYS_MODULE', what: 'loading kernel modules' },
  finit_module: { cap: 'CAP_SYS_MODULE', what: 'loading kernel modules' },
  delete_module: { cap: 'CAP_SYS_MODULE', what: 'unloading kernel modules' },
  iopl: { cap: 'CAP_SYS_RAWIO', what: 'I/O port access' },
  ioperm: { cap: 'CAP_SYS_RAWIO', what: 'I/O port access' },
  mlock: { cap: 'CAP_IPC_LOCK', what: 'locking memory beyond RLIMIT_MEMLOCK' },
  mlock2: { cap: 'CAP_IPC_LOCK', what: 'locking memory beyond RLIMIT_MEMLOCK' },
  mlockall: { cap: 'CAP_IPC_LOCK', what: 'locking memory beyond RLIMIT_MEMLOCK' },
  acct: { cap: 'CAP_SYS_PACCT', what: 'process accounting' },
  syslog: { cap: 'CAP_SYSLOG', what: 'reading the kernel log' },
  capset: { cap: 'CAP_SETPCAP', what: 'raising capabilities' },
  fanotify_init: { cap: 'CAP_SYS_ADMIN', what: 'fanotify' },
  vhangup: { cap: 'CAP_SYS_TTY_CONFIG', what: 'hanging up the terminal' },
  // bind to a port below 1024 and raw/packet sockets are decided from the arguments (detect-net)
};

// ---------------------------------------------------------------- slow calls

/** What a slow call waits on, by syscall: the groups of the "slow calls" finding. */
export const WAIT_CLASSES: Record<string, { wait: string; idle?: boolean }> = {
  epoll_wait: { wait: 'waiting for events (an event loop)', idle: true },
  epoll_pwait: { wait: 'waiting for events (an event loop)', idle: true },
  epoll_pwait2: { wait: 'waiting for events (an event loop)', idle: true },
  poll: { wait: 'waiting for descriptors (poll)', idle: true },
  ppoll: { wait: 'waiting for descriptors (poll)', idle: true },
  select: { wait: 'waiting for descriptors (select)', idle: true },
  pselect6: { wait: 'waiting for descriptors (select)', idle: true },
  nanosleep: { wait: 'sleeping as asked', idle: true },
  clock_nanosleep: { wait: 'sleeping as asked', idle: true },
  pause: { wait: 'waiting for a signal', idle: true },
  rt_sigsuspend: { wait: 'waiting for a signal', idle: true },
  rt_sigtimedwait: { wait: 'waiting for a signal', idle: true },
  wait4: { wait: 'waiting for a child to exit', idle: true },
  waitid: { wait: 'waiting for a child to exit', idle: true },
  accept: { wait: 'waiting for a connection', idle: true },
  accept4: { wait: 'waiting for a connection', idle: true },
  futex: { wait: 'waiting on a lock or condition (futex)' },
  read: { wait: 'reading' },
  readv: { wait: 'reading' },
  pread64: { wait: 'reading' },
  recvfrom: { wait: 'receiving' },
  recvmsg: { wait: 'receiving' },
  recvmmsg: { wait: 'receiving' },
  write: { wait: 'writing' },
  writev: { wait: 'writing' },
  pwrite64: { wait: 'writing' },
  sendto: { wait: 'sending' },
  sendmsg: { wait: 'sending' },
  sendmmsg: { wait: 'sending' },
  connect: { wait: 'connecting' },
  fsync: { wait: 'flushing to disk (fsync)' },
  fdatasync: { wait: 'flushing to disk (fdatasync)' },
  sync: { wait: 'flushing every file system (sync)' },
  syncfs: { wait: 'flushing a file system (syncfs)' },
  sync_file_range: { wait: 'flushing to disk' },
  flock: { wait: 'waiting for a file lock (flock)' },
  fcntl: { wait: 'waiting for a file lock (fcntl)' },
  openat: { wait: 'opening (file system latency)' },
  open: { wait: 'opening (file system latency)' },
  newfstatat: { wait: 'stat (file system latency)' },
  statx: { wait: 'stat (file system latency)' },
  execve: { wait: 'exec (loading the program)' },
  msgrcv: { wait: 'waiting for a message (System V queue)', idle: true },
  semop: { wait: 'waiting on a semaphore' },
  semtimedop: { wait: 'waiting on a semaphore' },
  io_getevents: { wait: 'waiting for async I/O' },
  io_uring_enter: { wait: 'waiting for io_uring completions' },
};
