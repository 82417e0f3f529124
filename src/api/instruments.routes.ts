// /api/v1/instruments: listing with filters and one instrument, with status as of a date.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errors } from '../errors.ts';
import { asOfParam } from '../http/params.ts';
import { STATUSES, type Status as StatusCode } from '../domain/types.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { presentInstrumentDetail, presentInstrumentList } from '../http/presenters.ts';
import { AsOf, Bilingual, ErrorBody, IdParams, Key } from '../http/schemas.ts';

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

const ListQuery = Type.Object(
  {
    as_of: Type.Optional(AsOf),
    jurisdiction: Type.Optional(Key('A jurisdiction code; includes its descendants.')),
    status: Type.Optional(Status),
    kind: Type.Optional(Key('An instrument kind (content/taxonomy.yaml).')),
    topic: Type.Optional(Key('A topic code.')),
  },
  { additionalProperties: false },
);

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
      schema: {
        summary: 'List instruments with their status as of a date',
        description: 'Instruments that exist on as_of, filtered; a jurisdiction includes its descendants.',
        tags: ['instruments'],
        querystring: ListQuery,
        response: {
          200: Type.Object({ as_of: Type.String(), count: Type.Integer(), instruments: Type.Array(InstrumentSummary) }),
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
      const list = await repo.instruments({ asOf, ...q });
      return presentInstrumentList(list, asOf);
    },
  );

  r.get(
    '/api/v1/instruments/:id',
    {
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
