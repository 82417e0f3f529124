// exportBundle: writes the store back as a bundle folder, in the canonical form import reads.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { errors } from '../errors.ts';
import type {
  Article,
  ArticleRevision,
  Body,
  Bundle,
  BundleMeta,
  Chapter,
  Instrument,
  Jurisdiction,
  Lang,
  Programme,
  Source,
  Taxonomy,
} from '../domain/types.ts';
import type { Queryable } from '../store/database.ts';
import { loadEntities, type Entity, type EntityKind } from '../store/knowledge.store.ts';
import { withoutDefaultKeys } from './event-keys.ts';
import { canonical } from './schema.ts';

/** Reads the whole knowledge base from the store as a bundle. */
export async function readStoreBundle(q: Queryable): Promise<Bundle> {
  return bundleOfEntities((await loadEntities(q)).values());
}

/** The bundle that stored entities (as loadEntities gives them) make up. */
export function bundleOfEntities(entities: Iterable<Entity>): Bundle {
  const all = [...entities];
  const of = <T>(kind: EntityKind): { e: Entity; v: T }[] =>
    all
      .filter((e) => e.kind === kind)
      .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => ({ e, v: JSON.parse(e.doc) as T }));
  const doc = <T>(name: string): T | undefined => of<T>('document').find((d) => d.e.id === name)?.v;
  const meta = doc<BundleMeta>('bundle');
  const taxonomy = doc<Taxonomy>('taxonomy');
  if (!meta || !taxonomy) throw errors.notFound('knowledge base', 'bundle (the store is empty: import a bundle first)');
  return {
    meta,
    taxonomy,
    jurisdictions: of<Jurisdiction>('jurisdiction').map((x) => x.v),
    chapters: of<Chapter>('chapter').map((x) => x.v),
    sources: of<Source>('source').map((x) => x.v),
    bodies: of<Body>('body').map((x) => x.v),
    instruments: of<Instrument>('instrument').map((x) => x.v),
    programmes: of<Programme>('programme').map((x) => x.v),
    articles: of<Article>('article').map((x) => x.v),
    revisions: of<Omit<ArticleRevision, 'article' | 'lang' | 'body'>>('revision').map(({ e, v }) => {
      const [article = '', , lang = 'en'] = e.id.split('/');
      return { ...v, article, lang: lang as Lang, body: e.body ?? '' };
    }),
  };
}

function yaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** The files of a bundle: relative path → content. */
export function bundleFiles(b: Bundle): Map<string, string> {
  const files = new Map<string, string>();
  files.set('bundle.yaml', yaml(canonical('bundleFile', b.meta)));
  files.set('jurisdictions.yaml', yaml(canonical('jurisdictionsFile', b.jurisdictions)));
  files.set('taxonomy.yaml', yaml(canonical('taxonomyFile', b.taxonomy)));
  files.set('chapters.yaml', yaml(canonical('chaptersFile', b.chapters)));
  files.set('sources.yaml', yaml(canonical('sourcesFile', b.sources)));
  files.set('bodies.yaml', yaml(canonical('bodiesFile', b.bodies)));
  for (const inst of b.instruments) {
    files.set(
      `instruments/${inst.id}.yaml`,
      yaml(canonical('instrumentFile', { ...inst, events: withoutDefaultKeys(inst.events) })),
    );
  }
  for (const prog of b.programmes) files.set(`programmes/${prog.id}.yaml`, yaml(canonical('programmeFile', prog)));
  for (const art of b.articles) files.set(`articles/${art.id}/article.yaml`, yaml(canonical('articleFile', art)));
  for (const { article, lang, body, ...front } of b.revisions) {
    files.set(
      `articles/${article}/${front.accurate_up_to}.${lang}.md`,
      `---\n${yaml(canonical('revisionFrontMatter', front))}---\n${body}`,
    );
  }
  return files;
}

/**
 * Writes the store as a bundle into dir. A dir that exists and is not empty is refused unless `force`, in which case
 * it is replaced whole. Files are written to a sibling folder first, so a failure leaves dir as it was.
 */
export async function exportBundle(q: Queryable, dir: string, force = false): Promise<{ files: number }> {
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0 && !force) {
    throw errors.usage(`${dir} exists and is not empty: choose another folder, or pass --force to replace it`);
  }
  const files = bundleFiles(await readStoreBundle(q));
  const temp = `${target}.export-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  for (const [rel, text] of files) {
    const full = path.join(temp, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  if (fs.existsSync(target)) {
    const old = `${target}.old-${process.pid}`;
    fs.renameSync(target, old);
    fs.renameSync(temp, target);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(temp, target);
  }
  return { files: files.size };
}
