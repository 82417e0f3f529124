// The headers every response carries, whatever answered it (a route, the 404 handler, an error handler, Fastify
// itself): one onSend hook registered by buildApp before any route. Pages get the guide's content security policy
// unless their route set a wider one (the check and watch pages add their own scripts); everything else gets a policy
// that allows nothing. Responses to requests that carried a credential (Authorization, ?token=) are never stored.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Guide pages load only from this origin: no scripts (pages that have one widen script-src), styles and images. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Anything that is not a page (JSON, feeds, calendars, CSS, SVG): nothing may run or load, nor may it be framed. */
export const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS for a site served over https: a year, subdomains included. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** True when the request carried a credential: an Authorization header or a token in its query. */
function carriesCredential(request: FastifyRequest): boolean {
  if (request.headers.authorization !== undefined) return true;
  const q = request.url.indexOf('?');
  return q >= 0 && /(?:^|&)[^=&]*token[^=&]*=/i.test(request.url.slice(q + 1));
}

function isHtml(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && /^text\/html\b/i.test(type);
}

/**
 * Adds the security headers to every response of `app`. `https`: the public URL is https, so browsers are told to
 * use nothing else (Strict-Transport-Security); over plain http the header would be ignored, so it is not sent.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { readonly https: boolean }): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', isHtml(reply) ? PAGE_CSP : RESOURCE_CSP);
    }
    if (options.https) reply.header('strict-transport-security', HSTS);
    if (carriesCredential(request)) {
      const cache = reply.getHeader('cache-control');
      if (typeof cache !== 'string' || !/\bno-store\b/.test(cache)) reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
