// The outbox table (and digest_items): deliveries as rows, claimed with FOR UPDATE SKIP LOCKED and a lease. What to
// queue, when to retry and when a digest is due is decided in outbox.ts; this module only reads and writes rows.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/database.ts';
import type { Channel } from './types.ts';

export const DELIVERY_STATES = ['pending', 'sending', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What a delivery carries. */
export interface DeliveryPayload {
  readonly events: readonly number[];
  readonly digest?: 'daily' | 'weekly';
  /** A pending e-mail subscription's one confirmation e-mail (no events). */
  readonly kind?: 'confirm';
}

/** A delivery as listed for owners and operators. */
export interface Delivery {
  readonly id: number;
  readonly idempotencyKey: string;
  readonly subscription: string;
  readonly channel: Channel;
  readonly events: readonly number[];
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

/** A delivery a worker holds. */
export interface Claim extends Delivery {
  readonly claimToken: string;
  readonly digest?: 'daily' | 'weekly';
  readonly kind?: 'confirm';
}

interface Row {
  id: number;
  idempotency_key: string;
  subscription_id: string;
  channel: Channel;
  payload: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Date | string | null;
  last_error: string | null;
  created_at: Date | string;
  delivered_at: Date | string | null;
  claim_token?: string | null;
}

const iso = (v: Date | string | null): string | null =>
  v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString();

function toDelivery(r: Row): Delivery {
  const payload = JSON.parse(r.payload) as DeliveryPayload;
  return {
    id: Number(r.id),
    idempotencyKey: r.idempotency_key,
    subscription: r.subscription_id,
    channel: r.channel,
    events: payload.events,
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: r.state === 'pending' ? iso(r.next_attempt_at) : null,
    lastError: r.last_error,
    createdAt: iso(r.created_at) ?? '',
    deliveredAt: iso(r.delivered_at),
  };
}

/**
 * Claims up to `limit` deliveries that are due (pending and due, or sending with an expired lease: their worker died)
 * and leases them for `leaseMs`. Concurrent claimers skip each other's rows.
 */
export async function claimDeliveries(q: Queryable, limit: number, leaseMs: number): Promise<Claim[]> {
  const token = randomUUID();
  const rows = await q.query<Row>(
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, claim_token = $1,
       lease_until = now() + ($2::int * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM outbox
       WHERE (state = 'pending' AND next_attempt_at <= now()) OR (state = 'sending' AND lease_until < now())
       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [token, leaseMs, limit],
  );
  return rows
    .map((r) => {
      const payload = JSON.parse(r.payload) as DeliveryPayload;
      return {
        ...toDelivery(r),
        claimToken: token,
        ...(payload.digest ? { digest: payload.digest } : {}),
        ...(payload.kind ? { kind: payload.kind } : {}),
      };
    })
    .sort((a, b) => a.id - b.id);
}

/** Deliveries of one subscription (or all), newest first, optionally in one state. */
export async function listDeliveries(
  q: Queryable,
  options: { readonly subscription?: string; readonly state?: DeliveryState; readonly limit?: number } = {},
): Promise<Delivery[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.subscription !== undefined) {
    params.push(options.subscription);
    where.push(`subscription_id = $${params.length}`);
  }
  if (options.state !== undefined) {
    params.push(options.state);
    where.push(`state = $${params.length}`);
  }
  params.push(Math.min(Math.max(options.limit ?? 100, 1), 1000));
  const rows = await q.query<Row>(
    `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toDelivery);
}

/** One delivery, or null. */
export async function getDelivery(q: Queryable, id: number): Promise<Delivery | null> {
  const [row] = await q.query<Row>('SELECT * FROM outbox WHERE id = $1', [id]);
  return row ? toDelivery(row) : null;
}

/** Puts a dead delivery back in the queue, due now, with its tries counted afresh. False if it was not dead. */
export async function retryDelivery(q: Queryable, id: number): Promise<boolean> {
  const rows = await q.query(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
     WHERE id = $1 AND state = 'dead' RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

/** Counts by state, for operators. */
export async function outboxCounts(q: Queryable): Promise<Record<DeliveryState, number>> {
  const rows = await q.query<{ state: DeliveryState; n: number }>(
    'SELECT state, count(*)::int AS n FROM outbox GROUP BY state',
  );
  const out: Record<DeliveryState, number> = { pending: 0, sending: 0, delivered: 0, dead: 0 };
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}

/** Marks a claimed delivery delivered; false when the claim was lost. */
export async function markDelivered(q: Queryable, claim: Claim): Promise<boolean> {
  const rows = await q.query(
    `UPDATE outbox SET state = 'delivered', delivered_at = now(), lease_until = NULL, last_error = NULL
     WHERE id = $1 AND claim_token = $2 AND state = 'sending' RETURNING id`,
    [claim.id, claim.claimToken],
  );
  return rows.length > 0;
}

/** Marks a claimed delivery pending again (due after `delayMs`) or dead; false when the claim was lost. */
export async function markFailed(
  q: Queryable,
  claim: Claim,
  state: 'pending' | 'dead',
  error: string,
  delayMs: number,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE outbox SET state = $3, lease_until = NULL, last_error = $4,
       next_attempt_at = now() + ($5::bigint * interval '1 millisecond')
     WHERE id = $1 AND claim_token = $2 AND state = 'sending' RETURNING id`,
    [claim.id, claim.claimToken, state, error, delayMs],
  );
  return rows.length > 0;
}

/** Counts by state of each of these subscriptions' deliveries (every state present, 0 when none). */
export async function deliveryCounts(
  q: Queryable,
  subscriptions: readonly string[],
): Promise<Map<string, Record<DeliveryState, number>>> {
  const out = new Map<string, Record<DeliveryState, number>>();
  for (const id of subscriptions) out.set(id, { pending: 0, sending: 0, delivered: 0, dead: 0 });
  if (subscriptions.length === 0) return out;
  const rows = await q.query<{ subscription_id: string; state: DeliveryState; n: number }>(
    `SELECT subscription_id, state, count(*)::int AS n FROM outbox WHERE subscription_id = ANY($1)
     GROUP BY subscription_id, state`,
    [subscriptions],
  );
  for (const r of rows) {
    const counts = out.get(r.subscription_id);
    if (counts) counts[r.state] = Number(r.n);
  }
  return out;
}

/** The newest dead deliveries of each of these subscriptions, up to `limit` each, newest first. */
export async function deadDeliveries(
  q: Queryable,
  subscriptions: readonly string[],
  limit: number,
): Promise<Map<string, Delivery[]>> {
  const out = new Map<string, Delivery[]>(subscriptions.map((id) => [id, []]));
  if (subscriptions.length === 0) return out;
  const rows = await q.query<Row>(
    `SELECT * FROM (
       SELECT o.*, row_number() OVER (PARTITION BY subscription_id ORDER BY id DESC) AS rank
       FROM outbox o WHERE subscription_id = ANY($1) AND state = 'dead') ranked
     WHERE rank <= $2 ORDER BY id DESC`,
    [subscriptions, limit],
  );
  for (const r of rows) out.get(r.subscription_id)?.push(toDelivery(r));
  return out;
}

/** The newest `limit` dead-lettered deliveries of any subscription, newest first (the workspace lists them). */
export async function newestDeadDeliveries(q: Queryable, limit: number): Promise<Delivery[]> {
  const rows = await q.query<Row>("SELECT * FROM outbox WHERE state = 'dead' ORDER BY id DESC LIMIT $1", [limit]);
  return rows.map(toDelivery);
}

/** Undispatched events, oldest first, locked for this transaction (concurrent dispatchers skip them). */
export async function claimUndispatchedEvents(tx: Queryable, limit: number): Promise<{ id: number; doc: string }[]> {
  return tx.query<{ id: number; doc: string }>(
    `SELECT id, doc FROM watch_events WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
}

/**
 * Queues deliveries and digest items and marks the events dispatched. Joined with active subscriptions: one deleted
 * (or not active) since the index last looked is skipped, not an error. Returns how many of each were queued.
 */
export async function queueDispatch(
  tx: Queryable,
  out: { keys: string[]; subs: string[]; channels: string[]; payloads: string[] },
  digest: { subs: string[]; events: number[] },
  events: readonly number[],
): Promise<{ deliveries: number; digestItems: number }> {
  const queued = await tx.query(
    `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload)
     SELECT u.k, u.s, u.c, u.p FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(k, s, c, p)
     JOIN subscriptions ON subscriptions.id = u.s AND subscriptions.status = 'active'
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [out.keys, out.subs, out.channels, out.payloads],
  );
  const items = await tx.query(
    `INSERT INTO digest_items (subscription_id, event_id)
     SELECT u.s, u.e FROM unnest($1::text[], $2::bigint[]) AS u(s, e)
     JOIN subscriptions ON subscriptions.id = u.s AND subscriptions.status = 'active'
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [digest.subs, digest.events],
  );
  await tx.query('UPDATE watch_events SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [events]);
  return { deliveries: queued.length, digestItems: items.length };
}

/** Subscriptions with waiting digest items whose digest is one of `due`, with those items' events. */
export async function waitingDigests(
  q: Queryable,
  due: readonly string[],
): Promise<{ id: string; digest: 'daily' | 'weekly'; events: number[] }[]> {
  const rows = await q.query<{ id: string; digest: 'daily' | 'weekly'; events: number[] }>(
    `SELECT s.id, s.digest, array_agg(d.event_id ORDER BY d.event_id) AS events
     FROM digest_items d JOIN subscriptions s ON s.id = d.subscription_id
     WHERE s.digest = ANY($1) AND s.status = 'active' GROUP BY s.id, s.digest`,
    [due],
  );
  return rows.map((r) => ({ id: r.id, digest: r.digest, events: r.events.map(Number) }));
}

/**
 * Queues one digest delivery under `key` and removes its items; false (and nothing removed) when a delivery with
 * that key exists already (this subscription's digest went out today).
 */
export async function queueDigest(
  q: Queryable,
  key: string,
  subscription: string,
  payload: DeliveryPayload,
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload) VALUES ($1, $2, 'email', $3)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [key, subscription, JSON.stringify(payload)],
  );
  if (rows.length === 0) return false;
  await q.query('DELETE FROM digest_items WHERE subscription_id = $1 AND event_id = ANY($2::bigint[])', [
    subscription,
    payload.events,
  ]);
  return true;
}

/** The start of a confirmation e-mail's idempotency key (the rest is its subscription's id). */
export const CONFIRMATION_KEY = 'hz_confirm_';

/** Queues a pending e-mail subscription's confirmation e-mail (once: the key is the subscription's). */
export async function queueConfirmation(q: Queryable, subscription: string): Promise<void> {
  const payload: DeliveryPayload = { events: [], kind: 'confirm' };
  await q.query(
    `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload) VALUES ($1, $2, 'email', $3)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [`${CONFIRMATION_KEY}${subscription}`, subscription, JSON.stringify(payload)],
  );
}
