// The relevance set (relevance.json) and how a search engine is scored on it: precision at 3 and recall at 10.
import fs from 'node:fs';

export interface RelevanceQuery {
  readonly q: string;
  readonly lang: 'en' | 'zh' | 'mixed';
  readonly typo?: boolean;
  /** Results (type:id) that must appear in the top 3. */
  readonly must: readonly string[];
}

export const RELEVANCE: readonly RelevanceQuery[] = (
  JSON.parse(fs.readFileSync(new URL('./relevance.json', import.meta.url), 'utf8')) as { queries: RelevanceQuery[] }
).queries;

export interface QueryScore {
  readonly query: RelevanceQuery;
  readonly top: readonly string[];
  /** Share of the must-have results found in the top 3 (of at most 3). */
  readonly precisionAt3: number;
  /** Share of the must-have results found in the top 10. */
  readonly recallAt10: number;
}

export interface RelevanceScore {
  readonly precisionAt3: number;
  readonly recallAt10: number;
  readonly queries: readonly QueryScore[];
}

/**
 * Scores a search function (query → result keys, best first) on the set. Precision@3 of a query is the share of its
 * top 3 slots that could hold a must-have result and do: found in top 3 / min(3, must-haves). Recall@10 is found in
 * top 10 / must-haves. Both are averaged over the queries.
 */
export async function scoreRelevance(search: (q: string) => Promise<readonly string[]>): Promise<RelevanceScore> {
  const queries: QueryScore[] = [];
  for (const query of RELEVANCE) {
    const top = (await search(query.q)).slice(0, 10);
    const found = (n: number) => query.must.filter((k) => top.slice(0, n).includes(k)).length;
    queries.push({
      query,
      top,
      precisionAt3: found(3) / Math.min(3, query.must.length),
      recallAt10: found(10) / query.must.length,
    });
  }
  const mean = (f: (s: QueryScore) => number) => queries.reduce((sum, s) => sum + f(s), 0) / queries.length;
  return { precisionAt3: mean((s) => s.precisionAt3), recallAt10: mean((s) => s.recallAt10), queries };
}
