// Alerts end to end on PGlite and PostgreSQL: subscribe over HTTP (a webhook's receiver echoes the verification
// challenge; an e-mail subscriber follows the confirmation link), change the knowledge base, and the worker delivers a
// signed webhook to a real receiver on loopback (retried after failures, dead-lettered, retried by hand), an e-mail
// and a daily digest to a real SMTP server; the scheduler turns dates into events.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/server.ts';
import type { SubscriptionLimits, WatchConfig } from '../../src/config/config.ts';
import { importBundle } from '../../src/content/import.ts';
import type { Database } from '../../src/store/database.ts';
import { refreshEligibility } from '../../src/relevance/eligibility.ts';
import type { Mailer } from '../../src/watch/deliver/email.ts';
import { verifyWebhookSignature } from '../../src/watch/deliver/signature.ts';
import { flushDigests } from '../../src/watch/outbox.ts';
import { listDeliveries } from '../../src/watch/outbox.store.ts';
import { runScheduler } from '../../src/watch/scheduler.ts';
import { SubscriptionIndex } from '../../src/watch/subscription-index.ts';
import { deliverDue, dispatchAll } from '../../src/watch/worker.ts';
import { SHIPPED, copyOfShipped, edit } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { confirmationLink, followConfirmation, smtpSink, type Arrived } from '../support/mail.ts';
import { watchConfig } from '../support/watch-config.ts';
import { challengeAnswer } from '../support/webhooks.ts';
import { TEST_SECRETS } from '../support/server.ts';

const PIONEER = 'cn-gd-shenzhen-2024-ai-pioneer-city-measures';
const SZ_REGS = 'cn-gd-shenzhen-ai-industry-regulations';
const ACCESS = 'cn-gd-shenzhen-innovative-product-access';

