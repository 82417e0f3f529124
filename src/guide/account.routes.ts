// The accounts' pages over accounts/accounts.service.ts, without JavaScript: GET/POST /login (throttled; ?next= only
// to a path of this site), POST /logout, /account (your role and API tokens: create, shown once; revoke), and for
// admins /admin/users (change role, disable) and /admin/audit (filter; export as JSON Lines). Registered inside the
// guide's scope (its error pages apply); form bodies are parsed in this plugin's scope only. Every POST but the
// sign-in itself needs a session, so the policy hook (accounts/auth.ts) checks its CSRF token and Origin; sign-in
// has no session yet and is refused from other sites here.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  createToken,
  disableAccount,
  listAccounts,
  listTokens,
  login,
  logout,
  revokeToken,
  roleScopes,
  setRole,
  type SessionOptions,
} from '../accounts/accounts.service.ts';
import { clearSessionCookie, isForeign, requireActor, sessionCookieOf, setSessionCookie } from '../accounts/auth.ts';
import { auditFilter, exportAudit, listAudit, type AuditQuery } from '../accounts/audit.service.ts';
import { PUBLIC, SIGNED_IN, needs } from '../accounts/types.ts';
import { HorizonError, RateLimited, problemMessage } from '../errors.ts';
import { strictFormParser } from '../http/edge.ts';
import type { PublicUrl } from '../http/params.ts';
import type { Database } from '../store/database.ts';
import { pageContext, type PageContext } from './context.ts';
import type { FormErrors } from './forms.ts';
import { accountPage, auditPage, loginPage, usersPage } from './pages/account.ts';

export interface AccountPagesOptions {
  readonly db: Database;
  readonly publicUrl: PublicUrl;
  readonly sessions?: SessionOptions | undefined;
}

type Form = Readonly<Record<string, unknown>>;

function formOf(request: FastifyRequest): Form {
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Form) : {};
}

