// Nobody can use Horizon against a third party, on PGlite and PostgreSQL, one class of abuse at a time:
// - e-mail double opt-in: a new e-mail subscription gets one confirmation e-mail and nothing else until its link is
//   followed (opening the link confirms nothing; hostile and spent tokens are refused);
// - the webhook verification handshake: only a receiver that echoes the signed challenge gets deliveries (receivers
//   that answer anything else, or nothing, get nothing but the challenge; Verify again after fixing one);
// - rate limits per client address and per target (e-mail address however written, webhook host), confirmation
//   e-mails per address whoever asks: bursts are refused 429 in the API's error shape with Retry-After, and a page on
//   the guide's form;
// - owner tokens only the server made: any token a caller makes up, in the header or the body, is refused.
// Requests that must come from many client addresses use Fastify's inject with a remoteAddress (the same routes and
// error handler); the rest go over HTTP to a server on loopback. Receivers and the SMTP server are real, on loopback.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { SubscriptionLimits } from '../../src/config/config.ts';
import { importBundle } from '../../src/content/import.ts';
import { buildApp } from '../../src/server.ts';
import type { Database } from '../../src/store/database.ts';
import { verifyWebhookSignature } from '../../src/watch/deliver/signature.ts';
import { recordEvents } from '../../src/watch/events.store.ts';
import { listDeliveries } from '../../src/watch/outbox.store.ts';
import { SubscriptionIndex } from '../../src/watch/subscription-index.ts';
import { deliverDue, dispatchAll } from '../../src/watch/worker.ts';
import { SHIPPED } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { parseHtml, textOf } from '../support/html.ts';
import { confirmationLink, followConfirmation, smtpSink, type Arrived } from '../support/mail.ts';
import type { Mailer } from '../../src/watch/deliver/email.ts';
import { GENEROUS_LIMITS, watchConfig } from '../support/watch-config.ts';
import { TEST_SECRETS } from '../support/server.ts';

const SMALL: SubscriptionLimits = { perClientPerHour: 4, perTargetPerDay: 3, confirmationsPerAddressPerDay: 2 };
const PUBLIC_URL = 'https://horizon.example.org';

const config = watchConfig({ publicUrl: PUBLIC_URL, webhookTimeoutMs: 1500, maxAttempts: 1, limits: GENEROUS_LIMITS });

