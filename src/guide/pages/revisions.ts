// `/articles/:id/revisions`: every revision of an article, each kept whole, with a form to compare two; and
// `/articles/:id/compare?from=&to=`: two revisions as a readable diff, section by section, word by word.
import { languageName, languageTag } from '../../i18n/languages.ts';
import { HorizonError } from '../../errors.ts';
import type { Lang } from '../../domain/types.ts';
import type { ArticleDetail, KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { diffRevisionsCached, type DiffPart, type SectionDiff, type SectionStatus } from '../../watch/diff.ts';
import type { PageContext } from '../context.ts';
import { html, raw, type SafeHtml } from '../../domain/html.ts';
import type { Translate } from '../../i18n/messages.ts';
import { layout, type Crumb } from '../layout.ts';

type Revision = ArticleDetail['revisions'][number];

function time(ctx: PageContext, date: string): SafeHtml {
  return html`<time datetime="${date}">${ctx.date(date)}</time>`;
}

function crumbs(ctx: PageContext, detail: ArticleDetail, last: Crumb[]): Crumb[] {
  const { article, chapter, jurisdiction } = detail;
  return [
    { label: ctx.text(chapter.title), href: ctx.href(`/chapters/${chapter.code}`) },
    { label: ctx.text(jurisdiction.name), href: ctx.href(`/jurisdictions/${jurisdiction.code}`) },
    { label: ctx.text(article.title), href: ctx.href(`/articles/${article.id}`) },
    ...last,
  ];
}

function changeNote(ctx: PageContext, revision: Revision): string | undefined {
  return (revision.langs.get(ctx.lang) ?? revision.langs.get('en') ?? revision.langs.get('zh'))?.change_note;
}

/** The list of revisions with links to each, and a GET form choosing two to compare. */
export async function revisionsPage(ctx: PageContext, repo: KnowledgeRepository, id: string): Promise<string> {
  const { t } = ctx;
  const detail = await repo.article(id);
  const { article, revisions } = detail;
  if (revisions.length === 0) throw new HorizonError('not_found', `Article "${id}" has no revision yet`);
  const title = ctx.text(article.title);
  const keep: [string, string][] = [
    ...(ctx.lang === 'en' ? [] : [['lang', ctx.lang] as [string, string]]),
    ...(ctx.asOfGiven ? [['as_of', ctx.asOf] as [string, string]] : []),
  ];
  const option = (r: Revision, selected: boolean) =>
    html`<option value="${r.date}" ${selected ? html` selected` : ''}>${ctx.date(r.date)}</option>`;

  const main = html`<article class="revisions-page" aria-labelledby="page-title">
    <header class="page-header">
      <p class="eyebrow"><a href="${ctx.href(`/articles/${id}`)}">${title}</a></p>
      <h1 id="page-title">${t('revisionsAndChanges')}</h1>
      <p class="lede">${t('revisionsIntro')}</p>
    </header>
    <section aria-labelledby="revisions-list-heading">
      <h2 id="revisions-list-heading">${t('revisionsList')}</h2>
      <ol class="revision-list" reversed>
        ${revisions.map((r, i) => {
          const previous = revisions[i + 1];
          const note = changeNote(ctx, r);
          return html`<li class="revision-item">
            <a href="${ctx.href(`/articles/${id}`, { revision: r.date })}"
              >${t('readRevisionAccurate')} ${time(ctx, r.date)}</a
            >${i === 0 ? html` <span class="revision-latest">(${t('latestMark')})</span>` : ''}
            <span class="muted small"
              >${[...r.langs.keys()].map(
                (l, n) => html`${n > 0 ? ' · ' : ''}<span lang="${languageTag(l)}">${languageName(l)}</span>`,
              )}</span
            >
            ${note ? html`<span class="change-note">${note}</span>` : ''}
            ${
              previous
                ? html`<a
                    class="compare-link"
                    href="${ctx.href(`/articles/${id}/compare`, { from: previous.date, to: r.date })}"
                    >${t('compareWithPrevious')}</a
                  >`
                : ''
            }
          </li>`;
        })}
      </ol>
    </section>
    ${
      revisions.length > 1
        ? html`<section aria-labelledby="compare-form-heading">
            <h2 id="compare-form-heading">${t('compareTwo')}</h2>
            <form class="compare-form" method="get" action="/articles/${article.id}/compare">
              <p>
                <label for="compare-from">${t('compareFrom')}</label>
                <select id="compare-from" name="from">
                  ${revisions.map((r, i) => option(r, i === 1))}
                </select>
              </p>
              <p>
                <label for="compare-to">${t('compareTo')}</label>
                <select id="compare-to" name="to">
                  ${revisions.map((r, i) => option(r, i === 0))}
                </select>
              </p>
              ${keep.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
              <button type="submit">${t('compareButton')}</button>
            </form>
          </section>`
        : ''
    }
  </article>`;

  return layout(ctx, {
    title: `${t('revisionsAndChanges')}: ${title}`,
    main,
    breadcrumbs: crumbs(ctx, detail, [{ label: t('revisionsAndChanges') }]),
  });
}

function findRevision(detail: ArticleDetail, date: string): Revision {
  const revision = detail.revisions.find((r) => r.date === date);
  if (!revision) {
    throw new HorizonError(
      'not_found',
      `Article "${detail.article.id}" has no revision accurate up to ${date}; its revisions are ${detail.revisions.map((r) => r.date).join(', ')}`,
    );
  }
  return revision;
}

/** The language both revisions are written in: the page's if possible. */
function commonLang(ctx: PageContext, a: Revision, b: Revision): Lang {
  const both = (l: Lang) => a.langs.has(l) && b.langs.has(l);
  const other: Lang = ctx.lang === 'en' ? 'zh' : 'en';
  if (both(ctx.lang)) return ctx.lang;
  if (both(other)) return other;
  throw new HorizonError('not_found', `The revisions ${a.date} and ${b.date} have no language in common`);
}

function statusLabel(t: Translate, status: SectionStatus): string {
  switch (status) {
    case 'added':
      return t('diffAdded');
    case 'removed':
      return t('diffRemoved');
    case 'changed':
      return t('diffChanged');
    case 'unchanged':
      return t('diffUnchanged');
  }
}

/**
 * The parts to show under a section's own heading: the Markdown heading line is left out when it is whole in the
 * first part and not itself changed (a renamed heading stays, as a change).
 */
function shownParts(section: SectionDiff): DiffPart[] {
  const parts = [...(section.parts ?? [])];
  const first = parts[0];
  if (section.heading === null || !first || !/^[^\n]*\n/.test(first.text)) {
    // A <pre> drops a line break that opens it.
    return first?.text.startsWith('\n') ? [{ kind: first.kind, text: `\n${first.text}` }, ...parts.slice(1)] : parts;
  }
  if (section.status === 'changed' && first.kind !== 'same') return parts;
  const rest = first.text.replace(/^[^\n]*\n+/, '');
  return rest === '' ? parts.slice(1) : [{ kind: first.kind, text: rest }, ...parts.slice(1)];
}

/**
 * Markdown source with its line breaks kept, in a <pre> built without a template so that no formatting of the
 * source can add white space inside it. Both pieces are already safe (escaped by html``).
 */
export function preformatted(lang: string | undefined, content: SafeHtml): SafeHtml {
  const attr = lang === undefined ? '' : html` lang="${lang}"`.value;
  return raw(`<pre class="diff-text"${attr}>${content.value}</pre>`);
}

export function renderParts(ctx: PageContext, parts: readonly DiffPart[]): SafeHtml {
  const { t } = ctx;
  return html`${parts.map((p) =>
    p.kind === 'same'
      ? p.text
      : p.kind === 'added'
        ? html`<ins><span class="visually-hidden">${t('diffAddedPrefix')} </span>${p.text}</ins>`
        : html`<del><span class="visually-hidden">${t('diffRemovedPrefix')} </span>${p.text}</del>`,
  )}`;
}

/** Two revisions compared: a summary line, then every section with its status, unchanged ones folded. */
export async function comparePage(
  ctx: PageContext,
  repo: KnowledgeRepository,
  id: string,
  fromDate: string | undefined,
  toDate: string | undefined,
): Promise<string> {
  const { t } = ctx;
  const detail = await repo.article(id);
  const { article, revisions } = detail;
  const latest = revisions[0];
  if (!latest) throw new HorizonError('not_found', `Article "${id}" has no revision yet`);
  const to = findRevision(detail, toDate ?? latest.date);
  const from = findRevision(detail, fromDate ?? revisions.find((r) => r.date < to.date)?.date ?? to.date);
  const lang = commonLang(ctx, from, to);
  const before = from.langs.get(lang)?.body ?? '';
  const after = to.langs.get(lang)?.body ?? '';
  const diff = diffRevisionsCached(before, after, lang);
  const { stats } = diff;
  const textLang = lang === ctx.lang ? undefined : languageTag(lang);
  const noChanges = diff.sections.every((s) => s.status === 'unchanged');
  const title = ctx.text(article.title);

  const sectionHtml = (s: SectionDiff, i: number): SafeHtml => {
    const heading = s.heading ?? t('introduction');
    const label = html`<span class="diff-status diff-status-${s.status}">${statusLabel(t, s.status)}</span>`;
    const body = preformatted(textLang, renderParts(ctx, shownParts(s)));
    const headingLang = textLang && s.heading !== null ? html` lang="${textLang}"` : '';
    if (s.status === 'unchanged') {
      return html`<details class="diff-section diff-unchanged">
        <summary><span class="diff-heading" ${headingLang}>${heading}</span> ${label}</summary>
        ${body}
      </details>`;
    }
    return html`<section class="diff-section diff-${s.status}" aria-labelledby="diff-${i}">
      <h2 id="diff-${i}"><span class="diff-heading" ${headingLang}>${heading}</span> ${label}</h2>
      ${
        s.previousHeading === undefined
          ? ''
          : html`<p class="muted small">${t('diffRenamedFrom')} <span ${headingLang}>${s.previousHeading}</span></p>`
      }
      ${body}
    </section>`;
  };

  const main = html`<article class="compare-page" aria-labelledby="page-title">
    <header class="page-header">
      <p class="eyebrow"><a href="${ctx.href(`/articles/${id}`)}">${title}</a></p>
      <h1 id="page-title">${t('compareTitle')}</h1>
      <p class="lede">${ctx.tHtml('compareBetween', { from: time(ctx, from.date), to: time(ctx, to.date) })}</p>
    </header>
    ${
      lang === ctx.lang
        ? ''
        : html`<p class="notice" role="note">${lang === 'en' ? t('compareOnlyEnglish') : t('compareOnlyChinese')}</p>`
    }
    <p class="diff-summary">
      <strong
        >${t('compareSummary', {
          sa: stats.sectionsAdded,
          sr: stats.sectionsRemoved,
          sc: stats.sectionsChanged,
          wa: stats.wordsAdded,
          wr: stats.wordsRemoved,
        })}</strong
      >
      ${noChanges ? html`<br />${t('compareNoChanges')}` : ''}
    </p>
    <p class="muted small diff-legend">${t('compareLegend')}</p>
    <div class="diff">${diff.sections.map(sectionHtml)}</div>
    <p class="compare-links">
      <a href="${ctx.href(`/articles/${id}/revisions`)}">${t('compareOther')}</a> ·
      <a href="${ctx.href(`/articles/${id}`)}">${t('backToArticle')}</a>
    </p>
  </article>`;

  return layout(ctx, {
    title: `${t('compareTitle')}: ${title}`,
    main,
    breadcrumbs: crumbs(ctx, detail, [
      { label: t('revisionsAndChanges'), href: ctx.href(`/articles/${id}/revisions`) },
      { label: `${ctx.date(from.date)} → ${ctx.date(to.date)}` },
    ]),
  });
}
