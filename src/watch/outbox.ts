// The outbox: every push delivery is a row. Writers record events in their own transaction; workers dispatch them
// (match against the in-memory subscription index, queue deliveries, mark dispatched: one transaction). Workers claim
// rows with FOR UPDATE SKIP LOCKED and a lease, so no two workers hold one row, and a worker that dies mid-way only
// delays a delivery until its lease runs out. Deliveries are at least once; receivers dedupe by the idempotency key.
import { createHash } from 'node:crypto';
import { ancestorsFrom } from '../domain/jurisdictions.ts';
import type { Database, Queryable } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';
import {
  claimUndispatchedEvents,
  markDelivered,
  markFailed,
  queueDigest,
  queueDispatch,
  waitingDigests,
  type Claim,
  type DeliveryPayload,
  type DeliveryState,
} from './outbox.store.ts';
import type { SubscriptionIndex } from './subscription-index.ts';
import type { Channel, WatchEvent } from './types.ts';

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
    const rows = await claimUndispatchedEvents(tx, limit);
    if (rows.length === 0) return { events: 0, deliveries: 0, digestItems: 0 };
    const ancestors = ancestorsFrom(await new KnowledgeRepository(tx).jurisdictionTree());
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
    const queued = await queueDispatch(
      tx,
      out,
      digest,
      rows.map((r) => Number(r.id)),
    );
    return { events: rows.length, ...queued };
  });
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
  if (result.ok) return (await markDelivered(q, claim)) ? 'delivered' : null;
  const error = `${result.status ? `HTTP ${result.status}: ` : ''}${result.error}`.slice(0, 500);
  const state = result.retryable && claim.attempts < policy.maxAttempts ? 'pending' : 'dead';
  const delayMs = state === 'pending' ? backoffMs(claim.attempts, policy.retryBaseMs) : 0;
  return (await markFailed(q, claim, state, error, delayMs)) ? state : null;
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
  let queued = 0;
  for (const s of await waitingDigests(q, due)) {
    const payload: DeliveryPayload = { events: s.events, digest: s.digest };
    // false: this subscription's digest already went out today; the rest waits.
    if (await queueDigest(q, `hz_digest_${s.id}_${local.day}`, s.id, payload)) queued++;
  }
  return queued;
}
