// Webhook secrets at rest, on both databases: the stored value is not the secret (AES-256-GCM, v1:iv:tag:ct, bound to
// its subscription); deliveries are signed with the secret itself; secrets an older Horizon stored in clear are
// encrypted at start; a wrong key, an altered value or a value copied onto another row is refused with a clear error.
// Keys: HORIZON_SECRET_KEY, else in development on PGlite a generated data-folder file (0600); PostgreSQL needs one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { HorizonError } from '../../src/errors.ts';
import type { Database } from '../../src/store/database.ts';
import { verifyWebhookSignature } from '../../src/watch/deliver/signature.ts';
import { createMailer } from '../../src/watch/deliver/email.ts';
import { recordEvents } from '../../src/watch/events.store.ts';
import { dispatchEvents } from '../../src/watch/outbox.ts';
import { isSealed, prepareSecrets, secretBox, secretKeyFor, SECRET_KEY_FILE } from '../../src/watch/secrets.ts';
import { SubscriptionIndex } from '../../src/watch/subscription-index.ts';
import { deliveryTarget } from '../../src/watch/subscriptions.service.ts';
import { deliverDue } from '../../src/watch/worker.ts';
import { databaseKinds } from '../support/databases.ts';
import { TEST_SECRETS } from '../support/server.ts';
import { watchConfig } from '../support/watch-config.ts';
import { challengeAnswer, subscribeEchoingWebhook } from '../support/webhooks.ts';

const isSecretKeyError = (e: unknown) => e instanceof HorizonError && e.code === 'secret_key';

const config = watchConfig();
/** Limits these tests never reach. */

describe('the secret box', () => {
  const box = secretBox(Buffer.alloc(32, 1));

  it('seals a secret as v1:iv:tag:ct, differently each time, and opens it again', () => {
    const a = box.seal('whsec_abc', 's_1');
    const b = box.seal('whsec_abc', 's_1');
    assert.match(a, /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    assert.notEqual(a, b, 'a new IV each time');
    assert.ok(!a.includes('whsec') && !a.includes('abc'));
    assert.equal(box.open(a, 's_1'), 'whsec_abc');
    assert.equal(box.open(b, 's_1'), 'whsec_abc');
    assert.ok(isSealed(a) && !isSealed('whsec_abc'));
  });

  it('refuses another key, another subscription, and every altered or malformed value', () => {
    const sealed = box.seal('whsec_abc', 's_1');
    const [v, iv = '', tag = '', ct = ''] = sealed.split(':');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const bad = [
      [secretBox(Buffer.alloc(32, 2)), sealed, 's_1'],
      [box, sealed, 's_2'],
      [box, `${v}:${flip(iv)}:${tag}:${ct}`, 's_1'],
      [box, `${v}:${iv}:${flip(tag)}:${ct}`, 's_1'],
      [box, `${v}:${iv}:${tag}:${flip(ct)}`, 's_1'],
      [box, `v2:${iv}:${tag}:${ct}`, 's_1'],
      [box, `${v}:${iv}:${tag}`, 's_1'],
      [box, `${sealed}:extra`, 's_1'],
      [box, 'whsec_abc', 's_1'],
      [box, '', 's_1'],
      [box, 'v1:::', 's_1'],
      [box, `${v}:${iv}:${tag.slice(0, 4)}:${ct}`, 's_1'],
    ] as const;
    for (const [b, value, context] of bad) {
      assert.throws(() => b.open(value, context), isSecretKeyError, `${value} for ${context}`);
    }
    assert.throws(
      () => secretBox(Buffer.alloc(32, 2)).open(sealed, 's_1'),
      /HORIZON_SECRET_KEY is not the key it was encrypted with/,
    );
    assert.throws(() => secretBox(Buffer.alloc(16)), RangeError);
  });
});

describe('the key Horizon uses', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'horizon-key-'));
    dirs.push(d);
    return path.join(d, 'data');
  };

  it('is HORIZON_SECRET_KEY when set (hex or base64)', () => {
    const hex = 'ab'.repeat(32);
    assert.deepEqual(
      secretKeyFor(loadConfig({ dataDir: tempDir() }, { HORIZON_SECRET_KEY: hex })),
      Buffer.from(hex, 'hex'),
    );
    const b64 = Buffer.alloc(32, 9).toString('base64');
    assert.deepEqual(secretKeyFor(loadConfig({}, { HORIZON_SECRET_KEY: b64 })), Buffer.alloc(32, 9));
  });

  it('in development on PGlite, a key file made once in the data folder, readable by its owner only', () => {
    const dataDir = tempDir();
    const cfg = loadConfig({ dataDir }, {});
    const first = secretKeyFor(cfg);
    const file = path.join(dataDir, SECRET_KEY_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(first.length, 32);
    assert.deepEqual(secretKeyFor(cfg), first, 'the same key the next time');
    fs.writeFileSync(file, 'not a key');
    assert.throws(() => secretKeyFor(cfg), isSecretKeyError);
  });

  it('is refused when missing for PostgreSQL, and in production (config lists it)', () => {
    assert.throws(
      () => secretKeyFor(loadConfig({}, { DATABASE_URL: 'postgres://u@h/db' })),
      (e: unknown) => isSecretKeyError(e) && /HORIZON_SECRET_KEY is not set/.test((e as Error).message),
    );
    assert.throws(
      () => loadConfig({}, { NODE_ENV: 'production', HORIZON_PUBLIC_URL: 'https://h.example' }),
      /HORIZON_SECRET_KEY is required when NODE_ENV=production/,
    );
  });
});

