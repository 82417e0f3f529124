// What the web server writes to its log, redacted by construction: a request is logged as its method and its URL
// with every token masked (query values of credential-like names, path segments shaped like Horizon's tokens), never
// its headers (Authorization and Cookie are also censored should anything log them); errors are logged by name,
// message, code and stack only (database errors carry no parameters already: store/statement-error.ts).
import type { Writable } from 'node:stream';

/** Replaces a secret in a log line. */
export const MASK = '[redacted]';

/** Query parameters whose values are credentials, whatever they hold (feed tokens, owner tokens, secrets …). */
const SECRET_NAME = /token|secret|key|password|passwd|signature|auth|session|code_verifier/i;

/**
 * A path segment or value shaped like one of Horizon's tokens: a short prefix and 20+ base64url characters
 * (hzo_…, hzf_…, whsec_…), or 24+ base64url characters with an upper-case letter or a digit and no hyphen between
 * words (instrument ids such as cn-sh-ai-industry-regulations are lower case words and stay readable).
 */
function looksLikeToken(text: string): boolean {
  if (/^[a-z]{1,8}_[A-Za-z0-9_-]{20,}$/.test(text)) return true;
  return /^[A-Za-z0-9_-]{24,}$/.test(text) && /[A-Z0-9]/.test(text) && !/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A request URL (path and query) with every token masked; the rest kept as it came. */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? undefined : url.slice(q + 1);
  const maskedPath = path
    .split('/')
    .map((segment) => {
      const decoded = safeDecode(segment);
      const dot = decoded.lastIndexOf('.');
      const stem = dot > 0 ? decoded.slice(0, dot) : decoded;
      return looksLikeToken(decoded) || looksLikeToken(stem) ? MASK : segment;
    })
    .join('/');
  if (query === undefined) return maskedPath;
  const maskedQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return looksLikeToken(safeDecode(pair)) ? MASK : pair;
      const name = safeDecode(pair.slice(0, eq));
      const value = safeDecode(pair.slice(eq + 1).replace(/\+/g, ' '));
      return SECRET_NAME.test(name) || looksLikeToken(value) ? `${pair.slice(0, eq)}=${MASK}` : pair;
    })
    .join('&');
  return `${maskedPath}?${maskedQuery}`;
}

/** The request as a log line shows it: method and masked URL (no headers, no Host: it is the client's to choose). */
function requestSerializer(req: { method?: string; url?: string }) {
  return { method: req.method, url: maskUrl(req.url ?? '') };
}

/** An error as a log line shows it: what kind, what happened, where; none of the values an error object may carry. */
function errorSerializer(err: unknown) {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err), stack: '' };
  const e = err as Error & { code?: unknown; statusCode?: unknown; sql?: unknown };
  return {
    type: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(typeof e.sql === 'string' ? { sql: e.sql } : {}),
    stack: e.stack ?? '',
  };
}

/** Fastify's logger options for `level`: the serializers above, and headers that carry credentials censored. */
export function loggerOptions(level: 'error' | 'warn' | 'info' | 'debug', stream?: Writable) {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: { req: requestSerializer, err: errorSerializer },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        'res.headers["set-cookie"]',
        '*.headers.authorization',
        '*.headers.cookie',
      ],
      censor: MASK,
    },
  };
}
