// Default keys of lifecycle events: the event's type, numbered from the second event of the same type.
import type { LifecycleEvent } from '../domain/types.ts';

/** The events with every key filled in: given keys kept, others `type`, `type-2`, `type-3`… in order. */
export function defaultEventKeys(events: readonly LifecycleEvent[]): (LifecycleEvent & { key: string })[] {
  const counts = new Map<string, number>();
  return events.map((e) => {
    const n = (counts.get(e.type) ?? 0) + 1;
    counts.set(e.type, n);
    return { ...e, key: e.key ?? (n === 1 ? e.type : `${e.type}-${n}`) };
  });
}

/** The events with keys that equal their default left out (the form a bundle is written in). */
export function withoutDefaultKeys(events: readonly LifecycleEvent[]): LifecycleEvent[] {
  const counts = new Map<string, number>();
  return events.map((e) => {
    const n = (counts.get(e.type) ?? 0) + 1;
    counts.set(e.type, n);
    const fallback = n === 1 ? e.type : `${e.type}-${n}`;
    if (e.key !== fallback) return e;
    const rest = { ...e };
    delete rest.key;
    return rest;
  });
}