/** The shipped bundle with a made-up event `type` on `date` added to the Shenzhen pioneer-city measures. */
function withEvent(type: string, date: string): string {
  const dir = copyOfShipped();
  const last = "  - type: published\n    date: '2024-12-18'\n    sources: [{ source: dutenews-8581793 }]";
  edit(
    dir,
    `instruments/${PIONEER}.yaml`,
    last,
    `${last}\n  - type: ${type}\n    date: '${date}'\n    sources: [{ source: dutenews-8581793 }]`,
  );
  return dir;
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on loopback that echoes the verification challenge and scripts its answers to deliveries (status
 * codes, in order; then 200). `received` holds the deliveries, `challenges` the handshakes.
 */
async function receiver(script: number[] = []) {
  const received: Received[] = [];
  const challenges: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const answer = challengeAnswer(body);
      if (answer !== undefined) {
        challenges.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(script.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, challenges, script, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const config = (over: Partial<WatchConfig> = {}): WatchConfig => watchConfig({ limits: GENEROUS, ...over });

/** Limits this suite never reaches (test/watch/consent.test.ts tests them). */
const GENEROUS: SubscriptionLimits = {
  perClientPerHour: 1000,
  perTargetPerDay: 1000,
  confirmationsPerAddressPerDay: 100,
};

/** A worker's subscription index per database (kept across rounds, refreshed from subscription_log, as a worker does). */
const indexes = new Map<Database, SubscriptionIndex>();

/** Matches waiting events to subscriptions and queues their deliveries, as a worker's round starts. */
function dispatch(db: Database) {
  const index = indexes.get(db) ?? new SubscriptionIndex();
  indexes.set(db, index);
  return dispatchAll(db, index);
}

/** Runs worker rounds until nothing is due (retries are due after a millisecond or two). */
async function drain(db: Database, cfg: WatchConfig, mailer: Mailer): Promise<void> {
  for (let round = 0; round < 50; round++) {
    await dispatch(db);
    const n = await deliverDue(db, { config: cfg, secrets: TEST_SECRETS }, mailer);
    const [pending] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE state = 'pending'");
    if (n === 0 && Number(pending?.n) === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the outbox did not drain');
}

for (const kind of await databaseKinds()) {
  describe(`alerts on ${kind.name}`, () => {
    let db: Database;
    let api: string;
    let close: () => Promise<void>;
    let mails: Arrived[];
    let mailer: Mailer;
    let closeSmtp: () => Promise<void>;

    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
      const app = await buildApp({
        db,
        logLevel: 'silent',
        allowPrivateWebhooks: true,
        limits: GENEROUS,
        secrets: TEST_SECRETS,
      });
      api = await app.listen({ port: 0, host: '127.0.0.1' });
      close = () => app.close();
      const smtp = await smtpSink();
      ({ mails, mailer } = smtp);
      closeSmtp = () => smtp.close();
    });
    after(async () => {
      await closeSmtp();
      await close();
      await db.close();
    });

    const subscribe = async (body: unknown, token?: string) => {
      const res = await fetch(`${api}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it('delivers a signed webhook for a change in a descendant jurisdiction, retrying a receiver that fails twice', async () => {
      const hook = await receiver([500, 503]);
      try {
        const created = await subscribe({ channel: 'webhook', url: hook.url, watch: { jurisdictions: ['cn-gd'] } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const secret = created.body.secret as string;
        const id = (created.body.subscription as { id: string }).id;
        assert.equal((created.body.subscription as { status: string }).status, 'active', 'the receiver echoed');
        const [challenge] = hook.challenges;
        assert.ok(challenge, 'the handshake came first');
        assert.equal(challenge.headers['horizon-event'], 'horizon.url_verification');
        assert.equal(
          verifyWebhookSignature(secret, String(challenge.headers['horizon-signature']), challenge.body),
          true,
        );
        const other = await subscribe({ channel: 'webhook', url: hook.url, watch: { jurisdictions: ['cn-sh'] } });
        assert.equal(other.status, 201);

        await importBundle(db, withEvent('repealed', '2026-01-01'), { actor: 'test' });
        assert.equal((await listDeliveries(db, { subscription: id })).length, 0, 'events wait for a worker');
        await dispatch(db);
        const queued = await listDeliveries(db, { subscription: id });
        assert.equal(queued.length, 1, 'one delivery for the Guangdong subscription');
        const otherId = (other.body.subscription as { id: string }).id;
        assert.equal((await listDeliveries(db, { subscription: otherId })).length, 0, 'none for Shanghai');

        await drain(db, config(), mailer);
        assert.equal(hook.received.length, 3, 'two failures, then success');
        const keys = new Set(hook.received.map((r) => r.headers['idempotency-key']));
        assert.equal(keys.size, 1, 'every try carries the same idempotency key');
        const last = hook.received[2] as Received;
        const signature = last.headers['horizon-signature'] as string;
        assert.equal(verifyWebhookSignature(secret, signature, last.body), true);
        assert.equal(verifyWebhookSignature('whsec_wrong', signature, last.body), false);
        assert.equal(verifyWebhookSignature(secret, signature, `${last.body} `), false);
        const body = JSON.parse(last.body) as {
          subscription: string;
          events: { kind: string; instrument: string; url: string }[];
        };
        assert.equal(body.subscription, id);
        assert.deepEqual(body.events.map((e) => e.kind).sort(), ['new-event', 'status-changed']);
        assert.ok(body.events.every((e) => e.instrument === PIONEER));
        assert.match(body.events[0]?.url ?? '', /^https:\/\/horizon\.example\.org\/instruments\//);
        const [done] = await listDeliveries(db, { subscription: id });
        assert.equal(done?.state, 'delivered');
        assert.equal(done?.attempts, 3);
      } finally {
        await hook.close();
      }
    });

    it('dead-letters after the last try, shows it to the owner, and delivers when retried by hand', async () => {
      const hook = await receiver([500, 500, 500]);
      try {
        const created = await subscribe({ channel: 'webhook', url: hook.url, watch: { instruments: [PIONEER] } });
        const token = created.body.owner_token as string;
        const id = (created.body.subscription as { id: string }).id;
        await importBundle(db, withEvent('expired', '2026-06-30'), { actor: 'test' });
        await drain(db, config({ maxAttempts: 3 }), mailer);
        assert.equal(hook.received.length, 3);
        const dead = await fetch(`${api}/api/v1/subscriptions/${id}/deliveries?state=dead`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const list = ((await dead.json()) as { deliveries: { id: number; state: string; last_error: string }[] })
          .deliveries;
        assert.equal(list.length, 1);
        assert.match(list[0]?.last_error ?? '', /500/);
        const denied = await fetch(`${api}/api/v1/subscriptions/${id}/deliveries/${list[0]?.id}/retry`, {
          method: 'POST',
        });
        assert.equal(denied.status, 403);
        const retried = await fetch(`${api}/api/v1/subscriptions/${id}/deliveries/${list[0]?.id}/retry`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(retried.status, 202);
        const again = await fetch(`${api}/api/v1/subscriptions/${id}/deliveries/${list[0]?.id}/retry`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(again.status, 409, 'only dead deliveries are retried');
        await drain(db, config(), mailer);
        assert.equal(hook.received.length, 4);
        const [done] = await listDeliveries(db, { subscription: id });
        assert.equal(done?.state, 'delivered');
      } finally {
        await hook.close();
      }
    });

    it('tells a stored profile’s subscriber when its eligibility changes, and no one else', async () => {
      const hook = await receiver();
      try {
        const saved = await fetch(`${api}/api/v1/profiles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            profile: {
              jurisdictions: ['cn-gd-shenzhen'],
              product: { riskLevel: 'low', hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
            },
          }),
        });
        assert.equal(saved.status, 201);
        const profile = (await saved.json()) as { id: string; token: string };
        const refused = await subscribe({
          channel: 'webhook',
          url: hook.url,
          watch: { profile: { id: profile.id, token: 'wrong' } },
        });
        assert.equal(refused.status, 400);
        assert.match(JSON.stringify(refused.body), /watch\.profile/);
        const created = await subscribe({ channel: 'webhook', url: hook.url, watch: { profile: profile } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const everything = await subscribe({ channel: 'webhook', url: hook.url, watch: {} });
        const everyId = (everything.body.subscription as { id: string }).id;
        // Before the Shenzhen regulations took effect, the access pilot did not apply.
        const report = await refreshEligibility(db, '2022-10-01', { profiles: [profile.id] });
        assert.ok(report.stopped.some((c) => c.programme === ACCESS));
        await drain(db, config(), mailer);
        const bodies = hook.received.map(
          (r) => JSON.parse(r.body) as { subscription: string; events: { kind: string; programmes: string[] }[] },
        );
        const mine = bodies.filter((b) => b.subscription === (created.body.subscription as { id: string }).id);
        assert.equal(mine.length, 1);
        assert.ok(mine[0]?.events.some((e) => e.kind === 'eligibility-changed' && e.programmes.includes(ACCESS)));
        assert.ok(
          bodies
            .filter((b) => b.subscription === everyId)
            .every((b) => b.events.every((e) => e.kind !== 'eligibility-changed')),
          'eligibility is private to the profile’s subscriptions',
        );
      } finally {
        await hook.close();
      }
    });

    it('e-mails only the confirmation until its link is followed, then alerts, and a daily digest once a morning', async () => {
      const now = await subscribe({ channel: 'email', email: 'now@example.com', watch: { instruments: [PIONEER] } });
      const daily = await subscribe({
        channel: 'email',
        email: 'daily@example.com',
        digest: 'daily',
        watch: { instruments: [PIONEER] },
      });
      assert.equal(now.status, 201);
      assert.equal(daily.status, 201);
      assert.equal((now.body.subscription as { status: string }).status, 'pending');
      mails.length = 0;
      // Changes while the subscriptions wait for confirmation: one dispatched then, one recorded then and dispatched
      // only after the links were followed. Neither reaches the addresses.
      await importBundle(db, withEvent('announced', '2025-01-15'), { actor: 'test' });
      await drain(db, config(), mailer);
      assert.deepEqual(mails.map((m) => m.to[0]).sort(), ['daily@example.com', 'now@example.com']);
      assert.ok(
        mails.every((m) => m.headers.subject === 'Horizon: confirm your subscription'),
        'confirmations only',
      );
      const links = mails.map((m) => confirmationLink(m) ?? '');
      assert.ok(
        links.every((l) => l.startsWith('https://horizon.example.org/watch/confirm?token=hzc_')),
        links.join(),
      );
      await importBundle(db, withEvent('signed', '2025-02-01'), { actor: 'test' });
      const [waiting] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM watch_events WHERE dispatched_at IS NULL AND instrument_id = $1',
        [PIONEER],
      );
      assert.ok(Number(waiting?.n) > 0, 'the second change waits to be dispatched');
      for (const link of links) {
        const followed = await followConfirmation(api, link);
        assert.deepEqual([followed.page, followed.confirmed], [200, 200], followed.body.slice(0, 300));
      }
      mails.length = 0;
      await drain(db, config(), mailer);
      assert.equal(mails.length, 0, 'what happened before confirmation is not sent');
      assert.equal(await flushDigests(db, new Date('2026-11-30T01:00:00Z'), 'Asia/Shanghai'), 0, 'nor digested');

      await importBundle(db, withEvent('amended', '2025-03-01'), { actor: 'test' });
      await drain(db, config(), mailer);
      assert.deepEqual(
        mails.map((m) => m.to[0]),
        ['now@example.com'],
      );
      assert.match(mails[0]?.headers['x-horizon-delivery'] ?? '', /^hz_/);
      assert.match(mails[0]?.text ?? '', /AI Pioneer City/);
      // Not yet morning in Shanghai (07:00 = 23:00 UTC the day before): the digest waits.
      assert.equal(await flushDigests(db, new Date('2026-12-01T23:00:00Z'), 'Asia/Shanghai'), 0);
      assert.equal(await flushDigests(db, new Date('2026-12-02T01:00:00Z'), 'Asia/Shanghai'), 1);
      assert.equal(await flushDigests(db, new Date('2026-12-02T02:00:00Z'), 'Asia/Shanghai'), 0, 'once a day');
      await drain(db, config(), mailer);
      const digest = mails.find((m) => m.to[0] === 'daily@example.com');
      assert.ok(digest, 'the digest arrived');
      assert.match(digest.headers.subject ?? '', /digest/i);
    });

    it('refuses bad subscriptions with the field and the reason, and loopback webhooks unless allowed', async () => {
      const bad = await subscribe({
        channel: 'email',
        email: 'not-an-address',
        digest: 'hourly',
        watch: { jurisdictions: ['cn-xx'], kinds: ['new-instrument'], effective_in_days: 0 },
      });
      assert.equal(bad.status, 400);
      const text = JSON.stringify(bad.body);
      assert.match(text, /digest/);
      const strict = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS });
      try {
        const res = await strict.inject({
          method: 'POST',
          url: '/api/v1/subscriptions',
          payload: { channel: 'webhook', url: 'http://127.0.0.1:9/hook' },
        });
        assert.equal(res.statusCode, 400);
        assert.match(res.body, /url/);
        assert.match(res.body, /loopback/i);
        const wrong = await strict.inject({
          method: 'POST',
          url: '/api/v1/subscriptions',
          payload: {
            channel: 'email',
            email: 'x@example.com',
            watch: { jurisdictions: ['cn-xx'], effective_in_days: 0 },
          },
        });
        assert.equal(wrong.statusCode, 400);
        assert.match(wrong.body, /"watch\.jurisdictions\.0"/);
        assert.match(wrong.body, /watch\.effective_in_days/);
      } finally {
        await strict.close();
      }
    });

    it('lists, reads and deletes subscriptions for their owner only', async () => {
      const first = await subscribe({ channel: 'atom', watch: { topics: ['compute-vouchers'] } });
      const token = first.body.owner_token as string;
      assert.ok(token);
      assert.match(
        (first.body.subscription as { feed_url: string }).feed_url,
        /\/feeds\/subscriptions\/s_.+\.atom\?token=/,
      );
      const feedUrl = (first.body.subscription as { feed_url: string }).feed_url;
      const feed = await fetch(feedUrl);
      assert.equal(feed.status, 200);
      assert.match(feed.headers.get('content-type') ?? '', /application\/atom\+xml/);
      assert.match(feed.headers.get('cache-control') ?? '', /no-store/);
      const atom = await feed.text();
      assert.match(atom, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
      assert.match(atom, /AI Pioneer City/, 'the Shenzhen measures are tagged compute-vouchers');
      assert.match(await (await fetch(`${api}/feeds/all.atom`)).text(), /Regulations of Shanghai Municipality/);
      assert.doesNotMatch(atom, /Regulations of Shanghai Municipality/, 'nothing outside the topic');
      assert.equal((await fetch(feedUrl.replace(/token=.*/, 'token=hzf_wrong'))).status, 403);
      const second = await subscribe({ channel: 'ical', watch: { jurisdictions: ['cn-sh'] } }, token);
      const ics = await fetch((second.body.subscription as { feed_url: string }).feed_url);
      assert.equal(ics.status, 200);
      assert.match(await ics.text(), /BEGIN:VCALENDAR/);
      assert.equal(second.body.owner_token, undefined, 'an owner adding a subscription keeps their token');
      const auth = { authorization: `Bearer ${token}` };
      const list = (await (await fetch(`${api}/api/v1/subscriptions`, { headers: auth })).json()) as {
        subscriptions: { id: string }[];
      };
      assert.equal(list.subscriptions.length, 2);
      const id = list.subscriptions[0]?.id ?? '';
      assert.equal((await fetch(`${api}/api/v1/subscriptions/${id}`)).status, 403);
      assert.equal(
        (await fetch(`${api}/api/v1/subscriptions/${id}`, { headers: { authorization: 'Bearer nope' } })).status,
        403,
      );
      assert.equal((await fetch(`${api}/api/v1/subscriptions/${id}`, { method: 'DELETE', headers: auth })).status, 204);
      assert.equal((await fetch(`${api}/api/v1/subscriptions/${id}`, { headers: auth })).status, 404);
    });

    it('refuses to file a subscription under an owner token that owns none (403), as the guide’s form does', async () => {
      const refused = await subscribe({ channel: 'atom', watch: { topics: ['compute-vouchers'] } }, 'hzo_mistyped');
      assert.equal(refused.status, 403);
      const error = refused.body.error as { code: string; problems: { where: string; message: string }[] };
      assert.equal(error.code, 'forbidden');
      assert.deepEqual(
        error.problems.map((p) => p.where),
        ['owner_token'],
      );
      assert.match(error.problems[0]?.message ?? '', /no subscriptions belong to this owner token/);
      const list = await fetch(`${api}/api/v1/subscriptions`, { headers: { authorization: 'Bearer hzo_mistyped' } });
      assert.deepEqual(((await list.json()) as { subscriptions: unknown[] }).subscriptions, [], 'nothing was filed');
    });

    it('turns dates into events: in force from today, and effective in N days for subscribers who asked', async () => {
      const hook = await receiver();
      try {
        const created = await subscribe({
          channel: 'webhook',
          url: hook.url,
          watch: { jurisdictions: ['cn-gd-shenzhen'], effective_in_days: 30 },
        });
        assert.equal(created.status, 201);
        await db.query("DELETE FROM watch_state WHERE name = 'scheduler_day'");
        // The Shenzhen regulations took effect on 1 Nov 2022.
        await runScheduler(db, '2022-10-01');
        let events = await db.query<{ kind: string; instrument_id: string }>(
          "SELECT kind, instrument_id FROM watch_events WHERE dedupe_key LIKE 'effective-soon:%' OR dedupe_key LIKE 'status:%:2022-%'",
        );
        assert.equal(events.filter((e) => e.instrument_id === SZ_REGS).length, 0, '31 days ahead: not yet');
        const second = await runScheduler(db, '2022-10-02');
        assert.deepEqual(second.days, ['2022-10-02']);
        events = await db.query(
          "SELECT kind, instrument_id FROM watch_events WHERE instrument_id = $1 AND kind = 'effective-soon'",
          [SZ_REGS],
        );
        assert.equal(events.length, 1, '30 days ahead');
        assert.equal((await runScheduler(db, '2022-10-02')).days.length, 0, 'a day is handled once');
        await runScheduler(db, '2022-11-01'); // catches up the days in between
        const inForce = await db.query<{ doc: string }>('SELECT doc FROM watch_events WHERE dedupe_key = $1', [
          `status:${SZ_REGS}:2022-11-01`,
        ]);
        assert.equal(inForce.length, 1);
        assert.match(inForce[0]?.doc ?? '', /In force from today/);
        await drain(db, config(), mailer);
        const kinds = hook.received.flatMap((r) =>
          (JSON.parse(r.body) as { events: { kind: string }[] }).events.map((e) => e.kind),
        );
        assert.ok(kinds.includes('effective-soon'));
        assert.ok(kinds.includes('status-changed'));
      } finally {
        await hook.close();
      }
    });
  });
}
