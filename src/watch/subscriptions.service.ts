// Subscriptions: what someone watches and how they hear of it. The rules live here, for the API, the guide's forms
// and the CLI alike: validation with field paths; owner tokens are made by the server only (one given with a new
// subscription must already own one); only the owner lists, reads, deletes, retries and re-verifies; feeds of
// atom/ical subscriptions have their own read-only token. Nobody can turn Horizon on a third party: a new e-mail
// subscription is pending until the link of its one confirmation e-mail is followed, a webhook unverified until its
// receiver echoes a signed challenge, and making them is rate-limited (limits.ts). Tokens are kept only as hashes,
// webhook secrets encrypted (secrets.ts).
// Rows are read and written by subscriptions.store.ts and outbox.store.ts.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SubscriptionLimits } from '../config/config.ts';
import type { Lang } from '../domain/types.ts';
import { errors, HorizonError, listed, problem as worded, problemOf, type Problem } from '../errors.ts';
import { translate, type Message } from '../i18n/messages.ts';
import { readProfile } from '../store/profiles.store.ts';
import type { Database, Queryable } from '../store/database.ts';
import { checkWebhookUrl, type HostLookup } from './deliver/address-guard.ts';
import { sendChallenge } from './deliver/webhook.ts';
import { addressKey, hostKey, takeAllowance, type RateAct } from './limits.ts';
import type { SecretBox } from './secrets.ts';
import {
  CONFIRMATION_KEY,
  deadDeliveries,
  deliveryCounts,
  getDelivery,
  queueConfirmation,
  retryDelivery,
  type Delivery,
  type DeliveryState,
} from './outbox.store.ts';
import {
  activateSubscription,
  findByConfirmation,
  findSubscription,
  insertSubscription,
  knownCodes,
  ownerExists,
  recordVerifyFailure,
  removeSubscription,
  storeConfirmation,
  subscriptionsOfOwner,
  type SubscriptionRecord,
} from './subscriptions.store.ts';
import {
  CHANGE_KINDS,
  CHANNELS,
  DIGESTS,
  type Channel,
  type ChangeKind,
  type Digest,
  type Subscription,
  type SubscriptionFilter,
  type SubscriptionStatus,
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

/** What creating a subscription hands back, once: tokens are stored as hashes, the webhook secret encrypted. */
export interface Created {
  readonly subscription: Subscription;
  /** The owner's token, when a new owner was made (absent when the caller gave theirs). */
  readonly ownerToken?: string;
  /** Webhook signing secret. */
  readonly secret?: string;
  /** atom/ical: the private feed's token. */
  readonly feedToken?: string;
}

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
  const problem = (where: string, text: Message) => problems.push(worded(where, text));
  const oneOf = (choices: readonly string[]): Message => ({
    key: 'error.mustBeOneOf',
    params: { choices: choices.join(', ') },
  });
  const channel = input.channel as Channel;
  if (!CHANNELS.includes(channel)) problem('channel', oneOf(CHANNELS));
  const digest = (input.digest ?? 'none') as Digest;
  if (!DIGESTS.includes(digest)) problem('digest', oneOf(DIGESTS));
  else if (digest !== 'none' && channel !== 'email') problem('digest', { key: 'error.sub.digestEmail' });
  let target: string | undefined;
  if (channel === 'webhook') {
    if (!input.url) problem('url', { key: 'error.sub.urlMissing' });
    else {
      try {
        await checkWebhookUrl(input.url, {
          allowPrivate: options.allowPrivateWebhooks,
          ...(options.lookup ? { lookup: options.lookup } : {}),
        });
        target = input.url;
      } catch (error) {
        const refused = error instanceof HorizonError ? error.problems[0] : undefined;
        problems.push(refused ? { ...refused, where: 'url' } : problemOf('url', error));
      }
    }
  } else if (input.url !== undefined) {
    problem('url', { key: 'error.sub.urlNotWebhook', params: { channel: input.channel } });
  }
  if (channel === 'email') {
    if (!input.email) problem('email', { key: 'error.sub.emailMissing' });
    else if (!EMAIL.test(input.email) || input.email.length > 254) problem('email', { key: 'error.sub.emailInvalid' });
    else target = input.email;
  } else if (input.email !== undefined) problem('email', { key: 'error.sub.emailNotEmail' });
  if (input.label !== undefined && input.label.length > 200) {
    problem('label', { key: 'error.sub.labelLength', params: { max: 200 } });
  }

  const w = input.watch ?? {};
  const known = await knownCodes(db);
  const list = (name: 'jurisdictions' | 'topics' | 'instruments' | 'programmes'): string[] => {
    const values = w[name] ?? [];
    if (values.length > MAX_LIST)
      problem(`watch.${name}`, { key: 'error.sub.tooManyCodes', params: { max: MAX_LIST } });
    values.forEach((v, i) => {
      if (!known[name].has(v)) problem(`watch.${name}.${i}`, { key: 'error.sub.unknownCode', params: { code: v } });
    });
    return [...new Set(values)];
  };
  const jurisdictions = list('jurisdictions');
  const topics = list('topics');
  const instruments = list('instruments');
  const programmes = list('programmes');
  const kinds = [...new Set(w.kinds ?? [])] as ChangeKind[];
  kinds.forEach((k, i) => {
    if (!CHANGE_KINDS.includes(k)) problem(`watch.kinds.${i}`, oneOf(CHANGE_KINDS));
  });
  const days = (name: 'effective_in_days' | 'comment_deadline_in_days'): number | undefined => {
    const n = w[name];
    if (n === undefined) return undefined;
    if (!Number.isInteger(n) || n < 1 || n > MAX_AHEAD_DAYS)
      problem(`watch.${name}`, { key: 'error.sub.days', params: { max: MAX_AHEAD_DAYS } });
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
      problems.push(problemOf('watch.profile', error));
    }
  }
  if (problems.length) {
    throw new HorizonError(
      'invalid_parameter',
      (lang) => translate(lang, 'error.sub.invalid', { problems: listed(problems, lang) }),
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

/** A valid subscription, as validateSubscription returns it. */
export type ValidSubscription = Awaited<ReturnType<typeof validateSubscription>>;

/** How owner tokens look: the server makes them (token('hzo')), so anything else owns nothing. */
const OWNER_TOKEN = /^hzo_[A-Za-z0-9_-]{32}$/;

/**
 * The rule an owner token given with a new subscription must meet: the server made it and it already owns one (a
 * caller cannot choose a token, and a mistyped one would file the subscription under an owner nobody holds). The
 * problem to report, or undefined when the token is good.
 */
export async function ownerTokenProblem(q: Queryable, ownerToken: string): Promise<Problem | undefined> {
  const known = OWNER_TOKEN.test(ownerToken) && (await ownerExists(q, hash(ownerToken)));
  return known ? undefined : worded('owner_token', { key: 'error.sub.ownerToken' });
}

/** The refusal (forbidden) of an owner token the server did not make or that owns nothing. */
export function ownerTokenRefused(problem: Problem = worded('owner_token', { key: 'error.sub.ownerToken' })) {
  return new HorizonError('forbidden', (lang) => listed([problem], lang), [problem]);
}

/** Settings of the verification handshake a webhook passes before anything is delivered to it. */
export interface HandshakeOptions {
  /** Let private and loopback receivers through (config watch.allowPrivateWebhooks). */
  readonly allowPrivate: boolean;
  /** How long the receiver may take to answer (config watch.webhookTimeoutMs). */
  readonly timeoutMs: number;
  readonly lookup?: HostLookup;
}

/** Who asks for a subscription, and the settings that decide what they may do. */
export interface SubscribeContext {
  /** The client's network address: the rate limits count by it. */
  readonly client: string;
  /** The language of the request: the confirmation e-mail speaks it. */
  readonly lang: Lang;
  readonly limits: SubscriptionLimits;
  readonly handshake: HandshakeOptions;
  /** Seals a new webhook secret, opens a stored one (secrets.ts; the key from config). */
  readonly secrets: SecretBox;
}

/** How long a confirmation link works. */
export const CONFIRM_TTL_HOURS = 48;

/** What a subscription to this channel starts as: e-mail pending confirmation, webhooks unverified, feeds active. */
function initialStatus(channel: Channel): SubscriptionStatus {
  return channel === 'email' ? 'pending' : channel === 'webhook' ? 'unverified' : 'active';
}

/** What asking for a subscription (or a re-verification) to `target` counts against the rate limits. */
function rateActs(client: string, channel: Channel, target: string | undefined, confirmation: boolean): RateAct[] {
  const acts: RateAct[] = [{ scope: 'client', key: client, where: 'client' }];
  if (target !== undefined && channel === 'email') {
    acts.push({ scope: 'target', key: addressKey(target), where: 'email' });
    if (confirmation) acts.push({ scope: 'confirm', key: addressKey(target), where: 'email' });
  } else if (target !== undefined && channel === 'webhook') {
    acts.push({ scope: 'target', key: hostKey(target), where: 'url' });
  }
  return acts;
}

/**
 * Stores a valid subscription for the owner of `ownerToken` (or a new owner) and files it for matching, within the
 * rate limits (RateLimited otherwise, nothing stored). An e-mail subscription is stored pending, with its one
 * confirmation e-mail queued; a webhook unverified, then its handshake is run: it comes back active if the receiver
 * echoed the challenge, unverified with the reason if not. An owner token the server did not make, or that owns
 * nothing, is refused (forbidden).
 */
export async function createSubscription(
  db: Database,
  valid: ValidSubscription,
  ownerToken: string | undefined,
  context: SubscribeContext,
): Promise<Created> {
  if (ownerToken !== undefined) {
    const problem = await ownerTokenProblem(db, ownerToken);
    if (problem) throw ownerTokenRefused(problem);
  }
  const newOwner = ownerToken ? undefined : token('hzo');
  const secret = valid.channel === 'webhook' ? token('whsec') : undefined;
  const feedToken = valid.channel === 'atom' || valid.channel === 'ical' ? token('hzf') : undefined;
  const status = initialStatus(valid.channel);
  const acts = rateActs(context.client, valid.channel, valid.target, status === 'pending');
  const id = `s_${randomBytes(9).toString('base64url')}`;
  const stored = await db.transaction(async (tx) => {
    await takeAllowance(tx, context.limits, acts);
    const subscription = await insertSubscription(tx, {
      id,
      ownerHash: hash(ownerToken ?? newOwner ?? ''),
      label: valid.label,
      filter: valid.filter,
      channel: valid.channel,
      target: valid.target,
      secret: secret ? context.secrets.seal(secret, id) : undefined,
      digest: valid.digest,
      feedTokenHash: feedToken ? hash(feedToken) : undefined,
      status,
      lang: context.lang,
    });
    if (status === 'pending') await queueConfirmation(tx, subscription.id);
    return subscription;
  });
  const subscription = secret ? await handshake(db, stored, secret, context.handshake) : stored;
  return {
    subscription,
    ...(newOwner ? { ownerToken: newOwner } : {}),
    ...(secret ? { secret } : {}),
    ...(feedToken ? { feedToken } : {}),
  };
}

/** Runs a webhook's verification handshake: active when the receiver echoed the challenge, else the reason kept. */
async function handshake(
  db: Database,
  s: Subscription,
  secret: string,
  options: HandshakeOptions,
): Promise<Subscription> {
  if (!s.target) return s;
  const challenge = randomBytes(24).toString('base64url');
  const result = await sendChallenge({ url: s.target, secret }, s.id, challenge, {
    timeoutMs: options.timeoutMs,
    allowPrivate: options.allowPrivate,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const now = result.ok
    ? await activateSubscription(db, s.id)
    : await recordVerifyFailure(db, s.id, result.error.slice(0, 500));
  return now ?? (await findSubscription(db, s.id))?.subscription ?? s;
}

/**
 * Runs an unverified webhook's handshake again, for its owner, within the rate limits. Returns the subscription as it
 * is now (active, or still unverified with the reason); an active one is returned as it is, nothing sent. Throws
 * forbidden, not_found, conflict (not a webhook), or RateLimited.
 */
export async function verifyWebhook(
  db: Database,
  id: string,
  ownerToken: string | undefined,
  context: Pick<SubscribeContext, 'client' | 'limits' | 'handshake' | 'secrets'>,
): Promise<Subscription> {
  const record = await owned(db, id, ownerToken);
  const s = record.subscription;
  if (s.channel !== 'webhook' || !record.secret) {
    throw new HorizonError('conflict', { key: 'error.sub.notWebhook', params: { id } });
  }
  if (s.status === 'active') return s;
  const secret = context.secrets.open(record.secret, s.id);
  await db.transaction((tx) => takeAllowance(tx, context.limits, rateActs(context.client, s.channel, s.target, false)));
  return handshake(db, s, secret, context.handshake);
}

const CONFIRM_TOKEN = /^hzc_[A-Za-z0-9_-]{32}$/;
const invalidConfirmation = () => new HorizonError('not_found', { key: 'error.confirm.invalid' });

/** The guide's confirmation page for a token (the link of the confirmation e-mail). */
export function confirmationPath(confirmToken: string): string {
  return `/watch/confirm?token=${encodeURIComponent(confirmToken)}`;
}

/**
 * For the worker sending a pending subscription's confirmation e-mail: makes its single-use token (stored only as a
 * hash, working for CONFIRM_TTL_HOURS; a new one replaces any earlier) and the link to the page that confirms it.
 * Null when the subscription is no longer pending (confirmed or deleted).
 */
export async function issueConfirmation(
  q: Queryable,
  id: string,
  publicUrl: string,
): Promise<{ subscription: Subscription; link: string; hours: number } | null> {
  const confirmToken = token('hzc');
  const stored = await storeConfirmation(q, id, hash(confirmToken), CONFIRM_TTL_HOURS * 3_600_000);
  if (!stored) return null;
  const base = publicUrl.replace(/\/+$/, '');
  return {
    subscription: stored.subscription,
    link: `${base}${confirmationPath(confirmToken)}`,
    hours: CONFIRM_TTL_HOURS,
  };
}

/** The pending subscription a confirmation token is for (shown before it is confirmed); throws not_found. */
export async function pendingConfirmation(q: Queryable, confirmToken: string | undefined): Promise<Subscription> {
  if (!confirmToken || !CONFIRM_TOKEN.test(confirmToken)) throw invalidConfirmation();
  const s = await findByConfirmation(q, hash(confirmToken));
  if (!s) throw invalidConfirmation();
  return s;
}

/** Confirms a pending e-mail subscription by its token: it becomes active and the token is spent. Throws not_found. */
export async function confirmSubscription(db: Database, confirmToken: string | undefined): Promise<Subscription> {
  const pending = await pendingConfirmation(db, confirmToken);
  const active = await activateSubscription(db, pending.id);
  if (!active) throw invalidConfirmation();
  return active;
}

const forbidden = () => new HorizonError('forbidden', { key: 'error.sub.forbidden' });
const missingToken = () => new HorizonError('forbidden', { key: 'error.sub.noToken' });

/** The owner's subscriptions, oldest first. */
export async function listSubscriptions(q: Queryable, ownerToken: string | undefined): Promise<Subscription[]> {
  if (!ownerToken) throw missingToken();
  return subscriptionsOfOwner(q, hash(ownerToken));
}

async function owned(q: Queryable, id: string, ownerToken: string | undefined): Promise<SubscriptionRecord> {
  if (!ownerToken) throw missingToken();
  const record = await findSubscription(q, id);
  if (!record) throw errors.notFound('subscription', id);
  if (!same(hash(ownerToken), record.ownerHash)) throw forbidden();
  return record;
}

/** One subscription, for its owner; throws not_found or forbidden. */
export async function getSubscription(q: Queryable, id: string, ownerToken: string | undefined): Promise<Subscription> {
  return (await owned(q, id, ownerToken)).subscription;
}

/** Deletes a subscription and its queued deliveries, for its owner. */
export async function deleteSubscription(db: Database, id: string, ownerToken: string | undefined): Promise<void> {
  await owned(db, id, ownerToken);
  await removeSubscription(db, id);
}

/** A subscription's private feed, if the feed token is right; throws not_found or forbidden. */
export async function subscriptionForFeed(
  q: Queryable,
  id: string,
  feedToken: string | undefined,
): Promise<Subscription> {
  const record = await findSubscription(q, id);
  if (!record?.feedTokenHash) throw new HorizonError('not_found', { key: 'error.sub.noFeed', params: { id } });
  if (!feedToken || !same(hash(feedToken), record.feedTokenHash)) throw forbidden();
  return record.subscription;
}

/**
 * What a worker needs to deliver to a subscription (the secret in clear); null when it was deleted. Alerts go only to
 * active subscriptions (subscription.status).
 */
export async function deliveryTarget(
  q: Queryable,
  secrets: SecretBox,
  id: string,
): Promise<{ subscription: Subscription; secret: string | null } | null> {
  const record = await findSubscription(q, id);
  if (!record) return null;
  return { subscription: record.subscription, secret: record.secret ? secrets.open(record.secret, id) : null };
}

/** The private feed address of an atom or ical subscription. */
export function subscriptionFeedPath(s: Subscription, feedToken: string): string {
  return `/feeds/subscriptions/${s.id}.${s.channel === 'ical' ? 'ics' : 'atom'}?token=${encodeURIComponent(feedToken)}`;
}

/** One of the owner's deliveries; throws forbidden or not_found (also when it belongs to another subscription). */
export async function getOwnedDelivery(
  q: Queryable,
  id: string,
  delivery: number,
  ownerToken: string | undefined,
): Promise<Delivery> {
  await owned(q, id, ownerToken);
  const d = Number.isSafeInteger(delivery) && delivery > 0 ? await getDelivery(q, delivery) : null;
  if (!d || d.subscription !== id) {
    throw new HorizonError('not_found', { key: 'error.sub.noDelivery', params: { delivery: String(delivery), id } });
  }
  return d;
}

/**
 * Puts one of the owner's dead deliveries back in the queue, due now. Throws forbidden or not_found, and conflict
 * when the delivery is not dead (only dead ones are retried) or is a confirmation e-mail. Returns the delivery as it
 * is now.
 */
export async function retryDeadDelivery(
  q: Queryable,
  id: string,
  delivery: number,
  ownerToken: string | undefined,
): Promise<Delivery> {
  const d = await getOwnedDelivery(q, id, delivery, ownerToken);
  // Another confirmation e-mail is had by subscribing again, which the per-address limit counts.
  if (d.idempotencyKey.startsWith(CONFIRMATION_KEY)) {
    throw new HorizonError('conflict', { key: 'error.sub.confirmRetry', params: { delivery: String(d.id) } });
  }
  return requeueDead(q, d);
}

/**
 * Puts any dead delivery back in the queue, due now, for the operator (`horizon deliveries --retry`, no owner token).
 * Throws not_found, and conflict when the delivery is not dead. Returns the delivery as it is now.
 */
export async function retryDeliveryAsOperator(q: Queryable, delivery: number): Promise<Delivery> {
  const d = Number.isSafeInteger(delivery) && delivery > 0 ? await getDelivery(q, delivery) : null;
  if (!d) throw new HorizonError('not_found', `No delivery ${delivery}`);
  return requeueDead(q, d);
}

/** The one rule of retrying: only a dead delivery goes back in the queue (conflict otherwise). */
async function requeueDead(q: Queryable, d: Delivery): Promise<Delivery> {
  if (!(await retryDelivery(q, d.id))) {
    throw new HorizonError('conflict', {
      key: 'error.sub.notDead',
      params: { delivery: String(d.id), state: d.state },
    });
  }
  return (await getDelivery(q, d.id)) ?? d;
}

/** One subscription as its owner manages it: counts of its deliveries by state and its newest dead ones. */
export interface ManagedSubscription {
  readonly subscription: Subscription;
  readonly counts: Record<DeliveryState, number>;
  readonly dead: readonly Delivery[];
}

/** The owner's subscriptions with their delivery counts and up to `deadLimit` dead deliveries each (three queries). */
export async function manageSubscriptions(
  q: Queryable,
  ownerToken: string | undefined,
  deadLimit = 50,
): Promise<ManagedSubscription[]> {
  const subscriptions = await listSubscriptions(q, ownerToken);
  const ids = subscriptions.map((s) => s.id);
  const [counts, dead] = await Promise.all([deliveryCounts(q, ids), deadDeliveries(q, ids, deadLimit)]);
  return subscriptions.map((subscription) => ({
    subscription,
    counts: counts.get(subscription.id) ?? { pending: 0, sending: 0, delivered: 0, dead: 0 },
    dead: dead.get(subscription.id) ?? [],
  }));
}
