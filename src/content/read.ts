// Reads a bundle folder: parses each YAML and Markdown file, keeping line numbers for every value. Every file is read
// within the budgets of limits.ts, decoded as strict UTF-8, and refused (with file:line:column and the reason, never a
// throw) when it holds a NUL, an unpaired surrogate, a YAML syntax error or an alias bomb.
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isAlias, isMap, isScalar, visit, type Document, type Node } from 'yaml';
import type { Problem } from '../errors.ts';
import { MAX_BUNDLE_BYTES, MAX_FILE_BYTES, MAX_YAML_ALIASES } from './limits.ts';

export type JsonPath = readonly (string | number)[];

/** A parsed file and a way to find where any of its values was written. */
export interface SourceFile {
  /** Path relative to the bundle folder, with forward slashes. */
  readonly path: string;
  readonly data: unknown;
  /** Line and column (1-based) of the value at path, or of the key `key` inside it. */
  locate(at: JsonPath, key?: string): { line: number; column: number };
  /**
   * Files built in memory (content/memory.ts: a change set's bundle) have no lines: problems name the entity and
   * field instead, `instrument:cn-x.events.0.date`, in place of file:line:column.
   */
  readonly field?: (at: JsonPath, key?: string) => string;
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

/** Markdown for editors at the top level, never read as part of the bundle (FACTS.md: the facts table, docs/CONTENT.md). */
const EDITORS_NOTES: ReadonlySet<string> = new Set(['README.md', 'FACTS.md']);
const REVISION_NAME = /^(\d{4}-\d{2}-\d{2})\.(en|zh)\.md$/;

/** Line and column (1-based) of offset `at` in text. */
function positionAt(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  const lastBreak = before.lastIndexOf('\n');
  return { line: (before.match(/\n/g)?.length ?? 0) + 1, column: at - lastBreak };
}

/** A NUL, or a surrogate without its other half (only YAML escapes such as "\0" or "\ud800" can write those). */
const FORBIDDEN_CHAR = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describeChar(c: string): string {
  return c === '\0'
    ? 'a NUL character (U+0000)'
    : `an unpaired surrogate (U+${c.charCodeAt(0).toString(16).toUpperCase()})`;
}

/** How many YAML problems of one file are listed (a broken file can have thousands). */
const MAX_YAML_PROBLEMS = 10;

function yamlFile(rel: string, text: string, problems: Problem[], lineOffset = 0): SourceFile {
  const counter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
  const position = (offset: number) => {
    const p = counter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  const problem = (offset: number, message: string) => problems.push({ where: rel, ...position(offset), message });
  const reported = [...doc.errors, ...doc.warnings];
  for (const err of reported.slice(0, MAX_YAML_PROBLEMS)) {
    const at = err.linePos?.[0];
    const message = (err.message.split('\n')[0] ?? err.code).replace(/ at line \d+, column \d+:?$/, '');
    problems.push({
      where: rel,
      ...(at ? { line: at.line + lineOffset, column: at.col } : position(err.pos[0])),
      message: `YAML: ${message}`,
    });
  }
  if (reported.length > MAX_YAML_PROBLEMS) {
    const last = reported[MAX_YAML_PROBLEMS];
    problem(last?.pos[0] ?? 0, `YAML: ${reported.length - MAX_YAML_PROBLEMS} more problems in this file`);
  }
  let bad = doc.errors.length > 0;
  visit(doc, {
    Scalar(_, node) {
      const found = typeof node.value === 'string' ? FORBIDDEN_CHAR.exec(node.value) : null;
      if (!found) return undefined;
      problem(node.range?.[0] ?? 0, `${describeChar(found[0])} is not allowed in a value`);
      bad = true;
      return visit.BREAK;
    },
  });
  let data: unknown;
  if (!bad) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      let first: Node | undefined;
      visit(doc, {
        Alias(_, node) {
          first = node;
          return visit.BREAK;
        },
      });
      const message = error instanceof Error ? error.message : String(error);
      const aliasBomb = /excessive alias count/i.test(message) && first !== undefined && isAlias(first);
      problem(
        first?.range?.[0] ?? 0,
        aliasBomb
          ? `YAML: its aliases expand too far (over ${MAX_YAML_ALIASES}); write the values out instead of *references`
          : `YAML: ${message}`,
      );
    }
  }
  return {
    path: rel,
    data,
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

/** The first byte offset at which bytes stop being UTF-8 (a prefix of valid UTF-8 decodes in stream mode). */
function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** Strict UTF-8 text of a file, or undefined with a located problem (invalid UTF-8, or a NUL anywhere). */
function decode(rel: string, bytes: Uint8Array, problems: Problem[]): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let at = firstInvalidByte(bytes);
    // The longest valid prefix may end inside a character: the invalid sequence starts at that character's first byte.
    for (let back = 1; back <= 3 && at - back >= 0; back++) {
      const b = bytes[at - back] ?? 0;
      if (b >= 0xc0) at -= back;
      if (b < 0x80 || b >= 0xc0) break;
    }
    const valid = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    problems.push({
      where: rel,
      ...positionAt(valid, valid.length),
      message: `not UTF-8: byte 0x${byte} at offset ${at} does not start or continue a character; save the file as UTF-8`,
    });
    return undefined;
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const at = positionAt(text, nul);
    problems.push({ where: rel, ...at, message: `${describeChar('\0')} is not allowed in a bundle file` });
    return undefined;
  }
  return text;
}

