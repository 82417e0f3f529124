// The request side of accounts, registered by src/server.ts before any route: every route must declare who may call
// it (`config: { policy }`, accounts/types.ts) or buildApp fails; each request gets `request.actor` from its session
// cookie (pages) or an account token (`Authorization: Bearer hzn_…`, the API); a route's policy is enforced before
// its handler (401 with WWW-Authenticate on the API, a redirect to /login for pages, 403 without the scope); and every
// state-changing request a session authenticates must carry the session's CSRF token and come from this site.
// Other bearer tokens (subscription owner tokens, profile tokens) are not accounts': they pass through untouched to
// the capability routes that check them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../domain/html.ts';
import { HorizonError } from '../errors.ts';
import type { PublicUrl } from '../http/params.ts';
import type { Database } from '../store/database.ts';
import {
  DEFAULT_SESSIONS,
  TOKEN_PREFIX,
  csrfMatches,
  resolveSession,
  resolveToken,
  type SessionOptions,
} from './accounts.service.ts';
import { PUBLIC, type Actor, type Policy } from './types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: from the session cookie or an account token; null for anyone else. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route (required: a route without one fails at start-up). */
    policy?: Policy;
  }
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'horizon_session';
/** The form field (and, for scripts, the X-CSRF-Token header) that carries a session's CSRF token. */
export const CSRF_FIELD = '_csrf';

export interface AuthOptions {
  readonly db: Database;
  readonly sessions?: SessionOptions | undefined;
  /** The site's public URL (a POST whose Origin is another is refused). */
  readonly publicUrl: PublicUrl;
  /** Mark cookies Secure (the public URL is https). */
  readonly secureCookies: boolean;
}

const csrfTokens = new WeakMap<FastifyRequest, string>();
/** The app's cookie settings, by request (set as each request arrives). */
const cookieSettings = new WeakMap<FastifyRequest, { secure: boolean; maxAgeSeconds: number }>();
const DEFAULT_COOKIE = { secure: false, maxAgeSeconds: DEFAULT_SESSIONS.maxAgeSeconds };

/** The session cookie's value in a Cookie header (the first one so named), or undefined. */
export function sessionCookieOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function cookieHeader(value: string, maxAge: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAge}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Sets the session cookie of a new sign-in (HttpOnly, SameSite=Lax, Path=/, Secure behind https). */
export function setSessionCookie(reply: FastifyReply, value: string): void {
  const o = cookieSettings.get(reply.request) ?? DEFAULT_COOKIE;
  reply.header('set-cookie', cookieHeader(value, o.maxAgeSeconds, o.secure));
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  const o = cookieSettings.get(reply.request) ?? DEFAULT_COOKIE;
  reply.header('set-cookie', cookieHeader('', 0, o.secure));
}

/** The CSRF token of the request's session (for forms), or undefined without a session. */
export function csrfToken(request: FastifyRequest): string | undefined {
  return csrfTokens.get(request);
}

/** The hidden input every form of a signed-in page carries (empty without a session). */
export function csrfField(request: FastifyRequest): SafeHtml {
  const token = csrfTokens.get(request);
  return token ? html`<input type="hidden" name="${CSRF_FIELD}" value="${token}" />` : html``;
}

/**
 * The signed-in actor of a request whose route's policy needs an account (the policy hook has made sure there is one;
 * 401 otherwise, so a route that forgot its policy still refuses anonymous callers).
 */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new HorizonError('unauthorized', { key: 'error.auth.required' });
  return request.actor;
}

/** The policy a request's route declared (a request no route matched: public). */
export function policyOf(request: FastifyRequest): Policy {
  return request.routeOptions.config.policy ?? PUBLIC;
}

/**
 * Whether a request comes from another site: Sec-Fetch-Site (cross-site, same-site) says so, or, from browsers that
 * do not send it, an Origin that is not this site's public URL ("null" from no-referrer pages is let through, as are
 * requests with neither header: scripts and curl, which carry no one's cookies by accident).
 */
export function isForeign(request: FastifyRequest, publicUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (site) return site !== 'same-origin' && site !== 'none';
  return !!origin && origin !== 'null' && origin !== publicUrl;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** A refusal for want of credentials (401): the API names the scheme to use. */
function unauthorized(request: FastifyRequest, reply: FastifyReply): HorizonError {
  if (isApi(request)) reply.header('www-authenticate', 'Bearer realm="horizon"');
  return new HorizonError('unauthorized', { key: 'error.auth.required' });
}

/** Adds the policy check of every route, request.actor and CSRF checks to the app (before any route is added). */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  const sessions = options.sessions ?? DEFAULT_SESSIONS;
  const cookie = { secure: options.secureCookies, maxAgeSeconds: sessions.maxAgeSeconds };
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    if (!route.config?.policy) {
      throw new Error(
        `route ${[route.method].flat().join(',')} ${route.url} declares no policy: add config: { policy } (src/accounts/types.ts)`,
      );
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    cookieSettings.set(request, cookie);
    const policy = policyOf(request);
    const authorization = request.headers.authorization;
    let actor: Actor | null = null;
    let triedToken = false;
    if (authorization?.startsWith(`Bearer ${TOKEN_PREFIX}`)) {
      triedToken = true;
      actor = await resolveToken(options.db, authorization.slice(7).trim(), request.ip);
    } else {
      const value = sessionCookieOf(request.headers.cookie);
      if (value) {
        const session = await resolveSession(options.db, value, sessions);
        if (session) {
          actor = session.actor;
          csrfTokens.set(request, session.csrf);
        } else {
          clearSessionCookie(reply);
        }
      }
    }
    request.actor = actor;
    if (policy.access !== 'account') return;
    if (!actor) {
      if (!isApi(request) && !triedToken && SAFE_METHODS.has(request.method)) {
        const next = encodeURIComponent(request.url);
        return reply.redirect(`/login?next=${next}`, 303);
      }
      throw unauthorized(request, reply);
    }
    if (policy.scope && !actor.scopes.has(policy.scope)) {
      throw new HorizonError('forbidden', { key: 'error.auth.scope', params: { scope: policy.scope } });
    }
  });

  // A state-changing request a session authenticates: from this site, with the session's token (form field or
  // X-CSRF-Token header). Bearer-token requests need neither (no browser sends a token on its own).
  app.addHook('preValidation', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.actor?.via !== 'session') return done();
    if (policyOf(request).access !== 'account') return done();
    const expected = csrfTokens.get(request) ?? '';
    const body = request.body;
    const field =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? (body as Readonly<Record<string, unknown>>)[CSRF_FIELD]
        : undefined;
    const given = request.headers['x-csrf-token'] ?? field;
    const ok = !isForeign(request, options.publicUrl()) && csrfMatches(expected, given);
    done(ok ? undefined : new HorizonError('forbidden', { key: 'error.form.csrf' }));
  });

  // Answers to a signed-in caller hold their name and token: never stored by a cache.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.actor) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
