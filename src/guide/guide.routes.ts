// The guide website: server-rendered HTML pages with ?as_of= and ?lang=, its static assets, and HTML error pages.
import { Type, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SubscriptionLimits } from '../config/config.ts';
import { errors, type HorizonError } from '../errors.ts';
import { requestError } from '../http/edge.ts';
import type { Database } from '../store/database.ts';
import type { SecretBox } from '../watch/secrets.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { assets } from './assets.ts';
import { dayParam, type PublicUrl } from '../http/params.ts';
import { IdParams } from '../http/schemas.ts';
import { PAGE_CSP } from '../http/security-headers.ts';
import { loadCheckCatalogue } from '../relevance/check-data.ts';
import { revisionDevelopments } from '../editorial/attention.ts';
import { searchKnowledgeBase, type SearchRequest } from '../search/search.service.ts';
import type { HandshakeOptions } from '../watch/subscriptions.service.ts';
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
import { accountPages } from './account.routes.ts';
import { editorPages } from './editor.routes.ts';
import type { SessionOptions } from '../accounts/accounts.service.ts';
import { PUBLIC } from '../accounts/types.ts';
import { attentionRoutes } from './attention.routes.ts';

/** Pages load only from this origin (http/security-headers.ts sends it on every page; routes with scripts widen it). */
const CSP = PAGE_CSP;

function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
}

/** Renders a page and answers HTML; the context is built first (400 on a bad as_of or lang). */
async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  render: (ctx: PageContext) => Promise<string>,
  pageParams: () => Record<string, string | undefined> = () => ({}),
): Promise<FastifyReply> {
  const ctx = pageContext(request, pageParams());
  return sendHtml(reply, 200, await render(ctx));
}

/** Route options of a page: hidden from the OpenAPI document; its path parameters typed. */
const hidden = { schema: { hide: true }, config: { policy: PUBLIC } };
const withParams = <P extends TSchema>(params: P) => ({ schema: { hide: true, params }, config: { policy: PUBLIC } });
const CodeParams = Type.Object({ code: Type.String() });
const FileParams = Type.Object({ file: Type.String() });
/** ?v= of a static file (any value, a repeated one too: only an exact match means the versioned address). */
const StaticQuery = Type.Object({ v: Type.Optional(Type.Unknown()) });

/**
 * A 404 page for any path no route matches (for the app's not-found handler to use on paths outside /api/):
 * Fastify's own answer is JSON.
 */
export function sendGuideNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const ctx = lenientContext(request);
  return sendHtml(reply, 404, errorPage(ctx, 404, ctx.t('errorNoPage', { path: ctx.path })));
}

/** The guide's error page for a refusal (a catalogue error): its status, its message in the reader's language. */
export function sendGuideError(request: FastifyRequest, reply: FastifyReply, error: HorizonError): FastifyReply {
  const ctx = lenientContext(request);
  return sendHtml(reply, error.status, errorPage(ctx, error.status, error.messageIn(ctx.lang), error.problems));
}

export interface GuideOptions {
  /** The database: search, the check page's data and the watch page's subscription forms read it. */
  readonly db: Database;
  /** As given to the API (config watch.allowPrivateWebhooks). */
  readonly allowPrivateWebhooks?: boolean;
  /** Rate limits of subscribing (config watch.limits). */
  readonly limits: SubscriptionLimits;
  /** A webhook's verification handshake. */
  readonly handshake: HandshakeOptions;
  /** The site's public address: feed links, JSON-LD ids, the private feed's link (never the request's Host). */
  readonly publicUrl: PublicUrl;
  /** Seals new webhook secrets (watch/secrets.ts). */
  readonly secrets: SecretBox;
  /** How long sign-in sessions last (config accounts). */
  readonly sessions?: SessionOptions | undefined;
  /** Config attention.reviewAfterDays (the workspace's review list); default 365. */
  readonly reviewAfterDays?: number;
  /** config editorial.selfApproval: the workspace pages show an author the buttons to approve his own change set. */
  readonly selfApproval?: boolean;
}