interface Hit {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

type Answer = (body: string, challenge: string | undefined) => { status: number; body?: string; type?: string } | null;

/** A receiver on loopback answering with `answer` (null: never answers); it keeps challenges and deliveries apart. */
async function receiver(answer: Answer) {
  const challenges: Hit[] = [];
  const deliveries: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      let challenge: string | undefined;
      try {
        const parsed = JSON.parse(body) as { type?: string; challenge?: string };
        if (parsed.type === 'horizon.url_verification') challenge = parsed.challenge;
      } catch {
        challenge = undefined;
      }
      (challenge === undefined ? deliveries : challenges).push({ headers: req.headers, body });
      const a = answer(body, challenge);
      if (a === null) return;
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' }).end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    challenges,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The receiver that takes Horizon's webhooks: it echoes the challenge as `{"challenge": …}` and accepts deliveries. */
const echoing: Answer = (_body, challenge) =>
  challenge === undefined ? { status: 204 } : { status: 200, body: JSON.stringify({ challenge }) };

/** Receivers that do not answer the challenge as asked: none of them may get a delivery. */
const HOSTILE_RECEIVERS: readonly { readonly name: string; readonly answer: Answer }[] = [
  { name: 'answers 204 with nothing', answer: () => ({ status: 204 }) },
  { name: 'answers 200 "ok"', answer: () => ({ status: 200, body: 'ok', type: 'text/plain' }) },
  { name: 'answers a wrong challenge', answer: () => ({ status: 200, body: JSON.stringify({ challenge: 'nope' }) }) },
  { name: 'repeats the request (an echo service)', answer: (body) => ({ status: 200, body }) },
  {
    name: 'nests the challenge (a request inspector)',
    answer: (body, challenge) => ({
      status: 200,
      body: JSON.stringify({ json: JSON.parse(body) as unknown, data: { challenge } }),
    }),
  },
  {
    name: 'puts the challenge in an HTML page',
    answer: (_body, challenge) => ({ status: 200, body: `<p>${challenge ?? ''}</p>`, type: 'text/html' }),
  },
  { name: 'echoes it with a 500', answer: (_b, challenge) => ({ status: 500, body: JSON.stringify({ challenge }) }) },
  { name: 'echoes it with a 404', answer: (_b, challenge) => ({ status: 404, body: challenge ?? '' }) },
  { name: 'redirects', answer: () => ({ status: 302, body: '' }) },
  { name: 'never answers', answer: () => null },
];

/** One public event every subscription without a filter matches. */
async function happen(db: Database, key: string): Promise<void> {
  await recordEvents(db, [
    {
      kind: 'new-instrument',
      key: `consent-test:${key}:${Math.random()}`,
      occurredAt: new Date().toISOString(),
      instrument: 'cn-sh-ai-industry-regulations',
      jurisdiction: 'cn-sh',
      topics: [],
      programmes: [],
      title: { en: `Event ${key}`, zh: `事件 ${key}` },
      summary: { en: 'What changed.', zh: '有何变化。' },
      path: '/instruments/cn-sh-ai-industry-regulations',
    },
  ]);
}

/** The shape every refusal of the API has: a code, a message, problems with their field; no stack trace. */
function assertErrorShape(body: string, code: string): { where: string; message: string }[] {
  const parsed = JSON.parse(body) as {
    error: { code: string; message: string; problems?: { where: string; message: string }[] };
  };
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.equal(parsed.error.code, code);
  assert.equal(typeof parsed.error.message, 'string');
  assert.doesNotMatch(body, /at .+\.ts:\d+|node:internal/, 'no stack trace');
  return parsed.error.problems ?? [];
}

for (const kind of await databaseKinds()) {
  describe(`nobody can use Horizon against a third party (${kind.name})`, () => {
    let db: Database;
    let app: FastifyInstance;
    let strict: FastifyInstance;
    let api: string;
    let mails: Arrived[];
    let mailer: Mailer;
    let closeSmtp: () => Promise<void>;
    const index = new SubscriptionIndex();

    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
      await dispatchAll(db, index); // the import's own events: nobody subscribed yet
      app = await buildApp({
        db,
        logLevel: 'silent',
        allowPrivateWebhooks: true,
        limits: GENEROUS_LIMITS,
        webhookTimeoutMs: 1500,
        secrets: TEST_SECRETS,
      });
      api = await app.listen({ port: 0, host: '127.0.0.1' });
      strict = await buildApp({
        db,
        logLevel: 'silent',
        publicUrl: 'https://horizon.example.org', // it is only injected into: it listens on no address

        allowPrivateWebhooks: true,
        limits: SMALL,
        webhookTimeoutMs: 1500,
        secrets: TEST_SECRETS,
      });
      const smtp = await smtpSink();
      ({ mails, mailer } = smtp);
      closeSmtp = () => smtp.close();
    });
    after(async () => {
      await closeSmtp();
      await strict.close();
      await app.close();
      await db.close();
    });

    const subscribe = async (body: unknown, headers: Record<string, string> = {}, query = '') => {
      const res = await fetch(`${api}/api/v1/subscriptions${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers };
    };
    const subscription = (r: { body: Record<string, unknown> }) =>
      r.body.subscription as { id: string; status: string; verification_error?: string };
    const count = async () =>
      Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM subscriptions'))[0]?.n);
    /** Dispatches what happened and sends what is due until nothing is. */
    const drain = async () => {
      for (let round = 0; round < 20; round++) {
        await dispatchAll(db, index);
        if ((await deliverDue(db, { config, secrets: TEST_SECRETS }, mailer)) === 0) return;
      }
      throw new Error('the outbox did not drain');
    };

    describe('e-mail: double opt-in', () => {
      it('sends one confirmation e-mail and nothing else until its link is followed; the link works once', async () => {
        const en = await subscribe({ channel: 'email', email: 'reader@example.com' });
        const zh = await subscribe({ channel: 'email', email: 'duzhe@example.com' }, {}, '?lang=zh');
        assert.equal(en.status, 201, en.text);
        assert.equal(subscription(en).status, 'pending');
        assert.equal(subscription(zh).status, 'pending');
        mails.length = 0;
        await happen(db, 'before confirmation');
        await drain();
        assert.deepEqual(mails.map((m) => m.to[0]).sort(), ['duzhe@example.com', 'reader@example.com']);
        const byAddress = new Map(mails.map((m) => [m.to[0], m]));
        assert.equal(byAddress.get('reader@example.com')?.headers.subject, 'Horizon: confirm your subscription');
        assert.equal(byAddress.get('duzhe@example.com')?.headers.subject, 'Horizon：请确认您的订阅');
        const link = confirmationLink(byAddress.get('reader@example.com') as Arrived) ?? '';
        assert.ok(link.startsWith(`${PUBLIC_URL}/watch/confirm?token=hzc_`), 'the link is on the configured address');
        const [stored] = await db.query<{ confirm_hash: string }>(
          'SELECT confirm_hash FROM subscriptions WHERE id = $1',
          [subscription(en).id],
        );
        const token = new URL(link).searchParams.get('token') ?? '';
        assert.match(stored?.confirm_hash ?? '', /^[0-9a-f]{64}$/, 'stored as a hash');
        assert.notEqual(stored?.confirm_hash, token);

        // Hostile tokens: each refused on the page and on the button, the subscription still pending.
        const ownerToken = en.body.owner_token as string;
        const hostile = [
          '',
          'hzc_',
          `hzc_${'A'.repeat(32)}`,
          `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
          token.toUpperCase(),
          `${token}x`,
          token.slice(0, -1),
          ownerToken,
          `${token}\u0000`,
          'x'.repeat(10_000),
          "hzc_' OR '1'='1",
        ];
        for (const bad of hostile) {
          // A NUL is refused at the edge as a bad request (http/edge.ts), like any NUL in any parameter.
          const nul = bad.includes('\u0000');
          const opened = await fetch(`${api}/watch/confirm?token=${encodeURIComponent(bad)}`);
          assert.equal(opened.status, nul ? 400 : 404, `GET ${bad.slice(0, 40)}`);
          const pressed = await fetch(`${api}/watch/confirm`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ token: bad }),
          });
          assert.equal(pressed.status, nul ? 400 : 404, `POST ${bad.slice(0, 40)}`);
          assert.match(await pressed.text(), nul ? /NUL character/ : /This confirmation link is not valid/);
        }
        const repeated = await fetch(`${api}/watch/confirm?token=${token}&token=${token}`);
        assert.equal(repeated.status, 400, 'a repeated token is a bad request');
        const status = async (id: string) =>
          (await db.query<{ status: string }>('SELECT status FROM subscriptions WHERE id = $1', [id]))[0]?.status;
        assert.equal(
          await status(subscription(en).id),
          'pending',
          `${hostile.length + 1} hostile tokens confirmed nothing`,
        );

