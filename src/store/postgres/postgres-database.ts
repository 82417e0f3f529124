// The server adapter: a PostgreSQL server through a pg connection pool.
import pg from 'pg';
import { errors } from '../../errors.ts';
import type { Database, Queryable } from '../database.ts';
import { TransactionScope } from '../transaction-scope.ts';
import { guarded } from '../statement-error.ts';

const typeParsers: Record<number, (v: string) => unknown> = {
  1082: (v) => v, // date stays YYYY-MM-DD
  20: (v) => Number(v), // int8
  1700: (v) => Number(v), // numeric
};
const queryTypes = {
  getTypeParser: ((oid: number) =>
    typeParsers[oid] ?? (pg.types.getTypeParser(oid) as (v: string) => unknown)) as typeof pg.types.getTypeParser,
};

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await guarded(sql, params, () =>
        client.query<Row>({ text: sql, values: params as unknown[], types: queryTypes }),
      );
      return result.rows;
    },
  };
}

/**
 * A transaction's connection: one statement at a time. Callers may start reads side by side (Promise.all over a
 * Queryable); on the pool they run in parallel, on one client they wait their turn here (pg deprecates queueing
 * queries on a client that is busy).
 */
function wrapInTurn(client: pg.PoolClient): Queryable {
  const base = wrap(client);
  let last: Promise<unknown> = Promise.resolve(); // never rejects
  return {
    query<Row extends object>(sql: string, params?: readonly unknown[]) {
      const next = last.then(() => base.query<Row>(sql, params));
      last = next.catch(() => undefined); // a failed statement does not stop the next (the server answers it)
      return next;
    },
  };
}

/** Connects to the server at url; fails with database_unavailable when it cannot be reached. */
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined); // idle client errors surface on the next query
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    throw errors.databaseUnavailable(`${safe}: ${(error as Error).message}`);
  }
  const base = wrap(pool);
  const scope = new TransactionScope();
  let closing: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    query: async (sql, params) => {
      scope.check('query');
      return base.query(sql, params);
    },
    async transaction(fn) {
      scope.check('transaction');
      const client = await pool.connect();
      try {
        await guarded('BEGIN', [], () => client.query('BEGIN'));
        const result = await scope.run(() => fn(wrapInTurn(client)));
        await guarded('COMMIT', [], () => client.query('COMMIT'));
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      scope.check('exec');
      await guarded(sql, [], () => pool.query(sql));
    },
    close: () => (closing ??= pool.end()),
  };
}
