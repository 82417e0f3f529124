// The watch page's subscription forms, without JavaScript: POST /watch/subscribe (the same validation, rate limits and
// storage as POST /api/v1/subscriptions), POST /watch/manage (the owner's subscriptions and deliveries), the Delete,
// Retry and Verify again buttons (POST /watch/subscriptions/:id/delete, …/deliveries/:delivery/retry, …/verify), and
// the confirmation of an e-mail subscription: GET /watch/confirm?token= (the link of the confirmation e-mail) only
// shows a page whose button POSTs the token to /watch/confirm, so a mail scanner that follows links confirms nothing.
// Tokens come in form bodies (and the confirmation link) only; every answer here is Cache-Control: no-store and
// Referrer-Policy: no-referrer. Form bodies are parsed (@fastify/formbody, 64 KiB) in this plugin's scope only, so the
// JSON API is untouched.
import formbody from '@fastify/formbody';
import { strictFormParser } from '../http/edge.ts';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { depthOf, treeOf } from '../domain/jurisdictions.ts';
import type { SubscriptionLimits } from '../config/config.ts';
import { HorizonError, RateLimited, problemMessage, type Problem } from '../errors.ts';
import { single, type PublicUrl } from '../http/params.ts';
import type { Database } from '../store/database.ts';
import type { SecretBox } from '../watch/secrets.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import {
  confirmSubscription,
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  manageSubscriptions,
  ownerTokenProblem,
  pendingConfirmation,
  retryDeadDelivery,
  subscriptionFeedPath,
  validateSubscription,
  verifyWebhook,
  type HandshakeOptions,
  type SubscriptionInput,
  type ValidSubscription,
} from '../watch/subscriptions.service.ts';
import { pageContext, type PageContext } from './context.ts';
import { confirmedPage, confirmInvalidPage, confirmPage } from './pages/confirm.ts';
import { managePage, tokenRefusedPage, type ManageNotice } from './pages/manage.ts';
import { subscribedPage, subscribeFormPage, type SubscribeChoices, type SubscribeValues } from './pages/subscribe.ts';
import { watchCsp } from './pages/watch.ts';
import { scriptUrl } from './scripts.ts';
import { CAPABILITY, PUBLIC } from '../accounts/types.ts';

/** The largest form body accepted. */
export const FORM_BODY_LIMIT = 64 * 1024;

export interface SubscriptionFormsOptions {
  readonly db: Database;
  readonly repo: KnowledgeRepository;
  /** As given to the API (config watch.allowPrivateWebhooks). */
  readonly allowPrivateWebhooks: boolean;
  /** The guide's content security policy (the page that shows secrets adds its Copy buttons' script). */
  readonly csp: string;
  /** The site's public address, for the private feed's link and to know this site's own Origin. */
  readonly publicUrl: PublicUrl;
  /** Seals new webhook secrets, opens stored ones for a handshake (watch/secrets.ts). */
  readonly secrets: SecretBox;
  /** As given to the API (config watch.limits). */
  readonly limits: SubscriptionLimits;
  /** As given to the API: a webhook's verification handshake. */
  readonly handshake: HandshakeOptions;
}

/** What the Subscribe form offers, from the store. */
export async function loadChoices(repo: KnowledgeRepository): Promise<SubscribeChoices> {
  const [jurisdictions, taxonomy, instruments] = await Promise.all([
    repo.jurisdictions(),
    repo.taxonomy(),
    repo.instrumentChoices(),
  ]);
  const tree = treeOf(jurisdictions);
  return {
    jurisdictions: jurisdictions.map((j) => ({ code: j.code, name: j.name, depth: depthOf(tree, j.code) })),
    topics: taxonomy.topics.map((x) => ({ code: x.code, label: x.label })),
    instruments,
  };
}

type Form = Readonly<Record<string, unknown>>;

function formOf(request: FastifyRequest): Form {
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Form) : {};
}

