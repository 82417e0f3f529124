// Words for search: Chinese text is split into dictionary words by Intl.Segmenter (ICU), other scripts at word
// boundaries; the same function runs at index time and at query time, so a query matches what was indexed.

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /^[a-z]+$/;
const SPLIT = /[^\p{L}\p{N}]+/u;

/** The script of a word: Han (Chinese), Latin letters, or anything else with digits or other letters. */
export type Script = 'han' | 'latin' | 'other';

/** One word of a text, lowercased and in NFKC form (full-width letters and digits become ASCII). */
export interface Word {
  readonly text: string;
  readonly script: Script;
}

export function scriptOf(word: string): Script {
  if (HAN.test(word)) return 'han';
  return LATIN_WORD.test(word) ? 'latin' : 'other';
}

/** The words of a text in order; punctuation and spaces are dropped. */
export function words(text: string): Word[] {
  const out: Word[] = [];
  const normal = text.normalize('NFKC').toLowerCase();
  for (const s of segmenter.segment(normal)) {
    if (!s.isWordLike) continue;
    for (const part of s.segment.split(SPLIT)) {
      if (part !== '') out.push({ text: part, script: scriptOf(part) });
    }
  }
  return out;
}

/** The text as space-separated words: what the database's text-search parser is given (it cannot split Chinese). */
export function segment(text: string): string {
  return words(text)
    .map((w) => w.text)
    .join(' ');
}

/**
 * Distinct Latin words of three letters or more in segmented text (see segment): the vocabulary that near spellings are corrected against
 * ("Shenzen" → "shenzhen").
 */
export function vocabulary(segmented: string): string[] {
  const set = new Set<string>();
  for (const w of segmented.split(' ')) if (w.length >= 3 && LATIN_WORD.test(w)) set.add(w);
  return [...set];
}

/**
 * Words searched together with others that mean the same in the names of policies: 智慧 ("smart") also finds 智能
 * (智慧港口 and 智能港口 are the same scenario). Not the other way: 智能 is in nearly every text (人工智能), and an
 * alternative to it would make most queries read a second long list of documents for little gain.
 */
export const SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map([['智慧', ['智能']]]);
