// `/jurisdictions` (the tree) and `/jurisdictions/:code`: a jurisdiction, its parent and children, and its
// instruments (with those of its descendants) grouped by status as of the date.
import { languageTag, otherLanguage } from '../../i18n/languages.ts';
import { errors } from '../../errors.ts';
import type { Status } from '../../domain/types.ts';
import type { InstrumentView, KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { instrumentItem, Labels } from '../components.ts';
import type { PageContext } from '../context.ts';
import { html } from '../../domain/html.ts';
import { statusLabel } from '../i18n.ts';
import { layout } from '../layout.ts';
import { FEED_TYPES, feedPaths, withLang } from '../../watch/feeds/feeds.service.ts';
import { jurisdictionTree } from './home.ts';

const STATUS_ORDER: readonly Status[] = ['in_force', 'adopted', 'issued', 'draft', 'superseded', 'repealed', 'expired'];

export async function jurisdictionsPage(ctx: PageContext, repo: KnowledgeRepository): Promise<string> {
  const { t } = ctx;
  const jurisdictions = await repo.jurisdictions();
  const main = html`<article>
    <header class="page-header">
      <h1>${t('jurisdictions')}</h1>
      <p class="lede">${t('jurisdictionsIntro')}</p>
    </header>
    ${jurisdictionTree(ctx, jurisdictions)}
  </article>`;
  return layout(ctx, {
    title: t('jurisdictions'),
    main,
    breadcrumbs: [{ label: t('home'), href: ctx.href('/') }, { label: t('jurisdictions') }],
  });
}

export async function jurisdictionPage(ctx: PageContext, repo: KnowledgeRepository, code: string): Promise<string> {
  const { t } = ctx;
  const jurisdictions = await repo.jurisdictions();
  const j = jurisdictions.find((x) => x.code === code);
  if (!j) throw errors.notFound('jurisdiction', code);
  const parent = j.parent ? jurisdictions.find((x) => x.code === j.parent) : undefined;
  const children = jurisdictions.filter((x) => x.parent === code);
  const names = new Map(jurisdictions.map((x) => [x.code, ctx.text(x.name)]));
  const [existing, all, articles, taxonomy] = await Promise.all([
    repo.instruments({ asOf: ctx.asOf, jurisdiction: code }),
    repo.instruments({ asOf: '9999-12-31', jurisdiction: code }),
    repo.articles({ jurisdiction: code }),
    repo.taxonomy(),
  ]);
  const labels = new Labels(taxonomy, ctx.lang);
  const existingIds = new Set(existing.map((v) => v.instrument.id));
  const notYet: InstrumentView[] = all
    .filter((v) => !existingIds.has(v.instrument.id))
    .map((v) => ({ ...v, status: null }));
  const groups = [
    ...STATUS_ORDER.map((s) => ({
      key: s,
      label: statusLabel(s, ctx.lang),
      list: existing.filter((v) => v.status === s),
    })),
    { key: 'not-yet', label: t('notYetIssued'), list: notYet },
  ].filter((g) => g.list.length > 0);
  const name = ctx.text(j.name);
  const crumbs = [
    { label: t('home'), href: ctx.href('/') },
    { label: t('jurisdictions'), href: ctx.href('/jurisdictions') },
  ];
  if (parent) crumbs.push({ label: ctx.text(parent.name), href: ctx.href(`/jurisdictions/${parent.code}`) });

  const main = html`<article class="jurisdiction" aria-labelledby="jurisdiction-title">
    <header class="page-header">
      <p class="eyebrow">${t('jurisdiction')}</p>
      <h1 id="jurisdiction-title">${name}</h1>
      <p class="alt-title" lang="${languageTag(otherLanguage(ctx.lang))}">${j.name[otherLanguage(ctx.lang)]}</p>
      <dl class="facts">
        ${
          parent
            ? html`<div class="fact">
                <dt>${t('parent')}</dt>
                <dd><a href="${ctx.href(`/jurisdictions/${parent.code}`)}">${ctx.text(parent.name)}</a></dd>
              </div>`
            : ''
        }
        ${
          children.length > 0
            ? html`<div class="fact">
                <dt>${t('children')}</dt>
                <dd>
                  <ul class="plain inline">
                    ${children.map(
                      (c) => html`<li><a href="${ctx.href(`/jurisdictions/${c.code}`)}">${ctx.text(c.name)}</a></li>`,
                    )}
                  </ul>
                </dd>
              </div>`
            : ''
        }
      </dl>
    </header>
    ${
      articles.length > 0
        ? html`<section aria-labelledby="articles-heading">
            <h2 id="articles-heading">${t('articles')}</h2>
            <ul class="article-list">
              ${articles.map((a) => html`<li><a href="${ctx.href(`/articles/${a.id}`)}">${ctx.text(a.title)}</a></li>`)}
            </ul>
          </section>`
        : ''
    }
    <section aria-labelledby="instruments-heading">
      <h2 id="instruments-heading">${t('instrumentsByStatus')}</h2>
      <p class="muted small">
        ${t('statusAsOf')} ${ctx.date(ctx.asOf)}.${children.length > 0 ? ` ${t('includesDescendants')}` : ''}
      </p>
      ${
        groups.length === 0
          ? html`<p class="muted">${t('noInstruments')}</p>`
          : groups.map(
              (g) =>
                html`<section class="status-group status-group-${g.key}" aria-labelledby="group-${g.key}">
                  <h3 id="group-${g.key}">${g.label} <span class="count">${g.list.length}</span></h3>
                  <ul class="instrument-list">
                    ${g.list.map((v) =>
                      instrumentItem(
                        ctx,
                        v,
                        labels,
                        v.instrument.jurisdiction !== code
                          ? html`${names.get(v.instrument.jurisdiction) ?? v.instrument.jurisdiction}`
                          : undefined,
                      ),
                    )}
                  </ul>
                </section>`,
            )
      }
    </section>
  </article>`;
  return layout(ctx, {
    title: name,
    main,
    breadcrumbs: [...crumbs, { label: name }],
    feeds: [
      {
        title: `${t('feedTitlePrefix')}${name}`,
        href: withLang(feedPaths.jurisdiction(code), ctx.lang),
        type: FEED_TYPES.atom,
      },
    ],
  });
}
