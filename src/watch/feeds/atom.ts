// Public events as an Atom 1.0 feed (RFC 4287), written with the `feed` package.
//
// `feed` writes entry titles and summaries as type="html" inside CDATA, so the plain text of an event is escaped as
// HTML first (a title with "<" or "&" is then shown as written, not read as markup). It has no option for xml:lang,
// which is added to the root element here. Ids are tag: URIs that do not depend on the host the site is served from.
import { languageTag } from '../../i18n/languages.ts';
import { Feed } from 'feed';
import type { Lang } from '../../domain/types.ts';
import { escapeHtml } from '../../domain/html.ts';
import type { StoredEvent } from '../types.ts';

/** Who made the feed, by name (an Atom feed needs an author at feed level or on every entry). */
export const FEED_AUTHOR = 'Horizon';
/** The tag: URI authority and date of every id Horizon mints. */
export const TAG_PREFIX = 'tag:horizon,2026:';
/** `updated` of a feed with no entries: a fixed date, so an empty feed does not change with every request. */
export const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00.000Z';

export interface AtomMeta {
  /** The feed's id: a tag: URI or an https URL. */
  readonly id: string;
  readonly title: string;
  /** The feed's own address (link rel="self"): the URL it was requested at. */
  readonly selfUrl: string;
  /** The guide page the feed follows (link rel="alternate"). */
  readonly siteUrl: string;
  readonly lang: Lang;
  /** The site's public address without a trailing slash; entry links are publicUrl + event.path. */
  readonly publicUrl: string;
  readonly subtitle?: string;
}

/** The stable id of an event's entry. */
export function entryId(event: Pick<StoredEvent, 'id'>): string {
  return `${TAG_PREFIX}event:${event.id}`;
}

// XML 1.0 forbids most control characters, U+FFFE and U+FFFF, and a UTF-16 half without its other half has no
// character to stand for; none has any business in a title.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Plain text as the HTML text construct `feed` writes (type="html"). */
function asHtmlText(text: string): string {
  return escapeHtml(text.replace(NOT_XML, ''));
}

function plain(text: string): string {
  return text.replace(NOT_XML, '');
}

/**
 * Plain text for an element `feed` writes as text (the feed's title and subtitle). Its writer (xml-js) first turns
 * every `&amp;` back into `&` "to avoid double sanitization", so a title holding the characters `&amp;` would be read
 * as `&`; escaping `&` here first makes the writer's round trip come out as the text was.
 */
function xmlText(text: string): string {
  return plain(text).replace(/&/g, '&amp;');
}

/**
 * A code as a category term (an attribute value). `feed` escapes `&` and `"` in attributes but not `<`, which XML
 * forbids there; codes never hold one (the bundle's patterns), so it is dropped rather than escaped twice.
 */
function term(code: string): string {
  return plain(code).replace(/</g, '');
}

/** A timestamp as RFC 3339 (UTC); an unreadable one becomes the epoch rather than an invalid date. */
function instant(text: string): Date {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? new Date(EMPTY_FEED_UPDATED) : d;
}

/** The newest occurredAt of the events (the feed's `updated`), or the fixed epoch when there are none. */
export function feedUpdated(events: readonly StoredEvent[]): Date {
  let newest: Date | undefined;
  for (const e of events) {
    const d = instant(e.occurredAt);
    if (!newest || d > newest) newest = d;
  }
  return newest ?? new Date(EMPTY_FEED_UPDATED);
}

/** The events as an Atom document, titles and summaries in `meta.lang`. */
export function renderAtom(events: readonly StoredEvent[], meta: AtomMeta): string {
  const feed = new Feed({
    id: meta.id,
    title: xmlText(meta.title),
    ...(meta.subtitle ? { description: xmlText(meta.subtitle) } : {}),
    updated: feedUpdated(events),
    generator: false,
    link: meta.siteUrl,
    feed: meta.selfUrl,
    author: { name: FEED_AUTHOR, link: `${meta.publicUrl}/` },
  });
  for (const e of events) {
    const title = e.title[meta.lang] || e.title.en || e.title.zh;
    const summary = e.summary[meta.lang] || e.summary.en || e.summary.zh;
    feed.addItem({
      id: entryId(e),
      title: asHtmlText(title),
      link: new URL(e.path, `${meta.publicUrl}/`).toString(),
      date: instant(e.occurredAt),
      ...(summary ? { description: asHtmlText(summary) } : {}),
      category: [
        { term: term(e.kind), scheme: `${TAG_PREFIX}kinds` },
        ...(e.jurisdiction ? [{ term: term(e.jurisdiction), scheme: `${TAG_PREFIX}jurisdictions` }] : []),
        ...e.topics.map((t) => ({ term: term(t), scheme: `${TAG_PREFIX}topics` })),
      ],
    });
  }
  const xmlLang = languageTag(meta.lang);
  return feed
    .atom1()
    .replace(
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlLang}">`,
    )
    .replace(/<link href="/g, '<link rel="alternate" href="');
}
