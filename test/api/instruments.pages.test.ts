// /api/v1/instruments in pages (?limit=, ?cursor=) over HTTP on both databases: walking the next links gives the whole
// listing once, in order, with every filter; bad limits and cursors are 400s naming the parameter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KnowledgeRepository } from '../../src/store/knowledge.repository.ts';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Page {
  as_of: string;
  count: number;
  instruments: { id: string; status: string }[];
  next_cursor: string | null;
  next: string | null;
}

for (const kind of await databaseKinds()) {
  describe(`instrument pages on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    /** Every page from `first`, following next; the ids in the order served. */
    const walk = async (first: string) => {
      const ids: string[] = [];
      const sizes: number[] = [];
      let path: string | null = first;
      while (path !== null) {
        const r = await get(path);
        assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
        const page = r.body as unknown as Page;
        assert.equal(page.count, page.instruments.length);
        assert.equal(page.next === null, page.next_cursor === null);
        ids.push(...page.instruments.map((i) => i.id));
        sizes.push(page.count);
        path = page.next;
        assert.ok(sizes.length < 100, 'the pages end');
      }
      return { ids, sizes };
    };

    it('walking the next links gives the whole listing once, in order, for every filter and page size', async () => {
      const repo = new KnowledgeRepository(server.db);
      const filters: [string, Parameters<KnowledgeRepository['instruments']>[0]][] = [
        ['as_of=2026-11-29', { asOf: '2026-11-29' }],
        ['as_of=2026-11-29&jurisdiction=cn', { asOf: '2026-11-29', jurisdiction: 'cn' }],
        ['as_of=2026-11-29&status=in_force', { asOf: '2026-11-29', status: 'in_force' }],
        [
          'as_of=2023-10-17&status=in_force&jurisdiction=cn',
          { asOf: '2023-10-17', status: 'in_force', jurisdiction: 'cn' },
        ],
        ['as_of=2026-11-29&kind=local-regulation', { asOf: '2026-11-29', kind: 'local-regulation' }],
        ['as_of=2026-11-29&topic=generative-ai', { asOf: '2026-11-29', topic: 'generative-ai' }],
      ];
      for (const [query, filter] of filters) {
        const all = (await repo.instruments(filter)).map((v) => v.instrument.id);
        assert.ok(all.length > 0, query);
        for (const limit of [1, 2, 5, 500]) {
          const { ids, sizes } = await walk(`/api/v1/instruments?${query}&limit=${limit}`);
          assert.deepEqual(ids, all, `${query}&limit=${limit}`);
          assert.ok(
            sizes.slice(0, -1).every((n) => n === limit),
            'every page but the last is full',
          );
          assert.equal(sizes.length, Math.max(1, Math.ceil(all.length / limit)), 'no empty last page');
        }
      }
    });

    it('pages hold 100 by default; the next link keeps the filters and fixes as_of', async () => {
      const first = (await get('/api/v1/instruments?jurisdiction=cn&limit=3')).body as unknown as Page;
      assert.equal(first.count, 3);
      const next = new URL(first.next ?? '', server.url);
      assert.equal(next.pathname, '/api/v1/instruments');
      assert.equal(next.searchParams.get('jurisdiction'), 'cn');
      assert.equal(next.searchParams.get('limit'), '3');
      assert.equal(next.searchParams.get('as_of'), first.as_of);
      assert.equal(next.searchParams.get('cursor'), first.next_cursor);
      const whole = (await get('/api/v1/instruments')).body as unknown as Page;
      const count = (await new KnowledgeRepository(server.db).instruments({ asOf: whole.as_of })).length;
      assert.equal(whole.count, Math.min(100, count));
      assert.equal(whole.next === null, count <= 100);
    });

    it('refuses bad limits and cursors with a 400 naming the parameter', async () => {
      const valid = ((await get('/api/v1/instruments?limit=1')).body as unknown as Page).next_cursor ?? '';
      const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const bad: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=1.5', 'limit'],
        ['limit=ten', 'limit'],
        ['limit=99999999999999999999', 'limit'],
        ['cursor=', 'cursor'],
        ['cursor=not*base64', 'cursor'],
        [`cursor=${'A'.repeat(601)}`, 'cursor'],
        ['cursor=bm90IGpzb24', 'cursor'],
        [`cursor=${forged({ day: '2022-01-01', id: 'x' })}`, 'cursor'],
        [`cursor=${forged(['2022-02-30', 'x'])}`, 'cursor'],
        [`cursor=${forged(['2022-13-01', 'x'])}`, 'cursor'],
        [`cursor=${forged(['2022-01-01', 7])}`, 'cursor'],
        [`cursor=${forged(['2022-01-01', 'a\u0000b'])}`, 'cursor'],
        [`cursor=${forged(['2022-01-01', 'x'.repeat(401)])}`, 'cursor'],
        [`cursor=${forged(['2022-01-01', 'x', 'y'])}`, 'cursor'],
        [`cursor=${valid}&cursor=${valid}`, 'cursor'],
      ];
      for (const [query, where] of bad) {
        const r = await get(`/api/v1/instruments?${query}`);
        assert.equal(r.status, 400, `${query} → ${r.status} ${JSON.stringify(r.body)}`);
        const error = r.body.error as { code: string; problems?: { where: string }[] };
        assert.equal(error.code, 'invalid_parameter', query);
        assert.equal(error.problems?.[0]?.where, where, query);
      }
      assert.equal((await get(`/api/v1/instruments?cursor=${valid}`)).status, 200, 'a real cursor is fine');
      const unknown = await get(`/api/v1/instruments?cursor=${forged(['9999-12-31', 'zzz'])}`);
      assert.equal(unknown.status, 200, 'a well-formed cursor past the end is an empty last page');
      assert.deepEqual([(unknown.body as unknown as Page).count, (unknown.body as unknown as Page).next], [0, null]);
    });
  });
}
