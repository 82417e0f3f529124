// What the scheduler keeps between runs (watch_state: the last day handled) and reads of subscriptions' lead times.
import type { Queryable } from '../store/database.ts';

/** The last day the scheduler handled, or undefined before its first run. */
export async function lastScheduledDay(q: Queryable, key: string): Promise<string | undefined> {
  const [state] = await q.query<{ value: string }>('SELECT value FROM watch_state WHERE name = $1', [key]);
  return state?.value;
}

/** Remembers the last day handled. */
export async function rememberScheduledDay(q: Queryable, key: string, day: string): Promise<void> {
  await q.query(
    `INSERT INTO watch_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
    [key, day],
  );
}

/** The distinct numbers of days ahead subscribers chose for effective dates and for comment deadlines, ascending. */
export async function leadTimes(q: Queryable): Promise<{ effective: number[]; deadline: number[] }> {
  const distinct = async (column: 'effective_ahead' | 'deadline_ahead') =>
    (
      await q.query<{ n: number }>(
        `SELECT DISTINCT ${column} AS n FROM subscriptions WHERE ${column} IS NOT NULL ORDER BY 1`,
      )
    ).map((r) => Number(r.n));
  return { effective: await distinct('effective_ahead'), deadline: await distinct('deadline_ahead') };
}
