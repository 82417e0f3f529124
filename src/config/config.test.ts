import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to port 3000 and an embedded database in ./data', () => {
    const c = loadConfig({}, {});
    assert.equal(c.http.port, 3000);
    assert.deepEqual(c.database, { kind: 'pglite', dataDir: path.resolve('data') });
  });

  it('selects PostgreSQL with DATABASE_URL, and --data wins over it', () => {
    assert.equal(loadConfig({}, { DATABASE_URL: 'postgres://u@h/db' }).database.kind, 'postgres');
    assert.equal(loadConfig({ dataDir: 'x' }, { DATABASE_URL: 'postgres://u@h/db' }).database.kind, 'pglite');
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => loadConfig({}, { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
      (e: unknown) => e instanceof ConfigError && e.problems.length === 3,
    );
  });
});
