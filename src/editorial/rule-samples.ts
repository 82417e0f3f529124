// What a programme's eligibility rule, as an editor is writing it, would say of the sample profiles: the rules
// engine's own check of the rule first (facts, operators, values, against the store's jurisdictions), then the same
// check the guide runs (relevance/check.ts) for each sample, and the rule as a tree of readable conditions.
import type { Bilingual } from '../domain/types.ts';
import { ProgrammeRules, checkProgrammes, type ProgrammeResult } from '../relevance/check.ts';
import {
  checkRule,
  compile,
  createContext,
  explain,
  type ExplainedNode,
  type FactCatalogue,
  type JurisdictionTree,
  type RuleIssue,
} from '../rules/engine.ts';
import { SAMPLE_PROFILES, type SampleProfile } from './sample-profiles.ts';

/** One sample and what the rule says of it. */
export interface SampleOutcome {
  readonly sample: SampleProfile;
  readonly result: ProgrammeResult;
}

/** The rule checked: its problems, or its conditions as a tree and the outcome for every sample. */
export type RuleSamples =
  | { readonly ok: false; readonly issues: readonly RuleIssue[] }
  | {
      readonly ok: true;
      readonly tree: ExplainedNode;
      readonly facts: FactCatalogue;
      readonly outcomes: readonly SampleOutcome[];
    };

const PLACEHOLDER: Bilingual = { en: '', zh: '' };

/** Checks `rule` and runs it against the samples (the rule alone: the instrument's status is not asked). */
export function ruleSamples(
  rule: unknown,
  tree: JurisdictionTree,
  samples: readonly SampleProfile[] = SAMPLE_PROFILES,
  asOf = '',
): RuleSamples {
  const context = createContext({ jurisdictions: tree });
  const issues = checkRule(rule, context.facts);
  if (issues.length > 0) return { ok: false, issues };
  const rules = new ProgrammeRules(context);
  const input = {
    id: 'draft',
    kind: 'pilot' as const,
    title: PLACEHOLDER,
    description: PLACEHOLDER,
    effect: PLACEHOLDER,
    rule,
    sources: [],
    instrument: { id: '', title: PLACEHOLDER, status: null },
    inEffect: true,
  };
  const outcomes = samples.map((sample) => {
    const [result] = checkProgrammes([input], sample.profile, rules, asOf).results;
    if (!result) throw new Error('checkProgrammes returned no result for one programme');
    return { sample, result };
  });
  return { ok: true, tree: explain(compile(rule, context), {}).root, facts: context.facts, outcomes };
}
