// The pure rules of developments: which change-log entries count, and how instrument links are read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instrument, LifecycleEvent } from '../domain/types.ts';
import { changeDevelopment, citedInstruments, developmentsSince, type InstrumentChange } from './developments.ts';

const EFFECTIVE: LifecycleEvent = { type: 'effective', date: '2024-03-01', sources: [{ source: 's' }] };
const ADOPTED: LifecycleEvent = { type: 'adopted', date: '2024-01-10', sources: [{ source: 's' }] };

function instrument(events: LifecycleEvent[], title = 'T'): Instrument {
  return {
    id: 'i',
    title: { en: title, zh: title },
    kind: 'k',
    jurisdiction: 'cn',
    issuers: [],
    summary: { en: 's', zh: 's' },
    sources: [{ source: 's' }],
    events,
  };
}

/** A change-log entry as import and publication write it: `{position, doc}`. */
function entry(
  before: Instrument | null,
  after: Instrument | null,
  day = '2024-03-02',
  positions = [0, 0],
): InstrumentChange {
  return {
    seq: 1,
    recordedAt: `${day}T10:00:00.000Z`,
    instrument: 'i',
    change: after ? 'changed' : 'removed',
    before: before && JSON.stringify({ position: positions[0], doc: before }),
    after: after && JSON.stringify({ position: positions[1], doc: after }),
  };
}

describe('developments', () => {
  it('reads instrument: links, each once, in order', () => {
    assert.deepEqual(citedInstruments('[a](instrument:x) [b](instrument:y#sec) [c](instrument:x) [d](https://e)'), [
      'x',
      'y',
    ]);
  });

  it('names the fields a change changed', () => {
    const d = changeDevelopment(
      entry(instrument([ADOPTED]), instrument([ADOPTED], 'U')),
      { en: 'T', zh: 'T' },
      new Set(),
      '2024-02-29',
      '2024-03-02',
    );
    assert.deepEqual(d?.fields, ['title']);
  });

  it('leaves out a change that only moved the entity in the bundle', () => {
    const same = instrument([ADOPTED]);
    assert.equal(
      changeDevelopment(entry(same, same, '2024-03-02', [0, 5]), same.title, new Set(), '2024-02-29', '2024-03-02'),
      null,
    );
  });

  it('does not count twice a change that only added an event listed itself', () => {
    const before = instrument([ADOPTED]);
    const after = instrument([ADOPTED, EFFECTIVE]);
    const list = developmentsSince([after], [entry(before, after)], '2024-02-29', '2024-03-02');
    assert.deepEqual(
      list.map((d) => d.kind),
      ['event'],
    );
    // But an added event dated before the article (a correction of the record) is a change to the record.
    const corrected = instrument([ADOPTED, { ...EFFECTIVE, date: '2024-02-01' }]);
    const again = developmentsSince([corrected], [entry(before, corrected)], '2024-02-29', '2024-03-02');
    assert.deepEqual(
      again.map((d) => (d.kind === 'change' ? d.fields : d.kind)),
      [['events']],
    );
  });

  it('lists a removal, and nothing recorded on the day itself or after as_of', () => {
    const gone = developmentsSince([], [entry(instrument([ADOPTED]), null)], '2024-02-29', '2024-03-02');
    assert.deepEqual(
      gone.map((d) => (d.kind === 'change' ? d.change : d.kind)),
      ['removed'],
    );
    assert.deepEqual(
      developmentsSince([], [entry(instrument([ADOPTED]), null, '2024-02-29')], '2024-02-29', '2024-03-02'),
      [],
    );
    assert.deepEqual(
      developmentsSince([], [entry(instrument([ADOPTED]), null, '2024-03-03')], '2024-02-29', '2024-03-02'),
      [],
    );
  });
});
