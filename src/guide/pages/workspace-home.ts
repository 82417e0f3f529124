// `/workspace`: the editors' home page, the list a knowledge team works from each morning (editorial/attention.ts):
// one section per kind of thing that needs attention, each with its count, each item linking to the thing.
import { html, type SafeHtml } from '../../domain/html.ts';
import type { Taxonomy } from '../../domain/types.ts';
import { AHEAD_DAYS, type Attention } from '../../editorial/attention.ts';
import { Labels } from '../components.ts';
import type { PageContext } from '../context.ts';
import { developmentList } from '../developments.ts';
import { statusLabel } from '../i18n.ts';
import { layout } from '../layout.ts';

interface Section {
  readonly id: string;
  readonly title: string;
  readonly count: number;
  readonly body: SafeHtml;
}

const time = (ctx: PageContext, date: string): SafeHtml => html`<time datetime="${date}">${ctx.date(date)}</time>`;

function sectionHtml(ctx: PageContext, s: Section): SafeHtml {
  return html`<section class="attention-section" id="${s.id}" aria-labelledby="${s.id}-heading" data-count="${s.count}">
    <h2 id="${s.id}-heading">${s.title} <span class="count">${s.count}</span></h2>
    ${s.count === 0 ? html`<p class="muted">${ctx.t('attention.none')}</p>` : s.body}
  </section>`;
}

