// `/instruments/:id`: an instrument's titles, facts, status as of the date, lifecycle timeline, tags, relations,
// citing articles and sources, with schema.org Legislation JSON-LD.
import { TAG_SCHEMES, type Instrument, type Source } from '../../domain/types.ts';
import { languageTag, otherLanguage } from '../../i18n/languages.ts';
import type { InstrumentDetail, KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { Labels, sourceLink } from '../components.ts';
import type { PageContext } from '../context.ts';
import { html, type SafeHtml } from '../../domain/html.ts';
import { legalForceLabel, relationLabel, sourceKindLabel, statusLabel } from '../i18n.ts';
import { jsonLdScript, legislationJsonLd } from '../jsonld.ts';
import { layout } from '../layout.ts';
import { orderEvents, timeline } from '../timeline.ts';

function fact(label: string, value: SafeHtml | string, lang?: string): SafeHtml {
  return html`<div class="fact"><dt>${label}</dt><dd${lang ? html` lang="${lang}"` : ''}>${value}</dd></div>`;
}

export async function instrumentPage(
  ctx: PageContext,
  repo: KnowledgeRepository,
  id: string,
  publicUrl: string,
): Promise<string> {
  const { t } = ctx;
  const [d, taxonomy] = await Promise.all([repo.instrument(id, ctx.asOf), repo.taxonomy()]);
  const labels = new Labels(taxonomy, ctx.lang);
  const i = d.instrument;
  const title = i.title[ctx.lang];
  const other = otherLanguage(ctx.lang);

  const main = html`<article class="instrument" aria-labelledby="instrument-title">
    <header class="page-header">
      <p class="eyebrow">
        ${labels.get('instrument_kinds', i.kind)} ·
        <a href="${ctx.href(`/jurisdictions/${d.jurisdiction.code}`)}">${ctx.text(d.jurisdiction.name)}</a>
      </p>
      <h1 id="instrument-title">${title}</h1>
      <p class="alt-title" lang="${languageTag(other)}">${i.title[other]}</p>
    </header>

    <div class="with-aside">
      <aside class="secondary">${statusPanel(ctx, d, labels)} ${factsSection(ctx, d, labels)}</aside>
      <div class="primary">
        <section aria-labelledby="summary-heading">
          <h2 id="summary-heading">${t('summary')}</h2>
          <p>${i.summary[ctx.lang]}</p>
          ${
            i.notes
              ? html`<h3>${t('notes')}</h3>
                  <p>${ctx.text(i.notes)}</p>`
              : ''
          }
        </section>

        <section aria-labelledby="lifecycle-heading">
          <h2 id="lifecycle-heading">${t('lifecycle')}</h2>
          <p class="muted small">${t('lifecycleIntro')}</p>
          ${timeline(ctx, i.events, labels, d.sources)}
        </section>

        ${tagsSection(ctx, i, labels)} ${relationsSection(ctx, d)} ${citedSection(ctx, d)} ${sourcesSection(ctx, d)}
      </div>
    </div>
  </article>`;

  return layout(ctx, {
    title,
    description: i.summary[ctx.lang],
    main,
    head: jsonLdScript(legislationJsonLd(ctx, d, labels, publicUrl)),
    breadcrumbs: [
      { label: t('home'), href: ctx.href('/') },
      { label: ctx.text(d.jurisdiction.name), href: ctx.href(`/jurisdictions/${d.jurisdiction.code}`) },
      { label: ctx.text(i.short_title) || title },
    ],
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The status in words as of the page's date, and what comes next. */
function statusPanel(ctx: PageContext, d: InstrumentDetail, labels: Labels): SafeHtml {
  const { t } = ctx;
  const asOfText = ctx.date(ctx.asOf);
  const next = orderEvents(d.instrument.events).find((p) => p.day !== null && p.day > ctx.asOf);
  const statusText = d.status === null ? t('notYetIssuedOn', { date: asOfText }) : statusLabel(d.status, ctx.lang);
  return html`<section class="status-panel status-${d.status ?? 'not-yet'}" aria-labelledby="status-heading">
    <h2 id="status-heading" class="small-heading">
      ${t('statusAsOf')} <time datetime="${ctx.asOf}">${asOfText}</time>
    </h2>
    <p class="status-words">${statusText}</p>
    ${
      next && next.date
        ? html`<p class="status-next">
            ${t('nextEvent')}: ${labels.get('event_types', next.event.type)} —
            <time datetime="${next.date}">${ctx.date(next.date)}</time>
          </p>`
        : ''
    }
  </section>`;
}

function factsSection(ctx: PageContext, d: InstrumentDetail, labels: Labels): SafeHtml {
  const { t } = ctx;
  const i = d.instrument;
  const issuers = d.issuers.map(
    (b) =>
      html`<li>${b.name[ctx.lang]}${b.abbreviation ? html` <span class="muted">(${b.abbreviation})</span>` : ''}</li>`,
  );
  return html`<section class="aside-facts" aria-labelledby="facts-heading">
    <h2 id="facts-heading">${t('facts')}</h2>
    <dl class="facts">
      ${fact(t('titleEn'), i.title.en, 'en')} ${fact(t('titleZh'), i.title.zh, languageTag('zh'))}
      ${i.short_title ? fact(t('shortTitle'), ctx.text(i.short_title)) : ''}
      ${fact(t('documentNumber'), i.document_number ?? html`<em>${t('unknown')}</em>`)}
      ${fact(t('kind'), labels.get('instrument_kinds', i.kind))}
      ${fact(t('legalForce'), legalForceLabel(d.legalForce, ctx.lang))}
      ${fact(t('jurisdiction'), html`<a href="${ctx.href(`/jurisdictions/${d.jurisdiction.code}`)}">${ctx.text(d.jurisdiction.name)}</a>`)}
      ${fact(
        t('issuers'),
        issuers.length > 0
          ? html`<ul class="plain">
              ${issuers}
            </ul>`
          : html`<em>${t('unknown')}</em>`,
      )}
    </dl>
  </section>`;
}

function tagsSection(ctx: PageContext, i: Instrument, labels: Labels): SafeHtml | string {
  const { t } = ctx;
  const tagGroups = TAG_SCHEMES.map((scheme) => ({ scheme, codes: i[scheme] ?? [] })).filter((g) => g.codes.length > 0);
  return tagGroups.length > 0
    ? html`<section aria-labelledby="tags-heading">
        <h2 id="tags-heading">${t('tags')}</h2>
        <dl class="tags">
          ${tagGroups.map(
            (g) =>
              html`<div class="tag-group">
                <dt>${t(`tagScheme.${g.scheme}`)}</dt>
                <dd>
                  <ul class="chips">
                    ${g.codes.map(
                      (code) =>
                        html`<li class="chip" data-code="${code}">
                          ${g.scheme === 'topics' ? html`<a href="${ctx.href(`/topics/${code}`)}">${labels.get(g.scheme, code)}</a>` : labels.get(g.scheme, code)}
                        </li>`,
                    )}
                  </ul>
                </dd>
              </div>`,
          )}
        </dl>
      </section>`
    : '';
}

function relationsSection(ctx: PageContext, d: InstrumentDetail): SafeHtml {
  const { t } = ctx;
  return html`<section aria-labelledby="relations-heading">
    <h2 id="relations-heading">${t('relations')}</h2>
    ${
      d.relations.length === 0
        ? html`<p class="muted">${t('noRelations')}</p>`
        : html`<ul class="relations">
            ${d.relations.map(
              (r) =>
                html`<li class="relation relation-${r.direction}">
                  <span class="relation-type">${relationLabel(r.type, r.direction, ctx.lang)}</span>
                  <a href="${ctx.href(`/instruments/${r.other.id}`)}">${r.other.title[ctx.lang]}</a>
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}

function citedSection(ctx: PageContext, d: InstrumentDetail): SafeHtml {
  const { t } = ctx;
  return html`<section aria-labelledby="cited-heading">
    <h2 id="cited-heading">${t('citedIn')}</h2>
    ${
      d.articles.length === 0
        ? html`<p class="muted">${t('notCited')}</p>`
        : html`<ul class="article-list">
            ${d.articles.map((a) => html`<li><a href="${ctx.href(`/articles/${a.id}`)}">${ctx.text(a.title)}</a></li>`)}
          </ul>`
    }
  </section>`;
}

/** Sources: those cited by the instrument first, then those cited only by its events. */
function sourcesSection(ctx: PageContext, d: InstrumentDetail): SafeHtml {
  const { t } = ctx;
  const i = d.instrument;
  const order: string[] = [...i.sources.map((c) => c.source)];
  for (const e of i.events) {
    for (const c of e.sources ?? []) order.push(c.source);
    for (const claim of e.claims ?? []) for (const c of claim.sources) order.push(c.source);
  }
  const sourceList = [...new Set(order)].map((sid) => d.sources.get(sid)).filter((s): s is Source => s !== undefined);
  return html`<section aria-labelledby="sources-heading">
    <h2 id="sources-heading">${t('sources')}</h2>
    <ol class="sources">
      ${sourceList.map(
        (s) =>
          html`<li id="source-${s.id}" class="source">
            <span class="kind kind-${s.kind}">${sourceKindLabel(s.kind, ctx.lang)}</span>
            ${sourceLink(s, s.id)}
            <span class="source-meta"
              >${[
                s.publisher ? html`<span>${s.publisher}</span>` : '',
                s.url ? html`<span class="url">${hostOf(s.url)}</span>` : html`<span>${t('noUrl')}</span>`,
                s.read_on
                  ? html`<span>${t('readOn')} <time datetime="${s.read_on}">${ctx.date(s.read_on)}</time></span>`
                  : '',
              ]}</span
            >
            ${s.note ? html`<span class="source-note muted">${s.note}</span>` : ''}
          </li>`,
      )}
    </ol>
  </section>`;
}