function one(form: Form, name: string): string {
  const v = form[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

function many(form: Form, name: string): string[] {
  const v = form[name];
  const list: unknown[] = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string');
}

/** Where to go after signing in: a path of this site only (not //host, not /\host), else /account. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n\\]/.test(next)) {
    return '/account';
  }
  return next.slice(0, 2000);
}

/** A catalogue error's problems as a form's errors, by field (scopes.0 → scopes). */
function formErrors(ctx: PageContext, error: HorizonError, fallbackField: string): FormErrors {
  const byField = new Map<string, string[]>();
  const summary: { anchor: string; text: string }[] = [];
  const problems = error.problems.length ? error.problems : [{ where: fallbackField, message: error.message }];
  for (const p of problems) {
    const field = (p.where.split('.')[0] ?? fallbackField) || fallbackField;
    const text = error.problems.length ? problemMessage(p, ctx.lang) : error.messageIn(ctx.lang);
    byField.set(field, [...(byField.get(field) ?? []), text]);
    summary.push({ anchor: field, text });
  }
  return { byField, summary };
}

function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

const doer = (request: FastifyRequest) => {
  const a = requireActor(request);
  return { by: { accountId: a.accountId, email: a.email }, address: request.ip };
};

/** The accounts' pages (registered inside the guide's scope). */
export const accountPages: FastifyPluginAsync<AccountPagesOptions> = async (
  pages: FastifyInstance,
  options: AccountPagesOptions,
) => {
  const { db } = options;
  await pages.register(formbody, { bodyLimit: 16 * 1024, parser: strictFormParser });
  pages.addHook('onSend', async (_request, reply, payload) => {
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  const page = (policy = SIGNED_IN) => ({ schema: { hide: true }, config: { policy } });
  const admin = page(needs('admin'));

  pages.get('/login', page(PUBLIC), async (request, reply) => {
    const ctx = pageContext(request);
    const next = safeNext(one(request.query as Form, 'next'));
    return sendHtml(reply, 200, loginPage(ctx, { email: '', next }));
  });

  pages.post('/login', page(PUBLIC), async (request, reply) => {
    const ctx = pageContext(request);
    // No session yet, so no CSRF token: a sign-in posted from another site is refused (login CSRF).
    if (isForeign(request, options.publicUrl())) throw new HorizonError('forbidden', { key: 'error.form.foreign' });
    const form = formOf(request);
    const email = one(form, 'email').trim();
    const next = safeNext(one(form, 'next'));
    try {
      const done = await login(db, { email, password: one(form, 'password'), address: request.ip }, options.sessions);
      // A session opened from an older cookie is not kept: the new id replaces it (no fixation).
      const old = sessionCookieOf(request.headers.cookie);
      if (old) await logout(db, old, request.ip);
      setSessionCookie(reply, done.cookie);
      return reply.redirect(next, 303);
    } catch (error) {
      if (error instanceof RateLimited) {
        reply.header('retry-after', String(error.retryAfter));
        return sendHtml(reply, 429, loginPage(ctx, { email, next }, formErrors(ctx, error, 'email')));
      }
      if (error instanceof HorizonError && error.code === 'unauthorized') {
        return sendHtml(reply, 401, loginPage(ctx, { email, next }, formErrors(ctx, error, 'password')));
      }
      throw error;
    }
  });

  pages.post('/logout', page(), async (request, reply) => {
    pageContext(request); // ?lang= and ?as_of= checked as on every page
    const value = sessionCookieOf(request.headers.cookie);
    if (value) await logout(db, value, request.ip);
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: { created?: string; errors?: FormErrors } = {},
  ) {
    const ctx = pageContext(request);
    const a = requireActor(request);
    const tokens = await listTokens(db, a.accountId);
    return sendHtml(
      reply,
      status,
      accountPage(ctx, { email: a.email, name: a.name, role: a.role, scopes: roleScopes(a.role), tokens, ...extra }),
    );
  }

  pages.get('/account', page(), (request, reply) => showAccount(request, reply, 200));

  pages.post('/account/tokens', page(), async (request, reply) => {
    const ctx = pageContext(request);
    const form = formOf(request);
    const days = one(form, 'expires_in_days').trim();
    try {
      const created = await createToken(
        db,
        requireActor(request).accountId,
        {
          name: one(form, 'name'),
          scopes: many(form, 'scopes'),
          expiresInDays: days === '' ? undefined : Number(days),
        },
        doer(request),
      );
      return await showAccount(request, reply, 201, { created: created.token });
    } catch (error) {
      if (error instanceof HorizonError && error.code === 'invalid_parameter') {
        return showAccount(request, reply, 400, { errors: formErrors(ctx, error, 'scopes') });
      }
      throw error;
    }
  });

  pages.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', page(), async (request, reply) => {
    await revokeToken(db, request.params.id, doer(request), requireActor(request).accountId);
    return reply.redirect(pageContext(request).href('/account'), 303);
  });

  pages.get('/admin/users', admin, async (request, reply) =>
    sendHtml(reply, 200, usersPage(pageContext(request), await listAccounts(db))),
  );

  pages.post<{ Params: { id: string } }>('/admin/users/:id/role', admin, async (request, reply) => {
    await setRole(db, request.params.id, one(formOf(request), 'role'), doer(request));
    return reply.redirect(pageContext(request).href('/admin/users'), 303);
  });

  pages.post<{ Params: { id: string } }>('/admin/users/:id/disable', admin, async (request, reply) => {
    await disableAccount(db, request.params.id, doer(request));
    return reply.redirect(pageContext(request).href('/admin/users'), 303);
  });

  const auditQuery = (request: FastifyRequest): AuditQuery => {
    const q = request.query as Form;
    const text = (name: string) => {
      const v = q[name];
      return typeof v === 'string' ? v : '';
    };
    return { actor: text('actor'), action: text('action'), since: text('since') };
  };

  pages.get('/admin/audit', admin, async (request, reply) => {
    const ctx = pageContext(request);
    const query = auditQuery(request);
    const filter = { actor: query.actor ?? '', action: query.action ?? '', since: query.since ?? '' };
    try {
      auditFilter(query);
    } catch (error) {
      if (error instanceof HorizonError && error.code === 'invalid_parameter') {
        return sendHtml(reply, 400, auditPage(ctx, { filter, records: [], errors: formErrors(ctx, error, 'since') }));
      }
      throw error;
    }
    return sendHtml(reply, 200, auditPage(ctx, { filter, records: await listAudit(db, { ...query, limit: 200 }) }));
  });

  pages.get('/admin/audit.jsonl', admin, async (request, reply) => {
    pageContext(request);
    const lines: string[] = [];
    for await (const line of exportAudit(db, auditQuery(request))) lines.push(line);
    return reply
      .type('application/jsonl; charset=utf-8')
      .header('content-disposition', 'attachment; filename="horizon-audit.jsonl"')
      .header('cache-control', 'no-store')
      .send(lines.join(''));
  });
};