        // An expired link confirms nothing either.
        await db.query("UPDATE subscriptions SET confirm_expires_at = now() - interval '1 second' WHERE id = $1", [
          subscription(zh).id,
        ]);
        const expired = await followConfirmation(
          api,
          confirmationLink(byAddress.get('duzhe@example.com') as Arrived) ?? '',
        );
        assert.deepEqual([expired.page, expired.confirmed], [404, 404]);
        assert.equal(await status(subscription(zh).id), 'pending');

        await happen(db, 'recorded before confirmation, dispatched after');
        const followed = await followConfirmation(api, link);
        assert.deepEqual([followed.page, followed.confirmed], [200, 200]);
        assert.equal(await status(subscription(en).id), 'active');
        const spent = await followConfirmation(api, link);
        assert.deepEqual([spent.page, spent.confirmed], [404, 404], 'the link works once');

        mails.length = 0;
        await drain();
        assert.equal(mails.length, 0, 'what happened before confirmation is not sent');
        await happen(db, 'after confirmation');
        await drain();
        assert.deepEqual(
          mails.map((m) => [m.to[0], m.headers.subject]),
          [['reader@example.com', 'Horizon: Event after confirmation']],
          'the confirmed address hears of what happens now; the unconfirmed one hears nothing',
        );
        // A confirmation e-mail that failed is not sent again by hand (subscribing again is, within the limits).
        await db.query("UPDATE outbox SET state = 'dead' WHERE idempotency_key = $1", [
          `hz_confirm_${subscription(zh).id}`,
        ]);
        const [dead] = await listDeliveries(db, { subscription: subscription(zh).id, state: 'dead' });
        assert.ok(dead);
        const retried = await fetch(`${api}/api/v1/subscriptions/${subscription(zh).id}/deliveries/${dead.id}/retry`, {
          method: 'POST',
          headers: { authorization: `Bearer ${zh.body.owner_token as string}` },
        });
        assert.equal(retried.status, 409);
        assertErrorShape(await retried.text(), 'conflict');
      });
    });

    describe('webhooks: the verification handshake', () => {
      it('a receiver that echoes the signed challenge is active at once and gets deliveries', async () => {
        for (const plain of [false, true]) {
          const hook = await receiver(
            plain
              ? (_b, challenge) =>
                  challenge === undefined ? { status: 204 } : { status: 200, body: challenge, type: 'text/plain' }
              : echoing,
          );
          try {
            const created = await subscribe({ channel: 'webhook', url: hook.url });
            assert.equal(created.status, 201, created.text);
            assert.equal(subscription(created).status, 'active');
            const [challenge] = hook.challenges;
            assert.ok(challenge);
            assert.equal(challenge.headers['horizon-event'], 'horizon.url_verification');
            const secret = created.body.secret as string;
            assert.ok(verifyWebhookSignature(secret, String(challenge.headers['horizon-signature']), challenge.body));
            assert.equal(
              (JSON.parse(challenge.body) as { subscription: string }).subscription,
              subscription(created).id,
            );
            await happen(db, `echoed ${plain ? 'plain' : 'json'}`);
            await drain();
            assert.equal(hook.deliveries.length, 1, 'deliveries flow');
          } finally {
            await hook.close();
          }
        }
      });

      it(`receivers that do not echo the challenge (${HOSTILE_RECEIVERS.length} kinds) stay unverified and get nothing`, async () => {
        const hooks = await Promise.all(HOSTILE_RECEIVERS.map((r) => receiver(r.answer)));
        try {
          const ids: string[] = [];
          for (const [i, hook] of hooks.entries()) {
            const created = await subscribe({ channel: 'webhook', url: hook.url });
            const name = HOSTILE_RECEIVERS[i]?.name ?? '';
            assert.equal(created.status, 201, name);
            assert.equal(subscription(created).status, 'unverified', name);
            assert.ok(subscription(created).verification_error, `${name}: the reason is shown`);
            assert.equal(hook.challenges.length, 1, `${name}: one challenge`);
            ids.push(subscription(created).id);
          }
          await happen(db, 'to hostile receivers');
          await drain();
          for (const [i, hook] of hooks.entries()) {
            assert.equal(hook.deliveries.length, 0, `${HOSTILE_RECEIVERS[i]?.name ?? ''}: nothing delivered`);
          }
          for (const id of ids) assert.equal((await listDeliveries(db, { subscription: id })).length, 0);
        } finally {
          await Promise.all(hooks.map((h) => h.close()));
        }
      });

      it('Verify again makes a fixed receiver active; only its owner may ask, and only for a webhook', async () => {
        let fixed = false;
        const hook = await receiver((body, challenge) => (fixed ? echoing(body, challenge) : { status: 204 }));
        try {
          const created = await subscribe({ channel: 'webhook', url: hook.url });
          assert.equal(subscription(created).status, 'unverified');
          const id = subscription(created).id;
          const owner = { authorization: `Bearer ${created.body.owner_token as string}` };
          const verify = (headers: Record<string, string>, which = id) =>
            fetch(`${api}/api/v1/subscriptions/${which}/verify`, { method: 'POST', headers });
          const stranger = await subscribe({ channel: 'atom' });
          const strangerAuth = { authorization: `Bearer ${stranger.body.owner_token as string}` };
          assert.equal((await verify({})).status, 403);
          assert.equal((await verify(strangerAuth)).status, 403);
          const still = await verify(owner);
          assert.equal(still.status, 200);
          assert.equal(((await still.json()) as { status: string }).status, 'unverified');
          fixed = true;
          const now = await verify(owner);
          assert.equal(((await now.json()) as { status: string }).status, 'active');
          const challenges = hook.challenges.length;
          assert.equal(((await (await verify(owner)).json()) as { status: string }).status, 'active');
          assert.equal(hook.challenges.length, challenges, 'an active webhook is not challenged again');
          const feed = await verify(strangerAuth, subscription(stranger).id);
          assert.equal(feed.status, 409);
          assertErrorShape(await feed.text(), 'conflict');
          await happen(db, 'after verify again');
          await drain();
          assert.equal(hook.deliveries.length, 1);
        } finally {
          await hook.close();
        }
      });
    });

    describe('rate limits', () => {
      const inject = (ip: string, payload: unknown, headers: Record<string, string> = {}) =>
        strict.inject({
          method: 'POST',
          url: '/api/v1/subscriptions',
          payload: payload as object,
          remoteAddress: ip,
          headers,
        });

      it('a burst from one client address: all but the hourly limit refused with 429 and Retry-After', async () => {
        const before = await count();
        const burst = await Promise.all(
          Array.from({ length: 12 }, (_, i) => inject('203.0.113.7', { channel: 'atom', label: `burst ${i}` })),
        );
        const created = burst.filter((r) => r.statusCode === 201);
        const refused = burst.filter((r) => r.statusCode === 429);
        assert.equal(created.length, SMALL.perClientPerHour);
        assert.equal(refused.length, 12 - SMALL.perClientPerHour);
        for (const r of refused) {
          const retryAfter = Number(r.headers['retry-after']);
          assert.ok(
            Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 3600,
            String(r.headers['retry-after']),
          );
          const problems = assertErrorShape(r.body, 'rate_limited');
          assert.deepEqual(
            problems.map((p) => p.where),
            ['client'],
          );
          assert.match(problems[0]?.message ?? '', /at most 4 an hour/);
        }
        assert.equal(await count(), before + SMALL.perClientPerHour, 'the refused ones stored nothing');
        // Another client address is not held back by this one.
        assert.equal((await inject('203.0.113.8', { channel: 'atom' })).statusCode, 201);
        // In Chinese too.
        const zh = await strict.inject({
          method: 'POST',
          url: '/api/v1/subscriptions?lang=zh',
          payload: { channel: 'atom' },
          remoteAddress: '203.0.113.7',
        });
        assert.equal(zh.statusCode, 429);
        assert.match(assertErrorShape(zh.body, 'rate_limited')[0]?.message ?? '', /来自您网络地址的订阅过多/);
        // The window slides: an hour on, the client may subscribe again.
        await db.query("UPDATE rate_events SET at = at - interval '61 minutes' WHERE scope = 'client'");
        assert.equal((await inject('203.0.113.7', { channel: 'atom' })).statusCode, 201);
      });

      it('one mailbox, however its address is written and whoever asks, gets at most the daily confirmations', async () => {
        const variants = [
          'victim@example.org',
          'Victim@Example.org',
          'victim+news@example.org',
          'VICTIM+a@EXAMPLE.ORG',
          'victim+b@example.org',
          'victim@EXAMPLE.org',
          'victim+@example.org',
          'ViCtIm+zz@example.org',
        ];
        const answers = [];
        for (const [i, email] of variants.entries())
          answers.push(await inject(`198.51.100.${i + 1}`, { channel: 'email', email }));
        const created = answers.filter((r) => r.statusCode === 201);
        assert.equal(created.length, SMALL.confirmationsPerAddressPerDay);
        for (const r of answers.filter((a) => a.statusCode !== 201)) {
          assert.equal(r.statusCode, 429);
          assert.ok(Number(r.headers['retry-after']) > 3600, 'a day’s window');
          const problems = assertErrorShape(r.body, 'rate_limited');
          assert.ok(problems.every((p) => p.where === 'email'));
          assert.ok(problems.some((p) => /confirmation e-mails/.test(p.message)));
        }
        const [confirmations] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
           WHERE o.payload LIKE '%confirm%' AND lower(s.target) LIKE '%victim%'`,
        );
        assert.equal(Number(confirmations?.n), SMALL.confirmationsPerAddressPerDay, 'two confirmation e-mails queued');
      });

      it('one webhook host, whoever asks, is subscribed at most the daily number of times', async () => {
        // This suite's other webhooks went to this host too, through the generous app: start its window afresh.
        await db.query('DELETE FROM rate_events');
        const hook = await receiver(echoing);
        try {
          const answers = [];
          for (let i = 0; i < 7; i++) {
            answers.push(await inject(`192.0.2.${i + 1}`, { channel: 'webhook', url: `${hook.url}/${i}?x=${i}` }));
          }
          assert.equal(answers.filter((r) => r.statusCode === 201).length, SMALL.perTargetPerDay);
          const refused = answers.filter((r) => r.statusCode === 429);
          assert.equal(refused.length, 7 - SMALL.perTargetPerDay);
          for (const r of refused)
            assert.deepEqual(
              assertErrorShape(r.body, 'rate_limited').map((p) => p.where),
              ['url'],
            );
          assert.equal(hook.challenges.length, SMALL.perTargetPerDay, 'the refused ones sent no challenge');
        } finally {
          await hook.close();
        }
      });

      it('the guide’s form over a limit: a 429 page saying so and when, the values kept', async () => {
        for (let i = 0; i < SMALL.perClientPerHour; i++) {
          assert.equal((await inject('203.0.113.50', { channel: 'atom' })).statusCode, 201);
        }
        const r = await strict.inject({
          method: 'POST',
          url: '/watch/subscribe',
          payload: new URLSearchParams({ channel: 'email', email: 'someone@example.net', label: 'kept' }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          remoteAddress: '203.0.113.50',
        });
        assert.equal(r.statusCode, 429);
        assert.ok(Number(r.headers['retry-after']) > 0);
        assert.equal(r.headers['cache-control'], 'no-store');
        const page = parseHtml(r.body);
        assert.match(
          textOf(page, '.error-summary'),
          /Too many subscriptions from your network address \(at most 4 an hour\): try again in \d+ minutes?/,
        );
        assert.equal(page.querySelector('input#sub-email')?.getAttribute('value'), 'someone@example.net');
        assert.equal(page.querySelector('input#sub-label')?.getAttribute('value'), 'kept');
      });
    });

    describe('owner tokens: only the server makes them', () => {
      it('refuses every owner token a caller makes up, in the header or the body, storing nothing', async () => {
        const first = await subscribe({ channel: 'atom' });
        const real = first.body.owner_token as string;
        assert.match(real, /^hzo_[A-Za-z0-9_-]{32}$/);
        const gone = await subscribe({ channel: 'atom' });
        const goneToken = gone.body.owner_token as string;
        assert.equal(
          (
            await fetch(`${api}/api/v1/subscriptions/${subscription(gone).id}`, {
              method: 'DELETE',
              headers: { authorization: `Bearer ${goneToken}` },
            })
          ).status,
          204,
        );
        const webhook = await receiver(echoing);
        const hooked = await subscribe({ channel: 'webhook', url: webhook.url });
        await webhook.close();
        const profile = await fetch(`${api}/api/v1/profiles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ profile: { jurisdictions: ['cn-sh'] } }),
        });
        const profileToken = ((await profile.json()) as { token: string }).token;
        const feedUrl = (subscription(first) as unknown as { feed_url: string }).feed_url;
        const headers = [
          'Bearer 1',
          'Bearer hzo_mistyped',
          `Bearer hzo_${'A'.repeat(32)}`,
          `Bearer ${goneToken}`,
          `Bearer ${new URL(feedUrl).searchParams.get('token') ?? ''}`,
          `Bearer ${hooked.body.secret as string}`,
          `Bearer ${profileToken}`,
          `Bearer ${real}x`,
          `Bearer ${real.toUpperCase()}`,
          `Bearer ${real.slice(0, -1)}`,
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          `Token ${real}`,
          `Bearer ${'hzo_'.padEnd(10_000, 'z')}`,
          'Bearer hzo_\u00e9\u00e8\u00ff',
        ];
        const before = await count();
        for (const authorization of headers) {
          const r = await subscribe({ channel: 'atom' }, { authorization });
          assert.equal(r.status, 403, `${authorization.slice(0, 40)} → ${r.text}`);
          const problems = assertErrorShape(r.text, 'forbidden');
          assert.deepEqual(
            problems.map((p) => p.where),
            ['owner_token'],
          );
          assert.equal(r.body.owner_token, undefined);
        }
        const bodies = [
          { owner_token: real },
          { owner_token: 'hzo_mine' },
          { ownerToken: '1' },
          { owner: '1' },
          { token: '1' },
        ];
        for (const extra of bodies) {
          const r = await subscribe({ channel: 'atom', ...extra });
          assert.equal(r.status, 400, JSON.stringify(extra));
          assertErrorShape(r.text, 'invalid_parameter');
        }
        assert.equal(await count(), before, `${headers.length + bodies.length} made-up tokens stored nothing`);
        const added = await subscribe({ channel: 'atom' }, { authorization: `Bearer ${real}` });
        assert.equal(added.status, 201);
        assert.equal(added.body.owner_token, undefined, 'the token the server made is kept');
        const listed = await fetch(`${api}/api/v1/subscriptions`, { headers: { authorization: `Bearer ${real}` } });
        assert.equal(((await listed.json()) as { subscriptions: unknown[] }).subscriptions.length, 2);
      });
    });
  });
}
