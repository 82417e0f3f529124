// From change-log entries and dates to the events people are told about. Pure: the caller supplies the taxonomy's
// labels, legal force and which programmes hang off which instrument.
import { formatPartialDate } from '../domain/dates.ts';
import { eventDate, statusAsOf } from '../domain/status.ts';
import type {
  Bilingual,
  Instrument,
  LegalForce,
  LifecycleEvent,
  Programme,
  Status,
  Taxonomy,
} from '../domain/types.ts';
import type { ChangeEntry } from './changelog.store.ts';
import type { WatchEvent } from './types.ts';

/** What deriving needs to know beyond the entries. */
export interface DeriveContext {
  /** The day statuses are compared on (the writer's today). */
  readonly today: string;
  readonly now: string;
  readonly taxonomy: Taxonomy;
  /** Programme ids by instrument id. */
  readonly programmesByInstrument: ReadonlyMap<string, readonly string[]>;
}

/** The canonical content the change log keeps for one entity. */
export interface EntityContent {
  readonly position: number;
  readonly doc: unknown;
  readonly body?: string;
}

/** Programme ids by their instrument. */
export function programmesByInstrument(programmes: readonly Programme[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of programmes) out.set(p.instrument, [...(out.get(p.instrument) ?? []), p.id]);
  return out;
}

export function legalForceOf(inst: Instrument, taxonomy: Taxonomy): LegalForce {
  return inst.legal_force ?? taxonomy.instrument_kinds.find((k) => k.code === inst.kind)?.legal_force ?? 'non-binding';
}

const label = (list: readonly { code: string; label: Bilingual }[], code: string): Bilingual =>
  list.find((x) => x.code === code)?.label ?? { en: code, zh: code };

function doc<T>(content: string | null): T | null {
  return content === null ? null : ((JSON.parse(content) as EntityContent).doc as T);
}

/** Fields every event about an instrument carries. */
function about(inst: Instrument, ctx: DeriveContext) {
  return {
    instrument: inst.id,
    jurisdiction: inst.jurisdiction,
    topics: inst.topics ?? [],
    programmes: ctx.programmesByInstrument.get(inst.id) ?? [],
    path: `/instruments/${inst.id}`,
  };
}

const eventKey = (e: LifecycleEvent): string => e.key ?? e.type;

function dateText(text: string | null, lang: 'en' | 'zh'): string {
  if (text === null) return lang === 'en' ? 'date unknown' : '日期不详';
  return formatPartialDate(text, lang);
}

/** The events a batch of change-log entries gives rise to. */
export function eventsFromChanges(entries: readonly ChangeEntry[], ctx: DeriveContext): WatchEvent[] {
  const out: WatchEvent[] = [];
  const revisions = new Map<string, ChangeEntry[]>();
  for (const entry of entries) {
    if (entry.kind === 'instrument') out.push(...instrumentEvents(entry, ctx));
    else if (entry.kind === 'revision' && entry.change !== 'removed') {
      const [article = '', date = ''] = entry.id.split('/');
      const group = `${article}/${date}`;
      revisions.set(group, [...(revisions.get(group) ?? []), entry]);
    }
  }
  for (const [group, list] of revisions) {
    const [article = '', date = ''] = group.split('/');
    const first = list[0];
    if (!first) continue;
    const en = list.map((e) => JSON.parse(e.after ?? '{}') as EntityContent).find((c) => c.doc !== undefined);
    const front = (en?.doc ?? {}) as { title?: string; change_note?: string };
    const added = list.every((e) => e.change === 'added');
    out.push({
      kind: 'text-revised',
      key: `text-revised:${group}:${first.seq}`,
      occurredAt: first.recordedAt,
      changeSeq: first.seq,
      article,
      topics: [],
      programmes: [],
      day: date,
      title: {
        en: `${added ? 'New revision' : 'Revision corrected'}: ${front.title ?? article} (accurate up to ${date})`,
        zh: `${added ? '新修订' : '修订更正'}：${front.title ?? article}（截至 ${date}）`,
      },
      summary: {
        en: front.change_note ?? `The article ${article} has a ${added ? 'new' : 'corrected'} revision.`,
        zh: front.change_note ?? `文章 ${article} 有${added ? '新' : '更正的'}修订。`,
      },
      path: `/articles/${article}?revision=${date}`,
    });
  }
  return out;
}

