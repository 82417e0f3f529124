// Change sets on PGlite and PostgreSQL, through the service with actors built by hand: the life cycle up to
// publication through the import path (change log naming author, reviewer and change set; search; watch events; the
// chain; export → import with no change), every refusal, conflicts and rebase, scheduled publishing with an
// injected clock, and revert.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HorizonError } from '../../src/errors.ts';
import { exportBundle } from '../../src/content/export.ts';
import { importBundle } from '../../src/content/import.ts';
import { today } from '../../src/domain/dates.ts';
import {
  approveChangeset,
  changesetDiff,
  commentOnChangeset,
  createChangeset,
  deleteEntity,
  discardEntity,
  getChangeset,
  listChangesets,
  publishChangeset,
  publishDueChangesets,
  publishScheduled,
  rebaseChangeset,
  returnChangeset,
  revertChangeset,
  saveEntity,
  scheduleChangeset,
  submitChangeset,
  withdrawChangeset,
  type Workspace,
} from '../../src/editorial/changesets.service.ts';
import { searchKnowledgeBase } from '../../src/search/search.service.ts';
import type { Database } from '../../src/store/database.ts';
import { loadEntities } from '../../src/store/knowledge.store.ts';
import { entryHash, listChanges, verifyChain } from '../../src/watch/changelog.store.ts';
import { listPublicEvents } from '../../src/watch/events.store.ts';
import { runTimers } from '../../src/watch/worker.ts';
import { SHIPPED, tempDir } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { watchConfig } from '../support/watch-config.ts';
import { ADMIN, ARTICLE, EDITOR, EDITOR_2, NEW_ID, REVIEWER, draftInstrument, workspace } from './fixtures.ts';

