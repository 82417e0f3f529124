import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rule } from './ast.ts';
import { compile } from './compile.ts';
import { DEFAULT_CONTEXT, createContext } from './context.ts';
import { FALSE, UNKNOWN, outcomeOf } from './evaluate.ts';
import { explain } from './explain.ts';
import { FACTS, JURISDICTION_TREE, withValues } from './facts.ts';
import { interpret } from './interpret.ts';
import { seeded } from './prng.ts';
import { randomProfile, randomRule } from './testing.ts';

/** A rule's sub-rules in pre-order: the order of the compiled tree's slots. */
function subRules(rule: Rule, out: Rule[] = []): Rule[] {
  out.push(rule);
  if ('all' in rule) rule.all.forEach((r) => subRules(r, out));
  else if ('any' in rule) rule.any.forEach((r) => subRules(r, out));
  else if ('not' in rule) subRules(rule.not, out);
  return out;
}

describe('compiled rules against the reference interpreter (seeded random rules and profiles)', () => {
  it('agree on 2,000 rules × 25 partial profiles: evaluate, trace, explain and every node', () => {
    const rng = seeded(20240815);
    let compared = 0;
    const seen = { applies: 0, does_not_apply: 0, unknown: 0 };
    for (let n = 0; n < 2000; n++) {
      const rule = randomRule(rng);
      const compiled = compile(rule);
      const parts = subRules(rule);
      assert.equal(parts.length, compiled.size);
      for (let k = 0; k < 25; k++) {
        const profile = randomProfile(rng, rng.pick([0.3, 0.7, 1]));
        const prepared = DEFAULT_CONTEXT.prepare(profile);
        const expected = interpret(rule, profile);
        const context = () => `rule ${JSON.stringify(rule)}\nprofile ${JSON.stringify(profile)}`;
        const fast = outcomeOf(compiled.evaluate(profile));
        const fastPrepared = outcomeOf(compiled.evaluate(prepared));
        const traced = outcomeOf(compiled.trace(prepared));
        if (fast !== expected || fastPrepared !== expected || traced !== expected) {
          assert.fail(
            `evaluate ${fast}, on prepared ${fastPrepared}, trace ${traced}, reference ${expected}: ${context()}`,
          );
        }
        parts.forEach((part, slot) => {
          const node = outcomeOf(compiled.results[slot] ?? -1);
          if (node !== interpret(part, profile)) assert.fail(`slot ${slot} is ${node}: ${context()}`);
        });
        if (k % 5 === 0) {
          const e = explain(compiled, prepared);
          assert.equal(e.outcome, expected, context());
          if (e.outcome === 'unknown')
            assert.ok(e.missing.length > 0, `an unknown outcome names a missing fact: ${context()}`);
          for (const fact of e.missing) assert.equal(prepared[DEFAULT_CONTEXT.slotOf(fact)], undefined, context());
          for (const miss of e.nearMisses) {
            const leaf = compiled.leaves.find((l) => l.path === miss.path);
            assert.ok(leaf !== undefined && compiled.results[leaf.slot] !== UNKNOWN, context());
          }
          if (e.nearMisses.length > 0) assert.equal(compiled.results[0], FALSE);
        }
        seen[expected]++;
        compared++;
      }
    }
    assert.equal(compared, 50_000);
    for (const [outcome, count] of Object.entries(seen)) assert.ok(count > 2000, `enough ${outcome} cases (${count})`);
  });
});

describe('compiled rules when vocabularies are too large for bit masks', () => {
  it('agree with the reference interpreter on 500 rules × 10 partial profiles', () => {
    // 40 more jurisdictions, sectors and risk levels: lists and enums are then kept as arrays and strings.
    const extra = (prefix: string): Record<string, { en: string; zh: string }> =>
      Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`${prefix}${i}`, { en: `${prefix}${i}`, zh: `${prefix}${i}` }]),
      );
    const tree = { ...JURISDICTION_TREE, ...Object.fromEntries(Object.keys(extra('cn-x')).map((c) => [c, 'cn-gd'])) };
    const facts = withValues(withValues(FACTS, 'sectors', extra('s')), 'product.riskLevel', extra('r'));
    const context = createContext({ jurisdictions: tree, facts });
    for (const path of ['jurisdictions', 'sectors', 'product.riskLevel'])
      assert.equal(context.maskOf(path, []), undefined, path);
    const rng = seeded(31);
    for (let n = 0; n < 500; n++) {
      const rule = randomRule(rng);
      const compiled = compile(rule, context);
      for (let k = 0; k < 10; k++) {
        const profile = randomProfile(rng, 0.7);
        const expected = interpret(rule, profile, tree, context.facts);
        const got = outcomeOf(compiled.evaluate(profile));
        const traced = outcomeOf(compiled.trace(profile));
        if (got !== expected || traced !== expected)
          assert.fail(`${got}/${traced} ≠ ${expected}: ${JSON.stringify(rule)} ${JSON.stringify(profile)}`);
      }
    }
  });
});
