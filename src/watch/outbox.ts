// The outbox: every push delivery is a row. Writers record events in their own transaction; workers dispatch them
// (match against the in-memory subscription index, queue deliveries, mark dispatched: one transaction). Workers claim
// rows with FOR UPDATE SKIP LOCKED and a lease, so no two workers hold one row, and a worker that dies mid-way only
// delays a delivery until its lease runs out. Deliveries are at least once; receivers dedupe by the idempotency key.
import { createHash, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../store/database.ts';
import { loadAncestors } from './match.ts';
import type { SubscriptionIndex } from './subscription-index.ts';
import type { Channel, WatchEvent } from './types.ts';

export const DELIVERY_STATES = ['pending', 'sending', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What a delivery carries. */
export interface DeliveryPayload {
  readonly events: readonly number[];
  readonly digest?: 'daily' | 'weekly';
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
}

/** A stable key for one subscription hearing of one set of events. */
export function idempotencyKey(subscription: string, events: readonly number[]): string {
  const digest = createHash('sha256')
    .update(`${subscription}\n${events.join(',')}`)
    .digest('hex');
  return `hz_${digest.slice(0, 40)}`;
}

/**
 * Matches events not yet dispatched (oldest first, up to `limit`) against the subscription index and queues their
 * deliveries: one per subscription carrying all of its events of the batch, or digest items for daily and weekly
 * digests; then marks the events dispatched. All in one transaction, events claimed with SKIP LOCKED: a crash leaves
 * them to be dispatched again, and concurrent workers take different events.
 */
export async function dispatchEvents(
  db: Database,
  index: SubscriptionIndex,
  limit = 200,
): Promise<{ events: number; deliveries: number; digestItems: number }> {
  await index.refresh(db);
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; doc: string }>(
      `SELECT id, doc FROM watch_events WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return { events: 0, deliveries: 0, digestItems: 0 };
    const ancestors = await loadAncestors(tx);
    const bySubscription = new Map<string, { channel: Channel; digest: string; events: number[] }>();
    for (const r of rows) {
      const e = JSON.parse(r.doc) as WatchEvent;
      for (const s of index.match(e, ancestors)) {
        const entry = bySubscription.get(s.id) ?? { channel: s.channel, digest: s.digest, events: [] };
        entry.events.push(Number(r.id));
        bySubscription.set(s.id, entry);
      }
    }
    const out = { keys: [] as string[], subs: [] as string[], channels: [] as string[], payloads: [] as string[] };
    const digest = { subs: [] as string[], events: [] as number[] };
    for (const [id, s] of bySubscription) {
      if (s.channel === 'email' && s.digest !== 'none') {
        for (const e of s.events) {
          digest.subs.push(id);
          digest.events.push(e);
        }
        continue;
      }
      out.keys.push(idempotencyKey(id, s.events));
      out.subs.push(id);
      out.channels.push(s.channel);
      out.payloads.push(JSON.stringify({ events: s.events } satisfies DeliveryPayload));
    }
    // Joined with subscriptions: one deleted since the index last looked is skipped, not an error.
    const queued = await tx.query(
      `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload)
       SELECT u.k, u.s, u.c, u.p FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(k, s, c, p)
       JOIN subscriptions ON subscriptions.id = u.s
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [out.keys, out.subs, out.channels, out.payloads],
    );
    const items = await tx.query(
      `INSERT INTO digest_items (subscription_id, event_id)
       SELECT u.s, u.e FROM unnest($1::text[], $2::bigint[]) AS u(s, e) JOIN subscriptions ON subscriptions.id = u.s
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [digest.subs, digest.events],
    );
    await tx.query('UPDATE watch_events SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => Number(r.id)),
    ]);
    return { events: rows.length, deliveries: queued.length, digestItems: items.length };
  });
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
      return { ...toDelivery(r), claimToken: token, ...(payload.digest ? { digest: payload.digest } : {}) };
    })
    .sort((a, b) => a.id - b.id);
}

/** How a send went. */
export type SendResult =
  | { readonly ok: true; readonly status?: number }
  | { readonly ok: false; readonly retryable: boolean; readonly status?: number; readonly error: string };

/** Exponential backoff with jitter: base·2^(attempt−1), scaled by a random factor in [0.5, 1), capped at a day. */
export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(attempt - 1, 0), 86_400_000);
  return Math.round(exp * (0.5 + random() / 2));
}

/**
 * Records the outcome of a claimed delivery: delivered; pending again after a backoff; or dead after the last try
 * (or at once when the failure is permanent). Does nothing when the claim was lost (its lease ran out and another
 * worker took the row). Returns the new state, or null when the claim was lost.
 */
export async function settleDelivery(
  q: Queryable,
  claim: Claim,
  result: SendResult,
  policy: { readonly maxAttempts: number; readonly retryBaseMs: number },
): Promise<DeliveryState | null> {
  let state: DeliveryState;
  let rows: unknown[];
  if (result.ok) {
    state = 'delivered';
    rows = await q.query(
      `UPDATE outbox SET state = 'delivered', delivered_at = now(), lease_until = NULL, last_error = NULL
       WHERE id = $1 AND claim_token = $2 AND state = 'sending' RETURNING id`,
      [claim.id, claim.claimToken],
    );
  } else {
    const error = `${result.status ? `HTTP ${result.status}: ` : ''}${result.error}`.slice(0, 500);
    state = result.retryable && claim.attempts < policy.maxAttempts ? 'pending' : 'dead';
    rows = await q.query(
      `UPDATE outbox SET state = $3, lease_until = NULL, last_error = $4,
         next_attempt_at = now() + ($5::bigint * interval '1 millisecond')
       WHERE id = $1 AND claim_token = $2 AND state = 'sending' RETURNING id`,
      [
        claim.id,
        claim.claimToken,
        state,
        error,
        state === 'pending' ? backoffMs(claim.attempts, policy.retryBaseMs) : 0,
      ],
    );
  }
  return rows.length ? state : null;
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

/** The calendar day and hour and weekday (1 = Monday) of an instant in a time zone. */
export function localTime(now: Date, timeZone: string): { day: string; hour: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')), weekday };
}

/** The hour (local) digests go out. */
export const DIGEST_HOUR = 8;

/**
 * Turns waiting digest items into one delivery per subscription when its digest is due: daily digests every morning,
 * weekly ones on Monday mornings (in the configured time zone). One digest per subscription per day at most.
 */
export async function flushDigests(q: Queryable, now: Date, timeZone: string): Promise<number> {
  const local = localTime(now, timeZone);
  if (local.hour < DIGEST_HOUR) return 0;
  const due = local.weekday === 1 ? ['daily', 'weekly'] : ['daily'];
  const subs = await q.query<{ id: string; digest: 'daily' | 'weekly'; events: number[] }>(
    `SELECT s.id, s.digest, array_agg(d.event_id ORDER BY d.event_id) AS events
     FROM digest_items d JOIN subscriptions s ON s.id = d.subscription_id
     WHERE s.digest = ANY($1) GROUP BY s.id, s.digest`,
    [due],
  );
  let queued = 0;
  for (const s of subs) {
    const events = s.events.map(Number);
    const payload: DeliveryPayload = { events, digest: s.digest };
    const rows = await q.query(
      `INSERT INTO outbox (idempotency_key, subscription_id, channel, payload) VALUES ($1, $2, 'email', $3)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [`hz_digest_${s.id}_${local.day}`, s.id, JSON.stringify(payload)],
    );
    if (rows.length === 0) continue; // this subscription's digest already went out today: the rest waits
    await q.query('DELETE FROM digest_items WHERE subscription_id = $1 AND event_id = ANY($2::bigint[])', [
      s.id,
      events,
    ]);
    queued++;
  }
  return queued;
}
