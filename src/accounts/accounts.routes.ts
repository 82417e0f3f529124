// The accounts API: GET /api/v1/me (who the credentials are), the caller's tokens (GET/POST /api/v1/me/tokens,
// DELETE /api/v1/me/tokens/{id}), and for admins the users (GET /api/v1/users) and the audit log (GET /api/v1/audit,
// GET /api/v1/audit.jsonl). Every route needs an account: a bearer token (hzn_…) or a session cookie.
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorBody, IdParams, Key, WholeNumber } from '../http/schemas.ts';
import type { Database } from '../store/database.ts';
import { createToken, listAccounts, listTokens, revokeToken } from './accounts.service.ts';
import { presentAccount, presentToken } from './accounts.presenters.ts';
import { exportAudit, listAudit, presentAudit } from './audit.service.ts';
import { SCOPES, SIGNED_IN, needs } from './types.ts';
import { requireActor } from './auth.ts';

/** The OpenAPI security of routes that need an account. */
export const ACCOUNT_SECURITY = [{ bearerAuth: [] }];

const ScopeSchema = Type.Union(SCOPES.map((s) => Type.Literal(s)));

const TokenSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(Type.String()),
    created_at: Type.String(),
    last_used_at: Type.Union([Type.String(), Type.Null()]),
    expires_at: Type.Union([Type.String(), Type.Null()]),
    revoked_at: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
  },
  { additionalProperties: false },
);

const AccountSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Type.String(),
    created_at: Type.String(),
    disabled_at: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const AuditSchema = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String(),
    actor: Type.Union([
      Type.Object({ id: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
      Type.Null(),
    ]),
    action: Type.String(),
    subject: Type.Union([Type.String(), Type.Null()]),
    address: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Key('An account id or e-mail address.')),
    action: Type.Optional(Key('An action (login, token.created …), or a prefix ending in "." (token.).')),
    since: Type.Optional(Type.String({ maxLength: 40, description: 'A day (YYYY-MM-DD) or an ISO 8601 time.' })),
    before: Type.Optional(WholeNumber({ minimum: 1, description: 'Records with ids below this (the next page).' })),
    limit: Type.Optional(WholeNumber({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

const doer = (request: FastifyRequest) => {
  const a = requireActor(request);
  return { by: { accountId: a.accountId, email: a.email }, address: request.ip };
};

/** Adds the accounts API. */
export function registerAccountRoutes(fastify: FastifyInstance, db: Database): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const security = ACCOUNT_SECURITY;

  app.get(
    '/api/v1/me',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['accounts'],
        summary: 'Who the credentials are: the account, its role and what this credential may do',
        security,
        response: {
          200: Type.Object({
            id: Type.String(),
            email: Type.String(),
            name: Type.String(),
            role: Type.String(),
            scopes: Type.Array(Type.String()),
            via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
            token: Type.Optional(Type.String({ description: 'The id of the token used, when via is token.' })),
          }),
          401: ErrorBody,
        },
      },
    },
    (request) => {
      const a = requireActor(request);
      return {
        id: a.accountId,
        email: a.email,
        name: a.name,
        role: a.role,
        scopes: SCOPES.filter((s) => a.scopes.has(s)),
        via: a.via,
        ...(a.tokenId ? { token: a.tokenId } : {}),
      };
    },
  );

  app.get(
    '/api/v1/me/tokens',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['accounts'],
        summary: "The caller's API tokens (revoked and expired ones too)",
        security,
        response: { 200: Type.Object({ tokens: Type.Array(TokenSchema) }), 401: ErrorBody },
      },
    },
    async (request) => ({ tokens: (await listTokens(db, requireActor(request).accountId)).map(presentToken) }),
  );

  app.post(
    '/api/v1/me/tokens',
    {
      config: { policy: SIGNED_IN },
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token; the token is in this answer only',
        description:
          'Scopes must be ones the account holds (and, when the request itself uses a token, ones that token holds). ' +
          'Only a hash of the token is kept.',
        security,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            scopes: Type.Array(ScopeSchema, { maxItems: SCOPES.length, description: 'At least one.' }),
            expires_in_days: Type.Optional(WholeNumber({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), details: TokenSchema }),
          400: ErrorBody,
          401: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const a = requireActor(request);
      const created = await createToken(
        db,
        a.accountId,
        { name: request.body.name, scopes: request.body.scopes, expiresInDays: request.body.expires_in_days },
        doer(request),
        a.via === 'token' ? a.scopes : undefined,
      );
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ token: created.token, details: presentToken(created.record) });
    },
  );

  app.delete(
    '/api/v1/me/tokens/:id',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags: ['accounts'],
        summary: 'Revoke one of your tokens',
        security,
        params: IdParams,
        response: { 200: TokenSchema, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) =>
      presentToken(await revokeToken(db, request.params.id, doer(request), requireActor(request).accountId)),
  );

  app.get(
    '/api/v1/users',
    {
      config: { policy: needs('admin') },
      schema: {
        tags: ['accounts'],
        summary: 'Every account (admins)',
        security,
        response: { 200: Type.Object({ users: Type.Array(AccountSchema) }), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async () => ({ users: (await listAccounts(db)).map(presentAccount) }),
  );

  app.get(
    '/api/v1/audit',
    {
      config: { policy: needs('admin') },
      schema: {
        tags: ['accounts'],
        summary: 'The audit log, newest first (admins)',
        security,
        querystring: AuditQuery,
        response: {
          200: Type.Object({
            records: Type.Array(AuditSchema),
            next_before: Type.Union([Type.Integer(), Type.Null()]),
          }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const records = await listAudit(db, { ...request.query, limit });
      const last = records.at(-1);
      return { records: records.map(presentAudit), next_before: records.length === limit && last ? last.id : null };
    },
  );

  app.get(
    '/api/v1/audit.jsonl',
    {
      config: { policy: needs('admin') },
      schema: {
        tags: ['accounts'],
        summary: 'The audit log as JSON Lines, newest first, with the filters of /api/v1/audit (admins)',
        security,
        querystring: Type.Omit(AuditQuery, ['limit', 'before']),
        produces: ['application/jsonl'],
      },
    },
    async (request, reply) => {
      const lines: string[] = [];
      for await (const line of exportAudit(db, request.query)) lines.push(line);
      return reply
        .type('application/jsonl; charset=utf-8')
        .header('content-disposition', 'attachment; filename="horizon-audit.jsonl"')
        .send(lines.join(''));
    },
  );
}
