// What each entity contributes to search: the documents (instrument, its events, programme, article) with their
// shown text by language, the hidden words that also find them, and the facet values. Pure: no database here.
import { formatPartialDate } from '../domain/dates.ts';
import { eventDate, eventDay, statusAsOf } from '../domain/status.ts';
import {
  TAG_SCHEMES,
  type Article,
  type ArticleRevision,
  type Bilingual,
  type Body,
  type Chapter,
  type Instrument,
  type Jurisdiction,
  type LegalForce,
  type PartialText,
  type Programme,
  type Status,
  type Taxonomy,
} from '../domain/types.ts';
import { ancestorsOf } from '../domain/jurisdictions.ts';

export const SEARCH_TYPES = ['instrument', 'event', 'programme', 'article'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** One searchable thing. Title, summary and body are shown (and weighted A, B, C); `hidden` finds it (D). */
export interface SearchDocument {
  readonly key: string;
  readonly type: SearchType;
  readonly id: string;
  /** The instrument it belongs to: its status is the document's status. */
  readonly instrumentId: string | null;
  readonly url: string;
  readonly jurisdiction: string | null;
  readonly kind: string | null;
  readonly year: number | null;
  readonly topics: readonly string[];
  readonly issuers: readonly string[];
  readonly title: Bilingual;
  /** Title words that are not shown: short titles, document number. */
  readonly titleExtra: string;
  readonly summary: Bilingual;
  readonly body: Bilingual;
  /** Names of its place, issuers, topics and kind in both languages. */
  readonly hidden: string;
}

/** A span of days with one status: from `from` (inclusive) to `to` (exclusive; null = open). */
export interface StatusSpan {
  readonly instrumentId: string;
  readonly from: string;
  readonly to: string | null;
  readonly status: Status;
}

/** What documents are built with: names and labels from the store. */
export interface IndexContext {
  readonly taxonomy: Taxonomy;
  readonly jurisdictions: ReadonlyMap<string, Jurisdiction>;
  readonly bodies: ReadonlyMap<string, Body>;
  readonly chapters: ReadonlyMap<string, Chapter>;
}

/** The kinds of programme and their labels (search documents and facets). */
export const PROGRAMME_KIND_LABELS: ReadonlyMap<string, Bilingual> = new Map([
  ['pilot', { en: 'Pilot', zh: '试点' }],
  ['scenario-call', { en: 'Scenario call', zh: '场景征集' }],
  ['incentive', { en: 'Incentive', zh: '激励措施' }],
  ['obligation', { en: 'Obligation', zh: '义务' }],
  ['encouragement', { en: 'Encouraged', zh: '政策鼓励' }],
]);

const EMPTY: Bilingual = { en: '', zh: '' };
const both = (t: PartialText | Bilingual | undefined): string => (t ? [t.en ?? '', t.zh ?? ''].join(' ') : '');
const lines = (...parts: (string | undefined)[]): string => parts.filter((p) => p !== undefined && p !== '').join('\n');

/** Label of a taxonomy code in both languages (code itself when unknown). */
function label(ctx: IndexContext, scheme: string, code: string): Bilingual {
  const t = ctx.taxonomy;
  const find = (list: readonly { code: string; label: Bilingual }[]) => list.find((x) => x.code === code)?.label;
  const found =
    scheme === 'instrument_kinds'
      ? find(t.instrument_kinds)
      : scheme === 'event_types'
        ? find(t.event_types)
        : scheme === 'fields'
          ? find(t.scenario_categories.flatMap((c) => c.fields))
          : find((t as unknown as Record<string, readonly { code: string; label: Bilingual }[]>)[scheme] ?? []);
  return found ?? { en: code, zh: code };
}

/** Names of a jurisdiction and the ones it lies within, both languages. */
function placeNames(ctx: IndexContext, code: string): string {
  const tree = new Map([...ctx.jurisdictions.values()].map((j) => [j.code, j.parent ?? null]));
  return ancestorsOf(tree, code)
    .flatMap((c) => {
      const j = ctx.jurisdictions.get(c);
      return j ? [both(j.name)] : [];
    })
    .join(' ');
}

/** Legal force of an instrument: its own, else its kind's. */
export function legalForceOf(inst: Instrument, ctx: IndexContext): LegalForce {
  return (
    inst.legal_force ?? ctx.taxonomy.instrument_kinds.find((k) => k.code === inst.kind)?.legal_force ?? 'non-binding'
  );
}

const MADE = new Set(['adopted', 'signed', 'announced', 'published']);

/** The year an instrument was made (adopted, signed, announced or published), else of its first dated event. */
export function instrumentYear(inst: Instrument): number | null {
  const days = inst.events.map((e) => ({ type: e.type, day: eventDay(e) })).filter((e) => e.day !== null);
  const made = days.filter((e) => MADE.has(e.type)).map((e) => e.day as string);
  const pick = (made.length > 0 ? made : days.map((e) => e.day as string)).sort()[0];
  return pick ? Number(pick.slice(0, 4)) : null;
}

/** The instrument's status from each event day on: the spans the status facet and filter read. */
export function statusSpans(inst: Instrument, ctx: IndexContext): StatusSpan[] {
  const force = legalForceOf(inst, ctx);
  const days = [...new Set(inst.events.map(eventDay).filter((d): d is string => d !== null))].sort();
  const spans: { from: string; status: Status }[] = [];
  for (const day of days) {
    const status = statusAsOf(inst.events, force, day);
    if (status === null) continue;
    if (spans.at(-1)?.status !== status) spans.push({ from: day, status });
  }
  return spans.map((s, i) => ({
    instrumentId: inst.id,
    from: s.from,
    to: spans[i + 1]?.from ?? null,
    status: s.status,
  }));
}

function tagWords(inst: Instrument, ctx: IndexContext): string {
  return TAG_SCHEMES.flatMap((scheme) => (inst[scheme] ?? []).map((code) => both(label(ctx, scheme, code)))).join(' ');
}

function issuerWords(ids: readonly string[], ctx: IndexContext): string {
  return ids
    .map((id) => ctx.bodies.get(id))
    .map((b) => (b ? `${both(b.name)} ${b.abbreviation ?? ''}` : ''))
    .join(' ');
}

/** The instrument and each of its events as documents. */
export function instrumentDocuments(inst: Instrument, ctx: IndexContext): SearchDocument[] {
  const year = instrumentYear(inst);
  const topics = [...(inst.topics ?? [])];
  const issuers = [...inst.issuers];
  const kindLabel = both(label(ctx, 'instrument_kinds', inst.kind));
  const hidden = lines(
    placeNames(ctx, inst.jurisdiction),
    issuerWords(inst.issuers, ctx),
    tagWords(inst, ctx),
    kindLabel,
  );
  const common = { instrumentId: inst.id, jurisdiction: inst.jurisdiction, topics, issuers };
  const docs: SearchDocument[] = [
    {
      ...common,
      key: `instrument:${inst.id}`,
      type: 'instrument',
      id: inst.id,
      url: `/instruments/${inst.id}`,
      kind: inst.kind,
      year,
      title: inst.title,
      titleExtra: lines(both(inst.short_title), inst.document_number),
      summary: inst.summary,
      body: {
        en: lines(inst.notes?.en, ...(inst.relations ?? []).map((r) => r.note?.en)),
        zh: lines(inst.notes?.zh, ...(inst.relations ?? []).map((r) => r.note?.zh)),
      },
      hidden,
    },
  ];
  const short = inst.short_title ?? inst.title;
  for (const e of inst.events) {
    const key = e.key ?? e.type;
    const date = eventDate(e);
    const day = eventDay(e);
    const what = label(ctx, 'event_types', e.type);
    const when = date === null ? EMPTY : { en: formatPartialDate(date, 'en'), zh: formatPartialDate(date, 'zh') };
    const claims = e.claims ?? [];
    docs.push({
      ...common,
      key: `event:${inst.id}/${key}`,
      type: 'event',
      id: `${inst.id}/${key}`,
      url: `/instruments/${inst.id}#lifecycle-heading`,
      kind: e.type,
      year: day === null ? null : Number(day.slice(0, 4)),
      title: {
        en: `${what.en}: ${short.en ?? inst.title.en}${when.en ? ` (${when.en})` : ''}`,
        zh: `${short.zh ?? inst.title.zh}${what.zh}${when.zh ? `（${when.zh}）` : ''}`,
      },
      titleExtra: lines(date ?? undefined, ...claims.map((c) => c.date)),
      summary: {
        en: lines(e.note?.en, ...claims.map((c) => c.note?.en)),
        zh: lines(e.note?.zh, ...claims.map((c) => c.note?.zh)),
      },
      body: EMPTY,
      hidden: lines(both(inst.title), hidden),
    });
  }
  return docs;
}

/** Every label of an eligibility rule tree (both languages): what the rule asks in words. */
function ruleLabels(node: unknown, out: { en: string[]; zh: string[] }): void {
  if (Array.isArray(node)) {
    for (const n of node) ruleLabels(n, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const l = o.label as PartialText | undefined;
  if (l && typeof l === 'object') {
    if (l.en) out.en.push(l.en);
    if (l.zh) out.zh.push(l.zh);
  }
  for (const [k, v] of Object.entries(o)) if (k !== 'label' && typeof v === 'object') ruleLabels(v, out);
}

/** A programme as a document; it takes place, topics, issuers and status from its instrument. */
export function programmeDocument(p: Programme, inst: Instrument | undefined, ctx: IndexContext): SearchDocument {
  const rule = { en: [] as string[], zh: [] as string[] };
  ruleLabels(p.rule, rule);
  const kind = PROGRAMME_KIND_LABELS.get(p.kind) ?? { en: p.kind, zh: p.kind };
  return {
    key: `programme:${p.id}`,
    type: 'programme',
    id: p.id,
    instrumentId: p.instrument,
    url: `/instruments/${p.instrument}`,
    jurisdiction: inst?.jurisdiction ?? null,
    kind: p.kind,
    year: inst ? instrumentYear(inst) : null,
    topics: [...(inst?.topics ?? [])],
    issuers: [...(inst?.issuers ?? [])],
    title: p.title,
    titleExtra: '',
    summary: p.description,
    body: {
      en: lines(p.effect.en, p.provision?.en, p.notes?.en, ...rule.en),
      zh: lines(p.effect.zh, p.provision?.zh, p.notes?.zh, ...rule.zh),
    },
    hidden: lines(
      both(kind),
      inst ? both(inst.title) : '',
      inst ? both(inst.short_title) : '',
      inst ? placeNames(ctx, inst.jurisdiction) : '',
      inst ? issuerWords(inst.issuers, ctx) : '',
      inst ? tagWords(inst, ctx) : '',
    ),
  };
}

/** Markdown as plain text: links keep their words, markup goes. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** An article as a document, with the text of its latest revision in each language. */
export function articleDocument(
  a: Article,
  latest: ReadonlyMap<'en' | 'zh', ArticleRevision>,
  ctx: IndexContext,
): SearchDocument {
  const en = latest.get('en');
  const zh = latest.get('zh');
  const date = [en?.accurate_up_to, zh?.accurate_up_to]
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
  const chapter = ctx.chapters.get(a.chapter);
  return {
    key: `article:${a.id}`,
    type: 'article',
    id: a.id,
    instrumentId: null,
    url: `/articles/${a.id}`,
    jurisdiction: a.jurisdiction,
    kind: null,
    year: date ? Number(date.slice(0, 4)) : null,
    topics: [],
    issuers: [],
    title: a.title,
    titleExtra: lines(en?.title, zh?.title),
    summary: { en: a.summary?.en ?? '', zh: a.summary?.zh ?? '' },
    body: { en: plainText(en?.body ?? ''), zh: plainText(zh?.body ?? '') },
    hidden: lines(chapter ? both(chapter.title) : '', placeNames(ctx, a.jurisdiction)),
  };
}
