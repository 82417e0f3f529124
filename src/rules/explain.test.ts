import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { all, any, cond, not } from './ast.ts';
import { compile } from './compile.ts';
import { createContext } from './context.ts';
import { describeCondition, explain } from './explain.ts';
import type { ExplainedGroup, ExplainedLeaf } from './explain.ts';
import { FACTS } from './facts.ts';
import type { Profile } from './facts.ts';

const shenzhenAccess = all(
  [
    cond('jurisdictions', 'intersects', ['cn-gd-shenzhen'], {
      label: { en: 'Registered or operating in Shenzhen', zh: '在深圳注册或经营' },
      citation: { instrument: 'cn-gd-shenzhen-ai-industry-regulations' },
    }),
    cond('product.riskLevel', 'eq', 'low', {
      label: { en: 'The AI product or service is low-risk', zh: '人工智能产品或服务属于低风险' },
    }),
    cond('product.hasNationalOrLocalStandard', 'eq', false, {
      label: { en: 'No national or local standard exists for it' },
    }),
    cond('product.meetsInternationalStandard', 'eq', true),
  ],
  { id: 'cn-gd-shenzhen-innovative-product-access', label: { en: 'Shenzhen innovative product access' } },
);
const compiled = compile(shenzhenAccess);
const leaf = (node: ExplainedGroup, i: number): ExplainedLeaf => node.children[i] as ExplainedLeaf;

