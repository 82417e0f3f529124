// Writes and whole-store reads of the knowledge base: each entity as its canonical document plus query columns.
import { eventDate, eventDay, firstDay } from '../domain/status.ts';
import { TAG_SCHEMES, type Bundle, type Instrument, type Taxonomy } from '../domain/types.ts';
import type { Queryable } from './database.ts';

export const ENTITY_KINDS = [
  'document',
  'jurisdiction',
  'chapter',
  'source',
  'body',
  'instrument',
  'programme',
  'article',
  'revision',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** One stored entity: its kind, id, place in its file, canonical document and (revisions) Markdown body. */
export interface Entity {
  readonly kind: EntityKind;
  readonly id: string;
  readonly position: number;
  readonly doc: string;
  readonly body?: string;
}

const TABLE: Record<EntityKind, { table: string; key: string }> = {
  document: { table: 'documents', key: 'name' },
  jurisdiction: { table: 'jurisdictions', key: 'code' },
  chapter: { table: 'chapters', key: 'code' },
  source: { table: 'sources', key: 'id' },
  body: { table: 'bodies', key: 'id' },
  instrument: { table: 'instruments', key: 'id' },
  programme: { table: 'programmes', key: 'id' },
  article: { table: 'articles', key: 'id' },
  revision: { table: 'article_revisions', key: "article_id || '/' || accurate_up_to || '/' || lang" },
};

/** The entities of a bundle, in the form the store keeps them. */
export function bundleEntities(bundle: Bundle): Entity[] {
  const list = <T>(kind: EntityKind, items: readonly T[], id: (t: T) => string): Entity[] =>
    items.map((item, position) => ({ kind, id: id(item), position, doc: JSON.stringify(item) }));
  return [
    { kind: 'document', id: 'bundle', position: 0, doc: JSON.stringify(bundle.meta) },
    { kind: 'document', id: 'taxonomy', position: 1, doc: JSON.stringify(bundle.taxonomy) },
    ...list('jurisdiction', bundle.jurisdictions, (j) => j.code),
    ...list('chapter', bundle.chapters, (c) => c.code),
    ...list('source', bundle.sources, (s) => s.id),
    ...list('body', bundle.bodies, (b) => b.id),
    ...list('instrument', bundle.instruments, (i) => i.id),
    ...list('programme', bundle.programmes, (p) => p.id),
    ...list('article', bundle.articles, (a) => a.id),
    ...bundle.revisions.map(({ article, lang, body, ...front }, position) => ({
      kind: 'revision' as const,
      id: `${article}/${front.accurate_up_to}/${lang}`,
      position,
      doc: JSON.stringify(front),
      body,
    })),
  ];
}

/** Every entity in the store, keyed `kind:id`. */
export async function loadEntities(q: Queryable): Promise<Map<string, Entity>> {
  const out = new Map<string, Entity>();
  for (const kind of ENTITY_KINDS) {
    const { table, key } = TABLE[kind];
    const position =
      kind === 'document'
        ? "CASE name WHEN 'bundle' THEN 0 ELSE 1 END"
        : kind === 'instrument' || kind === 'programme' || kind === 'revision'
          ? '0'
          : 'position';
    const body = kind === 'revision' ? 'body' : 'NULL::text AS body';
    const rows = await q.query<{ id: string; position: number; doc: string; body: string | null }>(
      `SELECT ${key} AS id, ${position} AS position, doc, ${body} FROM ${table}`,
    );
    for (const r of rows) {
      out.set(`${kind}:${r.id}`, {
        kind,
        id: r.id,
        position: r.position,
        doc: r.doc,
        ...(r.body === null ? {} : { body: r.body }),
      });
    }
  }
  return out;
}

/** Some entities, by kind and id (those that exist), keyed `kind:id` as loadEntities keys them. */
export async function loadEntitiesByKey(
  q: Queryable,
  keys: readonly { readonly kind: EntityKind; readonly id: string }[],
): Promise<Map<string, Entity>> {
  const out = new Map<string, Entity>();
  for (const kind of ENTITY_KINDS) {
    const ids = keys.filter((k) => k.kind === kind).map((k) => k.id);
    if (ids.length === 0) continue;
    const { table, key } = TABLE[kind];
    const position = kind === 'instrument' || kind === 'programme' || kind === 'revision' ? '0' : 'position';
    const body = kind === 'revision' ? 'body' : 'NULL::text AS body';
    const rows = await q.query<{ id: string; position: number; doc: string; body: string | null }>(
      `SELECT ${key} AS id, ${position} AS position, doc, ${body} FROM ${table} WHERE ${key} = ANY($1)`,
      [ids],
    );
    for (const r of rows) {
      out.set(`${kind}:${r.id}`, {
        kind,
        id: r.id,
        position: r.position,
        doc: r.doc,
        ...(r.body === null ? {} : { body: r.body }),
      });
    }
  }
  return out;
}

/** The dates (YYYY-MM-DD) of an article's revisions in one language, oldest first. */
export async function revisionDates(q: Queryable, article: string, lang: string): Promise<string[]> {
  const rows = await q.query<{ day: string }>(
    `SELECT accurate_up_to::text AS day FROM article_revisions WHERE article_id = $1 AND lang = $2
     ORDER BY accurate_up_to`,
    [article, lang],
  );
  return rows.map((r) => r.day);
}

/** Inserts or replaces one entity and its query columns. */
export async function writeEntity(q: Queryable, e: Entity): Promise<void> {
  switch (e.kind) {
    case 'document': {
      await q.query(
        'INSERT INTO documents (name, doc) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc',
        [e.id, e.doc],
      );
      if (e.id === 'taxonomy') await writeTaxonomy(q, JSON.parse(e.doc) as Taxonomy);
      return;
    }
    case 'jurisdiction': {
      const j = JSON.parse(e.doc) as { code: string; parent?: string; name: { en: string; zh: string } };
      await upsert(q, 'jurisdictions', 'code', {
        code: j.code,
        parent: j.parent ?? null,
        name_en: j.name.en,
        name_zh: j.name.zh,
        position: e.position,
        doc: e.doc,
      });
      return;
    }
    case 'chapter': {
      const c = JSON.parse(e.doc) as { code: string; title: { en: string; zh: string } };
      await upsert(q, 'chapters', 'code', {
        code: c.code,
        title_en: c.title.en,
        title_zh: c.title.zh,
        position: e.position,
        doc: e.doc,
      });
      return;
    }
    case 'source': {
      const s = JSON.parse(e.doc) as { id: string; kind: string; title: string; url?: string };
      await upsert(q, 'sources', 'id', {
        id: s.id,
        kind: s.kind,
        title: s.title,
        url: s.url ?? null,
        position: e.position,
        doc: e.doc,
      });
      return;
    }
    case 'body': {
      const b = JSON.parse(e.doc) as { id: string; name: { en: string; zh: string }; jurisdiction: string };
      await upsert(q, 'bodies', 'id', {
        id: b.id,
        name_en: b.name.en,
        name_zh: b.name.zh,
        jurisdiction: b.jurisdiction,
        position: e.position,
        doc: e.doc,
      });
      return;
    }
    case 'instrument':
      await writeInstrument(q, JSON.parse(e.doc) as Instrument, e.doc);
      return;
    case 'programme': {
      const p = JSON.parse(e.doc) as { id: string; kind: string; instrument: string };
      await upsert(q, 'programmes', 'id', {
        id: p.id,
        kind: p.kind,
        instrument_id: p.instrument,
        position: e.position,
        doc: e.doc,
      });
      return;
    }
    case 'article': {
      const a = JSON.parse(e.doc) as {
        id: string;
        chapter: string;
        jurisdiction: string;
        title: { en: string; zh: string };
      };
      await upsert(q, 'articles', 'id', {
        id: a.id,
        chapter: a.chapter,
        jurisdiction: a.jurisdiction,
        title_en: a.title.en,
        title_zh: a.title.zh,
        position: e.position,
        doc: e.doc,
      });
      return;
    }
    case 'revision': {
      const [article, date, lang] = e.id.split('/');
      await q.query(
        `INSERT INTO article_revisions (article_id, accurate_up_to, lang, doc, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (article_id, accurate_up_to, lang) DO UPDATE SET doc = EXCLUDED.doc, body = EXCLUDED.body`,
        [article, date, lang, e.doc, e.body ?? ''],
      );
      return;
    }
  }
}

/** Deletes one entity (its query rows go with it). */
export async function deleteEntity(q: Queryable, kind: EntityKind, id: string): Promise<void> {
  const { table, key } = TABLE[kind];
  if (kind === 'document' && id === 'taxonomy') await q.query('DELETE FROM taxonomy_terms');
  await q.query(`DELETE FROM ${table} WHERE ${key} = $1`, [id]);
}

async function upsert(q: Queryable, table: string, key: string, row: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(row);
  const sets = cols.filter((c) => c !== key).map((c) => `${c} = EXCLUDED.${c}`);
  await q.query(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (${key}) DO UPDATE SET ${sets.join(', ')}`,
    Object.values(row),
  );
}

async function writeTaxonomy(q: Queryable, t: Taxonomy): Promise<void> {
  await q.query('DELETE FROM taxonomy_terms');
  const rows: unknown[][] = [];
  const add = (scheme: string, list: readonly { code: string; label: { en: string; zh: string } }[], parent?: string) =>
    list.forEach((x, i) => rows.push([scheme, x.code, parent ?? null, x.label.en, x.label.zh, null, rows.length + i]));
  add('topics', t.topics);
  add('scenario_categories', t.scenario_categories);
  for (const cat of t.scenario_categories) add('fields', cat.fields, cat.code);
  add('demonstration_scenarios', t.demonstration_scenarios);
  add('supply_elements', t.supply_elements);
  add('governance_aspects', t.governance_aspects);
  add('event_types', t.event_types);
  add('statuses', t.statuses);
  t.instrument_kinds.forEach((k, i) =>
    rows.push(['instrument_kinds', k.code, null, k.label.en, k.label.zh, k.legal_force, 1000 + i]),
  );
  for (const r of rows) {
    await q.query(
      'INSERT INTO taxonomy_terms (scheme, code, parent, label_en, label_zh, legal_force, position) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      r,
    );
  }
}

async function writeInstrument(q: Queryable, inst: Instrument, doc: string): Promise<void> {
  await upsert(q, 'instruments', 'id', {
    id: inst.id,
    kind: inst.kind,
    jurisdiction: inst.jurisdiction,
    title_en: inst.title.en,
    title_zh: inst.title.zh,
    document_number: inst.document_number ?? null,
    first_day: firstDay(inst.events),
    doc,
  });
  for (const table of ['instrument_issuers', 'instrument_tags', 'instrument_events']) {
    await q.query(`DELETE FROM ${table} WHERE instrument_id = $1`, [inst.id]);
  }
  await q.query('DELETE FROM instrument_relations WHERE from_id = $1', [inst.id]);
  for (const [i, body] of inst.issuers.entries()) {
    await q.query('INSERT INTO instrument_issuers (instrument_id, body_id, position) VALUES ($1, $2, $3)', [
      inst.id,
      body,
      i,
    ]);
  }
  for (const scheme of TAG_SCHEMES) {
    for (const code of inst[scheme] ?? []) {
      await q.query('INSERT INTO instrument_tags (instrument_id, scheme, code) VALUES ($1, $2, $3)', [
        inst.id,
        scheme,
        code,
      ]);
    }
  }
  for (const [i, e] of inst.events.entries()) {
    await q.query(
      `INSERT INTO instrument_events (instrument_id, key, position, type, date_text, day, disputed)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [inst.id, e.key ?? e.type, i, e.type, eventDate(e), eventDay(e), (e.claims?.length ?? 0) > 1],
    );
  }
  for (const [i, r] of (inst.relations ?? []).entries()) {
    await q.query(
      'INSERT INTO instrument_relations (from_id, type, to_id, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [inst.id, r.type, r.target, i],
    );
  }
}
