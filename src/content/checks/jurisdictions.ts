// jurisdictions.yaml: unique codes, parents that exist, no cycles.
import type { Jurisdiction } from '../../domain/types.ts';
import type { SourceFile } from '../read.ts';
import type { Checker } from './checker.ts';

/** Checks the jurisdictions; returns their codes and each one's parent. */
export function checkJurisdictions(
  c: Checker,
  jf: SourceFile | undefined,
  jurisdictions: readonly Jurisdiction[],
): { codes: Set<string>; parentOf: Map<string, string | undefined> } {
  const codes = jf ? c.unique(jf, jurisdictions, (j) => j.code, 'code', 'jurisdiction') : new Set<string>();
  const parentOf = new Map(jurisdictions.map((j) => [j.code, j.parent]));
  jurisdictions.forEach((j, i) => {
    if (!jf || j.parent === undefined) return;
    if (!codes.has(j.parent)) c.report(jf, [i, 'parent'], `unknown jurisdiction "${j.parent}"`);
    const path = [j.code];
    for (let p: string | undefined = j.parent; p !== undefined; p = parentOf.get(p)) {
      if (path.includes(p)) {
        c.report(jf, [i, 'parent'], `jurisdiction cycle: ${[...path, p].join(' → ')}`);
        break;
      }
      path.push(p);
    }
  });
  return { codes, parentOf };
}
