// Webhook delivery against a real HTTP server on a loopback port: body, headers, signature, and how failures classify.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
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
});
