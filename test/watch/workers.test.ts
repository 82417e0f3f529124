// Workers on one PostgreSQL database: two workers never send one delivery twice, and a worker killed with SIGKILL in
// the middle of a delivery loses nothing: after a restart the delivery arrives, under the same idempotency key, so a
// receiver that dedupes by key processes it exactly once. (PGlite serves one process; these are server scenarios.)
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { WatchConfig } from '../../src/config/config.ts';
import { importBundle } from '../../src/content/import.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { createMailer } from '../../src/watch/deliver/email.ts';
import { recordEvents } from '../../src/watch/events.store.ts';
import { dispatchEvents } from '../../src/watch/outbox.ts';
import { listDeliveries } from '../../src/watch/outbox.store.ts';
import { SubscriptionIndex } from '../../src/watch/subscription-index.ts';
import { deliverDue } from '../../src/watch/worker.ts';
import { SHIPPED } from '../support/bundles.ts';
import { BIN } from '../support/cli.ts';
import { TEST_SECRET_KEY, TEST_SECRETS } from '../support/server.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { challengeAnswer, subscribeEchoingWebhook } from '../support/webhooks.ts';
import { GENEROUS_LIMITS } from '../support/watch-config.ts';

const config: WatchConfig = {
  publicUrl: 'https://horizon.example.org',
  publicUrlConfigured: true,
  mailFrom: 'alerts@horizon.example.org',
  allowPrivateWebhooks: true,
  webhookTimeoutMs: 60_000,
  maxAttempts: 5,
  retryBaseMs: 10,
  leaseMs: 60_000,
  timezone: 'Asia/Shanghai',
  limits: GENEROUS_LIMITS,
};

/**
 * A receiver that echoes verification challenges and records the idempotency keys of deliveries; `hold` makes it
 * never answer the first delivery.
 */
async function receiver(options: { hold?: boolean } = {}) {
  const keys: string[] = [];
  let first: () => void = () => undefined;
  const firstArrived = new Promise<void>((resolve) => (first = resolve));
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const answer = challengeAnswer(body);
      if (answer !== undefined) return void res.writeHead(200).end(answer);
      keys.push(String(req.headers['idempotency-key']));
      first();
      if (options.hold && keys.length === 1) held.push(res);
      else res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    keys,
    firstArrived,
    close: () =>
      new Promise<void>((r) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function subscribeAll(db: Database, url: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await subscribeEchoingWebhook(db, url);
}

async function queueEvents(db: Database, n: number): Promise<void> {
  await db.transaction(async (tx) => {
    const events = Array.from({ length: n }, (_, i) => ({
      kind: 'new-instrument' as const,
      key: `test:${i}:${Math.random()}`,
      occurredAt: new Date().toISOString(),
      instrument: 'cn-sh-ai-industry-regulations',
      jurisdiction: 'cn-sh',
      topics: [],
      programmes: [],
      title: { en: `Event ${i}`, zh: `事件 ${i}` },
      summary: { en: '', zh: '' },
      path: '/',
    }));
    await recordEvents(tx, events);
  });
}

const run = await postgresAvailable();

describe(
  'workers on one PostgreSQL database',
  { skip: run ? false : 'PostgreSQL is not reachable (see NOTICE)' },
  () => {
    let fresh: { url: string; drop(): Promise<void> };
    let db: Database;
    before(async () => {
      fresh = await freshPostgresDatabase();
      db = await openDatabase({ kind: 'postgres', url: fresh.url });
      await importBundle(db, SHIPPED);
      await dispatchEvents(db, new SubscriptionIndex(), 1000); // the first import's events: no one subscribed yet
    });
    after(async () => {
      await db.close();
      await fresh.drop();
    });

    it('two workers deliver 300 deliveries with no duplicate and none missed', async () => {
      const hook = await receiver();
      const second = await openDatabase({ kind: 'postgres', url: fresh.url });
      const mailer = createMailer({ mailFrom: config.mailFrom });
      try {
        await subscribeAll(db, hook.url, 300);
        await queueEvents(db, 1); // one event, 300 subscribers: 300 deliveries
        // Both workers dispatch at once: the event is matched and queued by exactly one of them.
        const dispatched = await Promise.all([
          dispatchEvents(db, new SubscriptionIndex()),
          dispatchEvents(second, new SubscriptionIndex()),
        ]);
        assert.deepEqual(dispatched.map((d) => d.events).sort(), [0, 1]);
        assert.equal(dispatched[0].deliveries + dispatched[1].deliveries, 300);
        const counts = [0, 0];
        const work = async (worker: Database, i: number) => {
          for (;;) {
            const n = await deliverDue(worker, { config, secrets: TEST_SECRETS, batch: 5 }, mailer);
            counts[i] = (counts[i] ?? 0) + n;
            if (n === 0) return;
          }
        };
        await Promise.all([work(db, 0), work(second, 1)]);
        assert.equal(hook.keys.length, 300, 'every delivery arrived once');
        assert.equal(new Set(hook.keys).size, 300, 'no idempotency key twice');
        assert.ok((counts[0] ?? 0) > 0 && (counts[1] ?? 0) > 0, `both workers worked: ${counts.join(' + ')}`);
        const states = await db.query<{ state: string; n: number }>(
          'SELECT state, count(*)::int AS n FROM outbox GROUP BY state',
        );
        assert.deepEqual(
          states.map((s) => [s.state, Number(s.n)]),
          [['delivered', 300]],
        );
      } finally {
        mailer.close();
        await second.close();
        await hook.close();
        await db.query('DELETE FROM subscriptions');
      }
    });

    it('a worker killed with SIGKILL mid-delivery loses nothing: the restarted worker delivers it under the same key', async () => {
      const hook = await receiver({ hold: true });
      const workers: ChildProcess[] = [];
      const start = () => {
        const child = spawn(process.execPath, [BIN, 'worker'], {
          env: {
            ...process.env,
            DATABASE_URL: fresh.url,
            HORIZON_SECRET_KEY: TEST_SECRET_KEY,
            WEBHOOK_ALLOW_PRIVATE: '1',
            DELIVERY_LEASE_MS: '1500',
            DELIVERY_RETRY_BASE_MS: '100',
            WEBHOOK_TIMEOUT_MS: '60000',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        workers.push(child);
        if (process.env.HZ_DEBUG) child.stderr?.pipe(process.stderr);
        return child;
      };
      try {
        await subscribeAll(db, hook.url, 1);
        await queueEvents(db, 1);
        const first = start();
        await hook.firstArrived; // the worker has claimed the delivery and is waiting for the receiver
        const [claimed] = await listDeliveries(db);
        assert.equal(claimed?.state, 'sending');
        first.kill('SIGKILL');
        await new Promise((resolve) => first.once('exit', resolve));
        start();
        const deadline = Date.now() + 30_000;
        for (;;) {
          const [d] = await listDeliveries(db);
          if (d?.state === 'delivered') break;
          assert.ok(Date.now() < deadline, `not delivered in time: ${JSON.stringify(d)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        assert.equal(hook.keys.length, 2, 'sent once before the crash (never answered) and once after');
        assert.equal(new Set(hook.keys).size, 1, 'both under one idempotency key: processed exactly once by key');
        const all = await listDeliveries(db);
        assert.equal(all.length, 1);
        assert.equal(all[0]?.attempts, 2);
      } finally {
        for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
        await hook.close();
      }
    });
  },
);
