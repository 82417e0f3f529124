// The scheduler turns dates into events: the morning an instrument's status changes by date ("in force from today",
// repealed, expired) and N days before an effective date or a comment deadline, for every N some subscription asked
// for. It remembers the last day it handled, so a day missed (the server was down) is caught up, at most 31 days back.
import { addDays, differenceInCalendarDays, format, parseISO } from 'date-fns';
import { eventDay, statusAsOf } from '../domain/status.ts';
import type { Instrument, Programme, Taxonomy } from '../domain/types.ts';
import type { Database, Queryable } from '../store/database.ts';
import { aheadEvent, legalForceOf, programmesByInstrument, statusEvent, type DeriveContext } from './derive.ts';
import { recordEvents } from './events.store.ts';
import type { WatchEvent } from './types.ts';
import { LOCKS, lock } from '../store/locks.ts';

const STATE_KEY = 'scheduler_day';
const CATCH_UP_DAYS = 31;

export interface SchedulerReport {
  /** Days handled in this run (empty when today was already handled). */
  readonly days: readonly string[];
  readonly events: number;
}

const shift = (day: string, n: number): string => format(addDays(parseISO(day), n), 'yyyy-MM-dd');

async function loadContext(q: Queryable, today: string, now: string) {
  const [tax] = await q.query<{ doc: string }>("SELECT doc FROM documents WHERE name = 'taxonomy'");
  const instruments = (await q.query<{ doc: string }>('SELECT doc FROM instruments ORDER BY id')).map(
    (r) => JSON.parse(r.doc) as Instrument,
  );
  const programmes = (await q.query<{ doc: string }>('SELECT doc FROM programmes')).map(
    (r) => JSON.parse(r.doc) as Programme,
  );
  const taxonomy = tax ? (JSON.parse(tax.doc) as Taxonomy) : null;
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
        const until = differenceInCalendarDays(parseISO(date), parseISO(day));
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
    const [state] = await tx.query<{ value: string }>('SELECT value FROM watch_state WHERE name = $1', [STATE_KEY]);
    const last = state?.value ?? shift(today, -1);
    if (last >= today) return { days: [], events: 0 };
    const days: string[] = [];
    for (let d = shift(last, 1); d <= today; d = shift(d, 1)) days.push(d);
    const recent = days.slice(-CATCH_UP_DAYS);
    const { taxonomy, instruments, ctx } = await loadContext(tx, today, now.toISOString());
    let events = 0;
    if (taxonomy) {
      const distinct = async (column: string) =>
        (
          await tx.query<{ n: number }>(
            `SELECT DISTINCT ${column} AS n FROM subscriptions WHERE ${column} IS NOT NULL ORDER BY 1`,
          )
        ).map((r) => Number(r.n));
      const ahead = { effective: await distinct('effective_ahead'), deadline: await distinct('deadline_ahead') };
      events = (await recordEvents(tx, eventsForDays(instruments, { ...ctx, taxonomy }, recent, ahead))).length;
    }
    await tx.query(
      `INSERT INTO watch_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
      [STATE_KEY, today],
    );
    return { days: recent, events };
  });
}
