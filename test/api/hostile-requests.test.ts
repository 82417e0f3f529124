// Every route the app serves, fed generated hostile values for each of its parameters (path, query and body fields
// read from the route's schema; the guide's parameters from a short list of hints), against a real server on
// loopback: each answer is below 500, a refusal where the value must be refused (naming the field on the API), the
// API's JSON error shape on /api/ and an HTML page elsewhere, and never a stack trace or a file path. Then the
// framework's own refusals (bad URLs, bodies and media types, Host headers) and malformed HTTP, on both databases.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { routesOf, type RouteEntry } from '../../src/http/route-table.ts';
import { profileSchema } from '../../src/relevance/profile.ts';
import { FACTS } from '../../src/rules/engine.ts';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { apiToken, createTestAccount } from '../support/accounts.ts';

/** JSON Schema, as the routes write it (TypeBox output). */
interface Schema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly Schema[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly additionalProperties?: boolean | Schema;
}

/** A hostile value: its class (for the counts), the value and whether it must be refused. */
interface Hostile {
  readonly cls: string;
  /** The value in a JSON body. */
  readonly json?: unknown;
  /** The value in a URL or form, already percent-encoded (raw bytes as given). */
  readonly raw?: string;
  readonly refuse: boolean;
  /** The field a refusal must name, relative to the field fed (e.g. '.0' for an array's first item). */
  readonly at?: string;
}

