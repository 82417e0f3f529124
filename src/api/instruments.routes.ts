// /api/v1/instruments: listing with filters and one instrument, with status as of a date.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errors } from '../errors.ts';
import { asOfParam } from '../http/params.ts';
import { STATUSES, type Status as StatusCode } from '../domain/types.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { presentInstrument, presentInstrumentDetail } from '../http/presenters.ts';
import { AsOf, Bilingual, ErrorBody } from '../http/schemas.ts';

const Status = Type.Unsafe<StatusCode>({ type: 'string', enum: [...STATUSES] });
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
    jurisdiction: Type.Optional(Type.String({ description: 'A jurisdiction code; includes its descendants.' })),
    status: Type.Optional(Status),
    kind: Type.Optional(Type.String()),
    topic: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

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
      const q = request.query as Static<typeof ListQuery>;
      const asOf = asOfParam(q.as_of);
      const code = q.jurisdiction;
      if (code !== undefined) {
        await repo.jurisdictionWithDescendants(code).catch(() => {
          throw errors.invalidParameter('jurisdiction', { key: 'error.param.unknownJurisdiction', params: { code } });
        });
      }
      const list = await repo.instruments({ asOf, ...q });
      return { as_of: asOf, count: list.length, instruments: list.map((v) => presentInstrument(v, asOf)) };
    },
  );

  r.get(
    '/api/v1/instruments/:id',
    {
      schema: {
        summary: 'One instrument: lifecycle, status as of a date, sources and relations',
        tags: ['instruments'],
        params: Type.Object({ id: Type.String() }),
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
