// /api/v1/instruments: listing with filters, in pages (?limit=, ?cursor=), and one instrument, with status as of a date.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errors } from '../errors.ts';
import { asOfParam } from '../http/params.ts';
import { isDay } from '../domain/dates.ts';
import { STATUSES, type Status as StatusCode } from '../domain/types.ts';
import type { InstrumentKey, KnowledgeRepository } from '../store/knowledge.repository.ts';
import { presentInstrumentDetail, presentInstrumentList } from '../http/presenters.ts';
import { AsOf, Bilingual, ErrorBody, IdParams, Key } from '../http/schemas.ts';
import { PUBLIC } from '../accounts/types.ts';

/**
 * A status, as `{ type: 'string', enum: [...] }`. The type provider infers through TypeBox 1, which reads the `enum`
 * keyword as a tuple (not the static type of a TypeBox 0.34 Unsafe), so the enum is a typed tuple property.
 */
const statusEnum: [...typeof STATUSES] = [...STATUSES];
const Status = Object.assign(Type.Unsafe<StatusCode>({ type: 'string' }), { enum: statusEnum });
const InstrumentSummary = Type.Object(
  {
    id: Type.String(),
    title: Bilingual,
    document_number: Type.Union([Type.String(), Type.Null()]),
    kind: Type.String(),
    legal_force: Type.String(),
    jurisdiction: Type.String(),
    issuers: Type.Array(Type.String()),
    topics: Type.Array(Type.String()),
    status: Status,
    as_of: Type.String(),
    url: Type.String(),
  },
  { additionalProperties: true },
);

/** Instruments on a page by default, and at most. */
const PAGE = 100;
const MAX_PAGE = 500;

const ListQuery = Type.Object(
  {
    as_of: Type.Optional(AsOf),
    jurisdiction: Type.Optional(Key('A jurisdiction code; includes its descendants.')),
    status: Type.Optional(Status),
    kind: Type.Optional(Key('An instrument kind (content/taxonomy.yaml).')),
    topic: Type.Optional(Key('A topic code.')),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: PAGE, description: 'Instruments per page.' }),
    ),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 600,
        pattern: '^[A-Za-z0-9_-]+$',
        description: "Where the page starts: the previous page's next_cursor (opaque).",
      }),
    ),
  },
  { additionalProperties: false },
);

/** The opaque cursor of the page after an instrument: its key as base64url JSON. */
function cursorOf(key: InstrumentKey): string {
  return Buffer.from(JSON.stringify([key.day, key.id])).toString('base64url');
}

/** The key a cursor stands for; anything this API did not give out is a 400 naming `cursor`. */
function keyOf(cursor: string): InstrumentKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && value.length === 2) {
    const [day, id] = value as unknown[];
    if (typeof day === 'string' && isDay(day) && typeof id === 'string' && id.length <= 400 && !id.includes('\0')) {
      return { day, id };
    }
  }
  throw errors.invalidParameter('cursor', { key: 'error.param.cursor' });
}

/** The path of the next page: the same filters and limit, as_of fixed to this page's, the new cursor. */
function nextPath(query: Readonly<Record<string, string | number | undefined>>, cursor: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && name !== 'cursor') params.set(name, String(value));
  }
  params.set('cursor', cursor);
  return `/api/v1/instruments?${params.toString()}`;
}

/** An unknown ?kind= or ?topic= is a 400 naming the parameter and the value, not an empty list. */
async function checkCodes(repo: KnowledgeRepository, kind: string | undefined, topic: string | undefined) {
  if (kind === undefined && topic === undefined) return;
  const taxonomy = await repo.taxonomyIfImported();
  const refuse = (name: 'kind' | 'topic', value: string, codes: readonly { code: string }[]) => {
    if (codes.some((c) => c.code === value)) return;
    const what = name === 'kind' ? 'instrumentKind' : 'topic';
    const choices = codes.length <= 12 ? codes.map((c) => c.code).join(', ') : 'none';
    throw errors.invalidParameter(name, { key: 'error.param.unknownValue', params: { value, what, choices } });
  };
  if (kind !== undefined) refuse('kind', kind, taxonomy?.instrument_kinds ?? []);
  if (topic !== undefined) refuse('topic', topic, taxonomy?.topics ?? []);
}

/** Adds the instrument routes to the app. */
export function registerInstrumentRoutes(app: FastifyInstance, repo: KnowledgeRepository): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/instruments',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: 'List instruments with their status as of a date',
        description:
          'Instruments that exist on as_of, filtered; a jurisdiction includes its descendants. In pages ordered by ' +
          `first date, then id: ${PAGE} a page unless limit says otherwise (at most ${MAX_PAGE}); follow next for the ` +
          'rest (keyset paging: an instrument added meanwhile never shifts a page).',
        tags: ['instruments'],
        querystring: ListQuery,
        response: {
          200: Type.Object({
            as_of: Type.String(),
            count: Type.Integer({ description: 'Instruments on this page.' }),
            instruments: Type.Array(InstrumentSummary),
            next_cursor: Type.Union([Type.String(), Type.Null()], {
              description: 'The cursor of the next page, or null on the last.',
            }),
            next: Type.Union([Type.String(), Type.Null()], {
              description: 'The next page (this query with its cursor), or null on the last.',
            }),
          }),
          400: ErrorBody,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const asOf = asOfParam(q.as_of);
      const code = q.jurisdiction;
      if (code !== undefined) {
        await repo.jurisdictionWithDescendants(code).catch(() => {
          throw errors.invalidParameter('jurisdiction', { key: 'error.param.unknownJurisdiction', params: { code } });
        });
      }
      await checkCodes(repo, q.kind, q.topic);
      const after = q.cursor === undefined ? undefined : keyOf(q.cursor);
      const page = await repo.instrumentsPage({ asOf, ...q }, { limit: q.limit ?? PAGE, after });
      const cursor = page.next ? cursorOf(page.next) : null;
      return {
        ...presentInstrumentList(page.items, asOf),
        next_cursor: cursor,
        next: cursor ? nextPath({ ...q, as_of: asOf }, cursor) : null,
      };
    },
  );

  r.get(
    '/api/v1/instruments/:id',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: 'One instrument: lifecycle, status as of a date, sources and relations',
        tags: ['instruments'],
        params: IdParams,
        querystring: Type.Object({ as_of: Type.Optional(AsOf) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            instrument: Type.Object(
              { id: Type.String(), status: Type.Union([Status, Type.Null()]) },
              { additionalProperties: true },
            ),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const asOf = asOfParam(request.query.as_of);
      const detail = await repo.instrument(request.params.id, asOf);
      return { instrument: presentInstrumentDetail(detail, asOf) };
    },
  );
}
