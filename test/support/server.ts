// A real Horizon server on a loopback port over a fresh database holding the shipped content.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server.ts';
import { importBundle } from '../../src/content/import.ts';
import type { Database } from '../../src/store/database.ts';
import { secretBox, type SecretBox } from '../../src/watch/secrets.ts';
import { SHIPPED } from './bundles.ts';
import type { TestDatabaseKind } from './databases.ts';

/** The key test servers and workers seal webhook secrets with (HORIZON_SECRET_KEY for child processes). */
export const TEST_SECRET_KEY = '5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7';
export const TEST_SECRETS: SecretBox = secretBox(Buffer.from(TEST_SECRET_KEY, 'hex'));

export interface TestServer {
  readonly url: string;
  readonly db: Database;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Opens a database of the kind, imports the shipped content and listens on 127.0.0.1 with a free port. */
export async function startTestServer(
  kind: TestDatabaseKind,
  options: Partial<Omit<AppOptions, 'db'>> = {},
): Promise<TestServer> {
  const db = await kind.open();
  await importBundle(db, SHIPPED);
  const app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS, ...options });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    db,
    app,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
