// `-p nginx.service`: the processes of a systemd unit. systemd says where the unit's cgroup is and
// which is its MainPID (`systemctl show`); the cgroup file system says which processes are in it
// now (the main process, its children, and anything else the unit started: ExecStartPre leftovers,
// helpers that left the main process's tree). MainPID comes first, as `systemctl status` lists it.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cgroupProcs } from './cgroup.js';

/** A name -p reads as a unit rather than a pid: `nginx.service`, `session-3.scope`, `foo@1.service`. */
export function isUnitName(text: string): boolean {
  return /^[A-Za-z0-9:_.\\@-]+\.(service|scope)$/.test(text);
}

/** Is systemd the init system here? (sd_booted(3): the directory it creates at boot.) */
export function systemdRunning(runDir = '/run/systemd/system'): boolean {
  return existsSync(runDir);
}

export interface UnitProcesses {
  unit: string;
  mainPid: number;
  cgroup: string;
  pids: number[];
}

/** `systemctl show` output (KEY=VALUE lines) as a map. */
export function parseShow(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/**
 * The processes of `unit` from systemd's answer (`show`: LoadState, ActiveState, MainPID,
 * ControlGroup) and the cgroup file system. Throws an Error saying in a few words why there is
 * nothing to attach to.
 */
export function unitProcesses(unit: string, show: Map<string, string>, walk: (cgroup: string) => number[] = (cg) => cgroupProcs(cg)): UnitProcesses {
  const load = show.get('LoadState') ?? '';
  if (load === 'not-found') throw new Error('no such unit (systemctl list-units lists them)');
  if (load && load !== 'loaded') throw new Error(`the unit is ${load}`);
  const mainPid = Number(show.get('MainPID') ?? 0) || 0;
  const cgroup = show.get('ControlGroup') ?? '';
  let pids: number[] = [];
  if (cgroup) {
    try {
      pids = walk(cgroup);
    } catch (err) {
      if (!mainPid) throw err;
    }
  }
  if (mainPid) pids = [mainPid, ...pids.filter((p) => p !== mainPid)];
  if (!pids.length) throw new Error(`no process to attach to (the unit is ${show.get('ActiveState') || 'not running'})`);
  return { unit, mainPid, cgroup, pids };
}

/** The processes of a system unit, asked of the running systemd. Throws an Error with one line. */
export function resolveUnit(unit: string): UnitProcesses {
  if (!systemdRunning()) {
    throw new Error(`-p ${unit}: systemd is not running here (no /run/systemd/system), so there is no unit to look up; give its pids: -p PID`);
  }
  let text: string;
  try {
    // node:child_process (and the net and stream modules it loads) only when a unit is asked for:
    // every --plain run parses its options through this file, and its start-up is the traced command's.
    const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    text = execFileSync('systemctl', ['show', '--property=LoadState,ActiveState,MainPID,ControlGroup', '--', unit], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const why = e.code === 'ENOENT' ? 'systemctl is not installed' : (e.stderr ?? '').trim().split('\n')[0] || e.message;
    throw new Error(`-p ${unit}: systemctl show failed: ${why}`);
  }
  try {
    return unitProcesses(unit, parseShow(text));
  } catch (err) {
    throw new Error(`-p ${unit}: ${(err as Error).message}`);
  }
}
