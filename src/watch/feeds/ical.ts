// Instruments' effective dates and comment deadlines as an iCalendar (RFC 5545) of all-day events, with ical-generator.
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { Lang } from '../../domain/types.ts';
import { addDays } from '../../domain/dates.ts';
import type { Bilingual } from '../../domain/types.ts';
import { translator } from '../../i18n/messages.ts';

/** The dated instrument events a calendar shows. */
export const CALENDAR_TYPES = ['effective', 'comment-deadline'] as const;
export type CalendarType = (typeof CALENDAR_TYPES)[number];

/** One all-day calendar entry. */
export interface CalendarItem {
  /** Stable across requests, e.g. instrument-ID-effective-KEY@horizon. */
  readonly uid: string;
  /** YYYY-MM-DD: only events dated to the day make calendar entries. */
  readonly day: string;
  readonly kind: CalendarType;
  readonly instrument: string;
  readonly title: Bilingual;
  /** The instrument's page: an absolute URL, or a path resolved against the calendar's publicUrl. */
  readonly url: string;
}

export interface CalendarMeta {
  readonly name: string;
  readonly lang: Lang;
  /** The site's public address (no trailing slash). */
  readonly publicUrl: string;
}

/** The UID of an instrument event's calendar entry. */
export function calendarUid(instrument: string, type: CalendarType, key: string): string {
  return `instrument-${instrument}-${type}-${key}@horizon`;
}

/** The day after a YYYY-MM-DD day (the exclusive end of an all-day event). */
function nextDay(day: string): Date {
  return new Date(`${addDays(day, 1)}T00:00:00Z`);
}

/** The items as an iCalendar document; SUMMARY and DESCRIPTION in `meta.lang`. */
export function renderCalendar(items: readonly CalendarItem[], meta: CalendarMeta): string {
  const t = translator(meta.lang);
  const cal = ical({
    name: meta.name,
    description: t('calendar.description'),
    prodId: { company: 'Horizon', product: 'Horizon calendar', language: meta.lang === 'zh' ? 'ZH' : 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    url: `${meta.publicUrl}/watch`,
    ttl: 60 * 60 * 6,
  });
  for (const item of items) {
    const title = item.title[meta.lang] || item.title.en || item.title.zh;
    const url = new URL(item.url, `${meta.publicUrl}/`).toString();
    const start = new Date(`${item.day}T00:00:00Z`);
    cal.createEvent({
      id: item.uid,
      start,
      end: nextDay(item.day),
      allDay: true,
      // Derived from the day, not the clock, so the same data gives the same calendar (and ETag).
      stamp: start,
      summary: t('calendar.summary', { what: t(`calendar.${item.kind}`), title }),
      description: `${t('calendar.summary', { what: t(`calendar.${item.kind}`), title })}\n${t('calendar.more', { url })}`,
      url,
      categories: [{ name: item.kind }],
    });
  }
  return cal.toString();
}
