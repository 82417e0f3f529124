// Retry timing and digest days: pure parts of the outbox.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, idempotencyKey, localTime } from './outbox.ts';

describe('outbox timing', () => {
  it('backs off exponentially, with jitter between half and all of the step, capped at a day', () => {
    assert.equal(
      backoffMs(1, 1000, () => 0),
      500,
    );
    assert.equal(
      backoffMs(1, 1000, () => 0.999999),
      1000,
    );
    assert.equal(
      backoffMs(3, 1000, () => 0),
      2000,
    );
    assert.equal(
      backoffMs(4, 1000, () => 0.5),
      6000,
    );
    assert.equal(
      backoffMs(40, 1000, () => 0),
      43_200_000,
      'half of the one-day cap',
    );
    assert.ok(backoffMs(40, 1000, () => 0.999999) <= 86_400_000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(5, 1000)));
    assert.ok(spread.size > 10, 'jitter spreads retries');
    for (const d of spread) assert.ok(d >= 8000 && d <= 16000, `${d} within [8000, 16000]`);
  });

  it('gives one stable idempotency key per subscription and set of events', () => {
    assert.equal(idempotencyKey('s_1', [1, 2]), idempotencyKey('s_1', [1, 2]));
    assert.notEqual(idempotencyKey('s_1', [1, 2]), idempotencyKey('s_1', [1, 3]));
    assert.notEqual(idempotencyKey('s_1', [1]), idempotencyKey('s_2', [1]));
    assert.match(idempotencyKey('s_1', [1]), /^hz_[0-9a-f]{40}$/);
  });

  it('reads the local day, hour and weekday of the configured time zone', () => {
    // 23:30 UTC on Sunday 29 Nov 2026 is 07:30 on Monday 30 Nov in Shanghai.
    assert.deepEqual(localTime(new Date('2026-11-29T23:30:00Z'), 'Asia/Shanghai'), {
      day: '2026-11-30',
      hour: 7,
      weekday: 1,
    });
    assert.deepEqual(localTime(new Date('2026-11-29T23:30:00Z'), 'UTC'), { day: '2026-11-29', hour: 23, weekday: 7 });
  });
});
