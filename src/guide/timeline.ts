// An instrument's lifecycle as a vertical timeline: dated events in order, the as-of date marked on the line,
// later events dimmed, disputed dates with every claim and its sources.
import { parsePartialDate } from '../domain/dates.ts';
import { eventDate, eventDay, preferredClaim } from '../domain/status.ts';
import type { LifecycleEvent, Source } from '../domain/types.ts';
import { citations, type Labels } from './components.ts';
import type { PageContext } from './context.ts';
import { html, type SafeHtml } from '../domain/html.ts';

interface Placed {
  readonly event: LifecycleEvent;
  readonly date: string | null;
  /** First day the date may stand for (for ordering). */
  readonly sortKey: string | null;
  /** Last day (the day from which it certainly happened). */
  readonly day: string | null;
}

/** Events in date order (unknown dates last, authored order kept among equals). */
export function orderEvents(events: readonly LifecycleEvent[]): Placed[] {
  return events
    .map((event, index) => {
      const date = eventDate(event);
      return {
        event,
        date,
        sortKey: date === null ? null : (parsePartialDate(date)?.first ?? null),
        day: eventDay(event),
        index,
      };
    })
    .sort((a, b) => {
      if (a.sortKey === b.sortKey) return a.index - b.index;
      if (a.sortKey === null) return 1;
      if (b.sortKey === null) return -1;
      return a.sortKey < b.sortKey ? -1 : 1;
    });
}

function dateLabel(ctx: PageContext, date: string): SafeHtml {
  const parsed = parsePartialDate(date);
  return html`<time datetime="${date}">${ctx.date(date)}</time>${
      parsed && parsed.precision !== 'day'
        ? html` <span class="precision">(${parsed.precision === 'month' ? monthOnly(ctx) : yearOnly(ctx)})</span>`
        : ''
    }`;
}

const monthOnly = (ctx: PageContext) => ctx.t('monthOnly');
const yearOnly = (ctx: PageContext) => ctx.t('yearOnly');

function disputedBlock(ctx: PageContext, event: LifecycleEvent, sources: ReadonlyMap<string, Source>): SafeHtml {
  const claims = event.claims ?? [];
  const preferred = preferredClaim(claims);
  return html`<div class="disputed">
    <p>
      <strong class="disputed-flag">${ctx.t('disputed')}</strong> — ${ctx.t('disputedShownAs')}
      ${preferred ? dateLabel(ctx, preferred.date) : ''}${ctx.t('preferredNote', { preferred: ctx.t('preferred') })}
      ${ctx.t('sourcesGive')}
    </p>
    <ul class="claims">
      ${claims.map(
        (c) =>
          html`<li class="claim${c === preferred ? ' claim-preferred' : ''}">
            ${dateLabel(ctx, c.date)}${c === preferred ? html` <span class="tag tag-preferred">${ctx.t('preferred')}</span>` : ''}
            ${c.note ? html`<span class="claim-note">— ${ctx.text(c.note)}</span>` : ''}
            ${citations(ctx, c.sources, sources)}
          </li>`,
      )}
    </ul>
  </div>`;
}

/** The timeline of an instrument's lifecycle as of ctx.asOf. */
export function timeline(
  ctx: PageContext,
  events: readonly LifecycleEvent[],
  labels: Labels,
  sources: ReadonlyMap<string, Source>,
): SafeHtml {
  const placed = orderEvents(events);
  const { t } = ctx;
  const marker = html`<li class="tl-asof" aria-label="${t('asOfMarker')} ${ctx.date(ctx.asOf)}">
    <span class="tl-asof-label">${t('asOfMarker')} <time datetime="${ctx.asOf}">${ctx.date(ctx.asOf)}</time></span>
  </li>`;
  let markerAt = placed.findIndex((p) => p.day !== null && p.day > ctx.asOf);
  if (markerAt === -1) markerAt = placed.findIndex((p) => p.day === null);
  if (markerAt === -1) markerAt = placed.length;

  const items = placed.map((p) => {
    const future = p.day !== null && p.day > ctx.asOf;
    const disputed = (p.event.claims?.length ?? 0) > 1;
    // A single claim is not a dispute: its sources are the event's.
    const cited = [...(p.event.sources ?? []), ...(disputed ? [] : (p.event.claims ?? []).flatMap((c) => c.sources))];
    const cls = [
      'tl-event',
      future ? 'tl-future' : p.day === null ? 'tl-unknown' : 'tl-past',
      disputed ? 'tl-disputed' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return html`<li class="${cls}">
      <div class="tl-head">
        <span class="tl-type">${labels.get('event_types', p.event.type)}</span>
        <span class="tl-date">${p.date === null ? html`<em>${t('dateUnknown')}</em>` : dateLabel(ctx, p.date)}</span>
        ${p.event.approximate ? html`<span class="tag tag-approx">${t('approximate')}</span>` : ''}
        ${disputed ? html`<span class="tag tag-disputed">${ctx.t('disputedTag')}</span>` : ''}
        ${future ? html`<span class="tag tag-future">${t('afterAsOf')}</span>` : ''}
      </div>
      ${p.event.note ? html`<p class="tl-note">${ctx.text(p.event.note)}</p>` : ''}
      ${disputed ? disputedBlock(ctx, p.event, sources) : ''}
      ${cited.length > 0 ? html`<p class="tl-sources">${citations(ctx, cited, sources)}</p>` : ''}
    </li>`;
  });
  items.splice(markerAt, 0, marker);
  return html`<ol class="timeline">
    ${items}
  </ol>`;
}
