// Search benchmark: a synthetic corpus of 100,000 bilingual instruments shaped like the shipped content, indexed by
// Horizon's search on PGlite and on the PostgreSQL server and by two anchors on the same segmented text — SQLite FTS5
// (better-sqlite3, unicode61) and MiniSearch (in memory, on a 20,000-document slice) — then one fixed mix of 1,000
// queries on each: index build time, median and p95 latency, memory; and relevance on the shipped content's
// relevance set (test/search/relevance.json) for all of them.
// SEARCH_BENCH_DOCS=N changes the corpus size; HORIZON_BENCH_DATABASE_URL the server (default the local test db).
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import pg from 'pg';
import { applyBundle } from '../src/content/import.ts';
import type { Bundle } from '../src/domain/types.ts';
import { instrumentDocuments, statusSpans, type SearchDocument } from '../src/search/document.ts';
import {
  allDocuments,
  insertDocuments,
  insertStatusSpans,
  loadIndexContext,
  mergePendingEntries,
  weightedText,
  type WeightedText,
} from '../src/search/search-index.store.ts';
import { searchKnowledgeBase } from '../src/search/search.service.ts';
import { segment } from '../src/search/segment.ts';
import { openDatabase, type Database as HorizonDb } from '../src/store/database.ts';
import { scoreRelevance, type RelevanceScore } from '../test/search/relevance.ts';
import { fixed, median, now, printTable, settle } from './harness.ts';
import { generateCorpus, queryMix, shippedBundle } from './search-corpus.ts';

const DOCS = Number(process.env.SEARCH_BENCH_DOCS ?? 100_000);
const MINI_DOCS = Math.min(DOCS, 20_000);
const QUERIES = 1000;
const WITH_FACETS = 200;
const AS_OF = '2026-11-29';
const SERVER = process.env.HORIZON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GOAL_P95 = { postgres: 20, pglite: 40 } as const;

const p95 = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? 0;
};
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;
const rssMiB = (): number => process.memoryUsage().rss / 1048576;

/** An engine's answers to the query mix: latencies in ms. */
interface Timing {
  readonly median: number;
  readonly p95: number;
}
function timing(xs: readonly number[]): Timing {
  return { median: median(xs), p95: p95(xs) };
}

/** Times one async search per query (after a warm-up pass over the first 50). */
async function timeQueries(queries: readonly string[], search: (q: string) => Promise<unknown>): Promise<number[]> {
  for (const q of queries.slice(0, 50)) await search(q);
  const times: number[] = [];
  for (const q of queries) {
    const t = now();
    await search(q);
    times.push(now() - t);
  }
  return times;
}

// ---- anchors -----------------------------------------------------------------------------------------------------

const keyOf = (d: SearchDocument) => d.key;

/** SQLite FTS5 with unicode61 over the same segmented text; all words (then any word) ranked by weighted bm25. */
class Fts5Anchor {
  readonly db = new Database(':memory:');
  constructor() {
    this.db.exec(
      "CREATE VIRTUAL TABLE fts USING fts5(key UNINDEXED, title, summary, body, hidden, tokenize = 'unicode61')",
    );
  }
  add(docs: readonly SearchDocument[], texts: (d: SearchDocument) => WeightedText): void {
    const insert = this.db.prepare('INSERT INTO fts (key, title, summary, body, hidden) VALUES (?, ?, ?, ?, ?)');
    const tx = this.db.transaction((list: readonly SearchDocument[]) => {
      for (const d of list) {
        const w = texts(d);
        insert.run(keyOf(d), w.a, w.b, w.c, w.d);
      }
    });
    tx(docs);
  }
  private readonly stmt = () =>
    this.db.prepare('SELECT key FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, 8, 4, 2, 1) LIMIT 10');
  private cached: ReturnType<Fts5Anchor['stmt']> | undefined;
  search(q: string): string[] {
    const words = segment(q)
      .split(' ')
      .filter((w) => w !== '');
    if (words.length === 0) return [];
    this.cached ??= this.stmt();
    const all = this.cached.all(words.map((w) => `"${w}"`).join(' ')) as { key: string }[];
    const rows = all.length > 0 ? all : (this.cached.all(words.map((w) => `"${w}"`).join(' OR ')) as { key: string }[]);
    return rows.map((r) => r.key);
  }
  bytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }
}

