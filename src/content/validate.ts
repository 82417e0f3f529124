// Validates a bundle folder: schema first, then what a schema cannot see (real dates, codes, references, cycles).
import type { Problem } from '../errors.ts';
import { parsePartialDate } from '../domain/dates.ts';
import {
  EVENT_TYPES,
  STATUSES,
  TAG_SCHEMES,
  type Article,
  type ArticleRevision,
  type Body,
  type Bundle,
  type BundleMeta,
  type Chapter,
  type Citation,
  type Instrument,
  type Jurisdiction,
  type Lang,
  type LifecycleEvent,
  type Programme,
  type Source,
  type TagScheme,
  type Taxonomy,
} from '../domain/types.ts';
import { readBundle, type JsonPath, type RawBundle, type SourceFile } from './read.ts';
import { canonical, checkSchema, type FileKind } from './schema.ts';
import { defaultEventKeys } from './event-keys.ts';
import { checkProgrammeRule } from './programme-rules.ts';

/** The result of validating a bundle: the bundle when valid, and every problem found. */
export interface ValidationResult {
  readonly bundle: Bundle | null;
  readonly problems: readonly Problem[];
  /** How many files were read. */
  readonly files: number;
}

const INSTRUMENT_LINK = /\]\(instrument:([^)\s#]*)(#[^)\s]*)?\)/g;

class Checker {
  readonly problems: Problem[] = [];
  report(file: SourceFile, at: JsonPath, message: string, key?: string): void {
    this.problems.push({ where: file.path, ...file.locate(at, key), message });
  }
  /** Validates data against the schema; returns it typed when valid. */
  schema<T>(file: SourceFile | undefined, kind: FileKind): T | undefined {
    if (!file || file.data === undefined) return undefined;
    const violations = checkSchema(kind, file.data);
    for (const v of violations) this.report(file, v.path, v.message, v.key);
    return violations.length ? undefined : canonical(kind, file.data as T);
  }
  /** Reports the second and later entries whose id repeats. */
  unique<T>(file: SourceFile, items: readonly T[], idOf: (t: T) => string, field: string, what: string): Set<string> {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const id = idOf(item);
      if (seen.has(id)) this.report(file, [i, field], `duplicate ${what} "${id}"`);
      seen.add(id);
    });
    return seen;
  }
}

/** Reads and validates the bundle in dir. */
export function validateBundle(dir: string): ValidationResult {
  const c = new Checker();
  const raw = readBundle(dir, c.problems);
  const files =
    raw.root.size + raw.instruments.length + raw.programmes.length + raw.articles.length + raw.revisions.length;
  const bundle = check(raw, c);
  return { bundle: c.problems.length === 0 ? bundle : null, problems: c.problems, files };
}

