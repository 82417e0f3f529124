// The SQL of a search: near spellings from the vocabulary, ranked candidates, and facet counts over the matched set.
// Same statements on PGlite and PostgreSQL.
import type { Status } from '../domain/types.ts';
import type { Database, Queryable } from '../store/database.ts';
import type { SearchType } from './document.ts';
import type { TsQueries } from './query.ts';

export const FACETS = ['type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year'] as const;
export type FacetName = (typeof FACETS)[number];

/** Filters of a search: within a facet any value, across facets all. Jurisdictions already include descendants. */
export interface SearchFilters {
  readonly type?: readonly SearchType[];
  readonly jurisdiction?: readonly string[];
  readonly kind?: readonly string[];
  readonly status?: readonly Status[];
  readonly topic?: readonly string[];
  readonly issuer?: readonly string[];
  readonly year?: readonly number[];
}

/** Collects parameters and hands out their $n placeholders. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const STATUS_JOIN = (asOf: string) =>
  `LEFT JOIN search_status s ON s.instrument_id = d.instrument_id AND s.from_day <= ${asOf}::date
     AND (s.to_day IS NULL OR s.to_day > ${asOf}::date)`;

/** WHERE conditions for the filters, over columns of search_documents (or the matched set), leaving one facet out. */
function conditions(f: SearchFilters, p: Params, status: string, except?: FacetName): string[] {
  const out: string[] = [];
  const list = (name: FacetName, values: readonly unknown[] | undefined, sql: (param: string) => string) => {
    if (name !== except && values && values.length > 0) out.push(sql(p.add(values)));
  };
  list('type', f.type, (x) => `type = ANY(${x}::text[])`);
  list('jurisdiction', f.jurisdiction, (x) => `jurisdiction = ANY(${x}::text[])`);
  list('kind', f.kind, (x) => `kind = ANY(${x}::text[])`);
  list('status', f.status, (x) => status.replace('$$', () => x));
  list('topic', f.topic, (x) => `topics && ${x}::text[]`);
  list('issuer', f.issuer, (x) => `issuers && ${x}::text[]`);
  list('year', f.year, (x) => `year = ANY(${x}::int[])`);
  return out;
}

/**
 * For each word, the word itself when the vocabulary has it (one index lookup), else the vocabulary's closest terms
 * by trigram similarity.
 */
export async function nearTerms(
  q: Queryable,
  list: readonly string[],
): Promise<Map<string, { term: string; similarity: number }[]>> {
  const out = new Map<string, { term: string; similarity: number }[]>();
  if (list.length === 0) return out;
  const rows = await q.query<{ word: string; term: string | null; sim: number | null }>(
    `SELECT w.word, t.term, t.sim::float8 AS sim FROM unnest($1::text[]) AS w(word)
     LEFT JOIN LATERAL (
       SELECT w.word AS term, 1.0::real AS sim WHERE EXISTS (SELECT 1 FROM search_terms WHERE term = w.word)
       UNION ALL
       (SELECT term, similarity(term, w.word) AS sim FROM search_terms
        WHERE NOT EXISTS (SELECT 1 FROM search_terms WHERE term = w.word) AND term % w.word
        ORDER BY similarity(term, w.word) DESC, docs DESC, term LIMIT 3)
     ) t ON true`,
    [list],
  );
  for (const r of rows) {
    const found = out.get(r.word) ?? [];
    if (r.term !== null && r.sim !== null) found.push({ term: r.term, similarity: r.sim });
    out.set(r.word, found);
  }
  return out;
}

/** One ranked document as the database returns it. */
export interface RankedRow {
  readonly score: number;
  readonly key: string;
  readonly type: SearchType;
  readonly id: string;
  readonly url: string;
  readonly instrument_id: string | null;
  readonly jurisdiction: string | null;
  readonly kind: string | null;
  readonly year: number | null;
  readonly title_en: string;
  readonly title_zh: string;
  readonly summary_en: string;
  readonly summary_zh: string;
  readonly body_en: string;
  readonly body_zh: string;
  readonly status: Status | null;
}

/** How much each kind of document counts: an instrument over the events that mention its title. */
const TYPE_WEIGHT = `CASE d.type WHEN 'instrument' THEN 1.0 WHEN 'programme' THEN 0.9 WHEN 'article' THEN 0.8 ELSE 0.6 END`;

/**
 * The best documents. Candidates are capped: those with every word in the title, and only when there are fewer than
 * the cap, others. They are ranked by cover density (words close together rank higher, weighted title over summary
 * over body over hidden words, one read of the word vector per candidate), and by whether the title has every word,
 * the whole phrase as typed, and each group's words side by side.
 */
