// An exclusive lock on a data folder: one process at a time; a second one is told who holds it.
//
// Taking it is atomic: the holder's record is written to a private temporary file and hard-linked to horizon.lock,
// which fails if horizon.lock exists (so the lock file is never seen empty or half written). A lock left by a process
// that no longer runs on this host — or that holds our own PID without this process having taken it, as after a
// container restart where every run is PID 1 — is stale. Taking over a stale lock is guarded by a claim file named
// after that stale record (horizon.lock.<hash>.claim), made with an exclusive create: of all the processes that judged
// the same record stale, exactly one makes the claim, checks the record is still the one it judged, and replaces it
// by an atomic rename; the others find the claim taken and look again (and see the new, live holder).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errors } from '../errors.ts';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
  /** Tells apart two takings by processes with the same PID (a restarted container). */
  readonly nonce?: string;
}

/** A held lock; release() frees it (also done at process exit). */
export interface DataDirLock {
  release(): void;
}

/** The records of the locks this process holds, by lock file: a lock with our PID not in here is stale. */
const held = new Map<string, string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder> | null;
    return typeof value?.pid === 'number' && typeof value.host === 'string' ? (value as Holder) : null;
  } catch {
    return null;
  }
}

/** Why the record in the lock file still holds the folder (a description of its holder), or null when it is stale. */
function liveHolder(file: string, text: string): string | null {
  const holder = parseHolder(text);
  if (!holder) return null; // unreadable: never written by a live taker, since the file appears whole
  const description = `"${holder.command}" (process ${holder.pid} on ${holder.host}, since ${holder.since})`;
  if (holder.host !== os.hostname()) return description;
  if (holder.pid === process.pid) return held.get(file) === text ? `${description}, this very process` : null;
  return alive(holder.pid) ? description : null;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function tryUnlink(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

/**
 * The data folder holds the whole database (and secret.key): only its owner may enter it. A folder made before Horizon
 * did this (0755) is tightened too; one owned by another user is left alone (chmod would fail: it is theirs to set).
 */
function restrictToOwner(dir: string): void {
  try {
    if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

/**
 * Takes the lock of dir (creating dir), or throws store_locked naming the live process that holds it. A stale lock
 * (see above) is taken over by exactly one of the processes that try at once.
 */
export function lockDataDir(dir: string, command: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrictToOwner(dir);
  const file = path.join(dir, 'horizon.lock');
  const me: Holder = {
    pid: process.pid,
    host: os.hostname(),
    command,
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const record = JSON.stringify(me);
  const temp = `${file}.${me.pid}.${me.nonce}.tmp`;
  fs.writeFileSync(temp, record, { flag: 'wx', mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        fs.linkSync(temp, file); // atomic exclusive create of a complete file
        return taken(file, record);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = readText(file);
      if (text === null) continue; // released meanwhile: try again
      const holder = liveHolder(file, text);
      if (holder) throw errors.storeLocked(dir, holder);
      const claim = `${file}.${createHash('sha256').update(text).digest('hex').slice(0, 16)}.claim`;
      try {
        fs.writeFileSync(claim, record, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        clearAbandonedClaim(claim);
        sleep(5 + attempt); // another process is taking this stale lock over: look again once it has
        continue;
      }
      try {
        if (readText(file) !== text) continue; // changed since it was judged: judge again
        fs.renameSync(temp, file); // replaces the stale record, which only the claim's maker may do
        return taken(file, record);
      } finally {
        tryUnlink(claim); // the record it names is gone for good, so the claim can never be made usefully again
      }
    }
    throw errors.storeLocked(dir, 'another process that keeps taking the lock');
  } finally {
    tryUnlink(temp);
  }
}

/** A claim left by a process that died while taking a stale lock over (a few microseconds' window) is removed after a
 * while, so that lock can still be taken over. */
function clearAbandonedClaim(claim: string): void {
  try {
    const text = readText(claim);
    const maker = text === null ? null : parseHolder(text);
    const age = Date.now() - fs.statSync(claim).mtimeMs;
    if (age > 10_000 && (!maker || maker.host !== os.hostname() || !alive(maker.pid) || maker.pid === process.pid)) {
      tryUnlink(claim);
    }
  } catch {
    // gone already
  }
}

function taken(file: string, record: string): DataDirLock {
  held.set(file, record);
  const release = (): void => {
    if (held.get(file) === record) {
      if (readText(file) === record) tryUnlink(file);
      held.delete(file);
    }
    process.off('exit', release);
  };
  process.on('exit', release);
  return { release };
}