function check(raw: RawBundle, c: Checker): Bundle | null {
  const root = (name: string) => raw.root.get(name);
  const meta = c.schema<BundleMeta>(root('bundle.yaml'), 'bundleFile');
  const jurisdictions = c.schema<Jurisdiction[]>(root('jurisdictions.yaml'), 'jurisdictionsFile') ?? [];
  const taxonomy = c.schema<Taxonomy>(root('taxonomy.yaml'), 'taxonomyFile');
  const chapters = c.schema<Chapter[]>(root('chapters.yaml'), 'chaptersFile') ?? [];
  const sources = c.schema<Source[]>(root('sources.yaml'), 'sourcesFile') ?? [];
  const bodies = c.schema<Body[]>(root('bodies.yaml'), 'bodiesFile') ?? [];

  // Jurisdictions: unique, parents exist, no cycles.
  const jf = root('jurisdictions.yaml');
  const jCodes = jf ? c.unique(jf, jurisdictions, (j) => j.code, 'code', 'jurisdiction') : new Set<string>();
  const parentOf = new Map(jurisdictions.map((j) => [j.code, j.parent]));
  jurisdictions.forEach((j, i) => {
    if (!jf || j.parent === undefined) return;
    if (!jCodes.has(j.parent)) c.report(jf, [i, 'parent'], `unknown jurisdiction "${j.parent}"`);
    const path = [j.code];
    for (let p: string | undefined = j.parent; p !== undefined; p = parentOf.get(p)) {
      if (path.includes(p)) {
        c.report(jf, [i, 'parent'], `jurisdiction cycle: ${[...path, p].join(' → ')}`);
        break;
      }
      path.push(p);
    }
  });

  // Taxonomy: unique codes per scheme; the contract's event types and statuses all present.
  const tf = root('taxonomy.yaml');
  const codes: Record<TagScheme | 'instrument_kinds' | 'event_types', Set<string>> = {
    topics: new Set(),
    scenario_categories: new Set(),
    fields: new Set(),
    demonstration_scenarios: new Set(),
    supply_elements: new Set(),
    governance_aspects: new Set(),
    instrument_kinds: new Set(),
    event_types: new Set(),
  };
  if (tf && taxonomy) {
    for (const scheme of [
      'topics',
      'scenario_categories',
      'demonstration_scenarios',
      'supply_elements',
      'governance_aspects',
      'instrument_kinds',
      'event_types',
      'statuses',
    ] as const) {
      const list = taxonomy[scheme] as readonly { code: string }[];
      const set = new Set<string>();
      list.forEach((t, i) => {
        if (set.has(t.code)) c.report(tf, [scheme, i, 'code'], `duplicate ${scheme} code "${t.code}"`);
        set.add(t.code);
      });
      if (scheme !== 'statuses') codes[scheme] = set;
    }
    taxonomy.scenario_categories.forEach((cat, i) =>
      cat.fields.forEach((f, k) => {
        if (codes.fields.has(f.code)) {
          c.report(tf, ['scenario_categories', i, 'fields', k, 'code'], `duplicate field code "${f.code}"`);
        }
        codes.fields.add(f.code);
      }),
    );
    const required: [string, readonly string[], Set<string>][] = [
      ['event_types', EVENT_TYPES, codes.event_types],
      ['statuses', STATUSES, new Set(taxonomy.statuses.map((s) => s.code))],
    ];
    for (const [scheme, must, have] of required) {
      for (const code of must) {
        if (!have.has(code)) c.report(tf, [scheme], `${scheme} must label the contract code "${code}"`);
      }
      for (const code of have) {
        if (!must.includes(code)) c.report(tf, [scheme], `${scheme}: "${code}" is not a code Horizon knows`);
      }
    }
  }

  const cf = root('chapters.yaml');
  const chapterCodes = cf ? c.unique(cf, chapters, (x) => x.code, 'code', 'chapter') : new Set<string>();
  const sf = root('sources.yaml');
  const sourceIds = sf ? c.unique(sf, sources, (x) => x.id, 'id', 'source') : new Set<string>();
  const bf = root('bodies.yaml');
  const bodyIds = bf ? c.unique(bf, bodies, (x) => x.id, 'id', 'body') : new Set<string>();
  bodies.forEach((b, i) => {
    if (bf && jurisdictions.length && !jCodes.has(b.jurisdiction)) {
      c.report(bf, [i, 'jurisdiction'], `unknown jurisdiction "${b.jurisdiction}"`);
    }
  });

  const cite = (file: SourceFile, at: JsonPath, list: readonly Citation[] | undefined) =>
    list?.forEach((s, i) => {
      if (sources.length && !sourceIds.has(s.source)) {
        c.report(file, [...at, i, 'source'], `unknown source "${s.source}" (not in sources.yaml)`);
      }
    });

  // Instruments.
  const instruments: Instrument[] = [];
  const instrumentFiles = new Map<string, SourceFile>();
  const namedIds = new Set<string>(); // ids of instrument files, even invalid ones, so links to them add no noise
  for (const file of raw.instruments) {
    const rawId = (file.data as { id?: unknown } | undefined)?.id;
    if (typeof rawId === 'string') namedIds.add(rawId);
    const inst = c.schema<Instrument>(file, 'instrumentFile');
    if (!inst) continue;
    const expected = file.path.replace(/^instruments\//, '').replace(/\.yaml$/, '');
    if (inst.id !== expected) c.report(file, ['id'], `id "${inst.id}" must match the file name "${expected}.yaml"`);
    if (instrumentFiles.has(inst.id)) {
      c.report(file, ['id'], `duplicate instrument id "${inst.id}" (also in ${instrumentFiles.get(inst.id)?.path})`);
      continue;
    }
    instrumentFiles.set(inst.id, file);
    if (taxonomy && !codes.instrument_kinds.has(inst.kind)) {
      c.report(file, ['kind'], `unknown instrument kind "${inst.kind}"`);
    }
    if (jurisdictions.length && !jCodes.has(inst.jurisdiction)) {
      c.report(file, ['jurisdiction'], `unknown jurisdiction "${inst.jurisdiction}"`);
    }
    inst.issuers.forEach((b, i) => {
      if (bodies.length && !bodyIds.has(b)) c.report(file, ['issuers', i], `unknown body "${b}" (not in bodies.yaml)`);
    });
    for (const scheme of TAG_SCHEMES) {
      inst[scheme]?.forEach((code, i) => {
        if (taxonomy && !codes[scheme].has(code)) c.report(file, [scheme, i], `unknown ${scheme} code "${code}"`);
      });
    }
    cite(file, ['sources'], inst.sources);
    checkEvents(c, file, inst.events, codes.event_types, cite);
    instruments.push(canonical('instrumentFile', { ...inst, events: defaultEventKeys(inst.events) }));
  }

  // Relations: targets exist, no self-references, no cycles within a type.
  const ids = new Set([...namedIds, ...instruments.map((i) => i.id)]);
  for (const inst of instruments) {
    const file = instrumentFiles.get(inst.id);
    inst.relations?.forEach((r, i) => {
      if (!file) return;
      if (r.target === inst.id) c.report(file, ['relations', i, 'target'], 'an instrument cannot relate to itself');
      else if (!ids.has(r.target)) c.report(file, ['relations', i, 'target'], `unknown instrument "${r.target}"`);
    });
  }
  reportCycles(c, instruments, instrumentFiles);

  // Programmes: their instrument, sources and rule.
  const programmes: Programme[] = [];
  const programmeIds = new Set<string>();
  for (const file of raw.programmes) {
    const prog = c.schema<Programme>(file, 'programmeFile');
    if (!prog) continue;
    const expected = file.path.replace(/^programmes\//, '').replace(/\.yaml$/, '');
    if (prog.id !== expected) c.report(file, ['id'], `id "${prog.id}" must match the file name "${expected}.yaml"`);
    if (programmeIds.has(prog.id)) c.report(file, ['id'], `duplicate programme id "${prog.id}"`);
    programmeIds.add(prog.id);
    if (!ids.has(prog.instrument)) c.report(file, ['instrument'], `unknown instrument "${prog.instrument}"`);
    cite(file, ['sources'], prog.sources);
    for (const p of checkProgrammeRule(prog.rule, { jurisdictions: parentOf, sources: sourceIds, instruments: ids })) {
      c.report(file, ['rule', ...p.path], p.message);
    }
    programmes.push(prog);
  }

  // Articles and revisions.
  const articles: Article[] = [];
  const articleIds = new Set<string>();
  for (const file of raw.articles) {
    const art = c.schema<Article>(file, 'articleFile');
    if (!art) continue;
    const folder = file.path.split('/')[1] ?? '';
    if (art.id !== folder) c.report(file, ['id'], `id "${art.id}" must match the folder name "${folder}"`);
    if (!chapterCodes.has(art.chapter)) c.report(file, ['chapter'], `unknown chapter "${art.chapter}"`);
    if (!jCodes.has(art.jurisdiction)) c.report(file, ['jurisdiction'], `unknown jurisdiction "${art.jurisdiction}"`);
    articleIds.add(art.id);
    articles.push(art);
  }
  const revisions: ArticleRevision[] = [];
  for (const file of raw.revisions) {
    const front = c.schema<Omit<ArticleRevision, 'article' | 'lang' | 'body'>>(file, 'revisionFrontMatter');
    if (!front) continue;
    if (front.accurate_up_to !== file.date) {
      c.report(
        file,
        ['accurate_up_to'],
        `accurate_up_to ${front.accurate_up_to} must match the file name's ${file.date}`,
      );
    } else if (!parsePartialDate(file.date)) {
      c.report(file, ['accurate_up_to'], `${file.date} is not a real date`);
    }
    cite(file, ['sources'], front.sources);
    file.body.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(INSTRUMENT_LINK)) {
        const id = m[1] ?? '';
        if (!ids.has(id)) {
          c.problems.push({
            where: file.path,
            line: file.bodyLine + i,
            column: (m.index ?? 0) + 1,
            message: `link to unknown instrument "${id}"`,
          });
        }
      }
    });
    revisions.push({ ...front, article: file.article, lang: file.lang as Lang, body: file.body });
  }
  for (const art of articles) {
    if (!revisions.some((r) => r.article === art.id && r.lang === 'en')) {
      const file = raw.articles.find((f) => f.path === `articles/${art.id}/article.yaml`);
      if (file) c.report(file, [], `article "${art.id}" has no English revision (YYYY-MM-DD.en.md)`);
    }
  }

  if (!meta || !taxonomy) return null;
  return { meta, jurisdictions, taxonomy, chapters, sources, bodies, instruments, programmes, articles, revisions };
}

