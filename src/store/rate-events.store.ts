// The rate limits' sliding windows (rate_events): one row per counted act, keyed by a hash. What is counted and how
// much is allowed is decided by their owners (watch/limits.ts for subscribing, accounts/accounts.service.ts for sign-in); this module only counts, records and prunes rows.
import type { Queryable } from './database.ts';

/** When (ms since the epoch, oldest first) the acts of `scope` under `keyHash` in the last `windowMs` happened. */
export async function recentRateEvents(
  q: Queryable,
  scope: string,
  keyHash: string,
  windowMs: number,
): Promise<number[]> {
  const rows = await q.query<{ at: number }>(
    `SELECT (extract(epoch FROM at) * 1000)::float8 AS at FROM rate_events
     WHERE scope = $1 AND key_hash = $2 AND at > clock_timestamp() - ($3::bigint * interval '1 millisecond')
     ORDER BY at`,
    [scope, keyHash, windowMs],
  );
  return rows.map((r) => Number(r.at));
}

/** Counts one act of `scope` under each key hash. */
export async function recordRateEvents(q: Queryable, scope: readonly string[], keyHashes: readonly string[]) {
  await q.query(
    'INSERT INTO rate_events (scope, key_hash, at) SELECT s, k, clock_timestamp() FROM unnest($1::text[], $2::text[]) AS u(s, k)',
    [scope, keyHashes],
  );
}

/**
 * The database's clock now (not the transaction's start: a request that waited for the lock counts from when it got
 * it), in ms since the epoch. Windows are measured by it, whichever process asks.
 */
export async function databaseNow(q: Queryable): Promise<number> {
  const [row] = await q.query<{ now: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now');
  return Number(row?.now ?? Date.now());
}

/** Forgets acts older than `olderThanMs`. Returns how many rows went. */
export async function pruneRateEvents(q: Queryable, olderThanMs: number): Promise<number> {
  const rows = await q.query(
    `DELETE FROM rate_events WHERE at < clock_timestamp() - ($1::bigint * interval '1 millisecond') RETURNING 1`,
    [olderThanMs],
  );
  return rows.length;
}
