// The IPC family against the text strace 6.1 prints for the same calls (decode_ipc.c).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { linesFrom, normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_ipc');
});

const FAMILY_TOKEN: Record<string, string> = { shm: 'SHM', msg: 'MSQ', sem: 'SEM' };

/**
 * The ids the kernel hands out differ per run and can be small numbers (a fresh IPC namespace starts
 * at 0), so they are replaced by where they stand, never by value: the return value of shmget/msgget/
 * semget and the first argument of the calls that use it. Each use must carry the id its family's
 * *get returned.
 */
function tokenizeIpcIds(lines: string[]): string[] {
  const created: Record<string, string> = {};
  return lines.map((line) => {
    const made = /^(shm|msg|sem)get\(.* = (\d+)$/.exec(line);
    if (made) {
      created[made[1]] = made[2];
      return line.slice(0, line.length - made[2].length) + FAMILY_TOKEN[made[1]];
    }
    const used = /^(shm|msg|sem)(at|ctl|snd|rcv|op|timedop)\((\d+),/.exec(line);
    if (!used) return line;
    assert.equal(used[3], created[used[1]], `${line}: not the id ${used[1]}get returned`);
    return `${used[1]}${used[2]}(${FAMILY_TOKEN[used[1]]},` + line.slice(used[0].length);
  });
}

describe('ipc family', () => {
  it('prints keys, creation flags with the mode, ctl commands and their structs, semops and messages', async () => {
    const r = await tracePlain(['-e', 'trace=%ipc,mq_open,mq_timedsend,mq_timedreceive,mq_unlink'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    const pid = r.stdout.trim();
    assert.ok(r.lines.some((l) => l.includes(`shm_cpid=${pid},`)), 'shm_cpid is the fixture');
    const uid = process.getuid!();
    const gid = process.getgid!();
    const replace: Array<[RegExp, string]> = [
      [/(shm_[cl]pid)=\d+/g, '$1=PID'],
      [/systrace-test-\d+/, 'systrace-test-PID'],
      [/(shm_[acd]time)=[1-9]\d*/g, '$1=T'],
    ];
    const perm = `uid=${uid}, gid=${gid}`;
    const expected = [
      'shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = SHM',
      'shmat(SHM, NULL, SHM_RDONLY) = 0xADDR',
      `shmctl(SHM, IPC_STAT, {shm_perm={${perm}, mode=0600, key=0, cuid=${uid}, cgid=${gid}}, shm_segsz=4096, shm_cpid=PID, shm_lpid=PID, shm_nattch=1, shm_atime=T, shm_dtime=0, shm_ctime=T}) = 0`,
      // IPC_SET shows only what the caller can change, at entry.
      `shmctl(SHM, IPC_SET, {shm_perm={${perm}, mode=0640}}) = 0`,
      'shmctl(SHM, 0x63 /* SHM_??? */, 0xADDR) = -1 EINVAL (Invalid argument)',
      'shmdt(0xADDR) = 0',
      'shmctl(SHM, IPC_RMID, NULL) = 0',
      'msgget(IPC_PRIVATE, IPC_CREAT|0600) = MSQ',
      'msgsnd(MSQ, {mtype=1, mtext="hello"}, 5, 0) = 0',
      'msgrcv(MSQ, {mtype=1, mtext="hello"}, 5, 0, IPC_NOWAIT) = 5',
      'msgrcv(MSQ, 0xADDR, 5, 0, IPC_NOWAIT) = -1 ENOMSG (No message of desired type)',
      'msgctl(MSQ, IPC_RMID, NULL) = 0',
      'semget(IPC_PRIVATE, 2, IPC_CREAT|0600) = SEM',
      'semop(SEM, [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}], 1) = 0',
      'semtimedop(SEM, [{sem_num=1, sem_op=-1, sem_flg=IPC_NOWAIT}], 1, {tv_sec=0, tv_nsec=1000000}) = -1 EAGAIN (Resource temporarily unavailable)',
      'semctl(SEM, 0, SETVAL, 0x5) = 0',
      'semctl(SEM, 0, GETVAL, NULL) = 5',
      'semctl(SEM, 0, IPC_RMID, NULL) = 0',
      // glibc drops the leading slash of a queue name before the call.
      'mq_open("systrace-test-PID", O_RDWR|O_CREAT|O_EXCL, 0600, {mq_flags=0, mq_maxmsg=4, mq_msgsize=16, mq_curmsgs=0}) = 3',
      'mq_timedsend(3, "ping", 4, 7, NULL) = 0',
      'mq_timedreceive(3, "ping", 16, [7], NULL) = 4',
      'mq_unlink("systrace-test-PID") = 0',
    ];
    assert.deepEqual(linesFrom(normalizeLines(tokenizeIpcIds(r.lines), replace), expected), expected);
  });
});
