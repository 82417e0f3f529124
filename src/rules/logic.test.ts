import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { all, any, cond, not } from './ast.ts';
import type { Rule } from './ast.ts';
import { compile } from './compile.ts';
import { FALSE, TRUE, UNKNOWN, and3, not3, or3 } from './evaluate.ts';
import type { Outcome } from './evaluate.ts';
import { explain } from './explain.ts';
import type { Profile } from './facts.ts';
import { interpret } from './interpret.ts';

// Three boolean facts stand for three conditions whose truth we set: true, false or missing (unknown).
const A = cond('data.handlesPersonalInformation', 'eq', true);
const B = cond('data.crossBorderTransfer', 'eq', true);
const C = cond('data.handlesImportantData', 'eq', true);
type Truth = 'T' | 'F' | '?';
const TRUTHS: readonly Truth[] = ['T', 'F', '?'];
const asValue = (t: Truth): boolean | undefined => (t === '?' ? undefined : t === 'T');
const profileOf = (a: Truth, b: Truth = '?', c: Truth = '?'): Profile => ({
  data: { handlesPersonalInformation: asValue(a), crossBorderTransfer: asValue(b), handlesImportantData: asValue(c) },
});
const NAME: Record<Truth, Outcome> = { T: 'applies', F: 'does_not_apply', '?': 'unknown' };

/** Every way of evaluating a rule must agree; returns the shared outcome. */
function outcome(rule: Rule, profile: Profile): Outcome {
  const compiled = compile(rule);
  const fast = compiled.outcome(profile);
  const traced = compiled.trace(profile);
  assert.equal(NAME[traced === TRUE ? 'T' : traced === FALSE ? 'F' : '?'], fast, 'trace and evaluate agree');
  assert.equal(explain(compiled, profile).outcome, fast, 'explain agrees');
  assert.equal(interpret(rule, profile), fast, 'reference interpreter agrees');
  return fast;
}

describe('three-valued logic', () => {
  it('a missing fact is unknown, never false', () => {
    assert.equal(outcome(A, {}), 'unknown');
    assert.equal(outcome(A, { data: {} }), 'unknown');
    assert.equal(outcome(not(A), {}), 'unknown');
  });

  it('all: false if any child is false, else unknown if any is unknown, else true', () => {
    // prettier-ignore
    const table: Record<string, Truth> = {
      TT: 'T', TF: 'F', 'T?': '?',
      FT: 'F', FF: 'F', 'F?': 'F',
      '?T': '?', '?F': 'F', '??': '?',
    };
    for (const a of TRUTHS)
      for (const b of TRUTHS) {
        assert.equal(outcome(all([A, B]), profileOf(a, b)), NAME[table[a + b] as Truth], `all(${a}, ${b})`);
      }
  });

  it('any: true if any child is true, else unknown if any is unknown, else false', () => {
    // prettier-ignore
    const table: Record<string, Truth> = {
      TT: 'T', TF: 'T', 'T?': 'T',
      FT: 'T', FF: 'F', 'F?': '?',
      '?T': 'T', '?F': '?', '??': '?',
    };
    for (const a of TRUTHS)
      for (const b of TRUTHS) {
        assert.equal(outcome(any([A, B]), profileOf(a, b)), NAME[table[a + b] as Truth], `any(${a}, ${b})`);
      }
  });

  it('not flips true and false and keeps unknown', () => {
    assert.equal(outcome(not(A), profileOf('T')), 'does_not_apply');
    assert.equal(outcome(not(A), profileOf('F')), 'applies');
    assert.equal(outcome(not(A), profileOf('?')), 'unknown');
    assert.equal(outcome(not(not(A)), profileOf('T')), 'applies');
  });

  it('agrees with Kleene logic for three children, nested, in every order', () => {
    const code = (t: Truth): 0 | 1 | 2 => (t === 'T' ? TRUE : t === 'F' ? FALSE : UNKNOWN);
    const name = (c: number): Outcome => (c === TRUE ? 'applies' : c === FALSE ? 'does_not_apply' : 'unknown');
    for (const a of TRUTHS)
      for (const b of TRUTHS)
        for (const c of TRUTHS) {
          const p = profileOf(a, b, c);
          const [x, y, z] = [code(a), code(b), code(c)];
          assert.equal(outcome(all([A, B, C]), p), name(and3(and3(x, y), z)));
          assert.equal(outcome(any([A, B, C]), p), name(or3(or3(x, y), z)));
          assert.equal(outcome(all([A, any([B, not(C)])]), p), name(and3(x, or3(y, not3(z)))));
          assert.equal(outcome(any([not(A), all([B, C])]), p), name(or3(not3(x), and3(y, z))));
          assert.equal(outcome(all([A, B, C, not(A)]), p), name(and3(and3(and3(x, y), z), not3(x))));
          assert.equal(outcome(any([A, B, C, not(B)]), p), name(or3(or3(or3(x, y), z), not3(y))));
        }
  });

  it('records every node’s result when tracing, even where evaluation would stop early', () => {
    const rule = all([A, any([B, C])]);
    const compiled = compile(rule);
    compiled.trace(profileOf('F', 'T', '?'));
    assert.deepEqual([...compiled.results], [FALSE, FALSE, TRUE, TRUE, UNKNOWN]);
  });
});
