// The database port: the little that Horizon needs of a database, implemented by the PGlite and PostgreSQL adapters.
import type { Config } from '../config/config.ts';

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with $1… parameters. Dates come back as YYYY-MM-DD text, bigints as numbers. */
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** A database Horizon can use. The same SQL runs on both adapters. */
export interface Database extends Queryable {
  readonly dialect: 'pglite' | 'postgres';
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
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
