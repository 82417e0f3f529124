// Nothing secret reaches the log: the server runs at debug level with its log captured, database errors are raised
// with a webhook secret among their parameters (refused casts, unique violations whose detail quotes the key, failed
// transactions, NUL bytes), and requests carry tokens in every place a client can put one (query strings, paths,
// Authorization, Cookie). No log line may hold any of those secrets, on either database.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importBundle } from '../../src/content/import.ts';
import { buildApp } from '../../src/server.ts';
import type { Database } from '../../src/store/database.ts';
import { SHIPPED } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { TEST_SECRETS } from '../support/server.ts';
import { PUBLIC } from '../../src/accounts/types.ts';

const WEBHOOK_SECRET = 'whsec_Zq8vT2nLrX4pW9sKd7fYb3mQ1cHj6uEa';
const OWNER_TOKEN = 'hzo_Pm3kR8wQz1XyT5vN9bLd2sFh7gJc4aUe';
const FEED_TOKEN = 'hzf_Yt6nB1qWm8Kx3Rz5Vp9Ls2Dj7Fh4Gc0A';
const PROFILE_TOKEN = 'Q2h4Uj7Kp9Lm3Nz8Xc5Vb1Rt6Yw0Ed4Fs';
const COOKIE = 'sessionid=Ck9Pz3Lm7Qw2Xr5Tb8Yn1Vd4Hs6Jf0Ga';
const KEY = 'k3y_not_a_token_shape_but_named_key';

const SECRETS = [WEBHOOK_SECRET, OWNER_TOKEN, FEED_TOKEN, PROFILE_TOKEN, COOKIE, KEY];

/** Every form a secret could be written in: as is, URL-encoded, JSON-escaped, and its random part alone. */
function forms(secret: string): string[] {
  const tail = secret.replace(/^[a-z]+_/, '').replace(/^sessionid=/, '');
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), tail];
}

