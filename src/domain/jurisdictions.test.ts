import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ancestorsFrom, ancestorsOf, depthOf, descendantsOf, treeOf } from './jurisdictions.ts';

const tree = treeOf([
  { code: 'cn' },
  { code: 'cn-gd', parent: 'cn' },
  { code: 'cn-gd-shenzhen', parent: 'cn-gd' },
  { code: 'cn-sh', parent: 'cn' },
]);

describe('the jurisdiction tree', () => {
  it('lists a code and every one above it, nearest first', () => {
    assert.deepEqual(ancestorsOf(tree, 'cn-gd-shenzhen'), ['cn-gd-shenzhen', 'cn-gd', 'cn']);
    assert.deepEqual(ancestorsFrom(tree)('cn-sh'), ['cn-sh', 'cn']);
  });
  it('lists a code and everything below it, each once', () => {
    assert.deepEqual(descendantsOf(tree, ['cn-gd']), ['cn-gd', 'cn-gd-shenzhen']);
    assert.deepEqual(descendantsOf(tree, ['cn-sh', 'cn-sh']), ['cn-sh']);
  });
  it('gives the depth below a root', () => {
    assert.equal(depthOf(tree, 'cn'), 0);
    assert.equal(depthOf(tree, 'cn-gd-shenzhen'), 2);
  });
  it('ends a walk on a loop in bad data', () => {
    assert.deepEqual(
      ancestorsOf(
        new Map([
          ['a', 'b'],
          ['b', 'a'],
        ]),
        'a',
      ),
      ['a', 'b'],
    );
  });
});
