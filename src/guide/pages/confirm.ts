// The pages of an e-mail subscription's confirmation: the page the e-mail's link opens (what is confirmed, and the
// button that confirms it: a GET changes nothing, so mail scanners that fetch links confirm nothing), the page after
// the button, and the page of a link that cannot be used (spent, expired or cut short).
import { html } from '../../domain/html.ts';
import type { Subscription } from '../../watch/types.ts';
import type { PageContext } from '../context.ts';
import { layout } from '../layout.ts';
import { crumbs, summaryRows, type SubscribeChoices } from './subscribe.ts';

/** The confirmation link's page: the address and the button (a POST of the link's token). */
export function confirmPage(ctx: PageContext, s: Subscription, confirmToken: string): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('confirmTitle'),
    noAsOf: true,
    breadcrumbs: crumbs(ctx, t('confirmTitle')),
    main: html`<article class="watch-page sub-page" aria-labelledby="confirm-title">
      <header class="page-header">
        <h1 id="confirm-title">${t('confirmTitle')}</h1>
        <p class="lede">${t('confirmIntro', { email: s.target ?? '' })}</p>
      </header>
      <form id="confirm" class="sub-form" method="post" action="${ctx.href('/watch/confirm')}">
        <input type="hidden" name="token" value="${confirmToken}" />
        <button type="submit" class="button-primary">${t('confirmButton')}</button>
      </form>
      <p class="muted">${t('confirmIgnore')}</p>
    </article>`,
  });
}

/** After the button: the subscription is active. */
export function confirmedPage(ctx: PageContext, choices: SubscribeChoices, s: Subscription): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('confirmDoneTitle'),
    noAsOf: true,
    breadcrumbs: crumbs(ctx, t('confirmDoneTitle')),
    main: html`<article class="watch-page sub-page" aria-labelledby="confirmed-title">
      <header class="page-header">
        <h1 id="confirmed-title">${t('confirmDoneTitle')}</h1>
        <p class="lede">${t('confirmDone', { email: s.target ?? '' })}</p>
      </header>
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">${t('subSummary')}</h2>
        ${summaryRows(ctx, choices, s)}
      </section>
      <p><a href="${ctx.href('/watch')}#manage">${t('manageHeading')}</a></p>
    </article>`,
  });
}

/** A confirmation link that cannot be used (status 404). */
export function confirmInvalidPage(ctx: PageContext): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('confirmInvalidTitle'),
    noAsOf: true,
    breadcrumbs: crumbs(ctx, t('confirmInvalidTitle')),
    main: html`<article class="watch-page sub-page error-page">
      <p class="eyebrow">HTTP 404</p>
      <h1>${t('confirmInvalidTitle')}</h1>
      <p class="error-message">${t('confirmInvalid')}</p>
      <p><a href="${ctx.href('/watch')}#subscribe">${t('subFormHeading')}</a></p>
    </article>`,
  });
}