function instrumentEvents(entry: ChangeEntry, ctx: DeriveContext): WatchEvent[] {
  const before = doc<Instrument>(entry.before);
  const after = doc<Instrument>(entry.after);
  const base = { occurredAt: entry.recordedAt, changeSeq: entry.seq };
  if (!after) return [];
  if (!before) {
    const kind = label(ctx.taxonomy.instrument_kinds, after.kind);
    return [
      {
        ...base,
        ...about(after, ctx),
        kind: 'new-instrument',
        key: `new-instrument:${after.id}:${entry.seq}`,
        title: { en: `New: ${after.title.en}`, zh: `新增：${after.title.zh}` },
        summary: { en: `${kind.en}. ${after.summary.en}`, zh: `${kind.zh}。${after.summary.zh}` },
      },
    ];
  }
  const out: WatchEvent[] = [];
  const known = new Set(before.events.map(eventKey));
  for (const e of after.events) {
    if (known.has(eventKey(e))) continue;
    const type = label(ctx.taxonomy.event_types, e.type);
    const date = eventDate(e);
    out.push({
      ...base,
      ...about(after, ctx),
      kind: 'new-event',
      key: `new-event:${after.id}:${eventKey(e)}:${entry.seq}`,
      ...(date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { day: date } : {}),
      title: { en: `${after.title.en}: ${type.en}`, zh: `${after.title.zh}：${type.zh}` },
      summary: {
        en: `${type.en}: ${dateText(date, 'en')}.`,
        zh: `${type.zh}：${dateText(date, 'zh')}。`,
      },
    });
  }
  const force = legalForceOf(after, ctx.taxonomy);
  const was = statusAsOf(before.events, legalForceOf(before, ctx.taxonomy), ctx.today);
  const now = statusAsOf(after.events, force, ctx.today);
  if (was !== now && now !== null) out.push(statusEvent(after, was, now, ctx, base, `status:${after.id}:${entry.seq}`));
  return out;
}

/** A status change of an instrument (from an edit, or because a day came: the scheduler). */
export function statusEvent(
  inst: Instrument,
  was: Status | null,
  now: Status,
  ctx: DeriveContext,
  base: { occurredAt: string; changeSeq?: number },
  key: string,
): WatchEvent {
  const to = label(ctx.taxonomy.statuses, now);
  const from = was === null ? null : label(ctx.taxonomy.statuses, was);
  const today = now === 'in_force';
  return {
    ...base,
    ...about(inst, ctx),
    kind: 'status-changed',
    key,
    day: ctx.today,
    title: today
      ? { en: `In force from today: ${inst.title.en}`, zh: `今日起施行：${inst.title.zh}` }
      : { en: `${inst.title.en}: now ${to.en.toLowerCase()}`, zh: `${inst.title.zh}：现为${to.zh}` },
    summary: {
      en: `Status as of ${ctx.today}: ${to.en}${from ? ` (was ${from.en})` : ''}.`,
      zh: `截至 ${ctx.today} 的状态：${to.zh}${from ? `（此前为${from.zh}）` : ''}。`,
    },
  };
}

/** "Takes effect in N days" / "comment deadline in N days" for one dated event of an instrument. */
export function aheadEvent(
  inst: Instrument,
  event: LifecycleEvent,
  day: string,
  aheadDays: number,
  ctx: DeriveContext,
): WatchEvent {
  const effective = event.type === 'effective';
  const en = effective ? `Takes effect on ${day}` : `Comment deadline on ${day}`;
  const zh = effective ? `将于 ${day} 施行` : `意见反馈截止日期为 ${day}`;
  return {
    ...about(inst, ctx),
    kind: effective ? 'effective-soon' : 'comment-deadline-soon',
    key: `${effective ? 'effective-soon' : 'comment-deadline-soon'}:${inst.id}:${eventKey(event)}:${day}:${aheadDays}`,
    occurredAt: ctx.now,
    day,
    aheadDays,
    title: { en: `${en}: ${inst.title.en}`, zh: `${inst.title.zh}${zh}` },
    summary: {
      en: `${en} (alert set ${aheadDays} days ahead).`,
      zh: `${zh}（提前 ${aheadDays} 天提醒）。`,
    },
  };
}
