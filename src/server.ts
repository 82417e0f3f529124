// The web application, the one place that wires the edges together: API routes, the OpenAPI document, guide pages
// and feeds, and one error handler for all of them. The composition root: it may import every edge (`horizon serve`
// and the tests build the app here); no edge imports another.
import type { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  DEFAULT_HTTP_LIMITS,
  DEFAULT_LIMITS,
  type HttpLimits,
  type SubscriptionLimits,
  type TrustProxy,
} from './config/config.ts';
import { RateLimited, errors } from './errors.ts';
import { clientErrorHandler, internalError, refuseHostileInput, requestError } from './http/edge.ts';
import { lazySerializers, lazyValidators } from './http/lazy-compilers.ts';
import { loggerOptions } from './http/logging.ts';
import { publicUrlOf } from './http/params.ts';
import { recordRoutes } from './http/route-table.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import type { SecretBox } from './watch/secrets.ts';
import { requestLanguage } from './i18n/languages.ts';
import type { Database } from './store/database.ts';
import { KnowledgeRepository } from './store/knowledge.repository.ts';
import { registerInstrumentRoutes } from './api/instruments.routes.ts';
import { registerArticleRoutes } from './api/articles.routes.ts';
import { registerSearchRoutes } from './search/search.routes.ts';
import { registerRelevanceRoutes } from './relevance/relevance.routes.ts';
import { registerGuide, sendGuideError, sendGuideNotFound } from './guide/guide.routes.ts';
import { registerFeedRoutes, registerSubscriptionFeedRoutes } from './guide/feeds.routes.ts';
import { registerWatchRoutes } from './watch/watch.routes.ts';
import { registerChangesetRoutes } from './editorial/changesets.routes.ts';
import { registerAccountRoutes } from './accounts/accounts.routes.ts';
import { PUBLIC } from './accounts/types.ts';
import { registerAuth } from './accounts/auth.ts';
import type { SessionOptions } from './accounts/accounts.service.ts';
import { registerDevelopmentRoutes } from './editorial/developments.routes.ts';

export interface AppOptions {
  readonly db: Database;
  readonly logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Where log lines go (default stdout); tests capture them. */
  readonly logStream?: Writable;
  /**
   * The site's public address, the only source of absolute links (config watch.publicUrl); when not given, the
   * address the server listens on. Never a request's Host or X-Forwarded-Host.
   */
  readonly publicUrl?: string | undefined;
  /** Which proxies' X-Forwarded-For/-Proto to believe (config http.trustProxy; default none). */
  readonly trustProxy?: TrustProxy;
  /** Seals and opens webhook secrets with the configured key (watch/secrets.ts). */
  readonly secrets: SecretBox;
  /** Let webhook subscriptions name private and loopback addresses (config watch.allowPrivateWebhooks). */
  readonly allowPrivateWebhooks?: boolean;
  /** Rate limits of subscribing (config watch.limits); default DEFAULT_LIMITS. */
  readonly limits?: SubscriptionLimits;
  /** How long a webhook's receiver may take to answer its verification challenge (config watch.webhookTimeoutMs). */
  readonly webhookTimeoutMs?: number;
  /** Timeouts for slow and idle clients and the connection cap (config http.limits); default DEFAULT_HTTP_LIMITS. */
  readonly http?: HttpLimits;
  /** Authors may approve and publish their own change sets (config editorial.selfApproval); default false. */
  readonly editorialSelfApproval?: boolean;
  /** How long sign-in sessions last (config accounts); default DEFAULT_SESSIONS. */
  readonly sessions?: SessionOptions;
  /** Days after which an article without review_by is due for review (config attention.reviewAfterDays). */
  readonly reviewAfterDays?: number;
}

/**
 * The server's options for slow and idle clients. Node checks the header and request deadlines on a timer
 * (connectionsCheckingInterval, 30 s by default, which would let a trickling client stay up to 30 s past them), so
 * it runs at a quarter of the shorter deadline, at most once a second.
 */
function clientLimits(limits: HttpLimits) {
  const interval = Math.max(
    25,
    Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
  );
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: interval },
  };
}

/** Fastify's trustProxy: a hop count becomes the function Fastify's types ask for (trust the nearest n hops). */
function trustProxyOption(
  trust: TrustProxy | undefined,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'object' ? [...trust] : (trust ?? false);
}

