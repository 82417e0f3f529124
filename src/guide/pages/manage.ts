// The Manage view of the watch page (POST /watch/manage): an owner's subscriptions with their status, their deliveries
// and failed deliveries with Delete and Retry buttons (and Verify again for an unverified webhook); the owner token
// travels in hidden form fields, never in addresses.
import type { Translate } from '../../i18n/messages.ts';
import { DELIVERY_STATES, type Delivery, type DeliveryState } from '../../watch/outbox.store.ts';
import type { Subscription } from '../../watch/types.ts';
import type { PageContext } from '../context.ts';
import { html, type SafeHtml } from '../../domain/html.ts';
import { layout } from '../layout.ts';
import { channelLabel, crumbs, summaryRows, when, type SubscribeChoices } from './subscribe.ts';

/** A subscription with what its owner sees of its deliveries. */
export interface ManagedSubscription {
  readonly subscription: Subscription;
  readonly counts: Readonly<Record<DeliveryState, number>>;
  readonly dead: readonly Delivery[];
}

function stateLabel(t: Translate, state: DeliveryState): string {
  const labels: Record<DeliveryState, string> = {
    pending: t('statePending'),
    sending: t('stateSending'),
    delivered: t('stateDelivered'),
    dead: t('stateDead'),
  };
  return labels[state];
}

export function manageForm(ctx: PageContext, headingLevel: 2 | 3): SafeHtml {
  const { t } = ctx;
  const heading =
    headingLevel === 2
      ? html`<h2 id="manage-heading">${t('manageHeading')}</h2>`
      : html`<h3 id="manage-heading">${t('manageHeading')}</h3>`;
  return html`<form
    id="manage"
    class="sub-form manage-form"
    method="post"
    action="${ctx.href('/watch/manage')}"
    aria-labelledby="manage-heading"
  >
    ${heading}
    <p class="hint" id="manage-token-hint">${t('manageIntro')}</p>
    <div class="form-group">
      <label for="manage-token">${t('manageToken')}</label>
      <input
        type="password"
        id="manage-token"
        name="token"
        required
        autocomplete="off"
        spellcheck="false"
        aria-describedby="manage-token-hint"
      />
    </div>
    <button type="submit" class="button-primary">${t('manageSubmit')}</button>
  </form>`;
}

