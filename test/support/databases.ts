// The databases every contract test runs against: embedded PGlite always, and the PostgreSQL server when it answers.
// With HORIZON_REQUIRE_POSTGRES=1 (CI) an unreachable server is a failure; otherwise the suite says it was not run.
//
// Each test gets a database of its own, started from a migrated template instead of migrating every fresh one: on
// PostgreSQL `CREATE DATABASE … TEMPLATE horizon_template_<hash>`, on PGlite a data folder dumped once and loaded into
// every in-memory database (and a blank one for the tests of migrate). They are named by a hash of the migrations (and
// the PGlite version), so each is made once and a changed migration makes new ones. migrate() still runs on every
// database, as openDatabase does (it finds nothing to do).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPglite } from '../../src/store/pglite/pglite-database.ts';
import { openPostgres } from '../../src/store/postgres/postgres-database.ts';

export const POSTGRES_URL = process.env.HORIZON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRED = process.env.HORIZON_REQUIRE_POSTGRES === '1';
const MIGRATIONS = path.resolve('src/store/migrations');

/** A way to get a fresh, empty, migrated database of one kind. */
export interface TestDatabaseKind {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<Database>;
  /** A fresh database with nothing in it, not even the migrations (for the tests of the port and of migrate). */
  openUnmigrated(): Promise<Database>;
}

/** A short hash of the migrations' names and text, and of what else the templates depend on. */
function templateHash(): string {
  const hash = createHash('sha256');
  const pglite = JSON.parse(fs.readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')) as {
    version: string;
  };
  hash.update(`pglite ${pglite.version}\n`);
  for (const file of fs.readdirSync(MIGRATIONS).sort()) {
    hash.update(`${file}\n`);
    hash.update(fs.readFileSync(path.join(MIGRATIONS, file)));
  }
  return hash.digest('hex').slice(0, 12);
}
const HASH = templateHash();

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

const pgliteDumps = new Map<string, Promise<Blob>>();

/**
 * A PGlite data folder as a tar archive — `blank` just after initdb, `migrated` with every migration applied — kept in
 * the temporary folder. Made by whichever test process needs it first (written aside, then renamed, so a reader never
 * sees half of one; processes that race each make it once).
 */
function pgliteDataDir(which: 'blank' | 'migrated'): Promise<Blob> {
  let dump = pgliteDumps.get(which);
  if (!dump) {
    dump = (async () => {
      const file = path.join(os.tmpdir(), `horizon-test-pglite-${which}-${HASH}.tar`);
      if (!fs.existsSync(file)) {
        const db = await openPglite(':memory:', 'test template');
        try {
          if (which === 'migrated') await migrate(db);
          const tar = await db.dumpDataDir();
          const partial = `${file}.${process.pid}.partial`;
          fs.writeFileSync(partial, Buffer.from(await tar.arrayBuffer()));
          fs.renameSync(partial, file);
        } finally {
          await db.close();
        }
      }
      return new Blob([fs.readFileSync(file)]);
    })();
    pgliteDumps.set(which, dump);
  }
  return dump;
}

/** An in-memory PGlite database, fresh each time, started from the migrated template. */
export const pglite: TestDatabaseKind = {
  name: 'pglite',
  async open() {
    const db = await openPglite(':memory:', 'test', { loadDataDir: await pgliteDataDir('migrated') });
    try {
      await migrate(db); // as openDatabase does: nothing to apply, but a stale template would be brought up to date
    } catch (error) {
      await db.close();
      throw error;
    }
    return db;
  },
  openUnmigrated: async () => openPglite(':memory:', 'test', { loadDataDir: await pgliteDataDir('blank') }),
};

/** Runs fn with a client connected to the server's administrative database (the one POSTGRES_URL names). */
async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs fn, again while the server says a database it needs is in use (55006: a session is still leaving it). */
async function whileBusy<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

const TEMPLATE = `horizon_template_${HASH}`;
let postgresTemplate: Promise<string> | undefined;

/**
 * The migrated template database on the server, made once: under an advisory lock, so concurrent test processes wait
 * for the first; built under another name and renamed, so a template that exists is complete.
 */
function postgresTemplateName(): Promise<string> {
  postgresTemplate ??= withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(7212099)');
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (found.rowCount === 0) {
        const building = `${TEMPLATE}_${randomBytes(4).toString('hex')}`;
        await admin.query(`CREATE DATABASE ${building}`);
        const db = await openDatabase({ kind: 'postgres', url: urlOf(building) });
        await db.close();
        await whileBusy(() => admin.query(`ALTER DATABASE ${building} RENAME TO ${TEMPLATE}`));
        // No one connects to it (CREATE DATABASE … TEMPLATE refuses a source with sessions).
        await admin.query(`ALTER DATABASE ${TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(7212099)');
    }
    return TEMPLATE;
  });
  return postgresTemplate;
}

/**
 * A fresh database on the server (for child processes that connect by URL), migrated and holding no data; drop()
 * removes it.
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = await postgresTemplateName();
  const name = `horizon_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => whileBusy(() => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)));
  return {
    url: urlOf(name),
    drop: () => dropDatabase(name),
  };
}

/** A fresh database on the server, dropped when the returned Database is closed. */
const postgres: TestDatabaseKind = {
  name: 'postgres',
  async open() {
    const fresh = await freshPostgresDatabase();
    return dropOnClose(await openDatabase({ kind: 'postgres', url: fresh.url }), () => fresh.drop());
  },
  async openUnmigrated() {
    const name = `horizon_test_${randomBytes(6).toString('hex')}`;
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
    return dropOnClose(await openPostgres(urlOf(name)), () => dropDatabase(name));
  },
};

/** Drops a test database from the server, its sessions ended. */
function dropDatabase(name: string): Promise<void> {
  return withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
}

/** The database, whose close() also drops it from the server. */
function dropOnClose(db: Database, drop: () => Promise<void>): Database {
  return {
    ...db,
    async close() {
      await db.close();
      await drop();
    },
  };
}

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
