// Presenters: the JSON shapes of instruments that the API and the CLI's --json print (never raw rows).
import { parsePartialDate } from '../domain/dates.ts';
import { eventDate } from '../domain/status.ts';
import type { Citation, Source } from '../domain/types.ts';
import type { InstrumentDetail, InstrumentView, ListedInstrument } from '../store/knowledge.repository.ts';

/** An instrument in a listing, with its status as of the asked date. */
export function presentInstrument(v: ListedInstrument, asOf: string) {
  return { ...presentSummary(v, asOf), status: v.status };
}

/** A listing of instruments as of a date: the body of GET /api/v1/instruments and of `horizon instruments --json`. */
export function presentInstrumentList(list: readonly ListedInstrument[], asOf: string) {
  return { as_of: asOf, count: list.length, instruments: list.map((v) => presentInstrument(v, asOf)) };
}

/** The summary fields of an instrument; its status is null on a date before it exists. */
function presentSummary(v: InstrumentView, asOf: string) {
  const i = v.instrument;
  return {
    id: i.id,
    title: i.title,
    ...(i.short_title ? { short_title: i.short_title } : {}),
    document_number: i.document_number ?? null,
    kind: i.kind,
    legal_force: v.legalForce,
    jurisdiction: i.jurisdiction,
    issuers: [...i.issuers],
    topics: [...(i.topics ?? [])],
    status: v.status,
    as_of: asOf,
    url: `/instruments/${i.id}`,
  };
}

function cite(list: readonly Citation[] | undefined, sources: ReadonlyMap<string, Source>) {
  return (list ?? []).map((c) => {
    const s = sources.get(c.source);
    return {
      source: c.source,
      kind: s?.kind ?? null,
      title: s?.title ?? null,
      url: s?.url ?? null,
      ...(c.locator ? { locator: c.locator } : {}),
      ...(c.note ? { note: c.note } : {}),
    };
  });
}

/** An instrument with its summary, lifecycle, sources and relations. */
export function presentInstrumentDetail(d: InstrumentDetail, asOf: string) {
  const i = d.instrument;
  return {
    ...presentSummary(d, asOf),
    summary: i.summary,
    ...(i.notes ? { notes: i.notes } : {}),
    tags: {
      scenario_categories: [...(i.scenario_categories ?? [])],
      fields: [...(i.fields ?? [])],
      demonstration_scenarios: [...(i.demonstration_scenarios ?? [])],
      supply_elements: [...(i.supply_elements ?? [])],
      governance_aspects: [...(i.governance_aspects ?? [])],
    },
    issuers_detail: d.issuers.map((b) => ({ id: b.id, name: b.name, abbreviation: b.abbreviation ?? null })),
    events: i.events.map((e) => {
      const date = eventDate(e);
      return {
        key: e.key ?? e.type,
        type: e.type,
        date,
        precision: date === null ? null : (parsePartialDate(date)?.precision ?? null),
        approximate: e.approximate === true,
        disputed: (e.claims?.length ?? 0) > 1,
        ...(e.claims
          ? {
              claims: e.claims.map((c) => ({
                date: c.date,
                preferred: c.preferred === true,
                sources: cite(c.sources, d.sources),
                ...(c.note ? { note: c.note } : {}),
              })),
            }
          : {}),
        sources: cite(e.sources, d.sources),
        ...(e.note ? { note: e.note } : {}),
      };
    }),
    sources: cite(i.sources, d.sources),
    relations: d.relations.map((r) => ({ type: r.type, direction: r.direction, instrument: r.other })),
  };
}
