// Rate limits on what makes Horizon contact someone on a subscriber's word: subscriptions made (and webhook
// re-verifications asked for) per client address in an hour and per target — an e-mail address or a webhook host —
// in a day, and confirmation e-mails per address in a day, whoever asks. Windows slide and are kept in the database
// (store/rate-events.store.ts), so every process serving one database counts together. Over a limit: RateLimited (429).
import { createHash } from 'node:crypto';
import type { SubscriptionLimits } from '../config/config.ts';
import { RateLimited, problem, type Problem } from '../errors.ts';
import type { Queryable } from '../store/database.ts';
import { LOCKS, lock } from '../store/locks.ts';
import { databaseNow, pruneRateEvents, recentRateEvents, recordRateEvents } from '../store/rate-events.store.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What is counted: a request from a client address, for a target, a confirmation e-mail to an address. */
export type RateScope = 'client' | 'target' | 'confirm';

const WINDOW: Record<RateScope, number> = { client: HOUR, target: DAY, confirm: DAY };

/** One act to count: its scope, the key it is counted under, and the request field a refusal names. */
export interface RateAct {
  readonly scope: RateScope;
  readonly key: string;
  readonly where: string;
}

/** The key an e-mail address is counted under: lower case, without a +tag (one mailbox, however it is written). */
export function addressKey(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).replace(/\+.*$/, '');
  return `${local}@${email.slice(at + 1)}`.toLowerCase();
}

/** The key a webhook URL is counted under: its host name, lower case. */
export function hostKey(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

const keyHash = (scope: RateScope, key: string) => createHash('sha256').update(`${scope}\n${key}`).digest('hex');

function limitOf(limits: SubscriptionLimits, scope: RateScope): number {
  switch (scope) {
    case 'client':
      return limits.perClientPerHour;
    case 'target':
      return limits.perTargetPerDay;
    case 'confirm':
      return limits.confirmationsPerAddressPerDay;
  }
}

function refusal(act: RateAct, limit: number, seconds: number): Problem {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const hours = Math.max(1, Math.ceil(seconds / 3600));
  switch (act.scope) {
    case 'client':
      return problem(act.where, { key: 'error.limit.client', params: { max: limit, minutes } });
    case 'target':
      return problem(act.where, { key: 'error.limit.target', params: { max: limit, hours } });
    case 'confirm':
      return problem(act.where, { key: 'error.limit.confirmations', params: { max: limit, hours } });
  }
}

/**
 * Counts `acts` if every one is within its limit, in the caller's transaction `tx` (under a lock, so concurrent
 * requests are counted one after another). Throws RateLimited naming each act over its limit, with the seconds until
 * all of them are allowed again; nothing is counted then.
 */
export async function takeAllowance(
  tx: Queryable,
  limits: SubscriptionLimits,
  acts: readonly RateAct[],
): Promise<void> {
  if (acts.length === 0) return;
  await lock(tx, LOCKS.rateLimits);
  const now = await databaseNow(tx);
  const problems: Problem[] = [];
  let retryAfter = 0;
  for (const act of acts) {
    const limit = limitOf(limits, act.scope);
    const times = await recentRateEvents(tx, act.scope, keyHash(act.scope, act.key), WINDOW[act.scope]);
    if (times.length < limit) continue;
    // The window has room again when the act that brought it to its limit leaves it.
    const freeAt = (times[times.length - limit] ?? now) + WINDOW[act.scope];
    const seconds = Math.min(Math.max(1, Math.ceil((freeAt - now) / 1000)), WINDOW[act.scope] / 1000);
    retryAfter = Math.max(retryAfter, seconds);
    problems.push(refusal(act, limit, seconds));
  }
  if (problems.length > 0) throw new RateLimited(retryAfter, problems);
  await recordRateEvents(
    tx,
    acts.map((a) => a.scope),
    acts.map((a) => keyHash(a.scope, a.key)),
  );
}

/** Forgets counted acts older than the longest window (the worker's timers call it). */
export function pruneRateLimits(q: Queryable): Promise<number> {
  return pruneRateEvents(q, DAY);
}
