// The search index follows every import inside the import's transaction, and `rebuildSearchIndex` (horizon
// reindex) rebuilds the same index from the store; on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importBundle } from '../../src/content/import.ts';
import { searchKnowledgeBase } from '../../src/search/search.service.ts';
import { rebuildSearchIndex, syncSearchIndex } from '../../src/search/search-index.store.ts';
import type { Database } from '../../src/store/database.ts';
import { writeEntity } from '../../src/store/knowledge.store.ts';
import { SHIPPED, copyOfShipped, edit } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';

const SHANGHAI = 'cn-sh-ai-industry-regulations';
const QUOKKA = 'cn-test-quokka-measures';

for (const kind of await databaseKinds()) {
  describe(`search index on ${kind.name}`, () => {
    let db: Database;
    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
    });
    after(() => db.close());

    const find = async (q: string, asOf = '2026-11-29') =>
      (await searchKnowledgeBase(db, { q, asOf, limit: 50 })).results.map((h) => `${h.type}:${h.id}`);
    const vocabulary = async (term: string) =>
      (await db.query<{ docs: number }>('SELECT docs FROM search_terms WHERE term = $1', [term]))[0]?.docs ?? 0;
    const snapshot = async () => ({
      docs: await db.query(
        'SELECT key, title_en, title_zh, tsv::text AS tsv, tsv_title::text AS t FROM search_documents ORDER BY key',
      ),
      spans: await db.query('SELECT * FROM search_status ORDER BY instrument_id, from_day'),
      terms: await db.query('SELECT term, docs FROM search_terms ORDER BY term'),
    });

    it('follows an import that adds, changes and removes instruments, events and programmes', async () => {
      const dir = copyOfShipped();
      edit(
        dir,
        `instruments/${SHANGHAI}.yaml`,
        'en: Regulations of Shanghai Municipality',
        'en: Wombat Regulations of Shanghai Municipality',
      );
      edit(dir, `instruments/${SHANGHAI}.yaml`, /\n {2}- type: comment-deadline\n( {4}.*\n)+?(?= {2}- )/, '\n');
      fs.rmSync(path.join(dir, 'programmes/cn-sh-ai-compute-model-corpus-vouchers.yaml'));
      const copy = fs
        .readFileSync(path.join(dir, 'instruments/cn-most-2023-ethics-review-measures.yaml'), 'utf8')
        .replace('id: cn-most-2023-ethics-review-measures', `id: ${QUOKKA}`)
        .replace(/en: Measures for Scientific and Technological Ethics Review \(Trial\)/, 'en: Quokka Welfare Measures')
        .replace(/zh: 科技伦理审查办法（试行）/, 'zh: 短尾矮袋鼠福利办法');
      fs.writeFileSync(path.join(dir, `instruments/${QUOKKA}.yaml`), copy);

      const before = await find('Shanghai');
      assert.ok(before.includes('programme:cn-sh-ai-compute-model-corpus-vouchers'));
      assert.ok(before.includes(`event:${SHANGHAI}/comment-deadline`));
      const report = await importBundle(db, dir);
      assert.ok(report.changed.includes(`instrument:${SHANGHAI}`) && report.added.includes(`instrument:${QUOKKA}`));

      assert.deepEqual((await find('wombat')).slice(0, 1), [`instrument:${SHANGHAI}`]);
      const after = await find('Shanghai');
      assert.ok(!after.includes('programme:cn-sh-ai-compute-model-corpus-vouchers'));
      assert.ok(!after.includes(`event:${SHANGHAI}/comment-deadline`));
      assert.ok(after.includes(`event:${SHANGHAI}/adopted`));
      assert.equal((await find('quokka'))[0], `instrument:${QUOKKA}`);
      assert.equal((await find('短尾矮袋鼠'))[0], `instrument:${QUOKKA}`);
      assert.ok((await vocabulary('quokka')) > 0);

      // back to the shipped content: the new instrument and its words go, the old title comes back
      await importBundle(db, SHIPPED);
      assert.deepEqual(await find('quokka'), []);
      assert.equal(await vocabulary('quokka'), 0);
      assert.equal(await vocabulary('wombat'), 0);
      assert.ok((await find('Shanghai')).includes('programme:cn-sh-ai-compute-model-corpus-vouchers'));
    });

    it('changes the index inside the writing transaction: a rolled-back write leaves no trace', async () => {
      const doc = JSON.parse(
        (await db.query<{ doc: string }>('SELECT doc FROM instruments WHERE id = $1', [SHANGHAI]))[0]?.doc ?? '{}',
      ) as { title: { en: string } };
      const changed = { ...doc, title: { ...doc.title, en: 'Platypus Regulations' } };
      await assert.rejects(
        db.transaction(async (tx) => {
          await writeEntity(tx, { kind: 'instrument', id: SHANGHAI, position: 0, doc: JSON.stringify(changed) });
          await syncSearchIndex(tx, [`instrument:${SHANGHAI}`]);
          const inside = await searchKnowledgeBase(tx, { q: 'platypus', asOf: '2026-11-29' });
          assert.equal(inside.results[0]?.id, SHANGHAI);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(await find('platypus'), []);
      assert.equal(await vocabulary('platypus'), 0);
    });

    it('rebuilds exactly the index that imports keep (horizon reindex)', async () => {
      const kept = await snapshot();
      const stats = await db.transaction((tx) => rebuildSearchIndex(tx));
      assert.equal(stats.documents, kept.docs.length);
      assert.deepEqual(await snapshot(), kept);
      await db.query('DELETE FROM search_documents');
      assert.deepEqual(await find('深圳'), []);
      await db.transaction((tx) => rebuildSearchIndex(tx));
      assert.deepEqual(await snapshot(), kept);
    });
  });
}
