// The one catalogue of errors a user can meet: each has a stable code, an HTTP status and a CLI exit code. Messages
// are kept as a key and parameters (src/locales/) and put into words where they are shown: in English for the CLI and
// logs (`message`), in the reader's language on pages and in the API (`messageIn`, `toJSON(lang)`).
import type { Lang } from './domain/types.ts';
import { formatMessage, type Message } from './i18n/messages.ts';

/** Where a problem was found in a bundle or a request. */
export interface Problem {
  /** File (bundles) or parameter/field path (requests). */
  readonly where: string;
  readonly line?: number;
  readonly column?: number;
  /** In English (the CLI, logs and the API's default). */
  readonly message: string;
  /** The same message as a key and parameters, for other languages; problems without it are shown in English. */
  readonly text?: Message;
}

/** A problem whose message comes from the catalogue. */
export function problem(where: string, text: Message): Problem {
  return { where, message: formatMessage('en', text), text };
}

/** A problem's message in `lang`. */
export function problemMessage(p: Problem, lang: Lang): string {
  return p.text ? formatMessage(lang, p.text) : p.message;
}

/** Problems as one line, `where: message; …`, in `lang`. */
export function listed(problems: readonly Problem[], lang: Lang): string {
  return problems.map((p) => `${p.where}: ${problemMessage(p, lang)}`).join('; ');
}

/** A problem carrying on a HorizonError's message (in every language when it came from the catalogue). */
export function problemOf(where: string, error: unknown): Problem {
  if (error instanceof HorizonError && error.text) return problem(where, error.text);
  return { where, message: error instanceof Error ? error.message : String(error) };
}

/** A JSON Schema validation error as ajv reports it (structurally: errors.ts does not import ajv). */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string | undefined;
}