export async function registerGuide(
  app: FastifyInstance,
  repo: KnowledgeRepository,
  options: GuideOptions,
): Promise<void> {
  const { db } = options;
  const search = (request: SearchRequest) => searchKnowledgeBase(db, request);
  const checkCatalogue = (asOf: string) => loadCheckCatalogue(db, asOf);
  const developmentsOf = (since: string, markdowns: readonly string[], asOf: string) =>
    revisionDevelopments(db, since, markdowns, asOf);
  await app.register((guide, _options, done) => {
    // Every guide answer (pages, their errors, static files) carries the pages' policy; the rest of the security
    // headers come from http/security-headers.ts, for every response of the app.
    guide.addHook('onRequest', (_request, reply, next) => {
      reply.header('content-security-policy', CSP);
      next();
    });

    // Errors on guide routes are pages, not JSON.
    guide.setErrorHandler((error, request, reply) => {
      const refusal = requestError(error, request);
      if (refusal) return sendGuideError(request, reply, refusal);
      request.log.error(error);
      const ctx = lenientContext(request);
      return sendHtml(reply, 500, errorPage(ctx, 500, ctx.t('errorPageFailed')));
    });

    const r = guide.withTypeProvider<TypeBoxTypeProvider>();
    r.get('/', hidden, (request, reply) => sendPage(request, reply, (ctx) => homePage(ctx, repo)));
    r.get('/jurisdictions', hidden, (request, reply) =>
      sendPage(request, reply, (ctx) => jurisdictionsPage(ctx, repo)),
    );
    r.get('/jurisdictions/:code', withParams(CodeParams), (request, reply) =>
      sendPage(request, reply, (ctx) => jurisdictionPage(ctx, repo, request.params.code)),
    );
    r.get('/chapters/:code', withParams(CodeParams), (request, reply) =>
      sendPage(request, reply, (ctx) => chapterPage(ctx, repo, request.params.code)),
    );
    r.get('/articles/:id', withParams(IdParams), (request, reply) =>
      sendPage(
        request,
        reply,
        (ctx) => articlePage(ctx, repo, request.params.id, ctx.pageParams.revision, developmentsOf),
        () => ({
          revision: dayParam(request.query, 'revision'),
        }),
      ),
    );
    r.get('/articles/:id/revisions', withParams(IdParams), (request, reply) =>
      sendPage(request, reply, (ctx) => revisionsPage(ctx, repo, request.params.id)),
    );
    r.get('/articles/:id/compare', withParams(IdParams), (request, reply) =>
      sendPage(
        request,
        reply,
        (ctx) => comparePage(ctx, repo, request.params.id, ctx.pageParams.from, ctx.pageParams.to),
        () => ({ from: dayParam(request.query, 'from'), to: dayParam(request.query, 'to') }),
      ),
    );
    r.get('/instruments/:id', withParams(IdParams), (request, reply) =>
      sendPage(request, reply, (ctx) => instrumentPage(ctx, repo, request.params.id, options.publicUrl())),
    );
    r.get('/search', hidden, (request, reply) =>
      sendPage(
        request,
        reply,
        (ctx) => searchPage(ctx, search),
        () => searchPageParams(request),
      ),
    );

    // The check page runs its own script, so its policy allows scripts (and requests) from this origin.
    const checkPolicy = checkCsp(CSP);
    r.get('/check', hidden, (request, reply) =>
      sendPage(request, reply.header('content-security-policy', checkPolicy), (ctx) => checkPage(ctx, checkCatalogue)),
    );

    r.get('/topics', hidden, (request, reply) => sendPage(request, reply, (ctx) => topicsPage(ctx, repo)));
    r.get('/topics/:code', withParams(CodeParams), (request, reply) =>
      sendPage(request, reply, (ctx) => topicPage(ctx, repo, request.params.code)),
    );
    // The watch page's copy buttons are a script from this origin; its policy allows only that.
    const watchPolicy = watchCsp(CSP);
    r.get('/watch', hidden, (request, reply) =>
      sendPage(request, reply.header('content-security-policy', watchPolicy), async (ctx) =>
        watchPage(ctx, repo, options.publicUrl(), await loadChoices(repo)),
      ),
    );
    // Subscribe and manage forms (POST, form bodies parsed in their own scope only).
    void guide.register(subscriptionForms, {
      db,
      repo,
      allowPrivateWebhooks: options.allowPrivateWebhooks === true,
      csp: CSP,
      publicUrl: options.publicUrl,
      limits: options.limits,
      handshake: options.handshake,
      secrets: options.secrets,
    });
    // The editors' home page: what needs attention.
    void guide.register(attentionRoutes, { db, repo, reviewAfterDays: options.reviewAfterDays ?? 365 });

    // Sign-in, the account page and the admins' pages (form bodies parsed in their own scope).
    void guide.register(accountPages, { db, publicUrl: options.publicUrl, sessions: options.sessions });
    // The workspace's change-set pages (form bodies parsed in their own scope).
    void guide.register(editorPages, { db, repo, selfApproval: options.selfApproval === true });

    r.get(
      '/static/:file',
      { schema: { hide: true, params: FileParams, querystring: StaticQuery }, config: { policy: PUBLIC } },
      async (request, reply) => {
        const name = request.params.file;
        const asset = assets().get(name) ?? (await script(name));
        if (!asset) throw errors.notFound('file', name);
        const etag = `"${asset.version}"`;
        const versioned = request.query.v === asset.version;
        reply
          .header('etag', etag)
          .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        return reply.type(asset.type).send(asset.body);
      },
    );
    done();
  });
}