const MIB = 1024 * 1024;
const size = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

/** Reads bundle files within the budgets of limits.ts: a file over MAX_FILE_BYTES, anything but a regular file, and
 * every file once the bundle passes MAX_BUNDLE_BYTES are refused unread. */
function budgetedReader(dir: string, problems: Problem[]): (rel: string) => string | undefined {
  let spent = 0;
  let over = false;
  return (rel) => {
    const full = path.join(dir, rel);
    const stat = fs.statSync(full);
    if (!stat.isFile()) {
      problems.push({ where: rel, message: 'not a regular file (a device, pipe or socket is never read)' });
      return undefined;
    }
    if (stat.size > MAX_FILE_BYTES) {
      problems.push({
        where: rel,
        message: `the file is ${size(stat.size)}; a bundle file may be at most ${size(MAX_FILE_BYTES)} (${MAX_FILE_BYTES} bytes)`,
      });
      return undefined;
    }
    if (over) return undefined;
    spent += stat.size;
    if (spent > MAX_BUNDLE_BYTES) {
      over = true;
      problems.push({
        where: rel,
        message: `the bundle passes ${size(MAX_BUNDLE_BYTES)} at this file; it and the files after it are not read`,
      });
      return undefined;
    }
    // Read at most one byte past the budget, in case the file grew since it was measured.
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    const fd = fs.openSync(full, 'r');
    let length = 0;
    try {
      for (let n = 1; n > 0 && length < buffer.length; length += n) {
        n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      }
    } finally {
      fs.closeSync(fd);
    }
    if (length > MAX_FILE_BYTES) {
      problems.push({ where: rel, message: `the file is over ${size(MAX_FILE_BYTES)} (${MAX_FILE_BYTES} bytes)` });
      return undefined;
    }
    return decode(rel, buffer.subarray(0, length), problems);
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
  const read = budgetedReader(dir, problems);
  const yaml = (rel: string): SourceFile[] => {
    const text = read(rel);
    return text === undefined ? [] : [yamlFile(rel, text, problems)];
  };
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
      const [file] = yaml(name);
      if (file) root.set(name, file);
    } else if (/\.(ya?ml|md)$/.test(name) && !EDITORS_NOTES.has(name)) {
      problems.push({ where: name, message: `unexpected file: the top level holds ${ROOT_FILES.join(', ')}` });
    }
  }
  for (const name of ROOT_FILES) {
    if (!root.has(name) && !problems.some((p) => p.where === name))
      problems.push({ where: name, message: 'missing file' });
  }

  const entries = (folder: string): SourceFile[] =>
    listDir(path.join(dir, folder)).flatMap((name) => {
      const rel = `${folder}/${name}`;
      if (name.endsWith('.yaml')) return yaml(rel);
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
      if (name === 'article.yaml') articles.push(...yaml(rel));
      else if (REVISION_NAME.test(name)) {
        const text = read(rel);
        if (text !== undefined) revisions.push(revisionFile(rel, id, name, text, problems));
      } else if (!name.startsWith('.')) {
        problems.push({
          where: rel,
          message: 'unexpected file: an article folder holds article.yaml and revisions YYYY-MM-DD.en.md / .zh.md',
        });
      }
    }
  }
  return { dir, root, instruments, programmes, articles, revisions };
}
