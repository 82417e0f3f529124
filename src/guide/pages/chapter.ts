// `/chapters/:code`: one chapter's articles, grouped by jurisdiction in the jurisdiction tree's order.
import { errors } from '../../errors.ts';
import type { KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { chapterLinks } from '../components.ts';
import type { PageContext } from '../context.ts';
import { html } from '../../domain/html.ts';
import { layout } from '../layout.ts';

export async function chapterPage(ctx: PageContext, repo: KnowledgeRepository, code: string): Promise<string> {
  const { t } = ctx;
  const [chapters, jurisdictions] = await Promise.all([repo.chapters(), repo.jurisdictions()]);
  const chapter = chapters.find((c) => c.code === code);
  if (!chapter) throw errors.notFound('chapter', code);
  const articles = await repo.articles({ chapter: code });
  const groups = jurisdictions
    .map((j) => ({ j, list: articles.filter((a) => a.jurisdiction === j.code) }))
    .filter((g) => g.list.length > 0);
  const title = ctx.text(chapter.title);
  const main = html`<article class="chapter">
    <header class="page-header">
      <p class="eyebrow">${t('chapter')}</p>
      <h1>${title}</h1>
      ${chapter.summary ? html`<p class="lede">${ctx.text(chapter.summary)}</p>` : ''}
    </header>
    <section aria-labelledby="by-jurisdiction">
      <h2 id="by-jurisdiction">${t('articlesByJurisdiction')}</h2>
      ${
        groups.length === 0
          ? html`<p class="muted">${t('noArticlesYet')}</p>`
          : groups.map(
              (g) =>
                html`<section class="jurisdiction-group" aria-labelledby="j-${g.j.code}">
                  <h3 id="j-${g.j.code}">
                    <a href="${ctx.href(`/jurisdictions/${g.j.code}`)}">${ctx.text(g.j.name)}</a>
                  </h3>
                  <ul class="article-list">
                    ${g.list.map(
                      (a) =>
                        html`<li>
                          <a href="${ctx.href(`/articles/${a.id}`)}">${ctx.text(a.title)}</a
                          >${a.summary ? html`<p class="muted">${ctx.text(a.summary)}</p>` : ''}
                        </li>`,
                    )}
                  </ul>
                </section>`,
            )
      }
    </section>
    ${chapterLinks(ctx, chapters, code, t('exploreChapters'), true)}
  </article>`;
  return layout(ctx, { title, main, breadcrumbs: [{ label: t('home'), href: ctx.href('/') }, { label: title }] });
}
