// Validates a bundle folder: schema first, then what a schema cannot see (real dates, codes, references, cycles).
// One checker per kind of file (checks/): the root files first, then instruments, programmes, articles, so problems
// come in the same order every time.
import type { Problem } from '../errors.ts';
import type { Body, Bundle, BundleMeta, Chapter, Jurisdiction, Source, Taxonomy } from '../domain/types.ts';
import { readBundle, type RawBundle } from './read.ts';
import { checkArticles } from './checks/articles.ts';
import { Checker, type Cite, type Known } from './checks/checker.ts';
import { checkInstruments } from './checks/instruments.ts';
import { checkJurisdictions } from './checks/jurisdictions.ts';
import { checkProgrammes } from './checks/programmes.ts';
import { checkTaxonomy } from './checks/taxonomy.ts';

/** The result of validating a bundle: the bundle when valid, every problem found, and the warnings. */
export interface ValidationResult {
  readonly bundle: Bundle | null;
  readonly problems: readonly Problem[];
  /** Found in a bundle that may still be valid: sources without an address, periods without an end. */
  readonly warnings: readonly Problem[];
  /** How many files were read. */
  readonly files: number;
}

/** Reads and validates the bundle in dir. */
export function validateBundle(dir: string): ValidationResult {
  const c = new Checker();
  return validated(readBundle(dir, c.problems), c);
}

/**
 * Validates a bundle already read (or built in memory, content/memory.ts) with the same checkers as validateBundle:
 * a change set's bundle is checked exactly as an imported one.
 */
export function validateRawBundle(raw: RawBundle): ValidationResult {
  return validated(raw, new Checker());
}

function validated(raw: RawBundle, c: Checker): ValidationResult {
  const files =
    raw.root.size + raw.instruments.length + raw.programmes.length + raw.articles.length + raw.revisions.length;
  const bundle = check(raw, c);
  return { bundle: c.problems.length === 0 ? bundle : null, problems: c.problems, warnings: c.warnings, files };
}

function check(raw: RawBundle, c: Checker): Bundle | null {
  const root = (name: string) => raw.root.get(name);
  const meta = c.schema<BundleMeta>(root('bundle.yaml'), 'bundleFile');
  const jurisdictions = c.schema<Jurisdiction[]>(root('jurisdictions.yaml'), 'jurisdictionsFile') ?? [];
  const taxonomy = c.schema<Taxonomy>(root('taxonomy.yaml'), 'taxonomyFile');
  const chapters = c.schema<Chapter[]>(root('chapters.yaml'), 'chaptersFile') ?? [];
  const sources = c.schema<Source[]>(root('sources.yaml'), 'sourcesFile') ?? [];
  const bodies = c.schema<Body[]>(root('bodies.yaml'), 'bodiesFile') ?? [];

  const jf = root('jurisdictions.yaml');
  const { codes: jCodes, parentOf } = checkJurisdictions(c, jf, jurisdictions);
  const codes = checkTaxonomy(c, root('taxonomy.yaml'), taxonomy);

  const cf = root('chapters.yaml');
  const chapterCodes = cf ? c.unique(cf, chapters, (x) => x.code, 'code', 'chapter') : new Set<string>();
  const sf = root('sources.yaml');
  const sourceIds = sf ? c.unique(sf, sources, (x) => x.id, 'id', 'source') : new Set<string>();
  const bf = root('bodies.yaml');
  const bodyIds = bf ? c.unique(bf, bodies, (x) => x.id, 'id', 'body') : new Set<string>();
  sources.forEach((s, i) => {
    if (sf && s.url === undefined) {
      c.warn(sf, [i], `source "${s.id}" has no address (url): a reader cannot check it; add one where it is online`);
    }
  });
  bodies.forEach((b, i) => {
    if (bf && jurisdictions.length && !jCodes.has(b.jurisdiction)) {
      c.report(bf, [i, 'jurisdiction'], `unknown jurisdiction "${b.jurisdiction}"`);
    }
  });

  const cite: Cite = (file, at, list) =>
    list?.forEach((s, i) => {
      if (sources.length && !sourceIds.has(s.source)) {
        c.report(file, [...at, i, 'source'], `unknown source "${s.source}" (not in sources.yaml)`);
      }
    });

  const known: Known = {
    jurisdictions,
    jurisdictionCodes: jCodes,
    parentOf,
    taxonomy,
    codes,
    chapterCodes,
    sourceIds,
    bodies,
    bodyIds,
    cite,
  };
  const { instruments, ids } = checkInstruments(c, raw.instruments, known);
  const programmes = checkProgrammes(c, raw.programmes, ids, known);
  const { articles, revisions } = checkArticles(c, raw, ids, known);

  if (!meta || !taxonomy) return null;
  return { meta, jurisdictions, taxonomy, chapters, sources, bodies, instruments, programmes, articles, revisions };
}
