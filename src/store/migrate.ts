// Applies the SQL migrations in src/store/migrations, in order, once each; the same files run on both adapters.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';
import { LOCKS, lock } from './locks.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Brings the schema up to date. Concurrent callers on one server wait for each other (advisory lock). */
export async function migrate(db: Database): Promise<string[]> {
  const files = fs
    .readdirSync(DIR)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort();
  return db.transaction(async (tx) => {
    await lock(tx, LOCKS.migrate);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = fs.readFileSync(path.join(DIR, file), 'utf8');
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

/**
 * Splits a migration into statements at semicolons outside `$$ … $$` bodies (our migrations hold no semicolons or `--`
 * inside strings).
 */
function splitStatements(sql: string): string[] {
  const text = sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  const statements: string[] = [];
  let start = 0;
  let inBody = false;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('$$', i)) {
      inBody = !inBody;
      i++;
    } else if (text[i] === ';' && !inBody) {
      statements.push(text.slice(start, i));
      start = i + 1;
    }
  }
  statements.push(text.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}
