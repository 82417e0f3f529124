// The routes an app serves, with their schemas, as Fastify adds them: read by the hostile-input test
// (test/api/hostile-requests.test.ts) to feed every parameter of every route, so a new route is tested without being
// listed anywhere.
import type { FastifyContextConfig, FastifyInstance, FastifySchema } from 'fastify';

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly schema: FastifySchema | undefined;
  /** The route's config: its `policy` says who may call it (accounts/types.ts). */
  readonly config: FastifyContextConfig | undefined;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Records every route added to the app from now on (HEAD routes Fastify adds for GETs left out). */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, schema: route.schema, config: route.config });
    }
  });
}

/** The routes recorded for the app, in the order they were added. */
export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}
