// The subscriptions table and its log (subscription_log, read by each worker's subscription index): rows in and out.
// Tokens arrive here already hashed; what they may do is decided in subscriptions.service.ts.
import type { Lang } from '../domain/types.ts';
import { LOCKS, lock } from '../store/locks.ts';
import type { Database, Queryable } from '../store/database.ts';
import type { Channel, Digest, Subscription, SubscriptionFilter, SubscriptionStatus } from './types.ts';

/** A stored subscription with the hashes and secret the service checks. */
export interface SubscriptionRecord {
  readonly subscription: Subscription;
  readonly ownerHash: string;
  readonly feedTokenHash: string | null;
  /** The webhook signing secret as stored: sealed by watch/secrets.ts (kept so deliveries can be signed). */
  readonly secret: string | null;
}

/** What a new subscription row holds. */
export interface NewSubscription {
  readonly id: string;
  readonly ownerHash: string;
  readonly label?: string | undefined;
  readonly filter: SubscriptionFilter;
  readonly channel: Channel;
  readonly target?: string | undefined;
  readonly secret?: string | undefined;
  readonly digest: Digest;
  readonly feedTokenHash?: string | undefined;
  readonly status: SubscriptionStatus;
  readonly lang: Lang;
}

interface Row {
  id: string;
  owner_hash: string;
  label: string | null;
  filter: string;
  channel: Channel;
  target: string | null;
  secret: string | null;
  digest: Digest;
  feed_token_hash: string | null;
  status: SubscriptionStatus;
  lang: Lang;
  verify_error: string | null;
  confirm_expires_at: Date | string | null;
  created_at: Date | string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

function toRecord(r: Row): SubscriptionRecord {
  return {
    subscription: {
      id: r.id,
      ...(r.label ? { label: r.label } : {}),
      filter: JSON.parse(r.filter) as SubscriptionFilter,
      channel: r.channel,
      ...(r.target ? { target: r.target } : {}),
      digest: r.digest,
      status: r.status,
      lang: r.lang,
      ...(r.status === 'unverified' && r.verify_error ? { verifyError: r.verify_error } : {}),
      createdAt: iso(r.created_at),
    },
    ownerHash: r.owner_hash,
    feedTokenHash: r.feed_token_hash,
    secret: r.secret,
  };
}

/** The codes a filter may name. */
export async function knownCodes(q: Queryable) {
  const set = async (sql: string) => new Set((await q.query<{ c: string }>(sql)).map((r) => r.c));
  return {
    jurisdictions: await set('SELECT code AS c FROM jurisdictions'),
    topics: await set("SELECT code AS c FROM taxonomy_terms WHERE scheme = 'topics'"),
    instruments: await set('SELECT id AS c FROM instruments'),
    programmes: await set('SELECT id AS c FROM programmes'),
  };
}

/**
 * Inserts a subscription and logs it as created, under the log lock (entries commit in the order of their seq).
 * Runs in the caller's transaction `tx`.
 */
export async function insertSubscription(tx: Queryable, s: NewSubscription): Promise<Subscription> {
  await lock(tx, LOCKS.subscriptionLog);
  const [row] = await tx.query<Row>(
    `INSERT INTO subscriptions (id, owner_hash, label, filter, channel, target, secret, digest, feed_token_hash,
       effective_ahead, deadline_ahead, status, lang, activated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $12 = 'active' THEN now() END)
     RETURNING *`,
    [
      s.id,
      s.ownerHash,
      s.label ?? null,
      JSON.stringify(s.filter),
      s.channel,
      s.target ?? null,
      s.secret ?? null,
      s.digest,
      s.feedTokenHash ?? null,
      s.filter.effectiveAhead ?? null,
      s.filter.deadlineAhead ?? null,
      s.status,
      s.lang,
    ],
  );
  await tx.query("INSERT INTO subscription_log (subscription_id, op) VALUES ($1, 'created')", [s.id]);
  if (!row) throw new Error('subscription insert returned nothing');
  return toRecord(row).subscription;
}

/**
 * Makes a pending or unverified subscription active (its confirmation token spent, its handshake error cleared) and
 * logs it, so workers' indexes add it. Null when there is no such subscription or it was active already.
 */
export async function activateSubscription(db: Database, id: string): Promise<Subscription | null> {
  return db.transaction(async (tx) => {
    await lock(tx, LOCKS.subscriptionLog);
    const [row] = await tx.query<Row>(
      `UPDATE subscriptions SET status = 'active', activated_at = now(), confirm_hash = NULL,
         confirm_expires_at = NULL, verify_error = NULL
       WHERE id = $1 AND status <> 'active' RETURNING *`,
      [id],
    );
    if (!row) return null;
    await tx.query("INSERT INTO subscription_log (subscription_id, op) VALUES ($1, 'activated')", [id]);
    return toRecord(row).subscription;
  });
}

/** Stores a pending subscription's confirmation token (hashed) and its expiry; null when it is not pending. */
export async function storeConfirmation(
  q: Queryable,
  id: string,
  tokenHash: string,
  ttlMs: number,
): Promise<{ subscription: Subscription; expiresAt: string } | null> {
  const [row] = await q.query<Row>(
    `UPDATE subscriptions SET confirm_hash = $2, confirm_expires_at = now() + ($3::bigint * interval '1 millisecond')
     WHERE id = $1 AND status = 'pending' RETURNING *`,
    [id, tokenHash, ttlMs],
  );
  return row?.confirm_expires_at
    ? { subscription: toRecord(row).subscription, expiresAt: iso(row.confirm_expires_at) }
    : null;
}

/** The pending subscription whose confirmation token has this hash and has not expired, or null. */
export async function findByConfirmation(q: Queryable, tokenHash: string): Promise<Subscription | null> {
  const [row] = await q.query<Row>(
    `SELECT * FROM subscriptions WHERE confirm_hash = $1 AND status = 'pending' AND confirm_expires_at > now()`,
    [tokenHash],
  );
  return row ? toRecord(row).subscription : null;
}

/** Records why a webhook's verification handshake failed (it stays unverified). */
export async function recordVerifyFailure(q: Queryable, id: string, error: string): Promise<Subscription | null> {
  const [row] = await q.query<Row>(
    `UPDATE subscriptions SET verify_error = $2 WHERE id = $1 AND status = 'unverified' RETURNING *`,
    [id, error],
  );
  return row ? toRecord(row).subscription : null;
}

/** The subscriptions of an owner (by the hash of their token), oldest first. */
export async function subscriptionsOfOwner(q: Queryable, ownerHash: string): Promise<Subscription[]> {
  const rows = await q.query<Row>('SELECT * FROM subscriptions WHERE owner_hash = $1 ORDER BY created_at, id', [
    ownerHash,
  ]);
  return rows.map((r) => toRecord(r).subscription);
}

/** True when at least one subscription belongs to the owner of this token hash. */
export async function ownerExists(q: Queryable, ownerHash: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM subscriptions WHERE owner_hash = $1 LIMIT 1', [ownerHash]);
  return rows.length > 0;
}

/** One subscription with its hashes, or null. */
export async function findSubscription(q: Queryable, id: string): Promise<SubscriptionRecord | null> {
  const [row] = await q.query<Row>('SELECT * FROM subscriptions WHERE id = $1', [id]);
  return row ? toRecord(row) : null;
}

/** Deletes a subscription (its queued deliveries go with it) and logs it as deleted, under the log lock. */
export async function removeSubscription(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lock(tx, LOCKS.subscriptionLog);
    await tx.query('DELETE FROM subscriptions WHERE id = $1', [id]);
    await tx.query("INSERT INTO subscription_log (subscription_id, op) VALUES ($1, 'deleted')", [id]);
  });
}

