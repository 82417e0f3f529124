// An exclusive lock on a data folder: one process at a time; a second one is told who holds it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errors } from '../errors.ts';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

/** A held lock; release() frees it (also done at process exit). */
export interface DataDirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

/**
 * Takes the lock of dir (creating dir), or throws store_locked naming the live process that holds it. A lock left by
 * a process that no longer runs on this host is taken over.
 */
export function lockDataDir(dir: string, command: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'horizon.lock');
  const me: Holder = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      const release = (): void => {
        const current = readHolder(file);
        if (current?.pid === me.pid && current.since === me.since) fs.rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && (holder.host !== me.host || alive(holder.pid))) {
        throw errors.storeLocked(
          dir,
          `"${holder.command}" (process ${holder.pid} on ${holder.host}, since ${holder.since})`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw errors.storeLocked(dir, 'another process that keeps taking the lock');
}
