import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { all, any, cond, not } from './ast.ts';
import { compile } from './compile.ts';
import type { CompiledRule } from './compile.ts';
import { createContext } from './context.ts';
import { FALSE, TRUE, UNKNOWN } from './evaluate.ts';
import { FACTS, withValues } from './facts.ts';
import type { Profile } from './facts.ts';
import { ProfileIndex, matchProfile } from './index.ts';
import type { IndexMatch } from './index.ts';
import { seeded } from './prng.ts';
import { randomProfile, randomRule } from './testing.ts';

const rng = seeded(7);
const entries: [string, Profile][] = Array.from({ length: 3000 }, (_, i) => [`p${i}`, randomProfile(rng, 0.75)]);

/** What a full scan finds, for comparison. */
function scan(
  rule: CompiledRule,
  list: readonly (readonly [string, Profile])[],
): { applies: string[]; unknown: string[] } {
  const applies: string[] = [];
  const unknown: string[] = [];
  for (const [id, p] of list) {
    const code = rule.evaluate(p);
    if (code === TRUE) applies.push(id);
    else if (code === UNKNOWN) unknown.push(id);
  }
  return { applies, unknown };
}
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('profile index', () => {
  const index = ProfileIndex.build(entries);

  it('finds the same profiles as a full scan, through postings when a required condition allows', () => {
    const rules = [
      all([cond('jurisdictions', 'intersects', ['cn-gd-shenzhen']), cond('product.riskLevel', 'eq', 'low')]),
      all([
        cond('jurisdictions', 'contains', 'cn'),
        cond('activities', 'contains', 'provides-public-generative-ai-service'),
      ]),
      all([
        cond('sectors', 'intersects', ['education', 'elderly-care']),
        all([cond('scenarios', 'contains', 'smart-court')]),
      ]),
      cond('product.riskLevel', 'gte', 'medium'),
      any([cond('jurisdictions', 'contains', 'cn-bj'), cond('size.employees', 'gt', 100)]),
      not(cond('sectors', 'contains', 'finance')),
    ].map((r) => compile(r));
    const vias = rules.map((rule) => {
      const expected = scan(rule, entries);
      const onlyApplies = index.match(rule);
      assert.deepEqual(sorted(onlyApplies.applies), sorted(expected.applies));
      assert.deepEqual(onlyApplies.unknown, []);
      const withUnknown = index.match(rule, { unknown: true });
      assert.deepEqual(sorted(withUnknown.applies), sorted(expected.applies));
      assert.deepEqual(sorted(withUnknown.unknown), sorted(expected.unknown));
      assert.ok(onlyApplies.candidates <= withUnknown.candidates);
      return onlyApplies.via;
    });
    assert.deepEqual(vias.slice(0, 2), ['jurisdictions', 'activities']);
    assert.ok(
      vias[2] === 'sectors' || vias[2] === 'scenarios',
      'either conjunct of the third rule, whichever is rarer',
    );
    assert.deepEqual(vias.slice(3), ['product.riskLevel', undefined, undefined], 'no required condition: a scan');
  });

  it('agrees with a full scan on random rules', () => {
    const r = seeded(99);
    for (let i = 0; i < 200; i++) {
      const rule = compile(randomRule(r, 3));
      const expected = scan(rule, entries);
      const got = index.match(rule, { unknown: true });
      assert.deepEqual(sorted(got.applies), sorted(expected.applies));
      assert.deepEqual(sorted(got.unknown), sorted(expected.unknown));
    }
  });

  it('evaluates far fewer profiles than it stores for a selective rule', () => {
    const rule = compile(all([cond('jurisdictions', 'contains', 'cn'), cond('scenarios', 'contains', 'smart-port')]));
    const plan = index.plan(rule);
    assert.equal(plan?.fact, 'scenarios');
    assert.ok(index.match(rule).candidates < entries.length / 4);
  });

  it('takes changed, new and removed profiles into account', () => {
    const small = ProfileIndex.build([
      ['a', { jurisdictions: ['cn-gd-shenzhen'], product: { riskLevel: 'low' } }],
      ['b', { jurisdictions: ['cn-bj'], product: { riskLevel: 'low' } }],
      ['c', { jurisdictions: ['cn-sh'] }],
    ]);
    const rule = compile(all([cond('jurisdictions', 'contains', 'cn-gd'), cond('product.riskLevel', 'eq', 'low')]));
    const ids = (
      m: IndexMatch,
    ): { applies: readonly string[]; unknown: readonly string[]; candidates: number; via: string | undefined } => ({
      applies: m.applies,
      unknown: m.unknown,
      candidates: m.candidates,
      via: m.via,
    });
    assert.deepEqual(small.match(rule).applies, ['a']);
    assert.deepEqual([...small.match(rule).appliesRows], [0]);
    small.upsert('b', { jurisdictions: ['cn-gd'], product: { riskLevel: 'low' } });
    small.upsert('d', { jurisdictions: ['cn-gd-shenzhen'] });
    small.remove('a');
    assert.deepEqual(ids(small.match(rule, { unknown: true })), {
      applies: ['b'],
      unknown: ['d'],
      candidates: 2,
      via: 'jurisdictions',
    });
    assert.equal(small.size, 3);
    assert.equal(small.idOf(3), 'b');
    small.compact();
    assert.equal(small.size, 3);
    assert.deepEqual(ids(small.match(rule, { unknown: true })), {
      applies: ['b'],
      unknown: ['d'],
      candidates: 2,
      via: 'jurisdictions',
    });
    assert.deepEqual(small.match(compile(cond('jurisdictions', 'exists'))).applies, ['c', 'b', 'd']);
    assert.deepEqual(small.idsOf(small.match(compile(cond('jurisdictions', 'exists'))).appliesRows), ['c', 'b', 'd']);
  });
});

describe('profile index over vocabularies too large for bit masks', () => {
  it('agrees with a full scan', () => {
    const extra = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, { en: `s${i}`, zh: `s${i}` }]));
    const context = createContext({ facts: withValues(FACTS, 'sectors', extra) });
    const big = ProfileIndex.build(entries.slice(0, 800), context);
    const r = seeded(3);
    for (let i = 0; i < 100; i++) {
      const rule = compile(randomRule(r, 3), context);
      const expected = scan(rule, entries.slice(0, 800));
      const got = big.match(rule, { unknown: true });
      assert.deepEqual(sorted(got.applies), sorted(expected.applies));
      assert.deepEqual(sorted(got.unknown), sorted(expected.unknown));
    }
  });
});

describe('matching one profile against many rules', () => {
  it('returns the rules that apply and those that may', () => {
    const rules = [
      compile(cond('jurisdictions', 'contains', 'cn'), undefined),
      compile(all([cond('jurisdictions', 'contains', 'cn-bj'), cond('size.employees', 'gt', 10)])),
      compile(cond('product.riskLevel', 'eq', 'low')),
      compile(cond('jurisdictions', 'contains', 'cn-sh')),
    ];
    const m = matchProfile({ jurisdictions: ['cn-bj'] }, rules);
    assert.deepEqual(m.applies, [rules[0]]);
    assert.deepEqual(m.unknown, [rules[1], rules[2]]);
    assert.deepEqual(matchProfile({}, []), { applies: [], unknown: [] });
    assert.equal(rules[3]?.evaluate({ jurisdictions: ['cn-bj'] }), FALSE);
  });
});
