// The anchors the rules engine is measured against: the same rules translated for json-rules-engine, json-logic-js
// and CEL (@marcbachmann/cel-js), and hand-written closures for a few of them.

import { parse as parseCel } from '@marcbachmann/cel-js';
import jsonLogic from 'json-logic-js';
import type { RulesLogic } from 'json-logic-js';
import { Engine } from 'json-rules-engine';
import type { NestedCondition, TopLevelCondition } from 'json-rules-engine';
import type { Condition, Rule } from '../src/rules/ast.ts';
import { FACTS } from '../src/rules/facts.ts';
import type { Profile } from '../src/rules/facts.ts';

/** Ordered enum comparisons have no counterpart in the anchors: they become membership of the values in range. */
function expandRank(leaf: Condition): Condition {
  const spec = FACTS[leaf.fact];
  if (spec?.type !== 'enum' || !['gt', 'gte', 'lt', 'lte'].includes(leaf.op)) return leaf;
  const values = spec.values ?? [];
  const at = values.indexOf(leaf.value as string);
  const keep = values.filter((_, i) =>
    leaf.op === 'gt' ? i > at : leaf.op === 'gte' ? i >= at : leaf.op === 'lt' ? i < at : i <= at,
  );
  return { fact: leaf.fact, op: 'in', value: keep };
}

// json-rules-engine: facts are passed flat ({'product.riskLevel': 'low'}) so no JSONPath is needed.

const JRE_OPS: Record<Condition['op'], string> = {
  eq: 'equal',
  ne: 'notEqual',
  in: 'in',
  not_in: 'notIn',
  contains: 'contains',
  intersects: 'intersects',
  gt: 'greaterThan',
  gte: 'greaterThanInclusive',
  lt: 'lessThan',
  lte: 'lessThanInclusive',
  exists: 'exists',
};

function toJreCondition(rule: Rule): NestedCondition {
  if ('all' in rule) return { all: rule.all.map(toJreCondition) };
  if ('any' in rule) return { any: rule.any.map(toJreCondition) };
  if ('not' in rule) return { not: toJreCondition(rule.not) };
  const leaf = expandRank(rule);
  return {
    fact: leaf.fact,
    operator: JRE_OPS[leaf.op],
    value: (leaf.op === 'exists' ? (leaf.value ?? true) : leaf.value) as never,
  };
}

/** A json-rules-engine Engine holding one rule; `verdict(facts)` resolves to whether it fired. */
export function toJsonRulesEngine(rule: Rule): (facts: Record<string, unknown>) => Promise<boolean> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator(
    'intersects',
    (a: unknown, b: unknown) => Array.isArray(a) && Array.isArray(b) && a.some((x) => b.includes(x)),
  );
  engine.addOperator('exists', (a: unknown, want: unknown) => (a !== undefined && a !== null) === (want !== false));
  const top = toJreCondition(rule);
  const conditions = ('all' in top || 'any' in top || 'not' in top ? top : { all: [top] }) as TopLevelCondition;
  engine.addRule({ conditions, event: { type: 'match' } });
  return async (facts) => (await engine.run(facts)).events.length > 0;
}

/** The flat facts object json-rules-engine reads. */
export function flatFacts(profile: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of Object.keys(FACTS)) {
    let v: unknown = profile;
    for (const k of path.split('.'))
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    if (v !== undefined) out[path] = v;
  }
  return out;
}

// json-logic-js

export function toJsonLogic(rule: Rule): RulesLogic {
  if ('all' in rule) return { and: rule.all.map(toJsonLogic) };
  if ('any' in rule) return { or: rule.any.map(toJsonLogic) };
  if ('not' in rule) return { '!': [toJsonLogic(rule.not)] };
  const leaf = expandRank(rule);
  const v = { var: leaf.fact };
  const value = leaf.value as never;
  switch (leaf.op) {
    case 'eq':
      return { '===': [v, value] };
    case 'ne':
      return { '!==': [v, value] };
    case 'in':
      return { in: [v, value] };
    case 'not_in':
      return { '!': [{ in: [v, value] }] };
    case 'contains':
      return { in: [value, v] };
    case 'intersects':
      return { some: [v, { in: [{ var: '' }, value] }] };
    case 'gt':
      return { '>': [v, value] };
    case 'gte':
      return { '>=': [v, value] };
    case 'lt':
      return { '<': [v, value] };
    case 'lte':
      return { '<=': [v, value] };
    case 'exists':
      return leaf.value === false ? { '==': [v, null] } : { '!=': [v, null] };
  }
}

