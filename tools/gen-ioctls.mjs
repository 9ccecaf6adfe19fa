// tools/gen-ioctls.mjs: the ioctl request names of this machine's uapi headers, for gen-tables.mjs.
//
// An ioctl request is a 32-bit number; the decoder prints it by name. The names are every
// object-like #define of the uapi headers whose value is built with _IO/_IOR/_IOW/_IOWR/_IOC (or
// with a header's own wrapper of them, like DRM_IOWR or _SIO), plus the older requests that a few
// headers spell as bare hex numbers (terminal 0x54xx, socket 0x89xx, ...): HEX_HEADERS says which
// headers and which leading byte. Values are computed by the compiler, never written down here.
//
// The list is ordered as the decoder prints alternatives: by number, then by name; a name met twice
// keeps its first definition (headers in path order, asm/ before asm-generic/), and a name that
// merely extends the previous name of the same number (FOO and FOO_OLD) is dropped.
//
// Output: native/tables/generated/ioctl_list.h, IOCTL(0x5401, TCGETS) lines.
import fs from 'node:fs';
import path from 'node:path';

const DIRS = ['linux', 'asm-generic', 'drm', 'sound', 'mtd', 'scsi', 'misc', 'rdma', 'xen', 'video'];
const ARCH_ASM = 'x86_64-linux-gnu/asm'; // included as <asm/...>

// Headers that define (some of) their requests as plain numbers, with the request type byte(s).
const HEX_HEADERS = [
  ['linux/hdreg.h', '03'], ['scsi/sg.h', '22'], ['linux/fb.h', '46'], ['linux/kd.h', '4b'],
  ['linux/loop.h', '4c'], ['linux/cdrom.h', '53'], ['scsi/scsi.h', '53'], ['scsi/scsi_ioctl.h', '53'],
  ['asm/ioctls.h', '46|54|66|74'], ['asm-generic/ioctls.h', '46|54|66|74'], ['linux/vt.h', '56'],
  ['asm/sockios.h', '89'], ['asm-generic/sockios.h', '89'], ['linux/sockios.h', '89'], ['linux/wireless.h', '8b'],
];

// linux/kvm.h defines the requests of every architecture: those of the others are left out.
const EXCLUDE = /^KVM_(ARM|PPC|S390)_|^KVM_(ALLOCATE_RMA|CREATE_SPAPR_TCE|CREATE_SPAPR_TCE_64)$/;

// Requests of older headers, under the names strace gives them: a program built with the old header
// still sends them. [header, name, the old definition].
const OLD_REQUESTS = [
  // Linux 5.17 fixed the direction of SECCOMP_IOCTL_NOTIF_ID_VALID (it was SECCOMP_IOR).
  ['linux/seccomp.h', 'SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR', 'SECCOMP_IOR(2, __u64)'],
  // glibc's scsi/sg.h no longer has it; the sg driver still answers it.
  ['scsi/sg.h', 'SG_GET_ACCESS_COUNT', '0x2289'],
];

// OpenZFS's requests: its module is built outside the kernel tree and its headers are seldom
// installed, so its numbers are written down here (strace names them too). sys/fs/zfs.h's enum
// zfs_ioc counts from ZFS_IOC_FIRST ('Z' << 8), its platform requests from ZFS_IOC_PLATFORM + 1;
// BLKZNAME is _IOR(0x12, 125, char[256]); libspl's sys/kstat.h counts from 'K' << 8 | 1.
const ZFS_IOC_COMMON = `POOL_CREATE POOL_DESTROY POOL_IMPORT POOL_EXPORT POOL_CONFIGS POOL_STATS POOL_TRYIMPORT
  POOL_SCAN POOL_FREEZE POOL_UPGRADE POOL_GET_HISTORY VDEV_ADD VDEV_REMOVE VDEV_SET_STATE VDEV_ATTACH
  VDEV_DETACH VDEV_SETPATH VDEV_SETFRU OBJSET_STATS OBJSET_ZPLPROPS DATASET_LIST_NEXT SNAPSHOT_LIST_NEXT
  SET_PROP CREATE DESTROY ROLLBACK RENAME RECV SEND INJECT_FAULT CLEAR_FAULT INJECT_LIST_NEXT ERROR_LOG
  CLEAR PROMOTE SNAPSHOT DSOBJ_TO_DSNAME OBJ_TO_PATH POOL_SET_PROPS POOL_GET_PROPS SET_FSACL GET_FSACL
  SHARE INHERIT_PROP SMB_ACL USERSPACE_ONE USERSPACE_MANY USERSPACE_UPGRADE HOLD RELEASE GET_HOLDS
  OBJSET_RECVD_PROPS VDEV_SPLIT NEXT_OBJ DIFF TMP_SNAPSHOT OBJ_TO_STATS SPACE_WRITTEN SPACE_SNAPS
  DESTROY_SNAPS POOL_REGUID POOL_REOPEN SEND_PROGRESS LOG_HISTORY SEND_NEW SEND_SPACE CLONE BOOKMARK
  GET_BOOKMARKS DESTROY_BOOKMARKS RECV_NEW POOL_SYNC CHANNEL_PROGRAM LOAD_KEY UNLOAD_KEY CHANGE_KEY REMAP
  POOL_CHECKPOINT POOL_DISCARD_CHECKPOINT POOL_INITIALIZE POOL_TRIM REDACT GET_BOOKMARK_PROPS WAIT WAIT_FS
  VDEV_GET_PROPS VDEV_SET_PROPS`;
