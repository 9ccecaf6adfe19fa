// Walks a path component by component as the kernel would for the traced process: from its root
// (or its cwd, or the directory a dirfd names), following symbolic links itself so that every
// name is looked up inside the process's root, and records what each component is (type, mode,
// owner, ACL, immutable/append-only attributes). It decides nothing: permissions.ts does, in the
// parent. This module runs in the prober child (src/engine/proc/probe.ts): each lstat here may
// block on a hung mount.
import { closeSync, constants, lstatSync, openSync, readSync, readlinkSync } from 'node:fs';
import path from 'node:path';

import { native } from '../../engine/native.js';

export interface WalkRequest {
  /** our path to the process's `/`: `/` or `/proc/PID/root` */
  fsRoot: string;
  /** where a relative path starts, as the process sees it (its cwd or the dirfd's directory) */
  start: string;
  /** the path as the call gave it */
  path: string;
  /** a symbolic link at the end is not followed */
  nofollow: boolean;
  /** read the final file's `#!` line (for an execve that failed with ENOENT) */
  shebang?: boolean;
}

export type StepKind = 'dir' | 'file' | 'symlink' | 'other' | 'missing' | 'error';

export interface WalkStep {
  /** the component as the process sees it: `/srv/app/conf` */
  path: string;
  kind: StepKind;
  mode: number;
  uid: number;
  gid: number;
  /** POSIX ACL entries [tag, perm, id] when the inode has an access ACL */
  acl?: [number, number, number][];
  /** statx attributes (STATX_ATTR_IMMUTABLE 0x10, STATX_ATTR_APPEND 0x20) and which are known */
  attrs?: number;
  attrsMask?: number;
  /** a symlink's target */
  target?: string;
  /** our error looking at it (kind 'error'), an errno name */
  error?: string;
  /** the starting directory of a relative lookup (not searched on the way down by the kernel) */
  start?: boolean;
}

export interface WalkResult {
  steps: WalkStep[];
  /** exists: the final component is there; missing: steps' last is the first missing component */
  outcome: 'exists' | 'missing' | 'notdir' | 'loop' | 'error';
  /** the final component's path as the process sees it, symlinks resolved */
  resolved: string;
  /** the final file's first line when it starts with `#!` (asked for with `shebang`) */
  shebang?: string;
}

const MAX_LINKS = 40;

/** Parses the system.posix_acl_access xattr: a version word, then (tag u16, perm u16, id u32) entries. */
export function parseAclXattr(buf: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  if (buf.length < 4 || buf.readUInt32LE(0) !== 2) return out;
  for (let off = 4; off + 8 <= buf.length; off += 8) out.push([buf.readUInt16LE(off), buf.readUInt16LE(off + 2), buf.readUInt32LE(off + 4)]);
  return out;
}

function kindOf(mode: number): StepKind {
  const t = mode & 0o170000;
  if (t === 0o040000) return 'dir';
  if (t === 0o100000) return 'file';
  if (t === 0o120000) return 'symlink';
  return 'other';
}

function look(fsRoot: string, p: string): WalkStep {
  const real = fsRoot === '/' ? p : path.join(fsRoot, p);
  let st;
  try {
    st = lstatSync(real);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT') return { path: p, kind: 'missing', mode: 0, uid: -1, gid: -1 };
    if (code === 'ENOTDIR') return { path: p, kind: 'missing', mode: 0, uid: -1, gid: -1, error: code };
    return { path: p, kind: 'error', mode: 0, uid: -1, gid: -1, error: code };
  }
  const step: WalkStep = { path: p, kind: kindOf(st.mode), mode: st.mode, uid: st.uid, gid: st.gid };
  if (step.kind === 'symlink') {
    try {
      step.target = readlinkSync(real);
    } catch {
      step.target = '';
    }
    return step;
  }
  const b = native();
  try {
    const acl = b.getXattr(real, 'system.posix_acl_access');
    if (acl) step.acl = parseAclXattr(acl);
  } catch {
    // no ACL we can read: the mode bits are all there is
  }
  try {
    const a = b.statxAttrs(real);
    step.attrs = a.attributes;
    step.attrsMask = a.mask;
  } catch {
    // statx without attributes (old kernel or file system)
  }
  return step;
}

/** The walk (see the module comment). Never throws: what stopped it is in the result. */
export function walkPath(req: WalkRequest): WalkResult {
  const steps: WalkStep[] = [];
  const absolute = req.path.startsWith('/');
  let cur = absolute ? '/' : path.posix.normalize(req.start || '/');
  const first = look(req.fsRoot, cur);
  if (!absolute) first.start = true;
  steps.push(first);
  if (first.kind !== 'dir') return { steps, outcome: first.kind === 'missing' ? 'missing' : 'error', resolved: cur };
  const todo = req.path.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  while (todo.length) {
    const name = todo.shift()!;
    const last = todo.length === 0;
    if (name === '..') {
      cur = path.posix.dirname(cur);
      continue;
    }
    const next = cur === '/' ? `/${name}` : `${cur}/${name}`;
    const step = look(req.fsRoot, next);
    steps.push(step);
    if (step.kind === 'missing') return { steps, outcome: 'missing', resolved: next };
    if (step.kind === 'error') return { steps, outcome: 'error', resolved: next };
    if (step.kind === 'symlink' && (!last || !req.nofollow)) {
      if (++links > MAX_LINKS) return { steps, outcome: 'loop', resolved: next };
      const target = step.target ?? '';
      todo.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
      if (target.startsWith('/')) cur = '/';
      continue;
    }
    if (!last && step.kind !== 'dir') return { steps, outcome: 'notdir', resolved: next };
    cur = next;
  }
  // A path with a trailing slash names a directory.
  if (req.path.endsWith('/') && steps[steps.length - 1].kind !== 'dir' && todo.length === 0 && steps.length > 1) {
    return { steps, outcome: 'notdir', resolved: cur };
  }
  const result: WalkResult = { steps, outcome: 'exists', resolved: cur };
  if (req.shebang && steps[steps.length - 1].kind === 'file') result.shebang = readShebang(req.fsRoot === '/' ? cur : path.join(req.fsRoot, cur));
  return result;
}

function readShebang(real: string): string | undefined {
  let fd = -1;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const line = buf.subarray(0, n).toString('latin1').split('\n')[0];
    return line.startsWith('#!') ? line : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** The first `max` bytes of a small file as the process sees it (symbolic links resolved inside its root); null when missing. */
export function readHead(req: { fsRoot: string; path: string; max: number }): string | null {
  const w = walkPath({ fsRoot: req.fsRoot, start: '/', path: req.path, nofollow: false });
  if (w.outcome !== 'exists' || w.steps[w.steps.length - 1].kind !== 'file') return null;
  const real = req.fsRoot === '/' ? w.resolved : path.join(req.fsRoot, w.resolved);
  let fd = -1;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const buf = Buffer.alloc(req.max);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