/** One request to send, and what its answer must be. */
interface Case {
  readonly cls: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Must the answer be a 4xx (else: anything below 500)? */
  readonly refuse: boolean;
  /** The field or parameter the API's refusal must name first. */
  readonly where?: string;
  /** The error code the refusal must carry. */
  readonly code?: string;
  readonly what: string;
}

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
/** The prototype keys tried in URLs (every parameter of every route: the three that broke lookups before). */
const URL_PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString'];
const LONG = 'x'.repeat(5000);
/** Cut short, a byte that is never UTF-8, an encoded surrogate (U+D800), not hex. */
const BAD_ENCODINGS = ['%E0%A4%A', '%FF', '%ED%A0%80', '%zz'];
/** What the body of an answer must never show: stack frames, source paths, module folders. */
const LEAK = /\n\s*at |\bat [\w.<>]+ \(|\/work\/|\/home\/|node_modules|file:\/\/|\.[jt]s:\d+/;

/**
 * Query parameters of the routes without a query schema (the guide's pages and feeds read them themselves), by
 * route; `zz` (read by none) where a route reads none, so the edge's refusals are still tried on it.
 */
function hintedQuery(url: string): string[] {
  if (url === '/calendar.ics') return ['lang', 'jurisdiction', 'topic', 'instrument', 'type'];
  if (url === '/feeds/subscriptions/:file') return ['token'];
  if (url.startsWith('/feeds/')) return ['lang', 'kind'];
  if (url === '/static/:file') return ['v'];
  if (url.startsWith('/api/') || url === '/healthz') return ['zz'];
  const names = ['as_of', 'lang'];
  if (url === '/search') names.push('q', 'type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year', 'page');
  if (url === '/articles/:id') names.push('revision');
  if (url === '/articles/:id/compare') names.push('from', 'to');
  return names;
}

/** Parameters the route reads once (given twice, they are refused). */
const READ_ONCE = new Set([
  'as_of',
  'lang',
  'kind',
  'jurisdiction',
  'topic',
  'instrument',
  'type',
  'token',
  'revision',
  'from',
  'to',
  'q',
]);

/** Filters whose unknown values must be refused (not answered with an empty result), by route. */
function filtersOf(url: string): ReadonlySet<string> {
  if (url === '/api/v1/instruments') return new Set(['jurisdiction', 'kind', 'topic', 'status']);
  if (url === '/api/v1/search' || url === '/search')
    return new Set(['type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year']);
  if (url === '/api/v1/changes') return new Set(['kind']);
  if (url === '/calendar.ics') return new Set(['jurisdiction', 'topic', 'instrument', 'type']);
  if (url.startsWith('/feeds/')) return new Set(['kind']);
  return new Set();
}

/** Form fields of the guide's POST routes. */
const FORM_FIELDS = ['label', 'channel', 'email', 'url', 'jurisdictions', 'topics', 'owner_token', 'effective_in_days'];

/** Valid bodies the hostile value is put into, where the schema alone does not make one. */
const BASE_BODIES: ReadonlyMap<string, unknown> = new Map([
  ['POST /api/v1/subscriptions', { channel: 'atom' }],
  ['POST /api/v1/check', {}],
  ['POST /api/v1/profiles', { profile: {} }],
  ['PUT /api/v1/profiles/:id', { profile: {} }],
]);

const typesOf = (s: Schema): readonly string[] =>
  s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : s.type;
const isEnum = (s: Schema) =>
  s.enum !== undefined || s.const !== undefined || (s.anyOf ?? []).some((x) => 'const' in x);
const isInteger = (s: Schema) => typesOf(s).includes('integer') || typesOf(s).includes('number');
const isArray = (s: Schema) => typesOf(s).includes('array');

/** Hostile values for a URL parameter (path or query) of this schema (undefined: a guide parameter). */
function urlValues(s: Schema | undefined, filter: boolean): Hostile[] {
  const closed = s !== undefined && (isEnum(s) || isEnum(s.items ?? {}) || s.pattern !== undefined);
  const known = closed || filter;
  const values: Hostile[] = [
    { cls: 'nul', raw: 'a%00b', refuse: true },
    { cls: 'nul', raw: '%00', refuse: true },
    ...BAD_ENCODINGS.map((raw) => ({ cls: 'invalid-utf8', raw, refuse: true })),
    { cls: 'over-long', raw: LONG, refuse: false },
    { cls: 'empty', raw: '', refuse: false },
    ...URL_PROTOTYPE_KEYS.map((k) => ({ cls: 'prototype-key', raw: k, refuse: known })),
    { cls: 'unknown-value', raw: 'no-such-value', refuse: known },
  ];
  if (s !== undefined && isInteger(s)) {
    values.push(
      { cls: 'huge-integer', raw: '99999999999999999999', refuse: true },
      { cls: 'huge-integer', raw: '9223372036854775808', refuse: true },
      { cls: 'negative', raw: '-1', refuse: true },
      { cls: 'float-for-integer', raw: '1.5', refuse: true },
      { cls: 'float-for-integer', raw: '1e400', refuse: true },
      { cls: 'wrong-type', raw: 'abc', refuse: true },
      { cls: 'wrong-type', raw: 'NaN', refuse: true },
      { cls: 'wrong-type', raw: '0x10', refuse: false },
    );
  }
  return values;
}

/** Hostile values for a JSON body field of this schema. */
function bodyValues(s: Schema): Hostile[] {
  const values: Hostile[] = [
    { cls: 'nul', json: 'a\u0000b', refuse: true },
    { cls: 'lone-surrogate', json: '\ud800', refuse: true },
    { cls: 'lone-surrogate', json: 'x\udc00y', refuse: true },
    { cls: 'object-for-scalar', json: { a: 1 }, refuse: !typesOf(s).includes('object') && !isArray(s) },
    { cls: 'null', json: null, refuse: !typesOf(s).includes('null') },
  ];
  if (isArray(s)) {
    values.push(
      { cls: 'scalar-for-array', json: 'cn', refuse: true },
      { cls: 'wrong-type', json: [7], refuse: true, at: '.0' },
      { cls: 'nul', json: ['a\u0000'], refuse: true, at: '.0' },
      { cls: 'lone-surrogate', json: ['\udbff'], refuse: true, at: '.0' },
      { cls: 'prototype-key', json: ['constructor'], refuse: false },
      { cls: 'wrong-type', json: [['x']], refuse: true, at: '.0' },
    );
  } else if (typesOf(s).includes('object')) {
    values.push(
      { cls: 'scalar-for-object', json: 'x', refuse: true },
      { cls: 'array-for-object', json: [], refuse: true },
    );
    if (s.additionalProperties === false) {
      values.push({ cls: 'unknown-field', json: { zz_unknown: 1 }, refuse: true, at: '.zz_unknown' });
    }
  } else if (typesOf(s).includes('boolean')) {
    values.push(
      { cls: 'wrong-type', json: 'true', refuse: true },
      { cls: 'wrong-type', json: 1, refuse: true },
      { cls: 'array-for-scalar', json: [true], refuse: true },
    );
  } else if (isInteger(s)) {
    values.push(
      { cls: 'huge-integer', json: 1e20, refuse: true },
      { cls: 'negative', json: -1, refuse: true },
      { cls: 'float-for-integer', json: 1.5, refuse: typesOf(s).includes('integer') },
      { cls: 'wrong-type', json: '7', refuse: true },
      { cls: 'wrong-type', json: true, refuse: true },
      { cls: 'array-for-scalar', json: [1], refuse: true },
    );
  } else {
    values.push(
      { cls: 'wrong-type', json: 7, refuse: true },
      { cls: 'wrong-type', json: true, refuse: true },
      { cls: 'array-for-scalar', json: ['x'], refuse: true },
      { cls: 'over-long', json: LONG, refuse: false },
      { cls: 'empty', json: '', refuse: isEnum(s) },
      ...PROTOTYPE_KEYS.map((k) => ({ cls: 'prototype-key', json: k, refuse: isEnum(s) })),
      { cls: 'unknown-value', json: 'no-such-value', refuse: isEnum(s) },
    );
  }
  return values;
}

interface Field {
  readonly path: string[];
  readonly schema: Schema;
  /** The objects it is in, outermost first (each made valid before the field is fed). */
  readonly parents: readonly { path: string[]; schema: Schema }[];
}

/** Every field of a body schema with its dotted path (objects and their fields, arrays as wholes). */
function fieldsOf(s: Schema, path: string[] = [], parents: Field['parents'] = []): Field[] {
  const out: Field[] = [];
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    out.push({ path: [...path, name], schema: child, parents });
    if (child.properties)
      out.push(...fieldsOf(child, [...path, name], [...parents, { path: [...path, name], schema: child }]));
  }
  return out;
}

