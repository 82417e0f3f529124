// Starts the real app on a loopback port with the shipped content in an in-memory PGlite, for guide tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/server.ts';
import { importBundle } from '../../src/content/import.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';

export const CONTENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../content');

export interface TestServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly db: Database;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const db = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
  await importBundle(db, CONTENT_DIR);
  const app = await buildApp({ db });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
