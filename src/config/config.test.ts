import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_ACCOUNTS, DEFAULT_HTTP_LIMITS, loadConfig } from './config.ts';

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

  it('takes the age after which an article is due for review, 365 days by default', () => {
    assert.equal(loadConfig({}, {}).attention.reviewAfterDays, 365);
    assert.equal(loadConfig({}, { HORIZON_REVIEW_AFTER_DAYS: '90' }).attention.reviewAfterDays, 90);
    assert.throws(
      () => loadConfig({}, { HORIZON_REVIEW_AFTER_DAYS: '0' }),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.includes('HORIZON_REVIEW_AFTER_DAYS')),
    );
  });

  it('limits slow and idle clients and connections, by default and as set', () => {
    assert.deepEqual(loadConfig({}, {}).http.limits, DEFAULT_HTTP_LIMITS);
    assert.deepEqual(loadConfig({}, {}).accounts, DEFAULT_ACCOUNTS);
    assert.deepEqual(
      loadConfig({}, { HORIZON_SESSION_IDLE_MINUTES: '30', HORIZON_SESSION_MAX_HOURS: '8' }).accounts.sessions,
      { idleSeconds: 1800, maxAgeSeconds: 28_800 },
    );
    assert.throws(() => loadConfig({}, { HORIZON_SESSION_IDLE_MINUTES: '0' }), /HORIZON_SESSION_IDLE_MINUTES/);
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

describe('configuration: production mode, the public URL, proxies and the secret key', () => {
  const KEY = 'ab'.repeat(32);
  const problemsOf = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig({}, env);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
  };

  it('is development unless NODE_ENV=production; production requires HORIZON_PUBLIC_URL and HORIZON_SECRET_KEY', () => {
    assert.equal(loadConfig({}, {}).mode, 'development');
    assert.equal(loadConfig({}, { NODE_ENV: 'test' }).mode, 'development');
    const missing = problemsOf({ NODE_ENV: 'production' });
    assert.equal(missing.length, 2, missing.join('\n'));
    assert.match(missing[0] ?? '', /HORIZON_PUBLIC_URL is required/);
    assert.match(missing[1] ?? '', /HORIZON_SECRET_KEY is required/);
    const c = loadConfig(
      {},
      { NODE_ENV: 'production', HORIZON_PUBLIC_URL: 'https://h.example/', HORIZON_SECRET_KEY: KEY },
    );
    assert.equal(c.mode, 'production');
    assert.equal(c.watch.publicUrl, 'https://h.example');
    assert.deepEqual(c.secretKey, Buffer.from(KEY, 'hex'));
  });

  it('defaults the public URL in development to http://HOST:PORT from config', () => {
    const c = loadConfig({ host: '0.0.0.0', port: '8080' }, {});
    assert.equal(c.watch.publicUrl, 'http://0.0.0.0:8080');
    assert.equal(c.watch.publicUrlConfigured, false);
    assert.equal(loadConfig({ host: '::1' }, {}).watch.publicUrl, 'http://[::1]:3000');
  });

  it('takes an origin for HORIZON_PUBLIC_URL and refuses anything else, without echoing a password', () => {
    for (const [given, origin] of [
      ['https://horizon.example', 'https://horizon.example'],
      ['https://horizon.example/', 'https://horizon.example'],
      ['http://horizon.example:8080', 'http://horizon.example:8080'],
      ['HTTPS://Horizon.Example', 'https://horizon.example'],
      ['https://[2001:db8::1]', 'https://[2001:db8::1]'],
    ] as const) {
      assert.equal(loadConfig({}, { HORIZON_PUBLIC_URL: given }).watch.publicUrl, origin, given);
    }
    const bad = [
      'horizon.example',
      'ftp://horizon.example',
      'javascript:alert(1)',
      'https://horizon.example/guide',
      'https://horizon.example?x=1',
      'https://horizon.example#top',
      'https://user:hunter2@horizon.example',
      'https://',
      'http://exa mple.com',
      '//horizon.example',
    ];
    for (const value of bad) {
      const problems = problemsOf({ HORIZON_PUBLIC_URL: value });
      assert.equal(problems.length, 1, value);
      assert.match(problems[0] ?? '', /HORIZON_PUBLIC_URL must be an http/, value);
      assert.ok(!problems[0]?.includes('hunter2'), 'a password is not repeated');
    }
  });

  it('reads HORIZON_TRUST_PROXY as none, all, a hop count or addresses, and refuses the rest', () => {
    const trust = (value: string) => loadConfig({}, { HORIZON_TRUST_PROXY: value }).http.trustProxy;
    assert.equal(loadConfig({}, {}).http.trustProxy, false);
    assert.equal(trust(''), false);
    assert.equal(trust('0'), false);
    assert.equal(trust('false'), false);
    assert.equal(trust('true'), true);
    assert.equal(trust('2'), 2);
    assert.deepEqual(trust('10.0.0.1, 192.168.0.0/16,::1,fd00::/8'), ['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8']);
    for (const value of ['yes', '101', '10.0.0.1/33', '::1/129', '10.0.0', 'localhost', '10.0.0.1/8/8', '1e3', '-1']) {
      assert.equal(problemsOf({ HORIZON_TRUST_PROXY: value }).length, 1, value);
    }
  });

  it('takes HORIZON_SECRET_KEY as 32 bytes in hex or base64 only, and never repeats it in a problem', () => {
    assert.deepEqual(
      loadConfig({}, { HORIZON_SECRET_KEY: Buffer.alloc(32, 5).toString('base64') }).secretKey,
      Buffer.alloc(32, 5),
    );
    assert.deepEqual(
      loadConfig({}, { HORIZON_SECRET_KEY: Buffer.alloc(32, 6).toString('base64url') }).secretKey,
      Buffer.alloc(32, 6),
    );
    assert.equal(loadConfig({}, {}).secretKey, undefined);
    for (const value of [
      'ab'.repeat(31),
      'ab'.repeat(33),
      'zz'.repeat(32),
      Buffer.alloc(16).toString('base64'),
      'hunter2',
      `${'ab'.repeat(32)}\u0000`,
    ]) {
      const problems = problemsOf({ HORIZON_SECRET_KEY: value });
      assert.equal(problems.length, 1, value);
      assert.ok(!problems[0]?.includes(value), 'the key is not echoed');
    }
  });
});