/**
 * The one answer to a failed request: the catalogue error (errors.ts; http/edge.ts turns the framework's and the
 * schemas' refusals into catalogue errors) as `{"error":{"code","message","problems"}}` in the reader's language; a
 * fault of ours is logged and answered as `internal`, with no detail.
 */
function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const refusal = requestError(error, request);
  if (!refusal) request.log.error(error);
  const answer = refusal ?? internalError();
  if (answer instanceof RateLimited) reply.header('retry-after', String(answer.retryAfter));
  return reply
    .status(answer.status)
    .send(answer.body(requestLanguage(request.query, request.headers['accept-language'])));
}

/** Builds the app (not yet listening). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logLevel && options.logLevel !== 'silent' ? loggerOptions(options.logLevel, options.logStream) : false,
    trustProxy: trustProxyOption(options.trustProxy),
    bodyLimit: 1024 * 1024,
    ...clientLimits(options.http ?? DEFAULT_HTTP_LIMITS),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: lazySerializers() } },
    // The framework's own refusals (a URL that is not UTF-8, a path parameter too long) answered like every error:
    // the API's JSON error shape under /api/, the guide's error page elsewhere.
    frameworkErrors: (error, request, reply) => {
      const refusal = requestError(error, request) ?? internalError();
      if (request.url.startsWith('/api/')) sendError(refusal, request, reply);
      else sendGuideError(request, reply, refusal);
    },
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  const publicUrl = publicUrlOf(options.publicUrl, app.server);
  registerSecurityHeaders(app, { https: options.publicUrl?.trim().startsWith('https://') === true });

  await app.register(swagger, {
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Horizon API',
        version: '1.0.0',
        description:
          'AI and digital-asset regulation as structured, cited, bilingual data, with status as of any date.',
      },
      servers: [],
      components: {
        securitySchemes: {
          profileToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The token returned when the profile was saved.',
          },
          ownerToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The owner token returned when the first subscription was made.',
          },
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An account API token (hzn_…), made on the account page or with `horizon tokens create`.',
          },
        },
      },
    },
  });

  recordRoutes(app);
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  // Refusals of NUL, lone surrogates, bad percent-encodings and bad Host headers, for every route registered below.
  refuseHostileInput(app);
  // request.actor, every route's policy (a route without one fails here) and CSRF checks, for every route below.
  registerAuth(app, {
    db: options.db,
    sessions: options.sessions,
    publicUrl,
    secureCookies: options.publicUrl?.trim().startsWith('https://') === true,
  });

  // Connections beyond the cap are closed as they arrive (net.Server), before any byte is read.
  app.server.maxConnections = (options.http ?? DEFAULT_HTTP_LIMITS).maxConnections;

  const repo = new KnowledgeRepository(options.db);
  app.get('/api/openapi.json', { schema: { hide: true }, config: { policy: PUBLIC } }, () => app.swagger());
  app.get('/healthz', { schema: { hide: true }, config: { policy: PUBLIC } }, async () => {
    await repo.ping();
    return { ok: true };
  });
  registerInstrumentRoutes(app, repo);
  registerArticleRoutes(app, repo);
  registerDevelopmentRoutes(app, options.db);
  registerSearchRoutes(app, options.db);
  registerRelevanceRoutes(app, options.db);
  const feeds = { db: options.db, repo, publicUrl };
  registerFeedRoutes(app, feeds);
  registerSubscriptionFeedRoutes(app, feeds);
  const subscribing = {
    allowPrivateWebhooks: options.allowPrivateWebhooks === true,
    limits: options.limits ?? DEFAULT_LIMITS,
    handshake: { allowPrivate: options.allowPrivateWebhooks === true, timeoutMs: options.webhookTimeoutMs ?? 10_000 },
    publicUrl,
    secrets: options.secrets,
  };
  registerWatchRoutes(app, options.db, subscribing);
  registerChangesetRoutes(app, { db: options.db, selfApproval: options.editorialSelfApproval === true });
  registerAccountRoutes(app, options.db);
  await registerGuide(app, repo, {
    db: options.db,
    ...subscribing,
    sessions: options.sessions,
    ...(options.reviewAfterDays ? { reviewAfterDays: options.reviewAfterDays } : {}),
    selfApproval: options.editorialSelfApproval === true,
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return sendError(errors.noRoute(request.method, request.url.split('?')[0] ?? request.url), request, reply);
    }
    return sendGuideNotFound(request, reply);
  });
  return app;
}
