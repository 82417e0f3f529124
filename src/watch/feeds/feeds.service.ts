// What the public feeds and the calendar show, read from the store: public watch events for Atom feeds (a
// jurisdiction with everything within it), and instruments' day-precise effective dates and comment deadlines.
import type { Lang } from '../../domain/types.ts';
import { ancestorsFrom, descendantsOf } from '../../domain/jurisdictions.ts';
import type { Queryable } from '../../store/database.ts';
import {
  KnowledgeRepository,
  type DatedEvent,
  type DatedEventFilter,
  type DatedEventKey,
} from '../../store/knowledge.repository.ts';
import { yieldToEventLoop } from '../../store/yield.ts';
import { listProfileEvents, listPublicEvents } from '../events.store.ts';
import { matches } from '../match.ts';
import type { ChangeKind, StoredEvent, SubscriptionFilter } from '../types.ts';
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

/** The jurisdiction tree, as the repository keeps it. */
const tree = (q: Queryable) => new KnowledgeRepository(q).jurisdictionTree();

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

/** How many entries one calendar holds at most (those with the latest dates); a narrower filter shows earlier ones. */
export const CALENDAR_SIZE = 1000;

/**
 * Effective dates and comment deadlines dated to the day (date_text YYYY-MM-DD; for a disputed date, the preferred
 * claim), oldest first. Dates known only to the month or year are left out.
 */
export async function loadCalendarItems(q: Queryable, filter: CalendarFilter = {}): Promise<CalendarItem[]> {
  const rows = await new KnowledgeRepository(q).datedEvents(await datedFilter(q, filter));
  return rows.map(calendarItem);
}

/** Dated events read by one query of loadCalendar (a short block of PGlite's thread each). */
const CALENDAR_BATCH = 250;

/**
 * A calendar's items: at most `limit`, those with the latest dates (returned oldest first), and whether any were left
 * out. Read newest first in batches with a turn of the event loop between them.
 */
export async function loadCalendar(
  q: Queryable,
  filter: CalendarFilter,
  limit = CALENDAR_SIZE,
): Promise<{ items: CalendarItem[]; truncated: boolean }> {
  const repo = new KnowledgeRepository(q);
  const dated = await datedFilter(q, filter);
  const rows: DatedEvent[] = [];
  let before: DatedEventKey | undefined;
  for (;;) {
    const want = Math.min(CALENDAR_BATCH, limit + 1 - rows.length);
    const batch = await repo.latestDatedEvents(dated, { limit: want, before });
    rows.push(...batch);
    const last = batch.at(-1);
    if (rows.length > limit || batch.length < want || !last) break;
    before = { day: last.day, instrument: last.instrument, position: last.position };
    await yieldToEventLoop();
  }
  return { items: rows.slice(0, limit).reverse().map(calendarItem), truncated: rows.length > limit };
}

/** What the repository filters dated events by (jurisdictions with their descendants). */
async function datedFilter(q: Queryable, filter: CalendarFilter): Promise<DatedEventFilter> {
  return {
    types: filter.types?.length ? filter.types : CALENDAR_TYPES,
    ...(filter.jurisdictions?.length ? { jurisdictions: descendantsOf(await tree(q), filter.jurisdictions) } : {}),
    ...(filter.instruments?.length ? { instruments: filter.instruments } : {}),
    ...(filter.topics?.length ? { topics: filter.topics } : {}),
  };
}

function calendarItem(r: DatedEvent): CalendarItem {
  return {
    uid: calendarUid(r.instrument, r.type as CalendarType, r.key),
    day: r.day,
    kind: r.type as CalendarType,
    instrument: r.instrument,
    title: r.title,
    url: `/instruments/${encodeURIComponent(r.instrument)}`,
  };
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
    return (await listProfileEvents(q, filter.profile, limit * 4))
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
