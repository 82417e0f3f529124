// Reads of the knowledge base for pages, the API and the CLI; status is derived here, as of the asked date.
import { errors } from '../errors.ts';
import { descendantsOf, type JurisdictionTree } from '../domain/jurisdictions.ts';
import { statusAsOf } from '../domain/status.ts';
import type {
  Article,
  ArticleRevision,
  Body,
  Chapter,
  Instrument,
  Jurisdiction,
  Lang,
  LegalForce,
  Programme,
  RelationType,
  Source,
  Status,
  Taxonomy,
} from '../domain/types.ts';
import type { Queryable } from './database.ts';
import { yieldToEventLoop } from './yield.ts';

/** Filters of an instrument listing; jurisdiction includes its descendants. */
export interface InstrumentFilter {
  readonly asOf: string;
  readonly jurisdiction?: string | undefined;
  readonly status?: Status | undefined;
  readonly kind?: string | undefined;
  readonly topic?: string | undefined;
}

/** Where a page of instruments starts: after this instrument in the listing's order (first date, then id). */
export interface InstrumentKey {
  /** The instrument's first dated day, YYYY-MM-DD. */
  readonly day: string;
  readonly id: string;
}

/** One page of a listing and where the next starts (null: this was the last). */
export interface InstrumentPage {
  readonly items: readonly ListedInstrument[];
  readonly next: InstrumentKey | null;
}

/** An instrument with what is derived from it as of a date. */
export interface InstrumentView {
  readonly instrument: Instrument;
  readonly legalForce: LegalForce;
  /** Null: it does not exist yet on that date. */
  readonly status: Status | null;
}

/** An instrument in a listing: it exists on the date, so it has a status. */
export interface ListedInstrument extends InstrumentView {
  readonly status: Status;
}

/** A relation seen from one instrument, in either direction. */
export interface RelationView {
  readonly type: RelationType;
  readonly direction: 'outgoing' | 'incoming';
  readonly other: { readonly id: string; readonly title: { en: string; zh: string } };
}

export interface InstrumentDetail extends InstrumentView {
  readonly issuers: readonly Body[];
  readonly sources: ReadonlyMap<string, Source>;
  readonly relations: readonly RelationView[];
  readonly jurisdiction: Jurisdiction;
  readonly articles: readonly Article[];
}

export interface ArticleDetail {
  readonly article: Article;
  readonly chapter: Chapter;
  readonly jurisdiction: Jurisdiction;
  /** Every revision, newest first, each with the languages it has. */
  readonly revisions: readonly { readonly date: string; readonly langs: ReadonlyMap<Lang, ArticleRevision> }[];
}

/** What the calendar filters dated events by; jurisdictions are taken as given (expand them first). */
export interface DatedEventFilter {
  readonly types: readonly string[];
  readonly jurisdictions?: readonly string[];
  readonly instruments?: readonly string[];
  readonly topics?: readonly string[];
}

/** Where a batch of dated events newest first continues: before this event in that order. */
export interface DatedEventKey {
  readonly day: string;
  readonly instrument: string;
  readonly position: number;
}

/** A lifecycle event dated to the day, with its instrument's title. */
export interface DatedEvent {
  readonly instrument: string;
  readonly key: string;
  /** Its place in the instrument's list of events. */
  readonly position: number;
  readonly type: string;
  readonly day: string;
  readonly title: { readonly en: string; readonly zh: string };
}

type DocRow = { doc: string };

/** Rows read by one query of a long read (a page of instruments), so that no query blocks PGlite's thread for long. */
const BATCH = 100;

const parse = <T>(rows: readonly DocRow[]): T[] => rows.map((r) => JSON.parse(r.doc) as T);

/** A revision row (front matter as JSON, body apart) as an ArticleRevision. */
function revisionOf(article: string, r: { lang: Lang; doc: string; body: string }): ArticleRevision {
  const front = JSON.parse(r.doc) as Omit<ArticleRevision, 'article' | 'lang' | 'body'>;
  return { ...front, article, lang: r.lang, body: r.body };
}