function sections(ctx: PageContext, a: Attention, labels: Labels): Section[] {
  const { t } = ctx;
  const articleLink = (id: string, title: { en: string; zh: string }) =>
    html`<a href="${ctx.href(`/articles/${id}`)}">${ctx.text(title)}</a>`;
  const instrumentLink = (id: string, title: { en: string; zh: string }) =>
    html`<a href="${ctx.href(`/instruments/${id}`)}">${ctx.text(title)}</a>`;
  return [
    {
      id: 'developments',
      title: t('attention.section.developments'),
      count: a.developments.length,
      body: html`<ul class="attention-list">
        ${a.developments.map(
          (x) =>
            html`<li class="attention-item" data-article="${x.article.id}">
              ${articleLink(x.article.id, x.article.title)}:
              ${t('attention.developmentsSince', { n: x.developments.length, date: ctx.date(x.accurateUpTo) })}
              ${developmentList(ctx, labels, x.developments)}
            </li>`,
        )}
      </ul>`,
    },
    {
      id: 'programmes',
      title: t('attention.section.programmes'),
      count: a.programmes.length,
      body: html`<ul class="attention-list">
        ${a.programmes.map((x) => {
          const params = {
            instrument: ctx.text(x.instrument.title),
            status: statusLabel(x.instrument.status, ctx.lang),
            date: ctx.date(x.endedOn),
          };
          return html`<li class="attention-item" data-programme="${x.programme.id}" data-reason="${x.reason}">
            <a href="${ctx.href(`/instruments/${x.instrument.id}`)}">${ctx.text(x.programme.title)}</a>
            <p class="small">
              ${x.reason === 'in-effect' ? t('attention.programmeInEffect', params) : t('attention.programmeRecent', params)}
            </p>
          </li>`;
        })}
      </ul>`,
    },
    {
      id: 'upcoming',
      title: t('attention.section.upcoming', { days: AHEAD_DAYS }),
      count: a.upcoming.length,
      body: html`<ul class="attention-list">
        ${a.upcoming.map(
          (x) =>
            html`<li class="attention-item" data-instrument="${x.instrument}" data-type="${x.type}">
              ${instrumentLink(x.instrument, x.title)} — ${labels.get('event_types', x.type)},
              ${
                x.precision === 'day'
                  ? time(ctx, x.date)
                  : html`<time datetime="${x.date}">${t('attention.inPeriod', { date: ctx.date(x.date) })}</time>`
              }
              (${t('attention.inDays', { n: x.inDays })})${
                x.disputed ? html` <span class="tag tag-disputed">${t('attention.disputed')}</span>` : ''
              }
            </li>`,
        )}
      </ul>`,
    },
    {
      id: 'languages',
      title: t('attention.section.languages'),
      count: a.languages.length,
      body: html`<ul class="attention-list">
        ${a.languages.map(
          (x) =>
            html`<li class="attention-item" data-article="${x.article.id}" data-behind="${x.behind}">
              ${articleLink(x.article.id, x.article.title)}: ${t('attention.langBehind', { lang: x.behind })}.
              <span class="small muted"
                >${t('attention.langDates', {
                  en: x.en ? ctx.date(x.en) : t('attention.langMissing'),
                  zh: x.zh ? ctx.date(x.zh) : t('attention.langMissing'),
                })}</span
              >
            </li>`,
        )}
      </ul>`,
    },
    {
      id: 'reviews',
      title: t('attention.section.reviews'),
      count: a.reviews.length,
      body: html`<ul class="attention-list">
        ${a.reviews.map(
          (x) =>
            html`<li class="attention-item" data-article="${x.article.id}">
              ${articleLink(x.article.id, x.article.title)}:
              ${
                x.reviewBy !== null
                  ? t('attention.reviewBy', { n: x.overdueDays, date: ctx.date(x.reviewBy) })
                  : t('attention.reviewAge', {
                      date: ctx.date(x.accurateUpTo),
                      days: x.overdueDays + a.reviewAfterDays,
                    })
              }
            </li>`,
        )}
      </ul>`,
    },
    {
      id: 'changesets',
      title: t('attention.section.changesets'),
      count: a.review.count,
      body: html`<ul class="attention-list">
        ${a.review.waiting.map(
          (x) =>
            html`<li class="attention-item" data-changeset="${x.id}">
              <a href="${ctx.href(`/workspace/changesets/${x.id}`)}">${x.title}</a>
              <span class="small muted"
                >${t('attention.changesetItem', {
                  author: x.author.email,
                  date: ctx.date(x.submittedAt.slice(0, 10)),
                  n: x.waitingDays,
                })}</span
              >
            </li>`,
        )}
      </ul>`,
    },
    {
      id: 'deliveries',
      title: t('attention.section.deliveries'),
      count: a.deadDeliveries.count,
      body: html`<p>${t('attention.deadCount', { n: a.deadDeliveries.count })} ${t('attention.deadHint')}</p>
        <ul class="attention-list">
          ${a.deadDeliveries.newest.map(
            (x) =>
              html`<li class="attention-item" data-delivery="${x.id}">
                ${t('attention.deadItem', {
                  id: x.id,
                  channel: x.channel,
                  subscription: x.subscription,
                  attempts: x.attempts,
                  date: ctx.date(x.createdAt.slice(0, 10)),
                })}
              </li>`,
          )}
        </ul>`,
    },
  ];
}

export function workspaceHomePage(ctx: PageContext, attention: Attention, taxonomy: Taxonomy): string {
  const { t } = ctx;
  const labels = new Labels(taxonomy, ctx.lang);
  const list = sections(ctx, attention, labels);
  const main = html`<article class="workspace-home" aria-labelledby="workspace-title">
    <header class="page-header">
      <h1 id="workspace-title">${t('workspaceTitle')}</h1>
      <p class="lede">${t('workspaceIntro', { date: ctx.date(attention.asOf) })}</p>
    </header>
    <nav class="toc" aria-labelledby="workspace-toc">
      <h2 id="workspace-toc" class="small-heading">${t('workspaceContents')}</h2>
      <ul>
        ${list.map((s) => html`<li><a href="#${s.id}">${s.title}</a> (${s.count})</li>`)}
      </ul>
    </nav>
    ${list.map((s) => sectionHtml(ctx, s))}
  </article>`;
  return layout(ctx, {
    title: t('workspaceTitle'),
    main,
    breadcrumbs: [{ label: t('home'), href: ctx.href('/') }, { label: t('workspaceTitle') }],
  });
}
