// Test support: seeded random rules and partial profiles over every fact and operator, for property tests.

import { all, any, cond, not } from './ast.ts';
import type { Condition, Rule } from './ast.ts';
import { checkRule } from './check.ts';
import { FACTS } from './facts.ts';
import type { Profile } from './facts.ts';
import type { Random } from './prng.ts';

const NAMES = ['Acme', 'Bytes', 'Cathay'];
const EMPLOYEES = [0, 10, 50, 100, 300, 1000];
const REVENUES = [0, 1e6, 2.5e7, 1e8, 2e8];

/** A random condition on a random fact, with a random operator that suits it. */
export function randomCondition(rng: Random): Condition {
  const fact = rng.pick(Object.keys(FACTS));
  const spec = FACTS[fact];
  if (spec === undefined) throw new Error(fact);
  if (rng.chance(0.08)) return cond(fact, 'exists', rng.chance(0.8) ? undefined : rng.chance(0.5));
  switch (spec.type) {
    case 'list': {
      const codes = spec.values ?? [];
      return rng.chance(0.5)
        ? cond(fact, 'contains', rng.pick(codes))
        : cond(
            fact,
            'intersects',
            [rng.pick(codes), ...rng.some(codes, rng.int(3))].filter((c, i, a) => a.indexOf(c) === i),
          );
    }
    case 'enum': {
      const op = rng.pick(['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte'] as const);
      const codes = spec.values ?? [];
      if (op === 'in' || op === 'not_in')
        return cond(
          fact,
          op,
          [rng.pick(codes), ...rng.some(codes, 1)].filter((c, i, a) => a.indexOf(c) === i),
        );
      return cond(fact, op, rng.pick(codes));
    }
    case 'boolean':
      return cond(fact, rng.pick(['eq', 'ne'] as const), rng.chance(0.5));
    case 'number': {
      const pool = fact === 'size.employees' ? EMPLOYEES : REVENUES;
      const op = rng.pick(['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte'] as const);
      if (op === 'in' || op === 'not_in') return cond(fact, op, [...new Set([rng.pick(pool), rng.pick(pool)])]);
      return cond(fact, op, rng.pick(pool));
    }
    case 'string': {
      const op = rng.pick(['eq', 'ne', 'in', 'not_in'] as const);
      if (op === 'in' || op === 'not_in') return cond(fact, op, [...new Set([rng.pick(NAMES), rng.pick(NAMES)])]);
      return cond(fact, op, rng.pick(NAMES));
    }
  }
}

/** A random rule tree of at most `depth` levels of all/any/not above the leaves. */
export function randomTree(rng: Random, depth: number): Rule {
  if (depth <= 0 || rng.chance(0.3)) return randomCondition(rng);
  const roll = rng.next();
  if (roll < 0.15) return not(randomTree(rng, depth - 1));
  const children = Array.from({ length: 1 + rng.int(4) }, () => randomTree(rng, depth - 1));
  return roll < 0.6 ? all(children) : any(children);
}

/** A random rule that passes checkRule (draws again when siblings contradict each other). */
export function randomRule(rng: Random, depth = 4): Rule {
  for (;;) {
    const rule = randomTree(rng, depth);
    if (checkRule(rule).length === 0) return rule;
  }
}

/**
 * A random partial profile: each fact present with probability `present`, values near the thresholds rules use,
 * now and then an unknown jurisdiction code or a value of the wrong type (which counts as missing).
 */
export function randomProfile(rng: Random, present = 0.65): Profile {
  const p: Record<string, unknown> = {};
  const set = (path: string, value: unknown): void => {
    const [head, tail] = path.split('.') as [string, string | undefined];
    if (tail === undefined) p[head] = value;
    else p[head] = { ...(p[head] as object | undefined), [tail]: value };
  };
  for (const [path, spec] of Object.entries(FACTS)) {
    if (!rng.chance(present)) continue;
    if (rng.chance(0.03)) {
      set(path, rng.pick(['oops', 42, null, true, ['x']]));
      continue;
    }
    switch (spec.type) {
      case 'list': {
        const codes = [...rng.some(spec.values ?? [], rng.int(4))];
        if (path === 'jurisdictions' && rng.chance(0.1)) codes.push('xx-unknown');
        set(path, codes);
        break;
      }
      case 'enum':
        set(path, rng.pick(spec.values ?? []));
        break;
      case 'boolean':
        set(path, rng.chance(0.5));
        break;
      case 'number': {
        const pool = path === 'size.employees' ? EMPLOYEES : REVENUES;
        set(path, rng.chance(0.7) ? rng.pick(pool) : Math.round(rng.next() * 2 * (pool[pool.length - 1] ?? 1)));
        break;
      }
      case 'string':
        set(path, rng.pick([...NAMES, 'Other']));
        break;
    }
  }
  return p;
}
