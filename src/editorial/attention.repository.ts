// The reads of the editors' attention list that the knowledge repository does not have: instruments' change-log
// entries after a day and dated events in a window (dead deliveries and change sets are read from their own stores).
// Rows in, typed records out; no rules.
import type { Queryable } from '../store/database.ts';
import type { EventType } from '../domain/types.ts';
import type { InstrumentChange } from './developments.ts';

/** A lifecycle event whose date (as written, or its preferred claim) falls in a window, with its instrument. */
export interface WindowEvent {
  readonly instrument: string;
  readonly title: { readonly en: string; readonly zh: string };
  readonly jurisdiction: string;
  readonly type: EventType;
  readonly date: string;
  readonly disputed: boolean;
}

/**
 * Change-log entries that changed or removed these instruments (not the first import that added them) recorded on a
 * UTC day after `after` and on or before `upTo`, oldest first.
 */
export async function instrumentChanges(
  q: Queryable,
  ids: readonly string[],
  after: string,
  upTo: string,
): Promise<InstrumentChange[]> {
  if (ids.length === 0 || upTo <= after) return [];
  const rows = await q.query<{
    seq: number;
    recorded_at: string;
    entity_id: string;
    change: 'changed' | 'removed';
    before: string | null;
    after: string | null;
  }>(
    `SELECT seq, recorded_at, entity_id, change, before, after FROM change_log
      WHERE entity_kind = 'instrument' AND entity_id = ANY($1) AND change IN ('changed', 'removed')
        AND substr(recorded_at, 1, 10) > $2 AND substr(recorded_at, 1, 10) <= $3
      ORDER BY seq`,
    [ids, after, upTo],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    recordedAt: r.recorded_at,
    instrument: r.entity_id,
    change: r.change,
    before: r.before,
    after: r.after,
  }));
}

/**
 * Events of the given types whose date text is between `from` and `to` as text (YYYY-MM-DD bounds, so a YYYY or
 * YYYY-MM date of the same period sorts inside them when `from` is cut to its year: the caller decides which periods
 * count), oldest first.
 */
export async function eventsBetween(
  q: Queryable,
  types: readonly EventType[],
  from: string,
  to: string,
): Promise<WindowEvent[]> {
  const rows = await q.query<{
    instrument_id: string;
    type: EventType;
    date_text: string;
    disputed: boolean;
    title_en: string;
    title_zh: string;
    jurisdiction: string;
  }>(
    `SELECT e.instrument_id, e.type, e.date_text, e.disputed, i.title_en, i.title_zh, i.jurisdiction
       FROM instrument_events e JOIN instruments i ON i.id = e.instrument_id
      WHERE e.type = ANY($1) AND e.date_text >= $2 AND e.date_text <= $3
      ORDER BY e.date_text, e.instrument_id, e.position`,
    [types, from, to],
  );
  return rows.map((r) => ({
    instrument: r.instrument_id,
    title: { en: r.title_en, zh: r.title_zh },
    jurisdiction: r.jurisdiction,
    type: r.type,
    date: r.date_text,
    disputed: r.disputed === true,
  }));
}
