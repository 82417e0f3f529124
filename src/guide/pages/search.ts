// `/search`: the results page. A GET form (no script): the query, facet checkboxes with counts, ranked results with
// highlighted snippets in the language that matched, and pages of ten.
import type { FastifyRequest } from 'fastify';
import type { Bilingual, Lang } from '../../domain/types.ts';
import type { FacetName, FacetValue, SearchHit, SearchOutcome, SearchRequest } from '../../search/search.service.ts';
import { statusBadge } from '../components.ts';
import type { PageContext, Params } from '../context.ts';
import { html, raw, type SafeHtml } from '../../domain/html.ts';
import { layout } from '../layout.ts';

const PAGE_SIZE = 10;
const FILTERS: readonly FacetName[] = ['type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year'];

const WORDS = {
  en: {
    title: 'Search',
    results: (n: number) => `${n} result${n === 1 ? '' : 's'}`,
    showing: (from: number, to: number) => `showing ${from}–${to}`,
    statusNote: 'status as of',
    intro:
      'Search instruments, their lifecycle events, programmes and guide articles, in English or Chinese. Chinese needs no spaces; "quoted words" must appear together; -word leaves out what contains it.',
    query: 'Words to search for',
    search: 'Search',
    filters: 'Filters',
    apply: 'Apply filters',
    clear: 'Clear filters',
    none: 'Nothing matches these words.',
    relaxed: 'No result has all the words; these results have some of them.',
    common: 'The query has only words too common to search for; add a more specific word.',
    also: 'Also searched for',
    insteadOf: 'for',
    previous: 'Previous results',
    next: 'More results',
    facet: {
      type: 'Type',
      jurisdiction: 'Jurisdiction',
      kind: 'Kind',
      status: 'Status',
      topic: 'Topic',
      issuer: 'Issued by',
      year: 'Year',
    } as Record<FacetName, string>,
  },
  zh: {
    title: '搜索',
    results: (n: number) => `共 ${n} 条结果`,
    showing: (from: number, to: number) => `显示第 ${from}–${to} 条`,
    statusNote: '状态截至',
    intro:
      '搜索文件及其生命周期事件、项目与义务以及指南文章，中英文均可。中文无需空格；用引号括起的词须连在一起出现；在词前加 - 可排除包含该词的结果。',
    query: '搜索词',
    search: '搜索',
    filters: '筛选',
    apply: '应用筛选',
    clear: '清除筛选',
    none: '没有与这些词匹配的结果。',
    relaxed: '没有结果包含全部搜索词；以下结果包含其中部分词。',
    common: '搜索词都过于常见，无法搜索；请加入更具体的词。',
    also: '同时搜索了',
    insteadOf: '代替',
    previous: '上一页',
    next: '更多结果',
    facet: {
      type: '类型',
      jurisdiction: '法域',
      kind: '种类',
      status: '状态',
      topic: '主题',
      issuer: '发布机关',
      year: '年份',
    } as Record<FacetName, string>,
  },
} as const;

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

const zhAttr = (lang: Lang) => (lang === 'zh' ? 'zh-Hans' : 'en');

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
    h.year === null ? null : ctx.lang === 'zh' ? `${h.year}年` : String(h.year),
  ].filter((x): x is string => x !== null);
  return html`<li class="search-hit search-hit-${h.type}">
    <p class="search-hit-type">${typeLabel ? typeLabel[ctx.lang] : h.type}</p>
    <h2 class="search-hit-title">
      <a href="${link(ctx, h.url)}" lang="${zhAttr(ctx.lang)}">${h.title[ctx.lang]}</a>
    </h2>
    <p class="search-hit-alt" lang="${zhAttr(other)}">${h.title[other]}</p>
    ${h.snippet && h.snippetText !== h.title[h.snippetLang] ? html`<p class="snippet" lang="${zhAttr(h.snippetLang)}">${raw(h.snippet)}</p>` : ''}
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
  const w = WORDS[ctx.lang];
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
      <h1 id="search-title">${w.title}</h1>
      ${q === '' ? html`<p class="lede">${w.intro}</p>` : ''}
    </header>
    <form class="search-form" method="get" action="/search">
      <div class="search-query">
        <label for="search-q">${w.query}</label>
        <input type="search" id="search-q" name="q" value="${q}" maxlength="500" required />
        <button type="submit">${w.search}</button>
      </div>
      ${hidden}
      ${
        outcome
          ? html`<div class="search-layout">
              <aside class="facets" aria-label="${w.filters}">
                <h2 class="small-heading">${w.filters}</h2>
                ${FILTERS.map((f) => facetSet(ctx, f, w.facet[f], outcome.facets?.[f] ?? []))}
                <p class="facet-actions">
                  <button type="submit">${w.apply}</button>
                  ${anyFilter ? html`<a href="${ctx.href('/search', { q })}">${w.clear}</a>` : ''}
                </p>
              </aside>
              <section class="search-results-section" aria-labelledby="results-heading">
                <h2 id="results-heading" class="small-heading">
                  ${w.results(total)}${
                    outcome.results.length > 0
                      ? ` · ${w.showing(outcome.offset + 1, outcome.offset + outcome.results.length)}`
                      : ''
                  }
                  · ${w.statusNote} <time datetime="${ctx.asOf}">${ctx.date(ctx.asOf)}</time>
                </h2>
                ${
                  outcome.corrections.length > 0
                    ? html`<p class="notice search-notice">
                        ${w.also}:
                        ${outcome.corrections.map(
                          (c) => html`<strong>${c.suggestions.join(', ')}</strong> (${w.insteadOf} “${c.word}”) `,
                        )}
                      </p>`
                    : ''
                }
                ${outcome.relaxed ? html`<p class="notice search-notice">${w.relaxed}</p>` : ''}
                ${
                  outcome.onlyCommonWords
                    ? html`<p class="notice search-notice">${w.common}</p>`
                    : outcome.results.length === 0
                      ? html`<p class="notice search-notice">${w.none}</p>`
                      : ''
                }
                <ol class="search-results" start="${String(outcome.offset + 1)}">
                  ${outcome.results.map((h) => hit(ctx, outcome, h, typeLabels.get(h.type)))}
                </ol>
                <nav class="pager" aria-label="${w.title}">
                  ${pageNo > 1 ? html`<a rel="prev" href="${pageLink(pageNo - 1)}">${w.previous}</a>` : ''}
                  ${
                    outcome.offset + outcome.results.length < total && pageNo < 100
                      ? html`<a rel="next" href="${pageLink(pageNo + 1)}">${w.next}</a>`
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
    title: q === '' ? w.title : `${q} · ${w.title}`,
    main,
    breadcrumbs: [{ label: ctx.t.home, href: ctx.href('/') }, { label: w.title }],
  });
}
