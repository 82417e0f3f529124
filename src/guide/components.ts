// Small pieces several pages share: status badges, taxonomy labels, instrument list items, source citations.
import type { Chapter, Citation, Lang, Source, Status, Taxonomy } from '../domain/types.ts';
import type { InstrumentView } from '../store/knowledge.repository.ts';
import type { PageContext } from './context.ts';
import { html, join, type SafeHtml } from '../domain/html.ts';
import type { Translate } from '../i18n/messages.ts';
import { sourceKindLabel, statusLabel } from './i18n.ts';

/** A status as words in a coloured pill; null means the instrument did not exist yet on the date. */
export function statusBadge(ctx: PageContext, status: Status | null): SafeHtml {
  const label = status === null ? ctx.t('notYetIssued') : statusLabel(status, ctx.lang);
  const cls = status ?? 'not-yet';
  return html`<span class="badge badge-${cls}" title="${ctx.t('statusBadgeTitle')} ${ctx.date(ctx.asOf)}"
    >${label}</span
  >`;
}

/** Labels of taxonomy codes in one language, falling back to the code itself. */
export class Labels {
  private readonly map = new Map<string, Map<string, { en: string; zh: string }>>();
  constructor(
    taxonomy: Taxonomy,
    private readonly lang: Lang,
  ) {
    const put = (scheme: string, code: string, label: { en: string; zh: string }) => {
      const m = this.map.get(scheme) ?? new Map<string, { en: string; zh: string }>();
      m.set(code, label);
      this.map.set(scheme, m);
    };
    for (const x of taxonomy.topics) put('topics', x.code, x.label);
    for (const x of taxonomy.scenario_categories) {
      put('scenario_categories', x.code, x.label);
      for (const f of x.fields) put('fields', f.code, f.label);
    }
    for (const x of taxonomy.demonstration_scenarios) put('demonstration_scenarios', x.code, x.label);
    for (const x of taxonomy.supply_elements) put('supply_elements', x.code, x.label);
    for (const x of taxonomy.governance_aspects) put('governance_aspects', x.code, x.label);
    for (const x of taxonomy.instrument_kinds) put('instrument_kinds', x.code, x.label);
    for (const x of taxonomy.event_types) put('event_types', x.code, x.label);
  }

  get(scheme: string, code: string): string {
    return this.map.get(scheme)?.get(code)?.[this.lang] ?? code;
  }

  /** The English label (for JSON-LD). */
  en(scheme: string, code: string): string {
    return this.map.get(scheme)?.get(code)?.en ?? code;
  }
}

/** One instrument in a listing: title link, kind, status badge. */
export function instrumentItem(ctx: PageContext, v: InstrumentView, labels: Labels, extra?: SafeHtml): SafeHtml {
  const i = v.instrument;
  return html`<li class="instrument-item">
    <a href="${ctx.href(`/instruments/${i.id}`)}">${ctx.text(i.title)}</a>
    <span class="meta">${labels.get('instrument_kinds', i.kind)}${extra ? html` · ${extra}` : ''}</span>
    ${statusBadge(ctx, v.status)}
  </li>`;
}

/** A link to a source's web address, opened without passing referrer or opener. */
export function sourceLink(source: Source | undefined, id: string): SafeHtml {
  if (!source) return html`<span>${id}</span>`;
  return source.url
    ? html`<a
        href="${source.url}"
        rel="noopener noreferrer"
        ${source.language ? html` hreflang="${source.language}"` : ''}
        >${source.title}</a
      >`
    : html`<span>${source.title}</span>`;
}

/** Citations inline: "Title (official, Next steps); Title (secondary)". */
export function citations(
  ctx: PageContext,
  list: readonly Citation[] | undefined,
  sources: ReadonlyMap<string, Source>,
): SafeHtml {
  if (!list || list.length === 0) return html``;
  return html`<span class="citations"
    ><span class="citations-label">${ctx.t('sourcesLabel')}</span> ${join(
      list.map((c) => {
        const s = sources.get(c.source);
        const bits = [s ? sourceKindLabel(s.kind, ctx.lang) : undefined, c.locator].filter((b) => b);
        return html`<span class="citation"
          >${sourceLink(s, c.source)}${bits.length ? html` <span class="muted">(${bits.join(', ')})</span>` : ''}</span
        >`;
      }),
      '; ',
    )}</span
  >`;
}

/**
 * "Explore other chapters in the guide": every chapter, the current one marked. On the chapter's own page the
 * current one is plain text (`aria-current="page"`); elsewhere it stays a link (`aria-current="true"`).
 */
export function chapterLinks(
  ctx: PageContext,
  chapters: readonly Chapter[],
  current: string,
  heading: string,
  onChapterPage: boolean,
): SafeHtml {
  return html`<nav class="explore" aria-labelledby="other-chapters">
    <h2 id="other-chapters">${heading}</h2>
    <ul class="chapter-links">
      ${chapters.map((c) => {
        const href = ctx.href(`/chapters/${c.code}`);
        const item =
          c.code !== current
            ? html`<a href="${href}">${ctx.text(c.title)}</a>`
            : onChapterPage
              ? html`<span aria-current="page">${ctx.text(c.title)}</span>`
              : html`<a href="${href}" aria-current="true">${ctx.text(c.title)}</a>`;
        return html`<li>${item}</li>`;
      })}
    </ul>
  </nav>`;
}

/**
 * An address or secret in a read-only input with a Copy button (the button stays hidden until the watch page's
 * script shows it; without it the text can still be selected). `describedBy` names the input's description.
 */
export function copyField(t: Translate, id: string, value: string, describedBy: string): SafeHtml {
  return html`<span class="copy-field">
    <input
      type="text"
      id="${id}"
      value="${value}"
      readonly
      spellcheck="false"
      autocomplete="off"
      data-copy-field
      aria-describedby="${describedBy}"
    />
    <button
      type="button"
      class="copy-button"
      hidden
      data-copy-target="${id}"
      data-copy-status="copy-status"
      data-copied="${t('copied')}"
      data-failed="${t('copyFailed')}"
      aria-describedby="${id}-label"
    >
      ${t('copy')}
    </button>
  </span>`;
}
