import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventDay, firstDay, statusAsOf } from './status.ts';
import type { LifecycleEvent } from './types.ts';

const ev = (type: LifecycleEvent['type'], date: string | null): LifecycleEvent => ({ type, date });

describe('instrument status as of a date', () => {
  const law = [
    ev('draft-published', '2022-08-30'),
    ev('comment-deadline', '2022-09-13'),
    ev('adopted', '2022-09-22'),
    ev('effective', '2022-10-01'),
  ];

  it('does not exist before its first event', () => {
    assert.equal(statusAsOf(law, 'binding', '2022-08-29'), null);
  });

  it('is a draft once the draft is published, until adopted', () => {
    assert.equal(statusAsOf(law, 'binding', '2022-08-30'), 'draft');
    assert.equal(statusAsOf(law, 'binding', '2022-09-21'), 'draft');
  });

  it('is adopted, not in force, between adoption and its effective date', () => {
    assert.equal(statusAsOf(law, 'binding', '2022-09-22'), 'adopted');
    assert.equal(statusAsOf(law, 'binding', '2022-09-30'), 'adopted');
  });

  it('is in force from its effective date', () => {
    assert.equal(statusAsOf(law, 'binding', '2022-10-01'), 'in_force');
    assert.equal(statusAsOf(law, 'binding', '2030-01-01'), 'in_force');
  });

  it('is issued, never in force, when non-binding', () => {
    const plan = [ev('published', '2022-08-12')];
    assert.equal(statusAsOf(plan, 'non-binding', '2022-08-11'), null);
    assert.equal(statusAsOf(plan, 'non-binding', '2022-08-12'), 'issued');
    assert.equal(statusAsOf([ev('draft-published', '2023-10-11')], 'non-binding', '2023-10-11'), 'draft');
  });

  it('ends repealed, superseded or expired from that event on, the latest such event winning', () => {
    const notice = [ev('published', '2021-09-24'), ev('effective', '2021-09-24'), ev('repealed', '2026-02-06')];
    assert.equal(statusAsOf(notice, 'binding', '2026-02-05'), 'in_force');
    assert.equal(statusAsOf(notice, 'binding', '2026-02-06'), 'repealed');
    const both = [ev('published', '2020-01-01'), ev('superseded', '2021-01-01'), ev('expired', '2022-01-01')];
    assert.equal(statusAsOf(both, 'non-binding', '2021-06-01'), 'superseded');
    assert.equal(statusAsOf(both, 'non-binding', '2022-06-01'), 'expired');
  });

  it('ignores events whose date is unknown', () => {
    assert.equal(statusAsOf([ev('adopted', null), ev('published', '2025-03-14')], 'binding', '2025-03-13'), null);
  });

  it('counts a month- or year-precision date from the last day of that month or year', () => {
    const approx = [ev('published', '2023-10')];
    assert.equal(eventDay(approx[0] as LifecycleEvent), '2023-10-31');
    assert.equal(statusAsOf(approx, 'non-binding', '2023-10-30'), null);
    assert.equal(statusAsOf(approx, 'non-binding', '2023-10-31'), 'issued');
    assert.equal(eventDay(ev('published', '2017')), '2017-12-31');
  });

  it('counts a month- or year-precision expiry from the day after that period (valid through the period named)', () => {
    const plan = [ev('published', '2023-10'), ev('expired', '2025')];
    assert.equal(eventDay(plan[1] as LifecycleEvent), '2026-01-01');
    assert.equal(statusAsOf(plan, 'non-binding', '2025-12-31'), 'issued');
    assert.equal(statusAsOf(plan, 'non-binding', '2026-01-01'), 'expired');
    assert.equal(eventDay(ev('expired', '2024-02')), '2024-03-01');
    assert.equal(eventDay(ev('expired', '2024-02-10')), '2024-02-10', 'a day-precision expiry is the day it ended');
  });

  it('uses the preferred claim of a disputed date', () => {
    const disputed: LifecycleEvent = {
      type: 'announced',
      claims: [
        { date: '2022-09-06', sources: [{ source: 'seed' }] },
        { date: '2022-09-05', preferred: true, sources: [{ source: 'announcement' }] },
      ],
    };
    assert.equal(eventDay(disputed), '2022-09-05');
    assert.equal(statusAsOf([disputed], 'binding', '2022-09-05'), 'adopted');
    assert.equal(firstDay([ev('effective', '2022-11-01'), disputed]), '2022-09-05');
  });
});
