// POST /api/v1/check, /api/v1/programmes and stored profiles over HTTP on a loopback port.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Result {
  id: string;
  kind: string;
  title: { en: string; zh: string };
  outcome: string;
  conditions: unknown[];
  missing: string[];
}

for (const kind of await databaseKinds()) {
  describe(`relevance API on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const send = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
    };

    it('checks a profile and answers with results, conditions and missing facts', async () => {
      const r = await send('POST', '/api/v1/check?as_of=2026-11-29', {
        jurisdictions: ['cn-gd-shenzhen'],
        product: { hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
      });
      assert.equal(r.status, 200);
      const results = r.body.results as Result[];
      const access = results.find((x) => x.id === 'cn-gd-shenzhen-innovative-product-access');
      assert.equal(access?.outcome, 'unknown');
      assert.deepEqual(access?.missing, ['product.riskLevel']);
      assert.equal(access?.conditions.length, 4);
      assert.equal(typeof access?.title.zh, 'string');
    });

    it('answers 400 with field paths for a bad profile, 413 for a huge body, 400 for a bad date', async () => {
      const bad = await send('POST', '/api/v1/check', { product: { riskLevel: 'extreme' }, sectors: 'finance' });
      assert.equal(bad.status, 400);
      const problems = (bad.body.error as { problems: { where: string }[] }).problems.map((p) => p.where).sort();
      assert.deepEqual(problems, ['product.riskLevel', 'sectors']);
      assert.equal((await send('POST', '/api/v1/check', [1, 2])).status, 400);
      assert.equal((await send('POST', '/api/v1/check', '{"broken"')).status, 400);
      const huge = await send('POST', '/api/v1/check', { name: 'x'.repeat(100_000) });
      assert.equal(huge.status, 413);
      assert.equal((huge.body.error as { code: string }).code, 'payload_too_large');
      const date = await send('POST', '/api/v1/check?as_of=2024-02-30', {});
      assert.equal(date.status, 400);
      assert.equal((date.body.error as { problems: { where: string }[] }).problems[0]?.where, 'as_of');
    });

    it('lists programmes with whether each is in effect on a date', async () => {
      const r = await send('GET', '/api/v1/programmes?as_of=2022-10-01');
      const list = r.body.programmes as { id: string; in_effect: boolean }[];
      assert.equal(list.find((p) => p.id === 'cn-gd-shenzhen-innovative-product-access')?.in_effect, false);
      assert.equal(list.find((p) => p.id === 'cn-most-2022-guidance-computing-power')?.in_effect, true);
    });

    it('saves a profile only on request, and gives it back to its owner alone', async () => {
      const saved = await send('POST', '/api/v1/profiles', { profile: { jurisdictions: ['cn-sh'] } });
      assert.equal(saved.status, 201);
      const { id, token } = saved.body as { id: string; token: string };
      const mine = await send('GET', `/api/v1/profiles/${id}`, undefined, token);
      assert.deepEqual((mine.body as { profile: unknown }).profile, { jurisdictions: ['cn-sh'] });
      assert.equal((await send('GET', `/api/v1/profiles/${id}`)).status, 403);
      assert.equal((await send('GET', `/api/v1/profiles/${id}`, undefined, 'wrong')).status, 403);
      assert.equal((await send('GET', '/api/v1/profiles/p_nothing', undefined, token)).status, 404);
      const updated = await send(
        'PUT',
        `/api/v1/profiles/${id}`,
        { profile: { jurisdictions: ['cn-sh'], activities: ['applies-ai'] } },
        token,
      );
      assert.equal(updated.status, 200);
      assert.ok((updated.body.became as string[]).includes('cn-sh-ai-compute-model-corpus-vouchers'));
      const checked = await send('GET', `/api/v1/profiles/${id}/check`, undefined, token);
      assert.ok((checked.body.results as Result[]).some((r) => r.outcome === 'applies'));
      const refused = await send('POST', '/api/v1/profiles', { profile: { product: { riskLevel: 'extreme' } } });
      assert.equal(refused.status, 400);
      assert.equal(
        (refused.body.error as { problems: { where: string }[] }).problems[0]?.where,
        'profile.product.riskLevel',
      );
      assert.equal((await send('DELETE', `/api/v1/profiles/${id}`, undefined, token)).status, 204);
      assert.equal((await send('GET', `/api/v1/profiles/${id}`, undefined, token)).status, 404);
    });

    it('documents the check and profile routes in the OpenAPI', async () => {
      const doc = await send('GET', '/api/openapi.json');
      const paths = Object.keys(doc.body.paths as object);
      for (const p of ['/api/v1/check', '/api/v1/programmes', '/api/v1/profiles', '/api/v1/profiles/{id}'])
        assert.ok(paths.includes(p), p);
      assert.ok((doc.body.components as { schemas: Record<string, unknown> }).schemas.ProfileV1);
    });
  });
}
