// Sessions, tokens, throttling, CSRF and the audit log against a real server, on both databases: a sign-in makes a
// new session id (fixation), logout, a role change and disabling end sessions, sessions expire; tokens revoked,
// expired, of a disabled account or without the scope are refused; the 11th wrong password in a minute is refused
// (and so is the right one then); a form posted without the session's token, with another session's, or from another
// site is refused; and each of these is in the audit log, which the application cannot change.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { disableAccount, login, resolveSession, setRole } from '../../src/accounts/accounts.service.ts';
import { apiToken, createTestAccount, csrfOf, sessionCookieFrom, signIn } from '../support/accounts.ts';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { all, one, parseHtml, text } from '../support/html.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const kind of await databaseKinds()) {
  describe(`sessions and tokens on ${kind.name}`, () => {
    let server: TestServer;
    let adminToken: string;
    before(async () => {
      server = await startTestServer(kind);
      await createTestAccount(server.db, { email: 'admin@example.org', role: 'admin' });
      adminToken = await apiToken(server.db, 'admin@example.org', ['admin']);
    });
    after(() => server.close());

    const me = (headers: Record<string, string>) => fetch(`${server.url}/api/v1/me`, { headers });
    const postLogin = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { ...FORM, ...headers },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    const audit = async (query: string) => {
      const r = await fetch(`${server.url}/api/v1/audit?${query}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      assert.equal(r.status, 200);
      return ((await r.json()) as { records: { action: string; subject: string | null; detail: object }[] }).records;
    };

    it('gives a new session id at sign-in, whatever cookie came with it, and sets it HttpOnly and SameSite=Lax', async () => {
      const a = await createTestAccount(server.db, { email: 'fixation@example.org', role: 'editor' });
      const planted = 'horizon_session=PlantedByAnAttacker0123456789abcdefghij';
      const first = await postLogin({ email: a.email, password: a.password }, { cookie: planted });
      assert.equal(first.status, 303);
      assert.equal(first.headers.get('location'), '/account');
      const header = first.headers.getSetCookie().find((h) => h.startsWith('horizon_session='));
      assert.match(header ?? '', /; HttpOnly/);
      assert.match(header ?? '', /; SameSite=Lax/);
      assert.match(header ?? '', /; Path=\//);
      assert.doesNotMatch(header ?? '', /Secure/, 'not Secure over plain http');
      const cookie = sessionCookieFrom(first);
      assert.ok(cookie && cookie !== planted);
      assert.equal((await me({ cookie: planted })).status, 401, 'the planted value is no session');
      // Signing in again from a signed-in browser replaces the session: the old id stops working.
      const second = sessionCookieFrom(await postLogin({ email: a.email, password: a.password }, { cookie }));
      assert.ok(second && second !== cookie);
      assert.equal((await me({ cookie })).status, 401);
      assert.equal((await me({ cookie: second })).status, 200);
    });

    it('sends only to local paths after signing in', async () => {
      const a = await createTestAccount(server.db, { email: 'next@example.org', role: 'editor' });
      for (const [next, want] of [
        ['/admin/audit?actor=x', '/admin/audit?actor=x'],
        ['//evil.example/', '/account'],
        ['https://evil.example/', '/account'],
        ['/\\evil.example', '/account'],
      ]) {
        const r = await postLogin({ email: a.email, password: a.password, next: next ?? '' });
        assert.equal(r.headers.get('location'), want, next);
      }
    });

    it('ends the session at logout, and logout needs the CSRF token', async () => {
      const a = await createTestAccount(server.db, { email: 'logout@example.org', role: 'reviewer' });
      const s = await signIn(server.url, a.email, a.password);
      const post = (body: string) =>
        fetch(`${server.url}/logout`, {
          method: 'POST',
          headers: { ...FORM, cookie: s.cookie },
          body,
          redirect: 'manual',
        });
      assert.equal((await post('')).status, 403, 'no token: refused');
      assert.equal((await me({ cookie: s.cookie })).status, 200, 'and the session lives on');
      const out = await post(`_csrf=${s.csrf}`);
      assert.equal(out.status, 303);
      assert.match(out.headers.getSetCookie().join('\n'), /horizon_session=;.*Max-Age=0/);
      assert.equal((await me({ cookie: s.cookie })).status, 401);
      assert.ok((await audit('action=logout')).some((r) => r.subject === a.id));
    });

    it('ends every session of an account whose role changes or that is disabled; its tokens follow', async () => {
      const a = await createTestAccount(server.db, { email: 'demoted@example.org', role: 'admin' });
      const s = await signIn(server.url, a.email, a.password);
      const token = await apiToken(server.db, a.email, ['admin', 'review']);
      const users = (headers: Record<string, string>) => fetch(`${server.url}/api/v1/users`, { headers });
      assert.equal((await users({ authorization: `Bearer ${token}` })).status, 200);
      await setRole(server.db, a.email, 'reviewer');
      assert.equal((await me({ cookie: s.cookie })).status, 401, 'the session ended with the role change');
      const cut = await me({ authorization: `Bearer ${token}` });
      assert.deepEqual(((await cut.json()) as { scopes: string[] }).scopes, ['review'], 'cut to the new role');
      const refused = await users({ authorization: `Bearer ${token}` });
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'forbidden');
      const again = await signIn(server.url, a.email, a.password);
      await disableAccount(server.db, a.email);
      assert.equal((await me({ cookie: again.cookie })).status, 401);
      assert.equal((await me({ authorization: `Bearer ${token}` })).status, 401);
      const denied = await postLogin({ email: a.email, password: a.password });
      assert.equal(denied.status, 401, 'a disabled account cannot sign in');
      const changes = await audit(`actor=&action=account.`);
      assert.ok(changes.some((r) => r.action === 'account.role' && r.subject === a.id));
      assert.ok(changes.some((r) => r.action === 'account.disabled' && r.subject === a.id));
    });

    it('expires sessions idle too long or past their absolute age', async () => {
      const a = await createTestAccount(server.db, { email: 'expiry@example.org', role: 'editor' });
      const signInAt = () => login(server.db, { email: a.email, password: a.password, address: '198.51.100.7' });
      const old = await signInAt();
      const idle = await signInAt();
      assert.ok(await resolveSession(server.db, old.cookie));
      assert.ok(await resolveSession(server.db, idle.cookie));
      // The clock moved on (by the database's clock, which is the one sessions are measured by).
      const hash = (cookie: string) => createHash('sha256').update(cookie).digest('hex');
      await server.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1", [
        hash(old.cookie),
      ]);
      await server.db.query("UPDATE sessions SET last_seen_at = now() - interval '3 hours' WHERE id_hash = $1", [
        hash(idle.cookie),
      ]);
      assert.equal(await resolveSession(server.db, old.cookie), null, 'past its absolute expiry');
      assert.equal(await resolveSession(server.db, idle.cookie), null, 'idle longer than 2 hours');
      const rows = await server.db.query('SELECT 1 FROM sessions WHERE id_hash = ANY($1::text[])', [
        [hash(old.cookie), hash(idle.cookie)],
      ]);
      assert.equal(rows.length, 0, 'and deleted');
      // A short idle time in the options (config accounts) applies as it is.
      const fresh = await signInAt();
      assert.ok(await resolveSession(server.db, fresh.cookie, { idleSeconds: 3600, maxAgeSeconds: 3600 }));
      await server.db.query("UPDATE sessions SET last_seen_at = now() - interval '10 seconds' WHERE id_hash = $1", [
        hash(fresh.cookie),
      ]);
      assert.equal(await resolveSession(server.db, fresh.cookie, { idleSeconds: 5, maxAgeSeconds: 3600 }), null);
    });

    it('refuses revoked, expired and out-of-scope tokens, and records their last use', async () => {
      const a = await createTestAccount(server.db, { email: 'tokens@example.org', role: 'editor' });
      const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
      const token = await apiToken(server.db, a.email, ['drafts:write']);
      const mine = await me(bearer(token));
      assert.equal(mine.status, 200);
      assert.deepEqual(await mine.json(), {
        id: a.id,
        email: a.email,
        name: 'tokens',
        role: 'editor',
        scopes: ['drafts:write'],
        via: 'token',
        token: ((await (await me(bearer(token))).json()) as { token: string }).token,
      });
      const forbidden = await fetch(`${server.url}/api/v1/audit`, { headers: bearer(token) });
      assert.equal(forbidden.status, 403, 'an editor token may not read the audit log');
      // An editor cannot make a token with a scope the role does not grant.
      const tooMuch = await fetch(`${server.url}/api/v1/me/tokens`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify({ scopes: ['admin'] }),
      });
      assert.equal(tooMuch.status, 400);
      assert.equal(
        ((await tooMuch.json()) as { error: { problems: { where: string }[] } }).error.problems[0]?.where,
        'scopes.0',
      );
      const made = await fetch(`${server.url}/api/v1/me/tokens`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ci', scopes: ['drafts:write'], expires_in_days: 30 }),
      });
      assert.equal(made.status, 201);
      assert.equal(made.headers.get('cache-control'), 'no-store');
      const second = (await made.json()) as { token: string; details: { id: string } };
      assert.match(second.token, /^hzn_[A-Za-z0-9_-]{43}$/);
      const listed = (await (await fetch(`${server.url}/api/v1/me/tokens`, { headers: bearer(token) })).json()) as {
        tokens: { id: string; last_used_at: string | null; status: string }[];
      };
      assert.equal(listed.tokens.length, 2);
      assert.ok(
        listed.tokens.every((t) => !JSON.stringify(t).includes(second.token.slice(4))),
        'no token in a list',
      );
      assert.ok(listed.tokens.find((t) => t.id !== second.details.id)?.last_used_at, 'last use recorded');
      // Revoked: refused at once.
      const revoke = await fetch(`${server.url}/api/v1/me/tokens/${second.details.id}`, {
        method: 'DELETE',
        headers: bearer(token),
      });
      assert.equal(revoke.status, 200);
      assert.equal(((await revoke.json()) as { status: string }).status, 'revoked');
      assert.equal((await me(bearer(second.token))).status, 401);
      // Expired: refused.
      const expiring = await apiToken(server.db, a.email, ['drafts:write']);
      assert.equal((await me(bearer(expiring))).status, 200);
      await server.db.query(
        "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE account_id = $1 AND revoked_at IS NULL",
        [a.id],
      );
      assert.equal((await me(bearer(expiring))).status, 401);
      // Unknown and malformed tokens: refused, with the scheme named.
      const unknown = await me(bearer('hzn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
      assert.equal(unknown.status, 401);
      assert.equal(unknown.headers.get('www-authenticate'), 'Bearer realm="horizon"');
      const actions = (await audit(`actor=${a.email}&action=token.`)).map((r) => r.action);
      for (const action of ['token.created', 'token.used', 'token.revoked'])
        assert.ok(actions.includes(action), action);
    });

    it('refuses the 11th wrong password in a minute for one account, and the right one with it', async () => {
      const a = await createTestAccount(server.db, { email: 'brute@example.org', role: 'editor' });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 11; i++) {
        const r = await postLogin({ email: a.email, password: `wrong password ${i}` });
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers.get('retry-after');
        assert.ok(!sessionCookieFrom(r), 'no session for a wrong password');
      }
      assert.deepEqual(statuses.slice(0, 3), [401, 401, 401], 'the first failures are answered at once');
      assert.equal(statuses[10], 429, 'the 11th is refused');
      assert.ok(Number(retryAfter) >= 1, 'with the seconds to wait');
      const right = await postLogin({ email: a.email, password: a.password });
      assert.equal(right.status, 429, 'the right password is refused too while throttled');
      assert.match(await right.text(), /Too many failed sign-ins/);
      // From the 3rd failure each attempt waits 1, 2, 4 … seconds after the last: those sent sooner are not checked.
      const failed = await audit(`actor=${a.email}&action=login.failed`);
      assert.ok(failed.length >= 3 && failed.length < 11, `${failed.length} were checked`);
      assert.equal(statuses.filter((s) => s === 401).length, failed.length);
      assert.ok(
        failed.every((r) => !JSON.stringify(r).includes('wrong password')),
        'no password in the audit log',
      );
      assert.ok((await audit(`action=login.throttled`)).some((r) => r.subject === a.email));
    });

    it('refuses a form without the session’s token, with another session’s, or from another site', async () => {
      const a = await createTestAccount(server.db, { email: 'csrf@example.org', role: 'editor' });
      const b = await createTestAccount(server.db, { email: 'csrf-other@example.org', role: 'editor' });
      const s = await signIn(server.url, a.email, a.password);
      const other = await signIn(server.url, b.email, b.password);
      assert.notEqual(s.csrf, other.csrf);
      const create = (body: Record<string, string>, headers: Record<string, string> = {}) =>
        fetch(`${server.url}/account/tokens`, {
          method: 'POST',
          headers: { ...FORM, cookie: s.cookie, ...headers },
          body: new URLSearchParams({ scopes: 'drafts:write', name: 'from a form', ...body }).toString(),
        });
      assert.equal((await create({})).status, 403, 'no token');
      assert.equal((await create({ _csrf: other.csrf })).status, 403, "another session's token");
      assert.equal((await create({ _csrf: s.csrf }, { origin: 'https://evil.example' })).status, 403, 'foreign Origin');
      assert.equal((await create({ _csrf: s.csrf }, { 'sec-fetch-site': 'cross-site' })).status, 403, 'cross-site');
      assert.equal((await fetch(`${server.url}/api/v1/me/tokens`, { headers: { cookie: s.cookie } })).status, 200);
      const ok = await create({ _csrf: s.csrf }, { origin: server.url, 'sec-fetch-site': 'same-origin' });
      assert.equal(ok.status, 201);
      const page = await ok.text();
      assert.match(page, /hzn_[A-Za-z0-9_-]{43}/, 'the new token is shown once');
      assert.equal(csrfOf(page), s.csrf);
      // Only the one that passed made a token.
      const tokens = (await (
        await fetch(`${server.url}/api/v1/me/tokens`, { headers: { cookie: s.cookie } })
      ).json()) as {
        tokens: unknown[];
      };
      assert.equal(tokens.tokens.length, 1);
      // A sign-in posted from another site is refused before any password is checked.
      const foreign = await postLogin({ email: a.email, password: a.password }, { origin: 'https://evil.example' });
      assert.equal(foreign.status, 403);
      assert.ok(!sessionCookieFrom(foreign));
    });

    it('lets an admin change roles and disable accounts through the pages, in English and Chinese', async () => {
      const boss = await createTestAccount(server.db, { email: 'pages-admin@example.org', role: 'admin' });
      const xss = '<img src=x onerror=alert(1)>';
      const target = await createTestAccount(server.db, {
        email: 'pages-editor@example.org',
        role: 'editor',
        name: xss,
      });
      const s = await signIn(server.url, boss.email, boss.password);
      const page = async (path: string) => {
        const r = await fetch(`${server.url}${path}`, { headers: { cookie: s.cookie } });
        assert.equal(r.status, 200, path);
        assert.equal(r.headers.get('cache-control'), 'no-store', `${path}: a signed-in page is never stored`);
        return parseHtml(await r.text());
      };
      const users = await page('/admin/users');
      const row = one(users, `tr[data-user="${target.id}"]`);
      assert.equal(row.querySelector('img'), null, 'the name is shown as text');
      assert.ok(text(row).includes(xss));
      assert.equal(one(users, '.account-bar').textContent?.includes('pages-admin'), true, 'the signed-in bar');
      const form = (path: string, fields: Record<string, string>) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { ...FORM, cookie: s.cookie },
          body: new URLSearchParams(fields).toString(),
          redirect: 'manual',
        });
      assert.equal((await form(`/admin/users/${target.id}/role`, { role: 'reviewer' })).status, 403, 'no CSRF token');
      const changed = await form(`/admin/users/${target.id}/role`, { role: 'reviewer', _csrf: s.csrf });
      assert.equal(changed.status, 303);
      const bad = await form(`/admin/users/${target.id}/role`, { role: 'owner', _csrf: s.csrf });
      assert.equal(bad.status, 400);
      assert.equal((await form(`/admin/users/${target.id}/disable`, { _csrf: s.csrf })).status, 303);
      const after = one(await page('/admin/users'), `tr[data-user="${target.id}"]`);
      assert.equal(after.querySelector('select option[selected]')?.getAttribute('value'), 'reviewer');
      assert.equal(after.querySelector('form[action$="/disable"]'), null, 'disabled: no Disable button');
      const zh = await page(`/admin/audit?lang=zh&actor=${encodeURIComponent(boss.email)}&action=account.`);
      assert.equal(one(zh, 'html').getAttribute('lang'), 'zh-Hans');
      assert.equal(one(zh, 'h1').textContent, '审计日志');
      const actions = all(zh, 'table.audit tbody tr td:nth-child(3)').map((td) => td.textContent);
      assert.deepEqual(actions, ['account.disabled', 'account.role']);
      assert.equal(
        one(zh, 'a[href^="/admin/audit.jsonl"]').getAttribute('href'),
        `/admin/audit.jsonl?actor=${encodeURIComponent(boss.email)}&action=account.`,
      );
      const badSince = await fetch(`${server.url}/admin/audit?since=soon`, { headers: { cookie: s.cookie } });
      assert.equal(badSince.status, 400);
    });

    it('keeps an append-only audit log', async () => {
      const records = await audit('action=login');
      assert.ok(records.length > 0);
      await assert.rejects(server.db.query("UPDATE audit_log SET action = 'nothing'"), /append-only/);
      await assert.rejects(server.db.query('DELETE FROM audit_log'), /append-only/);
      const jsonl = await fetch(`${server.url}/api/v1/audit.jsonl?action=login`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      assert.equal(jsonl.status, 200);
      assert.match(jsonl.headers.get('content-type') ?? '', /^application\/jsonl/);
      const lines = (await jsonl.text()).trim().split('\n');
      assert.equal(lines.length, records.length);
      for (const line of lines) assert.equal((JSON.parse(line) as { action: string }).action, 'login');
      const bad = await fetch(`${server.url}/api/v1/audit?since=yesterday`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      assert.equal(bad.status, 400);
      assert.equal(
        ((await bad.json()) as { error: { problems: { where: string }[] } }).error.problems[0]?.where,
        'since',
      );
    });
  });
}
