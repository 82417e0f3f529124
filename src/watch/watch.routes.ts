// /api/v1/changes (the change log, paged; its verification) and /api/v1/subscriptions (create, list, read, delete;
// deliveries and dead letters, retry by hand). Owners authenticate with the token given when they first subscribed.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HorizonError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { listChanges, verifyChain, type ChangeEntry } from './changelog.ts';
import {
  DELIVERY_STATES,
  getDelivery,
  listDeliveries,
  retryDelivery,
  type Delivery,
  type DeliveryState,
} from './outbox.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  validateSubscription,
  type SubscriptionInput,
} from './subscriptions.ts';
import { CHANGE_KINDS, CHANNELS, DIGESTS, type Subscription } from './types.ts';

export interface WatchRoutesOptions {
  readonly allowPrivateWebhooks: boolean;
  /** For feed links of atom/ical subscriptions; default: the request's origin. */
  readonly publicUrl?: string | undefined;
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true }),
});
const Codes = (description: string) => Type.Optional(Type.Array(Type.String(), { maxItems: 200, description }));

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
    effective_in_days: Type.Optional(Type.Integer({ description: 'Alert N days before an effective date.' })),
    comment_deadline_in_days: Type.Optional(Type.Integer({ description: 'Remind N days before a comment deadline.' })),
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

/** The API's JSON for a subscription (snake_case, the filter as `watch`). */
export function presentSubscription(s: Subscription, feedUrl?: string) {
  const f = s.filter;
  return {
    id: s.id,
    ...(s.label ? { label: s.label } : {}),
    channel: s.channel,
    ...(s.target ? { target: s.target } : {}),
    digest: s.digest,
    watch: {
      jurisdictions: f.jurisdictions,
      topics: f.topics,
      instruments: f.instruments,
      programmes: f.programmes,
      kinds: f.kinds,
      ...(f.profile !== undefined ? { profile: f.profile } : {}),
      ...(f.effectiveAhead !== undefined ? { effective_in_days: f.effectiveAhead } : {}),
      ...(f.deadlineAhead !== undefined ? { comment_deadline_in_days: f.deadlineAhead } : {}),
    },
    created_at: s.createdAt,
    ...(feedUrl ? { feed_url: feedUrl } : {}),
  };
}

export function presentDelivery(d: Delivery) {
  return {
    id: d.id,
    idempotency_key: d.idempotencyKey,
    subscription: d.subscription,
    channel: d.channel,
    events: [...d.events],
    state: d.state,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    last_error: d.lastError,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
  };
}