/** A value the schema accepts (for the fields not being fed). */
function validValue(s: Schema): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const literal = s.anyOf?.find((x) => x.const !== undefined);
  if (literal) return literal.const;
  if (isInteger(s)) return Math.max(1, s.minimum ?? 1);
  if (isArray(s)) return [];
  if (typesOf(s).includes('object')) return validObject(s);
  return 'x';
}

function validObject(s: Schema): Record<string, unknown> {
  return Object.fromEntries((s.required ?? []).map((name) => [name, validValue(s.properties?.[name] ?? {})]));
}

function withField(base: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    at = (at[key] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  at[path[path.length - 1] as string] = value;
  return copy;
}

/** The path with its parameters filled: `name` with the raw value, the others with a plain one. */
function fillPath(url: string, name: string | undefined, raw: string, integers: ReadonlySet<string>): string {
  return url.replace(/:(\w+)/g, (_m, p: string) => (p === name ? raw : integers.has(p) ? '1' : 'x'));
}

/** The cases for one route: each parameter of each part, each hostile value. */
function casesOf(route: RouteEntry): Case[] {
  const schema = (route.schema ?? {}) as { params?: Schema; querystring?: Schema; body?: Schema };
  const cases: Case[] = [];
  const api = route.url.startsWith('/api/');
  const pathNames = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  const pathSchema = schema.params?.properties ?? {};
  const integers = new Set(pathNames.filter((n) => pathSchema[n] && isInteger(pathSchema[n])));
  const query = schema.querystring;
  const baseQuery = query ? validObject(query) : {};
  if (route.url === '/search' || route.url === '/api/v1/search') baseQuery.q = 'ai';
  const queryString = (extra: string) =>
    [
      ...Object.entries(baseQuery)
        .filter(([k]) => !extra.startsWith(`${k}=`))
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`),
      extra,
    ]
      .filter((x) => x !== '')
      .join('&');
  const filters = filtersOf(route.url);
  const base = fillPath(route.url, undefined, '', integers);
  const formRoute = !api && route.method === 'POST';
  const what = (part: string, name: string, h: Hostile) =>
    `${route.method} ${route.url} ${part} ${name}=${JSON.stringify(h.json ?? h.raw)?.slice(0, 40)}`;

  for (const name of pathNames) {
    for (const h of urlValues(pathSchema[name], false)) {
      if (h.raw === '') continue; // an empty segment is another route, or none
      const path = fillPath(route.url, name, h.raw ?? '', integers);
      const q = queryString('');
      cases.push({
        cls: h.cls,
        method: route.method,
        path: q ? `${path}?${q}` : path,
        refuse: h.refuse,
        ...(api && h.cls === 'nul' ? { where: name } : {}),
        ...(formRoute
          ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'channel=atom' }
          : {}),
        what: what('path', name, h),
      });
    }
  }

  const queryNames = query ? Object.keys(query.properties ?? {}) : hintedQuery(route.url);
  for (const name of queryNames) {
    const s = query?.properties?.[name];
    for (const h of urlValues(s, filters.has(name))) {
      cases.push({
        cls: h.cls,
        method: route.method,
        path: `${base}?${queryString(`${name}=${h.raw ?? ''}`)}`,
        refuse: h.refuse,
        ...(api && (h.cls === 'nul' || h.cls === 'invalid-utf8') ? { where: name } : {}),
        ...(formRoute
          ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'channel=atom' }
          : {}),
        what: what('query', name, h),
      });
    }
    // The same parameter twice: a list where one value is meant.
    const scalar = s === undefined || !isArray(s);
    cases.push({
      cls: 'array-for-scalar',
      method: route.method,
      path: `${base}?${queryString(`${name}=a&${name}=b`)}`,
      // (the search page joins repeated words and filters, as a form with several fields of one name sends them)
      refuse:
        scalar &&
        (s !== undefined || (READ_ONCE.has(name) && (route.url !== '/search' || name === 'as_of' || name === 'lang'))),
      what: `${route.method} ${route.url} query ${name} given twice`,
    });
    cases.push({
      cls: 'object-for-scalar',
      method: route.method,
      path: `${base}?${queryString(`${encodeURIComponent(`${name}[a]`)}=1`)}`,
      refuse: query !== undefined,
      what: `${route.method} ${route.url} query ${name}[a]=1`,
    });
  }

  // Profiles are validated by the profile validator (every problem, with its path), not the router's: the check's
  // body is fed every field of profile v1's schema; the stored profiles' routes (the same validator, each request
  // a load of the check data) their `profile` as a whole.
  const body: Schema | undefined = route.url === '/api/v1/check' ? profileSchema(FACTS) : schema.body;
  if (body?.properties) {
    const key = `${route.method} ${route.url}`;
    const start = BASE_BODIES.get(key) ?? validObject(body);
    for (const field of fieldsOf(body)) {
      const around = field.parents.reduce<unknown>((b, p) => withField(b, p.path, validObject(p.schema)), start);
      for (const h of bodyValues(field.schema)) {
        const dotted = field.path.join('.');
        cases.push({
          cls: h.cls,
          method: route.method,
          path: base,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(withField(around, field.path, h.json)),
          refuse: h.refuse,
          ...(h.refuse ? { where: `${dotted}${h.at ?? ''}` } : {}),
          what: what('body', dotted, h),
        });
      }
    }
  }

  if (formRoute) {
    for (const name of FORM_FIELDS) {
      for (const h of urlValues(undefined, false)) {
        const value = name === 'channel' ? (h.raw ?? '') : (h.raw ?? '');
        cases.push({
          cls: h.cls,
          method: route.method,
          path: base,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: name === 'channel' ? `channel=${value}` : `channel=atom&${name}=${value}`,
          refuse: h.refuse,
          what: what('form', name, h),
        });
      }
    }
  }
  return cases;
}

/** The framework's own refusals, each with the code it must carry. */
function frameworkCases(): Case[] {
  const json = { 'content-type': 'application/json' };
  const sub = (body: string, headers: Record<string, string>, code: string, what: string): Case => ({
    cls: 'framework',
    method: 'POST',
    path: '/api/v1/subscriptions',
    headers,
    body,
    refuse: true,
    code,
    what,
  });
  const cases: Case[] = [
    sub('{"channel":', json, 'invalid_body', 'JSON cut short'),
    sub('', json, 'invalid_body', 'empty JSON body'),
    sub('{"__proto__":{"x":1}}', json, 'invalid_body', '__proto__ key'),
    sub('{"constructor":{"prototype":{"x":1}}}', json, 'invalid_body', 'constructor.prototype key'),
    sub('<a/>', { 'content-type': 'application/xml' }, 'unsupported_media_type', 'XML body'),
    sub('x', { 'content-type': 'multipart/form-data; boundary=x' }, 'unsupported_media_type', 'multipart body'),
    sub(`{"label":"${'x'.repeat(70 * 1024)}"}`, json, 'payload_too_large', '70 KiB body (limit 64 KiB)'),
    {
      cls: 'framework',
      method: 'POST',
      path: '/api/v1/check',
      headers: json,
      body: `[${'1,'.repeat(600 * 1024)}1]`,
      refuse: true,
      code: 'payload_too_large',
      what: '1.2 MB body',
    },
  ];
  for (const path of [
    '/api/v1/instruments/%E0%A4%A',
    '/api/v1/instruments/%ED%A0%80',
    '/api/v1/articles/%FF/revisions',
  ]) {
    cases.push({ cls: 'framework', method: 'GET', path, refuse: true, code: 'invalid_url', what: `bad URL ${path}` });
  }
  for (const path of ['/instruments/%E0%A4%A', '/articles/%C3%28', '/static/%ED%A0%80']) {
    cases.push({ cls: 'framework', method: 'GET', path, refuse: true, what: `bad URL of a page ${path}` });
  }
  cases.push({
    cls: 'framework',
    method: 'GET',
    path: `/api/v1/instruments/${'x'.repeat(300)}`,
    refuse: true,
    what: 'path parameter of 300 characters',
  });
  for (const host of ['ev il', 'a/b', 'user@host', '', '[::1', 'host:port', 'a\\b']) {
    for (const path of ['/feeds/all.atom', '/api/v1/instruments', '/watch', '/calendar.ics']) {
      cases.push({
        cls: 'bad-host',
        method: 'GET',
        path,
        headers: { host },
        refuse: true,
        ...(path.startsWith('/api/') ? { where: 'host' } : {}),
        what: `Host: ${JSON.stringify(host)} on ${path}`,
      });
    }
  }
  for (const value of ['__proto__', 'constructor', 'zh;q=constructor', LONG, '*;q=NaN']) {
    cases.push({
      cls: 'hostile-header',
      method: 'GET',
      path: '/api/v1/instruments/nope',
      headers: { 'accept-language': value },
      refuse: true,
      what: `Accept-Language: ${value.slice(0, 30)}`,
    });
  }
  for (const value of [
    'Bearer constructor',
    'Bearer __proto__',
    `Bearer ${LONG}`,
    'Basic Y29uc3RydWN0b3I=',
    'Bearer',
  ]) {
    cases.push({
      cls: 'hostile-header',
      method: 'GET',
      path: '/api/v1/subscriptions',
      headers: { authorization: value },
      refuse: false,
      what: `Authorization: ${value.slice(0, 30)}`,
    });
  }
  return cases;
}

/** Malformed HTTP, written to a socket: Node's parser refuses it; the answer must still be the API's shape. */
const MALFORMED: readonly { what: string; bytes: string; status: number; code: string }[] = [
  {
    what: 'NUL in a header',
    bytes: 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0000b\r\n\r\n',
    status: 400,
    code: 'bad_request',
  },
  { what: 'unknown HTTP version', bytes: 'GET / HTTP/9.9\r\nHost: a\r\n\r\n', status: 400, code: 'bad_request' },
  { what: 'space in a header name', bytes: 'GET / HTTP/1.1\r\nHo st: a\r\n\r\n', status: 400, code: 'bad_request' },
  { what: 'request line of garbage', bytes: '\u0001\u0002\u0003\r\n\r\n', status: 400, code: 'bad_request' },
  {
    what: 'headers of 20 KB',
    bytes: `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(20 * 1024)}\r\n\r\n`,
    status: 431,
    code: 'headers_too_large',
  },
];

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

function send(base: URL, agent: http.Agent, c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...c.headers };
    if (c.body !== undefined) headers['content-length'] = String(Buffer.byteLength(c.body));
    const request = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: c.method,
        path: c.path,
        headers,
        agent,
        setHost: !('host' in headers),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            type: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(c.body);
  });
}

function sendRaw(base: URL, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.write(Buffer.from(bytes, 'latin1'));
  });
}

/** What is wrong with an answer to a case, or undefined. */
function fault(c: Case, a: Answer): string | undefined {
  if (a.status >= 500) return `answered ${a.status}`;
  if (c.refuse && a.status < 400) return `answered ${a.status}, a refusal (4xx) was due`;
  if (LEAK.test(a.body)) return `the body shows a stack trace or a path: ${a.body.slice(0, 200)}`;
  if (a.status < 400) return undefined;
  if (c.path.startsWith('/api/')) {
    if (!a.type.startsWith('application/json')) return `a ${a.status} as ${a.type}, not JSON`;
    let error: { code?: unknown; message?: unknown; problems?: { where?: unknown }[] } | undefined;
    try {
      error = (JSON.parse(a.body) as { error?: typeof error }).error;
    } catch {
      return `a ${a.status} whose body is not JSON: ${a.body.slice(0, 100)}`;
    }
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '')
      return `not the error shape: ${a.body.slice(0, 200)}`;
    if (c.code !== undefined && error.code !== c.code) return `code ${error.code}, not ${c.code}`;
    if (c.where !== undefined && a.status !== 429 && error.problems?.[0]?.where !== c.where)
      return `refused naming ${JSON.stringify(error.problems?.[0]?.where)}, not ${c.where}: ${a.body.slice(0, 200)}`;
  } else if (a.status !== 304 && !a.type.startsWith('text/html') && !a.type.startsWith('application/json')) {
    return `a ${a.status} as ${a.type}`;
  }
  return undefined;
}

/** Runs the cases a few at a time; returns the faults and the counts of inputs per class. */
async function run(base: URL, cases: readonly Case[]): Promise<{ faults: string[]; counts: Map<string, number> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  const faults: string[] = [];
  const counts = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++] as Case;
      counts.set(c.cls, (counts.get(c.cls) ?? 0) + 1);
      const answer = await send(base, agent, c);
      const wrong = fault(c, answer);
      if (wrong) faults.push(`${c.what}: ${wrong}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: 6 }, worker));
  } finally {
    agent.destroy();
  }
  return { faults, counts };
}

