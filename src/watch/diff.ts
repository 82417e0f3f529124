// Two revisions of an article's Markdown compared for readers: sections paired by heading, changed sections diffed
// word by word (English by the `diff` package's word tokenizer, Chinese by Intl.Segmenter). Pure: no I/O.
import { diffArrays, diffWordsWithSpace } from 'diff';

export type DiffLang = 'en' | 'zh';
export type SectionStatus = 'added' | 'removed' | 'changed' | 'unchanged';
export type PartKind = 'same' | 'added' | 'removed';

/** A run of text that both revisions share, or that only the newer (added) or the older (removed) has. */
export interface DiffPart {
  readonly kind: PartKind;
  readonly text: string;
}

export interface SectionDiff {
  /** The heading as plain text (the newer one when renamed); null for the lead: the text before the first heading. */
  readonly heading: string | null;
  /** The older revision's heading, only when a changed section was renamed. */
  readonly previousHeading?: string;
  readonly status: SectionStatus;
  /**
   * The section's Markdown (heading line included, trailing blank lines left out) as parts: the 'same' and 'added'
   * parts joined give the newer text, the 'same' and 'removed' parts the older one. An unchanged section is one
   * 'same' part, an added one one 'added' part, a removed one one 'removed' part.
   */
  readonly parts?: readonly DiffPart[];
}

export interface DiffStats {
  readonly sectionsAdded: number;
  readonly sectionsRemoved: number;
  readonly sectionsChanged: number;
  /**
   * Words added: in changed sections counted on the exact word diff (before slight common text is folded into the
   * changes for reading), and every word of an added section.
   */
  readonly wordsAdded: number;
  /** Words removed, counted the same way; every word of a removed section included. */
  readonly wordsRemoved: number;
}

export interface RevisionDiff {
  /** In the order of the newer revision; a removed section sits after the section it followed in the older one. */
  readonly sections: readonly SectionDiff[];
  readonly stats: DiffStats;
}

interface Section {
  readonly heading: string | null;
  /** The heading line and the lines up to the next heading, without trailing whitespace. */
  readonly text: string;
}

