// The change-set API over a real server on loopback, on PGlite and PostgreSQL, with real accounts and API tokens:
// statuses, 401 without credentials and 403 for a token without the scope, error bodies with field paths, a
// revision's id in the path, publication and its change-log entries, the audit log, a conflict's 409, and the OpenAPI
// document with the routes' security.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listAudit } from '../../src/accounts/audit.service.ts';
import { today } from '../../src/domain/dates.ts';
import { apiToken, createTestAccount } from '../support/accounts.ts';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ARTICLE, NEW_ID, draftInstrument } from './fixtures.ts';

/** The fields of the answers this test reads (each answer has some of them). */
interface Answer {
  readonly id: string;
  readonly status: string;
  readonly ok: boolean;
  readonly error: { readonly code: string; readonly problems: readonly { readonly where: string }[] };
  readonly entity: { readonly id: string; readonly lang: string };
  readonly entities: readonly { readonly kind: string; readonly change: string }[];
  readonly entries: readonly { readonly changeset?: string }[];
  readonly changeset: { readonly status: string };
  readonly change_log: { readonly entries: number; readonly first_seq: number };
}

for (const kind of await databaseKinds()) {
  describe(`change set API on ${kind.name}`, () => {
    let server: TestServer;
    const tokens = new Map<string, string>();
    before(async () => {
      server = await startTestServer(kind);
      await createTestAccount(server.db, { email: 'erin@example.org', role: 'editor' });
      await createTestAccount(server.db, { email: 'rosa@example.org', role: 'reviewer' });
      tokens.set('editor', await apiToken(server.db, 'erin@example.org', ['drafts:write']));
      tokens.set('reviewer', await apiToken(server.db, 'rosa@example.org', ['drafts:write', 'review']));
      // The reviewer's token without the review scope: it may draft, not approve.
      tokens.set('reviewer-drafts', await apiToken(server.db, 'rosa@example.org', ['drafts:write']));
    });
    after(() => server.close());

    const call = async (who: string | null, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(who ? { authorization: `Bearer ${tokens.get(who) ?? who}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as Answer };
    };

    it('opens, saves, diffs, reviews and publishes a change set, refusing what it must', async () => {
      const created = await call('editor', 'POST', '/api/v1/changesets', { title: 'Zephyr draft' });
      assert.equal(created.status, 201);
      const id = created.body.id;
      assert.match(id, /^cs_/);
      const anonymous = await call(null, 'POST', '/api/v1/changesets', { title: 'x' });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error.code, 'unauthorized');
      assert.equal((await call('hzn_not-a-token', 'GET', `/api/v1/changesets/${id}`)).status, 401);

      const doc = draftInstrument();
      const bad = await call('editor', 'PUT', `/api/v1/changesets/${id}/entities/instrument/${NEW_ID}`, {
        ...doc,
        events: [{ ...doc.events[0], date: '2026-13-01' }, doc.events[1]],
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'invalid_entity');
      assert.ok(
        bad.body.error.problems.some((p) => p.where.startsWith(`instrument:${NEW_ID}.events.0`)),
        JSON.stringify(bad.body),
      );
      assert.deepEqual((await call('editor', 'GET', `/api/v1/changesets/${id}`)).body.entities, []);

      const saved = await call('editor', 'PUT', `/api/v1/changesets/${id}/entities/instrument/${NEW_ID}`, doc);
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.entity.id, NEW_ID);
      const revision = `${ARTICLE}/${today()}/zh`;
      const rev = await call(
        'editor',
        'PUT',
        `/api/v1/changesets/${id}/entities/revision/${encodeURIComponent(revision)}`,
        {
          article: ARTICLE,
          lang: 'zh',
          accurate_up_to: today(),
          body: `## 最新动态\n\n[泽风备案办法](instrument:${NEW_ID})正在征求意见。\n`,
        },
      );
      assert.equal(rev.status, 200, JSON.stringify(rev.body));
      assert.equal(rev.body.id, revision);
      assert.equal(rev.body.entity.lang, 'zh');

      const diff = await call('reviewer', 'GET', `/api/v1/changesets/${id}/diff`);
      assert.equal(diff.status, 200);
      assert.deepEqual(
        diff.body.entities.map((e) => [e.kind, e.change]),
        [
          ['instrument', 'added'],
          ['revision', 'added'],
        ],
      );

      const early = await call('reviewer', 'POST', `/api/v1/changesets/${id}/approve`);

      assert.equal(early.body.error.code, 'changeset_state');
      assert.equal((await call('editor', 'POST', `/api/v1/changesets/${id}/submit`)).body.status, 'in_review');
      assert.equal((await call('editor', 'POST', `/api/v1/changesets/${id}/approve`)).status, 403);
      const unscoped = await call('reviewer-drafts', 'POST', `/api/v1/changesets/${id}/approve`);
      assert.equal(unscoped.status, 403);
      assert.equal(unscoped.body.error.code, 'forbidden');
      const returned = await call('reviewer', 'POST', `/api/v1/changesets/${id}/return`, {});
      assert.equal(returned.status, 400);
      assert.equal(
        (await call('reviewer', 'POST', `/api/v1/changesets/${id}/comments`, { body: 'Fine.' })).status,
        201,
      );
      assert.equal((await call('reviewer', 'POST', `/api/v1/changesets/${id}/approve`)).body.status, 'approved');
      const published = await call('reviewer', 'POST', `/api/v1/changesets/${id}/publish`);
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.changeset.status, 'published');
      assert.equal(published.body.change_log.entries, 2);

      const log = await call(null, 'GET', `/api/v1/changes?since=${published.body.change_log.first_seq - 1}`);
      assert.ok(log.body.entries.every((e) => e.changeset === id));
      assert.equal((await call(null, 'GET', `/api/v1/instruments/${NEW_ID}`)).status, 200);
      assert.equal((await call(null, 'GET', '/api/v1/changes/verify')).body.ok, true);
      const audited = await listAudit(server.db, { action: 'changeset.published' });
      assert.ok(
        audited.some((r) => r.subject === id && r.actorEmail === 'rosa@example.org' && r.address === '127.0.0.1'),
        JSON.stringify(audited),
      );
    });

    it('answers 409 naming the entity while a published version changed since the set took it up', async () => {
      const open = async (summary: string) => {
        const id = (await call('editor', 'POST', '/api/v1/changesets', { title: summary })).body.id;
        const put = await call('editor', 'PUT', `/api/v1/changesets/${id}/entities/instrument/${NEW_ID}`, {
          ...draftInstrument(),
          summary: { en: summary, zh: summary },
        });
        assert.equal(put.status, 200, JSON.stringify(put.body));
        return id;
      };
      const first = await open('First summary.');
      const second = await open('Second summary.');
      for (const id of [first, second]) {
        await call('editor', 'POST', `/api/v1/changesets/${id}/submit`);
        await call('reviewer', 'POST', `/api/v1/changesets/${id}/approve`);
      }
      assert.equal((await call('reviewer', 'POST', `/api/v1/changesets/${second}/publish`)).status, 200);
      const refused = await call('reviewer', 'POST', `/api/v1/changesets/${first}/publish`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'changeset_conflict');
      assert.deepEqual(
        refused.body.error.problems.map((p) => p.where),
        [`instrument:${NEW_ID}`],
      );
      assert.equal((await call('editor', 'POST', `/api/v1/changesets/${first}/rebase`)).body.status, 'in_review');
      const drop = await call(
        'editor',
        'DELETE',
        `/api/v1/changesets/${first}/entities/instrument/${NEW_ID}?discard=true`,
      );
      assert.equal(drop.status, 409); // in review: only drafts are edited
    });

    it('lists every change-set route in the OpenAPI document with bearer security', async () => {
      const doc = (await call(null, 'GET', '/api/openapi.json')).body as unknown as {
        paths: Record<string, Record<string, { security?: unknown[] }>>;
        components: { securitySchemes: Record<string, unknown> };
      };
      assert.ok(doc.components.securitySchemes.bearerAuth);
      const ops = Object.entries(doc.paths)
        .filter(([p]) => p.startsWith('/api/v1/changesets'))
        .flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => [`${m} ${p}`, op.security] as const));
      assert.ok(ops.length >= 15, `only ${ops.length}`);
      for (const [op, security] of ops) assert.deepEqual(security, [{ bearerAuth: [] }], op);
    });
  });
}
