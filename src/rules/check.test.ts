import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { all, any, cond, not } from './ast.ts';
import { checkRule, isValidRule } from './check.ts';
import { InvalidRuleError, compile } from './compile.ts';
import { FACTS, withValues } from './facts.ts';

/** The issues of a rule as `path: message` lines. */
const issues = (rule: unknown): string[] => checkRule(rule).map((i) => `${i.path}: ${i.message}`);
const pathsOf = (rule: unknown): string[] => checkRule(rule).map((i) => i.path);

describe('checking a rule', () => {
  it('accepts well-formed rules of every shape', () => {
    const rule = all(
      [
        cond('jurisdictions', 'intersects', ['cn-gd-shenzhen'], {
          label: { en: 'In Shenzhen', zh: '在深圳' },
          citation: { instrument: 'x', provision: 'Art. 66' },
        }),
        any([cond('size.employees', 'gte', 300), cond('size.annualRevenueCny', 'gte', 2e8)]),
        not(cond('product.riskLevel', 'in', ['high'])),
        cond('data.crossBorderTransfer', 'exists', false),
        cond('product.riskLevel', 'lte', 'medium'),
        cond('name', 'ne', 'Acme'),
      ],
      { id: 'r1' },
    );
    assert.deepEqual(issues(rule), []);
    assert.ok(isValidRule(rule));
  });

  it('reports unknown facts and operators at their paths', () => {
    assert.deepEqual(pathsOf({ all: [{ fact: 'product.colour', op: 'eq', value: 'red' }] }), ['all[0].fact']);
    assert.deepEqual(pathsOf({ any: [cond('name', 'eq', 'a'), { fact: 'name', op: 'like', value: 'a' }] }), [
      'any[1].op',
    ]);
    assert.match(
      issues({ fact: 'product.colour', op: 'eq', value: 'x' })[0] ?? '',
      /^fact: unknown fact 'product.colour'/,
    );
  });

  it('reports a value of the wrong type for the fact and operator', () => {
    assert.deepEqual(pathsOf({ fact: 'sectors', op: 'gt', value: 3 }), ['op'], 'gt on a list');
    assert.deepEqual(
      pathsOf({ fact: 'sectors', op: 'intersects', value: 'finance' }),
      ['value'],
      'intersects with a non-array',
    );
    assert.deepEqual(
      pathsOf({ fact: 'data.crossBorderTransfer', op: 'eq', value: 'true' }),
      ['value'],
      'eq on boolean with a string',
    );
    assert.deepEqual(pathsOf({ fact: 'size.employees', op: 'gt', value: '100' }), ['value']);
    assert.deepEqual(pathsOf({ fact: 'size.employees', op: 'in', value: [1, 'two'] }), ['value[1]']);
    assert.deepEqual(pathsOf({ fact: 'product.riskLevel', op: 'in', value: 'low' }), ['value']);
    assert.deepEqual(pathsOf({ fact: 'data.crossBorderTransfer', op: 'in', value: [true] }), ['op']);
    assert.deepEqual(pathsOf({ fact: 'name', op: 'contains', value: 'Ac' }), ['op']);
    assert.deepEqual(pathsOf({ fact: 'name', op: 'eq' }), ['value'], 'a missing value');
    assert.deepEqual(pathsOf({ fact: 'name', op: 'exists', value: 'yes' }), ['value']);
  });

  it('reports codes outside a closed set', () => {
    assert.deepEqual(issues({ fact: 'product.riskLevel', op: 'eq', value: 'extreme' }), [
      "value: 'extreme' is not a value of product.riskLevel (low, medium, high)",
    ]);
    assert.deepEqual(
      pathsOf({
        all: [cond('name', 'eq', 'a'), { any: [cond('sectors', 'intersects', ['finance', 'manufactoring'])] }],
      }),
      ['all[1].any[0].value[1]'],
    );
    assert.deepEqual(pathsOf(cond('jurisdictions', 'contains', 'cn-xj')), ['value']);
    assert.deepEqual(pathsOf(cond('activities', 'contains', 'mines-bitcoin')), ['value']);
  });

  it('accepts codes added to the catalogue', () => {
    const facts = withValues(FACTS, 'sectors', {
      'low-altitude-economy': { en: 'Low-altitude economy', zh: '低空经济' },
    });
    assert.deepEqual(checkRule(cond('sectors', 'contains', 'low-altitude-economy'), facts), []);
    assert.ok(facts.sectors?.values?.includes('finance'));
  });

  it('reports an empty all or any, or an empty list of values', () => {
    assert.deepEqual(pathsOf({ all: [] }), ['all']);
    assert.deepEqual(pathsOf({ all: [{ any: [] }] }), ['all[0].any']);
    assert.deepEqual(pathsOf({ all: [cond('name', 'eq', 'a'), { any: [{ not: { all: [] } }] }] }), [
      'all[1].any[0].not.all',
    ]);
    assert.deepEqual(pathsOf({ fact: 'sectors', op: 'intersects', value: [] }), ['value']);
    assert.deepEqual(pathsOf({ all: 'x' }), ['all']);
  });

  it('reports malformed nodes, unknown keys, labels and citations', () => {
    assert.deepEqual(pathsOf(null), ['']);
    assert.deepEqual(pathsOf({ all: [42] }), ['all[0]']);
    assert.deepEqual(pathsOf({}), ['']);
    assert.deepEqual(pathsOf({ all: [cond('name', 'eq', 'a')], any: [cond('name', 'eq', 'b')] }), ['']);
    assert.deepEqual(pathsOf({ fact: 'name', op: 'eq', value: 'a', lable: { en: 'x' } }), ['lable']);
    assert.deepEqual(pathsOf({ all: [cond('name', 'eq', 'a')], label: { en: 'x', fr: 'y' } }), ['label.fr']);
    assert.deepEqual(pathsOf({ all: [cond('name', 'eq', 'a')], label: 'x' }), ['label']);
    assert.deepEqual(pathsOf({ not: cond('name', 'eq', 'a'), citation: { page: 3 } }), ['citation.page']);
    assert.deepEqual(pathsOf({ not: cond('name', 'eq', 'a'), id: 7 }), ['id']);
  });

  it('reports comparisons that can never hold', () => {
    assert.deepEqual(pathsOf(cond('product.riskLevel', 'gt', 'high')), ['value']);
    assert.deepEqual(pathsOf(cond('product.riskLevel', 'lt', 'low')), ['value']);
    assert.deepEqual(pathsOf(cond('product.riskLevel', 'not_in', ['low', 'medium', 'high'])), ['value']);
    assert.deepEqual(pathsOf(cond('size.employees', 'lt', 0)), ['value']);
    assert.deepEqual(pathsOf(cond('size.employees', 'eq', 2.5)), ['value'], 'employees are whole');
    assert.deepEqual(pathsOf(cond('size.employees', 'lte', 0)), [], 'zero employees is possible');
  });

  it('reports sibling conditions under all that contradict each other', () => {
    assert.deepEqual(
      issues(all([cond('size.employees', 'gt', 100), cond('name', 'eq', 'a'), cond('size.employees', 'lt', 50)])),
      ['all[2]: can never hold together with all[0]: no size.employees satisfies them all'],
    );
    assert.deepEqual(pathsOf(all([cond('product.riskLevel', 'eq', 'low'), cond('product.riskLevel', 'eq', 'high')])), [
      'all[1]',
    ]);
    assert.deepEqual(
      pathsOf(any([all([cond('data.crossBorderTransfer', 'eq', true), cond('data.crossBorderTransfer', 'ne', true)])])),
      ['any[0].all[1]'],
    );
    assert.deepEqual(
      pathsOf(all([cond('size.employees', 'gte', 100), cond('size.employees', 'lte', 100)])),
      [],
      'exactly 100 is possible',
    );
    assert.deepEqual(
      pathsOf(all([cond('size.employees', 'gt', 100), cond('size.employees', 'lt', 101)])),
      ['all[1]'],
      'no whole number between',
    );
    assert.deepEqual(
      pathsOf(all([cond('size.annualRevenueCny', 'gt', 100), cond('size.annualRevenueCny', 'lt', 101)])),
      [],
      'revenue need not be whole',
    );
    assert.deepEqual(
      pathsOf(any([cond('product.riskLevel', 'eq', 'low'), cond('product.riskLevel', 'eq', 'high')])),
      [],
    );
  });

  it('makes compile throw with every issue', () => {
    assert.throws(
      () => compile({ all: [{ fact: 'nope', op: 'eq', value: 1 }, { any: [] }] }),
      (e: unknown) => e instanceof InvalidRuleError && e.issues.length === 2 && /all\[1\]\.any/.test(e.message),
    );
  });
});