/** MiniSearch over the same segmented text: fields boosted like ours, fuzzy 0.2, all words (then any word). */
function miniSearch(docs: readonly SearchDocument[], texts: (d: SearchDocument) => WeightedText) {
  const index = new MiniSearch<{ key: string; title: string; summary: string; body: string; hidden: string }>({
    idField: 'key',
    fields: ['title', 'summary', 'body', 'hidden'],
    tokenize: (text) => text.split(' '),
    processTerm: (term) => (term === '' ? null : term.toLowerCase()),
    searchOptions: { boost: { title: 8, summary: 4, body: 2, hidden: 1 }, fuzzy: 0.2, combineWith: 'AND' },
  });
  index.addAll(
    docs.map((d) => {
      const w = texts(d);
      return { key: d.key, title: w.a, summary: w.b, body: w.c, hidden: w.d };
    }),
  );
  return {
    index,
    search(q: string): string[] {
      const text = segment(q);
      if (text === '') return [];
      const all = index.search(text);
      const rows = all.length > 0 ? all : index.search(text, { combineWith: 'OR' });
      return rows.slice(0, 10).map((r) => String(r.id));
    },
  };
}

// ---- Horizon on one database ---------------------------------------------------------------------------------------

interface DbFigures {
  readonly name: 'pglite' | 'postgres';
  readonly relevance: RelevanceScore;
  readonly buildMs: number;
  readonly bytes: number;
  readonly rssDelta: number;
  readonly ranked: Timing;
  readonly full: Timing;
  readonly naive: Timing;
}