function presentEntry(e: ChangeEntry) {
  return {
    seq: e.seq,
    recorded_at: e.recordedAt,
    actor: e.actor,
    action: e.action,
    entity: { kind: e.kind, id: e.id },
    change: e.change,
    before: e.before === null ? null : (JSON.parse(e.before) as unknown),
    after: e.after === null ? null : (JSON.parse(e.after) as unknown),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** The private feed address of an atom or ical subscription. */
export function subscriptionFeedPath(s: Subscription, feedToken: string): string {
  return `/feeds/subscriptions/${s.id}.${s.channel === 'ical' ? 'ics' : 'atom'}?token=${encodeURIComponent(feedToken)}`;
}

const origin = (request: FastifyRequest, publicUrl?: string) =>
  publicUrl ?? `${request.protocol}://${request.headers.host ?? request.hostname}`;

/** Adds the change-log and subscription routes. */
export function registerWatchRoutes(app: FastifyInstance, db: Database, options: WatchRoutesOptions): void {
  const ownerSecurity = [{ ownerToken: [] }];

  app.get(
    '/api/v1/changes',
    {
      schema: {
        tags: ['watch'],
        summary: 'The change log, oldest first, after a sequence number',
        description:
          'Every write to the knowledge base, one entry per entity, with its content before and after, when and by whom. ' +
          "Each entry's hash covers its content and its predecessor's hash (GET /api/v1/changes/verify checks the chain).",
        querystring: Type.Object(
          {
            since: Type.Optional(Type.Integer({ minimum: 0, description: 'Entries after this seq (default 0).' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            kind: Type.Optional(
              Type.String({ description: 'Only this entity kind (instrument, programme, revision …).' }),
            ),
            id: Type.Optional(Type.String({ description: 'Only this entity id.' })),
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
      const q = request.query as { since?: number; limit?: number; kind?: string; id?: string };
      const page = await listChanges(db, q);
      const params = new URLSearchParams();
      if (page.next !== null) {
        params.set('since', String(page.next));
        if (q.limit) params.set('limit', String(q.limit));
        if (q.kind) params.set('kind', q.kind);
        if (q.id) params.set('id', q.id);
      }
      return {
        entries: page.entries.map(presentEntry),
        next: page.next === null ? null : `/api/v1/changes?${params.toString()}`,
        head: page.head,
      };
    },
  );

  app.get(
    '/api/v1/changes/verify',
    {
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
    async () => {
      const r = await verifyChain(db);
      return { ok: r.firstBad === null, entries: r.entries, head: r.head, first_bad: r.firstBad };
    },
  );

  app.post(
    '/api/v1/subscriptions',
    {
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['watch'],
        summary: 'Subscribe: what to watch and how to hear of it',
        description:
          'Lists narrow (AND between lists, OR within one; empty = any). Send an owner token (Authorization: Bearer) ' +
          'to add to your subscriptions; without one a new owner token is returned, once. Webhooks get a signing ' +
          'secret (docs/WEBHOOKS.md); atom and ical subscriptions a private feed URL.',
        body: SubscriptionInputSchema,
        response: {
          201: Type.Object({
            subscription: SubscriptionSchema,
            owner_token: Type.Optional(Type.String()),
            secret: Type.Optional(Type.String()),
          }),
          400: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const valid = await validateSubscription(db, request.body as SubscriptionInput, {
        allowPrivateWebhooks: options.allowPrivateWebhooks,
      });
      const created = await createSubscription(db, valid, bearer(request));
      const feed = created.feedToken
        ? `${origin(request, options.publicUrl)}${subscriptionFeedPath(created.subscription, created.feedToken)}`
        : undefined;
      return reply.status(201).send({
        subscription: presentSubscription(created.subscription, feed),
        ...(created.ownerToken ? { owner_token: created.ownerToken } : {}),
        ...(created.secret ? { secret: created.secret } : {}),
      });
    },
  );

  app.get(
    '/api/v1/subscriptions',
    {
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

  const IdParams = Type.Object({ id: Type.String() });
  app.get(
    '/api/v1/subscriptions/:id',
    {
      schema: {
        tags: ['watch'],
        summary: 'One subscription',
        security: ownerSecurity,
        params: IdParams,
        response: { 200: SubscriptionSchema, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) =>
      presentSubscription(await getSubscription(db, (request.params as { id: string }).id, bearer(request))),
  );

  app.delete(
    '/api/v1/subscriptions/:id',
    {
      schema: {
        tags: ['watch'],
        summary: 'Unsubscribe (queued deliveries are dropped)',
        security: ownerSecurity,
        params: IdParams,
        response: { 204: Type.Null(), 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await deleteSubscription(db, (request.params as { id: string }).id, bearer(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/subscriptions/:id/deliveries',
    {
      schema: {
        tags: ['watch'],
        summary: "A subscription's deliveries, newest first; state=dead lists dead letters",
        security: ownerSecurity,
        params: IdParams,
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(DELIVERY_STATES.map((s) => Type.Literal(s)))),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ deliveries: Type.Array(DeliverySchema) }), 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { state?: DeliveryState; limit?: number };
      await getSubscription(db, id, bearer(request));
      const list = await listDeliveries(db, { subscription: id, ...q });
      return { deliveries: list.map(presentDelivery) };
    },
  );

  app.post(
    '/api/v1/subscriptions/:id/deliveries/:delivery/retry',
    {
      schema: {
        tags: ['watch'],
        summary: 'Retry a dead delivery by hand (queued again, due now)',
        security: ownerSecurity,
        params: Type.Object({ id: Type.String(), delivery: Type.Integer() }),
        response: { 202: DeliverySchema, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { id, delivery } = request.params as { id: string; delivery: number };
      await getSubscription(db, id, bearer(request));
      const d = await getDelivery(db, delivery);
      if (!d || d.subscription !== id) throw new HorizonError('not_found', `No delivery ${delivery} for ${id}`);
      if (!(await retryDelivery(db, delivery))) {
        throw new HorizonError('conflict', `Delivery ${delivery} is ${d.state}, not dead: only dead ones are retried`);
      }
      return reply.status(202).send(presentDelivery((await getDelivery(db, delivery)) ?? d));
    },
  );
}
