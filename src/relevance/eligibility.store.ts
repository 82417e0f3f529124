// Stored profiles as the push matcher reads them, and their eligibility: the current state (profile_eligibility)
// and the record of its changes (eligibility_changes).
import type { Profile } from '../rules/engine.ts';
import type { Queryable } from '../store/database.ts';
import type { Outcome } from './check.ts';

/** Stored profiles (all, or the given ones) with their facts. */
export async function storedProfiles(q: Queryable, only?: readonly string[]): Promise<[string, Profile][]> {
  const rows = await q.query<{ id: string; doc: string }>(
    only ? 'SELECT id, doc FROM profiles WHERE id = ANY($1)' : 'SELECT id, doc FROM profiles',
    only ? [only] : [],
  );
  return rows.map((r) => [r.id, JSON.parse(r.doc) as Profile]);
}

/** The kept outcomes (applies or unknown) of the given profiles (or all), keyed `profile\tprogramme`. */
export async function keptEligibility(q: Queryable, only?: readonly string[]): Promise<Map<string, Outcome>> {
  const rows = await q.query<{ profile_id: string; programme_id: string; outcome: Outcome }>(
    only
      ? 'SELECT profile_id, programme_id, outcome FROM profile_eligibility WHERE profile_id = ANY($1)'
      : 'SELECT profile_id, programme_id, outcome FROM profile_eligibility',
    only ? [only] : [],
  );
  return new Map(rows.map((r) => [`${r.profile_id}\t${r.programme_id}`, r.outcome]));
}

/** Keeps a profile's outcome for a programme (does_not_apply is kept as no row). */
export async function keepEligibility(
  q: Queryable,
  profile: string,
  programme: string,
  outcome: Outcome,
  asOf: string,
): Promise<void> {
  if (outcome === 'does_not_apply') {
    await q.query('DELETE FROM profile_eligibility WHERE profile_id = $1 AND programme_id = $2', [profile, programme]);
    return;
  }
  await q.query(
    `INSERT INTO profile_eligibility (profile_id, programme_id, outcome, as_of) VALUES ($1, $2, $3, $4)
     ON CONFLICT (profile_id, programme_id) DO UPDATE SET outcome = EXCLUDED.outcome, as_of = EXCLUDED.as_of`,
    [profile, programme, outcome, asOf],
  );
}

/** Records one change of eligibility; returns its id. */
export async function recordEligibilityChange(
  q: Queryable,
  c: { profile: string; programme: string; previous: Outcome; current: Outcome; asOf: string },
): Promise<number | undefined> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO eligibility_changes (profile_id, programme_id, previous, current, as_of)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [c.profile, c.programme, c.previous, c.current, c.asOf],
  );
  return row ? Number(row.id) : undefined;
}
