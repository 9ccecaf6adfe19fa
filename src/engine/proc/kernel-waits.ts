// What a thread sleeping inside the kernel waits for, from its kernel stack, wchan and the mount
// its file lives on: a FUSE daemon that does not answer, an NFS or SMB server, a vfork child, the
// disk. Everything comes from /proc: nothing here touches the file system in question.

import type { InspectContext } from './context.js';
import { fsClass, fsName, mountServer, type MountEntry, type MountTable } from './mounts.js';
import { readCmdline } from './task.js';

/** A process (or one of its threads) that holds up the thread: one hop of a waits-on chain. */
export interface WaitsOn {
  pid: number;
  /** The thread, when one is known (a mutex owner, a joined thread). */
  tid?: number;
  comm: string;
  /** How the waiting thread waits on it, as the chain shows it: `reads pipe written by`. */
  how: string;
  /** How many other processes could also release it (more pipe writers...). */
  others?: number;
}

export interface KernelWaitInput {
  pid: number;
  state: string;
  wchan: string | undefined;
  stack: string[] | undefined;
  /** The system call's name ('' when not in one). */
  name: string;
  /** The absolute path the call is about (path arguments), when known. */
  path?: string;
  /** The file of the call's descriptor, and its mount. */
  file?: { link: string; mount?: MountEntry };
  /** The mounts as the process sees them. */
  mounts: MountTable | undefined;
  /** The call is vfork, or clone/clone3 with CLONE_VFORK. */
  vfork?: boolean;
}

export interface KernelWait {
  words: string;
  waitsOn?: WaitsOn;
}

const frameName = (f: string): string => f.replace(/\+0x.*$/, '').replace(/\.(?:constprop|isra|part|cold)\.\d+$/, '');

function hasFrame(stack: string[] | undefined, re: RegExp): boolean {
  return !!stack?.some((f) => re.test(frameName(f)));
}

/** What a FUSE request is for, from the frames that sent it. */
const FUSE_OPS: [RegExp, string][] = [
  [/^fuse_lookup|^fuse_dentry_revalidate|^fuse_lookup_name/, 'lookup'],
  [/^fuse_do_getattr|^fuse_update_get_attr|^fuse_getattr/, 'getattr'],
  [/^fuse_create_open|^fuse_atomic_open/, 'create'],
  [/^fuse_do_open|^fuse_open|^fuse_dir_open|^fuse_file_open/, 'open'],
  [/^fuse_readdir/, 'readdir'],
  [/^fuse_read_folio|^fuse_do_readpage|^fuse_file_read_iter|^fuse_send_read|^fuse_direct_io|^fuse_readahead/, 'read'],
  [/^fuse_perform_write|^fuse_send_write|^fuse_file_write_iter|^fuse_writepage/, 'write'],
  [/^fuse_flush/, 'flush'],
  [/^fuse_fsync/, 'fsync'],
  [/^fuse_setattr|^fuse_do_setattr/, 'setattr'],
  [/^fuse_(?:get|set|list|remove)xattr/, 'xattr'],
  [/^fuse_statfs/, 'statfs'],
  [/^fuse_(?:mkdir|mknod|unlink|rmdir|rename|link|symlink)/, 'directory change'],
  [/^fuse_release/, 'release'],
];

function fuseOp(stack: string[] | undefined): string | undefined {
  for (const f of stack ?? []) {
    const n = frameName(f);
    for (const [re, op] of FUSE_OPS) if (re.test(n)) return op;
  }
  return undefined;
}

