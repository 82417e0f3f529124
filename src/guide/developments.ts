// The list of an article's developments (editorial/developments.ts), for the article page's notice and the workspace.
import { html, type SafeHtml } from '../domain/html.ts';
import type { Development } from '../editorial/developments.ts';
import type { Labels } from './components.ts';
import type { PageContext } from './context.ts';

/** A date as a <time> element in the page's language ("in March 2024" when only the month or year is known). */
function when(ctx: PageContext, date: string, dayPrecise: boolean): SafeHtml {
  const shown = ctx.date(date);
  return html`<time datetime="${date}">${dayPrecise ? shown : ctx.t('attention.inPeriod', { date: shown })}</time>`;
}

/** One development: the instrument, then what happened and when. */
function item(ctx: PageContext, labels: Labels, d: Development): SafeHtml {
  const link = html`<a href="${ctx.href(`/instruments/${d.instrument}`)}">${ctx.text(d.title)}</a>`;
  if (d.kind === 'event') {
    return html`<li class="development" data-kind="event" data-type="${d.type}">
      ${link} — ${labels.get('event_types', d.type)},
      ${when(ctx, d.date, d.precision === 'day')}${
        d.approximate ? html` <span class="muted">(${ctx.t('approximate')})</span>` : ''
      }${d.disputed ? html` <span class="tag tag-disputed">${ctx.t('attention.disputed')}</span>` : ''}
    </li>`;
  }
  const date = ctx.date(d.day);
  const what =
    d.change === 'removed'
      ? ctx.t('attention.removed', { date })
      : ctx.t('attention.changed', {
          date,
          fields: d.fields.map((field) => ctx.t('attention.field', { field })).join(ctx.lang === 'zh' ? '、' : ', '),
        });
  return html`<li class="development" data-kind="change">${link} — ${what}</li>`;
}

/** The developments, oldest first, as a list. */
export function developmentList(ctx: PageContext, labels: Labels, list: readonly Development[]): SafeHtml {
  return html`<ul class="developments">
    ${list.map((d) => item(ctx, labels, d))}
  </ul>`;
}
