// /api/v1/changesets: open, list, read and diff change sets; save, delete or discard their entities; submit, approve,
// return, publish, withdraw, rebase, schedule, comment and revert. Thin: each route checks its input by schema, calls
// one function of changesets.service.ts with the request's actor, and presents the result.
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireActor } from '../accounts/auth.ts';
import { SIGNED_IN, needs, type Actor } from '../accounts/types.ts';
import { ErrorBody, Key, WholeNumber } from '../http/schemas.ts';
import {
  approveChangeset,
  changesetDiff,
  commentOnChangeset,
  createChangeset,
  deleteEntity,
  discardEntity,
  getChangeset,
  listChangesets,
  publishChangeset,
  rebaseChangeset,
  returnChangeset,
  revertChangeset,
  saveEntity,
  scheduleChangeset,
  submitChangeset,
  withdrawChangeset,
  type ChangesetRecord,
  type Workspace,
} from './changesets.service.ts';
import {
  presentChangeset,
  presentComment,
  presentDetail,
  presentDiff,
  presentEntity,
  presentPublish,
} from './changesets.presenters.ts';

const security = [{ bearerAuth: [] }];
const tags = ['changesets'];

const Status = Type.Union([
  Type.Literal('draft'),
  Type.Literal('in_review'),
  Type.Literal('approved'),
  Type.Literal('published'),
  Type.Literal('withdrawn'),
]);

const Kind = Type.Union(
  [
    Type.Literal('instrument'),
    Type.Literal('programme'),
    Type.Literal('article'),
    Type.Literal('revision'),
    Type.Literal('source'),
    Type.Literal('body'),
  ],
  { description: 'The kind of entity.' },
);

const Person = Type.Object({ id: Type.String(), email: Type.String() }, { additionalProperties: false });
const NullableString = Type.Union([Type.String(), Type.Null()]);

const ChangesetSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    status: Status,
    author: Person,
    reviewer: Type.Union([Person, Type.Null()]),
    publisher: Type.Union([Person, Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
    submitted_at: NullableString,
    approved_at: NullableString,
    published_at: NullableString,
    publish_at: Type.Union([Type.String(), Type.Null()], { description: 'When the worker publishes it.' }),
    published_seq: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The first change-log entry its publication wrote.',
    }),
    reverts: Type.Union([Type.String(), Type.Null()], { description: 'The published change set this one restores.' }),
  },
  { additionalProperties: false },
);

const EntitySchema = Type.Object(
  {
    kind: Type.String(),
    id: Type.String(),
    deleted: Type.Boolean(),
    base: Type.Union([Type.String(), Type.Null()], {
      description: 'sha256 of the published version the set started from; null when the entity was new.',
    }),
    entity: Type.Unknown({ description: "The entity in the bundle's shape; null when deleted." }),
    saved_at: Type.String(),
    saved_by: Type.String(),
  },
  { additionalProperties: false },
);

const CommentSchema = Type.Object(
  {
    id: Type.Integer(),
    author: Person,
    kind: Type.String(),
    body: Type.String(),
    created_at: Type.String(),
  },
  { additionalProperties: false },
);

const DetailSchema = Type.Composite([
  ChangesetSchema,
  Type.Object({ entities: Type.Array(EntitySchema), comments: Type.Array(CommentSchema) }),
]);

const Loose = Type.Object({}, { additionalProperties: true });

const IdParams = Type.Object({ id: Key('The change set id (cs_…).') });
const EntityParams = Type.Object({
  id: Key('The change set id (cs_…).'),
  kind: Kind,
  entityId: Key('The entity id; a revision is ARTICLE/YYYY-MM-DD/LANG, its slashes percent-encoded (%2F) in the path.'),
});

