// Checks a programme's eligibility rule in a bundle: the rules engine's own checks (facts, ops, value types,
// conditions that can never hold) against the bundle's jurisdictions, plus the sources and instruments it cites.
import type { RuleData } from '../domain/types.ts';
import { checkRule, createContext } from '../rules/engine.ts';

/** What the bundle holds, for checking the codes and references a rule uses. */
export interface RuleReferences {
  readonly jurisdictions: ReadonlyMap<string, string | undefined>;
  readonly sources: ReadonlySet<string>;
  readonly instruments: ReadonlySet<string>;
}

export interface RuleProblem {
  /** JSON path inside the rule, e.g. ['all', 1, 'value']. */
  readonly path: (string | number)[];
  readonly message: string;
}

/** `all[1].any[0].value` → ['all', 1, 'any', 0, 'value']. */
export function rulePath(path: string): (string | number)[] {
  if (path === '') return [];
  return path
    .split('.')
    .flatMap((part) =>
      [...part.matchAll(/([^[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''))),
    );
}

/** Every problem of the rule; empty when it is sound. */
export function checkProgrammeRule(rule: RuleData, refs: RuleReferences): RuleProblem[] {
  const context = createContext({ jurisdictions: new Map([...refs.jurisdictions].map(([c, p]) => [c, p ?? null])) });
  const problems: RuleProblem[] = checkRule(rule, context.facts).map((i) => ({
    path: rulePath(i.path),
    message: i.message,
  }));
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    const citation = n.citation as { source?: unknown; instrument?: unknown } | undefined;
    if (typeof citation?.source === 'string' && !refs.sources.has(citation.source)) {
      problems.push({ path: [...path, 'citation', 'source'], message: `unknown source "${citation.source}"` });
    }
    if (typeof citation?.instrument === 'string' && !refs.instruments.has(citation.instrument)) {
      problems.push({
        path: [...path, 'citation', 'instrument'],
        message: `unknown instrument "${citation.instrument}"`,
      });
    }
    for (const key of ['all', 'any'] as const) {
      if (Array.isArray(n[key])) (n[key] as unknown[]).forEach((c, i) => walk(c, [...path, key, i]));
    }
    if (n.not) walk(n.not, [...path, 'not']);
  };
  walk(rule, []);
  return problems;
}
