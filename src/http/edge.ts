// The edge's refusals of hostile input, for every route at once (registered by src/server.ts before any route):
// strings holding U+0000 or an unpaired surrogate, percent-encodings that are not UTF-8, and a Host header that is
// not a host. Each is a 400 naming the parameter, field or header (errors.invalidParameter), before any route reads
// the value, so no NUL reaches SQL and no lone surrogate reaches a page, a feed or the store.
import type { Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors, HorizonError, schemaMessage, schemaPath, type SchemaError } from '../errors.ts';

/** In a `u` pattern a pair is one code point, so only an unpaired surrogate is of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be accepted, or undefined when it is well-formed text without NUL. */
export function stringFault(value: string): 'nul' | 'surrogate' | undefined {
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  return undefined;
}

function refuse(where: string, fault: 'nul' | 'surrogate' | 'encoding'): HorizonError {
  return errors.invalidParameter(where, {
    key: fault === 'nul' ? 'error.param.nul' : fault === 'surrogate' ? 'error.param.surrogate' : 'error.param.encoding',
  });
}

/** The first key or string in a parsed value (JSON body, query, params) that holds NUL or a lone surrogate. */
export function findFault(
  value: unknown,
  path: string,
  depth = 0,
): { where: string; fault: 'nul' | 'surrogate' } | undefined {
  if (typeof value === 'string') {
    const fault = stringFault(value);
    return fault ? { where: path, fault } : undefined;
  }
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findFault(value[i], join(path, String(i)), depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyFault = stringFault(key);
    if (keyFault) return { where: join(path, safeName(key)), fault: keyFault };
    const found = findFault(item, join(path, key), depth + 1);
    if (found) return found;
  }
  return undefined;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** A name fit to be shown back: NUL and lone surrogates replaced by U+FFFD. */
function safeName(name: string): string {
  return name.replaceAll('\u0000', '\uFFFD').replace(/\p{Cs}/gu, '\uFFFD');
}

/** Decodes one component of a query or form string strictly: `+` is a space, a bad percent-encoding is undefined. */
function decodeStrict(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Checks every `name=value` of a query or form string: each must be valid percent-encoded UTF-8 (a 400 naming the
 * parameter otherwise; `query` when even its name cannot be read).
 */
export function checkEncoded(text: string, where = 'query'): void {
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const name = decodeStrict(rawName);
    if (name === undefined) throw refuse(where, 'encoding');
    if (eq >= 0 && decodeStrict(pair.slice(eq + 1)) === undefined) throw refuse(safeName(name) || where, 'encoding');
  }
}

/** A form body parser for @fastify/formbody: strict UTF-8 percent-decoding, then the usual parse. */
export function strictFormParser(body: string): Record<string, string | string[] | undefined> {
  checkEncoded(body, 'body');
  return parseQuery(body);
}

/** Whether a Host header names a host (and port) and nothing else: no user, path, spaces or control characters. */
export function isHostHeader(host: string): boolean {
  if (host.length === 0 || host.length > 255 || !/^[\x21-\x7e]+$/.test(host)) return false;
  if (/[/?#@\\]/.test(host)) return false;
  try {
    const url = new URL(`http://${host}/`);
    return url.pathname === '/' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** Headers routes read as text: checked like parameters. */
const TEXT_HEADERS = ['accept-language', 'authorization', 'if-none-match'] as const;

function checkRequest(request: FastifyRequest): void {
  const host = request.headers.host;
  if (host !== undefined && !isHostHeader(host)) {
    throw errors.invalidParameter('host', { key: 'error.param.host' });
  }
  for (const name of TEXT_HEADERS) {
    const value = request.headers[name];
    const fault = typeof value === 'string' ? stringFault(value) : undefined;
    if (fault) throw refuse(name, fault);
  }
  const url = request.raw.url ?? '';
  const mark = url.indexOf('?');
  if (mark >= 0) checkEncoded(url.slice(mark + 1));
}

function checkParsed(request: FastifyRequest): void {
  const found =
    findFault(request.params, '') ??
    findFault(request.query, '') ??
    (request.body === undefined || request.body === null ? undefined : findFault(request.body, ''));
  if (found) throw refuse(found.where || 'body', found.fault);
}

/** Runs a check; its refusal as the value for a hook's `done`. */
function attempt(check: (request: FastifyRequest) => void, request: FastifyRequest): HorizonError | undefined {
  try {
    check(request);
    return undefined;
  } catch (error) {
    if (error instanceof HorizonError) return error;
    throw error;
  }
}

/** The first number in the validated params or query that is not finite (`?since=1e400` becomes Infinity). */
function findInfinite(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findInfinite(item, join(path, key));
    if (found !== undefined) return found;
  }
  return undefined;
}

function checkNumbers(request: FastifyRequest): void {
  const where = findInfinite(request.params, '') ?? findInfinite(request.query, '');
  if (where !== undefined) throw errors.invalidParameter(where, { key: 'error.param.notFinite' });
}

/**
 * Adds the refusals to every route of the app: the URL's query and the headers on arrival (onRequest), the decoded
 * path parameters, query and parsed body before validation (preValidation), and numbers the validator made of text
 * that are not finite (preHandler: ajv turns `1e400` into Infinity and then skips its bounds). Errors go to each
 * route's error handler, so pages answer the guide's error page and the API its JSON error.
 */
export function refuseHostileInput(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => done(attempt(checkRequest, request)));
  app.addHook('preValidation', (request, _reply, done) => done(attempt(checkParsed, request)));
  app.addHook('preHandler', (request, _reply, done) => done(attempt(checkNumbers, request)));
}

/** A validation error of the router's ajv, as Fastify attaches it. */
interface ValidationFailure {
  readonly validation: readonly SchemaError[];
  readonly validationContext?: string;
}

function isValidationFailure(error: object): error is ValidationFailure {
  return 'validation' in error && Array.isArray(error.validation);
}

/**
 * The exact field path of a schema error, dotted (`watch.jurisdictions.0`): an unknown field or a missing one is
 * named itself, not its parent; the request part (`body`, `querystring` …) when the whole value is wrong.
 */
export function fieldPath(e: SchemaError, part: string | undefined): string {
  const path = schemaPath(e);
  const child: unknown = e.params.additionalProperty ?? e.params.missingProperty;
  if (typeof child === 'string') return path ? `${path}.${safeName(child)}` : safeName(child);
  return path || (part ?? 'request');
}

/** Fastify's own refusals, by code: the catalogue error each becomes. */
const FRAMEWORK = new Map<string, () => HorizonError>([
  ['FST_ERR_BAD_URL', () => errors.http('invalid_url', { key: 'error.http.badUrl' })],
  ['FST_ERR_MAX_PARAM_LENGTH', () => errors.http('uri_too_long', { key: 'error.http.uriTooLong' })],
  ['FST_ERR_CTP_INVALID_JSON_BODY', () => errors.http('invalid_body', { key: 'error.http.invalidJson' })],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', () => errors.http('invalid_body', { key: 'error.http.emptyJson' })],
  ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', () => errors.http('invalid_body', { key: 'error.http.contentLength' })],
  ['FST_ERR_CTP_BODY_TOO_LARGE', () => errors.http('payload_too_large', { key: 'error.http.tooLarge' })],
]);

/**
 * The catalogue error a failed request is answered with: a HorizonError as it is; a schema refusal as a 400 naming the
 * field; Fastify's own refusals (bad URL, bad or empty JSON, wrong media type, too large …) each as its catalogue
 * error; any other client error as bad_request. Undefined for a fault of ours (the caller logs it and answers 500).
 */
export function requestError(error: unknown, request?: FastifyRequest): HorizonError | undefined {
  if (error instanceof HorizonError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  if (isValidationFailure(error)) {
    const first = error.validation[0];
    if (!first) return errors.invalidParameter(error.validationContext ?? 'request', { key: 'error.schema.invalid' });
    return errors.invalidParameter(fieldPath(first, error.validationContext), schemaMessage(first, error.validation));
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  const known = FRAMEWORK.get(code);
  if (known) return known();
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const type = request?.headers['content-type']?.split(';')[0]?.trim() || 'none';
    return errors.http('unsupported_media_type', {
      key: 'error.http.mediaType',
      params: { type: safeName(type).slice(0, 100), form: request?.url.startsWith('/api/') ? 'no' : 'yes' },
    });
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status === 413) return errors.http('payload_too_large', { key: 'error.http.tooLarge' });
  if (status === 415)
    return errors.http('unsupported_media_type', { key: 'error.http.mediaType', params: { type: 'none', form: 'no' } });
  if (status >= 400 && status < 500) return errors.http('bad_request', { key: 'error.http.badRequest' });
  return undefined;
}

/** The answer to a fault of ours: the catalogue's internal error, with no detail of the fault. */
export function internalError(): HorizonError {
  return errors.http('internal', { key: 'error.internal' });
}

/**
 * Fastify's clientErrorHandler: a request Node's HTTP parser refused (malformed request line or header, NUL or
 * control characters in a header, headers too large, a timeout) answered in the API's error shape, in English (no
 * header could be read), and the socket closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? errors.http('request_timeout', { key: 'error.http.timeout' })
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? errors.http('headers_too_large', { key: 'error.http.headersTooLarge' })
        : errors.http('bad_request', { key: 'error.http.badRequest' });
  if (socket.writable) {
    const body = JSON.stringify(refusal.body('en'));
    socket.write(
      `HTTP/1.1 ${refusal.status} ${STATUS_TEXT.get(refusal.status) ?? 'Bad Request'}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const STATUS_TEXT = new Map([
  [400, 'Bad Request'],
  [408, 'Request Timeout'],
  [431, 'Request Header Fields Too Large'],
]);
