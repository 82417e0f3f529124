// `/search`: the results page. A GET form (no script): the query, facet checkboxes with counts, ranked results with
// highlighted snippets in the language that matched, and pages of ten.
import type { FastifyRequest } from 'fastify';
import type { Bilingual, Lang } from '../../domain/types.ts';
import type { FacetName, FacetValue, SearchHit, SearchOutcome, SearchRequest } from '../../search/search.service.ts';
import { statusBadge } from '../components.ts';
import type { PageContext, Params } from '../context.ts';
import { html, raw, type SafeHtml } from '../../domain/html.ts';
import { layout } from '../layout.ts';
import { languageTag } from '../../i18n/languages.ts';

const PAGE_SIZE = 10;
const FILTERS: readonly FacetName[] = ['type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year'];

/** Every value of a parameter, repeated or comma-separated. */
function values(query: unknown, name: string): string[] {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list
    .filter((x): x is string => typeof x === 'string')
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/** The page's own parameters (kept by the as-of form and the language switch): q, filters, page. */
export function searchPageParams(request: FastifyRequest): Params {
  const query = request.query;
  const q = (query as Record<string, unknown> | undefined)?.q;
  const out: Record<string, string | undefined> = {
    q: typeof q === 'string' ? q : Array.isArray(q) ? q.filter((x) => typeof x === 'string').join(' ') : undefined,
  };
  for (const f of FILTERS) {
    const list = values(query, f);
    if (list.length > 0) out[f] = list.join(',');
  }
  const pageNo = values(query, 'page')[0];
  if (pageNo !== undefined && pageNo !== '1') out.page = pageNo;
  return out;
}

/** A guide link that keeps as_of and lang, with a #fragment kept at the end. */
function link(ctx: PageContext, url: string): string {
  const [path, hash] = url.split('#');
  return `${ctx.href(path ?? url)}${hash ? `#${hash}` : ''}`;
}

function labelOf(outcome: SearchOutcome, facet: FacetName, value: string | null, lang: Lang): string | null {
  if (value === null) return null;
  const found = outcome.facets?.[facet].find((v) => v.value === value);
  return found ? found.label[lang] : value;
}

function hit(ctx: PageContext, outcome: SearchOutcome, h: SearchHit, typeLabel: Bilingual | undefined): SafeHtml {
  const other: Lang = ctx.lang === 'en' ? 'zh' : 'en';
  const meta = [
    labelOf(outcome, 'jurisdiction', h.jurisdiction, ctx.lang),
    labelOf(outcome, 'kind', h.kind, ctx.lang),
    h.year === null ? null : ctx.t('search.year', { year: String(h.year) }),
  ].filter((x): x is string => x !== null);
  return html`<li class="search-hit search-hit-${h.type}">
    <p class="search-hit-type">${typeLabel ? typeLabel[ctx.lang] : h.type}</p>
    <h2 class="search-hit-title">
      <a href="${link(ctx, h.url)}" lang="${languageTag(ctx.lang)}">${h.title[ctx.lang]}</a>
    </h2>
    <p class="search-hit-alt" lang="${languageTag(other)}">${h.title[other]}</p>
    ${h.snippet && h.snippetText !== h.title[h.snippetLang] ? html`<p class="snippet" lang="${languageTag(h.snippetLang)}">${raw(h.snippet)}</p>` : ''}
    <p class="meta">
      ${meta.join(' · ')}${h.instrument && h.type !== 'article' ? html` ${statusBadge(ctx, h.status)}` : ''}
    </p>
  </li>`;
}

function facetSet(ctx: PageContext, name: FacetName, legend: string, list: readonly FacetValue[]): SafeHtml {
  if (list.length === 0) return html``;
  return html`<fieldset class="facet facet-${name}">
    <legend>${legend}</legend>
    <ul class="facet-values">
      ${list.map(
        (v) =>
          html`<li class="depth-${String(Math.min(v.depth ?? 0, 3))}">
            <label
              ><input type="checkbox" name="${name}" value="${v.value}" ${v.selected ? raw('checked') : ''} />
              <span>${v.label[ctx.lang]}</span> <span class="count">${v.count}</span></label
            >
          </li>`,
      )}
    </ul>
  </fieldset>`;
}

/** The search page for the request; throws invalid_parameter (400) for a query that cannot be searched. */
export async function searchPage(
  ctx: PageContext,
  search: (request: SearchRequest) => Promise<SearchOutcome>,
): Promise<string> {
  const { t } = ctx;
  const p = ctx.pageParams;
  const q = (p.q ?? '').trim();
  const pageNo = Math.max(1, Math.min(100, Number.parseInt(p.page ?? '1', 10) || 1));
  const filters = Object.fromEntries(FILTERS.map((f) => [f, (p[f] ?? '').split(',').filter((x) => x !== '')]));
  const outcome =
    q === ''
      ? null
      : await search({
          q,
          asOf: ctx.asOf,
          filters,
          lang: ctx.lang,
          limit: PAGE_SIZE,
          offset: (pageNo - 1) * PAGE_SIZE,
        });
  const hidden = [
    ctx.lang === 'en' ? '' : html`<input type="hidden" name="lang" value="${ctx.lang}" />`,
    ctx.asOfGiven ? html`<input type="hidden" name="as_of" value="${ctx.asOf}" />` : '',
  ];
  const total = outcome?.total ?? 0;
  const pageLink = (n: number) => ctx.href('/search', { ...p, page: n === 1 ? undefined : String(n) });
  const typeLabels = new Map(outcome?.facets?.type.map((v) => [v.value, v.label]) ?? []);
  const anyFilter = FILTERS.some((f) => (filters[f] ?? []).length > 0);

  const main = html`<article class="search-page" aria-labelledby="search-title">
    <header class="page-header">
      <h1 id="search-title">${t('search.title')}</h1>
      ${q === '' ? html`<p class="lede">${t('search.intro')}</p>` : ''}
    </header>
    <form class="search-form" method="get" action="/search">
      <div class="search-query">
        <label for="search-q">${t('search.query')}</label>
        <input type="search" id="search-q" name="q" value="${q}" maxlength="500" required />
        <button type="submit">${t('search.search')}</button>
      </div>
      ${hidden}
      ${
        outcome
          ? html`<div class="search-layout">
              <aside class="facets" aria-label="${t('search.filters')}">
                <h2 class="small-heading">${t('search.filters')}</h2>
                ${FILTERS.map((f) => facetSet(ctx, f, t(`search.facet.${f}`), outcome.facets?.[f] ?? []))}
                <p class="facet-actions">
                  <button type="submit">${t('search.apply')}</button>
                  ${anyFilter ? html`<a href="${ctx.href('/search', { q })}">${t('search.clear')}</a>` : ''}
                </p>
              </aside>
              <section class="search-results-section" aria-labelledby="results-heading">
                <h2 id="results-heading" class="small-heading">
                  ${t('search.results', { n: total })}${
                    outcome.results.length > 0
                      ? ` · ${t('search.showing', { from: outcome.offset + 1, to: outcome.offset + outcome.results.length })}`
                      : ''
                  }
                  · ${t('search.statusNote')} <time datetime="${ctx.asOf}">${ctx.date(ctx.asOf)}</time>
                </h2>
                ${
                  outcome.corrections.length > 0
                    ? html`<p class="notice search-notice">
                        ${t('search.also')}:
                        ${outcome.corrections.map(
                          (c) =>
                            html`<strong>${c.suggestions.join(', ')}</strong> (${t('search.insteadOf')} “${c.word}”) `,
                        )}
                      </p>`
                    : ''
                }
                ${outcome.relaxed ? html`<p class="notice search-notice">${t('search.relaxed')}</p>` : ''}
                ${
                  outcome.onlyCommonWords
                    ? html`<p class="notice search-notice">${t('search.common')}</p>`
                    : outcome.results.length === 0
                      ? html`<p class="notice search-notice">${t('search.none')}</p>`
                      : ''
                }
                <ol class="search-results" start="${String(outcome.offset + 1)}">
                  ${outcome.results.map((h) => hit(ctx, outcome, h, typeLabels.get(h.type)))}
                </ol>
                <nav class="pager" aria-label="${t('search.title')}">
                  ${pageNo > 1 ? html`<a rel="prev" href="${pageLink(pageNo - 1)}">${t('search.previous')}</a>` : ''}
                  ${
                    outcome.offset + outcome.results.length < total && pageNo < 100
                      ? html`<a rel="next" href="${pageLink(pageNo + 1)}">${t('search.next')}</a>`
                      : ''
                  }
                </nav>
              </section>
            </div>`
          : ''
      }
    </form>
  </article>`;
  return layout(ctx, {
    title: q === '' ? t('search.title') : `${q} · ${t('search.title')}`,
    main,
    breadcrumbs: [{ label: ctx.t('home'), href: ctx.href('/') }, { label: t('search.title') }],
  });
}
