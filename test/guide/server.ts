// The real app on a loopback port over an in-memory PGlite with the shipped content, for page and browser tests.
import { SHIPPED } from '../support/bundles.ts';
import { pglite } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

export type { TestServer };
export const CONTENT_DIR = SHIPPED;

/** Starts the server (see test/support/server.ts). */
export function startServer(): Promise<TestServer> {
  return startTestServer(pglite);
}
