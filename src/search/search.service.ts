// searchKnowledgeBase: one search from typed words and filters to ranked, highlighted results with facet counts.
// The routes, the CLI and the guide page all call it; it checks its input and answers bad queries with 400s.
import { errors } from '../errors.ts';
import {
  STATUSES,
  type Bilingual,
  type Body,
  type Jurisdiction,
  type Lang,
  type Status,
  type Taxonomy,
} from '../domain/types.ts';
import type { Queryable } from '../store/database.ts';
import { PROGRAMME_KIND_LABELS, SEARCH_TYPES, type SearchType } from './document.ts';
import {
  QueryProblem,
  canRelax,
  parseQuery,
  spellCheckable,
  tsQueries,
  withCorrections,
  type ParsedQuery,
} from './query.ts';
import { snippets } from './snippet.ts';
import {
  FACETS,
  facetCounts,
  isEmptyTsQuery,
  nearTerms,
  rankedSearch,
  type FacetName,
  type SearchFilters,
  type Searchable,
} from './search.repository.ts';
import { depthOf, descendantsOf, treeOf, type JurisdictionTree } from '../domain/jurisdictions.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 50;
export const MAX_OFFSET = 1000;
/** Candidates ranked per search (at least offset + limit). */
const CANDIDATES = 100;
/** How close a vocabulary word must be (trigram similarity) to stand in for a word the index does not know. */
const NEAR = 0.3;

/** What a caller asks: the typed words, filters by facet (codes), the as-of date for status. */
export interface SearchRequest {
  readonly q: string;
  readonly asOf: string;
  readonly filters?: { readonly [F in FacetName]?: readonly string[] };
  readonly limit?: number;
  readonly offset?: number;
  /** The reader's language: breaks ties when choosing a snippet's language. */
  readonly lang?: Lang;
  /** Count facets (default true); the benchmark measures ranked results alone with false. */
  readonly facets?: boolean;
}

export interface SearchHit {
  readonly type: SearchType;
  readonly id: string;
  readonly title: Bilingual;
  /** HTML: escaped text with the matching words in <mark>. */
  readonly snippet: string;
  readonly snippetText: string;
  readonly snippetLang: Lang;
  readonly score: number;
  readonly url: string;
  readonly instrument: string | null;
  readonly jurisdiction: string | null;
  readonly kind: string | null;
  readonly year: number | null;
  /** Status of its instrument as of the date (null: none, or not yet issued). */
  readonly status: Status | null;
}

export interface FacetValue {
  readonly value: string;
  readonly label: Bilingual;
  readonly count: number;
  readonly selected: boolean;
  /** Jurisdictions: depth in the tree (0 = national). */
  readonly depth?: number;
}

export interface SearchOutcome {
  readonly query: string;
  readonly asOf: string;
  readonly total: number | null;
  readonly limit: number;
  readonly offset: number;
  /** No document had every word: these results have some of them. */
  readonly relaxed: boolean;
  /** The query held only words too common to search for ("the", "of"). */
  readonly onlyCommonWords: boolean;
  /** Words the index does not know and the near spellings searched as well. */
  readonly corrections: readonly { readonly word: string; readonly suggestions: readonly string[] }[];
  readonly message: string | null;
  readonly results: readonly SearchHit[];
  readonly facets: { readonly [F in FacetName]: readonly FacetValue[] } | null;
}

const TYPE_LABELS: Record<SearchType, Bilingual> = {
  instrument: { en: 'Instruments', zh: '文件' },
  event: { en: 'Lifecycle events', zh: '生命周期事件' },
  programme: { en: 'Programmes', zh: '项目与义务' },
  article: { en: 'Guide articles', zh: '指南文章' },
};

/** Names for facet values, read from the store per search (small tables). */
interface Names {
  readonly taxonomy: Taxonomy | null;
  readonly jurisdictions: readonly Jurisdiction[];
  readonly tree: JurisdictionTree;
  readonly bodies: ReadonlyMap<string, Body>;
}

async function names(q: Queryable): Promise<Names> {
  const repo = new KnowledgeRepository(q);
  const taxonomy = await repo.taxonomyIfImported();
  const jurisdictions = await repo.jurisdictions();
  const bodies = await repo.allBodies();
  return { taxonomy, jurisdictions, tree: treeOf(jurisdictions), bodies: new Map(bodies.map((b) => [b.id, b])) };
}

