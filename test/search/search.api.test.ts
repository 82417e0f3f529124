// GET /api/v1/search over HTTP on a loopback port, on PGlite and on PostgreSQL, over the shipped content.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Hit {
  type: string;
  id: string;
  title: { en: string; zh: string };
  snippet: string;
  snippet_lang: string;
  score: number;
  jurisdiction: string | null;
  status: string | null;
}
interface FacetValue {
  value: string;
  count: number;
  selected: boolean;
  label: { en: string; zh: string };
}
interface Body {
  total: number;
  relaxed: boolean;
  message: string | null;
  corrections: { word: string; suggestions: string[] }[];
  results: Hit[];
  facets: Record<string, FacetValue[]>;
  error?: { code: string; message: string; problems: { where: string }[] };
}

const SHENZHEN_REGS = 'instrument:cn-gd-shenzhen-ai-industry-regulations';

for (const kind of await databaseKinds()) {
  describe(`search API on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const get = async (query: string) => {
      const res = await fetch(`${server.url}/api/v1/search?${query}`);
      return { status: res.status, body: (await res.json()) as Body };
    };
    const search = async (query: string) => {
      const r = await get(query);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const keys = (b: Body) => b.results.map((h) => `${h.type}:${h.id}`);
    const q = (text: string) => `q=${encodeURIComponent(text)}`;

    it('finds Chinese words in text without spaces, at index and query time', async () => {
      assert.ok(keys(await search(q('深圳'))).includes(SHENZHEN_REGS));
      assert.equal(keys(await search(q('深圳人工智能条例')))[0], SHENZHEN_REGS);
      const vouchers = keys(await search(q('算力券')));
      assert.ok(vouchers.includes('instrument:cn-bj-ai-compute-voucher-plan-2023-2025'), vouchers.join());
      assert.ok(vouchers.includes('programme:cn-gd-shenzhen-ai-compute-corpus-vouchers'));
      const ai = await search(q('人工智能'));
      assert.ok(ai.total > 20);
      // 智慧港口: the scenario is called 智能港口 (智慧 and 智能 both say "smart")
      assert.equal(keys(await search(q('智慧港口')))[0], 'programme:cn-most-2022-demonstration-scenario-smart-port');
    });

    it('stems English words and searches mixed English and Chinese', async () => {
      const singular = keys(await search(q('regulation')));
      const plural = keys(await search(q('regulations')));
      assert.ok(singular.includes(SHENZHEN_REGS) && plural.includes(SHENZHEN_REGS));
      assert.ok(plural.includes('instrument:cn-sh-ai-industry-regulations'));
      assert.equal(keys(await search(q('深圳 AI regulations')))[0], SHENZHEN_REGS);
      assert.equal(keys(await search(q('Shenzhen 算力券')))[0], 'programme:cn-gd-shenzhen-ai-compute-corpus-vouchers');
    });

    it('corrects near spellings of names', async () => {
      const shenzen = await search(q('Shenzen regulations'));
      assert.deepEqual(shenzen.corrections, [{ word: 'shenzen', suggestions: ['shenzhen'] }]);
      assert.equal(keys(shenzen)[0], SHENZHEN_REGS);
      const shangai = await search(q('Shangai'));
      assert.ok(shangai.results.length > 0);
      assert.ok(shangai.results.every((h) => /Shanghai|上海/.test(`${h.title.en}${h.title.zh}${h.snippet}`)));
    });

    it('ranks title over summary over body, and the exact phrase over scattered words', async () => {
      const pi = await search(q('personal information'));
      assert.equal(keys(pi)[0], 'instrument:cn-npcsc-2021-personal-information-protection-law');
      const scores = pi.results.map((h) => h.score);
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
      );
      // an instrument whose title has the words comes before the articles that mention them in the body
      const article = keys(pi).indexOf('article:ai-initiatives-in-china');
      assert.ok(article === -1 || article > 2);
      // "protection information personal" has the same words, not as typed: the phrase ranks the PIPL higher
      const scattered = await search(q('information personal'));
      const exact = await search(q('"personal information"'));
      assert.ok((exact.results[0]?.score ?? 0) >= (scattered.results[0]?.score ?? 0));
    });

    it('highlights matches in a snippet in the language that matched', async () => {
      const zh = await search(q('深圳'));
      const top = zh.results[0];
      assert.equal(top?.snippet_lang, 'zh');
      assert.match(top?.snippet ?? '', /<mark>深圳<\/mark>/);
      const en = await search(q('regulations'));
      assert.equal(en.results[0]?.snippet_lang, 'en');
      assert.match(en.results[0]?.snippet ?? '', /<mark>regulation/i);
      // text is escaped: only <mark> is markup
      assert.ok(en.results.every((h) => !/<(?!\/?mark>)/.test(h.snippet)));
    });

    it('counts facets and filters by each of them', async () => {
      const all = await search(q('人工智能'));
      const byType = all.facets.type ?? [];
      assert.equal(
        byType.reduce((n, v) => n + v.count, 0),
        all.total,
      );
      for (const name of ['type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year']) {
        assert.ok((all.facets[name] ?? []).length > 0, name);
      }
      const programmes = await search(`${q('人工智能')}&type=programme`);
      assert.equal(programmes.total, byType.find((v) => v.value === 'programme')?.count);
      assert.ok(programmes.results.every((h) => h.type === 'programme'));
      // a selected facet keeps the counts of its other values (any of them may be added)
      assert.deepEqual(
        programmes.facets.type?.map((v) => [v.value, v.count]),
        byType.map((v) => [v.value, v.count]),
      );
      const topic = await search(`${q('人工智能')}&topic=compute-vouchers&topic=generative-ai`);
      assert.ok(topic.total > 0 && topic.total < all.total);
      const year = await search(`${q('人工智能')}&year=2023`);
      assert.ok(year.total > 0 && year.total < all.total);
      const issuer = await search(`${q('人工智能')}&issuer=cac`);
      assert.ok(issuer.total > 0 && issuer.total < all.total);
      const kindFilter = await search(`${q('人工智能')}&kind=local-regulation&type=instrument`);
      assert.deepEqual(keys(kindFilter).sort(), [
        'instrument:cn-gd-shenzhen-ai-industry-regulations',
        'instrument:cn-sh-ai-industry-regulations',
      ]);
    });

    it('filters by jurisdiction with its descendants, and counts them up the tree', async () => {
      const gd = await search(`${q('人工智能')}&jurisdiction=cn-gd`);
      assert.ok(gd.results.length > 0);
      assert.ok(gd.results.every((h) => h.jurisdiction === 'cn-gd' || h.jurisdiction === 'cn-gd-shenzhen'));
      const all = await search(q('人工智能'));
      const count = (code: string) => all.facets.jurisdiction?.find((v) => v.value === code)?.count ?? 0;
      assert.equal(gd.total, count('cn-gd'));
      assert.ok(count('cn') >= count('cn-gd') + count('cn-sh'));
      assert.ok(count('cn-gd') >= count('cn-gd-shenzhen'));
    });

    it('derives status as of the date for the status facet and filter', async () => {
      const before = await search(`${q('深圳')}&type=instrument&as_of=2022-10-01&status=adopted`);
      assert.deepEqual(keys(before), [SHENZHEN_REGS]);
      assert.equal(before.results[0]?.status, 'adopted');
      const later = await search(`${q('深圳')}&type=instrument&as_of=2022-11-01&status=adopted`);
      assert.deepEqual(keys(later), []);
      const inForce = await search(`${q('深圳')}&type=instrument&as_of=2022-11-01`);
      assert.equal(inForce.facets.status?.find((v) => v.value === 'in_force')?.count, 1);
      assert.equal(inForce.results.find((h) => h.id === 'cn-gd-shenzhen-ai-industry-regulations')?.status, 'in_force');
    });

    it('answers bad queries with 400 naming the parameter, never 500', async () => {
      const cases: [string, string][] = [
        ['q=', 'q'],
        ['', 'q'],
        ['q=%20%20', 'q'],
        [`q=${'a'.repeat(10_000)}`, 'q'],
        ['q=!!!%3F%E3%80%82', 'q'],
        ['q=-shenzhen', 'q'],
        [`${q('AI')}&type=law`, 'type'],
        [`${q('AI')}&status=alive`, 'status'],
        [`${q('AI')}&jurisdiction=mars`, 'jurisdiction'],
        [`${q('AI')}&year=20x`, 'year'],
        [`${q('AI')}&as_of=2024-02-30`, 'as_of'],
        [`${q('AI')}&limit=0`, 'limit'],
        [`${q('AI')}&colour=red`, 'colour'],
      ];
      for (const [query, name] of cases) {
        const r = await get(query);
        assert.equal(r.status, 400, `${query.slice(0, 40)}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error?.code, 'invalid_parameter');
        assert.equal(r.body.error?.problems[0]?.where, name, query.slice(0, 40));
      }
      // unbalanced quotes and odd input still search
      assert.ok((await search(q('"personal information'))).results.length > 0);
      assert.ok((await search(q('深圳"'))).results.length > 0);
      const common = await search(q('the of'));
      assert.equal(common.results.length, 0);
      assert.match(common.message ?? '', /too common/);
      const nothing = await search(q('zzzzqqq'));
      assert.equal(nothing.results.length, 0);
      assert.match(nothing.message ?? '', /Nothing matches/);
      const partial = await search(q('深圳 zzzzqqq'));
      assert.equal(partial.relaxed, true);
      assert.ok(partial.results.length > 0);
    });

    it('is described in the OpenAPI document', async () => {
      const res = await fetch(`${server.url}/api/openapi.json`);
      const doc = (await res.json()) as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
      const names = (doc.paths['/api/v1/search']?.get?.parameters ?? []).map((p) => p.name).sort();
      for (const name of ['q', 'as_of', 'type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year']) {
        assert.ok(names.includes(name), name);
      }
    });
  });
}
