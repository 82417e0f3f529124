// The authorization matrix: every route the app serves (read from its route table, so a new route is in the matrix
// without being listed) × anonymous, an editor's, a reviewer's and an admin's session, and tokens of each scope,
// against a real server, on both databases. Each answer must be what the route's policy says: public and capability
// routes are never refused for want of an account; account routes are 401 (API, with WWW-Authenticate) or a redirect
// to /login (pages) without credentials, and 403 without the scope they name. A route without a policy cannot be
// added at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/server.ts';
import { disableAccount, setRole } from '../../src/accounts/accounts.service.ts';
import { routesOf, type RouteEntry } from '../../src/http/route-table.ts';
import { ROLE_SCOPES, type Role, type Scope } from '../../src/accounts/types.ts';
import { apiToken, createTestAccount, signIn } from '../support/accounts.ts';
import { databaseKinds } from '../support/databases.ts';
import { fill } from '../support/routes.ts';
import { startTestServer, TEST_SECRETS, type TestServer } from '../support/server.ts';

interface Credential {
  readonly name: string;
  /** What it may do: the role's scopes for a session, the token's (within its role's) for a token; none: anonymous. */
  readonly scopes: ReadonlySet<Scope> | undefined;
  readonly headers: Record<string, string>;
  /** Sent as X-CSRF-Token with a session's state-changing requests (so CSRF is not what refuses them). */
  readonly csrf?: string;
}

interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly wwwAuthenticate: string | null;
  readonly body: string;
}

/** A refusal by the policy: "sign in first" (401), a redirect to the sign-in page, or "needs the scope" (403). */
const wantsSignIn = (a: Answer) =>
  (a.status === 401 && a.body.includes('Sign in first')) || (a.status === 303 && !!a.location?.startsWith('/login'));
const wantsScope = (a: Answer) => a.status === 403 && a.body.includes('it needs the scope');

async function call(url: string, route: RouteEntry, credential: Credential): Promise<Answer> {
  const path = fill(route.url, {}, 'x');
  const api = path.startsWith('/api/');
  const headers: Record<string, string> = { ...credential.headers };
  let body: string | undefined;
  if (route.method !== 'GET' && route.method !== 'DELETE') {
    headers['content-type'] = api ? 'application/json' : 'application/x-www-form-urlencoded';
    body = api ? '{}' : '';
  }
  if (credential.csrf && route.method !== 'GET') headers['x-csrf-token'] = credential.csrf;
  const response = await fetch(`${url}${path}`, { method: route.method, headers, body, redirect: 'manual' });
  return {
    status: response.status,
    location: response.headers.get('location'),
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body: await response.text(),
  };
}

