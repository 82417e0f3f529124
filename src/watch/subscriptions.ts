// Subscriptions: what someone watches and how they hear of it. Owners hold a token (kept only as a hash) that lists,
// reads and deletes their subscriptions; feeds of atom/ical subscriptions have their own read-only token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HorizonError, type Problem } from '../errors.ts';
import { readProfile } from '../relevance/profiles.store.ts';
import type { Database, Queryable } from '../store/database.ts';
import { checkWebhookUrl } from './deliver/address-guard.ts';
import {
  CHANGE_KINDS,
  CHANNELS,
  DIGESTS,
  type Channel,
  type ChangeKind,
  type Digest,
  type Subscription,
  type SubscriptionFilter,
} from './types.ts';

/** A subscription as asked for (the API's JSON, snake_case). */
export interface SubscriptionInput {
  readonly label?: string;
  readonly channel: string;
  /** Webhook URL (channel webhook). */
  readonly url?: string;
  /** Address (channel email). */
  readonly email?: string;
  readonly digest?: string;
  readonly watch?: {
    readonly jurisdictions?: readonly string[];
    readonly topics?: readonly string[];
    readonly instruments?: readonly string[];
    readonly programmes?: readonly string[];
    readonly kinds?: readonly string[];
    readonly profile?: { readonly id: string; readonly token: string };
    readonly effective_in_days?: number;
    readonly comment_deadline_in_days?: number;
  };
}

/** What creating a subscription hands back, once: the secrets are not stored in the clear (but the webhook secret). */
export interface Created {
  readonly subscription: Subscription;
  /** The owner's token, when a new owner was made (absent when the caller gave theirs). */
  readonly ownerToken?: string;
  /** Webhook signing secret. */
  readonly secret?: string;
  /** atom/ical: the private feed's token. */
  readonly feedToken?: string;
}

/** Held while a subscription is created or deleted, so subscription_log entries commit in the order of their seq. */
const LOG_LOCK = 'SELECT pg_advisory_xact_lock(7212006)';

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');
const token = (prefix: string): string => `${prefix}_${randomBytes(24).toString('base64url')}`;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
export const MAX_AHEAD_DAYS = 366;
const MAX_LIST = 200;

/** The codes a filter may name, read from the store. */
async function knownCodes(q: Queryable) {
  const set = async (sql: string) => new Set((await q.query<{ c: string }>(sql)).map((r) => r.c));
  return {
    jurisdictions: await set('SELECT code AS c FROM jurisdictions'),
    topics: await set("SELECT code AS c FROM taxonomy_terms WHERE scheme = 'topics'"),
    instruments: await set('SELECT id AS c FROM instruments'),
    programmes: await set('SELECT id AS c FROM programmes'),
  };
}

