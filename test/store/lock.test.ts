// The data folder lock: taken atomically, a stale one (a dead process's, or one with our own PID that we did not
// take) taken over, and exactly one winner when several processes race for one folder.
import assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HorizonError } from '../../src/errors.ts';
import { lockDataDir } from '../../src/store/lock.ts';
import { tempDir } from '../support/bundles.ts';

const lockFile = (dir: string) => path.join(dir, 'horizon.lock');
const record = (pid: number, command = 'old run') =>
  JSON.stringify({ pid, host: os.hostname(), command, since: '2026-01-01T00:00:00.000Z' });

/** The PID of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  assert.ok(pid, 'spawned');
  return pid;
}

const isLocked = (e: unknown) => e instanceof HorizonError && e.code === 'store_locked';

describe('data folder lock', () => {
  it('takes over a leftover lock holding our own PID (a restarted container), but not our own live lock', () => {
    const dir = tempDir();
    fs.writeFileSync(lockFile(dir), record(process.pid));
    const lock = lockDataDir(dir, 'test');
    const holder = JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')) as { pid: number; command: string };
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.command, 'test');
    assert.throws(
      () => lockDataDir(dir, 'again'),
      (e: unknown) => isLocked(e) && /this very process/.test(String(e)),
    );
    lock.release();
    assert.equal(fs.existsSync(lockFile(dir)), false, 'released');
    assert.deepEqual(fs.readdirSync(dir), [], 'no temporary or claim files left');
  });

  it('takes over the lock of a dead process and of an unreadable lock file; refuses a live holder', () => {
    for (const text of [record(deadPid()), '', '{"pid":', 'null']) {
      const dir = tempDir();
      fs.writeFileSync(lockFile(dir), text);
      lockDataDir(dir, 'test').release();
    }
    const dir = tempDir();
    fs.writeFileSync(lockFile(dir), record(process.ppid, 'the parent'));
    assert.throws(
      () => lockDataDir(dir, 'test'),
      (e: unknown) => isLocked(e) && /"the parent"/.test(String(e)),
    );
    assert.equal(fs.readFileSync(lockFile(dir), 'utf8'), record(process.ppid, 'the parent'), 'left as it was');
  });

  describe('racing processes', () => {
    const RACERS = 8;
    const ROUNDS = 8;
    const children: ChildProcess[] = [];
    const inbox: { pid: number; won: boolean; code?: string }[] = [];

    before(async () => {
      const script = path.resolve('test/store/lock-racer.ts');
      await Promise.all(
        Array.from({ length: RACERS }, () => {
          const child = fork(script, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          children.push(child);
          return new Promise<void>((resolve) =>
            child.on('message', (m: { ready?: boolean; pid: number; won: boolean; code?: string }) =>
              m.ready ? resolve() : inbox.push(m),
            ),
          );
        }),
      );
    });
    after(() => {
      for (const child of children) child.kill();
    });

    it(`exactly one of ${RACERS} processes gets one lock, stale or absent, in each of ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const dir = tempDir();
        // Even rounds: a stale lock (a dead process's, then a leftover with a racer's own PID); odd: no lock at all.
        if (round % 4 === 0) fs.writeFileSync(lockFile(dir), record(deadPid()));
        if (round % 4 === 2) fs.writeFileSync(lockFile(dir), record(children[round % RACERS]?.pid ?? 0));
        inbox.length = 0;
        const at = Date.now() + 300;
        for (const child of children) child.send({ dir, at });
        while (inbox.length < RACERS) await new Promise((resolve) => setTimeout(resolve, 10));
        const winners = inbox.filter((m) => m.won);
        assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify(inbox)}`);
        assert.deepEqual(
          inbox.filter((m) => !m.won).map((m) => m.code),
          Array(RACERS - 1).fill('store_locked'),
          `round ${round}`,
        );
        const holder = JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')) as { pid: number };
        assert.equal(holder.pid, winners[0]?.pid, `round ${round}: the file names the winner`);
        assert.deepEqual(fs.readdirSync(dir), ['horizon.lock'], `round ${round}: no temporary or claim files left`);
      }
    });
  });
});
