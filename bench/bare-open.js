// The start-up benchmark's anchor for commands that read the store: a bare script that only opens a Horizon PGlite
// data folder (as the adapter does: the same folder, the pg_trgm extension its schema uses) and runs one query.
// `node bench/bare-open.js DATA_DIR`
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/bare-open.js DATA_DIR');
const pg = await PGlite.create({ dataDir: path.join(dir, 'pgdata'), extensions: { pg_trgm } });
const { rows } = await pg.query('SELECT count(*)::int AS n FROM instruments');
await pg.close();
process.stdout.write(`${JSON.stringify(rows)}\n`);
