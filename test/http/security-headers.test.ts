// Every response carries the security headers, whatever answered it: each route of the app (read from Fastify's
// route tree) with good parameters, with hostile ones, with bad bodies; 404s, 400s, 304s, 413s and malformed URLs.
// Pages have a policy that allows no inline script or style; HSTS is sent when the public URL is https.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/server.ts';
import type { FastifyInstance } from 'fastify';
import { pglite } from '../support/databases.ts';
import { fill, routesOf, type AppRoute } from '../support/routes.ts';
import { startTestServer, TEST_SECRETS, type TestServer } from '../support/server.ts';

/** Good values for the routes' parameters, by route prefix then by name. */
function goodPath(route: AppRoute): string {
  const p = route.path;
  if (p.startsWith('/static/')) return fill(p, { file: 'guide.css' });
  if (p.startsWith('/feeds/jurisdictions/')) return fill(p, { file: 'cn.atom' });
  if (p.startsWith('/feeds/topics/')) return fill(p, { file: 'generative-ai.atom' });
  if (p.startsWith('/feeds/subscriptions/')) return fill(p, { file: 's_nobody.atom' });
  if (p.includes('/articles/')) return fill(p, { id: 'ai-initiatives-in-china', date: '2023-11-27' });
  return fill(p, { id: 'cn-sh-ai-industry-regulations', code: 'cn', delivery: 'd_x' });
}

/** Hostile values for every parameter (each goes to every parameter of every route). */
const HOSTILE = [
  'constructor',
  '__proto__',
  '..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'x'.repeat(3000),
  '%E2%80%AE',
  '99999999999999999999',
];

