// `/articles/:id`: one revision of a guide article, in the shape of the seed page: breadcrumbs, sections, the
// "accurate up to" line, other revisions, further sections of the chapter and the other chapters.
import { languageTag } from '../../i18n/languages.ts';
import { HorizonError } from '../../errors.ts';
import type { Lang, Status } from '../../domain/types.ts';
import type { KnowledgeRepository } from '../../store/knowledge.repository.ts';
import type { Development } from '../../editorial/developments.ts';
import { chapterLinks, Labels, statusBadge } from '../components.ts';
import { developmentList } from '../developments.ts';
import type { PageContext } from '../context.ts';
import { html, raw, type SafeHtml } from '../../domain/html.ts';
import { layout } from '../layout.ts';
import { instrumentIds, renderSections, type InstrumentLink } from '../markdown.ts';

interface Known {
  readonly status: Status | null;
  readonly title: string;
}

/** Status as of the page date of every instrument the body links to; unknown ids are left out. */
async function linkedInstruments(
  ctx: PageContext,
  repo: KnowledgeRepository,
  ids: readonly string[],
): Promise<Map<string, Known>> {
  const known = new Map<string, Known>();
  if (ids.length === 0) return known;
  const existing = await repo.instruments({ asOf: ctx.asOf });
  const byId = new Map(existing.map((v) => [v.instrument.id, v]));
  for (const id of ids) {
    const v = byId.get(id);
    if (v) {
      known.set(id, { status: v.status, title: ctx.text(v.instrument.title) });
      continue;
    }
    try {
      const d = await repo.instrument(id, ctx.asOf);
      known.set(id, { status: d.status, title: ctx.text(d.instrument.title) });
    } catch (error) {
      if (!(error instanceof HorizonError && error.code === 'not_found')) throw error;
    }
  }
  return known;
}

/** The developments of the instruments some Markdown cites after `since`, as of `asOf` (editorial/attention.ts). */
export type DevelopmentsOf = (
  since: string,
  markdowns: readonly string[],
  asOf: string,
) => Promise<readonly Development[]>;