const ZFS_IOC_PLATFORM = 'EVENTS_NEXT EVENTS_CLEAR EVENTS_SEEK NEXTBOOT JAIL UNJAIL SET_BOOTENV GET_BOOTENV';
function zfsRequests() {
  const run = (names, first, prefix) => names.trim().split(/\s+/).map((n, i) => ({ name: prefix + n, code: first + i }));
  const Z = 0x5a << 8;
  return [
    ...run(ZFS_IOC_COMMON, Z, 'ZFS_IOC_'),
    ...run(ZFS_IOC_PLATFORM, Z + 0x81, 'ZFS_IOC_'),
    { name: 'BLKZNAME', code: ((2 << 30) | (256 << 16) | (0x12 << 8) | 125) >>> 0 },
    ...run('CHAIN_ID READ WRITE', (0x4b << 8) | 1, 'KSTAT_IOC_'),
  ];
}

// Macros every header may use without including them itself.
const PRELUDE = ['<linux/types.h>', '<linux/ioctl.h>', '<stddef.h>'];

function listHeaders(inc) {
  const out = [];
  const walk = (abs, rel) => {
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(abs, e.name), `${rel}/${e.name}`);
      else if (e.name.endsWith('.h')) out.push({ rel: `${rel}/${e.name}`, abs: path.join(abs, e.name) });
    }
  };
  for (const d of DIRS) walk(path.join(inc, d), d);
  walk(path.join(inc, ARCH_ASM), 'asm');
  // strace's order for one name defined twice: path order, except asm/ before asm-generic/.
  const key = (r) => r.replace(/^asm\//, 'asm\u0000/');
  return out.sort((a, b) => (key(a.rel) < key(b.rel) ? -1 : key(a.rel) > key(b.rel) ? 1 : 0));
}

// #define lines of a header, comments removed and continuation lines joined.
function defines(text) {
  text = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '').replace(/\\\n/g, ' ');
  const out = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?\s*(.*)$/);
    if (m) out.push({ name: m[1], fnlike: !!m[2], body: m[3].trim() });
  }
  return out;
}

