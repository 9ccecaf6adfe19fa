// errno names to numbers (from node's own table) and plain meanings (strerror's words for the
// common ones). Unknown names fall back to the name itself.
import { constants } from 'node:os';

const MEANINGS: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EBADF: 'Bad file descriptor',
  ECHILD: 'No child processes',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ENOTTY: 'Inappropriate ioctl for device',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  EPIPE: 'Broken pipe',
  EDOM: 'Numerical argument out of domain',
  ERANGE: 'Numerical result out of range',
  EDEADLK: 'Resource deadlock avoided',
  ENAMETOOLONG: 'File name too long',
  ENOLCK: 'No locks available',
  ENOSYS: 'Function not implemented',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENOMSG: 'No message of desired type',
  ENODATA: 'No data available',
  ETIME: 'Timer expired',
  EOVERFLOW: 'Value too large for defined data type',
  EILSEQ: 'Invalid or incomplete multibyte or wide character',
  ENOTSOCK: 'Socket operation on non-socket',
  EDESTADDRREQ: 'Destination address required',
  EMSGSIZE: 'Message too long',
  EPROTOTYPE: 'Protocol wrong type for socket',
  ENOPROTOOPT: 'Protocol not available',
  EPROTONOSUPPORT: 'Protocol not supported',
  EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  ECONNABORTED: 'Software caused connection abort',
  ECONNRESET: 'Connection reset by peer',
  ENOBUFS: 'No buffer space available',
  EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected',
  ETIMEDOUT: 'Connection timed out',
  ECONNREFUSED: 'Connection refused',
  EHOSTUNREACH: 'No route to host',
  EALREADY: 'Operation already in progress',
  EINPROGRESS: 'Operation now in progress',
  ESTALE: 'Stale file handle',
  EDQUOT: 'Disk quota exceeded',
  ECANCELED: 'Operation canceled',
  EOWNERDEAD: 'Owner died',
  // Kernel-internal codes that strace shows for interrupted calls the kernel restarts.
  ERESTARTSYS: 'To be restarted if SA_RESTART is set',
  ERESTARTNOINTR: 'To be restarted',
  ERESTARTNOHAND: 'To be restarted if no handler',
  ERESTART_RESTARTBLOCK: 'Interrupted by signal',
};

// Aliases the kernel shares one number with.
const ALIASES: Record<string, string> = { EWOULDBLOCK: 'EAGAIN', EDEADLOCK: 'EDEADLK', ENOTSUP: 'EOPNOTSUPP' };

const KERNEL_ONLY: Record<string, number> = {
  ERESTARTSYS: 512,
  ERESTARTNOINTR: 513,
  ERESTARTNOHAND: 514,
  ENOIOCTLCMD: 515,
  ERESTART_RESTARTBLOCK: 516,
};

export function errnoNumber(name: string): number | undefined {
  const table = constants.errno as Record<string, number>;
  return table[name] ?? KERNEL_ONLY[name];
}

export function errnoMeaning(name: string): string {
  return MEANINGS[name] ?? MEANINGS[ALIASES[name] ?? ''] ?? name;
}

/** `ENOENT (2): No such file or directory` */
export function describeErrno(name: string): string {
  const n = errnoNumber(name);
  return `${name}${n !== undefined ? ` (${n})` : ''}: ${errnoMeaning(name)}`;
}
