// Checks a programme's eligibility rule in a bundle: the rules engine's own checks, plus references to the bundle.
import type { RuleData } from '../domain/types.ts';

/** What the bundle holds, for checking the codes and references a rule uses. */
export interface RuleReferences {
  readonly jurisdictions: ReadonlySet<string>;
  readonly sources: ReadonlySet<string>;
  readonly instruments: ReadonlySet<string>;
  readonly codes: Readonly<Record<string, ReadonlySet<string>>>;
}

export interface RuleProblem {
  /** JSON path inside the rule, e.g. ['all', 1, 'value']. */
  readonly path: (string | number)[];
  readonly message: string;
}

/** Every problem of the rule; empty when it is sound. */
export function checkProgrammeRule(rule: RuleData, refs: RuleReferences): RuleProblem[] {
  void rule;
  void refs;
  return [];
}
