// One contract suite for the store, run on PGlite and on the PostgreSQL server: import, status, export round trip.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportBundle, readStoreBundle } from '../../src/content/export.ts';
import { applyBundle, importBundle } from '../../src/content/import.ts';
import { validateBundle } from '../../src/content/validate.ts';
import { HorizonError } from '../../src/errors.ts';
import type { Database } from '../../src/store/database.ts';
import { loadEntities } from '../../src/store/knowledge.store.ts';
import { KnowledgeRepository } from '../../src/store/knowledge.repository.ts';
import { migrate } from '../../src/store/migrate.ts';
import { SHIPPED, copyOfShipped, edit, readTree, tempDir } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';

for (const kind of await databaseKinds()) {
  describe(`knowledge store on ${kind.name}`, () => {
    let db: Database;
    let repo: KnowledgeRepository;
    before(async () => {
      db = await kind.open();
      repo = new KnowledgeRepository(db);
      await importBundle(db, SHIPPED);
    });
    after(() => db.close());

    const statusOf = async (id: string, asOf: string) => (await repo.instrument(id, asOf)).status;

    it('migrates once: running the migrations again applies nothing', async () => {
      assert.deepEqual(await migrate(db), []);
    });

    it('derives the Shanghai regulations: draft, then adopted, then in force', async () => {
      assert.equal(await statusOf('cn-sh-ai-industry-regulations', '2022-08-31'), 'draft');
      assert.equal(await statusOf('cn-sh-ai-industry-regulations', '2022-09-25'), 'adopted');
      assert.equal(await statusOf('cn-sh-ai-industry-regulations', '2022-10-01'), 'in_force');
    });

    it('derives the Shenzhen regulations: adopted on 1 Oct 2022, in force from 1 Nov 2022', async () => {
      assert.equal(await statusOf('cn-gd-shenzhen-ai-industry-regulations', '2022-10-01'), 'adopted');
      assert.equal(await statusOf('cn-gd-shenzhen-ai-industry-regulations', '2022-10-31'), 'adopted');
      assert.equal(await statusOf('cn-gd-shenzhen-ai-industry-regulations', '2022-11-01'), 'in_force');
    });

    it('keeps the disputed Shenzhen announcement date with both claims and their sources', async () => {
      const d = await repo.instrument('cn-gd-shenzhen-ai-industry-regulations', '2022-11-01');
      const announced = d.instrument.events.find((e) => e.type === 'announced');
      assert.ok(announced?.claims, 'the announcement is disputed');
      assert.deepEqual(announced.claims.map((c) => c.date).sort(), ['2022-09-05', '2022-09-06']);
      assert.equal(announced.claims.find((c) => c.preferred)?.date, '2022-09-05');
      for (const c of announced.claims) assert.ok(c.sources.length > 0 && d.sources.has(c.sources[0]?.source ?? ''));
    });

    it('lists the scenario notice from 15 Aug 2022 and the Initiative from 18 Oct 2023, not before', async () => {
      const ids = async (asOf: string) => (await repo.instruments({ asOf })).map((v) => v.instrument.id);
      assert.ok(!(await ids('2022-08-14')).includes('cn-most-2022-demonstration-scenarios-notice'));
      assert.equal(await statusOf('cn-most-2022-demonstration-scenarios-notice', '2022-08-15'), 'issued');
      assert.equal(await statusOf('cn-most-2022-demonstration-scenarios-notice', '2022-08-14'), null);
      assert.ok(!(await ids('2023-10-17')).includes('cn-cac-2023-global-ai-governance-initiative'));
      assert.equal(await statusOf('cn-cac-2023-global-ai-governance-initiative', '2023-10-18'), 'issued');
    });

    it('shows both worlds of the 2021 crypto notice: in force before 6 Feb 2026, repealed from it', async () => {
      assert.equal(await statusOf('cn-pboc-2021-virtual-currency-notice', '2023-11-27'), 'in_force');
      assert.equal(await statusOf('cn-pboc-2021-virtual-currency-notice', '2026-02-06'), 'repealed');
    });

    it('filters by jurisdiction including descendants', async () => {
      const inGd = await repo.instruments({ asOf: '2026-11-29', jurisdiction: 'cn-gd' });
      assert.ok(inGd.some((v) => v.instrument.id === 'cn-gd-shenzhen-ai-industry-regulations'));
      assert.ok(inGd.every((v) => v.instrument.jurisdiction.startsWith('cn-gd')));
      const inCn = await repo.instruments({ asOf: '2026-11-29', jurisdiction: 'cn' });
      assert.ok(inCn.some((v) => v.instrument.jurisdiction === 'cn-sh'));
      const inForce = await repo.instruments({ asOf: '2022-10-01', status: 'in_force', jurisdiction: 'cn-gd' });
      assert.deepEqual(inForce, []);
    });

    it('imports the same bundle twice without changing anything', async () => {
      const before = await loadEntities(db);
      const report = await importBundle(db, SHIPPED);
      assert.deepEqual([report.added, report.changed, report.removed], [[], [], []]);
      assert.ok(report.unchanged > 50);
      assert.deepEqual(await loadEntities(db), before);
    });

    it('reports what an import would change with dryRun, and changes nothing', async () => {
      const dir = copyOfShipped();
      edit(dir, 'instruments/cn-sh-ai-industry-regulations.yaml', /date: '?2022-10-01'?/, 'date: 2022-10-02');
      const before = await loadEntities(db);
      const report = await importBundle(db, dir, { dryRun: true });
      assert.deepEqual(report.changed, ['instrument:cn-sh-ai-industry-regulations']);
      assert.deepEqual(await loadEntities(db), before);
    });

    it('refuses an invalid bundle and changes nothing', async () => {
      const dir = copyOfShipped();
      edit(dir, 'instruments/cn-sh-ai-industry-regulations.yaml', /date: '?2022-10-01'?/, 'date: 2022-02-30');
      const before = await loadEntities(db);
      await assert.rejects(
        importBundle(db, dir),
        (e: unknown) => e instanceof HorizonError && e.code === 'invalid_bundle',
      );
      assert.deepEqual(await loadEntities(db), before);
    });

    it('rolls back the whole import when the database refuses one write', async () => {
      const bundle = validateBundle(SHIPPED).bundle;
      assert.ok(bundle);
      const [first, ...rest] = bundle.instruments;
      assert.ok(first);
      const broken = {
        ...bundle,
        sources: bundle.sources.slice(1), // a change that would be written first…
        instruments: [{ ...first, title: { en: 'Changed', zh: '改' }, jurisdiction: 'xx-nowhere' }, ...rest],
      };
      const before = await loadEntities(db);
      await assert.rejects(applyBundle(db, broken)); // …but the unknown jurisdiction fails the transaction
      assert.deepEqual(await loadEntities(db), before);
    });

    it('exports a bundle that imports back identically, and re-exports byte for byte', async () => {
      const out1 = path.join(tempDir(), 'export');
      await exportBundle(db, out1);
      const fresh = await kind.open();
      try {
        const report = await importBundle(fresh, out1);
        assert.equal(report.removed.length, 0);
        assert.deepEqual(await loadEntities(fresh), await loadEntities(db));
        assert.deepEqual(await readStoreBundle(fresh), await readStoreBundle(db));
        const out2 = path.join(tempDir(), 'export');
        await exportBundle(fresh, out2);
        assert.deepEqual(readTree(out2), readTree(out1));
      } finally {
        await fresh.close();
      }
    });

    it('holds the same data as the shipped bundle after import', async () => {
      const shipped = validateBundle(SHIPPED).bundle;
      assert.deepEqual(await readStoreBundle(db), JSON.parse(JSON.stringify(shipped)));
    });
  });
}