/** Checks an input against the store; every problem is reported with its field. */
export async function validateSubscription(
  db: Database,
  input: SubscriptionInput,
  options: { readonly allowPrivateWebhooks: boolean; readonly lookup?: (host: string) => Promise<string[]> },
): Promise<{
  filter: SubscriptionFilter;
  channel: Channel;
  target?: string;
  digest: Digest;
  label?: string;
}> {
  const problems: Problem[] = [];
  const problem = (where: string, message: string) => problems.push({ where, message });
  const channel = input.channel as Channel;
  if (!CHANNELS.includes(channel)) problem('channel', `must be one of ${CHANNELS.join(', ')}`);
  const digest = (input.digest ?? 'none') as Digest;
  if (!DIGESTS.includes(digest)) problem('digest', `must be one of ${DIGESTS.join(', ')}`);
  else if (digest !== 'none' && channel !== 'email') problem('digest', 'daily and weekly digests are for e-mail');
  let target: string | undefined;
  if (channel === 'webhook') {
    if (!input.url) problem('url', 'a webhook needs a url');
    else {
      try {
        await checkWebhookUrl(input.url, {
          allowPrivate: options.allowPrivateWebhooks,
          ...(options.lookup ? { lookup: options.lookup } : {}),
        });
        target = input.url;
      } catch (error) {
        const refused = error instanceof HorizonError ? error.problems[0] : undefined;
        if (refused) problems.push({ ...refused, where: 'url' });
        else problem('url', error instanceof HorizonError ? error.message : String(error));
      }
    }
  } else if (input.url !== undefined) problem('url', `only webhooks have a url (channel is ${input.channel})`);
  if (channel === 'email') {
    if (!input.email) problem('email', 'an e-mail subscription needs an address');
    else if (!EMAIL.test(input.email) || input.email.length > 254) problem('email', 'is not an e-mail address');
    else target = input.email;
  } else if (input.email !== undefined) problem('email', `only e-mail subscriptions have an address`);
  if (input.label !== undefined && input.label.length > 200) problem('label', 'must be at most 200 characters');

  const w = input.watch ?? {};
  const known = await knownCodes(db);
  const list = (name: 'jurisdictions' | 'topics' | 'instruments' | 'programmes'): string[] => {
    const values = w[name] ?? [];
    if (values.length > MAX_LIST) problem(`watch.${name}`, `at most ${MAX_LIST} codes`);
    values.forEach((v, i) => {
      if (!known[name].has(v)) problem(`watch.${name}[${i}]`, `unknown code "${v}"`);
    });
    return [...new Set(values)];
  };
  const jurisdictions = list('jurisdictions');
  const topics = list('topics');
  const instruments = list('instruments');
  const programmes = list('programmes');
  const kinds = [...new Set(w.kinds ?? [])] as ChangeKind[];
  kinds.forEach((k, i) => {
    if (!CHANGE_KINDS.includes(k)) problem(`watch.kinds[${i}]`, `must be one of ${CHANGE_KINDS.join(', ')}`);
  });
  const days = (name: 'effective_in_days' | 'comment_deadline_in_days'): number | undefined => {
    const n = w[name];
    if (n === undefined) return undefined;
    if (!Number.isInteger(n) || n < 1 || n > MAX_AHEAD_DAYS)
      problem(`watch.${name}`, `a whole number of days, 1 to ${MAX_AHEAD_DAYS}`);
    return n;
  };
  const effectiveAhead = days('effective_in_days');
  const deadlineAhead = days('comment_deadline_in_days');
  let profile: string | undefined;
  if (w.profile) {
    try {
      await readProfile(db, w.profile.id, w.profile.token);
      profile = w.profile.id;
    } catch (error) {
      problem('watch.profile', error instanceof HorizonError ? error.message : String(error));
    }
  }
  if (problems.length) {
    throw new HorizonError(
      'invalid_parameter',
      `The subscription is not valid: ${problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  const filter: SubscriptionFilter = {
    jurisdictions,
    topics,
    instruments,
    programmes,
    kinds,
    ...(profile !== undefined ? { profile } : {}),
    ...(effectiveAhead !== undefined ? { effectiveAhead } : {}),
    ...(deadlineAhead !== undefined ? { deadlineAhead } : {}),
  };
  return { filter, channel, digest, ...(target ? { target } : {}), ...(input.label ? { label: input.label } : {}) };
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
  created_at: Date | string;
}

function toSubscription(r: Row): Subscription {
  return {
    id: r.id,
    ...(r.label ? { label: r.label } : {}),
    filter: JSON.parse(r.filter) as SubscriptionFilter,
    channel: r.channel,
    ...(r.target ? { target: r.target } : {}),
    digest: r.digest,
    createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
  };
}

/** Stores a valid subscription for the owner of `ownerToken` (or a new owner) and files it for matching. */
export async function createSubscription(
  db: Database,
  valid: Awaited<ReturnType<typeof validateSubscription>>,
  ownerToken?: string,
): Promise<Created> {
  const id = `s_${randomBytes(9).toString('base64url')}`;
  const newOwner = ownerToken ? undefined : token('hzo');
  const secret = valid.channel === 'webhook' ? token('whsec') : undefined;
  const feedToken = valid.channel === 'atom' || valid.channel === 'ical' ? token('hzf') : undefined;
  const row = await db.transaction(async (tx) => {
    await tx.query(LOG_LOCK);
    const [r] = await tx.query<Row>(
      `INSERT INTO subscriptions (id, owner_hash, label, filter, channel, target, secret, digest, feed_token_hash,
         effective_ahead, deadline_ahead)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        id,
        hash(ownerToken ?? newOwner ?? ''),
        valid.label ?? null,
        JSON.stringify(valid.filter),
        valid.channel,
        valid.target ?? null,
        secret ?? null,
        valid.digest,
        feedToken ? hash(feedToken) : null,
        valid.filter.effectiveAhead ?? null,
        valid.filter.deadlineAhead ?? null,
      ],
    );
    await tx.query("INSERT INTO subscription_log (subscription_id, op) VALUES ($1, 'created')", [id]);
    return r;
  });
  if (!row) throw new Error('subscription insert returned nothing');
  return {
    subscription: toSubscription(row),
    ...(newOwner ? { ownerToken: newOwner } : {}),
    ...(secret ? { secret } : {}),
    ...(feedToken ? { feedToken } : {}),
  };
}

