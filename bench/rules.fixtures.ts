// Benchmark data for the rules engine: programme rules of the shapes Horizon ships, and seeded synthetic profiles.

import { all, any, cond, not } from '../src/rules/ast.ts';
import type { Rule } from '../src/rules/ast.ts';
import { FACTS } from '../src/rules/facts.ts';
import type { Profile, RiskLevel } from '../src/rules/facts.ts';
import type { Random } from '../src/rules/prng.ts';

const AI = ['develops-ai', 'applies-ai', 'conducts-ai-research'];
const inChina = cond('jurisdictions', 'intersects', ['cn'], {
  label: { en: 'Registered or operating in mainland China', zh: '在中国境内注册或经营' },
});
const CATEGORIES: Record<string, string[]> = {
  'intelligent-economy': ['manufacturing', 'agriculture', 'logistics', 'finance', 'commerce', 'home-furnishing'],
  'intelligent-society': [
    'urban-management',
    'traffic-management',
    'ecological-protection',
    'medical-health',
    'education',
    'elderly-care',
  ],
  'scientific-research': ['mathematics', 'chemistry', 'geosciences', 'materials', 'biology', 'space-science'],
  'major-events-and-projects': [
    'major-events',
    'strategic-backbone-passages',
    'high-speed-railways',
    'ports-and-shipping',
    'airports',
  ],
};
const SCENARIOS = FACTS.scenarios?.values ?? [];

/** Programme rules: the shipped shapes (content/programmes) plus size thresholds and nested any/not. */
export const RULES: readonly Rule[] = [
  all(
    [
      cond('jurisdictions', 'intersects', ['cn-gd-shenzhen'], {
        label: { en: 'Registered or operating in Shenzhen', zh: '在深圳注册或经营' },
      }),
      cond('product.riskLevel', 'eq', 'low'),
      cond('product.hasNationalOrLocalStandard', 'eq', false),
      cond('product.meetsInternationalStandard', 'eq', true),
    ],
    { id: 'shenzhen-innovative-product-access' },
  ),
  all([inChina, cond('activities', 'contains', 'provides-public-generative-ai-service')], {
    id: 'generative-ai-providers',
  }),
  all([inChina, cond('activities', 'contains', 'uses-recommendation-algorithms')], { id: 'recommendation-providers' }),
  all([inChina, cond('activities', 'contains', 'provides-deep-synthesis')], { id: 'deep-synthesis-providers' }),
  all(
    [inChina, cond('activities', 'intersects', ['provides-public-generative-ai-service', 'provides-deep-synthesis'])],
    { id: 'content-labelling' },
  ),
  ...['cn-bj', 'cn-sh', 'cn-gd-shenzhen', 'cn-zj-hangzhou'].map((city) =>
    all([cond('jurisdictions', 'intersects', [city]), cond('activities', 'intersects', AI)], {
      id: `compute-vouchers-${city}`,
    }),
  ),
  ...Object.entries(CATEGORIES).map(([category, fields]) =>
    all([inChina, cond('sectors', 'intersects', fields)], { id: `major-scenarios-${category}` }),
  ),
  ...['smart-court', 'autonomous-driving', 'smart-factory'].map((s) =>
    all([inChina, cond('scenarios', 'contains', s)], { id: `demonstration-${s}` }),
  ),
  all([inChina, cond('scenarios', 'intersects', SCENARIOS)], { id: 'demonstration-any-scenario' }),
  all([inChina, cond('data.handlesPersonalInformation', 'eq', true)], { id: 'personal-information-handlers' }),
  all(
    [
      inChina,
      cond('data.handlesPersonalInformation', 'eq', true),
      any([cond('data.crossBorderTransfer', 'eq', true), cond('data.handlesImportantData', 'eq', true)]),
    ],
    {
      id: 'cross-border-assessment',
    },
  ),
  all([inChina, cond('size.employees', 'lt', 300), cond('size.annualRevenueCny', 'lt', 2e8)], { id: 'sme-support' }),
  any([cond('size.employees', 'gte', 1000), cond('size.annualRevenueCny', 'gte', 4e8)], { id: 'large-enterprise' }),
  all(
    [
      cond('jurisdictions', 'intersects', ['cn-sh', 'cn-zj']),
      any([
        all([cond('activities', 'contains', 'develops-ai'), not(cond('product.riskLevel', 'eq', 'high'))]),
        all([
          cond('scenarios', 'intersects', ['smart-factory', 'smart-supply-chain', 'smart-port']),
          cond('sectors', 'contains', 'manufacturing'),
        ]),
      ]),
      not(cond('data.crossBorderTransfer', 'eq', true)),
    ],
    { id: 'yangtze-delta-pilot' },
  ),
  all(
    [
      inChina,
      cond('product.riskLevel', 'gte', 'medium'),
      any([cond('data.handlesPersonalInformation', 'eq', true), cond('data.handlesImportantData', 'eq', true)]),
    ],
    {
      id: 'high-risk-review',
    },
  ),
  all(
    [
      cond('jurisdictions', 'contains', 'cn-sh'),
      cond('activities', 'intersects', AI),
      cond('size.employees', 'gte', 10),
    ],
    { id: 'shanghai-applications' },
  ),
  all(
    [
      cond('jurisdictions', 'intersects', ['cn-zj-hangzhou']),
      any([
        cond('sectors', 'intersects', ['manufacturing', 'commerce', 'logistics']),
        cond('scenarios', 'intersects', ['smart-home', 'smart-supply-chain']),
      ]),
      not(cond('product.riskLevel', 'eq', 'high')),
    ],
    { id: 'hangzhou-innovation-highland' },
  ),
];

