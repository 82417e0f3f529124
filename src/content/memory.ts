// A bundle built in memory rather than read from a folder: the store's bundle with a change set's entities put in, as
// the files an export would write (paths, list order, instrument events without their default keys), so
// validateRawBundle runs the same checkers on it as on a folder. Its problems name the entity and field
// (`instrument:cn-x.events.0.date`, `source:gov-cn-1.url`), since there are no lines to point at.
import type { Bundle } from '../domain/types.ts';
import { withoutDefaultKeys } from './event-keys.ts';
import type { JsonPath, RawBundle, RevisionFile, SourceFile } from './read.ts';

/** A revision in file form: its front matter (parsed) and Markdown body. */
export interface RevisionData {
  readonly front: unknown;
  readonly body: string;
}

/**
 * A bundle's contents as parsed files: the root files' data, and the entities of the folders by id (revisions by
 * `article/date/lang`). Values are `unknown` because a change set's entities are checked here, not trusted.
 */
export interface BundleData {
  readonly meta: unknown;
  readonly taxonomy: unknown;
  readonly jurisdictions: readonly unknown[];
  readonly chapters: readonly unknown[];
  readonly sources: readonly unknown[];
  readonly bodies: readonly unknown[];
  readonly instruments: ReadonlyMap<string, unknown>;
  readonly programmes: ReadonlyMap<string, unknown>;
  readonly articles: ReadonlyMap<string, unknown>;
  readonly revisions: ReadonlyMap<string, RevisionData>;
}

/** A (valid) bundle as parsed files, the form memoryBundle takes. */
export function bundleData(b: Bundle): BundleData {
  return {
    meta: b.meta,
    taxonomy: b.taxonomy,
    jurisdictions: b.jurisdictions,
    chapters: b.chapters,
    sources: b.sources,
    bodies: b.bodies,
    instruments: new Map(b.instruments.map((i) => [i.id, { ...i, events: withoutDefaultKeys(i.events) }])),
    programmes: new Map(b.programmes.map((p) => [p.id, p])),
    articles: new Map(b.articles.map((a) => [a.id, a])),
    revisions: new Map(
      b.revisions.map(({ article, lang, body, ...front }) => [
        `${article}/${front.accurate_up_to}/${lang}`,
        { front, body },
      ]),
    ),
  };
}

const NO_LINE = { line: 1, column: 1 } as const;

function file(path: string, data: unknown, field: (at: JsonPath, key?: string) => string): SourceFile {
  return { path, data, locate: () => NO_LINE, field };
}

const joined = (head: string, at: JsonPath, key?: string) =>
  [head, ...at, ...(key === undefined ? [] : [key])].map(String).join('.');

/** A root file holding a list of entities of `kind`: a problem at [i, …] names the i-th entity by its id. */
function listFile(path: string, kind: string, items: readonly unknown[], idKey: string): SourceFile {
  return file(path, items, (at, key) => {
    const [index, ...rest] = at;
    if (typeof index !== 'number') return joined(path, at, key);
    const item = items[index] as Record<string, unknown> | undefined;
    const id = item?.[idKey];
    return joined(`${kind}:${typeof id === 'string' ? id : String(index)}`, rest, key);
  });
}

const byId = <T>(map: ReadonlyMap<string, T>): [string, T][] =>
  [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The in-memory files of a bundle, in the order readBundle would list them from its exported folder. */
export function memoryBundle(d: BundleData): RawBundle {
  const root = new Map<string, SourceFile>([
    ['bundle.yaml', file('bundle.yaml', d.meta, (at, key) => joined('document:bundle', at, key))],
    ['jurisdictions.yaml', listFile('jurisdictions.yaml', 'jurisdiction', d.jurisdictions, 'code')],
    ['taxonomy.yaml', file('taxonomy.yaml', d.taxonomy, (at, key) => joined('document:taxonomy', at, key))],
    ['chapters.yaml', listFile('chapters.yaml', 'chapter', d.chapters, 'code')],
    ['sources.yaml', listFile('sources.yaml', 'source', d.sources, 'id')],
    ['bodies.yaml', listFile('bodies.yaml', 'body', d.bodies, 'id')],
  ]);
  const entity = (kind: string, id: string, path: string, data: unknown) =>
    file(path, data, (at, key) => joined(`${kind}:${id}`, at, key));
  const revisions: RevisionFile[] = byId(d.revisions).map(([id, r]) => {
    const [article = '', date = '', lang = ''] = id.split('/');
    return {
      ...entity('revision', id, `articles/${article}/${date}.${lang}.md`, r.front),
      article,
      date,
      lang,
      body: r.body,
      bodyLine: 1,
    };
  });
  return {
    dir: '(change set)',
    root,
    instruments: byId(d.instruments).map(([id, v]) => entity('instrument', id, `instruments/${id}.yaml`, v)),
    programmes: byId(d.programmes).map(([id, v]) => entity('programme', id, `programmes/${id}.yaml`, v)),
    articles: byId(d.articles).map(([id, v]) => entity('article', id, `articles/${id}/article.yaml`, v)),
    revisions,
  };
}
