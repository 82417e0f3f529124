// The knowledge base's entities as plain data: the shapes a bundle holds and the store keeps (see docs/CONTENT.md).

export type Lang = 'en' | 'zh';

/** Text in both languages. */
export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}
/** Text in one or both languages. */
export type PartialText = Readonly<Partial<Record<Lang, string>>>;

export type SourceKind = 'official' | 'secondary' | 'mirror';
export type LegalForce = 'binding' | 'non-binding';
export type RelationType = 'implements' | 'follows' | 'amends' | 'supersedes' | 'repeals' | 'based-on' | 'cites';

export const EVENT_TYPES = [
  'draft-published',
  'comment-deadline',
  'adopted',
  'signed',
  'announced',
  'published',
  'effective',
  'amended',
  'superseded',
  'repealed',
  'expired',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const STATUSES = ['draft', 'adopted', 'in_force', 'issued', 'superseded', 'repealed', 'expired'] as const;
export type Status = (typeof STATUSES)[number];

export interface Citation {
  readonly source: string;
  readonly locator?: string;
  readonly note?: string;
}

export interface Source {
  readonly id: string;
  readonly kind: SourceKind;
  readonly title: string;
  readonly url?: string;
  readonly publisher?: string;
  readonly language?: Lang;
  readonly read_on?: string;
  readonly note?: string;
}

export interface Jurisdiction {
  readonly code: string;
  readonly parent?: string;
  readonly name: Bilingual;
}

export interface Body {
  readonly id: string;
  readonly name: Bilingual;
  readonly abbreviation?: string;
  readonly jurisdiction: string;
  readonly kind?: string;
}

export interface Label {
  readonly code: string;
  readonly label: Bilingual;
  readonly description?: PartialText;
}
export interface ScenarioCategory extends Label {
  readonly fields: readonly Label[];
}
export interface InstrumentKind {
  readonly code: string;
  readonly label: Bilingual;
  readonly legal_force: LegalForce;
}

export interface Taxonomy {
  readonly topics: readonly Label[];
  readonly scenario_categories: readonly ScenarioCategory[];
  readonly demonstration_scenarios: readonly Label[];
  readonly supply_elements: readonly Label[];
  readonly governance_aspects: readonly Label[];
  readonly instrument_kinds: readonly InstrumentKind[];
  readonly event_types: readonly Label[];
  readonly statuses: readonly Label[];
}

export interface Chapter {
  readonly code: string;
  readonly title: Bilingual;
  readonly summary?: PartialText;
}

/** One claim of a disputed date. */
export interface DateClaim {
  readonly date: string;
  readonly preferred?: boolean;
  readonly sources: readonly Citation[];
  readonly note?: PartialText;
}

/** A dated lifecycle event. `date` null means unknown; `claims` means disputed (one preferred). */
export interface LifecycleEvent {
  readonly key?: string;
  readonly type: EventType;
  readonly date?: string | null;
  readonly approximate?: boolean;
  readonly claims?: readonly DateClaim[];
  readonly sources?: readonly Citation[];
  readonly note?: PartialText;
}

export interface Relation {
  readonly type: RelationType;
  readonly target: string;
  readonly note?: PartialText;
}

/** Taxonomy tags an instrument may carry, by scheme. */
export const TAG_SCHEMES = [
  'topics',
  'scenario_categories',
  'fields',
  'demonstration_scenarios',
  'supply_elements',
  'governance_aspects',
] as const;
export type TagScheme = (typeof TAG_SCHEMES)[number];

export interface Instrument {
  readonly id: string;
  readonly title: Bilingual;
  readonly short_title?: PartialText;
  readonly document_number?: string;
  readonly kind: string;
  readonly legal_force?: LegalForce;
  readonly jurisdiction: string;
  readonly issuers: readonly string[];
  readonly topics?: readonly string[];
  readonly scenario_categories?: readonly string[];
  readonly fields?: readonly string[];
  readonly demonstration_scenarios?: readonly string[];
  readonly supply_elements?: readonly string[];
  readonly governance_aspects?: readonly string[];
  readonly summary: Bilingual;
  readonly notes?: PartialText;
  readonly sources: readonly Citation[];
  readonly relations?: readonly Relation[];
  readonly events: readonly LifecycleEvent[];
}

export interface Article {
  readonly id: string;
  readonly chapter: string;
  readonly jurisdiction: string;
  readonly title: Bilingual;
  readonly summary?: PartialText;
  readonly position?: number;
  /** YYYY-MM-DD: the day by which editors should review the article again. */
  readonly review_by?: string;
}

/** One language of one revision of an article. */
export interface ArticleRevision {
  readonly article: string;
  readonly accurate_up_to: string;
  readonly lang: Lang;
  readonly title?: string;
  readonly change_note?: string;
  readonly sources?: readonly Citation[];
  /** Markdown body; `## ` headings start sections. */
  readonly body: string;
}

export const PROGRAMME_KINDS = ['pilot', 'scenario-call', 'incentive', 'obligation', 'encouragement'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

/** An eligibility rule as written in a bundle; the rules engine (src/rules) gives it meaning. */
export type RuleData = Readonly<Record<string, unknown>>;

/** What an instrument offers or demands of an enterprise, with the rule that says who it concerns. */
export interface Programme {
  readonly id: string;
  readonly kind: ProgrammeKind;
  readonly instrument: string;
  readonly provision?: PartialText;
  readonly title: Bilingual;
  readonly description: Bilingual;
  /** What the enterprise gains, or must do. */
  readonly effect: Bilingual;
  /** Statuses of the instrument in which the programme applies; default in_force and issued. */
  readonly valid_while?: readonly Status[];
  readonly rule: RuleData;
  readonly sources: readonly Citation[];
  readonly notes?: PartialText;
}

export interface BundleMeta {
  readonly format: 1;
  readonly name: string;
  readonly description?: string;
}

/** A whole knowledge base, as a bundle holds it. Lists keep their authored order. */
export interface Bundle {
  readonly meta: BundleMeta;
  readonly jurisdictions: readonly Jurisdiction[];
  readonly taxonomy: Taxonomy;
  readonly chapters: readonly Chapter[];
  readonly sources: readonly Source[];
  readonly bodies: readonly Body[];
  readonly instruments: readonly Instrument[];
  readonly programmes: readonly Programme[];
  readonly articles: readonly Article[];
  readonly revisions: readonly ArticleRevision[];
}
