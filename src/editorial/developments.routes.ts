// GET /api/v1/articles/{id}/developments: what happened to the instruments an article cites after its revision's
// accurate-up-to date, as of ?as_of= (nothing after it). Public, like the article page's notice.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PUBLIC } from '../accounts/types.ts';
import { asOfParam, checkDay } from '../http/params.ts';
import { AsOf, Bilingual, ErrorBody, IdParams } from '../http/schemas.ts';
import type { Database } from '../store/database.ts';
import { articleDevelopments } from './attention.ts';
import type { Development } from './developments.ts';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const DevelopmentBody = Type.Object({
  kind: Type.Union([Type.Literal('event'), Type.Literal('change')], {
    description: 'event: a dated lifecycle event; change: a published change to the instrument’s record.',
  }),
  instrument: Type.Object({ id: Type.String(), title: Bilingual, url: Type.String() }),
  day: Type.String({ description: 'The day it had certainly happened (event) or was recorded (change), YYYY-MM-DD.' }),
  type: Type.Optional(Type.String({ description: 'The event type (events).' })),
  date: Type.Optional(Type.String({ description: 'The event date as written: YYYY, YYYY-MM or YYYY-MM-DD.' })),
  precision: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('year')])),
  disputed: Type.Optional(Type.Boolean({ description: 'The date is disputed; date is the preferred claim’s.' })),
  approximate: Type.Optional(Type.Boolean()),
  change: Type.Optional(Type.Union([Type.Literal('changed'), Type.Literal('removed')])),
  fields: Type.Optional(Type.Array(Type.String(), { description: 'The record’s fields that changed (changes).' })),
  seq: Type.Optional(Type.Integer({ description: 'The change-log entry (GET /api/v1/changes).' })),
});

function present(d: Development) {
  const instrument = { id: d.instrument, title: d.title, url: `/instruments/${d.instrument}` };
  return d.kind === 'event'
    ? {
        kind: d.kind,
        instrument,
        day: d.day,
        type: d.type,
        date: d.date,
        precision: d.precision,
        disputed: d.disputed,
        approximate: d.approximate,
      }
    : { kind: d.kind, instrument, day: d.day, change: d.change, fields: [...d.fields], seq: d.seq };
}

export function registerDevelopmentRoutes(app: FastifyInstance, db: Database): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/articles/:id/developments',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: 'What happened to the instruments an article cites after its accurate-up-to date',
        description:
          'Dated lifecycle events (day-precise dates compared by day; a month or year only when the whole period ' +
          'is after the date) and published changes to the instruments’ records, up to as_of, oldest first. ' +
          'Without revision, the latest revision.',
        tags: ['articles'],
        params: IdParams,
        querystring: Type.Object(
          {
            as_of: Type.Optional(AsOf),
            revision: Type.Optional(Day('The revision (accurate_up_to); default the latest.')),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            article: Type.Object({ id: Type.String(), title: Bilingual }),
            accurate_up_to: Type.String(),
            as_of: Type.String(),
            count: Type.Integer(),
            developments: Type.Array(DevelopmentBody),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const asOf = asOfParam(request.query.as_of);
      const revision = checkDay('revision', request.query.revision);
      const found = await articleDevelopments(db, request.params.id, asOf, revision);
      return {
        article: { id: found.article.id, title: found.article.title },
        accurate_up_to: found.accurateUpTo,
        as_of: asOf,
        count: found.developments.length,
        developments: found.developments.map(present),
      };
    },
  );
}
