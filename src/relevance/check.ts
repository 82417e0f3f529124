// Checks one profile against programmes: which apply, which may (and what to ask), which do not and why. Pure and
// browser-safe: the server, the CLI and the check page all run this same function.
import { compile, explain, type CompiledRule, type ExplainedNode, type RuleContext } from '../rules/engine.ts';
import type { Profile } from '../rules/engine.ts';
import type { Bilingual, Citation, PartialText, ProgrammeKind, Status } from '../domain/types.ts';

/** What the check needs to know of a programme on the check date. */
export interface ProgrammeInput {
  readonly id: string;
  readonly kind: ProgrammeKind;
  readonly title: Bilingual;
  readonly description: Bilingual;
  readonly effect: Bilingual;
  readonly provision?: PartialText;
  readonly rule: unknown;
  readonly sources: readonly Citation[];
  readonly instrument: { readonly id: string; readonly title: Bilingual; readonly status: Status | null };
  /** Whether the instrument's status on the check date lets the programme apply. */
  readonly inEffect: boolean;
}

export type Outcome = 'applies' | 'does_not_apply' | 'unknown';

export interface ConditionResult {
  readonly path: string;
  readonly text: Bilingual;
  readonly fact: string;
  readonly op: string;
  readonly value: unknown;
  /** The profile's value (absent when the fact is missing). */
  readonly actual?: unknown;
  readonly result: Outcome;
  readonly citation?: unknown;
}

export interface ProgrammeResult {
  readonly id: string;
  readonly kind: ProgrammeKind;
  readonly title: Bilingual;
  readonly description: Bilingual;
  readonly effect: Bilingual;
  readonly provision?: PartialText;
  readonly instrument: ProgrammeInput['instrument'];
  readonly in_effect: boolean;
  readonly outcome: Outcome;
  /** Every condition with its result and the profile value it looked at. */
  readonly conditions: readonly ConditionResult[];
  /** For unknown: the facts that would decide it, most decisive first. */
  readonly missing: readonly string[];
  /** For does_not_apply: the one condition that kept it from applying, if there is exactly one. */
  readonly near_miss?: { readonly fact: string; readonly text: Bilingual; readonly actual?: unknown };
  readonly sources: readonly Citation[];
}

export interface CheckResult {
  readonly as_of: string;
  readonly results: readonly ProgrammeResult[];
  /** The missing facts over all unknown programmes, most useful first: the questions to ask next. */
  readonly questions: readonly string[];
}

const RANK: Record<Outcome, number> = { applies: 0, unknown: 1, does_not_apply: 2 };

function leaves(node: ExplainedNode, out: ConditionResult[] = []): ConditionResult[] {
  if (node.kind === 'leaf') {
    out.push({
      path: node.path,
      text: node.text,
      fact: node.fact,
      op: node.op,
      value: node.value,
      ...(node.actual === undefined ? {} : { actual: node.actual }),
      result: node.result,
      ...(node.citation ? { citation: node.citation } : {}),
    });
  } else if (node.kind === 'not') leaves(node.child, out);
  else for (const c of node.children) leaves(c, out);
  return out;
}

/** Compiles programme rules once per context; the cache is keyed by the rule object. */
export class ProgrammeRules {
  private readonly compiled = new WeakMap<object, CompiledRule>();
  constructor(readonly context: RuleContext) {}
  get(rule: unknown): CompiledRule {
    const key = rule as object;
    let c = this.compiled.get(key);
    if (!c) {
      c = compile(rule, this.context);
      this.compiled.set(key, c);
    }
    return c;
  }
}

/** Checks a profile against every programme; results ordered applies, unknown, does not apply, then by kind. */
export function checkProgrammes(
  programmes: readonly ProgrammeInput[],
  profile: Profile,
  rules: ProgrammeRules,
  asOf: string,
): CheckResult {
  const prepared = rules.context.prepare(profile);
  const askCount = new Map<string, number>();
  const results = programmes.map((p): ProgrammeResult => {
    const x = explain(rules.get(p.rule), prepared);
    const outcome: Outcome = p.inEffect ? x.outcome : 'does_not_apply';
    const missing = outcome === 'unknown' ? [...x.missing] : [];
    missing.forEach((fact, i) => askCount.set(fact, (askCount.get(fact) ?? 0) + (i === 0 ? 3 : 1)));
    const near = p.inEffect && outcome === 'does_not_apply' ? x.nearMiss : undefined;
    return {
      id: p.id,
      kind: p.kind,
      title: p.title,
      description: p.description,
      effect: p.effect,
      ...(p.provision ? { provision: p.provision } : {}),
      instrument: p.instrument,
      in_effect: p.inEffect,
      outcome,
      conditions: leaves(x.root),
      missing,
      ...(near
        ? {
            near_miss: {
              fact: near.fact,
              text: near.text,
              ...(near.actual === undefined ? {} : { actual: near.actual }),
            },
          }
        : {}),
      sources: p.sources,
    };
  });
  results.sort((a, b) => RANK[a.outcome] - RANK[b.outcome] || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  const questions = [...askCount].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([fact]) => fact);
  return { as_of: asOf, results, questions };
}
