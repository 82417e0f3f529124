import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_HTTP_LIMITS, loadConfig } from './config.ts';

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

  it('limits slow and idle clients and connections, by default and as set', () => {
    assert.deepEqual(loadConfig({}, {}).http.limits, DEFAULT_HTTP_LIMITS);
    const set = loadConfig(
      {},
      {
        HTTP_HEADERS_TIMEOUT_MS: '500',
        HTTP_REQUEST_TIMEOUT_MS: '1000',
        HTTP_IDLE_TIMEOUT_MS: '2000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '300',
        HTTP_MAX_CONNECTIONS: '20',
      },
    );
    assert.deepEqual(set.http.limits, {
      headersTimeoutMs: 500,
      requestTimeoutMs: 1000,
      idleTimeoutMs: 2000,
      keepAliveTimeoutMs: 300,
      maxConnections: 20,
    });
    assert.throws(
      () =>
        loadConfig(
          {},
          {
            HTTP_HEADERS_TIMEOUT_MS: '5000',
            HTTP_REQUEST_TIMEOUT_MS: '1000',
            HTTP_IDLE_TIMEOUT_MS: '0',
            HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon',
            HTTP_MAX_CONNECTIONS: '-1',
          },
        ),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.length === 4 &&
        ['HTTP_IDLE_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 'HTTP_MAX_CONNECTIONS', 'must not exceed'].every((w) =>
          e.problems.some((p) => p.includes(w)),
        ),
    );
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => loadConfig({}, { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
      (e: unknown) => e instanceof ConfigError && e.problems.length === 3,
    );
  });
});