function report(title: string, counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const lines = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([cls, n]) => `  ${cls}: ${n}`);
  return `${title}: ${total} hostile inputs\n${lines.join('\n')}`;
}

for (const kind of await databaseKinds()) {
  describe(`hostile requests on ${kind.name}`, () => {
    let server: TestServer;
    let base: URL;
    let admin: string;
    before(async () => {
      server = await startTestServer(kind);
      base = new URL(server.url);
      await createTestAccount(server.db, { email: 'hostile-admin@example.org', role: 'admin' });
      admin = await apiToken(server.db, 'hostile-admin@example.org', ['drafts:write', 'review', 'admin']);
    });
    // Routes that need an account get an admin's token, so their inputs are checked (not refused as 401 first).
    const withCredential = (route: RouteEntry): Case[] =>
      casesOf(route).map((c) =>
        route.config?.policy?.access === 'account' && !c.headers?.authorization
          ? { ...c, headers: { ...c.headers, authorization: `Bearer ${admin}` } }
          : c,
      );
    after(() => server.close());

    it('answers every hostile value of every parameter of every route below 500, refusals in the error shape', async (t) => {
      const routes = routesOf(server.app);
      assert.ok(routes.length >= 30, `the route table lists the app's routes (${routes.length})`);
      const cases = routes.flatMap(withCredential);
      const { faults, counts } = await run(base, cases);
      t.diagnostic(report(`${routes.length} routes`, counts));
      process.stdout.write(`# ${kind.name}: ${report(`${routes.length} routes`, counts).replace(/\n/g, '\n# ')}\n`);
      assert.equal(faults.length, 0, `${faults.length} answers were wrong:\n${faults.slice(0, 40).join('\n')}`);
    });

    it("answers the framework's refusals, bad Host headers and odd headers in the error shape", async (t) => {
      const { faults, counts } = await run(base, frameworkCases());
      t.diagnostic(report('framework and headers', counts));
      process.stdout.write(`# ${kind.name}: ${report('framework and headers', counts).replace(/\n/g, '\n# ')}\n`);
      assert.equal(faults.length, 0, `${faults.length} answers were wrong:\n${faults.slice(0, 40).join('\n')}`);
    });

    it('answers malformed HTTP in the error shape', async () => {
      for (const m of MALFORMED) {
        const text = await sendRaw(base, m.bytes);
        assert.match(text, new RegExp(`^HTTP/1\\.1 ${m.status} `), m.what);
        const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as {
          error: { code: string; message: string };
        };
        assert.equal(body.error.code, m.code, m.what);
        assert.ok(body.error.message.length > 0, m.what);
      }
      process.stdout.write(`# ${kind.name}: malformed HTTP: ${MALFORMED.length} inputs\n`);
    });
  });
}