/** Names of what a subscription watches, in the page's language. */
function deliveries(ctx: PageContext, token: string, m: ManagedSubscription): SafeHtml {
  const { t } = ctx;
  const s = m.subscription;
  if (s.channel === 'atom' || s.channel === 'ical') return html`<p class="muted small">${t('manageFeedNote')}</p>`;
  const base = `/watch/subscriptions/${encodeURIComponent(s.id)}`;
  return html`<section class="sub-deliveries" aria-labelledby="deliveries-${s.id}">
    <h3 id="deliveries-${s.id}">${t('manageDeliveries')}</h3>
    <ul class="delivery-counts">
      ${DELIVERY_STATES.map(
        (state) =>
          html`<li data-state="${state}">${stateLabel(t, state)}: <strong>${String(m.counts[state])}</strong></li>`,
      )}
    </ul>
    <h4>${t('manageDeadHeading')}</h4>
    ${
      m.dead.length === 0
        ? html`<p class="muted small">${t('manageNoDead')}</p>`
        : html`<table class="dead-letters">
            <thead>
              <tr>
                <th scope="col">${t('manageDelivery')}</th>
                <th scope="col">${t('subCreated')}</th>
                <th scope="col">${t('manageTries')}</th>
                <th scope="col">${t('manageLastError')}</th>
                <th scope="col"><span class="visually-hidden">${t('manageRetry')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${m.dead.map(
                (d) =>
                  html`<tr data-delivery="${String(d.id)}">
                    <th scope="row">${String(d.id)}</th>
                    <td><time datetime="${d.createdAt}">${when(d.createdAt)}</time></td>
                    <td>${String(d.attempts)}</td>
                    <td class="break">${d.lastError ?? ''}</td>
                    <td>
                      <form method="post" action="${ctx.href(`${base}/deliveries/${d.id}/retry`)}">
                        <input type="hidden" name="token" value="${token}" />
                        <button type="submit" class="button-secondary">
                          ${t('manageRetry')}<span class="visually-hidden">
                            ${t('manageDelivery')} ${String(d.id)}</span
                          >
                        </button>
                      </form>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

/** An unverified webhook's Verify again button (its handshake is run again). */
function verifyButton(ctx: PageContext, token: string, s: Subscription): SafeHtml {
  if (s.channel !== 'webhook' || s.status === 'active') return html``;
  return ownerAction(ctx, token, s, 'verify', ctx.t('manageVerify'), 'button-secondary');
}

/** A button that posts the owner's token to /watch/subscriptions/ID/ACTION (its label names the subscription). */
function ownerAction(
  ctx: PageContext,
  token: string,
  s: Subscription,
  action: 'verify' | 'delete',
  label: string,
  buttonClass: string,
): SafeHtml {
  return html`<form
    class="${action}-form"
    method="post"
    action="${ctx.href(`/watch/subscriptions/${encodeURIComponent(s.id)}/${action}`)}"
  >
    <input type="hidden" name="token" value="${token}" />
    <button type="submit" class="${buttonClass}">
      ${label}<span class="visually-hidden"> ${ctx.t('subId')} ${s.id}</span>
    </button>
  </form>`;
}

export interface ManageNotice {
  readonly kind: 'ok' | 'warn';
  readonly text: string;
}

function notice(n: ManageNotice | undefined): SafeHtml {
  if (!n) return html``;
  return html`<div class="flash flash-${n.kind}" role="status">
    <p><strong>${n.kind === 'ok' ? '✓' : '!'}</strong> ${n.text}</p>
  </div>`;
}

/** The owner's subscriptions with Delete and Retry buttons that carry the token in a hidden field. */
export function managePage(
  ctx: PageContext,
  choices: SubscribeChoices,
  token: string,
  items: readonly ManagedSubscription[],
  message?: ManageNotice,
): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('manageTitle'),
    noAsOf: true,
    breadcrumbs: crumbs(ctx, t('manageTitle')),
    main: html`<article class="watch-page sub-page" aria-labelledby="manage-title">
      <header class="page-header">
        <h1 id="manage-title">${t('manageTitle')}</h1>
      </header>
      ${notice(message)}
      ${
        items.length === 0
          ? html`<p>${t('manageNone')}</p>`
          : html`<ol class="sub-list">
              ${items.map((m) => {
                const s = m.subscription;
                return html`<li class="sub-item" id="sub-${s.id}" data-subscription="${s.id}">
                  <h2 class="sub-item-title">
                    ${s.label ?? channelLabel(t, s.channel)} <code class="muted small">${s.id}</code>
                  </h2>
                  ${summaryRows(ctx, choices, s)} ${verifyButton(ctx, token, s)} ${deliveries(ctx, token, m)}
                  ${ownerAction(ctx, token, s, 'delete', t('manageDelete'), 'button-danger')}
                </li>`;
              })}
            </ol>`
      }
      <p>
        <a href="${ctx.href('/watch')}#subscribe">${t('subAddAnother')}</a>
      </p>
    </article>`,
  });
}

/** A missing or wrong owner token (status 403): what went wrong, and the Manage form to try again. */
export function tokenRefusedPage(ctx: PageContext, message: string): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('manageRefusedTitle'),
    noAsOf: true,
    breadcrumbs: crumbs(ctx, t('manageRefusedTitle')),
    main: html`<article class="watch-page sub-page error-page">
      <p class="eyebrow">HTTP 403</p>
      <h1>${t('manageRefusedTitle')}</h1>
      <div class="error-summary" role="alert">
        <p class="error-message"><strong class="error-prefix">${t('errorPrefix')}</strong> ${message}</p>
      </div>
      <p>${t('manageTryAgain')}:</p>
      ${manageForm(ctx, 2)}
    </article>`,
  });
}
