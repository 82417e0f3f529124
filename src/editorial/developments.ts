// What happened to an article's cited instruments after the article's accurate-up-to date, as of a day: dated
// lifecycle events and published change-log entries (pure: the service reads the store and calls these).
import { parsePartialDate, type Precision } from '../domain/dates.ts';
import { eventDate, eventDay } from '../domain/status.ts';
import type { Bilingual, EventType, Instrument, LifecycleEvent } from '../domain/types.ts';

/** A lifecycle event of a cited instrument that happened after the article's date. */
export interface EventDevelopment {
  readonly kind: 'event';
  readonly instrument: string;
  readonly title: Bilingual;
  readonly type: EventType;
  /** The date as written (the preferred claim's when disputed): YYYY, YYYY-MM or YYYY-MM-DD. */
  readonly date: string;
  readonly precision: Precision;
  /** The first day on which it had certainly happened (domain/status.ts eventDay): the list's order. */
  readonly day: string;
  /** The date is disputed; `date` is the preferred claim's. */
  readonly disputed: boolean;
  readonly approximate: boolean;
}

/** A published change to a cited instrument's record (not its first import) recorded after the article's date. */
export interface ChangeDevelopment {
  readonly kind: 'change';
  readonly instrument: string;
  readonly title: Bilingual;
  /** The day (UTC) it was recorded. */
  readonly day: string;
  readonly seq: number;
  readonly change: 'changed' | 'removed';
  /** The record's top-level fields that changed (events left out when the new events are listed themselves). */
  readonly fields: readonly string[];
}

export type Development = EventDevelopment | ChangeDevelopment;

/** A change-log entry of an instrument, as the repository reads it (before/after: the log's content JSON). */
export interface InstrumentChange {
  readonly seq: number;
  /** ISO 8601 UTC. */
  readonly recordedAt: string;
  readonly instrument: string;
  readonly change: 'changed' | 'removed';
  readonly before: string | null;
  readonly after: string | null;
}

const INSTRUMENT_LINK = /\]\(instrument:([^)\s#]+)(?:#[^)\s]*)?\)/g;

/** The instruments a revision's Markdown links to (`[…](instrument:ID)`, as the validator checks them), in order. */
export function citedInstruments(markdown: string): string[] {
  const ids = new Set<string>();
  for (const m of markdown.matchAll(INSTRUMENT_LINK)) if (m[1]) ids.add(m[1]);
  return [...ids];
}

/**
 * The event as a development after `since`, as of `asOf`, or null. Day-precise dates compare by day. A date known to
 * the month or year counts only when the whole period is after `since` and it had certainly happened by `asOf` (its
 * last day; an `expired` of month or year precision counts from the day after its period, as eventDay says).
 */
export function eventDevelopment(
  instrument: Instrument,
  event: LifecycleEvent,
  since: string,
  asOf: string,
): EventDevelopment | null {
  const text = eventDate(event);
  const date = text === null ? null : parsePartialDate(text);
  const day = eventDay(event);
  if (text === null || date === null || day === null) return null;
  const start = event.type === 'expired' && date.precision !== 'day' ? day : date.first;
  if (start <= since || day > asOf) return null;
  return {
    kind: 'event',
    instrument: instrument.id,
    title: instrument.title,
    type: event.type,
    date: text,
    precision: date.precision,
    day,
    disputed: (event.claims?.length ?? 0) > 0,
    approximate: event.approximate === true,
  };
}

/** The top-level fields whose JSON differs between two records. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The entity's document in a change-log entry's content (`{position, doc}`: content/import.ts), or {}. */
function record(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  const content = JSON.parse(text) as unknown;
  return isRecord(content) && isRecord(content.doc) ? content.doc : {};
}

/**
 * A change-log entry as a development, or null when it was recorded on or before `since`, after `asOf`, or changed
 * nothing in the document (only its place in the bundle) or nothing but events that are listed as developments
 * themselves (so one happening is not counted twice).
 */
export function changeDevelopment(
  entry: InstrumentChange,
  title: Bilingual,
  listedEvents: ReadonlySet<string>,
  since: string,
  asOf: string,
): ChangeDevelopment | null {
  const day = entry.recordedAt.slice(0, 10);
  if (day <= since || day > asOf) return null;
  const before = record(entry.before);
  const after = record(entry.after);
  let fields = changedFields(before, after);
  if (entry.change === 'changed' && fields.includes('events')) {
    const old = new Set(((before.events ?? []) as unknown[]).map((e) => JSON.stringify(e)));
    const now = ((after.events ?? []) as unknown[]).map((e) => JSON.stringify(e));
    const kept = new Set(now);
    const removed = [...old].some((e) => !kept.has(e));
    const added = now.filter((e) => !old.has(e));
    if (!removed && added.every((e) => listedEvents.has(e))) fields = fields.filter((f) => f !== 'events');
  }
  if (entry.change === 'changed' && fields.length === 0) return null;
  return { kind: 'change', instrument: entry.instrument, title, day, seq: entry.seq, change: entry.change, fields };
}

/**
 * Every development of the cited instruments after `since` (an accurate-up-to date) as of `asOf`, oldest first:
 * their events (as they stand now in the store) and the changes to their records. Nothing when asOf <= since.
 */
export function developmentsSince(
  instruments: readonly Instrument[],
  changes: readonly InstrumentChange[],
  since: string,
  asOf: string,
): Development[] {
  if (asOf <= since) return [];
  const out: Development[] = [];
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const listed = new Map<string, Set<string>>();
  for (const inst of instruments) {
    const mine = new Set<string>();
    for (const event of inst.events) {
      const d = eventDevelopment(inst, event, since, asOf);
      if (!d) continue;
      out.push(d);
      mine.add(JSON.stringify(event));
    }
    listed.set(inst.id, mine);
  }
  for (const entry of changes) {
    const inst = byId.get(entry.instrument);
    const title = inst?.title ?? titleOf(entry.before) ?? { en: entry.instrument, zh: entry.instrument };
    const d = changeDevelopment(entry, title, listed.get(entry.instrument) ?? new Set(), since, asOf);
    if (d) out.push(d);
  }
  return out.sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      a.instrument.localeCompare(b.instrument) ||
      (a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1),
  );
}

function titleOf(doc: string | null): Bilingual | undefined {
  const title = record(doc).title as Bilingual | undefined;
  return title && typeof title.en === 'string' && typeof title.zh === 'string' ? title : undefined;
}