/** Variants of the rules (other codes and thresholds) to stand for a catalogue of many programmes. */
export function manyRules(rng: Random, n: number): Rule[] {
  const codes = (path: string): readonly string[] => FACTS[path]?.values ?? [];
  const out: Rule[] = [];
  while (out.length < n) {
    const base = rng.pick(RULES);
    const swap = (r: Rule): Rule => {
      if ('all' in r) return all(r.all.map(swap));
      if ('any' in r) return any(r.any.map(swap));
      if ('not' in r) return not(swap(r.not));
      if (r.op === 'exists') return r;
      const vocabulary = codes(r.fact);
      if (r.fact === 'size.employees' || r.fact === 'size.annualRevenueCny')
        return cond(r.fact, r.op, Math.round((r.value as number) * (0.5 + rng.next())));
      if (vocabulary.length > 0 && r.fact !== 'product.riskLevel' && rng.chance(0.6)) {
        return Array.isArray(r.value)
          ? cond(r.fact, r.op, [rng.pick(vocabulary)])
          : cond(r.fact, r.op, rng.pick(vocabulary));
      }
      return r;
    };
    out.push(swap(base));
  }
  return out;
}

const JURISDICTIONS: readonly [string, number][] = [
  ['cn-gd-shenzhen', 0.2],
  ['cn-bj', 0.2],
  ['cn-sh', 0.2],
  ['cn-zj-hangzhou', 0.12],
  ['cn-gd', 0.08],
  ['cn-zj', 0.05],
  ['cn', 0.15],
];
const ACTIVITIES: readonly [string, number][] = [
  ['applies-ai', 0.6],
  ['develops-ai', 0.4],
  ['uses-recommendation-algorithms', 0.25],
  ['conducts-ai-research', 0.15],
  ['provides-public-generative-ai-service', 0.08],
  ['provides-deep-synthesis', 0.05],
];
const SECTORS = FACTS.sectors?.values ?? [];
const RISK: readonly RiskLevel[] = ['low', 'low', 'low', 'low', 'low', 'medium', 'medium', 'medium', 'medium', 'high'];

function weighted(rng: Random, table: readonly [string, number][]): string {
  let x = rng.next();
  for (const [code, w] of table) if ((x -= w) < 0) return code;
  return (table[table.length - 1] as [string, number])[0];
}

/** A normally distributed number (Box–Muller). */
const normal = (rng: Random): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/**
 * A synthetic enterprise profile with realistic shares: a fifth in Shenzhen, Beijing or Shanghai each, most applying
 * AI, few offering generative AI to the public, log-normal sizes. With `missing` > 0 each fact is left out with that
 * probability (a partial profile).
 */
export function syntheticProfile(rng: Random, i: number, missing = 0): Profile {
  const keep = (): boolean => missing === 0 || !rng.chance(missing);
  const jurisdictions = [weighted(rng, JURISDICTIONS)];
  if (rng.chance(0.1)) {
    const other = weighted(rng, JURISDICTIONS);
    if (other !== jurisdictions[0]) jurisdictions.push(other);
  }
  const activities = ACTIVITIES.filter(([, p]) => rng.chance(p)).map(([a]) => a);
  const sectors = rng.some(SECTORS, rng.int(4));
  const scenarios = rng.chance(0.7) ? [] : rng.some(SCENARIOS, 1 + rng.int(2));
  const employees = Math.max(1, Math.round(Math.exp(3.5 + 1.5 * normal(rng))));
  const revenue = Math.round(employees * Math.exp(13.5 + normal(rng)));
  const p: {
    name?: string;
    jurisdictions?: string[];
    sectors?: string[];
    scenarios?: string[];
    activities?: string[];
    product?: Record<string, unknown>;
    data?: Record<string, unknown>;
    size?: Record<string, unknown>;
  } = {};
  if (keep()) p.name = `Enterprise ${i}`;
  if (keep()) p.jurisdictions = jurisdictions;
  if (keep()) p.sectors = sectors;
  if (keep()) p.scenarios = scenarios;
  if (keep()) p.activities = activities;
  const product: Record<string, unknown> = {};
  if (keep()) product.riskLevel = rng.pick(RISK);
  if (keep()) product.hasNationalOrLocalStandard = rng.chance(0.4);
  if (keep()) product.meetsInternationalStandard = rng.chance(0.3);
  p.product = product;
  const data: Record<string, unknown> = {};
  if (keep()) data.handlesPersonalInformation = rng.chance(0.7);
  if (keep()) data.crossBorderTransfer = rng.chance(0.2);
  if (keep()) data.handlesImportantData = rng.chance(0.1);
  p.data = data;
  const size: Record<string, unknown> = {};
  if (keep()) size.employees = employees;
  if (keep()) size.annualRevenueCny = revenue;
  p.size = size;
  return p;
}