const escapeSlash = (s: string): string => s.replace(/'/g, "'\\''");

/** The daemon serving a FUSE mount: the process holding /dev/fuse, narrowed by its command line. */
export function fuseDaemon(m: MountEntry, ctx: InspectContext): { pid: number; comm: string } | undefined {
  const holders = new Map<number, string>();
  for (const h of ctx.owners.holders('/dev/fuse')) holders.set(h.pid, h.comm);
  for (const h of ctx.owners.holders('/dev/fuse (deleted)')) holders.set(h.pid, h.comm);
  const all = [...holders].map(([pid, comm]) => ({ pid, comm }));
  if (all.length <= 1) return all[0];
  // Daemons are started with their mount point on the command line (sshfs host: /mnt/x).
  const byArgs = all.filter((h) => ctx.procs.memoryReadable(h.pid) && (readCmdline(h.pid) ?? []).some((a) => a === m.mountPoint || a.replace(/\/+$/, '') === m.mountPoint));
  if (byArgs.length === 1) return byArgs[0];
  const sub = fsName(m);
  const byName = (byArgs.length ? byArgs : all).filter((h) => h.comm === sub || h.comm.startsWith(sub));
  if (byName.length === 1) return byName[0];
  return undefined;
}

/** The mount the call is about: its path's, its file's, else the only one of that class. */
function mountOf(inp: KernelWaitInput, cls: 'fuse' | 'network'): MountEntry | undefined {
  const byPath = inp.path ? inp.mounts?.forPath(inp.path) : undefined;
  if (byPath && fsClass(byPath.fsType) === cls) return byPath;
  const m = inp.file?.mount;
  if (m && fsClass(m.fsType) === cls) return m;
  const all = inp.mounts?.ofClass(cls) ?? [];
  return all.length === 1 ? all[0] : undefined;
}

function what(inp: KernelWaitInput): string {
  return inp.path ?? inp.file?.link ?? '';
}

function fuseWait(inp: KernelWaitInput, ctx: InspectContext): KernelWait | undefined {
  const inFuse = hasFrame(inp.stack, /^(?:request_wait_answer|__fuse_simple_request|fuse_simple_request|fuse_\w+)$/) || /^(?:request_wait_answer|fuse_)/.test(inp.wchan ?? '');
  const m = mountOf(inp, 'fuse');
  // A thread in D on a FUSE path that is not in FUSE code itself waits behind one that is (the
  // same name being looked up, the directory's lock...).
  const behind = !inFuse && inp.state === 'D' && m !== undefined && (inp.path !== undefined || inp.file?.mount === m);
  if (!inFuse && !behind) return undefined;
  const op = fuseOp(inp.stack);
  const on = what(inp) ? ` on ${what(inp)}` : '';
  const mountText = m ? `FUSE mount ${m.mountPoint} (${fsName(m)})` : 'a FUSE mount';
  const daemon = m ? fuseDaemon(m, ctx) : undefined;
  const waitsOn: WaitsOn | undefined = daemon ? { pid: daemon.pid, comm: daemon.comm, how: 'waits for FUSE daemon' } : undefined;
  const who = daemon ? `FUSE daemon pid ${daemon.pid} (${daemon.comm})` : `the daemon of ${mountText}`;
  let gone = '';
  if (m && !daemon && ctx.owners.holders('/dev/fuse').length === 0) {
    gone = `; no process has /dev/fuse open: the daemon is gone (echo 1 > /sys/fs/fuse/connections/${m.minor}/abort, then umount -l '${escapeSlash(m.mountPoint)}')`;
  }
  if (behind) {
    const lookup = hasFrame(inp.stack, /^(?:d_alloc_parallel|__lookup_slow|lookup_slow)$/);
    const first = lookup ? `waiting for another lookup of the same name${on} to finish` : `waiting${on}`;
    return { words: `${first}: it waits for ${who} on ${mountText}${gone}`, waitsOn };
  }
  return { words: `waiting for ${who} to answer ${op ? (/^[aeiou]/.test(op) ? 'an ' : 'a ') + op : 'a request'}${on}${daemon ? '' : ` (${mountText})`}${gone}`, waitsOn };
}

const NET_FRAMES = /^(?:nfs\w*|rpc_\w+|__rpc_\w+|xprt_\w+|call_\w+|cifs_\w+|smb2?_\w+|SMB2_\w+|wait_for_response|compound_send_recv|p9_\w+|v9fs_\w+|ceph_\w+|afs_\w+)$/;

function networkWait(inp: KernelWaitInput): KernelWait | undefined {
  const inNet = hasFrame(inp.stack, NET_FRAMES) || /^(?:rpc_wait_bit_killable|nfs_|cifs_|wait_for_response|p9_)/.test(inp.wchan ?? '');
  const m = mountOf(inp, 'network');
  if (!inNet && !(inp.state === 'D' && m && (inp.path !== undefined || inp.file?.mount === m))) return undefined;
  const kind = m ? fsName(m).replace(/^nfs\d?$/, 'NFS').replace(/^(?:cifs|smb3|smbfs)$/, 'SMB') : 'network file system';
  const server = m ? mountServer(m) : undefined;
  const on = what(inp) ? ` for ${what(inp)}` : '';
  const mountText = m ? ` (mount ${m.mountPoint})` : '';
  return { words: `waiting for ${kind === 'NFS' || kind === 'SMB' ? `${kind} server` : `the ${kind} server`}${server ? ` ${server}` : ''}${mountText} to answer${on}` };
}

const DISK_FRAMES = /^(?:io_schedule\w*|folio_wait_\w+|__folio_lock\w*|wait_on_page_\w+|__wait_on_buffer|bit_wait_io|jbd2_\w+|blk_mq_\w+|submit_bio_wait|wait_for_completion_io\w*|xfs_buf_\w+|xlog_\w+|xfs_log_force\w*|btrfs_wait_\w+|filemap_fdatawait\w*|file_write_and_wait_range|__filemap_fdatawait_range|ext4_sync_file|blkdev_issue_flush)$/;

function diskWait(inp: KernelWaitInput): KernelWait | undefined {
  if (inp.state !== 'D') return undefined;
  if (!hasFrame(inp.stack, DISK_FRAMES) && !/^(?:io_schedule|folio_wait|wait_on_page|jbd2_|bit_wait_io)/.test(inp.wchan ?? '')) return undefined;
  const file = what(inp);
  const m = inp.file?.mount ?? (inp.path ? inp.mounts?.forPath(inp.path) : undefined);
  const dev = m ? ` (device ${m.source} ${m.major}:${m.minor}, mount ${m.mountPoint})` : '';
  const how = inp.name ? ` in ${inp.name}` : '';
  return { words: `waiting for disk I/O${how}${file ? ` on ${file}` : ''}${dev}` };
}

function vforkWait(inp: KernelWaitInput, ctx: InspectContext): KernelWait | undefined {
  // wait_for_vfork_done is often inlined: the thread then sleeps in kernel_clone, in D state.
  const waiting = inp.wchan === 'wait_for_vfork_done' || hasFrame(inp.stack, /^wait_for_vfork_done$/) || (inp.vfork && inp.state === 'D');
  if (!waiting) return undefined;
  const child = ctx.procs.vforkChild(inp.pid);
  if (!child) return { words: 'in vfork: waiting for the child to exec or exit' };
  return {
    words: `in vfork: waiting for child ${child.pid} (${child.comm}) to exec or exit`,
    waitsOn: { pid: child.pid, comm: child.comm, how: 'waits in vfork for child' },
  };
}

/** The explanation of a wait inside the kernel, when its stack, wchan or mount give one. */
export function explainKernelWait(inp: KernelWaitInput, ctx: InspectContext): KernelWait | undefined {
  return vforkWait(inp, ctx) ?? fuseWait(inp, ctx) ?? networkWait(inp) ?? diskWait(inp);
}

/** The frame names of a stack that say the address space's lock is involved (held or wanted). */
const MM_FRAMES = /^(?:do_user_addr_fault|exc_page_fault|handle_mm_fault|lock_mm_and_find_vma|__access_remote_vm|access_remote_vm|get_user_pages\w*|__get_user_pages\w*|mmap_read_lock\w*|mmap_write_lock\w*|do_mmap|vm_mmap_pgoff|__vm_munmap|do_vmi_munmap|do_mprotect_pkey|do_madvise|__do_sys_brk|__do_sys_mremap|exit_mmap|mmput|dup_mmap|userfaultfd\w*|handle_userfault)$/;

export function stackTouchesMm(stack: string[]): boolean {
  return hasFrame(stack, MM_FRAMES);
}

/** The wchans of D-state waits known not to hold or want the address-space lock. */
export const MM_SAFE_WCHANS = new Set(['wait_for_vfork_done', 'kernel_clone', 'request_wait_answer', 'd_alloc_parallel', 'rpc_wait_bit_killable', 'io_schedule', 'folio_wait_bit_common', 'jbd2_log_wait_commit']);
