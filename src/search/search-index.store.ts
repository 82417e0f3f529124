// Keeps the search index in step with the store: documents, status spans and the spelling vocabulary are rewritten
// for the entities an import changed, inside the import's own transaction; rebuildSearchIndex starts from scratch.
import type { Queryable } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';
import {
  articleDocument,
  instrumentDocuments,
  programmeDocument,
  statusSpans,
  type IndexContext,
  type SearchDocument,
  type StatusSpan,
} from './document.ts';
import { segment, vocabulary } from './segment.ts';

/** Names and labels the documents are built with, read from the store; null when no bundle was imported. */
export async function loadIndexContext(q: Queryable): Promise<IndexContext | null> {
  const repo = new KnowledgeRepository(q);
  const taxonomy = await repo.taxonomyIfImported();
  if (!taxonomy) return null;
  // One after another: this runs inside the import's transaction, on one connection.
  const jurisdictions = await repo.jurisdictions();
  const bodies = await repo.allBodies();
  const chapters = await repo.chapters();
  return {
    taxonomy,
    jurisdictions: new Map(jurisdictions.map((j) => [j.code, j])),
    bodies: new Map(bodies.map((b) => [b.id, b])),
    chapters: new Map(chapters.map((c) => [c.code, c])),
  };
}

/** The text a document is found by, split into words, per weight: a title, b summary, c body, d hidden words. */
export interface WeightedText {
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly d: string;
}

/** The weighted text of a document (segmented here, in the application). */
export function weightedText(d: SearchDocument): WeightedText {
  return {
    a: segment(`${d.title.en}\n${d.title.zh}\n${d.titleExtra}`),
    b: segment(`${d.summary.en}\n${d.summary.zh}`),
    c: segment(`${d.body.en}\n${d.body.zh}`),
    d: segment(d.hidden),
  };
}

const BATCH = 500;

/**
 * Inserts documents (which must not exist yet) with their word vectors, and counts their words into the spelling
 * vocabulary. Words are segmented in the application (`segmented`, by default weightedText); the database weighs and
 * indexes them.
 */
export async function insertDocuments(
  q: Queryable,
  docs: readonly SearchDocument[],
  segmented: (d: SearchDocument) => WeightedText = weightedText,
): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const batch = docs.slice(i, i + BATCH);
    const cols: unknown[][] = Array.from({ length: 21 }, () => []);
    const termCounts = new Map<string, number>();
    for (const d of batch) {
      const w = segmented(d);
      const terms = vocabulary(`${w.a} ${w.b} ${w.c} ${w.d}`);
      for (const t of terms) termCounts.set(t, (termCounts.get(t) ?? 0) + 1);
      const row = [
        d.key,
        d.type,
        d.id,
        d.instrumentId,
        d.jurisdiction,
        d.kind,
        d.year,
        d.topics.join(' '),
        d.issuers.join(' '),
        d.title.en,
        d.title.zh,
        d.summary.en,
        d.summary.zh,
        d.body.en,
        d.body.zh,
        d.url,
        terms.join(' '),
        w.a,
        w.b,
        w.c,
        w.d,
      ];
      row.forEach((v, c) => cols[c]?.push(v));
    }
    await q.query(
      `INSERT INTO search_documents (key, type, id, instrument_id, jurisdiction, kind, year, topics, issuers,
         title_en, title_zh, summary_en, summary_zh, body_en, body_zh, url, terms, tsv_title, tsv)
       SELECT key, type, id, instrument_id, jurisdiction, kind, year,
              string_to_array(topics, ' '), string_to_array(issuers, ' '),
              title_en, title_zh, summary_en, summary_zh, body_en, body_zh, url, string_to_array(terms, ' '),
              to_tsvector('english', a),
              setweight(to_tsvector('english', a), 'A') || setweight(to_tsvector('english', b), 'B') ||
              setweight(to_tsvector('english', c), 'C') || setweight(to_tsvector('english', d), 'D')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                   $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[])
         AS x(key, type, id, instrument_id, jurisdiction, kind, year, topics, issuers, title_en, title_zh,
              summary_en, summary_zh, body_en, body_zh, url, terms, a, b, c, d)`,
      cols,
    );
    if (termCounts.size > 0) {
      await q.query(
        `INSERT INTO search_terms (term, docs) SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (term) DO UPDATE SET docs = search_terms.docs + EXCLUDED.docs`,
        [[...termCounts.keys()], [...termCounts.values()]],
      );
    }
  }
}

/** Inserts status spans (the instrument's old spans must have been deleted). */
export async function insertStatusSpans(q: Queryable, spans: readonly StatusSpan[]): Promise<void> {
  for (let i = 0; i < spans.length; i += BATCH * 4) {
    const batch = spans.slice(i, i + BATCH * 4);
    await q.query(
      `INSERT INTO search_status (instrument_id, from_day, to_day, status)
       SELECT * FROM unnest($1::text[], $2::date[], $3::date[], $4::text[])`,
      [batch.map((s) => s.instrumentId), batch.map((s) => s.from), batch.map((s) => s.to), batch.map((s) => s.status)],
    );
  }
}

/** Deletes the documents matching a condition and takes their words out of the vocabulary. */
async function deleteDocuments(q: Queryable, where: string, params: readonly unknown[]): Promise<void> {
  await q.query(
    `WITH gone AS (DELETE FROM search_documents WHERE ${where} RETURNING terms),
          counted AS (SELECT term, count(*)::int AS n FROM gone, unnest(gone.terms) AS term GROUP BY term)
     UPDATE search_terms t SET docs = t.docs - counted.n FROM counted WHERE t.term = counted.term`,
    params,
  );
}