/** The dotted field path of a schema error (`product.riskLevel`), or '' for the whole value. */
export function schemaPath(e: SchemaError): string {
  return e.instancePath.replace(/^\//, '').replace(/\//g, '.');
}

/**
 * A schema error's message from the catalogue for the common keywords (required, type, enum, const, format), ajv's
 * English otherwise. `others` are the errors reported with it: the allowed constants of a union are gathered.
 */
export function schemaMessage(e: SchemaError, others: readonly SchemaError[] = []): Message | string {
  switch (e.keyword) {
    case 'additionalProperties':
      return { key: 'error.schema.notField' };
    case 'enum':
      return {
        key: 'error.schema.oneOf',
        params: { choices: (e.params.allowedValues as unknown[]).map(String).join(', ') },
      };
    case 'const': {
      const same = others.filter((o) => o.keyword === 'const' && o.instancePath === e.instancePath);
      const choices = [...new Set([e, ...same].map((o) => String(o.params.allowedValue)))];
      return { key: 'error.schema.oneOf', params: { choices: choices.join(', ') } };
    }
    case 'required':
      return { key: 'error.schema.required', params: { property: String(e.params.missingProperty) } };
    case 'type':
      return { key: 'error.schema.type', params: { type: String(e.params.type) } };
    case 'format':
      return { key: 'error.schema.format', params: { format: String(e.params.format) } };
    case 'maxItems':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
      return { key: `error.schema.${e.keyword}`, params: { limit: String(e.params.limit) } };
    case 'pattern':
      return { key: 'error.schema.pattern', params: { pattern: String(e.params.pattern) } };
    default:
      return e.message ?? { key: 'error.schema.invalid' };
  }
}

/** Formats a problem the way compilers do: `file:line:column: message`. */
export function formatProblem(p: Problem): string {
  const pos = p.line === undefined ? '' : `:${p.line}:${p.column ?? 1}`;
  return `${p.where}${pos}: ${p.message}`;
}

const CATALOGUE = {
  invalid_bundle: { status: 422, exit: 1, title: 'The bundle is not valid' },
  invalid_parameter: { status: 400, exit: 2, title: 'A parameter is not valid' },
  invalid_profile: { status: 400, exit: 1, title: 'The profile is not a valid profile v1' },
  not_found: { status: 404, exit: 1, title: 'Not found' },
  unauthorized: { status: 401, exit: 1, title: 'Sign in first' },
  forbidden: { status: 403, exit: 1, title: 'Not allowed' },
  conflict: { status: 409, exit: 1, title: 'The request conflicts with the current state' },
  payload_too_large: { status: 413, exit: 1, title: 'The request body is too large' },
  rate_limited: { status: 429, exit: 1, title: 'Too many requests' },
  bad_request: { status: 400, exit: 1, title: 'The request is not valid HTTP' },
  invalid_url: { status: 400, exit: 1, title: 'The address is not a valid URL' },
  invalid_body: { status: 400, exit: 1, title: 'The request body cannot be read' },
  uri_too_long: { status: 414, exit: 1, title: 'The address is too long' },
  unsupported_media_type: { status: 415, exit: 1, title: 'The request body is of a type not accepted here' },
  request_timeout: { status: 408, exit: 1, title: 'The request took too long to arrive' },
  headers_too_large: { status: 431, exit: 1, title: 'The request headers are too large' },
  internal: { status: 500, exit: 70, title: 'Something went wrong on our side' },
  store_locked: { status: 503, exit: 3, title: 'The data folder is in use by another process' },
  database_unavailable: { status: 503, exit: 3, title: 'The database cannot be reached' },
  secret_key: { status: 500, exit: 3, title: 'The secret key is missing or does not open the stored secrets' },
  usage: { status: 400, exit: 2, title: 'Wrong usage' },
  invalid_entity: { status: 400, exit: 1, title: 'The entity is not valid' },
  changeset_state: { status: 409, exit: 1, title: 'The change set is not in a state that allows this' },
  changeset_conflict: { status: 409, exit: 1, title: 'Published entities changed since the change set took them up' },
  self_approval: { status: 403, exit: 1, title: 'Nobody approves their own change set' },
} as const;

export type ErrorCode = keyof typeof CATALOGUE;

/** The API's error body. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly problems?: readonly Problem[] };
}

/** An error meant for the user: its message says what went wrong and what to do. */
export class HorizonError extends Error {
  readonly status: number;
  readonly exitCode: number;
  readonly #words: (lang: Lang) => string;
  /** The message as a key and parameters, when it was given as one (so a problem can carry it on). */
  readonly text: Message | undefined;
  /**
   * `message` is a catalogue message (shown in each reader's language), words put together from such messages, or a
   * string (English only: for messages not in the catalogue yet).
   */
  constructor(
    readonly code: ErrorCode,
    message: string | Message | ((lang: Lang) => string),
    readonly problems: readonly Problem[] = [],
  ) {
    const words =
      typeof message === 'string'
        ? () => message
        : typeof message === 'function'
          ? message
          : (lang: Lang) => formatMessage(lang, message);
    super(words('en'));
    this.#words = words;
    this.text = typeof message === 'object' ? message : undefined;
    this.name = 'HorizonError';
    this.status = CATALOGUE[code].status;
    this.exitCode = CATALOGUE[code].exit;
  }

  /** The message in `lang` (English where the catalogue has no words for it). */
  messageIn(lang: Lang): string {
    return this.#words(lang);
  }

  /** The JSON body the API sends for this error, in English. */
  toJSON(): ErrorBody {
    return this.body('en');
  }

  /** The JSON body the API sends for this error, its messages in `lang` (code and problem paths never change). */
  body(lang: Lang): ErrorBody {
    const problems = this.problems.map(({ text, ...p }) => ({
      ...p,
      message: text ? formatMessage(lang, text) : p.message,
    }));
    return {
      error: { code: this.code, message: this.messageIn(lang), ...(problems.length ? { problems } : {}) },
    };
  }
}

/** A request over a rate limit (status 429): `retryAfter` is the Retry-After header's seconds. */
export class RateLimited extends HorizonError {
  constructor(
    readonly retryAfter: number,
    problems: readonly Problem[],
  ) {
    super(
      'rate_limited',
      (lang) => formatMessage(lang, { key: 'error.limit.refused', params: { problems: listed(problems, lang) } }),
      problems,
    );
  }
}

export const errors = {
  invalidBundle: (problems: readonly Problem[]) =>
    new HorizonError('invalid_bundle', { key: 'error.invalidBundle', params: { count: problems.length } }, problems),
  /** A bad parameter; `reason` from the catalogue is shown in the reader's language, a string only in English. */
  invalidParameter: (name: string, reason: string | Message) => {
    const p = typeof reason === 'string' ? { where: name, message: reason } : problem(name, reason);
    return new HorizonError('invalid_parameter', (lang) => `${name}: ${problemMessage(p, lang)}`, [p]);
  },
  invalidProfile: (problems: readonly Problem[], where = 'profile') =>
    new HorizonError(
      'invalid_profile',
      (lang) =>
        formatMessage(lang, { key: 'error.profile.invalid', params: { where, problems: listed(problems, lang) } }),
      problems,
    ),
  notFound: (what: string, id: string) =>
    new HorizonError('not_found', { key: 'error.notFound', params: { what, id } }),
  /** A request under /api/ that no route answers. */
  noRoute: (method: string, path: string) =>
    new HorizonError('not_found', { key: 'error.noRoute', params: { method, path } }),
  storeLocked: (dir: string, holder: string) =>
    new HorizonError(
      'store_locked',
      `The data folder ${dir} is in use by ${holder}. Stop that process first, or use another folder with --data DIR.`,
    ),
  databaseUnavailable: (detail: string) =>
    new HorizonError('database_unavailable', `The database cannot be reached: ${detail}`),
  /** A request the framework refused before any route saw it (errors from src/http/edge.ts). */
  http: (
    code:
      | 'bad_request'
      | 'invalid_url'
      | 'invalid_body'
      | 'uri_too_long'
      | 'unsupported_media_type'
      | 'payload_too_large'
      | 'request_timeout'
      | 'headers_too_large'
      | 'internal',
    text: Message,
  ) => new HorizonError(code, text),
  /** A change set's entity (or the set as a whole) fails the bundle's checks: problems name entity and field. */
  invalidEntity: (problems: readonly Problem[]) =>
    new HorizonError(
      'invalid_entity',
      { key: 'error.changeset.invalid', params: { count: problems.length } },
      problems,
    ),
  /** A change set transition its status does not allow. */
  changesetState: (id: string, status: string, action: string) =>
    new HorizonError('changeset_state', { key: 'error.changeset.state', params: { id, status, action } }),
  /** Publishing refused: the published version of these entities (`kind:id`) changed since the set took them up. */
  changesetConflict: (id: string, entities: readonly string[]) =>
    new HorizonError(
      'changeset_conflict',
      { key: 'error.changeset.conflict', params: { id, count: entities.length } },
      entities.map((e) => problem(e, { key: 'error.changeset.conflictEntity' })),
    ),
  selfApproval: () => new HorizonError('self_approval', { key: 'error.changeset.selfApproval' }),
  /** Wrong use of the CLI: the message from the catalogue (the CLI speaks English). */
  usage: (message: string | Message) => new HorizonError('usage', message),
};
