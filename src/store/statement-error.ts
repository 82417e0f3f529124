// The one error the database port rejects with: the statement's SQL text and the server's SQLSTATE, never the values
// it was given. Driver errors carry them (PGlite's `params`, `detail` such as "Key (x)=(…) already exists", `where`,
// and messages that quote the offending value), and loggers print every property of an error; so the adapters replace
// each driver error by this one before it can reach a log, and keep nothing of the original (not even as `cause`).

/** At most this much of a statement's SQL is kept (enough to recognise it in a log). */
const SQL_KEPT = 500;

/** A statement the database refused: SQLSTATE in `code`, the SQL text; no parameter values, no detail. */
export class StatementError extends Error {
  /** The SQLSTATE (23505 unique violation, 42P01 …), or the driver's code (ECONNREFUSED …), when there is one. */
  readonly code: string | undefined;
  /** The statement's SQL text (parameters stay $1, $2 …). */
  readonly sql: string;
  /** The constraint, table and column the server names, if any (schema names, never values). */
  readonly constraint: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;

  constructor(
    message: string,
    fields: { code?: string; sql: string; constraint?: string; table?: string; column?: string },
  ) {
    super(message);
    this.name = 'StatementError';
    this.code = fields.code;
    this.sql = fields.sql;
    this.constraint = fields.constraint;
    this.table = fields.table;
    this.column = fields.column;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The server's message with every quoted part masked when the statement had parameters (PostgreSQL quotes the value
 * it refused: `invalid input syntax for type integer: "whsec_…"`); a statement without parameters holds only our SQL.
 */
function safeMessage(message: string, withParams: boolean): string {
  if (!withParams) return message;
  return message.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'/g, '"…"').replace(/0x[0-9a-f]{2}(?: 0x[0-9a-f]{2})*/gi, '0x…');
}

/** Replaces a driver's error by a StatementError (a StatementError already made is passed through). */
export function statementError(error: unknown, sql: string, params: readonly unknown[] = []): StatementError {
  if (error instanceof StatementError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const message = text(e.message) ?? 'the database refused the statement';
  const code = text(e.code);
  const constraint = text(e.constraint);
  const table = text(e.table);
  const column = text(e.column);
  return new StatementError(`${safeMessage(message, params.length > 0)}${code ? ` [${code}]` : ''}`, {
    ...(code ? { code } : {}),
    sql: sql.length > SQL_KEPT ? `${sql.slice(0, SQL_KEPT)}…` : sql,
    ...(constraint ? { constraint } : {}),
    ...(table ? { table } : {}),
    ...(column ? { column } : {}),
  });
}

/** Runs one driver call, rejecting with a StatementError instead of the driver's error. */
export async function guarded<T>(sql: string, params: readonly unknown[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw statementError(error, sql, params);
  }
}
