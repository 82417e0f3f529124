// What the check page embeds so that the browser can run the check itself: programme inputs as of a date, the
// jurisdiction tree with names, sector categories, and the sources and instruments the programmes cite. Plain,
// serializable data; the browser imports only the types of this module.
import type { Bilingual, Lang, SourceKind } from '../domain/types.ts';
import type { Queryable } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';
import type { ProgrammeInput } from './check.ts';
import { loadProgrammeInputs } from './relevance.service.ts';

export interface CheckJurisdiction {
  readonly code: string;
  readonly parent: string | null;
  readonly name: Bilingual;
}

export interface CheckSectorGroup {
  readonly code: string;
  readonly label: Bilingual;
  readonly fields: readonly string[];
}

export interface CheckSource {
  readonly title: string;
  readonly kind: SourceKind;
  readonly url?: string;
  readonly publisher?: string;
  readonly language?: Lang;
}

/** The language-independent part: everything the check reads, for one date. */
export interface CheckCatalogue {
  readonly asOf: string;
  readonly programmes: readonly ProgrammeInput[];
  /** Jurisdiction code → parent code. */
  readonly tree: Readonly<Record<string, string | null>>;
  /** Jurisdictions in the store's order, with names. */
  readonly jurisdictions: readonly CheckJurisdiction[];
  /** The major-scenario categories and their field codes (to group the sectors question). */
  readonly sectorGroups: readonly CheckSectorGroup[];
  /** Sources cited by the programmes or their conditions, by id. */
  readonly sources: Readonly<Record<string, CheckSource>>;
  /** Titles of the instruments cited by conditions, by id. */
  readonly instruments: Readonly<Record<string, Bilingual>>;
}

/** What the check page embeds: the catalogue, the page's language and how its links keep as_of and lang. */
export interface CheckData extends CheckCatalogue {
  readonly lang: Lang;
  /** The query that keeps as_of and lang on guide links: '' or e.g. '?as_of=2024-06-01&lang=zh'. */
  readonly linkQuery: string;
  /** Instrument statuses in the page's language; `null` is the key for "not yet issued". */
  readonly statusLabels: Readonly<Record<string, string>>;
  /** The page's own messages (the `check.*` keys of the catalogue) in its language, as ICU sources. */
  readonly messages: Readonly<Record<string, string>>;
}

/** Source and instrument ids named by `citation` objects anywhere in a rule. */
function citedIn(rule: unknown, sources: Set<string>, instruments: Set<string>): void {
  if (Array.isArray(rule)) {
    for (const r of rule) citedIn(r, sources, instruments);
    return;
  }
  if (rule === null || typeof rule !== 'object') return;
  for (const [key, value] of Object.entries(rule as Record<string, unknown>)) {
    if (key === 'citation' && value !== null && typeof value === 'object') {
      const c = value as { source?: unknown; instrument?: unknown };
      if (typeof c.source === 'string') sources.add(c.source);
      if (typeof c.instrument === 'string') instruments.add(c.instrument);
    } else citedIn(value, sources, instruments);
  }
}

/** Reads what the check page needs for one date. */
export async function loadCheckCatalogue(q: Queryable, asOf: string): Promise<CheckCatalogue> {
  const repo = new KnowledgeRepository(q);
  const [{ programmes, tree }, jurisdictions, taxonomy] = await Promise.all([
    loadProgrammeInputs(q, asOf),
    repo.jurisdictions(),
    repo.taxonomy(),
  ]);
  const sourceIds = new Set<string>();
  const instrumentIds = new Set<string>();
  for (const p of programmes) {
    for (const c of p.sources) sourceIds.add(c.source);
    citedIn(p.rule, sourceIds, instrumentIds);
  }
  const [sourceList, titles] = await Promise.all([
    repo.sources([...sourceIds]),
    repo.instrumentTitles([...instrumentIds]),
  ]);
  const sources: Record<string, CheckSource> = {};
  for (const s of sourceList) {
    sources[s.id] = {
      title: s.title,
      kind: s.kind,
      ...(s.url ? { url: s.url } : {}),
      ...(s.publisher ? { publisher: s.publisher } : {}),
      ...(s.language ? { language: s.language } : {}),
    };
  }
  return {
    asOf,
    programmes,
    tree: Object.fromEntries(tree),
    jurisdictions: jurisdictions.map((j) => ({ code: j.code, parent: j.parent ?? null, name: j.name })),
    sectorGroups: taxonomy.scenario_categories.map((c) => ({
      code: c.code,
      label: c.label,
      fields: c.fields.map((f) => f.code),
    })),
    sources,
    instruments: Object.fromEntries(titles),
  };
}

/** JSON for a `<script type="application/json">` element: `<` (and `>`, `&`) escaped so nothing can close it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
