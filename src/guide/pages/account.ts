// The accounts' pages: sign in (/login), your account and API tokens (/account), and for admins the users
// (/admin/users) and the audit log (/admin/audit). Every form posts with the session's CSRF token and works without
// JavaScript.
import type { AccountSummary, TokenRecord } from '../../accounts/accounts.service.ts';
import type { AuditRecord } from '../../accounts/audit.service.ts';
import { ROLES, SCOPES, type Role, type Scope } from '../../accounts/types.ts';
import { html, type SafeHtml } from '../../domain/html.ts';
import type { PageContext } from '../context.ts';
import { errorSummary, NO_ERRORS, textInput, type FormErrors } from '../forms.ts';
import { layout } from '../layout.ts';

/** The session's CSRF token as a hidden input (every form of these pages). */
function csrf(ctx: PageContext): SafeHtml {
  return ctx.account ? html`<input type="hidden" name="_csrf" value="${ctx.account.csrf}" />` : html``;
}

export interface LoginValues {
  readonly email: string;
  readonly next: string;
}

/** The sign-in form; `message`: why the last attempt failed (wrong password, throttled). */
export function loginPage(ctx: PageContext, values: LoginValues, errors: FormErrors = NO_ERRORS): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('auth.loginTitle'),
    noAsOf: true,
    main: html`<article class="account-page">
      <h1>${t('auth.loginTitle')}</h1>
      <p>${t('auth.loginIntro')}</p>
      ${errorSummary(t, errors)}
      <form class="sub-form login-form" method="post" action="/login${ctx.lang === 'zh' ? '?lang=zh' : ''}" novalidate>
        <input type="hidden" name="next" value="${values.next}" />
        ${textInput(t, errors, 'email', {
          id: 'login-email',
          name: 'email',
          label: t('auth.email'),
          value: values.email,
          type: 'email',
          extra: html`autocomplete="username" required spellcheck="false"`,
        })}
        ${textInput(t, errors, 'password', {
          id: 'login-password',
          name: 'password',
          label: t('auth.password'),
          value: '',
          type: 'password',
          extra: html`autocomplete="current-password" required`,
        })}
        <button type="submit" class="button-primary">${t('auth.signIn')}</button>
      </form>
      <p class="hint">${t('auth.noAccount')}</p>
    </article>`,
  });
}

function tokenStatus(ctx: PageContext, tk: TokenRecord): string {
  const { t } = ctx;
  return tk.revokedAt ? t('auth.tokenRevoked') : tk.expired ? t('auth.tokenExpired') : t('auth.tokenActive');
}

const instant = (text: string | null) =>
  text ? html`<time datetime="${text}">${text.replace('T', ' ').slice(0, 16)} UTC</time>` : '';

export interface AccountView {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
  readonly tokens: readonly TokenRecord[];
  /** A token just created: shown this once. */
  readonly created?: string | undefined;
  readonly errors?: FormErrors | undefined;
}