export async function rankedSearch(
  q: Searchable,
  ts: TsQueries,
  filters: SearchFilters,
  asOf: string,
  page: { limit: number; offset: number; cap: number },
): Promise<RankedRow[]> {
  const p = new Params();
  const m = `to_tsquery('english', ${p.add(ts.match)})`;
  const g = `to_tsquery('english', ${p.add(ts.groups)})`;
  const ph = `to_tsquery('english', ${p.add(ts.phrase)})`;
  const day = p.add(asOf);
  const status = `EXISTS (SELECT 1 FROM search_status s WHERE s.instrument_id = d.instrument_id
      AND s.from_day <= ${day}::date AND (s.to_day IS NULL OR s.to_day > ${day}::date) AND s.status = ANY($$::text[]))`;
  const where = conditions(filters, p, status)
    .map((c) => ` AND ${c}`)
    .join('');
  const cap = p.add(page.cap);
  const sql = `
    WITH titled AS MATERIALIZED (
      SELECT d.key FROM search_documents d WHERE d.tsv_title @@ ${m}${where} LIMIT ${cap}
    ),
    cand AS (
      SELECT key FROM titled
      UNION
      (SELECT d.key FROM search_documents d
       WHERE (SELECT count(*) FROM titled) < ${cap} AND d.tsv @@ ${m}${where} LIMIT ${cap})
    ),
    ranked AS (
      SELECT d.key, (${TYPE_WEIGHT}) * (
          2 * ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.tsv, ${m}, 1)
          + CASE WHEN d.tsv_title @@ ${m} THEN 3 ELSE 0 END
          + CASE WHEN d.tsv_title @@ ${ph} THEN 1.5 ELSE 0 END
          + CASE WHEN d.tsv_title @@ ${g} THEN 0.5 ELSE 0 END) AS score
      FROM cand JOIN search_documents d ON d.key = cand.key
      ORDER BY score DESC, d.key LIMIT ${p.add(page.limit)} OFFSET ${p.add(page.offset)}
    )
    SELECT r.score::float8 AS score, d.key, d.type, d.id, d.url, d.instrument_id, d.jurisdiction, d.kind, d.year,
           d.title_en, d.title_zh, d.summary_en, d.summary_zh, d.body_en, d.body_zh, s.status
    FROM ranked r JOIN search_documents d ON d.key = r.key ${STATUS_JOIN(day)}
    ORDER BY r.score DESC, d.key`;
  return indexed(q, (tx) => tx.query<RankedRow>(sql, p.values));
}

/** Something to search: a database (each search in its own transaction) or an open transaction. */
export type Searchable = Queryable & Partial<Pick<Database, 'transaction'>>;

/**
 * Runs fn where the planner reads matches through the word indexes: with a LIMIT, it would otherwise scan the table
 * in order and read (and decompress) every row's word vector until enough rows match, which is many times slower
 * for words that are neither rare nor everywhere.
 */
async function indexed<T>(q: Searchable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  if (!q.transaction) return fn(q);
  return q.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    return fn(tx);
  });
}

/** Counts per value of each facet over the matched set (each facet filtered by all the others), and the total. */
export async function facetCounts(
  q: Searchable,
  ts: TsQueries,
  filters: SearchFilters,
  asOf: string,
): Promise<{ total: number; counts: Map<FacetName, Map<string, number>> }> {
  const p = new Params();
  const m = `to_tsquery('english', ${p.add(ts.match)})`;
  const day = p.add(asOf);
  const statusCond = 'status = ANY($$::text[])';
  const where = (except?: FacetName) => {
    const c = conditions(filters, p, statusCond, except);
    return c.length > 0 ? `WHERE ${c.join(' AND ')}` : '';
  };
  const column: Record<FacetName, string> = {
    type: 'SELECT type AS value, count(*)::int AS n FROM matched',
    jurisdiction: 'SELECT jurisdiction AS value, count(*)::int AS n FROM matched',
    kind: 'SELECT kind AS value, count(*)::int AS n FROM matched',
    status: 'SELECT status AS value, count(*)::int AS n FROM matched',
    topic: 'SELECT value, count(*)::int AS n FROM matched CROSS JOIN unnest(topics) AS value',
    issuer: 'SELECT value, count(*)::int AS n FROM matched CROSS JOIN unnest(issuers) AS value',
    year: 'SELECT year::text AS value, count(*)::int AS n FROM matched',
  };
  const parts = [
    ...Object.entries(column).map(
      ([facet, select]) =>
        `SELECT '${facet}' AS facet, value, n FROM (${select} ${where(facet as FacetName)} GROUP BY 1) x`,
    ),
    `SELECT 'total' AS facet, NULL AS value, count(*)::int AS n FROM matched ${where()}`,
  ];
  const sql = `
    WITH matched AS MATERIALIZED (
      SELECT d.type, d.jurisdiction, d.kind, d.year, d.topics, d.issuers, s.status
      FROM search_documents d ${STATUS_JOIN(day)}
      WHERE d.tsv @@ ${m}
    )
    ${parts.join('\nUNION ALL ')}`;
  const rows = await indexed(q, (tx) =>
    tx.query<{ facet: FacetName | 'total'; value: string | null; n: number }>(sql, p.values),
  );
  const counts = new Map<FacetName, Map<string, number>>();
  let total = 0;
  for (const r of rows) {
    if (r.facet === 'total') {
      total = r.n;
      continue;
    }
    if (r.value === null) continue;
    const f = counts.get(r.facet) ?? new Map<string, number>();
    f.set(r.value, r.n);
    counts.set(r.facet, f);
  }
  return { total, counts };
}

/** True when the text-search query keeps no word after stop words are dropped ("the", "of"). */
export async function isEmptyTsQuery(q: Queryable, match: string): Promise<boolean> {
  const rows = await q.query<{ n: number }>(`SELECT numnode(to_tsquery('english', $1))::int AS n`, [match]);
  return (rows[0]?.n ?? 0) === 0;
}
