// The JSON shapes of the watch resources (change-log entries and pages, the chain's verification, subscriptions,
// deliveries): snake_case, the same for the API and for the CLI's --json.
import type { ChangeEntry, VerifyReport } from './changelog.store.ts';
import type { Delivery } from './outbox.store.ts';
import type { Subscription } from './types.ts';

/**
 * A subscription (the filter as `watch`; the private feed's address when just made). `status`: pending (e-mail,
 * until its confirmation link is followed), unverified (webhook, until its receiver echoes the challenge; with
 * `verification_error`) or active.
 */
export function presentSubscription(s: Subscription, feedUrl?: string) {
  const f = s.filter;
  return {
    id: s.id,
    ...(s.label ? { label: s.label } : {}),
    channel: s.channel,
    ...(s.target ? { target: s.target } : {}),
    digest: s.digest,
    status: s.status,
    ...(s.verifyError ? { verification_error: s.verifyError } : {}),
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

/** A delivery of the outbox. */
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

/** One change-log entry, its contents parsed. */
export function presentEntry(e: ChangeEntry) {
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
    ...(e.changeset === undefined ? {} : { changeset: e.changeset }),
  };
}

/** A page of the change log; `next` is the address of the next page (null at the end). */
export function presentChanges(
  page: { entries: readonly ChangeEntry[]; head: { seq: number; hash: string } | null },
  next: string | null,
) {
  return { entries: page.entries.map(presentEntry), next, head: page.head };
}

/** The link to the page after this one of GET /api/v1/changes, keeping its filters. */
export function nextChangesPath(
  next: number | null,
  query: { readonly limit?: number | undefined; readonly kind?: string | undefined; readonly id?: string | undefined },
): string | null {
  if (next === null) return null;
  const params = new URLSearchParams({ since: String(next) });
  if (query.limit) params.set('limit', String(query.limit));
  if (query.kind) params.set('kind', query.kind);
  if (query.id) params.set('id', query.id);
  return `/api/v1/changes?${params.toString()}`;
}

/** The verification of the whole chain. */
export function presentVerify(r: VerifyReport) {
  return { ok: r.firstBad === null, entries: r.entries, head: r.head, first_bad: r.firstBad };
}
