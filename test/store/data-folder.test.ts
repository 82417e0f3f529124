// The PGlite data folder holds the whole database and, in development, the secret key: Horizon makes it (and tightens
// an existing one) readable by its owner only, and the files it writes there itself are 0600.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { lockDataDir } from '../../src/store/lock.ts';
import { openPglite } from '../../src/store/pglite/pglite-database.ts';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('the data folder', { skip: process.platform === 'win32' ? 'POSIX modes' : false }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'horizon-folder-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is made 0700 (parents too), with its lock file 0600, whatever the umask', () => {
    const old = process.umask(0o000);
    try {
      const dir = path.join(root, 'new', 'data');
      const lock = lockDataDir(dir, 'test');
      try {
        assert.equal(mode(dir), 0o700);
        assert.equal(mode(path.dirname(dir)), 0o700);
        assert.equal(mode(path.join(dir, 'horizon.lock')), 0o600);
      } finally {
        lock.release();
      }
    } finally {
      process.umask(old);
    }
  });

  it('an existing folder others could read is tightened to 0700 when the database opens', async () => {
    const dir = path.join(root, 'old');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const db = await openPglite(dir, 'test');
    try {
      assert.equal(mode(dir), 0o700);
      assert.ok(fs.existsSync(path.join(dir, 'pgdata')), 'the database lives inside it');
    } finally {
      await db.close();
    }
    assert.equal(mode(dir), 0o700);
  });
});
