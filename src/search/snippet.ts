// Snippets: a short window of a result's text in the language the query matched, with the matching words marked.
import type { Lang } from '../domain/types.ts';
import { escapeHtml } from '../domain/html.ts';
import type { ParsedQuery } from './query.ts';

/** Shown text of a document by language. */
export interface ShownText {
  readonly title: string;
  readonly summary: string;
  readonly body: string;
}

export interface Snippet {
  readonly lang: Lang;
  /** HTML: the text escaped, matching words in <mark>. */
  readonly html: string;
  /** The same without markup. */
  readonly text: string;
}

const SUFFIX = /(?:ations?|ments?|ings?|ness|ies|ied|ions?|es|ed|s|ly)$/;

/** A rough stem for marking words: "regulations" marks regulation, regulations (the database stems for matching). */
function stem(word: string): string {
  const cut = word.replace(SUFFIX, '');
  return cut.length >= 4 ? cut : word;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern that finds the query's words (and their alternatives) in text. */
export function matcher(query: ParsedQuery): RegExp | null {
  const han = new Set<string>();
  const other = new Set<string>();
  for (const g of query.groups) {
    if (g.negated) continue;
    const run = g.words.map((w) => w.text).join('');
    if (g.words.every((w) => w.script === 'han') && g.words.length > 1) han.add(run);
    // single characters of a longer run (式 of 生成式) would mark unrelated words
    const lone = g.words.length === 1;
    for (const w of g.words) {
      for (const t of [w.text, ...w.alternatives]) {
        if (/\p{Script=Han}/u.test(t)) {
          if (lone || [...t].length > 1) han.add(t);
        } else if (w.script === 'latin' && t.length >= 3) other.add(`\\b${escapeRegExp(stem(t))}[\\p{L}\\p{N}]*`);
        else other.add(`\\b${escapeRegExp(t)}\\b`);
      }
    }
  }
  const parts = [...[...han].sort((a, b) => b.length - a.length).map(escapeRegExp), ...other];
  return parts.length === 0 ? null : new RegExp(parts.join('|'), 'giu');
}

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly word: string;
}

function hits(text: string, re: RegExp | null): Hit[] {
  if (!re || text === '') return [];
  return [...text.matchAll(re)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    word: m[0].toLowerCase(),
  }));
}

const WINDOW: Record<Lang, number> = { en: 220, zh: 90 };

/** The window of the text with the most distinct matching words, cut at word or sentence edges. */
function window(text: string, found: readonly Hit[], lang: Lang): { start: number; end: number } {
  const size = WINDOW[lang];
  if (text.length <= size) return { start: 0, end: text.length };
  let best = { start: 0, score: -1 };
  for (const h of found) {
    const start = Math.max(0, h.start - Math.floor(size / 5));
    const inside = new Set(found.filter((x) => x.start >= start && x.end <= start + size).map((x) => x.word));
    if (inside.size > best.score) best = { start, score: inside.size };
  }
  let start = best.start;
  const first = found.find((h) => h.start >= start);
  if (
    first &&
    first.end <= size * 0.8 &&
    best.score >= new Set(found.filter((x) => x.end <= size).map((x) => x.word)).size
  ) {
    start = 0;
  }
  if (start > 0) {
    const space = lang === 'en' ? text.indexOf(' ', start) : -1;
    if (space > 0 && space - start < 20) start = space + 1;
  }
  let end = Math.min(text.length, start + size);
  if (end < text.length && lang === 'en') {
    const space = text.lastIndexOf(' ', end);
    if (space > start + size / 2) end = space;
  }
  return { start, end };
}

/** Marks the hits inside [start, end) of text. */
function mark(text: string, found: readonly Hit[], start: number, end: number): { html: string; text: string } {
  let html = '';
  let at = start;
  for (const h of found) {
    if (h.start < at || h.end > end) continue;
    html += `${escapeHtml(text.slice(at, h.start))}<mark>${escapeHtml(text.slice(h.start, h.end))}</mark>`;
    at = h.end;
  }
  html += escapeHtml(text.slice(at, end));
  html = html.replace(/<\/mark><mark>/g, '');
  const pre = start > 0 ? '… ' : '';
  const post = end < text.length ? ' …' : '';
  return {
    html: `${pre}${html.replace(/\s+/g, ' ').trim()}${post}`,
    text: `${pre}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${post}`,
  };
}

/**
 * The snippet of a document for a query: from the language whose text holds more of the query's words (ties go to
 * the script of the query, then to `prefer`), from the summary when it matches, else the body, else the title, else the
 * summary's start.
 */
export function snippet(shown: Readonly<Record<Lang, ShownText>>, query: ParsedQuery, prefer: Lang): Snippet {
  return snippets(query, prefer)(shown);
}

/** A snippet maker for one query (its pattern is built once for all the results). */
export function snippets(query: ParsedQuery, prefer: Lang): (shown: Readonly<Record<Lang, ShownText>>) => Snippet {
  const re = matcher(query);
  return (shown) => snippetWith(shown, query, re, prefer);
}

function snippetWith(
  shown: Readonly<Record<Lang, ShownText>>,
  query: ParsedQuery,
  re: RegExp | null,
  prefer: Lang,
): Snippet {
  const queryHasHan = query.groups.some((g) => !g.negated && g.words.some((w) => w.script === 'han'));
  const queryHasOther = query.groups.some((g) => !g.negated && g.words.some((w) => w.script !== 'han'));
  const scriptLang: Lang | null = queryHasHan && !queryHasOther ? 'zh' : !queryHasHan ? 'en' : null;
  const distinct = (lang: Lang) => {
    const s = shown[lang];
    return new Set(hits(`${s.title}\n${s.summary}\n${s.body}`, re).map((h) => h.word)).size;
  };
  const score: Record<Lang, number> = { en: distinct('en'), zh: distinct('zh') };
  const order: Lang[] = ['en', 'zh'];
  order.sort(
    (a, b) =>
      score[b] - score[a] ||
      Number(b === scriptLang) - Number(a === scriptLang) ||
      Number(b === prefer) - Number(a === prefer),
  );
  for (const lang of order) {
    const s = shown[lang];
    for (const field of [s.summary, s.body, s.title]) {
      const found = hits(field, re);
      if (found.length === 0) continue;
      const w = window(field, found, lang);
      return { lang, ...mark(field, found, w.start, w.end) };
    }
  }
  const lang = order[0] ?? prefer;
  const text = shown[lang].summary || shown[lang].body;
  const w = { start: 0, end: Math.min(text.length, WINDOW[lang]) };
  return { lang, ...mark(text, [], w.start, w.end) };
}
