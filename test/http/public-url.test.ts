// Absolute URLs come from configuration only: a request naming another host (Host, X-Forwarded-Host, Forwarded) gets
// no link to it in feeds, the calendar, JSON-LD, the watch page or a new subscription's private feed URL, whatever the
// proxy setting; public feeds cached after such a request are the same bytes; a malformed Host never answers 500.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/server.ts';
import type { FastifyInstance } from 'fastify';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, TEST_SECRETS, type TestServer } from '../support/server.ts';
import { GENEROUS_LIMITS } from '../support/watch-config.ts';

const EVIL = 'evil.example';
const INSTRUMENT = 'cn-sh-ai-industry-regulations';

/** Ways a client names another host. */
const FOREIGN_HOSTS: Record<string, string>[] = [
  { host: EVIL },
  { host: `${EVIL}:8443` },
  { 'x-forwarded-host': EVIL, 'x-forwarded-proto': 'https' },
  { host: EVIL, 'x-forwarded-host': EVIL, 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' },
  { forwarded: `host=${EVIL};proto=https`, 'x-forwarded-for': '203.0.113.9' },
  { host: `${EVIL}`, 'x-original-host': EVIL, 'x-host': EVIL },
];

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request with any headers (fetch may not set Host), over a new connection. */
function request(base: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const url = new URL(base);
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { connection: 'close', ...headers }, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The raw status code of a request written byte for byte (headers Node's client would refuse to send). */
function rawStatus(base: string, head: string): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(head));
    socket.setTimeout(10_000, () => socket.destroy());
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text }));
  });
}

function noForeignHost(what: string, a: Answer): void {
  const headers = JSON.stringify(a.headers);
  assert.ok(
    !a.body.includes('evil'),
    `${what}: body names the foreign host: …${a.body.slice(a.body.indexOf('evil') - 80, a.body.indexOf('evil') + 40)}…`,
  );
  assert.ok(!headers.includes('evil'), `${what}: headers name the foreign host: ${headers}`);
}

