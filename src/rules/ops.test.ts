import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cond } from './ast.ts';
import type { Condition } from './ast.ts';
import { compile } from './compile.ts';
import { createContext } from './context.ts';
import type { Outcome } from './evaluate.ts';
import type { Profile } from './facts.ts';
import { interpret } from './interpret.ts';

/** The outcome of one condition for a profile, checked against the reference interpreter. */
function check(rule: Condition, profile: Profile): Outcome {
  const fast = compile(rule).outcome(profile);
  assert.equal(interpret(rule, profile), fast, `reference interpreter agrees on ${JSON.stringify(rule)}`);
  return fast;
}
const yes = (rule: Condition, profile: Profile): void => assert.equal(check(rule, profile), 'applies');
const no = (rule: Condition, profile: Profile): void => assert.equal(check(rule, profile), 'does_not_apply');
const unknown = (rule: Condition, profile: Profile): void => assert.equal(check(rule, profile), 'unknown');

describe('operators', () => {
  it('eq and ne compare codes, booleans, numbers and strings', () => {
    yes(cond('product.riskLevel', 'eq', 'low'), { product: { riskLevel: 'low' } });
    no(cond('product.riskLevel', 'eq', 'low'), { product: { riskLevel: 'high' } });
    yes(cond('product.riskLevel', 'ne', 'low'), { product: { riskLevel: 'high' } });
    no(cond('product.riskLevel', 'ne', 'low'), { product: { riskLevel: 'low' } });
    yes(cond('data.crossBorderTransfer', 'eq', false), { data: { crossBorderTransfer: false } });
    no(cond('data.crossBorderTransfer', 'ne', false), { data: { crossBorderTransfer: false } });
    yes(cond('size.employees', 'eq', 50), { size: { employees: 50 } });
    yes(cond('name', 'eq', 'Acme'), { name: 'Acme' });
    no(cond('name', 'ne', 'Acme'), { name: 'Acme' });
  });

  it('in and not_in test membership of a list of values', () => {
    yes(cond('product.riskLevel', 'in', ['low', 'medium']), { product: { riskLevel: 'medium' } });
    no(cond('product.riskLevel', 'in', ['low', 'medium']), { product: { riskLevel: 'high' } });
    yes(cond('product.riskLevel', 'not_in', ['high']), { product: { riskLevel: 'low' } });
    no(cond('product.riskLevel', 'not_in', ['low', 'high']), { product: { riskLevel: 'high' } });
    yes(cond('size.employees', 'in', [10, 20]), { size: { employees: 20 } });
    yes(cond('name', 'not_in', ['Acme', 'Bytes']), { name: 'Cathay' });
  });

  it('intersects holds when a list fact shares any code with the value', () => {
    const rule = cond('sectors', 'intersects', ['education', 'elderly-care']);
    yes(rule, { sectors: ['finance', 'elderly-care'] });
    no(rule, { sectors: ['finance'] });
    no(rule, { sectors: [] });
    yes(cond('sectors', 'intersects', ['finance']), { sectors: ['finance'] });
  });

  it('contains holds when a list fact holds the value', () => {
    const rule = cond('activities', 'contains', 'provides-public-generative-ai-service');
    yes(rule, { activities: ['develops-ai', 'provides-public-generative-ai-service'] });
    no(rule, { activities: ['develops-ai'] });
    no(rule, { activities: [] });
  });

  it('gt, gte, lt and lte compare numbers', () => {
    const p = { size: { employees: 100, annualRevenueCny: 2e8 } };
    yes(cond('size.employees', 'gt', 99), p);
    no(cond('size.employees', 'gt', 100), p);
    yes(cond('size.employees', 'gte', 100), p);
    no(cond('size.employees', 'gte', 101), p);
    yes(cond('size.employees', 'lt', 101), p);
    no(cond('size.employees', 'lt', 100), p);
    yes(cond('size.employees', 'lte', 100), p);
    no(cond('size.annualRevenueCny', 'lte', 1.99e8), p);
  });

  it('gt, gte, lt and lte compare risk levels in order low < medium < high', () => {
    const medium = { product: { riskLevel: 'medium' as const } };
    yes(cond('product.riskLevel', 'gt', 'low'), medium);
    no(cond('product.riskLevel', 'gt', 'medium'), medium);
    yes(cond('product.riskLevel', 'gte', 'medium'), medium);
    yes(cond('product.riskLevel', 'lt', 'high'), medium);
    no(cond('product.riskLevel', 'lt', 'medium'), medium);
    yes(cond('product.riskLevel', 'lte', 'medium'), medium);
    no(cond('product.riskLevel', 'lte', 'low'), medium);
  });

  it('every operator but exists is unknown when the fact is missing', () => {
    const rules: Condition[] = [
      cond('product.riskLevel', 'eq', 'low'),
      cond('product.riskLevel', 'ne', 'low'),
      cond('product.riskLevel', 'in', ['low', 'high']),
      cond('product.riskLevel', 'not_in', ['low']),
      cond('product.riskLevel', 'gt', 'low'),
      cond('sectors', 'intersects', ['finance']),
      cond('activities', 'contains', 'develops-ai'),
      cond('size.employees', 'gt', 1),
      cond('size.employees', 'gte', 1),
      cond('size.employees', 'lt', 1),
      cond('size.employees', 'lte', 1),
      cond('data.crossBorderTransfer', 'eq', true),
      cond('data.crossBorderTransfer', 'ne', true),
      cond('name', 'eq', 'Acme'),
      cond('jurisdictions', 'intersects', ['cn']),
    ];
    for (const rule of rules) {
      unknown(rule, {});
      unknown(rule, { product: {}, data: {}, size: {} });
    }
  });

  it('treats a value of the wrong type as missing', () => {
    const bad = {
      product: { riskLevel: 'extreme' },
      size: { employees: 'many' },
      sectors: 'finance',
    } as unknown as Profile;
    unknown(cond('product.riskLevel', 'ne', 'low'), bad);
    unknown(cond('size.employees', 'gt', 1), bad);
    unknown(cond('sectors', 'intersects', ['finance']), bad);
    unknown(cond('size.employees', 'gt', 1), { size: { employees: Number.NaN } });
    no(cond('size.employees', 'exists'), bad);
  });

  it('exists is never unknown: true when the fact is present, false when missing (value false inverts it)', () => {
    yes(cond('size.employees', 'exists'), { size: { employees: 0 } });
    no(cond('size.employees', 'exists'), {});
    yes(cond('size.employees', 'exists', true), { size: { employees: 3 } });
    yes(cond('data.crossBorderTransfer', 'exists'), { data: { crossBorderTransfer: false } });
    yes(cond('sectors', 'exists'), { sectors: [] });
    yes(cond('size.employees', 'exists', false), {});
    no(cond('size.employees', 'exists', false), { size: { employees: 0 } });
  });
});