/** Checks the filters (400 naming the parameter) and expands jurisdictions to their descendants. */
function checkFilters(request: SearchRequest, n: Names): SearchFilters {
  const f = request.filters ?? {};
  const clean = (name: FacetName) => [...new Set((f[name] ?? []).map((v) => v.trim()).filter((v) => v !== ''))];
  const type = clean('type');
  for (const t of type) {
    if (!(SEARCH_TYPES as readonly string[]).includes(t)) {
      throw errors.invalidParameter('type', {
        key: 'error.param.oneOf',
        params: { value: t, choices: SEARCH_TYPES.join(', ') },
      });
    }
  }
  const status = clean('status');
  for (const s of status) {
    if (!(STATUSES as readonly string[]).includes(s)) {
      throw errors.invalidParameter('status', {
        key: 'error.param.oneOf',
        params: { value: s, choices: STATUSES.join(', ') },
      });
    }
  }
  const jurisdiction = clean('jurisdiction');
  for (const j of jurisdiction) {
    if (!n.jurisdictions.some((x) => x.code === j)) {
      throw errors.invalidParameter('jurisdiction', { key: 'error.param.unknownJurisdiction', params: { code: j } });
    }
  }
  // Kinds, topics and issuers are checked against the store's (once a bundle is imported): an unknown one is a
  // mistake to be told, not an empty result.
  const t = n.taxonomy;
  const kind = clean('kind');
  const topic = clean('topic');
  const issuer = clean('issuer');
  if (t) {
    const kinds = new Set([
      ...t.instrument_kinds.map((k) => k.code),
      ...t.event_types.map((e) => e.code),
      ...PROGRAMME_KIND_LABELS.keys(),
    ]);
    refuseUnknown('kind', kind, kinds, 'kind');
    refuseUnknown('topic', topic, new Set(t.topics.map((x) => x.code)), 'topic');
    refuseUnknown('issuer', issuer, n.bodies, 'issuer');
  }
  const year = clean('year').map((y) => {
    if (!/^\d{4}$/.test(y)) throw errors.invalidParameter('year', { key: 'error.param.year', params: { value: y } });
    return Number(y);
  });
  return {
    type: type as SearchType[],
    jurisdiction: [...new Set(jurisdiction.flatMap((j) => descendantsOf(n.tree, [j])))],
    kind,
    status: status as Status[],
    topic,
    issuer,
    year,
  };
}

/** A 400 naming the parameter and the first of its values that is not known. */
function refuseUnknown(
  name: FacetName,
  values: readonly string[],
  known: { has(value: string): boolean },
  what: 'kind' | 'topic' | 'issuer',
): void {
  const unknown = values.find((v) => !known.has(v));
  if (unknown === undefined) return;
  throw errors.invalidParameter(name, {
    key: 'error.param.unknownValue',
    params: { value: unknown, what: what === 'kind' ? 'searchKind' : what, choices: 'none' },
  });
}

function labelFor(n: Names, facet: FacetName, value: string): Bilingual {
  const t = n.taxonomy;
  const find = (list: readonly { code: string; label: Bilingual }[] | undefined) =>
    list?.find((x) => x.code === value)?.label;
  const found = (() => {
    switch (facet) {
      case 'type':
        return TYPE_LABELS[value as SearchType];
      case 'jurisdiction':
        return n.jurisdictions.find((j) => j.code === value)?.name;
      case 'kind':
        return find(t?.instrument_kinds) ?? find(t?.event_types) ?? PROGRAMME_KIND_LABELS.get(value);
      case 'status':
        return find(t?.statuses);
      case 'topic':
        return find(t?.topics);
      case 'issuer':
        return n.bodies.get(value)?.name;
      case 'year':
        return { en: value, zh: `${value}年` };
    }
  })();
  return found ?? { en: value, zh: value };
}

/** Facet values with labels in a stable order: jurisdictions as the tree (counts include descendants). */
function presentFacets(
  counts: Map<FacetName, Map<string, number>>,
  request: SearchRequest,
  n: Names,
): { [F in FacetName]: FacetValue[] } {
  const selected = (facet: FacetName) => new Set(request.filters?.[facet] ?? []);
  const plain = (facet: FacetName): FacetValue[] => {
    const sel = selected(facet);
    const values = new Map(counts.get(facet) ?? []);
    for (const s of sel) if (!values.has(s)) values.set(s, 0);
    return [...values]
      .map(([value, count]) => ({ value, label: labelFor(n, facet, value), count, selected: sel.has(value) }))
      .sort((a, b) =>
        facet === 'year' ? Number(b.value) - Number(a.value) : b.count - a.count || a.value.localeCompare(b.value),
      );
  };
  const own = counts.get('jurisdiction') ?? new Map<string, number>();
  const sel = selected('jurisdiction');
  const jurisdiction = n.jurisdictions
    .map((j) => ({
      value: j.code,
      label: j.name,
      count: descendantsOf(n.tree, [j.code]).reduce((sum, c) => sum + (own.get(c) ?? 0), 0),
      selected: sel.has(j.code),
      depth: depthOf(n.tree, j.code),
    }))
    .filter((v) => v.count > 0 || v.selected);
  const type = SEARCH_TYPES.map((t) => ({
    value: t,
    label: TYPE_LABELS[t],
    count: counts.get('type')?.get(t) ?? 0,
    selected: selected('type').has(t),
  })).filter((v) => v.count > 0 || v.selected);
  const status = STATUSES.map((s) => ({
    value: s,
    label: labelFor(n, 'status', s),
    count: counts.get('status')?.get(s) ?? 0,
    selected: selected('status').has(s),
  })).filter((v) => v.count > 0 || v.selected);
  return {
    type,
    jurisdiction,
    kind: plain('kind'),
    status,
    topic: plain('topic'),
    issuer: plain('issuer'),
    year: plain('year'),
  };
}

