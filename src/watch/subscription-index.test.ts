// The in-memory subscription index finds exactly what checking every subscription would, and forgets deleted ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../rules/prng.ts';
import { ancestorsFrom } from '../domain/jurisdictions.ts';
import { matches } from './match.ts';
import { SubscriptionIndex, type IndexedSubscription } from './subscription-index.ts';
import { CHANGE_KINDS, type ChangeKind, type WatchEvent } from './types.ts';

const tree = new Map<string, string | null>([
  ['cn', null],
  ['cn-gd', 'cn'],
  ['cn-gd-shenzhen', 'cn-gd'],
  ['cn-sh', 'cn'],
  ['us', null],
]);
const ancestors = ancestorsFrom(tree);
const codes = [...tree.keys()];

describe('subscription index', () => {
  const random = seeded(11);
  const some = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => random.next() < p);
  const subs: IndexedSubscription[] = Array.from({ length: 3000 }, (_, i) => ({
    id: `s${i}`,
    channel: random.pick(['webhook', 'email', 'atom'] as const),
    digest: 'none',
    since: random.chance(0.1) ? 2_000 : 0,
    filter: {
      jurisdictions: some(codes, 0.15),
      topics: some(['t1', 't2', 't3'], 0.15),
      instruments: some(['i1', 'i2', 'i3', 'i4'], 0.1),
      programmes: some(['p1', 'p2'], 0.1),
      kinds: some<ChangeKind>(CHANGE_KINDS, 0.15),
      ...(random.chance(0.05) ? { profile: random.pick(['u1', 'u2']) } : {}),
      ...(random.chance(0.1) ? { effectiveAhead: random.pick([7, 30]) } : {}),
    },
  }));
  const events: WatchEvent[] = Array.from({ length: 300 }, (_, i) => {
    const kind = random.pick(CHANGE_KINDS);
    return {
      kind,
      key: `e${i}`,
      occurredAt: new Date(random.chance(0.5) ? 1_000 : 3_000).toISOString(),
      instrument: random.pick(['i1', 'i2', 'i3', 'i4']),
      jurisdiction: random.pick(codes),
      topics: some(['t1', 't2', 't3'], 0.4),
      programmes: some(['p1', 'p2'], 0.4),
      ...(kind === 'eligibility-changed' ? { profile: random.pick(['u1', 'u2']) } : {}),
      ...(kind.endsWith('-soon') ? { aheadDays: random.pick([7, 30]) } : {}),
      title: { en: '', zh: '' },
      summary: { en: '', zh: '' },
      path: '/',
    };
  });
  const scan = (list: readonly IndexedSubscription[], e: WatchEvent) =>
    list
      .filter(
        (s) => s.channel !== 'atom' && (s.since ?? 0) <= Date.parse(e.occurredAt) && matches(s.filter, e, ancestors),
      )
      .map((s) => s.id)
      .sort();

  it('finds what a scan of every subscription finds, for 300 random events', () => {
    const index = new SubscriptionIndex();
    for (const s of subs) index.add(s);
    let total = 0;
    for (const e of events) {
      const found = index
        .match(e, ancestors)
        .map((m) => m.id)
        .sort();
      assert.deepEqual(found, scan(subs, e), `event ${e.key}`);
      total += found.length;
    }
    assert.ok(total > 1000, `only ${total} matches: the test would prove little`);
  });

  it('forgets removed subscriptions and takes a re-added one once', () => {
    const index = new SubscriptionIndex();
    for (const s of subs) index.add(s);
    const gone = new Set(subs.filter((_, i) => i % 3 === 0).map((s) => s.id));
    for (const id of gone) index.remove(id);
    for (const s of subs.slice(0, 10)) index.add(s); // re-added (s0, s3, s6, s9 come back)
    const live = subs.filter((s, i) => !gone.has(s.id) || i < 10);
    assert.equal(index.size, live.length);
    for (const e of events.slice(0, 100)) {
      assert.deepEqual(
        index
          .match(e, ancestors)
          .map((m) => m.id)
          .sort(),
        scan(live, e),
      );
    }
  });
});