export async function genIoctls({ inc, compileAndRun, warn }) {
  const headers = listHeaders(inc);
  const parsed = headers.map((h) => ({ ...h, defs: defines(fs.readFileSync(h.abs, 'utf8')) }));

  // A request's definition calls one of the _IO* builders, or a header's wrapper named like one
  // (DRM_IOWR, _SIOR, AMDKFD_IOW); definitions computed any other way (MIXER_READ(dev)) are not
  // requests of their own.
  const builderCall = /^([A-Z]+)?_S?(IO|IOW|IOR|IOWR|IOC)\s*\(/;
  const hexRules = new Map(HEX_HEADERS.map(([h, t]) => [h, new RegExp(`^0x(${t})[0-9a-f]{2}$`, 'i')]));
  const candidates = []; // { header, name }
  for (const h of parsed) {
    const hex = hexRules.get(h.rel);
    for (const d of h.defs) {
      if (d.fnlike || !/^[A-Z][A-Z0-9_]*$/.test(d.name) || EXCLUDE.test(d.name)) continue;
      if (builderCall.test(d.body) || (hex && hex.test(d.body)))
        candidates.push({ header: h.rel, name: d.name, body: d.body });
    }
  }

  for (const [header, name, expr] of OLD_REQUESTS) candidates.push({ header, name, body: expr, expr });

  // Evaluate per group of headers that compile together; a candidate whose line does not compile
  // (a size of a type the uapi headers do not define) is dropped alone.
  const byHeader = new Map();
  for (const c of candidates) {
    if (!byHeader.has(c.header)) byHeader.set(c.header, []);
    byHeader.get(c.header).push(c);
  }
  const program = (hdrs, names) => {
    let s = '#include <stdio.h>\n';
    for (const p of PRELUDE) s += `#include ${p}\n`;
    for (const h of hdrs) s += `#include <${h}>\n`;
    // One function per name, so that an undeclared identifier is reported for every name using it.
    const firstLine = s.split('\n').length;
    names.forEach((c, i) => {
      if (c.expr) {
        // Five lines as the others take, so that a compile error still points at its name.
        s += `\n\nstatic void f${i}(void) { printf("%d %u\\n", ${i}, (unsigned)(${c.expr})); }\n\n\n`;
        return;
      }
      s += `#ifdef ${c.name}\nstatic void f${i}(void) { printf("%d %u\\n", ${i}, (unsigned)(${c.name})); }\n`;
      s += `#else\nstatic void f${i}(void) {}\n#endif\n`;
    });
    s += 'int main(void) {\n';
    names.forEach((_, i) => { s += `  f${i}();\n`; });
    s += '  return 0;\n}\n';
    return { source: s, firstLine };
  };
  const values = new Map(); // candidate -> value
  const dropped = [];
  const evalGroup = async (hdrs, names = hdrs.flatMap((h) => byHeader.get(h)), retry = true) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const { source, firstLine } = program(hdrs, names);
      try {
        const out = await compileAndRun(source);
        for (const line of out.split('\n')) {
          if (!line) continue;
          const [i, v] = line.split(' ');
          values.set(names[Number(i)], Number(v));
        }
        return true;
      } catch (err) {
        const text = String(err.stderr || err.message);
        // Errors in main() (or in a header's macro expanded there): drop the names on those lines (5
        // lines per name) and try again; errors anywhere else mean the headers clash.
        const bad = new Set();
        for (const m of text.matchAll(/p\d+\.c:(\d+):\d+: (?:error|note: in expansion of macro)/g)) {
          const line = Number(m[1]);
          if (line >= firstLine) bad.add(Math.floor((line - firstLine) / 5));
        }
        if (!bad.size) return false;
        if (retry) dropped.push(...names.filter((_, i) => bad.has(i)));
        names = names.filter((_, i) => !bad.has(i));
      }
    }
    return false;
  };
  const broken = [];
  const evalHeaders = async (hdrs) => {
    if (await evalGroup(hdrs)) return;
    if (hdrs.length === 1) {
      broken.push(hdrs[0]);
      return;
    }
    const mid = hdrs.length >> 1;
    await Promise.all([evalHeaders(hdrs.slice(0, mid)), evalHeaders(hdrs.slice(mid))]);
  };
  await evalHeaders([...byHeader.keys()]);
  if (broken.length) warn(`ioctls: headers that do not compile here, their requests left out: ${broken.sort().join(' ')}`);
  // A request whose header uses a struct or a macro it does not define itself (fs.h's FS_IOC_FIEMAP
  // and struct fiemap, sonet.h and ATMIOC_PHYTYP): once more with the headers that define them.
  const structHome = new Map();
  const macroHome = new Map();
  for (const h of parsed) {
    for (const m of fs.readFileSync(h.abs, 'utf8').matchAll(/^struct\s+(\w+)\s*\{/gm))
      if (!structHome.has(m[1])) structHome.set(m[1], h.rel);
    for (const d of h.defs) if (!macroHome.has(d.name)) macroHome.set(d.name, h.rel);
  }
  const homesOf = (body) => [
    ...[...body.matchAll(/\bstruct\s+(\w+)/g)].map((m) => structHome.get(m[1])),
    ...[...body.matchAll(/\b[A-Z_][A-Z0-9_]*\b/g)].map((m) => macroHome.get(m[0])),
  ];
  const retries = new Map();
  for (const c of dropped) {
    const extra = homesOf(c.body).filter((h) => h && h !== c.header);
    if (!extra.length) continue;
    const hdrs = [...new Set(extra)].concat(c.header);
    const key = hdrs.join(' ');
    if (!retries.has(key)) retries.set(key, { hdrs, names: [] });
    retries.get(key).names.push(c);
  }
  await Promise.all([...retries.values()].map((r) => evalGroup(r.hdrs, r.names, false)));

  // First definition of each name, then by number and name; FOO_OLD after FOO of the same number goes.
  const seen = new Set();
  const list = [];
  for (const c of candidates) {
    if (!values.has(c) || seen.has(c.name)) continue;
    seen.add(c.name);
    list.push({ name: c.name, code: values.get(c) });
  }
  // v4l2-subdev.h repeats some video device requests under a VIDIOC_SUBDEV_ name (VIDIOC_SUBDEV_S_STD
  // is VIDIOC_S_STD): the device's own name is the one printed.
  const codeOf = new Map(list.map((e) => [e.name, e.code]));
  const notRepeat = (e) => {
    const m = e.name.match(/^VIDIOC_SUBDEV_(.*)$/);
    return !m || codeOf.get(`VIDIOC_${m[1]}`) !== e.code;
  };
  list.splice(0, list.length, ...list.filter(notRepeat), ...zfsRequests().filter((e) => !seen.has(e.name)));
  list.sort((a, b) => a.code - b.code || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kept = list.filter((e, i) => i === 0 || list[i - 1].code !== e.code || !e.name.startsWith(list[i - 1].name));
  return kept;
}
