// Every advisory lock Horizon takes, in one place so no two uses share an id by accident. Each is a transaction lock
// (pg_advisory_xact_lock): held until the transaction ends, the same on PGlite and a PostgreSQL server.
import type { Queryable } from './database.ts';

/** The lock ids (72120NN). */
export const LOCKS = {
  /** Migrations run once, one process at a time. */
  migrate: 7212001,
  /** One import at a time on a shared server. */
  import: 7212002,
  /** One eligibility refresh at a time (profile_eligibility and its changes stay consistent). */
  eligibility: 7212003,
  /** Change-log appends, so each entry hashes its true predecessor. */
  changeLog: 7212004,
  /** The scheduler's day, so two workers do not both record a day's events. */
  scheduler: 7212005,
  /** Subscription creates and deletes, so subscription_log entries commit in the order of their seq. */
  subscriptionLog: 7212006,
  /** The rate limits' windows, so a burst of requests cannot all pass one check before any is counted. */
  rateLimits: 7212007,
} as const;

/** Takes a lock for the rest of the transaction `tx` (waits while another holds it). */
export async function lock(tx: Queryable, id: (typeof LOCKS)[keyof typeof LOCKS]): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [id]);
}
