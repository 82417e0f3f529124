// The databases every contract test runs against: embedded PGlite always, and the PostgreSQL server when it answers.
// With HORIZON_REQUIRE_POSTGRES=1 (CI) an unreachable server is a failure; otherwise the suite says it was not run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/database.ts';

export const POSTGRES_URL = process.env.HORIZON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRED = process.env.HORIZON_REQUIRE_POSTGRES === '1';

/** A way to get a fresh, empty, migrated database of one kind. */
export interface TestDatabaseKind {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<Database>;
}

let reachable: Promise<string | null> | undefined;

/** Null when the server answers; otherwise why not. */
function probe(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** An in-memory PGlite database, fresh each time. */
export const pglite: TestDatabaseKind = {
  name: 'pglite',
  open: () => openDatabase({ kind: 'pglite', dataDir: ':memory:' }),
};

/** A fresh, empty database on the server (for child processes that connect by URL); drop() removes it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `horizon_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: POSTGRES_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A fresh database on the server, dropped when the returned Database is closed. */
const postgres: TestDatabaseKind = {
  name: 'postgres',
  async open() {
    const fresh = await freshPostgresDatabase();
    const db = await openDatabase({ kind: 'postgres', url: fresh.url });
    return {
      ...db,
      async close() {
        await db.close();
        await fresh.drop();
      },
    };
  },
};

/** Whether the PostgreSQL server can be used (throws when it is required and cannot be reached). */
export async function postgresAvailable(): Promise<boolean> {
  return (await databaseKinds()).some((k) => k.name === 'postgres');
}

/**
 * The kinds to run on. PostgreSQL is left out (with a plain notice) only when it cannot be reached and is not
 * required; when required and unreachable this throws, failing the suite.
 */
export async function databaseKinds(): Promise<TestDatabaseKind[]> {
  const problem = await probe();
  if (problem === null) return [pglite, postgres];
  if (REQUIRED)
    throw new Error(
      `PostgreSQL is required (HORIZON_REQUIRE_POSTGRES=1) but ${POSTGRES_URL} cannot be reached: ${problem}`,
    );
  process.stderr.write(
    `\nNOTICE: the PostgreSQL part of this suite was NOT run: ${POSTGRES_URL} cannot be reached (${problem}).\n` +
      `        Start a server or set HORIZON_TEST_DATABASE_URL to run it.\n\n`,
  );
  return [pglite];
}
