// Every route an app has, read from Fastify's own route tree (printRoutes), so that tests over "every route" follow
// the app as routes are added, with nothing to keep up to date by hand.
import type { FastifyInstance } from 'fastify';

export interface AppRoute {
  readonly method: string;
  /** The route's path with its parameters (/api/v1/instruments/:id). */
  readonly path: string;
}

/** The routes of a ready app, each method apart (HEAD left out: it is GET's). */
export function routesOf(app: FastifyInstance): AppRoute[] {
  const routes: AppRoute[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*)(?:[└├]── )(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = Math.round((m[1] ?? '').length / 4);
    const segment = m[2] ?? '';
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const path = depth === 0 ? segment : `${parent.replace(/\/$/, '')}/${segment.replace(/^\//, '')}`;
    stack[depth] = path;
    for (const method of (m[3] ?? '').split(', ')) if (method !== 'HEAD') routes.push({ method, path });
  }
  if (routes.length === 0) throw new Error(`no routes read from:\n${app.printRoutes({ commonPrefix: false })}`);
  return routes;
}

/** A route's path with its parameters filled in from `values` (by name), else with `fallback`. */
export function fill(path: string, values: Readonly<Record<string, string>>, fallback = 'x'): string {
  return path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? fallback));
}
