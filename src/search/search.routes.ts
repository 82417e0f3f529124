// GET /api/v1/search: ranked, highlighted results with facet counts; every facet is also a filter.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { asOfParam } from '../http/params.ts';
import { STATUSES } from '../domain/types.ts';
import type { Queryable } from '../store/database.ts';
import { SEARCH_TYPES } from './document.ts';
import { MAX_QUERY_LENGTH } from './query.ts';
import { DEFAULT_LIMIT, FACETS, MAX_LIMIT, MAX_OFFSET, searchKnowledgeBase, type FacetName } from './search.service.ts';
import { Bilingual, ErrorBody, WholeNumber } from '../http/schemas.ts';
import { codeList, presentSearch } from './search.presenters.ts';
import { PUBLIC } from '../accounts/types.ts';

const Codes = (description: string) =>
  Type.Optional(
    Type.Array(Type.String(), {
      description: `${description} Repeat the parameter (or separate codes with commas) for any of several.`,
    }),
  );

const SearchQuery = Type.Object(
  {
    q: Type.String({
      description: `Words in English and/or Chinese (Chinese needs no spaces); "quoted phrase"; -word excludes. At most ${MAX_QUERY_LENGTH} characters.`,
    }),
    as_of: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: 'Date of the status facet and filter; default today.',
      }),
    ),
    type: Codes(`Kinds of result: ${SEARCH_TYPES.join(', ')}.`),
    jurisdiction: Codes('Jurisdiction codes; each includes its descendants.'),
    kind: Codes('Instrument kinds, event types or programme kinds.'),
    status: Codes(`Status of the instrument as of as_of: ${STATUSES.join(', ')}.`),
    topic: Codes('Topic codes.'),
    issuer: Codes('Issuing body ids.'),
    year: Codes('Years (YYYY).'),
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh')], { description: 'Reader language.' })),
    limit: Type.Optional(WholeNumber({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
    offset: Type.Optional(WholeNumber({ minimum: 0, maximum: MAX_OFFSET, default: 0 })),
  },
  { additionalProperties: false },
);

const FacetValue = Type.Object({
  value: Type.String(),
  label: Bilingual,
  count: Type.Integer(),
  selected: Type.Boolean(),
  depth: Type.Optional(Type.Integer()),
});

const SearchResponse = Type.Object({
  query: Type.String(),
  as_of: Type.String(),
  total: Type.Integer({ description: 'Documents matching the query and filters.' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  relaxed: Type.Boolean({ description: 'True when no document had every word and these have some of them.' }),
  corrections: Type.Array(Type.Object({ word: Type.String(), suggestions: Type.Array(Type.String()) }), {
    description: 'Words the index does not know, and the near spellings searched as well.',
  }),
  message: Type.Union([Type.String(), Type.Null()]),
  results: Type.Array(
    Type.Object({
      type: Type.String({ enum: [...SEARCH_TYPES] }),
      id: Type.String(),
      title: Bilingual,
      snippet: Type.String({ description: 'HTML: escaped text with the matching words in <mark>.' }),
      snippet_lang: Type.String({ enum: ['en', 'zh'] }),
      score: Type.Number(),
      url: Type.String(),
      instrument: Type.Union([Type.String(), Type.Null()]),
      jurisdiction: Type.Union([Type.String(), Type.Null()]),
      kind: Type.Union([Type.String(), Type.Null()]),
      year: Type.Union([Type.Integer(), Type.Null()]),
      status: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  facets: Type.Object({
    type: Type.Array(FacetValue),
    jurisdiction: Type.Array(FacetValue, { description: 'Counts include the jurisdictions within each.' }),
    kind: Type.Array(FacetValue),
    status: Type.Array(FacetValue, { description: 'Status of the instrument as of as_of.' }),
    topic: Type.Array(FacetValue),
    issuer: Type.Array(FacetValue),
    year: Type.Array(FacetValue),
  }),
});

/** Adds GET /api/v1/search. */
export function registerSearchRoutes(app: FastifyInstance, db: Queryable): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/v1/search',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: 'Search instruments, lifecycle events, programmes and guide articles in English and Chinese',
        description:
          'Chinese is segmented into words, English is stemmed, near spellings of names are corrected. Results are ' +
          'ranked (title over summary over body, exact phrase over scattered words) with highlighted snippets in the ' +
          'language that matched. Facet counts come with every answer; each facet is a filter (any of its values).',
        tags: ['search'],
        querystring: SearchQuery,
        response: { 200: SearchResponse, 400: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query;
      const filters = Object.fromEntries(FACETS.map((f) => [f, codeList(q[f])])) as Record<FacetName, string[]>;
      const outcome = await searchKnowledgeBase(db, {
        q: q.q,
        asOf: asOfParam(q.as_of),
        filters,
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        ...(q.offset !== undefined ? { offset: q.offset } : {}),
        ...(q.lang !== undefined ? { lang: q.lang } : {}),
      });
      return presentSearch(outcome);
    },
  );
}