/** Queries every GET route is also asked with. */
const HOSTILE_QUERIES = ['?as_of=2024-02-30', '?lang=fr', '?lang=en&lang=zh', '?as_of=<x>', '?token=hzf_abc'];

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** The headers of one answer, whatever its status (a 500 is another class's failure, but it carries them too). */
function checkHeaders(what: string, a: Answer, https = false): void {
  const h = a.headers;
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(h.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  const csp = h.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors (${csp})`);
  assert.match(csp, /default-src 'none'/, `${what}: CSP default-src`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:/, `${what}: CSP allows nothing from elsewhere`);
  if (/^text\/html/.test(h.get('content-type') ?? '')) {
    const script = /script-src ([^;]*)/.exec(csp)?.[1];
    assert.ok(script === undefined || script === "'self'", `${what}: scripts only from this origin (${csp})`);
  }
  if (https) assert.equal(h.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', `${what}: HSTS`);
  else assert.equal(h.get('strict-transport-security'), null, `${what}: no HSTS over http`);
}

describe('security headers on every response', () => {
  let server: TestServer;
  let routes: AppRoute[];
  before(async () => {
    server = await startTestServer(pglite);
    routes = routesOf(server.app);
  });
  after(() => server.close());

  const ask = async (method: string, path: string, init: RequestInit = {}): Promise<Answer> => {
    const r = await fetch(`${server.url}${path}`, { method, redirect: 'manual', ...init });
    return { status: r.status, headers: r.headers, body: await r.text() };
  };

  it('reads the routes from the app', () => {
    const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const expected of [
      'GET /',
      'GET /api/v1/instruments/:id',
      'POST /api/v1/subscriptions',
      'GET /calendar.ics',
    ]) {
      assert.ok(paths.has(expected), `${expected} among ${[...paths].join(', ')}`);
    }
    assert.ok(routes.length >= 40, `${routes.length} routes`);
  });

  it('every GET route, with good parameters and with each hostile query', async () => {
    let asked = 0;
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const path = goodPath(route);
      for (const query of ['', ...HOSTILE_QUERIES]) {
        checkHeaders(`GET ${path}${query}`, await ask('GET', `${path}${query}`));
        asked++;
      }
    }
    assert.ok(asked > 150, `${asked} requests`);
  });

  it('every route with a parameter, with each hostile value in each parameter', async () => {
    let asked = 0;
    for (const route of routes.filter((r) => r.path.includes(':'))) {
      for (const value of HOSTILE) {
        const path = route.path.replace(/:([A-Za-z_]+)/g, () =>
          value.includes('%') ? value : encodeURIComponent(value),
        );
        const init: RequestInit =
          route.method === 'GET' || route.method === 'DELETE'
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: '{}' };
        checkHeaders(`${route.method} ${path.slice(0, 80)}`, await ask(route.method, path, init));
        asked++;
      }
    }
    assert.ok(asked > 80, `${asked} requests`);
  });

  it('every POST, PUT and DELETE route, with a body that is not JSON, empty, of the wrong type and too large', async () => {
    const bodies: { headers: Record<string, string>; body: string }[] = [
      { headers: { 'content-type': 'application/json' }, body: '{' },
      { headers: { 'content-type': 'application/json' }, body: '' },
      { headers: { 'content-type': 'application/json' }, body: '[1,2]' },
      { headers: { 'content-type': 'text/plain' }, body: 'hello' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=%00&b=%ZZ' },
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }) },
    ];
    let asked = 0;
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      for (const init of bodies) {
        checkHeaders(
          `${route.method} ${route.path} (${init.body.slice(0, 10)})`,
          await ask(route.method, goodPath(route), init),
        );
        asked++;
      }
    }
    assert.ok(asked > 50, `${asked} requests`);
  });

  it('404s, 405s, 304s and URLs Fastify itself refuses', async () => {
    const css = await ask('GET', '/static/guide.css');
    const etag = css.headers.get('etag') ?? '';
    const cases: [string, string, RequestInit?][] = [
      ['GET', '/no/such/page'],
      ['GET', '/api/v1/no-such-thing'],
      ['GET', '/static/constructor'],
      ['GET', `/api/v1/instruments/${'x'.repeat(3000)}`],
      ['GET', '/%E0%A4%A'],
      ['GET', '/api/v1/instruments/%E0%A4%A'],
      ['GET', '/instruments/%'],
      ['PATCH', '/api/v1/instruments'],
      ['GET', '/static/guide.css', { headers: { 'if-none-match': etag } }],
      ['GET', '/feeds/all.atom'],
      ['GET', '/api/openapi.json'],
      ['GET', '/healthz'],
    ];
    for (const [method, path, init] of cases) {
      checkHeaders(`${method} ${path.slice(0, 80)}`, await ask(method, path, init));
    }
    assert.equal((await ask('GET', '/static/guide.css', { headers: { 'if-none-match': etag } })).status, 304);
  });

  it('sends HSTS on every response when the public URL is https', async () => {
    const app: FastifyInstance = await buildApp({
      db: server.db,
      logLevel: 'silent',
      publicUrl: 'https://horizon.example',
      secrets: TEST_SECRETS,
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const urls = [
        '/',
        '/api/v1/instruments',
        '/no/such',
        '/api/v1/nope',
        '/feeds/all.atom',
        '/%E0%A4%A',
        '/static/x',
      ];
      for (const url of urls) {
        const r = await fetch(`${base}${url}`);
        checkHeaders(`https ${url}`, { status: r.status, headers: r.headers, body: await r.text() }, true);
        // app.inject bypasses the server: the onSend hook alone must give the same headers.
        const injected = await app.inject({ method: 'GET', url });
        if (injected.statusCode === r.status && !url.includes('%')) {
          const headers = new Headers();
          for (const [k, v] of Object.entries(injected.headers)) if (v !== undefined) headers.set(k, String(v));
          checkHeaders(`inject ${url}`, { status: injected.statusCode, headers, body: injected.body }, true);
        }
      }
    } finally {
      await app.close();
    }
  });
});

describe('Cache-Control on answers that carry a token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(pglite);
  });
  after(() => server.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('POST /api/v1/subscriptions (owner token, secret, private feed URL): no-store', async () => {
    for (const body of [
      { channel: 'atom', watch: {} },
      { channel: 'ical', watch: {} },
      { channel: 'email', email: 'someone@example.org', watch: {} },
    ]) {
      const r = await post('/api/v1/subscriptions', body);
      assert.equal(r.status, 201, await r.clone().text());
      assert.equal(r.headers.get('cache-control'), 'no-store', body.channel);
      const created = (await r.json()) as { owner_token: string; subscription: { id: string; feed_url?: string } };
      assert.ok(created.owner_token);
      // Everything asked with that token is not stored either.
      const listed = await fetch(`${server.url}/api/v1/subscriptions`, {
        headers: { authorization: `Bearer ${created.owner_token}` },
      });
      assert.equal(listed.status, 200);
      assert.equal(listed.headers.get('cache-control'), 'no-store');
      if (created.subscription.feed_url) {
        const feed = await fetch(created.subscription.feed_url);
        assert.equal(feed.status, 200);
        assert.match(feed.headers.get('cache-control') ?? '', /\bno-store\b/);
        assert.match(feed.headers.get('cache-control') ?? '', /\bprivate\b/);
      }
    }
  });

  it('POST /api/v1/profiles (the profile token) and reads with it: no-store', async () => {
    const r = await post('/api/v1/profiles', { profile: { jurisdictions: ['cn-sh'] } });
    assert.equal(r.status, 201, await r.clone().text());
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const saved = (await r.json()) as { id: string; token: string };
    const read = await fetch(`${server.url}/api/v1/profiles/${saved.id}`, {
      headers: { authorization: `Bearer ${saved.token}` },
    });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('cache-control'), 'no-store');
  });

  it('the guide page that shows the token: no-store', async () => {
    const r = await fetch(`${server.url}/watch/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=atom',
    });
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });
});
