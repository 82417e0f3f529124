// The JSON of a search outcome (the API's; snake_case) and how repeated or comma-separated codes are read.
import type { FacetName, SearchOutcome } from './search.service.ts';

/** Repeated or comma-separated codes as one list. */
export function codeList(value: readonly string[] | string | undefined): string[] {
  const list = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return list
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

const facet = (o: SearchOutcome, name: FacetName) => (o.facets?.[name] ?? []).map((v) => ({ ...v }));

/** The API's JSON for a search outcome (also what `horizon search --json` builds on). */
export function presentSearch(o: SearchOutcome) {
  return {
    query: o.query,
    as_of: o.asOf,
    total: o.total ?? o.results.length,
    limit: o.limit,
    offset: o.offset,
    relaxed: o.relaxed,
    corrections: o.corrections.map((c) => ({ word: c.word, suggestions: [...c.suggestions] })),
    message: o.message,
    results: o.results.map((r) => ({
      type: r.type,
      id: r.id,
      title: r.title,
      snippet: r.snippet,
      snippet_lang: r.snippetLang,
      score: r.score,
      url: r.url,
      instrument: r.instrument,
      jurisdiction: r.jurisdiction,
      kind: r.kind,
      year: r.year,
      status: r.status,
    })),
    facets: {
      type: facet(o, 'type'),
      jurisdiction: facet(o, 'jurisdiction'),
      kind: facet(o, 'kind'),
      status: facet(o, 'status'),
      topic: facet(o, 'topic'),
      issuer: facet(o, 'issuer'),
      year: facet(o, 'year'),
    },
  };
}
