// The one way writes reach the watch service: append the change log, derive the events and record them, all in the
// writer's transaction (a failed write leaves no trace; a committed one has its events, which workers dispatch).
import { today as todayUtc } from '../domain/dates.ts';
import type { Bundle } from '../domain/types.ts';
import type { Queryable } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { appendChanges, type Action, type ChangeItem } from './changelog.store.ts';
import { eventsFromChanges, programmesByInstrument } from './derive.ts';
import { recordEvents } from './events.store.ts';
import type { WatchEvent } from './types.ts';

/** What one write did to the watch service. */
export interface WriteRecord {
  readonly entries: number;
  readonly firstSeq: number | null;
  /** Events recorded for subscribers (workers dispatch them). */
  readonly events: number;
}

/** Appends the items to the change log and queues what they mean for subscribers. */
export async function recordWrite(
  tx: Queryable,
  items: readonly ChangeItem[],
  meta: { readonly actor: string; readonly action: Action; readonly changeset?: string },
  bundle: Bundle,
  now = new Date(),
): Promise<WriteRecord> {
  const entries = await appendChanges(tx, items, { ...meta, recordedAt: now.toISOString() });
  if (entries.length === 0) return { entries: 0, firstSeq: null, events: 0 };
  const derived = eventsFromChanges(entries, {
    today: todayUtc(now),
    now: now.toISOString(),
    taxonomy: bundle.taxonomy,
    programmesByInstrument: programmesByInstrument(bundle.programmes),
  });
  const stored = await recordEvents(tx, derived);
  return { entries: entries.length, firstSeq: entries[0]?.seq ?? null, events: stored.length };
}

/** One recorded change of a stored profile's eligibility (a row of eligibility_changes). */
export interface EligibilityRow {
  readonly id: number;
  readonly profile: string;
  readonly programme: string;
  readonly previous: string;
  readonly current: string;
  readonly asOf: string;
}

const OUTCOME = {
  applies: { en: 'applies', zh: '适用' },
  unknown: { en: 'may apply (some facts are missing)', zh: '可能适用（缺少部分信息）' },
  does_not_apply: { en: 'does not apply', zh: '不适用' },
} as const;

const outcome = (o: string) => OUTCOME[o as keyof typeof OUTCOME] ?? { en: o, zh: o };

/** Records eligibility changes as private events for the profile's subscribers (workers dispatch them). */
export async function recordEligibilityChanges(
  tx: Queryable,
  changes: readonly EligibilityRow[],
  now = new Date(),
): Promise<{ events: number }> {
  if (changes.length === 0) return { events: 0 };
  const ids = [...new Set(changes.map((c) => c.programme))];
  const repo = new KnowledgeRepository(tx);
  const programmes = new Map((await repo.programmesById(ids)).map((p) => [p.id, p] as const));
  const instrumentIds = [...new Set([...programmes.values()].map((p) => p.instrument))];
  const instruments = new Map((await repo.instrumentsById(instrumentIds)).map((i) => [i.id, i] as const));
  const events: WatchEvent[] = changes.map((c) => {
    const p = programmes.get(c.programme);
    const inst = p ? instruments.get(p.instrument) : undefined;
    const title = p?.title ?? { en: c.programme, zh: c.programme };
    const was = outcome(c.previous);
    const is = outcome(c.current);
    return {
      kind: 'eligibility-changed',
      key: `eligibility:${c.id}`,
      occurredAt: now.toISOString(),
      profile: c.profile,
      ...(inst ? { instrument: inst.id, jurisdiction: inst.jurisdiction } : {}),
      topics: inst?.topics ?? [],
      programmes: [c.programme],
      day: c.asOf,
      title: { en: `${title.en}: now ${is.en}`, zh: `${title.zh}：现${is.zh}` },
      summary: {
        en: `As of ${c.asOf}, ${title.en} ${is.en} to your stored profile (before: ${was.en}).`,
        zh: `截至 ${c.asOf}，${title.zh}对您保存的企业信息${is.zh}（此前：${was.zh}）。`,
      },
      path: `/check#programme-${c.programme}`,
    };
  });
  return { events: (await recordEvents(tx, events)).length };
}