for (const kind of await databaseKinds()) {
  describe(`absolute URLs from configuration only, on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      // Dozens of subscriptions from one client address: limits these tests never reach.
      server = await startTestServer(kind, { limits: GENEROUS_LIMITS });
    });
    after(() => server.close());

    const pages = [
      '/feeds/all.atom',
      '/feeds/jurisdictions/cn-sh.atom?lang=zh',
      '/feeds/topics/generative-ai.atom?kind=new-event',
      '/calendar.ics',
      `/calendar.ics?instrument=${INSTRUMENT}`,
      `/instruments/${INSTRUMENT}`,
      '/watch',
      '/',
      '/jurisdictions/cn',
      '/no/such/page',
      '/api/openapi.json',
    ];

    it('feeds, the calendar, JSON-LD and pages link to the public URL, never to the Host a client names', async () => {
      let asked = 0;
      for (const headers of FOREIGN_HOSTS) {
        for (const path of pages) {
          const a = await request(server.url, 'GET', path, headers);
          assert.ok(a.status < 500, `${path}: ${a.status}`);
          noForeignHost(`${path} with ${JSON.stringify(headers)}`, a);
          asked++;
        }
      }
      // The links are there, to the server's own address: the check above has something to look at.
      const feed = await request(server.url, 'GET', '/feeds/all.atom', { host: EVIL });
      assert.ok(feed.body.includes(`href="${server.url}/`), 'the feed links to the public URL');
      const page = await request(server.url, 'GET', `/instruments/${INSTRUMENT}`, { host: EVIL });
      assert.ok(page.body.includes(`"@id":"${server.url}/instruments/${INSTRUMENT}"`), 'JSON-LD id on the public URL');
      const cal = await request(server.url, 'GET', `/calendar.ics?instrument=${INSTRUMENT}`, { host: EVIL });
      const unfolded = cal.body.replace(/\r\n[ \t]/g, ''); // RFC 5545 folds long lines
      assert.ok(unfolded.includes(`${server.url}/instruments/${INSTRUMENT}`), 'calendar URL on the public URL');
      assert.ok(asked >= 60, `${asked} requests`);
    });

    it('a feed cached after a request naming another host is the same bytes and ETag as any other', async () => {
      for (const path of ['/feeds/all.atom', '/calendar.ics', '/feeds/topics/generative-ai.atom']) {
        const poisoned = await request(server.url, 'GET', path, { host: EVIL, 'x-forwarded-host': EVIL });
        const plain = await request(server.url, 'GET', path, {});
        assert.equal(poisoned.body, plain.body, path);
        assert.equal(poisoned.headers.etag, plain.headers.etag, path);
      }
    });

    it("a new subscription's private feed_url (API and form) is on the public URL, and so are the feed's links", async () => {
      for (const headers of FOREIGN_HOSTS) {
        for (const channel of ['atom', 'ical']) {
          const api = await request(
            server.url,
            'POST',
            '/api/v1/subscriptions',
            { ...headers, 'content-type': 'application/json' },
            JSON.stringify({ channel, watch: {} }),
          );
          assert.equal(api.status, 201, api.body);
          noForeignHost(`POST /api/v1/subscriptions ${channel} ${JSON.stringify(headers)}`, api);
          const feedUrl = (JSON.parse(api.body) as { subscription: { feed_url: string } }).subscription.feed_url;
          assert.ok(feedUrl.startsWith(`${server.url}/feeds/subscriptions/`), feedUrl);
          const feed = await request(server.url, 'GET', feedUrl.slice(server.url.length), headers);
          assert.equal(feed.status, 200);
          noForeignHost(`private ${channel} feed`, feed);

          const form = await request(
            server.url,
            'POST',
            '/watch/subscribe',
            { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
            `channel=${channel}`,
          );
          assert.equal(form.status, 200, form.body.slice(0, 300));
          noForeignHost(`POST /watch/subscribe ${channel}`, form);
          assert.ok(form.body.includes(`${server.url}/feeds/subscriptions/`), 'the page shows the private feed URL');
        }
      }
    });

    it('a form posted from a page on the host a client names is refused (this site is the public URL only)', async () => {
      const r = await request(
        server.url,
        'POST',
        '/watch/subscribe',
        { host: EVIL, origin: `http://${EVIL}`, 'content-type': 'application/x-www-form-urlencoded' },
        'channel=atom',
      );
      assert.equal(r.status, 403);
      const own = await request(
        server.url,
        'POST',
        '/watch/subscribe',
        { origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded' },
        'channel=atom',
      );
      assert.equal(own.status, 200);
    });

    it('a malformed Host header never answers 500, on any route that builds links', async () => {
      const hosts = [
        '',
        ' ',
        'evil.example:abc',
        'evil.example:99999999',
        '[::1',
        '[evil]',
        'a b',
        'evil.example/../../x',
        'user@evil.example',
        '%00',
        'ev\til',
        'é.example',
        'x'.repeat(8000),
        ':',
        '::::',
      ];
      const routes: [string, string, string?][] = [
        ['GET', '/feeds/all.atom'],
        ['GET', '/calendar.ics'],
        ['GET', `/instruments/${INSTRUMENT}`],
        ['GET', '/watch'],
        ['GET', '/'],
        ['GET', '/nowhere'],
        ['POST', '/api/v1/subscriptions', JSON.stringify({ channel: 'atom', watch: {} })],
      ];
      let asked = 0;
      for (const host of hosts) {
        for (const [method, path, body] of routes) {
          const head =
            `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n` +
            (body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
            `\r\n${body ?? ''}`;
          const r = await rawStatus(server.url, head);
          assert.ok(r.status >= 200 && r.status < 500, `${method} ${path} Host: ${host.slice(0, 40)} → ${r.status}`);
          assert.ok(!r.text.includes('evil'), `${method} ${path} Host: ${host.slice(0, 40)} names it`);
          asked++;
        }
      }
      // Two Host headers, and none at all (HTTP/1.0 allows that).
      for (const head of [
        `GET /feeds/all.atom HTTP/1.1\r\nHost: ${EVIL}\r\nHost: other.example\r\nConnection: close\r\n\r\n`,
        'GET /feeds/all.atom HTTP/1.0\r\n\r\n',
        `GET /instruments/${INSTRUMENT} HTTP/1.0\r\n\r\n`,
      ]) {
        const r = await rawStatus(server.url, head);
        assert.ok(r.status >= 200 && r.status < 500, `${head.split('\r\n')[0]} → ${r.status}`);
        assert.ok(!r.text.includes('evil'));
        asked++;
      }
      assert.ok(asked >= 100, `${asked} requests`);
    });
  });
}

describe('behind a proxy (trustProxy) with a configured public URL', () => {
  let server: TestServer;
  let app: FastifyInstance;
  let base: string;
  before(async () => {
    const [kind] = await databaseKinds();
    if (!kind) throw new Error('no database');
    server = await startTestServer(kind);
    app = await buildApp({
      db: server.db,
      logLevel: 'silent',
      publicUrl: 'https://horizon.example',
      trustProxy: true,
      limits: GENEROUS_LIMITS,
      secrets: TEST_SECRETS,
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    await server.close();
  });

  it('links use the configured URL whatever X-Forwarded-Host and -Proto say', async () => {
    for (const headers of FOREIGN_HOSTS) {
      for (const path of ['/feeds/all.atom', `/instruments/${INSTRUMENT}`, '/calendar.ics']) {
        const a = await request(base, 'GET', path, headers);
        assert.equal(a.status, 200);
        noForeignHost(`${path} ${JSON.stringify(headers)}`, a);
        assert.ok(a.body.includes('https://horizon.example/'), `${path}: links to the configured URL`);
      }
      const sub = await request(
        base,
        'POST',
        '/api/v1/subscriptions',
        { ...headers, 'content-type': 'application/json' },
        JSON.stringify({ channel: 'atom', watch: {} }),
      );
      assert.equal(sub.status, 201);
      const feedUrl = (JSON.parse(sub.body) as { subscription: { feed_url: string } }).subscription.feed_url;
      assert.ok(feedUrl.startsWith('https://horizon.example/feeds/subscriptions/'), feedUrl);
    }
  });
});
