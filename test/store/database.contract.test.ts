// The contract of the database port (src/store/database.ts), run on PGlite and on the PostgreSQL server: statements,
// errors, transactions (commit, roll back, misuse, several at once), advisory locks, exec, migrations and close.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import type { Database } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { StatementError } from '../../src/store/statement-error.ts';
import { databaseKinds } from '../support/databases.ts';

/** The SQLSTATE a rejection carries. */
const codeOf = (error: unknown) => (error as { code?: unknown }).code;

for (const kind of await databaseKinds()) {
  describe(`database port on ${kind.name}`, () => {
    let db: Database;
    before(async () => {
      db = await kind.openUnmigrated();
      await db.exec('CREATE TABLE items (id int PRIMARY KEY, note text NOT NULL)');
    });
    after(() => db.close());

    const ids = async () => (await db.query<{ id: number }>('SELECT id FROM items ORDER BY id')).map((r) => r.id);
    const clear = () => db.query('DELETE FROM items');

    it('runs a statement with parameters; dates come back as YYYY-MM-DD text, bigints and numerics as numbers', async () => {
      const [row] = await db.query<{ d: unknown; b: unknown; n: unknown; i: unknown; t: unknown }>(
        "SELECT $1::date AS d, 9007199254740::bigint AS b, 1.5::numeric AS n, $2::int + 1 AS i, 'x' || $3 AS t",
        ['2024-02-29', 41, 'y'],
      );
      assert.deepEqual(row, { d: '2024-02-29', b: 9007199254740, n: 1.5, i: 42, t: 'xy' });
      assert.equal(db.dialect, kind.name);
    });

    it('rejects with a StatementError that keeps the SQL and code but none of the parameters', async () => {
      const secret = 'whsec_contract_Zq8vT2nLrX4pW9sKd7fY';
      const refusals: [string, unknown[]][] = [
        ['SELECT $1::int', [secret]],
        ['SELECT $1::bigint', ['99999999999999999999']],
        ['SELECT $1::date', [secret]],
        ['SELECT $1::jsonb', [`{"${secret}"`]],
        ['SELECT $1::text', [`${secret}\u0000`]],
        ['INSERT INTO items VALUES ($1, $2)', [7, null]],
      ];
      await db.query('INSERT INTO items VALUES (7, $1)', [secret]);
      refusals.push(['INSERT INTO items VALUES (7, $1)', [secret]]);
      for (const [sql, params] of refusals) {
        const error = await db.query(sql, params).then(
          () => assert.fail(`${sql} should be refused`),
          (e: unknown) => e,
        );
        assert.ok(error instanceof StatementError, `${sql}: ${inspect(error)}`);
        assert.equal(error.sql, sql);
        assert.match(error.code ?? '', /^[0-9A-Z]{5}$/, sql);
        const shown = `${inspect(error, { depth: 5 })} ${JSON.stringify(error)} ${error.message} ${error.stack ?? ''}`;
        for (const p of params) {
          if (typeof p === 'string') assert.ok(!shown.includes(p.replace('\u0000', '')), `${sql}: ${shown}`);
        }
        assert.ok(!shown.includes('whsec_'), `${sql}: ${shown}`);
      }
      await assert.rejects(
        db.transaction((tx) => tx.query('SELECT $1::int', [secret])),
        (e: unknown) => e instanceof StatementError && !inspect(e).includes(secret),
      );
      await clear();
    });

    it('rejects a refused statement with the SQL error code', async () => {
      await assert.rejects(db.query('SELECT * FROM no_such_table'), (e) => codeOf(e) === '42P01');
      await assert.rejects(db.query('SELECT $1::int', ['many']), (e) => codeOf(e) === '22P02');
      await db.query('INSERT INTO items VALUES (1, $1)', ['one']);
      await assert.rejects(db.query('INSERT INTO items VALUES (1, $1)', ['again']), (e) => codeOf(e) === '23505');
      await assert.rejects(db.exec('SELEC 1'), (e) => codeOf(e) === '42601');
      assert.deepEqual(await ids(), [1], 'the database still answers after errors');
      await clear();
    });

    it('commits a transaction when fn resolves, and returns what fn returned', async () => {
      const result = await db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (1, $1), (2, $2)', ['a', 'b']);
        return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]?.n;
      });
      assert.equal(result, 2, 'the transaction sees its own writes');
      assert.deepEqual(await ids(), [1, 2]);
      await clear();
    });

    it('rolls back everything when fn throws, and rejects with what fn threw', async () => {
      const boom = new Error('boom');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO items VALUES (1, $1)', ['a']);
          await tx.query('CREATE TABLE made_in_tx (x int)');
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.deepEqual(await ids(), [], 'no row is left');
      const [table] = await db.query<{ r: string | null }>("SELECT to_regclass('made_in_tx')::text AS r");
      assert.equal(table?.r, null, 'no table is left');
    });

    it('rolls back when a statement fails; a failure fn catches still aborts the transaction (25P02)', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO items VALUES (1, $1)', ['a']);
          await tx.query('INSERT INTO items VALUES (1, $1)', ['duplicate']);
        }),
        (e) => codeOf(e) === '23505',
      );
      assert.deepEqual(await ids(), []);
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO items VALUES (2, $1)', ['b']);
          await tx.query('SELECT * FROM no_such_table').catch(() => undefined);
          await tx.query('INSERT INTO items VALUES (3, $1)', ['c']);
        }),
        (e) => codeOf(e) === '25P02',
      );
      assert.deepEqual(await ids(), [], 'nothing of the aborted transaction is kept');
    });

    it('exec runs several statements: all of them, or none when one fails', async () => {
      await db.exec("INSERT INTO items VALUES (1, 'a'); INSERT INTO items VALUES (2, 'b')");
      assert.deepEqual(await ids(), [1, 2]);
      await assert.rejects(
        db.exec("INSERT INTO items VALUES (3, 'c'); INSERT INTO items VALUES (1, 'again')"),
        (e) => codeOf(e) === '23505',
      );
      assert.deepEqual(await ids(), [1, 2], 'the first statement of the failed exec is not kept');
      await clear();
    });

    it('refuses the database itself inside one of its transactions instead of waiting forever', async () => {
      const refused = /use the transaction's tx instead/;
      let later: Promise<unknown> | undefined;
      const result = await db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (1, $1)', ['a']);
        await assert.rejects(db.query('SELECT 1'), refused);
        await assert.rejects(db.exec('SELECT 1'), refused);
        await assert.rejects(
          db.transaction(() => Promise.resolve()),
          refused,
        );
        // Work fn leaves behind runs after the transaction, where the database may be used again.
        later = sleep(50).then(() => db.query<{ n: number }>('SELECT count(*)::int AS n FROM items'));
        return 'done';
      });
      assert.equal(result, 'done', 'the transaction went on and committed after the refusals');
      assert.deepEqual(await later, [{ n: 1 }]);
      await clear();
    });

    it(
      kind.name === 'pglite'
        ? 'runs transactions started together one after another (one connection)'
        : 'runs transactions started together side by side, each on its own connection',
      async () => {
        const steps: string[] = [];
        await Promise.all(
          [1, 2].map((i) =>
            db.transaction(async (tx) => {
              steps.push(`start ${i}`);
              await tx.query('INSERT INTO items VALUES ($1, $2)', [i, `from ${i}`]);
              await tx.query('SELECT pg_sleep(0.2)');
              steps.push(`end ${i}`);
            }),
          ),
        );
        assert.deepEqual(await ids(), [1, 2], 'both committed');
        if (kind.name === 'pglite') assert.deepEqual(steps, ['start 1', 'end 1', 'start 2', 'end 2']);
        else
          assert.deepEqual(steps.slice(0, 2).sort(), ['start 1', 'start 2'], 'the second began before the first ended');
        await clear();
      },
    );

    it('an advisory lock serialises two transactions: the second waits for the first to commit', async () => {
      const steps: string[] = [];
      let locked!: () => void;
      const firstHolds = new Promise<void>((resolve) => (locked = resolve));
      const first = db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(7212900)');
        steps.push('first locked');
        locked();
        await sleep(300);
        await tx.query('INSERT INTO items VALUES (1, $1)', ['first']);
        steps.push('first done');
      });
      await firstHolds;
      const second = db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(7212900)');
        steps.push('second locked');
        return (await tx.query<{ note: string }>('SELECT note FROM items')).map((r) => r.note);
      });
      const [, seen] = await Promise.all([first, second]);
      assert.deepEqual(steps, ['first locked', 'first done', 'second locked']);
      assert.deepEqual(seen, ['first'], 'the second saw what the first committed');
      await clear();
    });

    it('migrates an empty database once: every migration the first time, none the second', async () => {
      const fresh = await kind.openUnmigrated();
      try {
        const applied = await migrate(fresh);
        assert.ok(applied.length >= 5, applied.join());
        assert.deepEqual(applied, [...applied].sort());
        assert.deepEqual(await migrate(fresh), []);
        const [row] = await fresh.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        assert.equal(row?.n, applied.length);
      } finally {
        await fresh.close();
      }
    });

    it('closing twice is harmless; a statement after close rejects', async () => {
      const other = await kind.openUnmigrated();
      assert.deepEqual(await other.query('SELECT 1 AS one'), [{ one: 1 }]);
      await other.close();
      await other.close();
      await assert.rejects(other.query('SELECT 1'));
    });
  });
}
