// The database port: the little that Horizon needs of a database, implemented by the PGlite and PostgreSQL adapters.
import type { Config } from '../config/config.ts';

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /**
   * Runs one statement with $1… parameters. Dates come back as YYYY-MM-DD text, bigints and numerics as numbers. A
   * refused statement rejects with a StatementError (statement-error.ts): its SQLSTATE in `code` (23505 unique
   * violation, 42P01 …) and the SQL text, but none of the parameters (they may be secrets, and errors get logged).
   */
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** A database Horizon can use. The same SQL runs on both adapters. */
export interface Database extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /**
   * Runs fn in one transaction: committed when fn resolves, rolled back when it throws (the promise rejects with what
   * fn threw). A failed statement aborts the transaction even when fn catches it (later statements fail, 25P02).
   * Inside fn use tx only: the database itself — a query, exec or another transaction — is refused there (on PGlite,
   * one connection, it would wait for fn forever). Transactions started together run one after another on PGlite and
   * side by side on PostgreSQL; what must not overlap takes an advisory lock (pg_advisory_xact_lock) or row locks.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons, without parameters (migrations); all of them or none. */
  exec(sql: string): Promise<void>;
  /** Closes the database; closing again does nothing, but any query after the first close rejects. */
  close(): Promise<void>;
}

/** Opens the database the configuration names and brings its schema up to date. */
export async function openDatabase(config: Config['database'], holder = 'horizon'): Promise<Database> {
  const db =
    config.kind === 'pglite'
      ? await (await import('./pglite/pglite-database.ts')).openPglite(config.dataDir, holder)
      : await (await import('./postgres/postgres-database.ts')).openPostgres(config.url);
  try {
    const { migrate } = await import('./migrate.ts');
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
