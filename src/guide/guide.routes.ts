// The guide website: server-rendered HTML pages with ?as_of= and ?lang=, its static assets, and HTML error pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HorizonError, errors } from '../errors.ts';
import type { Database } from '../store/database.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { assets } from './assets.ts';
import { dayParam, publicUrlOf } from '../http/params.ts';
import { loadCheckCatalogue } from '../relevance/check-data.ts';
import { searchKnowledgeBase, type SearchRequest } from '../search/search.service.ts';
import { lenientContext, pageContext, type PageContext } from './context.ts';
import { articlePage } from './pages/article.ts';
import { checkCsp, checkPage } from './pages/check.ts';
import { chapterPage } from './pages/chapter.ts';
import { errorPage } from './pages/error.ts';
import { homePage } from './pages/home.ts';
import { instrumentPage } from './pages/instrument.ts';
import { jurisdictionPage, jurisdictionsPage } from './pages/jurisdiction.ts';
import { comparePage, revisionsPage } from './pages/revisions.ts';
import { searchPage, searchPageParams } from './pages/search.ts';
import { topicPage, topicsPage } from './pages/topic.ts';
import { watchCsp, watchPage } from './pages/watch.ts';
import { script } from './scripts.ts';
import { loadChoices, subscriptionForms } from './subscriptions.routes.ts';

/** Pages load only from this origin: no scripts at all, styles and images from here. */
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
}

type Params = Record<string, string>;

/** A GET page route: builds the context (400 on a bad as_of or lang), renders, answers HTML. */
function page(
  render: (ctx: PageContext, params: Params, request: FastifyRequest) => Promise<string>,
  pageParams: (request: FastifyRequest) => Record<string, string | undefined> = () => ({}),
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(request, pageParams(request));
    const body = await render(ctx, request.params as Params, request);
    return sendHtml(reply, 200, body);
  };
}

/**
 * A 404 page for any path no route matches (for the app's not-found handler to use on paths outside /api/):
 * Fastify's own answer is JSON.
 */
export function sendGuideNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const ctx = lenientContext(request);
  return sendHtml(reply, 404, errorPage(ctx, 404, ctx.t('errorNoPage', { path: ctx.path })));
}

export interface GuideOptions {
  /** The database: search, the check page's data and the watch page's subscription forms read it. */
  readonly db: Database;
  /** As given to the API (config watch.allowPrivateWebhooks). */
  readonly allowPrivateWebhooks?: boolean;
  /** The site's public address for feed links (config watch.publicUrl); default: each request's origin. */
  readonly publicUrl?: string | undefined;
}

export async function registerGuide(
  app: FastifyInstance,
  repo: KnowledgeRepository,
  options: GuideOptions,
): Promise<void> {
  const { db } = options;
  const search = (request: SearchRequest) => searchKnowledgeBase(db, request);
  const checkCatalogue = (asOf: string) => loadCheckCatalogue(db, asOf);
  await app.register((guide, _options, done) => {
    guide.addHook('onRequest', (_request, reply, next) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'strict-origin-when-cross-origin');
      next();
    });

    // Errors on guide routes are pages, not JSON.
    guide.setErrorHandler((error, request, reply) => {
      const ctx = lenientContext(request);
      if (error instanceof HorizonError) {
        return sendHtml(reply, error.status, errorPage(ctx, error.status, error.messageIn(ctx.lang), error.problems));
      }
      const e = error as { statusCode?: number; message?: string };
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
        return sendHtml(
          reply,
          e.statusCode,
          errorPage(ctx, e.statusCode, ctx.lang === 'en' && e.message ? e.message : ctx.t('errorBadRequest')),
        );
      }
      request.log.error(error);
      return sendHtml(reply, 500, errorPage(ctx, 500, ctx.t('errorPageFailed')));
    });

    const opts = { schema: { hide: true } };
    guide.get(
      '/',
      opts,
      page((ctx) => homePage(ctx, repo)),
    );
    guide.get(
      '/jurisdictions',
      opts,
      page((ctx) => jurisdictionsPage(ctx, repo)),
    );
    guide.get(
      '/jurisdictions/:code',
      opts,
      page((ctx, p) => jurisdictionPage(ctx, repo, p.code ?? '')),
    );
    guide.get(
      '/chapters/:code',
      opts,
      page((ctx, p) => chapterPage(ctx, repo, p.code ?? '')),
    );
    guide.get(
      '/articles/:id',
      opts,
      page(
        (ctx, p) => articlePage(ctx, repo, p.id ?? '', ctx.pageParams.revision),
        (request) => ({ revision: dayParam(request.query, 'revision') }),
      ),
    );
    guide.get(
      '/articles/:id/revisions',
      opts,
      page((ctx, p) => revisionsPage(ctx, repo, p.id ?? '')),
    );
    guide.get(
      '/articles/:id/compare',
      opts,
      page(
        (ctx, p) => comparePage(ctx, repo, p.id ?? '', ctx.pageParams.from, ctx.pageParams.to),
        (request) => ({ from: dayParam(request.query, 'from'), to: dayParam(request.query, 'to') }),
      ),
    );
    guide.get(
      '/instruments/:id',
      opts,
      page((ctx, p) => instrumentPage(ctx, repo, p.id ?? '')),
    );
    guide.get(
      '/search',
      opts,
      page((ctx) => searchPage(ctx, search), searchPageParams),
    );

    // The check page runs its own script, so its policy allows scripts (and requests) from this origin.
    const check = page((ctx) => checkPage(ctx, checkCatalogue));
    const checkPolicy = checkCsp(CSP);
    guide.get('/check', opts, (request, reply) => check(request, reply.header('content-security-policy', checkPolicy)));

    guide.get(
      '/topics',
      opts,
      page((ctx) => topicsPage(ctx, repo)),
    );
    guide.get(
      '/topics/:code',
      opts,
      page((ctx, p) => topicPage(ctx, repo, p.code ?? '')),
    );
    // The watch page's copy buttons are a script from this origin; its policy allows only that.
    const watch = page(async (ctx, _p, request) =>
      watchPage(ctx, repo, publicUrlOf(request, options.publicUrl), await loadChoices(repo)),
    );
    const watchPolicy = watchCsp(CSP);
    guide.get('/watch', opts, (request, reply) => watch(request, reply.header('content-security-policy', watchPolicy)));
    // Subscribe and manage forms (POST, form bodies parsed in their own scope only).
    void guide.register(subscriptionForms, {
      db,
      repo,
      allowPrivateWebhooks: options.allowPrivateWebhooks === true,
      csp: CSP,
      publicUrl: options.publicUrl,
    });

    guide.get('/static/:file', opts, async (request, reply) => {
      const name = (request.params as Params).file ?? '';
      const asset = assets().get(name) ?? (await script(name));
      if (!asset) throw errors.notFound('file', name);
      const etag = `"${asset.version}"`;
      const versioned = (request.query as Record<string, unknown>).v === asset.version;
      reply
        .header('etag', etag)
        .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type(asset.type).send(asset.body);
    });
    done();
  });
}
