// taxonomy.yaml: unique codes per scheme (fields across all scenario categories); the contract's event types and
// statuses all labelled, and no others.
import { EVENT_TYPES, STATUSES, type Taxonomy } from '../../domain/types.ts';
import type { SourceFile } from '../read.ts';
import type { Checker, Codes } from './checker.ts';

/** Checks the taxonomy; returns the codes of each scheme (empty when there is no valid taxonomy). */
export function checkTaxonomy(c: Checker, tf: SourceFile | undefined, taxonomy: Taxonomy | undefined): Codes {
  const codes: Codes = {
    topics: new Set(),
    scenario_categories: new Set(),
    fields: new Set(),
    demonstration_scenarios: new Set(),
    supply_elements: new Set(),
    governance_aspects: new Set(),
    instrument_kinds: new Set(),
    event_types: new Set(),
  };
  if (!tf || !taxonomy) return codes;
  for (const scheme of [
    'topics',
    'scenario_categories',
    'demonstration_scenarios',
    'supply_elements',
    'governance_aspects',
    'instrument_kinds',
    'event_types',
    'statuses',
  ] as const) {
    const list = taxonomy[scheme] as readonly { code: string }[];
    const set = new Set<string>();
    list.forEach((t, i) => {
      if (set.has(t.code)) c.report(tf, [scheme, i, 'code'], `duplicate ${scheme} code "${t.code}"`);
      set.add(t.code);
    });
    if (scheme !== 'statuses') codes[scheme] = set;
  }
  taxonomy.scenario_categories.forEach((cat, i) =>
    cat.fields.forEach((f, k) => {
      if (codes.fields.has(f.code)) {
        c.report(tf, ['scenario_categories', i, 'fields', k, 'code'], `duplicate field code "${f.code}"`);
      }
      codes.fields.add(f.code);
    }),
  );
  const required: [string, readonly string[], Set<string>][] = [
    ['event_types', EVENT_TYPES, codes.event_types],
    ['statuses', STATUSES, new Set(taxonomy.statuses.map((s) => s.code))],
  ];
  for (const [scheme, must, have] of required) {
    for (const code of must) {
      if (!have.has(code)) c.report(tf, [scheme], `${scheme} must label the contract code "${code}"`);
    }
    for (const code of have) {
      if (!must.includes(code)) c.report(tf, [scheme], `${scheme}: "${code}" is not a code Horizon knows`);
    }
  }
  return codes;
}