const errorsOf = (...statuses: (400 | 401 | 403 | 404 | 409)[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<400 | 401 | 403 | 404 | 409, typeof ErrorBody>;

/** Adds the change set routes; `ws` is the workspace (database, self-approval setting). */
export function registerChangesetRoutes(fastify: FastifyInstance, ws: Workspace): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  /** The workspace of one request: the client's address goes to the audit log. */
  const of = (request: FastifyRequest): Workspace => ({ ...ws, address: request.ip });

  app.post(
    '/api/v1/changesets',
    {
      config: { policy: needs('drafts:write') },
      schema: {
        tags,
        security,
        summary: 'Open a change set (a draft of yours)',
        body: Type.Object({ title: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: ChangesetSchema, ...errorsOf(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentChangeset(await createChangeset(of(request), requireActor(request), request.body))),
  );

  app.get(
    '/api/v1/changesets',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags,
        security,
        summary: 'Change sets, the most recently changed first',
        querystring: Type.Object(
          {
            status: Type.Optional(Status),
            author: Type.Optional(Key('Only this account id’s change sets.')),
            limit: Type.Optional(WholeNumber({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ changesets: Type.Array(ChangesetSchema) }), ...errorsOf(400, 401, 403) },
      },
    },
    async (request) => {
      requireActor(request);
      const { status, author, limit } = request.query;
      const list = await listChangesets(ws, {
        ...(status ? { status } : {}),
        ...(author ? { authorId: author } : {}),
        ...(limit ? { limit } : {}),
      });
      return { changesets: list.map(presentChangeset) };
    },
  );

  app.get(
    '/api/v1/changesets/:id',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags,
        security,
        summary: 'A change set with its entities and comments',
        params: IdParams,
        response: { 200: DetailSchema, ...errorsOf(401, 403, 404) },
      },
    },
    async (request) => {
      requireActor(request);
      return presentDetail(await getChangeset(ws, request.params.id));
    },
  );

  app.get(
    '/api/v1/changesets/:id/diff',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags,
        security,
        summary: 'Every entity against what is published, field by field; conflicts named',
        description:
          'Fields as dotted paths (events.0.date) added, removed or changed; a revision’s Markdown as a word diff ' +
          '(a new revision against the article’s previous one in its language). A published set is shown against ' +
          'what it replaced. `conflicts` lists entities whose published version changed since the set took them up: ' +
          'publishing is refused until the author rebases.',
        params: IdParams,
        response: {
          200: Type.Object({
            changeset: ChangesetSchema,
            conflicts: Type.Array(Type.String()),
            entities: Type.Array(Loose),
          }),
          ...errorsOf(401, 403, 404),
        },
      },
    },
    async (request) => {
      requireActor(request);
      return presentDiff(await changesetDiff(ws, request.params.id));
    },
  );

  app.put(
    '/api/v1/changesets/:id/entities/:kind/:entityId',
    {
      bodyLimit: 2 * 1024 * 1024,
      config: { policy: needs('drafts:write') },
      schema: {
        tags,
        security,
        summary: 'Save an entity into a draft (the bundle’s entity shape)',
        description:
          'Checked with the rest of the set by the same checks as a bundle, on the knowledge base as it would be ' +
          'after publishing: 400 invalid_entity with problems at kind:id.field (instrument:cn-x.events.0.date), ' +
          'and nothing saved. A revision is its front matter with article, lang and body (Markdown).',
        params: EntityParams,
        body: Type.Unknown({ description: "The entity in the bundle's shape." }),
        response: { 200: EntitySchema, ...errorsOf(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id, kind, entityId } = request.params;
      return presentEntity(await saveEntity(of(request), requireActor(request), id, kind, entityId, request.body));
    },
  );

  app.delete(
    '/api/v1/changesets/:id/entities/:kind/:entityId',
    {
      config: { policy: needs('drafts:write') },
      schema: {
        tags,
        security,
        summary: 'Delete a published entity in a draft, or (?discard=true) drop the entity from the set',
        description:
          'Without discard the set deletes the published entity when it is published (refused, naming them, while ' +
          'other entities still refer to it). With discard=true the entity’s edit or deletion is dropped from the set.',
        params: EntityParams,
        querystring: Type.Object(
          { discard: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        response: {
          200: EntitySchema,
          204: Type.Null({ description: 'Discarded.' }),
          ...errorsOf(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { id, kind, entityId } = request.params;
      if (request.query.discard) {
        await discardEntity(of(request), requireActor(request), id, kind, entityId);
        return reply.status(204).send(null);
      }
      return reply.send(presentEntity(await deleteEntity(of(request), requireActor(request), id, kind, entityId)));
    },
  );

  /** A transition without input: the change set's id is all it takes. */
  const transition = (
    name: string,
    summary: string,
    policy: ReturnType<typeof needs>,
    run: (w: Workspace, actor: Actor, id: string) => Promise<ChangesetRecord>,
  ) =>
    app.post(
      `/api/v1/changesets/:id/${name}`,
      {
        config: { policy },
        schema: {
          tags,
          security,
          summary,
          params: IdParams,
          response: { 200: ChangesetSchema, ...errorsOf(400, 401, 403, 404, 409) },
        },
      },
      async (request) => presentChangeset(await run(of(request), requireActor(request), request.params.id)),
    );

  transition('submit', 'Submit a draft for review (its author)', needs('drafts:write'), (w, a, id) =>
    submitChangeset(w, a, id),
  );
  transition(
    'approve',
    'Approve a change set in review (a reviewer other than its author; notes go to …/comments)',
    needs('review'),
    (w, a, id) => approveChangeset(w, a, id),
  );
  transition(
    'withdraw',
    'Withdraw a change set that is not published (its author)',
    needs('drafts:write'),
    (w, a, id) => withdrawChangeset(w, a, id),
  );
  transition(
    'rebase',
    'Take the current published versions as the base, keeping the set’s own (its author)',
    needs('drafts:write'),
    (w, a, id) => rebaseChangeset(w, a, id),
  );
  transition(
    'revert',
    'Open a change set restoring what a published change set replaced (admins); answers the new set',
    needs('admin'),
    (w, a, id) => revertChangeset(w, a, id),
  );

  app.post(
    '/api/v1/changesets/:id/return',
    {
      config: { policy: needs('review') },
      schema: {
        tags,
        security,
        summary: 'Send a change set in review back to its author as a draft, with a comment saying why',
        params: IdParams,
        body: Type.Object(
          { comment: Type.String({ minLength: 1, maxLength: 10_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: ChangesetSchema, ...errorsOf(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentChangeset(
        await returnChangeset(of(request), requireActor(request), request.params.id, request.body.comment),
      ),
  );

  app.post(
    '/api/v1/changesets/:id/publish',
    {
      config: { policy: needs('review') },
      schema: {
        tags,
        security,
        summary: 'Publish an approved change set now, through the import path (all or nothing)',
        description:
          'One transaction: the store, the change log (naming author, reviewer and the change set), the search index ' +
          'and the watch events, exactly as an import. 409 changeset_conflict (problems name the entities) while a ' +
          'published entity changed since the set took it up.',
        params: IdParams,
        response: {
          200: Type.Object({
            changeset: ChangesetSchema,
            added: Type.Array(Type.String()),
            changed: Type.Array(Type.String()),
            removed: Type.Array(Type.String()),
            change_log: Type.Object({ entries: Type.Integer(), first_seq: Type.Union([Type.Integer(), Type.Null()]) }),
            events: Type.Integer(),
          }),
          ...errorsOf(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => presentPublish(await publishChangeset(of(request), requireActor(request), request.params.id)),
  );

  app.post(
    '/api/v1/changesets/:id/schedule',
    {
      config: { policy: needs('review') },
      schema: {
        tags,
        security,
        summary: 'Set (or with null clear) when the worker publishes an approved change set',
        params: IdParams,
        body: Type.Object(
          {
            // One type list rather than anyOf, so a wrong value is refused naming the field itself.
            publish_at: Type.Unsafe<string | null>({
              type: ['string', 'null'],
              maxLength: 40,
              description:
                'ISO 8601 date and time with its zone (2026-12-24T08:00:00+08:00), in the future; null clears it.',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ChangesetSchema, ...errorsOf(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      // The schema admits a string or null (the type provider reads its type list as unknown).
      const at: unknown = request.body.publish_at;
      return presentChangeset(
        await scheduleChangeset(
          of(request),
          requireActor(request),
          request.params.id,
          typeof at === 'string' ? at : null,
        ),
      );
    },
  );

  app.post(
    '/api/v1/changesets/:id/comments',
    {
      config: { policy: SIGNED_IN },
      schema: {
        tags,
        security,
        summary: 'Comment on a change set (a reviewer, or its author)',
        params: IdParams,
        body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
        response: { 201: CommentSchema, ...errorsOf(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          presentComment(
            await commentOnChangeset(of(request), requireActor(request), request.params.id, request.body.body),
          ),
        ),
  );
}
