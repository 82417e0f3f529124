// /api/v1/changes (the change log, paged; its verification) and /api/v1/subscriptions (create, list, read, delete;
// deliveries and dead letters, retry by hand). Owners authenticate with the token given when they first subscribed.
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SubscriptionLimits } from '../config/config.ts';
import { bearer, type PublicUrl } from '../http/params.ts';
import { ErrorBody, IdParams, Key, WholeNumber } from '../http/schemas.ts';
import { requestLanguage } from '../i18n/languages.ts';
import { ENTITY_KINDS } from '../store/knowledge.store.ts';
import type { Database } from '../store/database.ts';
import type { SecretBox } from './secrets.ts';
import { listChanges, verifyChain } from './changelog.store.ts';
import { DELIVERY_STATES, listDeliveries } from './outbox.store.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  ownerTokenRefused,
  retryDeadDelivery,
  subscriptionFeedPath,
  validateSubscription,
  verifyWebhook,
  type HandshakeOptions,
  MAX_AHEAD_DAYS,
} from './subscriptions.service.ts';
import { CHANGE_KINDS, CHANNELS, DIGESTS } from './types.ts';
import {
  nextChangesPath,
  presentChanges,
  presentDelivery,
  presentSubscription,
  presentVerify,
} from './watch.presenters.ts';
import { CAPABILITY, PUBLIC } from '../accounts/types.ts';

export interface WatchRoutesOptions {
  readonly allowPrivateWebhooks: boolean;
  /** For feed links of atom/ical subscriptions (never the request's Host). */
  readonly publicUrl: PublicUrl;
  /** Seals new webhook secrets, opens stored ones for a handshake (watch/secrets.ts). */
  readonly secrets: SecretBox;
  /** Rate limits of subscribing (config watch.limits). */
  readonly limits: SubscriptionLimits;
  /** A webhook's verification handshake (allowPrivate as allowPrivateWebhooks). */
  readonly handshake: HandshakeOptions;
}

/**
 * The owner token a request gives: an Authorization header that is there but not `Bearer <token>` is refused, not
 * taken for no token (which would make a new owner).
 */
function givenOwnerToken(request: FastifyRequest): string | undefined {
  if (request.headers.authorization === undefined) return undefined;
  const token = bearer(request);
  if (!token) throw ownerTokenRefused();
  return token;
}

const Codes = (description: string) => Type.Optional(Type.Array(Key(), { maxItems: 200, description }));

const WatchInput = Type.Object(
  {
    jurisdictions: Codes('Jurisdiction codes; each includes the jurisdictions below it.'),
    topics: Codes('Topic codes (TAXONOMY.md).'),
    instruments: Codes('Instrument ids.'),
    programmes: Codes('Programme ids.'),
    kinds: Type.Optional(
      Type.Array(Type.Union(CHANGE_KINDS.map((k) => Type.Literal(k))), {
        description: 'Kinds of change; none listed means every kind.',
      }),
    ),
    profile: Type.Optional(
      Type.Object(
        { id: Type.String(), token: Type.String() },
        { description: 'Eligibility changes of this stored profile (its token proves it is yours).' },
      ),
    ),
    // Bounded here, checked against 1 … MAX_AHEAD_DAYS by the service (which names every problem at once).
    effective_in_days: Type.Optional(
      WholeNumber({ description: `Alert N days (1 to ${MAX_AHEAD_DAYS}) before an effective date.` }),
    ),
    comment_deadline_in_days: Type.Optional(
      WholeNumber({ description: `Remind N days (1 to ${MAX_AHEAD_DAYS}) before a comment deadline.` }),
    ),
  },
  { additionalProperties: false },
);

const SubscriptionInputSchema = Type.Object(
  {
    label: Type.Optional(Type.String({ maxLength: 200 })),
    channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))),
    url: Type.Optional(Type.String({ description: 'Webhook URL (channel webhook).' })),
    email: Type.Optional(Type.String({ description: 'Address (channel email).' })),
    digest: Type.Optional(
      Type.Union(
        DIGESTS.map((d) => Type.Literal(d)),
        { description: 'E-mail only.' },
      ),
    ),
    watch: Type.Optional(WatchInput),
  },
  { additionalProperties: false },
);

