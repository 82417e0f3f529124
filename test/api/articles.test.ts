// /api/v1/articles/{id}/revisions, /revisions/{date} and /compare over HTTP, on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const ARTICLE = 'ai-initiatives-in-china';
const FIRST = '2023-11-27';
const LATEST = '2026-11-29';

interface Part {
  kind: 'same' | 'added' | 'removed';
  text: string;
}
interface Section {
  heading: string | null;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  parts: Part[];
}
interface Comparison {
  article: { id: string };
  lang: string;
  from: string;
  to: string;
  sections: Section[];
  stats: Record<string, number>;
}
interface ErrorBody {
  error: { code: string; message: string; problems?: { where: string }[] };
}

/** A section's text on one side: 'before' joins same + removed parts, 'after' same + added. */
const side = (parts: readonly Part[], which: 'before' | 'after') =>
  parts
    .filter((p) => p.kind !== (which === 'before' ? 'added' : 'removed'))
    .map((p) => p.text)
    .join('');

for (const kind of await databaseKinds()) {
  describe(`articles API on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const get = async <T = Record<string, unknown>>(path: string) => {
      const res = await fetch(`${server.url}${path}`);
      return { status: res.status, body: (await res.json()) as T };
    };
    const ok = async <T>(path: string): Promise<T> => {
      const r = await get<T>(path);
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const refused = async (path: string, status: number, code: string, where?: string) => {
      const r = await get<ErrorBody>(path);
      assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code);
      if (where !== undefined)
        assert.deepEqual(
          r.body.error.problems?.map((p) => p.where),
          [where],
        );
      return r.body.error.message;
    };

    it('lists the revisions of the China article, newest first, with their languages and change notes', async () => {
      const body = await ok<{
        article: { id: string; title: { en: string; zh: string } };
        count: number;
        revisions: { date: string; langs: string[]; change_note: { en?: string; zh?: string }; url: string }[];
      }>(`/api/v1/articles/${ARTICLE}/revisions`);
      assert.equal(body.article.id, ARTICLE);
      assert.equal(body.article.title.en, 'AI initiatives in China');
      assert.equal(body.count, 2);
      assert.deepEqual(
        body.revisions.map((r) => [r.date, [...r.langs].sort()]),
        [
          [LATEST, ['en', 'zh']],
          [FIRST, ['en', 'zh']],
        ],
      );
      assert.match(body.revisions[1]?.change_note.en ?? '', /^First edition/);
      assert.match(body.revisions[1]?.change_note.zh ?? '', /^首版/);
      assert.equal(body.revisions[0]?.url, `/articles/${ARTICLE}?revision=${LATEST}`);
    });

    it('returns one revision whole: front matter and Markdown body, in English by default or in Chinese', async () => {
      type Whole = { date: string; lang: string; front_matter: Record<string, unknown>; body: string };
      const en = await ok<Whole>(`/api/v1/articles/${ARTICLE}/revisions/${FIRST}`);
      assert.equal(en.lang, 'en');
      assert.equal(en.front_matter.accurate_up_to, FIRST);
      assert.deepEqual(en.front_matter.sources, [{ source: 'seed-twobirds-ai-initiatives-china' }]);
      assert.match(String(en.front_matter.change_note), /^First edition/);
      assert.ok(en.body.startsWith('## Latest developments\n\nOn 12 August 2022 the Ministry of Science'));
      assert.ok(en.body.includes('## Next steps'));
      assert.ok(!en.body.includes('accurate_up_to'), 'the body holds no front matter');

      const zh = await ok<Whole>(`/api/v1/articles/${ARTICLE}/revisions/${LATEST}?lang=zh`);
      assert.equal(zh.lang, 'zh');
      assert.ok(zh.body.startsWith('## 最新进展'));
      assert.ok(zh.body.includes('算力券'));
    });

    it('compares the two revisions: changed sections with added and removed words that re-join to both texts', async () => {
      const cmp = await ok<Comparison>(`/api/v1/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}&lang=en`);
      assert.equal(cmp.from, FIRST);
      assert.equal(cmp.to, LATEST);
      assert.equal(cmp.lang, 'en');
      assert.deepEqual(
        cmp.sections.map((s) => s.heading),
        [
          'Latest developments',
          'Categories of major AI scenarios',
          'Supply of the elements of AI scenario innovation',
          'How could it be relevant for you?',
          'Next steps',
        ],
      );
      const changed = cmp.sections.filter((s) => s.status === 'changed');
      assert.ok(changed.length >= 1);
      assert.ok(
        changed.some((s) => s.parts.some((p) => p.kind === 'added') && s.parts.some((p) => p.kind === 'removed')),
      );
      assert.ok((cmp.stats.words_added ?? 0) > 0 && (cmp.stats.words_removed ?? 0) > 0);
      assert.equal(cmp.stats.sections_changed, changed.length);

      const older = await ok<{ body: string }>(`/api/v1/articles/${ARTICLE}/revisions/${FIRST}`);
      const newer = await ok<{ body: string }>(`/api/v1/articles/${ARTICLE}/revisions/${LATEST}`);
      const next = cmp.sections.find((s) => s.heading === 'Next steps');
      assert.ok(next);
      assert.ok(older.body.trimEnd().endsWith(side(next.parts, 'before')));
      assert.ok(newer.body.trimEnd().endsWith(side(next.parts, 'after')));
      assert.ok(side(next.parts, 'before').startsWith('## Next steps\n'));
      const added = next.parts.filter((p) => p.kind === 'added').map((p) => p.text);
      assert.ok(
        added.some((t) => t.includes('Points to watch')),
        'the newer "Next steps" adds the points to watch',
      );
    });

    it('compares Chinese word by word', async () => {
      const cmp = await ok<Comparison>(`/api/v1/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}&lang=zh`);
      assert.equal(cmp.sections[0]?.heading, '最新进展');
      const latest = cmp.sections[0];
      assert.equal(latest?.status, 'changed');
      // 2023: 科学技术部（科技部）会同 … ; 2026: 科技部会同 …: a few words change, not the whole line.
      const removed = latest?.parts.filter((p) => p.kind === 'removed').map((p) => p.text) ?? [];
      assert.ok(removed.includes('科学技术部（科技部）会同'), JSON.stringify(removed.slice(0, 5)));
      assert.ok(latest?.parts.some((p) => p.kind === 'same' && p.text.includes('其他五个部门印发')));
    });

    it('the same revision twice: every section unchanged, zero stats; without from and to, the latest two', async () => {
      const same = await ok<Comparison>(`/api/v1/articles/${ARTICLE}/compare?from=${LATEST}&to=${LATEST}`);
      assert.ok(same.sections.length > 0);
      assert.ok(same.sections.every((s) => s.status === 'unchanged'));
      assert.deepEqual(same.stats, {
        sections_added: 0,
        sections_removed: 0,
        sections_changed: 0,
        words_added: 0,
        words_removed: 0,
      });
      const dflt = await ok<Comparison>(`/api/v1/articles/${ARTICLE}/compare`);
      assert.deepEqual([dflt.from, dflt.to, dflt.lang], [FIRST, LATEST, 'en']);
    });

    it('answers 404 for an unknown article or revision', async () => {
      await refused('/api/v1/articles/no-such-article/revisions', 404, 'not_found');
      await refused('/api/v1/articles/no-such-article/revisions/2023-11-27', 404, 'not_found');
      await refused('/api/v1/articles/no-such-article/compare', 404, 'not_found');
      const message = await refused(`/api/v1/articles/${ARTICLE}/revisions/2024-01-01`, 404, 'not_found');
      assert.ok(message.includes(FIRST) && message.includes(LATEST), 'the message lists the revisions there are');
      await refused(`/api/v1/articles/${ARTICLE}/compare?from=2024-01-01&to=${LATEST}`, 404, 'not_found');
    });

    it('answers 400 naming the parameter for a bad date or language', async () => {
      await refused(`/api/v1/articles/${ARTICLE}/revisions/27-11-2023`, 400, 'invalid_parameter', 'date');
      await refused(`/api/v1/articles/${ARTICLE}/revisions/2023-02-30`, 400, 'invalid_parameter', 'date');
      await refused(`/api/v1/articles/${ARTICLE}/revisions/${FIRST}?lang=fr`, 400, 'invalid_parameter', 'lang');
      await refused(`/api/v1/articles/${ARTICLE}/compare?from=2023-11-31`, 400, 'invalid_parameter', 'from');
      await refused(`/api/v1/articles/${ARTICLE}/compare?to=yesterday`, 400, 'invalid_parameter', 'to');
      await refused(`/api/v1/articles/${ARTICLE}/compare?lang=de`, 400, 'invalid_parameter', 'lang');
    });

    it('documents the routes in the OpenAPI description', async () => {
      const doc = await ok<{ paths: Record<string, unknown> }>('/api/openapi.json');
      for (const path of [
        '/api/v1/articles/{id}/revisions',
        '/api/v1/articles/{id}/revisions/{date}',
        '/api/v1/articles/{id}/compare',
      ]) {
        assert.ok(doc.paths[path], path);
      }
    });
  });
}
