// Public feeds and the calendar: GET /feeds/all.atom, /feeds/jurisdictions/:code.atom, /feeds/topics/:code.atom
// (each with ?kind= and ?lang=) and GET /calendar.ics (?jurisdiction=, ?topic=, ?instrument=, ?type=, ?lang=).
// An edge over watch/feeds/feeds.service.ts (it speaks the guide's languages). Links point at the public URL given to
// buildApp (never at a request's Host: public feeds are cached, by us and by others).
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../domain/types.ts';
import { errors } from '../errors.ts';
import { langParam, single as singleParam, type PublicUrl } from '../http/params.ts';
import { translator } from '../i18n/messages.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { CHANGE_KINDS, type ChangeKind, type StoredEvent } from '../watch/types.ts';
import { EMPTY_FEED_UPDATED, feedUpdated, renderAtom, TAG_PREFIX } from '../watch/feeds/atom.ts';
import { CALENDAR_TYPES, renderCalendar, type CalendarType } from '../watch/feeds/ical.ts';
import type { Queryable } from '../store/database.ts';
import { yieldToEventLoop } from '../store/yield.ts';
import {
  CALENDAR_SIZE,
  calendarTypesOf,
  loadCalendar,
  loadFeedEvents,
  loadSubscriptionEvents,
  withLang,
} from '../watch/feeds/feeds.service.ts';
import { subscriptionForFeed } from '../watch/subscriptions.service.ts';
import { CAPABILITY, PUBLIC } from '../accounts/types.ts';

export interface FeedRoutesOptions {
  readonly db: Queryable;
  readonly repo: KnowledgeRepository;
  /** The site's public address (e.g. https://horizon.example). */
  readonly publicUrl: PublicUrl;
}

const ATOM = 'application/atom+xml; charset=utf-8';
const CALENDAR = 'text/calendar; charset=utf-8';
/** How many events a feed carries: the newest; more are announced by X-Horizon-Truncated. */
const FEED_SIZE = 100;
/** Says that a response holds only the first `limit` items of a longer list (the newest, or the latest dates). */
const TRUNCATED = 'x-horizon-truncated';

/** The first `limit` of items loaded one beyond it; when there were more, the response says so (X-Horizon-Truncated). */
function capped<T>(reply: FastifyReply, items: readonly T[], limit: number): readonly T[] {
  if (items.length <= limit) return items;
  reply.header(TRUNCATED, String(limit));
  return items.slice(0, limit);
}

/** One query parameter as a string; a repeated one is refused with a 400 naming it. */
function single(request: FastifyRequest, name: string): string | undefined {
  return singleParam(request.query, name, { list: true });
}

/** A comma list parameter, each value checked against `known`; an unknown one is a 400 naming the parameter. */
function listParam<T extends string>(
  request: FastifyRequest,
  name: string,
  known: ReadonlySet<string> | readonly string[],
  what: 'kind' | 'jurisdiction' | 'topic' | 'type' | 'instrument',
): T[] {
  const text = single(request, name);
  if (text === undefined || text.trim() === '') return [];
  const set: ReadonlySet<string> = known instanceof Set ? known : new Set(known as readonly string[]);
  const values = [...new Set(text.split(',').map((v) => v.trim()))].filter((v) => v !== '');
  for (const v of values) {
    if (!set.has(v)) {
      const choices = set.size <= 12 ? [...set].join(', ') : 'none';
      throw errors.invalidParameter(name, { key: 'error.param.unknownValue', params: { value: v, what, choices } });
    }
  }
  return values as T[];
}

/** Sends a body with caching headers; answers 304 when the client already has this version. */
function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  body: string,
  lastModified?: Date,
): FastifyReply {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply
    .header('etag', etag)
    .header('cache-control', 'public, max-age=300')
    .header('x-content-type-options', 'nosniff')
    .header('access-control-allow-origin', '*');
  if (lastModified) reply.header('last-modified', lastModified.toUTCString());
  const match = request.headers['if-none-match'];
  if (match && match.split(',').some((m) => m.trim() === etag || m.trim() === `W/${etag}`)) {
    return reply.status(304).send();
  }
  return reply.status(200).type(type).send(body);
}

/** A feed route's file parameter without its ".atom" suffix; anything else is not found. */
function atomCode(file: string, what: string): string {
  if (!file.endsWith('.atom') || file.length <= 5) throw errors.notFound(what, file);
  return file.slice(0, -5);
}

/** Feed routes: hidden from the OpenAPI document; the file parameter typed. */
const hideWithFile = {
  schema: { hide: true, params: Type.Object({ file: Type.String() }) },
  config: { policy: PUBLIC },
};
/** A private feed: its token is the credential the route checks. */
const privateFeed = { ...hideWithFile, config: { policy: CAPABILITY } };

