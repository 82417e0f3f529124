// The editors' home page, GET /workspace: what needs attention as of the page's day (editorial/attention.ts).
// Registered inside the guide's scope (its error pages and content security policy); signed-in editors only.
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { needs } from '../accounts/types.ts';
import { loadAttention } from '../editorial/attention.ts';
import type { Database } from '../store/database.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { pageContext } from './context.ts';
import { workspaceHomePage } from './pages/workspace-home.ts';

export interface AttentionRoutesOptions {
  readonly db: Database;
  readonly repo: KnowledgeRepository;
  /** Config attention.reviewAfterDays. */
  readonly reviewAfterDays: number;
}

export const attentionRoutes: FastifyPluginCallback<AttentionRoutesOptions> = (
  app: FastifyInstance,
  options: AttentionRoutesOptions,
  done,
) => {
  app.get(
    '/workspace',
    { schema: { hide: true }, config: { policy: needs('drafts:write') } },
    async (request, reply) => {
      const ctx = pageContext(request);
      const [attention, taxonomy] = await Promise.all([
        loadAttention(options.db, { asOf: ctx.asOf, reviewAfterDays: options.reviewAfterDays }),
        options.repo.taxonomy(),
      ]);
      // An editor's list: never cached by anyone else.
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(workspaceHomePage(ctx, attention, taxonomy));
    },
  );
  done();
};
