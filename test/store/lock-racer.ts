// A child process of lock.test.ts: on each message {dir, at} it waits until `at`, tries to take the lock of dir, and
// answers whether it got it (keeping it, so the others see a live holder), or the error code it got.
import { lockDataDir, type DataDirLock } from '../../src/store/lock.ts';
import { HorizonError } from '../../src/errors.ts';

const locks: DataDirLock[] = [];
process.on('message', (message: { dir: string; at: number }) => {
  while (Date.now() < message.at) {
    // spin, so that every racer starts within the same millisecond
  }
  try {
    locks.push(lockDataDir(message.dir, 'racer'));
    process.send?.({ pid: process.pid, won: true });
  } catch (error) {
    process.send?.({ pid: process.pid, won: false, code: error instanceof HorizonError ? error.code : String(error) });
  }
});
process.send?.({ ready: true });
