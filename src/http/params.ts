// Query parameters every edge shares (guide pages, feeds, the API): ?as_of=, ?lang=, day parameters, bearer tokens,
// and the site's public address. Each bad value is a 400 naming its parameter (errors.invalidParameter).
import type { AddressInfo } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { isDay, today } from '../domain/dates.ts';
import type { Lang } from '../domain/types.ts';
import { errors } from '../errors.ts';

/** One query parameter as a string; a repeated one is refused with a 400 naming it. */
export function single(query: unknown, name: string, { list = false } = {}): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw errors.invalidParameter(name, { key: list ? 'error.param.onceList' : 'error.param.once' });
  }
  return value;
}

/** Reads ?lang=: en (default) or zh; anything else is a 400 naming lang. */
export function langParam(query: unknown): Lang {
  const value = single(query, 'lang');
  if (value === undefined || value === '') return 'en';
  if (value !== 'en' && value !== 'zh')
    throw errors.invalidParameter('lang', { key: 'error.param.language', params: { value } });
  return value;
}

/** Checks that an optional day value is a real day written YYYY-MM-DD, or answers 400 naming the parameter. */
export function checkDay(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isDay(value)) throw errors.invalidParameter(name, { key: 'error.param.day', params: { value } });
  return value;
}

/** Reads an optional day parameter such as ?revision= from a raw query. */
export function dayParam(query: unknown, name: string): string | undefined {
  return checkDay(name, single(query, name));
}

/** Reads ?as_of= from a raw query: a real day written YYYY-MM-DD, or undefined when not given. */
export function asOfQueryParam(query: unknown): string | undefined {
  return dayParam(query, 'as_of');
}

/** An as_of value already read by the router: checked as a real day; today when not given. */
export function asOfParam(value: string | undefined): string {
  return checkDay('as_of', value) ?? today();
}

/** The token of an `Authorization: Bearer …` header. */
export function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/**
 * The site's public address, the one source of absolute links (feeds, the calendar, JSON-LD ids, private feed URLs,
 * e-mails): an origin without a trailing slash. Never built from a request (Host and X-Forwarded-* are the client's
 * to choose): it is the configured HORIZON_PUBLIC_URL, or the address the server listens on.
 */
export type PublicUrl = () => string;

/** A public URL for the app: the configured origin, else the server's own listening address (once it listens). */
export function publicUrlOf(
  configured: string | undefined,
  server: { address(): AddressInfo | string | null },
): PublicUrl {
  const fixed = configured?.trim().replace(/\/+$/, '');
  if (fixed) return () => fixed;
  return () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no public URL: the server is not listening');
    const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  };
}