/** The WHERE clauses of a dated-event query and their parameters. */
function datedWhere(filter: DatedEventFilter): { where: string[]; params: unknown[] } {
  const params: unknown[] = [filter.types];
  const where = ['e.type = ANY($1)', "e.date_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"];
  if (filter.jurisdictions?.length) {
    params.push(filter.jurisdictions);
    where.push(`i.jurisdiction = ANY($${params.length})`);
  }
  if (filter.instruments?.length) {
    params.push(filter.instruments);
    where.push(`i.id = ANY($${params.length})`);
  }
  if (filter.topics?.length) {
    params.push(filter.topics);
    where.push(
      `i.id IN (SELECT instrument_id FROM instrument_tags WHERE scheme = 'topics' AND code = ANY($${params.length}))`,
    );
  }
  return { where, params };
}

/** The read side of the knowledge base over any Queryable. */
export class KnowledgeRepository {
  constructor(private readonly q: Queryable) {}

  /** Answers once the database does (for /healthz). */
  async ping(): Promise<void> {
    await this.q.query('SELECT 1');
  }

  /** True once a bundle has been imported. */
  async isEmpty(): Promise<boolean> {
    const rows = await this.q.query<{ n: number }>("SELECT count(*) AS n FROM documents WHERE name = 'bundle'");
    return (rows[0]?.n ?? 0) === 0;
  }

  async taxonomy(): Promise<Taxonomy> {
    const t = await this.taxonomyIfImported();
    if (!t) throw errors.notFound('taxonomy', 'taxonomy (import a bundle first)');
    return t;
  }

  /** The taxonomy, or null before a bundle was imported. */
  async taxonomyIfImported(): Promise<Taxonomy | null> {
    const rows = await this.q.query<DocRow>("SELECT doc FROM documents WHERE name = 'taxonomy'");
    return parse<Taxonomy>(rows)[0] ?? null;
  }

  /** Every issuing body, in bundle order. */
  async allBodies(): Promise<Body[]> {
    return parse<Body>(await this.q.query<DocRow>('SELECT doc FROM bodies ORDER BY position'));
  }

  /** Instruments by id (in no particular order; null: all of them). */
  async instrumentsById(ids: readonly string[] | null): Promise<Instrument[]> {
    return this.byIds<Instrument>('instruments', ids);
  }

  /** Programmes by id (in no particular order; null: all of them). */
  async programmesById(ids: readonly string[] | null): Promise<Programme[]> {
    return this.byIds<Programme>('programmes', ids);
  }

  /** Articles by id (in no particular order; null: all of them). */
  async articlesById(ids: readonly string[] | null): Promise<Article[]> {
    return this.byIds<Article>('articles', ids);
  }

  /** Sources by id (in no particular order). */
  async sources(ids: readonly string[]): Promise<Source[]> {
    return this.byIds<Source>('sources', ids);
  }