for (const kind of await databaseKinds()) {
  describe(`the authorization matrix on ${kind.name}`, () => {
    let server: TestServer;
    const credentials: Credential[] = [{ name: 'anonymous', scopes: undefined, headers: {} }];
    before(async () => {
      server = await startTestServer(kind);
      const roles: Role[] = ['editor', 'reviewer', 'admin'];
      for (const role of roles) {
        const a = await createTestAccount(server.db, { email: `${role}@example.org`, role });
        const session = await signIn(server.url, a.email, a.password);
        credentials.push({
          name: `${role} session`,
          scopes: new Set(ROLE_SCOPES.get(role)),
          headers: { cookie: session.cookie },
          csrf: session.csrf,
        });
      }
      // A token of each scope, each of an account whose role grants it (and more: the token is cut to its scope).
      for (const [scope, email] of [
        ['drafts:write', 'admin@example.org'],
        ['review', 'admin@example.org'],
        ['admin', 'admin@example.org'],
      ] as const) {
        const token = await apiToken(server.db, email, [scope]);
        credentials.push({
          name: `${scope} token`,
          scopes: new Set([scope]),
          headers: { authorization: `Bearer ${token}` },
        });
      }
    });
    after(() => server.close());

    it('answers every route × credential as its policy says', async (t) => {
      const routes = routesOf(server.app);
      assert.ok(routes.length >= 60, `the route table lists the app's routes (${routes.length})`);
      const wrong: string[] = [];
      let requests = 0;
      const accountRoutes = routes.filter((r) => r.config?.policy?.access === 'account').length;
      const check = async (route: RouteEntry, credential: Credential) => {
        const policy = route.config?.policy;
        assert.ok(policy, `${route.method} ${route.url} has a policy`);
        const answer = await call(server.url, route, credential);
        requests++;
        const where = `${route.method} ${route.url} as ${credential.name}: ${answer.status} ${answer.body.slice(0, 120)}`;
        if (policy.access !== 'account') {
          if (wantsSignIn(answer) || wantsScope(answer)) wrong.push(`${where} (refused, but it is ${policy.access})`);
        } else if (!credential.scopes) {
          if (!wantsSignIn(answer)) wrong.push(`${where} (anonymous let through)`);
          if (route.url.startsWith('/api/') && answer.wwwAuthenticate !== 'Bearer realm="horizon"') {
            wrong.push(`${where} (401 without WWW-Authenticate)`);
          }
          if (!route.url.startsWith('/api/') && route.method === 'GET' && answer.status !== 303) {
            wrong.push(`${where} (a page should send anonymous readers to /login)`);
          }
        } else if (policy.scope && !credential.scopes.has(policy.scope)) {
          if (!wantsScope(answer)) wrong.push(`${where} (needs ${policy.scope}, let through)`);
        } else if (wantsSignIn(answer) || wantsScope(answer) || answer.status >= 500) {
          wrong.push(`${where} (allowed, but refused)`);
        }
      };
      // A few requests at a time; signing out last, as it ends the session the other requests use.
      const pairs = routes.flatMap((route) => credentials.map((credential) => ({ route, credential })));
      const last = pairs.filter((p) => p.route.url === '/logout');
      const queue = pairs.filter((p) => p.route.url !== '/logout');
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let p = queue.shift(); p; p = queue.shift()) await check(p.route, p.credential);
        }),
      );
      for (const p of last) await check(p.route, p.credential);
      t.diagnostic(`${routes.length} routes (${accountRoutes} need an account) × ${credentials.length} credentials`);
      assert.ok(accountRoutes >= 10, `routes that need an account: ${accountRoutes}`);
      assert.equal(requests, routes.length * credentials.length);
      assert.deepEqual(wrong, []);
    });

    it('documents bearerAuth on every API route that needs an account', async () => {
      const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
        components: { securitySchemes: Record<string, unknown> };
        paths: Record<string, Record<string, { security?: unknown }>>;
      };
      assert.ok(doc.components.securitySchemes.bearerAuth, 'the bearerAuth scheme');
      const missing = routesOf(server.app)
        .filter((r) => r.config?.policy?.access === 'account' && r.url.startsWith('/api/'))
        .filter((r) => {
          const op = doc.paths[r.url.replace(/:([A-Za-z_]+)/g, '{$1}')]?.[r.method.toLowerCase()];
          return JSON.stringify(op?.security) !== JSON.stringify([{ bearerAuth: [] }]);
        })
        .map((r) => `${r.method} ${r.url}`);
      assert.deepEqual(missing, []);
    });
  });
}

describe('a route without a policy', () => {
  it('cannot be added to the app', async () => {
    const [kind] = await databaseKinds();
    assert.ok(kind);
    const db = await kind.open();
    const app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS });
    try {
      assert.throws(() => app.get('/no-policy', () => 'open'), /GET \/no-policy declares no policy/);
      assert.doesNotThrow(() => app.get('/with-policy', { config: { policy: { access: 'public' } } }, () => 'ok'));
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('behind https', () => {
  it('marks the session cookie Secure', async () => {
    const [kind] = await databaseKinds();
    assert.ok(kind);
    const db = await kind.open();
    const app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS, publicUrl: 'https://horizon.example' });
    try {
      const a = await createTestAccount(db, { email: 'secure@example.org', role: 'editor' });
      const r = await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://horizon.example' },
        payload: new URLSearchParams({ email: a.email, password: a.password }).toString(),
      });
      assert.equal(r.statusCode, 303);
      assert.match(
        String(r.headers['set-cookie']),
        /^horizon_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/,
      );
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('the last admin', () => {
  it('cannot be demoted or disabled from the web; the command line can do it', async () => {
    const [kind] = await databaseKinds();
    assert.ok(kind);
    const db = await kind.open();
    try {
      const a = await createTestAccount(db, { email: 'only-admin@example.org', role: 'admin' });
      const web = { by: { accountId: a.id, email: a.email }, address: '127.0.0.1' };
      await assert.rejects(disableAccount(db, a.email, web), { code: 'conflict' });
      await assert.rejects(setRole(db, a.email, 'editor', web), { code: 'conflict' });
      const other = await createTestAccount(db, { email: 'second-admin@example.org', role: 'admin' });
      assert.equal((await setRole(db, a.email, 'editor', web)).role, 'editor', 'with another admin it can');
      assert.equal((await setRole(db, other.email, 'reviewer')).role, 'reviewer', 'the CLI always can');
    } finally {
      await db.close();
    }
  });
});