function checkEvents(
  c: Checker,
  file: SourceFile,
  events: readonly LifecycleEvent[],
  eventTypes: Set<string>,
  cite: (file: SourceFile, at: JsonPath, list: readonly Citation[] | undefined) => void,
): void {
  events.forEach((e, i) => {
    const at = ['events', i];
    if (eventTypes.size && !eventTypes.has(e.type)) c.report(file, [...at, 'type'], `unknown event type "${e.type}"`);
    const hasDate = e.date !== undefined;
    if (hasDate === (e.claims !== undefined)) {
      c.report(file, at, 'an event gives either date (null when unknown) or claims (a disputed date), not both');
    }
    if (typeof e.date === 'string' && !parsePartialDate(e.date)) {
      c.report(file, [...at, 'date'], `${e.date} is not a real date`);
    }
    cite(file, [...at, 'sources'], e.sources);
    if (e.claims) {
      e.claims.forEach((claim, k) => {
        if (!parsePartialDate(claim.date))
          c.report(file, [...at, 'claims', k, 'date'], `${claim.date} is not a real date`);
        cite(file, [...at, 'claims', k, 'sources'], claim.sources);
      });
      const preferred = e.claims.filter((x) => x.preferred === true).length;
      if (preferred !== 1) {
        c.report(file, [...at, 'claims'], `a disputed date needs exactly one preferred claim (found ${preferred})`);
      }
    }
  });
  const keys = defaultEventKeys(events).map((e) => e.key);
  keys.forEach((key, i) => {
    if (keys.indexOf(key) !== i) c.report(file, ['events', i], `duplicate event key "${key}": give each event a key`);
  });
}

