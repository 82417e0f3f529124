// `/`: the guide's chapters in order with their articles, what changes around the as-of date, and the jurisdictions.
import { eventDay } from '../../domain/status.ts';
import { addDays } from '../../domain/dates.ts';
import type { Jurisdiction } from '../../domain/types.ts';
import type { KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { Labels } from '../components.ts';
import type { PageContext } from '../context.ts';
import { html, type SafeHtml } from '../../domain/html.ts';
import { layout } from '../layout.ts';
import { FEED_TYPES, feedPaths, withLang } from '../../watch/feeds/feeds.service.ts';

/** The jurisdiction tree as nested lists. */
export function jurisdictionTree(ctx: PageContext, all: readonly Jurisdiction[], parent?: string): SafeHtml {
  const level = all.filter((j) => j.parent === parent);
  if (level.length === 0) return html``;
  return html`<ul class="tree">
    ${level.map(
      (j) =>
        html`<li>
          <a href="${ctx.href(`/jurisdictions/${j.code}`)}">${ctx.text(j.name)}</a>${jurisdictionTree(ctx, all, j.code)}
        </li>`,
    )}
  </ul>`;
}

interface Dated {
  readonly day: string;
  readonly date: string;
  readonly id: string;
  readonly title: string;
  readonly type: string;
}

export async function homePage(ctx: PageContext, repo: KnowledgeRepository): Promise<string> {
  const { t } = ctx;
  const [chapters, articles, jurisdictions, taxonomy, all] = await Promise.all([
    repo.chapters(),
    repo.articles(),
    repo.jurisdictions(),
    repo.taxonomy(),
    repo.instruments({ asOf: '9999-12-31' }),
  ]);
  const labels = new Labels(taxonomy, ctx.lang);
  const jName = new Map(jurisdictions.map((j) => [j.code, ctx.text(j.name)]));

  const events: Dated[] = all.flatMap((v) =>
    v.instrument.events.flatMap((e) => {
      const day = eventDay(e);
      if (day === null) return [];
      return [
        {
          day,
          date: day,
          id: v.instrument.id,
          title: ctx.text(v.instrument.short_title) || ctx.text(v.instrument.title),
          type: e.type,
        },
      ];
    }),
  );
  const from = addDays(ctx.asOf, -183);
  const to = addDays(ctx.asOf, 365);
  const recent = events
    .filter((e) => e.day > from && e.day <= ctx.asOf)
    .sort((a, b) => (a.day < b.day ? 1 : -1))
    .slice(0, 6);
  const upcoming = events
    .filter((e) => e.day > ctx.asOf && e.day <= to)
    .sort((a, b) => (a.day < b.day ? -1 : 1))
    .slice(0, 6);
  const eventList = (list: Dated[]) =>
    html`<ul class="event-list">
      ${list.map(
        (e) =>
          html`<li>
            <time datetime="${e.day}">${ctx.date(e.day)}</time>
            <span class="meta">${labels.get('event_types', e.type)}</span>
            <a href="${ctx.href(`/instruments/${e.id}`)}">${e.title}</a>
          </li>`,
      )}
    </ul>`;

  const main = html`<div class="home">
    <header class="page-header">
      <h1>${t('homeTitle')}</h1>
      <p class="lede">${t('homeIntro')}</p>
    </header>
    <section aria-labelledby="chapters-heading">
      <h2 id="chapters-heading">${t('chapters')}</h2>
      <ol class="chapter-list">
        ${chapters.map((c) => {
          const list = articles.filter((a) => a.chapter === c.code);
          return html`<li class="chapter-card">
            <h3><a href="${ctx.href(`/chapters/${c.code}`)}">${ctx.text(c.title)}</a></h3>
            ${c.summary ? html`<p>${ctx.text(c.summary)}</p>` : ''}
            ${
              list.length === 0
                ? html`<p class="muted">${t('noArticlesYet')}</p>`
                : html`<ul class="article-list">
                    ${list.map(
                      (a) =>
                        html`<li>
                          <a href="${ctx.href(`/articles/${a.id}`)}">${ctx.text(a.title)}</a>
                          <span class="meta">${jName.get(a.jurisdiction) ?? a.jurisdiction}</span>
                        </li>`,
                    )}
                  </ul>`
            }
          </li>`;
        })}
      </ol>
    </section>
    ${
      upcoming.length + recent.length > 0
        ? html`<div class="columns">
            ${
              recent.length > 0
                ? html`<section aria-labelledby="recent-heading">
                    <h2 id="recent-heading">${t('recent')}</h2>
                    ${eventList(recent)}
                  </section>`
                : ''
            }
            ${
              upcoming.length > 0
                ? html`<section aria-labelledby="upcoming-heading">
                    <h2 id="upcoming-heading">${t('upcoming')}</h2>
                    ${eventList(upcoming)}
                  </section>`
                : ''
            }
          </div>`
        : ''
    }
    <section aria-labelledby="jurisdictions-heading" id="jurisdictions">
      <h2 id="jurisdictions-heading">${t('jurisdictions')}</h2>
      <p class="muted">${t('jurisdictionsIntro')}</p>
      ${jurisdictionTree(ctx, jurisdictions)}
    </section>
  </div>`;
  return layout(ctx, {
    title: t('homeTitle'),
    description: t('homeIntro'),
    main,
    feeds: [
      { title: t('feedTitleAll'), href: withLang(feedPaths.all, ctx.lang), type: FEED_TYPES.atom },
      { title: t('calendarTitle'), href: withLang(feedPaths.calendar, ctx.lang), type: FEED_TYPES.calendar },
    ],
  });
}
