// The scheduler turns dates into events: the morning an instrument's status changes by date ("in force from today",
// repealed, expired) and N days before an effective date or a comment deadline, for every N some subscription asked
// for. It remembers the last day it handled, so a day missed (the server was down) is caught up, at most 31 days back.
import { addDays, daysBetween } from '../domain/dates.ts';
import { eventDay, statusAsOf } from '../domain/status.ts';
import type { Instrument } from '../domain/types.ts';
import type { Database, Queryable } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { aheadEvent, legalForceOf, programmesByInstrument, statusEvent, type DeriveContext } from './derive.ts';
import { recordEvents } from './events.store.ts';
import { lastScheduledDay, leadTimes, rememberScheduledDay } from './scheduler.store.ts';
import type { WatchEvent } from './types.ts';
import { LOCKS, lock } from '../store/locks.ts';

const STATE_KEY = 'scheduler_day';
const CATCH_UP_DAYS = 31;

export interface SchedulerReport {
  /** Days handled in this run (empty when today was already handled). */
  readonly days: readonly string[];
  readonly events: number;
}

const shift = addDays;

async function loadContext(q: Queryable, today: string, now: string) {
  const repo = new KnowledgeRepository(q);
  const taxonomy = await repo.taxonomyIfImported();
  const instruments = (await repo.instrumentsById(null)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const programmes = await repo.programmesById(null);
  return { taxonomy, instruments, ctx: { today, now, programmesByInstrument: programmesByInstrument(programmes) } };
}

/** The events the days (from, to] give rise to. Pure. */
export function eventsForDays(
  instruments: readonly Instrument[],
  ctx: DeriveContext,
  days: readonly string[],
  ahead: { readonly effective: readonly number[]; readonly deadline: readonly number[] },
): WatchEvent[] {
  const out: WatchEvent[] = [];
  for (const day of days) {
    const dayCtx = { ...ctx, today: day };
    for (const inst of instruments) {
      const force = legalForceOf(inst, ctx.taxonomy);
      const was = statusAsOf(inst.events, force, shift(day, -1));
      const now = statusAsOf(inst.events, force, day);
      if (now !== null && was !== now) {
        out.push(statusEvent(inst, was, now, dayCtx, { occurredAt: ctx.now }, `status:${inst.id}:${day}`));
      }
      for (const event of inst.events) {
        const list =
          event.type === 'effective' ? ahead.effective : event.type === 'comment-deadline' ? ahead.deadline : [];
        if (list.length === 0) continue;
        const date = eventDay(event);
        // Only exact days: an event known to the month has no day to count down to.
        if (date === null || !/^\d{4}-\d{2}-\d{2}$/.test(event.date ?? date) || date <= day) continue;
        const until = daysBetween(day, date);
        for (const n of list) if (until <= n) out.push(aheadEvent(inst, event, date, n, dayCtx));
      }
    }
  }
  return out;
}

/**
 * Handles every day since the last run up to `today` (in one transaction): records the events (workers dispatch them). Running it twice on one day does nothing the second time; events are keyed, so none is recorded twice.
 */
export async function runScheduler(db: Database, today: string, now = new Date()): Promise<SchedulerReport> {
  return db.transaction(async (tx) => {
    await lock(tx, LOCKS.scheduler);
    const last = (await lastScheduledDay(tx, STATE_KEY)) ?? shift(today, -1);
    if (last >= today) return { days: [], events: 0 };
    const days: string[] = [];
    for (let d = shift(last, 1); d <= today; d = shift(d, 1)) days.push(d);
    const recent = days.slice(-CATCH_UP_DAYS);
    const { taxonomy, instruments, ctx } = await loadContext(tx, today, now.toISOString());
    let events = 0;
    if (taxonomy) {
      const ahead = await leadTimes(tx);
      events = (await recordEvents(tx, eventsForDays(instruments, { ...ctx, taxonomy }, recent, ahead))).length;
    }
    await rememberScheduledDay(tx, STATE_KEY, today);
    return { days: recent, events };
  });
}
