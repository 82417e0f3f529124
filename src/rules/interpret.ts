// The reference interpreter: what a rule means, written as plainly as possible, to test the compiled engine against.

import type { Condition, Rule } from './ast.ts';
import type { Outcome } from './evaluate.ts';
import { FACTS, JURISDICTION_TREE, isFactValue } from './facts.ts';
import type { FactCatalogue, FactSpec, JurisdictionTree, Profile } from './facts.ts';

/** true, false, or undefined for unknown. */
type Tri = boolean | undefined;

/** The parent of a jurisdiction code in a tree given as a Map or a plain object. */
export function parentOf(tree: JurisdictionTree, code: string): string | undefined {
  const parent =
    tree instanceof Map
      ? (tree as ReadonlyMap<string, string | null | undefined>).get(code)
      : Object.prototype.hasOwnProperty.call(tree, code)
        ? (tree as Record<string, string | null>)[code]
        : undefined;
  return parent ?? undefined;
}

/** A code followed by its ancestors, nearest first (a cycle in the tree stops the walk). */
export function withAncestors(tree: JurisdictionTree, code: string): string[] {
  const out = [code];
  for (let p = parentOf(tree, code); p !== undefined && !out.includes(p); p = parentOf(tree, p)) out.push(p);
  return out;
}

/**
 * The value of a fact in a profile as rules see it: undefined when missing or not a valid value of the fact;
 * hierarchical lists (jurisdictions) include every ancestor of every code.
 */
export function factValue(
  profile: Profile,
  path: string,
  facts: FactCatalogue = FACTS,
  tree: JurisdictionTree = JURISDICTION_TREE,
): unknown {
  const spec = facts[path];
  if (spec === undefined) return undefined;
  let value: unknown = profile;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (!isFactValue(spec, value)) return undefined;
  if (spec.type !== 'list') return value;
  const codes = (value as unknown[]).filter((v): v is string => typeof v === 'string');
  return spec.hierarchical ? codes.flatMap((c) => withAncestors(tree, c)) : codes;
}

/** One condition on a fact's value (undefined when the fact is missing): true, false or unknown. */
export function testCondition(spec: FactSpec, op: Condition['op'], actual: unknown, value: unknown): Tri {
  if (op === 'exists') return actual !== undefined ? value !== false : value === false;
  if (actual === undefined) return undefined;
  const rank = (v: unknown): number =>
    spec.type === 'enum' ? (spec.values ?? []).indexOf(v as string) : (v as number);
  switch (op) {
    case 'eq':
      return actual === value;
    case 'ne':
      return actual !== value;
    case 'in':
      return (value as unknown[]).includes(actual);
    case 'not_in':
      return !(value as unknown[]).includes(actual);
    case 'intersects':
      return (actual as unknown[]).some((a) => (value as unknown[]).includes(a));
    case 'contains':
      return (actual as unknown[]).includes(value);
    case 'gt':
      return rank(actual) > rank(value);
    case 'gte':
      return rank(actual) >= rank(value);
    case 'lt':
      return rank(actual) < rank(value);
    case 'lte':
      return rank(actual) <= rank(value);
  }
}

function interpretTri(rule: Rule, profile: Profile, tree: JurisdictionTree, facts: FactCatalogue): Tri {
  if ('all' in rule) {
    let unknown = false;
    for (const child of rule.all) {
      const r = interpretTri(child, profile, tree, facts);
      if (r === false) return false;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  if ('any' in rule) {
    let unknown = false;
    for (const child of rule.any) {
      const r = interpretTri(child, profile, tree, facts);
      if (r === true) return true;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  if ('not' in rule) {
    const r = interpretTri(rule.not, profile, tree, facts);
    return r === undefined ? undefined : !r;
  }
  const spec = facts[rule.fact];
  if (spec === undefined) throw new Error(`Unknown fact ${rule.fact}`);
  return testCondition(spec, rule.op, factValue(profile, rule.fact, facts, tree), rule.value);
}

/** The outcome of a (checked) rule for a profile, by walking the rule tree: slow, simple, the reference. */
export function interpret(
  rule: Rule,
  profile: Profile,
  tree: JurisdictionTree = JURISDICTION_TREE,
  facts: FactCatalogue = FACTS,
): Outcome {
  const r = interpretTri(rule, profile, tree, facts);
  return r === undefined ? 'unknown' : r ? 'applies' : 'does_not_apply';
}
