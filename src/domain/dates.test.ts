import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPartialDate, isDay, parsePartialDate } from './dates.ts';

describe('partial dates', () => {
  it('accepts real days, months and years with their precision', () => {
    assert.deepEqual(parsePartialDate('2024-02-29'), {
      text: '2024-02-29',
      precision: 'day',
      first: '2024-02-29',
      last: '2024-02-29',
    });
    assert.equal(parsePartialDate('2023-02')?.last, '2023-02-28');
    assert.equal(parsePartialDate('2024-02')?.last, '2024-02-29');
    assert.equal(parsePartialDate('2017')?.precision, 'year');
  });

  it('refuses days that do not exist and malformed text', () => {
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '2022-13-01',
      '2022-00',
      '2022-9-5',
      '22-09-05',
      '2022-09-05T00:00',
      '',
    ]) {
      assert.equal(parsePartialDate(bad), null, bad);
    }
    assert.equal(isDay('2024-13-01'), false);
    assert.equal(isDay('2022-10-01'), true);
  });

  it('formats for readers in English and Chinese at the date’s precision', () => {
    assert.equal(formatPartialDate('2022-09-05', 'en'), '5 September 2022');
    assert.equal(formatPartialDate('2023-10', 'en'), 'October 2023');
    assert.equal(formatPartialDate('2022-09-05', 'zh'), '2022年9月5日');
    assert.equal(formatPartialDate('2017', 'zh'), '2017年');
  });
});
