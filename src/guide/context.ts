// What every page knows about its request: the as-of date, the language, and how to link while keeping both.
import type { FastifyRequest } from 'fastify';
import { today } from '../domain/dates.ts';
import type { Bilingual, Lang, PartialText } from '../domain/types.ts';
import { asOfQueryParam, langParam } from '../http/params.ts';
import { translateParts, translator, type MessageKey, type RichParams, type Translate } from '../i18n/messages.ts';
import { html, type SafeHtml } from '../domain/html.ts';
import { formatDate } from './i18n.ts';
import { csrfToken } from '../accounts/auth.ts';
import type { Role, Scope } from '../accounts/types.ts';

export type Params = Readonly<Record<string, string | undefined>>;

export interface PageContext {
  readonly lang: Lang;
  readonly asOf: string;
  /** True when as_of came from the request (links then carry it), false when it defaulted to today. */
  readonly asOfGiven: boolean;
  readonly today: string;
  /** The request's path, without its query. */
  readonly path: string;
  /** Parameters of this page other than as_of and lang (e.g. revision), kept by the as-of form and language switch. */
  readonly pageParams: Params;
  /** The page's words: `ctx.t('key', params)` (src/locales/). */
  readonly t: Translate;
  /** A message whose placeholders take markup as well as text (text is escaped), e.g. dates in <time> elements. */
  tHtml<K extends MessageKey>(key: K, params: RichParams<K, SafeHtml>): SafeHtml;
  /** A link to a guide path that keeps as_of and lang. */
  href(path: string, params?: Params): string;
  /** This page in the other language. */
  langSwitchHref(): string;
  /** A date of any precision in the page's language. */
  date(text: string): string;
  /** Text in the page's language, falling back to English (or Chinese). */
  text(value: Bilingual | PartialText | undefined): string;
  /** The signed-in account of the request (the header's bar and forms' CSRF token), when there is one. */
  readonly account?: SignedInAccount | undefined;
}

/** Who is signed in, as pages show it; `csrf` goes into every form the page posts (accounts/auth.ts). */
export interface SignedInAccount {
  readonly name: string;
  readonly role: Role;
  readonly csrf: string;
  readonly scopes: ReadonlySet<Scope>;
}

function queryString(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface ContextInput {
  readonly lang: Lang;
  readonly asOf: string | undefined;
  readonly path: string;
  readonly pageParams?: Params;
  readonly now?: string;
  readonly account?: SignedInAccount | undefined;
}

export function makeContext(input: ContextInput): PageContext {
  const { lang, path } = input;
  const now = input.now ?? today();
  const asOf = input.asOf ?? now;
  const pageParams = input.pageParams ?? {};
  const keep = (l: Lang): Params => ({ as_of: input.asOf, lang: l === 'en' ? undefined : l });
  return {
    lang,
    asOf,
    asOfGiven: input.asOf !== undefined,
    today: now,
    path,
    pageParams,
    t: translator(lang),
    tHtml: (key, params) => html`${translateParts(lang, key, params)}`,
    href: (to, params = {}) => `${to}${queryString({ ...params, ...keep(lang) })}`,
    langSwitchHref: () => `${path}${queryString({ ...pageParams, ...keep(lang === 'en' ? 'zh' : 'en') })}`,
    date: (text) => formatDate(text, lang),
    text: (value) => (value ? (value[lang] ?? value.en ?? value.zh ?? '') : ''),
    account: input.account,
  };
}

/** The request's signed-in account for pages (a session's; a token's requests post no forms). */
function accountOf(request: FastifyRequest): SignedInAccount | undefined {
  const actor = request.actor;
  const csrf = csrfToken(request);
  return actor && csrf ? { name: actor.name, role: actor.role, csrf, scopes: actor.scopes } : undefined;
}

function requestPath(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '/';
  return path === '' ? '/' : path;
}

/** The context of a page request; throws invalid_parameter (400) for a bad as_of or lang. */
export function pageContext(request: FastifyRequest, pageParams: Params = {}): PageContext {
  return makeContext({
    lang: langParam(request.query),
    asOf: asOfQueryParam(request.query),
    path: requestPath(request),
    pageParams,
    account: accountOf(request),
  });
}

/** A context for error pages: never throws, ignoring parameters that are not valid. */
export function lenientContext(request: FastifyRequest): PageContext {
  let lang: Lang = 'en';
  let asOf: string | undefined;
  try {
    lang = langParam(request.query);
  } catch {
    /* keep en */
  }
  try {
    asOf = asOfQueryParam(request.query);
  } catch {
    /* keep today */
  }
  return makeContext({ lang, asOf, path: requestPath(request), account: accountOf(request) });
}