function reportCycles(c: Checker, instruments: readonly Instrument[], files: Map<string, SourceFile>): void {
  const types = new Set(instruments.flatMap((i) => (i.relations ?? []).map((r) => r.type)));
  types.delete('cites');
  for (const type of types) {
    const edges = new Map<string, string[]>();
    for (const inst of instruments) {
      edges.set(
        inst.id,
        (inst.relations ?? []).filter((r) => r.type === type).map((r) => r.target),
      );
    }
    const state = new Map<string, 'open' | 'done'>();
    const reported = new Set<string>();
    const visit = (id: string, stack: string[]): void => {
      state.set(id, 'open');
      for (const next of edges.get(id) ?? []) {
        if (state.get(next) === 'open') {
          const cycle = [...stack.slice(stack.indexOf(next)), id, next];
          const first = cycle[0] ?? id;
          const key = [...new Set(cycle)].sort().join(',');
          const file = files.get(first);
          const inst = instruments.find((x) => x.id === first);
          const index = inst?.relations?.findIndex((r) => r.type === type) ?? 0;
          if (file && !reported.has(key)) {
            reported.add(key);
            c.report(
              file,
              ['relations', index],
              `relation cycle: ${cycle.slice(stack.indexOf(next) >= 0 ? 0 : 1).join(` ${type} `)}`,
            );
          }
        } else if (!state.has(next) && edges.has(next)) visit(next, [...stack, id]);
      }
      state.set(id, 'done');
    };
    for (const inst of instruments) if (!state.has(inst.id)) visit(inst.id, []);
  }
}
