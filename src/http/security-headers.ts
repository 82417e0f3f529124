// The headers every response carries, whatever answered it (a route, the 404 handler, an error handler, Fastify
// itself): set on the raw response as the server receives each request, before Fastify routes it (so even the
// answers Fastify writes on its own, to a malformed URL or an over-long parameter, carry them), then completed by one
// onSend hook: pages get the guide's content security policy unless their route set a wider one (the check and watch
// pages add their own scripts), everything else a policy that allows nothing; answers to requests that carried a
// credential (Authorization, ?token=) are never stored, whatever the route said.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Guide pages load only from this origin: no scripts (pages that have one widen script-src), styles and images. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Anything that is not a page (JSON, feeds, calendars, CSS, SVG): nothing may run or load, nor may it be framed. */
export const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS for a site served over https: a year, subdomains included. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** True when the request carried a credential: an Authorization header or a token in its query. */
function carriesCredential(request: IncomingMessage): boolean {
  if (request.headers.authorization !== undefined) return true;
  const url = request.url ?? '';
  const q = url.indexOf('?');
  return q >= 0 && /(?:^|&)[^=&]*token[^=&]*=/i.test(url.slice(q + 1));
}

function isHtml(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && /^text\/html\b/i.test(type);
}

/** The headers that do not depend on the answer, as [name, value]. */
function baseHeaders(https: boolean): [string, string][] {
  return [
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'no-referrer'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['content-security-policy', RESOURCE_CSP],
    ...(https ? ([['strict-transport-security', HSTS]] as [string, string][]) : []),
  ];
}

/**
 * Adds the security headers to every response of `app` (call before any route). `https`: the public URL is https, so
 * browsers are told to use nothing else (Strict-Transport-Security); over plain http the header would be ignored.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { readonly https: boolean }): void {
  const base = baseHeaders(options.https);
  // First of the server's request listeners, ahead of Fastify's own: the raw response starts with every header.
  app.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of base) response.setHeader(name, value);
    if (carriesCredential(request)) response.setHeader('cache-control', 'no-store');
  });
  // Fastify's answers (also to app.inject, which bypasses the server) set their headers last: they are completed here.
  app.addHook('onSend', (request, reply, payload, done) => {
    for (const [name, value] of base) if (name !== 'content-security-policy') reply.header(name, value);
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', isHtml(reply) ? PAGE_CSP : RESOURCE_CSP);
    }
    if (carriesCredential(request.raw)) {
      const cache = reply.getHeader('cache-control');
      if (typeof cache !== 'string' || !/\bno-store\b/.test(cache)) reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
