import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { THROTTLE, throttleWait } from './accounts.service.ts';

const NOW = 10_000_000;
/** n failures, `gap` ms apart, the last `ago` ms before NOW. */
const failures = (n: number, gap: number, ago = 0) =>
  Array.from({ length: n }, (_, i) => NOW - ago - (n - 1 - i) * gap);

describe('login throttling', () => {
  it('lets the first failures of an account through, then makes each attempt wait twice as long', () => {
    assert.equal(throttleWait(failures(2, 100), NOW, THROTTLE.account), 0);
    assert.equal(throttleWait(failures(3, 100), NOW, THROTTLE.account), 1);
    assert.equal(throttleWait(failures(3, 100, 1000), NOW, THROTTLE.account), 0, 'waited long enough');
    assert.equal(throttleWait(failures(6, 100), NOW, THROTTLE.account), 8);
    assert.equal(throttleWait(failures(6, 100, 8000), NOW, THROTTLE.account), 0);
    assert.equal(throttleWait(failures(20, 10_000), NOW, THROTTLE.account), THROTTLE.maxDelaySeconds, 'at most 5 min');
  });

  it('refuses the 11th attempt in a minute for one account however the attempts were spaced', () => {
    const wait = throttleWait(failures(10, 5_000), NOW, { ...THROTTLE.account, delayFrom: 1000 });
    assert.ok(wait > 0 && wait <= 60, `waits ${wait} s`);
  });

  it('is more lenient per address (many people behind one), but not endless', () => {
    assert.equal(throttleWait(failures(19, 1000), NOW, THROTTLE.address), 0);
    assert.equal(throttleWait(failures(20, 1000), NOW, THROTTLE.address), 1);
    assert.ok(throttleWait(failures(50, 15_000), NOW, THROTTLE.address) > 0, '50 in 15 minutes: refused');
  });
});