/** Rejects with a HorizonError of this code (and, when given, a problem at this place). */
async function refused(promise: Promise<unknown>, code: string, where?: string): Promise<HorizonError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HorizonError, `not a HorizonError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (where) {
      assert.ok(
        error.problems.some((p) => p.where === where),
        `no problem at ${where}: ${JSON.stringify(error.problems)}`,
      );
    }
    return error;
  }
  assert.fail(`expected ${code}`);
}

/** The store's entities as text, to show that nothing changed. */
async function snapshot(db: Database): Promise<string> {
  return JSON.stringify([...(await loadEntities(db)).entries()].sort());
}

/** A change set of the editor's with the instrument saved in it, submitted and approved by the reviewer. */
async function approvedWith(ws: Workspace, doc: unknown, title = 'A change'): Promise<string> {
  const cs = await createChangeset(ws, EDITOR, { title });
  await saveEntity(ws, EDITOR, cs.id, 'instrument', (doc as { id: string }).id, doc);
  await submitChangeset(ws, EDITOR, cs.id);
  await approveChangeset(ws, REVIEWER, cs.id);
  return cs.id;
}

for (const kind of await databaseKinds()) {
  describe(`change sets on ${kind.name}`, () => {
    let db: Database;
    let ws: Workspace;
    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
      ws = workspace(db);
    });
    after(() => db.close());

    it('goes from draft to published through the import path, and the change log names author, reviewer and set', async () => {
      const cs = await createChangeset(ws, EDITOR, { title: 'Zephyr model registration draft' });
      assert.equal(cs.status, 'draft');
      await saveEntity(ws, EDITOR, cs.id, 'instrument', NEW_ID, draftInstrument());
      const day = today();
      const revision = `${ARTICLE}/${day}/en`;
      const saved = await saveEntity(ws, EDITOR, cs.id, 'revision', revision, {
        accurate_up_to: day,
        change_note: 'Adds the zephyr registration draft.',
        body: `## Latest developments\n\nThe [zephyr registration draft](instrument:${NEW_ID}) is open for comment.\n`,
      });
      assert.equal(saved.base, null);
      assert.equal((JSON.parse(saved.doc ?? '{}') as { accurate_up_to?: string }).accurate_up_to, day);

      const diff = await changesetDiff(ws, cs.id);
      const inst = diff.entities.find((e) => e.kind === 'instrument');
      assert.equal(inst?.change, 'added');
      assert.ok(inst?.fields.some((f) => f.path === '' && f.change === 'added'));
      const rev = diff.entities.find((e) => e.kind === 'revision');
      assert.match(rev?.comparedWith ?? '', new RegExp(`^${ARTICLE}/\\d{4}-\\d{2}-\\d{2}/en$`));
      assert.ok((rev?.body?.stats.wordsAdded ?? 0) > 0);
      assert.deepEqual(diff.conflicts, []);

      await refused(approveChangeset(ws, REVIEWER, cs.id), 'changeset_state');
      await submitChangeset(ws, EDITOR, cs.id);
      await refused(approveChangeset(ws, EDITOR, cs.id), 'forbidden');
      await refused(approveChangeset(workspace(db), actorAsReviewer(EDITOR), cs.id), 'self_approval');
      await commentOnChangeset(ws, REVIEWER, cs.id, 'Looks right; the deadline matches the notice.');
      await approveChangeset(ws, REVIEWER, cs.id);
      await refused(publishChangeset(ws, EDITOR, cs.id), 'forbidden');

      const head = (await verifyChain(db)).head?.seq ?? 0;
      const { changeset, report } = await publishChangeset(ws, REVIEWER, cs.id);
      assert.equal(changeset.status, 'published');
      assert.deepEqual([...report.added].sort(), [`instrument:${NEW_ID}`, `revision:${revision}`].sort());
      assert.deepEqual(report.changed, []);
      assert.deepEqual(report.removed, []);

      const entries = (await listChanges(db, { since: head })).entries;
      assert.equal(entries.length, 2);
      for (const e of entries) {
        assert.equal(e.action, 'publish');
        assert.equal(e.changeset, cs.id);
        assert.match(e.actor, /erin@example\.org \(author\)/);
        assert.match(e.actor, /rosa@example\.org \(reviewer\)/);
      }
      assert.equal(changeset.publishedSeq, entries[0]?.seq);
      const chain = await verifyChain(db);
      assert.equal(chain.firstBad, null);
      assert.equal(chain.head?.seq, head + 2);
      // An import's entry (no change set) hashes exactly as entries did before change sets existed …
      const [imported] = (await listChanges(db, { limit: 1 })).entries;
      assert.ok(imported && imported.changeset === undefined);
      const fields = [imported.seq, imported.recordedAt, imported.actor, imported.action, imported.kind, imported.id];
      const legacy = [...fields, imported.change, imported.before, imported.after, imported.prevHash];
      assert.equal(imported.hash, createHash('sha256').update(JSON.stringify(legacy)).digest('hex'));
      // … and a publication's change set is covered by its hash.
      const { hash, ...unhashed } = entries[0]!;
      assert.equal(entryHash(unhashed), hash);
      assert.notEqual(entryHash({ ...unhashed, changeset: 'cs_other' }), hash);

      const found = await searchKnowledgeBase(db, { q: 'zephyr registration', asOf: day, facets: false });
      assert.equal(found.results[0]?.id, NEW_ID);
      const events = await listPublicEvents(db, { instruments: [NEW_ID] });
      assert.ok(
        events.some((e) => e.kind === 'new-instrument'),
        JSON.stringify(events.map((e) => e.kind)),
      );

      const dir = path.join(tempDir(), 'export');
      await exportBundle(db, dir);
      const again = await importBundle(db, dir, { dryRun: true });
      assert.deepEqual([again.added, again.changed, again.removed], [[], [], []]);
      assert.equal((await getChangeset(ws, cs.id)).comments.length, 1);
      assert.ok((await listChangesets(ws, { status: 'published' })).some((c) => c.id === cs.id));
    });

    it('refuses an invalid entity with its field path and saves nothing', async () => {
      const cs = await createChangeset(ws, EDITOR, { title: 'Bad dates' });
      const doc = draftInstrument();
      doc.events[1] = { ...doc.events[1]!, date: '2026-02-30' };
      await refused(
        saveEntity(ws, EDITOR, cs.id, 'instrument', 'cn-other-id', doc),
        'invalid_entity',
        'instrument:cn-other-id.id',
      );
      await refused(
        saveEntity(ws, EDITOR, cs.id, 'instrument', `${NEW_ID}-2`, { ...doc, id: `${NEW_ID}-2` }),
        'invalid_entity',
        `instrument:${NEW_ID}-2.events.1.date`,
      );
      await refused(
        saveEntity(ws, EDITOR, cs.id, 'instrument', NEW_ID + '-3', { ...doc, id: NEW_ID + '-3', kind: 'edict' }),
        'invalid_entity',
        `instrument:${NEW_ID}-3.kind`,
      );
      await refused(
        deleteEntity(ws, EDITOR, cs.id, 'instrument', NEW_ID),
        'invalid_entity',
        `revision:${ARTICLE}/${today()}/en.body`,
      );
      assert.deepEqual((await getChangeset(ws, cs.id)).entities, []);
      await refused(submitChangeset(ws, EDITOR, cs.id), 'changeset_state');
      await refused(saveEntity(ws, EDITOR_2, cs.id, 'instrument', NEW_ID, draftInstrument()), 'forbidden');
      await refused(createChangeset(ws, { ...EDITOR, scopes: new Set() }, { title: 'x' }), 'forbidden');
      await withdrawChangeset(ws, EDITOR, cs.id);
      await refused(saveEntity(ws, EDITOR, cs.id, 'instrument', NEW_ID, draftInstrument()), 'changeset_state');
    });

    it('refuses to publish over a newer published version until the editor rebases', async () => {
      const doc = { ...draftInstrument(), summary: { en: 'Summary of set A.', zh: '变更集甲的摘要。' } };
      const first = await createChangeset(ws, EDITOR, { title: 'A' });
      await saveEntity(ws, EDITOR, first.id, 'instrument', NEW_ID, doc);
      const second = await approvedWith(ws, { ...doc, summary: { en: 'Summary of set B.', zh: '变更集乙的摘要。' } });
      await publishChangeset(ws, REVIEWER, second);

      await submitChangeset(ws, EDITOR, first.id);
      await approveChangeset(ws, REVIEWER, first.id);
      const diff = await changesetDiff(ws, first.id);
      assert.deepEqual(diff.conflicts, [`instrument:${NEW_ID}`]);
      assert.ok(diff.entities[0]?.fields.some((f) => f.path === 'summary.en' && f.change === 'changed'));
      const before = await snapshot(db);
      const error = await refused(
        publishChangeset(ws, REVIEWER, first.id),
        'changeset_conflict',
        `instrument:${NEW_ID}`,
      );
      assert.equal(error.status, 409);
      assert.equal(await snapshot(db), before);

      await refused(rebaseChangeset(ws, EDITOR_2, first.id), 'forbidden');
      const rebased = await rebaseChangeset(ws, EDITOR, first.id);
      assert.equal(rebased.status, 'in_review');
      assert.deepEqual((await changesetDiff(ws, first.id)).conflicts, []);
      await approveChangeset(ws, REVIEWER, first.id);
      const { report } = await publishChangeset(ws, REVIEWER, first.id);
      assert.deepEqual(report.changed, [`instrument:${NEW_ID}`]);
    });

    it('publishes an approved set at its time, as the reviewer who approved it', async () => {
      let now = new Date();
      const timed = { ...ws, now: () => now };
      const id = await approvedWith(timed, { ...draftInstrument(), summary: { en: 'Scheduled.', zh: '定时发布。' } });
      await refused(
        scheduleChangeset(timed, REVIEWER, id, new Date(now.getTime() - 1000).toISOString()),
        'invalid_parameter',
      );
      await refused(scheduleChangeset(timed, REVIEWER, id, '2030-01-01 10:00'), 'invalid_parameter');
      const at = new Date(now.getTime() + 3_600_000).toISOString();
      assert.equal((await scheduleChangeset(timed, REVIEWER, id, at)).publishAt, at);
      assert.deepEqual(await publishDueChangesets(timed), { published: [], failed: [] });
      now = new Date(now.getTime() + 3_600_001);
      // The worker's timers publish it (runTimers with the clock of the test).
      assert.deepEqual((await runTimers(db, watchConfig(), now, publishScheduled)).changesets, {
        published: [id],
        failed: [],
      });
      const done = (await getChangeset(ws, id)).changeset;
      assert.equal(done.status, 'published');
      assert.equal(done.publisher?.email, REVIEWER.email);
      assert.equal(done.publishAt, null);

      // One that cannot be published at its time (a conflict) loses its time and says why.
      const stale = await approvedWith(timed, { ...draftInstrument(), summary: { en: 'Stale.', zh: '过时。' } });
      await publishChangeset(timed, REVIEWER, await approvedWith(timed, draftInstrument()));
      await scheduleChangeset(timed, REVIEWER, stale, new Date(now.getTime() + 1000).toISOString());
      now = new Date(now.getTime() + 2000);
      const outcome = await publishDueChangesets(timed);
      assert.deepEqual(
        outcome.failed.map((f) => f.id),
        [stale],
      );
      const left = await getChangeset(ws, stale);
      assert.equal(left.changeset.status, 'approved');
      assert.equal(left.changeset.publishAt, null);
      assert.match(left.comments.at(-1)?.body ?? '', /^Scheduled publication failed/);
    });

    it('reverts a published set through a new change set reviewed like any other', async () => {
      const before = await snapshot(db);
      const cs = await createChangeset(ws, EDITOR, { title: 'Retitle a body, drop a new one' });
      const body = (await loadEntities(db)).get('body:cac');
      const cac = JSON.parse(body?.doc ?? '{}') as { name: { en: string; zh: string } };
      await saveEntity(ws, EDITOR, cs.id, 'body', 'cac', {
        ...cac,
        name: { ...cac.name, en: 'Cyberspace Administration' },
      });
      const office = {
        id: 'zephyr-office',
        name: { en: 'Zephyr Office', zh: '泽风办公室' },
        jurisdiction: 'cn',
        kind: 'regulator',
      };
      await saveEntity(ws, EDITOR, cs.id, 'body', 'zephyr-office', office);
      await discardEntity(ws, EDITOR, cs.id, 'body', 'zephyr-office');
      assert.deepEqual(
        (await getChangeset(ws, cs.id)).entities.map((e) => e.entityId),
        ['cac'],
      );
      await saveEntity(ws, EDITOR, cs.id, 'body', 'zephyr-office', office);
      await submitChangeset(ws, EDITOR, cs.id);
      await returnChangeset(ws, REVIEWER, cs.id, 'Please keep the abbreviation.');
      assert.equal((await getChangeset(ws, cs.id)).changeset.status, 'draft');
      await submitChangeset(ws, EDITOR, cs.id);
      await approveChangeset(ws, REVIEWER, cs.id);
      await publishChangeset(ws, REVIEWER, cs.id);
      assert.notEqual(await snapshot(db), before);

      await refused(revertChangeset(ws, REVIEWER, cs.id), 'forbidden');
      const revert = await revertChangeset(ws, ADMIN, cs.id);
      assert.equal(revert.reverts, cs.id);
      assert.equal(revert.status, 'draft');
      const diff = await changesetDiff(ws, revert.id);
      assert.deepEqual(
        diff.entities.map((e) => [e.id, e.change]),
        [
          ['cac', 'changed'],
          ['zephyr-office', 'removed'],
        ],
      );
      await submitChangeset(ws, ADMIN, revert.id);
      await approveChangeset(ws, REVIEWER, revert.id);
      await publishChangeset(ws, REVIEWER, revert.id);
      assert.equal(await snapshot(db), before);
      assert.equal((await verifyChain(db)).firstBad, null);
    });
  });
}

/** The editor given the reviewer's scopes: still the author, so approval is refused as self-approval. */
function actorAsReviewer(a: typeof EDITOR) {
  return { ...a, role: 'reviewer' as const, scopes: new Set(['drafts:write', 'review'] as const) };
}