export async function articlePage(
  ctx: PageContext,
  repo: KnowledgeRepository,
  id: string,
  revisionDate: string | undefined,
  developmentsOf: DevelopmentsOf,
): Promise<string> {
  const { t } = ctx;
  const detail = await repo.article(id);
  const { article, chapter, jurisdiction, revisions } = detail;
  const latest = revisions[0];
  if (!latest) throw new HorizonError('not_found', `Article "${id}" has no revision yet`);
  const revision = revisionDate === undefined ? latest : revisions.find((r) => r.date === revisionDate);
  if (!revision) {
    throw new HorizonError(
      'not_found',
      `Article "${id}" has no revision accurate up to ${revisionDate}; its revisions are ${revisions.map((r) => r.date).join(', ')}`,
    );
  }
  const isLatest = revision === latest;
  const text = revision.langs.get(ctx.lang) ?? revision.langs.get('en') ?? [...revision.langs.values()][0];
  if (!text) throw new HorizonError('not_found', `Article "${id}" has no text for ${revision.date}`);
  const textLang: Lang = text.lang;
  const fallback = textLang !== ctx.lang;

  // Like legislation.gov.uk's unapplied effects: what happened to the cited instruments after this revision's date,
  // up to the page's as-of date (nothing after it).
  const developments = await developmentsOf(
    revision.date,
    [...revision.langs.values()].map((r) => r.body),
    ctx.asOf,
  );
  const labels = developments.length > 0 ? new Labels(await repo.taxonomy(), ctx.lang) : undefined;

  const ids = instrumentIds(text.body);
  const known = await linkedInstruments(ctx, repo, ids);
  const sections = renderSections(text.body, (instrumentId): InstrumentLink => {
    const k = known.get(instrumentId);
    return {
      href: ctx.href(`/instruments/${instrumentId}`),
      ...(k ? { title: k.title, after: statusBadge(ctx, k.status).value } : {}),
    };
  });

  const chapterArticles = await repo.articles({ chapter: chapter.code });
  const chapters = await repo.chapters();
  const others = chapterArticles.filter((a) => a.id !== article.id);
  const jurisdictions = new Map((await repo.jurisdictions()).map((j) => [j.code, ctx.text(j.name)]));
  const chapterTitle = ctx.text(chapter.title);
  const title = (ctx.lang === textLang ? text.title : undefined) ?? ctx.text(article.title);
  const revisionHref = (date: string) =>
    date === latest.date ? ctx.href(`/articles/${id}`) : ctx.href(`/articles/${id}`, { revision: date });

  const toc = sections.filter((s) => s.id !== null);
  const otherRevisions = revisions.filter((r) => r !== revision);
  const changeNote = (r: (typeof revisions)[number]): SafeHtml => {
    const note = (r.langs.get(ctx.lang) ?? r.langs.get('en'))?.change_note;
    return note ? html`<span class="change-note">${note}</span>` : html``;
  };

  const main = html`<article class="guide-article" aria-labelledby="article-title">
      <header class="page-header">
        <p class="eyebrow">
          <a href="${ctx.href(`/chapters/${chapter.code}`)}">${chapterTitle}</a> ·
          <a href="${ctx.href(`/jurisdictions/${jurisdiction.code}`)}">${ctx.text(jurisdiction.name)}</a>
        </p>
        <h1 id="article-title">${title}</h1>
        ${article.summary ? html`<p class="lede">${ctx.text(article.summary)}</p>` : ''}
      </header>
      ${
        isLatest
          ? ''
          : html`<p class="notice notice-old" role="note">
              ${t('notLatest')} ${ctx.date(revision.date)}.
              <a href="${revisionHref(latest.date)}">${t('readLatest')} ${ctx.date(latest.date)}</a>.
            </p>`
      }
      ${fallback ? html`<p class="notice" role="note">${textLang === 'en' ? t('noChinese') : t('noEnglish')}</p>` : ''}
      ${
        labels
          ? html`<section class="notice notice-developments" role="note" aria-labelledby="developments-heading">
              <h2 id="developments-heading" class="small-heading">
                ${t('attention.noticeHeading', { n: developments.length, date: ctx.date(revision.date) })}
              </h2>
              <p>${t('attention.noticeIntro')}</p>
              ${developmentList(ctx, labels, developments)}
            </section>`
          : ''
      }
      <div class="with-aside">
        <aside class="secondary">
          ${
            toc.length > 1
              ? html`<nav class="toc" aria-labelledby="toc-heading">
                  <h2 id="toc-heading">${t('contents')}</h2>
                  <ol>
                    ${toc.map((s) => html`<li><a href="#${s.id ?? ''}">${s.title ?? ''}</a></li>`)}
                  </ol>
                </nav>`
              : ''
          }
          <div class="aside-card">
            <h2 class="small-heading">${t('revision')}</h2>
            <p>
              ${t('accurateShort')} <time datetime="${revision.date}">${ctx.date(revision.date)}</time>
              ${isLatest ? '' : html`<br /><a href="${revisionHref(latest.date)}">${t('latestRevision')} ${ctx.date(latest.date)}</a>`}
            </p>
            ${otherRevisions.length > 0 ? html`<p><a href="#revisions-heading">${t('otherRevisions')} (${otherRevisions.length})</a></p>` : ''}
            <p>
              <a class="revisions-link" href="${ctx.href(`/articles/${article.id}/revisions`)}"
                >${t('revisionsAndChanges')}</a
              >
            </p>
          </div>
        </aside>
        <div class="primary">
          <div class="article-body" ${fallback ? html` lang="${languageTag(textLang)}"` : ''}>
            ${sections.map((s) =>
              s.id === null
                ? html`<section class="article-section">${raw(s.html)}</section>`
                : html`<section class="article-section" aria-labelledby="${s.id}">${raw(s.html)}</section>`,
            )}
          </div>
          <footer class="article-meta">
            <p class="accuracy">
              <em>${t('accurateUpTo')} <time datetime="${revision.date}">${ctx.date(revision.date)}</time></em>
            </p>
            <p class="muted small">${t('articleStatusesAsOf', { date: ctx.date(ctx.asOf) })}</p>
            ${
              otherRevisions.length > 0
                ? html`<section class="revisions" aria-labelledby="revisions-heading">
                    <h2 id="revisions-heading" class="small-heading">${t('otherRevisions')}</h2>
                    <ul>
                      ${otherRevisions.map(
                        (r) =>
                          html`<li>
                            <a href="${revisionHref(r.date)}"
                              >${r === latest ? t('latestRevision') : t('earlierRevision')} ${ctx.date(r.date)}</a
                            >
                            ${changeNote(r)}
                          </li>`,
                      )}
                    </ul>
                  </section>`
                : ''
            }
          </footer>
        </div>
      </div>
    </article>
    <nav class="explore" aria-labelledby="further-sections">
      <h2 id="further-sections">${chapterTitle} — ${t('exploreFurther')}</h2>
      ${
        others.length === 0
          ? html`<p class="muted">${t('noFurtherSections')}</p>`
          : html`<ul class="article-list">
              ${others.map(
                (a) =>
                  html`<li>
                    <a href="${ctx.href(`/articles/${a.id}`)}"
                      >${jurisdictions.get(a.jurisdiction) ?? a.jurisdiction}: ${ctx.text(a.title)}</a
                    >
                  </li>`,
              )}
            </ul>`
      }
    </nav>
    ${chapterLinks(ctx, chapters, chapter.code, t('exploreChapters'), false)}`;

  return layout(ctx, {
    title,
    ...(article.summary ? { description: ctx.text(article.summary) } : {}),
    main,
    breadcrumbs: [
      { label: chapterTitle, href: ctx.href(`/chapters/${chapter.code}`) },
      { label: ctx.text(jurisdiction.name), href: ctx.href(`/jurisdictions/${jurisdiction.code}`) },
      { label: title },
    ],
  });
}
