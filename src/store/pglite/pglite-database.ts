// The embedded adapter: PGlite (PostgreSQL in WebAssembly) in a local data folder, locked to one process.
import path from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { lockDataDir } from '../lock.ts';
import { guarded, statementError } from '../statement-error.ts';
import { TransactionScope } from '../transaction-scope.ts';
import type { Database, Queryable } from '../database.ts';

const parsers = {
  [types.DATE]: (v: string) => v,
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

function wrap(q: PGlite | Transaction): Queryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await guarded(sql, params, () => q.query<Row>(sql, params as unknown[]));
      return result.rows;
    },
  };
}

/** How to start an in-memory database: from a data folder that dumpDataDir() gave (tests start from a migrated one). */
export interface PgliteStart {
  readonly loadDataDir?: Blob;
}

/** The PGlite database, which can also dump its data folder as a tar archive. */
export interface PgliteDatabase extends Database {
  dumpDataDir(): Promise<Blob>;
}

/**
 * Opens (creating if needed) the PGlite database in dataDir; `dataDir` ':memory:' keeps it in memory, unlocked, and
 * starts it from `start.loadDataDir` when given (skipping initdb, the slow part of a start).
 */
export async function openPglite(dataDir: string, holder: string, start: PgliteStart = {}): Promise<PgliteDatabase> {
  const inMemory = dataDir === ':memory:';
  const lock = inMemory ? null : lockDataDir(dataDir, holder);
  let pg: PGlite;
  try {
    const extensions = { pg_trgm }; // search: trigram similarity for near spellings (migration 0003)
    pg = await PGlite.create(
      inMemory
        ? { parsers, extensions, ...(start.loadDataDir ? { loadDataDir: start.loadDataDir } : {}) }
        : { dataDir: path.join(dataDir, 'pgdata'), parsers, extensions },
    );
  } catch (error) {
    lock?.release();
    throw error;
  }
  const base = wrap(pg);
  const scope = new TransactionScope();
  let closing: Promise<void> | undefined;
  return {
    dialect: 'pglite',
    query: async (sql, params) => {
      scope.check('query');
      return base.query(sql, params);
    },
    transaction: async (fn) => {
      scope.check('transaction');
      let thrown: { error: unknown } | undefined;
      try {
        return await pg.transaction((tx) =>
          scope
            .run(() => fn(wrap(tx)))
            .catch((error: unknown) => {
              thrown = { error };
              throw error;
            }),
        );
      } catch (error) {
        if (thrown?.error === error) throw error; // what fn threw, as it threw it
        throw statementError(error, 'BEGIN … COMMIT'); // the driver's own BEGIN or COMMIT failed
      }
    },
    exec: async (sql) => {
      scope.check('exec');
      await guarded(sql, [], () => pg.exec(sql));
    },
    dumpDataDir: () => pg.dumpDataDir('none'),
    close: () =>
      (closing ??= (async () => {
        try {
          await pg.close();
        } finally {
          lock?.release();
        }
      })()),
  };
}