async function openServerDb(): Promise<{ db: HorizonDb; drop: () => Promise<void> } | null> {
  const name = `horizon_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    console.log(`NOTICE: PostgreSQL at ${SERVER} not measured: ${(error as Error).message}`);
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: SERVER });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const searchKeys = async (db: HorizonDb, q: string) =>
  (await searchKnowledgeBase(db, { q, asOf: AS_OF, facets: false })).results.map((r) => `${r.type}:${r.id}`);

async function measureDb(
  name: 'pglite' | 'postgres',
  db: HorizonDb,
  bundle: Bundle,
  docs: readonly SearchDocument[],
  spans: Parameters<typeof insertStatusSpans>[1],
  texts: (d: SearchDocument) => WeightedText,
  queries: readonly string[],
): Promise<DbFigures> {
  await applyBundle(db, bundle);
  const relevance = await scoreRelevance((q) => searchKeys(db, q));
  settle();
  const rss0 = rssMiB();
  const t0 = now();
  await db.transaction(async (tx) => {
    await insertDocuments(tx, docs, texts);
    await insertStatusSpans(tx, spans);
    await mergePendingEntries(tx);
  });
  await db.query('ANALYZE search_documents');
  const buildMs = now() - t0;
  const rssDelta = rssMiB() - rss0;
  const size = await db.query<{ n: number }>(
    `SELECT (pg_total_relation_size('search_documents') + pg_total_relation_size('search_status')
       + pg_total_relation_size('search_terms'))::float8 AS n`,
  );
  const ranked = timing(await timeQueries(queries, (q) => searchKeys(db, q)));
  const full = timing(
    await timeQueries(queries.slice(0, WITH_FACETS), (q) => searchKnowledgeBase(db, { q, asOf: AS_OF })),
  );
  const naive = timing(
    await timeQueries(queries.slice(0, WITH_FACETS), (q) =>
      db.query(
        `SELECT key FROM search_documents WHERE tsv @@ plainto_tsquery('english', $1)
         ORDER BY ts_rank(tsv, plainto_tsquery('english', $1)) DESC LIMIT 10`,
        [segment(q)],
      ),
    ),
  );
  return { name, relevance, buildMs, bytes: size[0]?.n ?? 0, rssDelta, ranked, full, naive };
}

export async function run(): Promise<void> {
  const bundle = shippedBundle();
  let t = now();
  const corpus = generateCorpus(DOCS, bundle);
  const queries = queryMix(QUERIES, bundle);
  console.log(
    `corpus: ${DOCS} synthetic instruments (generated in ${fixed((now() - t) / 1000)} s), ${QUERIES} queries`,
  );

  // Documents of the corpus (instrument documents: one per instrument) and the shipped content, built once.
  const shippedDb = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
  await applyBundle(shippedDb, bundle);
  const ctx = await loadIndexContext(shippedDb);
  if (!ctx) throw new Error('no taxonomy');
  const shipped = (await allDocuments(shippedDb)).docs;
  await shippedDb.close();
  const docs = corpus.map((i) => instrumentDocuments(i, ctx)[0] as SearchDocument);
  const spans = corpus.flatMap((i) => statusSpans(i, ctx));

  t = now();
  const segmented = new Map(docs.map((d) => [d.key, weightedText(d)]));
  const segmentMs = now() - t;
  const chars = docs.reduce(
    (n, d) => n + d.title.en.length + d.title.zh.length + d.summary.en.length + d.summary.zh.length,
    0,
  );
  console.log(
    `segmentation (shared by every engine): ${fixed(segmentMs / 1000)} s for ${(chars / 1e6).toFixed(1)} M characters`,
  );
  const texts = (d: SearchDocument) => segmented.get(d.key) ?? weightedText(d);

  // Relevance of the anchors on the shipped content.
  const ftsShipped = new Fts5Anchor();
  ftsShipped.add(shipped, weightedText);
  const ftsRelevance = await scoreRelevance((q) => Promise.resolve(ftsShipped.search(q)));
  const miniShipped = miniSearch(shipped, weightedText);
  const miniRelevance = await scoreRelevance((q) => Promise.resolve(miniShipped.search(q)));

  // Horizon on PGlite and on the server.
  const figures: DbFigures[] = [];
  const lite = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
  figures.push(await measureDb('pglite', lite, bundle, docs, spans, texts, queries));
  await lite.close();
  settle();
  const server = await openServerDb();
  if (server) {
    try {
      figures.push(await measureDb('postgres', server.db, bundle, docs, spans, texts, queries));
    } finally {
      await server.drop();
    }
  }

  // FTS5 on the whole corpus.
  settle();
  let rss0 = rssMiB();
  t = now();
  const fts = new Fts5Anchor();
  fts.add(docs, texts);
  const ftsBuild = now() - t;
  const ftsRss = rssMiB() - rss0;
  const ftsTimes = timing(await timeQueries(queries, (q) => Promise.resolve(fts.search(q))));
  const ftsBytes = fts.bytes();
  fts.db.close();

  // MiniSearch on a slice.
  settle();
  const heap0 = process.memoryUsage().heapUsed;
  rss0 = rssMiB();
  t = now();
  const mini = miniSearch(docs.slice(0, MINI_DOCS), texts);
  const miniBuild = now() - t;
  settle();
  const miniHeap = process.memoryUsage().heapUsed - heap0;
  const miniTimes = timing(await timeQueries(queries, (q) => Promise.resolve(mini.search(q))));

  console.log(
    `\nRelevance on the shipped content (${ftsRelevance.queries.length} queries; P@3 = must-haves in top 3 / min(3, must-haves))`,
  );
  const rel = (r: RelevanceScore) => [fixed(r.precisionAt3, 3), fixed(r.recallAt10, 3)];
  printTable(
    ['engine', 'P@3', 'R@10'],
    [
      ...figures.map((f) => [`Horizon on ${f.name}`, ...rel(f.relevance)]),
      ['SQLite FTS5 (unicode61)', ...rel(ftsRelevance)],
      ['MiniSearch (fuzzy 0.2)', ...rel(miniRelevance)],
    ],
  );
  const missed = (r: RelevanceScore) =>
    r.queries
      .filter((q) => q.recallAt10 < 1)
      .map((q) => q.query.q)
      .join(' | ') || 'none';
  console.log(`FTS5 misses: ${missed(ftsRelevance)}\nMiniSearch misses: ${missed(miniRelevance)}`);

  console.log(`\nSpeed on ${DOCS} documents, ${QUERIES} queries (ms; "ranked" = top 10 with snippets, no facets)`);
  printTable(
    ['engine', 'docs', 'build s', 'median', 'p95', 'p95 goal', 'memory'],
    [
      ...figures.flatMap((f) => [
        [
          `Horizon ranked, ${f.name}`,
          String(DOCS),
          fixed(f.buildMs / 1000),
          fixed(f.ranked.median, 2),
          fixed(f.ranked.p95, 2),
          `≤ ${GOAL_P95[f.name]}: ${f.ranked.p95 <= GOAL_P95[f.name] ? 'met' : 'MISSED'}`,
          `${mib(f.bytes)} in tables${f.name === 'pglite' ? `, +${fixed(f.rssDelta, 0)} MiB RSS` : ''}`,
        ],
        [
          `Horizon with facets (first ${WITH_FACETS}), ${f.name}`,
          '',
          '',
          fixed(f.full.median, 2),
          fixed(f.full.p95, 2),
          '',
          '',
        ],
        [
          `naive ts_rank over all matches (first ${WITH_FACETS}), ${f.name}`,
          '',
          '',
          fixed(f.naive.median, 2),
          fixed(f.naive.p95, 2),
          '',
          '',
        ],
      ]),
      [
        'SQLite FTS5 (better-sqlite3 12)',
        String(DOCS),
        fixed(ftsBuild / 1000),
        fixed(ftsTimes.median, 2),
        fixed(ftsTimes.p95, 2),
        '',
        `${mib(ftsBytes)} database, +${fixed(ftsRss, 0)} MiB RSS`,
      ],
      [
        'MiniSearch 7 (20k slice)',
        String(MINI_DOCS),
        fixed(miniBuild / 1000),
        fixed(miniTimes.median, 2),
        fixed(miniTimes.p95, 2),
        '',
        `${mib(miniHeap)} heap`,
      ],
    ],
  );
  console.log(`segmentation, shared: ${fixed(segmentMs / 1000)} s (not in the build figures)`);
  for (const f of figures) {
    if (f.ranked.p95 > GOAL_P95[f.name]) {
      console.error(`!!! ${f.name}: ranked p95 ${fixed(f.ranked.p95, 1)} ms misses the goal of ${GOAL_P95[f.name]} ms`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
