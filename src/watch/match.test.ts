// Matching subscriptions to events: the filter semantics, and that the anchor index never misses a match.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../rules/prng.ts';
import { ancestorsFrom } from '../domain/jurisdictions.ts';
import { anchorsOf, lookupsOf, matches } from './match.ts';
import { CHANGE_KINDS, type ChangeKind, type SubscriptionFilter, type WatchEvent } from './types.ts';

const tree = new Map<string, string | null>([
  ['cn', null],
  ['cn-gd', 'cn'],
  ['cn-gd-shenzhen', 'cn-gd'],
  ['cn-sh', 'cn'],
  ['cn-bj', 'cn'],
]);
const ancestors = ancestorsFrom(tree);

const filter = (f: Partial<SubscriptionFilter> = {}): SubscriptionFilter => ({
  jurisdictions: [],
  topics: [],
  instruments: [],
  programmes: [],
  kinds: [],
  ...f,
});

const event = (e: Partial<WatchEvent> = {}): WatchEvent => ({
  kind: 'new-event',
  key: 'k',
  occurredAt: '2026-11-29T00:00:00.000Z',
  instrument: 'sz-regs',
  jurisdiction: 'cn-gd-shenzhen',
  topics: ['ai-industry-promotion'],
  programmes: ['sz-access'],
  title: { en: 't', zh: 't' },
  summary: { en: 's', zh: 's' },
  path: '/',
  ...e,
});

describe('subscription matching', () => {
  it('takes events of descendant jurisdictions, not of siblings or ancestors', () => {
    const gd = filter({ jurisdictions: ['cn-gd'] });
    assert.equal(matches(gd, event(), ancestors), true);
    assert.equal(matches(gd, event({ jurisdiction: 'cn-gd' }), ancestors), true);
    assert.equal(matches(gd, event({ jurisdiction: 'cn' }), ancestors), false);
    assert.equal(matches(gd, event({ jurisdiction: 'cn-sh' }), ancestors), false);
    assert.equal(matches(filter({ jurisdictions: ['cn'] }), event(), ancestors), true);
  });

  it('narrows by kind, topic, instrument and programme (AND between lists, OR within one)', () => {
    assert.equal(matches(filter({ kinds: ['status-changed'] }), event(), ancestors), false);
    assert.equal(matches(filter({ kinds: ['status-changed', 'new-event'] }), event(), ancestors), true);
    assert.equal(matches(filter({ topics: ['compute-vouchers'] }), event(), ancestors), false);
    assert.equal(matches(filter({ topics: ['compute-vouchers', 'ai-industry-promotion'] }), event(), ancestors), true);
    assert.equal(matches(filter({ instruments: ['other'] }), event(), ancestors), false);
    assert.equal(matches(filter({ programmes: ['sz-access'], jurisdictions: ['cn-sh'] }), event(), ancestors), false);
    assert.equal(matches(filter({ programmes: ['sz-access'], jurisdictions: ['cn'] }), event(), ancestors), true);
    assert.equal(matches(filter(), event(), ancestors), true);
  });

  it('sends dates ahead only to subscriptions that chose that many days', () => {
    const soon = event({ kind: 'effective-soon', aheadDays: 30, day: '2026-12-29' });
    assert.equal(matches(filter({ effectiveAhead: 30 }), soon, ancestors), true);
    assert.equal(matches(filter({ effectiveAhead: 7 }), soon, ancestors), false);
    assert.equal(matches(filter(), soon, ancestors), false);
    assert.equal(matches(filter({ kinds: ['status-changed'], effectiveAhead: 30 }), soon, ancestors), true);
    const deadline = event({ kind: 'comment-deadline-soon', aheadDays: 7 });
    assert.equal(matches(filter({ deadlineAhead: 7 }), deadline, ancestors), true);
    assert.equal(matches(filter({ effectiveAhead: 7 }), deadline, ancestors), false);
  });

  it('keeps a profile’s eligibility events to subscriptions to that profile', () => {
    const elig = event({ kind: 'eligibility-changed', profile: 'p1' });
    assert.equal(matches(filter({ profile: 'p1' }), elig, ancestors), true);
    assert.equal(matches(filter({ profile: 'p2' }), elig, ancestors), false);
    assert.equal(matches(filter(), elig, ancestors), false);
    assert.equal(matches(filter({ jurisdictions: ['cn'] }), elig, ancestors), false);
    assert.equal(matches(filter({ profile: 'p1' }), event(), ancestors), false);
  });

  it('files a subscription under its most selective dimension', () => {
    assert.deepEqual(anchorsOf(filter({ instruments: ['a', 'b'], jurisdictions: ['cn'] })), [
      { dim: 'instrument', code: 'a' },
      { dim: 'instrument', code: 'b' },
    ]);
    assert.deepEqual(anchorsOf(filter({ jurisdictions: ['cn-sh'], topics: ['x'] })), [
      { dim: 'jurisdiction', code: 'cn-sh' },
    ]);
    assert.deepEqual(anchorsOf(filter()), [{ dim: 'all', code: '*' }]);
    assert.deepEqual(
      anchorsOf(filter({ kinds: ['new-instrument'], effectiveAhead: 3 })).map((a) => a.code),
      ['new-instrument', 'effective-soon'],
    );
  });

  it('never misses: whenever a filter takes an event, the event looks up one of its anchors (10,000 random pairs)', () => {
    const random = seeded(5);
    const rng = () => random.next();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
    const some = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => rng() < p);
    const codes = [...tree.keys()];
    let matched = 0;
    for (let i = 0; i < 10_000; i++) {
      const f = filter({
        jurisdictions: some(codes, 0.2),
        topics: some(['t1', 't2', 't3'], 0.2),
        instruments: some(['i1', 'i2', 'i3'], 0.15),
        programmes: some(['p1', 'p2'], 0.15),
        kinds: some<ChangeKind>(CHANGE_KINDS, 0.15),
        ...(rng() < 0.1 ? { profile: pick(['u1', 'u2']) } : {}),
        ...(rng() < 0.2 ? { effectiveAhead: pick([7, 30]) } : {}),
        ...(rng() < 0.2 ? { deadlineAhead: pick([7, 30]) } : {}),
      });
      const kind = pick(CHANGE_KINDS);
      const e = event({
        kind,
        instrument: pick(['i1', 'i2', 'i3']),
        jurisdiction: pick(codes),
        topics: some(['t1', 't2', 't3'], 0.5),
        programmes: some(['p1', 'p2'], 0.5),
        ...(kind === 'eligibility-changed' ? { profile: pick(['u1', 'u2']) } : {}),
        ...(kind.endsWith('-soon') ? { aheadDays: pick([7, 30]) } : {}),
      });
      if (!matches(f, e, ancestors)) continue;
      matched++;
      const lookups = new Set(lookupsOf(e, ancestors).map((l) => `${l.dim}:${l.code}`));
      const hit = anchorsOf(f).some((a) => lookups.has(`${a.dim}:${a.code}`));
      assert.ok(hit, `missed ${JSON.stringify(f)} for ${JSON.stringify(e)}`);
    }
    assert.ok(matched > 300, `only ${matched} matching pairs: the test would prove little`);
  });
});