describe('explanations', () => {
  it('give every node its result, and each condition the profile value it looked at, label and citation', () => {
    const profile: Profile = {
      jurisdictions: ['cn-gd-shenzhen'],
      product: { riskLevel: 'high', hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
    };
    const e = explain(compiled, profile);
    assert.equal(e.outcome, 'does_not_apply');
    const root = e.root as ExplainedGroup;
    assert.equal(root.kind, 'all');
    assert.equal(root.result, 'does_not_apply');
    assert.equal(root.id, 'cn-gd-shenzhen-innovative-product-access');
    assert.deepEqual(root.text, { en: 'Shenzhen innovative product access', zh: 'Shenzhen innovative product access' });
    assert.deepEqual(
      root.children.map((c) => c.result),
      ['applies', 'does_not_apply', 'applies', 'applies'],
    );
    const where = leaf(root, 0);
    assert.equal(where.path, 'all[0]');
    assert.equal(where.fact, 'jurisdictions');
    assert.deepEqual(where.actual, ['cn-gd-shenzhen']);
    assert.deepEqual(where.seen, ['cn', 'cn-gd', 'cn-gd-shenzhen'], 'with its ancestors, in vocabulary order');
    assert.deepEqual(where.label, { en: 'Registered or operating in Shenzhen', zh: '在深圳注册或经营' });
    assert.deepEqual(where.citation, { instrument: 'cn-gd-shenzhen-ai-industry-regulations' });
    assert.equal(leaf(root, 1).actual, 'high');
    assert.equal(leaf(root, 1).value, 'low');
    assert.equal(
      leaf(root, 2).text.zh,
      'No national or local standard exists for it',
      'a missing language falls back to the other',
    );
    assert.deepEqual(leaf(root, 3).text, { en: 'Meets an international standard: yes', zh: '符合国际标准：是' });
  });

  it('leave a missing fact’s value undefined and its condition unknown', () => {
    const e = explain(compiled, { jurisdictions: ['cn-bj'] });
    assert.equal(e.outcome, 'does_not_apply');
    const risk = leaf(e.root as ExplainedGroup, 1);
    assert.equal(risk.result, 'unknown');
    assert.equal(risk.actual, undefined);
    assert.equal(risk.seen, undefined);
  });

  it('describe conditions without labels in both languages', () => {
    assert.deepEqual(
      describeCondition({ fact: 'sectors', op: 'intersects', value: ['education', 'elderly-care'] }, FACTS),
      {
        en: 'Fields include any of Education, Elderly care',
        zh: '所属领域包含教育、养老中任一项',
      },
    );
    assert.deepEqual(describeCondition({ fact: 'size.employees', op: 'lt', value: 300 }, FACTS), {
      en: 'Employees is less than 300',
      zh: '从业人员数小于300',
    });
    const e = explain(compile(not(cond('product.riskLevel', 'eq', 'high'))), { product: { riskLevel: 'low' } });
    assert.equal(e.root.kind, 'not');
    assert.equal(e.root.child.text.en, 'Risk level of the AI product is High');
  });

  it('work on prepared profiles too', () => {
    const context = createContext();
    const p = context.prepare({ jurisdictions: ['cn-gd-shenzhen'], product: { riskLevel: 'low' } });
    const e = explain(compile(shenzhenAccess, context), p);
    assert.equal(e.outcome, 'unknown');
    assert.deepEqual(leaf(e.root as ExplainedGroup, 0).actual, ['cn-gd-shenzhen']);
  });
});

describe('missing facts', () => {
  it('name the one fact that would decide the Shenzhen access rule', () => {
    const e = explain(compiled, {
      jurisdictions: ['cn-gd-shenzhen'],
      product: { hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
    });
    assert.equal(e.outcome, 'unknown');
    assert.deepEqual(e.missing, ['product.riskLevel']);
    assert.equal(e.questions[0]?.settles, 3);
    assert.equal(e.nearMiss, undefined);
  });

  it('are empty when the outcome is decided, even with facts missing', () => {
    const e = explain(compiled, { jurisdictions: ['cn-bj'] });
    assert.equal(e.outcome, 'does_not_apply');
    assert.deepEqual(e.missing, []);
  });

  it('rank first a fact that could settle the outcome alone', () => {
    const rule = all([
      any([cond('size.employees', 'gte', 300), cond('size.annualRevenueCny', 'gte', 2e8)]),
      cond('product.riskLevel', 'eq', 'low'),
    ]);
    const e = explain(compile(rule), {});
    assert.deepEqual(e.missing, ['product.riskLevel', 'size.employees', 'size.annualRevenueCny']);
    assert.ok((e.questions[0]?.settles ?? 0) > 0);
    assert.equal(e.questions[1]?.settles, 0, 'employees alone never settles: revenue or risk stays open');
  });

  it('prefer facts whose values settle more often, then facts read by more conditions', () => {
    // riskLevel=high alone settles (does not apply); the boolean settles only when false, in either branch.
    const rule = all([
      cond('product.riskLevel', 'ne', 'high'),
      any([cond('data.handlesImportantData', 'eq', true), cond('data.crossBorderTransfer', 'eq', true)]),
      any([cond('data.handlesImportantData', 'eq', true), cond('size.employees', 'gt', 10)]),
    ]);
    const e = explain(compile(rule), { product: { riskLevel: 'low' } });
    assert.equal(e.outcome, 'unknown');
    assert.equal(
      e.missing[0],
      'data.handlesImportantData',
      'read by two conditions and settles both branches when true',
    );
  });

  it('leave out facts whose conditions no longer matter', () => {
    const rule = all([
      any([cond('data.crossBorderTransfer', 'eq', true), cond('size.employees', 'gt', 10)]),
      cond('product.riskLevel', 'eq', 'low'),
    ]);
    const e = explain(compile(rule), { data: { crossBorderTransfer: true } });
    assert.deepEqual(e.missing, ['product.riskLevel']);
  });
});

describe('near misses', () => {
  it('name the one condition that kept the rule from applying', () => {
    const e = explain(compiled, {
      jurisdictions: ['cn-gd-shenzhen'],
      product: { riskLevel: 'medium', hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
    });
    assert.equal(e.outcome, 'does_not_apply');
    assert.equal(e.nearMiss?.fact, 'product.riskLevel');
    assert.equal(e.nearMiss?.op, 'eq');
    assert.equal(e.nearMiss?.value, 'low');
    assert.equal(e.nearMiss?.actual, 'medium');
    assert.equal(e.nearMiss?.wanted, true);
    assert.deepEqual(e.nearMiss?.label, {
      en: 'The AI product or service is low-risk',
      zh: '人工智能产品或服务属于低风险',
    });
  });

  it('are absent when two conditions fail, or when another condition is unknown', () => {
    const twoFail = explain(compiled, {
      jurisdictions: ['cn-bj'],
      product: { riskLevel: 'high', hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
    });
    assert.equal(twoFail.nearMiss, undefined);
    assert.deepEqual(twoFail.nearMisses, []);
    const withUnknown = explain(compiled, {
      jurisdictions: ['cn-bj'],
      product: { riskLevel: 'low', hasNationalOrLocalStandard: false },
    });
    assert.equal(withUnknown.nearMiss, undefined);
  });

  it('see through not: a condition that held but should not have', () => {
    const rule = all([cond('jurisdictions', 'contains', 'cn'), not(cond('data.crossBorderTransfer', 'eq', true))]);
    const e = explain(compile(rule), { jurisdictions: ['cn-sh'], data: { crossBorderTransfer: true } });
    assert.equal(e.nearMiss?.fact, 'data.crossBorderTransfer');
    assert.equal(e.nearMiss?.wanted, false);
  });

  it('list every alternative when any one of several conditions would do', () => {
    const rule = any([cond('scenarios', 'contains', 'smart-court'), cond('sectors', 'contains', 'education')]);
    const e = explain(compile(rule), { scenarios: [], sectors: [] });
    assert.equal(e.nearMiss, undefined);
    assert.deepEqual(
      e.nearMisses.map((n) => n.fact),
      ['scenarios', 'sectors'],
    );
  });
});