export const applyJsonLogic = (logic: RulesLogic, data: unknown): boolean => jsonLogic.apply(logic, data) === true;

// CEL: the profile is passed as variable `p`.

function toCelSource(rule: Rule): string {
  if ('all' in rule) return `(${rule.all.map(toCelSource).join(' && ')})`;
  if ('any' in rule) return `(${rule.any.map(toCelSource).join(' || ')})`;
  if ('not' in rule) return `!(${toCelSource(rule.not)})`;
  const leaf = expandRank(rule);
  const f = `p.${leaf.fact}`;
  const lit = (x: unknown): string => JSON.stringify(x);
  switch (leaf.op) {
    case 'eq':
      return `${f} == ${lit(leaf.value)}`;
    case 'ne':
      return `${f} != ${lit(leaf.value)}`;
    case 'in':
      return `${f} in ${lit(leaf.value)}`;
    case 'not_in':
      return `!(${f} in ${lit(leaf.value)})`;
    case 'contains':
      return `${lit(leaf.value)} in ${f}`;
    case 'intersects': {
      const list = leaf.value as string[];
      return list.length === 1 ? `${lit(list[0])} in ${f}` : `${f}.exists(x, x in ${lit(list)})`;
    }
    case 'gt':
      return `${f} > ${lit(leaf.value)}`;
    case 'gte':
      return `${f} >= ${lit(leaf.value)}`;
    case 'lt':
      return `${f} < ${lit(leaf.value)}`;
    case 'lte':
      return `${f} <= ${lit(leaf.value)}`;
    case 'exists':
      return leaf.value === false ? `!has(${f})` : `has(${f})`;
  }
}

/** A parsed CEL program for the rule; call it with `{ p: profile }`. */
export function toCel(rule: Rule): { source: string; run: (ctx: { p: unknown }) => boolean } {
  const source = toCelSource(rule);
  const program = parseCel(source);
  return { source, run: (ctx) => program(ctx) === true };
}

// Hand-written closures for a few rules, two-valued, over complete profiles whose jurisdictions include ancestors.

type Complete = Required<Pick<Profile, 'jurisdictions' | 'sectors' | 'scenarios' | 'activities'>> & {
  product: Required<NonNullable<Profile['product']>>;
  data: Required<NonNullable<Profile['data']>>;
  size: Required<NonNullable<Profile['size']>>;
};
const SOCIETY = new Set([
  'urban-management',
  'traffic-management',
  'ecological-protection',
  'medical-health',
  'education',
  'elderly-care',
]);
const DELTA_SCENARIOS = new Set(['smart-factory', 'smart-supply-chain', 'smart-port']);

export const HAND_WRITTEN: Readonly<Record<string, (p: Complete) => boolean>> = {
  'shenzhen-innovative-product-access': (p) =>
    p.jurisdictions.includes('cn-gd-shenzhen') &&
    p.product.riskLevel === 'low' &&
    p.product.hasNationalOrLocalStandard === false &&
    p.product.meetsInternationalStandard === true,
  'generative-ai-providers': (p) =>
    p.jurisdictions.includes('cn') && p.activities.includes('provides-public-generative-ai-service'),
  'major-scenarios-intelligent-society': (p) => p.jurisdictions.includes('cn') && p.sectors.some((s) => SOCIETY.has(s)),
  'cross-border-assessment': (p) =>
    p.jurisdictions.includes('cn') &&
    p.data.handlesPersonalInformation &&
    (p.data.crossBorderTransfer || p.data.handlesImportantData),
  'sme-support': (p) => p.jurisdictions.includes('cn') && p.size.employees < 300 && p.size.annualRevenueCny < 2e8,
  'yangtze-delta-pilot': (p) =>
    (p.jurisdictions.includes('cn-sh') || p.jurisdictions.includes('cn-zj')) &&
    ((p.activities.includes('develops-ai') && p.product.riskLevel !== 'high') ||
      (p.scenarios.some((s) => DELTA_SCENARIOS.has(s)) && p.sectors.includes('manufacturing'))) &&
    !p.data.crossBorderTransfer,
};
export type { Complete };