/** Every document and status span the store's entities make (what a rebuild writes). */
export async function allDocuments(q: Queryable): Promise<{ docs: SearchDocument[]; spans: StatusSpan[] }> {
  const ctx = await loadIndexContext(q);
  if (!ctx) return { docs: [], spans: [] };
  return buildDocuments(q, ctx, { instruments: null, programmes: null, articles: null });
}

/** Documents and status spans for the given entities (null = all of that kind), read from the store. */
async function buildDocuments(
  q: Queryable,
  ctx: IndexContext,
  ids: {
    instruments: readonly string[] | null;
    programmes: readonly string[] | null;
    articles: readonly string[] | null;
  },
): Promise<{ docs: SearchDocument[]; spans: StatusSpan[] }> {
  const docs: SearchDocument[] = [];
  const spans: StatusSpan[] = [];
  const repo = new KnowledgeRepository(q);
  for (const inst of await repo.instrumentsById(ids.instruments)) {
    docs.push(...instrumentDocuments(inst, ctx));
    spans.push(...statusSpans(inst, ctx));
  }
  const programmes = await repo.programmesById(ids.programmes);
  const owners = new Map(
    (await repo.instrumentsById([...new Set(programmes.map((p) => p.instrument))])).map((i) => [i.id, i]),
  );
  for (const p of programmes) docs.push(programmeDocument(p, owners.get(p.instrument), ctx));
  const articles = await repo.articlesById(ids.articles);
  if (articles.length > 0) {
    const revisions = await repo.latestRevisions(ids.articles);
    for (const a of articles) docs.push(articleDocument(a, revisions.get(a.id) ?? new Map(), ctx));
  }
  return { docs, spans };
}

/**
 * Moves the word indexes' pending entries (where GIN puts fresh rows until a vacuum) into the indexes proper: a
 * search reads the whole pending list, so after a bulk write it is merged at once.
 */
export async function mergePendingEntries(q: Queryable): Promise<void> {
  await q.query(
    "SELECT gin_clean_pending_list('search_documents_tsv'::regclass), gin_clean_pending_list('search_documents_tsv_title'::regclass)",
  );
}

export interface IndexStats {
  readonly documents: number;
  readonly terms: number;
}

/** Empties the index and builds it again from every entity in the store (`horizon reindex`). */
export async function rebuildSearchIndex(q: Queryable): Promise<IndexStats> {
  await q.query('DELETE FROM search_documents');
  await q.query('DELETE FROM search_status');
  await q.query('DELETE FROM search_terms');
  const ctx = await loadIndexContext(q);
  if (!ctx) return { documents: 0, terms: 0 };
  const { docs, spans } = await buildDocuments(q, ctx, { instruments: null, programmes: null, articles: null });
  await insertDocuments(q, docs);
  await insertStatusSpans(q, spans);
  await mergePendingEntries(q);
  const terms = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM search_terms');
  return { documents: docs.length, terms: terms[0]?.n ?? 0 };
}

/** Entity kinds whose change can alter the words of many documents: the index is rebuilt when one changes. */
const EVERYWHERE = new Set(['document', 'jurisdiction', 'chapter']);

/**
 * Brings the index in step after writes to the entities with these keys (`instrument:ID`, `programme:ID`,
 * `article:ID`, `revision:ARTICLE/DATE/LANG`, `body:ID`, …), added, changed or removed. Call it inside the
 * transaction that made the writes, after them.
 */
export async function syncSearchIndex(q: Queryable, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const split = keys.map((k) => {
    const at = k.indexOf(':');
    return { kind: k.slice(0, at), id: k.slice(at + 1) };
  });
  if (split.some((k) => EVERYWHERE.has(k.kind))) {
    await rebuildSearchIndex(q);
    return;
  }
  const ids = (kind: string) => split.filter((k) => k.kind === kind).map((k) => k.id);
  const instruments = new Set(ids('instrument'));
  const bodies = ids('body');
  if (bodies.length > 0) {
    const issued = await q.query<{ id: string }>(
      'SELECT DISTINCT instrument_id AS id FROM instrument_issuers WHERE body_id = ANY($1)',
      [bodies],
    );
    for (const r of issued) instruments.add(r.id);
  }
  const programmes = new Set(ids('programme'));
  if (instruments.size > 0) {
    const owned = await q.query<{ id: string }>('SELECT id FROM programmes WHERE instrument_id = ANY($1)', [
      [...instruments],
    ]);
    for (const r of owned) programmes.add(r.id);
  }
  const articles = new Set([...ids('article'), ...ids('revision').map((id) => id.split('/')[0] ?? '')]);
  const list = { instruments: [...instruments], programmes: [...programmes], articles: [...articles] };
  if (list.instruments.length + list.programmes.length + list.articles.length === 0) return;

  await deleteDocuments(
    q,
    `(type IN ('instrument', 'event') AND instrument_id = ANY($1)) OR (type = 'programme' AND id = ANY($2))
     OR (type = 'article' AND id = ANY($3))`,
    [list.instruments, list.programmes, list.articles],
  );
  await q.query('DELETE FROM search_status WHERE instrument_id = ANY($1)', [list.instruments]);
  const ctx = await loadIndexContext(q);
  if (ctx) {
    const { docs, spans } = await buildDocuments(q, ctx, list);
    await insertDocuments(q, docs);
    await insertStatusSpans(q, spans);
  }
  await q.query('DELETE FROM search_terms WHERE docs <= 0');
}
