// watch_events: recording what happened (once per dedupe key) and reading it back for feeds, matching and delivery.
import type { Queryable } from '../store/database.ts';
import type { ChangeKind, StoredEvent, WatchEvent } from './types.ts';

interface EventRow {
  id: number;
  doc: string;
}

/** Records events; one already recorded under the same key is skipped. Returns the newly recorded ones with ids. */
export async function recordEvents(q: Queryable, events: readonly WatchEvent[]): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (const e of events) {
    const rows = await q.query<{ id: number }>(
      `INSERT INTO watch_events (dedupe_key, kind, occurred_at, change_seq, instrument_id, article_id, jurisdiction,
         topics, programmes, profile_id, day, ahead_days, doc)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        e.key,
        e.kind,
        e.occurredAt,
        e.changeSeq ?? null,
        e.instrument ?? null,
        e.article ?? null,
        e.jurisdiction ?? null,
        e.topics,
        e.programmes,
        e.profile ?? null,
        e.day ?? null,
        e.aheadDays ?? null,
        JSON.stringify(e),
      ],
    );
    if (rows[0]) out.push({ ...e, id: Number(rows[0].id) });
  }
  return out;
}

/** Which events to read. Jurisdiction codes are taken as given: expand descendants before calling. */
export interface EventQuery {
  readonly jurisdictions?: readonly string[];
  readonly topics?: readonly string[];
  readonly instruments?: readonly string[];
  readonly kinds?: readonly ChangeKind[];
  /** Only events with an id below this (paging newest first). */
  readonly before?: number;
  readonly limit?: number;
}

/** Public events (never a profile's), newest first. */
export async function listPublicEvents(q: Queryable, query: EventQuery = {}): Promise<StoredEvent[]> {
  const where = ['profile_id IS NULL'];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (query.jurisdictions?.length) add((n) => `jurisdiction = ANY(${n})`, query.jurisdictions);
  if (query.topics?.length) add((n) => `topics && ${n}::text[]`, query.topics);
  if (query.instruments?.length) add((n) => `instrument_id = ANY(${n})`, query.instruments);
  if (query.kinds?.length) add((n) => `kind = ANY(${n})`, query.kinds);
  if (query.before !== undefined) add((n) => `id < ${n}`, query.before);
  params.push(Math.min(Math.max(query.limit ?? 50, 1), 500));
  const rows = await q.query<EventRow>(
    `SELECT id, doc FROM watch_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toEvent);
}

/** A stored profile's (private) events, newest first. */
export async function listProfileEvents(q: Queryable, profile: string, limit: number): Promise<StoredEvent[]> {
  const rows = await q.query<EventRow>(
    'SELECT id, doc FROM watch_events WHERE profile_id = $1 ORDER BY id DESC LIMIT $2',
    [profile, limit],
  );
  return rows.map(toEvent);
}

/** Events by id, in id order. */
export async function eventsById(q: Queryable, ids: readonly number[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<EventRow>('SELECT id, doc FROM watch_events WHERE id = ANY($1) ORDER BY id', [ids]);
  return rows.map(toEvent);
}

function toEvent(r: EventRow): StoredEvent {
  return { ...(JSON.parse(r.doc) as WatchEvent), id: Number(r.id) };
}
