// No password, token, session cookie or CSRF token of an account reaches the log: the server runs at debug level with
// its log captured while accounts sign in (rightly and wrongly), use sessions and tokens, make and revoke tokens,
// and fail in every way the policy refuses, on both databases.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importBundle } from '../../src/content/import.ts';
import { buildApp } from '../../src/server.ts';
import type { Database } from '../../src/store/database.ts';
import { apiToken, createTestAccount, signIn } from '../support/accounts.ts';
import { SHIPPED } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { TEST_SECRETS } from '../support/server.ts';

const PASSWORD = 'Log-line test passphrase 7781';
const WRONG = 'Not-the-passphrase 5523 zz';

/** Every form a secret could be written in: as is, URL-encoded, JSON-escaped, and its random part alone. */
function forms(secret: string): string[] {
  const tail = secret.replace(/^hzn_/, '').replace(/^horizon_session=/, '');
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), tail];
}

for (const kind of await databaseKinds()) {
  describe(`no account secret in the log at debug level, on ${kind.name}`, () => {
    let db: Database;
    let app: FastifyInstance;
    let url: string;
    const lines: string[] = [];
    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      });
      app = await buildApp({ db, logLevel: 'debug', logStream: stream, secrets: TEST_SECRETS });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    it('logs requests but none of their passwords, tokens, cookies or CSRF tokens', async () => {
      const a = await createTestAccount(db, { email: 'logged@example.org', role: 'admin', password: PASSWORD });
      const secrets = [PASSWORD, WRONG];
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const wrong = await fetch(`${url}/login`, {
        method: 'POST',
        headers: form,
        body: new URLSearchParams({ email: a.email, password: WRONG }).toString(),
      });
      assert.equal(wrong.status, 401);
      const session = await signIn(url, a.email, PASSWORD);
      secrets.push(session.cookie, session.csrf);
      const token = await apiToken(db, a.email, ['admin']);
      secrets.push(token);
      const requests: [string, RequestInit][] = [
        ['/api/v1/me', { headers: { cookie: session.cookie } }],
        ['/api/v1/me', { headers: { authorization: `Bearer ${token}` } }],
        ['/api/v1/audit', { headers: { authorization: `Bearer ${token}x` } }],
        [`/api/v1/me?token=${token}`, {}],
        [`/account?_csrf=${session.csrf}`, { headers: { cookie: session.cookie } }],
        [
          '/account/tokens',
          {
            method: 'POST',
            headers: { ...form, cookie: session.cookie },
            body: `_csrf=${session.csrf}&scopes=admin&name=n`,
          },
        ],
        ['/account/tokens', { method: 'POST', headers: { ...form, cookie: session.cookie }, body: 'scopes=admin' }],
        [
          '/api/v1/me/tokens',
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{"scopes":["admin"]}',
          },
        ],
        ['/logout', { method: 'POST', headers: { ...form, cookie: session.cookie }, body: `_csrf=${session.csrf}` }],
        ['/api/v1/me', { headers: { cookie: session.cookie } }],
      ];
      for (const [path, init] of requests) {
        const r = await fetch(`${url}${path}`, { redirect: 'manual', ...init });
        const text = await r.text();
        const made = /hzn_[A-Za-z0-9_-]{43}/.exec(text)?.[0];
        if (made) secrets.push(made);
      }
      assert.ok(secrets.length >= 7, 'the new tokens were seen');
      assert.ok(
        lines.some((l) => l.includes('/api/v1/me')),
        'requests are logged',
      );
      const leaks = secrets.flatMap((s) =>
        forms(s)
          .filter((f) => lines.some((l) => l.includes(f)))
          .map((f) => `${f.slice(0, 12)}…`),
      );
      assert.deepEqual(leaks, []);
    });
  });
}
