// horizon serve: the web server; on first run it fills an empty store with the shipped content.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../store/database.ts';
import { KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { loadConfig } from '../../config/config.ts';
import { errors } from '../../errors.ts';
import { prepareSecrets, secretBox, secretKeyFor } from '../../watch/secrets.ts';
import { DATA_HELP, DATA_OPTIONS, parse, type Command } from '../io.ts';

const SERVICES = ['web', 'worker'] as const;

/**
 * The modules of the services asked for, imported while the database opens (most of start-up is these two). With the
 * web server, the worker's modules (nodemailer, undici …) are imported only once it listens: loading them competes for
 * the one thread with PGlite's start and would delay the first page.
 */
async function loadServices(services: readonly string[]) {
  const web = services.includes('web');
  const [server, worker] = await Promise.all([
    web ? import('../../server.ts') : undefined,
    !web && services.includes('worker') ? import('../../watch/worker.ts') : undefined,
  ]);
  return { buildApp: server?.buildApp, startWorker: worker?.startWorker };
}

/** The worker's start function, imported now if loadServices left it for later. */
async function workerStarter(services: readonly string[], loaded: Awaited<ReturnType<typeof loadServices>>) {
  if (loaded.startWorker || !services.includes('worker')) return loaded.startWorker;
  return (await import('../../watch/worker.ts')).startWorker;
}

/** The content bundle shipped in the repository. */
export const SHIPPED_CONTENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content');

export const serveCommand: Command = {
  name: 'serve',
  usage: `Usage: horizon serve [--port N] [--host ADDRESS] [--services web,worker] [--data DIR]

Serves the guide, the API (/api/v1, OpenAPI at /api/openapi.json) on http://HOST:PORT. An empty store is filled with
the shipped content (content/) first. It also runs the alert worker (deliveries, scheduler) unless --services says
otherwise: with PostgreSQL, run many "--services web" processes and one or more "--services worker" ones.

  --port N        port to listen on (default: $PORT or 3000; 0 picks a free one)
  --host ADDRESS  address to listen on (default: $HOST or 127.0.0.1)
  --services LIST web, worker or both (default web,worker)
${DATA_HELP}`,
  async run(argv, io) {
    const { values } = parse(argv, {
      ...DATA_OPTIONS,
      port: { type: 'string' },
      host: { type: 'string' },
      services: { type: 'string' },
    });
    if (values.help) return (io.out(this.usage), 0);
    const services = (values.services ?? 'web,worker').split(',').map((s) => s.trim());
    for (const s of services) {
      if (!(SERVICES as readonly string[]).includes(s))
        throw errors.usage({
          key: 'cli.unknownService',
          params: { option: 'services', value: s, choices: SERVICES.join(', ') },
        });
    }
    const config = loadConfig({ dataDir: values.data, port: values.port, host: values.host });
    // Listened for from the start: a signal while starting (the worker's modules load after the server listens) must
    // still close the database and release the data folder's lock, not end the process as Node's default would.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    // With port 0 the address is known once the server listens: until then links wait for it (buildApp's default).
    const configuredUrl =
      config.watch.publicUrlConfigured || config.http.port !== 0 ? config.watch.publicUrl : undefined;
    // PGlite compiles its WebAssembly off the main thread: load the server's modules meanwhile.
    const [opened, loaded] = await Promise.allSettled([
      openDatabase(config.database, 'horizon serve'),
      loadServices(services),
    ]);
    if (opened.status === 'rejected') throw opened.reason;
    const db = opened.value;
    try {
      if (loaded.status === 'rejected') throw loaded.reason;
      const { buildApp } = loaded.value;
      const secrets = secretBox(secretKeyFor(config));
      const { sealed } = await prepareSecrets(db, secrets);
      if (sealed > 0) io.err(`Encrypted ${sealed} webhook secrets stored in clear by an older Horizon.`);
      if (await new KnowledgeRepository(db).isEmpty()) {
        io.err(`Empty store: importing the shipped content from ${SHIPPED_CONTENT} …`);
        const { importBundle } = await import('../../content/import.ts');
        const report = await importBundle(db, SHIPPED_CONTENT, { actor: 'horizon serve (first run)' });
        io.err(`Imported ${report.added.length} entries.`);
      }
      const where = config.database.kind === 'pglite' ? `data in ${config.database.dataDir}` : 'PostgreSQL';
      const app = buildApp
        ? await buildApp({
            db,
            logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
            publicUrl: configuredUrl,
            trustProxy: config.http.trustProxy,
            allowPrivateWebhooks: config.watch.allowPrivateWebhooks,
            limits: config.watch.limits,
            webhookTimeoutMs: config.watch.webhookTimeoutMs,
            http: config.http.limits,
            sessions: config.accounts.sessions,
            secrets,
            editorialSelfApproval: config.editorial.selfApproval,
            reviewAfterDays: config.attention.reviewAfterDays,
          })
        : undefined;
      let publicUrl = config.watch.publicUrl;
      if (app) {
        const address = await app.listen({ port: config.http.port, host: config.http.host });
        publicUrl = configuredUrl ?? new URL(address).origin;
        io.out(`Horizon is serving on ${address} (${where}). Press Ctrl+C to stop.`);
      }
      // Started once the web server answers, so that its first round does not delay the first page.
      const startWorker = await workerStarter(services, loaded.value);
      const worker = startWorker?.(db, {
        config: { ...config.watch, publicUrl },
        secrets,
        beforeTimers: (db, now) =>
          import('../../editorial/changesets.service.ts').then((m) => m.publishScheduled(db, now)),
        log: { info: (m) => io.err(m), error: (m) => io.err(m) },
      });
      if (!app) io.out(`Horizon worker is delivering alerts (${where}). Press Ctrl+C to stop.`);
      await stopped;
      io.err('Stopping …');
      await app?.close();
      await worker?.stop();
      return 0;
    } finally {
      await db.close();
    }
  },
};
