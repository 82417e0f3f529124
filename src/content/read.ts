// Reads a bundle folder: parses each YAML and Markdown file, keeping line numbers for every value.
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Document, type Node } from 'yaml';
import type { Problem } from '../errors.ts';

export type JsonPath = readonly (string | number)[];

/** A parsed file and a way to find where any of its values was written. */
export interface SourceFile {
  /** Path relative to the bundle folder, with forward slashes. */
  readonly path: string;
  readonly data: unknown;
  /** Line and column (1-based) of the value at path, or of the key `key` inside it. */
  locate(at: JsonPath, key?: string): { line: number; column: number };
}

/** A revision file: front matter (a SourceFile) and its Markdown body. */
export interface RevisionFile extends SourceFile {
  readonly article: string;
  readonly date: string;
  readonly lang: string;
  readonly body: string;
  /** Line in the file where the body starts (1-based). */
  readonly bodyLine: number;
}

export interface RawBundle {
  readonly dir: string;
  readonly root: ReadonlyMap<string, SourceFile>;
  readonly instruments: readonly SourceFile[];
  readonly programmes: readonly SourceFile[];
  readonly articles: readonly SourceFile[];
  readonly revisions: readonly RevisionFile[];
}

export const ROOT_FILES = [
  'bundle.yaml',
  'jurisdictions.yaml',
  'taxonomy.yaml',
  'chapters.yaml',
  'sources.yaml',
  'bodies.yaml',
] as const;
export type RootFile = (typeof ROOT_FILES)[number];

const REVISION_NAME = /^(\d{4}-\d{2}-\d{2})\.(en|zh)\.md$/;

function yamlFile(rel: string, text: string, problems: Problem[], lineOffset = 0): SourceFile {
  const counter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  for (const err of [...doc.errors, ...doc.warnings]) {
    const pos = err.linePos?.[0];
    problems.push({
      where: rel,
      line: (pos?.line ?? 1) + lineOffset,
      column: pos?.col ?? 1,
      message: `YAML: ${err.message.split('\n')[0] ?? err.code}`,
    });
  }
  const position = (offset: number) => {
    const p = counter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  return {
    path: rel,
    data: doc.errors.length ? undefined : (doc.toJS() as unknown),
    locate(at, key) {
      for (let n = at.length; n >= 0; n--) {
        const node = (n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true)) as Node | null | undefined;
        if (!node?.range) continue;
        if (key !== undefined && n === at.length && isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
          const keyNode = pair?.key as Node | undefined;
          if (keyNode?.range) return position(keyNode.range[0]);
        }
        return position(node.range[0]);
      }
      return { line: 1 + lineOffset, column: 1 };
    },
  };
}

function revisionFile(rel: string, article: string, name: string, text: string, problems: Problem[]): RevisionFile {
  const [, date = '', lang = ''] = REVISION_NAME.exec(name) ?? [];
  const normalized = text.replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(normalized);
  if (!match) {
    problems.push({ where: rel, line: 1, column: 1, message: 'missing front matter: start the file with a --- block' });
    return { ...yamlFile(rel, '{}', []), article, date, lang, body: normalized, bodyLine: 1 };
  }
  const front = yamlFile(rel, match[1] ?? '', problems, 1);
  const bodyLine = (match[0].match(/\n/g)?.length ?? 0) + 1;
  return { ...front, article, date, lang, body: normalized.slice(match[0].length), bodyLine };
}

function listDir(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** Reads every file of the bundle in dir. Problems of reading and parsing go to `problems`. */
export function readBundle(dir: string, problems: Problem[]): RawBundle {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    problems.push({ where: dir, message: 'not a folder' });
    return { dir, root: new Map(), instruments: [], programmes: [], articles: [], revisions: [] };
  }
  const read = (rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');
  const root = new Map<string, SourceFile>();
  for (const name of listDir(dir)) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) {
      if (!['instruments', 'programmes', 'articles'].includes(name) && !name.startsWith('.')) {
        problems.push({
          where: name,
          message: 'unexpected folder: a bundle holds only instruments/, programmes/ and articles/',
        });
      }
    } else if ((ROOT_FILES as readonly string[]).includes(name)) {
      root.set(name, yamlFile(name, read(name), problems));
    } else if (/\.(ya?ml|md)$/.test(name) && name !== 'README.md') {
      problems.push({ where: name, message: `unexpected file: the top level holds ${ROOT_FILES.join(', ')}` });
    }
  }
  for (const name of ROOT_FILES) {
    if (!root.has(name)) problems.push({ where: name, message: 'missing file' });
  }

  const entries = (folder: string): SourceFile[] =>
    listDir(path.join(dir, folder)).flatMap((name) => {
      const rel = `${folder}/${name}`;
      if (name.endsWith('.yaml')) return [yamlFile(rel, read(rel), problems)];
      if (!name.startsWith('.'))
        problems.push({ where: rel, message: `unexpected file: ${folder}/ holds ID.yaml files` });
      return [];
    });
  const instruments = entries('instruments');
  const programmes = entries('programmes');

  const articles: SourceFile[] = [];
  const revisions: RevisionFile[] = [];
  for (const id of listDir(path.join(dir, 'articles'))) {
    const folder = `articles/${id}`;
    if (!fs.statSync(path.join(dir, folder)).isDirectory()) {
      problems.push({ where: folder, message: 'unexpected file: each article is a folder articles/ID/' });
      continue;
    }
    const names = listDir(path.join(dir, folder));
    if (!names.includes('article.yaml')) problems.push({ where: `${folder}/article.yaml`, message: 'missing file' });
    for (const name of names) {
      const rel = `${folder}/${name}`;
      if (name === 'article.yaml') articles.push(yamlFile(rel, read(rel), problems));
      else if (REVISION_NAME.test(name)) revisions.push(revisionFile(rel, id, name, read(rel), problems));
      else if (!name.startsWith('.')) {
        problems.push({
          where: rel,
          message: 'unexpected file: an article folder holds article.yaml and revisions YYYY-MM-DD.en.md / .zh.md',
        });
      }
    }
  }
  return { dir, root, instruments, programmes, articles, revisions };
}
