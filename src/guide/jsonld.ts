// schema.org Legislation for an instrument page, as JSON-LD safe to embed in a <script> element.
import { languageTag } from '../i18n/languages.ts';
import { eventDate } from '../domain/status.ts';
import type { EventType, Status } from '../domain/types.ts';
import type { InstrumentDetail } from '../store/knowledge.repository.ts';
import type { Labels } from './components.ts';
import type { PageContext } from './context.ts';
import { html, raw, type SafeHtml } from '../domain/html.ts';

function firstDate(d: InstrumentDetail, types: readonly EventType[]): string | undefined {
  for (const type of types) {
    for (const e of d.instrument.events) {
      if (e.type !== type) continue;
      const date = eventDate(e);
      if (date !== null) return date;
    }
  }
  return undefined;
}

/** schema.org LegalForceStatus: in force (binding in force, or non-binding issued and current) or not. */
export function legalForceStatus(status: Status | null): string {
  return status === 'in_force' || status === 'issued' ? 'https://schema.org/InForce' : 'https://schema.org/NotInForce';
}

/** The JSON-LD object for an instrument as of ctx.asOf; ids are under the site's public address (no trailing slash). */
export function legislationJsonLd(
  ctx: PageContext,
  d: InstrumentDetail,
  labels: Labels,
  publicUrl: string,
): Record<string, unknown> {
  const i = d.instrument;
  const other = ctx.lang === 'en' ? 'zh' : 'en';
  const legislationDate = firstDate(d, ['adopted', 'signed', 'announced', 'published']);
  const datePublished = firstDate(d, ['published', 'announced']);
  return {
    '@context': 'https://schema.org',
    '@type': 'Legislation',
    '@id': `${publicUrl}/instruments/${i.id}`,
    name: i.title[ctx.lang],
    alternateName: i.title[other],
    ...(i.short_title?.[ctx.lang] ? { disambiguatingDescription: i.short_title[ctx.lang] } : {}),
    ...(i.document_number ? { legislationIdentifier: i.document_number } : {}),
    legislationType: labels.get('instrument_kinds', i.kind),
    ...(legislationDate ? { legislationDate } : {}),
    ...(datePublished ? { datePublished } : {}),
    legislationLegalForce: legalForceStatus(d.status),
    legislationJurisdiction: d.jurisdiction.name[ctx.lang],
    legislationPassedBy: d.issuers.map((b) => ({
      '@type': 'Organization',
      name: b.name[ctx.lang],
      ...(b.abbreviation ? { alternateName: b.abbreviation } : {}),
    })),
    abstract: i.summary[ctx.lang],
    url: `${publicUrl}/instruments/${i.id}`,
    inLanguage: languageTag(ctx.lang),
  };
}

/** JSON in a script element: every `<` (and the line separators JavaScript dislikes) escaped. */
export function jsonLdScript(data: unknown): SafeHtml {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return html`<script type="application/ld+json">
    ${raw(json)}
  </script>`;
}