const forbidden = () => new HorizonError('forbidden', 'The token does not give access to this subscription.');
const missingToken = () =>
  new HorizonError('forbidden', 'Send the owner token (Authorization: Bearer …) given when the subscription was made.');

/** The owner's subscriptions, oldest first. */
export async function listSubscriptions(q: Queryable, ownerToken: string | undefined): Promise<Subscription[]> {
  if (!ownerToken) throw missingToken();
  const rows = await q.query<Row>('SELECT * FROM subscriptions WHERE owner_hash = $1 ORDER BY created_at, id', [
    hash(ownerToken),
  ]);
  return rows.map(toSubscription);
}

async function ownedRow(q: Queryable, id: string, ownerToken: string | undefined): Promise<Row> {
  if (!ownerToken) throw missingToken();
  const [row] = await q.query<Row>('SELECT * FROM subscriptions WHERE id = $1', [id]);
  if (!row) throw new HorizonError('not_found', `No subscription with id "${id}"`);
  if (!same(hash(ownerToken), row.owner_hash)) throw forbidden();
  return row;
}

/** One subscription, for its owner; throws not_found or forbidden. */
export async function getSubscription(q: Queryable, id: string, ownerToken: string | undefined): Promise<Subscription> {
  return toSubscription(await ownedRow(q, id, ownerToken));
}

/** Deletes a subscription and its queued deliveries, for its owner. */
export async function deleteSubscription(db: Database, id: string, ownerToken: string | undefined): Promise<void> {
  await ownedRow(db, id, ownerToken);
  await db.transaction(async (tx) => {
    await tx.query(LOG_LOCK);
    await tx.query('DELETE FROM subscriptions WHERE id = $1', [id]);
    await tx.query("INSERT INTO subscription_log (subscription_id, op) VALUES ($1, 'deleted')", [id]);
  });
}

/** A subscription's private feed, if the feed token is right; throws not_found or forbidden. */
export async function subscriptionForFeed(
  q: Queryable,
  id: string,
  feedToken: string | undefined,
): Promise<Subscription> {
  const [row] = await q.query<Row>('SELECT * FROM subscriptions WHERE id = $1', [id]);
  if (!row || !row.feed_token_hash) throw new HorizonError('not_found', `No feed for subscription "${id}"`);
  if (!feedToken || !same(hash(feedToken), row.feed_token_hash)) throw forbidden();
  return toSubscription(row);
}

/** What a worker needs to deliver to a subscription (the secret included); null when it was deleted. */
export async function deliveryTarget(
  q: Queryable,
  id: string,
): Promise<{ subscription: Subscription; secret: string | null } | null> {
  const [row] = await q.query<Row>('SELECT * FROM subscriptions WHERE id = $1', [id]);
  return row ? { subscription: toSubscription(row), secret: row.secret } : null;
}
