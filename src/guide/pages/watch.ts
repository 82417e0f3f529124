// `/watch`: what can be watched, and the public feeds (all, each jurisdiction, each topic) and calendars as absolute
// addresses in read-only inputs, each with a "Copy" button (src/watch/browser/copy.ts, bundled as watch.js; without
// it the buttons stay hidden and the addresses can still be selected and copied by hand), then the subscription forms
// (pages/subscribe.ts, pages/manage.ts) when the app has a database for them.
import { CHANGE_KINDS } from '../../watch/types.ts';
import { FEED_TYPES, feedPaths, withLang } from '../../watch/feeds/feeds.service.ts';
import type { KnowledgeRepository } from '../../store/knowledge.repository.ts';
import type { PageContext } from '../context.ts';
import { copyField } from '../components.ts';
import { html, type SafeHtml } from '../../domain/html.ts';
import { changeKindLabel } from '../i18n.ts';
import { layout } from '../layout.ts';
import { scriptUrl } from '../scripts.ts';
import { withDirectives } from './check.ts';
import { manageForm } from './manage.ts';
import { EMPTY_VALUES, subscribeForm, type SubscribeChoices } from './subscribe.ts';
import { NO_ERRORS } from '../forms.ts';

/** The watch page's policy: the guide's, plus scripts from this origin (the copy buttons; they make no requests). */
export function watchCsp(guideCsp: string): string {
  return withDirectives(guideCsp, { 'script-src': "'self'" });
}

/** The Subscribe and Manage forms and how to verify webhooks. */
function subscriptionsSection(ctx: PageContext, choices: SubscribeChoices): SafeHtml {
  const { t } = ctx;
  return html`<h2 id="subscriptions-heading">${t('subHeading')}</h2>
    <p>${t('subIntro')}</p>
    ${subscribeForm(ctx, choices, EMPTY_VALUES, NO_ERRORS, 3)} ${manageForm(ctx, 3)}
    <section id="webhooks" aria-labelledby="webhooks-heading">
      <h3 id="webhooks-heading">${t('webhooksHeading')}</h3>
      <p>
        ${t('webhooksChallenge', {
          type: '{"type":"horizon.url_verification","challenge":"…"}',
          answer: '{"challenge":"…"}',
        })}
      </p>
      <p>${t('webhooksText')}</p>
      <p class="small">${t('webhooksRetries')}</p>
    </section>`;
}

interface Address {
  readonly id: string;
  readonly label: string;
  readonly url: string;
  /** Nesting of a jurisdiction (indents its row). */
  readonly depth?: number;
}

export async function watchPage(
  ctx: PageContext,
  repo: KnowledgeRepository,
  publicUrl: string,
  /** What the Subscribe form offers; left out, the page has no subscription forms (no database for them). */
  subscribeChoices?: SubscribeChoices,
): Promise<string> {
  const { t } = ctx;
  const [jurisdictions, taxonomy, script] = await Promise.all([
    repo.jurisdictions(),
    repo.taxonomy(),
    scriptUrl('watch.js'),
  ]);
  const abs = (path: string) => `${publicUrl}${withLang(path, ctx.lang)}`;
  const depth = new Map<string, number>();
  for (const j of jurisdictions) depth.set(j.code, j.parent ? (depth.get(j.parent) ?? 0) + 1 : 0);

  const field = (a: Address): SafeHtml =>
    html`<li class="copy-row copy-depth-${String(a.depth ?? 0)}">
      <label id="${a.id}-label" for="${a.id}">${a.label}</label>
      ${copyField(t, a.id, a.url, `${a.id}-label`)}
    </li>`;
  const list = (items: readonly Address[]) =>
    html`<ul class="copy-list">
      ${items.map(field)}
    </ul>`;

  const all: Address = { id: 'feed-all', label: t('watchAllFeed'), url: abs(feedPaths.all) };
  const byJurisdiction: Address[] = jurisdictions.map((j) => ({
    id: `feed-j-${j.code}`,
    label: ctx.text(j.name),
    url: abs(feedPaths.jurisdiction(j.code)),
    depth: depth.get(j.code) ?? 0,
  }));
  const byTopic: Address[] = taxonomy.topics.map((x) => ({
    id: `feed-t-${x.code}`,
    label: ctx.text(x.label),
    url: abs(feedPaths.topic(x.code)),
  }));
  const calendars: Address[] = [
    { id: 'calendar-all', label: t('calendarAll'), url: abs(feedPaths.calendar) },
    { id: 'calendar-effective', label: t('calendarEffective'), url: abs(`${feedPaths.calendar}?type=effective`) },
    {
      id: 'calendar-deadlines',
      label: t('calendarDeadlines'),
      url: abs(`${feedPaths.calendar}?type=comment-deadline`),
    },
  ];
  const example = `${publicUrl}${feedPaths.all}?kind=status-changed,effective-soon`;

  const main = html`<article class="watch-page" aria-labelledby="watch-title">
    <header class="page-header">
      <h1 id="watch-title">${t('watchTitle')}</h1>
      <p class="lede">${t('watchIntro')}</p>
      <p class="notice">${t('watchPrivacy')}</p>
    </header>
    <section aria-labelledby="watch-what-heading">
      <h2 id="watch-what-heading">${t('watchWhatHeading')}</h2>
      <p>${t('watchWhatIntro')}</p>
      <ul class="kind-list">
        ${CHANGE_KINDS.map(
          (k) => html`<li data-kind="${k}">${changeKindLabel(k, ctx.lang)} <code class="muted small">${k}</code></li>`,
        )}
      </ul>
      <p class="small">${t('watchKindParam')} <code class="break">${example}</code></p>
      <p class="small">${t('watchLangParam')}</p>
    </section>
    <section aria-labelledby="watch-feeds-heading" id="feeds">
      <h2 id="watch-feeds-heading">${t('watchFeedsHeading')}</h2>
      <p class="muted">${t('watchFeedsIntro')}</p>
      ${list([all])}
      <h3 id="watch-jurisdictions-heading">${t('watchByJurisdiction')}</h3>
      ${list(byJurisdiction)}
      <h3 id="watch-topics-heading">
        <a href="${ctx.href('/topics')}">${t('watchByTopic')}</a>
      </h3>
      ${list(byTopic)}
    </section>
    <section aria-labelledby="watch-calendars-heading" id="calendars">
      <h2 id="watch-calendars-heading">${t('watchCalendarsHeading')}</h2>
      <p class="muted">${t('watchCalendarsIntro')}</p>
      ${list(calendars)}
    </section>
    ${
      subscribeChoices
        ? html`<section aria-labelledby="subscriptions-heading" id="subscriptions" class="watch-subscriptions">
            ${subscriptionsSection(ctx, subscribeChoices)}
          </section>`
        : ''
    }
    <p id="copy-status" class="visually-hidden" role="status" aria-live="polite"></p>
  </article>`;
  return layout(ctx, {
    title: t('watchTitle'),
    description: t('watchIntro'),
    main,
    head: html`<script type="module" src="${script}"></script>`,
    breadcrumbs: [{ label: t('home'), href: ctx.href('/') }, { label: t('watchTitle') }],
    feeds: [
      { title: t('feedTitleAll'), href: withLang(feedPaths.all, ctx.lang), type: FEED_TYPES.atom },
      { title: t('calendarTitle'), href: withLang(feedPaths.calendar, ctx.lang), type: FEED_TYPES.calendar },
    ],
  });
}