describe('jurisdictions', () => {
  const shenzhen: Profile = { jurisdictions: ['cn-gd-shenzhen'] };

  it('a profile in a city also counts as in its province and in China', () => {
    yes(cond('jurisdictions', 'intersects', ['cn-gd-shenzhen']), shenzhen);
    yes(cond('jurisdictions', 'intersects', ['cn-gd']), shenzhen);
    yes(cond('jurisdictions', 'intersects', ['cn']), shenzhen);
    yes(cond('jurisdictions', 'contains', 'cn'), shenzhen);
    no(cond('jurisdictions', 'intersects', ['cn-bj', 'cn-zj']), shenzhen);
  });

  it('a profile at national level is not in a city', () => {
    no(cond('jurisdictions', 'intersects', ['cn-gd-shenzhen']), { jurisdictions: ['cn'] });
    no(cond('jurisdictions', 'intersects', ['cn-zj']), { jurisdictions: ['cn-gd'] });
  });

  it('combines the ancestors of several codes and ignores codes outside the tree', () => {
    const p = { jurisdictions: ['cn-zj-hangzhou', 'cn-bj', 'xx-somewhere'] };
    yes(cond('jurisdictions', 'intersects', ['cn-zj']), p);
    yes(cond('jurisdictions', 'contains', 'cn-bj'), p);
    no(cond('jurisdictions', 'contains', 'cn-gd'), p);
    no(cond('jurisdictions', 'intersects', ['cn-gd']), { jurisdictions: ['xx-somewhere'] });
    const context = createContext();
    const prepared = context.prepare(p);
    assert.deepEqual(context.decode('jurisdictions', prepared[context.slotOf('jurisdictions')]), [
      'cn',
      'cn-bj',
      'cn-zj',
      'cn-zj-hangzhou',
    ]);
  });

  it('keeps lists as arrays when the vocabulary is too large for a bit mask', () => {
    const tree = Object.fromEntries([
      ['cn', null],
      ...Array.from({ length: 40 }, (_, i) => [`cn-x${i}`, 'cn']),
    ]) as Record<string, string | null>;
    const context = createContext({ jurisdictions: tree });
    assert.equal(context.maskOf('jurisdictions', ['cn']), undefined);
    assert.deepEqual(context.prepare({ jurisdictions: ['cn-x39', 'cn-x1'] })[context.slotOf('jurisdictions')], [
      'cn-x39',
      'cn',
      'cn-x1',
    ]);
    const rule = cond('jurisdictions', 'intersects', ['cn-x1', 'cn-x2']);
    assert.equal(compile(rule, context).outcome({ jurisdictions: ['cn-x1'] }), 'applies');
    assert.equal(
      compile(cond('jurisdictions', 'contains', 'cn'), context).outcome({ jurisdictions: ['cn-x7'] }),
      'applies',
    );
    assert.equal(compile(rule, context).outcome({ jurisdictions: ['cn-x3'] }), 'does_not_apply');
    assert.equal(compile(rule, context).outcome({}), 'unknown');
  });

  it('uses the jurisdiction tree it is compiled with', () => {
    const tree = new Map<string, string | null>([
      ['cn', null],
      ['cn-gd', 'cn'],
      ['cn-gd-shenzhen', 'cn-gd'],
      ['cn-gd-shenzhen-nanshan', 'cn-gd-shenzhen'],
    ]);
    const compiled = compile(cond('jurisdictions', 'intersects', ['cn-gd-shenzhen']), { jurisdictions: tree });
    assert.equal(compiled.outcome({ jurisdictions: ['cn-gd-shenzhen-nanshan'] }), 'applies');
    assert.equal(interpret(compiled.rule, { jurisdictions: ['cn-gd-shenzhen-nanshan'] }, tree), 'applies');
    assert.throws(
      () => compile(cond('jurisdictions', 'contains', 'cn-bj'), { jurisdictions: tree }),
      /not a value of jurisdictions/,
    );
  });

  it('prepares a profile once and evaluates it against many rules', () => {
    const context = createContext();
    const prepared = context.prepare(shenzhen);
    const rules = ['cn', 'cn-gd', 'cn-gd-shenzhen', 'cn-bj'].map((code) =>
      compile(cond('jurisdictions', 'contains', code), context),
    );
    assert.deepEqual(
      rules.map((r) => r.outcome(prepared)),
      ['applies', 'applies', 'applies', 'does_not_apply'],
    );
    assert.equal(context.sourceOf(prepared), shenzhen);
  });
});
