// Status as of a date: a pure function of an instrument's lifecycle events on or before that date (TAXONOMY.md).
import { addDays, parsePartialDate } from './dates.ts';
import type { DateClaim, EventType, LegalForce, LifecycleEvent, Status } from './types.ts';

/** The claim a disputed event is shown with: the one marked preferred (the first claim if none is). */
export function preferredClaim(claims: readonly DateClaim[]): DateClaim | undefined {
  return claims.find((c) => c.preferred) ?? claims[0];
}

/** The date an event is shown with (its date, or its preferred claim's); null when unknown. */
export function eventDate(event: LifecycleEvent): string | null {
  if (event.claims && event.claims.length > 0) return preferredClaim(event.claims)?.date ?? null;
  return event.date ?? null;
}

/**
 * The first day on which the event had certainly happened: the day itself, or the last day of its month or year
 * when only those are known. An `expired` event of month or year precision names the last period of validity (a
 * plan for "2023–2025" expires with 2025), so it counts from the day after that period. Null when the date is unknown.
 */
export function eventDay(event: LifecycleEvent): string | null {
  const text = eventDate(event);
  if (text === null) return null;
  const date = parsePartialDate(text);
  if (!date) return null;
  return event.type === 'expired' && date.precision !== 'day' ? addDays(date.last, 1) : date.last;
}

const TERMINAL: ReadonlySet<EventType> = new Set(['superseded', 'repealed', 'expired']);
const MADE: ReadonlySet<EventType> = new Set(['adopted', 'signed', 'announced', 'published', 'amended']);
const DRAFT: ReadonlySet<EventType> = new Set(['draft-published', 'comment-deadline']);

/**
 * The status of an instrument as of `asOf` (YYYY-MM-DD), or null when it did not exist yet (no event on or before
 * that day). Binding instruments go draft → adopted → in_force; non-binding ones draft → issued; any may end
 * superseded, repealed or expired, the latest such event winning.
 */
export function statusAsOf(events: readonly LifecycleEvent[], legalForce: LegalForce, asOf: string): Status | null {
  let terminal: { type: EventType; day: string } | undefined;
  let made = false;
  let effective = false;
  let draft = false;
  for (const event of events) {
    const day = eventDay(event);
    if (day === null || day > asOf) continue;
    if (TERMINAL.has(event.type)) {
      if (!terminal || day >= terminal.day) terminal = { type: event.type, day };
    } else if (event.type === 'effective') effective = true;
    else if (MADE.has(event.type)) made = true;
    else if (DRAFT.has(event.type)) draft = true;
  }
  if (terminal) return terminal.type as Status;
  if (legalForce === 'binding') {
    if (effective) return 'in_force';
    if (made) return 'adopted';
  } else if (effective || made) {
    return 'issued';
  }
  return draft ? 'draft' : null;
}

/** The day an instrument first exists (its earliest dated event), or null when no event has a known date. */
export function firstDay(events: readonly LifecycleEvent[]): string | null {
  let first: string | null = null;
  for (const e of events) {
    const day = eventDay(e);
    if (day !== null && (first === null || day < first)) first = day;
  }
  return first;
}
