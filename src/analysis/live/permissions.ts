// The kernel's permission decision, replayed on a walked path (path-walk.ts) for the traced
// process's credentials: which component refuses, and why (mode bits for its uid and groups, a
// POSIX ACL, a sticky directory, an immutable or append-only attribute), as one-line facts.
import { readProcText } from '../../engine/proc/task.js';
import { userName } from '../../engine/proc/diagnose.js';
import type { WalkResult, WalkStep } from './path-walk.js';

export interface Creds {
  ruid: number;
  rgid: number;
  fsuid: number;
  fsgid: number;
  groups: number[];
  capEff: bigint;
}

export type Want = 'r' | 'w' | 'x';

const CAP_CHOWN = 0;
const CAP_DAC_OVERRIDE = 1;
const CAP_DAC_READ_SEARCH = 2;
const CAP_FOWNER = 3;

export const STATX_ATTR_IMMUTABLE = 0x10;
export const STATX_ATTR_APPEND = 0x20;

// ACL tags (linux/posix_acl_xattr.h)
const ACL_USER_OBJ = 0x01;
const ACL_USER = 0x02;
const ACL_GROUP_OBJ = 0x04;
const ACL_GROUP = 0x08;
const ACL_MASK = 0x10;
const ACL_OTHER = 0x20;

const BIT: Record<Want, number> = { r: 4, w: 2, x: 1 };

export function has(caps: bigint, bit: number): boolean {
  return ((caps >> BigInt(bit)) & 1n) === 1n;
}

let groupNames: Map<number, string> | undefined;
export function groupName(gid: number): string | undefined {
  if (!groupNames) {
    groupNames = new Map();
    for (const line of (readProcText('/etc/group') ?? '').split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && !groupNames.has(Number(f[2]))) groupNames.set(Number(f[2]), f[0]);
    }
  }
  return groupNames.get(gid);
}

export const userLabel = (uid: number): string => userName(uid) ?? String(uid);
export const groupLabel = (gid: number): string => groupName(gid) ?? String(gid);

/** `uid 65534 (nobody), gid 65534, groups 65534,27` */
export function describeCreds(c: Creds, real = false): string {
  const uid = real ? c.ruid : c.fsuid;
  const gid = real ? c.rgid : c.fsgid;
  const u = userName(uid);
  const g = groupName(gid);
  const groups = c.groups.filter((x) => x !== gid);
  return `uid ${uid}${u ? ` (${u})` : ''}, gid ${gid}${g ? ` (${g})` : ''}${groups.length ? `, groups ${groups.join(',')}` : ''}`;
}

