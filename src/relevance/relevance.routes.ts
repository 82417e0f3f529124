// /api/v1/check, /api/v1/programmes and stored profiles (/api/v1/profiles): thin routes over the relevance services.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errors } from '../errors.ts';
import { today } from '../domain/dates.ts';
import { FACTS } from '../rules/engine.ts';
import type { Database } from '../store/database.ts';
import { asOfParam, bearer } from '../http/params.ts';
import { checkWith, loadCheckSetup } from './relevance.service.ts';
import { profileSchema } from './profile.ts';
import { refreshEligibility } from './eligibility.ts';
import {
  createProfile,
  deleteProfile,
  eligibilityChanges,
  readProfile,
  updateProfile,
} from '../store/profiles.store.ts';
import { ErrorBody, IdParams, LangQuery } from '../http/schemas.ts';
import { CAPABILITY, PUBLIC } from '../accounts/types.ts';

/** The largest profile body accepted (bytes); larger bodies get 413. */
export const PROFILE_BODY_LIMIT = 64 * 1024;

/** Profile v1 as documented in the OpenAPI (jurisdiction codes are checked against the store, so left open here). */
function documentedProfile(): Record<string, unknown> {
  const schema = profileSchema(FACTS) as { properties: Record<string, Record<string, unknown>> };
  const { $id: _id, ...rest } = schema as Record<string, unknown>;
  void _id;
  return {
    ...rest,
    title: 'ProfileV1',
    properties: {
      ...schema.properties,
      jurisdictions: {
        ...schema.properties.jurisdictions,
        items: { type: 'string', description: 'A jurisdiction code' },
      },
    },
  };
}

const AsOfQuery = Type.Object(
  {
    as_of: Type.Optional(Type.String({ description: 'The check date (YYYY-MM-DD); default today.' })),
    lang: Type.Optional(LangQuery),
  },
  { additionalProperties: false },
);
const CheckBody = Type.Object(
  {
    as_of: Type.String(),
    results: Type.Array(
      Type.Object({ id: Type.String(), kind: Type.String(), outcome: Type.String() }, { additionalProperties: true }),
    ),
    questions: Type.Array(Type.String()),
  },
  { additionalProperties: true },
);
const auth = { security: [{ profileToken: [] }] };

/** Adds the relevance routes to the app. */
export function registerRelevanceRoutes(fastify: FastifyInstance, db: Database): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The full schema is published as a component; bodies are validated by the profile validator, which reports
  // every problem with its field path (the router's validator would stop at the first, and coerce types).
  app.addSchema({ $id: 'ProfileV1', ...documentedProfile() });
  const profile = {
    type: 'object',
    description: 'An enterprise profile, version 1: see the ProfileV1 schema. Every field is optional.',
  };

  app.post(
    '/api/v1/check',
    {
      config: { policy: PUBLIC },
      bodyLimit: PROFILE_BODY_LIMIT,
      schema: {
        summary: 'Check a profile: which programmes concern it, and why',
        description:
          'Runs the relevance check on an enterprise profile (v1) without storing it. A missing fact is unknown, never false.',
        tags: ['relevance'],
        querystring: AsOfQuery,
        body: profile,
        response: { 200: CheckBody, 400: ErrorBody, 413: ErrorBody },
      },
    },
    async (request) => {
      const asOf = asOfParam(request.query.as_of);
      const result = checkWith(await loadCheckSetup(db, asOf), request.body);
      return { ...result, results: [...result.results], questions: [...result.questions] };
    },
  );

  app.get(
    '/api/v1/programmes',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: 'Programmes (pilots, scenario calls, incentives, obligations) and whether each is in effect on a date',
        tags: ['relevance'],
        querystring: AsOfQuery,
      },
    },
    async (request) => {
      const asOf = asOfParam(request.query.as_of);
      const setup = await loadCheckSetup(db, asOf);
      return {
        as_of: asOf,
        programmes: setup.programmes.map(({ inEffect, ...p }) => ({ ...p, in_effect: inEffect })),
      };
    },
  );

  app.post(
    '/api/v1/profiles',
    {
      config: { policy: PUBLIC },
      bodyLimit: PROFILE_BODY_LIMIT,
      schema: {
        summary: 'Save a profile, to be told when programmes start or stop concerning it',
        description: 'Returns the id and a token (shown once) that reads, changes and deletes it.',
        tags: ['profiles'],
        body: Type.Object({ profile: Type.Unsafe<unknown>(profile) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String(), token: Type.String() }), 400: ErrorBody, 413: ErrorBody },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const setup = await loadCheckSetup(db, today());
      const checked = setup.validator.check(body.profile);
      if (!checked.profile)
        throw errors.invalidProfile(checked.problems.map((p) => ({ ...p, where: `profile.${p.where}` })));
      const saved = await createProfile(db, checked.profile);
      await refreshEligibility(db, today(), { profiles: [saved.id], silent: true });
      return reply.status(201).header('cache-control', 'no-store').send(saved); // the token, shown once
    },
  );

  app.get(
    '/api/v1/profiles/:id',
    {
      config: { policy: CAPABILITY },
      schema: {
        summary: 'A stored profile and its eligibility changes',
        tags: ['profiles'],
        params: IdParams,
        ...auth,
      },
    },
    async (request) => {
      const { id } = request.params;
      const stored = await readProfile(db, id, bearer(request));
      return { ...stored, changes: await eligibilityChanges(db, id) };
    },
  );

  app.put(
    '/api/v1/profiles/:id',
    {
      config: { policy: CAPABILITY },
      bodyLimit: PROFILE_BODY_LIMIT,
      schema: {
        summary: 'Replace a stored profile',
        tags: ['profiles'],
        params: IdParams,
        body: Type.Object({ profile: Type.Unsafe<unknown>(profile) }, { additionalProperties: false }),
        ...auth,
      },
    },
    async (request) => {
      const { id } = request.params;
      const setup = await loadCheckSetup(db, today());
      const checked = setup.validator.check(request.body.profile);
      if (!checked.profile)
        throw errors.invalidProfile(checked.problems.map((p) => ({ ...p, where: `profile.${p.where}` })));
      await updateProfile(db, id, bearer(request), checked.profile);
      const report = await refreshEligibility(db, today(), { profiles: [id] });
      return { id, became: report.became.map((c) => c.programme), stopped: report.stopped.map((c) => c.programme) };
    },
  );

  app.delete(
    '/api/v1/profiles/:id',
    {
      config: { policy: CAPABILITY },
      schema: { summary: 'Delete a stored profile', tags: ['profiles'], params: IdParams, ...auth },
    },
    async (request, reply) => {
      await deleteProfile(db, request.params.id, bearer(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/profiles/:id/check',
    {
      config: { policy: CAPABILITY },
      schema: {
        summary: 'Check a stored profile as of a date',
        tags: ['profiles'],
        params: IdParams,
        querystring: AsOfQuery,
        ...auth,
      },
    },
    async (request) => {
      const { id } = request.params;
      const asOf = asOfParam(request.query.as_of);
      const stored = await readProfile(db, id, bearer(request));
      return checkWith(await loadCheckSetup(db, asOf), stored.profile);
    },
  );
}
