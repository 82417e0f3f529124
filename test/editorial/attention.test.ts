// What needs attention, on PGlite and PostgreSQL: each of the six kinds decided on the day before, of and after its
// boundary, from an explicit bundle (test/support/attention-bundle.ts); then, on PGlite, the article page's notice
// (and its absence before as_of), the public developments API and the workspace page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importBundle } from '../../src/content/import.ts';
import { validateBundle } from '../../src/content/validate.ts';
import { formatProblem } from '../../src/errors.ts';
import { loadAttention, revisionDevelopments, type Attention } from '../../src/editorial/attention.ts';
import type { Development } from '../../src/editorial/developments.ts';
import { today } from '../../src/domain/dates.ts';
import {
  approveChangeset,
  createChangeset,
  publishChangeset,
  saveEntity,
  submitChangeset,
} from '../../src/editorial/changesets.service.ts';
import { buildApp } from '../../src/server.ts';
import { KnowledgeRepository } from '../../src/store/knowledge.repository.ts';
import type { Database } from '../../src/store/database.ts';
import { appendChanges } from '../../src/watch/changelog.store.ts';
import { createTestAccount, signIn } from '../support/accounts.ts';
import { attentionBundle } from '../support/attention-bundle.ts';
import { edit } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { all, one, parseHtml, text } from '../support/html.ts';
import { TEST_SECRETS } from '../support/server.ts';
import { EDITOR, REVIEWER, workspace } from './fixtures.ts';

const ARTICLE = ['See [the rules](instrument:att-a).'];

const at = (db: Database, asOf: string, reviewAfterDays = 365) => loadAttention(db, { asOf, reviewAfterDays });
const summary = (list: readonly Development[]) =>
  list.map((d) => (d.kind === 'event' ? `${d.instrument} ${d.type} ${d.date}` : `${d.instrument} change ${d.day}`));
const mine = <T extends { article: { id: string } }>(list: readonly T[]) =>
  list.filter((x) => x.article.id.startsWith('att-'));

/** A change-log entry recorded on a chosen day that changes att-a's title (as a publication would write it). */
async function recordTitleChange(db: Database, recordedAt: string, title: string): Promise<void> {
  const [row] = await db.query<{ after: string }>(
    "SELECT after FROM change_log WHERE entity_kind = 'instrument' AND entity_id = 'att-a' ORDER BY seq DESC LIMIT 1",
  );
  assert.ok(row);
  const before = row.after;
  // The log's content: the entity's document and its place in the bundle (content/import.ts).
  const content = JSON.parse(before) as { position: number; doc: { title: { en: string; zh: string } } };
  const changed = JSON.stringify({ ...content, doc: { ...content.doc, title: { ...content.doc.title, en: title } } });
  await db.transaction((tx) =>
    appendChanges(tx, [{ kind: 'instrument', id: 'att-a', change: 'changed', before, after: changed }], {
      actor: 'test',
      action: 'publish',
      recordedAt,
    }),
  );
}

