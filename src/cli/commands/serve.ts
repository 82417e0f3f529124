// horizon serve: the web server; on first run it fills an empty store with the shipped content.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../server.ts';
import { importBundle } from '../../content/import.ts';
import { openDatabase } from '../../store/database.ts';
import { KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { loadConfig } from '../../config/config.ts';
import { errors } from '../../errors.ts';
import { startWorker } from '../../watch/worker.ts';
import { DATA_HELP, DATA_OPTIONS, parse, type Command } from '../io.ts';

const SERVICES = ['web', 'worker'] as const;

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
        throw errors.usage(`--services: unknown service "${s}" (web, worker)`);
    }
    const config = loadConfig({ dataDir: values.data, port: values.port, host: values.host });
    const db = await openDatabase(config.database, 'horizon serve');
    try {
      if (await new KnowledgeRepository(db).isEmpty()) {
        io.err(`Empty store: importing the shipped content from ${SHIPPED_CONTENT} …`);
        const report = await importBundle(db, SHIPPED_CONTENT, { actor: 'horizon serve (first run)' });
        io.err(`Imported ${report.added.length} entries.`);
      }
      const where = config.database.kind === 'pglite' ? `data in ${config.database.dataDir}` : 'PostgreSQL';
      const worker = services.includes('worker')
        ? startWorker(db, {
            config: config.watch,
            log: { info: (m) => io.err(m), error: (m) => io.err(m) },
          })
        : undefined;
      const app = services.includes('web')
        ? await buildApp({
            db,
            logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
            publicUrl: config.watch.publicUrlConfigured ? config.watch.publicUrl : undefined,
            allowPrivateWebhooks: config.watch.allowPrivateWebhooks,
          })
        : undefined;
      if (app) {
        const address = await app.listen({ port: config.http.port, host: config.http.host });
        io.out(`Horizon is serving on ${address} (${where}). Press Ctrl+C to stop.`);
      } else io.out(`Horizon worker is delivering alerts (${where}). Press Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      io.err('Stopping …');
      await app?.close();
      await worker?.stop();
      return 0;
    } finally {
      await db.close();
    }
  },
};