/** Your account: role, what it may do, your API tokens (create one, shown once; revoke). */
export function accountPage(ctx: PageContext, view: AccountView): string {
  const { t } = ctx;
  const errors = view.errors ?? NO_ERRORS;
  return layout(ctx, {
    title: t('auth.accountTitle'),
    noAsOf: true,
    main: html`<article class="account-page">
      <h1>${t('auth.accountTitle')}</h1>
      <dl class="facts">
        <dt>${t('auth.userName')}</dt>
        <dd>${view.name}</dd>
        <dt>${t('auth.email')}</dt>
        <dd>${view.email}</dd>
        <dt>${t('auth.role')}</dt>
        <dd>${t(`role.${view.role}`)}</dd>
        <dt>${t('auth.scopesOfRole')}</dt>
        <dd>${view.scopes.map((s) => html`<code>${s}</code> `)}</dd>
      </dl>
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">${t('auth.tokensTitle')}</h2>
        <p>${t('auth.tokensIntro')}</p>
        ${
          view.created
            ? html`<div class="secret-once" role="status">
                <p><strong>${t('auth.tokenCreated')}</strong></p>
                <p><code class="secret" id="new-token">${view.created}</code></p>
              </div>`
            : ''
        }
        ${
          view.tokens.length === 0
            ? html`<p class="muted">${t('auth.noTokens')}</p>`
            : html`<table class="data-table tokens">
                <thead>
                  <tr>
                    <th scope="col">${t('auth.tokenName')}</th>
                    <th scope="col">${t('auth.tokenScopes')}</th>
                    <th scope="col">${t('auth.tokenCreatedAt')}</th>
                    <th scope="col">${t('auth.tokenLastUsed')}</th>
                    <th scope="col">${t('auth.tokenExpiresAt')}</th>
                    <th scope="col">${t('auth.tokenStatus')}</th>
                    <th scope="col"><span class="visually-hidden">${t('auth.tokenRevoke')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${view.tokens.map(
                    (tk) =>
                      html`<tr data-token="${tk.id}">
                        <td>${tk.name}</td>
                        <td>${tk.scopes.map((s) => html`<code>${s}</code> `)}</td>
                        <td>${instant(tk.createdAt)}</td>
                        <td>${tk.lastUsedAt ? instant(tk.lastUsedAt) : t('auth.never')}</td>
                        <td>${tk.expiresAt ? instant(tk.expiresAt) : t('auth.never')}</td>
                        <td>${tokenStatus(ctx, tk)}</td>
                        <td>
                          ${
                            tk.revokedAt
                              ? ''
                              : html`<form method="post" action="${ctx.href(`/account/tokens/${tk.id}/revoke`)}">
                                  ${csrf(ctx)}
                                  <button type="submit" class="button-danger">
                                    ${t('auth.tokenRevoke')}<span class="visually-hidden"> ${tk.name}</span>
                                  </button>
                                </form>`
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
        <form
          class="sub-form"
          method="post"
          action="${ctx.href('/account/tokens')}"
          aria-labelledby="new-token-heading"
        >
          <h3 id="new-token-heading">${t('auth.tokenCreate')}</h3>
          ${errorSummary(t, errors)} ${csrf(ctx)}
          ${textInput(t, errors, 'name', { id: 'token-name', name: 'name', label: t('auth.tokenName'), value: '', type: 'text', extra: html`maxlength="200"` })}
          <fieldset class="form-group${errors.byField.has('scopes') ? ' form-group-error' : ''}" id="token-scopes">
            <legend>${t('auth.tokenScopes')}</legend>
            ${(errors.byField.get('scopes') ?? []).map((m) => html`<p class="field-error">${m}</p>`)}
            <ul class="check-list">
              ${view.scopes.map(
                (s) =>
                  html`<li class="check-item">
                    <input type="checkbox" id="scope-${s.replace(':', '-')}" name="scopes" value="${s}" />
                    <label for="scope-${s.replace(':', '-')}"><code>${s}</code></label>
                  </li>`,
              )}
            </ul>
          </fieldset>
          ${textInput(t, errors, 'expires_in_days', {
            id: 'token-expires',
            name: 'expires_in_days',
            label: t('auth.tokenExpiresIn'),
            value: '',
            type: 'number',
            extra: html`min="1" max="3650"`,
          })}
          <button type="submit" class="button-primary">${t('auth.tokenCreate')}</button>
        </form>
      </section>
    </article>`,
  });
}

/** Every account, with Change role and Disable (admins). */
export function usersPage(ctx: PageContext, users: readonly AccountSummary[]): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('auth.usersTitle'),
    noAsOf: true,
    main: html`<article class="account-page">
      <h1>${t('auth.usersTitle')}</h1>
      <p>${t('auth.usersIntro')}</p>
      <table class="data-table users">
        <thead>
          <tr>
            <th scope="col">${t('auth.userEmail')}</th>
            <th scope="col">${t('auth.userName')}</th>
            <th scope="col">${t('auth.role')}</th>
            <th scope="col">${t('auth.userStatus')}</th>
            <th scope="col"><span class="visually-hidden">${t('auth.disable')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${users.map(
            (u) =>
              html`<tr data-user="${u.id}">
                <td>${u.email}</td>
                <td>${u.name}</td>
                <td>
                  <form method="post" action="${ctx.href(`/admin/users/${u.id}/role`)}" class="inline-form">
                    ${csrf(ctx)}
                    <label class="visually-hidden" for="role-${u.id}">${t('auth.role')} ${u.email}</label>
                    <select id="role-${u.id}" name="role">
                      ${ROLES.map((r) => html`<option value="${r}" ${r === u.role ? html`selected` : ''}>${t(`role.${r}`)}</option>`)}
                    </select>
                    <button type="submit" class="button-secondary">${t('auth.setRole')}</button>
                  </form>
                </td>
                <td>${u.disabledAt ? t('auth.userDisabled') : t('auth.userActive')}</td>
                <td>
                  ${
                    u.disabledAt
                      ? ''
                      : html`<form method="post" action="${ctx.href(`/admin/users/${u.id}/disable`)}">
                          ${csrf(ctx)}
                          <button type="submit" class="button-danger">
                            ${t('auth.disable')}<span class="visually-hidden"> ${u.email}</span>
                          </button>
                        </form>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </article>`,
  });
}

export interface AuditView {
  readonly filter: { readonly actor: string; readonly action: string; readonly since: string };
  readonly records: readonly AuditRecord[];
  readonly errors?: FormErrors | undefined;
}

/** The audit log with its filters and the JSON Lines export of what is filtered (admins). */
export function auditPage(ctx: PageContext, view: AuditView): string {
  const { t } = ctx;
  const errors = view.errors ?? NO_ERRORS;
  const q = new URLSearchParams(
    Object.entries(view.filter).filter((e): e is [string, string] => e[1] !== ''),
  ).toString();
  return layout(ctx, {
    title: t('auth.auditTitle'),
    noAsOf: true,
    main: html`<article class="account-page">
      <h1>${t('auth.auditTitle')}</h1>
      <p>${t('auth.auditIntro')}</p>
      ${errorSummary(t, errors)}
      <form class="sub-form audit-filter" method="get" action="/admin/audit">
        ${ctx.lang === 'en' ? '' : html`<input type="hidden" name="lang" value="${ctx.lang}" />`}
        ${textInput(t, errors, 'actor', { id: 'audit-actor', name: 'actor', label: t('auth.auditActor'), value: view.filter.actor, type: 'text' })}
        ${textInput(t, errors, 'action', { id: 'audit-action', name: 'action', label: t('auth.auditAction'), value: view.filter.action, type: 'text' })}
        ${textInput(t, errors, 'since', { id: 'audit-since', name: 'since', label: t('auth.auditSince'), value: view.filter.since, type: 'text' })}
        <button type="submit" class="button-primary">${t('auth.auditFilter')}</button>
        <a href="/admin/audit.jsonl${q ? `?${q}` : ''}">${t('auth.auditExport')}</a>
      </form>
      ${
        view.records.length === 0
          ? html`<p class="muted">${t('auth.auditNone')}</p>`
          : html`<table class="data-table audit">
              <thead>
                <tr>
                  <th scope="col">${t('auth.auditWhen')}</th>
                  <th scope="col">${t('auth.auditWho')}</th>
                  <th scope="col">${t('auth.auditWhat')}</th>
                  <th scope="col">${t('auth.auditSubject')}</th>
                  <th scope="col">${t('auth.auditFrom')}</th>
                  <th scope="col">${t('auth.auditDetail')}</th>
                </tr>
              </thead>
              <tbody>
                ${view.records.map(
                  (r) =>
                    html`<tr>
                      <td>${instant(r.at)}</td>
                      <td>${r.actorEmail ?? t('auth.nobody')}</td>
                      <td><code>${r.action}</code></td>
                      <td>${r.subject ?? ''}</td>
                      <td>${r.address ?? ''}</td>
                      <td><code class="small">${JSON.stringify(r.detail)}</code></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </article>`,
  });
}

/** The scopes a role grants, in the catalogue's order. */
export function scopesIn(granted: ReadonlySet<Scope>): Scope[] {
  return SCOPES.filter((s) => granted.has(s));
}
