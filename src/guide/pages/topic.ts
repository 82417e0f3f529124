// `/topics` (every topic with how many instruments carry it as of the date) and `/topics/:code` (the instruments
// tagged with a topic, with status badges as of the date, and the topic's Atom feed).
import { languageTag, otherLanguage } from '../../i18n/languages.ts';
import { errors } from '../../errors.ts';
import type { InstrumentView, KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { FEED_TYPES, feedPaths, withLang } from '../../watch/feeds/feeds.service.ts';
import { instrumentItem, Labels } from '../components.ts';
import type { PageContext } from '../context.ts';
import { html } from '../../domain/html.ts';
import { layout } from '../layout.ts';

export async function topicsPage(ctx: PageContext, repo: KnowledgeRepository): Promise<string> {
  const { t } = ctx;
  const [taxonomy, existing] = await Promise.all([repo.taxonomy(), repo.instruments({ asOf: ctx.asOf })]);
  const count = new Map<string, number>();
  for (const v of existing) for (const code of v.instrument.topics ?? []) count.set(code, (count.get(code) ?? 0) + 1);
  const main = html`<article class="topics" aria-labelledby="topics-title">
    <header class="page-header">
      <h1 id="topics-title">${t('topics')}</h1>
      <p class="lede">${t('topicsIntro')}</p>
      <p class="muted small">${t('statusAsOf')} ${ctx.date(ctx.asOf)}.</p>
    </header>
    <ul class="topic-list">
      ${taxonomy.topics.map(
        (x) =>
          html`<li class="topic-item" data-topic="${x.code}">
            <a href="${ctx.href(`/topics/${x.code}`)}">${ctx.text(x.label)}</a>
            <span class="count" title="${t('topicInstrumentCount')}">${count.get(x.code) ?? 0}</span>
            ${x.description ? html`<p class="muted small">${ctx.text(x.description)}</p>` : ''}
          </li>`,
      )}
    </ul>
  </article>`;
  return layout(ctx, {
    title: t('topics'),
    description: t('topicsIntro'),
    main,
    breadcrumbs: [{ label: t('home'), href: ctx.href('/') }, { label: t('topics') }],
  });
}

export async function topicPage(ctx: PageContext, repo: KnowledgeRepository, code: string): Promise<string> {
  const { t } = ctx;
  const [taxonomy, jurisdictions, existing, all] = await Promise.all([
    repo.taxonomy(),
    repo.jurisdictions(),
    repo.instruments({ asOf: ctx.asOf }),
    repo.instruments({ asOf: '9999-12-31' }),
  ]);
  const topic = taxonomy.topics.find((x) => x.code === code);
  if (!topic) throw errors.notFound('topic', code);
  const labels = new Labels(taxonomy, ctx.lang);
  const names = new Map(jurisdictions.map((j) => [j.code, ctx.text(j.name)]));
  // Filtered on the instrument's own topics (a code may also exist in another tag scheme).
  const tagged = (v: InstrumentView) => (v.instrument.topics ?? []).includes(code);
  const present = existing.filter(tagged);
  const presentIds = new Set(present.map((v) => v.instrument.id));
  const notYet = all.filter((v) => tagged(v) && !presentIds.has(v.instrument.id)).map((v) => ({ ...v, status: null }));
  const list = [...present, ...notYet];
  const name = ctx.text(topic.label);
  const feedTitle = `${t('feedTitlePrefix')}${name}`;
  const feedHref = withLang(feedPaths.topic(code), ctx.lang);

  const main = html`<article class="topic" aria-labelledby="topic-title">
    <header class="page-header">
      <p class="eyebrow"><a href="${ctx.href('/topics')}">${t('topic')}</a></p>
      <h1 id="topic-title">${name}</h1>
      <p class="alt-title" lang="${languageTag(otherLanguage(ctx.lang))}">${topic.label[otherLanguage(ctx.lang)]}</p>
      ${topic.description ? html`<p class="lede">${ctx.text(topic.description)}</p>` : ''}
    </header>
    <section aria-labelledby="topic-instruments-heading">
      <h2 id="topic-instruments-heading">${t('instrumentsByStatus')} <span class="count">${list.length}</span></h2>
      <p class="muted small">${t('statusAsOf')} ${ctx.date(ctx.asOf)}.</p>
      ${
        list.length === 0
          ? html`<p class="muted">${t('noTopicInstruments')}</p>`
          : html`<ul class="instrument-list">
              ${list.map((v) =>
                instrumentItem(
                  ctx,
                  v,
                  labels,
                  html`${names.get(v.instrument.jurisdiction) ?? v.instrument.jurisdiction}`,
                ),
              )}
            </ul>`
      }
    </section>
    <section class="feed-note" aria-labelledby="topic-feed-heading">
      <h2 id="topic-feed-heading">${t('followFeed')}</h2>
      <p>
        ${t('followFeedIntro')} <a href="${feedHref}" type="${FEED_TYPES.atom}">${feedTitle}</a> ·
        <a href="${ctx.href('/watch')}">${t('watchTitle')}</a>
      </p>
    </section>
  </article>`;
  return layout(ctx, {
    title: name,
    main,
    breadcrumbs: [
      { label: t('home'), href: ctx.href('/') },
      { label: t('topics'), href: ctx.href('/topics') },
      { label: name },
    ],
    feeds: [{ title: feedTitle, href: feedHref, type: FEED_TYPES.atom }],
  });
}
