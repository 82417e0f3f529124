// The one catalogue of errors a user can meet: each has a stable code, an HTTP status and a CLI exit code.

/** Where a problem was found in a bundle or a request. */
export interface Problem {
  /** File (bundles) or parameter/field path (requests). */
  readonly where: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
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
  forbidden: { status: 403, exit: 1, title: 'Not allowed' },
  conflict: { status: 409, exit: 1, title: 'The request conflicts with the current state' },
  payload_too_large: { status: 413, exit: 1, title: 'The request body is too large' },
  store_locked: { status: 503, exit: 3, title: 'The data folder is in use by another process' },
  database_unavailable: { status: 503, exit: 3, title: 'The database cannot be reached' },
  usage: { status: 400, exit: 2, title: 'Wrong usage' },
} as const;

export type ErrorCode = keyof typeof CATALOGUE;

/** An error meant for the user: its message says what went wrong and what to do. */
export class HorizonError extends Error {
  readonly status: number;
  readonly exitCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'HorizonError';
    this.status = CATALOGUE[code].status;
    this.exitCode = CATALOGUE[code].exit;
  }

  /** The JSON body the API sends for this error. */
  toJSON(): { error: { code: ErrorCode; message: string; problems?: readonly Problem[] } } {
    return {
      error: { code: this.code, message: this.message, ...(this.problems.length ? { problems: this.problems } : {}) },
    };
  }
}

export const errors = {
  invalidBundle: (problems: readonly Problem[]) =>
    new HorizonError(
      'invalid_bundle',
      `The bundle has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems,
    ),
  invalidParameter: (name: string, message: string) =>
    new HorizonError('invalid_parameter', `${name}: ${message}`, [{ where: name, message }]),
  invalidProfile: (problems: readonly Problem[], where = 'profile') =>
    new HorizonError(
      'invalid_profile',
      `The ${where} is not a valid profile v1: ${problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`,
      problems,
    ),
  notFound: (what: string, id: string) => new HorizonError('not_found', `No ${what} with id "${id}"`),
  storeLocked: (dir: string, holder: string) =>
    new HorizonError(
      'store_locked',
      `The data folder ${dir} is in use by ${holder}. Stop that process first, or use another folder with --data DIR.`,
    ),
  databaseUnavailable: (detail: string) =>
    new HorizonError('database_unavailable', `The database cannot be reached: ${detail}`),
  usage: (message: string) => new HorizonError('usage', message),
};