/** Webhook secrets still stored in clear (by a Horizon from before they were encrypted: values not starting v1:). */
export async function plainSecrets(q: Queryable): Promise<{ id: string; secret: string }[]> {
  return q.query<{ id: string; secret: string }>(
    "SELECT id, secret FROM subscriptions WHERE secret IS NOT NULL AND secret NOT LIKE 'v1:%' ORDER BY id",
  );
}

/** Replaces a stored secret if it still is `was` (another process may have sealed it first); true if replaced. */
export async function replaceSecret(q: Queryable, id: string, was: string, secret: string): Promise<boolean> {
  const rows = await q.query('UPDATE subscriptions SET secret = $3 WHERE id = $1 AND secret = $2 RETURNING id', [
    id,
    was,
    secret,
  ]);
  return rows.length > 0;
}

/** One sealed secret, to check the key against; null when none is stored. */
export async function someSealedSecret(q: Queryable): Promise<{ id: string; secret: string } | null> {
  const [row] = await q.query<{ id: string; secret: string }>(
    "SELECT id, secret FROM subscriptions WHERE secret LIKE 'v1:%' ORDER BY id LIMIT 1",
  );
  return row ?? null;
}

/** The newest seq of subscription_log (0 when it is empty). */
export async function subscriptionLogHead(q: Queryable): Promise<number> {
  const [head] = await q.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM subscription_log');
  return Number(head?.seq ?? 0);
}

/** The subscriptions created or deleted after `seq`, in commit order. */
export async function subscriptionLogSince(
  q: Queryable,
  seq: number,
): Promise<{ seq: number; subscription: string }[]> {
  const rows = await q.query<{ seq: number; subscription_id: string }>(
    'SELECT seq, subscription_id FROM subscription_log WHERE seq > $1 ORDER BY seq',
    [seq],
  );
  return rows.map((r) => ({ seq: Number(r.seq), subscription: r.subscription_id }));
}

/** What the in-memory index keeps of a subscription. */
export interface IndexedRow {
  readonly id: string;
  readonly channel: Channel;
  readonly digest: Digest;
  readonly filter: SubscriptionFilter;
  /** When it became active (ms since the epoch): events before then are not its business. */
  readonly since: number;
}

/** Active subscriptions for the index: the given ids, or a page in id order after `after`. */
export async function indexedSubscriptions(
  q: Queryable,
  which: { readonly ids: readonly string[] } | { readonly after: string; readonly limit: number },
): Promise<IndexedRow[]> {
  const [where, params] =
    'ids' in which
      ? ["WHERE id = ANY($1) AND status = 'active'", [which.ids]]
      : ["WHERE id > $1 AND status = 'active' ORDER BY id LIMIT $2", [which.after, which.limit]];
  const rows = await q.query<{ id: string; channel: Channel; digest: Digest; filter: string; since: number }>(
    `SELECT id, channel, digest, filter,
       (extract(epoch FROM coalesce(activated_at, created_at)) * 1000)::float8 AS since
     FROM subscriptions ${where}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    digest: r.digest,
    filter: JSON.parse(r.filter) as SubscriptionFilter,
    since: Math.floor(Number(r.since)),
  }));
}