/** One field's text (the first when repeated), trimmed. */
function one(form: Form, name: string): string {
  const v = form[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim() : '';
}

/** A repeated field's values, without blanks and duplicates. */
function many(form: Form, name: string): string[] {
  const v = form[name];
  const list: unknown[] = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [
    ...new Set(
      list
        .filter((x): x is string => typeof x === 'string')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    ),
  ];
}

export function readValues(form: Form): SubscribeValues {
  return {
    channel: one(form, 'channel'),
    email: one(form, 'email'),
    url: one(form, 'url'),
    digest: one(form, 'digest') || 'none',
    jurisdictions: many(form, 'jurisdictions'),
    topics: many(form, 'topics'),
    instruments: many(form, 'instruments'),
    kinds: many(form, 'kinds'),
    effectiveInDays: one(form, 'effective_in_days'),
    deadlineInDays: one(form, 'comment_deadline_in_days'),
    label: one(form, 'label'),
    ownerToken: one(form, 'owner_token'),
  };
}

/** The form as the API's SubscriptionInput: only the chosen channel's target; blank numbers left out. */
export function toInput(v: SubscribeValues): SubscriptionInput {
  const days = (text: string) => (text === '' ? undefined : Number(text));
  const effective = days(v.effectiveInDays);
  const deadline = days(v.deadlineInDays);
  return {
    channel: v.channel,
    ...(v.channel === 'email' ? { email: v.email } : {}),
    ...(v.channel === 'webhook' ? { url: v.url } : {}),
    digest: v.digest,
    ...(v.label ? { label: v.label } : {}),
    watch: {
      jurisdictions: v.jurisdictions,
      topics: v.topics,
      instruments: v.instruments,
      kinds: v.kinds,
      ...(effective !== undefined ? { effective_in_days: effective } : {}),
      ...(deadline !== undefined ? { comment_deadline_in_days: deadline } : {}),
    },
  };
}

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

const isForbidden = (error: unknown) => error instanceof HorizonError && error.code === 'forbidden';
const isNotFound = (error: unknown) => error instanceof HorizonError && error.code === 'not_found';

/** Subscribe and manage forms (registered inside the guide's scope: its error pages and policy apply). */
export const subscriptionForms: FastifyPluginAsync<SubscriptionFormsOptions> = async (
  forms: FastifyInstance,
  options: SubscriptionFormsOptions,
) => {
  const { db, repo } = options;
  await forms.register(formbody, { bodyLimit: FORM_BODY_LIMIT, parser: strictFormParser });

  // Pages here may hold tokens: never cached, never named in a Referer.
  forms.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  // Forms are posted only from this site's own pages. Browsers say where a POST comes from (Sec-Fetch-Site; older
  // ones only Origin, which is "null" from these no-referrer pages): one from another site is refused, so no other
  // page can subscribe someone or use a token it learnt. Requests without either (curl, scripts) are let through.
  forms.addHook('preHandler', (request, _reply, done) => {
    if (request.method !== 'POST') return done();
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    const foreign = site
      ? site !== 'same-origin' && site !== 'none'
      : !!origin && origin !== 'null' && origin !== options.publicUrl(); // this site is its public URL only
    done(foreign ? new HorizonError('forbidden', { key: 'error.form.foreign' }) : undefined);
  });

  const routeOptions = { bodyLimit: FORM_BODY_LIMIT, schema: { hide: true }, config: { policy: CAPABILITY } };
  const publicForm = { ...routeOptions, config: { policy: PUBLIC } };

  // The forms' addresses asked for with GET (a reload, a language switch): back to the forms on /watch.
  const back = (anchor: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(request);
    return reply.redirect(`${ctx.href('/watch')}#${anchor}`, 303);
  };
  forms.get('/watch/subscribe', { schema: { hide: true }, config: { policy: PUBLIC } }, back('subscribe'));
  forms.get('/watch/manage', { schema: { hide: true }, config: { policy: PUBLIC } }, back('manage'));

  forms.post('/watch/subscribe', publicForm, async (request, reply) => {
    const ctx = pageContext(request);
    const values = readValues(formOf(request));
    const choices = await loadChoices(repo);
    const problems: Problem[] = [];
    let valid: ValidSubscription | undefined;
    try {
      valid = await validateSubscription(db, toInput(values), {
        allowPrivateWebhooks: options.allowPrivateWebhooks,
      });
    } catch (error) {
      if (!(error instanceof HorizonError && error.code === 'invalid_parameter')) throw error;
      problems.push(...error.problems);
    }
    // The service enforces this rule too; asked here first so the form lists it with the other problems.
    const ownerProblem = values.ownerToken === '' ? undefined : await ownerTokenProblem(db, values.ownerToken);
    if (ownerProblem) problems.push(ownerProblem);
    if (problems.length > 0 || !valid) return sendPage(reply, 400, subscribeFormPage(ctx, choices, values, problems));

    let created;
    try {
      created = await createSubscription(db, valid, values.ownerToken || undefined, {
        client: request.ip,
        lang: ctx.lang,
        limits: options.limits,
        handshake: options.handshake,
        secrets: options.secrets,
      });
    } catch (error) {
      // Over a limit: the form again, its values kept, the limit said at the top and by the field it concerns.
      if (!(error instanceof RateLimited)) throw error;
      reply.header('retry-after', String(error.retryAfter));
      return sendPage(reply, 429, subscribeFormPage(ctx, choices, values, error.problems));
    }
    const feedUrl = created.feedToken
      ? `${options.publicUrl()}${subscriptionFeedPath(created.subscription, created.feedToken)}`
      : undefined;
    reply.header('content-security-policy', watchCsp(options.csp));
    return sendPage(
      reply,
      200,
      subscribedPage(
        ctx,
        choices,
        {
          subscription: created.subscription,
          ...(created.ownerToken ? { ownerToken: created.ownerToken } : {}),
          ...(created.secret ? { secret: created.secret } : {}),
          ...(feedUrl ? { feedUrl } : {}),
        },
        await scriptUrl('watch.js'),
      ),
    );
  });

  /** The manage view of the token's subscriptions. */
  const manageView = async (
    ctx: PageContext,
    reply: FastifyReply,
    token: string,
    status = 200,
    notice?: ManageNotice,
  ) => {
    const [choices, items] = await Promise.all([loadChoices(repo), manageSubscriptions(db, token, 50)]);
    return sendPage(reply, status, managePage(ctx, choices, token, items, notice));
  };

  const refused = (ctx: PageContext, reply: FastifyReply, message: string) =>
    sendPage(reply, 403, tokenRefusedPage(ctx, message));

  forms.post('/watch/manage', routeOptions, async (request, reply) => {
    const ctx = pageContext(request);
    const token = one(formOf(request), 'token');
    if (token === '') return refused(ctx, reply, ctx.t('manageMissing'));
    if ((await listSubscriptions(db, token)).length === 0) return refused(ctx, reply, ctx.t('manageRefused'));
    return manageView(ctx, reply, token);
  });

  // The confirmation e-mail's link: a page with the button that confirms (a GET never changes anything).
  forms.get('/watch/confirm', { schema: { hide: true }, config: { policy: CAPABILITY } }, async (request, reply) => {
    const ctx = pageContext(request);
    try {
      const confirmToken = single(request.query, 'token') ?? '';
      const pending = await pendingConfirmation(db, confirmToken);
      return sendPage(reply, 200, confirmPage(ctx, pending, confirmToken));
    } catch (error) {
      if (isNotFound(error)) return sendPage(reply, 404, confirmInvalidPage(ctx));
      throw error;
    }
  });

  // The button: its only input is the token from the e-mail, which no other site can know (and the hook above
  // refuses posts from other sites anyway), so the form needs no separate CSRF token.
  forms.post('/watch/confirm', routeOptions, async (request, reply) => {
    const ctx = pageContext(request);
    try {
      const confirmed = await confirmSubscription(db, one(formOf(request), 'token'));
      const choices = await loadChoices(repo);
      return sendPage(reply, 200, confirmedPage(ctx, choices, confirmed));
    } catch (error) {
      if (isNotFound(error)) return sendPage(reply, 404, confirmInvalidPage(ctx));
      throw error;
    }
  });

  forms.post<{ Params: { id: string } }>('/watch/subscriptions/:id/verify', routeOptions, async (request, reply) => {
    const ctx = pageContext(request);
    const { id } = request.params;
    const token = one(formOf(request), 'token');
    if (token === '') return refused(ctx, reply, ctx.t('manageMissing'));
    try {
      const s = await verifyWebhook(db, id, token, {
        client: request.ip,
        limits: options.limits,
        handshake: options.handshake,
        secrets: options.secrets,
      });
      const notice: ManageNotice =
        s.status === 'active'
          ? { kind: 'ok', text: ctx.t('manageVerified', { id }) }
          : { kind: 'warn', text: ctx.t('manageNotVerified', { id, reason: s.verifyError ?? '' }) };
      return await manageView(ctx, reply, token, 200, notice);
    } catch (error) {
      if (isForbidden(error)) return refused(ctx, reply, ctx.t('manageRefused'));
      if (error instanceof RateLimited) {
        reply.header('retry-after', String(error.retryAfter));
        const text = error.problems.map((p) => problemMessage(p, ctx.lang)).join(' ');
        return manageView(ctx, reply, token, 429, { kind: 'warn', text });
      }
      throw error;
    }
  });

  forms.post<{ Params: { id: string } }>('/watch/subscriptions/:id/delete', routeOptions, async (request, reply) => {
    const ctx = pageContext(request);
    const { id } = request.params;
    const token = one(formOf(request), 'token');
    if (token === '') return refused(ctx, reply, ctx.t('manageMissing'));
    try {
      await deleteSubscription(db, id, token);
    } catch (error) {
      if (isForbidden(error)) return refused(ctx, reply, ctx.t('manageRefused'));
      throw error;
    }
    return manageView(ctx, reply, token, 200, { kind: 'ok', text: ctx.t('manageDeleted', { id }) });
  });

  forms.post<{ Params: { id: string; delivery: string } }>(
    '/watch/subscriptions/:id/deliveries/:delivery/retry',
    routeOptions,
    async (request, reply) => {
      const ctx = pageContext(request);
      const { id, delivery } = request.params;
      const token = one(formOf(request), 'token');
      if (token === '') return refused(ctx, reply, ctx.t('manageMissing'));
      const deliveryId = /^[1-9]\d{0,15}$/.test(delivery) ? Number(delivery) : NaN;
      try {
        const retried = await retryDeadDelivery(db, id, deliveryId, token);
        const text = ctx.t('manageRetried', { id: retried.id });
        return await manageView(ctx, reply, token, 200, { kind: 'ok', text });
      } catch (error) {
        if (isForbidden(error)) return refused(ctx, reply, ctx.t('manageRefused'));
        if (error instanceof HorizonError && error.code === 'conflict') {
          const text =
            error.text?.key === 'error.sub.confirmRetry'
              ? error.messageIn(ctx.lang)
              : ctx.t('manageNotDead', { id: deliveryId });
          return manageView(ctx, reply, token, 409, { kind: 'warn', text });
        }
        throw error;
      }
    },
  );
};
