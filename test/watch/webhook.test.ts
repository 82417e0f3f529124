// Webhook delivery against a real HTTP server on a loopback port: body, headers, signature, and how failures classify.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HostLookup } from '../../src/watch/deliver/address-guard.ts';
import { guardedFetch, OutgoingRefused } from '../../src/watch/deliver/guarded-fetch.ts';
import { verifyWebhookSignature } from '../../src/watch/deliver/signature.ts';
import { sendWebhook, webhookBody, type WebhookOptions } from '../../src/watch/deliver/webhook.ts';
import type { StoredEvent } from '../../src/watch/types.ts';

interface Received {
  readonly path: string;
  readonly method: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const SECRET = 'whsec_0123456789abcdef';
const PUBLIC_URL = 'https://horizon.example.org/';

const EVENTS: readonly StoredEvent[] = [
  {
    id: 41,
    kind: 'effective-soon',
    key: 'effective-soon:cn-gd-shenzhen-ai-industry-regulations:2022-11-01:0',
    occurredAt: '2022-11-01T00:00:00.000Z',
    instrument: 'cn-gd-shenzhen-ai-industry-regulations',
    jurisdiction: 'cn-gd-shenzhen',
    topics: ['ai-industry'],
    programmes: [],
    day: '2022-11-01',
    aheadDays: 0,
    title: { en: 'Shenzhen regulations take effect today', zh: '深圳条例今日施行' },
    summary: {
      en: 'The Shenzhen AI industry regulations are in force.',
      zh: '《深圳经济特区人工智能产业促进条例》施行。',
    },
    path: '/instruments/cn-gd-shenzhen-ai-industry-regulations',
  },
  {
    id: 42,
    kind: 'text-revised',
    key: 'text-revised:guide-intro:2026-01-02',
    occurredAt: '2026-01-02T08:00:00.000Z',
    article: 'guide-intro',
    topics: [],
    programmes: ['sh-compute-vouchers'],
    title: { en: 'Guide revised', zh: '指南修订' },
    summary: { en: 'Two sections changed.', zh: '两节有改动。' },
    path: '/articles/guide-intro',
  },
];

describe('webhook delivery over HTTP', () => {
  let server: http.Server;
  let base: string;
  const received: Received[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        const status = /^\/status\/(\d{3})$/.exec(path)?.[1];
        if (path === '/hang') return; // never answers
        if (path === '/redirect') {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        } else if (status) {
          res.writeHead(Number(status), { 'content-type': 'text/plain' }).end(`status ${status} ${'x'.repeat(5000)}`);
        } else {
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const options: WebhookOptions = { timeoutMs: 5000, allowPrivate: true };
  const delivery = (key: string) => ({
    idempotencyKey: key,
    event: 'horizon.changes',
    body: webhookBody('sub_1', EVENTS, PUBLIC_URL),
  });
  const take = (path: string): Received[] => received.filter((r) => r.path === path);

  it('POSTs the JSON body with the idempotency key, event, user agent and a signature that verifies', async () => {
    const now = Date.now();
    const result = await sendWebhook({ url: `${base}/ok`, secret: SECRET }, delivery('dlv_1'), {
      ...options,
      now: () => now,
    });
    assert.deepEqual(result, { ok: true, status: 204 });
    const [req] = take('/ok');
    assert.ok(req, 'the receiver got the request');
    assert.equal(req.method, 'POST');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['user-agent'], 'Horizon-Webhooks/1');
    assert.equal(req.headers['idempotency-key'], 'dlv_1');
    assert.equal(req.headers['horizon-event'], 'horizon.changes');
    const signature = req.headers['horizon-signature'];
    assert.equal(typeof signature, 'string');
    assert.match(String(signature), new RegExp(`^t=${Math.floor(now / 1000)},v1=[0-9a-f]{64}$`));
    assert.equal(verifyWebhookSignature(SECRET, String(signature), req.body), true);
    assert.equal(verifyWebhookSignature('wrong', String(signature), req.body), false);

    assert.deepEqual(JSON.parse(req.body), {
      type: 'horizon.changes',
      subscription: 'sub_1',
      events: [
        {
          id: 41,
          kind: 'effective-soon',
          occurred_at: '2022-11-01T00:00:00.000Z',
          instrument: 'cn-gd-shenzhen-ai-industry-regulations',
          jurisdiction: 'cn-gd-shenzhen',
          topics: ['ai-industry'],
          programmes: [],
          day: '2022-11-01',
          ahead_days: 0,
          title: { en: 'Shenzhen regulations take effect today', zh: '深圳条例今日施行' },
          summary: {
            en: 'The Shenzhen AI industry regulations are in force.',
            zh: '《深圳经济特区人工智能产业促进条例》施行。',
          },
          url: 'https://horizon.example.org/instruments/cn-gd-shenzhen-ai-industry-regulations',
        },
        {
          id: 42,
          kind: 'text-revised',
          occurred_at: '2026-01-02T08:00:00.000Z',
          article: 'guide-intro',
          topics: [],
          programmes: ['sh-compute-vouchers'],
          title: { en: 'Guide revised', zh: '指南修订' },
          summary: { en: 'Two sections changed.', zh: '两节有改动。' },
          url: 'https://horizon.example.org/articles/guide-intro',
        },
      ],
    });
  });

  it('treats 500, 503, 429 and 408 as retryable and keeps a short error text', async () => {
    for (const status of [500, 503, 429, 408]) {
      const result = await sendWebhook({ url: `${base}/status/${status}`, secret: SECRET }, delivery('k'), options);
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.retryable, true, String(status));
      assert.equal(result.status, status);
      assert.match(result.error, new RegExp(`^HTTP ${status}: status ${status} x+$`));
      assert.ok(result.error.length <= 220, `error text is short (${result.error.length})`);
    }
  });

  it('treats 400, 401, 404 and 410 as not retryable', async () => {
    for (const status of [400, 401, 404, 410]) {
      const result = await sendWebhook({ url: `${base}/status/${status}`, secret: SECRET }, delivery('k'), options);
      assert.ok(!result.ok);
      assert.equal(result.retryable, false, String(status));
      assert.equal(result.status, status);
    }
  });

  it('gives up on a receiver that never answers, as a retryable timeout', async () => {
    const started = Date.now();
    const result = await sendWebhook({ url: `${base}/hang`, secret: SECRET }, delivery('k'), {
      ...options,
      timeoutMs: 300,
    });
    assert.deepEqual(result, { ok: false, retryable: true, error: 'timed out after 300 ms' });
    assert.ok(Date.now() - started < 3000, 'returned soon after the timeout');
    assert.equal(take('/hang').length, 1);
  });

  it('does not follow a redirect (it could point at a private address) and does not retry it', async () => {
    const result = await sendWebhook({ url: `${base}/redirect`, secret: SECRET }, delivery('k'), options);
    assert.ok(!result.ok);
    assert.equal(result.retryable, false);
    assert.equal(result.status, 302);
    assert.match(result.error, /redirects are not followed \(to http:\/\/169\.254\.169\.254\/latest\/meta-data\/\)/);
  });

  it('refuses a loopback receiver unless private addresses are allowed, sending nothing', async () => {
    const before = received.length;
    const result = await sendWebhook({ url: `${base}/ok`, secret: SECRET }, delivery('k'), {
      ...options,
      allowPrivate: false,
    });
    assert.ok(!result.ok);
    assert.equal(result.retryable, false);
    assert.equal(result.status, undefined);
    assert.match(result.error, /^refused: .*127\.0\.0\.1 is a loopback address/);
    assert.equal(received.length, before, 'the receiver got nothing');
  });

  it('refuses a host name that resolves to a private address at send time', async () => {
    const before = received.length;
    const result = await sendWebhook({ url: 'http://hooks.example.com/ok', secret: SECRET }, delivery('k'), {
      ...options,
      allowPrivate: false,
      lookup: () => Promise.resolve(['10.0.0.7']),
    });
    assert.ok(!result.ok);
    assert.equal(result.retryable, false);
    assert.match(result.error, /hooks\.example\.com resolves to 10\.0\.0\.7, a private address/);
    assert.equal(received.length, before);
  });

  it('treats a refused connection as a retryable network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await sendWebhook({ url: `http://127.0.0.1:${port}/`, secret: SECRET }, delivery('k'), options);
    assert.deepEqual(result, { ok: false, retryable: true, error: 'network error: ECONNREFUSED' });
  });

  describe('connections go only to the addresses the guard passed (DNS rebinding)', () => {
    /** A fake DNS that answers `first` to the first question about a name and `then` to every later one. */
    function rebinding(first: readonly string[], then: readonly string[]): HostLookup & { readonly asked: string[] } {
      const asked: string[] = [];
      const fake = (host: string) => {
        asked.push(host);
        return Promise.resolve(asked.length === 1 ? first : then);
      };
      return Object.assign(fake, { asked });
    }
    const port = () => new URL(base).port;

    // What a rebinding name answers at connect time, after answering a public address when checked.
    const answers: readonly (readonly [readonly string[], RegExp])[] = [
      [['127.0.0.1'], /127\.0\.0\.1, a loopback address/],
      [['127.0.0.2'], /127\.0\.0\.2, a loopback address/],
      [['::1'], /::1, a loopback address/],
      [['::ffff:127.0.0.1'], /::ffff:127\.0\.0\.1, a loopback address/],
      [['0.0.0.0'], /an unspecified address/],
      [['10.0.0.1'], /a private address/],
      [['169.254.169.254'], /a link-local address/],
      [['fd00::1'], /a private address/],
      [['2002:7f00:1::'], /a tunnelled \(6to4 or Teredo\) address/],
      [['2001:0:7f00:1::80ff:fffe'], /a tunnelled \(6to4 or Teredo\) address/],
      [['64:ff9b::7f00:1'], /a loopback address/],
      [['93.184.216.34', '127.0.0.1'], /127\.0\.0\.1, a loopback address/],
      [['127.0.0.1', '93.184.216.34'], /127\.0\.0\.1, a loopback address/],
    ];
    for (const [then, pattern] of answers) {
      it(`refuses a name that passes the check and then resolves to ${then.join(', ')}; nothing reaches the server`, async () => {
        const path = `/rebind-${then.join('-')}`;
        const lookup = rebinding(['93.184.216.34'], then);
        const result = await sendWebhook(
          { url: `http://rebind.example.test:${port()}${path}`, secret: SECRET },
          delivery('k'),
          { ...options, allowPrivate: false, lookup },
        );
        assert.ok(!result.ok, 'refused');
        assert.equal(result.retryable, false);
        assert.equal(result.status, undefined);
        assert.match(result.error, /^refused: the webhook host rebind\.example\.test resolves to /);
        assert.match(result.error, pattern);
        assert.equal(lookup.asked.length, 2, 'the name was resolved again to connect');
        assert.equal(take(path).length, 0, 'the loopback server got nothing');
      });
    }

    it('connects through the guarded lookup to a loopback fixture when private addresses are allowed', async () => {
      const lookup = rebinding(['127.0.0.1'], ['127.0.0.1']);
      const result = await sendWebhook(
        { url: `http://hooks.example.test:${port()}/named`, secret: SECRET },
        delivery('named'),
        { ...options, lookup },
      );
      assert.deepEqual(result, { ok: true, status: 204 });
      assert.deepEqual(lookup.asked, ['hooks.example.test', 'hooks.example.test']);
      assert.equal(take('/named').length, 1);
    });

    it('guardedFetch refuses at connect time by itself, and does not follow redirects', async () => {
      const lookup: HostLookup = () => Promise.resolve(['127.0.0.1']);
      await assert.rejects(
        guardedFetch(`http://direct.example.test:${port()}/direct`, { method: 'GET' }, { allowPrivate: false, lookup }),
        (e: unknown) => e instanceof OutgoingRefused && /resolves to 127\.0\.0\.1, a loopback address/.test(e.reason),
      );
      await assert.rejects(
        guardedFetch(`${base}/direct`, { method: 'GET' }, { allowPrivate: false }),
        (e: unknown) => e instanceof OutgoingRefused && /127\.0\.0\.1 is a loopback address/.test(e.reason),
      );
      assert.equal(take('/direct').length, 0);
      const redirectsBefore = take('/redirect').length;
      const res = await guardedFetch(`${base}/redirect`, { method: 'GET' }, { allowPrivate: true, lookup });
      assert.equal(res.status, 302);
      await res.body?.cancel();
      assert.equal(take('/redirect').length, redirectsBefore + 1, 'the redirect target was not fetched');
    });
  });
});