for (const kind of await databaseKinds()) {
  describe(`webhook secrets at rest on ${kind.name}`, () => {
    let db: Database;
    let receiver: http.Server;
    let hookUrl: string;
    const received: { signature: string; body: string }[] = [];
    before(async () => {
      db = await kind.open();
      receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          received.push({ signature: String(req.headers['horizon-signature']), body });
          const answer = challengeAnswer(body); // the verification handshake: echo the challenge
          res.writeHead(200, { 'content-type': 'application/json' }).end(answer ?? '');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    after(async () => {
      await new Promise<void>((r) => receiver.close(() => r()));
      await db.close();
    });

    const subscribe = () => subscribeEchoingWebhook(db, hookUrl);
    const stored = async (id: string) =>
      (await db.query<{ secret: string }>('SELECT secret FROM subscriptions WHERE id = $1', [id]))[0]?.secret ?? '';

    it('stores the sealed value, not the secret; a delivery is signed with the secret itself', async () => {
      const created = await subscribe();
      const secret = created.secret ?? '';
      assert.match(secret, /^whsec_/);
      const value = await stored(created.subscription.id);
      assert.ok(isSealed(value), value);
      assert.ok(!value.includes(secret) && !value.includes(secret.slice(6)), 'the stored value is not the secret');
      assert.equal((await deliveryTarget(db, TEST_SECRETS, created.subscription.id))?.secret, secret);

      await dispatchEvents(db, new SubscriptionIndex(), 10_000); // whatever was recorded before
      await db.transaction((tx) =>
        recordEvents(tx, [
          {
            kind: 'new-instrument',
            key: `secrets-test:${created.subscription.id}`,
            occurredAt: new Date().toISOString(),
            jurisdiction: 'cn',
            topics: [],
            programmes: [],
            title: { en: 'A test event', zh: '测试事件' },
            summary: { en: '', zh: '' },
            path: '/',
          },
        ]),
      );
      await dispatchEvents(db, new SubscriptionIndex());
      const mailer = createMailer({ mailFrom: config.mailFrom });
      try {
        while ((await deliverDue(db, { config, secrets: TEST_SECRETS }, mailer)) > 0) {
          /* until the outbox is empty */
        }
      } finally {
        mailer.close();
      }
      const mine = received.filter((r) => r.body.includes(created.subscription.id));
      assert.equal(mine.length, 2, 'the challenge, then the delivery');
      assert.ok(challengeAnswer(mine[0]?.body ?? ''), 'the first was the verification challenge');
      for (const r of mine) {
        assert.equal(verifyWebhookSignature(secret, r.signature, r.body), true, 'signed with the secret itself');
        assert.equal(verifyWebhookSignature(value, r.signature, r.body), false, 'not with the stored value');
      }
    });

    it('encrypts secrets stored in clear by an older Horizon at start, once, and checks the key', async () => {
      const a = await subscribe();
      const b = await subscribe();
      const plain = ['whsec_old_plaintext_one_0123456789', 'whsec_old_plaintext_two_0123456789'];
      await db.query('UPDATE subscriptions SET secret = $2 WHERE id = $1', [a.subscription.id, plain[0]]);
      await db.query('UPDATE subscriptions SET secret = $2 WHERE id = $1', [b.subscription.id, plain[1]]);
      const first = await prepareSecrets(db, TEST_SECRETS);
      assert.equal(first.sealed, 2);
      assert.deepEqual(await prepareSecrets(db, TEST_SECRETS), { sealed: 0 }, 'nothing left to do');
      for (const [i, id] of [a.subscription.id, b.subscription.id].entries()) {
        const value = await stored(id);
        assert.ok(isSealed(value) && !value.includes('plaintext'));
        assert.equal((await deliveryTarget(db, TEST_SECRETS, id))?.secret, plain[i]);
      }
      const none = await db.query("SELECT id FROM subscriptions WHERE secret IS NOT NULL AND secret NOT LIKE 'v1:%'");
      assert.equal(none.length, 0);
    });

    it('a wrong key is refused at start and at delivery, with a clear error', async () => {
      const wrong = secretBox(Buffer.alloc(32, 0xee));
      await assert.rejects(prepareSecrets(db, wrong), (e: unknown) => isSecretKeyError(e));
      const created = await subscribe();
      await assert.rejects(deliveryTarget(db, wrong, created.subscription.id), (e: unknown) =>
        /HORIZON_SECRET_KEY is not the key it was encrypted with/.test((e as Error).message),
      );
    });

    it("a sealed value copied onto another subscription's row does not open there", async () => {
      const a = await subscribe();
      const b = await subscribe();
      await db.query('UPDATE subscriptions SET secret = $2 WHERE id = $1', [
        b.subscription.id,
        await stored(a.subscription.id),
      ]);
      await assert.rejects(deliveryTarget(db, TEST_SECRETS, b.subscription.id), isSecretKeyError);
      assert.equal((await deliveryTarget(db, TEST_SECRETS, a.subscription.id))?.secret, a.secret);
    });
  });
}
