// What every checker of a bundle file shares: the list of problems (reported at a file's line and column), schema
// validation, duplicate ids, and what the root files made known (codes, ids) for the checks of the others.
import type { Problem } from '../../errors.ts';
import type { Body, Citation, Jurisdiction, TagScheme, Taxonomy } from '../../domain/types.ts';
import type { JsonPath, SourceFile } from '../read.ts';
import { canonical, checkSchema, type FileKind } from '../schema.ts';

/** Where a problem of a file is: file, line and column, or (built in memory) the entity and field. */
function place(file: SourceFile, at: JsonPath, key?: string): { where: string; line?: number; column?: number } {
  return file.field ? { where: file.field(at, key) } : { where: file.path, ...file.locate(at, key) };
}

/** Collects the problems of a bundle, in the order they are found, and the warnings that do not refuse it. */
export class Checker {
  readonly problems: Problem[] = [];
  /** What an editor should fix but a valid bundle may still ship with (e.g. a source without an address). */
  readonly warnings: Problem[] = [];
  report(file: SourceFile, at: JsonPath, message: string, key?: string): void {
    this.problems.push({ ...place(file, at, key), message });
  }
  /** A problem at a line of a revision's Markdown body (in memory: the body field). */
  reportInBody(file: SourceFile, line: number, column: number, message: string): void {
    this.problems.push(
      file.field ? { where: file.field(['body']), message } : { where: file.path, line, column, message },
    );
  }
  warn(file: SourceFile, at: JsonPath, message: string): void {
    this.warnings.push({ ...place(file, at), message });
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

/** The codes of each taxonomy scheme that entries may use. */
export type Codes = Record<TagScheme | 'instrument_kinds' | 'event_types', Set<string>>;

/** Reports the citations of a list whose source is not in sources.yaml. */
export type Cite = (file: SourceFile, at: JsonPath, list: readonly Citation[] | undefined) => void;

/** What the root files (jurisdictions, taxonomy, chapters, sources, bodies) made known. */
export interface Known {
  readonly jurisdictions: readonly Jurisdiction[];
  readonly jurisdictionCodes: Set<string>;
  readonly parentOf: Map<string, string | undefined>;
  readonly taxonomy: Taxonomy | undefined;
  readonly codes: Codes;
  readonly chapterCodes: Set<string>;
  readonly sourceIds: Set<string>;
  readonly bodies: readonly Body[];
  readonly bodyIds: Set<string>;
  readonly cite: Cite;
}
