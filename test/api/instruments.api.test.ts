// /api/v1/instruments over HTTP on a loopback port, on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Listed {
  id: string;
  status: string;
  jurisdiction: string;
  kind: string;
  title: { en: string; zh: string };
}

for (const kind of await databaseKinds()) {
  describe(`instruments API on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const list = async (query: string) => {
      const r = await get(`/api/v1/instruments?${query}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.instruments as Listed[];
    };

    it('lists instruments with their status as of a date', async () => {
      const items = await list('as_of=2022-10-01&jurisdiction=cn-gd');
      assert.deepEqual(
        items.map((i) => [i.id, i.status]),
        [['cn-gd-shenzhen-ai-industry-regulations', 'adopted']],
      );
      const later = await list('as_of=2022-11-01&jurisdiction=cn-gd-shenzhen&status=in_force');
      assert.deepEqual(
        later.map((i) => i.id),
        ['cn-gd-shenzhen-ai-industry-regulations'],
      );
    });

    it('includes descendant jurisdictions and filters by kind and topic', async () => {
      const national = await list('as_of=2026-11-29&jurisdiction=cn');
      assert.ok(national.some((i) => i.jurisdiction === 'cn-zj-hangzhou'));
      const local = await list('as_of=2026-11-29&kind=local-regulation');
      assert.deepEqual(local.map((i) => i.id).sort(), [
        'cn-gd-shenzhen-ai-industry-regulations',
        'cn-sh-ai-industry-regulations',
      ]);
      const gen = await list('as_of=2026-11-29&topic=generative-ai');
      assert.ok(gen.some((i) => i.id === 'cn-cac-2023-generative-ai-measures'));
      assert.ok(gen.every((i) => i.kind !== 'law'));
    });

    it('leaves out instruments that do not exist yet on the date', async () => {
      const ids = (await list('as_of=2023-10-17')).map((i) => i.id);
      assert.ok(!ids.includes('cn-cac-2023-global-ai-governance-initiative'));
      assert.ok((await list('as_of=2023-10-18')).some((i) => i.id === 'cn-cac-2023-global-ai-governance-initiative'));
    });

    it('returns one instrument with its lifecycle, disputed date, sources and relations', async () => {
      const r = await get('/api/v1/instruments/cn-gd-shenzhen-ai-industry-regulations?as_of=2022-10-01');
      assert.equal(r.status, 200);
      const inst = r.body.instrument as {
        status: string;
        events: {
          type: string;
          disputed: boolean;
          claims?: { date: string; preferred: boolean; sources: { url: string | null }[] }[];
        }[];
        sources: { kind: string }[];
      };
      assert.equal(inst.status, 'adopted');
      const announced = inst.events.find((e) => e.type === 'announced');
      assert.equal(announced?.disputed, true);
      assert.deepEqual(
        announced?.claims?.map((c) => [c.date, c.preferred]),
        [
          ['2022-09-05', true],
          ['2022-09-06', false],
        ],
      );
      assert.ok(announced?.claims?.every((c) => c.sources.length > 0));
      const notice = await get('/api/v1/instruments/cn-most-2022-demonstration-scenarios-notice');
      const relations = (notice.body.instrument as { relations: { type: string; instrument: { id: string } }[] })
        .relations;
      assert.ok(relations.some((x) => x.instrument.id === 'cn-most-2022-scene-innovation-guidance'));
    });

    it('answers 400 naming the parameter for bad input, and 404 for an unknown instrument', async () => {
      const cases: [string, string][] = [
        ['/api/v1/instruments?as_of=2024-13-01', 'as_of'],
        ['/api/v1/instruments?as_of=2024-02-30', 'as_of'],
        ['/api/v1/instruments?as_of=yesterday', 'as_of'],
        ['/api/v1/instruments?jurisdiction=mars', 'jurisdiction'],
        ['/api/v1/instruments?status=alive', 'status'],
        ['/api/v1/instruments?colour=red', 'colour'],
      ];
      for (const [path, name] of cases) {
        const r = await get(path);
        assert.equal(r.status, 400, path);
        const error = r.body.error as { code: string; message: string; problems: { where: string }[] };
        assert.equal(error.code, 'invalid_parameter', path);
        assert.equal(error.problems[0]?.where, name, `${path}: ${error.message}`);
      }
      const missing = await get('/api/v1/instruments/cn-nothing');
      assert.equal(missing.status, 404);
      assert.equal((missing.body.error as { code: string }).code, 'not_found');
    });

    it('words error messages in the language of ?lang= or Accept-Language; code and paths stay the same', async () => {
      const message = async (path: string, headers: Record<string, string> = {}) => {
        const res = await fetch(`${server.url}${path}`, { headers });
        const body = (await res.json()) as { error: { code: string; message: string } };
        return body.error.message;
      };
      assert.equal(await message('/api/v1/instruments/cn-nothing'), 'No instrument with id "cn-nothing"');
      const zh = await message('/api/v1/instruments/cn-nothing', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
      assert.equal(zh, '没有编号为“cn-nothing”的文件');
      assert.equal(
        await message('/api/v1/instruments/cn-nothing', { 'accept-language': 'fr' }),
        'No instrument with id "cn-nothing"',
      );
    });

    it('publishes an OpenAPI 3.1 document describing the routes', async () => {
      const r = await get('/api/openapi.json');
      assert.equal(r.status, 200);
      assert.equal(r.body.openapi, '3.1.0');
      const paths = r.body.paths as Record<string, { get?: { parameters?: { name: string }[] } }>;
      assert.ok(paths['/api/v1/instruments']);
      assert.ok(paths['/api/v1/instruments/{id}']);
      const names = (paths['/api/v1/instruments']?.get?.parameters ?? []).map((p) => p.name).sort();
      assert.deepEqual(names, ['as_of', 'cursor', 'jurisdiction', 'kind', 'limit', 'status', 'topic']);
    });
  });
}
