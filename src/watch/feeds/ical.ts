// Instruments' effective dates and comment deadlines as an iCalendar (RFC 5545) of all-day events.
//
// Written here, not with ical-generator (10.2.0, used before): that library wrote the calendar's NAME, X-WR-CALNAME
// and X-WR-CALDESC and every UID without escaping (a subscription label holding CRLF added properties and events),
// and built the whole text in one synchronous call that folded lines with a TextEncoder per character (1.2 s of
// blocked event loop for a calendar of 5,000 instruments). Here every value goes through one of two escapers —
// textValue (RFC 5545 §3.3.11 TEXT) or uriValue — every line through contentLine (folded at 75 octets, never inside
// a UTF-8 sequence), and renderCalendar gives the event loop back every few milliseconds.
import type { Bilingual, Lang } from '../../domain/types.ts';
import { addDays } from '../../domain/dates.ts';
import { translator } from '../../i18n/messages.ts';
import { yieldToEventLoop } from '../../store/yield.ts';

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
  /** Set when the items are only the latest `limit` of more: the calendar says so (X-HORIZON-TRUNCATED, its description). */
  readonly truncated?: { readonly limit: number };
}

/** The UID of an instrument event's calendar entry. */
export function calendarUid(instrument: string, type: CalendarType, key: string): string {
  return `instrument-${instrument}-${type}-${key}@horizon`;
}

// Characters a TEXT value cannot hold (RFC 5545 §3.3.11: no control characters but HTAB) and UTF-16 halves without
// their other half (they have no UTF-8 form). Line breaks are handled before these are dropped.
const NOT_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000A-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A URI has no spaces or control characters at all (URL's serializer percent-encodes them; this is the backstop).
// eslint-disable-next-line no-control-regex
const NOT_URI = /[\u0000-\u0020\u007F]|[\uD800-\uDFFF]/g;

/**
 * A TEXT property value (SUMMARY, DESCRIPTION, NAME, X-WR-CALNAME, UID, CATEGORIES …): backslash, semicolon and comma
 * escaped, each line break (CRLF or LF) written as \n, every other control character (a lone CR too) dropped.
 */
export function textValue(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.replace(NOT_TEXT, '').replace(/[\\;,]/g, (c) => `\\${c}`))
    .join('\\n');
}

/** A URI property value (URL): not escaped in iCalendar, so nothing but the URI's own printable characters. */
export function uriValue(uri: string): string {
  return uri.replace(NOT_URI, '');
}

const utf8Length = (codePoint: number): number =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/**
 * One content line, `NAME[;PARAMS]:value` (the value already escaped), folded as RFC 5545 §3.1 asks: no line longer
 * than 75 octets without its CRLF, each continuation starting with a space, a break never inside a character.
 */
export function contentLine(name: string, value: string): string {
  const line = `${name}:${value}`;
  if (line.length <= 25 || Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let octets = 0;
  let limit = 75;
  for (let i = 0; i < line.length;) {
    const cp = line.codePointAt(i) as number;
    const units = cp > 0xffff ? 2 : 1;
    const size = utf8Length(cp);
    if (octets + size > limit) {
      parts.push(line.slice(start, i));
      start = i;
      octets = 0;
      limit = 74; // the leading space of the continuation is the 75th octet
    }
    octets += size;
    i += units;
  }
  parts.push(line.slice(start));
  return parts.join('\r\n ');
}

/** YYYY-MM-DD as an iCalendar DATE (YYYYMMDD). */
const date = (day: string): string => day.replace(/-/g, '');

/** How long renderCalendar works before it lets other requests run. */
const SLICE_MS = 8;

/**
 * The items as an iCalendar document (CRLF lines, folded); SUMMARY and DESCRIPTION in `meta.lang`. Asynchronous only
 * so that a large calendar is written in slices of a few milliseconds, with other requests served in between.
 */
export async function renderCalendar(items: readonly CalendarItem[], meta: CalendarMeta): Promise<string> {
  const t = translator(meta.lang);
  const description = meta.truncated
    ? `${t('calendar.description')} ${t('calendar.truncated', { limit: meta.truncated.limit })}`
    : t('calendar.description');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    contentLine('PRODID', `-//Horizon//Horizon calendar//${meta.lang === 'zh' ? 'ZH' : 'EN'}`),
    contentLine('URL', uriValue(`${meta.publicUrl}/watch`)),
    'METHOD:PUBLISH',
    contentLine('NAME', textValue(meta.name)),
    contentLine('X-WR-CALNAME', textValue(meta.name)),
    contentLine('X-WR-CALDESC', textValue(description)),
    'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
    'X-PUBLISHED-TTL:PT6H',
    ...(meta.truncated ? [contentLine('X-HORIZON-TRUNCATED', String(meta.truncated.limit))] : []),
  ];
  let slice = performance.now();
  for (const item of items) {
    if (performance.now() - slice > SLICE_MS) {
      await yieldToEventLoop();
      slice = performance.now();
    }
    const title = item.title[meta.lang] || item.title.en || item.title.zh;
    const url = new URL(item.url, `${meta.publicUrl}/`).toString();
    const summary = t('calendar.summary', { what: t(`calendar.${item.kind}`), title });
    lines.push(
      'BEGIN:VEVENT',
      contentLine('UID', textValue(item.uid)),
      'SEQUENCE:0',
      // Derived from the day, not the clock, so the same data gives the same calendar (and ETag).
      `DTSTAMP:${date(item.day)}T000000Z`,
      `DTSTART;VALUE=DATE:${date(item.day)}`,
      `DTEND;VALUE=DATE:${date(addDays(item.day, 1))}`,
      'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE',
      contentLine('SUMMARY', textValue(summary)),
      contentLine('DESCRIPTION', textValue(`${summary}\n${t('calendar.more', { url })}`)),
      contentLine('CATEGORIES', textValue(item.kind)),
      contentLine('URL;VALUE=URI', uriValue(url)),
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}