  /** The titles of instruments, by id. */
  async instrumentTitles(ids: readonly string[]): Promise<Map<string, { en: string; zh: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.q.query<{ id: string; title_en: string; title_zh: string }>(
      'SELECT id, title_en, title_zh FROM instruments WHERE id = ANY($1)',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { en: r.title_en, zh: r.title_zh }]));
  }

  /** Every instrument's id and title, in id order (the Subscribe form's choices). */
  async instrumentChoices(): Promise<{ id: string; title: { en: string; zh: string } }[]> {
    const rows = await this.q.query<{ id: string; title_en: string; title_zh: string }>(
      'SELECT id, title_en, title_zh FROM instruments ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, title: { en: r.title_en, zh: r.title_zh } }));
  }

  private async byIds<T>(
    table: 'instruments' | 'programmes' | 'articles' | 'sources',
    ids: readonly string[] | null,
  ): Promise<T[]> {
    if (ids && ids.length === 0) return [];
    const rows = await this.q.query<DocRow>(
      ids ? `SELECT doc FROM ${table} WHERE id = ANY($1)` : `SELECT doc FROM ${table}`,
      ids ? [ids] : [],
    );
    return parse<T>(rows);
  }

  /**
   * The latest revision of each article (the given ones; null: all) in each language: article → lang → revision;
   * with `upTo`, the latest accurate up to that day or earlier.
   */
  async latestRevisions(
    ids: readonly string[] | null,
    upTo?: string,
  ): Promise<Map<string, Map<Lang, ArticleRevision>>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (ids) where.push(`article_id = ANY($${params.push(ids)})`);
    if (upTo !== undefined) where.push(`accurate_up_to <= $${params.push(upTo)}::date`);
    const rows = await this.q.query<{ article_id: string; lang: Lang; doc: string; body: string }>(
      `SELECT DISTINCT ON (article_id, lang) article_id, lang, accurate_up_to, doc, body FROM article_revisions
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY article_id, lang, accurate_up_to DESC`,
      params,
    );
    const out = new Map<string, Map<Lang, ArticleRevision>>();
    for (const r of rows) {
      const m = out.get(r.article_id) ?? new Map<Lang, ArticleRevision>();
      m.set(r.lang, revisionOf(r.article_id, r));
      out.set(r.article_id, m);
    }
    return out;
  }

  async jurisdictions(): Promise<Jurisdiction[]> {
    return parse<Jurisdiction>(await this.q.query<DocRow>('SELECT doc FROM jurisdictions ORDER BY position'));
  }

  /** The code and all its descendants; throws not_found for an unknown code. */
  async jurisdictionWithDescendants(code: string): Promise<string[]> {
    const tree = await this.jurisdictionTree();
    if (!tree.has(code)) throw errors.notFound('jurisdiction', code);
    return descendantsOf(tree, [code]);
  }

  async chapters(): Promise<Chapter[]> {
    return parse<Chapter>(await this.q.query<DocRow>('SELECT doc FROM chapters ORDER BY position'));
  }

  async bodies(ids: readonly string[]): Promise<Body[]> {
    if (ids.length === 0) return [];
    const rows = await this.q.query<DocRow & { id: string }>('SELECT id, doc FROM bodies WHERE id = ANY($1)', [ids]);
    const byId = new Map(rows.map((r) => [r.id, JSON.parse(r.doc) as Body]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private async legalForces(): Promise<Map<string, LegalForce>> {
    const rows = await this.q.query<{ code: string; legal_force: LegalForce }>(
      "SELECT code, legal_force FROM taxonomy_terms WHERE scheme = 'instrument_kinds'",
    );
    return new Map(rows.map((r) => [r.code, r.legal_force]));
  }

  private view(inst: Instrument, forces: Map<string, LegalForce>, asOf: string): InstrumentView {
    const legalForce = inst.legal_force ?? forces.get(inst.kind) ?? 'non-binding';
    return { instrument: inst, legalForce, status: statusAsOf(inst.events, legalForce, asOf) };
  }

  /** Instruments that exist on filter.asOf and match the filter, ordered by their first date then id (all of them). */
  async instruments(filter: InstrumentFilter): Promise<ListedInstrument[]> {
    const { where, params } = await this.instrumentWhere(filter);
    const rows = await this.q.query<DocRow>(
      `SELECT doc FROM instruments WHERE ${where.join(' AND ')} ORDER BY first_day, id`,
      params,
    );
    const listed = await this.listing(filter);
    return parse<Instrument>(rows).flatMap((i) => listed(i) ?? []);
  }

  /**
   * One page of the same listing: at most `limit` instruments after `after` (keyset paging, so a page costs the same
   * wherever it starts and an instrument added meanwhile never shifts the pages). Read in batches of BATCH rows with
   * a turn of the event loop between them; status is derived here, not in SQL, so with a status filter batches are
   * read until the page is full.
   */
  async instrumentsPage(
    filter: InstrumentFilter,
    page: { readonly limit: number; readonly after?: InstrumentKey | undefined },
  ): Promise<InstrumentPage> {
    const { where, params } = await this.instrumentWhere(filter);
    const listed = await this.listing(filter);
    const found: { key: InstrumentKey; view: ListedInstrument }[] = [];
    let after = page.after;
    for (;;) {
      const batch = filter.status ? BATCH : Math.min(BATCH, page.limit + 1 - found.length);
      const p = [...params];
      const w = [...where];
      if (after) {
        p.push(after.day, after.id);
        w.push(`(first_day, id) > ($${p.length - 1}::date, $${p.length})`);
      }
      p.push(batch);
      const rows = await this.q.query<DocRow & { day: string; id: string }>(
        `SELECT to_char(first_day, 'YYYY-MM-DD') AS day, id, doc FROM instruments WHERE ${w.join(' AND ')}
          ORDER BY first_day, id LIMIT $${p.length}`,
        p,
      );
      for (const r of rows) {
        const view = listed(JSON.parse(r.doc) as Instrument);
        if (view) found.push({ key: { day: r.day, id: r.id }, view });
      }
      const last = rows.at(-1);
      if (found.length > page.limit || rows.length < batch || !last) break;
      after = { day: last.day, id: last.id };
      await yieldToEventLoop();
    }
    const items = found.slice(0, page.limit);
    return {
      items: items.map((f) => f.view),
      next: found.length > page.limit ? (items.at(-1)?.key ?? null) : null,
    };
  }

  /** What a listing keeps of an instrument: its view if it exists on filter.asOf with the status asked for, else null. */
  private async listing(filter: InstrumentFilter): Promise<(i: Instrument) => ListedInstrument | null> {
    const forces = await this.legalForces();
    return (i) => {
      const v = this.view(i, forces, filter.asOf);
      return v.status !== null && (!filter.status || v.status === filter.status) ? { ...v, status: v.status } : null;
    };
  }

  /** The WHERE clauses of a listing and their parameters ($1 is as_of). */
  private async instrumentWhere(filter: InstrumentFilter): Promise<{ where: string[]; params: unknown[] }> {
    const where: string[] = ['first_day <= $1'];
    const params: unknown[] = [filter.asOf];
    if (filter.jurisdiction) {
      params.push(await this.jurisdictionWithDescendants(filter.jurisdiction));
      where.push(`jurisdiction = ANY($${params.length})`);
    }
    if (filter.kind) {
      params.push(filter.kind);
      where.push(`kind = $${params.length}`);
    }
    if (filter.topic) {
      params.push(filter.topic);
      where.push(`id IN (SELECT instrument_id FROM instrument_tags WHERE code = $${params.length})`);
    }
    return { where, params };
  }

  /** One instrument with its issuers, sources, relations and the articles that cite it; throws not_found. */
  async instrument(id: string, asOf: string): Promise<InstrumentDetail> {
    const rows = await this.q.query<DocRow>('SELECT doc FROM instruments WHERE id = $1', [id]);
    const inst = parse<Instrument>(rows)[0];
    if (!inst) throw errors.notFound('instrument', id);
    const base = this.view(inst, await this.legalForces(), asOf);
    const cited = new Set<string>(inst.sources.map((s) => s.source));
    for (const e of inst.events) {
      for (const s of e.sources ?? []) cited.add(s.source);
      for (const c of e.claims ?? []) for (const s of c.sources) cited.add(s.source);
    }
    const sourceRows = await this.q.query<DocRow>('SELECT doc FROM sources WHERE id = ANY($1)', [[...cited]]);
    const relRows = await this.q.query<{
      type: RelationType;
      direction: 'outgoing' | 'incoming';
      id: string;
      title_en: string;
      title_zh: string;
    }>(
      `SELECT r.type, 'outgoing' AS direction, i.id, i.title_en, i.title_zh
         FROM instrument_relations r JOIN instruments i ON i.id = r.to_id WHERE r.from_id = $1
       UNION ALL
       SELECT r.type, 'incoming' AS direction, i.id, i.title_en, i.title_zh
         FROM instrument_relations r JOIN instruments i ON i.id = r.from_id WHERE r.to_id = $1`,
      [id],
    );
    const jurisdiction = parse<Jurisdiction>(
      await this.q.query<DocRow>('SELECT doc FROM jurisdictions WHERE code = $1', [inst.jurisdiction]),
    )[0];
    if (!jurisdiction) throw errors.notFound('jurisdiction', inst.jurisdiction);
    const articles = parse<Article>(
      await this.q.query<DocRow>(
        `SELECT doc FROM articles WHERE id IN (SELECT article_id FROM article_revisions WHERE body LIKE $1) ORDER BY position`,
        [`%](instrument:${id})%`],
      ),
    );
    return {
      ...base,
      issuers: await this.bodies(inst.issuers),
      sources: new Map(parse<Source>(sourceRows).map((s) => [s.id, s])),
      relations: relRows.map((r) => ({
        type: r.type,
        direction: r.direction,
        other: { id: r.id, title: { en: r.title_en, zh: r.title_zh } },
      })),
      jurisdiction,
      articles,
    };
  }

  /** Every programme, in id order. */
  async programmes(): Promise<Programme[]> {
    return parse<Programme>(await this.q.query<DocRow>('SELECT doc FROM programmes ORDER BY id'));
  }

  /** The jurisdiction tree as code → parent (walk it with domain/jurisdictions.ts). */
  async jurisdictionTree(): Promise<JurisdictionTree> {
    const rows = await this.q.query<{ code: string; parent: string | null }>('SELECT code, parent FROM jurisdictions');
    return new Map(rows.map((r) => [r.code, r.parent]));
  }

  /**
   * Lifecycle events of the given types dated to the day (date_text YYYY-MM-DD; for a disputed date, the preferred
   * claim), oldest first (then by instrument and position). Dates known only to the month or year are left out.
   */
  async datedEvents(filter: DatedEventFilter): Promise<DatedEvent[]> {
    const { where, params } = datedWhere(filter);
    return this.dated(where, params, 'e.date_text, e.instrument_id, e.position');
  }

  /**
   * The same events newest first, at most `limit` of them, those before `before` (keyset paging over the index
   * instrument_events_dated: a batch costs the same wherever it starts). Callers read a long list batch by batch.
   */
  async latestDatedEvents(
    filter: DatedEventFilter,
    page: { readonly limit: number; readonly before?: DatedEventKey | undefined },
  ): Promise<DatedEvent[]> {
    const { where, params } = datedWhere(filter);
    if (page.before) {
      const b = page.before;
      params.push(b.day, b.instrument, b.position);
      const n = params.length;
      where.push(`(e.date_text, e.instrument_id, e.position) < ($${n - 2}, $${n - 1}, $${n})`);
    }
    params.push(page.limit);
    const order = `e.date_text DESC, e.instrument_id DESC, e.position DESC LIMIT $${params.length}`;
    return this.dated(where, params, order);
  }

  private async dated(where: readonly string[], params: readonly unknown[], order: string): Promise<DatedEvent[]> {
    const rows = await this.q.query<{
      instrument_id: string;
      key: string;
      position: number;
      type: string;
      date_text: string;
      title_en: string;
      title_zh: string;
    }>(
      `SELECT e.instrument_id, e.key, e.position, e.type, e.date_text, i.title_en, i.title_zh
         FROM instrument_events e JOIN instruments i ON i.id = e.instrument_id
        WHERE ${where.join(' AND ')}
        ORDER BY ${order}`,
      [...params],
    );
    return rows.map((r) => ({
      instrument: r.instrument_id,
      key: r.key,
      position: Number(r.position),
      type: r.type,
      day: r.date_text,
      title: { en: r.title_en, zh: r.title_zh },
    }));
  }

  /** Every instrument's id. */
  async instrumentIds(): Promise<Set<string>> {
    const rows = await this.q.query<{ id: string }>('SELECT id FROM instruments');
    return new Set(rows.map((r) => r.id));
  }

  async articles(filter: { chapter?: string; jurisdiction?: string } = {}): Promise<Article[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.chapter) {
      params.push(filter.chapter);
      where.push(`chapter = $${params.length}`);
    }
    if (filter.jurisdiction) {
      params.push(filter.jurisdiction);
      where.push(`jurisdiction = $${params.length}`);
    }
    const sql = `SELECT doc FROM articles ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position, id`;
    return parse<Article>(await this.q.query<DocRow>(sql, params));
  }

  /** An article with every revision; throws not_found. */
  async article(id: string): Promise<ArticleDetail> {
    const article = parse<Article>(await this.q.query<DocRow>('SELECT doc FROM articles WHERE id = $1', [id]))[0];
    if (!article) throw errors.notFound('article', id);
    const chapter = (await this.chapters()).find((c) => c.code === article.chapter);
    const jurisdiction = (await this.jurisdictions()).find((j) => j.code === article.jurisdiction);
    if (!chapter || !jurisdiction) throw errors.notFound('article', id);
    const rows = await this.q.query<{ accurate_up_to: string; lang: Lang; doc: string; body: string }>(
      'SELECT accurate_up_to, lang, doc, body FROM article_revisions WHERE article_id = $1 ORDER BY accurate_up_to DESC, lang',
      [id],
    );
    const byDate = new Map<string, Map<Lang, ArticleRevision>>();
    for (const r of rows) {
      const langs = byDate.get(r.accurate_up_to) ?? new Map<Lang, ArticleRevision>();
      langs.set(r.lang, revisionOf(id, r));
      byDate.set(r.accurate_up_to, langs);
    }
    return { article, chapter, jurisdiction, revisions: [...byDate].map(([date, langs]) => ({ date, langs })) };
  }
}