/** Near spellings for the words the vocabulary does not know. */
async function corrections(q: Queryable, query: ParsedQuery): Promise<Map<string, string[]>> {
  const near = await nearTerms(q, spellCheckable(query));
  const out = new Map<string, string[]>();
  for (const [word, found] of near) {
    if (found[0]?.term === word) continue;
    const close = found.filter((f) => f.similarity >= NEAR && f.term !== word).slice(0, 2);
    if (close.length > 0)
      out.set(
        word,
        close.map((f) => f.term),
      );
  }
  return out;
}

/** Runs one search. Throws invalid_parameter (400) naming q or the filter for input that cannot be searched. */
export async function searchKnowledgeBase(db: Searchable, request: SearchRequest): Promise<SearchOutcome> {
  let parsed: ParsedQuery;
  try {
    parsed = parseQuery(request.q);
  } catch (error) {
    if (error instanceof QueryProblem) throw errors.invalidParameter('q', error.text);
    throw error;
  }
  const limit = request.limit ?? DEFAULT_LIMIT;
  const offset = request.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw errors.invalidParameter('limit', { key: 'error.param.wholeNumber', params: { min: 1, max: MAX_LIMIT } });
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw errors.invalidParameter('offset', { key: 'error.param.wholeNumber', params: { min: 0, max: MAX_OFFSET } });
  }
  const wantFacets = request.facets !== false;
  const hasFilters = Object.values(request.filters ?? {}).some((v) => v && v.length > 0);
  // A database runs independent statements side by side (a pool); an open transaction (one connection) in turn.
  const both = <A, B>(a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> =>
    db.transaction ? Promise.all([a(), b()]) : a().then(async (x) => [x, await b()]);
  const [n, fixes] = await both(
    () =>
      wantFacets || hasFilters
        ? names(db)
        : Promise.resolve<Names>({ taxonomy: null, jurisdictions: [], tree: new Map(), bodies: new Map() }),
    () => corrections(db, parsed),
  );
  const filters = checkFilters(request, n);
  const query = withCorrections(parsed, fixes);
  const page = { limit, offset, cap: Math.max(CANDIDATES, offset + limit) };

  const run = (relaxed: boolean) => {
    const ts = tsQueries(query, relaxed);
    return both(
      () => rankedSearch(db, ts, filters, request.asOf, page),
      () => (wantFacets ? facetCounts(db, ts, filters, request.asOf) : Promise.resolve(null)),
    );
  };
  let relaxed = false;
  let [rows, facets] = await run(false);
  if (rows.length === 0 && offset === 0 && canRelax(query)) {
    const [anyRows, anyFacets] = await run(true);
    if (anyRows.length > 0) [rows, facets, relaxed] = [anyRows, anyFacets, true];
  }
  const onlyCommonWords = rows.length === 0 && (await isEmptyTsQuery(db, tsQueries(query).match));
  const snippet = snippets(query, request.lang ?? 'en');
  const results: SearchHit[] = rows.map((r) => {
    const s = snippet({
      en: { title: r.title_en, summary: r.summary_en, body: r.body_en },
      zh: { title: r.title_zh, summary: r.summary_zh, body: r.body_zh },
    });
    return {
      type: r.type,
      id: r.id,
      title: { en: r.title_en, zh: r.title_zh },
      snippet: s.html,
      snippetText: s.text,
      snippetLang: s.lang,
      score: Math.round(r.score * 10000) / 10000,
      url: r.url,
      instrument: r.instrument_id,
      jurisdiction: r.jurisdiction,
      kind: r.kind,
      year: r.year,
      status: r.status,
    };
  });
  const fixed = [...fixes].map(([word, suggestions]) => ({ word, suggestions }));
  const message = onlyCommonWords
    ? 'The query has only words too common to search for; add a more specific word.'
    : relaxed
      ? 'No result has all the words; these results have some of them.'
      : results.length === 0
        ? 'Nothing matches these words.'
        : null;
  return {
    query: parsed.text,
    asOf: request.asOf,
    total: facets ? facets.total : null,
    limit,
    offset,
    relaxed,
    onlyCommonWords,
    corrections: fixed,
    message,
    results,
    facets: facets ? presentFacets(facets.counts, request, n) : null,
  };
}

export { FACETS, type FacetName };
