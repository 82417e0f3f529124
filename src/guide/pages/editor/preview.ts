// The server-side preview of an article revision's Markdown, rendered by the guide's own sanitizing renderer
// (guide/markdown.ts: markdown-it without raw HTML, then sanitize-html), with `instrument:ID` links pointing to the
// instrument pages and unknown ids marked, so what the editor previews is what readers will get.
import { html, raw, type SafeHtml } from '../../../domain/html.ts';
import type { Bilingual, Lang } from '../../../domain/types.ts';
import { instrumentIds, renderSections } from '../../markdown.ts';
import type { PageContext } from '../../context.ts';

/** The instruments a preview may link to: id → title. */
export type InstrumentTitles = ReadonlyMap<string, Bilingual>;

/** The Markdown as the article page renders it, in a labelled region; cited ids that are not known are listed. */
export function markdownPreview(ctx: PageContext, markdown: string, lang: Lang, titles: InstrumentTitles): SafeHtml {
  const { t } = ctx;
  const sections = renderSections(markdown, (id) => {
    const title = titles.get(id);
    return {
      href: `/instruments/${encodeURIComponent(id)}`,
      title: title ? ctx.text(title) : t('ed.previewUnknownInstrument', { id }),
    };
  });
  const unknown = instrumentIds(markdown).filter((id) => !titles.has(id));
  const id = `preview-${lang}`;
  return html`<section class="editor-preview" id="${id}" aria-labelledby="${id}-heading">
    <h3 id="${id}-heading">${t('ed.previewHeading')}</h3>
    ${
      unknown.length > 0
        ? html`<p class="notice" role="note">${t('ed.previewUnknown', { ids: unknown.join(', ') })}</p>`
        : ''
    }
    <div class="article-body" lang="${lang === 'zh' ? 'zh-Hans' : 'en'}">${sections.map((s) => raw(s.html))}</div>
  </section>`;
}