const SubscriptionSchema = Type.Object(
  {
    id: Type.String(),
    label: Type.Optional(Type.String()),
    channel: Type.String(),
    target: Type.Optional(Type.String()),
    digest: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('unverified'), Type.Literal('active')], {
      description:
        'pending: an e-mail subscription until the link of its confirmation e-mail is followed; unverified: a ' +
        'webhook until its receiver echoes the challenge (docs/WEBHOOKS.md); active: delivered to.',
    }),
    verification_error: Type.Optional(Type.String({ description: 'Why the last verification handshake failed.' })),
    watch: Type.Object({}, { additionalProperties: true }),
    created_at: Type.String(),
    feed_url: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const DeliverySchema = Type.Object(
  {
    id: Type.Integer(),
    idempotency_key: Type.String(),
    subscription: Type.String(),
    channel: Type.String(),
    events: Type.Array(Type.Integer()),
    state: Type.String(),
    attempts: Type.Integer(),
    next_attempt_at: Type.Union([Type.String(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    delivered_at: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

/** Adds the change-log and subscription routes. */
export function registerWatchRoutes(fastify: FastifyInstance, db: Database, options: WatchRoutesOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ownerSecurity = [{ ownerToken: [] }];

  app.get(
    '/api/v1/changes',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['watch'],
        summary: 'The change log, oldest first, after a sequence number',
        description:
          'Every write to the knowledge base, one entry per entity, with its content before and after, when and by whom. ' +
          "Each entry's hash covers its content and its predecessor's hash (GET /api/v1/changes/verify checks the chain).",
        querystring: Type.Object(
          {
            since: Type.Optional(WholeNumber({ description: 'Entries after this seq (default 0).' })),
            limit: Type.Optional(WholeNumber({ minimum: 1, maximum: 1000, default: 100 })),
            kind: Type.Optional(
              Type.Union(
                ENTITY_KINDS.map((k) => Type.Literal(k)),
                { description: 'Only this entity kind (instrument, programme, revision …).' },
              ),
            ),
            id: Type.Optional(Key('Only this entity id.')),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            entries: Type.Array(Type.Object({}, { additionalProperties: true })),
            next: Type.Union([Type.String(), Type.Null()], { description: 'The next page, or null at the end.' }),
            head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]),
          }),
          400: ErrorBody,
        },
      },
    },
    async (request) => {
      const page = await listChanges(db, request.query);
      return presentChanges(page, nextChangesPath(page.next, request.query));
    },
  );

  app.get(
    '/api/v1/changes/verify',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['watch'],
        summary: 'Checks the whole hash chain of the change log',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer(),
            head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]),
            first_bad: Type.Union([Type.Object({ seq: Type.Integer(), reason: Type.String() }), Type.Null()]),
          }),
        },
      },
    },
    async () => presentVerify(await verifyChain(db)),
  );

  app.post(
    '/api/v1/subscriptions',
    {
      config: { policy: PUBLIC },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['watch'],
        summary: 'Subscribe: what to watch and how to hear of it',
        description:
          'Lists narrow (AND between lists, OR within one; empty = any). Send an owner token (Authorization: Bearer) ' +
          'to add to your subscriptions; without one a new owner token is returned, once (tokens are made by the ' +
          'server only: one that owns nothing is refused, 403). E-mail subscriptions are pending until the link of ' +
          'their confirmation e-mail is followed; webhooks get a signing secret and a verification challenge their ' +
          'receiver must echo before anything is delivered (docs/WEBHOOKS.md); atom and ical subscriptions a private ' +
          'feed URL. Rate-limited per client address and per e-mail address or webhook host (429, Retry-After).',
        body: SubscriptionInputSchema,
        response: {
          201: Type.Object({
            subscription: SubscriptionSchema,
            owner_token: Type.Optional(Type.String()),
            secret: Type.Optional(Type.String()),
          }),
          400: ErrorBody,
          403: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const owner = givenOwnerToken(request);
      const valid = await validateSubscription(db, request.body, {
        allowPrivateWebhooks: options.allowPrivateWebhooks,
      });
      const created = await createSubscription(db, valid, owner, {
        client: request.ip,
        lang: requestLanguage(request.query, request.headers['accept-language']),
        limits: options.limits,
        handshake: options.handshake,
        secrets: options.secrets,
      });
      const feed = created.feedToken
        ? `${options.publicUrl()}${subscriptionFeedPath(created.subscription, created.feedToken)}`
        : undefined;
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({
          subscription: presentSubscription(created.subscription, feed),
          ...(created.ownerToken ? { owner_token: created.ownerToken } : {}),
          ...(created.secret ? { secret: created.secret } : {}),
        });
    },
  );

  app.get(
    '/api/v1/subscriptions',
    {
      config: { policy: CAPABILITY },
      schema: {
        tags: ['watch'],
        summary: "The owner's subscriptions",
        security: ownerSecurity,
        response: { 200: Type.Object({ subscriptions: Type.Array(SubscriptionSchema) }), 403: ErrorBody },
      },
    },
    async (request) => ({
      subscriptions: (await listSubscriptions(db, bearer(request))).map((s) => presentSubscription(s)),
    }),
  );

  app.get(
    '/api/v1/subscriptions/:id',
    {
      config: { policy: CAPABILITY },
      schema: {
        tags: ['watch'],
        summary: 'One subscription',
        security: ownerSecurity,
        params: IdParams,
        response: { 200: SubscriptionSchema, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => presentSubscription(await getSubscription(db, request.params.id, bearer(request))),
  );

  app.delete(
    '/api/v1/subscriptions/:id',
    {
      config: { policy: CAPABILITY },
      schema: {
        tags: ['watch'],
        summary: 'Unsubscribe (queued deliveries are dropped)',
        security: ownerSecurity,
        params: IdParams,
        response: { 204: Type.Null(), 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await deleteSubscription(db, request.params.id, bearer(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/subscriptions/:id/verify',
    {
      config: { policy: CAPABILITY },
      schema: {
        tags: ['watch'],
        summary: "Run an unverified webhook's verification handshake again",
        description:
          'Horizon POSTs a signed challenge to the webhook URL; when the receiver echoes it the subscription becomes ' +
          'active. Answers the subscription as it is now (still unverified, with verification_error, if the receiver ' +
          'did not echo). An active webhook is answered as it is, nothing sent. Rate-limited as subscribing is.',
        security: ownerSecurity,
        params: IdParams,
        response: { 200: SubscriptionSchema, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) =>
      presentSubscription(
        await verifyWebhook(db, request.params.id, bearer(request), {
          client: request.ip,
          limits: options.limits,
          handshake: options.handshake,
          secrets: options.secrets,
        }),
      ),
  );

  app.get(
    '/api/v1/subscriptions/:id/deliveries',
    {
      config: { policy: CAPABILITY },
      schema: {
        tags: ['watch'],
        summary: "A subscription's deliveries, newest first; state=dead lists dead letters",
        security: ownerSecurity,
        params: IdParams,
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(DELIVERY_STATES.map((s) => Type.Literal(s)))),
            limit: Type.Optional(WholeNumber({ minimum: 1, maximum: 1000, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ deliveries: Type.Array(DeliverySchema) }), 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      await getSubscription(db, id, bearer(request));
      const list = await listDeliveries(db, { subscription: id, ...request.query });
      return { deliveries: list.map(presentDelivery) };
    },
  );

  app.post(
    '/api/v1/subscriptions/:id/deliveries/:delivery/retry',
    {
      config: { policy: CAPABILITY },
      schema: {
        tags: ['watch'],
        summary: 'Retry a dead delivery by hand (queued again, due now)',
        security: ownerSecurity,
        params: Type.Object({ id: Key(), delivery: WholeNumber({ minimum: 1 }) }),
        response: { 202: DeliverySchema, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { id, delivery } = request.params;
      return reply.status(202).send(presentDelivery(await retryDeadDelivery(db, id, delivery, bearer(request))));
    },
  );
}