for (const kind of await databaseKinds()) {
  describe(`what needs attention on ${kind.name}`, () => {
    let db: Database;
    before(async () => {
      db = await kind.open();
      await importBundle(db, attentionBundle());
    });
    after(() => db.close());

    it('counts an article’s developments after its date, by day, and nothing after as_of', async () => {
      assert.deepEqual(await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-02-29'), []);
      // The announcement on the article's own day and the month of February are not after it.
      assert.deepEqual(summary(await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-03-01')), [
        'att-a effective 2024-03-01',
      ]);
      assert.deepEqual(summary(await revisionDevelopments(db, '2024-02-28', ARTICLE, '2024-03-01')), [
        'att-a announced 2024-02-29',
        'att-a effective 2024-03-01',
      ]);
    });

    it('counts a month-precise event only once the whole month has passed', async () => {
      const before = await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-05-30');
      assert.ok(!summary(before).includes('att-a amended 2024-05'));
      const after = await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-05-31');
      const amended = after.find((d) => d.kind === 'event' && d.type === 'amended');
      assert.ok(amended && amended.kind === 'event');
      assert.equal(amended.precision, 'month');
      // And not at all when the month begins on or before the article's date.
      assert.deepEqual(summary(await revisionDevelopments(db, '2024-05-01', ARTICLE, '2024-06-30')), []);
    });

    it('dates a disputed event by its preferred claim and marks it', async () => {
      const early = await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-08-31');
      assert.ok(!summary(early).some((s) => s.startsWith('att-a repealed')), 'the other claim (15 Aug) is not used');
      const later = await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-09-01');
      const repealed = later.find((d) => d.kind === 'event' && d.type === 'repealed');
      assert.ok(repealed && repealed.kind === 'event');
      assert.equal(repealed.date, '2024-09-01');
      assert.equal(repealed.disputed, true);
    });

    it('lists published changes to a cited record recorded after the date, not the first import', async () => {
      await recordTitleChange(db, '2024-02-29T23:59:59.999Z', 'Renamed on the day');
      await recordTitleChange(db, '2024-03-02T08:00:00.000Z', 'Renamed after');
      const list = await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-03-02');
      assert.deepEqual(summary(list), ['att-a effective 2024-03-01', 'att-a change 2024-03-02']);
      const change = list[1];
      assert.ok(change?.kind === 'change');
      assert.deepEqual(change.fields, ['title']);
      assert.deepEqual(summary(await revisionDevelopments(db, '2024-02-29', ARTICLE, '2024-03-01')), [
        'att-a effective 2024-03-01',
      ]);
    });

    it('lists the article on the workspace with its developments as of the day', async () => {
      assert.deepEqual(mine((await at(db, '2024-02-29')).developments), []);
      const list = mine((await at(db, '2024-03-01')).developments);
      assert.deepEqual(
        list.map((x) => [x.article.id, x.accurateUpTo, x.developments.length]),
        [['att-article', '2024-02-29', 1]],
      );
    });

    it('lists programmes whose instrument ended and that still count as applying, or ended within 30 days', async () => {
      const programmes = (a: Attention) =>
        a.programmes.filter((p) => p.programme.id.startsWith('att-')).map((p) => `${p.programme.id} ${p.reason}`);
      assert.deepEqual(programmes(await at(db, '2024-05-31')), []);
      assert.deepEqual(programmes(await at(db, '2024-06-01')), ['att-prog-open in-effect']);
      // att-b expired with 2024: from 1 January 2025, listed for 30 days (the in-effect one stays listed).
      assert.deepEqual(programmes(await at(db, '2024-12-31')), ['att-prog-open in-effect']);
      assert.deepEqual(programmes(await at(db, '2025-01-01')), ['att-prog-recent recent', 'att-prog-open in-effect']);
      assert.deepEqual(programmes(await at(db, '2025-01-30')), ['att-prog-recent recent', 'att-prog-open in-effect']);
      assert.deepEqual(programmes(await at(db, '2025-01-31')), ['att-prog-open in-effect']);
      const ended = (await at(db, '2025-01-01')).programmes.find((p) => p.programme.id === 'att-prog-recent');
      assert.equal(ended?.endedOn, '2025-01-01');
      assert.equal(ended?.instrument.status, 'expired');
    });

    it('lists comment deadlines and effective dates from the day to 30 days ahead', async () => {
      const upcoming = (a: Attention) =>
        a.upcoming.filter((u) => u.instrument.startsWith('att-')).map((u) => `${u.instrument} ${u.type} ${u.inDays}`);
      assert.deepEqual(upcoming(await at(db, '2025-02-28')), []);
      assert.deepEqual(upcoming(await at(db, '2025-03-01')), ['att-d comment-deadline 30']);
      assert.deepEqual(upcoming(await at(db, '2025-03-31')), ['att-d comment-deadline 0', 'att-d effective 30']);
      // From 1 April the window reaches 1 May, into att-e's month.
      assert.deepEqual(upcoming(await at(db, '2025-03-31')).includes('att-e effective 30'), false);
      assert.deepEqual(upcoming(await at(db, '2025-04-01')), ['att-d effective 29', 'att-e effective 30']);
      // A month-only date when its month overlaps the window; a year-only one never.
      assert.deepEqual(upcoming(await at(db, '2025-04-15')), ['att-d effective 15', 'att-e effective 16']);
      assert.deepEqual(upcoming(await at(db, '2025-05-31')), ['att-e effective 0']);
      assert.deepEqual(upcoming(await at(db, '2025-06-01')), []);
    });

    it('lists articles whose English and Chinese revisions differ, naming the language behind', async () => {
      const langs = (a: Attention) => mine(a.languages).map((x) => `${x.article.id} ${x.behind} ${x.en} ${x.zh}`);
      assert.deepEqual(langs(await at(db, '2024-03-31')), []);
      assert.deepEqual(langs(await at(db, '2024-04-01')), ['att-lang en null 2024-04-01']);
      assert.deepEqual(langs(await at(db, '2024-05-01')), ['att-lang zh 2024-05-01 2024-04-01']);
    });

    it('lists articles due for review: review_by on or before the day, or a revision older than the limit', async () => {
      const reviews = (a: Attention) => mine(a.reviews).map((x) => `${x.article.id} ${x.reviewBy} ${x.overdueDays}`);
      assert.deepEqual(reviews(await at(db, '2024-06-29')), []);
      assert.deepEqual(reviews(await at(db, '2024-06-30')), ['att-article 2024-06-30 0']);
      assert.deepEqual(reviews(await at(db, '2024-07-01')), ['att-article 2024-06-30 1']);
      // att-lang has no review_by: due once its latest revision (1 May 2024) is more than 365 days old.
      assert.deepEqual(reviews(await at(db, '2025-05-01')), ['att-article 2024-06-30 305']);
      assert.deepEqual(reviews(await at(db, '2025-05-02')), ['att-article 2024-06-30 306', 'att-lang null 1']);
      assert.deepEqual(reviews(await at(db, '2024-06-01', 30)), ['att-lang null 1']);
    });

    it('counts dead-lettered deliveries', async () => {
      const before = (await at(db, '2025-01-01')).deadDeliveries.count;
      await db.query(
        `INSERT INTO subscriptions (id, owner_hash, filter, channel, target, status)
         VALUES ('s_att', 'x', '{}', 'webhook', 'https://x.example', 'active')`,
      );
      await db.query(
        `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload, state, attempts)
         VALUES ('att-1', 's_att', 'webhook', '[]', 'dead', 8), ('att-2', 's_att', 'webhook', '[]', 'pending', 0)`,
      );
      const dead = (await at(db, '2025-01-01')).deadDeliveries;
      assert.equal(dead.count, before + 1);
      assert.equal(dead.newest[0]?.subscription, 's_att');
      assert.equal(dead.newest[0]?.attempts, 8);
    });

    it('lists change sets waiting for review, and lists what a published one changed as a development', async () => {
      const ws = workspace(db, { now: () => new Date('2025-01-01T10:00:00Z') });
      const cs = await createChangeset(ws, EDITOR, { title: 'Reword att-a' });
      const [doc] = await new KnowledgeRepository(db).instrumentsById(['att-a']);
      assert.ok(doc);
      await saveEntity(ws, EDITOR, cs.id, 'instrument', 'att-a', {
        ...doc,
        summary: { ...doc.summary, en: 'Reworded.' },
      });
      assert.equal((await at(db, '2025-01-03')).review.count, 0, 'a draft is not waiting for review');
      await submitChangeset(ws, EDITOR, cs.id);
      const review = (await at(db, '2025-01-03')).review;
      assert.equal(review.count, 1);
      assert.deepEqual(
        review.waiting.map((w) => [w.id, w.title, w.author.email, w.waitingDays]),
        [[cs.id, 'Reword att-a', EDITOR.email, 2]],
      );
      await approveChangeset(ws, REVIEWER, cs.id);
      assert.equal((await at(db, '2025-01-03')).review.count, 0);
      await publishChangeset(ws, REVIEWER, cs.id);
      // Published now (the change log keeps the real time): a development of the article as of today.
      const now = today();
      const change = (await revisionDevelopments(db, '2024-02-29', ARTICLE, now)).find(
        (d) => d.kind === 'change' && d.day === now,
      );
      assert.ok(change?.kind === 'change');
      assert.deepEqual(change.fields, ['summary']);
    });
  });
}

describe('review_by in a bundle', () => {
  it('must be a real day', () => {
    const dir = attentionBundle();
    edit(dir, 'articles/att-article/article.yaml', 'review_by: 2024-06-30', 'review_by: 2024-02-30');
    const result = validateBundle(dir);
    assert.equal(result.bundle, null);
    assert.ok(
      result.problems.some(
        (p) => p.where === 'articles/att-article/article.yaml' && /2024-02-30 is not a real date/.test(p.message),
      ),
      result.problems.map(formatProblem).join('\n'),
    );
  });
});

describe('developments on pages and in the API (PGlite)', async () => {
  const [pglite] = await databaseKinds();
  let db: Database;
  let app: FastifyInstance;
  let url: string;
  /** An editor's session cookie. */
  let session: string;
  before(async () => {
    assert.ok(pglite);
    db = await pglite.open();
    await importBundle(db, attentionBundle());
    app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const editor = await createTestAccount(db, { email: 'edna@example.org', role: 'editor' });
    session = (await signIn(url, editor.email, editor.password)).cookie;
  });
  after(async () => {
    await app.close();
    await db.close();
  });
  const page = async (path: string, cookie?: string) => {
    const res = await fetch(`${url}${path}`, cookie ? { headers: { cookie } } : {});
    assert.equal(res.status, 200, path);
    return parseHtml(await res.text());
  };

  it('shows readers the developments since the article’s date, as of the page’s date', async () => {
    const doc = await page('/articles/att-article?as_of=2024-09-01');
    const notice = one(doc, '.notice-developments');
    assert.match(
      text(one(notice, 'h2')),
      /^3 developments since this article’s accurate-up-to date \(29 February 2024\)$/,
    );
    const items = all(notice, 'li.development');
    assert.deepEqual(
      items.map((li) => li.getAttribute('data-type')),
      ['effective', 'amended', 'repealed'],
    );
    assert.match(text(items[1] as Element), /in May 2024/);
    assert.ok(one(items[2] as Element, '.tag-disputed'));
    assert.equal(one(items[0] as Element, 'a').getAttribute('href'), '/instruments/att-a?as_of=2024-09-01');
    const zh = await page('/articles/att-article?as_of=2024-09-01&lang=zh');
    assert.match(text(one(zh, '.notice-developments h2')), /3 项新进展/);
  });

  it('shows no notice before anything happened', async () => {
    const doc = await page('/articles/att-article?as_of=2024-02-29');
    assert.equal(all(doc, '.notice-developments').length, 0);
  });

  it('answers the developments API, public', async () => {
    const res = await fetch(`${url}/api/v1/articles/att-article/developments?as_of=2024-03-01`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { count: number; accurate_up_to: string; developments: { type?: string }[] };
    assert.equal(body.accurate_up_to, '2024-02-29');
    assert.equal(body.count, 1);
    assert.equal(body.developments[0]?.type, 'effective');
    const bad = await fetch(`${url}/api/v1/articles/att-article/developments?revision=2024-02-30`);
    assert.equal(bad.status, 400);
    const none = await fetch(`${url}/api/v1/articles/att-article/developments?revision=2023-01-01`);
    assert.equal(none.status, 404);
  });

  it('sends anyone not signed in to sign in first', async () => {
    const res = await fetch(`${url}/workspace?as_of=2025-03-31`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^\/login\?next=/);
  });

  it('renders the workspace: every section with its count, items linking to the thing', async () => {
    const doc = await page('/workspace?as_of=2025-03-31', session);
    const counts = Object.fromEntries(
      all(doc, 'section.attention-section').map((s) => [s.id, Number(s.getAttribute('data-count'))]),
    );
    assert.deepEqual(Object.keys(counts), [
      'developments',
      'programmes',
      'upcoming',
      'languages',
      'reviews',
      'changesets',
      'deliveries',
    ]);
    const upcoming = all(doc, '#upcoming li.attention-item').filter((li) =>
      (li.getAttribute('data-instrument') ?? '').startsWith('att-'),
    );
    assert.deepEqual(
      upcoming.map((li) => [li.getAttribute('data-type'), one(li, 'a').getAttribute('href')]),
      [
        ['comment-deadline', '/instruments/att-d?as_of=2025-03-31'],
        ['effective', '/instruments/att-d?as_of=2025-03-31'],
      ],
    );
    assert.match(text(upcoming[0] as Element), /\(today\)/);
    const review = one(doc, '#reviews li[data-article="att-article"]');
    assert.equal(one(review, 'a').getAttribute('href'), '/articles/att-article?as_of=2025-03-31');
    const zh = await page('/workspace?as_of=2025-03-31&lang=zh', session);
    assert.equal(text(one(zh, 'h1')), '待处理事项');
  });
});
