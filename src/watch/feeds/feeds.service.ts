// What the public feeds and the calendar show, read from the store: public watch events for Atom feeds (a
// jurisdiction with everything within it), and instruments' day-precise effective dates and comment deadlines.
import type { Lang } from '../../domain/types.ts';
import type { Queryable } from '../../store/database.ts';
import { listPublicEvents } from '../events.store.ts';
import { ancestorsFrom, matches } from '../match.ts';
import type { ChangeKind, StoredEvent, SubscriptionFilter, WatchEvent } from '../types.ts';
import { calendarUid, type CalendarItem, type CalendarType, CALENDAR_TYPES } from './ical.ts';

/** The public feed and calendar addresses (paths on the site). */
export const feedPaths = {
  all: '/feeds/all.atom',
  jurisdiction: (code: string) => `/feeds/jurisdictions/${encodeURIComponent(code)}.atom`,
  topic: (code: string) => `/feeds/topics/${encodeURIComponent(code)}.atom`,
  calendar: '/calendar.ics',
} as const;

/** Media types of the feeds, as pages announce them for autodiscovery. */
export const FEED_TYPES = { atom: 'application/atom+xml', calendar: 'text/calendar' } as const;

/** A path with ?lang=zh added for Chinese (English is the default and needs no parameter). */
export function withLang(path: string, lang: Lang): string {
  return lang === 'en' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

/** The codes and every code below them in the tree (code → parent), each once, in the order met. */
export function descendantsOf(tree: ReadonlyMap<string, string | null>, codes: readonly string[]): string[] {
  const children = new Map<string, string[]>();
  for (const [code, parent] of tree) {
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(code);
    children.set(parent, list);
  }
  const out = new Set<string>();
  const queue = [...codes];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (out.has(next)) continue;
    out.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return [...out];
}

async function tree(q: Queryable): Promise<Map<string, string | null>> {
  const rows = await q.query<{ code: string; parent: string | null }>('SELECT code, parent FROM jurisdictions');
  return new Map(rows.map((r) => [r.code, r.parent]));
}

export interface FeedFilter {
  /** Jurisdictions, each with its descendants. */
  readonly jurisdictions?: readonly string[];
  readonly topics?: readonly string[];
  readonly instruments?: readonly string[];
  readonly kinds?: readonly ChangeKind[];
  readonly limit?: number;
}

/** Public events of a feed, newest first (never a stored profile's). */
export async function loadFeedEvents(q: Queryable, filter: FeedFilter = {}): Promise<StoredEvent[]> {
  const jurisdictions = filter.jurisdictions?.length ? descendantsOf(await tree(q), filter.jurisdictions) : undefined;
  return listPublicEvents(q, {
    ...(jurisdictions ? { jurisdictions } : {}),
    ...(filter.topics?.length ? { topics: filter.topics } : {}),
    ...(filter.instruments?.length ? { instruments: filter.instruments } : {}),
    ...(filter.kinds?.length ? { kinds: filter.kinds } : {}),
    limit: filter.limit ?? 50,
  });
}

export interface CalendarFilter {
  /** Jurisdictions, each with its descendants. */
  readonly jurisdictions?: readonly string[];
  /** Topic codes (taxonomy scheme `topics`). */
  readonly topics?: readonly string[];
  readonly instruments?: readonly string[];
  readonly types?: readonly CalendarType[];
}

interface CalendarRow {
  instrument_id: string;
  key: string;
  type: CalendarType;
  date_text: string;
  title_en: string;
  title_zh: string;
}

/**
 * Effective dates and comment deadlines dated to the day (date_text YYYY-MM-DD; for a disputed date, the preferred
 * claim), oldest first. Dates known only to the month or year are left out.
 */
export async function loadCalendarItems(q: Queryable, filter: CalendarFilter = {}): Promise<CalendarItem[]> {
  const params: unknown[] = [filter.types?.length ? filter.types : CALENDAR_TYPES];
  const where = ['e.type = ANY($1)', "e.date_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"];
  if (filter.jurisdictions?.length) {
    params.push(descendantsOf(await tree(q), filter.jurisdictions));
    where.push(`i.jurisdiction = ANY($${params.length})`);
  }
  if (filter.instruments?.length) {
    params.push(filter.instruments);
    where.push(`i.id = ANY($${params.length})`);
  }
  if (filter.topics?.length) {
    params.push(filter.topics);
    where.push(
      `i.id IN (SELECT instrument_id FROM instrument_tags WHERE scheme = 'topics' AND code = ANY($${params.length}))`,
    );
  }
  const rows = await q.query<CalendarRow>(
    `SELECT e.instrument_id, e.key, e.type, e.date_text, i.title_en, i.title_zh
       FROM instrument_events e JOIN instruments i ON i.id = e.instrument_id
      WHERE ${where.join(' AND ')}
      ORDER BY e.date_text, e.instrument_id, e.position`,
    params,
  );
  return rows.map((r) => ({
    uid: calendarUid(r.instrument_id, r.type, r.key),
    day: r.date_text,
    kind: r.type,
    instrument: r.instrument_id,
    title: { en: r.title_en, zh: r.title_zh },
    url: `/instruments/${encodeURIComponent(r.instrument_id)}`,
  }));
}

/**
 * The events a subscription's private feed shows, newest first: narrowed in SQL by what it watches, then checked with
 * the same matches() deliveries use. A subscription to a profile sees that profile's eligibility events.
 */
export async function loadSubscriptionEvents(
  q: Queryable,
  filter: SubscriptionFilter,
  limit = 50,
): Promise<StoredEvent[]> {
  const ancestors = ancestorsFrom(await tree(q));
  if (filter.profile !== undefined) {
    const rows = await q.query<{ id: number; doc: string }>(
      'SELECT id, doc FROM watch_events WHERE profile_id = $1 ORDER BY id DESC LIMIT $2',
      [filter.profile, limit * 4],
    );
    return rows
      .map((r) => ({ ...(JSON.parse(r.doc) as WatchEvent), id: Number(r.id) }))
      .filter((e) => matches(filter, e, ancestors))
      .slice(0, limit);
  }
  const candidates = await loadFeedEvents(q, {
    jurisdictions: filter.jurisdictions,
    topics: filter.topics,
    instruments: filter.instruments,
    limit: 500,
  });
  return candidates.filter((e) => matches(filter, e, ancestors)).slice(0, limit);
}

/** The calendar types a subscription's kinds ask for (both when it names none that concern dates). */
export function calendarTypesOf(filter: SubscriptionFilter): CalendarType[] {
  const types = new Set<CalendarType>();
  if (filter.effectiveAhead !== undefined || filter.kinds.some((k) => k === 'effective-soon' || k === 'status-changed'))
    types.add('effective');
  if (filter.deadlineAhead !== undefined || filter.kinds.includes('comment-deadline-soon'))
    types.add('comment-deadline');
  return types.size ? [...types] : [...CALENDAR_TYPES];
}