for (const kind of await databaseKinds()) {
  describe(`no secret in the log at debug level, on ${kind.name}`, () => {
    let db: Database;
    let app: FastifyInstance;
    let url: string;
    const lines: string[] = [];
    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
      await db.exec('CREATE TABLE log_test (k text PRIMARY KEY); CREATE TABLE log_short (v varchar(4))');
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(
            ...chunk
              .toString('utf8')
              .split('\n')
              .filter((l) => l !== ''),
          );
          done();
        },
      });
      app = await buildApp({ db, logLevel: 'debug', logStream: stream, secrets: TEST_SECRETS });
      const testRoute = { config: { policy: PUBLIC } };
      // Routes that make the database refuse a statement holding the secret, as any store function could.
      app.get('/test/cast', testRoute, () => db.query('SELECT $1::int AS n', [WEBHOOK_SECRET]));
      app.get('/test/unique', testRoute, async () => {
        await db.query('INSERT INTO log_test VALUES ($1) ON CONFLICT DO NOTHING', [WEBHOOK_SECRET]);
        return db.query('INSERT INTO log_test VALUES ($1)', [WEBHOOK_SECRET]);
      });
      app.get('/test/transaction', testRoute, () =>
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO log_test VALUES ($1) ON CONFLICT DO NOTHING', [`${WEBHOOK_SECRET}-tx`]);
          return tx.query('INSERT INTO log_test VALUES ($1)', [`${WEBHOOK_SECRET}-tx`]);
        }),
      );
      app.get('/test/nul', testRoute, () => db.query('SELECT $1::text AS t', [`${WEBHOOK_SECRET}\u0000`]));
      app.get('/test/length', testRoute, () => db.query('INSERT INTO log_short VALUES ($1)', [WEBHOOK_SECRET]));
      app.get('/test/json', testRoute, () => db.query('SELECT $1::jsonb AS j', [`{"secret": "${WEBHOOK_SECRET}"`]));
      url = await app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers });

    it('database errors are logged with their SQL and code, never the parameters', async () => {
      for (const path of [
        '/test/cast',
        '/test/unique',
        '/test/transaction',
        '/test/nul',
        '/test/length',
        '/test/json',
      ]) {
        const r = await get(path);
        assert.equal(r.status, 500, path);
        const body = await r.text();
        for (const f of forms(WEBHOOK_SECRET)) assert.ok(!body.includes(f), `${path}: the answer holds no secret`);
      }
      const errors = lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
      assert.equal(errors.length, 6, `one error line per failure:\n${errors.join('\n')}`);
      const logged = errors.map((l) => JSON.parse(l) as { err: { type: string; code?: string; sql?: string } });
      assert.deepEqual(
        logged.map((l) => l.err.type),
        Array(6).fill('StatementError'),
      );
      assert.deepEqual(
        logged.map((l) => l.err.code),
        ['22P02', '23505', '23505', kind.name === 'postgres' ? '22021' : logged[3]?.err.code, '22001', '22P02'],
      );
      assert.ok(
        logged.every((l) => typeof l.err.sql === 'string' && l.err.sql.includes('$1')),
        'the SQL is kept',
      );
    });

    it('tokens in query strings, paths and headers are masked in every line', async () => {
      const sub = await fetch(`${url}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'atom', watch: {} }),
      });
      const created = (await sub.json()) as { owner_token: string; subscription: { id: string; feed_url: string } };
      SECRETS.push(created.owner_token, new URL(created.subscription.feed_url).searchParams.get('token') ?? '');
      const feedPath = new URL(created.subscription.feed_url);
      const requests: [string, Record<string, string>?][] = [
        [`${feedPath.pathname}${feedPath.search}`],
        [`${feedPath.pathname}?lang=zh&token=${FEED_TOKEN}`],
        [`${feedPath.pathname}?token=${encodeURIComponent(FEED_TOKEN)}&lang=en`],
        [`/feeds/subscriptions/${FEED_TOKEN}.atom`],
        [`/feeds/subscriptions/s_x.ics?TOKEN=${FEED_TOKEN}`],
        [`/nowhere/${OWNER_TOKEN}`],
        [`/api/v1/nowhere/${PROFILE_TOKEN}?x=1`],
        [`/watch?owner_token=${OWNER_TOKEN}`],
        [`/watch?secret=${WEBHOOK_SECRET}`],
        [`/?api_key=${KEY}`],
        [`/search?q=${PROFILE_TOKEN}`],
        [`/api/v1/subscriptions`, { authorization: `Bearer ${OWNER_TOKEN}` }],
        [`/api/v1/subscriptions`, { authorization: `Bearer ${created.owner_token}` }],
        [`/api/v1/profiles/p_x`, { authorization: `Bearer ${PROFILE_TOKEN}` }],
        [`/`, { cookie: COOKIE }],
        [
          `/api/v1/instruments`,
          { cookie: COOKIE, authorization: `Basic ${Buffer.from(`u:${KEY}`).toString('base64')}` },
        ],
        [`/feeds/subscriptions/s_x.atom?token=${FEED_TOKEN}&token=${OWNER_TOKEN}`],
      ];
      for (const [path, headers] of requests) await (await get(path, headers)).text();
      const incoming = lines.filter((l) => l.includes('"incoming request"'));
      assert.ok(incoming.length >= requests.length, `debug logs every request (${incoming.length} lines)`);
      assert.ok(
        incoming.some((l) => l.includes(`${feedPath.pathname}?lang=zh&token=[redacted]`)),
        'the URL is logged, its token masked',
      );
      assert.ok(
        incoming.some((l) => l.includes('/feeds/subscriptions/[redacted]')),
        'a token in the path is masked',
      );
    });

    it('no line holds any of the secrets', () => {
      assert.ok(lines.length > 30, `${lines.length} lines`);
      for (const line of lines) {
        for (const secret of SECRETS) {
          for (const f of forms(secret)) assert.ok(!line.includes(f), `a log line holds ${secret}:\n${line}`);
        }
      }
    });
  });
}