/** `drwxr-x---` (with s/t/S/T for setuid, setgid and sticky). */
export function modeString(mode: number): string {
  const t = mode & 0o170000;
  const type = t === 0o040000 ? 'd' : t === 0o120000 ? 'l' : t === 0o020000 ? 'c' : t === 0o060000 ? 'b' : t === 0o010000 ? 'p' : t === 0o140000 ? 's' : '-';
  const tri = (bits: number, special: boolean, ch: string) =>
    (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-');
  return (
    type +
    tri((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    tri((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    tri(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}

const rwx = (bits: number) => (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-');

/** `/srv/app (drwx------ root:root)` */
export function describeStep(s: WalkStep): string {
  return `${s.path} (${modeString(s.mode)} ${userLabel(s.uid)}:${groupLabel(s.gid)}${s.acl && s.acl.length > 3 ? ' +ACL' : ''})`;
}

export interface Verdict {
  ok: boolean;
  /** why, in words: `others have r-x`, `owner has ---`, `ACL user:bob has ---` */
  why: string;
}

const WANT_WORD: Record<Want, string> = { r: 'read', w: 'write', x: 'search' };

/** May a process with these credentials r/w/x this inode? generic_permission(), in short. */
export function checkAccess(s: WalkStep, c: Creds, want: Want, real = false): Verdict {
  const uid = real ? c.ruid : c.fsuid;
  const gid = real ? c.rgid : c.fsgid;
  const inGroup = (g: number) => g === gid || c.groups.includes(g);
  const bit = BIT[want];
  const isDir = s.kind === 'dir';
  let verdict: Verdict;
  const acl = s.acl && s.acl.length > 3 ? s.acl : undefined;
  if (uid === s.uid) {
    const bits = (s.mode >> 6) & 7;
    verdict = { ok: (bits & bit) !== 0, why: `the owner (${userLabel(uid)}) has ${rwx(bits)}` };
  } else if (acl) {
    const mask = acl.find((e) => e[0] === ACL_MASK)?.[1] ?? 7;
    const named = acl.find((e) => e[0] === ACL_USER && e[2] === uid);
    if (named) {
      const eff = named[1] & mask;
      verdict = { ok: (eff & bit) !== 0, why: `the ACL entry user:${userLabel(uid)} gives ${rwx(eff)}${eff !== named[1] ? ` (${rwx(named[1])} masked by mask::${rwx(mask)})` : ''}` };
    } else {
      const groupEntries = acl.filter((e) => (e[0] === ACL_GROUP_OBJ && inGroup(s.gid)) || (e[0] === ACL_GROUP && inGroup(e[2])));
      if (groupEntries.length) {
        const granting = groupEntries.find((e) => (e[1] & mask & bit) !== 0);
        const e = granting ?? groupEntries[0];
        const name = e[0] === ACL_GROUP_OBJ ? `group::` : `group:${groupLabel(e[2])}`;
        verdict = { ok: granting !== undefined, why: `the ACL entry ${name} gives ${rwx(e[1] & mask)}${(e[1] & mask) !== e[1] ? ` (masked by mask::${rwx(mask)})` : ''}` };
      } else {
        const other = acl.find((e) => e[0] === ACL_OTHER)?.[1] ?? s.mode & 7;
        verdict = { ok: (other & bit) !== 0, why: `no ACL entry names ${userLabel(uid)} or its groups; other:: has ${rwx(other)}` };
      }
    }
  } else if (inGroup(s.gid)) {
    const bits = (s.mode >> 3) & 7;
    verdict = { ok: (bits & bit) !== 0, why: `not the owner (${userLabel(s.uid)}); the group (${groupLabel(s.gid)}) has ${rwx(bits)}` };
  } else {
    const bits = s.mode & 7;
    verdict = { ok: (bits & bit) !== 0, why: `neither the owner (${userLabel(s.uid)}) nor in the group (${groupLabel(s.gid)}); others have ${rwx(bits)}` };
  }
  if (verdict.ok) return verdict;
  // Capabilities override the bits (access() checks them too, with the real ids' capabilities).
  if (has(c.capEff, CAP_DAC_OVERRIDE)) {
    if (want !== 'x' || isDir || (s.mode & 0o111) !== 0) return { ok: true, why: `${verdict.why}, but CAP_DAC_OVERRIDE overrides` };
  }
  if (has(c.capEff, CAP_DAC_READ_SEARCH) && (want === 'r' || (want === 'x' && isDir))) {
    return { ok: true, why: `${verdict.why}, but CAP_DAC_READ_SEARCH overrides` };
  }
  return verdict;
}

export interface PathNeeds {
  /** access wanted on the final component */
  final: Want[];
  /** the call creates or removes a name in the parent (w+x there) */
  parent: boolean;
  /** the final component must be a directory (chdir, O_DIRECTORY) */
  dir?: boolean;
  /** exec: the final component must be a regular file with an x bit */
  exec?: boolean;
  /** the call modifies the inode (immutable/append-only refuse it) */
  modifies?: boolean;
  /** writes only by appending (O_APPEND): allowed on append-only files */
  appends?: boolean;
  /** the call needs to own the inode: fowner (chmod, utimes...) or chown */
  owner?: 'fowner' | 'chown';
  /** access()/faccessat() check with the real uid and gid */
  real?: boolean;
  /** removes or renames (sticky directories restrict it) */
  removes?: boolean;
}

export interface Explanation {
  /** the component that refused, when one did */
  denier?: WalkStep;
  /** one line per fact, the decisive one first */
  facts: string[];
  /** short reason for the title: `/srv/app denies search` */
  short: string;
  /** every component allows it by mode, ACL and attributes */
  allAllow: boolean;
}

function parentOf(walk: WalkResult): WalkStep | undefined {
  const dir = walk.resolved === '/' ? '/' : walk.resolved.slice(0, walk.resolved.lastIndexOf('/')) || '/';
  for (let i = walk.steps.length - 2; i >= 0; i--) if (walk.steps[i].path === dir && walk.steps[i].kind === 'dir') return walk.steps[i];
  return undefined;
}

/** Which component refuses and why (EACCES and EPERM alike; the caller words the rest). */
export function explainDenial(walk: WalkResult, creds: Creds, needs: PathNeeds): Explanation {
  const facts: string[] = [];
  const real = needs.real ?? false;
  const last = walk.steps[walk.steps.length - 1];
  const final = walk.outcome === 'exists' ? last : undefined;
  // 1. search permission on every directory a name is looked up in (the cwd or dirfd's directory
  // of a relative path included, its ancestors not: the walk starts there)
  for (const s of walk.steps) {
    if (s === final || s.kind !== 'dir') continue;
    const v = checkAccess(s, creds, 'x', real);
    if (!v.ok) {
      facts.push(`${describeStep(s)} denies search (x): ${v.why}`);
      return { denier: s, facts, short: `${s.path} denies search`, allAllow: false };
    }
  }
  // 2. the parent directory, for calls that create or remove a name
  const parent = parentOf(walk);
  if ((needs.parent || walk.outcome === 'missing') && parent && (needs.parent || needs.final.includes('w'))) {
    const v = checkAccess(parent, creds, 'w', real);
    if (!v.ok) {
      facts.push(`${describeStep(parent)} denies creating or removing entries (w): ${v.why}`);
      return { denier: parent, facts, short: `${parent.path} is not writable`, allAllow: false };
    }
    if (parent.attrs !== undefined && parent.attrs & STATX_ATTR_IMMUTABLE) {
      facts.push(`${describeStep(parent)} is immutable (chattr +i): no entry can be added or removed`);
      return { denier: parent, facts, short: `${parent.path} is immutable`, allAllow: false };
    }
    if (needs.removes && final && parent.mode & 0o1000 && creds.fsuid !== final.uid && creds.fsuid !== parent.uid && !has(creds.capEff, CAP_FOWNER)) {
      facts.push(`${describeStep(parent)} is sticky (+t): only the owner of ${final.path} (${userLabel(final.uid)}) or of the directory may remove or rename it`);
      return { denier: parent, facts, short: `${parent.path} is sticky`, allAllow: false };
    }
  }
  // 3. the final component itself
  if (final) {
    if (needs.dir && final.kind !== 'dir') facts.push(`${final.path} is not a directory`);
    if (needs.exec && final.kind !== 'file') {
      facts.push(`${describeStep(final)} is not a regular file: it cannot be executed`);
      return { denier: final, facts, short: `${final.path} is not a regular file`, allAllow: false };
    }
    for (const want of needs.final) {
      const v = checkAccess(final, creds, want, real);
      if (!v.ok) {
        facts.push(`${describeStep(final)} denies ${want === 'x' && final.kind !== 'dir' ? 'execute' : WANT_WORD[want]} (${want}): ${v.why}`);
        return { denier: final, facts, short: `${final.path} denies ${want === 'x' && final.kind !== 'dir' ? 'execute' : WANT_WORD[want]}`, allAllow: false };
      }
    }
    if (needs.exec && (final.mode & 0o111) === 0) {
      facts.push(`${describeStep(final)} has no execute bit at all`);
      return { denier: final, facts, short: `${final.path} is not executable`, allAllow: false };
    }
    if (final.attrs !== undefined && (needs.modifies || needs.final.includes('w'))) {
      if (final.attrs & STATX_ATTR_IMMUTABLE) {
        facts.push(`${describeStep(final)} is immutable (chattr +i): it cannot be written, renamed, removed or changed, even by root`);
        return { denier: final, facts, short: `${final.path} is immutable`, allAllow: false };
      }
      if (final.attrs & STATX_ATTR_APPEND && !needs.appends) {
        facts.push(`${describeStep(final)} is append-only (chattr +a): it can only be opened with O_APPEND`);
        return { denier: final, facts, short: `${final.path} is append-only`, allAllow: false };
      }
    }
    if (needs.owner && creds.fsuid !== final.uid) {
      const cap = needs.owner === 'chown' ? CAP_CHOWN : CAP_FOWNER;
      if (!has(creds.capEff, cap)) {
        facts.push(`${describeStep(final)} belongs to ${userLabel(final.uid)}, not to ${userLabel(creds.fsuid)}, and the process lacks ${needs.owner === 'chown' ? 'CAP_CHOWN' : 'CAP_FOWNER'}`);
        return { denier: final, facts, short: `not the owner of ${final.path}`, allAllow: false };
      }
    }
  }
  return { facts, short: '', allAllow: true };
}
