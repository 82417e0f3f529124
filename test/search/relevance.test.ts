// Relevance of search on the shipped content, on PGlite and PostgreSQL: precision@3 and recall@10 over the relevance
// set (relevance.json: half Chinese, half English, some mixed, some misspelt), held to a bar.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importBundle } from '../../src/content/import.ts';
import { searchKnowledgeBase } from '../../src/search/search.service.ts';
import type { Database } from '../../src/store/database.ts';
import { SHIPPED } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { RELEVANCE, scoreRelevance } from './relevance.ts';

/** The bar: what the suite must keep (measured 1.000 and 1.000 on both databases when it was set). */
const BAR = { precisionAt3: 0.95, recallAt10: 0.98 };

describe('relevance set', () => {
  it('has at least 40 queries, half Chinese and half English, with mixed and misspelt ones', () => {
    assert.ok(RELEVANCE.length >= 40);
    const count = (f: (q: (typeof RELEVANCE)[number]) => boolean) => RELEVANCE.filter(f).length;
    assert.ok(count((q) => q.lang === 'zh') >= 20);
    assert.ok(count((q) => q.lang === 'en') >= 20);
    assert.ok(count((q) => q.lang === 'mixed') >= 4);
    assert.ok(count((q) => q.typo === true) >= 4);
    assert.ok(RELEVANCE.every((q) => q.must.length >= 1 && q.must.length <= 3));
  });
});

for (const kind of await databaseKinds()) {
  describe(`search relevance on ${kind.name}`, () => {
    let db: Database;
    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
    });
    after(() => db.close());

    it(`reaches precision@3 ≥ ${BAR.precisionAt3} and recall@10 ≥ ${BAR.recallAt10}`, async () => {
      const score = await scoreRelevance(async (q) =>
        (await searchKnowledgeBase(db, { q, asOf: '2026-11-29', facets: false })).results.map(
          (r) => `${r.type}:${r.id}`,
        ),
      );
      const misses = score.queries
        .filter((s) => s.precisionAt3 < 1)
        .map((s) => `  ${s.query.q}: top ${s.top.slice(0, 3).join(', ')}; wanted ${s.query.must.join(', ')}`);
      process.stdout.write(
        `# relevance on ${kind.name}: P@3 ${score.precisionAt3.toFixed(3)}, R@10 ${score.recallAt10.toFixed(3)} over ${score.queries.length} queries\n`,
      );
      assert.ok(score.precisionAt3 >= BAR.precisionAt3, `P@3 ${score.precisionAt3.toFixed(3)}\n${misses.join('\n')}`);
      assert.ok(score.recallAt10 >= BAR.recallAt10, `R@10 ${score.recallAt10.toFixed(3)}\n${misses.join('\n')}`);
    });
  });
}
