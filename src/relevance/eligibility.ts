// Push matching: which stored profiles became eligible for a programme, or stopped being eligible, when programmes
// change or a date makes one start or end. Every stored profile is matched through the profile index (postings on
// categorical facts), not by evaluating every rule on every profile.
import { ProfileIndex } from '../rules/engine.ts';
import type { Database, Queryable } from '../store/database.ts';
import { loadCheckSetup } from './relevance.service.ts';
import type { Outcome } from './check.ts';
import { keepEligibility, keptEligibility, recordEligibilityChange, storedProfiles } from './eligibility.store.ts';
import { recordEligibilityChanges, type EligibilityRow } from '../watch/record.ts';
import { LOCKS, lock } from '../store/locks.ts';

/** One change of a stored profile's eligibility for a programme. */
export interface EligibilityChange {
  readonly profile: string;
  readonly programme: string;
  readonly previous: Outcome;
  readonly current: Outcome;
}

export interface RefreshReport {
  readonly asOf: string;
  readonly profiles: number;
  readonly programmes: number;
  /** Profiles that became eligible (now applies, did not before). */
  readonly became: readonly EligibilityChange[];
  /** Profiles that stopped being eligible (applied before, no longer). */
  readonly stopped: readonly EligibilityChange[];
  /** Every other change (e.g. does not apply → unknown). */
  readonly other: readonly EligibilityChange[];
}

/** The current outcome of every (profile, programme) pair that applies or is unknown, keyed `profile\tprogramme`. */
export async function computeEligibility(
  q: Queryable,
  asOf: string,
  onlyProfiles?: readonly string[],
): Promise<{ outcomes: Map<string, Outcome>; profiles: number; programmes: number }> {
  const setup = await loadCheckSetup(q, asOf);
  const rows = await storedProfiles(q, onlyProfiles);
  const index = ProfileIndex.build(rows, setup.rules.context);
  const outcomes = new Map<string, Outcome>();
  for (const p of setup.programmes) {
    if (!p.inEffect) continue;
    const match = index.match(setup.rules.get(p.rule), { unknown: true });
    for (const id of match.applies) outcomes.set(`${id}\t${p.id}`, 'applies');
    for (const id of match.unknown) outcomes.set(`${id}\t${p.id}`, 'unknown');
  }
  return { outcomes, profiles: rows.length, programmes: setup.programmes.length };
}

/**
 * Recomputes the eligibility of stored profiles (all, or the given ones) as of a date, records every change in
 * eligibility_changes and keeps the new state; in one transaction. `silent` stores the state without recording
 * changes (a profile's first snapshot).
 */
export async function refreshEligibility(
  db: Database,
  asOf: string,
  options: { profiles?: readonly string[]; silent?: boolean } = {},
): Promise<RefreshReport> {
  return db.transaction(async (tx) => {
    await lock(tx, LOCKS.eligibility);
    const { outcomes, profiles, programmes } = await computeEligibility(tx, asOf, options.profiles);
    const previous = await keptEligibility(tx, options.profiles);
    const became: EligibilityChange[] = [];
    const stopped: EligibilityChange[] = [];
    const other: EligibilityChange[] = [];
    const recorded: EligibilityRow[] = [];
    for (const key of new Set([...previous.keys(), ...outcomes.keys()])) {
      const before = previous.get(key) ?? 'does_not_apply';
      const now = outcomes.get(key) ?? 'does_not_apply';
      if (before === now) continue;
      const [profile = '', programme = ''] = key.split('\t');
      const change = { profile, programme, previous: before, current: now };
      (now === 'applies' ? became : before === 'applies' ? stopped : other).push(change);
      await keepEligibility(tx, profile, programme, now, asOf);
      if (!options.silent) {
        const id = await recordEligibilityChange(tx, { profile, programme, previous: before, current: now, asOf });
        if (id !== undefined) recorded.push({ id, profile, programme, previous: before, current: now, asOf });
      }
    }
    await recordEligibilityChanges(tx, recorded);
    return { asOf, profiles, programmes, became, stopped, other };
  });
}
