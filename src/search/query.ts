// A search query as frozen data (parsed from what the user typed), turned into text-search queries and the SQL that
// ranks candidates and counts facets.
import { formatMessage, type Message } from '../i18n/messages.ts';
import { SYNONYMS, words, type Script } from './segment.ts';

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 500;
/** Most words a query may hold (after segmentation). */
export const MAX_QUERY_WORDS = 32;

/** One word of the query with the words it may also be (synonyms, corrected spellings). */
export interface QueryWord {
  readonly kind: 'word';
  readonly text: string;
  readonly script: Script;
  readonly alternatives: readonly string[];
}

/**
 * Words typed together: a quoted phrase (must appear in this order), or one chunk between spaces, which may hold
 * several words (人工智能 is 人工 + 智能; all must appear, in order ranks higher).
 */
export interface QueryGroup {
  readonly kind: 'group';
  readonly words: readonly QueryWord[];
  readonly quoted: boolean;
  readonly negated: boolean;
}

export interface ParsedQuery {
  readonly kind: 'query';
  readonly text: string;
  readonly groups: readonly QueryGroup[];
}

/** Why a query cannot be run, for the caller to answer 400 naming q (`text` words it in any language). */
export class QueryProblem extends Error {
  constructor(readonly text: Message) {
    super(formatMessage('en', text));
    this.name = 'QueryProblem';
  }
}

const QUOTES = /["“”„「」『』]/;

const word = (text: string, script: Script): QueryWord =>
  Object.freeze({ kind: 'word', text, script, alternatives: Object.freeze([...(SYNONYMS.get(text) ?? [])]) });

/**
 * Parses what the user typed: words, "quoted phrases" (an unclosed quote runs to the end), -excluded words.
 * Throws QueryProblem for an empty or too long query, or one without any word.
 */
export function parseQuery(raw: string): ParsedQuery {
  const text = raw.trim();
  if (text === '') throw new QueryProblem({ key: 'error.query.empty' });
  if ([...text].length > MAX_QUERY_LENGTH) {
    throw new QueryProblem({
      key: 'error.query.tooLong',
      params: { length: String([...text].length), max: MAX_QUERY_LENGTH },
    });
  }
  const groups: QueryGroup[] = [];
  const add = (chunk: string, quoted: boolean, negated: boolean) => {
    const ws = words(chunk).map((w) => word(w.text, w.script));
    if (ws.length > 0) groups.push(Object.freeze({ kind: 'group', words: Object.freeze(ws), quoted, negated }));
  };
  text.split(QUOTES).forEach((part, i) => {
    if (i % 2 === 1) {
      add(part, true, false);
      return;
    }
    for (const chunk of part.split(/\s+/)) {
      const negated = chunk.length > 1 && (chunk.startsWith('-') || chunk.startsWith('－'));
      add(negated ? chunk.slice(1) : chunk, false, negated);
    }
  });
  // a negation right before a quote: -"exact words"
  if (groups.length === 0) throw new QueryProblem({ key: 'error.query.noWords' });
  if (groups.every((g) => g.negated)) throw new QueryProblem({ key: 'error.query.onlyExcludes' });
  const count = groups.reduce((n, g) => n + g.words.length, 0);
  if (count > MAX_QUERY_WORDS)
    throw new QueryProblem({ key: 'error.query.tooManyWords', params: { count, max: MAX_QUERY_WORDS } });
  return Object.freeze({ kind: 'query', text, groups: Object.freeze(groups) });
}

/** The query with corrected spellings added as alternatives of the words they correct. */
export function withCorrections(query: ParsedQuery, corrections: ReadonlyMap<string, readonly string[]>): ParsedQuery {
  if (corrections.size === 0) return query;
  const groups = query.groups.map((g) =>
    Object.freeze({
      ...g,
      words: Object.freeze(
        g.words.map((w) => {
          const extra = corrections.get(w.text);
          return extra ? Object.freeze({ ...w, alternatives: Object.freeze([...w.alternatives, ...extra]) }) : w;
        }),
      ),
    }),
  );
  return Object.freeze({ ...query, groups: Object.freeze(groups) });
}

/** Latin words that may be misspelt: checked against the vocabulary (typed outside quotes, four letters or more). */
export function spellCheckable(query: ParsedQuery): string[] {
  const out = new Set<string>();
  for (const g of query.groups) {
    if (g.quoted || g.negated) continue;
    for (const w of g.words) if (w.script === 'latin' && w.text.length >= 4) out.add(w.text);
  }
  return [...out];
}

// ---- text-search query strings (to_tsquery syntax). Words hold only letters and digits, so quoting is safe. ----

const lexeme = (t: string) => `'${t.replace(/'/g, "''")}'`;
const alt = (w: QueryWord) =>
  w.alternatives.length === 0 ? lexeme(w.text) : `(${[w.text, ...w.alternatives].map(lexeme).join(' | ')})`;
const and = (parts: readonly string[]) => (parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(' & ')})`);
const phrase = (ws: readonly QueryWord[]) =>
  ws.length === 1 ? alt(ws[0] as QueryWord) : `(${ws.map(alt).join(' <-> ')})`;
const not = (g: QueryGroup) => `!${phrase(g.words)}`;

/** The text-search queries a search runs with (to_tsquery text for the 'english' configuration). */
export interface TsQueries {
  /** What a document must match: every group (quoted ones as phrases), none of the excluded ones. */
  readonly match: string;
  /** Each group's words next to each other (人工 <-> 智能): ranks higher. */
  readonly groups: string;
  /** All the query's words as one phrase in the typed order: ranks higher still. */
  readonly phrase: string;
}

/** Text-search queries for a parsed query; `relaxed` asks for any of the words instead of all. */
export function tsQueries(query: ParsedQuery, relaxed = false): TsQueries {
  const positive = query.groups.filter((g) => !g.negated);
  const negative = query.groups.filter((g) => g.negated).map(not);
  const all = positive.flatMap((g) => g.words);
  const musts = relaxed
    ? [`(${all.map(alt).join(' | ')})`]
    : positive.map((g) => (g.quoted ? phrase(g.words) : and(g.words.map(alt))));
  return {
    match: and([...musts, ...negative]),
    groups: and(positive.map((g) => phrase(g.words))),
    phrase: phrase(all),
  };
}

/** True when a relaxed query (any word) would differ from the strict one. */
export function canRelax(query: ParsedQuery): boolean {
  return query.groups.filter((g) => !g.negated).reduce((n, g) => n + g.words.length, 0) > 1;
}