/** `# ` and `## ` headings start sections; deeper headings stay inside them (as on the article page). */
const HEADING = /^ {0,3}(#{1,2})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Plain text of a heading: Markdown emphasis, code and link syntax dropped, spaces collapsed. */
function headingText(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The sections of a Markdown text; headings inside fenced code blocks do not count. */
export function splitSections(markdown: string): Section[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split(/(?<=\n)/);
  const groups: { heading: string | null; lines: string[] }[] = [{ heading: null, lines: [] }];
  let fence: string | null = null;
  for (const line of lines) {
    const bare = line.replace(/\n$/, '');
    const f = FENCE.exec(bare)?.[1];
    if (fence !== null) {
      if (f !== undefined && f[0] === fence[0] && f.length >= fence.length && bare.trim() === f) fence = null;
    } else if (f !== undefined) {
      fence = f;
    } else {
      const h = HEADING.exec(bare);
      if (h) {
        groups.push({ heading: headingText(h[2] ?? ''), lines: [] });
      }
    }
    groups[groups.length - 1]?.lines.push(line);
  }
  return groups
    .map((g) => ({ heading: g.heading, text: g.lines.join('').trimEnd() }))
    .filter((s) => s.heading !== null || s.text.trim() !== '');
}

const zhSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const enSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/** Chinese tokens: every segment, whitespace and punctuation included, so the tokens join to the text again. */
function zhTokens(text: string): string[] {
  return Array.from(zhSegmenter.segment(text), (s) => s.segment);
}

/** How many words a text has (word-like segments: a Chinese word, a Latin word, a number). */
export function countWords(text: string, lang: DiffLang): number {
  let n = 0;
  for (const s of (lang === 'zh' ? zhSegmenter : enSegmenter).segment(text)) if (s.isWordLike) n++;
  return n;
}

/** Raw changes of two texts at word granularity. */
function rawParts(before: string, after: string, lang: DiffLang): DiffPart[] {
  const kind = (c: { added: boolean; removed: boolean }): PartKind =>
    c.added ? 'added' : c.removed ? 'removed' : 'same';
  if (lang === 'zh') {
    return diffArrays(zhTokens(before), zhTokens(after)).map((c) => ({ kind: kind(c), text: c.value.join('') }));
  }
  return diffWordsWithSpace(before, after).map((c) => ({ kind: kind(c), text: c.value }));
}

/** The whitespace two texts share at their start (lead) or end (trail). */
function commonWhitespace(a: string, b: string, edge: 'lead' | 'trail'): string {
  const ws = (s: string) => (edge === 'lead' ? /^\s*/ : /\s*$/).exec(s)?.[0] ?? '';
  const x = ws(a);
  const y = ws(b);
  let n = 0;
  const max = Math.min(x.length, y.length);
  if (edge === 'lead') while (n < max && x[n] === y[n]) n++;
  else while (n < max && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return edge === 'lead' ? x.slice(0, n) : x.slice(x.length - n);
}

/** Text both sides keep between two changes that is too slight to read on its own: spaces, or a short word. */
const SLIGHT = /^[^\n]{0,3}$/;
const slight = (text: string) => SLIGHT.test(text.trim()) && !text.includes('\n');

/**
 * Tidies raw changes for reading: slight common text (spaces, a word of up to three characters, never a line
 * break) between two changes is folded into both, so "the big dog" → "a small cat" reads as one removal and one
 * addition rather than several of each; within every run of changes the removal comes first. Joining the parts
 * still gives both texts.
 */
function tidy(parts: readonly DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let removed = '';
  let added = '';
  const same = (text: string) => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (last?.kind === 'same') out[out.length - 1] = { kind: 'same', text: last.text + text };
    else out.push({ kind: 'same', text });
  };
  const flush = () => {
    // Spaces both sides of a replacement share at its edges are left outside it.
    let lead = '';
    let trail = '';
    if (removed && added) {
      lead = commonWhitespace(removed, added, 'lead');
      removed = removed.slice(lead.length);
      added = added.slice(lead.length);
      trail = removed && added ? commonWhitespace(removed, added, 'trail') : '';
      removed = removed.slice(0, removed.length - trail.length);
      added = added.slice(0, added.length - trail.length);
    }
    same(lead);
    if (removed) out.push({ kind: 'removed', text: removed });
    if (added) out.push({ kind: 'added', text: added });
    same(trail);
    removed = '';
    added = '';
  };
  parts.forEach((p, i) => {
    if (p.text === '') return;
    if (p.kind === 'removed') removed += p.text;
    else if (p.kind === 'added') added += p.text;
    else {
      const inRun = removed !== '' || added !== '';
      const next = parts[i + 1];
      if (inRun && slight(p.text) && next && next.kind !== 'same') {
        removed += p.text;
        added += p.text;
        return;
      }
      flush();
      same(p.text);
    }
  });
  flush();
  return out;
}

/** The word-level diff of two texts as parts (see SectionDiff.parts). */
export function diffText(before: string, after: string, lang: DiffLang): DiffPart[] {
  if (before === after) return before === '' ? [] : [{ kind: 'same', text: before }];
  return tidy(rawParts(before, after, lang));
}

/** Share of the words two texts have in common (0..1): words a word diff keeps, over the longer text's words. */
function similarity(a: string, b: string, lang: DiffLang): number {
  const total = Math.max(countWords(a, lang), countWords(b, lang));
  if (total === 0) return a.trim() === b.trim() ? 1 : 0;
  const same = rawParts(a, b, lang)
    .filter((p) => p.kind === 'same')
    .reduce((n, p) => n + countWords(p.text, lang), 0);
  return same / total;
}

/** The text of a section after its heading line. */
function body(section: Section): string {
  return section.heading === null ? section.text : section.text.replace(/^[^\n]*\n?/, '');
}

/** Sections of the older revision whose heading is not in the newer are still paired when their text is alike. */
const RENAME_SIMILARITY = 0.5;

/**
 * Compares two revisions of an article's Markdown. Sections are paired by heading text (the n-th section with a
 * heading with the n-th with the same heading); a section whose heading was renamed is paired when it sits between
 * the same paired neighbours and at least half its words are unchanged.
 */
export function diffRevisions(before: string, after: string, lang: DiffLang): RevisionDiff {
  const older = splitSections(before);
  const newer = splitSections(after);
  const key = (sections: readonly Section[]) => {
    const seen = new Map<string, number>();
    return sections.map((s) => {
      const k = s.heading === null ? '\u0000lead' : s.heading;
      const n = seen.get(k) ?? 0;
      seen.set(k, n + 1);
      return `${k}\u0000${n}`;
    });
  };
  const olderKeys = key(older);
  const olderByKey = new Map(olderKeys.map((k, i) => [k, i]));
  /** newer index → older index */
  const pairOf = new Map<number, number>();
  const paired = new Set<number>();
  key(newer).forEach((k, i) => {
    const j = olderByKey.get(k);
    if (j !== undefined) {
      pairOf.set(i, j);
      paired.add(j);
    }
  });

  // Renames: an unpaired newer section and an unpaired older one between the same paired neighbours.
  newer.forEach((section, i) => {
    if (pairOf.has(i) || section.heading === null) return;
    let prev = -1;
    for (let p = i - 1; p >= 0; p--) {
      const j = pairOf.get(p);
      if (j !== undefined) {
        prev = j;
        break;
      }
    }
    let next = older.length;
    for (let p = i + 1; p < newer.length; p++) {
      const j = pairOf.get(p);
      if (j !== undefined) {
        next = j;
        break;
      }
    }
    let best = -1;
    let bestScore = RENAME_SIMILARITY;
    for (let j = prev + 1; j < next; j++) {
      const candidate = older[j];
      if (paired.has(j) || !candidate || candidate.heading === null) continue;
      const score = similarity(body(candidate), body(section), lang);
      if (score >= bestScore) {
        best = j;
        bestScore = score;
      }
    }
    if (best >= 0) {
      pairOf.set(i, best);
      paired.add(best);
    }
  });

  // Removed sections follow the nearest older section before them that is still there (or open the list).
  const removedAfter = new Map<number, number[]>();
  const newerOf = new Map([...pairOf].map(([i, j]) => [j, i]));
  older.forEach((_, j) => {
    if (paired.has(j)) return;
    let anchor = -1;
    for (let p = j - 1; p >= 0; p--) {
      const i = newerOf.get(p);
      if (i !== undefined) {
        anchor = i;
        break;
      }
    }
    removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), j]);
  });

  const sections: SectionDiff[] = [];
  let wordsAdded = 0;
  let wordsRemoved = 0;
  const count = (parts: readonly DiffPart[]) => {
    for (const p of parts) {
      if (p.kind === 'added') wordsAdded += countWords(p.text, lang);
      if (p.kind === 'removed') wordsRemoved += countWords(p.text, lang);
    }
  };
  const pushRemoved = (anchor: number) => {
    for (const j of removedAfter.get(anchor) ?? []) {
      const s = older[j];
      if (!s) continue;
      const parts: DiffPart[] = s.text === '' ? [] : [{ kind: 'removed', text: s.text }];
      count(parts);
      sections.push({ heading: s.heading, status: 'removed', parts });
    }
  };
  pushRemoved(-1);
  newer.forEach((s, i) => {
    const j = pairOf.get(i);
    const old = j === undefined ? undefined : older[j];
    if (!old) {
      const parts: DiffPart[] = s.text === '' ? [] : [{ kind: 'added', text: s.text }];
      count(parts);
      sections.push({ heading: s.heading, status: 'added', parts });
    } else if (old.text === s.text) {
      sections.push({ heading: s.heading, status: 'unchanged', parts: diffText(old.text, s.text, lang) });
    } else {
      const changes = rawParts(old.text, s.text, lang);
      count(changes);
      const parts = tidy(changes);
      sections.push({
        heading: s.heading,
        ...(old.heading !== s.heading && old.heading !== null ? { previousHeading: old.heading } : {}),
        status: 'changed',
        parts,
      });
    }
    pushRemoved(i);
  });

  const tally = (status: SectionStatus) => sections.filter((s) => s.status === status).length;
  return {
    sections,
    stats: {
      sectionsAdded: tally('added'),
      sectionsRemoved: tally('removed'),
      sectionsChanged: tally('changed'),
      wordsAdded,
      wordsRemoved,
    },
  };
}

/** Recently computed diffs: revisions never change in place, so the same pair gives the same diff. */
const memo = new Map<string, RevisionDiff>();
const MEMO_SIZE = 32;

/**
 * diffRevisions with a small memory of recent pairs (a long article takes a few hundred milliseconds to compare, and
 * the compare page and API are asked for the same pairs again and again).
 */
export function diffRevisionsCached(before: string, after: string, lang: DiffLang): RevisionDiff {
  const key = `${lang}\u0000${before.length}\u0000${before}\u0000${after}`;
  const hit = memo.get(key);
  if (hit) {
    memo.delete(key);
    memo.set(key, hit);
    return hit;
  }
  const diff = diffRevisions(before, after, lang);
  memo.set(key, diff);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  return diff;
}