export function registerFeedRoutes(fastify: FastifyInstance, options: FeedRoutesOptions): void {
  const { db, repo } = options;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const kinds = (request: FastifyRequest) => listParam<ChangeKind>(request, 'kind', CHANGE_KINDS, 'kind');
  const hide = { schema: { hide: true }, config: { policy: PUBLIC } };

  async function sendFeed(
    request: FastifyRequest,
    reply: FastifyReply,
    scope: { id: string; title: (lang: Lang) => string; sitePath: string },
    load: (kinds: ChangeKind[]) => Promise<StoredEvent[]>,
  ) {
    const lang = langParam(request.query);
    const kindList = kinds(request);
    const events = capped(reply, await load(kindList), FEED_SIZE);
    await yieldToEventLoop(); // the reads and the rendering are two blocks of the thread, not one
    const base = options.publicUrl();
    const t = translator(lang);
    const body = renderAtom(events, {
      id: `${TAG_PREFIX}feed:${scope.id}${kindList.length ? `?kind=${[...kindList].sort().join(',')}` : ''}`,
      title: scope.title(lang),
      subtitle: t('feedSubtitle'),
      selfUrl: `${base}${request.url}`,
      siteUrl: `${base}${withLang(scope.sitePath, lang)}`,
      lang,
      publicUrl: base,
    });
    const updated = feedUpdated(events);
    return sendCached(request, reply, ATOM, body, updated.toISOString() === EMPTY_FEED_UPDATED ? undefined : updated);
  }

  app.get('/feeds/all.atom', hide, (request, reply) =>
    sendFeed(request, reply, { id: 'all', title: (l) => translator(l)('feedTitleAll'), sitePath: '/' }, (k) =>
      loadFeedEvents(db, { kinds: k, limit: FEED_SIZE + 1 }),
    ),
  );

  app.get('/feeds/jurisdictions/:file', hideWithFile, async (request, reply) => {
    const code = atomCode(request.params.file, 'jurisdiction');
    const j = (await repo.jurisdictions()).find((x) => x.code === code);
    if (!j) throw errors.notFound('jurisdiction', code);
    return sendFeed(
      request,
      reply,
      {
        id: `jurisdiction:${code}`,
        title: (l) => `${translator(l)('feedTitlePrefix')}${j.name[l]}`,
        sitePath: `/jurisdictions/${code}`,
      },
      (k) => loadFeedEvents(db, { jurisdictions: [code], kinds: k, limit: FEED_SIZE + 1 }),
    );
  });

  app.get('/feeds/topics/:file', hideWithFile, async (request, reply) => {
    const code = atomCode(request.params.file, 'topic');
    const topic = (await repo.taxonomy()).topics.find((x) => x.code === code);
    if (!topic) throw errors.notFound('topic', code);
    return sendFeed(
      request,
      reply,
      {
        id: `topic:${code}`,
        title: (l) => `${translator(l)('feedTitlePrefix')}${topic.label[l]}`,
        sitePath: `/topics/${code}`,
      },
      (k) => loadFeedEvents(db, { topics: [code], kinds: k, limit: FEED_SIZE + 1 }),
    );
  });

  app.get('/calendar.ics', hide, async (request, reply) => {
    const lang = langParam(request.query);
    const [jurisdictions, taxonomy] = await Promise.all([repo.jurisdictions(), repo.taxonomy()]);
    const jurisdiction = listParam<string>(
      request,
      'jurisdiction',
      new Set(jurisdictions.map((j) => j.code)),
      'jurisdiction',
    );
    const topic = listParam<string>(request, 'topic', new Set(taxonomy.topics.map((x) => x.code)), 'topic');
    const type = listParam<CalendarType>(request, 'type', CALENDAR_TYPES, 'type');
    const instrument = single(request, 'instrument')
      ? listParam<string>(request, 'instrument', await repo.instrumentIds(), 'instrument')
      : [];
    const { items, truncated } = await loadCalendar(db, {
      jurisdictions: jurisdiction,
      topics: topic,
      instruments: instrument,
      types: type,
    });
    if (truncated) reply.header(TRUNCATED, String(CALENDAR_SIZE));
    const body = await renderCalendar(items, {
      name: translator(lang)('calendarTitle'),
      lang,
      publicUrl: options.publicUrl(),
      ...(truncated ? { truncated: { limit: CALENDAR_SIZE } } : {}),
    });
    return sendCached(request, reply, CALENDAR, body);
  });
}

/** A subscription's private feed: `s_ID.atom` or `s_ID.ics`, with its feed token; not cached by shared caches. */
export function registerSubscriptionFeedRoutes(fastify: FastifyInstance, options: FeedRoutesOptions): void {
  const { db } = options;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/feeds/subscriptions/:file', privateFeed, async (request, reply) => {
    const file = request.params.file;
    const m = /^(s_[A-Za-z0-9_-]+)\.(atom|ics)$/.exec(file);
    if (!m?.[1]) throw errors.notFound('feed', file);
    const subscription = await subscriptionForFeed(db, m[1], single(request, 'token'));
    const wanted = m[2] === 'ics' ? 'ical' : 'atom';
    if (subscription.channel !== wanted) throw errors.notFound('feed', file);
    const lang = langParam(request.query);
    const base = options.publicUrl();
    const t = translator(lang);
    const title = subscription.label ?? `${t('feedTitleAll')} (${subscription.id})`;
    reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
    if (wanted === 'ical') {
      const f = subscription.filter;
      const { items, truncated } = await loadCalendar(db, {
        jurisdictions: f.jurisdictions,
        topics: f.topics,
        instruments: f.instruments,
        types: calendarTypesOf(f),
      });
      if (truncated) reply.header(TRUNCATED, String(CALENDAR_SIZE));
      const body = await renderCalendar(items, {
        name: title,
        lang,
        publicUrl: base,
        ...(truncated ? { truncated: { limit: CALENDAR_SIZE } } : {}),
      });
      return reply.type(CALENDAR).send(body);
    }
    const events = capped(reply, await loadSubscriptionEvents(db, subscription.filter, FEED_SIZE + 1), FEED_SIZE);
    const body = renderAtom(events, {
      id: `${TAG_PREFIX}feed:subscription:${subscription.id}`,
      title,
      subtitle: t('feedSubtitle'),
      selfUrl: `${base}${request.url}`,
      siteUrl: `${base}${withLang('/watch', lang)}`,
      lang,
      publicUrl: base,
    });
    return reply.type(ATOM).send(body);
  });
}
